// Variants in parallel (issue 3): aggregate generation tokens/s of K = 1, 2, 4 sequences on one
// context (4 sequences, like the engine's default), by four ways of driving node-llama-cpp, plus
// llama.cpp's own llama-batched-bench when --llama-bin DIR or $LLAMA_CPP_BIN points at a build.
// Also how many tokens each llama_decode carried (1 per decode = no batching at all).
//
//   npm run bench:parallel -- [--model q4_0|q8_0|FILE] [--rounds 3] [--tokens 64] [--threads 2] [--llama-bin DIR]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion, type LlamaContext, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { StepBarrier } from './decode-barrier.mjs';
import { benchModel, f1, f2, llamaTool, machineLine, median, recordBatchSizes } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'q4_0' },
    rounds: { type: 'string', default: '3' },
    tokens: { type: 'string', default: '64' },
    threads: { type: 'string', default: '2' },
    'llama-bin': { type: 'string' },
  },
});
const modelPath = values.model === 'q4_0' || values.model === 'q8_0' ? benchModel(values.model) : values.model!;
const rounds = Number(values.rounds);
const tg = Number(values.tokens);
const threads = Number(values.threads);
const ks = [1, 2, 4];
const batchedBench = llamaTool('llama-batched-bench', values['llama-bin']);

const samples = new Map<string, number[]>();
const add = (key: string, value: number) => samples.set(key, [...(samples.get(key) ?? []), value]);
const med = (key: string) => median(samples.get(key) ?? []);

console.log(`model ${modelPath}; ${tg} generated tokens per sequence, ${threads} threads, ${rounds} interleaved rounds; ${machineLine()}`);
const started = performance.now();
const llama = await getLlama({ gpu: false, build: 'never' });
const model = await llama.loadModel({ modelPath });
const common = { contextSize: 1024, sequences: 4, threads };
const plain = await model.createContext(common);
const barrier = new StepBarrier();
const barriered = await model.createContext(common);
// Alternative for K >= 2: one single-thread context per core, the runs split between them, each
// context lock-stepped; no ggml worker threads at all (nothing created per decode, no spin barriers).
const singles = [await model.createContext({ ...common, threads: 1 }), await model.createContext({ ...common, threads: 1 })];
const singleBarriers = singles.map(() => new StepBarrier());

// Sequences are kept and cleared between runs (a disposed sequence's id returns to the context asynchronously).
const pools = new Map<LlamaContext, LlamaContextSequence[]>([
  [plain, Array.from({ length: 4 }, () => plain.getSequence())],
  [barriered, Array.from({ length: 4 }, () => barriered.getSequence())],
  ...singles.map((c) => [c, Array.from({ length: 4 }, () => c.getSequence())] as [LlamaContext, LlamaContextSequence[]]),
]);

async function lockStepped(sequence: LlamaContextSequence, k: number, stepBarrier: StepBarrier): Promise<void> {
  stepBarrier.join();
  const iterator = sequence.evaluate(prompt(k), { temperature: 0, yieldEogToken: true });
  try {
    for (let n = 0; n < tg; n++) {
      await stepBarrier.step();
      if ((await iterator.next()).done) break;
    }
  } finally {
    stepBarrier.leave();
    await iterator.return();
  }
}

const prompt = (k: number): Token[] => [1 as Token, (300 + k) as Token];

type Approach = (sequences: LlamaContextSequence[]) => Promise<void>;
const SPLIT = 'two 1-thread contexts, runs split, StepBarrier each';

const approaches: Record<string, { context: LlamaContext; run: Approach }> = {
  'LlamaCompletion, default batching': {
    context: plain,
    run: async (sequences) => {
      await Promise.all(
        sequences.map(async (sequence, k) => {
          const completion = new LlamaCompletion({ contextSequence: sequence });
          await completion.generateCompletion(prompt(k), { temperature: 0, maxTokens: tg });
          completion.dispose();
        }),
      );
    },
  },
  'evaluate(), default batching': {
    context: plain,
    run: async (sequences) => {
      await Promise.all(
        sequences.map(async (sequence, k) => {
          let n = 0;
          for await (const _ of sequence.evaluate(prompt(k), { temperature: 0, yieldEogToken: true })) if (++n >= tg) break;
        }),
      );
    },
  },
  'evaluate() + StepBarrier (lock-step)': {
    context: barriered,
    run: async (sequences) => {
      await Promise.all(sequences.map((sequence, k) => lockStepped(sequence, k, barrier)));
    },
  },
  'controlledEvaluate, lock-step': {
    context: plain,
    run: async (sequences) => {
      // All sequences' tokens are queued in the same tick, so they share one decode.
      let inputs = sequences.map((_, k) => prompt(k).map((t, i, all) => (i === all.length - 1 ? ([t, { generateNext: { token: true } }] as const) : t)));
      for (let n = 0; n < tg; n++) {
        const outs = await Promise.all(sequences.map((s, k) => s.controlledEvaluate(inputs[k]! as never)));
        inputs = outs.map((out) => [[out.at(-1)!.next.token!, { generateNext: { token: true } }] as const] as never);
      }
    },
  },
};

async function runSplit(k: number): Promise<number[]> {
  // run i goes to context i % 2
  const sequences = Array.from({ length: k }, (_, i) => pools.get(singles[i % 2]!)![Math.floor(i / 2)]!);
  for (const s of sequences) await s.clearHistory();
  const recorders = singles.map((c) => recordBatchSizes(c));
  await Promise.all(sequences.map((sequence, i) => lockStepped(sequence, i, singleBarriers[i % 2]!)));
  for (const r of recorders) r.stop();
  return recorders.flatMap((r) => r.sizes);
}

for (let r = 0; r < rounds; r++) {
  for (const k of ks) {
    for (const [name, { context, run }] of [...Object.entries(approaches), [SPLIT, { context: plain, run: async () => {} }] as const]) {
      if (name === SPLIT && k === 1) continue;
      const sequences = pools.get(context)!.slice(0, k);
      for (const s of sequences) await s.clearHistory();
      const recorder = recordBatchSizes(context);
      const start = performance.now();
      const splitSizes = name === SPLIT ? await runSplit(k) : (await run(sequences), undefined);
      const ms = performance.now() - start;
      recorder.stop();
      if (splitSizes) recorder.sizes.push(...splitSizes);
      add(`${name} ${k} tps`, (k * tg * 1000) / ms);
      const perContext = name === SPLIT ? Math.ceil(k / 2) : k;
      const decodes = recorder.sizes.filter((s) => s <= perContext); // generation decodes (prompt decodes carry 2 tokens per sequence)
      add(`${name} ${k} occupancy`, decodes.reduce((a, b) => a + b, 0) / Math.max(1, decodes.length));
    }
  }
  if (batchedBench) {
    const out = execFileSync(batchedBench, ['-m', modelPath, '-c', '4096', '-b', '512', '-ub', '512', '-npp', '2', '-ntg', String(tg), '-npl', ks.join(','), '-t', String(threads), '--output-format', 'jsonl'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    for (const line of out.split('\n').filter((l) => l.startsWith('{'))) {
      const row = JSON.parse(line) as { pl: number; speed_tg: number };
      add(`llama-batched-bench ${row.pl} tps`, row.speed_tg);
    }
  }
  console.log(`round ${r + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

console.log('');
console.log('| path | ' + ks.map((k) => `${k} seq t/s`).join(' | ') + ' | ' + ks.slice(1).map((k) => `${k} vs 1`).join(' | ') + ' | tokens per decode (' + ks.join('/') + ') |');
console.log('|---|' + ks.map(() => '---|').join('') + ks.slice(1).map(() => '---|').join('') + '---|');
const names = [...(batchedBench ? ['llama-batched-bench'] : []), ...Object.keys(approaches), SPLIT];
for (const name of names) {
  const tps = ks.map((k) => med(`${name} ${k} tps`));
  const occ = name === 'llama-batched-bench' ? ks.map((k) => k) : ks.map((k) => med(`${name} ${k} occupancy`));
  console.log(`| ${name} | ${tps.map(f1).join(' | ')} | ${tps.slice(1).map((x) => f2(x / tps[0]!)).join(' | ')} | ${occ.map(f2).join(' / ')} |`);
}
console.log(`\naggregate = K x ${tg} tokens / wall time (2-token prompts included; llama-batched-bench: its S_TG); medians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s`);
await plain.dispose();
await barriered.dispose();
for (const c of singles) await c.dispose();
await model.dispose();
