/**
 * gitops-update's GitHub-API transport and pull requests against the fake GitHub of
 * test/fakes/github-git-api.ts: a real HTTP server on 127.0.0.1 backed by a real bare git repository,
 * answering with GitHub's documented shapes. Every request is checked; races are real (another commit
 * lands between the read and the ref update, or eight land() run at once); rate limits and 5xx are
 * injected, with an injected clock and sleep so nothing waits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, InfraError, InputError, MemoryLogger } from '@polyglot-cd/action-kit';
import { createHttpSender, type HttpRequest, type HttpSend } from '@polyglot-cd/tools';
import {
  createGithubApi,
  type GithubApi,
  SENDER_MAX_BODY_BYTES,
} from '../../../actions/gitops-update/src/github-api-http.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../../actions/gitops-update/src/github-api-tree.js';
import { githubTransport, type GithubTransportOptions } from '../../../actions/gitops-update/src/github-api.js';
import {
  ensurePullRequest,
  environmentBranch,
  environmentBranchReset,
  MAX_BODY_CHARS,
  pullRequestBody,
  type PullRequestBodyInput,
} from '../../../actions/gitops-update/src/pull-request.js';
import type { Apply, LandRequest, LandResult, Target } from '../../../actions/gitops-update/src/types.js';
import { type FakeGithub, githubFixture, type RecordedRequest, startFakeGithub } from '../../fakes/github-git-api.js';
import { canary, captureText } from '../../helpers/canary.js';
import { createCertificates } from '../../registry/registry.js';

const TOKEN = canary('gitops github api token');
const WRONG_TOKEN = canary('gitops wrong github token');
const VALUES = 'envs/staging/values.yaml';
const FAST = { attempts: 6, baseDelayMs: 2, maxDelayMs: 20 };
const rateLimitBody = githubFixture('error-rate-limit.json');

let gh: FakeGithub;
/** everything a user could read: log lines and error messages (scanned for the canaries at the end) */
let seen: string[] = [];
let logs: MemoryLogger[] = [];

beforeEach(async () => {
  gh = await startFakeGithub({ token: TOKEN });
  seen = [];
  logs = [];
});

afterEach(async () => {
  const text = [...logs.map((l) => l.text()), ...seen].join('\n');
  captureText('gitops-github-api', text);
  expect(text).not.toContain(TOKEN);
  expect(JSON.stringify(gh.requests)).not.toContain(TOKEN);
  await gh.close();
});

function logger(): MemoryLogger {
  const log = new MemoryLogger();
  logs.push(log);
  return log;
}

function transport(o: Partial<GithubTransportOptions> = {}) {
  return githubTransport({
    apiUrl: gh.url,
    repository: gh.repository,
    token: TOKEN,
    log: logger(),
    retry: FAST,
    requestRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...o,
  });
}

function api(o: Partial<Parameters<typeof createGithubApi>[0]> = {}): GithubApi {
  return createGithubApi({ apiUrl: gh.url, token: TOKEN, log: logger(), ...o });
}

function land(t: ReturnType<typeof transport>, o: Partial<LandRequest> & { apply: Apply }): Promise<LandResult> {
  return t.land({
    branch: 'main',
    from: 'main',
    reset: false,
    message: 'gitops: update staging\n\nPolyglot-CD-Run: 42',
    author: { name: 'Ignored Author', email: 'ignored@example.com' },
    ...o,
  });
}

/** Writes `content` to each path (whatever was there). */
function write(files: Record<string, string>): Apply {
  return async (read) => {
    const changes = [];
    for (const [path, after] of Object.entries(files)) changes.push({ path, before: (await read(path)) ?? '', after });
    return { changes, outcomes: [] };
  };
}

/** Writes `run: N` when the file holds a lower run (the real YAML engine is elsewhere). */
function bumpRun(path: string, run: number): Apply {
  return async (read) => {
    const before = (await read(path)) ?? '';
    const held = Number(/run: (\d+)/.exec(before)?.[1] ?? -1);
    if (held >= run) return { changes: [], outcomes: [] };
    return { changes: [{ path, before, after: `run: ${run}\n` }], outcomes: [] };
  };
}

/** The error a promise rejects with (kept for the canary scan). */
async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  seen.push(`${err.name}: ${err.message}`);
  return err;
}

function calls(reqs: RecordedRequest[] = gh.requests): string[] {
  return reqs.map((r) => `${r.method} ${r.path.split('?')[0]?.replace(`/repos/${gh.repository}`, '')}`);
}

function writes(): string[] {
  return calls().filter((c) => !c.startsWith('GET '));
}

/** A clock that moves only when the code sleeps. */
function fakeClock(start = 1_750_000_000_000) {
  const c = { now: start, sleeps: [] as number[] };
  return {
    c,
    now: () => c.now,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.now += ms;
    },
  };
}

describe('GitHub-API transport: push mode', () => {
  it('lands one commit through the Git Data API: trees, commit without author (signed by GitHub), ref moved with force=false', async () => {
    const seed = await gh.seed('main', {
      [VALUES]: 'image:\n  digest: sha256:old\n',
      'README.md': 'hello\n',
      'bin/deploy.sh': { executable: '#!/bin/sh\n' },
    });
    const result = await land(transport(), {
      apply: write({
        [VALUES]: 'image:\n  digest: sha256:new\n',
        'envs/prod/values.yaml': 'new: file\n',
        'bin/deploy.sh': '#!/bin/sh\nexit 0\n',
      }),
    });

    expect(result.changed).toBe(true);
    expect(result.attempts).toBe(1);
    expect(result.changes.map((c) => c.path).sort()).toEqual(['bin/deploy.sh', 'envs/prod/values.yaml', VALUES]);
    expect(await gh.head('main')).toBe(result.commit);
    expect(await gh.git(['rev-parse', `${result.commit}^`])).toBe(seed);
    expect(await gh.readFile('main', VALUES)).toBe('image:\n  digest: sha256:new\n');
    expect(await gh.readFile('main', 'envs/prod/values.yaml')).toBe('new: file\n');
    expect(await gh.readFile('main', 'README.md')).toBe('hello\n');
    expect(await gh.git(['ls-tree', 'main', 'bin/deploy.sh'])).toMatch(/^100755 blob /);
    expect((await gh.listFiles('main')).sort()).toEqual([
      'README.md',
      'bin/deploy.sh',
      'envs/prod/values.yaml',
      VALUES,
    ]);
    // GitHub wrote it as the token's user and signed it; the request's author was not sent
    expect(gh.signedCommits.has(result.commit)).toBe(true);
    expect(await gh.git(['log', '-1', '--format=%an <%ae>|%cn|%B', 'main'])).toBe(
      `${gh.login} <${gh.login}@users.noreply.github.com>|GitHub|gitops: update staging\n\nPolyglot-CD-Run: 42`,
    );

    expect(writes()).toEqual(['POST /git/trees', 'POST /git/commits', 'PATCH /git/refs/heads/main']);
    expect(calls().slice(0, 3)).toEqual([
      'GET /git/ref/heads/main',
      `GET /git/commits/${seed}`,
      expect.stringMatching(/^GET \/git\/trees\/[0-9a-f]{40}$/),
    ]);
    const post = (p: string) => gh.requests.find((r) => r.method === 'POST' && r.path.endsWith(p));
    const treeBody = post('/git/trees')?.body as {
      base_tree: string;
      tree: { path: string; mode: string; type: string; content: string }[];
    };
    expect(treeBody.base_tree).toBe(await gh.git(['rev-parse', `${seed}^{tree}`]));
    expect(treeBody.tree).toEqual(
      expect.arrayContaining([
        { path: VALUES, mode: '100644', type: 'blob', content: 'image:\n  digest: sha256:new\n' },
        { path: 'bin/deploy.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\nexit 0\n' },
        { path: 'envs/prod/values.yaml', mode: '100644', type: 'blob', content: 'new: file\n' },
      ]),
    );
    expect(post('/git/commits')?.body).toEqual({
      message: 'gitops: update staging\n\nPolyglot-CD-Run: 42',
      tree: await gh.git(['rev-parse', `${result.commit}^{tree}`]),
      parents: [seed],
    });
    expect(gh.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ sha: result.commit, force: false });
    for (const r of gh.requests) {
      expect(r.auth).toBe('bearer');
      expect(r.headers['accept']).toBe('application/vnd.github+json');
      expect(r.headers['x-github-api-version']).toBe('2022-11-28');
      expect(r.status).toBeLessThan(300);
    }
  });

  it('no change: nothing is written (no tree, commit or ref request)', async () => {
    const seed = await gh.seed('main', { [VALUES]: 'run: 3\n' });
    const result = await land(transport(), { apply: bumpRun(VALUES, 3) });
    expect(result).toEqual({ changed: false, commit: seed, attempts: 1, changes: [], outcomes: [] });
    const same = await land(transport(), { apply: write({ [VALUES]: 'run: 3\n' }) });
    expect(same.changed).toBe(false);
    expect(writes()).toEqual([]);
    expect(await gh.head('main')).toBe(seed);
  });

  it('a missing branch is created from `from` (POST git/refs); a missing `from` is an InputError', async () => {
    const seed = await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const result = await land(transport(), { branch: 'release/staging', from: 'main', apply: bumpRun(VALUES, 2) });
    expect(await gh.git(['rev-parse', `${result.commit}^`])).toBe(seed);
    expect(await gh.head('release/staging')).toBe(result.commit);
    expect(await gh.head('main')).toBe(seed);
    expect(calls().slice(0, 2)).toEqual(['GET /git/ref/heads/release/staging', 'GET /git/ref/heads/main']);
    const create = gh.requests.find((r) => r.method === 'POST' && r.path.endsWith('/git/refs'));
    expect(create?.body).toEqual({ ref: 'refs/heads/release/staging', sha: result.commit });

    const err = await failure(land(transport(), { branch: 'other', from: 'nope', apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('branch "nope" (to build "other" on) does not exist');
  });
});

describe('GitHub-API transport: dry run', () => {
  const target: Target = {
    file: VALUES,
    kind: 'values',
    where: 'run',
    component: 'backend',
    write: 'digest',
    create: false,
  };

  it('reads and applies at the head, returns the changes it would commit; GET requests only', async () => {
    const seed = await gh.seed('main', { [VALUES]: 'run: 1\n', 'README.md': 'hello\n' });
    const log = logger();
    const outcome = { target, outcome: 'updated' as const, previous: '1' };
    const result = await land(transport({ log }), {
      dryRun: true,
      apply: async (read) => {
        const { changes } = await write({
          [VALUES]: 'run: 2\n',
          'README.md': 'hello\n',
          'envs/prod/values.yaml': 'new: file\n',
        })(read);
        return { changes, outcomes: [outcome] };
      },
    });
    expect(result).toEqual({
      changed: true,
      commit: seed,
      attempts: 1,
      changes: [
        { path: VALUES, before: 'run: 1\n', after: 'run: 2\n' },
        { path: 'envs/prod/values.yaml', before: '', after: 'new: file\n' },
      ],
      outcomes: [outcome],
    });
    expect(gh.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH')).toEqual([]);
    expect(gh.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(await gh.head('main')).toBe(seed);
    expect(log.text()).toContain(
      `dry run: would commit 2 file(s) to main of acme/gitops, on ${seed}; nothing was written`,
    );
  });

  it('nothing to change: changed false and the head read', async () => {
    const seed = await gh.seed('main', { [VALUES]: 'run: 3\n' });
    const result = await land(transport(), { dryRun: true, apply: bumpRun(VALUES, 3) });
    expect(result).toEqual({ changed: false, commit: seed, attempts: 1, changes: [], outcomes: [] });
    expect(gh.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('an environment branch: built on `from` when missing or reset, as a real run; no ref is made or moved', async () => {
    const mainHead = await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const branch = environmentBranch('staging');
    const created = await land(transport(), { dryRun: true, branch, from: 'main', apply: bumpRun(VALUES, 2) });
    expect(created).toMatchObject({ changed: true, commit: mainHead, attempts: 1 });
    expect(await gh.head(branch)).toBeUndefined();

    const stale = await gh.seed(branch, { [VALUES]: 'run: 2\n', 'stale.yaml': 'old\n' });
    const onBranch = await land(transport(), { dryRun: true, branch, from: 'main', apply: bumpRun(VALUES, 2) });
    expect(onBranch).toMatchObject({ changed: false, commit: stale, changes: [] });
    const reset = await land(transport(), {
      dryRun: true,
      branch,
      from: 'main',
      reset: true,
      apply: bumpRun(VALUES, 2),
    });
    expect(reset).toMatchObject({ changed: true, commit: mainHead, changes: [{ path: VALUES, after: 'run: 2\n' }] });
    expect(await gh.head(branch)).toBe(stale);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses what a real run refuses (a symbolic link, a missing `from`), still writing nothing', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n', 'link.yaml': { symlink: VALUES } });
    const linked = await failure(
      land(transport(), {
        dryRun: true,
        apply: async () => ({ changes: [{ path: 'link.yaml', before: '', after: 'x' }], outcomes: [] }),
      }),
    );
    expect(linked.message).toMatch(/"link\.yaml" .*it is a symbolic link/);
    const missing = await failure(
      land(transport(), { dryRun: true, branch: 'other', from: 'nope', apply: bumpRun(VALUES, 2) }),
    );
    expect(missing).toBeInstanceOf(InputError);
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('GitHub-API transport: races', () => {
  it('8 concurrent land() changing different files all land, one commit each, none lost', async () => {
    const seed = await gh.seed('main', { 'README.md': 'hello\n' });
    // a land() loses only to another's win, and each of the 7 others wins once: 8 attempts always suffice
    const t = transport({ retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 60 } });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => land(t, { apply: write({ [`apps/app-${i}/values.yaml`]: `run: ${i}\n` }) })),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    for (let i = 0; i < 8; i++) expect(await gh.readFile('main', `apps/app-${i}/values.yaml`)).toBe(`run: ${i}\n`);
    expect(await gh.git(['rev-list', '--count', `${seed}..main`])).toBe('8');
    expect(await gh.git(['rev-list', '--merges', '--count', 'main'])).toBe('0');
    for (const r of results)
      expect(await gh.git(['merge-base', '--is-ancestor', r.commit, 'main']).then(() => true)).toBe(true);
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.filter((p) => p.status === 200)).toHaveLength(8);
    expect(patches.filter((p) => p.status === 422)).toHaveLength(patches.length - 8);
    expect(patches.every((p) => (p.body as { force: boolean }).force === false)).toBe(true);
    expect(results.reduce((n, r) => n + r.attempts, 0)).toBe(patches.length);
  }, 120_000);

  it('2 concurrent updates of the same file keep the higher run, in either order', async () => {
    for (let round = 0; round < 4; round++) {
      await gh.seed('main', { [VALUES]: 'run: 1\n' });
      const t = transport();
      const [low, high] = await Promise.all([
        land(t, { apply: bumpRun(VALUES, 5) }),
        land(t, { apply: bumpRun(VALUES, 7) }),
      ]);
      expect(await gh.readFile('main', VALUES)).toBe('run: 7\n');
      expect(high.changed).toBe(true);
      // the lower one either landed first (then 7 replaced it) or saw 7 and wrote nothing
      if (low.changed)
        expect(await gh.git(['merge-base', '--is-ancestor', low.commit, high.commit]).then(() => true)).toBe(true);
    }
  }, 120_000);

  it('422 "Update is not a fast forward" (another commit landed between the read and the PATCH): built again on the new head', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    let other = '';
    gh.inject({
      method: 'PATCH',
      path: '/git/refs/heads/main',
      before: async () => {
        other = await gh.commitFiles('main', { 'other.yaml': 'someone: else\n' });
      },
    });
    const log = logger();
    const result = await land(transport({ log }), { apply: bumpRun(VALUES, 2) });
    expect(result.attempts).toBe(2);
    expect(await gh.readFile('main', VALUES)).toBe('run: 2\n');
    expect(await gh.readFile('main', 'other.yaml')).toBe('someone: else\n');
    expect(await gh.git(['rev-parse', `${result.commit}^`])).toBe(other);
    const patches = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([422, 200]);
    const commits = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/commits'));
    expect((commits[1]?.body as { parents: string[] }).parents).toEqual([other]);
    expect(log.text()).toMatch(/attempt 1 of 6 to update main did not land \(422 Update is not a fast forward\)/);
  });

  it('the lower run loses the race to a higher one: it reads the higher run and writes nothing', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({
      method: 'PATCH',
      path: '/git/refs/heads/main',
      before: async () => void (await gh.commitFiles('main', { [VALUES]: 'run: 7\n' })),
    });
    const result = await land(transport(), { apply: bumpRun(VALUES, 5) });
    expect(result.changed).toBe(false);
    expect(result.attempts).toBe(2);
    expect(await gh.readFile('main', VALUES)).toBe('run: 7\n');
  });

  it('409 and 422 "Reference already exists" are races too; the branch created meanwhile is built on', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({ method: 'PATCH', reply: { status: 409, body: { message: 'Conflict', status: '409' } } });
    const r1 = await land(transport(), { apply: bumpRun(VALUES, 2) });
    expect(r1.attempts).toBe(2);

    const branch = environmentBranch('staging');
    let theirs = '';
    gh.inject({
      method: 'POST',
      path: '/git/refs',
      before: async () => {
        theirs = await gh.commitFiles(branch, { 'theirs.yaml': 'x: 1\n' });
      },
    });
    const r2 = await land(transport(), { branch, from: 'main', reset: true, apply: bumpRun(VALUES, 3) });
    expect(r2.attempts).toBe(2);
    expect(await gh.git(['rev-parse', `${r2.commit}^`])).toBe(theirs);
    expect(await gh.readFile(branch, 'theirs.yaml')).toBe('x: 1\n');
    const refs = gh.requests.filter((r) => r.path.includes('/git/refs') && r.method !== 'GET');
    expect(refs.slice(-2).map((r) => `${r.method} ${r.status}`)).toEqual(['POST 422', 'PATCH 200']);
  });

  it('gives up with an InfraError after retry.attempts races', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({
      method: 'PATCH',
      times: 3,
      before: async () => void (await gh.commitFiles('main', { 'noise.txt': `${Math.random()}\n` })),
    });
    const err = await failure(
      land(transport({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }), { apply: bumpRun(VALUES, 2) }),
    );
    expect(err).toBeInstanceOf(InfraError);
    expect(err.message).toMatch(/could not update main of acme\/gitops after 3 attempts: the branch kept moving/);
  });
});

describe('GitHub-API transport: rate limits, server errors, authentication', () => {
  it('403 with x-ratelimit-remaining: 0 waits until x-ratelimit-reset (injected clock), then succeeds', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const clock = fakeClock();
    const reset = Math.floor(clock.c.now / 1000) + 30;
    gh.inject({
      method: 'GET',
      path: /\/git\/ref\//,
      reply: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: rateLimitBody,
      },
    });
    gh.inject({
      method: 'POST',
      path: '/git/trees',
      reply: { status: 429, headers: { 'retry-after': '7' }, body: rateLimitBody },
    });
    const log = logger();
    const result = await land(transport({ now: clock.now, sleep: clock.sleep, log }), { apply: bumpRun(VALUES, 2) });
    expect(result.changed).toBe(true);
    expect(clock.c.sleeps).toEqual([reset * 1000 - 1_750_000_000_000 + 1000, 7000]);
    expect(log.text()).toMatch(/rate limit reached \(GET \/repos\/acme\/gitops\/git\/ref\/heads\/main\): waiting 31s/);
    expect(calls().filter((c) => c === 'GET /git/ref/heads/main')).toHaveLength(2);
  });

  it('a rate limit that resets too late is an InfraError saying when; nothing else is requested', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const clock = fakeClock();
    const reset = Math.floor(clock.c.now / 1000) + 3600;
    gh.inject({
      reply: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        body: rateLimitBody,
      },
    });
    const err = await failure(land(transport({ now: clock.now, sleep: clock.sleep }), { apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InfraError);
    expect(err.message).toContain(`until ${new Date(reset * 1000 + 1000).toISOString()}`);
    expect(clock.c.sleeps).toEqual([]);
    expect(gh.requests).toHaveLength(1);
  });

  it('502 is retried with the jittered backoff; a 502 that stays is an InfraError and nothing is committed', async () => {
    const seed = await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const clock = fakeClock();
    gh.inject({ method: 'POST', path: '/git/trees', times: 2, reply: { status: 502, body: 'Bad Gateway' } });
    const random = () => 0.5;
    const t = transport({
      now: clock.now,
      sleep: clock.sleep,
      random,
      requestRetry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 8000 },
    });
    const ok = await land(t, { apply: bumpRun(VALUES, 2) });
    expect(ok.changed).toBe(true);
    // backoffDelay: base·2^(n-1), equal jitter: 1000 → 750, 2000 → 1500 with random 0.5
    expect(clock.c.sleeps).toEqual([750, 1500]);
    expect(calls().filter((c) => c === 'POST /git/trees')).toHaveLength(3);

    gh.inject({ method: 'POST', path: '/git/trees', times: 10, reply: { status: 502, body: 'Bad Gateway' } });
    const err = await failure(land(t, { apply: bumpRun(VALUES, 3) }));
    expect(err).toBeInstanceOf(InfraError);
    expect(err.message).toMatch(/POST \/repos\/acme\/gitops\/git\/trees answered 502 .*\(3 attempts\)/);
    expect(await gh.git(['rev-list', '--count', `${seed}..main`])).toBe('1');
  });

  it('401: an InputError naming the token input, never the token', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const err = await failure(land(transport({ token: WRONG_TOKEN }), { apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('token');
    expect(err.message).toContain('GitHub API refused the token of input "token"');
    expect(err.message).toContain('Bad credentials');
    expect(err.message).not.toContain(WRONG_TOKEN);
    expect(gh.requests.map((r) => r.auth)).toEqual(['wrong']);

    const named = await failure(
      land(transport({ token: WRONG_TOKEN, inputs: { token: 'gitops-token' } }), { apply: bumpRun(VALUES, 2) }),
    );
    expect((named as InputError).input).toBe('gitops-token');
  });

  it('403 without a rate limit: an InputError naming the token and the permissions it needs', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({ method: 'PATCH', reply: { status: 403, body: { message: 'Resource not accessible by integration' } } });
    const err = await failure(land(transport(), { apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/403: Resource not accessible by integration.*contents: write/);
  });

  it('a server message quoting the token is redacted; an http:// API URL off loopback is refused', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({ method: 'GET', reply: { status: 418, body: { message: `no tea for ${TOKEN}` } } });
    const err = await failure(land(transport(), { apply: bumpRun(VALUES, 2) }));
    expect(err.message).toContain('no tea for ***');
    expect(() => createGithubApi({ apiUrl: 'http://api.example.com', token: TOKEN })).toThrow(InputError);
    expect(() => createGithubApi({ apiUrl: 'https://x:y@api.example.com', token: TOKEN })).toThrow(/credentials/);
  });

  it('a redirect is not followed (the token stays with the API host) and not retried', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    gh.inject({ reply: { status: 301, headers: { location: 'http://127.0.0.1:9/elsewhere' }, body: '' } });
    // the direct sender, whatever the proxy settings of the machine running the tests (through a proxy,
    // @actions/http-client follows redirects, dropping the Authorization header when the host changes)
    const err = await failure(land(transport({ send: createHttpSender({}) }), { apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InfraError);
    expect(err.message).toContain('GitHub answered with a redirect');
    expect(gh.requests).toHaveLength(1);
  });
});

/** An HTTP proxy on 127.0.0.1 that records the CONNECT requests it gets and refuses them. */
async function startRefusingProxy(): Promise<{ url: string; connects: string[]; close: () => Promise<void> }> {
  const connects: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    connects.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, connects, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('GitHub API client: the HTTP sender (packages/tools)', () => {
  it('sends every request through the injected HttpSend, with its timeout (PATCH included)', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const sent: HttpRequest[] = [];
    const direct = createHttpSender({});
    const send: HttpSend = (req) => {
      sent.push(req);
      return direct(req);
    };
    const result = await land(transport({ send, timeoutMs: 12_345 }), { apply: bumpRun(VALUES, 2) });
    expect(result.changed).toBe(true);
    expect(sent.map((r) => `${r.method} ${r.url.pathname.replace(`/repos/${gh.repository}`, '')}`)).toEqual(calls());
    expect(sent.every((r) => r.timeoutMs === 12_345)).toBe(true);
    expect(sent.find((r) => r.method === 'PATCH')?.body).toBe(JSON.stringify({ sha: result.commit, force: false }));
  });

  it("by default it honours the runner's HTTPS_PROXY (a CONNECT, the token not shown to the proxy) and NO_PROXY", async () => {
    const proxy = await startRefusingProxy();
    const client = () =>
      createGithubApi({
        apiUrl: 'https://api.github.test',
        token: TOKEN,
        log: logger(),
        requestRetry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
    try {
      for (const k of ['https_proxy', 'HTTPS_PROXY']) vi.stubEnv(k, proxy.url);
      for (const k of ['no_proxy', 'NO_PROXY']) vi.stubEnv(k, '');
      const viaProxy = await failure(client().request('GET', '/repos/acme/gitops/git/ref/heads/main'));
      expect(viaProxy).toBeInstanceOf(InfraError);
      expect(proxy.connects).toEqual([expect.stringMatching(/^CONNECT api\.github\.test:443 /)]);
      expect(proxy.connects.join('\n')).not.toContain(TOKEN);

      for (const k of ['no_proxy', 'NO_PROXY']) vi.stubEnv(k, 'api.github.test');
      const direct = await failure(client().request('GET', '/repos/acme/gitops/git/ref/heads/main'));
      expect(direct).toBeInstanceOf(InfraError); // straight to the host, which does not resolve (.test)
      expect(proxy.connects).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
      await proxy.close();
    }
  });

  it('a server certificate from an unknown CA: an InfraError pointing at NODE_EXTRA_CA_CERTS, not retried', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-gh-tls-'));
    const certs = await createCertificates(dir);
    let requests = 0;
    const server = createHttpsServer(
      { key: readFileSync(certs.keyFile), cert: readFileSync(certs.certFile) },
      (_req, res) => void (requests++, res.end('{}')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createGithubApi({
        apiUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: TOKEN,
        log: logger(),
        send: createHttpSender({}),
      });
      const err = await failure(client.request('GET', '/repos/acme/gitops/git/ref/heads/main'));
      expect(err).toBeInstanceOf(InfraError);
      expect(err.message).toMatch(/certificate is not trusted; for a private CA, point NODE_EXTRA_CA_CERTS at its PEM/);
      expect(err.message).toContain('(1 attempt(s))');
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file of DEFAULT_MAX_FILE_BYTES reads through the sender; a larger one is refused before it is read', async () => {
    const fits = randomBytes(DEFAULT_MAX_FILE_BYTES * 0.75).toString('base64');
    expect(fits).toHaveLength(DEFAULT_MAX_FILE_BYTES);
    await gh.seed('main', { 'fits.yaml': fits, 'big.yaml': `${fits}x` });
    const read = await land(transport(), {
      apply: async (r) => {
        expect(await r('fits.yaml')).toBe(fits);
        return { changes: [], outcomes: [] };
      },
    });
    expect(read.changed).toBe(false);
    const before = gh.requests.length;
    const big = await failure(
      land(transport(), { apply: async (r) => (await r('big.yaml'), { changes: [], outcomes: [] }) }),
    );
    expect(big).toBeInstanceOf(InputError);
    expect(big.message).toContain(`is ${DEFAULT_MAX_FILE_BYTES + 1} bytes, more than the ${DEFAULT_MAX_FILE_BYTES}`);
    expect(calls(gh.requests.slice(before)).filter((c) => c.includes('/git/blobs/'))).toEqual([]);
  });

  it('an answer longer than the sender reads is an error, never half-read JSON, and not retried', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const long = { content: 'A'.repeat(SENDER_MAX_BODY_BYTES), encoding: 'base64' };
    gh.inject({ method: 'GET', path: /\/git\/blobs\//, reply: { status: 200, body: long } });
    const err = await failure(land(transport(), { apply: bumpRun(VALUES, 2) }));
    expect(err).toBeInstanceOf(InfraError);
    expect(err.message).toMatch(
      /GET \/repos\/acme\/gitops\/git\/blobs\/\w+ failed: GitHub's answer is longer than the 8192 KiB/,
    );
    expect(calls().filter((c) => c.includes('/git/blobs/'))).toHaveLength(1);
  });

  it('a cancelled land() stops waiting for a request in flight at once', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    let release = (): void => {};
    const held = new Promise<void>((r) => (release = r));
    gh.inject({ method: 'GET', path: /\/git\/ref\//, before: () => held });
    const abort = new AbortController();
    const landing = failure(land(transport(), { signal: abort.signal, apply: bumpRun(VALUES, 2) }));
    await vi.waitFor(() => expect(gh.requests).toHaveLength(1));
    const started = Date.now();
    abort.abort();
    const err = await landing;
    expect(err).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(1000);
    release();
    await vi.waitFor(() => expect(gh.requests[0]?.status).toBe(200));
    expect(gh.requests).toHaveLength(1);
  });
});

describe('GitHub-API transport: hostile input', () => {
  it('paths with .., absolute or with a backslash are refused, naming the path, before anything is written', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    for (const path of ['../x', 'envs/../../x', '/etc/passwd', 'envs\\staging.yaml', '.git/config', 'a//b']) {
      const readErr = await failure(
        land(transport(), { apply: async (read) => (await read(path), { changes: [], outcomes: [] }) }),
      );
      expect(readErr).toBeInstanceOf(InputError);
      expect(readErr.message).toContain(JSON.stringify(path));
      const writeErr = await failure(
        land(transport(), { apply: async () => ({ changes: [{ path, before: '', after: 'x' }], outcomes: [] }) }),
      );
      expect(writeErr).toBeInstanceOf(InputError);
      expect(writeErr.message).toContain(JSON.stringify(path));
    }
    expect(writes()).toEqual([]);
  });

  it('a symbolic link or a submodule, as the file or on its way, is refused; nothing is written', async () => {
    const sub = '1'.repeat(40);
    await gh.seed('main', {
      [VALUES]: 'run: 1\n',
      'link.yaml': { symlink: VALUES },
      'etc-link': { symlink: '/etc' },
      vendor: { submodule: sub },
    });
    const cases: [string, RegExp][] = [
      ['link.yaml', /"link\.yaml" .*it is a symbolic link/],
      ['etc-link/passwd', /"etc-link\/passwd" .*"etc-link" is a symbolic link/],
      ['vendor/values.yaml', /"vendor" is a submodule/],
      ['vendor', /it is a submodule/],
      ['envs', /it is a directory/],
    ];
    for (const [path, message] of cases) {
      const readErr = await failure(
        land(transport(), { apply: async (read) => (await read(path), { changes: [], outcomes: [] }) }),
      );
      expect(readErr).toBeInstanceOf(InputError);
      expect(readErr.message).toMatch(message);
      const writeErr = await failure(
        land(transport(), { apply: async () => ({ changes: [{ path, before: '', after: 'x' }], outcomes: [] }) }),
      );
      expect(writeErr.message).toMatch(message);
    }
    const blocked = await failure(
      land(transport(), {
        apply: async () => ({ changes: [{ path: `${VALUES}/x`, before: '', after: 'x' }], outcomes: [] }),
      }),
    );
    expect(blocked.message).toContain(`"${VALUES}" is a file`);
    // a file under a file does not exist for reading
    const read = await land(transport(), {
      apply: async (r) => {
        expect(await r(`${VALUES}/x`)).toBeUndefined();
        expect(await r('missing/values.yaml')).toBeUndefined();
        return { changes: [], outcomes: [] };
      },
    });
    expect(read.changed).toBe(false);
    expect(writes()).toEqual([]);
  });

  it('invalid branch names (git check-ref-format) are refused before any request', async () => {
    const t = transport();
    const apply = bumpRun(VALUES, 2);
    for (const bad of [
      '-main',
      '--upload-pack=x',
      'a..b',
      'has space',
      'x.lock',
      '',
      '@',
      'a//b',
      'trailing/',
      'a~1',
      'a:b',
      'a\nb',
    ]) {
      const err = await failure(land(t, { branch: bad, apply }));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toContain('is not a valid git branch name');
      expect((await failure(land(t, { branch: 'ok', from: bad, apply }))).message).toContain(
        'is not a valid git branch name',
      );
    }
    const reset = await failure(land(t, { branch: 'main', from: 'main', reset: true, apply }));
    expect(reset.message).toContain('reset is for environment branches');
    expect(() => environmentBranch('-x')).toThrow(InputError);
    expect(() => environmentBranch('a/../b')).toThrow(InputError);
    expect(gh.requests).toEqual([]);
  });
});

const DIGEST = `sha256:${'a'.repeat(64)}`;
const SOURCE_COMMIT = 'c'.repeat(40);

function body(run: number, extra: Partial<PullRequestBodyInput> = {}): string {
  return pullRequestBody({
    environment: 'staging',
    images: [{ component: 'backend', repository: 'registry.example.com/shop/backend', digest: DIGEST }],
    source: {
      repository: 'acme/shop',
      commit: SOURCE_COMMIT,
      serverUrl: 'https://github.com',
      run,
      runUrl: `https://github.com/acme/shop/actions/runs/${run}`,
    },
    scan: { counts: { critical: 0, high: 1, medium: 4 }, tool: 'trivy', passed: true },
    signatures: [{ component: 'backend', verified: true }],
    ...extra,
  });
}

describe('pull requests', () => {
  it('one branch per environment; the pull request is opened once, then updated in place; labels, reviewers and auto-merge as asked', async () => {
    const mainHead = await gh.seed('main', { [VALUES]: 'run: 1\n' });
    const client = api();
    const t = transport({ api: client });
    const branch = environmentBranch('staging');
    expect(branch).toBe('polyglot-cd/gitops/staging');
    const options = {
      api: client,
      repository: gh.repository,
      branch,
      base: 'main',
      title: 'Deploy to staging',
      labels: ['gitops', 'staging'],
      reviewers: ['alice'],
      teamReviewers: ['platform'],
      autoMerge: 'squash' as const,
    };

    // run 1: no pull request → the branch is built on main; the pull request is opened
    const d1 = await environmentBranchReset(client, gh.repository, branch, 'main');
    expect(d1).toEqual({ reset: true });
    const l1 = await land(t, { branch, from: 'main', reset: d1.reset, apply: bumpRun(VALUES, 5) });
    const pr1 = await ensurePullRequest({ ...options, body: body(5) });
    expect(pr1).toEqual({
      number: 1,
      url: `https://github.com/${gh.repository}/pull/1`,
      nodeId: gh.pulls[0]?.nodeId,
      created: true,
      labelsAdded: ['gitops', 'staging'],
      reviewersRequested: ['alice', 'team:platform'],
      autoMerge: 'enabled',
      warnings: [],
    });
    expect(await gh.git(['rev-parse', `${l1.commit}^`])).toBe(mainHead);
    const r1 = gh.requests.filter((r) => r.method !== 'GET');
    expect(calls(r1)).toEqual([
      'POST /git/trees',
      'POST /git/commits',
      'POST /git/refs',
      'POST /pulls',
      'POST /issues/1/labels',
      'POST /pulls/1/requested_reviewers',
      'POST /graphql',
    ]);
    expect(r1[3]?.body).toEqual({ title: 'Deploy to staging', head: branch, base: 'main', body: body(5) });
    expect(r1[4]?.body).toEqual({ labels: ['gitops', 'staging'] });
    expect(r1[5]?.body).toEqual({ reviewers: ['alice'], team_reviewers: ['platform'] });
    const gql = r1[6]?.body as { query: string; variables: unknown };
    expect(gql.query).toMatch(
      /mutation EnableAutoMerge\(\$pullRequestId: ID!, \$mergeMethod: PullRequestMergeMethod!\)/,
    );
    expect(gql.query).toContain(
      'enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod })',
    );
    expect(gql.variables).toEqual({ pullRequestId: gh.pulls[0]?.nodeId, mergeMethod: 'SQUASH' });
    const list = gh.requests.find((r) => r.method === 'GET' && r.path.includes('/pulls?'));
    expect(new URL(list?.path ?? '', gh.url).searchParams.get('head')).toBe(`acme:${branch}`);

    // run 2: the pull request is open → built on the branch (force=false); the same pull request is updated
    const before = gh.requests.length;
    const d2 = await environmentBranchReset(client, gh.repository, branch, 'main');
    expect(d2.reset).toBe(false);
    expect(d2.pullRequest?.number).toBe(1);
    const l2 = await land(t, { branch, from: 'main', reset: d2.reset, apply: bumpRun(VALUES, 6) });
    expect(await gh.git(['rev-parse', `${l2.commit}^`])).toBe(l1.commit);
    const pr2 = await ensurePullRequest({ ...options, body: body(6), labels: ['gitops', 'staging', 'extra'] });
    expect(pr2).toMatchObject({
      number: 1,
      created: false,
      labelsAdded: ['extra'],
      reviewersRequested: [],
      autoMerge: 'already-enabled',
    });
    const r2 = gh.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(calls(r2)).toEqual([
      'POST /git/trees',
      'POST /git/commits',
      `PATCH /git/refs/heads/${branch}`,
      'PATCH /pulls/1',
      'POST /issues/1/labels',
    ]);
    expect(r2[2]?.body).toEqual({ sha: l2.commit, force: false });
    expect(r2[3]?.body).toEqual({ body: body(6) });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]).toMatchObject({ body: body(6), labels: ['gitops', 'staging', 'extra'], autoMerge: 'SQUASH' });

    // run 3: the pull request was closed → the branch is rebuilt on main (force=true) and a new one opened
    const closed = gh.pulls[0];
    if (closed) closed.state = 'closed';
    const d3 = await environmentBranchReset(client, gh.repository, branch, 'main');
    expect(d3).toEqual({ reset: true });
    const l3 = await land(t, { branch, from: 'main', reset: true, apply: bumpRun(VALUES, 7) });
    expect(await gh.git(['rev-parse', `${l3.commit}^`])).toBe(mainHead);
    const forced = gh.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/')).at(-1);
    expect(forced?.body).toEqual({ sha: l3.commit, force: true });
    const pr3 = await ensurePullRequest({ ...options, body: body(7) });
    expect(pr3).toMatchObject({ number: 2, created: true });
    expect(gh.pulls.filter((p) => p.state === 'open')).toHaveLength(1);
  });

  it('pull request options are checked before any request', async () => {
    const o = {
      api: api(),
      repository: gh.repository,
      branch: 'polyglot-cd/gitops/qa',
      base: 'main',
      title: 'T',
      body: 'B',
    };
    const bad = [
      { reviewers: ['@evil'] },
      { reviewers: ['a b'] },
      { teamReviewers: ['org/team'] },
      { labels: ['a,b'] },
      { labels: [''] },
      { title: 'two\nlines' },
      { title: '' },
      { branch: '-x' },
      { base: 'polyglot-cd/gitops/qa' },
      { repository: 'not a repo' },
      { body: 'x'.repeat(MAX_BODY_CHARS + 1) },
    ];
    for (const b of bad) expect(await failure(ensurePullRequest({ ...o, ...b }))).toBeInstanceOf(InputError);
    expect(gh.requests).toEqual([]);
  });

  it('no change, same title and body: no write at all', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    await gh.seed('polyglot-cd/gitops/staging', { [VALUES]: 'run: 5\n' });
    const client = api();
    const o = {
      api: client,
      repository: gh.repository,
      branch: 'polyglot-cd/gitops/staging',
      base: 'main',
      title: 'T',
      body: 'B',
    };
    await ensurePullRequest(o);
    const before = gh.requests.length;
    const again = await ensurePullRequest(o);
    expect(again).toMatchObject({ number: 1, created: false, labelsAdded: [], autoMerge: 'off' });
    expect(calls(gh.requests.slice(before))).toEqual(['GET /pulls']);
  });

  it('what GitHub refuses of the extras is a warning; the pull request stands', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    await gh.seed('polyglot-cd/gitops/prod', { [VALUES]: 'run: 2\n' });
    gh.inject({
      method: 'POST',
      path: /requested_reviewers$/,
      reply: {
        status: 422,
        body: {
          message:
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the acme/gitops repository.',
          documentation_url: 'https://docs.github.com/rest/pulls/review-requests#request-reviewers-for-a-pull-request',
          status: '422',
        },
      },
    });
    gh.inject({
      method: 'POST',
      path: '/graphql',
      reply: { status: 200, body: githubFixture('graphql-error.json') },
    });
    const log = logger();
    const pr = await ensurePullRequest({
      api: api({ log }),
      repository: gh.repository,
      branch: 'polyglot-cd/gitops/prod',
      base: 'main',
      title: 'Deploy to prod',
      body: body(2, { environment: 'prod' }),
      reviewers: ['mallory'],
      autoMerge: 'merge',
    });
    expect(pr).toMatchObject({ number: 1, created: true, reviewersRequested: [], autoMerge: 'failed' });
    expect(pr.warnings).toEqual([
      expect.stringMatching(/^pull request reviewers: .*422: Reviews may only be requested from collaborators/),
      expect.stringMatching(
        /^pull request auto-merge: GitHub GraphQL API: UNPROCESSABLE: Pull request Pull request is in clean status$/,
      ),
    ]);
    expect(log.text()).toContain('warning: gitops-update: pull request auto-merge');
    seen.push(...pr.warnings);
  });

  it('a pull request opened meanwhile (422 "already exists") is found and updated, not duplicated', async () => {
    await gh.seed('main', { [VALUES]: 'run: 1\n' });
    await gh.seed('polyglot-cd/gitops/qa', { [VALUES]: 'run: 3\n' });
    const now = new Date().toISOString();
    gh.inject({
      method: 'POST',
      path: /\/pulls$/,
      before: () => {
        gh.pulls.push({
          number: 1,
          nodeId: 'PR_kwDOother',
          title: 'theirs',
          body: 'theirs',
          head: 'polyglot-cd/gitops/qa',
          base: 'main',
          state: 'open',
          draft: false,
          labels: [],
          reviewers: [],
          teams: [],
          autoMerge: null,
          createdAt: now,
          updatedAt: now,
        });
      },
    });
    const pr = await ensurePullRequest({
      api: api(),
      repository: gh.repository,
      branch: 'polyglot-cd/gitops/qa',
      base: 'main',
      title: 'Deploy to qa',
      body: 'ours',
    });
    expect(pr).toMatchObject({ number: 1, created: false, nodeId: 'PR_kwDOother' });
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]).toMatchObject({ title: 'Deploy to qa', body: 'ours' });
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).map((r) => r.status)).toEqual([
      422,
    ]);
  });

  it('pullRequestBody: digests, source commit, scan counts and signatures, escaped; pure; cut at GitHub limit', () => {
    const target: Target = {
      file: VALUES,
      kind: 'values',
      where: 'components.backend.image.digest',
      component: 'backend',
      write: 'digest',
      create: false,
    };
    const input: PullRequestBodyInput = {
      environment: 'staging',
      images: [
        { component: 'backend', repository: 'registry.example.com/shop/backend', digest: DIGEST },
        {
          component: 'web|@admins <script>',
          repository: 'registry.example.com/shop/web`x',
          digest: `sha256:${'b'.repeat(64)}`,
        },
      ],
      outcomes: [
        { target, outcome: 'updated', previous: `sha256:${'0'.repeat(64)}` },
        {
          target: { ...target, component: 'web|@admins <script>' },
          outcome: 'skipped-newer',
          held: { run: 99, commit: 'd'.repeat(40) },
        },
      ],
      source: {
        repository: 'acme/shop',
        commit: SOURCE_COMMIT,
        serverUrl: 'https://github.com/',
        run: 42,
        runUrl: 'javascript:alert(1)',
      },
      scan: { counts: { critical: 0, high: 2, low: 7 }, tool: 'trivy', passed: false },
      signatures: [
        {
          component: 'backend',
          verified: true,
          detail: 'keyless, identity https://github.com/acme/shop/.github/workflows/ci.yml@refs/heads/main',
        },
        { component: 'web|@admins <script>', verified: false, detail: 'no signature found' },
      ],
    };
    const md = pullRequestBody(input);
    expect(pullRequestBody(input)).toBe(md);
    expect(md).toContain('<!-- polyglot-cd:gitops-update environment=staging -->');
    expect(md).toContain('## Deploy to `staging`');
    expect(md).toContain(
      `Built from \`acme/shop\` at [\`cccccccccccc\`](https://github.com/acme/shop/commit/${SOURCE_COMMIT}), workflow run #42.`,
    );
    expect(md).toContain(`| backend | \`registry.example.com/shop/backend\` | \`${DIGEST}\` | ✅ verified |`);
    expect(md).toContain('| web\\|@\u200badmins \\<script\\> | `registry.example.com/shop/web x` |');
    expect(md).toContain('❌ not verified');
    expect(md).toContain(
      '| Critical | High | Medium | Low | Unknown |\n| --- | --- | --- | --- | --- |\n| 0 | 2 | 0 | 7 | 0 |',
    );
    expect(md).toContain('The gate failed.');
    expect(md).toContain(
      `| \`${VALUES}\` | \`components.backend.image.digest\` | backend | updated | \`sha256:${'0'.repeat(64)}\` |`,
    );
    expect(md).toContain('skipped-newer (holds run 99)');
    expect(md).toContain('- web\\|@\u200badmins \\<script\\>: no signature found');
    expect(md).not.toContain('javascript:');
    expect(md).not.toMatch(/(^|[^\\])<script>/);
    const many = Array.from({ length: 2000 }, (_, i) => ({
      component: `c${i}`,
      repository: `r/${'x'.repeat(30)}`,
      digest: DIGEST,
    }));
    const long = pullRequestBody({ ...input, images: many });
    expect(long.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(long).toContain('(cut: the full list is in the workflow run)');
  });
});
