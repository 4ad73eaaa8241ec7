// The in-chart PostgreSQL (postgresql.enabled) and the database wiring of components (database: true),
// rendered by the real Helm 4: what is rendered when, where DATABASE_URL comes from, who may connect, and
// when the migrations run. The password kept across upgrades (lookup) is checked on the real cluster
// (postgresql.kube.test.ts).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, chartDir, helm, type K8sObject, names, one, render, renderError, repoRoot, valuesFile } from './chart.js';

const img = (name: string) => ({ repository: `ghcr.io/acme/${name}`, tag: '1.0.0' });
const base = {
  components: {
    backend: { image: img('backend'), port: 8000, path: '/api', allowFrom: ['frontend'], database: true },
    frontend: { image: img('frontend'), port: 3000, path: '/' },
    worker: { image: img('worker'), port: 9000 },
  },
  ingress: { host: 'pr-42.preview.example.com' },
  migrations: { enabled: true, component: 'backend', command: ['python', '-m', 'app.migrate'] },
};
const withPg = { ...base, postgresql: { enabled: true } };
const shopDeploy = join(repoRoot, 'examples/shop/deploy/values.yaml');
const shopProd = join(repoRoot, 'examples/shop/deploy/values-prod.yaml');
const shopImages = {
  components: { backend: { image: img('shop-backend') }, frontend: { image: img('shop-frontend') } },
};

const env = (o: K8sObject) =>
  (o.spec.template.spec.containers[0].env ?? []) as { name: string; value?: string; valueFrom?: unknown }[];
const dbEnv = (o: K8sObject) => env(o).find((e) => e.name === 'DATABASE_URL');
const data = (o: K8sObject) => o['data'] as Record<string, string>;
const decode = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('postgresql disabled (the default)', () => {
  it('renders no PostgreSQL object, and no database env for components that do not ask', async () => {
    const objs = await render({
      values: { ...base, components: { ...base.components, backend: { ...base.components.backend, database: false } } },
    });
    expect(all(objs, 'StatefulSet')).toEqual([]);
    expect(objs.filter((o) => o.metadata.name.endsWith('-postgresql'))).toEqual([]);
    for (const d of all(objs, 'Deployment')) expect(dbEnv(d)).toBeUndefined();
  });

  it('fails, naming the value, when a component asks for a database and none is configured', async () => {
    const err = await renderError({ values: base });
    expect(err).toContain(
      'components.backend.database: true needs a database: set postgresql.enabled=true (a PostgreSQL in the release, for previews) or database.existingSecret (the Secret holding the URL, for production)',
    );
  });

  it('takes DATABASE_URL from database.existingSecret in production, for the component and the migrations Job', async () => {
    const objs = await render({
      values: { ...base, database: { existingSecret: 'shop-database', existingSecretKey: 'url' } },
    });
    const ref = { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-database', key: 'url' } } };
    expect(dbEnv(one(objs, 'Deployment', 'shop-backend'))).toEqual(ref);
    expect(dbEnv(one(objs, 'Job', 'shop-migrations'))).toEqual(ref);
    expect(dbEnv(one(objs, 'Deployment', 'shop-frontend'))).toBeUndefined();
    expect(one(objs, 'Job', 'shop-migrations').metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(all(objs, 'StatefulSet')).toEqual([]);
  });

  it('lets an explicit env DATABASE_URL win over database: true', async () => {
    const explicit = { valueFrom: { secretKeyRef: { name: 'mine', key: 'u' } } };
    const objs = await render({
      values: {
        ...base,
        components: { ...base.components, backend: { ...base.components.backend, env: { DATABASE_URL: explicit } } },
      },
    });
    expect(dbEnv(one(objs, 'Deployment', 'shop-backend'))).toEqual({ name: 'DATABASE_URL', ...explicit });
  });
});

describe('postgresql enabled', () => {
  it('renders a StatefulSet, its Service on 5432, a Secret and the entrypoint ConfigMap', async () => {
    const objs = await render({ values: withPg });
    expect(names(objs, 'StatefulSet')).toEqual(['shop-postgresql']);
    expect(names(objs, 'Secret')).toEqual(['shop-postgresql']);
    expect(names(objs, 'ConfigMap')).toEqual(['shop-postgresql']);
    expect(names(objs, 'Service')).toContain('shop-postgresql');
    const svc = one(objs, 'Service', 'shop-postgresql');
    expect(svc.spec.ports).toEqual([{ name: 'postgresql', port: 5432, targetPort: 'postgresql', protocol: 'TCP' }]);
    const sts = one(objs, 'StatefulSet', 'shop-postgresql');
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('postgresql');
    // the entrypoint the pod runs is the chart's file, byte for byte
    expect(data(one(objs, 'ConfigMap', 'shop-postgresql'))['entrypoint.sh']).toBe(
      readFileSync(join(chartDir, 'files/postgresql-entrypoint.sh'), 'utf8'),
    );
  });

  it('runs as 10001 on a read-only root, with writable data, run and tmp volumes (emptyDir by default)', async () => {
    const sts = one(await render({ values: withPg }), 'StatefulSet', 'shop-postgresql');
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
    const c = pod.containers[0];
    expect(c.image).toBe('127.0.0.1:5000/polyglot-cd/postgres:bookworm');
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual([
      '/scripts',
      '/tmp',
      '/var/lib/postgresql/data',
      '/var/run/postgresql',
    ]);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'data')).toEqual({ name: 'data', emptyDir: {} });
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(c.readinessProbe.exec.command[0]).toBe('/usr/lib/postgresql/15/bin/pg_isready');
    expect(env(sts)).toContainEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'shop-postgresql', key: 'password' } },
    });
  });

  it('claims a volume when persistence is on, with the size and storage class, and pins the image digest', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const sts = one(
      await render({
        values: {
          ...withPg,
          postgresql: {
            enabled: true,
            image: { repository: 'registry.local/pg', digest },
            persistence: { enabled: true, size: '5Gi', storageClass: 'fast' },
          },
        },
      }),
      'StatefulSet',
      'shop-postgresql',
    );
    expect(sts.spec.template.spec.containers[0].image).toBe(`registry.local/pg@${digest}`);
    expect(sts.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data')).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '5Gi' } },
    });
  });

  it('puts a generated password and the full DATABASE_URL in the Secret, and wires the opted-in component and the Job to it', async () => {
    const objs = await render({ values: withPg, namespace: 'pr-7' });
    const secret = one(objs, 'Secret', 'shop-postgresql');
    const password = decode(data(secret).password);
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(decode(data(secret).DATABASE_URL)).toBe(
      `postgresql://app:${password}@shop-postgresql:5432/app?sslmode=disable`,
    );
    // in the pods the URL is composed from the Secret's password and the Service's variables: no DNS needed
    const url = {
      name: 'DATABASE_URL',
      value:
        'postgresql://app:$(DATABASE_PASSWORD)@$(SHOP_POSTGRESQL_SERVICE_HOST):$(SHOP_POSTGRESQL_SERVICE_PORT)/app?sslmode=disable',
    };
    const pw = { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-postgresql', key: 'password' } } };
    for (const o of [one(objs, 'Deployment', 'shop-backend'), one(objs, 'Job', 'shop-migrations')]) {
      expect(dbEnv(o)).toEqual(url);
      const names = env(o).map((e) => e.name);
      // defined before the URL that references it, as $(VAR) expansion needs
      expect(names.indexOf('DATABASE_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'));
      expect(env(o).find((e) => e.name === 'DATABASE_PASSWORD')).toEqual(pw);
    }
    // the Service whose variables the URL names exists, on 5432
    const svc = one(objs, 'Service', 'shop-postgresql');
    expect(svc.spec.ports[0].port).toBe(5432);
    expect(dbEnv(one(objs, 'Deployment', 'shop-frontend'))).toBeUndefined();
    expect(dbEnv(one(objs, 'Deployment', 'shop-worker'))).toBeUndefined();
    // without a live Secret to look up (helm template), each render generates a new password
    const again = one(await render({ values: withPg, namespace: 'pr-7' }), 'Secret', 'shop-postgresql');
    expect(decode(data(again).password)).not.toBe(password);
  });

  it('lets only the opted-in components and the migrations Job reach PostgreSQL, on 5432', async () => {
    const objs = await render({ values: withPg });
    const np = one(objs, 'NetworkPolicy', 'shop-postgresql');
    const release = { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'shop' };
    expect(np.spec.podSelector).toEqual({ matchLabels: { ...release, 'app.kubernetes.io/component': 'postgresql' } });
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { podSelector: { matchLabels: { ...release, 'app.kubernetes.io/component': 'backend' } } },
          { podSelector: { matchLabels: { ...release, 'app.kubernetes.io/component': 'backend-migrations' } } },
        ],
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
    ]);
    // the selectors match the pods they mean
    const backendPod = one(objs, 'Deployment', 'shop-backend').spec.template.metadata.labels;
    const jobPod = one(objs, 'Job', 'shop-migrations').spec.template.metadata.labels;
    for (const [peer, labels] of [
      [np.spec.ingress[0].from[0], backendPod],
      [np.spec.ingress[0].from[1], jobPod],
    ])
      expect(labels).toMatchObject(peer.podSelector.matchLabels);
    // and the default deny covers the PostgreSQL pod
    const deny = one(objs, 'NetworkPolicy', 'shop-default-deny');
    expect(one(objs, 'StatefulSet', 'shop-postgresql').spec.template.metadata.labels).toMatchObject(
      deny.spec.podSelector.matchLabels,
    );
  });

  it('renders no allow rule when no component asks for the database', async () => {
    const objs = await render({
      values: {
        ...withPg,
        migrations: { enabled: false },
        components: { ...base.components, backend: { ...base.components.backend, database: false } },
      },
    });
    expect(names(objs, 'NetworkPolicy')).not.toContain('shop-postgresql');
    expect(names(objs, 'StatefulSet')).toEqual(['shop-postgresql']);
  });

  it('runs the migrations post-install (the database does not exist before) and pre-upgrade', async () => {
    const job = one(await render({ values: withPg }), 'Job', 'shop-migrations');
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('post-install,pre-upgrade');
  });

  it('refuses a component named postgresql', async () => {
    const err = await renderError({
      values: { ...withPg, components: { ...base.components, postgresql: { image: img('pg'), port: 5432 } } },
    });
    expect(err).toContain("components.postgresql collides with the in-chart PostgreSQL's objects");
  });

  it('refuses a bad database name', async () => {
    const err = await renderError({ values: { ...withPg, postgresql: { enabled: true, auth: { database: 'a;b' } } } });
    expect(err).toContain("- at '/postgresql/auth/database': ");
  });
});

describe('migrations.hash', () => {
  it('is recorded on the Job as polyglot-cd.dev/migrations-hash, and absent when empty', async () => {
    const hash = 'ca5fe8e76a8ab051419d7fd3b01e98d0610e43e6dad760c368e3f5e3a53426d8';
    const withHash = one(
      await render({ values: { ...withPg, migrations: { ...base.migrations, hash } } }),
      'Job',
      'shop-migrations',
    );
    expect(withHash.metadata.annotations!['polyglot-cd.dev/migrations-hash']).toBe(hash);
    const without = one(await render({ values: withPg }), 'Job', 'shop-migrations');
    expect(without.metadata.annotations!['polyglot-cd.dev/migrations-hash']).toBeUndefined();
  });
});

describe('examples/shop/deploy', () => {
  it('previews: PostgreSQL on an emptyDir, the backend and its migrations wired to it, the frontend to the backend', async () => {
    const objs = await render({ files: [shopDeploy], values: shopImages });
    expect(names(objs, 'StatefulSet')).toEqual(['shop-postgresql']);
    expect(one(objs, 'StatefulSet', 'shop-postgresql').spec.volumeClaimTemplates).toBeUndefined();
    expect(dbEnv(one(objs, 'Deployment', 'shop-backend'))?.value).toContain('@$(SHOP_POSTGRESQL_SERVICE_HOST):');
    const job = one(objs, 'Job', 'shop-migrations');
    expect(job.spec.template.spec.containers[0].command).toEqual(['python', '-m', 'app.migrate']);
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('post-install,pre-upgrade');
    // BACKEND_URL names the variables Kubernetes sets for the backend's Service, as the chart names it
    const backendUrl = env(one(objs, 'Deployment', 'shop-frontend')).find((e) => e.name === 'BACKEND_URL')!.value!;
    const m = /^http:\/\/\$\(([A-Z_]+)_SERVICE_HOST\):\$\(([A-Z_]+)_SERVICE_PORT\)$/.exec(backendUrl);
    expect(m?.[1]).toBe(m?.[2]);
    const svc = one(objs, 'Service', (m?.[1] ?? '').toLowerCase().replace(/_/g, '-'));
    expect(svc.metadata.labels!['app.kubernetes.io/component']).toBe('backend');
    expect(names(objs, 'Ingress')).toEqual(['shop']);
  });

  it('production: no PostgreSQL, DATABASE_URL from the existing Secret, migrations before the rollout', async () => {
    const objs = await render({
      files: [join(chartDir, 'values-prod.yaml'), shopDeploy, shopProd],
      values: shopImages,
    });
    expect(all(objs, 'StatefulSet')).toEqual([]);
    const ref = { secretKeyRef: { name: 'shop-database', key: 'DATABASE_URL' } };
    expect(dbEnv(one(objs, 'Deployment', 'shop-backend'))?.valueFrom).toEqual(ref);
    expect(dbEnv(one(objs, 'Job', 'shop-migrations'))?.valueFrom).toEqual(ref);
    expect(one(objs, 'Job', 'shop-migrations').metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });

  it.each([
    ['preview', [shopDeploy]],
    ['production', [join(chartDir, 'values-prod.yaml'), shopDeploy, shopProd]],
  ])('passes helm lint --strict (%s)', async (_name, files) => {
    const r = await helm([
      'lint',
      '--strict',
      chartDir,
      ...[...files, valuesFile(shopImages)].flatMap((f) => ['--values', f]),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});
