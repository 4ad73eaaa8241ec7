/**
 * The job-summary section, as Markdown built from escaped parts: the decision, counts per severity
 * (and per kind), the top findings with package, installed and fixed version and a linked id, the
 * rest collapsed, what the ignore rules suppressed, which entries expired, which have no expiry.
 * Also the gate's report (GateReport) and how it becomes the step's outputs and the job summary.
 * Pure: every report string is escaped here (report contents are attacker-influenced: package
 * names, titles and paths come from the scanned image).
 */
import { escapeHtml, escapeMarkdown, link, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import type { TrivyScanner, TrivySeverity } from '@polyglot-cd/tools/trivy';
import type { Counts, FailOn, Finding, FindingKind } from './findings.js';
import type { IgnoreRule, Suppression } from './ignore.js';
// the same list as TRIVY_SEVERITIES, without loading @polyglot-cd/tools before the inputs are valid
import { SEVERITIES as TRIVY_SEVERITIES } from './inputs.js';

export interface SummaryModel {
  /** image ref, archive path or folder */
  target: string;
  /** what `target` is (default image) */
  targetKind?: 'image' | 'archive' | 'folder';
  /** the folders a folder scan skipped, relative to it (skip-dirs) */
  skipDirs?: readonly string[];
  /** the manifest digest scanned, the `digest` output ('' for a docker-save tar, which has none) */
  digest: string;
  passed: boolean;
  failOn: FailOn;
  line: string;
  counts: Counts;
  /** kept findings, most severe first */
  findings: readonly Finding[];
  failingCount: number;
  severities: readonly TrivySeverity[];
  scanners: readonly TrivyScanner[];
  suppressed: readonly Suppression[];
  expired: readonly { rule: IgnoreRule; matched: readonly Finding[] }[];
  noExpiry: readonly IgnoreRule[];
  ignoreFile: string;
  requireExpiry: boolean;
  ignoreUnfixed: boolean;
  unfixedDropped: number;
  trivyVersion: string;
  dbUpdatedAt?: Date;
  dbAgeHours?: number;
  reportPath: string;
  sarifPath: string;
  /** rows shown before the rest is collapsed */
  top?: number;
}

/** Most rows in one collapsed table; the JSON report has them all. */
export const MAX_ROWS = 500;

const md = (s: string): string => escapeMarkdown(s);
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const date = (d: Date): string => d.toISOString().slice(0, 10);

const KIND_COLUMN: Record<TrivyScanner, { kind: FindingKind; title: string }> = {
  vuln: { kind: 'vulnerability', title: 'Vulnerabilities' },
  secret: { kind: 'secret', title: 'Secrets' },
  misconfig: { kind: 'misconfiguration', title: 'Misconfigurations' },
};

function idCell(f: Finding): string {
  return f.url ? link(f.id, f.url) : md(f.id);
}

function findingRow(f: Finding): string {
  if (f.kind === 'vulnerability') {
    return row([
      f.severity,
      idCell(f),
      md(f.pkgName),
      md(f.installedVersion),
      f.fixedVersion ? md(f.fixedVersion) : '_none_',
      md(f.pkgPath || f.target),
    ]);
  }
  const where = f.line ? `${f.target}:${f.line}` : f.target;
  return row([f.severity, idCell(f), md(f.title), '', '', md(where)]);
}

/** A secret or misconfiguration: the file, the line, the rule and its title; never the matched text. */
function fileRow(f: Finding): string {
  return row([f.severity, idCell(f), md(f.title), md(f.target), f.line ? String(f.line) : '']);
}

const FINDING_HEADER = [
  row(['Severity', 'ID', 'Package', 'Installed', 'Fixed', 'Where']),
  row(['---', '---', '---', '---', '---', '---']),
];
const FILE_HEADER = [row(['Severity', 'Rule', 'Title', 'File', 'Line']), row(['---', '---', '---', '---', '---'])];

/** Vulnerabilities by package; a table of secrets and misconfigurations only, by file and line. */
function findingTable(findings: readonly Finding[]): string {
  const shown = findings.slice(0, MAX_ROWS);
  const more = findings.length - shown.length;
  const byFile = findings.every((f) => f.kind !== 'vulnerability');
  const lines = byFile ? [...FILE_HEADER, ...shown.map(fileRow)] : [...FINDING_HEADER, ...shown.map(findingRow)];
  return lines.join('\n') + (more > 0 ? `\n\n…and ${more} more: see the JSON report.` : '');
}

function details(title: string, body: string): string {
  return `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>\n\n`;
}

function ruleLabel(r: IgnoreRule): string {
  return `${md(r.id)} (${md(r.where)})`;
}

function failsOn(failOn: FailOn): string {
  if (failOn === 'NONE') return 'nothing (report only)';
  if (failOn === 'UNKNOWN') return 'any finding';
  return `${failOn}${failOn === 'CRITICAL' ? '' : ' and above'}`;
}

/** What was scanned: an image or archive, or a folder and what of it was skipped. */
function targetFacts(m: SummaryModel): [string, string][] {
  const scanned: [string, string] = [
    m.targetKind === 'folder' ? 'Scanned folder' : 'Scanned',
    `<code>${escapeHtml(m.target)}</code>`,
  ];
  if (m.targetKind !== 'folder') {
    const digest = m.digest
      ? `<code>${escapeHtml(m.digest)}</code>`
      : 'none (a docker-save tar has no manifest digest)';
    return [scanned, ['Manifest digest', digest]];
  }
  const skipped = m.skipDirs ?? [];
  return [
    scanned,
    [
      'Skipped folders',
      skipped.length ? skipped.map((d) => `<code>${escapeHtml(d)}</code>`).join(', ') : 'none (skip-dirs not set)',
    ],
  ];
}

function factsTable(m: SummaryModel): string {
  const facts: [string, string][] = [
    ...targetFacts(m),
    ['Fails on', failsOn(m.failOn)],
    ['Findings at or above the threshold', String(m.failingCount)],
    ['Reported severities', m.severities.join(', ')],
    ['Scanners', m.scanners.join(', ')],
    ['Trivy', md(m.trivyVersion || 'unknown')],
  ];
  if (!m.scanners.includes('vuln'))
    facts.push(['Vulnerability DB', 'not used (no vuln scanner): not downloaded, max-db-age does not apply']);
  if (m.dbUpdatedAt)
    facts.push([
      'Vulnerability DB',
      `updated ${m.dbUpdatedAt.toISOString().replace(/\.\d+Z$/, 'Z')}${m.dbAgeHours !== undefined ? ` (${m.dbAgeHours.toFixed(1)} h old)` : ''}`,
    ]);
  if (m.ignoreUnfixed) facts.push(['Unfixed vulnerabilities', `left out (ignore-unfixed): ${m.unfixedDropped}`]);
  facts.push(['Ignore file', m.ignoreFile ? `<code>${escapeHtml(m.ignoreFile)}</code>` : 'none']);
  facts.push(['JSON report', `<code>${escapeHtml(m.reportPath)}</code>`]);
  if (m.sarifPath) facts.push(['SARIF', `<code>${escapeHtml(m.sarifPath)}</code>`]);
  return [row(['Field', 'Value']), row(['---', '---']), ...facts.map(([k, v]) => row([k, v]))].join('\n') + '\n\n';
}

/** Counts per severity, with a column per kind when more than one scanner ran. */
function countsTable(m: SummaryModel): string {
  const cols = m.scanners.map((s) => KIND_COLUMN[s]);
  const perKind = cols.length > 1;
  const countRows = [...TRIVY_SEVERITIES].reverse().map((sev) => {
    const byKind = cols.map((c) => String(m.findings.filter((f) => f.kind === c.kind && f.severity === sev).length));
    const mark = m.severities.includes(sev) ? sev : `${sev} (not listed)`;
    return row([mark, ...(perKind ? byKind : []), `**${m.counts[sev]}**`]);
  });
  const header = ['Severity', ...(perKind ? cols.map((c) => c.title) : []), 'Total'];
  const totals = perKind ? cols.map((c) => String(m.findings.filter((f) => f.kind === c.kind).length)) : [];
  return (
    [
      row(header),
      row(header.map(() => '---')),
      ...countRows,
      row(['**Total**', ...totals, `**${m.counts.total}**`]),
    ].join('\n') + '\n\n'
  );
}

function topFindings(m: SummaryModel): string {
  const top = m.top ?? 10;
  const listed = m.findings.filter((f) => m.severities.includes(f.severity));
  if (listed.length === 0) return `No findings at ${m.severities.join(', ')}.\n\n`;
  return (
    `### Top findings (${Math.min(top, listed.length)} of ${listed.length})\n\n` +
    findingTable(listed.slice(0, top)) +
    '\n\n' +
    (listed.length > top ? details(`All ${listed.length} findings`, findingTable(listed)) : '')
  );
}

function suppressedSection(m: SummaryModel): string {
  if (m.suppressed.length === 0) return '';
  const header = [
    row(['Severity', 'ID', 'Package or target', 'Ignore entry', 'Statement', 'Expires']),
    row(['---', '---', '---', '---', '---', '---']),
  ];
  const rows = m.suppressed
    .slice(0, MAX_ROWS)
    .map(({ finding: f, rule }) =>
      row([
        f.severity,
        idCell(f),
        md(f.pkgName || f.target),
        md(rule.where),
        md(rule.statement || '—'),
        rule.expiresAt ? date(rule.expiresAt) : '**never**',
      ]),
    );
  return (
    `### Suppressed by ignore entries (${m.suppressed.length})\n\n` +
    details(`${m.suppressed.length} suppressed finding(s)`, [...header, ...rows].join('\n'))
  );
}

function expiredSection(m: SummaryModel): string {
  if (m.expired.length === 0) return '';
  const out = [`### Expired ignore entries (${m.expired.length})\n\n`];
  out.push('These entries have passed their expiry date and no longer suppress anything:\n\n');
  for (const e of m.expired) {
    const n = e.matched.length;
    out.push(
      `- ${ruleLabel(e.rule)}, expired ${date(e.rule.expiresAt as Date)}: ${n === 0 ? 'matches no finding in this report' : `${n} finding(s) it matches are counted again`}\n`,
    );
  }
  return out.join('') + '\n';
}

function noExpirySection(m: SummaryModel): string {
  if (m.noExpiry.length === 0) return '';
  const out = [`### Ignore entries without expiry (${m.noExpiry.length})\n\n`];
  out.push(
    m.requireExpiry
      ? 'require-expiry is true: add `expired_at: YYYY-MM-DD` (or `exp:YYYY-MM-DD`) to each:\n\n'
      : 'These never expire. Add `expired_at: YYYY-MM-DD` (or `exp:YYYY-MM-DD`) so accepted risks are reviewed again:\n\n',
  );
  for (const r of m.noExpiry.slice(0, MAX_ROWS)) out.push(`- ${ruleLabel(r)}\n`);
  return out.join('') + '\n';
}

export function renderSummary(m: SummaryModel): string {
  return [
    `## Trivy gate: ${m.passed ? 'passed' : 'failed'}\n\n`,
    `**${md(m.line)}**\n\n`,
    factsTable(m),
    countsTable(m),
    topFindings(m),
    suppressedSection(m),
    expiredSection(m),
    noExpirySection(m),
  ].join('');
}

/** The summary when no decision could be made (no report, stale DB, unreadable report). */
export function renderUndecided(target: string, reason: string, what = 'the scan failed'): string {
  const facts = [
    ['Scanned', `<code>${escapeHtml(target)}</code>`],
    ['Result', `not decided: ${md(what)}, **not a pass**`],
  ];
  return (
    '## Trivy gate: not decided\n\n' +
    [row(['Field', 'Value']), row(['---', '---']), ...facts.map(([k, v]) => row([k as string, v as string]))].join(
      '\n',
    ) +
    `\n\nReason: <code>${escapeHtml(reason)}</code>\n\n`
  );
}

/** What the gate knows, filled in phase by phase; the outputs and the summary are made from it. */
export interface GateReport {
  /** image ref, archive path or folder ('' until the inputs are read) */
  target: string;
  /** `checks`: inputs read, nothing installed or scanned yet; `scan`: from the install on */
  stage: 'inputs' | 'checks' | 'scan';
  /** why no decision was made ('' while none is known) */
  reason: string;
  /** the JSON report, when trivy wrote one */
  reportPath: string;
  /** the decision, once the report was checked and analysed */
  decided?: SummaryModel;
}

export function initialReport(): GateReport {
  return { target: '', stage: 'inputs', reason: '', reportPath: '' };
}

/**
 * The step's outputs. `passed` is written from the first install or scan on (false until decided);
 * before that nothing ran and only `summary` says why. `digest` only with a decision: what was scanned.
 */
export function outputs(r: GateReport): Record<string, OutputValue> {
  const m = r.decided;
  if (m) {
    const c = m.counts;
    return {
      passed: m.passed,
      digest: m.digest,
      critical: c.CRITICAL,
      high: c.HIGH,
      medium: c.MEDIUM,
      low: c.LOW,
      unknown: c.UNKNOWN,
      total: c.total,
      report: m.reportPath,
      sarif: m.sarifPath,
      summary: m.line,
    };
  }
  if (r.stage === 'scan') return { passed: false, summary: `not decided — ${r.reason}`, report: r.reportPath };
  return { summary: `not scanned — ${r.reason || 'an input is not valid'}` };
}

const UNDECIDED_WHAT: Partial<Record<Ending['kind'], string>> = {
  infrastructure: 'infrastructure failure',
  tool: 'trivy failed',
  input: 'the scan cannot be used',
  cancelled: 'cancelled',
};

/** The job summary: the decision, or why there is none (the kit adds the failure block). */
export function summary(r: GateReport, s: Summary, end: Ending): void {
  if (r.decided) {
    s.raw(renderSummary(r.decided));
    return;
  }
  if (r.stage === 'scan') {
    s.raw(renderUndecided(r.target, r.reason || 'unknown', UNDECIDED_WHAT[end.kind] ?? 'the scan failed'));
    return;
  }
  s.heading('Trivy gate: not scanned');
  if (r.target) s.facts([['Scanned', r.target]]);
}
