import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '@polyglot-cd/action-kit';
import { HttpTransportError, type HttpRequest, type HttpResponse } from '@polyglot-cd/tools';
import { deliver, parseRetryAfter, type DeliveryDeps } from '../../../actions/teams-notify/src/deliver.js';

type Answer = Partial<HttpResponse> | Error;

/** A virtual clock and a scripted sender: retries are checked without waiting. */
function harness(answers: Answer[], opts: { random?: number; requestMs?: number } = {}) {
  let now = 1_000_000;
  const sent: { at: number; req: HttpRequest }[] = [];
  const sleeps: number[] = [];
  const log = new MemoryLogger();
  const deps: DeliveryDeps = {
    log,
    now: () => now,
    random: () => opts.random ?? 1,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    send: async (req) => {
      sent.push({ at: now, req });
      now += opts.requestMs ?? 10;
      const a = answers.shift() ?? { status: 500 };
      if (a instanceof Error) throw a;
      return { status: 200, headers: {}, body: '', ...a };
    },
  };
  return { deps, sent, sleeps, log };
}

const url = new URL('https://prod-01.westus.logic.azure.com/workflows/x?sig=s');
const opts = { maxAttempts: 5, totalTimeoutMs: 60_000 };

describe('deliver', () => {
  it('any 2xx is delivered (Workflows answer 202 with an empty body)', async () => {
    const h = harness([{ status: 202 }]);
    expect(await deliver(url, '{}', opts, h.deps)).toEqual({ delivered: true, statusCode: 202, attempts: 1 });
    expect(h.sent[0]?.req.headers?.['content-type']).toBe('application/json; charset=utf-8');
  });

  it('429 with Retry-After, then 500, then 202: waits as told, then backs off', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '7' } }, { status: 500 }, { status: 202 }], {
      random: 1,
    });
    expect(await deliver(url, '{}', opts, h.deps)).toEqual({ delivered: true, statusCode: 202, attempts: 3 });
    expect(h.sleeps).toEqual([7000, 2000]);
  });

  it('honours Retry-After as an HTTP date', () => {
    const now = Date.parse('Sun, 22 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backoff is exponential with jitter, at least 1 s apart, capped', async () => {
    const h = harness([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }], {
      random: 1,
    });
    const r = await deliver(url, '{}', { maxAttempts: 5, totalTimeoutMs: 600_000, maxDelayMs: 5_000 }, h.deps);
    expect(r).toMatchObject({ delivered: false, statusCode: 503, attempts: 5 });
    expect(h.sleeps).toEqual([1000, 2000, 4000, 5000]);
    const low = harness([{ status: 503 }, { status: 202 }], { random: 0 });
    await deliver(url, '{}', opts, low.deps);
    expect(low.sleeps).toEqual([1000]);
  });

  it('other 4xx are final, with the body in the reason', async () => {
    const h = harness([{ status: 400, body: 'Bad payload: attachments is null' }]);
    expect(await deliver(url, '{}', opts, h.deps)).toEqual({
      delivered: false,
      statusCode: 400,
      attempts: 1,
      error: 'HTTP 400: Bad payload: attachments is null',
    });
    expect(h.log.text()).toContain('not retried');
  });

  it('network errors are retried; the reason never carries the URL', async () => {
    const h = harness([new HttpTransportError('connect ECONNREFUSED 127.0.0.1:443', 'ECONNREFUSED'), { status: 202 }]);
    expect(await deliver(url, '{}', opts, h.deps)).toMatchObject({ delivered: true, attempts: 2 });
    expect(h.log.text()).toContain('network error: connect ECONNREFUSED 127.0.0.1:443');
    expect(h.log.text()).not.toContain('sig=');
  });

  it('a 200 whose body reports throttling (connector style) is retried', async () => {
    const h = harness([
      { status: 200, body: 'Microsoft Teams endpoint returned HTTP error 429 with ContextId …' },
      { status: 200, body: '1' },
    ]);
    expect(await deliver(url, '{}', opts, h.deps)).toEqual({ delivered: true, statusCode: 200, attempts: 2 });
  });

  it('stops when Retry-After points past the time budget', async () => {
    const h = harness([{ status: 429, headers: { 'retry-after': '120' } }]);
    const r = await deliver(url, '{}', { maxAttempts: 5, totalTimeoutMs: 30_000 }, h.deps);
    expect(r).toMatchObject({ delivered: false, statusCode: 429, attempts: 1 });
    expect(h.sleeps).toEqual([]);
    expect(h.log.text()).toContain('past the time budget');
  });

  it('each request gets at most what is left of the budget', async () => {
    const h = harness([{ status: 500 }, { status: 202 }], { requestMs: 4_000, random: 0 });
    await deliver(url, '{}', { maxAttempts: 5, totalTimeoutMs: 6_000 }, h.deps);
    expect(h.sent.map((s) => s.req.timeoutMs)).toEqual([6_000, 1_000]);
  });
});
