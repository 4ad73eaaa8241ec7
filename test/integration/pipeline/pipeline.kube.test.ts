/**
 * End to end: `polyglot-cd pipeline pr` runs .github/workflows/pr-preview.yml on examples/shop with the
 * real bundles: buildah builds the FastAPI backend and the Node.js frontend from the Debian base images
 * that scripts/setup/base-images.sh makes (pip install and npm ci in their build stages), each image is
 * written as an OCI archive and scanned by the real trivy before anything is pushed, and only then are
 * the scanned bytes pushed to the pipeline's own registry (docker-registry, not the stack's);
 * helm-deploy installs charts/app with the real Helm 4 into pr-<N> on the local cluster, with the
 * preview's own PostgreSQL, where the real node pulls those digests and runs them; the chart's
 * migrations Job creates the schema, and the HTTP checks after the deploy read FastAPI's data from
 * PostgreSQL through the frontend. teams-notify posts to the pipeline's Teams sink. A planted CRITICAL
 * stops a run before anything is pushed. A second run with a new backend version upgrades in place;
 * `polyglot-cd pipeline cleanup` (pr-cleanup.yml) removes the namespace. Deploy and cleanup run as the
 * ServiceAccounts of examples/rbac (RBAC and admission policies, what the README tells users to apply),
 * not as cluster admin.
 *
 * The app is a copy of examples/shop in the test's temp dir, so the second run can change the backend's
 * VERSION without touching the checkout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { builtTrivy, makeTrivyDb } from '../../trivy/db.js';
import {
  appsV1,
  coreV1,
  helm,
  helmOf,
  kubeConfig,
  kubeconfigPath,
  serviceAccountKubeconfig,
  stackInfo,
  waitFor,
} from '../../kube/harness.js';

const work = mkdtempSync(join(tmpdir(), 'pcd-pipeline-e2e-'));
const cache = join(work, 'cache');
const app = join(work, 'shop'); // the release is named after the folder: shop
const pr = String(randomInt(100_000, 999_999));
const ns = `pr-${pr}`;
const shop = join(repoRoot, 'examples', 'shop');
/** trivy DBs of this test: none of the advisories match, and one that plants a CRITICAL in the backend */
const cleanDb = join(work, 'trivy-clean');
const plantedDb = join(work, 'trivy-planted');
const VERSION = readFileSync(join(shop, 'backend', 'app', 'VERSION'), 'utf8').trim();

let previewKubeconfig = '';
let cleanupKubeconfig = '';
beforeAll(async () => {
  cpSync(shop, app, { recursive: true });
  mkdirSync(cache);
  previewKubeconfig = await serviceAccountKubeconfig('preview.yaml', 'preview-deployer', work);
  cleanupKubeconfig = await serviceAccountKubeconfig('cleanup.yaml', 'pr-cleanup', work);
  await makeTrivyDb(cleanDb, []);
  // the backend's venv holds fastapi 0.165.0 (requirements.txt): an advisory planted against it
  await makeTrivyDb(plantedDb, [
    {
      id: 'CVE-0000-00001',
      ecosystem: 'pip',
      package: 'fastapi',
      vulnerableVersions: ['<99.0.0'],
      patchedVersions: ['99.0.0'],
      severity: 'CRITICAL',
      title: 'fastapi: planted test vulnerability',
    },
  ]);
});

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(repoRoot, 'bin', 'polyglot-cd.ts'), ...args], {
      cwd: app,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/root',
        NO_COLOR: '1',
        POLYGLOT_CD_CACHE: cache, // a registry and container store of this test's own
        POLYGLOT_CD_KUBECONFIG: kubeconfigPath(),
        POLYGLOT_CD_HELM_BIN: helmOf('4').bin, // the stack's Helm 4, instead of a copy in this cache
        POLYGLOT_CD_TRIVY_BIN: builtTrivy() ?? '', // scripts/setup/trivy.sh's, instead of a build in this cache
        POLYGLOT_CD_BASE_IMAGES: baseImagesDir, // scripts/setup/base-images.sh's archives, likewise
      },
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** the archives scripts/setup/base-images.sh made in the machine's cache (setup.sh built them) */
const baseImagesDir = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'base-images.sh'), '--print'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).stdout.trim();

/** the repositories the pipeline's registry holds (its catalog) */
async function catalog(): Promise<string[]> {
  const res = await fetch(`http://${registryHost()}/v2/_catalog?n=1000`);
  return ((await res.json()) as { repositories?: string[] }).repositories ?? [];
}

function registryHost(): string {
  return (JSON.parse(readFileSync(join(cache, 'pipeline', 'registry', 'state.json'), 'utf8')) as { host: string }).host;
}

/** the digest the registry has for a tag (skopeo: the independent witness) */
function registryDigest(ref: string): string {
  const r = spawnSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], {
    encoding: 'utf8',
    // the pipeline's own store (overlay where the kernel has it, else vfs)
    env: {
      ...process.env,
      CONTAINERS_STORAGE_CONF: ['containers-overlay', 'containers']
        .map((d) => join(cache, 'pipeline', d, 'storage.conf'))
        .find((f) => existsSync(f)),
    },
  });
  if (r.status !== 0) throw new Error(`skopeo inspect ${ref}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { Digest: string }).Digest;
}

async function deployedImages(): Promise<Record<string, string>> {
  const list = await appsV1().listNamespacedDeployment({ namespace: ns });
  return Object.fromEntries(
    list.items.map((d) => [
      d.metadata?.labels?.['app.kubernetes.io/component'] ?? d.metadata?.name ?? '',
      d.spec?.template.spec?.containers[0]?.image ?? '',
    ]),
  );
}

interface PodView {
  name: string;
  component: string;
  terminating: boolean;
  ready: boolean;
  /** what the pod spec asks for */
  image: string;
  /** what the node's containerd reports it runs (repo@digest of the pulled image) */
  imageID: string;
}

async function pods(): Promise<PodView[]> {
  const list = await coreV1().listNamespacedPod({ namespace: ns });
  return list.items.map((p) => ({
    name: p.metadata?.name ?? '',
    component: p.metadata?.labels?.['app.kubernetes.io/component'] ?? '',
    terminating: Boolean(p.metadata?.deletionTimestamp),
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    image: p.spec?.containers[0]?.image ?? '',
    imageID: p.status?.containerStatuses?.[0]?.imageID ?? '',
  }));
}

/** GET through the API server's service proxy, as the admin kubeconfig: the app's own answer. */
async function viaServiceProxy(service: string, path: string): Promise<string> {
  const kc = kubeConfig();
  const url = new URL(
    `${kc.getCurrentCluster()?.server ?? ''}/api/v1/namespaces/${ns}/services/${service}/proxy/${path}`,
  );
  const opts: Parameters<typeof request>[1] = { method: 'GET', timeout: 15_000 };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = request(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}: ${body.slice(0, 500)}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer in 15 s`)));
    req.on('error', reject);
    req.end();
  });
}

afterAll(async () => {
  await coreV1()
    .deleteNamespace({ name: ns })
    .catch(() => undefined); // gone already when the cleanup test passed
  const state = join(cache, 'pipeline', 'registry', 'state.json');
  if (existsSync(state)) {
    const { pid, host } = JSON.parse(readFileSync(state, 'utf8')) as { pid?: number; host?: string };
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    // the node's trust for this test's registry goes with it
    if (host) rmSync(join(stackInfo().node.certsDir, host), { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('polyglot-cd pipeline pr on examples/shop', () => {
  let firstUid = '';
  let firstImages: Record<string, string> = {};

  it('a CRITICAL in one image stops the run before anything is pushed: the catalog shows no image of the app', async () => {
    const planted = String(Number(pr) + 1);
    const first = await cli([
      'pipeline',
      'pr',
      '--pr',
      planted,
      '--kubeconfig',
      previewKubeconfig,
      '--trivy-db',
      plantedDb,
    ]);
    expect(first.code, first.out).toBe(1);
    // the base images the run pushed for its builds and the builds' layer cache, nothing else: no
    // shop/backend image, and no shop/frontend either, although its own scan passed
    expect((await catalog()).sort()).toEqual([
      'polyglot-cd/node',
      'polyglot-cd/node-build',
      'polyglot-cd/postgres',
      'polyglot-cd/python',
      'shop/backend-cache-pr',
      'shop/frontend-cache-pr',
    ]);
    expect(first.out).toMatch(/CVE-0000-00001/);
    expect(first.out).toContain('scan backend: 1 CRITICAL');
    expect(first.out).toMatch(/scan frontend: 0 CRITICAL.*passed/);
    expect(first.out).toMatch(/○ push +\(job skipped\)/);
    // nothing deployed: the namespace was never made
    await expect(coreV1().readNamespace({ name: `pr-${planted}` })).rejects.toMatchObject({ code: 404 });
  }, 900_000);

  it('builds, pushes, deploys into pr-<N> on the real node, serves the app and posts the card', async () => {
    const r = await cli(['pipeline', 'pr', '--pr', pr, '--kubeconfig', previewKubeconfig, '--trivy-db', cleanDb]);
    expect(r.code, r.out).toBe(0);
    const host = registryHost();

    // the digests in the registry are the ones deployed, by digest
    const images = await deployedImages();
    for (const c of ['backend', 'frontend']) {
      const digest = registryDigest(`${host}/shop/${c}:pr-${pr}`);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(images[c]).toBe(`${host}/shop/${c}@${digest}`);
      expect(r.out).toContain(`${c}: ${host}/shop/${c}@${digest}`); // the card's facts
    }
    expect(Object.keys(images)).toHaveLength(2);
    firstImages = images;

    // the node pulled exactly those digests from the pipeline's registry (not the stack's), which the
    // pipeline made it trust, and runs them: one Ready pod per component
    expect(host).not.toBe(stackInfo().registryHost);
    expect(r.out).toContain(`the local node pulls from ${host}`);
    expect(readFileSync(join(stackInfo().node.certsDir, host, 'hosts.toml'), 'utf8')).toContain(
      `server = "http://${host}"`,
    );
    const all = (await pods()).filter((p) => !p.terminating && !p.name.includes('migrations'));
    // the preview's own PostgreSQL runs beside the app, from the local base image by digest
    const db = all.filter((p) => p.component === 'postgresql');
    expect(db.map((p) => [p.ready, p.image.includes('/polyglot-cd/postgres@sha256:')])).toEqual([[true, true]]);
    const running = all.filter((p) => p.component !== 'postgresql');
    expect(running.map((p) => p.component).sort()).toEqual(['backend', 'frontend']);
    for (const p of running) {
      expect(p.ready, `${p.name} Ready`).toBe(true);
      expect(p.image).toBe(images[p.component]);
      expect(p.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(p.imageID).toBe(images[p.component]);
    }

    // the app's own answers, through the API server's service proxy
    expect(JSON.parse(await viaServiceProxy('shop-backend:http', 'api/version'))).toEqual({
      service: 'backend',
      version: VERSION,
    });
    // FastAPI's answer from PostgreSQL (the rows migrations/0001 seeded), through the frontend's /api
    const products = JSON.parse(await viaServiceProxy('shop-frontend:http', 'api/products')) as { name: string }[];
    expect(products.map((p) => p.name)).toEqual(['teapot', 'mug', 'tea towel']);
    expect(JSON.parse(await viaServiceProxy('shop-backend:http', 'api/products'))).toEqual(products);
    // the HTTP checks after the deploy (examples/shop/deploy/checks.txt) saw the same
    expect(r.out).toContain('HTTP checks: 3 of 3 passed');
    expect(r.out).toMatch(/frontend.*\/api\/products.*200/);
    expect(r.out).toContain('**Checks after the deploy:** 3 passed, 0 failed');
    expect(r.out).toContain('checks: 3 passed, 0 failed'); // the card's fact
    expect(await viaServiceProxy('shop-frontend:http', '')).toBe(
      readFileSync(join(shop, 'frontend', 'app', 'index.html'), 'utf8'),
    );

    const status = JSON.parse((await helm(['status', 'shop', '-n', ns, '-o', 'json'])).stdout) as {
      version: number;
      info: { status: string };
    };
    expect(status).toMatchObject({ version: 1, info: { status: 'deployed' } });
    const namespace = await coreV1().readNamespace({ name: ns });
    firstUid = namespace.metadata?.uid ?? '';
    expect(namespace.metadata?.labels?.['polyglot-cd/pr']).toBe(pr);

    // the step list, the card, the URL
    expect(r.out).toContain(`Helm ${helmOf('4').version}: ${helmOf('4').bin}`);
    expect(r.out).toMatch(/✔ build backend +uses \.\/\.polyglot-cd\/build-push +(?:\d+\.\d|\d+m\d\d)s/);
    expect(r.out).toMatch(/✔ deploy pr-\d+ +uses \.\/\.polyglot-cd\/helm-deploy +(?:\d+\.\d|\d+m\d\d)s/);
    expect(r.out).toContain('┌ Teams card received by the local sink');
    expect(r.out).toContain(`Environment: pr-${pr}`);
    expect(r.out).toContain(`polyglot-cd PR preview to pr-${pr}: Succeeded`); // the card is titled with the workflow's name
    expect(r.out).toContain(`URL: http://pr-${pr}.preview.localhost`);
    expect(r.out).toContain(`Deployed: http://pr-${pr}.preview.localhost`);
    expect(r.out).toContain('Summary: deploy pr-');
    // every archive was scanned before the push, and the pushed digest is the scanned one
    expect(r.out).toMatch(/✔ build backend +uses \.\/\.polyglot-cd\/trivy-gate +(?:\d+\.\d|\d+m\d\d)s/);
    expect(r.out).toMatch(/✔ push backend +uses \.\/\.polyglot-cd\/build-push +(?:\d+\.\d|\d+m\d\d)s/);
    expect(r.out).toMatch(/✔ secret scan +uses \.\/\.polyglot-cd\/trivy-gate/);
    expect(r.out).toMatch(/scan backend: 0 CRITICAL.*passed/);
    for (const c of ['backend', 'frontend']) {
      const digest = registryDigest(`${host}/shop/${c}:pr-${pr}`);
      expect(r.out).toMatch(new RegExp(`Manifest digest[^\\n]*${digest}`)); // the scan summary names what was pushed
    }
    expect(r.out).toMatch(/○ sticky PR comment +Post or update the sticky comment +it calls the GitHub REST API/);
    expect(r.out).toContain(`### Preview: http://pr-${pr}.preview.localhost`);
  }, 300_000);

  it('a second run with a new backend version upgrades the release in place and rolls the new build out', async () => {
    const next = `${VERSION}-pr${pr}.2`;
    writeFileSync(join(app, 'backend', 'app', 'VERSION'), `${next}\n`);
    const r = await cli(['pipeline', 'pr', '--pr', pr, '--kubeconfig', previewKubeconfig]);
    expect(r.code, r.out).toBe(0);
    const status = JSON.parse((await helm(['status', 'shop', '-n', ns, '-o', 'json'])).stdout) as {
      version: number;
      info: { status: string };
    };
    expect(status).toMatchObject({ version: 2, info: { status: 'deployed' } });
    const namespace = await coreV1().readNamespace({ name: ns });
    expect(namespace.metadata?.uid).toBe(firstUid);
    const images = await deployedImages();
    expect(Object.keys(images).sort()).toEqual(Object.keys(firstImages).sort());
    const host = registryHost();
    for (const c of ['backend', 'frontend'])
      expect(images[c]).toBe(`${host}/shop/${c}@${registryDigest(`${host}/shop/${c}:pr-${pr}`)}`);
    expect(images['backend']).not.toBe(firstImages['backend']); // a new build, a new digest
    expect(r.out).not.toContain('started a local registry'); // the registry of the first run is reused

    // the new backend answers; the old pods stop on SIGTERM (no wait for the grace period) and are gone
    const t0 = Date.now();
    await waitFor(
      'the old pods to be gone',
      async () => {
        // the app's pods (the database's pod and the finished migrations Job stay as they are)
        const now = (await pods()).filter((p) => p.component === 'backend' || p.component === 'frontend');
        return now.length === 2 && now.every((p) => p.ready && !p.terminating && p.imageID === images[p.component]);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const stopSecs = (Date.now() - t0) / 1000;
    console.log(`[pipeline-test] the replaced pods were gone ${stopSecs.toFixed(1)} s after the run ended`);
    // with httpd as PID 1 (deaf to SIGTERM) they would linger until the 30 s grace period ends
    expect(stopSecs, 'the replaced pods should stop on SIGTERM, long before the 30 s grace period').toBeLessThan(15);
    expect(JSON.parse(await viaServiceProxy('shop-backend:http', 'api/version'))).toEqual({
      service: 'backend',
      version: next,
    });
    expect(await viaServiceProxy('shop-frontend:http', '')).toBe(
      readFileSync(join(shop, 'frontend', 'app', 'index.html'), 'utf8'),
    );
  }, 300_000);

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
      const r = await api.createSubjectAccessReview({
        body: {
          spec: {
            user: `system:serviceaccount:polyglot-cd:${sa}`,
            resourceAttributes: { verb, resource, namespace, group },
          },
        },
      });
      return r.status?.allowed === true;
    };
    expect(await can('preview-deployer', 'create', 'namespaces')).toBe(true);
    expect(await can('preview-deployer', 'delete', 'namespaces')).toBe(false);
    expect(await can('preview-deployer', 'create', 'clusterrolebindings', '', 'rbac.authorization.k8s.io')).toBe(false);
    // it binds itself to polyglot-cd-preview-namespace inside pr-<N> (namespace-role), and to nothing else
    expect(await can('preview-deployer', 'bind', 'clusterroles', '', 'rbac.authorization.k8s.io')).toBe(false);
    expect(await can('preview-deployer', 'escalate', 'clusterroles', '', 'rbac.authorization.k8s.io')).toBe(false);
    expect(await can('preview-deployer', 'create', 'pods/exec', ns)).toBe(false);
    // no cluster-wide read of Secrets or pod logs
    expect(await can('preview-deployer', 'list', 'secrets')).toBe(false);
    expect(await can('preview-deployer', 'get', 'pods/log', 'kube-system')).toBe(false);
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
