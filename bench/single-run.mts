// Single-run speed (issue 3): prompt processing (pp) and generation (tg) tokens/s of one sequence,
// at 1 and 2 threads, measured side by side in one run, rounds interleaved:
//   - llama.cpp's own llama-bench (when --llama-bin DIR or $LLAMA_CPP_BIN points at a build),
//   - a minimal direct node-llama-cpp loop (low-level sequence API, greedy, explicit threads; each
//     measurement in a fresh process, like llama-bench) on node-llama-cpp's stock addon and on
//     Shotglass's (scripts/native: persistent threadpool, top-N probabilities),
//   - the Shotglass host (separate process, the real engine, as it loads models by default) with no
//     per-token probabilities and with the default top-5, and the same on the stock addon (the
//     'before'),
//   - node-llama-cpp with default settings on its stock addon (LlamaCompletion, default threads; tg
//     of at most 8 tokens).
//
//   npm run bench:single -- [--model q4_0|q8_0|FILE] [--rounds 3] [--threads 1,2] [--pp 512] [--tg 64]
//                           [--llama-bin DIR] [--no-host] [--no-default]
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion, type Token } from 'node-llama-cpp';
import { DEMO_CORPUS } from '../build/gguf/corpus.js';
import { benchModel, f1, f2, llamaTool, machineLine, median, runDirectWorker, runLlamaBench, startHostModel, type HostModel } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'q4_0' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1,2' },
    pp: { type: 'string', default: '512' },
    tg: { type: 'string', default: '64' },
    'llama-bin': { type: 'string' },
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
const STOCK = { SHOTGLASS_STOCK_ADDON: '1' };

const samples = new Map<string, number[]>();
const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
const med = (key: string) => median(samples.get(key) ?? []);

console.log(`model ${modelPath}`);
console.log(`pp${pp} / tg${tg}, threads ${threadCounts.join(',')}, ${rounds} interleaved rounds; ${machineLine()}`);
const started = performance.now();

// node-llama-cpp as a user gets it: its stock addon (a custom cmake option skips the local build)
const llama = await getLlama({ gpu: false, build: 'never', cmakeOptions: STOCK });
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
// Host configurations: the engine as it loads a model by default (Shotglass's addon, flash attention
// auto), and the same on node-llama-cpp's stock addon.
const hosts = new Map<string, HostModel>();
if (!values['no-host']) {
  for (const t of threadCounts) {
    const options = { threads: t, sequences: 1, contextSize: 2048 };
    hosts.set(`host ${t}`, await startHostModel(modelPath, options));
    hosts.set(`host-stock ${t}`, await startHostModel(modelPath, options, STOCK));
  }
}

for (let r = 0; r < rounds; r++) {
  for (const t of threadCounts) {
    if (llamaBench) {
      for (const row of runLlamaBench(llamaBench, ['-m', modelPath, '-t', String(t), '-p', String(pp), '-n', String(tg), '-r', '1'])) {
        add(`llama.cpp ${row.n_prompt ? 'pp' : 'tg'} ${t}`, row.avg_ts);
      }
    }
    const stock = runDirectWorker(modelPath, t, pp, tg, r * 10 + t, STOCK);
    add(`direct-stock pp ${t}`, stock.pp);
    add(`direct-stock tg ${t}`, stock.tg);
    const direct = runDirectWorker(modelPath, t, pp, tg, r * 10 + t);
    add(`direct pp ${t}`, direct.pp);
    add(`direct tg ${t}`, direct.tg);
    for (const kind of ['host', 'host-stock']) {
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
  row('direct node-llama-cpp, stock addon', `direct-stock pp ${t}`, `direct-stock tg ${t}`);
  row('direct node-llama-cpp, Shotglass addon', `direct pp ${t}`, `direct tg ${t}`);
  row('Shotglass host, stock addon (before)', `host-stock pp ${t}`, `host-stock tg ${t}`);
  row('Shotglass host, stock addon, top-5 probabilities', '-', `host-stock top5 tg ${t}`);
  row('**Shotglass host** (Shotglass addon)', `host pp ${t}`, `host tg ${t}`);
  row('**Shotglass host, top-5 probabilities** (the default)', '-', `host top5 tg ${t}`);
}
if (defaultContext) {
  const best = Math.max(...threadCounts);
  console.log(
    `| default (${defaultContext.idealThreads}) | node-llama-cpp defaults, stock addon (LlamaCompletion) | - | ${f1(med('default tg'))} | - | ${f2(med('default tg') / med(`llama.cpp tg ${best}`))} (vs ${best} threads) |`,
  );
}
console.log('');
console.log(`medians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s`);

for (const host of hosts.values()) await host.dispose();
await defaultContext?.dispose();
await model.dispose();
