// pnpm bench --e2e: the local PR pipeline (`polyglot-cd pipeline pr`, pr-preview.yml on examples/shop)
// from its start to "verification passed", next to its floor, in three cases:
//   cold:      an empty layer cache (a registry and a container store of this bench's own);
//   warm:      a one-line change in one backend source file (backend/app/main.py);
//   no change: the same tree again.
// The floor, measured side by side in the same run with a cache of its own: the same buildah builds
// (same build args, same --layers --cache-from/--cache-to), each pushed with buildah push, the two
// components at once as the pipeline's matrix legs are; the same `helm upgrade --install` (the argv
// and values files helm-deploy ran, captured by a wrapper, with the floor's images and namespace); and
// the same verification requests (deploy/checks.txt through the API server's service proxy).
// The subject's pushes are counted from the registry's storage: the blobs that appeared during the run,
// as layers, image configs and manifests (the cache repositories included).
// Needs the local cluster (test/kube/cluster.sh; $POLYGLOT_CD_KUBECONFIG when set) and the base images
// (scripts/setup/base-images.sh, run by scripts/setup.sh).
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './bench.ts';
import { localCluster } from './bench-helm-deploy.ts';

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Case {
  name: string;
  subject: number;
  floor: number;
  /** the floor's parts, seconds: builds and pushes, helm upgrade, checks */
  parts: { build: number; helm: number; checks: number };
  blobs: BlobCount;
}

interface BlobCount {
  layers: number;
  configs: number;
  manifests: number;
  /** bytes of the new layers */
  layerBytes: number;
}

/** Every blob digest in the registry's filesystem storage. */
function blobs(dataDir: string): Set<string> {
  const root = join(dataDir, 'docker', 'registry', 'v2', 'blobs', 'sha256');
  const out = new Set<string>();
  if (!existsSync(root)) return out;
  for (const pre of readdirSync(root))
    for (const d of readdirSync(join(root, pre))) out.add(join(root, pre, d, 'data'));
  return out;
}

/** The blobs in `after` but not in `before`, by kind: a manifest or an image config is small JSON. */
function newBlobs(before: Set<string>, after: Set<string>): BlobCount {
  const count: BlobCount = { layers: 0, configs: 0, manifests: 0, layerBytes: 0 };
  for (const file of after) {
    if (before.has(file)) continue;
    const size = statSync(file).size;
    let json: Record<string, unknown> | undefined;
    if (size < 4 * 1024 * 1024) {
      try {
        json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
    }
    if (json && ('layers' in json || 'manifests' in json)) count.manifests++;
    else if (json && 'rootfs' in json) count.configs++;
    else {
      count.layers++;
      count.layerBytes += size;
    }
  }
  return count;
}

/** git in `dir`, commits dated `seconds` (the app copies are repositories: the pipeline reads the commit time). */
function git(dir: string, seconds: number, ...args: string[]): void {
  const date = `@${seconds} +0000`;
  const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${dir}: ${r.stderr}`);
}

/** The commit time of `dir`'s HEAD, in seconds. */
function commitTime(dir: string): string {
  return spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
}

/** Runs a command; resolves with its combined output, rejects on a non-zero exit. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exit ${code}:\n${out.slice(-4000)}`)),
    );
  });
}

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
};

/** A `helm` that records each upgrade's argv and values files under `dir`, then runs the real one. */
function helmCapture(dir: string, real: string): string {
  const bin = join(dir, 'helm');
  mkdirSync(join(dir, 'calls'), { recursive: true });
  writeFileSync(
    bin,
    [
      '#!/bin/sh',
      'if [ "$1" = upgrade ]; then',
      `  d='${dir}/calls/'$(date +%s%N); mkdir -p "$d"; i=0; prev=`,
      '  for a in "$@"; do printf "%s\\n" "$a" >> "$d/argv"; if [ "$prev" = --values ]; then cp "$a" "$d/values-$i"; i=$((i+1)); fi; prev=$a; done',
      'fi',
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return bin;
}

/** The last upgrade helm-deploy ran: its argv with every values file replaced by the captured copy. */
function lastUpgrade(dir: string): { argv: string[]; values: string[] } {
  const calls = readdirSync(join(dir, 'calls')).sort();
  const last = join(dir, 'calls', calls[calls.length - 1] as string);
  const argv = readFileSync(join(last, 'argv'), 'utf8').split('\n').slice(0, -1);
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i - 1] === '--values') {
      argv[i] = join(last, `values-${values.length}`);
      values.push(argv[i] as string);
    }
  }
  return { argv, values };
}

interface Floor {
  host: string;
  app: string;
  namespace: string;
  env: NodeJS.ProcessEnv;
  buildArgs: string[];
  components: string[];
  helm: string;
  kubeconfig: string;
  checks: string[];
  dir: string;
}

/** The floor's builds: buildah build with the pipeline's flags, then buildah push; both components at once. */
async function floorBuilds(f: Floor): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  await Promise.all(
    f.components.map(async (c) => {
      const repo = `${f.host}/shop-floor/${c}`;
      const ctx = join(f.app, c);
      const iid = join(f.dir, `${c}.iid`);
      const ref = `${repo}:pr`;
      const args = [
        'build',
        '--isolation',
        'chroot',
        '--layers=true',
        '--iidfile',
        iid,
        '-f',
        join(ctx, 'Containerfile'),
        '--tag',
        ref,
      ];
      for (const a of f.buildArgs) args.push('--build-arg', a);
      // the commit's time, as SOURCE_DATE_EPOCH gives the pipeline's build
      args.push('--timestamp', commitTime(f.app));
      args.push('--cache-from', `${repo}-cache`, '--cache-from', `${repo}-cache-pr`, '--cache-to', `${repo}-cache-pr`);
      args.push('--retry', '2', '--', ctx);
      await run('buildah', args, f.env);
      const digestFile = join(f.dir, `${c}.digest`);
      await run('buildah', ['push', '--retry', '0', '--digestfile', digestFile, '--', ref, `docker://${ref}`], f.env);
      digests[c] = readFileSync(digestFile, 'utf8').trim();
    }),
  );
  return digests;
}

/** The floor's helm upgrade: helm-deploy's captured argv, in the floor's namespace, with the floor's images. */
async function floorHelm(
  f: Floor,
  captured: { argv: string[]; values: string[] },
  digests: Record<string, string>,
): Promise<void> {
  const argv = [...captured.argv];
  const ns = argv.indexOf('--namespace');
  if (ns >= 0) argv[ns + 1] = f.namespace;
  const kc = argv.indexOf('--kubeconfig');
  if (kc >= 0) argv[kc + 1] = f.kubeconfig;
  for (const v of captured.values) {
    const i = argv.indexOf(v);
    const text = readFileSync(v, 'utf8');
    let out = text.replaceAll(`${f.host}/shop/`, `${f.host}/shop-floor/`);
    if (v.endsWith('values-' + String(captured.values.length - 1))) {
      const generated = JSON.parse(text) as {
        components?: Record<string, { image?: { repository?: string; digest?: string } }>;
      };
      for (const [name, comp] of Object.entries(generated.components ?? {})) {
        if (comp.image && digests[name])
          comp.image = { repository: `${f.host}/shop-floor/${name}`, digest: digests[name] };
      }
      out = JSON.stringify(generated);
    }
    const copy = join(f.dir, `floor-values-${i}`);
    writeFileSync(copy, out);
    argv[i] = copy;
  }
  await run(f.helm, argv, { PATH: process.env.PATH, HOME: f.dir, KUBECONFIG: f.kubeconfig });
}

/** GET through the API server's service proxy with the admin kubeconfig; rejects unless the check passes. */
async function floorChecks(f: Floor): Promise<void> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(f.kubeconfig);
  for (const line of f.checks) {
    const [component, path, status = '200', body = ''] = line.match(/"[^"]*"|\S+/g) ?? [];
    const url = new URL(
      `${kc.getCurrentCluster()?.server ?? ''}/api/v1/namespaces/${f.namespace}/services/shop-${component}:http/proxy${path}`,
    );
    const opts: Parameters<typeof request>[1] = { method: 'GET', timeout: 15_000 };
    await kc.applyToHTTPSOptions(opts);
    const get = (): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(url, opts, (res) => {
          let b = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (b += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        });
        req.on('error', reject);
        req.end();
      });
    const re = body.replace(/^"|"$/g, '');
    // retried until it passes, as helm-deploy's checks are (a pod that just became Ready may not serve yet)
    const deadline = Date.now() + 120_000;
    for (let wait = 250; ; wait = Math.min(wait * 2, 2_000)) {
      const got = await get().catch((e: Error) => ({ status: 0, body: e.message }));
      if (String(got.status) === status && (!re || new RegExp(re).test(got.body))) break;
      if (Date.now() > deadline) throw new Error(`floor check ${line}: HTTP ${got.status} ${got.body.slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

export default async function benchE2e({ root, node }: BenchContext): Promise<Case[]> {
  const cluster = localCluster(root);
  if (cluster.error) {
    log(`e2e bench skipped: the local cluster did not start (${cluster.error})`);
    return [];
  }
  const kubeconfig = cluster.kubeconfigPath as string;
  const baseImages = spawnSync('bash', [join(root, 'scripts', 'setup', 'base-images.sh'), '--print'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (!baseImages || !existsSync(baseImages)) {
    log('e2e bench skipped: no base images (bash scripts/setup.sh builds them)');
    return [];
  }
  // the machine's Helm 4 and trivy (scripts/setup.sh built them), found before the cache moves below
  const localStack = await import('../bin/lib/local-stack.ts');
  const { setupTool } = localStack;
  process.env.POLYGLOT_CD_HELM_BIN ||= setupTool(root, 'POLYGLOT_CD_HELM_BIN', 'helm.sh', ['--print', '4']);
  process.env.POLYGLOT_CD_TRIVY_BIN ||= setupTool(root, 'POLYGLOT_CD_TRIVY_BIN', 'trivy.sh');
  const work = mkdtempSync(join(tmpdir(), 'pcd-bench-e2e-'));
  const cache = join(work, 'cache');
  process.env.POLYGLOT_CD_CACHE = cache;
  process.env.POLYGLOT_CD_BASE_IMAGES = baseImages;
  const subjectApp = join(work, 'subject', 'shop');
  const floorApp = join(work, 'floor', 'shop');
  for (const d of [subjectApp, floorApp]) {
    cpSync(join(root, 'examples', 'shop'), d, { recursive: true });
    git(d, 1_700_000_000, 'init', '-q');
    git(d, 1_700_000_000, 'add', '-A');
    git(d, 1_700_000_000, 'commit', '-q', '-m', 'shop');
  }
  const pr = randomInt(100_000, 999_000);
  const pipeline = await import('../bin/lib/pipeline.ts');
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const namespaces = [`pr-${pr}`, `pr-${pr + 1}`];
  try {
    // untimed: the registry, the base images in it, the node's trust, helm, trivy and its DB
    log('e2e bench: preparing the local stack (untimed)');
    const stack = await pipeline.prepareLocalStack(
      { root, cwd: subjectApp, kubeconfig } as Parameters<typeof pipeline.prepareLocalStack>[0],
      () => undefined,
    );
    await stack.sink.close();
    const host = stack.registry.host;
    const dataDir = join(cache, 'pipeline', 'registry', 'data');
    const capture = join(work, 'helm-capture');
    const helmBin = helmCapture(capture, stack.helm.bin);
    const subjectEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? '/root',
      NO_COLOR: '1',
      POLYGLOT_CD_CACHE: cache,
      POLYGLOT_CD_HELM_BIN: helmBin,
      POLYGLOT_CD_TRIVY_BIN: stack.trivy.bin,
      POLYGLOT_CD_BASE_IMAGES: baseImages,
    };
    const floorStore = join(work, 'floor-containers');
    mkdirSync(join(floorStore, 'root'), { recursive: true });
    writeFileSync(
      join(floorStore, 'storage.conf'),
      `[storage]\ndriver = "${localStack.storageDriver()}"\ngraphroot = "${join(floorStore, 'root')}"\nrunroot = "${join(floorStore, 'runroot')}"\n`,
    );
    writeFileSync(join(floorStore, 'registries.conf'), `[[registry]]\nlocation = "${host}"\ninsecure = true\n`);
    const floorDir = join(work, 'floor-run');
    mkdirSync(floorDir);
    const floor: Floor = {
      host,
      app: floorApp,
      namespace: namespaces[1] as string,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME ?? '/root',
        CONTAINERS_STORAGE_CONF: join(floorStore, 'storage.conf'),
        CONTAINERS_REGISTRIES_CONF: join(floorStore, 'registries.conf'),
        BUILDAH_ISOLATION: 'chroot',
      },
      buildArgs: pipeline.baseImageBuildArgs(stack.baseImages).split('\n'),
      components: pipeline.discoverComponents(floorApp).map((c) => c.name),
      helm: stack.helm.bin,
      kubeconfig,
      checks: pipeline.appChecks(floorApp).split('\n').filter(Boolean),
      dir: floorDir,
    };
    const cases: Case[] = [];
    for (const name of ['cold', 'warm', 'no change']) {
      if (name === 'warm')
        for (const app of [subjectApp, floorApp]) {
          appendFileSync(join(app, 'backend', 'app', 'main.py'), '# e2e bench: a one-line change\n');
          git(app, 1_700_000_600, 'commit', '-q', '-am', 'a one-line change');
        }
      const before = blobs(dataDir);
      log(`e2e bench: ${name}: polyglot-cd pipeline pr --pr ${pr}`);
      let output = '';
      const subject = await seconds(async () => {
        output = await run(
          node,
          [join(root, 'bin', 'polyglot-cd.ts'), 'pipeline', 'pr', '--pr', String(pr), '--kubeconfig', kubeconfig],
          subjectEnv,
          subjectApp,
        );
      });
      // the pipeline's own report (each step's time), kept beside the bench's work directory
      const logFile = join(tmpdir(), `pcd-bench-e2e-${name.replace(' ', '-')}.log`);
      writeFileSync(logFile, output);
      log(`e2e bench: ${name}: the pipeline's output is in ${logFile}`);
      const pushed = newBlobs(before, blobs(dataDir));
      if (name === 'cold') {
        // the floor's namespace as helm-deploy made the pipeline's (labels included), untimed
        const made = await core.readNamespace({ name: namespaces[0] as string });
        await core.createNamespace({
          body: { metadata: { name: floor.namespace, labels: made.metadata?.labels ?? {} } },
        });
      }
      log(`e2e bench: ${name}: the floor`);
      const captured = lastUpgrade(capture);
      const parts = { build: 0, helm: 0, checks: 0 };
      const floorSecs = await seconds(async () => {
        let digests: Record<string, string> = {};
        parts.build = await seconds(async () => {
          digests = await floorBuilds(floor);
        });
        parts.helm = await seconds(() => floorHelm(floor, captured, digests));
        parts.checks = await seconds(() => floorChecks(floor));
      });
      cases.push({ name, subject, floor: floorSecs, parts, blobs: pushed });
      log(`e2e bench: ${name}: pipeline ${subject.toFixed(1)} s, floor ${floorSecs.toFixed(1)} s`);
    }
    return cases;
  } finally {
    for (const ns of namespaces) await core.deleteNamespace({ name: ns }).catch(() => undefined);
    const state = join(cache, 'pipeline', 'registry', 'state.json');
    if (existsSync(state)) {
      const { pid } = JSON.parse(readFileSync(state, 'utf8')) as { pid?: number };
      try {
        if (pid) process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    if (cluster.started) spawnSync('bash', [join(root, 'test', 'kube', 'cluster.sh'), 'stop'], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

/** The table of `pnpm bench --e2e`, with the targets' ratios. */
export function formatE2e(cases: Case[]): string {
  const pad = (s: string, n: number): string => s.padEnd(n);
  const lines = [
    `${pad('case', 12)}${pad('pipeline s', 12)}${pad('floor s', 10)}${pad('ratio', 8)}pushed by the pipeline (new blobs in the registry)`,
  ];
  for (const c of cases) {
    const b = c.blobs;
    lines.push(
      `${pad(c.name, 12)}${pad(c.subject.toFixed(1), 12)}${pad(c.floor.toFixed(1), 10)}${pad((c.subject / c.floor).toFixed(2) + 'x', 8)}${b.layers} layers (${(b.layerBytes / 1024 / 1024).toFixed(1)} MiB), ${b.configs} configs, ${b.manifests} manifests`,
    );
  }
  lines.push(
    `the floor's parts (builds and pushes / helm upgrade / checks): ${cases
      .map((c) => `${c.name} ${c.parts.build.toFixed(1)} / ${c.parts.helm.toFixed(1)} / ${c.parts.checks.toFixed(1)} s`)
      .join('; ')}`,
  );
  const cold = cases.find((c) => c.name === 'cold');
  const warm = cases.find((c) => c.name === 'warm');
  if (cold && warm)
    lines.push(
      `warm is ${(cold.subject / warm.subject).toFixed(1)}x faster than cold (the floor: ${(cold.floor / warm.floor).toFixed(1)}x)`,
    );
  return lines.join('\n');
}
