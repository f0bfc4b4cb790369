// The template library on a real folder: files, versions, outside edits, broken files, trash,
// import/export, and the folder going away, read-only or full.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LibraryError,
  openLibrary,
  type LibraryEvent,
  type TemplateEntry,
  type TemplateLibrary,
} from '../../../service/library/index.js';
import { allFiles, canMount, mountTmpfs, remount, tempDir, unmount } from './fs-helpers.js';
import { template, testCodec, type TestTemplate } from './test-codec.js';

type Lib = TemplateLibrary<TestTemplate>;
let dir: string;
let lib: Lib;
const open = (options: { watch?: boolean } = {}) => openLibrary({ dir, codec: testCodec, watch: options.watch ?? false });

async function rejects(promise: Promise<unknown>): Promise<LibraryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LibraryError);
    return error as LibraryError;
  }
  throw new Error('expected a LibraryError');
}

const ok = (entry: unknown) => {
  expect((entry as TemplateEntry<TestTemplate>).status).toBe('ok');
  return entry as TemplateEntry<TestTemplate>;
};

beforeEach(async () => {
  dir = join(tempDir(), 'library');
  lib = await open();
});
afterEach(() => {
  lib.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('files and versions', () => {
  it('creates one readable file per template and keeps every version', async () => {
    const created = await lib.create(template('Sentiment check', 'Review: {{review}}\nSentiment:', { tags: ['classify'] }));
    expect(created).toMatchObject({ status: 'ok', file: 'sentiment-check.yaml', version: 1, origin: 'created', editedOutside: false });
    const text = readFileSync(join(dir, 'sentiment-check.yaml'), 'utf8');
    expect(text).toMatch(/^# Shotglass template \(file format 1\)/);
    expect(text).toContain(`shotglass: 1\nid: ${created.id}\nversion: 1\nsavedAt: `);
    expect(text).toContain('  prompt: |-\n    Review: {{review}}\n    Sentiment:\n');
    // stable key order: envelope, then the codec's order
    expect(Object.keys(YAML.parse(text))).toEqual(['shotglass', 'id', 'version', 'savedAt', 'template']);
    expect(Object.keys(YAML.parse(text).template)).toEqual(['schemaVersion', 'name', 'description', 'tags', 'prompt']);

    const v2 = await lib.save(created.id, { ...created.template, prompt: 'Review: {{review}}\nSentiment (one word):' }, { expectedVersion: 1 });
    expect(v2).toMatchObject({ version: 2, file: 'sentiment-check.yaml', origin: 'saved' });
    const v3 = await lib.save(created.id, { ...v2.template, temperature: 0.2 }, { expectedVersion: 2 });
    expect(v3.version).toBe(3);
    expect(readdirSync(join(dir, '.shotglass', 'versions', created.id))).toEqual(['000001.yaml', '000002.yaml', '000003.yaml']);

    const versions = await lib.versions(created.id);
    expect(versions.map((v) => [v.version, v.origin])).toEqual([
      [3, 'saved'],
      [2, 'saved'],
      [1, 'created'],
    ]);
    expect((await lib.readVersion(created.id, 1)).template.prompt).toBe('Review: {{review}}\nSentiment:');

    const diff = await lib.diff(created.id, 1, 3);
    expect(diff.unified).toContain('-  Sentiment:\n+  Sentiment (one word):\n');
    expect(diff.unified).toContain('+temperature: 0.2\n');
    expect(diff.unified).not.toContain('version'.padStart(20)); // the envelope is not part of the diff
    expect(diff.lines.some((l) => l.op !== 'equal' && /savedAt|version:/.test(l.text))).toBe(false);

    // A save that changes nothing makes no empty version.
    expect((await lib.save(created.id, v3.template, { expectedVersion: 3 })).version).toBe(3);
  });

  it('restores an old version as a new one, and refuses stale versions', async () => {
    const a = await lib.create(template('Restore me', 'first'));
    await lib.save(a.id, { ...a.template, prompt: 'second' }, { expectedVersion: 1 });
    const stale = await rejects(lib.save(a.id, { ...a.template, prompt: 'from an old tab' }, { expectedVersion: 1 }));
    expect(stale.problem).toBe('conflict');
    expect(stale.message).toMatch(/is at version 2, but this change started from version 1\. Nothing was saved/);
    const restored = await lib.restore(a.id, 1, { expectedVersion: 2 });
    expect(restored).toMatchObject({ version: 3, origin: 'restored' });
    expect(restored.template.prompt).toBe('first');
    expect((await lib.versions(a.id))[0]).toMatchObject({ version: 3, origin: 'restored', restoredFrom: 1 });
  });

  it('renames the file with the template, keeping its id and history', async () => {
    const a = await lib.create(template('Old name'));
    const renamed = await lib.rename(a.id, 'New name', { expectedVersion: 1 });
    expect(renamed).toMatchObject({ id: a.id, file: 'new-name.yaml', name: 'New name', version: 2, origin: 'renamed' });
    expect(existsSync(join(dir, 'old-name.yaml'))).toBe(false);
    expect((await lib.readVersion(a.id, 1)).template.name).toBe('Old name');
    // A file name the user chose is kept when the name changes.
    renameSync(join(dir, 'new-name.yaml'), join(dir, 'my-favourite.yaml'));
    await lib.rescan();
    const again = await lib.rename(a.id, 'Third name', { expectedVersion: 2 });
    expect(again).toMatchObject({ id: a.id, file: 'my-favourite.yaml', version: 3 });
    // Names that collide get their own files.
    const b = await lib.create(template('Third name'));
    const c = await lib.create(template('third NAME!'));
    expect([b.file, c.file]).toEqual(['third-name.yaml', 'third-name-2.yaml']);
  });

  it('duplicates under a new id, and searches by name, tag and text', async () => {
    const a = await lib.create(template('Summarize', 'Summarize in one line:\n{{text}}', { tags: ['summary', 'short'] }));
    await lib.create(template('Translate', 'Translate to French:\n{{text}}', { tags: ['translate'] }));
    const copy = await lib.duplicate(a.id);
    expect(copy).toMatchObject({ name: 'Summarize copy', file: 'summarize-copy.yaml', version: 1, origin: 'duplicated' });
    expect(copy.id).not.toBe(a.id);
    const names = (q: Parameters<Lib['search']>[0]) => lib.search(q).map((e) => e.name);
    expect(names({ name: 'summ' })).toEqual(['Summarize', 'Summarize copy']);
    expect(names({ tags: ['SUMMARY', 'short'] })).toEqual(['Summarize', 'Summarize copy']);
    expect(names({ tags: ['translate'] })).toEqual(['Translate']);
    expect(names({ text: 'french text' })).toEqual(['Translate']);
    expect(names({ text: 'one line', name: 'copy' })).toEqual(['Summarize copy']);
    expect(names({ text: 'nowhere' })).toEqual([]);
  });

  it('deletes to the trash with undo', async () => {
    const a = await lib.create(template('Delete me'));
    const { trashId } = await lib.delete(a.id, { expectedVersion: 1 });
    expect(lib.list()).toEqual([]);
    expect(existsSync(join(dir, 'delete-me.yaml'))).toBe(false);
    expect(await lib.listTrash()).toEqual([
      expect.objectContaining({ trashId, id: a.id, file: 'delete-me.yaml', name: 'Delete me' }),
    ]);
    const back = ok(await lib.undoDelete(trashId));
    expect(back).toMatchObject({ id: a.id, file: 'delete-me.yaml', version: 1 });
    expect(await lib.listTrash()).toEqual([]);
    // history survives; delete again and empty the trash
    const again = await lib.delete(a.id);
    await lib.purgeTrash(again.trashId);
    expect(await lib.listTrash()).toEqual([]);
    expect((await rejects(lib.undoDelete(again.trashId))).problem).toBe('not-found');
  });

  it('imports and exports single files', async () => {
    const outside = tempDir('shotglass-import-');
    const bare = join(outside, 'bare.yaml');
    writeFileSync(bare, 'schemaVersion: 1\nname: From a friend\nprompt: |\n  Hello {{name}}\n');
    const imported = await lib.importFile(bare);
    expect(imported).toMatchObject({ name: 'From a friend', file: 'from-a-friend.yaml', version: 1, origin: 'imported' });
    expect(imported.template.prompt).toBe('Hello {{name}}\n');

    const exported = join(outside, 'exported.yaml');
    await lib.exportFile(imported.id, exported);
    expect(readFileSync(exported, 'utf8')).toBe(lib.exportText(imported.id));
    // importing an export makes a second template (new id), not a clash
    const twin = await lib.importFile(exported);
    expect(twin.id).not.toBe(imported.id);
    expect(twin.template).toEqual(imported.template);

    writeFileSync(join(outside, 'bad.yaml'), 'name: [oops\n');
    const bad = await rejects(lib.importFile(join(outside, 'bad.yaml')));
    expect(bad.problem).toBe('invalid');
    expect(bad.message).toMatch(/^Could not import it: bad\.yaml is not valid YAML/);
    expect((await rejects(lib.importFile(join(outside, 'missing.yaml')))).problem).toBe('not-found');
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads back exactly what it saved, whatever the text (property)', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .array(fc.constantFrom('\n', ' ', '  ', '\t', 'yes', '1.0', '{{x}}', '# ', '- ', 'é', '😀', '\r\n', 'line'), { maxLength: 20 })
        .map((parts) => parts.join('')),
    );
    let expected = 1;
    let id: string | undefined;
    await fc.assert(
      fc.asyncProperty(text, text, fc.array(text, { maxLength: 3 }), async (prompt, description, tags) => {
        const t = { ...template('Round trip', prompt), description, tags };
        const saved = id ? await lib.save(id, t, { expectedVersion: expected }) : await lib.create(t);
        id = saved.id;
        expected = saved.version;
        const reopened = await open();
        expect(ok(reopened.get(saved.id)).template).toEqual(t);
        expect((await reopened.readVersion(saved.id, saved.version)).template).toEqual(t);
        reopened.close();
      }),
      { numRuns: 60 },
    );
  });

  it('refuses templates the codec rejects, writing nothing', async () => {
    const error = await rejects(lib.create({ ...template('x'), name: '' }));
    expect(error.problem).toBe('invalid');
    expect(error.message).toBe('The template is not valid: name: name must not be empty. Nothing was saved.');
    expect(allFiles(dir)).toEqual([]);
  });
});

describe('files edited outside Shotglass', () => {
  it('keeps an outside edit as a new version and never clobbers it', async () => {
    const a = await lib.create(template('Shared', 'mine'));
    const path = join(dir, 'shared.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('prompt: mine', 'prompt: |\n    theirs, from git\n'));
    // No rescan yet: the save itself notices, keeps their change, and refuses.
    const conflict = await rejects(lib.save(a.id, { ...a.template, prompt: 'my edit' }, { expectedVersion: 1 }));
    expect(conflict.problem).toBe('conflict');
    expect(conflict.message).toMatch(/^"Shared" was changed outside Shotglass since it was loaded \(shared\.yaml is now version 2\)\. Nothing was saved/);
    expect(readFileSync(path, 'utf8')).toContain('theirs, from git');
    const entry = ok(lib.get(a.id));
    expect(entry).toMatchObject({ version: 2, origin: 'outside', editedOutside: true });
    expect(entry.template.prompt).toBe('theirs, from git\n');
    expect((await lib.versions(a.id)).map((v) => v.origin)).toEqual(['outside', 'created']);
    // Saving on top of the new version works, and the file says so.
    const v3 = await lib.save(a.id, { ...entry.template, prompt: 'merged' }, { expectedVersion: 2 });
    expect(v3).toMatchObject({ version: 3, editedOutside: false });
    expect(readFileSync(path, 'utf8')).toContain('version: 3\n');
  });

  it('picks up new, changed and removed files on rescan, with events', async () => {
    const events: LibraryEvent[] = [];
    lib.onEvent((e) => events.push(e));
    const a = await lib.create(template('Alpha'));
    events.length = 0;
    writeFileSync(join(dir, 'hand-written.yaml'), 'schemaVersion: 1\nname: Hand written\nprompt: hi\n');
    rmSync(join(dir, 'alpha.yaml'));
    const event = await lib.rescan();
    expect(event).toMatchObject({ type: 'changed', changed: [], removed: [a.id] });
    expect(events).toEqual([event]);
    const hand = ok(lib.list()[0]);
    expect(hand).toMatchObject({ name: 'Hand written', version: 1, editedOutside: true });
    expect(await lib.rescan()).toBeUndefined(); // nothing new: no event, no new version
    // A file without an id keeps a derived id until Shotglass saves it, which writes that id.
    const saved = await lib.save(hand.id, { ...hand.template, prompt: 'hello' }, { expectedVersion: 1 });
    expect(saved.id).toBe(hand.id);
    expect(readFileSync(join(dir, 'hand-written.yaml'), 'utf8')).toContain(`id: ${hand.id}\nversion: 2\n`);
  });

  it('gives a copied file (same id) an id of its own', async () => {
    const a = await lib.create(template('Original'));
    writeFileSync(join(dir, 'copy-of-original.yaml'), readFileSync(join(dir, 'original.yaml')));
    await lib.rescan();
    const entries = lib.list().map(ok);
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.file === 'original.yaml')?.id).toBe(a.id);
    const copy = entries.find((e) => e.file === 'copy-of-original.yaml');
    expect(copy?.id).not.toBe(a.id);
    await lib.save(copy!.id, { ...copy!.template, name: 'Copy' }, { expectedVersion: copy!.version });
    const reopened = await open();
    expect(new Set(reopened.list().map((e) => e.id)).size).toBe(2);
    reopened.close();
  });

  it('notices changes through the folder watcher', async () => {
    lib.close();
    lib = await openLibrary({ dir, codec: testCodec, watch: true, debounceMs: 50 });
    expect(lib.status().watching).toBe(true);
    const seen = new Promise<LibraryEvent>((resolve) => lib.onEvent(resolve));
    writeFileSync(join(dir, 'dropped-in.yaml'), 'schemaVersion: 1\nname: Dropped in\nprompt: hi\n');
    const event = await seen;
    expect(event).toMatchObject({ type: 'changed', added: [expect.any(String)] });
    expect(lib.list().map((e) => e.file)).toEqual(['dropped-in.yaml']);
  });

  it('records a file whose version is newer than its history (history not kept in git)', async () => {
    const a = await lib.create(template('Cloned'));
    await lib.save(a.id, { ...a.template, prompt: 'two' }, { expectedVersion: 1 });
    lib.close();
    rmSync(join(dir, '.shotglass'), { recursive: true });
    lib = await open();
    expect(ok(lib.get(a.id))).toMatchObject({ version: 2, template: { prompt: 'two' } });
    expect((await lib.versions(a.id)).map((v) => v.version)).toEqual([2]);
    expect((await lib.save(a.id, { ...a.template, prompt: 'three' }, { expectedVersion: 2 })).version).toBe(3);
  });
});

describe('broken files', () => {
  const cases: [string, string, RegExp][] = [
    ['syntax.yaml', 'name: [unclosed\n', /^syntax\.yaml is not valid YAML \(line \d\)/],
    ['newer.yaml', 'shotglass: 2\nid: tnewer\ntemplate: {}\n', /^newer\.yaml was written in file format 2 by a newer Shotglass; this version reads format 1/],
    ['schema.yaml', 'shotglass: 1\nid: tschema\nversion: 1\ntemplate:\n  schemaVersion: 3\n  name: x\n  prompt: y\n', /^schema\.yaml is not a valid template: schemaVersion: schemaVersion must be 1$/],
    ['empty.yaml', '', /^empty\.yaml is empty$/],
    ['latin1.yaml', '\xff\xfe', /^latin1\.yaml is not UTF-8 text$/],
    ['list.yaml', '- a\n- b\n', /^list\.yaml does not hold a template/],
    ['no-template.yaml', 'shotglass: 1\nid: tnotpl\n', /^no-template\.yaml has no template section$/],
  ];

  it('lists each broken file with the reason, and never overwrites it', async () => {
    for (const [file, text] of cases) writeFileSync(join(dir, file), text === '\xff\xfe' ? Buffer.from([0xff, 0xfe]) : text);
    await lib.rescan();
    const before = allFiles(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]);
    const broken = lib.list();
    expect(broken).toHaveLength(cases.length);
    for (const [file, , reason] of cases) {
      const entry = broken.find((e) => e.file === file);
      expect(entry?.status).toBe('broken');
      if (entry?.status === 'broken') expect(entry.reason).toMatch(reason);
    }
    const schema = broken.find((e) => e.file === 'schema.yaml')!;
    expect(schema.id).toBe('tschema'); // the id a broken file claims is kept
    const refused = await rejects(lib.save(schema.id, template('x'), { expectedVersion: 1 }));
    expect(refused.problem).toBe('broken-file');
    expect(refused.message).toMatch(/^schema\.yaml is not a valid template: .*Shotglass never overwrites such a file/);
    expect((await rejects(lib.rename(schema.id, 'y', { expectedVersion: 1 }))).problem).toBe('broken-file');
    expect(allFiles(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')])).toEqual(before);
  });

  it('refuses to save over a file that broke after it was loaded', async () => {
    const a = await lib.create(template('Fragile'));
    const path = join(dir, 'fragile.yaml');
    const broken = readFileSync(path, 'utf8').replace('name: Fragile', 'name: [Fragile');
    writeFileSync(path, broken);
    const error = await rejects(lib.save(a.id, { ...a.template, prompt: 'new' }, { expectedVersion: 1 }));
    expect(error.problem).toBe('broken-file');
    expect(error.message).toMatch(/^fragile\.yaml was changed outside Shotglass and is not valid YAML/);
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(lib.get(a.id)).toMatchObject({ status: 'broken', id: a.id });
    // "save as" still works, and deleting the broken file moves it (bytes intact) to the trash
    await lib.create({ ...a.template, name: 'Fragile (mine)', prompt: 'new' });
    const { trashId } = await lib.delete(a.id);
    expect(readFileSync(join(dir, '.shotglass', 'trash', trashId, 'fragile.yaml'), 'utf8')).toBe(broken);
  });
});

describe('crashes and stale files', () => {
  it('finalizes a save that reached the file and drops one that did not; removes temp files', async () => {
    const a = await lib.create(template('Crashy', 'one'));
    const b = await lib.create(template('Other', 'one'));
    lib.close();
    const versions = (id: string) => join(dir, '.shotglass', 'versions', id);
    // a: crash after the current file was written, before the kept copy was made final
    const v2 = readFileSync(join(versions(a.id), '000001.yaml'), 'utf8')
      .replace('version: 1', 'version: 2')
      .replace('prompt: one', 'prompt: two')
      .replace('origin: created', 'origin: saved');
    writeFileSync(join(versions(a.id), '000002.pending.yaml'), v2);
    writeFileSync(join(dir, 'crashy.yaml'), v2.replace('origin: saved\n', ''));
    // b: crash before the current file was written
    writeFileSync(join(versions(b.id), '000002.pending.yaml'), 'half a file');
    // temp files from killed writes, in every place Shotglass writes
    writeFileSync(join(dir, '.crashy.yaml.0123456789ab.sgtmp'), 'partial');
    writeFileSync(join(versions(b.id), '.000002.pending.yaml.ba9876543210.sgtmp'), 'partial');
    mkdirSync(versions('tgone'), { recursive: true });
    writeFileSync(join(versions('tgone'), '000001.pending.yaml'), 'create that never finished');

    lib = await open();
    expect(ok(lib.get(a.id))).toMatchObject({ version: 2, origin: 'saved', template: { prompt: 'two' } });
    expect(ok(lib.get(b.id))).toMatchObject({ version: 1, template: { prompt: 'one' } });
    expect(allFiles(dir)).toEqual(
      [
        'crashy.yaml',
        'other.yaml',
        `.shotglass/versions/${a.id}/000001.yaml`,
        `.shotglass/versions/${a.id}/000002.yaml`,
        `.shotglass/versions/${b.id}/000001.yaml`,
      ].sort(),
    );
  });
});

describe('the folder goes away', () => {
  it('keeps the list when the folder disappears, and says so', async () => {
    const a = await lib.create(template('Survivor'));
    const events: LibraryEvent[] = [];
    lib.onEvent((e) => events.push(e));
    const before = lib.list();
    renameSync(dir, `${dir}-moved`);
    const error = await rejects(lib.rescan());
    expect(error.problem).toBe('folder-missing');
    expect(error.message).toMatch(/^The library folder .* no longer exists\. The templates already loaded stay open/);
    expect(events).toEqual([{ type: 'problem', message: error.message }]);
    expect(lib.list()).toEqual(before);
    expect(lib.status().problem).toBe(error.message);
    const save = await rejects(lib.save(a.id, { ...a.template, prompt: 'x' }, { expectedVersion: 1 }));
    expect(save.problem).toBe('folder-missing');
    expect(save.message).toMatch(/no longer exists: could not save "Survivor"\. Nothing was changed\./);
    expect((await rejects(lib.create(template('New')))).problem).toBe('folder-missing');
    renameSync(`${dir}-moved`, dir);
    await lib.rescan();
    expect(lib.status().problem).toBeUndefined();
    expect((await lib.save(a.id, { ...a.template, prompt: 'x' }, { expectedVersion: 1 })).version).toBe(2);
  });

  it('opening a missing folder without create, or a file, is a clear error', async () => {
    const missing = await rejects(openLibrary({ dir: join(dir, 'nope'), codec: testCodec, create: false, watch: false }));
    expect(missing.message).toMatch(/^The library folder .*nope does not exist\.$/);
    writeFileSync(join(dir, 'a-file'), 'x');
    const file = await rejects(openLibrary({ dir: join(dir, 'a-file'), codec: testCodec, watch: false }));
    expect(file.message).toMatch(/a-file is a file, not a folder/);
  });
});

const mountable = canMount();

describe.skipIf(!mountable)('real file-system failures (tmpfs, as root)', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = tempDir('shotglass-tmpfs-');
  });
  afterEach(() => {
    try {
      unmount(mnt);
    } catch {
      // not mounted
    }
    rmSync(mnt, { recursive: true, force: true });
  });

  it('a read-only folder: clear errors, nothing changed', async () => {
    mountTmpfs(mnt, '4m');
    const ro = await openLibrary({ dir: mnt, codec: testCodec, watch: false });
    const a = await ro.create(template('Read only', 'v1'));
    remount(mnt, 'ro');
    const before = allFiles(mnt).map((f) => [f, readFileSync(join(mnt, f), 'utf8')]);
    const listed = ro.list();
    const error = await rejects(ro.save(a.id, { ...a.template, prompt: 'v2' }, { expectedVersion: 1 }));
    expect(error.problem).toBe('read-only');
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      `The library folder ${mnt} is read-only (or Shotglass may not write there): could not save "Read only". Nothing was changed; what was saved before is intact.`,
    );
    expect((await rejects(ro.create(template('Another')))).problem).toBe('read-only');
    expect((await rejects(ro.delete(a.id))).problem).toBe('read-only');
    expect(ro.list()).toEqual(listed);
    await ro.rescan(); // reading still works
    expect(allFiles(mnt).map((f) => [f, readFileSync(join(mnt, f), 'utf8')])).toEqual(before);
    remount(mnt, 'rw');
    expect((await ro.save(a.id, { ...a.template, prompt: 'v2' }, { expectedVersion: 1 })).version).toBe(2);
    ro.close();
  });

  it('a disk that fills during a save: the error says so, the previous version is intact', async () => {
    mountTmpfs(mnt, '256k');
    const full = await openLibrary({ dir: mnt, codec: testCodec, watch: false });
    const a = await full.create(template('Big prompt', 'small\n'));
    const snapshot = () => allFiles(mnt).map((f) => [f, readFileSync(join(mnt, f), 'utf8')]);
    const before = snapshot();

    // 1) the kept copy does not fit
    const huge = 'x'.repeat(400 * 1024);
    const error = await rejects(full.save(a.id, { ...a.template, prompt: huge }, { expectedVersion: 1 }));
    expect(error.problem).toBe('disk-full');
    expect(error.message).toBe('The disk is full: could not save "Big prompt". Nothing was changed; what was saved before is intact.');
    expect(snapshot()).toEqual(before);

    // 2) the kept copy fits, the current file does not: the kept copy is removed again
    const half = 'y'.repeat(150 * 1024);
    const error2 = await rejects(full.save(a.id, { ...a.template, prompt: half }, { expectedVersion: 1 }));
    expect(error2.problem).toBe('disk-full');
    expect(snapshot()).toEqual(before);
    expect(ok(full.get(a.id))).toMatchObject({ version: 1, template: { prompt: 'small\n' } });

    // 3) a new template on a full disk
    expect((await rejects(full.create(template('New', huge)))).problem).toBe('disk-full');
    expect(snapshot()).toEqual(before);

    // and once there is room again, saving works
    expect((await full.save(a.id, { ...a.template, prompt: 'fits\n' }, { expectedVersion: 1 })).version).toBe(2);
    const reopened = await openLibrary({ dir: mnt, codec: testCodec, watch: false });
    expect(ok(reopened.get(a.id))).toMatchObject({ version: 2, template: { prompt: 'fits\n' } });
    reopened.close();
    full.close();
  });
});
