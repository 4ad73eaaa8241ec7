/**
 * The verify phase (inputs checks and checks-timeout): after a successful upgrade, each HTTP check asks
 * a component's Service through the API server's service proxy
 * (GET /api/v1/namespaces/<ns>/services/<service>:http/proxy<path>), with the credentials of the
 * deploy, and is retried with backoffDelay until it passes or its budget ends. A check that never
 * passes is a GateError (the deployment does not answer as required), or an InfraError when the API
 * server itself did not answer; with a canary deployed, the release is first rolled back to the
 * revision before it. The Service name is pure; the parsing and the result table are in verification.ts.
 */
import { GateError, InfraError, type ActionContext } from '@polyglot-cd/action-kit';
import { restRawRequest, type RestConnection, type RestResponse } from '@polyglot-cd/kube/rest';
import type { Helm, HelmRelease } from '@polyglot-cd/tools/helm';
import { backoffDelay, retryableTransport, type RetryPolicy } from '@polyglot-cd/tools/retry';
import type { KubeConfig } from './cluster.js';
import type { DeployInputs } from './inputs.js';
import type { DeployReport } from './summary.js';
import type { CheckResult, HttpCheck } from './verification.js';

/** What charts/app names a component's stable Service: `<fullname>-<component>` (app.component). Pure. */
export function serviceName(release: string, component: string, fullnameOverride = ''): string {
  const fullname = (fullnameOverride || release).slice(0, 32).replace(/-+$/, '');
  return `${fullname}-${component}`.slice(0, 63).replace(/-+$/, '');
}

/** charts/app's Service of a canary (canary.yaml): `<stable Service name>-canary`. Pure. */
export function canaryServiceName(stable: string): string {
  return `${stable}-canary`.slice(0, 63).replace(/-+$/, '');
}

/** The service-proxy path of a check. Pure. */
export function proxyPath(namespace: string, service: string, path: string): string {
  return `api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:http/proxy${path}`;
}

export function expectedOf(c: HttpCheck): string {
  return c.bodyRegex === '' ? String(c.status) : `${c.status} /${c.bodyRegex}/`;
}

/** Whether an answer passes the check. Pure. */
export function passes(c: HttpCheck, res: RestResponse): boolean {
  return res.status === c.status && (c.bodyRegex === '' || new RegExp(c.bodyRegex).test(res.body));
}

export interface Prober {
  get: (path: string, timeoutMs: number) => Promise<RestResponse>;
}

/** The small REST client of the deploy, or a connection made from client-node's KubeConfig. */
export async function proberOf(
  conn: RestConnection | undefined,
  kubeConfig: () => Promise<KubeConfig>,
): Promise<Prober> {
  let c = conn;
  if (!c) {
    const kc = await kubeConfig();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new InfraError('the kubeconfig has no current cluster', { service: 'cluster', attempts: 1 });
    const o: { ca?: unknown; cert?: unknown; key?: unknown; headers?: Record<string, unknown> } = {};
    await kc.applyToHTTPSOptions(o);
    const auth = String(o.headers?.['Authorization'] ?? o.headers?.['authorization'] ?? '');
    c = {
      server: cluster.server,
      ...(o.ca ? { ca: String(o.ca) } : {}),
      ...(o.cert ? { cert: String(o.cert) } : {}),
      ...(o.key ? { key: String(o.key) } : {}),
      ...(auth.startsWith('Bearer ') ? { token: auth.slice('Bearer '.length) } : {}),
      insecureSkipTlsVerify: cluster.skipTLSVerify === true,
    };
  }
  const connection = c;
  return { get: (path, timeoutMs) => restRawRequest(connection, 'GET', path, { timeoutMs }) };
}

export interface RunOptions {
  namespace: string;
  service: (component: string) => string;
  budgetMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

const POLICY: RetryPolicy = { attempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 10_000 };

/** One check, retried until it passes or the budget ends; `unreachable` when the last try got no answer. */
export async function runCheck(
  c: HttpCheck,
  prober: Prober,
  o: RunOptions,
): Promise<CheckResult & { unreachable: string }> {
  const started = o.now();
  const deadline = started + o.budgetMs;
  const path = proxyPath(o.namespace, o.service(c.component), c.path);
  const r = { ...resultOf(c), unreachable: '' };
  for (;;) {
    r.attempts++;
    try {
      const res = await prober.get(path, Math.max(1_000, Math.min(10_000, deadline - o.now())));
      r.status = res.status;
      r.unreachable = '';
      r.passed = passes(c, res);
      if (r.passed) break;
      o.log(
        `${c.component} ${c.path}: HTTP ${res.status}${res.status === c.status ? ', the body does not match' : ''}`,
      );
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || code === '') throw err;
      // a failure no retry mends (a certificate the API server's CA does not sign): the cluster, at once
      if (!retryableTransport(code))
        throw new InfraError(
          `The API server could not be asked for the HTTP checks: ${(err as Error).message}`,
          {
            service: 'cluster',
            attempts: r.attempts,
          },
          { cause: err },
        );
      r.status = 0;
      r.unreachable = (err as Error).message;
      o.log(`${c.component} ${c.path}: no answer from the API server (${r.unreachable})`);
    }
    const wait = backoffDelay(r.attempts, POLICY);
    if (o.now() + wait >= deadline) break;
    await o.sleep(wait);
  }
  r.ms = o.now() - started;
  return r;
}

function resultOf(c: HttpCheck): CheckResult {
  return {
    component: c.component,
    path: c.path,
    status: 0,
    expected: expectedOf(c),
    passed: false,
    attempts: 0,
    ms: 0,
  };
}

/** Every check, concurrently, each with its own budget. */
export async function runChecks(
  checks: readonly HttpCheck[],
  prober: Prober,
  o: RunOptions,
): Promise<{ results: CheckResult[]; unreachable: string[] }> {
  const all = await Promise.all(checks.map((c) => runCheck(c, prober, o)));
  return {
    results: all.map(({ unreachable: _u, ...r }) => r),
    unreachable: all.filter((r) => !r.passed && r.unreachable !== '').map((r) => r.unreachable),
  };
}

/** The message of failed checks: GateError, or InfraError when the API server never answered. */
export function checksError(
  failed: readonly CheckResult[],
  unreachable: readonly string[],
  afterwards: string,
): GateError | InfraError {
  const which = failed.map((r) => `${r.component} ${r.path} (expected ${r.expected}, got ${r.status || 'no answer'})`);
  if (unreachable.length > 0 && unreachable.length === failed.length)
    return new InfraError(
      `The API server did not answer the HTTP checks (${unreachable[0]}): ${which.join(', ')}.${afterwards}`,
      { service: 'cluster', attempts: failed.reduce((n, r) => n + r.attempts, 0) },
    );
  return new GateError(
    `The deployment does not answer as required: ${failed.length} of the HTTP checks failed: ${which.join(', ')}.${afterwards}`,
  );
}

/** A canary whose checks failed: `helm rollback` to the last good revision before it, and wait. */
export async function rollBackCanary(
  ctx: ActionContext,
  helm: Helm,
  o: { release: HelmRelease; namespace: string; timeoutMs: number; historyMax: number },
): Promise<HelmRelease | undefined> {
  const history = await helm.history(o.release.name, o.namespace);
  // Helm's static helpers only here: the inputs load this module at start, and tools/helm loads semver
  const { Helm: HelmCli } = await import('@polyglot-cd/tools/helm');
  const good = HelmCli.lastGoodRevision(history.filter((h) => h.revision < o.release.revision));
  if (!good) return undefined;
  await ctx.log.group(`Roll back the canary: ${o.release.name} to revision ${good.revision}`, async () => {
    const args = HelmCli.rollbackArgs(
      o.release.name,
      o.namespace,
      good.revision,
      { timeoutSeconds: Math.ceil(o.timeoutMs / 1000), historyMax: o.historyMax, wait: true },
      helm.major,
    );
    await helm.run(args, { timeoutMs: o.timeoutMs + 60_000 });
  });
  return helm.status(o.release.name, o.namespace);
}

export interface Verify {
  ctx: ActionContext;
  inp: Readonly<
    Pick<DeployInputs, 'checks' | 'checksTimeoutMs' | 'namespace' | 'timeoutMs' | 'historyMax' | 'canaryComponent'>
  >;
  report: DeployReport;
  helm: Helm;
  release: HelmRelease;
  /** a canary was deployed by this run: a failed check rolls it back */
  canary: boolean;
  prober: () => Promise<Prober>;
  fullnameOverride: string;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The verify phase: every check; on a failure, the canary rolled back, then GateError (or InfraError). */
export async function verifyDeployment(v: Verify): Promise<void> {
  const { ctx, inp, report } = v;
  const { log } = ctx;
  const title = `Verify: ${inp.checks.length} HTTP check(s) through the API server, each within ${Math.round(inp.checksTimeoutMs / 1000)} s`;
  const { results, unreachable } = await log.group(title, async () => {
    const out = await runChecks(inp.checks, await v.prober(), {
      namespace: inp.namespace,
      service: (component) => {
        const stable = serviceName(v.release.name, component, v.fullnameOverride);
        // the canary's new image is what this deploy changed: its checks ask the canary's own Service
        return v.canary && component === inp.canaryComponent ? canaryServiceName(stable) : stable;
      },
      budgetMs: inp.checksTimeoutMs,
      now: v.now,
      sleep: v.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))),
      log: (l) => log.info(l),
    });
    for (const r of out.results)
      log.info(
        `${r.passed ? 'passed' : 'FAILED'}: ${r.component} ${r.path} (expected ${r.expected}, got ${r.status || 'no answer'}, ${r.attempts} attempt(s))`,
      );
    return out;
  });
  report.verification = results;
  const failed = results.filter((r) => !r.passed);
  if (failed.length === 0) return;
  throw checksError(failed, unreachable, await rollBackAfterFailure({ ...v, why: 'failed HTTP checks' }));
}

/**
 * After a failed verification: a canary deployed by this run is rolled back to the revision before it
 * (the report follows). Returns the sentence that says what became of the release.
 */
export async function rollBackAfterFailure(v: {
  ctx: ActionContext;
  inp: Readonly<Pick<DeployInputs, 'namespace' | 'timeoutMs' | 'historyMax'>>;
  report: DeployReport;
  helm: Helm;
  release: HelmRelease;
  canary: boolean;
  /** what failed, for the report's recovered line */
  why: string;
}): Promise<string> {
  if (!v.canary) return ' The release is left as deployed.';
  const { report } = v;
  const after = await rollBackCanary(v.ctx, v.helm, {
    release: v.release,
    namespace: v.inp.namespace,
    timeoutMs: v.inp.timeoutMs,
    historyMax: v.inp.historyMax,
  });
  if (!after) return ' No earlier revision to roll the canary back to.';
  report.status = after.status;
  report.revision = after.revision;
  report.recovered = `canary rolled back to the stable track (revision ${after.revision}) after ${v.why}`;
  if (report.deployed) report.deployed = { ...report.deployed, canary: false };
  return ` The canary was rolled back: the release is ${after.status} at revision ${after.revision}.`;
}
