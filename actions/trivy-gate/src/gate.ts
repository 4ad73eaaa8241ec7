import { randomUUID } from 'node:crypto';
// synchronous file calls on purpose: a few small files and one report, where the thread-pool round
// trips of fs/promises cost more than the I/O (pnpm bench)
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  checkYamlExpansion,
  GateError,
  InfraError,
  InputError,
  MAX_YAML_NODES,
  ToolError,
  type ActionContext,
  type Logger,
} from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { manifest } from '@polyglot-cd/tools/manifest';
import { ensureTool } from '@polyglot-cd/tools/tool-installer';
import {
  Trivy,
  TrivyReportError,
  type TrivyReport,
  type TrivyScanOptions,
  type TrivyVersionInfo,
} from '@polyglot-cd/tools/trivy';
import {
  analyse,
  dbCheck,
  digestCheck,
  expiryProblem,
  gateFailureMessage,
  isNetworkFailure,
  summaryModel,
  versionProblem,
  type Analysis,
} from './decision.js';
import { imageDigest, layoutDigest } from './digest.js';
import { IgnoreFileError, parseTrivyignore, rulesFromYaml, type IgnoreOutcome, type IgnoreRule } from './ignore.js';
import type { GateInputs } from './inputs.js';
import type { GateReport } from './summary.js';

import type { Deps } from './main.js';

/**
 * How ignore YAML is parsed: the YAML 1.2 core schema (dates stay text, so an impossible date such as
 * 2025-13-01 is an error instead of a silent roll-over), the parser's own alias guard bounded like
 * `checkYamlExpansion`, warnings not printed.
 */
const IGNORE_YAML_OPTIONS = {
  version: '1.2',
  schema: 'core',
  maxAliasCount: MAX_YAML_NODES,
  logLevel: 'error',
} as const;

/** Parses one .trivyignore.yaml; what does not parse is an IgnoreFileError naming the line. */
async function parseIgnoreYaml(text: string, label: string): Promise<unknown> {
  const { parse, YAMLError } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text, IGNORE_YAML_OPTIONS);
  } catch (err) {
    if (!(err instanceof YAMLError) && /alias count/i.test((err as Error).message)) {
      // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
      throw new IgnoreFileError(
        `${label} expands to more than ${MAX_YAML_NODES} YAML values through its aliases (*name): refused (an alias bomb)`,
      );
    }
    const line = err instanceof YAMLError ? err.linePos?.[0]?.line : undefined;
    const message = ((err as Error).message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new IgnoreFileError(
      `${label} is not valid YAML${typeof line === 'number' ? ` (line ${line})` : ''}: ${message}`,
    );
  }
  checkYamlExpansion('ignore-file', doc);
  return doc;
}

/** Loads every ignore file; a file that does not parse is the user's to fix (an InputError). */
export async function loadIgnoreRules(files: readonly string[], workspace: string): Promise<IgnoreRule[]> {
  const rules: IgnoreRule[] = [];
  for (const file of files) {
    const label = file.startsWith(workspace + '/') ? file.slice(workspace.length + 1) : file;
    const text = readFileSync(file, 'utf8');
    try {
      if (/\.ya?ml$/i.test(file)) rules.push(...rulesFromYaml(await parseIgnoreYaml(text, label), label));
      else rules.push(...parseTrivyignore(text, label));
    } catch (err) {
      if (err instanceof IgnoreFileError) throw new InputError(`Input "ignore-file": ${err.message}`, 'ignore-file');
      throw err;
    }
  }
  return rules;
}

const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000];

interface Work {
  dir: string;
  reportPath: string;
  emptyIgnore: string;
  sarifPath: string;
}

interface Installed {
  trivy: Trivy;
  runner: CommandRunner;
  /** where the binary is and where it came from, for messages */
  path: string;
  source: string;
}

/**
 * The gate's phases, in order: checks before anything runs, install, one scan, the report analysed,
 * the binary's version, the report's digest and the DB's age checked, SARIF written, the decision.
 * Fills in `report`; the kit turns it into outputs and a summary.
 */
export async function runGate(
  ctx: ActionContext,
  inputs: Readonly<GateInputs>,
  report: GateReport,
  deps: Deps = {},
): Promise<void> {
  const now = deps.now ?? (() => new Date());
  report.target = inputs.image || inputs.input || inputs.path;
  report.stage = 'checks';
  let work: Work | undefined;
  try {
    checkVersionInput(inputs);
    const rules = await loadRules(ctx, inputs);
    work = workDir(ctx.env, inputs);
    report.stage = 'scan';
    const tool = await install(ctx, inputs, work);
    const scanOptions = await scanOptionsFor(inputs, work, tool.runner);
    // what the scan vouches for, read before trivy runs: an archive of several images is refused
    const digest = targetDigest(scanOptions, inputs);
    const { versionInfo } = await scan(ctx, tool.trivy, scanOptions, inputs, deps, now);
    // while a second `trivy version` may run, the report is read and analysed; nothing of it is used
    // (no output, no file) until the version and the DB are checked
    const doc = readReport(report, scanOptions);
    const analysis = analyse(doc, rules, inputs, now());
    const info = await versionInfo;
    checkBinaryVersion(ctx.log, tool, info);
    checkDigest(ctx.log, report, inputs.image, doc);
    const db = dbCheck(info, inputs, now());
    if (db.problem) throw dbProblem(report, db.problem, inputs.cacheDir);
    writeSarif(ctx.log, analysis, info.version, work.sarifPath);
    report.decided = summaryModel(analysis, inputs, {
      target: report.target,
      digest,
      trivyVersion: info.version,
      db,
      reportPath: work.reportPath,
      sarifPath: work.sarifPath,
      ignoreFile: inputs.ignoreFiles.map((f) => basename(f)).join(', '),
      skipDirs: inputs.skipDirs,
    });
    warnAboutIgnores(ctx.log, analysis.outcome);
    ctx.log.info(analysis.line);
    if (!analysis.passed) throw new GateError(gateFailureMessage(analysis, inputs.failOn));
  } catch (err) {
    if (!report.decided) {
      report.reason ||= reasonOf(err);
      if (work && existsSync(work.reportPath)) report.reportPath = work.reportPath;
    }
    throw err;
  }
}

/** The version must be pinned (with its SHA-256) and not refused: checked before anything happens. */
function checkVersionInput(inputs: Readonly<GateInputs>): void {
  const problem = versionProblem(inputs.version, manifest.tools['trivy']);
  if (problem) throw new InputError(`Input "version" has an invalid value "${inputs.version}": ${problem}`, 'version');
}

async function loadRules(ctx: ActionContext, inputs: Readonly<GateInputs>): Promise<IgnoreRule[]> {
  const rules = await loadIgnoreRules(inputs.ignoreFiles, ctx.env['GITHUB_WORKSPACE'] || process.cwd());
  if (inputs.ignoreFiles.length > 0)
    ctx.log.info(
      `Ignore rules: ${rules.length} entr${rules.length === 1 ? 'y' : 'ies'} from ${inputs.ignoreFiles.map((f) => basename(f)).join(', ')}`,
    );
  const problem = inputs.requireExpiry ? expiryProblem(rules) : undefined;
  if (problem) throw new InputError(problem, 'require-expiry');
  return rules;
}

function workDir(env: ActionContext['env'], inputs: Readonly<GateInputs>): Work {
  const dir = join(env['RUNNER_TEMP'] || tmpdir(), `trivy-gate-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const emptyIgnore = join(dir, 'none.trivyignore');
  writeFileSync(emptyIgnore, '', { mode: 0o600 });
  return {
    dir,
    reportPath: join(dir, 'report.json'),
    emptyIgnore,
    sarifPath: inputs.sarifFile || join(dir, 'trivy.sarif'),
  };
}

async function install(ctx: ActionContext, inputs: Readonly<GateInputs>, work: Work): Promise<Installed> {
  const { log, env } = ctx;
  const version = inputs.version || (manifest.tools['trivy']?.defaultVersion as string);
  const tool = await log.group(`Install trivy ${version}`, () =>
    ensureTool('trivy', version, {
      log,
      secrets: ctx.secrets,
      env,
      ...(inputs.toolsBaseUrl ? { baseUrl: inputs.toolsBaseUrl } : {}),
    }),
  );
  const runner = new CommandRunner({ log, secrets: ctx.secrets, env });
  // trivy runs in an empty directory of its own with an empty config: nothing in the checkout (a
  // trivy.yaml, .trivyignore or policy a pull request adds) reaches it
  const runDir = join(work.dir, 'run');
  mkdirSync(runDir, { mode: 0o700 });
  return { trivy: new Trivy(tool.path, runner, {}, runDir), runner, path: tool.path, source: tool.source };
}

async function scanOptionsFor(
  inputs: Readonly<GateInputs>,
  work: Work,
  runner: CommandRunner,
): Promise<TrivyScanOptions> {
  const scanTarget = inputs.path
    ? { path: inputs.path }
    : inputs.image
      ? { image: inputs.image }
      : { input: await ociLayoutOf(inputs.input, work.dir, runner) };
  return {
    target: scanTarget,
    // absolute: trivy makes them relative to the folder it walks (walker.FS.BuildSkipPaths)
    skipDirs: inputs.skipDirs.map((d) => join(inputs.path, d)),
    output: work.reportPath,
    scanners: inputs.scanners,
    timeoutSeconds: Math.ceil(inputs.timeoutMs / 1000),
    ignoreUnfixed: inputs.ignoreUnfixed,
    ignoreFile: work.emptyIgnore,
    dbRepositories: inputs.dbRepositories,
    skipDbUpdate: inputs.skipDbUpdate,
    ...(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {}),
  };
}

/** What the scan vouches for, read before trivy runs (an archive of several images is refused); '' for a folder. */
function targetDigest(o: TrivyScanOptions, inputs: Readonly<GateInputs>): string {
  if ('path' in o.target) return '';
  return 'input' in o.target ? layoutDigest(o.target.input, inputs.input) : imageDigest(inputs.image);
}

/**
 * The scan, with `trivy version` beside it: the binary's version (a binary named by
 * POLYGLOT_CD_TRIVY_BIN is not hash-checked, so a refused, compromised version is caught by it and its
 * report is not used; installs through the manifest are SHA-256-verified and never run a refused
 * version), and the vulnerability DB's metadata. The scan changes the DB only when trivy's own rule
 * says it is due (Trivy.dbMayUpdate); then `trivy version` runs again after the scan, so the DB checked
 * is the one the report came from. The version is returned still running, wrapped so it is not awaited.
 */
async function scan(
  ctx: ActionContext,
  trivy: Trivy,
  o: TrivyScanOptions,
  inputs: Readonly<GateInputs>,
  deps: Deps,
  now: () => Date,
): Promise<{ versionInfo: Promise<TrivyVersionInfo> }> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const cacheDir = inputs.cacheDir || undefined;
  let beside: Promise<TrivyVersionInfo> | undefined;
  const target = inputs.image || inputs.input || `the folder ${inputs.path}`;
  const skipped = inputs.skipDirs.length ? `, skipping ${inputs.skipDirs.join(', ')}` : '';
  await ctx.log.group(`Scan ${target} (${inputs.scanners.join(', ')}${skipped}) into one JSON report`, () =>
    scanWithRetries(trivy, o, inputs, {
      log: ctx.log,
      sleep,
      // started once the scan runs (starting a process blocks this thread: the scan goes first)
      started: () => {
        beside ??= trivy.version(cacheDir);
        beside.catch(() => undefined); // awaited after the scan; not unhandled if the scan fails first
      },
    }),
  );
  const before = await (beside as Promise<TrivyVersionInfo>);
  const versionInfo =
    inputs.scanners.includes('vuln') && Trivy.dbMayUpdate(before.vulnerabilityDb, now(), inputs.skipDbUpdate)
      ? trivy.version(cacheDir)
      : Promise.resolve(before);
  versionInfo.catch(() => undefined); // awaited by the caller; not unhandled if the report fails first
  return { versionInfo };
}

/** A binary that reports a refused version: its report is not used. */
function checkBinaryVersion(log: Logger, tool: Installed, info: TrivyVersionInfo): void {
  const refusal = manifest.tools['trivy']?.refused?.[info.version.replace(/^v/, '')];
  if (refusal)
    throw new InputError(
      `${tool.path} is trivy ${info.version}, which is refused: ${refusal}. Its report is not used; replace the binary or pin another version.`,
    );
  log.info(`trivy ${info.version} (${tool.source})`);
}

/** The report must be about the image the gate was asked to scan. */
function checkDigest(log: Logger, report: GateReport, image: string, doc: TrivyReport): void {
  if (!image) return;
  const check = digestCheck(image, doc.repoDigests);
  if (check === 'ok') return;
  if (check === 'unchecked') {
    const digest = image.slice(image.indexOf('@') + 1);
    log.warning(
      `The report lists no RepoDigests, so it cannot be checked against ${digest}; trusting the scan of ${image}`,
    );
    return;
  }
  report.reason = check;
  throw new ToolError(notDecided(check), { tool: 'trivy', argv: [], exitCode: 0, stderrTail: '' });
}

/** A stale DB is the DB source's failure (a mirror not refreshed); no DB at all is trivy's. */
function dbProblem(report: GateReport, p: { kind: 'missing' | 'stale'; reason: string }, cacheDir: string): Error {
  report.reason = p.reason;
  if (p.kind === 'stale')
    return new InfraError(`Trivy gate not decided: ${p.reason}. This is an infrastructure failure, not a pass.`, {
      service: 'vulnerability DB',
      attempts: 1,
    });
  return new ToolError(notDecided(p.reason), {
    tool: 'trivy',
    argv: Trivy.versionArgs(cacheDir || undefined),
    exitCode: 0,
    stderrTail: '',
  });
}

function notDecided(reason: string): string {
  return `Trivy gate not decided: ${reason}. Not a pass.`;
}

function writeSarif(log: Logger, a: Analysis, trivyVersion: string, sarifPath: string): void {
  if (a.extracted.unknownSeverities.length > 0)
    log.warning(`Unknown severities in the report, counted as UNKNOWN: ${a.extracted.unknownSeverities.join(', ')}`);
  a.sarif.runs[0].tool.driver.version = trivyVersion;
  mkdirSync(dirname(sarifPath), { recursive: true });
  writeFileSync(sarifPath, JSON.stringify(a.sarif) + '\n');
}

function warnAboutIgnores(log: Logger, outcome: IgnoreOutcome): void {
  for (const e of outcome.expired) {
    log.warning(
      `Ignore entry ${e.rule.id} (${e.rule.where}) expired on ${e.rule.expiresAt?.toISOString().slice(0, 10)} and no longer suppresses anything${e.matched.length ? ` (${e.matched.length} finding(s) counted again)` : ''}`,
    );
  }
  for (const r of outcome.noExpiry)
    log.warning(`Ignore entry ${r.id} (${r.where}) has no expiry: add one so the accepted risk is reviewed again`);
}

/** Why no decision was made, for the outputs: trivy's own reason when trivy failed. */
function reasonOf(err: unknown): string {
  const tool =
    err instanceof ToolError ? err : err instanceof Error && err.cause instanceof ToolError ? err.cause : undefined;
  if (tool && tool.details.tool === 'trivy') {
    const reason = Trivy.failureReason(tool.details.stderrTail);
    if (reason) return reason;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * One scan, retried only when Trivy produced no report because the vulnerability DB could not be
 * downloaded (a registry outage or rate limit). A DB or registry that cannot be reached is an
 * infrastructure error, any other failure a tool error, both carrying Trivy's own message: never a pass.
 */
async function scanWithRetries(
  trivy: Trivy,
  o: TrivyScanOptions,
  inputs: Readonly<GateInputs>,
  d: { log: Logger; sleep: (ms: number) => Promise<void>; started: () => void },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const scan = trivy.scan(o);
      d.started();
      await scan;
      return;
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      const reason = Trivy.failureReason(err.details.stderrTail) || err.message;
      const dbFailure = Trivy.isDbDownloadFailure(err.details.stderrTail);
      if (dbFailure && attempt < inputs.maxAttempts && !err.details.cancelled) {
        const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)] as number;
        d.log.warning(
          `Attempt ${attempt}: the vulnerability DB could not be downloaded (${reason}); retrying in ${delay / 1000}s`,
        );
        await d.sleep(delay);
        continue;
      }
      throw scanFailure(err, reason, attempt, dbFailure, inputs);
    }
  }
}

function scanFailure(
  err: ToolError,
  reason: string,
  attempts: number,
  dbFailure: boolean,
  inputs: Readonly<GateInputs>,
): Error {
  if (err.details.cancelled) return err;
  const network = !dbFailure && isNetworkFailure(err.details.stderrTail);
  const what = dbFailure
    ? `the vulnerability DB could not be downloaded${attempts > 1 ? ` (${attempts} attempts)` : ''}`
    : network
      ? 'a registry could not be reached'
      : err.details.timedOut
        ? 'Trivy timed out'
        : 'Trivy failed';
  const hint = dbFailure
    ? inputs.dbRepositories.length
      ? ' Check the db-repository mirrors.'
      : ' Set db-repository to a mirror (and keep the defaults after it), or retry later.'
    : '';
  if (dbFailure || network) {
    const mirrors = inputs.dbRepositories.length ? ` at ${inputs.dbRepositories.join(', ')}` : '';
    const service = dbFailure ? `vulnerability DB${mirrors}` : 'registry';
    return new InfraError(
      `Trivy produced no report: ${what}: ${reason}. The ${inputs.path ? 'folder' : 'image'} was not scanned: this is an infrastructure failure, not a pass.${hint}`,
      { service, attempts },
      { cause: err },
    );
  }
  return new ToolError(
    `Trivy produced no report: ${what}: ${reason}. The ${inputs.path ? 'folder' : 'image'} was not scanned: this is not a pass.`,
    err.details,
  );
}

/** The report the scan wrote: it must exist, parse, and have SchemaVersion 2. */
function readReport(report: GateReport, o: TrivyScanOptions): TrivyReport {
  const fail = (reason: string): ToolError => {
    report.reason = reason;
    return new ToolError(notDecided(reason), { tool: 'trivy', argv: Trivy.scanArgs(o), exitCode: 0, stderrTail: '' });
  };
  let text: string;
  try {
    const st = statSync(o.output);
    if (!st.isFile() || st.size === 0) throw new Error('empty');
    text = readFileSync(o.output, 'utf8');
  } catch {
    throw fail(`trivy exited 0 but wrote no report to ${o.output}`);
  }
  try {
    return Trivy.parseReport(text);
  } catch (err) {
    if (err instanceof TrivyReportError) throw fail(`the report cannot be used: ${err.message}`);
    throw err;
  }
}

/**
 * trivy's --input opens a docker-save tar or an OCI layout directory, not an OCI archive (the tar of a
 * layout that build-push writes with push: false): such a file is unpacked into the gate's work
 * directory first. trivy splits an --input path at ':' and '@', so the directory must have neither.
 */
async function ociLayoutOf(input: string, work: string, runner: CommandRunner): Promise<string> {
  if (statSync(input).isDirectory()) return input;
  const layout = join(work, 'oci-layout');
  if (/[:@]/.test(layout)) {
    throw new InputError(
      `Input "input": the work directory ${layout} contains ':' or '@', which trivy cannot read as a path; set RUNNER_TEMP to a plain path`,
      'input',
    );
  }
  mkdirSync(layout, { mode: 0o700 });
  await runner.run('tar', ['-xf', input, '-C', layout, '--no-same-owner', '--no-same-permissions'], {
    tool: 'tar',
    timeoutMs: 300_000,
  });
  if (!existsSync(join(layout, 'index.json')) && !existsSync(join(layout, 'manifest.json'))) {
    throw new InputError(
      `Input "input": ${input} is a tar file but neither an OCI archive (index.json) nor a docker-save tar (manifest.json)`,
      'input',
    );
  }
  // a docker-save tar is read by trivy as it is; only an OCI archive needs the unpacked layout
  return existsSync(join(layout, 'index.json')) ? layout : input;
}
