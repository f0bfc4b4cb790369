// The `shotglass` CLI: the same backend as the app, driven from the command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, SamplingSchema, toApiError, type CompletionResult } from '../api/contract.js';
import { createBackend } from '../backend/backend.js';
import { defaultHostEntry, packageRoot, spawnNodeHost } from '../backend/node-host.js';

const USAGE = `usage: shotglass complete --model <file.gguf> --prompt <text> [options]

options:
  --max-tokens N      tokens to generate (default 256)
  --temperature T     0 = greedy (default 0.8)
  --seed S            fixes sampling for reproducible output
  --top-k K           0 = off (default 40)
  --top-p P           (default 0.95)
  --min-p M           (default 0.05)
  --stop S            stop at this text; repeat for several
  --json              print one JSON object instead of streaming text
  --skip-checks       let llama.cpp load a file Shotglass's checks reject`;

/** CLI flag for each sampling field, so errors name what the user typed. */
const FLAGS: Record<string, string> = {
  temperature: '--temperature',
  topK: '--top-k',
  topP: '--top-p',
  minP: '--min-p',
  seed: '--seed',
  maxTokens: '--max-tokens',
  stop: '--stop',
};

class UsageError extends Error {}

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return n;
}

function parseSampling(values: Record<string, string | string[] | boolean | undefined>) {
  const raw = {
    temperature: num('--temperature', values.temperature as string | undefined),
    topK: num('--top-k', values['top-k'] as string | undefined),
    topP: num('--top-p', values['top-p'] as string | undefined),
    minP: num('--min-p', values['min-p'] as string | undefined),
    seed: num('--seed', values.seed as string | undefined),
    maxTokens: num('--max-tokens', values['max-tokens'] as string | undefined),
    stop: values.stop as string[] | undefined,
  };
  const parsed = SamplingSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    throw new UsageError(`${FLAGS[field] ?? field} ${issue.message}`);
  }
  return parsed.data;
}

async function complete(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      prompt: { type: 'string' },
      'max-tokens': { type: 'string' },
      temperature: { type: 'string' },
      seed: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'min-p': { type: 'string' },
      stop: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      'skip-checks': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model <file.gguf> is required');
  if (values.prompt === undefined) throw new UsageError('--prompt <text> is required');
  const sampling = parseSampling(values);
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const backend = createBackend({ mode: 'cli', spawnHost: spawnNodeHost(defaultHostEntry(root)), version });
  try {
    const model = await backend.api.openModel({ path: values.model });
    await backend.api.loadModel({ modelId: model.id, skipChecks: values['skip-checks'] ?? false });
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
      backend.api.startCompletion({ modelId: model.id, prompt: values.prompt!, sampling }).then((r) => {
        runId = r.runId;
        for (const act of early.splice(0)) act();
      }, reject);
    });
    if (values.json) {
      process.stdout.write(
        JSON.stringify({ text: result.text, tokens: result.tokens, finishReason: result.finishReason, metrics: result.metrics }) + '\n',
      );
    } else {
      process.stdout.write('\n');
    }
    return 0;
  } finally {
    await backend.dispose();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'complete':
        return await complete(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // One readable line, never a stack trace.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`shotglass: ${(error as Error).message}\n(see shotglass --help)\n`);
      return 2;
    }
    process.stderr.write(`shotglass: ${toApiError(error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
