export const id = 723;
export const ids = [723];
export const modules = {

/***/ 6268:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.unifiedDiff = unifiedDiff;
exports.splitLines = splitLines;
/** The changes of `changes` (those whose `after` differs from `before`) as one unified diff. */
function unifiedDiff(changes, context = 3) {
    if (!Number.isInteger(context) || context < 0)
        throw new Error(`context must be a whole number >= 0: ${context}`);
    let out = '';
    for (const c of changes) {
        if (c.before === c.after)
            continue;
        out += `--- ${c.before === '' ? '/dev/null' : label('a/', c.path)}\n`;
        out += `+++ ${label('b/', c.path)}\n`;
        out += fileHunks(splitLines(c.before), splitLines(c.after), context);
    }
    return out;
}
/** The file's lines, each with its end (`\n`); the last one may have none. */
function splitLines(text) {
    const lines = text.split(/(?<=\n)/);
    return lines.at(-1) === '' ? lines.slice(0, -1) : lines;
}
// --------------------------------------------------------------------------------- header labels
const ESCAPES = {
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
function label(prefix, path) {
    const name = prefix + path;
    // eslint-disable-next-line no-control-regex
    const quoted = /[\x00-\x1f"\\\x7f-\uffff]/.test(name)
        ? `"${[...Buffer.from(name, 'utf8')].map(quoteByte).join('')}"`
        : name;
    return quoted.includes(' ') ? `${quoted}\t` : quoted;
}
function quoteByte(byte) {
    const ch = String.fromCharCode(byte);
    const escape = ESCAPES[ch];
    if (escape !== undefined)
        return escape;
    if (byte < 0x20 || byte >= 0x7f)
        return `\\${byte.toString(8).padStart(3, '0')}`;
    return ch;
}
function sides(a, b) {
    const ids = new Map();
    const number = (lines) => Int32Array.from(lines, (l) => {
        let id = ids.get(l);
        if (id === undefined)
            ids.set(l, (id = ids.size));
        return id;
    });
    const side = (lines) => ({
        lines,
        ids: number(lines),
        changed: new Uint8Array(lines.length + 2),
    });
    return [side(a), side(b)];
}
/** Marks a shortest diff's changed lines in both sides. */
function markChanges(a, b) {
    // a line that is in one file only is changed in every diff: set aside before the search
    const inA = new Set(a.ids);
    const inB = new Set(b.ids);
    const keptA = [...a.ids.keys()].filter((i) => inB.has(a.ids[i]));
    const keptB = [...b.ids.keys()].filter((i) => inA.has(b.ids[i]));
    a.changed.fill(1, 1, a.ids.length + 1);
    b.changed.fill(1, 1, b.ids.length + 1);
    const x = Int32Array.from(keptA, (i) => a.ids[i]);
    const y = Int32Array.from(keptB, (i) => b.ids[i]);
    const common = new Myers(x, y).common();
    for (const [i, j] of common) {
        a.changed[keptA[i] + 1] = 0;
        b.changed[keptB[j] + 1] = 0;
    }
}
/** Myers' diff in linear space (the middle snake, recursively): the pairs of a longest common subsequence. */
class Myers {
    #a;
    #b;
    #fwd;
    #bwd;
    #offset;
    #pairs = [];
    constructor(a, b) {
        this.#a = a;
        this.#b = b;
        this.#offset = a.length + b.length + 1;
        this.#fwd = new Int32Array(2 * this.#offset + 1);
        this.#bwd = new Int32Array(2 * this.#offset + 1);
    }
    common() {
        this.#compare(0, this.#a.length, 0, this.#b.length);
        return this.#pairs.sort((p, q) => p[0] - q[0]);
    }
    #match(aLo, bLo, n) {
        for (let k = 0; k < n; k++)
            this.#pairs.push([aLo + k, bLo + k]);
    }
    #compare(aLo, aHi, bLo, bHi) {
        const a = this.#a;
        const b = this.#b;
        let start = 0;
        while (aLo + start < aHi && bLo + start < bHi && a[aLo + start] === b[bLo + start])
            start++;
        this.#match(aLo, bLo, start);
        aLo += start;
        bLo += start;
        let end = 0;
        while (aHi - end > aLo && bHi - end > bLo && a[aHi - end - 1] === b[bHi - end - 1])
            end++;
        this.#match(aHi - end, bHi - end, end);
        aHi -= end;
        bHi -= end;
        if (aLo === aHi || bLo === bHi)
            return;
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
    #middleSnake(aLo, aHi, bLo, bHi) {
        const [a, b, fwd, bwd, o] = [this.#a, this.#b, this.#fwd, this.#bwd, this.#offset];
        const n = aHi - aLo;
        const m = bHi - bLo;
        const delta = n - m;
        const odd = (delta & 1) !== 0;
        for (let d = 0; d <= Math.ceil((n + m) / 2); d++) {
            for (let k = -d; k <= d; k += 2) {
                let x = furthest(fwd, o, k, d, n, m);
                fwd[o + k] = x;
                if (x < 0)
                    continue;
                let y = x - k;
                const [sx, sy] = [x, y];
                while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
                    x++;
                    y++;
                }
                fwd[o + k] = x;
                const back = odd && Math.abs(delta - k) <= d - 1 ? bwd[o + delta - k] : -1;
                if (back >= 0 && x + back >= n)
                    return [aLo + sx, bLo + sy, aLo + x, bLo + y];
            }
            for (let k = -d; k <= d; k += 2) {
                let x = furthest(bwd, o, k, d, n, m);
                bwd[o + k] = x;
                if (x < 0)
                    continue;
                let y = x - k;
                const [sx, sy] = [x, y];
                while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
                    x++;
                    y++;
                }
                bwd[o + k] = x;
                const front = !odd && Math.abs(delta - k) <= d ? fwd[o + delta - k] : -1;
                if (front >= 0 && x + front >= n)
                    return [aHi - x, bHi - y, aHi - sx, bHi - sy];
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
function furthest(v, o, k, d, n, m) {
    if (d === 0)
        return 0;
    const left = k > -d ? v[o + k - 1] : -1;
    const above = k < d ? v[o + k + 1] : -1;
    const right = left >= 0 && left < n ? left + 1 : -1;
    const down = above >= 0 && above - (k + 1) < m ? above : -1;
    return down >= right ? down : right;
}
const isChanged = (s, i) => s.changed[i + 1] === 1;
function firstGroup(s) {
    const g = { start: 0, end: 0 };
    while (isChanged(s, g.end))
        g.end++;
    return g;
}
function nextGroup(s, g) {
    if (g.end === s.ids.length)
        return false;
    g.start = g.end + 1;
    for (g.end = g.start; isChanged(s, g.end); g.end++)
        ;
    return true;
}
function previousGroup(s, g) {
    if (g.start === 0)
        return false;
    g.end = g.start - 1;
    for (g.start = g.end; isChanged(s, g.start - 1); g.start--)
        ;
    return true;
}
function slideDown(s, g) {
    if (g.end >= s.ids.length || s.ids[g.start] !== s.ids[g.end])
        return false;
    s.changed[g.start++ + 1] = 0;
    s.changed[g.end++ + 1] = 1;
    while (isChanged(s, g.end))
        g.end++;
    return true;
}
function slideUp(s, g) {
    if (g.start <= 0 || s.ids[g.start - 1] !== s.ids[g.end - 1])
        return false;
    s.changed[--g.start + 1] = 1;
    s.changed[--g.end + 1] = 0;
    while (isChanged(s, g.start - 1))
        g.start--;
    return true;
}
function must(moved) {
    if (!moved)
        throw new Error('diff: the groups of the two files are out of step');
}
/**
 * xdl_change_compact: slides each group of `s` up, then down as far as it goes (merging with the groups
 * it meets); then back up to line up with a group of the other side when it can, else to the place the
 * indent heuristic scores best.
 */
function compact(s, other) {
    const g = firstGroup(s);
    const go = firstGroup(other);
    for (;;) {
        if (g.end !== g.start) {
            let size;
            let earliestEnd;
            let endMatchingOther;
            do {
                size = g.end - g.start;
                endMatchingOther = -1;
                while (slideUp(s, g))
                    must(previousGroup(other, go));
                earliestEnd = g.end;
                if (go.end > go.start)
                    endMatchingOther = g.end;
                while (slideDown(s, g)) {
                    must(nextGroup(other, go));
                    if (go.end > go.start)
                        endMatchingOther = g.end;
                }
            } while (size !== g.end - g.start);
            if (g.end === earliestEnd) {
                // it cannot move
            }
            else if (endMatchingOther !== -1) {
                while (go.end === go.start) {
                    must(slideUp(s, g));
                    must(previousGroup(other, go));
                }
            }
            else {
                const best = bestShift(s, g, size, earliestEnd);
                while (g.end > best) {
                    must(slideUp(s, g));
                    must(previousGroup(other, go));
                }
            }
        }
        if (!nextGroup(s, g))
            break;
        must(nextGroup(other, go));
    }
}
// ------------------------------------------------------------------ git's indent heuristic
const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const INDENT_HEURISTIC_MAX_SLIDING = 100;
/** Columns of leading white space (TAB: to the next multiple of 8), -1 for a blank line; at most 200. */
function indentOf(line) {
    let indent = 0;
    for (const c of line) {
        if (c === ' ')
            indent += 1;
        else if (c === '\t')
            indent += 8 - (indent % 8);
        else if (!/[\n\v\f\r]/.test(c))
            return indent;
        if (indent >= MAX_INDENT)
            return MAX_INDENT;
    }
    return -1;
}
function measureSplit(lines, split) {
    const m = {
        endOfFile: split >= lines.length,
        indent: split >= lines.length ? -1 : indentOf(lines[split]),
        preBlank: 0,
        preIndent: -1,
        postBlank: 0,
        postIndent: -1,
    };
    for (let i = split - 1; i >= 0; i--) {
        m.preIndent = indentOf(lines[i]);
        if (m.preIndent !== -1)
            break;
        if (++m.preBlank === MAX_BLANKS) {
            m.preIndent = 0;
            break;
        }
    }
    for (let i = split + 1; i < lines.length; i++) {
        m.postIndent = indentOf(lines[i]);
        if (m.postIndent !== -1)
            break;
        if (++m.postBlank === MAX_BLANKS) {
            m.postIndent = 0;
            break;
        }
    }
    return m;
}
/** The badness of a split, [effective indent, penalty] (xdiff's weights, found on a corpus). */
function scoreSplit(m) {
    let penalty = 0;
    if (m.preIndent === -1 && m.preBlank === 0)
        penalty += 1;
    if (m.endOfFile)
        penalty += 21;
    const postBlank = m.indent === -1 ? 1 + m.postBlank : 0;
    const totalBlank = m.preBlank + postBlank;
    penalty += -30 * totalBlank + 6 * postBlank;
    const indent = m.indent !== -1 ? m.indent : m.postIndent;
    const blanks = totalBlank !== 0;
    if (indent === -1 || m.preIndent === -1 || indent === m.preIndent) {
        // no adjustment
    }
    else if (indent > m.preIndent) {
        penalty += blanks ? 10 : -4;
    }
    else if (m.postIndent !== -1 && m.postIndent > indent) {
        penalty += blanks ? 17 : 24;
    }
    else {
        penalty += blanks ? 17 : 23;
    }
    return [indent, penalty];
}
/** The group's end (its lowest position is g.end) that the indent heuristic scores best. */
function bestShift(s, g, size, earliestEnd) {
    let shift = Math.max(earliestEnd, g.end - size - 1, g.end - INDENT_HEURISTIC_MAX_SLIDING);
    let best = -1;
    let bestScore = [0, 0];
    for (; shift <= g.end; shift++) {
        const [i1, p1] = scoreSplit(measureSplit(s.lines, shift));
        const [i2, p2] = scoreSplit(measureSplit(s.lines, shift - size));
        const score = [i1 + i2, p1 + p2];
        const cmp = 60 * Math.sign(score[0] - bestScore[0]) + (score[1] - bestScore[1]);
        if (best === -1 || cmp <= 0) {
            best = shift;
            bestScore = score;
        }
    }
    return best;
}
function changesOf(a, b) {
    const out = [];
    let [i, j] = [0, 0];
    while (i < a.ids.length || j < b.ids.length) {
        if (!isChanged(a, i) && !isChanged(b, j)) {
            [i, j] = [i + 1, j + 1];
            continue;
        }
        const c = { i1: i, n1: 0, i2: j, n2: 0 };
        while (isChanged(a, i))
            [i, c.n1] = [i + 1, c.n1 + 1];
        while (isChanged(b, j))
            [j, c.n2] = [j + 1, c.n2 + 1];
        out.push(c);
    }
    return out;
}
function fileHunks(before, after, context) {
    const [a, b] = sides(before, after);
    markChanges(a, b);
    compact(a, b);
    compact(b, a);
    const changes = changesOf(a, b);
    let out = '';
    for (let first = 0; first < changes.length;) {
        let last = first;
        while (last + 1 < changes.length) {
            const [p, q] = [changes[last], changes[last + 1]];
            if (q.i1 - (p.i1 + p.n1) > 2 * context)
                break;
            last++;
        }
        out += hunk(a, b, changes.slice(first, last + 1), context);
        first = last + 1;
    }
    return out;
}
function hunk(a, b, changes, context) {
    const [head, tail] = [changes[0], changes.at(-1)];
    const s1 = Math.max(head.i1 - context, 0);
    const s2 = Math.max(head.i2 - context, 0);
    const after = Math.min(context, a.lines.length - (tail.i1 + tail.n1), b.lines.length - (tail.i2 + tail.n2));
    const e1 = tail.i1 + tail.n1 + after;
    const e2 = tail.i2 + tail.n2 + after;
    let out = `@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@\n`;
    let i = s1;
    for (const c of changes) {
        for (; i < c.i1; i++)
            out += line(' ', a.lines[i]);
        for (; i < c.i1 + c.n1; i++)
            out += line('-', a.lines[i]);
        for (let j = c.i2; j < c.i2 + c.n2; j++)
            out += line('+', b.lines[j]);
    }
    for (; i < e1; i++)
        out += line(' ', a.lines[i]);
    return out;
}
/** `start,count` of a hunk header: 1-based; `,1` left out; an empty range names the line before it. */
function range(start, count) {
    const first = count === 0 ? start : start + 1;
    return count === 1 ? `${first}` : `${first},${count}`;
}
function line(mark, text) {
    return text.endsWith('\n') ? `${mark}${text}` : `${mark}${text}\n\\ No newline at end of file\n`;
}


/***/ }),

/***/ 8851:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.valueFor = valueFor;
exports.applyEdits = applyEdits;
exports.buildApply = buildApply;
/**
 * The edits of gitops-update: image digests written into the YAML files of a GitOps repository, byte
 * for byte (only the written values and their stamp comments change; comments, blank lines, quoting,
 * key order, flow style, document markers, line breaks, a byte-order mark and a missing final line
 * break all stay as they were), then proven by parsing the result again. Pure: `buildApply`'s Apply
 * can be called again on a retry, with the files read at a newer commit.
 *
 * Ordering: each written line carries `# polyglot-cd: run=<n> commit=<sha>`. With ordering
 * 'run-number', a target whose line holds a stamp of a newer run is left alone (skipped-newer); with
 * 'off', stamps are still written (they say who wrote the value) but never compared. A target that
 * already holds the new value is 'unchanged' and its text, stamp included, is not touched.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_containers_js_1 = __webpack_require__(7909);
const yaml_kustomize_js_1 = __webpack_require__(2442);
const yaml_prove_js_1 = __webpack_require__(6327);
const yaml_source_js_1 = __webpack_require__(2036);
const yaml_stamp_js_1 = __webpack_require__(5350);
const yaml_values_js_1 = __webpack_require__(6679);
const yaml_walk_js_1 = __webpack_require__(8784);
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
/** What a target writes: the digest, or the whole reference. */
function valueFor(target, image) {
    const ref = `${image.repository}@${image.digest}`;
    if (target.kind === 'container')
        return ref;
    return target.kind === 'values' && target.write === 'digest' ? image.digest : ref;
}
function sitesOf(src, edit, stamp) {
    const { target, image } = edit;
    if (target.kind === 'values')
        return (0, yaml_values_js_1.valuesSites)(src, target, valueFor(target, image), stamp);
    if (target.kind === 'container')
        return (0, yaml_containers_js_1.containerSites)(src, target, valueFor(target, image));
    return (0, yaml_kustomize_js_1.kustomizeSites)(src, target, image, stamp);
}
/** One stamp splice per line that takes a stamp. */
function stampSplices(src, sites, stamp, what) {
    const lines = new Map();
    for (const site of sites)
        for (const at of site.stampAt)
            lines.set((0, yaml_source_js_1.lineStart)(src.text, at), at);
    return [...lines.values()].map((at) => (0, yaml_stamp_js_1.stampSplice)(src, at, stamp, what));
}
function describeTarget(target) {
    return `${target.kind} target ${target.where} (component ${target.component})`;
}
/** Two targets writing different values to one place would each undo the other: refused. */
function checkConflicts(path, written, edit, changes) {
    for (const c of changes) {
        const key = `${c.doc}\u0000${JSON.stringify(c.path)}`;
        const before = written.get(key);
        if (before && !Object.is(before.value, c.value) && typeof c.value !== 'object') {
            const both = `the ${describeTarget(before.edit.target)} and the ${describeTarget(edit.target)}`;
            throw new action_kit_1.InputError(`${path}: ${both} both write ${(0, yaml_walk_js_1.formatPath)(c.path)} (document ${c.doc + 1}) with different images; ` +
                'point them at different places');
        }
        written.set(key, { value: c.value, edit });
    }
}
/** Re-parses the text after one target's splices (the next target is located in it): it must parse. */
function reparse(path, text) {
    const src = (0, yaml_source_js_1.parseText)(path, text);
    const error = (0, yaml_source_js_1.firstError)(src);
    if (error !== undefined) {
        throw new Error(`internal: gitops-update's edit of ${path} does not parse (${error}); this is a bug in gitops-update`);
    }
    return src;
}
/**
 * Applies the edits of one file, in order (each target is located in the text the previous ones left),
 * and proves the result. Throws InputError for what the user can fix, Error for a bug.
 */
function applyEdits(path, text, edits, stamp, options = {}) {
    const ordering = options.ordering ?? 'run-number';
    (0, yaml_stamp_js_1.checkStamp)(stamp);
    const original = (0, yaml_source_js_1.parseSource)(path, text);
    let current = original;
    const outcomes = [];
    const changes = [];
    const written = new Map();
    for (const edit of edits) {
        const sites = sitesOf(current, edit, stamp);
        const previous = sites.find((s) => s.previous !== undefined)?.previous;
        const base = { target: edit.target, ...(previous === undefined ? {} : { previous }) };
        const changing = sites.filter((s) => s.splices.length > 0);
        if (changing.length === 0) {
            outcomes.push({ ...base, outcome: 'unchanged' });
            continue;
        }
        const held = (0, yaml_stamp_js_1.newest)(sites.map((s) => s.held));
        if (ordering === 'run-number' && held && held.run > stamp.run) {
            outcomes.push({ ...base, outcome: 'skipped-newer', held });
            continue;
        }
        const siteChanges = changing.flatMap((s) => s.changes);
        checkConflicts(path, written, edit, siteChanges);
        const splices = [
            ...changing.flatMap((s) => s.splices),
            ...stampSplices(current, changing, stamp, describeTarget(edit.target)),
        ];
        current = reparse(path, (0, yaml_source_js_1.applySplices)(current.text, splices));
        changes.push(...siteChanges);
        outcomes.push({ ...base, outcome: 'updated' });
    }
    if (current.text !== text)
        (0, yaml_prove_js_1.proveOnlyTargetsChanged)(original, current.text, changes);
    return { after: current.text, outcomes };
}
function checkImages(targets, images) {
    const byComponent = new Map(images.map((i) => [i.component, i]));
    for (const t of targets) {
        const image = byComponent.get(t.component);
        if (!image) {
            const known = images.map((i) => i.component).join(', ') || 'none';
            throw new action_kit_1.InputError(`the ${describeTarget(t)} in ${t.file} names a component that is not in images (the components given are: ${known})`);
        }
        if (!DIGEST_RE.test(image.digest)) {
            throw new action_kit_1.InputError(`the image of ${image.component} must be by digest (sha256:<64 hex>), not ${image.digest}`);
        }
    }
    return byComponent;
}
/**
 * The Apply of a set of targets: each file read once (targets grouped by file, in the order the files
 * first appear), edited, and returned as a FileChange only when its text changed. The outcomes come in
 * the order of `targets`.
 */
function buildApply(targets, images, stamp, ordering) {
    (0, yaml_stamp_js_1.checkStamp)(stamp);
    const byComponent = checkImages(targets, images);
    const files = new Map();
    targets.forEach((target, index) => {
        const list = files.get(target.file) ?? [];
        list.push({ target, index });
        files.set(target.file, list);
    });
    return async (read) => {
        const changes = [];
        const outcomes = new Array(targets.length);
        for (const [file, list] of files) {
            const before = await read(file);
            if (before === undefined) {
                throw new action_kit_1.InputError(`${file} does not exist in the GitOps repository (named by the ${describeTarget(list[0].target)}); ` +
                    'gitops-update edits existing files only: add the file first, or fix the path');
            }
            const edits = list.map(({ target }) => ({ target, image: byComponent.get(target.component) }));
            const result = applyEdits(file, before, edits, stamp, { ordering });
            if (result.after !== before)
                changes.push({ path: file, before, after: result.after });
            list.forEach(({ index }, k) => (outcomes[index] = result.outcomes[k]));
        }
        return { changes, outcomes };
    };
}


/***/ }),

/***/ 9993:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.TransientGitError = void 0;
exports.gitConfig = gitConfig;
exports.gitEnv = gitEnv;
exports.basicAuthorization = basicAuthorization;
exports.tokenRedactor = tokenRedactor;
exports.classifyNetworkFailure = classifyNetworkFailure;
/**
 * The environment every git call of the plain-git transport runs in, and what its failures mean.
 *
 * git gets a whole environment of our making (`replaceEnv`): nothing of the runner's is inherited
 * (no GIT_DIR, GIT_TRACE*, GIT_SSL_NO_VERIFY, GIT_ASKPASS, the step's inputs), except PATH and the proxy
 * variables. Its configuration comes from the environment too (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`,
 * git >= 2.31), never from a file: no system or global config (GIT_CONFIG_NOSYSTEM, a private HOME),
 * the token only as an `Authorization` header scoped to the repository's origin, only the https
 * protocol, no redirects, no credential helper, no prompt.
 */
const action_kit_1 = __webpack_require__(5092);
/** Variables passed through from the runner's environment (a self-hosted runner behind a proxy). */
const PASSED = ['PATH', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];
/** The configuration git runs with, as key/value pairs. */
function gitConfig(o) {
    const config = [
        [`http.${o.url.origin}.extraHeader`, `Authorization: ${o.authorization}`],
        ['protocol.allow', 'never'],
        ['protocol.https.allow', 'always'],
        ['http.followRedirects', 'false'],
        ['http.sslVerify', 'true'],
        ['credential.helper', ''],
        ['core.askPass', ''],
        ['core.hooksPath', '/dev/null'],
        ['core.fsmonitor', 'false'],
        ['commit.gpgSign', 'false'],
        ['push.gpgSign', 'false'],
        ['init.templateDir', ''],
        ['fetch.recurseSubmodules', 'false'],
        ['push.recurseSubmodules', 'no'],
        ['gc.auto', '0'],
        ['maintenance.auto', 'false'],
    ];
    if (o.caFile !== undefined) {
        config.push(['http.sslCAInfo', o.caFile]);
        if (o.caPath !== undefined)
            config.push(['http.sslCAPath', o.caPath]);
    }
    return config;
}
function gitEnv(o) {
    const base = o.base ?? process.env;
    const env = {};
    for (const name of PASSED) {
        const v = base[name];
        if (v !== undefined)
            env[name] = v;
    }
    env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
    Object.assign(env, {
        HOME: o.home,
        XDG_CONFIG_HOME: o.home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        SSH_ASKPASS: '',
        GCM_INTERACTIVE: 'never',
        LANG: 'C',
        LC_ALL: 'C',
    });
    const config = gitConfig(o);
    env['GIT_CONFIG_COUNT'] = String(config.length);
    config.forEach(([key, value], i) => {
        env[`GIT_CONFIG_KEY_${i}`] = key;
        env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    return env;
}
/** `Basic base64(username:token)`, as GitHub, GitLab, Gitea and Bitbucket accept a token over https. */
function basicAuthorization(username, token) {
    return `Basic ${Buffer.from(`${username}:${token}`, 'utf8').toString('base64')}`;
}
/**
 * Replaces the token, and the spellings it could take in git's output or ours (URL-encoded, the
 * Basic credentials, base64 of them), with `***`.
 */
function tokenRedactor(username, token) {
    const forms = new Set();
    for (const t of [token, token.trim()]) {
        if (t.length < 4)
            continue;
        forms.add(t);
        forms.add(encodeURIComponent(t));
        forms.add(Buffer.from(t, 'utf8').toString('base64').replace(/=+$/, ''));
        forms.add(basicAuthorization(username, t).slice('Basic '.length).replace(/=+$/, ''));
    }
    const sorted = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
    return (text) => sorted.reduce((out, f) => (out.includes(f) ? out.split(f).join('***') : out), text);
}
/** A failure worth another attempt: the server or the network, not the request. */
class TransientGitError extends Error {
    name = 'TransientGitError';
}
exports.TransientGitError = TransientGitError;
const AUTH = [
    /returned error: 40[13]\b/,
    /HTTP 40[13]\b/,
    /could not read (Username|Password)/,
    /Authentication failed/i,
    /terminal prompts disabled/,
    /Permission to .* denied/i,
];
const TLS = [/SSL certificate problem/i, /server certificate verification failed/i, /certificate verify failed/i];
const NOT_FOUND = [/returned error: 404\b/, /repository '.*' not found/i, /HTTP 404\b/];
const REDIRECT = [/returned error: 30\d\b/, /HTTP 30\d\b/, /redirect/i];
const TRANSIENT = [
    /Failed to connect/i,
    /Could not resolve host/i,
    /Connection refused/i,
    /Connection reset/i,
    /Connection timed out/i,
    /Operation timed out/i,
    /timed out/i,
    /returned error: (408|429|5\d\d)\b/,
    /HTTP (408|429|5\d\d)\b/,
    /RPC failed/i,
    /early EOF/i,
    /remote end hung up/i,
    /Empty reply from server/i,
    /SSL_ERROR_SYSCALL/,
    /unexpected disconnect/i,
    /transfer closed/i,
    /Recv failure/i,
    /Send failure/i,
    /GnuTLS recv error/i,
];
/**
 * What a failed git network call (ls-remote, fetch, push) means, from its stderr (already redacted):
 * an InputError naming the input the user has to fix, a TransientGitError (retried), or undefined
 * (something else: the caller reports the tool's failure as it is).
 */
function classifyNetworkFailure(stderr, url, inputs) {
    const any = (res) => res.some((re) => re.test(stderr));
    if (any(AUTH)) {
        return new action_kit_1.InputError(`${url.host} refused the token (HTTP 401/403) for ${url.href}: check input "${inputs.token}": it must be valid, unexpired and allowed to read and push to the repository`, inputs.token);
    }
    if (any(TLS)) {
        return new action_kit_1.InputError(`the TLS certificate of ${url.host} is not trusted: if the server uses a private CA, give its certificate (PEM) in input "${inputs.caFile}"`, inputs.caFile);
    }
    if (any(NOT_FOUND)) {
        return new action_kit_1.InputError(`${url.href} was not found (HTTP 404): check input "${inputs.url}", and that the token in "${inputs.token}" can see the repository`, inputs.url);
    }
    if (any(REDIRECT)) {
        return new action_kit_1.InputError(`${url.host} redirected the request for ${url.href}; redirects are not followed (the token is not sent elsewhere): give the repository's clone URL in input "${inputs.url}" (often ending in .git)`, inputs.url);
    }
    if (any(TRANSIENT))
        return new TransientGitError(`${url.host} could not be reached: ${lastLine(stderr)}`);
    return undefined;
}
function lastLine(text) {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.at(-1)?.replace(/^fatal: /, '') ?? '(no message)';
}


/***/ }),

/***/ 3225:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.treeReader = treeReader;
exports.blobWrites = blobWrites;
exports.buildOnce = buildOnce;
/**
 * One attempt of the plain-git transport: find the commit to build on, read, apply, commit, push.
 * The retry loop around it is in git.ts.
 */
const action_kit_1 = __webpack_require__(5092);
/**
 * Where to build: on the branch's head when it exists (and `reset` is not set): one fetch, the common
 * case; else on `from`'s head, and the branch must still not exist when the push is made.
 */
async function findBase(repo, req, state) {
    if (req.reset)
        return findResetBase(repo, req, state);
    const commit = await repo.fetch(req.branch);
    if (commit !== undefined)
        return { commit, expected: commit };
    return { commit: await fetchFrom(repo, req), expected: '' };
}
/**
 * `reset`: on `from`'s head, over whatever head the branch has (ls-remote). Only the head the first
 * attempt saw is rebuilt: when the branch has moved since (a concurrent run reset it and landed its
 * own change), the retry builds on it, so that change is kept.
 */
async function findResetBase(repo, req, state) {
    const current = (await repo.heads([req.branch])).get(req.branch);
    state.first ??= { head: current };
    if (current !== undefined && current !== state.first.head) {
        const commit = await repo.fetch(req.branch);
        if (commit !== undefined)
            return { commit, expected: commit };
    }
    const commit = await fetchFrom(repo, req);
    return { commit, expected: req.branch === req.from ? commit : (current ?? '') };
}
async function fetchFrom(repo, req) {
    const commit = await repo.fetch(req.from);
    if (commit !== undefined)
        return commit;
    throw new action_kit_1.InputError(`branch ${JSON.stringify(req.from)} (to build ${JSON.stringify(req.branch)} on) does not exist in the GitOps repository`);
}
/** A ReadFile over one commit's tree: regular files only (RepoTree.resolve), each read once. */
function treeReader(repo, tree) {
    const cache = new Map();
    return async (path) => {
        const entry = tree.resolve(path);
        if (entry === undefined)
            return undefined;
        let content = cache.get(path);
        if (content === undefined) {
            content = repo.blob(entry);
            cache.set(path, content);
        }
        return content;
    };
}
/**
 * The changes that really change something, as blobs to write. Every path is checked again against
 * the tree (apply may name a file it did not read), and two changes may not clash (the same file
 * twice, or a file where another change needs a directory).
 */
async function blobWrites(changes, tree, read) {
    const seen = new Set();
    for (const c of changes) {
        if (seen.has(c.path))
            throw new Error(`apply returned two changes of ${JSON.stringify(c.path)}`);
        seen.add(c.path);
    }
    const effective = [];
    const writes = [];
    for (const c of changes) {
        const entry = tree.resolve(c.path);
        for (const other of seen) {
            if (other.startsWith(`${c.path}/`)) {
                throw new action_kit_1.InputError(`file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(other)} needs it to be a directory`);
            }
        }
        const current = entry === undefined ? undefined : await read(c.path);
        if (current === c.after)
            continue;
        effective.push(c);
        writes.push({ path: c.path, content: c.after, mode: entry?.mode ?? '100644' });
    }
    return { effective, writes };
}
/** One build of the change, and its push (a dry run: the build's reading and checks only). */
async function buildOnce(repo, req, state) {
    const base = await findBase(repo, req, state);
    const tree = await repo.tree(base.commit);
    const read = treeReader(repo, tree);
    state.builds++;
    const { changes, outcomes } = await req.apply(read);
    const { effective, writes } = await blobWrites(changes, tree, read);
    if (effective.length === 0 || req.dryRun === true) {
        // a dry run stops here: nothing is committed (not even locally) or pushed
        const result = { changed: effective.length > 0, commit: base.commit, changes: effective, outcomes };
        return { kind: 'done', result };
    }
    const built = await repo.commit(base.commit, writes, req.message, req.author);
    if (built.tree === built.parentTree) {
        return { kind: 'done', result: { changed: false, commit: base.commit, changes: [], outcomes } };
    }
    const pushed = await repo.push(built.commit, req.branch, base.expected);
    if (!pushed.ok)
        return { kind: 'race', reason: `push rejected: ${pushed.reason}` };
    return { kind: 'done', result: { changed: true, commit: built.commit, changes: effective, outcomes } };
}


/***/ }),

/***/ 8584:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GitRepo = void 0;
/**
 * One private, bare, shallow repository the plain-git transport builds a change in: every git call it
 * makes, with their outputs parsed. No work tree: files are read with `git cat-file` and written as
 * blobs into a temporary index (`GIT_INDEX_FILE`), so nothing from the GitOps repository is ever
 * checked out on disk and no symbolic link in it can be followed.
 *
 * Every failure is redacted (the token, and the spellings of it that could appear) before it is thrown.
 */
const action_kit_1 = __webpack_require__(5092);
const node_path_1 = __webpack_require__(6760);
const git_env_js_1 = __webpack_require__(9993);
const git_tree_js_1 = __webpack_require__(5992);
/** A network call (ls-remote, fetch, push) that takes longer than this is given up and retried. */
const NETWORK_TIMEOUT_MS = 180_000;
const LOCAL_TIMEOUT_MS = 60_000;
/** Reasons of a rejected push that mean "someone else updated the branch first": build again. */
const RACE = /stale info|fetch first|non-fast-forward|already exists|cannot lock|failed to lock|unable to lock|incorrect old value|but expected|failed to update ref|reference already exists|is at [0-9a-f]+ but/i;
/** git fetch's "no such branch on the server" */
const MISSING_REF = /couldn't find remote ref/i;
class MissingRef extends Error {
}
class GitRepo {
    #o;
    constructor(o) {
        this.#o = o;
    }
    /** Makes the empty bare repository in its (existing, empty) directory. */
    async init() {
        await this.#run(['init', '--bare', '--quiet']);
    }
    /** The heads of the given branches that exist on the server (`git ls-remote`). */
    async heads(branches) {
        const refs = branches.map((b) => `refs/heads/${b}`);
        const res = await this.#network(['ls-remote', '--heads', this.#o.url.href, ...refs]);
        const heads = new Map();
        for (const line of res.stdout.split('\n')) {
            const m = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
            if (m && branches.includes(m[2]))
                heads.set(m[2], m[1]);
        }
        return heads;
    }
    /**
     * Fetches the head of `branch` alone (depth 1) and returns its commit; undefined when the server has
     * no such branch.
     */
    async fetch(branch) {
        const local = `refs/pcd/base`;
        const args = ['fetch', '--quiet', '--depth=1', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules'];
        try {
            await this.#network([...args, this.#o.url.href, `+refs/heads/${branch}:${local}`], [0], MISSING_REF);
        }
        catch (err) {
            if (err instanceof MissingRef)
                return undefined;
            throw err;
        }
        const res = await this.#run(['rev-parse', '--verify', `${local}^{commit}`]);
        return res.stdout.trim();
    }
    async tree(commit) {
        const res = await this.#run(['ls-tree', '-r', '-t', '-z', '--full-tree', commit]);
        return git_tree_js_1.RepoTree.parse(commit, res.stdout);
    }
    async blob(entry) {
        return (await this.#run(['cat-file', 'blob', entry.oid])).stdout;
    }
    /** A commit with `parent`'s tree and the files written, as `author` (author and committer). */
    async commit(parent, writes, message, author) {
        const index = { GIT_INDEX_FILE: (0, node_path_1.join)(this.#o.dir, 'pcd-index') };
        await this.#run(['read-tree', `${parent}^{tree}`], { env: index });
        let info = '';
        for (const w of writes) {
            const blob = await this.#run(['hash-object', '-w', '--no-filters', '--stdin'], { input: w.content });
            info += `${w.mode} ${blob.stdout.trim()}\t${w.path}\0`;
        }
        await this.#run(['update-index', '-z', '--index-info'], { env: index, input: info });
        const tree = (await this.#run(['write-tree'], { env: index })).stdout.trim();
        const parentTree = (await this.#run(['rev-parse', '--verify', `${parent}^{tree}`])).stdout.trim();
        const ident = {
            GIT_AUTHOR_NAME: author.name,
            GIT_AUTHOR_EMAIL: author.email,
            GIT_COMMITTER_NAME: author.name,
            GIT_COMMITTER_EMAIL: author.email,
        };
        const body = message.endsWith('\n') ? message : `${message}\n`;
        const commit = (await this.#run(['commit-tree', tree, '-p', parent], { env: ident, input: body })).stdout.trim();
        return { commit, tree, parentTree };
    }
    /**
     * Pushes `commit` to `branch` if, and only if, the branch is still at `expected` ('' = does not
     * exist): a compare-and-swap the server does under its ref lock (`--force-with-lease` with an
     * explicit value). A rejection that means someone else was first is `ok: false`; any other failure
     * throws.
     */
    async push(commit, branch, expected) {
        const ref = `refs/heads/${branch}`;
        const res = await this.#network([
            'push',
            '--porcelain',
            '--no-verify',
            `--force-with-lease=${ref}:${expected}`,
            this.#o.url.href,
            `${commit}:${ref}`,
        ], [0, 1]);
        const line = res.stdout.split('\n').find((l) => l.split('\t')[1]?.endsWith(`:${ref}`));
        if (res.exitCode === 0 && line !== undefined && !line.startsWith('!'))
            return { ok: true };
        const reason = line?.split('\t')[2] ?? this.#o.redact(res.stderr.trim().split('\n').at(-1) ?? '');
        if (line !== undefined && RACE.test(line))
            return { ok: false, reason };
        const classified = (0, git_env_js_1.classifyNetworkFailure)(this.#o.redact(res.stderr), this.#o.url, this.#o.inputs);
        if (classified)
            throw classified;
        throw this.#toolError(`git push to ${this.#o.url.href} was refused: ${reason}`, res, ['push', `${commit}:${ref}`]);
    }
    /**
     * A git call that talks to the server: its failures are classified (auth, TLS, transient, …); one
     * whose stderr matches `missing` throws MissingRef.
     */
    async #network(args, okExitCodes = [0], missing) {
        try {
            return await this.#run(args, { timeoutMs: NETWORK_TIMEOUT_MS, okExitCodes });
        }
        catch (err) {
            if (!(err instanceof action_kit_1.ToolError))
                throw err;
            if (err.details.timedOut)
                throw new git_env_js_1.TransientGitError(`git ${args[0]} timed out`);
            if (missing?.test(err.details.stderrTail))
                throw new MissingRef(err.message);
            const classified = (0, git_env_js_1.classifyNetworkFailure)(err.details.stderrTail, this.#o.url, this.#o.inputs);
            throw classified ?? err;
        }
    }
    async #run(args, opts = {}) {
        const env = { ...this.#o.env, GIT_DIR: this.#o.dir, ...opts.env };
        try {
            return await this.#o.runner.run(this.#o.git, args, {
                tool: 'git',
                cwd: this.#o.dir,
                timeoutMs: LOCAL_TIMEOUT_MS,
                ...opts,
                env,
                replaceEnv: true,
            });
        }
        catch (err) {
            if (!(err instanceof action_kit_1.ToolError))
                throw err;
            const r = this.#o.redact;
            throw new action_kit_1.ToolError(r(err.message), {
                ...err.details,
                argv: err.details.argv.map(r),
                stderrTail: r(err.details.stderrTail),
            });
        }
    }
    #toolError(message, res, args) {
        const r = this.#o.redact;
        return new action_kit_1.ToolError(r(message), {
            tool: 'git',
            argv: [this.#o.git, ...args].map(r),
            exitCode: res.exitCode,
            stderrTail: r(res.stderr.split('\n').slice(-20).join('\n')),
        });
    }
}
exports.GitRepo = GitRepo;


/***/ }),

/***/ 5992:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RepoTree = void 0;
/**
 * The tree of the commit a change is built on (`git ls-tree -r -t -z`), and the rules for the paths
 * read and written in it: a path is followed only through real directories to a regular file. A
 * symbolic link (mode 120000) or a submodule (160000), as the file or anywhere on the way, is refused:
 * the transport never follows a link, in the tree or on disk (it writes no work tree at all).
 */
const action_kit_1 = __webpack_require__(5092);
const git_names_js_1 = __webpack_require__(2506);
const REGULAR = new Set(['100644', '100755']);
const DIRECTORY = '040000';
function kind(mode) {
    if (mode === '120000')
        return 'a symbolic link';
    if (mode === '160000')
        return 'a submodule';
    if (mode === DIRECTORY)
        return 'a directory';
    return 'a regular file';
}
class RepoTree {
    commit;
    #entries;
    constructor(commit, entries) {
        this.commit = commit;
        this.#entries = entries;
    }
    /** Parses `git ls-tree -r -t -z --full-tree <commit>`: `<mode> <type> <oid>\t<path>\0`… */
    static parse(commit, text) {
        const entries = new Map();
        for (const record of text.split('\0')) {
            if (record === '')
                continue;
            const m = /^([0-7]{6}) [a-z]+ ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
            if (!m)
                throw new Error(`unexpected git ls-tree output: ${JSON.stringify(record.slice(0, 120))}`);
            entries.set(m[3], { mode: m[1], oid: m[2] });
        }
        return new RepoTree(commit, entries);
    }
    get size() {
        return this.#entries.size;
    }
    /**
     * The regular file `path` names, or undefined when there is none (and none of its directories is
     * anything but a directory, so it can be created). Throws an InputError naming the path when the
     * path is malformed, or it or a directory on its way is a symbolic link, a submodule or a file.
     */
    resolve(path) {
        (0, git_names_js_1.checkRepoPath)(path);
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) {
            const dir = parts.slice(0, i).join('/');
            const entry = this.#entries.get(dir);
            if (entry === undefined)
                return undefined;
            if (entry.mode !== DIRECTORY)
                throw this.#refuse(path, `"${dir}" on its way is ${kind(entry.mode)}`);
        }
        const entry = this.#entries.get(path);
        if (entry === undefined || REGULAR.has(entry.mode))
            return entry;
        throw this.#refuse(path, `it is ${kind(entry.mode)}`);
    }
    #refuse(path, why) {
        return new action_kit_1.InputError(`file ${JSON.stringify(path)} in the GitOps repository is refused: ${why} at commit ${this.commit.slice(0, 12)}; only regular files reached through directories are read or written`);
    }
}
exports.RepoTree = RepoTree;


/***/ }),

/***/ 132:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_GIT_USERNAME = exports.DEFAULT_GIT_RETRY = void 0;
exports.gitTransport = gitTransport;
/**
 * The plain-git transport: lands a change in a GitOps repository on any Git server (GitLab, Gitea,
 * Bitbucket, GitHub, …) over HTTPS with a token.
 *
 * land(req), in a new private directory under `workdir` (removed at the end):
 *  1. checks the branch names and the author before anything runs;
 *  2. fetches (depth 1, into a bare repository) the branch's head and builds on it; when the branch
 *     does not exist, or `reset` is set, builds on `from`'s head (for `reset`, `git ls-remote` first
 *     says where the branch is, for the lease);
 *  3. hands `apply` a ReadFile over that commit's tree (regular files only: a symbolic link or a
 *     submodule, as the file or on its way, is refused, as is a path with `..`, absolute or with `\`);
 *  4. no change: returns `changed: false` and the commit read; nothing is committed or pushed;
 *     a dry run (`dryRun`) stops here too, with the changes it would commit (`changed` when there
 *     are some): the fetch into the private temporary repository is all it does on the server;
 *  5. else writes the new blobs into a temporary index (no work tree), commits them as `author`, and
 *     pushes with `--force-with-lease=refs/heads/<branch>:<expected>`: the branch must still be where
 *     it was read (or still not exist; for `reset`, still at the head ls-remote saw). The server checks
 *     that under its ref lock, so concurrent runs never overwrite each other;
 *  6. a push rejected because someone else was first, or a server/network failure, starts again at
 *     2 (fetch, read, apply) after a jittered backoff (`backoffDelay`), up to `retry.attempts` times.
 *     Then: InfraError. (A `reset` retry builds on the branch when another run has moved it since
 *     the first attempt, so concurrent resets keep each other's changes.)
 *
 * The token reaches git only as an `Authorization: Basic` header in git's environment configuration
 * (git-env.ts): never on argv, in the URL, or in a file. Everything logged or thrown is redacted.
 * A token the server refuses (401/403) is an InputError naming the token input.
 */
const promises_1 = __webpack_require__(1455);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const retry_1 = __webpack_require__(786);
const git_env_js_1 = __webpack_require__(9993);
const git_names_js_1 = __webpack_require__(2506);
const git_repo_js_1 = __webpack_require__(8584);
const git_land_js_1 = __webpack_require__(3225);
exports.DEFAULT_GIT_RETRY = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 15_000 };
exports.DEFAULT_GIT_USERNAME = 'x-access-token';
/** GIT_CONFIG_COUNT/KEY/VALUE (the token's only channel) need git 2.31. */
const MIN_GIT = [2, 31];
function gitTransport(opts) {
    const inputs = { ...git_names_js_1.DEFAULT_INPUT_NAMES, ...opts.inputs };
    const url = (0, git_names_js_1.parseRepoUrl)(opts.url, inputs.url);
    const username = opts.username ?? exports.DEFAULT_GIT_USERNAME;
    if (opts.token.trim() === '' || /[\r\n]/.test(opts.token)) {
        throw new action_kit_1.InputError(`Input "${inputs.token}": the token is empty or spans several lines`, inputs.token);
    }
    if (username === '' || username.includes(':') || (0, git_names_js_1.hasControlChar)(username)) {
        throw new action_kit_1.InputError('the git user name must not be empty or contain ":" or a control character');
    }
    const retry = opts.retry ?? exports.DEFAULT_GIT_RETRY;
    if (!Number.isInteger(retry.attempts) || retry.attempts < 1)
        throw new Error('retry.attempts must be >= 1');
    const r = {
        url,
        authorization: (0, git_env_js_1.basicAuthorization)(username, opts.token),
        caFile: opts.caFile === undefined ? undefined : (0, node_path_1.resolve)(opts.caFile),
        inputs,
        redact: (0, git_env_js_1.tokenRedactor)(username, opts.token),
        git: opts.git ?? 'git',
        retry,
        random: opts.random ?? Math.random,
        log: opts.log ?? new action_kit_1.MemoryLogger(),
    };
    let checked;
    return {
        land: async (req) => {
            checkRequest(req);
            checked ??= checkGitVersion(opts.runner, r.git);
            await checked;
            if (r.caFile !== undefined)
                await checkCaFile(r.caFile, inputs.caFile);
            return landInTempDir(opts, r, req);
        },
    };
}
/** Everything land() checks before it runs anything. */
function checkRequest(req) {
    (0, git_names_js_1.checkBranchName)(req.branch, 'branch');
    (0, git_names_js_1.checkBranchName)(req.from, 'from');
    (0, git_names_js_1.checkIdent)(req.author);
    if (req.message.trim() === '')
        throw new action_kit_1.InputError('the commit message is empty');
}
async function checkCaFile(path, input) {
    const s = await (0, promises_1.stat)(path).catch(() => undefined);
    if (!s?.isFile())
        throw new action_kit_1.InputError(`Input "${input}": ${path} is not a readable file`, input);
}
async function checkGitVersion(runner, git) {
    const res = await runner.run(git, ['version'], { tool: 'git', timeoutMs: 30_000 });
    const m = /git version (\d+)\.(\d+)/.exec(res.stdout);
    const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
        throw new action_kit_1.ToolError(`git ${MIN_GIT.join('.')} or later is needed; found ${JSON.stringify(res.stdout.trim())}`, {
            tool: 'git',
            argv: [git, 'version'],
            exitCode: 0,
            stderrTail: '',
        });
    }
}
async function landInTempDir(opts, r, req) {
    await (0, promises_1.mkdir)(opts.workdir, { recursive: true });
    const tmp = await (0, promises_1.mkdtemp)((0, node_path_1.join)(opts.workdir, 'gitops-git-'));
    try {
        const [home, dir, caPath] = ['home', 'repo.git', 'ca-path'].map((d) => (0, node_path_1.join)(tmp, d));
        for (const d of [home, dir, caPath])
            await (0, promises_1.mkdir)(d, { mode: 0o700 });
        const env = (0, git_env_js_1.gitEnv)({ url: r.url, authorization: r.authorization, caFile: r.caFile, caPath, home });
        const repo = new git_repo_js_1.GitRepo({
            runner: opts.runner,
            git: r.git,
            dir,
            env,
            url: r.url,
            inputs: r.inputs,
            redact: r.redact,
        });
        await repo.init();
        return await landWithRetries(repo, r, req);
    }
    catch (err) {
        throw redactError(err, r.redact);
    }
    finally {
        if (!opts.keepWorkdir)
            await (0, promises_1.rm)(tmp, { recursive: true, force: true });
    }
}
/** Builds and pushes until the push lands, nothing changes, or the attempts are used up. */
async function landWithRetries(repo, r, req) {
    const state = { builds: 0 };
    for (let n = 1;; n++) {
        if (req.signal?.aborted)
            throw new action_kit_1.CancelledError('cancelled before the change was landed');
        let attempt;
        const started = Date.now();
        try {
            attempt = await (0, git_land_js_1.buildOnce)(repo, req, state);
        }
        catch (err) {
            if (!(err instanceof git_env_js_1.TransientGitError))
                throw err;
            attempt = { kind: 'transient', reason: err.message };
        }
        if (attempt.kind === 'done') {
            const { result } = attempt;
            r.log.info(landedMessage(req, result, `on ${r.url.href}`, n));
            return { ...result, attempts: state.builds };
        }
        if (n >= r.retry.attempts)
            throw giveUp(r, req, attempt, n);
        const delay = retryDelay(n, r, attempt.kind === 'race' ? Date.now() - started : 0);
        r.log.warning(`gitops-update: attempt ${n} of ${r.retry.attempts} to update ${req.branch} did not land (${attempt.reason}); trying again in ${delay} ms`);
        await (0, retry_1.abortableSleep)(delay, req.signal, 'the push');
    }
}
/** The log line of a land() that is done. */
function landedMessage(req, result, where, attempt) {
    if (req.dryRun === true) {
        return result.changed
            ? `gitops-update: dry run: would commit ${result.changes.length} file(s) to ${req.branch} ${where}, on ${result.commit}; nothing was written`
            : `gitops-update: dry run: nothing to change on ${req.branch} at ${result.commit}`;
    }
    return result.changed
        ? `gitops-update: pushed ${result.commit} to ${req.branch} ${where} (attempt ${attempt})`
        : `gitops-update: nothing to change on ${req.branch} at ${result.commit}`;
}
/**
 * The jittered backoff before attempt n+1. After a lost race its base is at least the time the attempt
 * took (capped at maxDelayMs): that is how long each racer holds the branch between fetch and push, so
 * the racers spread out over a window they can each land in instead of colliding again in lockstep.
 */
function retryDelay(n, r, raceMs) {
    const baseDelayMs = Math.max(r.retry.baseDelayMs, Math.min(raceMs, r.retry.maxDelayMs));
    return (0, retry_1.backoffDelay)(n, { ...r.retry, baseDelayMs }, undefined, r.random);
}
function giveUp(r, req, last, n) {
    const what = last.kind === 'race'
        ? `the branch kept moving: every push was rejected because someone else updated ${req.branch} first`
        : `the server could not be reached`;
    return new action_kit_1.InfraError(`gitops-update: could not update ${req.branch} on ${r.url.href} after ${n} attempts: ${what} (last: ${last.reason})`, { service: r.url.host, attempts: n });
}
/** The same error with the token (and its spellings) taken out of its message and details. */
function redactError(err, redact) {
    if (!(err instanceof Error))
        return err;
    const message = redact(err.message);
    if (err instanceof action_kit_1.ToolError) {
        const d = err.details;
        return new action_kit_1.ToolError(message, { ...d, argv: d.argv.map(redact), stderrTail: redact(d.stderrTail) });
    }
    if (message === err.message)
        return err;
    if (err instanceof action_kit_1.InputError)
        return new action_kit_1.InputError(message, err.input);
    if (err instanceof action_kit_1.InfraError)
        return new action_kit_1.InfraError(message, err.details);
    return new Error(message);
}


/***/ }),

/***/ 6486:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GithubGraphqlError = exports.GithubApiError = exports.DEFAULT_GITHUB_INPUT_NAMES = exports.SENDER_MAX_BODY_BYTES = exports.DEFAULT_MAX_RATE_LIMIT_WAIT_MS = exports.DEFAULT_REQUEST_RETRY = void 0;
exports.parseApiUrl = parseApiUrl;
exports.graphqlUrlFor = graphqlUrlFor;
exports.tokenRedactor = tokenRedactor;
exports.createGithubApi = createGithubApi;
exports.abortableSleep = abortableSleep;
/**
 * The GitHub REST and GraphQL client of the GitHub-API transport and of the pull requests: the
 * project's HTTP sender (packages/tools' http.ts; injectable, with the clock, the sleep and the jitter,
 * so tests point it at a local server and run without waiting), JSON in and out, and GitHub's failure
 * modes mapped to the kit's errors:
 *
 * - 5xx and network failures: retried with the project's jittered backoff (`backoffDelay`), then an
 *   InfraError;
 * - 403/429 that is a rate limit (packages/tools' `githubRateLimitWait`: `retry-after`, or
 *   `x-ratelimit-remaining: 0` until `x-ratelimit-reset`, or a message saying so): waited out as GitHub
 *   asks, when the wait is short (`maxRateLimitWaitMs`, and a budget for the whole client); else an
 *   InfraError saying when it resets;
 * - 401: an InputError naming the token input; 403 otherwise: an InputError naming the token input and
 *   the permissions it needs;
 * - any other 4xx: a GithubApiError (status and GitHub's message) for the caller to decide.
 *
 * The token is sent only as `Authorization: Bearer …`; it is never in a URL, a log line or an error
 * (every text that comes from the server is passed through `redact` before it is used).
 *
 * The default sender, `createHttpSender(process.env)`, goes straight to the API (node:https) or, when
 * the runner sets a proxy (HTTPS_PROXY and friends), through @actions/http-client, which honours the
 * proxy and NO_PROXY as every official action does; both trust Node's CA store, NODE_EXTRA_CA_CERTS
 * included (a private CA). Node's global fetch ignores the proxy variables (unless NODE_USE_ENV_PROXY=1).
 * Redirects: the direct path never follows one (a 3xx is an error here, so the Authorization header
 * stays with the API host); through a proxy http-client follows it, and drops the Authorization header
 * when the host changes.
 * The sender reads at most 256 KiB of an answer: a longer one is an error here, never a cut JSON, and
 * the transport's files are limited to what fits (github-api-tree.ts, DEFAULT_MAX_FILE_BYTES).
 * A request in flight is not aborted by `signal` (the sender takes none): the call rejects at once
 * with a CancelledError and the request ends by itself, within its timeout.
 *
 * Why not @actions/github (pr-namespace-cleanup's client): it is not a dependency of this action and
 * costs more start time than the whole action.
 */
const action_kit_1 = __webpack_require__(5092);
const github_rate_limit_1 = __webpack_require__(8162);
const http_1 = __webpack_require__(3946);
const retry_1 = __webpack_require__(786);
/** Retries of one request on 5xx and network failures (the land loop's race retries are separate). */
exports.DEFAULT_REQUEST_RETRY = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 15_000 };
exports.DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 90_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The most of an answer read (the sender's maxBodyBytes): past it, it is cut, and refused here. */
exports.SENDER_MAX_BODY_BYTES = 8 * 1024 * 1024;
const API_VERSION = '2022-11-28';
exports.DEFAULT_GITHUB_INPUT_NAMES = {
    token: 'token',
    apiUrl: 'github-api-url',
    repository: 'repository',
};
/** A 4xx answer that is neither an authentication, a permission nor a rate-limit failure. */
class GithubApiError extends Error {
    name = 'GithubApiError';
    status;
    /** GitHub's `message` (redacted, clipped) */
    apiMessage;
    /** the `message`s of GitHub's `errors` array, when it has one (validation failures) */
    details;
    constructor(message, status, apiMessage, details) {
        super(message);
        this.status = status;
        this.apiMessage = apiMessage;
        this.details = details;
    }
}
exports.GithubApiError = GithubApiError;
/** A GraphQL answer with `errors` (HTTP 200). */
class GithubGraphqlError extends Error {
    name = 'GithubGraphqlError';
    errors;
    constructor(message, errors) {
        super(message);
        this.errors = errors;
    }
}
exports.GithubGraphqlError = GithubGraphqlError;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The REST base URL: https (or http on a loopback host), no credentials, query or fragment. */
function parseApiUrl(text, input) {
    let u;
    try {
        u = new URL(text.trim());
    }
    catch {
        throw new action_kit_1.InputError(`Input "${input}": not a valid URL (expected https://api.github.com)`, input);
    }
    const https = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
    if (!https)
        throw new action_kit_1.InputError(`Input "${input}": only https:// API URLs are accepted`, input);
    if (u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
        throw new action_kit_1.InputError(`Input "${input}": the API URL must not carry credentials, a query or a fragment`, input);
    }
    return u.href.replace(/\/+$/, '');
}
/** GitHub's GraphQL endpoint for a REST base URL (GHES: /api/v3 → /api/graphql). */
function graphqlUrlFor(apiUrl) {
    return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, '/api/graphql') : `${apiUrl}/graphql`;
}
/** Replaces the token and its URL-encoded spelling by `***`. */
function tokenRedactor(token) {
    const forms = [...new Set([token, encodeURIComponent(token)])].filter((f) => f.length >= 4);
    return (text) => forms.reduce((t, f) => t.split(f).join('***'), text);
}
function createGithubApi(o) {
    const inputs = { ...exports.DEFAULT_GITHUB_INPUT_NAMES, ...o.inputs };
    if (o.token.trim() === '' || /[\s]/.test(o.token)) {
        throw new action_kit_1.InputError(`Input "${inputs.token}": the token is empty or contains white space`, inputs.token);
    }
    const apiUrl = parseApiUrl(o.apiUrl, inputs.apiUrl);
    const retry = o.requestRetry ?? exports.DEFAULT_REQUEST_RETRY;
    if (!Number.isInteger(retry.attempts) || retry.attempts < 1)
        throw new Error('requestRetry.attempts must be >= 1');
    const maxWait = o.maxRateLimitWaitMs ?? exports.DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    const ctx = {
        token: o.token,
        graphqlUrl: o.graphqlUrl === undefined ? graphqlUrlFor(apiUrl) : parseApiUrl(o.graphqlUrl, inputs.apiUrl),
        send: o.send ?? (0, http_1.createHttpSender)(process.env),
        now: o.now ?? Date.now,
        sleep: o.sleep ?? abortableSleep,
        random: o.random ?? Math.random,
        retry,
        maxWait,
        budget: maxWait * 3,
        timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        log: o.log ?? new action_kit_1.MemoryLogger(),
        inputs,
        redact: tokenRedactor(o.token),
    };
    return {
        apiUrl,
        inputs,
        log: ctx.log,
        redact: ctx.redact,
        request: (method, path, body, signal) => send(ctx, method, `${apiUrl}${path}`, path, body, signal),
        graphql: (query, variables, signal) => graphql(ctx, query, variables, signal),
    };
}
async function graphql(ctx, query, variables, signal) {
    const res = await send(ctx, 'POST', ctx.graphqlUrl, 'graphql', { query, variables }, signal);
    const errors = (res.data.errors ?? []).map((e) => ({
        ...(e.type === undefined ? {} : { type: clip(ctx.redact(String(e.type))) }),
        message: clip(ctx.redact(String(e.message ?? 'unknown error'))),
    }));
    if (errors.length > 0 || res.data.data === undefined) {
        const text = errors.map((e) => (e.type ? `${e.type}: ${e.message}` : e.message)).join('; ');
        throw new GithubGraphqlError(`GitHub GraphQL API: ${text || 'no data in the answer'}`, errors);
    }
    return res.data.data;
}
/** One request, with its retries and rate-limit waits. */
async function send(ctx, method, url, label, body, signal) {
    const what = `${method} ${label.split('?')[0]}`;
    for (let failures = 0;;) {
        if (signal?.aborted)
            throw new action_kit_1.CancelledError(`cancelled before ${what}`);
        let res;
        try {
            res = await sendOnce(ctx, method, url, body, signal);
        }
        catch (err) {
            if (signal?.aborted)
                throw new action_kit_1.CancelledError(`cancelled during ${what}`);
            const why = transportProblem(err);
            if (!why.retryable || ++failures >= ctx.retry.attempts) {
                throw new action_kit_1.InfraError(ctx.redact(`GitHub API: ${what} failed: ${why.text} (${failures || 1} attempt(s))`), {
                    service: 'GitHub API',
                    attempts: Math.max(1, failures),
                });
            }
            await retryAfterFailure(ctx, failures, what, why.text, undefined, signal);
            continue;
        }
        if (res.status >= 200 && res.status < 300)
            return res;
        const message = apiMessage(ctx, res.data);
        const wait = (0, github_rate_limit_1.githubRateLimitWait)(res.status, res.headers, message, ctx.now());
        if (wait !== undefined) {
            await waitForRateLimit(ctx, wait, what, signal);
            continue;
        }
        if ((0, retry_1.retryableStatus)(res.status)) {
            if (++failures >= ctx.retry.attempts) {
                throw new action_kit_1.InfraError(`GitHub API: ${what} answered ${res.status} ${message} (${failures} attempts)`, {
                    service: 'GitHub API',
                    attempts: failures,
                });
            }
            const after = (0, retry_1.parseRetryAfter)(res.headers['retry-after'], ctx.now());
            await retryAfterFailure(ctx, failures, what, `HTTP ${res.status}`, after, signal);
            continue;
        }
        throw clientError(ctx, what, res, message);
    }
}
/** An answer this client does not take (a redirect, one too long to read): not retried. */
class Unusable extends Error {
}
async function sendOnce(ctx, method, url, body, signal) {
    const sent = ctx.send({
        method,
        url: new URL(url),
        headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${ctx.token}`,
            'user-agent': 'polyglot-cd-gitops-update',
            'x-github-api-version': API_VERSION,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: ctx.timeoutMs,
        maxBodyBytes: exports.SENDER_MAX_BODY_BYTES,
    });
    const res = await untilAborted(sent, signal);
    if (res.status >= 300 && res.status < 400) {
        // not followed: the Authorization header stays with the API host
        throw new Unusable('GitHub answered with a redirect: is the API URL right, or was the repository renamed?');
    }
    const headers = {};
    for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined)
            headers[k.toLowerCase()] = v;
    return { status: res.status, headers, data: parseBody(res.body, headers['content-type']) };
}
/** JSON when the answer says so (else the text); an answer the sender cut is refused, never half-read. */
function parseBody(text, contentType) {
    if (text === '' || !/json/i.test(contentType ?? ''))
        return text;
    try {
        return JSON.parse(text);
    }
    catch {
        if (Buffer.byteLength(text, 'utf8') < exports.SENDER_MAX_BODY_BYTES)
            return text;
        throw new Unusable(`GitHub's answer is longer than the ${exports.SENDER_MAX_BODY_BYTES / 1024} KiB this action reads (a file or a directory of the repository too large for the GitHub API transport)`);
    }
}
/** The sender's answer, or a CancelledError as soon as `signal` aborts (the request ends by itself). */
function untilAborted(p, signal) {
    if (signal === undefined)
        return p;
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(new action_kit_1.CancelledError('cancelled while waiting for GitHub'));
        if (signal.aborted) {
            onAbort();
        }
        else {
            signal.addEventListener('abort', onAbort, { once: true });
        }
        p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
function transportProblem(err) {
    if (err instanceof Unusable)
        return { retryable: false, text: err.message };
    const e = err;
    const code = err instanceof http_1.HttpTransportError ? err.code : typeof e.code === 'string' ? e.code : '';
    // the sender's messages name the host at most, never the path or the headers
    const message = (e.message ?? String(err)).replace(/https?:\/\/\S+/g, '<url>');
    const text = `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
    if (CERTIFICATE.test(code)) {
        return {
            retryable: false,
            text: `${text}: the server's certificate is not trusted; for a private CA, point NODE_EXTRA_CA_CERTS at its PEM file on the runner`,
        };
    }
    return { retryable: code === '' || code === 'EUNKNOWN' || (0, retry_1.retryableTransport)(code), text };
}
async function retryAfterFailure(ctx, failures, what, why, retryAfterMs, signal) {
    const delay = (0, retry_1.backoffDelay)(failures, ctx.retry, retryAfterMs, ctx.random);
    ctx.log.info(`GitHub API: ${what} failed (${why}); retrying in ${delay} ms (${failures}/${ctx.retry.attempts})`);
    await ctx.sleep(delay, signal);
}
async function waitForRateLimit(ctx, wait, what, signal) {
    const until = new Date(ctx.now() + wait).toISOString();
    const secs = Math.ceil(wait / 1000);
    if (wait > ctx.maxWait || wait > ctx.budget) {
        throw new action_kit_1.InfraError(`GitHub API rate limit reached (${what}): GitHub asks to wait ${secs}s, until ${until}, longer than this action waits (${Math.round(ctx.maxWait / 1000)}s at a time, ${Math.round((ctx.maxWait * 3) / 1000)}s in all); run it again after that`, { service: 'GitHub API' });
    }
    ctx.budget -= wait;
    ctx.log.warning(`GitHub API rate limit reached (${what}): waiting ${secs}s, until ${until}, as GitHub asks`);
    await ctx.sleep(wait, signal);
}
function apiMessage(ctx, data) {
    if (typeof data === 'string')
        return clip(ctx.redact(data));
    const m = data?.message;
    return typeof m === 'string' ? clip(ctx.redact(m)) : '';
}
function errorDetails(ctx, data) {
    const errors = data?.errors;
    if (!Array.isArray(errors))
        return [];
    return errors
        .map((e) => (typeof e === 'string' ? e : e.message))
        .filter((m) => typeof m === 'string')
        .map((m) => clip(ctx.redact(m)));
}
function clientError(ctx, what, res, message) {
    const said = message ? `: ${message}` : '';
    if (res.status === 401) {
        return new action_kit_1.InputError(`GitHub API refused the token of input "${ctx.inputs.token}" (${what}: 401${said}); it is wrong, expired or revoked`, ctx.inputs.token);
    }
    if (res.status === 403) {
        return new action_kit_1.InputError(`GitHub API refused ${what} (403${said}): the token of input "${ctx.inputs.token}" lacks a permission; it needs contents: write (and pull-requests: write for pull requests) on the repository`, ctx.inputs.token);
    }
    const details = errorDetails(ctx, res.data);
    const more = details.length > 0 ? ` (${details.join('; ')})` : '';
    return new GithubApiError(`GitHub API: ${what} answered ${res.status}${said}${more}`, res.status, message, details);
}
/** One line, printable, at most 300 characters (text from the server goes into errors and logs). */
function clip(text) {
    // eslint-disable-next-line no-control-regex
    const line = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
/** Waits between retries of a GitHub API request; cancellation ends the wait at once. */
function abortableSleep(ms, signal) {
    return (0, retry_1.abortableSleep)(ms, signal, 'a GitHub API request');
}


/***/ }),

/***/ 8218:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GithubTree = exports.DEFAULT_MAX_FILE_BYTES = void 0;
exports.newObjectCache = newObjectCache;
exports.treeWrites = treeWrites;
/**
 * Reading a commit's files through GitHub's Git Data API, one directory at a time (`GET git/trees/{sha}`,
 * never recursive, so a large repository is no problem and every component of a path is seen), and the
 * blobs (`GET git/blobs/{sha}`, base64). Regular files only: a symbolic link (mode 120000) or a
 * submodule (160000), as the file or on its way, is refused with an InputError naming the path, as is
 * a path that is absolute, has `..`, `.`, an empty component, a `.git` component or a backslash.
 * Trees and blobs are cached by SHA (they never change), across the attempts of a land().
 */
const action_kit_1 = __webpack_require__(5092);
const git_names_js_1 = __webpack_require__(2506);
/**
 * The largest file read (default): GitHub sends a blob in base64 (4/3 of its size, plus a `\n` every 60
 * characters) inside JSON, and the HTTP sender is asked to read at most
 * (SENDER_MAX_BODY_BYTES, 8 MiB): 4 MiB of file is about 5.5 MiB of answer, with room for the rest of it.
 */
exports.DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
function newObjectCache() {
    return { trees: new Map(), blobs: new Map() };
}
/** One commit's tree, read lazily. */
class GithubTree {
    #src;
    root;
    constructor(src, root) {
        this.#src = src;
        this.root = root;
    }
    /** Where `path` leads; throws InputError for a refused path, a link, a submodule or a directory. */
    async resolve(path) {
        const parts = (0, git_names_js_1.checkRepoPath)(path).split('/');
        let sha = this.root;
        for (let i = 0; i < parts.length; i++) {
            const entry = (await this.#entries(sha)).find((e) => e.path === parts[i]);
            if (entry === undefined)
                return { kind: 'missing' };
            const at = parts.slice(0, i + 1).join('/');
            const last = i === parts.length - 1;
            if (entry.mode === '120000')
                throw refused(path, at, 'is a symbolic link');
            if (entry.mode === '160000' || entry.type === 'commit')
                throw refused(path, at, 'is a submodule');
            if (last) {
                if (entry.type === 'tree')
                    throw refused(path, at, 'is a directory');
                if (entry.type !== 'blob')
                    throw refused(path, at, `is a ${entry.type}`);
                return { kind: 'file', entry };
            }
            if (entry.type !== 'tree')
                return { kind: 'blocked', at };
            sha = entry.sha;
        }
        return { kind: 'missing' };
    }
    /** The file's text, or undefined when it does not exist. */
    async read(path) {
        const r = await this.resolve(path);
        if (r.kind !== 'file')
            return undefined;
        if ((r.entry.size ?? 0) > this.#src.maxFileBytes) {
            throw new action_kit_1.InputError(`file ${JSON.stringify(path)} in the GitOps repository is ${r.entry.size} bytes, more than the ${this.#src.maxFileBytes} this action edits`);
        }
        return this.#blob(path, r.entry.sha);
    }
    #entries(sha) {
        const { cache, api, repoPath, signal } = this.#src;
        let p = cache.trees.get(sha);
        if (p === undefined) {
            p = api
                .request('GET', `${repoPath}/git/trees/${sha}`, undefined, signal)
                .then((res) => {
                if (res.data.truncated === true) {
                    throw new action_kit_1.InputError(`a directory of the GitOps repository (tree ${sha}) has too many entries to be read`);
                }
                return res.data.tree;
            });
            p.catch(() => cache.trees.delete(sha));
            cache.trees.set(sha, p);
        }
        return p;
    }
    #blob(path, sha) {
        const { cache, api, repoPath, signal } = this.#src;
        let p = cache.blobs.get(sha);
        if (p === undefined) {
            p = api
                .request('GET', `${repoPath}/git/blobs/${sha}`, undefined, signal)
                .then((res) => decodeBlob(path, res.data));
            p.catch(() => cache.blobs.delete(sha));
            cache.blobs.set(sha, p);
        }
        return p;
    }
}
exports.GithubTree = GithubTree;
function refused(path, at, why) {
    const where = at === path ? 'it' : JSON.stringify(at);
    return new action_kit_1.InputError(`file ${JSON.stringify(path)} in the GitOps repository is refused: ${where} ${why}; only regular files are read and written`);
}
function decodeBlob(path, blob) {
    if (blob.encoding !== 'base64' && blob.encoding !== 'utf-8') {
        throw new action_kit_1.InputError(`file ${JSON.stringify(path)}: GitHub sent it in an unknown encoding (${blob.encoding})`);
    }
    const bytes = blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64') : Buffer.from(blob.content, 'utf8');
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        throw new action_kit_1.InputError(`file ${JSON.stringify(path)} in the GitOps repository is not UTF-8 text`);
    }
}
/**
 * The changes that really change something, as tree entries. Every path is checked again (apply may
 * name a file it did not read); two changes may not name the same file, nor a file where another
 * needs a directory; an existing file keeps its mode (100644 or 100755).
 */
async function treeWrites(changes, tree) {
    const paths = new Set();
    for (const c of changes) {
        (0, git_names_js_1.checkRepoPath)(c.path);
        if (paths.has(c.path))
            throw new Error(`apply returned two changes of ${JSON.stringify(c.path)}`);
        paths.add(c.path);
    }
    const effective = [];
    const writes = [];
    for (const c of changes) {
        const clash = [...paths].find((p) => p.startsWith(`${c.path}/`));
        if (clash !== undefined) {
            throw new action_kit_1.InputError(`file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(clash)} needs it to be a directory`);
        }
        const r = await tree.resolve(c.path);
        if (r.kind === 'blocked') {
            throw new action_kit_1.InputError(`file ${JSON.stringify(c.path)} cannot be written: ${JSON.stringify(r.at)} is a file`);
        }
        const current = r.kind === 'file' ? await tree.read(c.path) : undefined;
        if (current === c.after)
            continue;
        effective.push(c);
        writes.push({ path: c.path, mode: r.kind === 'file' ? r.entry.mode : '100644', type: 'blob', content: c.after });
    }
    return { effective, writes };
}


/***/ }),

/***/ 3241:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_GITHUB_RETRY = exports.parseRepository = void 0;
exports.headRefPath = headRefPath;
exports.githubTransport = githubTransport;
/**
 * The GitHub-API transport: lands a change through GitHub's Git Data API, so the commits are made by
 * GitHub as the token's identity and signed by it (shown "Verified"). No clone, no git binary.
 *
 * land(req):
 *  1. checks the branch names before any request (`git check-ref-format --branch` rules; a `reset` of
 *     the branch it is built from is refused: reset is for an environment branch, never the base);
 *  2. `GET git/ref/heads/{branch}`: builds on its head; when it does not exist (404), or `reset` is
 *     set and the branch is still where the first attempt saw it, builds on `from`'s head;
 *  3. `GET git/commits/{sha}` → its tree; hands `apply` a ReadFile over that tree (github-api-tree.ts:
 *     regular files only, paths checked);
 *  4. no change: `changed: false` and the commit read; nothing is written; a dry run (`dryRun`)
 *     stops here too, with the changes it would commit: it makes GET requests only;
 *  5. else `POST git/trees` (base_tree + the changed files inline), `POST git/commits` (one parent, no
 *     author or committer: GitHub signs it), then moves the branch: `PATCH git/refs/heads/{branch}`
 *     with force=false (GitHub checks the fast-forward under its ref lock), or `POST git/refs` to create
 *     it, or, for `reset`, PATCH with force=true after checking the branch did not move;
 *  6. a lost race (422 "Update is not a fast forward", 422 "Reference already exists", 422 "Reference
 *     update failed", 409) starts again at 2 (read at the new head, apply again) after a jittered
 *     backoff (`backoffDelay`), up to `retry.attempts` times; then an InfraError.
 * HTTP failures, rate limits and authentication are handled by the client (github-api-http.ts).
 *
 * Reset has no compare-and-swap on GitHub's API (a forced PATCH takes no expected old value): the
 * branch is read again right before it, which leaves a window of one request; environment branches
 * should be written by one workflow run at a time (a `concurrency` group per environment).
 */
const action_kit_1 = __webpack_require__(5092);
const retry_1 = __webpack_require__(786);
const git_names_js_1 = __webpack_require__(2506);
var git_names_js_2 = __webpack_require__(2506);
Object.defineProperty(exports, "parseRepository", ({ enumerable: true, get: function () { return git_names_js_2.parseRepository; } }));
const github_api_http_js_1 = __webpack_require__(6486);
const github_api_tree_js_1 = __webpack_require__(8218);
exports.DEFAULT_GITHUB_RETRY = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 15_000 };
/** `heads/<branch>` for a ref URL, each component encoded. */
function headRefPath(branch) {
    return `heads/${branch.split('/').map(encodeURIComponent).join('/')}`;
}
function githubTransport(opts) {
    const api = opts.api ?? (0, github_api_http_js_1.createGithubApi)(opts);
    const retry = opts.retry ?? exports.DEFAULT_GITHUB_RETRY;
    if (!Number.isInteger(retry.attempts) || retry.attempts < 1)
        throw new Error('retry.attempts must be >= 1');
    const ctx = {
        api,
        repo: (0, git_names_js_1.parseRepository)(opts.repository, api.inputs.repository),
        retry,
        random: opts.random ?? Math.random,
        sleep: opts.sleep ?? github_api_http_js_1.abortableSleep,
        log: api.log,
        cache: (0, github_api_tree_js_1.newObjectCache)(),
        maxFileBytes: opts.maxFileBytes ?? github_api_tree_js_1.DEFAULT_MAX_FILE_BYTES,
    };
    return {
        land: async (req) => {
            checkRequest(req);
            return landWithRetries(ctx, req);
        },
    };
}
/** Everything land() checks before its first request. */
function checkRequest(req) {
    (0, git_names_js_1.checkBranchName)(req.branch, 'branch');
    (0, git_names_js_1.checkBranchName)(req.from, 'from');
    if (req.reset && req.branch === req.from) {
        throw new action_kit_1.InputError(`reset of branch ${JSON.stringify(req.branch)} onto itself: reset is for environment branches`);
    }
    if (req.message.trim() === '')
        throw new action_kit_1.InputError('the commit message is empty');
}
async function landWithRetries(ctx, req) {
    const state = { builds: 0 };
    for (let n = 1;; n++) {
        if (req.signal?.aborted)
            throw new action_kit_1.CancelledError('cancelled before the change was landed');
        const attempt = await buildOnce(ctx, req, state);
        if (attempt.kind === 'done') {
            const { result } = attempt;
            ctx.log.info(landedMessage(ctx, req, result, n));
            return { ...result, attempts: state.builds };
        }
        if (n >= ctx.retry.attempts) {
            throw new action_kit_1.InfraError(`gitops-update: could not update ${req.branch} of ${ctx.repo.owner}/${ctx.repo.name} after ${n} attempts: the branch kept moving (last: ${attempt.reason})`, { service: 'GitHub API', attempts: n });
        }
        const delay = (0, retry_1.backoffDelay)(n, ctx.retry, undefined, ctx.random);
        ctx.log.warning(`gitops-update: attempt ${n} of ${ctx.retry.attempts} to update ${req.branch} did not land (${attempt.reason}); building again on its new head in ${delay} ms`);
        await ctx.sleep(delay, req.signal);
    }
}
/** The log line of a land() that is done. */
function landedMessage(ctx, req, result, attempt) {
    const repo = `${ctx.repo.owner}/${ctx.repo.name}`;
    if (req.dryRun === true) {
        return result.changed
            ? `gitops-update: dry run: would commit ${result.changes.length} file(s) to ${req.branch} of ${repo}, on ${result.commit}; nothing was written`
            : `gitops-update: dry run: nothing to change on ${req.branch} at ${result.commit}`;
    }
    return result.changed
        ? `gitops-update: committed ${result.commit} to ${req.branch} of ${repo} through the GitHub API (attempt ${attempt})`
        : `gitops-update: nothing to change on ${req.branch} at ${result.commit}`;
}
/** One build of the change on the head it finds, and the branch's move to it (a dry run: reads only). */
async function buildOnce(ctx, req, state) {
    const current = await getHead(ctx, req.branch, req.signal);
    if (state.pending !== undefined && current === state.pending.commit) {
        // the previous attempt did land: its answer was lost (a 5xx after the ref moved, then a retry)
        const { commit, changes, outcomes } = state.pending;
        return { kind: 'done', result: { changed: true, commit, changes, outcomes } };
    }
    const base = await findBase(ctx, req, state, current);
    const tree = new github_api_tree_js_1.GithubTree({ api: ctx.api, repoPath: ctx.repo.path, cache: ctx.cache, maxFileBytes: ctx.maxFileBytes, signal: req.signal }, await commitTree(ctx, base.commit, req.signal));
    const read = (path) => tree.read(path);
    state.builds++;
    const { changes, outcomes } = await req.apply(read);
    const { effective, writes } = await (0, github_api_tree_js_1.treeWrites)(changes, tree);
    const unchanged = { kind: 'done', result: { changed: false, commit: base.commit, changes: [], outcomes } };
    if (effective.length === 0)
        return unchanged;
    if (req.dryRun === true) {
        return { kind: 'done', result: { changed: true, commit: base.commit, changes: effective, outcomes } };
    }
    const newTree = await post(ctx, 'git/trees', { base_tree: tree.root, tree: writes }, req.signal);
    if (newTree.sha === tree.root)
        return unchanged;
    // no author, no committer: GitHub writes the token's identity and signs the commit
    const body = { message: req.message, tree: newTree.sha, parents: [base.commit] };
    const commit = await post(ctx, 'git/commits', body, req.signal);
    state.pending = { commit: commit.sha, changes: effective, outcomes };
    const race = await moveBranch(ctx, req, base.move, commit.sha);
    if (race !== undefined)
        return { kind: 'race', reason: race };
    return { kind: 'done', result: { changed: true, commit: commit.sha, changes: effective, outcomes } };
}
/**
 * Where to build: on the branch's head when it exists and `reset` is not set; else on `from`'s head.
 * `reset` rebuilds only the head the first attempt saw: when the branch has moved since (a concurrent
 * run reset it and landed its own change), the retry builds on it, so that change is kept.
 */
async function findBase(ctx, req, state, current) {
    state.first ??= { head: current };
    const reset = req.reset && current !== undefined && current === state.first.head;
    if (current !== undefined && !reset)
        return { commit: current, move: { kind: 'update' } };
    const from = req.from === req.branch ? undefined : await getHead(ctx, req.from, req.signal);
    if (from === undefined) {
        const what = req.from === req.branch ? '' : ` (to build ${JSON.stringify(req.branch)} on)`;
        throw new action_kit_1.InputError(`branch ${JSON.stringify(req.from)}${what} does not exist in ${ctx.repo.owner}/${ctx.repo.name}`);
    }
    return { commit: from, move: current === undefined ? { kind: 'create' } : { kind: 'reset', expected: current } };
}
/** The branch's head commit, or undefined when it does not exist. */
async function getHead(ctx, branch, signal) {
    try {
        const res = await ctx.api.request('GET', `${ctx.repo.path}/git/ref/${headRefPath(branch)}`, undefined, signal);
        return res.data.object.sha;
    }
    catch (err) {
        if (err instanceof github_api_http_js_1.GithubApiError && err.status === 404)
            return undefined;
        if (err instanceof github_api_http_js_1.GithubApiError && err.status === 409) {
            throw new action_kit_1.InputError(`${ctx.repo.owner}/${ctx.repo.name} cannot be read: ${err.apiMessage || 'conflict'}`);
        }
        throw err;
    }
}
async function commitTree(ctx, commit, signal) {
    const res = await ctx.api.request('GET', `${ctx.repo.path}/git/commits/${commit}`, undefined, signal);
    return res.data.tree.sha;
}
async function post(ctx, path, body, signal) {
    return (await ctx.api.request('POST', `${ctx.repo.path}/${path}`, body, signal)).data;
}
/** Moves the branch to `commit`; returns why it did not (a lost race), or undefined when it did. */
async function moveBranch(ctx, req, move, commit) {
    const ref = `${ctx.repo.path}/git/refs/${headRefPath(req.branch)}`;
    try {
        if (move.kind === 'create') {
            await ctx.api.request('POST', `${ctx.repo.path}/git/refs`, { ref: `refs/heads/${req.branch}`, sha: commit }, req.signal);
        }
        else if (move.kind === 'update') {
            await ctx.api.request('PATCH', ref, { sha: commit, force: false }, req.signal);
        }
        else {
            const now = await getHead(ctx, req.branch, req.signal);
            if (now !== move.expected)
                return `${req.branch} moved from ${move.expected} to ${now ?? 'nothing'}`;
            await ctx.api.request('PATCH', ref, { sha: commit, force: true }, req.signal);
        }
        return undefined;
    }
    catch (err) {
        const race = raceReason(err);
        if (race === undefined)
            throw err;
        return race;
    }
}
/** GitHub's answers that mean someone else moved the branch first. */
function raceReason(err) {
    if (!(err instanceof github_api_http_js_1.GithubApiError))
        return undefined;
    if (err.status === 409)
        return `409 ${err.apiMessage}`.trim();
    const raced = /not a fast.?forward|reference already exists|reference update failed|reference cannot be updated/i;
    if (err.status === 422 && raced.test(err.apiMessage))
        return `422 ${err.apiMessage}`;
    return undefined;
}


/***/ }),

/***/ 4723:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.run = run;
/**
 * gitops-update's phases, loaded only once the inputs are valid (the bundle's cold start stays small):
 * write the images' digests into the GitOps repository's files, byte for byte, and land
 * the change by push or by one pull request per environment. Phases: where (transport) → which branch →
 * land (read, edit, commit; again on a race) → the pull request → the report.
 */
const node_os_1 = __webpack_require__(8161);
const action_kit_1 = __webpack_require__(5092);
const command_runner_1 = __webpack_require__(7988);
const http_1 = __webpack_require__(3946);
const diff_js_1 = __webpack_require__(6268);
const edit_js_1 = __webpack_require__(8851);
const git_js_1 = __webpack_require__(132);
const github_api_http_js_1 = __webpack_require__(6486);
const github_api_js_1 = __webpack_require__(3241);
const pull_request_js_1 = __webpack_require__(7760);
/** The author of plain-git commits (GitHub's API commits as the token's identity, signed by GitHub). */
const AUTHOR = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
function transportFor(ctx, inputs, deps) {
    const retry = { attempts: inputs.maxAttempts, baseDelayMs: 1000, maxDelayMs: 15_000, ...deps.retry };
    if (inputs.gitUrl !== '') {
        const transport = (0, git_js_1.gitTransport)({
            url: inputs.gitUrl,
            token: inputs.token,
            ...(inputs.username ? { username: inputs.username } : {}),
            ...(inputs.caFile ? { caFile: inputs.caFile } : {}),
            runner: deps.runner ?? new command_runner_1.CommandRunner({ log: ctx.log, secrets: ctx.secrets, env: ctx.env }),
            workdir: ctx.env['RUNNER_TEMP'] || (0, node_os_1.tmpdir)(),
            retry,
            ...(deps.random ? { random: deps.random } : {}),
            log: ctx.log,
        });
        return { transport, api: undefined };
    }
    const api = (0, github_api_http_js_1.createGithubApi)({
        apiUrl: inputs.apiUrl,
        token: inputs.token,
        log: ctx.log,
        send: (0, http_1.createHttpSender)(ctx.env), // the step's proxy settings (HTTPS_PROXY, NO_PROXY)
        ...deps.github,
    });
    return {
        transport: (0, github_api_js_1.githubTransport)({
            apiUrl: inputs.apiUrl,
            token: inputs.token,
            repository: inputs.repository,
            api,
            retry,
        }),
        api,
    };
}
/** push: the base branch itself; pull-request: the environment branch, rebuilt on base when no PR is open. */
async function branchPlan(inputs, api) {
    if (inputs.mode === 'push')
        return { branch: inputs.baseBranch, from: inputs.baseBranch, reset: false };
    const branch = (0, pull_request_js_1.environmentBranch)(inputs.environment);
    if (api === undefined)
        return { branch, from: inputs.baseBranch, reset: false };
    const { reset } = await (0, pull_request_js_1.environmentBranchReset)(api, inputs.repository, branch, inputs.baseBranch);
    return { branch, from: inputs.baseBranch, reset };
}
function commitMessage(ctx, inputs) {
    const gh = (0, action_kit_1.githubContext)(ctx.env);
    const source = `${gh.repository || 'local'}@${inputs.stamp.commit.slice(0, 7)}`;
    const components = inputs.images.map((i) => i.component).join(', ');
    const subject = inputs.commitMessage || `Deploy ${components} to ${inputs.environment} (${source})`;
    const body = inputs.images.map((i) => `- ${i.component}: ${i.repository}@${i.digest}`);
    const trailers = [
        `Source-Repository: ${gh.repository || 'local'}`,
        `Source-Commit: ${inputs.stamp.commit}`,
        `Source-Run: ${inputs.stamp.run}${gh.runUrl ? ` ${gh.runUrl}` : ''}`,
    ];
    return [subject, '', ...body, '', ...trailers, ''].join('\n');
}
async function openPullRequest(ctx, inputs, api, landed, branch) {
    const gh = (0, action_kit_1.githubContext)(ctx.env);
    const body = (0, pull_request_js_1.pullRequestBody)({
        environment: inputs.environment,
        images: inputs.images,
        outcomes: landed.outcomes,
        source: {
            repository: gh.repository || 'local',
            commit: inputs.stamp.commit,
            serverUrl: gh.serverUrl,
            run: inputs.stamp.run,
            ...(gh.runUrl ? { runUrl: gh.runUrl } : {}),
        },
        scanText: inputs.scanSummary,
        signatureText: inputs.signatureSummary,
    });
    const components = inputs.images.map((i) => i.component).join(', ');
    return (0, pull_request_js_1.ensurePullRequest)({
        api,
        repository: inputs.repository,
        branch,
        base: inputs.baseBranch,
        title: `Deploy ${components} to ${inputs.environment}`,
        body,
        labels: inputs.labels,
        reviewers: inputs.reviewers,
        ...(inputs.autoMerge ? { autoMerge: inputs.autoMerge } : {}),
    });
}
/** where → which branch → land → pull request → report. */
async function run(ctx, inputs, report, deps) {
    Object.assign(report, { stage: 'landing', mode: inputs.mode, dryRun: inputs.dryRun });
    report.destination = inputs.gitUrl || inputs.repository;
    const { transport, api } = transportFor(ctx, inputs, deps);
    const plan = await branchPlan(inputs, api);
    report.branch = plan.branch;
    const landed = await ctx.log.group(`Update ${inputs.targets.length} target(s) on ${plan.branch}`, () => transport.land({
        ...plan,
        message: commitMessage(ctx, inputs),
        apply: (0, edit_js_1.buildApply)(inputs.targets, inputs.images, inputs.stamp, inputs.ordering),
        author: AUTHOR,
        dryRun: inputs.dryRun,
    }));
    Object.assign(report, {
        changed: landed.changed,
        commit: landed.commit,
        attempts: landed.attempts,
        outcomes: landed.outcomes,
    });
    report.diff = (0, diff_js_1.unifiedDiff)(landed.changes);
    if (api !== undefined && inputs.mode === 'pull-request' && !inputs.dryRun && (landed.changed || !plan.reset)) {
        const pr = await openPullRequest(ctx, inputs, api, landed, plan.branch);
        report.pullRequest = { number: pr.number, url: pr.url, created: pr.created, autoMerge: pr.autoMerge };
        report.warnings.push(...pr.warnings);
    }
    report.stage = 'done';
}


/***/ }),

/***/ 7760:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.MAX_BODY_CHARS = exports.ENVIRONMENT_BRANCH_PREFIX = void 0;
exports.environmentBranch = environmentBranch;
exports.findOpenPullRequest = findOpenPullRequest;
exports.environmentBranchReset = environmentBranchReset;
exports.ensurePullRequest = ensurePullRequest;
exports.pullRequestBody = pullRequestBody;
/**
 * Pull-request mode: one branch per environment (`polyglot-cd/gitops/<environment>`), updated in
 * place, and one open pull request from it, found by its head, created once and then kept up to date
 * (title, body; labels added when missing; reviewers requested when it is opened; auto-merge enabled
 * when asked and not on yet). The body is rendered by `pullRequestBody` (pure).
 *
 * The environment branch is rebuilt on the base branch when no pull request is open for it (the last
 * one was merged or closed: what the branch held is either in the base already or was refused), and
 * built on its own head while one is open (`environmentBranchReset`).
 *
 * Labels, reviewers and auto-merge are extras: when GitHub refuses one (a reviewer who is no
 * collaborator, auto-merge not allowed in the repository, a pull request already mergeable), the
 * pull request stands and the refusal is returned as a warning (and logged).
 */
const action_kit_1 = __webpack_require__(5092);
const git_names_js_1 = __webpack_require__(2506);
const github_api_http_js_1 = __webpack_require__(6486);
const github_api_js_1 = __webpack_require__(3241);
exports.ENVIRONMENT_BRANCH_PREFIX = 'polyglot-cd/gitops/';
/** GitHub refuses longer bodies (65,536 characters). */
exports.MAX_BODY_CHARS = 65_536;
/** The environment branch's name, checked as a git branch name. */
function environmentBranch(environment, prefix = exports.ENVIRONMENT_BRANCH_PREFIX) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(environment)) {
        throw new action_kit_1.InputError(`environment ${JSON.stringify(environment)}: only letters, digits, ".", "_" and "-" (first a letter or digit)`);
    }
    return (0, git_names_js_1.checkBranchName)(`${prefix}${environment}`, 'environment branch');
}
function toRef(p) {
    return {
        number: p.number,
        url: p.html_url,
        nodeId: p.node_id,
        title: p.title,
        body: p.body ?? '',
        base: p.base.ref,
        headSha: p.head.sha,
        labels: (p.labels ?? []).map((l) => l.name),
        requestedReviewers: (p.requested_reviewers ?? []).map((u) => u.login),
        autoMerge: p.auto_merge !== null && p.auto_merge !== undefined,
    };
}
/** The open pull request whose head is `branch` of the repository itself (and whose base is `base`, when given). */
async function findOpenPullRequest(api, repo, branch, base, signal) {
    const query = new URLSearchParams({ head: `${repo.owner}:${branch}`, state: 'open', per_page: '100' });
    if (base !== undefined)
        query.set('base', base);
    const res = await api.request('GET', `${repo.path}/pulls?${query.toString()}`, undefined, signal);
    const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
    const found = res.data.find((p) => p.state === 'open' && p.head.ref === branch && p.head.repo?.full_name.toLowerCase() === fullName);
    return found === undefined ? undefined : toRef(found);
}
/**
 * Whether land() should rebuild the environment branch on the base branch (`reset`): yes when no pull
 * request is open from it, no (build on the branch's head) while one is.
 */
async function environmentBranchReset(api, repository, branch, base, signal) {
    (0, git_names_js_1.checkBranchName)(branch, 'branch');
    const pr = await findOpenPullRequest(api, (0, github_api_js_1.parseRepository)(repository, api.inputs.repository), branch, base, signal);
    return pr === undefined ? { reset: true } : { reset: false, pullRequest: pr };
}
const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
function checkOptions(o) {
    const repo = (0, github_api_js_1.parseRepository)(o.repository, o.api.inputs.repository);
    (0, git_names_js_1.checkBranchName)(o.branch, 'branch');
    (0, git_names_js_1.checkBranchName)(o.base, 'base branch');
    if (o.branch === o.base)
        throw new action_kit_1.InputError(`the pull request's head and base are both ${JSON.stringify(o.base)}`);
    if (o.title.trim() === '' || o.title.length > 256 || /[\r\n]/.test(o.title)) {
        throw new action_kit_1.InputError('the pull request title must be one line of 1 to 256 characters');
    }
    if (o.body.length > exports.MAX_BODY_CHARS)
        throw new action_kit_1.InputError(`the pull request body is over ${exports.MAX_BODY_CHARS} characters`);
    for (const l of o.labels ?? []) {
        // eslint-disable-next-line no-control-regex
        if (l.trim() === '' || l.length > 50 || /[,\x00-\x1f\x7f]/.test(l))
            throw new action_kit_1.InputError(`label ${JSON.stringify(l)}: 1 to 50 characters, no comma or control character`);
    }
    for (const r of o.reviewers ?? [])
        if (!LOGIN_RE.test(r))
            throw new action_kit_1.InputError(`reviewer ${JSON.stringify(r)} is not a GitHub login`);
    for (const t of o.teamReviewers ?? [])
        if (!TEAM_RE.test(t))
            throw new action_kit_1.InputError(`team ${JSON.stringify(t)} is not a team slug`);
    return repo;
}
/** Finds the open pull request from `branch` and updates it, or opens one; then the extras. */
async function ensurePullRequest(o) {
    const repo = checkOptions(o);
    const warnings = [];
    const existing = await findOpenPullRequest(o.api, repo, o.branch, undefined, o.signal);
    const { pr, created } = existing
        ? { pr: await updatePull(o, repo, existing), created: false }
        : await openPull(o, repo);
    o.api.log.info(`gitops-update: pull request #${pr.number} ${created ? 'opened' : 'updated'}: ${pr.url}`);
    const missing = (o.labels ?? []).filter((l) => !pr.labels.includes(l));
    const labelsAdded = await optional(o.api.log, warnings, 'labels', [], async () => {
        if (missing.length === 0)
            return [];
        await o.api.request('POST', `${repo.path}/issues/${pr.number}/labels`, { labels: missing }, o.signal);
        return missing;
    });
    const reviewersRequested = await optional(o.api.log, warnings, 'reviewers', [], () => created ? requestReviewers(o, repo, pr.number) : Promise.resolve([]));
    const autoMerge = await optional(o.api.log, warnings, 'auto-merge', 'failed', () => enableAutoMerge(o, pr));
    return {
        number: pr.number,
        url: pr.url,
        nodeId: pr.nodeId,
        created,
        labelsAdded,
        reviewersRequested,
        autoMerge,
        warnings,
    };
}
async function openPull(o, repo) {
    const body = { title: o.title, head: o.branch, base: o.base, body: o.body, ...(o.draft ? { draft: true } : {}) };
    try {
        const res = await o.api.request('POST', `${repo.path}/pulls`, body, o.signal);
        return { pr: toRef(res.data), created: true };
    }
    catch (err) {
        // opened meanwhile (a concurrent run, or our own request whose answer was lost): update that one
        const exists = err instanceof github_api_http_js_1.GithubApiError &&
            err.status === 422 &&
            /already exists/i.test(`${err.apiMessage} ${err.details.join(' ')}`);
        if (!exists)
            throw err;
        const pr = await findOpenPullRequest(o.api, repo, o.branch, undefined, o.signal);
        if (pr === undefined)
            throw err;
        return { pr: await updatePull(o, repo, pr), created: false };
    }
}
/** PATCHes the title, body and base when one of them differs. */
async function updatePull(o, repo, pr) {
    const patch = {};
    if (pr.title !== o.title)
        patch['title'] = o.title;
    if (pr.body !== o.body)
        patch['body'] = o.body;
    if (pr.base !== o.base)
        patch['base'] = o.base;
    if (Object.keys(patch).length === 0)
        return pr;
    const res = await o.api.request('PATCH', `${repo.path}/pulls/${pr.number}`, patch, o.signal);
    return toRef(res.data);
}
async function requestReviewers(o, repo, n) {
    const reviewers = [...(o.reviewers ?? [])];
    const teams = [...(o.teamReviewers ?? [])];
    if (reviewers.length === 0 && teams.length === 0)
        return [];
    const body = { reviewers, ...(teams.length > 0 ? { team_reviewers: teams } : {}) };
    await o.api.request('POST', `${repo.path}/pulls/${n}/requested_reviewers`, body, o.signal);
    return [...reviewers, ...teams.map((t) => `team:${t}`)];
}
const ENABLE_AUTO_MERGE = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { enabledAt mergeMethod } }
  }
}`;
async function enableAutoMerge(o, pr) {
    if (o.autoMerge === undefined)
        return 'off';
    if (pr.autoMerge)
        return 'already-enabled';
    const variables = { pullRequestId: pr.nodeId, mergeMethod: o.autoMerge.toUpperCase() };
    await o.api.graphql(ENABLE_AUTO_MERGE, variables, o.signal);
    return 'enabled';
}
/** Runs an extra; what GitHub refuses becomes a warning, infrastructure and cancellation still fail. */
async function optional(log, warnings, what, fallback, fn) {
    try {
        return await fn();
    }
    catch (err) {
        if (err instanceof action_kit_1.CancelledError || err instanceof action_kit_1.InfraError)
            throw err;
        if (!(err instanceof github_api_http_js_1.GithubApiError || err instanceof github_api_http_js_1.GithubGraphqlError || err instanceof action_kit_1.InputError))
            throw err;
        const w = `pull request ${what}: ${err.message}`;
        warnings.push(w);
        log.warning(`gitops-update: ${w}`);
        return fallback;
    }
}
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];
/** Inline code; backticks and line breaks cannot break out of it. */
function code(text) {
    return `\`${text.replace(/[`\r\n]+/g, ' ')}\``;
}
/** Plain text in a table cell or a line: no markup, no HTML, no @mention, no line break. */
function plain(text) {
    return text
        .replace(/[\r\n]+/g, ' ')
        .replace(/[\\`*_{}[\]()#+!|<>~&]/g, (c) => `\\${c}`)
        .replace(/@/g, '@\u200b');
}
function link(label, url) {
    return url !== undefined && /^https?:\/\/[^\s()<>]+$/.test(url) ? `[${label}](${url})` : label;
}
function sourceLine(s) {
    const repoUrl = s.serverUrl === undefined ? undefined : `${s.serverUrl.replace(/\/+$/, '')}/${s.repository}`;
    const commit = /^[0-9a-f]{40}$/i.test(s.commit) ? s.commit : plain(s.commit);
    const commitLink = link(code(commit.slice(0, 12)), repoUrl && `${repoUrl}/commit/${commit}`);
    const run = s.run === undefined ? '' : `, workflow run ${link(`#${s.run}`, s.runUrl)}`;
    return `Built from ${code(s.repository)} at ${commitLink}${run}.`;
}
function imagesTable(input) {
    const signed = new Map((input.signatures ?? []).map((s) => [s.component, s]));
    const rows = input.images.map((img) => {
        const s = signed.get(img.component);
        const sig = s === undefined ? 'not checked' : s.verified ? '✅ verified' : '❌ not verified';
        return `| ${plain(img.component)} | ${code(img.repository)} | ${code(img.digest)} | ${sig} |`;
    });
    return ['| Component | Repository | Digest | Signature |', '| --- | --- | --- | --- |', ...rows];
}
function outcomesTable(outcomes) {
    if (outcomes.length === 0)
        return [];
    const rows = outcomes.map((o) => {
        const was = o.previous === undefined ? '' : code(o.previous);
        const why = o.held === undefined ? '' : ` (holds run ${o.held.run})`;
        return `| ${code(o.target.file)} | ${code(o.target.where)} | ${plain(o.target.component)} | ${o.outcome}${why} | ${was} |`;
    });
    return [
        '',
        '### Files',
        '',
        '| File | Target | Component | Result | Before |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
    ];
}
function scanSection(scan) {
    if (scan === undefined)
        return [];
    const head = SEVERITIES.map((s) => s[0]?.toUpperCase() + s.slice(1));
    const counts = SEVERITIES.map((s) => String(scan.counts[s] ?? 0));
    const verdict = scan.passed === undefined ? '' : scan.passed ? ' The gate passed.' : ' The gate failed.';
    const tool = scan.tool === undefined ? '' : ` (${plain(scan.tool)})`;
    return [
        '',
        `### Vulnerability scan${tool}`,
        '',
        `| ${head.join(' | ')} |`,
        `| ${head.map(() => '---').join(' | ')} |`,
        `| ${counts.join(' | ')} |`,
        ...(verdict ? ['', verdict.trim()] : []),
    ];
}
function signatureDetails(signatures) {
    const detailed = (signatures ?? []).filter((s) => s.detail !== undefined && s.detail !== '');
    if (detailed.length === 0)
        return [];
    return ['', '### Signatures', '', ...detailed.map((s) => `- ${plain(s.component)}: ${plain(s.detail ?? '')}`)];
}
function textSection(title, text) {
    if (text === undefined || text.trim() === '')
        return [];
    return [
        '',
        `### ${title}`,
        '',
        ...text
            .trim()
            .split(/\r?\n/)
            .map((l) => plain(l)),
    ];
}
/** The pull request's body, in Markdown (pure). Everything that comes from inputs is escaped. */
function pullRequestBody(input) {
    const lines = [
        `<!-- polyglot-cd:gitops-update environment=${input.environment.replace(/[^A-Za-z0-9._-]/g, '_')} -->`,
        `## Deploy to ${code(input.environment)}`,
        '',
        sourceLine(input.source),
        '',
        ...imagesTable(input),
        ...outcomesTable(input.outcomes ?? []),
        ...scanSection(input.scan),
        ...textSection('Vulnerability scan', input.scan === undefined ? input.scanText : undefined),
        ...signatureDetails(input.signatures),
        ...textSection('Signatures', input.signatureText),
        '',
        '---',
        '<sub>Opened by polyglot-cd gitops-update. The branch is rebuilt on the base branch when no pull request is open for it: commits pushed to it by hand may be overwritten.</sub>',
        '',
    ];
    const body = lines.join('\n');
    if (body.length <= exports.MAX_BODY_CHARS)
        return body;
    const note = '\n\n… (cut: the full list is in the workflow run)\n';
    return body.slice(0, exports.MAX_BODY_CHARS - note.length) + note;
}


/***/ }),

/***/ 7909:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.containerSites = containerSites;
/**
 * container targets: every container (or init container) with the target's name, in every document of
 * a manifest file (and in the items of a `kind: List`), gets `image: repository@sha256:…`. The pod
 * spec is looked for where the workload kinds keep it: `spec` (Pod), `spec.template.spec` (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, and look-alikes) and `spec.jobTemplate.spec.template.spec`
 * (CronJob). Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
const yaml_site_js_1 = __webpack_require__(7978);
const yaml_walk_js_1 = __webpack_require__(8784);
const POD_SPECS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];
const LISTS = ['initContainers', 'containers'];
function descend(doc, from, keys) {
    let at = from;
    for (const key of keys)
        at = at && (0, yaml_walk_js_1.child)(doc, at, key);
    return at;
}
/** The objects of a document: its root, or the items of a `kind: List`. */
function objects(doc) {
    const top = (0, yaml_walk_js_1.root)(doc);
    const kind = descend(doc, top, ['kind']);
    const items = descend(doc, top, ['items']);
    if ((0, yaml_1.isScalar)(kind?.node) && kind.node.value === 'List' && items && (0, yaml_1.isSeq)(items.node)) {
        return items.node.items.map((_, i) => (0, yaml_walk_js_1.child)(doc, items, i)).filter((r) => r !== undefined);
    }
    return [top];
}
/** Every container map in a document, each with its name. */
function containers(doc) {
    const out = [];
    for (const obj of objects(doc)) {
        for (const specPath of POD_SPECS) {
            const spec = descend(doc, obj, specPath);
            if (!spec || !(0, yaml_1.isMap)(spec.node))
                continue;
            for (const list of LISTS) {
                const seq = (0, yaml_walk_js_1.child)(doc, spec, list);
                if (!seq || !(0, yaml_1.isSeq)(seq.node))
                    continue;
                for (let i = 0; i < seq.node.items.length; i++) {
                    const c = (0, yaml_walk_js_1.child)(doc, seq, i);
                    if (!c || !(0, yaml_1.isMap)(c.node))
                        continue;
                    const name = (0, yaml_walk_js_1.child)(doc, c, 'name');
                    out.push({ at: c, name: (0, yaml_1.isScalar)(name?.node) ? String(name.node.value) : undefined });
                }
            }
        }
    }
    return out;
}
/** The sites of a container target: the `image` of every container with the name, in every document. */
function containerSites(src, target, ref) {
    const sites = [];
    const names = new Set();
    src.docs.forEach((doc, i) => {
        for (const c of containers(doc)) {
            if (c.name !== undefined)
                names.add(c.name);
            if (c.name !== target.where)
                continue;
            const what = `the image of container ${target.where} (document ${i + 1}, ${(0, yaml_walk_js_1.formatPath)(c.at.path)})`;
            if (c.at.shared !== undefined)
                (0, yaml_walk_js_1.refuseShared)(src, what, c.at.shared);
            const image = (0, yaml_walk_js_1.child)(doc, c.at, 'image');
            if (!image)
                throw new action_kit_1.InputError(`${src.path}: container ${target.where} (document ${i + 1}) has no image: key`);
            sites.push((0, yaml_site_js_1.scalarSite)(src, i, image, ref, what));
        }
    });
    if (sites.length === 0) {
        const found = names.size > 0 ? `the containers found are ${[...names].join(', ')}` : 'it has no containers';
        throw new action_kit_1.InputError(`${src.path}: no container is named ${target.where} in any document (${found}); a container target names a ` +
            'container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob in that file');
    }
    return sites;
}


/***/ }),

/***/ 8132:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.contentEnd = contentEnd;
exports.insertIntoMap = insertIntoMap;
exports.insertUnderKey = insertUnderKey;
exports.appendToSeq = appendToSeq;
/**
 * Adding keys that do not exist yet (a values target with `create`, a kustomize `images:` entry or its
 * `newName`/`digest`): new lines after the last line of the parent mapping, in the file's indentation
 * and line breaks, or, for a flow mapping (`{…}`) or sequence (`[…]`), new entries before its closing
 * bracket. New values are written plain when they read back the same, else double-quoted. Pure.
 */
const yaml_1 = __webpack_require__(8985);
const yaml_scalar_js_1 = __webpack_require__(5765);
const yaml_stamp_js_1 = __webpack_require__(5350);
const yaml_source_js_1 = __webpack_require__(2036);
const RESERVED_KEY = /^(?:true|false|yes|no|on|off|y|n|null|~|<<)$/i;
function renderKey(key) {
    return /^[A-Za-z_][\w.\-/]*$/.test(key) && !RESERVED_KEY.test(key) ? key : JSON.stringify(key);
}
/** The end of a node's last content: its last item's, recursively, for a block collection. */
function contentEnd(node) {
    if (((0, yaml_1.isMap)(node) || (0, yaml_1.isSeq)(node)) && !node.flow && node.items.length > 0) {
        const last = node.items[node.items.length - 1];
        const inner = (0, yaml_1.isPair)(last) ? ((0, yaml_1.isNode)(last.value) ? last.value : last.key) : last;
        if ((0, yaml_1.isNode)(inner))
            return contentEnd(inner);
    }
    return node.range[1];
}
function dashColumn(src, seq) {
    const token = seq.srcToken;
    if (token?.type !== 'block-seq')
        return undefined;
    const dash = token.items[0]?.start.find((t) => t.type === 'seq-item-ind');
    return dash ? (0, yaml_source_js_1.column)(src.text, dash.offset) : undefined;
}
function firstKeyColumn(src, map) {
    const key = map.items[0]?.key;
    return (0, yaml_1.isNode)(key) && key.range ? (0, yaml_source_js_1.column)(src.text, key.range[0]) : undefined;
}
/** The file's indentation: the smallest step between a key and its nested mapping's keys (2 if none). */
function layoutOf(src, doc, stamp) {
    let step = 0;
    let seqIndent;
    (0, yaml_1.visit)(doc, {
        Pair(_, pair) {
            const key = pair.key;
            if (!(0, yaml_1.isScalar)(key) || !key.range)
                return;
            const keyCol = (0, yaml_source_js_1.column)(src.text, key.range[0]);
            if ((0, yaml_1.isMap)(pair.value) && !pair.value.flow) {
                const childCol = firstKeyColumn(src, pair.value);
                if (childCol !== undefined && childCol > keyCol && (step === 0 || childCol - keyCol < step))
                    step = childCol - keyCol;
            }
            if ((0, yaml_1.isSeq)(pair.value) && seqIndent === undefined) {
                const dash = dashColumn(src, pair.value);
                if (dash !== undefined)
                    seqIndent = Math.max(0, dash - keyCol);
            }
        },
    });
    return { step: step || 2, seqIndent: seqIndent ?? 0, stamp: (0, yaml_stamp_js_1.formatStamp)(stamp) };
}
function renderBlock(entries, col, layout, out, dash) {
    entries.forEach((e, i) => {
        const lead = i === 0 && dash !== undefined ? `${' '.repeat(dash)}-${' '.repeat(col - dash - 1)}` : ' '.repeat(col);
        const head = `${lead}${renderKey(e.key)}:`;
        const v = e.value;
        if (typeof v === 'string')
            out.push(`${head} ${(0, yaml_scalar_js_1.renderPlain)(v)}${e.stamp ? ` # ${layout.stamp}` : ''}`);
        else if ('map' in v) {
            out.push(head);
            renderBlock(v.map, col + layout.step, layout, out);
        }
        else {
            out.push(head);
            const d = col + layout.seqIndent;
            for (const item of v.seq)
                renderBlock(item, d + 2, layout, out, d);
        }
    });
}
function renderFlow(entries) {
    const value = (v) => {
        if (typeof v === 'string')
            return (0, yaml_scalar_js_1.renderPlain)(v);
        if ('map' in v)
            return `{${renderFlow(v.map)}}`;
        return `[${v.seq.map((item) => `{${renderFlow(item)}}`).join(', ')}]`;
    };
    return entries.map((e) => `${renderKey(e.key)}: ${value(e.value)}`).join(', ');
}
/** New lines after the line where the content ending at `end` ends (a final line with no line break keeps none). */
function blockInsertion(src, end, lines) {
    const text = src.text;
    const nl = text.indexOf('\n', Math.max(0, end - 1));
    const at = nl === -1 ? text.length : nl + 1;
    const body = lines.join(src.eol);
    const insert = at === text.length && !text.endsWith('\n') ? src.eol + body : body + src.eol;
    return { splice: { start: at, end: at, text: insert }, stampAt: undefined };
}
/** Before the closing bracket of a flow collection, after its last item. */
function flowInsertion(node, text) {
    const last = node.items[node.items.length - 1];
    const lastNode = (0, yaml_1.isPair)(last) ? ((0, yaml_1.isNode)(last.value) ? last.value : last.key) : last;
    if ((0, yaml_1.isNode)(lastNode)) {
        const at = contentEnd(lastNode);
        return { splice: { start: at, end: at, text: `, ${text}` }, stampAt: at };
    }
    const token = node.srcToken;
    const close = token.end.find((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end');
    const at = close ? close.offset : node.range[1] - 1;
    return { splice: { start: at, end: at, text }, stampAt: at };
}
/** Adds keys at the end of a mapping. */
function insertIntoMap(src, doc, map, entries, stamp) {
    if (map.flow)
        return flowInsertion(map, renderFlow(entries));
    const layout = layoutOf(src, doc, stamp);
    const lines = [];
    renderBlock(entries, firstKeyColumn(src, map) ?? 0, layout, lines);
    return blockInsertion(src, contentEnd(map), lines);
}
/** Fills an empty value (`key:` with nothing after it, in a block mapping) with lines under its key. */
function insertUnderKey(src, doc, key, value, stamp) {
    const [start, end] = key.range;
    const lines = [];
    renderBlock([{ key: 'x', value }], (0, yaml_source_js_1.column)(src.text, start), layoutOf(src, doc, stamp), lines);
    return blockInsertion(src, end, lines.slice(1));
}
/** Adds a mapping as the last item of a sequence. */
function appendToSeq(src, doc, seq, item, stamp) {
    if (seq.flow)
        return flowInsertion(seq, `{${renderFlow(item)}}`);
    const layout = layoutOf(src, doc, stamp);
    const dash = dashColumn(src, seq) ?? 0;
    const first = seq.items[0];
    const keyCol = ((0, yaml_1.isMap)(first) && !first.flow ? firstKeyColumn(src, first) : undefined) ?? dash + 2;
    const lines = [];
    renderBlock(item, keyCol, layout, lines, dash);
    return blockInsertion(src, contentEnd(seq), lines);
}


/***/ }),

/***/ 2442:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.kustomizeSites = kustomizeSites;
/**
 * kustomize targets: the `images:` entry of a kustomization.yaml whose `name` is the target's.
 *
 * - `digest` is set to the image's digest (added at the end of the entry when it has none).
 * - `newName` is set to the repository when the repository differs from `name`, or when the entry
 *   already has a `newName` (then it must name the repository built); when the repository is `name`
 *   itself and there is no `newName`, none is added.
 * - `newTag` is kept. kustomize then renders `name:newTag@digest`, and the runtime pulls by the
 *   digest (the tag is only a label); removing a key the user wrote is not this action's call.
 * - nothing else in the entry or the file changes. With `create`, a missing entry (or a missing
 *   `images:`) is added at the end of `images:` (of the file).
 *
 * The stamp goes on the `digest` line. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
const yaml_insert_js_1 = __webpack_require__(8132);
const yaml_scalar_js_1 = __webpack_require__(5765);
const yaml_stamp_js_1 = __webpack_require__(5350);
const yaml_walk_js_1 = __webpack_require__(8784);
function wantedFields(entry, doc, name, image) {
    const fields = [];
    if (image.repository !== name || (0, yaml_walk_js_1.child)(doc, entry, 'newName'))
        fields.push({ key: 'newName', value: image.repository });
    fields.push({ key: 'digest', value: image.digest });
    return fields;
}
function previousOf(doc, entry, name) {
    const str = (key) => {
        const n = (0, yaml_walk_js_1.child)(doc, entry, key)?.node;
        return (0, yaml_1.isScalar)(n) ? (0, yaml_scalar_js_1.currentString)(n) : undefined;
    };
    const digest = str('digest');
    if (digest !== undefined)
        return digest;
    const tag = str('newTag');
    return tag === undefined ? undefined : `${str('newName') ?? name}:${tag}`;
}
/** Writes `newName` and `digest` into an existing entry. */
function entrySite(src, i, entry, target, image, stamp) {
    const doc = src.docs[i];
    const what = `the images: entry ${target.where} (${(0, yaml_walk_js_1.formatPath)(entry.path)})`;
    if (entry.shared !== undefined)
        (0, yaml_walk_js_1.refuseShared)(src, what, entry.shared);
    const splices = [];
    const changes = [];
    const missing = [];
    let stampAt;
    let held;
    for (const field of wantedFields(entry, doc, target.where, image)) {
        const at = (0, yaml_walk_js_1.child)(doc, entry, field.key);
        if (!at) {
            missing.push({ key: field.key, value: field.value, stamp: field.key === 'digest' });
            changes.push({ doc: i, path: [...entry.path, field.key], value: field.value });
            continue;
        }
        if (at.shared !== undefined)
            (0, yaml_walk_js_1.refuseShared)(src, `${field.key} of ${what}`, at.shared);
        const scalar = (0, yaml_scalar_js_1.writableScalar)(src, at.node, `${field.key} of ${what}`);
        const end = scalar.range[1];
        if (field.key === 'digest')
            [stampAt, held] = [end, (0, yaml_stamp_js_1.heldStamp)(src, end)];
        if ((0, yaml_scalar_js_1.currentString)(scalar) === field.value)
            continue;
        splices.push((0, yaml_scalar_js_1.scalarSplice)(src, scalar, field.value, `${field.key} of ${what}`));
        changes.push({ doc: i, path: at.path, value: field.value });
    }
    let insertion;
    if (missing.length > 0) {
        insertion = (0, yaml_insert_js_1.insertIntoMap)(src, doc, entry.node, missing, stamp);
        splices.push(insertion.splice);
    }
    const stamps = [stampAt, insertion?.stampAt].filter((n) => n !== undefined);
    const previous = previousOf(doc, entry, target.where);
    return { splices, changes, stampAt: splices.length > 0 ? stamps : [], held, previous };
}
function newEntry(target, image) {
    const entry = [{ key: 'name', value: target.where }];
    if (image.repository !== target.where)
        entry.push({ key: 'newName', value: image.repository });
    entry.push({ key: 'digest', value: image.digest, stamp: true });
    return entry;
}
/** Adds the entry at the end of `images:`, or adds `images:` at the end of the file's mapping. */
function createSite(src, target, image, stamp) {
    const i = src.docs.findIndex((d) => (0, yaml_1.isMap)(d.contents));
    const doc = src.docs[i];
    if (!doc)
        throw new action_kit_1.InputError(`${src.path}: a kustomization.yaml is a mapping (images:, resources:, …); this file is not`);
    const top = (0, yaml_walk_js_1.root)(doc);
    const images = (0, yaml_walk_js_1.child)(doc, top, 'images');
    const entry = newEntry(target, image);
    const value = Object.fromEntries(entry.map((e) => [e.key, e.value]));
    let ins;
    let change;
    if (!images) {
        if (top.shared !== undefined)
            (0, yaml_walk_js_1.refuseShared)(src, 'images:', top.shared);
        ins = (0, yaml_insert_js_1.insertIntoMap)(src, doc, top.node, [{ key: 'images', value: { seq: [entry] } }], stamp);
        change = { doc: i, path: ['images'], value: [value] };
    }
    else if ((0, yaml_walk_js_1.isEmpty)(images.node) && images.blockKey) {
        if (images.shared !== undefined)
            (0, yaml_walk_js_1.refuseShared)(src, 'images:', images.shared);
        ins = (0, yaml_insert_js_1.insertUnderKey)(src, doc, images.blockKey, { seq: [entry] }, stamp);
        change = { doc: i, path: ['images'], value: [value] };
    }
    else {
        if (!(0, yaml_1.isSeq)(images.node))
            throw new action_kit_1.InputError(`${src.path}: images: is not a sequence of entries (- name: …)`);
        if (images.shared !== undefined)
            (0, yaml_walk_js_1.refuseShared)(src, 'images:', images.shared);
        ins = (0, yaml_insert_js_1.appendToSeq)(src, doc, images.node, entry, stamp);
        change = { doc: i, path: ['images', images.node.items.length], value };
    }
    const stampAt = ins.stampAt === undefined ? [] : [ins.stampAt];
    return { splices: [ins.splice], changes: [change], stampAt, held: undefined, previous: undefined };
}
/** The sites of a kustomize target: every `images:` entry with the name (usually one). */
function kustomizeSites(src, target, image, stamp) {
    const sites = [];
    const names = [];
    src.docs.forEach((doc, i) => {
        const images = (0, yaml_walk_js_1.child)(doc, (0, yaml_walk_js_1.root)(doc), 'images');
        if (!images || !(0, yaml_1.isSeq)(images.node))
            return;
        for (let k = 0; k < images.node.items.length; k++) {
            const entry = (0, yaml_walk_js_1.child)(doc, images, k);
            const name = entry && (0, yaml_walk_js_1.child)(doc, entry, 'name')?.node;
            if (!entry || !(0, yaml_1.isMap)(entry.node) || !(0, yaml_1.isScalar)(name))
                continue;
            names.push(String(name.value));
            if (String(name.value) === target.where)
                sites.push(entrySite(src, i, entry, target, image, stamp));
        }
    });
    if (sites.length > 0)
        return sites;
    if (target.create)
        return [createSite(src, target, image, stamp)];
    const found = names.length > 0 ? `the entries are ${names.join(', ')}` : 'the file has no images: entries';
    throw new action_kit_1.InputError(`${src.path}: no images: entry has name: ${target.where} (${found}); add one (- name: ${target.where}) ` +
        'or let the target create it (create)');
}


/***/ }),

/***/ 6327:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.setIn = setIn;
exports.firstDifference = firstDifference;
exports.proveOnlyTargetsChanged = proveOnlyTargetsChanged;
/**
 * The proof that an edit changed only what the targets point at: the edited text is parsed again, and
 * every document's value (yaml's toJS) must equal the original's with the targets' new values put in.
 * Any other difference, or an edited text that does not parse, is a bug in the editor: an internal
 * error, and nothing is written. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const node_util_1 = __webpack_require__(7975);
const yaml_source_js_1 = __webpack_require__(2036);
const yaml_walk_js_1 = __webpack_require__(8784);
function bug(path, what) {
    return new Error(`internal: gitops-update's edit of ${path} ${what}; nothing was written. This is a bug in gitops-update.`);
}
function toJS(doc, path) {
    try {
        return doc.toJS();
    }
    catch (err) {
        throw new action_kit_1.InputError(`${path}: the YAML cannot be read as data (${err.message})`);
    }
}
function isRecord(v) {
    return typeof v === 'object' && v !== null;
}
/** `value` put at `path` in `data` (missing mappings on the way are created). */
function setIn(data, path, value) {
    const [head, ...rest] = path;
    if (head === undefined)
        return value;
    const container = isRecord(data) ? data : {};
    container[head] = setIn(container[head], rest, value);
    return container;
}
/** The first path where `a` and `b` differ, or undefined when they are equal. */
function firstDifference(a, b, path = []) {
    if ((0, node_util_1.isDeepStrictEqual)(a, b))
        return undefined;
    if (!isRecord(a) || !isRecord(b) || Array.isArray(a) !== Array.isArray(b))
        return path;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
        const key = Array.isArray(a) ? Number(k) : k;
        const d = firstDifference(a[k], b[k], [...path, key]);
        if (d)
            return d;
    }
    return path;
}
/** Throws unless `afterText` parses and differs from `before` only by `changes`. */
function proveOnlyTargetsChanged(before, afterText, changes) {
    const after = (0, yaml_source_js_1.parseText)(before.path, afterText);
    const error = (0, yaml_source_js_1.firstError)(after);
    if (error !== undefined)
        throw bug(before.path, `does not parse (${error})`);
    if (after.docs.length !== before.docs.length) {
        throw bug(before.path, `has ${after.docs.length} documents instead of ${before.docs.length}`);
    }
    before.docs.forEach((doc, i) => {
        let expected = toJS(doc, before.path);
        for (const c of changes)
            if (c.doc === i)
                expected = setIn(expected, c.path, c.value);
        const diff = firstDifference(expected, after.docs[i]?.toJS());
        if (diff) {
            const where = diff.length === 0 ? 'the whole document' : (0, yaml_walk_js_1.formatPath)(diff);
            throw bug(before.path, `changed ${where} in document ${i + 1}, which no target points at`);
        }
    });
}


/***/ }),

/***/ 5765:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.renderPlain = renderPlain;
exports.renderLike = renderLike;
exports.writableScalar = writableScalar;
exports.currentString = currentString;
exports.scalarSplice = scalarSplice;
/**
 * Writing one scalar in place: the new value in the quoting the old one had (plain, 'single' or
 * "double"), spliced over the old value's source range, its tag and the rest of the line untouched.
 * Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
/** Characters a plain scalar may hold in block and in flow context alike (no space, `#`, `,`, brackets). */
const PLAIN_CHARS = /^[A-Za-z0-9][\w.\-/:@+]*$/;
/** True when `value`, written plain, reads back as the same string in YAML 1.2 and 1.1, in a block or a flow. */
function plainReadsBack(value) {
    if (!PLAIN_CHARS.test(value) || value.endsWith(':'))
        return false;
    try {
        const flow = (0, yaml_1.parse)(`[${value}]`);
        return ((0, yaml_1.parse)(value) === value && (0, yaml_1.parse)(value, { version: '1.1' }) === value && Array.isArray(flow) && flow[0] === value);
    }
    catch {
        return false;
    }
}
/** Writes a string as a plain scalar when it reads back the same, else double-quoted. */
function renderPlain(value) {
    return plainReadsBack(value) ? value : JSON.stringify(value);
}
/** Writes `value` in the quoting style of `old`. */
function renderLike(old, value) {
    if (old.type === 'QUOTE_SINGLE' && !/[\n\\]/.test(value))
        return `'${value.replace(/'/g, "''")}'`;
    if (old.type === 'QUOTE_DOUBLE')
        return JSON.stringify(value);
    return renderPlain(value);
}
const STR_TAG = 'tag:yaml.org,2002:str';
/** The scalar a target writes, or a user-fixable error saying why that node cannot be written. */
function writableScalar(src, node, what) {
    if (!(0, yaml_1.isScalar)(node) || !node.range) {
        const kind = node === null ? 'missing' : 'a mapping or a sequence';
        throw new action_kit_1.InputError(`${src.path}: ${what} is ${kind}; gitops-update writes a scalar value there`);
    }
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
        throw new action_kit_1.InputError(`${src.path}: ${what} is a block scalar (| or >); write it as a plain or quoted scalar on one line`);
    }
    if (node.tag !== undefined && node.tag !== STR_TAG) {
        throw new action_kit_1.InputError(`${src.path}: ${what} has the tag ${node.tag}; remove the tag or make it !!str`);
    }
    return node;
}
/** The scalar's current value as a string, or undefined for null and the empty string. */
function currentString(node) {
    if (node.value === null || node.value === undefined || node.value === '')
        return undefined;
    return String(node.value);
}
/**
 * The splice that writes `value` over the scalar. An empty value (`key:` with nothing after the colon)
 * has no source to replace: the value is inserted right after the colon.
 */
function scalarSplice(src, node, value, what) {
    const [start, end] = node.range;
    if (start < end)
        return { start, end, text: renderLike(node, value) };
    let colon = start - 1;
    while (colon >= 0 && /[ \t\r\n]/.test(src.text[colon]))
        colon--;
    if (src.text[colon] !== ':') {
        throw new action_kit_1.InputError(`${src.path}: ${what} has no value to replace; write it as \`key: ""\``);
    }
    return { start: colon + 1, end: colon + 1, text: ` ${renderPlain(value)}` };
}


/***/ }),

/***/ 7978:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.scalarSite = scalarSite;
const yaml_scalar_js_1 = __webpack_require__(5765);
const yaml_stamp_js_1 = __webpack_require__(5350);
const yaml_walk_js_1 = __webpack_require__(8784);
/** Writes `value` into an existing scalar (refused when it is shared through an anchor, alias or merge key). */
function scalarSite(src, doc, at, value, what) {
    if (at.shared !== undefined)
        (0, yaml_walk_js_1.refuseShared)(src, what, at.shared);
    const scalar = (0, yaml_scalar_js_1.writableScalar)(src, at.node, what);
    const end = scalar.range[1];
    const previous = (0, yaml_scalar_js_1.currentString)(scalar);
    const held = (0, yaml_stamp_js_1.heldStamp)(src, end);
    if (previous === value)
        return { splices: [], changes: [], stampAt: [], held, previous };
    return {
        splices: [(0, yaml_scalar_js_1.scalarSplice)(src, scalar, value, what)],
        changes: [{ doc, path: at.path, value }],
        stampAt: [end],
        held,
        previous,
    };
}


/***/ }),

/***/ 2036:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.parseText = parseText;
exports.firstError = firstError;
exports.parseSource = parseSource;
exports.lineNumber = lineNumber;
exports.lineStart = lineStart;
exports.lineEnd = lineEnd;
exports.column = column;
exports.applySplices = applySplices;
/**
 * One YAML file as the editor sees it: the original text, its documents (yaml's Document API, with
 * the source range of every node), and what the CST knows that the documents do not: where every
 * comment and every flow scalar is. Edits are splices into the original text at those ranges, never a
 * re-stringified document, so everything that is not edited stays byte for byte. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
const FLOW_SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);
/** Collects comment and flow-scalar tokens from anywhere in the CST (a plain tree of objects and arrays). */
function collectTokens(token, comments, scalars) {
    if (Array.isArray(token)) {
        for (const t of token)
            collectTokens(t, comments, scalars);
        return;
    }
    if (token === null || typeof token !== 'object')
        return;
    const t = token;
    if (typeof t.offset === 'number' && typeof t.source === 'string') {
        const span = { start: t.offset, end: t.offset + t.source.length };
        if (t.type === 'comment')
            comments.push(span);
        else if (typeof t.type === 'string' && FLOW_SCALARS.has(t.type))
            scalars.push(span);
    }
    for (const value of Object.values(token))
        if (typeof value === 'object')
            collectTokens(value, comments, scalars);
}
/** Parses without judging: the documents (errors included) and the CST's comments and scalars. */
function parseText(path, text) {
    const tokens = [...new yaml_1.Parser().parse(text)];
    const docs = [...new yaml_1.Composer({ keepSourceTokens: true }).compose(tokens, true, text.length)];
    const comments = [];
    const scalars = [];
    collectTokens(tokens, comments, scalars);
    const firstBreak = text.indexOf('\n');
    const eol = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
    return { path, text, docs, comments, scalars, eol };
}
/** The first error of any document, with its line, or undefined when the text is valid YAML. */
function firstError(src) {
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
function parseSource(path, text) {
    const src = parseText(path, text);
    const error = firstError(src);
    if (error !== undefined) {
        throw new action_kit_1.InputError(`${path} is not valid YAML (${error}); gitops-update only edits YAML files (Helm values, Kubernetes manifests, kustomization.yaml)`);
    }
    return src;
}
/** 1-based line number of an offset. */
function lineNumber(text, offset) {
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1))
        n++;
    return n;
}
/** Offset where the line holding `offset` starts (after a byte-order mark on the first line). */
function lineStart(text, offset) {
    const start = text.lastIndexOf('\n', offset - 1) + 1;
    return start === 0 && text.startsWith('\uFEFF') ? 1 : start;
}
/** Offset where the line holding `offset` ends: at its `\r\n` or `\n`, or at the end of the text. */
function lineEnd(text, offset) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1)
        return text.length;
    return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}
/** Column (0-based) of an offset. */
function column(text, offset) {
    return offset - lineStart(text, offset);
}
/** Applies splices that do not overlap; at one offset, inserts keep the order they were given in. */
function applySplices(text, splices) {
    const ordered = splices.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i);
    let out = '';
    let at = 0;
    for (const { s } of ordered) {
        if (s.start < at)
            throw new Error(`internal: overlapping edits at offset ${s.start}`);
        out += text.slice(at, s.start) + s.text;
        at = s.end;
    }
    return out + text.slice(at);
}


/***/ }),

/***/ 5350:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.checkStamp = checkStamp;
exports.formatStamp = formatStamp;
exports.heldStamp = heldStamp;
exports.newest = newest;
exports.stampSplice = stampSplice;
/**
 * The stamp: a comment `# polyglot-cd: run=<n> commit=<sha>` at the end of the line of each value
 * gitops-update wrote, so that an older run never overwrites a newer one. The stamp goes at the end of
 * the physical line that holds the end of the edited scalar, after anything else on it (in flow style,
 * after the closing `}` or `]` too); an existing comment there is kept and the stamp appended to it, or
 * an older stamp inside it replaced in place. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_source_js_1 = __webpack_require__(2036);
const STAMP_RE = /polyglot-cd: run=(\d+) commit=([0-9a-f]{40}(?:[0-9a-f]{24})?)\b/;
/** A stamp this module can read back: a run number and a SHA-1 (or SHA-256) commit id. */
function checkStamp(stamp) {
    if (!Number.isSafeInteger(stamp.run) || stamp.run < 0 || !/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(stamp.commit)) {
        throw new Error(`internal: the stamp must be a run number and a commit id, not ${JSON.stringify(stamp)}`);
    }
}
function formatStamp(stamp) {
    return `polyglot-cd: run=${stamp.run} commit=${stamp.commit}`;
}
/** The comment at the end of the line holding `offset`, when it starts at or after `offset`. */
function trailingComment(src, offset) {
    const end = (0, yaml_source_js_1.lineEnd)(src.text, offset);
    return src.comments.find((c) => c.start >= offset && c.start <= end);
}
/** The stamp on the line holding `offset` (after it), if there is one. */
function heldStamp(src, offset) {
    const comment = trailingComment(src, offset);
    if (!comment)
        return undefined;
    const m = STAMP_RE.exec(src.text.slice(comment.start, comment.end));
    return m ? { run: Number(m[1]), commit: m[2] } : undefined;
}
/** The stamp with the highest run among `stamps`. */
function newest(stamps) {
    let best;
    for (const s of stamps)
        if (s && (!best || s.run > best.run))
            best = s;
    return best;
}
/**
 * The splice that stamps the line holding `offset`: replaces a stamp already in its trailing comment,
 * appends to a comment without one, or adds a comment. A line that ends inside a multi-line scalar (a
 * flow collection whose next value continues on the next line) cannot take a comment: refused.
 */
function stampSplice(src, offset, stamp, what) {
    const text = src.text;
    const end = (0, yaml_source_js_1.lineEnd)(text, offset);
    if (src.scalars.some((s) => s.start < end && s.end > end)) {
        throw new action_kit_1.InputError(`${src.path}: line ${(0, yaml_source_js_1.lineNumber)(text, offset)} (${what}) ends inside a value that continues on the next line, ` +
            'so the stamp comment (# polyglot-cd: run=… commit=…) cannot go at its end; put that value on one line');
    }
    const comment = trailingComment(src, offset);
    const stampText = formatStamp(stamp);
    if (comment) {
        const body = text.slice(comment.start, comment.end);
        const m = STAMP_RE.exec(body);
        if (m)
            return { start: comment.start + m.index, end: comment.start + m.index + m[0].length, text: stampText };
        const gap = /\s$/.test(body) ? '' : ' ';
        return { start: comment.end, end: comment.end, text: `${gap}# ${stampText}` };
    }
    const gap = end > 0 && /[ \t]/.test(text[end - 1]) ? '' : ' ';
    return { start: end, end, text: `${gap}# ${stampText}` };
}


/***/ }),

/***/ 6679:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.parseKeyPath = parseKeyPath;
exports.valuesSites = valuesSites;
/**
 * values targets: a dotted key path (`components.backend.image.digest`; a key holding dots is quoted,
 * `a."b.c".d`; a number steps into a sequence) to one scalar, in every document of the file that has
 * it. With `create`, missing keys are added at the end of the deepest existing mapping (or under a key
 * with an empty value, `image:` and nothing after it). Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
const yaml_insert_js_1 = __webpack_require__(8132);
const yaml_site_js_1 = __webpack_require__(7978);
const yaml_walk_js_1 = __webpack_require__(8784);
const SEGMENT = /^(?:"([^"]*)"|'([^']*)'|([^."'\s][^."']*))(\.|$)/;
/** Splits a key path: `a."b.c".d` → [a, b.c, d]. */
function parseKeyPath(file, where) {
    const out = [];
    let rest = where;
    while (rest !== '') {
        const m = SEGMENT.exec(rest);
        if (!m || (m[4] === '.' && m[0].length === rest.length)) {
            throw new action_kit_1.InputError(`${file}: the key path ${JSON.stringify(where)} is not valid: keys are separated by dots, and a key that ` +
                'holds a dot is quoted ("a.b"), e.g. components.backend.image.digest or ingress."app.example.com".digest');
        }
        out.push(m[1] ?? m[2] ?? m[3]);
        rest = rest.slice(m[0].length);
    }
    if (out.length === 0)
        throw new action_kit_1.InputError(`${file}: a values target needs a key path, e.g. image.digest`);
    return out;
}
function resolve(src, doc, segments, where) {
    let at = (0, yaml_walk_js_1.root)(doc);
    for (const [i, seg] of segments.entries()) {
        if (at.shared !== undefined)
            (0, yaml_walk_js_1.refuseShared)(src, `the key ${where}`, at.shared);
        const key = (0, yaml_1.isSeq)(at.node) && /^\d+$/.test(seg) ? Number(seg) : seg;
        const next = (0, yaml_walk_js_1.child)(doc, at, key);
        if (!next) {
            if ((0, yaml_1.isMap)(at.node) || ((0, yaml_walk_js_1.isEmpty)(at.node) && at.blockKey))
                return { kind: 'missing', parent: at, rest: segments.slice(i) };
            const prefix = i === 0 ? 'the document' : (0, yaml_walk_js_1.formatPath)(at.path);
            return { kind: 'blocked', reason: `${prefix} is ${(0, yaml_walk_js_1.describeNode)(at.node)}, not a mapping with the key ${seg}` };
        }
        at = next;
    }
    return { kind: 'found', at };
}
function nest(rest, value) {
    const [key, ...deeper] = rest;
    if (deeper.length === 0)
        return [{ key, value, stamp: true }];
    return [{ key, value: { map: nest(deeper, value) } }];
}
function createSite(src, docIndex, parent, rest, value, stamp) {
    const doc = src.docs[docIndex];
    const entries = nest(rest, value);
    const ins = (0, yaml_1.isMap)(parent.node)
        ? (0, yaml_insert_js_1.insertIntoMap)(src, doc, parent.node, entries, stamp)
        : (0, yaml_insert_js_1.insertUnderKey)(src, doc, parent.blockKey, { map: entries }, stamp);
    return {
        splices: [ins.splice],
        changes: [{ doc: docIndex, path: [...parent.path, ...rest], value }],
        stampAt: ins.stampAt === undefined ? [] : [ins.stampAt],
        held: undefined,
        previous: undefined,
    };
}
/** The sites of a values target: every document that has the key path, or the first that can take it. */
function valuesSites(src, target, value, stamp) {
    const segments = parseKeyPath(src.path, target.where);
    const resolutions = src.docs.map((doc) => resolve(src, doc, segments, target.where));
    const sites = [];
    resolutions.forEach((r, i) => {
        if (r.kind === 'found')
            sites.push((0, yaml_site_js_1.scalarSite)(src, i, r.at, value, `the key ${target.where}`));
    });
    if (sites.length > 0)
        return sites;
    const missing = resolutions.findIndex((r) => r.kind === 'missing');
    const m = resolutions[missing];
    if (m?.kind === 'missing' && target.create)
        return [createSite(src, missing, m.parent, m.rest, value, stamp)];
    if (m?.kind === 'missing') {
        const where = m.parent.path.length === 0 ? 'the top level' : (0, yaml_walk_js_1.formatPath)(m.parent.path);
        throw new action_kit_1.InputError(`${src.path}: the key ${target.where} does not exist (${where} has no key ${JSON.stringify(m.rest[0])}); ` +
            'fix the key path, or let the target create the missing keys (create)');
    }
    const blocked = resolutions.find((r) => r.kind === 'blocked');
    const reason = blocked?.kind === 'blocked' ? blocked.reason : 'the file has no document';
    throw new action_kit_1.InputError(`${src.path}: the key ${target.where} cannot be written: ${reason}; a values target's path must lead through mappings to a scalar`);
}


/***/ }),

/***/ 8784:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.keyText = keyText;
exports.ownPair = ownPair;
exports.enter = enter;
exports.isEmpty = isEmpty;
exports.root = root;
exports.child = child;
exports.describeNode = describeNode;
exports.formatPath = formatPath;
exports.refuseShared = refuseShared;
/**
 * Walking a parsed YAML document by keys, noting on the way anything that makes the value reached a
 * shared one: an anchor (`&name`, other places may alias it), an alias (`*name`), or a key that only
 * exists through a merge key (`<<: *name`). Editing a shared value in place would change every place
 * that shares it, so the targets refuse it instead. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const yaml_1 = __webpack_require__(8985);
/** A key's text, when the key is a scalar. */
function keyText(key) {
    return (0, yaml_1.isScalar)(key) ? String(key.value) : undefined;
}
/** The pair of `map` whose key is `key`, written in the map itself (not merged in). */
function ownPair(map, key) {
    return map.items.find((p) => keyText(p.key) === key);
}
function anchorOf(node) {
    return (0, yaml_1.isNode)(node) && ((0, yaml_1.isScalar)(node) || (0, yaml_1.isMap)(node) || (0, yaml_1.isSeq)(node)) ? node.anchor : undefined;
}
/** Enters a value node: resolves an alias, and notes an alias or an anchor as sharing. */
function enter(doc, value, shared, path) {
    let node = value;
    if ((0, yaml_1.isAlias)(node)) {
        shared ??= `the alias *${node.source}`;
        node = node.resolve(doc);
    }
    const anchor = anchorOf(node);
    if (anchor !== undefined)
        shared ??= `the anchor &${anchor}`;
    return { node: (0, yaml_1.isNode)(node) ? node : null, shared, path };
}
/** True for a value with nothing written (`key:` and nothing after it). */
function isEmpty(node) {
    return node === null || ((0, yaml_1.isScalar)(node) && node.value === null && node.source === '');
}
/** The document's root. */
function root(doc) {
    return enter(doc, doc.contents, undefined, []);
}
/** The maps a `<<` key of `map` merges in (aliases resolved), with the alias's name. */
function mergedMaps(doc, map) {
    const out = [];
    for (const pair of map.items) {
        if (keyText(pair.key) !== '<<')
            continue;
        const values = (0, yaml_1.isSeq)(pair.value) ? pair.value.items : [pair.value];
        for (const v of values) {
            const name = (0, yaml_1.isAlias)(v) ? `*${v.source}` : '{…}';
            const resolved = (0, yaml_1.isAlias)(v) ? v.resolve(doc) : v;
            if ((0, yaml_1.isMap)(resolved))
                out.push({ map: resolved, name });
        }
    }
    return out;
}
/**
 * The value under `key` (a map key, or an index into a sequence): undefined when there is none. A key
 * that is not in the map itself but in a map merged in with `<<` is reached, marked as shared.
 */
function child(doc, from, key) {
    const node = from.node;
    const path = [...from.path, key];
    if ((0, yaml_1.isSeq)(node)) {
        if (typeof key !== 'number' || key >= node.items.length)
            return undefined;
        return enter(doc, node.items[key], from.shared, path);
    }
    if (!(0, yaml_1.isMap)(node))
        return undefined;
    const own = ownPair(node, String(key));
    if (own) {
        const reached = enter(doc, own.value, from.shared, path);
        return !node.flow && (0, yaml_1.isNode)(own.key) ? { ...reached, blockKey: own.key } : reached;
    }
    for (const merged of mergedMaps(doc, node)) {
        const pair = ownPair(merged.map, String(key));
        if (pair)
            return enter(doc, pair.value, from.shared ?? `the merge key <<: ${merged.name}`, path);
    }
    return undefined;
}
/** What a node is, for messages. */
function describeNode(node) {
    if (node === null)
        return 'empty';
    if ((0, yaml_1.isMap)(node))
        return 'a mapping';
    if (isEmpty(node))
        return 'empty';
    if ((0, yaml_1.isSeq)(node))
        return 'a sequence';
    return `the scalar ${JSON.stringify((0, yaml_1.isScalar)(node) ? (node.source ?? node.value) : '?')}`;
}
/** A dotted path for messages: `spec.template.spec.containers[0].image`. */
function formatPath(path) {
    return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
/** Refuses a shared value: editing it would change every place that shares it. */
function refuseShared(src, what, shared) {
    throw new action_kit_1.InputError(`${src.path}: ${what} is reached through ${shared}, so editing it would change every place that shares ` +
        'that value, not only this target. gitops-update only edits a value that is written out where the target ' +
        'points (no &anchor on it or around it, no *alias and no <<: merge key on the way); write the value out there.');
}


/***/ }),

/***/ 7988:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CommandRunner = void 0;
exports.withheld = withheld;
/**
 * CommandRunner: the only way the actions start a process.
 * - argv arrays only (`shell: false`), so no value is ever parsed by a shell;
 * - refuses to put a registered secret on argv (other jobs on a host can read argv with `ps`);
 * - captures stdout/stderr, redacts secrets from anything it logs or puts in an error;
 * - enforces a timeout (SIGTERM, then SIGKILL after a grace period);
 * - forwards SIGINT/SIGTERM to running children and waits for them, so a cancelled job does not
 *   leave a tool (e.g. `helm upgrade`) half-way;
 * - never hands a child the step's inputs (INPUT_*: a password input is a secret) or the runner's
 *   tokens (ACTIONS_ID_TOKEN_REQUEST_*, ACTIONS_RUNTIME_TOKEN) from the base environment: a tool gets
 *   a secret only through the channel the action chose for it (stdin, a 0600 file, a variable passed
 *   per call, or a name the action lists in `passThrough`).
 */
const node_child_process_1 = __webpack_require__(1421);
const action_kit_1 = __webpack_require__(5092);
/** Variables of the base environment a child never gets unless passed on purpose. */
function withheld(name) {
    return name.startsWith('INPUT_') || name.startsWith('ACTIONS_ID_TOKEN_REQUEST_') || name === 'ACTIONS_RUNTIME_TOKEN';
}
const MAX_CAPTURE = 64 * 1024 * 1024;
/** One output stream of a child: its first MAX_CAPTURE bytes (whole chunks) and, when streamed, its unfinished line. */
class CapturedStream {
    #chunks = [];
    #length = 0;
    #line = '';
    /** Keeps the chunk; when `lines` is set, returns the lines it completes. */
    add(chunk, lines) {
        if (this.#length < MAX_CAPTURE)
            this.#chunks.push(chunk);
        this.#length += chunk.length;
        if (!lines)
            return [];
        const parts = (this.#line + chunk.toString('utf8')).split(/\r?\n/);
        this.#line = parts.pop() ?? '';
        return parts;
    }
    partialLine() {
        return this.#line;
    }
    text() {
        return Buffer.concat(this.#chunks).toString('utf8');
    }
}
class CommandRunner {
    #log;
    #secrets;
    #defaultTimeoutMs;
    #killGraceMs;
    #env;
    #children = new Set();
    #cancelSignal;
    #onSignal = (signal) => this.#forward(signal);
    constructor(opts) {
        this.#log = opts.log;
        this.#secrets = opts.secrets;
        this.#defaultTimeoutMs = opts.defaultTimeoutMs ?? 10 * 60_000;
        this.#killGraceMs = opts.killGraceMs ?? 7_000;
        const base = opts.env ?? process.env;
        const keep = new Set(opts.passThrough ?? []);
        this.#env = Object.fromEntries(Object.entries(base).filter(([k]) => keep.has(k) || !withheld(k)));
    }
    /** argv as it may appear in a log line or an error */
    display(file, args) {
        return this.#secrets.redactAll([file, ...args]);
    }
    run(file, args, opts = {}) {
        const tool = opts.tool ?? file.split('/').pop() ?? file;
        const argv = this.display(file, args);
        const refusal = this.#refusal(tool, file, args, argv);
        if (refusal)
            return Promise.reject(refusal);
        const env = opts.replaceEnv ? { ...opts.env } : { ...this.#env, ...opts.env };
        const call = { file, args, tool, argv, env, opts, timeoutMs: opts.timeoutMs ?? this.#defaultTimeoutMs };
        this.#log.debug(`run: ${argv.join(' ')}`);
        return new Promise((resolve, reject) => this.#execute(call, resolve, reject));
    }
    /** Why a call must not start: a secret on its argv, or a job being cancelled. */
    #refusal(tool, file, args, argv) {
        for (const a of [file, ...args]) {
            if (this.#secrets.redact(a) !== a) {
                return new Error(`refusing to run ${tool}: a secret would appear on its command line (argv: ${argv.join(' ')})`);
            }
        }
        if (this.#cancelSignal) {
            return this.#toolError(tool, argv, `${tool} was not started: the job is being cancelled`, null, this.#cancelSignal, '', { cancelled: true });
        }
        return undefined;
    }
    /** Spawns the child, feeds its stdin, captures its output and settles once it has closed. */
    #execute(call, resolve, reject) {
        const { file, tool, argv, opts } = call;
        const started = Date.now();
        let child;
        try {
            child = (0, node_child_process_1.spawn)(file, [...call.args], {
                cwd: opts.cwd,
                env: call.env,
                shell: false,
                stdio: ['pipe', 'pipe', 'pipe'],
                windowsHide: true,
            });
        }
        catch (err) {
            reject(this.#toolError(tool, argv, `${tool} could not be started: ${err.message}`, null, null, ''));
            return;
        }
        this.#track(child);
        const output = this.#capture(child, opts.stream === true);
        child.stdin?.on('error', () => {
            // the child may exit before reading its stdin; its exit code tells what happened
        });
        if (opts.input !== undefined)
            child.stdin?.end(opts.input);
        else
            child.stdin?.end();
        const deadline = this.#deadline(child, tool, call.timeoutMs);
        let settled = false;
        child.on('error', (err) => {
            if (settled)
                return;
            settled = true;
            deadline.clear();
            this.#untrack(child);
            const msg = err.code === 'ENOENT'
                ? `${tool} was not found (${this.#secrets.redact(file)}): is it installed and on PATH?`
                : `${tool} could not be started: ${err.message}`;
            reject(this.#toolError(tool, argv, msg, null, null, ''));
        });
        child.on('close', (code, signal) => {
            if (settled)
                return;
            settled = true;
            deadline.clear();
            this.#untrack(child);
            const { stdout, stderr } = output.finish();
            const failure = this.#failure(call, code, signal, stderr, deadline.timedOut());
            if (failure)
                reject(failure);
            else
                resolve({ exitCode: code, stdout, stderr, durationMs: Date.now() - started });
        });
    }
    /** Collects a child's stdout and stderr (up to MAX_CAPTURE each) and logs their lines when streaming. */
    #capture(child, stream) {
        const streams = { out: new CapturedStream(), err: new CapturedStream() };
        const logLine = (line) => this.#log.info(this.#secrets.redact(line));
        const onData = (key) => (chunk) => {
            const lines = streams[key].add(chunk, stream);
            for (const l of lines)
                logLine(l);
        };
        child.stdout?.on('data', onData('out'));
        child.stderr?.on('data', onData('err'));
        return {
            finish: () => {
                if (stream) {
                    for (const rest of [streams.out.partialLine(), streams.err.partialLine()])
                        if (rest)
                            logLine(rest);
                }
                return { stdout: streams.out.text(), stderr: streams.err.text() };
            },
        };
    }
    /** Stops the child when the timeout passes: SIGTERM, then SIGKILL after the grace period. */
    #deadline(child, tool, timeoutMs) {
        let timedOut = false;
        let killTimer;
        const timer = setTimeout(() => {
            timedOut = true;
            this.#log.warning(`${tool} did not finish within ${Math.round(timeoutMs / 1000)}s: stopping it`);
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), this.#killGraceMs);
            killTimer.unref();
        }, timeoutMs);
        timer.unref();
        return {
            clear: () => {
                clearTimeout(timer);
                if (killTimer)
                    clearTimeout(killTimer);
            },
            timedOut: () => timedOut,
        };
    }
    /** The error a closed child ends in (timeout, cancellation, a failing exit), or undefined on success. */
    #failure(call, code, signal, stderr, timedOut) {
        const { tool, argv } = call;
        if (timedOut) {
            return this.#toolError(tool, argv, `${tool} timed out after ${Math.round(call.timeoutMs / 1000)}s`, code, signal, stderr, { timedOut: true });
        }
        if (this.#cancelSignal && code !== 0) {
            return this.#toolError(tool, argv, `${tool} was stopped: the job was cancelled (${this.#cancelSignal})`, code, signal, stderr, { cancelled: true });
        }
        const ok = call.opts.okExitCodes ?? [0];
        if (code === null || !ok.includes(code)) {
            const how = code === null ? `signal ${signal}` : `exit code ${code}`;
            return this.#toolError(tool, argv, `${tool} failed with ${how}`, code, signal, stderr);
        }
        return undefined;
    }
    #toolError(tool, argv, message, exitCode, signal, stderr, extra = {}) {
        return new action_kit_1.ToolError(this.#secrets.redact(message), {
            tool,
            argv,
            exitCode,
            signal,
            stderrTail: this.#secrets.redact((0, action_kit_1.tail)(stderr)),
            ...extra,
        });
    }
    #track(child) {
        if (this.#children.size === 0) {
            process.on('SIGINT', this.#onSignal);
            process.on('SIGTERM', this.#onSignal);
        }
        this.#children.add(child);
    }
    #untrack(child) {
        this.#children.delete(child);
        if (this.#children.size === 0) {
            process.off('SIGINT', this.#onSignal);
            process.off('SIGTERM', this.#onSignal);
        }
    }
    #forward(signal) {
        this.#cancelSignal = signal;
        this.#log.warning(`Received ${signal}: passing it to ${this.#children.size} running tool(s) and waiting up to ${Math.round(this.#killGraceMs / 1000)}s for them to stop`);
        for (const child of this.#children) {
            child.kill(signal);
            const t = setTimeout(() => {
                if (child.exitCode === null && child.signalCode === null)
                    child.kill('SIGKILL');
            }, this.#killGraceMs);
            t.unref();
        }
    }
}
exports.CommandRunner = CommandRunner;


/***/ }),

/***/ 8162:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.githubRateLimitWait = githubRateLimitWait;
/**
 * GitHub's rate limits, read from an answer (pure): one set of rules for every client in the project
 * (gitops-update's GitHub API client, pr-namespace-cleanup's pull-request lookups).
 */
const retry_js_1 = __webpack_require__(786);
/** Never wait less than this for a rate limit, so a loop of them always uses up a wait budget. */
const MIN_WAIT_MS = 1000;
/** GitHub's docs for a limit without headers: "wait for at least one minute". */
const DEFAULT_WAIT_MS = 60_000;
function header(headers, name) {
    const direct = headers[name];
    if (direct !== undefined)
        return String(direct);
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return value === undefined ? undefined : String(value);
}
/**
 * How long GitHub asks to wait before the next request, in ms, when this answer (a 403 or a 429) is a
 * rate limit; undefined when it is not one:
 * - `retry-after` (secondary limits; seconds or an HTTP date);
 * - `x-ratelimit-remaining: 0` (primary limits): until `x-ratelimit-reset` (epoch seconds) plus a
 *   second of margin, or a minute when the reset is missing;
 * - a 429, or a message saying "rate limit", without those headers: a minute.
 * Never less than a second.
 */
function githubRateLimitWait(status, headers, message, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfter = (0, retry_js_1.parseRetryAfter)(header(headers, 'retry-after'), now);
    if (retryAfter !== undefined)
        return Math.max(MIN_WAIT_MS, retryAfter);
    if (header(headers, 'x-ratelimit-remaining')?.trim() === '0') {
        const reset = Number(header(headers, 'x-ratelimit-reset') ?? '');
        return Number.isFinite(reset) && reset > 0 ? Math.max(MIN_WAIT_MS, reset * 1000 - now + 1000) : DEFAULT_WAIT_MS;
    }
    if (status === 429 || /rate limit/i.test(message))
        return DEFAULT_WAIT_MS;
    return undefined;
}


/***/ }),

/***/ 3946:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.HttpTransportError = void 0;
exports.proxyConfigured = proxyConfigured;
exports.createHttpSender = createHttpSender;
class HttpTransportError extends Error {
    name = 'HttpTransportError';
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
exports.HttpTransportError = HttpTransportError;
const MAX_BODY = 256 * 1024;
const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
function proxyConfigured(env) {
    return PROXY_VARS.some((k) => (env[k] ?? '') !== '');
}
function createHttpSender(env = process.env) {
    return proxyConfigured(env) ? sendViaHttpClient : sendDirect;
}
function flattenHeaders(h) {
    const out = {};
    for (const [k, v] of Object.entries(h))
        out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return out;
}
async function sendDirect(req) {
    const mod = req.url.protocol === 'http:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23));
    const tls = req.tls?.ca !== undefined ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1692, 23)) : { rootCertificates: [] };
    return new Promise((resolve, reject) => {
        const headers = { 'user-agent': 'polyglot-cd', ...req.headers };
        if (req.body !== undefined)
            headers['content-length'] = Buffer.byteLength(req.body);
        const r = mod.request(req.url, {
            method: req.method,
            headers,
            timeout: req.timeoutMs,
            signal: AbortSignal.timeout(req.timeoutMs),
            ...(req.tls?.ca !== undefined ? { ca: [...tls.rootCertificates, req.tls.ca] } : {}),
            ...(req.tls?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        }, (res) => {
            const chunks = [];
            const max = req.maxBodyBytes ?? MAX_BODY;
            let size = 0;
            res.on('data', (c) => {
                if (size < max)
                    chunks.push(c);
                size += c.length;
            });
            res.on('end', () => resolve({
                status: res.statusCode ?? 0,
                headers: flattenHeaders(res.headers),
                body: Buffer.concat(chunks).toString('utf8').slice(0, max),
            }));
            res.on('error', (err) => reject(transportError(err, req.timeoutMs)));
        });
        r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        r.on('error', (err) => reject(transportError(err, req.timeoutMs)));
        r.end(req.body);
    });
}
function transportError(err, timeoutMs) {
    const e = err;
    const code = e.name === 'AbortError' || e.name === 'TimeoutError' ? 'ETIMEDOUT' : (e.code ?? 'EUNKNOWN');
    if (code === 'ETIMEDOUT')
        return new HttpTransportError(`no response within ${Math.round(timeoutMs / 100) / 10}s`, code);
    // Node's messages name host:port at most (e.g. "connect ECONNREFUSED 127.0.0.1:443"), never the path or query.
    return new HttpTransportError(e.message.replace(/https?:\/\/\S+/g, '<url>'), code);
}
async function sendViaHttpClient(req) {
    const { HttpClient } = await __webpack_require__.e(/* import() */ 920).then(__webpack_require__.bind(__webpack_require__, 2920));
    const client = new HttpClient('polyglot-cd', undefined, {
        socketTimeout: req.timeoutMs,
        allowRetries: false,
        maxRetries: 0,
        ...(req.tls?.rejectUnauthorized === false ? { ignoreSslError: true } : {}),
    });
    try {
        const res = await Promise.race([
            client.request(req.method, req.url.href, req.body === undefined ? null : req.body.toString(), req.headers ?? {}),
            new Promise((_, reject) => setTimeout(() => reject(new HttpTransportError(`no response within ${req.timeoutMs / 1000}s`, 'ETIMEDOUT')), req.timeoutMs).unref()),
        ]);
        const body = await res.readBody();
        return {
            status: res.message.statusCode ?? 0,
            headers: flattenHeaders(res.message.headers),
            body: body.slice(0, req.maxBodyBytes ?? MAX_BODY),
        };
    }
    catch (err) {
        if (err instanceof HttpTransportError)
            throw err;
        throw transportError(err, req.timeoutMs);
    }
    finally {
        client.dispose();
    }
}


/***/ }),

/***/ 786:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_RETRY = void 0;
exports.parseRetryAfter = parseRetryAfter;
exports.backoffDelay = backoffDelay;
exports.retryableStatus = retryableStatus;
exports.retryableTransport = retryableTransport;
exports.abortableSleep = abortableSleep;
/**
 * Bounded retry policy shared by the registry client and the push loops: exponential backoff with
 * jitter, capped, and a server's Retry-After honoured (never beyond `maxDelayMs`).
 */
const action_kit_1 = __webpack_require__(5092);
exports.DEFAULT_RETRY = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from `now`. */
function parseRetryAfter(value, now) {
    if (!value)
        return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    const at = Date.parse(v);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - now);
}
/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): the server's Retry-After when it
 * gave one, else base·2^(attempt-1) with equal jitter (between half and all of it) (`random` in [0,1)); both capped at maxDelayMs.
 */
function backoffDelay(attempt, policy, retryAfterMs, random = Math.random) {
    if (retryAfterMs !== undefined)
        return Math.min(retryAfterMs, policy.maxDelayMs);
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
/** HTTP statuses worth another try: 408, 429 and 5xx except 501 (not implemented) and 505. */
function retryableStatus(status) {
    return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
/** Transport errors worth another try (connection resets, timeouts, refused while a registry restarts). */
function retryableTransport(code) {
    return [
        'ECONNRESET',
        'ETIMEDOUT',
        'ECONNREFUSED',
        'EPIPE',
        'EAI_AGAIN',
        'ECONNABORTED',
        'UND_ERR_SOCKET',
        'EHOSTUNREACH',
        'ENETUNREACH',
    ].includes(code);
}
/**
 * Waits `ms` (a retry's backoff); rejects at once with CancelledError (from action-kit) when `signal`
 * aborts, saying what was being waited for.
 */
function abortableSleep(ms, signal, waitingFor = 'a retry') {
    return new Promise((done, fail) => {
        const cancelled = () => new action_kit_1.CancelledError(`cancelled while waiting to retry ${waitingFor}`);
        if (signal?.aborted) {
            fail(cancelled());
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            fail(cancelled());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            done();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}


/***/ })

};
