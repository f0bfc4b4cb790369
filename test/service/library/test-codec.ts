// A small template schema for the library's tests (the real one lives in electron/prompt).
import { z } from 'zod';
import type { TemplateCodec } from '../../../core/library/codec.js';

export const TestTemplateSchema = z.strictObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion must be 1' }),
  name: z.string().min(1, 'name must not be empty'),
  description: z.string().default(''),
  tags: z.array(z.string()).default([]),
  system: z.string().optional(),
  prompt: z.string(),
  temperature: z.number().optional(),
});
export type TestTemplate = z.output<typeof TestTemplateSchema>;

export const testCodec: TemplateCodec<TestTemplate> = {
  parse(raw) {
    const result = TestTemplateSchema.safeParse(raw);
    if (result.success) return { ok: true, value: result.data };
    const issue = result.error.issues[0];
    const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: `${field}${issue?.message ?? 'invalid'}` };
  },
  toPlain(t) {
    const plain: Record<string, unknown> = { schemaVersion: t.schemaVersion, name: t.name, description: t.description, tags: t.tags };
    if (t.system !== undefined) plain.system = t.system;
    plain.prompt = t.prompt;
    if (t.temperature !== undefined) plain.temperature = t.temperature;
    return plain;
  },
  name: (t) => t.name,
  withName: (t, name) => ({ ...t, name }),
  tags: (t) => t.tags,
  searchText: (t) => [t.description, t.system ?? '', t.prompt].join('\n'),
};

export const template = (name: string, prompt = 'Q: {{question}}\nA:', extra: Partial<TestTemplate> = {}): TestTemplate => ({
  schemaVersion: 1,
  name,
  description: `About ${name}`,
  tags: [],
  prompt,
  ...extra,
});

/** A large prompt (about 1.5 MB) that says which version it is, for the kill test. */
export const bigPrompt = (version: number) =>
  `Version ${version}\n` + `The quick brown fox {{animal}} jumps over the lazy dog, version ${version}.\n`.repeat(20_000);
