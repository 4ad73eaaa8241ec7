// charts/app on the real cluster of test/kube (Kubernetes v1.34 API server, controller-manager and one
// real node), with real Helm 4 and Helm 3: the same tests run on both majors.
//
// Per profile (PR, production, production + canary), three checks:
// 1. `helm install --dry-run=server`: helm's own validation against the server (discovery →
//    .Capabilities, REST mappings for every kind). Hooks are not part of it.
// 2. A server-side dry-run create (?dryRun=All) of every object, hooks included: the API server's
//    validation and admission. Unknown fields are dropped with a warning rather than rejected, so the
//    object the server returns must still hold every field we sent.
// 3. (PR and production) a real `helm install --wait` in a namespace that enforces the "restricted" Pod
//    Security Standard: the migration hook Job runs to completion first, then the Deployments roll out
//    and their pods become Ready on the node; in production the HPA (autoscaling/v2) scales them to its
//    minReplicas and the PDB (policy/v1) counts them.
// Every pod runs the stack's web image (busybox httpd as UID 10001), by digest; the backend's
// DATABASE_URL comes from the Secret shop-db that charts/app/examples/shop.yaml refers to.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appsV1,
  coreV1,
  helm,
  helmOf,
  HELM_MAJORS,
  type HelmMajor,
  kubeConfig,
  rawApi,
  stackInfo,
  uniqueName,
  waitFor,
} from '../kube/harness.js';
import { imageVariant } from '../kube/workload-images.js';
import { chartDir, type K8sObject, parseManifests, prodValues, shopValues, valuesFile } from './chart.js';

interface Hook {
  name: string;
  kind: string;
  manifest: string;
  events: string[];
  last_run?: { started_at?: string; completed_at?: string; phase?: string };
}

interface HelmRelease {
  manifest: string;
  hooks?: Hook[];
  info: { status: string; notes?: string };
}

/** Paths of `sent` that `got` lacks or holds with another value (what the API server dropped). */
function droppedFields(sent: unknown, got: unknown, path = ''): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(got)) return [path];
    return sent.flatMap((v, i) => droppedFields(v, got[i], `${path}[${i}]`));
  }
  if (sent !== null && typeof sent === 'object') {
    if (got === null || typeof got !== 'object') return [path];
    return Object.entries(sent).flatMap(([k, v]) =>
      droppedFields(v, (got as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  return sent === got ? [] : [`${path} (sent ${JSON.stringify(sent)}, got ${JSON.stringify(got)})`];
}

const api = rawApi;

/** The collection URL of a namespaced kind, found through the server's discovery (not a guessed plural). */
async function collectionPath(kc: KubeConfig, apiVersion: string, kind: string, namespace: string): Promise<string> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const { status, json } = await api(kc, 'GET', base);
  if (status !== 200) throw new Error(`the server doesn't serve ${apiVersion} (${status})`);
  const res = (json as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources.find(
    (r) => r.kind === kind && !r.name.includes('/'),
  );
  if (!res) throw new Error(`the server serves no ${kind} in ${apiVersion}`);
  if (!res.namespaced) throw new Error(`${kind} is cluster-scoped: the chart must only render namespaced objects`);
  return `${base}/namespaces/${namespace}/${res.name}`;
}

/** `<registry>/<repo>@sha256:…` as the chart's image values. */
function imageValues(ref: string): { repository: string; digest: string } {
  const at = ref.indexOf('@');
  if (at < 0) throw new Error(`not a digest reference: ${ref}`);
  return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
}

const valuesArgs = (files: string[]) => files.flatMap((f) => ['--values', f]);
const seconds = (iso: string | Date | undefined): number => Math.floor(new Date(iso ?? NaN).getTime() / 1000);

const namespaces: string[] = [];
afterAll(async () => {
  // not waited on: the namespace controller removes the pods and everything else in the background
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

describe.each(HELM_MAJORS.map((m) => [m, helmOf(m).version] as [HelmMajor, string]))(
  'charts/app on the real cluster, Helm %s (%s)',
  (major) => {
    const namespace = uniqueName(`chart${major}`);
    namespaces.push(namespace);
    const { images, node } = stackInfo();
    const run = (args: string[], timeoutMs?: number) => helm(args, { major, ...(timeoutMs ? { timeoutMs } : {}) });
    let kc: KubeConfig;
    let core: CoreV1Api;
    let profiles: Record<'pr' | 'prod' | 'prod + canary', string[]>;

    beforeAll(async () => {
      kc = kubeConfig();
      core = kc.makeApiClient(CoreV1Api);
      await core.createNamespace({
        body: {
          metadata: {
            name: namespace,
            labels: {
              'polyglot-cd/test': 'chart',
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/enforce-version': 'latest',
            },
          },
        },
      });
      // what shop.yaml's backend reads DATABASE_URL from
      await core.createNamespacedSecret({
        namespace,
        body: { metadata: { name: 'shop-db' }, stringData: { url: 'postgresql://shop@db:5432/shop' } },
      });
      // the stack's web image for both components (it serves /healthz on 8000 and /health on 3000), and
      // a migration command that image really has
      const live = valuesFile({
        components: { backend: { image: imageValues(images.web) }, frontend: { image: imageValues(images.web) } },
        migrations: { command: ['sh', '-c', 'echo migrated'] },
      });
      const canary = imageValues(await imageVariant(images.web, 'chart-canary'));
      profiles = {
        pr: [shopValues, live, valuesFile({ ingress: { host: 'pr-42.preview.example.com' } })],
        prod: [prodValues, shopValues, live],
        'prod + canary': [
          prodValues,
          shopValues,
          live,
          valuesFile({ canary: { enabled: true, component: 'backend', weight: 10, image: { digest: canary.digest } } }),
        ],
      };
    });

    /** Server-side dry-run create of each object: what the server rejected, and what it silently dropped. */
    async function serverCheck(objs: K8sObject[]): Promise<string[]> {
      const problems: string[] = [];
      for (const obj of objs) {
        const sent = { ...obj, metadata: { ...obj.metadata, namespace } };
        const path = await collectionPath(kc, obj.apiVersion, obj.kind, namespace);
        const { status, json } = await api(kc, 'POST', `${path}?dryRun=All`, sent);
        if (status !== 201) {
          problems.push(
            `${obj.kind}/${obj.metadata.name} rejected (${status}): ${(json as { message?: string } | undefined)?.message}`,
          );
          continue;
        }
        const dropped = droppedFields(sent, json);
        if (dropped.length) problems.push(`${obj.kind}/${obj.metadata.name} lost: ${dropped.join(', ')}`);
      }
      return problems;
    }

    async function dryRunInstall(release: string, files: string[], extra: string[] = []): Promise<HelmRelease> {
      const r = await run([
        'install',
        release,
        chartDir,
        '--namespace',
        namespace,
        '--dry-run=server',
        '--output',
        'json',
        ...valuesArgs(files),
        ...extra,
      ]);
      return JSON.parse(r.stdout) as HelmRelease;
    }

    describe.each(['pr', 'prod', 'prod + canary'] as const)('%s profile', (profile) => {
      let release: HelmRelease;
      let all: K8sObject[];
      beforeAll(async () => {
        release = await dryRunInstall(`shop-${profile.replace(/\W+/g, '-')}`, profiles[profile]);
        all = [
          ...parseManifests(release.manifest),
          ...(release.hooks ?? []).flatMap((h) => parseManifests(h.manifest)),
        ];
      });

      it("passes helm's install validation against the server", () => {
        const kinds = new Set(all.map((o) => o.kind));
        for (const k of ['Deployment', 'Service', 'ServiceAccount', 'Ingress', 'NetworkPolicy', 'Job'])
          expect(kinds).toContain(k);
        if (profile.includes('canary'))
          expect(all.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Ingress/shop-prod-canary-canary');
        expect(release.info.status).toBe('pending-install');
        expect(release.info.notes).toContain(
          profile === 'pr' ? 'URL: http://pr-42.preview.example.com' : 'URL: https://shop.example.com',
        );
      });

      it('uses the current APIs the server serves (autoscaling/v2, policy/v1)', () => {
        // no opentelemetry.io CRD on this server: no Instrumentation, no inject annotations
        expect(all.filter((o) => o.kind === 'Instrumentation')).toEqual([]);
        for (const d of all.filter((o) => o.kind === 'Deployment'))
          expect(d.spec.template.metadata.annotations).toBeUndefined();
        expect(release.info.notes).toContain(
          'OpenTelemetry is enabled but the cluster has no opentelemetry.io/v1alpha1 Instrumentation CRD',
        );
        const hpas = all.filter((o) => o.kind === 'HorizontalPodAutoscaler');
        const pdbs = all.filter((o) => o.kind === 'PodDisruptionBudget');
        if (profile !== 'pr') {
          expect(hpas.map((o) => o.apiVersion)).toEqual(['autoscaling/v2', 'autoscaling/v2']); // none for the canary
          expect(pdbs.map((o) => o.apiVersion)).toEqual(['policy/v1', 'policy/v1']);
        } else {
          expect([...hpas, ...pdbs]).toEqual([]);
        }
      });

      it('is accepted object by object (hooks included) by a server-side dry run, with no field dropped', async () => {
        const problems = await serverCheck(all);
        expect(problems).toEqual([]);
      });
    });

    it('the server check catches what the server rejects and what it drops', async () => {
      const [deploy] = parseManifests((await dryRunInstall('shop-neg', profiles.pr)).manifest).filter(
        (o) => o.kind === 'Deployment',
      );
      deploy!.spec.template.spec.containers[0].bogusField = true;
      const svc = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bad-port' },
        spec: { ports: [{ port: 70000 }] },
      };
      const problems = await serverCheck([deploy!, svc]);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toContain('spec.template.spec.containers[0].bogusField');
      expect(problems[1]).toMatch(/Service\/bad-port rejected \(422\).*70000/);
    });

    it('refuses otel.force on a cluster without the CRD, as documented', async () => {
      await expect(dryRunInstall('shop-force', profiles.pr, ['--set', 'otel.force=true'])).rejects.toThrow(
        /Instrumentation/,
      );
    });

    it('the namespace really enforces the restricted Pod Security Standard', async () => {
      // a pod without the chart's security settings is refused, so the installs below prove the chart's pods pass
      const bare = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare' },
        spec: { containers: [{ name: 'web', image: images.web }] },
      };
      const { status, json } = await api(kc, 'POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, bare);
      expect(status).toBe(403);
      const s = json as { reason?: string; message?: string };
      expect(s.reason).toBe('Forbidden');
      expect(s.message).toContain('pods "bare" is forbidden: violates PodSecurity "restricted:latest"');
      expect(s.message).toContain('runAsNonRoot != true');
      expect(s.message).toContain('allowPrivilegeEscalation != false');
    });

    it.each(['pr', 'prod'] as const)(
      'installs the %s profile for real: migrations first, then pods Ready on the node',
      async (profile) => {
        const release = `live-${profile}`;
        const selector = `app.kubernetes.io/instance=${release}`;
        await run(
          [
            'install',
            release,
            chartDir,
            '--namespace',
            namespace,
            '--wait',
            '--timeout',
            '180s',
            ...valuesArgs(profiles[profile]),
          ],
          240_000,
        );
        try {
          const st = JSON.parse(
            (await run(['status', release, '--namespace', namespace, '--output', 'json'])).stdout,
          ) as HelmRelease;
          expect(st.info.status).toBe('deployed');

          // The migration hook: run by helm to completion before any Deployment existed, then deleted (hook-succeeded).
          const hook = st.hooks?.find((h) => h.kind === 'Job' && h.name === `${release}-migrations`);
          expect(hook?.events).toEqual(['pre-install', 'pre-upgrade']);
          expect(hook?.last_run?.phase).toBe('Succeeded');
          const job = parseManifests(hook?.manifest ?? '')[0];
          expect(job?.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'echo migrated']);
          const deployments = (await appsV1().listNamespacedDeployment({ namespace, labelSelector: selector })).items;
          expect(deployments.map((d) => d.metadata?.name).sort()).toEqual([
            `${release}-backend`,
            `${release}-frontend`,
          ]);
          for (const d of deployments) {
            expect(seconds(d.metadata?.creationTimestamp)).toBeGreaterThanOrEqual(
              seconds(hook?.last_run?.completed_at),
            );
            expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
          }
          await waitFor(
            'the succeeded hook Job to be deleted',
            async () =>
              (await api(kc, 'GET', `/apis/batch/v1/namespaces/${namespace}/jobs/${release}-migrations`)).status ===
              404,
            { timeoutMs: 30_000 },
          );
          // what the Job controller and the kubelet recorded: the pod was created, its container started, the Job completed
          const jobEvents = await waitFor("the migration Job's events", async () => {
            const ev = (
              await core.listNamespacedEvent({
                namespace,
                fieldSelector: `involvedObject.kind=Job,involvedObject.name=${release}-migrations`,
              })
            ).items;
            return ev.some((e) => e.reason === 'Completed') && ev.some((e) => e.reason === 'SuccessfulCreate')
              ? ev
              : undefined;
          });
          expect(jobEvents.find((e) => e.reason === 'Completed')?.message).toBe('Job completed');
          const pod = /^Created pod: (\S+)$/.exec(
            jobEvents.find((e) => e.reason === 'SuccessfulCreate')?.message ?? '',
          )?.[1];
          expect(pod).toMatch(new RegExp(`^${release}-migrations-`));
          const started = await waitFor("the migration pod's Started event", async () => {
            const ev = (
              await core.listNamespacedEvent({
                namespace,
                fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod}`,
              })
            ).items;
            return ev.find((e) => e.reason === 'Started');
          });
          expect(started.message).toBe('Started container migrations');
          for (const d of deployments)
            expect(seconds(started.lastTimestamp ?? started.eventTime)).toBeLessThanOrEqual(
              seconds(d.metadata?.creationTimestamp),
            );

          if (profile === 'prod') {
            // The real HPA controller scales each Deployment to the profile's minReplicas (3; there is no
            // metrics server, so it never goes higher), and the PDB counts the healthy pods.
            for (const c of ['backend', 'frontend']) {
              const name = `${release}-${c}`;
              const hpa = await api(
                kc,
                'GET',
                `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${name}`,
              );
              expect(hpa.status).toBe(200);
              expect((hpa.json as { spec: unknown }).spec).toMatchObject({
                minReplicas: 3,
                maxReplicas: 10,
                scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
              });
              await waitFor(
                `${name} scaled to 3 ready replicas by its HPA`,
                async () => {
                  const d = await appsV1().readNamespacedDeployment({ name, namespace });
                  return d.spec?.replicas === 3 && d.status?.readyReplicas === 3;
                },
                { timeoutMs: 120_000, intervalMs: 1000 },
              );
              const pdb = await waitFor(
                `${name}'s PDB to count 3 healthy pods`,
                async () => {
                  const r = await api(
                    kc,
                    'GET',
                    `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}`,
                  );
                  const s = (r.json as { status?: { currentHealthy?: number } }).status;
                  return r.status === 200 && s?.currentHealthy === 3
                    ? (r.json as { spec: unknown; status: unknown })
                    : undefined;
                },
                { timeoutMs: 60_000, intervalMs: 1000 },
              );
              expect(pdb.spec).toMatchObject({ maxUnavailable: 1 });
              expect(pdb.status).toMatchObject({
                expectedPods: 3,
                currentHealthy: 3,
                desiredHealthy: 2,
                disruptionsAllowed: 1,
              });
            }
          }

          // every pod of the release runs on the real node, Ready, as UID 10001 with the restricted settings
          const pods = (
            await core.listNamespacedPod({ namespace, labelSelector: `${selector},polyglot-cd/track=stable` })
          ).items.filter((p) => !p.metadata?.deletionTimestamp);
          expect(pods).toHaveLength(profile === 'prod' ? 6 : 2);
          for (const p of pods) {
            expect(p.spec?.nodeName).toBe(node.name);
            expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
            expect(p.spec?.containers[0]?.image).toBe(images.web);
            expect(p.spec?.securityContext).toMatchObject({
              runAsNonRoot: true,
              runAsUser: 10001,
              seccompProfile: { type: 'RuntimeDefault' },
            });
            expect(p.spec?.containers[0]?.securityContext).toMatchObject({
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            });
          }
          const backend = pods.find((p) => p.metadata?.labels?.['app.kubernetes.io/component'] === 'backend');
          expect(
            backend?.spec?.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef,
          ).toEqual({ name: 'shop-db', key: 'url' });
        } finally {
          await run(['uninstall', release, '--namespace', namespace, '--wait', '--timeout', '120s'], 180_000);
        }
      },
      420_000,
    );
  },
);
