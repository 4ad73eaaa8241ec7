import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunner, formatCommand, GateError, InputError, runAction, ToolError } from '@polyglot-cd/action-kit';
import { parseFileCommands } from '../../helpers/action-env.js';
import { canary, captureText } from '../../helpers/canary.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-run-'));
  const env = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'sum') };
  writeFileSync(env.GITHUB_OUTPUT, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  const lines: string[] = [];
  const runner = createRunner({ env, out: (l) => lines.push(l) });
  return { env, lines, runner };
}

describe('runAction', () => {
  it('writes outputs in the file-command format, multi-line safe', async () => {
    const { env, runner } = setup();
    const code = await runAction(
      't',
      async (ctx) => {
        ctx.outputs.set('plain', 'v');
        ctx.outputs.set('multi', 'a\nb');
        ctx.outputs.set('json', { x: [1] });
        ctx.outputs.set('flag', true);
      },
      { runner, setExitCode: false },
    );
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
    const code = await runAction('t', async () => Promise.reject(err), { runner, setExitCode: false });
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
      { runner, setExitCode: false },
    );
    const err = lines.find((l) => l.startsWith('::error::')) ?? '';
    expect(err).toContain(
      'helm failed with exit code 1%0Acommand: helm upgrade r%0Aexit code: 1%0Astderr (last lines):%0AError: boom',
    );
  });

  it('internal errors say so and keep the stack for debug; the summary is still written', async () => {
    const { env, lines, runner } = setup();
    const code = await runAction(
      't',
      async (ctx) => {
        ctx.summary.heading('partial');
        throw new TypeError('x is undefined');
      },
      { runner, setExitCode: false },
    );
    expect(code).toBe(1);
    expect(lines).toContain(
      '::error::t: internal error: x is undefined. Re-run with debug logging for the stack trace.',
    );
    expect(lines.some((l) => l.startsWith('::debug::TypeError: x is undefined'))).toBe(true);
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
      { runner, setExitCode: false },
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
