// Where the per-token time goes (issue 3, "find the cause"): each hypothesis measured in one run,
// rounds interleaved, medians reported.
//   H1 thread count: ms/token at 1..4 threads (node-llama-cpp's default here is 4 on 2 cores;
//      beyond the core count only 4 tokens are measured, it can take seconds per token);
//      context switches per token show oversubscribed workers spinning at ggml's barriers.
//   H2 per-decode threadpool: on the 3 MB demo model (compute ~0) the fixed cost per decode at
//      1 vs 2 threads in node-llama-cpp (no threadpool attached: threads created and joined per
//      decode) vs llama-bench (persistent threadpool; --poll 50 and --poll 0).
//   H3 evaluation path: decode without logits (evaluateWithoutGeneratingNewTokens; skips the output
//      layer) vs evaluate() (decode + logits + sample) vs controlledEvaluate vs LlamaCompletion, same context (1 thread: stable decode time).
//   H4 sampling: greedy vs greedy + confidence vs greedy + probabilities vs top-k sampling (1 thread).
//
//      The same loop in fresh processes on node-llama-cpp's stock addon and on Shotglass's
//      (scripts/native: a persistent threadpool per context): the fix.
//
//   This diagnoses node-llama-cpp's stock addon: the in-process measurements load it, not Shotglass's.
//   npm run bench:per-token -- [--model q4_0|q8_0|FILE] [--rounds 3] [--tokens 64] [--llama-bin DIR]
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resourceUsage } from 'node:process';
import { getLlama, LlamaCompletion, type LlamaContext, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { defaultDemoModelPath } from '../service/inference/node-host.js';
import { BENCH_MODELS_DIR } from '../build/gguf/bench-model.js';
import { benchModel, directGenerate, f1, f2, llamaTool, machineLine, median, runDirectWorker, runLlamaBench } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'q4_0' },
    rounds: { type: 'string', default: '3' },
    tokens: { type: 'string', default: '64' },
    'llama-bin': { type: 'string' },
  },
});
const STOCK = { SHOTGLASS_STOCK_ADDON: '1' };
const modelPath = values.model === 'q4_0' || values.model === 'q8_0' ? benchModel(values.model) : values.model!;
// A private copy: other work may rewrite the demo model while it is mapped (SIGBUS).
const demoPath = join(BENCH_MODELS_DIR, 'demo-copy.gguf');
copyFileSync(defaultDemoModelPath(), demoPath);
const rounds = Number(values.rounds);
const n = Number(values.tokens);
const llamaBench = llamaTool('llama-bench', values['llama-bin']);

const samples = new Map<string, number[]>();
const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
const med = (key: string) => median(samples.get(key) ?? []);

console.log(`model ${modelPath}; ${n} tokens per measurement, ${rounds} interleaved rounds; ${machineLine()}`);
const started = performance.now();
// a custom cmake option makes node-llama-cpp skip the local build (Shotglass's addon)
const llama = await getLlama({ gpu: false, build: 'never', cmakeOptions: STOCK });
const model = await llama.loadModel({ modelPath });
const demo = await llama.loadModel({ modelPath: demoPath });
const threadCounts = [1, 2, 3, 4];
const cores = llama.cpuMathCores;
const contexts = new Map<number, LlamaContext>();
for (const t of threadCounts) contexts.set(t, await model.createContext({ contextSize: 1024, sequences: 1, threads: t }));
const demoContexts = new Map<number, LlamaContext>();
for (const t of [1, 2, 4]) demoContexts.set(t, await demo.createContext({ contextSize: 4096, sequences: 1, threads: t }));
// One sequence per context, kept (a disposed sequence's id returns to its context asynchronously).
const sequences = new Map([...contexts].map(([t, c]) => [t, c.getSequence()]));
const demoSequences = new Map([...demoContexts].map(([t, c]) => [t, c.getSequence()]));

/** ms per token and involuntary context switches per token of `fn` generating `count` tokens. */
async function timed(count: number, fn: () => Promise<number>): Promise<{ ms: number; switches: number }> {
  const before = resourceUsage();
  const ms = await fn();
  const after = resourceUsage();
  return { ms, switches: (after.involuntaryContextSwitches - before.involuntaryContextSwitches) / count };
}

async function decodeOnly(sequence: LlamaContextSequence, count: number): Promise<number> {
  await sequence.clearHistory();
  await sequence.evaluateWithoutGeneratingNewTokens([1 as Token]);
  const start = performance.now();
  // tokens 3..258 are byte tokens in both vocabularies
  for (let i = 0; i < count; i++) await sequence.evaluateWithoutGeneratingNewTokens([(3 + (i % 256)) as Token]);
  return (performance.now() - start) / count;
}

async function controlled(sequence: LlamaContextSequence, count: number): Promise<number> {
  await sequence.clearHistory();
  let token = 1 as Token;
  let start = 0;
  for (let i = 0; i <= count; i++) {
    if (i === 1) start = performance.now();
    const [out] = await sequence.controlledEvaluate([[token, { generateNext: { token: true } }]]);
    token = out!.next.token!;
  }
  return (performance.now() - start) / count;
}

async function completion(sequence: LlamaContextSequence, count: number): Promise<number> {
  await sequence.clearHistory();
  const c = new LlamaCompletion({ contextSequence: sequence });
  const stamps: number[] = [];
  await c.generateCompletion([1 as Token], { temperature: 0, maxTokens: count + 1, onToken: () => stamps.push(performance.now()) });
  c.dispose();
  return (stamps.at(-1)! - stamps[0]!) / (stamps.length - 1);
}

for (let r = 0; r < rounds; r++) {
  // H1
  for (const t of threadCounts) {
    const seq = sequences.get(t)!;
    // more threads than cores can take seconds per token on a busy machine: fewer tokens there
    const count = t > cores ? Math.min(n, 4) : n;
    const res = await timed(count, async () => (await directGenerate(seq, [1 as Token], count + 1)).msPerToken);
    add(`h1 ms ${t}`, res.ms);
    add(`h1 sw ${t}`, res.switches);
  }
  // H2: 1000 tokens on the demo model
  for (const t of [1, 2, 4]) {
    const seq = demoSequences.get(t)!;
    const count = t > cores ? 20 : 1000;
    add(`h2 nlc decode ${t}`, await decodeOnly(seq, count));
    add(`h2 nlc evaluate ${t}`, (await directGenerate(seq, [1 as Token], count + 1)).msPerToken);
  }
  if (llamaBench) {
    for (const poll of [50, 0]) {
      for (const row of runLlamaBench(llamaBench, ['-m', demoPath, '-t', '1,2', '-p', '0', '-n', '1000', '-r', '1', '--poll', String(poll)])) {
        add(`h2 lcpp poll${poll} ${row.n_threads}`, 1000 / row.avg_ts);
      }
    }
    for (const row of runLlamaBench(llamaBench, ['-m', modelPath, '-t', '1,2', '-p', '0', '-n', String(n), '-r', '1', '--poll', '0'])) {
      add(`h2 lcpp bench poll0 ${row.n_threads}`, 1000 / row.avg_ts);
    }
    for (const row of runLlamaBench(llamaBench, ['-m', modelPath, '-t', '1,2', '-p', '0', '-n', String(n), '-r', '1'])) {
      add(`h2 lcpp bench poll50 ${row.n_threads}`, 1000 / row.avg_ts);
    }
  }
  // H2, the fix: the same loop in fresh processes, on the stock addon and on Shotglass's
  for (const t of [1, 2]) {
    add(`h2 worker demo ${t}`, 1000 / runDirectWorker(demoPath, t, 0, 1000, r, STOCK).tg);
    add(`h2 worker+pool demo ${t}`, 1000 / runDirectWorker(demoPath, t, 0, 1000, r).tg);
    add(`h2 worker bench ${t}`, 1000 / runDirectWorker(modelPath, t, 0, n, r, STOCK).tg);
    add(`h2 worker+pool bench ${t}`, 1000 / runDirectWorker(modelPath, t, 0, n, r).tg);
  }
  // H3 and H4 on the bench model at 1 thread: these costs add to the decode (sampling runs after
  // it), and a 1-thread decode takes the same time every token, busy machine or not.
  const seq = sequences.get(1)!;
  add('h3 decode only, no logits (skips the output layer)', await decodeOnly(seq, n));
  add('h3 evaluate (greedy)', (await directGenerate(seq, [1 as Token], n + 1)).msPerToken);
  add('h3 controlledEvaluate', await controlled(seq, n));
  add('h3 LlamaCompletion', await completion(seq, n));
  add('h4 greedy + confidence', (await directGenerate(seq, [1 as Token], n + 1, {}, { confidence: true })).msPerToken);
  add('h4 greedy + probabilities', (await directGenerate(seq, [1 as Token], n + 1, {}, { probabilities: true, confidence: true })).msPerToken);
  const topK = { temperature: 0.8, topK: 40, topP: 0.95, seed: 1 };
  add('h4 top-k sampling', (await directGenerate(seq, [1 as Token], n + 1, topK)).msPerToken);
  add('h4 top-k + probabilities', (await directGenerate(seq, [1 as Token], n + 1, topK, { probabilities: true, confidence: true })).msPerToken);
  console.log(`round ${r + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

console.log('\nH1: thread count, bench model (node-llama-cpp evaluate loop, greedy)');
console.log('| threads | ms/token | tok/s | involuntary context switches/token |');
console.log('|---|---|---|---|');
for (const t of threadCounts) console.log(`| ${t}${t === llama.maxThreads ? ' (node-llama-cpp default here)' : ''} | ${f2(med(`h1 ms ${t}`))} | ${f1(1000 / med(`h1 ms ${t}`))} | ${f1(med(`h1 sw ${t}`))} |`);

console.log('\nH2: fixed cost per decode, demo model (compute ~0), ms/token');
console.log('| threads | node-llama-cpp decode only | node-llama-cpp evaluate (decode+sample) | same, fresh process | same, Shotglass addon (persistent threadpool) | llama-bench poll 50 | llama-bench poll 0 |');
console.log('|---|---|---|---|---|---|---|');
for (const t of [1, 2, 4]) {
  console.log(
    `| ${t} | ${f2(med(`h2 nlc decode ${t}`))} | ${f2(med(`h2 nlc evaluate ${t}`))} | ${f2(med(`h2 worker demo ${t}`))} | ${f2(med(`h2 worker+pool demo ${t}`))} | ${f2(med(`h2 lcpp poll50 ${t}`))} | ${f2(med(`h2 lcpp poll0 ${t}`))} |`,
  );
}
console.log('\nH2 on the bench model: ms/token in fresh processes, stock addon -> Shotglass\'s addon');
for (const t of [1, 2]) console.log(`  ${t} threads: ${f2(med(`h2 worker bench ${t}`))} -> ${f2(med(`h2 worker+pool bench ${t}`))}`);
if (llamaBench) {
  console.log('\nH2 on the bench model: llama-bench ms/token, persistent threadpool, polling on (50) vs off (0)');
  for (const t of [1, 2]) console.log(`  ${t} threads: poll 50 ${f2(med(`h2 lcpp bench poll50 ${t}`))}, poll 0 ${f2(med(`h2 lcpp bench poll0 ${t}`))}; node-llama-cpp ${f2(med(`h1 ms ${t}`))}`);
}

console.log('\nH3/H4: evaluation path and sampling, bench model, 1 thread, ms/token');
console.log('| path | ms/token | vs evaluate (greedy) |');
console.log('|---|---|---|');
const base = med('h3 evaluate (greedy)');
for (const key of [...samples.keys()].filter((k) => k.startsWith('h3') || k.startsWith('h4'))) {
  const d = med(key) - base;
  console.log(`| ${key.slice(3)} | ${f2(med(key))} | ${d >= 0 ? '+' : ''}${f2(d)} |`);
}
if (llamaBench) console.log(`(llama-bench at 1 thread, logits but no sampling: ${f2(med('h2 lcpp bench poll50 1'))} ms/token)`);
console.log(`\nmedians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
for (const c of [...contexts.values(), ...demoContexts.values()]) await c.dispose();
await model.dispose();
await demo.dispose();
