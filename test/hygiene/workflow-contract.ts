/**
 * The workflow contract: checks a GitHub Actions workflow against the `action.yml` of the actions it
 * calls, against its own jobs' outputs, and against the hardening rules of our reusable workflows
 * (issue #10, SECURITY.md T1, T17, T18, T25, T34, T37, T38, T39, T41, T49, T50). Pure: the caller passes the workflow text
 * and a resolver for action metadata, and gets a list of findings (empty = the workflow keeps the
 * contract). actionlint (test/hygiene/actionlint.test.ts) covers syntax and expression typing; this
 * covers what actionlint cannot know: our actions' inputs and outputs, and our security rules.
 */
import { parse } from 'yaml';

export interface Finding {
  file: string;
  /** where: `jobs.<id>`, `jobs.<id>.steps[<n>]`, `on.workflow_call`, … */
  at: string;
  rule: Rule;
  message: string;
}

export type Rule =
  | 'yaml'
  | 'unknown-action'
  | 'unknown-input'
  | 'missing-input'
  | 'needs-output'
  | 'step-output'
  | 'workflow-output'
  | 'undeclared-context'
  | 'permissions-top'
  | 'permissions-job'
  | 'unpinned'
  | 'pin-comment'
  | 'own-ref'
  | 'untrusted-in-run'
  | 'pull-request-target'
  | 'concurrency'
  | 'timeout'
  | 'fork-guard'
  | 'secrets-inherit'
  | 'persist-credentials'
  | 'own-commit'
  | 'environment-secret';

/** What the contract needs of an action's metadata (an `action.yml`) or a reusable workflow. */
export interface Interface {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
  /** reusable workflows only */
  secrets?: Record<string, { required?: boolean }>;
  /** reusable workflows only: the union of what its jobs grant themselves (write wins over read) */
  permissions?: Record<string, 'read' | 'write'>;
  /** reusable workflows only: declared secrets its jobs read from their environment (cluster credentials of fixed targets) */
  environmentSecrets?: string[];
}

export interface ContractOptions {
  /** our own actions are referenced as `<ownPrefix><action>@<ref>`, e.g. `org/polyglot-cd/helm-deploy@v1` */
  ownPrefix?: string;
  /**
   * The interface of one of our actions (`helm-deploy`) or reusable workflows (`.github/workflows/x.yml`),
   * or undefined if it does not exist.
   */
  resolve: (name: string) => Interface | undefined;
}

export const OWN_PREFIX = 'org/polyglot-cd/';

/** Where a reusable workflow checks out polyglot-cd at its own commit: `uses: ./.polyglot-cd/<action>`. */
export const OWN_PATH = '.polyglot-cd';
const OWN_USES = /^\.\/\.polyglot-cd\/([a-z0-9-]+)\/?$/;

/**
 * The step that reads the workflow's own repository and commit from the job context
 * (job.workflow_repository, job.workflow_sha: the reusable workflow's, where github.* is the caller's)
 * and checks them before writing them as its outputs repository and sha.
 */
export function isOwnCommitStep(step: { run?: string; env?: unknown } | undefined): boolean {
  if (typeof step?.run !== 'string' || !isObj(step.env)) return false;
  const env = Object.values(step.env).map((v) => String(v).replace(/\s+/g, ''));
  // it refuses anything but a 40-hex commit: an empty ref would check out the caller's default branch
  return (
    env.includes('${{job.workflow_repository}}') &&
    env.includes('${{job.workflow_sha}}') &&
    /\[0-9a-f\]\{40\}/.test(step.run) &&
    /repository=/.test(step.run) &&
    /sha=/.test(step.run)
  );
}

/** `${{ secrets.X != '' }}`: tells whether a secret is set without handing its value to any step. */
const PRESENCE_TEST = (name: string): RegExp =>
  new RegExp(`^\\s*secrets\\.${name.replace(/[-]/g, '\\-')}\\s*!=\\s*''\\s*$`);

/** The only `${{ }}` allowed inside `run:` (and github-script `script:`): values no PR author controls. */
export const TRUSTED_IN_RUN =
  /^(github\.(sha|run_id|run_number|run_attempt|repository_id|job|workspace)|runner\.(temp|os|arch|tool_cache)|job\.status|strategy\.job-index)$/;

/** The fork guard every deploy job's `if:` must carry: the PR's head is this repository (or no PR at all). */
/**
 * A deploy job's `if:` must compare the pull request's head repository with its base repository (or
 * github.repository), and refuse pull_request_target, under which a fork's code would run with the base
 * repository's secrets. Trusting the event name alone (`github.event_name != 'pull_request' || …`) lets
 * pull_request_target through, so that escape is not accepted.
 */
export function forkGuarded(cond: string): boolean {
  const compares =
    /github\.event\.pull_request\.head\.repo\.full_name\s*==\s*(github\.event\.pull_request\.base\.repo\.full_name|github\.repository)/.test(
      cond,
    );
  const refusesTarget = /github\.event_name\s*!=\s*'pull_request_target'/.test(cond);
  const trustsEventName = /github\.event_name\s*!=\s*'pull_request'(?!_)/.test(cond);
  return compares && refusesTarget && !trustsEventName;
}

/** write grants and the job role that may hold each one (any other write is a finding) */
const WRITE_GRANTS: Record<string, { role: Role | Role[]; why: string }> = {
  'id-token': {
    role: ['sign', 'keyless-deploy', 'attest'],
    why: 'only the signing job (cosign-sign), the job that attests build provenance, and a deploy job behind an environment that passes cluster-oidc-audience (keyless cluster access) may request an OIDC token',
  },
  attestations: { role: 'attest', why: 'only the job that attests build provenance stores attestations' },
  contents: { role: 'release', why: 'only the release job (the GitHub release and the major tag) writes contents' },
  packages: { role: 'build', why: 'only the build job (build-push) may push packages' },
  'pull-requests': { role: 'comment', why: 'only the job that posts the PR comment may write pull requests' },
  'security-events': { role: 'sarif', why: 'only a job that uploads SARIF may write security events' },
};

type Role = 'build' | 'sign' | 'comment' | 'sarif' | 'deploy' | 'cleanup' | 'keyless-deploy' | 'attest' | 'release';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** isObj without narrowing a typed Job/Step to a plain record */
const isMap = (v: unknown): boolean => isObj(v);

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Obj;
  env?: Obj;
  if?: unknown;
  name?: string;
}

interface Job {
  needs?: string | string[];
  if?: unknown;
  uses?: string;
  with?: Obj;
  secrets?: unknown;
  permissions?: unknown;
  outputs?: Obj;
  steps?: Step[];
  concurrency?: unknown;
  'timeout-minutes'?: unknown;
  environment?: unknown;
  strategy?: unknown;
}

/** Every `${{ … }}` body in a string. */
export function expressions(s: string): string[] {
  return [...s.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => (m[1] as string).trim());
}

/** All string leaves of a value, with their path. */
function strings(v: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof v === 'string') out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${path}[${i}]`, out));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) strings(x, path ? `${path}.${k}` : k, out);
  return out;
}

/** Expression text of a value: the `${{ }}` bodies, or the whole string for `if:` (implicitly an expression). */
function exprText(path: string, s: string): string[] {
  if (/(^|\.)if$/.test(path)) return [s.replace(/^\$\{\{|\}\}$/g, '')];
  return expressions(s);
}

/** `ctx.a.b` and `ctx['a']['b']` references of a context in an expression: [a, b][] */
function refs(expr: string, ctx: string, member: string): [string, string][] {
  const name = `(?:\\.([A-Za-z_][\\w-]*)|\\[\\s*'([^']+)'\\s*\\])`;
  const re = new RegExp(`(?<![\\w.-])${ctx}${name}\\s*(?:\\.${member}|\\[\\s*'${member}'\\s*\\])${name}`, 'g');
  return [...expr.matchAll(re)].map((m) => [(m[1] ?? m[2]) as string, (m[3] ?? m[4]) as string]);
}

function roleOf(job: Job, own: (uses: string | undefined) => string | undefined): Set<Role> {
  const roles = new Set<Role>();
  for (const s of job.steps ?? []) {
    const a = own(s.uses);
    if (a === 'build-push') roles.add('build');
    if (a === 'cosign-sign') roles.add('sign');
    if (a === 'helm-deploy') roles.add('deploy');
    // keyless cluster access: the job's OIDC token is the credential, so only behind an environment's protection rules
    if (
      (a === 'helm-deploy' || a === 'pr-namespace-cleanup') &&
      isObj(s.with) &&
      'cluster-oidc-audience' in s.with &&
      job.environment !== undefined
    )
      roles.add('keyless-deploy');
    if (a === 'pr-namespace-cleanup') roles.add('cleanup');
    if (s.uses?.startsWith('github/codeql-action/upload-sarif@')) roles.add('sarif');
    if (s.uses?.startsWith('actions/attest-build-provenance@') || s.uses?.startsWith('actions/attest@'))
      roles.add('attest');
    if (/\bgh\s+release\s+create\b/.test(s.run ?? '') || /\bgh\s+api\b[^\n]*git\/refs/.test(s.run ?? ''))
      roles.add('release');
    if (s.uses?.startsWith('actions/github-script@') || /\bgh\s+(pr\s+comment|api\b[^\n]*comments)/.test(s.run ?? ''))
      roles.add('comment');
  }
  return roles;
}

export function checkWorkflow(file: string, text: string, opts: ContractOptions): Finding[] {
  const prefix = opts.ownPrefix ?? OWN_PREFIX;
  const findings: Finding[] = [];
  const broken = new Map<string, string>();
  const resolveOrReport = (name: string): Interface | undefined => {
    try {
      return opts.resolve(name);
    } catch (e) {
      broken.set(name, (e as Error).message.split('\n')[0] as string);
      return undefined;
    }
  };
  const add = (at: string, rule: Rule, message: string): void => {
    findings.push({ file, at, rule, message });
  };
  let wf: Obj;
  try {
    const doc = parse(text);
    if (!isObj(doc)) throw new Error('not a mapping');
    wf = doc;
  } catch (e) {
    add('', 'yaml', `not a workflow: ${(e as Error).message}`);
    return findings;
  }

  /** our own action or reusable workflow name of a `uses:`, e.g. helm-deploy or .github/workflows/x.yml */
  const own = (uses: string | undefined): string | undefined => {
    if (!uses) return undefined;
    if (uses.startsWith(prefix)) return uses.slice(prefix.length).replace(/@.*$/, '');
    const local = OWN_USES.exec(uses);
    if (local) return local[1];
    if (uses.startsWith('./')) return uses.slice(2).replace(/\/$/, '');
    return undefined;
  };

  // --- triggers
  const on = wf['on'];
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isObj(on) ? Object.keys(on) : [];
  if (events.includes('pull_request_target')) {
    add(
      'on',
      'pull-request-target',
      "pull_request_target runs PR code with the base repository's secrets and write token: use pull_request (fork PRs get no secrets)",
    );
  }
  const call = isObj(on) && isObj(on['workflow_call']) ? (on['workflow_call'] as Obj) : undefined;
  const callInputs = call && isObj(call['inputs']) ? Object.keys(call['inputs']) : undefined;
  const callSecrets = call && isObj(call['secrets']) ? Object.keys(call['secrets']) : call ? [] : undefined;

  // --- top-level permissions
  const perms = wf['permissions'];
  if (!isObj(perms) || Object.keys(perms).length > 0) {
    add(
      'permissions',
      'permissions-top',
      `top-level permissions must be {} (every job grants what it needs), found ${JSON.stringify(perms ?? 'none (the default token permissions)')}`,
    );
  }

  const jobs = isObj(wf['jobs']) ? (wf['jobs'] as Record<string, Job>) : {};
  const jobOutputs = new Map<string, Set<string>>();
  for (const [id, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    const names = new Set(isObj(job.outputs) ? Object.keys(job.outputs) : []);
    const target = own(job.uses);
    if (target) for (const o of Object.keys(resolveOrReport(target)?.outputs ?? {})) names.add(o);
    jobOutputs.set(id, names);
  }

  const wfConcurrency = wf['concurrency'];
  const anyTarget = Object.values(jobs).some(
    (j) => isMap(j) && [...roleOf(j, own)].some((r) => r === 'deploy' || r === 'cleanup'),
  );
  if (anyTarget && isObj(wfConcurrency) && wfConcurrency['cancel-in-progress'] !== false) {
    add(
      'concurrency',
      'concurrency',
      'workflow-level concurrency with cancel-in-progress would cancel a running deploy mid-helm (stuck pending-upgrade release): set it false or use job-level concurrency',
    );
  }

  // --- declared contexts of a reusable workflow
  const checkContexts = (at: string, path: string, s: string): void => {
    for (const e of exprText(path, s)) {
      if (callInputs) {
        for (const m of e.matchAll(/(?<![\w.-])inputs\.([A-Za-z_][\w-]*)/g)) {
          if (!callInputs.includes(m[1] as string))
            add(at, 'undeclared-context', `inputs.${m[1]} is not declared in on.workflow_call.inputs`);
        }
      }
      if (callSecrets) {
        for (const m of e.matchAll(/(?<![\w.-])secrets\.([A-Za-z_][\w-]*)/g)) {
          if (m[1] !== 'GITHUB_TOKEN' && !callSecrets.includes(m[1] as string))
            add(at, 'undeclared-context', `secrets.${m[1]} is not declared in on.workflow_call.secrets`);
        }
      }
    }
  };

  if (call && isObj(call['outputs'])) {
    for (const [name, def] of Object.entries(call['outputs'] as Obj)) {
      const value = isObj(def) ? String(def['value'] ?? '') : '';
      for (const e of expressions(value)) {
        for (const [j, o] of refs(e, 'jobs', 'outputs')) {
          if (!jobOutputs.has(j))
            add(`on.workflow_call.outputs.${name}`, 'workflow-output', `jobs.${j} does not exist`);
          else if (!jobOutputs.get(j)?.has(o))
            add(`on.workflow_call.outputs.${name}`, 'workflow-output', `job ${j} declares no output ${o}`);
        }
      }
    }
  }

  // cluster credentials of fixed targets (staging, production, tenants): read only behind an environment
  const envSecrets = new Set(call ? environmentSecretsOf(jobs) : []);
  for (const name of envSecrets) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name))
      add(
        `on.workflow_call.secrets.${name}`,
        'environment-secret',
        `${name} holds cluster credentials of a fixed target: name it as an environment secret can be named (A-Z, 0-9, _), so the deploy jobs read it from their environment`,
      );
    const def = callSecrets?.includes(name) && isObj(call?.['secrets']) ? (call?.['secrets'] as Obj)[name] : undefined;
    if (isObj(def) && def['required'] === true)
      add(
        `on.workflow_call.secrets.${name}`,
        'environment-secret',
        `${name} is an environment secret: the caller maps it to itself and hands over no value, so it cannot be required`,
      );
  }

  const ownRefs = new Set<string>();
  for (const [id, job] of Object.entries(jobs)) {
    const at = `jobs.${id}`;
    if (!isMap(job)) continue;
    const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
    const roles = roleOf(job, own);

    // an environment secret is read only by jobs that declare an environment (presence tests aside)
    if (envSecrets.size > 0 && !job.environment) {
      for (const [path, s] of strings(job, '')) {
        for (const e of exprText(path, s)) {
          for (const m of e.matchAll(/(?<![\w.-])secrets\.([A-Za-z_][\w-]*)/g)) {
            const name = m[1] as string;
            if (envSecrets.has(name) && !PRESENCE_TEST(name).test(e))
              add(
                `${at}.${path}`,
                'environment-secret',
                `secrets.${name} (cluster credentials) in a job that declares no environment: only a job behind the environment's protection rules may read it`,
              );
          }
        }
      }
    }

    // needs.X.outputs.Y and contexts, everywhere in the job
    for (const [path, s] of strings(job, '')) {
      for (const e of exprText(path, s)) {
        for (const [x, y] of refs(e, 'needs', 'outputs')) {
          if (!needs.includes(x))
            add(`${at}.${path}`, 'needs-output', `needs.${x}.outputs.${y}: ${x} is not in this job's needs`);
          else if (!jobOutputs.has(x))
            add(`${at}.${path}`, 'needs-output', `needs.${x}.outputs.${y}: there is no job ${x}`);
          else if (!jobOutputs.get(x)?.has(y))
            add(
              `${at}.${path}`,
              'needs-output',
              `needs.${x}.outputs.${y}: job ${x} declares no output ${y} (it has: ${[...(jobOutputs.get(x) ?? [])].join(', ') || 'none'})`,
            );
        }
      }
      checkContexts(`${at}.${path}`, path, s);
    }

    // permissions of the job (a caller of our reusable workflow: exactly what its jobs need)
    const callee = job.uses && own(job.uses) ? resolveOrReport(own(job.uses) as string) : undefined;
    if (callee?.permissions) {
      const given = isObj(job.permissions) ? (job.permissions as Record<string, string>) : {};
      if (job.permissions !== undefined && !isObj(job.permissions))
        add(
          `${at}.permissions`,
          'permissions-job',
          `permissions must be a map of minimal grants, not ${JSON.stringify(job.permissions)}`,
        );
      for (const [scope, level] of Object.entries(callee.permissions)) {
        if (given[scope] !== level && !(level === 'read' && given[scope] === 'write'))
          add(
            `${at}.permissions`,
            'permissions-job',
            `${job.uses} has jobs that need ${scope}: ${level}; grant it here (a called job cannot get more than its caller)`,
          );
      }
      for (const [scope, level] of Object.entries(given)) {
        const need = callee.permissions[scope];
        if (level !== 'none' && (!need || (level === 'write' && need === 'read')))
          add(
            `${at}.permissions`,
            'permissions-job',
            `${scope}: ${level} is more than ${job.uses} needs (${need ? `${scope}: ${need}` : 'nothing'})`,
          );
      }
    } else if (job.permissions !== undefined) {
      if (!isObj(job.permissions)) {
        add(
          `${at}.permissions`,
          'permissions-job',
          `permissions must be a map of minimal grants, not ${JSON.stringify(job.permissions)}`,
        );
      } else {
        for (const [scope, level] of Object.entries(job.permissions)) {
          if (level !== 'write') continue;
          const grant = WRITE_GRANTS[scope];
          const allowed = grant ? (Array.isArray(grant.role) ? grant.role : [grant.role]) : [];
          if (!grant)
            add(`${at}.permissions`, 'permissions-job', `${scope}: write is not needed by any step of our workflows`);
          else if (!allowed.some((r) => roles.has(r)))
            add(
              `${at}.permissions`,
              'permissions-job',
              `${scope}: write on a job that is not the ${allowed.join(' or ')} job (${grant.why})`,
            );
        }
      }
    }

    // a call of a reusable workflow
    if (job.uses) {
      const target = own(job.uses);
      if (target) {
        if (job.uses.startsWith(prefix)) ownRefs.add(job.uses.replace(/^[^@]*@?/, ''));
        const iface = resolveOrReport(target);
        if (!iface)
          add(
            at,
            'unknown-action',
            `${job.uses}: ${broken.has(target) ? `its interface does not parse (${broken.get(target)})` : 'no such reusable workflow'}`,
          );
        else {
          checkWith(at, job.uses, job.with, iface);
          if (job.secrets === 'inherit')
            add(
              `${at}.secrets`,
              'secrets-inherit',
              'secrets: inherit hands every secret to the called workflow: map the ones it declares',
            );
          else {
            const given = isObj(job.secrets) ? Object.keys(job.secrets) : [];
            for (const k of given)
              if (!(k in (iface.secrets ?? {})))
                add(
                  `${at}.secrets`,
                  'unknown-input',
                  `${job.uses} declares no secret ${k} (it has: ${Object.keys(iface.secrets ?? {}).join(', ') || 'none'})`,
                );
            for (const k of iface.environmentSecrets ?? []) {
              const v = isObj(job.secrets) ? String((job.secrets as Obj)[k] ?? '') : '';
              if (!new RegExp(`^\\$\\{\\{\\s*secrets\\.${k}\\s*\\}\\}$`).test(v.trim())) {
                add(
                  `${at}.secrets.${k}`,
                  'environment-secret',
                  `${k} is an environment secret of the environments ${job.uses} deploys to: map it to itself (${k}: \${{ secrets.${k} }}), which hands over no value and lets those jobs read it from their environment`,
                );
              }
            }
            for (const [k, v] of Object.entries(iface.secrets ?? {}))
              if (v.required && !given.includes(k))
                add(`${at}.secrets`, 'missing-input', `${job.uses} requires the secret ${k}`);
          }
        }
      } else if (job.secrets === 'inherit') {
        add(
          `${at}.secrets`,
          'secrets-inherit',
          'secrets: inherit hands every secret to the called workflow: map the ones it declares',
        );
      }
      continue; // a caller job has no steps, timeout or concurrency of its own
    }

    if (job['timeout-minutes'] === undefined)
      add(
        at,
        'timeout',
        'every job needs timeout-minutes (a hung helm --wait or cosign would hold the runner for 6 hours)',
      );

    if (roles.has('deploy') || roles.has('cleanup')) {
      const c = job.concurrency;
      if (!isObj(c) || typeof c['group'] !== 'string' || !c['group'] || c['cancel-in-progress'] !== false) {
        add(
          `${at}.concurrency`,
          'concurrency',
          'a job that changes a deploy target needs concurrency: { group: <per PR or target>, cancel-in-progress: false } (a cancelled helm upgrade leaves the release pending)',
        );
      }
    }
    if (roles.has('deploy') && !forkGuarded(typeof job.if === 'string' ? job.if : '')) {
      add(
        `${at}.if`,
        'fork-guard',
        "a deploy job must skip fork PRs and pull_request_target: if: github.event_name != 'pull_request_target' && (github.event.pull_request == null || github.event.pull_request.head.repo.full_name == github.event.pull_request.base.repo.full_name)",
      );
    }

    // steps
    const stepIds = new Map<string, Step>();
    const checkStepOutputs = (where: string, path: string, s: string, known: Map<string, Step>): void => {
      for (const e of exprText(path, s)) {
        for (const [sid, o] of refs(e, 'steps', 'outputs')) {
          const step = known.get(sid);
          if (!step) {
            add(where, 'step-output', `steps.${sid}.outputs.${o}: no earlier step with id ${sid} in job ${id}`);
            continue;
          }
          const target = own(step.uses);
          if (target) {
            const iface = resolveOrReport(target);
            if (iface && !(o in iface.outputs))
              add(
                where,
                'step-output',
                `steps.${sid}.outputs.${o}: ${target} declares no output ${o} (it has: ${Object.keys(iface.outputs).join(', ')})`,
              );
          } else if (
            step.run !== undefined &&
            !new RegExp(`(^|[\\s"'{])${o.replace(/[-]/g, '\\-')}(=|<<)`, 'm').test(step.run)
          ) {
            add(
              where,
              'step-output',
              `steps.${sid}.outputs.${o}: the run step ${sid} never writes ${o} to $GITHUB_OUTPUT`,
            );
          }
        }
      }
    };
    (job.steps ?? []).forEach((step, n) => {
      const sat = `${at}.steps[${n}]${step.id ? `(${step.id})` : ''}`;
      if (!isMap(step)) return;
      for (const [path, s] of strings(step, '')) checkStepOutputs(`${sat}.${path}`, path, s, stepIds);
      if (step.id) stepIds.set(step.id, step);

      if (typeof step.run === 'string') {
        for (const e of expressions(step.run)) {
          if (!TRUSTED_IN_RUN.test(e))
            add(
              `${sat}.run`,
              'untrusted-in-run',
              `\${{ ${e} }} inside run: is spliced into the script before it runs (script injection): pass it through env: and use "$VAR"`,
            );
        }
      }
      if (!step.uses) return;
      const target = own(step.uses);
      if (call && (step.uses.startsWith(prefix) || (step.uses.startsWith('./') && !OWN_USES.test(step.uses)))) {
        add(
          `${sat}.uses`,
          'own-commit',
          step.uses.startsWith(prefix)
            ? `${step.uses}: a reusable workflow runs our actions from its own commit (./${OWN_PATH}/<action> after the own-commit checkout), never from a ref that may move`
            : `${step.uses}: in a reusable workflow ./ is the caller's repository; our actions come from ./${OWN_PATH}/<action>`,
        );
      }
      if (OWN_USES.test(step.uses)) {
        const checkout = (job.steps ?? []).slice(0, n).find((p) => isMap(p) && ownCheckout(p, id, job, needs) === true);
        if (!checkout) {
          const why = (job.steps ?? [])
            .slice(0, n)
            .map((p) => (isMap(p) ? ownCheckout(p, id, job, needs) : false))
            .find((r) => typeof r === 'string');
          add(
            sat,
            'own-commit',
            `${step.uses} needs, earlier in job ${id}, the checkout of polyglot-cd at the workflow's own commit: actions/checkout with path ${OWN_PATH}, repository and ref from job.workflow_repository and job.workflow_sha (needs.<own-commit job>.outputs.repository and .sha, checked by that job), persist-credentials: false${why ? ` (${why})` : ''}`,
          );
        }
      }
      if (target) {
        if (step.uses.startsWith(prefix)) ownRefs.add(step.uses.replace(/^[^@]*@?/, ''));
        const iface = resolveOrReport(target);
        if (!iface)
          add(
            sat,
            'unknown-action',
            `${step.uses}: ${broken.has(target) ? `${target}/action.yml does not parse (${broken.get(target)})` : `there is no ${target}/action.yml`}`,
          );
        else checkWith(sat, step.uses, step.with, iface);
        return;
      }
      if (step.uses.startsWith('docker://')) return;
      if (!/@[0-9a-f]{40}$/.test(step.uses))
        add(
          sat,
          'unpinned',
          `${step.uses}: third-party actions must be pinned to a full 40-hex commit SHA (a tag can be moved to malicious code)`,
        );
      if (
        step.uses.startsWith('actions/checkout@') &&
        !(
          isObj(step.with) &&
          (step.with['persist-credentials'] === false || step.with['persist-credentials'] === 'false')
        )
      ) {
        add(
          sat,
          'persist-credentials',
          'actions/checkout must set persist-credentials: false (the token would stay in .git/config for every later step)',
        );
      }
      if (
        step.uses.startsWith('actions/github-script@') &&
        isObj(step.with) &&
        typeof step.with['script'] === 'string'
      ) {
        for (const e of expressions(step.with['script'])) {
          if (!TRUSTED_IN_RUN.test(e))
            add(
              `${sat}.with.script`,
              'untrusted-in-run',
              `\${{ ${e} }} inside a github-script script is spliced into the code (script injection): pass it through env: and read process.env`,
            );
        }
      }
    });
    if (isObj(job.outputs)) {
      for (const [name, v] of Object.entries(job.outputs))
        checkStepOutputs(`${at}.outputs.${name}`, `outputs.${name}`, String(v), stepIds);
    }
  }

  /**
   * true when `step` is the checkout of polyglot-cd at the workflow's own commit; a string saying what is
   * wrong when it is a checkout into .polyglot-cd that is not; false for any other step.
   */
  function ownCheckout(step: Step, jobId: string, job: Job, needs: string[]): true | string | false {
    if (!step.uses?.startsWith('actions/checkout@') || !isObj(step.with)) return false;
    const w = step.with;
    if (String(w['path'] ?? '').replace(/^\.\/|\/$/g, '') !== OWN_PATH) return false;
    if (!(w['persist-credentials'] === false || w['persist-credentials'] === 'false'))
      return `the checkout into ${OWN_PATH} keeps the token in .git/config`;
    const fromClaims = (key: 'repository' | 'sha', value: unknown): boolean => {
      const m = /^\$\{\{\s*(?:needs\.([\w-]+)|steps\.([\w-]+))\.outputs\.([\w-]+)\s*\}\}$/.exec(
        String(value ?? '').trim(),
      );
      if (!m) return false;
      if (m[2]) {
        const s = (job.steps ?? []).find((x) => isMap(x) && x.id === m[2]);
        return isOwnCommitStep(s) && m[3] === key;
      }
      const j = jobs[m[1] as string];
      if (!needs.includes(m[1] as string) || !isMap(j) || !isObj(j?.outputs)) return false;
      const out = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(
        String((j.outputs as Obj)[m[3] as string] ?? '').trim(),
      );
      return !!out && out[2] === key && isOwnCommitStep((j.steps ?? []).find((x) => isMap(x) && x.id === out[1]));
    };
    if (!fromClaims('repository', w['repository']))
      return `repository must be the own-commit step's repository output, not ${JSON.stringify(w['repository'] ?? '(this repository)')}`;
    if (!fromClaims('sha', w['ref']))
      return `ref must be the own-commit step's sha output, not ${JSON.stringify(w['ref'] ?? '(the default branch)')}`;
    void jobId;
    return true;
  }

  function checkWith(at: string, uses: string, given: unknown, iface: Interface): void {
    const keys = isObj(given) ? Object.keys(given) : [];
    for (const k of keys) {
      if (!(k in iface.inputs))
        add(
          `${at}.with.${k}`,
          'unknown-input',
          `${uses} declares no input ${k} (it has: ${Object.keys(iface.inputs).join(', ')})`,
        );
    }
    for (const [k, v] of Object.entries(iface.inputs)) {
      if (v.required && (v.default === undefined || v.default === null) && !keys.includes(k))
        add(`${at}.with`, 'missing-input', `${uses} requires the input ${k}`);
    }
  }

  // pin comments: the parsed document has none, so look at the raw lines
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s*)?uses:\s*([^\s#]+)\s*(#.*)?$/.exec(line);
    if (!m) return;
    const uses = (m[1] as string).replace(/^['"]|['"]$/g, '');
    if (own(uses) || uses.startsWith('docker://')) return;
    if (/@[0-9a-f]{40}$/.test(uses) && !/^#\s*v\d+(\.\d+)*\S*\s*$/.test(m[2] ?? '')) {
      add(
        `line ${i + 1}`,
        'pin-comment',
        `${uses}: a pinned SHA needs its version as a comment (# vX.Y.Z) so reviews and Dependabot can read it`,
      );
    }
  });

  if (ownRefs.size > 1)
    add(
      '',
      'own-ref',
      `our own actions are used at several refs (${[...ownRefs].sort().join(', ')}): use one ref, the one the release bumps`,
    );
  return findings;
}

/** One ref for our own actions across all workflows: returns a finding per workflow that differs from the majority. */
export function checkOwnRefs(files: { file: string; text: string }[], prefix = OWN_PREFIX): Finding[] {
  const byRef = new Map<string, string[]>();
  for (const { file, text } of files) {
    for (const m of text.matchAll(/uses:\s*['"]?([^\s'"#]+)/g)) {
      const uses = m[1] as string;
      if (!uses.startsWith(prefix)) continue;
      const ref = uses.includes('@') ? uses.slice(uses.indexOf('@') + 1) : '';
      byRef.set(ref, [...(byRef.get(ref) ?? []), file]);
    }
  }
  if (byRef.size <= 1) return [];
  const [main] = [...byRef.entries()].sort((a, b) => b[1].length - a[1].length)[0] as [string, string[]];
  const out: Finding[] = [];
  for (const [ref, where] of byRef) {
    if (ref === main) continue;
    for (const file of new Set(where))
      out.push({
        file,
        at: '',
        rule: 'own-ref',
        message: `uses our actions at @${ref || '(no ref)'} while the other workflows use @${main}: one ref, bumped by the release`,
      });
  }
  return out;
}

/**
 * The secrets a reusable workflow hands to helm-deploy as the kubeconfig of a fixed namespace (not a
 * pull request's pr-<N>): production and staging credentials, which must be environment secrets.
 */
function environmentSecretsOf(jobs: Record<string, Job>): string[] {
  const out = new Set<string>();
  for (const job of Object.values(jobs)) {
    if (!isMap(job)) continue;
    for (const step of job.steps ?? []) {
      if (!isMap(step) || !isObj(step.with)) continue;
      const action =
        OWN_USES.exec(step.uses ?? '')?.[1] ??
        (step.uses?.startsWith(OWN_PREFIX) ? step.uses.slice(OWN_PREFIX.length).replace(/@.*$/, '') : undefined);
      if (action !== 'helm-deploy' || step.with['pr-number'] !== undefined) continue;
      for (const m of String(step.with['kubeconfig'] ?? '').matchAll(/secrets\.([A-Za-z_][\w-]*)/g))
        out.add(m[1] as string);
    }
  }
  return [...out];
}

/** An Interface from an action.yml or a reusable workflow's text. */
export function interfaceOf(text: string): Interface | undefined {
  const doc = parse(text);
  if (!isObj(doc)) return undefined;
  if (isObj(doc['runs'])) {
    return {
      inputs: (isObj(doc['inputs']) ? doc['inputs'] : {}) as Interface['inputs'],
      outputs: isObj(doc['outputs']) ? doc['outputs'] : {},
    };
  }
  const on = doc['on'];
  const call =
    isObj(on) && isObj(on['workflow_call'])
      ? (on['workflow_call'] as Obj)
      : isObj(on) && 'workflow_call' in on
        ? {}
        : undefined;
  if (!call) return undefined;
  const permissions: Record<string, 'read' | 'write'> = {};
  for (const job of Object.values(isObj(doc['jobs']) ? doc['jobs'] : {})) {
    if (!isObj(job) || !isObj(job['permissions'])) continue;
    for (const [scope, level] of Object.entries(job['permissions'])) {
      if (level === 'write') permissions[scope] = 'write';
      else if (level === 'read' && permissions[scope] !== 'write') permissions[scope] = 'read';
    }
  }
  return {
    inputs: (isObj(call['inputs']) ? call['inputs'] : {}) as Interface['inputs'],
    outputs: isObj(call['outputs']) ? call['outputs'] : {},
    secrets: (isObj(call['secrets']) ? call['secrets'] : {}) as Interface['secrets'],
    permissions,
    environmentSecrets: environmentSecretsOf((isObj(doc['jobs']) ? doc['jobs'] : {}) as Record<string, Job>),
  };
}
