/**
 * The proof that an edit changed only what the targets point at: the edited text is parsed again, and
 * every document's value (yaml's toJS) must equal the original's with the targets' new values put in.
 * Any other difference, or an edited text that does not parse, is a bug in the editor: an internal
 * error, and nothing is written. Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import type { Change } from './yaml-site.js';
import { firstError, parseText, type Source } from './yaml-source.js';
import { formatPath, type JsPath } from './yaml-walk.js';

function bug(path: string, what: string): Error {
  return new Error(
    `internal: gitops-update's edit of ${path} ${what}; nothing was written. This is a bug in gitops-update.`,
  );
}

function toJS(doc: Document.Parsed, path: string): unknown {
  try {
    return doc.toJS();
  } catch (err) {
    throw new InputError(`${path}: the YAML cannot be read as data (${(err as Error).message})`);
  }
}

function isRecord(v: unknown): v is Record<string | number, unknown> {
  return typeof v === 'object' && v !== null;
}

/** `value` put at `path` in `data` (missing mappings on the way are created). */
export function setIn(data: unknown, path: JsPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const container: Record<string | number, unknown> = isRecord(data) ? data : {};
  container[head] = setIn(container[head], rest, value);
  return container;
}

/** The first path where `a` and `b` differ, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path: JsPath = []): JsPath | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (!isRecord(a) || !isRecord(b) || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const key = Array.isArray(a) ? Number(k) : k;
    const d = firstDifference(a[k], b[k], [...path, key]);
    if (d) return d;
  }
  return path;
}

/** Throws unless `afterText` parses and differs from `before` only by `changes`. */
export function proveOnlyTargetsChanged(before: Source, afterText: string, changes: readonly Change[]): void {
  const after = parseText(before.path, afterText);
  const error = firstError(after);
  if (error !== undefined) throw bug(before.path, `does not parse (${error})`);
  if (after.docs.length !== before.docs.length) {
    throw bug(before.path, `has ${after.docs.length} documents instead of ${before.docs.length}`);
  }
  before.docs.forEach((doc, i) => {
    let expected = toJS(doc, before.path);
    for (const c of changes) if (c.doc === i) expected = setIn(expected, c.path, c.value);
    const diff = firstDifference(expected, after.docs[i]?.toJS());
    if (diff) {
      const where = diff.length === 0 ? 'the whole document' : formatPath(diff);
      throw bug(before.path, `changed ${where} in document ${i + 1}, which no target points at`);
    }
  });
}
