/**
 * The layer cache: `cache-from` and `cache-to` as docker/build-push-action users write them, read
 * and checked before anything runs, and turned into each builder's flags. Pure.
 *
 * - One entry per line: `type=registry,ref=<repository>[:tag][,key=value…]`, a bare
 *   `<repository>[:tag]` (the same as type=registry), or `type=gha[,key=value…]` (buildx only).
 * - A registry cache must live next to the image: in the image's registry, and be the image's own
 *   repository, `<image>-cache`, `<image>-cache-<name>` or a repository under `<image>/`. A cache
 *   is the layers the next build runs as its own: a cache in another repository would let another
 *   project's layers into this image.
 * - buildah keeps its cache as the tags of a whole repository (every tag is a cache key): there the
 *   ref must be a repository without a tag, and not the image's own repository.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { parseImageRef, type ImageRef } from '@polyglot-cd/tools/image-ref';

export type CacheDirection = 'cache-from' | 'cache-to';

export interface RegistryCache {
  type: 'registry';
  /** registry/repository, lower-case host */
  repository: string;
  /** '' when the ref has none */
  tag: string;
  /** the other key=value attributes, in the order given */
  attrs: readonly (readonly [string, string])[];
}

export interface GhaCache {
  type: 'gha';
  attrs: readonly (readonly [string, string])[];
}

export type CacheEntry = RegistryCache | GhaCache;

export interface CacheSettings {
  from: readonly CacheEntry[];
  to: readonly CacheEntry[];
}

const VALUE_RE = /^[A-Za-z0-9._:/@+-]{1,255}$/;
/** buildx's attributes per type and direction; url and token are refused (the token comes from the runner's environment). */
const ALLOWED: Record<CacheEntry['type'], Record<CacheDirection, readonly string[]>> = {
  registry: {
    'cache-from': ['ref'],
    'cache-to': [
      'ref',
      'mode',
      'image-manifest',
      'oci-mediatypes',
      'compression',
      'compression-level',
      'force-compression',
      'ignore-error',
    ],
  },
  gha: {
    'cache-from': ['scope'],
    'cache-to': ['scope', 'mode', 'ignore-error', 'timeout'],
  },
};

const FORMS =
  'one per line: type=registry,ref=<registry>/<repository>[:tag] (or just the reference), or type=gha (docker buildx only)';

function fail(input: CacheDirection, value: string, why: string): never {
  throw new InputError(`Input "${input}" has an invalid value ${JSON.stringify(value)}: ${why}`, input);
}

/** `host/path[:tag]` of a cache ref: in a registry (not a Docker Hub short name), without a digest. */
function parseRef(input: CacheDirection, line: string, ref: string): { repository: string; tag: string } {
  let r: ImageRef | undefined;
  try {
    r = parseImageRef(ref);
  } catch {
    r = undefined;
  }
  if (!r || r.digest !== undefined || !ref.toLowerCase().startsWith(`${r.registry.toLowerCase()}/`))
    fail(input, line, `the ref must be <registry>/<repository>[:tag] without a digest (${FORMS})`);
  return { repository: `${r.registry.toLowerCase()}/${r.repository}`, tag: r.tag ?? '' };
}

/** Whether `repository` is the image's own cache: its repository, `-cache`, `-cache-<name>`, or under it. */
export function nextToImage(repository: string, image: string): boolean {
  return (
    repository === image ||
    repository === `${image}-cache` ||
    repository.startsWith(`${image}-cache-`) ||
    repository.startsWith(`${image}/`)
  );
}

/** One line of cache-from / cache-to. */
export function parseCacheEntry(input: CacheDirection, line: string, image: string): CacheEntry {
  const fields = line.includes('=') ? line.split(',').map((f) => f.trim()) : [`type=registry`, `ref=${line}`];
  const attrs: [string, string][] = [];
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (eq <= 0 || !VALUE_RE.test(value)) fail(input, line, `expected key=value fields (${FORMS})`);
    if (attrs.some(([k]) => k === key)) fail(input, line, `the attribute ${key} is given twice`);
    attrs.push([key, value]);
  }
  const type = attrs.find(([k]) => k === 'type')?.[1] ?? 'registry';
  if (type !== 'registry' && type !== 'gha')
    fail(input, line, `type=${type} is not supported: the cache is type=registry or type=gha (${FORMS})`);
  const rest = attrs.filter(([k]) => k !== 'type');
  for (const [k] of rest) {
    if (!ALLOWED[type][input].includes(k)) {
      const why = k === 'token' || k === 'url' ? ' (the token and URL come from the runner, never from an input)' : '';
      fail(input, line, `${input} type=${type} takes ${ALLOWED[type][input].join(', ')}, not ${k}${why}`);
    }
  }
  if (type === 'gha') return { type, attrs: rest };
  const ref = rest.find(([k]) => k === 'ref')?.[1];
  if (!ref) fail(input, line, `type=registry needs ref=<registry>/<repository>`);
  const { repository, tag } = parseRef(input, line, ref);
  if (!nextToImage(repository, image)) {
    fail(
      input,
      line,
      `a registry cache must be next to the image ${image}: ${image}[:tag], ${image}-cache, ${image}-cache-<name> or ${image}/<name> (a cache elsewhere would let another repository's layers into this image)`,
    );
  }
  return { type, repository, tag, attrs: rest.filter(([k]) => k !== 'ref') };
}

/** cache-from / cache-to: the lines (blank lines and surrounding space ignored), each parsed. */
export function parseCacheInput(input: CacheDirection, raw: string, image: string): CacheEntry[] {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > 8) fail(input, `${lines.length} lines`, 'at most 8 caches');
  return lines.map((l) => parseCacheEntry(input, l, image));
}

/** The `--cache-from` / `--cache-to` values of docker buildx; a cache-to never fails the build unless ignore-error says so. */
export function buildxCacheFlags(cache: CacheSettings): { from: string[]; to: string[] } {
  const flag = (e: CacheEntry, to: boolean): string => {
    const attrs: (readonly [string, string])[] = [['type', e.type]];
    if (e.type === 'registry') attrs.push(['ref', e.tag ? `${e.repository}:${e.tag}` : e.repository]);
    attrs.push(...e.attrs);
    if (to && !e.attrs.some(([k]) => k === 'ignore-error')) attrs.push(['ignore-error', 'true']);
    return attrs.map(([k, v]) => `${k}=${v}`).join(',');
  };
  return { from: cache.from.map((e) => flag(e, false)), to: cache.to.map((e) => flag(e, true)) };
}

/**
 * buildah's `--cache-from` / `--cache-to` repositories. A gha cache is buildx's only: skipped with a
 * warning. A tagged ref, or the image's own repository, cannot be a buildah cache (InputError).
 */
export function buildahCacheRepos(
  cache: CacheSettings,
  image: string,
): { from: string[]; to: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const repos = (entries: readonly CacheEntry[], input: CacheDirection): string[] => {
    const out: string[] = [];
    for (const e of entries) {
      if (e.type === 'gha') {
        warnings.push(`${input}: type=gha is a docker buildx cache; buildah has none of its kind, so it is not used`);
        continue;
      }
      if (e.tag || e.repository === image) {
        throw new InputError(
          `Input "${input}": buildah keeps its layer cache as the tags of a whole repository (each tag is a cache key), so ${e.repository}${e.tag ? `:${e.tag}` : ''} cannot be one: give a repository without a tag next to the image, e.g. ${image}-cache`,
          input,
        );
      }
      if (!out.includes(e.repository)) out.push(e.repository);
    }
    return out;
  };
  return { from: repos(cache.from, 'cache-from'), to: repos(cache.to, 'cache-to'), warnings };
}
