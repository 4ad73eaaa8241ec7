// `polyglot-cd release --dry-run [--version X.Y.Z]`: runs .github/workflows/release.yml on this
// machine with the local workflow runner, as a workflow_dispatch of that version on this checkout.
// The plan job runs as on GitHub (scripts/bootstrap.sh, then scripts/release-plan.ts: the version,
// the CHANGELOG.md notes, a rebuild of every bundle compared byte for byte with the committed dist/,
// the major tag move); the jobs after it are shown as skipped with what they would do: the full test
// command runs in CI, and attesting, creating the release and moving the tag need GitHub.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originRepository } from './pipeline.ts';
import { runWorkflow } from './workflow-runner.ts';
import type { NeedResult, WorkflowJob, WorkflowResult } from './workflow-runner.ts';

/** The newest released version in CHANGELOG.md (`## [X.Y.Z]`), or undefined. */
export function newestChangelogVersion(text: string): string | undefined {
  const m = /^## \[(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\]/m.exec(text);
  return m?.[1];
}

function git(root: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** Why a job of release.yml does not run in a dry run (undefined: it runs). */
export function dryRunSkipReason(
  id: string,
  job: Pick<WorkflowJob, 'permissions'>,
  needs?: Record<string, NeedResult>,
): string | undefined {
  const plan = needs?.plan?.outputs ?? {};
  if (needs?.plan && needs.plan.result !== 'success') return 'the plan failed: on GitHub this job would not run either';
  const writes = Object.entries(typeof job.permissions === 'object' ? job.permissions : {})
    .filter(([, v]) => v === 'write')
    .map(([k]) => `${k}: write`);
  if (id === 'test')
    return 'dry run: the full test command (bash .ci/run, the whole suite on a local cluster) runs in CI; `bash scripts/test.sh` runs it here';
  if (id === 'attest')
    return `dry run: would attest build provenance of dist/**/*.js at ${plan.sha || 'the release commit'}; needs GitHub (${writes.join(', ')})`;
  if (id === 'publish') {
    const tag = plan.tag || 'the tag';
    const major =
      plan['move-major'] === 'true'
        ? `then move ${plan.major} to ${plan.sha}`
        : `${plan.major || 'the major tag'} stays (${plan['major-reason'] || 'no move'})`;
    return `dry run: would create the GitHub release ${tag}, ${major}; needs GitHub (${writes.join(', ')})`;
  }
  if (writes.length) return `dry run: publishes, which needs GitHub (${writes.join(', ')})`;
  return undefined;
}

/**
 * Runs the dry run. opts: { root, version, out }. Returns { code, result, plan (the plan job's outputs) }.
 */
export async function runReleaseDryRun(opts: {
  root: string;
  version?: string | undefined;
  out?: (line: string) => void;
}): Promise<{ code: number; result: WorkflowResult; plan: Record<string, string> }> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const root = opts.root;
  let version = opts.version;
  if (!version) {
    const changelog = join(root, 'CHANGELOG.md');
    version = existsSync(changelog) ? newestChangelogVersion(readFileSync(changelog, 'utf8')) : undefined;
    if (!version) throw new Error('CHANGELOG.md names no released version yet: pass --version X.Y.Z');
  }
  const sha = git(root, ['rev-parse', 'HEAD']) || '0'.repeat(40);
  const branch = git(root, ['rev-parse', '--abbrev-ref', 'HEAD']) || 'main';
  const repository = originRepository(root);
  const github = {
    event_name: 'workflow_dispatch',
    event: { inputs: { version } },
    repository,
    repository_owner: repository.split('/')[0],
    sha,
    ref: `refs/heads/${branch}`,
    ref_name: branch,
    ref_type: 'branch',
    server_url: 'https://github.com',
    workspace: root,
    token: '', // no GitHub token locally: nothing can reach the GitHub API
  };
  const runDir = mkdtempSync(join(tmpdir(), 'polyglot-cd-release-'));
  out(
    `polyglot-cd release --dry-run: .github/workflows/release.yml for ${version} on ${root.replace(/(.)\/+$/, '$1')} (${branch} at ${sha.slice(0, 12)})`,
  );
  out('nothing is published: the jobs that attest, release and move the tag are skipped\n');
  try {
    const result = await runWorkflow({
      file: join(root, '.github', 'workflows', 'release.yml'),
      inputs: { version },
      github,
      runDir,
      baseEnv: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_WORKSPACE: root,
        GITHUB_REPOSITORY: repository,
        GITHUB_SHA: sha,
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        POLYGLOT_CD_RELEASE_DRY_RUN: '1',
      },
      runAction: () => {
        throw new Error('release.yml runs none of our actions');
      },
      skipJob: dryRunSkipReason,
      out,
    });
    const planJob = result.jobs.find((j) => j.id === 'plan');
    const plan = planJob?.outputs ?? {};
    const ok = planJob?.result === 'success';
    out('\nRelease plan (dry run)');
    out(
      `  version    ${plan.tag || `v${version.replace(/^v/, '')}`}${plan.prerelease === 'true' ? ' (prerelease)' : ''}`,
    );
    out(`  commit     ${plan.sha || sha}`);
    out(
      `  dist check ${ok ? 'passed: the rebuild is byte-identical to the committed dist/' : plan['dist-ok'] === 'false' ? 'FAILED: dist/ is not what its sources build (see above)' : 'not passed: the plan failed (see above)'}`,
    );
    out(
      `  major tag  ${plan.major ? (plan['move-major'] === 'true' ? `${plan.major} would move to ${plan.sha} (${plan['major-reason']})` : `${plan.major} stays: ${plan['major-reason']}`) : 'unknown: the plan failed'}`,
    );
    for (const j of result.jobs.filter((j) => j.reason)) out(`  ○ ${j.id}: ${j.reason}`);
    out(
      ok
        ? '\n✔ release plan ready (dry run: nothing published)'
        : '\n✘ release plan failed (dry run: nothing published)',
    );
    return { code: ok ? 0 : 1, result, plan };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
