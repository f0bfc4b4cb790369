// `shotglass inspect` (what a GGUF file is, without loading it) and `shotglass tokenize`.
import { num, UsageError, type Values } from '../args.js';
import { formatInfo } from '../format.js';
import { openAndLoad, withService } from '../session.js';

export async function inspect(values: Values, positionals: string[]): Promise<number> {
  const path = positionals[0];
  if (!path) throw new UsageError('inspect needs a file: shotglass inspect <file.gguf>');
  const gpuLayers = values['gpu-layers'];
  return withService(values, async (s) => {
    const info = await s.api.inspectModel({
      path,
      contextSize: num('context-size', values['context-size']),
      gpuLayers: gpuLayers === undefined || gpuLayers === 'auto' ? 'auto' : num('gpu-layers', gpuLayers),
    });
    process.stdout.write(values.json ? JSON.stringify(info) + '\n' : formatInfo(info));
    return 0;
  });
}

export async function tokenize(values: Values): Promise<number> {
  if (values.text === undefined) throw new UsageError('--text <text> is required');
  return withService(values, async (s) => {
    const model = await openAndLoad(s, values);
    const rendered = await s.api.renderPrompt({ modelId: model.id, input: { mode: 'completion', text: values.text! } });
    if (values.json) process.stdout.write(JSON.stringify({ tokens: rendered.tokens }) + '\n');
    else for (const t of rendered.tokens) process.stdout.write(`${t.id}\t${JSON.stringify(t.text)}${t.special ? '\tspecial' : ''}\n`);
    return 0;
  });
}
