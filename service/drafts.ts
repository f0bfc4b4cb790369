// Drafts: the unsaved working state of each template, one JSON file per template in
// <data folder>/drafts, written atomically. The renderer keeps a draft while a template has
// edits (or typed variable values) that are not in the library, so switching templates, reloading
// the page or restarting the app never drops work. Files are keyed by the template's id (or a
// `new-…` key for a template never saved); the key alphabet is checked by the contract.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, DraftSchema, type ApiHandlers, type Draft, type DraftSummary } from '../core/api/contract.js';
import { writeFileAtomic } from './fs/atomic.js';
import { parseTemplate } from '../core/prompt/index.js';

type DraftHandlers = Pick<ApiHandlers, 'saveDraft' | 'getDraft' | 'listDrafts' | 'discardDraft'>;

const SUFFIX = '.draft.json';

export function createDrafts(dataDir: string | undefined): DraftHandlers {
  const dir = (): string => {
    if (!dataDir) throw new ApiError('internal', 'this Shotglass has no data folder, so it keeps no drafts');
    return join(dataDir, 'drafts');
  };
  const fileOf = (key: string) => join(dir(), `${key}${SUFFIX}`);

  /** A draft file as stored, or null when missing or unreadable (a bad file is left for the user, never deleted). */
  const read = async (file: string): Promise<Draft | null> => {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return null;
    }
    const parsed = DraftSchema.safeParse(raw);
    if (!parsed.success) return null;
    const template = parseTemplate(parsed.data.template);
    return template.ok ? { ...parsed.data, template: template.template } : null;
  };

  return {
    async saveDraft({ draft }) {
      const template = parseTemplate(draft.template);
      if (!template.ok) throw new ApiError('invalid-argument', `draft.template: ${template.error}`);
      const savedAt = new Date().toISOString();
      const stored: Draft = { ...draft, template: template.template, savedAt };
      await mkdir(dir(), { recursive: true });
      await writeFileAtomic(fileOf(draft.key), JSON.stringify(stored, null, 1) + '\n');
      return { savedAt };
    },
    async getDraft({ key }) {
      return read(fileOf(key));
    },
    async listDrafts() {
      let names: string[];
      try {
        names = (await readdir(dir())).filter((n) => n.endsWith(SUFFIX));
      } catch {
        return [];
      }
      const drafts = await Promise.all(names.map((n) => read(join(dir(), n))));
      return drafts
        .filter((d): d is Draft => d !== null)
        .map((d): DraftSummary => ({ key: d.key, base: d.base, edited: d.edited, savedAt: d.savedAt, name: d.template.name }))
        .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    async discardDraft({ key }) {
      try {
        await unlink(fileOf(key));
        return { discarded: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { discarded: false };
        throw error;
      }
    },
  };
}
