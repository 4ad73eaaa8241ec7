/**
 * Counts and decisions for EVERY recorded report, against numbers computed here from the raw JSON
 * with independent code (no use of the action's parser), for each threshold and both ignore-unfixed
 * settings.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Trivy, type TrivyScanner } from '@polyglot-cd/tools';
import {
  advisoryUrl,
  countBySeverity,
  extractFindings,
  failing,
  sortFindings,
  summaryLine,
  type FailOn,
} from '../../../actions/trivy-gate/src/findings.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';

const reports = [
  ...readdirSync(fixturePath('trivy')).filter((f) => f.endsWith('.json')),
  ...readdirSync(fixturePath('trivy/securecodebox')).map((f) => `securecodebox/${f}`),
];

const ORDER = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

interface RawFinding {
  Severity: string;
  FixedVersion?: string;
  Status?: string;
}
interface RawDoc {
  Results?: { Vulnerabilities?: RawFinding[]; Secrets?: RawFinding[]; Misconfigurations?: RawFinding[] }[];
}

/** the expected severities of the counted findings, straight from the JSON */
function expectedSeverities(rel: string, scanners: readonly TrivyScanner[], ignoreUnfixed: boolean): string[] {
  const doc = JSON.parse(readFixture(`trivy/${rel}`)) as RawDoc;
  const out: string[] = [];
  for (const r of doc.Results ?? []) {
    if (scanners.includes('vuln'))
      for (const v of r.Vulnerabilities ?? [])
        if (!ignoreUnfixed || (v.FixedVersion ?? '') !== '') out.push(v.Severity);
    if (scanners.includes('secret')) for (const s of r.Secrets ?? []) out.push(s.Severity);
    if (scanners.includes('misconfig'))
      for (const m of r.Misconfigurations ?? []) if (m.Status === 'FAIL') out.push(m.Severity);
  }
  return out;
}

const tally = (sevs: string[]): Record<string, number> =>
  Object.fromEntries(ORDER.map((s) => [s, sevs.filter((x) => x === s).length]));

const cases = reports.flatMap((rel) =>
  ([['vuln'], ['vuln', 'secret', 'misconfig']] as TrivyScanner[][]).flatMap((scanners) =>
    [false, true].map((ignoreUnfixed) => ({ rel, scanners, ignoreUnfixed })),
  ),
);

describe('counts and decision for every recorded report', () => {
  it.each(cases)('$rel, scanners $scanners, ignore-unfixed $ignoreUnfixed', ({ rel, scanners, ignoreUnfixed }) => {
    const sevs = expectedSeverities(rel, scanners, ignoreUnfixed);
    const want = tally(sevs);
    const { findings } = extractFindings(Trivy.parseReport(readFixture(`trivy/${rel}`)), { scanners, ignoreUnfixed });
    const counts = countBySeverity(findings);
    for (const s of ORDER) expect(counts[s as keyof typeof counts], s).toBe(want[s]);
    expect(counts.total).toBe(sevs.length);
    for (const failOn of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN', 'NONE'] as FailOn[]) {
      const atOrAbove = failOn === 'NONE' ? 0 : sevs.filter((s) => ORDER.indexOf(s) >= ORDER.indexOf(failOn)).length;
      expect(failing(findings, failOn), `fail-on ${failOn}`).toHaveLength(atOrAbove);
    }
  });

  it('sanity: the fixtures cover pass and fail at the default threshold', () => {
    const crit = (rel: string): number => tally(expectedSeverities(rel, ['vuln'], false))['CRITICAL'] as number;
    expect(crit('alpine-39.json')).toBeGreaterThan(0);
    expect(crit('ubuntu-1804.json')).toBe(0);
    expect(crit('securecodebox/juice-shop-v12.10.2.json')).toBeGreaterThan(0);
  });
});

describe('findings', () => {
  it('secrets count only with the secret scanner; misconfigurations only when FAIL', () => {
    const secrets = Trivy.parseReport(readFixture('trivy/secrets.json'));
    expect(extractFindings(secrets, { scanners: ['vuln'], ignoreUnfixed: false }).findings).toEqual([]);
    const s = extractFindings(secrets, { scanners: ['secret'], ignoreUnfixed: false }).findings;
    expect(s.map((f) => [f.kind, f.id, f.severity, f.target])).toEqual([
      ['secret', 'aws-access-key-id', 'CRITICAL', 'deploy.sh'],
      ['secret', 'mysecret', 'HIGH', 'deploy.sh'],
    ]);
    const m = extractFindings(Trivy.parseReport(readFixture('trivy/dockerfile.json')), {
      scanners: ['misconfig'],
      ignoreUnfixed: false,
    }).findings;
    expect(m.map((f) => [f.kind, f.id, f.severity])).toEqual([['misconfiguration', 'DS-0002', 'HIGH']]);
    expect(m[0]?.altIds.length).toBeLessThanOrEqual(1);
  });

  it('ignore-unfixed drops vulnerabilities with no fixed version and counts them', () => {
    const r = Trivy.parseReport(readFixture('trivy/distroless-python27.json'));
    const x = extractFindings(r, { scanners: ['vuln'], ignoreUnfixed: true });
    expect(x.unfixedDropped).toBe(2);
    expect(x.findings.every((f) => f.fixedVersion !== '')).toBe(true);
  });

  it('an unknown severity string is counted as UNKNOWN and reported', () => {
    const doc = JSON.parse(readFixture('trivy/alpine-39-high-critical.json'));
    doc.Results[0].Vulnerabilities[0].Severity = 'SEVERE';
    const x = extractFindings(Trivy.parseReport(JSON.stringify(doc)), { scanners: ['vuln'], ignoreUnfixed: false });
    expect(x.unknownSeverities).toEqual(['SEVERE']);
    expect(countBySeverity(x.findings)).toMatchObject({ UNKNOWN: 1, CRITICAL: 1 });
  });

  it('sorts most severe first, then by CVSS, then fixable first', () => {
    const x = extractFindings(Trivy.parseReport(readFixture('trivy/securecodebox/juice-shop-v12.10.2.json')), {
      scanners: ['vuln'],
      ignoreUnfixed: false,
    });
    const sorted = sortFindings(x.findings);
    const ranks = sorted.map((f) => ORDER.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(sorted[0]?.severity).toBe('CRITICAL');
  });

  it.each([
    ['CVE-2019-14697', '', 'https://avd.aquasec.com/nvd/cve-2019-14697'],
    ['GHSA-c2qf-rxjj-qqgw', '', 'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw'],
    ['CVE-2021-3807', 'https://avd.aquasec.com/nvd/cve-2021-3807', 'https://avd.aquasec.com/nvd/cve-2021-3807'],
    ['CVE-2021-44228', 'javascript:alert(1)', 'https://avd.aquasec.com/nvd/cve-2021-44228'],
    ['x" onclick="y', 'javascript:alert(1)', ''],
    ['NSWG-ECO-1', '', ''],
  ])('advisory link for %s', (id, primary, want) => {
    expect(advisoryUrl(id, primary)).toBe(want);
  });
});

describe('summary line', () => {
  const counts = (c: Partial<Record<string, number>>) => ({
    UNKNOWN: 0,
    LOW: 0,
    MEDIUM: 0,
    HIGH: 0,
    CRITICAL: 0,
    total: 0,
    ...c,
  });
  it.each([
    [counts({ CRITICAL: 2, total: 2 }), false, 'CRITICAL', '2 CRITICAL, 0 HIGH — failed (threshold CRITICAL)'],
    [
      counts({ MEDIUM: 4, LOW: 1, total: 5 }),
      true,
      'CRITICAL',
      '0 CRITICAL, 0 HIGH, 4 MEDIUM, 1 LOW — passed (threshold CRITICAL)',
    ],
    [
      counts({ HIGH: 1, UNKNOWN: 3, total: 4 }),
      false,
      'HIGH',
      '0 CRITICAL, 1 HIGH, 3 UNKNOWN — failed (threshold HIGH)',
    ],
    [counts({ CRITICAL: 1, total: 1 }), true, 'NONE', '1 CRITICAL, 0 HIGH — passed (report only, fail-on NONE)'],
  ] as const)('%j', (c, passed, failOn, want) => {
    expect(summaryLine(c, passed, failOn as FailOn)).toBe(want);
  });
});

describe('the input lists', () => {
  it("are the tools package's lists (inputs.ts keeps its own copy off the start path)", async () => {
    const { SEVERITIES, SCANNERS } = await import('../../../actions/trivy-gate/src/inputs.js');
    const { TRIVY_SEVERITIES, TRIVY_SCANNERS } = await import('@polyglot-cd/tools');
    expect([...SEVERITIES]).toEqual([...TRIVY_SEVERITIES]);
    expect([...SCANNERS]).toEqual([...TRIVY_SCANNERS]);
  });
});
