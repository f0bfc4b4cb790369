// A prompt template, as data: the versioned schema, validated (and migrated) on load.
//
// Example (YAML, as the library writes it; fields with defaults may be left out when writing by hand):
//
//   schemaVersion: 1
//   name: Sentiment (few-shot)
//   description: Label a review Positive or Negative.
//   tags: [classification, sentiment]
//   mode: completion                  # or chat
//   technique: few-shot               # zero-shot | one-shot | few-shot | chain-of-thought
//   system: ""                        # chat only
//   instruction: Decide whether each review is positive or negative.
//   examples:
//     - { input: This movie was wonderful!, output: Positive., enabled: true }
//     - { input: This movie sucks!, output: Negative., enabled: true }
//   exampleFormat: "Q: {{input}}\nA: {{output}}"
//   exampleSeparator: "\n\n"
//   input: "{{review}}"
//   chainOfThought: { trigger: Let's think step by step., placement: after-input, answerFormat: "{{reasoning}}\nAnswer: {{output}}" }
//   chat: { instructionPlacement: first-user }
//   extraction: { rule: first-line }
//   variables:
//     - { name: review, description: The review to label, default: The hotel room was dirty. }
//   sampling: { preset: Deterministic, maxTokens: 8, stop: ["\n"] }
//   modelHint: any base or instruct model
//   notes: ""
//
// What each field means for the prompt is in assemble.ts; the placeholder syntax in variables.ts.
// Key order: files are written in the order the schema declares its fields (toPlain), so diffs stay
// clean whatever order a file was read in.
import { z } from 'zod';
import { ConstraintSchema } from '../api/contract.js';
import { ExtractionRuleSchema } from './extract.js';
import { sha256Hex } from './hash.js';
import { formatIssues } from './issues.js';
import { TemplateSamplingSchema } from '../sampling/presets.js';
import { BUILTIN_VARIABLES, isBuiltinVariable, isValidVariableName, MAX_VARIABLE_NAME_LENGTH, tokenize } from './variables.js';

export const CURRENT_SCHEMA_VERSION = 1;

export const DEFAULT_COT_TRIGGER = "Let's think step by step.";
export const DEFAULT_ANSWER_FORMAT = '{{reasoning}}\nAnswer: {{output}}';
export const DEFAULT_EXAMPLE_FORMAT = 'Input: {{input}}\nOutput: {{output}}';
export const DEFAULT_EXAMPLE_SEPARATOR = '\n\n';
export const DEFAULT_INPUT = '{{text}}';

const MAX_TEXT = 1_000_000;

const text = (max = MAX_TEXT) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
    .max(max, `must be at most ${max} characters`);
const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item, { error: 'must be a list' }).max(max, `must have at most ${max} ${what}`);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` });

export const ModeSchema = oneOf(['completion', 'chat']);
export const TechniqueSchema = oneOf(['zero-shot', 'one-shot', 'few-shot', 'chain-of-thought']);
export type Mode = z.infer<typeof ModeSchema>;
export type Technique = z.infer<typeof TechniqueSchema>;

export const ExampleSchema = z.strictObject(
  {
    input: text(),
    output: text(),
    /** the worked steps, shown before the answer by chain-of-thought */
    reasoning: text().optional(),
    /** disabled examples are kept but never shown */
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
  },
  { error: 'must be a mapping with input and output' },
);
export type Example = z.output<typeof ExampleSchema>;

export const VariableSchema = z.strictObject(
  {
    name: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be text') })
      .refine(isValidVariableName, {
        message: `must start with a letter or _ and hold only letters, digits, _, - and . (at most ${MAX_VARIABLE_NAME_LENGTH})`,
      })
      .refine((name) => !isBuiltinVariable(name), {
        message: `is reserved: ${BUILTIN_VARIABLES.join(', ')} are filled in from the examples`,
      }),
    description: text(2000).default(''),
    /** used when the run gives no value; absent = the variable is required */
    default: text().optional(),
  },
  { error: 'must be a mapping with a name' },
);
export type Variable = z.output<typeof VariableSchema>;

export const ChainOfThoughtSchema = z
  .strictObject(
    {
      /** the step-by-step request; empty = none (few-shot CoT from the examples' reasoning alone) */
      trigger: text(2000).default(DEFAULT_COT_TRIGGER),
      /**
       * after-input: the trigger starts the answer (completion: after the answer prefix, `A: Let's
       * think step by step.`; chat: the end of the last user message), and examples with reasoning
       * start their answer with it too. before-input: its own paragraph just before the input.
       */
      placement: oneOf(['after-input', 'before-input']).default('after-input'),
      /** an example's answer under chain-of-thought: {{reasoning}} and {{output}}, once each */
      answerFormat: text(10_000).default(DEFAULT_ANSWER_FORMAT),
    },
    { error: 'must be a mapping' },
  )
  .prefault({});

export const ChatOptionsSchema = z
  .strictObject(
    {
      /** first-user: the instruction opens the first user message; system: it joins the system message */
      instructionPlacement: oneOf(['first-user', 'system']).default('first-user'),
    },
    { error: 'must be a mapping' },
  )
  .prefault({});

/**
 * The contract's ConstraintSchema with messages in words, piped into the contract's own schema
 * (checked once ours passes), so the two cannot drift apart.
 */
export const TemplateConstraintSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('json-schema'),
      schema: z.record(z.string(), z.unknown(), { error: (i) => (i.input === undefined ? 'is required' : 'must be a JSON schema (a mapping)') }),
    }),
    z.strictObject({
      type: z.literal('grammar'),
      gbnf: text(200_000).min(1, 'must not be empty'),
    }),
  ],
  {
    error: (i) => ((i.code as string) === 'invalid_type' ? 'must be a mapping with a type' : 'must be json-schema or grammar'),
  },
).pipe(ConstraintSchema);

export const TemplateSchema = z
  .strictObject(
    {
      schemaVersion: z.literal(CURRENT_SCHEMA_VERSION, { error: `must be ${CURRENT_SCHEMA_VERSION}` }),
      name: text(200).refine((s) => s.trim() !== '', { message: 'must not be empty' }),
      description: text(5000).default(''),
      tags: list(text(50).refine((s) => s.trim() !== '', { message: 'must not be empty' }), 32, 'tags').default([]),
      mode: ModeSchema.default('completion'),
      technique: TechniqueSchema.default('zero-shot'),
      /** chat mode only */
      system: text().default(''),
      instruction: text().default(''),
      examples: list(ExampleSchema, 1000, 'examples').default([]),
      /** completion mode: one example, {{input}} then {{output}}, once each; also frames the final input */
      exampleFormat: text(10_000).default(DEFAULT_EXAMPLE_FORMAT),
      /** completion mode: between instruction, examples and input (taken literally, no placeholders) */
      exampleSeparator: text(1000).default(DEFAULT_EXAMPLE_SEPARATOR),
      /** the final input, from the user's variables */
      input: text().default(DEFAULT_INPUT),
      chainOfThought: ChainOfThoughtSchema,
      chat: ChatOptionsSchema,
      extraction: ExtractionRuleSchema.default({ rule: 'full' }),
      variables: list(VariableSchema, 200, 'variables').default([]),
      sampling: TemplateSamplingSchema.default({}),
      constraint: TemplateConstraintSchema.optional(),
      /** which model the template was written for, in words (a file name, a family, a size) */
      modelHint: text(500).default(''),
      notes: text().default(''),
    },
    { error: 'must be a mapping' },
  )
  .superRefine((t, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const format = exampleFormatProblem(t.exampleFormat);
    if (format) problem(['exampleFormat'], format);
    const answer = answerFormatProblem(t.chainOfThought.answerFormat);
    if (answer) problem(['chainOfThought', 'answerFormat'], answer);
    t.variables.forEach((v, i) => {
      const first = t.variables.findIndex((w) => w.name === v.name);
      if (first !== i) problem(['variables', i, 'name'], `"${v.name}" is already declared by variables.${first}`);
    });
    t.tags.forEach((tag, i) => {
      if (t.tags.indexOf(tag) !== i) problem(['tags', i], `"${tag}" is listed twice`);
    });
  });

export type Template = z.output<typeof TemplateSchema>;
/** A template as written by hand: everything with a default may be left out. */
export type TemplateInput = z.input<typeof TemplateSchema>;

function countPlaceholders(source: string): Map<string, number[]> {
  const at = new Map<string, number[]>();
  for (const t of tokenize(source)) {
    if (t.kind === 'variable') at.set(t.name, [...(at.get(t.name) ?? []), t.start]);
  }
  return at;
}

/** Why an example format cannot be used, or null. */
export function exampleFormatProblem(source: string): string | null {
  const at = countPlaceholders(source);
  const inputs = at.get('input') ?? [];
  const outputs = at.get('output') ?? [];
  if (at.has('reasoning')) return 'must not contain {{reasoning}}: reasoning goes in chainOfThought.answerFormat';
  if (inputs.length !== 1) return 'must contain {{input}} exactly once';
  if (outputs.length !== 1) return 'must contain {{output}} exactly once (it marks where the answer goes)';
  if (inputs[0]! > outputs[0]!) return 'must have {{input}} before {{output}}';
  return null;
}

/** Why a chain-of-thought answer format cannot be used, or null. */
export function answerFormatProblem(source: string): string | null {
  const at = countPlaceholders(source);
  if (at.has('input')) return 'must not contain {{input}}: it formats the answer only';
  if ((at.get('reasoning') ?? []).length !== 1) return 'must contain {{reasoning}} exactly once';
  if ((at.get('output') ?? []).length !== 1) return 'must contain {{output}} exactly once';
  return null;
}

// ------------------------------------------------------------------ loading, with migrations

export type ParseResult =
  | {
      ok: true;
      template: Template;
      /** the schema version the file had when older than the current one (saving upgrades it) */
      migratedFrom: number | null;
    }
  | { ok: false; error: string };

class MigrationError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Raw = Record<string, unknown>;

const isMapping = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Schema 0: the files of Shotglass's first prototype, before schemaVersion existed:
 *
 *   name: Sentiment
 *   technique: few_shot              # zero_shot | one_shot | few_shot | cot
 *   system_prompt: …                 # -> system
 *   instruction: …
 *   examples:                        # [input, output] or [input, output, reasoning]
 *     - [This movie was wonderful!, Positive.]
 *   example_template: "Q: {{input}}\nA: {{output}}"   # -> exampleFormat
 *   separator: "\n\n"                # -> exampleSeparator
 *   prompt: "{{review}}"             # -> input
 *   cot_trigger: …                   # -> chainOfThought.trigger
 *   variables: { review: "default text" }   # name -> default (null: no default)
 *   temperature: 0.2                 # -> sampling.temperature
 *   max_tokens: 64                   # -> sampling.maxTokens
 *   stop: "\n"                       # a string or a list -> sampling.stop
 *   (name, description, mode, instruction and notes as in schema 1)
 *
 * Values are moved, not checked: schema 1's validation reports anything wrong under its names.
 */
function migrate0to1(raw: Raw): Raw {
  const { technique, system_prompt, examples, example_template, separator, prompt, cot_trigger, variables, temperature, max_tokens, stop, schemaVersion: _v, ...rest } = raw;
  const out: Raw = { ...rest, schemaVersion: 1 };
  const renamed = { zero_shot: 'zero-shot', one_shot: 'one-shot', few_shot: 'few-shot', cot: 'chain-of-thought' } as Record<string, string>;
  if (technique !== undefined) out.technique = typeof technique === 'string' ? (renamed[technique] ?? technique) : technique;
  if (system_prompt !== undefined) out.system = system_prompt;
  if (examples !== undefined) {
    if (!Array.isArray(examples)) throw new MigrationError('examples', 'must be a list of [input, output] pairs');
    out.examples = examples.map((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length < 2 || pair.length > 3) {
        throw new MigrationError(`examples.${i}`, 'must be an [input, output] pair or an [input, output, reasoning] triple');
      }
      return { input: pair[0], output: pair[1], ...(pair.length === 3 ? { reasoning: pair[2] } : {}), enabled: true };
    });
  }
  if (example_template !== undefined) out.exampleFormat = example_template;
  if (separator !== undefined) out.exampleSeparator = separator;
  if (prompt !== undefined) out.input = prompt;
  if (cot_trigger !== undefined) out.chainOfThought = { trigger: cot_trigger };
  if (variables !== undefined) {
    if (!isMapping(variables)) throw new MigrationError('variables', 'must be a mapping of name to default');
    out.variables = Object.entries(variables).map(([name, value]) => ({ name, ...(value === null ? {} : { default: value }) }));
  }
  const sampling: Raw = {};
  if (temperature !== undefined) sampling.temperature = temperature;
  if (max_tokens !== undefined) sampling.maxTokens = max_tokens;
  if (stop !== undefined) sampling.stop = typeof stop === 'string' ? [stop] : stop;
  if (Object.keys(sampling).length) out.sampling = sampling;
  return out;
}

/** MIGRATIONS[v] turns a schema-v mapping into a schema-(v+1) one. */
const MIGRATIONS: readonly ((raw: Raw) => Raw)[] = [migrate0to1];
if (MIGRATIONS.length !== CURRENT_SCHEMA_VERSION) throw new Error('a template migration is missing');

/**
 * Validate a template read from a file (YAML or JSON, already parsed). Files without
 * schemaVersion are schema 0 and are migrated; newer schemas are refused in words.
 */
export function parseTemplate(raw: unknown): ParseResult {
  if (raw === null || raw === undefined) return { ok: false, error: 'the template is empty' };
  if (!isMapping(raw)) return { ok: false, error: 'the template must be a mapping of fields (YAML) or an object (JSON)' };
  const declared = raw.schemaVersion;
  if (declared !== undefined && (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0)) {
    return { ok: false, error: 'schemaVersion must be a whole number' };
  }
  const version = declared ?? 0;
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      error: `this template was saved by a newer Shotglass (schema ${version}); this version reads up to ${CURRENT_SCHEMA_VERSION}`,
    };
  }
  const upgraded = version < CURRENT_SCHEMA_VERSION ? ` (read as schema ${version} and upgraded to ${CURRENT_SCHEMA_VERSION})` : '';
  let data: Raw = raw;
  try {
    for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) data = MIGRATIONS[v]!(data);
  } catch (error) {
    if (error instanceof MigrationError) return { ok: false, error: `${error.path} ${error.message}${upgraded}` };
    throw error;
  }
  const result = TemplateSchema.safeParse(data);
  if (!result.success) return { ok: false, error: formatIssues(result.error.issues, 'the template') + upgraded };
  return { ok: true, template: result.data, migratedFrom: version < CURRENT_SCHEMA_VERSION ? version : null };
}

/** parseTemplate for values the program builds itself (starters, tests): throws on a bad one. */
export function templateFrom(input: TemplateInput | Record<string, unknown>): Template {
  const result = parseTemplate(input);
  if (!result.ok) throw new Error(`invalid template: ${result.error}`);
  return result.template;
}

/** A new, empty-ish template: zero-shot completion over one variable, {{text}}. */
export function defaultTemplate(): Template {
  return templateFrom({
    schemaVersion: 1,
    name: 'Untitled prompt',
    instruction: '',
    exampleFormat: DEFAULT_EXAMPLE_FORMAT,
    input: DEFAULT_INPUT,
    variables: [{ name: 'text', description: 'The text the prompt works on' }],
  });
}

// ------------------------------------------------------------------ stable key order and hash

/** Top-level keys in the order files are written (the schema's declaration order). */
export const TEMPLATE_KEY_ORDER = Object.keys(TemplateSchema.shape) as readonly (keyof Template)[];

/**
 * The template as plain JSON-compatible data with keys in a fixed order at every level: the
 * schema's declaration order for template fields (examples: input, output, reasoning, enabled;
 * variables: name, description, default; sampling: preset then the contract's order); undefined
 * fields left out. Write files with `YAML.stringify(toPlain(t))` for clean git diffs.
 *
 * One deliberate exception: the JSON schema inside `constraint` keeps the order it was written in,
 * because that order is meaning (a JSON-schema grammar emits properties in that order).
 */
export function toPlain(template: Template): Record<string, unknown> {
  return orderBySchema(template, TemplateSchema) as Record<string, unknown>;
}

/**
 * SHA-256 (hex) of the template's canonical JSON (toPlain): the same for the same content whatever
 * the key order it was built or read with; any change of content (notes included) changes it.
 */
export function hashTemplate(template: Template): string {
  return sha256Hex(JSON.stringify(toPlain(template)));
}

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable) {
      s = s.unwrap() as AnySchema;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as AnySchema;
    } else return s;
  }
}

function orderBySchema(value: unknown, schema: AnySchema): unknown {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject && isMapping(value)) {
    const shape = s.shape as Record<string, AnySchema>;
    const out: Raw = {};
    for (const key of Object.keys(shape)) {
      if (value[key] !== undefined) out[key] = orderBySchema(value[key], shape[key]!);
    }
    // not in the schema (only in unvalidated data): after the known keys, sorted
    for (const key of Object.keys(value).filter((k) => !(k in shape)).sort()) {
      if (value[key] !== undefined) out[key] = plainCopy(value[key]);
    }
    return out;
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) return value.map((item) => orderBySchema(item, s.element as AnySchema));
  if ((s instanceof z.ZodDiscriminatedUnion || s instanceof z.ZodUnion) && isMapping(value)) {
    const option = (s.options as AnySchema[]).find((o) => z.safeParse(o, value).success);
    return option ? orderBySchema(value, option) : plainCopy(value);
  }
  return plainCopy(value);
}

/** A deep copy that keeps key order (user data such as a JSON schema). */
function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (isMapping(value)) {
    const out: Raw = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plainCopy(v);
    return out;
  }
  return value;
}
