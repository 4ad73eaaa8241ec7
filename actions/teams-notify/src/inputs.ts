import { HOST_PATTERN_RE, isDigestRef, isDnsLabel, parseHttpUrl, type ActionContext } from '@polyglot-cd/action-kit';
import { checkWebhookUrl } from './webhook.js';

export const STATUSES = ['success', 'failure', 'cancelled', 'started'] as const;
export type Status = (typeof STATUSES)[number];
export const FORMATS = ['adaptive-card', 'message-card'] as const;
export type Format = (typeof FORMATS)[number];

export interface TeamsInputs {
  webhookUrl: URL;
  status: Status;
  title: string;
  environment: string;
  namespace: string;
  image: string;
  url: string;
  facts: ReadonlyArray<readonly [string, string]>;
  format: Format;
  failOnError: boolean;
  timeoutMs: number;
  maxAttempts: number;
  allowedHosts: readonly string[];
}

/** Reads and validates every input before anything is sent. The webhook URL is masked at read. */
export function getInputs(ctx: ActionContext): Readonly<TeamsInputs> {
  const { inputs } = ctx;
  const secret = { secret: true, url: true } as const;
  const rawUrl = inputs.required('webhook-url', {
    ...secret,
    hint: 'Pass the Teams Workflows webhook URL from a secret, e.g. webhook-url: ${{ secrets.TEAMS_WEBHOOK_URL }}.',
  });
  const allowedHosts = inputs.list('allowed-hosts').map((h) => h.toLowerCase());
  for (const h of allowedHosts) {
    if (!HOST_PATTERN_RE.test(h)) {
      inputs.fail(
        'allowed-hosts',
        h,
        'expected host names such as relay.example.com or *.example.com (no scheme, port or path)',
      );
    }
    if (h.startsWith('*.') && /^[\d.]+$/.test(h.slice(2))) {
      inputs.fail(
        'allowed-hosts',
        h,
        'a wildcard must cover names, not addresses; name an IP address exactly, e.g. 10.0.0.5',
      );
    }
  }
  const webhookUrl = parseHttpUrl(rawUrl) ?? inputs.fail('webhook-url', rawUrl, 'expected an https:// URL', secret);
  const check = checkWebhookUrl(webhookUrl, allowedHosts);
  if (!check.ok) inputs.fail('webhook-url', rawUrl, check.reason, secret);

  inputs.required('status', { hint: `Expected one of ${STATUSES.join(', ')}, e.g. status: \${{ job.status }}.` });
  const status = inputs.oneOf('status', STATUSES, 'success');

  const namespace = inputs.optional('namespace');
  if (namespace && !isDnsLabel(namespace)) {
    inputs.fail(
      'namespace',
      namespace,
      'expected a Kubernetes namespace name (lower-case letters, digits and -, at most 63)',
    );
  }
  const image = inputs.optional('image');
  if (image && !isDigestRef(image)) {
    inputs.fail('image', image, 'expected an image by digest, repo@sha256:<64 hex> (the digest output of build-push)');
  }
  const url = inputs.optional('url');
  if (url && !parseHttpUrl(url)) inputs.fail('url', url, 'expected an http:// or https:// URL');

  return Object.freeze({
    webhookUrl,
    status,
    title: inputs.optional('title'),
    environment: inputs.optional('environment'),
    namespace,
    image,
    url,
    facts: Object.freeze([...inputs.keyValues('facts')]),
    format: inputs.oneOf('format', FORMATS, 'adaptive-card'),
    failOnError: inputs.bool('fail-on-error', false),
    timeoutMs: inputs.duration('timeout', { default: '60s', min: '1s', max: '15m' }),
    maxAttempts: inputs.int('max-attempts', { default: 5, min: 1, max: 10 }),
    allowedHosts: Object.freeze(allowedHosts),
  });
}
