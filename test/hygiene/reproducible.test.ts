/**
 * Reproducible bundles: a clean clone of the committed tree (test/unit/release/clone.ts: the
 * workspace's dependencies hard-linked in, why not an offline install is said there) builds every
 * bundle from its own sources (node scripts/build.ts, with ncc's cache in a temporary directory of its
 * own) and every file under dist/ is byte-identical to the committed dist/, itself a build of the same
 * sources (and the check's own build in the working tree must equal it too: scripts/check.ts,
 * check-dist). So two clean builds give the same bytes, at the cost of one extra build (about two
 * minutes on the 2-core CI machine). The release workflow relies on this when it compares the rebuilt
 * dist/ with the tagged one.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanClone, removeClone, run } from '../unit/release/clone.js';

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

/** Paths whose bytes differ between two dist/ folders, and paths only one of them has. */
function distDifferences(a: string, b: string): string[] {
  const fa = files(a);
  const fb = files(b);
  const out: string[] = [];
  for (const f of fa) if (!fb.includes(f)) out.push(`only in the first: ${f}`);
  for (const f of fb) if (!fa.includes(f)) out.push(`only in the second: ${f}`);
  for (const f of fa.filter((x) => fb.includes(x)))
    if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) out.push(`differs: ${f}`);
  return out;
}

describe('reproducible bundles', () => {
  it('distDifferences sees a changed byte, a missing file and an extra file', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const a = mkdtempSync(join(tmpdir(), 'pcd-dist-a-'));
    const b = mkdtempSync(join(tmpdir(), 'pcd-dist-b-'));
    for (const d of [a, b]) mkdirSync(join(d, 'x', 'post'), { recursive: true });
    writeFileSync(join(a, 'x', 'index.js'), 'same');
    writeFileSync(join(b, 'x', 'index.js'), 'same');
    writeFileSync(join(a, 'x', 'post', 'index.js'), 'one');
    writeFileSync(join(b, 'x', 'post', 'index.js'), 'onE');
    writeFileSync(join(a, 'x', 'a.js'), '');
    writeFileSync(join(b, 'x', 'b.js'), '');
    expect(distDifferences(a, b)).toEqual([
      'only in the first: x/a.js',
      'only in the second: x/b.js',
      'differs: x/post/index.js',
    ]);
    expect(distDifferences(a, a)).toEqual([]);
  });

  it('a build from a clean clone gives, byte for byte, the dist/ committed with the same sources', async () => {
    const started = Date.now();
    const clone = await cleanClone();
    const cache = mkdtempSync(join(tmpdir(), 'pcd-ncc-'));
    const committed = mkdtempSync(join(tmpdir(), 'pcd-dist-committed-'));
    try {
      // the bundles are built from the clone's workspace packages, not the checkout's
      expect(realpathSync(join(clone, 'node_modules', '@polyglot-cd', 'tools'))).toBe(
        join(realpathSync(clone), 'packages', 'tools'),
      );
      cpSync(join(clone, 'dist'), committed, { recursive: true });
      rmSync(join(clone, 'dist'), { recursive: true, force: true });
      const b = await run(process.execPath, [join(clone, 'scripts', 'build.ts')], {
        cwd: clone,
        env: { ...process.env, TMPDIR: cache },
        timeoutMs: 900_000,
      });
      expect(b.code, b.out).toBe(0);
      const built = files(join(clone, 'dist'));
      expect(built).toEqual(
        expect.arrayContaining(['helm-deploy/index.js', 'helm-deploy/licenses.txt', 'teams-notify/index.js']),
      );
      expect(distDifferences(committed, join(clone, 'dist'))).toEqual([]);
      console.log(
        `reproducible: ${built.length} dist files of a clean build byte-identical to the committed ones in ${((Date.now() - started) / 1000).toFixed(0)}s`,
      );
    } finally {
      removeClone(clone);
      for (const d of [cache, committed]) rmSync(d, { recursive: true, force: true });
    }
  }, 1_200_000);
});
