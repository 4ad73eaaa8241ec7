/** The report of a build-push run, and the outputs and job summary made from it. Pure. */
import { code, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';

export type Builder = 'docker' | 'buildah' | 'skopeo';

export interface Result {
  digest: string;
  pushed: boolean;
  archive: string;
  sizeBytes: number | undefined;
  /** refs an immutable-tag registry refused to rewrite because they already pointed at this digest */
  existing: string[];
  /** from-archive: the digest every pushed tag must have in the registry */
  check?: DigestCheck;
}

/** from-archive: the archive's manifest digest, which the registry must have for every pushed tag. */
export interface DigestCheck {
  /** the archive's manifest digest (what was scanned, when expected-digest was given) */
  archive: string;
  /** expected-digest, '' when not given; equal to `archive` once anything was pushed */
  expected: string;
  /** true once every pushed tag was read back from the registry with the archive's digest */
  confirmed: boolean;
}

/** The layer cache a build used: what it read and wrote, and why any part of it was left out. */
export interface CacheReport {
  from: string[];
  to: string[];
  /** warnings: a cache that could not be read or written (the build went on without it) */
  notes: string[];
}

export interface Report {
  /** registry/repository ('' until the inputs are read) */
  image: string;
  /** every computed image:tag reference */
  refs: string[];
  builder: Builder | undefined;
  /** why this builder was chosen */
  reason: string;
  result: Result | undefined;
  /** wall time of the run, seconds (undefined until it ends) */
  seconds: number | undefined;
  cache: CacheReport;
}

export function initialReport(): Report {
  return {
    image: '',
    refs: [],
    builder: undefined,
    reason: '',
    result: undefined,
    seconds: undefined,
    cache: { from: [], to: [], notes: [] },
  };
}

/** Compressed size of an image from its manifest JSON (config + layers); undefined for an index. */
export function manifestSize(json: string): number | undefined {
  try {
    const m = JSON.parse(json) as { config?: { size?: number }; layers?: { size?: number }[] };
    if (!m.layers) return undefined;
    return (m.config?.size ?? 0) + m.layers.reduce((a, l) => a + (l.size ?? 0), 0);
  } catch {
    return undefined;
  }
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function seconds(r: Report): string {
  return r.seconds === undefined ? 'n/a' : r.seconds.toFixed(1);
}

/**
 * The step's outputs: only once there is a result (a failed run leaves digest, image and tags unset),
 * and for from-archive only once the registry was seen to have the archive's digest.
 */
export function outputs(r: Report): Record<string, OutputValue> {
  const result = r.result;
  if (!result || (result.check && !result.check.confirmed)) return {};
  const imageRef = `${r.image}@${result.digest}`;
  const tags = result.pushed ? r.refs : [];
  return {
    digest: result.digest,
    image: result.pushed ? imageRef : undefined,
    tags,
    archive: result.archive || undefined,
    builder: r.builder,
    metadata: {
      image: result.pushed ? imageRef : '',
      repository: r.image,
      digest: result.digest,
      tags,
      computedTags: r.refs,
      pushed: result.pushed,
      archive: result.archive,
      builder: r.builder,
      builderReason: r.reason,
      buildSeconds: Number(seconds(r)),
      sizeBytes: result.sizeBytes ?? null,
      cache: r.cache,
    },
  };
}

/** The from-archive digest check, as one line of the summary. */
function checkText(c: DigestCheck): string {
  const expected = c.expected ? `, which equals ${code('expected-digest')} (the digest that was scanned)` : '';
  if (c.confirmed)
    return `**Digest checked**: the registry has ${code(c.archive)} for every pushed tag, the archive's manifest digest${expected}.\n\n`;
  return `**Digest check**: the registry was not seen to have the archive's manifest digest ${code(c.archive)}${c.expected ? ` (expected-digest ${code(c.expected)})` : ''} for every pushed tag.\n\n`;
}

function resultText(result: Result | undefined, end: Ending): string {
  if (result?.check && !result.check.confirmed) return 'pushed, but the digest the registry has is not confirmed';
  if (result) return result.pushed ? 'pushed' : 'built, not pushed (OCI archive)';
  return end.kind === 'success' ? 'nothing' : 'failed';
}

export function summary(r: Report, s: Summary, end: Ending): void {
  const result = r.result;
  s.heading(`build-push: ${r.image || '(no image)'}`);
  s.facts([
    ['Result', resultText(result, end)],
    ['Image', result?.pushed && result.check?.confirmed !== false ? `${r.image}@${result.digest}` : r.image || 'n/a'],
    ['Digest', result?.digest ?? 'n/a'],
    ['Builder', `${r.builder ?? 'none'}: ${r.reason || 'not chosen'}`],
    ['Time', `${seconds(r)} s`],
    [
      'Size',
      `${formatBytes(result?.sizeBytes)}${result?.pushed ? ' (compressed, as stored)' : result?.archive ? ' (archive)' : ''}`,
    ],
    ...(result?.archive ? ([['Archive', result.archive]] as [string, string][]) : []),
  ]);
  if (r.refs.length)
    s.raw(`**Tags**${result?.pushed ? '' : ' (computed, not pushed)'}: ${r.refs.map((t) => code(t)).join(' ')}\n\n`);
  if (result?.check) s.raw(checkText(result.check));
  const { cache } = r;
  if (cache.from.length || cache.to.length || cache.notes.length) {
    const list = (l: string[]): string => (l.length ? l.map((c) => code(c)).join(' ') : 'none');
    s.raw(`**Layer cache**: read ${list(cache.from)}, written ${list(cache.to)}.\n\n`);
    for (const n of cache.notes) s.raw(`> ${n}\n\n`);
  }
  if (result?.existing.length) {
    s.raw(
      `**Already in the registry**: the registry refused to rewrite ${result.existing.map((t) => code(t)).join(' ')} (immutable tags); ` +
        `${result.existing.length > 1 ? 'they' : 'it'} already pointed at this digest ${code(result.digest)}, so nothing changed.\n\n`,
    );
  }
}
