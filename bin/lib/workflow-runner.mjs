// A local runner for our reusable workflows: it reads the workflow file and runs its jobs in `needs`
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
// workflow_dispatch workflows (release.yml) run the same way, with the inputs they declare.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import { evaluateIf, interpolate, interpolateDeep, toText } from './expressions.mjs';

/** Where the reusable workflows check out polyglot-cd at their own commit; `uses: ./.polyglot-cd/<action>`. */
export const OWN_PATH = '.polyglot-cd';
const OWN_USES = /^\.\/\.polyglot-cd\/([a-z0-9-]+)\/?$/;

/** Why a third-party action does not run locally (shown on the skipped step). */
const SKIPPED_ACTIONS = {
  'actions/checkout': 'the local pipeline builds your working tree as it is',
  'github/codeql-action/upload-sarif': 'code scanning is a GitHub service',
  'actions/github-script': 'it calls the GitHub REST API',
  'actions/attest-build-provenance': "an attestation is signed with the job's GitHub OIDC token and stored by GitHub",
};

const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseFileCommands(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Jobs in an order where every job comes after its needs. */
export function jobOrder(jobs) {
  const order = [];
  const state = new Map();
  const visit = (id, path) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`needs cycle: ${[...path, id].join(' → ')}`);
    if (!jobs[id]) throw new Error(`job ${path.at(-1)} needs ${id}, which does not exist`);
    state.set(id, 'visiting');
    for (const n of needsOf(jobs[id])) visit(n, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function needsOf(job) {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** The legs of a job's matrix (cartesian product; include/exclude as GitHub applies them). */
export function matrixLegs(strategy, ctx) {
  if (!isObj(strategy) || strategy.matrix === undefined) return [null];
  const m = interpolateDeep(strategy.matrix, ctx);
  if (!isObj(m)) throw new Error(`strategy.matrix must be a mapping, got ${JSON.stringify(m)}`);
  const keys = Object.keys(m).filter((k) => k !== 'include' && k !== 'exclude');
  let legs = [{}];
  for (const k of keys) {
    if (!Array.isArray(m[k])) throw new Error(`matrix.${k} must be a list, got ${JSON.stringify(m[k])}`);
    if (m[k].length === 0) throw new Error(`matrix.${k} is empty`);
    legs = legs.flatMap((leg) => m[k].map((v) => ({ ...leg, [k]: v })));
  }
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(m.exclude))
    legs = legs.filter((leg) => !m.exclude.some((ex) => Object.entries(ex).every(([k, v]) => same(leg[k], v))));
  if (Array.isArray(m.include)) for (const inc of m.include) legs.push(inc);
  return legs;
}

function globToRegExp(glob) {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function copyInto(src, destDir) {
  mkdirSync(destDir, { recursive: true });
  if (statSync(src).isDirectory()) cpSync(src, destDir, { recursive: true });
  else cpSync(src, join(destDir, basename(src)));
}

/**
 * Runs a workflow_call workflow, or a workflow_dispatch one (its inputs; it declares no secrets).
 * opts: { file, inputs, secrets, github (context), runDir, runAction(action, { inputs, env }),
 *         skipAction(action) → reason | undefined, skipJob(id, job, needs) → reason | undefined (the job is
 *         shown as skipped with that reason, like one whose if: is false, and so are the jobs that
 *         need it), approve(environment) → false to reject a job's
 *         deployment (default: approved), environmentSecrets ({ <environment>: { NAME: value } }),
 *         workflowIdentity ({ repository, sha, file_path }: what the job context's workflow_*
 *         properties say; without it they are empty, as on a GitHub that has none), baseEnv,
 *         out (line printer), mask(text) }
 * Returns { result, jobs: [{ id, name, result, reason (of skipJob), outputs, environment, steps: [...] }], outputs }.
 */
export async function runWorkflow(opts) {
  const wf = load(readFileSync(opts.file, 'utf8'));
  const call = wf?.on?.workflow_call ?? wf?.on?.workflow_dispatch ?? {};
  const out = opts.out ?? ((l) => process.stdout.write(`${l}\n`));
  const mask = opts.mask ?? ((s) => s);
  const wfName = typeof wf?.name === 'string' ? wf.name : basename(opts.file);

  // inputs with their declared defaults and types
  const inputs = {};
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
  const secrets = {};
  for (const [k, def] of Object.entries(call.secrets ?? {})) {
    const v = opts.secrets?.[k];
    // as on GitHub, a required secret must be passed, but it may be empty (fork PRs get none)
    if (v === undefined && def?.required) throw new Error(`the workflow needs the secret ${k}`);
    secrets[k] = v ?? '';
  }

  const artifacts = join(opts.runDir, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const results = {};
  const report = [];

  for (const id of jobOrder(wf.jobs ?? {})) {
    const job = wf.jobs[id];
    const needs = Object.fromEntries(needsOf(job).map((n) => [n, results[n]]));
    const needResults = Object.values(needs).map((n) => n.result);
    const jobStatus = {
      success: () => needResults.every((r) => r === 'success'),
      failure: () => needResults.some((r) => r === 'failure'),
      cancelled: () => false,
    };
    // a job that declares an environment reads that environment's secrets, which win over the
    // caller's of the same name (a job without one never sees them)
    let jobSecrets = secrets;
    if (job.environment && opts.environmentSecrets) {
      const envDef = isObj(job.environment) ? job.environment : { name: job.environment };
      const envName = toText(
        interpolate(envDef.name, { contexts: { github: opts.github, inputs, needs, vars: {}, matrix: {} } }),
      );
      jobSecrets = { ...secrets, ...(opts.environmentSecrets[envName] ?? {}) };
    }
    const base = {
      github: opts.github,
      inputs,
      secrets: jobSecrets,
      needs,
      vars: {},
      runner: { os: 'Linux', arch: 'X64', temp: '' },
      env: {},
    };
    const entry = {
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
    let failed = false;
    for (const matrix of matrixLegs(job.strategy, { contexts: base })) {
      const legDir = join(opts.runDir, 'jobs', `${id}-${entry.steps.length}`);
      const temp = join(legDir, 'temp');
      mkdirSync(temp, { recursive: true });
      const identity = opts.workflowIdentity ?? {};
      const jobCtx = {
        status: 'success',
        workflow_repository: identity.repository ?? '',
        workflow_sha: identity.sha ?? '',
        workflow_file_path: identity.file_path ?? '',
      };
      const ctx = {
        ...base,
        matrix: matrix ?? {},
        strategy: {},
        runner: { ...base.runner, temp },
        steps: {},
        job: jobCtx,
      };
      const name = toText(interpolate(job.name ?? id, { contexts: ctx })) || id;
      entry.name = matrix ? entry.name : name;
      out(`▶ ${name}`);
      const jobEnv = isObj(job.env) ? interpolateDeep(job.env, { contexts: ctx }) : {};
      ctx.env = { ...jobEnv };
      let legFailed = false;
      // a protected environment: its reviewers approve (the default here) or reject the job, which
      // then fails without running a step, as on GitHub
      if (job.environment && opts.approve) {
        const envDef = isObj(job.environment) ? job.environment : { name: job.environment };
        const envName = toText(interpolate(envDef.name, { contexts: ctx }));
        if (opts.approve(envName) === false) {
          out(`  ✘ deployment to environment ${envName} rejected`);
          legFailed = true;
        }
      }
      for (const [n, step] of (legFailed ? [] : (job.steps ?? [])).entries()) {
        const label = step.name
          ? toText(interpolate(step.name, { contexts: ctx }))
          : step.uses
            ? `uses ${step.uses.replace(/@[0-9a-f]{40}$/, '')}`
            : `run ${String(step.run).split('\n')[0].slice(0, 60)}`;
        const record = {
          job: name,
          step: label,
          outcome: 'skipped',
          reason: '',
          secs: 0,
          summary: '',
          outputs: {},
          action: null,
        };
        entry.steps.push(record);
        const stepStatus = { success: () => !legFailed, failure: () => legFailed, cancelled: () => false };
        const stepCtx = { contexts: ctx, status: stepStatus };
        if (!evaluateIf(step.if, stepCtx)) {
          record.reason = `if: ${String(step.if ?? 'success()').trim()}`;
          out(`  ○ ${label} skipped (${record.reason})`);
          if (step.id) ctx.steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
          continue;
        }
        const started = Date.now();
        const env = {
          ...ctx.env,
          ...(isObj(step.env)
            ? Object.fromEntries(Object.entries(interpolateDeep(step.env, stepCtx)).map(([k, v]) => [k, toText(v)]))
            : {}),
        };
        let outcome = 'success';
        let outputs = {};
        try {
          if (step.run !== undefined) {
            const r = await runScript(toText(interpolate(step.run, stepCtx)), {
              env: { ...opts.baseEnv, ...env, GITHUB_WORKFLOW: wfName, GITHUB_JOB: id, RUNNER_TEMP: temp },
              dir: join(legDir, `step-${n}`),
              out: (l) => out(`    ${mask(l)}`),
            });
            outcome = r.code === 0 ? 'success' : 'failure';
            outputs = r.outputs;
            Object.assign(ctx.env, r.env);
            if (r.code !== 0) record.reason = `exit ${r.code}`;
          } else if (typeof step.uses === 'string' && OWN_USES.test(step.uses)) {
            const action = OWN_USES.exec(step.uses)[1];
            record.action = action;
            const skip = opts.skipAction?.(action);
            if (skip) {
              outcome = 'skipped';
              record.reason = skip;
            } else {
              const withs = Object.fromEntries(
                Object.entries(interpolateDeep(step.with ?? {}, stepCtx)).map(([k, v]) => [k, toText(v)]),
              );
              out(`  ● ${label}`);
              const r = await opts.runAction(action, {
                inputs: withs,
                env: { ...env, GITHUB_WORKFLOW: wfName, GITHUB_JOB: id, RUNNER_TEMP: temp },
              });
              outcome = r.code === 0 ? 'success' : 'failure';
              outputs = r.outputs;
              record.summary = r.summary;
              if (r.code !== 0) record.reason = `exit ${r.code}`;
            }
          } else if (typeof step.uses === 'string') {
            const name = step.uses.replace(/@.*$/, '');
            const withs = interpolateDeep(step.with ?? {}, stepCtx);
            if (name === 'actions/checkout' && toText(withs.path).replace(/^\.\/|\/$/g, '') === OWN_PATH) {
              outcome = 'skipped';
              record.reason = `polyglot-cd's actions run from this working tree's bundles (dist/<action>/index.js): it is the commit of the workflow file being run`;
            } else if (name === 'actions/upload-artifact') {
              const src = toText(withs.path);
              if (!existsSync(src)) throw new Error(`upload-artifact: ${src} does not exist`);
              copyInto(src, join(artifacts, toText(withs.name) || 'artifact'));
            } else if (name === 'actions/download-artifact') {
              const dest = toText(withs.path) || temp;
              const names = readdirSync(artifacts).filter((a) =>
                withs.name
                  ? a === toText(withs.name)
                  : withs.pattern
                    ? globToRegExp(toText(withs.pattern)).test(a)
                    : true,
              );
              if (withs.name && names.length === 0)
                throw new Error(`download-artifact: no artifact named ${toText(withs.name)}`);
              for (const a of names)
                copyInto(join(artifacts, a), withs.name || withs['merge-multiple'] ? dest : join(dest, a));
            } else {
              outcome = 'skipped';
              record.reason = SKIPPED_ACTIONS[name] ?? 'a third-party action the local runner does not run';
              const shown = Object.entries(env).filter(([k]) => !/TOKEN|PASSWORD|SECRET|WEBHOOK|KUBECONFIG/i.test(k));
              if (shown.length) record.detail = shown.map(([k, v]) => `${k}=${v}`).join('\n');
            }
          } else throw new Error('a step needs run: or uses:');
        } catch (e) {
          outcome = 'failure';
          record.reason = e.message;
        }
        record.secs = (Date.now() - started) / 1000;
        record.outcome = outcome;
        record.outputs = outputs;
        if (step.id) ctx.steps[step.id] = { outputs, outcome, conclusion: outcome };
        const mark = outcome === 'success' ? '✔' : outcome === 'skipped' ? '○' : '✘';
        out(
          `  ${mark} ${label} ${outcome === 'skipped' ? `skipped: ${record.reason}` : `${outcome} in ${record.secs.toFixed(1)}s${record.reason ? ` (${record.reason})` : ''}`}`,
        );
        if (record.detail)
          out(
            record.detail
              .split('\n')
              .map((l) => `      ${mask(l)}`)
              .join('\n'),
          );
        if (outcome === 'failure' && !step['continue-on-error']) legFailed = true;
      }
      ctx.job.status = legFailed ? 'failure' : 'success';
      if (legFailed) failed = true;
      // job outputs: with a matrix, the last leg to finish wins (as on GitHub)
      for (const [k, v] of Object.entries(job.outputs ?? {}))
        entry.outputs[k] = toText(interpolate(v, { contexts: ctx }));
      if (job.environment) {
        const envDef = isObj(job.environment) ? job.environment : { name: job.environment };
        entry.environment = {
          name: toText(interpolate(envDef.name, { contexts: ctx })),
          url: envDef.url ? toText(interpolate(envDef.url, { contexts: ctx })) : '',
        };
      }
      if (matrix) entry.name = toText(interpolate(job.name ?? id, { contexts: { ...ctx, matrix: {} } })).trim() || id;
    }
    entry.result = failed ? 'failure' : 'success';
    entry.secs = (Date.now() - entry.started) / 1000;
    results[id] = { result: entry.result, outputs: entry.outputs };
  }
  const outputs = {};
  for (const [k, def] of Object.entries(call.outputs ?? {}))
    outputs[k] = toText(interpolate(def.value ?? '', { contexts: { jobs: results } }));
  const result = report.some((j) => j.result === 'failure') ? 'failure' : 'success';
  return { result, jobs: report, outputs };
}

function runScript(script, { env, dir, out }) {
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
      cwd: env.GITHUB_WORKSPACE || process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const onData = (c) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) out(l);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      if (buf) out(buf);
      resolve({
        code: code ?? 1,
        outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        env: parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')),
      });
    });
  });
}
