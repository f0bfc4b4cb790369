// Human-readable output of the CLI.
import type { ModelInfo, TokenStep } from '../../core/api/contract.js';

const bytes = (n: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
};

export function formatInfo(info: ModelInfo): string {
  const rows: Array<[string, string]> = [
    ['file', `${info.path} (${bytes(info.sizeBytes)})`],
    ['name', info.name ?? '-'],
    ['architecture', info.architecture],
    ['parameters', info.parameters.toLocaleString('en-US')],
    ['quantization', info.quantization],
    ['context length', info.contextLength?.toLocaleString('en-US') ?? '-'],
    ['layers', String(info.layers)],
    ['embedding', info.embeddingLength?.toLocaleString('en-US') ?? '-'],
    ['vocabulary', `${info.vocabularySize.toLocaleString('en-US')} tokens (${info.tokenizer})`],
    ['BOS / EOS', `${info.bos ? `${info.bos.id} ${JSON.stringify(info.bos.text)}` : '-'} / ${info.eos ? `${info.eos.id} ${JSON.stringify(info.eos.text)}` : '-'}`],
    ['chat template', info.chatTemplate ? `${info.chatTemplate.length} characters` : 'none'],
    [
      'memory',
      `model ${bytes(info.memory.modelRam)} RAM + ${bytes(info.memory.modelVram)} VRAM, context ${bytes(info.memory.contextRam)} RAM + ${bytes(info.memory.contextVram)} VRAM; ` +
        `free ${bytes(info.memory.freeRam)} RAM, ${bytes(info.memory.freeVram)} VRAM: ${info.memory.fits ? 'fits' : 'does NOT fit'}`,
    ],
    ...info.warnings.map((w): [string, string] => ['warning', w]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

export function formatProbabilities(steps: TokenStep[]): string {
  const lines = steps.map((s) => {
    const alternatives = s.top.map((a) => `${JSON.stringify(a.text)} ${a.p.toFixed(4)}`).join(', ');
    return `${String(s.id).padStart(7)}  ${JSON.stringify(s.text).padEnd(16)} ${s.p.toFixed(4)}${alternatives ? `  | ${alternatives}` : ''}`;
  });
  return `\ntoken probabilities (id, text, p | top alternatives):\n${lines.join('\n')}\n`;
}
