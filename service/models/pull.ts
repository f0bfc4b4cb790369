// `hf:` reference → verified local file: resolve on the Hub, plan where the files go, download.
// Also answers "is this reference downloaded already?" without the network, so `hf:` references
// resolve to the local file once it is there.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseHfRef, type HfRef } from '../../core/models/hf-ref.js';
import { quantFromFileName } from '../../core/models/quant.js';
import { splitName } from '../../core/models/split.js';
import { DownloadJob, planDownload, type JobOptions } from './download-job.js';
import { HubClient, type ResolvedModel } from './hub-client.js';
import { readdir } from 'node:fs/promises';

export interface PullOptions extends JobOptions {
  dir: string;
  client?: HubClient;
}

export async function startPull(reference: string | HfRef, options: PullOptions): Promise<{ model: ResolvedModel; job: DownloadJob }> {
  const client = options.client ?? new HubClient();
  const model = await client.resolve(reference);
  const job = new DownloadJob(planDownload(model, options.dir, client.authHeaders()), options);
  return { model, job };
}

/**
 * The local file an `hf:` reference names, if it was downloaded into `dir` (the layout
 * planDownload uses: <dir>/<user>/<repo>/<path>); null otherwise. Only complete files count
 * (a partial has another name) and every part of a split model must be there.
 */
export async function findDownloaded(reference: string | HfRef, dir: string): Promise<string | null> {
  const ref = typeof reference === 'string' ? parseHfRef(reference) : reference;
  const repoDir = join(dir, ...ref.repo.split('/'));
  let candidates: string[];
  if (ref.kind === 'file') {
    candidates = [ref.path];
  } else {
    candidates = (await listGguf(repoDir))
      .filter((p) => (splitName(p)?.part ?? 1) === 1)
      .filter((p) => (ref.tag ? quantFromFileName(p) === ref.tag : true))
      .sort();
    if (!ref.tag && candidates.length > 1) candidates = candidates.filter((p) => quantFromFileName(p) === 'Q4_K_M');
  }
  for (const rel of candidates) {
    const split = splitName(rel);
    const parts = split
      ? Array.from({ length: split.parts }, (_, i) => `${split.base}-${String(i + 1).padStart(5, '0')}-of-${String(split.parts).padStart(5, '0')}.gguf`)
      : [rel];
    if ((await Promise.all(parts.map((p) => isFile(join(repoDir, p))))).every(Boolean)) return join(repoDir, parts[0]!);
  }
  return null;
}

async function listGguf(dir: string, prefix = '', depth = 0): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && depth < 3) out.push(...(await listGguf(join(dir, e.name), `${prefix}${e.name}/`, depth + 1)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.gguf')) out.push(prefix + e.name);
  }
  return out;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
