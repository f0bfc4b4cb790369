// `shotglass pull <hf:…> [--dir D]`: download a model from the Hugging Face Hub (or HF_ENDPOINT's
// mirror; HF_TOKEN for gated repositories), verified against the Hub's SHA-256, resumable.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatSize } from '../../../core/models/fit.js';
import { HfRefError } from '../../../core/models/hf-ref.js';
import { formatDuration } from '../../../core/models/transfer.js';
import { DownloadError } from '../../../service/models/download-file.js';
import type { DownloadEvent, DownloadProgress } from '../../../service/models/download-job.js';
import { HubClient, HubError } from '../../../service/models/hub-client.js';
import { startPull } from '../../../service/models/pull.js';
import { defaultDataDir } from '../../../service/workspace.js';

export const PULL_USAGE = `usage: shotglass pull <hf:user/repo[:QUANT] | hf:user/repo/file.gguf> [--dir D] [--json] [--stall-seconds N]
  Downloads into D/<user>/<repo>/ (default: Shotglass's models folder), verifies the SHA-256
  against the Hub's, and prints the model's path. Interrupted downloads resume when run again.
  HF_ENDPOINT points at a Hub mirror; HF_TOKEN opens gated repositories.`;

export async function pull(argv: string[], io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { dir: { type: 'string' }, json: { type: 'boolean' }, 'stall-seconds': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }));
  } catch (error) {
    io.stderr.write(`shotglass pull: ${(error as Error).message}\n${PULL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(PULL_USAGE + '\n');
    return 0;
  }
  const ref = positionals[0];
  if (!ref || positionals.length > 1) {
    io.stderr.write(`shotglass pull: give one hf: reference\n${PULL_USAGE}\n`);
    return 2;
  }
  const stall = values['stall-seconds'] === undefined ? undefined : Number(values['stall-seconds']);
  if (stall !== undefined && !(stall > 0)) {
    io.stderr.write('shotglass pull: --stall-seconds must be a positive number\n');
    return 2;
  }
  const dir = values.dir ?? join(defaultDataDir(), 'models');
  try {
    io.stderr.write(`resolving ${ref}\n`);
    const { model, job } = await startPull(ref, {
      dir,
      client: new HubClient(),
      tickMs: io.stderr.isTTY ? 250 : 500,
      ...(stall ? { policy: { stallMs: stall * 1000 } } : {}),
    });
    io.stderr.write(`${model.ref} → ${model.files.map((f) => f.path).join(', ')} (${formatSize(model.size)})\n`);
    const bar = new ProgressBar(io.stderr);
    job.on((event) => bar.event(event));
    const stop = () => job.cancel();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await job.start().result;
      bar.finish();
      io.stdout.write(values.json ? JSON.stringify({ ref: model.ref, path: result.path, files: result.files, sha256: model.files.map((f) => f.sha256) }) + '\n' : result.path + '\n');
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'cancelled') {
      io.stderr.write('\nshotglass pull: stopped; the partial file is kept: run the same command again to resume\n');
      return 130;
    }
    if (error instanceof HfRefError) {
      io.stderr.write(`shotglass pull: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof DownloadError || error instanceof HubError || error instanceof Error ? error.message : String(error);
    io.stderr.write(`\nshotglass pull: ${message}\n`);
    return 1;
  }
}

/** A redrawn bar on a terminal; on a pipe or file, a line every 10% and one per event. */
class ProgressBar {
  private lastDecile = -1;
  private drawn = false;
  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {}

  event(e: DownloadEvent): void {
    if (e.type === 'progress') return this.progress(e);
    const line = describe(e);
    if (!line) return;
    this.clear();
    this.out.write(line + '\n');
  }

  finish(): void {
    this.clear();
  }

  private progress(p: DownloadProgress): void {
    const fraction = p.total > 0 ? p.bytes / p.total : 0;
    const pct = Math.floor(fraction * 100);
    const text = `${String(pct).padStart(3)}% ${formatSize(p.bytes)} / ${formatSize(p.total)}  ${formatSize(p.speed)}/s  ${formatDuration(p.secondsLeft)} left` +
      (p.parts > 1 ? `  part ${p.part}/${p.parts}` : '') +
      (p.idleMs >= 3000 && p.state === 'downloading' ? `  no data for ${Math.floor(p.idleMs / 1000)}s` : '');
    if (this.out.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(pct / 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(text + '\n');
    }
  }

  private clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

function describe(e: DownloadEvent): string | null {
  switch (e.type) {
    case 'resumed':
      return `resuming ${e.file} from ${formatSize(e.fromByte)}`;
    case 'exists':
      return `${e.file} is already here (SHA-256 checked)`;
    case 'stalled':
      return `stalled: no data for ${e.seconds}s`;
    case 'retry':
      return `retrying in ${formatDuration(e.delayMs / 1000)} (${e.reason}; attempt ${e.attempt})`;
    case 'restarted':
      return `starting ${e.file} again: ${e.reason}`;
    case 'verifying':
      return `verifying SHA-256 of ${e.file}`;
    case 'verified':
      return `verified ${e.file}`;
    default:
      return null;
  }
}
