/**
 * Ignore files: Trivy's real test files and documented example (test/fixtures/trivy), in both
 * formats, parsed with the YAML 1.1 schema (unquoted dates become Date objects) and by the YAML 1.2
 * core schema (they stay strings); expiry, matching, and files that do not parse.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Trivy } from '@polyglot-cd/tools';
import { extractFindings, type Finding } from '../../../actions/trivy-gate/src/findings.js';
import {
  applyIgnores,
  globToRegExp,
  IgnoreFileError,
  isExpired,
  parseExpiry,
  parseTrivyignore,
  ruleMatches,
  rulesFromYaml,
  type IgnoreRule,
} from '../../../actions/trivy-gate/src/ignore.js';
import { readFixture } from '../../helpers/fixtures.js';

const NOW = new Date('2026-06-01T12:00:00Z');
/** '1.1': the YAML 1.1 schema (timestamps become Date objects); '1.2': the core schema the gate uses */
type Schema = '1.1' | '1.2';
const CORE: Schema = '1.2';
const load = (text: string, version: Schema = '1.1'): unknown => parse(text, { version });
const yamlRules = (rel: string, schema?: Schema): IgnoreRule[] =>
  rulesFromYaml(load(readFixture(`trivy/${rel}`), schema), rel);

function vuln(over: Partial<Finding>): Finding {
  return {
    kind: 'vulnerability',
    id: 'CVE-2019-0001',
    altIds: [],
    severity: 'HIGH',
    target: 'app',
    resultClass: 'lang-pkgs',
    title: '',
    url: '',
    pkgName: 'p',
    pkgPath: '',
    purl: '',
    installedVersion: '1',
    fixedVersion: '2',
    status: 'fixed',
    ...over,
  };
}

describe(".trivyignore.yaml (Trivy's unit-test file)", () => {
  it.each([
    ['the YAML 1.1 schema (Date objects)', undefined],
    ['the YAML 1.2 core schema (strings)', CORE],
  ])('parsed with %s: same rules and expiries', (_, schema) => {
    const rules = yamlRules('.trivyignore.yaml', schema);
    expect(rules.map((r) => r.id)).toEqual([
      'CVE-2019-0001',
      'CVE-2019-0002',
      'CVE-2019-0003',
      'CVE-2019-0004',
      'CVE-2019-0005',
      'CVE-2019-0006',
      'CVE-2019-0007',
      'ID100',
      'ID200',
      'ID300',
      'AVD-ID400',
      'generic-unwanted-rule',
      'generic-unwanted-rule2',
      'generic-wanted-rule',
      'GPL-3.0',
      'MIT',
      'GPL-2.0-or-later',
      'Apache-2.0 WITH LLVM-exception',
      'LLVM-exception',
    ]);
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('CVE-2019-0005')?.expiresAt?.toISOString()).toBe('2023-01-01T00:00:00.000Z');
    expect(byId.get('CVE-2019-0006')?.expiresAt?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(byId.get('CVE-2019-0001')?.expiresAt).toBeUndefined();
    expect(byId.get('CVE-2019-0007')?.purls).toEqual([
      'pkg:golang/github.com/aquasecurity/aaa@9.9.9',
      'pkg:golang/github.com/aquasecurity/bar',
    ]);
    expect(byId.get('CVE-2019-0001')?.kinds).toEqual(['vulnerability']);
    expect(byId.get('MIT')?.kinds).toEqual([]); // licenses: read, apply to nothing
  });

  it('the documented example: statement kept, expired_at 2023-09-01 expired, unquoted in both schemas', () => {
    for (const schema of [undefined, CORE]) {
      const rules = yamlRules('trivyignore.docs-example.yaml', schema);
      const r = rules.find((x) => x.id === 'CVE-2023-29491') as IgnoreRule;
      expect(r.expiresAt?.toISOString()).toBe('2023-09-01T00:00:00.000Z');
      expect(isExpired(r, NOW)).toBe(true);
      expect(rules.find((x) => x.id === 'CVE-2022-40897')?.statement).toBe('Accept the risk');
      expect(rules.find((x) => x.id === 'AVD-DS-0002')?.statement).toBe('The image needs root privileges');
    }
  });
});

describe(".trivyignore (Trivy's unit-test file)", () => {
  const rules = parseTrivyignore(readFixture('trivy/.trivyignore'), '.trivyignore');
  it('ids, exp: suffixes, extra fields and comments', () => {
    expect(rules.map((r) => [r.id, r.expiresAt?.toISOString().slice(0, 10) ?? null, r.where])).toEqual([
      ['CVE-2019-0001', null, '.trivyignore:2'],
      ['CVE-2019-0002', null, '.trivyignore:3'],
      ['CVE-2019-0004', '2020-01-01', '.trivyignore:4'],
      ['CVE-2019-0005', '9999-01-01', '.trivyignore:5'],
      ['CVE-2019-0006', '9999-01-01', '.trivyignore:6'],
      ['ID300', null, '.trivyignore:9'],
      ['AVD-ID400', null, '.trivyignore:11'],
      ['generic-unwanted-rule', null, '.trivyignore:14'],
      ['GPL-3.0', null, '.trivyignore:17'],
    ]);
    expect(rules.every((r) => r.kinds === 'any')).toBe(true);
  });

  it('expired and non-expired entries on real findings: the expired one suppresses nothing', () => {
    const report = Trivy.parseReport(readFixture('trivy/alpine-39.json'));
    const { findings } = extractFindings(report, { scanners: ['vuln'], ignoreUnfixed: false });
    const file = 'CVE-2019-14697 exp:2020-01-01\nCVE-2019-1549 exp:2099-12-31\nCVE-2019-1551\n';
    const out = applyIgnores(findings, parseTrivyignore(file, '.trivyignore'), NOW);
    const countRaw = (id: string): number => findings.filter((f) => f.id === id).length;
    expect(out.suppressed.map((s) => s.finding.id).sort()).toEqual(
      [
        ...Array(countRaw('CVE-2019-1549')).fill('CVE-2019-1549'),
        ...Array(countRaw('CVE-2019-1551')).fill('CVE-2019-1551'),
      ].sort(),
    );
    expect(out.kept.filter((f) => f.id === 'CVE-2019-14697')).toHaveLength(countRaw('CVE-2019-14697'));
    expect(out.expired).toHaveLength(1);
    expect(out.expired[0]?.matched).toHaveLength(countRaw('CVE-2019-14697'));
    expect(out.noExpiry.map((r) => r.id)).toEqual(['CVE-2019-1551']);
    expect(out.kept.length + out.suppressed.length).toBe(findings.length);
  });
});

describe('expiry', () => {
  it('an entry expires at UTC midnight of its date (Trivy: now.After(expiredAt))', () => {
    const r: IgnoreRule = {
      id: 'x',
      kinds: 'any',
      paths: [],
      purls: [],
      statement: '',
      where: 'f:1',
      expiresAt: parseExpiry('2026-06-01', 'f:1'),
    };
    expect(isExpired(r, NOW)).toBe(true);
    expect(isExpired(r, new Date('2026-05-31T23:59:59Z'))).toBe(false);
    expect(isExpired({ ...r, expiresAt: parseExpiry('2026-06-02', 'f:1') }, NOW)).toBe(false);
  });

  it.each(['2023-13-01', '2023-02-30', '01/09/2023', 'tomorrow', 20230901])('refuses %j', (v) => {
    expect(() => parseExpiry(v, 'f:3')).toThrow(IgnoreFileError);
    expect(() => parseExpiry(v, 'f:3')).toThrow(/f:3: expiry .* is not a date/);
  });
});

describe('matching (Trivy semantics)', () => {
  const rule = (over: Partial<IgnoreRule>): IgnoreRule => ({
    id: 'CVE-2019-0001',
    kinds: ['vulnerability'],
    paths: [],
    purls: [],
    statement: '',
    where: 'f',
    ...over,
  });
  it.each([
    ['same id', rule({}), vuln({}), true],
    ['other id', rule({}), vuln({ id: 'CVE-2019-0002' }), false],
    ['a secret rule does not hide a vulnerability', rule({ kinds: ['secret'] }), vuln({}), false],
    [
      '**/*-lock.json matches a nested lock file',
      rule({ paths: ['**/*-lock.json'] }),
      vuln({ pkgPath: 'app/web/package-lock.json' }),
      true,
    ],
    [
      '**/*-lock.json matches at the root',
      rule({ paths: ['**/*-lock.json'] }),
      vuln({ pkgPath: 'package-lock.json' }),
      true,
    ],
    ['* stays in one directory', rule({ paths: ['app/*.json'] }), vuln({ pkgPath: 'app/x/y.json' }), false],
    ['paths match the target too', rule({ paths: ['Ruby'] }), vuln({ target: 'Ruby' }), true],
    [
      'purl without version matches any version',
      rule({ purls: ['pkg:golang/github.com/aquasecurity/bar'] }),
      vuln({ purl: 'pkg:golang/github.com/aquasecurity/bar@1.2.3' }),
      true,
    ],
    [
      'purl with version matches that version only',
      rule({ purls: ['pkg:npm/ansi-regex@3.0.0'] }),
      vuln({ purl: 'pkg:npm/ansi-regex@4.1.0' }),
      false,
    ],
    [
      'purl qualifiers are ignored',
      rule({ purls: ['pkg:apk/alpine/musl@1.1.20-r4'] }),
      vuln({ purl: 'pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=3.9.4' }),
      true,
    ],
    [
      'paths and purls must both match',
      rule({ paths: ['other/**'], purls: ['pkg:npm/a'] }),
      vuln({ purl: 'pkg:npm/a@1', pkgPath: 'app/package.json' }),
      false,
    ],
    [
      'a misconfiguration by its AVD id',
      rule({ id: 'AVD-DS-0002', kinds: ['misconfiguration'] }),
      vuln({ kind: 'misconfiguration', id: 'DS-0002', altIds: ['AVD-DS-0002'] }),
      true,
    ],
  ])('%s', (_, r, f, want) => {
    expect(ruleMatches(r, f)).toBe(want);
  });

  it('globs', () => {
    expect(globToRegExp('usr/lib/**').test('usr/lib/a/b.so')).toBe(true);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
    expect(globToRegExp('a.c').test('abc')).toBe(false);
  });
});

describe('files that do not parse are errors, not "ignore nothing"', () => {
  it.each([
    ['a list at the top', '- id: CVE-1', /expected a mapping/],
    ['a misspelt section', 'vulnerability:\n  - id: CVE-2019-0001\n', /unknown section "vulnerability"/],
    ['an entry without id', 'vulnerabilities:\n  - paths: ["a"]\n', /vulnerabilities\[0\]: id is required/],
    ['an unknown field', 'vulnerabilities:\n  - id: CVE-1\n    expires: 2025-01-01\n', /unknown field "expires"/],
    [
      'a bad date',
      'vulnerabilities:\n  - id: CVE-1\n    expired_at: 2025-13-01\n',
      /expiry "2025-13-01" is not a date/,
    ],
    ['paths not a list', 'secrets:\n  - id: x\n    paths: a/b\n', /paths must be a list of strings/],
    [
      'purls outside vulnerabilities',
      'secrets:\n  - id: x\n    purls: [a]\n',
      /purls are only allowed for vulnerabilities/,
    ],
  ])('%s', (_, text, message) => {
    // the gate parses with the YAML 1.2 core schema (see the next test)
    expect(() => rulesFromYaml(load(text, CORE), 'f.yaml')).toThrow(IgnoreFileError);
    expect(() => rulesFromYaml(load(text, CORE), 'f.yaml')).toThrow(message);
  });

  it('why the core schema: the YAML 1.1 schema rolls an impossible date over silently', () => {
    const doc = load('vulnerabilities:\n  - id: CVE-1\n    expired_at: 2025-13-01\n');
    expect(rulesFromYaml(doc, 'f.yaml')[0]?.expiresAt?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a bad exp: in the plain format names the line', () => {
    expect(() => parseTrivyignore('CVE-1\nCVE-2 exp:2025-02-30\n', '.trivyignore')).toThrow(
      /\.trivyignore:2: expiry "2025-02-30"/,
    );
  });

  it('an empty YAML file is no rules', () => {
    expect(rulesFromYaml(load(''), 'f.yaml')).toEqual([]);
  });
});
