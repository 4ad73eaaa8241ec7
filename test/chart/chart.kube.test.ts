// charts/app against a real Kubernetes API server (v1.34, from test/kube's global setup): every
// manifest of the PR and production profiles, hooks included, must be accepted by the API server, and the
// chart must pick the API versions that server actually serves.
//
// Three checks per profile:
// 1. `helm install --dry-run`: helm's own validation against the server (discovery → .Capabilities,
//    the server's OpenAPI schema, REST mappings for every kind). Hooks are not part of it.
// 2. A server-side dry-run create (?dryRun=All) of every object, hooks included, in a real namespace:
//    the API server's validation and admission. v1.20 silently drops unknown fields instead of
//    rejecting them, so the object it returns must still hold every field we sent.
// 3. A real `helm install --wait`: the Deployments become Available through the node simulator.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { request, type RequestOptions } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigPath, uniqueName } from '../kube/harness.js';
import { chartDir, helm, type K8sObject, parseManifests, prodValues, shopValues, valuesFile } from './chart.js';

interface DryRunRelease {
  manifest: string;
  hooks?: { manifest: string; events: string[] }[];
  info: { notes?: string };
}

/** Paths of `sent` that `got` lacks or holds with another value (what the API server dropped). */
function droppedFields(sent: unknown, got: unknown, path = ''): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(got)) return [path];
    return sent.flatMap((v, i) => droppedFields(v, got[i], `${path}[${i}]`));
  }
  if (sent !== null && typeof sent === 'object') {
    if (got === null || typeof got !== 'object') return [path];
    return Object.entries(sent).flatMap(([k, v]) => droppedFields(v, (got as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return sent === got ? [] : [`${path} (sent ${JSON.stringify(sent)}, got ${JSON.stringify(got)})`];
}

/**
 * A raw JSON call to the API server, authenticated from the kubeconfig. Raw because the typed client
 * renames fields (NetworkPolicy `from` → `_from`), which would hide what the server really returned.
 */
async function api(kc: KubeConfig, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, server);
  const opts: RequestOptions = { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: {} };
  await kc.applyToHTTPSOptions(opts);
  opts.headers = { ...opts.headers, accept: 'application/json', 'content-type': 'application/json' };
  return new Promise((resolve, reject) => {
    const req = request(opts, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: data ? JSON.parse(data) : undefined }));
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

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

describe('charts/app on a real API server (v1.34)', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  const namespace = uniqueName('chart');
  const env = () => ({ KUBECONFIG: kubeconfigPath() });

  const profiles = {
    pr: [shopValues, valuesFile({ ingress: { host: 'pr-42.preview.example.com' } })],
    prod: [prodValues, shopValues],
    'prod + canary': [prodValues, shopValues, valuesFile({ canary: { enabled: true, component: 'backend', weight: 10, image: { tag: '1.5.0' } } })],
  };
  const valuesArgs = (files: string[]) => files.flatMap((f) => ['--values', f]);

  beforeAll(async () => {
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath());
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'polyglot-cd/test': 'chart' } } } });
  });

  afterAll(async () => {
    await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  /** Server-side dry-run create of each object: what the server rejected, and what it silently dropped. */
  async function serverCheck(objs: K8sObject[]): Promise<string[]> {
    const problems: string[] = [];
    for (const obj of objs) {
      const sent = { ...obj, metadata: { ...obj.metadata, namespace } };
      const path = await collectionPath(kc, obj.apiVersion, obj.kind, namespace);
      const { status, json } = await api(kc, 'POST', `${path}?dryRun=All`, sent);
      if (status !== 201) {
        problems.push(`${obj.kind}/${obj.metadata.name} rejected (${status}): ${(json as { message?: string } | undefined)?.message}`);
        continue;
      }
      const dropped = droppedFields(sent, json);
      if (dropped.length) problems.push(`${obj.kind}/${obj.metadata.name} lost: ${dropped.join(', ')}`);
    }
    return problems;
  }

  async function dryRunInstall(release: string, files: string[], extra: string[] = []): Promise<DryRunRelease> {
    const r = await helm(
      ['install', release, chartDir, '--namespace', namespace, '--dry-run', '--output', 'json', ...valuesArgs(files), ...extra],
      env(),
    );
    if (r.code !== 0) throw new Error(`helm install --dry-run failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as DryRunRelease;
  }

  describe.each(Object.entries(profiles))('%s profile', (profile, files) => {
    let release: DryRunRelease;
    let all: K8sObject[];
    beforeAll(async () => {
      release = await dryRunInstall(`shop-${profile.replace(/\W+/g, '-')}`, files);
      all = [...parseManifests(release.manifest), ...(release.hooks ?? []).flatMap((h) => parseManifests(h.manifest))];
    });

    it('passes helm\'s install validation against the server', () => {
      const kinds = new Set(all.map((o) => o.kind));
      for (const k of ['Deployment', 'Service', 'ServiceAccount', 'Ingress', 'NetworkPolicy', 'Job']) expect(kinds).toContain(k);
      if (profile.includes('canary')) expect(all.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Ingress/shop-prod-canary-canary');
      expect(release.info.notes).toContain(profile === 'pr' ? 'URL: http://pr-42.preview.example.com' : 'URL: https://shop.example.com');
    });

    it('uses the current APIs the server serves (autoscaling/v2, policy/v1)', () => {
      // no opentelemetry.io CRD on this server: no Instrumentation, no inject annotations
      expect(all.filter((o) => o.kind === 'Instrumentation')).toEqual([]);
      for (const d of all.filter((o) => o.kind === 'Deployment')) expect(d.spec.template.metadata.annotations).toBeUndefined();
      expect(release.info.notes).toContain('OpenTelemetry is enabled but the cluster has no opentelemetry.io/v1alpha1 Instrumentation CRD');
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
    const [deploy] = parseManifests(
      (await dryRunInstall('shop-neg', profiles.pr)).manifest,
    ).filter((o) => o.kind === 'Deployment');
    deploy!.spec.template.spec.containers[0].bogusField = true;
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad-port' }, spec: { ports: [{ port: 70000 }] } };
    const problems = await serverCheck([deploy!, svc]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('spec.template.spec.containers[0].bogusField');
    expect(problems[1]).toMatch(/Service\/bad-port rejected \(422\).*70000/);
  });

  it('refuses otel.force on a cluster without the CRD, as documented', async () => {
    await expect(dryRunInstall('shop-force', profiles.pr, ['--set', 'otel.force=true'])).rejects.toThrow(/Instrumentation/);
  });

  it.each([['pr', profiles.pr], ['prod', profiles.prod]] as const)('installs the %s profile for real and its Deployments become Available', async (profile, files) => {
    const release = `live-${profile}`;
    const noHook = valuesFile({ migrations: { enabled: false } }); // no Job controller completes hook pods here
    const r = await helm(
      ['install', release, chartDir, '--namespace', namespace, '--wait', '--timeout', '90s', ...valuesArgs([...files, noHook])],
      env(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    try {
      const st = await helm(['status', release, '--namespace', namespace, '--output', 'json'], env());
      expect((JSON.parse(st.stdout) as { info: { status: string } }).info.status).toBe('deployed');
      const apps = kc.makeApiClient(AppsV1Api);
      const list = await apps.listNamespacedDeployment({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` });
      expect(list.items.map((d) => d.metadata?.name).sort()).toEqual([`${release}-backend`, `${release}-frontend`]);
      for (const d of list.items) {
        expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
      }
    } finally {
      await helm(['uninstall', release, '--namespace', namespace, '--wait'], env());
    }
  });
});
