// A full disk, for real: a 6 MB tmpfs (the demo's F16 file is 4.7 MB). Not enough room up front is refused with the numbers; a
// disk that fills during the download stops it with a clear error and keeps the partial file,
// which resumes once there is room.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { partialPath } from '../../../service/models/download-state.js';
import { DownloadJob, planDownload } from '../../../service/models/download-job.js';
import { HubClient } from '../../../service/models/hub-client.js';
import { demoFiles, hubRepos, sha256 } from '../../helpers/hub-fixtures.js';
import { startHub, type HubServer } from '../../helpers/hub-server.js';

const TMPFS_BYTES = 6 * 1024 * 1024;
const mountPoint = mkdtempSync(join(tmpdir(), 'sg-tmpfs-'));
let mounted = false;
let refusal = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  refusal = String((error as { stderr?: Buffer }).stderr ?? error).trim();
}

let hub: HubServer;
let client: HubClient;
beforeAll(async () => {
  hub = await startHub(hubRepos());
  client = new HubClient({ endpoint: hub.url });
});
afterAll(async () => {
  await hub.close();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});
afterEach(() => {
  hub.bytesPerSecond = 0;
  if (mounted) rmSync(join(mountPoint, 'shotglass'), { recursive: true, force: true });
});

const FAST = { stallMs: 2000, maxAttempts: 3, backoff: { baseMs: 20, maxMs: 100 } };

// Skipped only when this machine refuses the mount (not root, or no tmpfs), with the reason.
describe.skipIf(!mounted)(`disk full on a 6 MB tmpfs${mounted ? '' : ` (skipped: mount refused: ${refusal})`}`, () => {
  it('a model larger than the free space is refused before a byte is fetched', async () => {
    // Leave about 1 MB less free than the Q8_0 file needs.
    writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(TMPFS_BYTES - demoFiles().q8.length + 1_000_000));
    try {
      const model = await client.resolve('hf:shotglass/demo-GGUF:Q8_0');
      const since = hub.log.length;
      const job = new DownloadJob(planDownload(model, mountPoint), { policy: FAST });
      const error = await job.start().result.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'disk-full' });
      expect((error as Error).message).toMatch(/^not enough disk space in .*: [\d.]+ MB more is needed, [\d.]+ (KB|MB) is free$/);
      expect(hub.log.slice(since).filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);
    } finally {
      unlinkSync(join(mountPoint, 'filler'));
    }
  });

  it('the disk filling mid-download: a clear error, the partial kept, and a resume once there is room', async () => {
    const model = await client.resolve('hf:shotglass/demo-GGUF:F16');
    const total = demoFiles().f16.length;
    hub.bytesPerSecond = 2_000_000;
    const job = new DownloadJob(planDownload(model, mountPoint), { policy: FAST });
    job.start();
    const filler = join(mountPoint, 'filler');
    // Another program takes the rest of the disk while the download runs.
    while (job.progress().bytes < 400_000) await new Promise((r) => setTimeout(r, 5));
    try {
      writeFileSync(filler, Buffer.alloc(TMPFS_BYTES));
    } catch {
      // ENOSPC for the filler too: it took what there was, which is the point
    }
    const error = await job.result.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'disk-full' });
    expect((error as Error).message).toMatch(/^the disk is full \([\d.]+ (KB|MB) of .*demo\.F16\.gguf written\); the partial file is kept: free some space and run the download again to resume$/);
    const dest = join(mountPoint, 'shotglass', 'demo-GGUF', 'demo.F16.gguf');
    const kept = statSync(partialPath(dest)).size;
    expect(kept).toBeGreaterThanOrEqual(400_000);
    expect(kept).toBeLessThan(total);
    expect(existsSync(dest)).toBe(false);

    unlinkSync(filler);
    hub.bytesPerSecond = 0;
    const again = new DownloadJob(planDownload(model, mountPoint), { policy: FAST });
    const resumed: number[] = [];
    again.on((e) => e.type === 'resumed' && resumed.push(e.fromByte));
    await again.start().result;
    expect(resumed).toEqual([kept]);
    expect(sha256(readFileSync(dest))).toBe(sha256(demoFiles().f16));
  });
});
