// The template core, and a template whose lint and assembly both complain, for the renderer tests.
import { assemble, lintTemplate, starterTemplate, switchTechnique } from '../../core/prompt/index';

export { BUILTIN_PRESETS, resolveSampling, starterTemplate, switchTechnique, type Template } from '../../core/prompt/index';

/** CoT over examples without reasoning, with an undeclared variable in the instruction. */
export function diagnosticsFixture() {
  const template = switchTechnique(starterTemplate('sentiment-few-shot')!, 'chain-of-thought');
  template.instruction = 'Label it in {{style}}.';
  const assembled = assemble(template, { style: 'one word' });
  return { diagnostics: lintTemplate(template), warnings: assembled.meta.warnings };
}
