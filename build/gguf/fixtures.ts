// Test fixtures built by the same code as the demo model: each tensor type, a BPE tokenizer,
// and files broken in the ways users' downloads break.
import { GgmlType } from './format.js';
import { bpeDesign } from './bpe-model.js';
import { demoModel } from './demo-model.js';
import { buildLlamaGguf } from './llama-model.js';

export interface Fixture {
  file: string;
  bytes: () => Uint8Array;
  /** What is wrong with it, for broken fixtures. */
  broken?: string;
}

export function demoGguf(type: GgmlType = GgmlType.F32): Uint8Array {
  return buildLlamaGguf(demoModel().design, { type });
}

export const FIXTURES: Fixture[] = [
  { file: 'demo-f16.gguf', bytes: () => demoGguf(GgmlType.F16) },
  { file: 'demo-q8_0.gguf', bytes: () => demoGguf(GgmlType.Q8_0) },
  { file: 'demo-q4_0.gguf', bytes: () => demoGguf(GgmlType.Q4_0) },
  { file: 'bpe.gguf', bytes: () => buildLlamaGguf(bpeDesign()) },
  {
    // Sound, small on disk, but its declared context needs far more memory than a machine has.
    file: 'huge-context.gguf',
    bytes: () =>
      buildLlamaGguf({ ...demoModel().design, name: 'Shotglass huge-context fixture', contextLength: 4_194_304 }, { type: GgmlType.Q4_0, blocks: 32 }),
  },
  {
    file: 'not-gguf.gguf',
    broken: 'a text file renamed to .gguf',
    bytes: () => new TextEncoder().encode('This is a README, not a model.\n'.repeat(20)),
  },
  {
    file: 'bad-magic.gguf',
    broken: 'wrong magic number',
    bytes: () => {
      const b = demoGguf();
      b.set(new TextEncoder().encode('GGUX'), 0);
      return b;
    },
  },
  {
    file: 'truncated.gguf',
    broken: 'cut off in the middle of the tensor data',
    bytes: () => {
      const b = demoGguf();
      return b.slice(0, Math.floor(b.length * 0.6));
    },
  },
  {
    file: 'missing-ffn-length.gguf',
    broken: 'no llama.feed_forward_length (llama.cpp aborts on this)',
    bytes: () => buildLlamaGguf(demoModel().design, { omitKeys: ['llama.feed_forward_length'] }),
  },
  {
    file: 'missing-head-count.gguf',
    broken: 'no llama.attention.head_count (llama.cpp aborts on this)',
    bytes: () =>
      buildLlamaGguf(demoModel().design, {
        omitKeys: ['llama.attention.head_count', 'llama.attention.head_count_kv'],
      }),
  },
  {
    file: 'wrong-shape.gguf',
    broken: 'output.weight declares the wrong shape',
    bytes: () =>
      buildLlamaGguf(demoModel().design, {
        editTensors: (tensors) => {
          const t = tensors.find((x) => x.name === 'output.weight')!;
          t.dims = [t.dims[1]!, t.dims[0]!];
        },
      }),
  },
  {
    file: 'bad-offset.gguf',
    broken: 'a tensor offset points past the end of the file',
    bytes: () =>
      buildLlamaGguf(demoModel().design, {
        editTensors: (tensors) => {
          tensors[tensors.length - 1]!.offsetOverride = 1n << 40n;
        },
      }),
  },
];
