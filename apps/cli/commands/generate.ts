// `shotglass complete`, `chat` and `run`: one generation each (apps/cli/generate.ts streams it).
import { UsageError, readText, type Values } from '../args.js';
import { chatMessages, generate } from '../generate.js';
import { plan, withService } from '../session.js';

export async function complete(values: Values): Promise<number> {
  if (values.prompt === undefined) throw new UsageError('--prompt <text> is required');
  if (values.prompt.length > 1) throw new UsageError('complete takes one --prompt (use compare for several)');
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  return withService(values, (s) => generate(s, values, { mode: 'completion', text: values.prompt![0]! }));
}

export async function chat(values: Values, _positionals: string[], argv: string[]): Promise<number> {
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  const messages = chatMessages(values, argv);
  const template = values.template ? readText('template', values.template) : undefined;
  return withService(values, (s) => generate(s, values, { mode: 'chat', messages, ...(template ? { template } : {}) }));
}

export async function run(values: Values, positionals: string[]): Promise<number> {
  const path = positionals[0];
  if (!path) throw new UsageError('run needs a template file: shotglass run <template.yaml> --model <file.gguf>');
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  const runPlan = plan(path, values);
  return withService(values, (s) => generate(s, values, runPlan.input, { plan: runPlan }));
}
