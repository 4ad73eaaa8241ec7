import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryLogger, Secrets, ToolError } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools';
import { repoRoot } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';

const STDIN_SECRET = canary('command-runner stdin password');
const ARGV_SECRET = canary('command-runner argv token');
const STREAMED_SECRET = canary('command-runner streamed secret');

const node = process.execPath;

function make(opts: { killGraceMs?: number } = {}) {
  const log = new MemoryLogger();
  const secrets = new Secrets();
  return { log, secrets, runner: new CommandRunner({ log, secrets, ...opts }) };
}

async function toolError(p: Promise<unknown>): Promise<ToolError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ToolError);
    return e as ToolError;
  }
  throw new Error('expected a ToolError');
}

describe('CommandRunner', () => {
  it("never hands a child the step's inputs or the runner's tokens from the base environment", async () => {
    const password = canary('INPUT_PASSWORD of the step');
    const request = canary('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    const runtime = canary('ACTIONS_RUNTIME_TOKEN');
    const base = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      INPUT_PASSWORD: password,
      'INPUT_KEY-PASSWORD': password,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: request,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner/_apis/token',
      ACTIONS_RUNTIME_TOKEN: runtime,
      KEPT: 'yes',
    };
    const printEnv = ['-e', 'console.log(JSON.stringify(process.env))'];
    const log = new MemoryLogger();
    const seen = JSON.parse(
      (await new CommandRunner({ log, secrets: new Secrets(), env: base }).run(node, printEnv)).stdout,
    ) as Record<string, string>;
    expect(seen['KEPT']).toBe('yes');
    for (const k of [
      'INPUT_PASSWORD',
      'INPUT_KEY-PASSWORD',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_RUNTIME_TOKEN',
    ])
      expect(seen[k], k).toBeUndefined();
    // only on purpose: a variable passed for one call, or a name the action lists
    const perCall = JSON.parse(
      (
        await new CommandRunner({ log, secrets: new Secrets(), env: base }).run(node, printEnv, {
          env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: request },
        })
      ).stdout,
    ) as Record<string, string>;
    expect(perCall['ACTIONS_ID_TOKEN_REQUEST_TOKEN']).toBe(request);
    const listed = JSON.parse(
      (
        await new CommandRunner({
          log,
          secrets: new Secrets(),
          env: base,
          passThrough: ['ACTIONS_ID_TOKEN_REQUEST_URL'],
        }).run(node, printEnv)
      ).stdout,
    ) as Record<string, string>;
    expect(listed['ACTIONS_ID_TOKEN_REQUEST_URL']).toBe('https://runner/_apis/token');
    expect(listed['ACTIONS_ID_TOKEN_REQUEST_TOKEN']).toBeUndefined();
  });

  it('passes argv literally: no shell ever parses a value', async () => {
    const { runner } = make();
    const tricky = ['$(touch /tmp/pwned)', 'a;b', '`id`', '--flag=x y', "it's", '*'];
    const r = await runner.run(node, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky]);
    expect(JSON.parse(r.stdout)).toEqual(tricky);
  });

  it('captures stdout and stderr and passes stdin', async () => {
    const { runner } = make();
    const r = await runner.run(node, ['-e', 'process.stdin.pipe(process.stdout); console.error("to-err")'], {
      input: 'from-stdin',
    });
    expect(r.stdout).toBe('from-stdin');
    expect(r.stderr.trim()).toBe('to-err');
    expect(r.exitCode).toBe(0);
  });

  it('a failure carries the tool, redacted argv, exit code and redacted stderr tail', async () => {
    const { runner, secrets } = make();
    secrets.add(STDIN_SECRET);
    const e = await toolError(
      runner.run(
        node,
        [
          '-e',
          'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{console.error("line1\\nauth failed for "+s);process.exit(3)})',
        ],
        {
          tool: 'fake',
          input: STDIN_SECRET,
        },
      ),
    );
    expect(e.details.tool).toBe('fake');
    expect(e.details.exitCode).toBe(3);
    expect(e.message).toBe('fake failed with exit code 3');
    expect(e.details.stderrTail).toBe('line1\nauth failed for ***');
  });

  it('refuses to put a registered secret on the command line', async () => {
    const { runner, secrets } = make();
    secrets.add(ARGV_SECRET);
    await expect(runner.run(node, ['-e', '0', `--password=${ARGV_SECRET}`])).rejects.toThrow(
      /refusing to run node: a secret would appear on its command line \(argv: .* --password=\*\*\*\)/,
    );
  });

  it('okExitCodes accepts expected non-zero codes', async () => {
    const { runner } = make();
    const r = await runner.run(node, ['-e', 'process.exit(2)'], { okExitCodes: [0, 2] });
    expect(r.exitCode).toBe(2);
  });

  it('a missing binary is a clear ToolError', async () => {
    const { runner } = make();
    const e = await toolError(runner.run('/nonexistent/helm', ['version']));
    expect(e.message).toBe('helm was not found (/nonexistent/helm): is it installed and on PATH?');
  });

  it('enforces the timeout: SIGTERM, then SIGKILL for a child that ignores it', async () => {
    const { runner } = make({ killGraceMs: 300 });
    const started = Date.now();
    const e = await toolError(
      runner.run(node, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], {
        timeoutMs: 300,
        tool: 'stubborn',
      }),
    );
    expect(e.details.timedOut).toBe(true);
    expect(e.message).toBe('stubborn timed out after 0s');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('streams output lines to the log, redacted', async () => {
    const { runner, secrets, log } = make();
    secrets.add(STREAMED_SECRET);
    await runner.run(node, ['-e', 'console.log("step 1"); console.log("token " + process.env.S)'], {
      stream: true,
      env: { S: STREAMED_SECRET },
    });
    expect(log.lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['step 1', 'token ***']);
  });

  it('forwards SIGTERM to the running tool and lets it finish cleanly', async () => {
    // A real action process runs a child tool; the job is cancelled (SIGTERM to the action).
    const dir = mkdtempSync(join(tmpdir(), 'pcd-sig-'));
    const marker = join(dir, 'child-got-signal');
    const ready = join(dir, 'child-ready');
    const childScript = join(dir, 'child.mjs');
    writeFileSync(
      childScript,
      `import { writeFileSync } from 'node:fs';
       process.on('SIGTERM', () => { writeFileSync(${JSON.stringify(marker)}, 'SIGTERM'); process.exit(143); });
       writeFileSync(${JSON.stringify(ready)}, 'ok'); setInterval(() => {}, 1000);`,
    );
    const parent = spawn(node, ['--import', './test/helpers/ts-hooks.ts', 'test/fakes/signal-parent.ts', childScript], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    parent.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const closed = new Promise<number | null>((r) => parent.on('close', r));
    // wait until the child tool is running, then cancel the "job"
    const deadline = Date.now() + 15_000;
    while (!existsSync(ready) && Date.now() < deadline && parent.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(ready), `child never started: ${err}`).toBe(true);
    parent.kill('SIGTERM');
    const code = await closed;
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe('SIGTERM');
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    expect(report.cancelled).toBe(true);
    expect(report.message).toBe('child was stopped: the job was cancelled (SIGTERM)');
    expect(report.log.some((m: string) => m.startsWith('Received SIGTERM: passing it to 1 running tool(s)'))).toBe(
      true,
    );
    expect(code).toBe(0);
  });
});
