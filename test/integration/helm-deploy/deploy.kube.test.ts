/**
 * helm-deploy from its committed bundle (dist/helm-deploy/index.js), under Node 24, against the kube
 * stack (test/kube/stack.ts): Kubernetes v1.34 with one real node, so every pod really pulls its image
 * from the stack's registry and really starts. Each test runs on Helm 4 and on Helm 3 (the real
 * binaries of the stack, named by POLYGLOT_CD_HELM_BIN), with the same assertions.
 * charts/app with examples/shop.yaml: backend and frontend are two digests of the test web image; its
 * migration hook Job really runs (a shell command instead of alembic). A crash is the test crash image
 * (real CrashLoopBackOff, real log lines), a pull failure a digest the registry does not have.
 */
import { BatchV1Api } from '@kubernetes/client-node';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as load, stringify as dump } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { registerSecret } from '../../helpers/canary.js';
import {
  appsV1,
  coreV1,
  helm,
  helmOf,
  HELM_MAJORS,
  kubeConfig,
  kubeconfigPath,
  stackInfo,
  waitFor,
  type HelmMajor,
} from '../../kube/harness.js';
import { CRASH_LOG, imageVariant, WEB_INDEX } from '../../kube/workload-images.js';

const shopValues = join(repoRoot, 'charts/app/examples/shop.yaml');
const prBase = 7000 + Math.floor(Math.random() * 2000);
const namespaces: string[] = [];

type Values = Record<string, unknown>;

/**
 * Added to shop.yaml in every deploy: the backend's DATABASE_URL as a plain value (shop.yaml takes it
 * from the Secret shop-db, which does not exist in a PR namespace helm-deploy creates; nothing in these
 * pods connects to it), a migration command the test image has (busybox sh, not alembic), a short grace
 * period and small CPU requests (many pods share one 2-core node).
 */
const BASE_VALUES: Values = {
  defaults: { terminationGracePeriodSeconds: 2, resources: { requests: { cpu: '10m' } } },
  components: { backend: { env: { DATABASE_URL: 'postgres://shop@db:5432/shop' } } },
  migrations: { command: ['sh', '-c', 'echo migrated'] },
};

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(out[k]) && isMap(v) ? merge(out[k] as Values, v) : v;
  return out;
}

/** The `values` input: BASE_VALUES with `extra` on top, as YAML. */
function values(extra: Values = {}): string {
  return dump(merge(BASE_VALUES, extra));
}

/** The web image under four digests (A: the first deploy, B: the next one), made in beforeAll. */
const web = { backendA: '', frontendA: '', backendB: '', frontendB: '' };
/** A digest of the web image's repository that the registry does not have: pulling it really fails. */
let missing = '';
let crash = '';
/**
 * helm's timeout for a crashing rollout. After its first crash a container is `terminated` for a few
 * seconds, then waits in CrashLoopBackOff (10 s, then 20 s, 40 s…), so the kubelet shows it crash again
 * at about 1, 2, 20 and 42 s of age. With the migration Job (~5 s) first, the last snapshot helm-deploy
 * takes (every 5 s) then falls in the 20 s back-off, not on a crash.
 */
const CRASH_TIMEOUT = '40s';
/** The crash image's two lines go to stdout and stderr: the container log has them in either order. */
const crashCulprit = new RegExp(`^backend: CrashLoopBackOff — exit 1: (${CRASH_LOG.map(escapeRe).join('|')})$`);

beforeAll(async () => {
  const { images, registryHost } = stackInfo();
  const [backendA, frontendA, backendB, frontendB] = await Promise.all(
    (['backend-a', 'frontend-a', 'backend-b', 'frontend-b'] as const).map((v) => imageVariant(images.web, v)),
  );
  Object.assign(web, { backendA, frontendA, backendB, frontendB });
  missing = `${registryHost}/polyglot-cd/test-web@sha256:${'0'.repeat(64)}`;
  crash = images.crash;
});

afterAll(async () => {
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

const imagesInput = (backend = web.backendA, frontend = web.frontendA) => `backend: ${backend}\nfrontend: ${frontend}`;

const batchV1 = () => kubeConfig().makeApiClient(BatchV1Api);

function splitRef(ref: string): { repository: string; digest: string } {
  const at = ref.lastIndexOf('@');
  return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function kubeconfig(): string {
  return readFileSync(kubeconfigPath(), 'utf8');
}

function tokenOf(text: string): string {
  const m = /token:\s*"?([^"\s]+)"?/.exec(text);
  if (!m) throw new Error('the test kubeconfig has no token');
  return m[1] as string;
}

let cert: { text: string; keyData: string; keyPem: string } | undefined;

/** A kubeconfig whose user is a client certificate (O=system:masters) minted with the test cluster's CA. */
function certKubeconfig(): { text: string; keyData: string; keyPem: string } {
  if (cert) return cert;
  const pki = join(dirname(kubeconfigPath()), 'pki');
  const dir = mkdtempSync(join(tmpdir(), 'pcd-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-subj',
      '/O=system:masters/CN=pcd-cert-user',
      '-CA',
      join(pki, 'ca.crt'),
      '-CAkey',
      join(pki, 'ca.key'),
    ],
    { stdio: 'ignore' },
  );
  const keyPem = registerSecret('client certificate key', readFileSync(join(dir, 'k.pem'), 'utf8'));
  const keyData = Buffer.from(keyPem).toString('base64');
  const admin = load(kubeconfig()) as { clusters: { cluster: Record<string, string> }[] };
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: admin.clusters[0]?.cluster }],
    users: [
      {
        name: 'cert',
        user: {
          'client-certificate-data': Buffer.from(readFileSync(join(dir, 'c.pem'))).toString('base64'),
          'client-key-data': keyData,
        },
      },
    ],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'cert' } }],
    'current-context': 'x',
  });
  cert = { text, keyData, keyPem };
  return cert;
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

interface Diag {
  culprit: string;
  pods: {
    name: string;
    component: string;
    phase: string;
    containers: {
      name: string;
      image: string;
      reason: string;
      message: string;
      exitCode?: number;
      lastTermination?: { exitCode: number };
      logTail?: string[];
    }[];
  }[];
  events: { object: string; reason: string; message: string }[];
}

function diagnostics(run: ActionRun): Diag {
  const text = run.outputs['diagnostics'];
  if (!text) throw new Error(`the run set no diagnostics output; its errors: ${errors(run).join(' | ')}`);
  return JSON.parse(text) as Diag;
}

describe.concurrent.each(HELM_MAJORS.map((major) => ({ major, version: helmOf(major).version })))(
  'helm-deploy on the real node with Helm $version',
  ({ major, version }: { major: HelmMajor; version: string }) => {
    const bin = helmOf(major).bin;
    const runs: ActionRun[] = [];
    const flags = major === '4' ? '--wait=watcher --rollback-on-failure' : '--wait --atomic';

    async function deploy(inputs: Record<string, string>): Promise<ActionRun> {
      const ws = workspace(
        {
          release: 'shop',
          kubeconfig: kubeconfig(),
          'helm-version': version,
          'values-files': shopValues,
          values: values(),
          images: imagesInput(),
          timeout: '60s',
          ...inputs,
        },
        { POLYGLOT_CD_HELM_BIN: bin, GITHUB_WORKSPACE: repoRoot },
      );
      const run = await runBundle('helm-deploy', ws, { timeoutMs: 150_000 });
      runs.push(run);
      return run;
    }

    function pr(i: number): string {
      const n = `${prBase}${major}${String(i).padStart(2, '0')}`;
      namespaces.push(`pr-${n}`);
      return n;
    }

    async function history(ns: string): Promise<{ revision: number; status: string; description: string }[]> {
      return JSON.parse((await helm(['history', 'shop', '--namespace', ns, '-o', 'json'], { major })).stdout);
    }

    async function image(ns: string, name: string): Promise<string | undefined> {
      return (
        await appsV1()
          .readNamespacedDeployment({ name, namespace: ns })
          .catch(() => undefined)
      )?.spec?.template.spec?.containers[0]?.image;
    }

    /**
     * The real helm of this major, started directly (not through helm-deploy) so that it can be
     * SIGKILLed while it waits: shop with the A digests and a backend whose readiness probe never passes.
     */
    function neverReadyHelm(verb: 'install' | 'upgrade', ns: string): ChildProcess {
      const dir = mkdtempSync(join(tmpdir(), 'pcd-helm-values-'));
      const file = join(dir, 'values.yaml');
      writeFileSync(
        file,
        dump(
          merge(BASE_VALUES, {
            components: {
              backend: { image: splitRef(web.backendA), healthPath: '/nope' },
              frontend: { image: splitRef(web.frontendA) },
            },
          }),
        ),
      );
      return spawn(
        bin,
        [
          verb,
          'shop',
          join(repoRoot, 'charts/app'),
          '--namespace',
          ns,
          '--values',
          shopValues,
          '--values',
          file,
          major === '4' ? '--wait=watcher' : '--wait',
          '--timeout',
          '120s',
        ],
        {
          env: {
            PATH: process.env['PATH'] ?? '',
            HOME: join(tmpdir(), `pcd-helm${major}-home`),
            KUBECONFIG: kubeconfigPath(),
          },
          stdio: 'ignore',
        },
      );
    }

    it(`runs on the real Helm ${version}`, async () => {
      const got = execFileSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' });
      expect(got).toBe(`v${version}`);
      expect(version.split('.')[0]).toBe(major);
    });

    it('canary: stable Deployments keep their images beside the canary; a crashing canary is rolled back; stable-images rolls a canary back; a plain deploy promotes', async () => {
      const n = pr(9);
      const ns = `pr-${n}`;
      const v1 = imagesInput(web.backendA, web.frontendA);
      const v2 = imagesInput(web.backendB, web.frontendB);
      const canary = { 'canary-component': 'backend', 'canary-weight': '25' };
      const off = values({ canary: { enabled: false } });
      const domain = { 'pr-number': n, domain: 'preview.example.com' };

      // a first install has no stable track: deployed directly
      const first = await deploy({ ...domain, images: v1, ...canary });
      expect(errors(first)).toEqual([]);
      expect(first.outputs).toMatchObject({ canary: 'none', 'stable-images': v1, revision: '1' });
      expect(first.stdout).toContain('No canary: the release has no deployed revision yet');

      // the canary of backend's new digest; frontend's new digest waits for the promotion
      const c = await deploy({ ...domain, images: v2, ...canary });
      expect(errors(c)).toEqual([]);
      expect(c.outputs).toMatchObject({ canary: 'deployed', 'stable-images': v1, revision: '2' });
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);
      expect(await image(ns, 'shop-frontend')).toBe(web.frontendA);
      expect(await image(ns, 'shop-backend-canary')).toBe(web.backendB);
      expect(
        (await appsV1().readNamespacedDeployment({ name: 'shop-backend-canary', namespace: ns })).status?.readyReplicas,
      ).toBe(1);
      const manifest = (await helm(['get', 'manifest', 'shop', '--namespace', ns], { major })).stdout;
      expect(manifest).toContain('nginx.ingress.kubernetes.io/canary-weight: "25"');
      expect(c.summary).toContain(`backend ${web.backendB} at 25 % of its requests`);

      // roll back: the stable images it reported, canary disabled
      const back = await deploy({ ...domain, images: c.outputs['stable-images'] ?? '', values: off });
      expect(back.outputs).toMatchObject({ canary: 'none', status: 'deployed', revision: '3' });
      expect(await image(ns, 'shop-backend-canary')).toBeUndefined();
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);

      // a canary that crashes fails the deploy and is rolled back by helm; the stable track is untouched
      const crashed = await deploy({
        ...domain,
        images: imagesInput(crash, web.frontendB),
        ...canary,
        timeout: CRASH_TIMEOUT,
      });
      expect(crashed.code).toBe(1);
      expect(crashed.outputs['canary']).toBeUndefined();
      expect(diagnostics(crashed).culprit).toMatch(crashCulprit);
      expect((await history(ns)).at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 3' });
      expect(await image(ns, 'shop-backend-canary')).toBeUndefined();
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);

      // canary again, then promote: the new digests everywhere, no canary left
      expect((await deploy({ ...domain, images: v2, ...canary })).outputs['canary']).toBe('deployed');
      const promoted = await deploy({ ...domain, images: v2, values: off });
      expect(promoted.outputs).toMatchObject({ status: 'deployed', canary: 'none', 'stable-images': v2 });
      expect(await image(ns, 'shop-backend')).toBe(web.backendB);
      expect(await image(ns, 'shop-frontend')).toBe(web.frontendB);
      expect(await image(ns, 'shop-backend-canary')).toBeUndefined();

      // the digest already runs: no canary needed
      const same = await deploy({ ...domain, images: v2, ...canary });
      expect(same.outputs).toMatchObject({ canary: 'none', 'stable-images': v2 });
      expect(same.stdout).toContain(`No canary: backend already runs ${web.backendB}`);
    }, 400_000);

    it('a release left pending-upgrade by a killed helm is rolled back and deployed again', async () => {
      const n = pr(4);
      const ns = `pr-${n}`;
      expect((await deploy({ 'pr-number': n })).code).toBe(0);
      // a helm upgrade that is SIGKILLed while it waits leaves the release pending-upgrade
      const child = neverReadyHelm('upgrade', ns);
      await waitFor('pending-upgrade', async () => (await history(ns)).at(-1)?.status === 'pending-upgrade', {
        timeoutMs: 60_000,
      });
      child.kill('SIGKILL');

      const young = await deploy({ 'pr-number': n });
      expect(young.code).toBe(1);
      expect(errors(young)[0]).toMatch(
        /Another deploy is running: release shop is pending-upgrade \(revision 2, for \d+s\)\. Nothing was changed/,
      );
      expect((await history(ns)).at(-1)?.status).toBe('pending-upgrade');

      const run = await deploy({ 'pr-number': n, 'stuck-after': '0s' });
      expect(errors(run)).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'older than stuck-after: rolling back to revision 1 (deployed), then deploying again',
      );
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
      expect(
        (await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns })).status?.readyReplicas,
      ).toBe(1);
      expect((await deploy({ 'pr-number': n })).outputs).toMatchObject({ status: 'deployed', revision: '5' });
    }, 300_000);

    it('a crashing component: the deploy fails, rolls back, and the diagnostics quote its real log', async () => {
      const n = pr(2);
      const ns = `pr-${n}`;
      expect((await deploy({ 'pr-number': n })).code).toBe(0);
      const run = await deploy({ 'pr-number': n, images: imagesInput(crash), timeout: CRASH_TIMEOUT });
      expect(run.code).toBe(1);
      const diag = diagnostics(run);
      // the culprit line ends with the last line the crashed container printed
      expect(diag.culprit).toMatch(crashCulprit);
      const crashing = diag.pods.find((p) => p.component === 'backend');
      expect(crashing?.containers[0]).toMatchObject({
        image: crash,
        reason: 'CrashLoopBackOff',
        lastTermination: { exitCode: 1 },
      });
      // its stdout and stderr lines (their order in the container log is the runtime's)
      expect([...(crashing?.containers[0]?.logTail ?? [])].sort()).toEqual([...CRASH_LOG].sort());
      expect(run.stdout).toContain('::group::Diagnostics: why shop did not become ready');
      for (const line of CRASH_LOG) expect(run.stdout).toContain(`        | ${line}`);
      expect(run.stdout).toMatch(/::error::Culprit: backend: CrashLoopBackOff/);
      expect(run.stdout).toMatch(/Recent Warning events: [1-9]/);
      expect(diag.events.some((e) => e.object === `Pod/${crashing?.name}` && e.reason === 'BackOff')).toBe(true);
      expect(run.summary).toContain('Culprit: backend: CrashLoopBackOff');
      // helm rolled it back (--atomic, --rollback-on-failure): the latest revision is deployed again, with the good image
      const h = await history(ns);
      expect(h.map((e) => e.status)).toEqual(['superseded', 'failed', 'deployed']);
      expect(h.at(-1)).toMatchObject({ revision: 3, description: 'Rollback to 1' });
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: '3' });
      expect(errors(run).at(-1)).toContain('Rolled back: the release is deployed at revision 3.');
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);
    }, 200_000);

    it('a migration that fails stops the upgrade before any rollout; the diagnostics quote the migration log', async () => {
      const n = pr(11);
      const ns = `pr-${n}`;
      expect((await deploy({ 'pr-number': n })).code).toBe(0);
      const before = await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns });

      const run = await deploy({
        'pr-number': n,
        images: imagesInput(web.backendB, web.frontendB),
        values: values({ migrations: { command: ['sh', '-c', 'echo migration failed >&2; exit 3'], backoffLimit: 0 } }),
        timeout: '30s',
      });
      expect(run.code).toBe(1);
      expect(errors(run).at(-1)).toMatch(
        /^::error::helm upgrade of shop failed: .*pre-upgrade hooks failed.*Culprit: backend-migrations: Error — exit 3: migration failed\./,
      );
      const diag = diagnostics(run);
      const job = diag.pods.find((p) => p.component === 'backend-migrations');
      expect(job).toMatchObject({ phase: 'Failed' });
      expect(job?.containers[0]).toMatchObject({
        name: 'migrations',
        image: web.backendB,
        reason: 'Error',
        exitCode: 3,
        logTail: ['migration failed'],
      });
      expect(run.stdout).toContain('        | migration failed');

      // the rollout never started: the Deployments keep their spec (generation) and no ReplicaSet of the new digests exists
      const after = await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns });
      expect(after.metadata?.generation).toBe(before.metadata?.generation);
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);
      expect(await image(ns, 'shop-frontend')).toBe(web.frontendA);
      const rs = await appsV1().listNamespacedReplicaSet({ namespace: ns });
      expect(rs.items.map((r) => r.spec?.template?.spec?.containers[0]?.image).sort()).toEqual(
        [web.backendA, web.frontendA].sort(),
      );
      // the failed hook Job is kept for inspection (hook-delete-policy before-hook-creation,hook-succeeded)
      const failedJob = await batchV1().readNamespacedJob({ name: 'shop-migrations', namespace: ns });
      expect(failedJob.status?.failed).toBe(1);
      const h = await history(ns);
      expect(h.map((e) => e.status)).toEqual(['superseded', 'failed', 'deployed']);
      expect(h[1]?.description).toMatch(/pre-upgrade hooks failed/);
      expect(h.at(-1)?.description).toBe('Rollback to 1');
    }, 200_000);

    it('deploys two components into a new PR namespace with ownership labels; outputs revision and URL; redeploys as revision 2', async () => {
      const n = pr(1);
      const ns = `pr-${n}`;
      const run = await deploy({ 'pr-number': n, domain: 'preview.example.com' });
      expect(errors(run)).toEqual([]);
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        release: 'shop',
        namespace: ns,
        revision: '1',
        status: 'deployed',
        url: `http://pr-${n}.preview.example.com`,
        'chart-version': '0.1.0',
      });
      expect(run.outputs['diagnostics']).toBeUndefined();
      const namespace = await coreV1().readNamespace({ name: ns });
      expect(namespace.metadata?.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'polyglot-cd',
        'polyglot-cd/repository-id': '123456789',
        'polyglot-cd/pr': n,
        // Pod Security admission enforces the workflow's level (pod-security: restricted by default)
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      });
      expect(namespace.metadata?.annotations).toMatchObject({
        'polyglot-cd/repository': 'example-org/shop',
        'polyglot-cd/commit': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      });
      expect(Date.parse(namespace.metadata?.annotations?.['polyglot-cd/expires-at'] ?? '')).toBeGreaterThan(
        Date.now() + 167 * 3600_000,
      );
      // the digests reached the Deployments through the generated values file, and the pods really serve
      const backend = await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns });
      expect(backend.spec?.template.spec?.containers[0]?.image).toBe(web.backendA);
      expect(backend.status?.readyReplicas).toBe(1);
      expect(await image(ns, 'shop-frontend')).toBe(web.frontendA);
      const page = await coreV1().connectGetNamespacedServiceProxyWithPath({
        name: 'shop-frontend:http',
        namespace: ns,
        path: '/',
      });
      expect(String(page)).toContain(WEB_INDEX);
      expect(run.summary).toContain('| Revision | 1 |');
      expect(run.summary).toContain(`<code>${web.frontendA}</code>`);
      expect(run.summary).toContain('| API server | 127.0.0.1:');
      expect(run.summary).toContain(`| Helm | v${version} \\(env\\) |`);
      expect(run.stdout).toContain(
        `::notice::Using helm from POLYGLOT_CD_HELM_BIN=${bin} as-is (no version or hash check)`,
      );
      expect(run.stdout).toContain(`helm v${version} (Helm ${major} flags: ${flags}); API server 127.0.0.1:`);
      expect(run.stdout).toContain('::group::helm upgrade --install shop');

      const again = await deploy({ 'pr-number': n, domain: 'preview.example.com' });
      expect(again.code).toBe(0);
      expect(again.outputs).toMatchObject({ revision: '2', status: 'deployed' });
      expect(again.stdout).toContain(`namespace pr-${n}: exists-owned`);
    });

    it('an image that cannot be pulled is named as such, with its digest; the failed first install is uninstalled', async () => {
      const n = pr(3);
      const ns = `pr-${n}`;
      const run = await deploy({ 'pr-number': n, images: imagesInput(web.backendA, missing), timeout: '25s' });
      expect(run.code).toBe(1);
      const diag = diagnostics(run);
      expect(diag.culprit).toMatch(/^frontend: (ImagePullBackOff|ErrImagePull) — /);
      expect(diag.culprit).toContain(`sha256:${'0'.repeat(64)}`);
      const frontend = diag.pods.find((p) => p.component === 'frontend')?.containers[0];
      expect(frontend?.image).toBe(missing);
      expect(frontend?.message).toContain(missing);
      expect(diag.events.some((e) => e.reason === 'Failed' && e.message.includes(missing))).toBe(true);
      // a failed first install with --atomic / --rollback-on-failure is uninstalled, and the outputs say so
      await expect(helm(['status', 'shop', '--namespace', ns], { major })).rejects.toThrow(/not found/);
      expect(run.outputs['status']).toBe('uninstalled');
      expect(errors(run).at(-1)).toContain('The failed first install was uninstalled.');
    });

    it('a first install left pending-install by a killed helm is uninstalled and installed again', async () => {
      const n = pr(8);
      const ns = `pr-${n}`;
      await coreV1().createNamespace({ body: { metadata: { name: ns } } });
      const child = neverReadyHelm('install', ns);
      await waitFor(
        'pending-install',
        async () => (await history(ns).catch(() => [])).at(-1)?.status === 'pending-install',
        { timeoutMs: 60_000 },
      );
      child.kill('SIGKILL');
      const run = await deploy({ 'pr-number': n, 'stuck-after': '0s' });
      expect(errors(run)).toEqual([]);
      expect(run.stdout).toContain('release shop is pending-install (revision 1, for');
      expect(run.stdout).toContain('older than stuck-after, and never deployed: uninstalling it, then deploying again');
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
      expect((await history(ns)).map((e) => e.status)).toEqual(['deployed']);
      expect(
        (await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns })).status?.readyReplicas,
      ).toBe(1);
    }, 200_000);

    it('two concurrent deploys of the same release: one succeeds, the other fails clearly, the release stays consistent', async () => {
      const n = pr(5);
      const ns = `pr-${n}`;
      expect((await deploy({ 'pr-number': n })).code).toBe(0);
      const [a, b] = await Promise.all([deploy({ 'pr-number': n }), deploy({ 'pr-number': n })]);
      expect([a?.code, b?.code].sort()).toEqual([0, 1]);
      const loser = (a?.code === 1 ? a : b) as ActionRun;
      expect(errors(loser)[0]).toMatch(
        /^::error::Another deploy (is running: release shop is pending-upgrade|of release shop in pr-\d+ ran at the same time \(helm: (UPGRADE FAILED: release: already exists|another operation \(install\/upgrade\/rollback\) is in progress)\)\.).*Nothing was changed/,
      );
      expect(loser.outputs['diagnostics']).toBeUndefined();
      const h = await history(ns);
      expect(h.map((e) => e.status)).toEqual(['superseded', 'deployed']);
    });

    it('dry-run renders against the server and diffs with the deployed release, changing nothing', async () => {
      const n = pr(6);
      const ns = `pr-${n}`;
      expect((await deploy({ 'pr-number': n })).code).toBe(0);
      const run = await deploy({ 'pr-number': n, 'dry-run': 'true', images: imagesInput(web.backendB) });
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toMatchObject({ status: 'dry-run', revision: '2' });
      expect(run.stdout).toContain('~~~ Deployment/shop-backend');
      expect(run.stdout).toMatch(new RegExp(`\\+ +image: "?${escapeRe(web.backendB)}"?`));
      expect(run.stdout).toMatch(new RegExp(`- +image: "?${escapeRe(web.backendA)}"?`));
      expect(run.summary).toContain('Dry run: 0 new, ');
      expect((await history(ns)).map((e) => e.revision)).toEqual([1]);
      expect(await image(ns, 'shop-backend')).toBe(web.backendA);
    });

    it('the migration hook Job runs before the rollout and is deleted once it succeeded', async () => {
      const n = pr(10);
      const ns = `pr-${n}`;
      const run = await deploy({ 'pr-number': n });
      expect(errors(run)).toEqual([]);
      const status = JSON.parse(
        (await helm(['status', 'shop', '--namespace', ns, '-o', 'json'], { major })).stdout,
      ) as {
        hooks: {
          name: string;
          kind: string;
          events: string[];
          manifest: string;
          last_run: { phase: string; completed_at: string };
        }[];
      };
      expect(status.hooks).toHaveLength(1);
      const hook = status.hooks[0];
      expect(hook).toMatchObject({
        name: 'shop-migrations',
        kind: 'Job',
        events: ['pre-install', 'pre-upgrade'],
        last_run: { phase: 'Succeeded' },
      });
      expect(hook?.manifest).toContain('echo migrated');
      expect(hook?.manifest).toContain(`image: "${web.backendA}"`);
      // its pod ran on the node and completed; helm then deleted the Job (hook-succeeded)
      const events = (await coreV1().listNamespacedEvent({ namespace: ns })).items;
      const jobEvents = events
        .filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === 'shop-migrations')
        .map((e) => e.reason);
      expect(jobEvents).toEqual(expect.arrayContaining(['SuccessfulCreate', 'Completed']));
      expect(
        events.some(
          (e) =>
            e.involvedObject.kind === 'Pod' &&
            e.involvedObject.name?.startsWith('shop-migrations-') &&
            e.reason === 'Started',
        ),
      ).toBe(true);
      const jobs = await batchV1().listNamespacedJob({ namespace: ns });
      expect(jobs.items).toEqual([]);
      // pre-install: the Deployments were created only after the Job completed
      const created = (await appsV1().readNamespacedDeployment({ name: 'shop-backend', namespace: ns })).metadata
        ?.creationTimestamp;
      expect(new Date(created ?? 0).getTime()).toBeGreaterThanOrEqual(
        Math.floor(Date.parse(hook?.last_run.completed_at ?? '') / 1000) * 1000,
      );
    });

    it('a values file asking for more than the pod-security level (privileged, hostPath, root, added capabilities) is refused before anything is created', async () => {
      const dir = join(repoRoot, '.tmp', `pcd-pr-values-${major}`);
      mkdirSync(dir, { recursive: true });
      const asks: [string, unknown, RegExp][] = [
        [
          'privileged',
          { securityContext: { privileged: true } },
          /components\.backend\.securityContext\.privileged: true is not allowed at security\.podSecurity restricted/,
        ],
        [
          'hostpath',
          { extraVolumes: [{ name: 'host', hostPath: { path: '/etc' } }] },
          /components\.backend\.extraVolumes host: hostPath volumes are not allowed/,
        ],
        [
          'root',
          { podSecurityContext: { runAsUser: 0 } },
          /components\.backend\.podSecurityContext\.runAsUser: 0 \(root\) is not allowed/,
        ],
        [
          'caps',
          { securityContext: { capabilities: { add: ['NET_ADMIN'] } } },
          /capabilities\.add NET_ADMIN is not allowed/,
        ],
        // a values file cannot raise the level itself: helm-deploy sets security.podSecurity after it
        [
          'raise',
          { securityContext: { privileged: true }, __level: 'privileged' },
          /privileged: true is not allowed at security\.podSecurity restricted/,
        ],
      ];
      for (const [name, backend, message] of asks) {
        const n = pr(20 + asks.findIndex((a) => a[0] === name));
        const { __level: level, ...component } = backend as Record<string, unknown>;
        const file = join(dir, `${name}.yaml`);
        writeFileSync(
          file,
          dump({ ...(level ? { security: { podSecurity: level } } : {}), components: { backend: component } }),
        );
        const run = await deploy({ 'pr-number': n, 'values-files': `${shopValues}\n${file}` });
        expect(run.code).toBe(1);
        expect(errors(run)[0]).toMatch(/^::error::The chart refuses these values \(nothing was created\): /);
        expect(errors(run)[0]).toMatch(message);
        await expect(coreV1().readNamespace({ name: `pr-${n}` })).rejects.toMatchObject({ code: 404 });
      }
      // the workflow may allow more: pod-security privileged renders the same values and labels the namespace so
      const n = pr(29);
      const ok = await deploy({
        'pr-number': n,
        'pod-security': 'privileged',
        'values-files': `${shopValues}\n${join(dir, 'caps.yaml')}`,
      });
      expect(errors(ok)).toEqual([]);
      expect(ok.outputs).toMatchObject({ status: 'deployed', revision: '1' });
      expect(
        (await coreV1().readNamespace({ name: `pr-${n}` })).metadata?.labels?.['pod-security.kubernetes.io/enforce'],
      ).toBe('privileged');
    });

    it('a pr-<N> namespace that another repository owns is refused, not deployed into', async () => {
      const n = pr(30);
      const ns = `pr-${n}`;
      await coreV1().createNamespace({
        body: {
          metadata: {
            name: ns,
            labels: {
              'app.kubernetes.io/managed-by': 'polyglot-cd',
              'polyglot-cd/repository-id': '987654321',
              'polyglot-cd/pr': n,
            },
            annotations: { 'polyglot-cd/repository': 'other-org/other' },
          },
        },
      });
      const run = await deploy({ 'pr-number': n });
      expect(run.code).toBe(1);
      expect(errors(run)[0]).toContain(
        `Namespace ${ns} belongs to another repository (polyglot-cd/repository-id=987654321, other-org/other; this repository is 123456789): nothing was deployed.`,
      );
      await expect(helm(['status', 'shop', '--namespace', ns], { major })).rejects.toThrow(/not found/);
      expect((await coreV1().readNamespace({ name: ns })).metadata?.labels?.['polyglot-cd/repository-id']).toBe(
        '987654321',
      );
    });

    it('deploys with a client-certificate kubeconfig (system:masters cert signed by the cluster CA)', async () => {
      const n = pr(7);
      const run = await deploy({ 'pr-number': n, kubeconfig: certKubeconfig().text });
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
      expect(run.stdout).toContain('(kubeconfig, client-certificate)');
    });

    it.sequential(
      'the kubeconfig token and client key never appear in any log, output, summary or state of any run',
      () => {
        const token = tokenOf(kubeconfig());
        const { keyData, keyPem } = certKubeconfig();
        const keyLines = keyPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
        expect(token.length).toBeGreaterThan(8);
        expect(keyLines.length).toBeGreaterThan(0);
        expect(runs.length).toBeGreaterThan(20);
        for (const run of runs) {
          const visible = run.everything
            .split('\n')
            .filter((l) => !l.startsWith('::add-mask::'))
            .join('\n');
          for (const secret of [token, keyData, ...keyLines]) expect(visible).not.toContain(secret);
        }
        const certRun = runs.find((r) => r.stdout.includes('(kubeconfig, client-certificate)'));
        for (const l of keyLines) expect(certRun?.stdout).toContain(`::add-mask::${l}`);
      },
    );
  },
  // several real rollouts per test, on a shared 2-core machine
  240_000,
);
