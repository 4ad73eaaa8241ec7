// examples/rbac/preview.yaml on the real API server, proven with SelfSubjectAccessReviews made as the
// preview deployer itself: cluster-wide it may create namespaces and nothing that reads other
// namespaces' Secrets or logs; inside a pr-<N> it created, it gets its rights by binding itself to
// polyglot-cd-preview-namespace (what helm-deploy's namespace-role does; the local PR pipeline runs the
// whole flow with this identity in test/integration/pipeline/pipeline.kube.test.ts).
import { KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindNamespaceRole } from '@polyglot-cd/kube';
import { coreV1, rawApi, serviceAccountKubeconfig } from './harness.js';

const pr = `pr-${7_000_000 + Math.floor(Math.random() * 1_000_000)}`;
let kc: KubeConfig;

async function allowed(attrs: Record<string, string>): Promise<boolean> {
  const r = await rawApi(kc, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: attrs },
  });
  expect(r.status).toBe(201);
  return (r.json as { status?: { allowed?: boolean } }).status?.allowed === true;
}

beforeAll(async () => {
  kc = new KubeConfig();
  kc.loadFromFile(await serviceAccountKubeconfig('preview.yaml', 'preview-deployer', mkdtempSync(join(tmpdir(), 'pcd-rbac-'))));
}, 60_000);

afterAll(async () => {
  await coreV1().deleteNamespace({ name: pr }).catch(() => undefined);
});

describe('examples/rbac/preview.yaml: the preview deployer reads no other namespace', () => {
  it.each([
    ['list Secrets in every namespace', { verb: 'list', resource: 'secrets' }],
    ['get Secrets in default', { verb: 'get', resource: 'secrets', namespace: 'default' }],
    ['get pod logs in kube-system', { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'kube-system' }],
    ['list pods in every namespace', { verb: 'list', resource: 'pods' }],
    ['create a ClusterRoleBinding', { verb: 'create', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' }],
    ['bind another ClusterRole (cluster-admin)', { verb: 'bind', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'cluster-admin' }],
  ])('denied: %s', async (_, attrs) => {
    expect(await allowed(attrs)).toBe(false);
  });

  it('allowed: what the flow needs before it has a namespace (create pr-<N>, bind its own role there)', async () => {
    expect(await allowed({ verb: 'create', resource: 'namespaces' })).toBe(true);
    expect(await allowed({ verb: 'bind', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'polyglot-cd-preview-namespace' })).toBe(true);
  });

  it('in a pr-<N> it created and bound itself to polyglot-cd-preview-namespace: what a deploy needs, there only', async () => {
    const created = await rawApi(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: pr } });
    expect(created.status).toBe(201);
    expect(await allowed({ verb: 'create', resource: 'secrets', namespace: pr })).toBe(false);
    const who = await bindNamespaceRole(kc, pr, 'polyglot-cd-preview-namespace');
    expect(who).toBe('system:serviceaccount:polyglot-cd:preview-deployer');
    for (const [verb, resource, subresource, group] of [
      ['create', 'secrets', '', ''],
      ['create', 'deployments', '', 'apps'],
      ['create', 'jobs', '', 'batch'],
      ['get', 'pods', 'log', ''],
      ['list', 'events', '', ''],
    ] as const) {
      expect(await allowed({ verb, resource, namespace: pr, ...(subresource ? { subresource } : {}), ...(group ? { group } : {}) })).toBe(true);
    }
    // still nothing elsewhere
    expect(await allowed({ verb: 'get', resource: 'secrets', namespace: 'default' })).toBe(false);
    // and the admission policy keeps its writes in pr-<N>: a RoleBinding in default is refused
    const outside = await rawApi(kc, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'polyglot-cd-deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'polyglot-cd-preview-namespace' },
      subjects: [{ kind: 'ServiceAccount', name: 'preview-deployer', namespace: 'polyglot-cd' }],
    });
    expect([403, 422]).toContain(outside.status);
  });
});
