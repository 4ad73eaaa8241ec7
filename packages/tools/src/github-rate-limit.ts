/**
 * GitHub's rate limits, read from an answer (pure): one set of rules for every client in the project
 * (gitops-update's GitHub API client, pr-namespace-cleanup's pull-request lookups).
 */
import { parseRetryAfter } from './retry.js';

/** Response headers as the clients hold them (octokit's may be numbers); names are matched in any case. */
export type GithubHeaders = Readonly<Record<string, string | number | undefined>>;

/** Never wait less than this for a rate limit, so a loop of them always uses up a wait budget. */
const MIN_WAIT_MS = 1000;
/** GitHub's docs for a limit without headers: "wait for at least one minute". */
const DEFAULT_WAIT_MS = 60_000;

function header(headers: GithubHeaders, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return String(direct);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return value === undefined ? undefined : String(value);
}

/**
 * How long GitHub asks to wait before the next request, in ms, when this answer (a 403 or a 429) is a
 * rate limit; undefined when it is not one:
 * - `retry-after` (secondary limits; seconds or an HTTP date);
 * - `x-ratelimit-remaining: 0` (primary limits): until `x-ratelimit-reset` (epoch seconds) plus a
 *   second of margin, or a minute when the reset is missing;
 * - a 429, or a message saying "rate limit", without those headers: a minute.
 * Never less than a second.
 */
export function githubRateLimitWait(
  status: number,
  headers: GithubHeaders,
  message: string,
  now: number,
): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return Math.max(MIN_WAIT_MS, retryAfter);
  if (header(headers, 'x-ratelimit-remaining')?.trim() === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset') ?? '');
    return Number.isFinite(reset) && reset > 0 ? Math.max(MIN_WAIT_MS, reset * 1000 - now + 1000) : DEFAULT_WAIT_MS;
  }
  if (status === 429 || /rate limit/i.test(message)) return DEFAULT_WAIT_MS;
  return undefined;
}
