import { code, githubContext, type ActionContext, GateError, InputError } from '@polyglot-cd/action-kit';
import { createHttpSender, proxyConfigured, type HttpSend } from '@polyglot-cd/tools/http';
import { buildModel, fitPayload, MAX_PAYLOAD_BYTES } from './card.js';
import { deliver, type DeliveryDeps } from './deliver.js';
import { getInputs } from './inputs.js';
import { checkResolvedAddresses } from './webhook.js';

export interface Deps {
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** the addresses a host name resolves to (default: the system resolver) */
  resolve?: (host: string) => Promise<string[]>;
}

async function systemResolve(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(host, { all: true })).map((a) => a.address);
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log, outputs, summary } = ctx;
  const inputs = getInputs(ctx);
  const gh = githubContext(ctx.env);
  const host = inputs.webhookUrl.hostname;

  // Without a proxy this runner connects to the host itself: refuse a name that resolves to this machine
  // or a link-local address (cloud metadata) unless allowed-hosts names it exactly. A name that does not
  // resolve is left to the delivery, which reports it.
  if (!proxyConfigured(ctx.env) && !/^[\d.]+$|^\[/.test(host)) {
    const addresses = await (deps.resolve ?? systemResolve)(host).catch(() => [] as string[]);
    const check = checkResolvedAddresses(host, addresses, inputs.allowedHosts);
    if (!check.ok) throw new InputError(`Input "webhook-url" is refused: ${check.reason}`, 'webhook-url');
  }

  const model = buildModel(inputs, gh);
  const fitted = fitPayload(model, inputs.format);
  if (fitted.truncated) {
    log.warning(
      `The card was larger than ${MAX_PAYLOAD_BYTES / 1024} KB; long fields were shortened (marked "… [truncated]")`,
    );
  }

  const deliveryDeps: DeliveryDeps = {
    send: deps.send ?? createHttpSender(ctx.env),
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    log,
  };
  const result = await log.group(`Send ${inputs.format} (${inputs.status}) to Teams webhook host ${host}`, () =>
    deliver(
      inputs.webhookUrl,
      fitted.body,
      { maxAttempts: inputs.maxAttempts, totalTimeoutMs: inputs.timeoutMs },
      deliveryDeps,
    ),
  );

  outputs.set('delivered', result.delivered);
  outputs.set('status-code', result.statusCode);
  outputs.set('attempts', result.attempts);

  summary.heading('Teams notification').facts([
    ['Result', result.delivered ? 'delivered' : 'not delivered'],
    ['Webhook host', host],
    ['Format', inputs.format === 'adaptive-card' ? 'Adaptive Card 1.4 (Workflows)' : 'MessageCard (legacy connector)'],
    ['Status sent', inputs.status],
    ['Title', model.title],
    ['HTTP status', result.statusCode === 0 ? 'none' : result.statusCode],
    ['Attempts', result.attempts],
    ['Payload', `${fitted.bytes} bytes${fitted.truncated ? ' (truncated)' : ''}`],
  ]);
  if (!result.delivered && result.error) summary.raw(`Reason: ${code(result.error)}\n\n`);

  if (!result.delivered) {
    const message = `Teams notification to ${host} was not delivered after ${result.attempts} attempt(s): ${result.error ?? 'unknown error'}`;
    if (inputs.failOnError) throw new GateError(`${message} (fail-on-error is true)`);
    log.warning(`${message}. The job goes on (set fail-on-error: true to fail it).`);
  } else {
    log.info(`Delivered to ${host} in ${result.attempts} attempt(s) (HTTP ${result.statusCode})`);
  }
}
