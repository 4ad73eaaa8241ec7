// A local runner for our reusable workflows: it reads the workflow file (validated by GitHub's
// @actions/workflow-parser, which refuses a file with a schema error) and runs its jobs in `needs`
// order the way GitHub does (job and step `if:` with the implicit success(), matrix legs, job outputs,
// `needs.*`, `steps.*`, `env`, `${{ }}` expressions), so `polyglot-cd pipeline` runs exactly what
// pr-preview.yml says. Steps:
// - `run:` steps run in bash (`bash --noprofile --norc -eo pipefail`, GitHub's default shell) with
//   GITHUB_OUTPUT / GITHUB_ENV / RUNNER_TEMP files of their own;
// - our actions (`./.polyglot-cd/<action>`, checked out on GitHub at the workflow's own commit) run
//   from this working tree's bundles (dist/<action>/index.js) through `runAction`: the working tree is
//   the commit of the workflow file being run (`job.workflow_repository`, `job.workflow_sha` and
//   `job.workflow_file_path` name it, from `workflowIdentity`), so the checkout into .polyglot-cd is
//   shown as skipped;
// - actions/upload-artifact and actions/download-artifact keep artifacts in a directory of the run;
// - environment secrets (`environmentSecrets`) reach only the jobs that declare that environment;
// - any other action needs GitHub itself (checkout: your working tree is used; code scanning; the REST
//   API; attestations) and is shown as skipped with the reason, never as passed;
// - a job the caller names in `skipJob` (the release dry run: the jobs that publish) is shown as
//   skipped with the caller's reason.
// Jobs run one after the other; the matrix legs of a job run at once (at most the cores and
// strategy.max-parallel; fail-fast, GitHub's default, stops starting legs once one failed), each in
// jobs/<job>-<leg index>, its lines printed as one block when it ends.
// workflow_dispatch workflows (release.yml) run the same way, with the inputs they declare.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { evaluateIf, interpolate, interpolateDeep, toText, truthy } from './expressions.ts';
import type { EvalContext, Status, Value } from './expressions.ts';
import { parseFileCommands } from './file-commands.ts';

/** Where the reusable workflows check out polyglot-cd at their own commit; `uses: ./.polyglot-cd/<action>`. */
export const OWN_PATH = '.polyglot-cd';
const OWN_USES = /^\.\/\.polyglot-cd\/([a-z0-9-]+)\/?$/;

/** Why a third-party action does not run locally (shown on the skipped step). */
const SKIPPED_ACTIONS: Record<string, string> = {
  'actions/checkout': 'the local pipeline builds your working tree as it is',
  'github/codeql-action/upload-sarif': 'code scanning is a GitHub service',
  'actions/github-script': 'it calls the GitHub REST API',
  'actions/attest-build-provenance': "an attestation is signed with the job's GitHub OIDC token and stored by GitHub",
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: unknown;
  run?: string;
  uses?: string;
  with?: Obj;
  env?: Obj;
  'continue-on-error'?: unknown;
}

export type JobEnvironment = string | { name: string; url?: string };

export interface WorkflowJob {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  uses?: string;
  'runs-on'?: unknown;
  permissions?: Record<string, string> | string;
  strategy?: unknown;
  outputs?: Record<string, string>;
  environment?: JobEnvironment;
  env?: Obj;
  steps?: WorkflowStep[];
}

interface InputDef {
  type?: string;
  required?: boolean;
  default?: unknown;
}

interface Trigger {
  inputs?: Record<string, InputDef | null>;
  secrets?: Record<string, { required?: boolean } | null>;
  outputs?: Record<string, { value?: string }>;
}

export interface Workflow {
  name?: string;
  on?: { workflow_call?: Trigger | null; workflow_dispatch?: Trigger | null } & Obj;
  jobs?: Record<string, WorkflowJob>;
}

/** One step as the report shows it. */
export interface StepRecord {
  job: string;
  step: string;
  outcome: 'success' | 'failure' | 'skipped';
  reason: string;
  detail?: string;
  secs: number;
  summary: string;
  outputs: Record<string, string>;
  action: string | null;
}

/** One job as the report shows it (a matrix job: all its legs' steps). */
export interface JobReport {
  id: string;
  name: string;
  result: 'success' | 'failure' | 'skipped';
  reason?: string;
  outputs: Record<string, string>;
  environment: { name: string; url: string } | null;
  steps: StepRecord[];
  started: number;
  secs: number;
}

export interface WorkflowResult {
  result: 'success' | 'failure';
  jobs: JobReport[];
  outputs: Record<string, string>;
}

/** What a finished need shows to the jobs that need it (`needs.<id>`). */
export interface NeedResult {
  result: string;
  outputs: Record<string, string>;
}

/** What runAction resolves to: the action's exit code, its outputs and its job summary. */
export interface ActionResult {
  code: number;
  outputs: Record<string, string>;
  summary: string;
}

export interface WorkflowIdentity {
  repository?: string;
  sha?: string;
  file_path?: string;
}

export interface RunWorkflowOptions {
  file: string;
  inputs?: Record<string, unknown>;
  secrets?: Record<string, string>;
  github?: unknown;
  runDir: string;
  runAction: (
    action: string,
    opts: {
      inputs: Record<string, string>;
      env: Record<string, string>;
      /** the leg's line printer (masked; held with the leg's other lines while legs run at once) */
      out: (line: string) => void;
    },
  ) => ActionResult | Promise<ActionResult>;
  skipAction?: (action: string) => string | undefined;
  skipJob?: (id: string, job: WorkflowJob, needs: Record<string, NeedResult>) => string | undefined;
  approve?: (environment: string) => boolean | undefined;
  environmentSecrets?: Record<string, Record<string, string>>;
  workflowIdentity?: WorkflowIdentity;
  baseEnv?: Record<string, string | undefined>;
  out?: (line: string) => void;
  mask?: (text: string) => string;
  /** at most this many matrix legs of a job at once (default: os.availableParallelism()) */
  parallelism?: number;
}

type WorkflowParser = typeof import('@actions/workflow-parser');
let workflowParser: Promise<WorkflowParser> | undefined;

/**
 * GitHub's workflow parser. Its package imports its JSON schema without an import attribute, which
 * Node's own loader refuses; a load hook gives that one import the attribute before the package loads.
 */
function loadWorkflowParser(): Promise<WorkflowParser> {
  if (!workflowParser) {
    registerHooks({
      load(url, context, next) {
        if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/') && !context.importAttributes?.type)
          return next(url, {
            ...context,
            format: 'json',
            importAttributes: { ...context.importAttributes, type: 'json' },
          });
        return next(url, context);
      },
    });
    workflowParser = import('@actions/workflow-parser');
  }
  return workflowParser;
}

/** The errors GitHub's workflow parser finds in a workflow file (schema, expressions, job references). */
export async function validateWorkflow(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await loadWorkflowParser();
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value && parsed.context.errors.count === 0) await convertWorkflowTemplate(parsed.context, parsed.value);
  return parsed.context.errors.getErrors().map((e) => e.message);
}

/** Reads a workflow file: refused with the parser's messages when GitHub would refuse it, else its YAML. */
export async function loadWorkflow(file: string): Promise<Workflow> {
  const content = readFileSync(file, 'utf8');
  const errors = await validateWorkflow(basename(file), content);
  if (errors.length)
    throw new Error(`${file} is not a valid workflow (@actions/workflow-parser):\n  ${errors.join('\n  ')}`);
  const wf: unknown = parse(content);
  if (!isObj(wf)) throw new Error(`${file} is not a workflow: its YAML is not a mapping`);
  return wf as Workflow;
}

/** Jobs in an order where every job comes after its needs. */
export function jobOrder(jobs: Record<string, WorkflowJob>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`needs cycle: ${[...path, id].join(' → ')}`);
    const job = jobs[id];
    if (!job) throw new Error(`job ${path.at(-1)} needs ${id}, which does not exist`);
    state.set(id, 'visiting');
    for (const n of needsOf(job)) visit(n, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

type MatrixLeg = Record<string, Value>;

/** The legs of a job's matrix (cartesian product; include/exclude as GitHub applies them). */
export function matrixLegs(strategy: unknown, ctx: EvalContext): (MatrixLeg | null)[] {
  if (!isObj(strategy) || strategy['matrix'] === undefined) return [null];
  const m = interpolateDeep(strategy['matrix'], ctx);
  if (!isObj(m)) throw new Error(`strategy.matrix must be a mapping, got ${JSON.stringify(m)}`);
  const keys = Object.keys(m).filter((k) => k !== 'include' && k !== 'exclude');
  let legs: MatrixLeg[] = [{}];
  for (const k of keys) {
    const values = m[k];
    if (!Array.isArray(values)) throw new Error(`matrix.${k} must be a list, got ${JSON.stringify(values)}`);
    if (values.length === 0) throw new Error(`matrix.${k} is empty`);
    legs = legs.flatMap((leg) => values.map((v: Value) => ({ ...leg, [k]: v })));
  }
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const exclude = m['exclude'];
  if (Array.isArray(exclude))
    legs = legs.filter(
      (leg) => !exclude.some((ex: unknown) => isObj(ex) && Object.entries(ex).every(([k, v]) => same(leg[k], v))),
    );
  const include = m['include'];
  if (Array.isArray(include)) for (const inc of include) if (isObj(inc)) legs.push(inc as MatrixLeg);
  return legs;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function copyInto(src: string, destDir: string): void {
  mkdirSync(destDir, { recursive: true });
  if (statSync(src).isDirectory()) cpSync(src, destDir, { recursive: true });
  else cpSync(src, join(destDir, basename(src)));
}

const envName = (env: JobEnvironment): unknown => (isObj(env) ? env.name : env);
const asText = (v: Value): Record<string, string> =>
  isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toText(x)])) : {};

/**
 * Runs a workflow_call workflow, or a workflow_dispatch one (its inputs; it declares no secrets).
 * opts: { file, inputs, secrets, github (context), runDir, runAction(action, { inputs, env }),
 *         skipAction(action) → reason | undefined, skipJob(id, job, needs) → reason | undefined (the job is
 *         shown as skipped with that reason, like one whose if: is false, and so are the jobs that
 *         need it), approve(environment) → false to reject a job's
 *         deployment (default: approved), environmentSecrets ({ <environment>: { NAME: value } }),
 *         workflowIdentity ({ repository, sha, file_path }: what the job context's workflow_*
 *         properties say; without it they are empty, as on a GitHub that has none), baseEnv,
 *         out (line printer), mask(text), parallelism (most matrix legs of a job at once; default: the cores) }
 * The file is validated by GitHub's workflow parser first: a workflow GitHub would refuse is refused.
 */
export async function runWorkflow(opts: RunWorkflowOptions): Promise<WorkflowResult> {
  const wf = await loadWorkflow(opts.file);
  const call: Trigger = wf.on?.workflow_call ?? wf.on?.workflow_dispatch ?? {};
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const mask = opts.mask ?? ((s: string) => s);
  const wfName = typeof wf.name === 'string' ? wf.name : basename(opts.file);

  // inputs with their declared defaults and types
  const inputs: Record<string, unknown> = {};
  for (const [k, def] of Object.entries(call.inputs ?? {})) {
    const given = opts.inputs?.[k];
    if (given === undefined && def?.required) throw new Error(`the workflow needs the input ${k}`);
    let v = given ?? def?.default ?? (def?.type === 'boolean' ? false : def?.type === 'number' ? 0 : '');
    if (def?.type === 'boolean' && typeof v === 'string') v = v === 'true';
    if (def?.type === 'number' && typeof v === 'string') v = Number(v);
    inputs[k] = v;
  }
  for (const k of Object.keys(opts.inputs ?? {}))
    if (!(k in inputs)) throw new Error(`the workflow declares no input ${k}`);
  const secrets: Record<string, string> = {};
  for (const [k, def] of Object.entries(call.secrets ?? {})) {
    const v = opts.secrets?.[k];
    // as on GitHub, a required secret must be passed, but it may be empty (fork PRs get none)
    if (v === undefined && def?.required) throw new Error(`the workflow needs the secret ${k}`);
    secrets[k] = v ?? '';
  }

  const artifacts = join(opts.runDir, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const results: Record<string, NeedResult> = {};
  const report: JobReport[] = [];
  const jobs = wf.jobs ?? {};

  for (const id of jobOrder(jobs)) {
    const job = jobs[id] as WorkflowJob;
    const needs: Record<string, NeedResult> = Object.fromEntries(
      needsOf(job).map((n) => [n, results[n] ?? { result: 'skipped', outputs: {} }]),
    );
    const needResults = Object.values(needs).map((n) => n.result);
    const jobStatus: Status = {
      success: () => needResults.every((r) => r === 'success'),
      failure: () => needResults.some((r) => r === 'failure'),
      cancelled: () => false,
    };
    // a job that declares an environment reads that environment's secrets, which win over the
    // caller's of the same name (a job without one never sees them)
    let jobSecrets = secrets;
    if (job.environment && opts.environmentSecrets) {
      const name = toText(
        interpolate(envName(job.environment), {
          contexts: { github: opts.github, inputs, needs, vars: {}, matrix: {} },
        }),
      );
      jobSecrets = { ...secrets, ...(opts.environmentSecrets[name] ?? {}) };
    }
    const runner = { os: 'Linux', arch: 'X64', temp: '' };
    const base = { github: opts.github, inputs, secrets: jobSecrets, needs, vars: {}, runner, env: {} };
    const entry: JobReport = {
      id,
      name: id,
      result: 'skipped',
      outputs: {},
      environment: null,
      steps: [],
      started: Date.now(),
      secs: 0,
    };
    report.push(entry);
    if (job.uses) throw new Error(`job ${id} calls another workflow (${job.uses}); the local runner runs steps only`);
    const skipReason = opts.skipJob?.(id, job, needs);
    if (skipReason) {
      entry.name = toText(interpolate(job.name ?? id, { contexts: { ...base, matrix: {} } })) || id;
      entry.reason = skipReason;
      out(`○ ${entry.name}: skipped (${skipReason})`);
      results[id] = { result: 'skipped', outputs: {} };
      continue;
    }
    if (!evaluateIf(job.if, { contexts: base, status: jobStatus })) {
      entry.name = toText(interpolate(job.name ?? id, { contexts: { ...base, matrix: {} } })) || id;
      out(`○ ${entry.name}: skipped (if: ${String(job.if ?? 'success()').trim()})`);
      results[id] = { result: 'skipped', outputs: {} };
      continue;
    }
    const failed = await runLegs({ opts, id, job, base, runner, entry, wfName, artifacts, out, mask });
    entry.result = failed ? 'failure' : 'success';
    entry.secs = (Date.now() - entry.started) / 1000;
    results[id] = { result: entry.result, outputs: entry.outputs };
  }
  const outputs: Record<string, string> = {};
  for (const [k, def] of Object.entries(call.outputs ?? {}))
    outputs[k] = toText(interpolate(def.value ?? '', { contexts: { jobs: results } }));
  const result = report.some((j) => j.result === 'failure') ? 'failure' : 'success';
  return { result, jobs: report, outputs };
}

/** What the legs of one job share: the run's options, the job, the contexts every leg starts from. */
interface JobScope {
  opts: RunWorkflowOptions;
  id: string;
  job: WorkflowJob;
  base: Record<string, unknown>;
  runner: { os: string; arch: string; temp: string };
  entry: JobReport;
  wfName: string;
  artifacts: string;
  out: (line: string) => void;
  mask: (text: string) => string;
}

/** A leg's place in its job's matrix: the `strategy` context it sees. */
interface LegStrategy {
  'fail-fast': boolean;
  'job-index': number;
  'job-total': number;
  'max-parallel': number;
}

/** One leg as it ended: its steps, whether it failed, and what it sets on the job. */
interface LegResult {
  name: string;
  jobName: string;
  records: StepRecord[];
  failed: boolean;
  outputs: Record<string, string>;
  environment: JobReport['environment'];
}

/** strategy.fail-fast (GitHub's default: true) and strategy.max-parallel (unset: no limit of its own). */
function strategyLimits(strategy: unknown, ctx: EvalContext): { failFast: boolean; maxParallel?: number } {
  const s = isObj(strategy) ? strategy : {};
  const ff = interpolate(s['fail-fast'] ?? true, ctx);
  const failFast = ff !== 'false' && truthy(ff);
  if (s['max-parallel'] === undefined) return { failFast };
  const mp = interpolate(s['max-parallel'], ctx);
  const maxParallel = typeof mp === 'string' && mp.trim() !== '' ? Number(mp) : mp;
  if (typeof maxParallel !== 'number' || !Number.isInteger(maxParallel) || maxParallel < 1)
    throw new Error(`strategy.max-parallel must be a whole number of at least 1, got ${JSON.stringify(mp)}`);
  return { failFast, maxParallel };
}

/**
 * Calls run(0) … run(count - 1) in that order, at most `limit` at once, starting none once stop() says
 * so; waits for every started call, then rethrows the first error. Resolves to how many were started.
 */
async function runBounded(
  count: number,
  limit: number,
  stop: () => boolean,
  run: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < count && errors.length === 0 && !stop()) {
      const i = next++;
      try {
        await run(i);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (errors.length) throw errors[0];
  return next;
}

/**
 * Runs a job's matrix legs (a job without a matrix: its one leg) and fills its report; resolves to
 * whether a leg failed. Legs run at once, at most opts.parallelism (default: the cores) and
 * strategy.max-parallel; when more than one can run, each leg's lines are held and printed as one block
 * when it finishes (one leg at a time streams them). The report keeps the legs' steps in matrix order;
 * job outputs and environment come from the last leg to finish (as on GitHub). With fail-fast (GitHub's
 * default), a failed leg stops new legs from starting; those running finish.
 */
async function runLegs(scope: JobScope): Promise<boolean> {
  const { opts, id, job, base, entry, out } = scope;
  const legs = matrixLegs(job.strategy, { contexts: base });
  const { failFast, maxParallel } = strategyLimits(job.strategy, { contexts: base });
  const limit = Math.max(
    1,
    Math.min(opts.parallelism ?? availableParallelism(), maxParallel ?? legs.length, legs.length),
  );
  const buffered = limit > 1;
  const strategy = (i: number): LegStrategy => ({
    'fail-fast': failFast,
    'job-index': i,
    'job-total': legs.length,
    'max-parallel': maxParallel ?? legs.length,
  });
  if (buffered)
    out(
      `▷ ${jobName(job, id, base)}: ${legs.length} legs, ${limit} at once (each leg's output is shown when it finishes)`,
    );
  const ended: LegResult[] = [];
  let failedLeg: string | undefined;
  const started = await runBounded(
    legs.length,
    limit,
    () => failFast && failedLeg !== undefined,
    async (i) => {
      const lines: string[] = [];
      let leg: LegResult;
      try {
        leg = await runLeg(scope, legs[i] ?? null, strategy(i), buffered ? (l) => lines.push(l) : out);
      } finally {
        for (const l of lines) out(l);
      }
      ended[i] = leg;
      if (leg.failed) failedLeg ??= leg.name;
      // the last leg to finish wins (as on GitHub)
      Object.assign(entry.outputs, leg.outputs);
      if (leg.environment) entry.environment = leg.environment;
      entry.name = leg.jobName;
    },
  );
  for (let i = started; i < legs.length; i++) {
    const ctx = { ...base, matrix: legs[i] ?? {}, strategy: strategy(i) };
    const name = toText(interpolate(job.name ?? id, { contexts: ctx })) || id;
    const reason = `fail-fast: ${failedLeg ?? ''} failed`;
    out(`○ ${name}: not started (${reason})`);
    ended[i] = {
      name,
      jobName: entry.name,
      records: [notStarted(name, reason)],
      failed: false,
      outputs: {},
      environment: null,
    };
  }
  entry.steps = ended.flatMap((leg) => leg.records);
  return ended.some((leg) => leg.failed);
}

/** The report's one line for a leg that never started. */
function notStarted(job: string, reason: string): StepRecord {
  return {
    job,
    step: '(leg not started)',
    outcome: 'skipped',
    reason,
    secs: 0,
    summary: '',
    outputs: {},
    action: null,
  };
}

/** The job's name without a matrix (a matrix job's `name: build ${{ matrix.x }}` → `build`). */
function jobName(job: WorkflowJob, id: string, base: Record<string, unknown>): string {
  return toText(interpolate(job.name ?? id, { contexts: { ...base, matrix: {} } })).trim() || id;
}

/** Runs one leg of a job in a directory of its own (jobs/<job>-<leg index>), printing through `out`. */
async function runLeg(
  scope: JobScope,
  matrix: MatrixLeg | null,
  strategy: LegStrategy,
  out: (line: string) => void,
): Promise<LegResult> {
  const { opts, id, job, base, runner } = scope;
  const legDir = join(opts.runDir, 'jobs', `${id}-${strategy['job-index']}`);
  const temp = join(legDir, 'temp');
  mkdirSync(temp, { recursive: true });
  const identity = opts.workflowIdentity ?? {};
  const jobCtx = {
    status: 'success',
    workflow_repository: identity.repository ?? '',
    workflow_sha: identity.sha ?? '',
    workflow_file_path: identity.file_path ?? '',
  };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const ctx = {
    ...base,
    matrix: matrix ?? {},
    strategy,
    runner: { ...runner, temp },
    steps,
    job: jobCtx,
    env: {} as Record<string, Value>,
  };
  const name = toText(interpolate(job.name ?? id, { contexts: ctx })) || id;
  out(`▶ ${name}`);
  const jobEnv = isObj(job.env) ? interpolateDeep(job.env, { contexts: ctx }) : {};
  ctx.env = { ...(isObj(jobEnv) ? jobEnv : {}) };
  const records: StepRecord[] = [];
  let legFailed = false;
  // a protected environment: its reviewers approve (the default here) or reject the job, which
  // then fails without running a step, as on GitHub
  if (job.environment && opts.approve) {
    const approved = toText(interpolate(envName(job.environment), { contexts: ctx }));
    if (opts.approve(approved) === false) {
      out(`  ✘ deployment to environment ${approved} rejected`);
      legFailed = true;
    }
  }
  for (const [n, step] of (legFailed ? [] : (job.steps ?? [])).entries()) {
    const label = step.name
      ? toText(interpolate(step.name, { contexts: ctx }))
      : step.uses
        ? `uses ${step.uses.replace(/@[0-9a-f]{40}$/, '')}`
        : `run ${(String(step.run).split('\n')[0] ?? '').slice(0, 60)}`;
    const record: StepRecord = {
      job: name,
      step: label,
      outcome: 'skipped',
      reason: '',
      secs: 0,
      summary: '',
      outputs: {},
      action: null,
    };
    records.push(record);
    const stepStatus: Status = { success: () => !legFailed, failure: () => legFailed, cancelled: () => false };
    const stepCtx: EvalContext = { contexts: ctx, status: stepStatus };
    if (!evaluateIf(step.if, stepCtx)) {
      record.reason = `if: ${String(step.if ?? 'success()').trim()}`;
      out(`  ○ ${label} skipped (${record.reason})`);
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const started = Date.now();
    const env: Record<string, string> = {
      ...asText(ctx.env),
      ...(isObj(step.env) ? asText(interpolateDeep(step.env, stepCtx)) : {}),
    };
    let outcome: StepRecord['outcome'];
    let outputs: Record<string, string> = {};
    try {
      ({ outcome, outputs } = await executeStep(scope, {
        step,
        label,
        record,
        stepCtx,
        env,
        temp,
        dir: join(legDir, `step-${n}`),
        jobEnv: ctx.env,
        out,
      }));
    } catch (e) {
      outcome = 'failure';
      record.reason = (e as Error).message;
    }
    record.secs = (Date.now() - started) / 1000;
    record.outcome = outcome;
    record.outputs = outputs;
    if (step.id) steps[step.id] = { outputs, outcome, conclusion: outcome };
    const mark = outcome === 'success' ? '✔' : outcome === 'skipped' ? '○' : '✘';
    out(
      `  ${mark} ${label} ${outcome === 'skipped' ? `skipped: ${record.reason}` : `${outcome} in ${record.secs.toFixed(1)}s${record.reason ? ` (${record.reason})` : ''}`}`,
    );
    if (record.detail)
      out(
        record.detail
          .split('\n')
          .map((l) => `      ${scope.mask(l)}`)
          .join('\n'),
      );
    if (outcome === 'failure' && !step['continue-on-error']) legFailed = true;
  }
  ctx.job.status = legFailed ? 'failure' : 'success';
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(job.outputs ?? {})) outputs[k] = toText(interpolate(v, { contexts: ctx }));
  let environment: JobReport['environment'] = null;
  if (job.environment) {
    const envDef = isObj(job.environment) ? job.environment : { name: job.environment };
    environment = {
      name: toText(interpolate(envDef.name, { contexts: ctx })),
      url: envDef.url ? toText(interpolate(envDef.url, { contexts: ctx })) : '',
    };
  }
  const jobTitle = matrix ? jobName(job, id, { ...ctx, matrix: {} }) : name;
  return { name, jobName: jobTitle, records, failed: legFailed, outputs, environment };
}

/** One step to run: a `run:` script, one of our actions, or a third-party action (handled or skipped). */
interface StepCall {
  step: WorkflowStep;
  label: string;
  record: StepRecord;
  stepCtx: EvalContext;
  env: Record<string, string>;
  temp: string;
  dir: string;
  jobEnv: Record<string, Value>;
  out: (line: string) => void;
}

/** Runs a step; sets the record's reason, action, summary and detail; a GITHUB_ENV line reaches jobEnv. */
async function executeStep(
  scope: JobScope,
  { step, label, record, stepCtx, env, temp, dir, jobEnv, out }: StepCall,
): Promise<{ outcome: StepRecord['outcome']; outputs: Record<string, string> }> {
  const { opts, id, wfName, artifacts, mask } = scope;
  const ownAction = typeof step.uses === 'string' ? OWN_USES.exec(step.uses)?.[1] : undefined;
  if (step.run !== undefined) {
    const r = await runScript(toText(interpolate(step.run, stepCtx)), {
      env: { ...opts.baseEnv, ...env, GITHUB_WORKFLOW: wfName, GITHUB_JOB: id, RUNNER_TEMP: temp },
      dir,
      out: (l) => out(`    ${mask(l)}`),
    });
    Object.assign(jobEnv, r.env);
    if (r.code !== 0) record.reason = r.error ?? `exit ${r.code}`;
    return { outcome: r.code === 0 ? 'success' : 'failure', outputs: r.outputs };
  }
  if (ownAction !== undefined) {
    record.action = ownAction;
    const skip = opts.skipAction?.(ownAction);
    if (skip) {
      record.reason = skip;
      return { outcome: 'skipped', outputs: {} };
    }
    const withs = asText(interpolateDeep(step.with ?? {}, stepCtx));
    out(`  ● ${label}`);
    const r = await opts.runAction(ownAction, {
      inputs: withs,
      env: { ...env, GITHUB_WORKFLOW: wfName, GITHUB_JOB: id, RUNNER_TEMP: temp },
      out: (l) => out(`    ${mask(l)}`),
    });
    record.summary = r.summary;
    if (r.code !== 0) record.reason = `exit ${r.code}`;
    return { outcome: r.code === 0 ? 'success' : 'failure', outputs: r.outputs };
  }
  if (typeof step.uses !== 'string') throw new Error('a step needs run: or uses:');
  const uses = step.uses.replace(/@.*$/, '');
  const evaluated = interpolateDeep(step.with ?? {}, stepCtx);
  const withs: Record<string, Value> = isObj(evaluated) ? evaluated : {};
  if (uses === 'actions/checkout' && toText(withs['path']).replace(/^\.\/|\/$/g, '') === OWN_PATH) {
    record.reason = `polyglot-cd's actions run from this working tree's bundles (dist/<action>/index.js): it is the commit of the workflow file being run`;
    return { outcome: 'skipped', outputs: {} };
  }
  if (uses === 'actions/upload-artifact') {
    const src = toText(withs['path']);
    if (!existsSync(src)) throw new Error(`upload-artifact: ${src} does not exist`);
    copyInto(src, join(artifacts, toText(withs['name']) || 'artifact'));
    return { outcome: 'success', outputs: {} };
  }
  if (uses === 'actions/download-artifact') {
    const dest = toText(withs['path']) || temp;
    const names = readdirSync(artifacts).filter((a) =>
      withs['name']
        ? a === toText(withs['name'])
        : withs['pattern']
          ? globToRegExp(toText(withs['pattern'])).test(a)
          : true,
    );
    if (withs['name'] && names.length === 0)
      throw new Error(`download-artifact: no artifact named ${toText(withs['name'])}`);
    for (const a of names)
      copyInto(join(artifacts, a), withs['name'] || withs['merge-multiple'] ? dest : join(dest, a));
    return { outcome: 'success', outputs: {} };
  }
  record.reason = SKIPPED_ACTIONS[uses] ?? 'a third-party action the local runner does not run';
  const shown = Object.entries(env).filter(([k]) => !/TOKEN|PASSWORD|SECRET|WEBHOOK|KUBECONFIG/i.test(k));
  if (shown.length) record.detail = shown.map(([k, v]) => `${k}=${v}`).join('\n');
  return { outcome: 'skipped', outputs: {} };
}

interface ScriptResult {
  code: number;
  outputs: Record<string, string>;
  env: Record<string, string>;
  error?: string;
}

function runScript(
  script: string,
  { env, dir, out }: { env: Record<string, string | undefined>; dir: string; out: (line: string) => void },
): Promise<ScriptResult> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'script.sh');
  writeFileSync(file, script, { mode: 0o700 });
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '', { mode: 0o600 });
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      env: { ...env, ...files },
      cwd: env['GITHUB_WORKSPACE'] || process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const onData = (c: Buffer | string): void => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) out(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      if (buf) out(buf);
      try {
        resolve({
          code: code ?? 1,
          outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
          env: parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')),
        });
      } catch (e) {
        // as on GitHub, a malformed GITHUB_OUTPUT / GITHUB_ENV fails the step
        resolve({ code: code || 1, outputs: {}, env: {}, error: (e as Error).message });
      }
    });
  });
}
