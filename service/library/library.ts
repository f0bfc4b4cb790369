// The template library: one YAML file per template in a folder the user can see, diff and keep
// in git; every save kept as a version; atomic writes; outside edits noticed; broken files listed
// and never overwritten. See electron/library/README.md for the layout and the rules.
import { randomBytes } from 'node:crypto';
import { constants, watch, type FSWatcher, type Stats } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isTempFile, removeStaleTemps, syncDirectory, writeFileAtomic } from '../fs/atomic.js';
import type { TemplateCodec } from '../../core/library/codec.js';
import { diffLines, splitLines, unifiedDiff, type DiffLine } from '../../core/text/diff.js';
import { LibraryError, errnoCode, ioError } from './errors.js';
import {
  MAX_TEMPLATE_BYTES,
  hashText,
  parseFile,
  renderFile,
  renderTemplateYaml,
  tooLarge,
  type ParsedFile,
  type VersionOrigin,
} from './file-format.js';
import { fileFollowsName, uniqueFileName } from '../../core/library/slug.js';

export const META_DIR = '.shotglass';
const VERSION_RE = /^(\d+)\.yaml$/;
const PENDING_RE = /^(\d+)\.pending\.yaml$/;
const TEMPLATE_FILE_RE = /\.ya?ml$/i;
const TRASH_RE = /^(\d+)-([A-Za-z0-9_-]+)$/;

export interface TemplateEntry<T> {
  status: 'ok';
  /** stable across renames and moves */
  id: string;
  /** file name in the library folder */
  file: string;
  path: string;
  name: string;
  tags: string[];
  /** the latest kept version (what the file holds now) */
  version: number;
  savedAt: string;
  origin: VersionOrigin;
  /** the file was last changed outside Shotglass (that change is kept as a version) */
  editedOutside: boolean;
  template: T;
  /** something to tell the user that did not stop the template from loading */
  warning?: string;
}

export interface BrokenEntry {
  status: 'broken';
  /** the id the file claims, or one derived from its file name */
  id: string;
  file: string;
  path: string;
  /** a sentence that starts with the file name */
  reason: string;
}

export type LibraryEntry<T> = TemplateEntry<T> | BrokenEntry;

export interface VersionInfo {
  version: number;
  savedAt: string;
  origin: VersionOrigin;
  restoredFrom?: number;
  name: string;
}

export interface TrashItem {
  trashId: string;
  id: string;
  file: string;
  deletedAt: string;
  /** the template's name, when the file is valid */
  name?: string;
}

export type LibraryEvent =
  | { type: 'changed'; added: string[]; changed: string[]; removed: string[] }
  /** the folder cannot be read (gone, unreadable); the list is kept as it was */
  | { type: 'problem'; message: string };

export interface LibraryStatus {
  dir: string;
  /** why the folder cannot be read right now, if it cannot */
  problem?: string;
  watching: boolean;
}

export interface TemplateDiff {
  from: number;
  to: number;
  lines: DiffLine[];
  unified: string;
}

export interface LibraryOptions<T> {
  dir: string;
  codec: TemplateCodec<T>;
  /** create the folder when it does not exist (default true) */
  create?: boolean;
  /** watch the folder for outside changes (default true) */
  watch?: boolean;
  debounceMs?: number;
  now?: () => Date;
}

/** The default library folder inside the app's data directory. */
export const defaultLibraryDir = (userDataDir: string) => join(userDataDir, 'library');

interface Head {
  version: number;
  hash: string;
  origin: VersionOrigin;
  savedAt: string;
}

interface FileCache<T> {
  statKey: string;
  parsed: ParsedFile<T>;
}

interface Item<T> {
  id: string;
  file: string;
  statKey: string;
  parsed: ParsedFile<T>;
  head?: Head;
  warning?: string;
  /** the history could not be brought up to date with the file yet (retried on each scan) */
  needsReconcile: boolean;
}

const statKey = (st: Stats) => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
const pad = (version: number) => String(version).padStart(6, '0');
const newId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return 't' + [...randomBytes(15)].map((byte) => alphabet[byte % 32]).join('');
};
/** A file without a usable id of its own gets one from its name until Shotglass first saves it. */
const derivedId = (file: string) => 'f' + hashText('file:' + file.toLowerCase()).slice(0, 15);

export async function openLibrary<T>(options: LibraryOptions<T>): Promise<TemplateLibrary<T>> {
  const dir = resolve(options.dir);
  let st = await stat(dir).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw ioError(error, `open the library folder ${dir}`, dir, false);
  });
  if (!st && (options.create ?? true)) {
    await mkdir(dir, { recursive: true }).catch((error) => {
      throw ioError(error, `create the library folder ${dir}`, dir, false);
    });
    st = await stat(dir);
  }
  if (!st) throw new LibraryError('folder-missing', `The library folder ${dir} does not exist.`);
  if (!st.isDirectory()) throw new LibraryError('invalid', `${dir} is a file, not a folder: choose a folder for the library.`);
  const library = new TemplateLibrary(dir, options);
  await library.rescan();
  return library;
}

export class TemplateLibrary<T> {
  readonly dir: string;
  private readonly codec: TemplateCodec<T>;
  private readonly now: () => Date;
  private readonly watchEnabled: boolean;
  private readonly debounceMs: number;
  private items = new Map<string, Item<T>>();
  private readonly files = new Map<string, FileCache<T>>();
  private readonly versionCache = new Map<string, VersionInfo & { hash: string }>();
  private readonly listeners = new Set<(event: LibraryEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private problem: string | undefined;
  private scannedOnce = false;
  private closed = false;

  /** Use openLibrary(). */
  constructor(dir: string, options: LibraryOptions<T>) {
    this.dir = dir;
    this.codec = options.codec;
    this.now = options.now ?? (() => new Date());
    this.watchEnabled = options.watch ?? true;
    this.debounceMs = options.debounceMs ?? 150;
  }

  // ------------------------------------------------------------ reading

  /** Every template file, valid or broken, by name. */
  list(): LibraryEntry<T>[] {
    return [...this.items.values()]
      .map((item) => this.entryOf(item))
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.file.localeCompare(b.file));
  }

  /** A template by id; broken files are returned too (with their reason). */
  get(id: string): LibraryEntry<T> {
    const item = this.items.get(id);
    if (!item) throw new LibraryError('not-found', `There is no template with id ${id} in the library.`);
    return this.entryOf(item);
  }

  /**
   * Templates whose name contains `name`, that have every tag in `tags`, and whose name, tags
   * and text contain every word of `text` (all case-insensitive).
   */
  search(query: { text?: string; name?: string; tags?: string[] }): TemplateEntry<T>[] {
    const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const name = query.name?.toLowerCase();
    const tags = (query.tags ?? []).map((tag) => tag.toLowerCase());
    return this.list().filter((entry): entry is TemplateEntry<T> => {
      if (entry.status !== 'ok') return false;
      if (name && !entry.name.toLowerCase().includes(name)) return false;
      const own = entry.tags.map((tag) => tag.toLowerCase());
      if (!tags.every((tag) => own.includes(tag))) return false;
      if (!words.length) return true;
      const haystack = [entry.name, ...entry.tags, this.codec.searchText(entry.template)].join('\n').toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  status(): LibraryStatus {
    return { dir: this.dir, problem: this.problem, watching: this.watcher !== undefined };
  }

  onEvent(listener: (event: LibraryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every kept version of a template, newest first. */
  versions(id: string): Promise<VersionInfo[]> {
    return this.locked(async () => {
      this.requireItem(id);
      const numbers = await this.versionNumbers(id);
      const out: VersionInfo[] = [];
      for (const version of numbers.reverse()) {
        const info = await this.readVersionInfo(id, version).catch(() => undefined);
        if (info) out.push(stripHash(info));
      }
      return out;
    });
  }

  /** One kept version's template. */
  readVersion(id: string, version: number): Promise<{ info: VersionInfo; template: T }> {
    return this.locked(async () => {
      this.requireItem(id);
      const parsed = await this.readSnapshot(id, version);
      return {
        info: {
          version,
          savedAt: parsed.savedAt ?? '',
          origin: parsed.origin ?? 'saved',
          restoredFrom: parsed.restoredFrom,
          name: this.codec.name(parsed.template),
        },
        template: parsed.template,
      };
    });
  }

  /** A line diff of two versions' templates (as YAML, without the envelope). */
  async diff(id: string, from: number, to: number): Promise<TemplateDiff> {
    const [a, b] = await this.locked(async () => {
      this.requireItem(id);
      return [await this.readSnapshot(id, from), await this.readSnapshot(id, to)] as const;
    });
    const lines = diffLines(splitLines(renderTemplateYaml(a.plain)), splitLines(renderTemplateYaml(b.plain)));
    return {
      from,
      to,
      lines,
      unified: unifiedDiff(lines, { oldLabel: `version ${from}`, newLabel: `version ${to}` }),
    };
  }

  // ------------------------------------------------------------ writing

  /** Add a new template (a new file and version 1). */
  create(template: T): Promise<TemplateEntry<T>> {
    return this.locked(() => this.createLocked(template, 'created'));
  }

  /**
   * Save a new version of a template. `expectedVersion` is the version the edit started from:
   * if the template has moved on, or its file was changed outside Shotglass since, nothing is
   * written and a 'conflict' error says so (the outside change is kept as a version).
   * A template whose file is broken is never overwritten ('broken-file'; save it with create()).
   * When the name changes and the file name came from the old name, the file is renamed too.
   */
  save(id: string, template: T, options: { expectedVersion: number }): Promise<TemplateEntry<T>> {
    return this.locked(() => this.saveLocked(id, template, options.expectedVersion, 'saved'));
  }

  rename(id: string, name: string, options: { expectedVersion: number }): Promise<TemplateEntry<T>> {
    return this.locked(async () => {
      const item = this.requireValid(id);
      const template = this.codec.withName(item.parsed.template, name);
      return this.saveLocked(id, template, options.expectedVersion, 'renamed');
    });
  }

  /** Make an old version current again, as a new version (history is never rewritten). */
  restore(id: string, version: number, options: { expectedVersion: number }): Promise<TemplateEntry<T>> {
    return this.locked(async () => {
      this.requireValid(id);
      const old = await this.readSnapshot(id, version);
      return this.saveLocked(id, old.template, options.expectedVersion, 'restored', version);
    });
  }

  /** A copy under a new id (and by default the name "<name> copy"). */
  duplicate(id: string, name?: string): Promise<TemplateEntry<T>> {
    return this.locked(async () => {
      const item = this.requireValid(id);
      const source = item.parsed.template;
      const copy = this.codec.withName(source, name ?? `${this.codec.name(source)} copy`);
      return this.createLocked(copy, 'duplicated');
    });
  }

  /**
   * Move a template's file (valid or broken) to the trash; `undoDelete(trashId)` brings it back.
   * Its kept versions stay where they are.
   */
  delete(id: string, options: { expectedVersion?: number } = {}): Promise<{ trashId: string }> {
    return this.locked(async () => {
      const item = this.requireItem(id);
      if (item.parsed.ok) {
        const fresh = await this.readFresh(item, `delete "${this.codec.name(item.parsed.template)}"`);
        if (fresh.parsed.ok && fresh.parsed.hash !== item.parsed.hash) {
          // Keep the outside change in the history before the file goes to the trash.
          await this.scanLocked();
        }
        const current = this.items.get(id);
        if (options.expectedVersion !== undefined && current?.head && current.head.version !== options.expectedVersion) {
          throw this.staleVersion(current, options.expectedVersion, 'deleted');
        }
      }
      const trashId = `${this.now().getTime()}-${id}`;
      const trashDir = join(this.metaDir, 'trash', trashId);
      const action = `delete ${item.file}`;
      try {
        await mkdir(trashDir, { recursive: true });
        await rename(join(this.dir, item.file), join(trashDir, item.file));
        await syncDirectory(this.dir);
        await syncDirectory(trashDir);
      } catch (error) {
        await rm(trashDir, { recursive: true, force: true }).catch(() => undefined);
        throw await this.failure(error, action);
      }
      this.items.delete(id);
      this.files.delete(item.file);
      this.emit({ type: 'changed', added: [], changed: [], removed: [id] });
      return { trashId };
    });
  }

  /** Bring a deleted file back (under its old file name, or a free one if that is taken now). */
  undoDelete(trashId: string): Promise<LibraryEntry<T>> {
    return this.locked(async () => {
      const trashDir = join(this.metaDir, 'trash', trashId);
      const names = TRASH_RE.test(trashId) ? await readdir(trashDir).catch(() => [] as string[]) : [];
      const file = names.find((name) => TEMPLATE_FILE_RE.test(name));
      if (!file) throw new LibraryError('not-found', `There is nothing in the trash called ${trashId}.`);
      const taken = await this.rootNames();
      const target = taken.some((name) => name.toLowerCase() === file.toLowerCase())
        ? uniqueFileName(file.replace(TEMPLATE_FILE_RE, ''), taken)
        : file;
      try {
        await rename(join(trashDir, file), join(this.dir, target));
        await syncDirectory(this.dir);
      } catch (error) {
        throw await this.failure(error, `restore ${file} from the trash`);
      }
      await rm(trashDir, { recursive: true, force: true }).catch(() => undefined);
      await this.scanLocked();
      const item = [...this.items.values()].find((candidate) => candidate.file === target);
      if (!item) throw new LibraryError('io', `${target} was restored but could not be read back.`);
      return this.entryOf(item);
    });
  }

  listTrash(): Promise<TrashItem[]> {
    return this.locked(async () => {
      const trashRoot = join(this.metaDir, 'trash');
      const out: TrashItem[] = [];
      for (const trashId of await readdir(trashRoot).catch(() => [] as string[])) {
        const match = TRASH_RE.exec(trashId);
        if (!match) continue;
        const file = (await readdir(join(trashRoot, trashId)).catch(() => [] as string[])).find((name) =>
          TEMPLATE_FILE_RE.test(name),
        );
        if (!file) continue;
        const parsed = await readFile(join(trashRoot, trashId, file))
          .then((bytes) => parseFile(bytes, this.codec))
          .catch(() => undefined);
        out.push({
          trashId,
          id: match[2] as string,
          file,
          deletedAt: new Date(Number(match[1])).toISOString(),
          name: parsed?.ok ? this.codec.name(parsed.template) : undefined,
        });
      }
      return out.sort((a, b) => b.trashId.localeCompare(a.trashId));
    });
  }

  /** Remove a deleted file for good. */
  purgeTrash(trashId: string): Promise<void> {
    return this.locked(async () => {
      if (!TRASH_RE.test(trashId)) throw new LibraryError('not-found', `There is nothing in the trash called ${trashId}.`);
      await rm(join(this.metaDir, 'trash', trashId), { recursive: true, force: true }).catch((error) => {
        throw ioError(error, `empty ${trashId} from the trash`, this.dir);
      });
    });
  }

  /**
   * Add a template from a file anywhere (a Shotglass template file, or a bare template without
   * the envelope). It gets a new id and its own file in the library.
   */
  importFile(path: string): Promise<TemplateEntry<T>> {
    return this.locked(async () => {
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        const code = errnoCode(error);
        throw new LibraryError(
          code === 'ENOENT' ? 'not-found' : 'io',
          code === 'ENOENT' ? `Could not import ${path}: there is no such file.` : `Could not import ${path}: ${(error as Error).message}.`,
        );
      }
      const parsed = parseFile(bytes, this.codec);
      if (!parsed.ok) throw new LibraryError('invalid', `Could not import it: ${basename(path)} ${parsed.reason}.`);
      return this.createLocked(parsed.template, 'imported');
    });
  }

  /** Write a template's current version to a file anywhere (a complete Shotglass template file). */
  exportFile(id: string, path: string): Promise<void> {
    return this.locked(async () => {
      const item = this.requireValid(id);
      const text = this.exportTextOf(item);
      try {
        await writeFileAtomic(path, text);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOSPC' || code === 'EDQUOT') throw new LibraryError('disk-full', `The disk is full: could not export to ${path}.`);
        if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
          throw new LibraryError('read-only', `Could not export to ${path}: Shotglass may not write in ${dirname(path)}.`);
        }
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          throw new LibraryError('not-found', `Could not export to ${path}: the folder ${dirname(path)} does not exist.`);
        }
        throw new LibraryError('io', `Could not export to ${path}: ${(error as Error).message}.`);
      }
    });
  }

  /** The text exportFile writes. */
  exportText(id: string): string {
    return this.exportTextOf(this.requireValid(id));
  }

  /**
   * Read the folder again: new, changed, removed and broken files; outside edits become versions;
   * stale temp files are removed. Throws (and keeps the list as it was) if the folder is gone.
   */
  rescan(): Promise<LibraryEvent | undefined> {
    return this.locked(async () => {
      const event = await this.scanLocked();
      if (this.watchEnabled && !this.watcher && !this.closed) this.startWatching();
      return event;
    });
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }

  // ------------------------------------------------------------ internals: writing

  private get metaDir() {
    return join(this.dir, META_DIR);
  }

  private versionsDir(id: string) {
    return join(this.metaDir, 'versions', id);
  }

  private async createLocked(template: T, origin: VersionOrigin): Promise<TemplateEntry<T>> {
    const plain = this.validated(template);
    const name = this.codec.name(template);
    await this.requireFolder(`save "${name}"`);
    const id = newId();
    const file = uniqueFileName(name, await this.rootNames());
    const item = await this.commit({ id, version: 1, plain, origin, file, name });
    this.emit({ type: 'changed', added: [id], changed: [], removed: [] });
    return this.entryOf(item) as TemplateEntry<T>;
  }

  private async saveLocked(
    id: string,
    template: T,
    expectedVersion: number,
    origin: VersionOrigin,
    restoredFrom?: number,
  ): Promise<TemplateEntry<T>> {
    const plain = this.validated(template);
    const name = this.codec.name(template);
    const action = `save "${name}"`;
    const item = this.requireItem(id);
    if (!item.parsed.ok) throw this.brokenError(item);
    await this.requireFolder(action);

    // The file on disk is the truth: check it is still what this library last saw.
    const fresh = await this.readFresh(item, action);
    if (!fresh.parsed.ok) {
      await this.scanLocked();
      throw new LibraryError(
        'broken-file',
        `${item.file} was changed outside Shotglass and ${fresh.parsed.reason}. Shotglass never overwrites such a file: fix it, or save your text as a new template. Nothing was saved.`,
      );
    }
    if (fresh.parsed.hash !== item.parsed.hash || item.needsReconcile) {
      await this.scanLocked();
      const now = this.items.get(id);
      if (now?.needsReconcile) {
        throw new LibraryError('io', `${now.warning ?? 'The history of this template is not up to date.'} Nothing was saved.`);
      }
      if (fresh.parsed.hash !== item.parsed.hash) {
        throw new LibraryError(
          'conflict',
          `"${name}" was changed outside Shotglass since it was loaded (${item.file} is now version ${now?.head?.version ?? '?'}). Nothing was saved: reload it, or save your text as a new template.`,
        );
      }
    }
    const current = this.items.get(id) ?? item;
    const head = current.head;
    if (!head || head.version !== expectedVersion) {
      throw this.staleVersion(current, expectedVersion, 'saved');
    }
    const oldName = this.codec.name(item.parsed.template);
    if (hashText(renderTemplateYaml(plain)) === head.hash && oldName === name) {
      return this.entryOf(current) as TemplateEntry<T>; // nothing changed: no empty version
    }
    let file = current.file;
    if (oldName !== name && fileFollowsName(current.file, oldName)) {
      const others = (await this.rootNames()).filter((other) => other !== current.file);
      const next = uniqueFileName(name, others);
      if (!fileFollowsName(current.file, name)) file = next;
    }
    const saved = await this.commit({
      id,
      version: head.version + 1,
      plain,
      origin,
      restoredFrom,
      file,
      oldFile: current.file,
      name,
    });
    this.emit({ type: 'changed', added: [], changed: [id], removed: [] });
    return this.entryOf(saved) as TemplateEntry<T>;
  }

  /**
   * Write a version: the kept copy first (as `<n>.pending.yaml`), then the current file (renamed
   * first if its name changes), then the kept copy is made final. A failure undoes what was done;
   * a crash leaves a pending copy that the next scan finalizes (if the current file made it) or
   * removes (if it did not): the current file is always a whole, valid version.
   */
  private async commit(args: {
    id: string;
    version: number;
    plain: Record<string, unknown>;
    origin: VersionOrigin;
    restoredFrom?: number;
    file: string;
    oldFile?: string;
    name: string;
  }): Promise<Item<T>> {
    const { id, version, plain, file, oldFile } = args;
    const savedAt = this.now().toISOString();
    const fileText = renderFile({ id, version, savedAt }, plain);
    const keptText = renderFile({ id, version, savedAt, origin: args.origin, restoredFrom: args.restoredFrom }, plain);
    const parsed = parseFile(Buffer.from(fileText), this.codec);
    const expectedHash = hashText(renderTemplateYaml(plain));
    if (!parsed.ok || parsed.hash !== expectedHash) {
      throw new LibraryError('io', `"${args.name}" would not read back as saved; nothing was written. This is a bug in Shotglass.`);
    }
    const action = `save "${args.name}"`;
    const versionsDir = this.versionsDir(id);
    const pending = join(versionsDir, `${pad(version)}.pending.yaml`);
    const target = join(this.dir, file);
    try {
      await mkdir(versionsDir, { recursive: true });
      await writeFileAtomic(pending, keptText);
    } catch (error) {
      throw await this.failure(error, action);
    }
    let moved = false;
    try {
      if (oldFile && oldFile !== file) {
        if (await exists(target)) throw new LibraryError('conflict', `Could not ${action}: ${file} appeared in the library folder meanwhile. Nothing was saved.`);
        await rename(join(this.dir, oldFile), target);
        moved = true;
      }
      await writeFileAtomic(target, fileText);
    } catch (error) {
      if (moved) await rename(target, join(this.dir, oldFile as string)).catch(() => undefined);
      await unlink(pending).catch(() => undefined);
      throw await this.failure(error, action);
    }
    // Committed. Finalizing the kept copy can only fail in odd cases; the next scan retries.
    await rename(pending, join(versionsDir, `${pad(version)}.yaml`))
      .then(() => syncDirectory(versionsDir))
      .catch(() => undefined);

    const st = await stat(target).catch(() => undefined);
    const key = st ? statKey(st) : '';
    if (oldFile && oldFile !== file) this.files.delete(oldFile);
    this.files.set(file, { statKey: key, parsed });
    const head: Head = { version, hash: expectedHash, origin: args.origin, savedAt };
    this.versionCache.set(`${id}:${version}`, {
      version,
      savedAt,
      origin: args.origin,
      restoredFrom: args.restoredFrom,
      name: args.name,
      hash: expectedHash,
    });
    const item: Item<T> = { id, file, statKey: key, parsed, head, needsReconcile: false };
    this.items.set(id, item);
    return item;
  }

  /** The template's plain form, after checking it reads back through the codec. */
  private validated(template: T): Record<string, unknown> {
    const plain = this.codec.toPlain(template);
    const check = this.codec.parse(plain);
    if (!check.ok) throw new LibraryError('invalid', `The template is not valid: ${check.error}. Nothing was saved.`);
    return this.codec.toPlain(check.value);
  }

  private async readFresh(item: Item<T>, action: string): Promise<{ parsed: ParsedFile<T> }> {
    const path = join(this.dir, item.file);
    try {
      return { parsed: parseFile(await readFile(path), this.codec) };
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' && (await exists(this.dir))) {
        await this.scanLocked().catch(() => undefined);
        throw new LibraryError(
          'conflict',
          `Could not ${action}: ${item.file} was deleted or moved outside Shotglass since it was loaded. Nothing was saved.`,
        );
      }
      throw await this.failure(error, action);
    }
  }

  private staleVersion(item: Item<T>, expected: number, verb: string): LibraryError {
    const name = item.parsed.ok ? this.codec.name(item.parsed.template) : item.file;
    return new LibraryError(
      'conflict',
      `"${name}" is at version ${item.head?.version ?? '?'}, but this change started from version ${expected}. Nothing was ${verb}: reload it first, or save your text as a new template.`,
    );
  }

  private brokenError(item: Item<T>): LibraryError {
    const reason = item.parsed.ok ? '' : item.parsed.reason;
    return new LibraryError(
      'broken-file',
      `${item.file} ${reason}. Shotglass never overwrites such a file: fix it, or save your text as a new template. Nothing was saved.`,
    );
  }

  private async requireFolder(action: string): Promise<void> {
    if (!(await isDirectory(this.dir))) {
      throw new LibraryError('folder-missing', `The library folder ${this.dir} no longer exists: could not ${action}. Nothing was changed.`);
    }
  }

  /** A failed file operation as a LibraryError; ENOENT means the folder is gone only if it is. */
  private async failure(error: unknown, action: string): Promise<LibraryError> {
    if (error instanceof LibraryError) return error;
    if (errnoCode(error) === 'ENOENT' && (await isDirectory(this.dir))) {
      // Node's recursive mkdir reports ENOENT on a read-only file system: ask the folder itself.
      const denied = await access(this.dir, constants.W_OK).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      if (denied) return ioError(denied, action, this.dir);
      return ioError(Object.assign(new Error('a file vanished while saving'), { code: 'EIO' }), action, this.dir);
    }
    return ioError(error, action, this.dir);
  }

  private exportTextOf(item: Item<T>): string {
    if (!item.parsed.ok || !item.head) throw this.brokenError(item);
    return renderFile({ id: item.id, version: item.head.version, savedAt: item.head.savedAt }, item.parsed.plain);
  }

  private requireItem(id: string): Item<T> {
    const item = this.items.get(id);
    if (!item) throw new LibraryError('not-found', `There is no template with id ${id} in the library.`);
    return item;
  }

  private requireValid(id: string): Item<T> & { parsed: Extract<ParsedFile<T>, { ok: true }> } {
    const item = this.requireItem(id);
    if (!item.parsed.ok) throw this.brokenError(item);
    return item as Item<T> & { parsed: Extract<ParsedFile<T>, { ok: true }> };
  }

  private async rootNames(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (error) {
      throw await this.failure(error, 'read the library folder');
    }
  }

  // ------------------------------------------------------------ internals: history

  private async versionNumbers(id: string): Promise<number[]> {
    const names = await readdir(this.versionsDir(id)).catch(() => [] as string[]);
    return names
      .map((name) => VERSION_RE.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async readSnapshot(id: string, version: number): Promise<Extract<ParsedFile<T>, { ok: true }>> {
    const path = join(this.versionsDir(id), `${pad(version)}.yaml`);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw new LibraryError('not-found', `Version ${version} of this template is not kept.`);
      throw ioError(error, `read version ${version}`, this.dir, false);
    }
    const parsed = parseFile(bytes, this.codec);
    if (!parsed.ok) throw new LibraryError('broken-file', `Version ${version} (${path}) ${parsed.reason}.`);
    return parsed;
  }

  private async readVersionInfo(id: string, version: number): Promise<VersionInfo & { hash: string }> {
    const key = `${id}:${version}`;
    const cached = this.versionCache.get(key);
    if (cached) return cached;
    const parsed = await this.readSnapshot(id, version);
    const info = {
      version,
      savedAt: parsed.savedAt ?? '',
      origin: parsed.origin ?? 'saved',
      restoredFrom: parsed.restoredFrom,
      name: this.codec.name(parsed.template),
      hash: parsed.hash,
    };
    this.versionCache.set(key, info);
    return info;
  }

  /**
   * Bring a template's history up to date with its current (valid) file:
   * - pending copies left by a crash: made final if the file holds that version, else removed;
   * - the file equals the latest kept version: nothing to do;
   * - the file claims a version newer than any kept (history lost or not in git): kept as that version;
   * - otherwise the file was changed outside Shotglass: kept as the next version, origin 'outside'.
   */
  private async reconcile(id: string, file: string, parsed: Extract<ParsedFile<T>, { ok: true }>, mtime: Date): Promise<Head> {
    const dir = this.versionsDir(id);
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.some(isTempFile)) await removeStaleTemps(dir);
    for (const name of names) {
      const match = PENDING_RE.exec(name);
      if (!match) continue;
      const version = Number(match[1]);
      const path = join(dir, name);
      const kept = await readFile(path)
        .then((bytes) => parseFile(bytes, this.codec))
        .catch(() => undefined);
      const final = join(dir, `${pad(version)}.yaml`);
      if (kept?.ok && version === parsed.declaredVersion && kept.hash === parsed.hash && !(await exists(final))) {
        await rename(path, final);
      } else {
        await unlink(path);
      }
      await syncDirectory(dir);
    }
    const numbers = await this.versionNumbers(id);
    const latest = numbers[numbers.length - 1] ?? 0;
    if (latest > 0) {
      const info = await this.readVersionInfo(id, latest).catch(() => undefined);
      if (info && info.hash === parsed.hash) {
        return { version: latest, hash: info.hash, origin: info.origin, savedAt: info.savedAt };
      }
    }
    const version = parsed.declaredVersion > latest ? parsed.declaredVersion : latest + 1;
    const savedAt = version === parsed.declaredVersion && parsed.savedAt ? parsed.savedAt : mtime.toISOString();
    const text = renderFile({ id, version, savedAt, origin: 'outside' }, parsed.plain);
    try {
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(join(dir, `${pad(version)}.yaml`), text);
    } catch (error) {
      throw await this.failure(error, `keep the change made outside Shotglass to ${file} as version ${version}`);
    }
    const name = this.codec.name(parsed.template);
    this.versionCache.set(`${id}:${version}`, { version, savedAt, origin: 'outside', name, hash: parsed.hash });
    return { version, hash: parsed.hash, origin: 'outside', savedAt };
  }

  // ------------------------------------------------------------ internals: scanning

  private async scanLocked(): Promise<LibraryEvent | undefined> {
    let names: string[];
    try {
      const st = await stat(this.dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      names = await readdir(this.dir);
    } catch (error) {
      const code = errnoCode(error);
      const message =
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `The library folder ${this.dir} no longer exists. The templates already loaded stay open; choose the folder again or another one.`
          : `The library folder ${this.dir} cannot be read: ${(error as Error).message}.`;
      if (this.problem !== message) {
        this.problem = message;
        this.emit({ type: 'problem', message });
      }
      this.watcher?.close();
      this.watcher = undefined;
      throw new LibraryError(code === 'ENOENT' || code === 'ENOTDIR' ? 'folder-missing' : 'io', message);
    }
    this.problem = undefined;
    if (names.some(isTempFile)) await removeStaleTemps(this.dir);

    // Read (or reuse) every template file.
    const found: { file: string; statKey: string; parsed: ParsedFile<T>; mtime: Date }[] = [];
    for (const file of names) {
      if (file.startsWith('.') || !TEMPLATE_FILE_RE.test(file)) continue;
      let st: Stats;
      try {
        st = await stat(join(this.dir, file));
      } catch {
        continue; // removed meanwhile
      }
      if (!st.isFile()) continue;
      const key = statKey(st);
      let parsed = this.files.get(file)?.statKey === key ? this.files.get(file)?.parsed : undefined;
      if (!parsed) {
        parsed =
          st.size > MAX_TEMPLATE_BYTES
            ? tooLarge()
            : await readFile(join(this.dir, file))
                .then((bytes) => parseFile(bytes, this.codec))
                .catch((error: Error) => ({ ok: false as const, reason: `cannot be read: ${error.message}` }));
      }
      found.push({ file, statKey: key, parsed, mtime: st.mtime });
    }
    this.files.clear();
    for (const f of found) this.files.set(f.file, { statKey: f.statKey, parsed: f.parsed });

    // Ids: a file keeps the id it claims, unless another file claims it too (a copy made in a
    // file manager): then the file that had it before keeps it (or the newest version, or the
    // first by name) and the others get ids of their own until saved.
    const claims = new Map<string, typeof found>();
    for (const f of found) {
      const id = f.parsed.claimedId;
      if (id) claims.set(id, [...(claims.get(id) ?? []), f]);
    }
    const idOf = new Map<string, string>();
    for (const [id, claimants] of claims) {
      const previous = this.items.get(id)?.file;
      const owner =
        claimants.find((f) => f.file === previous) ??
        [...claimants].sort(
          (a, b) =>
            Number(b.parsed.ok) - Number(a.parsed.ok) ||
            declared(b.parsed) - declared(a.parsed) ||
            a.file.localeCompare(b.file),
        )[0];
      if (owner) idOf.set(owner.file, id);
    }

    // A file that no longer says its id (it broke, or the id line was removed) keeps the one it had.
    const assigned = new Set(idOf.values());
    for (const item of this.items.values()) {
      if (!idOf.has(item.file) && !assigned.has(item.id) && found.some((f) => f.file === item.file)) {
        idOf.set(item.file, item.id);
        assigned.add(item.id);
      }
    }

    const next = new Map<string, Item<T>>();
    for (const f of found) {
      const id = idOf.get(f.file) ?? derivedId(f.file);
      const before = this.items.get(id);
      if (!f.parsed.ok) {
        next.set(id, { id, file: f.file, statKey: f.statKey, parsed: f.parsed, needsReconcile: false });
        continue;
      }
      if (before && before.file === f.file && before.statKey === f.statKey && before.parsed === f.parsed && !before.needsReconcile && before.head) {
        next.set(id, before);
        continue;
      }
      const item: Item<T> = { id, file: f.file, statKey: f.statKey, parsed: f.parsed, needsReconcile: false };
      try {
        item.head = await this.reconcile(id, f.file, f.parsed, f.mtime);
      } catch (error) {
        item.needsReconcile = true;
        item.warning = error instanceof Error ? error.message : String(error);
        const head = before?.head;
        item.head = {
          version: Math.max(head?.version ?? 0, f.parsed.declaredVersion) + (head?.hash === f.parsed.hash ? 0 : 1),
          hash: f.parsed.hash,
          origin: 'outside',
          savedAt: f.mtime.toISOString(),
        };
      }
      next.set(id, item);
    }

    if (!this.scannedOnce) {
      this.scannedOnce = true;
      await this.cleanOrphans(new Set(next.keys()));
    }

    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    for (const [id, item] of next) {
      const before = this.items.get(id);
      if (!before) added.push(id);
      else if (before !== item && (before.file !== item.file || before.statKey !== item.statKey || before.head?.version !== item.head?.version || before.parsed.ok !== item.parsed.ok)) {
        changed.push(id);
      }
    }
    for (const id of this.items.keys()) if (!next.has(id)) removed.push(id);
    this.items = next;
    if (!added.length && !changed.length && !removed.length) return undefined;
    const event: LibraryEvent = { type: 'changed', added, changed, removed };
    this.emit(event);
    return event;
  }

  /** First scan: temp files and pending copies of templates that have no file (a crash in create). */
  private async cleanOrphans(ids: Set<string>): Promise<void> {
    const root = join(this.metaDir, 'versions');
    for (const id of await readdir(root).catch(() => [] as string[])) {
      const dir = join(root, id);
      await removeStaleTemps(dir);
      if (ids.has(id)) continue;
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        if (PENDING_RE.test(name)) await unlink(join(dir, name)).catch(() => undefined);
      }
      await rmdir(dir).catch(() => undefined); // only if now empty
    }
  }

  private startWatching(): void {
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        if (name && (name === META_DIR || isTempFile(String(name)))) return;
        this.scheduleScan();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
        this.scheduleScan();
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private scheduleScan(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.locked(() => this.scanLocked()).catch(() => undefined); // problems arrive as events
    }, this.debounceMs);
    this.timer.unref?.();
  }

  private emit(event: LibraryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private locked<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private entryOf(item: Item<T>): LibraryEntry<T> {
    const path = join(this.dir, item.file);
    if (!item.parsed.ok) return { status: 'broken', id: item.id, file: item.file, path, reason: `${item.file} ${item.parsed.reason}` };
    const head = item.head ?? { version: item.parsed.declaredVersion, hash: item.parsed.hash, origin: 'outside' as const, savedAt: '' };
    const entry: TemplateEntry<T> = {
      status: 'ok',
      id: item.id,
      file: item.file,
      path,
      name: this.codec.name(item.parsed.template),
      tags: this.codec.tags(item.parsed.template),
      version: head.version,
      savedAt: head.savedAt,
      origin: head.origin,
      editedOutside: head.origin === 'outside',
      template: item.parsed.template,
    };
    if (item.warning) entry.warning = item.warning;
    return entry;
  }
}

const sortKey = (entry: LibraryEntry<unknown>) => (entry.status === 'ok' ? entry.name : entry.file).toLowerCase();
const declared = (parsed: ParsedFile<unknown>) => (parsed.ok ? parsed.declaredVersion : 0);
const stripHash = ({ hash: _hash, ...info }: VersionInfo & { hash: string }): VersionInfo => info;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (st) => st.isDirectory(),
    () => false,
  );
}
