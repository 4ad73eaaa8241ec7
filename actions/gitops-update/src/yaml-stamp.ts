/**
 * The stamp: a comment `# polyglot-cd: run=<n> commit=<sha>` at the end of the line of each value
 * gitops-update wrote, so that an older run never overwrites a newer one. The stamp goes at the end of
 * the physical line that holds the end of the edited scalar, after anything else on it (in flow style,
 * after the closing `}` or `]` too); an existing comment there is kept and the stamp appended to it, or
 * an older stamp inside it replaced in place. Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import type { Stamp } from './types.js';
import { lineEnd, lineNumber, type Source, type Span, type Splice } from './yaml-source.js';

const STAMP_RE = /polyglot-cd: run=(\d+) commit=([0-9a-f]{40}(?:[0-9a-f]{24})?)\b/;

/** A stamp this module can read back: a run number and a SHA-1 (or SHA-256) commit id. */
export function checkStamp(stamp: Stamp): void {
  if (!Number.isSafeInteger(stamp.run) || stamp.run < 0 || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(stamp.commit)) {
    throw new Error(`internal: the stamp must be a run number and a commit id, not ${JSON.stringify(stamp)}`);
  }
}

export function formatStamp(stamp: Stamp): string {
  return `polyglot-cd: run=${stamp.run} commit=${stamp.commit}`;
}

/** The comment at the end of the line holding `offset`, when it starts at or after `offset`. */
function trailingComment(src: Source, offset: number): Span | undefined {
  const end = lineEnd(src.text, offset);
  return src.comments.find((c) => c.start >= offset && c.start <= end);
}

/** The stamp on the line holding `offset` (after it), if there is one. */
export function heldStamp(src: Source, offset: number): Stamp | undefined {
  const comment = trailingComment(src, offset);
  if (!comment) return undefined;
  const m = STAMP_RE.exec(src.text.slice(comment.start, comment.end));
  return m ? { run: Number(m[1]), commit: m[2] as string } : undefined;
}

/** The stamp with the highest run among `stamps`. */
export function newest(stamps: readonly (Stamp | undefined)[]): Stamp | undefined {
  let best: Stamp | undefined;
  for (const s of stamps) if (s && (!best || s.run > best.run)) best = s;
  return best;
}

/**
 * The splice that stamps the line holding `offset`: replaces a stamp already in its trailing comment,
 * appends to a comment without one, or adds a comment. A line that ends inside a multi-line scalar (a
 * flow collection whose next value continues on the next line) cannot take a comment: refused.
 */
export function stampSplice(src: Source, offset: number, stamp: Stamp, what: string): Splice {
  const text = src.text;
  const end = lineEnd(text, offset);
  if (src.scalars.some((s) => s.start < end && s.end > end)) {
    throw new InputError(
      `${src.path}: line ${lineNumber(text, offset)} (${what}) ends inside a value that continues on the next line, ` +
        'so the stamp comment (# polyglot-cd: run=… commit=…) cannot go at its end; put that value on one line',
    );
  }
  const comment = trailingComment(src, offset);
  const stampText = formatStamp(stamp);
  if (comment) {
    const body = text.slice(comment.start, comment.end);
    const m = STAMP_RE.exec(body);
    if (m) return { start: comment.start + m.index, end: comment.start + m.index + m[0].length, text: stampText };
    const gap = /\s$/.test(body) ? '' : ' ';
    return { start: comment.end, end: comment.end, text: `${gap}# ${stampText}` };
  }
  const gap = end > 0 && /[ \t]/.test(text[end - 1] as string) ? '' : ' ';
  return { start: end, end, text: `${gap}# ${stampText}` };
}
