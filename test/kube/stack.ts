// The whole local cluster of the kube suites and the local pipeline, started as one unit:
//   a plain-HTTP OCI registry (test/registry) → the pause, web and crash images built and pushed to it →
//   the control plane (controlplane.ts) → a real node (node.ts: kubelet + containerd + runc + CNI).
// Used by the Vitest global setup of the "kube" project and by cli.ts (`test/kube/cluster.sh start`).
// What the tests need to know about it (registry, images, Helm binaries, the node's registry config)
// is written to `stack.json` beside the admin kubeconfig; harness.ts's stackInfo() reads it.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRegistry, storageConf, type RunningRegistry } from '../registry/registry.js';
import { resolveBinary } from './binaries.js';
import { startControlPlane, type ControlPlane, type GithubOidcIssuerInfo, type ProcessInfo } from './controlplane.js';
import { BRIDGE, bridgeExists, buildPauseImage, startNode, type RunningNode } from './node.js';
import { certIssuer } from './pki.js';
import { buildWorkloadImages } from './workload-images.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** What a kube test may rely on; JSON in `<dir of the kubeconfig>/stack.json`. */
export interface StackInfo {
  kubeconfig: string;
  server: string;
  /** Kubernetes version of the control plane and the kubelet, e.g. v1.34.4 */
  kubernetesVersion: string;
  /** host:port of the plain-HTTP registry the node pulls from */
  registryHost: string;
  /** containers-storage config (vfs) for buildah/skopeo against that registry */
  storageConf: string;
  images: {
    /** busybox httpd: 200 on /, /health, /healthz, /api/ on ports 3000, 8000 and 8080 */
    web: string;
    /** prints workload-images.ts's CRASH_LOG and exits 1 */
    crash: string;
    pause: string;
  };
  node: {
    name: string;
    ip: string;
    /** containerd's registry hosts directory: trustRegistry() adds a registry the node may pull from */
    certsDir: string;
    /** containerd's CRI socket (node.ts's CriClient) */
    criSocket: string;
    /** the node's data directory (containerd root, pod logs, kubelet root) */
    dataDir: string;
  };
  /** Real Helm binaries built by scripts/setup/helm.sh, by major version */
  helm: { '4': { version: string; bin: string }; '3': { version: string; bin: string } };
  /** the API server's CA (PEM path) and the GitHub OIDC issuer it trusts (keyless access; github-oidc.ts) */
  caCert: string;
  githubOidc: GithubOidcIssuerInfo;
}

export interface RunningStack extends StackInfo {
  /** every process started (control plane and node), for a last-resort kill */
  processes: ProcessInfo[];
  dataDir: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** Missing prerequisites of the real node, or undefined when it can start here. */
export function nodePrerequisites(): string | undefined {
  if (process.getuid?.() !== 0) return 'the real node needs root (kubelet, containerd, CNI and iptables)';
  for (const b of [
    '/usr/bin/containerd',
    '/usr/sbin/runc',
    '/usr/lib/cni/bridge',
    '/usr/bin/buildah',
    '/usr/bin/gcc',
  ]) {
    if (!existsSync(b)) return `missing ${b}: run bash scripts/setup.sh`;
  }
  try {
    resolveBinary('kubelet');
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** Path and version of the real Helm `major`, built (or found in the cache) by scripts/setup/helm.sh. */
export async function helmBinaryOf(major: '3' | '4'): Promise<{ version: string; bin: string }> {
  const { stdout } = await run('bash', [join(REPO, 'scripts/setup/helm.sh'), '--print', major], {
    timeout: 1_800_000,
    maxBuffer: 1 << 20,
  });
  const bin = stdout.trim();
  const { stdout: v } = await run(bin, ['version', '--template', '{{.Version}}'], { timeout: 30_000 });
  return { version: v.trim().replace(/^v/, ''), bin };
}

export async function startStack(
  opts: { log?: (line: string) => void; keepData?: boolean } = {},
): Promise<RunningStack> {
  const log = opts.log ?? (() => {});
  const missing = nodePrerequisites();
  if (missing) throw new Error(`kube stack: ${missing}`);
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      timings[name] = Date.now() - t;
    }
  };
  const t0 = Date.now();
  const dataDir = await mkdtemp(join(tmpdir(), 'polyglot-cd-stack-'));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((e: Error) => log(`stop: ${e.message}`));
    if (!opts.keepData) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const helm = await timed('helm', async () => ({ '4': await helmBinaryOf('4'), '3': await helmBinaryOf('3') }));
    const registry: RunningRegistry = await timed('registry', () => startRegistry({ dir: join(dataDir, 'registry') }));
    stops.push(() => registry.stop());
    const storage = await storageConf(join(dataDir, 'storage'));
    const cpStart = timed('controlPlane', () => startControlPlane({ log, keepData: opts.keepData }));
    // The images build while the control plane starts (one buildah at a time: vfs storage is shared).
    const images = await timed('images', async () => {
      const pause = await buildPauseImage({ registryHost: registry.host, storageConf: storage, log });
      return { ...(await buildWorkloadImages(registry.host, storage)), pause };
    }).catch(async (e: unknown) => {
      await (await cpStart.catch(() => undefined))?.stop();
      throw e;
    });
    const cp: ControlPlane = await cpStart;
    stops.push(() => cp.stop());
    const node: RunningNode = await timed('node', () =>
      startNode({
        apiServer: cp.server,
        caCertPath: cp.caCert,
        issueCert: certIssuer({ caCert: cp.caCert, caKey: cp.caKey }),
        registryHost: registry.host,
        storageConf: storage,
        pauseImage: images.pause,
        dataDir: join(dataDir, 'node'),
        keepData: opts.keepData,
        log,
      }),
    );
    stops.push(() => node.stop());
    timings.total = Date.now() - t0;
    const info: StackInfo = {
      kubeconfig: cp.kubeconfig,
      server: cp.server,
      kubernetesVersion: cp.version,
      registryHost: registry.host,
      storageConf: storage,
      images,
      node: {
        name: node.nodeName,
        ip: node.nodeIP,
        certsDir: node.certsDir,
        criSocket: node.criSocket,
        dataDir: node.dataDir,
      },
      helm,
      caCert: cp.caCert,
      githubOidc: cp.githubOidc,
    };
    const file = stackFileOf(cp.kubeconfig);
    await writeFile(`${file}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    return {
      ...info,
      processes: [
        ...cp.processes,
        ...node.processes,
        { name: 'docker-registry', pid: registry.pid, log: registry.logFile },
      ],
      dataDir,
      timings,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Where the stack's info lives: beside its admin kubeconfig. */
export function stackFileOf(kubeconfig: string): string {
  return join(dirname(kubeconfig), 'stack.json');
}

/**
 * What a stopped stack left behind on this machine: the CNI bridge, containerd shims of its socket,
 * mounts under the node's data directory. Empty when stop() cleaned up everything.
 */
export function leftoversOf(info: StackInfo): string[] {
  const found: string[] = [];
  if (bridgeExists()) found.push(`the bridge ${BRIDGE}`);
  for (const d of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes(info.node.criSocket)) found.push(`process ${d}: ${cmd.split('\0').join(' ').slice(0, 120)}`);
  }
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(info.node.dataDir));
  if (mounts.length > 0) found.push(`${mounts.length} mounts under ${info.node.dataDir}`);
  if (existsSync(info.node.dataDir)) found.push(`the directory ${info.node.dataDir}`);
  return found;
}
