/**
 * The environment every git call of the plain-git transport runs in, and what its failures mean.
 *
 * git gets a whole environment of our making (`replaceEnv`): nothing of the runner's is inherited
 * (no GIT_DIR, GIT_TRACE*, GIT_SSL_NO_VERIFY, GIT_ASKPASS, the step's inputs), except PATH and the proxy
 * variables. Its configuration comes from the environment too (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`,
 * git >= 2.31), never from a file: no system or global config (GIT_CONFIG_NOSYSTEM, a private HOME),
 * the token only as an `Authorization` header scoped to the repository's origin, only the https
 * protocol, no redirects, no credential helper, no prompt.
 */
import { InputError } from '@polyglot-cd/action-kit';
import type { GitInputNames, RepoUrl } from './git-names.js';

/** Variables passed through from the runner's environment (a self-hosted runner behind a proxy). */
const PASSED = ['PATH', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

export interface GitEnvOptions {
  url: RepoUrl;
  /** the value of the Authorization header (`Basic …`) */
  authorization: string;
  caFile?: string;
  /**
   * an empty private directory, git's CA directory when `caFile` is given: then the CA file alone is
   * trusted, not the machine's CA store too
   */
  caPath?: string;
  /** a private (0700) directory: HOME and XDG_CONFIG_HOME */
  home: string;
  base?: Readonly<Record<string, string | undefined>>;
}

/** The configuration git runs with, as key/value pairs. */
export function gitConfig(o: Pick<GitEnvOptions, 'url' | 'authorization' | 'caFile' | 'caPath'>): [string, string][] {
  const config: [string, string][] = [
    [`http.${o.url.origin}.extraHeader`, `Authorization: ${o.authorization}`],
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['http.followRedirects', 'false'],
    ['http.sslVerify', 'true'],
    ['credential.helper', ''],
    ['core.askPass', ''],
    ['core.hooksPath', '/dev/null'],
    ['core.fsmonitor', 'false'],
    ['commit.gpgSign', 'false'],
    ['push.gpgSign', 'false'],
    ['init.templateDir', ''],
    ['fetch.recurseSubmodules', 'false'],
    ['push.recurseSubmodules', 'no'],
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
  ];
  if (o.caFile !== undefined) {
    config.push(['http.sslCAInfo', o.caFile]);
    if (o.caPath !== undefined) config.push(['http.sslCAPath', o.caPath]);
  }
  return config;
}

export function gitEnv(o: GitEnvOptions): Record<string, string> {
  const base = o.base ?? process.env;
  const env: Record<string, string> = {};
  for (const name of PASSED) {
    const v = base[name];
    if (v !== undefined) env[name] = v;
  }
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, {
    HOME: o.home,
    XDG_CONFIG_HOME: o.home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    LANG: 'C',
    LC_ALL: 'C',
  });
  const config = gitConfig(o);
  env['GIT_CONFIG_COUNT'] = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** `Basic base64(username:token)`, as GitHub, GitLab, Gitea and Bitbucket accept a token over https. */
export function basicAuthorization(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`, 'utf8').toString('base64')}`;
}

/**
 * Replaces the token, and the spellings it could take in git's output or ours (URL-encoded, the
 * Basic credentials, base64 of them), with `***`.
 */
export function tokenRedactor(username: string, token: string): (text: string) => string {
  const forms = new Set<string>();
  for (const t of [token, token.trim()]) {
    if (t.length < 4) continue;
    forms.add(t);
    forms.add(encodeURIComponent(t));
    forms.add(Buffer.from(t, 'utf8').toString('base64').replace(/=+$/, ''));
    forms.add(basicAuthorization(username, t).slice('Basic '.length).replace(/=+$/, ''));
  }
  const sorted = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, f) => (out.includes(f) ? out.split(f).join('***') : out), text);
}

/** A failure worth another attempt: the server or the network, not the request. */
export class TransientGitError extends Error {
  override readonly name = 'TransientGitError';
}

const AUTH = [
  /returned error: 40[13]\b/,
  /HTTP 40[13]\b/,
  /could not read (Username|Password)/,
  /Authentication failed/i,
  /terminal prompts disabled/,
  /Permission to .* denied/i,
];
const TLS = [/SSL certificate problem/i, /server certificate verification failed/i, /certificate verify failed/i];
const NOT_FOUND = [/returned error: 404\b/, /repository '.*' not found/i, /HTTP 404\b/];
const REDIRECT = [/returned error: 30\d\b/, /HTTP 30\d\b/, /redirect/i];
const TRANSIENT = [
  /Failed to connect/i,
  /Could not resolve host/i,
  /Connection refused/i,
  /Connection reset/i,
  /Connection timed out/i,
  /Operation timed out/i,
  /timed out/i,
  /returned error: (408|429|5\d\d)\b/,
  /HTTP (408|429|5\d\d)\b/,
  /RPC failed/i,
  /early EOF/i,
  /remote end hung up/i,
  /Empty reply from server/i,
  /SSL_ERROR_SYSCALL/,
  /unexpected disconnect/i,
  /transfer closed/i,
  /Recv failure/i,
  /Send failure/i,
  /GnuTLS recv error/i,
];

/**
 * What a failed git network call (ls-remote, fetch, push) means, from its stderr (already redacted):
 * an InputError naming the input the user has to fix, a TransientGitError (retried), or undefined
 * (something else: the caller reports the tool's failure as it is).
 */
export function classifyNetworkFailure(stderr: string, url: RepoUrl, inputs: GitInputNames): Error | undefined {
  const any = (res: RegExp[]): boolean => res.some((re) => re.test(stderr));
  if (any(AUTH)) {
    return new InputError(
      `${url.host} refused the token (HTTP 401/403) for ${url.href}: check input "${inputs.token}": it must be valid, unexpired and allowed to read and push to the repository`,
      inputs.token,
    );
  }
  if (any(TLS)) {
    return new InputError(
      `the TLS certificate of ${url.host} is not trusted: if the server uses a private CA, give its certificate (PEM) in input "${inputs.caFile}"`,
      inputs.caFile,
    );
  }
  if (any(NOT_FOUND)) {
    return new InputError(
      `${url.href} was not found (HTTP 404): check input "${inputs.url}", and that the token in "${inputs.token}" can see the repository`,
      inputs.url,
    );
  }
  if (any(REDIRECT)) {
    return new InputError(
      `${url.host} redirected the request for ${url.href}; redirects are not followed (the token is not sent elsewhere): give the repository's clone URL in input "${inputs.url}" (often ending in .git)`,
      inputs.url,
    );
  }
  if (any(TRANSIENT)) return new TransientGitError(`${url.host} could not be reached: ${lastLine(stderr)}`);
  return undefined;
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.at(-1)?.replace(/^fatal: /, '') ?? '(no message)';
}
