/**
 * The local workflow runner (bin/lib/workflow-runner.ts) on small workflow_call files: real bash run
 * steps, job order by needs, if: with the implicit success(), matrix legs, outputs across jobs and the
 * local artifact store. Our actions are handed to the runAction callback it is given, which records the
 * evaluated inputs (the real bundles run in test/integration/pipeline/pipeline.kube.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobOrder, matrixLegs, runWorkflow } from '../../../bin/lib/workflow-runner.ts';
import type { JobReport, WorkflowResult } from '../../../bin/lib/workflow-runner.ts';
import { originRepository } from '../../../bin/lib/pipeline.ts';

type Job = JobReport;
type Result = WorkflowResult;

const WORKFLOW = `
on:
  workflow_call:
    inputs:
      names: { type: string, required: true }
      fail-at: { type: string, default: '' }
      flag: { type: boolean, default: false }
    secrets:
      token: { required: true }
    outputs:
      joined: { value: '\${{ jobs.gather.outputs.all }}' }
      url: { value: '\${{ jobs.act.outputs.url }}' }
permissions: {}
jobs:
  make:
    name: make \${{ matrix.n }}
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: \${{ fromJSON(inputs.names) }}
    outputs:
      last: \${{ steps.w.outputs.value }}
    steps:
      - id: w
        env:
          N: \${{ matrix.n }}
          FAIL: \${{ inputs.fail-at }}
        run: |
          [ "$N" != "$FAIL" ] || { echo "failing on purpose"; exit 3; }
          mkdir -p "$RUNNER_TEMP/out"
          printf '%s\\n' "$N" > "$RUNNER_TEMP/out/$N.txt"
          echo "value=$N" >> "$GITHUB_OUTPUT"
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: part-\${{ matrix.n }}
          path: \${{ runner.temp }}/out/\${{ matrix.n }}.txt
      - if: failure()
        run: echo "cleanup after failure"
  gather:
    needs: make
    runs-on: ubuntu-latest
    outputs:
      all: \${{ steps.cat.outputs.all }}
      last: \${{ needs.make.outputs.last }}
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          pattern: part-*
          path: \${{ runner.temp }}/all
          merge-multiple: true
      - id: cat
        run: echo "all=$(cat "$RUNNER_TEMP"/all/*.txt | tr '\\n' ',')" >> "$GITHUB_OUTPUT"
  act:
    needs: gather
    runs-on: ubuntu-latest
    environment:
      name: env-\${{ needs.gather.outputs.last }}
      url: \${{ steps.deploy.outputs.url }}
    outputs:
      url: \${{ steps.deploy.outputs.url }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - id: deploy
        uses: ./.polyglot-cd/helm-deploy
        with:
          release: app
          images: \${{ needs.gather.outputs.all }}
          kubeconfig: \${{ secrets.token }}
      - id: scan
        uses: ./.polyglot-cd/trivy-gate
        with:
          image: x
      - env:
          OUTCOME: \${{ steps.scan.outcome }}
          FLAG: \${{ inputs.flag }}
        run: echo "scan=$OUTCOME flag=$FLAG"
  always:
    needs: act
    if: always()
    runs-on: ubuntu-latest
    steps:
      - env:
          R: \${{ needs.act.result }}
        run: echo "act was $R"
  skipped-when-act-fails:
    needs: act
    runs-on: ubuntu-latest
    steps:
      - run: echo "runs only after a successful act"
`;

function setup(text = WORKFLOW): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-runner-'));
  const file = join(dir, 'wf.yml');
  writeFileSync(file, text);
  return { file, dir };
}

async function run(
  inputs: Record<string, string>,
  extra: Record<string, unknown> = {},
  text = WORKFLOW,
): Promise<{ r: Result; lines: string[]; calls: { action: string; inputs: Record<string, string> }[] }> {
  const { file, dir } = setup(text);
  const lines: string[] = [];
  const calls: { action: string; inputs: Record<string, string> }[] = [];
  const r = await runWorkflow({
    file,
    inputs,
    secrets: { token: 's3cret' },
    github: { repository: 'acme/shop', event_name: 'pull_request' },
    runDir: join(dir, 'run'),
    baseEnv: { PATH: process.env['PATH'] },
    runAction: async (action: string, o: { inputs: Record<string, string> }) => {
      calls.push({ action, inputs: o.inputs });
      return { code: 0, outputs: { url: `http://${o.inputs['release']}.example` }, summary: '### summary' };
    },
    skipAction: (a: string) => (a === 'trivy-gate' ? 'no trivy here' : undefined),
    out: (l: string) => lines.push(l),
    ...extra,
  });
  return { r, lines, calls };
}

const job = (r: Result, id: string): Job => r.jobs.find((j) => j.id === id) as Job;

describe('runWorkflow', () => {
  it('runs jobs in needs order with matrix legs, outputs, artifacts and our actions', async () => {
    const { r, lines, calls } = await run({ names: '["a","b","c"]' });
    expect(r.result).toBe('success');
    expect(r.jobs.map((j) => [j.id, j.result])).toEqual([
      ['make', 'success'],
      ['gather', 'success'],
      ['act', 'success'],
      ['always', 'success'],
      ['skipped-when-act-fails', 'success'],
    ]);
    // the legs run at once, each printed as one block when it ends; the last leg to end sets the outputs, as on GitHub
    const ended = lines.filter((l) => l.startsWith('▶ make')).map((l) => l.slice('▶ make '.length));
    expect([...ended].sort()).toEqual(['a', 'b', 'c']);
    expect(job(r, 'gather').outputs).toEqual({ all: 'a,b,c,', last: ended.at(-1) });
    expect(calls).toEqual([
      { action: 'helm-deploy', inputs: { release: 'app', images: 'a,b,c,', kubeconfig: 's3cret' } },
    ]);
    expect(job(r, 'act').environment).toEqual({ name: `env-${ended.at(-1) ?? ''}`, url: 'http://app.example' });
    expect(r.outputs).toEqual({ joined: 'a,b,c,', url: 'http://app.example' });
    // GitHub-only and unavailable steps are skipped with their reason, never passed
    const steps = job(r, 'act').steps.map((s) => [s.step, s.outcome, s.reason]);
    expect(steps).toContainEqual([
      'uses actions/checkout',
      'skipped',
      'the local pipeline builds your working tree as it is',
    ]);
    expect(steps).toContainEqual(['uses ./.polyglot-cd/trivy-gate', 'skipped', 'no trivy here']);
    expect(lines).toContain('    scan=skipped flag=false');
    expect(lines).toContain('    act was success');
    // the report keeps the legs' steps in matrix order, whichever ended first
    expect([...new Set(job(r, 'make').steps.map((st) => st.job))]).toEqual(['make a', 'make b', 'make c']);
  });

  it('a failing step skips the rest of its job (not failure() steps) and the jobs that need it', async () => {
    const { r, lines } = await run({ names: '["a","b"]', 'fail-at': 'b' });
    expect(r.result).toBe('failure');
    expect(job(r, 'make').result).toBe('failure');
    expect(lines).toContain('    failing on purpose');
    expect(lines).toContain('    cleanup after failure');
    expect(
      job(r, 'make')
        .steps.filter((s) => s.job === 'make b')
        .map((s) => s.outcome),
    ).toEqual(['failure', 'skipped', 'success']);
    expect(['gather', 'act', 'skipped-when-act-fails'].map((id) => job(r, id).result)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(job(r, 'always').result).toBe('success'); // if: always()
    expect(lines).toContain('    act was skipped');
  });

  it('boolean inputs are typed', async () => {
    const { lines } = await run({ names: '["a"]', flag: 'true' });
    expect(lines).toContain('    scan=skipped flag=true');
  });

  it('refuses inputs the workflow does not declare and missing required ones or secrets', async () => {
    await expect(run({ names: '["a"]', nope: 'x' })).rejects.toThrow('the workflow declares no input nope');
    await expect(run({})).rejects.toThrow('the workflow needs the input names');
    await expect(run({ names: '["a"]' }, { secrets: {} })).rejects.toThrow('the workflow needs the secret token');
  });

  it("refuses a workflow GitHub's parser refuses, with its messages and the file's name, before running a step", async () => {
    const malformed = `
on:
  workflow_call:
    inputs:
      names: { type: string, required: true }
jobs:
  no-runner:
    steps:
      - run: echo "NEVER RUN"
  unknown-key:
    runs-on: ubuntu-latest
    timeout: 5
    steps:
      - run: echo "NEVER RUN"
`;
    const { file } = setup(malformed);
    const lines: string[] = [];
    const refused = runWorkflow({
      file,
      inputs: { names: '["a"]' },
      runDir: join(file, '..', 'run'),
      runAction: () => ({ code: 0, outputs: {}, summary: '' }),
      out: (l) => lines.push(l),
    });
    await expect(refused).rejects.toThrow(`${file} is not a valid workflow (@actions/workflow-parser)`);
    await expect(refused).rejects.toThrow('wf.yml (Line: 8, Col: 5): Required property is missing: runs-on');
    await expect(refused).rejects.toThrow("wf.yml (Line: 12, Col: 5): Unexpected value 'timeout'");
    expect(lines.join('\n')).not.toContain('NEVER RUN');
  });
});

/** shell helpers of the leg tests: waitfor <file> [tries] waits for $SYNC/<file> (0.1 s a try), other names the other leg */
const WAIT = `waitfor() { for _ in $(seq "\${2:-100}"); do [ -e "$SYNC/$1" ] && return 0; sleep 0.1; done; echo "no $1"; return 1; }
other() { [ "$N" = p ] && echo q || echo p; }
`;

/**
 * Runs a one-job workflow whose legs (matrix.n) run `script` with N (the leg) and SYNC (a directory the
 * legs meet in). When the runner prints `▶ leg <n>` the test writes $SYNC/<n>.shown: with the legs'
 * output held per leg, that line comes when leg <n> has ended.
 */
async function legs(
  n: string[],
  script: string,
  { strategy = {}, parallelism = 2 }: { strategy?: Record<string, unknown>; parallelism?: number } = {},
): Promise<{ r: Result; lines: string[]; sync: string; runDir: string }> {
  const { file, dir } = setup(`
on:
  workflow_call:
    inputs:
      sync: { type: string, required: true }
      max: { type: number, default: 0 }
permissions: {}
jobs:
  legs:
    name: leg \${{ matrix.n }}
    runs-on: ubuntu-latest
    strategy: ${JSON.stringify({ matrix: { n }, ...strategy })}
    env:
      N: \${{ matrix.n }}
      SYNC: \${{ inputs.sync }}
    outputs:
      last: \${{ steps.s.outputs.n }}
    steps:
      - run: ${JSON.stringify(WAIT + script)}
      - id: s
        run: echo "n=$N" >> "$GITHUB_OUTPUT"
`);
  const sync = join(dir, 'sync');
  mkdirSync(sync);
  const runDir = join(dir, 'run');
  const lines: string[] = [];
  const r = await runWorkflow({
    file,
    inputs: { sync, ...(strategy['max-parallel'] === '${{ inputs.max }}' ? { max: 1 } : {}) },
    runDir,
    baseEnv: { PATH: process.env['PATH'] },
    runAction: () => ({ code: 0, outputs: {}, summary: '' }),
    out: (l: string) => {
      lines.push(l);
      const shown = /^▶ leg (\w+)$/.exec(l)?.[1];
      if (shown) writeFileSync(join(sync, `${shown}.shown`), '');
    },
    mask: (t: string) => t.replaceAll('s3cret', '***'),
    parallelism,
  });
  return { r, lines, sync, runDir };
}

describe('matrix legs run at once', () => {
  it('the legs of a job run concurrently, each in a directory of its own, its steps reported in matrix order', async () => {
    // each leg waits (10 s at most) for the other to start: one after the other, the first would fail
    const { r, lines, runDir } = await legs(['p', 'q'], 'touch "$SYNC/$N.started"; waitfor "$(other).started"');
    expect(lines.filter((l) => l.includes('no '))).toEqual([]);
    expect(r.result).toBe('success');
    expect(readdirSync(join(runDir, 'jobs')).sort()).toEqual(['legs-0', 'legs-1']);
    expect(job(r, 'legs').steps.map((s) => s.job)).toEqual(['leg p', 'leg p', 'leg q', 'leg q']);
    expect(lines[0]).toBe("▷ leg: 2 legs, 2 at once (each leg's output is shown when it finishes)");
  }, 30_000);

  it('max-parallel: 1 runs the legs one after the other, streaming their lines', async () => {
    // a leg started while the other has not ended would see it start within 2 s
    const script = `touch "$SYNC/$N.started"
if [ ! -e "$SYNC/$(other).ended" ] && waitfor "$(other).started" 20 >/dev/null; then echo "$N overlapped"; else echo "$N alone"; fi
touch "$SYNC/$N.ended"`;
    for (const max of [1, '${{ inputs.max }}']) {
      const { r, lines } = await legs(['p', 'q'], script, { strategy: { 'max-parallel': max }, parallelism: 8 });
      expect(r.result).toBe('success');
      expect(lines.filter((l) => /^▶|^ {4}[pq] /.test(l))).toEqual([
        '▶ leg p',
        '    p alone',
        '▶ leg q',
        '    q alone',
      ]);
    }
  }, 30_000);

  it("the legs' lines are not interleaved: each leg's block is printed whole when it ends, masked", async () => {
    // both legs print their first line before either prints its second
    const script = `echo "$N one"; touch "$SYNC/$N.started"; waitfor "$(other).started"; echo "$N two s3cret"`;
    const { r, lines } = await legs(['p', 'q'], script);
    expect(r.result).toBe('success');
    const blocks = lines.filter((l) => /^▶|^ {4}[pq] /.test(l));
    const block = (x: string): string[] => [`▶ leg ${x}`, `    ${x} one`, `    ${x} two ***`];
    expect([
      [...block('p'), ...block('q')],
      [...block('q'), ...block('p')],
    ]).toContainEqual(blocks);
    expect(lines.join('\n')).not.toContain('s3cret');
  }, 30_000);

  it('the last leg to end sets the job outputs, whatever its place in the matrix', async () => {
    // p ends only once q has ended
    const { r, lines } = await legs(['p', 'q'], '[ "$N" = q ] || waitfor q.shown');
    expect(r.result).toBe('success');
    expect(lines.filter((l) => l.startsWith('▶'))).toEqual(['▶ leg q', '▶ leg p']);
    expect(job(r, 'legs').outputs).toEqual({ last: 'p' });
    expect(job(r, 'legs').steps.map((s) => s.job)).toEqual(['leg p', 'leg p', 'leg q', 'leg q']);
  }, 30_000);

  it("fail-fast (GitHub's default): a failed leg stops new legs from starting; the running ones finish", async () => {
    // a fails at once; b runs on until a has ended, then c would be next
    const script = `touch "$SYNC/$N.started"
case $N in a) exit 3 ;; b) waitfor a.shown ;; esac`;
    const { r, lines, sync } = await legs(['a', 'b', 'c'], script);
    expect(r.result).toBe('failure');
    expect(job(r, 'legs').result).toBe('failure');
    expect(existsSync(join(sync, 'c.started'))).toBe(false);
    expect(lines).toContain('○ leg c: not started (fail-fast: leg a failed)');
    expect(job(r, 'legs').steps.map((s) => [s.job, s.step, s.outcome])).toEqual([
      ['leg a', expect.stringMatching(/^run /), 'failure'],
      ['leg a', expect.stringMatching(/^run /), 'skipped'],
      ['leg b', expect.stringMatching(/^run /), 'success'],
      ['leg b', expect.stringMatching(/^run /), 'success'],
      ['leg c', '(leg not started)', 'skipped'],
    ]);
    // fail-fast: false runs every leg
    const all = await legs(['a', 'b', 'c'], script, { strategy: { 'fail-fast': false } });
    expect(existsSync(join(all.sync, 'c.started'))).toBe(true);
    expect(
      job(all.r, 'legs')
        .steps.filter((s) => s.job === 'leg c')
        .map((s) => s.outcome),
    ).toEqual(['success', 'success']);
  }, 30_000);
});

/** a workflow with an own-commit job (the job context's workflow_*), our action after the own checkout, and environment secrets */
const OWN = `
on:
  workflow_call:
    secrets:
      token: { required: true }
      PROD_SECRET: { required: false }
permissions: {}
jobs:
  own-commit:
    runs-on: ubuntu-latest
    outputs:
      repository: \${{ steps.own.outputs.repository }}
      sha: \${{ steps.own.outputs.sha }}
    steps:
      - id: own
        env:
          REPOSITORY: \${{ job.workflow_repository }}
          SHA: \${{ job.workflow_sha }}
          FILE: \${{ job.workflow_file_path }}
        run: |
          [[ $SHA =~ ^[0-9a-f]{40}$ ]] || { echo "no commit"; exit 1; }
          echo "workflow file $FILE"
          echo "repository=$REPOSITORY" >> "$GITHUB_OUTPUT"
          echo "sha=$SHA" >> "$GITHUB_OUTPUT"
  deploy:
    needs: own-commit
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          repository: \${{ needs.own-commit.outputs.repository }}
          ref: \${{ needs.own-commit.outputs.sha }}
          path: .polyglot-cd
          persist-credentials: false
      - uses: ./.polyglot-cd/helm-deploy
        with:
          release: app
          kubeconfig: \${{ secrets.PROD_SECRET }}
      - uses: org/polyglot-cd/teams-notify@v1
        with:
          webhook-url: x
  outside:
    runs-on: ubuntu-latest
    steps:
      - env:
          SET: \${{ secrets.PROD_SECRET != '' }}
        run: echo "outside the environment the secret is set=$SET"
`;

const SHA = 'c0ffee0000000000000000000000000000000001';
const IDENTITY = { repository: 'org/polyglot-cd', sha: SHA, file_path: '.github/workflows/wf.yml' };

describe('runWorkflow: own commit and environments', () => {
  const own = (extra: Record<string, unknown> = {}) =>
    run(
      {},
      { workflowIdentity: IDENTITY, environmentSecrets: { production: { PROD_SECRET: 'prod-kc' } }, ...extra },
      OWN,
    );

  it("the job context names the workflow's own repository, commit and file", async () => {
    const { r, lines } = await own();
    expect(job(r, 'own-commit')).toMatchObject({
      result: 'success',
      outputs: { repository: 'org/polyglot-cd', sha: SHA },
    });
    expect(lines).toContain('    workflow file .github/workflows/wf.yml');
  });

  it('without a workflow identity the job context has none, as on a GitHub without it', async () => {
    const { r, calls } = await own({ workflowIdentity: undefined });
    expect(job(r, 'own-commit').result).toBe('failure');
    expect(calls).toEqual([]);
  });

  it('./.polyglot-cd/<action> runs from the bundles; the own checkout is skipped with its reason; org/polyglot-cd/<action>@ is not ours', async () => {
    const { r, calls } = await own();
    expect(calls.map((c) => c.action)).toEqual(['helm-deploy']);
    const steps = job(r, 'deploy').steps.map((s) => [s.step, s.outcome, s.reason]);
    expect(steps[0]).toEqual([
      'uses actions/checkout',
      'skipped',
      "polyglot-cd's actions run from this working tree's bundles (dist/<action>/index.js): it is the commit of the workflow file being run",
    ]);
    expect(steps[2]).toEqual([
      'uses org/polyglot-cd/teams-notify@v1',
      'skipped',
      'a third-party action the local runner does not run',
    ]);
  });

  it("environment secrets reach only the jobs that declare the environment, over the caller's value", async () => {
    const { calls, lines } = await own({ secrets: { token: 's', PROD_SECRET: '' } });
    expect(calls[0]?.inputs['kubeconfig']).toBe('prod-kc');
    expect(lines).toContain('    outside the environment the secret is set=false');
  });
});

describe('job order and matrix', () => {
  it('orders by needs and reports cycles and unknown needs', () => {
    expect(jobOrder({ c: { needs: ['a', 'b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
    expect(() => jobOrder({ a: { needs: 'b' }, b: { needs: 'a' } })).toThrow('needs cycle: a → b → a');
    expect(() => jobOrder({ a: { needs: 'x' } })).toThrow('job a needs x, which does not exist');
  });

  it('expands a matrix with include and exclude', () => {
    const legs = matrixLegs(
      { matrix: { os: ['l', 'w'], n: [1, 2], exclude: [{ os: 'w', n: 2 }], include: [{ os: 'm', n: 9 }] } },
      { contexts: {} },
    );
    expect(legs).toEqual([
      { os: 'l', n: 1 },
      { os: 'l', n: 2 },
      { os: 'w', n: 1 },
      { os: 'm', n: 9 },
    ]);
    expect(matrixLegs(undefined, { contexts: {} })).toEqual([null]);
    expect(() => matrixLegs({ matrix: { n: "${{ fromJSON('[]') }}" } }, { contexts: {} })).toThrow('matrix.n is empty');
  });
});

describe('localWorkflowIdentity', () => {
  it('names the polyglot-cd checkout the local pipeline runs: its origin repository and HEAD', async () => {
    const { localWorkflowIdentity } = await import('../../../bin/lib/pipeline.ts');
    const dir = mkdtempSync(join(tmpdir(), 'pcd-identity-'));
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', dir, ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      }).trim();
    expect(localWorkflowIdentity(dir, 'pr-preview.yml')).toEqual({
      repository: 'local/polyglot-cd',
      sha: '0'.repeat(40),
      file_path: '.github/workflows/pr-preview.yml',
    });
    git('init', '-q');
    git('remote', 'add', 'origin', 'git@github.com:acme/polyglot-cd.git');
    git('commit', '-q', '--allow-empty', '-m', 'x');
    expect(localWorkflowIdentity(dir, 'pr-cleanup.yml')).toEqual({
      repository: 'acme/polyglot-cd',
      sha: git('rev-parse', 'HEAD'),
      file_path: '.github/workflows/pr-cleanup.yml',
    });
    // a clone of a local path (as CI makes): no GitHub name in it
    git('remote', 'set-url', 'origin', '/work/ci_run/main');
    expect(localWorkflowIdentity(dir, 'pr-cleanup.yml').repository).toBe('local/polyglot-cd');
  });
});

describe('the local job context: which repository a working tree of polyglot-cd is', () => {
  it.each([
    ['https://github.com/acme/polyglot-cd.git', 'acme/polyglot-cd'],
    ['git@github.com:acme/polyglot-cd.git', 'acme/polyglot-cd'],
    ['ssh://git@ghe.example/acme/polyglot-cd', 'acme/polyglot-cd'],
    // a clone of a clone (CI): the origin is a local path, whose last segments are no repository
    ['/work/main/.', 'local/polyglot-cd'],
    ['/tmp/ci/main', 'local/polyglot-cd'],
    ['https://github.com/acme/..', 'local/polyglot-cd'],
    ['', 'local/polyglot-cd'],
  ])('origin %j → %s', (url, repository) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-origin-'));
    execFileSync('git', ['init', '-q', dir]);
    if (url) execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', url]);
    expect(originRepository(dir)).toBe(repository);
  });
});
