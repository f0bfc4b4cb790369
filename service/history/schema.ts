// The history database's schema, as numbered migrations (PRAGMA user_version is the number of
// the last one applied). Append migrations; never edit one that has shipped.
import type Database from 'better-sqlite3';

/** 'SGLH' in the SQLite header's application_id: this file is a Shotglass history. */
export const APPLICATION_ID = 0x53474c48;

export interface Migration {
  version: number;
  up(db: Database.Database, features: { fts5: boolean }): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    up(db, { fts5 }) {
      // Small columns first and the big texts last: SQLite reads a row's columns in order, so the
      // list (which stops at output_preview) never touches the overflow pages of long prompts.
      db.exec(`
        CREATE TABLE runs (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('single', 'comparison', 'evaluation')),
          group_id TEXT,
          variant TEXT,
          template_id TEXT,
          template_version INTEGER,
          template_hash TEXT,
          model_path TEXT NOT NULL,
          model_sha256 TEXT,
          mode TEXT NOT NULL CHECK (mode IN ('completion', 'chat')),
          finish_reason TEXT NOT NULL,
          rating REAL,
          has_probabilities INTEGER NOT NULL DEFAULT 0,
          metrics TEXT NOT NULL,
          prompt_preview TEXT NOT NULL,
          output_preview TEXT NOT NULL,
          notes TEXT,
          sampling TEXT NOT NULL,
          record TEXT NOT NULL,
          prompt TEXT NOT NULL,
          output TEXT NOT NULL
        );
        CREATE INDEX runs_by_time ON runs (created_at, seq);
        CREATE INDEX runs_by_template ON runs (template_id, created_at, seq) WHERE template_id IS NOT NULL;
        CREATE INDEX runs_by_model_path ON runs (model_path, created_at, seq);
        CREATE INDEX runs_by_model_sha ON runs (model_sha256, created_at, seq) WHERE model_sha256 IS NOT NULL;
        CREATE INDEX runs_by_group ON runs (group_id, created_at, seq) WHERE group_id IS NOT NULL;
        -- token probabilities: large, read only when a run is opened with them
        CREATE TABLE run_probabilities (
          seq INTEGER PRIMARY KEY REFERENCES runs (seq) ON DELETE CASCADE,
          data TEXT NOT NULL
        );
      `);
      if (fts5) {
        // Contentless: the texts live in runs; the index only answers "which rows have these words".
        db.exec(`
          CREATE VIRTUAL TABLE runs_fts USING fts5(
            prompt, output, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
          );
        `);
      }
    },
  },
  {
    version: 2,
    up(db) {
      // A/B comparisons: the spec and the verdict; their runs are rows of `runs` (group_id = id).
      db.exec(`
        CREATE TABLE comparisons (
          id TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          name TEXT NOT NULL,
          seed INTEGER NOT NULL,
          spec TEXT NOT NULL,
          runs TEXT NOT NULL,
          verdict TEXT NOT NULL
        );
        CREATE INDEX comparisons_by_time ON comparisons (created_at);
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
