/**
 * helm-deploy's helm-test input and its verification entries. The pure parts read helm test's real
 * output, recorded from Helm 4.2.4 and 3.22.0 running charts/app's test hook (tests.enabled) on the kube
 * stack. The action runs in-process with the fake Helm 4 (test/fakes/helm4.ts) behind a wrapper that
 * answers `helm test` with those recordings and its exit code, and records its argv.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  helmTestArgs,
  helmTestResults,
  parseHelmTest,
  redactLogs,
} from '../../../actions/helm-deploy/src/helm-test.js';
import { DEPLOY_ONLY_INPUTS } from '../../../actions/helm-deploy/src/inputs.js';
import { main } from '../../../actions/helm-deploy/src/main.js';
import { fakeHelm4Bin } from '../../fakes/fake-helm.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { fixturePath } from '../../helpers/fixtures.js';

const TOKEN = canary('helm-deploy helm-test kubeconfig token');

/** Helm 4.2.4, `helm test shop --timeout 60s --logs`, the test pod passed (exit 0). */
const HELM4_PASSED = `NAME: shop
LAST DEPLOYED: Thu Dec  3 10:24:24 2026
NAMESPACE: helmtest-probe-5433
STATUS: deployed
REVISION: 3
DESCRIPTION: Upgrade complete
TEST SUITE:     shop-tests
Last Started:   Thu Dec  3 10:26:57 2026
Last Completed: Thu Dec  3 10:27:00 2026
Phase:          Succeeded

POD LOGS: shop-tests (tests)
ok: backend http://10.96.220.21:8000/healthz
ok: frontend http://10.96.200.47:3000/health

`;

/** Helm 3.22.0, the same, a component down (exit 1): NOTES come between the suite and the logs. */
const HELM3_FAILED = `NAME: shop
LAST DEPLOYED: Thu Dec  3 10:24:24 2026
NAMESPACE: helmtest-probe-5433
STATUS: deployed
REVISION: 3
TEST SUITE:     shop-tests
Last Started:   Thu Dec  3 10:26:32 2026
Last Completed: Thu Dec  3 10:26:34 2026
Phase:          Failed
NOTES:
shop (2 component(s)) is deployed in namespace helmtest-probe-5433.

POD LOGS: shop-tests
ok: backend http://10.96.220.21:8000/healthz
wget: can't connect to remote host (10.96.200.47): Connection refused
FAILED: frontend http://10.96.200.47:3000/health
connecting with password=hunter2

`;
const HELM3_FAILED_STDERR = 'Error: 1 error occurred:\n\t* pod shop-tests failed\n';

describe('helm test output (pure)', () => {
  it('Helm 4: one suite that succeeded, its logs from the POD LOGS header on', () => {
    expect(parseHelmTest(HELM4_PASSED)).toEqual({
      suites: [{ name: 'shop-tests', phase: 'Succeeded' }],
      logs: [
        'POD LOGS: shop-tests (tests)',
        'ok: backend http://10.96.220.21:8000/healthz',
        'ok: frontend http://10.96.200.47:3000/health',
      ],
    });
  });

  it('Helm 3: a failed suite, NOTES left out of the logs', () => {
    const { suites, logs } = parseHelmTest(HELM3_FAILED);
    expect(suites).toEqual([{ name: 'shop-tests', phase: 'Failed' }]);
    expect(logs[0]).toBe('POD LOGS: shop-tests');
    expect(logs).toContain('FAILED: frontend http://10.96.200.47:3000/health');
    expect(logs.join('\n')).not.toContain('NOTES');
  });

  it('no test hooks: no suite, no logs', () => {
    expect(parseHelmTest('NAME: shop\nSTATUS: deployed\nREVISION: 1\n')).toEqual({ suites: [], logs: [] });
  });

  it('a suite helm printed no phase for is not a pass', () => {
    expect(helmTestResults([{ name: 'shop-tests', phase: '' }], 5)).toEqual([
      {
        component: 'helm test',
        path: 'shop-tests',
        status: 1,
        expected: 'Succeeded',
        passed: false,
        attempts: 1,
        ms: 5,
      },
    ]);
  });

  it('the verification entries: status 0 for Succeeded, 1 otherwise', () => {
    expect(
      helmTestResults(
        [
          { name: 'a', phase: 'Succeeded' },
          { name: 'b', phase: 'Failed' },
        ],
        1200,
      ),
    ).toEqual([
      { component: 'helm test', path: 'a', status: 0, expected: 'Succeeded', passed: true, attempts: 1, ms: 1200 },
      { component: 'helm test', path: 'b', status: 1, expected: 'Succeeded', passed: false, attempts: 1, ms: 1200 },
    ]);
  });

  it('the same flags on Helm 3 and 4, the timeout in whole seconds', () => {
    expect(helmTestArgs('shop', 'pr-7', 90_500)).toEqual([
      'test',
      'shop',
      '--namespace',
      'pr-7',
      '--timeout',
      '91s',
      '--logs',
    ]);
  });

  it('logs are redacted like the diagnostics log tails: secrets, then credential-looking values', () => {
    const out = redactLogs(['token is s3cr3t', 'connecting with password=hunter2', 'ok'], (s) =>
      s.replaceAll('s3cr3t', '***'),
    );
    expect(out.join('\n')).not.toMatch(/s3cr3t|hunter2/);
    expect(out[2]).toBe('ok');
  });
});

let dir: string;
let argvLog: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pcd-helm-test-'));
  argvLog = join(dir, 'argv.jsonl');
  fakeHelm4Bin(dir);
  writeFileSync(join(dir, 'passed.out'), HELM4_PASSED);
  writeFileSync(join(dir, 'failed.out'), HELM3_FAILED);
  writeFileSync(join(dir, 'failed.err'), HELM3_FAILED_STDERR);
  writeFileSync(join(dir, 'gone.err'), 'Error: release: not found\n');
  // the fake Helm 4; `helm test` prints $FAKE_TEST.out (and .err) and exits $FAKE_TEST_CODE
  writeFileSync(
    join(dir, 'test-helm'),
    `#!/bin/sh
if [ "$1" = test ]; then
  printf '%s\\n' "$*" >> "${argvLog}"
  [ -f "${dir}/$FAKE_TEST.out" ] && cat "${dir}/$FAKE_TEST.out"
  [ -f "${dir}/$FAKE_TEST.err" ] && cat "${dir}/$FAKE_TEST.err" >&2
  exit "$FAKE_TEST_CODE"
fi
exec ${join(dir, 'helm')} "$@"
`,
    { mode: 0o755 },
  );
});

function kubeconfig(): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:9"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
}

async function deploy(inputs: Record<string, string>, fake: { name: string; code: number }) {
  const ws = workspace(
    {
      release: 'shop',
      namespace: 'shop',
      ordering: 'off',
      'create-namespace': 'false',
      kubeconfig: kubeconfig(),
      images: `backend: r/b@sha256:${'a'.repeat(64)}`,
      ...inputs,
    },
    {
      POLYGLOT_CD_HELM_BIN: join(dir, 'test-helm'),
      FAKE_HELM_FIXTURES: fixturePath('helm'),
      FAKE_TEST: fake.name,
      FAKE_TEST_CODE: String(fake.code),
    },
  );
  return runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
}

const errors = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::error::'));
const testCalls = (): string[] => {
  try {
    return readFileSync(argvLog, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('helm-deploy helm-test', () => {
  it('is a deploy-only input, false by default', () => {
    expect(DEPLOY_ONLY_INPUTS['helm-test']).toBe('false');
  });

  it.each(['yes', '1', 'on'])('refuses helm-test: %s before anything runs, naming the input', async (value) => {
    const before = testCalls().length;
    const run = await deploy({ 'helm-test': value }, { name: 'passed', code: 0 });
    expect(run.code).toBe(1);
    expect(errors(run.stdout)[0]).toMatch(new RegExp(`^::error::Input "helm-test" has an invalid value "${value}"`));
    expect(run.outputs).toEqual({});
    expect(testCalls().length).toBe(before);
  });

  it('mode: read refuses helm-test: true', async () => {
    const run = await deploy(
      { mode: 'read', 'helm-test': 'true', images: '', 'create-namespace': '', ordering: '' },
      {
        name: 'passed',
        code: 0,
      },
    );
    expect(run.code).toBe(1);
    expect(errors(run.stdout)[0]).toContain('Input "helm-test"');
    expect(errors(run.stdout)[0]).toContain('only used with mode: deploy');
  });

  it('off (the default): helm test does not run and there is no verification output', async () => {
    const before = testCalls().length;
    const run = await deploy({}, { name: 'failed', code: 1 });
    expect(errors(run.stdout)).toEqual([]);
    expect(run.code).toBe(0);
    expect(testCalls().length).toBe(before);
    expect(run.outputs['verification']).toBeUndefined();
  });

  it('passed: an entry per test pod in verification, a row and the logs in the summary', async () => {
    const run = await deploy({ 'helm-test': 'true', 'checks-timeout': '45s' }, { name: 'passed', code: 0 });
    expect(errors(run.stdout)).toEqual([]);
    expect(run.code).toBe(0);
    expect(testCalls().at(-1)).toBe('test shop --namespace shop --timeout 45s --logs');
    const v = JSON.parse(run.outputs['verification'] ?? '[]') as Record<string, unknown>[];
    expect(v).toEqual([
      {
        component: 'helm test',
        path: 'shop-tests',
        status: 0,
        expected: 'Succeeded',
        passed: true,
        attempts: 1,
        ms: expect.any(Number),
      },
    ]);
    expect(run.summary).toContain('helm test: 1 of 1 test pods passed');
    expect(run.summary).toMatch(/\| helm test \| shop-tests \| Succeeded \| Succeeded \| passed \| 1 \| /);
    expect(run.summary).toContain('helm test: pod logs');
    expect(run.summary).toContain('ok: frontend http://10.96.200.47:3000/health');
  });

  it('failed: GateError naming the pod and its failing line; the logs, redacted, in the summary', async () => {
    const run = await deploy({ 'helm-test': 'true' }, { name: 'failed', code: 1 });
    expect(run.code).toBe(1);
    expect(errors(run.stdout)).toEqual([
      '::error::The deployment does not pass its helm test: shop-tests (Failed, expected Succeeded): FAILED: frontend http://10.96.200.47:3000/health. The release is left as deployed.',
    ]);
    expect(JSON.parse(run.outputs['verification'] ?? '[]')).toMatchObject([
      { component: 'helm test', path: 'shop-tests', status: 1, passed: false },
    ]);
    expect(run.outputs['status']).toBe('deployed');
    expect(run.summary).toContain('Refused by policy');
    expect(run.summary).toContain('helm test: 0 of 1 test pods passed');
    expect(run.summary).toContain('FAILED: frontend http://10.96.200.47:3000/health');
    expect(run.summary).not.toContain('hunter2');
    expect(run.stdout).not.toContain('hunter2');
  });

  it('helm failing without a test result is a tool failure, not a policy refusal', async () => {
    const run = await deploy({ 'helm-test': 'true' }, { name: 'gone', code: 1 });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('A tool failed');
    expect(run.summary).not.toContain('Refused by policy');
    expect(errors(run.stdout).at(-1)).toContain('helm test exited with code 1: Error: release: not found');
  });
});
