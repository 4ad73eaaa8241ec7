// The shop's frontend: one page, /health, and /api/* forwarded to the backend (BACKEND_URL), with
// node:http only. `node server.js` listens on PORT (default 3000) and stops on SIGTERM.
// Node's globals are imported, so the file needs no environment settings to lint.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const INDEX = readFileSync(new URL('./app/index.html', import.meta.url));
// Request headers not forwarded: hop-by-hop ones, and the host (the backend's own is used).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Forwards the request to the backend and streams its answer back; 502 when the backend can't be reached. */
function forward(req, res, backend, timeoutMs) {
  const target = new URL(req.url, backend);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  const upstream = http.request(target, { method: req.method, headers, timeout: timeoutMs }, (answer) => {
    const out = {};
    for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error(`no answer in ${timeoutMs} ms`)));
  upstream.on('error', (err) => {
    if (res.headersSent) return res.destroy(err);
    send(res, 502, 'application/json', JSON.stringify({ error: 'backend unavailable', detail: err.message }));
  });
  req.pipe(upstream);
}

export function createServer({ backendUrl = process.env.BACKEND_URL, timeoutMs = 10_000 } = {}) {
  return http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/health') return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      if (!backendUrl) return send(res, 503, 'application/json', JSON.stringify({ error: 'BACKEND_URL is not set' }));
      return forward(req, res, backendUrl, timeoutMs);
    }
    if (pathname === '/' || pathname === '/index.html') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': INDEX.length });
      return res.end(req.method === 'HEAD' ? undefined : INDEX);
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const server = createServer();
  server.listen(port, () => console.log(`frontend: listening on :${port}, backend ${process.env.BACKEND_URL ?? '(unset)'}`));
  // PID 1 in the container: without handlers SIGTERM would be ignored and every rollout would wait out
  // the grace period. Stop accepting, let requests in flight finish, drop idle keep-alive connections.
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      console.log(`frontend: ${signal}, shutting down`);
      server.close(() => process.exit(0));
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  }
}
