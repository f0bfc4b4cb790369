// The library's codec for Shotglass's own templates (electron/prompt): validation (and schema
// upgrades) by parseTemplate, the schema's key order by toPlain.
import { parseTemplate, toPlain, type Template } from '../prompt/index.js';
import type { TemplateCodec } from './codec.js';

export const promptTemplateCodec: TemplateCodec<Template> = {
  parse(raw) {
    const result = parseTemplate(raw);
    return result.ok ? { ok: true, value: result.template } : { ok: false, error: result.error };
  },
  toPlain,
  name: (template) => template.name,
  withName: (template, name) => ({ ...template, name }),
  tags: (template) => template.tags,
  searchText: (template) =>
    [
      template.description,
      template.system,
      template.instruction,
      template.input,
      ...template.examples.flatMap((example) => [example.input, example.output, example.reasoning ?? '']),
      ...template.variables.flatMap((variable) => [variable.name, variable.description, variable.default ?? '']),
      template.modelHint,
      template.notes,
    ].join('\n'),
};
