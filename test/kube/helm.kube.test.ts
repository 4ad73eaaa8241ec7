import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appsV1, coreV1, helm, uniqueName } from './harness.js';

const chart = fileURLToPath(new URL('./fixtures/tiny-chart', import.meta.url));
const ns = uniqueName('helm');
const release = 'tiny';

interface HelmStatus {
  version: number;
  info: { status: string };
}

afterAll(async () => {
  await coreV1().deleteNamespace({ name: ns }).catch(() => undefined);
});

describe('real helm against the control plane', () => {
  it('installs with --wait: the release is deployed and its Deployment Available', async () => {
    await helm(['upgrade', '--install', release, chart, '--namespace', ns, '--create-namespace', '--wait', '--timeout', '60s']);
    const status = JSON.parse((await helm(['status', release, '--namespace', ns, '-o', 'json'])).stdout) as HelmStatus;
    expect(status).toMatchObject({ version: 1, info: { status: 'deployed' } });
    const d = await appsV1().readNamespacedDeployment({ name: release, namespace: ns });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('upgrades with --wait to a new image and replica count', async () => {
    await helm([
      'upgrade', '--install', release, chart, '--namespace', ns, '--wait', '--timeout', '60s',
      '--set-string', 'image=registry.example/tiny:2.0', '--set', 'replicas=2',
    ]);
    const status = JSON.parse((await helm(['status', release, '--namespace', ns, '-o', 'json'])).stdout) as HelmStatus;
    expect(status).toMatchObject({ version: 2, info: { status: 'deployed' } });
    const d = await appsV1().readNamespacedDeployment({ name: release, namespace: ns });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('registry.example/tiny:2.0');
    expect(d.status?.readyReplicas).toBe(2);
    expect(d.status?.updatedReplicas).toBe(2);
  });

  it('fails --wait when the new pods crash-loop, and the release is marked failed', async () => {
    await expect(
      helm(['upgrade', release, chart, '--namespace', ns, '--wait', '--timeout', '8s', '--set-string', 'image=registry.example/tiny:crashloop']),
    ).rejects.toThrow(/timed out waiting for the condition/);
    const status = JSON.parse((await helm(['status', release, '--namespace', ns, '-o', 'json'])).stdout) as HelmStatus;
    expect(status).toMatchObject({ version: 3, info: { status: 'failed' } });
  });
});
