// Numbers and enums in the words the UI shows.
import type { FinishReason, SystemInfo } from '../../../core/api/contract';

const FINISH_WORDS: Record<FinishReason, string> = {
  eos: 'end of text',
  stop: 'stop string',
  maxTokens: 'max tokens',
  contextFull: 'context full',
  cancelled: 'stopped',
};

export const finishReasonWords = (reason: FinishReason): string => FINISH_WORDS[reason] ?? reason;

const BACKEND_NAMES: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', metal: 'Metal', vulkan: 'Vulkan' };

/** "CPU", or a GPU backend with its device(s): "CUDA: NVIDIA RTX 4090". */
export function backendLabel(system: Pick<SystemInfo, 'backend' | 'devices'>): string {
  const name = BACKEND_NAMES[system.backend] ?? system.backend;
  return system.backend === 'cpu' || system.devices.length === 0 ? name : `${name}: ${system.devices.join(', ')}`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export const formatRate = (perSecond: number | null | undefined): string =>
  perSecond === null || perSecond === undefined || !Number.isFinite(perSecond) ? '—' : perSecond.toFixed(1);

export const formatMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export const isMac = (): boolean => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "just now", "5 min ago", "3 h ago", else the date. */
export function formatAgo(when: number | string, now = Date.now()): string {
  const t = typeof when === 'number' ? when : Date.parse(when);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

export const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;
