// A REAL Kubernetes node for the local control plane (controlplane.ts): kubelet + containerd (CRI) +
// runc + CNI bridge, so pods really run, pulling their images by digest from the local registry
// (test/registry). Everything it starts lives under one data directory and is removed by stop().
//
//   const node = await startNode({ apiServer, caCertPath, caKeyPath, registryHost, log });
//   ...                                   // pods scheduled to node.nodeName really run
//   await node.stop();                    // pods, containers, shims, mounts, bridge, routes: all gone
//
// What it does, in order:
//  1. The pause image: our own static pause (images/pause/pause.c, gcc -static), put into an image
//     `FROM scratch` with buildah and pushed to the registry: containerd's sandbox_image.
//  2. Host network guard rails. The CNI bridge pcd0 carries the node IP (10.244.0.1, the kubelet's
//     InternalIP). Pods get no default route: only their subnet and, via the bridge, the service range.
//     No masquerade; net.ipv4.ip_forward stays as it is (forwarding is switched on for pcd0 only, so a
//     pod's packet to a ClusterIP can be DNATed to another pod). The service range is routed to the
//     bridge and the rest of the pod range is blackholed, so a packet to an unanswered IP never takes
//     the default route; a mangle/FORWARD rule drops anything from the bridge to another interface.
//  3. containerd 1.6 with its own config: root, state, socket, runc root, CNI conf dir and registry
//     hosts under the data dir, so it never meets a system containerd. overlayfs snapshotter (native
//     if overlay can't mount), sandbox_image = our pause, hosts.toml for plain-HTTP 127.0.0.1:<port>.
//  4. kubelet (KubeletConfiguration file: cgroupfs, no swap check, cgroup v1 allowed, x509 + webhook
//     authn, Webhook authz, serving cert from our CA, relaxed eviction, no image GC, no static pods),
//     client cert CN=system:node:<name>, O=system:nodes. Then kube-proxy (iptables mode), optional.
//  5. Waits until the Node is Ready.
//
// stop(): kubelet and kube-proxy stop; every pod sandbox is stopped and removed through CRI (CNI DEL,
// netns removed); containerd stops; leftover runc containers and containerd shims of THIS containerd
// (found by their -address argument) are killed; everything mounted under the data dir is unmounted;
// the kubepods cgroups, the bridge, the routes, the iptables rules (kube-proxy --cleanup too) and the
// sysctls the kubelet changed are put back; the data dir is removed.
//
// One node per machine at a time: a state file (/run/polyglot-cd-node.json) records what a running
// node owns; a start that finds a stale one (its owner is dead) cleans it up first.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { resolveBinary } from './binaries.js';
import { certIssuer, SERVICE_CLUSTER_IP_RANGE, type CertRequest, type IssuedCert } from './pki.js';
import { freePort, httpsRequest, startProcess, tail, type HttpsAuth, type Spawned } from './proc.js';
import { trustRegistry } from './registry-hosts.js';

/**
 * YAML for a Kubernetes component to read, written as YAML 1.1 (the dialect of Go's YAML readers), so
 * strings such as `on`, `yes` or `0755` come out quoted and stay strings there.
 */
function goYaml(value: unknown): string {
  return stringify(value, { version: '1.1' });
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Public API

export type { CertRequest, IssuedCert } from './pki.js';

/** Issues a certificate signed by the cluster CA into `dir`; returns the file paths. */
export type CertIssuer = (req: CertRequest, dir: string) => Promise<IssuedCert>;

export interface NodeOptions {
  /** https://127.0.0.1:<port> */
  apiServer: string;
  /** the cluster CA: the API server's serving CA and its --client-ca-file */
  caCertPath: string;
  /** the CA's key, to issue the kubelet's and kube-proxy's certificates with openssl ... */
  caKeyPath?: string;
  /** ... or a callback that issues them (pki.ts) */
  issueCert?: CertIssuer;
  /** the plain-HTTP registry, 127.0.0.1:<port>: the pause image goes there, pods pull from it */
  registryHost: string;
  /**
   * More registries pods may pull from: a host:port string is plain HTTP; { host, caFile } is HTTPS
   * with that CA (credentials come from the pod's imagePullSecrets, as on any node).
   */
  extraRegistries?: (string | { host: string; caFile: string })[];
  /** default: a new directory under the OS temp dir; must be short (unix socket paths < 108 bytes) */
  dataDir?: string;
  log?: (line: string) => void;
  /** default polyglot-cd-node */
  nodeName?: string;
  /** this node's pod subnet (default 10.244.0.0/24); its first address is the node IP */
  podCIDR?: string;
  /** the cluster's pod range (default 10.244.0.0/16): blackholed on the host except podCIDR */
  clusterCIDR?: string;
  /** the API server's --service-cluster-ip-range (default pki.ts's SERVICE_CLUSTER_IP_RANGE): routed to the bridge */
  serviceCIDR?: string;
  /** the directory with kubelet and kube-proxy (default: binaries.ts's resolveBinary, the v1.34 cache) */
  binDir?: string;
  /** run kube-proxy in iptables mode (default true) */
  kubeProxy?: boolean;
  /** an image already in the registry to use as sandbox image instead of building ours */
  pauseImage?: string;
  /** CONTAINERS_STORAGE_CONF for buildah (default: a vfs store under the data dir) */
  storageConf?: string;
  /**
   * An admin (system:masters) token. Only used if the API server has no Node authorizer: then a
   * ClusterRoleBinding gives the node's user the system:node ClusterRole.
   */
  adminToken?: string;
  keepData?: boolean;
  /** start timeout in ms (default 120 s) */
  timeoutMs?: number;
  /** kubelet -v (default 1) */
  verbosity?: number;
  /**
   * The kubelet's clusterDNS (default none: pods get a resolv.conf whose nameserver is their own
   * loopback, and the kubelet records a MissingClusterDNS Warning event per pod).
   */
  clusterDNS?: string[];
  /** Start only containerd and the CNI network (no kubelet, no API server needed): for debugging the runtime. */
  runtimeOnly?: boolean;
}

export interface NodeProcess {
  name: string;
  pid: number;
  log: string;
}

export interface NodeTimings {
  pauseImage: number;
  containerd: number;
  kubeletReady: number;
  total: number;
}

export interface RunningNode {
  nodeName: string;
  /** the kubelet's InternalIP: the bridge's address */
  nodeIP: string;
  dataDir: string;
  /** the node's kubeconfig (client certificate system:node:<name>) */
  kubeconfig: string;
  /** the sandbox image, <registry>/polyglot-cd/pause@sha256:… */
  pauseImage: string;
  snapshotter: 'overlayfs' | 'native';
  /** containerd's CRI socket (unix path) */
  criSocket: string;
  /** containerd's registry hosts directory (trustRegistry() adds a registry while the node runs) */
  certsDir: string;
  kubeletPort: number;
  processes: NodeProcess[];
  timings: NodeTimings;
  /** Removes every pod, container, shim, mount, the bridge, routes and rules; idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_NODE_NAME = 'polyglot-cd-node';
export const BRIDGE = 'pcd0';
const STATE_FILE = '/run/polyglot-cd-node.json';
const GUARD_COMMENT = 'polyglot-cd-node: pod traffic never leaves the bridge';

// ---------------------------------------------------------------------------------------------
// Small helpers

async function sh(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<string> {
  try {
    const { stdout } = await run(file, args, {
      env: opts.env ?? process.env,
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 32 * 1024 * 1024,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${(e.stderr || e.stdout || e.message).trim().slice(-3000)}`, {
      cause: err,
    });
  }
}

/** Like sh() but never throws: for cleanup steps. */
async function trySh(file: string, args: string[], timeoutMs = 30_000): Promise<boolean> {
  try {
    await run(file, args, { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}

function parseCidr(cidr: string): { octets: number[]; bits: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  return { octets: m.slice(1, 5).map(Number), bits: Number(m[5]) };
}

function nthAddress(cidr: string, n: number): string {
  const { octets } = parseCidr(cidr);
  const v = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const a = (v + n) >>> 0;
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pids.some(alive)) return true;
    await sleep(50);
  }
  return !pids.some(alive);
}

async function killPids(pids: number[], graceMs: number): Promise<void> {
  const live = pids.filter(alive);
  if (live.length === 0) return;
  for (const p of live) {
    try {
      process.kill(p, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (graceMs > 0 && !(await waitGone(live, graceMs))) {
    for (const p of live.filter(alive)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  await waitGone(live, 5000);
}

/** The node's user-visible root for cached build outputs (the pause binary). */
function cacheRoot(): string {
  return process.env.POLYGLOT_CD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'polyglot-cd');
}

// ---------------------------------------------------------------------------------------------
// The pause image

export interface PauseImageOptions {
  registryHost: string;
  /** CONTAINERS_STORAGE_CONF (vfs) for buildah */
  storageConf: string;
  log?: (line: string) => void;
}

/**
 * Compiles images/pause/pause.c statically (cached by source hash), builds the image FROM scratch
 * with buildah and pushes it. Returns `<registry>/polyglot-cd/pause@sha256:…`.
 */
export async function buildPauseImage(opts: PauseImageOptions): Promise<string> {
  const src = join(HERE, 'images', 'pause');
  const source = await readFile(join(src, 'pause.c'));
  const containerfile = await readFile(join(src, 'Containerfile'));
  const hash = createHash('sha256').update(source).update(containerfile).digest('hex').slice(0, 16);
  const cacheDir = join(cacheRoot(), 'node');
  const bin = join(cacheDir, `pause-${hash}`);
  if (!existsSync(bin)) {
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    await sh('gcc', ['-static', '-Os', '-s', '-Wall', '-o', tmp, join(src, 'pause.c')]);
    await sh('mv', ['-f', tmp, bin]);
    opts.log?.(`compiled ${bin}`);
  }
  const ctx = await mkdtemp(join(tmpdir(), 'pcd-pause-'));
  try {
    await copyFile(bin, join(ctx, 'pause'));
    await sh('chmod', ['0755', join(ctx, 'pause')]);
    await copyFile(join(src, 'Containerfile'), join(ctx, 'Containerfile'));
    const env = { ...process.env, CONTAINERS_STORAGE_CONF: opts.storageConf, BUILDAH_ISOLATION: 'chroot' };
    const local = `localhost/polyglot-cd/pause:${hash}`;
    await sh(
      'buildah',
      [
        'build',
        '--isolation',
        'chroot',
        '--format',
        'oci',
        '--timestamp',
        '0',
        '-f',
        join(ctx, 'Containerfile'),
        '-t',
        local,
        ctx,
      ],
      { env },
    );
    const repo = `${opts.registryHost}/polyglot-cd/pause`;
    const digestFile = join(ctx, 'digest');
    await sh('buildah', ['push', '--tls-verify=false', '--digestfile', digestFile, local, `docker://${repo}:1`], {
      env,
    });
    const digest = (await readFile(digestFile, 'utf8')).trim();
    await sh('buildah', ['rmi', local], { env }).catch(() => undefined);
    return `${repo}@${digest}`;
  } finally {
    await rm(ctx, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// A minimal CRI client (gRPC over HTTP/2 on the unix socket, protobuf by hand): enough to list,
// stop and remove pod sandboxes and containers when the node stops. No crictl in Debian 12.

function pbVarint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

function pbString(field: number, s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([pbVarint((field << 3) | 2), pbVarint(b.length), b]);
}

function pbInt(field: number, n: number): Buffer {
  return Buffer.concat([pbVarint(field << 3), pbVarint(n)]);
}

interface PbField {
  field: number;
  wire: number;
  value: number | Buffer;
}

function pbDecode(buf: Buffer): PbField[] {
  const out: PbField[] = [];
  let i = 0;
  const varint = (): number => {
    let shift = 0n;
    let v = 0n;
    for (;;) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    return Number(v);
  };
  while (i < buf.length) {
    const tag = varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ field, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`protobuf: wire type ${wire}`);
  }
  return out;
}

export class CriClient {
  readonly socket: string;
  constructor(socket: string) {
    this.socket = socket;
  }

  async call(method: string, message: Buffer, timeoutMs = 30_000): Promise<Buffer> {
    const session = http2Connect('http://localhost', { createConnection: () => netConnect(this.socket) });
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        session.on('error', reject);
        const frame = Buffer.alloc(5 + message.length);
        frame.writeUInt8(0, 0);
        frame.writeUInt32BE(message.length, 1);
        message.copy(frame, 5);
        const req = session.request({
          ':method': 'POST',
          ':path': `/runtime.v1.RuntimeService/${method}`,
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        const timer = setTimeout(() => req.close(), timeoutMs);
        const chunks: Buffer[] = [];
        let status: string | undefined;
        let grpcMessage = '';
        req.on('response', (h) => {
          if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
          if (h['grpc-message']) grpcMessage = decodeURIComponent(String(h['grpc-message']));
        });
        req.on('trailers', (h) => {
          if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
          if (h['grpc-message']) grpcMessage = decodeURIComponent(String(h['grpc-message']));
        });
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('error', reject);
        req.on('close', () => {
          clearTimeout(timer);
          if (status !== '0') {
            reject(
              new Error(
                `CRI ${method}: ${status === undefined ? 'no answer (timeout?)' : `grpc-status ${status}`} ${grpcMessage}`.trim(),
              ),
            );
            return;
          }
          const body = Buffer.concat(chunks);
          resolve(body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)) : Buffer.alloc(0));
        });
        req.end(frame);
      });
    } finally {
      session.close();
    }
  }

  /** [{ id, name, namespace, ready }] */
  async listPodSandboxes(): Promise<{ id: string; name: string; namespace: string; ready: boolean }[]> {
    const res = pbDecode(await this.call('ListPodSandbox', Buffer.alloc(0)));
    return res
      .filter((f) => f.field === 1 && Buffer.isBuffer(f.value))
      .map((f) => {
        const fields = pbDecode(f.value as Buffer);
        const str = (n: number, from = fields) => {
          const v = from.find((x) => x.field === n)?.value;
          return Buffer.isBuffer(v) ? v.toString('utf8') : '';
        };
        const meta = fields.find((x) => x.field === 2)?.value;
        const mf = Buffer.isBuffer(meta) ? pbDecode(meta) : [];
        const state = fields.find((x) => x.field === 3)?.value ?? 0;
        return { id: str(1), name: str(1, mf), namespace: str(3, mf), ready: state === 0 };
      });
  }

  async listContainers(): Promise<string[]> {
    const res = pbDecode(await this.call('ListContainers', Buffer.alloc(0)));
    return res
      .filter((f) => f.field === 1 && Buffer.isBuffer(f.value))
      .map((f) => {
        const v = pbDecode(f.value as Buffer).find((x) => x.field === 1)?.value;
        return Buffer.isBuffer(v) ? v.toString('utf8') : '';
      })
      .filter(Boolean);
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.call('StopPodSandbox', pbString(1, id));
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.call('RemovePodSandbox', pbString(1, id));
  }

  async stopContainer(id: string, timeoutSeconds = 0): Promise<void> {
    await this.call('StopContainer', Buffer.concat([pbString(1, id), pbInt(2, timeoutSeconds)]));
  }

  async removeContainer(id: string): Promise<void> {
    await this.call('RemoveContainer', pbString(1, id));
  }

  /** The runtime's name and version, e.g. containerd 1.6.20~ds1 */
  async version(): Promise<string> {
    const f = pbDecode(await this.call('Version', pbString(1, 'v1'), 5000));
    const s = (n: number) => {
      const v = f.find((x) => x.field === n)?.value;
      return Buffer.isBuffer(v) ? v.toString('utf8') : '';
    };
    return `${s(2)} ${s(3)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// What a running node owns (the state file): enough for stop() or a later start to clean up.

interface NodeState {
  ownerPid: number;
  dataDir: string;
  keepData: boolean;
  criSocket: string;
  containerdState: string;
  runcRoot: string;
  podLogsDir: string;
  kubeletRoot: string;
  bridge: string;
  bridgeCreated: boolean;
  routes: string[];
  /** [-t, table, chain, ...rule] */
  guardRules: string[][];
  /** iptables chains (table/chain) that existed before the node started */
  chainsBefore: Record<string, string[]>;
  kubeProxyBin: string | null;
  kubeProxyConfig: string | null;
  /** cgroup dirs that did not exist before (kubepods in each hierarchy) */
  cgroupRoots: string[];
  /** sysctl path → value before the node started (restored if changed) */
  sysctls: Record<string, string>;
  pids: Record<string, number>;
}

// What kubelet (setupKernelTunables) and kube-proxy may change; restored at stop.
const WATCHED_SYSCTLS = [
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/bridge/bridge-nf-call-iptables',
  'net/netfilter/nf_conntrack_max',
  'net/netfilter/nf_conntrack_tcp_timeout_established',
  'net/netfilter/nf_conntrack_tcp_timeout_close_wait',
  'net/netfilter/nf_conntrack_tcp_be_liberal',
];

function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(join('/proc/sys', path), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function cgroupHierarchies(): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const parts = line.split(' ');
    const sep = parts.indexOf('-');
    if (sep < 0) continue;
    const fstype = parts[sep + 1];
    if (fstype === 'cgroup' || fstype === 'cgroup2') out.push(parts[4]!);
  }
  return out;
}

function mountsUnder(prefixes: string[]): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (!mp) continue;
    const path = mp.replace(/\\040/g, ' ');
    if (prefixes.some((p) => path === p || path.startsWith(`${p}/`))) out.push(path);
  }
  // deepest first
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

async function unmountAll(paths: string[]): Promise<void> {
  for (const p of paths) {
    if (!(await trySh('umount', [p], 10_000))) await trySh('umount', ['-l', p], 10_000);
  }
}

/** Removes a cgroup directory tree bottom-up (only empty cgroups can be removed). */
function rmCgroupTree(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) rmCgroupTree(join(dir, e));
  try {
    rmdirSync(dir);
  } catch {
    // busy or gone
  }
}

/** Netns paths (bind mounts under /run/netns) the sandboxes of this containerd use. */
function sandboxNetnsPaths(containerdState: string): string[] {
  const base = join(containerdState, 'io.containerd.runtime.v2.task', 'k8s.io');
  const out: string[] = [];
  let ids: string[] = [];
  try {
    ids = readdirSync(base);
  } catch {
    return out;
  }
  for (const id of ids) {
    try {
      const spec = JSON.parse(readFileSync(join(base, id, 'config.json'), 'utf8')) as {
        linux?: { namespaces?: { type: string; path?: string }[] };
      };
      const p = spec.linux?.namespaces?.find((n) => n.type === 'network')?.path;
      if (p && /^\/(var\/)?run\/netns\//.test(p)) out.push(p);
    } catch {
      // no bundle config
    }
  }
  return out;
}

type IptablesFamily = 'iptables' | 'ip6tables';
const CHAIN_PREFIXES = ['KUBE-', 'CNI-'];

/** "table/chain" of every chain in iptables-save's output. */
async function iptablesChains(family: IptablesFamily): Promise<string[]> {
  const out: string[] = [];
  let table = '';
  let text = '';
  try {
    text = (await run(`${family}-save`, [], { timeout: 30_000 })).stdout;
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(':')) out.push(`${table}/${line.slice(1).split(' ')[0]}`);
  }
  return out;
}

/** iptables-save's quoting: words, "double quoted" strings with \" escapes. */
function splitRule(rule: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(rule); m; m = re.exec(rule)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

/**
 * Removes the KUBE-* and CNI-* chains that did not exist before the node started (kubelet's
 * KUBE-FIREWALL, kube-proxy leftovers, portmap's CNI-HOSTPORT-*), with every rule that jumps to them.
 */
async function removeNewChains(family: IptablesFamily, before: string[]): Promise<string[]> {
  const known = new Set(before);
  const created = (await iptablesChains(family)).filter(
    (c) => !known.has(c) && CHAIN_PREFIXES.some((p) => c.split('/')[1]!.startsWith(p)),
  );
  if (created.length === 0) return [];
  const text = (await run(`${family}-save`, [], { timeout: 30_000 })).stdout;
  let table = '';
  const jumps: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith('-A ')) {
      const args = splitRule(line.slice(3));
      const at = args.findIndex((a) => a === '-j' || a === '-g');
      const target = at >= 0 ? args[at + 1] : undefined;
      if (target && created.includes(`${table}/${target}`)) jumps.push(['-t', table, '-D', ...args]);
    }
  }
  for (const j of jumps) await trySh(family, ['-w', ...j]);
  for (const c of created) {
    const [t, chain] = c.split('/') as [string, string];
    await trySh(family, ['-w', '-t', t, '-F', chain]);
  }
  for (const c of created) {
    const [t, chain] = c.split('/') as [string, string];
    await trySh(family, ['-w', '-t', t, '-X', chain]);
  }
  return created;
}

/** Undo everything a node did. Safe to run twice and on a half-started node. */
async function cleanupNode(st: NodeState, log: (l: string) => void): Promise<void> {
  const t0 = Date.now();
  // 1. No more reconciling: kube-proxy and the kubelet go first.
  await killPids(
    [st.pids['kube-proxy'] ?? -1, st.pids.kubelet ?? -1].filter((p) => p > 0),
    5000,
  );
  const netns = sandboxNetnsPaths(st.containerdState);
  // 2. Every pod sandbox through CRI: stops its containers, runs CNI DEL, removes its netns.
  const containerdPid = st.pids.containerd ?? -1;
  if (containerdPid > 0 && alive(containerdPid) && existsSync(st.criSocket)) {
    const cri = new CriClient(st.criSocket);
    try {
      const sandboxes = await cri.listPodSandboxes();
      await Promise.all(
        sandboxes.map(async (s) => {
          try {
            await cri.stopPodSandbox(s.id);
            await cri.removePodSandbox(s.id);
          } catch (e) {
            log(`CRI cleanup of sandbox ${s.namespace}/${s.name}: ${(e as Error).message}`);
          }
        }),
      );
      for (const c of await cri.listContainers()) await cri.removeContainer(c).catch(() => undefined);
      if (sandboxes.length) log(`removed ${sandboxes.length} pod sandbox(es) through CRI`);
    } catch (e) {
      log(`CRI cleanup failed (${(e as Error).message}); falling back to runc`);
    }
  }
  // 3. containerd.
  await killPids(
    [containerdPid].filter((p) => p > 0),
    5000,
  );
  // 4. Whatever still runs: runc containers of our runc root, then our shims (their -address is our socket).
  const runcRoot = join(st.runcRoot, 'k8s.io');
  if (existsSync(runcRoot)) {
    for (const id of readdirSync(runcRoot)) {
      await trySh('runc', ['--root', runcRoot, 'kill', '--all', id, 'KILL'], 10_000);
      await trySh('runc', ['--root', runcRoot, 'delete', '--force', id], 10_000);
    }
  }
  const shims = allPids().filter((pid) => {
    const c = cmdline(pid);
    return c[0]?.endsWith('containerd-shim-runc-v2') && c.includes(st.criSocket);
  });
  if (shims.length) {
    log(`killing ${shims.length} leftover containerd shim(s)`);
    await killPids(shims, 0);
  }
  // 5. Mounts: everything under the data dir, and the sandboxes' netns files.
  await unmountAll(mountsUnder([st.dataDir]));
  for (const n of netns) {
    if (existsSync(n)) {
      await trySh('umount', [n], 5000);
      await rm(n, { force: true });
    }
  }
  // 6. cgroups the kubelet made (kubepods…), now empty.
  for (const c of st.cgroupRoots) rmCgroupTree(c);
  // 7. Network: kube-proxy's rules, our guard rule, the routes, the bridge.
  if (st.kubeProxyBin && existsSync(st.kubeProxyBin)) {
    await trySh(
      st.kubeProxyBin,
      [
        '--cleanup',
        ...(st.kubeProxyConfig && existsSync(st.kubeProxyConfig) ? [`--config=${st.kubeProxyConfig}`] : []),
      ],
      30_000,
    );
  }
  for (const r of st.guardRules) {
    while (await trySh('iptables', ['-w', r[0]!, r[1]!, '-D', ...r.slice(2)])) {
      // every copy
    }
  }
  for (const family of ['iptables', 'ip6tables'] as const) {
    const removed = await removeNewChains(family, st.chainsBefore[family] ?? []);
    if (removed.length) log(`${family}: removed ${removed.join(', ')}`);
  }
  for (const r of st.routes) await trySh('ip', ['route', 'del', ...r.split(' ')]);
  if (st.bridgeCreated) await trySh('ip', ['link', 'del', st.bridge]);
  // 8. Sysctls the kubelet or kube-proxy changed.
  for (const [path, value] of Object.entries(st.sysctls)) {
    const now = readSysctl(path);
    if (now !== undefined && now !== value) {
      try {
        await writeFile(join('/proc/sys', path), value);
        log(`restored ${path.replace(/\//g, '.')} = ${value} (was set to ${now})`);
      } catch {
        // read-only here
      }
    }
  }
  // 9. The kubelet's symlinks in /var/log/containers that point into our pod logs.
  try {
    for (const f of readdirSync('/var/log/containers')) {
      const p = join('/var/log/containers', f);
      try {
        if (readlinkSync(p).startsWith(`${st.podLogsDir}/`)) await rm(p, { force: true });
      } catch {
        // not a symlink
      }
    }
  } catch {
    // no such dir
  }
  // 10. The data dir.
  if (!st.keepData) {
    const left = mountsUnder([st.dataDir]);
    if (left.length) log(`still mounted under ${st.dataDir}: ${left.join(', ')}`);
    await rm(st.dataDir, { recursive: true, force: true, maxRetries: 3 }).catch((e: Error) =>
      log(`rm ${st.dataDir}: ${e.message}`),
    );
  }
  await rm(STATE_FILE, { force: true });
  log(`node cleaned up in ${Date.now() - t0} ms`);
}

async function cleanupStale(log: (l: string) => void): Promise<void> {
  if (!existsSync(STATE_FILE)) return;
  let st: NodeState;
  try {
    st = JSON.parse(await readFile(STATE_FILE, 'utf8')) as NodeState;
  } catch {
    await rm(STATE_FILE, { force: true });
    return;
  }
  if (alive(st.ownerPid) && st.ownerPid !== process.pid) {
    throw new Error(
      `a test node is already running (owner pid ${st.ownerPid}, data ${st.dataDir}); one node per machine: stop it first`,
    );
  }
  log(`cleaning up a stale node (owner pid ${st.ownerPid} is gone, data ${st.dataDir})`);
  await cleanupNode(st, log);
}

/** Synchronous last resort for process 'exit' handlers: SIGKILL the node's processes. */
// ---------------------------------------------------------------------------------------------
// Config files

function containerdConfig(o: {
  root: string;
  state: string;
  socket: string;
  runcRoot: string;
  snapshotter: string;
  sandboxImage: string;
  cniConfDir: string;
  certsDir: string;
}): string {
  const q = (s: string) => JSON.stringify(s);
  return `# containerd config of the polyglot-cd test node (test/kube/node.ts); generated per run.
version = 2
root = ${q(o.root)}
state = ${q(o.state)}
# Plugins that would write outside our directories or are of no use here.
disabled_plugins = [
  "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = ${q(o.socket)}

[ttrpc]
  address = ${q(`${o.socket}.ttrpc`)}

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""

# The v1 runtime is unused, but the tasks service needs it loaded: keep its runc root ours too.
[plugins."io.containerd.runtime.v1.linux"]
  runtime_root = ${q(`${o.runcRoot}-v1`)}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${q(o.sandboxImage)}
  # pod network namespaces under our state dir, not /run/netns
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  enable_selinux = false
  # This machine withholds CAP_SYS_RESOURCE even from root: a negative oom_score_adj (the sandbox's
  # -998, a Guaranteed pod's -997) is refused, and runc fails with "can't get final child's PID from
  # pipe". Clamp every oom_score_adj at containerd's own (0).
  restrict_oom_score_adj = true
  max_container_log_line_size = 16384
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = ${q(o.snapshotter)}
    default_runtime_name = "runc"
    discard_unpacked_layers = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "runc"
        Root = ${q(o.runcRoot)}
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${q(o.cniConfDir)}
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ${q(o.certsDir)}
`;
}

function cniConflist(o: {
  bridge: string;
  podCIDR: string;
  gateway: string;
  serviceCIDR: string;
  ipamDir: string;
}): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'polyglot-cd',
      plugins: [
        {
          type: 'bridge',
          bridge: o.bridge,
          // node.ts gives the bridge its address itself: with isGateway the plugin would also switch
          // on net.ipv4.ip_forward, and pods would get a default route. Neither is wanted.
          isGateway: false,
          isDefaultGateway: false,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            dataDir: o.ipamDir,
            ranges: [[{ subnet: o.podCIDR, gateway: o.gateway }]],
            // No default route: pods reach their own subnet and, through the bridge, the service range.
            routes: [{ dst: o.serviceCIDR, gw: o.gateway }],
          },
        },
        { type: 'portmap', capabilities: { portMappings: true }, snat: false },
      ],
    },
    null,
    2,
  );
}

function kubeconfigYaml(server: string, caPem: string, user: string, cert: string, key: string): string {
  return goYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'polyglot-cd-test',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { 'client-certificate': cert, 'client-key': key } }],
    contexts: [{ name: 'polyglot-cd-test', context: { cluster: 'polyglot-cd-test', user } }],
    'current-context': 'polyglot-cd-test',
  });
}

// ---------------------------------------------------------------------------------------------
// API access with a client certificate

function apiRequest(
  server: string,
  auth: HttpsAuth,
  method: string,
  path: string,
  body?: unknown,
): Promise<[number, string]> {
  return httpsRequest(new URL(path, server), auth, method, body);
}

async function canMountOverlay(dir: string): Promise<boolean> {
  const d = join(dir, 'overlay-probe');
  for (const sub of ['lower', 'upper', 'work', 'merged']) await mkdir(join(d, sub), { recursive: true });
  const ok = await trySh(
    'mount',
    ['-t', 'overlay', 'overlay', '-o', `lowerdir=${d}/lower,upperdir=${d}/upper,workdir=${d}/work`, `${d}/merged`],
    10_000,
  );
  if (ok) await trySh('umount', [`${d}/merged`]);
  await rm(d, { recursive: true, force: true });
  return ok;
}

// ---------------------------------------------------------------------------------------------
// startNode

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const deadline = t0 + (opts.timeoutMs ?? 120_000);
  const nodeName = opts.nodeName ?? DEFAULT_NODE_NAME;
  const podCIDR = opts.podCIDR ?? '10.244.0.0/24';
  const clusterCIDR = opts.clusterCIDR ?? '10.244.0.0/16';
  const serviceCIDR = opts.serviceCIDR ?? SERVICE_CLUSTER_IP_RANGE;
  const nodeIP = nthAddress(podCIDR, 1);
  const podBits = parseCidr(podCIDR).bits;
  if (process.getuid?.() !== 0) throw new Error('the test node needs root (containerd, runc, CNI, iptables)');
  const kubeletBin = opts.runtimeOnly ? '' : opts.binDir ? join(opts.binDir, 'kubelet') : resolveBinary('kubelet');
  const kubeProxyBin =
    opts.kubeProxy === false || opts.runtimeOnly
      ? null
      : opts.binDir
        ? join(opts.binDir, 'kube-proxy')
        : resolveBinary('kube-proxy');
  if (!opts.issueCert && !opts.caKeyPath)
    throw new Error('startNode needs caKeyPath or issueCert to issue the kubelet certificates');
  const issue = opts.issueCert ?? certIssuer({ caCert: opts.caCertPath, caKey: opts.caKeyPath! });

  await cleanupStale(log);
  if (existsSync(`/sys/class/net/${BRIDGE}`))
    throw new Error(`bridge ${BRIDGE} exists but no node owns it: delete it (ip link del ${BRIDGE}) and retry`);

  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'pcd-node-')));
  await mkdir(dataDir, { recursive: true });
  const d = (...p: string[]) => join(dataDir, ...p);
  const logDir = d('logs');
  await mkdir(logDir, { recursive: true });
  const criSocket = d('containerd', 'containerd.sock');
  if (criSocket.length > 100) throw new Error(`data dir too long for a unix socket path: ${criSocket}`);

  const sysctls: Record<string, string> = {};
  for (const s of WATCHED_SYSCTLS) {
    const v = readSysctl(s);
    if (v !== undefined) sysctls[s] = v;
  }
  const cgroupRoots = cgroupHierarchies()
    .map((h) => join(h, 'kubepods'))
    .filter((c) => !existsSync(c));
  const st: NodeState = {
    ownerPid: process.pid,
    dataDir,
    keepData: opts.keepData ?? false,
    criSocket,
    containerdState: d('containerd', 'state'),
    runcRoot: d('runc'),
    podLogsDir: d('pod-logs'),
    kubeletRoot: d('kubelet'),
    bridge: BRIDGE,
    bridgeCreated: false,
    routes: [],
    guardRules: [],
    chainsBefore: { iptables: await iptablesChains('iptables'), ip6tables: await iptablesChains('ip6tables') },
    kubeProxyBin,
    kubeProxyConfig: kubeProxyBin ? d('kube-proxy', 'config.yaml') : null,
    cgroupRoots,
    sysctls,
    pids: {},
  };
  const saveState = () => writeFile(STATE_FILE, JSON.stringify(st, null, 2), { mode: 0o600 });
  await saveState();

  const procs: Spawned[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      const t = Date.now();
      await cleanupNode(st, log);
      log(`node stopped in ${Date.now() - t} ms`);
    })());
  const failIfExited = (what: string) => {
    for (const p of procs)
      if (p.done)
        throw new Error(`${p.name} exited while waiting for ${what}; last log lines (${p.log}):\n${tail(p.log)}`);
  };
  const waitUntil = async (what: string, check: () => Promise<boolean>, everyMs = 200, fatal?: () => void) => {
    for (;;) {
      failIfExited(what);
      fatal?.();
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) {
        const logs = procs.map((p) => `--- ${p.name} (${p.log})\n${tail(p.log, 20)}`).join('\n');
        throw new Error(`node: timed out waiting for ${what}\n${logs}`);
      }
      await sleep(everyMs);
    }
  };

  try {
    // 1. Certificates and kubeconfigs.
    const pki = d('pki');
    await mkdir(pki, { mode: 0o700 });
    const caPem = await readFile(opts.caCertPath, 'utf8');
    const [kubeletClient, kubeletServing, proxyClient] = await Promise.all([
      issue(
        { name: 'kubelet-client', cn: `system:node:${nodeName}`, organizations: ['system:nodes'], usage: 'client' },
        pki,
      ),
      issue(
        {
          name: 'kubelet-serving',
          cn: `system:node:${nodeName}`,
          organizations: ['system:nodes'],
          usage: 'server',
          ips: [nodeIP, '127.0.0.1'],
          dns: [nodeName, 'localhost'],
        },
        pki,
      ),
      kubeProxyBin
        ? issue(
            {
              name: 'kube-proxy-client',
              cn: 'system:kube-proxy',
              organizations: ['system:node-proxier'],
              usage: 'client',
            },
            pki,
          )
        : undefined,
    ]);
    const kubeconfig = d('kubelet.kubeconfig');
    await writeFile(
      kubeconfig,
      kubeconfigYaml(opts.apiServer, caPem, `system:node:${nodeName}`, kubeletClient.cert, kubeletClient.key),
      { mode: 0o600 },
    );
    const nodeTls = {
      ca: caPem,
      cert: await readFile(kubeletClient.cert, 'utf8'),
      key: await readFile(kubeletClient.key, 'utf8'),
    };

    // The API server must let the node's user act as a node: the Node authorizer does; without it,
    // RBAC's system:node ClusterRole bound to this user (needs the admin token).
    const [probe] = opts.runtimeOnly
      ? [0]
      : await apiRequest(opts.apiServer, nodeTls, 'GET', `/api/v1/nodes/${nodeName}`);
    if (probe === 403) {
      if (!opts.adminToken)
        throw new Error(
          `the API server forbids system:node:${nodeName} to read its Node: enable --authorization-mode=Node,RBAC or pass adminToken`,
        );
      const name = `polyglot-cd:node:${nodeName}`;
      const [status, body] = await apiRequest(
        opts.apiServer,
        { ca: caPem, token: opts.adminToken },
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `system:node:${nodeName}` }],
        },
      );
      if (status !== 201 && status !== 409) throw new Error(`creating ClusterRoleBinding ${name}: ${status} ${body}`);
      log(`no Node authorizer: bound ClusterRole system:node to system:node:${nodeName} (${name})`);
    }

    // 2. The pause image.
    let pauseImage = opts.pauseImage;
    if (!pauseImage) {
      let storageConf = opts.storageConf;
      if (!storageConf) {
        const sd = d('buildah');
        await mkdir(join(sd, 'root'), { recursive: true });
        await mkdir(join(sd, 'runroot'), { recursive: true });
        storageConf = join(sd, 'storage.conf');
        await writeFile(
          storageConf,
          `[storage]\ndriver = "vfs"\ngraphroot = "${join(sd, 'root')}"\nrunroot = "${join(sd, 'runroot')}"\n`,
        );
      }
      pauseImage = await buildPauseImage({ registryHost: opts.registryHost, storageConf, log });
    }
    const tPause = Date.now();
    log(`sandbox image ${pauseImage} (${tPause - t0} ms)`);

    // 3. Network guard rails and the bridge (before the kubelet: the node IP must exist).
    await sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    st.bridgeCreated = true;
    await saveState();
    await sh('ip', ['addr', 'add', `${nodeIP}/${podBits}`, 'dev', BRIDGE]);
    await sh('ip', ['link', 'set', BRIDGE, 'up']);
    // Forwarding only for packets that arrive on the bridge (a pod's packet to a ClusterIP is DNATed to
    // another pod and routed back out of the bridge); net.ipv4.ip_forward and every other interface
    // stay as they are, so nothing from outside is ever routed.
    await writeFile(`/proc/sys/net/ipv4/conf/${BRIDGE}/forwarding`, '1');
    // The service range goes to the bridge: kube-proxy DNATs what has endpoints; a packet to an
    // unanswered service IP is an ARP on the bridge that nobody answers, never the default route.
    // (A blackhole route would also make the host's own connect() to a ClusterIP fail before DNAT.)
    if (await trySh('ip', ['route', 'add', serviceCIDR, 'dev', BRIDGE, 'src', nodeIP]))
      st.routes.push(`${serviceCIDR} dev ${BRIDGE}`);
    // The rest of the cluster's pod range: nobody is there, drop it on the host.
    if (clusterCIDR !== podCIDR && (await trySh('ip', ['route', 'add', 'blackhole', clusterCIDR])))
      st.routes.push(`blackhole ${clusterCIDR}`);
    // Whatever a pod sends (even a hand-made frame to the gateway for an outside address) is dropped
    // before it could leave by another interface. mangle/FORWARD runs before filter/FORWARD, where
    // kube-proxy prepends its own ACCEPT rules.
    st.guardRules = [
      [
        '-t',
        'mangle',
        'FORWARD',
        '-i',
        BRIDGE,
        '!',
        '-o',
        BRIDGE,
        '-m',
        'comment',
        '--comment',
        GUARD_COMMENT,
        '-j',
        'DROP',
      ],
      // pod → ClusterIP → pod is forwarded bridge to bridge: allowed even if FORWARD's policy is DROP
      [
        '-t',
        'filter',
        'FORWARD',
        '-i',
        BRIDGE,
        '-o',
        BRIDGE,
        '-m',
        'comment',
        '--comment',
        GUARD_COMMENT,
        '-j',
        'ACCEPT',
      ],
    ];
    for (const r of st.guardRules) await sh('iptables', ['-w', r[0]!, r[1]!, '-I', r[2]!, '1', ...r.slice(3)]);
    await saveState();

    // 4. containerd.
    const snapshotter = (await canMountOverlay(dataDir)) ? 'overlayfs' : 'native';
    if (snapshotter === 'native') log('overlay mounts fail here: containerd uses the native snapshotter');
    const cniConfDir = d('cni', 'net.d');
    const certsDir = d('containerd', 'certs.d');
    await mkdir(cniConfDir, { recursive: true });
    for (const r of [opts.registryHost, ...(opts.extraRegistries ?? [])]) {
      await trustRegistry(certsDir, typeof r === 'string' ? r : r.host, typeof r === 'string' ? undefined : r.caFile);
    }
    await writeFile(
      join(cniConfDir, '10-polyglot-cd.conflist'),
      cniConflist({ bridge: BRIDGE, podCIDR, gateway: nodeIP, serviceCIDR, ipamDir: d('cni', 'ipam') }),
    );
    const containerdToml = d('containerd', 'config.toml');
    await writeFile(
      containerdToml,
      containerdConfig({
        root: d('containerd', 'root'),
        state: st.containerdState,
        socket: criSocket,
        runcRoot: st.runcRoot,
        snapshotter,
        sandboxImage: pauseImage,
        cniConfDir,
        certsDir,
      }),
    );
    const containerd = startProcess('containerd', 'containerd', ['--config', containerdToml], logDir, { sbin: true });
    procs.push(containerd);
    st.pids.containerd = containerd.child.pid ?? -1;
    await saveState();
    const cri = new CriClient(criSocket);
    let runtimeVersion = '';
    await waitUntil(
      'containerd CRI',
      async () => {
        runtimeVersion = await cri.version();
        return true;
      },
      100,
      () => {
        // containerd keeps running without its CRI plugin when the config is wrong: fail at once
        const cfgError = /failed to load plugin io\.containerd\.grpc\.v1\.cri".*/.exec(
          readFileSync(containerd.log, 'utf8'),
        );
        if (cfgError)
          throw new Error(`containerd started without its CRI plugin: ${cfgError[0]} (config ${containerdToml})`);
      },
    );
    const tContainerd = Date.now();
    log(`${runtimeVersion.trim()} ready (${snapshotter}) in ${tContainerd - tPause} ms`);

    if (opts.runtimeOnly) {
      const timings: NodeTimings = {
        pauseImage: tPause - t0,
        containerd: tContainerd - tPause,
        kubeletReady: 0,
        total: tContainerd - t0,
      };
      return {
        nodeName,
        nodeIP,
        dataDir,
        kubeconfig,
        pauseImage,
        snapshotter,
        criSocket,
        certsDir,
        kubeletPort: 0,
        timings,
        stop,
        processes: procs.map((p) => ({ name: p.name, pid: p.child.pid ?? -1, log: p.log })),
      };
    }

    // 5. kubelet.
    const kubeletPort = await freePort();
    const healthzPort = await freePort();
    const resolvConf = d('resolv.conf');
    // Pods' DNS: no cluster DNS; a resolver on the pod's own loopback, so a lookup never leaves the pod.
    await writeFile(resolvConf, 'nameserver 127.0.0.1\noptions ndots:1 timeout:1 attempts:1\n');
    await mkdir(st.podLogsDir, { recursive: true });
    await mkdir(st.kubeletRoot, { recursive: true });
    const kubeletConfig = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      address: nodeIP,
      port: kubeletPort,
      readOnlyPort: 0,
      healthzBindAddress: '127.0.0.1',
      healthzPort,
      tlsCertFile: kubeletServing.cert,
      tlsPrivateKeyFile: kubeletServing.key,
      rotateCertificates: false,
      serverTLSBootstrap: false,
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true, cacheTTL: '30s' },
        x509: { clientCAFile: opts.caCertPath },
      },
      authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '30s', cacheUnauthorizedTTL: '5s' } },
      containerRuntimeEndpoint: `unix://${criSocket}`,
      imageServiceEndpoint: `unix://${criSocket}`,
      cgroupDriver: 'cgroupfs',
      cgroupsPerQOS: true,
      failSwapOn: false,
      failCgroupV1: false,
      podCIDR,
      resolvConf,
      clusterDomain: 'cluster.local',
      ...(opts.clusterDNS?.length ? { clusterDNS: opts.clusterDNS } : {}),
      // no static pods: staticPodPath unset
      podLogsDir: st.podLogsDir,
      volumePluginDir: d('kubelet-plugins', 'volume', 'exec'),
      evictionHard: {
        'memory.available': '1Mi',
        'nodefs.available': '1%',
        'nodefs.inodesFree': '1%',
        'imagefs.available': '1%',
        'imagefs.inodesFree': '1%',
      },
      evictionPressureTransitionPeriod: '5s',
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      imageMinimumGCAge: '24h',
      serializeImagePulls: false,
      makeIPTablesUtilChains: false,
      protectKernelDefaults: false,
      // no CAP_SYS_RESOURCE here: the kubelet can't lower its own oom_score_adj (it would only warn)
      oomScoreAdj: 0,
      shutdownGracePeriod: '0s',
      shutdownGracePeriodCriticalPods: '0s',
      nodeStatusUpdateFrequency: '5s',
      nodeStatusReportFrequency: '1m',
      syncFrequency: '10s',
      fileCheckFrequency: '20s',
      runtimeRequestTimeout: '2m',
      containerLogMaxSize: '10Mi',
      containerLogMaxFiles: 3,
      maxPods: 110,
      registerNode: true,
      enableDebuggingHandlers: true,
      localStorageCapacityIsolation: true,
    };
    const kubeletConfigFile = d('kubelet', 'config.yaml');
    await writeFile(kubeletConfigFile, goYaml(kubeletConfig));
    const kubelet = startProcess(
      'kubelet',
      kubeletBin,
      [
        `--config=${kubeletConfigFile}`,
        `--kubeconfig=${kubeconfig}`,
        `--root-dir=${st.kubeletRoot}`,
        `--cert-dir=${pki}`,
        `--hostname-override=${nodeName}`,
        `--node-ip=${nodeIP}`,
        `--node-labels=polyglot-cd.dev/real-node=true`,
        `--v=${opts.verbosity ?? 1}`,
      ],
      logDir,
      { sbin: true },
    );
    procs.push(kubelet);
    st.pids.kubelet = kubelet.child.pid ?? -1;
    await saveState();

    // 6. kube-proxy (iptables mode).
    if (kubeProxyBin && proxyClient && st.kubeProxyConfig) {
      await mkdir(dirname(st.kubeProxyConfig), { recursive: true });
      const proxyKubeconfig = d('kube-proxy', 'kubeconfig');
      await writeFile(
        proxyKubeconfig,
        kubeconfigYaml(opts.apiServer, caPem, 'system:kube-proxy', proxyClient.cert, proxyClient.key),
        { mode: 0o600 },
      );
      const [hz, metrics] = await Promise.all([freePort(), freePort()]);
      await writeFile(
        st.kubeProxyConfig,
        goYaml({
          apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
          kind: 'KubeProxyConfiguration',
          clientConnection: { kubeconfig: proxyKubeconfig },
          mode: 'iptables',
          hostnameOverride: nodeName,
          bindAddress: nodeIP,
          healthzBindAddress: `127.0.0.1:${hz}`,
          metricsBindAddress: `127.0.0.1:${metrics}`,
          clusterCIDR,
          detectLocalMode: 'ClusterCIDR',
          // NodePorts only on the bridge address, never on the machine's own interfaces.
          nodePortAddresses: [`${nodeIP}/32`],
          // Leave the machine's conntrack settings alone.
          conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
          iptables: { localhostNodePorts: false, masqueradeAll: false, syncPeriod: '30s', minSyncPeriod: '0s' },
        }),
      );
      const proxy = startProcess(
        'kube-proxy',
        kubeProxyBin,
        [`--config=${st.kubeProxyConfig}`, `--v=${opts.verbosity ?? 1}`],
        logDir,
        { sbin: true },
      );
      procs.push(proxy);
      st.pids['kube-proxy'] = proxy.child.pid ?? -1;
      await saveState();
    }

    // 7. Ready.
    let lastReason = '';
    await waitUntil(`Node ${nodeName} Ready`, async () => {
      const [status, body] = await apiRequest(opts.apiServer, nodeTls, 'GET', `/api/v1/nodes/${nodeName}`);
      if (status !== 200) {
        lastReason = `GET node: ${status}`;
        return false;
      }
      const node = JSON.parse(body) as {
        status?: { conditions?: { type: string; status: string; message?: string }[] };
      };
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      lastReason = ready ? `${ready.status}: ${ready.message ?? ''}` : 'no Ready condition';
      return ready?.status === 'True';
    }).catch((e: Error) => {
      throw new Error(`${e.message}\nlast Ready condition: ${lastReason}`);
    });
    const tReady = Date.now();
    const timings: NodeTimings = {
      pauseImage: tPause - t0,
      containerd: tContainerd - tPause,
      kubeletReady: tReady - tContainerd,
      total: tReady - t0,
    };
    log(
      `node ${nodeName} Ready in ${timings.total} ms (pause image ${timings.pauseImage}, containerd ${timings.containerd}, kubelet ${timings.kubeletReady})`,
    );
    return {
      nodeName,
      nodeIP,
      dataDir,
      kubeconfig,
      pauseImage,
      snapshotter,
      criSocket,
      certsDir,
      kubeletPort,
      processes: procs.map((p) => ({ name: p.name, pid: p.child.pid ?? -1, log: p.log })),
      timings,
      stop,
    };
  } catch (err) {
    await stop().catch((e: Error) => log(`cleanup after a failed start: ${e.message}`));
    throw err;
  }
}

/** True if /sys/class/net/<bridge> exists (a node, or its leftover). */
export function bridgeExists(): boolean {
  try {
    return statSync(`/sys/class/net/${BRIDGE}`).isDirectory();
  } catch {
    return false;
  }
}
