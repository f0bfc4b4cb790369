// "Load anyway" (skip Shotglass's checks) is offered only where it could help (issue 14, defect
// 12): a GGUF refused for metadata an unknown architecture may not need, never a file that is not
// GGUF, is cut short or points past its end. The real broken fixtures, through the real checks.
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { checkModelFile, mayLoadAnyway } from '../../node/gguf/preflight';
import { fixture } from '../helpers/backend';

async function refusal(file: string): Promise<string> {
  try {
    await checkModelFile(fixture(file), (p) => readGgufFileInfo(p));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${file} passed the checks`);
}

describe('Load anyway', () => {
  it.each([
    ['not-gguf.gguf', false],
    ['bad-magic.gguf', false],
    ['truncated.gguf', false],
    ['bad-offset.gguf', false],
    ['missing-ffn-length.gguf', true],
    ['missing-head-count.gguf', true],
  ])('%s → offered: %s', async (file, offered) => {
    expect(mayLoadAnyway(await refusal(file))).toBe(offered);
  });

  it('is never offered for a failure of llama.cpp itself', () => {
    expect(mayLoadAnyway("tensor 'output.weight' has wrong shape")).toBe(false);
  });
});
