/**
 * Job and step timeouts of the workflows in .github/workflows (step-budgets.ts): every step of our
 * actions has a timeout-minutes at least what its inputs allow it, every job one at least the sum of its
 * steps'; and proof that each check catches a workflow that breaks it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';
import { checkTimeouts, minutes, stepBudget, type ActionInputs } from './step-budgets.js';

const dir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

function actionInputs(action: string): ActionInputs | undefined {
  const file = join(repoRoot, action, 'action.yml');
  if (!existsSync(file)) return undefined;
  const doc = parse(readFileSync(file, 'utf8')) as { inputs?: ActionInputs };
  return doc.inputs ?? {};
}

const show = (fs: { at: string; message: string }[]): string[] => fs.map((f) => `${f.at}: ${f.message}`);

describe('timeouts of the workflows in .github/workflows', () => {
  it.each(workflows)('%s', (file) => {
    expect(show(checkTimeouts(file, readFileSync(join(dir, file), 'utf8'), actionInputs))).toEqual([]);
  });

  it('the budgets follow the defaults of the action.yml files', () => {
    const helm = actionInputs('helm-deploy') as ActionInputs;
    expect(helm['timeout']?.default).toBe('5m');
    // 2 install + 2 namespace + 2 render + (2×5+2) upgrade + (5+1) recovery + (2×5+2) again
    expect(stepBudget('helm-deploy', {}, helm)?.minutes).toBe(36);
    // production: no namespace call, signatures verified (cosign install + 2 images)
    expect(stepBudget('helm-deploy', { 'create-namespace': 'false', 'verify-signatures': 'true' }, helm)?.minutes).toBe(
      40,
    );
    expect(stepBudget('trivy-gate', {}, actionInputs('trivy-gate') as ActionInputs)?.minutes).toBeCloseTo(
      2 + 3 * 10 + 40 / 60,
    );
    expect(stepBudget('cosign-sign', {}, actionInputs('cosign-sign') as ActionInputs)?.minutes).toBe(12);
    expect(stepBudget('teams-notify', {}, actionInputs('teams-notify') as ActionInputs)?.minutes).toBe(2);
    expect(
      stepBudget('pr-namespace-cleanup', { mode: 'pr' }, actionInputs('pr-namespace-cleanup') as ActionInputs)?.minutes,
    ).toBe(12.5);
    expect(stepBudget('build-push', {}, actionInputs('build-push') as ActionInputs)).toBeUndefined();
  });

  it('reads durations as the actions do', () => {
    expect([minutes('90s'), minutes('5m'), minutes('1h30m'), minutes('168h'), minutes('soon')]).toEqual([
      1.5,
      5,
      90,
      10080,
      undefined,
    ]);
  });
});

const INPUTS: Record<string, ActionInputs> = {
  'helm-deploy': {
    timeout: { default: '5m' },
    'terminating-timeout': { default: '2m' },
    'create-namespace': { default: 'true' },
    'verify-signatures': { default: 'false' },
  },
  'teams-notify': { timeout: { default: '60s' } },
};
const resolve = (a: string): ActionInputs | undefined => INPUTS[a];

const GOOD = `jobs:
  deploy:
    runs-on: ubuntu-latest
    timeout-minutes: 50
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        timeout-minutes: 5
      - uses: ./.polyglot-cd/helm-deploy
        timeout-minutes: 40
        with:
          release: shop
      - uses: ./.polyglot-cd/teams-notify
        timeout-minutes: 2
`;

describe('each timeout check catches a bad workflow', () => {
  it('the good example passes', () => {
    expect(show(checkTimeouts('good.yml', GOOD, resolve))).toEqual([]);
  });

  it.each<[string, (s: string) => string, string]>([
    [
      'a step of our actions without timeout-minutes',
      (s) => s.replace('        timeout-minutes: 2\n', ''),
      'jobs.deploy.steps[2]: ./.polyglot-cd/teams-notify needs a timeout-minutes of its own',
    ],
    [
      'a helm-deploy step shorter than wait + rollback + recovery',
      (s) => s.replace('timeout-minutes: 40', 'timeout-minutes: 20'),
      'jobs.deploy.steps[1]: timeout-minutes 20 is shorter than helm-deploy may take with these inputs: 36',
    ],
    [
      'a longer helm timeout input that the step does not follow',
      (s) => s.replace('          release: shop\n', '          release: shop\n          timeout: 10m\n'),
      'is shorter than helm-deploy may take with these inputs: 61',
    ],
    [
      'an input given as an expression counts at its maximum',
      (s) =>
        s.replace('          release: shop\n', '          release: shop\n          timeout: ${{ inputs.timeout }}\n'),
      'is shorter than helm-deploy may take with these inputs: 611',
    ],
    [
      'a job shorter than its steps together',
      (s) => s.replace('timeout-minutes: 50', 'timeout-minutes: 30'),
      'jobs.deploy: timeout-minutes 30 is shorter than its steps may take together: 47 (5 + 40 + 2)',
    ],
    [
      'a timeout that is not a number',
      (s) => s.replace('timeout-minutes: 5\n', "timeout-minutes: '5m'\n"),
      'timeout-minutes must be a number of minutes',
    ],
  ])('%s', (_name, edit, message) => {
    const bad = edit(GOOD);
    expect(bad).not.toBe(GOOD);
    expect(show(checkTimeouts('bad.yml', bad, resolve)).join('\n')).toContain(message);
  });
});
