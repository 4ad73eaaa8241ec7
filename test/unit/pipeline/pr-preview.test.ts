/**
 * The logic of the real .github/workflows/pr-preview.yml, run by the local workflow runner with our
 * actions answered by a recorder (the real bundles run in test/integration/pipeline): what reaches
 * helm-deploy, the sticky comment and the card, and what a fork PR or a failed scan gate skips.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { runWorkflow } from '../../../bin/lib/workflow-runner.ts';
import type { ActionResult, WorkflowResult } from '../../../bin/lib/workflow-runner.ts';

interface Call {
  action: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
}
type Result = WorkflowResult;

const D = (c: string): string => `sha256:${c.repeat(64)}`;
const OWN_SHA = '5eed000000000000000000000000000000c0ffee';
/** what the job context says of this reusable workflow when a caller runs it at @v1 */
const IDENTITY = { repository: 'org/polyglot-cd', sha: OWN_SHA, file_path: '.github/workflows/pr-preview.yml' };

async function preview(
  opts: {
    headRepo?: string;
    failGate?: string;
    failSecrets?: boolean;
    verification?: string;
    /** GITHUB_WORKSPACE: where run steps run (the caller's checkout) */
    workspace?: string;
    inputs?: Record<string, string>;
    secrets?: Record<string, string>;
    token?: string;
    eventName?: string;
    identity?: Record<string, string>;
    lines?: string[];
  } = {},
): Promise<{ r: Result; calls: Call[] }> {
  const calls: Call[] = [];
  const archives = mkdtempSync(join(tmpdir(), 'pcd-preview-archives-'));
  const r = await runWorkflow({
    file: join(repoRoot, '.github', 'workflows', 'pr-preview.yml'),
    inputs: {
      'pr-number': '42',
      components:
        '[{"name":"backend","context":"backend"},{"name":"frontend","context":"frontend","file":"frontend/Dockerfile"}]',
      'image-prefix': 'registry.example/shop/',
      domain: 'preview.example.com',
      'values-files': 'deploy/values.yaml',
      ...opts.inputs,
    },
    secrets: opts.secrets ?? {
      kubeconfig: 'apiVersion: v1',
      'teams-webhook-url': 'https://x.logic.azure.com/hook?sig=s',
    },
    github: {
      event_name: opts.eventName ?? 'pull_request',
      repository: 'acme/shop',
      actor: 'octocat',
      token: opts.token ?? 'ghs_token',
      run_id: '1',
      server_url: 'https://github.com',
      event: {
        pull_request: {
          number: 42,
          head: { repo: { full_name: opts.headRepo ?? 'acme/shop' } },
          base: { repo: { full_name: 'acme/shop' } },
        },
        repository: { name: 'shop' },
      },
    },
    runDir: mkdtempSync(join(tmpdir(), 'pcd-preview-')),
    // the legs one after the other: the assertions below read the actions' calls in matrix order
    parallelism: 1,
    baseEnv: { PATH: process.env['PATH'], ...(opts.workspace ? { GITHUB_WORKSPACE: opts.workspace } : {}) },
    workflowIdentity: { ...IDENTITY, ...opts.identity },
    out: (l: string) => opts.lines?.push(l),
    runAction: async (action, o): Promise<ActionResult> => {
      calls.push({ action, inputs: o.inputs, env: o.env });
      const target = o.inputs['image'] ?? o.inputs['input'] ?? '';
      const c = target.includes('backend') ? 'b' : 'f';
      switch (action) {
        case 'build-push': {
          if (o.inputs['from-archive']) {
            const digest = o.inputs['expected-digest'] ?? '';
            return { code: 0, outputs: { image: `${o.inputs['image']}@${digest}`, digest }, summary: '' };
          }
          // push: false writes the OCI archive the gate scans and the push job pushes
          const archive = join(archives, `${o.inputs['image']?.split('/').pop() ?? 'x'}.oci.tar`);
          writeFileSync(archive, `archive ${c}`);
          return { code: 0, outputs: { archive, digest: D(c) }, summary: '' };
        }
        case 'trivy-gate':
          if (o.inputs['path'])
            return opts.failSecrets
              ? { code: 1, outputs: { passed: 'false', summary: '1 CRITICAL secret — failed' }, summary: '' }
              : { code: 0, outputs: { passed: 'true', summary: '0 secrets — passed' }, summary: '' };
          return opts.failGate && target.includes(opts.failGate)
            ? {
                code: 1,
                outputs: {
                  passed: 'false',
                  digest: D(c),
                  summary: '1 CRITICAL, 0 HIGH — failed (threshold CRITICAL)',
                  sarif: '',
                },
                summary: '',
              }
            : {
                code: 0,
                outputs: {
                  passed: 'true',
                  digest: D(c),
                  summary: '0 CRITICAL, 0 HIGH — passed (threshold CRITICAL)',
                  sarif: '/tmp/x.sarif',
                },
                summary: '',
              };
        case 'helm-deploy':
          return {
            code: 0,
            outputs: {
              url: 'https://pr-42.preview.example.com',
              namespace: 'pr-42',
              revision: '3',
              ...(opts.verification ? { verification: opts.verification } : {}),
            },
            summary: '',
          };
        default:
          return { code: 0, outputs: { delivered: 'true' }, summary: '' };
      }
    },
  });
  return { r, calls };
}

const jobResult = (r: Result, id: string): string | undefined => r.jobs.find((j) => j.id === id)?.result;
const comment = (r: Result): string =>
  r.jobs.find((j) => j.id === 'comment')?.steps.find((s) => s.step === 'Post or update the sticky comment')?.detail ??
  '';

describe('pr-preview.yml', () => {
  it('a same-repository PR: every digest is scanned and deployed into pr-<N>, commented and notified', async () => {
    const { r, calls } = await preview();
    expect(r.result).toBe('success');
    // the repository's secret scan first; per component build to an archive, scan it; then push what was scanned
    expect(calls.map((c) => c.action)).toEqual([
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'build-push',
      'helm-deploy',
      'teams-notify',
    ]);
    expect(calls[0]?.inputs).toMatchObject({ path: '.', scanners: 'secret', 'fail-on': 'CRITICAL' });
    expect(calls[0]?.inputs['skip-dirs']?.split('\n').filter(Boolean)).toEqual(['.polyglot-cd', 'polyglot-cd-base']);
    const [, buildB, gateB, buildF, gateF, pushB, pushF] = calls;
    // the layer cache: production's (read only) and the pull requests' own; never written where production reads
    expect(buildB?.inputs['cache-from']?.split('\n')).toEqual([
      'registry.example/shop/backend-cache',
      'registry.example/shop/backend-cache-pr',
    ]);
    expect(buildB?.inputs['cache-to']).toBe('registry.example/shop/backend-cache-pr');
    expect(buildF?.inputs['cache-to']).toBe('registry.example/shop/frontend-cache-pr');
    expect(buildB?.inputs).toMatchObject({
      image: 'registry.example/shop/backend',
      context: 'backend',
      file: '',
      push: 'false',
      username: 'octocat',
      password: 'ghs_token',
    });
    expect(buildF?.inputs).toMatchObject({
      image: 'registry.example/shop/frontend',
      context: 'frontend',
      file: 'frontend/Dockerfile',
      push: 'false',
    });
    // the gate scans the archive, not a pushed image: nothing is in the registry yet
    expect(gateB?.inputs['input']).toMatch(/backend\.oci\.tar$/);
    expect(gateB?.inputs['image']).toBeUndefined();
    expect(gateF?.inputs['input']).toMatch(/frontend\.oci\.tar$/);
    // the push takes the scanned archive and the scanned digest, which build-push checks
    expect(pushB?.inputs).toMatchObject({
      image: 'registry.example/shop/backend',
      'expected-digest': D('b'),
      username: 'octocat',
      password: 'ghs_token',
    });
    expect(pushB?.inputs['from-archive']).toMatch(/polyglot-cd\/archive\/backend\.oci\.tar$/);
    expect(pushF?.inputs['expected-digest']).toBe(D('f'));
    const deploy = calls.find((c) => c.action === 'helm-deploy');
    expect(deploy?.inputs).toEqual({
      release: 'shop',
      'pr-number': '42',
      domain: 'preview.example.com',
      kubeconfig: 'apiVersion: v1',
      images: `backend: registry.example/shop/backend@${D('b')}\nfrontend: registry.example/shop/frontend@${D('f')}`,
      'values-files': 'deploy/values.yaml',
      values: '',
      chart: '',
      'helm-version': '',
      // the preview identity binds itself to examples/rbac/preview.yaml's namespaced role inside pr-<N>
      'namespace-role': 'polyglot-cd-preview-namespace',
      checks: '',
      'checks-timeout': '2m',
      // no pull secret unless asked for (the job token would expire with the job)
      'registry-username': '',
      'registry-password': '',
    });
    expect(r.jobs.find((j) => j.id === 'deploy')?.environment).toEqual({
      name: 'pr-42',
      url: 'https://pr-42.preview.example.com',
    });
    expect(r.outputs['url']).toBe('https://pr-42.preview.example.com');
    const notify = calls.find((c) => c.action === 'teams-notify');
    expect(notify?.inputs).toMatchObject({
      status: 'success',
      environment: 'pr-42',
      namespace: 'pr-42',
      url: 'https://pr-42.preview.example.com',
    });
    expect(notify?.inputs['facts']?.split('\n')).toEqual([
      `backend=registry.example/shop/backend@${D('b')}`,
      `frontend=registry.example/shop/frontend@${D('f')}`,
      'scan backend=0 CRITICAL, 0 HIGH — passed (threshold CRITICAL)',
      'scan frontend=0 CRITICAL, 0 HIGH — passed (threshold CRITICAL)',
    ]);
    expect(comment(r)).toContain('<!-- polyglot-cd:pr-preview -->\n### Preview: https://pr-42.preview.example.com');
    expect(comment(r)).toContain(
      `| \`backend\` | \`registry.example/shop/backend@${D('b')}\` | 0 CRITICAL, 0 HIGH — passed (threshold CRITICAL) |`,
    );
  });

  it("polyglot-cd's actions come from the workflow's own commit (job context), not from a tag", async () => {
    const lines: string[] = [];
    const { r } = await preview({ lines });
    expect(r.jobs.find((j) => j.id === 'own-commit')?.outputs).toEqual({ repository: 'org/polyglot-cd', sha: OWN_SHA });
    expect(lines).toContain(
      `    polyglot-cd's actions come from org/polyglot-cd at ${OWN_SHA}: the commit of this workflow`,
    );
    // every job that runs one of our actions checks it out at that commit first (skipped here: the working tree is it)
    for (const id of ['secret-scan', 'build', 'push', 'deploy', 'notify']) {
      expect(r.jobs.find((j) => j.id === id)?.steps.map((s) => s.step)).toContain(
        "polyglot-cd at the workflow's own commit",
      );
    }
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'no workflow identity (GitHub Enterprise Server)',
      { repository: '', sha: '', file_path: '' },
      '::error::job.workflow_repository and job.workflow_sha are empty',
    ],
    [
      'a repository name that walks up',
      { repository: 'org/..' },
      "::error::job.workflow_repository 'org/..' is not an owner/repository name",
    ],
    ['a repository with a path in it', { repository: 'org/polyglot-cd/../x' }, 'is not an owner/repository name'],
    ['a commit that is not 40 hex', { sha: 'v1' }, "::error::job.workflow_sha 'v1' is not a 40-hex commit"],
  ])('a job context with %s: nothing of ours runs', async (_name, identity, message) => {
    const lines: string[] = [];
    const { r, calls } = await preview({ identity, lines });
    expect(jobResult(r, 'own-commit')).toBe('failure');
    expect(lines.join('\n')).toContain(message);
    expect(calls).toEqual([]); // not even the card: teams-notify is one of our actions too
  });

  it('a fork PR builds and scans but never deploys or comments; without secrets nothing is notified', async () => {
    const { r, calls } = await preview({
      headRepo: 'mallory/shop',
      secrets: { kubeconfig: '', 'teams-webhook-url': '' },
    });
    expect(calls.map((c) => c.action)).toEqual([
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'build-push',
    ]);
    expect(calls[1]?.inputs).toMatchObject({ username: 'octocat', password: 'ghs_token' }); // the fork's read-only job token
    expect([jobResult(r, 'deploy'), jobResult(r, 'comment')]).toEqual(['skipped', 'skipped']);
    const notify = r.jobs.find((j) => j.id === 'notify');
    expect(notify?.steps.map((s) => [s.step, s.outcome])).toEqual([
      ['Outcome of the run', 'success'],
      ["polyglot-cd at the workflow's own commit", 'skipped'],
      ['uses ./.polyglot-cd/teams-notify', 'skipped'],
    ]);
  });

  it('called from pull_request_target, nothing is built and nothing is deployed, even for a fork', async () => {
    const { r, calls } = await preview({ eventName: 'pull_request_target', headRepo: 'mallory/shop' });
    expect(r.result).toBe('failure');
    expect(calls.map((c) => c.action).filter((a) => a !== 'teams-notify')).toEqual([]);
    expect(r.jobs.find((j) => j.id === 'deploy')?.result).toBe('skipped');
  });

  it('a failed scan gate stops the run before anything is pushed; the comment and the card say so', async () => {
    const { r, calls } = await preview({ failGate: 'frontend' });
    expect(r.result).toBe('failure');
    // the backend passed its gate, but no push job runs while one component failed
    expect(calls.map((c) => c.action)).toEqual([
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'teams-notify',
    ]);
    expect(calls.filter((c) => c.inputs['from-archive'])).toEqual([]);
    expect([
      jobResult(r, 'build'),
      jobResult(r, 'push'),
      jobResult(r, 'collect'),
      jobResult(r, 'deploy'),
      jobResult(r, 'comment'),
    ]).toEqual(['failure', 'skipped', 'success', 'skipped', 'success']);
    expect(calls.at(-1)?.inputs).toMatchObject({ status: 'failure', url: '' });
    expect(calls.at(-1)?.inputs['facts']).toContain('scan frontend=1 CRITICAL, 0 HIGH — failed (threshold CRITICAL)');
    expect(comment(r)).toContain('### Preview: deploy skipped');
  });

  it('a secret found in the repository stops the run before anything is built', async () => {
    const { r, calls } = await preview({ failSecrets: true });
    expect(r.result).toBe('failure');
    expect(calls.map((c) => c.action)).toEqual(['trivy-gate', 'teams-notify']);
    expect([jobResult(r, 'secret-scan'), jobResult(r, 'build'), jobResult(r, 'deploy')]).toEqual([
      'failure',
      'skipped',
      'skipped',
    ]);
    expect(calls.at(-1)?.inputs).toMatchObject({ status: 'failure' });
  });

  it("a component's checks run in its folder before its build; a failing one stops it and says which", async () => {
    const lines: string[] = [];
    const app = mkdtempSync(join(tmpdir(), 'pcd-preview-app-'));
    mkdirSync(join(app, 'backend'));
    writeFileSync(join(app, 'backend', 'marker'), 'ok');
    const components = JSON.stringify([
      { name: 'backend', context: 'backend', checks: ['test -f marker', 'echo lint-ran', 'exit 3', 'echo never'] },
      { name: 'frontend', context: 'frontend' },
    ]);
    const { r, calls } = await preview({ inputs: { components }, lines, workspace: app });
    expect(r.result).toBe('failure');
    const step = r.jobs.flatMap((j) => j.steps).find((s) => s.step === 'Checks of backend');
    expect(step?.outcome).toBe('failure');
    const out = lines.join('\n');
    expect(out).toContain('lint-ran');
    expect(out).not.toContain('never');
    expect(out).toContain("::error::backend: the check 'exit 3' failed: nothing was built");
    // the backend was not built; the frontend was, but nothing is pushed
    expect(calls.filter((c) => c.action === 'build-push').map((c) => c.inputs['image'])).toEqual([
      'registry.example/shop/frontend',
    ]);
  });

  it('HTTP checks and the pull secret reach helm-deploy; the verification reaches the comment and the card', async () => {
    const verification = JSON.stringify([
      {
        component: 'frontend',
        path: '/api/products',
        status: 200,
        expected: '200 /Espresso/',
        passed: true,
        attempts: 2,
        ms: 812,
      },
      { component: 'backend', path: '/health', status: 200, expected: '200', passed: true, attempts: 1, ms: 40 },
    ]);
    const { r, calls } = await preview({
      inputs: {
        checks: 'frontend /api/products 200 Espresso\nbackend /health',
        'pull-secret': 'true',
        'registry-username': 'bot',
      },
      secrets: {
        kubeconfig: 'k',
        'registry-password': 'reg-pass',
        'teams-webhook-url': 'https://x.logic.azure.com/h?sig=s',
      },
      verification,
    });
    expect(r.result).toBe('success');
    const deploy = calls.find((c) => c.action === 'helm-deploy');
    expect(deploy?.inputs).toMatchObject({
      checks: 'frontend /api/products 200 Espresso\nbackend /health',
      'registry-username': 'bot',
      'registry-password': 'reg-pass',
    });
    expect(r.outputs['verification']).toBe(verification);
    expect(comment(r)).toContain('**Checks after the deploy:** 2 passed, 0 failed');
    expect(calls.at(-1)?.inputs['facts']).toContain('checks=2 passed, 0 failed');
  });

  it('without a registry password or job token there is no login (a local registry)', async () => {
    const { calls } = await preview({ secrets: { kubeconfig: 'k' }, token: '' });
    const builds = calls.filter((c) => c.action === 'build-push');
    expect(builds).toHaveLength(4); // two builds, two pushes
    for (const b of builds) expect(b.inputs).toMatchObject({ username: '', password: '' });
  });

  it("every image timestamp is the commit's (SOURCE_DATE_EPOCH from git log), so the same sources build the same digest", async () => {
    const ws = mkdtempSync(join(tmpdir(), 'pcd-preview-git-'));
    const git = (...args: string[]): void => {
      const r = spawnSync('git', args, {
        cwd: ws,
        env: { ...process.env, GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000123 +0000' },
      });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${String(r.stderr)}`);
    };
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x');
    const { calls } = await preview({ workspace: ws });
    const builds = calls.filter((c) => c.action === 'build-push' && c.inputs['push'] === 'false');
    expect(builds.map((b) => b.env['SOURCE_DATE_EPOCH'])).toEqual(['1700000123', '1700000123']);
    // commit-timestamps: false: the build's own time
    const off = await preview({ workspace: ws, inputs: { 'commit-timestamps': 'false' } });
    const own = off.calls.filter((c) => c.action === 'build-push' && c.inputs['push'] === 'false');
    expect(own.map((b) => b.env['SOURCE_DATE_EPOCH'])).toEqual(['', '']);
    // not a git checkout: no epoch, the build's own time
    const none = await preview({ workspace: mkdtempSync(join(tmpdir(), 'pcd-preview-nogit-')) });
    const unset = none.calls.filter((c) => c.action === 'build-push' && c.inputs['push'] === 'false');
    expect(unset.map((b) => b.env['SOURCE_DATE_EPOCH'])).toEqual(['', '']);
  });

  it('build-cache: false: no layer cache is read or written', async () => {
    const { r, calls } = await preview({ inputs: { 'build-cache': 'false' } });
    expect(r.result).toBe('success');
    const builds = calls.filter((c) => c.action === 'build-push' && c.inputs['push'] === 'false');
    expect(builds).toHaveLength(2);
    for (const b of builds) {
      expect(b.inputs['cache-from']?.trim()).toBe('');
      expect(b.inputs['cache-to']).toBe('');
    }
  });
});

describe('pr-preview.yml: the scan gate takes no orders from the pull request', () => {
  it('the ignore rules come from a checkout of the base commit, never from the PR checkout', async () => {
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    type Step = { id?: string; uses?: string; if?: string; run?: string; with?: Record<string, string> };
    const wf = parse(readFileSync(join(repoRoot, '.github', 'workflows', 'pr-preview.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    for (const job of ['build', 'secret-scan']) {
      const steps = wf.jobs[job]?.steps ?? [];
      const base = steps.find((s) => s.with?.['path'] === 'polyglot-cd-base');
      expect(base?.uses, job).toMatch(/^actions\/checkout@/);
      expect(base?.with).toMatchObject({
        ref: '${{ github.event.pull_request.base.sha }}',
        'persist-credentials': false,
      });
      expect(base?.with?.['sparse-checkout']?.split('\n').filter(Boolean)).toEqual([
        '.trivyignore.yaml',
        '.trivyignore',
      ]);
      const gate = steps.find((s) => s.uses === './.polyglot-cd/trivy-gate');
      expect(gate?.with?.['ignore-file'], job).toBe('${{ steps.ignore.outputs.files }}');
      expect(steps.find((s) => s.id === 'ignore')?.run).toContain('polyglot-cd-base/.trivyignore.yaml');
    }
  });

  it("a pull request whose base branch has no ignore file gets an empty one: the PR's own .trivyignore is never read", async () => {
    const { calls } = await preview();
    const gates = calls.filter((c) => c.action === 'trivy-gate');
    expect(gates).toHaveLength(3);
    for (const g of gates) expect(g.inputs['ignore-file']).toMatch(/polyglot-cd-no-ignore\/\.trivyignore\n?$/);
  });
});
