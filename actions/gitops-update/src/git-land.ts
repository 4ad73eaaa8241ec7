/**
 * One attempt of the plain-git transport: find the commit to build on, read, apply, commit, push.
 * The retry loop around it is in git.ts.
 */
import { InputError } from '@polyglot-cd/action-kit';
import type { BlobWrite, GitRepo } from './git-repo.js';
import type { RepoTree } from './git-tree.js';
import type { FileChange, LandRequest, LandResult, ReadFile } from './types.js';

export type Attempt =
  | { kind: 'done'; result: Omit<LandResult, 'attempts'> }
  /** the push was rejected: someone else updated the branch first */
  | { kind: 'race'; reason: string }
  /** the server or the network failed */
  | { kind: 'transient'; reason: string };

/** The commit a change is built on, and what the branch must still be at for the push to land. */
interface Base {
  commit: string;
  /** the branch's head when the push is made ('' = the branch must not exist) */
  expected: string;
}

/** What one land() carries from attempt to attempt. */
export interface LandState {
  /** how many times apply was called */
  builds: number;
  /** reset: the branch's head at the first attempt (undefined inside: the branch did not exist) */
  first?: { head: string | undefined };
}

/**
 * Where to build: on the branch's head when it exists (and `reset` is not set): one fetch, the common
 * case; else on `from`'s head, and the branch must still not exist when the push is made.
 */
async function findBase(repo: GitRepo, req: LandRequest, state: LandState): Promise<Base> {
  if (req.reset) return findResetBase(repo, req, state);
  const commit = await repo.fetch(req.branch);
  if (commit !== undefined) return { commit, expected: commit };
  return { commit: await fetchFrom(repo, req), expected: '' };
}

/**
 * `reset`: on `from`'s head, over whatever head the branch has (ls-remote). Only the head the first
 * attempt saw is rebuilt: when the branch has moved since (a concurrent run reset it and landed its
 * own change), the retry builds on it, so that change is kept.
 */
async function findResetBase(repo: GitRepo, req: LandRequest, state: LandState): Promise<Base> {
  const current = (await repo.heads([req.branch])).get(req.branch);
  state.first ??= { head: current };
  if (current !== undefined && current !== state.first.head) {
    const commit = await repo.fetch(req.branch);
    if (commit !== undefined) return { commit, expected: commit };
  }
  const commit = await fetchFrom(repo, req);
  return { commit, expected: req.branch === req.from ? commit : (current ?? '') };
}

async function fetchFrom(repo: GitRepo, req: LandRequest): Promise<string> {
  const commit = await repo.fetch(req.from);
  if (commit !== undefined) return commit;
  throw new InputError(
    `branch ${JSON.stringify(req.from)} (to build ${JSON.stringify(req.branch)} on) does not exist in the GitOps repository`,
  );
}

/** A ReadFile over one commit's tree: regular files only (RepoTree.resolve), each read once. */
export function treeReader(repo: GitRepo, tree: RepoTree): ReadFile {
  const cache = new Map<string, Promise<string | undefined>>();
  return async (path) => {
    const entry = tree.resolve(path);
    if (entry === undefined) return undefined;
    let content = cache.get(path);
    if (content === undefined) {
      content = repo.blob(entry);
      cache.set(path, content);
    }
    return content;
  };
}

/**
 * The changes that really change something, as blobs to write. Every path is checked again against
 * the tree (apply may name a file it did not read), and two changes may not clash (the same file
 * twice, or a file where another change needs a directory).
 */
export async function blobWrites(
  changes: readonly FileChange[],
  tree: RepoTree,
  read: ReadFile,
): Promise<{ effective: FileChange[]; writes: BlobWrite[] }> {
  const seen = new Set<string>();
  for (const c of changes) {
    if (seen.has(c.path)) throw new Error(`apply returned two changes of ${JSON.stringify(c.path)}`);
    seen.add(c.path);
  }
  const effective: FileChange[] = [];
  const writes: BlobWrite[] = [];
  for (const c of changes) {
    const entry = tree.resolve(c.path);
    for (const other of seen) {
      if (other.startsWith(`${c.path}/`)) {
        throw new InputError(
          `file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(other)} needs it to be a directory`,
        );
      }
    }
    const current = entry === undefined ? undefined : await read(c.path);
    if (current === c.after) continue;
    effective.push(c);
    writes.push({ path: c.path, content: c.after, mode: entry?.mode ?? '100644' });
  }
  return { effective, writes };
}

/** One build of the change, and its push (a dry run: the build's reading and checks only). */
export async function buildOnce(repo: GitRepo, req: LandRequest, state: LandState): Promise<Attempt> {
  const base = await findBase(repo, req, state);
  const tree = await repo.tree(base.commit);
  const read = treeReader(repo, tree);
  state.builds++;
  const { changes, outcomes } = await req.apply(read);
  const { effective, writes } = await blobWrites(changes, tree, read);
  if (effective.length === 0 || req.dryRun === true) {
    // a dry run stops here: nothing is committed (not even locally) or pushed
    const result = { changed: effective.length > 0, commit: base.commit, changes: effective, outcomes };
    return { kind: 'done', result };
  }
  const built = await repo.commit(base.commit, writes, req.message, req.author);
  if (built.tree === built.parentTree) {
    return { kind: 'done', result: { changed: false, commit: base.commit, changes: [], outcomes } };
  }
  const pushed = await repo.push(built.commit, req.branch, base.expected);
  if (!pushed.ok) return { kind: 'race', reason: `push rejected: ${pushed.reason}` };
  return { kind: 'done', result: { changed: true, commit: built.commit, changes: effective, outcomes } };
}
