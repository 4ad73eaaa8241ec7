// namespaces.ts decisions, driven by a scripted NamespaceClient that throws client-node's real
// ApiException carrying the recorded API Status bodies (test/fixtures/k8s). The real API server
// paths (paging, UID precondition, deletion completing) are in test/integration/pr-namespace-cleanup.
import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  apiStatus,
  blockingConditions,
  deleteNamespace,
  describeStatus,
  KubeApiError,
  listNamespaces,
  retryDelay,
  waitForNamespaceGone,
  withRetries,
  type NamespaceClient,
  type NamespaceItem,
} from '@polyglot-cd/kube';
import { backoffDelay } from '@polyglot-cd/tools/retry';
import { readFixture, fixtureJson } from '../../helpers/fixtures.js';

const apiErr = (code: number, body: string | object, headers: Record<string, string> = {}) =>
  new ApiException(code, 'Unknown API Status Code!', typeof body === 'string' ? body : JSON.stringify(body), headers);
const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
});
const noSleep = { sleep: async () => {}, random: () => 0.5 };

type Call = { op: string; args: Record<string, unknown> };
function scripted(
  handlers: Partial<Record<'list' | 'read' | 'delete', (args: Record<string, unknown>, n: number) => unknown>>,
) {
  const calls: Call[] = [];
  const counts = { list: 0, read: 0, delete: 0 };
  const run = async (op: 'list' | 'read' | 'delete', args: Record<string, unknown>) => {
    calls.push({ op, args });
    const h = handlers[op];
    if (!h) throw new Error(`unexpected ${op}`);
    const r = h(args, counts[op]++);
    if (r instanceof Error) throw r;
    return r;
  };
  const api: NamespaceClient = {
    listNamespace: (p) => run('list', p) as ReturnType<NamespaceClient['listNamespace']>,
    readNamespace: (p) => run('read', p) as ReturnType<NamespaceClient['readNamespace']>,
    deleteNamespace: (p) => run('delete', p) as ReturnType<NamespaceClient['deleteNamespace']>,
  };
  return { api, calls };
}

describe('apiStatus', () => {
  it('reads the recorded Status bodies', () => {
    const s403 = apiStatus(apiErr(403, readFixture('k8s/status-403-namespace-terminating.json')));
    expect(s403).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(s403?.causes[0]?.reason).toBe('NamespaceTerminating');
    expect(describeStatus(apiErr(404, readFixture('k8s/status-404-namespace-notfound.json')))).toMatch(
      /^HTTP 404 NotFound: namespaces ".*" not found$/,
    );
    expect(apiStatus(apiErr(503, '<html>bad gateway</html>'))).toMatchObject({ code: 503, reason: '', message: '' });
    expect(apiStatus(apiErr(429, '{}', { 'retry-after': '3' }))?.retryAfterMs).toBe(3000);
    expect(apiStatus(new Error('fetch failed'))).toBeUndefined();
  });
});

describe('withRetries', () => {
  it('retries 429 / 5xx / network errors, bounded, honouring Retry-After', async () => {
    const delays: number[] = [];
    let n = 0;
    const r = await withRetries(
      'x',
      async () => {
        n++;
        if (n === 1) throw apiErr(429, status(429, 'TooManyRequests', 'slow down'), { 'retry-after': '2' });
        if (n === 2) throw apiErr(503, 'unavailable');
        if (n === 3) throw new TypeError('fetch failed');
        return 'ok';
      },
      { ...noSleep, onRetry: (_w, _a, d) => delays.push(d) },
    );
    expect(r).toBe('ok');
    expect(n).toBe(4);
    expect(delays[0]).toBe(2000);
    expect(delays).toHaveLength(3);
  });

  it('gives up after the attempts, naming the last error', async () => {
    let n = 0;
    const err = await withRetries(
      'list namespaces',
      async () => {
        n++;
        throw apiErr(500, status(500, 'InternalError', 'etcdserver: request timed out'));
      },
      { ...noSleep, attempts: 3 },
    ).catch((e: unknown) => e);
    expect(n).toBe(3);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as Error).message).toBe(
      'list namespaces: HTTP 500 InternalError: etcdserver: request timed out (gave up after 3 attempts)',
    );
  });

  it('never retries 403 / 404 / 409', async () => {
    for (const code of [403, 404, 409]) {
      let n = 0;
      await withRetries(
        'x',
        async () => {
          n++;
          throw apiErr(code, '{}');
        },
        noSleep,
      ).catch(() => undefined);
      expect(n).toBe(1);
    }
  });
});

describe("retryDelay: the tools backoff, with the API server's Retry-After", () => {
  const policy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };

  it('is exactly the shared backoffDelay without a Retry-After (equal jitter: half to all of the step)', () => {
    for (const attempt of [1, 2, 3, 6, 10]) {
      for (const r of [0, 0.25, 0.5, 0.999]) {
        expect(retryDelay(attempt, policy, undefined, () => r)).toBe(backoffDelay(attempt, policy, undefined, () => r));
      }
    }
    expect(retryDelay(1, policy, undefined, () => 0)).toBe(125);
    expect(retryDelay(3, policy, undefined, () => 0.5)).toBe(750);
    // capped at maxDelayMs
    expect(retryDelay(10, policy, undefined, () => 0.999)).toBeLessThanOrEqual(8000);
    expect(retryDelay(10, policy, undefined, () => 0)).toBe(4000);
  });

  it('honours Retry-After: at least the base delay, at most four times maxDelayMs, no jitter', () => {
    expect(retryDelay(1, policy, 2000, () => 0.9)).toBe(2000);
    expect(retryDelay(4, policy, 0, () => 0.9)).toBe(250);
    expect(retryDelay(1, policy, 20_000, () => 0)).toBe(20_000);
    expect(retryDelay(1, policy, 120_000, () => 0)).toBe(32_000);
  });

  it('withRetries waits the shared backoff between attempts', async () => {
    const delays: number[] = [];
    let n = 0;
    await withRetries(
      'x',
      async () => {
        if (++n < 4) throw apiErr(503, 'unavailable');
        return 'ok';
      },
      { sleep: async () => {}, random: () => 0, onRetry: (_w, _a, d) => delays.push(d) },
    );
    expect(delays).toEqual([125, 250, 500]);
  });
});

describe('listNamespaces', () => {
  const page1 = fixtureJson<{ metadata: { continue: string }; items: NamespaceItem[] }>(
    'k8s/namespace-list.page1.json',
  );
  const page2 = fixtureJson<{ items: NamespaceItem[] }>('k8s/namespace-list.page2-last.json');
  // client-node maps the JSON `continue` to `_continue`
  const asClient = (p: { metadata?: { continue?: string }; items: NamespaceItem[] }) => ({
    items: p.items,
    metadata: { _continue: p.metadata?.continue },
  });

  it('follows continue tokens to the last page (recorded pages)', async () => {
    const { api, calls } = scripted({ list: (_a, n) => asClient(n === 0 ? page1 : page2) });
    const r = await listNamespaces(api, { limit: 3, labelSelector: 'a=b' });
    expect(r.items.map((i) => i.metadata?.name)).toEqual([...page1.items, ...page2.items].map((i) => i.metadata?.name));
    expect(r.pages).toBe(2);
    expect(calls.map((c) => c.args)).toEqual([
      { labelSelector: 'a=b', limit: 3 },
      { labelSelector: 'a=b', limit: 3, _continue: page1.metadata.continue },
    ]);
  });

  it('restarts from the start on 410 Gone (expired token), without duplicates', async () => {
    const restarts: string[] = [];
    const { api, calls } = scripted({
      list: (_a, n) =>
        n === 1
          ? apiErr(410, status(410, 'Expired', 'The provided continue parameter is too old'))
          : asClient(n % 2 === 0 ? page1 : page2),
    });
    const r = await listNamespaces(api, { limit: 3, onRestart: (w) => restarts.push(w) });
    expect(r.restarts).toBe(1);
    expect(r.items).toHaveLength(5);
    expect(calls[2]?.args).toEqual({ limit: 3 });
    expect(restarts[0]).toMatch(/410 Expired/);
  });

  it('stops restarting after maxRestarts', async () => {
    const { api } = scripted({
      list: (_a, n) => (n % 2 === 1 ? apiErr(410, status(410, 'Expired', 'too old')) : asClient(page1)),
    });
    await expect(listNamespaces(api, { maxRestarts: 2 })).rejects.toMatchObject({ code: 410 });
  });

  it('403 is fatal with the reason', async () => {
    const { api } = scripted({
      list: () =>
        apiErr(403, status(403, 'Forbidden', 'namespaces is forbidden: User "ci" cannot list resource "namespaces"')),
    });
    await expect(listNamespaces(api)).rejects.toThrow(
      /list namespaces is forbidden: HTTP 403 Forbidden: namespaces is forbidden: User "ci" cannot list/,
    );
  });
});

describe('deleteNamespace', () => {
  it('sends the UID precondition and background propagation', async () => {
    const { api, calls } = scripted({ delete: () => ({ status: { phase: 'Terminating' } }) });
    expect(await deleteNamespace(api, 'pr-7', 'uid-7')).toBe('accepted');
    expect(calls[0]?.args).toEqual({
      name: 'pr-7',
      body: { preconditions: { uid: 'uid-7' }, propagationPolicy: 'Background' },
    });
  });

  it('refuses to delete without a UID', async () => {
    const { api, calls } = scripted({});
    await expect(deleteNamespace(api, 'pr-7', '')).rejects.toThrow(/without a UID precondition/);
    expect(calls).toHaveLength(0);
  });

  it.each<[string, () => Error, string]>([
    ['404 is success', () => apiErr(404, readFixture('k8s/status-404-namespace-notfound.json')), 'gone'],
    [
      '409 while terminating is wait',
      () =>
        apiErr(
          409,
          status(
            409,
            'Conflict',
            'Operation cannot be fulfilled on namespaces "pr-7": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
          ),
        ),
      'terminating',
    ],
    [
      '409 conflict (recorded) is wait',
      () => apiErr(409, readFixture('k8s/status-409-namespace-conflict.json')),
      'terminating',
    ],
    [
      '409 precondition failed: another namespace now',
      () =>
        apiErr(
          409,
          status(
            409,
            'Conflict',
            'Operation cannot be fulfilled on namespaces "pr-7": Precondition failed: UID in precondition: uid-7, UID in object meta: uid-8',
          ),
        ),
      'uid-changed',
    ],
  ])('%s', async (_t, mk, outcome) => {
    const { api } = scripted({ delete: () => mk() });
    expect(await deleteNamespace(api, 'pr-7', 'uid-7')).toBe(outcome);
  });

  it('403 is fatal with the API reason, not retried', async () => {
    const { api, calls } = scripted({
      delete: () =>
        apiErr(
          403,
          status(
            403,
            'Forbidden',
            'namespaces "pr-7" is forbidden: User "system:serviceaccount:ci:cleanup" cannot delete resource "namespaces"',
          ),
        ),
    });
    const err = await deleteNamespace(api, 'pr-7', 'u', { ...noSleep }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as Error).message).toMatch(
      /forbidden: HTTP 403 Forbidden: namespaces "pr-7" is forbidden: User "system:serviceaccount:ci:cleanup" cannot delete/,
    );
    expect(calls).toHaveLength(1);
  });

  it('5xx then success is retried', async () => {
    const { api, calls } = scripted({ delete: (_a, n) => (n < 2 ? apiErr(502, 'bad gateway') : {}) });
    expect(await deleteNamespace(api, 'pr-7', 'u', noSleep)).toBe('accepted');
    expect(calls).toHaveLength(3);
  });
});

describe('waitForNamespaceGone', () => {
  const terminating = fixtureJson<NamespaceItem>('k8s/namespace-terminating.json');
  const clock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  it('gone on 404', async () => {
    const { api } = scripted({
      read: (_a, n) => (n < 3 ? terminating : apiErr(404, readFixture('k8s/status-404-namespace-notfound.json'))),
    });
    const r = await waitForNamespaceGone(api, 'preview-pr-42', terminating.metadata?.uid as string, {
      timeoutMs: 60_000,
      ...clock(),
    });
    expect(r.gone).toBe(true);
  });

  it('a namespace with the same name but another UID counts as gone', async () => {
    const { api } = scripted({ read: () => ({ metadata: { name: 'pr-7', uid: 'new' } }) });
    expect((await waitForNamespaceGone(api, 'pr-7', 'old', { timeoutMs: 1000, ...clock() })).gone).toBe(true);
  });

  it('on timeout reports the recorded deletion conditions and finalizers, bounded', async () => {
    const { api, calls } = scripted({ read: () => terminating });
    const r = await waitForNamespaceGone(api, 'preview-pr-42', terminating.metadata?.uid as string, {
      timeoutMs: 30_000,
      ...clock(),
    });
    expect(r.gone).toBe(false);
    if (!r.gone) {
      expect(r.waitedMs).toBeGreaterThanOrEqual(30_000);
      expect(r.phase).toBe('Terminating');
      expect(r.finalizers).toEqual(['kubernetes']);
      expect(r.conditions).toEqual([
        'NamespaceContentRemaining: SomeResourcesRemain (Some resources are remaining: configmaps. has 1 resource instances)',
        'NamespaceFinalizersRemaining: SomeFinalizersRemain (Some content in the namespace has finalizers remaining: example.com/preview-cleanup in 1 resource instances)',
      ]);
    }
    expect(calls.length).toBeLessThan(40);
    expect(blockingConditions({ status: { conditions: [{ type: 'X', status: 'False' }] } })).toEqual([]);
  });
});
