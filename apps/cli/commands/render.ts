// `shotglass render`: the exact prompt a template makes (and, with --model, its tokens).
import { UsageError, type Values } from '../args.js';
import { openAndLoad, plan, withService } from '../session.js';

export async function render(values: Values, positionals: string[]): Promise<number> {
  const path = positionals[0];
  if (!path) throw new UsageError('render needs a template file: shotglass render <template.yaml>');
  const { input, templateHash } = plan(path, values);
  if (!values.model) {
    const text = input.mode === 'completion' ? input.text : input.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
    process.stdout.write(values.json ? JSON.stringify({ input, templateHash }) + '\n' : text + '\n');
    return 0;
  }
  return withService(values, async (s) => {
    const model = await openAndLoad(s, values);
    const rendered = await s.api.renderPrompt({ modelId: model.id, input });
    if (values.json) {
      process.stdout.write(JSON.stringify({ input, templateHash, text: rendered.text, tokens: rendered.tokens, contextSize: rendered.contextSize }) + '\n');
    } else {
      process.stdout.write(`${rendered.text}\n-- ${rendered.tokens.length} tokens (context ${rendered.contextSize})\n`);
    }
    return 0;
  });
}
