// packages/kube namespaces.ts against the real API server: what the server really answers for a
// wrong UID precondition, a missing namespace, a second delete, paging, and an identity without the
// delete permission (RBAC 403 with the API's reason).
import { afterAll, describe, expect, it } from 'vitest';
import { Secrets } from '@polyglot-cd/action-kit';
import {
  deleteNamespace,
  KubeApiError,
  listNamespaces,
  loadKubeconfig,
  namespaceClient,
  waitForNamespaceGone,
  type NamespaceClient,
} from '@polyglot-cd/kube';
import { coreV1, uniqueName } from '../../kube/harness.js';
import { limitedIdentity } from './limited-identity.js';

const core = coreV1();
const api = core as unknown as NamespaceClient;
const made: string[] = [];
async function make(name: string, labels: Record<string, string> = {}) {
  made.push(name);
  return core.createNamespace({ body: { metadata: { name, labels } } });
}
afterAll(async () => {
  await Promise.all(made.map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
});

describe('namespaces against the real API server', () => {
  it('a wrong UID precondition is refused by the server and reported as uid-changed; nothing is deleted', async () => {
    const name = uniqueName('pcd-uid');
    await make(name);
    expect(await deleteNamespace(api, name, '00000000-0000-0000-0000-000000000000')).toBe('uid-changed');
    expect((await core.readNamespace({ name })).status?.phase).toBe('Active');
  });

  it('the right UID deletes; deleting again is accepted or terminating; then it is gone; then 404 is success', async () => {
    const name = uniqueName('pcd-del');
    const ns = await make(name);
    const uid = ns.metadata?.uid as string;
    expect(await deleteNamespace(api, name, uid)).toBe('accepted');
    expect(['accepted', 'terminating', 'gone']).toContain(await deleteNamespace(api, name, uid));
    const w = await waitForNamespaceGone(api, name, uid, { timeoutMs: 90_000 });
    expect(w.gone).toBe(true);
    expect(await deleteNamespace(api, name, uid)).toBe('gone');
  });

  it('pages with a small limit and sees every namespace once', async () => {
    const label = uniqueName('page');
    await Promise.all(Array.from({ length: 7 }, (_, i) => make(`${label}-${i}`, { 'pcd-test/page': label })));
    const r = await listNamespaces(api, { labelSelector: `pcd-test/page=${label}`, limit: 2 });
    expect(r.items.map((n) => n.metadata?.name).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `${label}-${i}`));
    expect(r.pages).toBeGreaterThanOrEqual(4);
  });

  it('an identity without delete permission gets a fatal 403 with the API reason', async () => {
    // a service account that may list and get namespaces, not delete them
    const home = uniqueName('pcd-sa-home');
    await make(home);
    const who = await limitedIdentity(core, home, [{ resources: ['namespaces'], verbs: ['get', 'list'] }]);
    try {
      const text = who.kubeconfig;
      const access = await loadKubeconfig(text, { allowExecAuth: false, secrets: new Secrets() });
      const limited = await namespaceClient(access.kubeConfig);
      const victim = uniqueName('pcd-victim');
      const ns = await make(victim);
      // reading works, deleting is forbidden
      expect((await listNamespaces(limited, { limit: 500 })).items.length).toBeGreaterThan(0);
      const err = await deleteNamespace(limited, victim, ns.metadata?.uid as string).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeApiError);
      expect((err as KubeApiError).status?.code).toBe(403);
      expect((err as Error).message).toMatch(
        new RegExp(
          `delete namespace ${victim} is forbidden: HTTP 403 Forbidden: namespaces "${victim}" is forbidden: User "${who.user}" cannot delete resource "namespaces"`,
        ),
      );
      expect((await core.readNamespace({ name: victim })).status?.phase).toBe('Active');
    } finally {
      await who.remove();
    }
  });
});
