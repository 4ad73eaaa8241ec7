/**
 * SECURITY.md names, for every row of its threat model, the tests that hold it, as code spans of the form
 * `test/<path>.test.ts › <title>` (or `… › <describe title> › <it title>`). This file checks that each
 * reference still points at a test: the file exists, and some `describe(`/`it(`/`test(` call in it has
 * that title, with the given describe titles around it, innermost last.
 *
 * Titles are read from the test file's syntax tree (TypeScript's parser), never by running it:
 * - a string literal matches exactly;
 * - a template literal matches as written (`runs on the real Helm ${version}`) or with each `${…}`
 *   filled in by anything;
 * - an `.each`/`.for` title matches as written (`%s has no findings`) or with each placeholder (`%s`,
 *   `%j`, `%d`, `$name`, …) filled in by a value that appears in the test file's source (so a row of the
 *   table can be named: `… › github.event.* inside run: → untrusted-in-run`);
 * - `a ? b : c` matches either branch, `a + b` the concatenation, and a `const` name its initializer.
 *
 * A reference whose title is `TODO` marks a row whose test is still to be written: it is reported by its
 * own test below, so the rest can pass meanwhile. Every row of the threat tables must name a test or say
 * why not ("not covered: …", "by design: …").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

const SEP = ' › ';

export interface Reference {
  /** 1-based line in the markdown */
  line: number;
  file: string;
  /** describe titles then the test title; empty for a reference to the file alone */
  titles: string[];
  text: string;
}

/** Code spans of a markdown text (any backtick run length), with `\|` (a pipe inside a table cell) unescaped. */
function codeSpans(line: string): string[] {
  const out: string[] = [];
  const re = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  for (const m of line.matchAll(re)) out.push((m[2] as string).trim().replace(/\\\|/g, '|'));
  return out;
}

/** Every code span that starts with a test file path: `test/….test.ts` alone, or followed by ` › ` and titles. */
export function references(markdown: string): Reference[] {
  const refs: Reference[] = [];
  markdown.split('\n').forEach((text, i) => {
    for (const span of codeSpans(text)) {
      const m = /^(test\/[^\s`]+\.test\.ts)(?:$| › (.+)$)/s.exec(span);
      if (!m) continue;
      refs.push({ line: i + 1, file: m[1] as string, titles: m[2] ? (m[2] as string).split(SEP) : [], text: span });
    }
  });
  return refs;
}

export const isTodo = (r: Reference): boolean => r.titles.at(-1) === 'TODO';

// ----- titles of a test file, from its syntax tree -----

interface Title {
  /** the title as written in the source */
  text: string;
  /** the title with its placeholders filled in; group values are checked against the source if `values` */
  pattern?: RegExp;
  values?: boolean;
}

interface TestCall {
  kind: 'describe' | 'it';
  titles: Title[];
  parent?: TestCall;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MODIFIERS = new Set(['skip', 'only', 'todo', 'concurrent', 'sequential', 'fails', 'shuffle']);

/** `it`, `test`, `describe`, with modifiers, `.each(table)`, `.for(table)`, `.skipIf(c)`, `.runIf(c)`. */
function testFunction(callee: ts.Expression): { kind: 'describe' | 'it'; each: boolean } | undefined {
  if (ts.isIdentifier(callee)) {
    if (callee.text === 'it' || callee.text === 'test') return { kind: 'it', each: false };
    if (callee.text === 'describe' || callee.text === 'suite') return { kind: 'describe', each: false };
    return undefined;
  }
  if (ts.isPropertyAccessExpression(callee)) {
    return MODIFIERS.has(callee.name.text) ? testFunction(callee.expression) : undefined;
  }
  if (ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression)) {
    const name = callee.expression.name.text;
    const base = testFunction(callee.expression.expression);
    if (!base) return undefined;
    if (name === 'each' || name === 'for') return { kind: base.kind, each: true };
    if (name === 'skipIf' || name === 'runIf') return base;
  }
  return undefined;
}

function titlesOf(expr: ts.Expression, file: ts.SourceFile, each: boolean, depth = 0): Title[] {
  if (depth > 8) return [];
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr))
    return titlesOf(expr.expression, file, each, depth + 1);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [literalTitle(expr.text, each)];
  if (ts.isTemplateExpression(expr)) {
    const text = expr.getText(file).slice(1, -1);
    const parts = [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)];
    const source = parts.map((p) => (each ? placeholderSource(p) : escapeRe(p))).join('(.+?)');
    return [{ text, pattern: new RegExp(`^${source}$`, 's'), values: false }];
  }
  if (ts.isConditionalExpression(expr))
    return [...titlesOf(expr.whenTrue, file, each, depth + 1), ...titlesOf(expr.whenFalse, file, each, depth + 1)];
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const out: Title[] = [];
    for (const a of titlesOf(expr.left, file, each, depth + 1)) {
      for (const b of titlesOf(expr.right, file, each, depth + 1)) {
        if (!a.pattern && !b.pattern) out.push(literalTitle(a.text + b.text, each));
      }
    }
    return out;
  }
  if (ts.isIdentifier(expr)) {
    const init = constInitializer(expr.text, file);
    return init ? titlesOf(init, file, each, depth + 1) : [];
  }
  return [];
}

/** vitest's placeholders: %s %d %i %f %j %o %O %c %# %$ (and %% for a percent sign), $name / $a.b for object rows */
const PLACEHOLDER = /%%|%[sdifjoOc#$]|\$[A-Za-z_][\w.]*/g;

function placeholderSource(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    out += escapeRe(text.slice(last, m.index));
    out += m[0] === '%%' ? '%' : '(.+?)';
    last = (m.index as number) + m[0].length;
  }
  return out + escapeRe(text.slice(last));
}

function literalTitle(text: string, each: boolean): Title {
  if (!each || !new RegExp(PLACEHOLDER.source).test(text)) return { text };
  return { text, pattern: new RegExp(`^${placeholderSource(text)}$`, 's'), values: true };
}

function constInitializer(name: string, file: ts.SourceFile): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer)
      found = n.initializer;
    else ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

/** every describe/it/test call of a test file, with its enclosing describe calls */
const parsed = new Map<string, { calls: TestCall[]; source: string }>();

export function testCalls(path: string): { calls: TestCall[]; source: string } {
  const known = parsed.get(path);
  if (known) return known;
  const source = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const calls: TestCall[] = [];
  const visit = (n: ts.Node, parent: TestCall | undefined): void => {
    if (ts.isCallExpression(n) && n.arguments.length > 0) {
      const fn = testFunction(n.expression);
      if (fn) {
        const call: TestCall = {
          kind: fn.kind,
          titles: titlesOf(n.arguments[0] as ts.Expression, file, fn.each),
          ...(parent ? { parent } : {}),
        };
        calls.push(call);
        ts.forEachChild(n, (c) => visit(c, call));
        return;
      }
    }
    ts.forEachChild(n, (c) => visit(c, parent));
  };
  visit(file, undefined);
  parsed.set(path, { calls, source });
  return { calls, source };
}

/**
 * A value filled into a placeholder must be one the test file really has: a whole string literal of it
 * (`'1 --all'`, not a piece of one), or a number, key or word standing alone. A value printed as JSON
 * (`%j`) is taken apart: every key and every leaf value must be there.
 */
function inSource(value: string, source: string): boolean {
  const v = value.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    const unquoted = /^(['"`])([\s\S]*)\1$/.exec(v)?.[2];
    return literalIn(unquoted ?? v, source);
  }
  const leaves: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') leaves.push(String(x));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        leaves.push(k);
        walk(y);
      }
    }
  };
  walk(parsed);
  return leaves.every((l) => literalIn(l, source));
}

function literalIn(v: string, source: string): boolean {
  const spellings = new Set([v, JSON.stringify(v).slice(1, -1), v.replace(/'/g, "\\'")]);
  for (const s of spellings) for (const q of ["'", '"', '`']) if (source.includes(q + s + q)) return true;
  return /^[\w.+-]+$/.test(v) && new RegExp(`(^|[^\\w.-])${escapeRe(v)}([^\\w.-]|$)`).test(source);
}

function titleMatches(t: Title, wanted: string, source: string): boolean {
  if (t.text === wanted) return true;
  const m = t.pattern?.exec(wanted);
  if (!m) return false;
  return !t.values || m.slice(1).every((v) => inSource(v as string, source));
}

/** Why a reference does not resolve, or undefined when it does. */
export function problem(ref: Reference, root: string = repoRoot): string | undefined {
  const path = join(root, ref.file);
  if (!existsSync(path)) return `SECURITY.md:${ref.line}: ${ref.file} does not exist`;
  if (ref.titles.length === 0) return undefined;
  const { calls, source } = testCalls(path);
  const found = calls.some((call) => {
    let node: TestCall | undefined = call;
    for (let i = ref.titles.length - 1; i >= 0; i--) {
      if (!node || !node.titles.some((t) => titleMatches(t, ref.titles[i] as string, source))) return false;
      node = node.parent;
    }
    return true;
  });
  return found
    ? undefined
    : `SECURITY.md:${ref.line}: no describe/it/test in ${ref.file} is titled ${JSON.stringify(ref.titles.join(SEP))}`;
}

/** The rows of the threat tables: `| T<n> | …` and `| B<n> | …`. */
export function threatRows(markdown: string): { id: string; line: number; text: string }[] {
  return markdown
    .split('\n')
    .map((text, i) => ({ text, line: i + 1, id: /^\|\s*([TB]\d+)\s*\|/.exec(text)?.[1] ?? '' }))
    .filter((r) => r.id !== '');
}

const markdown = readFileSync(join(repoRoot, 'SECURITY.md'), 'utf8');
const refs = references(markdown);

describe('SECURITY.md names tests that exist', () => {
  it('the check really checks: a missing file, a wrong title and a wrong describe are caught; a table row and a template title resolve', () => {
    const planted = [
      '| `test/hygiene/no-such.test.ts › anything` |',
      '| `test/hygiene/security-doc.test.ts › no test has this title` |',
      '| `test/hygiene/security-doc.test.ts › some other describe › every reference resolves to a test file and title` |',
      '| `test/unit/kube/ownership.test.ts › checkDeletable › another repository on a shared cluster` |',
      '| `test/unit/kube/ownership.test.ts › checkDeletable › another repository on a shared kluster` |',
      '| `test/hygiene/security-doc.test.ts › SECURITY.md names tests that exist › every reference resolves to a test file and title` |',
      '| `test/unit/kube/ownership.test.ts › parsePrNumber › refuses "1 --all"` |',
      '| `test/unit/kube/ownership.test.ts › parsePrNumber › refuses "1 --al"` |',
      '| `test/integration/helm-deploy/deploy.kube.test.ts › runs on the real Helm ${version}` \\| `test/x.test.ts › TODO` |',
    ].join('\n');
    const found = references(planted);
    expect(found.map((r) => r.file)).toEqual([
      'test/hygiene/no-such.test.ts',
      'test/hygiene/security-doc.test.ts',
      'test/hygiene/security-doc.test.ts',
      'test/unit/kube/ownership.test.ts',
      'test/unit/kube/ownership.test.ts',
      'test/hygiene/security-doc.test.ts',
      'test/unit/kube/ownership.test.ts',
      'test/unit/kube/ownership.test.ts',
      'test/integration/helm-deploy/deploy.kube.test.ts',
      'test/x.test.ts',
    ]);
    expect(found.map((r) => problem(r) === undefined)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
    expect(found.filter(isTodo).map((r) => r.file)).toEqual(['test/x.test.ts']);
  });

  it('finds the references (the parser really reads SECURITY.md)', () => {
    expect(refs.length).toBeGreaterThan(50);
  });

  it('every reference resolves to a test file and title', () => {
    const problems = refs
      .filter((r) => !isTodo(r))
      .map((r) => problem(r))
      .filter((p) => p !== undefined);
    expect(problems).toEqual([]);
  });

  it('every row of the threat tables names a test, or says why not', () => {
    const rows = threatRows(markdown);
    const ids = rows.map((r) => r.id);
    const numbered = ids.filter((id) => id.startsWith('T')).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    expect(numbered, 'T1 to T53, each once').toEqual(Array.from({ length: 53 }, (_, i) => `T${i + 1}`));
    expect(new Set(ids).size, 'row ids are unique').toBe(ids.length);
    const bare = rows.filter(
      (r) => references(r.text).every((ref) => ref.titles.length === 0) && !/not covered|by design/i.test(r.text),
    );
    expect(bare.map((r) => `SECURITY.md:${r.line}: ${r.id}`)).toEqual([]);
  });

  it('no reference is still TODO', () => {
    const rowAt = new Map(threatRows(markdown).map((r) => [r.line, r.id]));
    const todos = refs.filter(isTodo).map((r) => `SECURITY.md:${r.line}: ${rowAt.get(r.line) ?? '(no row)'} ${r.file}`);
    expect(todos).toEqual([]);
  });
});
