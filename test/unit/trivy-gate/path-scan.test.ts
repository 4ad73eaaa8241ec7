/**
 * Folder scans (path, skip-dirs) and secret findings: the inputs refused before trivy runs, the
 * `trivy fs` argv, and the recorded secret report (test/fixtures/trivy/secrets.json, trivy's own
 * golden file) through the gate's analysis, summary, outputs and SARIF, where the matched text and the
 * code lines around it (the secret) must never appear.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Trivy, type TrivyScanOptions } from '@polyglot-cd/tools';
import { analyse, gateFailureMessage, summaryModel } from '../../../actions/trivy-gate/src/decision.js';
import type { GateInputs } from '../../../actions/trivy-gate/src/inputs.js';
import { main } from '../../../actions/trivy-gate/src/main.js';
import { outputs, renderSummary } from '../../../actions/trivy-gate/src/summary.js';
import { runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { readFixture } from '../../helpers/fixtures.js';
import { fakeTrivyBin, recordedArgv } from '../../fakes/trivy/install.js';

const IMAGE = `registry.local:5000/shop/backend@sha256:${'a'.repeat(64)}`;
const bin = fakeTrivyBin();

/** A workspace with a folder `app`, a file `file.txt`, and a symlink `out` to a folder outside it. */
function checkout(): { ws: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'pcd-path-inputs-'));
  const ws = join(root, 'ws');
  const outside = join(root, 'outside');
  mkdirSync(join(ws, 'app', 'vendor'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(ws, 'file.txt'), 'x\n');
  symlinkSync(outside, join(ws, 'out'));
  return { ws, outside };
}

async function gate(inputs: Record<string, string>): Promise<{ run: ActionRun; argv: string[][] }> {
  const { ws } = checkout();
  const argvLog = join(ws, '..', 'argv.jsonl');
  const env = { POLYGLOT_CD_TRIVY_BIN: bin, FAKE_TRIVY_ARGV_LOG: argvLog, GITHUB_WORKSPACE: ws };
  const run = await runInProcess('trivy-gate', (ctx) => main(ctx), workspace(inputs, env));
  return { run, argv: recordedArgv(argvLog) };
}

describe('path and skip-dirs: refused naming the input, the value and what is allowed; trivy never runs', () => {
  it.each([
    [
      'a folder that does not exist',
      { path: 'no-such-dir' },
      /Input "path" has an invalid value "no-such-dir": no such folder \(.*\/ws\/no-such-dir\): expected a folder inside the workspace/,
    ],
    [
      'a file, not a folder',
      { path: 'file.txt' },
      /Input "path" has an invalid value "file.txt": .*\/ws\/file\.txt is not a folder: expected a folder inside the workspace/,
    ],
    [
      '.. out of the workspace',
      { path: '../outside' },
      /Input "path" has an invalid value "..\/outside": resolves to .*\/outside, outside the workspace: expected a folder inside the workspace \(.*\/ws\)/,
    ],
    [
      'an absolute path out of the workspace',
      { path: '/etc' },
      /Input "path" has an invalid value "\/etc": resolves to \/etc, outside the workspace/,
    ],
    [
      'a symlink leading out of the workspace',
      { path: 'out' },
      /Input "path" has an invalid value "out": is a symlink to .*\/outside, outside the workspace/,
    ],
    [
      'image and path together',
      { image: IMAGE, path: '.' },
      /Input "path" has an invalid value ".": give either image or path, not both: exactly one of image, input or path/,
    ],
    [
      'input and path together',
      { input: 'file.txt', path: '.' },
      /Input "path" has an invalid value ".": give either input or path, not both/,
    ],
    [
      'skip-dirs without path',
      { image: IMAGE, 'skip-dirs': 'vendor' },
      /Input "skip-dirs" has an invalid value "vendor": only with path \(a folder scan\)/,
    ],
    [
      'an absolute skip-dirs entry',
      { path: 'app', 'skip-dirs': '/etc' },
      /Input "skip-dirs" has an invalid value "\/etc": is absolute: expected folders relative to path/,
    ],
    [
      '.. in skip-dirs',
      { path: 'app', 'skip-dirs': 'vendor/../..' },
      /Input "skip-dirs" has an invalid value "vendor\/..\/..": has "..": expected folders relative to path/,
    ],
    [
      'a glob in skip-dirs',
      { path: 'app', 'skip-dirs': '**/vendor' },
      /Input "skip-dirs" has an invalid value "\*\*\/vendor": has a glob character/,
    ],
    [
      'skip-dirs naming path itself',
      { path: 'app', 'skip-dirs': './' },
      /Input "skip-dirs" has an invalid value ".\/": would skip path itself/,
    ],
    ['nothing to scan', {}, /Input "image" is required.*path: a folder of the workspace/],
  ])('%s', async (_name, inputs, message) => {
    const { run, argv } = await gate(inputs);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(argv).toEqual([]);
  });
});

describe('trivy fs argv', () => {
  const base: TrivyScanOptions = {
    target: { path: '/ws/checkout' },
    output: '/tmp/r/report.json',
    scanners: ['secret'],
    timeoutSeconds: 600,
    ignoreUnfixed: false,
    ignoreFile: '/tmp/r/none.trivyignore',
    skipDirs: ['/ws/checkout/.polyglot-cd', '/ws/checkout/polyglot-cd-base'],
  };

  it('fs, one --skip-dirs each, no DB update without vuln, the folder after --', () => {
    const args = Trivy.scanArgs(base);
    expect(args[0]).toBe('fs');
    expect(args.slice(16)).toEqual([
      '--skip-db-update',
      '--skip-java-db-update',
      '--skip-dirs',
      '/ws/checkout/.polyglot-cd',
      '--skip-dirs',
      '/ws/checkout/polyglot-cd-base',
      '--',
      '/ws/checkout',
    ]);
  });

  it('with vuln, the DB is handled as for an image (updated unless skip-db-update)', () => {
    const args = Trivy.scanArgs({ ...base, scanners: ['vuln', 'secret'], skipDirs: [] });
    expect(args).not.toContain('--skip-db-update');
    expect(args.slice(-2)).toEqual(['--', '/ws/checkout']);
    expect(Trivy.scanArgs({ ...base, scanners: ['vuln'], skipDbUpdate: true })).toContain('--skip-check-update');
  });

  it('refuses a relative folder (it could start with -)', () => {
    expect(() => Trivy.scanArgs({ ...base, target: { path: '-rf' } })).toThrow(/trivy fs needs an absolute path/);
  });
});

const INPUTS: GateInputs = {
  image: '',
  input: '',
  path: '/ws/checkout',
  skipDirs: ['polyglot-cd-base'],
  failOn: 'HIGH',
  severities: ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'],
  ignoreUnfixed: false,
  scanners: ['secret'],
  timeoutMs: 600_000,
  sarifFile: '',
  cacheDir: '',
  dbRepositories: [],
  skipDbUpdate: false,
  maxDbAgeMs: 48 * 3_600_000,
  ignoreFiles: [],
  ignoreFilesGiven: false,
  requireExpiry: false,
  version: '',
  toolsBaseUrl: '',
  maxAttempts: 3,
};

interface RawSecret {
  RuleID: string;
  Severity: string;
  StartLine: number;
  Title: string;
  Match: string;
  Code: { Lines: { Content: string }[] };
}

/** The secrets of the recorded report, read here from the raw JSON. */
function rawSecrets(text: string): (RawSecret & { Target: string })[] {
  const doc = JSON.parse(text) as { Results: { Target: string; Secrets?: RawSecret[] }[] };
  return doc.Results.flatMap((r) => (r.Secrets ?? []).map((s) => ({ ...s, Target: r.Target })));
}

/** Everything the gate makes of one report: summary, outputs, SARIF, the failure message. */
function everythingFrom(text: string, inputs: GateInputs = INPUTS): string {
  const a = analyse(Trivy.parseReport(text), [], inputs, new Date('2026-01-01T00:00:00Z'));
  const m = summaryModel(a, inputs, {
    target: inputs.path,
    digest: '',
    trivyVersion: '0.74.0',
    db: {},
    reportPath: '/tmp/r/report.json',
    sarifPath: '/tmp/r/trivy.sarif',
    ignoreFile: '',
    skipDirs: inputs.skipDirs,
  });
  return [
    renderSummary(m),
    JSON.stringify(outputs({ target: inputs.path, stage: 'scan', reason: '', reportPath: '', decided: m })),
    JSON.stringify(a.sarif),
    gateFailureMessage(a, inputs.failOn),
    a.line,
  ].join('\n');
}

describe('secret findings from the recorded report (secrets.json)', () => {
  const text = readFixture('trivy/secrets.json');
  const secrets = rawSecrets(text);

  it('count toward the severities and the decision, and are listed by file, line, rule and severity', () => {
    expect(secrets.map((s) => [s.Target, s.RuleID, s.Severity, s.StartLine])).toEqual([
      ['deploy.sh', 'aws-access-key-id', 'CRITICAL', 3],
      ['deploy.sh', 'mysecret', 'HIGH', 7],
    ]);
    const a = analyse(Trivy.parseReport(text), [], INPUTS, new Date());
    expect(a.counts).toMatchObject({ CRITICAL: 1, HIGH: 1, total: 2 });
    expect(a.passed).toBe(false);
    expect(a.failed.map((f) => f.id)).toEqual(['aws-access-key-id', 'mysecret']);
    expect(gateFailureMessage(a, 'HIGH')).toContain(
      'e.g. CRITICAL aws-access-key-id in deploy.sh:3; HIGH mysecret in deploy.sh:7',
    );
    const all = everythingFrom(text);
    expect(all).toContain('| Severity | Rule | Title | File | Line |');
    expect(all).toContain('| CRITICAL | aws-access-key-id | AWS Access Key ID | deploy.sh | 3 |');
    expect(all).toContain('| HIGH | mysecret | My Secret | deploy.sh | 7 |');
    expect(all).toContain('Scanned folder');
    expect(all).toContain('<code>polyglot-cd-base</code>');
    expect(all).toContain('"digest":""');
    expect(all).toContain('not used (no vuln scanner)');
  });

  it('ignoring a rule ID suppresses that secret only', () => {
    const rule = {
      id: 'mysecret',
      kinds: 'any' as const,
      paths: [],
      purls: [],
      statement: '',
      where: '.trivyignore:1',
    };
    const a = analyse(Trivy.parseReport(text), [rule], { ...INPUTS, failOn: 'CRITICAL' }, new Date());
    expect(a.kept.map((f) => f.id)).toEqual(['aws-access-key-id']);
    expect(a.outcome.suppressed.map((s) => s.finding.id)).toEqual(['mysecret']);
  });

  it('the matched text and the code lines around it never reach the summary, outputs, SARIF or messages', () => {
    const all = everythingFrom(text);
    for (const s of secrets) {
      expect(all).not.toContain(s.Match);
      for (const line of s.Code.Lines) if (line.Content.length > 12) expect(all).not.toContain(line.Content);
    }
    // the clear token in the recorded code lines, and one planted as the match itself
    expect(all).not.toContain('ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const planted = 'PLANTED-SECRET-MATCH-7f3c9e';
    const doc = JSON.parse(text) as { Results: { Secrets?: RawSecret[] }[] };
    for (const r of doc.Results)
      for (const s of r.Secrets ?? []) {
        s.Match = `export TOKEN=${planted}`;
        for (const l of s.Code.Lines) l.Content = `${planted} ${l.Content}`;
      }
    expect(everythingFrom(JSON.stringify(doc))).not.toContain(planted);
  });
});
