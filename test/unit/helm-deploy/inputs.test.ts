/**
 * Hostile inputs get a clear error before any cluster call: main() runs in-process with a kubeconfig
 * that points at a local HTTP server standing in for the API server, which must receive nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../actions/helm-deploy/src/main.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

let api: ScriptedServer;
const TOKEN = canary('helm-deploy kubeconfig token');

function kubeconfig(user: string = `token: ${TOKEN}`): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c\n  cluster:\n    server: ${api.url}`,
    'users:',
    `- name: u\n  user:\n    ${user.split('\n').join('\n    ')}`,
    'contexts:',
    '- name: x\n  context:\n    cluster: c\n    user: u',
    'current-context: x',
  ].join('\n');
}

async function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const ws = workspace({ release: 'shop', 'pr-number': '42', kubeconfig: kubeconfig(), ...inputs }, env);
  return runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
}

beforeAll(async () => {
  api = await startServer(() => ({ status: 500, body: 'no call expected' }));
});
afterAll(async () => api.close());

describe('helm-deploy refuses hostile inputs before contacting the cluster', () => {
  it.each([
    [
      { 'pr-number': '0' },
      'Input "pr-number" has an invalid value "0": expected a pull request number: digits only, 1 to 999999999, no leading zero (^[1-9][0-9]{0,8}$)',
    ],
    [{ 'pr-number': '1 --all' }, 'Input "pr-number" has an invalid value "1 --all": expected a pull request number'],
    [{ 'pr-number': '../x' }, 'Input "pr-number" has an invalid value "../x": expected a pull request number'],
    [{ 'pr-number': '12a' }, 'Input "pr-number" has an invalid value "12a": expected a pull request number'],
    [{ 'pr-number': '042' }, 'Input "pr-number" has an invalid value "042": expected a pull request number'],
    [
      { 'pr-number': '1234567890' },
      'Input "pr-number" has an invalid value "1234567890": expected a pull request number',
    ],
    [
      { 'pr-number': '', namespace: 'kube-system' },
      'Input "namespace" has an invalid value "kube-system": default and kube-* namespaces are never deployed to',
    ],
    [
      { 'pr-number': '', namespace: 'kube-anything' },
      'Input "namespace" has an invalid value "kube-anything": default and kube-* namespaces are never deployed to',
    ],
    [
      { 'pr-number': '', namespace: 'default' },
      'Input "namespace" has an invalid value "default": default and kube-* namespaces are never deployed to',
    ],
    [
      { 'pr-number': '', namespace: 'Prod' },
      'Input "namespace" has an invalid value "Prod": expected a Kubernetes namespace name: lower-case letters, digits and -, at most 63 characters',
    ],
    [
      { 'pr-number': '', namespace: 'a'.repeat(64) },
      `Input "namespace" has an invalid value "${'a'.repeat(64)}": expected a Kubernetes namespace name`,
    ],
    [
      { 'pr-number': '', namespace: '--all-namespaces' },
      'Input "namespace" has an invalid value "--all-namespaces": expected a Kubernetes namespace name',
    ],
    [
      { namespace: 'shop' },
      'Input "namespace" has an invalid value "shop": set either namespace or pr-number, not both',
    ],
    [
      { 'pr-number': '' },
      'Input "namespace" has an invalid value "": set namespace (e.g. shop-staging) or pr-number (deploys to pr-<N>)',
    ],
    [
      { release: 'a'.repeat(54) },
      `Input "release" has an invalid value "${'a'.repeat(54)}": expected a Helm release name`,
    ],
    [
      { release: '--kubeconfig=/tmp/x' },
      'Input "release" has an invalid value "--kubeconfig=/tmp/x": expected a Helm release name',
    ],
    [{ release: '-shop' }, 'Input "release" has an invalid value "-shop": expected a Helm release name'],
    [{ release: 'Shop' }, 'Input "release" has an invalid value "Shop": expected a Helm release name'],
    [
      { chart: '--post-renderer=/bin/sh' },
      'Input "chart" has an invalid value "--post-renderer=/bin/sh": expected a chart path, repo/chart or oci:// reference (it may not start with -)',
    ],
    [
      { 'chart-version': '--devel' },
      'Input "chart-version" has an invalid value "--devel": a version may not start with -',
    ],
    [
      { 'chart-version': '1.0;rm' },
      'Input "chart-version" has an invalid value "1.0;rm": expected a chart version or SemVer constraint',
    ],
    [
      { 'values-files': 'a.yaml\n--set=image.repository=evil' },
      'Input "values-files" has an invalid value "--set=image.repository=evil": expected file paths (one per line); a path may not start with -',
    ],
    [
      { images: 'backend: ghcr.io/acme/backend:latest' },
      'Input "images" has an invalid value "ghcr.io/acme/backend:latest": the image of backend must be by digest',
    ],
    [
      { images: `backend=evil --set x=y` },
      'Input "images" has an invalid value "backend=evil --set x=y": expected one "component: repo@sha256:<64 hex>" per line',
    ],
    [
      { images: `Backend: r/b@sha256:${'a'.repeat(64)}` },
      'Input "images" has an invalid value "Backend": component names are DNS labels',
    ],
    [
      { values: 'image.tag=main,image.repository=evil' },
      'Input "values" must be a YAML mapping (key: value lines), e.g. "replicaCount: 2"',
    ],
    [{ values: 'a: [' }, 'Input "values" is not valid YAML'],
    [
      { domain: '*.preview.example.com' },
      'Input "domain" has an invalid value "*.preview.example.com": expected a DNS domain',
    ],
    [
      { domain: 'https://preview.example.com' },
      'Input "domain" has an invalid value "https://preview.example.com": expected a DNS domain',
    ],
    [
      { 'helm-version': '3.9.0' },
      'Input "helm-version" has an invalid value "3.9.0": only versions with a recorded SHA-256 can be installed: 3.10.1, 4.2.4',
    ],
    [
      { 'helm-version': 'latest' },
      'Input "helm-version" has an invalid value "latest": expected an exact pinned version',
    ],
    [{ timeout: '3 days' }, 'Input "timeout" has an invalid value "3 days": expected a duration'],
    [
      { 'in-cluster': 'true' },
      'Input "kubeconfig" has an invalid value (secret value not shown): set either kubeconfig or in-cluster: true, not both',
    ],
    [{ ordering: 'newest' }, 'Input "ordering" has an invalid value "newest"'],
    [
      { kubeconfig: '' },
      'Input "kubeconfig" has an invalid value "": required: pass the kubeconfig content from an environment secret',
    ],
    [
      { 'canary-weight': '10', images: `backend: r/b@sha256:${'a'.repeat(64)}` },
      'Input "canary-component" has an invalid value "": required with canary-weight 10',
    ],
    [
      { 'canary-weight': '10', 'canary-component': 'api', images: `backend: r/b@sha256:${'a'.repeat(64)}` },
      'Input "canary-component" has an invalid value "api": must be one of the components in images (backend)',
    ],
    [
      { 'canary-weight': '101', 'canary-component': 'backend' },
      'Input "canary-weight" has an invalid value "101": expected an integer >= 0 and <= 100',
    ],
    [
      { 'canary-weight': '12.5', 'canary-component': 'backend' },
      'Input "canary-weight" has an invalid value "12.5": expected an integer >= 0 and <= 100',
    ],
    [
      { 'canary-component': 'backend' },
      'Input "canary-component" has an invalid value "backend": is only used with canary-weight 1-100',
    ],
    [
      { 'canary-weight': '5', 'canary-component': '--set=x' },
      'Input "canary-component" has an invalid value "--set=x": expected a component name of charts/app',
    ],
    [
      { 'verify-signatures': 'true' },
      'Input "verify-signatures" has an invalid value "true": needs verify-key (a cosign public key, PEM) or certificate-identity',
    ],
    [
      { 'verify-signatures': 'true', 'verify-key': 'not a key' },
      'Input "verify-key" has an invalid value "(the value)": expected a PEM public key',
    ],
    [
      { 'verify-signatures': 'true', 'certificate-identity': 'release.yml' },
      'Input "certificate-identity" has an invalid value "release.yml": expected the exact signing workflow identity',
    ],
    [
      { 'certificate-identity': 'https://github.com/a/b/.github/workflows/r.yml@refs/heads/main' },
      'Input "certificate-identity" has an invalid value "https://github.com/a/b/.github/workflows/r.yml@refs/heads/main": only used with verify-signatures: true',
    ],
    [{ 'pod-security': 'root' }, 'Input "pod-security" has an invalid value "root"'],
    [
      { 'insecure-registries': 'http://reg.local' },
      'Input "insecure-registries" has an invalid value "http://reg.local": expected registry hosts',
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

  it('a malformed GITHUB_RUN_NUMBER is refused before the cluster is contacted (the deploy order needs it)', async () => {
    for (const bad of ['0', '-1', '1e3', '42; rm -rf /']) {
      const res = await run({}, { GITHUB_RUN_NUMBER: bad });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`::error::GITHUB_RUN_NUMBER is ${JSON.stringify(bad)}, not a run number`);
    }
    expect(api.requests).toEqual([]);
  });

  it('a kubeconfig with an exec plugin is refused, and neither the plugin nor the API server is called', async () => {
    const res = await run({
      kubeconfig: kubeconfig(
        'exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: /bin/sh\n  args: ["-c", "touch /tmp/pwned"]',
      ),
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      '::error::Input "kubeconfig": user "u" has an exec credential plugin, which runs a program on this runner; refused (set allow-exec-auth: true to allow it)',
    );
    expect(api.requests).toHaveLength(0);
  });

  it('an auth-provider entry is refused too', async () => {
    const res = await run({
      kubeconfig: kubeconfig('auth-provider:\n  name: oidc\n  config:\n    id-token: eyJhbGciOi'),
    });
    expect(res.stdout).toContain('has an auth-provider entry; refused');
    expect(api.requests).toHaveLength(0);
  });

  it('values files that do not exist are named before any cluster call', async () => {
    const res = await run({ 'values-files': 'deploy/nope.yaml' });
    expect(res.stdout).toMatch(/::error::Input "values-files" names "deploy\/nope.yaml", which does not exist/);
    expect(api.requests).toHaveLength(0);
  });

  it('the token is masked and never shown', async () => {
    const res = await run({ 'pr-number': '1 --all' });
    expect(res.stdout).not.toContain(TOKEN);
    const ok = await run({ kubeconfig: kubeconfig(), 'values-files': 'nope.yaml' });
    expect(ok.stdout).toContain(`::add-mask::${TOKEN}`);
    // only the credential is masked, not every line of the kubeconfig (that would blank "apiVersion: v1" everywhere)
    expect(ok.stdout).not.toContain('::add-mask::apiVersion: v1');
    expect(
      ok.everything
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(TOKEN);
  });
});

describe('workflowPath', () => {
  it('is the workflow file of a workflow ref, without its @ref', async () => {
    const { workflowPath } = await import('@polyglot-cd/kube/workflow-path');
    expect(workflowPath('example-org/shop/.github/workflows/deploy.yml@refs/heads/main')).toBe(
      'example-org/shop/.github/workflows/deploy.yml',
    );
    expect(workflowPath('example-org/shop/.github/workflows/deploy.yml')).toBe(
      'example-org/shop/.github/workflows/deploy.yml',
    );
    expect(workflowPath('example-org/shop/deploy@v1@x')).toBe('example-org/shop/deploy');
    expect(workflowPath('')).toBe('');
  });
});
