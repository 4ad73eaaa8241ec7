/**
 * The scan at the end of a run: every registered canary, in every spelling an action must mask, in
 * everything captured under <run>/captures (run.ts). No Vitest import: the global setup runs it.
 *
 * Spellings: the raw value, URL-encoded (encodeURIComponent and form encoding), and base64 / base64url
 * at each of the three byte alignments, so a canary inside a longer encoded string (the `auth` of a
 * Docker config is base64 of `user:password`) is found too: for each alignment only the characters that
 * depend on the canary's bytes alone are looked for.
 *
 * What counts in a capture:
 * - step logs (steps/*.stdout.log, *.stderr.log): every line except `::add-mask::` commands, which the
 *   runner consumes and never shows (they are how an action registers a secret);
 * - a child tool's call (exec/<tool>.<random>/argv, env): every argument and every variable, except the
 *   variables allow-list.ts names for that tool;
 * - any other file, byte for byte: outputs, summary, state, reports, SARIF, and whatever an action left
 *   in its RUNNER_TEMP (a 0700 directory it deletes at the end is no leak; one it leaves behind is).
 *
 * Cost: each file is first searched for the few spellings of CANARY_PREFIX, which every minted canary
 * starts with; only a file that has one (or a registered secret without the prefix) gets the full search.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isAllowedChildEnv, type AllowedChildEnv, ALLOWED_CHILD_ENV } from './allow-list.js';
import { CANARY_PREFIX, type RegisteredCanary } from './run.js';

export interface Spelling {
  form: string;
  text: string;
}

export interface CanaryHit {
  label: string;
  /** which spelling was found */
  form: string;
  /** the capture, relative to the captures directory */
  file: string;
  /** inside an exec record: `argv` or `env NAME` */
  where?: string;
  from?: string;
}

export interface ScanResult {
  hits: CanaryHit[];
  files: number;
  bytes: number;
  ms: number;
}

const MIN_ENCODED = 8;

/** The characters of base64(value) that do not depend on the bytes around it, at one alignment. */
function base64Core(value: Buffer, align: number, url: boolean): string {
  const padded = Buffer.concat([Buffer.alloc(align), value]);
  const full = Math.floor(padded.length / 3);
  const firstGroup = align === 0 ? 0 : 1;
  if (full <= firstGroup) return '';
  const text = padded.subarray(firstGroup * 3, full * 3).toString(url ? 'base64url' : 'base64');
  return text;
}

/** Every spelling of a value the scan looks for, deduplicated (raw first). */
export function spellings(value: string): Spelling[] {
  const out: Spelling[] = [];
  const add = (form: string, text: string): void => {
    if (text.length >= Math.min(MIN_ENCODED, value.length) && !out.some((s) => s.text === text))
      out.push({ form, text });
  };
  add('raw', value);
  add('url-encoded', encodeURIComponent(value));
  add('form-encoded', new URLSearchParams({ v: value }).toString().slice(2));
  const bytes = Buffer.from(value);
  for (const url of [false, true]) {
    for (const align of [0, 1, 2]) {
      const core = base64Core(bytes, align, url);
      if (core.length >= MIN_ENCODED) add(url ? 'base64url' : 'base64', core);
    }
  }
  return out;
}

interface Segment {
  where?: string;
  data: Buffer;
}

function isStepLog(rel: string): boolean {
  return rel.startsWith(`steps${sep}`) && (rel.endsWith('.stdout.log') || rel.endsWith('.stderr.log'));
}

/** A step log without the `::add-mask::` lines (the runner parses commands after leading spaces). */
function visibleLog(data: Buffer): Buffer {
  const text = data.toString('utf8');
  if (!text.includes('::add-mask::')) return data;
  return Buffer.from(
    text
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('::add-mask::'))
      .join('\n'),
  );
}

function nulFields(data: Buffer): string[] {
  return data
    .toString('utf8')
    .split('\0')
    .filter((f, i, all) => f !== '' || i < all.length - 1);
}

function segmentsOf(rel: string, data: Buffer, allow: readonly AllowedChildEnv[]): Segment[] {
  const parts = rel.split(sep);
  if (parts[0] === 'exec' && parts.length === 3) {
    const tool = (parts[1] ?? '').replace(/\.[^.]*$/, '');
    if (parts[2] === 'argv') return [{ where: 'argv', data }];
    if (parts[2] === 'env') {
      return nulFields(data).flatMap((entry) => {
        const eq = entry.indexOf('=');
        const name = eq < 0 ? entry : entry.slice(0, eq);
        if (isAllowedChildEnv(tool, name, allow)) return [];
        return [{ where: `env ${name}`, data: Buffer.from(eq < 0 ? '' : entry.slice(eq + 1)) }];
      });
    }
  }
  if (isStepLog(rel)) return [{ data: visibleLog(data) }];
  return [{ data }];
}

function* walk(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    // symlinks are not followed: what they point at is not something the action wrote
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * Scans everything under `captures` for the canaries. Pure apart from reading the files: the unit
 * test (scan.test.ts) runs it on planted captures.
 */
export function scanCaptures(
  captures: string,
  canaries: readonly RegisteredCanary[],
  allow: readonly AllowedChildEnv[] = ALLOWED_CHILD_ENV,
): ScanResult {
  const started = performance.now();
  const needles = canaries.map((c) => ({
    c,
    spellings: spellings(c.value).map((s) => ({ ...s, bytes: Buffer.from(s.text) })),
  }));
  // cheap first pass: the prefix's spellings, plus every spelling of a secret registered without it
  const markers = [
    ...spellings(CANARY_PREFIX).map((s) => Buffer.from(s.text)),
    ...needles.filter((n) => !n.c.value.startsWith(CANARY_PREFIX)).flatMap((n) => n.spellings.map((s) => s.bytes)),
  ];
  const hits: CanaryHit[] = [];
  let files = 0;
  let bytes = 0;
  if (canaries.length > 0) {
    for (const path of walk(captures)) {
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        continue;
      }
      files++;
      bytes += data.length;
      if (!markers.some((m) => data.includes(m))) continue;
      const rel = relative(captures, path);
      for (const seg of segmentsOf(rel, data, allow)) {
        for (const { c, spellings: sp } of needles) {
          const found = sp.find((s) => seg.data.includes(s.bytes));
          if (!found) continue;
          hits.push({
            label: c.label,
            form: found.form,
            file: rel,
            ...(seg.where ? { where: seg.where } : {}),
            ...(c.from ? { from: c.from } : {}),
          });
        }
      }
    }
  }
  return { hits, files, bytes, ms: performance.now() - started };
}

/** One line per hit, naming the canary and the capture, never the secret. */
export function describeHits(hits: readonly CanaryHit[], capturesPath: string): string {
  const lines = hits.map(
    (h) =>
      `  - canary "${h.label}"${h.from ? ` (registered in ${h.from})` : ''}, ${h.form}, in ${join(capturesPath, h.file)}${h.where ? ` (${h.where})` : ''}`,
  );
  return `secret canaries leaked: ${hits.length} hit(s); one is enough to fail the run\n${lines.join('\n')}`;
}
