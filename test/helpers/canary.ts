/**
 * Secret canaries (test/README.md, "Secret canaries"). A test that hands an action (or a library) a
 * secret uses `canary(label)` instead of a fixed string: a unique, recognisable value, registered for
 * the whole run. At the end of the run the root global setup (test/canary/global-setup.ts) looks for
 * every canary, raw, URL-encoded and base64-encoded, in everything the suite captured: step logs,
 * outputs, summaries, state, reports and SARIF, and the argv and environment of every child tool that
 * went through `toolWrapper`. One hit fails the run.
 *
 *   const password = canary('registry password');
 *   const token = canary('kubeconfig token');
 *   registerSecret('service-account token', tokenFromTheCluster); // a secret the test did not choose
 *
 * Works in the forked workers and in global setups: everything goes through the run directory named
 * by POLYGLOT_CD_CANARY_RUN. No Vitest import, so global setups may use it.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, relative } from 'node:path';
import { appendCanary, CANARY_PREFIX, canaryRunDir, capturesDir, execCapturesDir } from '../canary/run.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** The test file running in this worker (Vitest's worker state), for the scan's message. */
export function currentTestFile(): string | undefined {
  const state = (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__;
  return state?.filepath ? relative(repoRoot, state.filepath) : undefined;
}

function requireRun(what: string): string {
  const run = canaryRunDir();
  if (!run) {
    throw new Error(
      `${what}: POLYGLOT_CD_CANARY_RUN is not set; run the suite through vitest.config.ts, whose global setup test/canary/global-setup.ts makes the run directory`,
    );
  }
  return run;
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24) || 'secret'
  );
}

/**
 * Mints and registers a canary secret: `pcd-canary-<label>-<24 hex>`. Only letters, digits and `-`, so
 * it fits a password, a token, a URL path or query value and YAML unquoted; pass `suffix` to add the
 * characters a test needs (e.g. `'/+='` to see that an action masks the URL-encoded form too).
 */
export function canary(label: string, opts: { suffix?: string } = {}): string {
  const value = `${CANARY_PREFIX}${slug(label)}-${randomBytes(12).toString('hex')}${opts.suffix ?? ''}`;
  return registerSecret(label, value);
}

/** Registers a secret the test did not mint (one a server or cluster issued). Returns it. */
export function registerSecret(label: string, value: string): string {
  if (value.length < 8)
    throw new Error(
      `registerSecret("${label}"): a secret of ${value.length} characters would match unrelated text; use at least 8`,
    );
  const from = currentTestFile();
  appendCanary(requireRun('registerSecret'), { label, value, ...(from ? { from } : {}) });
  return value;
}

/** `user:password` as a Docker config's `auth` holds it (the scan finds the password in it anyway). */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

/**
 * Keeps text a user would see that did not come through action-env (a CLI's terminal output, log
 * lines a test collected from an in-memory runner) for the scan. As is, nothing in it is exempt;
 * with `stepLog: true` it is a step log, whose `::add-mask::` commands the runner consumes. No-op
 * outside a suite run.
 */
export function captureText(name: string, text: string, opts: { stepLog?: boolean } = {}): void {
  const run = canaryRunDir();
  if (!run) return;
  const test = basename(currentTestFile() ?? 'test').replace(/\.test\.ts$/, '');
  const base = `${test}-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${randomBytes(4).toString('hex')}`;
  writeFileSync(
    opts.stepLog
      ? join(capturesDir(run), 'steps', `${base}.stdout.log`)
      : join(capturesDir(run), 'files', `${base}.txt`),
    text,
  );
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes an executable `path` that records its call for the canary scan (argv and the whole
 * environment, under <run>/captures/exec/<tool>.<random>/) and then runs `command` with the same
 * arguments. The environment is the one the action passed (/proc/<pid>/environ of the wrapper), with
 * the variables whose names are no shell identifiers (`INPUT_KEY-PASSWORD`), which the shell drops
 * before the tool starts. The wrapper is what a fake or a real tool is named through
 * (`POLYGLOT_CD_<TOOL>_BIN`). Outside a suite run it only runs the command. `tool` names the call in
 * the scan and in allow-list.ts.
 */
export function toolWrapper(path: string, tool: string, command: readonly string[]): string {
  const run = canaryRunDir();
  const record = run
    ? `r=$(mktemp -d ${shellQuote(`${execCapturesDir(run)}/${tool}.XXXXXXXX`)}) && printf '%s\\0' "$@" > "$r/argv" && cat /proc/$$/environ > "$r/env"\n`
    : '';
  writeFileSync(path, `#!/bin/sh\n${record}exec ${command.map(shellQuote).join(' ')} "$@"\n`, { mode: 0o755 });
  return path;
}

/**
 * For tools an action finds on PATH (buildah, skopeo): a directory of recording wrappers
 * (`toolWrapper`) for those of `tools` that PATH has, to put first on the action's PATH. A tool PATH
 * does not have gets no wrapper, so the action still sees it missing.
 */
export function recordingPath(tools: readonly string[], path = process.env['PATH'] ?? ''): string {
  const run = canaryRunDir();
  if (run) mkdirSync(join(run, 'bin'), { recursive: true });
  // inside the run directory (removed at the end), beside the captures, not in them
  const dir = mkdtempSync(run ? join(run, 'bin', 'path-') : join(tmpdir(), 'pcd-recording-path-'));
  for (const tool of tools) {
    for (const d of path.split(delimiter).filter(Boolean)) {
      try {
        accessSync(join(d, tool), constants.X_OK);
      } catch {
        continue;
      }
      toolWrapper(join(dir, tool), tool, [join(d, tool)]);
      break;
    }
  }
  return dir;
}
