// GitHub Actions expressions (`${{ … }}`) for the local workflow runner: literals, contexts with
// `.name` / `['name']` / `.*` access, ! && || == != < <= > >=, and the functions workflows use
// (contains, startsWith, endsWith, format, join, toJSON, fromJSON, success, always, failure, cancelled).
// Semantics follow https://docs.github.com/en/actions/reference/workflows-and-actions/expressions:
// && and || return an operand, == compares strings case-insensitively and coerces mixed types to numbers,
// property names are case-insensitive, and reading a property of null gives null.

const TOKEN =
  /\s*(?:(0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_-]*)|(==|!=|<=|>=|&&|\|\||[!<>()[\].,*]))/iy;

export class ExpressionError extends Error {}

function tokenize(src) {
  const out = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m)
      throw new ExpressionError(`cannot read ${JSON.stringify(src.slice(pos, pos + 20))} in ${JSON.stringify(src)}`);
    pos = TOKEN.lastIndex;
    if (m[1] !== undefined) out.push({ t: 'lit', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'lit', v: m[2].replace(/''/g, "'") });
    else if (m[3] !== undefined) {
      const w = m[3];
      if (w === 'true' || w === 'false') out.push({ t: 'lit', v: w === 'true' });
      else if (w === 'null') out.push({ t: 'lit', v: null });
      else out.push({ t: 'id', v: w });
    } else out.push({ t: 'op', v: m[4] });
  }
  return out;
}

export function truthy(v) {
  return !(v === false || v === null || v === undefined || v === 0 || v === '' || Number.isNaN(v));
}

function toNumber(v) {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function equals(a, b) {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'object' && a !== null) return a === b;
  if (typeof b === 'object' && b !== null) return false;
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

function compare(a, b) {
  if (typeof a === 'string' && typeof b === 'string')
    return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  const x = toNumber(a);
  const y = toNumber(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** How a value becomes text inside a string (`a-${{ x }}`), as the runner does. */
export function toText(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2);
}

function property(obj, name) {
  if (obj === null || obj === undefined || typeof obj !== 'object') return null;
  if (Array.isArray(obj)) {
    if (typeof name === 'number') return obj[name] ?? null;
    return null;
  }
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name] ?? null;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === String(name).toLowerCase());
  return key === undefined ? null : (obj[key] ?? null);
}

const FUNCTIONS = {
  contains(hay, needle) {
    if (Array.isArray(hay)) return hay.some((x) => equals(x, needle));
    return toText(hay).toLowerCase().includes(toText(needle).toLowerCase());
  },
  startsWith: (s, p) => toText(s).toLowerCase().startsWith(toText(p).toLowerCase()),
  endsWith: (s, p) => toText(s).toLowerCase().endsWith(toText(p).toLowerCase()),
  format(fmt, ...args) {
    return toText(fmt).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i) =>
      m === '{{' ? '{' : m === '}}' ? '}' : toText(args[Number(i)]),
    );
  },
  join: (arr, sep = ',') => (Array.isArray(arr) ? arr.map(toText).join(toText(sep)) : toText(arr)),
  toJSON: (v) => JSON.stringify(v ?? null, null, 2),
  fromJSON(s) {
    try {
      return JSON.parse(toText(s));
    } catch (e) {
      throw new ExpressionError(`fromJSON: ${e.message} in ${JSON.stringify(toText(s).slice(0, 80))}`);
    }
  },
};

/**
 * Evaluates one expression (the text between `${{` and `}}`).
 * ctx: { contexts: { github, inputs, … }, status: { success(), failure(), cancelled() } }
 */
export function evaluate(src, ctx) {
  const toks = tokenize(src);
  let i = 0;
  const peek = (v) => toks[i] && toks[i].t === 'op' && toks[i].v === v;
  const expect = (v) => {
    if (!peek(v)) throw new ExpressionError(`expected ${v} in ${JSON.stringify(src)}`);
    i++;
  };
  const parseOr = () => {
    let v = parseAnd();
    while (peek('||')) {
      i++;
      const r = parseAnd();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const parseAnd = () => {
    let v = parseEq();
    while (peek('&&')) {
      i++;
      const r = parseEq();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const parseEq = () => {
    let v = parseCmp();
    while (peek('==') || peek('!=')) {
      const op = toks[i++].v;
      const r = parseCmp();
      v = op === '==' ? equals(v, r) : !equals(v, r);
    }
    return v;
  };
  const parseCmp = () => {
    let v = parseUnary();
    while (peek('<') || peek('<=') || peek('>') || peek('>=')) {
      const op = toks[i++].v;
      const c = compare(v, parseUnary());
      v = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    return v;
  };
  const parseUnary = () => {
    if (peek('!')) {
      i++;
      return !truthy(parseUnary());
    }
    return parsePostfix();
  };
  const parsePostfix = () => {
    let v = parsePrimary();
    for (;;) {
      if (peek('.')) {
        i++;
        if (peek('*')) {
          i++;
          const arr = Array.isArray(v) ? [...v] : v && typeof v === 'object' ? Object.values(v) : [];
          arr.__filter = true; // a property read after .* maps over the elements
          v = arr;
          continue;
        }
        const t = toks[i++];
        if (!t || t.t !== 'id') throw new ExpressionError(`expected a property name in ${JSON.stringify(src)}`);
        if (Array.isArray(v) && v.__filter) {
          const mapped = v.map((x) => property(x, t.v));
          mapped.__filter = true;
          v = mapped;
        } else v = property(v, t.v);
      } else if (peek('[')) {
        i++;
        const k = parseOr();
        expect(']');
        v = property(v, typeof k === 'number' ? k : toText(k));
      } else return v;
    }
  };
  const parsePrimary = () => {
    const t = toks[i++];
    if (!t) throw new ExpressionError(`unexpected end of ${JSON.stringify(src)}`);
    if (t.t === 'lit') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = parseOr();
      expect(')');
      return v;
    }
    if (t.t === 'id') {
      if (peek('(')) {
        i++;
        const args = [];
        while (!peek(')')) {
          args.push(parseOr());
          if (peek(',')) i++;
          else break;
        }
        expect(')');
        const name = t.v.toLowerCase();
        if (name === 'success' || name === 'failure' || name === 'cancelled') return Boolean(ctx.status?.[name]?.());
        if (name === 'always') return true;
        if (name === 'hashfiles') throw new ExpressionError('hashFiles() is not supported by the local runner');
        const fn = Object.entries(FUNCTIONS).find(([k]) => k.toLowerCase() === name);
        if (!fn) throw new ExpressionError(`unknown function ${t.v}() in ${JSON.stringify(src)}`);
        return fn[1](...args);
      }
      const c = property(ctx.contexts ?? {}, t.v);
      return c;
    }
    throw new ExpressionError(`unexpected ${t.v} in ${JSON.stringify(src)}`);
  };
  const v = parseOr();
  if (i < toks.length) throw new ExpressionError(`unexpected ${toks[i].v} in ${JSON.stringify(src)}`);
  return v;
}

/** Uses a status function? (then the runner does not add the implicit `success() &&`) */
export function hasStatusFunction(src) {
  return /\b(success|failure|cancelled|always)\s*\(/i.test(src);
}

/** `if:` semantics: an expression with or without `${{ }}`, implicitly `success() && (…)`. */
export function evaluateIf(cond, ctx) {
  if (cond === undefined || cond === null || cond === '') return Boolean(ctx.status?.success?.());
  if (typeof cond === 'boolean') return cond && Boolean(ctx.status?.success?.());
  const s = String(cond).trim();
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(s);
  const src = m ? m[1] : s;
  const v = truthy(evaluate(src, ctx));
  return hasStatusFunction(src) ? v : v && Boolean(ctx.status?.success?.());
}

/** A string with `${{ }}` parts: a lone expression keeps its type (matrix: fromJSON(…)); else text. */
export function interpolate(value, ctx) {
  if (typeof value !== 'string') return value;
  const lone = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (lone && !lone[1].includes('}}')) return evaluate(lone[1], ctx);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => toText(evaluate(e, ctx)));
}

/** interpolate() over every string of a mapping/list. */
export function interpolateDeep(value, ctx) {
  if (typeof value === 'string') return interpolate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, ctx));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, ctx)]));
  return value;
}
