// The local model library on real folders: the usual places, header facts, split parts grouped,
// broken files with their reason, incremental rescans, watching, favourites, removal and delete.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLocations, ModelLibrary, type LibraryEntry } from '../../../service/models/library.js';
import { fixture } from '../../helpers/backend.js';
import { demoFiles } from '../../helpers/hub-fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sg-lib-'));

function machine() {
  const home = tmp();
  const dataDir = tmp();
  const places = {
    shotglass: join(dataDir, 'models'),
    nodeLlamaCpp: join(home, '.node-llama-cpp', 'models'),
    lmStudio: join(home, '.lmstudio', 'models', 'publisher', 'repo'),
    lmStudioCache: join(home, '.cache', 'lm-studio', 'models'),
    llamaCpp: join(home, '.cache', 'llama.cpp'),
  };
  for (const dir of Object.values(places)) mkdirSync(dir, { recursive: true });
  const library = new ModelLibrary({ dataDir, env: {}, home });
  return { home, dataDir, places, library };
}

const byName = (entries: LibraryEntry[], name: string) => entries.find((e) => e.fileName === name)!;

describe('the model library', () => {
  it('finds models in Shotglass, node-llama-cpp, LM Studio and llama.cpp folders, read from their headers', async () => {
    const { places, library } = machine();
    copyFileSync(fixture('demo-q8_0.gguf'), join(places.shotglass, 'demo-q8_0.gguf'));
    copyFileSync(fixture('demo-q4_0.gguf'), join(places.nodeLlamaCpp, 'demo-q4_0.gguf'));
    copyFileSync(fixture('demo-f16.gguf'), join(places.lmStudio, 'demo-f16.gguf'));
    copyFileSync(fixture('bpe.gguf'), join(places.llamaCpp, 'user_repo_bpe.gguf'));
    writeFileSync(join(places.lmStudioCache, 'readme.txt'), 'not a model');
    const entries = await library.scan();
    expect(entries.map((e) => [e.fileName, e.source])).toEqual([
      ['demo-f16.gguf', 'lm-studio'],
      ['demo-q4_0.gguf', 'node-llama-cpp'],
      ['demo-q8_0.gguf', 'shotglass'],
      ['user_repo_bpe.gguf', 'llama.cpp'],
    ]);
    expect(byName(entries, 'demo-q8_0.gguf')).toMatchObject({
      status: 'ok',
      problem: null,
      architecture: 'llama',
      quantization: 'Q8_0',
      contextLength: 4096,
      layers: 2, // the demo model's two designed layers
      chatTemplate: true,
      sizeBytes: readFileSync(fixture('demo-q8_0.gguf')).length,
    });
    expect(byName(entries, 'demo-q8_0.gguf').parameters).toBeGreaterThan(0);
    expect(byName(entries, 'user_repo_bpe.gguf').chatTemplate).toBe(false);
  });

  it('groups a split model as one entry, and lists a missing part as broken', async () => {
    const { places, library } = machine();
    const parts = demoFiles().parts;
    parts.forEach((bytes, i) => writeFileSync(join(places.shotglass, `demo.Q8_0-0000${i + 1}-of-00003.gguf`), bytes));
    mkdirSync(join(places.shotglass, 'half'));
    writeFileSync(join(places.shotglass, 'half', 'x-00001-of-00002.gguf'), parts[0]!);
    const entries = await library.scan();
    expect(entries).toHaveLength(2);
    const split = byName(entries, 'demo.Q8_0-00001-of-00003.gguf');
    expect(split).toMatchObject({ status: 'ok', layers: 2, quantization: 'Q8_0', sizeBytes: parts.reduce((n, p) => n + p.length, 0) });
    expect(split.parts).toHaveLength(3);
    expect(byName(entries, 'x-00001-of-00002.gguf')).toMatchObject({ status: 'broken', problem: 'split model: part 2 of 2 missing' });
  });

  it('lists broken files with the pre-load checks\' reasons and keeps scanning', async () => {
    const { places, library } = machine();
    for (const name of ['not-gguf.gguf', 'bad-magic.gguf', 'truncated.gguf', 'missing-ffn-length.gguf', 'demo-q4_0.gguf']) {
      copyFileSync(fixture(name), join(places.shotglass, name));
    }
    const entries = await library.scan();
    expect(Object.fromEntries(entries.map((e) => [e.fileName, e.status]))).toEqual({
      'bad-magic.gguf': 'broken',
      'demo-q4_0.gguf': 'ok',
      'missing-ffn-length.gguf': 'broken',
      'not-gguf.gguf': 'broken',
      'truncated.gguf': 'broken',
    });
    expect(byName(entries, 'truncated.gguf').problem).toMatch(/lies beyond the end of the file .* a partial download\?/);
    expect(byName(entries, 'missing-ffn-length.gguf').problem).toMatch(/lacks "llama.feed_forward_length"/);
    expect(byName(entries, 'not-gguf.gguf').problem).toMatch(/is not a readable GGUF file/);
  });

  it('rescans incrementally: only new or changed files are read again', async () => {
    const { places, library } = machine();
    copyFileSync(fixture('demo-q4_0.gguf'), join(places.shotglass, 'a.gguf'));
    copyFileSync(fixture('demo-q8_0.gguf'), join(places.shotglass, 'b.gguf'));
    await library.scan();
    expect(library.lastScanRead).toBe(2);
    await library.scan();
    expect(library.lastScanRead).toBe(0);
    utimesSync(join(places.shotglass, 'a.gguf'), new Date(), new Date(Date.now() + 5000));
    copyFileSync(fixture('bpe.gguf'), join(places.shotglass, 'c.gguf'));
    const entries = await library.scan();
    expect(library.lastScanRead).toBe(2);
    expect(entries).toHaveLength(3);
  });

  it('watches its folders: a new file appears without asking', async () => {
    const { places, library } = machine();
    const seen: LibraryEntry[][] = [];
    const stop = await library.watch((entries) => seen.push(entries), 50);
    try {
      copyFileSync(fixture('demo-q4_0.gguf'), join(places.nodeLlamaCpp, 'new.gguf'));
      const deadline = Date.now() + 10_000;
      while (!seen.some((s) => s.some((e) => e.fileName === 'new.gguf')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen.at(-1)!.map((e) => e.fileName)).toEqual(['new.gguf']);
    } finally {
      stop();
    }
  });

  it('favourites, added folders and removals persist in a small settings file; a file is deleted only with confirm', async () => {
    const { places, library, dataDir, home } = machine();
    const mine = tmp();
    copyFileSync(fixture('demo-q4_0.gguf'), join(places.shotglass, 'keep.gguf'));
    copyFileSync(fixture('demo-q8_0.gguf'), join(mine, 'fav.gguf'));
    await library.addFolder(mine);
    await expect(library.addFolder(join(mine, 'nope'))).rejects.toThrow(/is not a folder/);
    const fav = join(mine, 'fav.gguf');
    await library.setFavourite(fav, true);
    const again = new ModelLibrary({ dataDir, env: {}, home });
    const entries = await again.scan();
    expect(entries.map((e) => [e.fileName, e.favourite, e.source])).toEqual([
      ['fav.gguf', true, 'user'],
      ['keep.gguf', false, 'shotglass'],
    ]);
    await again.removeFromList(fav);
    expect((await again.scan()).map((e) => e.fileName)).toEqual(['keep.gguf']);
    expect(existsSync(fav)).toBe(true); // off the list, still on disk
    const keep = join(places.shotglass, 'keep.gguf');
    await expect(again.deleteFiles(keep)).rejects.toThrow(/explicit confirm/);
    expect(existsSync(keep)).toBe(true);
    expect(await again.deleteFiles(keep, { confirm: true })).toEqual([keep]);
    expect(existsSync(keep)).toBe(false);
    expect(JSON.parse(readFileSync(join(dataDir, 'model-library.json'), 'utf8'))).toEqual({
      version: 1,
      folders: [mine],
      favourites: [],
      hidden: [fav],
    });
  });

  it('an unreadable settings file is set aside with a warning, not overwritten', async () => {
    const { dataDir, home } = machine();
    writeFileSync(join(dataDir, 'model-library.json'), '{ not json');
    const library = new ModelLibrary({ dataDir, env: {}, home });
    expect(await library.scan()).toEqual([]);
    expect(library.warning).toMatch(/could not be read; they were moved to .*model-library\.json\.unreadable-\d+/);
    const aside = library.warning!.split('moved to ')[1]!;
    expect(readFileSync(aside, 'utf8')).toBe('{ not json');
  });

  it('LLAMA_CACHE and XDG_CACHE_HOME move llama.cpp\'s and LM Studio\'s caches', () => {
    const locations = defaultLocations('/data', { LLAMA_CACHE: '/llama', XDG_CACHE_HOME: '/xdg' }, '/home/u');
    expect(locations).toEqual([
      { path: '/data/models', source: 'shotglass' },
      { path: '/home/u/.node-llama-cpp/models', source: 'node-llama-cpp' },
      { path: '/home/u/.lmstudio/models', source: 'lm-studio' },
      { path: '/xdg/lm-studio/models', source: 'lm-studio' },
      { path: '/llama', source: 'llama.cpp' },
    ]);
  });
});
