/**
 * examples/shop's Taskfiles with the real go-task (scripts/setup/task.sh): the stages a developer runs on
 * a laptop are the workflows' own, through the repository's CLI. `--dry` prints the commands a task runs
 * without running them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';

const shop = join(repoRoot, 'examples', 'shop');
const task = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'task.sh'), '--print'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  timeout: 600_000,
}).stdout.trim();

function run(args: string[]): { code: number; out: string } {
  const r = spawnSync(task, args, { cwd: shop, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('examples/shop Taskfile.yml (go-task 3.54.0)', () => {
  it('lists the stages, the components included from their own Taskfiles', () => {
    const { code, out } = run(['--list']);
    expect(code, out).toBe(0);
    for (const name of [
      'build',
      'scan',
      'test',
      'lint',
      'deploy:ephemeral',
      'deploy:cleanup',
      'backend:test',
      'frontend:build',
    ])
      expect(out).toMatch(new RegExp(`^\\* ${name}:`, 'm'));
  });

  it('deploy:ephemeral PR_NUM=1 is the PR pipeline (pr-preview.yml) for pull request 1', () => {
    const { code, out } = run(['--dry', 'deploy:ephemeral', 'PR_NUM=1']);
    expect(code, out).toBe(0);
    expect(out).toContain(`node ${shop}/../../bin/polyglot-cd.js pipeline pr --pr 1`);
  });

  it('deploy:ephemeral without PR_NUM runs nothing and names the variable', () => {
    const { code, out } = run(['--dry', 'deploy:ephemeral']);
    expect(code).not.toBe(0);
    expect(out).toContain('missing required variables: PR_NUM');
    expect(out).not.toContain('pipeline pr');
  });

  it('build runs build-push (buildah) for each component, with its base images as build args', () => {
    const { code, out } = run(['--dry', 'build']);
    expect(code, out).toBe(0);
    expect(out).toMatch(
      /polyglot-cd\.js run build-push --input image=127\.0\.0\.1:5000\/shop\/backend .*--input builder=buildah/,
    );
    expect(out).toContain('build-args=PYTHON_IMAGE=');
    expect(out).toMatch(/polyglot-cd\.js run build-push --input image=127\.0\.0\.1:5000\/shop\/frontend /);
    expect(out).toContain('NODE_BUILD_IMAGE=');
  });
});
