// The options around the two profiles: digest vs tag, canary, OTel per language, the ServiceAccount,
// NetworkPolicy extras, defaults merging, and the NOTES.
import { describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  all,
  chartDir,
  helm,
  names,
  one,
  parseManifests,
  prodValues,
  render,
  SHOP_DIGEST,
  shopValues,
  templateArgs,
  type K8sObject,
} from './chart.js';

const OTEL = { otel: { force: true } };
const podOf = (objs: K8sObject[], name: string) => one(objs, 'Deployment', name).spec.template;

describe('image reference', () => {
  it.each([
    ['digest only', { digest: SHOP_DIGEST }, `ghcr.io/acme/api@${SHOP_DIGEST}`],
    ['tag only', { tag: '2.0.1' }, 'ghcr.io/acme/api:2.0.1'],
    ['digest and tag: the digest wins', { digest: SHOP_DIGEST, tag: '2.0.1' }, `ghcr.io/acme/api@${SHOP_DIGEST}`],
    [
      'a registry with a port',
      { repository: 'localhost:5000/acme/api', tag: 'pr-42' },
      'localhost:5000/acme/api:pr-42',
    ],
  ])('%s', async (_name, image, expected) => {
    const objs = await render({
      values: { components: { api: { image: { repository: 'ghcr.io/acme/api', ...image }, port: 8080 } } },
    });
    expect(podOf(objs, 'shop-api').spec.containers[0].image).toBe(expected);
  });

  it('a version value labels every component (e.g. the commit), ahead of tags and digests', async () => {
    const objs = await render({ files: [shopValues], values: { version: 'a1b2c3d' } });
    for (const d of all(objs, 'Deployment')) expect(d.metadata.labels!['app.kubernetes.io/version']).toBe('a1b2c3d');
  });
});

describe('canary', () => {
  const canary = (extra: Record<string, unknown> = {}) =>
    render({
      files: [shopValues],
      values: {
        canary: {
          enabled: true,
          component: 'backend',
          weight: 10,
          image: { digest: `sha256:${'b'.repeat(64)}` },
          ...extra,
        },
      },
    });

  it('runs the new image beside the stable one, with its own Service and an ingress-nginx canary Ingress', async () => {
    const objs = await canary();
    expect(names(objs, 'Deployment')).toEqual(['shop-backend', 'shop-backend-canary', 'shop-frontend']);
    const stable = one(objs, 'Deployment', 'shop-backend');
    const can = one(objs, 'Deployment', 'shop-backend-canary');
    expect(can.spec.replicas).toBe(1);
    expect(can.spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/shop-backend@sha256:${'b'.repeat(64)}`);
    expect(stable.spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/shop-backend@${SHOP_DIGEST}`);
    expect(can.spec.selector.matchLabels['polyglot-cd/track']).toBe('canary');
    expect(can.metadata.labels!['app.kubernetes.io/version']).toBe('sha256-bbbbbbbbbbbb');
    // The stable Service doesn't pick up canary pods, the canary Service picks only them.
    expect(one(objs, 'Service', 'shop-backend').spec.selector['polyglot-cd/track']).toBe('stable');
    expect(one(objs, 'Service', 'shop-backend-canary').spec.selector).toEqual(can.spec.selector.matchLabels);
    // Same security and env as the component.
    expect(can.spec.template.spec.containers[0].securityContext).toEqual(
      stable.spec.template.spec.containers[0].securityContext,
    );
    expect(can.spec.template.spec.containers[0].env).toEqual(stable.spec.template.spec.containers[0].env);

    const ing = one(objs, 'Ingress', 'shop-canary');
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '10',
    });
    expect(ing.spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: {
          paths: [
            {
              path: '/api',
              pathType: 'Prefix',
              backend: { service: { name: 'shop-backend-canary', port: { name: 'http' } } },
            },
          ],
        },
      },
    ]);
    // The component's NetworkPolicy selects both tracks.
    expect(one(objs, 'NetworkPolicy', 'shop-backend').spec.podSelector.matchLabels).not.toHaveProperty([
      'polyglot-cd/track',
    ]);
  });

  it('takes the weight as given (0 keeps the canary out of traffic)', async () => {
    const objs = await canary({ weight: 0 });
    expect(one(objs, 'Ingress', 'shop-canary').metadata.annotations!['nginx.ingress.kubernetes.io/canary-weight']).toBe(
      '0',
    );
  });

  it('renders nothing of the canary when disabled', async () => {
    const objs = await render({ files: [shopValues] });
    expect(objs.filter((o) => o.metadata.name.endsWith('-canary'))).toEqual([]);
  });
});

describe('OpenTelemetry per language', () => {
  const lang = (language: string, otel: Record<string, unknown> = {}) =>
    render({
      values: {
        ...OTEL,
        components: { svc: { image: { repository: 'ghcr.io/acme/svc', tag: '1' }, port: 8080, language, otel } },
      },
    });

  it.each(['python', 'nodejs', 'java', 'dotnet'])(
    '%s: inject-<language> pointing at the release Instrumentation',
    async (language) => {
      const objs = await lang(language);
      expect(podOf(objs, 'shop-svc').metadata.annotations).toEqual({
        [`instrumentation.opentelemetry.io/inject-${language}`]: 'shop',
      });
      expect(podOf(objs, 'shop-svc').spec.securityContext.runAsNonRoot).toBe(true);
    },
  );

  it("go: names the binary, and leaves root to the operator's eBPF sidecar only", async () => {
    const objs = await lang('go', { goTargetExe: '/app/server' });
    const pod = podOf(objs, 'shop-svc');
    expect(pod.metadata.annotations).toEqual({
      'instrumentation.opentelemetry.io/inject-go': 'shop',
      'instrumentation.opentelemetry.io/otel-go-auto-target-exe': '/app/server',
    });
    expect(pod.spec.securityContext).not.toHaveProperty('runAsNonRoot');
    expect(pod.spec.securityContext).not.toHaveProperty('runAsUser');
    expect(pod.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
  });

  it('a component without a language, or opted out, gets no injection', async () => {
    const objs = await render({
      values: {
        ...OTEL,
        components: {
          plain: { image: { repository: 'ghcr.io/acme/p', tag: '1' }, port: 80 },
          // a name that looks like a language is not a language
          python: { image: { repository: 'ghcr.io/acme/q', tag: '1' }, port: 80 },
          out: {
            image: { repository: 'ghcr.io/acme/o', tag: '1' },
            port: 80,
            language: 'java',
            otel: { enabled: false },
          },
        },
      },
    });
    for (const name of ['shop-plain', 'shop-python', 'shop-out'])
      expect(podOf(objs, name).metadata.annotations).toBeUndefined();
    expect(names(objs, 'Instrumentation')).toEqual(['shop']);
  });

  it('configures the exporter, sampler and per-language settings', async () => {
    const objs = await render({
      values: {
        otel: {
          force: true,
          exporter: { endpoint: 'http://collector.obs:4318' },
          sampler: { type: 'parentbased_traceidratio', argument: '0.25' },
          languages: { java: { env: [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' }] } },
        },
      },
    });
    expect(one(objs, 'Instrumentation', 'shop').spec).toEqual({
      exporter: { endpoint: 'http://collector.obs:4318' },
      propagators: ['tracecontext', 'baggage'],
      sampler: { type: 'parentbased_traceidratio', argument: '0.25' },
      java: { env: [{ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' }] },
    });
  });
});

describe('ServiceAccount', () => {
  it('mounts a token only for a component that asks for one', async () => {
    const objs = await render({
      files: [shopValues],
      values: { components: { backend: { automountServiceAccountToken: true } } },
    });
    expect(podOf(objs, 'shop-backend').spec.automountServiceAccountToken).toBe(true);
    expect(podOf(objs, 'shop-frontend').spec.automountServiceAccountToken).toBe(false);
    expect(one(objs, 'ServiceAccount', 'shop').automountServiceAccountToken).toBe(false);
  });

  it('uses an existing one when create is false', async () => {
    const objs = await render({
      files: [shopValues],
      values: { serviceAccount: { create: false, name: 'shop-runtime' } },
    });
    expect(all(objs, 'ServiceAccount')).toEqual([]);
    expect(podOf(objs, 'shop-backend').spec.serviceAccountName).toBe('shop-runtime');
  });
});

describe('NetworkPolicy and Ingress switches', () => {
  it('without the Ingress, nothing is exposed and the controller is not let in', async () => {
    const objs = await render({ files: [shopValues], values: { ingress: { enabled: false } } });
    expect(all(objs, 'Ingress')).toEqual([]);
    // backend still accepts the frontend; frontend accepts nobody, so it has only the default deny
    expect(names(objs, 'NetworkPolicy')).toEqual(['shop-backend', 'shop-default-deny']);
    expect(one(objs, 'NetworkPolicy', 'shop-backend').spec.ingress).toHaveLength(1);
  });

  it("adds a component's extraIngress rules and can be turned off", async () => {
    const rule = { from: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }], ports: [{ port: 8000 }] };
    const objs = await render({
      files: [shopValues],
      values: { components: { backend: { networkPolicy: { extraIngress: [rule] } } } },
    });
    expect(one(objs, 'NetworkPolicy', 'shop-backend').spec.ingress).toContainEqual(rule);
    expect(
      all(await render({ files: [shopValues], values: { networkPolicy: { enabled: false } } }), 'NetworkPolicy'),
    ).toEqual([]);
  });

  it('follows the ingress controller and monitoring selectors and the TLS settings', async () => {
    const objs = await render({
      files: [shopValues],
      values: {
        ingress: {
          className: 'internal',
          tls: { enabled: true, secretName: 'wildcard-preview' },
          annotations: { 'cert-manager.io/cluster-issuer': 'le' },
        },
        networkPolicy: {
          ingressController: {
            namespaceSelector: { matchLabels: { name: 'ingress' } },
            podSelector: { matchLabels: { app: 'ctrl' } },
          },
          monitoring: { namespace: 'prom' },
        },
        serviceMonitor: { enabled: true, force: true },
      },
    });
    const ing = one(objs, 'Ingress', 'shop');
    expect(ing.spec.ingressClassName).toBe('internal');
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'wildcard-preview' }]);
    expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
    expect(one(objs, 'NetworkPolicy', 'shop-frontend').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { name: 'ingress' } }, podSelector: { matchLabels: { app: 'ctrl' } } },
    ]);
    expect(one(objs, 'NetworkPolicy', 'shop-frontend').spec.ingress[1].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prom' } } },
    ]);
  });
});

describe('defaults', () => {
  it('merge env key by key and replace other keys as a whole', async () => {
    const objs = await render({
      files: [shopValues],
      values: {
        defaults: { env: { LOG_LEVEL: 'debug', TZ: 'UTC' }, nodeSelector: { pool: 'general' } },
        components: { frontend: { nodeSelector: { pool: 'edge' }, replicaCount: 0 } },
      },
    });
    const backendEnv = podOf(objs, 'shop-backend').spec.containers[0].env;
    expect(backendEnv).toContainEqual({ name: 'LOG_LEVEL', value: 'info' }); // the component wins
    expect(backendEnv).toContainEqual({ name: 'TZ', value: 'UTC' });
    expect(podOf(objs, 'shop-frontend').spec.containers[0].env).toContainEqual({ name: 'TZ', value: 'UTC' });
    expect(podOf(objs, 'shop-backend').spec.nodeSelector).toEqual({ pool: 'general' });
    expect(podOf(objs, 'shop-frontend').spec.nodeSelector).toEqual({ pool: 'edge' });
    // 0 is a value, not "unset"
    expect(one(objs, 'Deployment', 'shop-frontend').spec.replicas).toBe(0);
  });

  it("lets minAvailable win over the profile's maxUnavailable, and offers a hard anti-affinity and a memory target", async () => {
    const objs = await render({
      files: [prodValues, shopValues],
      values: {
        components: {
          backend: {
            pdb: { minAvailable: 2 },
            podAntiAffinity: 'hard',
            autoscaling: { targetMemoryUtilizationPercentage: 75 },
          },
        },
      },
    });
    expect(one(objs, 'PodDisruptionBudget', 'shop-backend').spec).not.toHaveProperty('maxUnavailable');
    expect(one(objs, 'PodDisruptionBudget', 'shop-backend').spec.minAvailable).toBe(2);
    const d = one(objs, 'Deployment', 'shop-backend');
    expect(d.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: d.spec.selector.matchLabels } },
    ]);
    expect(one(objs, 'HorizontalPodAutoscaler', 'shop-backend').spec.metrics[1]).toEqual({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } },
    });
  });

  it('names objects after fullnameOverride', async () => {
    const objs = await render({ files: [shopValues], values: { fullnameOverride: 'store' } });
    expect(names(objs, 'Deployment')).toEqual(['store-backend', 'store-frontend']);
    expect(
      one(objs, 'Ingress', 'store').spec.rules[0].http.paths.map(
        (p: { backend: { service: { name: string } } }) => p.backend.service.name,
      ),
    ).toEqual(['store-backend', 'store-frontend']);
  });
});

describe('NOTES.txt', () => {
  // `helm template` never prints NOTES.txt and `helm install --dry-run` needs a cluster (the kube test
  // checks it there): render a copy of the chart in which NOTES.txt is an ordinary template.
  async function notes(values: Record<string, unknown>): Promise<string> {
    const copy = mkdtempSync(join(tmpdir(), 'chart-notes-'));
    try {
      cpSync(chartDir, copy, { recursive: true });
      copyFileSync(join(copy, 'templates/NOTES.txt'), join(copy, 'notes.txt'));
      writeFileSync(
        join(copy, 'templates/notes-as-manifest.yaml'),
        'notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}\n',
      );
      const args = templateArgs({ files: [shopValues], values }).map((a) => (a === chartDir ? copy : a));
      const r = await helm([...args, '--show-only', 'templates/notes-as-manifest.yaml']);
      if (r.code !== 0) throw new Error(r.stderr);
      return (parseManifests(r.stdout)[0] as unknown as { notes: string }).notes;
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }

  it('prints the URL, each exposed path and each in-cluster address', async () => {
    const out = await notes({ ingress: { host: 'pr-7.preview.example.com' } });
    expect(out).toContain('URL: http://pr-7.preview.example.com');
    expect(out).toContain('backend: http://pr-7.preview.example.com/api');
    expect(out).toContain('frontend: http://pr-7.preview.example.com/');
    expect(out).toContain('backend: http://shop-backend.pr-42.svc:8000');
    expect(out).toContain(
      'OpenTelemetry is enabled but the cluster has no opentelemetry.io/v1alpha1 Instrumentation CRD',
    );
  });

  it('says https with TLS, and mentions the canary', async () => {
    const out = await notes({
      ingress: { tls: { enabled: true } },
      canary: { enabled: true, component: 'backend', weight: 5, image: { tag: '2.0.0' } },
      otel: { enabled: false },
    });
    expect(out).toContain('URL: https://shop.example.com');
    expect(out).toContain('canary: 5% of backend requests go to the canary');
    expect(out).not.toContain('OpenTelemetry');
  });
});
