/**
 * Keyless cluster access: the job's GitHub Actions OIDC token is the credential, and the cluster trusts
 * GitHub's issuer through the API server's structured authentication configuration (claim rules on
 * repository, environment and ref; README "Keyless cluster access"). No kubeconfig secret exists.
 *
 * GitHub's tokens live five minutes, shorter than a `helm upgrade --wait`. So neither helm nor the
 * in-process client is given a token: both get a kubeconfig whose user is an `exec` credential plugin,
 * the action's own bundle run with EXEC_CREDENTIAL_FLAG, which asks the runner's token service for a
 * fresh token and prints a client.authentication.k8s.io/v1 ExecCredential with its expiry. helm
 * (client-go) and @kubernetes/client-node run it again when the token expires. This is the only exec
 * entry polyglot-cd ever writes: a kubeconfig input with one is still refused (config.ts).
 *
 * The request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN) reaches the plugin through the environment the
 * runner gives every step; the ID token goes from the plugin's stdout to helm, never to a log or file.
 */
import { InputError, Secrets, type Env, type Inputs } from '@polyglot-cd/action-kit';
import { createHttpSender, type HttpSend } from '@polyglot-cd/tools/http';
import { IdTokenSource, OidcError } from '@polyglot-cd/tools/oidc-token';
import type { KubeAccess } from './config.js';

/** argv[2] of an action bundle run as the kubeconfig's credential plugin */
export const EXEC_CREDENTIAL_FLAG = '--polyglot-cd-exec-credential';
export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1';

/** The inputs of keyless access, shared by helm-deploy and pr-namespace-cleanup. */
export interface GithubOidcInputs {
  /** the `aud` the cluster's authentication configuration expects */
  audience: string;
  /** https://host[:port] of the API server */
  server: string;
  /** PEM of the CA that signed the API server's certificate ('' = the runner's trust store) */
  caPem: string;
}

export const AUDIENCE_INPUT = 'cluster-oidc-audience';
export const SERVER_INPUT = 'cluster-server';
export const CA_INPUT = 'cluster-ca';
const AUDIENCE_RE = /^[\x21-\x7e]{1,256}$/;
const PEM_BLOCK_RE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

/** One or more PEM certificate blocks and nothing else but whitespace. Pure. */
export function isPemCertificates(text: string): boolean {
  return (text.match(PEM_BLOCK_RE)?.length ?? 0) > 0 && text.replace(PEM_BLOCK_RE, '').trim() === '';
}

/**
 * Reads cluster-oidc-audience, cluster-server and cluster-ca. Undefined when cluster-oidc-audience is
 * empty (then cluster-server and cluster-ca must be empty too: they mean nothing with a kubeconfig).
 */
export function readGithubOidcInputs(
  inputs: Inputs,
  other: { kubeconfig: boolean; inCluster: boolean },
): GithubOidcInputs | undefined {
  const audience = inputs.matching(
    AUDIENCE_INPUT,
    AUDIENCE_RE,
    'expected the audience the cluster trusts, 1-256 printable characters without spaces (e.g. polyglot-cd)',
  );
  const server = inputs.optional(SERVER_INPUT);
  const caPem = inputs.optional(CA_INPUT).trim();
  if (audience === '') {
    if (server !== '')
      inputs.fail(
        SERVER_INPUT,
        server,
        `only used with ${AUDIENCE_INPUT} (keyless access); with a kubeconfig the server comes from the kubeconfig`,
      );
    if (caPem !== '')
      inputs.fail(
        CA_INPUT,
        '(certificate)',
        `only used with ${AUDIENCE_INPUT} (keyless access); with a kubeconfig the CA comes from the kubeconfig`,
      );
    return undefined;
  }
  if (other.kubeconfig)
    inputs.fail(AUDIENCE_INPUT, audience, 'give either kubeconfig or cluster-oidc-audience (keyless access), not both');
  if (other.inCluster)
    inputs.fail(
      AUDIENCE_INPUT,
      audience,
      'give either in-cluster: true or cluster-oidc-audience (keyless access), not both',
    );
  if (server === '')
    inputs.required(SERVER_INPUT, {
      hint: `With ${AUDIENCE_INPUT}, name the API server: cluster-server: https://k8s.example.internal:6443.`,
    });
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    url.protocol !== 'https:' ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    inputs.fail(
      SERVER_INPUT,
      server,
      'expected https://host[:port] of the API server, with no credentials, path, query or fragment (a token is never sent over plain http)',
    );
  }
  if (caPem !== '' && !isPemCertificates(caPem)) {
    inputs.fail(
      CA_INPUT,
      caPem.slice(0, 40),
      "expected PEM certificate(s) of the CA that signed the API server certificate (-----BEGIN CERTIFICATE----- …), or nothing for the runner's trust store",
    );
  }
  return { audience, server: `${url.protocol}//${url.host}`, caPem };
}

/** The kubeconfig (JSON, which is YAML) whose user runs `command args…` for a fresh token. Pure. */
export function githubOidcKubeconfigText(
  i: GithubOidcInputs,
  plugin: { command: string; args: readonly string[] },
): string {
  const cluster: Record<string, string> = { server: i.server };
  if (i.caPem !== '')
    cluster['certificate-authority-data'] = Buffer.from(i.caPem.endsWith('\n') ? i.caPem : `${i.caPem}\n`).toString(
      'base64',
    );
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'github-oidc', cluster }],
    users: [
      {
        name: 'github-oidc',
        user: {
          exec: {
            apiVersion: EXEC_API_VERSION,
            command: plugin.command,
            args: [...plugin.args],
            interactiveMode: 'Never',
            provideClusterInfo: false,
          },
        },
      },
    ],
    contexts: [{ name: 'github-oidc', context: { cluster: 'github-oidc', user: 'github-oidc' } }],
    'current-context': 'github-oidc',
  });
}

/** How an action's bundle runs itself as the credential plugin (process.argv[1] is the bundle). */
export function selfPlugin(audience: string, entry = process.argv[1] ?? ''): { command: string; args: string[] } {
  if (!entry) throw new Error("cannot name this action's bundle for the credential plugin (process.argv[1] is empty)");
  return { command: process.execPath, args: [entry, EXEC_CREDENTIAL_FLAG, audience] };
}

function oidcFailure(err: unknown): never {
  const why = err instanceof Error ? err.message : String(err);
  throw new InputError(
    `Input "${AUDIENCE_INPUT}": could not get the job's GitHub OIDC token: ${why}. Keyless cluster access needs "permissions: id-token: write" on the job (pull requests from forks get no token).`,
    AUDIENCE_INPUT,
  );
}

export interface GithubOidcAccess extends KubeAccess {
  /** for helm: the kubeconfig with the credential plugin (holds no secret) */
  kubeconfigText: string;
  /** the token's `sub`, e.g. repo:org/app:environment:production (the cluster maps its user from it) */
  subject: string;
}

/**
 * Fetches one token now (a missing id-token permission fails here, before anything is created; the
 * token is registered as a secret and its `sub` is shown), then builds the KubeConfig and the
 * kubeconfig text that use the credential plugin for every later token.
 */
export async function loadGithubOidc(
  i: GithubOidcInputs,
  opts: { env: Env; secrets: Secrets; plugin: { command: string; args: readonly string[] }; send?: HttpSend },
): Promise<GithubOidcAccess> {
  const source = new IdTokenSource({
    env: opts.env,
    send: opts.send ?? createHttpSender(opts.env),
    secrets: opts.secrets,
    now: Date.now,
    audience: i.audience,
  });
  const token = await source.get(0).catch(oidcFailure);
  const subject = typeof token.claims.sub === 'string' ? token.claims.sub : '';
  const text = githubOidcKubeconfigText(i, opts.plugin);
  const { KubeConfig, AuthenticationV1Api } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromString(text);
  // Who the cluster says this token is (SelfSubjectReview: any authenticated user may ask). A token the
  // cluster does not accept fails here, before anything is created, with what to check.
  let username = '';
  try {
    const review = await kc
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    username = review.status?.userInfo?.username ?? '';
  } catch (err) {
    const code = (err as { code?: number }).code;
    const why =
      code === 401
        ? `the API server answered 401 Unauthorized: its authentication configuration must trust the issuer ${JSON.stringify(token.claims.iss)} with audience ${JSON.stringify(i.audience)}, and the token's claims (subject ${JSON.stringify(subject)}, ref ${JSON.stringify(token.claims.ref ?? '')}) must pass its claim rules (examples/rbac/github-oidc-authentication.yaml)`
        : opts.secrets.redact(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
    throw new InputError(
      `Input "${AUDIENCE_INPUT}": the cluster at ${i.server} does not accept this job's GitHub OIDC token: ${why}`,
      AUDIENCE_INPUT,
    );
  }
  return {
    kubeConfig: kc,
    source: 'github-oidc',
    server: i.server,
    host: new URL(i.server).host,
    context: 'github-oidc',
    user: username || subject || 'GitHub OIDC',
    authMethod: 'github-oidc',
    warnings: [],
    kubeconfigText: text,
    subject,
  };
}

/**
 * The ExecCredential a kubeconfig's exec plugin prints. Its expiry is a little before the token's
 * (30 s for GitHub's five-minute tokens, a quarter of the rest for shorter ones), so that helm asks for
 * a new token before the API server would refuse the old one. Pure.
 */
export function execCredential(token: string, exp: number | undefined, nowMs: number): string {
  const status: Record<string, string> = { token };
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const margin = Math.min(30, Math.max(1, Math.floor((exp - nowMs / 1000) / 4)));
    status['expirationTimestamp'] = new Date((exp - margin) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return JSON.stringify({ apiVersion: EXEC_API_VERSION, kind: 'ExecCredential', status });
}

/**
 * The bundle's credential-plugin mode: `node index.js --polyglot-cd-exec-credential <audience>`. Prints
 * the ExecCredential on stdout (read by helm or client-node), errors on stderr without any token.
 */
export async function runExecCredential(
  argv: readonly string[],
  io: { env: Env; out: (s: string) => void; err: (s: string) => void; send?: HttpSend } = {
    env: process.env,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  const audience = argv[0] ?? '';
  if (!AUDIENCE_RE.test(audience) || argv.length !== 1) {
    io.err(`polyglot-cd credential plugin: expected one audience argument, got ${argv.length}\n`);
    return 2;
  }
  const secrets = new Secrets();
  try {
    const source = new IdTokenSource({
      env: io.env,
      send: io.send ?? createHttpSender(io.env),
      secrets,
      now: Date.now,
      audience,
    });
    const t = await source.get(0);
    io.out(`${execCredential(t.token, t.claims.exp, Date.now())}\n`);
    return 0;
  } catch (err) {
    const why = err instanceof OidcError || err instanceof Error ? err.message : String(err);
    io.err(
      `polyglot-cd credential plugin: could not get the job's GitHub OIDC token (audience ${audience}): ${secrets.redact(why)}\n`,
    );
    return 1;
  }
}
