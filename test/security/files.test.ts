// The API and the files of this machine: no caller-named path is written, moved or deleted; no
// file's contents come back in a message; nothing blocks on a FIFO or reads /dev/zero forever;
// special files in the library folder are listed with a reason.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateEntry } from '../../core/api/contract.js';
import { FileHashCache } from '../../service/models/file-hash.js';
import { readBounded } from '../../node/fs/safe-file.js';
import { STARTERS } from '../../core/prompt/index.js';
import { canMount, mountTmpfs, remount, unmount } from '../service/library/fs-helpers.js';
import { startTestBackend, type TestService } from '../helpers/backend.js';

let backend: TestService;
let outside: string;
const SECRET = 'root:$6$Zq9SECRETHASHxYz$abcdefghijklmnop:19000:0:99999:7:::';

beforeAll(async () => {
  backend = await startTestBackend();
  outside = mkdtempSync(join(tmpdir(), 'sg-outside-'));
});
afterAll(async () => {
  await backend.dispose();
  rmSync(outside, { recursive: true, force: true });
});

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);
const starter = () => structuredClone(STARTERS[0]!.template);
const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('the exploit chain of the audit (create a template named with $(…), export it over a script)', () => {
  it('exportTemplate takes no path: nothing is written, the victim is intact, no command runs', async () => {
    const victim = join(outside, 'victim.sh');
    const pwned = join(outside, 'PWNED');
    writeFileSync(victim, '#!/bin/sh\necho original\n', { mode: 0o755 });
    const created = await backend.api.createTemplate({ template: { ...starter(), name: `x $(touch ${pwned})` } });
    const error = await errorOf(backend.api.exportTemplate({ id: created.id, path: victim } as never));
    expect(error.code).toBe('invalid-argument');
    expect(readFileSync(victim, 'utf8')).toBe('#!/bin/sh\necho original\n');
    execFileSync('/bin/sh', [victim]);
    expect(existsSync(pwned)).toBe(false);
    // the text still comes back, for the caller to save where it likes
    const exported = await backend.api.exportTemplate({ id: created.id });
    expect(exported.text).toContain('shotglass: 1');
  });
});

describe('file contents never come back', () => {
  it('importTemplate takes no path (the /etc/shadow leak)', async () => {
    const shadow = join(outside, 'shadow');
    writeFileSync(shadow, `${SECRET}\ndaemon:*:19000:0:99999:7:::\n`);
    const error = await errorOf(backend.api.importTemplate({ path: shadow } as never));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).not.toContain('SECRETHASH');
  });

  it('importing text that is not a template names the problem, never its lines or key names', async () => {
    for (const text of [`${SECRET}\n`, 'SECRET_API_KEY=abc123\n', 'services:\n  web:\n    SECRET_PASSWORD: hunter2\n', 'a: *SECRETALIAS\n', 'k: [SECRET\n']) {
      const error = await errorOf(backend.api.importTemplate({ text }));
      expect(error.message, text).not.toMatch(/SECRET|hunter2|abc123|services/);
      expect(error.message).toMatch(/^Could not import it: the file /);
    }
  });

  it('inspectModel and openModel return no bytes of a non-GGUF file, and do not say whether a path exists', async () => {
    const dir = join(outside, 'models');
    mkdirSync(dir);
    writeFileSync(join(dir, 'secret.gguf'), 'SECRET model-looking file');
    writeFileSync(join(dir, 'empty.gguf'), '');
    mkdirSync(join(dir, 'folder.gguf'));
    const answers: string[] = [];
    for (const name of ['secret.gguf', 'missing.gguf', 'empty.gguf', 'folder.gguf']) {
      for (const call of [
        () => backend.api.inspectModel({ path: join(dir, name) }),
        () => backend.api.openModel({ path: join(dir, name) }),
      ]) {
        const error = await errorOf(call());
        expect(error.message).not.toMatch(/SECR|NUL|\u0000|starts with/);
        answers.push(error.message.replace(name, 'NAME'));
      }
    }
    // one answer for a file that exists, one that does not, an empty one and a folder
    expect(new Set(answers)).toEqual(new Set(['NAME is not a readable GGUF file']));
  });
});

describe('bounded reads', () => {
  it('/dev/zero is refused at once as a model, an adapter or a hashed file', async () => {
    expect((await errorOf(backend.api.inspectModel({ path: '/dev/zero' }))).message).toBe('zero is not a readable GGUF file');
    expect((await errorOf(backend.api.openModel({ path: '/dev/zero' }))).message).toMatch(/is not a \.gguf file|not a readable GGUF file/);
    const adapters = await errorOf(backend.api.setAdapters({ modelId: backend.demoId, adapters: [{ path: '/dev/zero', scale: 1 }] }));
    expect(adapters.message).toBe('zero is not a readable GGUF file');
    await expect(new FileHashCache().sha256('/dev/zero')).rejects.toMatchObject({ message: 'zero is a device, not a regular file' });
    await expect(readBounded('/dev/zero', 1024)).rejects.toMatchObject({ reason: 'not-a-file' });
  });

  it('a FIFO (no writer) blocks nothing: model, adapter, hash cache; the API keeps answering', async () => {
    const fifo = join(outside, 'pipe.gguf');
    mkfifo(fifo);
    expect((await errorOf(backend.api.inspectModel({ path: fifo }))).message).toBe('pipe.gguf is not a readable GGUF file');
    expect((await errorOf(backend.api.openModel({ path: fifo }))).message).toBe('pipe.gguf is not a readable GGUF file');
    const cache = new FileHashCache();
    // Four at once would have taken all four of libuv's threads before.
    const hashes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => cache.sha256(fifo)));
    expect(hashes.every((h) => h.status === 'rejected' && /named pipe \(FIFO\)/.test(String(h.reason.message)))).toBe(true);
    expect((await backend.api.listPresets({})).builtIn.length).toBeGreaterThan(0);
    expect((await backend.api.createTemplate({ template: { ...starter(), name: 'After the FIFO' } })).status).toBe('ok');
  });

  it('a file that grows past the cap while being read is refused', async () => {
    const file = join(outside, 'big.yaml');
    writeFileSync(file, 'x'.repeat(2048));
    await expect(readBounded(file, 1024)).rejects.toMatchObject({ reason: 'too-large' });
    expect((await readBounded(file, 4096)).length).toBe(2048);
  });
});

describe('the library folder', () => {
  it('setLibraryDir needs an existing folder, and creates none', async () => {
    const missing = join(outside, 'not', 'there');
    expect((await errorOf(backend.api.setLibraryDir({ dir: missing }))).message).toMatch(/is not a folder Shotglass can use/);
    expect(existsSync(join(outside, 'not'))).toBe(false);
    const file = join(outside, 'a-file');
    writeFileSync(file, 'x');
    expect((await errorOf(backend.api.setLibraryDir({ dir: file }))).message).toMatch(/is not a folder Shotglass can use/);
  });

  it('lists special files with a reason; never moves a non-template file or deletes a user\'s .sgtmp', async () => {
    const before = (await backend.api.getLibrary({})).dir;
    const dir = join(outside, 'lib');
    mkdirSync(dir);
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  db:\n    image: postgres\n');
    writeFileSync(join(dir, '.build.sgtmp'), 'the user\'s own file');
    mkdirSync(join(dir, 'folder.yaml'));
    mkfifo(join(dir, 'pipe.yaml'));
    symlinkSync('loop-b.yaml', join(dir, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'loop-b.yaml'));
    symlinkSync(join(dir, 'nothing-here'), join(dir, 'dangling.yaml'));
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    await backend.api.setLibraryDir({ dir });
    try {
      const list = await backend.api.listTemplates({});
      const reasons = Object.fromEntries(list.filter((e) => e.status === 'broken').map((e) => [e.file, e.status === 'broken' ? e.reason : '']));
      expect(reasons['compose.yml']).toMatch(/^compose\.yml is not a valid template: name is required; the template has a field it does not know/);
      expect(reasons['compose.yml']).not.toMatch(/services|postgres/);
      expect(reasons['folder.yaml']).toMatch(/is a folder, not a template file/);
      expect(reasons['pipe.yaml']).toMatch(/is a named pipe \(FIFO\), not a template file/);
      expect(reasons['loop-a.yaml']).toMatch(/symbolic link that loops/);
      expect(reasons['dangling.yaml']).toMatch(/symbolic link to nothing/);
      expect(reasons['zero.yaml']).toMatch(/is a device, not a template file/);
      // moving compose.yml to the trash would be a write to a file that is not Shotglass's
      const compose = list.find((e) => e.file === 'compose.yml') as TemplateEntry;
      expect((await errorOf(backend.api.deleteTemplate({ id: compose.id }))).message).toMatch(/is not a Shotglass template, so Shotglass does not move or delete it/);
      expect(readFileSync(join(dir, 'compose.yml'), 'utf8')).toContain('postgres');
      // a save rescans (and would remove stale temps): the user's .build.sgtmp stays
      await backend.api.createTemplate({ template: { ...starter(), name: 'In the new folder' } });
      expect(readFileSync(join(dir, '.build.sgtmp'), 'utf8')).toBe('the user\'s own file');
      // the library lock was never held by the FIFO: the next call answers
      expect((await backend.api.listTemplates({})).some((e) => e.status === 'ok' && e.name === 'In the new folder')).toBe(true);
    } finally {
      await backend.api.setLibraryDir({ dir: before });
    }
  });

  it.skipIf(!canMount())('a read-only folder is refused before the library switches', async () => {
    const before = await backend.api.getLibrary({});
    const dir = join(outside, 'ro');
    mkdirSync(dir);
    mountTmpfs(dir, '1m');
    try {
      writeFileSync(join(dir, 'keep.txt'), 'x');
      remount(dir, 'ro');
      const error = await errorOf(backend.api.setLibraryDir({ dir }));
      expect(error.message).toMatch(/may not write in .*ro; choose a folder you can write to\. The library was not changed\./);
      expect(await backend.api.getLibrary({})).toEqual(before);
    } finally {
      unmount(dir);
    }
  });

  it('a non-UTF-8 or NUL-laden file is described, not printed', async () => {
    const error = await errorOf(backend.api.importTemplate({ text: '\u0000\u0000\u0000\u0000' }));
    expect(error.message).not.toMatch(/\u0000/);
  });
});

describe('the data folder', () => {
  it('presets.json that is a FIFO or broken JSON gives a clear message without its text', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sg-data-sec-'));
    const { createService } = await import('../../service/service.js');
    const b = createService({ mode: 'cli', spawnHost: () => { throw new Error('no host needed'); }, version: 't', dataDir });
    try {
      writeFileSync(join(dataDir, 'presets.json'), '{"SECRET": hunter2');
      const broken = await errorOf(b.api.listPresets({}));
      expect(broken.message).toMatch(/presets\.json is not valid JSON, so it cannot be read as presets; it was left as it is/);
      expect(broken.message).not.toMatch(/SECRET|hunter2/);
      rmSync(join(dataDir, 'presets.json'));
      mkfifo(join(dataDir, 'presets.json'));
      const fifo = await errorOf(b.api.listPresets({}));
      expect(fifo.message).toMatch(/is a named pipe \(FIFO\), not a regular file, so it cannot be read as presets/);
      expect(statSync(join(dataDir, 'presets.json')).isFIFO()).toBe(true);
    } finally {
      await b.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('no raw Node errors', () => {
  it('a NUL byte in a path is refused by the contract, in words', async () => {
    for (const call of [
      () => backend.api.openModel({ path: '/tmp/a\u0000b.gguf' }),
      () => backend.api.inspectModel({ path: '/tmp/a\u0000b.gguf' }),
      () => backend.api.setLibraryDir({ dir: '/tmp/a\u0000b' }),
    ]) {
      const error = await errorOf(call());
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toMatch(/must not contain a NUL character$/);
    }
  });

  it('a system error reaches the caller as words, without its path or syscall', async () => {
    const { toApiError } = await import('../../core/api/contract.js');
    const raw = Object.assign(new Error("EACCES: permission denied, open '/data/presets.json.17960.tmp'"), { code: 'EACCES', syscall: 'open' });
    expect(toApiError(raw)).toEqual({ code: 'internal', message: 'a file operation failed (permission denied)' });
  });
});
