/**
 * Delivery with bounded retries. Any 2xx is success (Workflows answer 202 with an empty body), except
 * a connector-style 2xx whose body reports throttling. 429, 5xx and network errors are retried with
 * exponential backoff and full jitter (at least 1 s apart: Teams allows a few requests a second per
 * webhook), honouring Retry-After (seconds or an HTTP date), within both max-attempts and the total
 * time budget. Other 4xx are final. Nothing here ever sees the URL in a message it builds.
 */
import type { Logger } from '@polyglot-cd/action-kit';
import { HttpTransportError, type HttpSend } from '@polyglot-cd/tools/http';
import { parseRetryAfter, retryableStatus } from '@polyglot-cd/tools/retry';

export { parseRetryAfter };

export interface DeliveryDeps {
  send: HttpSend;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  log: Logger;
}

export interface DeliveryOptions {
  maxAttempts: number;
  totalTimeoutMs: number;
  /** cap for one request (default 15 s, never more than what is left of the budget) */
  attemptTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface DeliveryResult {
  delivered: boolean;
  statusCode: number;
  attempts: number;
  /** why it was not delivered (no URL in it) */
  error?: string;
}

const MIN_GAP_MS = 1000;

/** Connectors answer 200 with "Microsoft Teams endpoint returned HTTP error 429" in the body when throttled. */
function throttledInBody(body: string): boolean {
  return /HTTP error 429/i.test(body);
}

export async function deliver(
  url: URL,
  body: string,
  opts: DeliveryOptions,
  deps: DeliveryDeps,
): Promise<DeliveryResult> {
  const { log } = deps;
  const start = deps.now();
  const deadline = start + opts.totalTimeoutMs;
  const base = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  let attempts = 0;
  let statusCode = 0;
  let error = '';
  while (attempts < opts.maxAttempts) {
    const left = deadline - deps.now();
    if (left <= 0) {
      error = `${error || 'no attempt made'}; gave up: the ${Math.round(opts.totalTimeoutMs / 1000)}s time budget is used up`;
      break;
    }
    attempts++;
    let retryAfterMs: number | undefined;
    let canRetry: boolean;
    try {
      const res = await deps.send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        timeoutMs: Math.max(1, Math.min(left, opts.attemptTimeoutMs ?? 15_000)),
      });
      statusCode = res.status;
      if (res.status >= 200 && res.status < 300 && !throttledInBody(res.body)) {
        log.info(`Attempt ${attempts}: HTTP ${res.status}: delivered`);
        return { delivered: true, statusCode, attempts };
      }
      const snippet = res.body.trim().slice(0, 300);
      error =
        res.status >= 200 && res.status < 300
          ? `HTTP ${res.status} but the body reports throttling (${snippet})`
          : `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`;
      canRetry = retryableStatus(res.status) || (res.status < 300 && throttledInBody(res.body));
      retryAfterMs = parseRetryAfter(res.headers['retry-after'], deps.now());
    } catch (err) {
      statusCode = 0;
      error =
        err instanceof HttpTransportError
          ? `network error: ${err.message}`
          : `network error: ${(err as Error).message}`;
      canRetry = true;
    }
    if (!canRetry) {
      log.warning(`Attempt ${attempts}: ${error}; not retried (a 4xx other than 408/429 will not succeed on retry)`);
      break;
    }
    if (attempts >= opts.maxAttempts) {
      log.warning(`Attempt ${attempts}: ${error}; no attempts left (max-attempts ${opts.maxAttempts})`);
      break;
    }
    const backoff = Math.max(MIN_GAP_MS, Math.round(deps.random() * Math.min(maxDelay, base * 2 ** (attempts - 1))));
    const delay = retryAfterMs !== undefined ? Math.max(MIN_GAP_MS, retryAfterMs) : backoff;
    const remaining = deadline - deps.now();
    if (delay >= remaining) {
      log.warning(
        `Attempt ${attempts}: ${error}; the next try would be in ${fmt(delay)}${retryAfterMs !== undefined ? ' (Retry-After)' : ''}, past the time budget (${fmt(Math.max(0, remaining))} left): giving up`,
      );
      break;
    }
    log.info(
      `Attempt ${attempts}: ${error}; retrying in ${fmt(delay)}${retryAfterMs !== undefined ? ' (Retry-After)' : ''}`,
    );
    await deps.sleep(delay);
  }
  return { delivered: false, statusCode, attempts, error };
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
