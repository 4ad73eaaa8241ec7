/**
 * The changes as a unified diff, the way `git diff` prints them (pure): per file `--- a/path` and
 * `+++ b/path` (`--- /dev/null` for a new file), then `@@ -l,n +l,n @@` hunks with `context` lines
 * around each change (changes closer than 2·context lines share a hunk), `\ No newline at end of file`
 * after a last line without one, and every line as it is (a CRLF line keeps its `\r`).
 *
 * Lines are compared whole, their end included (`a\n`, `a\r\n` and a last `a` are three different
 * lines). The diff is a shortest one (Myers' O(ND) algorithm, in linear space, after setting aside the
 * lines found in one file only, which cannot be common); then, as git's xdiff does, each run of changed
 * lines that could be placed at several equal positions is slid to the one git picks (xdiff's
 * change compaction with its default indent heuristic), so the hunks read as git's would.
 *
 * Differences from `git diff`: no `diff --git`/`index` lines and no function name after `@@`. A
 * FileChange does not say whether its file existed: an empty `before` is shown as a new file.
 */
import type { FileChange } from './types.js';

/** The changes of `changes` (those whose `after` differs from `before`) as one unified diff. */
export function unifiedDiff(changes: readonly FileChange[], context = 3): string {
  if (!Number.isInteger(context) || context < 0) throw new Error(`context must be a whole number >= 0: ${context}`);
  let out = '';
  for (const c of changes) {
    if (c.before === c.after) continue;
    out += `--- ${c.before === '' ? '/dev/null' : label('a/', c.path)}\n`;
    out += `+++ ${label('b/', c.path)}\n`;
    out += fileHunks(splitLines(c.before), splitLines(c.after), context);
  }
  return out;
}

/** The file's lines, each with its end (`\n`); the last one may have none. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}

// --------------------------------------------------------------------------------- header labels

const ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * `a/path` as git prints it: in double quotes with C escapes when the path has a control character, a
 * quote, a backslash or a non-ASCII byte (core.quotePath, on by default), and a TAB after it when it
 * has a space (so the name's end is seen).
 */
function label(prefix: string, path: string): string {
  const name = prefix + path;
  // eslint-disable-next-line no-control-regex
  const quoted = /[\x00-\x1f"\\\x7f-\uffff]/.test(name)
    ? `"${[...Buffer.from(name, 'utf8')].map(quoteByte).join('')}"`
    : name;
  return quoted.includes(' ') ? `${quoted}\t` : quoted;
}

function quoteByte(byte: number): string {
  const ch = String.fromCharCode(byte);
  const escape = ESCAPES[ch];
  if (escape !== undefined) return escape;
  if (byte < 0x20 || byte >= 0x7f) return `\\${byte.toString(8).padStart(3, '0')}`;
  return ch;
}

// ------------------------------------------------------------------------------------- the diff

/** One file's lines as numbers (equal lines, equal numbers) and which of them changed. */
interface Side {
  lines: readonly string[];
  ids: Int32Array;
  /** changed[i + 1]: line i is removed (a) or added (b); [0] and [n + 1] stay 0 (sentinels) */
  changed: Uint8Array;
}

function sides(a: readonly string[], b: readonly string[]): [Side, Side] {
  const ids = new Map<string, number>();
  const number = (lines: readonly string[]): Int32Array =>
    Int32Array.from(lines, (l) => {
      let id = ids.get(l);
      if (id === undefined) ids.set(l, (id = ids.size));
      return id;
    });
  const side = (lines: readonly string[]): Side => ({
    lines,
    ids: number(lines),
    changed: new Uint8Array(lines.length + 2),
  });
  return [side(a), side(b)];
}

/** Marks a shortest diff's changed lines in both sides. */
function markChanges(a: Side, b: Side): void {
  // a line that is in one file only is changed in every diff: set aside before the search
  const inA = new Set(a.ids);
  const inB = new Set(b.ids);
  const keptA = [...a.ids.keys()].filter((i) => inB.has(a.ids[i] as number));
  const keptB = [...b.ids.keys()].filter((i) => inA.has(b.ids[i] as number));
  a.changed.fill(1, 1, a.ids.length + 1);
  b.changed.fill(1, 1, b.ids.length + 1);
  const x = Int32Array.from(keptA, (i) => a.ids[i] as number);
  const y = Int32Array.from(keptB, (i) => b.ids[i] as number);
  const common = new Myers(x, y).common();
  for (const [i, j] of common) {
    a.changed[(keptA[i] as number) + 1] = 0;
    b.changed[(keptB[j] as number) + 1] = 0;
  }
}

/** Myers' diff in linear space (the middle snake, recursively): the pairs of a longest common subsequence. */
class Myers {
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #fwd: Int32Array;
  readonly #bwd: Int32Array;
  readonly #offset: number;
  readonly #pairs: [number, number][] = [];

  constructor(a: Int32Array, b: Int32Array) {
    this.#a = a;
    this.#b = b;
    this.#offset = a.length + b.length + 1;
    this.#fwd = new Int32Array(2 * this.#offset + 1);
    this.#bwd = new Int32Array(2 * this.#offset + 1);
  }

  common(): [number, number][] {
    this.#compare(0, this.#a.length, 0, this.#b.length);
    return this.#pairs.sort((p, q) => p[0] - q[0]);
  }

  #match(aLo: number, bLo: number, n: number): void {
    for (let k = 0; k < n; k++) this.#pairs.push([aLo + k, bLo + k]);
  }

  #compare(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const a = this.#a;
    const b = this.#b;
    let start = 0;
    while (aLo + start < aHi && bLo + start < bHi && a[aLo + start] === b[bLo + start]) start++;
    this.#match(aLo, bLo, start);
    aLo += start;
    bLo += start;
    let end = 0;
    while (aHi - end > aLo && bHi - end > bLo && a[aHi - end - 1] === b[bHi - end - 1]) end++;
    this.#match(aHi - end, bHi - end, end);
    aHi -= end;
    bHi -= end;
    if (aLo === aHi || bLo === bHi) return;
    const [x, y, u, v] = this.#middleSnake(aLo, aHi, bLo, bHi);
    this.#compare(aLo, x, bLo, y);
    this.#match(x, y, u - x);
    this.#compare(u, aHi, v, bHi);
  }

  /**
   * A snake (x,y)→(u,v) in the middle of a shortest edit path from (aLo,bLo) to (aHi,bHi), found by
   * searching from both ends at once until the two searches overlap (Myers 1986, section 4b). Both
   * searches keep to the grid: a diagonal no d-path reaches inside it holds -1.
   */
  #middleSnake(aLo: number, aHi: number, bLo: number, bHi: number): [number, number, number, number] {
    const [a, b, fwd, bwd, o] = [this.#a, this.#b, this.#fwd, this.#bwd, this.#offset];
    const n = aHi - aLo;
    const m = bHi - bLo;
    const delta = n - m;
    const odd = (delta & 1) !== 0;
    for (let d = 0; d <= Math.ceil((n + m) / 2); d++) {
      for (let k = -d; k <= d; k += 2) {
        let x = furthest(fwd, o, k, d, n, m);
        fwd[o + k] = x;
        if (x < 0) continue;
        let y = x - k;
        const [sx, sy] = [x, y];
        while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
          x++;
          y++;
        }
        fwd[o + k] = x;
        const back = odd && Math.abs(delta - k) <= d - 1 ? (bwd[o + delta - k] as number) : -1;
        if (back >= 0 && x + back >= n) return [aLo + sx, bLo + sy, aLo + x, bLo + y];
      }
      for (let k = -d; k <= d; k += 2) {
        let x = furthest(bwd, o, k, d, n, m);
        bwd[o + k] = x;
        if (x < 0) continue;
        let y = x - k;
        const [sx, sy] = [x, y];
        while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
          x++;
          y++;
        }
        bwd[o + k] = x;
        const front = !odd && Math.abs(delta - k) <= d ? (fwd[o + delta - k] as number) : -1;
        if (front >= 0 && x + front >= n) return [aHi - x, bHi - y, aHi - sx, bHi - sy];
      }
    }
    throw new Error('diff: the searches did not meet');
  }
}

/**
 * Where a d-path gets on diagonal k (x - y = k) of an n×m grid before its snake: one edit on from the
 * furthest (d-1)-path of diagonal k+1 (an insertion, down) or k-1 (a deletion, right), the one that
 * gets further and stays on the grid (down on a tie, as Myers); -1 when neither does.
 */
function furthest(v: Int32Array, o: number, k: number, d: number, n: number, m: number): number {
  if (d === 0) return 0;
  const left = k > -d ? (v[o + k - 1] as number) : -1;
  const above = k < d ? (v[o + k + 1] as number) : -1;
  const right = left >= 0 && left < n ? left + 1 : -1;
  const down = above >= 0 && above - (k + 1) < m ? above : -1;
  return down >= right ? down : right;
}

// ------------------------------------------------------------------ git's compaction (xdiffi.c)

/** A run of changed lines [start, end) of one side (empty: start = end, above line `start`). */
interface Group {
  start: number;
  end: number;
}

const isChanged = (s: Side, i: number): boolean => s.changed[i + 1] === 1;

function firstGroup(s: Side): Group {
  const g = { start: 0, end: 0 };
  while (isChanged(s, g.end)) g.end++;
  return g;
}

function nextGroup(s: Side, g: Group): boolean {
  if (g.end === s.ids.length) return false;
  g.start = g.end + 1;
  for (g.end = g.start; isChanged(s, g.end); g.end++);
  return true;
}

function previousGroup(s: Side, g: Group): boolean {
  if (g.start === 0) return false;
  g.end = g.start - 1;
  for (g.start = g.end; isChanged(s, g.start - 1); g.start--);
  return true;
}

function slideDown(s: Side, g: Group): boolean {
  if (g.end >= s.ids.length || s.ids[g.start] !== s.ids[g.end]) return false;
  s.changed[g.start++ + 1] = 0;
  s.changed[g.end++ + 1] = 1;
  while (isChanged(s, g.end)) g.end++;
  return true;
}

function slideUp(s: Side, g: Group): boolean {
  if (g.start <= 0 || s.ids[g.start - 1] !== s.ids[g.end - 1]) return false;
  s.changed[--g.start + 1] = 1;
  s.changed[--g.end + 1] = 0;
  while (isChanged(s, g.start - 1)) g.start--;
  return true;
}

function must(moved: boolean): void {
  if (!moved) throw new Error('diff: the groups of the two files are out of step');
}

/**
 * xdl_change_compact: slides each group of `s` up, then down as far as it goes (merging with the groups
 * it meets); then back up to line up with a group of the other side when it can, else to the place the
 * indent heuristic scores best.
 */
function compact(s: Side, other: Side): void {
  const g = firstGroup(s);
  const go = firstGroup(other);
  for (;;) {
    if (g.end !== g.start) {
      let size: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        size = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp(s, g)) must(previousGroup(other, go));
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        while (slideDown(s, g)) {
          must(nextGroup(other, go));
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (size !== g.end - g.start);
      if (g.end === earliestEnd) {
        // it cannot move
      } else if (endMatchingOther !== -1) {
        while (go.end === go.start) {
          must(slideUp(s, g));
          must(previousGroup(other, go));
        }
      } else {
        const best = bestShift(s, g, size, earliestEnd);
        while (g.end > best) {
          must(slideUp(s, g));
          must(previousGroup(other, go));
        }
      }
    }
    if (!nextGroup(s, g)) break;
    must(nextGroup(other, go));
  }
}

// ------------------------------------------------------------------ git's indent heuristic

const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const INDENT_HEURISTIC_MAX_SLIDING = 100;

/** Columns of leading white space (TAB: to the next multiple of 8), -1 for a blank line; at most 200. */
function indentOf(line: string): number {
  let indent = 0;
  for (const c of line) {
    if (c === ' ') indent += 1;
    else if (c === '\t') indent += 8 - (indent % 8);
    else if (!/[\n\v\f\r]/.test(c)) return indent;
    if (indent >= MAX_INDENT) return MAX_INDENT;
  }
  return -1;
}

interface Split {
  endOfFile: boolean;
  indent: number;
  preBlank: number;
  preIndent: number;
  postBlank: number;
  postIndent: number;
}

function measureSplit(lines: readonly string[], split: number): Split {
  const m: Split = {
    endOfFile: split >= lines.length,
    indent: split >= lines.length ? -1 : indentOf(lines[split] as string),
    preBlank: 0,
    preIndent: -1,
    postBlank: 0,
    postIndent: -1,
  };
  for (let i = split - 1; i >= 0; i--) {
    m.preIndent = indentOf(lines[i] as string);
    if (m.preIndent !== -1) break;
    if (++m.preBlank === MAX_BLANKS) {
      m.preIndent = 0;
      break;
    }
  }
  for (let i = split + 1; i < lines.length; i++) {
    m.postIndent = indentOf(lines[i] as string);
    if (m.postIndent !== -1) break;
    if (++m.postBlank === MAX_BLANKS) {
      m.postIndent = 0;
      break;
    }
  }
  return m;
}

/** The badness of a split, [effective indent, penalty] (xdiff's weights, found on a corpus). */
function scoreSplit(m: Split): [number, number] {
  let penalty = 0;
  if (m.preIndent === -1 && m.preBlank === 0) penalty += 1;
  if (m.endOfFile) penalty += 21;
  const postBlank = m.indent === -1 ? 1 + m.postBlank : 0;
  const totalBlank = m.preBlank + postBlank;
  penalty += -30 * totalBlank + 6 * postBlank;
  const indent = m.indent !== -1 ? m.indent : m.postIndent;
  const blanks = totalBlank !== 0;
  if (indent === -1 || m.preIndent === -1 || indent === m.preIndent) {
    // no adjustment
  } else if (indent > m.preIndent) {
    penalty += blanks ? 10 : -4;
  } else if (m.postIndent !== -1 && m.postIndent > indent) {
    penalty += blanks ? 17 : 24;
  } else {
    penalty += blanks ? 17 : 23;
  }
  return [indent, penalty];
}

/** The group's end (its lowest position is g.end) that the indent heuristic scores best. */
function bestShift(s: Side, g: Group, size: number, earliestEnd: number): number {
  let shift = Math.max(earliestEnd, g.end - size - 1, g.end - INDENT_HEURISTIC_MAX_SLIDING);
  let best = -1;
  let bestScore: [number, number] = [0, 0];
  for (; shift <= g.end; shift++) {
    const [i1, p1] = scoreSplit(measureSplit(s.lines, shift));
    const [i2, p2] = scoreSplit(measureSplit(s.lines, shift - size));
    const score: [number, number] = [i1 + i2, p1 + p2];
    const cmp = 60 * Math.sign(score[0] - bestScore[0]) + (score[1] - bestScore[1]);
    if (best === -1 || cmp <= 0) {
      best = shift;
      bestScore = score;
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------ the hunks

/** A change: a[i1, i1 + n1) became b[i2, i2 + n2). */
interface Change {
  i1: number;
  n1: number;
  i2: number;
  n2: number;
}

function changesOf(a: Side, b: Side): Change[] {
  const out: Change[] = [];
  let [i, j] = [0, 0];
  while (i < a.ids.length || j < b.ids.length) {
    if (!isChanged(a, i) && !isChanged(b, j)) {
      [i, j] = [i + 1, j + 1];
      continue;
    }
    const c: Change = { i1: i, n1: 0, i2: j, n2: 0 };
    while (isChanged(a, i)) [i, c.n1] = [i + 1, c.n1 + 1];
    while (isChanged(b, j)) [j, c.n2] = [j + 1, c.n2 + 1];
    out.push(c);
  }
  return out;
}

function fileHunks(before: readonly string[], after: readonly string[], context: number): string {
  const [a, b] = sides(before, after);
  markChanges(a, b);
  compact(a, b);
  compact(b, a);
  const changes = changesOf(a, b);
  let out = '';
  for (let first = 0; first < changes.length;) {
    let last = first;
    while (last + 1 < changes.length) {
      const [p, q] = [changes[last] as Change, changes[last + 1] as Change];
      if (q.i1 - (p.i1 + p.n1) > 2 * context) break;
      last++;
    }
    out += hunk(a, b, changes.slice(first, last + 1), context);
    first = last + 1;
  }
  return out;
}

function hunk(a: Side, b: Side, changes: readonly Change[], context: number): string {
  const [head, tail] = [changes[0] as Change, changes.at(-1) as Change];
  const s1 = Math.max(head.i1 - context, 0);
  const s2 = Math.max(head.i2 - context, 0);
  const after = Math.min(context, a.lines.length - (tail.i1 + tail.n1), b.lines.length - (tail.i2 + tail.n2));
  const e1 = tail.i1 + tail.n1 + after;
  const e2 = tail.i2 + tail.n2 + after;
  let out = `@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@\n`;
  let i = s1;
  for (const c of changes) {
    for (; i < c.i1; i++) out += line(' ', a.lines[i] as string);
    for (; i < c.i1 + c.n1; i++) out += line('-', a.lines[i] as string);
    for (let j = c.i2; j < c.i2 + c.n2; j++) out += line('+', b.lines[j] as string);
  }
  for (; i < e1; i++) out += line(' ', a.lines[i] as string);
  return out;
}

/** `start,count` of a hunk header: 1-based; `,1` left out; an empty range names the line before it. */
function range(start: number, count: number): string {
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

function line(mark: string, text: string): string {
  return text.endsWith('\n') ? `${mark}${text}` : `${mark}${text}\n\\ No newline at end of file\n`;
}
