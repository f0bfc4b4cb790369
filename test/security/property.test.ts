// Property: whatever a caller sends, Shotglass writes, moves and deletes only inside its data
// folder and the library folders it was pointed at (and there only template files and .shotglass/);
// every file that was there before and is not Shotglass's is left byte for byte as it was.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STARTERS } from '../../core/prompt/index.js';
import { startTestBackend, type TestService } from '../helpers/backend.js';

let backend: TestService;
const root = mkdtempSync(join(tmpdir(), 'sg-prop-'));
let dataDir: string;

/** Every entry under `dir` with a fingerprint of what it is and holds (links are not followed). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const st = lstatSync(path);
      const rel = relative(root, path);
      if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(path);
      } else if (st.isFile()) {
        out.set(rel, 'file:' + createHash('sha256').update(readFileSync(path)).digest('hex') + ':' + st.mode);
      } else {
        out.set(rel, `other:${st.mode}`);
      }
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  backend = await startTestBackend();
  dataDir = (await backend.api.getLibrary({})).dir.replace(/[/\\]library$/, '');
  // The user's files, in folders the fuzzer may name (and may make library folders).
  for (const folder of ['home', 'home/project', 'etc']) mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, 'home', 'victim.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  writeFileSync(join(root, 'home', 'compose.yml'), 'services:\n  db: {}\n');
  writeFileSync(join(root, 'home', '.build.sgtmp'), 'mine');
  writeFileSync(join(root, 'home', 'project', 'notes.yaml'), 'just: notes\n');
  writeFileSync(join(root, 'etc', 'shadow'), 'root:$6$hash:1:0:99999:7:::\n');
  writeFileSync(join(root, 'etc', 'model.gguf'), 'GGUF but not really');
  symlinkSync(join(root, 'etc', 'shadow'), join(root, 'home', 'link.yaml'));
});
afterAll(async () => {
  await backend.dispose();
  rmSync(root, { recursive: true, force: true });
});

const folders = ['home', 'home/project', 'etc', 'home/new', 'home/project/..', 'nope/deeper'];
const files = ['home/victim.sh', 'home/compose.yml', 'home/.build.sgtmp', 'etc/shadow', 'etc/model.gguf', 'home/link.yaml', 'home/new.yaml', 'home/project/notes.yaml'];
const pathArb = fc.oneof(
  fc.constantFrom(...folders, ...files).map((p) => join(root, p)),
  fc.constantFrom(...files).map((p) => `${join(root, 'home')}${sep}..${sep}${p}`),
  // Never a relative path: it would resolve against the test process's folder (the repository),
  // which setLibraryDir could then legitimately make a library folder.
  fc.constantFrom('/dev/zero', '/etc/passwd', join(root, 'home', '.'), join(root, 'home', 'project', '..', '..', 'etc')),
);
const textArb = fc.oneof(fc.string({ maxLength: 40 }), pathArb, fc.constant(`name: $(touch ${join(root, 'PWNED')})\nschemaVersion: 1\n`));
const templateArb = fc.record({ name: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), pathArb, fc.constant('../../../etc/x')) }).map((t) => ({
  ...structuredClone(STARTERS[0]!.template),
  ...t,
}));

/** One API call: a method and an input shaped for it, or junk with path-like fields. */
const callArb = fc.oneof(
  fc.record({ method: fc.constant('setLibraryDir'), input: fc.record({ dir: pathArb }) }),
  fc.record({ method: fc.constant('importTemplate'), input: fc.oneof(fc.record({ text: textArb }), fc.record({ path: pathArb })) }),
  fc.record({ method: fc.constant('exportTemplate'), input: fc.record({ id: fc.constant('$id'), path: pathArb }, { requiredKeys: ['id'] }) }),
  fc.record({ method: fc.constant('createTemplate'), input: fc.record({ template: templateArb }) }),
  fc.record({ method: fc.constantFrom('deleteTemplate', 'duplicateTemplate', 'getTemplate'), input: fc.record({ id: fc.oneof(fc.constant('$id'), fc.string({ maxLength: 12 })) }) }),
  fc.record({ method: fc.constant('renameTemplate'), input: fc.record({ id: fc.constant('$id'), name: fc.oneof(pathArb, fc.string({ minLength: 1, maxLength: 20 })), expectedVersion: fc.constant(1) }) }),
  fc.record({ method: fc.constant('undoDeleteTemplate'), input: fc.record({ trashId: fc.oneof(pathArb, fc.string({ minLength: 1, maxLength: 20 })) }) }),
  fc.record({ method: fc.constantFrom('openModel', 'inspectModel'), input: fc.record({ path: pathArb }) }),
  fc.record({ method: fc.constant('setAdapters'), input: fc.record({ modelId: fc.constant('$model'), adapters: fc.array(fc.record({ path: pathArb, scale: fc.constant(1) }), { maxLength: 2 }) }) }),
  fc.record({ method: fc.constantFrom('savePreset', 'deletePreset'), input: fc.record({ name: fc.oneof(pathArb, fc.string({ minLength: 1, maxLength: 20 })), sampling: fc.constant({}) }) }),
);

it('no API input writes, moves or deletes anything outside the data folder and the library folders (property)', async () => {
  const libraries = new Set<string>([(await backend.api.getLibrary({})).dir]);
  const before = snapshot(root);
  await fc.assert(
    fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 6 }), async (calls) => {
      for (const { method, input } of calls) {
        const list = await backend.api.listTemplates({});
        const id = list[0]?.id ?? 'none';
        const resolved = JSON.parse(JSON.stringify(input).replaceAll('"$id"', JSON.stringify(id)).replaceAll('"$model"', JSON.stringify(backend.demoId)));
        if (method === 'deletePreset') delete resolved.sampling;
        try {
          await (backend.api as unknown as Record<string, (i: unknown) => Promise<unknown>>)[method]!(resolved);
        } catch {
          // refusals are expected; what matters is the disk
        }
        libraries.add((await backend.api.getLibrary({})).dir);
      }
      const after = snapshot(root);
      // Every file that was there is there, unchanged.
      for (const [path, print] of before) expect(after.get(path), path).toBe(print);
      // Every new entry lies in a library folder: a template file at its top, or under .shotglass/.
      for (const path of after.keys()) {
        if (before.has(path)) continue;
        const abs = join(root, path);
        const lib = [...libraries].find((dir) => abs.startsWith(dir + sep));
        expect(lib, `${path} was created outside every library folder`).toBeDefined();
        const inLib = relative(lib!, abs);
        expect(inLib.startsWith('.shotglass') || /^[^/\\]+\.ya?ml$/.test(inLib), `${path} is not a template file or in .shotglass/`).toBe(true);
      }
      expect(after.has('PWNED')).toBe(false);
    }),
    { numRuns: 40 },
  );
  // the data folder is where Shotglass keeps its own things; nothing else was touched
  expect(dataDir.startsWith(root)).toBe(false);
}, 300_000);
