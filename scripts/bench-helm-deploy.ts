// pnpm bench row for helm-deploy (loaded by scripts/bench.ts): a no-op upgrade of charts/app (two
// components, real pods) through the action's bundle, against the same `helm upgrade --install` with
// Helm 4's `--wait=watcher --rollback-on-failure` (what `--wait --atomic` is in Helm 3; same values,
// same flags as the action) run directly, alternated, medians. Both use the real Helm 4 of
// scripts/setup/helm.sh against the local cluster (test/kube/cluster.sh: control plane and a real
// node): $POLYGLOT_CD_KUBECONFIG when set, else the running cluster, else one started here and stopped
// again. The pods run the stack's web image (stack.json beside the kubeconfig), so both sides wait for
// real Deployments. Skipped with a note when the cluster cannot start.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchContext, BenchRow } from './bench.ts';

/** The parts of the local stack's stack.json (test/kube) read here. */
interface Stack {
  helm: { '4': { bin: string } };
  images: { web: string };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The local cluster's admin kubeconfig and whether this bench started it, or why it did not start. */
type LocalCluster =
  | { kubeconfigPath: string; started: boolean; error?: undefined }
  | { error: string; kubeconfigPath?: undefined; started?: undefined };

/** The local cluster's admin kubeconfig, and whether this bench started it (so it stops it again). */
export function localCluster(root: string): LocalCluster {
  if (process.env.POLYGLOT_CD_KUBECONFIG) return { kubeconfigPath: process.env.POLYGLOT_CD_KUBECONFIG, started: false };
  const cluster = join(root, 'test', 'kube', 'cluster.sh');
  const wasRunning = spawnSync('bash', [cluster, 'status'], { stdio: ['ignore', 'pipe', 'ignore'] }).status === 0;
  const start = spawnSync('bash', [cluster, 'start'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
  if (start.status !== 0) return { error: String(start.stderr).trim().split('\n').pop() as string };
  return { kubeconfigPath: String(start.stdout).trim().split('\n').pop() as string, started: !wasRunning };
}

export default async function benchHelmDeploy({
  root,
  node,
  cleanEnv,
  runs = 7,
}: BenchContext & { runs?: number }): Promise<BenchRow[]> {
  const cluster = localCluster(root);
  if (cluster.error) {
    log(`helm-deploy bench skipped: the local cluster did not start (${cluster.error})`);
    return [];
  }
  // unset only when the start failed without a line on stderr: dirname() throws on it
  const kubeconfigPath = cluster.kubeconfigPath as string;
  const stackFile = join(dirname(kubeconfigPath), 'stack.json');
  if (!existsSync(stackFile)) {
    log(`helm-deploy bench skipped: ${kubeconfigPath} is not the local cluster (no ${stackFile})`);
    return [];
  }
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as Stack;
  const helm = process.env.POLYGLOT_CD_HELM_BIN || stack.helm['4'].bin;
  const helmVersion = spawnSync(helm, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^v/, '');
  if (!helmVersion.startsWith('4.'))
    throw new Error(`helm-deploy bench: ${helm} is Helm ${helmVersion || '?'}, not Helm 4`);
  // busybox httpd, 200 on /health and /healthz on ports 3000 and 8000: what the shop example's probes ask
  const [repository, digest] = stack.images.web.split('@');
  const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bench-helm-'));
  const namespace = `bench-${process.pid}`;
  const inputs = {
    INPUT_RELEASE: 'shop',
    INPUT_NAMESPACE: namespace,
    INPUT_KUBECONFIG: kubeconfig,
    'INPUT_HELM-VERSION': helmVersion,
    'INPUT_VALUES-FILES': join(root, 'charts', 'app', 'examples', 'shop.yaml'),
    INPUT_VALUES: 'migrations:\n  enabled: false\n',
    INPUT_IMAGES: `backend: ${repository}@${digest}\nfrontend: ${repository}@${digest}`,
    INPUT_TIMEOUT: '90s',
  };
  // the values file the action generates, for the direct run
  const generated = join(dir, 'values.generated.json');
  writeFileSync(
    generated,
    JSON.stringify({
      migrations: { enabled: false },
      components: {
        backend: { image: { repository, digest } },
        frontend: { image: { repository, digest } },
      },
    }),
  );
  const helmEnv = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfigPath };
  const directArgs = [
    'upgrade',
    '--install',
    '--namespace',
    namespace,
    '--output',
    'json',
    '--timeout',
    '90s',
    '--history-max',
    '10',
    '--values',
    inputs['INPUT_VALUES-FILES'],
    '--values',
    generated,
    '--wait=watcher',
    '--rollback-on-failure',
    // what the action adds from GITHUB_SHA / GITHUB_RUN_ID (cleanEnv), so both store the same release
    '--description',
    'polyglot-cd a1b2c3d run 1',
    '--',
    'shop',
    join(root, 'charts', 'app'),
  ];
  const timed = (fn: () => void): number => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const direct = (): void => {
    const r = spawnSync(helm, directArgs, { env: helmEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`helm upgrade failed: ${r.stderr}`);
  };
  const action = (): void => {
    const runDir = mkdtempSync(join(dir, 'run-'));
    for (const f of ['output', 'summary', 'state']) writeFileSync(join(runDir, f), '');
    const env = {
      ...cleanEnv({
        RUNNER_TEMP: runDir,
        GITHUB_OUTPUT: join(runDir, 'output'),
        GITHUB_STEP_SUMMARY: join(runDir, 'summary'),
        GITHUB_STATE: join(runDir, 'state'),
      }),
      POLYGLOT_CD_HELM_BIN: helm,
      GITHUB_REPOSITORY_ID: '1',
      ...inputs,
    };
    const r = spawnSync(node, [join(root, 'dist', 'helm-deploy', 'index.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0) throw new Error(`helm-deploy bundle failed: ${r.stdout}`);
    rmSync(runDir, { recursive: true, force: true });
  };
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  try {
    // the secret charts/app/examples/shop.yaml's backend reads DATABASE_URL from: the app's own, made
    // before the first deploy as a user would (helm-deploy deploys into a namespace that exists)
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'shop-db' }, stringData: { url: 'postgresql://shop@db:5432/shop' } },
    });
    action(); // install: the pods pull the image and become Ready
    direct();
    const d: number[] = [];
    const a: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < runs; i++) {
      n.push(timed(() => spawnSync(node, ['-e', '0'], { stdio: 'ignore' })));
      // alternated, and in the opposite order every other pair, so a drift in the machine's load
      // does not favour one side
      if (i % 2 === 0) {
        d.push(timed(direct));
        a.push(timed(action));
      } else {
        a.push(timed(action));
        d.push(timed(direct));
      }
    }
    const pods = (await core.listNamespacedPod({ namespace })).items;
    const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length !== 2)
      throw new Error(
        `helm-deploy bench: expected 2 Ready pods in ${namespace}, found ${ready.length} of ${pods.length}`,
      );
    const diffs = a.map((x, i) => x - (d[i] as number)).sort((x, y) => x - y);
    const q = (p: number): number => diffs[Math.round((diffs.length - 1) * p)] as number;
    const row: BenchRow = {
      label: `helm-deploy (no-op upgrade, helm ${helmVersion})`,
      subject: median(a),
      floor: median(d),
      floorRss: NaN,
      floorLabel: 'helm upgrade',
    };
    const overhead = median(a) - (median(d) + median(n));
    row.note =
      `overhead ${Math.round(overhead)} ms over node -e 0 (${Math.round(median(n))} ms) + the same helm command run directly; target ≤ 100 ms. ` +
      `vs the same helm upgrade --install --wait=watcher --rollback-on-failure run directly: overhead ${(((row.subject - row.floor) / row.floor) * 100).toFixed(1)} % ` +
      `(medians; per pair ${Math.round(median(diffs))} ms, quartiles ${Math.round(q(0.25))}..${Math.round(q(0.75))} ms; ${runs} runs each, alternated; 2 real pods)`;
    return [row];
  } finally {
    spawnSync(helm, ['uninstall', 'shop', '--namespace', namespace], { env: helmEnv, stdio: 'ignore' });
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    if (cluster.started) spawnSync('bash', [join(root, 'test', 'kube', 'cluster.sh'), 'stop'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}
