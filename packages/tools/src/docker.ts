/**
 * Docker (buildx): daemon detection, argv builders and the parser of buildx's --metadata-file.
 *
 * - `docker info --format '{{json .ServerVersion}}'` answers only when a daemon does: that is the
 *   test `builder: auto` uses, together with `docker buildx version`.
 * - Login writes to a temporary DOCKER_CONFIG directory through stdin (`--password-stdin`).
 * - Positionals (the context) come after `--`; the context path is absolute.
 */
import { existsSync } from 'node:fs';
import type { CommandOptions, CommandRunner } from './command-runner.js';
import { releaseAtLeast } from './version-range.js';

export interface DockerBuildOptions {
  context: string;
  file: string;
  tags: readonly string[];
  labels: readonly (readonly [string, string])[];
  buildArgs: readonly (readonly [string, string])[];
  target?: string;
  platforms: readonly string[];
  /** push to the registry (true) or export an OCI archive to this path */
  output: { push: true } | { archive: string };
  metadataFile: string;
  /** buildx `--cache-from` values (type=registry,ref=… / type=gha,…) */
  cacheFrom?: readonly string[];
  /** buildx `--cache-to` values */
  cacheTo?: readonly string[];
}

export class Docker {
  readonly #runner: CommandRunner;
  readonly #bin: string;
  readonly #env: Record<string, string | undefined>;
  constructor(runner: CommandRunner, opts: { bin?: string; env?: Record<string, string | undefined> } = {}) {
    this.#runner = runner;
    this.#bin = opts.bin ?? 'docker';
    this.#env = opts.env ?? {};
  }

  static infoArgs(): string[] {
    return ['info', '--format', '{{json .ServerVersion}}'];
  }

  static buildxVersionArgs(): string[] {
    return ['buildx', 'version'];
  }

  /** `docker buildx version` → "github.com/docker/buildx v0.24.0 d0e5e86…" → "0.24.0". */
  static parseBuildxVersion(text: string): string | undefined {
    return /\bv?(\d+\.\d+\.\d+)\b/.exec(text)?.[1];
  }

  /** The metadata file needs buildx ≥ 0.6. */
  static versionSatisfies(version: string): boolean {
    return releaseAtLeast(version, '0.6.0');
  }

  static loginArgs(registry: string, username: string): string[] {
    return ['login', '--username', username, '--password-stdin', registry];
  }

  static buildArgs(o: DockerBuildOptions): string[] {
    const args = ['buildx', 'build', '--file', o.file, '--metadata-file', o.metadataFile, '--provenance=false'];
    for (const t of o.tags) args.push('--tag', t);
    for (const [k, v] of o.labels) args.push('--label', `${k}=${v}`);
    for (const [k, v] of o.buildArgs) args.push('--build-arg', `${k}=${v}`);
    if (o.target) args.push('--target', o.target);
    if (o.platforms.length) args.push('--platform', o.platforms.join(','));
    for (const c of o.cacheFrom ?? []) args.push('--cache-from', c);
    for (const c of o.cacheTo ?? []) args.push('--cache-to', c);
    if ('push' in o.output) args.push('--push');
    else args.push('--output', `type=oci,dest=${o.output.archive}`);
    args.push('--', o.context);
    return args;
  }

  /** The digest buildx recorded (`containerimage.digest`), if any. */
  static parseMetadata(json: string): { digest?: string; imageName?: string } {
    const m = JSON.parse(json) as Record<string, unknown>;
    const digest = typeof m['containerimage.digest'] === 'string' ? (m['containerimage.digest'] as string) : undefined;
    const imageName = typeof m['image.name'] === 'string' ? (m['image.name'] as string) : undefined;
    return { ...(digest ? { digest } : {}), ...(imageName ? { imageName } : {}) };
  }

  run(args: readonly string[], opts: CommandOptions = {}): ReturnType<CommandRunner['run']> {
    return this.#runner.run(this.#bin, args, { tool: 'docker', ...opts, env: { ...this.#env, ...opts.env } });
  }

  /**
   * Whether a daemon answers, and why not when it does not. Without DOCKER_HOST/DOCKER_CONTEXT and
   * without /var/run/docker.sock there is nothing to ask: no process is started.
   */
  async daemon(
    env: Readonly<Record<string, string | undefined>> = process.env,
    socket = '/var/run/docker.sock',
  ): Promise<{ ok: true; serverVersion: string; buildx: string } | { ok: false; reason: string }> {
    if (!env['DOCKER_HOST'] && !env['DOCKER_CONTEXT'] && !existsSync(socket)) {
      return { ok: false, reason: `no Docker daemon (no DOCKER_HOST, no DOCKER_CONTEXT, no ${socket})` };
    }
    try {
      const info = await this.run(Docker.infoArgs(), { timeoutMs: 15_000 });
      const serverVersion = String(JSON.parse(info.stdout.trim() || '""'));
      if (!serverVersion) return { ok: false, reason: 'docker info reported no server version' };
      const bx = await this.run(Docker.buildxVersionArgs(), { timeoutMs: 15_000 }).catch(() => undefined);
      const buildx = bx ? Docker.parseBuildxVersion(bx.stdout) : undefined;
      if (!buildx)
        return { ok: false, reason: `the Docker daemon ${serverVersion} answers but docker buildx is not installed` };
      if (!Docker.versionSatisfies(buildx))
        return { ok: false, reason: `docker buildx ${buildx} is too old (need 0.6 or later)` };
      return { ok: true, serverVersion, buildx };
    } catch (e) {
      const err = e as { details?: { stderrTail?: string }; message: string };
      const why = (err.details?.stderrTail || err.message).split('\n').filter(Boolean).pop() ?? 'no answer';
      return { ok: false, reason: `no Docker daemon answered (${why.trim()})` };
    }
  }
}
