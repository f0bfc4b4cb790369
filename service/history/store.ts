// Run history in SQLite (better-sqlite3, WAL): add runs, list them newest first a page at a time
// (keyset pagination), filter by template, model and text (FTS5), open one, re-run it.
// A file at the history path that is not our database is never written to.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HistoryError, sqliteError } from './errors.js';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS } from './schema.js';
import {
  NewRunSchema,
  type Json,
  type JsonObject,
  type NewRun,
  type RerunRequest,
  type RunFilter,
  type RunKind,
  type RunMode,
  type RunPage,
  type RunRecord,
  type RunSummary,
} from './types.js';

export interface HistoryOptions {
  /** open without writing anything (no migration; the schema must be current) */
  readonly?: boolean;
  /** create the text index with FTS5 when this SQLite has it (default true); otherwise LIKE */
  fts?: boolean;
  now?: () => number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const PREVIEW_CHARS = 200;
const SQLITE_MAGIC = 'SQLite format 3\0';

const LIST_COLUMNS =
  'seq, id, created_at, kind, group_id, variant, template_id, template_version, model_path, model_sha256, mode, ' +
  'finish_reason, rating, has_probabilities, metrics, prompt_preview, output_preview';

interface SummaryRow {
  seq: number;
  id: string;
  created_at: number;
  kind: RunKind;
  group_id: string | null;
  variant: string | null;
  template_id: string | null;
  template_version: number | null;
  model_path: string;
  model_sha256: string | null;
  mode: RunMode;
  finish_reason: string;
  rating: number | null;
  has_probabilities: number;
  metrics: string;
  prompt_preview: string;
  output_preview: string;
}

interface FullRow extends SummaryRow {
  template_hash: string | null;
  notes: string | null;
  sampling: string;
  record: string;
  prompt: string;
  output: string;
}

/** The default history file inside the app's data directory. */
export const defaultHistoryPath = (userDataDir: string) => join(userDataDir, 'history.sqlite');

/**
 * Open (or create) the history database. A file that is not an SQLite database, an SQLite
 * database that is not a Shotglass history, a damaged one or one from a newer Shotglass gives a
 * HistoryError and is left exactly as it was (see moveAsideDatabase to start afresh).
 */
export function openHistory(path: string, options: HistoryOptions = {}): HistoryStore {
  checkHeader(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw sqliteError(error, 'open the run history', path);
  }
  try {
    // Reads only, until we know the file is ours.
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    const fresh = appId === 0 && version === 0 && objects === 0;
    if (appId !== APPLICATION_ID && !fresh) {
      throw new HistoryError(
        'not-a-database',
        `${path} is an SQLite database, but not a Shotglass run history. Shotglass has not changed it; choose another location for the history.`,
      );
    }
    if (version > LATEST_VERSION) {
      throw new HistoryError(
        'newer-schema',
        `The run history ${path} was made by a newer Shotglass (schema ${version}; this version knows up to ${LATEST_VERSION}). Shotglass has not changed it; update Shotglass to open it.`,
      );
    }
    db.pragma('busy_timeout = 5000');
    if (options.readonly) {
      if (version < LATEST_VERSION) {
        throw new HistoryError('read-only', `The run history ${path} needs upgrading, which cannot be done read-only.`);
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, version, { fts5: (options.fts ?? true) && hasFts5(db) });
    }
  } catch (error) {
    db.close();
    throw sqliteError(error, 'open the run history', path);
  }
  return new HistoryStore(db, path, options.now ?? Date.now);
}

function checkHeader(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // a new file
  }
  if (st.isDirectory()) {
    throw new HistoryError('not-a-database', `${path} is a folder, not a history database file.`);
  }
  if (st.size === 0) return; // SQLite treats an empty file as a new database
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, header, 0, 16, 0);
  } catch (error) {
    throw sqliteError(error, 'read the run history', path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) {
    throw new HistoryError(
      'not-a-database',
      `${path} is not a Shotglass run history (it is not an SQLite database file). Shotglass has not changed it; move it aside to start a new history, or choose another location.`,
    );
  }
}

function hasFts5(db: Database.Database): boolean {
  try {
    return (db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS on_").get() as { on_: number }).on_ === 1;
  } catch {
    return false;
  }
}

function migrate(db: Database.Database, from: number, features: { fts5: boolean }): void {
  const pending = MIGRATIONS.filter((migration) => migration.version > from);
  if (!pending.length) return;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db, features);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  }).immediate();
}

/**
 * Rename a history file that cannot be opened (and its -wal/-shm files) to
 * `<path>.damaged-<date>-<time>`, so a new history can start. Only ever on the user's request.
 * Returns the new path.
 */
export function moveAsideDatabase(path: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let target = `${path}.damaged-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.damaged-${stamp}-${n}`;
  try {
    renameSync(path, target);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
    }
  } catch (error) {
    throw sqliteError(error, `move ${path} aside`, path);
  }
  return target;
}

export class HistoryStore {
  /** whether text filters use the FTS5 index (otherwise LIKE over prompt and output) */
  readonly fts: boolean;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly now: () => number,
  ) {
    this.fts =
      hasFts5(db) && db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'runs_fts'").get() !== undefined;
  }

  /** Record a run; returns it with its id and time. */
  add(run: NewRun): RunRecord {
    const parsed = this.validate(run);
    return this.guard('save the run to history', () => this.db.transaction(() => this.insert(parsed))());
  }

  /** Record many runs in one transaction (imports, benchmarks). */
  addMany(runs: NewRun[]): number {
    const parsed = runs.map((run) => this.validate(run));
    return this.guard('save the runs to history', () =>
      this.db.transaction(() => {
        for (const run of parsed) this.insert(run);
        return parsed.length;
      })(),
    );
  }

  /** One run in full (with its token probabilities only when asked). */
  get(id: string, options: { probabilities?: boolean } = {}): RunRecord {
    return this.guard('open the run', () => {
      const row = this.statement('SELECT * FROM runs WHERE id = ?').get(id) as FullRow | undefined;
      if (!row) throw new HistoryError('not-found', `There is no run ${id} in the history.`);
      const run = toRecord(row);
      if (options.probabilities && row.has_probabilities) {
        const data = this.statement('SELECT data FROM run_probabilities WHERE seq = ?').get(row.seq) as { data: string } | undefined;
        if (data) run.probabilities = JSON.parse(data.data) as Json;
      }
      return run;
    });
  }

  /** A run's token probabilities (undefined when it has none). */
  probabilities(id: string): Json | undefined {
    return this.get(id, { probabilities: true }).probabilities;
  }

  /**
   * A page of runs, newest first. Pass the previous page's nextCursor to get the next one; the
   * filters combine (all must hold).
   */
  list(query: RunFilter & { limit?: number; cursor?: string | null } = {}): RunPage {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
    const { sql: where, params } = this.where(query);
    const conditions = [...where];
    if (query.cursor) {
      const cursor = parseCursor(query.cursor);
      conditions.push('(created_at, seq) < (?, ?)');
      params.push(cursor.createdAt, cursor.seq);
    }
    const sql =
      `SELECT ${LIST_COLUMNS} FROM runs` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ' ORDER BY created_at DESC, seq DESC LIMIT ?';
    return this.guard('list the run history', () => {
      const rows = this.statement(sql).all(...params, limit + 1) as SummaryRow[];
      const more = rows.length > limit;
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toSummary),
        nextCursor: more && last ? `${last.created_at}:${last.seq}` : null,
      };
    });
  }

  /** How many runs match (counts every match: slower than a page on big histories). */
  count(filter: RunFilter = {}): number {
    const { sql: where, params } = this.where(filter);
    const sql = `SELECT count(*) AS n FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return this.guard('count runs', () => (this.statement(sql).get(...params) as { n: number }).n);
  }

  /** Rate or annotate a run (null clears). */
  /** Create or replace a comparison (its runs are stored as runs with group_id = id). */
  putComparison(comparison: StoredComparison): void {
    this.guard('save the comparison', () => {
      this.statement(
        `INSERT INTO comparisons (id, created_at, updated_at, name, seed, spec, runs, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, name = excluded.name, spec = excluded.spec, runs = excluded.runs, verdict = excluded.verdict`,
      ).run(
        comparison.id,
        comparison.createdAt,
        this.now(),
        comparison.name,
        comparison.seed,
        JSON.stringify(comparison.spec),
        JSON.stringify(comparison.runs),
        JSON.stringify(comparison.verdict),
      );
    });
  }

  getComparison(id: string): StoredComparison {
    return this.guard('read the comparison', () => {
      const row = this.statement('SELECT * FROM comparisons WHERE id = ?').get(id) as ComparisonRow | undefined;
      if (!row) throw new HistoryError('not-found', `no comparison ${id} in the history`);
      return fromComparisonRow(row);
    });
  }

  listComparisons(limit = 50): StoredComparison[] {
    return this.guard('list comparisons', () =>
      (this.statement('SELECT * FROM comparisons ORDER BY created_at DESC LIMIT ?').all(limit) as ComparisonRow[]).map(fromComparisonRow),
    );
  }

  update(id: string, patch: { rating?: number | null; notes?: string | null }): RunRecord {
    if (patch.rating !== undefined && patch.rating !== null && !Number.isFinite(patch.rating)) {
      throw new HistoryError('invalid', 'rating must be a number');
    }
    if (typeof patch.notes === 'string' && patch.notes.length > 100_000) {
      throw new HistoryError('invalid', 'notes must be at most 100000 characters');
    }
    this.guard('update the run', () => {
      const sets: string[] = [];
      const params: unknown[] = [];
      if (patch.rating !== undefined) {
        sets.push('rating = ?');
        params.push(patch.rating);
      }
      if (patch.notes !== undefined) {
        sets.push('notes = ?');
        params.push(patch.notes);
      }
      if (!sets.length) return;
      const result = this.statement(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
      if (result.changes === 0) throw new HistoryError('not-found', `There is no run ${id} in the history.`);
    });
    return this.get(id);
  }

  /** Remove a run (and its probabilities); false if there was none. */
  delete(id: string): boolean {
    return this.guard('delete the run', () =>
      this.db.transaction(() => {
        const row = this.statement('SELECT seq FROM runs WHERE id = ?').get(id) as { seq: number } | undefined;
        if (!row) return false;
        this.statement('DELETE FROM run_probabilities WHERE seq = ?').run(row.seq);
        if (this.fts) this.statement('DELETE FROM runs_fts WHERE rowid = ?').run(row.seq);
        this.statement('DELETE FROM runs WHERE seq = ?').run(row.seq);
        return true;
      })(),
    );
  }

  /** What running a past run again needs (same template version, model, prompt, settings). */
  rerunRequest(id: string): RerunRequest {
    const run = this.get(id);
    const request: RerunRequest = {
      modelPath: run.modelPath,
      mode: run.mode,
      prompt: run.prompt,
      sampling: run.sampling,
      record: run.record,
    };
    if (run.templateId !== undefined) request.templateId = run.templateId;
    if (run.templateVersion !== undefined) request.templateVersion = run.templateVersion;
    if (run.templateHash !== undefined) request.templateHash = run.templateHash;
    if (run.modelSha256 !== undefined) request.modelSha256 = run.modelSha256;
    return request;
  }

  /** SQLite's own check of the whole file (slow on a big history: on request only). */
  checkIntegrity(): { ok: boolean; problems: string[] } {
    return this.guard('check the run history', () => {
      try {
        const rows = this.db.pragma('quick_check') as { quick_check: string }[];
        const problems = rows.map((row) => row.quick_check).filter((message) => message !== 'ok');
        return { ok: problems.length === 0, problems };
      } catch (error) {
        const code = String((error as { code?: unknown }).code ?? '');
        if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
          return { ok: false, problems: [(error as Error).message] };
        }
        throw error;
      }
    });
  }

  /** For tests and the benchmark: how SQLite runs a list query. */
  explainList(query: RunFilter & { cursor?: string | null } = {}): string[] {
    const { sql: where, params } = this.where(query);
    const conditions = [...where];
    if (query.cursor) {
      const cursor = parseCursor(query.cursor);
      conditions.push('(created_at, seq) < (?, ?)');
      params.push(cursor.createdAt, cursor.seq);
    }
    const sql =
      `EXPLAIN QUERY PLAN SELECT ${LIST_COLUMNS} FROM runs` +
      (conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ' ORDER BY created_at DESC, seq DESC LIMIT ?';
    return (this.db.prepare(sql).all(...params, 1) as { detail: string }[]).map((row) => row.detail);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ------------------------------------------------------------ internals

  private validate(run: NewRun): NewRun {
    const result = NewRunSchema.safeParse(run);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue && issue.path.length ? issue.path.join('.') : 'run';
      throw new HistoryError('invalid', `${field} ${issue?.message ?? 'is malformed'}`);
    }
    return result.data as NewRun;
  }

  private insert(run: NewRun): RunRecord {
    const record: RunRecord = { ...run, id: run.id ?? randomUUID(), createdAt: run.createdAt ?? this.now() };
    const hasProbabilities = record.probabilities !== undefined;
    const result = this.statement(
      `INSERT INTO runs (id, created_at, kind, group_id, variant, template_id, template_version, template_hash,
         model_path, model_sha256, mode, finish_reason, rating, has_probabilities, metrics, prompt_preview,
         output_preview, notes, sampling, record, prompt, output)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.id,
      record.createdAt,
      record.kind,
      record.groupId ?? null,
      record.variant ?? null,
      record.templateId ?? null,
      record.templateVersion ?? null,
      record.templateHash ?? null,
      record.modelPath,
      record.modelSha256 ?? null,
      record.mode,
      record.finishReason,
      record.rating ?? null,
      hasProbabilities ? 1 : 0,
      JSON.stringify(record.metrics),
      promptPreview(record.prompt, record.mode),
      preview(record.output),
      record.notes ?? null,
      JSON.stringify(record.sampling),
      JSON.stringify(record.record),
      record.prompt,
      record.output,
    );
    const seq = Number(result.lastInsertRowid);
    if (hasProbabilities) {
      this.statement('INSERT INTO run_probabilities (seq, data) VALUES (?, ?)').run(seq, JSON.stringify(record.probabilities));
    }
    if (this.fts) {
      this.statement('INSERT INTO runs_fts (rowid, prompt, output) VALUES (?, ?, ?)').run(
        seq,
        promptText(record.prompt, record.mode),
        record.output,
      );
    }
    return record;
  }

  private where(filter: RunFilter): { sql: string[]; params: unknown[] } {
    const sql: string[] = [];
    const params: unknown[] = [];
    const equal = (column: string, value: unknown) => {
      if (value === undefined) return;
      sql.push(`${column} = ?`);
      params.push(value);
    };
    equal('template_id', filter.templateId);
    equal('model_path', filter.modelPath);
    equal('model_sha256', filter.modelSha256);
    equal('kind', filter.kind);
    equal('group_id', filter.groupId);
    const text = filter.text?.trim();
    if (text) {
      const words = text.split(/\s+/);
      const ftsWords = words.filter((word) => /[\p{L}\p{N}]/u.test(word));
      if (this.fts && ftsWords.length === words.length) {
        // Each word matches the words that start with it; all must be present. The `+` keeps
        // SQLite from driving the query from the text index (then sorting every match, ~0.5 s for
        // a common word in 100,000 runs): it walks the time (or filter) index newest first and
        // checks each row against the set of matches, stopping at a page (see bench/history.mts).
        sql.push('+seq IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)');
        params.push(ftsWords.map((word) => `"${word.replace(/"/g, '""')}"*`).join(' '));
      } else {
        for (const word of words) {
          const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          sql.push("(prompt LIKE ? ESCAPE '\\' OR output LIKE ? ESCAPE '\\')");
          params.push(pattern, pattern);
        }
      }
    }
    return { sql, params };
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private guard<R>(action: string, fn: () => R): R {
    try {
      return fn();
    } catch (error) {
      throw sqliteError(error, action, this.path);
    }
  }
}

function parseCursor(cursor: string): { createdAt: number; seq: number } {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(cursor);
  if (!match) throw new HistoryError('invalid', 'cursor is not one this history gave out');
  return { createdAt: Number(match[1]), seq: Number(match[2]) };
}

export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_CHARS) return flat;
  let cut = flat.slice(0, PREVIEW_CHARS - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

type ChatMessage = { role?: unknown; content?: unknown };
function chatMessages(prompt: string): ChatMessage[] | undefined {
  try {
    const value = JSON.parse(prompt) as unknown;
    return Array.isArray(value) ? (value as ChatMessage[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Chat: the last user message (what the run was about); completion: the text. */
function promptPreview(prompt: string, mode: RunMode): string {
  if (mode === 'chat') {
    const messages = chatMessages(prompt);
    const last = messages?.filter((m) => m.role === 'user' && typeof m.content === 'string').pop();
    if (last) return preview(last.content as string);
  }
  return preview(prompt);
}

/** What the text index holds for a prompt: chat messages' contents, not their JSON. */
function promptText(prompt: string, mode: RunMode): string {
  if (mode === 'chat') {
    const messages = chatMessages(prompt);
    if (messages) return messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
  }
  return prompt;
}

function toSummary(row: SummaryRow): RunSummary {
  const summary: RunSummary = {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    modelPath: row.model_path,
    mode: row.mode,
    promptPreview: row.prompt_preview,
    outputPreview: row.output_preview,
    finishReason: row.finish_reason,
    metrics: JSON.parse(row.metrics) as JsonObject,
    hasProbabilities: row.has_probabilities === 1,
  };
  return Object.assign(summary, optionalColumns(row));
}

/** The nullable columns both views share, present only when set. */
function optionalColumns(row: SummaryRow): Partial<RunSummary> {
  const out: Partial<RunSummary> = {};
  if (row.group_id !== null) out.groupId = row.group_id;
  if (row.variant !== null) out.variant = row.variant;
  if (row.template_id !== null) out.templateId = row.template_id;
  if (row.template_version !== null) out.templateVersion = row.template_version;
  if (row.model_sha256 !== null) out.modelSha256 = row.model_sha256;
  if (row.rating !== null) out.rating = row.rating;
  return out;
}

function toRecord(row: FullRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    modelPath: row.model_path,
    mode: row.mode,
    prompt: row.prompt,
    sampling: JSON.parse(row.sampling) as JsonObject,
    output: row.output,
    finishReason: row.finish_reason,
    metrics: JSON.parse(row.metrics) as JsonObject,
    record: JSON.parse(row.record) as JsonObject,
  };
  Object.assign(run, optionalColumns(row));
  if (row.template_hash !== null) run.templateHash = row.template_hash;
  if (row.notes !== null) run.notes = row.notes;
  return run;
}

/** A comparison as stored: JSON the API layer defines (spec, per-run ids, verdict). */
export interface StoredComparison {
  id: string;
  createdAt: number;
  name: string;
  seed: number;
  spec: Json;
  runs: Json;
  verdict: Json;
}

interface ComparisonRow {
  id: string;
  created_at: number;
  name: string;
  seed: number;
  spec: string;
  runs: string;
  verdict: string;
}

function fromComparisonRow(row: ComparisonRow): StoredComparison {
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    seed: row.seed,
    spec: JSON.parse(row.spec) as Json,
    runs: JSON.parse(row.runs) as Json,
    verdict: JSON.parse(row.verdict) as Json,
  };
}
