/**
 * The GitHub-API transport: lands a change through GitHub's Git Data API, so the commits are made by
 * GitHub as the token's identity and signed by it (shown "Verified"). No clone, no git binary.
 *
 * land(req):
 *  1. checks the branch names before any request (`git check-ref-format --branch` rules; a `reset` of
 *     the branch it is built from is refused: reset is for an environment branch, never the base);
 *  2. `GET git/ref/heads/{branch}`: builds on its head; when it does not exist (404), or `reset` is
 *     set and the branch is still where the first attempt saw it, builds on `from`'s head;
 *  3. `GET git/commits/{sha}` → its tree; hands `apply` a ReadFile over that tree (github-api-tree.ts:
 *     regular files only, paths checked);
 *  4. no change: `changed: false` and the commit read; nothing is written; a dry run (`dryRun`)
 *     stops here too, with the changes it would commit: it makes GET requests only;
 *  5. else `POST git/trees` (base_tree + the changed files inline), `POST git/commits` (one parent, no
 *     author or committer: GitHub signs it), then moves the branch: `PATCH git/refs/heads/{branch}`
 *     with force=false (GitHub checks the fast-forward under its ref lock), or `POST git/refs` to create
 *     it, or, for `reset`, PATCH with force=true after checking the branch did not move;
 *  6. a lost race (422 "Update is not a fast forward", 422 "Reference already exists", 422 "Reference
 *     update failed", 409) starts again at 2 (read at the new head, apply again) after a jittered
 *     backoff (`backoffDelay`), up to `retry.attempts` times; then an InfraError.
 * HTTP failures, rate limits and authentication are handled by the client (github-api-http.ts).
 *
 * Reset has no compare-and-swap on GitHub's API (a forced PATCH takes no expected old value): the
 * branch is read again right before it, which leaves a window of one request; environment branches
 * should be written by one workflow run at a time (a `concurrency` group per environment).
 */
import { CancelledError, InfraError, InputError, type Logger } from '@polyglot-cd/action-kit';
import { backoffDelay, type RetryPolicy } from '@polyglot-cd/tools/retry';
import { checkBranchName, parseRepository, type RepositoryName } from './git-names.js';

export { parseRepository, type RepositoryName } from './git-names.js';
import {
  abortableSleep,
  createGithubApi,
  type GithubApi,
  GithubApiError,
  type GithubApiOptions,
} from './github-api-http.js';
import { DEFAULT_MAX_FILE_BYTES, GithubTree, newObjectCache, type ObjectCache, treeWrites } from './github-api-tree.js';
import type { FileChange, LandRequest, LandResult, ReadFile, TargetOutcome, Transport } from './types.js';

export const DEFAULT_GITHUB_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 15_000 };

export interface GithubTransportOptions extends GithubApiOptions {
  /** `owner/name` */
  repository: string;
  /** a client to share with the pull-request calls (default: one made from these options) */
  api?: GithubApi;
  /** the race retries: how many times the change is built at most, and the backoff between */
  retry?: RetryPolicy;
  /** larger files are refused (default 180 KiB: DEFAULT_MAX_FILE_BYTES, what the HTTP sender can read) */
  maxFileBytes?: number;
}

/** `heads/<branch>` for a ref URL, each component encoded. */
export function headRefPath(branch: string): string {
  return `heads/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

interface Ctx {
  api: GithubApi;
  repo: RepositoryName;
  retry: RetryPolicy;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  log: Logger;
  cache: ObjectCache;
  maxFileBytes: number;
}

/** What one land() carries from attempt to attempt. */
interface LandState {
  builds: number;
  /** the branch's head at the first attempt (head undefined: the branch did not exist) */
  first?: { head: string | undefined };
  /** the last commit this land() tried to put on the branch, and what it carried */
  pending?: { commit: string; changes: FileChange[]; outcomes: TargetOutcome[] };
}

type Move = { kind: 'update' } | { kind: 'create' } | { kind: 'reset'; expected: string };

interface Base {
  commit: string;
  move: Move;
}

type Attempt = { kind: 'done'; result: Omit<LandResult, 'attempts'> } | { kind: 'race'; reason: string };

export function githubTransport(opts: GithubTransportOptions): Transport {
  const api = opts.api ?? createGithubApi(opts);
  const retry = opts.retry ?? DEFAULT_GITHUB_RETRY;
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error('retry.attempts must be >= 1');
  const ctx: Ctx = {
    api,
    repo: parseRepository(opts.repository, api.inputs.repository),
    retry,
    random: opts.random ?? Math.random,
    sleep: opts.sleep ?? abortableSleep,
    log: api.log,
    cache: newObjectCache(),
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  return {
    land: async (req) => {
      checkRequest(req);
      return landWithRetries(ctx, req);
    },
  };
}

/** Everything land() checks before its first request. */
function checkRequest(req: LandRequest): void {
  checkBranchName(req.branch, 'branch');
  checkBranchName(req.from, 'from');
  if (req.reset && req.branch === req.from) {
    throw new InputError(
      `reset of branch ${JSON.stringify(req.branch)} onto itself: reset is for environment branches`,
    );
  }
  if (req.message.trim() === '') throw new InputError('the commit message is empty');
}

async function landWithRetries(ctx: Ctx, req: LandRequest): Promise<LandResult> {
  const state: LandState = { builds: 0 };
  for (let n = 1; ; n++) {
    if (req.signal?.aborted) throw new CancelledError('cancelled before the change was landed');
    const attempt = await buildOnce(ctx, req, state);
    if (attempt.kind === 'done') {
      const { result } = attempt;
      ctx.log.info(landedMessage(ctx, req, result, n));
      return { ...result, attempts: state.builds };
    }
    if (n >= ctx.retry.attempts) {
      throw new InfraError(
        `gitops-update: could not update ${req.branch} of ${ctx.repo.owner}/${ctx.repo.name} after ${n} attempts: the branch kept moving (last: ${attempt.reason})`,
        { service: 'GitHub API', attempts: n },
      );
    }
    const delay = backoffDelay(n, ctx.retry, undefined, ctx.random);
    ctx.log.warning(
      `gitops-update: attempt ${n} of ${ctx.retry.attempts} to update ${req.branch} did not land (${attempt.reason}); building again on its new head in ${delay} ms`,
    );
    await ctx.sleep(delay, req.signal);
  }
}

/** The log line of a land() that is done. */
function landedMessage(ctx: Ctx, req: LandRequest, result: Omit<LandResult, 'attempts'>, attempt: number): string {
  const repo = `${ctx.repo.owner}/${ctx.repo.name}`;
  if (req.dryRun === true) {
    return result.changed
      ? `gitops-update: dry run: would commit ${result.changes.length} file(s) to ${req.branch} of ${repo}, on ${result.commit}; nothing was written`
      : `gitops-update: dry run: nothing to change on ${req.branch} at ${result.commit}`;
  }
  return result.changed
    ? `gitops-update: committed ${result.commit} to ${req.branch} of ${repo} through the GitHub API (attempt ${attempt})`
    : `gitops-update: nothing to change on ${req.branch} at ${result.commit}`;
}

/** One build of the change on the head it finds, and the branch's move to it (a dry run: reads only). */
async function buildOnce(ctx: Ctx, req: LandRequest, state: LandState): Promise<Attempt> {
  const current = await getHead(ctx, req.branch, req.signal);
  if (state.pending !== undefined && current === state.pending.commit) {
    // the previous attempt did land: its answer was lost (a 5xx after the ref moved, then a retry)
    const { commit, changes, outcomes } = state.pending;
    return { kind: 'done', result: { changed: true, commit, changes, outcomes } };
  }
  const base = await findBase(ctx, req, state, current);
  const tree = new GithubTree(
    { api: ctx.api, repoPath: ctx.repo.path, cache: ctx.cache, maxFileBytes: ctx.maxFileBytes, signal: req.signal },
    await commitTree(ctx, base.commit, req.signal),
  );
  const read: ReadFile = (path) => tree.read(path);
  state.builds++;
  const { changes, outcomes } = await req.apply(read);
  const { effective, writes } = await treeWrites(changes, tree);
  const unchanged: Attempt = { kind: 'done', result: { changed: false, commit: base.commit, changes: [], outcomes } };
  if (effective.length === 0) return unchanged;
  if (req.dryRun === true) {
    return { kind: 'done', result: { changed: true, commit: base.commit, changes: effective, outcomes } };
  }
  const newTree = await post<{ sha: string }>(ctx, 'git/trees', { base_tree: tree.root, tree: writes }, req.signal);
  if (newTree.sha === tree.root) return unchanged;
  // no author, no committer: GitHub writes the token's identity and signs the commit
  const body = { message: req.message, tree: newTree.sha, parents: [base.commit] };
  const commit = await post<{ sha: string }>(ctx, 'git/commits', body, req.signal);
  state.pending = { commit: commit.sha, changes: effective, outcomes };
  const race = await moveBranch(ctx, req, base.move, commit.sha);
  if (race !== undefined) return { kind: 'race', reason: race };
  return { kind: 'done', result: { changed: true, commit: commit.sha, changes: effective, outcomes } };
}

/**
 * Where to build: on the branch's head when it exists and `reset` is not set; else on `from`'s head.
 * `reset` rebuilds only the head the first attempt saw: when the branch has moved since (a concurrent
 * run reset it and landed its own change), the retry builds on it, so that change is kept.
 */
async function findBase(ctx: Ctx, req: LandRequest, state: LandState, current: string | undefined): Promise<Base> {
  state.first ??= { head: current };
  const reset = req.reset && current !== undefined && current === state.first.head;
  if (current !== undefined && !reset) return { commit: current, move: { kind: 'update' } };
  const from = req.from === req.branch ? undefined : await getHead(ctx, req.from, req.signal);
  if (from === undefined) {
    const what = req.from === req.branch ? '' : ` (to build ${JSON.stringify(req.branch)} on)`;
    throw new InputError(
      `branch ${JSON.stringify(req.from)}${what} does not exist in ${ctx.repo.owner}/${ctx.repo.name}`,
    );
  }
  return { commit: from, move: current === undefined ? { kind: 'create' } : { kind: 'reset', expected: current } };
}

/** The branch's head commit, or undefined when it does not exist. */
async function getHead(ctx: Ctx, branch: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const res = await ctx.api.request<{ object: { sha: string; type: string } }>(
      'GET',
      `${ctx.repo.path}/git/ref/${headRefPath(branch)}`,
      undefined,
      signal,
    );
    return res.data.object.sha;
  } catch (err) {
    if (err instanceof GithubApiError && err.status === 404) return undefined;
    if (err instanceof GithubApiError && err.status === 409) {
      throw new InputError(`${ctx.repo.owner}/${ctx.repo.name} cannot be read: ${err.apiMessage || 'conflict'}`);
    }
    throw err;
  }
}

async function commitTree(ctx: Ctx, commit: string, signal?: AbortSignal): Promise<string> {
  const res = await ctx.api.request<{ tree: { sha: string } }>(
    'GET',
    `${ctx.repo.path}/git/commits/${commit}`,
    undefined,
    signal,
  );
  return res.data.tree.sha;
}

async function post<T>(ctx: Ctx, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return (await ctx.api.request<T>('POST', `${ctx.repo.path}/${path}`, body, signal)).data;
}

/** Moves the branch to `commit`; returns why it did not (a lost race), or undefined when it did. */
async function moveBranch(ctx: Ctx, req: LandRequest, move: Move, commit: string): Promise<string | undefined> {
  const ref = `${ctx.repo.path}/git/refs/${headRefPath(req.branch)}`;
  try {
    if (move.kind === 'create') {
      await ctx.api.request(
        'POST',
        `${ctx.repo.path}/git/refs`,
        { ref: `refs/heads/${req.branch}`, sha: commit },
        req.signal,
      );
    } else if (move.kind === 'update') {
      await ctx.api.request('PATCH', ref, { sha: commit, force: false }, req.signal);
    } else {
      const now = await getHead(ctx, req.branch, req.signal);
      if (now !== move.expected) return `${req.branch} moved from ${move.expected} to ${now ?? 'nothing'}`;
      await ctx.api.request('PATCH', ref, { sha: commit, force: true }, req.signal);
    }
    return undefined;
  } catch (err) {
    const race = raceReason(err);
    if (race === undefined) throw err;
    return race;
  }
}

/** GitHub's answers that mean someone else moved the branch first. */
function raceReason(err: unknown): string | undefined {
  if (!(err instanceof GithubApiError)) return undefined;
  if (err.status === 409) return `409 ${err.apiMessage}`.trim();
  const raced = /not a fast.?forward|reference already exists|reference update failed|reference cannot be updated/i;
  if (err.status === 422 && raced.test(err.apiMessage)) return `422 ${err.apiMessage}`;
  return undefined;
}
