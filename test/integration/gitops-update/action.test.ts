/**
 * gitops-update end to end, in process through the kit (outputs, summary and exit code as the runner
 * sees them): against a real Git server (git http-backend behind HTTPS with a private CA and token auth,
 * test/git/server.ts) for the plain-git path, and against the local GitHub API server backed by a real
 * bare repository (test/fakes/github-git-api.ts, replaying GitHub's response shapes) for the API path
 * and its pull requests. The resulting trees are read back with git.
 */
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../actions/gitops-update/src/main.js';
import { commitFiles, head, initBare, log, show } from '../../git/repo.js';
import { startGitServer, type GitServer } from '../../git/server.js';
import { startFakeGithub, type FakeGithub } from '../../fakes/github-git-api.js';
import { runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';

const TOKEN = canary('gitops action token');
const D = (c: string): string => `sha256:${c.repeat(64)}`;
const SHA = (c: string): string => c.repeat(40);

const VALUES = `# Tenant acme: values for charts/app
components:
  backend:
    image:
      repository: registry.example/shop/backend
      # the digest gitops-update writes
      digest: ${D('0')}
    replicas: 2 # keep two
  frontend:
    image: {repository: registry.example/shop/frontend, digest: "${D('0')}"}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example/shop/frontend@${D('0')}
          ports: [{containerPort: 3000}]
`;

const TARGETS = [
  'backend tenants/acme-values.yaml values components.backend.image.digest',
  'frontend tenants/acme-values.yaml values components.frontend.image.digest',
  'frontend apps/web.yaml container web',
].join('\n');

function images(c: string): string {
  return `backend: registry.example/shop/backend@${D(c)}\nfrontend: registry.example/shop/frontend@${D(c)}`;
}

let dir: string;
let server: GitServer;
let repoCount = 0;
const FAST = { retry: { baseDelayMs: 10, maxDelayMs: 100 }, random: () => 0.5 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcd-gitops-action-'));
  server = await startGitServer({ dir: join(dir, 'git'), token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function gitRepo(): Promise<{ bare: string; url: string }> {
  const name = `app${++repoCount}`;
  const bare = await initBare(server.root, name);
  await commitFiles(bare, {
    branch: 'main',
    files: { 'tenants/acme-values.yaml': VALUES, 'apps/web.yaml': DEPLOYMENT },
    message: 'base',
  });
  return { bare, url: server.url(name) };
}

function runGit(inputs: Record<string, string>, run = '40', sha = SHA('c')): Promise<ActionRun> {
  const ws = workspace(
    { token: TOKEN, 'ca-file': server.caFile, images: images('a'), targets: TARGETS, mode: 'push', ...inputs },
    { GITHUB_RUN_NUMBER: run, GITHUB_SHA: sha },
  );
  return runInProcess('gitops-update', (ctx) => main(ctx, FAST), ws);
}

/** What a user could read: everything but the `::add-mask::` lines, which the runner consumes. */
function shown(run: ActionRun): string {
  return run.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

/** The file as it was, with only the lines that hold `from` changed to hold `to` (and a stamp). */
function expected(text: string, from: string, to: string, run: number, sha: string): string {
  return text
    .split('\n')
    .map((l) => (l.includes(from) ? `${l.replace(from, to)} # polyglot-cd: run=${run} commit=${sha}` : l))
    .join('\n');
}

describe('gitops-update through plain git (HTTPS, private CA, token auth)', () => {
  it('push: one commit with every target, byte for byte apart from the digests and their stamps', async () => {
    const { bare, url } = await gitRepo();
    const before = await head(bare, 'main');
    const run = await runGit({ 'git-url': url });
    expect(run.code, run.stdout).toBe(0);
    const after = await head(bare, 'main');
    expect(after).not.toBe(before);
    expect(run.outputs).toMatchObject({ changed: 'true', commit: after });
    expect(await show(bare, 'main', 'tenants/acme-values.yaml')).toBe(expected(VALUES, D('0'), D('a'), 40, SHA('c')));
    expect(await show(bare, 'main', 'apps/web.yaml')).toBe(expected(DEPLOYMENT, D('0'), D('a'), 40, SHA('c')));
    const [last] = await log(bare, 'main');
    expect(last?.subject).toBe('Deploy backend, frontend to production (example-org/shop@ccccccc)');
    expect(run.outputs['diff']).toContain(`-      digest: ${D('0')}`);
    expect(run.outputs['diff']).toContain('+++ b/apps/web.yaml');
    expect(run.summary).toContain('## GitOps update');
    expect(run.summary).toContain(
      `| backend | <code>tenants/acme-values.yaml</code> | values components.backend.image.digest | updated | ${D('0')} |`,
    );
    expect(shown(run)).not.toContain(TOKEN);
  });

  it('the same images again: no commit, changed=false; an older run after a newer one is kept out', async () => {
    const { bare, url } = await gitRepo();
    expect((await runGit({ 'git-url': url })).code).toBe(0);
    const landed = await head(bare, 'main');
    const again = await runGit({ 'git-url': url });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ changed: 'false', commit: landed, diff: '' });
    const older = await runGit({ 'git-url': url, images: images('b') }, '39', SHA('d'));
    expect(older.code).toBe(0);
    expect(older.outputs['changed']).toBe('false');
    expect(older.summary).toContain('kept: holds a newer run \\(run 40, ccccccc\\)');
    expect(await head(bare, 'main')).toBe(landed);
  });

  it("a race: 8 runs for 8 tenants at once all land; 2 runs for one key keep the newer run's digest", async () => {
    const name = `race${++repoCount}`;
    const bare = await initBare(server.root, name);
    const tenants = Array.from({ length: 8 }, (_, i) => `t${i}`);
    const files = Object.fromEntries(tenants.map((t) => [`tenants/${t}-values.yaml`, VALUES]));
    await commitFiles(bare, { branch: 'main', files, message: 'base' });
    const url = server.url(name);
    const target = (t: string): string => `backend tenants/${t}-values.yaml values components.backend.image.digest`;
    const runs = await Promise.all([
      ...tenants.map((t, i) => runGit({ 'git-url': url, targets: target(t), 'max-attempts': '12' }, String(70 + i))),
      // the same key of t0 from two runs: 90 (newer) and 80 (older), started together
      runGit({ 'git-url': url, targets: target('t0'), images: images('b'), 'max-attempts': '12' }, '90', SHA('9')),
      runGit({ 'git-url': url, targets: target('t0'), images: images('c'), 'max-attempts': '12' }, '80', SHA('8')),
    ]);
    for (const r of runs) expect(r.code, r.stdout).toBe(0);
    for (const t of tenants.slice(1)) {
      expect(await show(bare, 'main', `tenants/${t}-values.yaml`)).toContain(`digest: ${D('a')} # polyglot-cd: run=`);
    }
    expect(await show(bare, 'main', 'tenants/t0-values.yaml')).toContain(
      `digest: ${D('b')} # polyglot-cd: run=90 commit=${SHA('9')}`,
    );
    // one commit per run that changed something: t1…t7 once each; t0 once for run 90, and once more for
    // each older run (70, 80) that happened to land before it (a run after it finds a newer stamp, no commit)
    const commits = (await log(bare, 'main')).length - 1;
    expect(commits).toBeGreaterThanOrEqual(8);
    expect(commits).toBeLessThanOrEqual(10);
    const skipped = runs.filter((r) => r.outputs['changed'] === 'false').length;
    expect(commits + skipped).toBe(runs.length);
  }, 120_000);

  it('dry run: the diff as an output and in the summary, nothing pushed', async () => {
    const { bare, url } = await gitRepo();
    const before = await head(bare, 'main');
    const run = await runGit({ 'git-url': url, 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(run.outputs['changed']).toBe('true');
    expect(run.outputs['diff']).toMatch(
      /^--- a\/tenants\/acme-values\.yaml\n\+\+\+ b\/tenants\/acme-values\.yaml\n@@ /m,
    );
    expect(run.summary).toContain('dry run: would commit the diff below');
    expect(await head(bare, 'main')).toBe(before);
  });

  it('a missing key: an input error naming the file and the path, nothing pushed', async () => {
    const { bare, url } = await gitRepo();
    const before = await head(bare, 'main');
    const run = await runGit({
      'git-url': url,
      targets: 'backend tenants/acme-values.yaml values components.api.image.digest',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*tenants\/acme-values\.yaml.*components\.api/);
    expect(run.summary).toContain('### gitops-update: Input error: fix the input and run again');
    expect(await head(bare, 'main')).toBe(before);
  });

  it('a tool failure: the server refuses the push (a pre-receive hook); outputs and summary still written', async () => {
    const { bare, url } = await gitRepo();
    const hook = join(bare, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "protected branch: changes need a review" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const run = await runGit({ 'git-url': url });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('### gitops-update: A tool failed');
    expect(run.stdout).toContain('protected branch');
    expect(run.outputs['changed']).toBe('false');
    expect(shown(run)).not.toContain(TOKEN);
  });

  it('an infrastructure failure: nothing listens at the URL; retried, then the infrastructure block', async () => {
    const run = await runGit({ 'git-url': 'https://127.0.0.1:1/gone.git', 'max-attempts': '2' });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('### gitops-update: Infrastructure failure: gave up after retrying');
    expect(run.outputs['changed']).toBe('false');
  });

  it('an input error: a target naming a component that is not an image; no outputs, the input block', async () => {
    const run = await runGit({ 'git-url': 'https://127.0.0.1:1/x.git', targets: 'api tenants/a.yaml values x.y' });
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({});
    expect(run.stdout).toContain('Input "targets"');
    expect(run.summary).toContain('| Result | nothing written: the inputs are not valid |');
    expect(run.summary).toContain('### gitops-update: Input error: fix the input and run again');
  });
});

describe("gitops-update through GitHub's API (local server backed by a real repository)", () => {
  let gh: FakeGithub;
  beforeAll(async () => {
    gh = await startFakeGithub({ token: TOKEN, owner: 'platform', repo: 'gitops' });
  });
  afterAll(async () => gh?.close());

  function runApi(inputs: Record<string, string>, run = '50', sha = SHA('e')): Promise<ActionRun> {
    const ws = workspace(
      {
        token: TOKEN,
        repository: gh.repository,
        'github-api-url': gh.url,
        images: images('a'),
        targets: TARGETS,
        ...inputs,
      },
      { GITHUB_RUN_NUMBER: run, GITHUB_SHA: sha },
    );
    return runInProcess('gitops-update', (ctx) => main(ctx, FAST), ws);
  }

  it('pull-request: the environment branch and one pull request, updated in place by the next run', async () => {
    await gh.seed('main', { 'tenants/acme-values.yaml': VALUES, 'apps/web.yaml': DEPLOYMENT });
    const first = await runApi({ environment: 'prod', labels: 'deploy, prod', 'auto-merge': 'squash' });
    expect(first.code, first.stdout).toBe(0);
    expect(gh.pulls).toHaveLength(1);
    const pr = gh.pulls[0];
    expect(pr).toMatchObject({
      head: 'polyglot-cd/gitops/prod',
      base: 'main',
      state: 'open',
      labels: ['deploy', 'prod'],
    });
    expect(pr?.autoMerge).toBe('SQUASH');
    expect(first.outputs).toMatchObject({ changed: 'true', 'pull-request-number': String(pr?.number) });
    expect(first.outputs['pull-request-url']).toMatch(/^https:\/\/github\.com\/platform\/gitops\/pull\/\d+$/);
    const branchHead = await gh.head('polyglot-cd/gitops/prod');
    expect(first.outputs['commit']).toBe(branchHead);
    expect(gh.signedCommits.has(branchHead ?? '')).toBe(true);
    expect(await gh.readFile('main', 'tenants/acme-values.yaml')).toBe(VALUES);
    expect(pr?.body).toContain(`\`${D('a')}\``);

    const second = await runApi({ environment: 'prod', images: images('b') }, '51', SHA('f'));
    expect(second.code, second.stdout).toBe(0);
    expect(gh.pulls).toHaveLength(1);
    expect(second.outputs['pull-request-number']).toBe(String(pr?.number));
    expect(await gh.readFile('polyglot-cd/gitops/prod', 'apps/web.yaml')).toBe(
      expected(DEPLOYMENT, D('0'), D('b'), 51, SHA('f')),
    );
    const commitPosts = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git/commits'));
    for (const c of commitPosts) expect(Object.keys(c.body as object).sort()).toEqual(['message', 'parents', 'tree']);
    expect(JSON.stringify(gh.requests)).not.toContain(TOKEN);
  });

  it('push: straight to the base branch, no pull request', async () => {
    await gh.seed('main', { 'tenants/acme-values.yaml': VALUES, 'apps/web.yaml': DEPLOYMENT });
    const pulls = gh.pulls.length;
    const run = await runApi({ mode: 'push' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['commit']).toBe(await gh.head('main'));
    expect(run.outputs['pull-request-number']).toBeUndefined();
    expect(gh.pulls).toHaveLength(pulls);
  });
});
