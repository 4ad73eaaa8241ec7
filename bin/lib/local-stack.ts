// The local stand-ins for what a GitHub run talks to, for `polyglot-cd pipeline`:
// - an OCI registry: Debian's `docker-registry` on 127.0.0.1, started once and kept running (data
//   and state under ~/.cache/polyglot-cd/pipeline/registry);
// - the container store for buildah (vfs driver, chroot isolation, under the same cache dir);
// - the example app's Debian bookworm base images (scripts/setup/base-images.sh), pushed to the registry;
// - the local Kubernetes cluster of test/kube/cluster.sh, control plane and a real node (or a kubeconfig
//   you name), and the real Helm 4 of scripts/setup/helm.sh;
// - a Teams webhook sink on 127.0.0.1 that prints every card it receives.
import { spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

type Log = (line: string) => void;

/** The local registry: its host:port, its URL, and whether this run started it. */
export interface Registry {
  host: string;
  url: string;
  pid?: number;
  started: boolean;
}

interface Kubeconfig {
  clusters?: ({ name?: string; cluster?: { server?: string } } | null)[];
  contexts?: ({ name?: string; context?: { cluster?: string } } | null)[];
  'current-context'?: string;
}

/** What test/kube/stack.ts records of the local cluster in its stack.json. */
export interface LocalStack {
  server: string;
  node: { name: string; certsDir: string };
}

export interface TeamsSink {
  url: string;
  host: string;
  cards: unknown[];
  close: () => Promise<void>;
}

interface CardItem {
  type?: string;
  text?: string;
  facts?: { title?: string; value?: string }[];
  items?: CardItem[];
  columns?: { items?: CardItem[] }[];
}

interface CardContent {
  body?: CardItem[];
  actions?: { title?: string; url?: string }[];
}

export function cacheDir(root: string): string {
  const base =
    process.env.POLYGLOT_CD_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'polyglot-cd');
  const dir = join(base, 'pipeline', root);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function probe(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(new URL('/v2/', url), { timeout: 1500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

function which(bin: string): string {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { encoding: 'utf8' }).stdout.trim();
}

/**
 * The local registry: reuses the one recorded in the state file if it answers, else starts
 * `docker-registry` detached (it outlives this command; `polyglot-cd pipeline down` stops it).
 * Returns { host, url, started }.
 */
export async function ensureRegistry(log?: Log): Promise<Registry> {
  const dir = cacheDir('registry');
  const stateFile = join(dir, 'state.json');
  if (existsSync(stateFile)) {
    const s = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<Registry>;
    if (s.url && s.host && (await probe(s.url))) return { ...s, host: s.host, url: s.url, started: false };
  }
  if (!which('docker-registry'))
    throw new Error(
      'docker-registry is not installed (Debian package docker-registry; bash scripts/bootstrap.sh installs it)',
    );
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const fd = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  const url = `http://${host}`;
  const deadline = Date.now() + 20_000;
  while (!(await probe(url))) {
    if (Date.now() > deadline)
      throw new Error(`docker-registry did not answer on ${host}; see ${join(dir, 'registry.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  writeFileSync(stateFile, JSON.stringify({ host, url, pid: child.pid }));
  log?.(`started a local registry on ${host} (pid ${child.pid}, data in ${join(dir, 'data')})`);
  return { host, url, pid: child.pid, started: true };
}

/** Stops the registry ensureRegistry started (by its PID, if that is still docker-registry). Returns its host, or undefined. */
export function stopRegistry(): string | undefined {
  const stateFile = join(cacheDir('registry'), 'state.json');
  if (!existsSync(stateFile)) return undefined;
  const { pid, host } = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid?: number; host?: string };
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // gone
  }
  if (pid && cmdline.includes('docker-registry')) process.kill(pid, 'SIGTERM');
  writeFileSync(stateFile, '{}');
  return host;
}

/**
 * The storage driver of the pipeline's container store: overlay when this process is root and the
 * kernel has overlayfs (a layer's diff is its upper directory: a cached step costs nothing), else vfs
 * (every layer a full copy, every diff a walk of two trees). POLYGLOT_CD_STORAGE_DRIVER=vfs|overlay
 * chooses.
 */
export function storageDriver(): 'overlay' | 'vfs' {
  const asked = process.env.POLYGLOT_CD_STORAGE_DRIVER;
  if (asked === 'overlay' || asked === 'vfs') return asked;
  const root = process.getuid?.() === 0;
  let overlay = false;
  try {
    overlay = /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8'));
  } catch {
    overlay = false;
  }
  return root && overlay ? 'overlay' : 'vfs';
}

/** The container store buildah and skopeo use for the pipeline (storageDriver(), chroot): env for the actions. */
export function containersEnv(): { CONTAINERS_STORAGE_CONF: string; BUILDAH_ISOLATION: string } {
  const driver = storageDriver();
  // one store per driver: a store's driver cannot change once it holds layers
  const dir = cacheDir(driver === 'vfs' ? 'containers' : 'containers-overlay');
  const conf = join(dir, 'storage.conf');
  if (!existsSync(conf)) {
    mkdirSync(join(dir, 'root'), { recursive: true });
    mkdirSync(join(dir, 'runroot'), { recursive: true });
    writeFileSync(
      conf,
      `[storage]\ndriver = "${driver}"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
    );
  }
  return { CONTAINERS_STORAGE_CONF: conf, BUILDAH_ISOLATION: 'chroot' };
}

/** The base images scripts/setup/base-images.sh makes from Debian's packages. */
const BASE_IMAGE_NAMES = ['python', 'node', 'node-build', 'postgres'] as const;

interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool (argv array) without blocking the event loop; stderr goes to ours when `inheritStderr`. */
function runTool(cmd: string, args: string[], inheritStderr = false): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The manifest digest of an image (`oci-archive:<file>`, `docker://<ref>`), or undefined if skopeo cannot read it. */
async function imageDigest(transportRef: string): Promise<string | undefined> {
  const args = ['inspect', '--format', '{{.Digest}}'];
  if (transportRef.startsWith('docker://')) args.push('--tls-verify=false');
  const r = await runTool('skopeo', [...args, transportRef]);
  const digest = r.stdout.trim();
  return r.status === 0 && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

/** Copies an OCI archive to `<repo>:<tag>` unless the registry already has the same digest there; returns `<repo>@<digest>`. */
async function pushArchive(archive: string, repo: string, tag: string, log?: Log): Promise<string> {
  const want = await imageDigest(`oci-archive:${archive}`);
  if (!want) throw new Error(`skopeo cannot read the OCI archive ${archive}`);
  const dest = `docker://${repo}:${tag}`;
  if ((await imageDigest(dest)) !== want) {
    log?.(`pushing ${basename(archive)} to ${repo}:${tag}`);
    const r = await runTool('skopeo', [
      'copy',
      '--quiet',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci-archive:${archive}`,
      dest,
    ]);
    if (r.status !== 0) throw new Error(`skopeo copy of ${archive} to ${repo}:${tag} failed: ${r.stderr.trim()}`);
    const got = await imageDigest(dest);
    if (got !== want) throw new Error(`${repo}:${tag} has digest ${got ?? '(none)'} after the copy, expected ${want}`);
  }
  return `${repo}@${want}`;
}

/** The folder of scripts/setup/base-images.sh's archives (building them when missing: minutes, once). */
async function baseImageArchives(root: string): Promise<string> {
  const script = join(root, 'scripts', 'setup', 'base-images.sh');
  const built = await runTool('bash', [script, '--print'], true);
  const dir = built.stdout.trim().split('\n').at(-1);
  if (built.status !== 0 || !dir) throw new Error(`scripts/setup/base-images.sh --print failed (exit ${built.status})`);
  return dir;
}

/**
 * The Debian bookworm base images of the example app (scripts/setup/base-images.sh builds them once per
 * version, as OCI archives), copied into the registry as `<host>/polyglot-cd/<name>:bookworm` when it
 * does not already hold the same digest. Returns each image by digest, `<host>/polyglot-cd/<name>@sha256:…`.
 * $POLYGLOT_CD_BASE_IMAGES names another folder of such archives (`<name>.tar`).
 */
export async function ensureBaseImages(
  root: string,
  registry: Registry,
  log?: Log,
): Promise<Record<(typeof BASE_IMAGE_NAMES)[number], string>> {
  const dir = process.env.POLYGLOT_CD_BASE_IMAGES || (await baseImageArchives(root));
  const refs: Partial<Record<(typeof BASE_IMAGE_NAMES)[number], string>> = {};
  for (const name of BASE_IMAGE_NAMES) {
    refs[name] = await pushArchive(join(dir, `${name}.tar`), `${registry.host}/polyglot-cd/${name}`, 'bookworm', log);
  }
  return refs as Record<(typeof BASE_IMAGE_NAMES)[number], string>;
}

/**
 * The real Helm the local pipeline deploys with: $POLYGLOT_CD_HELM_BIN, else the Helm 4 that
 * scripts/setup/helm.sh built from the Go module proxy (helm-deploy's default major). Returns
 * { bin, version } (version without the leading v).
 */
export function localHelm(root: string): { bin: string; version: string } {
  const bin = setupTool(root, 'POLYGLOT_CD_HELM_BIN', 'helm.sh', ['--print', '4']);
  const v = spawnSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error(`${bin} version failed: ${v.stderr.trim()}`);
  return { bin, version: v.stdout.trim().replace(/^v/, '') };
}

/**
 * A tool the local pipeline runs: $<envVar> when set, else the binary scripts/setup/<script> builds
 * from the Go module proxy (building it when missing: minutes, once) and prints with `args`.
 */
export function setupTool(root: string, envVar: string, script: string, args: string[] = ['--print']): string {
  const given = process.env[envVar];
  if (given) return given;
  const r = spawnSync('bash', [join(root, 'scripts', 'setup', script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bin = r.stdout.trim();
  if (r.status !== 0 || !bin || !existsSync(bin))
    throw new Error(`scripts/setup/${script} ${args.join(' ')} failed (exit ${r.status}): set ${envVar} to the binary`);
  return bin;
}

/** The API server URL of `kubeconfig`'s current context (or of its only cluster), or undefined. */
export function kubeconfigServer(kubeconfig: string): string | undefined {
  let config: Kubeconfig | null;
  try {
    config = parse(readFileSync(kubeconfig, 'utf8')) as Kubeconfig | null;
  } catch {
    return undefined;
  }
  const clusters = config?.clusters ?? [];
  const context = (config?.contexts ?? []).find((c) => c?.name === config?.['current-context'])?.context;
  const cluster = context
    ? clusters.find((c) => c?.name === context.cluster)
    : clusters.length === 1
      ? clusters[0]
      : undefined;
  return cluster?.cluster?.server;
}

function clusterScript(root: string, cmd: string, stdio: StdioOptions): SpawnSyncReturns<string> {
  return spawnSync('bash', [join(root, 'test', 'kube', 'cluster.sh'), cmd], { cwd: root, encoding: 'utf8', stdio });
}

/** The kubeconfig of the local cluster if `bash test/kube/cluster.sh` runs one, else undefined. */
function runningLocalCluster(root: string): string | undefined {
  const r = clusterScript(root, 'status', ['ignore', 'pipe', 'ignore']);
  return r.status === 0 ? r.stdout.trim().split('\n').at(-1) : undefined;
}

/**
 * The local cluster (test/kube/stack.ts) that `kubeconfig` talks to, as written in its stack.json, or
 * undefined when it is another cluster. `kubeconfig` may be any identity on it (e.g. a ServiceAccount's
 * kubeconfig made elsewhere): the local cluster is recognised by its API server URL.
 */
export function localStackOf(root: string, kubeconfig: string): LocalStack | undefined {
  const server = kubeconfigServer(kubeconfig);
  if (!server) return undefined;
  const stackOf = (admin: string | undefined): LocalStack | undefined => {
    const file = admin && join(dirname(admin), 'stack.json');
    if (!file || !existsSync(file)) return undefined;
    const info = JSON.parse(readFileSync(file, 'utf8')) as LocalStack;
    return info.server === server ? info : undefined;
  };
  return stackOf(kubeconfig) ?? stackOf(process.env.POLYGLOT_CD_KUBECONFIG) ?? stackOf(runningLocalCluster(root));
}

/**
 * When `kubeconfig` points at the local cluster, lets its node pull from `registry` (containerd's
 * registry hosts directory, read at every pull). Returns the node's name, or undefined for a cluster
 * you name yourself: its nodes must already be able to pull from the registry.
 */
export async function trustRegistryOnLocalNode(
  root: string,
  kubeconfig: string,
  registry: Registry,
): Promise<string | undefined> {
  const stack = localStackOf(root, kubeconfig);
  if (!stack) return undefined;
  const { trustRegistry } = (await import(pathToFileURL(join(root, 'test', 'kube', 'registry-hosts.ts')).href)) as {
    trustRegistry: (certsDir: string, host: string) => Promise<unknown>;
  };
  await trustRegistry(stack.node.certsDir, registry.host);
  return stack.node.name;
}

/** Removes what trustRegistryOnLocalNode wrote for `host` on the running local cluster's node, if any. */
export function untrustRegistryOnLocalNode(root: string, host: string): boolean {
  const admin = runningLocalCluster(root);
  const file = admin && join(dirname(admin), 'stack.json');
  if (!host || !file || !existsSync(file)) return false;
  const dir = join((JSON.parse(readFileSync(file, 'utf8')) as LocalStack).node.certsDir, host);
  if (!existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/**
 * The local cluster: a kubeconfig you name, $POLYGLOT_CD_KUBECONFIG (e.g. a test run's), the one
 * test/kube/cluster.sh already runs, or a new one it starts (recorded, so `pipeline down` stops only a
 * cluster the pipeline started).
 */
export function ensureCluster(root: string, { kubeconfig, log }: { kubeconfig?: string; log?: Log } = {}): string {
  const named = kubeconfig || process.env.POLYGLOT_CD_KUBECONFIG;
  if (named) {
    if (!existsSync(named))
      throw new Error(`no kubeconfig at ${named}${kubeconfig ? ' (--kubeconfig)' : ' (POLYGLOT_CD_KUBECONFIG)'}`);
    return named;
  }
  const running = runningLocalCluster(root);
  if (running) return running;
  log?.('starting the local cluster: registry, control plane and a real node (bash test/kube/cluster.sh start)');
  const r = clusterScript(root, 'start', ['ignore', 'pipe', 'inherit']);
  if (r.status !== 0) throw new Error(`test/kube/cluster.sh start failed (exit ${r.status})`);
  const started = r.stdout.trim().split('\n').at(-1) ?? '';
  writeFileSync(join(cacheDir('cluster'), 'started.json'), JSON.stringify({ kubeconfig: started }));
  return started;
}

/**
 * Stops the local cluster if the pipeline started it (ensureCluster) and it still runs; a cluster
 * started otherwise (by you, or a test run) is left alone. Returns a sentence saying what happened.
 */
export function stopClusterIfStarted(root: string): string {
  const file = join(cacheDir('cluster'), 'started.json');
  const started = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { kubeconfig?: string }).kubeconfig
    : undefined;
  const running = runningLocalCluster(root);
  if (!running) {
    writeFileSync(file, '{}');
    return 'no local cluster runs';
  }
  if (!started || started !== running)
    return `the local cluster was not started by the pipeline: left running (${running}); stop it with bash test/kube/cluster.sh stop`;
  const r = clusterScript(root, 'stop', ['ignore', 'inherit', 'inherit']);
  if (r.status !== 0) throw new Error(`test/kube/cluster.sh stop failed (exit ${r.status})`);
  writeFileSync(file, '{}');
  return 'local cluster stopped';
}

/**
 * A Teams webhook sink on 127.0.0.1: answers 202 like Teams Workflows and prints the card.
 * Returns { url, host, cards, close() }.
 */
export async function startTeamsSink(print?: (card: string) => void): Promise<TeamsSink> {
  const cards: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      let card: unknown;
      try {
        card = JSON.parse(body);
      } catch {
        card = { unparsable: body.slice(0, 200) };
      }
      cards.push(card);
      print?.(renderCard(card));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const sig = randomBytes(8).toString('hex');
  return {
    url: `http://127.0.0.1:${port}/workflows/local/triggers/manual/paths/invoke?sig=${sig}`,
    host: '127.0.0.1',
    cards,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A card as text: title, facts, actions. */
export function renderCard(payload: unknown): string {
  const content = (payload as { attachments?: { content?: CardContent }[] } | null)?.attachments?.[0]?.content;
  if (!content) return `Teams sink received: ${JSON.stringify(payload).slice(0, 500)}`;
  const lines = ['┌ Teams card received by the local sink'];
  const walk = (items: CardItem[] | undefined): void => {
    for (const it of items ?? []) {
      if (it.type === 'TextBlock') lines.push(`│ ${it.text}`);
      else if (it.type === 'FactSet') for (const f of it.facts ?? []) lines.push(`│   ${f.title}: ${f.value}`);
      else if (it.type === 'Container' || it.type === 'Column') walk(it.items);
      else if (it.type === 'ColumnSet') for (const c of it.columns ?? []) walk(c.items);
    }
  };
  walk(content.body);
  for (const a of content.actions ?? []) lines.push(`│ [${a.title}] ${a.url ?? ''}`);
  lines.push('└');
  return lines.join('\n');
}
