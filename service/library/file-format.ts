// One template file: a small envelope (file format, id, version, when saved) around the template.
// The same format is used for the current file and for every kept version (which also says how
// the version came about).
import { createHash } from 'node:crypto';
import type { TemplateCodec } from '../../core/library/codec.js';
import { parseYaml, toYaml } from '../../core/library/yaml-format.js';

export const FILE_FORMAT = 1;
export const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;
export const HEADER_COMMENT =
  ' Shotglass template (file format 1). Edit freely: Shotglass keeps every saved version\n' +
  ' in .shotglass/versions/<id>/ and notices changes made outside it.';

/** Ids are letters, digits, `_` and `-`; Shotglass makes `t` + 15 random base-32 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type VersionOrigin = 'created' | 'saved' | 'renamed' | 'restored' | 'duplicated' | 'imported' | 'outside';
const ORIGINS: ReadonlySet<string> = new Set<VersionOrigin>([
  'created',
  'saved',
  'renamed',
  'restored',
  'duplicated',
  'imported',
  'outside',
]);

export interface FileMeta {
  id: string;
  version: number;
  savedAt: string;
  /** kept versions only */
  origin?: VersionOrigin;
  restoredFrom?: number;
}

export type ParsedFile<T> =
  | {
      ok: true;
      /** the file's id; absent in a bare template (no envelope) */
      claimedId?: string;
      /** the version the file says it is (0 when it does not say) */
      declaredVersion: number;
      savedAt?: string;
      origin?: VersionOrigin;
      restoredFrom?: number;
      template: T;
      plain: Record<string, unknown>;
      /** sha-256 of the template's canonical YAML: equal hashes, equal templates */
      hash: string;
    }
  | { ok: false; claimedId?: string; reason: string };

export const tooLarge = () =>
  ({ ok: false, reason: `is larger than ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB, too large for a template` }) as const;

const decoder = new TextDecoder('utf-8', { fatal: true });

export const hashText = (text: string) => createHash('sha256').update(text).digest('hex');

export function renderTemplateYaml(plain: Record<string, unknown>): string {
  return toYaml(plain);
}

/** The text of a template file (the current file, or a kept version when `origin` is given). */
export function renderFile(meta: FileMeta, plain: Record<string, unknown>): string {
  const envelope: Record<string, unknown> = {
    shotglass: FILE_FORMAT,
    id: meta.id,
    version: meta.version,
    savedAt: meta.savedAt,
  };
  if (meta.origin) envelope.origin = meta.origin;
  if (meta.restoredFrom !== undefined) envelope.restoredFrom = meta.restoredFrom;
  envelope.template = plain;
  return toYaml(envelope, HEADER_COMMENT);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Read a template file's bytes. Reasons are sentence fragments that follow the file's name:
 * "sentiment.yaml" + " is not valid YAML (line 3): …".
 */
export function parseFile<T>(bytes: Uint8Array, codec: TemplateCodec<T>): ParsedFile<T> {
  if (bytes.byteLength > MAX_TEMPLATE_BYTES) return tooLarge();
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'is not UTF-8 text' };
  }
  if (text.trim() === '') return { ok: false, reason: 'is empty' };
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, reason: yaml.error };
  const doc = yaml.value;
  if (!isPlainObject(doc)) return { ok: false, reason: 'does not hold a template (expected keys such as name and description)' };

  let claimedId: string | undefined;
  let declaredVersion = 0;
  let savedAt: string | undefined;
  let origin: VersionOrigin | undefined;
  let restoredFrom: number | undefined;
  let raw: unknown = doc;
  if ('shotglass' in doc) {
    const format = doc.shotglass;
    if (format !== FILE_FORMAT) {
      const newer = typeof format === 'number' && format > FILE_FORMAT;
      return {
        ok: false,
        reason: newer
          ? `was written in file format ${format} by a newer Shotglass; this version reads format ${FILE_FORMAT} (update Shotglass to open it)`
          : `has an unknown file format (shotglass: ${JSON.stringify(format)}; expected ${FILE_FORMAT})`,
      };
    }
    if (doc.id !== undefined) {
      if (typeof doc.id !== 'string' || !ID_PATTERN.test(doc.id)) {
        return { ok: false, reason: 'has an id that is not letters, digits, _ and - (at most 64)' };
      }
      claimedId = doc.id;
    }
    if (doc.version !== undefined) {
      if (!Number.isSafeInteger(doc.version) || (doc.version as number) < 1) {
        return { ok: false, claimedId, reason: 'has a version that is not a whole number from 1' };
      }
      declaredVersion = doc.version as number;
    }
    if (typeof doc.savedAt === 'string') savedAt = doc.savedAt;
    if (typeof doc.origin === 'string' && ORIGINS.has(doc.origin)) origin = doc.origin as VersionOrigin;
    if (Number.isSafeInteger(doc.restoredFrom)) restoredFrom = doc.restoredFrom as number;
    if (!('template' in doc)) return { ok: false, claimedId, reason: 'has no template section' };
    raw = doc.template;
  }
  const parsed = codec.parse(raw);
  if (!parsed.ok) return { ok: false, claimedId, reason: `is not a valid template: ${parsed.error}` };
  const plain = codec.toPlain(parsed.value);
  return {
    ok: true,
    claimedId,
    declaredVersion,
    savedAt,
    origin,
    restoredFrom,
    template: parsed.value,
    plain,
    hash: hashText(renderTemplateYaml(plain)),
  };
}
