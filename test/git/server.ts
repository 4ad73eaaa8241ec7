/**
 * A real Git server for tests: HTTPS on 127.0.0.1 (a random port), serving every bare repository
 * under `root` through git's own smart-HTTP CGI program, `git http-backend`, with token auth.
 *
 * - TLS: a throwaway CA and a server certificate for 127.0.0.1 (IP SAN), made with openssl at start
 *   (`createCertificates` of the registry harness); `caFile` is the CA's PEM for the client.
 * - Auth: every request must carry `Authorization: Basic base64(<username>:<token>)`; anything else gets
 *   401 with `WWW-Authenticate: Basic`, as GitHub, GitLab and Gitea answer. The user becomes
 *   REMOTE_USER, which is what lets http-backend accept pushes (receive-pack).
 * - CGI: the request body is piped to http-backend's stdin; its output is a CGI response (headers,
 *   `Status:`, a blank line, the body), turned into the HTTP response.
 * - `requests` records method, path, status and whether the request was authorized (never the header).
 *
 * Needs the Debian packages `git` (git-http-backend is in it) and `openssl`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { createCertificates, findBinary } from '../registry/registry.js';

export interface GitServerRequest {
  method: string;
  /** the path and query, as requested */
  url: string;
  status: number;
  authorized: boolean;
}

export interface GitServer {
  /** https://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** the directory whose bare repositories are served (`<root>/<name>.git` is `<origin>/<name>.git`) */
  root: string;
  caFile: string;
  requests: GitServerRequest[];
  /** the URL of the repository `<root>/<name>.git` */
  url(name: string): string;
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** a private directory: certificates in it, repositories in `<dir>/repos` */
  dir: string;
  token: string;
  /** the user name the token must come with (default x-access-token) */
  username?: string;
}

/** git-http-backend, from git's exec path (`git --exec-path`). */
export function httpBackendPath(): string {
  if (!findBinary('git')) throw new Error('test/git: git is not installed (Debian package "git")');
  const exec = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  const backend = join(exec, 'git-http-backend');
  if (!existsSync(backend)) throw new Error(`test/git: ${backend} is missing (Debian package "git")`);
  return backend;
}

export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  if (!findBinary('openssl')) throw new Error('test/git: openssl is not installed (Debian package "openssl")');
  const backend = httpBackendPath();
  const tls = join(opts.dir, 'tls');
  const root = join(opts.dir, 'repos');
  const home = join(opts.dir, 'home');
  await Promise.all([
    mkdir(tls, { recursive: true }),
    mkdir(root, { recursive: true }),
    mkdir(home, { recursive: true }),
  ]);
  const certs = await createCertificates(tls);
  const expected = `Basic ${Buffer.from(`${opts.username ?? 'x-access-token'}:${opts.token}`).toString('base64')}`;
  const requests: GitServerRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(
    { key: await readFile(certs.keyFile), cert: await readFile(certs.certFile) },
    (req, res) => {
      const authorized = req.headers.authorization === expected;
      const record: GitServerRequest = { method: req.method ?? '', url: req.url ?? '', status: 0, authorized };
      requests.push(record);
      res.on('finish', () => (record.status = res.statusCode));
      if (!authorized) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test git server"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        return;
      }
      serveCgi(req, res, { backend, root, home, user: opts.username ?? 'x-access-token' });
    },
  );
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    port,
    root,
    caFile: certs.caFile,
    requests,
    url: (name) => `${origin}/${name}.git`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface CgiOptions {
  backend: string;
  root: string;
  home: string;
  user: string;
}

/** The CGI environment of one request (RFC 3875), as git-http-backend reads it. */
function cgiEnv(req: IncomingMessage, o: CgiOptions): NodeJS.ProcessEnv {
  const u = new URL(req.url ?? '/', 'https://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: o.home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: o.root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(u.pathname),
    QUERY_STRING: u.search.replace(/^\?/, ''),
    REMOTE_USER: o.user,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const h = req.headers;
  if (h['content-type']) env['CONTENT_TYPE'] = h['content-type'];
  if (h['content-length']) env['CONTENT_LENGTH'] = h['content-length'];
  if (h['content-encoding']) env['HTTP_CONTENT_ENCODING'] = h['content-encoding'];
  if (typeof h['git-protocol'] === 'string') env['HTTP_GIT_PROTOCOL'] = h['git-protocol'];
  return env;
}

/** Runs git-http-backend for one request: the body to its stdin, its CGI response to `res`. */
function serveCgi(req: IncomingMessage, res: ServerResponse, o: CgiOptions): void {
  const child = spawn(o.backend, [], { env: cgiEnv(req, o), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.on('error', () => {
    // the backend may answer (an error) before reading the whole body
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const parsed = parseCgiHead(head);
    if (!parsed) return;
    started = true;
    res.writeHead(parsed.status, parsed.headers);
    if (parsed.body.length) res.write(parsed.body);
  });
  child.on('error', (err) => fail(res, `git-http-backend could not start: ${err.message}`));
  child.on('close', (code) => {
    if (!started) fail(res, `git-http-backend exited ${code} without a response: ${stderr.trim()}`);
    else res.end();
  });
}

function fail(res: ServerResponse, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'Content-Type': 'text/plain' });
  res.end(`${message}\n`);
}

/** The CGI response head, once complete: status (from `Status:`, default 200), headers and the body so far. */
export function parseCgiHead(
  buf: Buffer,
): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  const end =
    crlf !== -1 && (lf === -1 || crlf < lf) ? { at: crlf, len: 4 } : lf !== -1 ? { at: lf, len: 2 } : undefined;
  if (!end) return undefined;
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of buf.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers, body: buf.subarray(end.at + end.len) };
}
