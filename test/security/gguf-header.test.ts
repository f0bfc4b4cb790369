// A file with the GGUF magic and a header that lies about its size. node-llama-cpp's parser reads
// zeros past the end of a file instead of failing, so before node/gguf/structure.ts such a file
// kept the inference process parsing at full CPU without end (the security property test hung on
// "GGUF but not really" for 300 s). Each file here is refused at once with a sentence, through
// the same checks the host runs before inspecting, loading or applying an adapter. Before the fix
// each of these tests hung until vitest's timeout.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAdapterFile, checkModelFile } from '../../node/gguf/preflight.js';
import { checkGgufStructure, MAX_HEADER_BYTES, splitParts } from '../../node/gguf/structure.js';
import { fixture } from '../helpers/backend.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-gguf-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (p: string) => readGgufFileInfo(p, { logWarnings: false });
const CUT_SHORT = 'the GGUF header is cut short; the file is incomplete or corrupt';

function file(name: string, bytes: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A GGUF header: magic, version, tensor count, metadata entry count, then `rest`. */
function gguf(version: number, tensors: bigint, entries: bigint, ...rest: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.write('GGUF');
  head.writeUInt32LE(version, 4);
  head.writeBigUInt64LE(tensors, 8);
  head.writeBigUInt64LE(entries, 16);
  return Buffer.concat([head, ...rest, Buffer.alloc(64)]);
}

const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
const u64 = (n: bigint) => Buffer.from(new BigUint64Array([n]).buffer);
const key = (name: string) => Buffer.concat([u64(BigInt(name.length)), Buffer.from(name)]);

async function refusal(check: Promise<unknown>): Promise<{ code: string; message: string }> {
  return check.then(
    () => {
      throw new Error('the file passed the checks');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe('a GGUF header that claims more than the file holds', () => {
  it('"GGUF but not really" (the property test\'s fake model) is refused for its version, quoting none of it', async () => {
    const path = file('model.gguf', 'GGUF but not really');
    const error = await refusal(checkModelFile(path, read));
    expect(error).toMatchObject({ code: 'model-error', message: 'unsupported GGUF file (a version this llama.cpp does not read)' });
    expect(error.message).not.toMatch(/but|really/);
    await expect(refusal(checkAdapterFile(path, 'llama', read))).resolves.toMatchObject({
      message: 'adapter model.gguf: unsupported GGUF file (a version this llama.cpp does not read)',
    });
  });

  it.each([
    // the same junk counts under a version llama.cpp reads: 7.9 million entries, 7e18 tensors
    ['junk counts', () => gguf(3, 0x6165722074206f6en, 0x796c6cn)],
    ['2^60 tensors', () => gguf(3, 1n << 60n, 0n)],
    ['a 2^40-byte array of bytes', () => gguf(3, 0n, 1n, key('a'), u32(9), u32(0), u64(1n << 40n))],
    ['a 2^40-string array', () => gguf(3, 0n, 1n, key('a'), u32(9), u32(8), u64(1n << 40n))],
    ['a 2^40-byte key', () => gguf(2, 0n, 1n, u64(1n << 40n))],
    ['a tensor with 2^31 dimensions', () => gguf(3, 1n, 0n, key('t'), u32(2 ** 31))],
    ['a real model cut inside its metadata', () => readFileSync(fixture('demo-f16.gguf')).subarray(0, 3000)],
  ])('%s: refused as cut short, as a model and as an adapter', async (name, bytes) => {
    const path = file(`${name.replace(/\W+/g, '-')}.gguf`, bytes());
    await expect(refusal(checkModelFile(path, read))).resolves.toEqual(expect.objectContaining({ code: 'model-error', message: CUT_SHORT }));
    await expect(refusal(checkAdapterFile(path, 'llama', read))).resolves.toMatchObject({ message: expect.stringContaining(CUT_SHORT) });
  });

  it('arrays of arrays and unknown value types, which llama.cpp does not read either, are refused', async () => {
    const nested = file('nested.gguf', gguf(3, 0n, 1n, key('a'), u32(9), u32(9), u64(1n)));
    await expect(refusal(checkModelFile(nested, read))).resolves.toMatchObject({ message: expect.stringMatching(/^the GGUF header has an array of an unreadable type/) });
    const unknown = file('unknown.gguf', gguf(3, 0n, 1n, key('a'), u32(13)));
    await expect(refusal(checkModelFile(unknown, read))).resolves.toMatchObject({ message: expect.stringMatching(/^the GGUF header has a value of an unknown type/) });
    const v1 = file('v1.gguf', gguf(1, 0n, 0n));
    await expect(refusal(checkModelFile(v1, read))).resolves.toMatchObject({ message: 'it is a GGUF version 1 file, which llama.cpp no longer reads' });
  });

  it(`a header larger than ${MAX_HEADER_BYTES / 1024 / 1024} MB is refused without reading it (a sparse file)`, async () => {
    const path = file('huge-key.gguf', gguf(3, 0n, 1n, u64(BigInt(MAX_HEADER_BYTES))));
    truncateSync(path, MAX_HEADER_BYTES + 4096);
    await expect(refusal(checkModelFile(path, read))).resolves.toMatchObject({
      message: `the GGUF header is larger than ${MAX_HEADER_BYTES / 1024 / 1024} MB; the file is corrupt or not a model`,
    });
  });

  it('a split model whose second part is junk is refused before the parser reads the parts', async () => {
    const first = join(dir, 'split-00001-of-00002.gguf');
    copyFileSync(fixture('demo-q8_0.gguf'), first);
    file('split-00002-of-00002.gguf', 'GGUF\x03\x00\x00\x00 not really, still not');
    expect(splitParts(first)).toEqual([first, join(dir, 'split-00002-of-00002.gguf')]);
    await expect(refusal(checkModelFile(first, read))).resolves.toMatchObject({ message: CUT_SHORT });
  });

  it('the real models pass, and the size returned is the file\'s', async () => {
    for (const name of ['demo-f16.gguf', 'demo-q4_0.gguf', 'bpe.gguf', 'truncated.gguf']) {
      expect(await checkGgufStructure(fixture(name))).toBe(readFileSync(fixture(name)).length);
    }
    // the walk's refusals are structural: a cut-short tensor still gets the precise message
    await expect(refusal(checkModelFile(fixture('truncated.gguf'), read))).resolves.toMatchObject({ message: expect.stringMatching(/^tensor "output\.weight" lies beyond the end/) });
  });

  it('a path that is not a regular GGUF file gets the one answer as before', async () => {
    for (const path of ['/dev/zero', dir, join(dir, 'missing.gguf'), fixture('not-gguf.gguf')]) {
      await expect(refusal(checkGgufStructure(path))).resolves.toMatchObject({ code: 'model-error', message: expect.stringMatching(/ is not a readable GGUF file$/) });
    }
  });
});
