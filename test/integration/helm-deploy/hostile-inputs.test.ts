/**
 * Hostile data in helm-deploy's inputs is refused before any side effect, with the input named: YAML
 * alias bombs (in `values` and in the kubeconfig: 10^9 values from 90 aliases), oversized inputs, and values files or charts outside
 * the workspace. The bundle runs with a helm that records every call (test/fakes/helm4.ts) and an API
 * stand-in that records every request: neither may see one. (The happy path with the real helm is
 * deploy.kube.test.ts.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES } from '@polyglot-cd/action-kit';
import { fakeHelm4Bin } from '../../fakes/fake-helm.js';
import { runBundle, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

let api: ScriptedServer;
let dir: string;
let ws: string;
const TOKEN = canary('hostile-inputs kubeconfig token');

beforeAll(async () => {
  api = await startServer(() => ({ status: 500, body: 'no call expected' }));
  dir = mkdtempSync(join(tmpdir(), 'pcd-hostile-'));
  ws = join(dir, 'workspace');
  mkdirSync(ws);
  fakeHelm4Bin(dir);
});
afterAll(async () => api.close());

const kubeconfig = (extra = ''): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${api?.url}"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n${extra}`;

/** A "billion laughs" document: 10 levels of 10 aliases each. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

async function deploy(inputs: Record<string, string>) {
  const log = join(dir, `argv-${Math.random().toString(36).slice(2)}.jsonl`);
  const before = api.requests.length;
  const run = await runBundle(
    'helm-deploy',
    workspace(
      {
        release: 'shop',
        'pr-number': '7',
        kubeconfig: kubeconfig(),
        images: `backend: r/b@sha256:${'a'.repeat(64)}`,
        ...inputs,
      },
      {
        POLYGLOT_CD_HELM_BIN: join(dir, 'helm'),
        FAKE_HELM_ARGV_LOG: log,
        FAKE_HELM_FIXTURES: fixturePath('helm'),
        GITHUB_WORKSPACE: ws,
      },
    ),
  );
  const helmCalls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
  return {
    run,
    helmCalls,
    apiCalls: api.requests.length - before,
    errors: run.stdout.split('\n').filter((l) => l.startsWith('::error::')),
  };
}

describe('hostile inputs: refused before any side effect, with the input named', () => {
  it.each([
    [
      'an alias bomb in values',
      () => ({ values: aliasBomb() }),
      /^::error::Input "values" expands to more than 100000 YAML values through its aliases \(\*name\): refused/,
    ],
    [
      'an alias bomb in the kubeconfig',
      () => ({ kubeconfig: kubeconfig(`x-bomb:\n${aliasBomb().replace(/^/gm, '  ')}`) }),
      /^::error::Input "kubeconfig" expands to more than 100000 YAML values/,
    ],
    // over the limit, under what Linux allows one environment variable (128 KiB)
    [
      'an oversized input',
      () => ({ values: `a: "${'x'.repeat(MAX_INPUT_BYTES + 1024)}"\n` }),
      /^::error::Input "values" is \d+ bytes, more than the 96 KiB any input may have/,
    ],
    [
      'a values file outside the workspace',
      () => ({ 'values-files': '../../../etc/passwd' }),
      /^::error::Input "values-files" names "..\/..\/..\/etc\/passwd", which is outside the workspace/,
    ],
    [
      'a values file that is a link out of the workspace',
      () => {
        symlinkSync('/etc/hostname', join(ws, 'values-link.yaml'));
        return { 'values-files': 'values-link.yaml' };
      },
      /^::error::Input "values-files" names "values-link.yaml", a link to \/etc\/hostname, outside the workspace/,
    ],
    [
      'a repo/chart name',
      () => ({ chart: 'bitnami/nginx' }),
      /^::error::Input "chart" has an invalid value "bitnami\/nginx": no such chart in the workspace/,
    ],
  ])('%s', async (_, make, message) => {
    const { run, helmCalls, apiCalls, errors } = await deploy(make());
    expect(run.code).toBe(1);
    expect(errors[0]).toMatch(message);
    expect(helmCalls).toEqual([]);
    expect(apiCalls).toBe(0);
  });

  it('a few anchors and aliases are fine', async () => {
    const { errors } = await deploy({
      values: 'base: &b {replicaCount: 1}\ncomponents:\n  backend:\n    <<: *b\n',
      'create-namespace': 'false',
      namespace: 'shop',
      'pr-number': '',
    });
    expect(errors.filter((e) => /aliases/.test(e))).toEqual([]);
  });
});
