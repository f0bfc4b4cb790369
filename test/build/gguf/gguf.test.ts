// The project's own GGUF writer, checked against node-llama-cpp's independent GGUF reader and
// tokenizer (real llama.cpp, in this process).
import { readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { getLlama, readGgufFileInfo, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenMetadata } from '../../../node/gguf/preflight.js';
import { DEMO_CORPUS } from '../../../build/gguf/corpus.js';
import { demoModel } from '../../../build/gguf/demo-model.js';
import { demoGguf } from '../../../build/gguf/fixtures.js';
import { GgmlType } from '../../../build/gguf/format.js';
import { decodeTensor, encodeTensor, fromHalf, toHalf } from '../../../build/gguf/quantize.js';
import { DEMO_MODEL, fixture } from '../../helpers/backend.js';

describe('half precision', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -24, 0x0001],
    [1e-9, 0x0000],
    [0.1, 0x2e66],
  ])('%d encodes as 0x%s', (value, half) => {
    expect(toHalf(value)).toBe(half);
  });

  it('round-trips within half precision', () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const back = fromHalf(toHalf(x));
        expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25));
      }),
    );
  });
});

describe('block quantization', () => {
  const blocks = fc.array(fc.float({ min: -8, max: 8, noNaN: true }), { minLength: 32, maxLength: 32 });
  it.each([
    ['Q8_0', GgmlType.Q8_0, 127, 0.5],
    ['Q4_0', GgmlType.Q4_0, 8, 1],
  ] as const)('%s keeps every value within a step of its block scale', (_, type, levels, steps) => {
    fc.assert(
      fc.property(blocks, (values) => {
        const x = Float32Array.from(values);
        const back = decodeTensor(encodeTensor(x, type, 32), type, 32);
        const amax = Math.max(...values.map(Math.abs));
        const step = amax / levels;
        // Rounding to a level costs up to `steps` of a step; the scale itself is stored as f16, off
        // by up to half an f16 step (relative 2^-11, or 2^-25 below f16's normal range, where a
        // tiny block's scale underflows), and a value `levels` steps out carries that `levels` times.
        const bound = step * steps + levels * Math.max(step * 2 ** -11, 2 ** -25) + 1e-9;
        for (let i = 0; i < 32; i++) expect(Math.abs(back[i]! - x[i]!)).toBeLessThanOrEqual(bound);
      }),
    );
  });

  it('refuses a row that does not fill whole blocks', () => {
    expect(() => encodeTensor(new Float32Array(40), GgmlType.Q8_0, 40)).toThrow(/blocks of 32/);
  });
});

describe('GGUF files', () => {
  it('the committed demo model is exactly what the builder makes, and small', () => {
    const onDisk = readFileSync(DEMO_MODEL);
    expect(Buffer.compare(onDisk, Buffer.from(demoGguf()))).toBe(0);
    expect(statSync(DEMO_MODEL).size).toBeLessThan(10 * 1024 * 1024);
  });

  it.each([
    ['shotglass-demo.gguf', GgmlType.F32],
    ['demo-f16.gguf', GgmlType.F16],
    ['demo-q8_0.gguf', GgmlType.Q8_0],
    ['demo-q4_0.gguf', GgmlType.Q4_0],
  ])('node-llama-cpp reads %s back as written', async (file, type) => {
    const path = file === 'shotglass-demo.gguf' ? DEMO_MODEL : fixture(file);
    const info = await readGgufFileInfo(path);
    const meta = flattenMetadata(info.metadata as unknown as Record<string, unknown>);
    const { design } = demoModel();
    expect(info.version).toBe(3);
    expect(meta['general.architecture']).toBe('llama');
    expect(meta['llama.block_count']).toBe(1);
    expect(meta['llama.feed_forward_length']).toBe(32);
    expect(meta['tokenizer.ggml.model']).toBe('llama');
    expect(meta['tokenizer.ggml.tokens']).toEqual(design.tokenizer.tokens);
    expect(meta['tokenizer.chat_template']).toBe(design.chatTemplate);
    const byName = new Map(info.tensorInfo!.map((t) => [t.name, t]));
    expect(byName.get('output_norm.weight')!.ggmlType).toBe(GgmlType.F32);
    expect(byName.get('output.weight')!.ggmlType).toBe(type);
    expect(byName.get('output.weight')!.dimensions.map(Number)).toEqual([
      Number(meta['llama.embedding_length']),
      design.tokenizer.tokens.length,
    ]);
    for (const t of info.tensorInfo!) expect(Number(t.offset) % 32).toBe(0);
  });
});

describe('the demo tokenizer', () => {
  let model: LlamaModel;
  beforeAll(async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    model = await llama.loadModel({ modelPath: DEMO_MODEL });
  });
  afterAll(() => model?.dispose());

  it('tokenizes the whole corpus exactly as llama.cpp does', () => {
    const { tokenizer } = demoModel();
    for (const doc of DEMO_CORPUS) expect(tokenizer.tokenize(doc)).toEqual(Array.from(model.tokenize(doc)));
  });

  it('falls back to bytes for text outside its vocabulary, as llama.cpp does', () => {
    const { tokenizer } = demoModel();
    for (const text of ['Café — naïve 🍸', 'tabs\tand\nnewlines', '{{variable}}', 'xylophone quartz']) {
      expect(tokenizer.tokenize(text)).toEqual(Array.from(model.tokenize(text)));
    }
    expect(model.detokenize(model.tokenize('Café 🍸'))).toBe('Café 🍸');
  });
});
