/**
 * The job-summary section, as Markdown built from escaped parts: the decision, counts per severity
 * (and per kind), the top findings with package, installed and fixed version and a linked id, the
 * rest collapsed, what the ignore rules suppressed, which entries expired, which have no expiry.
 * Pure: every report string is escaped here (report contents are attacker-influenced: package
 * names, titles and paths come from the scanned image).
 */
import { escapeHtml, escapeMarkdown, link } from '@polyglot-cd/action-kit';
import { TRIVY_SEVERITIES, type TrivyScanner, type TrivySeverity } from '@polyglot-cd/tools/trivy';
import type { Counts, FailOn, Finding, FindingKind } from './findings.js';
import type { IgnoreRule, Suppression } from './ignore.js';

export interface SummaryModel {
  /** image ref or archive path */
  target: string;
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

const FINDING_HEADER = [
  row(['Severity', 'ID', 'Package', 'Installed', 'Fixed', 'Where']),
  row(['---', '---', '---', '---', '---', '---']),
];

function findingTable(findings: readonly Finding[]): string {
  const shown = findings.slice(0, MAX_ROWS);
  const more = findings.length - shown.length;
  return (
    [...FINDING_HEADER, ...shown.map(findingRow)].join('\n') +
    (more > 0 ? `\n\n…and ${more} more: see the JSON report.` : '')
  );
}

function details(title: string, body: string): string {
  return `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>\n\n`;
}

function ruleLabel(r: IgnoreRule): string {
  return `${md(r.id)} (${md(r.where)})`;
}

export function renderSummary(m: SummaryModel): string {
  const top = m.top ?? 10;
  const out: string[] = [];
  out.push(`## Trivy gate: ${m.passed ? 'passed' : 'failed'}\n\n`);
  out.push(`**${md(m.line)}**\n\n`);

  const facts: [string, string][] = [
    ['Scanned', `<code>${escapeHtml(m.target)}</code>`],
    [
      'Fails on',
      m.failOn === 'NONE'
        ? 'nothing (report only)'
        : m.failOn === 'UNKNOWN'
          ? 'any finding'
          : `${m.failOn}${m.failOn === 'CRITICAL' ? '' : ' and above'}`,
    ],
    ['Findings at or above the threshold', String(m.failingCount)],
    ['Reported severities', m.severities.join(', ')],
    ['Scanners', m.scanners.join(', ')],
    ['Trivy', md(m.trivyVersion || 'unknown')],
  ];
  if (m.dbUpdatedAt)
    facts.push([
      'Vulnerability DB',
      `updated ${m.dbUpdatedAt.toISOString().replace(/\.\d+Z$/, 'Z')}${m.dbAgeHours !== undefined ? ` (${m.dbAgeHours.toFixed(1)} h old)` : ''}`,
    ]);
  if (m.ignoreUnfixed) facts.push(['Unfixed vulnerabilities', `left out (ignore-unfixed): ${m.unfixedDropped}`]);
  facts.push(['Ignore file', m.ignoreFile ? `<code>${escapeHtml(m.ignoreFile)}</code>` : 'none']);
  facts.push(['JSON report', `<code>${escapeHtml(m.reportPath)}</code>`]);
  if (m.sarifPath) facts.push(['SARIF', `<code>${escapeHtml(m.sarifPath)}</code>`]);
  out.push([row(['Field', 'Value']), row(['---', '---']), ...facts.map(([k, v]) => row([k, v]))].join('\n') + '\n\n');

  // counts per severity and kind
  const cols = m.scanners.map((s) => KIND_COLUMN[s]);
  const countRows = [...TRIVY_SEVERITIES].reverse().map((sev) => {
    const byKind = cols.map((c) => String(m.findings.filter((f) => f.kind === c.kind && f.severity === sev).length));
    const mark = m.severities.includes(sev) ? sev : `${sev} (not listed)`;
    return row([mark, ...(cols.length > 1 ? byKind : []), `**${m.counts[sev]}**`]);
  });
  const header = ['Severity', ...(cols.length > 1 ? cols.map((c) => c.title) : []), 'Total'];
  out.push(
    [
      row(header),
      row(header.map(() => '---')),
      ...countRows,
      row([
        '**Total**',
        ...(cols.length > 1 ? cols.map((c) => String(m.findings.filter((f) => f.kind === c.kind).length)) : []),
        `**${m.counts.total}**`,
      ]),
    ].join('\n') + '\n\n',
  );

  const listed = m.findings.filter((f) => m.severities.includes(f.severity));
  if (listed.length > 0) {
    out.push(`### Top findings (${Math.min(top, listed.length)} of ${listed.length})\n\n`);
    out.push(findingTable(listed.slice(0, top)) + '\n\n');
    if (listed.length > top) out.push(details(`All ${listed.length} findings`, findingTable(listed)));
  } else {
    out.push(`No findings at ${m.severities.join(', ')}.\n\n`);
  }

  if (m.suppressed.length > 0) {
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
    out.push(`### Suppressed by ignore entries (${m.suppressed.length})\n\n`);
    out.push(details(`${m.suppressed.length} suppressed finding(s)`, [...header, ...rows].join('\n')));
  }

  if (m.expired.length > 0) {
    out.push(`### Expired ignore entries (${m.expired.length})\n\n`);
    out.push('These entries have passed their expiry date and no longer suppress anything:\n\n');
    for (const e of m.expired) {
      const n = e.matched.length;
      out.push(
        `- ${ruleLabel(e.rule)}, expired ${date(e.rule.expiresAt as Date)}: ${n === 0 ? 'matches no finding in this report' : `${n} finding(s) it matches are counted again`}\n`,
      );
    }
    out.push('\n');
  }

  if (m.noExpiry.length > 0) {
    out.push(`### Ignore entries without expiry (${m.noExpiry.length})\n\n`);
    out.push(
      m.requireExpiry
        ? 'require-expiry is true: add `expired_at: YYYY-MM-DD` (or `exp:YYYY-MM-DD`) to each:\n\n'
        : 'These never expire. Add `expired_at: YYYY-MM-DD` (or `exp:YYYY-MM-DD`) so accepted risks are reviewed again:\n\n',
    );
    for (const r of m.noExpiry.slice(0, MAX_ROWS)) out.push(`- ${ruleLabel(r)}\n`);
    out.push('\n');
  }
  return out.join('');
}

/** The summary when no decision could be made (no report, stale DB, unreadable report). */
export function renderUndecided(target: string, reason: string, extra: readonly [string, string][] = []): string {
  const facts = [
    ['Scanned', `<code>${escapeHtml(target)}</code>`],
    ['Result', 'not decided: infrastructure failure, **not a pass**'],
    ...extra.map(([k, v]) => [k, md(v)] as const),
  ];
  return (
    '## Trivy gate: not decided\n\n' +
    [row(['Field', 'Value']), row(['---', '---']), ...facts.map(([k, v]) => row([k as string, v as string]))].join(
      '\n',
    ) +
    `\n\nReason: <code>${escapeHtml(reason)}</code>\n\n`
  );
}
