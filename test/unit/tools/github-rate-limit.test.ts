/**
 * packages/tools' githubRateLimitWait: the one set of GitHub rate-limit rules that gitops-update's
 * GitHub client and pr-namespace-cleanup's pull-request lookups share (pure).
 */
import { describe, expect, it } from 'vitest';
import { githubRateLimitWait } from '@polyglot-cd/tools';

describe('githubRateLimitWait', () => {
  const now = 1_000_000_000_000;

  it('secondary limits: retry-after, in seconds or as an HTTP date, never less than a second', () => {
    expect(githubRateLimitWait(403, { 'retry-after': '12' }, '', now)).toBe(12_000);
    expect(githubRateLimitWait(429, { 'retry-after': '0' }, '', now)).toBe(1000);
    expect(githubRateLimitWait(403, { 'retry-after': new Date(now + 30_000).toUTCString() }, '', now)).toBe(30_000);
  });

  it('primary limits: x-ratelimit-remaining 0 waits until x-ratelimit-reset and a second more', () => {
    const reset = String(now / 1000 + 5);
    expect(githubRateLimitWait(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, '', now)).toBe(6000);
    // a reset already past: a second, not a negative wait
    const past = String(now / 1000 - 60);
    expect(githubRateLimitWait(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': past }, '', now)).toBe(1000);
    // without a reset: a minute, as GitHub's docs say
    expect(githubRateLimitWait(403, { 'x-ratelimit-remaining': '0' }, '', now)).toBe(60_000);
    expect(githubRateLimitWait(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }, '', now)).toBe(
      60_000,
    );
  });

  it('reads octokit-style headers: numbers, and names in any case', () => {
    expect(
      githubRateLimitWait(403, { 'X-RateLimit-Remaining': 0, 'X-RateLimit-Reset': now / 1000 + 29 }, '', now),
    ).toBe(30_000);
    expect(githubRateLimitWait(429, { 'Retry-After': 7 }, '', now)).toBe(7000);
  });

  it('a 429, or a message saying "rate limit", without those headers: a minute', () => {
    expect(githubRateLimitWait(429, {}, '', now)).toBe(60_000);
    expect(githubRateLimitWait(403, {}, 'You have exceeded a secondary rate limit', now)).toBe(60_000);
  });

  it('anything else is not a rate limit', () => {
    expect(
      githubRateLimitWait(403, { 'x-ratelimit-remaining': '4999' }, 'Resource not accessible by integration', now),
    ).toBeUndefined();
    expect(githubRateLimitWait(502, { 'retry-after': '3' }, '', now)).toBeUndefined();
    expect(githubRateLimitWait(404, { 'x-ratelimit-remaining': '0' }, 'rate limit', now)).toBeUndefined();
    expect(githubRateLimitWait(401, {}, 'Bad credentials', now)).toBeUndefined();
  });
});
