// charts/app rendered by the real helm for the PR and production profiles, parsed and checked field by
// field (no whole-file snapshots).
import { beforeAll, describe, expect, it } from 'vitest';
import { all, type K8sObject, names, one, prodValues, render, SHOP_DIGEST, shopValues } from './chart.js';

const OTEL_CRD = ['--api-versions', 'opentelemetry.io/v1alpha1/Instrumentation'];

function container(deploy: K8sObject) {
  const containers = deploy.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}

describe('PR profile (values.yaml + the shop example)', () => {
  let objs: K8sObject[];
  beforeAll(async () => {
    objs = await render({
      files: [shopValues],
      values: { ingress: { host: 'pr-42.preview.example.com' } },
      args: OTEL_CRD,
    });
  });

  it('renders a Deployment and a Service per component, and nothing production-only', () => {
    expect(names(objs, 'Deployment')).toEqual(['shop-backend', 'shop-frontend']);
    expect(names(objs, 'Service')).toEqual(['shop-backend', 'shop-frontend']);
    expect(all(objs, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(all(objs, 'PodDisruptionBudget')).toEqual([]);
    expect(all(objs, 'ServiceMonitor')).toEqual([]);
    for (const o of objs) expect(o.metadata.namespace).toBeUndefined(); // helm --namespace decides
  });

  it('runs one small replica per component', () => {
    for (const d of all(objs, 'Deployment')) {
      expect(d.spec.replicas).toBe(1);
      expect(container(d).resources).toEqual({
        requests: { cpu: '50m', memory: '64Mi' },
        limits: { cpu: '250m', memory: '256Mi' },
      });
      expect(d.spec.template.spec.affinity).toBeUndefined();
    }
  });

  it('prefers the digest, uses the tag when there is no digest', () => {
    expect(container(one(objs, 'Deployment', 'shop-backend')).image).toBe(`ghcr.io/acme/shop-backend@${SHOP_DIGEST}`);
    expect(container(one(objs, 'Deployment', 'shop-frontend')).image).toBe('ghcr.io/acme/shop-frontend:1.4.2');
  });

  it('serves the port and probes healthPath (default /health)', () => {
    const backend = container(one(objs, 'Deployment', 'shop-backend'));
    expect(backend.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(backend.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(backend.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const frontend = container(one(objs, 'Deployment', 'shop-frontend'));
    expect(frontend.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(frontend.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(frontend.startupProbe).toBeUndefined();

    const svc = one(objs, 'Service', 'shop-backend');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(one(objs, 'Deployment', 'shop-backend').spec.selector.matchLabels);
  });

  it('passes env values as strings and valueFrom as given', () => {
    expect(container(one(objs, 'Deployment', 'shop-backend')).env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-db', key: 'url' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
  });

  it('is secure by default: non-root 10001, read-only root with /tmp, no escalation, no capabilities, RuntimeDefault', () => {
    for (const d of all(objs, 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(d).securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(d).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
      expect(pod.serviceAccountName).toBe('shop');
      expect(pod.automountServiceAccountToken).toBe(false);
    }
    const sa = one(objs, 'ServiceAccount', 'shop');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('routes host pr-<N>.<domain> per component path on one Ingress', () => {
    const ing = one(objs, 'Ingress', 'shop');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toBeUndefined();
    expect(ing.spec.rules).toHaveLength(1);
    expect(ing.spec.rules[0].host).toBe('pr-42.preview.example.com');
    const routes = Object.fromEntries(
      ing.spec.rules[0].http.paths.map(
        (p: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }) => {
          expect(p.pathType).toBe('Prefix');
          expect(p.backend.service.port).toEqual({ name: 'http' });
          return [p.path, p.backend.service.name];
        },
      ),
    );
    expect(routes).toEqual({ '/api': 'shop-backend', '/': 'shop-frontend' });
  });

  it('denies all ingress in the release, then allows only the ingress controller and declared callers', () => {
    const deny = one(objs, 'NetworkPolicy', 'shop-default-deny');
    expect(deny.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'shop' } },
      policyTypes: ['Ingress'],
    });
    const fromController = {
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
    };
    const backend = one(objs, 'NetworkPolicy', 'shop-backend');
    expect(backend.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('backend');
    expect(backend.spec.ingress).toEqual([
      { ...fromController, ports: [{ port: 8000, protocol: 'TCP' }] },
      {
        from: [
          {
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'app',
                'app.kubernetes.io/instance': 'shop',
                'app.kubernetes.io/component': 'frontend',
              },
            },
          },
        ],
        ports: [{ port: 8000, protocol: 'TCP' }],
      },
    ]);
    // Nobody declared frontend as a caller of itself or of anything else: controller only.
    expect(one(objs, 'NetworkPolicy', 'shop-frontend').spec.ingress).toEqual([
      { ...fromController, ports: [{ port: 3000, protocol: 'TCP' }] },
    ]);
  });

  it("asks the OTel operator to inject each component's declared language", () => {
    const inst = one(objs, 'Instrumentation', 'shop');
    expect(inst.apiVersion).toBe('opentelemetry.io/v1alpha1');
    expect(inst.spec.exporter.endpoint).toBe('http://otel-collector.observability.svc.cluster.local:4318');
    expect(one(objs, 'Deployment', 'shop-backend').spec.template.metadata.annotations).toEqual({
      'instrumentation.opentelemetry.io/inject-python': 'shop',
    });
    expect(one(objs, 'Deployment', 'shop-frontend').spec.template.metadata.annotations).toEqual({
      'instrumentation.opentelemetry.io/inject-nodejs': 'shop',
    });
  });

  it('runs the migrations as a pre-install/pre-upgrade hook Job with the backend image', () => {
    const job = one(objs, 'Job', 'shop-migrations');
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBeUndefined(); // the release's SA doesn't exist yet at pre-install
    expect(pod.containers[0].image).toBe(`ghcr.io/acme/shop-backend@${SHOP_DIGEST}`);
    expect(pod.containers[0].command).toEqual(['alembic', 'upgrade', 'head']);
    expect(pod.containers[0].env).toContainEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'shop-db', key: 'url' } },
    });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(job.metadata.labels!['app.kubernetes.io/component']).toBe('backend-migrations');
  });

  it('labels every object with the standard labels, and component objects with component and version', () => {
    for (const o of objs) {
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject({
        'helm.sh/chart': 'app-0.1.0',
        'app.kubernetes.io/name': 'app',
        'app.kubernetes.io/instance': 'shop',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'shop',
      });
    }
    const backend = one(objs, 'Deployment', 'shop-backend');
    for (const labels of [backend.metadata.labels, backend.spec.template.metadata.labels]) {
      expect(labels).toMatchObject({
        'app.kubernetes.io/component': 'backend',
        'app.kubernetes.io/version': 'sha256-4f53cda18c2b',
      });
    }
    expect(one(objs, 'Deployment', 'shop-frontend').metadata.labels!['app.kubernetes.io/version']).toBe('1.4.2');
    // The selector never holds the version (it is immutable).
    expect(backend.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'app',
      'app.kubernetes.io/instance': 'shop',
      'app.kubernetes.io/component': 'backend',
      'polyglot-cd/track': 'stable',
    });
  });
});

describe('production profile (values-prod.yaml + the shop example)', () => {
  let objs: K8sObject[];
  beforeAll(async () => {
    objs = await render({ files: [prodValues, shopValues], namespace: 'shop' });
  });

  it('leaves the replica count to an autoscaling/v2 HPA with min 3 and a CPU target', () => {
    for (const name of ['shop-backend', 'shop-frontend']) {
      expect(one(objs, 'Deployment', name).spec.replicas).toBeUndefined();
      const hpa = one(objs, 'HorizontalPodAutoscaler', name);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      });
    }
  });

  it('runs 3 replicas when autoscaling is turned off', async () => {
    const noHpa = await render({
      files: [prodValues, shopValues],
      values: { defaults: { autoscaling: { enabled: false } } },
    });
    expect(all(noHpa, 'HorizontalPodAutoscaler')).toEqual([]);
    for (const d of all(noHpa, 'Deployment')) expect(d.spec.replicas).toBe(3);
  });

  it('protects each component with a policy/v1 PDB selecting its stable pods', () => {
    const pdb = one(objs, 'PodDisruptionBudget', 'shop-backend');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: one(objs, 'Deployment', 'shop-backend').spec.selector.matchLabels },
    });
    expect(names(objs, 'PodDisruptionBudget')).toEqual(['shop-backend', 'shop-frontend']);
  });

  it('gives the backend limits of 512Mi / 500m', () => {
    expect(container(one(objs, 'Deployment', 'shop-backend')).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });

  it('spreads pods over nodes with a soft anti-affinity on the component', () => {
    const d = one(objs, 'Deployment', 'shop-backend');
    expect(d.spec.template.spec.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: d.spec.selector.matchLabels },
            },
          },
        ],
      },
    });
  });

  it('adds a startup probe and TLS, and keeps the security defaults', () => {
    const c = container(one(objs, 'Deployment', 'shop-backend'));
    expect(c.startupProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 5,
      failureThreshold: 30,
    });
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(one(objs, 'Ingress', 'shop').spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  });

  it('lets a component keep its own resources and scaling', async () => {
    const o = await render({
      files: [prodValues, shopValues],
      values: {
        components: {
          frontend: {
            resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '128Mi' } },
            autoscaling: { maxReplicas: 4 },
            pdb: { enabled: false },
          },
        },
      },
    });
    expect(container(one(o, 'Deployment', 'shop-frontend')).resources).toEqual({
      requests: { cpu: '20m', memory: '32Mi' },
      limits: { memory: '128Mi' },
    });
    // autoscaling merges key by key: min 3 and the CPU target come from the profile
    expect(one(o, 'HorizontalPodAutoscaler', 'shop-frontend').spec).toMatchObject({ minReplicas: 3, maxReplicas: 4 });
    // false is honoured (a naive merge would let the profile's `true` win)
    expect(names(o, 'PodDisruptionBudget')).toEqual(['shop-backend']);
  });
});

describe('.Capabilities fallbacks', () => {
  const prod = { files: [prodValues, shopValues] };

  it.each([
    ['1.20.2', 'autoscaling/v2beta2', 'policy/v1beta1'],
    ['1.22.0', 'autoscaling/v2beta2', 'policy/v1'],
    ['1.23.0', 'autoscaling/v2', 'policy/v1'],
    ['1.30.1', 'autoscaling/v2', 'policy/v1'],
  ])('Kubernetes %s: HPA %s, PDB %s', async (kubeVersion, hpaApi, pdbApi) => {
    const objs = await render({ ...prod, args: ['--kube-version', kubeVersion] });
    for (const hpa of all(objs, 'HorizontalPodAutoscaler')) {
      expect(hpa.apiVersion).toBe(hpaApi);
      // v2beta2 has the same metrics shape as v2
      expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 70 });
    }
    for (const pdb of all(objs, 'PodDisruptionBudget')) expect(pdb.apiVersion).toBe(pdbApi);
    expect(all(objs, 'HorizontalPodAutoscaler')).toHaveLength(2);
  });

  it('renders no OTel objects or annotations without the Instrumentation CRD', async () => {
    const objs = await render({ files: [shopValues] });
    expect(all(objs, 'Instrumentation')).toEqual([]);
    for (const d of all(objs, 'Deployment')) expect(d.spec.template.metadata.annotations).toBeUndefined();
  });

  it('renders them when the CRD is served, or with otel.force', async () => {
    for (const opts of [{ args: OTEL_CRD }, { values: { otel: { force: true } } }]) {
      const objs = await render({ files: [shopValues], ...opts });
      expect(names(objs, 'Instrumentation')).toEqual(['shop']);
      expect(one(objs, 'Deployment', 'shop-backend').spec.template.metadata.annotations).toHaveProperty(
        ['instrumentation.opentelemetry.io/inject-python'],
        'shop',
      );
    }
  });

  it('renders nothing of OTel when otel.enabled is false, even with the CRD', async () => {
    const objs = await render({
      files: [shopValues],
      values: { otel: { enabled: false, force: true } },
      args: OTEL_CRD,
    });
    expect(all(objs, 'Instrumentation')).toEqual([]);
    for (const d of all(objs, 'Deployment')) expect(d.spec.template.metadata.annotations).toBeUndefined();
  });

  it('renders ServiceMonitors only when the CRD is served (or forced), and lets Prometheus in', async () => {
    const on = { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } };
    expect(all(await render({ files: [shopValues], values: on }), 'ServiceMonitor')).toEqual([]);
    const objs = await render({
      files: [shopValues],
      values: on,
      args: ['--api-versions', 'monitoring.coreos.com/v1/ServiceMonitor'],
    });
    const sm = one(objs, 'ServiceMonitor', 'shop-backend');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(sm.spec).toEqual({
      selector: { matchLabels: one(objs, 'Service', 'shop-backend').spec.selector },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
    });
    expect(one(objs, 'NetworkPolicy', 'shop-backend').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
  });
});
