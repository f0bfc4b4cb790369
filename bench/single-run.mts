// Single-run speed (issue 3): prompt processing (pp) and generation (tg) tokens/s of one sequence,
// at 1 and 2 threads, measured side by side in one run, rounds interleaved:
//   - llama.cpp's own llama-bench (when --llama-bin DIR or $LLAMA_CPP_BIN points at a build),
//   - a minimal direct node-llama-cpp loop (low-level sequence API, greedy, explicit threads; each
//     measurement in a fresh process, like llama-bench),
//   - the same with a persistent ggml threadpool (--threadpool-shim FILE: bench/native/threadpool-shim.c
//     built; what the native fix would give),
//   - the Shotglass host (separate process, the real engine) loaded with the same thread count, as
//     the engine loads by default (flashAttention off) and with flashAttention on; with no per-token
//     probabilities and with the default top-5, and with the shim if given (top-5 and shim rows at
//     the highest thread count only),
//   - node-llama-cpp with default settings (LlamaCompletion, default threads; tg of at most 8 tokens).
//
//   npm run bench:single -- [--model q4_0|q8_0|FILE] [--rounds 3] [--threads 1,2] [--pp 512] [--tg 64]
//                           [--llama-bin DIR] [--threadpool-shim FILE] [--no-host] [--no-default]
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion, type Token } from 'node-llama-cpp';
import { DEMO_CORPUS } from '../scripts/gguf/corpus.js';
import { benchModel, f1, f2, llamaTool, machineLine, median, runDirectWorker, runLlamaBench, startHostModel, type HostModel } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'q4_0' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1,2' },
    pp: { type: 'string', default: '512' },
    tg: { type: 'string', default: '64' },
    'llama-bin': { type: 'string' },
    'threadpool-shim': { type: 'string', default: process.env.THREADPOOL_SHIM },
    'no-host': { type: 'boolean', default: false },
    'no-default': { type: 'boolean', default: false },
  },
});
const modelPath = values.model === 'q4_0' || values.model === 'q8_0' ? benchModel(values.model) : values.model!;
const rounds = Number(values.rounds);
const threadCounts = values.threads!.split(',').map(Number);
const pp = Number(values.pp);
const tg = Number(values.tg);
const llamaBench = llamaTool('llama-bench', values['llama-bin']);
const shim = values['threadpool-shim'];

const samples = new Map<string, number[]>();
const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
const med = (key: string) => median(samples.get(key) ?? []);

console.log(`model ${modelPath}`);
console.log(`pp${pp} / tg${tg}, threads ${threadCounts.join(',')}, ${rounds} interleaved rounds; ${machineLine()}`);
const started = performance.now();

const llama = await getLlama({ gpu: false, build: 'never' });
const model = await llama.loadModel({ modelPath });
// node-llama-cpp's defaults: no thread count given (getLlama's maxThreads defaults to max(4, cores)).
const defaultContext = values['no-default'] ? undefined : await model.createContext({ contextSize: 2048, sequences: 1 });
const defaultSequence = defaultContext?.getSequence();
console.log(`node-llama-cpp default context threads: ${defaultContext?.idealThreads ?? '-'} (cpuMathCores ${llama.cpuMathCores}, maxThreads ${llama.maxThreads})`);

// A text prompt of about `pp` tokens for the host, which takes text; a different first line each
// time so no cached prefix is reused.
const corpus = DEMO_CORPUS.join('\n');
let hostText = corpus;
while (model.tokenize(hostText).length < pp) hostText += '\n' + corpus;
hostText = model.detokenize(model.tokenize(hostText).slice(0, pp - 12));
// Host configurations: as the engine loads a model by default (flashAttention off in the contract),
// with flashAttention on (node-llama-cpp's default, "auto", turns it on for the CPU), and that plus
// a persistent threadpool (shim; highest thread count only).
const hosts = new Map<string, HostModel>();
const top = Math.max(...threadCounts);
if (!values['no-host']) {
  for (const t of threadCounts) {
    const options = { threads: t, sequences: 1, contextSize: 2048 };
    hosts.set(`host ${t}`, await startHostModel(modelPath, options));
    hosts.set(`host+fa ${t}`, await startHostModel(modelPath, { ...options, flashAttention: true }));
    if (shim && t === top) hosts.set(`host+fa+pool ${t}`, await startHostModel(modelPath, { ...options, flashAttention: true }, { LD_PRELOAD: shim }));
  }
}

for (let r = 0; r < rounds; r++) {
  for (const t of threadCounts) {
    if (llamaBench) {
      for (const row of runLlamaBench(llamaBench, ['-m', modelPath, '-t', String(t), '-p', String(pp), '-n', String(tg), '-r', '1'])) {
        add(`llama.cpp ${row.n_prompt ? 'pp' : 'tg'} ${t}`, row.avg_ts);
      }
    }
    const direct = runDirectWorker(modelPath, t, pp, tg, r * 10 + t);
    add(`direct pp ${t}`, direct.pp);
    add(`direct tg ${t}`, direct.tg);
    if (shim) {
      const pooled = runDirectWorker(modelPath, t, pp, tg, r * 10 + t, shim);
      add(`direct+pool pp ${t}`, pooled.pp);
      add(`direct+pool tg ${t}`, pooled.tg);
    }
    for (const kind of ['host', 'host+fa', 'host+fa+pool']) {
      const host = hosts.get(`${kind} ${t}`);
      if (!host) continue;
      // pp: a long prompt, one token (prompt tokens / time to first token); tg: a short prompt, so
      // generation runs at the same (shallow) depth as llama-bench's tg.
      const tag = `Round ${r} of ${kind} with ${t} threads.`;
      const ppRun = await host.run(`${tag}\n${hostText}`, { temperature: 0, maxTokens: 1 }, 0);
      add(`${kind} pp ${t}`, ppRun.metrics.promptTokensPerSecond);
      const tgRun = await host.run(tag, { temperature: 0, maxTokens: tg }, 0);
      add(`${kind} tg ${t}`, tgRun.metrics.tokensPerSecond);
      if (r === 0 && t === threadCounts[0] && kind === 'host') console.log(`host prompts: ${ppRun.metrics.promptTokens} tokens (pp), ${tgRun.metrics.promptTokens} (tg)`);
      if (t !== top || kind === 'host') continue;
      // What a user gets by default: the chosen token's probability and 5 alternatives per token.
      const withTop = await host.run(`Again: ${tag}`, { temperature: 0, maxTokens: tg }, 5);
      add(`${kind} top5 tg ${t}`, withTop.metrics.tokensPerSecond);
    }
  }
  if (defaultContext && defaultSequence) {
    await defaultSequence.clearHistory();
    const completion = new LlamaCompletion({ contextSequence: defaultSequence });
    const stamps: number[] = [];
    // at most 8 tokens: oversubscribed threads can make this path very slow on a busy machine
    await completion.generateCompletion([1 as Token], { temperature: 0, maxTokens: Math.min(tg, 8), onToken: () => stamps.push(performance.now()) });
    add('default tg', ((stamps.length - 1) * 1000) / (stamps.at(-1)! - stamps[0]!));
    completion.dispose();
  }
  console.log(`round ${r + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s; ${machineLine()})`);
}

console.log('');
console.log('| threads | path | pp t/s | tg t/s | pp vs llama.cpp | tg vs llama.cpp |');
console.log('|---|---|---|---|---|---|');
for (const t of threadCounts) {
  const refPp = med(`llama.cpp pp ${t}`);
  const refTg = med(`llama.cpp tg ${t}`);
  const row = (label: string, ppKey: string, tgKey: string) => {
    if (!samples.has(tgKey)) return;
    const p = med(ppKey);
    const g = med(tgKey);
    console.log(`| ${t} | ${label} | ${f1(p)} | ${f1(g)} | ${f2(p / refPp)} | ${f2(g / refTg)} |`);
  };
  row('llama.cpp llama-bench', `llama.cpp pp ${t}`, `llama.cpp tg ${t}`);
  row('direct node-llama-cpp', `direct pp ${t}`, `direct tg ${t}`);
  row('direct node-llama-cpp + persistent threadpool (shim)', `direct+pool pp ${t}`, `direct+pool tg ${t}`);
  row('Shotglass host (as loaded by default: flashAttention off)', `host pp ${t}`, `host tg ${t}`);
  row('Shotglass host, flashAttention on', `host+fa pp ${t}`, `host+fa tg ${t}`);
  row('Shotglass host, flashAttention on, top-5 probabilities', '-', `host+fa top5 tg ${t}`);
  row('Shotglass host, flashAttention on + persistent threadpool (shim)', `host+fa+pool pp ${t}`, `host+fa+pool tg ${t}`);
  row('Shotglass host, flashAttention on + persistent threadpool (shim), top-5', '-', `host+fa+pool top5 tg ${t}`);
}
if (defaultContext) {
  const best = Math.max(...threadCounts);
  console.log(
    `| default (${defaultContext.idealThreads}) | node-llama-cpp defaults (LlamaCompletion) | - | ${f1(med('default tg'))} | - | ${f2(med('default tg') / med(`llama.cpp tg ${best}`))} (vs ${best} threads) |`,
  );
}
console.log('');
console.log(`medians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s`);

for (const host of hosts.values()) await host.dispose();
await defaultContext?.dispose();
await model.dispose();
