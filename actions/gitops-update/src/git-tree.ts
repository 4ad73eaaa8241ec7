/**
 * The tree of the commit a change is built on (`git ls-tree -r -t -z`), and the rules for the paths
 * read and written in it: a path is followed only through real directories to a regular file. A
 * symbolic link (mode 120000) or a submodule (160000), as the file or anywhere on the way, is refused:
 * the transport never follows a link, in the tree or on disk (it writes no work tree at all).
 */
import { InputError } from '@polyglot-cd/action-kit';
import { checkRepoPath } from './git-names.js';

export interface TreeEntry {
  /** 100644, 100755, 120000 (symbolic link), 160000 (submodule) or 040000 (directory) */
  mode: string;
  oid: string;
}

const REGULAR = new Set(['100644', '100755']);
const DIRECTORY = '040000';

function kind(mode: string): string {
  if (mode === '120000') return 'a symbolic link';
  if (mode === '160000') return 'a submodule';
  if (mode === DIRECTORY) return 'a directory';
  return 'a regular file';
}

export class RepoTree {
  readonly commit: string;
  readonly #entries: ReadonlyMap<string, TreeEntry>;

  constructor(commit: string, entries: ReadonlyMap<string, TreeEntry>) {
    this.commit = commit;
    this.#entries = entries;
  }

  /** Parses `git ls-tree -r -t -z --full-tree <commit>`: `<mode> <type> <oid>\t<path>\0`… */
  static parse(commit: string, text: string): RepoTree {
    const entries = new Map<string, TreeEntry>();
    for (const record of text.split('\0')) {
      if (record === '') continue;
      const m = /^([0-7]{6}) [a-z]+ ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
      if (!m) throw new Error(`unexpected git ls-tree output: ${JSON.stringify(record.slice(0, 120))}`);
      entries.set(m[3] as string, { mode: m[1] as string, oid: m[2] as string });
    }
    return new RepoTree(commit, entries);
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The regular file `path` names, or undefined when there is none (and none of its directories is
   * anything but a directory, so it can be created). Throws an InputError naming the path when the
   * path is malformed, or it or a directory on its way is a symbolic link, a submodule or a file.
   */
  resolve(path: string): TreeEntry | undefined {
    checkRepoPath(path);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const entry = this.#entries.get(dir);
      if (entry === undefined) return undefined;
      if (entry.mode !== DIRECTORY) throw this.#refuse(path, `"${dir}" on its way is ${kind(entry.mode)}`);
    }
    const entry = this.#entries.get(path);
    if (entry === undefined || REGULAR.has(entry.mode)) return entry;
    throw this.#refuse(path, `it is ${kind(entry.mode)}`);
  }

  #refuse(path: string, why: string): InputError {
    return new InputError(
      `file ${JSON.stringify(path)} in the GitOps repository is refused: ${why} at commit ${this.commit.slice(0, 12)}; only regular files reached through directories are read or written`,
    );
  }
}
