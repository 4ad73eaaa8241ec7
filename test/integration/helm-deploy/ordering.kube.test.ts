/**
 * An older run never overwrites a newer one, on the real API server and the real node: helm-deploy
 * claims the release for its run (GITHUB_RUN_NUMBER of its workflow) in the ConfigMap
 * polyglot-cd-order-<release> before it deploys, and refuses a run older than the newest one of the
 * same workflow (a re-run of an old run, a queued run that starts late), with nothing changed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { coreV1, helmOf, kubeconfigPath, stackInfo, uniqueName } from '../../kube/harness.js';

const stack = stackInfo();
const helm = helmOf('4');
const namespace = uniqueName('order');
const DEPLOY = 'example-org/shop/.github/workflows/deploy.yml';
const SHA = (n: number) => `${String(n).padStart(2, '0')}`.repeat(20);

afterAll(async () => {
  await coreV1()
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

function deploy(runNumber: number, workflow = DEPLOY, extra: Record<string, string> = {}): Promise<ActionRun> {
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
        ...extra,
      },
      {
        POLYGLOT_CD_HELM_BIN: helm.bin,
        GITHUB_WORKSPACE: repoRoot,
        GITHUB_RUN_NUMBER: String(runNumber),
        GITHUB_RUN_ID: String(9_000_000 + runNumber),
        GITHUB_SHA: SHA(runNumber),
        GITHUB_WORKFLOW_REF: `${workflow}@refs/heads/main`,
      },
    ),
    { timeoutMs: 200_000 },
  );
}

const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
const revisions = async (): Promise<number> =>
  (await coreV1().listNamespacedSecret({ namespace, labelSelector: 'owner=helm,name=shop' })).items.length;

describe('helm-deploy ordering: run-number', () => {
  it('records the first run, then refuses an older run of the same workflow with nothing changed', async () => {
    const first = await deploy(42);
    expect(errors(first)).toEqual([]);
    expect(first.outputs).toMatchObject({ status: 'deployed', revision: '1' });
    // (the summary table escapes # and parentheses)
    expect(first.summary).toContain(`| Order | run \\#42 of ${DEPLOY} \\(first recorded\\) |`);

    const older = await deploy(41);
    expect(older.code).toBe(1);
    expect(errors(older)[0]).toContain(
      `::error::Not deployed: run #42 of ${DEPLOY} (commit ${SHA(42).slice(0, 12)}, run id 9000042) already deployed this release at `,
    );
    expect(errors(older)[0]).toContain(
      `this run #41 (commit ${SHA(41).slice(0, 12)}) is older, and an older run never overwrites a newer one. Nothing was changed.`,
    );
    expect(await revisions()).toBe(1);
    const cm = await coreV1().readNamespacedConfigMap({ namespace, name: 'polyglot-cd-order-shop' });
    expect(Object.values(cm.data ?? {}).map((v) => JSON.parse(v).runNumber)).toEqual([42]);
  }, 240_000);

  it('lets a re-run of the newest run and a newer run deploy, and orders each workflow among its own runs', async () => {
    const again = await deploy(42, DEPLOY, {
      values: 'components:\n  web:\n    port: 8080\n    env:\n      ROLLOUT: "2"\n',
    });
    expect(errors(again)).toEqual([]);
    expect(again.summary).toContain('\\(again: a re-run or a later step of the same run\\)');
    const newer = await deploy(43);
    expect(errors(newer)).toEqual([]);
    expect(newer.summary).toContain(`| Order | run \\#43 of ${DEPLOY} \\(after run \\#42\\) |`);
    // another workflow's run numbers are its own: run #5 of the hotfix workflow deploys…
    const hotfix = await deploy(5, 'example-org/shop/.github/workflows/hotfix.yml');
    expect(errors(hotfix)).toEqual([]);
    // …and an old run of deploy.yml is still refused after it
    expect((await deploy(40)).code).toBe(1);
    expect(await revisions()).toBe(4);
  }, 300_000);

  it('ordering: off deploys without the check', async () => {
    const run = await deploy(1, DEPLOY, { ordering: 'off' });
    expect(errors(run)).toEqual([]);
    expect(run.summary).not.toContain('| Order |');
  }, 240_000);
});
