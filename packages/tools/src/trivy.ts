/**
 * Trivy: argv builders and parsers of Trivy's machine-readable output (`--format json` reports,
 * `trivy version --format json`, the FATAL line of a failed run).
 *
 * The scan argv pins everything that decides what the report contains, so TRIVY_* variables in the
 * runner's environment cannot change it behind the gate's back: all severities (`--severity`), exit
 * code 0 (the gate decides from the report, never from the exit code), and an explicit ignore file (so
 * a `.trivyignore` in the working directory is never applied silently). The image reference (or, for
 * `trivy fs`, the absolute folder path) comes after `--`, and an archive path is passed as
 * `--input=<absolute path>`, so no value is read as a flag.
 *
 * The scanned repository gives no orders either: every run (scan and version) happens in a working
 * directory of its own (`workDir`, empty) with an explicit, empty `--config`, so a `trivy.yaml`,
 * `.trivyignore` or policy file a pull request adds is never read. The version check and telemetry
 * request trivy makes by default are switched off through the environment (TRIVY_SKIP_VERSION_CHECK,
 * TRIVY_DISABLE_TELEMETRY: a flag would break a binary too old to know it).
 */
import type { CommandResult, CommandRunner } from './command-runner.js';
import { releaseFromParts, releaseSatisfies, versionParts } from './version-range.js';

export const TRIVY_SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type TrivySeverity = (typeof TRIVY_SEVERITIES)[number];
export const TRIVY_SCANNERS = ['vuln', 'secret', 'misconfig'] as const;
export type TrivyScanner = (typeof TRIVY_SCANNERS)[number];

export interface TrivyScanOptions {
  /** `repo@sha256:…`, an OCI/Docker archive (absolute path), or a folder (absolute path, `trivy fs`) */
  target: { image: string } | { input: string } | { path: string };
  /** folders trivy does not walk (`--skip-dirs`, one flag each): absolute, or relative to the target */
  skipDirs?: readonly string[];
  /** where Trivy writes the JSON report */
  output: string;
  scanners: readonly TrivyScanner[];
  timeoutSeconds: number;
  ignoreUnfixed: boolean;
  /** an explicit ignore file; pass an empty file to apply none */
  ignoreFile: string;
  cacheDir?: string;
  /** vulnerability DB repositories in order of priority (mirrors first) */
  dbRepositories?: readonly string[];
  skipDbUpdate?: boolean;
}

/** The vulnerability DB schema trivy reads (trivy-db `db.SchemaVersion`, v2 since Trivy 0.23). */
export const TRIVY_DB_SCHEMA_VERSION = 2;

export interface TrivyDbMetadata {
  version: number;
  updatedAt: Date;
  nextUpdate?: Date;
  downloadedAt?: Date;
}

/** `trivy version --format json` (pkg/types VersionInfo). The DB keys are absent when no DB is cached. */
export interface TrivyVersionInfo {
  version: string;
  vulnerabilityDb?: TrivyDbMetadata;
  javaDb?: TrivyDbMetadata;
}

export interface TrivyVulnerability {
  id: string;
  pkgName: string;
  pkgPath: string;
  purl: string;
  installedVersion: string;
  fixedVersion: string;
  status: string;
  /** as printed; one of TRIVY_SEVERITIES in every Trivy release */
  severity: string;
  title: string;
  primaryUrl: string;
  /** the highest CVSS v3 base score any source gives, if any */
  cvss3?: number;
}

export interface TrivySecret {
  ruleId: string;
  category: string;
  severity: string;
  title: string;
  startLine: number;
}

export interface TrivyMisconfiguration {
  id: string;
  avdId: string;
  severity: string;
  title: string;
  status: string;
  primaryUrl: string;
}

export interface TrivyResult {
  target: string;
  class: string;
  type: string;
  vulnerabilities: TrivyVulnerability[];
  secrets: TrivySecret[];
  misconfigurations: TrivyMisconfiguration[];
}

export interface TrivyReport {
  schemaVersion: 2;
  artifactName: string;
  artifactType: string;
  createdAt: string;
  /** '' for reports from old Trivy releases that did not print it */
  trivyVersion: string;
  repoDigests: string[];
  repoTags: string[];
  os?: { family: string; name: string; eosl: boolean };
  results: TrivyResult[];
}

/** The report is not one the gate can decide from. */
export class TrivyReportError extends Error {
  override readonly name = 'TrivyReportError';
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function list(parent: Obj, key: string, where: string): Obj[] {
  const v = parent[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new TrivyReportError(`${where}.${key} is not an array`);
  return v.map((item, i) => {
    if (!isObj(item)) throw new TrivyReportError(`${where}.${key}[${i}] is not an object`);
    return item;
  });
}

function maxCvss3(cvss: unknown): number | undefined {
  if (!isObj(cvss)) return undefined;
  let best: number | undefined;
  for (const source of Object.values(cvss)) {
    if (isObj(source) && typeof source['V3Score'] === 'number') {
      best = best === undefined ? source['V3Score'] : Math.max(best, source['V3Score']);
    }
  }
  return best;
}

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) || d.getTime() <= 0 ? undefined : d;
}

function dbMeta(v: unknown): TrivyDbMetadata | undefined {
  if (!isObj(v)) return undefined;
  const updatedAt = date(v['UpdatedAt']);
  if (!updatedAt) return undefined;
  const out: TrivyDbMetadata = { version: typeof v['Version'] === 'number' ? v['Version'] : 0, updatedAt };
  const next = date(v['NextUpdate']);
  const downloaded = date(v['DownloadedAt']);
  if (next) out.nextUpdate = next;
  if (downloaded) out.downloadedAt = downloaded;
  return out;
}

export class Trivy {
  readonly path: string;
  readonly #runner: CommandRunner;
  readonly #env: Record<string, string | undefined>;
  readonly #workDir: string | undefined;

  /**
   * `workDir`: an empty directory the caller owns. trivy runs there with `--config <workDir>/trivy.yaml`
   * (written empty here), never in the checkout.
   */
  constructor(path: string, runner: CommandRunner, env: Record<string, string | undefined> = {}, workDir?: string) {
    this.path = path;
    this.#runner = runner;
    this.#env = { TRIVY_SKIP_VERSION_CHECK: 'true', TRIVY_DISABLE_TELEMETRY: 'true', ...env };
    this.#workDir = workDir;
  }

  /** cwd and the explicit empty config of every run */
  #isolation(): { cwd?: string; config: string[] } {
    if (!this.#workDir) return { config: [] };
    const config = `${this.#workDir}/trivy.yaml`;
    process.getBuiltinModule('node:fs').writeFileSync(config, '', { mode: 0o600 });
    return { cwd: this.#workDir, config: ['--config', config] };
  }

  static scanArgs(o: TrivyScanOptions): string[] {
    const args = [
      'path' in o.target ? 'fs' : 'image',
      '--format',
      'json',
      '--output',
      o.output,
      '--exit-code',
      '0',
      '--severity',
      TRIVY_SEVERITIES.join(','),
      '--scanners',
      o.scanners.join(','),
      '--timeout',
      `${o.timeoutSeconds}s`,
      '--ignorefile',
      o.ignoreFile,
      '--no-progress',
    ];
    if (o.ignoreUnfixed) args.push('--ignore-unfixed');
    if (o.cacheDir) args.push('--cache-dir', o.cacheDir);
    args.push(...Trivy.dbArgs(o));
    for (const dir of o.skipDirs ?? []) args.push('--skip-dirs', dir);
    if ('input' in o.target) {
      if (!o.target.input.startsWith('/'))
        throw new Error(`trivy --input needs an absolute path, got ${JSON.stringify(o.target.input)}`);
      args.push(`--input=${o.target.input}`);
    } else if ('path' in o.target) {
      if (!o.target.path.startsWith('/'))
        throw new Error(`trivy fs needs an absolute path, got ${JSON.stringify(o.target.path)}`);
      args.push('--', o.target.path);
    } else {
      args.push('--', o.target.image);
    }
    return args;
  }

  /**
   * The DB flags. Without the vuln scanner trivy opens neither DB (pkg/commands/artifact/run.go
   * initDB/initJavaDB return early), and --skip-db-update --skip-java-db-update say so explicitly, so a
   * secret or misconfig scan never downloads one, whatever TRIVY_* the environment sets. No DB download
   * also means no checks-bundle download (misconfig falls back to its embedded checks).
   */
  static dbArgs(o: Pick<TrivyScanOptions, 'scanners' | 'dbRepositories' | 'skipDbUpdate'>): string[] {
    const vuln = o.scanners.includes('vuln');
    const args: string[] = [];
    if (o.dbRepositories && o.dbRepositories.length > 0) args.push('--db-repository', o.dbRepositories.join(','));
    if (o.skipDbUpdate || !vuln) args.push('--skip-db-update', '--skip-java-db-update');
    if (o.skipDbUpdate) args.push('--skip-check-update');
    return args;
  }

  /**
   * Whether `trivy image` (without --skip-db-update) may replace this vulnerability DB: trivy's own rule
   * (pkg/db: NeedsUpdate/isNewDB) keeps a DB of the current schema whose NextUpdate is in the future or
   * that was downloaded within the last hour, and downloads otherwise. Evaluated after a scan, with
   * the time then, it errs on the side of "may have updated".
   */
  static dbMayUpdate(db: TrivyDbMetadata | undefined, now: Date, skipUpdate: boolean): boolean {
    if (skipUpdate) return false;
    if (!db || db.version !== TRIVY_DB_SCHEMA_VERSION) return true;
    const t = now.getTime();
    if (db.nextUpdate && t < db.nextUpdate.getTime()) return false;
    if (db.downloadedAt && t < db.downloadedAt.getTime() + 3_600_000) return false;
    return true;
  }

  static versionArgs(cacheDir?: string): string[] {
    return ['version', '--format', 'json', ...(cacheDir ? ['--cache-dir', cacheDir] : [])];
  }

  static parseVersionInfo(stdout: string): TrivyVersionInfo {
    let raw: unknown;
    try {
      raw = JSON.parse(stdout);
    } catch {
      throw new TrivyReportError(
        `trivy version --format json printed no JSON: ${JSON.stringify(stdout.trim().slice(0, 120))}`,
      );
    }
    if (!isObj(raw) || typeof raw['Version'] !== 'string') {
      throw new TrivyReportError('trivy version --format json printed no "Version"');
    }
    const info: TrivyVersionInfo = { version: raw['Version'] };
    const vdb = dbMeta(raw['VulnerabilityDB']);
    const jdb = dbMeta(raw['JavaDB']);
    if (vdb) info.vulnerabilityDb = vdb;
    if (jdb) info.javaDb = jdb;
    return info;
  }

  /**
   * Parses and checks a `--format json` report: SchemaVersion must be 2 (a bare array is the pre-0.20
   * format); a missing `Results` or finding list means none; anything of the wrong type is an error,
   * never a silently empty list.
   */
  static parseReport(text: string): TrivyReport {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new TrivyReportError(`the report is not valid JSON (${(err as Error).message})`);
    }
    if (Array.isArray(raw)) {
      throw new TrivyReportError(
        'the report is a bare JSON array: the legacy format of Trivy < 0.20, without SchemaVersion; use a current Trivy',
      );
    }
    if (!isObj(raw)) throw new TrivyReportError('the report is not a JSON object');
    if (raw['SchemaVersion'] !== 2) {
      throw new TrivyReportError(
        `the report has SchemaVersion ${JSON.stringify(raw['SchemaVersion'] ?? null)}; only SchemaVersion 2 is understood`,
      );
    }
    const meta = isObj(raw['Metadata']) ? raw['Metadata'] : {};
    const strings = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    const report: TrivyReport = {
      schemaVersion: 2,
      artifactName: str(raw['ArtifactName']),
      artifactType: str(raw['ArtifactType']),
      createdAt: str(raw['CreatedAt']),
      trivyVersion: isObj(raw['Trivy']) ? str(raw['Trivy']['Version']) : '',
      repoDigests: strings(meta['RepoDigests']),
      repoTags: strings(meta['RepoTags']),
      results: list(raw, 'Results', 'report').map((r, i) => {
        const where = `Results[${i}]`;
        return {
          target: str(r['Target']),
          class: str(r['Class']),
          type: str(r['Type']),
          vulnerabilities: list(r, 'Vulnerabilities', where).map((v) => ({
            id: str(v['VulnerabilityID']),
            pkgName: str(v['PkgName']),
            pkgPath: str(v['PkgPath']),
            purl: isObj(v['PkgIdentifier']) ? str(v['PkgIdentifier']['PURL']) : '',
            installedVersion: str(v['InstalledVersion']),
            fixedVersion: str(v['FixedVersion']),
            status: str(v['Status']),
            severity: str(v['Severity']),
            title: str(v['Title']),
            primaryUrl: str(v['PrimaryURL']),
            ...(maxCvss3(v['CVSS']) !== undefined ? { cvss3: maxCvss3(v['CVSS']) as number } : {}),
          })),
          // a secret's Match and Code are never read: they hold the secret's line (masked by trivy) and
          // the lines around it in clear, which may hold other secrets
          secrets: list(r, 'Secrets', where).map((s) => ({
            ruleId: str(s['RuleID']),
            category: str(s['Category']),
            severity: str(s['Severity']),
            title: str(s['Title']),
            startLine: typeof s['StartLine'] === 'number' ? s['StartLine'] : 0,
          })),
          misconfigurations: list(r, 'Misconfigurations', where).map((m) => ({
            id: str(m['ID']),
            avdId: str(m['AVDID']),
            severity: str(m['Severity']),
            title: str(m['Title']),
            status: str(m['Status']),
            primaryUrl: str(m['PrimaryURL']),
          })),
        };
      }),
    };
    if (isObj(meta['OS'])) {
      report.os = {
        family: str(meta['OS']['Family']),
        name: str(meta['OS']['Name']),
        eosl: meta['OS']['EOSL'] === true,
      };
    }
    return report;
  }

  /**
   * Trivy's own reason for a failed run: the text of its last FATAL log line (without the timestamp
   * and the "Fatal error" prefix), or the last non-empty line.
   */
  static failureReason(stderr: string): string {
    const lines = stderr.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i] as string;
      const m = /\bFATAL\b\s*(.*)$/.exec(line);
      if (m) {
        // the message may continue on the next lines (multi-error lists)
        const rest = lines
          .slice(i + 1)
          .map((l) => l.trim())
          .filter((l) => l !== '' && !/^\d{4}-\d\d-\d\dT/.test(l));
        return [(m[1] as string).replace(/^Fatal error\s+/, '').trim(), ...rest].join(' ');
      }
    }
    return (
      lines
        .map((l) => l.trim())
        .filter(Boolean)
        .pop() ?? ''
    );
  }

  /** The vulnerability (or Java) DB could not be downloaded: a registry outage or rate limit. */
  static isDbDownloadFailure(stderr: string): boolean {
    return /failed to download (?:vulnerability|Java) DB|DB error: failed to download|TOOMANYREQUESTS/i.test(stderr);
  }

  static parseVersion(text: string): { major: number; minor: number; patch: number } | undefined {
    return versionParts(text);
  }

  /**
   * Space-separated comparators (`>=0.50.0 <1`), each `>=`, `>`, `<=`, `<`, `=` or bare (equal); a
   * version that does not parse (e.g. `dev`) satisfies nothing.
   */
  static versionSatisfies(version: string, constraint: string): boolean {
    const v = Trivy.parseVersion(version);
    return releaseSatisfies(v && releaseFromParts(v.major, v.minor, v.patch), constraint);
  }

  async version(cacheDir?: string): Promise<TrivyVersionInfo> {
    const iso = this.#isolation();
    const args = Trivy.versionArgs(cacheDir);
    const res = await this.#runner.run(this.path, [args[0] as string, ...iso.config, ...args.slice(1)], {
      tool: 'trivy',
      env: this.#env,
      timeoutMs: 60_000,
      ...(iso.cwd ? { cwd: iso.cwd } : {}),
    });
    return Trivy.parseVersionInfo(res.stdout);
  }

  /** Runs one scan; the report is in `o.output`. Trivy's log lines are streamed to the job log. */
  scan(o: TrivyScanOptions): Promise<CommandResult> {
    const iso = this.#isolation();
    const args = Trivy.scanArgs(o);
    return this.#runner.run(this.path, [args[0] as string, ...iso.config, ...args.slice(1)], {
      tool: 'trivy',
      env: this.#env,
      ...(iso.cwd ? { cwd: iso.cwd } : {}),
      stream: true,
      // Trivy stops itself at --timeout; the extra minute is for writing the report
      timeoutMs: (o.timeoutSeconds + 60) * 1000,
    });
  }
}
