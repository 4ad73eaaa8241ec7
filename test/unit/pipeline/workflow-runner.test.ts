/**
 * The local workflow runner (bin/lib/workflow-runner.mjs) on small workflow_call files: real bash run
 * steps, job order by needs, if: with the implicit success(), matrix legs, outputs across jobs and the
 * local artifact store. Our actions are handed to the runAction callback it is given, which records the
 * evaluated inputs (the real bundles run in test/integration/pipeline/pipeline.kube.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM module without type declarations
import { jobOrder, matrixLegs, runWorkflow } from '../../../bin/lib/workflow-runner.mjs';

interface Step { step: string; outcome: string; reason: string; job: string }
interface Job { id: string; name: string; result: string; outputs: Record<string, string>; environment: { name: string; url: string } | null; steps: Step[] }
interface Result { result: string; jobs: Job[]; outputs: Record<string, string> }

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
        uses: org/polyglot-cd/helm-deploy@v1
        with:
          release: app
          images: \${{ needs.gather.outputs.all }}
          kubeconfig: \${{ secrets.token }}
      - id: scan
        uses: org/polyglot-cd/trivy-gate@v1
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

function setup(): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-runner-'));
  const file = join(dir, 'wf.yml');
  writeFileSync(file, WORKFLOW);
  return { file, dir };
}

async function run(inputs: Record<string, string>, extra: Record<string, unknown> = {}): Promise<{ r: Result; lines: string[]; calls: { action: string; inputs: Record<string, string> }[] }> {
  const { file, dir } = setup();
  const lines: string[] = [];
  const calls: { action: string; inputs: Record<string, string> }[] = [];
  const r = (await runWorkflow({
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
  })) as Result;
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
    expect(job(r, 'gather').outputs).toEqual({ all: 'a,b,c,', last: 'c' }); // the last leg's output wins, as on GitHub
    expect(calls).toEqual([{ action: 'helm-deploy', inputs: { release: 'app', images: 'a,b,c,', kubeconfig: 's3cret' } }]);
    expect(job(r, 'act').environment).toEqual({ name: 'env-c', url: 'http://app.example' });
    expect(r.outputs).toEqual({ joined: 'a,b,c,', url: 'http://app.example' });
    // GitHub-only and unavailable steps are skipped with their reason, never passed
    const steps = job(r, 'act').steps.map((s) => [s.step, s.outcome, s.reason]);
    expect(steps).toContainEqual(['uses actions/checkout', 'skipped', 'the local pipeline builds your working tree as it is']);
    expect(steps).toContainEqual(['uses org/polyglot-cd/trivy-gate@v1', 'skipped', 'no trivy here']);
    expect(lines).toContain('    scan=skipped flag=false');
    expect(lines).toContain('    act was success');
    expect(lines.filter((l) => l.startsWith('▶ make'))).toEqual(['▶ make a', '▶ make b', '▶ make c']);
  });

  it('a failing step skips the rest of its job (not failure() steps) and the jobs that need it', async () => {
    const { r, lines } = await run({ names: '["a","b"]', 'fail-at': 'b' });
    expect(r.result).toBe('failure');
    expect(job(r, 'make').result).toBe('failure');
    expect(lines).toContain('    failing on purpose');
    expect(lines).toContain('    cleanup after failure');
    expect(job(r, 'make').steps.filter((s) => s.job === 'make b').map((s) => s.outcome)).toEqual(['failure', 'skipped', 'success']);
    expect(['gather', 'act', 'skipped-when-act-fails'].map((id) => job(r, id).result)).toEqual(['skipped', 'skipped', 'skipped']);
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
});

describe('job order and matrix', () => {
  it('orders by needs and reports cycles and unknown needs', () => {
    expect(jobOrder({ c: { needs: ['a', 'b'] }, b: { needs: 'a' }, a: {} })).toEqual(['a', 'b', 'c']);
    expect(() => jobOrder({ a: { needs: 'b' }, b: { needs: 'a' } })).toThrow('needs cycle: a → b → a');
    expect(() => jobOrder({ a: { needs: 'x' } })).toThrow('job a needs x, which does not exist');
  });

  it('expands a matrix with include and exclude', () => {
    const legs = matrixLegs({ matrix: { os: ['l', 'w'], n: [1, 2], exclude: [{ os: 'w', n: 2 }], include: [{ os: 'm', n: 9 }] } }, { contexts: {} });
    expect(legs).toEqual([{ os: 'l', n: 1 }, { os: 'l', n: 2 }, { os: 'w', n: 1 }, { os: 'm', n: 9 }]);
    expect(matrixLegs(undefined, { contexts: {} })).toEqual([null]);
    expect(() => matrixLegs({ matrix: { n: '${{ fromJSON(\'[]\') }}' } }, { contexts: {} })).toThrow('matrix.n is empty');
  });
});
