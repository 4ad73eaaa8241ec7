/**
 * mode: read, driven through its inputs with main() in-process. The kubeconfig points at a local HTTP
 * server standing in for the API server, which must receive nothing: a read makes no call of its own
 * (no namespace, order claim or pull secret), and every input only a deploy uses is refused before any.
 * helm is a small stand-in that answers `version`, `status` and `get values` from files and records its
 * argv, so the test sees that only those read commands run. The real read, on the real cluster with the
 * real Helm 4, is test/integration/helm-deploy/read.kube.test.ts.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEPLOY_ONLY_INPUTS } from '../../../actions/helm-deploy/src/inputs.js';
import { main } from '../../../actions/helm-deploy/src/main.js';
import { repoRoot, runInProcess, workspace } from '../../helpers/action-env.js';
import { canary, toolWrapper } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

const TOKEN = canary('helm-deploy read kubeconfig token');
const PASSWORD = canary('helm-deploy read registry password');
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

let api: ScriptedServer;
let dir: string;
let argvLog: string;

/** Answers like helm: `history -o json` and `get values -o json` from files; anything else fails. */
const FAKE = `
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_ARGV_LOG, JSON.stringify(args) + '\\n');
const file = (name) => fs.readFileSync(process.env.FAKE_DIR + '/' + name, 'utf8');
if (args[0] === 'version') process.stdout.write('v4.2.4');
else if (args[0] === 'history' && fs.existsSync(process.env.FAKE_DIR + '/history.json')) process.stdout.write(file('history.json'));
else if (args[0] === 'history') { process.stderr.write('Error: release: not found\\n'); process.exit(1); }
else if (args[0] === 'get' && args[1] === 'values') process.stdout.write(file('values.json'));
else { process.stderr.write('Error: unexpected ' + JSON.stringify(args) + '\\n'); process.exit(1); }
`;

function kubeconfig(): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${api.url}"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
}

/** The release's current revision as `helm history --max 1 -o json` of the real Helm 4.2.4 prints it. */
function release(status: string, revision = 3): void {
  writeFileSync(
    join(dir, 'history.json'),
    JSON.stringify([
      {
        revision,
        updated: '2026-12-03T09:26:59.033368763Z',
        status,
        chart: 'app-0.3.0',
        app_version: '0.1.0',
        description: 'polyglot-cd a1b2c3d run 987654321',
      },
    ]),
  );
}

function values(v: unknown): void {
  writeFileSync(join(dir, 'values.json'), JSON.stringify(v));
}

async function read(inputs: Record<string, string> = {}) {
  const ws = workspace(
    { mode: 'read', release: 'shop', namespace: 'shop-staging', kubeconfig: kubeconfig(), ...inputs },
    { POLYGLOT_CD_HELM_BIN: join(dir, 'helm'), FAKE_DIR: dir, FAKE_ARGV_LOG: argvLog },
  );
  return runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
}

const calls = (): string[][] =>
  readFileSync(argvLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
/** what a user sees: everything but the masks the runner is told about */
const shown = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const errors = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::error::'));

beforeAll(async () => {
  api = await startServer(() => ({ status: 500, body: 'no call expected' }));
  dir = mkdtempSync(join(tmpdir(), 'pcd-helm-read-'));
  writeFileSync(join(dir, 'fake-helm.cjs'), FAKE);
  toolWrapper(join(dir, 'helm'), 'helm', [process.execPath, join(dir, 'fake-helm.cjs')]);
});
afterAll(async () => api.close());
beforeEach(() => {
  argvLog = join(mkdtempSync(join(dir, 'argv-')), 'argv.log');
  appendFileSync(argvLog, '');
  rmSync(join(dir, 'history.json'), { force: true });
});

describe('helm-deploy mode: read, inputs', () => {
  const READ_TAKES = 'only used with mode: deploy (mode: read only reads the release as it is deployed, and takes';

  it.each([
    [{ mode: 'promote' }, 'Input "mode" has an invalid value "promote": expected one of deploy, read'],
    [
      { images: `backend: r/b@${A}` },
      `Input "images" has an invalid value "backend: r/b@${A}": ${READ_TAKES} release, namespace or pr-number`,
    ],
    [{ values: 'replicaCount: 2' }, `Input "values" has an invalid value "replicaCount: 2": ${READ_TAKES}`],
    [
      { 'values-files': 'deploy/values.yaml' },
      `Input "values-files" has an invalid value "deploy/values.yaml": ${READ_TAKES}`,
    ],
    [{ 'dry-run': 'true' }, `Input "dry-run" has an invalid value "true": ${READ_TAKES}`],
    [{ 'canary-weight': '10' }, `Input "canary-weight" has an invalid value "10": ${READ_TAKES}`],
    [{ checks: 'web /' }, `Input "checks" has an invalid value "web /": ${READ_TAKES}`],
    [{ 'create-namespace': 'false' }, `Input "create-namespace" has an invalid value "false": ${READ_TAKES}`],
    [{ ordering: 'off' }, `Input "ordering" has an invalid value "off": ${READ_TAKES}`],
    [{ timeout: '10m' }, `Input "timeout" has an invalid value "10m": ${READ_TAKES}`],
    [{ 'verify-signatures': 'true' }, `Input "verify-signatures" has an invalid value "true": ${READ_TAKES}`],
    [
      { 'verify-key': '-----BEGIN PUBLIC KEY-----' },
      `Input "verify-key" has an invalid value "(a key)": ${READ_TAKES}`,
    ],
    [{ 'registry-username': 'ci' }, `Input "registry-username" has an invalid value "ci": ${READ_TAKES}`],
    [
      { 'registry-password': PASSWORD },
      `Input "registry-password" has an invalid value (secret value not shown): ${READ_TAKES}`,
    ],
    [
      { values: 'a: 1', 'dry-run': 'true', 'registry-password': PASSWORD },
      'Inputs "values" ("a: 1"), "registry-password" (secret value not shown), "dry-run" ("true") are only used with mode: deploy (mode: read',
    ],
    [
      { namespace: 'kube-system' },
      'Input "namespace" has an invalid value "kube-system": default and kube-* namespaces are never deployed to',
    ],
    [{ 'pr-number': '7' }, 'Input "namespace" has an invalid value "shop-staging": set either namespace or pr-number'],
    [{ release: '--all' }, 'Input "release" has an invalid value "--all": expected a Helm release name'],
    [{ chart: '--post-renderer=x' }, 'Input "chart" has an invalid value "--post-renderer=x"'],
    [
      { 'helm-version': '3.9.0' },
      'Input "helm-version" has an invalid value "3.9.0": only versions with a recorded SHA-256',
    ],
    [{ kubeconfig: '' }, 'Input "kubeconfig" has an invalid value "": required'],
    [{ 'allow-missing': 'yes' }, 'Input "allow-missing" has an invalid value "yes": expected true or false'],
    [
      { mode: 'deploy', 'allow-missing': 'true' },
      'Input "allow-missing" has an invalid value "true": only used with mode: read (a deploy installs a release that does not exist)',
    ],
  ])('%j', async (bad, message) => {
    const res = await read(bad);
    expect(res.code).toBe(1);
    const errs = errors(res.stdout);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.startsWith(`::error::${message}`), errs[0]).toBe(true);
    expect(res.outputs).toEqual({});
    expect(api.requests).toHaveLength(0);
    expect(calls()).toEqual([]);
    expect(shown(res.everything)).not.toContain(PASSWORD);
  });

  it('takes the defaults the runner passes for every deploy-only input (any case of true/false)', async () => {
    release('deployed');
    values({ components: { web: { image: { repository: 'r/w', digest: A } } } });
    const defaults = Object.fromEntries(
      Object.entries(DEPLOY_ONLY_INPUTS).map(([k, v]) => [k, v === 'true' ? 'True' : v === 'false' ? 'FALSE' : v]),
    );
    const res = await read({ ...defaults, chart: 'charts/app', 'chart-version': '0.3.0' });
    expect(errors(res.stdout)).toEqual([]);
    expect(res.outputs['images']).toBe(`web: r/w@${A}`);
  });

  it('knows the default of every deploy-only input as action.yml declares it, and classifies every input', () => {
    const yml = parse(readFileSync(join(repoRoot, 'helm-deploy/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    const readTakes = [
      'mode',
      'allow-missing',
      'release',
      'namespace',
      'pr-number',
      'kubeconfig',
      'in-cluster',
      'cluster-oidc-audience',
      'cluster-server',
      'cluster-ca',
      'allow-exec-auth',
      'helm-version',
      'tools-base-url',
      'chart',
      'chart-version',
    ];
    expect([...readTakes, ...Object.keys(DEPLOY_ONLY_INPUTS)].sort()).toEqual(Object.keys(yml.inputs).sort());
    for (const [name, def] of Object.entries(DEPLOY_ONLY_INPUTS))
      expect(yml.inputs[name]?.default ?? '', name).toBe(def);
  });
});

describe('helm-deploy mode: read, on a release', () => {
  it('reads the images by digest and migrations.hash of the current revision with read commands only', async () => {
    release('deployed', 7);
    values({
      components: {
        frontend: { image: { repository: 'ghcr.io/acme/shop-frontend', digest: B, tag: '' }, port: 3000 },
        backend: { image: { repository: 'registry.local:5000/acme/shop-backend', digest: A, tag: '' }, port: 8000 },
      },
      migrations: { enabled: true, hash: 'c0ffee' },
    });
    const res = await read();
    expect(errors(res.stdout)).toEqual([]);
    expect(res.outputs).toEqual({
      release: 'shop',
      namespace: 'shop-staging',
      status: 'deployed',
      revision: '7',
      'chart-version': '0.3.0',
      images: `backend: registry.local:5000/acme/shop-backend@${A}\nfrontend: ghcr.io/acme/shop-frontend@${B}`,
      'migrations-hash': 'c0ffee',
    });
    expect(calls()).toEqual([
      ['version', '--template', '{{.Version}}'],
      ['history', '--namespace', 'shop-staging', '--output', 'json', '--max', '1', '--', 'shop'],
      ['get', 'values', '--all', '--namespace', 'shop-staging', '--revision', '7', '--output', 'json', '--', 'shop'],
    ]);
    expect(api.requests).toHaveLength(0);
    expect(res.summary).toContain('Helm read: shop in shop-staging');
    expect(res.summary).toContain('app 0.3.0');
    expect(res.summary).toContain('Nothing in the cluster was changed');
    expect(shown(res.everything)).not.toContain(TOKEN);
  });

  it('an unset migrations.hash is an empty output', async () => {
    release('deployed');
    values({ components: { web: { image: { repository: 'r/w', digest: A } } }, migrations: { enabled: false } });
    const res = await read();
    expect(res.outputs['migrations-hash']).toBe('');
    expect(res.outputs['images']).toBe(`web: r/w@${A}`);
  });

  it.each(['failed', 'pending-upgrade', 'pending-install', 'uninstalling'])(
    'a current revision that is %s is refused: it is never promoted',
    async (status) => {
      release(status, 4);
      values({ components: { web: { image: { repository: 'r/w', digest: A } } } });
      const res = await read();
      expect(res.code).toBe(1);
      expect(errors(res.stdout)[0]).toContain(
        `::error::Release shop in shop-staging is ${status} at revision 4, not deployed (`,
      );
      expect(res.outputs).toMatchObject({ status, revision: '4' });
      expect(res.outputs['images']).toBeUndefined();
      expect(res.summary).toContain('Refused by policy');
      expect(calls().map((c) => c[0])).toEqual(['version', 'history']);
    },
  );

  it('with allow-missing, a release that does not exist reads as missing: no images, no hash', async () => {
    const res = await read({ release: 'nope', 'allow-missing': 'true' });
    expect(errors(res.stdout)).toEqual([]);
    expect(res.outputs).toEqual({
      release: 'nope',
      namespace: 'shop-staging',
      status: 'missing',
      images: '',
      'migrations-hash': '',
    });
    expect(res.summary).toContain('The release does not exist \\(allow-missing\\): nothing was read.');
    expect(calls().map((c) => c[0])).toEqual(['version', 'history']);
  });

  it('allow-missing does not let a failed release through', async () => {
    release('failed', 5);
    const res = await read({ 'allow-missing': 'true' });
    expect(res.code).toBe(1);
    expect(errors(res.stdout)[0]).toContain(
      '::error::Release shop in shop-staging is failed at revision 5, not deployed',
    );
  });

  it('a release that does not exist is an input error naming it', async () => {
    const res = await read({ release: 'nope' });
    expect(res.code).toBe(1);
    expect(errors(res.stdout)[0]).toBe(
      '::error::Input "release" has an invalid value "nope": there is no release nope in namespace shop-staging (helm history: release: not found); name a release deployed there, as helm list --namespace shop-staging shows it',
    );
    expect(res.outputs['images']).toBeUndefined();
  });

  it('an image by tag alone is refused, naming the component and the value', async () => {
    release('deployed', 2);
    values({
      components: {
        backend: { image: { repository: 'ghcr.io/acme/shop-backend', digest: '', tag: '1.4.2' } },
        frontend: { image: { repository: 'ghcr.io/acme/shop-frontend', digest: B } },
      },
    });
    const res = await read();
    expect(res.code).toBe(1);
    expect(errors(res.stdout)[0]).toContain(
      '::error::Release shop in shop-staging (revision 2) is not read: component backend runs components.backend.image = {"repository":"ghcr.io/acme/shop-backend","digest":"","tag":"1.4.2"}, not an image pinned by digest: promotion is by digest only',
    );
    expect(res.outputs['images']).toBeUndefined();
    expect(res.outputs['migrations-hash']).toBeUndefined();
  });
});
