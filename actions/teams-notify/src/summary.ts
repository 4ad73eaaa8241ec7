/**
 * teams-notify's report, filled in as the run goes, and how it becomes the step's outputs and the job
 * summary. Pure.
 */
import { code, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import type { Format, Status } from './inputs.js';

export interface TeamsReport {
  /** `inputs`: the inputs did not validate; `ready`: valid, nothing sent yet; `sent`: delivery tried */
  stage: 'inputs' | 'ready' | 'sent';
  host: string;
  format?: Format;
  status?: Status;
  title: string;
  payloadBytes: number;
  truncated: boolean;
  delivered: boolean;
  /** 0: no HTTP answer */
  statusCode: number;
  attempts: number;
  /** why it was not delivered (no URL in it) */
  error?: string;
}

export function initialReport(): TeamsReport {
  return {
    stage: 'inputs',
    host: '',
    title: '',
    payloadBytes: 0,
    truncated: false,
    delivered: false,
    statusCode: 0,
    attempts: 0,
  };
}

/** Nothing when the inputs did not validate; from then on whether (and how) the card was delivered. */
export function outputs(r: TeamsReport): Record<string, OutputValue> {
  if (r.stage === 'inputs') return {};
  return { delivered: r.delivered, 'status-code': r.statusCode, attempts: r.attempts };
}

function result(r: TeamsReport): string {
  if (r.delivered) return 'delivered';
  return r.stage === 'sent' ? 'not delivered' : 'not sent';
}

const FORMAT_LABEL: Record<Format, string> = {
  'adaptive-card': 'Adaptive Card 1.4 (Workflows)',
  'message-card': 'MessageCard (legacy connector)',
};

/** The facts of the delivery (the kit adds the failure block). */
export function summary(r: TeamsReport, s: Summary, _end: Ending): void {
  s.heading('Teams notification');
  if (r.stage === 'inputs') {
    s.facts([['Result', 'not sent: the inputs are not valid']]);
    return;
  }
  s.facts([
    ['Result', result(r)],
    ['Webhook host', r.host],
    ['Format', r.format ? FORMAT_LABEL[r.format] : ''],
    ['Status sent', r.status ?? ''],
    ['Title', r.title],
    ['HTTP status', r.statusCode === 0 ? 'none' : r.statusCode],
    ['Attempts', r.attempts],
    ['Payload', r.payloadBytes ? `${r.payloadBytes} bytes${r.truncated ? ' (truncated)' : ''}` : 'not built'],
  ]);
  if (!r.delivered && r.error) s.raw(`Reason: ${code(r.error)}\n\n`);
}
