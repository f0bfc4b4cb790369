// The Hugging Face Hub's public API, as much of it as a model library needs: search for GGUF
// repositories, a repository's GGUF files (quantization, size, the LFS sha256 that downloads are
// verified against) and `hf:` references resolved to files. HF_ENDPOINT points at a mirror; a
// token opens gated repositories. Node's fetch (undici) is the HTTP client.
import { z } from 'zod';
import { formatHfRef, parseHfRef, type HfRef } from '../../core/models/hf-ref.js';
import { quantFromFileName, quantOrder } from '../../core/models/quant.js';
import { splitName } from '../../core/models/split.js';
import { DEFAULT_BACKOFF, retryDelay } from '../../core/models/transfer.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export function hubEndpoint(env: NodeJS.ProcessEnv = process.env, setting?: string): string {
  const chosen = setting || env.HF_ENDPOINT || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new HubError(`the Hub endpoint "${chosen}" is not a URL`, 0);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HubError(`the Hub endpoint must be http(s), got ${url.protocol}`, 0);
  return url.href.replace(/\/+$/, '');
}

/** HF_TOKEN (huggingface_hub's name) or HUGGING_FACE_HUB_TOKEN (its older one). */
export const hubToken = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;

export class HubError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export type SearchSort = 'downloads' | 'likes' | 'recent';

export interface SearchResult {
  id: string;
  downloads: number;
  likes: number;
  lastModified: string | null;
  gated: boolean;
}

export interface RepoFile {
  path: string;
  size: number;
  /** The LFS object id (sha256 of the content); null for files not stored in LFS. */
  sha256: string | null;
}

/** One downloadable model in a repository: a GGUF file, or the parts of a split one. */
export interface GgufChoice {
  quantization: string | null;
  /** The path a loader is given (the first part of a split model). */
  main: string;
  files: RepoFile[];
  size: number;
}

export interface ResolvedModel extends GgufChoice {
  ref: string;
  repo: string;
  revision: string;
  urls: string[];
}

const SearchSchema = z.array(
  z.object({
    id: z.string(),
    downloads: z.number().optional(),
    likes: z.number().optional(),
    lastModified: z.string().optional(),
    createdAt: z.string().optional(),
    gated: z.union([z.boolean(), z.string()]).optional(),
  }),
);
const TreeSchema = z.array(
  z.object({
    type: z.string(),
    path: z.string(),
    size: z.number().optional(),
    lfs: z.object({ oid: z.string(), size: z.number() }).optional(),
  }),
);
const ManifestSchema = z.object({ ggufFile: z.object({ rfilename: z.string() }) });

export interface HubClientOptions {
  endpoint?: string;
  token?: string;
  /** Attempts for an API call answered 429/5xx or cut off (downloads have their own policy). */
  attempts?: number;
}

export class HubClient {
  readonly endpoint: string;
  private readonly token?: string;
  private readonly attempts: number;

  constructor(options: HubClientOptions = {}) {
    this.endpoint = options.endpoint ? hubEndpoint({}, options.endpoint) : hubEndpoint();
    this.token = options.token ?? hubToken();
    this.attempts = options.attempts ?? 4;
  }

  authHeaders(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  fileUrl(repo: string, revision: string, path: string): string {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encoded}`;
  }

  async search(query: string, options: { sort?: SearchSort; limit?: number } = {}): Promise<SearchResult[]> {
    const params = new URLSearchParams({
      search: query,
      filter: 'gguf',
      sort: options.sort === 'recent' ? 'lastModified' : (options.sort ?? 'downloads'),
      direction: '-1',
      limit: String(Math.min(Math.max(options.limit ?? 30, 1), 100)),
    });
    const rows = SearchSchema.parse(await this.getJson(`/api/models?${params}`, 'the search'));
    return rows.map((r) => ({
      id: r.id,
      downloads: r.downloads ?? 0,
      likes: r.likes ?? 0,
      lastModified: r.lastModified ?? r.createdAt ?? null,
      gated: r.gated !== undefined && r.gated !== false,
    }));
  }

  /** Every file of a repository at a revision, following the Hub's pagination (Link: next). */
  async tree(repo: string, revision = 'main'): Promise<RepoFile[]> {
    const files: RepoFile[] = [];
    let next: string | null = `/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
    while (next) {
      const response = await this.request(next, `hf:${repo}`);
      const rows = TreeSchema.parse(await response.json());
      for (const r of rows) {
        if (r.type !== 'file') continue;
        files.push({ path: r.path, size: r.lfs?.size ?? r.size ?? 0, sha256: r.lfs?.oid ?? null });
      }
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    return files;
  }

  /** The repository's GGUF models, split parts grouped, smallest quantization first. */
  async ggufChoices(repo: string, revision = 'main'): Promise<GgufChoice[]> {
    return groupChoices(await this.tree(repo, revision));
  }

  /** An `hf:` reference resolved to the files it names, with sizes and sha256. */
  async resolve(reference: string | HfRef): Promise<ResolvedModel> {
    const ref = typeof reference === 'string' ? parseHfRef(reference) : reference;
    const choices = await this.ggufChoices(ref.repo, ref.revision);
    let choice: GgufChoice | undefined;
    if (ref.kind === 'file') {
      choice = choices.find((c) => c.files.some((f) => f.path === ref.path));
      if (!choice) throw new HubError(`${formatHfRef(ref)}: the repository has no file ${ref.path}`, 404);
    } else {
      // The Hub's manifest names the file llama.cpp would pick; file names are the fallback
      // (a mirror may not serve /v2, and the manifest only knows the default revision).
      const main = ref.revision === 'main' ? await this.manifestFile(ref.repo, ref.tag ?? 'latest') : null;
      choice = main ? choices.find((c) => c.files.some((f) => f.path === main)) : undefined;
      choice ??= ref.tag
        ? choices.find((c) => c.quantization === ref.tag)
        : (choices.find((c) => c.quantization === 'Q4_K_M') ?? (choices.length === 1 ? choices[0] : undefined));
      if (!choice) {
        const available = choices.map((c) => c.quantization ?? c.main).join(', ') || 'none';
        throw new HubError(
          `${formatHfRef(ref)}: ${ref.tag ? `no ${ref.tag} file` : 'no default file'} in the repository (available: ${available})`,
          404,
        );
      }
    }
    return {
      ...choice,
      ref: formatHfRef(ref),
      repo: ref.repo,
      revision: ref.revision,
      urls: choice.files.map((f) => this.fileUrl(ref.repo, ref.revision, f.path)),
    };
  }

  private async manifestFile(repo: string, tag: string): Promise<string | null> {
    try {
      // llama.cpp's user agent makes the Hub include `ggufFile` (llama.cpp PR 11195).
      const response = await this.request(`/v2/${repo}/manifests/${encodeURIComponent(tag)}`, `hf:${repo}:${tag}`, { 'User-Agent': 'llama-cpp' });
      const parsed = ManifestSchema.safeParse(await response.json());
      return parsed.success ? parsed.data.ggufFile.rfilename : null;
    } catch (error) {
      if (error instanceof HubError && (error.status === 400 || error.status === 404)) return null;
      throw error;
    }
  }

  private async getJson(path: string, what: string): Promise<unknown> {
    return (await this.request(path, what)).json();
  }

  private async request(path: string, what: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.endpoint}${path}`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { headers: { ...this.authHeaders(), ...headers }, redirect: 'follow' });
      } catch (error) {
        if (attempt < this.attempts) {
          await sleep(retryDelay(attempt, { baseMs: 250, maxMs: 4000 }, null, Date.now()));
          continue;
        }
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new HubError(`cannot reach the Hub at ${this.endpoint} (${cause})`, 0);
      }
      if (response.ok) return response;
      await response.body?.cancel().catch(() => undefined);
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < this.attempts) {
        await sleep(retryDelay(attempt, { ...DEFAULT_BACKOFF, baseMs: 500 }, response.headers.get('retry-after'), Date.now()));
        continue;
      }
      throw new HubError(describeStatus(response.status, what, this.token !== undefined), response.status);
    }
  }
}

export function describeStatus(status: number, what: string, hasToken: boolean): string {
  if (status === 401 || status === 403) {
    return hasToken
      ? `${what}: the Hub refused the token (${status}); check that it is valid and that you accepted the repository's terms`
      : `${what} is gated or private (${status}): accept its terms on the Hub and set HF_TOKEN to a token that may read it`;
  }
  if (status === 404) return `${what}: not found on the Hub (404)`;
  if (status === 429) return `${what}: the Hub is rate-limiting requests (429); try again later`;
  return `${what}: the Hub answered ${status}`;
}

export function groupChoices(files: RepoFile[]): GgufChoice[] {
  const ggufs = files.filter((f) => f.path.toLowerCase().endsWith('.gguf') && !/mmproj/i.test(f.path));
  const groups = new Map<string, RepoFile[]>();
  for (const f of ggufs) {
    const split = splitName(f.path);
    const key = split ? `${split.base}\0${split.parts}` : f.path;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .map((parts) => {
      parts.sort((a, b) => a.path.localeCompare(b.path));
      return {
        quantization: quantFromFileName(parts[0]!.path),
        main: parts[0]!.path,
        files: parts,
        size: parts.reduce((n, f) => n + f.size, 0),
      };
    })
    .sort((a, b) => quantOrder(a.quantization) - quantOrder(b.quantization) || a.main.localeCompare(b.main));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
