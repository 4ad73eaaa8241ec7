/**
 * The kubeconfig file for tools that need one (helm), and its removal in the action's post step.
 * No client-node import here, so a post step that only cleans up stays small.
 */
import { closeSync, existsSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { defineAction, type Logger, type RunnerProtocol } from '@polyglot-cd/action-kit';

const DIR_PREFIX = 'polyglot-cd-kube-';
const FILE_NAME = 'kubeconfig';

/**
 * Writes kubeconfig content for tools that need a file: a fresh 0700 directory under RUNNER_TEMP
 * (its name is random and nobody else may enter it), the content written to a 0600 temp file created
 * exclusively there, then renamed into place, so no reader ever sees a partial or wider-permission
 * file. Not fsynced: the file lives for one step and is removed by it (or its post step). Returns the path.
 */
export function writeKubeconfigFile(content: string, runnerTemp: string | undefined): string {
  if (!runnerTemp || !isAbsolute(runnerTemp)) {
    throw new Error('RUNNER_TEMP is not set to an absolute path: refusing to write the kubeconfig anywhere else');
  }
  const dir = mkdtempSync(join(runnerTemp, DIR_PREFIX));
  const tmp = join(dir, `.${FILE_NAME}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  const path = join(dir, FILE_NAME);
  renameSync(tmp, path);
  return path;
}

/**
 * Removes a file written by writeKubeconfigFile, and its directory. Only paths of that shape under
 * `runnerTemp` are touched. Returns whether something was removed; a missing file is not an error.
 */
export function removeKubeconfigFile(path: string, runnerTemp: string | undefined): boolean {
  if (!path || !runnerTemp) return false;
  const abs = resolve(path);
  const dir = dirname(abs);
  const rel = relative(resolve(runnerTemp), dir);
  if (basename(abs) !== FILE_NAME || !basename(dir).startsWith(DIR_PREFIX) || rel !== basename(dir)) return false;
  if (!existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** The state key under which the main step leaves the kubeconfig path for the post step. */
export const KUBECONFIG_STATE = 'kubeconfig_path';

export function rememberKubeconfig(runner: RunnerProtocol, path: string): void {
  runner.saveState(KUBECONFIG_STATE, path);
}

/** For an action's `post:` step: removes the kubeconfig the main step wrote, if any. Never throws. */
export function cleanupKubeconfig(runner: RunnerProtocol, log: Logger): void {
  const path = runner.getState(KUBECONFIG_STATE);
  if (!path) return;
  try {
    if (removeKubeconfigFile(path, runner.env['RUNNER_TEMP']))
      log.info('Removed the kubeconfig written by this action');
  } catch (err) {
    log.warning(
      `Could not remove the kubeconfig written by this action: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * The post step of an action that writes a kubeconfig (`post-if: always()`): removes the file if it is
 * still there, e.g. after a cancelled main step. No inputs, no outputs, no summary of its own.
 */
export function kubeconfigPostStep(name: string) {
  return defineAction<Record<string, never>, Record<string, never>>({
    name: `${name} (post)`,
    inputs: () => ({}),
    initial: () => ({}),
    run: async (ctx) => cleanupKubeconfig(ctx.protocol, ctx.log),
    outputs: () => ({}),
    summary: () => {},
  });
}
