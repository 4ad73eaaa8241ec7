#!/usr/bin/env node
// The release plan of polyglot-cd, used by .github/workflows/release.yml and by its local dry run
// (`polyglot-cd release --dry-run`), so both run the same checks:
//
//   node scripts/release-plan.ts plan  (--version X.Y.Z | --tag vX.Y.Z) [--allow-unreleased] [--env <file>] [--root <dir>]
//       1. the version: X.Y.Z or X.Y.Z-<prerelease>; its tag vX.Y.Z, if it exists, must be HEAD
//          (the workflow checked it out); without the tag, HEAD is the commit that would be tagged;
//       2. the release notes: the `## [X.Y.Z]` section of CHANGELOG.md (with --allow-unreleased, a
//          missing section falls back to `## [Unreleased]` with a warning: dry runs before the rename;
//          POLYGLOT_CD_RELEASE_DRY_RUN=1, which the local dry run sets, does the same);
//       3. the dist check: rebuilds every bundle (node scripts/build.ts) and compares each file under
//          dist/ with the release commit's committed dist/, byte for byte (git blob ids): a file
//          changed, added or missing fails the plan;
//       4. the major tag: vX moves to the release commit when this is the newest vX release (not a
//          prerelease, no higher vX.*.* tag); otherwise it stays, and the plan says why.
//       Prints the plan; with --env, writes it as shell assignments (PLAN_VERSION, PLAN_TAG,
//       PLAN_MAJOR, PLAN_SHA, PLAN_PRERELEASE, PLAN_DIST_OK, PLAN_MOVE_MAJOR, PLAN_MAJOR_FROM,
//       PLAN_MAJOR_REASON) for the workflow step, which names its outputs from them; with
//       GITHUB_STEP_SUMMARY set, the plan as Markdown. Exit 1 when a check fails, 2 on wrong usage.
//   node scripts/release-plan.ts notes (--version X.Y.Z | --tag vX.Y.Z) [--allow-unreleased] [--root <dir>]
//       Prints the version's CHANGELOG.md section (the GitHub release notes); exit 1 if it has none.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSION_RE =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A release version, as parseVersion reads it. */
export interface Version {
  /** X.Y.Z or X.Y.Z-<prerelease>, without the v */
  version: string;
  /** vX.Y.Z… */
  tag: string;
  /** the major tag, vX */
  major: string;
  /** [X, Y, Z] */
  numbers: [number, number, number];
  prerelease: boolean;
}

/** dist/ on disk against dist/ of a commit (paths relative to the root). */
export interface DistComparison {
  /** files whose bytes differ from the commit's */
  changed: string[];
  /** files on disk the commit does not have */
  added: string[];
  /** files of the commit not on disk */
  missing: string[];
  /** every file on disk, with its SHA-256 */
  files: { path: string; sha256: string }[];
}

/** Where the major tag goes. */
export interface MajorTagMove {
  move: boolean;
  /** the commit the major tag names now ('' when it does not exist) */
  from: string;
  to: string;
  reason: string;
}

/** The outcome of a build: whether it succeeded, and what it printed. */
export interface BuildResult {
  ok: boolean;
  output: string;
}

export interface ReleasePlan {
  version: string;
  tag: string;
  major: string;
  prerelease: boolean;
  sha: string;
  /** whether the tag exists */
  tagged: boolean;
  /** the CHANGELOG.md heading the notes come from ('' when there are none) */
  notesFrom: string;
  dist: DistComparison & { ok: boolean };
  majorMove: MajorTagMove;
  problems: string[];
}

export interface ReleasePlanOptions {
  root: string;
  /** X.Y.Z (one of version and tag) */
  version?: string | undefined;
  /** vX.Y.Z (one of version and tag) */
  tag?: string | undefined;
  /** without the version's CHANGELOG.md section, take the notes from ## [Unreleased], with a warning */
  allowUnreleased?: boolean;
  /** rebuilds every bundle (default: node scripts/build.ts) */
  build?: (root: string) => BuildResult;
  /** where the plan's lines go (default: stdout) */
  log?: (line: string) => void;
}

/** The fields of a plan envFile writes. */
export type PlanEnv = Pick<ReleasePlan, 'version' | 'tag' | 'major' | 'sha' | 'prerelease'> & {
  dist: Pick<ReleasePlan['dist'], 'ok'>;
  majorMove: Pick<MajorTagMove, 'move' | 'from' | 'reason'>;
};

/** { version, tag, major, prerelease } of `1.2.3`, `v1.2.3` or `1.2.3-rc.1`; throws on anything else. */
export function parseVersion(text: string | undefined): Version {
  const v = String(text ?? '').replace(/^v/, '');
  const m = VERSION_RE.exec(v);
  if (!m) throw new Error(`not a release version (X.Y.Z or X.Y.Z-prerelease): ${JSON.stringify(String(text ?? ''))}`);
  return {
    version: v,
    tag: `v${v}`,
    major: `v${m[1]}`,
    numbers: [Number(m[1]), Number(m[2]), Number(m[3])],
    prerelease: m[4] !== undefined,
  };
}

/** The body of CHANGELOG.md's `## [heading]` section (Keep a Changelog), trimmed; undefined if absent. */
export function changelogSection(text: string, heading: string): string | undefined {
  const lines = text.split('\n');
  const esc = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = lines.findIndex((l) => new RegExp(`^## \\[${esc}\\](?:\\s|$)`).test(l));
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  // link reference definitions at the end of the file belong to no section
  const body = lines.slice(start + 1, end).filter((l) => !/^\[[^\]]+\]: \S+$/.test(l));
  return body.join('\n').trim();
}

function git(root: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}

/** The commit a tag names, or '' when there is no such tag. */
function tagCommit(root: string, tag: string): string {
  const r = git(root, ['rev-parse', '-q', '--verify', `refs/tags/${tag}^{commit}`]);
  return r.ok ? r.out : '';
}

/** Git's blob id of `content` (sha1 or sha256 repositories). */
export function blobId(content: Buffer, format = 'sha1'): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest('hex');
}

function walk(dir: string, base: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // dist/.<name>.building: build.ts's staging folders (ignored by .gitignore)
    if (e.isDirectory() && /^\..*\.building$/.test(e.name)) continue;
    if (e.isDirectory()) walk(p, base, out);
    else if (e.isFile()) out.push(relative(base, p));
  }
  return out;
}

/**
 * Compares dist/ on disk with dist/ of `commit`: { changed, added, missing, files } (paths relative
 * to the root; `files` is every file on disk with its SHA-256).
 */
export function compareDist(root: string, commit: string): DistComparison {
  const format = git(root, ['rev-parse', '--show-object-format']).out || 'sha1';
  const tree = git(root, ['ls-tree', '-r', '-z', commit, '--', 'dist']);
  if (!tree.ok) throw new Error(`git ls-tree ${commit} dist failed: ${tree.err}`);
  const committed = new Map<string, string | undefined>();
  for (const rec of tree.out.split('\0').filter(Boolean)) {
    const tab = rec.indexOf('\t');
    const [, type, oid] = rec.slice(0, tab).split(' ');
    if (type === 'blob') committed.set(rec.slice(tab + 1), oid);
  }
  const changed: string[] = [];
  const added: string[] = [];
  const files: DistComparison['files'] = [];
  for (const path of walk(join(root, 'dist'), root).sort()) {
    const content = readFileSync(join(root, path));
    files.push({ path, sha256: createHash('sha256').update(content).digest('hex') });
    const oid = committed.get(path);
    if (oid === undefined) added.push(path);
    else if (oid !== blobId(content, format)) changed.push(path);
    committed.delete(path);
  }
  return { changed, added, missing: [...committed.keys()].sort(), files };
}

/** Newest first: the vMAJOR.*.* release tags (no prereleases) of a major. */
function releaseTags(root: string, major: string): Version[] {
  const r = git(root, ['tag', '--list', `${major}.*.*`]);
  return r.out
    .split('\n')
    .filter(Boolean)
    .map((t) => {
      try {
        return parseVersion(t);
      } catch {
        return undefined;
      }
    })
    .filter((v): v is Version => v !== undefined && !v.prerelease)
    .sort((a, b) => b.numbers[0] - a.numbers[0] || b.numbers[1] - a.numbers[1] || b.numbers[2] - a.numbers[2]);
}

const newer = (a: Version, b: Version): number =>
  a.numbers[0] - b.numbers[0] || a.numbers[1] - b.numbers[1] || a.numbers[2] - b.numbers[2];

/** Where the major tag goes: { move, from, to, reason }. */
export function majorTagMove(root: string, v: Version, sha: string): MajorTagMove {
  const from = tagCommit(root, v.major);
  if (v.prerelease) return { move: false, from, to: from, reason: `${v.tag} is a prerelease: ${v.major} stays` };
  const top = releaseTags(root, v.major).find((t) => t.tag !== v.tag);
  if (top && newer(top, v) > 0)
    return { move: false, from, to: from, reason: `${top.tag} is newer than ${v.tag}: ${v.major} stays` };
  if (from === sha) return { move: false, from, to: sha, reason: `${v.major} is at the release commit already` };
  return {
    move: true,
    from,
    to: sha,
    reason: from ? `${v.major} moves from ${from} to ${sha}` : `${v.major} does not exist yet: it is created at ${sha}`,
  };
}

interface Args {
  cmd: 'plan' | 'notes';
  allowUnreleased: boolean;
  root: string;
  version?: string;
  tag?: string;
  env?: string;
}

function parseArgs(argv: string[]): Args {
  const o: Omit<Args, 'cmd'> & { cmd: string | undefined } = {
    cmd: argv[0],
    allowUnreleased: false,
    root: fileURLToPath(new URL('..', import.meta.url)),
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--version' || a === '--tag' || a === '--root' || a === '--env') {
      if (argv[i + 1] === undefined) throw new UsageError(`${a} needs a value`);
      o[a.slice(2) as 'version' | 'tag' | 'root' | 'env'] = argv[++i] as string;
    } else if (a === '--allow-unreleased') o.allowUnreleased = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  const { cmd } = o;
  if (cmd !== 'plan' && cmd !== 'notes') throw new UsageError('the first argument is plan or notes');
  if ((o.version === undefined) === (o.tag === undefined))
    throw new UsageError('give one of --version X.Y.Z or --tag vX.Y.Z');
  return { ...o, cmd };
}

class UsageError extends Error {}

/** What notesOf finds: the notes, the heading they come from and a warning, or why there are none. */
type Notes =
  | { error: string; notes?: undefined; from?: undefined; warning?: undefined }
  | { error?: undefined; notes: string; from: string; warning?: string };

/** The release notes of a version, or { error }. */
function notesOf(root: string, v: Version, allowUnreleased: boolean): Notes {
  const file = join(root, 'CHANGELOG.md');
  if (!existsSync(file)) return { error: 'CHANGELOG.md does not exist' };
  const text = readFileSync(file, 'utf8');
  const own = changelogSection(text, v.version);
  if (own) return { notes: own, from: `## [${v.version}]` };
  if (allowUnreleased) {
    const unreleased = changelogSection(text, 'Unreleased');
    if (unreleased)
      return {
        notes: unreleased,
        from: '## [Unreleased]',
        warning: `CHANGELOG.md has no section ## [${v.version}] yet: the notes below are ## [Unreleased]; rename it to ## [${v.version}] - <date> before tagging, or the release fails`,
      };
  }
  return {
    error: `CHANGELOG.md has no non-empty section ## [${v.version}] (Keep a Changelog): add one before tagging ${v.tag}`,
  };
}

/** Runs the plan; returns { ok, plan }. `build(root)` → { ok, output } (default: node scripts/build.ts). */
export function releasePlan({
  root,
  version,
  tag,
  allowUnreleased = false,
  build = defaultBuild,
  log = (l) => {
    process.stdout.write(`${l}\n`);
  },
}: ReleasePlanOptions): { ok: boolean; plan: ReleasePlan } {
  const v = parseVersion(version ?? tag);
  if (tag !== undefined && !/^v/.test(tag)) throw new Error(`a tag starts with v: ${JSON.stringify(tag)}`);
  const problems: string[] = [];
  const head = git(root, ['rev-parse', 'HEAD']);
  if (!head.ok) throw new Error(`${root} is not a git checkout with a commit: ${head.err}`);
  const tagged = tagCommit(root, v.tag);
  if (tagged && tagged !== head.out)
    problems.push(`tag ${v.tag} is ${tagged}, but HEAD is ${head.out}: check out the tag first`);
  const sha = head.out;
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']).out;

  log(`release plan: polyglot-cd ${v.tag}${v.prerelease ? ' (prerelease)' : ''}`);
  log(
    `  commit   ${sha}${tagged ? ` (tag ${v.tag})` : ` (HEAD; tag ${v.tag} does not exist yet: it would be pushed here)`}`,
  );
  if (dirty)
    log(
      `  warning  the working tree has uncommitted changes: the rebuild uses them, the comparison is with the commit`,
    );

  const n = notesOf(root, v, allowUnreleased);
  if (n.error !== undefined) problems.push(n.error);
  else {
    log(`  notes    CHANGELOG.md ${n.from} (${n.notes.split('\n').length} lines)`);
    if (n.warning) log(`  warning  ${n.warning}`);
  }

  log('  dist     rebuilding every bundle (node scripts/build.ts) …');
  const b = build(root);
  let dist: DistComparison = { changed: [], added: [], missing: [], files: [] };
  if (!b.ok) {
    problems.push(`the build failed:\n${b.output}`);
    log('  dist     FAILED: the build failed');
  } else {
    dist = compareDist(root, sha);
    const diff = [
      ...dist.changed.map((p) => `changed ${p}`),
      ...dist.added.map((p) => `not committed ${p}`),
      ...dist.missing.map((p) => `not rebuilt ${p}`),
    ];
    if (diff.length) {
      problems.push(
        `dist/ of ${sha.slice(0, 12)} is not what its sources build (${diff.length} file(s)): run \`pnpm build\` and commit dist/\n${diff.map((d) => `    ${d}`).join('\n')}`,
      );
      log(`  dist     FAILED: ${diff.length} file(s) differ from the rebuild`);
    } else {
      log(`  dist     ok: the rebuild is byte-identical to the committed dist/ (${dist.files.length} files)`);
    }
  }
  const js = dist.files.filter((f) => f.path.endsWith('.js'));
  log(`  attest   build provenance of ${js.length} file(s), dist/**/*.js:`);
  for (const f of js) log(`             sha256:${f.sha256}  ${f.path}`);

  const move = majorTagMove(root, v, sha);
  log(`  release  GitHub release ${v.tag}${v.prerelease ? ' (prerelease)' : ''}, notes from CHANGELOG.md`);
  log(`  major    ${move.move ? 'moves' : 'stays'}: ${move.reason}`);
  for (const p of problems) log(`✘ ${p}`);
  log(
    problems.length
      ? `✘ release plan for ${v.tag}: ${problems.length} problem(s)`
      : `✔ release plan for ${v.tag}: ready`,
  );

  const plan: ReleasePlan = {
    version: v.version,
    tag: v.tag,
    major: v.major,
    prerelease: v.prerelease,
    sha,
    tagged: Boolean(tagged),
    notesFrom: n.from ?? '',
    dist: { ok: b.ok && !dist.changed.length && !dist.added.length && !dist.missing.length, ...dist },
    majorMove: move,
    problems,
  };
  return { ok: problems.length === 0, plan };
}

function defaultBuild(root: string): BuildResult {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.ts')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

const shellQuote = (v: string): string => `'${String(v).replace(/'/g, `'\\''`)}'`;

/** The plan as shell assignments (PLAN_VERSION='1.2.3' …), for the workflow step to source. */
export function envFile(plan: PlanEnv): string {
  const vars = {
    PLAN_VERSION: plan.version,
    PLAN_TAG: plan.tag,
    PLAN_MAJOR: plan.major,
    PLAN_SHA: plan.sha,
    PLAN_PRERELEASE: String(plan.prerelease),
    PLAN_DIST_OK: String(plan.dist.ok),
    PLAN_MOVE_MAJOR: String(plan.majorMove.move),
    PLAN_MAJOR_FROM: plan.majorMove.from,
    PLAN_MAJOR_REASON: plan.majorMove.reason,
  };
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
    .join('');
}

function summary(plan: ReleasePlan): string {
  const rows: [string, string][] = [
    ['version', `\`${plan.tag}\`${plan.prerelease ? ' (prerelease)' : ''}`],
    ['commit', `\`${plan.sha}\``],
    ['notes', plan.notesFrom ? `CHANGELOG.md \`${plan.notesFrom}\`` : 'missing'],
    ['dist check', plan.dist.ok ? `ok: byte-identical rebuild (${plan.dist.files.length} files)` : 'FAILED'],
    ['major tag', `${plan.majorMove.move ? 'moves' : 'stays'}: ${plan.majorMove.reason}`],
  ];
  return `### Release plan ${plan.tag}\n\n| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
}

function main(argv: string[]): number {
  const err = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let o: Args;
  try {
    o = parseArgs(argv);
  } catch (e) {
    err(`release-plan: ${(e as Error).message}`);
    err(
      'usage: node scripts/release-plan.ts plan|notes (--version X.Y.Z | --tag vX.Y.Z) [--allow-unreleased] [--env <file>] [--root <dir>]',
    );
    return 2;
  }
  // the local dry run (polyglot-cd release --dry-run) runs release.yml as it is and sets this
  const allowUnreleased = o.allowUnreleased || process.env.POLYGLOT_CD_RELEASE_DRY_RUN === '1';
  try {
    if (o.cmd === 'notes') {
      const n = notesOf(o.root, parseVersion(o.version ?? o.tag), allowUnreleased);
      if (n.error !== undefined) {
        err(`release-plan: ${n.error}`);
        return 1;
      }
      process.stdout.write(`${n.notes}\n`);
      return 0;
    }
    const { ok, plan } = releasePlan({ root: o.root, version: o.version, tag: o.tag, allowUnreleased });
    if (o.env) writeFileSync(o.env, envFile(plan), { mode: 0o600 });
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary(plan));
    return ok ? 0 : 1;
  } catch (e) {
    err(`release-plan: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  process.exitCode = main(process.argv.slice(2));
}
