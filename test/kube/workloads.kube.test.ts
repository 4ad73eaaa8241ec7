import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appsV1, coreV1, uniqueName, waitFor } from './harness.js';

const core = coreV1();
const apps = appsV1();
const ns = uniqueName('workloads');

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns, labels: { 'polyglot-cd.dev/test': 'workloads' } } } });
});
afterAll(async () => {
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

async function deploy(name: string, image: string, replicas = 1): Promise<void> {
  const labels = { app: name };
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
      },
    },
  });
}

async function podOf(app: string, ready: (p: V1Pod) => boolean): Promise<V1Pod> {
  return waitFor(`a pod of ${app}`, async () => {
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` });
    return pods.items.find(ready);
  });
}

async function eventsFor(pod: V1Pod) {
  const list = await core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${pod.metadata?.name}` });
  return list.items;
}

describe('node simulator', () => {
  it('registers a Ready node', async () => {
    const nodes = await core.listNode({ labelSelector: 'polyglot-cd.dev/simulated-node=true' });
    expect(nodes.items).toHaveLength(1);
    const ready = nodes.items[0]?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  });

  it('makes a Deployment of a healthy image Available', async () => {
    await deploy('healthy', 'registry.example/app:1.0', 2);
    const d = await waitFor(
      'deployment healthy to be Available',
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'healthy', namespace: ns });
        const available = d.status?.conditions?.find((c) => c.type === 'Available');
        return available?.status === 'True' && d.status?.readyReplicas === 2 ? d : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(d.status?.availableReplicas).toBe(2);
    const pod = await podOf('healthy', () => true);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.spec?.nodeName).toBe('polyglot-cd-node');
    expect(pod.status?.podIP).toMatch(/^10\.244\./);
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0 });
    expect(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt).toBeDefined();
    const reasons = (await eventsFor(pod)).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
  });

  it('shows CrashLoopBackOff with restart counts and a kubelet BackOff event for a crashing image', async () => {
    await deploy('crashing', 'registry.example/app:crashloop');
    const pod = await podOf('crashing', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff');
    const cs = pod.status?.containerStatuses?.[0];
    expect(pod.status?.phase).toBe('Running');
    expect(cs?.ready).toBe(false);
    expect(cs?.restartCount).toBeGreaterThanOrEqual(1);
    expect(cs?.state?.waiting?.message).toMatch(/^back-off 10s restarting failed container=app pod=crashing-/);
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const backOff = await waitFor('a BackOff event', async () => (await eventsFor(pod)).find((e) => e.reason === 'BackOff'));
    expect(backOff).toMatchObject({
      type: 'Warning',
      message: 'Back-off restarting failed container',
      source: { component: 'kubelet', host: 'polyglot-cd-node' },
      involvedObject: { kind: 'Pod', fieldPath: 'spec.containers{app}' },
    });
    const d = await apps.readNamespacedDeployment({ name: 'crashing', namespace: ns });
    expect(d.status?.readyReplicas ?? 0).toBe(0);
  });

  it('shows ErrImagePull then ImagePullBackOff with Failed events for an image that cannot be pulled', async () => {
    await deploy('unpullable', 'registry.example/errimagepull:1.0');
    const first = await podOf('unpullable', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull');
    expect(first.status?.phase).toBe('Pending');
    const pod = await podOf('unpullable', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('Back-off pulling image "registry.example/errimagepull:1.0"');
    const events = await waitFor('the ImagePullBackOff event', async () => {
      const ev = await eventsFor(pod);
      return ev.some((e) => e.message === 'Error: ImagePullBackOff') ? ev : undefined;
    });
    const failed = events.filter((e) => e.type === 'Warning' && e.reason === 'Failed').map((e) => e.message);
    expect(failed).toEqual(expect.arrayContaining(['Error: ErrImagePull', 'Error: ImagePullBackOff']));
    expect(failed.some((m) => m?.startsWith('Failed to pull image "registry.example/errimagepull:1.0": rpc error:'))).toBe(true);
  });

  it('runs a restartPolicy Never pod to Succeeded', async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'once', labels: { app: 'once' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'registry.example/job:1' }] } },
    });
    const pod = await podOf('once', (p) => p.status?.phase === 'Succeeded');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('removes a deleted pod without waiting for its grace period', async () => {
    const pod = await podOf('healthy', (p) => p.status?.phase === 'Running');
    const name = pod.metadata!.name!;
    await core.deleteNamespacedPod({ name, namespace: ns });
    await waitFor(`pod ${name} gone`, async () => {
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=healthy' });
      return !pods.items.some((p) => p.metadata?.name === name);
    }, { timeoutMs: 15_000 });
  });
});
