// The post step from its committed bundle: removes the kubeconfig the main step left behind (a
// cancelled job), and does nothing harmful when there is nothing to remove or the state is odd.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBECONFIG_STATE, writeKubeconfigFile } from '@polyglot-cd/kube/kubeconfig-file';
import { baseEnv, repoRoot } from '../../helpers/action-env.js';

function post(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(repoRoot, 'dist/pr-namespace-cleanup/post/index.js')], {
    env: { ...baseEnv(), ...env },
    encoding: 'utf8',
  });
}

describe('pr-namespace-cleanup post step (bundle)', () => {
  it('removes the kubeconfig named in the state', () => {
    const temp = mkdtempSync(join(tmpdir(), 'pcd-post-'));
    const path = writeKubeconfigFile('apiVersion: v1\nkind: Config\n', temp);
    const r = post({ RUNNER_TEMP: temp, [`STATE_${KUBECONFIG_STATE}`]: path });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Removed the kubeconfig written by this action');
    expect(existsSync(path)).toBe(false);
  });

  it('no state: nothing to do, exit 0', () => {
    const r = post({ RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'pcd-post-')) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('a state pointing anywhere else is ignored', () => {
    const temp = mkdtempSync(join(tmpdir(), 'pcd-post-'));
    const victim = join(temp, 'kubeconfig');
    writeFileSync(victim, 'keep me');
    const r = post({ RUNNER_TEMP: temp, [`STATE_${KUBECONFIG_STATE}`]: victim });
    expect(r.status).toBe(0);
    expect(existsSync(victim)).toBe(true);
  });
});
