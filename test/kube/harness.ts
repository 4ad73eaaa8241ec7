// Helpers for `*.kube.test.ts` suites. The Vitest global setup (global-setup.ts) starts one stack per
// run (stack.ts: registry, control plane, real node) and exports its admin kubeconfig as
// POLYGLOT_CD_KUBECONFIG; stackInfo() tells the rest.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { registerSecret } from '../helpers/canary.js';
import { stackFileOf, type StackInfo } from './stack.js';

export const KUBECONFIG_ENV = 'POLYGLOT_CD_KUBECONFIG';

let adminRegistered = false;

/**
 * Path of the admin kubeconfig (system:masters) of the running test control plane. Its token is
 * registered as a secret canary (test/README.md): tests hand this kubeconfig to actions, which must
 * never show it.
 */
export function kubeconfigPath(): string {
  const path = process.env[KUBECONFIG_ENV];
  if (!path) {
    throw new Error(
      `${KUBECONFIG_ENV} is not set: kube tests must be named *.kube.test.ts so Vitest's "kube" project ` +
        'starts the control plane (test/kube/global-setup.ts).',
    );
  }
  if (!adminRegistered && process.env['POLYGLOT_CD_CANARY_RUN']) {
    const token = /^\s*token:\s*(\S+)\s*$/m.exec(readFileSync(path, 'utf8'))?.[1];
    if (token) registerSecret('test cluster admin token', token);
    adminRegistered = true;
  }
  return path;
}

/** A KubeConfig loaded explicitly from the test control plane's kubeconfig (never ~/.kube/config). */
export function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

export function coreV1(): CoreV1Api {
  return kubeConfig().makeApiClient(CoreV1Api);
}

export function appsV1(): AppsV1Api {
  return kubeConfig().makeApiClient(AppsV1Api);
}

/** A DNS-1123 name unique to this run, e.g. `uniqueName('ns')` → `ns-1a2b3c4d`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The running stack (stack.ts): registry, test images, node, Helm binaries. */
export function stackInfo(): StackInfo {
  const file = stackFileOf(kubeconfigPath());
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  } catch (e) {
    throw new Error(
      `no stack info at ${file}: start the cluster with test/kube/global-setup.ts or \`bash test/kube/cluster.sh start\``,
      { cause: e },
    );
  }
}

/** The Helm majors every Helm-using kube suite runs on (`describe.each(HELM_MAJORS)`). */
export const HELM_MAJORS = ['4', '3'] as const;
export type HelmMajor = (typeof HELM_MAJORS)[number];

/** The real Helm binary of `major` (built by scripts/setup/helm.sh) and its version. */
export function helmOf(major: HelmMajor): { version: string; bin: string } {
  return stackInfo().helm[major];
}

/**
 * Runs a real helm (default: Helm 4) against the test cluster with an isolated environment: only this
 * kubeconfig, and helm's cache/config/data under the OS temp dir.
 */
export async function helm(
  args: string[],
  opts: { timeoutMs?: number; major?: HelmMajor } = {},
): Promise<{ stdout: string; stderr: string }> {
  const major = opts.major ?? '4';
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    KUBECONFIG: kubeconfigPath(),
    HELM_CACHE_HOME: `${process.env.TMPDIR ?? '/tmp'}/polyglot-cd-helm${major}/cache`,
    HELM_CONFIG_HOME: `${process.env.TMPDIR ?? '/tmp'}/polyglot-cd-helm${major}/config`,
    HELM_DATA_HOME: `${process.env.TMPDIR ?? '/tmp'}/polyglot-cd-helm${major}/data`,
  };
  try {
    return await promisify(execFile)(helmOf(major).bin, args, {
      env,
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`helm ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, { cause: err });
  }
}

/** Polls `fn` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: last error ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}

/**
 * Applies examples/rbac/<file> (RBAC and the ValidatingAdmissionPolicies: everything the README tells
 * users to apply; objects that exist already are replaced by what the file says) and writes a kubeconfig for the ServiceAccount
 * `polyglot-cd/<sa>` with a token from the TokenRequest API (valid 1 h), so a test acts with exactly
 * the rights we tell users to grant, not as cluster admin. Returns the kubeconfig's path (0600).
 */
export async function serviceAccountKubeconfig(file: string, sa: string, dir: string): Promise<string> {
  const { KubernetesObjectApi } = await import('@kubernetes/client-node');
  const { parseAllDocuments } = await import('yaml');
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const text = readFileSync(fileURLToPath(new URL(`../../examples/rbac/${file}`, import.meta.url)), 'utf8');
  const docs = parseAllDocuments(text).map((doc) => {
    if (doc.errors[0]) throw doc.errors[0];
    return doc.toJS() as { kind?: string } | null;
  });
  const objects = docs.filter((o): o is { kind: string } => Boolean(o?.kind));
  const api = KubernetesObjectApi.makeApiClient(kubeConfig());
  for (const o of objects as Parameters<typeof api.create>[0][]) {
    try {
      await api.create(o);
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
      // there already (a cluster that outlives a run): brought to what the file says today
      const current = await api.read(o as Parameters<typeof api.read>[0]);
      await api.replace({ ...o, metadata: { ...o.metadata, resourceVersion: current.metadata?.resourceVersion } });
    }
  }
  const token = await waitFor(`a token for ${sa}`, async () => {
    const r = await coreV1().createNamespacedServiceAccountToken({
      name: sa,
      namespace: 'polyglot-cd',
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    return r.status?.token;
  });
  registerSecret(`${sa} service-account token`, token);
  const cluster = kubeConfig().getCurrentCluster();
  const path = join(dir, `${sa}.kubeconfig`);
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${cluster?.server}\n    certificate-authority-data: ${cluster?.caData}\nusers:\n- name: ${sa}\n  user:\n    token: ${token}\ncontexts:\n- name: c\n  context: {cluster: c, user: ${sa}}\ncurrent-context: c\n`,
    { mode: 0o600 },
  );
  return path;
}

/**
 * A raw JSON call to the API server as the kubeconfig's user: the status code and the body exactly as
 * the server sent them (the typed client renames fields, e.g. NetworkPolicy `from` → `_from`, and
 * turns error bodies into exceptions).
 */
export async function rawApi(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const { request } = await import('node:https');
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, server);
  const opts: import('node:https').RequestOptions = {
    method,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    headers: {},
  };
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
