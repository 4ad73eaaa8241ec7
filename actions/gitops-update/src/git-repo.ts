/**
 * One private, bare, shallow repository the plain-git transport builds a change in: every git call it
 * makes, with their outputs parsed. No work tree: files are read with `git cat-file` and written as
 * blobs into a temporary index (`GIT_INDEX_FILE`), so nothing from the GitOps repository is ever
 * checked out on disk and no symbolic link in it can be followed.
 *
 * Every failure is redacted (the token, and the spellings of it that could appear) before it is thrown.
 */
import { ToolError } from '@polyglot-cd/action-kit';
import type { CommandOptions, CommandResult, CommandRunner } from '@polyglot-cd/tools/command-runner';
import { join } from 'node:path';
import { classifyNetworkFailure, TransientGitError } from './git-env.js';
import type { GitInputNames, RepoUrl } from './git-names.js';
import { RepoTree, type TreeEntry } from './git-tree.js';

/** A network call (ls-remote, fetch, push) that takes longer than this is given up and retried. */
const NETWORK_TIMEOUT_MS = 180_000;
const LOCAL_TIMEOUT_MS = 60_000;

export interface GitRepoOptions {
  runner: CommandRunner;
  git: string;
  /** the repository's directory (bare), inside the transport's private temporary directory */
  dir: string;
  env: Record<string, string>;
  url: RepoUrl;
  inputs: GitInputNames;
  redact: (text: string) => string;
}

/** A file to write: its path, the content and the mode it keeps (100644 for a new file). */
export interface BlobWrite {
  path: string;
  content: string;
  mode: string;
}

export type PushResult = { ok: true } | { ok: false; reason: string };

/** Reasons of a rejected push that mean "someone else updated the branch first": build again. */
const RACE =
  /stale info|fetch first|non-fast-forward|already exists|cannot lock|failed to lock|unable to lock|incorrect old value|but expected|failed to update ref|reference already exists|is at [0-9a-f]+ but/i;

/** git fetch's "no such branch on the server" */
const MISSING_REF = /couldn't find remote ref/i;

class MissingRef extends Error {}

export class GitRepo {
  readonly #o: GitRepoOptions;

  constructor(o: GitRepoOptions) {
    this.#o = o;
  }

  /** Makes the empty bare repository in its (existing, empty) directory. */
  async init(): Promise<void> {
    await this.#run(['init', '--bare', '--quiet']);
  }

  /** The heads of the given branches that exist on the server (`git ls-remote`). */
  async heads(branches: readonly string[]): Promise<Map<string, string>> {
    const refs = branches.map((b) => `refs/heads/${b}`);
    const res = await this.#network(['ls-remote', '--heads', this.#o.url.href, ...refs]);
    const heads = new Map<string, string>();
    for (const line of res.stdout.split('\n')) {
      const m = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
      if (m && branches.includes(m[2] as string)) heads.set(m[2] as string, m[1] as string);
    }
    return heads;
  }

  /**
   * Fetches the head of `branch` alone (depth 1) and returns its commit; undefined when the server has
   * no such branch.
   */
  async fetch(branch: string): Promise<string | undefined> {
    const local = `refs/pcd/base`;
    const args = ['fetch', '--quiet', '--depth=1', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules'];
    try {
      await this.#network([...args, this.#o.url.href, `+refs/heads/${branch}:${local}`], [0], MISSING_REF);
    } catch (err) {
      if (err instanceof MissingRef) return undefined;
      throw err;
    }
    const res = await this.#run(['rev-parse', '--verify', `${local}^{commit}`]);
    return res.stdout.trim();
  }

  async tree(commit: string): Promise<RepoTree> {
    const res = await this.#run(['ls-tree', '-r', '-t', '-z', '--full-tree', commit]);
    return RepoTree.parse(commit, res.stdout);
  }

  async blob(entry: TreeEntry): Promise<string> {
    return (await this.#run(['cat-file', 'blob', entry.oid])).stdout;
  }

  /** A commit with `parent`'s tree and the files written, as `author` (author and committer). */
  async commit(
    parent: string,
    writes: readonly BlobWrite[],
    message: string,
    author: { name: string; email: string },
  ): Promise<{ commit: string; tree: string; parentTree: string }> {
    const index = { GIT_INDEX_FILE: join(this.#o.dir, 'pcd-index') };
    await this.#run(['read-tree', `${parent}^{tree}`], { env: index });
    let info = '';
    for (const w of writes) {
      const blob = await this.#run(['hash-object', '-w', '--no-filters', '--stdin'], { input: w.content });
      info += `${w.mode} ${blob.stdout.trim()}\t${w.path}\0`;
    }
    await this.#run(['update-index', '-z', '--index-info'], { env: index, input: info });
    const tree = (await this.#run(['write-tree'], { env: index })).stdout.trim();
    const parentTree = (await this.#run(['rev-parse', '--verify', `${parent}^{tree}`])).stdout.trim();
    const ident = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    };
    const body = message.endsWith('\n') ? message : `${message}\n`;
    const commit = (await this.#run(['commit-tree', tree, '-p', parent], { env: ident, input: body })).stdout.trim();
    return { commit, tree, parentTree };
  }

  /**
   * Pushes `commit` to `branch` if, and only if, the branch is still at `expected` ('' = does not
   * exist): a compare-and-swap the server does under its ref lock (`--force-with-lease` with an
   * explicit value). A rejection that means someone else was first is `ok: false`; any other failure
   * throws.
   */
  async push(commit: string, branch: string, expected: string): Promise<PushResult> {
    const ref = `refs/heads/${branch}`;
    const res = await this.#network(
      [
        'push',
        '--porcelain',
        '--no-verify',
        `--force-with-lease=${ref}:${expected}`,
        this.#o.url.href,
        `${commit}:${ref}`,
      ],
      [0, 1],
    );
    const line = res.stdout.split('\n').find((l) => l.split('\t')[1]?.endsWith(`:${ref}`));
    if (res.exitCode === 0 && line !== undefined && !line.startsWith('!')) return { ok: true };
    const reason = line?.split('\t')[2] ?? this.#o.redact(res.stderr.trim().split('\n').at(-1) ?? '');
    if (line !== undefined && RACE.test(line)) return { ok: false, reason };
    const classified = classifyNetworkFailure(this.#o.redact(res.stderr), this.#o.url, this.#o.inputs);
    if (classified) throw classified;
    throw this.#toolError(`git push to ${this.#o.url.href} was refused: ${reason}`, res, ['push', `${commit}:${ref}`]);
  }

  /**
   * A git call that talks to the server: its failures are classified (auth, TLS, transient, …); one
   * whose stderr matches `missing` throws MissingRef.
   */
  async #network(args: string[], okExitCodes: readonly number[] = [0], missing?: RegExp): Promise<CommandResult> {
    try {
      return await this.#run(args, { timeoutMs: NETWORK_TIMEOUT_MS, okExitCodes });
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      if (err.details.timedOut) throw new TransientGitError(`git ${args[0]} timed out`);
      if (missing?.test(err.details.stderrTail)) throw new MissingRef(err.message);
      const classified = classifyNetworkFailure(err.details.stderrTail, this.#o.url, this.#o.inputs);
      throw classified ?? err;
    }
  }

  async #run(args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
    const env = { ...this.#o.env, GIT_DIR: this.#o.dir, ...opts.env };
    try {
      return await this.#o.runner.run(this.#o.git, args, {
        tool: 'git',
        cwd: this.#o.dir,
        timeoutMs: LOCAL_TIMEOUT_MS,
        ...opts,
        env,
        replaceEnv: true,
      });
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      const r = this.#o.redact;
      throw new ToolError(r(err.message), {
        ...err.details,
        argv: err.details.argv.map(r),
        stderrTail: r(err.details.stderrTail),
      });
    }
  }

  #toolError(message: string, res: CommandResult, args: string[]): ToolError {
    const r = this.#o.redact;
    return new ToolError(r(message), {
      tool: 'git',
      argv: [this.#o.git, ...args].map(r),
      exitCode: res.exitCode,
      stderrTail: r(res.stderr.split('\n').slice(-20).join('\n')),
    });
  }
}
