/**
 * How long a step of one of our actions may take, from its inputs (SECURITY.md T17, T41): a
 * runner that cancels a step still inside helm's wait or rollback leaves a release pending, so every
 * step of our actions carries a `timeout-minutes` at least this long, and every job a
 * `timeout-minutes` at least the sum of its steps'. Pure: `checkTimeouts` takes a workflow's text and
 * the inputs of our actions (their action.yml), and returns findings.
 *
 * Each budget follows the bounds the action itself enforces (actions/<action>/src), with the input
 * defaults of its action.yml. An input given as an expression counts at the largest value the action
 * accepts for it, so a workflow that wants a shorter budget writes the value down.
 */
import { parse } from 'yaml';

export interface TimeoutFinding {
  file: string;
  at: string;
  message: string;
}

/** inputs of one of our actions: name → default (from its action.yml) */
export type ActionInputs = Record<string, { default?: unknown }>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const OWN_USES = /^\.\/\.polyglot-cd\/([a-z0-9-]+)\/?$/;

/** A Go-style duration of our inputs (90s, 5m, 1h30m, 168h) in minutes; undefined if it is not one. */
export function minutes(text: string): number | undefined {
  const t = text.trim();
  if (!/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 60 : m[2] === 'm' ? n : m[2] === 's' ? n / 60 : n / 60_000;
  }
  return total;
}

/** the largest value each duration or count input accepts (actions/<action>/src/inputs.ts) */
const MAX: Record<string, Record<string, number>> = {
  'helm-deploy': { timeout: 120, 'terminating-timeout': 30 },
  'trivy-gate': { timeout: 120, 'max-attempts': 5 },
  'cosign-sign': { timeout: 60 },
  'teams-notify': { timeout: 15 },
  'pr-namespace-cleanup': { 'wait-timeout': 60 },
};

/** Installing a pinned tool (download, SHA-256 check, unpack) is given this much in every budget. */
export const TOOL_INSTALL_MIN = 2;

interface Budget {
  minutes: number;
  why: string;
}

/**
 * The longest a step of `action` may take with these `with:` values; undefined when the action's
 * time is the workflow's choice (build-push: the image build is the app's own).
 */
export function stepBudget(action: string, given: Obj, inputs: ActionInputs): Budget | undefined {
  const value = (name: string): string => {
    const v = given[name] ?? inputs[name]?.default ?? '';
    return typeof v === 'string' ? v : String(v);
  };
  const duration = (name: string): number => {
    const v = value(name);
    if (/\$\{\{/.test(v)) return MAX[action]?.[name] ?? Infinity;
    const m = minutes(v);
    if (m === undefined) throw new Error(`${action}: ${name} ${JSON.stringify(v)} is not a duration`);
    return m;
  };
  const count = (name: string): number => {
    const v = value(name);
    if (/\$\{\{/.test(v)) return MAX[action]?.[name] ?? Infinity;
    return Number(v);
  };
  switch (action) {
    case 'helm-deploy': {
      // main.ts: helm upgrade --install waits `timeout`, then rolls back within another `timeout`
      // (the helm process is stopped after 2 × timeout + 2 min); a release stuck pending-* is first
      // recovered (rollback or uninstall, timeout + 1 min) and the upgrade tried once more
      const t = duration('timeout');
      const upgrade = 2 * t + 2;
      const recovery = t + 1;
      const namespace = value('create-namespace') === 'false' ? 0 : duration('terminating-timeout');
      const render = 2; // helm template of the values, at most 2 min
      const verify = value('verify-signatures') === 'false' ? 0 : 2 * 2; // cosign verify, 2 min per image, two images
      const cosignInstall = verify ? TOOL_INSTALL_MIN : 0;
      return {
        minutes: TOOL_INSTALL_MIN + cosignInstall + namespace + verify + render + upgrade + recovery + upgrade,
        why: `helm install ${TOOL_INSTALL_MIN} + namespace wait ${namespace} + signatures ${cosignInstall + verify} + render ${render} + upgrade and rollback 2×${t}+2 + stuck-release recovery ${t}+1 + the upgrade again 2×${t}+2`,
      };
    }
    case 'trivy-gate': {
      // gate.ts: a scan bounded by `timeout`, retried up to max-attempts times on a DB download
      // failure, after 10 s, 30 s, 60 s, 120 s
      const t = duration('timeout');
      const attempts = count('max-attempts');
      const waits = [10, 30, 60, 120].slice(0, Math.max(0, attempts - 1)).reduce((a, b) => a + b, 0) / 60;
      return {
        minutes: TOOL_INSTALL_MIN + attempts * t + waits,
        why: `trivy install ${TOOL_INSTALL_MIN} + ${attempts} attempts × ${t} + waits ${waits.toFixed(2)}`,
      };
    }
    case 'cosign-sign': {
      // main.ts: signing and verifying share one deadline, `timeout`
      const t = duration('timeout');
      return { minutes: TOOL_INSTALL_MIN + t, why: `cosign install ${TOOL_INSTALL_MIN} + timeout ${t}` };
    }
    case 'teams-notify': {
      // deliver.ts: every attempt and wait within `timeout`
      const t = duration('timeout');
      return { minutes: 1 + t, why: `start 1 + timeout ${t}` };
    }
    case 'pr-namespace-cleanup': {
      // main.ts: mode pr uninstalls the releases (each waited on for wait-timeout + 30 s), then
      // deletes the namespace and waits wait-timeout; mode gc checks PR states (a rate limit is waited
      // out for at most 2 min) and deletes `concurrency` namespaces at a time, each waited on
      const w = duration('wait-timeout');
      const mode = value('mode');
      if (mode === 'gc')
        return {
          minutes: TOOL_INSTALL_MIN + 2 + w,
          why: `helm install ${TOOL_INSTALL_MIN} + rate-limit wait 2 + wait-timeout ${w}`,
        };
      return {
        minutes: TOOL_INSTALL_MIN + (w + 0.5) + w,
        why: `helm install ${TOOL_INSTALL_MIN} + uninstall ${w}+0.5 + namespace wait ${w}`,
      };
    }
    default:
      return undefined;
  }
}

/** Every step of our actions has a long enough timeout-minutes, every job one at least the sum of its steps'. */
export function checkTimeouts(
  file: string,
  text: string,
  resolve: (action: string) => ActionInputs | undefined,
): TimeoutFinding[] {
  const out: TimeoutFinding[] = [];
  const doc = parse(text);
  const jobs = isObj(doc) && isObj(doc['jobs']) ? doc['jobs'] : {};
  for (const [id, job] of Object.entries(jobs)) {
    if (!isObj(job) || !Array.isArray(job['steps'])) continue;
    let sum = 0;
    const parts: string[] = [];
    job['steps'].forEach((step: unknown, n: number) => {
      if (!isObj(step)) return;
      const at = `jobs.${id}.steps[${n}]${typeof step['id'] === 'string' ? `(${step['id']})` : ''}`;
      const t = step['timeout-minutes'];
      const stepMinutes = typeof t === 'number' ? t : undefined;
      if (t !== undefined && stepMinutes === undefined)
        out.push({ file, at, message: `timeout-minutes must be a number of minutes, not ${JSON.stringify(t)}` });
      if (stepMinutes !== undefined) {
        sum += stepMinutes;
        parts.push(String(stepMinutes));
      }
      const action = OWN_USES.exec(typeof step['uses'] === 'string' ? step['uses'] : '')?.[1];
      if (!action) return;
      if (stepMinutes === undefined) {
        out.push({
          file,
          at,
          message: `${step['uses']} needs a timeout-minutes of its own (a hung step would hold the job until the job's timeout, cancelled mid-operation)`,
        });
        return;
      }
      const inputs = resolve(action);
      if (!inputs) {
        out.push({ file, at, message: `there is no ${action}/action.yml` });
        return;
      }
      const budget = stepBudget(action, isObj(step['with']) ? step['with'] : {}, inputs);
      if (budget && stepMinutes < budget.minutes) {
        out.push({
          file,
          at,
          message: `timeout-minutes ${stepMinutes} is shorter than ${action} may take with these inputs: ${Math.ceil(budget.minutes)} (${budget.why})`,
        });
      }
    });
    const jobTimeout = job['timeout-minutes'];
    if (typeof jobTimeout === 'number' && jobTimeout < sum) {
      out.push({
        file,
        at: `jobs.${id}`,
        message: `timeout-minutes ${jobTimeout} is shorter than its steps may take together: ${sum} (${parts.join(' + ')})`,
      });
    }
  }
  return out;
}
