// `shotglass models [--json]`: the model library, every GGUF model Shotglass finds on this
// machine (its models folder, added folders, node-llama-cpp's, LM Studio's, llama.cpp's cache),
// read from headers; with --fit, the memory fit of each for a context size.
import { parseArgs } from 'node:util';
import { formatSize } from '../../../core/models/fit.js';
import { estimateFit, estimateLlama, readLocalHeader, type FitEstimate } from '../../../service/models/fit.js';
import { defaultLocations, ModelLibrary, type LibraryEntry } from '../../../service/models/library.js';
import { defaultDataDir } from '../../../service/workspace.js';

export const MODELS_USAGE = `usage: shotglass models [--json] [--dir D ...] [--fit [--context-size N] [--gpu-layers N|auto]]
  Lists the GGUF models in Shotglass's models folder, added folders (and --dir), node-llama-cpp's
  folder, LM Studio's and llama.cpp's cache; broken files with the reason.`;

export async function models(argv: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        dir: { type: 'string', multiple: true },
        fit: { type: 'boolean' },
        'context-size': { type: 'string' },
        'gpu-layers': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(`shotglass models: ${(error as Error).message}\n${MODELS_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(MODELS_USAGE + '\n');
    return 0;
  }
  const contextSize = values['context-size'] === undefined ? undefined : Number(values['context-size']);
  if (contextSize !== undefined && !(Number.isInteger(contextSize) && contextSize > 0)) {
    io.stderr.write('shotglass models: --context-size must be a positive whole number\n');
    return 2;
  }
  const gl = values['gpu-layers'];
  const gpuLayers = gl === undefined || gl === 'auto' ? 'auto' : Number(gl);
  if (gpuLayers !== 'auto' && !(Number.isInteger(gpuLayers) && gpuLayers >= 0)) {
    io.stderr.write('shotglass models: --gpu-layers must be a whole number or auto\n');
    return 2;
  }
  const dataDir = defaultDataDir();
  const library = new ModelLibrary({
    dataDir,
    locations: [...defaultLocations(dataDir), ...(values.dir ?? []).map((path) => ({ path, source: 'user' as const }))],
  });
  try {
    const entries = await library.scan();
    if (library.warning) io.stderr.write(`shotglass models: ${library.warning}\n`);
    const fits = new Map<string, FitEstimate>();
    if (values.fit) {
      const llama = await estimateLlama();
      for (const e of entries.filter((x) => x.status === 'ok')) {
        fits.set(e.id, await estimateFit(await readLocalHeader(e.path), llama, { contextSize, gpuLayers }));
      }
    }
    if (values.json) {
      io.stdout.write(JSON.stringify(entries.map((e) => ({ ...e, ...(fits.has(e.id) ? { fit: fits.get(e.id) } : {}) }))) + '\n');
    } else {
      io.stdout.write(entries.length === 0 ? 'no models found\n' : entries.map((e) => formatEntry(e, fits.get(e.id))).join(''));
    }
    return 0;
  } catch (error) {
    io.stderr.write(`shotglass models: ${(error as Error).message}\n`);
    return 1;
  }
}

function formatEntry(e: LibraryEntry, fit: FitEstimate | undefined): string {
  const star = e.favourite ? '★ ' : '';
  if (e.status === 'broken') return `${star}${e.fileName}  BROKEN: ${e.problem}\n    ${e.path}\n`;
  const params = e.parameters === null ? '?' : e.parameters >= 1e9 ? `${(e.parameters / 1e9).toFixed(1)}B` : `${(e.parameters / 1e6).toFixed(1)}M`;
  const facts = [
    e.architecture,
    `${params} params`,
    e.quantization,
    `ctx ${e.contextLength ?? '?'}`,
    `${e.layers ?? '?'} layers`,
    formatSize(e.sizeBytes),
    e.parts.length > 1 ? `${e.parts.length} parts` : null,
    e.chatTemplate ? 'chat template' : 'no chat template',
    e.source,
  ].filter(Boolean);
  return `${star}${e.name ?? e.fileName}  ${facts.join(' · ')}\n    ${e.path}\n${fit ? `    ${fit.summary} (context ${fit.contextSize})\n` : ''}`;
}
