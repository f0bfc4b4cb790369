// Techniques and modes, as views over the same data.
//
// Switching technique or mode only changes which fields and examples are rendered; it never
// deletes anything. Examples stay in the template with their `enabled` flag:
//   zero-shot         renders no example (all are kept)
//   one-shot          renders the first enabled example
//   few-shot          renders every enabled example (k = how many are enabled)
//   chain-of-thought  renders every enabled example (none enabled = zero-shot CoT), each with its
//                     reasoning when it has one, and adds the trigger
// So zero → few → CoT → one → zero gives back exactly the template you started with.
import type { Template, Technique, Mode, Example } from './template.js';

export type TemplateField =
  | 'system'
  | 'instruction'
  | 'input'
  | 'exampleFormat'
  | 'chainOfThought.trigger'
  | 'chainOfThought.answerFormat';

/** Every field whose text is a template (may hold `{{placeholders}}`), in rendering order. */
export const TEMPLATED_FIELDS: readonly TemplateField[] = [
  'system',
  'instruction',
  'exampleFormat',
  'chainOfThought.answerFormat',
  'chainOfThought.trigger',
  'input',
];

export const TECHNIQUES: readonly Technique[] = ['zero-shot', 'one-shot', 'few-shot', 'chain-of-thought'];
export const TECHNIQUE_LABELS: Record<Technique, string> = {
  'zero-shot': 'Zero-shot',
  'one-shot': 'One-shot',
  'few-shot': 'Few-shot',
  'chain-of-thought': 'Chain of thought',
};

export interface ExampleSelection {
  /** indices into template.examples that the prompt shows, in order */
  used: number[];
  /** the others, and why */
  unused: { index: number; reason: 'disabled' | 'technique' }[];
}

/** Which examples the template's technique renders. */
export function selectExamples(template: Pick<Template, 'technique' | 'examples'>): ExampleSelection {
  const enabled = template.examples.flatMap((e, i) => (e.enabled ? [i] : []));
  const used =
    template.technique === 'zero-shot' ? [] : template.technique === 'one-shot' ? enabled.slice(0, 1) : enabled;
  const unused = template.examples.flatMap((e, index) =>
    used.includes(index) ? [] : [{ index, reason: e.enabled ? ('technique' as const) : ('disabled' as const) }],
  );
  return { used, unused };
}

export const hasReasoning = (e: Example): boolean => e.reasoning !== undefined && e.reasoning !== '';

/**
 * The templated fields this template renders in its mode and technique (all of them with `all`):
 * the system message only in chat mode, the example format only in completion mode (chat turns
 * carry examples as they are), the CoT fields only for chain-of-thought (the answer format only
 * when a shown example has reasoning).
 */
export function activeFields(template: Template, options: { all?: boolean } = {}): TemplateField[] {
  if (options.all) return [...TEMPLATED_FIELDS];
  const cot = template.technique === 'chain-of-thought';
  const reasoningShown = cot && selectExamples(template).used.some((i) => hasReasoning(template.examples[i]!));
  return TEMPLATED_FIELDS.filter((field) => {
    switch (field) {
      case 'system':
        return template.mode === 'chat';
      case 'exampleFormat':
        return template.mode === 'completion';
      case 'chainOfThought.trigger':
        return cot;
      case 'chainOfThought.answerFormat':
        return reasoningShown;
      default:
        return true;
    }
  });
}

/** Change technique; every example (and every other field) is kept as it is. */
export function switchTechnique(template: Template, technique: Technique): Template {
  return { ...template, technique };
}

/** Change mode; the system message and the example format are kept even while unused. */
export function switchMode(template: Template, mode: Mode): Template {
  return { ...template, mode };
}

/** One line for the technique switcher: what the current technique will show. */
export function describeSelection(template: Template): string {
  const { used, unused } = selectExamples(template);
  const disabled = unused.filter((u) => u.reason === 'disabled').length;
  const held = unused.filter((u) => u.reason === 'technique').length;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  const parts = [used.length ? `shows ${n(used.length, 'example')}` : 'shows no example'];
  if (held) parts.push(`${n(held, 'enabled example')} kept but not shown by ${TECHNIQUE_LABELS[template.technique].toLowerCase()}`);
  if (disabled) parts.push(`${n(disabled, 'disabled example')} kept`);
  return parts.join('; ');
}
