// Process and HTTP helpers shared by the control plane (controlplane.ts) and the real node (node.ts):
// spawn a binary with its output in a log file and a clean environment, stop it (SIGTERM, then SIGKILL),
// kill it synchronously at exit, take a free loopback port, and make one HTTPS request to an API server.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A TCP port free on 127.0.0.1 right now. */
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

export interface Spawned {
  name: string;
  child: ChildProcess;
  /** the file stdout and stderr go to: <logDir>/<name>.log */
  log: string;
  exited: Promise<number | null>;
  done: boolean;
}

/**
 * Starts `bin` with `args`, output appended to `<logDir>/<name>.log`. The child gets a clean
 * environment (PATH, HOME, TMPDIR only): etcd reads ETCD_*, client-go KUBECONFIG, containerd
 * CONTAINERD_*. `sbin` adds /usr/sbin and /sbin to PATH (iptables, ip, mount for the node).
 */
export function startProcess(
  name: string,
  bin: string,
  args: string[],
  logDir: string,
  opts: { detached?: boolean; sbin?: boolean } = {},
): Spawned {
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TMPDIR: tmpdir() };
  if (opts.sbin && !env.PATH.split(':').includes('/usr/sbin')) env.PATH = `${env.PATH}:/usr/sbin:/sbin`;
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], env, detached: opts.detached ?? false });
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

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopProcess(p: Spawned, graceMs = 10_000): Promise<void> {
  if (p.done || p.child.pid === undefined) return;
  p.child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([p.exited, timer])) === 'timeout' && !p.done) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** Synchronous last resort (process 'exit' handlers): SIGKILL whatever is still running. */
export function killNow(processes: { pid: number }[]): void {
  for (const p of processes) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface HttpsAuth {
  /** PEM of the CA to trust; `insecure` skips verification instead (a self-signed /readyz) */
  ca?: string;
  insecure?: boolean;
  /** client certificate and key (PEM) */
  cert?: string;
  key?: string;
  /** bearer token */
  token?: string;
}

/** One HTTPS request (JSON body if given); resolves to [status, body], rejects on connection errors. */
export function httpsRequest(
  url: string | URL,
  auth: HttpsAuth,
  method = 'GET',
  body?: unknown,
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) headers['content-type'] = 'application/json';
    const tls = auth.insecure
      ? { rejectUnauthorized: false }
      : { ca: auth.ca, ...(auth.cert ? { cert: auth.cert, key: auth.key } : {}) };
    const req = request(url, { method, ...tls, headers, timeout: 5000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve([res.statusCode ?? 0, data]));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}
