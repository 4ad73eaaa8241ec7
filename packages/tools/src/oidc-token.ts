/**
 * The job's GitHub Actions OIDC token, requested from the runner's token service the way
 * @actions/core's getIDToken does (GET ACTIONS_ID_TOKEN_REQUEST_URL&audience=…, bearer
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN, answer `{"value": "<jwt>"}`), without loading @actions/core.
 * Fetched lazily and again when the cached one is about to expire (GitHub's tokens live 5 minutes), so
 * a long step never hands a tool an expired token. Both the request token and the ID token are
 * registered as secrets. Used by cosign-sign (audience sigstore) and by the cluster access of
 * helm-deploy and pr-namespace-cleanup (packages/kube/src/github-oidc.ts).
 */
import type { Env, Secrets } from '@polyglot-cd/action-kit';
import { HttpTransportError, type HttpSend } from './http.js';

export interface OidcClaims {
  iss: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  repository?: string;
  repository_visibility?: string;
  ref?: string;
  sha?: string;
  workflow_ref?: string;
  job_workflow_ref?: string;
  [claim: string]: unknown;
}

/** Decodes a JWT's payload without verifying it: Fulcio verifies the token; we only read claims. */
export function decodeClaims(jwt: string): OidcClaims {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1])
    throw new Error('the OIDC token is not a JWT (expected three dot-separated parts)');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new Error('the OIDC token payload is not JSON');
  }
  if (typeof claims !== 'object' || claims === null || typeof (claims as OidcClaims).iss !== 'string') {
    throw new Error('the OIDC token has no "iss" claim');
  }
  return claims as OidcClaims;
}

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
      throw new OidcError(
        `${REQUEST_URL_ENV}/${REQUEST_TOKEN_ENV} are not set: the job needs "permissions: id-token: write"`,
        false,
      );
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
    if (typeof value !== 'string' || value === '')
      throw new OidcError("the job's OIDC token service answered without a token", false);
    this.#secrets.add(value);
    try {
      return { token: value, claims: decodeClaims(value) };
    } catch (err) {
      throw new OidcError((err as Error).message, false);
    }
  }
}
