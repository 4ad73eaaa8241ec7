// Starts and stops a real, throwaway Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver
// (RBAC, TLS from a throwaway CA, service-account keys, a static admin token in system:masters) and
// kube-controller-manager. There is no kubelet and no scheduler: see simulator.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { dump } from 'js-yaml';
import { resolveBinaries, type ControlPlaneBinaries } from './binaries.js';
import { createPki } from './pki.js';

export interface ControlPlaneOptions {
  /** Parent of the data directory (default: the OS temp dir). */
  tmpRoot?: string;
  binaries?: ControlPlaneBinaries;
  /** Keep the data directory (logs, etcd data) after stop, for debugging. */
  keepData?: boolean;
  log?: (line: string) => void;
  /** Overall start timeout in ms (default 90 s). */
  timeoutMs?: number;
}

export interface ProcessInfo {
  name: string;
  pid: number;
  log: string;
}

export interface ControlPlaneInfo {
  dataDir: string;
  server: string;
  kubeconfig: string;
  caCert: string;
  token: string;
  processes: ProcessInfo[];
  /** Start timings in ms. */
  timings: { pki: number; etcd: number; apiserverReady: number; controllerManagerReady: number; total: number };
}

export interface ControlPlane extends ControlPlaneInfo {
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Spawned {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
  done: boolean;
}

function startProcess(name: string, bin: string, args: string[], dataDir: string, detached: boolean): Spawned {
  const log = join(dataDir, `${name}.log`);
  const fd = openSync(log, 'a');
  // The child gets a clean environment: Debian's etcd reads ETCD_* variables, client-go reads KUBECONFIG.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TMPDIR: tmpdir() };
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], env, detached });
  closeSync(fd);
  const s: Spawned = {
    name,
    child,
    log,
    done: false,
    exited: new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        s.done = true;
        resolve(code ?? (signal ? 128 : null));
      });
      child.on('error', () => {
        s.done = true;
        resolve(127);
      });
    }),
  };
  return s;
}

async function stopProcess(p: Spawned, graceMs = 10_000): Promise<void> {
  if (p.done || p.child.pid === undefined) return;
  p.child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([p.exited, timer])) === 'timeout' && !p.done) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** GET an API path with the admin token; resolves to [status, body] or rejects on connection errors. */
export function apiGet(server: string, ca: string, token: string, path: string): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server), { ca, headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve([res.statusCode ?? 0, body]));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function kubeconfigYaml(server: string, caPem: string, user: string, token: string): string {
  return dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'polyglot-cd-test', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'polyglot-cd-test', context: { cluster: 'polyglot-cd-test', user, namespace: 'default' } }],
    'current-context': 'polyglot-cd-test',
  });
}

export async function startControlPlane(opts: ControlPlaneOptions & { detached?: boolean } = {}): Promise<ControlPlane> {
  const log = opts.log ?? (() => {});
  const bins = opts.binaries ?? resolveBinaries();
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  const t0 = Date.now();
  const dataDir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'polyglot-cd-kube-'));
  const procs: Spawned[] = [];
  const stopAll = async () => {
    for (const p of [...procs].reverse()) await stopProcess(p);
  };
  const removeData = async () => {
    if (!opts.keepData) await rm(dataDir, { recursive: true, force: true });
  };
  const failIfExited = (what: string) => {
    for (const p of procs) {
      if (p.done) throw new Error(`${p.name} exited while waiting for ${what}; last log lines (${p.log}):\n${tail(p.log)}`);
    }
  };
  const waitUntil = async (what: string, check: () => Promise<boolean>) => {
    for (;;) {
      failIfExited(what);
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) {
        const logs = procs.map((p) => `--- ${p.name} (${p.log})\n${tail(p.log, 15)}`).join('\n');
        throw new Error(`control plane: timed out waiting for ${what}\n${logs}`);
      }
      await sleep(100);
    }
  };

  try {
    const pkiDir = join(dataDir, 'pki');
    await mkdir(pkiDir, { mode: 0o700 });
    const pki = await createPki(pkiDir);
    const tPki = Date.now();

    const adminToken = randomBytes(24).toString('hex');
    const kcmToken = randomBytes(24).toString('hex');
    const tokenFile = join(pkiDir, 'tokens.csv');
    await writeFile(
      tokenFile,
      `${adminToken},polyglot-cd-admin,polyglot-cd-admin,"system:masters"\n` +
        `${kcmToken},system:kube-controller-manager,system:kube-controller-manager,"system:masters"\n`,
      { mode: 0o600 },
    );

    const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    procs.push(
      startProcess(
        'etcd',
        bins.etcd,
        [
          '--name=default',
          `--data-dir=${join(dataDir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=default=${peerUrl}`,
          '--logger=zap',
          '--log-level=warn',
        ],
        dataDir,
        opts.detached ?? false,
      ),
    );
    await waitUntil('etcd', async () => {
      const res = await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    });
    const tEtcd = Date.now();

    const server = `https://127.0.0.1:${apiPort}`;
    procs.push(
      startProcess(
        'kube-apiserver',
        bins.kubeApiserver,
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          '--insecure-port=0',
          `--cert-dir=${join(dataDir, 'apiserver')}`,
          `--tls-cert-file=${pki.serverCert}`,
          `--tls-private-key-file=${pki.serverKey}`,
          `--client-ca-file=${pki.caCert}`,
          `--token-auth-file=${tokenFile}`,
          '--authorization-mode=RBAC',
          `--service-account-key-file=${pki.saPub}`,
          `--service-account-signing-key-file=${pki.saKey}`,
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          '--service-cluster-ip-range=10.0.0.0/24',
          // 127.0.0.1 is not a valid Endpoints address: don't publish the `kubernetes` Service endpoints.
          '--endpoint-reconciler-type=none',
          '--allow-privileged=true',
          '--profiling=false',
        ],
        dataDir,
        opts.detached ?? false,
      ),
    );
    const caPem = await readFile(pki.caCert, 'utf8');
    await waitUntil('kube-apiserver /readyz', async () => (await apiGet(server, caPem, adminToken, '/readyz'))[0] === 200);
    const tApi = Date.now();

    const kubeconfig = join(dataDir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml(server, caPem, 'polyglot-cd-admin', adminToken), { mode: 0o600 });
    const kcmKubeconfig = join(pkiDir, 'kube-controller-manager.kubeconfig');
    await writeFile(kcmKubeconfig, kubeconfigYaml(server, caPem, 'system:kube-controller-manager', kcmToken), { mode: 0o600 });
    procs.push(
      startProcess(
        'kube-controller-manager',
        bins.kubeControllerManager,
        [
          `--kubeconfig=${kcmKubeconfig}`,
          '--leader-elect=false',
          '--secure-port=0',
          '--port=0',
          `--service-account-private-key-file=${pki.saKey}`,
          `--root-ca-file=${pki.caCert}`,
          `--cluster-signing-cert-file=${pki.caCert}`,
          `--cluster-signing-key-file=${pki.caKey}`,
          '--use-service-account-credentials=false',
        ],
        dataDir,
        opts.detached ?? false,
      ),
    );
    // The controller manager is working once the `default` ServiceAccount has its token secret
    // (service-account and token controllers); pods can't be admitted before that.
    await waitUntil('kube-controller-manager (default ServiceAccount token)', async () => {
      const [status, body] = await apiGet(server, caPem, adminToken, '/api/v1/namespaces/default/serviceaccounts/default');
      return status === 200 && ((JSON.parse(body) as { secrets?: unknown[] }).secrets?.length ?? 0) > 0;
    });
    const tKcm = Date.now();

    const info: ControlPlaneInfo = {
      dataDir,
      server,
      kubeconfig,
      caCert: pki.caCert,
      token: adminToken,
      processes: procs.map((p) => ({ name: p.name, pid: p.child.pid ?? -1, log: p.log })),
      timings: { pki: tPki - t0, etcd: tEtcd - tPki, apiserverReady: tApi - tEtcd, controllerManagerReady: tKcm - tApi, total: tKcm - t0 },
    };
    log(`control plane ready in ${info.timings.total} ms at ${server} (kubeconfig ${kubeconfig})`);
    let stopped: Promise<void> | undefined;
    return {
      ...info,
      stop: () => (stopped ??= stopAll().then(removeData)),
    };
  } catch (err) {
    await stopAll();
    if (!opts.keepData) {
      // Keep the logs of a failed start next to the error message's paths only when asked to.
      await removeData();
    }
    throw err;
  }
}

/** Synchronous last resort (process 'exit' handlers): SIGKILL whatever is still running. */
export function killNow(processes: ProcessInfo[]): void {
  for (const p of processes) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
