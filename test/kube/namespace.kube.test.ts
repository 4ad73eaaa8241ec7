import { describe, expect, it } from 'vitest';
import { coreV1, uniqueName, waitFor } from './harness.js';

function status(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? (err as { code: number }).code : undefined;
}

describe('control plane: namespaces', () => {
  it('creates a labelled namespace, finds it by label selector, and deletes it through Terminating', async () => {
    const core = coreV1();
    const name = uniqueName('pr');
    const run = uniqueName('run');
    const labels = { 'app.kubernetes.io/managed-by': 'polyglot-cd', 'polyglot-cd.dev/test-run': run };

    const created = await core.createNamespace({ body: { metadata: { name, labels } } });
    expect(created.metadata?.labels).toMatchObject(labels);
    expect(created.status?.phase).toBe('Active');

    const listed = await core.listNamespace({
      labelSelector: `polyglot-cd.dev/test-run=${run},app.kubernetes.io/managed-by=polyglot-cd`,
    });
    expect(listed.items.map((n) => n.metadata?.name)).toEqual([name]);

    // Content makes the namespace controller do real work before it removes the finalizer.
    await core.createNamespacedConfigMap({
      namespace: name,
      body: { metadata: { name: 'content' }, data: { a: 'b' } },
    });

    await core.deleteNamespace({ name });
    const terminating = await core.readNamespace({ name });
    expect(terminating.status?.phase).toBe('Terminating');
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    expect(terminating.spec?.finalizers).toEqual(['kubernetes']);

    // Deleting again is accepted while it terminates; new content is refused with NamespaceTerminating.
    await expect(
      core.createNamespacedConfigMap({ namespace: name, body: { metadata: { name: 'late' } } }),
    ).rejects.toMatchObject({ code: 403 });

    await waitFor(
      `namespace ${name} to be gone`,
      async () => {
        try {
          await core.readNamespace({ name });
          return false;
        } catch (e) {
          if (status(e) === 404) return true;
          throw e;
        }
      },
      { timeoutMs: 60_000 },
    );
    const after = await core.listNamespace({ labelSelector: `polyglot-cd.dev/test-run=${run}` });
    expect(after.items).toEqual([]);
  });
});
