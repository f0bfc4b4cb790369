// `hf:` model references, the forms node-llama-cpp and llama.cpp accept:
//   hf:user/repo              the repository's default file (the Hub's "latest" manifest)
//   hf:user/repo:Q4_K_M       a quantization (tag), resolved through the Hub's manifest or file names
//   hf:user/repo/file.gguf    one file (optionally in a folder), optionally #revision
// Pure: no Node, no network; validation only, so every caller rejects bad input the same way.
import { normalizeQuant } from './quant.js';

export type HfRef =
  | { kind: 'tag'; repo: string; tag: string | null; revision: string }
  | { kind: 'file'; repo: string; path: string; revision: string };

/** The Hub's rule for user and repository names (letters, digits, -, _, .; no leading dot). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class HfRefError extends Error {}

export const isHfRef = (text: string): boolean => /^(hf:|huggingface:)/i.test(text.trim());

export function parseHfRef(text: string): HfRef {
  const input = text.trim();
  const prefix = /^(hf:|huggingface:)/i.exec(input);
  if (!prefix) throw new HfRefError(`"${input}" is not a Hugging Face reference (expected hf:user/repo[:QUANT] or hf:user/repo/file.gguf)`);
  let body = input.slice(prefix[0].length).replace(/^\/\//, '');
  let revision = 'main';
  const hash = body.indexOf('#');
  if (hash >= 0) {
    revision = body.slice(hash + 1);
    body = body.slice(0, hash);
    if (!REVISION.test(revision) || revision.includes('..')) throw new HfRefError(`"${revision}" is not a valid revision`);
  }
  const [user, repoAndTag, ...pathParts] = body.split('/');
  if (!user || !repoAndTag) throw new HfRefError(`"${input}" needs a user and a repository: hf:user/repo`);
  if (pathParts.length === 0) {
    const colon = repoAndTag.indexOf(':');
    const name = colon >= 0 ? repoAndTag.slice(0, colon) : repoAndTag;
    const tag = colon >= 0 ? repoAndTag.slice(colon + 1) : '';
    checkName(user, 'user');
    checkName(name, 'repository');
    if (colon >= 0 && !TAG.test(tag)) throw new HfRefError(`"${tag}" is not a valid quantization tag (e.g. Q4_K_M)`);
    return { kind: 'tag', repo: `${user}/${name}`, tag: tag ? (normalizeQuant(tag) ?? tag) : null, revision };
  }
  checkName(user, 'user');
  checkName(repoAndTag, 'repository');
  const path = pathParts.join('/');
  if (pathParts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new HfRefError(`"${path}" is not a valid file path in a repository`);
  }
  if (!path.toLowerCase().endsWith('.gguf')) throw new HfRefError(`"${path}" is not a .gguf file`);
  return { kind: 'file', repo: `${user}/${repoAndTag}`, path, revision };
}

function checkName(name: string, what: string): void {
  if (!NAME.test(name) || name.includes('..')) throw new HfRefError(`"${name}" is not a valid Hugging Face ${what} name`);
}

export function formatHfRef(ref: HfRef): string {
  const rev = ref.revision === 'main' ? '' : `#${ref.revision}`;
  return ref.kind === 'tag' ? `hf:${ref.repo}${ref.tag ? `:${ref.tag}` : ''}${rev}` : `hf:${ref.repo}/${ref.path}${rev}`;
}
