/**
 * teams-notify's outputs and job summary are written by the kit after every way a run can end: an input
 * error (in the inputs, or the address check before sending), a webhook that keeps failing, and a
 * delivery that succeeds. The webhook is a fake `send` dep; the action runs no CLI, so there is no tool
 * failure to show.
 */
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '@polyglot-cd/tools/http';
import { main } from '../../../actions/teams-notify/src/main.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';

const SIG = canary('teams outcomes sig');
const URL_INPUTS = {
  status: 'failure',
  'webhook-url': `https://hook.corp.example/x?sig=${SIG}`,
  'allowed-hosts': '*.corp.example',
};

function notify(inputs: Record<string, string>, send: HttpSend, resolve = async () => ['20.60.1.2']) {
  return runInProcess(
    'teams-notify',
    (ctx) => main(ctx, { send, resolve, sleep: async () => {}, random: () => 0 }),
    workspace(inputs),
  );
}

const never: HttpSend = async () => {
  throw new Error('nothing may be sent');
};

describe('teams-notify: outputs and summary after every kind of ending', () => {
  it('an input error in the inputs: no outputs (nothing was tried), the summary says not sent, and the input-error block', async () => {
    const run = await notify({ ...URL_INPUTS, status: 'succeeded' }, never);
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({});
    expect(run.summary).toContain('## Teams notification');
    expect(run.summary).toContain('| Result | not sent: the inputs are not valid |');
    expect(run.summary).toContain('### teams-notify: Input error: fix the input and run again');
  });

  it('an input error found before sending (the host resolves to the runner): delivered=false, 0 attempts', async () => {
    const run = await notify(URL_INPUTS, never, async () => ['127.0.0.1']);
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '0', attempts: '0' });
    expect(run.summary).toContain('| Result | not sent |');
    expect(run.summary).toContain('| Webhook host | hook.corp.example |');
    expect(run.summary).toContain('### teams-notify: Input error: fix the input and run again');
  });

  it('an infrastructure failure: a webhook that keeps answering 503, with fail-on-error', async () => {
    let calls = 0;
    const send: HttpSend = async () => {
      calls++;
      return { status: 503, headers: {}, body: 'Service Unavailable' };
    };
    const run = await notify({ ...URL_INPUTS, 'fail-on-error': 'true', 'max-attempts': '3' }, send);
    expect(run.code).toBe(1);
    expect(calls).toBe(3);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '503', attempts: '3' });
    expect(run.summary).toContain('| Result | not delivered |');
    expect(run.summary).toContain('### teams-notify: Infrastructure failure: gave up after retrying');
    expect(run.summary).toContain('Service: Teams webhook hook.corp.example; attempts: 3');
    expect(run.stdout).toContain(
      '::error::Teams notification to hook.corp.example was not delivered after 3 attempt(s): HTTP 503: Service Unavailable (fail-on-error is true)',
    );
    // only the ::add-mask:: lines (consumed by the runner) carry the webhook's sig
    const visible = run.everything.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(visible.join('\n')).not.toContain(SIG);
  });

  it('the same 503s without fail-on-error: a warning, exit 0, the same outputs and no failure block', async () => {
    const send: HttpSend = async () => ({ status: 503, headers: {}, body: '' });
    const run = await notify({ ...URL_INPUTS, 'max-attempts': '2' }, send);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'false', 'status-code': '503', attempts: '2' });
    expect(run.summary).not.toContain('### teams-notify:');
  });

  it('delivered: outputs and summary facts', async () => {
    const run = await notify(URL_INPUTS, async () => ({ status: 202, headers: {}, body: '' }));
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ delivered: 'true', 'status-code': '202', attempts: '1' });
    expect(run.summary).toContain('| Result | delivered |');
  });
});
