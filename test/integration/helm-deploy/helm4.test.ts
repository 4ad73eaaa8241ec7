/**
 * The bundle picks its flags from the major version of the helm that actually runs: with a Helm 4
 * (a fake replaying helm's recorded output, test/fakes/helm4.ts, since Helm 4 cannot be downloaded
 * here) it passes --wait=watcher and --rollback-on-failure, never --atomic or a bare --wait.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeHelm4Bin } from '../../fakes/fake-helm.js';
import { runBundle, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

let api: ScriptedServer;
let dir: string;
const TOKEN = canary('helm4 kubeconfig token');

beforeAll(async () => {
  api = await startServer(() => ({ status: 500, body: 'no call expected' }));
  dir = mkdtempSync(join(tmpdir(), 'pcd-helm4-'));
  fakeHelm4Bin(dir);
});
afterAll(async () => api.close());

function kubeconfig(): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${api.url}"}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`;
}

async function deploy(extra: Record<string, string>) {
  const log = join(dir, `argv-${Math.random().toString(36).slice(2)}.jsonl`);
  const run = await runBundle(
    'helm-deploy',
    workspace(
      {
        release: 'shop',
        namespace: 'shop',
        'create-namespace': 'false',
        kubeconfig: kubeconfig(),
        images: `backend: r/b@sha256:${'a'.repeat(64)}`,
        ...extra,
      },
      { POLYGLOT_CD_HELM_BIN: join(dir, 'helm'), FAKE_HELM_ARGV_LOG: log, FAKE_HELM_FIXTURES: fixturePath('helm') },
    ),
  );
  const calls = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
  return { run, calls };
}

describe('helm-deploy with Helm 4', () => {
  it('default helm-version 4.2.4: --wait=watcher and --rollback-on-failure, positionals after --', async () => {
    const { run, calls } = await deploy({ timeout: '90s', 'history-max': '5' });
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('helm v4.2.4 (Helm 4 flags: --wait=watcher --rollback-on-failure)');
    const upgrade = calls.find((c) => c[0] === 'upgrade') as string[];
    expect(upgrade.slice(0, 10)).toEqual([
      'upgrade',
      '--install',
      '--namespace',
      'shop',
      '--output',
      'json',
      '--timeout',
      '90s',
      '--history-max',
      '5',
    ]);
    expect(upgrade).toContain('--wait=watcher');
    expect(upgrade).toContain('--rollback-on-failure');
    expect(upgrade.slice(-3, -1)).toEqual(['--', 'shop']);
    expect(upgrade.at(-1)).toMatch(/charts\/app$/);
    // the parsed result of helm's recorded Helm 4 status output
    expect(run.outputs).toMatchObject({ status: 'deployed', release: 'shop', namespace: 'shop' });
    // POLYGLOT_CD_HELM_BIN is not hash-checked, so its version is asked; then straight to the upgrade
    expect(calls.map((c) => c[0])).toEqual(['version', 'upgrade']);
    expect(api.requests).toHaveLength(0); // create-namespace: false and a quick success: no API call of ours
  });

  it('rollback-on-failure: false still waits explicitly', async () => {
    const { calls } = await deploy({ 'rollback-on-failure': 'false' });
    const upgrade = calls.find((c) => c[0] === 'upgrade') as string[];
    expect(upgrade).toContain('--wait=watcher');
    expect(upgrade).not.toContain('--rollback-on-failure');
  });
});
