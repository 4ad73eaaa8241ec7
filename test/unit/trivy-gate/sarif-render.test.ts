/**
 * The SARIF writer against the SARIF 2.1.0 shape (the checker is first run on the real
 * `trivy --format sarif` output, alpine-310.sarif, so it is known to accept what Trivy emits), and
 * the job-summary renderer: escaping of hostile report strings, top findings, collapsed lists.
 */
import { describe, expect, it } from 'vitest';
import { Trivy, type TrivyScanner, type TrivySeverity } from '@polyglot-cd/tools';
import {
  countBySeverity,
  extractFindings,
  failing,
  sortFindings,
  summaryLine,
  type Finding,
} from '../../../actions/trivy-gate/src/findings.js';
import { applyIgnores, parseTrivyignore } from '../../../actions/trivy-gate/src/ignore.js';
import {
  MAX_ROWS,
  renderSummary,
  renderUndecided,
  type SummaryModel,
} from '../../../actions/trivy-gate/src/summary.js';
import { SARIF_SCHEMA, toSarif } from '../../../actions/trivy-gate/src/sarif.js';
import { readFixture } from '../../helpers/fixtures.js';

const ALL: TrivySeverity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** SARIF 2.1.0 structural rules GitHub code scanning relies on (sarif-schema-2.1.0.json, §3). */
function sarifProblems(doc: unknown): string[] {
  const p: string[] = [];
  const d = doc as Record<string, unknown>;
  if (d['version'] !== '2.1.0') p.push('version must be "2.1.0"');
  if (typeof d['$schema'] !== 'string' || !String(d['$schema']).includes('sarif-schema-2.1.0')) p.push('$schema');
  const runs = d['runs'];
  if (!Array.isArray(runs) || runs.length === 0) return [...p, 'runs must be a non-empty array'];
  runs.forEach((run: Record<string, unknown>, ri) => {
    const driver = (run['tool'] as Record<string, Record<string, unknown>> | undefined)?.['driver'];
    if (!driver || typeof driver['name'] !== 'string') p.push(`runs[${ri}].tool.driver.name`);
    const rules = (driver?.['rules'] ?? []) as Record<string, unknown>[];
    if (!Array.isArray(rules)) p.push('rules must be an array');
    const ids = new Set<string>();
    rules.forEach((r, i) => {
      if (typeof r['id'] !== 'string' || r['id'] === '') p.push(`rules[${i}].id`);
      if (ids.has(r['id'] as string)) p.push(`rules[${i}].id duplicated`);
      ids.add(r['id'] as string);
      const sev = (r['properties'] as Record<string, unknown> | undefined)?.['security-severity'];
      if (sev !== undefined && !/^\d+(\.\d+)?$/.test(String(sev))) p.push(`rules[${i}] security-severity`);
    });
    const results = run['results'];
    if (!Array.isArray(results)) return p.push(`runs[${ri}].results must be an array`);
    results.forEach((res: Record<string, unknown>, i: number) => {
      const msg = res['message'] as Record<string, unknown> | undefined;
      if (!msg || typeof msg['text'] !== 'string') p.push(`results[${i}].message.text`);
      if (!['none', 'note', 'warning', 'error', undefined].includes(res['level'] as string))
        p.push(`results[${i}].level`);
      if (
        typeof res['ruleIndex'] === 'number' &&
        (rules[res['ruleIndex']] as Record<string, unknown> | undefined)?.['id'] !== res['ruleId']
      )
        p.push(`results[${i}].ruleIndex does not point at ruleId`);
      const locs = res['locations'] as Record<string, Record<string, Record<string, unknown>>>[] | undefined;
      for (const l of locs ?? []) {
        const uri = l['physicalLocation']?.['artifactLocation']?.['uri'];
        if (typeof uri !== 'string' || uri === '') p.push(`results[${i}] location uri`);
        const region = l['physicalLocation']?.['region'] as Record<string, number> | undefined;
        if (region && !((region['startLine'] ?? 0) >= 1)) p.push(`results[${i}] region.startLine >= 1`);
      }
      for (const s of (res['suppressions'] as Record<string, unknown>[] | undefined) ?? []) {
        if (!['inSource', 'external'].includes(s['kind'] as string)) p.push(`results[${i}] suppression kind`);
      }
    });
    return undefined;
  });
  return p;
}

function gateOver(rel: string, scanners: TrivyScanner[] = ['vuln'], ignore = '') {
  const report = Trivy.parseReport(readFixture(`trivy/${rel}`));
  const { findings, unfixedDropped } = extractFindings(report, { scanners, ignoreUnfixed: false });
  const outcome = applyIgnores(findings, parseTrivyignore(ignore, '.trivyignore'), new Date('2026-06-01T00:00:00Z'));
  return { report, outcome, kept: sortFindings(outcome.kept), unfixedDropped };
}

describe('SARIF', () => {
  it('the checker accepts real Trivy SARIF (alpine-310.sarif)', () => {
    expect(sarifProblems(JSON.parse(readFixture('trivy/alpine-310.sarif')))).toEqual([]);
  });

  it('the checker rejects broken SARIF', () => {
    expect(
      sarifProblems({
        version: '2.0.0',
        runs: [{ tool: { driver: {} }, results: [{ level: 'fatal', ruleId: 'x', ruleIndex: 0 }] }],
      }),
    ).toEqual(
      expect.arrayContaining([
        'version must be "2.1.0"',
        'runs[0].tool.driver.name',
        'results[0].message.text',
        'results[0].level',
      ]),
    );
  });

  it.each([
    ['alpine-39.json', ['vuln']],
    ['fluentd-gems.json', ['vuln']],
    ['spring4shell-jre11.json', ['vuln']],
    ['secrets.json', ['secret']],
    ['dockerfile.json', ['misconfig']],
    ['securecodebox/juice-shop-v12.10.2.json', ['vuln', 'secret']],
    ['alpine-39-skip.json', ['vuln']],
  ] as [string, TrivyScanner[]][])(
    '%s: valid SARIF 2.1.0 with one result per finding and one rule per id',
    (rel, scanners) => {
      const { kept, outcome, report } = gateOver(rel, scanners);
      const sarif = toSarif(kept, outcome.suppressed, {
        trivyVersion: '0.74.0',
        artifactName: report.artifactName,
        severities: ALL,
      });
      expect(sarifProblems(sarif)).toEqual([]);
      const run = (sarif['runs'] as Record<string, unknown>[])[0] as {
        results: unknown[];
        tool: { driver: { rules: unknown[]; version: string } };
      };
      expect(run.results).toHaveLength(kept.length);
      expect(run.tool.driver.rules).toHaveLength(new Set(kept.map((f) => f.id)).size);
      expect(run.tool.driver.version).toBe('0.74.0');
      expect(sarif['$schema']).toBe(SARIF_SCHEMA);
    },
  );

  it('levels and security-severity as Trivy writes them; suppressed findings kept with an external suppression; unlisted severities left out', () => {
    const { kept, outcome, report } = gateOver('alpine-39.json', ['vuln'], 'CVE-2019-1549 exp:2099-01-01\n');
    const sarif = toSarif(kept, outcome.suppressed, {
      trivyVersion: '',
      artifactName: report.artifactName,
      severities: ['MEDIUM', 'HIGH', 'CRITICAL'],
    });
    expect(sarifProblems(sarif)).toEqual([]);
    const run = (
      sarif['runs'] as {
        results: Record<string, unknown>[];
        tool: { driver: { rules: Record<string, Record<string, unknown>>[] } };
      }[]
    )[0]!;
    const crit = run.results.filter((r) => r['ruleId'] === 'CVE-2019-14697');
    expect(crit.length).toBe(kept.filter((f) => f.id === 'CVE-2019-14697').length);
    expect(crit.every((r) => r['level'] === 'error')).toBe(true);
    const sup = run.results.filter((r) => r['suppressions']);
    expect(sup.length).toBe(outcome.suppressed.length);
    expect(JSON.stringify(sup[0]?.['suppressions'])).toContain('until 2099-01-01');
    const ruleSev = run.tool.driver.rules.map((r) => r['properties']?.['security-severity']);
    expect(ruleSev.every((s) => /^\d+\.\d$/.test(String(s)))).toBe(true);
    const low = toSarif(kept, [], { trivyVersion: '', artifactName: 'x', severities: ['LOW'] });
    expect((low['runs'] as { results: unknown[] }[])[0]?.results).toHaveLength(
      kept.filter((f) => f.severity === 'LOW').length,
    );
  });
});

function model(over: Partial<SummaryModel>, findings: Finding[]): SummaryModel {
  const counts = countBySeverity(findings);
  const failed = failing(findings, 'CRITICAL');
  return {
    target: 'registry.local/shop@sha256:' + 'a'.repeat(64),
    digest: 'sha256:' + 'a'.repeat(64),
    passed: failed.length === 0,
    failOn: 'CRITICAL',
    line: summaryLine(counts, failed.length === 0, 'CRITICAL'),
    counts,
    findings,
    failingCount: failed.length,
    severities: ALL,
    scanners: ['vuln'],
    suppressed: [],
    expired: [],
    noExpiry: [],
    ignoreFile: '',
    requireExpiry: false,
    ignoreUnfixed: false,
    unfixedDropped: 0,
    trivyVersion: '0.74.0',
    reportPath: '/tmp/r.json',
    sarifPath: '/tmp/r.sarif',
    ...over,
  };
}

describe('job summary', () => {
  it('juice-shop: decision, counts, top 10 with linked ids, all findings collapsed', () => {
    const { kept } = gateOver('securecodebox/juice-shop-v12.10.2.json');
    const md = renderSummary(model({}, kept));
    const counts = countBySeverity(kept);
    expect(md).toContain('## Trivy gate: failed');
    expect(md).toContain(`| CRITICAL | **${counts.CRITICAL}** |`);
    expect(md).toContain(`| **Total** | **${kept.length}** |`);
    expect(md).toContain(`### Top findings (10 of ${kept.length})`);
    expect(md).toContain(`<details><summary>All ${kept.length} findings</summary>`);
    expect(md).toMatch(/\| CRITICAL \| <a href="https:\/\/[^"]+">CVE-\d{4}-\d+<\/a> \| /);
    const topRows = md
      .split('### Top findings')[1]
      ?.split('<details>')[0]
      ?.split('\n')
      .filter((l) => /^\| (CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN) \|/.test(l));
    expect(topRows).toHaveLength(10);
  });

  it("escapes hostile strings from the report (package names, titles, paths are the image author's)", () => {
    const f: Finding = {
      kind: 'vulnerability',
      id: 'CVE-2024-0001',
      altIds: [],
      severity: 'CRITICAL',
      target: 'x',
      resultClass: 'lang-pkgs',
      title: '<img src=x onerror=alert(1)>',
      url: 'javascript:alert(1)',
      pkgName: 'evil|pkg<script>',
      pkgPath: '](http://evil)',
      purl: '',
      installedVersion: '1`',
      fixedVersion: '',
      status: 'affected',
    };
    const md = renderSummary(model({ target: '<b>t</b>' }, [f]));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('javascript:');
    expect(md).not.toContain('<b>t</b>');
    expect(md).toContain('evil\\|pkg&lt;script&gt;');
    expect(md).toContain('_none_');
  });

  it('lists suppressed findings, expired entries and entries without expiry', () => {
    const { outcome } = gateOver('alpine-39.json', ['vuln'], 'CVE-2019-14697 exp:2020-01-01\nCVE-2019-1549\n');
    const md = renderSummary(
      model(
        { suppressed: outcome.suppressed, expired: outcome.expired, noExpiry: outcome.noExpiry },
        sortFindings(outcome.kept),
      ),
    );
    expect(md).toContain(`### Suppressed by ignore entries (${outcome.suppressed.length})`);
    expect(md).toContain('| **never** |');
    expect(md).toContain('### Expired ignore entries (1)');
    expect(md).toMatch(
      /CVE-2019-14697 \(\.trivyignore:1\), expired 2020-01-01: \d+ finding\(s\) it matches are counted again/,
    );
    expect(md).toContain('### Ignore entries without expiry (1)');
  });

  it('a long list is capped, with a pointer to the JSON report', () => {
    const base = gateOver('securecodebox/juice-shop-v12.10.2.json').kept;
    const many = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({
      ...(base[i % base.length] as Finding),
      id: `CVE-2024-${10000 + i}`,
    }));
    const md = renderSummary(model({}, many));
    expect(md).toContain('…and 7 more: see the JSON report.');
  });

  it('no findings', () => {
    expect(renderSummary(model({}, []))).toContain('No findings at UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL.');
  });

  it('not decided', () => {
    const md = renderUndecided('img@sha256:' + 'a'.repeat(64), 'init error: <DB>');
    expect(md).toContain('## Trivy gate: not decided');
    expect(md).toContain('**not a pass**');
    expect(md).toContain('init error: &lt;DB&gt;');
  });
});
