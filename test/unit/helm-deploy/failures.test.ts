/**
 * Whatever ends the run, the outputs and the summary are written, once, and the summary closes with the
 * block of the failure's kind: main() runs in-process after an input error, a failing helm, and an API
 * server nobody listens on.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../actions/helm-deploy/src/main.js';
import { fakeHelm4Bin } from '../../fakes/fake-helm.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { fixturePath } from '../../helpers/fixtures.js';

const TOKEN = canary('helm-deploy failures kubeconfig token');
let dir: string;
let closedPort: number;

/** A port that was free a moment ago: nothing answers there. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pcd-helm-failures-'));
  closedPort = await freePort();
  fakeHelm4Bin(dir);
  // the fake Helm 4, but an upgrade fails
  writeFileSync(
    join(dir, 'failing-helm'),
    `#!/bin/sh\nif [ "$1" = upgrade ]; then echo "Error: INSTALLATION FAILED: this chart is broken" >&2; exit 1; fi\nexec ${join(dir, 'helm')} "$@"\n`,
    { mode: 0o755 },
  );
});

function kubeconfig(): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${closedPort}"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
}

async function deploy(inputs: Record<string, string>, helm: string) {
  const ws = workspace(
    {
      release: 'shop',
      namespace: 'shop',
      ordering: 'off',
      kubeconfig: kubeconfig(),
      images: `backend: r/b@sha256:${'a'.repeat(64)}`,
      ...inputs,
    },
    { POLYGLOT_CD_HELM_BIN: join(dir, helm), FAKE_HELM_FIXTURES: fixturePath('helm') },
  );
  return runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
}

const errors = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::error::'));

describe('helm-deploy: outputs and summary after a failure, with the block of its kind', () => {
  it('an input error: the summary says to fix the input; no output is set (nothing is known)', async () => {
    const run = await deploy({ release: 'Not_A_Release' }, 'helm');
    expect(run.code).toBe(1);
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(/^::error::Input "release" has an invalid value "Not_A_Release"/),
    ]);
    expect(run.outputs).toEqual({});
    expect(run.summary).toContain('## Helm deploy — failed');
    expect(run.summary).toContain('### helm-deploy: Input error: fix the input and run again');
    expect(run.summary.match(/### helm-deploy:/g)).toHaveLength(1);
  });

  it('a tool failure: helm upgrade exits 1; the state it left, the command and its stderr are reported', async () => {
    const run = await deploy({ 'create-namespace': 'false' }, 'failing-helm');
    expect(run.code).toBe(1);
    expect(errors(run.stdout).at(-1)).toMatch(
      /^::error::helm upgrade of shop failed: INSTALLATION FAILED: this chart is broken\. .*The failed first install was uninstalled\..*exit code: 1/,
    );
    // the fake answers `helm status` with "release: not found"
    expect(run.outputs).toMatchObject({ release: 'shop', namespace: 'shop', status: 'uninstalled' });
    expect(run.outputs['chart-version']).toBeUndefined();
    expect(run.summary).toContain('## Helm deploy: shop → shop — failed');
    expect(run.summary).toContain('| Status | uninstalled |');
    expect(run.summary).toContain('### helm-deploy: A tool failed');
    expect(run.summary).toMatch(/<code>[^<]*upgrade[^<]*<\/code>, exit code 1/);
    expect(run.summary).toContain('this chart is broken');
    expect(run.summary.match(/### helm-deploy:/g)).toHaveLength(1);
  });

  it('an infrastructure failure: nothing listens at the API server; the namespace step gives up', async () => {
    const run = await deploy({}, 'helm');
    expect(run.code).toBe(1);
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(
        /^::error::Could not read namespace shop: .*ECONNREFUSED.*\(cluster: gave up after 1 attempt\)$/,
      ),
    ]);
    expect(run.outputs).toEqual({ release: 'shop', namespace: 'shop' });
    expect(run.summary).toContain('| Status | not started |');
    expect(run.summary).toContain('| API server | 127.0.0.1:');
    expect(run.summary).toContain('### helm-deploy: Infrastructure failure: gave up after retrying');
    expect(run.summary).toContain('Service: cluster; attempts: 1');
    expect(run.summary).not.toContain('    at ');
  });
});
