/**
 * Writing one scalar in place: the new value in the quoting the old one had (plain, 'single' or
 * "double"), spliced over the old value's source range, its tag and the rest of the line untouched.
 * Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isScalar, parse, type Node, type Scalar } from 'yaml';
import type { Source, Splice } from './yaml-source.js';

/** Characters a plain scalar may hold in block and in flow context alike (no space, `#`, `,`, brackets). */
const PLAIN_CHARS = /^[A-Za-z0-9][\w.\-/:@+]*$/;

/** True when `value`, written plain, reads back as the same string in YAML 1.2 and 1.1, in a block or a flow. */
function plainReadsBack(value: string): boolean {
  if (!PLAIN_CHARS.test(value) || value.endsWith(':')) return false;
  try {
    const flow: unknown = parse(`[${value}]`);
    return (
      parse(value) === value && parse(value, { version: '1.1' }) === value && Array.isArray(flow) && flow[0] === value
    );
  } catch {
    return false;
  }
}

/** Writes a string as a plain scalar when it reads back the same, else double-quoted. */
export function renderPlain(value: string): string {
  return plainReadsBack(value) ? value : JSON.stringify(value);
}

/** Writes `value` in the quoting style of `old`. */
export function renderLike(old: Scalar, value: string): string {
  if (old.type === 'QUOTE_SINGLE' && !/[\n\\]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  if (old.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  return renderPlain(value);
}

const STR_TAG = 'tag:yaml.org,2002:str';

/** The scalar a target writes, or a user-fixable error saying why that node cannot be written. */
export function writableScalar(src: Source, node: Node | null, what: string): Scalar {
  if (!isScalar(node) || !node.range) {
    const kind = node === null ? 'missing' : 'a mapping or a sequence';
    throw new InputError(`${src.path}: ${what} is ${kind}; gitops-update writes a scalar value there`);
  }
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    throw new InputError(
      `${src.path}: ${what} is a block scalar (| or >); write it as a plain or quoted scalar on one line`,
    );
  }
  if (node.tag !== undefined && node.tag !== STR_TAG) {
    throw new InputError(`${src.path}: ${what} has the tag ${node.tag}; remove the tag or make it !!str`);
  }
  return node;
}

/** The scalar's current value as a string, or undefined for null and the empty string. */
export function currentString(node: Scalar): string | undefined {
  if (node.value === null || node.value === undefined || node.value === '') return undefined;
  return String(node.value);
}

/**
 * The splice that writes `value` over the scalar. An empty value (`key:` with nothing after the colon)
 * has no source to replace: the value is inserted right after the colon.
 */
export function scalarSplice(src: Source, node: Scalar, value: string, what: string): Splice {
  const [start, end] = node.range as [number, number, number];
  if (start < end) return { start, end, text: renderLike(node, value) };
  let colon = start - 1;
  while (colon >= 0 && /[ \t\r\n]/.test(src.text[colon] as string)) colon--;
  if (src.text[colon] !== ':') {
    throw new InputError(`${src.path}: ${what} has no value to replace; write it as \`key: ""\``);
  }
  return { start: colon + 1, end: colon + 1, text: ` ${renderPlain(value)}` };
}
