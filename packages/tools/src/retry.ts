/**
 * Bounded retry policy shared by the registry client and the push loops: exponential backoff with
 * jitter, capped, and a server's Retry-After honoured (never beyond `maxDelayMs`).
 */
import { CancelledError } from '@polyglot-cd/action-kit';

export interface RetryPolicy {
  /** total attempts, the first one included (>= 1) */
  attempts: number;
  /** delay before the 2nd attempt; doubles each time */
  baseDelayMs: number;
  /** no single wait is longer than this, Retry-After included */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): the server's Retry-After when it
 * gave one, else base·2^(attempt-1) with equal jitter (between half and all of it) (`random` in [0,1)); both capped at maxDelayMs.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** HTTP statuses worth another try: 408, 429 and 5xx except 501 (not implemented) and 505. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Transport errors worth another try (connection resets, timeouts, refused while a registry restarts). */
export function retryableTransport(code: string): boolean {
  return [
    'ECONNRESET',
    'ETIMEDOUT',
    'ECONNREFUSED',
    'EPIPE',
    'EAI_AGAIN',
    'ECONNABORTED',
    'UND_ERR_SOCKET',
    'EHOSTUNREACH',
    'ENETUNREACH',
  ].includes(code);
}

/**
 * Waits `ms` (a retry's backoff); rejects at once with CancelledError (from action-kit) when `signal`
 * aborts, saying what was being waited for.
 */
export function abortableSleep(ms: number, signal?: AbortSignal, waitingFor = 'a retry'): Promise<void> {
  return new Promise<void>((done, fail) => {
    const cancelled = (): CancelledError => new CancelledError(`cancelled while waiting to retry ${waitingFor}`);
    if (signal?.aborted) {
      fail(cancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      fail(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
