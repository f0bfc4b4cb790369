// Split GGUF files (llama.cpp's gguf-split naming: name-00001-of-00003.gguf) grouped as one model.
const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

export interface SplitName {
  /** The name without the part suffix, e.g. "model.Q4_K_M". */
  base: string;
  part: number;
  parts: number;
}

export function splitName(fileName: string): SplitName | null {
  const m = SPLIT.exec(fileName);
  if (!m) return null;
  const part = Number(m[2]);
  const parts = Number(m[3]);
  if (part < 1 || parts < 1 || part > parts) return null;
  return { base: m[1]!, part, parts };
}

export function splitPartName(base: string, part: number, parts: number): string {
  return `${base}-${String(part).padStart(5, '0')}-of-${String(parts).padStart(5, '0')}.gguf`;
}

export interface FileGroup {
  /** The path a loader is given: the file itself, or the first part of a split model. */
  main: string;
  /** Every part in order (one entry for a plain file); missing parts are not listed. */
  parts: string[];
  /** For a split model: the part numbers that are missing (empty when complete). */
  missing: number[];
  expectedParts: number;
}

/**
 * Groups file paths: plain files stand alone, the parts of a split model become one group.
 * Paths keep their directory; parts only group within the same directory.
 */
export function groupSplitFiles(paths: readonly string[]): FileGroup[] {
  const groups: FileGroup[] = [];
  const splits = new Map<string, { parts: Map<number, string>; count: number }>();
  for (const path of paths) {
    const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    const dir = path.slice(0, cut + 1);
    const info = splitName(path.slice(cut + 1));
    if (!info) {
      groups.push({ main: path, parts: [path], missing: [], expectedParts: 1 });
      continue;
    }
    const key = `${dir}${info.base}\0${info.parts}`;
    const entry = splits.get(key) ?? { parts: new Map(), count: info.parts };
    entry.parts.set(info.part, path);
    splits.set(key, entry);
  }
  for (const [key, { parts, count }] of splits) {
    const dirBase = key.slice(0, key.indexOf('\0'));
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    groups.push({
      main: parts.get(1) ?? `${dirBase}-00001-of-${String(count).padStart(5, '0')}.gguf`,
      parts: numbers.filter((n) => parts.has(n)).map((n) => parts.get(n)!),
      missing: numbers.filter((n) => !parts.has(n)),
      expectedParts: count,
    });
  }
  return groups.sort((a, b) => a.main.localeCompare(b.main));
}
