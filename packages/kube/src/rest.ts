/**
 * A minimal JSON client for the Kubernetes API over node:https, for the few calls a deploy makes on its
 * happy path (read/create/patch one namespace). @kubernetes/client-node costs a quarter to half a second
 * to import, more than the rest of a no-op deploy's overhead; this keeps it off that path (it is still
 * used, lazily, for diagnostics and for kubeconfigs this client does not handle).
 *
 * Handles the credentials a kubeconfig inspected by `inspectKubeconfig` may carry inline: bearer token,
 * client certificate + key, basic auth; the cluster's CA data and insecure-skip-tls-verify. Users with
 * exec or auth-provider entries get `undefined` from `restConnection`: use client-node for them.
 * Errors carry `code` (HTTP status) and `body` (the Status JSON), like client-node's ApiException, so
 * `describeApiError` and the 404/409/403 handling work on both.
 */
import type { KubeconfigFacts } from './config.js';
import type { NamespaceApi } from './ensure-namespace.js';

export interface RestConnection {
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  /** bearer token */
  token?: string;
  basic?: { username: string; password: string };
  insecureSkipTlsVerify?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const b64 = (v: string): string => Buffer.from(v, 'base64').toString('utf8');

function entry(doc: Obj, list: string, name: string, key: string): Obj {
  const items = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
  const found = items.find((e) => isObj(e) && e['name'] === name);
  return isObj(found) && isObj(found[key]) ? (found[key] as Obj) : {};
}

/**
 * The connection of the context `facts` chose, from a parsed kubeconfig already checked by
 * inspectKubeconfig; undefined when its user authenticates through exec or an auth-provider.
 */
export function restConnection(
  doc: unknown,
  facts: Pick<KubeconfigFacts, 'cluster' | 'user' | 'server'>,
): RestConnection | undefined {
  if (!isObj(doc)) return undefined;
  const cluster = entry(doc, 'clusters', facts.cluster, 'cluster');
  const user = entry(doc, 'users', facts.user, 'user');
  if (user['exec'] || user['auth-provider']) return undefined;
  const conn: RestConnection = { server: facts.server };
  if (str(cluster['certificate-authority-data'])) conn.ca = b64(str(cluster['certificate-authority-data']));
  else if (str(cluster['certificate-authority'])) return undefined; // a CA file on this runner: leave it to client-node
  if (cluster['insecure-skip-tls-verify'] === true) conn.insecureSkipTlsVerify = true;
  if (str(user['token'])) conn.token = str(user['token']);
  else if (str(user['client-certificate-data']) && str(user['client-key-data'])) {
    conn.cert = b64(str(user['client-certificate-data']));
    conn.key = b64(str(user['client-key-data']));
  } else if (str(user['username']) && str(user['password']))
    conn.basic = { username: str(user['username']), password: str(user['password']) };
  else return undefined;
  return conn;
}

export class RestError extends Error {
  override readonly name = 'RestError';
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string, what: string) {
    super(`${what}: HTTP ${code}`);
    this.code = code;
    this.body = body;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An answer of the API server as it came: its status and its body as text (at most `maxBytes`). */
export interface RestResponse {
  status: number;
  body: string;
}

/**
 * One request, whatever the status: for paths whose answer is not the API's JSON (a service proxy).
 * Rejects only when no answer came (connection, TLS, timeout); `err.code` is the transport's code.
 */
export async function restRawRequest(
  conn: RestConnection,
  method: Method,
  path: string,
  o: { timeoutMs?: number; maxBytes?: number; accept?: string } = {},
): Promise<RestResponse> {
  const url = new URL(path, conn.server.endsWith('/') ? conn.server : `${conn.server}/`);
  const mod = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const headers: Record<string, string> = { accept: o.accept ?? '*/*', 'user-agent': 'polyglot-cd' };
  if (conn.token) headers['authorization'] = `Bearer ${conn.token}`;
  if (conn.basic)
    headers['authorization'] =
      `Basic ${Buffer.from(`${conn.basic.username}:${conn.basic.password}`).toString('base64')}`;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const maxBytes = o.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const tls = {
      ca: conn.ca,
      cert: conn.cert,
      key: conn.key,
      rejectUnauthorized: conn.insecureSkipTlsVerify !== true,
    };
    const req = mod.request(url, { method, headers, ...tls, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < maxBytes) chunks.push(c.subarray(0, maxBytes - size));
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', (err) =>
      reject(Object.assign(new Error(`${method} ${url.pathname}: ${err.message}`), { code: codeOf(err) })),
    );
    req.end();
  });
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
}

export async function restRequest(
  conn: RestConnection,
  method: Method,
  path: string,
  o: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<unknown> {
  const url = new URL(path, conn.server.endsWith('/') ? conn.server : `${conn.server}/`);
  const mod = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'polyglot-cd' };
  if (conn.token) headers['authorization'] = `Bearer ${conn.token}`;
  if (conn.basic)
    headers['authorization'] =
      `Basic ${Buffer.from(`${conn.basic.username}:${conn.basic.password}`).toString('base64')}`;
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  if (payload !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
  const timeoutMs = o.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method,
        headers,
        ca: conn.ca,
        cert: conn.cert,
        key: conn.key,
        rejectUnauthorized: conn.insecureSkipTlsVerify !== true,
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new RestError(status, data, `${method} ${url.pathname}`));
            return;
          }
          try {
            resolve(data === '' ? undefined : JSON.parse(data));
          } catch {
            reject(new Error(`${method} ${url.pathname}: the API server answered with something that is not JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url.pathname}: no answer within ${Math.round(timeoutMs / 1000)}s`)),
    );
    req.on('error', (err) => reject(new Error(`${method} ${url.pathname}: ${err.message}`)));
    req.end(payload);
  });
}

/** NamespaceApi over restRequest (same contract as clientNodeNamespaceApi). */
export function restNamespaceApi(conn: RestConnection): NamespaceApi {
  const path = (name: string) => `api/v1/namespaces/${encodeURIComponent(name)}`;
  return {
    async read(name) {
      try {
        return (await restRequest(conn, 'GET', path(name))) as Awaited<ReturnType<NamespaceApi['read']>>;
      } catch (err) {
        if (err instanceof RestError && err.code === 404) return undefined;
        throw err;
      }
    },
    async create(name, labels, annotations) {
      try {
        await restRequest(conn, 'POST', 'api/v1/namespaces', {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } },
        });
        return 'created';
      } catch (err) {
        if (err instanceof RestError && err.code === 409) return 'exists';
        throw err;
      }
    },
    async mergeAnnotations(name, annotations) {
      await restRequest(conn, 'PATCH', path(name), {
        body: { metadata: { annotations } },
        contentType: 'application/merge-patch+json',
      });
    },
  };
}
