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
import { coreV1, rawApi, serviceAccountKubeconfig, waitFor } from './harness.js';

const pr = `pr-${7_000_000 + Math.floor(Math.random() * 1_000_000)}`;
let kc: KubeConfig;

/** A SelfSubjectAccessReview made as `as`: may this identity do that? */
async function reviewAs(as: KubeConfig, attrs: Record<string, string>): Promise<boolean> {
  const r = await rawApi(as, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: attrs },
  });
  expect(r.status).toBe(201);
  return (r.json as { status?: { allowed?: boolean } }).status?.allowed === true;
}

const allowed = (attrs: Record<string, string>): Promise<boolean> => reviewAs(kc, attrs);

beforeAll(async () => {
  kc = new KubeConfig();
  kc.loadFromFile(
    await serviceAccountKubeconfig('preview.yaml', 'preview-deployer', mkdtempSync(join(tmpdir(), 'pcd-rbac-'))),
  );
}, 60_000);

afterAll(async () => {
  await coreV1()
    .deleteNamespace({ name: pr })
    .catch(() => undefined);
});

describe('examples/rbac/preview.yaml: the preview deployer reads no other namespace', () => {
  it.each([
    ['list Secrets in every namespace', { verb: 'list', resource: 'secrets' }],
    ['get Secrets in default', { verb: 'get', resource: 'secrets', namespace: 'default' }],
    ['get pod logs in kube-system', { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'kube-system' }],
    ['list pods in every namespace', { verb: 'list', resource: 'pods' }],
    [
      'create a ClusterRoleBinding',
      { verb: 'create', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' },
    ],
    [
      'bind another ClusterRole (cluster-admin)',
      { verb: 'bind', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'cluster-admin' },
    ],
  ])('denied: %s', async (_, attrs) => {
    expect(await allowed(attrs)).toBe(false);
  });

  it('allowed: what the flow needs before it has a namespace (create pr-<N>, bind its own role there)', async () => {
    expect(await allowed({ verb: 'create', resource: 'namespaces' })).toBe(true);
    expect(
      await allowed({
        verb: 'bind',
        resource: 'clusterroles',
        group: 'rbac.authorization.k8s.io',
        name: 'polyglot-cd-preview-namespace',
      }),
    ).toBe(true);
  });

  it('in a pr-<N> it created and bound itself to polyglot-cd-preview-namespace: what a deploy needs, there only', async () => {
    const created = await rawApi(kc, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: pr },
    });
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
      expect(
        await allowed({
          verb,
          resource,
          namespace: pr,
          ...(subresource ? { subresource } : {}),
          ...(group ? { group } : {}),
        }),
      ).toBe(true);
    }
    // still nothing elsewhere
    expect(await allowed({ verb: 'get', resource: 'secrets', namespace: 'default' })).toBe(false);
    // and the admission policy keeps its writes in pr-<N>: a RoleBinding in default is refused. (RBAC
    // alone would allow it: the policy is what stops it, so the check waits until a policy this file
    // may just have created is in effect, with dry runs, before the real request.)
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'polyglot-cd-deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'polyglot-cd-preview-namespace' },
      subjects: [{ kind: 'ServiceAccount', name: 'preview-deployer', namespace: 'polyglot-cd' }],
    };
    const path = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings';
    await waitFor(
      'the preview policy in effect',
      async () => (await rawApi(kc, 'POST', `${path}?dryRun=All`, binding)).status === 422,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const outside = await rawApi(kc, 'POST', path, binding);
    expect(outside.status).toBe(422);
  });
});

describe('examples/rbac/cleanup.yaml: the cleanup identity reads no Secrets outside the pr-<N> it deletes', () => {
  let cleanup: KubeConfig;
  const target = `pr-${8_000_000 + Math.floor(Math.random() * 1_000_000)}`;
  const as = (attrs: Record<string, string>): Promise<boolean> => reviewAs(cleanup, attrs);

  beforeAll(async () => {
    cleanup = new KubeConfig();
    cleanup.loadFromFile(
      await serviceAccountKubeconfig('cleanup.yaml', 'pr-cleanup', mkdtempSync(join(tmpdir(), 'pcd-rbac-'))),
    );
    await coreV1().createNamespace({
      body: { metadata: { name: target, labels: { 'app.kubernetes.io/managed-by': 'polyglot-cd' } } },
    });
  }, 60_000);

  afterAll(async () => {
    await coreV1()
      .deleteNamespace({ name: target })
      .catch(() => undefined);
  });

  it.each([
    ['list Secrets in every namespace', { verb: 'list', resource: 'secrets' }],
    ['get Secrets in default', { verb: 'get', resource: 'secrets', namespace: 'default' }],
    ['get pod logs in kube-system', { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'kube-system' }],
    ['delete Deployments in default', { verb: 'delete', resource: 'deployments', group: 'apps', namespace: 'default' }],
    [
      'bind another ClusterRole (cluster-admin)',
      { verb: 'bind', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', name: 'cluster-admin' },
    ],
  ])('denied: %s', async (_, attrs) => {
    expect(await as(attrs)).toBe(false);
  });

  it('allowed: find and delete namespaces, bind its own role; inside a pr-<N> after binding, what helm uninstall needs, there only', async () => {
    expect(await as({ verb: 'list', resource: 'namespaces' })).toBe(true);
    expect(await as({ verb: 'delete', resource: 'namespaces' })).toBe(true);
    expect(await as({ verb: 'delete', resource: 'secrets', namespace: target })).toBe(false);
    const who = await bindNamespaceRole(cleanup, target, 'polyglot-cd-pr-cleanup-namespace', {
      bindingName: 'polyglot-cd-cleanup',
      check: { verb: 'delete', resource: 'secrets' },
    });
    expect(who).toBe('system:serviceaccount:polyglot-cd:pr-cleanup');
    for (const [verb, resource, group] of [
      ['list', 'secrets', ''],
      ['delete', 'secrets', ''],
      ['delete', 'deployments', 'apps'],
      ['delete', 'jobs', 'batch'],
    ] as const) {
      expect(await as({ verb, resource, namespace: target, ...(group ? { group } : {}) })).toBe(true);
    }
    expect(await as({ verb: 'get', resource: 'secrets', namespace: 'default' })).toBe(false);
  });
});
