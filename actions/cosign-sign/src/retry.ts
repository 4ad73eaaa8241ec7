/**
 * Bounded retries within one total time budget (SECURITY.md T30: ride out a Fulcio/Rekor outage of up to
 * about ten minutes, never hang). Exponential backoff with jitter; an attempt is only started when
 * there is enough of the budget left for it to finish, and each attempt gets at most what is left.
 * Pure: the clock, sleep and randomness are passed in.
 */
import type { Logger } from '@polyglot-cd/action-kit';

export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'already-exists'; reason: string }
  | { kind: 'transient'; reason: string; error: Error }
  | { kind: 'permanent'; reason: string; error: Error };

export interface RetryPolicy {
  /** absolute deadline (ms since epoch, on the `now` clock) shared by every phase of the step */
  deadline: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** cap for one attempt (cosign's own default timeout is 3 minutes) */
  maxAttemptMs: number;
  /** don't start an attempt with less than this left */
  minAttemptMs: number;
}

export interface RetryDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Logger;
}

export interface RetryResult<T> {
  outcome: Outcome<T>;
  attempts: number;
  /** why the loop stopped when the last outcome was transient */
  gaveUp?: string;
}

export const DEFAULT_POLICY = {
  baseDelayMs: 5_000,
  maxDelayMs: 60_000,
  maxAttemptMs: 4 * 60_000,
  minAttemptMs: 20_000,
} as const;

/** The delay before attempt n+1 after n failures: base·2^(n-1), capped, with ±25 % jitter. */
export function backoffDelay(
  failures: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(raw * (0.75 + 0.5 * random()));
}

export async function withRetries<T>(
  what: string,
  attempt: (n: number, timeoutMs: number) => Promise<Outcome<T>>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<RetryResult<T>> {
  let n = 0;
  for (;;) {
    const left = policy.deadline - deps.now();
    n++;
    const timeoutMs = Math.max(1_000, Math.min(policy.maxAttemptMs, left));
    const outcome = await attempt(n, timeoutMs);
    if (outcome.kind !== 'transient') return { outcome, attempts: n };
    const delay = backoffDelay(n, policy, deps.random);
    const remaining = policy.deadline - deps.now();
    if (remaining - delay < policy.minAttemptMs) {
      const gaveUp = `${what}: attempt ${n} failed (${outcome.reason}); not retrying: ${fmt(Math.max(0, remaining))} of the time budget left, a retry needs ${fmt(delay)} of backoff plus at least ${fmt(policy.minAttemptMs)}`;
      deps.log.warning(gaveUp);
      return { outcome, attempts: n, gaveUp };
    }
    deps.log.warning(
      `${what}: attempt ${n} failed with a transient error (${outcome.reason}); retrying in ${fmt(delay)}`,
    );
    await deps.sleep(delay);
  }
}

export function fmt(ms: number): string {
  if (ms >= 60_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s ? `${m}m${s}s` : `${m}m`;
  }
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
