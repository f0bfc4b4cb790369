// Memory fit of a model on this machine: on the GPU, with partial offload, in RAM only, or not at
// all. Pure: the estimates come from a callback (node-llama-cpp's GgufInsights in the service),
// so the decision rules are tested with plain numbers.

export interface Footprint {
  /** Bytes of RAM and GPU memory for the weights plus the context at this many GPU layers. */
  ram: number;
  vram: number;
}

export type FitKind = 'gpu' | 'partial' | 'ram' | 'none';

export interface Fit {
  kind: FitKind;
  /** Layers placed on the GPU in the configuration this fit describes. */
  gpuLayers: number;
  totalLayers: number;
  ram: number;
  vram: number;
  freeRam: number;
  freeVram: number;
  /** One sentence with the numbers, for the UI and the CLI. */
  summary: string;
}

export interface FitInput {
  totalLayers: number;
  hasGpu: boolean;
  freeRam: number;
  freeVram: number;
  /** The requested GPU layers: 'auto' tries all, then fewer; a number is taken as asked. */
  gpuLayers: 'auto' | 'max' | number;
  estimate: (gpuLayers: number) => Promise<Footprint>;
}

export async function classifyFit(input: FitInput): Promise<Fit> {
  const { totalLayers, freeRam, freeVram } = input;
  const fits = (f: Footprint) => f.ram <= freeRam && f.vram <= freeVram;
  const result = (kind: FitKind, gpuLayers: number, f: Footprint): Fit => ({
    kind, gpuLayers, totalLayers, ram: f.ram, vram: f.vram, freeRam, freeVram, summary: describeFit(kind, gpuLayers, totalLayers, f, freeRam, freeVram),
  });
  if (!input.hasGpu || input.gpuLayers === 0) {
    const cpu = await input.estimate(0);
    return result(fits(cpu) ? 'ram' : 'none', 0, cpu);
  }
  if (typeof input.gpuLayers === 'number') {
    const layers = Math.min(input.gpuLayers, totalLayers);
    const f = await input.estimate(layers);
    return result(!fits(f) ? 'none' : layers >= totalLayers ? 'gpu' : 'partial', layers, f);
  }
  const all = await input.estimate(totalLayers);
  if (fits(all)) return result('gpu', totalLayers, all);
  // Binary search for the most layers whose GPU share fits (GPU memory grows with layers).
  let lo = 0;
  let hi = totalLayers - 1;
  let best: { layers: number; f: Footprint } | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const f = await input.estimate(mid);
    if (f.vram <= freeVram) {
      if (mid > 0 && f.ram <= freeRam) best = { layers: mid, f };
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best) return result('partial', best.layers, best.f);
  const cpu = await input.estimate(0);
  return result(fits(cpu) ? 'ram' : 'none', 0, cpu);
}

export function describeFit(kind: FitKind, gpuLayers: number, totalLayers: number, f: Footprint, freeRam: number, freeVram: number): string {
  const need = `needs ${formatSize(f.ram)} RAM${f.vram > 0 ? ` + ${formatSize(f.vram)} GPU memory` : ''}`;
  const free = `${formatSize(freeRam)} RAM${freeVram > 0 ? ` / ${formatSize(freeVram)} GPU` : ''} free`;
  switch (kind) {
    case 'gpu':
      return `fits on the GPU (all ${totalLayers} layers): ${need}; ${free}`;
    case 'partial':
      return `fits with partial offload (${gpuLayers} of ${totalLayers} layers on the GPU): ${need}; ${free}`;
    case 'ram':
      return `fits in RAM only (no GPU offload): ${need}; ${free}`;
    case 'none':
      return `does not fit: ${need}; ${free}`;
  }
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
}
