// The user's workspace on disk: the template library (plain files, any folder) and the run
// history (SQLite), both under the app's data folder unless the user points the library elsewhere.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ApiError, type ApiHandlers, type ServiceEvent, type CompletionResult, type PromptInput } from '../core/api/contract.js';
import { defaultHistoryPath, openHistory, type HistoryStore, type Json, type JsonObject, type NewRun } from './history/index.js';
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
  | 'listRuns' | 'getRun' | 'rateRun' | 'deleteRun' | 'listPresets' | 'savePreset' | 'deletePreset'
>;

export interface Workspace {
  handlers: LibraryHandlers;
  /** Store finished runs in one transaction; their history ids in order (none without a data folder). */
  recordRuns(runs: FinishedRun[]): Array<string | undefined>;
  /** the history database, for comparisons (opened on first use) */
  history(): HistoryStore;
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
      return JSON.parse(await readFile(settingsFile!, 'utf8')) as Settings;
    } catch {
      return {};
    }
  };

  const writeSettings = async (settings: Settings) => {
    await mkdir(need(), { recursive: true });
    const temp = `${settingsFile}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(settings, null, 2));
    await rename(temp, settingsFile!);
  };

  const open = (dir: string) => {
    const opening = openLibrary({ dir, codec: promptTemplateCodec });
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
      raw = JSON.parse(await readFile(presetsFile!, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ApiError('internal', `${presetsFile} cannot be read as presets: ${(error as Error).message}; it was left as it is`);
      }
    }
    const parsed = parseUserPresets(raw);
    if (!parsed.ok) throw new ApiError('internal', `${presetsFile}: ${parsed.error}; it was left as it is`);
    return parsed.presets;
  };
  const writePresets = async (presets: unknown[]): Promise<SamplingPreset[]> => {
    const parsed = parseUserPresets(presets);
    if (!parsed.ok) throw new ApiError('invalid-argument', parsed.error);
    await mkdir(need(), { recursive: true });
    const temp = `${presetsFile}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(parsed.presets, null, 2) + '\n');
    await rename(temp, presetsFile!);
    return parsed.presets;
  };

  const runs = (): HistoryStore => {
    history ??= openHistory(defaultHistoryPath(need()));
    return history;
  };

  const handlers: LibraryHandlers = {
    async getLibrary() {
      return (await lib()).status();
    },
    async setLibraryDir({ dir }) {
      const next = await open(resolve(dir)); // fails (and changes nothing) if the folder is unusable
      (await library?.catch(() => undefined))?.close();
      library = Promise.resolve(next);
      await writeSettings({ ...(await readSettings()), libraryDir: resolve(dir) });
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
    async importTemplate({ path, text }) {
      const l = await lib();
      if (path) return l.importFile(resolve(path));
      // Text (a browser's file picker): through a temporary file, the same path as an import.
      const dir = join(need(), 'imports');
      await mkdir(dir, { recursive: true });
      const file = join(dir, `import-${Date.now()}.yaml`);
      await writeFile(file, text!);
      return l.importFile(file);
    },
    async exportTemplate({ id, path }) {
      const l = await lib();
      const entry = l.get(id);
      if (path) await l.exportFile(id, resolve(path));
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
  };

  return {
    handlers,
    history: runs,
    recordRuns(finished) {
      if (!dataDir) return finished.map(() => undefined);
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
