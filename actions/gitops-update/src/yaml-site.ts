/**
 * A site: one place in one file where a target writes (a target has one or more: a container name can
 * match in several documents). It carries the splices that write it, the lines that take the stamp,
 * and the changes the proof expects in the parsed documents. Pure.
 */
import type { Stamp } from './types.js';
import { currentString, scalarSplice, writableScalar } from './yaml-scalar.js';
import type { Source, Splice } from './yaml-source.js';
import { heldStamp } from './yaml-stamp.js';
import { refuseShared, type JsPath, type Reached } from './yaml-walk.js';

/** A value the proof expects at `path` of document `doc` (yaml's toJS) after the edit. */
export interface Change {
  doc: number;
  path: JsPath;
  value: unknown;
}

export interface Site {
  /** empty when the site already holds the new value */
  splices: Splice[];
  changes: Change[];
  /** offsets (in the text the splices apply to) whose lines take the stamp */
  stampAt: number[];
  /** the stamp the site's line already holds */
  held: Stamp | undefined;
  /** the value before, when there was one */
  previous: string | undefined;
}

/** Writes `value` into an existing scalar (refused when it is shared through an anchor, alias or merge key). */
export function scalarSite(src: Source, doc: number, at: Reached, value: string, what: string): Site {
  if (at.shared !== undefined) refuseShared(src, what, at.shared);
  const scalar = writableScalar(src, at.node, what);
  const end = (scalar.range as [number, number, number])[1];
  const previous = currentString(scalar);
  const held = heldStamp(src, end);
  if (previous === value) return { splices: [], changes: [], stampAt: [], held, previous };
  return {
    splices: [scalarSplice(src, scalar, value, what)],
    changes: [{ doc, path: at.path, value }],
    stampAt: [end],
    held,
    previous,
  };
}
