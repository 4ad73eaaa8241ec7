// pnpm bench: each action's cold start and peak RSS next to `node -e 0`, measured in the same run
// under the same Node 24 and the same clean environment (PATH and runner variables only), as ratios.
//   cold start = the bundle started with no inputs, up to its "input required" failure: module
//                evaluation and input validation, the cost every step pays before doing work;
//   teams-notify is also run end to end, delivering to a local server that answers 202.
// Usage: node scripts/bench.ts [--runs N] [--kube] | --e2e
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment of a measured run: PATH, HOME and the runner's variables, plus `extra`. */
export type Env = Record<string, string | undefined>;

/** One row of the table: the subject's median time (ms) and peak RSS (MiB) next to the floor's. */
export interface BenchRow {
  label: string;
  subject: number;
  floor: number;
  floorRss: number;
  subjectRss?: number | undefined;
  /** what the floor is, when it is not `node -e 0` */
  floorLabel?: string;
  note?: string;
}

/** What bench.ts hands the benchmarks it loads (bench-build-push.ts, bench-helm-deploy.ts). */
export interface BenchContext {
  /** the repository root */
  root: string;
  /** the Node that runs the bundles */
  node: string;
  /** the clean environment of a run, with `extra` added */
  cleanEnv: (extra?: Env) => Env;
}

const root = new URL('..', import.meta.url).pathname;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21;
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), 'pcd-bench-'));
for (const f of ['output', 'summary', 'state']) writeFileSync(join(work, f), '');
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

// peak RSS: an exit hook loaded with --import writes maxRSS (KiB) to a file; used only for RSS runs
const rssHook = join(work, 'rss-hook.mjs');
const rssFile = join(work, 'rss');
writeFileSync(
  rssHook,
  `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
);

function cleanEnv(extra: Env = {}): Env {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: work,
    // set by every runner: where tools are cached and verified binaries are stamped
    RUNNER_TOOL_CACHE: join(work, 'toolcache'),
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    GITHUB_STATE: join(work, 'state'),
    GITHUB_REPOSITORY: 'example-org/shop',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_RUN_ID: '1',
    GITHUB_WORKFLOW: 'bench',
    ...extra,
  };
}

// pnpm bench --e2e: the local PR pipeline on examples/shop next to its floor (scripts/bench-e2e.ts), alone
if (process.argv.includes('--e2e')) {
  const e2e = await import('./bench-e2e.ts');
  out(e2e.formatE2e(await e2e.default({ root, node, cleanEnv })));
  process.exit(0);
}

function timeOnce(args: string[], env: Env): number {
  const t = process.hrtime.bigint();
  spawnSync(node, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function timeOnceAsync(args: string[], env: Env): Promise<number> {
  const t = process.hrtime.bigint();
  await new Promise((resolve) => spawn(node, args, { env, stdio: 'ignore' }).on('close', resolve));
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function rssOnce(args: string[], env: Env): number {
  spawnSync(node, ['--import', rssHook, ...args], { env, stdio: 'ignore' });
  return Number(readFileSync(rssFile, 'utf8')) / 1024;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Alternates floor and subject runs so both see the same machine state. */
async function measure(
  label: string,
  args: string[],
  env: Env,
  { async = false }: { async?: boolean } = {},
): Promise<BenchRow> {
  const floor: number[] = [];
  const subject: number[] = [];
  const floorRss: number[] = [];
  const subjectRss: number[] = [];
  for (let i = 0; i < 2; i++) {
    timeOnce(['-e', '0'], env);
    if (async) await timeOnceAsync(args, env);
    else timeOnce(args, env);
  }
  for (let i = 0; i < RUNS; i++) {
    floor.push(timeOnce(['-e', '0'], env));
    subject.push(async ? await timeOnceAsync(args, env) : timeOnce(args, env));
  }
  for (let i = 0; i < 5; i++) {
    floorRss.push(rssOnce(['-e', '0'], env));
    if (!async) subjectRss.push(rssOnce(args, env));
  }
  return {
    label,
    floor: median(floor),
    subject: median(subject),
    floorRss: median(floorRss),
    subjectRss: subjectRss.length ? median(subjectRss) : undefined,
  };
}

const rows: BenchRow[] = [];
const bundles = readdirSync(join(root, 'dist')).filter((d) => existsSync(join(root, 'dist', d, 'index.js')));
for (const name of bundles)
  rows.push(await measure(`${name} (cold start)`, [join(root, 'dist', name, 'index.js')], cleanEnv()));

// teams-notify end to end against a local 202 server (the server runs in this process)
if (bundles.includes('teams-notify')) {
  const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(202).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const env = cleanEnv({
    'INPUT_WEBHOOK-URL': `http://127.0.0.1:${port}/workflows/bench?sig=bench-secret`,
    INPUT_STATUS: 'success',
    'INPUT_ALLOWED-HOSTS': '127.0.0.1',
    INPUT_ENVIRONMENT: 'staging',
  });
  const args = [join(root, 'dist', 'teams-notify', 'index.js')];
  const row = await measure('teams-notify (deliver to local 202)', args, env, { async: true });
  // RSS for the end-to-end run: the server must answer while we wait, so spawn asynchronously
  const rss: number[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) =>
      spawn(node, ['--import', rssHook, ...args], { env, stdio: 'ignore' }).on('close', resolve),
    );
    rss.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
  }
  row.subjectRss = median(rss);
  rows.push(row);
  server.close();
}

// trivy-gate end to end over the real 632 KB juice-shop report (test/fixtures), with a /bin/sh
// stand-in for trivy (named by POLYGLOT_CD_TRIVY_BIN) that only copies the report, so the row measures
// the gate (parse, count, ignore rules, SARIF, summary), not a scanner
const juice = join(root, 'test', 'fixtures', 'trivy', 'securecodebox', 'juice-shop-v12.10.2.json');
if (bundles.includes('trivy-gate') && existsSync(juice)) {
  const now = Date.now();
  const versionJson = JSON.stringify({
    Version: '0.74.0',
    VulnerabilityDB: {
      Version: 2,
      NextUpdate: new Date(now + 6 * 3600e3).toISOString(),
      UpdatedAt: new Date(now - 3600e3).toISOString(),
      DownloadedAt: new Date(now).toISOString(),
    },
  });
  const fake = join(work, 'trivy');
  writeFileSync(
    fake,
    `#!/bin/sh\ncase "$1" in\nversion) printf '%s\\n' '${versionJson}' ;;\nimage) prev=; for a in "$@"; do [ "$prev" = --output ] && out=$a; prev=$a; done; exec cp '${juice}' "$out" ;;\nesac\n`,
    { mode: 0o755 },
  );
  const env = cleanEnv({
    POLYGLOT_CD_TRIVY_BIN: fake,
    INPUT_IMAGE:
      'docker.io/bkimminich/juice-shop@sha256:33238f8c6291415c499265629b1b82ef791f5a33dff09f25c07264204a26f89b',
    'INPUT_FAIL-ON': 'none',
    'INPUT_CACHE-DIR': join(work, 'trivy-cache'),
    GITHUB_WORKSPACE: work,
  });
  const row = await measure(
    'trivy-gate (gate, juice-shop 632 KB)',
    [join(root, 'dist', 'trivy-gate', 'index.js')],
    env,
  );
  rows.push(row);
  // the overhead target: the step's time less node -e 0 and the same trivy command run directly
  const direct: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    spawnSync(fake, ['image', '--output', join(work, 'direct.json')], { env, stdio: 'ignore' });
    direct.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const overhead = row.subject - (row.floor + median(direct));
  row.note = `overhead ${overhead.toFixed(0)} ms over node -e 0 + the same trivy command run directly (${median(direct).toFixed(1)} ms); target ≤ 60 ms`;
}

// build-push: build+push through the bundle vs buildah build + push run directly (scripts/bench-build-push.ts)
if (bundles.includes('build-push'))
  rows.push(...(await (await import('./bench-build-push.ts')).default({ root, node, cleanEnv })));

// helm-deploy: a no-op upgrade through the bundle vs the same helm upgrade run directly (scripts/bench-helm-deploy.ts)
if (bundles.includes('helm-deploy'))
  rows.push(...(await (await import('./bench-helm-deploy.ts')).default({ root, node, cleanEnv })));

const pad = (s: string, n: number): string => String(s).padEnd(n);
out(`node ${process.version}, ${RUNS} runs each (median), clean environment (PATH + runner variables)\n`);
out(
  `${pad('subject', 40)}${pad('time ms', 10)}${pad('node -e 0', 12)}${pad('ratio', 8)}${pad('peak RSS MiB', 14)}${pad('node -e 0', 12)}ratio`,
);
for (const r of rows) {
  out(
    `${pad(r.label, 40)}${pad(r.subject.toFixed(1), 10)}${pad(r.floor.toFixed(1), 12)}${pad((r.subject / r.floor).toFixed(2) + 'x', 8)}${pad(r.subjectRss?.toFixed(1) ?? '-', 14)}${pad(r.floorRss.toFixed(1), 12)}${r.subjectRss ? (r.subjectRss / r.floorRss).toFixed(2) + 'x' : '-'}${r.note ? `  (${r.note})` : ''}`,
  );
}

// pr-namespace-cleanup: 200 stale namespaces deleted and waited on, bounded-parallel vs sequential, side
// by side, on the local control plane. The sequential run takes ~20 minutes (the namespace controller
// needs seconds per namespace): opt in with --kube (scripts/bench-pr-namespace-cleanup.ts runs it alone).
if (process.argv.includes('--kube') && bundles.includes('pr-namespace-cleanup')) {
  const { benchCleanup, formatCleanupRow } = await import('./bench-pr-namespace-cleanup.ts');
  out('\n' + formatCleanupRow(await benchCleanup()));
}
