// Repositories for the test Hub, built by the project's own GGUF writer (build/gguf).
import { createHash } from 'node:crypto';
import { demoModel } from '../../build/gguf/demo-model.js';
import { GgmlType } from '../../build/gguf/format.js';
import { buildLlamaGguf, llamaGgufFile } from '../../build/gguf/llama-model.js';
import { splitGguf } from '../../build/gguf/split.js';
import type { HubRepoSpec } from './hub-server.js';

export const DEMO_REPO = 'shotglass/demo-GGUF';
export const SPLIT_REPO = 'shotglass/split-GGUF';
export const GATED_REPO = 'shotglass/gated-GGUF';
export const OTHER_REPO = 'someone/tiny-demo-GGUF';
export const GATED_TOKEN = 'hf_test_token_123';

/**
 * The demo model without its designed attention (the bigram alone, as the demo was before it read
 * its input): these repositories test downloads, not what a model says, and their sizes are
 * chosen against node-llama-cpp's 4 MB header read-ahead and a 2 MB tmpfs.
 */
export const HUB_DESIGN = { ...demoModel().design, network: undefined, name: 'Shotglass demo (bigram only)' };

let cached: { q4: Uint8Array; q8: Uint8Array; f16: Uint8Array; parts: Uint8Array[] } | undefined;

export function demoFiles() {
  cached ??= {
    q4: buildLlamaGguf(HUB_DESIGN, { type: GgmlType.Q4_0 }),
    q8: buildLlamaGguf(HUB_DESIGN, { type: GgmlType.Q8_0 }),
    f16: buildLlamaGguf(HUB_DESIGN, { type: GgmlType.F16 }),
    parts: splitGguf(llamaGgufFile(HUB_DESIGN, { type: GgmlType.Q8_0, blocks: 2 }), 3),
  };
  return cached;
}

export const SPLIT_PATHS = [1, 2, 3].map((i) => `Q8_0/demo.Q8_0-0000${i}-of-00003.gguf`);

export function hubRepos(): HubRepoSpec[] {
  const f = demoFiles();
  return [
    {
      id: DEMO_REPO,
      downloads: 5000,
      likes: 20,
      lastModified: '2026-03-01T00:00:00.000Z',
      files: { 'README.md': '# demo\n', 'demo.Q4_0.gguf': f.q4, 'demo.Q8_0.gguf': f.q8, 'demo.F16.gguf': f.f16 },
    },
    {
      id: SPLIT_REPO,
      downloads: 10,
      likes: 1,
      lastModified: '2026-05-01T00:00:00.000Z',
      files: Object.fromEntries(SPLIT_PATHS.map((p, i) => [p, f.parts[i]!])),
    },
    { id: GATED_REPO, downloads: 50, likes: 90, token: GATED_TOKEN, files: { 'gated.Q4_0.gguf': f.q4 } },
    { id: OTHER_REPO, downloads: 300, likes: 40, lastModified: '2026-07-01T00:00:00.000Z', files: { 'tiny-demo-q4_0.gguf': f.q4 } },
    { id: 'someone/not-a-model', downloads: 99999, files: { 'model.safetensors.json': '{}' } },
  ];
}

export const BIG_REPO = 'shotglass/big-GGUF';

/** A model larger than node-llama-cpp's 4 MB header read-ahead, so a header read is visibly partial. */
export function bigRepo(): HubRepoSpec {
  const bytes = buildLlamaGguf({ ...HUB_DESIGN, name: 'Shotglass big fixture' }, { type: GgmlType.Q4_0, blocks: 64 });
  return { id: BIG_REPO, downloads: 1, files: { 'big.Q4_0.gguf': bytes } };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
