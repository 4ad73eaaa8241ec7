// `polyglot-cd pipeline pr|cleanup`: runs our reusable workflows (.github/workflows/pr-preview.yml,
// pr-cleanup.yml) on this machine with the local workflow runner, against local stand-ins: the local
// registry, buildah, the local cluster (control plane + real node), real Helm 4 and a Teams sink that
// prints the card.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  containersEnv,
  ensureBaseImages,
  ensureCluster,
  ensureRegistry,
  localHelm,
  startTeamsSink,
  trustRegistryOnLocalNode,
} from './local-stack.ts';
import { ensureLocalTrivyDb, localTrivy, localTrivyEnv } from './local-trivy.ts';
import { runWorkflow } from './workflow-runner.ts';
import type { ActionResult, WorkflowIdentity, WorkflowResult } from './workflow-runner.ts';
import type { Registry, TeamsSink } from './local-stack.ts';

/** The base images scripts/setup/base-images.sh makes from Debian's packages. */
export type BaseImageName = 'python' | 'node' | 'node-build' | 'postgres';

/** A component of the app: its name, build context and optional Containerfile path. */
export interface Component {
  name: string;
  context: string;
  file?: string;
}

/** The github context of a local pull_request run and the GITHUB_* variables that go with it. */
export interface PrContext {
  github: {
    event_name: string;
    event: { action: string; number: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  env: Record<string, string>;
}

type RunAction = (
  action: string,
  opts: {
    inputs?: Record<string, string>;
    env?: Record<string, string | undefined>;
    quiet?: boolean;
    out?: (line: string) => void;
  },
) => Promise<ActionResult>;

/** The GITHUB_* variables of a local run (see localGitHubEnv in bin/polyglot-cd.ts). */
export interface LocalGitHubEnv {
  GITHUB_REPOSITORY: string;
  GITHUB_SHA: string;
  GITHUB_ACTOR: string;
  GITHUB_RUN_ID: string;
  GITHUB_SERVER_URL: string;
  [name: string]: string;
}

/** What `polyglot-cd pipeline` hands the pipelines. */
export interface PipelineOptions {
  root: string;
  cwd: string;
  pr?: string;
  kubeconfig?: string;
  components?: string;
  /** trivy's cache directory (<dir>/db/trivy.db) for the scans; default the local empty DB */
  trivyDb?: string;
  keep?: boolean;
  runAction: RunAction;
  renderSummary: (md: string) => string;
  localGitHubEnv: () => LocalGitHubEnv;
  out?: (line: string) => void;
}

export interface PrPipelineResult {
  code: number;
  result: WorkflowResult;
  url: string | undefined;
  registry: Registry;
  cards: unknown[];
  kubeconfig: string;
}

export const PR_RE = /^[1-9][0-9]{0,8}$/;

/** Components of an app: every direct subfolder with a Containerfile or Dockerfile. */
export function discoverComponents(dir: string): Component[] {
  return readdirSync(dir)
    .filter((d) => /^[a-z][a-z0-9-]{0,22}$/.test(d) && statSync(join(dir, d)).isDirectory())
    .filter((d) => existsSync(join(dir, d, 'Containerfile')) || existsSync(join(dir, d, 'Dockerfile')))
    .sort()
    .map((d) => ({ name: d, context: d }));
}

function which(bin: string): string {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { encoding: 'utf8' }).stdout.trim();
}

/** Why one of our actions cannot run here, or undefined when it can. */
export function localSkipReason(action: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (action === 'trivy-gate' && !env.POLYGLOT_CD_TRIVY_BIN && !which('trivy')) {
    return 'trivy is not installed here and its vulnerability DB cannot be fetched: not scanned (not a pass); put a trivy with its DB on PATH to scan';
  }
  if (action === 'cosign-sign' && !env.POLYGLOT_CD_COSIGN_BIN && !which('cosign')) {
    return 'cosign is not installed and keyless signing needs Sigstore and a GitHub OIDC token: not signed';
  }
  return undefined;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/**
 * A stable, positive repository id for a local checkout (GitHub's are positive integers): helm-deploy
 * labels PR namespaces with it and pr-namespace-cleanup deletes only namespaces carrying it.
 */
export function localRepositoryId(repository: string): string {
  return String(1_000_000_000 + (createHash('sha256').update(repository).digest().readUInt32BE(0) % 1_000_000_000));
}

/**
 * What the job context's workflow_* properties say of a workflow of this polyglot-cd working tree
 * (`root`): its repository (from the origin remote when that names one, else local/polyglot-cd) and
 * its HEAD commit. The working tree is the commit of the workflow file the local runner interprets.
 */
export function localWorkflowIdentity(root: string, workflowFile: string): Required<WorkflowIdentity> {
  const sha = git(root, ['rev-parse', 'HEAD']) || '0'.repeat(40);
  return { repository: originRepository(root), sha, file_path: `.github/workflows/${workflowFile}` };
}

/**
 * owner/repository of the origin remote when it is a hosted repository (https://host/owner/repo(.git),
 * ssh://…, git@host:owner/repo(.git)), as the workflows check it; 'local/polyglot-cd' for anything else
 * (no origin, or a local path such as a clone of a clone, whose last two segments are no repository).
 */
export function originRepository(root: string): string {
  const remote = git(root, ['config', '--get', 'remote.origin.url']);
  const m =
    /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+\/|[^@/:]+@[^:/]+:)([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      remote,
    );
  return m?.[1] && !/\/\.\.?$/.test(m[1]) ? m[1] : 'local/polyglot-cd';
}

/** The github context of a pull_request run of this checkout, and the GITHUB_* env the bundles read. */
export function prContext({
  cwd,
  pr,
  localEnv,
  runDir,
}: {
  cwd: string;
  pr: string;
  localEnv: LocalGitHubEnv;
  runDir: string;
}): PrContext {
  const repository = localEnv.GITHUB_REPOSITORY;
  const repositoryId = localRepositoryId(repository);
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']) || 'local';
  const event = {
    action: 'synchronize',
    number: pr,
    pull_request: {
      number: pr,
      head: { ref: branch, sha: localEnv.GITHUB_SHA, repo: { full_name: repository } },
      base: { ref: 'main', repo: { full_name: repository } },
    },
    repository: { name: repository.split('/')[1], full_name: repository },
  };
  const eventPath = join(runDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  const github = {
    event_name: 'pull_request',
    event,
    repository,
    repository_owner: repository.split('/')[0],
    repository_id: repositoryId,
    sha: localEnv.GITHUB_SHA,
    ref: `refs/pull/${pr}/merge`,
    head_ref: branch,
    base_ref: 'main',
    actor: localEnv.GITHUB_ACTOR,
    run_id: localEnv.GITHUB_RUN_ID,
    run_number: '1',
    run_attempt: '1',
    server_url: localEnv.GITHUB_SERVER_URL,
    workspace: cwd,
    token: '', // no GitHub token locally: nothing can reach the GitHub API
  };
  const env = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: `${pr}/merge`,
    GITHUB_HEAD_REF: branch,
    GITHUB_BASE_REF: 'main',
    GITHUB_WORKSPACE: cwd,
    GITHUB_REPOSITORY_ID: repositoryId,
  };
  return { github, env };
}

/** 4.2s, or from a minute on whole seconds: 1m02s (119.8 s is 2m00s, not 1m60s). */
export function fmtSecs(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)}s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/** The step list with durations, then the summary of every action step. */
export function renderReport(
  result: WorkflowResult,
  { renderSummary, out }: { renderSummary: (md: string) => string; out: (line: string) => void },
): void {
  out('\nSteps');
  const rows: string[][] = result.jobs.flatMap((j) =>
    j.steps.length
      ? j.steps.map((s) => [
          j.result === 'skipped' ? '○' : s.outcome === 'success' ? '✔' : s.outcome === 'skipped' ? '○' : '✘',
          s.job,
          s.step,
          s.outcome === 'skipped' ? '' : fmtSecs(s.secs),
          s.outcome === 'skipped' ? s.reason : s.reason,
        ])
      : [['○', j.name, '(job skipped)', '', '']],
  );
  const w = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  for (const [mark, job, step, secs, reason] of rows as [string, string, string, string, string][])
    out(
      `  ${mark} ${job.padEnd(w[1] ?? 0)}  ${step.padEnd(w[2] ?? 0)}  ${secs.padStart(w[3] ?? 0)}  ${reason}`.trimEnd(),
    );
  for (const j of result.jobs) {
    for (const s of j.steps) {
      if (!s.summary.trim()) continue;
      out(`\nSummary: ${s.job} / ${s.step}`);
      out(renderSummary(s.summary).replace(/^/gm, '  '));
    }
  }
}

interface LocalCall {
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  /** the caller's environment secrets, read only by the jobs that declare that environment */
  environmentSecrets?: Record<string, Record<string, string>>;
  /** an environment's reviewers: false rejects the job's deployment */
  approve?: (environment: string) => boolean;
  ctx: PrContext;
  runDir: string;
  localEnv: LocalGitHubEnv;
  stepEnv: Record<string, string | undefined>;
  mask?: (s: string) => string;
  out: (line: string) => void;
}

/** Runs one of our reusable workflows with the local runner and prints its report. */
export async function runLocalWorkflow(
  opts: PipelineOptions,
  workflow: string,
  call: LocalCall,
): Promise<WorkflowResult> {
  const { stepEnv, out } = call;
  const result = await runWorkflow({
    file: join(opts.root, '.github', 'workflows', workflow),
    inputs: call.inputs,
    secrets: call.secrets,
    github: call.ctx.github,
    runDir: call.runDir,
    baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, ...call.localEnv, ...stepEnv },
    runAction: (action, { inputs: withs, env, out: legOut }) =>
      opts.runAction(action, { inputs: withs, env: { ...stepEnv, ...env }, quiet: true, out: legOut }),
    skipAction: (a) => localSkipReason(a),
    workflowIdentity: localWorkflowIdentity(opts.root, workflow),
    ...(call.mask ? { mask: call.mask } : {}),
    ...(call.approve ? { approve: call.approve } : {}),
    ...(call.environmentSecrets ? { environmentSecrets: call.environmentSecrets } : {}),
    out,
  });
  renderReport(result, { renderSummary: opts.renderSummary, out });
  return result;
}

/** What a local run of a deploy workflow stands on: the registry, base images, cluster, Helm, trivy, Teams sink. */
export interface LocalStackReady {
  registry: Registry;
  baseImages: Record<BaseImageName, string>;
  kubeconfig: string;
  helm: { bin: string; version: string };
  trivy: { bin: string; db: string };
  sink: TeamsSink;
  phase: <T>(name: string, fn: () => T | Promise<T>) => Promise<T>;
}

/** Starts (or finds) everything a local run of pr-preview.yml or production.yml needs, timing each part. */
export async function prepareLocalStack(opts: PipelineOptions, out: (line: string) => void): Promise<LocalStackReady> {
  const phase = <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = Date.now();
    return Promise.resolve(fn()).then((v) => {
      out(`✔ ${name} (${fmtSecs((Date.now() - t) / 1000)})`);
      return v;
    });
  };
  const log = (l: string): void => out(`  ${l}`);
  const registry = await phase('local registry', () => ensureRegistry(log));
  const baseImages = await phase('base images', () => ensureBaseImages(opts.root, registry, log));
  const kubeconfig = await phase('local cluster', () => ensureCluster(opts.root, { kubeconfig: opts.kubeconfig, log }));
  const node = await trustRegistryOnLocalNode(opts.root, kubeconfig, registry);
  if (node) out(`  the local node pulls from ${registry.host} (${node})`);
  else out(`  not the local cluster: its nodes must be able to pull from ${registry.host}`);
  const helm = await phase('helm', () => localHelm(opts.root));
  out(`  Helm ${helm.version}: ${helm.bin}`);
  const trivy = await phase('trivy', async () => ({
    bin: localTrivy(opts.root),
    db: opts.trivyDb ?? (await ensureLocalTrivyDb(opts.root, log)),
  }));
  out(`  trivy ${trivy.bin}, DB ${trivy.db}${opts.trivyDb ? '' : ' (local, no advisories)'}`);
  const sink = await startTeamsSink((card) => out(card.replace(/^/gm, '    ')));
  return { registry, baseImages, kubeconfig, helm, trivy, sink, phase };
}

/** The build arguments that point an app's Containerfiles at the locally made base images. */
export function baseImageBuildArgs(images: Record<BaseImageName, string>): string {
  return [
    `PYTHON_IMAGE=${images.python}`,
    `NODE_IMAGE=${images.node}`,
    `NODE_BUILD_IMAGE=${images['node-build']}`,
    `POSTGRES_IMAGE=${images.postgres}`,
  ].join('\n');
}

/** Values for charts/app that only a local run adds: the per-namespace PostgreSQL from the local base image. */
export function localValues(images: Record<BaseImageName, string>): string {
  const [repository, digest] = images.postgres.split('@');
  return `postgresql:\n  image:\n    repository: ${repository}\n    digest: ${digest}\n`;
}

/** The inputs both deploy workflows take from the local stand-ins and the app's own files. */
export function localStackInputs(stack: LocalStackReady, cwd: string): Record<string, string> {
  return {
    values: localValues(stack.baseImages),
    checks: appChecks(cwd),
    'helm-version': stack.helm.version,
    'build-args': baseImageBuildArgs(stack.baseImages),
    'insecure-registries': stack.registry.host,
    'teams-allowed-hosts': stack.sink.host,
    'trivy-cache-dir': stack.trivy.db,
    'trivy-skip-db-update': 'true',
  };
}

/** The app's first values file, relative to its root: deploy/values.yaml or values.yaml, or ''. */
function appValuesFile(cwd: string, names: string[]): string {
  return names
    .filter((f) => existsSync(join(cwd, f)))
    .slice(0, 1)
    .join('\n');
}

/** The app's HTTP checks after a deploy (helm-deploy's checks), from deploy/checks.txt when present. */
export function appChecks(cwd: string): string {
  const file = join(cwd, 'deploy', 'checks.txt');
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .join('\n');
}

/** Components from --components or the app's folders; at least one. */
export function appComponents(opts: PipelineOptions): Component[] {
  const components: unknown = opts.components ? JSON.parse(opts.components) : discoverComponents(opts.cwd);
  if (!Array.isArray(components) || components.length === 0)
    throw new Error(
      `no components in ${opts.cwd}: expected subfolders with a Containerfile, or --components '[{"name":…,"context":…}]'`,
    );
  return components as Component[];
}

/**
 * Runs pr-preview.yml for PR `pr` on the app in `cwd`. Returns { code, result, url, registry, cards, kubeconfig }.
 * opts: { root, cwd, pr, kubeconfig, components (JSON), trivyDb, keep, runAction, renderSummary, localGitHubEnv, out }
 */
export async function runPrPipeline(opts: PipelineOptions): Promise<PrPipelineResult> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  if (!PR_RE.test(String(opts.pr ?? '')))
    throw new Error(`--pr must be a pull request number (^[1-9][0-9]{0,8}$), got ${JSON.stringify(opts.pr ?? '')}`);
  const pr = String(opts.pr);
  const cwd = opts.cwd;
  const components = appComponents(opts);
  const started = Date.now();
  out(`polyglot-cd pipeline pr: PR #${pr} of ${cwd} (${components.map((c) => c.name).join(', ')})\n`);
  const stack = await prepareLocalStack(opts, out);
  const { registry, kubeconfig, helm, trivy, sink } = stack;
  const runDir = mkdtempSync(join(tmpdir(), 'polyglot-cd-pipeline-'));
  try {
    const localEnv = opts.localGitHubEnv();
    const ctx = prContext({ cwd, pr, localEnv, runDir });
    const app = basename(cwd);
    const inputs = {
      'pr-number': pr,
      components: JSON.stringify(components),
      'image-prefix': `${registry.host}/${app}/`,
      domain: 'preview.localhost',
      release: app,
      'values-files': appValuesFile(cwd, ['deploy/values.yaml', 'values.yaml']),
      ...localStackInputs(stack, cwd),
    };
    const secrets = { kubeconfig: readFileSync(kubeconfig, 'utf8'), 'teams-webhook-url': sink.url };
    const stepEnv = { ...containersEnv(), ...ctx.env, POLYGLOT_CD_HELM_BIN: helm.bin, ...localTrivyEnv(trivy.bin) };
    out(`\nRunning .github/workflows/pr-preview.yml (registry ${registry.host}, kubeconfig ${kubeconfig})\n`);
    const result = await runLocalWorkflow(opts, 'pr-preview.yml', {
      inputs,
      secrets,
      ctx,
      runDir,
      localEnv,
      stepEnv,
      mask: (s) => s.split(sink.url).join('***'),
      out,
    });
    const url = result.outputs['url'];
    out(
      `\n${result.result === 'success' ? '✔' : '✘'} PR pipeline ${result.result} in ${fmtSecs((Date.now() - started) / 1000)}`,
    );
    if (url) out(`Deployed: ${url}  (namespace pr-${pr}; KUBECONFIG=${kubeconfig})`);
    return { code: result.result === 'success' ? 0 : 1, result, url, registry, cards: sink.cards, kubeconfig };
  } finally {
    await sink.close();
    if (opts.keep) out(`run files kept in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}

/** Runs pr-cleanup.yml (mode pr) for PR `pr`: the local counterpart of pull_request: closed. */
export async function runCleanupPipeline(opts: PipelineOptions): Promise<{ code: number; result: WorkflowResult }> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  if (!PR_RE.test(String(opts.pr ?? '')))
    throw new Error(`--pr must be a pull request number (^[1-9][0-9]{0,8}$), got ${JSON.stringify(opts.pr ?? '')}`);
  const pr = String(opts.pr);
  const kubeconfig = ensureCluster(opts.root, { kubeconfig: opts.kubeconfig, log: (l) => out(`  ${l}`) });
  const runDir = mkdtempSync(join(tmpdir(), 'polyglot-cd-pipeline-'));
  mkdirSync(runDir, { recursive: true });
  try {
    const localEnv = opts.localGitHubEnv();
    const ctx = prContext({ cwd: opts.cwd, pr, localEnv, runDir });
    ctx.github.event.action = 'closed';
    const helm = localHelm(opts.root);
    const stepEnv = { ...ctx.env, POLYGLOT_CD_HELM_BIN: helm.bin };
    const result = await runLocalWorkflow(opts, 'pr-cleanup.yml', {
      inputs: { mode: 'pr', 'pr-number': pr, 'helm-version': helm.version },
      secrets: { kubeconfig: readFileSync(kubeconfig, 'utf8') },
      ctx,
      runDir,
      localEnv,
      stepEnv,
      out,
    });
    out(
      `\n${result.result === 'success' ? '✔' : '✘'} cleanup of pr-${pr} ${result.result}; deleted: ${result.outputs['deleted'] || '[]'}`,
    );
    return { code: result.result === 'success' ? 0 : 1, result };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
