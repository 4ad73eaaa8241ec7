// pnpm bench, pr-namespace-cleanup row: the committed bundle in mode gc deletes N stale PR namespaces
// (PR closed, per a local GitHub API on 127.0.0.1) on the local Kubernetes cluster (test/kube/README.md:
// control plane and a real node), and waits until each one is gone. Once with bounded parallelism, once
// sequentially (concurrency 1), on two sets of N namespaces made the same way; the rows are printed
// side by side. Uses POLYGLOT_CD_KUBECONFIG when set, else the cluster test/kube/cluster.sh runs or
// starts (and stops it again if it started it).
// Usage: node scripts/bench-pr-namespace-cleanup.ts [--count N] [--concurrency C]   (or via pnpm bench)
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CleanupBenchOptions {
  /** stale namespaces per run (default 200) */
  count?: number;
  /** the bounded-parallel run's concurrency (default 16) */
  concurrency?: number;
  /** where a note goes (default: stdout) */
  log?: (line: string) => void;
}

export interface CleanupBenchResult {
  count: number;
  concurrency: number;
  /** ms of the bounded-parallel run */
  parallel: number;
  /** ms of the sequential run */
  sequential: number;
}

/** A set of stale namespaces: the repository id they are labelled with, and their names. */
interface NamespaceSet {
  repositoryId: string;
  names: string[];
}

const root = new URL('..', import.meta.url).pathname;
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export async function benchCleanup({
  count = 200,
  concurrency = 16,
  log = out,
}: CleanupBenchOptions = {}): Promise<CleanupBenchResult> {
  let kubeconfig = process.env.POLYGLOT_CD_KUBECONFIG;
  let started = false;
  if (!kubeconfig) {
    const status = spawnSync('bash', [join(root, 'test/kube/cluster.sh'), 'status'], { encoding: 'utf8' });
    if (status.status !== 0) started = true;
    const r = spawnSync('bash', [join(root, 'test/kube/cluster.sh'), 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error('could not start the local cluster (test/kube/cluster.sh start)');
    kubeconfig = r.stdout.trim().split('\n').at(-1) as string;
  }
  const { KubeConfig, CoreV1Api } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);

  // GitHub API: every PR is closed
  const github = createServer((req, res) => {
    const m = /\/pulls\/(\d+)$/.exec(req.url ?? '');
    res.writeHead(m ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(m ? { number: Number(m[1]), state: 'closed' } : { message: 'Not Found' }));
  });
  await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
  const apiUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;

  const makeSet = async (): Promise<NamespaceSet> => {
    const repositoryId = String(randomInt(100_000_000, 999_999_999));
    const base = randomInt(100_000_000, 900_000_000);
    const names: string[] = [];
    for (let i = 0; i < count; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) => {
          const pr = base + i + j;
          names.push(`pr-${pr}`);
          return core.createNamespace({
            body: {
              metadata: {
                name: `pr-${pr}`,
                labels: {
                  'app.kubernetes.io/managed-by': 'polyglot-cd',
                  'polyglot-cd/repository-id': repositoryId,
                  'polyglot-cd/pr': String(pr),
                },
                annotations: {
                  'polyglot-cd/repository': 'example-org/shop',
                  'polyglot-cd/expires-at': '2099-01-01T00:00:00Z',
                },
              },
            },
          });
        }),
      );
    }
    return { repositoryId, names };
  };
  // let the controller-manager finish the per-namespace work namespace creation queues (the default
  // ServiceAccount, the kube-root-ca.crt ConfigMap; Kubernetes >= 1.24 makes no token Secrets), so both
  // runs start from an idle control plane: a namespace created after the sets gets both
  const settle = async (): Promise<void> => {
    const probe = `bench-probe-${Date.now()}`;
    await core.createNamespace({ body: { metadata: { name: probe } } });
    const deadline = Date.now() + 300_000;
    for (;;) {
      const sas = await core.listNamespacedServiceAccount({ namespace: probe });
      const cms = await core.listNamespacedConfigMap({ namespace: probe });
      if (
        sas.items.some((sa) => sa.metadata?.name === 'default') &&
        cms.items.some((cm) => cm.metadata?.name === 'kube-root-ca.crt')
      )
        break;
      if (Date.now() > deadline) throw new Error(`the controller-manager did not set up namespace ${probe} in 5 min`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await core.deleteNamespace({ name: probe });
  };

  const work = mkdtempSync(join(tmpdir(), 'pcd-bench-cleanup-'));
  const kubeconfigText = readFileSync(kubeconfig, 'utf8');
  const runGc = async (set: NamespaceSet, conc: number): Promise<number> => {
    for (const f of ['output', 'summary', 'state']) writeFileSync(join(work, f), '');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? '/root',
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: work,
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_STEP_SUMMARY: join(work, 'summary'),
      GITHUB_STATE: join(work, 'state'),
      GITHUB_REPOSITORY: 'example-org/shop',
      GITHUB_REPOSITORY_ID: set.repositoryId,
      GITHUB_API_URL: apiUrl,
      INPUT_MODE: 'gc',
      INPUT_KUBECONFIG: kubeconfigText,
      'INPUT_GITHUB-TOKEN': 'ghs_bench',
      INPUT_CONCURRENCY: String(conc),
      'INPUT_WAIT-TIMEOUT': '10m',
    };
    const t = process.hrtime.bigint();
    const code = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [join(root, 'dist/pr-namespace-cleanup/index.js')], { env, stdio: 'ignore' }).on(
        'close',
        resolve,
      ),
    );
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const output = readFileSync(join(work, 'output'), 'utf8');
    const deleted = /deleted<<(\S+)\n(.*)\n/.exec(output)?.[2] ?? '[]';
    const n = (JSON.parse(deleted) as unknown[]).length;
    if (code !== 0 || n !== set.names.length)
      throw new Error(`gc run (concurrency ${conc}) exited ${code} and deleted ${n} of ${set.names.length}`);
    return ms;
  };

  const sets: NamespaceSet[] = [];
  try {
    const a = await makeSet();
    sets.push(a);
    const b = await makeSet();
    sets.push(b);
    await settle();
    const parallel = await runGc(a, concurrency);
    await settle();
    const sequential = await runGc(b, 1);
    return { count, concurrency, parallel, sequential };
  } finally {
    github.close();
    // whatever a failed run left behind (a namespace already gone answers 404)
    for (const name of sets.flatMap((x) => x.names)) await core.deleteNamespace({ name }).catch(() => undefined);
    if (started) spawnSync('bash', [join(root, 'test/kube/cluster.sh'), 'stop'], { stdio: 'inherit' });
    else log(`(local cluster left running: ${kubeconfig})`);
  }
}

export function formatCleanupRow(r: CleanupBenchResult): string {
  return `pr-namespace-cleanup gc, ${r.count} stale namespaces deleted and waited on: concurrency ${r.concurrency} ${(r.parallel / 1000).toFixed(1)} s | sequential ${(r.sequential / 1000).toFixed(1)} s | ${(r.sequential / r.parallel).toFixed(1)}x faster`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchCleanup({ count: arg('--count', 200), concurrency: arg('--concurrency', 16) });
  out(formatCleanupRow(r));
}
