// File names for templates: a readable slug of the name, unique in the folder whatever the file
// system's case sensitivity, and safe on Windows, macOS and Linux.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_SLUG = 60;

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  if (!slug) return 'template';
  return WINDOWS_RESERVED.test(slug) ? `${slug}-template` : slug;
}

/** `<slug>.yaml`, or `<slug>-2.yaml`, `<slug>-3.yaml`, … when taken (compared case-insensitively). */
export function uniqueFileName(name: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((file) => file.toLowerCase()));
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const file = n === 1 ? `${base}.yaml` : `${base}-${n}.yaml`;
    if (!used.has(file.toLowerCase())) return file;
  }
}

/** Was this file name chosen by Shotglass for that name (`<slug>.yaml` or `<slug>-N.yaml`)? */
export function fileFollowsName(file: string, name: string): boolean {
  const stem = file.replace(/\.ya?ml$/i, '').toLowerCase();
  const base = slugify(name);
  return stem === base || new RegExp(`^${base.replace(/[-]/g, '\\-')}-[0-9]+$`).test(stem);
}
