/**
 * helm-deploy and namespaces, against the kube stack (test/kube/stack.ts: Kubernetes v1.34 with one real
 * node, pods really run), on Helm 4 and on Helm 3 (the stack's real binaries, named by
 * POLYGLOT_CD_HELM_BIN), with the same tests: namespace-scoped credentials with create-namespace: false
 * (no cluster-scoped call at all), a Terminating namespace waited on (bounded, with its blocking
 * conditions on timeout), cancellation mid-rollout, in-cluster credentials, and the post step.
 * charts/app with examples/shop.yaml; backend and frontend are two digests of the test web image.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RbacAuthorizationV1Api, setHeaderOptions } from '@kubernetes/client-node';
import { parse as load, stringify as dump } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseFileCommands,
  repoRoot,
  runBundle,
  runInProcess,
  workspace,
  type ActionRun,
} from '../../helpers/action-env.js';
import {
  coreV1,
  helm,
  helmOf,
  HELM_MAJORS,
  kubeConfig,
  kubeconfigPath,
  stackInfo,
  uniqueName,
  waitFor,
  type HelmMajor,
} from '../../kube/harness.js';
import { imageVariant } from '../../kube/workload-images.js';

const cleanup: string[] = [];
let images = '';

/** A migration command the test image has (busybox sh), a short grace period, small CPU requests. */
const BASE_VALUES = {
  defaults: { terminationGracePeriodSeconds: 2, resources: { requests: { cpu: '10m' } } },
  migrations: { command: ['sh', '-c', 'echo migrated'] },
};
/**
 * shop.yaml takes the backend's DATABASE_URL from the Secret shop-db. A namespace the test creates gets
 * that Secret (createShopDb); one helm-deploy creates (a PR namespace) cannot have it beforehand, so
 * there the URL is a plain value (nothing in these pods connects to it).
 */
const PLAIN_DB_URL = { components: { backend: { env: { DATABASE_URL: 'postgres://shop@db:5432/shop' } } } };

function values(...extra: Record<string, unknown>[]): string {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const o = out[k];
      out[k] =
        o && v && typeof o === 'object' && typeof v === 'object' && !Array.isArray(v)
          ? merge(o as Record<string, unknown>, v as Record<string, unknown>)
          : v;
    }
    return out;
  };
  return dump(extra.reduce(merge, BASE_VALUES));
}

beforeAll(async () => {
  const web = stackInfo().images.web;
  const [backend, frontend] = await Promise.all([imageVariant(web, 'backend-a'), imageVariant(web, 'frontend-a')]);
  images = `backend: ${backend}\nfrontend: ${frontend}`;
});

afterAll(async () => {
  await Promise.all(
    cleanup.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

async function createShopDb(namespace: string): Promise<void> {
  await coreV1().createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'shop-db' }, stringData: { url: 'postgres://shop@db:5432/shop' } },
  });
}

/**
 * A kubeconfig for a ServiceAccount whose Role, inside one namespace, covers what charts/app creates and
 * what the diagnostics read — and nothing about namespaces.
 */
async function namespaceScopedKubeconfig(namespace: string): Promise<string> {
  const core = coreV1();
  const rbac = kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'deployer' } } });
  await rbac.createNamespacedRole({
    namespace,
    body: {
      metadata: { name: 'deployer' },
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets', 'configmaps', 'services', 'serviceaccounts', 'pods', 'pods/log', 'events'],
          verbs: ['*'],
        },
        { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['*'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ['*'] },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['*'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['*'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] },
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'deployer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace }],
    },
  });
  // TokenRequest: served by the API server itself (no wait for the token controller)
  const req = await core.createNamespacedServiceAccountToken({
    name: 'deployer',
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = req.status?.token ?? '';
  expect(token).not.toBe('');
  const admin = load(readFileSync(kubeconfigPath(), 'utf8')) as { clusters: { cluster: Record<string, string> }[] };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: admin.clusters[0]?.cluster }],
    users: [{ name: 'deployer', user: { token } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'deployer', namespace } }],
    'current-context': 'x',
  });
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

describe.concurrent.each(HELM_MAJORS.map((major) => ({ major, version: helmOf(major).version })))(
  'helm-deploy and namespaces with Helm $version',
  ({ major, version }: { major: HelmMajor; version: string }) => {
    const env = { POLYGLOT_CD_HELM_BIN: helmOf(major).bin, GITHUB_WORKSPACE: repoRoot };

    function inputs(extra: Record<string, string>): Record<string, string> {
      return {
        release: 'shop',
        kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
        'helm-version': version,
        'values-files': join(repoRoot, 'charts/app/examples/shop.yaml'),
        values: values(PLAIN_DB_URL),
        images,
        timeout: '60s',
        ...extra,
      };
    }

    /** A PR number no other test (or Helm major) uses. */
    function prNumber(base: number): string {
      const n = `${base + Math.floor(Math.random() * 999)}${major}`;
      cleanup.push(`pr-${n}`);
      return n;
    }

    async function status(ns: string): Promise<{ version: number; info: { status: string } }> {
      return JSON.parse((await helm(['status', 'shop', '-n', ns, '-o', 'json'], { major })).stdout);
    }

    it('create-namespace: false works with a Role that has no access to namespaces at all; create-namespace: true then fails clearly on the 403', async () => {
      const ns = uniqueName(`scoped${major}`);
      cleanup.push(ns);
      await coreV1().createNamespace({ body: { metadata: { name: ns } } });
      await createShopDb(ns);
      const kubeconfig = await namespaceScopedKubeconfig(ns);

      const run = await runBundle(
        'helm-deploy',
        workspace(inputs({ namespace: ns, kubeconfig, 'create-namespace': 'false', values: values() }), env),
        { timeoutMs: 120_000 },
      );
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toMatchObject({ namespace: ns, status: 'deployed', revision: '1' });
      expect(run.stdout).toContain(`namespace ${ns}: not checked (create-namespace: false: no cluster-scoped call)`);
      // the backend's DATABASE_URL really came from the Secret (the pod started with it)
      const backend = (
        await coreV1().listNamespacedPod({ namespace: ns, labelSelector: 'app.kubernetes.io/component=backend' })
      ).items[0];
      expect(
        backend?.spec?.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef,
      ).toMatchObject({ name: 'shop-db', key: 'url' });
      expect(backend?.status?.containerStatuses?.[0]?.ready).toBe(true);

      // the same credentials with create-namespace: true: reading the namespace is refused, clearly
      const denied = await runBundle(
        'helm-deploy',
        workspace(inputs({ namespace: ns, kubeconfig, values: values() }), env),
        { timeoutMs: 120_000 },
      );
      expect(denied.code).toBe(1);
      expect(errors(denied)[0]).toMatch(
        new RegExp(
          `^::error::Could not read namespace ${ns}: HTTP 403 Forbidden: namespaces "${ns}" is forbidden: User "system:serviceaccount:${ns}:deployer" cannot get resource "namespaces".*set create-namespace: false`,
        ),
      );
    });

    it('a Terminating namespace: a bounded wait names what blocks it; once it is gone, the deploy creates it again', async () => {
      const n = prNumber(90000);
      const ns = `pr-${n}`;
      await coreV1().createNamespace({ body: { metadata: { name: ns } } });
      await coreV1().createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
      });
      await coreV1().deleteNamespace({ name: ns });
      await waitFor('NamespaceFinalizersRemaining', async () =>
        (await coreV1().readNamespace({ name: ns })).status?.conditions?.some(
          (c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True',
        ),
      );

      const stuck = await runBundle(
        'helm-deploy',
        workspace(inputs({ 'pr-number': n, 'terminating-timeout': '3s' }), env),
      );
      expect(stuck.code).toBe(1);
      expect(errors(stuck)[0]).toMatch(
        new RegExp(
          `^::error::Namespace ${ns} is still Terminating after \\d+s, so nothing can be deployed into it\\. Its deletion is blocked: .*NamespaceFinalizersRemaining: SomeFinalizersRemain.*example\\.com/hold.*Finalizers are never removed automatically`,
        ),
      );
      expect((await coreV1().readNamespacedConfigMap({ name: 'held', namespace: ns })).metadata?.finalizers).toEqual([
        'example.com/hold',
      ]);

      const waiting = runBundle(
        'helm-deploy',
        workspace(inputs({ 'pr-number': n, 'terminating-timeout': '60s' }), env),
        { timeoutMs: 150_000 },
      );
      // long enough for the action to reach its namespace step (after installing helm and the render
      // check) on a loaded machine, well inside the 60 s it waits; the namespace's own log is replayed
      // only after the step, so the test cannot watch for the wait itself
      await new Promise((r) => setTimeout(r, 8_000));
      // the owner of the finalizer finishes its work
      await coreV1().patchNamespacedConfigMap(
        { name: 'held', namespace: ns, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
        setHeaderOptions('Content-Type', 'application/json-patch+json'),
      );
      const run = await waiting;
      expect(errors(run)).toEqual([]);
      expect(run.stdout).toContain(`namespace ${ns} is Terminating (being deleted): waiting up to 60s`);
      expect(run.stdout).toContain(`namespace ${ns}: created-after-terminating`);
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    });

    it('cancelled mid-rollout: helm gets the signal, the step ends within seconds and says what state the release is in', async () => {
      const n = prNumber(80000);
      const ns = `pr-${n}`;
      expect(
        (await runBundle('helm-deploy', workspace(inputs({ 'pr-number': n }), env), { timeoutMs: 120_000 })).code,
      ).toBe(0);
      // an upgrade whose backend never becomes ready (its readiness probe asks a path the image does not serve)
      const ws = workspace(
        inputs({
          'pr-number': n,
          timeout: '90s',
          values: values(PLAIN_DB_URL, { components: { backend: { healthPath: '/nope' } } }),
        }),
        env,
      );
      const child = spawn(process.execPath, [join(repoRoot, 'dist/helm-deploy/index.js')], {
        env: ws.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      await waitFor(
        'helm upgrade to start waiting',
        async () =>
          stdout.includes('::group::helm upgrade --install shop') &&
          (await status(ns)).info.status === 'pending-upgrade',
        {
          timeoutMs: 60_000,
        },
      );
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      // the action gives helm a few seconds' grace after forwarding the signal; well under the 90 s the
      // rollout would otherwise wait (bounded loosely: three suites share two cores here)
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(code).toBe(1);
      expect(stdout).toContain('::warning::Received SIGTERM: passing it to 1 running tool(s)');
      // helm answers SIGTERM by cancelling its wait (and, with --atomic / --rollback-on-failure, may roll
      // back); whatever state it reaches within the grace period is the one reported, and it is the
      // release's real state
      const real = await status(ns);
      expect(['deployed', 'pending-upgrade', 'pending-rollback', 'failed']).toContain(real.info.status);
      if (stdout.includes('release shop is unknown (helm status did not answer)')) {
        // the state is asked with a 5 s bound (a cancelled job has seconds left); on a machine too loaded
        // to answer in time the action says it does not know, and never guesses
        expect(stdout).toContain('::warning::helm did not finish within 5s: stopping it');
        return;
      }
      expect(stdout).toContain(
        `::error::helm-deploy was cancelled: The deploy was cancelled while helm was running; release shop is ${real.info.status} (revision ${real.version}).`,
      );
      const outputs = parseFileCommands(readFileSync(join(ws.dir, 'output'), 'utf8'));
      expect(outputs).toMatchObject({ status: real.info.status, revision: String(real.version) });
      expect(readFileSync(join(ws.dir, 'summary'), 'utf8')).toContain(`| Status | ${real.info.status} |`);
    });

    it("in-cluster: the runner pod's service account (token and CA files) reaches the API server through helm, with no kubeconfig input", async () => {
      const ns = uniqueName(`incluster${major}`);
      cleanup.push(ns);
      await coreV1().createNamespace({ body: { metadata: { name: ns } } });
      await createShopDb(ns);
      const scoped = JSON.parse(await namespaceScopedKubeconfig(ns)) as {
        clusters: { cluster: Record<string, string> }[];
        users: { user: { token: string } }[];
      };
      const prefix = mkdtempSync(join(tmpdir(), 'pcd-pod-'));
      const saDir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
      mkdirSync(saDir, { recursive: true });
      const token = scoped.users[0]?.user.token ?? '';
      writeFileSync(join(saDir, 'token'), token);
      writeFileSync(
        join(saDir, 'ca.crt'),
        Buffer.from(scoped.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64'),
      );
      const server = new URL(scoped.clusters[0]?.cluster['server'] ?? '');
      const { main } = await import('../../../actions/helm-deploy/src/main.js');
      const { kubeconfig: _, ...rest } = inputs({
        namespace: ns,
        'create-namespace': 'false',
        'in-cluster': 'true',
        values: values(),
      });
      const ws = workspace(rest, {
        ...env,
        KUBERNETES_SERVICE_HOST: server.hostname,
        KUBERNETES_SERVICE_PORT: server.port,
      });
      const run = await runInProcess(
        'helm-deploy',
        (ctx) => main(ctx, { serviceAccountPrefix: prefix, defaultChart: join(repoRoot, 'charts/app') }),
        ws,
      );
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toMatchObject({ namespace: ns, status: 'deployed', revision: '1' });
      expect(run.stdout).toContain(`API server ${server.host} (in-cluster, service-account)`);
      expect(run.stdout).toContain(`helm v${version} (Helm ${major} flags:`);
      expect(run.stdout).toContain(`::add-mask::${token}`);
      expect(
        run.everything
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
      ).not.toContain(token);
    });

    it('the kubeconfig is gone after the step; a leftover (0600 in a 0700 directory) is removed by the post step', async () => {
      const n = prNumber(70000);
      const run = await runBundle('helm-deploy', workspace(inputs({ 'pr-number': n }), env), { timeoutMs: 120_000 });
      expect(run.code).toBe(0);
      const state = parseFileCommands(readFileSync(join(run.dir, 'state'), 'utf8'));
      const path = state['kubeconfig_path'] ?? '';
      expect(path.startsWith(run.dir)).toBe(true);
      expect(existsSync(path)).toBe(false);
      expect(run.stdout).not.toContain(path.replace(/\/kubeconfig$/, '/values'));

      // a main step killed before its cleanup leaves the file: the post step removes it
      const { writeKubeconfigFile } = await import('@polyglot-cd/kube');
      const leftover = writeKubeconfigFile('apiVersion: v1\nkind: Config\n', run.dir);
      expect(statSync(leftover).mode & 0o777).toBe(0o600);
      expect(statSync(join(leftover, '..')).mode & 0o777).toBe(0o700);
      const post = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, [join(repoRoot, 'dist/helm-deploy/post/index.js')], {
          env: {
            PATH: process.env['PATH'] ?? '',
            RUNNER_TEMP: run.dir,
            STATE_kubeconfig_path: leftover,
            GITHUB_STATE: join(run.dir, 'state'),
          },
        });
        let out = '';
        c.stdout.on('data', (b: Buffer) => (out += b.toString()));
        c.on('close', (code) => resolve({ code, stdout: out }));
      });
      expect(post.code).toBe(0);
      expect(post.stdout).toContain('Removed the kubeconfig written by this action');
      expect(existsSync(leftover)).toBe(false);
    });
  },
  // several real rollouts per test, on a shared 2-core machine
  240_000,
);
