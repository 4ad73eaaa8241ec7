/**
 * Trivy's argv builders and parsers, fed the real recorded reports in test/fixtures/trivy and the
 * real shapes of `trivy version --format json` and of a failed DB download.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import {
  currentPlatform,
  manifest,
  resolveToolFile,
  Trivy,
  TrivyReportError,
  type TrivyScanOptions,
} from '@polyglot-cd/tools';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';

const here = new URL('.', import.meta.url).pathname;
const dbFailure = readFileSync(join(here, '../../fakes/trivy/db-download-failure.stderr'), 'utf8');

/** every recorded report (all of them, found by listing the folder) */
const reports = [
  ...readdirSync(fixturePath('trivy')).filter((f) => f.endsWith('.json')),
  ...readdirSync(fixturePath('trivy/securecodebox')).map((f) => `securecodebox/${f}`),
];

interface RawDoc {
  Results?: { Target: string; Vulnerabilities?: unknown[]; Secrets?: unknown[]; Misconfigurations?: unknown[] }[];
}

describe('Trivy.parseReport on every recorded report', () => {
  it('finds the fixtures', () => {
    expect(reports.length).toBeGreaterThanOrEqual(12);
  });

  it.each(reports)('%s: results and finding lists as in the raw JSON', (rel) => {
    const text = readFixture(`trivy/${rel}`);
    const raw = JSON.parse(text) as RawDoc;
    const r = Trivy.parseReport(text);
    expect(r.schemaVersion).toBe(2);
    const rawResults = raw.Results ?? [];
    expect(r.results.map((x) => x.target)).toEqual(rawResults.map((x) => x.Target));
    rawResults.forEach((res, i) => {
      expect(r.results[i]?.vulnerabilities).toHaveLength(res.Vulnerabilities?.length ?? 0);
      expect(r.results[i]?.secrets).toHaveLength(res.Secrets?.length ?? 0);
      expect(r.results[i]?.misconfigurations).toHaveLength(res.Misconfigurations?.length ?? 0);
    });
  });

  it('keeps the fields the gate and the summary need (juice-shop)', () => {
    const r = Trivy.parseReport(readFixture('trivy/securecodebox/juice-shop-v12.10.2.json'));
    expect(r.repoDigests).toEqual([
      'bkimminich/juice-shop@sha256:33238f8c6291415c499265629b1b82ef791f5a33dff09f25c07264204a26f89b',
    ]);
    expect(r.trivyVersion).toBe(''); // from an older Trivy that did not print it
    expect(r.os).toEqual({ family: 'alpine', name: '3.11.12', eosl: true });
    const v = r.results[1]?.vulnerabilities.find((x) => x.id === 'CVE-2021-3807' && x.pkgPath.includes('wide-align'));
    expect(v).toMatchObject({
      pkgName: 'ansi-regex',
      installedVersion: '3.0.0',
      fixedVersion: '6.0.1, 5.0.1, 4.1.1, 3.0.1',
      severity: 'HIGH',
      purl: 'pkg:npm/ansi-regex@3.0.0',
      primaryUrl: 'https://avd.aquasec.com/nvd/cve-2021-3807',
      cvss3: 7.5,
    });
  });

  it('edge cases: no Results key, Results: [], a Result with no Vulnerabilities key', () => {
    expect(Trivy.parseReport(readFixture('trivy/alpine-39-skip.json')).results).toEqual([]);
    expect(
      Trivy.parseReport(readFixture('trivy/securecodebox/juice-shop-v12.10.2-empty-results.json')).results,
    ).toEqual([]);
    const sl = Trivy.parseReport(readFixture('trivy/sl-micro-rancher5.4.json'));
    expect(sl.results).toHaveLength(1);
    expect(sl.results[0]?.vulnerabilities).toEqual([]);
  });

  const base = JSON.parse(readFixture('trivy/alpine-39.json')) as Record<string, unknown>;
  it.each([
    ['SchemaVersion 1', { ...base, SchemaVersion: 1 }, /SchemaVersion 1; only SchemaVersion 2/],
    ['SchemaVersion "2" (a string)', { ...base, SchemaVersion: '2' }, /SchemaVersion "2"/],
    ['no SchemaVersion', { ...base, SchemaVersion: undefined }, /SchemaVersion null/],
    ['the legacy bare array (Trivy < 0.20)', [{ Target: 'x', Vulnerabilities: [] }], /bare JSON array.*legacy/],
    ['Results is an object', { ...base, Results: {} }, /Results is not an array/],
    [
      'Vulnerabilities is a string',
      { ...base, Results: [{ Target: 't', Vulnerabilities: 'none' }] },
      /Results\[0\]\.Vulnerabilities is not an array/,
    ],
    [
      'a finding that is not an object',
      { ...base, Results: [{ Target: 't', Vulnerabilities: [null] }] },
      /Vulnerabilities\[0\] is not an object/,
    ],
  ])('refuses %s', (_, doc, message) => {
    expect(() => Trivy.parseReport(JSON.stringify(doc))).toThrow(TrivyReportError);
    expect(() => Trivy.parseReport(JSON.stringify(doc))).toThrow(message);
  });

  it('refuses text that is not JSON (a table report, a truncated file)', () => {
    expect(() => Trivy.parseReport('alpine-39.tar.gz (alpine 3.9.4)\n=====')).toThrow(/not valid JSON/);
    expect(() => Trivy.parseReport(readFixture('trivy/alpine-39.json').slice(0, 500))).toThrow(/not valid JSON/);
  });
});

describe('Trivy.parseVersionInfo', () => {
  it('reads the VersionInfo shape (pkg/version testcache metadata)', () => {
    const out = JSON.stringify({
      Version: '0.74.0',
      VulnerabilityDB: {
        Version: 2,
        NextUpdate: '2023-07-20T18:11:37.696263532Z',
        UpdatedAt: '2023-07-20T12:11:37.696263932Z',
        DownloadedAt: '2023-07-25T07:01:41.239158Z',
      },
      JavaDB: {
        Version: 1,
        NextUpdate: '2023-07-28T01:03:52.169192565Z',
        UpdatedAt: '2023-07-25T01:03:52.169192765Z',
        DownloadedAt: '2023-07-25T09:37:48.906152Z',
      },
      CheckBundle: {
        Digest: 'sha256:829832357626da2677955e3b427191212978ba20012b6eaa03229ca28569ae43',
        DownloadedAt: '2023-07-23T16:40:33.122462Z',
      },
    });
    const info = Trivy.parseVersionInfo(out);
    expect(info.version).toBe('0.74.0');
    expect(info.vulnerabilityDb?.version).toBe(2);
    expect(info.vulnerabilityDb?.updatedAt.toISOString()).toBe('2023-07-20T12:11:37.696Z');
    expect(info.vulnerabilityDb?.nextUpdate?.toISOString()).toBe('2023-07-20T18:11:37.696Z');
    expect(info.javaDb?.updatedAt.toISOString()).toBe('2023-07-25T01:03:52.169Z');
  });

  it('no DB cached: the key is absent', () => {
    expect(Trivy.parseVersionInfo('{"Version":"0.74.0"}')).toEqual({ version: '0.74.0' });
  });

  it('refuses output that is not the JSON VersionInfo', () => {
    expect(() => Trivy.parseVersionInfo('Version: 0.74.0\n')).toThrow(/printed no JSON/);
    expect(() => Trivy.parseVersionInfo('{"version":"0.74.0"}')).toThrow(/no "Version"/);
  });
});

describe('Trivy.dbMayUpdate (trivy pkg/db NeedsUpdate/isNewDB)', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const at = (h: number): Date => new Date(now.getTime() + h * 3_600_000);
  const db = (next: number, downloaded: number, version = 2) => ({
    version,
    updatedAt: at(-10),
    nextUpdate: at(next),
    downloadedAt: at(downloaded),
  });
  it.each([
    ['no DB yet', undefined, false, true],
    ['NextUpdate ahead', db(2, -10), false, false],
    ['NextUpdate passed, downloaded 30 minutes ago', db(-1, -0.5), false, false],
    ['NextUpdate passed, downloaded 2 hours ago', db(-1, -2), false, true],
    ['another schema version', db(2, -10, 1), false, true],
    ['skip-db-update, even with no DB (trivy then fails on its own)', undefined, true, false],
    ['skip-db-update with a stale DB', db(-40, -50), true, false],
  ])('%s', (_name, meta, skip, expected) => {
    expect(Trivy.dbMayUpdate(meta, now, skip)).toBe(expected);
  });
});

describe('Trivy.scanArgs', () => {
  const base: TrivyScanOptions = {
    target: { image: `registry.local:5000/shop/api@sha256:${'b'.repeat(64)}` },
    output: '/tmp/r/report.json',
    scanners: ['vuln'],
    timeoutSeconds: 600,
    ignoreUnfixed: false,
    ignoreFile: '/tmp/r/none.trivyignore',
  };

  it('the minimal scan: JSON to a file, every severity, exit code 0, explicit ignore file, image after --', () => {
    expect(Trivy.scanArgs(base)).toEqual([
      'image',
      '--format',
      'json',
      '--output',
      '/tmp/r/report.json',
      '--exit-code',
      '0',
      '--severity',
      'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
      '--scanners',
      'vuln',
      '--timeout',
      '600s',
      '--ignorefile',
      '/tmp/r/none.trivyignore',
      '--no-progress',
      '--',
      `registry.local:5000/shop/api@sha256:${'b'.repeat(64)}`,
    ]);
  });

  it('every option, and an archive as --input=<absolute path>', () => {
    const args = Trivy.scanArgs({
      ...base,
      target: { input: '/work/-image.tar' },
      scanners: ['vuln', 'secret'],
      ignoreUnfixed: true,
      cacheDir: '/cache/trivy',
      dbRepositories: ['mirror.local/trivy-db:2', 'ghcr.io/aquasecurity/trivy-db:2'],
      skipDbUpdate: true,
    });
    expect(args.slice(16)).toEqual([
      '--ignore-unfixed',
      '--cache-dir',
      '/cache/trivy',
      '--db-repository',
      'mirror.local/trivy-db:2,ghcr.io/aquasecurity/trivy-db:2',
      '--skip-db-update',
      '--skip-java-db-update',
      '--skip-check-update',
      '--input=/work/-image.tar',
    ]);
    expect(args).toContain('vuln,secret');
    expect(args).not.toContain('--');
  });

  it('refuses a relative archive path (it could start with -)', () => {
    expect(() => Trivy.scanArgs({ ...base, target: { input: '-x.tar' } })).toThrow(/absolute path/);
  });

  it('version args', () => {
    expect(Trivy.versionArgs()).toEqual(['version', '--format', 'json']);
    expect(Trivy.versionArgs('/c')).toEqual(['version', '--format', 'json', '--cache-dir', '/c']);
  });
});

describe('a failed run', () => {
  it("the recorded DB-download failure is recognised, with Trivy's own reason", () => {
    expect(Trivy.isDbDownloadFailure(dbFailure)).toBe(true);
    expect(Trivy.failureReason(dbFailure)).toBe(
      'init error: DB error: failed to download vulnerability DB: OCI artifact error: failed to download vulnerability DB: failed to download artifact from any source',
    );
  });

  it('the older multi-line FATAL (trivy-db#442) keeps its continuation', () => {
    const stderr = [
      '2024-09-30T14:45:16.005+0200\tINFO\tDownloading DB...',
      '2024-09-30T14:45:16.525+0200\tFATAL\tinit error: DB error: failed to download vulnerability DB: database download error: OCI repository error: 1 error occurred:',
      '\t* GET https://ghcr.io/v2/aquasecurity/trivy-db/manifests/2: TOOMANYREQUESTS: retry-after: 35.852µs, allowed: 44000/minute',
    ].join('\n');
    expect(Trivy.isDbDownloadFailure(stderr)).toBe(true);
    expect(Trivy.failureReason(stderr)).toMatch(
      /^init error: DB error: .* 1 error occurred: \* GET https:\/\/ghcr.io\/.*TOOMANYREQUESTS/,
    );
  });

  it('other failures are not DB failures', () => {
    const stderr =
      '2026-01-01T00:00:00Z\tFATAL\tFatal error\trun error: image scan error: unable to find the specified image "x"';
    expect(Trivy.isDbDownloadFailure(stderr)).toBe(false);
    expect(Trivy.failureReason(stderr)).toBe('run error: image scan error: unable to find the specified image "x"');
    expect(Trivy.failureReason('plain last line\n')).toBe('plain last line');
  });
});

describe('versions', () => {
  it.each([
    ['0.74.0', '>=0.50.0', true],
    ['0.74.0', '>=0.69.4 <=0.69.6', false],
    ['0.69.5', '>=0.69.4 <=0.69.6', true],
    ['v0.69.6', '0.69.6', true],
    ['dev', '>=0.1', false],
  ])('%s satisfies %s: %s', (v, c, want) => {
    expect(Trivy.versionSatisfies(v, c)).toBe(want);
  });

  it('the manifest pins a default outside the refused range, with a SHA-256 per platform', () => {
    const spec = manifest.tools['trivy'];
    expect(spec?.defaultVersion).toBeDefined();
    expect(Trivy.versionSatisfies(spec?.defaultVersion as string, '>=0.69.4 <=0.69.6')).toBe(false);
    for (const byPlatform of Object.values(spec?.versions ?? {})) {
      for (const entry of Object.values(byPlatform)) expect(entry.sha256).toMatch(/^[a-f0-9]{64}$/);
    }
    expect(resolveToolFile(manifest, 'trivy', spec?.defaultVersion as string, 'linux-amd64').entry.file).toMatch(
      /_Linux-64bit\.tar\.gz$/,
    );
  });

  it.each(['0.69.4', '0.69.5', 'v0.69.6'])('%s is refused as compromised', (v) => {
    expect(() => resolveToolFile(manifest, 'trivy', v, currentPlatform())).toThrow(InputError);
    expect(() => resolveToolFile(manifest, 'trivy', v, currentPlatform())).toThrow(/refused: compromised release/);
  });
});
