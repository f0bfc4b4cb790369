// Property tests (fast-check): escaping, unicode, missing variables, determinism, technique switching.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assemble,
  buildTemplate,
  escapeLiteral,
  hashTemplate,
  MissingVariablesError,
  renderTemplate,
  selectExamples,
  switchMode,
  switchTechnique,
  templateFrom,
  tokenize,
  TECHNIQUES,
  utf8Bytes,
  type Template,
  type TemplatePart,
} from '../../../core/prompt';

// Strings rich in the characters that matter to the lexer, plus any unicode.
const tricky = fc.string({
  unit: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('{', '}', '\\', '{{', '}}', '\\{{', 'a', ' ', '\n', 'x.y', '-') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
  ),
  maxLength: 30,
});
const anyUnicode = fc.string({ unit: 'binary', maxLength: 40 }); // any code point, lone surrogates included
const NAMES = ['text', 'a', 'b_2', 'x.y', 'k-1', 'größe', '_z', 'Ω'];
const name = fc.constantFrom(...NAMES);

const noValues = () => undefined;

describe('escaping', () => {
  it('escapeLiteral(s) renders back to s exactly, with no placeholder in it', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, anyUnicode), (s) => {
        const source = escapeLiteral(s);
        expect(tokenize(source).some((t) => t.kind === 'variable')).toBe(false);
        expect(renderTemplate(source, noValues).text).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('buildTemplate: literal text (braces and backslashes included) survives next to placeholders', () => {
    const part: fc.Arbitrary<TemplatePart> = fc.oneof(tricky, name.map((variable) => ({ variable })));
    const values: Record<string, string> = Object.fromEntries(NAMES.map((n, i) => [n, `<${i}{{${n}}}\\>`]));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        const expected = parts.map((p) => (typeof p === 'string' ? p : values[p.variable]!)).join('');
        const rendered = renderTemplate(buildTemplate(parts), (n) => values[n]);
        expect(rendered.missing).toEqual([]);
        expect(rendered.text).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('tokens cover the source end to end, in order', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        let at = 0;
        for (const t of tokenize(s)) {
          expect(t.start).toBe(at);
          expect(t.end).toBeGreaterThan(t.start);
          at = t.end;
        }
        expect(at).toBe(s.length);
      }),
    );
  });
});

describe('unicode', () => {
  it('survives byte-exact in values, examples and (escaped) template text, in both modes', () => {
    fc.assert(
      fc.property(anyUnicode, anyUnicode, anyUnicode, anyUnicode, (instruction, exIn, exOut, value) => {
        const t = templateFrom({
          schemaVersion: 1,
          name: 'u',
          technique: 'one-shot',
          instruction: escapeLiteral(`✓${instruction}`),
          examples: [{ input: exIn, output: exOut }],
          exampleFormat: 'Q: {{input}}\nA: {{output}}',
          input: '«{{text}}»',
        });
        const expected = `✓${instruction}\n\nQ: ${exIn}\nA: ${exOut}\n\nQ: «${value}»\nA:`;
        const p = assemble(t, { text: value });
        if (p.mode !== 'completion') throw new Error();
        expect(p.text).toBe(expected);
        expect(utf8Bytes(p.text)).toEqual(utf8Bytes(expected));
        const c = assemble(switchMode(t, 'chat'), { text: value });
        if (c.mode !== 'chat') throw new Error();
        expect(c.messages).toEqual([
          { role: 'user', content: `✓${instruction}\n\n${exIn}` },
          { role: 'assistant', content: exOut },
          { role: 'user', content: `«${value}»` },
        ]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('missing variables', () => {
  it('the error lists exactly the used names that have neither a value nor a default', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1 }),
        fc.uniqueArray(name),
        fc.uniqueArray(name),
        (used, given, defaulted) => {
          const t = templateFrom({
            schemaVersion: 1,
            name: 'm',
            instruction: used.map((n) => `{{${n}}}`).join(' and '),
            input: used.map((n) => `[{{ ${n} }}]`).join(''),
            variables: defaulted.map((n) => ({ name: n, default: `d-${n}` })),
          });
          const values = Object.fromEntries(given.map((n) => [n, `v-${n}`]));
          const expected = used.filter((n) => !given.includes(n) && !defaulted.includes(n));
          if (expected.length === 0) {
            const p = assemble(t, values);
            expect(p.meta.missing).toEqual([]);
            expect(p.meta.variables).toEqual(used);
            return;
          }
          try {
            assemble(t, values);
            expect.unreachable('should throw');
          } catch (error) {
            expect(error).toBeInstanceOf(MissingVariablesError);
            expect((error as MissingVariablesError).missing).toEqual(expected);
            for (const n of expected) expect((error as Error).message).toContain(`"${n}"`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

// Random templates: any mode and technique, examples enabled or not, with or without reasoning.
const exampleArb = fc.record(
  {
    input: fc.string({ maxLength: 12 }),
    output: fc.string({ maxLength: 12 }),
    reasoning: fc.string({ maxLength: 12 }),
    enabled: fc.boolean(),
  },
  { requiredKeys: ['input', 'output', 'enabled'] },
);
const templateArb: fc.Arbitrary<Template> = fc
  .record({
    mode: fc.constantFrom('completion' as const, 'chat' as const),
    technique: fc.constantFrom(...TECHNIQUES),
    instruction: fc.constantFrom('', 'Do the task.', 'Use {{tone}}.'),
    system: fc.constantFrom('', 'Be kind.'),
    examples: fc.array(exampleArb, { maxLength: 6 }),
    placement: fc.constantFrom('after-input' as const, 'before-input' as const),
    trigger: fc.constantFrom("Let's think step by step.", ''),
  })
  .map((r) =>
    templateFrom({
      schemaVersion: 1,
      name: 'random',
      mode: r.mode,
      technique: r.technique,
      instruction: r.instruction,
      system: r.system,
      examples: r.examples,
      exampleFormat: 'Q: {{input}}\nA: {{output}}',
      input: '{{text}}',
      chainOfThought: { placement: r.placement, trigger: r.trigger },
      variables: [{ name: 'text' }, { name: 'tone', default: 'a calm tone' }],
    }),
  );

describe('assembly', () => {
  it('is deterministic and does not touch the template', () => {
    fc.assert(
      fc.property(templateArb, fc.string(), (t, value) => {
        const before = structuredClone(t);
        const a = assemble(t, { text: value });
        const b = assemble(structuredClone(t), { text: value });
        expect(b).toEqual(a);
        expect(t).toEqual(before);
      }),
    );
  });

  it('shows what the technique selects: none, the first enabled, or every enabled example', () => {
    fc.assert(
      fc.property(templateArb, (t) => {
        const enabled = t.examples.flatMap((e, i) => (e.enabled ? [i] : []));
        const p = assemble(t, { text: 'x' });
        const expected = { 'zero-shot': [], 'one-shot': enabled.slice(0, 1), 'few-shot': enabled, 'chain-of-thought': enabled }[t.technique];
        expect(p.meta.examples.used).toEqual(expected);
        const shown = p.spans.filter((s) => s.kind === 'example').map((s) => s.exampleIndex);
        expect([...new Set(shown)]).toEqual(expected);
      }),
    );
  });
});

describe('technique switching', () => {
  it('never loses an example (disabled ones stay disabled) and switching back restores the template', () => {
    fc.assert(
      fc.property(templateArb, fc.array(fc.constantFrom(...TECHNIQUES), { maxLength: 8 }), (t, path) => {
        let current = t;
        for (const technique of path) {
          current = switchTechnique(current, technique);
          expect(current.examples).toEqual(t.examples);
          expect(selectExamples(current).used.length + selectExamples(current).unused.length).toBe(t.examples.length);
          assemble(current, { text: 'x' }); // every step still assembles
        }
        const back = switchTechnique(current, t.technique);
        expect(back).toEqual(t);
        expect(hashTemplate(back)).toBe(hashTemplate(t));
      }),
    );
  });

  it('switching mode back and forth loses nothing either', () => {
    fc.assert(
      fc.property(templateArb, (t) => {
        const other = t.mode === 'chat' ? 'completion' : 'chat';
        expect(switchMode(switchMode(t, other), t.mode)).toEqual(t);
      }),
    );
  });
});
