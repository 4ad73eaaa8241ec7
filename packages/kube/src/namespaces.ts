/**
 * Namespace listing and deletion, idempotent and bounded (SECURITY.md T8-T10):
 * - list: pages with limit/continue; a 410 Gone (expired continue token) restarts the list from the
 *   start, a bounded number of times;
 * - delete: always with a UID precondition (the namespace checked is the one deleted) and background
 *   propagation; 404 = already gone (success); 409 / already Terminating = wait; a 409 whose
 *   precondition failed means the name now belongs to another namespace: reported, not deleted;
 *   403 = fatal, with the API's reason and message, never retried;
 * - every call: 429 / 5xx / network errors get bounded retries with backoff (Retry-After honoured);
 * - wait: polls until the namespace (that UID) is gone, bounded; on timeout reports the namespace's
 *   deletion conditions (NamespaceContentRemaining, NamespaceFinalizersRemaining, …). Finalizers are
 *   never stripped.
 * The API is passed in (`NamespaceClient`): the real CoreV1Api fits it.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { backoffDelay, type RetryPolicy } from '@polyglot-cd/tools/retry';
import type { NamespaceFacts } from './ownership.js';

export interface NamespaceItem extends NamespaceFacts {
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export interface NamespaceCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** The subset of CoreV1Api used here (CoreV1Api satisfies it). */
export interface NamespaceClient {
  listNamespace(p: { labelSelector?: string; limit?: number; _continue?: string }): Promise<{
    metadata?: { _continue?: string; resourceVersion?: string };
    items: NamespaceItem[];
  }>;
  readNamespace(p: { name: string }): Promise<NamespaceItem>;
  deleteNamespace(p: {
    name: string;
    propagationPolicy?: string;
    body?: { preconditions?: { uid?: string }; propagationPolicy?: string };
  }): Promise<unknown>;
}

/** A CoreV1Api over a loaded KubeConfig (client-node imported here, lazily). */
export async function namespaceClient(kc: KubeConfig): Promise<NamespaceClient> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  return kc.makeApiClient(CoreV1Api) as unknown as NamespaceClient;
}

/** The Kubernetes Status of a failed call, from a client-node ApiException (body is JSON text). */
export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
  causes: { reason?: string; message?: string; field?: string }[];
  retryAfterMs?: number;
}

export function apiStatus(err: unknown): ApiStatus | undefined {
  const e = err as { code?: unknown; body?: unknown; headers?: Record<string, string> } | null;
  if (!e || typeof e.code !== 'number') return undefined;
  let body: {
    reason?: string;
    message?: string;
    details?: { causes?: ApiStatus['causes']; retryAfterSeconds?: number };
  } = {};
  try {
    const parsed: unknown = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    if (parsed && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // not JSON (a proxy's HTML page): code only
  }
  const ra = e.headers?.['retry-after'] ?? e.headers?.['Retry-After'];
  const retryAfterS = ra && /^\d+$/.test(ra) ? Number(ra) : body.details?.retryAfterSeconds;
  return {
    code: e.code,
    reason: body.reason ?? '',
    message: body.message ?? '',
    causes: body.details?.causes ?? [],
    ...(retryAfterS !== undefined ? { retryAfterMs: retryAfterS * 1000 } : {}),
  };
}

/** One line: `HTTP 403 Forbidden: namespaces "pr-7" is forbidden: …`. */
export function describeStatus(err: unknown): string {
  const s = apiStatus(err);
  if (!s) return err instanceof Error ? err.message : String(err);
  return `HTTP ${s.code}${s.reason ? ` ${s.reason}` : ''}${s.message ? `: ${s.message}` : ''}`;
}

/** A call that failed for good (403, other 4xx, or retries used up). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  readonly status: ApiStatus | undefined;
  constructor(message: string, status: ApiStatus | undefined) {
    super(message);
    this.status = status;
  }
}

export interface RetryOptions {
  /** attempts in all (default 5) */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** told about each retry */
  onRetry?: (what: string, attempt: number, delayMs: number, why: string) => void;
}

export function isRetryable(err: unknown): boolean {
  const s = apiStatus(err);
  if (!s) return !(err instanceof KubeApiError); // network errors (fetch failed, ECONNRESET…)
  return s.code === 429 || s.code >= 500;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A server's Retry-After is honoured up to this many times `maxDelayMs`. */
const RETRY_AFTER_CAP_FACTOR = 4;

/**
 * The wait before attempt `attempt + 1`: the shared backoff of @polyglot-cd/tools (exponential, equal
 * jitter, capped at `maxDelayMs`), or the server's Retry-After, never less than `baseDelayMs` nor more
 * than RETRY_AFTER_CAP_FACTOR times `maxDelayMs`.
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (retryAfterMs === undefined) return backoffDelay(attempt, policy, undefined, random);
  const retryAfterPolicy = { ...policy, maxDelayMs: policy.maxDelayMs * RETRY_AFTER_CAP_FACTOR };
  return backoffDelay(attempt, retryAfterPolicy, Math.max(retryAfterMs, policy.baseDelayMs), random);
}

/** Runs `fn`, retrying 429 / 5xx / network errors with exponential backoff and jitter (`retryDelay`). */
export async function withRetries<T>(what: string, fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = {
    attempts: o.attempts ?? 5,
    baseDelayMs: o.baseDelayMs ?? 250,
    maxDelayMs: o.maxDelayMs ?? 8000,
  };
  const attempts = policy.attempts;
  const sleep = o.sleep ?? defaultSleep;
  const random = o.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt >= attempts) {
        if (isRetryable(err)) {
          throw new KubeApiError(`${what}: ${describeStatus(err)} (gave up after ${attempt} attempts)`, apiStatus(err));
        }
        throw err;
      }
      const delay = retryDelay(attempt, policy, apiStatus(err)?.retryAfterMs, random);
      o.onRetry?.(what, attempt, delay, describeStatus(err));
      await sleep(delay);
    }
  }
}

export interface ListOptions {
  labelSelector?: string;
  /** page size (default 500) */
  limit?: number;
  /** how many times an expired continue token (410) may restart the list (default 3) */
  maxRestarts?: number;
  retry?: RetryOptions;
  onRestart?: (why: string) => void;
}

export interface ListResult {
  items: NamespaceItem[];
  pages: number;
  restarts: number;
}

/** Lists every namespace matching the selector, page by page. */
export async function listNamespaces(api: NamespaceClient, o: ListOptions = {}): Promise<ListResult> {
  const limit = o.limit ?? 500;
  const maxRestarts = o.maxRestarts ?? 3;
  let pages = 0;
  for (let restarts = 0; ; restarts++) {
    const items: NamespaceItem[] = [];
    let cont: string | undefined;
    try {
      do {
        const page = await withRetries(
          'list namespaces',
          () =>
            api.listNamespace({
              ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
              limit,
              ...(cont ? { _continue: cont } : {}),
            }),
          o.retry,
        );
        pages++;
        items.push(...page.items);
        cont = page.metadata?._continue || undefined;
      } while (cont);
      return { items, pages, restarts };
    } catch (err) {
      const s = apiStatus(err);
      if (s?.code === 410 && restarts < maxRestarts) {
        o.onRestart?.(`the continue token expired (${describeStatus(err)}): listing again from the start`);
        continue;
      }
      if (s?.code === 403) throw new KubeApiError(`list namespaces is forbidden: ${describeStatus(err)}`, s);
      throw err;
    }
  }
}

export type DeleteOutcome =
  /** the API accepted the delete (the namespace is now Terminating) */
  | 'accepted'
  /** 404: already gone */
  | 'gone'
  /** 409 while it is being deleted: wait for it */
  | 'terminating'
  /** the name now belongs to a namespace with another UID: not deleted */
  | 'uid-changed';

export function isPreconditionFailure(s: ApiStatus): boolean {
  return s.code === 409 && /precondition/i.test(s.message);
}

/** Deletes namespace `name` only if its UID is still `uid`. Throws KubeApiError on 403 and other failures. */
export async function deleteNamespace(
  api: NamespaceClient,
  name: string,
  uid: string,
  retry?: RetryOptions,
): Promise<DeleteOutcome> {
  if (!uid) throw new Error(`refusing to delete namespace ${name} without a UID precondition`);
  try {
    await withRetries(
      `delete namespace ${name}`,
      () => api.deleteNamespace({ name, body: { preconditions: { uid }, propagationPolicy: 'Background' } }),
      retry,
    );
    return 'accepted';
  } catch (err) {
    const s = apiStatus(err) ?? (err instanceof KubeApiError ? err.status : undefined);
    if (s?.code === 404) return 'gone';
    if (s && isPreconditionFailure(s)) return 'uid-changed';
    if (s?.code === 409) return 'terminating';
    if (s?.code === 403) {
      throw new KubeApiError(
        `delete namespace ${name} is forbidden: ${describeStatus(err)}. The credentials need the "delete" verb on namespaces (a ClusterRole bound to the cleanup identity, or a ValidatingAdmissionPolicy that allows it)`,
        s,
      );
    }
    if (err instanceof KubeApiError) throw err;
    throw new KubeApiError(`delete namespace ${name}: ${describeStatus(err)}`, s);
  }
}

/** The deletion conditions that hold (status True): why a namespace stays Terminating. */
export function blockingConditions(ns: NamespaceItem): string[] {
  return (ns.status?.conditions ?? [])
    .filter((c) => c.status === 'True')
    .map((c) => `${c.type ?? '?'}: ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`);
}

export type WaitResult =
  | { gone: true; waitedMs: number }
  | { gone: false; waitedMs: number; phase: string; conditions: string[]; finalizers: string[] };

export interface WaitOptions {
  timeoutMs: number;
  /** first poll interval (default 250 ms); it doubles up to 1 s (or up to this value if larger) */
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  retry?: RetryOptions;
}

/** Waits until namespace `name` with UID `uid` no longer exists (a new one with the same name counts as gone). */
export async function waitForNamespaceGone(
  api: NamespaceClient,
  name: string,
  uid: string,
  o: WaitOptions,
): Promise<WaitResult> {
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const start = now();
  const maxInterval = Math.max(o.intervalMs ?? 250, 1000);
  let interval = Math.min(o.intervalMs ?? 250, maxInterval);
  for (;;) {
    let ns: NamespaceItem | undefined;
    try {
      ns = await withRetries(`read namespace ${name}`, () => api.readNamespace({ name }), o.retry);
    } catch (err) {
      const s = apiStatus(err);
      if (s?.code === 404) return { gone: true, waitedMs: now() - start };
      if (s?.code === 403) throw new KubeApiError(`read namespace ${name} is forbidden: ${describeStatus(err)}`, s);
      throw err;
    }
    if (ns.metadata?.uid && ns.metadata.uid !== uid) return { gone: true, waitedMs: now() - start };
    const waited = now() - start;
    if (waited >= o.timeoutMs) {
      return {
        gone: false,
        waitedMs: waited,
        phase: ns.status?.phase ?? '',
        conditions: blockingConditions(ns),
        finalizers: ((ns as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? []).slice(),
      };
    }
    await sleep(Math.min(interval, Math.max(1, o.timeoutMs - waited)));
    interval = Math.min(interval * 2, maxInterval);
  }
}
