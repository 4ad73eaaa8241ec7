/**
 * helm-deploy's helm-test input, from its committed bundle against the kube stack with the real Helm 4:
 * charts/app with examples/shop.yaml and tests.enabled, every component and the test pod the test web
 * image (busybox: sh, wget), really pulled from the stack's registry. The test pod asks each component's
 * Service through the chart's NetworkPolicies: it passes with both components serving, and fails with
 * the frontend scaled to 0 (its Service has no endpoint): the step is refused by policy, naming the
 * pod, and the pod's log line is in the summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as dump } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { coreV1, helmOf, kubeconfigPath, stackInfo } from '../../kube/harness.js';
import { imageVariant } from '../../kube/workload-images.js';

const shopValues = join(repoRoot, 'charts/app/examples/shop.yaml');
const prBase = 7000 + Math.floor(Math.random() * 900);
const namespaces: string[] = [];
const web = { backend: '', frontend: '' };
const major = '4' as const;

interface Result {
  component: string;
  path: string;
  status: number;
  expected: string;
  passed: boolean;
  attempts: number;
  ms: number;
}

/** As in http-checks.kube.test.ts, and the test hook on with the web image (it has sh and wget). */
function values(frontend: Record<string, unknown> = {}): string {
  const [repository, digest] = stackInfo().images.web.split('@') as [string, string];
  return dump({
    defaults: { terminationGracePeriodSeconds: 2, resources: { requests: { cpu: '10m' } } },
    components: { backend: { env: { DATABASE_URL: 'postgres://shop@db:5432/shop' } }, frontend },
    migrations: { command: ['sh', '-c', 'echo migrated'] },
    tests: { enabled: true, image: { repository, digest } },
  });
}

beforeAll(async () => {
  const { images } = stackInfo();
  const [backend, frontend] = await Promise.all(
    (['backend-a', 'frontend-a'] as const).map((v) => imageVariant(images.web, v)),
  );
  Object.assign(web, { backend, frontend });
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
      values: values(),
      images: `backend: ${web.backend}\nfrontend: ${web.frontend}`,
      timeout: '60s',
      'helm-test': 'true',
      'checks-timeout': '60s',
      ...inputs,
    },
    { POLYGLOT_CD_HELM_BIN: helmOf(major).bin, GITHUB_WORKSPACE: repoRoot },
  );
  return runBundle('helm-deploy', ws, { timeoutMs: 200_000 });
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

function verification(run: ActionRun): Result[] {
  const text = run.outputs['verification'];
  if (!text) throw new Error(`no verification output; errors: ${errors(run).join(' | ')}`);
  return JSON.parse(text) as Result[];
}

describe.concurrent('helm-deploy helm-test on the real node (Helm 4)', () => {
  it('passes: the test pod reaches every component through the NetworkPolicies', async () => {
    const run = await deploy({ 'pr-number': pr(1), checks: 'frontend /healthz' });
    expect(errors(run)).toEqual([]);
    expect(run.code).toBe(0);
    const [check, test] = verification(run);
    expect(check).toMatchObject({ component: 'frontend', path: '/healthz', passed: true });
    expect(test).toMatchObject({
      component: 'helm test',
      path: 'shop-tests',
      status: 0,
      expected: 'Succeeded',
      passed: true,
      attempts: 1,
    });
    expect(run.summary).toContain('HTTP checks: 1 of 1 passed');
    expect(run.summary).toContain('helm test: 1 of 1 test pods passed');
    expect(run.summary).toMatch(/ok: backend http:\/\/[0-9.]+:8000\/healthz/);
    expect(run.summary).toMatch(/ok: frontend http:\/\/[0-9.]+:3000\/health/);
  });

  it('fails with a component down: refused by policy, the pod and its log line reported', async () => {
    const run = await deploy({
      'pr-number': pr(2),
      values: values({ replicaCount: 0 }),
      'checks-timeout': '45s',
    });
    expect(run.code).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      /^::error::The deployment does not pass its helm test: shop-tests \(Failed, expected Succeeded\): FAILED: frontend http:\/\/[0-9.]+:3000\/health\. The release is left as deployed\.$/,
    );
    expect(verification(run)).toMatchObject([{ component: 'helm test', path: 'shop-tests', status: 1, passed: false }]);
    expect(run.outputs['status']).toBe('deployed');
    expect(run.summary).toContain('Refused by policy');
    expect(run.summary).toContain('helm test: 0 of 1 test pods passed');
    expect(run.summary).toMatch(/ok: backend http:\/\/[0-9.]+:8000\/healthz/);
    expect(run.summary).toMatch(/FAILED: frontend http:\/\/[0-9.]+:3000\/health/);
  });
});
