/**
 * Lists every function-like node (function declarations and expressions, arrow functions, methods,
 * constructors, get/set accessors) in the actions' and packages' sources with its length in lines
 * (end line - start line + 1), longest first.
 *
 *   pnpm exec node scripts/function-lengths.ts [--top N]
 *
 * `measureFunctions()` is exported for the hygiene test (test/hygiene/function-length.test.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface FunctionLength {
  /** path relative to the repository root, with `/` separators */
  file: string;
  /** 1-based line of the function's first token */
  line: number;
  /** a readable name: `Class.method`, the variable or property it is assigned to, or `<anonymous>` */
  name: string;
  /** end line - start line + 1 */
  lines: number;
}

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The source roots measured: `actions/<name>/src` and `packages/<name>/src`. */
export const SOURCE_GROUPS = ['actions', 'packages'] as const;

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every `.ts` file (declaration files left out) under `dir`, recursively, sorted. */
function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...tsFilesUnder(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out.sort();
}

/** The source files of one group (`actions` or `packages`): `<group>/*\/src/**\/*.ts`. */
export function sourceFiles(group: string, root: string = repoRoot): string[] {
  const base = join(root, group);
  if (!isDir(base)) return [];
  const files: string[] = [];
  for (const name of readdirSync(base).sort()) {
    const src = join(base, name, 'src');
    if (isDir(src)) files.push(...tsFilesUnder(src));
  }
  return files;
}

function nameText(name: ts.Node | undefined, source: ts.SourceFile): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(source);
}

/** The name of the class (or object literal's variable) a member belongs to, if any. */
function ownerName(member: ts.Node, source: ts.SourceFile): string | undefined {
  const parent = member.parent;
  if (parent && (ts.isClassDeclaration(parent) || ts.isClassExpression(parent))) {
    return nameText(parent.name, source) ?? '<class>';
  }
  if (parent && ts.isObjectLiteralExpression(parent)) return bindingName(parent, source);
  return undefined;
}

/** The name an expression is bound to: a variable, a property, an assignment's target or a call's callee. */
function bindingName(node: ts.Node, source: ts.SourceFile): string | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent)) return nameText(parent.name, source);
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    const own = nameText(parent.name, source);
    const owner = ownerName(parent, source);
    return owner && own ? `${owner}.${own}` : own;
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return parent.left.getText(source);
  }
  if (
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    parent.arguments?.includes(node as ts.Expression)
  ) {
    const callee = parent.expression.getText(source);
    return `${ts.isNewExpression(parent) ? 'new ' : ''}${callee}(<callback>)`;
  }
  if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
    return bindingName(parent, source);
  }
  return undefined;
}

function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return `${ownerName(node, source) ?? '<class>'}.constructor`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const prefix = ts.isGetAccessorDeclaration(node) ? 'get ' : ts.isSetAccessorDeclaration(node) ? 'set ' : '';
    const own = nameText(node.name, source) ?? '<computed>';
    const owner = ownerName(node, source);
    return prefix + (owner ? `${owner}.${own}` : own);
  }
  return nameText(node.name, source) ?? bindingName(node, source) ?? '<anonymous>';
}

/** Function-like nodes that have a body (overload signatures and abstract members have none). */
function isMeasured(node: ts.Node): node is ts.FunctionLikeDeclaration {
  const functionLike =
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node);
  return functionLike && node.body !== undefined;
}

/** The length of every function-like node in one file's text; `file` is what the results name. */
export function measureSource(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (isMeasured(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      out.push({ file, line: start + 1, name: functionName(node, source), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Longest first; ties by file, then line. */
export function byLength(a: FunctionLength, b: FunctionLength): number {
  return b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line;
}

/**
 * Every function-like node in the given groups' sources (default: actions and packages), longest
 * first. Paths are relative to `root`.
 */
export function measureFunctions(groups: readonly string[] = SOURCE_GROUPS, root: string = repoRoot): FunctionLength[] {
  const all: FunctionLength[] = [];
  for (const group of groups) {
    for (const path of sourceFiles(group, root)) {
      const file = relative(root, path).split('\\').join('/');
      all.push(...measureSource(file, readFileSync(path, 'utf8')));
    }
  }
  return all.sort(byLength);
}

/** `  <lines>  <file>:<line> <name>`, one line per function. */
export function formatLengths(lengths: readonly FunctionLength[]): string {
  const width = String(lengths[0]?.lines ?? 0).length;
  return lengths.map((f) => `${String(f.lines).padStart(width)}  ${f.file}:${f.line} ${f.name}`).join('\n');
}

function parseTop(argv: readonly string[]): number | undefined {
  const at = argv.indexOf('--top');
  if (at === -1) return undefined;
  const n = Number(argv[at + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--top needs a positive whole number');
  return n;
}

function main(argv: readonly string[]): void {
  const top = parseTop(argv);
  const lengths = measureFunctions();
  const shown = top === undefined ? lengths : lengths.slice(0, top);
  process.stdout.write(`${formatLengths(shown)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
