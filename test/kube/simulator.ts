// A node simulator in the spirit of kwok: there is no kubelet and no scheduler in the test control
// plane, so this registers one Ready Node, binds pending pods to it, and writes the pod and container
// statuses (and kubelet-like events) a real node would. Failures are chosen by the container image:
//
//   image contains   container behaviour (case-insensitive, anywhere in the image reference)
//   `crashloop`      starts, exits 1, restarts with kubelet back-off: waiting CrashLoopBackOff,
//                    lastState.terminated (Error, exit 1), restartCount 1, 2, … (10 s, 20 s, … ≤ 300 s)
//   `errimagepull`   never starts: waiting ErrImagePull, then ImagePullBackOff, retried with back-off
//   `notready`       Running but never Ready (failing readiness probe, Warning Unhealthy events)
//   anything else    Running and Ready about 0.3 s after binding
//
// Pods with restartPolicy Never/OnFailure finish: Succeeded (exit 0) after ~1 s, or Failed when a
// container is `crashloop` and restartPolicy is Never. Init containers always complete. Pods being
// deleted on this node are removed at once (grace period 0), as a kubelet does once containers stop.
import {
  CoordinationV1Api,
  CoreV1Api,
  V1MicroTime,
  type CoreV1Event,
  type KubeConfig,
  type V1ContainerStatus,
  type V1Node,
  type V1Pod,
  type V1PodCondition,
} from '@kubernetes/client-node';
import { createHash, randomBytes } from 'node:crypto';

export const FAILURE_IMAGE_MARKERS = { crashLoop: 'crashloop', errImagePull: 'errimagepull', notReady: 'notready' } as const;

export type ContainerBehaviour = 'healthy' | 'crashloop' | 'errimagepull' | 'notready';

export function behaviourFor(image: string | undefined): ContainerBehaviour {
  const i = (image ?? '').toLowerCase();
  if (i.includes(FAILURE_IMAGE_MARKERS.crashLoop)) return 'crashloop';
  if (i.includes(FAILURE_IMAGE_MARKERS.errImagePull)) return 'errimagepull';
  if (i.includes(FAILURE_IMAGE_MARKERS.notReady)) return 'notready';
  return 'healthy';
}

/** The kubelet's container restart back-off: 10 s doubling up to 5 min. */
export function backoffSeconds(restart: number): number {
  return Math.min(10 * 2 ** Math.max(0, restart - 1), 300);
}

const RUN_MS = 1000; // how long a crashing container "runs" before it exits
const START_MS = 300; // image pull + start of a healthy container

interface CrashPhase {
  restartCount: number;
  state: 'running' | 'terminated' | 'backoff';
  startedAt: number; // current (or last) run's start, ms since pod start
  finishedAt?: number; // last run's end
  backoff: number; // seconds of the current back-off
}

/** Where a crash-looping container is, `elapsed` ms after the pod started. */
export function crashPhaseAt(elapsed: number): CrashPhase {
  let start = 0;
  for (let restart = 0; ; restart++) {
    const end = start + RUN_MS;
    if (elapsed < end) {
      const prev = restart === 0 ? undefined : start - (restart === 1 ? 500 : backoffSeconds(restart - 1) * 1000);
      return { restartCount: restart, state: 'running', startedAt: start, finishedAt: prev, backoff: backoffSeconds(restart) };
    }
    // The first exit is restarted at once (shown as terminated); later ones wait out the back-off.
    const wait = restart === 0 ? 500 : backoffSeconds(restart) * 1000;
    if (elapsed < end + wait) {
      return { restartCount: restart, state: restart === 0 ? 'terminated' : 'backoff', startedAt: start, finishedAt: end, backoff: backoffSeconds(restart) };
    }
    start = end + wait;
  }
}

interface PodMemo {
  seenAt: number; // when the simulator started the pod (ms epoch)
  ip: string;
  signature: string;
  containerIds: Map<string, string>;
  emitted: Set<string>;
}

interface EventMemo {
  event: CoreV1Event;
  count: number;
}

export interface NodeSimulatorOptions {
  nodeName?: string;
  /** Poll interval for pods in ms (default 200). */
  intervalMs?: number;
  log?: (line: string) => void;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

function errorCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : undefined;
}

/** One line for a client-node ApiException (`HTTP 409 Conflict: …`) or any other error. */
export function describeError(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined && typeof err === 'object' && err !== null && 'body' in err) {
    try {
      const status = JSON.parse(String(err.body)) as { reason?: string; message?: string };
      return `HTTP ${code} ${status.reason ?? ''}: ${status.message ?? ''}`;
    } catch {
      return `HTTP ${code}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

export class NodeSimulator {
  readonly nodeName: string;
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  private readonly pods = new Map<string, PodMemo>();
  private readonly events = new Map<string, EventMemo>();
  private nextIp = 2;
  private timer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly nodeIp = '10.244.0.1';

  constructor(kc: KubeConfig, opts: NodeSimulatorOptions = {}) {
    this.nodeName = opts.nodeName ?? 'polyglot-cd-node';
    this.core = kc.makeApiClient(CoreV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
    this.intervalMs = opts.intervalMs ?? 200;
    this.log = opts.log ?? (() => {});
  }

  async start(): Promise<void> {
    await this.registerNode();
    await this.renewLease();
    this.running = true;
    this.leaseTimer = setInterval(() => void this.renewLease().catch((e: unknown) => this.log(`lease: ${describeError(e)}`)), 10_000);
    this.leaseTimer.unref();
    const tick = async () => {
      try {
        await this.reconcileAll();
      } catch (e) {
        this.log(`reconcile: ${describeError(e)}`);
      }
      if (this.running) this.timer = setTimeout(() => (this.loop = tick()), this.intervalMs);
    };
    this.loop = tick();
    await this.loop;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.loop;
  }

  private nodeObject(): V1Node {
    const now = new Date();
    const cond = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    const resources = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.nodeName,
        labels: {
          'kubernetes.io/hostname': this.nodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'beta.kubernetes.io/arch': 'amd64',
          'polyglot-cd.dev/simulated-node': 'true',
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: {},
      status: {
        capacity: resources,
        allocatable: resources,
        conditions: [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        addresses: [
          { type: 'InternalIP', address: this.nodeIp },
          { type: 'Hostname', address: this.nodeName },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: randomBytes(16).toString('hex'),
          containerRuntimeVersion: 'containerd://1.4.13',
          kernelVersion: '6.1.0-polyglot-cd',
          kubeProxyVersion: 'v1.20.2',
          kubeletVersion: 'v1.20.2',
          machineID: randomBytes(16).toString('hex'),
          operatingSystem: 'linux',
          osImage: 'polyglot-cd node simulator',
          systemUUID: randomBytes(16).toString('hex'),
        },
      },
    };
  }

  private async registerNode(): Promise<void> {
    const body = this.nodeObject();
    let node: V1Node;
    try {
      node = await this.core.createNode({ body });
    } catch (e) {
      if (errorCode(e) !== 409) throw e;
      node = await this.core.readNode({ name: this.nodeName });
    }
    // The node controller updates a new Node at once (taints): retry on conflict.
    for (let attempt = 0; ; attempt++) {
      node.status = body.status;
      try {
        await this.core.replaceNodeStatus({ name: this.nodeName, body: node });
        break;
      } catch (e) {
        if (errorCode(e) !== 409 || attempt >= 20) throw e;
        node = await this.core.readNode({ name: this.nodeName });
      }
    }
    this.log(`node ${this.nodeName} registered`);
  }

  private async renewLease(): Promise<void> {
    const name = this.nodeName;
    const namespace = 'kube-node-lease';
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new V1MicroTime() };
    try {
      const lease = await this.coordination.readNamespacedLease({ name, namespace });
      lease.spec = spec;
      await this.coordination.replaceNamespacedLease({ name, namespace, body: lease });
    } catch (e) {
      if (errorCode(e) !== 404) throw e;
      await this.coordination.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec } });
    }
  }

  private async reconcileAll(): Promise<void> {
    const list = await this.core.listPodForAllNamespaces({ resourceVersion: '0' });
    const seen = new Set<string>();
    const work: Promise<void>[] = [];
    for (const pod of list.items) {
      const uid = pod.metadata?.uid;
      if (!uid) continue;
      seen.add(uid);
      work.push(
        this.reconcile(pod).catch((e: unknown) => {
          const msg = describeError(e);
          if (!msg.includes('because it is being terminated')) this.log(`${pod.metadata?.namespace}/${pod.metadata?.name}: ${msg}`);
        }),
      );
    }
    await Promise.all(work);
    for (const uid of this.pods.keys()) if (!seen.has(uid)) this.pods.delete(uid);
    for (const [key, memo] of this.events) if (!seen.has(memo.event.involvedObject.uid ?? '')) this.events.delete(key);
  }

  private async reconcile(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const spec = pod.spec;
    if (!spec) return;
    if (!spec.nodeName) {
      if (pod.metadata?.deletionTimestamp) return;
      if (spec.schedulerName && spec.schedulerName !== 'default-scheduler') return;
      await this.core.createNamespacedPodBinding({
        name,
        namespace,
        body: { metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName } },
      });
      await this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${this.nodeName}`, undefined, 'default-scheduler');
      return;
    }
    if (spec.nodeName !== this.nodeName) return;
    if (pod.metadata?.deletionTimestamp) {
      try {
        await this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } } });
      } catch (e) {
        if (errorCode(e) !== 404 && errorCode(e) !== 409) throw e;
      }
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    await this.updateStatus(pod);
  }

  private memo(pod: V1Pod): PodMemo {
    const uid = pod.metadata?.uid ?? '';
    let m = this.pods.get(uid);
    if (!m) {
      const started = pod.status?.startTime ? new Date(pod.status.startTime).getTime() : Date.now();
      m = { seenAt: started, ip: pod.status?.podIP ?? `10.244.${Math.floor(this.nextIp / 250)}.${(this.nextIp % 250) + 2}`, signature: '', containerIds: new Map(), emitted: new Set() };
      this.nextIp++;
      this.pods.set(uid, m);
    }
    return m;
  }

  private containerId(m: PodMemo, container: string, restart: number): string {
    const key = `${container}#${restart}`;
    let id = m.containerIds.get(key);
    if (!id) {
      id = `containerd://${randomBytes(32).toString('hex')}`;
      m.containerIds.set(key, id);
    }
    return id;
  }

  private async updateStatus(pod: V1Pod): Promise<void> {
    const m = this.memo(pod);
    const now = Date.now();
    const elapsed = now - m.seenAt;
    const spec = pod.spec!;
    const restartPolicy = spec.restartPolicy ?? 'Always';
    const podKey = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const statuses: V1ContainerStatus[] = [];
    const pending: (() => Promise<void>)[] = [];
    const once = (key: string, fn: () => Promise<void>) => {
      if (m.emitted.has(key)) return;
      m.emitted.add(key);
      pending.push(fn);
    };
    let allReady = true;
    let allStarted = true;
    let allDone = true;
    let anyFailed = false;
    let anyWaitingImage = false;

    for (const c of spec.containers) {
      const image = c.image ?? '';
      const fieldPath = `spec.containers{${c.name}}`;
      const imageId = `docker.io/library/${image.split(/[:@]/)[0]?.split('/').pop()}@sha256:${createHash('sha256').update(image).digest('hex')}`;
      const base = { name: c.name, image, imageID: imageId };
      const behaviour = behaviourFor(image);
      const started = (restart: number) => {
        once(`pulled#${c.name}#${restart}`, async () => {
          if (restart === 0) {
            await this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fieldPath);
            await this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in 312.456ms`, fieldPath);
          } else {
            await this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
          }
          await this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, fieldPath);
          await this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
        });
      };

      if (behaviour === 'errimagepull') {
        // Pull attempts at 0 s, then after 10 s, 20 s, … of ImagePullBackOff.
        let attempt = 0;
        let t = 0;
        while (elapsed >= t + 1000 + backoffSeconds(attempt + 1) * 1000) {
          t += 1000 + backoffSeconds(attempt + 1) * 1000;
          attempt++;
        }
        const pulling = elapsed < t + 1000;
        const a = attempt;
        once(`pull#${c.name}#${a}`, async () => {
          await this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fieldPath);
          await this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`, fieldPath);
          await this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', fieldPath);
        });
        if (!pulling) {
          once(`pullbackoff#${c.name}#${a}`, async () => {
            await this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, fieldPath);
            await this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', fieldPath);
          });
        }
        statuses.push({
          ...base,
          imageID: '',
          ready: false,
          started: false,
          restartCount: 0,
          state: {
            waiting: pulling
              ? { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found` }
              : { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          },
          lastState: {},
        });
        allReady = allStarted = allDone = false;
        anyWaitingImage = true;
        continue;
      }

      if (elapsed < START_MS) {
        statuses.push({ ...base, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} });
        allReady = allStarted = allDone = false;
        continue;
      }

      const t0 = m.seenAt + START_MS;
      const since = elapsed - START_MS;
      if (behaviour === 'crashloop') {
        const terminated = (restart: number, startedAt: number, finishedAt: number) => ({
          terminated: { exitCode: 1, reason: 'Error', startedAt: iso(t0 + startedAt), finishedAt: iso(t0 + finishedAt), containerID: this.containerId(m, c.name, restart) },
        });
        if (restartPolicy === 'Never') {
          started(0);
          const done = since >= RUN_MS;
          statuses.push({ ...base, ready: false, started: !done, restartCount: 0, containerID: this.containerId(m, c.name, 0), state: done ? terminated(0, 0, RUN_MS) : { running: { startedAt: iso(t0) } }, lastState: {} });
          allReady = false;
          if (done) anyFailed = true;
          else allDone = false;
          continue;
        }
        const ph = crashPhaseAt(since);
        started(ph.restartCount);
        const lastState = ph.restartCount > 0 && ph.finishedAt !== undefined ? terminated(ph.restartCount - 1, ph.finishedAt - RUN_MS, ph.finishedAt) : {};
        let state: V1ContainerStatus['state'];
        let restartCount = ph.restartCount;
        if (ph.state === 'running') {
          state = { running: { startedAt: iso(t0 + ph.startedAt) } };
        } else if (ph.state === 'terminated') {
          state = terminated(ph.restartCount, ph.startedAt, ph.finishedAt ?? ph.startedAt);
        } else {
          const rc = ph.restartCount;
          once(`backoff#${c.name}#${rc}`, () => this.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', fieldPath));
          state = {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off ${ph.backoff}s restarting failed container=${c.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`,
            },
          };
          restartCount = rc;
          statuses.push({ ...base, ready: false, started: false, restartCount, containerID: this.containerId(m, c.name, rc), state, lastState: terminated(rc, ph.startedAt, ph.finishedAt ?? ph.startedAt) });
          allReady = allStarted = allDone = false;
          continue;
        }
        statuses.push({ ...base, ready: false, started: ph.state === 'running', restartCount, containerID: this.containerId(m, c.name, ph.restartCount), state, lastState });
        allReady = allDone = false;
        if (ph.state !== 'running') allStarted = false;
        continue;
      }

      started(0);
      if (restartPolicy !== 'Always') {
        const done = since >= RUN_MS;
        statuses.push({
          ...base,
          ready: false,
          started: !done,
          restartCount: 0,
          containerID: this.containerId(m, c.name, 0),
          state: done
            ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(t0), finishedAt: iso(t0 + RUN_MS), containerID: this.containerId(m, c.name, 0) } }
            : { running: { startedAt: iso(t0) } },
          lastState: {},
        });
        allReady = false;
        if (!done) allDone = false;
        continue;
      }
      allDone = false;
      const ready = behaviour !== 'notready';
      if (!ready) {
        const n = Math.floor(since / 10_000);
        once(`unhealthy#${c.name}#${n}`, () => this.event(pod, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', fieldPath));
        allReady = false;
      }
      statuses.push({ ...base, ready, started: true, restartCount: 0, containerID: this.containerId(m, c.name, 0), state: { running: { startedAt: iso(t0) } }, lastState: {} });
    }

    const initStatuses: V1ContainerStatus[] = (spec.initContainers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `docker.io/library/init@sha256:${createHash('sha256').update(c.image ?? '').digest('hex')}`,
      ready: true,
      restartCount: 0,
      containerID: this.containerId(m, `init:${c.name}`, 0),
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(m.seenAt), finishedAt: iso(m.seenAt) } },
      lastState: {},
    }));

    let phase: string;
    if (restartPolicy !== 'Always' && allDone) phase = anyFailed ? 'Failed' : 'Succeeded';
    else if (anyWaitingImage || (elapsed < START_MS && !allStarted)) phase = 'Pending';
    else phase = 'Running';

    const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
    const finished = phase === 'Succeeded' || phase === 'Failed';
    const readyCond = finished
      ? { status: 'False', reason: 'PodCompleted' }
      : allReady
        ? { status: 'True' }
        : { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${notReady.join(' ')}]` };
    const signature = JSON.stringify([phase, readyCond.status, statuses.map((s) => [s.restartCount, s.ready, s.started, Object.keys(s.state ?? {})[0], s.state?.waiting?.reason])]);

    for (const p of pending) await p();
    if (signature === m.signature) return;

    const previous = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
    const condition = (type: string, c: { status: string; reason?: string; message?: string }): V1PodCondition => {
      const prev = previous.get(type);
      return {
        type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastProbeTime: undefined,
        lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : iso(now),
      };
    };
    pod.status = {
      ...pod.status,
      phase,
      hostIP: this.nodeIp,
      podIP: m.ip,
      podIPs: [{ ip: m.ip }],
      startTime: iso(m.seenAt),
      conditions: [
        condition('Initialized', { status: 'True', ...(finished ? { reason: 'PodCompleted' } : {}) }),
        condition('Ready', readyCond),
        condition('ContainersReady', readyCond),
        condition('PodScheduled', { status: 'True' }),
      ],
      containerStatuses: statuses,
      initContainerStatuses: initStatuses.length > 0 ? initStatuses : undefined,
    };
    try {
      await this.core.replaceNamespacedPodStatus({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: pod });
      m.signature = signature;
    } catch (e) {
      // A conflict or a pod deleted meanwhile: the next tick sees the fresh object.
      if (errorCode(e) !== 409 && errorCode(e) !== 404) throw new Error(`${podKey}: status update failed: ${describeError(e)}`, { cause: e });
    }
  }

  /** Records a core/v1 Event shaped like the kubelet's; a repeat bumps count and lastTimestamp. */
  private async event(pod: V1Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string, component = 'kubelet'): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const key = `${pod.metadata?.uid}|${fieldPath ?? ''}|${type}|${reason}|${message}`;
    const now = iso(Date.now());
    const memo = this.events.get(key);
    try {
      if (memo) {
        memo.count++;
        memo.event.count = memo.count;
        memo.event.lastTimestamp = now;
        memo.event = await this.core.replaceNamespacedEvent({ name: memo.event.metadata.name!, namespace, body: memo.event });
        return;
      }
      const event = await this.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${pod.metadata?.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`, namespace },
          involvedObject: {
            apiVersion: 'v1',
            kind: 'Pod',
            name: pod.metadata?.name,
            namespace,
            uid: pod.metadata?.uid,
            resourceVersion: pod.metadata?.resourceVersion,
            fieldPath,
          },
          reason,
          message,
          type,
          source: component === 'kubelet' ? { component, host: this.nodeName } : { component },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          reportingComponent: '',
          reportingInstance: '',
        },
      });
      this.events.set(key, { event, count: 1 });
    } catch (e) {
      // A terminating namespace refuses new events (403), as it does for a real kubelet.
      if (errorCode(e) !== 403 && errorCode(e) !== 404) this.log(`event ${reason} for ${namespace}/${pod.metadata?.name}: ${describeError(e)}`);
    }
  }
}
