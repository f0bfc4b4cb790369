// Time to first token with a cached 1,000-token prefix vs cold (issue 3): a prompt of a shared
// 1,000-token prefix plus a short varying suffix, run again on a sequence that already holds the
// prefix in its KV cache, against the same prompt on an empty sequence. Direct node-llama-cpp
// (keep the common prefix, erase the rest, evaluate only the new tokens) and the Shotglass host
// (its engine reuses a sequence's cached prefix by itself; as loaded by default, flash attention
// auto, and with flash attention off), in one run, rounds interleaved.
//
//   npm run bench:prefix -- [--model q4_0|q8_0|FILE] [--rounds 3] [--prefix 1000] [--suffix 24] [--threads 2] [--no-host]
import { parseArgs } from 'node:util';
import { getLlama, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { DEMO_CORPUS } from '../build/gguf/corpus.js';
import { benchModel, f1, f2, machineLine, median, promptTokens, startHostModel, type HostModel } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'q4_0' },
    rounds: { type: 'string', default: '3' },
    prefix: { type: 'string', default: '1000' },
    suffix: { type: 'string', default: '24' },
    threads: { type: 'string', default: '2' },
    'no-host': { type: 'boolean', default: false },
  },
});
const modelPath = values.model === 'q4_0' || values.model === 'q8_0' ? benchModel(values.model) : values.model!;
const rounds = Number(values.rounds);
const prefixLength = Number(values.prefix);
const suffixLength = Number(values.suffix);
const threads = Number(values.threads);

const samples = new Map<string, number[]>();
const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
const med = (key: string) => median(samples.get(key) ?? []);

console.log(`model ${modelPath}; ${prefixLength}-token prefix + ${suffixLength}-token suffix, ${threads} threads, ${rounds} interleaved rounds; ${machineLine()}`);
const started = performance.now();
const llama = await getLlama({ gpu: false, build: 'never' });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 2048, sequences: 2, threads });
const warm = context.getSequence();
const cold = context.getSequence();

/** Evaluate `prompt` on `sequence`, reusing whatever prefix it holds; ms until the first generated token. */
async function ttft(sequence: LlamaContextSequence, prompt: Token[]): Promise<{ ms: number; evaluated: number }> {
  const start = performance.now();
  const held = sequence.contextTokens;
  let keep = 0;
  while (keep < held.length && keep < prompt.length - 1 && held[keep] === prompt[keep]) keep++;
  if (sequence.nextTokenIndex > keep) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  const iterator = sequence.evaluate(prompt.slice(keep), { temperature: 0, yieldEogToken: true });
  await iterator.next();
  const ms = performance.now() - start;
  await iterator.return();
  return { ms, evaluated: prompt.length - keep };
}

// Host prompts: text of about prefixLength tokens, then a varying question.
const corpus = DEMO_CORPUS.join('\n');
let prefixText = corpus;
while (model.tokenize(prefixText).length < prefixLength) prefixText += '\n' + corpus;
prefixText = model.detokenize(model.tokenize(prefixText).slice(0, prefixLength - 1));
// the host's varying suffix: about `suffixLength` tokens of text
const hostSuffix = (r: number) => '\n' + model.detokenize(model.tokenize(`Question ${r}: ${DEMO_CORPUS[r % DEMO_CORPUS.length]} ${corpus}`).slice(0, suffixLength - 1));
// The host as the engine loads a model by default (flash attention auto: on for the CPU), and with it off.
const hosts = new Map<string, HostModel>();
if (!values['no-host']) {
  hosts.set('host', await startHostModel(modelPath, { threads, sequences: 2, contextSize: 2048 }));
  hosts.set('host-nofa', await startHostModel(modelPath, { threads, sequences: 2, contextSize: 2048, flashAttention: false }));
}

const prefix = promptTokens(prefixLength, 7);
await ttft(warm, [...prefix, ...promptTokens(suffixLength + 1, 1000).slice(1)]); // prime the cache
for (const host of hosts.values()) await host.run(`${prefixText}${hostSuffix(0)}`, { temperature: 0, maxTokens: 1 });

for (let r = 0; r < rounds; r++) {
  const suffix = promptTokens(suffixLength + 1, 2000 + r).slice(1);
  const w = await ttft(warm, [...prefix, ...suffix]);
  add('direct warm', w.ms);
  add('direct warm evaluated', w.evaluated);
  const c = await ttft(cold, [...promptTokens(prefixLength, 100 + r), ...suffix]); // a prefix the cache does not hold
  add('direct cold', c.ms);
  add('direct cold evaluated', c.evaluated);
  for (const [name, host] of hosts) {
    const hw = await host.run(`${prefixText}${hostSuffix(r + 1)}`, { temperature: 0, maxTokens: 1 });
    add(`${name} warm`, hw.metrics.ttftMs);
    add(`${name} warm evaluated`, hw.metrics.evaluatedPromptTokens);
    const hc = await host.run(`Round ${r}. ${prefixText}${hostSuffix(r + 1)}`, { temperature: 0, maxTokens: 1 });
    add(`${name} cold`, hc.metrics.ttftMs);
    add(`${name} cold evaluated`, hc.metrics.evaluatedPromptTokens);
    // the cold run may have taken the sequence holding the prefix: put the prefix back for the next round
    await host.run(`${prefixText}${hostSuffix(0)}`, { temperature: 0, maxTokens: 1 });
  }
  console.log(`round ${r + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

console.log('');
console.log('| path | cold TTFT ms | cached-prefix TTFT ms | speedup | prompt tokens evaluated cold / cached |');
console.log('|---|---|---|---|---|');
const labels: Record<string, string> = {
  direct: 'direct node-llama-cpp',
  host: 'Shotglass host (as loaded by default: flash attention auto)',
  'host-nofa': 'Shotglass host, flash attention off',
};
for (const path of ['direct', ...hosts.keys()]) {
  const label = labels[path]!;
  console.log(`| ${label} | ${f1(med(`${path} cold`))} | ${f1(med(`${path} warm`))} | ${f1(med(`${path} cold`) / med(`${path} warm`))}x | ${med(`${path} cold evaluated`)} / ${med(`${path} warm evaluated`)} |`);
}
console.log(`\nmedians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s; ratio ${f2(med('direct warm') / med('direct cold'))}`);
for (const host of hosts.values()) await host.dispose();
await context.dispose();
await model.dispose();
