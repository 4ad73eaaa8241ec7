// The ValidatingAdmissionPolicies of examples/rbac on the real API server, applied as the README tells
// users to (serviceAccountKubeconfig applies each file whole: RBAC, policy, binding). Every request is
// made with the identity the policy is about (the ServiceAccount its matchCondition names, through a
// TokenRequest token), so RBAC allows it and only the policy decides: for each policy, what it must
// allow, what it must deny with the policy's own message, and that it leaves other identities alone.
// A denial is HTTP 422 with reason Invalid (the validations set no `reason`), although its message
// says `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy '…' … denied request: <message>`.
import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindNamespaceRole } from '@polyglot-cd/kube';
import { coreV1, kubeConfig, rawApi, serviceAccountKubeconfig, uniqueName, waitFor } from './harness.js';

/** Every document of a YAML stream as plain values; the first syntax error is thrown. */
function parseAll(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors[0]) throw doc.errors[0];
    return doc.toJS() as unknown;
  });
}

const rbacDir = fileURLToPath(new URL('../../examples/rbac/', import.meta.url));

interface Policy {
  file: string;
  name: string;
  /** the ServiceAccount `polyglot-cd/<sa>` its matchCondition is about */
  sa: string;
  messages: string[];
  binding?: { name: string; validationActions: string[] };
}

/** Every ValidatingAdmissionPolicy of examples/rbac, with its binding and the identity it matches. */
function examplePolicies(): Policy[] {
  const policies: Policy[] = [];
  for (const file of readdirSync(rbacDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const docs = parseAll(readFileSync(join(rbacDir, file), 'utf8')) as ({
      kind?: string;
      metadata: { name: string };
      spec: Record<string, unknown>;
    } | null)[];
    for (const d of docs) {
      if (d?.kind !== 'ValidatingAdmissionPolicy') continue;
      const spec = d.spec as { matchConditions?: { expression: string }[]; validations: { message: string }[] };
      const identities = (spec.matchConditions ?? []).map(
        (c) =>
          /^request\.userInfo\.username == 'system:serviceaccount:polyglot-cd:([a-z0-9-]+)'$/.exec(c.expression)?.[1],
      );
      if (identities.length !== 1 || !identities[0]) {
        throw new Error(
          `${file}: policy ${d.metadata.name} should match exactly one polyglot-cd ServiceAccount by username`,
        );
      }
      const binding = docs.find(
        (b) => b?.kind === 'ValidatingAdmissionPolicyBinding' && b.spec['policyName'] === d.metadata.name,
      );
      policies.push({
        file,
        name: d.metadata.name,
        sa: identities[0],
        messages: spec.validations.map((v) => v.message),
        ...(binding
          ? {
              binding: {
                name: binding.metadata.name,
                validationActions: binding.spec['validationActions'] as string[],
              },
            }
          : {}),
      });
    }
  }
  return policies;
}

interface Reply {
  status: number;
  body: { kind?: string; reason?: string; message?: string; code?: number; metadata?: { name?: string } };
}

/** A raw JSON call as the kubeconfig's user: the status code and body exactly as the server sent them. */
async function call(kc: KubeConfig, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Reply> {
  const r = await rawApi(kc, method, path, body);
  return { status: r.status, body: (r.json ?? {}) as Reply['body'] };
}

const prName = (): string => `pr-${randomInt(100_000_000, 999_999_999)}`;
const namespaceBody = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const configMapBody = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

const policies = examplePolicies();
const policy = (name: string): Policy => {
  const p = policies.find((x) => x.name === name);
  if (!p)
    throw new Error(
      `examples/rbac has no ValidatingAdmissionPolicy ${name} (have: ${policies.map((x) => x.name).join(', ')})`,
    );
  return p;
};
/** What the API server answers when `p`'s validation `i` denies a request. */
const denial = (p: Policy, i: number) =>
  `ValidatingAdmissionPolicy '${p.name}' with binding '${p.binding?.name}' denied request: ${p.messages[i]}`;

const work = mkdtempSync(join(tmpdir(), 'pcd-admission-'));
const created: string[] = [];
const kcOf: Record<string, KubeConfig> = {};
let admin: KubeConfig;

/** A namespace made by the cluster admin (the test's own fixture). */
async function adminNamespace(name: string, labels: Record<string, string> = {}): Promise<string> {
  created.push(name);
  await coreV1().createNamespace({ body: { metadata: { name, labels } } });
  return name;
}

async function namespaceExists(name: string): Promise<boolean> {
  const r = await call(admin, 'GET', `/api/v1/namespaces/${name}`);
  if (r.status === 404) return false;
  if (r.status === 200) return true;
  throw new Error(`GET namespace ${name}: HTTP ${r.status} ${r.body.message}`);
}

beforeAll(async () => {
  admin = kubeConfig();
  // preview.yaml first: it makes the polyglot-cd namespace the other ServiceAccounts live in
  const files = [...new Set(policies.map((p) => p.file))].sort((a, b) =>
    a === 'preview.yaml' ? -1 : b === 'preview.yaml' ? 1 : a.localeCompare(b),
  );
  for (const file of files) {
    for (const p of policies.filter((x) => x.file === file)) {
      const kc = new KubeConfig();
      kc.loadFromFile(await serviceAccountKubeconfig(file, p.sa, work));
      kcOf[p.name] = kc;
    }
  }
  // A new policy takes a moment to reach the API server's admission plugin: wait until each one denies a
  // request it must deny (a dry run, so nothing happens while it is not in effect yet).
  const probe = uniqueName('vap-probe');
  await adminNamespace(probe);
  for (const p of policies) {
    const dry =
      p.name === 'polyglot-cd-cleanup-guard'
        ? ['DELETE', `/api/v1/namespaces/${probe}?dryRun=All`]
        : ['POST', '/api/v1/namespaces?dryRun=All', namespaceBody(uniqueName('vap-probe'))];
    await waitFor(
      `policy ${p.name} in effect`,
      async () => (await call(kcOf[p.name]!, dry[0] as 'POST' | 'DELETE', dry[1] as string, dry[2])).status === 422,
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(
    created.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

it('examples/rbac: every policy matches one ServiceAccount, has a Deny binding, and is tested below', () => {
  expect(policies.map((p) => p.name).sort()).toEqual([
    'polyglot-cd-cleanup-guard',
    'polyglot-cd-preview-only-pr-namespaces',
  ]);
  for (const p of policies) expect(p.binding?.validationActions).toEqual(['Deny']);
});

it("the requests below are really made as each policy's ServiceAccount", async () => {
  for (const p of policies) {
    const r = await call(kcOf[p.name]!, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    expect(r.status).toBe(201);
    expect((r.body as { status?: { userInfo?: { username?: string } } }).status?.userInfo?.username).toBe(
      `system:serviceaccount:polyglot-cd:${p.sa}`,
    );
  }
});

describe('polyglot-cd-preview-only-pr-namespaces (preview.yaml): the preview deployer writes only in pr-<N>', () => {
  const p = policy('polyglot-cd-preview-only-pr-namespaces');
  const as = () => kcOf[p.name]!;

  it('allows creating a pr-<N> namespace and objects inside it', async () => {
    const ns = prName();
    created.push(ns);
    const r = await call(
      as(),
      'POST',
      '/api/v1/namespaces',
      namespaceBody(ns, { 'app.kubernetes.io/managed-by': 'polyglot-cd' }),
    );
    expect(r.status).toBe(201);
    expect(r.body.metadata?.name).toBe(ns);
    // its rights inside come from the RoleBinding it makes there (helm-deploy's namespace-role)
    await bindNamespaceRole(as(), ns, 'polyglot-cd-preview-namespace');
    const cm = await call(as(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMapBody('shop-config'));
    expect(cm.status).toBe(201);
    expect(await namespaceExists(ns)).toBe(true);
  });

  it("denies creating any other namespace, with the policy's message", async () => {
    for (const name of [uniqueName('staging'), 'pr-0123', `pr-${randomInt(1, 9)}0000000000`]) {
      created.push(name); // only if the policy failed to deny it
      const r = await call(as(), 'POST', '/api/v1/namespaces', namespaceBody(name));
      expect(r.status, name).toBe(422);
      expect(r.body.reason).toBe('Invalid');
      expect(r.body.message).toBe(`namespaces "${name}" is forbidden: ${denial(p, 0)}`);
      expect(await namespaceExists(name)).toBe(false);
    }
  });

  it('denies writing inside a namespace not named pr-<N>', async () => {
    const ns = await adminNamespace(uniqueName('production'));
    // RBAC lets it create RoleBindings anywhere (to bind itself inside the pr-<N> it creates): the
    // policy is what keeps it from granting itself rights in any other namespace
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'polyglot-cd-deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'polyglot-cd-preview-namespace' },
      subjects: [{ kind: 'ServiceAccount', name: 'preview-deployer', namespace: 'polyglot-cd' }],
    };
    const r = await call(as(), 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, binding);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.message).toBe(
      `rolebindings.rbac.authorization.k8s.io "polyglot-cd-deployer" is forbidden: ${denial(p, 0)}`,
    );
    expect(
      (
        await call(
          admin,
          'GET',
          `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/polyglot-cd-deployer`,
        )
      ).status,
    ).toBe(404);
    // and without a binding there it has no rights at all (RBAC answers first)
    expect((await call(as(), 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMapBody('shop-config'))).status).toBe(
      403,
    );
    // the policy is about the preview deployer only: the cluster admin may
    expect(
      (await call(admin, 'POST', `/api/v1/namespaces/${ns}/configmaps?dryRun=All`, configMapBody('shop-config')))
        .status,
    ).toBe(201);
  });
});

describe("polyglot-cd-cleanup-guard (cleanup.yaml): the cleanup identity deletes only polyglot-cd's pr-<N> namespaces", () => {
  const p = policy('polyglot-cd-cleanup-guard');
  const as = () => kcOf[p.name]!;
  const owned = { 'app.kubernetes.io/managed-by': 'polyglot-cd' };

  it('allows deleting a pr-<N> namespace labelled app.kubernetes.io/managed-by=polyglot-cd', async () => {
    const ns = await adminNamespace(prName(), owned);
    const r = await call(as(), 'DELETE', `/api/v1/namespaces/${ns}`);
    expect(r.status).toBe(200);
    await waitFor(`namespace ${ns} gone`, async () => !(await namespaceExists(ns)), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
  });

  it('denies deleting a pr-<N> namespace without the label, or a labelled namespace with another name', async () => {
    const unlabelled = await adminNamespace(prName());
    const misnamed = await adminNamespace(uniqueName('staging'), owned);
    for (const ns of [unlabelled, misnamed]) {
      const r = await call(as(), 'DELETE', `/api/v1/namespaces/${ns}`);
      expect(r.status, ns).toBe(422);
      expect(r.body.reason).toBe('Invalid');
      expect(r.body.message).toBe(`namespaces "${ns}" is forbidden: ${denial(p, 0)}`);
      const after = await coreV1().readNamespace({ name: ns });
      expect(after.metadata?.deletionTimestamp).toBeUndefined();
    }
    // the policy is about the cleanup identity only: the cluster admin may
    expect((await call(admin, 'DELETE', `/api/v1/namespaces/${unlabelled}?dryRun=All`)).status).toBe(200);
  });

  it('allows changing objects inside pr-<N> once it bound itself there, denies binding itself anywhere else', async () => {
    const inside = await adminNamespace(prName(), owned);
    const outside = await adminNamespace(uniqueName('production'));
    for (const ns of [inside, outside])
      await coreV1().createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'sh.helm.release.v1.shop.v1' }, data: { k: 'v' } },
      });
    // no cluster-wide rights inside namespaces: RBAC says no before admission is asked
    expect(
      (await call(as(), 'DELETE', `/api/v1/namespaces/${inside}/configmaps/sh.helm.release.v1.shop.v1`)).status,
    ).toBe(403);
    // what pr-namespace-cleanup's namespace-role does, then the delete goes through
    await bindNamespaceRole(as(), inside, 'polyglot-cd-pr-cleanup-namespace', {
      bindingName: 'polyglot-cd-cleanup',
      check: { verb: 'delete', resource: 'secrets' },
    });
    const ok = await call(as(), 'DELETE', `/api/v1/namespaces/${inside}/configmaps/sh.helm.release.v1.shop.v1`);
    expect(ok.status).toBe(200);
    // binding itself outside pr-<N> is what RBAC would allow and the policy refuses
    const bind = await call(as(), 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${outside}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'polyglot-cd-cleanup' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'polyglot-cd-pr-cleanup-namespace' },
      subjects: [{ kind: 'ServiceAccount', name: 'pr-cleanup', namespace: 'polyglot-cd' }],
    });
    expect(bind.status).toBe(422);
    expect(bind.body.reason).toBe('Invalid');
    expect(bind.body.message).toBe(
      `rolebindings.rbac.authorization.k8s.io "polyglot-cd-cleanup" is forbidden: ${denial(p, 1)}`,
    );
    expect(
      (await call(as(), 'DELETE', `/api/v1/namespaces/${outside}/configmaps/sh.helm.release.v1.shop.v1`)).status,
    ).toBe(403);
    expect(
      (await call(admin, 'GET', `/api/v1/namespaces/${inside}/configmaps/sh.helm.release.v1.shop.v1`)).status,
    ).toBe(404);
    expect(
      (await call(admin, 'GET', `/api/v1/namespaces/${outside}/configmaps/sh.helm.release.v1.shop.v1`)).status,
    ).toBe(200);
  });
});
