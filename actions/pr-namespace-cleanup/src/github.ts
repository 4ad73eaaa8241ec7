/**
 * PR states from the GitHub API, through @actions/github (loaded lazily: octokit and undici cost more
 * than this action's whole start budget), with its base URL taken from GITHUB_API_URL (GHES, or a
 * local server in tests).
 *
 * Rate-limit aware: a 403/429 with `x-ratelimit-remaining: 0` (primary limit, wait until
 * `x-ratelimit-reset`) or with `retry-after` (secondary limit) pauses every lookup, not just the one
 * that saw it, as long as the wait fits the budget; past the budget the remaining PRs are reported
 * as "could not check" (their namespaces are kept for the next run), never guessed.
 */
import type { Logger } from '@polyglot-cd/action-kit';
import { githubRateLimitWait } from '@polyglot-cd/tools/github-rate-limit';
import type { PrState } from './plan.js';

export interface PrStateResult {
  state: PrState;
  detail?: string;
}

export interface PrLookup {
  state(pr: number): Promise<PrStateResult>;
  /** requests made (for the log) */
  readonly requests: number;
}

/** The part of a request error we look at (octokit's RequestError has these). */
interface HttpishError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

export interface RateLimitDecision {
  limited: boolean;
  /** epoch ms until which requests should pause */
  until?: number;
}

/**
 * Whether an error is GitHub's rate limit, and until when (pure): the rules are packages/tools'
 * (`githubRateLimitWait`), shared with gitops-update's GitHub client.
 */
export function rateLimit(err: HttpishError, now: number): RateLimitDecision {
  const wait = githubRateLimitWait(err.status ?? 0, err.response?.headers ?? {}, err.message ?? '', now);
  return wait === undefined ? { limited: false } : { limited: true, until: now + wait };
}

export interface GithubLookupOptions {
  token: string;
  baseUrl: string;
  owner: string;
  repo: string;
  log: Logger;
  /** longest total pause for rate limits (default 2 minutes) */
  maxRateLimitWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function githubPrLookup(o: GithubLookupOptions): Promise<PrLookup> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(o.token, {
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return createLookup(
    (pr) =>
      octokit.rest.pulls
        .get({ owner: o.owner, repo: o.repo, pull_number: pr })
        .then((r) => ({ state: r.data.state, headers: r.headers as Record<string, string | number | undefined> })),
    o,
  );
}

type Fetch = (pr: number) => Promise<{ state: string; headers: Record<string, string | number | undefined> }>;

/** The lookup logic over any fetch function (the octokit one above in production). */
export function createLookup(
  fetch: Fetch,
  o: Pick<GithubLookupOptions, 'log' | 'maxRateLimitWaitMs' | 'sleep' | 'now'>,
): PrLookup {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  let budget = o.maxRateLimitWaitMs ?? 120_000;
  let pausedUntil = 0;
  let exhausted: string | undefined;
  let requests = 0;

  const pause = async (): Promise<void> => {
    while (pausedUntil > now()) await sleep(Math.min(pausedUntil - now(), 5000));
  };
  const limitHit = (until: number): boolean => {
    const wait = until - now();
    if (until <= pausedUntil) return true; // another lookup already paused for this
    if (wait > budget) {
      exhausted = `GitHub API rate limit: resets at ${new Date(until).toISOString()}, past the ${Math.round((o.maxRateLimitWaitMs ?? 120_000) / 1000)}s wait budget`;
      o.log.warning(`${exhausted}; the remaining PRs are not checked (their namespaces are kept for the next run)`);
      return false;
    }
    budget -= Math.max(0, wait);
    pausedUntil = until;
    o.log.info(
      `GitHub API rate limit hit: pausing lookups for ${Math.ceil(wait / 1000)}s (until ${new Date(until).toISOString()})`,
    );
    return true;
  };

  return {
    get requests() {
      return requests;
    },
    async state(pr) {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (exhausted) return { state: 'unknown', detail: exhausted };
        await pause();
        requests++;
        try {
          const res = await fetch(pr);
          if (String(res.headers['x-ratelimit-remaining'] ?? '') === '0') {
            const reset = String(res.headers['x-ratelimit-reset'] ?? '');
            if (/^\d+$/.test(reset)) limitHit(Number(reset) * 1000 + 1000);
          }
          return {
            state: res.state === 'open' ? 'open' : res.state === 'closed' ? 'closed' : 'unknown',
            detail: res.state,
          };
        } catch (err) {
          const e = err as HttpishError;
          if (e.status === 404) return { state: 'not-found' };
          const rl = rateLimit(e, now());
          if (rl.limited && rl.until !== undefined) {
            if (!limitHit(rl.until)) return { state: 'unknown', detail: exhausted ?? 'rate limited' };
            continue;
          }
          if (e.status !== undefined && e.status >= 500 && attempt < 2) {
            await sleep(1000 * (attempt + 1));
            continue;
          }
          const detail = e.status !== undefined ? `HTTP ${e.status}` : (e.message ?? String(err));
          if (e.status === 401 || e.status === 403) {
            exhausted = `GitHub API answered ${detail} (the token cannot read pull requests: grant pull-requests: read)`;
            o.log.warning(exhausted);
          }
          return { state: 'unknown', detail };
        }
      }
      return { state: 'unknown', detail: 'rate limited repeatedly' };
    },
  };
}
