/**
 * Ignore rules from `.trivyignore` (one id per line, optional `exp:YYYY-MM-DD`) and `.trivyignore.yaml`
 * (`vulnerabilities`/`misconfigurations`/`secrets`/`licenses` entries with `id`, `paths`, `purls`,
 * `expired_at`, `statement`), applied by the gate itself so that:
 * - an entry whose expiry has passed suppresses nothing, and the summary says which findings it
 *   would have hidden;
 * - an entry without expiry is reported (a warning, or an error with require-expiry);
 * - every suppressed finding is listed with the entry that hid it.
 * Matching follows Trivy (pkg/result/ignore.go): exact id (a misconfiguration also by its AVD id),
 * `paths` globs against the package path or the result's target, `purls` with or without version;
 * an entry expires when the current time is after `expired_at` (UTC midnight of that date). Pure:
 * the YAML text is parsed by the caller (a YAML 1.1 parser turns an unquoted date into a Date, a YAML 1.2
 * parser leaves a string; both are accepted).
 */
import type { Finding, FindingKind } from './findings.js';

export interface IgnoreRule {
  id: string;
  /** the finding kinds the entry applies to; a plain .trivyignore line applies to any */
  kinds: readonly FindingKind[] | 'any';
  paths: string[];
  purls: string[];
  expiresAt?: Date;
  statement: string;
  /** "file:line" or "file: section[index]", for messages */
  where: string;
}

export interface Suppression {
  finding: Finding;
  rule: IgnoreRule;
}

export interface IgnoreOutcome {
  kept: Finding[];
  suppressed: Suppression[];
  /** expired entries, each with the findings it would have suppressed */
  expired: { rule: IgnoreRule; matched: Finding[] }[];
  /** active entries with no expiry */
  noExpiry: IgnoreRule[];
}

export class IgnoreFileError extends Error {
  override readonly name = 'IgnoreFileError';
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (or a Date from a YAML 1.1 parser) as UTC midnight; anything else is an error. */
export function parseExpiry(value: unknown, where: string): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new IgnoreFileError(`${where}: expired_at is not a valid date`);
    return value;
  }
  if (typeof value === 'string') {
    const m = DATE_RE.exec(value.trim());
    if (m) {
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (
        d.getUTCFullYear() === Number(m[1]) &&
        d.getUTCMonth() === Number(m[2]) - 1 &&
        d.getUTCDate() === Number(m[3])
      )
        return d;
    }
  }
  throw new IgnoreFileError(`${where}: expiry ${JSON.stringify(value)} is not a date (expected YYYY-MM-DD)`);
}

/** The plain format: `ID [exp:YYYY-MM-DD] [other key:value…]`, `#` comments. */
export function parseTrivyignore(text: string, file: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${i + 1}`;
    const [id, ...fields] = line.split(/\s+/) as [string, ...string[]];
    const rule: IgnoreRule = { id, kinds: 'any', paths: [], purls: [], statement: '', where };
    for (const f of fields) {
      if (f.startsWith('#')) break;
      if (f.startsWith('exp:')) rule.expiresAt = parseExpiry(f.slice(4), where);
    }
    rules.push(rule);
  });
  return rules;
}

const SECTIONS: Record<string, FindingKind | 'license'> = {
  vulnerabilities: 'vulnerability',
  misconfigurations: 'misconfiguration',
  secrets: 'secret',
  licenses: 'license',
};

function stringList(v: unknown, where: string, key: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new IgnoreFileError(`${where}: ${key} must be a list of strings`);
  return v as string[];
}

/**
 * Rules from a parsed `.trivyignore.yaml`. Unknown sections and fields are errors (a typo such as
 * `vulnerability:` would otherwise silently ignore nothing). License entries are read and checked
 * but apply to nothing: the gate does not run the license scanner.
 */
export function rulesFromYaml(doc: unknown, file: string): IgnoreRule[] {
  if (doc === undefined || doc === null) return [];
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new IgnoreFileError(`${file}: expected a mapping with ${Object.keys(SECTIONS).join(', ')}`);
  const rules: IgnoreRule[] = [];
  for (const [section, entries] of Object.entries(doc as Record<string, unknown>)) {
    const kind = SECTIONS[section];
    if (!kind)
      throw new IgnoreFileError(`${file}: unknown section "${section}" (expected ${Object.keys(SECTIONS).join(', ')})`);
    if (entries === null || entries === undefined) continue;
    if (!Array.isArray(entries)) throw new IgnoreFileError(`${file}: ${section} must be a list of entries`);
    entries.forEach((e: unknown, i) => {
      const where = `${file}: ${section}[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e))
        throw new IgnoreFileError(`${where}: expected an entry with an id`);
      const entry = e as Record<string, unknown>;
      for (const k of Object.keys(entry)) {
        if (!['id', 'paths', 'purls', 'expired_at', 'statement'].includes(k))
          throw new IgnoreFileError(`${where}: unknown field "${k}"`);
      }
      if (typeof entry['id'] !== 'string' || entry['id'].trim() === '')
        throw new IgnoreFileError(`${where}: id is required (a string)`);
      if (entry['purls'] !== undefined && kind !== 'vulnerability')
        throw new IgnoreFileError(`${where}: purls are only allowed for vulnerabilities`);
      if (entry['statement'] !== undefined && typeof entry['statement'] !== 'string')
        throw new IgnoreFileError(`${where}: statement must be text`);
      const rule: IgnoreRule = {
        id: entry['id'].trim(),
        kinds: kind === 'license' ? [] : [kind],
        paths: stringList(entry['paths'], where, 'paths'),
        purls: stringList(entry['purls'], where, 'purls'),
        statement: typeof entry['statement'] === 'string' ? entry['statement'] : '',
        where,
      };
      if (entry['expired_at'] !== undefined && entry['expired_at'] !== null)
        rule.expiresAt = parseExpiry(entry['expired_at'], where);
      rules.push(rule);
    });
  }
  return rules;
}

/** doublestar-style glob: `**` any path (also none), `*` within one segment, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function pathMatches(paths: readonly string[], candidates: readonly string[]): boolean {
  if (paths.length === 0) return true;
  return paths.some((p) => {
    const re = globToRegExp(p.replace(/^\.?\//, ''));
    return candidates.some((c) => c !== '' && re.test(c.replace(/^\//, '')));
  });
}

interface Purl {
  base: string;
  version: string;
}

function parsePurl(p: string): Purl {
  const noSub = p.split('#')[0] as string;
  const noQual = noSub.split('?')[0] as string;
  const at = noQual.lastIndexOf('@');
  // an @ in the namespace (npm scopes are %40-encoded in purls) is not a version separator
  if (at > noQual.lastIndexOf('/')) return { base: noQual.slice(0, at), version: noQual.slice(at + 1) };
  return { base: noQual, version: '' };
}

function purlMatches(purls: readonly string[], purl: string): boolean {
  if (purls.length === 0) return true;
  if (purl === '') return false;
  const have = parsePurl(purl);
  return purls.some((p) => {
    const want = parsePurl(p);
    return want.base === have.base && (want.version === '' || want.version === have.version);
  });
}

export function ruleMatches(rule: IgnoreRule, f: Finding): boolean {
  if (rule.kinds !== 'any' && !rule.kinds.includes(f.kind)) return false;
  if (rule.id !== f.id && !f.altIds.includes(rule.id)) return false;
  if (!pathMatches(rule.paths, [f.pkgPath, f.target])) return false;
  return purlMatches(rule.purls, f.purl);
}

/** License entries are read and checked, but the gate runs no license scanner. */
export function appliesToSomething(rule: IgnoreRule): boolean {
  return rule.kinds === 'any' || rule.kinds.length > 0;
}

export function isExpired(rule: IgnoreRule, now: Date): boolean {
  return rule.expiresAt !== undefined && now.getTime() > rule.expiresAt.getTime();
}

export function applyIgnores(findings: readonly Finding[], rules: readonly IgnoreRule[], now: Date): IgnoreOutcome {
  const active = rules.filter((r) => !isExpired(r, now));
  const expired = rules.filter((r) => isExpired(r, now)).map((rule) => ({ rule, matched: [] as Finding[] }));
  const kept: Finding[] = [];
  const suppressed: Suppression[] = [];
  for (const f of findings) {
    const rule = active.find((r) => ruleMatches(r, f));
    if (rule) suppressed.push({ finding: f, rule });
    else kept.push(f);
    for (const e of expired) if (ruleMatches(e.rule, f)) e.matched.push(f);
  }
  return {
    kept,
    suppressed,
    expired,
    noExpiry: active.filter((r) => r.expiresAt === undefined && appliesToSomething(r)),
  };
}
