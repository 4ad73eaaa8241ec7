/** The local runner CLI (bin/polyglot-cd.ts): runs a bundle like the runner and shows what it did. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';
import { canary, captureText } from '../helpers/canary.js';
import { startServer, type ScriptedServer } from '../helpers/http-server.js';
import { parseFileCommands, renderLogLine, renderSummary } from '../../bin/polyglot-cd.ts';

function cli(args: string[], entry = 'polyglot-cd.ts'): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(repoRoot, 'bin', entry), ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', NO_COLOR: '1' },
      cwd: repoRoot,
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('close', (code) => {
      // what the terminal showed, for the secret canary scan
      captureText(`cli-${args[1] ?? args[0] ?? ''}`, `${out}\n${err}`);
      resolve({ code: code ?? -1, out, err });
    });
  });
}

let server: ScriptedServer;
beforeAll(async () => {
  server = await startServer([{ status: 202 }]);
});
afterAll(() => server.close());

describe('polyglot-cd run', () => {
  it('runs an action from its bundle and prints the log, outputs and summary', async () => {
    const sig = canary('cli webhook sig');
    const r = await cli([
      'run',
      'teams-notify',
      '--input',
      `webhook-url=${server.url}/hook?sig=${sig}`,
      '--input',
      'status=success',
      '--input',
      'allowed-hosts=127.0.0.1',
      '--input',
      'facts=Tier=gold',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('▸ Send adaptive-card (success) to Teams webhook host 127.0.0.1');
    expect(r.out).toMatch(/✔ teams-notify succeeded in \d+\.\ds/);
    expect(r.out).toMatch(/Outputs\n {2}delivered {4}true\n {2}status-code {2}202\n {2}attempts {5}1/);
    expect(r.out).toMatch(/Webhook host +127\.0\.0\.1/);
    expect(r.out).not.toContain(sig);
    expect(r.out).not.toContain('add-mask');
    expect(JSON.parse(server.requests[0]?.body ?? '{}').attachments[0].content.body[1].facts).toContainEqual({
      title: 'Tier',
      value: 'gold',
    });
  });

  it('passes the action failure through as the exit code', async () => {
    const r = await cli(['run', 'teams-notify', '--input', 'status=success']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: Input "webhook-url" is required and was not supplied.');
    expect(r.out).toMatch(/✘ teams-notify failed \(exit 1\)/);
  });

  it('refuses unknown actions and malformed options', async () => {
    expect((await cli(['run', 'nope'])).err).toContain('no action named "nope" (have: ');
    const bad = await cli(['run', 'teams-notify', '--input', 'novalue']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--input expects name=value, got "novalue"');
    expect((await cli(['list'])).out.split('\n')).toContain('teams-notify');
  });

  it('bin/polyglot-cd.js (the package bin) runs the TypeScript entry with the same arguments, output and exit code', async () => {
    expect((await cli(['list'], 'polyglot-cd.js')).out.split('\n')).toContain('teams-notify');
    const bad = await cli(['run', 'teams-notify', '--input', 'novalue'], 'polyglot-cd.js');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--input expects name=value, got "novalue"');
  });
});

describe('rendering', () => {
  it('renders workflow commands as the Actions UI would', () => {
    expect(renderLogLine('::add-mask::secret', false)).toBeNull();
    expect(renderLogLine('::debug::x', false)).toBeNull();
    expect(renderLogLine('::debug::x', true)).toBe('debug: x');
    expect(renderLogLine('::error::a%0Ab %25', false)).toBe('error: a\nb %');
    expect(renderLogLine('plain', false)).toBe('plain');
  });

  it('renders an escaped summary table as aligned plain text', () => {
    const md =
      '## Deploy \\(pr\\-1\\)\n\n| Field | Value |\n| --- | --- |\n| Image | <code>a@sha256:1</code> |\n| Run | <a href="https://x/y?a=1&amp;b=2">run</a> |\n| Pipe | a \\| b |\n\n<details><summary>Log &amp; more</summary>\n\n<pre>x &lt; y</pre>\n\n</details>\n';
    expect(renderSummary(md)).toBe(
      [
        'Deploy (pr-1)',
        '',
        '  Field  Value',
        '  ─────  ─────────────────────────',
        '  Image  a@sha256:1',
        '  Run    run (https://x/y?a=1&b=2)',
        '  Pipe   a | b',
        '',
        '[Log & more]',
        '',
        'x < y',
      ].join('\n'),
    );
  });

  it('parses file commands', () => {
    expect(parseFileCommands('a<<EOF1\nx\ny\nEOF1\nb<<E\n\nE\n')).toEqual({ a: 'x\ny', b: '' });
  });
});
