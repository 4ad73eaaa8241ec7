/**
 * A small OCI distribution client: reads manifests' digests as the registry has them.
 *
 *   import { resolveDigest, manifestDigest, checkRegistryAccess, parseImageRef } from '@polyglot-cd/tools';
 *
 *   resolveDigest('reg.example.com/team/app:1.2.3', opts)  → 'sha256:…'   (throws RegistryError)
 *   resolveDigest('reg.example.com/team/app@sha256:…', opts) → that digest, once the registry confirms
 *       it has the manifest (cosign-sign: check a digest exists before signing)
 *   manifestDigest(ref, opts)     → the digest, or undefined when the registry says 404 (tag unknown)
 *   checkRegistryAccess('reg.example.com', opts) → resolves when /v2/ accepts us (credentials checked)
 *   new RegistryClient(host, opts).fetchManifest(repo, tagOrDigest) → { digest, mediaType, body }
 *   parseImageRef(ref)            → { registry, repository, tag?, digest? }
 *
 *   opts: RegistryOptions = {
 *     auth?: { username, password } | { token },   // basic, or a bearer token used as-is
 *     caFile?: string,        // PEM with extra CAs to trust (private CA), added to Node's roots
 *     insecure?: boolean,     // no certificate check; plain http when the registry does not speak TLS
 *     retry?: RetryPolicy,    // default 5 attempts, 1 s doubling, 30 s cap (Retry-After honoured)
 *     timeoutMs?: number,     // per request, default 30 s
 *     send?, sleep?, now?, random?, log?   // injectable for tests
 *   }
 *
 * Digest: HEAD /v2/<repo>/manifests/<tag|digest> with the OCI and Docker manifest media types in
 * Accept; the `Docker-Content-Digest` header is the answer. If a registry omits it, the manifest is
 * fetched (GET) and its SHA-256 computed. A by-digest reference must come back with the same digest.
 * Auth follows the registry's 401 challenge: `Basic` → the credentials; `Bearer realm=…,service=…,
 * scope=…` → a token from the realm (credentials sent to it as basic auth), cached per scope.
 * Retries: 408/429/5xx and connection resets/timeouts/refusals, bounded, with backoff; a 401 with
 * credentials, a 403 or a 404 is never retried. Errors are RegistryError with a `kind` and never
 * contain credentials or tokens.
 */
import { createHash } from 'node:crypto';
import { parseImageRef, RegistryError } from './image-ref.js';
import { readFile } from 'node:fs/promises';
import type { Env, Logger } from '@polyglot-cd/action-kit';
import { createHttpSender, HttpTransportError, type HttpRequest, type HttpResponse, type HttpSend } from './http.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  parseRetryAfter,
  retryableStatus,
  retryableTransport,
  type RetryPolicy,
} from './retry.js';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

export type RegistryCredentials = { username: string; password: string } | { token: string };

export interface RegistryOptions {
  auth?: RegistryCredentials;
  caFile?: string;
  /** PEM text instead of a file */
  ca?: string;
  insecure?: boolean;
  retry?: RetryPolicy;
  timeoutMs?: number;
  send?: HttpSend;
  env?: Env;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  log?: Pick<Logger, 'info' | 'debug'>;
}

export { parseImageRef, RegistryError, type ImageRef, type RegistryErrorKind } from './image-ref.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses one WWW-Authenticate challenge: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2] ?? '')) !== null)
    params[(p[1] as string).toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: (m[1] as string).toLowerCase() as 'basic' | 'bearer', params };
}

const hostForUrl = (registry: string): string => (registry === 'docker.io' ? 'registry-1.docker.io' : registry);

/** One registry connection: scheme, TLS and auth state are remembered across requests. */
export class RegistryClient {
  readonly registry: string;
  readonly #opts: RegistryOptions;
  readonly #send: HttpSend;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  #scheme: 'https' | 'http' = 'https';
  #ca: string | undefined;
  #caLoaded = false;
  /** Authorization header per scope ('' = registry-wide) */
  readonly #authHeaders = new Map<string, string>();

  constructor(registry: string, opts: RegistryOptions = {}) {
    this.registry = registry;
    this.#opts = opts;
    this.#send = opts.send ?? createHttpSender(opts.env ?? process.env);
    this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#now = opts.now ?? Date.now;
    this.#retry = opts.retry ?? DEFAULT_RETRY;
    this.#ca = opts.ca;
  }

  async #tls(): Promise<HttpRequest['tls']> {
    if (!this.#caLoaded) {
      this.#caLoaded = true;
      if (this.#opts.caFile) {
        try {
          this.#ca = await readFile(this.#opts.caFile, 'utf8');
        } catch (e) {
          throw new RegistryError(`cannot read the CA file ${this.#opts.caFile}: ${(e as Error).message}`, 'tls');
        }
      }
    }
    if (this.#opts.insecure) return { rejectUnauthorized: false };
    return this.#ca !== undefined ? { ca: this.#ca } : undefined;
  }

  /** GET /v2/: resolves when the registry accepts us (after any auth challenge). */
  async ping(): Promise<void> {
    const res = await this.#request('GET', '/v2/', '', {});
    if (res.status !== 200) throw this.#statusError(res, 'GET /v2/');
  }

  /** HEAD (then GET if needed) a manifest: the digest, or undefined on 404. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const scope = `repository:${repository}:pull`;
    const path = `/v2/${repository}/manifests/${reference}`;
    const accept = { accept: MANIFEST_MEDIA_TYPES.join(', ') };
    let res = await this.#request('HEAD', path, scope, accept);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.#statusError(res, `HEAD manifest ${repository}:${reference}`);
    let digest = res.headers['docker-content-digest'];
    if (!digest) {
      res = await this.#request('GET', path, scope, accept);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw this.#statusError(res, `GET manifest ${repository}:${reference}`);
      digest =
        res.headers['docker-content-digest'] ?? `sha256:${createHash('sha256').update(res.body, 'utf8').digest('hex')}`;
    }
    if (!DIGEST.test(digest))
      throw new RegistryError(
        `${this.registry} answered an unexpected digest ${JSON.stringify(digest.slice(0, 100))}`,
        'protocol',
        res.status,
      );
    if (DIGEST.test(reference) && digest !== reference) {
      throw new RegistryError(
        `${this.registry} returned ${digest} for ${repository}@${reference}`,
        'protocol',
        res.status,
      );
    }
    return digest;
  }

  /** GET a manifest: its digest, media type and JSON text (manifests are small: at most 4 MB by spec). */
  async fetchManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; mediaType: string; body: string }> {
    const res = await this.#request(
      'GET',
      `/v2/${repository}/manifests/${reference}`,
      `repository:${repository}:pull`,
      { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    );
    if (res.status !== 200) throw this.#statusError(res, `GET manifest ${repository}:${reference}`);
    const digest =
      res.headers['docker-content-digest'] ?? `sha256:${createHash('sha256').update(res.body, 'utf8').digest('hex')}`;
    return { digest, mediaType: res.headers['content-type'] ?? '', body: res.body };
  }

  #statusError(res: HttpResponse, what: string): RegistryError {
    const detail = registryErrorDetail(res.body);
    const base = `${what} on ${this.registry}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`;
    if (res.status === 401) {
      return new RegistryError(
        `${base}: the registry refused the credentials${this.#opts.auth ? '' : ' (none were given)'}`,
        'unauthorized',
        401,
      );
    }
    if (res.status === 403) return new RegistryError(`${base}: access denied`, 'denied', 403);
    if (res.status === 404) return new RegistryError(`${base}: not found`, 'not-found', 404);
    if (res.status >= 500 || res.status === 429 || res.status === 408)
      return new RegistryError(base, 'server', res.status);
    return new RegistryError(base, 'protocol', res.status);
  }

  /** One logical request: retries, scheme fallback for insecure registries, auth challenge. */
  async #request(
    method: 'GET' | 'HEAD',
    path: string,
    scope: string,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.#sendOnce(method, path, { ...headers, ...this.#authHeaderFor(scope) });
      } catch (err) {
        if (err instanceof RegistryError) throw err;
        const code = err instanceof HttpTransportError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
        const message = (err as Error).message;
        if (isTlsError(code, message)) {
          throw new RegistryError(
            `TLS with ${this.registry} failed: ${message}. For a private CA pass its PEM file (ca-file); for a registry without valid TLS list it as insecure.`,
            'tls',
            0,
            attempt,
          );
        }
        if (retryableTransport(code) && attempt < this.#retry.attempts) {
          await this.#wait(attempt, undefined, `${method} ${path}: ${message}`);
          continue;
        }
        throw new RegistryError(
          `${this.registry} is unreachable: ${message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`,
          'unreachable',
          0,
          attempt,
        );
      }
      if (res.status === 401 && !authRetried) {
        authRetried = true;
        const challenge = parseChallenge(res.headers['www-authenticate']);
        if (challenge && (await this.#authenticate(challenge, scope))) {
          attempt--; // the challenge round-trip is not a failed attempt
          continue;
        }
      }
      if (retryableStatus(res.status) && attempt < this.#retry.attempts) {
        await this.#wait(
          attempt,
          parseRetryAfter(res.headers['retry-after'], this.#now()),
          `${method} ${path}: HTTP ${res.status}`,
        );
        continue;
      }
      if (retryableStatus(res.status)) {
        const e = this.#statusError(res, `${method} ${path}`);
        throw new RegistryError(`${e.message} (after ${attempt} attempts)`, e.kind, res.status, attempt);
      }
      return res;
    }
  }

  async #wait(attempt: number, retryAfterMs: number | undefined, why: string): Promise<void> {
    const ms = backoffDelay(attempt, this.#retry, retryAfterMs, this.#opts.random);
    this.#opts.log?.info(
      `${this.registry}: ${why}; retrying in ${(ms / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${this.#retry.attempts})`,
    );
    await this.#sleep(ms);
  }

  #authHeaderFor(scope: string): Record<string, string> {
    const h = this.#authHeaders.get(scope) ?? this.#authHeaders.get('');
    return h ? { authorization: h } : {};
  }

  async #sendOnce(method: 'GET' | 'HEAD', path: string, headers: Record<string, string>): Promise<HttpResponse> {
    const timeoutMs = this.#opts.timeoutMs ?? 30_000;
    const tls = await this.#tls();
    const url = new URL(`${this.#scheme}://${hostForUrl(this.registry)}${path}`);
    try {
      return await this.#send({ method, url, headers, timeoutMs, ...(tls && this.#scheme === 'https' ? { tls } : {}) });
    } catch (err) {
      // an insecure registry that speaks plain HTTP: containers/image falls back the same way
      const code = err instanceof HttpTransportError ? err.code : '';
      if (
        this.#opts.insecure &&
        this.#scheme === 'https' &&
        (isTlsError(code, (err as Error).message) || code === 'ECONNRESET')
      ) {
        this.#scheme = 'http';
        this.#opts.log?.debug(`${this.registry}: no TLS, using plain http (insecure registry)`);
        return this.#send({ method, url: new URL(`http://${hostForUrl(this.registry)}${path}`), headers, timeoutMs });
      }
      throw err;
    }
  }

  /** Answers a challenge; false when there is nothing to answer it with. */
  async #authenticate(challenge: Challenge, scope: string): Promise<boolean> {
    const auth = this.#opts.auth;
    if (challenge.scheme === 'basic') {
      if (!auth) return false;
      const header = 'token' in auth ? `Bearer ${auth.token}` : basicHeader(auth);
      this.#authHeaders.set('', header);
      return true;
    }
    if (auth && 'token' in auth) {
      this.#authHeaders.set(scope, `Bearer ${auth.token}`);
      return true;
    }
    const url = this.#tokenUrl(challenge, scope);
    const headers: Record<string, string> = {};
    if (auth) headers['authorization'] = basicHeader(auth);
    const res = await this.#requestToken(url, headers);
    this.#authHeaders.set(scope, `Bearer ${this.#tokenFrom(res, url, auth !== undefined)}`);
    return true;
  }

  /** The token service's URL from a Bearer challenge: its realm (https, or http for an insecure registry), service and scope. */
  #tokenUrl(challenge: Challenge, scope: string): URL {
    const realm = challenge.params['realm'];
    let url: URL;
    try {
      url = new URL(realm ?? '');
    } catch {
      throw new RegistryError(`${this.registry} sent a Bearer challenge without a valid realm URL`, 'protocol', 401);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#opts.insecure)) {
      throw new RegistryError(
        `${this.registry} asks for credentials at a non-https token realm (${url.host}); list the registry as insecure to allow it`,
        'protocol',
        401,
      );
    }
    if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
    const wanted = challenge.params['scope'] ?? scope;
    if (wanted) url.searchParams.set('scope', wanted);
    return url;
  }

  /** GETs a token, retrying transport errors and retryable statuses; the last answer, whatever its status. */
  async #requestToken(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const tls = await this.#tls();
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.#send({
          method: 'GET',
          url,
          headers,
          timeoutMs: this.#opts.timeoutMs ?? 30_000,
          ...(tls && url.protocol === 'https:' ? { tls } : {}),
        });
      } catch (err) {
        const code = err instanceof HttpTransportError ? err.code : '';
        if (retryableTransport(code) && attempt < this.#retry.attempts) {
          await this.#wait(attempt, undefined, `token request to ${url.host}: ${(err as Error).message}`);
          continue;
        }
        throw new RegistryError(
          `the token service ${url.host} of ${this.registry} is unreachable: ${(err as Error).message}`,
          'unreachable',
          0,
          attempt,
        );
      }
      if (retryableStatus(res.status) && attempt < this.#retry.attempts) {
        await this.#wait(
          attempt,
          parseRetryAfter(res.headers['retry-after'], this.#now()),
          `token request to ${url.host}: HTTP ${res.status}`,
        );
        continue;
      }
      return res;
    }
  }

  /** The token in the token service's answer; a RegistryError for a refusal, another status or no token. */
  #tokenFrom(res: HttpResponse, url: URL, hadCredentials: boolean): string {
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(
        `the token service ${url.host} of ${this.registry} refused the credentials (HTTP ${res.status})${hadCredentials ? '' : ' (none were given)'}`,
        res.status === 401 ? 'unauthorized' : 'denied',
        res.status,
      );
    }
    if (res.status !== 200)
      throw new RegistryError(
        `the token service ${url.host} of ${this.registry} answered HTTP ${res.status}`,
        'server',
        res.status,
      );
    let token: unknown;
    try {
      const body = JSON.parse(res.body) as { token?: unknown; access_token?: unknown };
      token = body.token ?? body.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError(
        `the token service ${url.host} of ${this.registry} answered without a token`,
        'protocol',
        res.status,
      );
    }
    return token;
  }
}

/** `Basic base64(username:password)` */
function basicHeader(auth: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** The registry's own error text (`{"errors":[{"code","message"}]}`), short and single-line. */
export function registryErrorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    const first = parsed.errors?.[0];
    if (!first) return '';
    return [first.code, first.message].filter(Boolean).join(': ').replace(/\s+/g, ' ').slice(0, 200);
  } catch {
    return '';
  }
}

function isTlsError(code: string, message: string): boolean {
  return (
    /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_SSL_WRONG_VERSION_NUMBER)/.test(
      code,
    ) ||
    /self[- ]signed certificate|unable to verify the first certificate|wrong version number|certificate has expired|Hostname\/IP does not match/i.test(
      message,
    )
  );
}

/** The digest of a manifest as the registry has it; a by-digest ref is confirmed to exist. */
export async function resolveDigest(ref: string, opts: RegistryOptions = {}): Promise<string> {
  const r = parseImageRef(ref);
  const reference = r.digest ?? r.tag ?? 'latest';
  const digest = await new RegistryClient(r.registry, opts).manifestDigest(r.repository, reference);
  if (digest === undefined) {
    throw new RegistryError(
      `${r.registry}/${r.repository}${r.digest ? '@' : ':'}${reference} was not found in the registry`,
      'not-found',
      404,
    );
  }
  return digest;
}

/** The digest, or undefined when the registry answers 404 (the tag or digest does not exist). */
export async function manifestDigest(ref: string, opts: RegistryOptions = {}): Promise<string | undefined> {
  const r = parseImageRef(ref);
  return new RegistryClient(r.registry, opts).manifestDigest(r.repository, r.digest ?? r.tag ?? 'latest');
}

/** GET /v2/ with the credentials: the fastest check that a registry is there and accepts us. */
export async function checkRegistryAccess(registry: string, opts: RegistryOptions = {}): Promise<void> {
  await new RegistryClient(registry, opts).ping();
}
