// The real Trivy for tests, fully offline: where scripts/setup/trivy.sh caches the binary, a
// vulnerability DB in Trivy's own format written by trivy-dbgen (test/trivy/dbgen), and the flags and
// environment that keep every download away.
//
//   <cache-dir>/db/trivy.db        bbolt, the buckets trivy-db's vulnsrc packages write
//   <cache-dir>/db/metadata.json   {"Version":2,"NextUpdate":…,"UpdatedAt":…,"DownloadedAt":…}
//
// Trivy reads that DB with `--cache-dir <cache-dir> --skip-db-update`. The Java DB is only opened
// when a JAR is found (pkg/javadb NewClient), and `--skip-java-db-update` keeps it from being
// downloaded then. Checks
// bundles are only fetched for the misconfig scanner (`--skip-check-update` keeps them away too),
// `--offline-scan` stops the analyzers' own lookups (Maven Central for JARs), and
// `--skip-version-check --disable-telemetry` stop the update notice request to check.trivy.dev that
// trivy v0.74.0 otherwise sends on every scan (pkg/notification).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const setupScript = join(repoRoot, 'scripts/setup/trivy.sh');

/** The Trivy version trivy-gate installs by default (`defaultVersion` of the tool manifest). */
export const TRIVY_VERSION: string = (() => {
  const file = join(repoRoot, 'packages/tools/manifest/trivy.json');
  const v = (JSON.parse(readFileSync(file, 'utf8')) as { defaultVersion?: unknown }).defaultVersion;
  if (typeof v !== 'string' || !/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`no defaultVersion X.Y.Z in ${file}`);
  return v;
})();

/** trivy-db's `db.SchemaVersion`, which Trivy v0.74.0 (trivy-db v0.0.0-20260813095258-0e0340a01b57) reads. */
export const TRIVY_DB_SCHEMA_VERSION = 2;

/** `<cache>/trivy`, where scripts/setup/trivy.sh keeps its builds (same rule as the script). */
export function trivyCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const root = env['POLYGLOT_CD_CACHE'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'polyglot-cd');
  return join(root, 'trivy');
}

/**
 * The Trivy binary scripts/setup/trivy.sh built for TRIVY_VERSION, or undefined when it has not been
 * built on this machine (`bash scripts/setup/trivy.sh`, several minutes). Never builds.
 */
export function builtTrivy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = join(trivyCacheRoot(env), TRIVY_VERSION);
  let stamp = '';
  try {
    stamp = readFileSync(join(dir, 'stamp'), 'utf8');
  } catch {
    return undefined;
  }
  return stamp.startsWith(`version=${TRIVY_VERSION} `) && existsSync(join(dir, 'trivy'))
    ? join(dir, 'trivy')
    : undefined;
}

/** Why real-Trivy tests are skipped, or undefined when they can run. */
export function trivySkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return builtTrivy(env)
    ? undefined
    : `the real trivy ${TRIVY_VERSION} is not built: run \`bash scripts/setup/trivy.sh\` once (Go module proxy, several minutes on 2 cores)`;
}

let dbgenPath: string | undefined;

/**
 * trivy-dbgen, built if needed (or found current in the cache) by `scripts/setup/trivy.sh --print-dbgen`:
 * it is small, so a missing or outdated build costs well under a minute.
 */
export function dbgenBinary(): string {
  if (dbgenPath) return dbgenPath;
  let out: string;
  try {
    out = execFileSync('bash', [setupScript, '--print-dbgen'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `cannot get trivy-dbgen from scripts/setup/trivy.sh --print-dbgen: ${(e.stderr || e.message).trim()}`,
      { cause: err },
    );
  }
  const path = out.trim();
  if (!path || !existsSync(path))
    throw new Error(`scripts/setup/trivy.sh --print-dbgen printed ${JSON.stringify(path)}, which is not a file`);
  dbgenPath = path;
  return path;
}

export type TrivySeverity = 'UNKNOWN' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

interface AdvisoryBase {
  /** CVE-…, GHSA-…, any vendor id */
  id: string;
  severity: TrivySeverity;
  title?: string;
  description?: string;
  references?: string[];
  /** NVD CVSS v3 base score (and vector), shown as the finding's CVSS */
  cvss3Score?: number;
  cvss3Vector?: string;
}

/** An OS package advisory, looked up by the package's *source* name and the release's major version. */
export interface OsAdvisory extends AdvisoryBase {
  ecosystem: 'debian' | 'ubuntu' | 'alpine';
  /** the DB bucket's release: "12" for Debian 12, "22.04" for Ubuntu, "3.20" for Alpine */
  release: string;
  package: string;
  /** first fixed version; omitted = not fixed (Status "affected") */
  fixedVersion?: string;
}

/** A language package advisory (GitHub Security Advisory data source), by version ranges. */
export interface LangAdvisory extends AdvisoryBase {
  ecosystem: 'pip' | 'npm' | 'gem' | 'go' | 'cargo' | 'composer' | 'maven' | 'nuget';
  package: string;
  /** ranges in the ecosystem's syntax, e.g. ['<1.2.4'] or ['>=1.0, <1.2.4'] */
  vulnerableVersions: string[];
  /** plain fixed versions, e.g. ['1.2.4'], as trivy-db stores them (pkg/vulnsrc/osv: the OSV "fixed" events) */
  patchedVersions?: string[];
}

export type TrivyAdvisory = OsAdvisory | LangAdvisory;

export interface TrivyDbOptions {
  /** default now */
  updatedAt?: Date;
  /** default updatedAt */
  downloadedAt?: Date;
  /** default updatedAt + 100 years, so trivy never considers the DB due */
  nextUpdate?: Date;
  /** default TRIVY_DB_SCHEMA_VERSION */
  schemaVersion?: number;
}

export interface TrivyDb {
  cacheDir: string;
  dbDir: string;
  dbFile: string;
  metadataFile: string;
}

/**
 * Writes `<cacheDir>/db/trivy.db` and `<cacheDir>/db/metadata.json` with exactly these advisories,
 * for `trivy --cache-dir <cacheDir> --skip-db-update`.
 */
export async function makeTrivyDb(
  cacheDir: string,
  advisories: readonly TrivyAdvisory[],
  opts: TrivyDbOptions = {},
): Promise<TrivyDb> {
  const dbDir = join(cacheDir, 'db');
  mkdirSync(dbDir, { recursive: true });
  const doc = {
    advisories,
    ...(opts.updatedAt ? { updatedAt: opts.updatedAt.toISOString() } : {}),
    ...(opts.downloadedAt ? { downloadedAt: opts.downloadedAt.toISOString() } : {}),
    ...(opts.nextUpdate ? { nextUpdate: opts.nextUpdate.toISOString() } : {}),
    ...(opts.schemaVersion !== undefined ? { schemaVersion: opts.schemaVersion } : {}),
  };
  const bin = dbgenBinary();
  await new Promise<void>((resolve, reject) => {
    const child = execFile(bin, ['-out', dbDir], { timeout: 60_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`trivy-dbgen failed: ${(stderr || err.message).trim()}`, { cause: err })) : resolve(),
    );
    child.stdin?.end(JSON.stringify(doc));
  });
  return { cacheDir, dbDir, dbFile: join(dbDir, 'trivy.db'), metadataFile: join(dbDir, 'metadata.json') };
}

/**
 * Flags for `trivy image` that keep it offline with the DB in `cacheDir`: no DB, Java DB or checks
 * download, no analyzer lookups, no version check or telemetry.
 */
export function trivyOfflineArgs(cacheDir: string): string[] {
  return [
    '--cache-dir',
    cacheDir,
    '--skip-db-update',
    '--skip-java-db-update',
    '--skip-check-update',
    '--offline-scan',
    '--skip-version-check',
    '--disable-telemetry',
    '--no-progress',
  ];
}

/**
 * The same as environment variables (Trivy reads every flag as TRIVY_<FLAG>), for a Trivy run by
 * someone else, e.g. the trivy-gate bundle. Without `cacheDir`, only the settings that keep trivy
 * from reaching the network on its own (the DB flags are then the caller's, e.g. to test a download
 * failure).
 */
export function trivyEnv(cacheDir?: string): Record<string, string> {
  return {
    TRIVY_SKIP_CHECK_UPDATE: 'true',
    TRIVY_OFFLINE_SCAN: 'true',
    TRIVY_SKIP_VERSION_CHECK: 'true',
    TRIVY_DISABLE_TELEMETRY: 'true',
    TRIVY_NO_PROGRESS: 'true',
    ...(cacheDir ? { TRIVY_CACHE_DIR: cacheDir, TRIVY_SKIP_DB_UPDATE: 'true', TRIVY_SKIP_JAVA_DB_UPDATE: 'true' } : {}),
  };
}

/** Runs the built trivy with `args` (no shell); resolves with its exit code and output. */
export async function runTrivy(
  args: readonly string[],
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = builtTrivy();
  if (!bin) throw new Error(trivySkipReason());
  try {
    const { stdout, stderr } = await run(bin, [...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...opts.env },
      timeout: opts.timeoutMs ?? 180_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
