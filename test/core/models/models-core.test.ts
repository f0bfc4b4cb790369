// The pure parts of the model library and downloads: hf: references, quantization names, split
// parts, fit decisions, speed, time left and backoff.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFit, type Footprint } from '../../../core/models/fit.js';
import { formatHfRef, isHfRef, parseHfRef } from '../../../core/models/hf-ref.js';
import { normalizeQuant, quantFromFileName } from '../../../core/models/quant.js';
import { groupSplitFiles, splitName, splitPartName } from '../../../core/models/split.js';
import { parseRetryAfter, retryDelay, secondsLeft, SpeedMeter } from '../../../core/models/transfer.js';

describe('hf: references', () => {
  it.each([
    ['hf:user/repo', { kind: 'tag', repo: 'user/repo', tag: null, revision: 'main' }],
    ['hf:user/repo:q4_k_m', { kind: 'tag', repo: 'user/repo', tag: 'Q4_K_M', revision: 'main' }],
    ['hf:user/repo:custom-tag', { kind: 'tag', repo: 'user/repo', tag: 'custom-tag', revision: 'main' }],
    ['hf:user/repo/file.Q8_0.gguf', { kind: 'file', repo: 'user/repo', path: 'file.Q8_0.gguf', revision: 'main' }],
    ['hf:user/repo/sub/dir/f.gguf#v1.2', { kind: 'file', repo: 'user/repo', path: 'sub/dir/f.gguf', revision: 'v1.2' }],
    ['  huggingface:User/Re.po-GGUF:Q8_0 ', { kind: 'tag', repo: 'User/Re.po-GGUF', tag: 'Q8_0', revision: 'main' }],
  ])('%s parses', (text, expected) => {
    expect(parseHfRef(text)).toEqual(expected);
  });

  it.each([
    ['user/repo', /not a Hugging Face reference/],
    ['hf:user', /needs a user and a repository/],
    ['hf:us er/repo', /not a valid Hugging Face user name/],
    ['hf:user/repo/../../etc/passwd.gguf', /not a valid file path/],
    ['hf:user/repo/model.bin', /not a .gguf file/],
    ['hf:user/repo:', /not a valid quantization tag/],
    ['hf:user/repo#../x', /not a valid revision/],
  ])('%s is refused', (text, message) => {
    expect(() => parseHfRef(text)).toThrow(message);
  });

  it('formats back to the same reference', () => {
    for (const text of ['hf:user/repo', 'hf:user/repo:Q4_K_M', 'hf:user/repo/a/b.gguf', 'hf:user/repo/b.gguf#dev']) {
      expect(formatHfRef(parseHfRef(text))).toBe(text);
    }
    expect(isHfRef('hf:a/b')).toBe(true);
    expect(isHfRef('/models/a.gguf')).toBe(false);
  });
});

describe('quantization from file names', () => {
  it.each([
    ['Llama-3.2-1B-Instruct-Q4_K_M.gguf', 'Q4_K_M'],
    ['qwen2.5-0.5b-instruct-q8_0.gguf', 'Q8_0'],
    ['model.IQ2_XXS.gguf', 'IQ2_XXS'],
    ['Model-UD-Q4_K_XL.gguf', 'Q4_K_XL'],
    ['model-f16.Q5_K_S-00001-of-00002.gguf', 'Q5_K_S'],
    ['gemma-2b-BF16.gguf', 'BF16'],
    ['dir/Q4_K_M/model-00001-of-00003.gguf', null],
    ['readme.gguf', null],
  ])('%s → %s', (name, quant) => {
    expect(quantFromFileName(name)).toBe(quant);
  });

  it('normalizes known tags and rejects others', () => {
    expect(normalizeQuant('q4_k_m')).toBe('Q4_K_M');
    expect(normalizeQuant('Q9_Z')).toBeNull();
  });
});

describe('split parts', () => {
  it('parses and builds llama.cpp split names', () => {
    expect(splitName('m.Q4-00002-of-00003.gguf')).toEqual({ base: 'm.Q4', part: 2, parts: 3 });
    expect(splitName('m-00004-of-00003.gguf')).toBeNull();
    expect(splitName('m.gguf')).toBeNull();
    expect(splitPartName('m.Q4', 2, 3)).toBe('m.Q4-00002-of-00003.gguf');
  });

  it('groups parts per folder and model; a missing part is named', () => {
    const groups = groupSplitFiles([
      '/a/x-00002-of-00002.gguf',
      '/a/x-00001-of-00002.gguf',
      '/a/plain.gguf',
      '/b/x-00001-of-00002.gguf',
      '/a/y-00003-of-00003.gguf',
    ]);
    expect(groups).toEqual([
      { main: '/a/plain.gguf', parts: ['/a/plain.gguf'], missing: [], expectedParts: 1 },
      { main: '/a/x-00001-of-00002.gguf', parts: ['/a/x-00001-of-00002.gguf', '/a/x-00002-of-00002.gguf'], missing: [], expectedParts: 2 },
      { main: '/a/y-00001-of-00003.gguf', parts: ['/a/y-00003-of-00003.gguf'], missing: [1, 2], expectedParts: 3 },
      { main: '/b/x-00001-of-00002.gguf', parts: ['/b/x-00001-of-00002.gguf'], missing: [2], expectedParts: 2 },
    ]);
  });
});

describe('fit', () => {
  const GB = 1024 ** 3;
  // A model of 32 layers: 0.25 GB of weights per layer; 1 GB context; GPU layers move both.
  const model = (layers: number): Footprint => ({ ram: (32 - layers) * 0.25 * GB + 1 * GB * (1 - layers / 32), vram: layers * 0.25 * GB + GB * (layers / 32) });
  const estimate = async (layers: number) => model(layers);

  it('all layers on the GPU when they fit', async () => {
    const fit = await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: 16 * GB, freeVram: 12 * GB, gpuLayers: 'auto', estimate });
    expect(fit).toMatchObject({ kind: 'gpu', gpuLayers: 32, vram: 9 * GB, ram: 0 });
    expect(fit.summary).toBe('fits on the GPU (all 32 layers): needs 0 B RAM + 9.00 GB GPU memory; 16.0 GB RAM / 12.0 GB GPU free');
  });

  it('partial offload: the most layers whose GPU share fits', async () => {
    const fit = await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: 16 * GB, freeVram: 4 * GB, gpuLayers: 'auto', estimate });
    expect(fit.kind).toBe('partial');
    expect(model(fit.gpuLayers).vram).toBeLessThanOrEqual(4 * GB);
    expect(model(fit.gpuLayers + 1).vram).toBeGreaterThan(4 * GB);
    expect(fit.summary).toMatch(/^fits with partial offload \(14 of 32 layers on the GPU\)/);
  });

  it('RAM only without a GPU, or when no layer fits on it; does not fit otherwise', async () => {
    expect((await classifyFit({ totalLayers: 32, hasGpu: false, freeRam: 10 * GB, freeVram: 0, gpuLayers: 'auto', estimate })).kind).toBe('ram');
    expect((await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: 10 * GB, freeVram: 0.1 * GB, gpuLayers: 'auto', estimate })).kind).toBe('ram');
    const none = await classifyFit({ totalLayers: 32, hasGpu: false, freeRam: 4 * GB, freeVram: 0, gpuLayers: 'auto', estimate });
    expect(none).toMatchObject({ kind: 'none', ram: 9 * GB });
    expect(none.summary).toBe('does not fit: needs 9.00 GB RAM; 4.00 GB RAM free');
  });

  it('a requested layer count is taken as asked', async () => {
    expect((await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: 16 * GB, freeVram: 12 * GB, gpuLayers: 8, estimate })).kind).toBe('partial');
    expect((await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: 16 * GB, freeVram: 1 * GB, gpuLayers: 32, estimate })).kind).toBe('none');
  });

  it('auto never picks more GPU layers than fit (any free memory)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), async (ram, vram) => {
        const fit = await classifyFit({ totalLayers: 32, hasGpu: true, freeRam: ram * GB, freeVram: vram * GB, gpuLayers: 'auto', estimate });
        if (fit.kind !== 'none') {
          expect(fit.vram).toBeLessThanOrEqual(vram * GB);
          expect(fit.ram).toBeLessThanOrEqual(ram * GB);
        }
      }),
    );
  });
});

describe('speed, time left, backoff', () => {
  it('the speed follows the last seconds and falls to zero when bytes stop', () => {
    const meter = new SpeedMeter(1000);
    for (let t = 0; t <= 2000; t += 100) meter.add(t, t * 1000); // 1 MB/s
    expect(meter.speed(2000)).toBeCloseTo(1_000_000, -3);
    const stalled = [2500, 3000, 4000].map((now) => meter.speed(now));
    // Half a second of silence halves it; a whole window of silence is zero.
    expect(stalled).toEqual([500_000, 0, 0]);
    meter.add(4100, 2_000_000 + 50_000);
    expect(meter.speed(4100)).toBeGreaterThan(0);
  });

  it('time left is unknown without a speed', () => {
    expect(secondsLeft(1000, 0)).toBeNull();
    expect(secondsLeft(1000, 300)).toBe(4);
    expect(secondsLeft(0, 0)).toBe(0);
  });

  it('backoff grows, is capped, and Retry-After (seconds or a date) wins', () => {
    const policy = { baseMs: 1000, maxMs: 8000 };
    const top = (n: number) => retryDelay(n, policy, null, 0, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(retryDelay(3, policy, null, 0, () => 0)).toBe(2000);
    expect(retryDelay(1, policy, '7', 0)).toBe(7000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(retryDelay(1, policy, '3600', 0)).toBe(40_000);
  });
});
