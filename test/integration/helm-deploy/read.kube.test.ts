/**
 * helm-deploy mode: read from its committed bundle, on the real cluster with the real Helm 4: a release
 * deployed by helm-deploy (charts/app, images from the stack's registry) is read back. The witnesses are
 * the deploy's own `images` input, the Deployments' container images as the API server has them, and
 * Helm's release records (a read adds none). A release that does not exist, or whose current revision
 * failed, is refused (with allow-missing, one that does not exist reads as missing), and a read of a
 * namespace that does not exist leaves it not existing.
 *
 * The deploy that records a hash uses a copy of charts/app in the test's workspace whose schema takes
 * `migrations.hash` (migrations takes no unknown keys): added to the copy when charts/app lacks it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { appsV1, coreV1, helm, helmOf, kubeconfigPath, stackInfo, uniqueName } from '../../kube/harness.js';
import { imageVariant } from '../../kube/workload-images.js';

const stack = stackInfo();
const helm4 = helmOf('4');
const namespace = uniqueName('read');
const HASH = `abc${'0123456789abcdef'.repeat(4)}`.slice(0, 64);
/** the test's workspace: a copy of charts/app whose schema takes migrations.hash */
const ws = mkdtempSync(join(tmpdir(), 'pcd-read-ws-'));
const variants = { api: '', web: '' };
const PROMO_VALUES = [
  'defaults: {terminationGracePeriodSeconds: 2, resources: {requests: {cpu: 10m}}}',
  'components:',
  '  web: {port: 8080}',
  '  api: {port: 8080}',
].join('\n');

beforeAll(async () => {
  cpSync(join(repoRoot, 'charts/app'), join(ws, 'chart'), { recursive: true });
  const schemaPath = join(ws, 'chart/values.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    properties: { migrations: { properties: Record<string, unknown> } };
  };
  schema.properties.migrations.properties['hash'] ??= { type: 'string' };
  writeFileSync(schemaPath, JSON.stringify(schema, null, 2));
  const [api, web] = await Promise.all([
    imageVariant(stack.images.web, 'read-api'),
    imageVariant(stack.images.web, 'read-web'),
  ]);
  Object.assign(variants, { api, web });
});

afterAll(async () => {
  await coreV1()
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runBundle(
    'helm-deploy',
    workspace(
      {
        namespace,
        kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
        'helm-version': helm4.version,
        ...inputs,
      },
      { POLYGLOT_CD_HELM_BIN: helm4.bin, GITHUB_WORKSPACE: ws },
    ),
    { timeoutMs: 200_000 },
  );
}

/** A deploy of charts/app (or the workspace's copy) with small, fast-stopping pods. */
function deploy(release: string, inputs: Record<string, string>): Promise<ActionRun> {
  return run({
    release,
    ordering: 'off',
    timeout: '90s',
    values: 'defaults:\n  terminationGracePeriodSeconds: 2\n  resources: {requests: {cpu: 10m}}\n',
    ...inputs,
  });
}

const read = (release: string, extra: Record<string, string> = {}): Promise<ActionRun> =>
  run({ mode: 'read', release, ...extra });

const errors = (r: ActionRun): string[] => r.stdout.split('\n').filter((l) => l.startsWith('::error::'));

/** Helm's release records of `release` in the namespace (one Secret per revision). */
async function revisions(release: string, ns = namespace): Promise<number> {
  return (await coreV1().listNamespacedSecret({ namespace: ns, labelSelector: `owner=helm,name=${release}` })).items
    .length;
}

async function containerImage(name: string): Promise<string | undefined> {
  return (await appsV1().readNamespacedDeployment({ name, namespace })).spec?.template.spec?.containers[0]?.image;
}

describe('helm-deploy mode: read on the real cluster (Helm 4)', () => {
  it('reads back exactly the images a deploy ran, by digest, and changes nothing', async () => {
    const d = await deploy('shop', {
      values: 'components:\n  web:\n    port: 8080\n',
      images: `web: ${stack.images.web}`,
    });
    expect(errors(d)).toEqual([]);
    expect(d.outputs).toMatchObject({ status: 'deployed', revision: '1' });

    const r = await read('shop');
    expect(errors(r)).toEqual([]);
    expect(r.outputs).toEqual({
      release: 'shop',
      namespace,
      status: 'deployed',
      revision: '1',
      'chart-version': d.outputs['chart-version'],
      images: `web: ${stack.images.web}`,
      'migrations-hash': '',
    });
    expect(await containerImage('shop-web')).toBe(stack.images.web);
    expect(await revisions('shop')).toBe(1);
    expect(r.summary).toContain(`Helm read: shop in ${namespace}`);
    expect(r.stdout).toContain(`--all --namespace ${namespace} --revision 1 --output json -- shop`);
  }, 300_000);

  it('after a deploy that records migrations.hash: the images of every component, sorted, and the hash', async () => {
    const images = `web: ${variants.web}\napi: ${variants.api}`;
    const d = await deploy('promo', {
      chart: 'chart',
      values: `${PROMO_VALUES}\nmigrations: {hash: "${HASH}"}`,
      images,
    });
    expect(errors(d)).toEqual([]);
    expect(d.outputs).toMatchObject({ status: 'deployed', revision: '1' });

    const r = await read('promo', { chart: 'chart' });
    expect(errors(r)).toEqual([]);
    expect(r.outputs['images']).toBe(`api: ${variants.api}\nweb: ${variants.web}`);
    expect(r.outputs['migrations-hash']).toBe(HASH);
    expect(await containerImage('promo-api')).toBe(variants.api);
    expect(await containerImage('promo-web')).toBe(variants.web);
    // Helm itself agrees: the values of the deployed revision
    const values = JSON.parse(
      (await helm(['get', 'values', 'promo', '--namespace', namespace, '-o', 'json'])).stdout,
    ) as { migrations: { hash: string } };
    expect(values.migrations.hash).toBe(HASH);

    // the images output is the images input of the next deploy: promoted as they are, nothing changes but the revision
    const again = await deploy('promo', { chart: 'chart', values: PROMO_VALUES, images: r.outputs['images'] ?? '' });
    expect(errors(again)).toEqual([]);
    expect(again.outputs['stable-images']).toBe(`api: ${variants.api}\nweb: ${variants.web}`);
  }, 300_000);

  it('refuses a release whose current revision failed: it is never promoted', async () => {
    const failed = await deploy('broken', {
      values: 'components:\n  web:\n    port: 8080\n',
      images: `web: ${stack.images.crash}`,
      timeout: '15s',
      'rollback-on-failure': 'false',
    });
    expect(failed.code).toBe(1);
    expect(failed.outputs['status']).toBe('failed');
    const before = await revisions('broken');

    const r = await read('broken');
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toContain(`::error::Release broken in ${namespace} is failed at revision 1, not deployed (`);
    expect(r.outputs).toMatchObject({ status: 'failed', revision: '1' });
    expect(r.outputs['images']).toBeUndefined();
    expect(await revisions('broken')).toBe(before);
  }, 300_000);

  it('a release that does not exist is an error naming it, and nothing is created', async () => {
    const r = await read('nope');
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toBe(
      `::error::Input "release" has an invalid value "nope": there is no release nope in namespace ${namespace} (helm history: release: not found); name a release deployed there, as helm list --namespace ${namespace} shows it`,
    );
    expect(r.outputs['images']).toBeUndefined();

    // a namespace that does not exist is not created by a read
    const absent = uniqueName('read-none');
    const none = await run({ mode: 'read', release: 'shop', namespace: absent });
    expect(none.code).toBe(1);
    expect(errors(none)[0]).toContain(`there is no release shop in namespace ${absent}`);
    // with allow-missing it reads as missing (the first production deploy has no hash recorded yet)
    const missing = await run({ mode: 'read', release: 'shop', namespace: absent, 'allow-missing': 'true' });
    expect(errors(missing)).toEqual([]);
    expect(missing.outputs).toMatchObject({ status: 'missing', images: '', 'migrations-hash': '' });
    const ns = await coreV1()
      .readNamespace({ name: absent })
      .catch((e: { code?: number }) => e.code);
    expect(ns).toBe(404);
  }, 120_000);
});
