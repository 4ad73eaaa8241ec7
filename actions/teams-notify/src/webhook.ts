/** Which webhook URLs teams-notify may post to. Pure. */
import { hostMatches } from '@polyglot-cd/action-kit';

/** node:net's isIP, with node:net loaded on first use, not at start (a missing input never needs it). */
function isIP(input: string): number {
  return process.getBuiltinModule('node:net').isIP(input);
}

/** Teams Workflows (Power Automate) webhook hosts. */
export const DEFAULT_ALLOWED_HOSTS = ['*.logic.azure.com', '*.environment.api.powerplatform.com'] as const;

/** Office 365 connector hosts: retired by Microsoft, refused unless listed in allowed-hosts. */
export const RETIRED_CONNECTOR_HOSTS = ['*.webhook.office.com', 'outlook.office.com', 'outlook.office365.com'] as const;

export type WebhookCheck = { ok: true } | { ok: false; reason: string };

/** `host` of a URL (IPv6 in brackets) as an address, or undefined for a name. */
function ipOf(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIP(bare) ? bare : undefined;
}

/**
 * Whether `address` is loopback (127/8, ::1), link-local (169.254/16 — cloud metadata endpoints live
 * there —, fe80::/10), unspecified (0.0.0.0, ::) or an IPv4-mapped form of one of them.
 */
export function isLocalAddress(address: string): boolean {
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return isLocalAddress(mapped[1] as string);
  if (isIP(a) === 4) return /^(127\.|169\.254\.|0\.)/.test(a);
  if (isIP(a) === 6) return a === '::1' || a === '::' || /^fe[89ab][0-9a-f]?:/.test(a);
  return false;
}

/** Names that mean this machine: localhost and *.localhost (RFC 6761). */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Where a webhook URL may point to. IP literals and loopback names are accepted only when allowed-hosts
 * names them exactly (a wildcard never covers them): a webhook URL from a secret must not be able to
 * reach the runner itself, the cloud metadata endpoint or another machine by address unless the
 * workflow says so.
 */
export function checkWebhookUrl(url: URL, allowedHosts: readonly string[]): WebhookCheck {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (url.username || url.password) {
    return { ok: false, reason: 'the URL must not contain a user name or password' };
  }
  if (ipOf(host) !== undefined || isLoopbackName(host)) {
    if (!allowedHosts.includes(host)) {
      return {
        ok: false,
        reason: `${host} is ${ipOf(host) !== undefined ? 'an IP address' : 'a loopback name'}; it is used only when allowed-hosts names it exactly (wildcards never match an address or localhost)`,
      };
    }
  }
  const explicitlyAllowed = allowedHosts.some((p) => hostMatches(host, p));
  if (url.protocol === 'http:') {
    return explicitlyAllowed
      ? { ok: true }
      : {
          ok: false,
          reason: `plain http is refused for host ${host}; use https, or list the host in allowed-hosts (for a local relay)`,
        };
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

/**
 * The addresses a webhook host name resolved to, checked before anything is sent: loopback, link-local
 * and unspecified addresses are refused unless allowed-hosts names the host exactly.
 */
export function checkResolvedAddresses(
  host: string,
  addresses: readonly string[],
  allowedHosts: readonly string[],
): WebhookCheck {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (allowedHosts.includes(h)) return { ok: true };
  const local = addresses.filter(isLocalAddress);
  if (local.length === 0) return { ok: true };
  return {
    ok: false,
    reason: `${h} resolves to ${local.join(', ')} (loopback or link-local); list ${h} exactly in allowed-hosts if that is really your relay`,
  };
}
