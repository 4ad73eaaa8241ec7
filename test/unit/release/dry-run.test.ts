/**
 * The release dry run: the local workflow runner on workflow_dispatch workflows with jobs the caller
 * skips (bin/lib/workflow-runner.ts), which jobs of release.yml a dry run skips and why
 * (bin/lib/release.ts), and `polyglot-cd release --dry-run` end to end on a clean clone of this
 * working tree: release.yml's plan job really runs (bootstrap, a rebuild of every bundle, the
 * comparison with the committed dist/) and the publishing jobs are skipped with what they would do.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { runWorkflow } from '../../../bin/lib/workflow-runner.ts';
import type { RunWorkflowOptions, WorkflowResult } from '../../../bin/lib/workflow-runner.ts';
import { dryRunSkipReason, newestChangelogVersion } from '../../../bin/lib/release.ts';
import { cleanClone, git, removeClone, run } from './clone.js';

type Result = WorkflowResult;

const DISPATCH = `
on:
  workflow_dispatch:
    inputs:
      version: { type: string, required: true }
      loud: { type: boolean, default: false }
permissions: {}
jobs:
  plan:
    runs-on: ubuntu-latest
    outputs:
      tag: \${{ steps.t.outputs.tag }}
    steps:
      - id: t
        env:
          V: \${{ inputs.version }}
          LOUD: \${{ inputs.loud }}
        run: |
          echo "planning $V loud=$LOUD"
          echo "tag=v$V" >> "$GITHUB_OUTPUT"
  publish:
    needs: plan
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: echo "PUBLISHED"
  after:
    needs: publish
    runs-on: ubuntu-latest
    steps:
      - run: echo "AFTER"
`;

async function dispatch(
  inputs: Record<string, string>,
  skipJob?: RunWorkflowOptions['skipJob'],
): Promise<{ r: Result; lines: string[]; seen: unknown[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-dispatch-'));
  writeFileSync(join(dir, 'wf.yml'), DISPATCH);
  const lines: string[] = [];
  const seen: unknown[] = [];
  const r = await runWorkflow({
    file: join(dir, 'wf.yml'),
    inputs,
    github: { event_name: 'workflow_dispatch' },
    runDir: join(dir, 'run'),
    baseEnv: { PATH: process.env['PATH'] },
    runAction: () => {
      throw new Error('no actions here');
    },
    skipJob:
      skipJob ??
      ((id, job, needs) => {
        seen.push([id, needs]);
        return typeof job.permissions === 'object' && job.permissions['contents'] === 'write'
          ? `would publish ${needs['plan']?.outputs['tag']}`
          : undefined;
      }),
    out: (l: string) => lines.push(l),
  });
  return { r, lines, seen };
}

describe('the local workflow runner on a workflow_dispatch workflow', () => {
  it('takes the dispatch inputs (typed, required) and skips the jobs skipJob names, with the reason, and what needs them', async () => {
    const { r, lines, seen } = await dispatch({ version: '1.2.3', loud: 'true' });
    expect(lines).toContain('    planning 1.2.3 loud=true');
    expect(r.jobs.map((j) => [j.id, j.result, j.reason ?? ''])).toEqual([
      ['plan', 'success', ''],
      ['publish', 'skipped', 'would publish v1.2.3'],
      ['after', 'skipped', ''],
    ]);
    expect(lines).toContain('○ publish: skipped (would publish v1.2.3)');
    expect(lines.join('\n')).not.toContain('PUBLISHED');
    expect(lines.join('\n')).not.toContain('AFTER');
    expect(seen[1]).toEqual(['publish', { plan: { result: 'success', outputs: { tag: 'v1.2.3' } } }]);
    expect(r.result).toBe('success');
  });

  it('without skipJob every job runs; a missing or unknown dispatch input is refused', async () => {
    const { lines } = await dispatch({ version: '1' }, () => undefined);
    expect(lines).toContain('    PUBLISHED');
    expect(lines).toContain('    AFTER');
    await expect(dispatch({})).rejects.toThrow('the workflow needs the input version');
    await expect(dispatch({ version: '1', nope: 'x' })).rejects.toThrow('the workflow declares no input nope');
  });
});

describe('release.yml in a dry run', () => {
  const wf = parse(readFileSync(join(repoRoot, '.github', 'workflows', 'release.yml'), 'utf8')) as {
    jobs: Record<string, { permissions?: Record<string, string> }>;
  };
  const plan = {
    plan: {
      result: 'success',
      outputs: {
        tag: 'v1.4.0',
        major: 'v1',
        sha: 'c0ffee',
        'move-major': 'true',
        'major-reason': 'v1 moves from a to c0ffee',
      },
    },
  };

  it('runs the plan job only; every job that may write is skipped, saying what it would do', () => {
    const reasons = Object.fromEntries(
      Object.entries(wf.jobs).map(([id, job]) => [id, dryRunSkipReason(id, job, plan)]),
    );
    expect(reasons['plan']).toBeUndefined();
    for (const [id, job] of Object.entries(wf.jobs)) {
      if (Object.values(job.permissions ?? {}).includes('write'))
        expect(reasons[id], id).toMatch(/^dry run: .*needs GitHub \(.*: write/);
    }
    expect(reasons['publish']).toBe(
      'dry run: would create the GitHub release v1.4.0, then move v1 to c0ffee; needs GitHub (contents: write)',
    );
    expect(reasons['attest']).toBe(
      'dry run: would attest build provenance of dist/**/*.js at c0ffee; needs GitHub (id-token: write, attestations: write)',
    );
    expect(reasons['test']).toContain('bash .ci/run');
    const stays = {
      plan: {
        ...plan.plan,
        outputs: {
          ...plan.plan.outputs,
          'move-major': 'false',
          'major-reason': 'v1.5.0 is newer than v1.4.0: v1 stays',
        },
      },
    };
    expect(dryRunSkipReason('publish', wf.jobs['publish'] ?? {}, stays)).toContain(
      'v1 stays (v1.5.0 is newer than v1.4.0: v1 stays)',
    );
    const failed = { plan: { result: 'failure', outputs: plan.plan.outputs } };
    for (const id of ['test', 'attest', 'publish'])
      expect(dryRunSkipReason(id, wf.jobs[id] ?? {}, failed), id).toBe(
        'the plan failed: on GitHub this job would not run either',
      );
  });

  it('the default version is the newest released one in CHANGELOG.md', () => {
    expect(
      newestChangelogVersion('# Changelog\n\n## [Unreleased]\n\n## [1.3.0] - 2026-12-01\n\n## [1.2.0] - 2026-11-01\n'),
    ).toBe('1.3.0');
    expect(newestChangelogVersion('# Changelog\n\n## [Unreleased]\n')).toBeUndefined();
  });
});

describe('polyglot-cd release --dry-run', () => {
  it('prints the release plan of a clean clone: the version, the dist check passing, the tag move; nothing published', async () => {
    const clone = await cleanClone({ snapshot: true });
    const cache = mkdtempSync(join(tmpdir(), 'pcd-ncc-'));
    try {
      const sha = git(clone, 'rev-parse', 'HEAD');
      const cli = (args: string[]) =>
        run(process.execPath, [join(clone, 'bin', 'polyglot-cd.ts'), ...args], {
          cwd: clone,
          env: { ...process.env, NO_COLOR: '1', TMPDIR: cache },
          timeoutMs: 900_000,
        });
      const r = await cli(['release', '--dry-run', '--version', '7.1.0']);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('✔ release plan ready (dry run: nothing published)');
      expect(r.out).toContain(
        `  version    v7.1.0\n  commit     ${sha}\n  dist check passed: the rebuild is byte-identical to the committed dist/`,
      );
      expect(r.out).toContain(`  major tag  v7 would move to ${sha} (v7 does not exist yet: it is created at ${sha})`);
      expect(r.out).toMatch(/ {4}sha256:[0-9a-f]{64} {2}dist\/helm-deploy\/index\.js/);
      expect(r.out).toContain(
        `○ GitHub release, then the major tag: skipped (dry run: would create the GitHub release v7.1.0, then move v7 to ${sha}; needs GitHub (contents: write))`,
      );
      expect(r.out).toContain(`  ○ publish: dry run: would create the GitHub release v7.1.0, then move v7 to ${sha}`);
      expect(r.out).toContain(`  ○ attest: dry run: would attest build provenance of dist/**/*.js at ${sha}`);
      expect(r.out).toContain('  ○ test: dry run: the full test command (bash .ci/run');
      // the rebuild left the committed dist/ as it was
      expect(git(clone, 'status', '--porcelain', '--', 'dist')).toBe('');

      // a real release is never cut here
      const real = await cli(['release', '--version', '7.1.0']);
      expect(real.code).toBe(2);
      expect(real.out).toContain('only --dry-run runs here');
    } finally {
      removeClone(clone);
      rmSync(cache, { recursive: true, force: true });
    }
  }, 1_200_000);
});
