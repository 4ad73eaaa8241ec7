/**
 * Buildah (daemonless builds) and skopeo (byte-exact copies of an OCI archive to a registry):
 * argv builders, parsers and the push-failure classifier.
 *
 * - Every path and image reference is a separate argv element, after the flags; a context path is
 *   always absolute, so nothing user-controlled can be read as a flag.
 * - Credentials never appear here: login writes a temporary auth file through stdin
 *   (`buildah login --password-stdin`) and every later call names that file (`--authfile`).
 * - TLS: `--cert-dir` (a directory whose *.crt files are extra CAs) for a private CA; insecure
 *   registries go through a generated registries.conf (CONTAINERS_REGISTRIES_CONF, read by buildah),
 *   so only the listed hosts lose verification; skopeo copy (which ignores that variable) gets
 *   `--dest-tls-verify=false` for its one destination, never a global switch.
 * - Our own loop retries pushes (bounded, with backoff), so the tools' internal retries are off
 *   (`--retry 0`, `--retry-times 0`) and the bound the user sets is the real one.
 */
import type { CommandOptions, CommandRunner } from './command-runner.js';
import { releaseAtLeast, releaseFromParts } from './version-range.js';

export interface BuildahVersion {
  version: string;
  major: number;
  minor: number;
  patch: number;
}

export interface BuildahBuildOptions {
  /** absolute path of the build context */
  context: string;
  /** absolute path of the Containerfile/Dockerfile */
  file: string;
  /** full references to tag the image with in local storage */
  tags: readonly string[];
  labels: ReadonlyMap<string, string> | readonly (readonly [string, string])[];
  buildArgs: ReadonlyMap<string, string> | readonly (readonly [string, string])[];
  target?: string;
  platform?: string;
  /** file the image ID is written to */
  iidFile: string;
  authFile?: string;
  certDir?: string;
  /** chroot (default), oci or rootless */
  isolation?: string;
  /** keep intermediate layers (default false: one build, no cache to fill; true with a registry cache) */
  layers?: boolean;
  /** registry repositories whose tags are cached layers to reuse (`--cache-from`, implies --layers) */
  cacheFrom?: readonly string[];
  /** the registry repository every built layer is pushed to as a cache (`--cache-to`, implies --layers) */
  cacheTo?: readonly string[];
  /** seconds since the epoch for every timestamp in the image, files included (a reproducible build) */
  timestamp?: number;
}

export interface BuildahPushOptions {
  /** false only for a registry the user listed as insecure (skopeo copy: the destination only) */
  tlsVerify?: boolean;
  authFile?: string;
  certDir?: string;
  digestFile?: string;
}

const pairs = (m: BuildahBuildOptions['labels']): (readonly [string, string])[] => [
  ...(m instanceof Map ? m.entries() : (m as readonly (readonly [string, string])[])),
];

export class Buildah {
  readonly #runner: CommandRunner;
  readonly #bin: string;
  readonly #env: Record<string, string | undefined>;
  constructor(runner: CommandRunner, opts: { bin?: string; env?: Record<string, string | undefined> } = {}) {
    this.#runner = runner;
    this.#bin = opts.bin ?? 'buildah';
    this.#env = opts.env ?? {};
  }

  static versionArgs(): string[] {
    return ['version', '--json'];
  }

  /** `buildah version --json` → the version (its "version" field). */
  static parseVersion(json: string): BuildahVersion {
    let v: unknown;
    try {
      v = (JSON.parse(json) as { version?: unknown }).version;
    } catch {
      throw new Error('buildah version --json printed something that is not JSON');
    }
    const m = typeof v === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(v) : null;
    if (!m) throw new Error(`buildah version --json has no usable "version" (${JSON.stringify(v)})`);
    return { version: v as string, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  }

  /** Features used here (--retry, --digestfile, --iidfile, COPY --chmod) exist from buildah 1.24. */
  static versionSatisfies(v: BuildahVersion, min = { major: 1, minor: 24 }): boolean {
    return releaseAtLeast(releaseFromParts(v.major, v.minor, v.patch), releaseFromParts(min.major, min.minor, 0));
  }

  static buildArgs(o: BuildahBuildOptions): string[] {
    const args = [
      'build',
      '--isolation',
      o.isolation ?? 'chroot',
      `--layers=${o.layers === true || Boolean(o.cacheFrom?.length) || Boolean(o.cacheTo?.length)}`,
      '--iidfile',
      o.iidFile,
      '-f',
      o.file,
    ];
    for (const t of o.tags) args.push('--tag', t);
    for (const [k, v] of pairs(o.labels)) args.push('--label', `${k}=${v}`);
    for (const [k, v] of pairs(o.buildArgs)) args.push('--build-arg', `${k}=${v}`);
    if (o.target) args.push('--target', o.target);
    if (o.platform) args.push('--platform', o.platform);
    if (o.authFile) args.push('--authfile', o.authFile);
    if (o.certDir) args.push('--cert-dir', o.certDir);
    if (o.timestamp !== undefined) args.push('--timestamp', String(o.timestamp));
    for (const r of o.cacheFrom ?? []) args.push('--cache-from', r);
    for (const r of o.cacheTo ?? []) args.push('--cache-to', r);
    args.push('--retry', '2', '--', o.context);
    return args;
  }

  /** Push a local image to `docker://<ref>` (or any transport:destination given as `dest`). */
  static pushArgs(image: string, dest: string, o: BuildahPushOptions = {}): string[] {
    const args = ['push', '--retry', '0'];
    if (o.authFile) args.push('--authfile', o.authFile);
    if (o.certDir) args.push('--cert-dir', o.certDir);
    if (o.digestFile) args.push('--digestfile', o.digestFile);
    args.push('--', image, dest);
    return args;
  }

  /** `buildah login` reading the password from stdin into `authFile`. */
  static loginArgs(registry: string, username: string, authFile: string, certDir?: string): string[] {
    const args = ['login', '--authfile', authFile, '--username', username, '--password-stdin'];
    if (certDir) args.push('--cert-dir', certDir);
    args.push('--', registry);
    return args;
  }

  run(args: readonly string[], opts: CommandOptions = {}): ReturnType<CommandRunner['run']> {
    return this.#runner.run(this.#bin, args, { tool: 'buildah', ...opts, env: { ...this.#env, ...opts.env } });
  }

  async version(): Promise<BuildahVersion> {
    const r = await this.run(Buildah.versionArgs(), { timeoutMs: 30_000 });
    return Buildah.parseVersion(r.stdout);
  }
}

export class Skopeo {
  readonly #runner: CommandRunner;
  readonly #bin: string;
  readonly #env: Record<string, string | undefined>;
  constructor(runner: CommandRunner, opts: { bin?: string; env?: Record<string, string | undefined> } = {}) {
    this.#runner = runner;
    this.#bin = opts.bin ?? 'skopeo';
    this.#env = opts.env ?? {};
  }

  static versionArgs(): string[] {
    return ['--version'];
  }

  /** `skopeo --version` → "skopeo version 1.9.3" (possibly followed by "commit: …"). */
  static parseVersion(text: string): BuildahVersion {
    const m = /skopeo version (\d+)\.(\d+)\.(\d+)/.exec(text);
    if (!m) throw new Error(`unexpected skopeo --version output: ${JSON.stringify(text.slice(0, 100))}`);
    return { version: `${m[1]}.${m[2]}.${m[3]}`, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  }

  /** --preserve-digests exists from skopeo 1.6. */
  static versionSatisfies(v: BuildahVersion): boolean {
    return releaseAtLeast(releaseFromParts(v.major, v.minor, v.patch), '1.6.0');
  }

  /**
   * Copy an OCI archive to `docker://<ref>` byte for byte: `--preserve-digests` refuses any change
   * (recompression, format conversion) that would alter the manifest digest.
   */
  static copyArchiveArgs(archive: string, ref: string, o: BuildahPushOptions = {}): string[] {
    const args = ['copy', '--preserve-digests', '--retry-times', '0'];
    if (o.tlsVerify === false) args.push('--dest-tls-verify=false');
    if (o.authFile) args.push('--dest-authfile', o.authFile);
    if (o.certDir) args.push('--dest-cert-dir', o.certDir);
    if (o.digestFile) args.push('--digestfile', o.digestFile);
    args.push('--', `oci-archive:${archive}`, `docker://${ref}`);
    return args;
  }

  run(args: readonly string[], opts: CommandOptions = {}): ReturnType<CommandRunner['run']> {
    return this.#runner.run(this.#bin, args, { tool: 'skopeo', ...opts, env: { ...this.#env, ...opts.env } });
  }

  async version(): Promise<BuildahVersion> {
    const r = await this.run(Skopeo.versionArgs(), { timeoutMs: 30_000 });
    return Skopeo.parseVersion(r.stdout);
  }
}

export type PushFailure = 'transient' | 'permanent';

/**
 * Classifies a failed push from containers/image's error text (buildah and skopeo share it):
 * 5xx, 429, resets, EOFs and timeouts are transient; anything else (401/403, a rejected tag, a
 * manifest the registry refuses) is permanent.
 */
export function classifyPushFailure(stderr: string): PushFailure {
  const transient = [
    /\b(500|502|503|504)\b/,
    /\b429\b|too many requests|toomanyrequests/i,
    /service unavailable|bad gateway|gateway time-?out|internal server error/i,
    /connection reset by peer|broken pipe|unexpected EOF|: EOF\b|\bEOF$/im,
    /i\/o timeout|TLS handshake timeout|context deadline exceeded|timeout awaiting response/i,
    /connection refused/i,
  ];
  return transient.some((re) => re.test(stderr)) ? 'transient' : 'permanent';
}
