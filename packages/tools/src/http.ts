/**
 * A small HTTP client for the actions' own requests (webhooks, registry checks). The direct path uses
 * node:http/https only, which keeps an action's start light; when the runner is configured for a
 * proxy (https_proxy / http_proxy and friends), it hands the request to @actions/http-client, loaded
 * on demand, which honours the proxy and no_proxy the way every official action does.
 * Errors never carry the URL: callers may be holding a credential in it.
 */
import type { Env } from '@polyglot-cd/action-kit';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  url: URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** the most of the answer's body kept (default 256 KiB); the rest is dropped */
  maxBodyBytes?: number;
  /**
   * TLS for https: extra trusted CAs (PEM, added to Node's bundled roots) and/or no certificate check
   * (an `insecure` registry). Through a proxy only `rejectUnauthorized: false` is honoured.
   */
  tls?: { ca?: string; rejectUnauthorized?: boolean };
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** the body as text, at most `maxBodyBytes` (default 256 KiB) */
  body: string;
}

export type HttpSend = (req: HttpRequest) => Promise<HttpResponse>;

export class HttpTransportError extends Error {
  override readonly name = 'HttpTransportError';
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

const MAX_BODY = 256 * 1024;
const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

export function proxyConfigured(env: Env): boolean {
  return PROXY_VARS.some((k) => (env[k] ?? '') !== '');
}

export function createHttpSender(env: Env = process.env): HttpSend {
  return proxyConfigured(env) ? sendViaHttpClient : sendDirect;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function sendDirect(req: HttpRequest): Promise<HttpResponse> {
  const mod = req.url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const tls = req.tls?.ca !== undefined ? await import('node:tls') : { rootCertificates: [] as readonly string[] };
  return new Promise<HttpResponse>((resolve, reject) => {
    const headers: Record<string, string | number> = { 'user-agent': 'polyglot-cd', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = mod.request(
      req.url,
      {
        method: req.method,
        headers,
        timeout: req.timeoutMs,
        signal: AbortSignal.timeout(req.timeoutMs),
        ...(req.tls?.ca !== undefined ? { ca: [...tls.rootCertificates, req.tls.ca] } : {}),
        ...(req.tls?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const max = req.maxBodyBytes ?? MAX_BODY;
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < max) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8').slice(0, max),
          }),
        );
        res.on('error', (err) => reject(transportError(err, req.timeoutMs)));
      },
    );
    r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (err) => reject(transportError(err, req.timeoutMs)));
    r.end(req.body);
  });
}

function transportError(err: unknown, timeoutMs: number): HttpTransportError {
  const e = err as NodeJS.ErrnoException;
  const code = e.name === 'AbortError' || e.name === 'TimeoutError' ? 'ETIMEDOUT' : (e.code ?? 'EUNKNOWN');
  if (code === 'ETIMEDOUT')
    return new HttpTransportError(`no response within ${Math.round(timeoutMs / 100) / 10}s`, code);
  // Node's messages name host:port at most (e.g. "connect ECONNREFUSED 127.0.0.1:443"), never the path or query.
  return new HttpTransportError(e.message.replace(/https?:\/\/\S+/g, '<url>'), code);
}

async function sendViaHttpClient(req: HttpRequest): Promise<HttpResponse> {
  const { HttpClient } = await import('@actions/http-client');
  const client = new HttpClient('polyglot-cd', undefined, {
    socketTimeout: req.timeoutMs,
    allowRetries: false,
    maxRetries: 0,
    ...(req.tls?.rejectUnauthorized === false ? { ignoreSslError: true } : {}),
  });
  try {
    const res = await Promise.race([
      client.request(req.method, req.url.href, req.body === undefined ? null : req.body.toString(), req.headers ?? {}),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new HttpTransportError(`no response within ${req.timeoutMs / 1000}s`, 'ETIMEDOUT')),
          req.timeoutMs,
        ).unref(),
      ),
    ]);
    const body = await res.readBody();
    return {
      status: res.message.statusCode ?? 0,
      headers: flattenHeaders(res.message.headers),
      body: body.slice(0, req.maxBodyBytes ?? MAX_BODY),
    };
  } catch (err) {
    if (err instanceof HttpTransportError) throw err;
    throw transportError(err, req.timeoutMs);
  } finally {
    client.dispose();
  }
}
