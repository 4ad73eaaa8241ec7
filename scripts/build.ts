// Bundles every action under actions/<name>/src/index.ts into dist/<name>/ with @vercel/ncc, and an
// action's post step (actions/<name>/src/post.ts, if any) into dist/<name>/post/.
// Usage: node scripts/build.ts [name…]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const all = readdirSync(join(root, 'actions')).filter((n) => existsSync(join(root, 'actions', n, 'src', 'index.ts')));
const names = process.argv.slice(2).length ? process.argv.slice(2) : all;
const ncc = join(root, 'node_modules', '.bin', 'ncc');

for (const name of names) {
  if (!all.includes(name)) {
    process.stderr.write(`build: no action named ${name} (have: ${all.join(', ')})\n`);
    process.exit(2);
  }
  // Build into a temporary folder and swap it in only when every entry built, so a failed build never
  // leaves dist/<name> half-written or missing.
  const out = join(root, 'dist', name);
  const staging = join(root, 'dist', `.${name}.building`);
  rmSync(staging, { recursive: true, force: true });
  bundle(join('actions', name, 'src', 'index.ts'), staging);
  const post = join('actions', name, 'src', 'post.ts');
  if (existsSync(join(root, post))) bundle(post, join(staging, 'post'));
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  process.stdout.write(`build: dist/${name}\n`);
}

function bundle(entry: string, out: string): void {
  // --transpile-only: types are checked once for the whole workspace by `tsc` (pnpm typecheck); here an
  // unrelated action's type error must not stop this one from bundling.
  const r = spawnSync(
    ncc,
    [
      'build',
      entry,
      '-o',
      out,
      '--minify',
      '--transpile-only',
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2023',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    process.stderr.write(`build: ncc failed for ${entry}\n`);
    rmSync(out, { recursive: true, force: true });
    process.exit(r.status ?? 1);
  }
  // The bundle is ESM; this marker lets Node load it as such.
  writeFileSync(join(out, 'package.json'), '{\n  "type": "module"\n}\n');
}
