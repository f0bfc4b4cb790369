// What the library needs to know about a template, whatever its schema: the library stores and
// versions files; the codec (electron/prompt's template schema, or a small one in the tests)
// validates them and says what a template is called and how it is searched.

export type CodecResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface TemplateCodec<T> {
  /**
   * Validate plain data read from a file (the `template:` section). The error is a sentence
   * fragment for the user, e.g. `name must not be empty` or `schemaVersion 3 is newer than this
   * Shotglass understands`.
   */
  parse(raw: unknown): CodecResult<T>;
  /** The template as plain data with a fixed key order (written as is, so diffs stay clean). */
  toPlain(value: T): Record<string, unknown>;
  name(value: T): string;
  /** The same template under another name (rename, duplicate). */
  withName(value: T, name: string): T;
  tags(value: T): string[];
  /** All the text a search should look in besides name and tags (description, prompts, ...). */
  searchText(value: T): string;
}
