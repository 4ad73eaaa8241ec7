/**
 * gitops-update's plain-git transport (actions/gitops-update/src/git.ts) against a real Git server:
 * `git http-backend` behind HTTPS with a private CA and token auth (test/git/server.ts), bare
 * repositories made and checked with real git (test/git/repo.ts). Nothing is faked: every land() runs
 * git fetch and push (and ls-remote for a reset) over HTTPS.
 *
 * The token is a canary: it must appear in no log line, error, argv (the transport's git records its
 * argv, test/git/recording.ts) or file of the transport's temporary directory; the run-wide canary
 * scan also gets every log and error (captureText).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InfraError, InputError, MemoryLogger, Secrets } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools';
import { gitTransport, type GitTransportOptions } from '../../../actions/gitops-update/src/git.js';
import { basicAuthorization, gitEnv } from '../../../actions/gitops-update/src/git-env.js';
import { branchNameProblem, parseRepoUrl } from '../../../actions/gitops-update/src/git-names.js';
import type { Apply, LandRequest, LandResult, Target } from '../../../actions/gitops-update/src/types.js';
import { commitFiles, git, head, initBare, log, show, type FixtureFile } from '../../git/repo.js';
import { recordingGit, type RecordingGit } from '../../git/recording.js';
import { startGitServer, type GitServer } from '../../git/server.js';
import { canary, captureText } from '../../helpers/canary.js';

const TOKEN = canary('gitops git token');
const AUTHOR = { name: 'Deploy Bot', email: 'deploy-bot@example.invalid' };
const TARGET: Target = {
  file: 'tenants/t3-values.yaml',
  kind: 'values',
  where: 'image',
  component: 't3',
  write: 'ref',
  create: false,
};
/** small delays: a race or an outage is retried within milliseconds here */
const FAST_RETRY = { attempts: 6, baseDelayMs: 20, maxDelayMs: 400 };

let server: GitServer;
let dir: string;
let recorder: RecordingGit;
let repoCount = 0;
/** every log line and error message of the file, for the token checks and the canary scan */
const seen: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcd-gitops-git-'));
  server = await startGitServer({ dir: join(dir, 'server'), token: TOKEN });
  recorder = recordingGit(dir);
});

afterAll(async () => {
  captureText('gitops-git-logs', seen.join('\n'));
  captureText('gitops-git-argv', recorder.calls().flat().join('\n'));
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  // no secret on any command line, in any spelling the Authorization header could carry
  const argv = recorder.calls().flat().join('\n');
  expect(argv).not.toContain(TOKEN);
  expect(argv).not.toContain(basicAuthorization('x-access-token', TOKEN).slice(6));
});

/** A bare repository with `files` on main (and the 8 tenants' files of the race), served by the server. */
async function fixture(files: Record<string, FixtureFile> = {}): Promise<{ bare: string; url: string; base: string }> {
  const name = `r${++repoCount}`;
  const bare = await initBare(server.root, name);
  const tenants = Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [`tenants/t${i}-values.yaml`, `image: registry.example/t${i}@old\n`]),
  );
  const base = await commitFiles(bare, {
    branch: 'main',
    files: { 'README.md': '# gitops\n', 'apps/api/values.yaml': 'run: 0\n', ...tenants, ...files },
    message: 'base',
  });
  return { bare, url: server.url(name), base };
}

function transport(
  url: string,
  extra: Partial<GitTransportOptions> = {},
): { land: (r: Partial<LandRequest> & { apply: Apply }) => Promise<LandResult>; log: MemoryLogger; workdir: string } {
  const logger = new MemoryLogger();
  const workdir = join(dir, `work-${Math.random().toString(36).slice(2)}`);
  const t = gitTransport({
    url,
    token: TOKEN,
    caFile: server.caFile,
    runner: new CommandRunner({ log: logger, secrets: new Secrets() }),
    workdir,
    git: recorder.bin,
    retry: FAST_RETRY,
    log: logger,
    ...extra,
  });
  const land = async (r: Partial<LandRequest> & { apply: Apply }): Promise<LandResult> => {
    try {
      return await t.land({ branch: 'main', from: 'main', reset: false, message: 'deploy', author: AUTHOR, ...r });
    } catch (err) {
      seen.push(describeError(err));
      throw err;
    } finally {
      seen.push(logger.text());
    }
  };
  return { land, log: logger, workdir };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * `apply`, whose first call, once it has read, calls `afterRead` and waits for `until` before it
 * answers: forces the order in which two concurrent runs read and land.
 */
function firstCall(apply: Apply, hook: { afterRead?: () => void; until?: Promise<unknown> }): Apply {
  let calls = 0;
  return async (read) => {
    const result = await apply(read);
    if (calls++ === 0) {
      hook.afterRead?.();
      await hook.until;
    }
    return result;
  };
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.name}: ${err.message} ${JSON.stringify((err as { details?: unknown }).details ?? {})}`;
}

/** apply: sets one file's content (no change when it already has it). */
function write(path: string, content: string): Apply {
  return async (read) => {
    const before = (await read(path)) ?? '';
    return { changes: before === content ? [] : [{ path, before, after: content }], outcomes: [] };
  };
}

/** Every file under `root`, with its content. */
function filesUnder(root: string): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const p = join(root, name);
    const s = statSync(p, { throwIfNoEntry: false });
    if (s?.isFile()) out.push({ path: name, content: readFileSync(p) });
  }
  return out;
}

function expectNoToken(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64').slice(0, 40));
}

describe('gitTransport: landing', () => {
  it('lands a change on main: one commit on the base, as the author, and no token anywhere', async () => {
    const { bare, url, base } = await fixture();
    const t = transport(url, { keepWorkdir: true });
    const res = await t.land({
      apply: write('tenants/t3-values.yaml', 'image: registry.example/t3@sha256:new\n'),
      message: 'deploy t3\n\nRun: 42',
    });
    expect(res).toMatchObject({ changed: true, attempts: 1 });
    expect(res.changes.map((c) => c.path)).toEqual(['tenants/t3-values.yaml']);
    expect(await head(bare, 'main')).toBe(res.commit);
    const history = await log(bare, 'main');
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      commit: res.commit,
      parents: [base],
      author: 'Deploy Bot <deploy-bot@example.invalid>',
      committer: 'Deploy Bot <deploy-bot@example.invalid>',
      subject: 'deploy t3',
    });
    expect(await git(['log', '-1', '--format=%B', 'main'], { gitDir: bare })).toBe('deploy t3\n\nRun: 42\n\n');
    expect(await show(bare, 'main', 'tenants/t3-values.yaml')).toBe('image: registry.example/t3@sha256:new\n');
    expect(await git(['diff', '--name-only', base, 'main'], { gitDir: bare })).toBe('tenants/t3-values.yaml\n');
    // the token: in no log line, and in no file of the temporary repository (its config included)
    expectNoToken(t.log.text());
    const files = filesUnder(t.workdir);
    expect(files.map((f) => f.path)).toContainEqual(expect.stringMatching(/repo\.git\/config$/));
    for (const f of files) expectNoToken(f.content.toString('latin1'));
    expect(server.requests.filter((r) => !r.authorized)).toEqual([]);
  });

  it('removes its temporary directory after landing', async () => {
    const { url } = await fixture();
    const t = transport(url);
    await t.land({ apply: write('README.md', '# changed\n') });
    expect(readdirSync(t.workdir)).toEqual([]);
  });

  it('makes no commit when apply changes nothing (changed: false, the commit read)', async () => {
    const { bare, url, base } = await fixture();
    const t = transport(url);
    const res = await t.land({ apply: write('apps/api/values.yaml', 'run: 0\n') });
    expect(res).toEqual({ changed: false, commit: base, attempts: 1, changes: [], outcomes: [] });
    expect(await head(bare, 'main')).toBe(base);
    const path = new URL(url).pathname;
    expect(server.requests.filter((r) => r.url.startsWith(`${path}/`) && r.url.includes('receive-pack'))).toEqual([]);
  });

  it('creates a new file (and its directories), keeping the other files', async () => {
    const { bare, url } = await fixture();
    const res = await transport(url).land({ apply: write('envs/prod/new/values.yaml', 'a: 1\n') });
    expect(res.changed).toBe(true);
    expect(await show(bare, 'main', 'envs/prod/new/values.yaml')).toBe('a: 1\n');
    expect(await show(bare, 'main', 'README.md')).toBe('# gitops\n');
  });
});

/** Every file of a bare repository with a hash of its content: the repository exactly as it is. */
function snapshot(bare: string): string[] {
  return filesUnder(bare)
    .map((f) => `${f.path} ${createHash('sha256').update(f.content).digest('hex')}`)
    .sort();
}

/** The server requests of one repository that push, or start to (receive-pack). */
function pushRequests(url: string): unknown[] {
  const path = new URL(url).pathname;
  return server.requests.filter((r) => r.url.startsWith(`${path}/`) && r.url.includes('receive-pack'));
}

describe('gitTransport: dry run', () => {
  it('reads and applies at the head, returns what it would commit; the repository is unchanged, nothing pushed', async () => {
    const { bare, url, base } = await fixture();
    const before = snapshot(bare);
    const t = transport(url);
    const outcome = { target: TARGET, outcome: 'updated' as const, previous: 'registry.example/t3@old' };
    const res = await t.land({
      dryRun: true,
      apply: async (read) => {
        const { changes } = await write('tenants/t3-values.yaml', 'image: registry.example/t3@sha256:new\n')(read);
        const same = { path: 'README.md', before: '# gitops\n', after: '# gitops\n' };
        const added = { path: 'envs/prod/values.yaml', before: '', after: 'a: 1\n' };
        return { changes: [...changes, same, added], outcomes: [outcome] };
      },
    });
    expect(res).toEqual({
      changed: true,
      commit: base,
      attempts: 1,
      changes: [
        {
          path: 'tenants/t3-values.yaml',
          before: 'image: registry.example/t3@old\n',
          after: 'image: registry.example/t3@sha256:new\n',
        },
        { path: 'envs/prod/values.yaml', before: '', after: 'a: 1\n' },
      ],
      outcomes: [outcome],
    });
    expect(snapshot(bare)).toEqual(before);
    expect(await head(bare, 'main')).toBe(base);
    expect(pushRequests(url)).toEqual([]);
    expect(t.log.text()).toMatch(/dry run: would commit 2 file\(s\) to main on .*; nothing was written/);
  });

  it('nothing to change: changed false, the head read', async () => {
    const { bare, url, base } = await fixture();
    const before = snapshot(bare);
    const res = await transport(url).land({ dryRun: true, apply: write('apps/api/values.yaml', 'run: 0\n') });
    expect(res).toEqual({ changed: false, commit: base, attempts: 1, changes: [], outcomes: [] });
    expect(snapshot(bare)).toEqual(before);
  });

  it('an environment branch: built on `from` when missing or reset, as a real run; the branch is neither made nor moved', async () => {
    const { bare, url, base } = await fixture();
    const ENV = 'gitops/env/dry';
    const mainHead = await commitFiles(bare, { branch: 'main', parent: base, files: { 'README.md': 'v2\n' } });
    const missing = snapshot(bare);
    const apply = write('apps/api/values.yaml', 'run: 3\n');
    const created = await transport(url).land({ dryRun: true, branch: ENV, from: 'main', apply });
    expect(created).toMatchObject({ changed: true, commit: mainHead, attempts: 1 });
    expect(await head(bare, ENV)).toBeUndefined();
    expect(snapshot(bare)).toEqual(missing);

    const stale = await commitFiles(bare, { branch: ENV, parent: base, files: { 'apps/api/values.yaml': 'run: 3\n' } });
    const existing = snapshot(bare);
    const onBranch = await transport(url).land({ dryRun: true, branch: ENV, from: 'main', apply });
    expect(onBranch).toMatchObject({ changed: false, commit: stale, changes: [] });
    const reset = await transport(url).land({ dryRun: true, branch: ENV, from: 'main', reset: true, apply });
    expect(reset).toMatchObject({ changed: true, commit: mainHead, changes: [{ path: 'apps/api/values.yaml' }] });
    expect(await head(bare, ENV)).toBe(stale);
    expect(snapshot(bare)).toEqual(existing);
    expect(pushRequests(url)).toEqual([]);
  });

  it('refuses what a real run refuses (a symbolic link on the way), still writing nothing', async () => {
    const { bare, url } = await fixture({ linkdir: { symlink: 'tenants' } });
    const before = snapshot(bare);
    const blind: Apply = async () => ({
      changes: [{ path: 'linkdir/t0-values.yaml', before: '', after: 'x\n' }],
      outcomes: [],
    });
    await expect(transport(url).land({ dryRun: true, apply: blind })).rejects.toThrow(
      /"linkdir" on its way is a symbolic link/,
    );
    expect(snapshot(bare)).toEqual(before);
  });
});

describe('gitTransport: concurrent runs', () => {
  it('8 concurrent land() calls, each changing its own file, all land: 8 commits on the base', async () => {
    const { bare, url, base } = await fixture();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        transport(url, { retry: { attempts: 8, baseDelayMs: 20, maxDelayMs: 4000 } }).land({
          apply: write(`tenants/t${i}-values.yaml`, `image: registry.example/t${i}@sha256:run${i}\n`),
          message: `deploy t${i}`,
        }),
      ),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    const history = await log(bare, 'main');
    expect(history).toHaveLength(9);
    expect(history.at(-1)?.commit).toBe(base);
    expect(
      history
        .slice(0, 8)
        .map((c) => c.subject)
        .sort(),
    ).toEqual(Array.from({ length: 8 }, (_, i) => `deploy t${i}`));
    for (let i = 0; i < 8; i++) {
      expect(await show(bare, 'main', `tenants/t${i}-values.yaml`)).toBe(
        `image: registry.example/t${i}@sha256:run${i}\n`,
      );
    }
    // someone had to build again
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  }, 90_000);

  /** apply that keeps the higher run: writes `run: <run>` only over a lower one */
  function higherRun(run: number): Apply {
    return async (read) => {
      const before = (await read('apps/api/values.yaml')) ?? '';
      const held = Number(/^run: (\d+)$/m.exec(before)?.[1] ?? 0);
      if (run <= held) return { changes: [], outcomes: [] };
      return { changes: [{ path: 'apps/api/values.yaml', before, after: `run: ${run}\n` }], outcomes: [] };
    };
  }

  it('the lower run lands first, then the higher one rebuilds on it: the higher run ends up there', async () => {
    const { bare, url } = await fixture();
    const highRead = deferred();
    const low = transport(url).land({ apply: firstCall(higherRun(7), { until: highRead.promise }), message: 'run 7' });
    const high = await transport(url).land({
      apply: firstCall(higherRun(9), { afterRead: highRead.resolve, until: low }),
      message: 'run 9',
    });
    expect(await low).toMatchObject({ changed: true, attempts: 1 });
    expect(high).toMatchObject({ changed: true, attempts: 2 });
    expect(await show(bare, 'main', 'apps/api/values.yaml')).toBe('run: 9\n');
    expect((await log(bare, 'main')).map((c) => c.subject)).toEqual(['run 9', 'run 7', 'base']);
  });

  it('the higher run lands first: the lower one, rebuilt, changes nothing', async () => {
    const { bare, url } = await fixture();
    const lowRead = deferred();
    const high = transport(url).land({ apply: firstCall(higherRun(9), { until: lowRead.promise }), message: 'run 9' });
    const low = await transport(url).land({
      apply: firstCall(higherRun(7), { afterRead: lowRead.resolve, until: high }),
      message: 'run 7',
    });
    expect(await high).toMatchObject({ changed: true, attempts: 1 });
    expect(low).toMatchObject({ changed: false, attempts: 2 });
    expect(low.commit).toBe(await head(bare, 'main'));
    expect(await show(bare, 'main', 'apps/api/values.yaml')).toBe('run: 9\n');
    expect((await log(bare, 'main')).map((c) => c.subject)).toEqual(['run 9', 'base']);
  });

  it('two runs racing freely on one file: the higher run wins, every time', async () => {
    for (let round = 0; round < 2; round++) {
      const { bare, url } = await fixture();
      const [a, b] = round % 2 === 0 ? [11, 12] : [12, 11];
      await Promise.all([
        transport(url).land({ apply: higherRun(a), message: `run ${a}` }),
        transport(url).land({ apply: higherRun(b), message: `run ${b}` }),
      ]);
      expect(await show(bare, 'main', 'apps/api/values.yaml')).toBe('run: 12\n');
    }
  });
});

describe('gitTransport: an environment branch (pull-request mode)', () => {
  const ENV = 'gitops/env/staging';

  it('creates the branch from `from` when it is missing', async () => {
    const { bare, url, base } = await fixture();
    const res = await transport(url).land({
      branch: ENV,
      from: 'main',
      apply: write('apps/api/values.yaml', 'run: 5\n'),
    });
    expect(res.changed).toBe(true);
    expect(await head(bare, ENV)).toBe(res.commit);
    expect((await log(bare, ENV)).map((c) => c.parents)).toEqual([[base], []]);
    expect(await head(bare, 'main')).toBe(base);
  });

  it('two overlapping creations of the branch keep both changes (the second builds on the first)', async () => {
    const { bare, url, base } = await fixture();
    const secondRead = deferred();
    const create = { branch: ENV, from: 'main' };
    const first = transport(url).land({
      ...create,
      apply: firstCall(write('tenants/t0-values.yaml', 'a\n'), { until: secondRead.promise }),
    });
    const second = await transport(url).land({
      ...create,
      apply: firstCall(write('tenants/t1-values.yaml', 'b\n'), { afterRead: secondRead.resolve, until: first }),
    });
    expect(await first).toMatchObject({ changed: true, attempts: 1 });
    expect(second).toMatchObject({ changed: true, attempts: 2 });
    expect((await log(bare, ENV)).map((c) => c.parents)).toEqual([[(await first).commit], [base], []]);
    expect(await show(bare, ENV, 'tenants/t1-values.yaml')).toBe('b\n');
  });

  it('updates the branch in place when it exists', async () => {
    const { bare, url } = await fixture();
    const first = await transport(url).land({
      branch: ENV,
      from: 'main',
      apply: write('tenants/t0-values.yaml', 'x: 1\n'),
    });
    const second = await transport(url).land({
      branch: ENV,
      from: 'main',
      apply: write('tenants/t1-values.yaml', 'y: 1\n'),
    });
    expect((await log(bare, ENV))[0]?.parents).toEqual([first.commit]);
    expect(await head(bare, ENV)).toBe(second.commit);
    expect(await show(bare, ENV, 'tenants/t0-values.yaml')).toBe('x: 1\n');
  });

  it('rebuilds the branch on `from` when reset, dropping what the branch had', async () => {
    const { bare, url, base } = await fixture();
    await commitFiles(bare, { branch: ENV, parent: base, files: { 'stale.yaml': 'old\n' }, message: 'stale' });
    const mainHead = await commitFiles(bare, { branch: 'main', parent: base, files: { 'README.md': 'v2\n' } });
    const res = await transport(url).land({
      branch: ENV,
      from: 'main',
      reset: true,
      apply: write('apps/api/values.yaml', 'run: 8\n'),
    });
    expect((await log(bare, ENV))[0]).toMatchObject({ commit: res.commit, parents: [mainHead] });
    expect(await show(bare, ENV, 'stale.yaml')).toBeUndefined();
    expect(await show(bare, ENV, 'README.md')).toBe('v2\n');
    expect(await show(bare, ENV, 'apps/api/values.yaml')).toBe('run: 8\n');
  });

  it('two overlapping resets of the branch keep both changes (the second builds on the first)', async () => {
    const { bare, url, base } = await fixture();
    await commitFiles(bare, { branch: ENV, parent: base, files: { 'stale.yaml': 'old\n' }, message: 'stale' });
    const secondRead = deferred();
    const reset = { branch: ENV, from: 'main', reset: true };
    const first = transport(url).land({
      ...reset,
      apply: firstCall(write('tenants/t0-values.yaml', 'a\n'), { until: secondRead.promise }),
    });
    const second = await transport(url).land({
      ...reset,
      apply: firstCall(write('tenants/t1-values.yaml', 'b\n'), { afterRead: secondRead.resolve, until: first }),
    });
    expect(await first).toMatchObject({ changed: true, attempts: 1 });
    expect(second).toMatchObject({ changed: true, attempts: 2 });
    expect(await show(bare, ENV, 'tenants/t0-values.yaml')).toBe('a\n');
    expect(await show(bare, ENV, 'tenants/t1-values.yaml')).toBe('b\n');
    expect(await show(bare, ENV, 'stale.yaml')).toBeUndefined();
    expect((await log(bare, ENV)).map((c) => c.parents.length)).toEqual([1, 1, 0]);
  });

  it('refuses a `from` branch that does not exist', async () => {
    const { url } = await fixture();
    await expect(transport(url).land({ branch: ENV, from: 'nope', apply: write('a', 'b') })).rejects.toThrow(
      /"nope".*does not exist/,
    );
  });
});

describe('gitTransport: hostile input', () => {
  it('refuses a URL that is not https, or that carries credentials, without echoing them', () => {
    expect(() => transport('http://127.0.0.1:1/r.git')).toThrow(InputError);
    expect(() => transport('http://127.0.0.1:1/r.git')).toThrow(/only https/);
    for (const url of [
      `https://x-access-token:${TOKEN}@127.0.0.1:1/r.git`,
      `https://${TOKEN}@127.0.0.1:1/r.git`,
      'file:///etc',
      'ext::sh -c touch% /tmp/pwned',
      `https://127.0.0.1:1/r.git?token=${TOKEN}`,
    ]) {
      let err: unknown;
      try {
        transport(url);
      } catch (e) {
        err = e;
      }
      expect(err, url).toBeInstanceOf(InputError);
      seen.push(describeError(err));
      expectNoToken(describeError(err));
    }
  });

  it('refuses option-like and malformed branch names before running anything', async () => {
    const { url } = await fixture();
    const t = transport(url);
    const before = { calls: recorder.calls().length, requests: server.requests.length };
    for (const branch of ['--upload-pack=x', '-x', 'a..b', 'a b', 'x.lock', '@{-1}', '']) {
      await expect(t.land({ branch, apply: write('a', 'b') }), branch).rejects.toThrow(InputError);
      await expect(t.land({ branch: 'env', from: branch, apply: write('a', 'b') }), branch).rejects.toThrow(InputError);
    }
    expect(recorder.calls().length).toBe(before.calls);
    expect(server.requests.length).toBe(before.requests);
  });

  it('agrees with `git check-ref-format --branch` on branch names', async () => {
    const names = ['main', 'env/staging', 'a.b', 'release-1.2', 'x/.y', 'x.', 'a//b', '/a', 'a/', 'a~1', 'a^', 'a:b'];
    names.push('a?', 'a*', 'a[', 'a\\b', 'ok/@x', 'a@{b', 'b.lock/c', 'ünïcode');
    for (const name of names) {
      const ok = await git(['check-ref-format', '--branch', name]).then(
        () => true,
        () => false,
      );
      expect(branchNameProblem(name) === undefined, name).toBe(ok);
    }
  });

  /** apply that reads each path and keeps what read() threw (undefined: it read the file, or found none) */
  function readingAll(paths: string[], errors: Map<string, unknown>): Apply {
    return async (read) => {
      for (const path of paths)
        errors.set(
          path,
          await read(path).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
      return { changes: [], outcomes: [] };
    };
  }

  /** apply that writes `path` without reading it */
  const blind =
    (path: string): Apply =>
    async () => ({ changes: [{ path, before: '', after: 'pwned\n' }], outcomes: [] });

  it('refuses paths that leave the repository, in what apply reads and in what it writes', async () => {
    const { bare, url, base } = await fixture();
    const t = transport(url);
    const paths = ['../x', '/etc/passwd', 'a\\b', 'a/../../b', './a', 'a//b', 'a/', '.git/config', 'x/.GIT/y', 'C:/x'];
    const errors = new Map<string, unknown>();
    await t.land({ apply: readingAll(paths, errors) });
    for (const path of paths) {
      expect(errors.get(path), path).toBeInstanceOf(InputError);
      expect((errors.get(path) as Error).message, path).toContain(JSON.stringify(path));
    }
    for (const path of ['../x', '/etc/passwd', 'a\\b']) {
      await expect(t.land({ apply: blind(path) }), path).rejects.toThrow(InputError);
    }
    expect(await head(bare, 'main')).toBe(base);
  });

  it('refuses a symbolic link or a submodule in the repository, as the file or on its way', async () => {
    const { bare, url, base } = await fixture({
      'tenants/evil-values.yaml': { symlink: '/etc/passwd' },
      'escape.yaml': { symlink: '../../outside.yaml' },
      linkdir: { symlink: 'tenants' },
      outdir: { symlink: '/etc' },
      'vendor/sub': { submodule: 'a'.repeat(40) },
    });
    const t = transport(url);
    const cases: Record<string, RegExp> = {
      'tenants/evil-values.yaml': /it is a symbolic link/,
      'escape.yaml': /it is a symbolic link/,
      'linkdir/t0-values.yaml': /"linkdir" on its way is a symbolic link/,
      'outdir/passwd': /"outdir" on its way is a symbolic link/,
      'vendor/sub': /it is a submodule/,
      'vendor/sub/x.yaml': /"vendor\/sub" on its way is a submodule/,
      tenants: /it is a directory/,
      'README.md/x': /"README.md" on its way is a regular file/,
    };
    const errors = new Map<string, unknown>();
    await t.land({ apply: readingAll([...Object.keys(cases), 'tenants/t0-values.yaml', 'no/such.yaml'], errors) });
    for (const [path, why] of Object.entries(cases)) {
      expect(errors.get(path), path).toBeInstanceOf(InputError);
      expect((errors.get(path) as Error).message, path).toMatch(why);
    }
    expect(errors.get('tenants/t0-values.yaml')).toBeUndefined();
    expect(errors.get('no/such.yaml')).toBeUndefined();
    for (const path of ['tenants/evil-values.yaml', 'linkdir/t0-values.yaml', 'vendor/sub/x.yaml']) {
      await expect(t.land({ apply: blind(path) }), path).rejects.toThrow(cases[path] as RegExp);
    }
    expect(await head(bare, 'main')).toBe(base);
  });

  it('a wrong token: an InputError naming the token input, fast, without the token', async () => {
    const { url } = await fixture();
    const wrong = canary('wrong gitops git token');
    const t = transport(url, { token: wrong, inputs: { token: 'gitops-token' } });
    const started = Date.now();
    const err = await t.land({ apply: write('a', 'b') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('gitops-token');
    expect((err as Error).message).toMatch(/refused the token.*"gitops-token"/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const text = `${describeError(err)}\n${t.log.text()}`;
    expect(text).not.toContain(wrong);
    expectNoToken(text);
    expect(server.requests.some((r) => !r.authorized && r.status === 401)).toBe(true);
  });

  it('a server that does not answer: InfraError after the retries', async () => {
    const down = await startGitServer({ dir: join(dir, 'down'), token: TOKEN });
    const url = down.url('gone');
    await down.close();
    const t = transport(url, { caFile: down.caFile, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
    const started = Date.now();
    const err = await t.land({ apply: write('a', 'b') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect(err).toMatchObject({ details: { service: `127.0.0.1:${down.port}`, attempts: 3 } });
    expect((err as Error).message).toMatch(/could not be reached/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(t.log.lines.filter((l) => l.level === 'warning')).toHaveLength(2);
    expectNoToken(`${describeError(err)}\n${t.log.text()}`);
  });

  it('a server certificate from an unknown CA: an InputError naming the CA input', async () => {
    const { url } = await fixture();
    const t = transport(url, { caFile: undefined });
    const err = await t.land({ apply: write('a', 'b') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('ca-file');
  });
});

describe('git environment', () => {
  it('carries the token only in the Authorization header of the repository origin, and no other protocol', () => {
    const url = parseRepoUrl('https://git.example:8443/group/repo.git', 'git-url');
    const env = gitEnv({
      url,
      authorization: basicAuthorization('x-access-token', TOKEN),
      caFile: '/ca.pem',
      home: '/private/home',
      base: {
        PATH: '/usr/bin',
        GIT_DIR: '/evil',
        GIT_SSL_NO_VERIFY: '1',
        INPUT_TOKEN: TOKEN,
        HTTPS_PROXY: 'http://p:3128',
      },
    });
    const config = Object.fromEntries(
      Array.from({ length: Number(env['GIT_CONFIG_COUNT']) }, (_, i) => [
        env[`GIT_CONFIG_KEY_${i}`],
        env[`GIT_CONFIG_VALUE_${i}`],
      ]),
    );
    const header = `Authorization: ${basicAuthorization('x-access-token', TOKEN)}`;
    expect(config).toMatchObject({
      'http.https://git.example:8443/.extraHeader': header,
      'protocol.allow': 'never',
      'protocol.https.allow': 'always',
      'http.sslCAInfo': '/ca.pem',
      'credential.helper': '',
      'http.followRedirects': 'false',
    });
    const carrying = Object.entries(env).filter(([, v]) => v.includes(basicAuthorization('x-access-token', TOKEN)));
    expect(carrying.map(([k]) => k)).toEqual([expect.stringMatching(/^GIT_CONFIG_VALUE_\d+$/)]);
    expect(Object.values(env).join('\n')).not.toContain(TOKEN);
    expect(env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: '/private/home' });
    expect(env).not.toHaveProperty('GIT_DIR');
    expect(env).not.toHaveProperty('GIT_SSL_NO_VERIFY');
    expect(env).not.toHaveProperty('INPUT_TOKEN');
    expect(env['HTTPS_PROXY']).toBe('http://p:3128');
  });
});
