/**
 * One YAML file as the editor sees it: the original text, its documents (yaml's Document API, with
 * the source range of every node), and what the CST knows that the documents do not: where every
 * comment and every flow scalar is. Edits are splices into the original text at those ranges, never a
 * re-stringified document, so everything that is not edited stays byte for byte. Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { Composer, Parser, type CST, type Document } from 'yaml';

/** A half-open range of the text: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** Replace text[start, end) by `text` (start === end: insert). */
export interface Splice extends Span {
  text: string;
}

export interface Source {
  /** the file's path in the GitOps repository, for messages */
  path: string;
  text: string;
  docs: Document.Parsed[];
  /** every comment, from `#` to the end of its line (line break excluded) */
  comments: Span[];
  /** every plain or quoted (flow) scalar's source, keys included */
  scalars: Span[];
  /** the line break the file uses: new lines get the same */
  eol: '\n' | '\r\n';
}

const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

/** Collects comment and flow-scalar tokens from anywhere in the CST (a plain tree of objects and arrays). */
function collectTokens(token: unknown, comments: Span[], scalars: Span[]): void {
  if (Array.isArray(token)) {
    for (const t of token) collectTokens(t, comments, scalars);
    return;
  }
  if (token === null || typeof token !== 'object') return;
  const t = token as { type?: unknown; offset?: unknown; source?: unknown };
  if (typeof t.offset === 'number' && typeof t.source === 'string') {
    const span = { start: t.offset, end: t.offset + t.source.length };
    if (t.type === 'comment') comments.push(span);
    else if (typeof t.type === 'string' && FLOW_SCALARS.has(t.type)) scalars.push(span);
  }
  for (const value of Object.values(token)) if (typeof value === 'object') collectTokens(value, comments, scalars);
}

/** Parses without judging: the documents (errors included) and the CST's comments and scalars. */
export function parseText(path: string, text: string): Source {
  const tokens: CST.Token[] = [...new Parser().parse(text)];
  const docs = [...new Composer({ keepSourceTokens: true }).compose(tokens, true, text.length)];
  const comments: Span[] = [];
  const scalars: Span[] = [];
  collectTokens(tokens, comments, scalars);
  const firstBreak = text.indexOf('\n');
  const eol = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  return { path, text, docs, comments, scalars, eol };
}

/** The first error of any document, with its line, or undefined when the text is valid YAML. */
export function firstError(src: Source): string | undefined {
  for (const doc of src.docs) {
    const err = doc.errors[0];
    if (err) {
      const line = lineNumber(src.text, err.pos[0]);
      return `line ${line}: ${err.message.split('\n')[0]}`;
    }
  }
  return undefined;
}

/** Parses a file read from the GitOps repository: a file that is not valid YAML is the user's to fix. */
export function parseSource(path: string, text: string): Source {
  const src = parseText(path, text);
  const error = firstError(src);
  if (error !== undefined) {
    throw new InputError(
      `${path} is not valid YAML (${error}); gitops-update only edits YAML files (Helm values, Kubernetes manifests, kustomization.yaml)`,
    );
  }
  return src;
}

/** 1-based line number of an offset. */
export function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Offset where the line holding `offset` starts (after a byte-order mark on the first line). */
export function lineStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return start === 0 && text.startsWith('\uFEFF') ? 1 : start;
}

/** Offset where the line holding `offset` ends: at its `\r\n` or `\n`, or at the end of the text. */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Column (0-based) of an offset. */
export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Applies splices that do not overlap; at one offset, inserts keep the order they were given in. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const ordered = splices.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { s } of ordered) {
    if (s.start < at) throw new Error(`internal: overlapping edits at offset ${s.start}`);
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}
