/**
 * SARIF 2.1.0 for GitHub code scanning, written from the same report the gate decided on (no second
 * Trivy run). The shape follows `trivy --format sarif` (one rule per id, `security-severity` from
 * CVSS v3 or the severity, levels error/warning/note); findings hidden by an ignore entry are kept
 * with an external suppression and its statement, so code scanning shows them as dismissed rather
 * than losing them. Pure.
 */
import type { TrivySeverity } from '@polyglot-cd/tools/trivy';
import type { Finding } from './findings.js';
import type { Suppression } from './ignore.js';

export const SARIF_SCHEMA =
  'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json';

const LEVEL: Record<TrivySeverity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/** Used when no CVSS v3 score is known (the values Trivy uses). */
const DEFAULT_SCORE: Record<TrivySeverity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: '0.0',
};

const RULE_NAME: Record<string, string> = {
  'os-pkgs': 'OsPackageVulnerability',
  'lang-pkgs': 'LanguageSpecificPackageVulnerability',
  secret: 'Secret',
  config: 'Misconfiguration',
};

export interface SarifOptions {
  trivyVersion: string;
  /** the scanned image or archive: the location of OS-package findings */
  artifactName: string;
  /** only these severities are written */
  severities: readonly TrivySeverity[];
}

export interface SarifDriver {
  fullName: string;
  informationUri: string;
  name: string;
  rules: unknown[];
  /** the Trivy version; set once known (the gate learns it while the report is analysed) */
  version?: string;
}

export interface SarifLog {
  version: '2.1.0';
  $schema: string;
  runs: [
    {
      tool: { driver: SarifDriver };
      results: unknown[];
      columnKind: string;
      originalUriBaseIds: Record<string, { uri: string }>;
      properties: { imageName: string };
    },
  ];
}

function ruleId(f: Finding): string {
  return f.id || `${f.kind}-unknown`;
}

function location(f: Finding, artifactName: string): { uri: string; line: number } {
  if (f.kind === 'vulnerability') return { uri: (f.pkgPath || artifactName).replace(/^\/+/, ''), line: 1 };
  return { uri: (f.target || artifactName).replace(/^\/+/, ''), line: f.line && f.line > 0 ? f.line : 1 };
}

function describe(f: Finding): string {
  if (f.kind === 'vulnerability') {
    return [
      `Package: ${f.pkgName}`,
      `Installed Version: ${f.installedVersion}`,
      `Vulnerability ${f.id}`,
      `Severity: ${f.severity}`,
      `Fixed Version: ${f.fixedVersion || '(none)'}`,
      ...(f.url ? [`Link: [${f.id}](${f.url})`] : []),
    ].join('\n');
  }
  if (f.kind === 'secret') return `Artifact: ${f.target}\nType: ${f.title}\nSecret ${f.id}\nSeverity: ${f.severity}`;
  return `Artifact: ${f.target}\nMisconfiguration ${f.id}\nSeverity: ${f.severity}\n${f.title}`;
}

function ruleFor(f: Finding, id: string, text: string): Record<string, unknown> {
  return {
    id,
    name:
      RULE_NAME[f.resultClass] ??
      (f.kind === 'vulnerability' ? 'Vulnerability' : f.kind === 'secret' ? 'Secret' : 'Misconfiguration'),
    shortDescription: { text: f.title || id },
    fullDescription: { text: f.title || id },
    defaultConfiguration: { level: LEVEL[f.severity] },
    ...(f.url ? { helpUri: f.url } : {}),
    help: { text, markdown: text },
    properties: {
      precision: 'very-high',
      'security-severity': f.cvss3 !== undefined ? f.cvss3.toFixed(1) : DEFAULT_SCORE[f.severity],
      tags: [f.kind, 'security', f.severity],
    },
  };
}

function resultFor(f: Finding, s: Suppression | undefined, ruleIndex: number, text: string, artifactName: string) {
  const loc = location(f, artifactName);
  const result: Record<string, unknown> = {
    ruleId: ruleId(f),
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: loc.uri || 'image', uriBaseId: 'ROOTPATH' },
          region: { startLine: loc.line, startColumn: 1, endLine: loc.line, endColumn: 1 },
        },
        message: { text: f.kind === 'vulnerability' ? `${f.target}: ${f.pkgName}@${f.installedVersion}` : f.target },
      },
    ],
  };
  if (s) {
    result['suppressions'] = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${s.rule.statement || 'ignored'} (${s.rule.where}${s.rule.expiresAt ? `, until ${s.rule.expiresAt.toISOString().slice(0, 10)}` : ''})`,
      },
    ];
  }
  return result;
}

export function toSarif(kept: readonly Finding[], suppressed: readonly Suppression[], o: SarifOptions): SarifLog {
  const wanted = new Set(o.severities);
  const rows: { f: Finding; s?: Suppression }[] = [
    ...kept.map((f) => ({ f })),
    ...suppressed.map((s) => ({ f: s.finding, s })),
  ].filter((r) => wanted.has(r.f.severity));

  const rules: Record<string, unknown>[] = [];
  const index = new Map<string, number>();
  const results = rows.map(({ f, s }) => {
    const id = ruleId(f);
    const text = describe(f);
    let i = index.get(id);
    if (i === undefined) {
      i = rules.length;
      index.set(id, i);
      rules.push(ruleFor(f, id, text));
    }
    return resultFor(f, s, i, text, o.artifactName);
  });

  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            fullName: 'Trivy Vulnerability Scanner',
            informationUri: 'https://github.com/aquasecurity/trivy',
            name: 'Trivy',
            rules,
            ...(o.trivyVersion ? { version: o.trivyVersion } : {}),
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
        properties: { imageName: o.artifactName },
      },
    ],
  };
}
