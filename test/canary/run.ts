/**
 * The run directory of the secret canaries (test/README.md, "Secret canaries"): one per `vitest run`,
 * made by the root global setup (global-setup.ts) and named to every worker by POLYGLOT_CD_CANARY_RUN.
 *
 *   <run>/canaries/<pid>.jsonl    the canaries each process registered, one JSON object a line
 *   <run>/captures/               everything a user, another job or a child tool could see
 *     ws-<test>-<random>/         an action workspace (action-env.ts): RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 *                                 GITHUB_STATE, and what the action left there (reports, SARIF, …)
 *     steps/<ws>-<n>.stdout.log   the step log of run n in that workspace (and .stderr.log)
 *     files/<ws>-<n>-<output>     a file an output names, when it lies outside the workspace
 *     exec/<tool>.<random>/       one child-tool call: `argv` and `env`, NUL-separated (toolWrapper in
 *                                 test/helpers/canary.ts)
 *   <run>/bin/                    recording wrappers put first on an action's PATH (recordingPath)
 *
 * No Vitest import here: the global setup, the workers and the wrappers' writers all use this file.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CANARY_RUN_ENV = 'POLYGLOT_CD_CANARY_RUN';

/** Every canary value starts with this; the scan looks for it (and its base64 spellings) first. */
export const CANARY_PREFIX = 'pcd-canary-';

export interface RegisteredCanary {
  label: string;
  value: string;
  /** the test file (or setup) that registered it, relative to the repository */
  from?: string;
}

/** The run directory, or undefined outside a suite run (e.g. a script importing a helper). */
export function canaryRunDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env[CANARY_RUN_ENV];
  return dir ? dir : undefined;
}

export function capturesDir(run: string): string {
  return join(run, 'captures');
}

export function execCapturesDir(run: string): string {
  return join(run, 'captures', 'exec');
}

export function makeRunLayout(run: string): void {
  for (const d of ['canaries', 'captures', 'captures/steps', 'captures/files', 'captures/exec'])
    mkdirSync(join(run, d), { recursive: true, mode: 0o700 });
}

/** Appends to this process's registry file: a single small append, so workers never interleave. */
export function appendCanary(run: string, c: RegisteredCanary): void {
  appendFileSync(join(run, 'canaries', `${process.pid}.jsonl`), JSON.stringify(c) + '\n', { mode: 0o600 });
}

export function readCanaries(run: string): RegisteredCanary[] {
  const dir = join(run, 'canaries');
  const out: RegisteredCanary[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return out;
  }
  for (const f of files.sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim()) out.push(JSON.parse(line) as RegisteredCanary);
    }
  }
  return out;
}
