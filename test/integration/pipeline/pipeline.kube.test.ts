/**
 * End to end: `polyglot-cd pipeline pr` runs .github/workflows/pr-preview.yml on examples/shop with the
 * real bundles: buildah builds both components from the busybox base image, pushes them to a real local
 * registry (docker-registry), helm-deploy installs charts/app into pr-<N> on the test control plane,
 * teams-notify posts to the pipeline's Teams sink. Then a second run upgrades in place, and
 * `polyglot-cd pipeline cleanup` (pr-cleanup.yml) removes the namespace. Deploy and cleanup run as the
 * ServiceAccounts of examples/rbac (the RBAC the README tells users to grant), not as cluster admin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { appsV1, coreV1, helm, kubeConfig, kubeconfigPath, waitFor } from '../../kube/harness.js';

const cache = mkdtempSync(join(tmpdir(), 'pcd-pipeline-e2e-'));
const pr = String(randomInt(100_000, 999_999));
const ns = `pr-${pr}`;
const shop = join(repoRoot, 'examples', 'shop');
const hasTrivy = spawnSync('sh', ['-c', 'command -v trivy']).status === 0;

/**
 * Applies the RBAC the README documents (examples/rbac/*.yaml, without the admission policies,
 * which test/kube/admission tests cover) and returns a kubeconfig for the ServiceAccount,
 * so the pipeline runs with exactly the rights we tell users to grant, not as cluster admin.
 */
async function serviceAccountKubeconfig(file: string, sa: string): Promise<string> {
  const objects = (loadAll(readFileSync(join(repoRoot, 'examples', 'rbac', file), 'utf8')) as KubernetesObject[]).filter((o) => o && !/AdmissionPolicy/.test(o.kind ?? ''));
  const api = KubernetesObjectApi.makeApiClient(kubeConfig());
  for (const o of objects) {
    try {
      await api.create(o);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
  // Kubernetes >= 1.24 makes no token Secrets: ask the TokenRequest API (1 h)
  const token = await waitFor(`a token for ${sa}`, async () => {
    const r = await coreV1().createNamespacedServiceAccountToken({ name: sa, namespace: 'polyglot-cd', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    return r.status?.token;
  });
  const admin = kubeConfig().getCurrentCluster();
  const ca = admin?.caData;
  const path = join(cache, `${sa}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${admin?.server}\n    certificate-authority-data: ${ca}\nusers:\n- name: ${sa}\n  user:\n    token: ${token}\ncontexts:\n- name: c\n  context: {cluster: c, user: ${sa}}\ncurrent-context: c\n`,
    { mode: 0o600 },
  );
  return path;
}

let previewKubeconfig = '';
let cleanupKubeconfig = '';
beforeAll(async () => {
  previewKubeconfig = await serviceAccountKubeconfig('preview.yaml', 'preview-deployer');
  cleanupKubeconfig = await serviceAccountKubeconfig('cleanup.yaml', 'pr-cleanup');
});

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(repoRoot, 'bin', 'polyglot-cd.mjs'), ...args], {
      cwd: shop,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/root',
        NO_COLOR: '1',
        POLYGLOT_CD_CACHE: cache, // a registry and container store of this test's own
        POLYGLOT_CD_KUBECONFIG: kubeconfigPath(),
      },
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

function registryHost(): string {
  return (JSON.parse(readFileSync(join(cache, 'pipeline', 'registry', 'state.json'), 'utf8')) as { host: string }).host;
}

/** the digest the registry has for a tag (skopeo: the independent witness) */
function registryDigest(ref: string): string {
  const r = spawnSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8', env: { ...process.env, CONTAINERS_STORAGE_CONF: join(cache, 'pipeline', 'containers', 'storage.conf') } });
  if (r.status !== 0) throw new Error(`skopeo inspect ${ref}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { Digest: string }).Digest;
}

async function deployedImages(): Promise<Record<string, string>> {
  const list = await appsV1().listNamespacedDeployment({ namespace: ns });
  return Object.fromEntries(list.items.map((d) => [d.metadata?.labels?.['app.kubernetes.io/component'] ?? d.metadata?.name ?? '', d.spec?.template.spec?.containers[0]?.image ?? '']));
}

afterAll(() => {
  const state = join(cache, 'pipeline', 'registry', 'state.json');
  if (existsSync(state)) {
    const { pid } = JSON.parse(readFileSync(state, 'utf8')) as { pid?: number };
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  rmSync(cache, { recursive: true, force: true });
});

describe('polyglot-cd pipeline pr on examples/shop', () => {
  let firstUid = '';
  let firstImages: Record<string, string> = {};

  it('builds, pushes, deploys into pr-<N> and posts the card', async () => {
    const r = await cli(['pipeline', 'pr', '--pr', pr, '--kubeconfig', previewKubeconfig]);
    expect(r.code, r.out).toBe(0);
    const host = registryHost();

    // the digests in the registry are the ones deployed, by digest
    const images = await deployedImages();
    for (const c of ['backend', 'frontend']) {
      const digest = registryDigest(`${host}/shop/${c}:pr-${pr}`);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(Object.values(images)).toContain(`${host}/shop/${c}@${digest}`);
      expect(r.out).toContain(`${c}: ${host}/shop/${c}@${digest}`); // the card's facts
    }
    expect(Object.keys(images)).toHaveLength(2);
    firstImages = images;

    const status = JSON.parse((await helm(['status', 'shop', '-n', ns, '-o', 'json'])).stdout) as { version: number; info: { status: string } };
    expect(status).toMatchObject({ version: 1, info: { status: 'deployed' } });
    const namespace = await coreV1().readNamespace({ name: ns });
    firstUid = namespace.metadata?.uid ?? '';
    expect(namespace.metadata?.labels?.['polyglot-cd/pr']).toBe(pr);

    // the step list, the card, the URL
    expect(r.out).toMatch(/✔ build backend +uses org\/polyglot-cd\/build-push@v1 +\d+\.\ds/);
    expect(r.out).toMatch(/✔ deploy pr-\d+ +uses org\/polyglot-cd\/helm-deploy@v1 +\d+\.\ds/);
    expect(r.out).toContain('┌ Teams card received by the local sink');
    expect(r.out).toContain(`Environment: pr-${pr}`);
    expect(r.out).toContain(`polyglot-cd PR preview to pr-${pr}: Succeeded`); // the card is titled with the workflow's name
    expect(r.out).toContain(`URL: http://pr-${pr}.preview.localhost`);
    expect(r.out).toContain(`Deployed: http://pr-${pr}.preview.localhost`);
    expect(r.out).toContain('Summary: deploy pr-');
    if (!hasTrivy) {
      // no trivy here: shown as skipped with the reason, reported as "not scanned", never as a pass
      expect(r.out).toMatch(/○ scan backend +uses org\/polyglot-cd\/trivy-gate@v1 +trivy is not installed here/);
      expect(r.out).toContain('scan backend: not scanned (skipped)');
    }
    expect(r.out).toMatch(/○ sticky PR comment +Post or update the sticky comment +it calls the GitHub REST API/);
    expect(r.out).toContain(`### Preview: http://pr-${pr}.preview.localhost`);
  }, 240_000);

  it('a second run upgrades the release in place', async () => {
    const r = await cli(['pipeline', 'pr', '--pr', pr, '--kubeconfig', previewKubeconfig]);
    expect(r.code, r.out).toBe(0);
    const status = JSON.parse((await helm(['status', 'shop', '-n', ns, '-o', 'json'])).stdout) as { version: number; info: { status: string } };
    expect(status).toMatchObject({ version: 2, info: { status: 'deployed' } });
    const namespace = await coreV1().readNamespace({ name: ns });
    expect(namespace.metadata?.uid).toBe(firstUid);
    const images = await deployedImages();
    expect(Object.keys(images).sort()).toEqual(Object.keys(firstImages).sort());
    const host = registryHost();
    for (const c of ['backend', 'frontend']) expect(Object.values(images)).toContain(`${host}/shop/${c}@${registryDigest(`${host}/shop/${c}:pr-${pr}`)}`);
    expect(r.out).not.toContain('started a local registry'); // the registry of the first run is reused
  }, 240_000);

  it('cleanup (pr-cleanup.yml) removes the namespace', async () => {
    const r = await cli(['pipeline', 'cleanup', '--pr', pr, '--kubeconfig', cleanupKubeconfig]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`deleted: ["${ns}"]`);
    await waitFor(
      `${ns} to be gone`,
      async () => {
        try {
          await coreV1().readNamespace({ name: ns });
          return false;
        } catch (e) {
          return (e as { code?: number }).code === 404;
        }
      },
      { timeoutMs: 90_000 },
    );
  }, 240_000);

  it('the documented RBAC grants no more than the flows need', async () => {
    const api = kubeConfig().makeApiClient(AuthorizationV1Api);
    const can = async (sa: string, verb: string, resource: string, namespace = '', group = ''): Promise<boolean> => {
      const r = await api.createSubjectAccessReview({ body: { spec: { user: `system:serviceaccount:polyglot-cd:${sa}`, resourceAttributes: { verb, resource, namespace, group } } } });
      return r.status?.allowed === true;
    };
    expect(await can('preview-deployer', 'create', 'namespaces')).toBe(true);
    expect(await can('preview-deployer', 'delete', 'namespaces')).toBe(false);
    expect(await can('preview-deployer', 'create', 'clusterrolebindings', '', 'rbac.authorization.k8s.io')).toBe(false);
    expect(await can('preview-deployer', 'create', 'rolebindings', ns, 'rbac.authorization.k8s.io')).toBe(false);
    expect(await can('preview-deployer', 'create', 'pods/exec', ns)).toBe(false);
    expect(await can('pr-cleanup', 'delete', 'namespaces')).toBe(true);
    expect(await can('pr-cleanup', 'create', 'namespaces')).toBe(false);
    expect(await can('pr-cleanup', 'create', 'deployments', ns, 'apps')).toBe(false);
    expect(await can('pr-cleanup', 'update', 'deployments', ns, 'apps')).toBe(false);
  });

  it('refuses a hostile PR number before starting anything', async () => {
    for (const bad of ['0', '1 --all', '../x', '12a']) {
      const r = await cli(['pipeline', 'pr', '--pr', bad]);
      expect(r.code).toBe(1);
      expect(r.out).toContain('--pr must be a pull request number (^[1-9][0-9]{0,8}$)');
      expect(r.out).not.toContain('local registry');
    }
  });
});
