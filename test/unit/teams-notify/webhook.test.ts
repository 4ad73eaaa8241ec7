import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from '../../../actions/teams-notify/src/webhook.js';

describe('webhook host allow-list', () => {
  it.each([
    ['https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x', [], true],
    ['https://default1234.ab.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/x', [], true],
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
    expect(checkWebhookUrl(new URL('https://contoso.webhook.office.com/webhookb2/abc'), ['*.webhook.office.com']).ok).toBe(true);
  });
});
