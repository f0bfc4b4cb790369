// Variants in parallel (issue 3): aggregate generation tokens/s of K = 1, 2, 4 sequences on one
// context (4 sequences, like the engine's default), by several ways of driving node-llama-cpp, plus
// llama.cpp's own llama-batched-bench when --llama-bin DIR or $LLAMA_CPP_BIN points at a build.
// For each: tokens per llama_decode, and forward passes per llama_decode (llama.cpp splits a batch
// whose sequence ids do not increase by 1 into several passes: see forward-passes.mts).
//
//   npm run bench:parallel -- [--model q4_0|q8_0|FILE] [--rounds 3] [--tokens 64] [--threads 2] [--llama-bin DIR]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion, type LlamaContext, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { StepBarrier } from '../host/decode-barrier.js';
import { forwardPasses } from './forward-passes.mjs';
import { benchModel, f1, f2, llamaTool, machineLine, median, recordBatches } from './lib.mjs';

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
const context = await model.createContext(common);
// Sequences are created once (ids 0..3, in this order) and cleared between runs.
const pool = Array.from({ length: 4 }, () => context.getSequence());
// Alternative for K >= 2: one single-thread context per core, the runs split between them, each
// context lock-stepped; no ggml worker threads at all (nothing created per decode, no spin barriers).
const singles = [await model.createContext({ ...common, threads: 1 }), await model.createContext({ ...common, threads: 1 })];
const singlePools = singles.map((c) => Array.from({ length: 2 }, () => c.getSequence()));

const prompt = (k: number): Token[] => [1 as Token, (300 + k) as Token];

/** One run on `sequence` (rank = its sequence id), lock-stepped with the other runs of `barrier`. */
async function lockStepped(sequence: LlamaContextSequence, rank: number, k: number, barrier: StepBarrier): Promise<void> {
  barrier.join();
  const iterator = sequence.evaluate(prompt(k), { temperature: 0, yieldEogToken: true });
  try {
    for (let n = 0; n < tg; n++) {
      await barrier.step(rank);
      if ((await iterator.next()).done) break;
    }
  } finally {
    barrier.leave();
    await iterator.return();
  }
}

interface Approach {
  /** which sequences of the pool (by id) the K runs use */
  pick: (k: number) => number[];
  run: (sequences: LlamaContextSequence[], ids: number[]) => Promise<void>;
  contexts?: LlamaContext[];
  ks?: number[];
}
const first = (k: number) => Array.from({ length: k }, (_, i) => i);

const approaches: Record<string, Approach> = {
  'LlamaCompletion, default batching': {
    pick: first,
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
    pick: first,
    run: async (sequences) => {
      await Promise.all(
        sequences.map(async (sequence, k) => {
          let n = 0;
          for await (const _ of sequence.evaluate(prompt(k), { temperature: 0, yieldEogToken: true })) if (++n >= tg) break;
        }),
      );
    },
  },
  'evaluate() + StepBarrier, released in arrival order': {
    pick: first,
    run: async (sequences) => {
      const barrier = new StepBarrier();
      // rank 0 for all: released in the order they arrived (sampling finish order)
      await Promise.all(sequences.map((sequence, k) => lockStepped(sequence, 0, k, barrier)));
    },
  },
  'evaluate() + StepBarrier, released in sequence order': {
    pick: first,
    run: async (sequences, ids) => {
      const barrier = new StepBarrier();
      await Promise.all(sequences.map((sequence, k) => lockStepped(sequence, ids[k]!, k, barrier)));
    },
  },
  'same, on sequences 0 and 2 (ids not consecutive)': {
    pick: () => [0, 2],
    ks: [2],
    run: async (sequences, ids) => {
      const barrier = new StepBarrier();
      await Promise.all(sequences.map((sequence, k) => lockStepped(sequence, ids[k]!, k, barrier)));
    },
  },
  'controlledEvaluate, lock-step in sequence order': {
    pick: first,
    run: async (sequences) => {
      // All sequences' tokens are queued in the same tick, in sequence order: one decode, one pass.
      type Input = Parameters<LlamaContextSequence['controlledEvaluate']>[0];
      const next = (token: Token): Input[number] => [token, { generateNext: { token: true } }];
      let inputs: Input[] = sequences.map((_, k) => [prompt(k)[0]!, next(prompt(k)[1]!)]);
      for (let n = 0; n < tg; n++) {
        const outs = await Promise.all(sequences.map((s, k) => s.controlledEvaluate(inputs[k]!)));
        inputs = outs.map((out) => [next(out.at(-1)!.next.token!)]);
      }
    },
  },
  'two 1-thread contexts, runs split, StepBarrier each': {
    pick: first,
    ks: [2, 4],
    contexts: singles,
    run: async (_, ids) => {
      const barriers = singles.map(() => new StepBarrier());
      await Promise.all(
        ids.map(async (_id, i) => {
          const sequence = singlePools[i % 2]![Math.floor(i / 2)]!;
          await sequence.clearHistory();
          await lockStepped(sequence, Math.floor(i / 2), i, barriers[i % 2]!);
        }),
      );
    },
  },
};

for (let r = 0; r < rounds; r++) {
  for (const k of ks) {
    for (const [name, approach] of Object.entries(approaches)) {
      if (approach.ks && !approach.ks.includes(k)) continue;
      const ids = approach.pick(k);
      const sequences = ids.map((id) => pool[id]!);
      for (const s of sequences) await s.clearHistory();
      const recorders = (approach.contexts ?? [context]).map((c) => recordBatches(c));
      const start = performance.now();
      await approach.run(sequences, ids);
      const ms = performance.now() - start;
      for (const rec of recorders) rec.stop();
      add(`${name} ${k} tps`, (k * tg * 1000) / ms);
      // generation decodes: one token per sequence (the prompt decodes carry 2 per sequence)
      const decodes = recorders.flatMap((rec) => rec.batches).filter((b) => b.length > 0 && new Set(b).size === b.length);
      add(`${name} ${k} tokens`, decodes.reduce((a, b) => a + b.length, 0) / Math.max(1, decodes.length));
      add(`${name} ${k} passes`, decodes.reduce((a, b) => a + forwardPasses(b), 0) / Math.max(1, decodes.length));
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
      add(`llama-batched-bench ${row.pl} tokens`, row.pl);
      add(`llama-batched-bench ${row.pl} passes`, 1);
    }
  }
  console.log(`round ${r + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s; ${machineLine()})`);
}

console.log('');
console.log(`| path | ${ks.map((k) => `${k} seq t/s`).join(' | ')} | ${ks.slice(1).map((k) => `${k} vs 1`).join(' | ')} | tokens per decode (${ks.join('/')}) | forward passes per decode (${ks.join('/')}) |`);
console.log(`|---|${ks.map(() => '---|').join('')}${ks.slice(1).map(() => '---|').join('')}---|---|`);
const names = [...(batchedBench ? ['llama-batched-bench'] : []), ...Object.keys(approaches)];
const one = med(`${Object.keys(approaches)[1]} 1 tps`); // evaluate(), default batching, 1 sequence
for (const name of names) {
  const tps = ks.map((k) => med(`${name} ${k} tps`));
  const base = name === 'llama-batched-bench' ? tps[0]! : Number.isFinite(tps[0]!) ? tps[0]! : one;
  console.log(
    `| ${name} | ${tps.map(f1).join(' | ')} | ${tps.slice(1).map((x) => f2(x / base)).join(' | ')} | ${ks.map((k) => f2(med(`${name} ${k} tokens`))).join(' / ')} | ${ks.map((k) => f2(med(`${name} ${k} passes`))).join(' / ')} |`,
  );
}
console.log(
  `\naggregate = K x ${tg} tokens / wall time (2-token prompts included; llama-batched-bench: its S_TG); "vs 1" against the same path's 1-sequence figure (or evaluate()'s when the path has none); medians of ${rounds}; ${machineLine()}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
await context.dispose();
for (const c of singles) await c.dispose();
await model.dispose();
