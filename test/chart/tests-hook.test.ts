// charts/app's `helm test` hook (tests.*), rendered by the real helm: the Pod, what it asks, how it runs,
// the NetworkPolicies that let it in, and the values it refuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { all, type K8sObject, one, render, renderError, SHOP_DIGEST, shopValues } from './chart.js';

const BUSYBOX = { repository: 'registry.local:5000/busybox', digest: SHOP_DIGEST };
const TESTS_SELECTOR = {
  'app.kubernetes.io/name': 'app',
  'app.kubernetes.io/instance': 'shop',
  'app.kubernetes.io/component': 'tests',
};

const sorted = (labels: Record<string, string> | undefined) => JSON.stringify(Object.entries(labels ?? {}).sort());

// A peer list of a NetworkPolicy rule that admits the test pod.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const admitsTests = (rule: any) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (rule.from ?? []).some((p: any) => sorted(p.podSelector?.matchLabels) === sorted(TESTS_SELECTOR));

describe('tests.enabled: false (the default)', () => {
  it('renders no test Pod and no NetworkPolicy rule for one', async () => {
    const objs = await render({ files: [shopValues] });
    expect(all(objs, 'Pod')).toEqual([]);
    for (const np of all(objs, 'NetworkPolicy')) expect((np.spec.ingress ?? []).some(admitsTests)).toBe(false);
  });
});

describe('tests.enabled: true', () => {
  let objs: K8sObject[];
  let pod: K8sObject;
  beforeAll(async () => {
    objs = await render({ files: [shopValues], values: { tests: { enabled: true, image: BUSYBOX } } });
    pod = one(objs, 'Pod', 'shop-tests');
  });

  it('is a helm test hook, replaced before each run and deleted once it succeeds', () => {
    expect(pod.metadata.annotations).toEqual({
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    expect(pod.metadata.labels?.['app.kubernetes.io/component']).toBe('tests');
    expect(pod.spec.restartPolicy).toBe('Never');
  });

  it("asks every component's Service for its healthPath, each URL an argument of the script", () => {
    const c = pod.spec.containers[0];
    expect(c.image).toBe(`registry.local:5000/busybox@${SHOP_DIGEST}`);
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toContain('timeout 5 wget -q -O- "$url"');
    expect(c.command[2]).toContain('exit 1');
    expect(c.command.slice(3)).toEqual([
      'tests',
      'backend=http://$(SHOP_BACKEND_SERVICE_HOST):8000/healthz',
      'frontend=http://$(SHOP_FRONTEND_SERVICE_HOST):3000/health',
    ]);
  });

  it('uses the service port when a component sets one', async () => {
    const o = await render({
      files: [shopValues],
      values: { tests: { enabled: true, image: BUSYBOX }, components: { frontend: { service: { port: 80 } } } },
    });
    expect(one(o, 'Pod', 'shop-tests').spec.containers[0].command).toContain(
      'frontend=http://$(SHOP_FRONTEND_SERVICE_HOST):80/health',
    );
  });

  it('runs as 65534, read-only, without capabilities, token or much of anything', () => {
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.enableServiceLinks).toBe(true);
    expect(pod.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = pod.spec.containers[0];
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } });
  });

  it("lets the test pod reach each component's port, and only while enabled", () => {
    for (const [name, port] of [
      ['shop-backend', 8000],
      ['shop-frontend', 3000],
    ] as const) {
      const rules = one(objs, 'NetworkPolicy', name).spec.ingress;
      const rule = rules.find(admitsTests);
      expect(rule, name).toBeDefined();
      expect(rule.ports).toEqual([{ protocol: 'TCP', port }]);
    }
    // the default deny still covers the test pod itself
    expect(one(objs, 'NetworkPolicy', 'shop-default-deny').spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'app',
      'app.kubernetes.io/instance': 'shop',
    });
  });

  it('gives a component with no other peer a policy that admits only the test pod', async () => {
    const o = await render({
      values: {
        components: { api: { image: BUSYBOX, port: 8080 } },
        tests: { enabled: true, image: { repository: 'busybox', tag: '1.37' } },
      },
    });
    expect(one(o, 'NetworkPolicy', 'shop-api').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: TESTS_SELECTOR } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(one(o, 'Pod', 'shop-tests').spec.containers[0].image).toBe('busybox:1.37');
  });
});

describe('refused values', () => {
  it.each([
    [{ enabled: true }, 'tests.image.repository is required when tests.enabled'],
    [{ enabled: true, image: { repository: 'busybox' } }, 'tests.image: set digest (preferred, sha256:…) or tag'],
    [{ enabled: true, image: { repository: 'busybox', digest: 'sha256:abc' } }, "at '/tests/image/digest'"],
    [{ enabled: 'yes' }, "at '/tests/enabled'"],
    [{ enabled: true, image: BUSYBOX, command: ['sh'] }, 'command'],
  ])('%j', async (tests, message) => {
    expect(await renderError({ files: [shopValues], values: { tests } })).toContain(message);
  });

  it('a component named tests while tests.enabled', async () => {
    const err = await renderError({
      values: { components: { tests: { image: BUSYBOX, port: 8080 } }, tests: { enabled: true, image: BUSYBOX } },
    });
    expect(err).toContain('a component may not be named "tests"');
  });
});
