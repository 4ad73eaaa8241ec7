// A real OCI registry (Debian's `docker-registry`, CNCF distribution 2.8) on 127.0.0.1 for tests and
// benchmarks, plus the tiny base image every test Containerfile starts FROM.
//
// - startRegistry({ dir })          plain HTTP, no auth, storage in `dir`
// - startRegistry({ dir, tls: true, auth: {...} })
//                                   HTTPS with a throwaway CA (openssl, P-256) and htpasswd (bcrypt) basic auth
// - buildBaseImage(...)             busybox-static copied into a `buildah from scratch` image, pushed
// - storageConf(dir)                a containers-storage config (vfs driver, graphroot in `dir`) so
//                                   buildah/skopeo never touch the machine's own image store
//
// Used by the Vitest global setup of the "registry" project (global-setup.ts) and by scripts/bench.ts.
// Everything is killed by PID and removed by the returned stop().
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RegistryAuth {
  username: string;
  password: string;
}

export interface RunningRegistry {
  /** host:port, e.g. 127.0.0.1:40123 */
  host: string;
  /** http://host:port or https://host:port */
  url: string;
  tls: boolean;
  /** PEM of the throwaway CA that signed the serving certificate (TLS only) */
  caFile?: string;
  auth?: RegistryAuth;
  dataDir: string;
  logFile: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** a private directory for this registry (config, storage, certificates, log) */
  dir: string;
  tls?: boolean;
  auth?: RegistryAuth;
  /** how long to wait for /v2/ to answer */
  readyTimeoutMs?: number;
}

/** Which Debian packages provide the binaries (scripts/system-packages.txt lists them). */
export const REQUIRED_BINARIES: Record<string, string> = {
  'docker-registry': 'docker-registry',
  buildah: 'buildah',
  skopeo: 'skopeo',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
};

export function findBinary(name: string): string | undefined {
  for (const d of (process.env['PATH'] ?? '/usr/bin:/bin').split(':')) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  for (const d of ['/usr/bin', '/usr/sbin', '/bin']) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}

export function checkBinaries(names: string[] = Object.keys(REQUIRED_BINARIES)): void {
  const missing = names.filter((n) => !findBinary(n));
  if (missing.length) {
    throw new Error(
      `registry harness: missing ${missing.join(', ')}; install the Debian packages ${missing.map((m) => REQUIRED_BINARIES[m] ?? m).join(' ')} ` +
        '(bash scripts/bootstrap.sh installs everything in scripts/system-packages.txt)',
    );
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function sh(
  file: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file} ${args.join(' ')} failed (exit ${code}): ${err.trim() || out.trim()}`));
    });
    child.stdin.end(opts.input ?? '');
  });
}

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,DNS:localhost
`;

/** A throwaway CA and a serving certificate for 127.0.0.1/localhost, valid 7 days. */
export async function createCertificates(dir: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const p = (f: string): string => join(dir, f);
  await writeFile(p('openssl.cnf'), OPENSSL_CNF);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const serial = (): string[] => ['-set_serial', `0x${randomBytes(8).toString('hex')}`];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-subj',
    '/CN=polyglot-cd-test-registry-ca',
    '-config',
    p('openssl.cnf'),
    '-extensions',
    'v3_ca',
    '-days',
    '7',
    ...serial(),
  ]);
  await run('openssl', [
    'req',
    '-new',
    ...ec,
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
    '-config',
    p('openssl.cnf'),
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-out',
    p('server.crt'),
    '-days',
    '7',
    '-extfile',
    p('openssl.cnf'),
    '-extensions',
    'v3_server',
    ...serial(),
  ]);
  return { caFile: p('ca.crt'), certFile: p('server.crt'), keyFile: p('server.key') };
}

function probe(url: string, caPem: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL('/v2/', url);
    const req = (u.protocol === 'https:' ? httpsRequest : request)(
      u,
      { method: 'GET', timeout: 2000, ...(caPem ? { ca: caPem } : {}) },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

export async function startRegistry(opts: StartOptions): Promise<RunningRegistry> {
  checkBinaries(['docker-registry', ...(opts.tls ? ['openssl'] : []), ...(opts.auth ? ['htpasswd'] : [])]);
  const dir = opts.dir;
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${host}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
  ];
  let caFile: string | undefined;
  if (opts.tls) {
    const certs = await createCertificates(dir);
    caFile = certs.caFile;
    lines.push('  tls:', `    certificate: ${certs.certFile}`, `    key: ${certs.keyFile}`);
  }
  if (opts.auth) {
    // htpasswd reads the password from stdin (-i): it never appears on a command line
    const entry = await sh('htpasswd', ['-niB', opts.auth.username], { input: opts.auth.password });
    await writeFile(join(dir, 'htpasswd'), entry.trim() + '\n', { mode: 0o600 });
    lines.push('auth:', '  htpasswd:', '    realm: polyglot-cd-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  const config = join(dir, 'config.yml');
  await writeFile(config, lines.join('\n') + '\n');
  const logFile = join(dir, 'registry.log');
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', fd, fd],
    detached: false,
  });
  closeSync(fd);
  const url = `${opts.tls ? 'https' : 'http'}://${host}`;
  const caPem = caFile ? await readFile(caFile, 'utf8') : undefined;
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (exited)
      throw new Error(
        `docker-registry stopped during start (${exited}); log: ${(await readFile(logFile, 'utf8')).slice(-2000)}`,
      );
    try {
      const status = await probe(url, caPem);
      if (status === 200 || status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `docker-registry on ${host} did not answer /v2/ within ${opts.readyTimeoutMs ?? 20_000} ms; log: ${logFile}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid as number;
  return {
    host,
    url,
    tls: opts.tls === true,
    ...(caFile ? { caFile } : {}),
    ...(opts.auth ? { auth: opts.auth } : {}),
    dataDir,
    logFile,
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await done;
        clearTimeout(t);
      }
    },
  };
}

/**
 * A containers-storage config (vfs driver: works without overlay or fuse, in any container) whose
 * image store lives in `dir`. Pass it as CONTAINERS_STORAGE_CONF to buildah and skopeo.
 */
export async function storageConf(dir: string): Promise<string> {
  await mkdir(join(dir, 'root'), { recursive: true });
  await mkdir(join(dir, 'runroot'), { recursive: true });
  const file = join(dir, 'storage.conf');
  await writeFile(
    file,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
  );
  return file;
}

/** A Docker-style auth file (0600) for the given registries, for buildah/skopeo --authfile. */
export async function authFile(path: string, entries: Record<string, RegistryAuth>): Promise<string> {
  const auths: Record<string, { auth: string }> = {};
  for (const [host, a] of Object.entries(entries))
    auths[host] = { auth: Buffer.from(`${a.username}:${a.password}`).toString('base64') };
  await writeFile(path, JSON.stringify({ auths }), { mode: 0o600 });
  return path;
}

export interface BaseImageOptions {
  /** CONTAINERS_STORAGE_CONF for buildah */
  storageConf: string;
  /** full references to push the base image to, e.g. 127.0.0.1:5000/polyglot-cd/busybox:1 */
  refs: { ref: string; tlsVerify: boolean; certDir?: string; authFile?: string }[];
  busybox?: string;
}

/**
 * The tiny base image: busybox-static at /bin/busybox with its applets linked into /bin, so
 * Containerfiles can `RUN` shell commands. Built from scratch with buildah (chroot isolation).
 * Returns the manifest digest the first registry reports.
 */
export async function buildBaseImage(opts: BaseImageOptions): Promise<void> {
  checkBinaries(['buildah']);
  const busybox = opts.busybox ?? ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox)
    throw new Error(
      'registry harness: busybox-static is not installed (/bin/busybox); add the Debian package busybox-static',
    );
  const env = { ...process.env, CONTAINERS_STORAGE_CONF: opts.storageConf, BUILDAH_ISOLATION: 'chroot' };
  const b = (args: string[]): Promise<string> => sh('buildah', args, { env });
  const name = `pcd-base-${randomBytes(4).toString('hex')}`;
  await b(['from', '--name', name, 'scratch']);
  try {
    await b(['copy', '--chmod', '0755', name, busybox, '/bin/busybox']);
    await b(['run', '--isolation', 'chroot', name, '--', '/bin/busybox', '--install', '-s', '/bin']);
    await b(['run', '--isolation', 'chroot', name, '--', '/bin/mkdir', '-p', '/tmp', '/etc']);
    await b([
      'config',
      '--cmd',
      '/bin/sh',
      '--label',
      'org.opencontainers.image.title=polyglot-cd test base (busybox-static)',
      name,
    ]);
    const local = `localhost/${name}:latest`;
    await b(['commit', '--format', 'oci', name, local]);
    for (const r of opts.refs) {
      const args = ['push', `--tls-verify=${r.tlsVerify}`];
      if (r.certDir) args.push('--cert-dir', r.certDir);
      if (r.authFile) args.push('--authfile', r.authFile);
      await b([...args, local, `docker://${r.ref}`]);
    }
  } finally {
    await b(['rm', name]).catch(() => undefined);
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
