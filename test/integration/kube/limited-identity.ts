// A real, limited identity on the test control plane: a ServiceAccount bound to a ClusterRole with
// only the verbs given, and a kubeconfig (token + the cluster's CA) for it. For 403 tests.
import { RbacAuthorizationV1Api, type CoreV1Api } from '@kubernetes/client-node';
import { kubeConfig, uniqueName, waitFor } from '../../kube/harness.js';

export interface LimitedIdentity {
  user: string;
  kubeconfig: string;
  remove(): Promise<void>;
}

export async function limitedIdentity(core: CoreV1Api, home: string, rules: { resources: string[]; verbs: string[] }[]): Promise<LimitedIdentity> {
  const sa = uniqueName('pcd-limited');
  await core.createNamespacedServiceAccount({ namespace: home, body: { metadata: { name: sa } } });
  const rbac = kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({ body: { metadata: { name: sa }, rules: rules.map((r) => ({ apiGroups: [''], ...r })) } });
  await rbac.createClusterRoleBinding({
    body: { metadata: { name: sa }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sa }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: home }] },
  });
  const token = await waitFor('the service account token', async () => {
    const s = await core.readNamespacedServiceAccount({ namespace: home, name: sa });
    const secretName = s.secrets?.[0]?.name;
    if (!secretName) return undefined;
    const secret = await core.readNamespacedSecret({ namespace: home, name: secretName });
    return secret.data?.['token'] ? Buffer.from(secret.data['token'], 'base64').toString('utf8') : undefined;
  }, { timeoutMs: 60_000 });
  const cluster = kubeConfig().getCurrentCluster();
  return {
    user: `system:serviceaccount:${home}:${sa}`,
    kubeconfig: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: cluster?.server, 'certificate-authority-data': cluster?.caData } }],
      users: [{ name: sa, user: { token } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: sa } }],
      'current-context': 'c',
    }),
    async remove() {
      await rbac.deleteClusterRoleBinding({ name: sa }).catch(() => undefined);
      await rbac.deleteClusterRole({ name: sa }).catch(() => undefined);
    },
  };
}
