/**
 * Cluster access, loaded explicitly and nothing else:
 * - a kubeconfig given as an input's content (`loadKubeconfig`): inspected first (pure,
 *   `inspectKubeconfig`), its credentials registered as secrets, then loaded;
 * - or the in-cluster service account of a runner pod (`loadInCluster`).
 * Never `loadFromDefault()`, `~/.kube/config`, `$KUBECONFIG` or an unauthenticated
 * `http://localhost:8080` fallback.
 *
 * Tools that need a file (helm) get one from `writeKubeconfigFile`: 0600, written atomically in a
 * fresh 0700 directory under RUNNER_TEMP, its path saved to the step's state with
 * `rememberKubeconfig` so the action's `post:` step (`cleanupKubeconfig`) removes it even when the
 * main step failed.
 *
 * `@kubernetes/client-node` and `yaml` are imported lazily inside the functions that need them:
 * importing this module costs nothing at an action's start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkYamlExpansion, InputError, MAX_YAML_NODES, type Env, type Secrets } from '@polyglot-cd/action-kit';
import type { KubeConfig } from '@kubernetes/client-node';

export type AuthMethod =
  'token' | 'client-certificate' | 'basic' | 'exec' | 'auth-provider' | 'service-account' | 'github-oidc';

/** What was loaded, for logs and the summary (nothing secret in here except the KubeConfig itself). */
export interface KubeAccess {
  kubeConfig: KubeConfig;
  source: 'kubeconfig' | 'in-cluster' | 'github-oidc';
  /** https://host:port of the API server */
  server: string;
  /** host[:port], to show in summaries */
  host: string;
  context: string;
  user: string;
  authMethod: AuthMethod;
  warnings: string[];
}

export interface KubeconfigPolicy {
  /** allow users with `exec` or `auth-provider` entries (they run code or call out on this runner) */
  allowExecAuth: boolean;
  /** use this context instead of current-context */
  context?: string;
  /** the input the content came from, for error messages (default `kubeconfig`) */
  inputName?: string;
}

export interface KubeconfigFacts {
  context: string;
  cluster: string;
  user: string;
  server: string;
  host: string;
  authMethod: AuthMethod;
  /** every credential value in the file (raw and decoded), to register as secrets */
  secretValues: string[];
  warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function named(list: unknown, key: string, input: string): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new InputError(`Input "${input}": "${key}" must be a list`, input);
  list.forEach((entry, i) => {
    const name = isObj(entry) ? str(entry['name']) : '';
    if (name === '') throw new InputError(`Input "${input}": ${key}[${i}] has no name`, input);
    out.set(name, entry as Obj);
  });
  return out;
}

function decodeBase64(v: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(v)) return undefined;
  const text = Buffer.from(v, 'base64').toString('utf8');
  return text.trim() === '' ? undefined : text;
}

/**
 * Keys of a kubeconfig user that make a client read a file or run a program, in every spelling the
 * clients we hand the kubeconfig to accept: client-go (helm) decodes `tokenFile`, `client-certificate`,
 * `client-key`, `exec`, `auth-provider` (case-sensitively, but a spelling it ignores today could be
 * honoured by another decoder), @kubernetes/client-node reads `token-file`. Compared without case,
 * '-' or '_', so `token-file`, `tokenFile`, `TokenFile` and `token_file` are all refused.
 */
const USER_KEYS_REFUSED = new Map<string, 'file' | 'program'>([
  ['tokenfile', 'file'],
  ['clientcertificate', 'file'],
  ['clientkey', 'file'],
  ['exec', 'program'],
  ['authprovider', 'program'],
]);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

type Fail = (why: string) => never;

/** Checks every user (refused file and program entries) and returns each credential value in it. */
function userSecrets(users: Map<string, Obj>, policy: KubeconfigPolicy, fail: Fail): string[] {
  const secretValues: string[] = [];
  for (const [name, u] of users) {
    const user = isObj(u['user']) ? u['user'] : {};
    refuseUserKeys(name, user, policy, fail);
    for (const key of ['token', 'password']) if (str(user[key])) secretValues.push(str(user[key]));
    for (const key of ['client-key-data', 'client-certificate-data']) {
      const v = str(user[key]);
      if (!v) continue;
      secretValues.push(v);
      const decoded = decodeBase64(v);
      if (decoded) secretValues.push(decoded);
    }
    const ap =
      isObj(user['auth-provider']) && isObj(user['auth-provider']['config']) ? user['auth-provider']['config'] : {};
    for (const key of ['access-token', 'id-token', 'refresh-token', 'client-secret'])
      if (str(ap[key])) secretValues.push(str(ap[key]));
  }
  return secretValues;
}

/** Refuses a user's file references, and its programs unless `allowExecAuth`. */
function refuseUserKeys(name: string, user: Obj, policy: KubeconfigPolicy, fail: Fail): void {
  for (const key of Object.keys(user)) {
    const kind = USER_KEYS_REFUSED.get(normalizeKey(key));
    if (kind === undefined || user[key] === undefined || user[key] === null) continue;
    if (kind === 'program' && !policy.allowExecAuth) {
      fail(
        `user "${name}" has ${key === 'exec' || normalizeKey(key) === 'exec' ? 'an exec credential plugin, which runs a program on this runner' : `an ${key} entry`}; refused (set allow-exec-auth: true to allow it)`,
      );
    }
    if (kind === 'file') {
      fail(
        `user "${name}" references a file (${key}); embed the credential instead (token, client-certificate-data, client-key-data)`,
      );
    }
  }
}

/** `policy.context`, else `current-context`, else the only context. */
function contextNameOf(doc: Obj, contexts: Map<string, Obj>, policy: KubeconfigPolicy, fail: Fail): string {
  const contextName = policy.context ?? str(doc['current-context']);
  if (contextName !== '') return contextName;
  if (contexts.size === 1) return [...contexts.keys()][0] as string;
  return fail(
    `no current-context is set and there are ${contexts.size} contexts (${[...contexts.keys()].join(', ') || 'none'})`,
  );
}

/** Refuses a cluster that names its CA by file (any spelling of certificate-authority). */
function refuseCaFiles(clusters: Map<string, Obj>, fail: Fail): void {
  for (const [cname, c] of clusters) {
    const body = isObj(c['cluster']) ? c['cluster'] : {};
    for (const key of Object.keys(body)) {
      if (normalizeKey(key) === 'certificateauthority' && body[key] !== undefined && body[key] !== null) {
        fail(`cluster "${cname}" references a file (${key}); embed the CA instead (certificate-authority-data)`);
      }
    }
  }
}

/** The cluster's server without trailing slashes, and its URL: https, or plain http to a loopback address. */
function serverOf(cluster: Obj, clusterName: string, fail: Fail): { server: string; url: URL } {
  const server = str(cluster['server']).replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return fail(`cluster "${clusterName}" has no valid server URL (expected https://host[:port])`);
  }
  if (url.username || url.password) fail(`cluster "${clusterName}": the server URL must not contain credentials`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    fail(`cluster "${clusterName}" uses plain http (${url.host}); credentials would travel unencrypted. Use https`);
  }
  return { server, url };
}

/** How the user authenticates, from the first credential it carries; undefined when it carries none. */
function authMethodOf(user: Obj): AuthMethod | undefined {
  if (str(user['token'])) return 'token';
  if (str(user['client-certificate-data']) && str(user['client-key-data'])) return 'client-certificate';
  if (str(user['username']) && str(user['password'])) return 'basic';
  if (isObj(user['exec'])) return 'exec';
  if (isObj(user['auth-provider'])) return 'auth-provider';
  return undefined;
}

/** The `context`, `cluster` or `user` body of a named entry ({} when it has none). */
function bodyOf(entry: Obj | undefined, key: string): Obj {
  const body = entry?.[key];
  return isObj(body) ? body : {};
}

/**
 * Validates a parsed kubeconfig (pure) and says which context, cluster, user and server it will
 * use. Throws an InputError that never quotes a credential.
 * - the context is `policy.context`, else `current-context`, else the only context;
 * - `exec` / `auth-provider` users are refused (anywhere in the file) unless allowExecAuth;
 * - `token-file`, `client-certificate` and `client-key` file references are refused: a kubeconfig
 *   from an input must embed its credentials (a file reference would send a file of this runner to
 *   the server named in the input);
 * - the user must carry credentials: no unauthenticated connection;
 * - the server must be https (plain http only to a loopback address).
 */
export function inspectKubeconfig(doc: unknown, policy: KubeconfigPolicy): KubeconfigFacts {
  const input = policy.inputName ?? 'kubeconfig';
  const fail: Fail = (why) => {
    throw new InputError(`Input "${input}": ${why}`, input);
  };
  if (!isObj(doc)) return fail('expected a kubeconfig (YAML with clusters, users and contexts)');
  const kind = str(doc['kind']);
  if (kind !== '' && kind !== 'Config') fail(`expected kind: Config, got kind: ${JSON.stringify(kind.slice(0, 40))}`);
  const clusters = named(doc['clusters'], 'clusters', input);
  const users = named(doc['users'], 'users', input);
  const contexts = named(doc['contexts'], 'contexts', input);

  // credentials anywhere in the file are secrets, whichever context is used
  const secretValues = userSecrets(users, policy, fail);

  const contextName = contextNameOf(doc, contexts, policy, fail);
  const ctxEntry = contexts.get(contextName);
  if (!ctxEntry) fail(`context "${contextName}" does not exist (have: ${[...contexts.keys()].join(', ') || 'none'})`);
  const ctx = bodyOf(ctxEntry, 'context');
  const clusterName = str(ctx['cluster']);
  const userName = str(ctx['user']);
  const clusterEntry = clusters.get(clusterName);
  if (!clusterEntry) fail(`context "${contextName}" names cluster "${clusterName}", which does not exist`);
  const cluster = bodyOf(clusterEntry, 'cluster');
  refuseCaFiles(clusters, fail);
  const userEntry = users.get(userName);
  if (!userEntry) {
    fail(
      `context "${contextName}" names user "${userName}", which does not exist; refusing an unauthenticated connection`,
    );
  }
  const user = bodyOf(userEntry, 'user');

  const { server, url } = serverOf(cluster, clusterName, fail);
  const warnings: string[] = [];
  if (cluster['insecure-skip-tls-verify'] === true) {
    warnings.push(
      `cluster "${clusterName}" sets insecure-skip-tls-verify: the API server's certificate is not checked`,
    );
  }

  const authMethod = authMethodOf(user);
  if (!authMethod) {
    fail(
      `user "${userName}" has no credentials (token, client certificate + key, or username + password); refusing an unauthenticated connection`,
    );
  }
  return {
    context: contextName,
    cluster: clusterName,
    user: userName,
    server,
    host: url.host,
    authMethod: authMethod as AuthMethod,
    secretValues,
    warnings,
  };
}

/**
 * How kubeconfig text is parsed: the YAML 1.2 core schema plus `<<` merge keys, which client-go and
 * @kubernetes/client-node both honour (the inspection must see the merged entries); the parser's own
 * alias guard bounded like `checkYamlExpansion`, which then counts the result exactly; warnings not
 * printed (the text may hold credentials).
 */
const KUBECONFIG_YAML_OPTIONS = {
  version: '1.2',
  merge: true,
  maxAliasCount: MAX_YAML_NODES,
  logLevel: 'error',
} as const;

/** Parses kubeconfig text; a YAML error names the line only (the text may hold credentials). */
export async function parseKubeconfigText(text: string, inputName = 'kubeconfig'): Promise<unknown> {
  const { parse, YAMLError } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text, KUBECONFIG_YAML_OPTIONS);
  } catch (err) {
    if (!(err instanceof YAMLError) && /alias count/i.test((err as Error).message)) {
      // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
      throw new InputError(
        `Input "${inputName}" expands to more than ${MAX_YAML_NODES} YAML values through its aliases (*name): refused before anything uses it (an alias bomb)`,
        inputName,
      );
    }
    const line = err instanceof YAMLError ? err.linePos?.[0]?.line : undefined;
    throw new InputError(
      `Input "${inputName}" is not valid YAML${typeof line === 'number' ? ` (line ${line})` : ''}; pass the whole kubeconfig file's content`,
      inputName,
    );
  }
  checkYamlExpansion(inputName, doc);
  return doc;
}

/**
 * Loads a kubeconfig from its content: parse, inspect (refusals above), register every credential
 * as a secret, then build the KubeConfig with the chosen context.
 */
export async function loadKubeconfig(
  text: string,
  policy: KubeconfigPolicy & { secrets: Secrets },
): Promise<KubeAccess> {
  const doc = await parseKubeconfigText(text, policy.inputName);
  const facts = inspectKubeconfig(doc, policy);
  for (const v of facts.secretValues) policy.secrets.add(v);
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (err) {
    // client-node's own validation messages name fields, not values; redact anyway
    throw new InputError(
      `Input "${policy.inputName ?? 'kubeconfig'}": ${policy.secrets.redact(err instanceof Error ? err.message : String(err))}`,
      policy.inputName ?? 'kubeconfig',
    );
  }
  kc.setCurrentContext(facts.context);
  return {
    kubeConfig: kc,
    source: 'kubeconfig',
    server: facts.server,
    host: facts.host,
    context: facts.context,
    user: facts.user,
    authMethod: facts.authMethod,
    warnings: facts.warnings,
  };
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The in-cluster service account of a runner pod: KUBERNETES_SERVICE_HOST/PORT from `env`, token
 * and CA from the service-account directory (`pathPrefix` for tests). The token file is re-read on
 * each request (projected tokens rotate) and its current value is registered as a secret.
 */
export async function loadInCluster(opts: {
  env: Env;
  secrets: Secrets;
  pathPrefix?: string;
  inputName?: string;
}): Promise<KubeAccess> {
  const input = opts.inputName ?? 'in-cluster';
  const host = opts.env['KUBERNETES_SERVICE_HOST'] ?? '';
  const port = opts.env['KUBERNETES_SERVICE_PORT'] ?? '';
  const dir = `${opts.pathPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`;
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  if (!host || !/^\d{1,5}$/.test(port)) {
    throw new InputError(
      `Input "${input}" is true but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set: this runner is not a pod in a cluster. Pass a kubeconfig instead`,
      input,
    );
  }
  if (!existsSync(tokenFile) || !existsSync(caFile)) {
    throw new InputError(
      `Input "${input}" is true but ${dir} has no token and ca.crt: the runner pod has no service-account token mounted (automountServiceAccountToken: false?)`,
      input,
    );
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  if (token === '') throw new InputError(`Input "${input}" is true but ${tokenFile} is empty`, input);
  opts.secrets.add(token);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const server = `https://${hostPart}:${port}`;
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'in-cluster', server, caFile, skipTLSVerify: false }],
    users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
    currentContext: 'in-cluster',
  });
  return {
    kubeConfig: kc,
    source: 'in-cluster',
    server,
    host: new URL(server).host,
    context: 'in-cluster',
    user: 'service-account',
    authMethod: 'service-account',
    warnings: [],
  };
}

export * from './kubeconfig-file.js';
