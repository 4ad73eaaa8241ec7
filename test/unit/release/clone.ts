/**
 * Clean clones of this repository for the release tests: `git clone` of the committed tree (or, with
 * `snapshot`, of the working tree as it is, committed inside the clone), with the workspace's installed
 * dependencies, so every build runs from the clone's own sources.
 *
 * The dependencies are this checkout's node_modules trees, hard-linked into the clone (pnpm's links
 * are relative, so the workspace packages resolve inside the clone; `cleanClone` checks it), not a
 * `pnpm install --offline` from the store: ncc rewrites the V8 code cache files inside its own package
 * (dist/ncc/*.js.cache) whenever it runs, and pnpm hard-links package files from its store, so after
 * the first build the store's copy of @vercel/ncc no longer verifies and an offline install refuses it
 * (ERR_PNPM_NO_OFFLINE_TARBALL). The clone's lockfile must be the one this node_modules was installed
 * from.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../helpers/action-env.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: GIT_ENV,
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

/** Runs a command; resolves to its exit code and output (never rejects). */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/**
 * A clone in a new temporary directory. `snapshot`: the working tree's files (tracked and untracked,
 * not ignored) are copied over the clone and committed there, so the clone is the working tree as a
 * commit. Returns the clone's path, with the workspace's dependencies in place.
 */
export async function cleanClone(opts: { snapshot?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-clone-'));
  git(dir, 'clone', '-q', '--no-hardlinks', repoRoot, join(dir, 'repo'));
  const clone = join(dir, 'repo');
  if (opts.snapshot) {
    const files = git(repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
      .split('\0')
      .filter(Boolean);
    for (const f of files) {
      const src = join(repoRoot, f);
      const dest = join(clone, f);
      if (!existsSync(src) && !lstatSync(src, { throwIfNoEntry: false })) {
        rmSync(dest, { force: true });
        continue;
      }
      mkdirSync(dirname(dest), { recursive: true });
      rmSync(dest, { force: true });
      if (lstatSync(src).isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
      else copyFileSync(src, dest);
    }
    git(clone, 'add', '-A');
    git(clone, 'commit', '-q', '--allow-empty', '-m', 'working tree snapshot');
  }
  const installed = join(repoRoot, 'node_modules', '.pnpm', 'lock.yaml');
  if (!existsSync(installed) || !readFileSync(installed).equals(readFileSync(join(clone, 'pnpm-lock.yaml')))) {
    throw new Error(
      `${repoRoot}/node_modules is not installed from the clone's pnpm-lock.yaml: run pnpm install --frozen-lockfile`,
    );
  }
  const trees = [
    'node_modules',
    ...git(clone, 'ls-files', '-z', '--', '*/package.json')
      .split('\0')
      .filter(Boolean)
      .map((p) => join(dirname(p), 'node_modules')),
  ];
  for (const tree of trees.filter((t) => existsSync(join(repoRoot, t)))) {
    const cp = await run('cp', ['-al', join(repoRoot, tree), join(clone, tree)], { cwd: clone, timeoutMs: 120_000 });
    if (cp.code !== 0) throw new Error(`cp -al ${tree} failed: ${cp.out}`);
    // pnpm rewrites its state files and bin shims in place: those get copies of their own, so a
    // `pnpm install` in the clone never writes through a link into this checkout's node_modules
    for (const dir of [tree, join(tree, '.bin'), join(tree, '.pnpm'), join(tree, '.pnpm', 'node_modules', '.bin')]) {
      if (!existsSync(join(clone, dir))) continue;
      for (const e of readdirSync(join(clone, dir), { withFileTypes: true })) {
        if (!e.isFile()) continue;
        const dest = join(clone, dir, e.name);
        copyFileSync(dest, `${dest}.copy`);
        renameSync(`${dest}.copy`, dest);
      }
    }
  }
  const tools = realpathSync(join(clone, 'node_modules', '@polyglot-cd', 'tools'));
  if (tools !== join(realpathSync(clone), 'packages', 'tools'))
    throw new Error(`the clone's @polyglot-cd/tools resolves to ${tools}, outside the clone`);
  return clone;
}

/** Removes a clone made by cleanClone (its links into this checkout's node_modules are only unlinked). */
export function removeClone(clone: string): void {
  rmSync(dirname(clone), { recursive: true, force: true });
}
