/**
 * teams-notify from its committed bundle (dist/teams-notify/index.js), under Node 24, against a real
 * HTTP server on 127.0.0.1 whose answers are scripted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { startServer, type ScriptedServer, type Step } from '../../helpers/http-server.js';

const SIG = canary('teams webhook sig');
const PATH_SECRET = canary('teams webhook workflow id');
let server: ScriptedServer | undefined;
const runs: ActionRun[] = [];

async function serve(script: Step[]): Promise<ScriptedServer> {
  server = await startServer(script);
  return server;
}

function hookUrl(s: ScriptedServer): string {
  return `${s.url}/workflows/${PATH_SECRET}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
}

async function notify(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runBundle('teams-notify', workspace({ status: 'success', ...inputs }, env));
  runs.push(run);
  return run;
}

/** Lines a user could read; `::add-mask::` lines are consumed by the runner and never shown. */
function visible(run: ActionRun): string {
  return run.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('teams-notify bundle', () => {
  it('429 with Retry-After, then 500, then 202: delivered on the third attempt', async () => {
    const s = await serve([
      { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' },
      { status: 500, body: 'oops' },
      { status: 202 },
    ]);
    const run = await notify({
      'webhook-url': hookUrl(s),
      'allowed-hosts': '127.0.0.1',
      environment: 'staging',
      namespace: 'pr-42',
      image: `registry.local:5000/shop/backend@sha256:${'b'.repeat(64)}`,
      url: 'https://pr-42.preview.example.com',
      facts: 'Findings=CRITICAL: 0, HIGH: 1\nChart=app 1.0.0',
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '202', attempts: '3' });
    expect(s.requests).toHaveLength(3);
    const [a, b, c] = s.requests;
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(950); // Retry-After: 1
    expect((c?.at ?? 0) - (b?.at ?? 0)).toBeGreaterThanOrEqual(950); // at least 1 s apart
    expect(a?.method).toBe('POST');
    expect(a?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(a?.url).toBe(new URL(hookUrl(s)).pathname + new URL(hookUrl(s)).search);
    const body = JSON.parse(c?.body ?? '{}');
    expect(body.type).toBe('message');
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    expect(card.version).toBe('1.4');
    expect(card.body[1].facts).toEqual(
      expect.arrayContaining([
        { title: 'Environment', value: 'staging' },
        { title: 'Namespace', value: 'pr-42' },
        { title: 'Findings', value: 'CRITICAL: 0, HIGH: 1' },
        { title: 'Chart', value: 'app 1.0.0' },
      ]),
    );
    expect(run.stdout).toContain('Attempt 1: HTTP 429: slow down; retrying in 1s (Retry-After)');
    expect(run.stdout).toContain('Attempt 2: HTTP 500: oops; retrying in');
    expect(run.summary).toContain('| Result | delivered |');
    expect(run.summary).toContain('| Webhook host | 127.0.0.1 |');
    expect(run.summary).toContain('| Attempts | 3 |');
  });

  it('a hanging server: gives up within the time budget, warns, and the job goes on', async () => {
    const s = await serve([{ hang: true }, { hang: true }]);
    const started = Date.now();
    const run = await notify({ 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1', timeout: '2s' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '0', attempts: '1' });
    expect(run.stdout).toMatch(
      /::warning::Teams notification to 127\.0\.0\.1 was not delivered after 1 attempt\(s\): network error: no response within 2s.*The job goes on/,
    );
    expect(run.summary).toContain('| Result | not delivered |');
  });

  it('a 400 is not retried; fail-on-error makes it fail the step', async () => {
    const s = await serve([
      { status: 400, body: 'Invalid request: attachments is null' },
      { status: 400, body: 'again' },
    ]);
    const soft = await notify({ 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1' });
    expect(soft.code).toBe(0);
    expect(soft.outputs).toEqual({ delivered: 'false', 'status-code': '400', attempts: '1' });
    const hard = await notify({ 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1', 'fail-on-error': 'true' });
    expect(hard.code).toBe(1);
    expect(hard.outputs).toEqual({ delivered: 'false', 'status-code': '400', attempts: '1' });
    expect(hard.stdout).toContain(
      '::error::Teams notification to 127.0.0.1 was not delivered after 1 attempt(s): HTTP 400: again (fail-on-error is true)',
    );
    expect(s.requests).toHaveLength(2);
  });

  it('max-attempts bounds the retries', async () => {
    const s = await serve([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const run = await notify({ 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1', 'max-attempts': '2' });
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '503', attempts: '2' });
    expect(s.requests).toHaveLength(2);
  });

  it('refuses hosts that are not allowed, and plain http, before sending anything', async () => {
    const s = await serve([{ status: 202 }]);
    const notAllowed = await notify({ 'webhook-url': hookUrl(s) });
    expect(notAllowed.code).toBe(1);
    expect(notAllowed.stdout).toContain(
      '::error::Input "webhook-url" has an invalid value (secret value not shown): 127.0.0.1 is an IP address; it is used only when allowed-hosts names it exactly (wildcards never match an address or localhost)',
    );
    const other = await notify({ 'webhook-url': 'https://hooks.attacker.example/x?sig=abcdef123' });
    expect(other.stdout).toContain(
      'host hooks.attacker.example is not a Teams Workflows webhook host (*.logic.azure.com, *.environment.api.powerplatform.com)',
    );
    expect(s.requests).toHaveLength(0);
    expect(notAllowed.outputs).toEqual({});
  });

  it.each([
    [
      { status: 'succeeded' },
      'Input "status" has an invalid value "succeeded": expected one of success, failure, cancelled, started',
    ],
    [
      { status: '' },
      'Input "status" is required and was not supplied. Expected one of success, failure, cancelled, started, e.g. status: ${{ job.status }}.',
    ],
    [
      { image: 'shop/backend:latest' },
      'Input "image" has an invalid value "shop/backend:latest": expected an image by digest, repo@sha256:<64 hex> (the digest output of build-push)',
    ],
    [
      { timeout: '1 hour' },
      'Input "timeout" has an invalid value "1 hour": expected a duration such as 30s, 5m, 1h30m or 500ms from 1s up to 15m',
    ],
    [{ 'max-attempts': '0' }, 'Input "max-attempts" has an invalid value "0": expected an integer >= 1 and <= 10'],
    [
      { namespace: 'Pr_42' },
      'Input "namespace" has an invalid value "Pr_42": expected a Kubernetes namespace name (lower-case letters, digits and -, at most 63)',
    ],
    [
      { url: 'javascript:alert(1)' },
      'Input "url" has an invalid value "javascript:alert(1)": expected an http:// or https:// URL',
    ],
    [{ format: 'html' }, 'Input "format" has an invalid value "html": expected one of adaptive-card, message-card'],
    [
      { facts: 'no equals sign' },
      'Input "facts" has an invalid value "no equals sign": expected key=value lines (one per line)',
    ],
    [
      { 'allowed-hosts': 'https://relay.example/x' },
      'Input "allowed-hosts" has an invalid value "https://relay.example/x": expected host names such as relay.example.com or *.example.com (no scheme, port or path)',
    ],
  ])('rejects %j with a clear error and sends nothing', async (bad, message) => {
    const s = await serve([{ status: 202 }]);
    const run = await notify({ 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1', ...bad });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([`::error::${message}`]);
    expect(s.requests).toHaveLength(0);
  });

  it('message-card is opt-in and sends the connector format', async () => {
    const s = await serve([{ status: 200, body: '1' }]);
    const run = await notify({
      'webhook-url': hookUrl(s),
      'allowed-hosts': '127.0.0.1',
      format: 'message-card',
      status: 'failure',
    });
    expect(run.outputs['delivered']).toBe('true');
    const body = JSON.parse(s.requests[0]?.body ?? '{}');
    expect(body['@type']).toBe('MessageCard');
    expect(body.summary).toBe('Deploy: Failed (example-org/shop)');
  });

  it('keeps the payload under 28 KB with a visible marker', async () => {
    const s = await serve([{ status: 202 }]);
    const facts = Array.from({ length: 400 }, (_, i) => `line-${i}=${'x'.repeat(200)}`).join('\n');
    const run = await notify({
      'webhook-url': hookUrl(s),
      'allowed-hosts': '127.0.0.1',
      title: 'T'.repeat(50_000),
      facts,
    });
    expect(run.outputs['delivered']).toBe('true');
    const sent = s.requests[0]?.body ?? '';
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(27 * 1024);
    expect(sent).toContain('… [truncated]');
    expect(run.stdout).toContain('::warning::The card was larger than 27 KB; long fields were shortened');
  });

  it('the webhook URL, its path and its sig never appear in any log, output or summary, even at debug level', async () => {
    const s = await serve([{ status: 500, body: `echo ${SIG}` }, { reset: true }, { status: 404, body: 'not found' }]);
    const run = await notify(
      { 'webhook-url': hookUrl(s), 'allowed-hosts': '127.0.0.1', 'fail-on-error': 'true' },
      { RUNNER_DEBUG: '1' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::add-mask::${SIG}`); // the runner is told to mask it
    const all = [...runs.map(visible), visible(run)].join('\n');
    for (const secret of [
      SIG,
      PATH_SECRET,
      encodeURIComponent(SIG),
      '%2Ftriggers%2Fmanual%2Frun',
      `/workflows/${PATH_SECRET}`,
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(run.stdout).toContain('HTTP 500: echo ***');
  });
});
