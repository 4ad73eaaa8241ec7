/**
 * A tiny OpenID Connect issuer on https://127.0.0.1:<port> that mints ID tokens shaped like GitHub
 * Actions' (https://token.actions.githubusercontent.com): the same claims, RS256, a JWKS. Fulcio
 * (test/sigstore/fulcio.ts) trusts it as a "github-workflow" issuer, so a certificate it issues
 * carries the same identity (https://github.com/<job_workflow_ref>) and extensions as a real
 * GitHub-issued one.
 *
 *   GET /.well-known/openid-configuration   discovery (issuer, jwks_uri, RS256)
 *   GET /.well-known/jwks                   the signing key
 *   GET /_apis/token?audience=A             the runner's token service (ACTIONS_ID_TOKEN_REQUEST_URL):
 *                                           `Authorization: Bearer <request token>` → {"count":1,"value":"<jwt>"}
 *
 * TLS is from a throwaway CA (openssl, as the test registries'); `caFile` is what a client must trust.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCertificates } from '../registry/registry.js';

/** The claims GitHub Actions puts in a job's OIDC token (docs.github.com, "About security hardening with OpenID Connect"). */
export interface ActionsClaims {
  sub: string;
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
  repository_visibility: string;
  ref: string;
  ref_type: string;
  sha: string;
  event_name: string;
  workflow: string;
  workflow_ref: string;
  workflow_sha: string;
  job_workflow_ref: string;
  job_workflow_sha: string;
  run_id: string;
  run_number: string;
  run_attempt: string;
  runner_environment: string;
  actor: string;
  actor_id: string;
  [claim: string]: unknown;
}

/** A workflow run of example-org/shop on main, the repository the action tests sign for. */
export function defaultClaims(overrides: Partial<ActionsClaims> = {}): ActionsClaims {
  const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  return {
    sub: 'repo:example-org/shop:ref:refs/heads/main',
    repository: 'example-org/shop',
    repository_id: '123456789',
    repository_owner: 'example-org',
    repository_owner_id: '987654',
    repository_visibility: 'public',
    ref: 'refs/heads/main',
    ref_type: 'branch',
    sha,
    event_name: 'push',
    workflow: 'Deploy',
    workflow_ref: 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
    workflow_sha: sha,
    job_workflow_ref: 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
    job_workflow_sha: sha,
    run_id: '987654321',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: 'octocat',
    actor_id: '583231',
    ...overrides,
  };
}

export interface OidcIssuer {
  /** `https://127.0.0.1:<port>`: the `iss` of every token, and the URL Fulcio discovers it at */
  url: string;
  /** PEM of the CA that signed the server certificate */
  caFile: string;
  caPem: string;
  /** what ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN must be for the action */
  requestUrl: string;
  requestToken: string;
  /** claims for the next tokens (mutable) */
  claims: ActionsClaims;
  /** a signed token for `audience` (default sigstore), valid `ttlSeconds` (default 300) */
  token(audience?: string, ttlSeconds?: number): string;
  /** every request path, in order */
  requests: string[];
  close(): Promise<void>;
}

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

export async function startOidcIssuer(dir: string, claims: ActionsClaims = defaultClaims()): Promise<OidcIssuer> {
  const certs = await createCertificates(dir);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' };
  const requestToken = `request-${randomBytes(12).toString('hex')}`;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const state = { url: '', claims };

  const mint = (key: KeyObject, audience: string, ttl: number): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const payload = {
      ...state.claims,
      iss: state.url,
      aud: audience,
      iat: now,
      nbf: now - 5,
      exp: now + ttl,
      jti: randomUUID(),
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
  };
  const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));

  const server: Server = createServer(
    { cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) },
    (req, res) => {
      const u = new URL(req.url ?? '/', state.url);
      requests.push(u.pathname + u.search);
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: state.url,
          jwks_uri: `${state.url}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'job_workflow_ref'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
        });
      }
      if (u.pathname === '/.well-known/jwks') return json(200, { keys: [jwk] });
      if (u.pathname === '/_apis/token') {
        if (req.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: 'bad request token' });
        return json(200, { count: 1, value: mint(key, u.searchParams.get('audience') ?? state.url, 300) });
      }
      return json(404, { message: 'not found' });
    },
  );
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: state.url,
    caFile: certs.caFile,
    caPem: readFileSync(certs.caFile, 'utf8'),
    requestUrl: `${state.url}/_apis/token?api-version=2.0`,
    requestToken,
    get claims() {
      return state.claims;
    },
    set claims(c: ActionsClaims) {
      state.claims = c;
    },
    token: (audience = 'sigstore', ttl = 300) => mint(key, audience, ttl),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
