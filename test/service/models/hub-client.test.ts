// The Hub client against the test Hub over real HTTP: search, a repository's GGUF files, `hf:`
// references through the manifest and through file names, gated repositories, HF_ENDPOINT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, HubError, hubEndpoint } from '../../../service/models/hub-client.js';
import { DEMO_REPO, demoFiles, GATED_REPO, GATED_TOKEN, hubRepos, OTHER_REPO, sha256, SPLIT_PATHS, SPLIT_REPO } from '../../helpers/hub-fixtures.js';
import { startHub, type HubServer } from '../../helpers/hub-server.js';

let hub: HubServer;
let client: HubClient;
beforeAll(async () => {
  hub = await startHub(hubRepos());
  client = new HubClient({ endpoint: hub.url });
});
afterAll(() => hub.close());

describe('search', () => {
  it('finds GGUF repositories only, sorted by downloads, likes or recency', async () => {
    expect((await client.search('demo')).map((r) => r.id)).toEqual([DEMO_REPO, OTHER_REPO]);
    expect((await client.search('', { sort: 'likes' })).map((r) => r.id)).toEqual([GATED_REPO, OTHER_REPO, DEMO_REPO, SPLIT_REPO]);
    expect((await client.search('', { sort: 'recent' })).map((r) => r.id)[0]).toBe(OTHER_REPO);
    const [first] = await client.search('demo-gguf');
    expect(first).toMatchObject({ id: DEMO_REPO, downloads: 5000, likes: 20, gated: false });
    expect((await client.search('gated'))[0]!.gated).toBe(true);
    const request = hub.requests('/api/models?').at(-1)!;
    expect(request.path).toContain('filter=gguf');
  });
});

describe('a repository', () => {
  it('lists its GGUF files with quantization, size and LFS sha256, smallest first', async () => {
    const f = demoFiles();
    const choices = await client.ggufChoices(DEMO_REPO);
    expect(choices.map((c) => c.quantization)).toEqual(['Q4_0', 'Q8_0', 'F16']);
    expect(choices[0]!.files).toEqual([{ path: 'demo.Q4_0.gguf', size: f.q4.length, sha256: sha256(f.q4) }]);
    expect(choices[2]!.size).toBe(f.f16.length);
  });

  it('groups the parts of a split model as one choice', async () => {
    const [choice] = await client.ggufChoices(SPLIT_REPO);
    expect(choice!.files.map((x) => x.path)).toEqual(SPLIT_PATHS);
    expect(choice!.main).toBe(SPLIT_PATHS[0]);
    expect(choice!.quantization).toBe('Q8_0');
    expect(choice!.size).toBe(demoFiles().parts.reduce((n, p) => n + p.length, 0));
  });
});

describe('hf: references', () => {
  it('resolves user/repo:QUANT through the Hub manifest, asked as llama.cpp asks', async () => {
    const model = await client.resolve('hf:shotglass/demo-GGUF:q8_0');
    expect(model.main).toBe('demo.Q8_0.gguf');
    expect(model.urls).toEqual([`${hub.url}/${DEMO_REPO}/resolve/main/demo.Q8_0.gguf`]);
    const manifest = hub.requests('/v2/shotglass/demo-GGUF/manifests/Q8_0');
    expect(manifest.length).toBe(1);
    expect(manifest[0]!.userAgent).toBe('llama-cpp');
  });

  it('falls back to file names when the revision is not main (the manifest knows only main)', async () => {
    const before = hub.requests('/manifests/').length;
    const model = await client.resolve('hf:shotglass/demo-GGUF:Q4_0#main2');
    expect(model.main).toBe('demo.Q4_0.gguf');
    expect(hub.requests('/manifests/').length).toBe(before);
  });

  it('resolves user/repo/file.gguf and a split model to all its parts', async () => {
    expect((await client.resolve('hf:shotglass/demo-GGUF/demo.F16.gguf')).files.map((f) => f.path)).toEqual(['demo.F16.gguf']);
    const split = await client.resolve('hf:shotglass/split-GGUF:Q8_0');
    expect(split.files.map((f) => f.path)).toEqual(SPLIT_PATHS);
    expect(split.urls).toHaveLength(3);
  });

  it('says which quantizations exist when the asked one does not', async () => {
    await expect(client.resolve('hf:shotglass/demo-GGUF:Q6_K')).rejects.toThrow(/no Q6_K file.*available: Q4_0, Q8_0, F16/);
    await expect(client.resolve('hf:shotglass/demo-GGUF/nope.gguf')).rejects.toThrow(/has no file nope.gguf/);
    await expect(client.resolve('hf:nobody/nothing:Q4_0')).rejects.toMatchObject({ status: 404 });
  });

  it('a gated repository needs the token, and says so without one', async () => {
    const error = await client.resolve(`hf:${GATED_REPO}:Q4_0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message).toMatch(/gated or private \(401\).*HF_TOKEN/);
    const withToken = new HubClient({ endpoint: hub.url, token: GATED_TOKEN });
    expect((await withToken.resolve(`hf:${GATED_REPO}:Q4_0`)).main).toBe('gated.Q4_0.gguf');
    expect(hub.requests(`/api/models/${GATED_REPO}/tree`).at(-1)!.authorization).toBe(`Bearer ${GATED_TOKEN}`);
  });

  it('retries the API on 429 and 503, honouring Retry-After, then gives up with the status', async () => {
    const flaky = new HubClient({ endpoint: hub.url, attempts: 3 });
    const seen = hub.log.length;
    hub.apiFault({ status: 429, retryAfter: '0' }, { status: 503, retryAfter: '0' });
    expect((await flaky.search('demo')).map((r) => r.id)).toEqual([DEMO_REPO, OTHER_REPO]);
    expect(hub.log.slice(seen).map((r) => r.status)).toEqual([429, 503, 200]);
    hub.apiFault(...[1, 2, 3].map(() => ({ status: 503, retryAfter: '0' })));
    await expect(flaky.search('demo')).rejects.toThrow(/the Hub answered 503/);
  });
});

describe('endpoint', () => {
  it('HF_ENDPOINT points at a mirror; a bad one is a clear error', () => {
    expect(hubEndpoint({ HF_ENDPOINT: 'http://127.0.0.1:9/mirror/' })).toBe('http://127.0.0.1:9/mirror');
    expect(hubEndpoint({})).toBe('https://huggingface.co');
    expect(() => hubEndpoint({ HF_ENDPOINT: 'ftp://x' })).toThrow(/http\(s\)/);
    expect(() => hubEndpoint({ HF_ENDPOINT: 'not a url' })).toThrow(/not a URL/);
  });
});
