// Edits of a template as pure functions: each returns a new template and shares everything it did
// not change (so unchanged examples keep their identity and their cards do not re-render).
import type { Example, Template, TemplateField, Variable } from '../../../core/prompt/index';

export const blankExample = (): Example => ({ input: '', output: '', enabled: true });

export function setField(template: Template, field: TemplateField, value: string): Template {
  switch (field) {
    case 'chainOfThought.trigger':
      return { ...template, chainOfThought: { ...template.chainOfThought, trigger: value } };
    case 'chainOfThought.answerFormat':
      return { ...template, chainOfThought: { ...template.chainOfThought, answerFormat: value } };
    default:
      return { ...template, [field]: value };
  }
}

const inRange = (template: Template, index: number) => Number.isInteger(index) && index >= 0 && index < template.examples.length;

export function insertExample(template: Template, index: number, example: Example): Template {
  const at = Math.max(0, Math.min(index, template.examples.length));
  return { ...template, examples: [...template.examples.slice(0, at), example, ...template.examples.slice(at)] };
}

export function updateExample(template: Template, index: number, changes: Partial<Example>): Template {
  if (!inRange(template, index)) return template;
  const examples = template.examples.slice();
  const next: Example = { ...examples[index]!, ...changes };
  // An emptied reasoning is no reasoning (the schema keeps it optional).
  if (next.reasoning === undefined) delete next.reasoning;
  examples[index] = next;
  return { ...template, examples };
}

export function duplicateExample(template: Template, index: number): Template {
  if (!inRange(template, index)) return template;
  return insertExample(template, index + 1, { ...template.examples[index]! });
}

export function removeExample(template: Template, index: number): { template: Template; removed: Example | null } {
  if (!inRange(template, index)) return { template, removed: null };
  const removed = template.examples[index]!;
  return { template: { ...template, examples: template.examples.filter((_, i) => i !== index) }, removed };
}

/** Move the example at `from` so that it ends up at index `to`. */
export function moveExample(template: Template, from: number, to: number): Template {
  if (!inRange(template, from)) return template;
  const target = Math.max(0, Math.min(to, template.examples.length - 1));
  if (target === from) return template;
  const examples = template.examples.slice();
  const [moved] = examples.splice(from, 1);
  examples.splice(target, 0, moved!);
  return { ...template, examples };
}

export function declareVariable(template: Template, name: string): Template {
  if (template.variables.some((v) => v.name === name)) return template;
  return { ...template, variables: [...template.variables, { name, description: '' }] };
}

export function updateVariable(template: Template, name: string, changes: Partial<Variable>): Template {
  const index = template.variables.findIndex((v) => v.name === name);
  if (index < 0) return template;
  const variables = template.variables.slice();
  const next: Variable = { ...variables[index]!, ...changes };
  if (next.default === undefined) delete next.default;
  variables[index] = next;
  return { ...template, variables };
}

export function removeVariable(template: Template, name: string): Template {
  return { ...template, variables: template.variables.filter((v) => v.name !== name) };
}
