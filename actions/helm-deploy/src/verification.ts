/**
 * What the verify phase checks and how its results read: the checks input parsed, the component of a
 * helm test entry and the results table. Pure. The checks run in http-checks.ts and helm test in
 * helm-test.ts; these stay apart from them because the inputs and the summary, which every start
 * loads, need them.
 */
import { COMPONENT_RE } from './values.js';

/** The component of a helm test entry in the verification output (no chart component has a space). */
export const HELM_TEST = 'helm test';

export interface HttpCheck {
  component: string;
  /** starts with / (a query is allowed) */
  path: string;
  status: number;
  /** the body-regex as written; '' = any body */
  bodyRegex: string;
}

export interface CheckResult {
  component: string;
  path: string;
  /** the last HTTP status seen (0: no answer) */
  status: number;
  /** what passes: the status, and the body regex when there is one (`200 /ok/`) */
  expected: string;
  passed: boolean;
  attempts: number;
  ms: number;
}

/** A path the proxy passes on as is: no dot segments, whitespace or fragment. */
const PATH_RE = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const LINE_RE = /^(\S+)\s+(\S+)(?:\s+([1-5][0-9]{2})(?=\s|$))?(?:\s+(.+))?$/;

/** One check per line (`<component> <path> [<status>] [<body-regex>]`; blank and # lines skipped). Pure. */
export function parseChecks(text: string): HttpCheck[] | { value: string; reason: string } {
  const out: HttpCheck[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE_RE.exec(line);
    const bad = (reason: string) => ({ value: line, reason });
    if (!m) return bad('expected `<component> <path> [<status>] [<body-regex>]`, e.g. `frontend /healthz 200 ^ok$`');
    const [, component = '', path = '', status, bodyRegex = ''] = m;
    if (!COMPONENT_RE.test(component))
      return bad(`${component} is not a component name of charts/app (a DNS label of at most 23 characters)`);
    if (!PATH_RE.test(path) || path.split(/[/?]/).some((seg) => seg === '.' || seg === '..'))
      return bad(`the path ${path} must start with / and hold no whitespace, # or . / .. segments`);
    try {
      new RegExp(bodyRegex);
    } catch (err) {
      return bad(`the body regex is not a JavaScript regular expression: ${(err as Error).message}`);
    }
    out.push({ component, path, status: status === undefined ? 200 : Number(status), bodyRegex: bodyRegex.trim() });
  }
  return out;
}

/** The summary table of the results: header and rows. Pure. */
export function resultTable(results: readonly CheckResult[]): { header: string[]; rows: string[][] } {
  return {
    header: ['Component', 'Path', 'Expected', 'Got', 'Result', 'Attempts', 'Time'],
    rows: results.map((r) => [
      r.component,
      r.path,
      r.expected,
      r.expected === 'Succeeded' && r.component === 'helm test'
        ? r.passed
          ? 'Succeeded'
          : 'not Succeeded'
        : r.status === 0
          ? 'no answer'
          : String(r.status),
      r.passed ? 'passed' : 'FAILED',
      String(r.attempts),
      `${(r.ms / 1000).toFixed(1)} s`,
    ]),
  };
}
