// A small HTTP reverse proxy in front of a plain-HTTP test registry that fails chosen requests: the
// first N matching requests get a 503 (or 429 with Retry-After, or a connection reset), the rest
// reach the real registry unchanged. The Host header is passed through, so the registry's upload
// Location URLs point back at the proxy and every request of a push goes through it.
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultPlan {
  /** how many matching requests fail (default 0) */
  failFirst: number;
  /** what a failure looks like (default 503) */
  fault?: { status: number; retryAfter?: string } | 'reset';
  /** which requests count (default: every request except GET /v2/) */
  match?: (method: string, path: string) => boolean;
}

export interface FlakyProxy {
  host: string;
  url: string;
  /** every request seen: method, path, and whether it was failed */
  log: { method: string; path: string; failed: boolean }[];
  failures(): number;
  /** change the plan for the next requests (counts restart) */
  plan(p: FaultPlan): void;
  stop(): Promise<void>;
}

const defaultMatch = (method: string, path: string): boolean => !(method === 'GET' && path === '/v2/');

export async function startFlakyProxy(target: string, initial: FaultPlan = { failFirst: 0 }): Promise<FlakyProxy> {
  const t = new URL(target);
  let plan = initial;
  let matched = 0;
  let failed = 0;
  const log: FlakyProxy['log'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] as string;
    const counts = (plan.match ?? defaultMatch)(method, path);
    const fail = counts && matched++ < plan.failFirst;
    log.push({ method, path, failed: fail });
    if (fail) {
      failed++;
      const f = plan.fault ?? { status: 503 };
      req.resume();
      if (f === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(f.status, {
        'content-type': 'application/json',
        ...(f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {}),
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault (flaky-proxy)' }] }));
      return;
    }
    const up = request(
      { host: t.hostname, port: t.port, method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    failures: () => failed,
    plan(p) {
      plan = p;
      matched = 0;
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
