// A stand-in for the Hugging Face Hub on 127.0.0.1, speaking the shapes Shotglass relies on:
//   GET /api/models?search=&filter=gguf&sort=&direction=&limit=   search
//   GET /api/models/<user>/<repo>/tree/<rev>?recursive=true       file tree with LFS sizes and sha256
//   GET /v2/<user>/<repo>/manifests/<tag>                          llama.cpp's quantization manifest
//   GET|HEAD /<user>/<repo>/resolve/<rev>/<path>                   302 to /cdn/<sha256> (LFS files)
//   GET|HEAD /cdn/<sha256>                                          the bytes: Range, If-Range, ETag, Content-Length
// It serves real GGUF files and, on demand, the faults downloads meet: a connection dropped
// mid-file, a stall, 429 and 503 (then OK), one flipped byte, a throttled line, a gated repository.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { quantFromFileName } from '../../core/models/quant.js';
import { splitName } from '../../core/models/split.js';

export interface HubRepoSpec {
  id: string;
  files: Record<string, Uint8Array | string>;
  downloads?: number;
  likes?: number;
  lastModified?: string;
  /** A token the repository requires (a gated repository answers 401 without it). */
  token?: string;
}

interface StoredFile {
  path: string;
  bytes: Buffer;
  sha256: string;
  gitOid: string;
  lfs: boolean;
}

export type Fault =
  /** Send this many body bytes, then cut the connection. */
  | { kind: 'drop'; afterBytes: number }
  /** Send this many body bytes, then send nothing (for `ms`, or until the client gives up). */
  | { kind: 'stall'; afterBytes: number; ms?: number }
  /** Answer the resolve request with this status (and Retry-After), once. */
  | { kind: 'status'; status: number; retryAfter?: string };

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  range?: string;
  ifRange?: string;
  authorization?: string;
  userAgent?: string;
}

export class HubServer {
  readonly log: LoggedRequest[] = [];
  /** Body bytes sent from /cdn since start (all requests). */
  bytesServed = 0;
  /** Called after every chunk of file bytes sent (the kill test watches it). */
  onBytes?: (total: number) => void;
  /** Throttle file bodies to this many bytes per second (0 = as fast as possible). */
  bytesPerSecond = 0;
  private readonly repos = new Map<string, { spec: HubRepoSpec; files: StoredFile[] }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly flips = new Map<string, number>();
  private readonly apiFaults: Array<{ status: number; retryAfter?: string }> = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        if (!res.headersSent) this.json(req, res, 500, { error: String(error) });
        else res.destroy();
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addRepo(spec: HubRepoSpec): void {
    const files = Object.entries(spec.files).map(([path, content]) => {
      const bytes = Buffer.from(typeof content === 'string' ? Buffer.from(content) : content);
      return {
        path,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        gitOid: createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex'),
        lfs: path.endsWith('.gguf'),
      };
    });
    this.repos.set(spec.id, { spec, files });
  }

  file(repo: string, path: string): StoredFile {
    const f = this.repos.get(repo)?.files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${repo}/${path} on the test hub`);
    return f;
  }

  /** Queue faults for a file's next requests, one fault per request, in order. */
  fault(repo: string, path: string, ...faults: Fault[]): void {
    const key = this.file(repo, path).sha256;
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
  }

  /** Serve the file with the byte at `offset` flipped until `clearCorruption` (the LFS oid stays). */
  corrupt(repo: string, path: string, offset: number): void {
    this.flips.set(this.file(repo, path).sha256, offset);
  }

  /** The next API requests (search, tree, manifest) answer these statuses, one each. */
  apiFault(...faults: Array<{ status: number; retryAfter?: string }>): void {
    this.apiFaults.push(...faults);
  }

  clearCorruption(): void {
    this.flips.clear();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requests(pathPart: string): LoggedRequest[] {
    return this.log.filter((r) => r.path.includes(pathPart));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if ((parts[0] === 'api' || parts[0] === 'v2') && this.apiFaults.length > 0) {
      const fault = this.apiFaults.shift()!;
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
      return this.json(req, res, fault.status, { error: `test hub fault ${fault.status}` });
    }
    if (parts[0] === 'api' && parts[1] === 'models' && parts.length === 2) return this.search(req, res, url);
    if (parts[0] === 'api' && parts[1] === 'models' && parts[4] === 'tree') {
      const repo = this.access(req, res, `${parts[2]}/${parts[3]}`);
      if (repo) this.tree(req, res, repo.files, parts.slice(6).join('/'), url.searchParams.get('recursive'));
      return;
    }
    if (parts[0] === 'v2' && parts[3] === 'manifests') {
      const repo = this.access(req, res, `${parts[1]}/${parts[2]}`);
      if (repo) this.manifest(req, res, repo.files, parts[4] ?? 'latest');
      return;
    }
    if (parts[0] === 'cdn' && parts[1]) return this.cdn(req, res, parts[1]);
    if (parts[2] === 'resolve' && parts.length >= 5) {
      const repo = this.access(req, res, `${parts[0]}/${parts[1]}`);
      if (!repo) return;
      const file = repo.files.find((f) => f.path === parts.slice(4).join('/'));
      if (!file) return this.json(req, res, 404, { error: 'Entry not found' });
      const queued = this.faults.get(file.sha256);
      if (queued?.[0]?.kind === 'status') {
        const fault = queued.shift() as Extract<Fault, { kind: 'status' }>;
        if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
        return this.json(req, res, fault.status, { error: `test hub fault ${fault.status}` });
      }
      if (!file.lfs) return this.body(req, res, file, file.gitOid);
      res.setHeader('Location', `/cdn/${file.sha256}?name=${encodeURIComponent(file.path)}`);
      res.setHeader('X-Linked-Size', String(file.bytes.length));
      res.setHeader('X-Linked-ETag', `"${file.sha256}"`);
      res.setHeader('ETag', `"${file.gitOid}"`);
      return this.end(req, res, 302);
    }
    this.json(req, res, 404, { error: 'not found' });
  }

  private access(req: IncomingMessage, res: ServerResponse, id: string) {
    const repo = this.repos.get(id);
    if (!repo) {
      this.json(req, res, 404, { error: 'Repository not found' });
      return undefined;
    }
    if (repo.spec.token && req.headers.authorization !== `Bearer ${repo.spec.token}`) {
      this.json(req, res, 401, { error: `Access to model ${id} is restricted. You must have access to it and be authenticated to access it.` });
      return undefined;
    }
    return repo;
  }

  private search(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const q = (url.searchParams.get('search') ?? '').toLowerCase();
    const filter = url.searchParams.get('filter');
    const sort = url.searchParams.get('sort') ?? 'downloads';
    const limit = Number(url.searchParams.get('limit') ?? 30);
    const direction = url.searchParams.get('direction') === '1' ? 1 : -1;
    const key = (r: HubRepoSpec): number | string =>
      sort === 'likes' ? (r.likes ?? 0) : sort === 'lastModified' ? (r.lastModified ?? '') : (r.downloads ?? 0);
    const found = [...this.repos.values()]
      .filter(({ spec, files }) => spec.id.toLowerCase().includes(q) && (filter !== 'gguf' || files.some((f) => f.lfs)))
      .map(({ spec }) => spec)
      .sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0))
      .slice(0, limit)
      .map((r) => ({
        _id: createHash('md5').update(r.id).digest('hex').slice(0, 24),
        id: r.id,
        modelId: r.id,
        likes: r.likes ?? 0,
        downloads: r.downloads ?? 0,
        private: false,
        gated: r.token ? 'manual' : false,
        tags: ['gguf', 'text-generation'],
        library_name: 'gguf',
        lastModified: r.lastModified ?? '2026-01-01T00:00:00.000Z',
        createdAt: '2025-06-01T00:00:00.000Z',
      }));
    this.json(req, res, 200, found);
  }

  private tree(req: IncomingMessage, res: ServerResponse, files: StoredFile[], under: string, recursive: string | null): void {
    const prefix = under ? `${under}/` : '';
    const entries: unknown[] = [];
    const dirs = new Set<string>();
    for (const f of files) {
      if (!f.path.startsWith(prefix)) continue;
      const rest = f.path.slice(prefix.length);
      if (rest.includes('/') && recursive !== 'true' && recursive !== '1') {
        dirs.add(prefix + rest.slice(0, rest.indexOf('/')));
        continue;
      }
      entries.push({
        type: 'file',
        oid: f.gitOid,
        size: f.bytes.length,
        path: f.path,
        ...(f.lfs ? { lfs: { oid: f.sha256, size: f.bytes.length, pointerSize: 134 } } : {}),
      });
    }
    for (const d of dirs) entries.unshift({ type: 'directory', oid: '0'.repeat(40), size: 0, path: d });
    this.json(req, res, 200, entries);
  }

  private manifest(req: IncomingMessage, res: ServerResponse, files: StoredFile[], tag: string): void {
    const ggufs = files.filter((f) => f.lfs && (splitName(f.path.split('/').pop()!)?.part ?? 1) === 1);
    const wanted = tag.toUpperCase() === 'LATEST' ? 'Q4_K_M' : tag.toUpperCase();
    const file = ggufs.find((f) => quantFromFileName(f.path) === wanted) ?? (tag.toUpperCase() === 'LATEST' ? ggufs[0] : undefined);
    if (!file) return this.json(req, res, 400, { error: `The specified tag is not available in the repository. Please use another tag or "latest"` });
    this.json(req, res, 200, { ggufFile: { rfilename: file.path, blobId: `sha256:${file.sha256}`, size: file.bytes.length } });
  }

  private cdn(req: IncomingMessage, res: ServerResponse, sha: string): void {
    const file = [...this.repos.values()].flatMap((r) => r.files).find((f) => f.sha256 === sha);
    if (!file) return this.json(req, res, 404, { error: 'no such object' });
    return this.body(req, res, file, file.sha256);
  }

  private body(req: IncomingMessage, res: ServerResponse, file: StoredFile, etagValue: string): void {
    const etag = `"${etagValue}"`;
    const size = file.bytes.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    const ifRange = req.headers['if-range'];
    if (range && (ifRange === undefined || ifRange === etag)) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start >= size) {
        res.setHeader('Content-Range', `bytes */${size}`);
        return this.end(req, res, 416);
      }
      status = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    }
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('ETag', etag);
    res.setHeader('Content-Length', String(end - start + 1));
    res.setHeader('Content-Type', 'application/octet-stream');
    if (req.method === 'HEAD') return this.end(req, res, status);
    const queued = this.faults.get(file.sha256);
    const fault = queued?.[0] && queued[0].kind !== 'status' ? queued.shift() : undefined;
    let bytes = file.bytes.subarray(start, end + 1);
    const flip = this.flips.get(file.sha256);
    if (flip !== undefined && flip >= start && flip <= end) {
      bytes = Buffer.from(bytes);
      bytes[flip - start] = bytes[flip - start]! ^ 0xff;
    }
    this.record(req, status);
    res.writeHead(status);
    void this.pump(res, bytes, fault);
  }

  private async pump(res: ServerResponse, bytes: Buffer, fault: Fault | undefined): Promise<void> {
    const chunk = 16 * 1024;
    let sent = 0;
    const limit = fault && fault.kind !== 'status' ? Math.min(fault.afterBytes, bytes.length) : bytes.length;
    let closed = false;
    res.on('close', () => (closed = true));
    while (sent < limit && !closed) {
      const piece = bytes.subarray(sent, Math.min(sent + chunk, limit));
      const flushed = res.write(piece);
      sent += piece.length;
      this.bytesServed += piece.length;
      this.onBytes?.(this.bytesServed);
      if (this.bytesPerSecond > 0) await sleep((piece.length / this.bytesPerSecond) * 1000);
      else if (!flushed) await new Promise((resolve) => res.once('drain', resolve));
    }
    if (closed) return;
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'stall') {
      if (fault.ms === undefined) return; // silent until the client gives up (or the server closes)
      await sleep(fault.ms);
      if (closed) return;
      res.write(bytes.subarray(sent));
      this.bytesServed += bytes.length - sent;
    }
    res.end();
  }

  private json(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', String(Buffer.byteLength(text)));
    this.record(req, status);
    res.writeHead(status);
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  private end(req: IncomingMessage, res: ServerResponse, status: number): void {
    this.record(req, status);
    res.writeHead(status);
    res.end();
  }

  private record(req: IncomingMessage, status: number): void {
    const h = req.headers;
    this.log.push({
      method: req.method ?? 'GET',
      path: req.url ?? '',
      status,
      ...(h.range ? { range: String(h.range) } : {}),
      ...(h['if-range'] ? { ifRange: String(h['if-range']) } : {}),
      ...(h.authorization ? { authorization: h.authorization } : {}),
      ...(h['user-agent'] ? { userAgent: h['user-agent'] } : {}),
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startHub(repos: HubRepoSpec[] = []): Promise<HubServer> {
  const hub = await new HubServer().start();
  for (const r of repos) hub.addRepo(r);
  return hub;
}
