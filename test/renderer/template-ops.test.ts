import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING } from '../../core/api/contract';
import { BUILTIN_PRESETS, diagnosticsFixture, resolveSampling, starterTemplate, switchTechnique, type Template } from './prompt-fixtures';
import { nextKeys } from '../../renderer/src/lib/stable-keys';
import * as ops from '../../renderer/src/store/template-ops';
import { applyPreset, presetStatus, samplingForTemplate, samplingFromTemplate, parseEscapes, showEscapes } from '../../renderer/src/store/sampling';
import { appendSteps, chunksFromSteps, STEP_CHUNK, stepAt, stepCount, stepsMatchText, stepsTextLength } from '../../renderer/src/store/token-steps';
import { problemLines } from '../../renderer/src/components/workbench/Problems';

const fewShot = (): Template => starterTemplate('sentiment-few-shot')!;

describe('template edits', () => {
  it('add, update, duplicate, remove and move examples, sharing what did not change', () => {
    const t = fewShot();
    const added = ops.insertExample(t, t.examples.length, ops.blankExample());
    expect(added.examples).toHaveLength(5);
    expect(added.examples[0]).toBe(t.examples[0]);

    const edited = ops.updateExample(added, 4, { input: 'Great!', output: 'Positive.' });
    expect(edited.examples[4]).toEqual({ input: 'Great!', output: 'Positive.', enabled: true });
    expect(edited.examples[3]).toBe(added.examples[3]);
    expect(ops.updateExample(edited, 4, { reasoning: 'It says great.' }).examples[4]!.reasoning).toBe('It says great.');
    expect('reasoning' in ops.updateExample(edited, 4, { reasoning: undefined }).examples[4]!).toBe(false);

    const duplicated = ops.duplicateExample(edited, 0);
    expect(duplicated.examples).toHaveLength(6);
    expect(duplicated.examples[1]).toEqual(duplicated.examples[0]);
    expect(duplicated.examples[1]).not.toBe(duplicated.examples[0]);

    const { template: removed, removed: example } = ops.removeExample(edited, 1);
    expect(example).toBe(edited.examples[1]);
    expect(removed.examples.map((e) => e.input)).toEqual([t.examples[0]!.input, t.examples[2]!.input, t.examples[3]!.input, 'Great!']);
    expect(ops.removeExample(edited, 9).removed).toBeNull();

    const moved = ops.moveExample(edited, 4, 0);
    expect(moved.examples.map((e) => e.input)[0]).toBe('Great!');
    expect(moved.examples[1]).toBe(edited.examples[0]);
    expect(ops.moveExample(edited, 0, 99).examples[4]).toBe(edited.examples[0]);
    expect(ops.moveExample(edited, 2, 2)).toBe(edited);
  });

  it('switching technique and back never loses an example, disabled ones stay disabled', () => {
    let t = ops.insertExample(fewShot(), 4, { input: 'Meh.', output: 'Negative.', enabled: false });
    const before = t.examples;
    for (const technique of ['chain-of-thought', 'zero-shot', 'one-shot', 'few-shot'] as const) t = switchTechnique(t, technique);
    expect(t.examples).toEqual(before);
    expect(t.examples[4]!.enabled).toBe(false);
  });

  it('fields, variables', () => {
    const t = fewShot();
    expect(ops.setField(t, 'instruction', 'Label it.').instruction).toBe('Label it.');
    expect(ops.setField(t, 'chainOfThought.trigger', 'Think.').chainOfThought).toEqual({ ...t.chainOfThought, trigger: 'Think.' });
    const declared = ops.declareVariable(t, 'tone');
    expect(declared.variables.map((v) => v.name)).toEqual(['review', 'tone']);
    expect(ops.declareVariable(declared, 'tone')).toBe(declared);
    const withDefault = ops.updateVariable(declared, 'tone', { default: 'dry' });
    expect(withDefault.variables[1]).toEqual({ name: 'tone', description: '', default: 'dry' });
    expect('default' in ops.updateVariable(withDefault, 'tone', { default: undefined }).variables[1]!).toBe(false);
    expect(ops.removeVariable(withDefault, 'tone').variables.map((v) => v.name)).toEqual(['review']);
  });
});

describe('stable keys for examples', () => {
  it('keeps a key through moves, deletes and in-place edits; new items get new keys', () => {
    const a = { n: 'a' };
    const b = { n: 'b' };
    const c = { n: 'c' };
    let m = nextKeys({ items: [], keys: [], next: 0 }, [a, b, c]);
    expect(m.keys).toEqual([0, 1, 2]);
    m = nextKeys(m, [c, a, b]);
    expect(m.keys).toEqual([2, 0, 1]);
    const b2 = { n: 'b2' };
    m = nextKeys(m, [c, a, b2]); // edited in place
    expect(m.keys).toEqual([2, 0, 1]);
    m = nextKeys(m, [c, b2]);
    expect(m.keys).toEqual([2, 1]);
    const copy = { ...c };
    m = nextKeys(m, [c, copy, b2]); // duplicated
    expect(m.keys).toEqual([2, 3, 1]);
  });
});

describe('sampling: presets and templates', () => {
  it('a preset sets the samplers and keeps the task settings', () => {
    const mine = { ...DEFAULT_SAMPLING, temperature: 1.3, topK: 5, maxTokens: 12, stop: ['\n'], seed: 7 };
    const applied = applyPreset(mine, BUILTIN_PRESETS.find((p) => p.name === 'Deterministic')!);
    expect(applied).toMatchObject({ temperature: 0, topK: DEFAULT_SAMPLING.topK, maxTokens: 12, stop: ['\n'], seed: 7 });
    expect(presetStatus(applied, 'Deterministic', [])?.status).toBe('match');
    expect(presetStatus({ ...applied, temperature: 0.4 }, 'Deterministic', [])?.status).toBe('modified');
    expect(presetStatus(applied, null, [])).toBeNull();
  });

  it('folds the settings into the template and back without a change', () => {
    const t = fewShot();
    const { sampling, preset } = samplingFromTemplate(t.sampling, []);
    expect(preset).toBe('Deterministic');
    expect(sampling).toMatchObject({ temperature: 0, maxTokens: 8, stop: ['\n'] });
    expect(samplingForTemplate(sampling, preset, [])).toEqual(t.sampling);

    const changed = { ...sampling, temperature: 0.3, dry: { strength: 1, base: 1.75, allowedLength: 2, lastTokens: 1024, sequenceBreakers: ['\n'] } };
    const folded = samplingForTemplate(changed, 'Deterministic', []);
    expect(folded).toMatchObject({ preset: 'Deterministic', temperature: 0.3, maxTokens: 8 });
    const back = resolveSampling(folded);
    expect(back.ok && back.sampling).toEqual(changed);
    // No preset: only what differs from the defaults.
    expect(samplingForTemplate({ ...DEFAULT_SAMPLING, topP: 0.5 }, null, [])).toEqual({ topP: 0.5 });
  });

  it('a template naming an unknown preset keeps its own values and says why', () => {
    const out = samplingFromTemplate({ preset: 'Mine', temperature: 0.2 }, []);
    expect(out.preset).toBeNull();
    expect(out.sampling.temperature).toBe(0.2);
    expect(out.error).toMatch(/Mine/);
  });

  it('stop strings are typed with escapes', () => {
    expect(parseEscapes('\\n\\nQ:')).toBe('\n\nQ:');
    expect(showEscapes('a\n\tb\\')).toBe('a\\n\\tb\\\\');
    expect(parseEscapes(showEscapes('x\\n\n'))).toBe('x\\n\n');
  });
});

describe('token steps in chunks', () => {
  const step = (text: string, p = 0.5) => ({ id: 1, text, p, top: [] });

  it('appends copying only the last chunk; finished chunks keep their identity', () => {
    const first = appendSteps([], Array.from({ length: STEP_CHUNK + 3 }, () => step('a')));
    expect(first).toHaveLength(2);
    const next = appendSteps(first, [step('bc'), step('')]);
    expect(next[0]).toBe(first[0]);
    expect(next[1]!.steps).toHaveLength(5);
    expect(stepCount(next)).toBe(STEP_CHUNK + 5);
    expect(stepsTextLength(next)).toBe(STEP_CHUNK + 3 + 2);
    expect(next[1]!.start).toBe(STEP_CHUNK);
    expect(stepAt(next, STEP_CHUNK + 3)!.text).toBe('bc');
    expect(chunksFromSteps([step('x')])[0]!.length).toBe(1);
  });

  it('checks the final text against the steps (a stop string may cut it)', () => {
    const steps = chunksFromSteps([step(' Pos'), step('itive'), step('.\n')]);
    expect(stepsMatchText(steps, ' Positive.')).toBe(true);
    expect(stepsMatchText(steps, ' Positive.\n')).toBe(true);
    expect(stepsMatchText(steps, ' Negative.')).toBe(false);
  });
});

describe('problems', () => {
  it('says each thing once', () => {
    const { diagnostics, warnings } = diagnosticsFixture();
    const lines = problemLines(diagnostics, warnings);
    expect(lines.filter((l) => /no reasoning/.test(l.message))).toHaveLength(1);
    expect(lines.some((l) => l.message.includes('{{'))).toBe(false); // field-level ones are Monaco markers
  });
});
