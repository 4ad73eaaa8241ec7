/**
 * trivy-gate's committed bundle (dist/trivy-gate/index.js) with the real trivy: the default version of
 * the tool manifest, built from source by scripts/setup/trivy.sh and named by POLYGLOT_CD_TRIVY_BIN
 * (the documented operator override). It scans a tiny image built here (the registry harness's busybox
 * base + package metadata trivy detects, test/trivy/image.ts) in the plain local registry, with a
 * vulnerability DB in trivy's own format that the test writes (test/trivy/db.ts, trivy-dbgen), fully
 * offline: counts, SARIF and summary come from the real report.
 *
 * Skipped when the trivy binary has not been built (`bash scripts/setup/trivy.sh`, several minutes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { containersEnv, registryInfo, uniqueRepo } from '../../registry/harness.js';
import { builtTrivy, makeTrivyDb, trivyEnv, trivySkipReason, TRIVY_VERSION } from '../../trivy/db.js';
import {
  buildPlantedImage,
  debAdvisory,
  DEB,
  DEBIAN_VERSION,
  PY,
  pyAdvisory,
  type PlantedImage,
} from '../../trivy/image.js';

const skipReason = trivySkipReason();
if (skipReason) console.warn(`[real-trivy] skipped: ${skipReason}`);
const CRITICAL_ID = 'CVE-2099-0001';
const MEDIUM_ID = 'GHSA-pcd0-demo-0001';

interface Report {
  SchemaVersion: number;
  Trivy?: { Version?: string };
  ArtifactName: string;
  Metadata: { RepoDigests?: string[]; OS?: { Family: string; Name: string } };
  Results?: {
    Target: string;
    Class: string;
    Type: string;
    Vulnerabilities?: {
      VulnerabilityID: string;
      PkgName: string;
      InstalledVersion: string;
      FixedVersion: string;
      Severity: string;
    }[];
  }[];
}

interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string } };
    results: { ruleId: string; level: string; suppressions?: { kind: string; justification: string }[] }[];
  }[];
}

/** Vulnerability ids and severities read straight from the report, independently of the action. */
function reportFindings(report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of report.Results ?? []) for (const v of r.Vulnerabilities ?? []) out[v.VulnerabilityID] = v.Severity;
  return out;
}

/** A TCP port nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe.skipIf(skipReason !== undefined)(
  `trivy-gate with the real trivy ${TRIVY_VERSION}${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let planted: PlantedImage;
    /** a trivy cache dir holding a DB with one CRITICAL (Debian package) and one MEDIUM (pip) advisory */
    let cache: string;
    const dirs: string[] = [];
    const tempDir = (prefix: string): string => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    };

    beforeAll(async () => {
      const info = registryInfo();
      const dir = tempDir('pcd-real-trivy-');
      planted = await buildPlantedImage({
        base: info.baseImage,
        ref: `${info.plain.host}/${uniqueRepo('trivy-real')}:1`,
        env: containersEnv(),
        archive: join(dir, 'image.oci.tar'),
        layout: join(dir, 'layout'),
      });
      cache = join(dir, 'cache');
      await makeTrivyDb(cache, [
        debAdvisory(CRITICAL_ID, 'CRITICAL', {
          cvss3Score: 9.8,
          cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        }),
        pyAdvisory(MEDIUM_ID, 'MEDIUM'),
      ]);
    });

    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /** Runs the bundle with the real trivy; `files` are written into the workspace (GITHUB_WORKSPACE). */
    async function gate(
      inputs: Record<string, string>,
      opts: { files?: Record<string, string>; env?: Record<string, string> } = {},
    ): Promise<ActionRun> {
      const ws = tempDir('pcd-real-trivy-ws-');
      for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(ws, name), text);
      const env = { POLYGLOT_CD_TRIVY_BIN: builtTrivy() as string, GITHUB_WORKSPACE: ws, ...trivyEnv(), ...opts.env };
      // the workspace (report, SARIF, summary) stays for the secret canary scan, which removes the run's captures
      return runBundle('trivy-gate', workspace(inputs, env), { timeoutMs: 150_000 });
    }

    const offline = (): Record<string, string> => ({ 'cache-dir': cache, 'skip-db-update': 'true' });

    it('fails on the planted CRITICAL of an image in the registry; counts, report and SARIF are the real scan', async () => {
      const run = await gate({ image: planted.image, ...offline() });
      expect(run.stdout).toContain(`Using trivy from POLYGLOT_CD_TRIVY_BIN=${builtTrivy()}`);
      expect(run.stdout).toContain(`trivy ${TRIVY_VERSION} (env)`);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        new RegExp(
          `^::error::Trivy gate failed: 1 CRITICAL, 0 HIGH, 1 MEDIUM — failed \\(threshold CRITICAL\\)\\. 1 finding\\(s\\) at or above CRITICAL, e\\.g\\. CRITICAL ${CRITICAL_ID} in ${DEB.name} ${DEB.version} \\(fixed in ${DEB.fixed}\\)`,
          'm',
        ),
      );
      expect(run.outputs).toMatchObject({
        passed: 'false',
        critical: '1',
        high: '0',
        medium: '1',
        low: '0',
        unknown: '0',
        total: '2',
      });
      expect(run.outputs['summary']).toBe('1 CRITICAL, 0 HIGH, 1 MEDIUM — failed (threshold CRITICAL)');

      // the report is trivy's own: the version, the image by digest, the OS and both planted findings
      const report = JSON.parse(readFileSync(run.outputs['report'] as string, 'utf8')) as Report;
      expect(report.SchemaVersion).toBe(2);
      expect(report.Trivy?.Version).toBe(TRIVY_VERSION);
      expect(report.ArtifactName).toBe(planted.image);
      expect(report.Metadata.RepoDigests).toContain(planted.image);
      expect(report.Metadata.OS).toEqual({ Family: 'debian', Name: DEBIAN_VERSION });
      expect(reportFindings(report)).toEqual({ [CRITICAL_ID]: 'CRITICAL', [MEDIUM_ID]: 'MEDIUM' });
      const os = report.Results?.find((r) => r.Class === 'os-pkgs');
      expect(os?.Type).toBe('debian');
      expect(os?.Vulnerabilities?.[0]).toMatchObject({
        PkgName: DEB.name,
        InstalledVersion: DEB.version,
        FixedVersion: DEB.fixed,
      });
      const lang = report.Results?.find((r) => r.Class === 'lang-pkgs');
      expect(lang?.Type).toBe('python-pkg');
      expect(lang?.Vulnerabilities?.[0]).toMatchObject({
        PkgName: PY.name,
        InstalledVersion: PY.version,
        FixedVersion: PY.fixed,
      });

      const sarif = JSON.parse(readFileSync(run.outputs['sarif'] as string, 'utf8')) as Sarif;
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0]?.tool.driver.version).toBe(TRIVY_VERSION);
      expect(sarif.runs[0]?.results.map((r) => r.ruleId).sort()).toEqual([CRITICAL_ID, MEDIUM_ID].sort());
      expect(sarif.runs[0]?.results.every((r) => r.suppressions === undefined)).toBe(true);

      expect(run.summary).toContain('## Trivy gate: failed');
      expect(run.summary).toContain(CRITICAL_ID);
      expect(run.summary).toContain(DEB.fixed);
    });

    it('passes when the CRITICAL is ignored by an unexpired .trivyignore.yaml entry; the suppression is listed and kept in SARIF', async () => {
      const until = `${new Date().getUTCFullYear() + 1}-12-31`;
      const ignore = [
        'vulnerabilities:',
        `  - id: ${CRITICAL_ID}`,
        `    expired_at: ${until}`,
        '    statement: the planted package is never loaded',
        `    purls: ["pkg:deb/debian/${DEB.name}"]`,
        '',
      ].join('\n');
      const run = await gate({ image: planted.image, ...offline() }, { files: { '.trivyignore.yaml': ignore } });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ passed: 'true', critical: '0', high: '0', medium: '1', total: '1' });
      expect(run.outputs['summary']).toBe('0 CRITICAL, 0 HIGH, 1 MEDIUM — passed (threshold CRITICAL)');
      expect(run.stdout).toContain('Ignore rules: 1 entry from .trivyignore.yaml');

      // the report still has both: the gate, not trivy, applied the entry
      const report = JSON.parse(readFileSync(run.outputs['report'] as string, 'utf8')) as Report;
      expect(reportFindings(report)).toEqual({ [CRITICAL_ID]: 'CRITICAL', [MEDIUM_ID]: 'MEDIUM' });

      const sarif = JSON.parse(readFileSync(run.outputs['sarif'] as string, 'utf8')) as Sarif;
      const suppressed = sarif.runs[0]?.results.find((r) => r.ruleId === CRITICAL_ID);
      expect(suppressed?.suppressions?.[0]?.kind).toBe('external');
      expect(suppressed?.suppressions?.[0]?.justification).toContain('the planted package is never loaded');
      expect(sarif.runs[0]?.results.find((r) => r.ruleId === MEDIUM_ID)?.suppressions).toBeUndefined();

      expect(run.summary).toContain('## Trivy gate: passed');
      expect(run.summary).toContain('### Suppressed by ignore entries (1)');
    });

    it('an expired entry suppresses nothing: the CRITICAL counts again and the gate fails', async () => {
      const run = await gate(
        { image: planted.image, ...offline() },
        { files: { '.trivyignore': `${CRITICAL_ID} exp:2020-01-01\n` } },
      );
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ passed: 'false', critical: '1', medium: '1' });
      expect(run.stdout).toMatch(
        new RegExp(
          `^::warning::Ignore entry ${CRITICAL_ID} \\(\\.trivyignore:1\\) expired on 2020-01-01 and no longer suppresses anything \\(1 finding\\(s\\) counted again\\)`,
          'm',
        ),
      );
    });

    it('scans an OCI layout directory (input) with the same result', async () => {
      const run = await gate({ input: planted.layout as string, ...offline() });
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ passed: 'false', critical: '1', medium: '1', total: '2' });
      const report = JSON.parse(readFileSync(run.outputs['report'] as string, 'utf8')) as Report;
      expect(report.ArtifactName).toBe(planted.layout);
      expect(reportFindings(report)).toEqual({ [CRITICAL_ID]: 'CRITICAL', [MEDIUM_ID]: 'MEDIUM' });
    });

    // trivy 0.74.0's --input opens a docker-save tar or an OCI layout *directory* (pkg/fanal/image:
    // tryDockerArchive, then layout.FromPath), not the OCI archive (tar) build-push writes with
    // push: false: the gate unpacks such an archive into its work directory and scans the layout.
    it('an OCI archive (build-push push: false) is unpacked and scanned: the same findings', async () => {
      const run = await gate({ input: planted.archive as string, ...offline() });
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ passed: 'false', critical: '1', medium: '1', total: '2' });
      const report = JSON.parse(readFileSync(run.outputs['report'] as string, 'utf8')) as Report;
      expect(reportFindings(report)).toEqual({ [CRITICAL_ID]: 'CRITICAL', [MEDIUM_ID]: 'MEDIUM' });
    });

    it("no DB and no network: fails with trivy's real DB download error, never passes", async () => {
      const empty = tempDir('pcd-real-trivy-nodb-');
      // no network for trivy on any machine: every HTTPS request goes to a proxy port nothing listens on
      const proxy = `http://127.0.0.1:${await closedPort()}`;
      const run = await gate(
        { image: planted.image, 'cache-dir': empty, 'max-attempts': '1' },
        { env: { HTTPS_PROXY: proxy, HTTP_PROXY: proxy, NO_PROXY: '' } },
      );
      expect(run.code).toBe(1);
      expect(run.outputs['passed']).toBe('false');
      expect(run.outputs['critical']).toBeUndefined();
      expect(run.outputs['summary']).toMatch(
        /^not decided — run error: init error: DB error: failed to download vulnerability DB: OCI artifact error: failed to download vulnerability DB: failed to download artifact from mirror\.gcr\.io\/aquasec\/trivy-db:2: OCI repository error: 1 error occurred: \* Get "https:\/\/mirror\.gcr\.io\/v2\/": proxyconnect tcp: dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/,
      );
      expect(run.stdout).toMatch(
        /^::error::Trivy produced no report: the vulnerability DB could not be downloaded: run error: init error: DB error: failed to download vulnerability DB/m,
      );
      expect(run.stdout).toContain('not a pass');
      expect(run.summary).toContain('## Trivy gate: not decided');
      expect(existsSync(join(empty, 'db', 'trivy.db'))).toBe(false);
    });

    it('skip-db-update with no DB: trivy refuses to run, the gate is not decided', async () => {
      const empty = tempDir('pcd-real-trivy-nodb-');
      const run = await gate({ image: planted.image, 'cache-dir': empty, 'skip-db-update': 'true' });
      expect(run.code).toBe(1);
      expect(run.outputs['passed']).toBe('false');
      expect(run.outputs['summary']).toBe(
        'not decided — run error: init error: DB error: database error: --skip-db-update cannot be specified on the first run',
      );
    });
  },
);
