/**
 * A real HTTP server on 127.0.0.1 whose answers are scripted, one step per request. It records
 * every request (method, path, headers, body, arrival time) so tests can check what was sent and
 * when.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Step =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | { hang: true }
  | { reset: true }
  | ((req: IncomingMessage, res: ServerResponse, body: Buffer) => void);

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface ScriptedServer {
  url: string;
  port: number;
  requests: Recorded[];
  /** what to answer once the script is used up (default 500) */
  fallback: Step;
  close(): Promise<void>;
}

export async function startServer(script: Step[] | ((req: IncomingMessage) => Step)): Promise<ScriptedServer> {
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  let i = 0;
  const state: { fallback: Step } = { fallback: { status: 500, body: 'script exhausted' } };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: body.toString('utf8'),
        at: Date.now(),
      });
      const step = typeof script === 'function' ? script(req) : (script[i++] ?? state.fallback);
      if (typeof step === 'function') return step(req, res, body);
      if ('hang' in step) return; // never answer
      if ('reset' in step) return req.socket.destroy();
      res.writeHead(step.status, step.headers);
      res.end(step.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get fallback() {
      return state.fallback;
    },
    set fallback(s: Step) {
      state.fallback = s;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
