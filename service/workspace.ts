// The user's workspace on disk: the template library (plain files, any folder) and the run
// history (SQLite), both under the app's data folder unless the user points the library elsewhere.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { FileRefused, READ_LIMITS, readTextBounded } from '../node/fs/safe-file.js';
import { writeFileAtomic } from './fs/atomic.js';
import { ApiError, type ApiHandlers, type ServiceEvent, type CompletionResult, type PromptInput } from '../core/api/contract.js';
import { defaultHistoryPath, moveAsideDatabase, openHistory, type HistoryStore, type Json, type JsonObject, type NewRun } from './history/index.js';
import { defaultLibraryDir, openLibrary, type TemplateLibrary } from './library/index.js';
import { promptTemplateCodec } from '../core/library/prompt-codec.js';
import { BUILTIN_PRESETS, parseTemplate, parseUserPresets, STARTERS, type SamplingPreset, type Template } from '../core/prompt/index.js';

/** Where Shotglass keeps its data when not run by Electron (which has its own userData folder). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHOTGLASS_DATA_DIR) return resolve(env.SHOTGLASS_DATA_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Shotglass');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Shotglass');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'shotglass');
}

interface Settings {
  libraryDir?: string;
}

type LibraryHandlers = Pick<
  ApiHandlers,
  | 'getLibrary' | 'setLibraryDir' | 'listTemplates' | 'listStarters' | 'getTemplate' | 'createTemplate' | 'saveTemplate'
  | 'renameTemplate' | 'duplicateTemplate' | 'deleteTemplate' | 'undoDeleteTemplate' | 'listTemplateVersions'
  | 'getTemplateVersion' | 'diffTemplateVersions' | 'restoreTemplateVersion' | 'importTemplate' | 'exportTemplate'
  | 'listRuns' | 'getRun' | 'rateRun' | 'deleteRun' | 'listPresets' | 'savePreset' | 'deletePreset' | 'moveHistoryAside'
>;

export interface Workspace {
  handlers: LibraryHandlers;
  /** Store finished runs in one transaction; their history ids in order (none without a data folder). */
  recordRuns(runs: FinishedRun[]): Array<string | undefined>;
  /** the history database, for comparisons (opened on first use) */
  history(): HistoryStore;
  /** why the history takes no runs (damaged, or not a history), if it does not */
  historyProblem(): string | undefined;
  close(): void;
}

export interface FinishedRun {
  modelPath: string;
  input: PromptInput;
  result: CompletionResult;
  templateId?: string;
  templateVersion?: number;
  templateHash?: string;
  /** a run of a comparison: its id, and the variant and repeat it was */
  group?: { groupId: string; variant: string };
}

/** Template input from the wire, validated by the template schema (messages name the field). */
function validTemplate(raw: unknown): Template {
  const parsed = parseTemplate(raw);
  if (!parsed.ok) throw new ApiError('invalid-argument', parsed.error);
  return parsed.template;
}

/** A folder the library may use: it exists, is a folder, and Shotglass may write in it. */
async function usableLibraryFolder(folder: string): Promise<void> {
  const st = await stat(folder).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new ApiError('invalid-argument', `${folder} is not a folder Shotglass can use for the library; choose an existing folder`);
  }
  const writable = await access(folder, constants.R_OK | constants.W_OK | constants.X_OK).then(() => true, () => false);
  if (!writable) {
    throw new ApiError('forbidden', `Shotglass may not write in ${folder}; choose a folder you can write to. The library was not changed.`);
  }
}

/** Replace a file in the data folder atomically; a failure is a sentence, never a raw Node error. */
async function writeDataFile(dir: string, file: string, text: string, what: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(file, text, { mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `Shotglass may not write in its data folder ${dir}`
          : 'the data folder cannot be written';
    throw new ApiError('internal', `Could not save ${what}: ${why}. What was saved before is intact.`);
  }
}

export function createWorkspace(dataDir: string | undefined, emit: (event: ServiceEvent) => void): Workspace {
  const settingsFile = dataDir ? join(dataDir, 'settings.json') : undefined;
  let library: Promise<TemplateLibrary<Template>> | undefined;
  let offLibrary: (() => void) | undefined;
  let history: HistoryStore | undefined;

  const need = (): string => {
    if (!dataDir) throw new ApiError('internal', 'this Shotglass has no data folder, so it keeps no library or history');
    return dataDir;
  };

  const readSettings = async (): Promise<Settings> => {
    try {
      return JSON.parse(await readTextBounded(settingsFile!, READ_LIMITS.config)) as Settings;
    } catch {
      return {};
    }
  };

  const writeSettings = async (settings: Settings) => {
    await writeDataFile(need(), settingsFile!, JSON.stringify(settings, null, 2), 'the settings');
  };

  const open = (dir: string, create = true) => {
    const opening = openLibrary({ dir, codec: promptTemplateCodec, create });
    opening.then(
      (lib) => {
        offLibrary?.();
        offLibrary = lib.onEvent((event) => emit({ type: 'library', ...(event.type === 'problem' ? { problem: event.message } : {}) }));
      },
      () => {},
    );
    return opening;
  };

  const lib = async (): Promise<TemplateLibrary<Template>> => {
    library ??= (async () => {
      const settings = await readSettings();
      return open(settings.libraryDir ?? defaultLibraryDir(need()));
    })();
    return library;
  };

  const presetsFile = dataDir ? join(dataDir, 'presets.json') : undefined;
  const readPresets = async (): Promise<SamplingPreset[]> => {
    let raw: unknown = [];
    try {
      raw = JSON.parse(await readTextBounded(presetsFile!, READ_LIMITS.config));
    } catch (error) {
      const missing = error instanceof FileRefused && error.code === 'ENOENT';
      if (!missing) {
        // Name the problem, never the file's text (a JSON.parse message quotes it).
        const why = error instanceof FileRefused ? error.fragment : 'is not valid JSON';
        throw new ApiError('internal', `${presetsFile} ${why}, so it cannot be read as presets; it was left as it is`);
      }
    }
    const parsed = parseUserPresets(raw);
    if (!parsed.ok) throw new ApiError('internal', `${presetsFile}: ${parsed.error}; it was left as it is`);
    return parsed.presets;
  };
  const writePresets = async (presets: unknown[]): Promise<SamplingPreset[]> => {
    const parsed = parseUserPresets(presets);
    if (!parsed.ok) throw new ApiError('invalid-argument', parsed.error);
    await writeDataFile(need(), presetsFile!, JSON.stringify(parsed.presets, null, 2) + '\n', 'the presets');
    return parsed.presets;
  };

  /** the last reason the history could not be opened as one (damaged, not a history) */
  let openProblem: ApiError | undefined;
  const runs = (): HistoryStore => {
    if (!history) {
      try {
        history = openHistory(defaultHistoryPath(need()));
        openProblem = undefined;
      } catch (error) {
        const problem = (error as { problem?: string }).problem;
        if (problem === 'corrupt' || problem === 'not-a-database') openProblem = error as ApiError;
        throw error;
      }
    }
    return history;
  };
  const historyProblem = (): string | undefined => history?.damaged?.message ?? openProblem?.message;

  const handlers: LibraryHandlers = {
    async getLibrary() {
      return (await lib()).status();
    },
    async setLibraryDir({ dir }) {
      const folder = resolve(dir);
      // Checked before anything changes: an existing folder (never created on a caller's say-so)
      // where Shotglass may write (its .shotglass/ folder and template files are all it writes).
      await usableLibraryFolder(folder);
      const next = await open(folder, false); // fails (and changes nothing) if the folder is unusable
      try {
        await writeSettings({ ...(await readSettings()), libraryDir: folder });
      } catch (error) {
        next.close();
        throw error;
      }
      (await library?.catch(() => undefined))?.close();
      library = Promise.resolve(next);
      emit({ type: 'library' });
      return next.status();
    },
    async listTemplates({ text, tags }) {
      const l = await lib();
      if (!text && !tags?.length) return l.list();
      return l.search({ text, tags });
    },
    async listStarters() {
      return STARTERS.map((s) => s.template);
    },
    async getTemplate({ id }) {
      return (await lib()).get(id);
    },
    async createTemplate({ template }) {
      return (await lib()).create(validTemplate(template));
    },
    async saveTemplate({ id, template, expectedVersion }) {
      return (await lib()).save(id, validTemplate(template), { expectedVersion });
    },
    async renameTemplate({ id, name, expectedVersion }) {
      return (await lib()).rename(id, name, { expectedVersion });
    },
    async duplicateTemplate({ id, name }) {
      return (await lib()).duplicate(id, name);
    },
    async deleteTemplate({ id }) {
      return (await lib()).delete(id);
    },
    async undoDeleteTemplate({ trashId }) {
      return (await lib()).undoDelete(trashId);
    },
    async listTemplateVersions({ id }) {
      return (await lib()).versions(id);
    },
    async getTemplateVersion({ id, version }) {
      return (await lib()).readVersion(id, version);
    },
    async diffTemplateVersions({ id, from, to }) {
      return (await lib()).diff(id, from, to);
    },
    async restoreTemplateVersion({ id, version, expectedVersion }) {
      return (await lib()).restore(id, version, { expectedVersion });
    },
    async importTemplate({ text }) {
      return (await lib()).importText(Buffer.from(text, 'utf8'));
    },
    async exportTemplate({ id }) {
      const l = await lib();
      const entry = l.get(id);
      return { text: l.exportText(id), fileName: basename(entry.file) };
    },
    async listPresets() {
      need();
      return { builtIn: [...BUILTIN_PRESETS], user: await readPresets() };
    },
    async savePreset({ name, description, sampling }) {
      need();
      const others = (await readPresets()).filter((p) => p.name.trim().toLowerCase() !== name.trim().toLowerCase());
      return writePresets([...others, { name, description, sampling }]);
    },
    async deletePreset({ name }) {
      need();
      return writePresets((await readPresets()).filter((p) => p.name !== name));
    },
    async listRuns({ cursor, limit, ...filter }) {
      return runs().list({ ...filter, cursor, limit });
    },
    async getRun({ id, probabilities }) {
      return runs().get(id, { probabilities }) as never;
    },
    async rateRun({ id, rating, notes }) {
      return runs().update(id, { rating, notes }) as never;
    },
    async deleteRun({ id }) {
      return { deleted: runs().delete(id) };
    },
    async moveHistoryAside() {
      const path = defaultHistoryPath(need());
      if (!history && !openProblem) {
        try {
          runs();
        } catch {
          // an open failure sets openProblem when it is one moving aside can fix
        }
      }
      if (!historyProblem()) throw new ApiError('invalid-argument', 'the run history is not damaged; nothing was moved');
      history?.close();
      history = undefined;
      openProblem = undefined;
      return { movedTo: moveAsideDatabase(path) };
    },
  };

  return {
    handlers,
    history: runs,
    historyProblem,
    recordRuns(finished) {
      if (!dataDir) return finished.map(() => undefined);
      const problem = historyProblem();
      if (problem) throw new ApiError('internal', problem);
      const rows: NewRun[] = finished.map((run) => {
        const { result } = run;
        return {
          id: randomUUID(),
          kind: run.group ? 'comparison' : 'single',
          ...(run.group ? { groupId: run.group.groupId, variant: run.group.variant } : {}),
          modelPath: run.modelPath,
          modelSha256: result.record.model.sha256,
          templateId: run.templateId,
          templateVersion: run.templateVersion,
          templateHash: run.templateHash,
          mode: run.input.mode,
          prompt: run.input.mode === 'completion' ? run.input.text : JSON.stringify(run.input.messages),
          sampling: result.record.sampling as unknown as JsonObject,
          output: result.text,
          finishReason: result.finishReason,
          metrics: result.metrics as unknown as JsonObject,
          record: result.record as unknown as JsonObject,
          probabilities: result.steps as unknown as Json,
        };
      });
      runs().addMany(rows);
      return rows.map((row) => row.id);
    },
    close() {
      offLibrary?.();
      void library?.then((l) => l.close(), () => {});
      history?.close();
    },
  };
}
