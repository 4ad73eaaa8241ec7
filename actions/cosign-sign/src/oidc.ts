/**
 * The job's OIDC token (audience `sigstore`), requested from the runner's token service the way
 * @actions/core's getIDToken does (GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=…, bearer
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN, answer `{"value": "<jwt>"}`), without loading @actions/core.
 * Fetched lazily and again when the cached one is about to expire, so a long retry loop never hands
 * cosign an expired token. Both the request token and the ID token are registered as secrets.
 */
import type { Env, Secrets } from '@polyglot-cd/action-kit';
import { HttpTransportError, type HttpSend } from '@polyglot-cd/tools/http';
import { decodeClaims, type OidcClaims } from './identity.js';

export const REQUEST_URL_ENV = 'ACTIONS_ID_TOKEN_REQUEST_URL';
export const REQUEST_TOKEN_ENV = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN';

export class OidcError extends Error {
  override readonly name = 'OidcError';
  /** worth retrying (5xx, 429, network) */
  readonly transient: boolean;
  constructor(message: string, transient: boolean) {
    super(message);
    this.transient = transient;
  }
}

export interface IdToken {
  token: string;
  claims: OidcClaims;
}

export class IdTokenSource {
  readonly #env: Env;
  readonly #send: HttpSend;
  readonly #secrets: Secrets;
  readonly #now: () => number;
  readonly #audience: string;
  #cached: IdToken | undefined;

  constructor(opts: { env: Env; send: HttpSend; secrets: Secrets; now: () => number; audience?: string }) {
    this.#env = opts.env;
    this.#send = opts.send;
    this.#secrets = opts.secrets;
    this.#now = opts.now;
    this.#audience = opts.audience ?? 'sigstore';
  }

  /** A token valid for at least `minValidityMs` more (fetches a new one if needed). */
  async get(minValidityMs = 60_000, timeoutMs = 30_000): Promise<IdToken> {
    const c = this.#cached;
    if (c && (c.claims.exp === undefined || c.claims.exp * 1000 - this.#now() > minValidityMs)) return c;
    this.#cached = await this.#fetch(timeoutMs);
    return this.#cached;
  }

  async #fetch(timeoutMs: number): Promise<IdToken> {
    const base = this.#env[REQUEST_URL_ENV] ?? '';
    const bearer = this.#env[REQUEST_TOKEN_ENV] ?? '';
    if (!base || !bearer) {
      throw new OidcError(`${REQUEST_URL_ENV}/${REQUEST_TOKEN_ENV} are not set: the job needs "permissions: id-token: write"`, false);
    }
    this.#secrets.add(bearer);
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new OidcError(`${REQUEST_URL_ENV} is not a URL`, false);
    }
    url.searchParams.set('audience', this.#audience);
    let status = 0;
    let body = '';
    try {
      const res = await this.#send({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
        timeoutMs,
      });
      status = res.status;
      body = res.body;
    } catch (err) {
      const msg = err instanceof HttpTransportError ? err.message : (err as Error).message;
      throw new OidcError(`could not reach the job's OIDC token service: ${msg}`, true);
    }
    if (status !== 200) {
      throw new OidcError(
        `the job's OIDC token service answered HTTP ${status}${body ? `: ${this.#secrets.redact(body.trim().slice(0, 200))}` : ''}`,
        status === 429 || status >= 500,
      );
    }
    let value: unknown;
    try {
      value = (JSON.parse(body) as { value?: unknown }).value;
    } catch {
      throw new OidcError("the job's OIDC token service answered with something that is not JSON", false);
    }
    if (typeof value !== 'string' || value === '') throw new OidcError("the job's OIDC token service answered without a token", false);
    this.#secrets.add(value);
    try {
      return { token: value, claims: decodeClaims(value) };
    } catch (err) {
      throw new OidcError((err as Error).message, false);
    }
  }
}
