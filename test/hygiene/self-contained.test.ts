/**
 * A clone of this repository is all a user has: nothing the project runs (tests, scripts, benchmarks,
 * the CLI, the actions) may read a folder outside it, such as a `shared/` folder beside the checkout.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

const CODE = /\.(ts|mts|mjs|cjs|js|sh|go|ya?ml)$/;
// A path that climbs out of the checkout into a sibling folder: '../shared', join(root, '..', 'x').
const ESCAPES = [/\.\.\/shared\b/, /['"]\.\.['"]\s*,\s*['"]shared['"]/, /\$\{?\w*ROOT\w*\}?\/\.\.\//];

function trackedCode(): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\n')
    .filter(
      (f) =>
        CODE.test(f) &&
        !f.startsWith('dist/') &&
        !f.startsWith('test/fixtures/') &&
        !f.includes('node_modules/') &&
        f !== 'test/hygiene/self-contained.test.ts',
    );
}

describe('the repository is self-contained', () => {
  it('finds a planted escape (the check really reads files)', () => {
    const planted = "const f = join(repoRoot, '..', 'shared', 'fixtures');";
    expect(ESCAPES.some((re) => re.test(planted))).toBe(true);
  });

  it('no source, script or test reads a folder beside the checkout', () => {
    const files = trackedCode();
    expect(files.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const f of files) {
      readFileSync(join(repoRoot, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (ESCAPES.some((re) => re.test(line))) hits.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
