/**
 * The plain-git transport: lands a change in a GitOps repository on any Git server (GitLab, Gitea,
 * Bitbucket, GitHub, …) over HTTPS with a token.
 *
 * land(req), in a new private directory under `workdir` (removed at the end):
 *  1. checks the branch names and the author before anything runs;
 *  2. fetches (depth 1, into a bare repository) the branch's head and builds on it; when the branch
 *     does not exist, or `reset` is set, builds on `from`'s head (for `reset`, `git ls-remote` first
 *     says where the branch is, for the lease);
 *  3. hands `apply` a ReadFile over that commit's tree (regular files only: a symbolic link or a
 *     submodule, as the file or on its way, is refused, as is a path with `..`, absolute or with `\`);
 *  4. no change: returns `changed: false` and the commit read; nothing is committed or pushed;
 *     a dry run (`dryRun`) stops here too, with the changes it would commit (`changed` when there
 *     are some): the fetch into the private temporary repository is all it does on the server;
 *  5. else writes the new blobs into a temporary index (no work tree), commits them as `author`, and
 *     pushes with `--force-with-lease=refs/heads/<branch>:<expected>`: the branch must still be where
 *     it was read (or still not exist; for `reset`, still at the head ls-remote saw). The server checks
 *     that under its ref lock, so concurrent runs never overwrite each other;
 *  6. a push rejected because someone else was first, or a server/network failure, starts again at
 *     2 (fetch, read, apply) after a jittered backoff (`backoffDelay`), up to `retry.attempts` times.
 *     Then: InfraError. (A `reset` retry builds on the branch when another run has moved it since
 *     the first attempt, so concurrent resets keep each other's changes.)
 *
 * The token reaches git only as an `Authorization: Basic` header in git's environment configuration
 * (git-env.ts): never on argv, in the URL, or in a file. Everything logged or thrown is redacted.
 * A token the server refuses (401/403) is an InputError naming the token input.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CancelledError, InfraError, InputError, type Logger, MemoryLogger, ToolError } from '@polyglot-cd/action-kit';
import type { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { abortableSleep, backoffDelay, type RetryPolicy } from '@polyglot-cd/tools/retry';
import { basicAuthorization, gitEnv, tokenRedactor, TransientGitError } from './git-env.js';
import {
  checkBranchName,
  checkIdent,
  DEFAULT_INPUT_NAMES,
  type GitInputNames,
  hasControlChar,
  parseRepoUrl,
  type RepoUrl,
} from './git-names.js';
import { GitRepo } from './git-repo.js';
import { buildOnce, type Attempt, type LandState } from './git-land.js';
import type { LandRequest, LandResult, Transport } from './types.js';

export const DEFAULT_GIT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 15_000 };
export const DEFAULT_GIT_USERNAME = 'x-access-token';
/** GIT_CONFIG_COUNT/KEY/VALUE (the token's only channel) need git 2.31. */
const MIN_GIT: readonly [number, number] = [2, 31];

export interface GitTransportOptions {
  /** https://host[:port]/path of the repository; no credentials, no query */
  url: string;
  token: string;
  /** the Basic auth user name sent with the token (default x-access-token; GitLab and GitHub ignore it) */
  username?: string;
  /**
   * a PEM file of the CA(s) that sign the server's certificate (a private CA): when given, it alone is
   * trusted (not the machine's CA store)
   */
  caFile?: string;
  runner: CommandRunner;
  /** where the private temporary directory of each land() is made */
  workdir: string;
  /** the git binary (default `git` on PATH) */
  git?: string;
  retry?: RetryPolicy;
  /** in [0,1), for the backoff's jitter */
  random?: () => number;
  log?: Logger;
  /** the action's names for its inputs, which errors name */
  inputs?: Partial<GitInputNames>;
  /** keep each land()'s temporary directory (tests inspect it); default: removed */
  keepWorkdir?: boolean;
}

interface Resolved {
  url: RepoUrl;
  authorization: string;
  caFile: string | undefined;
  inputs: GitInputNames;
  redact: (text: string) => string;
  git: string;
  retry: RetryPolicy;
  random: () => number;
  log: Logger;
}

export function gitTransport(opts: GitTransportOptions): Transport {
  const inputs = { ...DEFAULT_INPUT_NAMES, ...opts.inputs };
  const url = parseRepoUrl(opts.url, inputs.url);
  const username = opts.username ?? DEFAULT_GIT_USERNAME;
  if (opts.token.trim() === '' || /[\r\n]/.test(opts.token)) {
    throw new InputError(`Input "${inputs.token}": the token is empty or spans several lines`, inputs.token);
  }
  if (username === '' || username.includes(':') || hasControlChar(username)) {
    throw new InputError('the git user name must not be empty or contain ":" or a control character');
  }
  const retry = opts.retry ?? DEFAULT_GIT_RETRY;
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error('retry.attempts must be >= 1');
  const r: Resolved = {
    url,
    authorization: basicAuthorization(username, opts.token),
    caFile: opts.caFile === undefined ? undefined : resolve(opts.caFile),
    inputs,
    redact: tokenRedactor(username, opts.token),
    git: opts.git ?? 'git',
    retry,
    random: opts.random ?? Math.random,
    log: opts.log ?? new MemoryLogger(),
  };
  let checked: Promise<void> | undefined;
  return {
    land: async (req) => {
      checkRequest(req);
      checked ??= checkGitVersion(opts.runner, r.git);
      await checked;
      if (r.caFile !== undefined) await checkCaFile(r.caFile, inputs.caFile);
      return landInTempDir(opts, r, req);
    },
  };
}

/** Everything land() checks before it runs anything. */
function checkRequest(req: LandRequest): void {
  checkBranchName(req.branch, 'branch');
  checkBranchName(req.from, 'from');
  checkIdent(req.author);
  if (req.message.trim() === '') throw new InputError('the commit message is empty');
}

async function checkCaFile(path: string, input: string): Promise<void> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) throw new InputError(`Input "${input}": ${path} is not a readable file`, input);
}

async function checkGitVersion(runner: CommandRunner, git: string): Promise<void> {
  const res = await runner.run(git, ['version'], { tool: 'git', timeoutMs: 30_000 });
  const m = /git version (\d+)\.(\d+)/.exec(res.stdout);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new ToolError(`git ${MIN_GIT.join('.')} or later is needed; found ${JSON.stringify(res.stdout.trim())}`, {
      tool: 'git',
      argv: [git, 'version'],
      exitCode: 0,
      stderrTail: '',
    });
  }
}

async function landInTempDir(opts: GitTransportOptions, r: Resolved, req: LandRequest): Promise<LandResult> {
  await mkdir(opts.workdir, { recursive: true });
  const tmp = await mkdtemp(join(opts.workdir, 'gitops-git-'));
  try {
    const [home, dir, caPath] = ['home', 'repo.git', 'ca-path'].map((d) => join(tmp, d)) as [string, string, string];
    for (const d of [home, dir, caPath]) await mkdir(d, { mode: 0o700 });
    const env = gitEnv({ url: r.url, authorization: r.authorization, caFile: r.caFile, caPath, home });
    const repo = new GitRepo({
      runner: opts.runner,
      git: r.git,
      dir,
      env,
      url: r.url,
      inputs: r.inputs,
      redact: r.redact,
    });
    await repo.init();
    return await landWithRetries(repo, r, req);
  } catch (err) {
    throw redactError(err, r.redact);
  } finally {
    if (!opts.keepWorkdir) await rm(tmp, { recursive: true, force: true });
  }
}

/** Builds and pushes until the push lands, nothing changes, or the attempts are used up. */
async function landWithRetries(repo: GitRepo, r: Resolved, req: LandRequest): Promise<LandResult> {
  const state: LandState = { builds: 0 };
  for (let n = 1; ; n++) {
    if (req.signal?.aborted) throw new CancelledError('cancelled before the change was landed');
    let attempt: Attempt;
    const started = Date.now();
    try {
      attempt = await buildOnce(repo, req, state);
    } catch (err) {
      if (!(err instanceof TransientGitError)) throw err;
      attempt = { kind: 'transient', reason: err.message };
    }
    if (attempt.kind === 'done') {
      const { result } = attempt;
      r.log.info(landedMessage(req, result, `on ${r.url.href}`, n));
      return { ...result, attempts: state.builds };
    }
    if (n >= r.retry.attempts) throw giveUp(r, req, attempt, n);
    const delay = retryDelay(n, r, attempt.kind === 'race' ? Date.now() - started : 0);
    r.log.warning(
      `gitops-update: attempt ${n} of ${r.retry.attempts} to update ${req.branch} did not land (${attempt.reason}); trying again in ${delay} ms`,
    );
    await abortableSleep(delay, req.signal, 'the push');
  }
}

/** The log line of a land() that is done. */
function landedMessage(req: LandRequest, result: Omit<LandResult, 'attempts'>, where: string, attempt: number): string {
  if (req.dryRun === true) {
    return result.changed
      ? `gitops-update: dry run: would commit ${result.changes.length} file(s) to ${req.branch} ${where}, on ${result.commit}; nothing was written`
      : `gitops-update: dry run: nothing to change on ${req.branch} at ${result.commit}`;
  }
  return result.changed
    ? `gitops-update: pushed ${result.commit} to ${req.branch} ${where} (attempt ${attempt})`
    : `gitops-update: nothing to change on ${req.branch} at ${result.commit}`;
}

/**
 * The jittered backoff before attempt n+1. After a lost race its base is at least the time the attempt
 * took (capped at maxDelayMs): that is how long each racer holds the branch between fetch and push, so
 * the racers spread out over a window they can each land in instead of colliding again in lockstep.
 */
function retryDelay(n: number, r: Resolved, raceMs: number): number {
  const baseDelayMs = Math.max(r.retry.baseDelayMs, Math.min(raceMs, r.retry.maxDelayMs));
  return backoffDelay(n, { ...r.retry, baseDelayMs }, undefined, r.random);
}

function giveUp(r: Resolved, req: LandRequest, last: Exclude<Attempt, { kind: 'done' }>, n: number): InfraError {
  const what =
    last.kind === 'race'
      ? `the branch kept moving: every push was rejected because someone else updated ${req.branch} first`
      : `the server could not be reached`;
  return new InfraError(
    `gitops-update: could not update ${req.branch} on ${r.url.href} after ${n} attempts: ${what} (last: ${last.reason})`,
    { service: r.url.host, attempts: n },
  );
}

/** The same error with the token (and its spellings) taken out of its message and details. */
function redactError(err: unknown, redact: (t: string) => string): unknown {
  if (!(err instanceof Error)) return err;
  const message = redact(err.message);
  if (err instanceof ToolError) {
    const d = err.details;
    return new ToolError(message, { ...d, argv: d.argv.map(redact), stderrTail: redact(d.stderrTail) });
  }
  if (message === err.message) return err;
  if (err instanceof InputError) return new InputError(message, err.input);
  if (err instanceof InfraError) return new InfraError(message, err.details);
  return new Error(message);
}
