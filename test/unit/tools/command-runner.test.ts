import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryLogger, Secrets, ToolError } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools';
import { repoRoot } from '../../helpers/action-env.js';

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
  it('passes argv literally: no shell ever parses a value', async () => {
    const { runner } = make();
    const tricky = ['$(touch /tmp/pwned)', 'a;b', '`id`', '--flag=x y', "it's", '*'];
    const r = await runner.run(node, ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky]);
    expect(JSON.parse(r.stdout)).toEqual(tricky);
  });

  it('captures stdout and stderr and passes stdin', async () => {
    const { runner } = make();
    const r = await runner.run(node, ['-e', 'process.stdin.pipe(process.stdout); console.error("to-err")'], { input: 'from-stdin' });
    expect(r.stdout).toBe('from-stdin');
    expect(r.stderr.trim()).toBe('to-err');
    expect(r.exitCode).toBe(0);
  });

  it('a failure carries the tool, redacted argv, exit code and redacted stderr tail', async () => {
    const { runner, secrets } = make();
    secrets.add('registry-password-123');
    const e = await toolError(
      runner.run(node, ['-e', 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{console.error("line1\\nauth failed for "+s);process.exit(3)})'], {
        tool: 'fake',
        input: 'registry-password-123',
      }),
    );
    expect(e.details.tool).toBe('fake');
    expect(e.details.exitCode).toBe(3);
    expect(e.message).toBe('fake failed with exit code 3');
    expect(e.details.stderrTail).toBe('line1\nauth failed for ***');
  });

  it('refuses to put a registered secret on the command line', async () => {
    const { runner, secrets } = make();
    secrets.add('super-secret-token');
    await expect(runner.run(node, ['-e', '0', '--password=super-secret-token'])).rejects.toThrow(
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
      runner.run(node, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { timeoutMs: 300, tool: 'stubborn' }),
    );
    expect(e.details.timedOut).toBe(true);
    expect(e.message).toBe('stubborn timed out after 0s');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('streams output lines to the log, redacted', async () => {
    const { runner, secrets, log } = make();
    secrets.add('streamed-secret');
    await runner.run(node, ['-e', 'console.log("step 1"); console.log("token " + process.env.S)'], { stream: true, env: { S: 'streamed-secret' } });
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
    const parent = spawn(node, ['--import', './test/helpers/ts-hooks.mjs', 'test/fakes/signal-parent.ts', childScript], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    parent.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const closed = new Promise<number | null>((r) => parent.on('close', r));
    // wait until the child tool is running, then cancel the "job"
    const deadline = Date.now() + 15_000;
    while (!existsSync(ready) && Date.now() < deadline && parent.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(ready), `child never started: ${err}`).toBe(true);
    parent.kill('SIGTERM');
    const code = await closed;
    expect(existsSync(marker)).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe('SIGTERM');
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    expect(report.cancelled).toBe(true);
    expect(report.message).toBe('child was stopped: the job was cancelled (SIGTERM)');
    expect(report.log.some((m: string) => m.startsWith('Received SIGTERM: passing it to 1 running tool(s)'))).toBe(true);
    expect(code).toBe(0);
  });
});
