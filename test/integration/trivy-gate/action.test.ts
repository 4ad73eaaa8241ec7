/**
 * trivy-gate's main() as the runner calls it (INPUT_* variables, temp GITHUB_OUTPUT/STEP_SUMMARY,
 * RUNNER_TEMP), with the fake trivy through POLYGLOT_CD_TRIVY_BIN replaying recorded reports: hostile
 * inputs fail before trivy runs, DB retries, refused versions, report checks, ignore files.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../actions/trivy-gate/src/main.js';
import { runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { fakeTrivyBin, recordedArgv } from '../../fakes/trivy/install.js';
import { startServer } from '../../helpers/http-server.js';
import { currentPlatform, manifest } from '@polyglot-cd/tools';

const IMAGE = `registry.local:5000/shop/backend@sha256:${'a'.repeat(64)}`;
const bin = fakeTrivyBin();

interface Run {
  run: ActionRun;
  argv: string[][];
  sleeps: number[];
  dir: string;
}

async function gate(
  inputs: Record<string, string>,
  fake: Record<string, string> = {},
  files: Record<string, string> = {},
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-action-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const argvLog = join(dir, 'argv.jsonl');
  const ws = workspace(
    { 'cache-dir': join(dir, 'cache'), ...inputs },
    {
      POLYGLOT_CD_TRIVY_BIN: bin,
      FAKE_TRIVY_ARGV_LOG: argvLog,
      GITHUB_WORKSPACE: dir,
      FAKE_TRIVY_REPORT: fixturePath('trivy/alpine-39.json'),
      ...fake,
    },
  );
  const sleeps: number[] = [];
  const run = await runInProcess('trivy-gate', (ctx) => main(ctx, { sleep: async (ms) => void sleeps.push(ms) }), ws);
  return { run, argv: recordedArgv(argvLog), sleeps, dir };
}

/** CRITICAL ids in a fixture, read here from the raw JSON */
function criticalCount(rel: string, except: string[] = []): number {
  const doc = JSON.parse(readFixture(`trivy/${rel}`)) as {
    Results?: { Vulnerabilities?: { Severity: string; VulnerabilityID: string }[] }[];
  };
  return (doc.Results ?? [])
    .flatMap((r) => r.Vulnerabilities ?? [])
    .filter((v) => v.Severity === 'CRITICAL' && !except.includes(v.VulnerabilityID)).length;
}

describe('hostile inputs: a clear error naming the input, and trivy never runs', () => {
  const missingArchive = join(tmpdir(), 'pcd-no-such-dir', 'image.tar');
  it.each([
    [
      'an unknown severity',
      { image: IMAGE, severities: 'HIGH,SEVERE,CRITICAL' },
      /Input "severities" has an invalid value "SEVERE": expected severities from UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL/,
    ],
    [
      'an unknown threshold',
      { image: IMAGE, 'fail-on': 'urgent' },
      /Input "fail-on" has an invalid value "urgent": expected one severity/,
    ],
    [
      'a tag instead of a digest (refused, and it says so)',
      { image: 'registry.local:5000/shop/backend:1.2.3' },
      /Input "image" has an invalid value "registry.local:5000\/shop\/backend:1.2.3": expected an image by digest.*A tag is refused \(not a warning\)/,
    ],
    [
      'a flag as image',
      { image: '--output=/etc/passwd' },
      /Input "image" has an invalid value "--output=\/etc\/passwd"/,
    ],
    [
      'a missing archive',
      { input: missingArchive },
      /Input "input" has an invalid value ".*image.tar": no such file or directory/,
    ],
    [
      'image and input together',
      { image: IMAGE, input: '/etc/hostname' },
      /Input "input" .*give either image or input, not both/,
    ],
    [
      'an unknown scanner',
      { image: IMAGE, scanners: 'vuln,license' },
      /Input "scanners" has an invalid value "license": expected vuln, secret, misconfig/,
    ],
    [
      'a DB repository URL',
      { image: IMAGE, 'db-repository': 'https://mirror.local/trivy-db' },
      /Input "db-repository" has an invalid value "https:\/\/mirror.local\/trivy-db"/,
    ],
    [
      'latest as version',
      { image: IMAGE, version: 'latest' },
      /Input "version" has an invalid value "latest": expected an exact Trivy version/,
    ],
    [
      'severities that hide a failing one',
      { image: IMAGE, 'fail-on': 'HIGH', severities: 'CRITICAL' },
      /Input "severities" .*must list every severity that can fail the gate \(fail-on HIGH\): add HIGH/,
    ],
    ['a bad duration', { image: IMAGE, 'max-db-age': 'forever' }, /Input "max-db-age" has an invalid value "forever"/],
    [
      'a missing ignore file',
      { image: IMAGE, 'ignore-file': 'nope.yaml' },
      /Input "ignore-file" has an invalid value "nope.yaml": no such file/,
    ],
    [
      'an unpinned version',
      { image: IMAGE, version: '0.50.0' },
      /Input "version" has an invalid value "0.50.0": not pinned in the tool manifest with its SHA-256 \(pinned: 0\.74\.0\)/,
    ],
    [
      'a compromised version',
      { image: IMAGE, version: 'v0.69.4' },
      /Input "version" has an invalid value "0.69.4": trivy 0.69.4 is refused: compromised release/,
    ],
  ])('%s', async (_, inputs, message) => {
    const { run, argv } = await gate(inputs, { POLYGLOT_CD_TRIVY_BIN: '' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).toMatch(/^::error::/m);
    expect(argv).toEqual([]);
    expect(run.outputs['passed']).toBeUndefined();
  });

  it.each([
    [
      'does not parse',
      'vulnerabilities:\n  - id: [unclosed\n',
      /Input "ignore-file": \.trivyignore\.yaml is not valid YAML \(line \d\): /,
    ],
    [
      'is an alias bomb',
      [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
        'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
        '',
      ].join('\n'),
      /expands to more than 100000 YAML values through its aliases \(\*name\): refused/,
    ],
    ['has a misspelt section', 'vulnerability:\n  - id: CVE-2019-14697\n', /unknown section "vulnerability"/],
    [
      'has an impossible date',
      'vulnerabilities:\n  - id: CVE-2019-14697\n    expired_at: 2026-02-30\n',
      /expiry "2026-02-30" is not a date/,
    ],
  ])('an ignore file that %s', async (_, text, message) => {
    const { run, argv } = await gate({ image: IMAGE }, {}, { '.trivyignore.yaml': text });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(argv).toEqual([]);
  });

  it('require-expiry refuses entries without expiry, naming them', async () => {
    const { run, argv } = await gate(
      { image: IMAGE, 'require-expiry': 'true' },
      {},
      { '.trivyignore': 'CVE-2019-14697\nCVE-2019-1549 exp:2099-01-01\n' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Input "require-expiry" is true, and 1 ignore entry has no expiry: CVE-2019-14697 (.trivyignore:1)',
    );
    expect(argv).toEqual([]);
  });
});

describe('ignore files in the workspace', () => {
  it('an active entry suppresses, and the gate passes; the summary lists what it hid', async () => {
    const yaml =
      'vulnerabilities:\n  - id: CVE-2019-14697\n    expired_at: 2099-01-01\n    statement: musl is not used at runtime\n';
    const { run } = await gate({ image: IMAGE }, {}, { '.trivyignore.yaml': yaml });
    expect(run.code).toBe(0);
    expect(run.outputs['critical']).toBe(String(criticalCount('alpine-39.json', ['CVE-2019-14697'])));
    expect(run.outputs['passed']).toBe('true');
    expect(run.summary).toContain('### Suppressed by ignore entries');
    expect(run.summary).toContain('musl is not used at runtime');
    expect(run.summary).toContain('2099-01-01');
  });

  it('an expired entry suppresses nothing: the gate fails and says the entry expired', async () => {
    const yaml =
      'vulnerabilities:\n  - id: CVE-2019-14697\n    expired_at: 2024-01-01\n    statement: accepted until the base image update\n';
    const { run } = await gate({ image: IMAGE }, {}, { '.trivyignore.yaml': yaml });
    expect(run.code).toBe(1);
    expect(run.outputs['critical']).toBe(String(criticalCount('alpine-39.json')));
    expect(run.stdout).toMatch(
      /::warning::Ignore entry CVE-2019-14697 \(\.trivyignore\.yaml: vulnerabilities\[0\]\) expired on 2024-01-01 and no longer suppresses anything \(\d+ finding\(s\) counted again\)/,
    );
    expect(run.summary).toContain('### Expired ignore entries (1)');
  });

  it('an entry without expiry is a warning by default', async () => {
    const { run } = await gate({ image: IMAGE }, {}, { '.trivyignore': 'CVE-2019-14697\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::warning::Ignore entry CVE-2019-14697 (.trivyignore:1) has no expiry');
    expect(run.summary).toContain('### Ignore entries without expiry (1)');
  });
});

describe('trivy and its report', () => {
  it('a DB download failure is retried with backoff; the second scan decides', async () => {
    const { run, argv, sleeps } = await gate(
      { image: IMAGE },
      { FAKE_TRIVY_MODE: 'db-failure-once', FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
    );
    expect(run.code).toBe(0);
    expect(argv.filter((a) => a[0] === 'image')).toHaveLength(2);
    expect(sleeps).toEqual([10_000]);
    expect(run.stdout).toMatch(
      /::warning::Attempt 1: the vulnerability DB could not be downloaded \(init error: DB error: failed to download vulnerability DB/,
    );
  });

  it('the retry budget spent: not decided, passed=false, trivy ran max-attempts times', async () => {
    const { run, argv, sleeps } = await gate({ image: IMAGE, 'max-attempts': '3' }, { FAKE_TRIVY_MODE: 'db-failure' });
    expect(run.code).toBe(1);
    expect(argv.filter((a) => a[0] === 'image')).toHaveLength(3);
    expect(sleeps).toEqual([10_000, 30_000]);
    expect(run.outputs['passed']).toBe('false');
    expect(run.stdout).toContain('the vulnerability DB could not be downloaded (3 attempts)');
  });

  it('a binary (POLYGLOT_CD_TRIVY_BIN) that reports a compromised version: its report is not used', async () => {
    const { run, argv } = await gate(
      { image: IMAGE },
      { FAKE_TRIVY_VERSION: '0.69.5', FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/is trivy 0\.69\.5, which is refused: compromised release.*Its report is not used/);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['critical']).toBeUndefined();
    expect(argv.filter((a) => a[0] === 'image')).toHaveLength(1);
    expect(argv.filter((a) => a[0] === 'version').length).toBeGreaterThanOrEqual(1);
  });

  it('a report for another image is refused (RepoDigests)', async () => {
    const { run } = await gate(
      { image: IMAGE },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/securecodebox/juice-shop-v12.10.2.json') },
    );
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['summary']).toMatch(/^not decided — the report is for bkimminich\/juice-shop@sha256:33238f8c/);
    expect(run.outputs['critical']).toBeUndefined();
  });

  it.each([
    [
      'SchemaVersion 1',
      (d: Record<string, unknown>) => ({ ...d, SchemaVersion: 1 }),
      /SchemaVersion 1; only SchemaVersion 2/,
    ],
    ['a legacy bare array', (d: Record<string, unknown>) => d['Results'], /bare JSON array/],
  ])('a report with %s is not decided, never a pass', async (_, mutate, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-report-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(mutate(JSON.parse(readFixture('trivy/ubuntu-1804.json')))));
    const { run } = await gate({ image: IMAGE }, { FAKE_TRIVY_REPORT: file });
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.stdout).toMatch(message);
    // trivy wrote a report that cannot be used: a tool failure, never a pass
    expect(run.stdout).toContain('Not a pass.');
    expect(run.summary).toContain('### trivy-gate: A tool failed');
  });

  it('the secret scanner: real secrets report, CRITICAL and HIGH counted, gate fails', async () => {
    const { run, argv } = await gate(
      { image: IMAGE, scanners: 'vuln,secret', 'fail-on': 'high' },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/secrets.json') },
    );
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ critical: '1', high: '1', total: '2', passed: 'false' });
    expect(argv.find((a) => a[0] === 'image')).toContain('vuln,secret');
  });

  it("skip-db-update on a cache with no DB: Trivy's own first-run error, not decided", async () => {
    const { run } = await gate({ image: IMAGE, 'skip-db-update': 'true', 'max-attempts': '1' });
    expect(run.code).toBe(1);
    expect(run.outputs['summary']).toBe(
      'not decided — init error: DB error: --skip-db-update cannot be specified on the first run',
    );
  });

  describe('trivy version runs beside the scan; again after it only when the scan may have replaced the DB', () => {
    const seed = (meta: { updated: Date; next: Date; downloaded: Date }): string => {
      const cache = mkdtempSync(join(tmpdir(), 'pcd-cache-'));
      mkdirSync(join(cache, 'db'));
      writeFileSync(
        join(cache, 'db', 'metadata.json'),
        JSON.stringify({
          Version: 2,
          NextUpdate: meta.next.toISOString(),
          UpdatedAt: meta.updated.toISOString(),
          DownloadedAt: meta.downloaded.toISOString(),
        }),
      );
      return cache;
    };
    const h = (n: number): Date => new Date(Date.now() + n * 3_600_000);
    const count = (argv: string[][], cmd: string): number => argv.filter((a) => a[0] === cmd).length;

    it('a current DB (NextUpdate ahead): one trivy version, the DB it reports is the one in the summary', async () => {
      const cache = seed({ updated: h(-2), next: h(4), downloaded: h(-2) });
      const { run, argv } = await gate(
        { image: IMAGE, 'cache-dir': cache },
        { FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
      );
      expect(run.code).toBe(0);
      expect([count(argv, 'image'), count(argv, 'version')]).toEqual([1, 1]);
      expect(run.summary).toMatch(/\| Vulnerability DB \| updated .* \((1\.9|2\.0) h old\) \|/);
    });

    it('a DB due for an update, which the scan replaces: trivy version again after the scan, and the new DB is the one checked', async () => {
      const cache = seed({ updated: h(-60), next: h(-54), downloaded: h(-60) });
      const fresh = h(-1);
      const { run, argv } = await gate(
        { image: IMAGE, 'cache-dir': cache },
        {
          FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json'),
          FAKE_TRIVY_DB_UPDATED_AT: fresh.toISOString(),
          FAKE_TRIVY_DB_DOWNLOAD_MS: '1500',
        },
      );
      // the version beside the scan saw the 60-hour-old DB (over max-db-age): only the second answer counts
      expect(run.code).toBe(0);
      expect([count(argv, 'image'), count(argv, 'version')]).toEqual([1, 2]);
      expect(argv.at(-1)?.[0]).toBe('version');
      expect(run.summary).toContain(`| Vulnerability DB | updated ${fresh.toISOString().replace(/\.\d+Z$/, 'Z')}`);
    });

    it('skip-db-update: the DB cannot change, one trivy version', async () => {
      const cache = seed({ updated: h(-30), next: h(-24), downloaded: h(-30) });
      const { run, argv } = await gate(
        { image: IMAGE, 'cache-dir': cache, 'skip-db-update': 'true' },
        { FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
      );
      expect(run.code).toBe(0);
      expect(count(argv, 'version')).toBe(1);
      expect(run.summary).toMatch(/\((29\.9|30\.0) h old\)/);
    });
  });

  it('max-db-age 0 turns the age check off (a 100-hour-old DB passes)', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pcd-cache-'));
    mkdirSync(join(cache, 'db'));
    const t = new Date(Date.now() - 100 * 3_600_000);
    writeFileSync(
      join(cache, 'db', 'metadata.json'),
      JSON.stringify({
        Version: 2,
        NextUpdate: t.toISOString(),
        UpdatedAt: t.toISOString(),
        DownloadedAt: t.toISOString(),
      }),
    );
    const { run } = await gate(
      { image: IMAGE, 'skip-db-update': 'true', 'max-db-age': '0', 'cache-dir': cache },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
    );
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/\| Vulnerability DB \| updated .* \(100\.\d h old\) \|/);
  });
});

describe('installing trivy through the manifest', () => {
  it('from a mirror: a tampered archive is refused before anything runs, nothing is cached, passed=false', async () => {
    // a real tar.gz with a "trivy" inside that would leave a mark if it ever ran
    const dir = mkdtempSync(join(tmpdir(), 'pcd-tampered-'));
    const mark = join(dir, 'ran');
    writeFileSync(join(dir, 'trivy'), `#!/bin/sh\ntouch '${mark}'\n`, { mode: 0o755 });
    execFileSync('tar', ['-czf', join(dir, 'a.tar.gz'), '-C', dir, 'trivy']);
    const server = await startServer([{ status: 200, body: readFileSync(join(dir, 'a.tar.gz')) }]);
    try {
      const spec = manifest.tools['trivy'];
      const entry = spec?.versions[spec.defaultVersion]?.[currentPlatform()];
      expect(entry).toBeDefined();
      const { run } = await gate({ image: IMAGE, 'tools-base-url': server.url }, { POLYGLOT_CD_TRIVY_BIN: '' });
      expect(run.code).toBe(1);
      expect(server.requests.map((r) => r.url)).toEqual([`/${entry?.file}`]);
      expect(run.stdout).toContain(
        `SHA-256 mismatch for trivy ${spec?.defaultVersion} (${currentPlatform()}) downloaded from ${server.url}/${entry?.file}: expected ${entry?.sha256}`,
      );
      expect(run.outputs['passed']).toBe('false');
      expect(existsSync(mark)).toBe(false);
      expect(existsSync(join(run.dir, 'toolcache', 'trivy'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('every recorded report through the fake trivy', () => {
  const reports = [
    ...readdirSync(fixturePath('trivy')).filter((f) => f.endsWith('.json')),
    ...readdirSync(fixturePath('trivy/securecodebox')).map((f) => `securecodebox/${f}`),
  ];
  // an OCI archive as build-push writes it with push: false: the tar of an OCI layout (index.json,
  // oci-layout, the manifest blob it names)
  const layoutSrc = mkdtempSync(join(tmpdir(), 'pcd-archive-'));
  const manifestJson = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}';
  const manifestHex = createHash('sha256').update(manifestJson).digest('hex');
  mkdirSync(join(layoutSrc, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(layoutSrc, 'blobs', 'sha256', manifestHex), manifestJson);
  writeFileSync(join(layoutSrc, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${manifestHex}`,
        size: manifestJson.length,
      },
    ],
  };
  writeFileSync(join(layoutSrc, 'index.json'), JSON.stringify(index));
  const archive = join(mkdtempSync(join(tmpdir(), 'pcd-archive-')), 'image.tar');
  execFileSync('tar', ['-cf', archive, '-C', layoutSrc, 'oci-layout', 'index.json', 'blobs']);
  const ORDER = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

  it.each(reports)('%s: outputs match counts computed from the raw JSON (all scanners, fail-on HIGH)', async (rel) => {
    type Raw = { Severity: string; Status?: string };
    const doc = JSON.parse(readFixture(`trivy/${rel}`)) as {
      Results?: { Vulnerabilities?: Raw[]; Secrets?: Raw[]; Misconfigurations?: Raw[] }[];
    };
    const sevs = (doc.Results ?? []).flatMap((r) => [
      ...(r.Vulnerabilities ?? []).map((v) => v.Severity),
      ...(r.Secrets ?? []).map((v) => v.Severity),
      ...(r.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL').map((v) => v.Severity),
    ]);
    const n = (s: string): string => String(sevs.filter((x) => x === s).length);
    const failing = sevs.filter((s) => ORDER.indexOf(s) >= ORDER.indexOf('HIGH')).length;
    const { run, argv } = await gate(
      { input: archive, scanners: 'vuln,secret,misconfig', 'fail-on': 'HIGH' },
      { FAKE_TRIVY_REPORT: fixturePath(`trivy/${rel}`) },
    );
    expect(run.outputs).toMatchObject({
      critical: n('CRITICAL'),
      high: n('HIGH'),
      medium: n('MEDIUM'),
      low: n('LOW'),
      unknown: n('UNKNOWN'),
      total: String(sevs.length),
      passed: String(failing === 0),
    });
    expect(run.code).toBe(failing === 0 ? 0 : 1);
    const scans = argv.filter((a) => a[0] === 'image');
    expect(scans).toHaveLength(1);
    // trivy reads an OCI layout directory, not the archive: the gate unpacked it into its work directory
    const layout = scans[0]?.find((a) => a.startsWith('--input='))?.slice('--input='.length) ?? '';
    expect(layout).toMatch(/\/oci-layout$/);
    expect(JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'))).toEqual(index);
    // the digest output is the manifest the archive names, what was scanned
    expect(run.outputs['digest']).toBe(`sha256:${manifestHex}`);
    expect(JSON.parse(readFileSync(run.outputs['sarif'] as string, 'utf8')).runs[0].results).toHaveLength(sevs.length);
  });
});

describe('the scanned repository gives the gate no orders', () => {
  it('trivy runs in an empty directory of its own with an explicit empty config, never in the checkout', async () => {
    const files = {
      'trivy.yaml': 'severity: [LOW]\nexit-code: 0\nvulnerability:\n  ignore-unfixed: true\n',
      '.trivyignore': 'CVE-2019-14697\n',
    };
    const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-cwd-'));
    const cwdLog = join(dir, 'cwd.jsonl');
    const {
      run,
      argv,
      dir: ws,
    } = await gate(
      { image: IMAGE, 'ignore-file': '' },
      { FAKE_TRIVY_CWD_LOG: cwdLog, GITHUB_EVENT_NAME: 'pull_request' },
      files,
    );
    expect(run.code).toBe(1); // the CRITICALs of the report count: the checkout's .trivyignore is not applied
    expect(run.outputs['critical']).toBe(String(criticalCount('alpine-39.json', [])));
    expect(run.stdout).toContain(
      ".trivyignore in the pull request's checkout not used: on pull_request events only an ignore file the workflow names (ignore-file) applies",
    );
    const runs = readFileSync(cwdLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cwd: string; files: string[] });
    expect(runs.length).toBeGreaterThanOrEqual(2); // version and image
    for (const r of runs) {
      expect(r.cwd).not.toBe(ws);
      expect(r.files).toEqual(['trivy.yaml']);
      expect(readFileSync(join(r.cwd, 'trivy.yaml'), 'utf8')).toBe('');
    }
    for (const a of argv) {
      const i = a.indexOf('--config');
      expect(i).toBe(1);
      expect(a[i + 1]).toBe(join(runs[0]?.cwd ?? '', 'trivy.yaml'));
    }
  });

  it('outside pull requests the workspace ignore file is still the default', async () => {
    const { run } = await gate(
      { image: IMAGE },
      { GITHUB_EVENT_NAME: 'push' },
      { '.trivyignore': 'CVE-2019-14697 exp:2099-01-01\n' },
    );
    expect(run.outputs['critical']).toBe(String(criticalCount('alpine-39.json', ['CVE-2019-14697'])));
  });
});

describe('the outputs and the summary are written after every kind of failure', () => {
  it('an input error: nothing scanned, the summary output says why, and the input-error block', async () => {
    const { run, argv } = await gate({ image: IMAGE, 'fail-on': 'urgent' }, { POLYGLOT_CD_TRIVY_BIN: '' });
    expect(run.code).toBe(1);
    expect(argv).toEqual([]);
    expect(run.outputs).toEqual({ summary: 'not scanned — an input is not valid' });
    expect(run.summary).toContain('## Trivy gate: not scanned');
    expect(run.summary).toContain('### trivy-gate: Input error: fix the input and run again');
    expect(run.summary).toContain('Input &quot;fail-on&quot; has an invalid value');
  });

  it('an input error found before the install (require-expiry): the summary output names it', async () => {
    const { run } = await gate({ image: IMAGE, 'require-expiry': 'true' }, {}, { '.trivyignore': 'CVE-2019-14697\n' });
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBeUndefined();
    expect(run.outputs['summary']).toMatch(/^not scanned — Input "require-expiry" is true/);
    expect(run.summary).toContain('### trivy-gate: Input error: fix the input and run again');
  });

  it('a tool failure (trivy exits 1): not decided, passed=false, and the tool block with the command', async () => {
    const { run } = await gate({ image: IMAGE, 'skip-db-update': 'true', 'max-attempts': '1' });
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['summary']).toBe(
      'not decided — init error: DB error: --skip-db-update cannot be specified on the first run',
    );
    expect(run.summary).toContain('## Trivy gate: not decided');
    expect(run.summary).toContain('not decided: trivy failed, **not a pass**');
    expect(run.summary).toContain('### trivy-gate: A tool failed');
    expect(run.summary).toMatch(/Command: <code>.* image .*<\/code>, exit code 1/);
  });

  it('an infrastructure failure (the vulnerability DB cannot be downloaded): the infrastructure block with the attempts', async () => {
    const { run, argv } = await gate({ image: IMAGE, 'max-attempts': '2' }, { FAKE_TRIVY_MODE: 'db-failure' });
    expect(run.code).toBe(1);
    expect(argv.filter((a) => a[0] === 'image')).toHaveLength(2);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['critical']).toBeUndefined();
    expect(run.outputs['summary']).toMatch(/^not decided — init error: DB error: failed to download vulnerability DB/);
    expect(run.summary).toContain('not decided: infrastructure failure, **not a pass**');
    expect(run.summary).toContain('### trivy-gate: Infrastructure failure: gave up after retrying');
    expect(run.summary).toContain('Service: vulnerability DB; attempts: 2');
  });
});
