/**
 * Make sure the namespace a release goes to exists, for helm-deploy.
 *
 * - Missing: created with the given labels and annotations (the ownership metadata of ownership.ts for
 *   PR namespaces). A 409 AlreadyExists from a concurrent deploy is fine: the namespace is then read again.
 * - Terminating (a closed-then-reopened PR, a cleanup still running): waited on, bounded, then created;
 *   on timeout the error lists the namespace's deletion conditions. Finalizers are never touched.
 * - Present and ours (managed-by and repository-id labels match): its annotations (commit, expiry) are
 *   refreshed. Present and not ours: left exactly as it is — labels are never added to claim a
 *   namespace someone else created (cleanup would then be allowed to delete it).
 * - 403: fatal, with the API's reason and what to do.
 * Callers that must not make cluster-scoped calls (`create-namespace: false`) don't call this at all.
 */
import type { KubeConfig, V1Namespace } from '@kubernetes/client-node';
import { describeApiError } from './diagnostics.js';
import { ANNOTATION_REPOSITORY, LABEL_MANAGED_BY, LABEL_REPOSITORY_ID, MANAGED_BY } from './ownership.js';

export interface NamespaceApi {
  /** undefined when the namespace does not exist (404) */
  read(name: string): Promise<V1Namespace | undefined>;
  /** 'exists' when the API answered 409 AlreadyExists */
  create(
    name: string,
    labels: Record<string, string>,
    annotations: Record<string, string>,
  ): Promise<'created' | 'exists'>;
  mergeAnnotations(name: string, annotations: Record<string, string>): Promise<void>;
}

export interface EnsureNamespaceOptions {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** labels that prove the namespace is ours (all must match) before its annotations are refreshed */
  ownerLabels: Record<string, string>;
  /**
   * Refuse a namespace that another repository's polyglot-cd owns (managed-by polyglot-cd, another
   * repository-id): a pr-<N> namespace belongs to one repository. Default false (a foreign namespace
   * is deployed into without touching its labels).
   */
  refuseOtherRepository?: boolean;
  /** how long to wait for a Terminating namespace to go away */
  terminatingTimeoutMs: number;
  pollMs?: number;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type EnsureOutcome = 'created' | 'exists-owned' | 'exists-foreign' | 'created-after-terminating';

export interface EnsureResult {
  outcome: EnsureOutcome;
  uid: string;
  waitedMs: number;
}

export class NamespaceError extends Error {
  override readonly name = 'NamespaceError';
  readonly code: number | undefined;
  constructor(message: string, code?: number) {
    super(message);
    this.code = code;
  }
}

function httpCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown })?.code;
  return typeof c === 'number' ? c : undefined;
}

function isTerminating(ns: V1Namespace): boolean {
  return ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp !== undefined;
}

/** The deletion conditions that hold (status True), for the timeout message. */
export function terminatingReasons(ns: V1Namespace): string[] {
  return (ns.status?.conditions ?? [])
    .filter((c) => c.status === 'True')
    .map((c) => `${c.type}: ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`);
}

function owned(ns: V1Namespace, ownerLabels: Record<string, string>): boolean {
  const labels = ns.metadata?.labels ?? {};
  return Object.entries(ownerLabels).every(([k, v]) => labels[k] === v);
}

/** The error for a namespace still Terminating when the wait is over, with what blocks its deletion. */
function stillTerminating(name: string, ns: V1Namespace, elapsedMs: number): NamespaceError {
  const reasons = terminatingReasons(ns);
  return new NamespaceError(
    `Namespace ${name} is still Terminating after ${Math.round(elapsedMs / 1000)}s, so nothing can be deployed into it.` +
      (reasons.length ? ` Its deletion is blocked: ${reasons.join('; ')}.` : '') +
      ' Finalizers are never removed automatically: find the resource that still has a finalizer (or the API service that fails discovery), fix it, and run again.',
  );
}

/** With `refuseOtherRepository`: the error for a namespace another repository's polyglot-cd owns. */
function otherRepositoryError(name: string, ns: V1Namespace, o: EnsureNamespaceOptions): NamespaceError | undefined {
  const theirs = ns.metadata?.labels ?? {};
  const ourId = o.ownerLabels[LABEL_REPOSITORY_ID];
  if (
    o.refuseOtherRepository &&
    theirs[LABEL_MANAGED_BY] === MANAGED_BY &&
    ourId &&
    theirs[LABEL_REPOSITORY_ID] &&
    theirs[LABEL_REPOSITORY_ID] !== ourId
  ) {
    return new NamespaceError(
      `Namespace ${name} belongs to another repository (${LABEL_REPOSITORY_ID}=${theirs[LABEL_REPOSITORY_ID]}${ns.metadata?.annotations?.[ANNOTATION_REPOSITORY] ? `, ${ns.metadata.annotations[ANNOTATION_REPOSITORY]}` : ''}; this repository is ${ourId}): nothing was deployed. Two repositories share this cluster's pr-<N> names: give each its own cluster or namespace prefix.`,
    );
  }
  return undefined;
}

/** A namespace that exists and is not terminating: ours gets its annotations refreshed, a foreign one is left as it is. */
async function useExisting(
  api: NamespaceApi,
  name: string,
  ns: V1Namespace,
  o: EnsureNamespaceOptions,
  log: (line: string) => void,
  elapsedMs: () => number,
): Promise<EnsureResult> {
  if (owned(ns, o.ownerLabels)) {
    try {
      await api.mergeAnnotations(name, o.annotations);
    } catch (err) {
      // the deploy can go on; the expiry just isn't extended
      log(`could not refresh the annotations of namespace ${name}: ${describeApiError(err)}`);
    }
    return { outcome: 'exists-owned', uid: ns.metadata?.uid ?? '', waitedMs: elapsedMs() };
  }
  const refusal = otherRepositoryError(name, ns, o);
  if (refusal) throw refusal;
  log(
    `namespace ${name} exists and was not created by this repository's polyglot-cd: deploying into it without changing its labels`,
  );
  return { outcome: 'exists-foreign', uid: ns.metadata?.uid ?? '', waitedMs: elapsedMs() };
}

export async function ensureNamespace(
  api: NamespaceApi,
  name: string,
  o: EnsureNamespaceOptions,
): Promise<EnsureResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => {});
  const started = now();
  const fail = (err: unknown, what: string): never => {
    const code = httpCode(err);
    const hint =
      code === 403
        ? ' The credentials may not read or create namespaces: grant get/create on namespaces, or create the namespace beforehand and set create-namespace: false (then only namespace-scoped permissions are needed).'
        : '';
    throw new NamespaceError(`Could not ${what} namespace ${name}: ${describeApiError(err)}.${hint}`, code);
  };
  let waited = false;
  for (let attempt = 0; attempt < 1000; attempt++) {
    let ns: V1Namespace | undefined;
    try {
      ns = await api.read(name);
    } catch (err) {
      fail(err, 'read');
    }
    if (ns === undefined) {
      let created: 'created' | 'exists' = 'created';
      try {
        created = await api.create(name, o.labels, o.annotations);
      } catch (err) {
        // 403 with NamespaceTerminating cause cannot happen on a namespace create; anything else is fatal
        fail(err, 'create');
      }
      if (created === 'exists') {
        log(`namespace ${name} was created concurrently by another deploy; reading it again`);
        continue;
      }
      const again = await api.read(name).catch(() => undefined);
      log(`created namespace ${name}`);
      return {
        outcome: waited ? 'created-after-terminating' : 'created',
        uid: again?.metadata?.uid ?? '',
        waitedMs: now() - started,
      };
    }
    if (isTerminating(ns)) {
      const elapsed = now() - started;
      if (elapsed >= o.terminatingTimeoutMs) throw stillTerminating(name, ns, elapsed);
      if (!waited)
        log(
          `namespace ${name} is Terminating (being deleted): waiting up to ${Math.round(o.terminatingTimeoutMs / 1000)}s for it to go before creating it again`,
        );
      waited = true;
      await sleep(o.pollMs ?? 1000);
      continue;
    }
    return useExisting(api, name, ns, o, log, () => now() - started);
  }
  throw new NamespaceError(`Could not create namespace ${name}: it kept changing`);
}

/** A NamespaceApi over @kubernetes/client-node (imported here, lazily). */
export async function clientNodeNamespaceApi(kc: KubeConfig): Promise<NamespaceApi> {
  const { CoreV1Api, PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async read(name) {
      try {
        return await core.readNamespace({ name });
      } catch (err) {
        if (httpCode(err) === 404) return undefined;
        throw err;
      }
    },
    async create(name, labels, annotations) {
      try {
        await core.createNamespace({
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } },
        });
        return 'created';
      } catch (err) {
        if (httpCode(err) === 409) return 'exists';
        throw err;
      }
    },
    async mergeAnnotations(name, annotations) {
      await core.patchNamespace(
        { name, body: { metadata: { annotations } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
  };
}

/**
 * Binds this identity (whoever the kubeconfig authenticates as, asked with a SelfSubjectReview) to the
 * ClusterRole `role` inside `namespace` with a RoleBinding (`polyglot-cd-deployer` unless `bindingName`),
 * then waits until the API server authorizes it (a SelfSubjectAccessReview for `check`, default
 * `create secrets`, which helm's release records need). So a preview identity needs cluster-wide
 * rights only to create namespaces and bind that one role, and the cleanup identity only to delete
 * namespaces and bind its own, not to read every namespace's Secrets and logs. An existing binding is kept.
 */
export async function bindNamespaceRole(
  kc: KubeConfig,
  namespace: string,
  role: string,
  opts: {
    timeoutMs?: number;
    log?: (line: string) => void;
    bindingName?: string;
    check?: { verb: string; resource: string };
  } = {},
): Promise<string> {
  const { AuthenticationV1Api, AuthorizationV1Api, RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
  const who = await kc
    .makeApiClient(AuthenticationV1Api)
    .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
  const username = who.status?.userInfo?.username ?? '';
  if (!username)
    throw new NamespaceError(
      'Could not tell which identity the kubeconfig authenticates as (SelfSubjectReview returned no user name)',
    );
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  const subject = sa
    ? { kind: 'ServiceAccount', name: sa[2] as string, namespace: sa[1] as string }
    : { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: username };
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  try {
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: opts.bindingName ?? 'polyglot-cd-deployer', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [subject],
      },
    });
    opts.log?.(`bound ${username} to ClusterRole ${role} in ${namespace}`);
  } catch (err) {
    if (httpCode(err) !== 409) {
      throw new NamespaceError(
        `Could not bind ClusterRole ${role} in namespace ${namespace}: ${describeApiError(err)}. The identity needs create on rolebindings and bind on that ClusterRole (examples/rbac/preview.yaml, cleanup.yaml).`,
        httpCode(err),
      );
    }
  }
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const check = opts.check ?? { verb: 'create', resource: 'secrets' };
  for (;;) {
    const r = await authz.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, ...check } },
      },
    });
    if (r.status?.allowed) return username;
    if (Date.now() > deadline)
      throw new NamespaceError(
        `${username} still may not ${check.verb} ${check.resource} in ${namespace} after binding ClusterRole ${role}: does that ClusterRole grant it?`,
      );
    await new Promise((res) => setTimeout(res, 200));
  }
}
