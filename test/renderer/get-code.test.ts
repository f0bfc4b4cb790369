// "Get code": the CLI command repeats a run exactly. Checked by parsing the command back with a
// real POSIX shell (bash prints each argument), so the quoting is proven, not just compared.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fakeResult } from '../helpers/results';
import { cliCommand } from '../../renderer/src/lib/get-code';

/** The words bash makes of the command (after the program name). */
function words(command: string): string[] {
  const out = execFileSync('bash', ['-c', `set -- ${command.replace(/^shotglass /, '')}; for a in "$@"; do printf '%s\\0' "$a"; done`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

describe('Get code', () => {
  const sampling = { ...fakeResult().record.sampling, temperature: 0, maxTokens: 8, seed: 1234, stop: ['\n'], topK: 10, tokenBias: [{ token: 42, bias: 'never' as const }] };

  it('a completion run: model, prompt with quotes and newlines, the recorded seed and non-default samplers', () => {
    const prompt = "Q: It's \"great\" $HOME `x`\nA:";
    const command = cliCommand('/models/my model.gguf', { mode: 'completion', text: prompt }, sampling);
    expect(command.startsWith('shotglass complete ')).toBe(true);
    expect(words(command)).toEqual([
      'complete', '--model', '/models/my model.gguf', '--prompt', prompt,
      '--temperature', '0', '--max-tokens', '8', '--seed', '1234', '--top-k', '10', '--stop', '\n', '--token-bias', '42=never',
    ]);
  });

  it('a chat run: one flag per message, in order', () => {
    const command = cliCommand('/m.gguf', { mode: 'chat', messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Again' }] }, fakeResult().record.sampling);
    expect(words(command).slice(0, 11)).toEqual(['chat', '--model', '/m.gguf', '--system', 'Be terse.', '--user', 'Hi', '--assistant', 'Hello', '--user', 'Again']);
  });
});
