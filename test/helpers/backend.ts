// Drives a real backend: a real inference host process running node-llama-cpp on real GGUF files.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiErrorData, ServiceEvent, CompletionResult, SamplingInput } from '../../core/api/contract.js';
import { createService } from '../../service/service.js';
import type { Service } from '../../service/types.js';
import { defaultDemoModelPath, defaultHostEntry, packageRoot, spawnNodeHost } from '../../service/inference/node-host.js';

export const ROOT = packageRoot(join(process.cwd(), 'package.json'));
export const DEMO_MODEL = defaultDemoModelPath(ROOT);
export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'models');
export const fixture = (name: string) => join(FIXTURE_DIR, name);
export const HOST_ENTRY = defaultHostEntry(ROOT);

export interface TestService extends Service {
  events: ServiceEvent[];
  demoId: string;
  run(modelId: string, prompt: string, sampling?: SamplingInput): Promise<RunOutcome>;
}

export interface RunOutcome {
  runId: string;
  deltas: string[];
  result?: CompletionResult;
  error?: ApiErrorData;
}

export async function startTestBackend(env: NodeJS.ProcessEnv = {}): Promise<TestService> {
  if (!existsSync(HOST_ENTRY)) throw new Error(`${HOST_ENTRY} is missing: run \`npm run build\` before the tests`);
  const backend = createService({
    mode: 'cli',
    spawnHost: spawnNodeHost(HOST_ENTRY, { ...process.env, SHOTGLASS_GPU: 'cpu', ...env }),
    demoModelPath: DEMO_MODEL,
    version: 'test',
    dataDir: mkdtempSync(join(tmpdir(), 'sg-data-')),
  });
  const events: ServiceEvent[] = [];
  backend.onEvent((e) => events.push(e));
  const info = await backend.api.getAppInfo({});
  const run = (modelId: string, prompt: string, sampling: SamplingInput = {}) =>
    runToEnd(backend, modelId, prompt, sampling);
  return Object.assign(backend, { events, demoId: info.demoModelId!, run });
}

export function runToEnd(
  backend: Service,
  modelId: string,
  prompt: string,
  sampling: SamplingInput = {},
  onDelta?: (runId: string, text: string) => void,
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const outcome: RunOutcome = { runId: '', deltas: [] };
    const buffered: ServiceEvent[] = [];
    const take = (event: ServiceEvent) => {
      if (!('runId' in event) || event.runId !== outcome.runId) return;
      if (event.type === 'run.delta') {
        outcome.deltas.push(event.text);
        onDelta?.(outcome.runId, event.text);
      } else if (event.type === 'run.end') {
        off();
        resolve({ ...outcome, result: event.result });
      } else if (event.type === 'run.error') {
        off();
        resolve({ ...outcome, error: event.error });
      }
    };
    const off = backend.onEvent((event) => (outcome.runId ? take(event) : buffered.push(event)));
    backend.api
      .startCompletion({ modelId, prompt, sampling })
      .then(({ runId }) => {
        outcome.runId = runId;
        for (const e of buffered.splice(0)) take(e);
      }, reject);
  });
}
