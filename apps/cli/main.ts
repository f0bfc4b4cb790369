// The `shotglass` CLI: the same backend and contract as the app, driven from the command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ApiError,
  AcceleratorSchema,
  ChatMessageSchema,
  toApiError,
  type ChatMessage,
  type CompletionResult,
  type Constraint,
  type PromptInput,
} from '../../core/api/contract.js';
import { createService } from '../../service/service.js';
import type { Service } from '../../service/types.js';
import { defaultHostEntry, packageRoot, spawnNodeHost } from '../../service/inference/node-host.js';
import { parseFile } from '../../service/library/file-format.js';
import { promptTemplateCodec } from '../../core/library/prompt-codec.js';
import { extractAnswer, prepareRun, type RunPlan, type Template } from '../../core/prompt/index.js';
import { baseDirOf, ComparisonFileSchema, comparisonToMarkdown, formatComparison, readComparisonFile, runComparison, type ComparisonFile } from './compare.js';
import { formatInfo, formatProbabilities } from './format.js';

const USAGE = `usage:
  shotglass complete --model <file.gguf> --prompt <text> [sampling] [output] [placement]
  shotglass chat --model <file.gguf> [--system <text>] --user <text> [--assistant <text> --user <text> ...]
                 [--messages <file.json>] [--template <file.jinja>] [sampling] [output] [placement]
  shotglass render <template.yaml> [--var name=value ...] [--model <file.gguf>] [--json]
  shotglass run <template.yaml> --model <file.gguf> [--var name=value ...] [sampling] [output] [placement]
  shotglass compare <comparison.yaml> [--repeat N] [--json | --markdown] [placement]
  shotglass compare --model <file.gguf> --prompt <A> --prompt <B> [...] [--repeat N] [sampling] [--json | --markdown]
  shotglass inspect <file.gguf> [--context-size N] [--gpu-layers N|auto] [--json]
  shotglass tokenize --model <file.gguf> --text <text> [--json]

sampling:
  --max-tokens N            tokens to generate (default 256)
  --temperature T           0 = greedy (default 0.8)
  --seed S                  fixes sampling; without it a seed is drawn and recorded
  --top-k K  --top-p P  --min-p M
  --repeat-penalty R  --presence-penalty P  --frequency-penalty F  --penalty-last-n N
  --xtc-probability P --xtc-threshold T
  --dry-strength S  [--dry-base B] [--dry-allowed-length N] [--dry-last-n N]
  --token-bias ID=BIAS      BIAS a number added to the logit, or never; repeatable
  --stop S                  stop at this text; repeatable
  --trim                    drop trailing whitespace
  --json-schema FILE        constrain output to a JSON schema
  --grammar FILE            constrain output to a GBNF grammar
output:
  --probs N                 print each token's probability and its top N alternatives
  --json                    one JSON object: text, tokens, probabilities, metrics, record
placement:
  --gpu auto|metal|cuda|vulkan|cpu   --gpu-layers N|auto   --context-size N   --threads N
  --batch-size N   --flash-attention auto|on|off   --skip-checks   --ignore-memory-estimate`;

class UsageError extends Error {}

const SAMPLING_FLAGS = {
  'max-tokens': 'maxTokens',
  temperature: 'temperature',
  seed: 'seed',
  'top-k': 'topK',
  'top-p': 'topP',
  'min-p': 'minP',
  'repeat-penalty': 'repeatPenalty',
  'presence-penalty': 'presencePenalty',
  'frequency-penalty': 'frequencyPenalty',
  'penalty-last-n': 'penaltyLastN',
} as const;

const OPTIONS = {
  model: { type: 'string' },
  prompt: { type: 'string', multiple: true },
  repeat: { type: 'string' },
  markdown: { type: 'boolean' },
  system: { type: 'string' },
  user: { type: 'string', multiple: true },
  assistant: { type: 'string', multiple: true },
  messages: { type: 'string' },
  template: { type: 'string' },
  text: { type: 'string' },
  var: { type: 'string', multiple: true },
  ...Object.fromEntries(Object.keys(SAMPLING_FLAGS).map((flag) => [flag, { type: 'string' }])),
  'xtc-probability': { type: 'string' },
  'xtc-threshold': { type: 'string' },
  'dry-strength': { type: 'string' },
  'dry-base': { type: 'string' },
  'dry-allowed-length': { type: 'string' },
  'dry-last-n': { type: 'string' },
  'token-bias': { type: 'string', multiple: true },
  stop: { type: 'string', multiple: true },
  trim: { type: 'boolean' },
  'json-schema': { type: 'string' },
  grammar: { type: 'string' },
  probs: { type: 'string' },
  json: { type: 'boolean' },
  gpu: { type: 'string' },
  'gpu-layers': { type: 'string' },
  'context-size': { type: 'string' },
  threads: { type: 'string' },
  'batch-size': { type: 'string' },
  'flash-attention': { type: 'string' },
  'skip-checks': { type: 'boolean' },
  'ignore-memory-estimate': { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${value}"`);
  return n;
}

function flashAttention(value: string | undefined): 'auto' | boolean | undefined {
  if (value === undefined) return undefined;
  const choices = { auto: 'auto', on: true, off: false } as const;
  if (!Object.hasOwn(choices, value)) throw new UsageError(`--flash-attention must be auto, on or off, got "${value}"`);
  return choices[value as keyof typeof choices];
}

function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function sampling(values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(SAMPLING_FLAGS)) {
    const n = num(flag, values[flag as keyof Values] as string | undefined);
    if (n !== undefined) out[field] = n;
  }
  if (values.stop) out.stop = values.stop;
  if (values.trim) out.trimWhitespace = true;
  const xtcP = num('xtc-probability', values['xtc-probability']);
  const xtcT = num('xtc-threshold', values['xtc-threshold']);
  if (xtcP !== undefined || xtcT !== undefined) out.xtc = { probability: xtcP ?? 0.5, threshold: xtcT ?? 0.1 };
  const dry = num('dry-strength', values['dry-strength']);
  if (dry !== undefined) {
    out.dry = {
      strength: dry,
      ...(values['dry-base'] ? { base: num('dry-base', values['dry-base']) } : {}),
      ...(values['dry-allowed-length'] ? { allowedLength: num('dry-allowed-length', values['dry-allowed-length']) } : {}),
      ...(values['dry-last-n'] ? { lastTokens: num('dry-last-n', values['dry-last-n']) } : {}),
    };
  }
  if (values['token-bias']) {
    out.tokenBias = values['token-bias'].map((entry) => {
      const at = entry.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--token-bias takes ID=BIAS (e.g. 42=-5 or 42=never), got "${entry}"`);
      const token = entry.slice(0, at);
      const bias = entry.slice(at + 1);
      return {
        token: /^\d+$/.test(token) ? Number(token) : token,
        bias: bias === 'never' ? 'never' : num('token-bias', bias),
      };
    });
  }
  return out;
}

function constraint(values: Values): Constraint | undefined {
  if (values['json-schema'] && values.grammar) throw new UsageError('give --json-schema or --grammar, not both');
  if (values['json-schema']) {
    const text = readText('json-schema', values['json-schema']);
    try {
      return { type: 'json-schema', schema: JSON.parse(text) as Record<string, unknown> };
    } catch (error) {
      throw new UsageError(`--json-schema: ${values['json-schema']} is not valid JSON (${(error as Error).message})`);
    }
  }
  if (values.grammar) return { type: 'grammar', gbnf: readText('grammar', values.grammar) };
  return undefined;
}

function chatMessages(values: Values, argv: string[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (values.messages) {
    let raw: unknown;
    try {
      raw = JSON.parse(readText('messages', values.messages));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--messages: ${values.messages} is not valid JSON`);
    }
    const parsed = ChatMessageSchema.array().safeParse(raw);
    if (!parsed.success) throw new UsageError(`--messages: expected [{"role": "system"|"user"|"assistant", "content": "..."}]`);
    messages.push(...parsed.data);
  }
  if (values.system !== undefined) messages.unshift({ role: 'system', content: values.system });
  // --user and --assistant keep the order they were given in.
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if ((flag === '--user' || flag === '--assistant') && argv[i + 1] !== undefined) {
      messages.push({ role: flag === '--user' ? 'user' : 'assistant', content: argv[i + 1]! });
    }
  }
  if (!messages.some((m) => m.role === 'user')) throw new UsageError('chat needs at least one --user message (or --messages FILE)');
  return messages;
}

function startBackend(values: Values): Service {
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const gpu = values.gpu === undefined ? undefined : AcceleratorSchema.safeParse(values.gpu);
  if (gpu && !gpu.success) throw new UsageError(`--gpu must be one of auto, metal, cuda, vulkan, cpu`);
  return createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(defaultHostEntry(root)),
    version,
    backend: gpu?.data,
  });
}

async function openAndLoad(backend: Service, values: Values) {
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  const gpuLayers = values['gpu-layers'];
  const model = await backend.api.openModel({ path: values.model });
  await backend.api.loadModel({
    modelId: model.id,
    skipChecks: values['skip-checks'] ?? false,
    options: {
      contextSize: num('context-size', values['context-size']),
      gpuLayers: gpuLayers === undefined || gpuLayers === 'auto' || gpuLayers === 'max' ? (gpuLayers ?? 'auto') : num('gpu-layers', gpuLayers),
      threads: num('threads', values.threads),
      batchSize: num('batch-size', values['batch-size']),
      flashAttention: flashAttention(values['flash-attention']),
      ignoreMemoryEstimate: values['ignore-memory-estimate'] ?? false,
    },
  });
  return model;
}

async function generate(
  backend: Service,
  values: Values,
  input: PromptInput,
  fromTemplate?: { plan: RunPlan },
): Promise<number> {
  const model = await openAndLoad(backend, values);
  const probs = num('probs', values.probs);
  const result = await new Promise<CompletionResult>((resolve, reject) => {
    let runId: string | undefined;
    const early: Array<() => void> = [];
    backend.onEvent((event) => {
      if (!('runId' in event)) return;
      const act = () => {
        if (event.runId !== runId) return;
        if (event.type === 'run.delta' && !values.json) process.stdout.write(event.text);
        else if (event.type === 'run.end') resolve(event.result);
        else if (event.type === 'run.error') reject(new ApiError(event.error.code, event.error.message));
      };
      if (runId) act();
      else early.push(act);
    });
    process.once('SIGINT', () => {
      if (runId) void backend.api.cancelRun({ runId });
    });
    backend.api
      .startCompletion({
        modelId: model.id,
        input,
        sampling: fromTemplate ? fromTemplate.plan.sampling : sampling(values),
        topProbabilities: probs ?? 0,
        constraint: constraint(values) ?? fromTemplate?.plan.constraint,
        ...(fromTemplate ? { templateHash: fromTemplate.plan.templateHash } : {}),
      })
      .then((r) => {
        runId = r.runId;
        for (const act of early.splice(0)) act();
      }, reject);
  });
  if (values.json) {
    const { text, tokens, finishReason, stopString, metrics, record, steps } = result;
    const answer = fromTemplate ? { answer: extractAnswer(text, fromTemplate.plan.extraction) } : {};
    const out = {
      text,
      ...answer,
      tokens,
      finishReason,
      ...(stopString ? { stopString } : {}),
      metrics,
      record,
      ...(probs !== undefined ? { probabilities: steps } : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    process.stdout.write('\n');
    if (probs !== undefined) process.stdout.write(formatProbabilities(result.steps));
  }
  return 0;
}

/** A template file: a library file (with its envelope) or a bare template, YAML or JSON. */
function readTemplate(path: string): Template {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseFile(bytes, promptTemplateCodec);
  if (!parsed.ok) throw new ApiError('invalid-argument', `${path} ${parsed.reason}`);
  return parsed.template;
}

function variables(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of values.var ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--var takes name=value, got "${entry}"`);
    out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}

function plan(path: string, values: Values): RunPlan {
  const prepared = prepareRun(readTemplate(path), variables(values), { samplingOverrides: sampling(values) as never });
  if (!prepared.ok) throw new ApiError('invalid-argument', prepared.error);
  return prepared.plan;
}

async function withBackend(values: Values, work: (backend: Service) => Promise<number>): Promise<number> {
  const backend = startBackend(values);
  try {
    return await work(backend);
  } finally {
    await backend.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    switch (command) {
      case 'complete':
        if (values.prompt === undefined) throw new UsageError('--prompt <text> is required');
        if (values.prompt.length > 1) throw new UsageError('complete takes one --prompt (use compare for several)');
        if (!values.model) throw new UsageError('--model <file.gguf> is required');
        return await withBackend(values, (b) => generate(b, values, { mode: 'completion', text: values.prompt![0]! }));
      case 'chat': {
        if (!values.model) throw new UsageError('--model <file.gguf> is required');
        const messages = chatMessages(values, rest);
        const template = values.template ? readText('template', values.template) : undefined;
        return await withBackend(values, (b) => generate(b, values, { mode: 'chat', messages, ...(template ? { template } : {}) }));
      }
      case 'render': {
        const path = positionals[0];
        if (!path) throw new UsageError('render needs a template file: shotglass render <template.yaml>');
        const { input, templateHash } = plan(path, values);
        if (!values.model) {
          const text = input.mode === 'completion' ? input.text : input.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
          process.stdout.write(values.json ? JSON.stringify({ input, templateHash }) + '\n' : text + '\n');
          return 0;
        }
        return await withBackend(values, async (b) => {
          const model = await openAndLoad(b, values);
          const rendered = await b.api.renderPrompt({ modelId: model.id, input });
          if (values.json) {
            process.stdout.write(JSON.stringify({ input, templateHash, text: rendered.text, tokens: rendered.tokens, contextSize: rendered.contextSize }) + '\n');
          } else {
            process.stdout.write(`${rendered.text}\n-- ${rendered.tokens.length} tokens (context ${rendered.contextSize})\n`);
          }
          return 0;
        });
      }
      case 'run': {
        const path = positionals[0];
        if (!path) throw new UsageError('run needs a template file: shotglass run <template.yaml> --model <file.gguf>');
        if (!values.model) throw new UsageError('--model <file.gguf> is required');
        const runPlan = plan(path, values);
        return await withBackend(values, (b) => generate(b, values, runPlan.input, { plan: runPlan }));
      }
      case 'compare': {
        if (values.json && values.markdown) throw new UsageError('give --json or --markdown, not both');
        const repeat = num('repeat', values.repeat);
        let file: ComparisonFile;
        let baseDir = process.cwd();
        if (positionals[0]) {
          file = readComparisonFile(positionals[0]);
          baseDir = baseDirOf(positionals[0]);
        } else {
          if (!values.model) throw new UsageError('compare needs a comparison file, or --model and two or more --prompt');
          if ((values.prompt?.length ?? 0) < 2) throw new UsageError('compare needs at least two --prompt');
          file = ComparisonFileSchema.parse({
            variants: values.prompt!.map((prompt, i) => ({ label: `Prompt ${String.fromCharCode(65 + i)}`, model: values.model, prompt })),
            sampling: sampling(values),
            probabilities: num('probs', values.probs) ?? 5,
          });
        }
        if (repeat !== undefined) file = { ...file, repeats: repeat };
        return await withBackend(values, async (b) => {
          const comparison = await runComparison(b, file, baseDir);
          process.stdout.write(
            values.json ? JSON.stringify(comparison) + '\n' : values.markdown ? comparisonToMarkdown(comparison) : formatComparison(comparison),
          );
          return comparison.runs.every((r) => r.result) ? 0 : 1;
        });
      }
      case 'inspect': {
        const path = positionals[0];
        if (!path) throw new UsageError('inspect needs a file: shotglass inspect <file.gguf>');
        const gpuLayers = values['gpu-layers'];
        return await withBackend(values, async (b) => {
          const info = await b.api.inspectModel({
            path,
            contextSize: num('context-size', values['context-size']),
            gpuLayers: gpuLayers === undefined || gpuLayers === 'auto' ? 'auto' : num('gpu-layers', gpuLayers),
          });
          process.stdout.write(values.json ? JSON.stringify(info) + '\n' : formatInfo(info));
          return 0;
        });
      }
      case 'tokenize': {
        if (values.text === undefined) throw new UsageError('--text <text> is required');
        return await withBackend(values, async (b) => {
          const model = await openAndLoad(b, values);
          const rendered = await b.api.renderPrompt({ modelId: model.id, input: { mode: 'completion', text: values.text! } });
          if (values.json) process.stdout.write(JSON.stringify({ tokens: rendered.tokens }) + '\n');
          else for (const t of rendered.tokens) process.stdout.write(`${t.id}\t${JSON.stringify(t.text)}${t.special ? '\tspecial' : ''}\n`);
          return 0;
        });
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // One readable line, never a stack trace.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`shotglass: ${(error as Error).message}\n(see shotglass --help)\n`);
      return 2;
    }
    const data = toApiError(error);
    if (data.code === 'invalid-argument') {
      // Name the flag, not the contract's field: "sampling.temperature" is --temperature.
      process.stderr.write(`shotglass: ${flagWords(data.message)}\n`);
      return 2;
    }
    process.stderr.write(`shotglass: ${data.message}\n`);
    return 1;
  }
}

const FIELD_FLAGS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(SAMPLING_FLAGS).map(([flag, field]) => [`sampling.${field}`, `--${flag}`])),
  'sampling.stop': '--stop',
  'sampling.tokenBias': '--token-bias',
  'sampling.xtc.probability': '--xtc-probability',
  'sampling.xtc.threshold': '--xtc-threshold',
  'sampling.dry.strength': '--dry-strength',
  'sampling.dry.base': '--dry-base',
  'sampling.dry.allowedLength': '--dry-allowed-length',
  'sampling.dry.lastTokens': '--dry-last-n',
  topProbabilities: '--probs',
  'options.contextSize': '--context-size',
  'options.gpuLayers': '--gpu-layers',
  'options.threads': '--threads',
  'options.batchSize': '--batch-size',
};

function flagWords(message: string): string {
  const field = Object.keys(FIELD_FLAGS)
    .sort((a, b) => b.length - a.length)
    .find((f) => message.startsWith(f + ' ') || message.startsWith(f + '.'));
  if (!field) return message;
  return FIELD_FLAGS[field] + message.slice(field.length).replace(/^\.\d+(\.\w+)?/, '');
}

process.exitCode = await main(process.argv.slice(2));
