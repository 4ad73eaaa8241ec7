// Real Helm 4 and Helm 3 (scripts/setup/helm.sh) against the stack's API server and real node, on a tiny
// chart: install and upgrade with --wait on pods that really start, and a crash-looping upgrade that
// --wait really fails on. The same tests run on both majors.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appsV1, coreV1, helm, helmOf, HELM_MAJORS, stackInfo, uniqueName } from './harness.js';
import { imageVariant } from './workload-images.js';

const chart = fileURLToPath(new URL('./fixtures/tiny-chart', import.meta.url));
const release = 'tiny';
const namespaces: string[] = [];

interface HelmStatus {
  version: number;
  info: { status: string };
}

afterAll(async () => {
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

describe.each(HELM_MAJORS)('real Helm %s against the stack', (major) => {
  const ns = uniqueName(`helm${major}`);
  namespaces.push(ns);
  const { images } = stackInfo();
  const run = (args: string[]) => helm(args, { major });
  const status = async () =>
    JSON.parse((await run(['status', release, '--namespace', ns, '-o', 'json'])).stdout) as HelmStatus;

  it(`is Helm ${helmOf(major).version}`, async () => {
    expect((await run(['version', '--template', '{{.Version}}'])).stdout).toBe(`v${helmOf(major).version}`);
    expect(helmOf(major).version.split('.')[0]).toBe(major);
  });

  it('installs with --wait: the release is deployed and its Deployment Available', async () => {
    await run([
      'upgrade',
      '--install',
      release,
      chart,
      '--namespace',
      ns,
      '--create-namespace',
      '--wait',
      '--timeout',
      '90s',
      '--set-string',
      `image=${images.web}`,
    ]);
    expect(await status()).toMatchObject({ version: 1, info: { status: 'deployed' } });
    const d = await appsV1().readNamespacedDeployment({ name: release, namespace: ns });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });

  it('upgrades with --wait to a new digest and replica count', async () => {
    const next = await imageVariant(images.web, 'tiny-2');
    await run([
      'upgrade',
      '--install',
      release,
      chart,
      '--namespace',
      ns,
      '--wait',
      '--timeout',
      '90s',
      '--set-string',
      `image=${next}`,
      '--set',
      'replicas=2',
    ]);
    expect(await status()).toMatchObject({ version: 2, info: { status: 'deployed' } });
    const d = await appsV1().readNamespacedDeployment({ name: release, namespace: ns });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe(next);
    expect(d.status?.readyReplicas).toBe(2);
    expect(d.status?.updatedReplicas).toBe(2);
  });

  it('fails --wait when the new pods crash-loop, and the release is marked failed', async () => {
    await expect(
      run([
        'upgrade',
        release,
        chart,
        '--namespace',
        ns,
        '--wait',
        '--timeout',
        '10s',
        '--set-string',
        `image=${images.crash}`,
      ]),
    ).rejects.toThrow(/timed out waiting for the condition|context deadline exceeded|resource not ready/);
    expect(await status()).toMatchObject({ version: 3, info: { status: 'failed' } });
  });
});
