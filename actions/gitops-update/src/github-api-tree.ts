/**
 * Reading a commit's files through GitHub's Git Data API, one directory at a time (`GET git/trees/{sha}`,
 * never recursive, so a large repository is no problem and every component of a path is seen), and the
 * blobs (`GET git/blobs/{sha}`, base64). Regular files only: a symbolic link (mode 120000) or a
 * submodule (160000), as the file or on its way, is refused with an InputError naming the path, as is
 * a path that is absolute, has `..`, `.`, an empty component, a `.git` component or a backslash.
 * Trees and blobs are cached by SHA (they never change), across the attempts of a land().
 */
import { InputError } from '@polyglot-cd/action-kit';
import { checkRepoPath } from './git-names.js';
import type { GithubApi } from './github-api-http.js';
import type { FileChange } from './types.js';

/**
 * The largest file read (default): GitHub sends a blob in base64 (4/3 of its size, plus a `\n` every 60
 * characters) inside JSON, and the HTTP sender is asked to read at most
 * (SENDER_MAX_BODY_BYTES, 8 MiB): 4 MiB of file is about 5.5 MiB of answer, with room for the rest of it.
 */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
  size?: number;
}

/** What a path is in a tree: a regular file, nothing, or nothing because a file stands where a directory would. */
export type Resolved = { kind: 'file'; entry: TreeEntry } | { kind: 'missing' } | { kind: 'blocked'; at: string };

/** Trees and blobs by SHA, shared by every land() of a transport. */
export interface ObjectCache {
  trees: Map<string, Promise<TreeEntry[]>>;
  blobs: Map<string, Promise<string>>;
}

export function newObjectCache(): ObjectCache {
  return { trees: new Map(), blobs: new Map() };
}

export interface TreeSource {
  api: GithubApi;
  /** `/repos/{owner}/{repo}` */
  repoPath: string;
  cache: ObjectCache;
  maxFileBytes: number;
  signal?: AbortSignal;
}

/** One commit's tree, read lazily. */
export class GithubTree {
  readonly #src: TreeSource;
  readonly root: string;

  constructor(src: TreeSource, root: string) {
    this.#src = src;
    this.root = root;
  }

  /** Where `path` leads; throws InputError for a refused path, a link, a submodule or a directory. */
  async resolve(path: string): Promise<Resolved> {
    const parts = checkRepoPath(path).split('/');
    let sha = this.root;
    for (let i = 0; i < parts.length; i++) {
      const entry = (await this.#entries(sha)).find((e) => e.path === parts[i]);
      if (entry === undefined) return { kind: 'missing' };
      const at = parts.slice(0, i + 1).join('/');
      const last = i === parts.length - 1;
      if (entry.mode === '120000') throw refused(path, at, 'is a symbolic link');
      if (entry.mode === '160000' || entry.type === 'commit') throw refused(path, at, 'is a submodule');
      if (last) {
        if (entry.type === 'tree') throw refused(path, at, 'is a directory');
        if (entry.type !== 'blob') throw refused(path, at, `is a ${entry.type}`);
        return { kind: 'file', entry };
      }
      if (entry.type !== 'tree') return { kind: 'blocked', at };
      sha = entry.sha;
    }
    return { kind: 'missing' };
  }

  /** The file's text, or undefined when it does not exist. */
  async read(path: string): Promise<string | undefined> {
    const r = await this.resolve(path);
    if (r.kind !== 'file') return undefined;
    if ((r.entry.size ?? 0) > this.#src.maxFileBytes) {
      throw new InputError(
        `file ${JSON.stringify(path)} in the GitOps repository is ${r.entry.size} bytes, more than the ${this.#src.maxFileBytes} this action edits`,
      );
    }
    return this.#blob(path, r.entry.sha);
  }

  #entries(sha: string): Promise<TreeEntry[]> {
    const { cache, api, repoPath, signal } = this.#src;
    let p = cache.trees.get(sha);
    if (p === undefined) {
      p = api
        .request<{ tree: TreeEntry[]; truncated?: boolean }>('GET', `${repoPath}/git/trees/${sha}`, undefined, signal)
        .then((res) => {
          if (res.data.truncated === true) {
            throw new InputError(`a directory of the GitOps repository (tree ${sha}) has too many entries to be read`);
          }
          return res.data.tree;
        });
      p.catch(() => cache.trees.delete(sha));
      cache.trees.set(sha, p);
    }
    return p;
  }

  #blob(path: string, sha: string): Promise<string> {
    const { cache, api, repoPath, signal } = this.#src;
    let p = cache.blobs.get(sha);
    if (p === undefined) {
      p = api
        .request<{ content: string; encoding: string }>('GET', `${repoPath}/git/blobs/${sha}`, undefined, signal)
        .then((res) => decodeBlob(path, res.data));
      p.catch(() => cache.blobs.delete(sha));
      cache.blobs.set(sha, p);
    }
    return p;
  }
}

function refused(path: string, at: string, why: string): InputError {
  const where = at === path ? 'it' : JSON.stringify(at);
  return new InputError(
    `file ${JSON.stringify(path)} in the GitOps repository is refused: ${where} ${why}; only regular files are read and written`,
  );
}

function decodeBlob(path: string, blob: { content: string; encoding: string }): string {
  if (blob.encoding !== 'base64' && blob.encoding !== 'utf-8') {
    throw new InputError(`file ${JSON.stringify(path)}: GitHub sent it in an unknown encoding (${blob.encoding})`);
  }
  const bytes = blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64') : Buffer.from(blob.content, 'utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`file ${JSON.stringify(path)} in the GitOps repository is not UTF-8 text`);
  }
}

/** An entry of `POST git/trees`: the file's new content, inline (GitHub writes the blob). */
export interface TreeWrite {
  path: string;
  mode: string;
  type: 'blob';
  content: string;
}

/**
 * The changes that really change something, as tree entries. Every path is checked again (apply may
 * name a file it did not read); two changes may not name the same file, nor a file where another
 * needs a directory; an existing file keeps its mode (100644 or 100755).
 */
export async function treeWrites(
  changes: readonly FileChange[],
  tree: GithubTree,
): Promise<{ effective: FileChange[]; writes: TreeWrite[] }> {
  const paths = new Set<string>();
  for (const c of changes) {
    checkRepoPath(c.path);
    if (paths.has(c.path)) throw new Error(`apply returned two changes of ${JSON.stringify(c.path)}`);
    paths.add(c.path);
  }
  const effective: FileChange[] = [];
  const writes: TreeWrite[] = [];
  for (const c of changes) {
    const clash = [...paths].find((p) => p.startsWith(`${c.path}/`));
    if (clash !== undefined) {
      throw new InputError(
        `file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(clash)} needs it to be a directory`,
      );
    }
    const r = await tree.resolve(c.path);
    if (r.kind === 'blocked') {
      throw new InputError(`file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(r.at)} is a file`);
    }
    const current = r.kind === 'file' ? await tree.read(c.path) : undefined;
    if (current === c.after) continue;
    effective.push(c);
    writes.push({ path: c.path, mode: r.kind === 'file' ? r.entry.mode : '100644', type: 'blob', content: c.after });
  }
  return { effective, writes };
}
