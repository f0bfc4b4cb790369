// What the process boundary costs: tokens/s streamed through the Shotglass host (separate
// process, protocol, detokenization, backend events) vs a direct node-llama-cpp loop in this
// process, same model, same settings, same thread count, measured in one run.
//   npm run bench -- [--model FILE] [--tokens N] [--rounds R]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion } from 'node-llama-cpp';
import { createService } from '../service/service.js';
import { defaultDemoModelPath, defaultHostEntry, spawnNodeHost } from '../service/inference/node-host.js';
import { runToEnd } from '../test/helpers/backend.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: defaultDemoModelPath() },
    tokens: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
  },
});
const modelPath = values.model!;
const tokens = Number(values.tokens);
const rounds = Number(values.rounds);
const prompt = 'Q: This movie sucks!\nA:';
const threads = availableParallelism();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function direct(): Promise<number[]> {
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: { max: 4096 }, sequences: 4, threads });
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const sequence = context.getSequence();
    const completion = new LlamaCompletion({ contextSequence: sequence });
    let n = 0;
    const start = performance.now();
    await completion.generateCompletion(prompt, { temperature: 0, maxTokens: tokens, onToken: (t) => (n += t.length) });
    rates.push((n * 1000) / (performance.now() - start));
    completion.dispose();
    await sequence.dispose();
  }
  await context.dispose();
  await model.dispose();
  return rates;
}

async function throughHost(): Promise<number[]> {
  const backend = createService({ mode: 'cli', spawnHost: spawnNodeHost(defaultHostEntry(), { ...process.env, SHOTGLASS_GPU: 'cpu' }), version: 'bench' });
  const model = await backend.api.openModel({ path: modelPath });
  await backend.api.loadModel({ modelId: model.id, skipChecks: false });
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    const { result, error } = await runToEnd(backend, model.id, prompt, { temperature: 0, maxTokens: tokens });
    if (error) throw new Error(error.message);
    rates.push((result!.tokens.length * 1000) / (performance.now() - start));
  }
  await backend.dispose();
  return rates;
}

async function main(): Promise<void> {
  // Interleave so both see the same machine state.
  const d1 = await direct();
  const h1 = await throughHost();
  const d2 = await direct();
  const h2 = await throughHost();
  const d = median([...d1, ...d2]);
  const h = median([...h1, ...h2]);
  console.log(`model ${modelPath}, ${tokens} greedy tokens x ${rounds * 2} rounds each, ${threads} threads`);
  console.log(`direct node-llama-cpp   ${d.toFixed(1)} tok/s (median, wall clock incl. prompt)`);
  console.log(`through Shotglass host  ${h.toFixed(1)} tok/s`);
  console.log(`ratio host/direct       ${(h / d).toFixed(3)}`);
}

void main();
