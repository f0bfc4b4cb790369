// Run history on a real SQLite file: records, keyset pages, filters (FTS5 and the LIKE
// fallback), migrations, and files that are not (or no longer) a history.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HistoryError,
  HISTORY_SCHEMA_VERSION,
  moveAsideDatabase,
  openHistory,
  type HistoryStore,
  type NewRun,
  type RunSummary,
} from '../../../service/history/index.js';
import { canMount, mountTmpfs, remount, tempDir, unmount } from '../library/fs-helpers.js';

let dir: string;
let path: string;
let store: HistoryStore;

const run = (over: Partial<NewRun> = {}): NewRun => ({
  kind: 'single',
  modelPath: '/models/demo.gguf',
  modelSha256: 'a'.repeat(64),
  mode: 'completion',
  prompt: 'Q: This movie sucks!\nA:',
  sampling: { temperature: 0.8, topK: 40, seed: 1 },
  output: ' Negative.',
  finishReason: 'stop',
  metrics: { ttftMs: 12, totalMs: 80, promptTokens: 9, generatedTokens: 3, tokensPerSecond: 40 },
  record: { shotglass: '0.1.0', backend: 'cpu' },
  ...over,
});

function rejects(fn: () => unknown): HistoryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryError);
    return error as HistoryError;
  }
  throw new Error('expected a HistoryError');
}

const fileHash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Every page of a query, walked with the cursors. */
function walk(s: HistoryStore, query: Parameters<HistoryStore['list']>[0] = {}, limit = 7): RunSummary[] {
  const out: RunSummary[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = s.list({ ...query, limit, cursor });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

beforeEach(() => {
  dir = tempDir('shotglass-history-');
  path = join(dir, 'history.sqlite');
  store = openHistory(path);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runs', () => {
  it('stores every field and gives it back; probabilities only when asked', () => {
    expect(store.fts).toBe(true);
    const probabilities = { tokens: [{ id: 5, p: 0.9, top: [{ id: 6, p: 0.05 }] }] };
    const added = store.add(
      run({
        kind: 'comparison',
        groupId: 'cmp-1',
        variant: 'B',
        templateId: 'tabc',
        templateVersion: 3,
        templateHash: 'f'.repeat(64),
        probabilities,
        rating: 4,
        notes: 'better than A',
      }),
    );
    expect(added.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof added.createdAt).toBe('number');
    const { probabilities: _p, ...withoutProbabilities } = added;
    expect(store.get(added.id)).toEqual(withoutProbabilities);
    expect(store.get(added.id, { probabilities: true })).toEqual(added);
    expect(store.probabilities(added.id)).toEqual(probabilities);

    const [summary] = store.list().items;
    expect(summary).toEqual({
      id: added.id,
      createdAt: added.createdAt,
      kind: 'comparison',
      groupId: 'cmp-1',
      variant: 'B',
      templateId: 'tabc',
      templateVersion: 3,
      modelPath: '/models/demo.gguf',
      modelSha256: 'a'.repeat(64),
      mode: 'completion',
      promptPreview: 'Q: This movie sucks! A:',
      outputPreview: 'Negative.',
      finishReason: 'stop',
      metrics: added.metrics,
      rating: 4,
      hasProbabilities: true,
    });

    const plain = store.add(run());
    expect(store.get(plain.id)).toEqual(plain); // absent optional fields stay absent
    expect(store.rerunRequest(added.id)).toEqual({
      templateId: 'tabc',
      templateVersion: 3,
      templateHash: 'f'.repeat(64),
      modelPath: '/models/demo.gguf',
      modelSha256: 'a'.repeat(64),
      mode: 'completion',
      prompt: added.prompt,
      sampling: added.sampling,
      record: added.record,
    });
  });

  it('previews: white space collapsed, long text cut, chat shows the last user message', () => {
    const long = store.add(run({ prompt: 'word '.repeat(100), output: 'é'.repeat(500) }));
    const chat = store.add(
      run({
        mode: 'chat',
        prompt: JSON.stringify([
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: 'Translate\n  "bonjour"' },
        ]),
      }),
    );
    const byId = new Map(store.list().items.map((s) => [s.id, s]));
    expect(byId.get(long.id)?.promptPreview).toHaveLength(200);
    expect(byId.get(long.id)?.promptPreview.endsWith('…')).toBe(true);
    expect(byId.get(long.id)?.outputPreview).toBe('é'.repeat(199) + '…');
    expect(byId.get(chat.id)?.promptPreview).toBe('Translate "bonjour"');
    // the chat's text is searchable by its contents, not by the JSON around them
    expect(store.list({ text: 'bonjour' }).items.map((s) => s.id)).toEqual([chat.id]);
    expect(store.list({ text: 'role' }).items).toEqual([]);
  });

  it('rates, annotates and deletes runs', () => {
    const a = store.add(run({ probabilities: [0.5], output: 'unique-word' }));
    expect(store.update(a.id, { rating: 5, notes: 'good' })).toMatchObject({ rating: 5, notes: 'good' });
    expect(store.update(a.id, { rating: null })).not.toHaveProperty('rating');
    expect(store.delete(a.id)).toBe(true);
    expect(store.delete(a.id)).toBe(false);
    expect(rejects(() => store.get(a.id))).toMatchObject({ problem: 'not-found', code: 'not-found' });
    expect(rejects(() => store.update(a.id, { rating: 1 })).problem).toBe('not-found');
    expect(store.list({ text: 'unique' }).items).toEqual([]);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM run_probabilities').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses malformed runs with the field in words', () => {
    const bad = rejects(() => store.add({ ...run(), kind: 'other' as never }));
    expect(bad).toMatchObject({ problem: 'invalid', code: 'invalid-argument' });
    expect(bad.message).toMatch(/^kind /);
    expect(rejects(() => store.add({ ...run(), sampling: [] as never })).message).toBe('sampling must be a JSON object');
    expect(rejects(() => store.add({ ...run(), metrics: { x: () => 1 } as never })).message).toMatch(/^metrics\.x /);
    expect(rejects(() => store.list({ cursor: 'garbage' })).message).toBe('cursor is not one this history gave out');
    expect(store.list().items).toEqual([]);
  });
});

describe('pages and filters', () => {
  it('keyset pages walk every run once, newest first, ties included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (times, limit) => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
        dir = tempDir('shotglass-history-');
        path = join(dir, 'history.sqlite');
        store = openHistory(path);
        const added = times.map((createdAt, i) => store.add(run({ createdAt, id: `r${i}` })));
        const expected = added
          .map((r, seq) => ({ id: r.id, createdAt: r.createdAt, seq }))
          .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
          .map((r) => r.id);
        expect(walk(store, {}, limit).map((s) => s.id)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('filters by template, model, kind, group and text, and pages through the filtered list', () => {
    const runs: NewRun[] = [];
    for (let i = 0; i < 120; i++) {
      runs.push(
        run({
          createdAt: 1_000_000 + i * 1000,
          templateId: i % 3 === 0 ? 'tsentiment' : i % 3 === 1 ? 'ttranslate' : undefined,
          modelPath: i % 2 ? '/models/a.gguf' : '/models/b.gguf',
          modelSha256: i % 2 ? 'a'.repeat(64) : 'b'.repeat(64),
          kind: i % 10 === 0 ? 'evaluation' : 'single',
          groupId: i % 10 === 0 ? 'eval-1' : undefined,
          prompt: i % 4 === 0 ? `Traduis en français : crème brûlée numéro ${i}` : `Review ${i}: the plot was dull`,
          output: i % 5 === 0 ? 'Positive sentiment' : 'Negative',
        }),
      );
    }
    expect(store.addMany(runs)).toBe(120);
    const ids = (query: Parameters<HistoryStore['list']>[0]) => walk(store, query).map((s) => s.createdAt);
    const expected = (keep: (i: number) => boolean) =>
      Array.from({ length: 120 }, (_, i) => i)
        .filter(keep)
        .reverse()
        .map((i) => 1_000_000 + i * 1000);

    expect(ids({ templateId: 'tsentiment' })).toEqual(expected((i) => i % 3 === 0));
    expect(ids({ modelPath: '/models/a.gguf' })).toEqual(expected((i) => i % 2 === 1));
    expect(ids({ modelSha256: 'b'.repeat(64) })).toEqual(expected((i) => i % 2 === 0));
    expect(ids({ kind: 'evaluation' })).toEqual(expected((i) => i % 10 === 0));
    expect(ids({ groupId: 'eval-1' })).toEqual(expected((i) => i % 10 === 0));
    // text: words in prompt or output, prefixes, accents ignored, all words required
    expect(ids({ text: 'creme brulee' })).toEqual(expected((i) => i % 4 === 0));
    expect(ids({ text: 'Trad' })).toEqual(expected((i) => i % 4 === 0));
    expect(ids({ text: 'positive' })).toEqual(expected((i) => i % 5 === 0));
    expect(ids({ text: 'dull positive' })).toEqual(expected((i) => i % 4 !== 0 && i % 5 === 0));
    expect(ids({ text: 'sentiment', templateId: 'ttranslate', modelPath: '/models/a.gguf' })).toEqual(
      expected((i) => i % 5 === 0 && i % 3 === 1 && i % 2 === 1),
    );
    expect(ids({ text: '"quoted" OR NOT' })).toEqual([]); // FTS syntax in user text is just words
    expect(ids({ text: ':' })).toEqual(expected(() => true)); // punctuation only: LIKE
    expect(store.count({ templateId: 'tsentiment', text: 'dull' })).toBe(expected((i) => i % 3 === 0 && i % 4 !== 0).length);

    // the list never reads the big columns: SQLite walks an index, newest first
    expect(store.explainList({ templateId: 'x', cursor: '5:5' }).join(' ')).toMatch(/USING INDEX runs_by_template \(template_id=\? AND created_at<\?\)/);
    expect(store.explainList({ text: 'x' }).join(' ')).toMatch(/SCAN runs USING INDEX runs_by_time/);
  });

  it('falls back to LIKE when FTS5 is not used, with the same answers', () => {
    store.close();
    rmSync(path);
    store = openHistory(path, { fts: false });
    expect(store.fts).toBe(false);
    store.add(run({ createdAt: 1, prompt: 'Translate: cheese', output: 'fromage' }));
    store.add(run({ createdAt: 2, prompt: 'Summarize: news', output: '100% sure_thing' }));
    expect(store.list({ text: 'fromage' }).items.map((s) => s.createdAt)).toEqual([1]);
    expect(store.list({ text: 'translate CHEESE' }).items.map((s) => s.createdAt)).toEqual([1]);
    expect(store.list({ text: '100%' }).items.map((s) => s.createdAt)).toEqual([2]);
    expect(store.list({ text: '_' }).items.map((s) => s.createdAt)).toEqual([2]);
  });
});

describe('the database file', () => {
  it('is marked as a Shotglass history at the current schema, and reopens without changes', () => {
    store.add(run());
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(HISTORY_SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(0x53474c48);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    store = openHistory(path);
    expect(store.list().items).toHaveLength(1);
  });

  it('never writes to a file that is not a history', () => {
    store.close();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my notes, not a database\n'.repeat(100));
    const before = fileHash(notes);
    const error = rejects(() => openHistory(notes));
    expect(error).toMatchObject({ problem: 'not-a-database', code: 'invalid-argument' });
    expect(error.message).toBe(
      `${notes} is not a Shotglass run history (it is not an SQLite database file). Shotglass has not changed it; move it aside to start a new history, or choose another location.`,
    );
    expect(fileHash(notes)).toBe(before);

    const other = join(dir, 'other-app.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts (name) VALUES (\'x\');');
    db.close();
    const otherBefore = fileHash(other);
    expect(rejects(() => openHistory(other)).message).toMatch(/is an SQLite database, but not a Shotglass run history/);
    expect(fileHash(other)).toBe(otherBefore);
    expect(existsSync(other + '-wal')).toBe(false);

    expect(rejects(() => openHistory(dir)).message).toMatch(/is a folder, not a history database file/);
  });

  it('refuses a history from a newer Shotglass, unchanged', () => {
    store.add(run());
    store.close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = fileHash(path);
    const error = rejects(() => openHistory(path));
    expect(error.problem).toBe('newer-schema');
    expect(error.message).toContain(`was made by a newer Shotglass (schema 99; this version knows up to ${HISTORY_SCHEMA_VERSION}). Shotglass has not changed it`);
    expect(fileHash(path)).toBe(before);
  });

  it('reports a damaged history clearly, and moves it aside only when asked', () => {
    for (let i = 0; i < 300; i++) store.add(run({ output: `output ${i} `.repeat(50) }));
    store.close(); // checkpoints the WAL into the file
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 100, 4096); // page 1: the schema
    writeFileSync(path, bytes);
    const before = fileHash(path);
    const error = rejects(() => openHistory(path));
    expect(error.problem).toBe('corrupt');
    expect(error.message).toMatch(/^Could not open the run history: the history database .* is damaged \(SQLite: .*\)\. Shotglass has not changed it; you can move it aside/);
    expect(fileHash(path)).toBe(before);

    const aside = moveAsideDatabase(path, new Date('2026-11-23T10:15:02Z'));
    expect(aside).toBe(`${path}.damaged-20261123-101502`);
    expect(fileHash(aside)).toBe(before);
    expect(existsSync(path)).toBe(false);
    store = openHistory(path);
    expect(store.list().items).toEqual([]);
  });

  it('finds damage inside the data on request', () => {
    for (let i = 0; i < 400; i++) store.add(run({ output: `output ${i} `.repeat(50) }));
    store.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, bytes.length - 40_000, bytes.length - 20_000);
    writeFileSync(path, bytes);
    store = openHistory(path);
    const check = store.checkIntegrity();
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
  });
});

const mountable = canMount();

describe.skipIf(!mountable)('real file-system failures (tmpfs, as root)', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = tempDir('shotglass-history-tmpfs-');
  });
  afterEach(() => {
    try {
      unmount(mnt);
    } catch {
      // not mounted
    }
    rmSync(mnt, { recursive: true, force: true });
  });

  it('a full disk: the error says so, the runs saved before are intact', () => {
    mountTmpfs(mnt, '1m');
    const full = openHistory(join(mnt, 'history.sqlite'));
    const saved: string[] = [];
    let error: HistoryError | undefined;
    for (let i = 0; i < 10_000 && !error; i++) {
      try {
        saved.push(full.add(run({ output: `output ${i} `.repeat(200) })).id);
      } catch (caught) {
        error = caught as HistoryError;
      }
    }
    expect(error).toBeInstanceOf(HistoryError);
    expect(error?.problem).toBe('disk-full');
    expect(error?.message).toBe('The disk is full: could not save the run to history. The history saved before is intact.');
    full.close();
    const reopened = openHistory(join(mnt, 'history.sqlite'), { readonly: true });
    expect(reopened.count()).toBe(saved.length);
    expect(reopened.get(saved[saved.length - 1]!).output).toContain(`output ${saved.length - 1}`);
    reopened.close();
  });

  it('a read-only folder: a clear error, nothing created', () => {
    mountTmpfs(mnt, '1m');
    remount(mnt, 'ro');
    const error = rejects(() => openHistory(join(mnt, 'history.sqlite')));
    expect(error.problem).toBe('read-only');
    expect(error.message).toMatch(/cannot be written \(read-only file or folder\?\)/);
  });
});

describe('comparisons', () => {
  it('are stored, updated and listed; a version-1 history upgrades in place keeping its runs', () => {
    const kept = store.add(run({ kind: 'comparison', groupId: 'c1', variant: 'a#0' }));
    store.putComparison({ id: 'c1', createdAt: 5, name: 'first', seed: 9, spec: { variants: [] }, runs: [{ runId: 'r' }], verdict: {} });
    store.putComparison({ id: 'c1', createdAt: 5, name: 'renamed', seed: 9, spec: { variants: [] }, runs: [{ runId: 'r' }], verdict: { winner: 'a' } });
    expect(store.getComparison('c1')).toMatchObject({ name: 'renamed', seed: 9, verdict: { winner: 'a' } });
    expect(store.listComparisons().map((c) => c.id)).toEqual(['c1']);
    expect(() => store.getComparison('nope')).toThrow(/no comparison nope/);
    store.close();

    // Make it a history from before comparisons existed, then open it again.
    const db = new Database(path);
    db.exec('DROP TABLE comparisons; PRAGMA user_version = 1;');
    db.close();
    store = openHistory(path);
    expect(store.get(kept.id).groupId).toBe('c1');
    expect(store.listComparisons()).toEqual([]);
    store.putComparison({ id: 'c2', createdAt: 1, name: 'after upgrade', seed: 1, spec: {}, runs: [], verdict: {} });
    expect(store.getComparison('c2').name).toBe('after upgrade');
  });
});
