#!/usr/bin/env node
// polyglot-cd: run the project's actions on your machine, from their bundles, the way the GitHub
// runner does (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, RUNNER_TEMP,
// the post step), and show the log, the outputs and the job summary readably.
// TypeScript run by Node's type stripping (Node 23.6+): `node bin/polyglot-cd.ts …`, or the launcher
// bin/polyglot-cd.js on any Node (it runs this file with a Node that strips types).
//
//   polyglot-cd run <action> [--input name=value …] [--env NAME=value …] [--debug] [--keep]
//   polyglot-cd list
//   polyglot-cd pipeline pr --pr <N> [--kubeconfig <path>] [--components <json>] [--trivy-db <dir>] [--keep]
//   polyglot-cd pipeline production [--promote] [--reject <environment>]… [--kubeconfig <path>] [--trivy-db <dir>]
//   polyglot-cd pipeline cleanup --pr <N> [--kubeconfig <path>]
//   polyglot-cd pipeline down
//   polyglot-cd release --dry-run [--version X.Y.Z]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFileCommands } from './lib/file-commands.ts';
import type { LocalGitHubEnv, PipelineOptions } from './lib/pipeline.ts';
import type { ActionResult } from './lib/workflow-runner.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: string, s: string): string => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = (s: string): string => c('1', s);
const dim = (s: string): string => c('2', s);
const red = (s: string): string => c('31', s);
const yellow = (s: string): string => c('33', s);
const green = (s: string): string => c('32', s);

function usage(code = 2): never {
  const text = `usage:
  polyglot-cd run <action> [--input name=value …] [--env NAME=value …] [--debug] [--keep]
      Runs dist/<action>/index.js (and its post step) with a temporary runner environment.
      --input  an action input (repeat; use --input-file name=path to read a value from a file)
      --env    an extra environment variable for the action (repeat)
      --debug  show ::debug:: lines (RUNNER_DEBUG=1)
      --keep   keep the temporary runner directory and print its path
  polyglot-cd list
      Lists the actions that have a bundle.
  polyglot-cd pipeline pr --pr <N> [--kubeconfig <path>] [--components <json>] [--trivy-db <dir>] [--keep]
      Runs .github/workflows/pr-preview.yml for pull request N on the app in the current directory,
      against a local registry, buildah, the local cluster (control plane and a real node; the one
      in $POLYGLOT_CD_KUBECONFIG or test/kube/cluster.sh's, else started), real Helm 4, the real
      trivy and a Teams sink that prints the card. Every image is scanned as an OCI archive before it
      is pushed; --trivy-db names trivy's cache directory (<dir>/db/trivy.db) to scan with, default a
      local DB with no advisories (bin/lib/local-trivy.ts).
      Components: every subfolder with a Containerfile/Dockerfile (or --components '[{"name","context","file"}]').
  polyglot-cd pipeline production [--promote] [--reject <environment>]… [--kubeconfig <path>] [--trivy-db <dir>]
      Runs .github/workflows/production.yml on the app in the current directory, on the same local
      stand-ins: build once, scan the archive, push the scanned bytes, sign them with a local cosign
      key, deploy <app>-staging, then <app>-production; the app's migrations (<component>/migrations)
      run in production only when their hash changed, after the production-migrations approval.
      --promote deploys what <app>-staging runs (its digests, signatures verified) without a build.
      Every environment is approved unless named with --reject.
  polyglot-cd pipeline cleanup --pr <N> [--kubeconfig <path>]
      Runs .github/workflows/pr-cleanup.yml (mode pr): deletes namespace pr-<N>.
  polyglot-cd pipeline down
      Stops the local registry, and the local cluster if the pipeline started it (one started with
      test/kube/cluster.sh start, or by a test run, keeps running).
  polyglot-cd release --dry-run [--version X.Y.Z]
      Runs .github/workflows/release.yml here as a dispatch of version X.Y.Z (default: the newest
      version in CHANGELOG.md) and prints the release plan: the version, the dist check (every bundle
      rebuilt into dist/ and compared byte for byte with the committed dist/), the notes and the
      major tag move. The full tests, the attestation, the GitHub release and the tag move are
      skipped with what they would do: releases are published by pushing the tag vX.Y.Z.`;
  (code === 0 ? console.log : console.error)(text);
  process.exit(code);
}

export function actions(): string[] {
  return readdirSync(join(root, 'dist')).filter(
    (d) => existsSync(join(root, 'dist', d, 'index.js')) && existsSync(join(root, d, 'action.yml')),
  );
}

/** The Node 24 the actions run on: the `node` devDependency, or this Node if it is 24+. */
export function node24(): string {
  const dep = join(root, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(dep)) return dep;
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  console.error(
    'polyglot-cd: the actions need Node 24; run `bash scripts/bootstrap.sh` first (it installs it as a dependency).',
  );
  process.exit(2);
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: process.cwd(), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** GITHUB_* defaults from the current Git checkout, so cards, tags and labels look like a real run. */
export function localGitHubEnv(): LocalGitHubEnv {
  const sha = git(['rev-parse', 'HEAD']) || '0'.repeat(40);
  const branch = git(['rev-parse', '--abbrev-ref', 'HEAD']) || 'main';
  const remote = git(['config', '--get', 'remote.origin.url']);
  const m = /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(remote);
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: m?.[1] ?? `local/${basename(process.cwd())}`,
    GITHUB_REPOSITORY_ID: '0',
    GITHUB_SHA: sha,
    GITHUB_REF: `refs/heads/${branch}`,
    GITHUB_REF_NAME: branch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_ACTOR: process.env.USER || 'local',
    GITHUB_WORKFLOW: 'local',
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: process.cwd(),
  };
}

export { parseFileCommands };

const unescapeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

/** Turns one runner log line (workflow commands) into what the Actions UI would show. */
export function renderLogLine(line: string, debug: boolean): string | null {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return line;
  const [, cmd, , data] = m;
  const text = unescapeData(data ?? '');
  switch (cmd) {
    case 'add-mask':
      return null;
    case 'debug':
      return debug ? dim(`debug: ${text}`) : null;
    case 'group':
      return bold(`▸ ${text}`);
    case 'endgroup':
      return null;
    case 'error':
      return red(`error: ${text}`);
    case 'warning':
      return yellow(`warning: ${text}`);
    case 'notice':
      return `notice: ${text}`;
    default:
      return line;
  }
}

const entities = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Renders the job-summary Markdown our actions write as plain, aligned terminal text. */
export function renderSummary(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\|.*\|$/.test(line)) {
      const rows: string[][] = [];
      for (; i < lines.length && /^\|.*\|$/.test(lines[i] ?? ''); i++) {
        const row = lines[i] ?? '';
        if (/^\|(\s*---\s*\|)+$/.test(row)) continue;
        rows.push(splitRow(row).map((cell) => plain(cell)));
      }
      i--;
      const widths = (rows[0] ?? []).map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
      rows.forEach((r, n) => {
        out.push(
          '  ' +
            r
              .map((cell, k) => cell.padEnd(widths[k] ?? 0))
              .join('  ')
              .trimEnd(),
        );
        if (n === 0 && rows.length > 1) out.push('  ' + widths.map((w) => '─'.repeat(w)).join('  '));
      });
      continue;
    }
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) {
      out.push(bold(plain(h[2] ?? '')));
      continue;
    }
    const d = /^<details(?: open)?><summary>(.*)<\/summary>$/.exec(line);
    if (d) {
      out.push(dim(`[${entities(d[1] ?? '')}]`));
      continue;
    }
    if (/^<\/details>$/.test(line)) continue;
    out.push(plain(line.replace(/<\/?pre>/g, '')));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function splitRow(row: string): string[] {
  const cells: string[] = [];
  let cur = '';
  for (let i = 1; i < row.length - 1; i++) {
    if (row[i] === '\\' && i + 1 < row.length - 1) {
      cur += row.slice(i, i + 2);
      i++;
    } else if (row[i] === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += row[i];
  }
  cells.push(cur.trim());
  return cells;
}

function plain(s: string): string {
  return entities(
    s
      .replace(/<br>/g, ' / ')
      .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (_, href: string, text: string) => `${text} (${entities(href)})`)
      .replace(/<\/?(code|b|strong|em)>/g, '')
      .replace(/\\([\\`*_[\]{}()#+!|~-])/g, '$1'),
  );
}

interface RunOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  debug?: boolean;
  keep?: boolean;
  quiet?: boolean;
  /** where the action's log lines go (default stdout): the local workflow runner's leg printer */
  out?: (line: string) => void;
}

function parseArgs(argv: string[]): Required<Omit<RunOptions, 'quiet' | 'out'>> & { inputs: Record<string, string> } {
  const opts = {
    inputs: {} as Record<string, string>,
    env: {} as Record<string, string | undefined>,
    debug: false,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const kv = (v: string | undefined, flag: string): [string, string] => {
      const eq = (v ?? '').indexOf('=');
      if (eq <= 0) {
        console.error(`polyglot-cd: ${flag} expects name=value, got ${JSON.stringify(v ?? '')}`);
        process.exit(2);
      }
      const s = v ?? '';
      return [s.slice(0, eq), s.slice(eq + 1)];
    };
    if (a === '--input' || a === '-i') {
      const [k, v] = kv(argv[++i], a);
      opts.inputs[k] = v;
    } else if (a === '--input-file') {
      const [k, p] = kv(argv[++i], a);
      opts.inputs[k] = readFileSync(p, 'utf8');
    } else if (a === '--env' || a === '-e') {
      const [k, v] = kv(argv[++i], a);
      opts.env[k] = v;
    } else if (a === '--debug') opts.debug = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help' || a === '-h') usage(0);
    else {
      console.error(`polyglot-cd: unknown option ${a}`);
      usage();
    }
  }
  return opts;
}

function runStep(
  file: string,
  env: Record<string, string | undefined>,
  debug: boolean,
  out?: (line: string) => void,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(node24(), [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const r = renderLogLine(l, debug);
        if (r === null) continue;
        if (out) out(`  ${r}`);
        else process.stdout.write(`  ${r}\n`);
      }
    };
    child.stdout.on('data', onData);
    // into a leg's printer: whole lines only (a chunk may end mid-line)
    let errBuf = '';
    child.stderr.on('data', (d: Buffer) => {
      if (!out) return void process.stderr.write(d);
      const lines = (errBuf + d.toString()).split('\n');
      errBuf = lines.pop() ?? '';
      for (const l of lines) if (l) out(`  ${l}`);
    });
    const forward = (sig: NodeJS.Signals): boolean => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (buf) onData('\n');
      if (errBuf && out) out(`  ${errBuf}`);
      resolve(code ?? 1);
    });
  });
}

/** Runs an action's bundle (and post step) like the runner. Resolves to { code, outputs, summary }. */
export async function runAction(
  action: string,
  { inputs = {}, env = {}, debug = false, keep = false, quiet = false, out }: RunOptions = {},
): Promise<ActionResult> {
  if (!actions().includes(action)) {
    console.error(`polyglot-cd: no action named ${JSON.stringify(action)} (have: ${actions().join(', ')})`);
    return { code: 2, outputs: {}, summary: '' };
  }
  const dir = mkdtempSync(join(tmpdir(), `polyglot-cd-${action}-`));
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary',
    GITHUB_STATE: 'state',
    GITHUB_ENV: 'env',
    GITHUB_PATH: 'path',
  };
  for (const f of Object.values(files)) writeFileSync(join(dir, f), '', { mode: 0o600 });
  mkdirSync(join(dir, 'temp'));
  mkdirSync(join(dir, 'tool-cache'), { recursive: true });
  const base: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) =>
        /^(https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY|NODE_EXTRA_CA_CERTS|POLYGLOT_CD_.*|KUBEBUILDER_ASSETS)$/.test(k),
      ),
    ),
    ...localGitHubEnv(),
    RUNNER_TEMP: join(dir, 'temp'),
    RUNNER_TOOL_CACHE:
      process.env.RUNNER_TOOL_CACHE || join(process.env.HOME || dir, '.cache', 'polyglot-cd', 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...(debug ? { RUNNER_DEBUG: '1' } : {}),
    ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, join(dir, f)])),
    ...env,
  };
  for (const [k, v] of Object.entries(inputs)) base[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const started = Date.now();
  if (!quiet) console.log(bold(`● ${action}`));
  let code = await runStep(join(root, 'dist', action, 'index.js'), base, debug, out);
  const post = join(root, 'dist', action, 'post', 'index.js');
  if (existsSync(post)) {
    const state = parseFileCommands(readFileSync(join(dir, 'state'), 'utf8'));
    const postEnv = { ...base, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])) };
    if (!quiet) console.log(bold(`● ${action} (post)`));
    const postCode = await runStep(post, postEnv, debug, out);
    if (code === 0) code = postCode;
  }
  const outputs = parseFileCommands(readFileSync(join(dir, 'output'), 'utf8'));
  const summary = readFileSync(join(dir, 'summary'), 'utf8');
  if (!quiet) {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      code === 0 ? green(`✔ ${action} succeeded in ${secs}s`) : red(`✘ ${action} failed (exit ${code}) after ${secs}s`),
    );
    if (Object.keys(outputs).length) {
      console.log(bold('\nOutputs'));
      const w = Math.max(...Object.keys(outputs).map((k) => k.length));
      for (const [k, v] of Object.entries(outputs))
        console.log(`  ${k.padEnd(w)}  ${v.includes('\n') ? v.replace(/\n/g, '\n  ' + ' '.repeat(w + 2)) : v}`);
    }
    if (summary.trim()) console.log(`\n${bold('Job summary')}\n${renderSummary(summary)}`);
  }
  if (keep) console.log(dim(`\nrunner files kept in ${dir}`));
  else rmSync(dir, { recursive: true, force: true });
  return { code, outputs, summary };
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'list') {
    for (const a of actions()) console.log(a);
    return 0;
  }
  if (cmd === 'run') {
    const [action, ...args] = rest;
    if (!action || action.startsWith('-')) return usage();
    const r = await runAction(action, parseArgs(args));
    return r.code;
  }
  if (cmd === 'pipeline') return pipeline(rest);
  if (cmd === 'release') return release(rest);
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') usage(0);
  return usage();
}

async function release(argv: string[]): Promise<number> {
  const opts: { dryRun: boolean; version?: string } = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') opts.dryRun = true;
    else if (a === '--version' && argv[i + 1] !== undefined) opts.version = argv[++i];
    else {
      console.error(`polyglot-cd release: unknown option ${a}`);
      usage();
    }
  }
  if (!opts.dryRun) {
    console.error(
      'polyglot-cd release: only --dry-run runs here; a release is published by pushing its tag vX.Y.Z (GitHub runs .github/workflows/release.yml)',
    );
    return 2;
  }
  const { runReleaseDryRun } = await import('./lib/release.ts');
  try {
    return (await runReleaseDryRun({ root, version: opts.version })).code;
  } catch (e) {
    console.error(red(`polyglot-cd release: ${(e as Error).message}`));
    return 1;
  }
}

async function pipeline(argv: string[]): Promise<number> {
  // the pipeline imports the test harness's TypeScript (base image) and runs the bundles: Node 24
  if (Number(process.versions.node.split('.')[0]) < 24) {
    const r = spawnSync(node24(), [fileURLToPath(import.meta.url), 'pipeline', ...argv], { stdio: 'inherit' });
    return r.status ?? 1;
  }
  const [sub, ...args] = argv;
  const opts: Partial<Pick<PipelineOptions, 'pr' | 'kubeconfig' | 'components' | 'keep' | 'trivyDb'>> = {};
  const production: { promote?: boolean; reject: string[] } = { reject: [] };
  const valued = {
    '--pr': 'pr',
    '--kubeconfig': 'kubeconfig',
    '--components': 'components',
    '--trivy-db': 'trivyDb',
  } as const;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a in valued) {
      const v = args[++i];
      if (v !== undefined) opts[valued[a as keyof typeof valued]] = v;
    } else if (a === '--keep') opts.keep = true;
    else if (a === '--promote') production.promote = true;
    else if (a === '--reject' && args[i + 1] !== undefined) production.reject.push(args[++i] ?? '');
    else {
      console.error(`polyglot-cd pipeline: unknown option ${a}`);
      usage();
    }
  }
  const lib = await import('./lib/pipeline.ts');
  const common: PipelineOptions = { ...opts, root, cwd: process.cwd(), runAction, renderSummary, localGitHubEnv };
  try {
    if (sub === 'pr') return (await lib.runPrPipeline(common)).code;
    if (sub === 'cleanup') return (await lib.runCleanupPipeline(common)).code;
    if (sub === 'production') {
      const { runProductionPipeline } = await import('./lib/production-pipeline.ts');
      return (await runProductionPipeline({ ...common, ...production })).code;
    }
    if (sub === 'down') {
      const { stopClusterIfStarted, stopRegistry, untrustRegistryOnLocalNode } = await import('./lib/local-stack.ts');
      const host = stopRegistry();
      console.log(host ? `local registry ${host} stopped` : 'no local registry recorded');
      if (host && untrustRegistryOnLocalNode(root, host)) console.log(`the local node no longer pulls from ${host}`);
      console.log(stopClusterIfStarted(root));
      return 0;
    }
  } catch (e) {
    console.error(red(`polyglot-cd pipeline: ${(e as Error).message}`));
    return 1;
  }
  return usage();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
