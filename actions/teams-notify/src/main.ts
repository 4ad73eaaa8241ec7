import { code, githubContext, type ActionContext, GateError } from '@polyglot-cd/action-kit';
import { createHttpSender, type HttpSend } from '@polyglot-cd/tools/http';
import { buildModel, fitPayload, MAX_PAYLOAD_BYTES } from './card.js';
import { deliver, type DeliveryDeps } from './deliver.js';
import { getInputs } from './inputs.js';

export interface Deps {
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log, outputs, summary } = ctx;
  const inputs = getInputs(ctx);
  const gh = githubContext(ctx.env);
  const host = inputs.webhookUrl.hostname;

  const model = buildModel(inputs, gh);
  const fitted = fitPayload(model, inputs.format);
  if (fitted.truncated) {
    log.warning(`The card was larger than ${MAX_PAYLOAD_BYTES / 1024} KB; long fields were shortened (marked "… [truncated]")`);
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

  summary
    .heading('Teams notification')
    .facts([
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
