// Diagnostics for the editor: what is wrong or suspicious in a template, per field, with ranges
// inside the field's text for Monaco markers. Errors make the template unusable (the schema
// refuses them too); warnings and infos do not stop a run.
import { answerFormatProblem, exampleFormatProblem, type Template } from './template.js';
import { activeFields, hasReasoning, selectExamples, TECHNIQUE_LABELS, TEMPLATED_FIELDS, type TemplateField } from './technique.js';
import {
  EXAMPLE_FIELDS,
  fieldSource,
  findMalformedPlaceholders,
  isBuiltinVariable,
  scanPlaceholders,
  unusedDeclaredVariables,
  type Range,
} from './variables.js';

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  /** the field path: `instruction`, `chainOfThought.trigger`, `examples.2.reasoning`, `variables.0.name` … */
  field: string;
  message: string;
  /** where in the field's text, when it is about a part of it */
  range?: Range;
}

export function lintTemplate(template: Template): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (severity: Diagnostic['severity'], field: string, message: string, range?: Range) =>
    out.push(range ? { severity, field, message, range } : { severity, field, message });

  const formatProblem = exampleFormatProblem(template.exampleFormat);
  if (formatProblem) add(template.mode === 'completion' ? 'error' : 'warning', 'exampleFormat', `exampleFormat ${formatProblem}`);
  const answerProblem = answerFormatProblem(template.chainOfThought.answerFormat);
  if (answerProblem) add('error', 'chainOfThought.answerFormat', `the answer format ${answerProblem}`);

  const active = new Set<TemplateField>(activeFields(template));
  const declared = new Set(template.variables.map((v) => v.name));
  for (const field of TEMPLATED_FIELDS) {
    const source = fieldSource(template, field);
    for (const p of scanPlaceholders(source)) {
      const inExample = EXAMPLE_FIELDS.includes(field);
      if (inExample && isBuiltinVariable(p.name)) continue;
      if (!inExample && isBuiltinVariable(p.name)) {
        add('warning', field, `{{${p.name}}} is only filled in from the examples inside the example and answer formats; here it is a variable of its own`, p);
      } else if (!declared.has(p.name) && active.has(field)) {
        add('warning', field, `{{${p.name}}} is not declared in variables: it needs a value at every run`, p);
      }
    }
    for (const m of findMalformedPlaceholders(source)) {
      add('warning', field, `${m.text} is not a placeholder and stays as text (names use letters, digits, _, - and .; write \\{{ for literal braces)`, m);
    }
  }
  for (const name of unusedDeclaredVariables(template)) {
    add('info', `variables.${template.variables.findIndex((v) => v.name === name)}`, `variable "${name}" is declared but not used`);
  }

  const { used } = selectExamples(template);
  if ((template.technique === 'one-shot' || template.technique === 'few-shot') && used.length === 0) {
    add('warning', 'examples', `${TECHNIQUE_LABELS[template.technique]} needs an enabled example; the prompt shows none`);
  }
  if (template.technique === 'few-shot' && used.length === 1) {
    add('info', 'examples', 'few-shot with one enabled example is one-shot');
  }
  if (template.technique === 'chain-of-thought') {
    const trigger = template.chainOfThought.trigger.trim();
    for (const i of used) {
      const ex = template.examples[i]!;
      if (!hasReasoning(ex)) add('info', `examples.${i}`, `example ${i + 1} has no reasoning: chain-of-thought shows only its answer`);
      else if (trigger && template.chainOfThought.placement === 'after-input' && ex.reasoning!.trimStart().startsWith(trigger)) {
        add('warning', `examples.${i}.reasoning`, `example ${i + 1}'s reasoning starts with the trigger, which is already put before it: it would appear twice`);
      }
    }
    const rule = template.extraction;
    if (rule.rule === 'after-marker' && used.some((i) => hasReasoning(template.examples[i]!)) && !template.chainOfThought.answerFormat.includes(rule.marker)) {
      add('warning', 'extraction.marker', `the examples' answers (chainOfThought.answerFormat) do not show the marker "${rule.marker}", so the model may not write it`);
    }
  }
  if (template.mode === 'completion' && template.system !== '') add('info', 'system', 'the system message is only used in chat mode');
  return out;
}
