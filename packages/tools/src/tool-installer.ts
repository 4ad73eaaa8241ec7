/**
 * ensureTool(name, version): a pinned, verified binary, found in this order:
 *   0. `POLYGLOT_CD_<TOOL>_BIN` names a binary explicitly (baked into a runner image): used as-is,
 *      with a notice and no hash check;
 *   1. a binary on PATH, only if its SHA-256 is the manifest's for this version (so its version is
 *      the pinned one);
 *   2. the runner tool cache (`$RUNNER_TOOL_CACHE/<tool>/<version>/<platform>`, the layout of
 *      @actions/tool-cache), checked against the committed pin in every job that uses it: the binary's
 *      own SHA-256 where the manifest has one; otherwise the cached archive's SHA-256, and the binary
 *      is taken again from that verified archive into a folder of this job (`RUNNER_TEMP`). A binary
 *      that only sits in the cache is never run. A cache hit makes no network call;
 *   3. a download from the base URL (input, `POLYGLOT_CD_TOOLS_BASE_URL`, or the upstream default),
 *      verified against the committed manifest before it is extracted, cached or run.
 * Whoever can write the tool cache (other jobs of a self-hosted runner, a previous workflow) can plant
 * files there, so nothing in it is trusted without a check made in this job.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  type BigIntStats,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { InputError, ToolError, type Env, type Logger, type Secrets } from '@polyglot-cd/action-kit';
import { CommandRunner } from './command-runner.js';
import { retryableStatus } from './retry.js';
import { manifest as defaultManifest } from './manifest.js';

// node:fs/promises (and node:stream/promises, for downloads) load on first use: a binary named by
// POLYGLOT_CD_<TOOL>_BIN needs neither, and loading them costs more than the rest of that path.
const fsp = (): typeof import('node:fs/promises') => process.getBuiltinModule('node:fs/promises');

export interface PlatformFile {
  file: string;
  format: 'tar.gz' | 'binary';
  pathInArchive?: string;
  sha256: string;
  binarySha256?: string;
}

export interface ToolSpec {
  binary: string;
  defaultVersion: string;
  defaultBaseUrl: string;
  versionArgs?: string[];
  source?: string;
  /** versions that must never run, with the reason */
  refused?: Record<string, string>;
  versions: Record<string, Record<string, PlatformFile>>;
}

export interface ToolManifest {
  tools: Record<string, ToolSpec>;
}

export type ToolSource = 'env' | 'path' | 'cache' | 'download';

export interface InstalledTool {
  name: string;
  version: string;
  path: string;
  source: ToolSource;
}

export interface DownloadRetry {
  attempts: number;
  baseDelayMs: number;
}

export interface EnsureToolOptions {
  log: Logger;
  secrets: Secrets;
  /** environment to read PATH, RUNNER_TOOL_CACHE, RUNNER_TEMP and POLYGLOT_CD_* from (default process.env) */
  env?: Env;
  /** mirror base URL; wins over POLYGLOT_CD_TOOLS_BASE_URL and the manifest default */
  baseUrl?: string;
  manifest?: ToolManifest;
  /** e.g. linux-amd64 (default: this machine) */
  platform?: string;
  retry?: DownloadRetry;
  /** per-request timeout */
  requestTimeoutMs?: number;
}

export function currentPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}-${arch}`;
}

export function binEnvName(tool: string): string {
  return `POLYGLOT_CD_${tool.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BIN`;
}

/**
 * SHA-256 of a file. Two 1 MiB buffers: the next read runs on the thread pool while this chunk is
 * hashed. (A stream pipeline with the default 64 KiB chunks made verifying a 45 MB helm take
 * 100-140 ms, mostly waiting between reads; this takes 30-40 ms.)
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await fsp().open(path, 'r');
  try {
    const size = 1 << 20;
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    let next = 0;
    let reading = fh.read(buffers[next]!, 0, size, null);
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) break;
      next ^= 1;
      reading = fh.read(buffers[next]!, 0, size, null);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/**
 * Verified once per file per job, not once per step. After a file's SHA-256 matched its pin, a stamp in
 * the job's own temporary folder (`$RUNNER_TEMP/polyglot-cd-verified/`, 0700, stamps 0600) records the
 * file's device, inode, size, modification and change times (nanoseconds). A later step of the same job
 * whose stat of the same path gives the same five values uses it without reading its 45-100 MB again:
 * any write, truncation, chmod or replacement of the file changes its change time or inode, and the
 * kernel sets the change time (a user cannot set it back). A stamp is written only when the file's stat
 * was the same before and after hashing, and only for the pinned hash; anything that does not match
 * exactly means hashing again. Stamps never live in the tool cache: the runner empties RUNNER_TEMP for
 * every job, so only this job can have written them, and a stamp planted by another job or workflow is
 * never read. Without RUNNER_TEMP nothing is stamped and every step hashes.
 */
interface VerifiedStamp {
  path: string;
  sha256: string;
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

function stampOf(path: string, sha256: string, st: BigIntStats): VerifiedStamp {
  return {
    path,
    sha256,
    dev: String(st.dev),
    ino: String(st.ino),
    size: String(st.size),
    mtimeNs: String(st.mtimeNs),
    ctimeNs: String(st.ctimeNs),
  };
}

function sameStamp(a: VerifiedStamp, b: VerifiedStamp): boolean {
  return (
    a.path === b.path &&
    a.sha256 === b.sha256 &&
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}

function stampPath(env: Env, path: string): string | undefined {
  const root = env['RUNNER_TEMP'];
  return root
    ? join(root, 'polyglot-cd-verified', `${createHash('sha256').update(path).digest('hex').slice(0, 40)}.json`)
    : undefined;
}

/**
 * Whether `path` has the SHA-256 `want`: from a matching stamp, or by hashing it (then stamping it).
 * Returns the hash it found ('' for an unreadable file) and whether the stamp answered.
 */
export async function verifySha256(
  path: string,
  want: string,
  env: Env,
): Promise<{ ok: boolean; got: string; stamped: boolean }> {
  const before = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (!before?.isFile()) return { ok: false, got: '', stamped: false };
  const file = stampPath(env, path);
  if (file) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as VerifiedStamp;
      if (sameStamp(stored, stampOf(path, want, before))) return { ok: true, got: want, stamped: true };
    } catch {
      // no stamp, or an unreadable one: hash
    }
  }
  const got = await sha256File(path);
  if (got === want && file) {
    const after = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (after && sameStamp(stampOf(path, want, after), stampOf(path, want, before))) {
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(stampOf(path, want, after)), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        // a read-only tool cache: the next step hashes again
      }
    }
  }
  return { ok: got === want, got, stamped: false };
}

/** Resolves the manifest entry for a tool version and platform; refuses unknown or refused versions. */
export function resolveToolFile(
  manifest: ToolManifest,
  name: string,
  version: string,
  platform: string,
): { spec: ToolSpec; entry: PlatformFile } {
  const spec = manifest.tools[name];
  if (!spec)
    throw new InputError(
      `No tool named "${name}" in the tool manifest; known: ${Object.keys(manifest.tools).join(', ')}`,
    );
  const v = version.replace(/^v/, '');
  const refusal = spec.refused?.[v];
  if (refusal) throw new InputError(`${name} ${v} is refused: ${refusal}. Pin another version.`);
  const byPlatform = spec.versions[v];
  if (!byPlatform) {
    throw new InputError(
      `${name} version "${version}" is not pinned in the tool manifest (pinned: ${Object.keys(spec.versions).join(', ')}); only versions with a recorded SHA-256 can be installed`,
    );
  }
  const entry = byPlatform[platform];
  if (!entry) {
    throw new InputError(
      `${name} ${v} has no pinned build for platform ${platform} (pinned platforms: ${Object.keys(byPlatform).join(', ')})`,
    );
  }
  return { spec, entry };
}

function toolCacheDir(env: Env, name: string, version: string, platform: string): string | undefined {
  const root = env['RUNNER_TOOL_CACHE'];
  return root ? join(root, name, version, platform) : undefined;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

export async function ensureTool(name: string, version: string, opts: EnsureToolOptions): Promise<InstalledTool> {
  const env = opts.env ?? process.env;
  const log = opts.log;
  const manifest = opts.manifest ?? defaultManifest;
  const platform = opts.platform ?? currentPlatform();
  const v = version.replace(/^v/, '');

  const explicit = env[binEnvName(name)];
  if (explicit) {
    if (!isFile(explicit)) {
      throw new InputError(`${binEnvName(name)} is set to ${explicit}, which is not a file`);
    }
    log.notice(`Using ${name} from ${binEnvName(name)}=${explicit} as-is (no version or hash check)`);
    return { name, version: v, path: explicit, source: 'env' };
  }

  const { spec, entry } = resolveToolFile(manifest, name, v, platform);

  // 1. PATH, only with the pinned binary's hash
  const onPath = await fromPath(name, v, spec, entry, env, log);
  if (onPath) return onPath;

  // 2. tool cache: checked against the pin in this job
  const cacheDir = toolCacheDir(env, name, v, platform);
  if (cacheDir && existsSync(`${cacheDir}.complete`)) {
    const hit = await fromToolCache(name, v, spec, entry, cacheDir, opts, env);
    if (hit) return hit;
  }

  // 3. download, verify, extract, cache
  return downloadTool({ name, v, platform, spec, entry, cacheDir, opts, env });
}

/** The pinned binary on PATH (its SHA-256 is the manifest's), or undefined; only for tools with a binary pin. */
async function fromPath(
  name: string,
  v: string,
  spec: ToolSpec,
  entry: PlatformFile,
  env: Env,
  log: Logger,
): Promise<InstalledTool | undefined> {
  if (!entry.binarySha256) return undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, spec.binary);
    if (!isFile(candidate)) continue;
    const check = await verifySha256(candidate, entry.binarySha256, env);
    if (check.ok) {
      log.info(
        `Using ${name} ${v} found on PATH at ${candidate} (SHA-256 verified${check.stamped ? ' earlier in this job; the file is unchanged since' : ''})`,
      );
      return { name, version: v, path: candidate, source: 'path' };
    }
    log.debug(`Ignoring ${candidate}: not the pinned ${name} ${v} build (sha256 ${check.got})`);
  }
  return undefined;
}

/** One tool build to download: what ensureTool resolved for it. */
interface DownloadJob {
  name: string;
  v: string;
  platform: string;
  spec: ToolSpec;
  entry: PlatformFile;
  cacheDir: string | undefined;
  opts: EnsureToolOptions;
  env: Env;
}

/** Downloads the pinned file, verifies it (and the binary in it), then caches it or keeps it for this job. */
async function downloadTool(job: DownloadJob): Promise<InstalledTool> {
  const { name, v, platform, spec, entry, cacheDir, opts, env } = job;
  const log = opts.log;
  const base = (opts.baseUrl || env['POLYGLOT_CD_TOOLS_BASE_URL'] || spec.defaultBaseUrl).replace(/\/+$/, '');
  const url = `${base}/${entry.file}`;
  const temp = env['RUNNER_TEMP'] || (await import('node:os')).tmpdir();
  const work = join(temp, `polyglot-cd-${name}-${randomUUID()}`);
  await fsp().mkdir(work, { recursive: true, mode: 0o700 });
  try {
    const downloaded = join(work, 'download');
    await download(url, downloaded, opts, name, v, cacheDir);
    const got = await sha256File(downloaded);
    if (got !== entry.sha256) {
      throw new ToolError(
        `SHA-256 mismatch for ${name} ${v} (${platform}) downloaded from ${url}: expected ${entry.sha256}, got ${got}. The file was deleted and not run. Check the mirror for tampering or corruption.`,
        { tool: name, argv: [url], exitCode: null, stderrTail: '' },
      );
    }
    const staged = join(work, 'bin');
    await fsp().mkdir(staged, { recursive: true });
    const binPath = await takeBinary(downloaded, spec, entry, staged, opts, env);
    if (entry.binarySha256) {
      const binHash = await sha256File(binPath);
      if (binHash !== entry.binarySha256) {
        throw new ToolError(
          `SHA-256 mismatch for the ${name} binary inside ${entry.file}: expected ${entry.binarySha256}, got ${binHash}`,
          { tool: name, argv: [url], exitCode: null, stderrTail: '' },
        );
      }
    }
    // the verified download stays beside the binary: a later job re-checks it against the pin
    await fsp().rename(downloaded, join(staged, cachedFileName(entry)));
    if (!cacheDir) {
      log.info(
        `Installed ${name} ${v} from ${base} (SHA-256 verified; RUNNER_TOOL_CACHE is not set, so it is not cached)`,
      );
      const keep = join(temp, `polyglot-cd-${name}-${v}-${randomUUID()}`);
      await fsp().rename(staged, keep);
      return { name, version: v, path: join(keep, spec.binary), source: 'download' };
    }
    return await installIntoCache(job, staged, base);
  } finally {
    await fsp().rm(work, { recursive: true, force: true });
  }
}

/** Moves a verified, staged install into the tool cache; the path this job runs. */
async function installIntoCache(job: DownloadJob, staged: string, base: string): Promise<InstalledTool> {
  const { name, v, spec, entry, opts, env } = job;
  const cacheDir = job.cacheDir as string;
  await fsp().rm(cacheDir, { recursive: true, force: true });
  await fsp().mkdir(join(cacheDir, '..'), { recursive: true });
  await fsp().rename(staged, cacheDir);
  await fsp().writeFile(`${cacheDir}.complete`, '');
  opts.log.info(`Installed ${name} ${v} from ${base} (SHA-256 verified) into the tool cache`);
  if (entry.binarySha256) return { name, version: v, path: join(cacheDir, spec.binary), source: 'download' };
  // no pin for the binary itself: this job runs the copy it extracted, never the cache's
  const path = await extractForJob(name, v, spec, entry, join(cacheDir, cachedFileName(entry)), opts, env);
  return { name, version: v, path, source: 'download' };
}

/** The name the verified download keeps in the tool cache, beside the binary. */
function cachedFileName(entry: PlatformFile): string {
  return `download.${entry.format === 'binary' ? 'bin' : entry.format}`;
}

/**
 * A tool-cache hit, or undefined (the caller downloads again). With a pin for the binary, the cached
 * binary's hash must match it. Without one, the cached download must match the archive's pin, and the
 * binary is extracted again from it into this job's temporary folder: the cache's own copy of the
 * binary, which anyone who can write the cache could have replaced, is never run.
 */
async function fromToolCache(
  name: string,
  v: string,
  spec: ToolSpec,
  entry: PlatformFile,
  cacheDir: string,
  opts: EnsureToolOptions,
  env: Env,
): Promise<InstalledTool | undefined> {
  const log = opts.log;
  if (entry.binarySha256) {
    const cached = join(cacheDir, spec.binary);
    if (!isFile(cached)) return undefined;
    const check = await verifySha256(cached, entry.binarySha256, env);
    if (check.ok) {
      log.info(
        `Using ${name} ${v} from the tool cache (${cacheDir}; SHA-256 of the binary verified${check.stamped ? ' earlier in this job, the file is unchanged since' : ''})`,
      );
      return { name, version: v, path: cached, source: 'cache' };
    }
    log.warning(
      `The cached ${name} ${v} at ${cached} does not match its pinned SHA-256: ignoring it and downloading again`,
    );
    return undefined;
  }
  const archive = join(cacheDir, cachedFileName(entry));
  if (!isFile(archive)) {
    log.info(
      `The tool cache has ${name} ${v} without its verified download (${archive}): downloading again, since the binary alone cannot be checked against a pin`,
    );
    return undefined;
  }
  const check = await verifySha256(archive, entry.sha256, env);
  if (!check.ok) {
    log.warning(
      `The cached download of ${name} ${v} at ${archive} does not match its pinned SHA-256: ignoring it and downloading again`,
    );
    return undefined;
  }
  const path = await extractForJob(name, v, spec, entry, archive, opts, env);
  log.info(
    `Using ${name} ${v} from the tool cache (${cacheDir}; the archive's SHA-256 verified${check.stamped ? ' earlier in this job' : ''}, the binary taken from it into this job's ${path})`,
  );
  return { name, version: v, path, source: 'cache' };
}

/**
 * The binary of a verified download as `<dir>/<binary>` (0755): the download itself for a raw binary,
 * else the one archive member `pathInArchive` (tar, no owners, `--` before the member name).
 */
async function takeBinary(
  download: string,
  spec: ToolSpec,
  entry: PlatformFile,
  dir: string,
  opts: EnsureToolOptions,
  env: Env,
): Promise<string> {
  const binPath = join(dir, spec.binary);
  if (entry.format === 'binary') {
    await fsp().copyFile(download, binPath);
  } else {
    const runner = new CommandRunner({ log: opts.log, secrets: opts.secrets, env });
    const extractDir = await fsp().mkdtemp(join(dir, '.x-'));
    const member = entry.pathInArchive ?? spec.binary;
    await runner.run('tar', ['-xzf', download, '-C', extractDir, '--no-same-owner', '--', member], { tool: 'tar' });
    await fsp().rename(join(extractDir, member), binPath);
    await fsp().rm(extractDir, { recursive: true, force: true });
  }
  await fsp().chmod(binPath, 0o755);
  return binPath;
}

/**
 * Takes the binary out of a verified download into `$RUNNER_TEMP/polyglot-cd-tools/<tool>-<version>/`
 * (0700), once per job: a later step of the job reuses that copy while its stamp (stat at extraction)
 * still matches, and extracts again otherwise.
 */
async function extractForJob(
  name: string,
  v: string,
  spec: ToolSpec,
  entry: PlatformFile,
  archive: string,
  opts: EnsureToolOptions,
  env: Env,
): Promise<string> {
  const temp = env['RUNNER_TEMP'] || (await import('node:os')).tmpdir();
  const root = join(temp, 'polyglot-cd-tools');
  await fsp().mkdir(root, { recursive: true, mode: 0o700 });
  await fsp().chmod(root, 0o700);
  const dir = join(root, `${name}-${v}`);
  const binPath = join(dir, spec.binary);
  const stamp = jobExtractStamp(env, binPath);
  if (stamp && isFile(binPath)) {
    const st = statSync(binPath, { bigint: true });
    try {
      const stored = JSON.parse(readFileSync(stamp, 'utf8')) as VerifiedStamp;
      if (sameStamp(stored, stampOf(binPath, `extracted:${entry.sha256}`, st))) return binPath;
    } catch {
      // no stamp yet: extract
    }
  }
  await fsp().rm(dir, { recursive: true, force: true });
  const work = await fsp().mkdtemp(join(root, `.${name}-`));
  try {
    await takeBinary(archive, spec, entry, work, opts, env);
    await fsp().rename(work, dir);
  } catch (err) {
    await fsp().rm(work, { recursive: true, force: true });
    throw err;
  }
  if (stamp) {
    mkdirSync(dirname(stamp), { recursive: true, mode: 0o700 });
    writeFileSync(
      stamp,
      JSON.stringify(stampOf(binPath, `extracted:${entry.sha256}`, statSync(binPath, { bigint: true }))),
      { mode: 0o600 },
    );
  }
  return binPath;
}

function jobExtractStamp(env: Env, binPath: string): string | undefined {
  const file = stampPath(env, binPath);
  return file ? file.replace(/\.json$/, '.extracted.json') : undefined;
}

async function download(
  url: string,
  dest: string,
  opts: EnsureToolOptions,
  name: string,
  version: string,
  cacheDir: string | undefined,
): Promise<void> {
  const { HttpClient } = await import('@actions/http-client');
  const retry = opts.retry ?? { attempts: 3, baseDelayMs: 2_000 };
  const client = new HttpClient('polyglot-cd', undefined, {
    allowRedirects: true,
    maxRedirects: 5,
    socketTimeout: opts.requestTimeoutMs ?? 60_000,
  });
  let lastError = '';
  try {
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      let status = 0;
      try {
        const res = await client.get(url);
        status = res.message.statusCode ?? 0;
        if (status === 200) {
          await process
            .getBuiltinModule('node:stream/promises')
            .pipeline(res.message, createWriteStream(dest, { mode: 0o600 }));
          return;
        }
        res.message.resume();
        lastError = `HTTP ${status}`;
      } catch (err) {
        lastError = (err as Error).message || String(err);
      }
      const retryable = status === 0 || retryableStatus(status);
      if (!retryable || attempt === retry.attempts) break;
      const delay = retry.baseDelayMs * 2 ** (attempt - 1);
      opts.log.warning(
        `Download of ${name} ${version} failed (${lastError}); retrying in ${Math.round(delay / 100) / 10}s`,
      );
      await new Promise((r) => setTimeout(r, delay));
    }
  } finally {
    client.dispose();
  }
  throw new ToolError(
    `Could not download ${name} ${version} from ${url}: ${lastError}. It is not in the tool cache${
      cacheDir ? ` (${cacheDir})` : ' (RUNNER_TOOL_CACHE is not set)'
    }. On an offline or air-gapped runner, point the tools base URL (input or POLYGLOT_CD_TOOLS_BASE_URL) at a mirror, pre-seed the tool cache, or name a binary with ${binEnvName(name)}.`,
    { tool: name, argv: [url], exitCode: null, stderrTail: '' },
  );
}
