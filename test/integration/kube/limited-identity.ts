// A real, limited identity on the test control plane: a ServiceAccount bound to a ClusterRole with
// only the verbs given, and a kubeconfig (token + the cluster's CA) for it. For 403 tests.
import { RbacAuthorizationV1Api, type CoreV1Api } from '@kubernetes/client-node';
import { registerSecret } from '../../helpers/canary.js';
import { kubeConfig, uniqueName, waitFor } from '../../kube/harness.js';

export interface LimitedIdentity {
  user: string;
  kubeconfig: string;
  remove(): Promise<void>;
}

export async function limitedIdentity(
  core: CoreV1Api,
  home: string,
  rules: { resources: string[]; verbs: string[] }[],
): Promise<LimitedIdentity> {
  const sa = uniqueName('pcd-limited');
  await core.createNamespacedServiceAccount({ namespace: home, body: { metadata: { name: sa } } });
  const rbac = kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  await rbac.createClusterRole({
    body: { metadata: { name: sa }, rules: rules.map((r) => ({ apiGroups: [''], ...r })) },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: sa },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sa },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: home }],
    },
  });
  // Kubernetes >= 1.24 makes no token Secrets: ask the TokenRequest API (1 h)
  const token = await waitFor(
    'the service account token',
    async () => {
      const r = await core.createNamespacedServiceAccountToken({
        namespace: home,
        name: sa,
        body: { spec: { audiences: [], expirationSeconds: 3600 } },
      });
      return r.status?.token;
    },
    { timeoutMs: 60_000 },
  );
  // a secret canary (test/README.md): it must show nowhere the suite captures
  registerSecret(`service-account token of ${sa}`, token);
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
