/**
 * scripts/release-plan.ts, the plan release.yml and its local dry run share: version parsing, the
 * CHANGELOG.md section, the dist check (a real rebuild through the repository's scripts/build.ts,
 * compared with the release commit's dist/ by git blob id) and the major tag move. Each case runs in
 * a small git repository of its own whose scripts/build.ts bundles src/*.txt into dist/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { blobId, changelogSection, envFile, parseVersion, releasePlan } from '../../../scripts/release-plan.ts';
import type { ReleasePlan } from '../../../scripts/release-plan.ts';

const SCRIPT = join(repoRoot, 'scripts', 'release-plan.ts');

// a build like scripts/build.ts: one bundle per source, rebuilt from scratch; FLAKY=1 makes it
// write something else each run
const BUILD = `import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const root = new URL('..', import.meta.url).pathname;
if (process.env.BROKEN_BUILD) { console.error('bundle failed'); process.exit(3); }
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const f of readdirSync(join(root, 'src'))) {
  const out = join(root, 'dist', f.replace(/\\.txt$/, ''));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.js'), 'export default ' + JSON.stringify(readFileSync(join(root, 'src', f), 'utf8').toUpperCase()) + (process.env.FLAKY ? ' // ' + Date.now() : '') + ';\\n');
  writeFileSync(join(out, 'licenses.txt'), 'none\\n');
}
`;

const CHANGELOG = `# Changelog

## [Unreleased]

### Added

- a thing in the making

## [1.1.0] - 2026-11-30

### Added

- the second thing

## [1.0.0] - 2026-11-01

- the first thing

[Unreleased]: https://example.com/compare/v1.1.0...HEAD
[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
`;

function repo(): { dir: string; git: (...a: string[]) => string; commit: (msg: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-release-'));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const git = (...a: string[]): string => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8', env }).trim();
  git('init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'scripts', 'build.ts'), BUILD);
  writeFileSync(join(dir, 'src', 'alpha.txt'), 'alpha v1');
  writeFileSync(join(dir, 'src', 'beta.txt'), 'beta v1');
  writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
  writeFileSync(join(dir, '.gitignore'), 'dist/.*.building/\n');
  execFileSync(process.execPath, [join(dir, 'scripts', 'build.ts')]);
  const commit = (msg: string): string => {
    git('add', '-A');
    git('commit', '-q', '-m', msg);
    return git('rev-parse', 'HEAD');
  };
  commit('first');
  return { dir, git, commit };
}

function plan(
  dir: string,
  args: { version?: string; tag?: string; allowUnreleased?: boolean },
  env: Record<string, string> = {},
): { ok: boolean; plan: ReleasePlan; lines: string[] } {
  const lines: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const r = releasePlan({ root: dir, ...args, log: (l: string) => lines.push(l) });
    return { ...r, lines };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

describe('parseVersion', () => {
  it('reads X.Y.Z, vX.Y.Z and prereleases and names the major tag', () => {
    expect(parseVersion('1.2.3')).toMatchObject({ version: '1.2.3', tag: 'v1.2.3', major: 'v1', prerelease: false });
    expect(parseVersion('v10.0.1')).toMatchObject({ version: '10.0.1', tag: 'v10.0.1', major: 'v10' });
    expect(parseVersion('2.0.0-rc.1')).toMatchObject({ tag: 'v2.0.0-rc.1', major: 'v2', prerelease: true });
  });

  it.each(['1.2', 'v1', '01.2.3', '1.2.3 ', '1.2.3;rm -rf', '', 'latest', '1.2.3-'])('refuses %j', (v) => {
    expect(() => parseVersion(v)).toThrow('not a release version');
  });
});

describe('changelogSection', () => {
  it('returns the body of one version, without the next section or the link definitions', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Added\n\n- the second thing');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('- the first thing');
    expect(changelogSection(CHANGELOG, 'Unreleased')).toBe('### Added\n\n- a thing in the making');
    expect(changelogSection(CHANGELOG, '1.1')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '9.9.9')).toBeUndefined();
  });
});

describe('blobId', () => {
  it('is git hash-object of the content', () => {
    const { dir } = repo();
    const file = join(dir, 'dist', 'alpha', 'index.js');
    expect(blobId(readFileSync(file))).toBe(execFileSync('git', ['hash-object', file], { encoding: 'utf8' }).trim());
  });
});

describe('releasePlan', () => {
  it("a fresh dist/: the rebuild is byte-identical, the notes are the version's section, v1 is created", () => {
    const { dir, git } = repo();
    const r = plan(dir, { version: '1.1.0' });
    expect(r.plan.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.plan).toMatchObject({
      tag: 'v1.1.0',
      major: 'v1',
      sha: git('rev-parse', 'HEAD'),
      notesFrom: '## [1.1.0]',
      dist: { ok: true, changed: [], added: [], missing: [] },
    });
    expect(r.plan.dist.files.map((f) => f.path)).toEqual([
      'dist/alpha/index.js',
      'dist/alpha/licenses.txt',
      'dist/beta/index.js',
      'dist/beta/licenses.txt',
    ]);
    expect(r.plan.majorMove).toEqual({
      move: true,
      from: '',
      to: r.plan.sha,
      reason: `v1 does not exist yet: it is created at ${r.plan.sha}`,
    });
    expect(r.lines).toContain('  dist     ok: the rebuild is byte-identical to the committed dist/ (4 files)');
    expect(r.lines.at(-1)).toBe('✔ release plan for v1.1.0: ready');
  });

  it('sources committed without a rebuild: the stale bundle fails the plan', () => {
    const { dir, commit } = repo();
    writeFileSync(join(dir, 'src', 'beta.txt'), 'beta v2');
    commit('beta v2, dist not rebuilt');
    const r = plan(dir, { version: '1.1.0' });
    expect(r.ok).toBe(false);
    expect(r.plan.dist).toMatchObject({ ok: false, changed: ['dist/beta/index.js'], added: [], missing: [] });
    expect(r.plan.problems.join('\n')).toContain(
      'is not what its sources build (1 file(s)): run `pnpm build` and commit dist/\n    changed dist/beta/index.js',
    );
  });

  it('a bundle the commit lacks and a committed file no build writes both fail', () => {
    const { dir, commit } = repo();
    writeFileSync(join(dir, 'src', 'gamma.txt'), 'gamma');
    writeFileSync(join(dir, 'dist', 'alpha', 'stale.js'), 'old');
    commit('gamma without its bundle, a stale file in dist/alpha');
    const r = plan(dir, { version: '1.1.0' });
    expect(r.plan.dist).toMatchObject({
      ok: false,
      changed: [],
      added: ['dist/gamma/index.js', 'dist/gamma/licenses.txt'],
      missing: ['dist/alpha/stale.js'],
    });
  });

  it('a build that is not reproducible fails against the commit it built before', () => {
    const { dir } = repo();
    const r = plan(dir, { version: '1.1.0' }, { FLAKY: '1' });
    expect(r.plan.dist.changed).toEqual(['dist/alpha/index.js', 'dist/beta/index.js']);
    expect(r.ok).toBe(false);
  });

  it('a failing build fails the plan with its output', () => {
    const { dir } = repo();
    const r = plan(dir, { version: '1.1.0' }, { BROKEN_BUILD: '1' });
    expect(r.ok).toBe(false);
    expect(r.plan.problems.join('\n')).toContain('the build failed:\nbundle failed');
  });

  it('a version without its CHANGELOG section fails; a dry run falls back to Unreleased with a warning', () => {
    const { dir } = repo();
    const strict = plan(dir, { version: '1.2.0' });
    expect(strict.ok).toBe(false);
    expect(strict.plan.problems).toEqual([
      'CHANGELOG.md has no non-empty section ## [1.2.0] (Keep a Changelog): add one before tagging v1.2.0',
    ]);
    const dry = plan(dir, { version: '1.2.0', allowUnreleased: true });
    expect(dry.ok).toBe(true);
    expect(dry.plan.notesFrom).toBe('## [Unreleased]');
    expect(dry.lines.join('\n')).toContain('rename it to ## [1.2.0] - <date> before tagging, or the release fails');
  });

  it('the tag must be HEAD: the workflow checked it out', () => {
    const { dir, git, commit } = repo();
    git('tag', 'v1.1.0');
    writeFileSync(join(dir, 'CHANGELOG.md'), `${CHANGELOG}\n`);
    const head = commit('later');
    const r = plan(dir, { tag: 'v1.1.0' });
    expect(r.plan.problems[0]).toBe(
      `tag v1.1.0 is ${git('rev-parse', 'v1.1.0')}, but HEAD is ${head}: check out the tag first`,
    );
    git('checkout', '-q', 'v1.1.0');
    expect(plan(dir, { tag: 'v1.1.0' }).ok).toBe(true);
  });

  it('the major tag moves forward to the newest release only', () => {
    const { dir, git, commit } = repo();
    const first = git('rev-parse', 'HEAD');
    git('tag', 'v1.0.0');
    git('tag', 'v1');
    writeFileSync(join(dir, 'CHANGELOG.md'), `${CHANGELOG}\n`);
    const second = commit('second');
    expect(plan(dir, { version: '1.1.0' }).plan.majorMove).toEqual({
      move: true,
      from: first,
      to: second,
      reason: `v1 moves from ${first} to ${second}`,
    });
    // a prerelease never moves it
    expect(plan(dir, { version: '1.1.0-rc.1', allowUnreleased: true }).plan.majorMove).toMatchObject({
      move: false,
      reason: 'v1.1.0-rc.1 is a prerelease: v1 stays',
    });
    // a patch of an older line after a newer release: v1 stays on the newer one
    git('tag', 'v1.2.0', first);
    expect(plan(dir, { version: '1.1.0' }).plan.majorMove).toMatchObject({
      move: false,
      from: first,
      reason: 'v1.2.0 is newer than v1.1.0: v1 stays',
    });
    // already there
    git('tag', '-f', 'v1', second);
    git('tag', '-d', 'v1.2.0');
    expect(plan(dir, { version: '1.1.0' }).plan.majorMove).toMatchObject({
      move: false,
      reason: 'v1 is at the release commit already',
    });
  });
});

describe('release-plan.ts (command line)', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [SCRIPT, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env },
    });

  it('plan writes the plan as shell assignments for the workflow step, and the job summary', () => {
    const { dir, git } = repo();
    const env = join(dir, '..', `${Date.now()}-plan.env`);
    const summary = join(dir, '..', `${Date.now()}-summary`);
    writeFileSync(summary, '');
    const r = cli(['plan', '--tag', 'v1.1.0', '--root', dir, '--env', env], { GITHUB_STEP_SUMMARY: summary });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sha = git('rev-parse', 'HEAD');
    // sourced by bash as the workflow step does
    const vars = execFileSync(
      'bash',
      [
        '-c',
        '. "$1"; printf "%s|" "$PLAN_VERSION" "$PLAN_TAG" "$PLAN_MAJOR" "$PLAN_SHA" "$PLAN_PRERELEASE" "$PLAN_DIST_OK" "$PLAN_MOVE_MAJOR" "$PLAN_MAJOR_FROM" "$PLAN_MAJOR_REASON"',
        'bash',
        env,
      ],
      { encoding: 'utf8' },
    );
    expect(vars).toBe(`1.1.0|v1.1.0|v1|${sha}|false|true|true||v1 does not exist yet: it is created at ${sha}|`);
    expect(readFileSync(summary, 'utf8')).toContain('| dist check | ok: byte-identical rebuild (4 files) |');
  });

  it('envFile quotes every value for the shell', () => {
    const text = envFile({
      version: '1.0.0',
      tag: 'v1.0.0',
      major: 'v1',
      sha: 'a',
      prerelease: false,
      dist: { ok: false },
      majorMove: { move: false, from: '', reason: 'it\'s $(id) `x` \\ "q"' },
    });
    const out = execFileSync('bash', ['-c', `${text}\nprintf %s "$PLAN_MAJOR_REASON"`], { encoding: 'utf8' });
    expect(out).toBe('it\'s $(id) `x` \\ "q"');
  });

  it('plan exits 1 on a stale dist/, 2 on wrong usage; POLYGLOT_CD_RELEASE_DRY_RUN allows the Unreleased notes', () => {
    const { dir, commit } = repo();
    expect(cli(['plan', '--version', '1.2.0', '--root', dir]).status).toBe(1);
    expect(cli(['plan', '--version', '1.2.0', '--root', dir], { POLYGLOT_CD_RELEASE_DRY_RUN: '1' }).status).toBe(0);
    writeFileSync(join(dir, 'src', 'alpha.txt'), 'alpha v2');
    commit('alpha v2 without dist');
    const stale = cli(['plan', '--version', '1.1.0', '--root', dir]);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('    changed dist/alpha/index.js');
    expect(cli(['plan', '--root', dir]).status).toBe(2);
    expect(cli(['plan', '--version', '1.1.0', '--tag', 'v1.1.0', '--root', dir]).status).toBe(2);
    expect(cli(['publish', '--version', '1.1.0']).status).toBe(2);
    expect(cli(['plan', '--version', '1.1.0;id', '--root', dir]).stderr).toContain('not a release version');
  });

  it("notes prints the version's section and fails without one", () => {
    const { dir } = repo();
    const r = cli(['notes', '--tag', 'v1.1.0', '--root', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('### Added\n\n- the second thing\n');
    const missing = cli(['notes', '--version', '3.0.0', '--root', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no non-empty section ## [3.0.0]');
  });
});
