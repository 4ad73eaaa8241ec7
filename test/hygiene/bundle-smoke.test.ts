/**
 * Every committed bundle starts under Node 24 and, with no inputs, fails with our own
 * "input required" message: not a module-resolution or syntax error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBundle, workspace } from '../helpers/action-env.js';

const bundles = readdirSync(join(repoRoot, 'dist')).filter((d) => existsSync(join(repoRoot, 'dist', d, 'index.js')));

describe('bundle smoke test', () => {
  it('runs under Node 24', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(bundles.length).toBeGreaterThan(0);
  });

  it.each(bundles)('dist/%s/index.js with no inputs fails with "input required"', async (name) => {
    const run = await runBundle(name, workspace({}));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::Input "[a-z0-9-]+" is required and was not supplied\./m);
    expect(run.stderr).toBe('');
    expect(run.stdout + run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module|SyntaxError|internal error/);
  });
});
