import { randomUUID } from 'node:crypto';
// synchronous file calls on purpose: a few small files and one report, where the thread-pool round
// trips of fs/promises cost more than the I/O (pnpm bench)
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { GateError, InputError, ToolError, type ActionContext } from '@polyglot-cd/action-kit';
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
import { countBySeverity, extractFindings, failing, sortFindings, summaryLine } from './findings.js';
import {
  appliesToSomething,
  applyIgnores,
  IgnoreFileError,
  parseTrivyignore,
  rulesFromYaml,
  type IgnoreRule,
} from './ignore.js';
import type { GateInputs } from './inputs.js';
import { renderSummary, renderUndecided } from './render.js';
import { toSarif } from './sarif.js';

import type { Deps } from './main.js';

/** Loads every ignore file; a file that does not parse is the user's to fix (an InputError). */
export async function loadIgnoreRules(files: readonly string[], workspace: string): Promise<IgnoreRule[]> {
  const rules: IgnoreRule[] = [];
  for (const file of files) {
    const label = file.startsWith(workspace + '/') ? file.slice(workspace.length + 1) : file;
    const text = readFileSync(file, 'utf8');
    try {
      if (/\.ya?ml$/i.test(file)) {
        const { load, CORE_SCHEMA } = await import('js-yaml');
        let doc: unknown;
        try {
          // the YAML 1.2 core schema keeps dates as text, so an impossible date (2025-13-01) is an
          // error here instead of js-yaml's silent roll-over to another day
          doc = load(text, { filename: label, schema: CORE_SCHEMA });
        } catch (err) {
          throw new IgnoreFileError(`${label} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
        }
        rules.push(...rulesFromYaml(doc, label));
      } else {
        rules.push(...parseTrivyignore(text, label));
      }
    } catch (err) {
      if (err instanceof IgnoreFileError) throw new InputError(`Input "ignore-file": ${err.message}`, 'ignore-file');
      throw err;
    }
  }
  return rules;
}

/** The scan could not produce a decision: outputs and summary say so, then a ToolError. */
class Undecided extends Error {
  readonly details: ConstructorParameters<typeof ToolError>[1];
  constructor(message: string, details: ConstructorParameters<typeof ToolError>[1]) {
    super(message);
    this.details = details;
  }
}

const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000];

/** Everything after input validation: loaded lazily by main, so a bad input costs no more than the inputs. */
export async function runGate(ctx: ActionContext, inputs: GateInputs, deps: Deps = {}): Promise<void> {
  const { log, outputs, summary, env } = ctx;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const target = inputs.image || inputs.input;

  // the version must be pinned (with its SHA-256) and not refused: checked before anything happens
  const pinned = manifest.tools['trivy'];
  if (inputs.version !== '' && pinned) {
    const refusal = pinned.refused?.[inputs.version];
    if (refusal)
      throw new InputError(
        `Input "version" has an invalid value "${inputs.version}": trivy ${inputs.version} is refused: ${refusal}`,
        'version',
      );
    if (!pinned.versions[inputs.version]) {
      throw new InputError(
        `Input "version" has an invalid value "${inputs.version}": not pinned in the tool manifest with its SHA-256 (pinned: ${Object.keys(pinned.versions).join(', ')})`,
        'version',
      );
    }
  }

  const rules = await loadIgnoreRules(inputs.ignoreFiles, workspace);
  if (inputs.ignoreFiles.length > 0)
    log.info(
      `Ignore rules: ${rules.length} entr${rules.length === 1 ? 'y' : 'ies'} from ${inputs.ignoreFiles.map((f) => basename(f)).join(', ')}`,
    );
  const noExpiry = rules.filter((r) => r.expiresAt === undefined && appliesToSomething(r));
  if (inputs.requireExpiry && noExpiry.length > 0) {
    throw new InputError(
      `Input "require-expiry" is true, and ${noExpiry.length} ignore entr${noExpiry.length === 1 ? 'y has' : 'ies have'} no expiry: ${noExpiry
        .map((r) => `${r.id} (${r.where})`)
        .join(', ')}. Add expired_at: YYYY-MM-DD (.trivyignore.yaml) or exp:YYYY-MM-DD (.trivyignore) to each.`,
      'require-expiry',
    );
  }

  const work = join(env['RUNNER_TEMP'] || tmpdir(), `trivy-gate-${randomUUID().slice(0, 8)}`);
  mkdirSync(work, { recursive: true, mode: 0o700 });
  const reportPath = join(work, 'report.json');
  const emptyIgnore = join(work, 'none.trivyignore');
  writeFileSync(emptyIgnore, '', { mode: 0o600 });
  const sarifPath = inputs.sarifFile || join(work, 'trivy.sarif');

  const undecided = (reason: string, extra: [string, string][] = []): void => {
    outputs.set('passed', false);
    outputs.set('summary', `not decided — ${reason}`);
    outputs.set('report', existsSync(reportPath) ? reportPath : '');
    summary.raw(renderUndecided(target, reason, extra));
  };

  try {
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
    const runDir = join(work, 'run');
    mkdirSync(runDir, { mode: 0o700 });
    const trivy = new Trivy(tool.path, runner, {}, runDir);
    const cacheDir = inputs.cacheDir || undefined;
    const scanTarget = inputs.image
      ? { image: inputs.image }
      : { input: await ociLayoutOf(inputs.input, work, runner) };

    const scanOptions: TrivyScanOptions = {
      target: scanTarget,
      output: reportPath,
      scanners: inputs.scanners,
      timeoutSeconds: Math.ceil(inputs.timeoutMs / 1000),
      ignoreUnfixed: inputs.ignoreUnfixed,
      ignoreFile: emptyIgnore,
      dbRepositories: inputs.dbRepositories,
      skipDbUpdate: inputs.skipDbUpdate,
      ...(cacheDir ? { cacheDir } : {}),
    };

    // `trivy version` runs beside the scan: the binary's version (a binary named by POLYGLOT_CD_TRIVY_BIN
    // is not hash-checked, so a refused, compromised version is caught by it and its report is not
    // used; installs through the manifest are SHA-256-verified and never run a refused version), and
    // the vulnerability DB's metadata. The scan changes the DB only when trivy's own rule says it is
    // due (Trivy.dbMayUpdate); then `trivy version` runs again after the scan, so the DB checked is the
    // one the report came from.
    let beside: Promise<TrivyVersionInfo> | undefined;
    await log.group(`Scan ${target} (${inputs.scanners.join(', ')}) into one JSON report`, () =>
      scanWithRetries(trivy, scanOptions, inputs, {
        log,
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
    versionInfo.catch(() => undefined); // awaited below; not unhandled if the report fails first

    // While a second `trivy version` runs, the report is read, parsed and analysed; nothing of it is
    // used (no output, no file) until the version and the DB are checked.
    const report = readReport(scanOptions);
    const extracted = extractFindings(report, { scanners: inputs.scanners, ignoreUnfixed: inputs.ignoreUnfixed });
    const outcome = applyIgnores(extracted.findings, rules, now());
    const kept = sortFindings(outcome.kept);
    const counts = countBySeverity(kept);
    const failed = failing(kept, inputs.failOn);
    const passed = failed.length === 0;
    const line = summaryLine(counts, passed, inputs.failOn);
    const sarif = toSarif(kept, outcome.suppressed, {
      trivyVersion: '',
      artifactName: report.artifactName || target,
      severities: inputs.severities,
    });

    const info = await versionInfo;
    const refusal = manifest.tools['trivy']?.refused?.[info.version.replace(/^v/, '')];
    if (refusal)
      throw new InputError(
        `${tool.path} is trivy ${info.version}, which is refused: ${refusal}. Its report is not used; replace the binary or pin another version.`,
      );
    log.info(`trivy ${info.version} (${tool.source})`);

    // the report must be about the image we were asked to scan
    if (inputs.image) {
      const digest = inputs.image.slice(inputs.image.indexOf('@') + 1);
      if (report.repoDigests.length === 0) {
        log.warning(
          `The report lists no RepoDigests, so it cannot be checked against ${digest}; trusting the scan of ${inputs.image}`,
        );
      } else if (!report.repoDigests.some((d) => d.endsWith(`@${digest}`))) {
        throw new Undecided(`the report is for ${report.repoDigests.join(', ')}, not ${inputs.image}`, {
          tool: 'trivy',
          argv: [],
          exitCode: 0,
          stderrTail: '',
        });
      }
    }

    // the vulnerability DB must be fresh enough to trust a clean result
    let dbUpdatedAt: Date | undefined;
    let dbAgeHours: number | undefined;
    if (inputs.scanners.includes('vuln')) {
      dbUpdatedAt = info.vulnerabilityDb?.updatedAt;
      if (dbUpdatedAt) dbAgeHours = (now().getTime() - dbUpdatedAt.getTime()) / 3_600_000;
      if (inputs.maxDbAgeMs > 0) {
        if (!dbUpdatedAt) {
          throw new Undecided(
            `trivy version --format json reports no vulnerability DB${cacheDir ? ` in ${cacheDir}` : ''}, so its age cannot be checked`,
            {
              tool: 'trivy',
              argv: Trivy.versionArgs(cacheDir),
              exitCode: 0,
              stderrTail: '',
            },
          );
        }
        const maxH = inputs.maxDbAgeMs / 3_600_000;
        if ((dbAgeHours as number) > maxH) {
          throw new Undecided(
            `the vulnerability DB was updated ${dbUpdatedAt.toISOString()}, ${(dbAgeHours as number).toFixed(1)} h ago: older than max-db-age (${maxH} h). A stale DB misses recent vulnerabilities; update it (drop skip-db-update, or refresh the mirror)`,
            { tool: 'trivy', argv: Trivy.versionArgs(cacheDir), exitCode: 0, stderrTail: '' },
          );
        }
      }
    }

    if (extracted.unknownSeverities.length > 0) {
      log.warning(`Unknown severities in the report, counted as UNKNOWN: ${extracted.unknownSeverities.join(', ')}`);
    }
    sarif.runs[0].tool.driver.version = info.version;
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, JSON.stringify(sarif) + '\n');

    outputs.set('passed', passed);
    outputs.set('critical', counts.CRITICAL);
    outputs.set('high', counts.HIGH);
    outputs.set('medium', counts.MEDIUM);
    outputs.set('low', counts.LOW);
    outputs.set('unknown', counts.UNKNOWN);
    outputs.set('total', counts.total);
    outputs.set('report', reportPath);
    outputs.set('sarif', sarifPath);
    outputs.set('summary', line);

    for (const e of outcome.expired) {
      log.warning(
        `Ignore entry ${e.rule.id} (${e.rule.where}) expired on ${e.rule.expiresAt?.toISOString().slice(0, 10)} and no longer suppresses anything${e.matched.length ? ` (${e.matched.length} finding(s) counted again)` : ''}`,
      );
    }
    for (const r of outcome.noExpiry)
      log.warning(`Ignore entry ${r.id} (${r.where}) has no expiry: add one so the accepted risk is reviewed again`);

    summary.raw(
      renderSummary({
        target,
        passed,
        failOn: inputs.failOn,
        line,
        counts,
        findings: kept,
        failingCount: failed.length,
        severities: inputs.severities,
        scanners: inputs.scanners,
        suppressed: outcome.suppressed,
        expired: outcome.expired,
        noExpiry: outcome.noExpiry,
        ignoreFile: inputs.ignoreFiles.map((f) => basename(f)).join(', '),
        requireExpiry: inputs.requireExpiry,
        ignoreUnfixed: inputs.ignoreUnfixed,
        unfixedDropped: extracted.unfixedDropped,
        trivyVersion: info.version,
        ...(dbUpdatedAt ? { dbUpdatedAt } : {}),
        ...(dbAgeHours !== undefined ? { dbAgeHours } : {}),
        reportPath,
        sarifPath,
      }),
    );

    log.info(line);
    if (!passed) {
      const top = failed
        .slice(0, 5)
        .map(
          (f) =>
            `${f.severity} ${f.id}${f.pkgName ? ` in ${f.pkgName} ${f.installedVersion}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ''}` : ` in ${f.target}`}`,
        );
      throw new GateError(
        `Trivy gate failed: ${line}. ${failed.length} finding(s) at or above ${inputs.failOn}, e.g. ${top.join('; ')}${failed.length > 5 ? '; …' : ''}`,
      );
    }
  } catch (err) {
    if (err instanceof Undecided) {
      undecided(err.message);
      throw new ToolError(
        `Trivy gate not decided: ${err.message}. This is an infrastructure failure, not a pass.`,
        err.details,
      );
    }
    if (err instanceof InputError) undecided(err.message);
    if (err instanceof ToolError && err.details.tool === 'trivy') {
      const reason = Trivy.failureReason(err.details.stderrTail) || err.message;
      undecided(reason);
    }
    throw err;
  }
}

/**
 * One scan, retried only when Trivy produced no report because the vulnerability DB could not be
 * downloaded (a registry outage or rate limit). Any other failure, or a retry budget spent, is an
 * infrastructure error carrying Trivy's own message: never a pass.
 */
async function scanWithRetries(
  trivy: Trivy,
  o: TrivyScanOptions,
  inputs: GateInputs,
  d: { log: ActionContext['log']; sleep: (ms: number) => Promise<void>; started: () => void },
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
      const what = dbFailure
        ? `the vulnerability DB could not be downloaded${attempt > 1 ? ` (${attempt} attempts)` : ''}`
        : err.details.timedOut
          ? 'Trivy timed out'
          : 'Trivy failed';
      const hint = dbFailure
        ? inputs.dbRepositories.length
          ? ' Check the db-repository mirrors.'
          : ' Set db-repository to a mirror (and keep the defaults after it), or retry later.'
        : '';
      throw new ToolError(
        `Trivy produced no report: ${what}: ${reason}. The image was not scanned: this is an infrastructure failure, not a pass.${hint}`,
        err.details,
      );
    }
  }
}

/** The report the scan wrote: it must exist, parse, and have SchemaVersion 2. */
function readReport(o: TrivyScanOptions): TrivyReport {
  let text: string;
  try {
    const st = statSync(o.output);
    if (!st.isFile() || st.size === 0) throw new Error('empty');
    text = readFileSync(o.output, 'utf8');
  } catch {
    throw new Undecided(`trivy exited 0 but wrote no report to ${o.output}`, {
      tool: 'trivy',
      argv: Trivy.scanArgs(o),
      exitCode: 0,
      stderrTail: '',
    });
  }
  try {
    return Trivy.parseReport(text);
  } catch (err) {
    if (err instanceof TrivyReportError) {
      throw new Undecided(`the report cannot be used: ${err.message}`, {
        tool: 'trivy',
        argv: Trivy.scanArgs(o),
        exitCode: 0,
        stderrTail: '',
      });
    }
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
