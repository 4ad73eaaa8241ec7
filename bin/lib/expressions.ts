// GitHub Actions expressions (`${{ … }}`) for the local workflow runner, evaluated by GitHub's own
// library (@actions/expressions: its Lexer, Parser and Evaluator). This module converts the runner's
// plain JavaScript contexts into the library's data types and the results back, and adds what the
// library leaves to the runner: the status functions (success, failure, cancelled, always), the
// implicit `success() &&` of `if:`, and `${{ }}` interpolation inside strings.
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import { TokenType } from '@actions/expressions/lexer';
import { truthy as libTruthy } from '@actions/expressions/result';

/** A JSON-like value as the runner keeps it in its contexts. */
export type Value = null | undefined | string | number | boolean | Value[] | { [key: string]: Value };

/** Status of the job or step an expression is evaluated for. */
export interface Status {
  success?: () => boolean;
  failure?: () => boolean;
  cancelled?: () => boolean;
}

/** What an expression can read: the named contexts (github, inputs, …) and the status functions. */
export interface EvalContext {
  contexts?: Record<string, unknown>;
  status?: Status;
}

export class ExpressionError extends Error {}

/** The contexts a workflow may name (the runner's set); the given contexts are added to them. */
const KNOWN_CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'] as const;

const EXTENSION_FUNCTIONS: FunctionInfo[] = [
  ...STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];

function functionsFor(status: Status | undefined): Map<string, FunctionDefinition> {
  const bool = (v: boolean): ExpressionData => new data.BooleanData(v);
  const fns = new Map<string, FunctionDefinition>();
  fns.set('success', { name: 'success', minArgs: 0, maxArgs: 0, call: () => bool(Boolean(status?.success?.())) });
  fns.set('failure', { name: 'failure', minArgs: 0, maxArgs: 0, call: () => bool(Boolean(status?.failure?.())) });
  fns.set('cancelled', {
    name: 'cancelled',
    minArgs: 0,
    maxArgs: 0,
    call: () => bool(Boolean(status?.cancelled?.())),
  });
  fns.set('always', { name: 'always', minArgs: 0, maxArgs: 0, call: () => bool(true) });
  fns.set('hashfiles', {
    name: 'hashFiles',
    minArgs: 1,
    maxArgs: 255,
    call: () => {
      throw new ExpressionError('hashFiles() is not supported by the local runner');
    },
  });
  return fns;
}

/** A plain value as the library's data (objects become case-insensitive dictionaries). */
export function toData(v: unknown): ExpressionData {
  if (v === null || v === undefined) return new data.Null();
  if (typeof v === 'string') return new data.StringData(v);
  if (typeof v === 'number') return new data.NumberData(v);
  if (typeof v === 'boolean') return new data.BooleanData(v);
  if (Array.isArray(v)) return new data.Array(...v.map(toData));
  if (typeof v === 'object') {
    const d = new data.Dictionary();
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') d.add(k, toData(x));
    return d;
  }
  return new data.StringData(String(v));
}

/** The library's data as a plain value (a `.*` filter becomes an array). */
export function fromData(d: ExpressionData): Value {
  switch (d.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
    case data.Kind.Number:
    case data.Kind.Boolean:
      return d.value;
    case data.Kind.Array:
      return d.values().map(fromData);
    case data.Kind.Dictionary:
      return Object.fromEntries(d.pairs().map((p) => [p.key, fromData(p.value)]));
    default:
      return null;
  }
}

interface Parsed {
  expr: ReturnType<Parser['parse']>;
  usesStatus: boolean;
}

function parse(src: string, contextNames: string[]): Parsed {
  try {
    const { tokens } = new Lexer(src).lex();
    const expr = new Parser(tokens, contextNames, EXTENSION_FUNCTIONS).parse();
    const usesStatus = tokens.some(
      (t, i) =>
        t.type === TokenType.IDENTIFIER &&
        (STATUS_FUNCTIONS as readonly string[]).includes(t.lexeme.toLowerCase()) &&
        tokens[i + 1]?.type === TokenType.LEFT_PAREN,
    );
    return { expr, usesStatus };
  } catch (e) {
    throw new ExpressionError(`${(e as Error).message} in ${JSON.stringify(src.trim())}`);
  }
}

function names(ctx: EvalContext): string[] {
  return [...new Set([...KNOWN_CONTEXTS, ...Object.keys(ctx.contexts ?? {})])];
}

function run(parsed: Parsed, src: string, ctx: EvalContext): ExpressionData {
  const context = toData(ctx.contexts ?? {}) as InstanceType<typeof data.Dictionary>;
  try {
    return new Evaluator(parsed.expr, context, functionsFor(ctx.status)).evaluate();
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    const cause = (e as Error).cause instanceof Error ? `: ${((e as Error).cause as Error).message}` : '';
    throw new ExpressionError(`${(e as Error).message}${cause} in ${JSON.stringify(src.trim())}`);
  }
}

/** Whether a value counts as true in `if:`, `&&`, `||` and `!` (GitHub's rule). */
export function truthy(v: unknown): boolean {
  return libTruthy(toData(v));
}

/** How a value becomes text inside a string (`a-${{ x }}`), as the runner does. */
export function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2);
}

/** Evaluates one expression (the text between `${{` and `}}`) to a plain value. */
export function evaluate(src: string, ctx: EvalContext): Value {
  return fromData(run(parse(src, names(ctx)), src, ctx));
}

/** Uses a status function? (then the runner does not add the implicit `success() &&`) */
export function hasStatusFunction(src: string): boolean {
  return parse(src, names({})).usesStatus;
}

/** `if:` semantics: an expression with or without `${{ }}`, implicitly `success() && (…)`. */
export function evaluateIf(cond: unknown, ctx: EvalContext): boolean {
  const success = Boolean(ctx.status?.success?.());
  if (cond === undefined || cond === null || cond === '') return success;
  if (typeof cond === 'boolean') return cond && success;
  const s = String(cond).trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(s);
  const src = m?.[1] ?? s;
  const parsed = parse(src, names(ctx));
  const v = libTruthy(run(parsed, src, ctx));
  return parsed.usesStatus ? v : v && success;
}

/** A string with `${{ }}` parts: a lone expression keeps its type (matrix: fromJSON(…)); else text. */
export function interpolate(value: unknown, ctx: EvalContext): Value {
  if (typeof value !== 'string') return value as Value;
  const lone = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (lone?.[1] !== undefined && !lone[1].includes('}}')) return evaluate(lone[1], ctx);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => toText(evaluate(e, ctx)));
}

/** interpolate() over every string of a mapping/list. */
export function interpolateDeep(value: unknown, ctx: EvalContext): Value {
  if (typeof value === 'string') return interpolate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, ctx));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, ctx)]));
  return value as Value;
}
