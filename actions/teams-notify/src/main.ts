import { defineAction, githubContext, InfraError, InputError, type ActionContext } from '@polyglot-cd/action-kit';
import { createHttpSender, proxyConfigured, type HttpSend } from '@polyglot-cd/tools/http';
import { buildModel, fitPayload, MAX_PAYLOAD_BYTES, type Fitted } from './card.js';
import { deliver, type DeliveryDeps, type DeliveryResult } from './deliver.js';
import { getInputs, type TeamsInputs } from './inputs.js';
import { initialReport, outputs, summary, type TeamsReport } from './summary.js';
import { checkResolvedAddresses } from './webhook.js';

export interface Deps {
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** the addresses a host name resolves to (default: the system resolver) */
  resolve?: (host: string) => Promise<string[]>;
}

type Inputs = Readonly<TeamsInputs>;

async function systemResolve(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(host, { all: true })).map((a) => a.address);
}

/**
 * Without a proxy this runner connects to the host itself: refuse a name that resolves to this machine
 * or a link-local address (cloud metadata) unless allowed-hosts names it exactly. A name that does not
 * resolve is left to the delivery, which reports it.
 */
async function checkAddresses(ctx: ActionContext, inputs: Inputs, deps: Deps): Promise<void> {
  const host = inputs.webhookUrl.hostname;
  if (proxyConfigured(ctx.env) || /^[\d.]+$|^\[/.test(host)) return;
  const addresses = await (deps.resolve ?? systemResolve)(host).catch(() => [] as string[]);
  const check = checkResolvedAddresses(host, addresses, inputs.allowedHosts);
  if (!check.ok) throw new InputError(`Input "webhook-url" is refused: ${check.reason}`, 'webhook-url');
}

function buildCard(ctx: ActionContext, inputs: Inputs, report: TeamsReport): Fitted {
  const model = buildModel(inputs, githubContext(ctx.env));
  const fitted = fitPayload(model, inputs.format);
  report.title = model.title;
  report.payloadBytes = fitted.bytes;
  report.truncated = fitted.truncated;
  if (fitted.truncated) {
    ctx.log.warning(
      `The card was larger than ${MAX_PAYLOAD_BYTES / 1024} KB; long fields were shortened (marked "… [truncated]")`,
    );
  }
  return fitted;
}

function send(ctx: ActionContext, inputs: Inputs, fitted: Fitted, deps: Deps): Promise<DeliveryResult> {
  const deliveryDeps: DeliveryDeps = {
    send: deps.send ?? createHttpSender(ctx.env),
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    log: ctx.log,
  };
  const host = inputs.webhookUrl.hostname;
  return ctx.log.group(`Send ${inputs.format} (${inputs.status}) to Teams webhook host ${host}`, () =>
    deliver(
      inputs.webhookUrl,
      fitted.body,
      { maxAttempts: inputs.maxAttempts, totalTimeoutMs: inputs.timeoutMs },
      deliveryDeps,
    ),
  );
}

/** Not delivered: a delivery failure (InfraError) with fail-on-error, else a warning and the job goes on. */
function conclude(ctx: ActionContext, inputs: Inputs, r: DeliveryResult): void {
  const host = inputs.webhookUrl.hostname;
  if (r.delivered) {
    ctx.log.info(`Delivered to ${host} in ${r.attempts} attempt(s) (HTTP ${r.statusCode})`);
    return;
  }
  const message = `Teams notification to ${host} was not delivered after ${r.attempts} attempt(s): ${r.error ?? 'unknown error'}`;
  if (inputs.failOnError)
    throw new InfraError(`${message} (fail-on-error is true)`, {
      service: `Teams webhook ${host}`,
      attempts: r.attempts,
    });
  ctx.log.warning(`${message}. The job goes on (set fail-on-error: true to fail it).`);
}

/** teams-notify: check where the webhook points, build the card, deliver it, conclude. */
export const action = defineAction<Inputs, TeamsReport, Deps>({
  name: 'teams-notify',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => {
    Object.assign(report, {
      stage: 'ready',
      host: inputs.webhookUrl.hostname,
      format: inputs.format,
      status: inputs.status,
    });
    await checkAddresses(ctx, inputs, deps);
    const fitted = buildCard(ctx, inputs, report);
    const result = await send(ctx, inputs, fitted, deps);
    Object.assign(report, { stage: 'sent', ...result });
    conclude(ctx, inputs, result);
  },
  outputs,
  summary,
});

export const main = action.main;
