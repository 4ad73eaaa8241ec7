// The local cluster (stack.ts) as a background service for developers and the local pipeline.
//   node --import ./test/helpers/ts-hooks.ts test/kube/cli.ts start|stop|status   (see cluster.sh)
// `start` forks a detached supervisor that owns the registry, etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and the real node (containerd, kubelet, kube-proxy), waits
// until all are ready and prints the admin kubeconfig's path on stdout (progress goes to stderr); the
// stack's stack.json lies beside it. `stop` signals the supervisor, which stops everything and removes
// the data dir.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessInfo } from './controlplane.js';
import { killNow } from './proc.js';
import { startStack } from './stack.js';

interface State {
  status: 'starting' | 'ready' | 'failed';
  supervisorPid: number;
  kubeconfig?: string;
  server?: string;
  dataDir?: string;
  processes?: ProcessInfo[];
  startMs?: number;
  error?: string;
}

const uid = process.getuid?.() ?? 0;
const stateFile = process.env.POLYGLOT_CD_KUBE_STATE ?? join(tmpdir(), `polyglot-cd-kube-${uid}.json`);
const supervisorLog = stateFile.replace(/\.json$/, '') + '.log';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`kube: ${line}\n`);

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

async function writeState(s: State): Promise<void> {
  await writeFile(`${stateFile}.tmp`, JSON.stringify(s, null, 2), { mode: 0o600 });
  await rename(`${stateFile}.tmp`, stateFile);
}

/** True if `pid` runs and its command line contains `marker` (guards against PID reuse). */
function alive(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

const SELF = 'test/kube/cli.ts';

async function start(): Promise<number> {
  const current = readState();
  if (current && alive(current.supervisorPid, SELF) && current.status === 'ready' && current.kubeconfig) {
    say(`already running at ${current.server} (supervisor pid ${current.supervisorPid})`);
    process.stdout.write(`${current.kubeconfig}\n`);
    return 0;
  }
  if (current) await rm(stateFile, { force: true });
  const t0 = Date.now();
  const fd = openSync(supervisorLog, 'w');
  const hooks = fileURLToPath(new URL('../helpers/ts-hooks.ts', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', hooks, self, 'serve'], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: process.env,
  });
  closeSync(fd);
  child.unref();
  say(
    `starting the registry, etcd, kube-apiserver, kube-controller-manager, kube-scheduler and the real node (log: ${supervisorLog})`,
  );
  for (;;) {
    await sleep(100);
    const s = readState();
    if (s?.status === 'ready' && s.kubeconfig) {
      say(
        `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${s.server}; stop with: bash test/kube/cluster.sh stop`,
      );
      process.stdout.write(`${s.kubeconfig}\n`);
      return 0;
    }
    if (s?.status === 'failed' || child.exitCode !== null || Date.now() - t0 > 600_000) {
      say(`failed to start: ${s?.error ?? 'supervisor exited or timed out'}`);
      say(`supervisor log: ${supervisorLog}`);
      if (alive(child.pid ?? -1, SELF)) process.kill(child.pid!, 'SIGTERM');
      return 1;
    }
  }
}

async function serve(): Promise<void> {
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  await writeState({ status: 'starting', supervisorPid: process.pid });
  let stack;
  try {
    stack = await startStack({ log, keepData: process.env.POLYGLOT_CD_KUBE_KEEP === '1' });
  } catch (e) {
    await writeState({
      status: 'failed',
      supervisorPid: process.pid,
      error: e instanceof Error ? e.message : String(e),
    });
    process.exitCode = 1;
    return;
  }
  const running = stack;
  process.once('exit', () => killNow(running.processes));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await running.stop();
    await rm(stateFile, { force: true });
    log('stopped');
    process.exit(0);
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown(sig));
  await writeState({
    status: 'ready',
    supervisorPid: process.pid,
    kubeconfig: running.kubeconfig,
    server: running.server,
    dataDir: running.dataDir,
    processes: running.processes,
    startMs: running.timings.total,
  });
  log(`ready: ${JSON.stringify(running.timings)}`);
}

async function stop(): Promise<number> {
  const s = readState();
  if (!s) {
    say('not running');
    return 0;
  }
  const t0 = Date.now();
  if (alive(s.supervisorPid, SELF)) {
    process.kill(s.supervisorPid, 'SIGTERM');
    while (alive(s.supervisorPid, SELF) && Date.now() - t0 < 90_000) await sleep(100);
  }
  if (alive(s.supervisorPid, SELF)) process.kill(s.supervisorPid, 'SIGKILL');
  // Whatever the supervisor could not stop (it was killed, or crashed): only our own binaries.
  const leftovers = (s.processes ?? []).filter((p) => alive(p.pid, p.name));
  if (leftovers.length > 0) {
    say(`killing leftover ${leftovers.map((p) => `${p.name} (${p.pid})`).join(', ')}`);
    killNow(leftovers);
  }
  if (s.dataDir && existsSync(s.dataDir) && process.env.POLYGLOT_CD_KUBE_KEEP !== '1')
    await rm(s.dataDir, { recursive: true, force: true });
  await rm(stateFile, { force: true });
  say(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

function status(): number {
  const s = readState();
  if (s && alive(s.supervisorPid, SELF) && s.status === 'ready') {
    say(`running at ${s.server} (supervisor pid ${s.supervisorPid}, data ${s.dataDir})`);
    process.stdout.write(`${s.kubeconfig}\n`);
    return 0;
  }
  say('not running');
  return 1;
}

const cmd = process.argv[2];
switch (cmd) {
  case 'start':
    process.exitCode = await start();
    break;
  case 'serve':
    await serve();
    break;
  case 'stop':
    process.exitCode = await stop();
    break;
  case 'status':
    process.exitCode = status();
    break;
  default:
    say(`usage: ${SELF} start|stop|status`);
    process.exitCode = 2;
}
