import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '@polyglot-cd/action-kit';
import { ownershipMetadata, type NamespaceFacts } from '@polyglot-cd/kube';
import { createLookup, rateLimit } from '../../../actions/pr-namespace-cleanup/src/github.js';
import {
  classify,
  classifyPr,
  decideByPr,
  formatAge,
  mapLimit,
} from '../../../actions/pr-namespace-cleanup/src/plan.js';
import { inClusterKubeconfigText, releaseNames } from '../../../actions/pr-namespace-cleanup/src/releases.js';

const ID = '42424242';
const NOW = new Date('2025-03-20T12:00:00Z');
const HOUR = 3_600_000;

function ns(
  pr: number,
  o: { created?: string; expires?: string; keep?: boolean; repo?: string; deployed?: string } = {},
): NamespaceFacts {
  const m = ownershipMetadata({
    repositoryId: o.repo ?? ID,
    repository: 'o/r',
    pr,
    commit: 'abcdef1',
    expiresAt: new Date(o.expires ?? '2025-04-01T00:00:00Z'),
    ...(o.deployed ? { deployedAt: new Date(o.deployed) } : {}),
  });
  return {
    metadata: {
      name: `pr-${pr}`,
      uid: `uid-${pr}`,
      labels: { ...m.labels, ...(o.keep ? { 'polyglot-cd/keep': 'true' } : {}) },
      annotations: m.annotations,
      creationTimestamp: o.created ?? '2025-03-20T10:00:00Z',
    },
  };
}

describe('classify (gc)', () => {
  const policy = { repositoryId: ID, protectedNames: ['pr-9'], maxAgeMs: 0, now: NOW };

  it.each<[string, NamespaceFacts, typeof policy, { kind: string; reason?: RegExp; refused?: boolean }]>([
    ['fresh: ask GitHub', ns(1), policy, { kind: 'check-pr' }],
    [
      'expired annotation',
      ns(2, { expires: '2025-03-20T11:59:59Z' }),
      policy,
      { kind: 'delete', reason: /^expired at 2025-03-20T11:59:59Z/ },
    ],
    // gc runs outside the deploy's concurrency group: a deploy that started 10 minutes ago may still run
    [
      'a deploy started 10 min ago, even if expired',
      ns(3, { expires: '2025-03-20T11:59:59Z', deployed: '2025-03-20T11:50:00Z' }),
      policy,
      {
        kind: 'skip',
        reason: /^a deploy started 10m ago \(annotation polyglot-cd\/deployed-at\): kept for the next run/,
        refused: false,
      },
    ],
    [
      'a deploy started 31 min ago: gc may go on',
      ns(4, { expires: '2025-03-20T11:59:59Z', deployed: '2025-03-20T11:29:00Z' }),
      policy,
      { kind: 'delete', reason: /^expired at/ },
    ],
    [
      'expires exactly now',
      ns(2, { expires: '2025-03-20T12:00:00Z' }),
      policy,
      { kind: 'delete', reason: /^expired at/ },
    ],
    [
      'older than max-age',
      ns(3, { created: '2025-03-13T11:00:00Z' }),
      { ...policy, maxAgeMs: 168 * HOUR },
      { kind: 'delete', reason: /^older than max-age \(7d 1h > 7d 0h\)$/ },
    ],
    [
      'younger than max-age',
      ns(3, { created: '2025-03-13T13:00:00Z' }),
      { ...policy, maxAgeMs: 168 * HOUR },
      { kind: 'check-pr' },
    ],
    ['max-age off', ns(3, { created: '2020-01-01T00:00:00Z' }), policy, { kind: 'check-pr' }],
    [
      'keep=true even when expired',
      ns(4, { keep: true, expires: '2020-01-01T00:00:00Z' }),
      policy,
      { kind: 'skip', reason: /keep=true/, refused: false },
    ],
    [
      'protected even when expired',
      ns(9, { expires: '2020-01-01T00:00:00Z' }),
      policy,
      { kind: 'skip', reason: /protected list/, refused: false },
    ],
    [
      'another repository: refused',
      ns(5, { repo: '1' }),
      policy,
      { kind: 'skip', reason: /not this repository's id/, refused: true },
    ],
  ])('%s', (_t, n, p, want) => {
    const d = classify(n, p);
    expect(d.kind).toBe(want.kind);
    if (want.reason && 'reason' in d) expect(d.reason).toMatch(want.reason);
    if (want.refused !== undefined && d.kind === 'skip') expect(d.refused).toBe(want.refused);
  });

  it.each([
    ['closed', 'delete', 'PR #1 is closed'],
    ['open', 'skip', 'PR #1 is open'],
    ['not-found', 'skip', 'PR #1 was not found in this repository; kept until it expires'],
    ['unknown', 'skip', 'could not check PR #1: HTTP 502; kept for the next run'],
  ] as const)('PR %s → %s', (state, kind, reason) => {
    const d = decideByPr({ kind: 'check-pr', name: 'pr-1', uid: 'u', pr: 1 }, state, 'HTTP 502');
    expect(d).toMatchObject({ kind, reason });
  });
});

describe('classifyPr', () => {
  it("deletes this PR's owned namespace, refuses anything else", () => {
    expect(classifyPr(ns(7), { repositoryId: ID, protectedNames: [], pr: 7 })).toMatchObject({
      kind: 'delete',
      uid: 'uid-7',
    });
    expect(classifyPr(ns(7), { repositoryId: ID, protectedNames: [], pr: 8 })).toMatchObject({
      kind: 'skip',
      refused: true,
    });
    expect(
      classifyPr({ metadata: { name: 'pr-7', uid: 'u' } }, { repositoryId: ID, protectedNames: [], pr: 7 }),
    ).toMatchObject({ kind: 'skip', refused: true });
    expect(classifyPr(ns(7, { keep: true }), { repositoryId: ID, protectedNames: [], pr: 7 })).toMatchObject({
      kind: 'skip',
      refused: false,
    });
  });
});

describe('helpers', () => {
  it.each([
    [undefined, ''],
    [-5, ''],
    [59_000, '59s'],
    [60_000, '1m'],
    [3 * HOUR, '3h'],
    [47 * HOUR, '47h'],
    [50 * HOUR, '2d 2h'],
  ])('formatAge(%j) = %j', (ms, s) => expect(formatAge(ms)).toBe(s));

  it('mapLimit keeps at most `limit` running, keeps order, and stops taking work when asked', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
    let stop = false;
    const partial = await mapLimit(
      [1, 2, 3, 4],
      1,
      async (n) => {
        if (n === 2) stop = true;
        return n;
      },
      () => stop,
    );
    expect(partial).toEqual([1, 2, undefined, undefined]);
  });

  it('releaseNames reads Helm storage labels only', () => {
    expect(
      releaseNames([
        { metadata: { labels: { owner: 'helm', name: 'web', version: '1' } } },
        { metadata: { labels: { owner: 'helm', name: 'web', version: '2' } } },
        { metadata: { labels: { owner: 'helm', name: 'api' } } },
        { metadata: { labels: { owner: 'someone', name: 'x' } } },
        { metadata: { labels: { owner: 'helm', name: '--all' } } },
        { metadata: {} },
      ]),
    ).toEqual(['api', 'web']);
  });

  it('in-cluster kubeconfig for helm points at the token file, never embeds it', () => {
    const cfg = JSON.parse(inClusterKubeconfigText('https://10.0.0.1:443', '/sa')) as {
      users: { user: Record<string, string> }[];
    };
    expect(cfg.users[0]?.user).toEqual({ tokenFile: '/sa/token' });
  });
});

describe('GitHub rate limits', () => {
  const now = 1_700_000_000_000;
  it.each<
    [
      string,
      { status?: number; message?: string; response?: { headers?: Record<string, string> } },
      { limited: boolean; until?: number },
    ]
  >([
    [
      'primary limit (403, remaining 0)',
      { status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000030' } } },
      { limited: true, until: 1_700_000_031_000 },
    ],
    [
      'secondary limit (403, retry-after)',
      { status: 403, response: { headers: { 'retry-after': '7' } } },
      { limited: true, until: now + 7000 },
    ],
    ['429 without headers', { status: 429 }, { limited: true, until: now + 60_000 }],
    [
      '403 "rate limit" message',
      { status: 403, message: 'You have exceeded a secondary rate limit' },
      { limited: true, until: now + 60_000 },
    ],
    [
      '403 forbidden (not a limit)',
      {
        status: 403,
        message: 'Resource not accessible by integration',
        response: { headers: { 'x-ratelimit-remaining': '4000' } },
      },
      { limited: false },
    ],
    ['404', { status: 404 }, { limited: false }],
  ])('%s', (_t, err, want) => expect(rateLimit(err, now)).toEqual(want));

  it('past the wait budget, the remaining PRs are "unknown", not guessed, and no more requests are made', async () => {
    let t = now;
    let calls = 0;
    const log = new MemoryLogger();
    const lookup = createLookup(
      async () => {
        calls++;
        throw Object.assign(new Error('API rate limit exceeded'), {
          status: 403,
          response: {
            headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(t / 1000) + 3600) },
          },
        });
      },
      { log, maxRateLimitWaitMs: 60_000, now: () => t, sleep: async (ms) => void (t += ms) },
    );
    expect((await lookup.state(1)).state).toBe('unknown');
    expect((await lookup.state(2)).detail).toMatch(/rate limit: resets at .* past the 60s wait budget/);
    expect(calls).toBe(1);
    expect(log.text()).toMatch(/warning: GitHub API rate limit/);
  });

  it('within the budget, waits for the reset (every lookup pauses) and goes on', async () => {
    let t = now;
    let calls = 0;
    const at: number[] = [];
    const lookup = createLookup(
      async (pr) => {
        calls++;
        at.push(t);
        if (calls === 1)
          throw Object.assign(new Error('limited'), { status: 429, response: { headers: { 'retry-after': '30' } } });
        return { state: pr === 1 ? 'closed' : 'open', headers: {} };
      },
      { log: new MemoryLogger(), now: () => t, sleep: async (ms) => void (t += ms) },
    );
    expect(await lookup.state(1)).toMatchObject({ state: 'closed' });
    expect(await lookup.state(2)).toMatchObject({ state: 'open' });
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(30_000);
    expect(lookup.requests).toBe(3);
  });

  it('401 / 403 without a limit stop asking (token cannot read PRs)', async () => {
    let calls = 0;
    const lookup = createLookup(
      async () => {
        calls++;
        throw Object.assign(new Error('Resource not accessible by integration'), {
          status: 403,
          response: { headers: {} },
        });
      },
      { log: new MemoryLogger() },
    );
    expect((await lookup.state(1)).state).toBe('unknown');
    expect((await lookup.state(2)).detail).toMatch(/pull-requests: read/);
    expect(calls).toBe(1);
  });
});
