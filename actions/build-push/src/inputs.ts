import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, REPOSITORY_RE, SHA256_DIGEST_RE, TAG_RE, type ActionContext } from '@polyglot-cd/action-kit';
import { buildahCacheRepos, parseCacheInput, type CacheSettings } from './cache.js';

export const BUILDERS = ['auto', 'docker', 'buildah'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];

export interface BuildPushInputs {
  /** registry/repository, lower-case, no tag */
  image: string;
  /** host[:port] of the image's registry */
  imageRegistry: string;
  /** absolute path (unused with fromArchive) */
  context: string;
  /** absolute path of the Containerfile/Dockerfile (unused with fromArchive) */
  file: string;
  builder: BuilderChoice;
  extraTags: readonly string[];
  latest: boolean;
  labels: ReadonlyMap<string, string>;
  buildArgs: ReadonlyMap<string, string>;
  target: string;
  platforms: readonly string[];
  push: boolean;
  /** absolute path of an OCI archive to push instead of building */
  fromArchive: string;
  /** sha256:<64 hex> the archive's manifest digest must be (trivy-gate's digest output); '' = not given */
  expectedDigest: string;
  /** login: registry host, username, password (masked); all '' without login */
  registry: string;
  username: string;
  password: string;
  /** SOURCE_DATE_EPOCH from the environment (reproducible-builds.org): image timestamps, seconds */
  sourceDateEpoch: number | undefined;
  caFile: string;
  insecureRegistries: readonly string[];
  pushAttempts: number;
  /** the layer cache (cache-from / cache-to), each entry next to the image */
  cache: CacheSettings;
}

const HOSTPORT_RE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;
const BUILD_ARG_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;
const TARGET_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

function tagProblem(tag: string): string | undefined {
  if (tag.length > 128) return `it is ${tag.length} characters long (at most 128)`;
  if (tag.startsWith('-') || tag.startsWith('.'))
    return 'it starts with "-" or "." (a tag starts with a letter, digit or _)';
  if (/\s/.test(tag)) return 'it contains whitespace';
  if (tag.includes('/')) return 'it contains "/" (a tag has letters, digits, _ . and - only)';
  if (!TAG_RE.test(tag)) return 'it has characters outside letters, digits, _ . and -';
  return undefined;
}

type Raw = ActionContext['inputs'];

/** registry/repository without tag or digest; the host lower-cased. */
function readImage(inputs: Raw): { image: string; host: string } {
  const rawImage = inputs.required('image', {
    hint: 'Give the registry and repository without a tag, e.g. image: ghcr.io/my-org/shop.',
  });
  if (/[@]/.test(rawImage) || /:[^/]*$/.test(rawImage.replace(/^[^/]*\//, ''))) {
    inputs.fail(
      'image',
      rawImage,
      'expected registry/repository without a tag or digest (tags come from the Git context and the tags input)',
    );
  }
  const slash = rawImage.indexOf('/');
  const host = slash > 0 ? rawImage.slice(0, slash) : '';
  if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost') || !HOSTPORT_RE.test(host)) {
    inputs.fail(
      'image',
      rawImage,
      'expected registry/repository, starting with the registry host (e.g. ghcr.io/my-org/shop or registry.example.com:5000/team/app)',
    );
  }
  const path = rawImage.slice(slash + 1);
  if (path !== path.toLowerCase()) {
    inputs.fail(
      'image',
      rawImage,
      `repository names must be lower-case (OCI distribution spec), e.g. ${host.toLowerCase()}/${path.toLowerCase()}`,
    );
  }
  const image = `${host.toLowerCase()}/${path}`;
  if (!REPOSITORY_RE.test(image)) {
    inputs.fail(
      'image',
      rawImage,
      'the repository must follow the OCI grammar: lower-case letters and digits separated by . _ __ - or /',
    );
  }
  return { image, host: host.toLowerCase() };
}

/** What is pushed: an archive (from-archive), or a build of context and file. */
function readSource(
  inputs: Raw,
  workspace: string,
): Pick<BuildPushInputs, 'fromArchive' | 'push' | 'context' | 'file'> {
  const fromArchiveRaw = inputs.optional('from-archive');
  const push = inputs.bool('push', true);
  let fromArchive = '';
  if (fromArchiveRaw) {
    fromArchive = isAbsolute(fromArchiveRaw) ? fromArchiveRaw : resolve(workspace, fromArchiveRaw);
    if (!existsSync(fromArchive) || !statSync(fromArchive).isFile()) {
      inputs.fail(
        'from-archive',
        fromArchiveRaw,
        'no such file: expected the archive output of an earlier build-push step with push: false',
      );
    }
    if (!push) inputs.fail('push', 'false', 'from-archive pushes an archive: push must be true');
  }
  const contextRaw = inputs.optional('context', '.');
  const context = isAbsolute(contextRaw) ? contextRaw : resolve(workspace, contextRaw);
  const fileRaw = inputs.optional('file');
  let file = '';
  if (!fromArchive) {
    if (!existsSync(context) || !statSync(context).isDirectory())
      inputs.fail('context', contextRaw, `no such directory (${context})`);
    if (fileRaw) {
      file = isAbsolute(fileRaw) ? fileRaw : resolve(workspace, fileRaw);
      if (!existsSync(file) || !statSync(file).isFile()) inputs.fail('file', fileRaw, `no such file (${file})`);
    } else {
      file = ['Containerfile', 'Dockerfile'].map((f) => join(context, f)).find((f) => existsSync(f)) ?? '';
      if (!file)
        inputs.fail('file', '', `no Containerfile or Dockerfile in the context ${context}; set file: to its path`);
    }
  }
  return { fromArchive, push, context, file };
}

/** expected-digest: what the archive must be (the digest trivy-gate scanned), only with from-archive. */
function readExpectedDigest(inputs: Raw, fromArchive: string): string {
  const expected = inputs.optional('expected-digest');
  if (!expected) return '';
  if (!fromArchive) {
    inputs.fail(
      'expected-digest',
      expected,
      "only allowed with from-archive: it is the digest the archive must have (trivy-gate's digest output of the scan of that archive)",
    );
  }
  if (!SHA256_DIGEST_RE.test(expected)) {
    inputs.fail(
      'expected-digest',
      expected,
      "expected a manifest digest, sha256:<64 lower-case hex> (trivy-gate's digest output)",
    );
  }
  return expected;
}

/** How the image is built and tagged. */
function readBuild(
  inputs: Raw,
): Pick<BuildPushInputs, 'builder' | 'extraTags' | 'latest' | 'labels' | 'buildArgs' | 'target' | 'platforms'> {
  const builder = inputs.oneOf('builder', BUILDERS, 'auto');
  const extraTags = inputs.list('tags');
  for (const t of extraTags) {
    const problem = tagProblem(t);
    if (problem) inputs.fail('tags', t, `not a valid OCI tag: ${problem}`);
  }
  const latest = inputs.bool('latest', false);
  const labels = inputs.keyValues('labels', {
    keyPattern: LABEL_KEY_RE,
    keyAllowed: 'letters, digits and . _ / - (e.g. org.opencontainers.image.description)',
  });
  const buildArgs = inputs.keyValues('build-args', {
    keyPattern: BUILD_ARG_KEY_RE,
    keyAllowed: 'a build argument name: letters, digits and _, not starting with a digit',
  });
  const target = inputs.matching(
    'target',
    TARGET_RE,
    'expected a build stage name (letters, digits, _ . -; not starting with - or .)',
  );
  const platforms = inputs.list('platforms');
  for (const p of platforms)
    if (!PLATFORM_RE.test(p))
      inputs.fail('platforms', p, 'expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8');
  if (platforms.length > 1 && builder === 'buildah') {
    inputs.fail(
      'platforms',
      platforms.join(','),
      'buildah builds one platform per run here; use builder: docker (buildx) for a multi-platform image',
    );
  }
  return {
    builder,
    extraTags: Object.freeze(extraTags),
    latest,
    labels,
    buildArgs,
    target,
    platforms: Object.freeze(platforms),
  };
}

/** The login: username and password together, to the image's own registry. The password is masked at read. */
function readLogin(inputs: Raw, host: string): Pick<BuildPushInputs, 'registry' | 'username' | 'password'> {
  const username = inputs.optional('username');
  const password = inputs.optional('password', '', { secret: true });
  if (username && !password)
    inputs.fail('password', '', 'a username was given without a password (pass it from a secret)');
  if (password && !username) inputs.fail('username', '', 'a password was given without a username');
  const registryRaw = inputs.optional('registry');
  if (registryRaw && !HOSTPORT_RE.test(registryRaw))
    inputs.fail('registry', registryRaw, 'expected a registry host[:port] without scheme or path, e.g. ghcr.io');
  const registry = username ? (registryRaw || host).toLowerCase() : '';
  if (registry && registry !== host) {
    inputs.fail(
      'registry',
      registryRaw,
      `the login registry must be the image's registry (${host}); log in to other registries in an earlier step`,
    );
  }
  return { registry, username, password };
}

/** How the registry is reached: a private CA, insecure hosts, push attempts. */
function readTransport(
  inputs: Raw,
  workspace: string,
): Pick<BuildPushInputs, 'caFile' | 'insecureRegistries' | 'pushAttempts'> {
  const caFileRaw = inputs.optional('ca-file');
  let caFile = '';
  if (caFileRaw) {
    caFile = isAbsolute(caFileRaw) ? caFileRaw : resolve(workspace, caFileRaw);
    let text = '';
    try {
      text = readFileSync(caFile, 'utf8');
    } catch {
      inputs.fail('ca-file', caFileRaw, `cannot read ${caFile}`);
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      inputs.fail('ca-file', caFileRaw, 'expected a PEM file with at least one CERTIFICATE block');
  }
  const insecureRegistries = inputs.list('insecure-registries').map((h) => h.toLowerCase());
  for (const h of insecureRegistries)
    if (!HOSTPORT_RE.test(h))
      inputs.fail('insecure-registries', h, 'expected registry host[:port] entries, e.g. registry.local:5000');
  const pushAttempts = inputs.int('push-attempts', { default: 5, min: 1, max: 10 });
  return { caFile, insecureRegistries: Object.freeze(insecureRegistries), pushAttempts };
}

/** cache-from / cache-to: read with the image they must be next to; nothing to cache when an archive is pushed. */
function readCache(inputs: Raw, image: string, fromArchive: string, builder: BuilderChoice): CacheSettings {
  const cache: CacheSettings = {
    from: Object.freeze(parseCacheInput('cache-from', inputs.optional('cache-from'), image)),
    to: Object.freeze(parseCacheInput('cache-to', inputs.optional('cache-to'), image)),
  };
  if (fromArchive && (cache.from.length || cache.to.length)) {
    const name = cache.from.length ? 'cache-from' : 'cache-to';
    inputs.fail(
      name,
      inputs.optional(name),
      'from-archive pushes an archive and builds nothing: leave the cache inputs empty',
    );
  }
  // builder: buildah is known now: a cache it cannot use is refused before anything runs
  if (builder === 'buildah') buildahCacheRepos(cache, image);
  return Object.freeze(cache);
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org), whole seconds, when set. */
function sourceDateEpoch(env: ActionContext['env']): number | undefined {
  const epochRaw = (env['SOURCE_DATE_EPOCH'] ?? '').trim();
  if (epochRaw && !/^\d{1,11}$/.test(epochRaw)) {
    throw new InputError(
      `SOURCE_DATE_EPOCH is ${JSON.stringify(epochRaw.slice(0, 40))}: expected whole seconds since 1970 (e.g. the commit time, git log -1 --format=%ct)`,
    );
  }
  return epochRaw ? Number(epochRaw) : undefined;
}

/** Reads and validates every input before any side effect. The password is masked at read. */
export function getInputs(ctx: ActionContext): Readonly<BuildPushInputs> {
  const { inputs, env } = ctx;
  const { image, host } = readImage(inputs);
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const source = readSource(inputs, workspace);
  const build = readBuild(inputs);
  const login = readLogin(inputs, host);
  const transport = readTransport(inputs, workspace);
  return Object.freeze({
    image,
    imageRegistry: host,
    ...source,
    expectedDigest: readExpectedDigest(inputs, source.fromArchive),
    ...build,
    ...login,
    ...transport,
    cache: readCache(inputs, image, source.fromArchive, build.builder),
    sourceDateEpoch: sourceDateEpoch(env),
  });
}
