/**
 * values targets: a dotted key path (`components.backend.image.digest`; a key holding dots is quoted,
 * `a."b.c".d`; a number steps into a sequence) to one scalar, in every document of the file that has
 * it. With `create`, missing keys are added at the end of the deepest existing mapping (or under a key
 * with an empty value, `image:` and nothing after it). Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isMap, isSeq, type Document, type Node } from 'yaml';
import type { Stamp, Target } from './types.js';
import { insertIntoMap, insertUnderKey, type NewEntry } from './yaml-insert.js';
import { scalarSite, type Site } from './yaml-site.js';
import type { Source } from './yaml-source.js';
import { child, describeNode, formatPath, isEmpty, refuseShared, root, type Reached } from './yaml-walk.js';

const SEGMENT = /^(?:"([^"]*)"|'([^']*)'|([^."'\s][^."']*))(\.|$)/;

/** Splits a key path: `a."b.c".d` → [a, b.c, d]. */
export function parseKeyPath(file: string, where: string): string[] {
  const out: string[] = [];
  let rest = where;
  while (rest !== '') {
    const m = SEGMENT.exec(rest);
    if (!m || (m[4] === '.' && m[0].length === rest.length)) {
      throw new InputError(
        `${file}: the key path ${JSON.stringify(where)} is not valid: keys are separated by dots, and a key that ` +
          'holds a dot is quoted ("a.b"), e.g. components.backend.image.digest or ingress."app.example.com".digest',
      );
    }
    out.push(m[1] ?? m[2] ?? (m[3] as string));
    rest = rest.slice(m[0].length);
  }
  if (out.length === 0) throw new InputError(`${file}: a values target needs a key path, e.g. image.digest`);
  return out;
}

type Resolution =
  | { kind: 'found'; at: Reached }
  | { kind: 'missing'; parent: Reached; rest: string[] }
  | { kind: 'blocked'; reason: string };

function resolve(src: Source, doc: Document.Parsed, segments: readonly string[], where: string): Resolution {
  let at = root(doc);
  for (const [i, seg] of segments.entries()) {
    if (at.shared !== undefined) refuseShared(src, `the key ${where}`, at.shared);
    const key = isSeq(at.node) && /^\d+$/.test(seg) ? Number(seg) : seg;
    const next = child(doc, at, key);
    if (!next) {
      if (isMap(at.node) || (isEmpty(at.node) && at.blockKey))
        return { kind: 'missing', parent: at, rest: segments.slice(i) };
      const prefix = i === 0 ? 'the document' : formatPath(at.path);
      return { kind: 'blocked', reason: `${prefix} is ${describeNode(at.node)}, not a mapping with the key ${seg}` };
    }
    at = next;
  }
  return { kind: 'found', at };
}

function nest(rest: readonly string[], value: string): NewEntry[] {
  const [key, ...deeper] = rest as [string, ...string[]];
  if (deeper.length === 0) return [{ key, value, stamp: true }];
  return [{ key, value: { map: nest(deeper, value) } }];
}

function createSite(src: Source, docIndex: number, parent: Reached, rest: string[], value: string, stamp: Stamp): Site {
  const doc = src.docs[docIndex] as Document.Parsed;
  const entries = nest(rest, value);
  const ins = isMap(parent.node)
    ? insertIntoMap(src, doc, parent.node, entries, stamp)
    : insertUnderKey(src, doc, parent.blockKey as Node, { map: entries }, stamp);
  return {
    splices: [ins.splice],
    changes: [{ doc: docIndex, path: [...parent.path, ...rest], value }],
    stampAt: ins.stampAt === undefined ? [] : [ins.stampAt],
    held: undefined,
    previous: undefined,
  };
}

/** The sites of a values target: every document that has the key path, or the first that can take it. */
export function valuesSites(src: Source, target: Target, value: string, stamp: Stamp): Site[] {
  const segments = parseKeyPath(src.path, target.where);
  const resolutions = src.docs.map((doc) => resolve(src, doc, segments, target.where));
  const sites: Site[] = [];
  resolutions.forEach((r, i) => {
    if (r.kind === 'found') sites.push(scalarSite(src, i, r.at, value, `the key ${target.where}`));
  });
  if (sites.length > 0) return sites;
  const missing = resolutions.findIndex((r) => r.kind === 'missing');
  const m = resolutions[missing];
  if (m?.kind === 'missing' && target.create) return [createSite(src, missing, m.parent, m.rest, value, stamp)];
  if (m?.kind === 'missing') {
    const where = m.parent.path.length === 0 ? 'the top level' : formatPath(m.parent.path);
    throw new InputError(
      `${src.path}: the key ${target.where} does not exist (${where} has no key ${JSON.stringify(m.rest[0])}); ` +
        'fix the key path, or let the target create the missing keys (create)',
    );
  }
  const blocked = resolutions.find((r) => r.kind === 'blocked');
  const reason = blocked?.kind === 'blocked' ? blocked.reason : 'the file has no document';
  throw new InputError(
    `${src.path}: the key ${target.where} cannot be written: ${reason}; a values target's path must lead through mappings to a scalar`,
  );
}
