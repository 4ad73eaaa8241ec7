/**
 * The image pull secret on the real API server and the real node: helm-deploy from its committed
 * bundle, with registry-username and registry-password, creates the Secret <release>-registry
 * (kubernetes.io/dockerconfigjson) in the namespace before the upgrade, the Deployment's pods name it
 * in imagePullSecrets and really start (pulling from the stack's registry), and a second deploy with a
 * changed password updates the Secret in place. The passwords are canaries: neither appears in a log,
 * the summary, an output or a child tool's argv (the suite's canary scan checks every capture).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { basicAuth, canary } from '../../helpers/canary.js';
import type { ActionContext } from '@polyglot-cd/action-kit';
import { applyPullSecret } from '../../../actions/helm-deploy/src/pull-secret.js';
import { appsV1, coreV1, helmOf, kubeConfig, kubeconfigPath, stackInfo, uniqueName } from '../../kube/harness.js';

const stack = stackInfo();
const helm = helmOf('4');
const namespace = uniqueName('pull');
const USER = 'deployer';
const FIRST = canary('registry password first');
const SECOND = canary('registry password second');

afterAll(async () => {
  await coreV1()
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

function deploy(password: string): Promise<ActionRun> {
  return runBundle(
    'helm-deploy',
    workspace(
      {
        release: 'shop',
        namespace,
        kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
        'helm-version': helm.version,
        values: 'components:\n  web:\n    port: 8080\n',
        images: `web: ${stack.images.web}`,
        timeout: '90s',
        ordering: 'off',
        'registry-username': USER,
        'registry-password': password,
      },
      { POLYGLOT_CD_HELM_BIN: helm.bin, GITHUB_WORKSPACE: repoRoot },
    ),
    { timeoutMs: 200_000 },
  );
}

const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((l) => l.startsWith('::error::'));

/** The Secret as the API server has it: its type, labels and decoded .dockerconfigjson. */
async function readPullSecret() {
  const s = await coreV1().readNamespacedSecret({ namespace, name: 'shop-registry' });
  const config = JSON.parse(Buffer.from(s.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as {
    auths: Record<string, { username: string; password: string; auth: string }>;
  };
  return { type: s.type, labels: s.metadata?.labels ?? {}, config };
}

/** The registry host of the stack's images (what pull-secret-registry defaults to). */
const host = stack.images.web.slice(0, stack.images.web.indexOf('/'));

describe('helm-deploy image pull secret (registry-username, registry-password)', () => {
  it('creates the dockerconfigjson Secret before the upgrade, and the pods use it', async () => {
    const run = await deploy(FIRST);
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    const s = await readPullSecret();
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(s.labels['app.kubernetes.io/managed-by']).toBe('polyglot-cd');
    expect(s.config).toEqual({
      auths: { [host]: { username: USER, password: FIRST, auth: basicAuth(USER, FIRST) } },
    });
    const dep = await appsV1().readNamespacedDeployment({ namespace, name: 'shop-web' });
    expect(dep.spec?.template.spec?.imagePullSecrets).toEqual([{ name: 'shop-registry' }]);
    expect(dep.status?.readyReplicas).toBeGreaterThanOrEqual(1);
    // the password went to the API server only: masked at read, nowhere in what a user sees
    expect(run.stdout).toContain(`::add-mask::${FIRST}`);
    const seen = run.everything
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(seen).not.toContain(FIRST);
    expect(seen).not.toContain(basicAuth(USER, FIRST));
    expect(seen).toContain(`image pull secret shop-registry for ${host} applied`);
  }, 240_000);

  it('a second deploy with a changed password updates the Secret in place', async () => {
    const before = await coreV1().readNamespacedSecret({ namespace, name: 'shop-registry' });
    const run = await deploy(SECOND);
    expect(errors(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '2' });
    const s = await readPullSecret();
    expect(s.config.auths[host]).toEqual({ username: USER, password: SECOND, auth: basicAuth(USER, SECOND) });
    const after = await coreV1().readNamespacedSecret({ namespace, name: 'shop-registry' });
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    const seen = run.everything
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(seen).not.toContain(SECOND);
    expect(seen).not.toContain(FIRST);
  }, 240_000);

  it('through @kubernetes/client-node (in-cluster and keyless access) it creates and updates the same Secret', async () => {
    const masked: string[] = [];
    const ctx = { secrets: { add: (v: string) => masked.push(v) }, log: { info: () => undefined } };
    const apply = (password: string) =>
      applyPullSecret(ctx as unknown as ActionContext, {
        release: 'other',
        namespace,
        pullSecret: { registry: 'registry.corp.example:5000', username: USER, password },
        conn: undefined,
        kubeConfig: async () => kubeConfig(),
      });
    await apply(FIRST);
    await apply(SECOND);
    const s = await coreV1().readNamespacedSecret({ namespace, name: 'other-registry' });
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(s.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8'))).toEqual({
      auths: { 'registry.corp.example:5000': { username: USER, password: SECOND, auth: basicAuth(USER, SECOND) } },
    });
    expect(masked).toContain(basicAuth(USER, SECOND));
  }, 60_000);
});
