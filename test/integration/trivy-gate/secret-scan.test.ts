/**
 * trivy-gate's committed bundle scanning a folder for secrets (path, skip-dirs, scanners: secret) with
 * the real trivy (the manifest's default version, built by scripts/setup/trivy.sh, named by
 * POLYGLOT_CD_TRIVY_BIN): no vulnerability DB in the cache directory and every proxy pointing at a
 * closed port, so a DB download (or any other request) would fail the scan. The planted secrets are
 * registered canaries: the run's canary scan proves neither shows up in a log, output, summary, SARIF
 * file or the JSON report.
 *
 * Skipped when the trivy binary has not been built (`bash scripts/setup/trivy.sh`, several minutes).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { registerSecret } from '../../helpers/canary.js';
import { builtTrivy, trivySkipReason, TRIVY_VERSION } from '../../trivy/db.js';

const skipReason = trivySkipReason();
if (skipReason) console.warn(`[secret-scan] skipped: ${skipReason}`);

/** `n` characters of `alphabet`, random (a fresh secret per run, registered as a canary). */
function randomOf(alphabet: string, n: number): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = `${UPPER_DIGITS}abcdefghijklmnopqrstuvwxyz`;

/** trivy's builtin rule github-pat (pkg/fanal/secret/builtin-rules.go): `ghp_[0-9a-zA-Z]{36}`, CRITICAL */
const githubPat = (): string => registerSecret('github pat in a checkout', `ghp_${randomOf(ALNUM, 36)}`);
/** trivy's builtin rule aws-access-key-id: `AKIA[A-Z0-9]{16}`, CRITICAL */
const awsKeyId = (): string => registerSecret('aws key id in a skipped dir', `AKIA${randomOf(UPPER_DIGITS, 16)}`);

/** A TCP port nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

interface Report {
  ArtifactType?: string;
  Results?: { Target: string; Class: string; Secrets?: { RuleID: string; Severity: string; StartLine: number }[] }[];
}

describe.skipIf(skipReason !== undefined)(
  `trivy-gate scans a folder for secrets with the real trivy ${TRIVY_VERSION}${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const dirs: string[] = [];
    const tempDir = (prefix: string): string => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    };
    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    /**
     * A checkout outside the canary captures (it holds the secrets in clear, as a checkout would);
     * the step's RUNNER_TEMP, outputs, summary and logs are captured and scanned.
     */
    function checkout(files: Record<string, string>): string {
      const ws = tempDir('pcd-secret-scan-ws-');
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(dirname(join(ws, name)), { recursive: true });
        writeFileSync(join(ws, name), text);
      }
      return ws;
    }

    /** The bundle with the real trivy, an empty cache dir and no network. */
    async function gate(ws: string, inputs: Record<string, string>): Promise<{ run: ActionRun; cache: string }> {
      const cache = join(tempDir('pcd-secret-scan-cache-'), 'trivy');
      const proxy = `http://127.0.0.1:${await closedPort()}`;
      const env = {
        POLYGLOT_CD_TRIVY_BIN: builtTrivy() as string,
        GITHUB_WORKSPACE: ws,
        HTTPS_PROXY: proxy,
        HTTP_PROXY: proxy,
        NO_PROXY: '',
      };
      const run = await runBundle('trivy-gate', workspace({ 'cache-dir': cache, ...inputs }, env), {
        timeoutMs: 150_000,
      });
      return { run, cache };
    }

    it('fails on a GitHub token in the checkout, names the file, line and rule; the skipped folder is not read; offline, no DB', async () => {
      const pat = githubPat();
      const keyId = awsKeyId();
      const ws = checkout({
        'README.md': '# shop\n',
        'deploy/env.sh': `#!/bin/sh\n# deploy settings\nexport GITHUB_TOKEN=${pat}\n`,
        'polyglot-cd-base/creds.sh': `export AWS_ACCESS_KEY_ID=${keyId}\n`,
        '.polyglot-cd/ci.env': `AWS_ACCESS_KEY_ID=${keyId}\n`,
      });
      const { run, cache } = await gate(ws, {
        path: '.',
        'skip-dirs': '.polyglot-cd\npolyglot-cd-base\n',
        scanners: 'secret',
        'fail-on': 'HIGH',
      });
      expect(run.stdout).toContain(`trivy ${TRIVY_VERSION} (env)`);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^::error::Trivy gate failed: 1 CRITICAL, 0 HIGH — failed \(threshold HIGH\)\. 1 finding\(s\) at or above HIGH, e\.g\. CRITICAL github-pat in deploy\/env\.sh:3$/m,
      );
      expect(run.outputs).toMatchObject({ passed: 'false', critical: '1', high: '0', total: '1', digest: '' });

      // the report is trivy's own: one secret, in the file not skipped, and trivy ran as `fs`
      const report = JSON.parse(readFileSync(run.outputs['report'] as string, 'utf8')) as Report;
      expect(report.ArtifactType).toBe('filesystem');
      const found = (report.Results ?? []).flatMap((r) =>
        (r.Secrets ?? []).map((s) => [r.Target, s.RuleID, s.StartLine]),
      );
      expect(found).toEqual([['deploy/env.sh', 'github-pat', 3]]);

      // the summary: the folder, what was skipped, and the finding by file, line and rule
      expect(run.summary).toContain('## Trivy gate: failed');
      expect(run.summary).toContain('Scanned folder');
      expect(run.summary).toContain('<code>.polyglot-cd</code>, <code>polyglot-cd-base</code>');
      expect(run.summary).toMatch(
        /\| CRITICAL \| github-pat \| GitHub Personal Access Token \| deploy\/env\.sh \| 3 \|/,
      );
      expect(run.summary).toContain('not used (no vuln scanner)');

      // no DB was downloaded (nor needed): the cache dir holds no db/
      expect(existsSync(join(cache, 'db'))).toBe(false);
      expect(existsSync(cache) ? readdirSync(cache) : []).not.toContain('java-db');

      // checked here too, beyond the run's canary scan
      for (const s of [pat, keyId]) {
        expect(run.everything).not.toContain(s);
        expect(readFileSync(run.outputs['sarif'] as string, 'utf8')).not.toContain(s);
        expect(readFileSync(run.outputs['report'] as string, 'utf8')).not.toContain(s);
      }
    });

    it('passes on a clean folder, with no DB and no network', async () => {
      const ws = checkout({ 'README.md': '# shop\n', 'src/app.py': 'print("hello")\n' });
      const { run, cache } = await gate(ws, { path: 'src', scanners: 'secret', 'fail-on': 'CRITICAL' });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ passed: 'true', total: '0', digest: '' });
      expect(run.outputs['summary']).toBe('0 CRITICAL, 0 HIGH — passed (threshold CRITICAL)');
      expect(run.summary).toContain('none (skip-dirs not set)');
      expect(existsSync(join(cache, 'db'))).toBe(false);
    });

    it('an ignore file entry with the rule ID lets the secret pass, and says so', async () => {
      const pat = githubPat();
      const until = `${new Date().getUTCFullYear() + 1}-12-31`;
      const ws = checkout({
        'deploy/env.sh': `export GITHUB_TOKEN=${pat}\n`,
        'ci/secrets.trivyignore': `github-pat exp:${until}\n`,
      });
      const { run } = await gate(ws, {
        path: '.',
        scanners: 'secret',
        'fail-on': 'HIGH',
        'ignore-file': 'ci/secrets.trivyignore',
      });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ passed: 'true', critical: '0', total: '0' });
      expect(run.summary).toContain('Suppressed by ignore entries (1)');
      expect(run.everything).not.toContain(pat);
    });
  },
);
