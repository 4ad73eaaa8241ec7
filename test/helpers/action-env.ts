/**
 * Drives an action the way the runner does: INPUT_* variables, and temp GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_STATE and RUNNER_TEMP files. Works for the bundle (a real Node 24
 * process) and for main() in-process.
 *
 * During a suite run everything a user or another job could see is kept for the secret canary scan
 * (test/README.md, "Secret canaries"): the workspace lives under the run's captures directory, each
 * run's step log is written beside it, and a file an output names outside the workspace is copied.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import { createRunnerProtocol, inputEnvName, runAction, type ActionMain } from '@polyglot-cd/action-kit';
import { canaryRunDir, capturesDir } from '../canary/run.js';
import { currentTestFile } from './canary.js';

export const repoRoot = new URL('../../', import.meta.url).pathname;

/** A clean environment: only PATH, HOME and runner variables (no NODE_OPTIONS or CA settings). */
export function baseEnv(): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    GITHUB_ACTIONS: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'example-org/shop',
    GITHUB_REPOSITORY_ID: '123456789',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_RUN_ID: '987654321',
    GITHUB_RUN_ATTEMPT: '1',
  };
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** everything a user or another job could see: logs, outputs, summary, state */
  everything: string;
  dir: string;
}

export interface Workspace {
  dir: string;
  env: Record<string, string>;
}

export function workspace(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Workspace {
  const run = canaryRunDir();
  const test = basename(currentTestFile() ?? 'action')
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-');
  const dir = mkdtempSync(run ? join(capturesDir(run), `ws-${test}-`) : join(tmpdir(), 'pcd-action-'));
  const env: Record<string, string> = {
    ...baseEnv(),
    RUNNER_TEMP: dir,
    RUNNER_TOOL_CACHE: join(dir, 'toolcache'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
    ...extraEnv,
  };
  for (const f of ['output', 'summary', 'state']) writeFileSync(join(dir, f), '');
  for (const [k, v] of Object.entries(inputs)) env[inputEnvName(k)] = v;
  return { dir, env };
}

/** Parses the file-command format (`name=value`, `name<<delim\nvalue\ndelim`) that GITHUB_OUTPUT uses: the CLI's reader. */
import { parseFileCommands } from '../../bin/lib/file-commands.ts';
export { parseFileCommands };

const runsPerWorkspace = new Map<string, number>();

/** Keeps the step log, and any file an output names outside the workspace, for the canary scan. */
function capture(ws: Workspace, stdout: string, stderr: string, outputs: Record<string, string>): void {
  const run = canaryRunDir();
  if (!run) return;
  const n = (runsPerWorkspace.get(ws.dir) ?? 0) + 1;
  runsPerWorkspace.set(ws.dir, n);
  const name = `${basename(ws.dir)}-${n}`;
  const captures = capturesDir(run);
  writeFileSync(join(captures, 'steps', `${name}.stdout.log`), stdout);
  if (stderr) writeFileSync(join(captures, 'steps', `${name}.stderr.log`), stderr);
  for (const [output, value] of Object.entries(outputs)) {
    if (!isAbsolute(value) || value.includes('\n') || !relative(captures, value).startsWith('..')) continue;
    try {
      if (statSync(value).isFile())
        copyFileSync(value, join(captures, 'files', `${name}-${output.replace(/[^A-Za-z0-9_-]/g, '_')}`));
    } catch {
      // not a file (or gone): nothing to keep
    }
  }
}

function collect(ws: Workspace, code: number, stdout: string, stderr: string): ActionRun {
  const read = (f: string): string => readFileSync(join(ws.dir, f), 'utf8');
  const outputText = read('output');
  const summary = read('summary');
  const outputs = parseFileCommands(outputText);
  capture(ws, stdout, stderr, outputs);
  return {
    code,
    stdout,
    stderr,
    outputs,
    summary,
    everything: [stdout, stderr, outputText, summary, read('state')].join('\n'),
    dir: ws.dir,
  };
}

/** Runs dist/<action>/index.js under this Node 24 (the real binary, not a shell shim). */
export function runBundle(action: string, ws: Workspace, opts: { timeoutMs?: number } = {}): Promise<ActionRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', action, 'index.js')], {
      env: ws.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(collect(ws, code ?? -1, stdout, stderr));
    });
  });
}

/** Runs an action's main in this process, through runAction, with the workspace's environment. */
export async function runInProcess(name: string, main: ActionMain, ws: Workspace): Promise<ActionRun> {
  const lines: string[] = [];
  const runner = createRunnerProtocol({ env: ws.env, out: (l) => lines.push(l) });
  const code = await runAction(name, main, { protocol: runner, setExitCode: false });
  return collect(ws, code, lines.join('\n'), '');
}
