/**
 * Keyless cluster access on the real API server: helm-deploy and pr-namespace-cleanup authenticate with
 * the job's GitHub OIDC token, no kubeconfig at all. The API server runs with the documented
 * authentication configuration (examples/rbac/github-oidc-authentication.yaml, only the issuer swapped
 * for a local one: test/kube/controlplane.ts) and the documented RBAC (examples/rbac/github-oidc.yaml
 * over environment.yaml's Role). Tokens carry GitHub's claims and are handed out by a stand-in of the
 * runner's token service (test/kube/github-oidc.ts).
 */
import { KubernetesObjectApi } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { environmentClaims, startTokenService, type TokenService } from '../../kube/github-oidc.js';
import { coreV1, helmOf, kubeConfig, stackInfo, uniqueName } from '../../kube/harness.js';
import type { ActionsClaims } from '../../sigstore/oidc-issuer.js';

const stack = stackInfo();
const helm = helmOf('4');
const production = uniqueName('oidc-prod');
const created: string[] = [production];
let service: TokenService;

/** Applies an examples/rbac file with its placeholders replaced, as its header tells users to. */
async function applyExample(file: string, replace: Record<string, string>): Promise<void> {
  let text = readFileSync(join(repoRoot, 'examples/rbac', file), 'utf8');
  for (const [k, v] of Object.entries(replace)) text = text.replaceAll(k, v);
  const api = KubernetesObjectApi.makeApiClient(kubeConfig());
  for (const o of parseAllDocuments(text).map((d) => d.toJS() as { kind?: string } | null)) {
    if (!o?.kind) continue;
    await api.create(o as Parameters<typeof api.create>[0]).catch((e: { code?: number }) => {
      if (e.code !== 409) throw e;
    });
  }
}

const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((l) => l.startsWith('::error::'));

async function deploy(claims: ActionsClaims, extra: Record<string, string> = {}, ttlSeconds = 300): Promise<ActionRun> {
  service.claims = claims;
  service.ttlSeconds = ttlSeconds;
  return runBundle(
    'helm-deploy',
    workspace(
      {
        release: 'shop',
        namespace: production,
        'create-namespace': 'false',
        'cluster-oidc-audience': stack.githubOidc.audience,
        'cluster-server': stack.server,
        'cluster-ca': readFileSync(stack.caCert, 'utf8'),
        'helm-version': helm.version,
        'values-files': join(repoRoot, 'charts/app/examples/shop.yaml'),
        values:
          'migrations:\n  enabled: false\ndefaults:\n  terminationGracePeriodSeconds: 2\ncomponents:\n  backend:\n    env:\n      DATABASE_URL: postgres://shop@db/shop\n',
        images: `backend: ${stack.images.web}\nfrontend: ${stack.images.web}`,
        timeout: '90s',
        ...extra,
      },
      { POLYGLOT_CD_HELM_BIN: helm.bin, GITHUB_WORKSPACE: repoRoot, ...service.env },
    ),
    { timeoutMs: 200_000 },
  );
}

async function releaseRecords(namespace: string): Promise<number> {
  return (await coreV1().listNamespacedSecret({ namespace, labelSelector: 'owner=helm,name=shop' })).items.length;
}

beforeAll(async () => {
  await coreV1().createNamespace({ body: { metadata: { name: production } } });
  await applyExample('environment.yaml', { NAMESPACE: production });
  await applyExample('github-oidc.yaml', {
    NAMESPACE: production,
    ENVIRONMENT: 'production',
    REPOSITORY: 'example-org/shop',
  });
  service = await startTokenService(environmentClaims('production'));
}, 60_000);

afterAll(async () => {
  await service?.close();
  await Promise.all(
    created.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

describe("helm-deploy with the job's GitHub OIDC token (no kubeconfig)", () => {
  it('deploys to production as github:repo:example-org/shop:environment:production, and no token reaches a log or output', async () => {
    const run = await deploy(environmentClaims('production'));
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect(run.stdout).toContain(
      "Cluster access: the job's GitHub OIDC token (audience polyglot-cd) as github:repo:example-org/shop:environment:production",
    );
    // one token for the action itself, at least one for helm's credential plugin
    expect(service.issued.length).toBeGreaterThanOrEqual(2);
    expect(service.issued.every((t) => t.audience === 'polyglot-cd')).toBe(true);
    // (the ::add-mask:: commands that register them with the runner aside)
    const visible = run.everything
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const t of service.issued) expect(visible).not.toContain(t.token);
    expect(visible).not.toContain(service.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']);
    expect(await releaseRecords(production)).toBe(1);
  }, 240_000);

  it("keeps working past a token's lifetime: helm asks the plugin for a fresh token while it waits", async () => {
    service.issued.length = 0;
    // 12 s tokens, a rollout that takes more than 20 s (readiness after 20 s)
    const started = Date.now();
    const run = await deploy(
      environmentClaims('production'),
      {
        values:
          'migrations:\n  enabled: false\ndefaults:\n  terminationGracePeriodSeconds: 2\n  probes:\n    readiness:\n      initialDelaySeconds: 20\ncomponents:\n  backend:\n    env:\n      DATABASE_URL: postgres://shop@db/shop\n      ROLLOUT: "2"\n',
      },
      12,
    );
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    expect(Date.now() - started).toBeGreaterThan(20_000);
    // the first token was long expired when the rollout finished: later ones were fetched by helm
    expect(service.issued.length).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it.each([
    [
      'a workflow of another organisation',
      environmentClaims('production', {
        repository: 'evil-org/shop',
        repository_owner: 'evil-org',
        repository_owner_id: '31337',
        sub: 'repo:evil-org/shop:environment:production',
      }),
      /401 Unauthorized/,
    ],
    [
      'a production token from a branch other than main',
      environmentClaims('production', { ref: 'refs/heads/feature' }),
      /401 Unauthorized/,
    ],
  ])(
    'refuses %s before anything is created (the claim rules of the documented configuration)',
    async (_, claims, why) => {
      const before = await releaseRecords(production);
      const run = await deploy(claims);
      expect(run.code).toBe(1);
      expect(errors(run)[0]).toContain(
        `::error::Input "cluster-oidc-audience": the cluster at ${stack.server} does not accept this job's GitHub OIDC token`,
      );
      expect(errors(run)[0]).toMatch(why);
      expect(await releaseRecords(production)).toBe(before);
    },
    120_000,
  );

  it("a pull request's token is a GitHub identity with no rights in production", async () => {
    const before = await releaseRecords(production);
    const run = await deploy(
      environmentClaims('production', {
        sub: 'repo:example-org/shop:pull_request',
        environment: undefined,
        ref: 'refs/pull/7/merge',
        event_name: 'pull_request',
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('as github:repo:example-org/shop:pull_request');
    expect(errors(run).join('\n')).toMatch(/forbidden/i);
    expect(await releaseRecords(production)).toBe(before);
  }, 120_000);

  it('refuses a job without id-token: write before anything is created', async () => {
    const run = await runBundle(
      'helm-deploy',
      workspace(
        {
          release: 'shop',
          namespace: production,
          'create-namespace': 'false',
          'cluster-oidc-audience': 'polyglot-cd',
          'cluster-server': stack.server,
          images: `backend: ${stack.images.web}`,
        },
        { POLYGLOT_CD_HELM_BIN: helm.bin, GITHUB_WORKSPACE: repoRoot },
      ),
    );
    expect(run.code).toBe(1);
    expect(errors(run)[0]).toContain(
      '::error::Input "cluster-oidc-audience": could not get the job\'s GitHub OIDC token',
    );
    expect(errors(run)[0]).toContain('permissions: id-token: write');
  }, 60_000);
});

describe("pr-namespace-cleanup with the job's GitHub OIDC token", () => {
  it("deletes a closed PR's namespace as the pr-cleanup environment's identity", async () => {
    const n = 8_000_000 + Math.floor(Math.random() * 1_000_000);
    const ns = `pr-${n}`;
    created.push(ns);
    await coreV1().createNamespace({
      body: {
        metadata: {
          name: ns,
          labels: {
            'app.kubernetes.io/managed-by': 'polyglot-cd',
            'polyglot-cd/repository-id': '123456789',
            'polyglot-cd/pr': String(n),
          },
        },
      },
    });
    await coreV1()
      .createNamespace({ body: { metadata: { name: 'polyglot-cd' } } })
      .catch((e: { code?: number }) => {
        if (e.code !== 409) throw e;
      });
    await applyExample('cleanup.yaml', {});
    const binding = uniqueName('oidc-cleanup');
    await KubernetesObjectApi.makeApiClient(kubeConfig()).create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: binding },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'polyglot-cd-pr-cleanup' },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'User',
          name: 'github:repo:example-org/shop:environment:pr-cleanup',
        },
      ],
    } as Parameters<KubernetesObjectApi['create']>[0]);
    try {
      service.claims = environmentClaims('pr-cleanup', { ref: 'refs/pull/7/merge', event_name: 'pull_request' });
      service.ttlSeconds = 300;
      const run = await runBundle(
        'pr-namespace-cleanup',
        workspace(
          {
            mode: 'pr',
            'pr-number': String(n),
            'cluster-oidc-audience': stack.githubOidc.audience,
            'cluster-server': stack.server,
            'cluster-ca': readFileSync(stack.caCert, 'utf8'),
            'uninstall-releases': 'false',
            'wait-timeout': '60s',
          },
          { GITHUB_WORKSPACE: repoRoot, ...service.env },
        ),
        { timeoutMs: 120_000 },
      );
      expect(errors(run)).toEqual([]);
      expect(run.stdout).toContain('user github:repo:example-org/shop:environment:pr-cleanup, github-oidc');
      await expect(coreV1().readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
    } finally {
      await KubernetesObjectApi.makeApiClient(kubeConfig())
        .delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: binding } })
        .catch(() => undefined);
    }
  }, 180_000);
});
