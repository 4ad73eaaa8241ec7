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
  ensureBaseImage,
  ensureCluster,
  ensureRegistry,
  localHelm,
  startTeamsSink,
  trustRegistryOnLocalNode,
} from './local-stack.mjs';
import { runWorkflow } from './workflow-runner.mjs';

export const PR_RE = /^[1-9][0-9]{0,8}$/;

/** Components of an app: every direct subfolder with a Containerfile or Dockerfile. */
export function discoverComponents(dir) {
  return readdirSync(dir)
    .filter((d) => /^[a-z][a-z0-9-]{0,22}$/.test(d) && statSync(join(dir, d)).isDirectory())
    .filter((d) => existsSync(join(dir, d, 'Containerfile')) || existsSync(join(dir, d, 'Dockerfile')))
    .sort()
    .map((d) => ({ name: d, context: d }));
}

function which(bin) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { encoding: 'utf8' }).stdout.trim();
}

/** Why one of our actions cannot run here, or undefined when it can. */
export function localSkipReason(action, env = process.env) {
  if (action === 'trivy-gate' && !env.POLYGLOT_CD_TRIVY_BIN && !which('trivy')) {
    return 'trivy is not installed here and its vulnerability DB cannot be fetched: not scanned (not a pass); put a trivy with its DB on PATH to scan';
  }
  if (action === 'cosign-sign' && !env.POLYGLOT_CD_COSIGN_BIN && !which('cosign')) {
    return 'cosign is not installed and keyless signing needs Sigstore and a GitHub OIDC token: not signed';
  }
  return undefined;
}

function git(cwd, args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/**
 * A stable, positive repository id for a local checkout (GitHub's are positive integers): helm-deploy
 * labels PR namespaces with it and pr-namespace-cleanup deletes only namespaces carrying it.
 */
export function localRepositoryId(repository) {
  return String(1_000_000_000 + (createHash('sha256').update(repository).digest().readUInt32BE(0) % 1_000_000_000));
}

/**
 * What the job context's workflow_* properties say of a workflow of this polyglot-cd working tree
 * (`root`): its repository (from the origin remote when that names one, else local/polyglot-cd) and
 * its HEAD commit. The working tree is the commit of the workflow file the local runner interprets.
 */
export function localWorkflowIdentity(root, workflowFile) {
  const sha = git(root, ['rev-parse', 'HEAD']) || '0'.repeat(40);
  return { repository: originRepository(root), sha, file_path: `.github/workflows/${workflowFile}` };
}

/**
 * owner/repository of the origin remote when it is a hosted repository (https://host/owner/repo(.git),
 * ssh://…, git@host:owner/repo(.git)), as the workflows check it; 'local/polyglot-cd' for anything else
 * (no origin, or a local path such as a clone of a clone, whose last two segments are no repository).
 */
export function originRepository(root) {
  const remote = git(root, ['config', '--get', 'remote.origin.url']);
  const m =
    /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+\/|[^@/:]+@[^:/]+:)([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(
      remote,
    );
  return m && !/\/\.\.?$/.test(m[1]) ? m[1] : 'local/polyglot-cd';
}

/** The github context of a pull_request run of this checkout, and the GITHUB_* env the bundles read. */
export function prContext({ cwd, pr, localEnv, runDir }) {
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

function fmtSecs(s) {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
}

/** The step list with durations, then the summary of every action step. */
export function renderReport(result, { renderSummary, out }) {
  out('\nSteps');
  const rows = result.jobs.flatMap((j) =>
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
  const w = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => r[k].length)));
  for (const r of rows)
    out(`  ${r[0]} ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3].padStart(w[3])}  ${r[4]}`.trimEnd());
  for (const j of result.jobs) {
    for (const s of j.steps) {
      if (!s.summary.trim()) continue;
      out(`\nSummary: ${s.job} / ${s.step}`);
      out(renderSummary(s.summary).replace(/^/gm, '  '));
    }
  }
}

/**
 * Runs pr-preview.yml for PR `pr` on the app in `cwd`. Returns { code, result, url, registry, cards, kubeconfig }.
 * opts: { root, cwd, pr, kubeconfig, components (JSON), keep, runAction, renderSummary, localGitHubEnv, out }
 */
export async function runPrPipeline(opts) {
  const out = opts.out ?? ((l) => process.stdout.write(`${l}\n`));
  if (!PR_RE.test(String(opts.pr ?? '')))
    throw new Error(`--pr must be a pull request number (^[1-9][0-9]{0,8}$), got ${JSON.stringify(opts.pr ?? '')}`);
  const pr = String(opts.pr);
  const cwd = opts.cwd;
  const components = opts.components ? JSON.parse(opts.components) : discoverComponents(cwd);
  if (!Array.isArray(components) || components.length === 0)
    throw new Error(
      `no components in ${cwd}: expected subfolders with a Containerfile, or --components '[{"name":…,"context":…}]'`,
    );
  const started = Date.now();
  out(`polyglot-cd pipeline pr: PR #${pr} of ${cwd} (${components.map((c) => c.name).join(', ')})\n`);

  const phase = (name, fn) => {
    const t = Date.now();
    return Promise.resolve(fn()).then((v) => {
      out(`✔ ${name} (${fmtSecs((Date.now() - t) / 1000)})`);
      return v;
    });
  };
  const registry = await phase('local registry', () => ensureRegistry((l) => out(`  ${l}`)));
  const baseImage = await phase('base image', () => ensureBaseImage(opts.root, registry, (l) => out(`  ${l}`)));
  const kubeconfig = await phase('local cluster', () =>
    ensureCluster(opts.root, { kubeconfig: opts.kubeconfig, log: (l) => out(`  ${l}`) }),
  );
  const node = await trustRegistryOnLocalNode(opts.root, kubeconfig, registry);
  if (node) out(`  the local node pulls from ${registry.host} (${node})`);
  else out(`  not the local cluster: its nodes must be able to pull from ${registry.host}`);
  const helm = await phase('helm', () => localHelm(opts.root));
  out(`  Helm ${helm.version}: ${helm.bin}`);
  const sink = await startTeamsSink((card) => out(card.replace(/^/gm, '    ')));
  const runDir = mkdtempSync(join(tmpdir(), 'polyglot-cd-pipeline-'));
  try {
    const localEnv = opts.localGitHubEnv();
    const ctx = prContext({ cwd, pr, localEnv, runDir });
    const app = basename(cwd);
    const valuesFiles = ['deploy/values.yaml', 'values.yaml']
      .filter((f) => existsSync(join(cwd, f)))
      .slice(0, 1)
      .join('\n');
    const inputs = {
      'pr-number': pr,
      components: JSON.stringify(components),
      'image-prefix': `${registry.host}/${app}/`,
      domain: 'preview.localhost',
      release: app,
      'values-files': valuesFiles,
      'helm-version': helm.version,
      'build-args': `BASE_IMAGE=${baseImage}`,
      'insecure-registries': registry.host,
      'teams-allowed-hosts': sink.host,
    };
    const secrets = { kubeconfig: readFileSync(kubeconfig, 'utf8'), 'teams-webhook-url': sink.url };
    const stepEnv = { ...containersEnv(), ...ctx.env, POLYGLOT_CD_HELM_BIN: helm.bin };
    out(`\nRunning .github/workflows/pr-preview.yml (registry ${registry.host}, kubeconfig ${kubeconfig})\n`);
    const result = await runWorkflow({
      file: join(opts.root, '.github', 'workflows', 'pr-preview.yml'),
      inputs,
      secrets,
      github: ctx.github,
      runDir,
      baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, ...localEnv, ...stepEnv },
      runAction: (action, { inputs: withs, env }) =>
        opts.runAction(action, { inputs: withs, env: { ...stepEnv, ...env }, quiet: true }),
      skipAction: (a) => localSkipReason(a),
      workflowIdentity: localWorkflowIdentity(opts.root, 'pr-preview.yml'),
      mask: (s) => s.split(sink.url).join('***'),
      out,
    });
    renderReport(result, { renderSummary: opts.renderSummary, out });
    const url = result.outputs.url;
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
export async function runCleanupPipeline(opts) {
  const out = opts.out ?? ((l) => process.stdout.write(`${l}\n`));
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
    const result = await runWorkflow({
      file: join(opts.root, '.github', 'workflows', 'pr-cleanup.yml'),
      inputs: { mode: 'pr', 'pr-number': pr, 'helm-version': helm.version },
      secrets: { kubeconfig: readFileSync(kubeconfig, 'utf8') },
      github: ctx.github,
      runDir,
      baseEnv: { PATH: process.env.PATH, HOME: process.env.HOME, ...localEnv, ...stepEnv },
      runAction: (action, { inputs: withs, env }) =>
        opts.runAction(action, { inputs: withs, env: { ...stepEnv, ...env }, quiet: true }),
      skipAction: (a) => localSkipReason(a),
      workflowIdentity: localWorkflowIdentity(opts.root, 'pr-cleanup.yml'),
      out,
    });
    renderReport(result, { renderSummary: opts.renderSummary, out });
    out(
      `\n${result.result === 'success' ? '✔' : '✘'} cleanup of pr-${pr} ${result.result}; deleted: ${result.outputs.deleted || '[]'}`,
    );
    return { code: result.result === 'success' ? 0 : 1, result };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
