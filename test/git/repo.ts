/**
 * Bare repositories for the git test server (server.ts), made and inspected with real git, directly in
 * the bare repository (plumbing: hash-object, a temporary index, commit-tree, update-ref), so a fixture
 * can hold what a work tree would make awkward: a symbolic link pointing out, a submodule entry.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file's content, a symbolic link (its target), or a submodule (gitlink to a commit). */
export type FixtureFile = string | { symlink: string } | { submodule: string };

const home = mkdtempSync(join(tmpdir(), 'pcd-git-fixture-home-'));

const FIXTURE_IDENT = {
  GIT_AUTHOR_NAME: 'Fixture Author',
  GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
  GIT_COMMITTER_NAME: 'Fixture Author',
  GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
};

/** Runs git with an isolated configuration (no system or user config); resolves stdout, rejects with stderr. */
export function git(
  args: readonly string[],
  opts: { gitDir?: string; env?: Record<string, string>; input?: string } = {},
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LC_ALL: 'C',
    ...FIXTURE_IDENT,
    ...(opts.gitDir ? { GIT_DIR: opts.gitDir } : {}),
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    const child = execFile('git', [...args], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => {
      // git may exit without reading its stdin
    });
    child.stdin?.end(opts.input ?? '');
  });
}

/** An empty bare repository `<root>/<name>.git` whose HEAD is `main`. */
export async function initBare(root: string, name: string): Promise<string> {
  const dir = join(root, `${name}.git`);
  await git(['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return dir;
}

/**
 * Commits `files` on top of `parent` (or as a root commit) in the bare repository and moves `branch` to
 * it (unconditionally). Returns the commit.
 */
export async function commitFiles(
  bare: string,
  o: { branch: string; parent?: string; files: Record<string, FixtureFile>; message?: string },
): Promise<string> {
  const index = join(mkdtempSync(join(tmpdir(), 'pcd-git-index-')), 'index');
  const env = { GIT_INDEX_FILE: index };
  try {
    if (o.parent) await git(['read-tree', `${o.parent}^{tree}`], { gitDir: bare, env });
    let info = '';
    for (const [path, f] of Object.entries(o.files)) {
      if (typeof f === 'object' && 'submodule' in f) {
        info += `160000 ${f.submodule}\t${path}\0`;
        continue;
      }
      const content = typeof f === 'string' ? f : f.symlink;
      const oid = (await git(['hash-object', '-w', '--stdin'], { gitDir: bare, input: content })).trim();
      info += `${typeof f === 'string' ? '100644' : '120000'} ${oid}\t${path}\0`;
    }
    await git(['update-index', '-z', '--index-info'], { gitDir: bare, env, input: info });
    const tree = (await git(['write-tree'], { gitDir: bare, env })).trim();
    const parents = o.parent ? ['-p', o.parent] : [];
    const message = `${o.message ?? 'fixture'}\n`;
    const commit = (await git(['commit-tree', tree, ...parents], { gitDir: bare, input: message })).trim();
    await git(['update-ref', `refs/heads/${o.branch}`, commit], { gitDir: bare });
    return commit;
  } finally {
    await rm(join(index, '..'), { recursive: true, force: true });
  }
}

/** The head of `branch`, or undefined when it does not exist. */
export async function head(bare: string, branch: string): Promise<string | undefined> {
  const out = await git(['for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`], { gitDir: bare });
  return out.trim() || undefined;
}

/** A file at a revision, or undefined when it is not there. */
export async function show(bare: string, rev: string, path: string): Promise<string | undefined> {
  return git(['show', `${rev}:${path}`], { gitDir: bare }).catch(() => undefined);
}

export interface LogEntry {
  commit: string;
  parents: string[];
  author: string;
  committer: string;
  subject: string;
}

/** The first-parent history of `rev`, newest first. */
export async function log(bare: string, rev: string): Promise<LogEntry[]> {
  const out = await git(['log', '--first-parent', '--format=%H%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%s', rev], {
    gitDir: bare,
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [commit, parents, author, committer, subject] = l.split('\0') as [string, string, string, string, string];
      return { commit, parents: parents.split(' ').filter(Boolean), author, committer, subject };
    });
}

/** `git fsck` of the bare repository: throws when it is not consistent. */
export async function fsck(bare: string): Promise<void> {
  await git(['fsck', '--strict', '--no-progress'], { gitDir: bare });
}
