/**
 * Deploy order: an older run never overwrites a newer one. GitHub gives no ordering between runs (a
 * re-run of an old run, a queued run that starts late, a run whose concurrency group was skipped), so
 * helm-deploy claims the release before it touches it:
 *
 *   ConfigMap `polyglot-cd-order-<release>` in the target namespace, one data key per workflow
 *   (`w-<sha256 of the workflow's path>`, the path without its @ref), each holding the newest run
 *   number of that workflow that claimed the release, with its commit and run.
 *
 * A run whose number is lower than the one its own workflow recorded is refused before anything is
 * deployed; an equal number (a re-run of the same run, a canary's promotion, a retry) may go on. The
 * claim is written with the ConfigMap's resourceVersion as a precondition, so of two runs racing for
 * it only one wins each round and the loser re-reads. Run numbers of different workflows are not
 * comparable, so each workflow is ordered among its own runs only.
 */
import { RestError, restRequest, type RestConnection } from './rest.js';
import type { KubeConfig } from '@kubernetes/client-node';

export interface DeployRun {
  /** the workflow's path without its @ref, e.g. acme/shop/.github/workflows/deploy.yml */
  workflow: string;
  /** GITHUB_RUN_NUMBER: increases with every new run of a workflow, kept by a re-run */
  runNumber: number;
  runId: string;
  sha: string;
}

export interface OrderRecord {
  data: Record<string, string>;
  resourceVersion: string;
}

/** The ConfigMap this module reads and writes (a small REST or client-node implementation). */
export interface OrderApi {
  read(namespace: string, name: string): Promise<OrderRecord | undefined>;
  /** 'conflict' when it exists already (409) */
  create(
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
  ): Promise<'created' | 'conflict'>;
  /** 'conflict' when resourceVersion is no longer current (409) */
  replace(
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
    resourceVersion: string,
  ): Promise<'replaced' | 'conflict'>;
}

export class OlderRunError extends Error {
  override readonly name = 'OlderRunError';
}

export const orderConfigMapName = (release: string): string => `polyglot-cd-order-${release}`;
export const workflowKey = (workflow: string): string =>
  `w-${process.getBuiltinModule('node:crypto').createHash('sha256').update(workflow).digest('hex').slice(0, 16)}`;

export { workflowPath } from './workflow-path.js';

interface Recorded {
  workflow: string;
  runNumber: number;
  runId: string;
  sha: string;
  at: string;
}

function parseRecorded(text: string | undefined): Recorded | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Recorded>;
    return typeof v.runNumber === 'number' && Number.isInteger(v.runNumber) ? (v as Recorded) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `run` may claim a release whose order record is `data`: undefined when it may (with the data
 * to write), or the reason it may not. Pure.
 */
export function decideOrder(
  data: Record<string, string>,
  run: DeployRun,
  at: string,
):
  { allowed: true; data: Record<string, string>; previous: Recorded | undefined } | { allowed: false; reason: string } {
  const key = workflowKey(run.workflow);
  const previous = parseRecorded(data[key]);
  if (previous && previous.runNumber > run.runNumber) {
    return {
      allowed: false,
      reason: `run #${previous.runNumber} of ${run.workflow} (commit ${previous.sha.slice(0, 12)}, run id ${previous.runId}) already deployed this release at ${previous.at}; this run #${run.runNumber} (commit ${run.sha.slice(0, 12)}) is older, and an older run never overwrites a newer one`,
    };
  }
  const mine: Recorded = { workflow: run.workflow, runNumber: run.runNumber, runId: run.runId, sha: run.sha, at };
  return { allowed: true, data: { ...data, [key]: JSON.stringify(mine) }, previous };
}

/**
 * Claims `release` in `namespace` for `run`, or throws OlderRunError. Retries a lost race (409) a few
 * times, re-reading each time. Returns the run it replaced in this workflow's order, if any.
 */
export async function claimDeployOrder(
  api: OrderApi,
  namespace: string,
  release: string,
  run: DeployRun,
  o: { now?: () => number; attempts?: number } = {},
): Promise<{ previousRun: number | undefined }> {
  const name = orderConfigMapName(release);
  const labels = { 'app.kubernetes.io/managed-by': 'polyglot-cd', 'polyglot-cd/release': release };
  const attempts = o.attempts ?? 5;
  for (let i = 0; i < attempts; i++) {
    const current = await api.read(namespace, name);
    const d = decideOrder(current?.data ?? {}, run, new Date((o.now ?? Date.now)()).toISOString());
    if (!d.allowed) throw new OlderRunError(d.reason);
    const outcome = current
      ? await api.replace(namespace, name, d.data, labels, current.resourceVersion)
      : await api.create(namespace, name, d.data, labels);
    if (outcome !== 'conflict') return { previousRun: d.previous?.runNumber };
  }
  throw new Error(
    `could not record the deploy order of ${release} in ${namespace}: ${attempts} concurrent updates in a row`,
  );
}

const cmPath = (namespace: string, name?: string): string =>
  `api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;

/** OrderApi over the small REST client (restRequest). */
export function restOrderApi(conn: RestConnection): OrderApi {
  const body = (
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
    resourceVersion?: string,
  ) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels, ...(resourceVersion ? { resourceVersion } : {}) },
    data,
  });
  const conflict = (err: unknown): boolean => err instanceof RestError && err.code === 409;
  return {
    async read(namespace, name) {
      try {
        const cm = (await restRequest(conn, 'GET', cmPath(namespace, name))) as {
          data?: Record<string, string>;
          metadata?: { resourceVersion?: string };
        };
        return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' };
      } catch (err) {
        if (err instanceof RestError && err.code === 404) return undefined;
        throw err;
      }
    },
    async create(namespace, name, data, labels) {
      try {
        await restRequest(conn, 'POST', cmPath(namespace), { body: body(namespace, name, data, labels) });
        return 'created';
      } catch (err) {
        if (conflict(err)) return 'conflict';
        throw err;
      }
    },
    async replace(namespace, name, data, labels, resourceVersion) {
      try {
        await restRequest(conn, 'PUT', cmPath(namespace, name), {
          body: body(namespace, name, data, labels, resourceVersion),
        });
        return 'replaced';
      } catch (err) {
        if (conflict(err)) return 'conflict';
        throw err;
      }
    },
  };
}

/** OrderApi over @kubernetes/client-node (in-cluster and keyless access). */
export async function clientNodeOrderApi(kc: KubeConfig): Promise<OrderApi> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api);
  const code = (err: unknown): number | undefined => (err as { code?: number }).code;
  return {
    async read(namespace, name) {
      try {
        const cm = await core.readNamespacedConfigMap({ namespace, name });
        return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' };
      } catch (err) {
        if (code(err) === 404) return undefined;
        throw err;
      }
    },
    async create(namespace, name, data, labels) {
      try {
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels }, data } });
        return 'created';
      } catch (err) {
        if (code(err) === 409) return 'conflict';
        throw err;
      }
    },
    async replace(namespace, name, data, labels, resourceVersion) {
      try {
        await core.replaceNamespacedConfigMap({
          namespace,
          name,
          body: { metadata: { name, labels, resourceVersion }, data },
        });
        return 'replaced';
      } catch (err) {
        if (code(err) === 409) return 'conflict';
        throw err;
      }
    },
  };
}
