// The local model library: every GGUF model in Shotglass's models folder, the folders the user
// added, and where other tools keep theirs (node-llama-cpp, LM Studio, llama.cpp's cache), read
// from their headers without loading. Rescans are incremental (a file whose size and mtime are
// unchanged is not read again) and the folders are watched. A broken file is listed with the
// reason (the inference host's own pre-load checks) and never stops the scan.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, realpath, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GgufFileInfo } from 'node-llama-cpp';
import { quantFromFileName } from '../../core/models/quant.js';
import { groupSplitFiles, type FileGroup } from '../../core/models/split.js';
import { ApiError } from '../../core/api/contract.js';
import { quantizationName } from '../../node/gguf/inspect.js';
import { checkModelFile, checkTensorBounds, flattenMetadata } from '../../node/gguf/preflight.js';
import { checkGgufStructure } from '../../node/gguf/structure.js';
import { nodeLlamaCpp } from './fit.js';
import { loadSettings, saveSettings, type LibrarySettings } from './library-settings.js';

export type LocationSource = 'shotglass' | 'user' | 'node-llama-cpp' | 'lm-studio' | 'llama.cpp';

export interface ModelLocation {
  path: string;
  source: LocationSource;
}

export interface LibraryEntry {
  /** The path a loader is given (the first part of a split model); also the entry's id. */
  id: string;
  path: string;
  parts: string[];
  fileName: string;
  source: LocationSource;
  sizeBytes: number;
  mtimeMs: number;
  favourite: boolean;
  status: 'ok' | 'broken';
  problem: string | null;
  architecture: string | null;
  name: string | null;
  parameters: number | null;
  quantization: string | null;
  contextLength: number | null;
  layers: number | null;
  chatTemplate: boolean;
}

/** The usual places, in order; only those that exist are scanned. */
export function defaultLocations(dataDir: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): ModelLocation[] {
  const cache = env.XDG_CACHE_HOME || join(home, '.cache');
  return [
    { path: join(dataDir, 'models'), source: 'shotglass' },
    { path: join(home, '.node-llama-cpp', 'models'), source: 'node-llama-cpp' },
    { path: join(home, '.lmstudio', 'models'), source: 'lm-studio' },
    { path: join(cache, 'lm-studio', 'models'), source: 'lm-studio' },
    { path: env.LLAMA_CACHE || join(cache, 'llama.cpp'), source: 'llama.cpp' },
  ];
}

export interface LibraryOptions {
  dataDir: string;
  locations?: ModelLocation[];
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** How deep to look under each folder (LM Studio nests publisher/repository/file). */
  depth?: number;
}

export class ModelLibrary {
  readonly settingsFile: string;
  private settings?: LibrarySettings;
  private readonly cache = new Map<string, { signature: string; entry: LibraryEntry }>();
  /** Files read from their header in the last scan (for tests and diagnostics). */
  lastScanRead = 0;
  warning?: string;

  constructor(private readonly options: LibraryOptions) {
    this.settingsFile = join(options.dataDir, 'model-library.json');
  }

  private async loadedSettings(): Promise<LibrarySettings> {
    if (!this.settings) {
      const loaded = await loadSettings(this.settingsFile);
      this.settings = loaded.settings;
      this.warning = loaded.warning;
    }
    return this.settings;
  }

  async locations(): Promise<ModelLocation[]> {
    const settings = await this.loadedSettings();
    const base = this.options.locations ?? defaultLocations(this.options.dataDir, this.options.env, this.options.home);
    return [...base, ...settings.folders.map((path) => ({ path, source: 'user' as const }))];
  }

  async scan(): Promise<LibraryEntry[]> {
    const settings = await this.loadedSettings();
    const hidden = new Set(settings.hidden);
    const favourites = new Set(settings.favourites);
    const seen = new Set<string>();
    const entries: LibraryEntry[] = [];
    this.lastScanRead = 0;
    for (const location of await this.locations()) {
      const files = await listGguf(location.path, this.options.depth ?? 6);
      for (const group of groupSplitFiles(files)) {
        const real = await realpath(group.parts[0] ?? group.main).catch(() => group.main);
        if (seen.has(real) || hidden.has(group.main)) continue;
        seen.add(real);
        const entry = await this.entryFor(group, location.source);
        entries.push({ ...entry, favourite: favourites.has(entry.id) });
      }
    }
    for (const id of [...this.cache.keys()]) if (!entries.some((e) => e.id === id)) this.cache.delete(id);
    return entries.sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.fileName.localeCompare(b.fileName));
  }

  /** Calls `onChange` with a fresh scan after files change in any scanned folder. */
  async watch(onChange: (entries: LibraryEntry[]) => void, debounceMs = 300): Promise<() => void> {
    const watchers: FSWatcher[] = [];
    let timer: NodeJS.Timeout | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void this.scan().then(onChange, () => undefined), debounceMs);
    };
    for (const location of await this.locations()) {
      try {
        watchers.push(watch(location.path, { recursive: true }, changed));
      } catch {
        // a folder that does not exist (yet) is not watched
      }
    }
    return () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    };
  }

  async addFolder(path: string): Promise<void> {
    const settings = await this.loadedSettings();
    const s = await stat(path).catch(() => null);
    if (!s?.isDirectory()) throw new ApiError('invalid-argument', `${path} is not a folder`);
    const full = resolve(path);
    if (!settings.folders.includes(full)) settings.folders.push(full);
    await saveSettings(this.settingsFile, settings);
  }

  async removeFolder(path: string): Promise<void> {
    const settings = await this.loadedSettings();
    settings.folders = settings.folders.filter((f) => f !== resolve(path));
    await saveSettings(this.settingsFile, settings);
  }

  async setFavourite(id: string, favourite: boolean): Promise<void> {
    const settings = await this.loadedSettings();
    settings.favourites = settings.favourites.filter((f) => f !== id);
    if (favourite) settings.favourites.push(id);
    await saveSettings(this.settingsFile, settings);
  }

  /** Takes a model off the list; the file stays where it is. */
  async removeFromList(id: string): Promise<void> {
    const settings = await this.loadedSettings();
    if (!settings.hidden.includes(id)) settings.hidden.push(id);
    settings.favourites = settings.favourites.filter((f) => f !== id);
    await saveSettings(this.settingsFile, settings);
  }

  async restoreToList(id: string): Promise<void> {
    const settings = await this.loadedSettings();
    settings.hidden = settings.hidden.filter((h) => h !== id);
    await saveSettings(this.settingsFile, settings);
  }

  /** Deletes a model's files (every part), only with an explicit confirm. */
  async deleteFiles(id: string, options: { confirm?: boolean } = {}): Promise<string[]> {
    if (options.confirm !== true) throw new ApiError('invalid-argument', 'deleting model files needs an explicit confirm');
    const entry = (await this.scan()).find((e) => e.id === id);
    if (!entry) throw new ApiError('not-found', `${id} is not in the model library`);
    for (const part of entry.parts) await unlink(part);
    const settings = await this.loadedSettings();
    settings.favourites = settings.favourites.filter((f) => f !== id);
    await saveSettings(this.settingsFile, settings);
    return entry.parts;
  }

  private async entryFor(group: FileGroup, source: LocationSource): Promise<LibraryEntry> {
    const stats = await Promise.all(group.parts.map((p) => stat(p).catch(() => null)));
    const signature = `${group.missing.join(',')}|${stats.map((s) => (s ? `${s.size}:${s.mtimeMs}` : 'x')).join('|')}`;
    const known = this.cache.get(group.main);
    if (known && known.signature === signature) return { ...known.entry, source };
    this.lastScanRead++;
    const entry = await describeGroup(group, source, stats);
    this.cache.set(group.main, { signature, entry });
    return entry;
  }
}

async function describeGroup(group: FileGroup, source: LocationSource, stats: Array<{ size: number; mtimeMs: number } | null>): Promise<LibraryEntry> {
  const base: LibraryEntry = {
    id: group.main,
    path: group.main,
    parts: group.parts,
    fileName: group.main.split(/[\\/]/).pop() ?? group.main,
    source,
    sizeBytes: stats.reduce((n, s) => n + (s?.size ?? 0), 0),
    mtimeMs: Math.max(0, ...stats.map((s) => s?.mtimeMs ?? 0)),
    favourite: false,
    status: 'ok',
    problem: null,
    architecture: null,
    name: null,
    parameters: null,
    quantization: quantFromFileName(group.main),
    contextLength: null,
    layers: null,
    chatTemplate: false,
  };
  if (group.missing.length > 0) {
    return { ...base, status: 'broken', problem: `split model: part${group.missing.length > 1 ? 's' : ''} ${group.missing.join(', ')} of ${group.expectedParts} missing` };
  }
  try {
    const lib = await nodeLlamaCpp();
    const read = (p: string) => lib.readGgufFileInfo(p, { spliceSplitFiles: false, logWarnings: false });
    const first = await checkModelFile(group.parts[0]!, read);
    let parameters = countParameters(first);
    for (const [i, part] of group.parts.slice(1).entries()) {
      // walked before parsing: a damaged part must not send the parser past its end (node/gguf/structure.ts)
      const info = await checkGgufStructure(part).then(() => read(part)).catch(() => {
        throw new ApiError('model-error', `split part ${i + 2} cannot be read as GGUF`);
      });
      checkTensorBounds(info, stats[i + 1]?.size ?? 0);
      parameters += countParameters(info);
    }
    const meta = flattenMetadata(first.metadata as unknown as Record<string, unknown>);
    const arch = String(meta['general.architecture']);
    const num = (key: string) => (typeof meta[key] === 'number' ? (meta[key] as number) : null);
    return {
      ...base,
      architecture: arch,
      name: typeof meta['general.name'] === 'string' ? (meta['general.name'] as string) : null,
      parameters,
      quantization: meta['general.file_type'] !== undefined ? quantizationName(meta['general.file_type']) : base.quantization,
      contextLength: num(`${arch}.context_length`),
      layers: num(`${arch}.block_count`),
      chatTemplate: typeof meta['tokenizer.chat_template'] === 'string',
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...base, status: 'broken', problem: reason };
  }
}

function countParameters(info: GgufFileInfo): number {
  return (info.tensorInfo ?? []).reduce((n, t) => n + t.dimensions.reduce<number>((a, d) => a * Number(d), 1), 0);
}

async function listGguf(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // temp files (atomic writes) and hidden folders
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...(await listGguf(path, depth - 1)));
    else if ((e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.gguf')) out.push(path);
  }
  return out;
}
