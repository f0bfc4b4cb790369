// Run history list speed with 100,000 runs: first page, a deep page (keyset), and pages filtered
// by template, by model and by text. Prints medians; asserts nothing (a benchmark, not a test).
//
//   npx tsx bench/history.mts [--runs 100000] [--rounds 25] [--keep]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openHistory, type NewRun, type RunFilter } from '../service/history/index.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);

// ---------------------------------------------------------------- realistic runs
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const WORDS = (
  'the a model prompt answer question review movie great terrible plot actor summary text translate french ' +
  'english sentence grammar fix correct explain briefly customer support email reply polite tone bullet points ' +
  'classify sentiment positive negative neutral json format output list steps reasoning context document ' +
  'article paragraph title keywords extract names dates numbers code python function bug error test user ' +
  'assistant system instructions example input label category topic news sports weather recipe ingredients'
).split(' ');
const RARE = ['zanzibar', 'quixotic', 'xylophone', 'brouhaha', 'kerfuffle'];
const TEMPLATES = Array.from({ length: 60 }, (_, i) => `t${String(i).padStart(15, '0')}`);
const MODELS = Array.from({ length: 6 }, (_, i) => ({
  path: `/home/user/models/model-${i}-q4_k_m.gguf`,
  sha: (i.toString(16) + 'f'.repeat(63)).slice(0, 64),
}));

function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random() < 0.0005 ? pick(RARE) : pick(WORDS));
  return out.join(' ');
}

function makeRun(i: number, start: number): NewRun {
  const model = pick(MODELS);
  const templated = random() < 0.8;
  const promptText = `${sentence(8)}.\n\n${sentence(30)}\n${sentence(20)}\n\nAnswer:`;
  const output = `${sentence(25)}. ${sentence(25)}.`;
  const tokens = Math.floor(20 + random() * 200);
  return {
    // mostly in order, a few out of order (imported runs)
    createdAt: start + i * 300_000 + (random() < 0.01 ? -Math.floor(random() * 86_400_000) : 0),
    kind: random() < 0.9 ? 'single' : 'comparison',
    groupId: undefined,
    templateId: templated ? pick(TEMPLATES) : undefined,
    templateVersion: templated ? 1 + Math.floor(random() * 12) : undefined,
    modelPath: model.path,
    modelSha256: model.sha,
    mode: 'completion',
    prompt: promptText,
    sampling: { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, seed: i, maxTokens: 256, stop: [] },
    output,
    finishReason: pick(['eos', 'maxTokens', 'stop']),
    metrics: { ttftMs: 40 + random() * 100, totalMs: 500 + random() * 3000, promptTokens: 80, generatedTokens: tokens, tokensPerSecond: 20 + random() * 40 },
    record: { shotglass: '0.1.0', llamaCpp: 'b6000', backend: 'cpu', threads: 8, contextSize: 4096, seed: i },
  };
}

// ---------------------------------------------------------------- fill
const dir = mkdtempSync(join(tmpdir(), 'shotglass-bench-history-'));
const path = join(dir, 'history.sqlite');
const history = openHistory(path);
console.log(`SQLite FTS5: ${history.fts ? 'yes' : 'no (LIKE)'}; filling ${RUNS.toLocaleString('en')} runs into ${path}`);
const start = Date.UTC(2026, 0, 1);
const fillStart = performance.now();
const BATCH = 5000;
for (let i = 0; i < RUNS; i += BATCH) {
  history.addMany(Array.from({ length: Math.min(BATCH, RUNS - i) }, (_, j) => makeRun(i + j, start)));
}
const fillMs = performance.now() - fillStart;
history.close();
const sizeMb = (statSync(path).size + (statSync(path + '-wal', { throwIfNoEntry: false })?.size ?? 0)) / 1e6;
console.log(`filled in ${(fillMs / 1000).toFixed(1)} s (${Math.round(RUNS / (fillMs / 1000))} runs/s), ${sizeMb.toFixed(0)} MB`);

// ---------------------------------------------------------------- measure (a fresh connection, as at app start)
const store = openHistory(path);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

// opening the history and listing the first page, as the app does at start
{
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    times.push(
      time(() => {
        const fresh = openHistory(path);
        fresh.list({ limit: 50 });
        fresh.close();
      }),
    );
  }
  console.log(`open the database + first page: median ${median(times).toFixed(2)} ms`);
}

// a cursor 1,000 pages deep (50,000 runs in), found once by walking
let deepCursor: string | null = null;
{
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) cursor = store.list({ limit: 50, cursor }).nextCursor;
  deepCursor = cursor;
}

const cases: { name: string; filter: RunFilter & { cursor?: string | null } }[] = [
  { name: 'first page', filter: {} },
  { name: 'page 1,001 (keyset, 50,000 runs in)', filter: { cursor: deepCursor } },
  { name: 'by template (1 of 60)', filter: { templateId: TEMPLATES[7] } },
  { name: 'by model path (1 of 6)', filter: { modelPath: MODELS[2]!.path } },
  { name: 'by model sha256', filter: { modelSha256: MODELS[4]!.sha } },
  { name: 'text, common word ("sentiment")', filter: { text: 'sentiment' } },
  { name: 'text, two words ("french grammar")', filter: { text: 'french grammar' } },
  { name: 'text, prefix ("transl")', filter: { text: 'transl' } },
  { name: 'text, rare word ("zanzibar")', filter: { text: 'zanzibar' } },
  { name: 'text, no match ("nowhere")', filter: { text: 'nowhere' } },
  { name: 'template + text', filter: { templateId: TEMPLATES[7], text: 'review' } },
  { name: 'open one run (get)', filter: {} },
];

console.log(`\n| query (page of 50) | matches | median ms | p90 ms |\n|---|---|---|---|`);
for (const { name, filter } of cases) {
  const times: number[] = [];
  let matches = '';
  if (name.startsWith('open')) {
    const ids = store.list({ limit: 50, cursor: deepCursor }).items.map((item) => item.id);
    for (let r = 0; r < ROUNDS; r++) times.push(time(() => store.get(ids[r % ids.length]!)));
    matches = '1';
  } else {
    store.list({ ...filter, limit: 50 }); // warm the statement
    for (let r = 0; r < ROUNDS; r++) times.push(time(() => store.list({ ...filter, limit: 50 })));
    const { cursor: _cursor, ...countFilter } = filter;
    matches = store.count(countFilter).toLocaleString('en');
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p90 = sorted[Math.floor(sorted.length * 0.9)] as number;
  console.log(`| ${name} | ${matches} | ${median(times).toFixed(2)} | ${p90.toFixed(2)} |`);
}
store.close();
if (args.keep) console.log(`\nkept ${path}`);
else rmSync(dir, { recursive: true, force: true });
