/**
 * The GitHub REST and GraphQL client of the GitHub-API transport and of the pull requests: the
 * project's HTTP sender (packages/tools' http.ts; injectable, with the clock, the sleep and the jitter,
 * so tests point it at a local server and run without waiting), JSON in and out, and GitHub's failure
 * modes mapped to the kit's errors:
 *
 * - 5xx and network failures: retried with the project's jittered backoff (`backoffDelay`), then an
 *   InfraError;
 * - 403/429 that is a rate limit (packages/tools' `githubRateLimitWait`: `retry-after`, or
 *   `x-ratelimit-remaining: 0` until `x-ratelimit-reset`, or a message saying so): waited out as GitHub
 *   asks, when the wait is short (`maxRateLimitWaitMs`, and a budget for the whole client); else an
 *   InfraError saying when it resets;
 * - 401: an InputError naming the token input; 403 otherwise: an InputError naming the token input and
 *   the permissions it needs;
 * - any other 4xx: a GithubApiError (status and GitHub's message) for the caller to decide.
 *
 * The token is sent only as `Authorization: Bearer …`; it is never in a URL, a log line or an error
 * (every text that comes from the server is passed through `redact` before it is used).
 *
 * The default sender, `createHttpSender(process.env)`, goes straight to the API (node:https) or, when
 * the runner sets a proxy (HTTPS_PROXY and friends), through @actions/http-client, which honours the
 * proxy and NO_PROXY as every official action does; both trust Node's CA store, NODE_EXTRA_CA_CERTS
 * included (a private CA). Node's global fetch ignores the proxy variables (unless NODE_USE_ENV_PROXY=1).
 * Redirects: the direct path never follows one (a 3xx is an error here, so the Authorization header
 * stays with the API host); through a proxy http-client follows it, and drops the Authorization header
 * when the host changes.
 * The sender reads at most 256 KiB of an answer: a longer one is an error here, never a cut JSON, and
 * the transport's files are limited to what fits (github-api-tree.ts, DEFAULT_MAX_FILE_BYTES).
 * A request in flight is not aborted by `signal` (the sender takes none): the call rejects at once
 * with a CancelledError and the request ends by itself, within its timeout.
 *
 * Why not @actions/github (pr-namespace-cleanup's client): it is not a dependency of this action and
 * costs more start time than the whole action.
 */
import { CancelledError, InfraError, InputError, type Logger, MemoryLogger } from '@polyglot-cd/action-kit';
import { githubRateLimitWait } from '@polyglot-cd/tools/github-rate-limit';
import { createHttpSender, type HttpSend, HttpTransportError } from '@polyglot-cd/tools/http';
import {
  abortableSleep as sleepOrCancel,
  backoffDelay,
  parseRetryAfter,
  retryableStatus,
  retryableTransport,
  type RetryPolicy,
} from '@polyglot-cd/tools/retry';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** Retries of one request on 5xx and network failures (the land loop's race retries are separate). */
export const DEFAULT_REQUEST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 15_000 };
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 90_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The most of an answer read (the sender's maxBodyBytes): past it, it is cut, and refused here. */
export const SENDER_MAX_BODY_BYTES = 8 * 1024 * 1024;
const API_VERSION = '2022-11-28';

export interface GithubInputNames {
  token: string;
  apiUrl: string;
  repository: string;
}

export const DEFAULT_GITHUB_INPUT_NAMES: GithubInputNames = {
  token: 'token',
  apiUrl: 'github-api-url',
  repository: 'repository',
};

export interface GithubApiOptions {
  /** https://api.github.com, or https://HOST/api/v3 (GHES); plain http only for a loopback host */
  apiUrl: string;
  /** the GraphQL endpoint (default: derived from apiUrl: …/graphql, or https://HOST/api/graphql for GHES) */
  graphqlUrl?: string;
  token: string;
  /** sends one request (default `createHttpSender(process.env)`: direct, or through the runner's proxy) */
  send?: HttpSend;
  /** epoch ms (rate-limit resets are compared with it) */
  now?: () => number;
  /** waits `ms`; rejects with CancelledError when `signal` aborts */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** in [0,1), for the backoff's jitter */
  random?: () => number;
  requestRetry?: RetryPolicy;
  /** the longest single rate-limit wait; the client waits at most 3× this in all */
  maxRateLimitWaitMs?: number;
  /** one request's timeout, its answer included (default 30 s) */
  timeoutMs?: number;
  log?: Logger;
  /** the action's names for its inputs, which errors name */
  inputs?: Partial<GithubInputNames>;
}

export interface ApiResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/** A 4xx answer that is neither an authentication, a permission nor a rate-limit failure. */
export class GithubApiError extends Error {
  override readonly name = 'GithubApiError';
  readonly status: number;
  /** GitHub's `message` (redacted, clipped) */
  readonly apiMessage: string;
  /** the `message`s of GitHub's `errors` array, when it has one (validation failures) */
  readonly details: string[];
  constructor(message: string, status: number, apiMessage: string, details: string[]) {
    super(message);
    this.status = status;
    this.apiMessage = apiMessage;
    this.details = details;
  }
}

/** A GraphQL answer with `errors` (HTTP 200). */
export class GithubGraphqlError extends Error {
  override readonly name = 'GithubGraphqlError';
  readonly errors: { type?: string; message: string }[];
  constructor(message: string, errors: { type?: string; message: string }[]) {
    super(message);
    this.errors = errors;
  }
}

export interface GithubApi {
  /** the REST base URL, without a trailing slash */
  readonly apiUrl: string;
  readonly inputs: GithubInputNames;
  /** `path` starts with `/` and is already encoded; `body` is sent as JSON */
  request<T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<ApiResponse<T>>;
  /** the `data` of a GraphQL answer; GithubGraphqlError when it has `errors` */
  graphql<T>(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
  /** the text without the token */
  redact(text: string): string;
  readonly log: Logger;
}

interface Ctx {
  token: string;
  graphqlUrl: string;
  send: HttpSend;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  retry: RetryPolicy;
  maxWait: number;
  /** what is left of the client's rate-limit waiting */
  budget: number;
  timeoutMs: number;
  log: Logger;
  inputs: GithubInputNames;
  redact: (text: string) => string;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The REST base URL: https (or http on a loopback host), no credentials, query or fragment. */
export function parseApiUrl(text: string, input: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new InputError(`Input "${input}": not a valid URL (expected https://api.github.com)`, input);
  }
  const https = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  if (!https) throw new InputError(`Input "${input}": only https:// API URLs are accepted`, input);
  if (u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
    throw new InputError(`Input "${input}": the API URL must not carry credentials, a query or a fragment`, input);
  }
  return u.href.replace(/\/+$/, '');
}

/** GitHub's GraphQL endpoint for a REST base URL (GHES: /api/v3 → /api/graphql). */
export function graphqlUrlFor(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, '/api/graphql') : `${apiUrl}/graphql`;
}

/** Replaces the token and its URL-encoded spelling by `***`. */
export function tokenRedactor(token: string): (text: string) => string {
  const forms = [...new Set([token, encodeURIComponent(token)])].filter((f) => f.length >= 4);
  return (text) => forms.reduce((t, f) => t.split(f).join('***'), text);
}

export function createGithubApi(o: GithubApiOptions): GithubApi {
  const inputs = { ...DEFAULT_GITHUB_INPUT_NAMES, ...o.inputs };
  if (o.token.trim() === '' || /[\s]/.test(o.token)) {
    throw new InputError(`Input "${inputs.token}": the token is empty or contains white space`, inputs.token);
  }
  const apiUrl = parseApiUrl(o.apiUrl, inputs.apiUrl);
  const retry = o.requestRetry ?? DEFAULT_REQUEST_RETRY;
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) throw new Error('requestRetry.attempts must be >= 1');
  const maxWait = o.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
  const ctx: Ctx = {
    token: o.token,
    graphqlUrl: o.graphqlUrl === undefined ? graphqlUrlFor(apiUrl) : parseApiUrl(o.graphqlUrl, inputs.apiUrl),
    send: o.send ?? createHttpSender(process.env),
    now: o.now ?? Date.now,
    sleep: o.sleep ?? abortableSleep,
    random: o.random ?? Math.random,
    retry,
    maxWait,
    budget: maxWait * 3,
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    log: o.log ?? new MemoryLogger(),
    inputs,
    redact: tokenRedactor(o.token),
  };
  return {
    apiUrl,
    inputs,
    log: ctx.log,
    redact: ctx.redact,
    request: <T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal) =>
      send<T>(ctx, method, `${apiUrl}${path}`, path, body, signal),
    graphql: (query, variables, signal) => graphql(ctx, query, variables, signal),
  };
}

async function graphql<T>(ctx: Ctx, query: string, variables: Record<string, unknown>, signal?: AbortSignal) {
  const res = await send<{ data?: T; errors?: { type?: string; message?: string }[] }>(
    ctx,
    'POST',
    ctx.graphqlUrl,
    'graphql',
    { query, variables },
    signal,
  );
  const errors = (res.data.errors ?? []).map((e) => ({
    ...(e.type === undefined ? {} : { type: clip(ctx.redact(String(e.type))) }),
    message: clip(ctx.redact(String(e.message ?? 'unknown error'))),
  }));
  if (errors.length > 0 || res.data.data === undefined) {
    const text = errors.map((e) => (e.type ? `${e.type}: ${e.message}` : e.message)).join('; ');
    throw new GithubGraphqlError(`GitHub GraphQL API: ${text || 'no data in the answer'}`, errors);
  }
  return res.data.data;
}

/** One request, with its retries and rate-limit waits. */
async function send<T>(
  ctx: Ctx,
  method: HttpMethod,
  url: string,
  label: string,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<ApiResponse<T>> {
  const what = `${method} ${label.split('?')[0]}`;
  for (let failures = 0; ;) {
    if (signal?.aborted) throw new CancelledError(`cancelled before ${what}`);
    let res: RawResponse;
    try {
      res = await sendOnce(ctx, method, url, body, signal);
    } catch (err) {
      if (signal?.aborted) throw new CancelledError(`cancelled during ${what}`);
      const why = transportProblem(err);
      if (!why.retryable || ++failures >= ctx.retry.attempts) {
        throw new InfraError(ctx.redact(`GitHub API: ${what} failed: ${why.text} (${failures || 1} attempt(s))`), {
          service: 'GitHub API',
          attempts: Math.max(1, failures),
        });
      }
      await retryAfterFailure(ctx, failures, what, why.text, undefined, signal);
      continue;
    }
    if (res.status >= 200 && res.status < 300) return res as ApiResponse<T>;
    const message = apiMessage(ctx, res.data);
    const wait = githubRateLimitWait(res.status, res.headers, message, ctx.now());
    if (wait !== undefined) {
      await waitForRateLimit(ctx, wait, what, signal);
      continue;
    }
    if (retryableStatus(res.status)) {
      if (++failures >= ctx.retry.attempts) {
        throw new InfraError(`GitHub API: ${what} answered ${res.status} ${message} (${failures} attempts)`, {
          service: 'GitHub API',
          attempts: failures,
        });
      }
      const after = parseRetryAfter(res.headers['retry-after'], ctx.now());
      await retryAfterFailure(ctx, failures, what, `HTTP ${res.status}`, after, signal);
      continue;
    }
    throw clientError(ctx, what, res, message);
  }
}

/** An answer this client does not take (a redirect, one too long to read): not retried. */
class Unusable extends Error {}

async function sendOnce(
  ctx: Ctx,
  method: HttpMethod,
  url: string,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<RawResponse> {
  const sent = ctx.send({
    method,
    url: new URL(url),
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${ctx.token}`,
      'user-agent': 'polyglot-cd-gitops-update',
      'x-github-api-version': API_VERSION,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    timeoutMs: ctx.timeoutMs,
    maxBodyBytes: SENDER_MAX_BODY_BYTES,
  });
  const res = await untilAborted(sent, signal);
  if (res.status >= 300 && res.status < 400) {
    // not followed: the Authorization header stays with the API host
    throw new Unusable('GitHub answered with a redirect: is the API URL right, or was the repository renamed?');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
  return { status: res.status, headers, data: parseBody(res.body, headers['content-type']) };
}

/** JSON when the answer says so (else the text); an answer the sender cut is refused, never half-read. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '' || !/json/i.test(contentType ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (Buffer.byteLength(text, 'utf8') < SENDER_MAX_BODY_BYTES) return text;
    throw new Unusable(
      `GitHub's answer is longer than the ${SENDER_MAX_BODY_BYTES / 1024} KiB this action reads (a file or a directory of the repository too large for the GitHub API transport)`,
    );
  }
}

/** The sender's answer, or a CancelledError as soon as `signal` aborts (the request ends by itself). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError('cancelled while waiting for GitHub'));
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

function transportProblem(err: unknown): { retryable: boolean; text: string } {
  if (err instanceof Unusable) return { retryable: false, text: err.message };
  const e = err as { name?: string; message?: string; code?: unknown };
  const code = err instanceof HttpTransportError ? err.code : typeof e.code === 'string' ? e.code : '';
  // the sender's messages name the host at most, never the path or the headers
  const message = (e.message ?? String(err)).replace(/https?:\/\/\S+/g, '<url>');
  const text = `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
  if (CERTIFICATE.test(code)) {
    return {
      retryable: false,
      text: `${text}: the server's certificate is not trusted; for a private CA, point NODE_EXTRA_CA_CERTS at its PEM file on the runner`,
    };
  }
  return { retryable: code === '' || code === 'EUNKNOWN' || retryableTransport(code), text };
}

async function retryAfterFailure(
  ctx: Ctx,
  failures: number,
  what: string,
  why: string,
  retryAfterMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const delay = backoffDelay(failures, ctx.retry, retryAfterMs, ctx.random);
  ctx.log.info(`GitHub API: ${what} failed (${why}); retrying in ${delay} ms (${failures}/${ctx.retry.attempts})`);
  await ctx.sleep(delay, signal);
}

async function waitForRateLimit(ctx: Ctx, wait: number, what: string, signal: AbortSignal | undefined) {
  const until = new Date(ctx.now() + wait).toISOString();
  const secs = Math.ceil(wait / 1000);
  if (wait > ctx.maxWait || wait > ctx.budget) {
    throw new InfraError(
      `GitHub API rate limit reached (${what}): GitHub asks to wait ${secs}s, until ${until}, longer than this action waits (${Math.round(ctx.maxWait / 1000)}s at a time, ${Math.round((ctx.maxWait * 3) / 1000)}s in all); run it again after that`,
      { service: 'GitHub API' },
    );
  }
  ctx.budget -= wait;
  ctx.log.warning(`GitHub API rate limit reached (${what}): waiting ${secs}s, until ${until}, as GitHub asks`);
  await ctx.sleep(wait, signal);
}

function apiMessage(ctx: Ctx, data: unknown): string {
  if (typeof data === 'string') return clip(ctx.redact(data));
  const m = (data as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? clip(ctx.redact(m)) : '';
}

function errorDetails(ctx: Ctx, data: unknown): string[] {
  const errors = (data as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e: unknown) => (typeof e === 'string' ? e : (e as { message?: unknown; code?: unknown }).message))
    .filter((m): m is string => typeof m === 'string')
    .map((m) => clip(ctx.redact(m)));
}

function clientError(ctx: Ctx, what: string, res: RawResponse, message: string): Error {
  const said = message ? `: ${message}` : '';
  if (res.status === 401) {
    return new InputError(
      `GitHub API refused the token of input "${ctx.inputs.token}" (${what}: 401${said}); it is wrong, expired or revoked`,
      ctx.inputs.token,
    );
  }
  if (res.status === 403) {
    return new InputError(
      `GitHub API refused ${what} (403${said}): the token of input "${ctx.inputs.token}" lacks a permission; it needs contents: write (and pull-requests: write for pull requests) on the repository`,
      ctx.inputs.token,
    );
  }
  const details = errorDetails(ctx, res.data);
  const more = details.length > 0 ? ` (${details.join('; ')})` : '';
  return new GithubApiError(`GitHub API: ${what} answered ${res.status}${said}${more}`, res.status, message, details);
}

/** One line, printable, at most 300 characters (text from the server goes into errors and logs). */
function clip(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** Waits between retries of a GitHub API request; cancellation ends the wait at once. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepOrCancel(ms, signal, 'a GitHub API request');
}
