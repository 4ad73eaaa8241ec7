/**
 * The gate's decisions that need no I/O: the pinned-version and expiry checks before anything runs,
 * the analysis of one report (findings, ignores, counts, SARIF), the checks of the report's digest and
 * of the vulnerability DB's age, and the messages they end with. Pure.
 */
import type { TrivyReport, TrivyVersionInfo } from '@polyglot-cd/tools/trivy';
import {
  countBySeverity,
  extractFindings,
  failing,
  sortFindings,
  summaryLine,
  type Counts,
  type Extracted,
  type Finding,
} from './findings.js';
import { appliesToSomething, applyIgnores, type IgnoreOutcome, type IgnoreRule } from './ignore.js';
import type { GateInputs } from './inputs.js';
import { toSarif, type SarifLog } from './sarif.js';
import type { SummaryModel } from './summary.js';

/** The manifest entry of trivy, as far as the version check needs it. */
export interface PinnedTool {
  versions: Record<string, unknown>;
  refused?: Record<string, string>;
}

/** Why the `version` input cannot be used (refused or not pinned with its SHA-256), or undefined. */
export function versionProblem(version: string, pinned: PinnedTool | undefined): string | undefined {
  if (version === '' || !pinned) return undefined;
  const refusal = pinned.refused?.[version];
  if (refusal) return `trivy ${version} is refused: ${refusal}`;
  if (!pinned.versions[version])
    return `not pinned in the tool manifest with its SHA-256 (pinned: ${Object.keys(pinned.versions).join(', ')})`;
  return undefined;
}

/** The require-expiry refusal naming every entry without expiry, or undefined. */
export function expiryProblem(rules: readonly IgnoreRule[]): string | undefined {
  const noExpiry = rules.filter((r) => r.expiresAt === undefined && appliesToSomething(r));
  if (noExpiry.length === 0) return undefined;
  return `Input "require-expiry" is true, and ${noExpiry.length} ignore entr${noExpiry.length === 1 ? 'y has' : 'ies have'} no expiry: ${noExpiry
    .map((r) => `${r.id} (${r.where})`)
    .join(', ')}. Add expired_at: YYYY-MM-DD (.trivyignore.yaml) or exp:YYYY-MM-DD (.trivyignore) to each.`;
}

export interface Analysis {
  extracted: Extracted;
  outcome: IgnoreOutcome;
  /** kept findings, most severe first */
  kept: Finding[];
  counts: Counts;
  failed: Finding[];
  passed: boolean;
  line: string;
  /** without the Trivy version, which is set once known */
  sarif: SarifLog;
}

/** One report against the inputs and the ignore rules. */
export function analyse(
  report: TrivyReport,
  rules: readonly IgnoreRule[],
  inputs: Readonly<GateInputs>,
  now: Date,
): Analysis {
  const extracted = extractFindings(report, { scanners: inputs.scanners, ignoreUnfixed: inputs.ignoreUnfixed });
  const outcome = applyIgnores(extracted.findings, rules, now);
  const kept = sortFindings(outcome.kept);
  const counts = countBySeverity(kept);
  const failed = failing(kept, inputs.failOn);
  const passed = failed.length === 0;
  const line = summaryLine(counts, passed, inputs.failOn);
  const sarif = toSarif(kept, outcome.suppressed, {
    trivyVersion: '',
    artifactName: report.artifactName || inputs.image || inputs.input || inputs.path,
    severities: inputs.severities,
  });
  return { extracted, outcome, kept, counts, failed, passed, line, sarif };
}

/**
 * Whether the report is about the image asked for: 'ok', 'unchecked' (the report lists no
 * RepoDigests), or the reason it is not.
 */
export function digestCheck(image: string, repoDigests: readonly string[]): 'ok' | 'unchecked' | string {
  const digest = image.slice(image.indexOf('@') + 1);
  if (repoDigests.length === 0) return 'unchecked';
  if (repoDigests.some((d) => d.endsWith(`@${digest}`))) return 'ok';
  return `the report is for ${repoDigests.join(', ')}, not ${image}`;
}

export interface DbCheck {
  dbUpdatedAt?: Date;
  dbAgeHours?: number;
  /** 'missing': no DB reported; 'stale': older than max-db-age */
  problem?: { kind: 'missing' | 'stale'; reason: string };
}

/** The vulnerability DB must be fresh enough to trust a clean result (only when vuln is scanned). */
export function dbCheck(info: TrivyVersionInfo, inputs: Readonly<GateInputs>, now: Date): DbCheck {
  if (!inputs.scanners.includes('vuln')) return {};
  const dbUpdatedAt = info.vulnerabilityDb?.updatedAt;
  if (!dbUpdatedAt) {
    if (inputs.maxDbAgeMs === 0) return {};
    const where = inputs.cacheDir ? ` in ${inputs.cacheDir}` : '';
    const reason = `trivy version --format json reports no vulnerability DB${where}, so its age cannot be checked`;
    return { problem: { kind: 'missing', reason } };
  }
  const dbAgeHours = (now.getTime() - dbUpdatedAt.getTime()) / 3_600_000;
  const maxH = inputs.maxDbAgeMs / 3_600_000;
  if (inputs.maxDbAgeMs > 0 && dbAgeHours > maxH) {
    const reason = `the vulnerability DB was updated ${dbUpdatedAt.toISOString()}, ${dbAgeHours.toFixed(1)} h ago: older than max-db-age (${maxH} h). A stale DB misses recent vulnerabilities; update it (drop skip-db-update, or refresh the mirror)`;
    return { dbUpdatedAt, dbAgeHours, problem: { kind: 'stale', reason } };
  }
  return { dbUpdatedAt, dbAgeHours };
}

/** The GateError message: the summary line and the first failing findings. */
export function gateFailureMessage(a: Pick<Analysis, 'failed' | 'line'>, failOn: string): string {
  const top = a.failed
    .slice(0, 5)
    .map(
      (f) =>
        `${f.severity} ${f.id}${f.pkgName ? ` in ${f.pkgName} ${f.installedVersion}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ''}` : ` in ${f.target}${f.line ? `:${f.line}` : ''}`}`,
    );
  return `Trivy gate failed: ${a.line}. ${a.failed.length} finding(s) at or above ${failOn}, e.g. ${top.join('; ')}${a.failed.length > 5 ? '; …' : ''}`;
}

export interface ModelFacts {
  target: string;
  /** the manifest digest scanned ('' for a docker-save tar) */
  digest: string;
  trivyVersion: string;
  db: DbCheck;
  reportPath: string;
  sarifPath: string;
  ignoreFile: string;
  /** the folders a folder scan skipped (skip-dirs) */
  skipDirs?: readonly string[];
}

/** The summary's model of a decided gate. */
export function summaryModel(a: Analysis, inputs: Readonly<GateInputs>, f: ModelFacts): SummaryModel {
  return {
    target: f.target,
    targetKind: inputs.path ? 'folder' : inputs.image ? 'image' : 'archive',
    skipDirs: f.skipDirs ?? [],
    digest: f.digest,
    passed: a.passed,
    failOn: inputs.failOn,
    line: a.line,
    counts: a.counts,
    findings: a.kept,
    failingCount: a.failed.length,
    severities: inputs.severities,
    scanners: inputs.scanners,
    suppressed: a.outcome.suppressed,
    expired: a.outcome.expired,
    noExpiry: a.outcome.noExpiry,
    ignoreFile: f.ignoreFile,
    requireExpiry: inputs.requireExpiry,
    ignoreUnfixed: inputs.ignoreUnfixed,
    unfixedDropped: a.extracted.unfixedDropped,
    trivyVersion: f.trivyVersion,
    ...(f.db.dbUpdatedAt ? { dbUpdatedAt: f.db.dbUpdatedAt } : {}),
    ...(f.db.dbAgeHours !== undefined ? { dbAgeHours: f.db.dbAgeHours } : {}),
    reportPath: f.reportPath,
    sarifPath: f.sarifPath,
  };
}

/** trivy could not reach a registry (the image's or a DB's): refused connection, DNS, timeouts. */
export function isNetworkFailure(stderr: string): boolean {
  return /connection refused|no such host|i\/o timeout|TLS handshake timeout|network is unreachable|connection reset by peer/i.test(
    stderr,
  );
}
