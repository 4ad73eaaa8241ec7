/**
 * GitHub Actions OIDC tokens for the test cluster (keyless cluster access). The cluster trusts the
 * local issuer controlplane.ts starts (oidc-issuer.ts) through examples/rbac/github-oidc-authentication.yaml;
 * tokens are signed here with that issuer's key, with the claims GitHub puts in a job's token
 * (test/sigstore/oidc-issuer.ts's defaultClaims), and handed to actions the way the runner does: a
 * token service at ACTIONS_ID_TOKEN_REQUEST_URL answering `{"value": "<jwt>"}` to the bearer
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN.
 */
import { createPrivateKey, randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerSecret } from '../helpers/canary.js';
import { defaultClaims, type ActionsClaims } from '../sigstore/oidc-issuer.js';
import { stackInfo } from './harness.js';

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

/** Claims of a job of example-org/shop in the GitHub environment `environment`, on `ref`. */
export function environmentClaims(environment: string, overrides: Partial<ActionsClaims> = {}): ActionsClaims {
  return defaultClaims({ sub: `repo:example-org/shop:environment:${environment}`, environment, ...overrides });
}

/** A token signed by the cluster's trusted GitHub issuer (audience default: the one the cluster accepts). */
export function mintGithubToken(
  claims: ActionsClaims,
  opts: { audience?: string; ttlSeconds?: number; issuer?: string } = {},
): string {
  const o = stackInfo().githubOidc;
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: o.kid };
  const payload = {
    ...claims,
    iss: opts.issuer ?? o.issuer,
    aud: opts.audience ?? o.audience,
    iat: now,
    nbf: now - 5,
    exp: now + (opts.ttlSeconds ?? 300),
    jti: randomUUID(),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), createPrivateKey(readFileSync(o.keyFile))))}`;
}

export interface TokenService {
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN for the action's environment */
  env: Record<string, string>;
  /** what the next tokens carry (mutable) */
  claims: ActionsClaims;
  ttlSeconds: number;
  /** every token handed out, and the audience asked for, in order */
  issued: { audience: string; token: string }[];
  close(): Promise<void>;
}

/** The runner's token service, on plain http://127.0.0.1 (as @actions/core, any URL the runner gives). */
export async function startTokenService(claims: ActionsClaims, ttlSeconds = 300): Promise<TokenService> {
  const bearer = registerSecret('ACTIONS_ID_TOKEN_REQUEST_TOKEN', `request-${randomBytes(16).toString('hex')}`);
  const state: TokenService = { env: {}, claims, ttlSeconds, issued: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/_apis/token' || req.headers.authorization !== `Bearer ${bearer}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad request token"}');
      return;
    }
    const audience = u.searchParams.get('audience') ?? '';
    const token = registerSecret(
      'GitHub OIDC token',
      mintGithubToken(state.claims, { audience, ttlSeconds: state.ttlSeconds }),
    );
    state.issued.push({ audience, token });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: token }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  state.env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer,
  };
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}
