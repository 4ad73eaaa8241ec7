/**
 * From one parsed Trivy report to the gate: the findings of the requested scanners, per-severity
 * counts, the decision against the `fail-on` threshold and the one-line summary. Pure.
 */
import { TRIVY_SEVERITIES, type TrivyReport, type TrivyScanner, type TrivySeverity } from '@polyglot-cd/tools/trivy';

export type FindingKind = 'vulnerability' | 'secret' | 'misconfiguration';

export interface Finding {
  kind: FindingKind;
  /** CVE/GHSA id, secret rule id, or misconfiguration id */
  id: string;
  /** other ids an ignore entry may use (a misconfiguration's AVD id) */
  altIds: string[];
  severity: TrivySeverity;
  /** the Result's Target (image layer OS, lock file, file with a secret) */
  target: string;
  resultClass: string;
  title: string;
  /** advisory link (http/https) or '' */
  url: string;
  pkgName: string;
  pkgPath: string;
  purl: string;
  installedVersion: string;
  fixedVersion: string;
  status: string;
  cvss3?: number;
  /** first line of a secret */
  line?: number;
}

export type Counts = Record<TrivySeverity, number> & { total: number };

/** 'NONE' = report only, never fail */
export type FailOn = TrivySeverity | 'NONE';

export interface Extracted {
  findings: Finding[];
  /** vulnerabilities left out by ignore-unfixed (no fixed version) */
  unfixedDropped: number;
  /** severities Trivy printed that are not one of the five (counted as UNKNOWN) */
  unknownSeverities: string[];
}

export function severityRank(s: TrivySeverity): number {
  return TRIVY_SEVERITIES.indexOf(s);
}

function normalizeSeverity(s: string, unknown: Set<string>): TrivySeverity {
  const found = TRIVY_SEVERITIES.find((x) => x === s);
  if (found) return found;
  unknown.add(s);
  return 'UNKNOWN';
}

/** A link to the advisory: Trivy's PrimaryURL when it is http(s), else the usual home of the id. */
export function advisoryUrl(id: string, primaryUrl: string): string {
  if (/^https?:\/\//i.test(primaryUrl)) return primaryUrl;
  if (/^CVE-\d{4}-\d+$/i.test(id)) return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id)) return `https://github.com/advisories/${id}`;
  return '';
}

export function extractFindings(
  report: TrivyReport,
  opts: { scanners: readonly TrivyScanner[]; ignoreUnfixed: boolean },
): Extracted {
  const unknown = new Set<string>();
  const findings: Finding[] = [];
  let unfixedDropped = 0;
  const base = {
    altIds: [] as string[],
    pkgName: '',
    pkgPath: '',
    purl: '',
    installedVersion: '',
    fixedVersion: '',
    status: '',
  };
  for (const r of report.results) {
    if (opts.scanners.includes('vuln')) {
      for (const v of r.vulnerabilities) {
        if (opts.ignoreUnfixed && v.fixedVersion === '') {
          unfixedDropped++;
          continue;
        }
        findings.push({
          ...base,
          kind: 'vulnerability',
          id: v.id,
          severity: normalizeSeverity(v.severity, unknown),
          target: r.target,
          resultClass: r.class,
          title: v.title,
          url: advisoryUrl(v.id, v.primaryUrl),
          pkgName: v.pkgName,
          pkgPath: v.pkgPath,
          purl: v.purl,
          installedVersion: v.installedVersion,
          fixedVersion: v.fixedVersion,
          status: v.status,
          ...(v.cvss3 !== undefined ? { cvss3: v.cvss3 } : {}),
        });
      }
    }
    if (opts.scanners.includes('secret')) {
      for (const s of r.secrets) {
        findings.push({
          ...base,
          kind: 'secret',
          id: s.ruleId,
          severity: normalizeSeverity(s.severity, unknown),
          target: r.target,
          resultClass: r.class,
          title: s.title || s.category,
          url: '',
          line: s.startLine,
        });
      }
    }
    if (opts.scanners.includes('misconfig')) {
      for (const m of r.misconfigurations) {
        if (m.status !== 'FAIL') continue;
        findings.push({
          ...base,
          kind: 'misconfiguration',
          id: m.id,
          altIds: m.avdId && m.avdId !== m.id ? [m.avdId] : [],
          severity: normalizeSeverity(m.severity, unknown),
          target: r.target,
          resultClass: r.class,
          title: m.title,
          url: advisoryUrl(m.id, m.primaryUrl),
        });
      }
    }
  }
  return { findings, unfixedDropped, unknownSeverities: [...unknown] };
}

export function countBySeverity(findings: readonly Finding[]): Counts {
  const c: Counts = { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0, total: 0 };
  for (const f of findings) {
    c[f.severity]++;
    c.total++;
  }
  return c;
}

/** Findings at or above the threshold (`HIGH` = HIGH and CRITICAL; `UNKNOWN` = every finding). */
export function failing(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'NONE') return [];
  const min = severityRank(failOn);
  return findings.filter((f) => severityRank(f.severity) >= min);
}

/** code-unit order: stable and cheap (localeCompare would load ICU collation for a few hundred rows) */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Most severe first; then fixable before unfixable; then by id, for a stable order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (b.cvss3 ?? -1) - (a.cvss3 ?? -1) ||
      Number(b.fixedVersion !== '') - Number(a.fixedVersion !== '') ||
      cmp(a.id, b.id) ||
      cmp(a.pkgName, b.pkgName) ||
      cmp(a.target, b.target),
  );
}

/**
 * "2 CRITICAL, 0 HIGH, 4 MEDIUM — failed (threshold CRITICAL)": CRITICAL and HIGH always, lower
 * severities when there are any.
 */
export function summaryLine(counts: Counts, passed: boolean, failOn: FailOn): string {
  const parts = [`${counts.CRITICAL} CRITICAL`, `${counts.HIGH} HIGH`];
  for (const s of ['MEDIUM', 'LOW', 'UNKNOWN'] as const) if (counts[s] > 0) parts.push(`${counts[s]} ${s}`);
  const verdict =
    failOn === 'NONE' ? 'passed (report only, fail-on NONE)' : `${passed ? 'passed' : 'failed'} (threshold ${failOn})`;
  return `${parts.join(', ')} — ${verdict}`;
}
