// Checks the recorded API fixtures (test/fixtures/k8s)
// against what a real kube-apiserver returns, so unit tests that replay them stay honest. Names are
// substituted; everything else must match exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { coreV1, uniqueName, waitFor } from './harness.js';

const FIXTURES = fixturePath('k8s');

function fixture(file: string, names: Record<string, string>): unknown {
  let text = readFileSync(`${FIXTURES}/${file}`, 'utf8');
  for (const [from, to] of Object.entries(names)) text = text.split(from).join(to);
  return JSON.parse(text);
}

/** The raw Status body of a failed client-node call. */
async function statusOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (e) {
    return JSON.parse(String((e as { body: unknown }).body));
  }
  throw new Error('the call succeeded');
}

describe('recorded k8s fixtures match the real API server', () => {
  const core = coreV1();

  it('404 NotFound, 409 AlreadyExists and 409 Conflict Status bodies', async () => {
    const ns = uniqueName('fixture');
    expect(await statusOf(core.readNamespace({ name: ns }))).toEqual(
      fixture('status-404-namespace-notfound.json', { 'preview-pr-42': ns }),
    );
    expect(await statusOf(core.readNamespacedPod({ name: 'grafana', namespace: 'default' }))).toEqual(
      fixture('status-404-pod-notfound.api-conventions.json', {}),
    );
    const created = await core.createNamespace({ body: { metadata: { name: ns } } });
    try {
      expect(await statusOf(core.createNamespace({ body: { metadata: { name: ns } } }))).toEqual(
        fixture('status-409-namespace-alreadyexists.json', { 'preview-pr-42': ns }),
      );
      await core.replaceNamespace({
        name: ns,
        body: { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } },
      });
      const stale = { ...created, metadata: { ...created.metadata, labels: { a: 'c' } } };
      expect(await statusOf(core.replaceNamespace({ name: ns, body: stale }))).toEqual(
        fixture('status-409-namespace-conflict.json', { 'preview-pr-42': ns }),
      );
    } finally {
      await core.deleteNamespace({ name: ns });
    }
  });

  it('a namespace stuck Terminating on a finalizer, and the 403 NamespaceTerminating Status', async () => {
    const ns = uniqueName('fixture');
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'held', finalizers: ['polyglot-cd.dev/hold'] } },
    });
    await core.deleteNamespace({ name: ns });

    expect(
      await statusOf(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'web-config' } } })),
    ).toEqual(fixture('status-403-namespace-terminating.json', { 'preview-pr-42': ns }));

    const want = fixture('namespace-terminating.json', {}) as {
      spec: unknown;
      status: { phase: string; conditions: { type: string; status: string }[] };
    };
    const got = await waitFor('the namespace controller to report remaining finalizers', async () => {
      const n = await core.readNamespace({ name: ns });
      return n.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True')
        ? n
        : undefined;
    });
    expect(got.spec).toEqual(want.spec);
    expect(got.status?.phase).toBe(want.status.phase);
    expect(got.metadata?.deletionTimestamp).toBeDefined();
    expect(got.status?.conditions?.map((c) => [c.type, c.status])).toEqual(
      want.status.conditions.map((c) => [c.type, c.status]),
    );

    // Release the finalizer: the namespace then goes away.
    const cm = await core.readNamespacedConfigMap({ name: 'held', namespace: ns });
    await core.replaceNamespacedConfigMap({
      name: 'held',
      namespace: ns,
      body: { ...cm, metadata: { ...cm.metadata, finalizers: [] } },
    });
    await waitFor(
      `namespace ${ns} gone`,
      async () =>
        statusOf(core.readNamespace({ name: ns })).then(
          () => true,
          () => false,
        ),
      { timeoutMs: 60_000 },
    );
  });

  it('namespace list paging with limit/continue', async () => {
    const page1Fixture = fixture('namespace-list.page1.json', {}) as { metadata: Record<string, unknown> };
    const page2Fixture = fixture('namespace-list.page2-last.json', {}) as { metadata: Record<string, unknown> };
    const page1 = await core.listNamespace({ limit: 1 });
    expect(page1.items).toHaveLength(1);
    expect(Object.keys(page1.metadata ?? {}).sort()).toEqual(['_continue', 'remainingItemCount', 'resourceVersion']);
    expect(Object.keys(page1Fixture.metadata).sort()).toEqual(['continue', 'remainingItemCount', 'resourceVersion']);
    const total = 1 + (page1.metadata?.remainingItemCount ?? 0);
    const last = await core.listNamespace({ limit: total, _continue: page1.metadata?._continue });
    expect(last.metadata?._continue).toBeUndefined();
    expect(last.metadata?.resourceVersion).toBe(page1.metadata?.resourceVersion);
    expect(Object.keys(page2Fixture.metadata)).toEqual(['resourceVersion']);
  });
});
