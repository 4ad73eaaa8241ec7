/**
 * The namespace phase: create (or adopt) the namespace with its ownership labels and annotations (PR
 * namespaces), Pod Security enforcement at the workflow's level, and, with namespace-role, this
 * identity's RoleBinding inside it. A failure is told apart by its kind: a namespace another
 * repository owns is refused by policy (GateError); the API server or the network failing is an
 * infrastructure failure (InfraError); anything else (a bug) goes on as it is, with its stack.
 */
import { GateError, InfraError, type githubContext } from '@polyglot-cd/action-kit';
import {
  ANNOTATION_COMMIT,
  ANNOTATION_REPOSITORY,
  bindNamespaceRole,
  ensureNamespace,
  KubeApiError,
  LABEL_MANAGED_BY,
  LABEL_REPOSITORY_ID,
  MANAGED_BY,
  NamespaceError,
  ownershipMetadata,
  REPOSITORY_ID_RE,
  RestError,
  type NamespaceApi,
} from '@polyglot-cd/kube';
import type { KubeConfig } from './cluster.js';
import type { DeployInputs } from './inputs.js';

type Github = ReturnType<typeof githubContext>;

interface Metadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The labels and annotations of the namespace: the ownership metadata of a PR namespace, else the plain ones. */
export function namespaceMetadata(inp: Readonly<DeployInputs>, gh: Github, now: number): Metadata {
  if (inp.pr !== undefined) {
    return ownershipMetadata({
      repositoryId: gh.repositoryId,
      repository: gh.repository,
      pr: inp.pr,
      commit: gh.sha,
      expiresAt: new Date(now + inp.namespaceTtlMs),
      deployedAt: new Date(now),
    });
  }
  const labels: Record<string, string> = { [LABEL_MANAGED_BY]: MANAGED_BY };
  const annotations: Record<string, string> = {};
  if (REPOSITORY_ID_RE.test(gh.repositoryId)) labels[LABEL_REPOSITORY_ID] = gh.repositoryId;
  if (gh.repository) annotations[ANNOTATION_REPOSITORY] = gh.repository;
  if (/^[0-9a-f]{7,64}$/.test(gh.sha)) annotations[ANNOTATION_COMMIT] = gh.sha;
  return { labels, annotations };
}

const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|no answer within|fetch failed/;

/** An error of the API server or of the way to it (an HTTP status, a refused connection, a timeout). */
export function isApiFailure(err: unknown): boolean {
  if (err instanceof RestError || err instanceof KubeApiError) return true;
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; body?: unknown };
  // @kubernetes/client-node's ApiException: an HTTP status and the body it came with
  if (typeof e.code === 'number' && 'body' in e) return true;
  return (typeof e.code === 'string' && NETWORK_FAILURE.test(e.code)) || NETWORK_FAILURE.test(e.message);
}

/** What a failure of the namespace step is: see the module's comment. */
export function namespaceFailure(err: unknown): unknown {
  if (err instanceof NamespaceError) {
    if (/belongs to another repository/.test(err.message)) return new GateError(err.message, { cause: err });
    // the API's answer (a 403, a 5xx), a network failure, or a namespace still Terminating after the wait
    return new InfraError(err.message, { service: 'cluster', attempts: 1 }, { cause: err });
  }
  if (isApiFailure(err)) {
    const msg = err instanceof Error ? err.message : String(err);
    return new InfraError(
      `Namespace step: the API server failed: ${msg}`,
      { service: 'cluster', attempts: 1 },
      { cause: err },
    );
  }
  return err;
}

export interface NamespaceStepOptions {
  api: () => Promise<NamespaceApi>;
  kubeConfig: () => Promise<KubeConfig>;
  now: () => number;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Creates or adopts the namespace (and binds namespace-role in it); returns the outcome for the summary. */
export async function ensureDeployNamespace(
  inp: Readonly<DeployInputs>,
  gh: Github,
  o: NamespaceStepOptions,
): Promise<string> {
  if (inp.dryRun) return 'not checked (dry run)';
  if (!inp.createNamespace) return 'not checked (create-namespace: false: no cluster-scoped call)';
  const meta = namespaceMetadata(inp, gh, o.now());
  // Pod Security admission enforces the workflow's level on a namespace this action creates
  const podSecurityLabels = {
    'pod-security.kubernetes.io/enforce': inp.podSecurity,
    'pod-security.kubernetes.io/enforce-version': 'latest',
  };
  const owner = meta.labels[LABEL_REPOSITORY_ID];
  try {
    const res = await ensureNamespace(await o.api(), inp.namespace, {
      labels: { ...meta.labels, ...podSecurityLabels },
      refuseOtherRepository: inp.pr !== undefined,
      annotations: meta.annotations,
      ownerLabels: { [LABEL_MANAGED_BY]: MANAGED_BY, ...(owner ? { [LABEL_REPOSITORY_ID]: owner } : {}) },
      terminatingTimeoutMs: inp.terminatingTimeoutMs,
      log: o.log,
      sleep: o.sleep,
    });
    // the identity's rights inside the namespace come from a RoleBinding it makes there itself
    if (inp.namespaceRole && res.outcome !== 'exists-foreign') {
      await bindNamespaceRole(await o.kubeConfig(), inp.namespace, inp.namespaceRole, { log: o.log });
    }
    return res.outcome;
  } catch (err) {
    throw namespaceFailure(err);
  }
}
