import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  createRunnerProtocol,
  defineAction,
  formatCommand,
  GateError,
  InfraError,
  InputError,
  runAction,
  ToolError,
  type Summary,
} from '@polyglot-cd/action-kit';
import { parseFileCommands } from '../../helpers/action-env.js';
import { canary, captureText } from '../../helpers/canary.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-run-'));
  const env = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'sum') };
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  const lines: string[] = [];
  const runner = createRunnerProtocol({ env, out: (l) => lines.push(l) });
  return { env, lines, runner };
}

describe('runAction', () => {
  it('writes outputs in the file-command format, multi-line safe', async () => {
    const { env, runner } = setup();
    const action = defineAction({
      name: 't',
      inputs: () => ({}),
      initial: () => ({ plain: 'v', multi: 'a\nb', json: { x: [1] }, flag: true, none: undefined }),
      run: async () => {},
      outputs: (r) => r,
      summary: () => {},
    });
    const code = await action.start({ protocol: runner, setExitCode: false });
    expect(code).toBe(0);
    expect(parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({
      plain: 'v',
      multi: 'a\nb',
      json: '{"x":[1]}',
      flag: 'true',
    });
  });

  it.each([
    [
      new InputError('Input "x" is required and was not supplied.'),
      '::error::Input "x" is required and was not supplied.',
    ],
    [new GateError('2 CRITICAL vulnerabilities'), '::error::2 CRITICAL vulnerabilities'],
  ])('reports %s once, without a stack', async (err, line) => {
    const { lines, runner } = setup();
    const code = await runAction('t', async () => Promise.reject(err), { protocol: runner, setExitCode: false });
    expect(code).toBe(1);
    expect(lines.filter((l) => l.startsWith('::error::'))).toEqual([line]);
    expect(lines.join('\n')).not.toContain('    at ');
  });

  it('reports a ToolError with tool, argv, exit code and stderr tail', async () => {
    const { lines, runner } = setup();
    await runAction(
      't',
      async () => {
        throw new ToolError('helm failed with exit code 1', {
          tool: 'helm',
          argv: ['helm', 'upgrade', 'r'],
          exitCode: 1,
          stderrTail: 'Error: boom',
        });
      },
      { protocol: runner, setExitCode: false },
    );
    const err = lines.find((l) => l.startsWith('::error::')) ?? '';
    expect(err).toContain(
      'helm failed with exit code 1%0Acommand: helm upgrade r%0Aexit code: 1%0Astderr (last lines):%0AError: boom',
    );
  });

  it('internal errors say they are a bug and show the stack; the summary is still written', async () => {
    const { env, lines, runner } = setup();
    const code = await runAction(
      't',
      async (ctx) => {
        ctx.summary.heading('partial');
        throw new TypeError('x is undefined');
      },
      { protocol: runner, setExitCode: false },
    );
    expect(code).toBe(1);
    const error = lines.find((l) => l.startsWith('::error::')) ?? '';
    expect(error).toMatch(
      /^::error::t: internal error \(a bug in polyglot-cd\): x is undefined%0ATypeError: x is undefined%0A {4}at /,
    );
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('## partial');
  });

  it('secrets registered during the run are redacted from every log line', async () => {
    const { lines, runner } = setup();
    const secret = canary('run secret');
    await runAction(
      't',
      async (ctx) => {
        ctx.secrets.add(secret);
        ctx.log.info(`using ${secret}`);
        throw new InputError(`bad ${secret}`);
      },
      { protocol: runner, setExitCode: false },
    );
    captureText('redacted-run', lines.join('\n'), { stepLog: true });
    expect(lines).toContain(`::add-mask::${secret}`);
    expect(lines.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(secret);
  });
});

describe('workflow commands', () => {
  it('escapes data and properties like the runner expects', () => {
    expect(formatCommand('error', { title: 'a:b,c' }, '50% done\nnext')).toBe(
      '::error title=a%3Ab%2Cc::50%25 done%0Anext',
    );
  });
});

describe('defineAction: outputs and summary are written once, on success and after every kind of failure', () => {
  interface Report {
    phase: string;
    done: string[];
  }
  const toolError = new ToolError('trivy failed with exit code 2', {
    tool: 'trivy',
    argv: ['trivy', 'image', 'r@sha256:1'],
    exitCode: 2,
    stderrTail: 'FATAL db',
  });
  const cases: [string, unknown, string, RegExp][] = [
    [
      'input',
      new InputError('Input "x" has an invalid value "y"', 'x'),
      'Input error: fix the input',
      /Input &quot;x&quot;/,
    ],
    ['tool', toolError, 'A tool failed', /<code>trivy image r@sha256:1<\/code>, exit code 2[\s\S]*FATAL db/],
    ['gate', new GateError('2 CRITICAL'), 'Refused by policy', /2 CRITICAL/],
    [
      'infrastructure',
      new InfraError('the registry did not answer', { service: 'registry localhost:5000', attempts: 4 }),
      'Infrastructure failure',
      /Service: registry localhost:5000; attempts: 4/,
    ],
    ['cancelled', new CancelledError('the run was cancelled'), 'Cancelled', /the run was cancelled/],
    [
      'cancelled tool',
      new ToolError('helm was stopped', {
        tool: 'helm',
        argv: ['helm'],
        exitCode: null,
        stderrTail: '',
        cancelled: true,
      }),
      'Cancelled',
      /helm was stopped/,
    ],
    ['internal', new TypeError('y is undefined'), 'Internal error: a bug in polyglot-cd', /y is undefined/],
  ];

  function action(fail: unknown, calls: string[], failIn: 'inputs' | 'run' = 'run') {
    return defineAction<{ x: string }, Report, { extra?: string }>({
      name: 'demo',
      inputs: () => {
        if (failIn === 'inputs') throw fail;
        return { x: 'ok' };
      },
      initial: () => ({ phase: 'start', done: [] }),
      run: async (_ctx, inputs, report, deps) => {
        report.phase = 'run';
        report.done.push(inputs.x, deps.extra ?? '');
        if (fail !== undefined) throw fail;
        report.phase = 'end';
      },
      outputs: (r) => {
        calls.push('outputs');
        return { phase: r.phase, done: r.done.length > 0 ? r.done : undefined };
      },
      summary: (r, s: Summary, end) => {
        calls.push('summary');
        s.heading('Demo').facts([
          ['Phase', r.phase],
          ['Ended', end.kind],
        ]);
      },
    });
  }

  it('success: the outputs and the summary from the report, written once, with the deps given to main', async () => {
    const { env, lines, runner } = setup();
    const calls: string[] = [];
    const a = action(undefined, calls);
    const code = await runAction('demo', (ctx) => a.main(ctx, { extra: 'dep' }), {
      protocol: runner,
      setExitCode: false,
    });
    expect(code).toBe(0);
    expect(calls).toEqual(['outputs', 'summary']);
    expect(parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({ phase: 'end', done: '["ok","dep"]' });
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| Ended | success |');
    expect(summary).not.toContain('### demo:');
    expect(lines.filter((l) => l.startsWith('::error::'))).toEqual([]);
  });

  it.each(cases)('%s failure: outputs, summary and its own result block, then exit 1', async (_k, err, title, body) => {
    const { env, lines, runner } = setup();
    const calls: string[] = [];
    const code = await action(err, calls).start({ protocol: runner, setExitCode: false });
    expect(code).toBe(1);
    expect(calls).toEqual(['outputs', 'summary']);
    expect(parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({ phase: 'run', done: '["ok",""]' });
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| Phase | run |');
    expect(summary).toContain(`### demo: ${title}`);
    expect(summary.slice(summary.indexOf('### demo:'))).toMatch(body);
    expect(lines.filter((l) => l.startsWith('::error::'))).toHaveLength(1);
  });

  it('an input error before run: the initial report is what the outputs and the summary show', async () => {
    const { env, runner } = setup();
    const calls: string[] = [];
    const code = await action(new InputError('Input "x" is required', 'x'), calls, 'inputs').start({
      protocol: runner,
      setExitCode: false,
    });
    expect(code).toBe(1);
    expect(parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({ phase: 'start' });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('### demo: Input error: fix the input');
  });

  it('a summary that throws still leaves the outputs and the failure block', async () => {
    const { env, lines, runner } = setup();
    const a = defineAction({
      name: 'demo',
      inputs: () => ({}),
      initial: () => ({ n: 1 }),
      run: async () => {
        throw new GateError('no');
      },
      outputs: (r) => ({ n: r.n }),
      summary: () => {
        throw new Error('render bug');
      },
    });
    expect(await a.start({ protocol: runner, setExitCode: false })).toBe(1);
    expect(parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({ n: '1' });
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('### demo: Refused by policy');
    expect(lines).toContain('::warning::demo: could not render the summary: render bug');
  });
});
