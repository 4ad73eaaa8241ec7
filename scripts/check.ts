// Every check CI runs, in order: typecheck, lint, format (prettier --check), rebuild the bundles and prove dist/ is fresh, then
// the whole test suite (unit, action, integration, kube, bundle smoke, metadata, actionlint).
// Ends with a plain "tests: N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of Vitest's JSON report (--reporter=json) read here. */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
}

const root = new URL('..', import.meta.url).pathname;
const bin = (n: string): string => join(root, 'node_modules', '.bin', n);
const started = Date.now();
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function step(title: string, cmd: string, args: string[]): void {
  const t = Date.now();
  out(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    err(`=== ${title}: FAILED (${secs}s)`);
    process.exit(r.status ?? 1);
  }
  out(`=== ${title}: ok (${secs}s)`);
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('lint', bin('eslint'), ['--max-warnings=0', '.']);
step('format', bin('prettier'), ['--check', '.']);
step('build bundles', process.execPath, ['scripts/build.ts']);

out('\n=== check-dist');
const dirty = spawnSync('git', ['status', '--porcelain', '--', 'dist'], { cwd: root, encoding: 'utf8' });
if (dirty.status !== 0) {
  err(dirty.stderr);
  process.exit(1);
}
// A stale dist/ fails the run, but only at the end, so one CI run shows every problem.
const distStale = dirty.stdout.trim() !== '';
if (distStale) {
  err(
    '=== check-dist: FAILED: dist/ is not what the sources build. Run `pnpm build` and commit dist/ with the change:\n' +
      dirty.stdout,
  );
} else {
  out('=== check-dist: ok (dist/ matches the sources)');
}

const report = join(root, '.tmp', 'vitest-report.json');
mkdirSync(join(root, '.tmp'), { recursive: true });
rmSync(report, { force: true });
const t = Date.now();
out('\n=== tests');
const r = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
let passed = 0;
let failed = 0;
try {
  const j = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
  passed = j.numPassedTests;
  failed = j.numFailedTests;
} catch {
  failed = Math.max(failed, 1);
}
out(
  `=== tests: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)}s); all checks took ${((Date.now() - started) / 1000).toFixed(0)}s`,
);
out(`tests: ${passed} passed, ${failed} failed`);
// every test passed, yet the run failed: a global setup or teardown did (the secret canary scan of
// test/canary/global-setup.ts, a stack that would not start); its message is above
if (r.status !== 0 && failed === 0)
  err(
    'the test run failed outside any test: a global setup or teardown (e.g. the secret canary scan) reported the error above',
  );
if (distStale) err('check-dist failed (see above)');
process.exit(r.status === 0 && passed > 0 && !distStale ? 0 : 1);
