/**
 * Rollout diagnostics: why did a release not become ready?
 *
 * Collected from the release's namespace before a rollback erases the evidence:
 * - the pods that are not ready: phase, failing conditions (e.g. PodScheduled=False Unschedulable),
 *   every container's waiting/terminated reason (ImagePullBackOff, CrashLoopBackOff, OOMKilled, …), its
 *   restart count and last termination;
 * - recent Warning events;
 * - the last lines of the logs of crashing containers (the previous, crashed instance);
 * - one line naming the culprit: "backend: CrashLoopBackOff — exit 1: ModuleNotFoundError: …".
 *
 * The analysis is pure (`diagnose`, `culprit`, `renderDiagnostics`) and table-tested; the reads go through
 * a `DiagnosticsSource`, which `clientNodeSource` implements with @kubernetes/client-node, loaded lazily.
 * Only namespaced reads are made (pods, events, pods/log): a namespace-scoped Role is enough.
 */
import type { CoreV1Event, KubeConfig, V1Pod } from '@kubernetes/client-node';

export interface DiagnosticsSource {
  /** pods of a namespace (all pages), optionally filtered by a label selector */
  listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]>;
  /** Warning events of a namespace (all pages) */
  listWarningEvents(namespace: string): Promise<CoreV1Event[]>;
  /** the last `tailLines` lines of a container's log (`previous`: the last terminated instance) */
  podLog(
    namespace: string,
    pod: string,
    container: string,
    opts: { previous: boolean; tailLines: number },
  ): Promise<string>;
}

export interface ConditionProblem {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface ContainerDiagnosis {
  name: string;
  init: boolean;
  image: string;
  ready: boolean;
  restartCount: number;
  /** waiting | running | terminated | unknown */
  state: string;
  /** e.g. CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error, ContainerCreating */
  reason: string;
  message: string;
  exitCode?: number;
  /** the previous instance's termination, for restarting containers */
  lastTermination?: { reason: string; exitCode: number; message: string };
  /** last log lines of the crashed instance, when fetched */
  logTail?: string[];
  /** why the log could not be read */
  logError?: string;
}

export interface PodDiagnosis {
  name: string;
  /** app.kubernetes.io/component, else the app/name label, else the owner's name */
  component: string;
  phase: string;
  ready: boolean;
  /** conditions whose status is not True */
  conditions: ConditionProblem[];
  containers: ContainerDiagnosis[];
}

export interface WarningEvent {
  /** Kind/name, e.g. Pod/shop-backend-7d9c-x2 */
  object: string;
  reason: string;
  message: string;
  count: number;
  /** RFC 3339 */
  lastSeen: string;
}

export interface Diagnostics {
  namespace: string;
  /** pods not ready (Succeeded pods are never listed) */
  pods: PodDiagnosis[];
  /** how many pods were looked at */
  podsSeen: number;
  events: WarningEvent[];
  /** one line naming what blocked the rollout */
  culprit: string;
  /** problems met while collecting (RBAC, timeouts): diagnostics are best-effort */
  errors: string[];
}

export interface CollectOptions {
  /** the Helm release: pods are selected by app.kubernetes.io/instance=<release> (fallback: all pods) */
  release?: string;
  /** log lines per crashing container (0: none) */
  logLines?: number;
  /** most pods to describe / containers to fetch logs for */
  maxPods?: number;
  maxLogs?: number;
  maxEvents?: number;
  /** per API call */
  timeoutMs?: number;
  /** replaces registered secrets in a log line (the action's Secrets.redact); applied before redactCredentials */
  redact?: (text: string) => string;
}

const REDACTED = '***';

/**
 * Log tails end up in job logs, summaries and outputs that anyone who can read the run sees. Besides the
 * registered secrets, hide what looks like a credential in an app's log: the password of a URL
 * (`postgres://app:s3cret@db`), `password=`/`token=`/`secret=`/`api_key=` values (also `:` and JSON
 * `"password": "…"`), `Bearer`/`Basic` authorization values, and PEM private-key blocks (every line
 * from BEGIN to END, which a tail may cut).
 */
export function redactCredentials(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inKey = false;
  for (const line of lines) {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(line)) {
      inKey = !/-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(line);
      out.push(line.replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*$/, '-----BEGIN $1PRIVATE KEY----- [redacted]'));
      continue;
    }
    if (inKey) {
      if (/-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(line)) {
        inKey = false;
        out.push(line.replace(/^.*(-----END [A-Z0-9 ]*PRIVATE KEY-----)/, '$1'));
      } else {
        out.push('[redacted]');
      }
      continue;
    }
    // a tail that starts inside a key block: base64 lines of PEM length with nothing else on them
    if (/^\s*[A-Za-z0-9+/]{60,}={0,2}\s*$/.test(line)) {
      out.push('[redacted]');
      continue;
    }
    out.push(
      line
        .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi, `$1:${REDACTED}@`)
        .replace(
          /("?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)"?\s*[:=]\s*"?)([^\s",;&]+)/gi,
          `$1${REDACTED}`,
        )
        .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`),
    );
  }
  return out;
}

/** Reasons ranked by how surely they explain a failed rollout (higher first). */
const REASON_RANK: Record<string, number> = {
  InvalidImageName: 100,
  ErrImageNeverPull: 100,
  ImagePullBackOff: 95,
  ErrImagePull: 95,
  CreateContainerConfigError: 92,
  CreateContainerError: 90,
  RunContainerError: 90,
  OOMKilled: 88,
  CrashLoopBackOff: 85,
  Error: 80,
  ContainerCannotRun: 80,
  DeadlineExceeded: 75,
  Unschedulable: 70,
  Evicted: 65,
};

function iso(v: Date | string | undefined): string {
  if (v === undefined) return '';
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function podComponent(pod: V1Pod): string {
  const l = pod.metadata?.labels ?? {};
  return (
    l['app.kubernetes.io/component'] ??
    l['app.kubernetes.io/name'] ??
    l['app'] ??
    pod.metadata?.ownerReferences?.[0]?.name ??
    pod.metadata?.name ??
    'pod'
  );
}

function podReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Describes one pod's containers (init containers first). */
function describeContainers(pod: V1Pod): ContainerDiagnosis[] {
  const images = new Map<string, string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
    images.set(c.name, c.image ?? '');
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
  ];
  const out: ContainerDiagnosis[] = statuses.map(({ s, init }) => {
    const st = s.state ?? {};
    // the image as the pod spec names it: containerd reports an image pulled by digest as its bare
    // config digest (sha256:…) in status.image, which names nothing the user deployed
    const base = {
      name: s.name,
      init,
      image: images.get(s.name) || s.image || '',
      ready: s.ready === true,
      restartCount: s.restartCount ?? 0,
    };
    const last = s.lastState?.terminated;
    const lastTermination = last
      ? { reason: last.reason ?? '', exitCode: last.exitCode ?? 0, message: (last.message ?? '').trim() }
      : undefined;
    if (st.waiting) {
      return {
        ...base,
        state: 'waiting',
        reason: st.waiting.reason ?? '',
        message: (st.waiting.message ?? '').trim(),
        lastTermination,
      };
    }
    if (st.terminated) {
      return {
        ...base,
        state: 'terminated',
        reason: st.terminated.reason ?? '',
        message: (st.terminated.message ?? '').trim(),
        exitCode: st.terminated.exitCode,
        lastTermination,
      };
    }
    if (st.running)
      return { ...base, state: 'running', reason: base.ready ? '' : 'NotReady', message: '', lastTermination };
    return { ...base, state: 'unknown', reason: '', message: '', lastTermination };
  });
  // containers without a status yet (pod not scheduled)
  for (const c of pod.spec?.containers ?? []) {
    if (!out.some((o) => o.name === c.name)) {
      out.push({
        name: c.name,
        init: false,
        image: c.image ?? '',
        ready: false,
        restartCount: 0,
        state: 'unknown',
        reason: '',
        message: '',
      });
    }
  }
  return out;
}

/** Whether a container crashed and its previous instance's log is worth reading. */
export function isCrashing(c: ContainerDiagnosis): boolean {
  return (
    c.reason === 'CrashLoopBackOff' ||
    c.reason === 'OOMKilled' ||
    c.reason === 'Error' ||
    (c.restartCount > 0 && c.lastTermination !== undefined && c.lastTermination.exitCode !== 0)
  );
}

/** The pods that are not ready, described. Pure. */
export function diagnosePods(pods: readonly V1Pod[]): PodDiagnosis[] {
  return pods
    .filter((p) => p.status?.phase !== 'Succeeded' && !p.metadata?.deletionTimestamp && !podReady(p))
    .map((pod) => ({
      name: pod.metadata?.name ?? '',
      component: podComponent(pod),
      phase: pod.status?.phase ?? 'Unknown',
      ready: false,
      conditions: (pod.status?.conditions ?? [])
        .filter((c) => c.status !== 'True')
        .map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: (c.message ?? '').trim() })),
      containers: describeContainers(pod),
    }));
}

/** Warning events, newest first. Pure. */
export function warningEvents(
  events: readonly CoreV1Event[],
  opts: { names?: ReadonlySet<string>; prefix?: string; max?: number } = {},
): WarningEvent[] {
  return events
    .filter((e) => e.type === 'Warning')
    .filter((e) => {
      if (!opts.names && !opts.prefix) return true;
      const n = e.involvedObject?.name ?? '';
      return (
        (opts.names?.has(n) ?? false) ||
        (opts.prefix !== undefined && (n === opts.prefix || n.startsWith(`${opts.prefix}-`)))
      );
    })
    .map((e) => ({
      object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
      reason: e.reason ?? '',
      message: (e.message ?? '').trim(),
      count: e.count ?? e.series?.count ?? 1,
      lastSeen: iso(
        e.lastTimestamp ??
          e.eventTime ??
          e.series?.lastObservedTime ??
          e.firstTimestamp ??
          e.metadata?.creationTimestamp,
      ),
    }))
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0))
    .slice(0, opts.max ?? 20);
}

function lastMeaningfulLine(lines: readonly string[] | undefined): string {
  const l = [...(lines ?? [])].reverse().find((x) => x.trim() !== '');
  return l ? l.trim() : '';
}

function shorten(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const rankOf = (r: string): number => REASON_RANK[r] ?? 0;

interface Candidate {
  rank: number;
  line: string;
}

/** One line naming what blocked the rollout, e.g. `backend: CrashLoopBackOff — exit 1: ModuleNotFoundError: …`. Pure. */
export function culprit(pods: readonly PodDiagnosis[], events: readonly WarningEvent[] = []): string {
  const candidates: Candidate[] = [];
  for (const p of pods) {
    for (const c of p.containers) {
      const who =
        p.containers.filter((x) => !x.init).length > 1 || c.init ? `${p.component} (container ${c.name})` : p.component;
      if (
        c.reason === 'CrashLoopBackOff' ||
        (c.state === 'terminated' && c.reason !== 'Completed') ||
        c.reason === 'OOMKilled'
      ) {
        const t =
          c.reason === 'CrashLoopBackOff'
            ? c.lastTermination
            : { reason: c.reason, exitCode: c.exitCode ?? 0, message: c.message };
        const oom = t?.reason === 'OOMKilled';
        const reason = c.reason === 'CrashLoopBackOff' ? 'CrashLoopBackOff' : c.reason || 'Error';
        const why = lastMeaningfulLine(c.logTail) || t?.message || '';
        const detail = [t ? `exit ${t.exitCode}${oom ? ' (OOMKilled: over its memory limit)' : ''}` : '', why]
          .filter(Boolean)
          .join(': ');
        candidates.push({
          rank: Math.max(rankOf(reason), oom ? rankOf('OOMKilled') : 0),
          line: `${who}: ${reason}${detail ? ` — ${shorten(detail)}` : ''}`,
        });
      } else if (
        c.state === 'waiting' &&
        c.reason &&
        c.reason !== 'ContainerCreating' &&
        c.reason !== 'PodInitializing'
      ) {
        candidates.push({
          rank: rankOf(c.reason) || 50,
          line: `${who}: ${c.reason}${c.message ? ` — ${shorten(c.message)}` : ''}`,
        });
      }
    }
    const sched = p.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (sched) {
      candidates.push({
        rank: rankOf(sched.reason) || 60,
        line: `${p.component}: ${sched.reason || 'not scheduled'}${sched.message ? ` — ${shorten(sched.message)}` : ''}`,
      });
    }
    if (p.phase === 'Running' && p.containers.every((c) => c.state === 'running')) {
      const probe = events.find((e) => e.object === `Pod/${p.name}` && e.reason === 'Unhealthy');
      candidates.push({
        rank: 40,
        line: `${p.component}: not ready${probe ? ` — ${shorten(probe.message)}` : ' — running, but its readiness probe does not pass'}`,
      });
    }
  }
  if (candidates.length === 0) {
    const p = pods[0];
    if (p) return `${p.component}: ${p.phase}, not ready`;
    const e = events[0];
    if (e) return `${e.object}: ${e.reason} — ${shorten(e.message)}`;
    return 'no pod is failing and no Warning event was recorded: the rollout may just be slow (raise timeout), or a non-pod resource (Job hook, PVC, Service) blocked it';
  }
  // highest rank first; among equals, the first pod (stable order)
  let best = candidates[0] as Candidate;
  for (const c of candidates) if (c.rank > best.rank) best = c;
  return best.line;
}

/** Plain-text report for the log group and the summary's <details>. Pure. */
export function renderDiagnostics(d: Diagnostics): string {
  const out: string[] = [`Culprit: ${d.culprit}`, ''];
  out.push(`Pods not ready in namespace ${d.namespace}: ${d.pods.length} (of ${d.podsSeen} looked at)`);
  for (const p of d.pods) {
    out.push(`- ${p.name} [${p.component}] phase ${p.phase}`);
    for (const c of p.conditions)
      out.push(
        `    condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`,
      );
    for (const c of p.containers) {
      const state = `${c.state}${c.reason ? ` ${c.reason}` : ''}${c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}`;
      out.push(
        `    ${c.init ? 'init container' : 'container'} ${c.name} (${c.image}): ${state}, ${c.restartCount} restart(s)${c.message ? `: ${c.message}` : ''}`,
      );
      if (c.lastTermination) {
        const t = c.lastTermination;
        out.push(
          `      last termination: ${t.reason || 'terminated'}, exit ${t.exitCode}${t.message ? `: ${t.message}` : ''}`,
        );
      }
      if (c.logTail && c.logTail.length > 0) {
        out.push(`      last ${c.logTail.length} log line(s) of the crashed instance:`);
        for (const l of c.logTail) out.push(`        | ${l}`);
      } else if (c.logError) {
        out.push(`      logs: ${c.logError}`);
      }
    }
  }
  out.push('', `Recent Warning events: ${d.events.length}`);
  for (const e of d.events)
    out.push(`- ${e.lastSeen || '?'} ${e.object} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
  if (d.errors.length > 0) {
    out.push('', 'Could not collect everything:');
    for (const e of d.errors) out.push(`- ${e}`);
  }
  return out.join('\n');
}

/** One line for a client-node ApiException (`HTTP 403 Forbidden: …`) or any other error. */
export function describeApiError(err: unknown): string {
  const e = err as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e?.code === 'number') {
    try {
      const s = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as { reason?: string; message?: string };
      if (s && (s.reason || s.message)) return `HTTP ${e.code} ${s.reason ?? ''}: ${s.message ?? ''}`.trim();
    } catch {
      // not JSON
    }
    return `HTTP ${e.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)}s`)), ms);
    timer.unref();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Collects the diagnostics of a namespace. Never throws: what could not be read is listed in `errors`. */
export async function collectDiagnostics(
  source: DiagnosticsSource,
  namespace: string,
  opts: CollectOptions = {},
): Promise<Diagnostics> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const logLines = opts.logLines ?? 20;
  const errors: string[] = [];
  let pods: V1Pod[] = [];
  let rawEvents: CoreV1Event[] = [];
  const [podsResult, eventsResult] = await Promise.allSettled([
    (async () => {
      const selector = opts.release ? `app.kubernetes.io/instance=${opts.release}` : undefined;
      let list = await withTimeout(source.listPods(namespace, selector), timeoutMs, 'list pods');
      if (list.length === 0 && selector) list = await withTimeout(source.listPods(namespace), timeoutMs, 'list pods');
      return list;
    })(),
    withTimeout(source.listWarningEvents(namespace), timeoutMs, 'list events'),
  ]);
  if (podsResult.status === 'fulfilled') pods = podsResult.value;
  else errors.push(`pods: ${describeApiError(podsResult.reason)}`);
  if (eventsResult.status === 'fulfilled') rawEvents = eventsResult.value;
  else errors.push(`events: ${describeApiError(eventsResult.reason)}`);

  const diagnosed = diagnosePods(pods).slice(0, opts.maxPods ?? 10);
  // logs of crashing containers, a bounded number, concurrently
  if (logLines > 0) {
    const wanted = diagnosed
      .flatMap((p) => p.containers.filter(isCrashing).map((c) => ({ p, c })))
      .slice(0, opts.maxLogs ?? 5);
    await Promise.all(
      wanted.map(async ({ p, c }) => {
        // a container that is terminated right now is the crashed instance itself; once it waits to be
        // restarted (CrashLoopBackOff) or runs again, the crashed one is the previous instance (the kubelet
        // keeps one dead instance per container, so `previous` of a terminated one is already gone)
        const previous = c.state !== 'terminated' && (c.restartCount > 0 || c.reason === 'CrashLoopBackOff');
        try {
          const text = await withTimeout(
            source.podLog(namespace, p.name, c.name, { previous, tailLines: logLines }),
            timeoutMs,
            'read log',
          );
          const tail = text
            .split(/\r?\n/)
            .filter((l, i, a) => l !== '' || i < a.length - 1)
            .slice(-logLines);
          c.logTail = redactCredentials(opts.redact ? tail.map(opts.redact) : tail);
        } catch (err) {
          c.logError = `not available (${describeApiError(err)})`;
        }
      }),
    );
  }
  const names = new Set(pods.map((p) => p.metadata?.name ?? ''));
  const events = warningEvents(
    rawEvents,
    opts.release ? { names, prefix: opts.release, max: opts.maxEvents } : { max: opts.maxEvents },
  );
  return { namespace, pods: diagnosed, podsSeen: pods.length, events, culprit: culprit(diagnosed, events), errors };
}

/** A DiagnosticsSource over @kubernetes/client-node (imported here, lazily). List calls page with limit/continue. */
export async function clientNodeSource(kc: KubeConfig): Promise<DiagnosticsSource> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api);
  const pageAll = async <T>(
    page: (cont: string | undefined) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
  ): Promise<T[]> => {
    const items: T[] = [];
    let cont: string | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await page(cont);
      items.push(...res.items);
      cont = res.metadata?._continue;
      if (!cont) break;
    }
    return items;
  };
  return {
    listPods: (namespace, labelSelector) =>
      pageAll((cont) => core.listNamespacedPod({ namespace, labelSelector, limit: 200, _continue: cont })),
    listWarningEvents: (namespace) =>
      pageAll((cont) =>
        core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning', limit: 500, _continue: cont }),
      ),
    podLog: (namespace, pod, container, o) =>
      core.readNamespacedPodLog({ namespace, name: pod, container, previous: o.previous, tailLines: o.tailLines }),
  };
}
