/**
 * gitops-update's unified diff (actions/gitops-update/src/diff.ts): its format by hand, then against
 * real git: `git diff --no-index` on generated pairs (the same hunks, line for line: headers, `@@`
 * ranges, context, `\ No newline at end of file`, CRLF), and `git apply` of every diff it prints giving
 * back the new file exactly. git's `diff --git`, `index` and `new file mode` lines, and the function
 * name git prints after `@@`, are left out of the comparison (diff.ts prints none of them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitLines, unifiedDiff } from '../../../actions/gitops-update/src/diff.js';
import type { FileChange } from '../../../actions/gitops-update/src/types.js';

const work = mkdtempSync(join(tmpdir(), 'pcd-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GIT_ENV = {
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: work,
  LANG: 'C',
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
let runs = 0;

/** `git diff --no-index -U<context>` of one change, as diff.ts prints it (see the file's comment). */
function gitDiff(c: FileChange, context = 3): string {
  const dir = join(work, `d${++runs}`);
  const [from, to] = [join(dir, 'old', c.path), join(dir, 'new', c.path)];
  for (const [file, text] of [
    [from, c.before],
    [to, c.after],
  ] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const args = ['diff', '--no-index', '--no-color', `-U${context}`];
  const old = c.before === '' ? '/dev/null' : join('old', c.path);
  const res = spawnSync('git', [...args, old, join('new', c.path)], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
  if (res.status !== 0 && res.status !== 1) throw new Error(`git diff failed: ${res.stderr}`);
  return res.stdout
    .split(/(?<=\n)/)
    .filter((l) => !/^(diff --git |index |new file mode |old mode |new mode )/.test(l))
    .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/([ab])\/(old|new)\//, '$1/') : l))
    .map((l) => l.replace(/^(@@ -\S+ \+\S+ @@).*\n$/, '$1\n'))
    .join('');
}

/** Applies `patch` with `git apply` to the `before` files; returns what the changed files became. */
function gitApply(changes: readonly FileChange[], patch: string): string[] {
  const dir = join(work, `a${++runs}`);
  mkdirSync(dir, { recursive: true });
  for (const c of changes) {
    if (c.before === '') continue;
    mkdirSync(dirname(join(dir, c.path)), { recursive: true });
    writeFileSync(join(dir, c.path), c.before);
  }
  writeFileSync(join(dir, 'change.patch'), patch);
  execFileSync('git', ['apply', '--whitespace=nowarn', 'change.patch'], { cwd: dir, env: GIT_ENV });
  return changes.map((c) => readFileSync(join(dir, c.path), 'utf8'));
}

/** A small deterministic PRNG (mulberry32), so every run tests the same pairs. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

// what values files and manifests are made of: many lines repeat (blank lines, closing keys, tags)
const COMMON_LINES = [
  '',
  '---',
  'image:',
  '  tag: latest',
  '  pullPolicy: IfNotPresent',
  'resources:',
  '  limits:',
  '    cpu: 500m',
  '    memory: 256Mi',
  '  requests:',
  '    cpu: 100m',
  '  - name: app',
  '    image: registry.example/app@sha256:0000',
  'spec:',
  '  replicas: 2',
  '# comment',
];

/** A YAML-like file of `n` lines: repeated lines (ambiguous diffs) and unique ones (`key17: v`). */
function yamlish(random: () => number, n: number, eol: string): string[] {
  return Array.from({ length: n }, (_, i) =>
    random() < 0.5
      ? `${COMMON_LINES[Math.floor(random() * COMMON_LINES.length)] as string}${eol}`
      : `${'  '.repeat(Math.floor(random() * 3))}key${i}: v${Math.floor(random() * 1000)}${eol}`,
  );
}

/** `lines` after a few random edits: lines replaced, blocks inserted or deleted, lines repeated. */
function edit(random: () => number, lines: readonly string[], eol: string): string[] {
  const out = [...lines];
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.35 && at < out.length) out[at] = `  digest: sha256:${Math.floor(random() * 1e9)}${eol}`;
    else if (kind < 0.6) out.splice(at, 0, ...yamlish(random, 1 + Math.floor(random() * 4), eol));
    else if (kind < 0.85) out.splice(at, 1 + Math.floor(random() * 3));
    else if (at < out.length) out.splice(at, 0, out[at] as string);
  }
  return out;
}

/** Drops the last line's end, now and then (`\ No newline at end of file`). */
function maybeNoEol(random: () => number, text: string): string {
  return random() < 0.2 ? text.replace(/\r?\n$/, '') : text;
}

function generatedPair(seed: number): FileChange {
  const random = prng(seed);
  const eol = random() < 0.15 ? '\r\n' : '\n';
  const before = yamlish(random, 5 + Math.floor(random() * 40), eol);
  const after = edit(random, before, eol);
  return {
    path: `envs/e${seed}/values.yaml`,
    before: maybeNoEol(random, before.join('')),
    after: maybeNoEol(random, after.join('')),
  };
}

describe('unifiedDiff: the format', () => {
  it('one changed line: headers, a hunk with 3 lines of context around it', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff([{ path: 'envs/values.yaml', before, after }])).toBe(
      [
        '--- a/envs/values.yaml',
        '+++ b/envs/values.yaml',
        '@@ -2,7 +2,7 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        '',
      ].join('\n'),
    );
  });

  it('a new file (empty before): --- /dev/null and @@ -0,0 +1,n @@; a one-line range has no ",1"', () => {
    expect(unifiedDiff([{ path: 'new.yaml', before: '', after: 'a: 1\nb: 2\n' }])).toBe(
      '--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n',
    );
    expect(unifiedDiff([{ path: 'one.yaml', before: 'x\n', after: 'y\n' }])).toBe(
      '--- a/one.yaml\n+++ b/one.yaml\n@@ -1 +1 @@\n-x\n+y\n',
    );
  });

  it('a last line without a newline is marked, before and after; CRLF lines are shown as they are', () => {
    expect(unifiedDiff([{ path: 'f', before: 'a\nb', after: 'a\nb\nc\n' }])).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n',
    );
    expect(unifiedDiff([{ path: 'f', before: 'a\nb', after: 'A\nb' }])).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+A\n b\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff([{ path: 'w.yaml', before: 'k: 1\r\nv: 2\r\n', after: 'k: 1\r\nv: 3\r\n' }])).toBe(
      '--- a/w.yaml\n+++ b/w.yaml\n@@ -1,2 +1,2 @@\n k: 1\r\n-v: 2\r\n+v: 3\r\n',
    );
  });

  it('changes further apart than 2 x context are separate hunks; closer ones share one', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}\n`);
    const change = (at: number[], context: number): string => {
      const after = lines.map((l, i) => (at.includes(i) ? l.toUpperCase() : l));
      return unifiedDiff([{ path: 'f', before: lines.join(''), after: after.join('') }], context);
    };
    expect(change([3, 11], 3).match(/^@@/gm)).toHaveLength(2); // 7 lines between: more than 2·3
    expect(change([3, 10], 3).match(/^@@/gm)).toHaveLength(1); // 6 lines between: one hunk, as git
    expect(change([3, 11], 3)).toContain('@@ -1,7 +1,7 @@');
    expect(change([3, 4], 0)).toBe('--- a/f\n+++ b/f\n@@ -4,2 +4,2 @@\n-l3\n-l4\n+L3\n+L4\n');
    expect(change([3, 5], 0)).toBe('--- a/f\n+++ b/f\n@@ -4 +4 @@\n-l3\n+L3\n@@ -6 +6 @@\n-l5\n+L5\n');
    expect(() => change([3], -1)).toThrow(/context/);
  });

  it('a file emptied; unchanged changes are left out; no changes, no output; several files in order', () => {
    expect(unifiedDiff([{ path: 'f', before: 'a\nb\n', after: '' }])).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n',
    );
    expect(unifiedDiff([])).toBe('');
    expect(unifiedDiff([{ path: 'same', before: 'x\n', after: 'x\n' }])).toBe('');
    const two = unifiedDiff([
      { path: 'b.yaml', before: '1\n', after: '2\n' },
      { path: 'a.yaml', before: '1\n', after: '3\n' },
    ]);
    expect(two.match(/^--- .*$/gm)).toEqual(['--- a/b.yaml', '--- a/a.yaml']);
  });

  it('splitLines keeps each line end; a missing last end stays missing', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\r\nb\n')).toEqual(['a\r\n', 'b\n']);
    expect(splitLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
  });
});

/** The length of a longest common subsequence of two line lists (dynamic programming). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const next = [0];
    for (let j = 0; j < b.length; j++)
      next.push(x === b[j] ? (row[j] as number) + 1 : Math.max(row[j + 1] as number, next[j] as number));
    row = next;
  }
  return row[b.length] as number;
}

describe('unifiedDiff: a shortest diff', () => {
  it('1500 random pairs over 1 to 4 distinct lines: as few changed lines as the LCS allows, and both files back', () => {
    const random = prng(7);
    for (let round = 0; round < 1500; round++) {
      const alphabet = ['a\n', 'b\n', '  c\n', '\n'].slice(0, 1 + Math.floor(random() * 4));
      const pick = (n: number) =>
        Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)] as string);
      const [a, b] = [pick(Math.floor(random() * 25)), pick(Math.floor(random() * 25))];
      const before = a.join('');
      const after = b.join('');
      if (before === after || before === '') continue;
      // a context larger than the files: one hunk holding every line of both
      const lines = unifiedDiff([{ path: 'f', before, after }], 100)
        .split('\n')
        .slice(3, -1);
      const kept = (marks: string) => lines.filter((l) => marks.includes(l[0] as string)).map((l) => `${l.slice(1)}\n`);
      expect(kept(' -').join(''), `${JSON.stringify(before)} → ${JSON.stringify(after)}`).toBe(before);
      expect(kept(' +').join('')).toBe(after);
      expect(lines.filter((l) => l[0] === '-' || l[0] === '+').length).toBe(a.length + b.length - 2 * lcsLength(a, b));
    }
  });
});

describe('unifiedDiff against git', () => {
  it(`git is there (${spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim()})`, () => {
    expect(spawnSync('git', ['--version']).status).toBe(0);
  });

  it('crafted pairs: the same lines as git diff --no-index, context 0 to 5', () => {
    const long = Array.from({ length: 40 }, (_, i) => `key${i}: ${i}\n`).join('');
    const pairs: FileChange[] = [
      { path: 'envs/staging/values.yaml', before: long, after: long.replace('key7: 7', 'key7: seven') },
      { path: 'two.yaml', before: long, after: long.replace('key3: 3', 'k3').replace('key30: 30\n', '') },
      { path: 'gap6.yaml', before: long, after: long.replace('key3: 3', 'k3').replace('key10: 10', 'k10') },
      { path: 'gap7.yaml', before: long, after: long.replace('key3: 3', 'k3').replace('key11: 11', 'k11') },
      { path: 'new/file.yaml', before: '', after: 'a: 1\nb: 2' },
      { path: 'eol.yaml', before: 'a\nb\nc', after: 'a\nB\nc\n' },
      { path: 'gone.yaml', before: 'a\nb\n', after: '' },
      { path: 'crlf.yaml', before: 'a: 1\r\nb: 2\r\nc: 3\r\n', after: 'a: 1\r\nb: 20\r\nc: 3\r\n' },
      { path: 'mixed.yaml', before: 'a: 1\r\nb: 2\n', after: 'a: 1\nb: 2\n' },
      { path: 'blank.yaml', before: 'a:\n  x: 1\n\nb:\n  y: 2\n', after: 'a:\n  x: 1\n\nc:\n  z: 3\n\nb:\n  y: 2\n' },
      { path: 'head.yaml', before: 'x\ny\n', after: 'new\nx\ny\n' },
      { path: 'with space/v.yaml', before: 'a\n', after: 'b\n' },
      { path: 'tab\there/"quoted"\\ü.yaml', before: 'a\n', after: 'b\n' },
    ];
    for (const context of [0, 1, 3, 5]) {
      for (const c of pairs) expect(unifiedDiff([c], context), `${c.path} -U${context}`).toBe(gitDiff(c, context));
    }
  });

  it('repeated lines: the change is placed where git places it (its sliding and indent heuristic)', () => {
    const pairs: FileChange[] = [
      // a new block among blocks separated by blank lines
      { path: 'a.yaml', before: 'a:\n  x: 1\n\nb:\n  y: 2\n', after: 'a:\n  x: 1\n\nn:\n  z: 0\n\nb:\n  y: 2\n' },
      // a list item like its neighbours
      {
        path: 'b.yaml',
        before: 'c:\n  - name: a\n    image: x\n  - name: b\n    image: x\n',
        after: 'c:\n  - name: a\n    image: x\n  - name: n\n    image: x\n  - name: b\n    image: x\n',
      },
      // a repeated line removed, and one added at the end of a run of them
      { path: 'c.yaml', before: '---\n---\n---\nk: 1\n', after: '---\n---\nk: 1\n---\n' },
      { path: 'd.yaml', before: 'x\n\n\n\ny\n', after: 'x\n\n\n\n\ny\n' },
      { path: 'e.yaml', before: '  a\n  b\n  a\n  b\n', after: '  a\n  b\n  a\n  b\n  a\n  b\n' },
    ];
    for (const c of pairs) expect(unifiedDiff([c]), c.path).toBe(gitDiff(c));
  });

  it('200 generated pairs (repeated lines, CRLF, no newline at the end): git apply gives the new file back', () => {
    const changes = Array.from({ length: 200 }, (_, i) => generatedPair(i + 1)).filter((c) => c.before !== c.after);
    expect(changes.length).toBeGreaterThan(180);
    const patch = unifiedDiff(changes);
    expect(gitApply(changes, patch)).toEqual(changes.map((c) => c.after));
  });

  it('generated pairs: a shortest diff, and the same hunks as git when git finds a shortest one too', () => {
    let same = 0;
    const changes = Array.from({ length: 200 }, (_, i) => generatedPair(1000 + i)).filter((c) => c.before !== c.after);
    for (const c of changes) {
      const ours = unifiedDiff([c]);
      const git = gitDiff(c);
      const size = (d: string) => d.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
      expect(size(ours), c.path).toBeLessThanOrEqual(size(git));
      if (size(ours) === size(git) && ours === git) same++;
    }
    // where several shortest diffs differ by more than a slide, git's search may pick another one
    // (198 of these 199 pairs come out the same with git 2.39)
    expect(same / changes.length).toBeGreaterThan(0.9);
  });
});
