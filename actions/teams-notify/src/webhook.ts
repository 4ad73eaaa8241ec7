/** Which webhook URLs teams-notify may post to. Pure. */
import { hostMatches } from '@polyglot-cd/action-kit';

/** Teams Workflows (Power Automate) webhook hosts. */
export const DEFAULT_ALLOWED_HOSTS = ['*.logic.azure.com', '*.environment.api.powerplatform.com'] as const;

/** Office 365 connector hosts: retired by Microsoft, refused unless listed in allowed-hosts. */
export const RETIRED_CONNECTOR_HOSTS = ['*.webhook.office.com', 'outlook.office.com', 'outlook.office365.com'] as const;

export type WebhookCheck = { ok: true } | { ok: false; reason: string };

export function checkWebhookUrl(url: URL, allowedHosts: readonly string[]): WebhookCheck {
  const host = url.hostname.toLowerCase();
  const explicitlyAllowed = allowedHosts.some((p) => hostMatches(host, p));
  if (url.username || url.password) {
    return { ok: false, reason: 'the URL must not contain a user name or password' };
  }
  if (url.protocol === 'http:') {
    return explicitlyAllowed
      ? { ok: true }
      : { ok: false, reason: `plain http is refused for host ${host}; use https, or list the host in allowed-hosts (for a local relay)` };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'expected an https URL' };
  if (explicitlyAllowed) return { ok: true };
  if (RETIRED_CONNECTOR_HOSTS.some((p) => hostMatches(host, p))) {
    return {
      ok: false,
      reason: `${host} is an Office 365 connector host; those webhooks were retired. Create a Teams Workflows webhook ("When a Teams webhook request is received") and use its URL, or list ${host} in allowed-hosts to send to it anyway`,
    };
  }
  if (DEFAULT_ALLOWED_HOSTS.some((p) => hostMatches(host, p))) return { ok: true };
  return {
    ok: false,
    reason: `host ${host} is not a Teams Workflows webhook host (${DEFAULT_ALLOWED_HOSTS.join(', ')}); list it in allowed-hosts if it is your own relay or proxy`,
  };
}
