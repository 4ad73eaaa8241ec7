/**
 * Secret registry. Every secret is registered once, at input read; from then on it is masked by the
 * runner (`::add-mask::`) and redacted by us from anything we log, put in an error or a summary.
 * Derived forms are registered too: the URL-encoded and decoded spellings, and for URLs each query
 * value (e.g. the `sig=` of a Teams Workflows URL), because an error can quote any of them.
 */
export const REDACTED = '***';

/** Values shorter than this are not redacted from free text (it would mangle unrelated output). */
const MIN_SECRET_LENGTH = 4;

export class Secrets {
  readonly #values = new Set<string>();
  readonly #emit: (value: string) => void;

  constructor(emitMask: (value: string) => void = () => {}) {
    this.#emit = emitMask;
  }

  /** Register a secret and its derived spellings. Returns the value, for chaining at read time. */
  add(value: string, opts: { url?: boolean } = {}): string {
    if (value.trim() === '') return value;
    for (const v of derivedForms(value, opts.url === true)) {
      if (v.length < MIN_SECRET_LENGTH || this.#values.has(v)) continue;
      this.#values.add(v);
      // The runner masks line by line, so a multi-line secret is masked one line at a time.
      for (const line of v.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LENGTH) this.#emit(line);
    }
    return value;
  }

  has(value: string): boolean {
    return this.#values.has(value);
  }

  get size(): number {
    return this.#values.size;
  }

  /** Replace every registered secret (longest first) in a text. */
  redact(text: string): string {
    if (this.#values.size === 0 || text === '') return text;
    let out = text;
    const sorted = [...this.#values].sort((a, b) => b.length - a.length);
    for (const v of sorted) {
      if (out.includes(v)) out = out.split(v).join(REDACTED);
      for (const line of v.includes('\n') ? v.split(/\r?\n/) : []) {
        if (line.trim().length >= MIN_SECRET_LENGTH && out.includes(line)) out = out.split(line).join(REDACTED);
      }
    }
    return out;
  }

  redactAll(values: readonly string[]): string[] {
    return values.map((v) => this.redact(v));
  }
}

function derivedForms(value: string, isUrl: boolean): string[] {
  const forms = new Set<string>([value, value.trim()]);
  try {
    forms.add(encodeURIComponent(value));
    forms.add(decodeURIComponent(value));
  } catch {
    // not decodable: the plain value is enough
  }
  if (isUrl) {
    try {
      const u = new URL(value);
      forms.add(u.href);
      forms.add(u.origin + u.pathname);
      for (const [, v] of u.searchParams) {
        forms.add(v);
        forms.add(encodeURIComponent(v));
      }
      // the raw query as written (may keep %2F etc.)
      if (u.search.length > 1) forms.add(u.search.slice(1));
      if (u.password) forms.add(u.password);
    } catch {
      // not a URL: validated elsewhere
    }
  }
  return [...forms];
}
