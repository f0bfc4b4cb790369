// Issue 5's target: a 4-variant same-model comparison finishes in at most 1.6x the wall time of one
// variant alone. Through the real backend and inference host (createService + spawnNodeHost): the
// sentiment few-shot starter rendered with prepareRun as the app does (its stop string cleared, a
// fixed output budget; --keep-stop keeps it, as a user's classification run would), each variant run alone as a user's single run (startCompletion: a
// comparison needs 2+ variants) and all 4 as one comparison (startComparison). Wall time is from
// the API call to the last run.end event; rounds interleaved; every measurement starts cold (a
// fresh context, through setAdapters with no adapters, so no sequence holds a cached prefix). The
// host runs from a copy of dist/node/host.mjs taken at the start (others may rebuild meanwhile).
// Variants: `sweep` = temperature 0 / 0.4 / 0.8 / 1.2, same seed; `same` = 4 x temperature 0.
// --trace also records every llama_decode in the host (bench/compare-lib.mts): tokens per decode,
// forward passes, time in decodes.
//   npm run build:node && npx tsx bench/compare.mts [--model demo|q4_0|FILE]... [--tokens 64]
//     [--rounds 3] [--threads N (default: the host's own choice)] [--variants sweep|same] [--keep-stop] [--trace]
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServiceEvent, CompletionResult, ComparisonVariant, Sampling } from '../core/api/contract.js';
import { createService } from '../service/service.js';
import type { Service } from '../service/types.js';
import { defaultDemoModelPath, defaultHostEntry, spawnNodeHost } from '../service/inference/node-host.js';
import { prepareRun } from '../core/prompt/run.js';
import { starterTemplate } from '../core/prompt/starters.js';
import { ensureBenchModel } from '../build/gguf/bench-model.js';
import { quantile, readDecodes, summarize, type DecodeSummary } from './compare-lib.mjs';
import { f1, f2, median } from './lib.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true, default: ['q4_0', 'demo'] },
    tokens: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0' },
    variants: { type: 'string', default: 'sweep' },
    trace: { type: 'boolean', default: false },
    'keep-stop': { type: 'boolean', default: false },
  },
});
const tokens = Number(values.tokens);
const rounds = Number(values.rounds);
const threads = Number(values.threads);
const temperatures = values.variants === 'same' ? [0, 0, 0, 0] : [0, 0.4, 0.8, 1.2];
const SEED = 42;
const f0 = (x: number) => x.toFixed(0);
const load = () => loadavg().map(f2).join(' ');
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const plan = (() => {
  const prepared = prepareRun(starterTemplate('sentiment-few-shot')!, {}, { samplingOverrides: { maxTokens: tokens, seed: SEED, ...(values['keep-stop'] ? {} : { stop: [] }) } });
  if (!prepared.ok) throw new Error(prepared.error);
  return prepared.plan;
})();
const samplingOf = (t: number): Sampling => ({ ...plan.sampling, temperature: t });

function modelPath(name: string): string {
  if (name === 'demo') return defaultDemoModelPath();
  if (name === 'q4_0' || name === 'q8_0') return ensureBenchModel(name, { log: (line) => console.error(line) });
  return name;
}

interface Measured {
  wallMs: number;
  /** until every run has streamed its first token (client side) */
  firstTokenMs: number;
  results: CompletionResult[];
  /** each run's first token, from the API call (client side) */
  firstTokens: number[];
  decodes?: DecodeSummary;
}

/** Start runs and wait for every one to end, timing from the call to the last run.end. */
async function measure(backend: Service, traceFile: string | undefined, start: () => Promise<string[]>): Promise<Measured> {
  const first = new Map<string, number>();
  const ended = new Map<string, { at: number; result?: CompletionResult; error?: string }>();
  let wake = () => {};
  const off = backend.onEvent((e: ServiceEvent) => {
    const at = performance.now();
    if (e.type === 'run.delta' && e.steps.length && !first.has(e.runId)) first.set(e.runId, at);
    if (e.type === 'run.end') ended.set(e.runId, { at, result: e.result });
    if (e.type === 'run.error') ended.set(e.runId, { at, error: e.error.message });
    wake();
  });
  const traced = traceFile ? readDecodes(traceFile, 0).length : 0;
  const t0 = performance.now();
  const ids = await start();
  while (!ids.every((id) => ended.has(id))) await new Promise<void>((r) => (wake = r));
  off();
  const ends = ids.map((id) => ended.get(id)!);
  const failed = ends.find((e) => e.error);
  if (failed) throw new Error(failed.error);
  return {
    wallMs: Math.max(...ends.map((e) => e.at)) - t0,
    firstTokenMs: Math.max(...ids.map((id) => first.get(id) ?? NaN)) - t0,
    results: ends.map((e) => e.result!),
    firstTokens: ids.map((id) => (first.get(id) ?? NaN) - t0),
    ...(traceFile ? { decodes: summarize(readDecodes(traceFile, traced)) } : {}),
  };
}

const variant = (modelId: string, i: number, sampling: Sampling): ComparisonVariant => ({
  id: `v${i}`,
  label: `T ${sampling.temperature}`,
  modelId,
  input: plan.input,
  sampling,
});

async function benchModelFile(path: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-compare-'));
  const traceFile = values.trace ? join(dataDir, 'decodes.jsonl') : undefined;
  const backend = createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(hostEntry, { ...process.env, SHOTGLASS_GPU: 'cpu', ...(traceFile ? { SHOTGLASS_BENCH_TRACE: traceFile } : {}) }),
    version: 'bench',
    dataDir,
  });
  try {
    const model = await backend.api.openModel({ path });
    await backend.api.loadModel({ modelId: model.id, options: threads ? { threads } : {} });
    const nativeAddon = (await backend.api.getSystemInfo({}) as { nativeAddon?: string }).nativeAddon ?? 'stock (no nativeAddon field)';
    const alone = (t: number) =>
      measure(backend, traceFile, async () => [
        (await backend.api.startCompletion({ modelId: model.id, input: plan.input, sampling: samplingOf(t), templateHash: plan.templateHash })).runId,
      ]);
    const comparison = () =>
      measure(backend, traceFile, async () => {
        const variants = temperatures.map((t, i) => variant(model.id, i, samplingOf(t)));
        return (await backend.api.startComparison({ spec: { name: 'bench', variants, seed: SEED } })).runs.map((r) => r.runId);
      });
    // A new context (the weights stay loaded): no sequence holds a cached prefix.
    const cold = () => backend.api.setAdapters({ modelId: model.id, adapters: [] });

    await comparison(); // warm-up (page in the weights, first decodes), untimed
    const singles: Measured[][] = temperatures.map(() => []);
    const comparisons: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      const doSingles = async () => {
        for (const [i, t] of temperatures.entries()) {
          await cold();
          singles[i]!.push(await alone(t));
        }
      };
      const doComparison = async () => {
        await cold();
        comparisons.push(await comparison());
      };
      if (r % 2) await doComparison().then(doSingles);
      else await doSingles().then(doComparison);
      console.error(`  round ${r + 1}/${rounds} done, load average ${load()}`);
    }
    return report(path, nativeAddon, singles, comparisons);
  } finally {
    await backend.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const distinct = <T,>(xs: readonly T[]) => [...new Set(xs)].join('/');

function report(path: string, nativeAddon: string, singles: Measured[][], comparisons: Measured[]) {
  const n = comparisons.length;
  // The baseline: the single run of the variant with the most output tokens in that round's
  // comparison (the first such variant; v0 is the template's own temperature 0).
  const baseline = comparisons.map((c) => {
    const counts = c.results.map((x) => x.metrics.generatedTokens);
    return counts.indexOf(Math.max(...counts));
  });
  const rows = Array.from({ length: n }, (_, r) => {
    const b = singles[baseline[r]!]![r]!;
    const c = comparisons[r]!;
    const t1 = b.results[0]!.metrics.generatedTokens;
    const t4 = sum(c.results.map((x) => x.metrics.generatedTokens));
    return {
      wall1: b.wallMs,
      wall4: c.wallMs,
      ratio: c.wallMs / b.wallMs,
      sequential: c.wallMs / sum(singles.map((s) => s[r]!.wallMs)),
      agg1: (t1 * 1000) / b.wallMs,
      agg4: (t4 * 1000) / c.wallMs,
      ttft1: b.firstTokenMs,
      ttft4: c.firstTokenMs,
      t1,
      t4,
    };
  });
  const med = (k: keyof (typeof rows)[number]) => median(rows.map((row) => row[k]));
  const first = comparisons[0]!.results[0]!;
  console.log(
    `\n### ${basename(path)} (${(statSync(path).size / 1e6).toFixed(1)} MB, ${first.record.model.quantization}), ` +
      `${first.record.runtime.threads} thread(s), ${first.metrics.promptTokens} prompt tokens, medians of ${n} rounds\n`,
  );
  console.log(`runtime ${JSON.stringify(first.record.runtime)}, native addon: ${nativeAddon}\n`);
  console.log("| variant | alone: tokens | finish | TTFT ms | t/s | wall ms | in comparison: tokens | finish | TTFT ms | t/s | host's evaluatedPromptTokens alone / in comparison |");
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  temperatures.forEach((t, i) => {
    const a = singles[i]!.map((m) => m.results[0]!);
    const ttftAlone = median(singles[i]!.map((m) => m.firstTokens[0]!));
    const ttftIn = median(comparisons.map((m) => m.firstTokens[i]!));
    const c = comparisons.map((m) => m.results[i]!);
    const m = (xs: CompletionResult[], pick: (r: CompletionResult['metrics']) => number) => median(xs.map((x) => pick(x.metrics)));
    console.log(
      `| v${i} T ${t} | ${distinct(a.map((x) => x.metrics.generatedTokens))} | ${distinct(a.map((x) => x.finishReason))} | ` +
        `${f0(ttftAlone)} | ${f1(m(a, (x) => x.tokensPerSecond))} | ${f0(median(singles[i]!.map((x) => x.wallMs)))} | ` +
        `${distinct(c.map((x) => x.metrics.generatedTokens))} | ${distinct(c.map((x) => x.finishReason))} | ` +
        `${f0(ttftIn)} | ${f1(m(c, (x) => x.tokensPerSecond))} | ` +
        `${distinct(a.map((x) => x.metrics.evaluatedPromptTokens))} / ${distinct(c.map((x) => x.metrics.evaluatedPromptTokens))} |`,
    );
  });
  console.log(
    `\nper round: 1 variant ${rows.map((r) => f0(r.wall1)).join(', ')} ms; 4 variants ${rows.map((r) => f0(r.wall4)).join(', ')} ms; ` +
      `ratio ${rows.map((r) => f2(r.ratio)).join(', ')}; baseline variant ${baseline.map((b) => `v${b}`).join(', ')}`,
  );
  if (comparisons[0]!.decodes) {
    console.log('\n| run | prompt decodes | prompt tokens | prompt decode ms | generation decodes | tokens per decode | forward passes per decode | ms per decode: mean | p10 / p50 / p90, all rounds | decodes / wall ms |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    const line = (label: string, ms: Measured[]) => {
      const d = (pick: (s: DecodeSummary) => number) => median(ms.map((x) => pick(x.decodes!)));
      const pooled = ms.flatMap((x) => x.decodes!.genDecodeMs);
      console.log(
        `| ${label} | ${d((s) => s.promptDecodes)} | ${d((s) => s.promptTokens)} | ${f0(d((s) => s.promptMs))} | ${d((s) => s.genDecodes)} | ` +
          `${f2(d((s) => s.genTokens / s.genDecodes))} | ${f2(d((s) => s.genPasses / s.genDecodes))} | ${f1(d((s) => s.genMs / s.genDecodes))} | ` +
          `${[0.1, 0.5, 0.9].map((q) => f1(quantile(pooled, q))).join(' / ')} | ` +
          `${f0(d((s) => s.promptMs + s.genMs))} / ${f0(median(ms.map((x) => x.wallMs)))} |`,
      );
    };
    line(`1 variant (v${baseline[0]})`, baseline.map((b, r) => singles[b]![r]!));
    line('4 variants', comparisons);
  }
  return (
    `| ${basename(path)} | ${values.variants} | ${first.record.runtime.threads} | ${first.metrics.promptTokens} | ${f0(med('wall1'))} | ${f0(med('wall4'))} | ` +
    `**${f2(med('ratio'))}** | ${f2(med('sequential'))} | ${f1(med('agg1'))} / ${f1(med('agg4'))} | ${f0(med('ttft1'))} / ${f0(med('ttft4'))} | ${med('t1')} / ${med('t4')} |`
  );
}

const t0 = performance.now();
console.log(`npx tsx bench/compare.mts ${process.argv.slice(2).join(' ')}`);
console.log(`${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${load()}`);
console.log(`sentiment few-shot starter, ${tokens} tokens max, no stop strings, temperatures ${temperatures.join(' / ')}, seed ${SEED}, ` +
  `top-5 probabilities (the app's default), ${rounds} rounds`);
if (values.trace) process.execArgv.push('--import', pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), 'compare-lib.mts')).href);
// A private copy of the host bundle: a rebuild of dist/node during the run does not change the engine measured.
const hostEntry = join(dirname(defaultHostEntry()), `host.compare-${process.pid}.mjs`);
copyFileSync(defaultHostEntry(), hostEntry);
process.on('exit', () => rmSync(hostEntry, { force: true }));
console.log(`host bundle ${defaultHostEntry()} of ${statSync(defaultHostEntry()).mtime.toISOString()}`);
const lines: string[] = [];
for (const name of values.model!) {
  const path = modelPath(name);
  console.error(`${path} ...`);
  // (the backend's errors carry tsx's data: URLs in their stacks: print the message only)
  lines.push(await benchModelFile(path).catch((error: Error) => (console.error(`${path}: ${error.message}`), process.exit(1))));
}
console.log('\n| model | variants | threads | prompt tokens | 1 variant wall ms | 4 variants wall ms | ratio 4/1 | 4 variants / 4 alone in sequence | aggregate t/s 1 / 4 (wall, prompt included) | TTFT ms 1 / 4 (last variant) | output tokens 1 / 4 |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const line of lines) console.log(line);
console.log(`\nload average ${load()} at the end; ${f0((performance.now() - t0) / 1000)} s in all`);
