/**
 * helm-deploy's HTTP checks (inputs checks, checks-timeout), from its committed bundle against the kube
 * stack: charts/app with examples/shop.yaml, both components the test web image (busybox httpd serving
 * /healthz "ok", / "polyglot-cd test web" and /api/ '{"items":[]}'), really pulled from the stack's
 * registry and really serving on the real node. Each check goes through the real API server's service
 * proxy: a passing check, a body that never appears (fails within a short checks-timeout, refused by
 * policy), a path that 404s when 200 is required, and a canary whose check fails (rolled back by helm).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as dump } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { appsV1, coreV1, helm, helmOf, kubeconfigPath, stackInfo } from '../../kube/harness.js';
import { imageVariant, WEB_INDEX } from '../../kube/workload-images.js';

const shopValues = join(repoRoot, 'charts/app/examples/shop.yaml');
const prBase = 6000 + Math.floor(Math.random() * 900);
const namespaces: string[] = [];
const web = { backendA: '', frontendA: '', backendB: '' };
const major = '4' as const;

/** As in deploy.kube.test.ts: a plain DATABASE_URL, a migration the image can run, small requests. */
const VALUES = dump({
  defaults: { terminationGracePeriodSeconds: 2, resources: { requests: { cpu: '10m' } } },
  components: { backend: { env: { DATABASE_URL: 'postgres://shop@db:5432/shop' } } },
  migrations: { command: ['sh', '-c', 'echo migrated'] },
});

interface Result {
  component: string;
  path: string;
  status: number;
  expected: string;
  passed: boolean;
  attempts: number;
  ms: number;
}

beforeAll(async () => {
  const { images } = stackInfo();
  const [backendA, frontendA, backendB] = await Promise.all(
    (['backend-a', 'frontend-a', 'backend-b'] as const).map((v) => imageVariant(images.web, v)),
  );
  Object.assign(web, { backendA, frontendA, backendB });
});

afterAll(async () => {
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

function pr(i: number): string {
  const n = `${prBase}${String(i).padStart(2, '0')}`;
  namespaces.push(`pr-${n}`);
  return n;
}

async function deploy(inputs: Record<string, string>): Promise<ActionRun> {
  const ws = workspace(
    {
      release: 'shop',
      kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
      'helm-version': helmOf(major).version,
      'values-files': shopValues,
      values: VALUES,
      images: `backend: ${web.backendA}\nfrontend: ${web.frontendA}`,
      timeout: '60s',
      ...inputs,
    },
    { POLYGLOT_CD_HELM_BIN: helmOf(major).bin, GITHUB_WORKSPACE: repoRoot },
  );
  return runBundle('helm-deploy', ws, { timeoutMs: 150_000 });
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

function verification(run: ActionRun): Result[] {
  const text = run.outputs['verification'];
  if (!text) throw new Error(`no verification output; errors: ${errors(run).join(' | ')}`);
  return JSON.parse(text) as Result[];
}

describe.concurrent('helm-deploy checks through the API server on the real node', () => {
  it('passing checks: the status and the body the test image serves', async () => {
    const run = await deploy({
      'pr-number': pr(1),
      'checks-timeout': '30s',
      checks: `frontend /healthz 200 ^ok\\s*$\nfrontend / 200 ${WEB_INDEX}\nbackend /api/ "items"`,
    });
    expect(errors(run)).toEqual([]);
    expect(run.code).toBe(0);
    const results = verification(run);
    expect(
      results.map(({ component, path, status, expected, passed }) => ({ component, path, status, expected, passed })),
    ).toEqual([
      { component: 'frontend', path: '/healthz', status: 200, expected: '200 /^ok\\s*$/', passed: true },
      { component: 'frontend', path: '/', status: 200, expected: `200 /${WEB_INDEX}/`, passed: true },
      { component: 'backend', path: '/api/', status: 200, expected: '200 /"items"/', passed: true },
    ]);
    for (const r of results) expect(r.attempts).toBeGreaterThanOrEqual(1);
    expect(run.summary).toContain('HTTP checks: 3 of 3 passed');
    expect(run.summary).toMatch(/\| frontend \| \/healthz \| .* \| 200 \| passed \| \d+ \| /);
  });

  it('a body that never appears fails within checks-timeout, refused by policy; the release stays', async () => {
    const n = pr(2);
    const started = Date.now();
    const run = await deploy({
      'pr-number': n,
      checks: 'frontend /healthz\nfrontend / 200 ^this text is never served$',
      'checks-timeout': '8s',
    });
    expect(run.code).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toContain(
      '::error::The deployment does not answer as required: 1 of the HTTP checks failed: frontend / (expected 200 /^this text is never served$/, got 200). The release is left as deployed.',
    );
    const [ok, failed] = verification(run);
    expect(ok).toMatchObject({ path: '/healthz', passed: true });
    expect(failed).toMatchObject({ component: 'frontend', path: '/', status: 200, passed: false });
    expect(failed?.attempts).toBeGreaterThan(1);
    expect(failed?.ms).toBeLessThan(8_000);
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(run.summary).toContain('Refused by policy');
    expect(run.summary).toContain('| frontend | / | 200 /^this text is never served$/ | 200 | FAILED | ');
    expect(run.outputs['status']).toBe('deployed');
  });

  it('a path that 404s when 200 is required fails, with the 404 in the verification output', async () => {
    const run = await deploy({ 'pr-number': pr(3), checks: 'backend /no-such-page', 'checks-timeout': '5s' });
    expect(run.code).toBe(1);
    expect(errors(run)[0]).toContain('backend /no-such-page (expected 200, got 404)');
    expect(verification(run)).toMatchObject([
      { component: 'backend', path: '/no-such-page', status: 404, passed: false },
    ]);
    expect(run.summary).toContain('Refused by policy');
  });

  it('a canary whose check fails is rolled back before the step fails', async () => {
    const n = pr(4);
    const ns = `pr-${n}`;
    const canary = { 'pr-number': n, 'canary-component': 'backend', 'canary-weight': '25' };
    expect((await deploy({ 'pr-number': n })).code).toBe(0);
    const run = await deploy({
      ...canary,
      images: `backend: ${web.backendB}\nfrontend: ${web.frontendA}`,
      checks: 'backend /healthz 200 ^ok\\s*$\nbackend /api/ 200 ^never$',
      'checks-timeout': '5s',
    });
    expect(run.code).toBe(1);
    expect(errors(run)[0]).toContain('The canary was rolled back: the release is deployed at revision 3.');
    expect(verification(run)).toMatchObject([{ passed: true }, { path: '/api/', status: 200, passed: false }]);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '3', canary: 'none' });
    const history = JSON.parse(
      (await helm(['history', 'shop', '--namespace', ns, '-o', 'json'], { major })).stdout,
    ) as {
      revision: number;
      description: string;
    }[];
    expect(history.at(-1)).toMatchObject({ revision: 3, description: 'Rollback to 1' });
    const canaryDeployment = await appsV1()
      .readNamespacedDeployment({ name: 'shop-backend-canary', namespace: ns })
      .catch(() => undefined);
    expect(canaryDeployment).toBeUndefined();
  }, 240_000);
});
