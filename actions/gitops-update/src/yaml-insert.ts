/**
 * Adding keys that do not exist yet (a values target with `create`, a kustomize `images:` entry or its
 * `newName`/`digest`): new lines after the last line of the parent mapping, in the file's indentation
 * and line breaks, or, for a flow mapping (`{…}`) or sequence (`[…]`), new entries before its closing
 * bracket. New values are written plain when they read back the same, else double-quoted. Pure.
 */
import {
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  visit,
  type CST,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Stamp } from './types.js';
import { renderPlain } from './yaml-scalar.js';
import { formatStamp } from './yaml-stamp.js';
import { column, type Source, type Splice } from './yaml-source.js';

/** A key to add, with a scalar value (the one flagged `stamp` gets the stamp), a mapping, or a sequence of mappings. */
export interface NewEntry {
  key: string;
  value: string | { map: NewEntry[] } | { seq: NewEntry[][] };
  stamp?: boolean;
}

export interface Insertion {
  splice: Splice;
  /** for a flow insertion: an offset on the line that takes the stamp; a block insertion carries its own */
  stampAt: number | undefined;
}

interface Layout {
  /** how much deeper a nested mapping's keys are than its parent's */
  step: number;
  /** how much deeper a sequence's `- ` is than its parent key (0: `- ` under the key's first letter) */
  seqIndent: number;
  stamp: string;
}

const RESERVED_KEY = /^(?:true|false|yes|no|on|off|y|n|null|~|<<)$/i;

function renderKey(key: string): string {
  return /^[A-Za-z_][\w.\-/]*$/.test(key) && !RESERVED_KEY.test(key) ? key : JSON.stringify(key);
}

/** The end of a node's last content: its last item's, recursively, for a block collection. */
export function contentEnd(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last: unknown = node.items[node.items.length - 1];
    const inner = isPair(last) ? (isNode(last.value) ? last.value : last.key) : last;
    if (isNode(inner)) return contentEnd(inner);
  }
  return (node.range as [number, number, number])[1];
}

function dashColumn(src: Source, seq: YAMLSeq): number | undefined {
  const token = seq.srcToken as CST.BlockSequence | undefined;
  if (token?.type !== 'block-seq') return undefined;
  const dash = token.items[0]?.start.find((t) => t.type === 'seq-item-ind');
  return dash ? column(src.text, dash.offset) : undefined;
}

function firstKeyColumn(src: Source, map: YAMLMap): number | undefined {
  const key: unknown = map.items[0]?.key;
  return isNode(key) && key.range ? column(src.text, key.range[0]) : undefined;
}

/** The file's indentation: the smallest step between a key and its nested mapping's keys (2 if none). */
function layoutOf(src: Source, doc: Document.Parsed, stamp: Stamp): Layout {
  let step = 0;
  let seqIndent: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key: unknown = pair.key;
      if (!isScalar(key) || !key.range) return;
      const keyCol = column(src.text, key.range[0]);
      if (isMap(pair.value) && !pair.value.flow) {
        const childCol = firstKeyColumn(src, pair.value);
        if (childCol !== undefined && childCol > keyCol && (step === 0 || childCol - keyCol < step))
          step = childCol - keyCol;
      }
      if (isSeq(pair.value) && seqIndent === undefined) {
        const dash = dashColumn(src, pair.value);
        if (dash !== undefined) seqIndent = Math.max(0, dash - keyCol);
      }
    },
  });
  return { step: step || 2, seqIndent: seqIndent ?? 0, stamp: formatStamp(stamp) };
}

function renderBlock(entries: readonly NewEntry[], col: number, layout: Layout, out: string[], dash?: number): void {
  entries.forEach((e, i) => {
    const lead = i === 0 && dash !== undefined ? `${' '.repeat(dash)}-${' '.repeat(col - dash - 1)}` : ' '.repeat(col);
    const head = `${lead}${renderKey(e.key)}:`;
    const v = e.value;
    if (typeof v === 'string') out.push(`${head} ${renderPlain(v)}${e.stamp ? ` # ${layout.stamp}` : ''}`);
    else if ('map' in v) {
      out.push(head);
      renderBlock(v.map, col + layout.step, layout, out);
    } else {
      out.push(head);
      const d = col + layout.seqIndent;
      for (const item of v.seq) renderBlock(item, d + 2, layout, out, d);
    }
  });
}

function renderFlow(entries: readonly NewEntry[]): string {
  const value = (v: NewEntry['value']): string => {
    if (typeof v === 'string') return renderPlain(v);
    if ('map' in v) return `{${renderFlow(v.map)}}`;
    return `[${v.seq.map((item) => `{${renderFlow(item)}}`).join(', ')}]`;
  };
  return entries.map((e) => `${renderKey(e.key)}: ${value(e.value)}`).join(', ');
}

/** New lines after the line where the content ending at `end` ends (a final line with no line break keeps none). */
function blockInsertion(src: Source, end: number, lines: readonly string[]): Insertion {
  const text = src.text;
  const nl = text.indexOf('\n', Math.max(0, end - 1));
  const at = nl === -1 ? text.length : nl + 1;
  const body = lines.join(src.eol);
  const insert = at === text.length && !text.endsWith('\n') ? src.eol + body : body + src.eol;
  return { splice: { start: at, end: at, text: insert }, stampAt: undefined };
}

/** Before the closing bracket of a flow collection, after its last item. */
function flowInsertion(node: YAMLMap | YAMLSeq, text: string): Insertion {
  const last: unknown = node.items[node.items.length - 1];
  const lastNode = isPair(last) ? (isNode(last.value) ? last.value : last.key) : last;
  if (isNode(lastNode)) {
    const at = contentEnd(lastNode);
    return { splice: { start: at, end: at, text: `, ${text}` }, stampAt: at };
  }
  const token = node.srcToken as CST.FlowCollection;
  const close = token.end.find((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end');
  const at = close ? close.offset : (node.range as [number, number, number])[1] - 1;
  return { splice: { start: at, end: at, text }, stampAt: at };
}

/** Adds keys at the end of a mapping. */
export function insertIntoMap(
  src: Source,
  doc: Document.Parsed,
  map: YAMLMap,
  entries: readonly NewEntry[],
  stamp: Stamp,
): Insertion {
  if (map.flow) return flowInsertion(map, renderFlow(entries));
  const layout = layoutOf(src, doc, stamp);
  const lines: string[] = [];
  renderBlock(entries, firstKeyColumn(src, map) ?? 0, layout, lines);
  return blockInsertion(src, contentEnd(map), lines);
}

/** Fills an empty value (`key:` with nothing after it, in a block mapping) with lines under its key. */
export function insertUnderKey(
  src: Source,
  doc: Document.Parsed,
  key: Node,
  value: { map: NewEntry[] } | { seq: NewEntry[][] },
  stamp: Stamp,
): Insertion {
  const [start, end] = key.range as [number, number, number];
  const lines: string[] = [];
  renderBlock([{ key: 'x', value }], column(src.text, start), layoutOf(src, doc, stamp), lines);
  return blockInsertion(src, end, lines.slice(1));
}

/** Adds a mapping as the last item of a sequence. */
export function appendToSeq(
  src: Source,
  doc: Document.Parsed,
  seq: YAMLSeq,
  item: readonly NewEntry[],
  stamp: Stamp,
): Insertion {
  if (seq.flow) return flowInsertion(seq, `{${renderFlow(item)}}`);
  const layout = layoutOf(src, doc, stamp);
  const dash = dashColumn(src, seq) ?? 0;
  const first: unknown = seq.items[0];
  const keyCol = (isMap(first) && !first.flow ? firstKeyColumn(src, first) : undefined) ?? dash + 2;
  const lines: string[] = [];
  renderBlock(item, keyCol, layout, lines, dash);
  return blockInsertion(src, contentEnd(seq), lines);
}
