/**
 * trivy-gate from its committed bundle (dist/trivy-gate/index.js) under Node 24, with the fake trivy
 * (test/fakes/trivy) put in place through POLYGLOT_CD_TRIVY_BIN, the documented operator override. The
 * fake replays the real recorded reports in test/fixtures/trivy and records its argv.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { fakeTrivyBin, recordedArgv } from '../../fakes/trivy/install.js';

const JUICE_DIGEST = 'sha256:33238f8c6291415c499265629b1b82ef791f5a33dff09f25c07264204a26f89b';
const JUICE = `docker.io/bkimminich/juice-shop@${JUICE_DIGEST}`;
const IMAGE = `registry.local:5000/shop/backend@sha256:${'a'.repeat(64)}`;
const bin = fakeTrivyBin();

interface Gate {
  run: ActionRun;
  argv: string[][];
  cache: string;
}

async function gate(
  inputs: Record<string, string>,
  fake: Record<string, string>,
  opts: { cache?: string } = {},
): Promise<Gate> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-gate-'));
  const argvLog = join(dir, 'argv.jsonl');
  const cache = opts.cache ?? join(dir, 'cache');
  const ws = workspace(
    { 'cache-dir': cache, ...inputs },
    { POLYGLOT_CD_TRIVY_BIN: bin, FAKE_TRIVY_ARGV_LOG: argvLog, GITHUB_WORKSPACE: dir, ...fake },
  );
  const run = await runBundle('trivy-gate', ws);
  return { run, argv: recordedArgv(argvLog), cache };
}

/** Counts computed here from the raw JSON, independently of the action's parser. */
function rawCounts(rel: string): Record<string, number> {
  const c: Record<string, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  const doc = JSON.parse(readFixture(rel)) as { Results?: { Vulnerabilities?: { Severity: string }[] }[] };
  for (const r of doc.Results ?? []) for (const v of r.Vulnerabilities ?? []) c[v.Severity] = (c[v.Severity] ?? 0) + 1;
  return c;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

describe('trivy-gate bundle', () => {
  it('juice-shop (632 KB, real live-DB scan): fails on CRITICAL; counts, outputs, SARIF and summary from one trivy run', async () => {
    const { run, argv } = await gate(
      { image: JUICE },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/securecodebox/juice-shop-v12.10.2.json') },
    );
    const want = rawCounts('trivy/securecodebox/juice-shop-v12.10.2.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::Trivy gate failed: /m);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['critical']).toBe(String(want['CRITICAL']));
    expect(run.outputs['high']).toBe(String(want['HIGH']));
    expect(run.outputs['medium']).toBe(String(want['MEDIUM']));
    expect(run.outputs['low']).toBe(String(want['LOW']));
    expect(run.outputs['total']).toBe(String(Object.values(want).reduce((a, b) => a + b, 0)));
    expect(run.outputs['summary']).toBe(
      `${want['CRITICAL']} CRITICAL, ${want['HIGH']} HIGH, ${want['MEDIUM']} MEDIUM, ${want['LOW']} LOW — failed (threshold CRITICAL)`,
    );

    // exactly one scan, JSON to a file, by digest after --
    const scans = argv.filter((a) => a[0] === 'image');
    expect(scans).toHaveLength(1);
    const scan = scans[0] as string[];
    expect(flag(scan, '--format')).toBe('json');
    expect(flag(scan, '--output')).toBe(run.outputs['report']);
    expect(flag(scan, '--exit-code')).toBe('0');
    expect(flag(scan, '--severity')).toBe('UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL');
    expect(scan.slice(-2)).toEqual(['--', JUICE]);
    expect(readFileSync(run.outputs['report'] as string, 'utf8')).toBe(
      readFixture('trivy/securecodebox/juice-shop-v12.10.2.json'),
    );

    const sarif = JSON.parse(readFileSync(run.outputs['sarif'] as string, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(Number(run.outputs['total']));
    expect(run.summary).toContain('## Trivy gate: failed');
    expect(run.summary).toContain('<details><summary>All ');
    expect(statSync(run.outputs['report'] as string).isFile()).toBe(true);
  });

  it('ubuntu 18.04 (MEDIUM and LOW only): passes the default CRITICAL threshold, fails fail-on MEDIUM', async () => {
    const report = fixturePath('trivy/ubuntu-1804.json');
    const pass = await gate({ image: IMAGE }, { FAKE_TRIVY_REPORT: report });
    expect(pass.run.code).toBe(0);
    expect(pass.run.outputs['passed']).toBe('true');
    expect(pass.run.stdout).toContain('The report lists no RepoDigests');
    const fail = await gate({ image: IMAGE, 'fail-on': 'medium' }, { FAKE_TRIVY_REPORT: report });
    expect(fail.run.code).toBe(1);
    expect(fail.run.outputs['passed']).toBe('false');
    expect(fail.run.outputs['summary']).toMatch(/— failed \(threshold MEDIUM\)$/);
  });

  it('an OCI archive from build-push (push: false) is unpacked and its layout scanned with --input=<absolute path>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-oci-'));
    const manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}';
    const hex = createHash('sha256').update(manifest).digest('hex');
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'sha256', hex), manifest);
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    writeFileSync(join(dir, 'index.json'), `{"schemaVersion":2,"manifests":[{"digest":"sha256:${hex}","size":1}]}`);
    execFileSync('tar', ['-cf', join(dir, 'image.tar'), '-C', dir, 'oci-layout', 'index.json', 'blobs']);
    const { run, argv } = await gate(
      { input: join(dir, 'image.tar') },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/alpine-39-skip.json') },
    );
    expect(run.code).toBe(0);
    expect(run.outputs['total']).toBe('0');
    expect(run.outputs['digest']).toBe(`sha256:${hex}`);
    const scan = argv.find((a) => a[0] === 'image') as string[];
    expect(scan.at(-1)).toMatch(/^--input=\/.*\/oci-layout$/);
    expect(scan).not.toContain('--');
    // a file that is no archive at all is refused, naming the input
    writeFileSync(join(dir, 'junk.tar'), 'not a tar');
    const junk = await gate(
      { input: join(dir, 'junk.tar') },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/alpine-39-skip.json') },
    );
    expect(junk.run.code).toBe(1);
    expect(junk.argv.filter((a) => a[0] === 'image')).toEqual([]);
  });

  it("a DB download failure is an infrastructure error with trivy's own message, never a pass", async () => {
    const { run, argv } = await gate(
      { image: IMAGE, 'max-attempts': '1' },
      { FAKE_TRIVY_MODE: 'db-failure', FAKE_TRIVY_REPORT: fixturePath('trivy/alpine-39-skip.json') },
    );
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['summary']).toMatch(/^not decided — init error: DB error: failed to download vulnerability DB/);
    expect(run.outputs['critical']).toBeUndefined();
    expect(run.stdout).toContain('Trivy produced no report: the vulnerability DB could not be downloaded');
    expect(run.stdout).toContain('not a pass');
    expect(run.summary).toContain('## Trivy gate: not decided');
    expect(argv.filter((a) => a[0] === 'image')).toHaveLength(1);
  });

  it('a stale DB under skip-db-update is refused by max-db-age', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pcd-trivy-cache-'));
    mkdirSync(join(cache, 'db'));
    const updated = new Date(Date.now() - 100 * 3_600_000);
    writeFileSync(
      join(cache, 'db', 'metadata.json'),
      JSON.stringify({
        Version: 2,
        NextUpdate: new Date(updated.getTime() + 6 * 3_600_000).toISOString(),
        UpdatedAt: updated.toISOString(),
        DownloadedAt: updated.toISOString(),
      }),
    );
    const { run, argv } = await gate(
      { image: IMAGE, 'skip-db-update': 'true' },
      { FAKE_TRIVY_REPORT: fixturePath('trivy/ubuntu-1804.json') },
      { cache },
    );
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['summary']).toMatch(
      /not decided — the vulnerability DB was updated .*older than max-db-age \(48 h\)/,
    );
    const scan = argv.find((a) => a[0] === 'image') as string[];
    expect(scan).toContain('--skip-db-update');
  });
});
