// The local pipeline's scanner: the real trivy that scripts/setup/trivy.sh builds from the Go module
// proxy, and a vulnerability DB in trivy's own format on this machine, because trivy's public DB
// (ghcr.io/aquasecurity/trivy-db) may be out of reach, as on an air-gapped runner. The workflows read
// it the way an air-gapped runner does: trivy-cache-dir + trivy-skip-db-update.
//
// The default DB is made by trivy-dbgen (test/trivy/dbgen) with no advisories: the gate, its report
// and the digest chain run for real, but an empty DB finds nothing. `--trivy-db <dir>` names another
// cache directory (<dir>/db/trivy.db and metadata.json), e.g. a copy of trivy's real DB, or one with
// an advisory planted to see the gate stop the run before anything is pushed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir as pipelineCacheDir, setupTool } from './local-stack.ts';

type Log = (line: string) => void;

/** Rebuilt when older than this, well inside trivy-gate's default max-db-age of 48 h. */
const MAX_AGE_MS = 24 * 3600_000;

/** The trivy the local pipeline scans with: $POLYGLOT_CD_TRIVY_BIN, else scripts/setup/trivy.sh's. */
export function localTrivy(root: string): string {
  return setupTool(root, 'POLYGLOT_CD_TRIVY_BIN', 'trivy.sh');
}

/** When the DB in `cacheDir` was made (its metadata.json UpdatedAt), or undefined when there is none. */
export function dbUpdatedAt(cacheDir: string): Date | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(cacheDir, 'db', 'metadata.json'), 'utf8')) as { UpdatedAt?: string };
    const t = meta.UpdatedAt ? new Date(meta.UpdatedAt) : undefined;
    return t && !Number.isNaN(t.getTime()) ? t : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The local pipeline's DB: `<cache>/pipeline/trivy-db`, made (again) by trivy-dbgen with no advisories
 * when missing or older than a day. Returns the cache directory for trivy-gate's cache-dir.
 */
export async function ensureLocalTrivyDb(root: string, log?: Log, now = new Date()): Promise<string> {
  const cacheDir = pipelineCacheDir('trivy-db');
  const made = dbUpdatedAt(cacheDir);
  if (made && now.getTime() - made.getTime() < MAX_AGE_MS) return cacheDir;
  log?.(`writing the local vulnerability DB ${cacheDir} (trivy-dbgen, no advisories: it finds nothing)`);
  const { makeTrivyDb } = (await import(pathToFileURL(join(root, 'test', 'trivy', 'db.ts')).href)) as {
    makeTrivyDb: (dir: string, advisories: readonly unknown[]) => Promise<unknown>;
  };
  await makeTrivyDb(cacheDir, []);
  return cacheDir;
}

/**
 * What the trivy-gate steps of a local run get: the trivy binary, and the settings that keep trivy
 * from reaching the network on its own (no checks bundle, no Java DB, no version check or telemetry).
 */
export function localTrivyEnv(bin: string): Record<string, string> {
  return {
    POLYGLOT_CD_TRIVY_BIN: bin,
    TRIVY_SKIP_CHECK_UPDATE: 'true',
    TRIVY_SKIP_JAVA_DB_UPDATE: 'true',
    TRIVY_OFFLINE_SCAN: 'true',
    TRIVY_SKIP_VERSION_CHECK: 'true',
    TRIVY_DISABLE_TELEMETRY: 'true',
    TRIVY_NO_PROGRESS: 'true',
  };
}
