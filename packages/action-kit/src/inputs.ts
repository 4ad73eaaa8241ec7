/**
 * Typed input readers. Every error names the input, the bad value (unless the input is secret) and
 * what is allowed, and is an InputError, so `runAction` shows it without a stack.
 */
import { InputError } from './errors.js';
import type { RunnerProtocol } from './runner-protocol.js';
import type { Secrets } from './secrets.js';

export interface ReadOptions {
  /** mask the value at read and never quote it in an error */
  secret?: boolean;
  /** a secret URL: also mask its query values (e.g. `sig=`) */
  url?: boolean;
}

/**
 * No input is larger: a kubeconfig or a values document is a few KiB; anything bigger is a mistake or an
 * attack. (Linux refuses a single environment variable over 128 KiB anyway, and inputs travel as
 * INPUT_* variables.)
 */
export const MAX_INPUT_BYTES = 96 * 1024;

/** How many values a parsed YAML input may expand to, aliases counted as the copies they stand for. */
export const MAX_YAML_NODES = 100_000;

/**
 * Refuses a parsed YAML document whose aliases expand it beyond MAX_YAML_NODES values (a "billion
 * laughs" document: aliases of aliases, each multiplying the size). The YAML parser keeps an alias as a
 * reference, so parsing is cheap; whatever walks or serialises the result (JSON.stringify, helm) would
 * expand it. Counted with one visit per distinct node, so the check itself stays small.
 */
export function checkYamlExpansion(name: string, doc: unknown, max = MAX_YAML_NODES): void {
  const sizes = new Map<object, number>();
  const onPath = new Set<object>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v))
      throw new InputError(
        `Input "${name}" is a YAML document that contains itself (a recursive alias): refused`,
        name,
      );
    onPath.add(v);
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      n += size(child);
      if (n > max) break;
    }
    onPath.delete(v);
    sizes.set(v, n);
    return n;
  };
  const n = size(doc);
  if (n > max) {
    throw new InputError(
      `Input "${name}" expands to more than ${max} YAML values through its aliases (*name): refused before anything uses it (an alias bomb)`,
      name,
    );
  }
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90`, `90s`, `500ms`, `5m`, `1h30m`; a bare number means seconds. Returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const re = /(\d+)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== t.length) return undefined;
  return total;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Splits a list input on newlines and commas; drops blanks and `#` comments. */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export class Inputs {
  private readonly runner: RunnerProtocol;
  private readonly secrets: Secrets;
  constructor(runner: RunnerProtocol, secrets: Secrets) {
    this.runner = runner;
    this.secrets = secrets;
  }

  #read(name: string, opts: ReadOptions): string {
    const value = this.runner.getInput(name);
    if (opts.secret && value !== '') this.secrets.add(value, { url: opts.url === true });
    if (Buffer.byteLength(value) > MAX_INPUT_BYTES) {
      throw new InputError(
        `Input "${name}" is ${Buffer.byteLength(value)} bytes, more than the ${MAX_INPUT_BYTES / 1024} KiB any input may have; pass a file (e.g. values-files) instead`,
        name,
      );
    }
    return value;
  }

  #show(value: string, opts: ReadOptions): string {
    return opts.secret ? '(secret value not shown)' : JSON.stringify(value);
  }

  /** Raise an InputError for `name` with the standard shape. */
  fail(name: string, value: string, allowed: string, opts: ReadOptions = {}): never {
    throw new InputError(`Input "${name}" has an invalid value ${this.#show(value, opts)}: ${allowed}`, name);
  }

  required(name: string, opts: ReadOptions & { hint?: string } = {}): string {
    const value = this.#read(name, opts);
    if (value === '') {
      throw new InputError(
        `Input "${name}" is required and was not supplied.${opts.hint ? ' ' + opts.hint : ''}`,
        name,
      );
    }
    return value;
  }

  optional(name: string, defaultValue = '', opts: ReadOptions = {}): string {
    const value = this.#read(name, opts);
    return value === '' ? defaultValue : value;
  }

  /** An optional value that must match `pattern` when given. */
  matching(name: string, pattern: RegExp, allowed: string, opts: ReadOptions & { default?: string } = {}): string {
    const value = this.optional(name, opts.default ?? '', opts);
    if (value !== '' && !pattern.test(value)) this.fail(name, value, allowed, opts);
    return value;
  }

  bool(name: string, defaultValue: boolean): boolean {
    const value = this.#read(name, {});
    if (value === '') return defaultValue;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    return this.fail(name, value, 'expected true or false');
  }

  int(name: string, opts: { default: number; min?: number; max?: number }): number {
    const value = this.#read(name, {});
    if (value === '') return opts.default;
    const range = `an integer${opts.min !== undefined ? ` >= ${opts.min}` : ''}${
      opts.max !== undefined ? `${opts.min !== undefined ? ' and' : ''} <= ${opts.max}` : ''
    }`;
    if (!/^-?\d+$/.test(value)) return this.fail(name, value, `expected ${range}`);
    const n = Number(value);
    if (!Number.isSafeInteger(n)) return this.fail(name, value, `expected ${range}`);
    if (opts.min !== undefined && n < opts.min) return this.fail(name, value, `expected ${range}`);
    if (opts.max !== undefined && n > opts.max) return this.fail(name, value, `expected ${range}`);
    return n;
  }

  /** A duration such as `30s`, `5m`, `1h30m` or `500ms` (a bare number is seconds), in milliseconds. */
  duration(name: string, opts: { default: string; min?: string; max?: string }): number {
    const raw = this.#read(name, {});
    const text = raw === '' ? opts.default : raw;
    const ms = parseDuration(text);
    const min = opts.min !== undefined ? (parseDuration(opts.min) as number) : undefined;
    const max = opts.max !== undefined ? (parseDuration(opts.max) as number) : undefined;
    const bounds = `${min !== undefined ? ` from ${opts.min}` : ''}${max !== undefined ? ` up to ${opts.max}` : ''}`;
    const allowed = `expected a duration such as 30s, 5m, 1h30m or 500ms${bounds}`;
    if (ms === undefined) return this.fail(name, raw, allowed);
    if ((min !== undefined && ms < min) || (max !== undefined && ms > max)) return this.fail(name, raw, allowed);
    return ms;
  }

  oneOf<const T extends string>(name: string, values: readonly T[], defaultValue: T): T {
    const value = this.#read(name, {});
    if (value === '') return defaultValue;
    const found = values.find((v) => v === value);
    if (found === undefined) return this.fail(name, value, `expected one of ${values.join(', ')}`);
    return found;
  }

  list(name: string, opts: ReadOptions = {}): string[] {
    return parseList(this.#read(name, opts));
  }

  /** `key=value` lines (comments with `#`, blank lines ignored). A key may appear once. */
  keyValues(name: string, opts: ReadOptions & { keyPattern?: RegExp; keyAllowed?: string } = {}): Map<string, string> {
    const text = this.#read(name, opts);
    const out = new Map<string, string>();
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) this.fail(name, line, 'expected key=value lines (one per line)', opts);
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === '') this.fail(name, line, 'a key may not be empty', opts);
      if (opts.keyPattern && !opts.keyPattern.test(key)) {
        this.fail(name, key, `keys must be ${opts.keyAllowed ?? String(opts.keyPattern)}`, opts);
      }
      if (out.has(key)) this.fail(name, key, 'each key may appear only once', opts);
      out.set(key, value);
    }
    return out;
  }
}
