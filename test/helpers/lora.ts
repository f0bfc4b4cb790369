// A LoRA adapter for the demo model, designed like the model itself: rank 1 on output.weight,
// adding exactly `delta` to one token's logit in one state (at scale 1; alpha = rank = 1).
import { writeFileSync } from 'node:fs';
import { demoModel } from '../../build/gguf/demo-model.js';
import { GgmlType, GgufValueType } from '../../build/gguf/format.js';
import { embeddingLength, oneHotValue, RMS_EPS } from '../../build/gguf/llama-model.js';
import { writeGguf } from '../../build/gguf/writer.js';

export function writeDemoLora(path: string, after: number, boost: number, delta: number, architecture = 'llama'): void {
  const { design } = demoModel();
  const nVocab = design.tokenizer.tokens.length;
  const nEmbd = embeddingLength(design.logits.length);
  const normed = oneHotValue(nEmbd) / Math.sqrt(1 + Math.fround(RMS_EPS));
  // delta(x) = B (A x): A picks the one-hot slot of the state, B writes into the boosted token.
  const a = new Float32Array(nEmbd);
  a[design.stateOf[after]!] = 1;
  const b = new Float32Array(nVocab);
  b[boost] = delta / normed;
  const bytes = writeGguf({
    metadata: [
      ['general.architecture', { type: GgufValueType.STRING, value: architecture }],
      ['general.type', { type: GgufValueType.STRING, value: 'adapter' }],
      ['adapter.type', { type: GgufValueType.STRING, value: 'lora' }],
      ['adapter.lora.alpha', { type: GgufValueType.FLOAT32, value: 1 }],
    ],
    tensors: [
      { name: 'output.weight.lora_a', dims: [nEmbd, 1], type: GgmlType.F32, values: a },
      { name: 'output.weight.lora_b', dims: [1, nVocab], type: GgmlType.F32, values: b },
    ],
  });
  writeFileSync(path, bytes);
}
