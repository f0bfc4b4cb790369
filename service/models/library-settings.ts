// The model library's own small settings file: folders the user added, favourites, and models
// removed from the list (never deleted). Written atomically; a file that cannot be read is set
// aside (renamed, not overwritten) so nothing the user chose is silently lost.
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic.js';

const SettingsSchema = z.object({
  version: z.literal(1),
  folders: z.array(z.string()).default([]),
  favourites: z.array(z.string()).default([]),
  hidden: z.array(z.string()).default([]),
});
export type LibrarySettings = z.infer<typeof SettingsSchema>;

export const emptySettings = (): LibrarySettings => ({ version: 1, folders: [], favourites: [], hidden: [] });

export interface LoadedSettings {
  settings: LibrarySettings;
  /** Set when the file was unreadable and was moved aside. */
  warning?: string;
}

export async function loadSettings(file: string): Promise<LoadedSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: emptySettings() };
    throw error;
  }
  let parsed: ReturnType<typeof SettingsSchema.safeParse> | undefined;
  try {
    parsed = SettingsSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return { settings: parsed.data };
  const aside = `${file}.unreadable-${Date.now()}`;
  await rename(file, aside);
  return { settings: emptySettings(), warning: `the model library settings could not be read; they were moved to ${aside}` };
}

export async function saveSettings(file: string, settings: LibrarySettings): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(settings, null, 2) + '\n');
}
