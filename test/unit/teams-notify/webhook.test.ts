import { describe, expect, it } from 'vitest';
import { main } from '../../../actions/teams-notify/src/main.js';
import { checkResolvedAddresses, checkWebhookUrl, isLocalAddress } from '../../../actions/teams-notify/src/webhook.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';

const SIG = canary('webhook test sig');

describe('webhook host allow-list', () => {
  it.each([
    ['https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x', [], true],
    [
      'https://default1234.ab.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/x',
      [],
      true,
    ],
    ['https://logic.azure.com/workflows/x', [], false],
    ['https://evil-logic.azure.com.attacker.net/x', [], false],
    ['https://attacker.net/?x=.logic.azure.com', [], false],
    ['https://relay.corp.example/teams', ['relay.corp.example'], true],
    ['https://a.relay.corp.example/teams', ['*.corp.example'], true],
    ['http://127.0.0.1:8080/hook', [], false],
    ['http://127.0.0.1:8080/hook', ['127.0.0.1'], true],
    ['http://prod-1.westus.logic.azure.com/workflows/x', [], false],
    ['https://user:pw@prod-1.westus.logic.azure.com/workflows/x', [], false],
  ])('%s with allowed-hosts %j → %s', (u, allowed, ok) => {
    expect(checkWebhookUrl(new URL(u), allowed).ok).toBe(ok);
  });

  it('explains that Office 365 connector hosts are retired', () => {
    const r = checkWebhookUrl(new URL('https://contoso.webhook.office.com/webhookb2/abc'), []);
    expect(r).toEqual({
      ok: false,
      reason:
        'contoso.webhook.office.com is an Office 365 connector host; those webhooks were retired. Create a Teams Workflows webhook ("When a Teams webhook request is received") and use its URL, or list contoso.webhook.office.com in allowed-hosts to send to it anyway',
    });
    expect(
      checkWebhookUrl(new URL('https://contoso.webhook.office.com/webhookb2/abc'), ['*.webhook.office.com']).ok,
    ).toBe(true);
  });
});

describe('addresses: loopback, link-local and IP literals only when allowed-hosts names them exactly', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data', ['*.254.169.254'], false],
    ['https://169.254.169.254/latest/meta-data', ['169.254.169.254'], true],
    ['https://10.0.0.5/hook', ['*.0.0.5'], false],
    ['https://[::1]/hook', [], false],
    ['https://[fe80::1]/hook', ['*.logic.azure.com'], false],
    // the URL parser turns 2130706433 and 0x7f.1 into 127.0.0.1: still an address
    ['https://2130706433/hook', ['*.0.1'], false],
    ['https://0x7f.1/hook', [], false],
    ['https://localhost/hook', [], false],
    ['https://localhost./hook', ['*.localhost'], false],
    ['https://relay.localhost/hook', ['*.localhost'], false],
    ['https://relay.localhost/hook', ['relay.localhost'], true],
  ])('%s with allowed-hosts %j → %s', (u, allowed, ok) => {
    const r = checkWebhookUrl(new URL(u), allowed);
    expect(r.ok).toBe(ok);
    if (!r.ok && /^\w+:\/\/(\[|\d|0x|localhost|relay\.localhost)/.test(u))
      expect(r.reason).toMatch(
        /is (an IP address|a loopback name); it is used only when allowed-hosts names it exactly/,
      );
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['169.254.169.254', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['febf::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:169.254.1.1', true],
    ['10.0.0.5', false],
    ['192.168.1.1', false],
    ['20.60.1.2', false],
    ['2603:1030::1', false],
    ['fec0::1', false],
    ['::ffff:8.8.8.8', false],
  ])('isLocalAddress(%s) → %s', (a, local) => {
    expect(isLocalAddress(a)).toBe(local);
  });

  it('a name (wildcard or default Teams host) that resolves to loopback or link-local is refused unless named exactly', () => {
    expect(checkResolvedAddresses('prod-1.westus.logic.azure.com', ['20.60.1.2'], [])).toEqual({ ok: true });
    expect(checkResolvedAddresses('prod-1.westus.logic.azure.com', ['20.60.1.2', '169.254.169.254'], [])).toEqual({
      ok: false,
      reason:
        'prod-1.westus.logic.azure.com resolves to 169.254.169.254 (loopback or link-local); list prod-1.westus.logic.azure.com exactly in allowed-hosts if that is really your relay',
    });
    expect(checkResolvedAddresses('hook.corp.example', ['127.0.0.1'], ['*.corp.example']).ok).toBe(false);
    expect(checkResolvedAddresses('hook.corp.example.', ['127.0.0.1'], ['hook.corp.example']).ok).toBe(true);
  });

  it('the action refuses, before sending anything, a webhook host that resolves to the runner itself', async () => {
    const sent: string[] = [];
    const ws = workspace({
      status: 'success',
      'webhook-url': `https://hook.corp.example/x?sig=${SIG}`,
      'allowed-hosts': '*.corp.example',
    });
    const run = await runInProcess(
      'teams-notify',
      (ctx) =>
        main(ctx, {
          resolve: async (h) => (h === 'hook.corp.example' ? ['127.0.0.1'] : []),
          send: async (req) => {
            sent.push(String(req.url));
            return { status: 202, headers: {}, body: '' };
          },
        }),
      ws,
    );
    expect(run.code).toBe(1);
    expect(sent).toEqual([]);
    expect(run.stdout).toContain(
      '::error::Input "webhook-url" is refused: hook.corp.example resolves to 127.0.0.1 (loopback or link-local)',
    );

    const ok = await runInProcess(
      'teams-notify',
      (ctx) =>
        main(ctx, {
          resolve: async () => ['20.60.1.2'],
          sleep: async () => {},
          send: async (req) => {
            sent.push(String(req.url));
            return { status: 202, headers: {}, body: '' };
          },
        }),
      workspace({
        status: 'success',
        'webhook-url': `https://hook.corp.example/x?sig=${SIG}`,
        'allowed-hosts': '*.corp.example',
      }),
    );
    expect(ok.code).toBe(0);
    expect(sent).toHaveLength(1);
  });
});
