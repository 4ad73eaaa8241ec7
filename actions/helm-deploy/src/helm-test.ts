/**
 * The helm test phase (input helm-test): after a successful upgrade and its HTTP checks,
 * `helm test <release> -n <ns> --timeout <checks-timeout> --logs` runs the chart's test hooks (charts/app:
 * tests.enabled). Each test pod becomes an entry of the verification output, its logs (secrets and
 * credential-looking values redacted, as the diagnostics' log tails are) a collapsed block of the
 * summary. A test pod that does not succeed is a GateError; a canary is rolled back first, as after
 * failed HTTP checks. The flags are the same in Helm 3 and 4; parsing the output is pure.
 */
import { GateError, ToolError, type ActionContext } from '@polyglot-cd/action-kit';
import { redactCredentials } from '@polyglot-cd/kube/diagnostics';
import type { Helm, HelmRelease } from '@polyglot-cd/tools/helm';
import { rollBackAfterFailure } from './http-checks.js';
import type { DeployInputs } from './inputs.js';
import type { DeployReport } from './summary.js';
import { HELM_TEST, type CheckResult } from './verification.js';

/** What a test pod must end as. */
export const SUCCEEDED = 'Succeeded';
/** At most this many log lines are kept for the summary. */
const MAX_LOG_LINES = 200;

export interface HelmTestSuite {
  /** the test pod */
  name: string;
  /** its last phase as helm printed it (Succeeded, Failed, Running, …; '' when helm printed none) */
  phase: string;
}

/** `helm test` arguments (the same flags in Helm 3 and 4). Pure. */
export function helmTestArgs(release: string, namespace: string, timeoutMs: number): string[] {
  return ['test', release, '--namespace', namespace, '--timeout', `${Math.ceil(timeoutMs / 1000)}s`, '--logs'];
}

/**
 * The test suites and the pod logs of helm test's text output: a `TEST SUITE:` line per test pod with a
 * `Phase:` line after it, then (with --logs, also when a test failed) the `POD LOGS: <pod>` blocks. Pure.
 */
export function parseHelmTest(stdout: string): { suites: HelmTestSuite[]; logs: string[] } {
  const lines = stdout.split(/\r?\n/);
  const suites: HelmTestSuite[] = [];
  const firstLog = lines.findIndex((l) => l.startsWith('POD LOGS: '));
  for (const line of firstLog < 0 ? lines : lines.slice(0, firstLog)) {
    const suite = /^TEST SUITE:\s+(\S+)\s*$/.exec(line);
    if (suite) suites.push({ name: suite[1] as string, phase: '' });
    const phase = /^Phase:\s+(\S+)\s*$/.exec(line);
    const last = suites.at(-1);
    if (phase && last && last.phase === '') last.phase = phase[1] as string;
  }
  const logs = firstLog < 0 ? [] : lines.slice(firstLog);
  while (logs.length > 0 && (logs.at(-1) as string).trim() === '') logs.pop();
  return { suites, logs };
}

/** The verification entries of the test pods. Pure. */
export function helmTestResults(suites: readonly HelmTestSuite[], ms: number): CheckResult[] {
  return suites.map((s) => ({
    component: HELM_TEST,
    path: s.name,
    status: s.phase === SUCCEEDED ? 0 : 1,
    expected: SUCCEEDED,
    passed: s.phase === SUCCEEDED,
    attempts: 1,
    ms,
  }));
}

/** Log lines with the registered secrets and credential-looking values redacted, the last MAX_LOG_LINES. */
export function redactLogs(lines: readonly string[], redact: (text: string) => string): string[] {
  return redactCredentials(lines.slice(-MAX_LOG_LINES).map(redact));
}

export interface HelmTestRun {
  ctx: ActionContext;
  inp: Readonly<Pick<DeployInputs, 'release' | 'checksTimeoutMs' | 'namespace' | 'timeoutMs' | 'historyMax'>>;
  report: DeployReport;
  helm: Helm;
  release: HelmRelease;
  /** a canary was deployed by this run: a failed test rolls it back */
  canary: boolean;
  now: () => number;
}

/** helm test; its entries appended to report.verification, its logs to report.helmTestLogs. */
async function runHelmTest(t: HelmTestRun): Promise<{ failed: HelmTestSuite[] }> {
  const { ctx, inp, report } = t;
  const args = helmTestArgs(inp.release, inp.namespace, inp.checksTimeoutMs);
  const started = t.now();
  const res = await t.helm.run(args, { timeoutMs: inp.checksTimeoutMs + 60_000, okExitCodes: [0, 1] });
  const { suites, logs } = parseHelmTest(res.stdout);
  report.helmTestLogs = redactLogs(logs, (s) => ctx.secrets.redact(s));
  const failed = suites.filter((s) => s.phase !== SUCCEEDED);
  if (res.exitCode !== 0 && failed.length === 0) {
    const stderrTail = ctx.secrets.redact(res.stderr.trim().split('\n').slice(-20).join('\n'));
    throw new ToolError(`helm test exited with code ${res.exitCode}: ${stderrTail.split('\n').at(-1) ?? ''}`, {
      tool: 'helm',
      argv: ['helm', ...args],
      exitCode: res.exitCode,
      stderrTail,
    });
  }
  report.verification = [...(report.verification ?? []), ...helmTestResults(suites, t.now() - started)];
  for (const s of suites) ctx.log.info(`${s.phase === SUCCEEDED ? 'passed' : 'FAILED'}: ${s.name} (${s.phase})`);
  for (const l of report.helmTestLogs) ctx.log.info(l);
  if (suites.length === 0) ctx.log.warning(`helm-test: the chart of ${inp.release} defines no test hooks`);
  return { failed };
}

/** The helm test phase: on a failed test pod, the canary rolled back, then GateError. */
export async function helmTestPhase(t: HelmTestRun): Promise<void> {
  const title = `Verify: helm test ${t.inp.release}, within ${Math.round(t.inp.checksTimeoutMs / 1000)} s`;
  const { failed } = await t.ctx.log.group(title, () => runHelmTest(t));
  if (failed.length === 0) return;
  const afterwards = await rollBackAfterFailure({ ...t, why: 'a failed helm test' });
  const which = failed.map((s) => `${s.name} (${s.phase || 'no phase'}, expected ${SUCCEEDED})`).join(', ');
  const line = (t.report.helmTestLogs ?? []).find((l) => /fail|error/i.test(l) && !l.startsWith('POD LOGS: '));
  throw new GateError(
    `The deployment does not pass its helm test: ${which}${line ? `: ${line.trim()}` : ''}.${afterwards}`,
  );
}
