/**
 * helm, pinned (the same for a deploy and a read): found or downloaded by its recorded SHA-256, or the
 * binary POLYGLOT_CD_HELM_BIN names, asked its version; and the environment it runs with.
 */
import { join } from 'node:path';
import type { ActionContext } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Helm } from '@polyglot-cd/tools/helm';
import { ensureTool, type InstalledTool } from '@polyglot-cd/tools/tool-installer';
import type { ClusterAccess, Files } from './cluster.js';
import { helmEnv } from './env.js';
import type { DeployInputs } from './inputs.js';

export interface HelmSetup {
  helm: Helm;
  installed: InstalledTool;
  env: Record<string, string>;
}

/** What helm is given to reach the cluster: the kubeconfig file, its context, an empty HOME of this step. */
export function helmEnvOf(
  ctx: ActionContext,
  inp: Readonly<Pick<DeployInputs, 'kubeconfig' | 'githubOidc'>>,
  cluster: ClusterAccess,
  files: Files,
): Record<string, string> {
  return helmEnv(
    ctx.env,
    files.kubeconfigPath,
    inp.kubeconfig === '' ? '' : cluster.access.context,
    join(files.work, 'helm-home'),
    { idTokenRequest: inp.githubOidc !== undefined },
  );
}

/** The helm binary, pinned: found or downloaded by its recorded SHA-256, or named by POLYGLOT_CD_HELM_BIN. */
export function locateHelm(
  ctx: ActionContext,
  inp: Readonly<Pick<DeployInputs, 'helmVersion' | 'toolsBaseUrl'>>,
): Promise<InstalledTool> {
  const { log, secrets } = ctx;
  return log.group(`Install helm ${inp.helmVersion}`, () =>
    ensureTool('helm', inp.helmVersion, { log, secrets, env: ctx.env, baseUrl: inp.toolsBaseUrl || undefined }),
  );
}

/** The located binary as a Helm: a pinned one is its version; one POLYGLOT_CD_HELM_BIN names is asked. */
export async function openHelm(
  ctx: ActionContext,
  installed: InstalledTool,
  env: Record<string, string>,
): Promise<HelmSetup> {
  const cmd = new CommandRunner({ log: ctx.log, secrets: ctx.secrets, env });
  // a binary found by its pinned SHA-256 (PATH, cache, download) is that version
  const pinned = Helm.parseVersion(installed.version);
  const helm =
    installed.source !== 'env' && pinned
      ? new Helm(installed.path, pinned, cmd, env)
      : await Helm.open(installed.path, cmd, env);
  return { installed, helm, env };
}

/**
 * A command of the located binary that needs no version-specific flag (`helm template`), to run while
 * openHelm asks the version.
 */
export function helmCommand(
  ctx: ActionContext,
  installed: InstalledTool,
  env: Record<string, string>,
): Pick<Helm, 'run'> {
  const cmd = new CommandRunner({ log: ctx.log, secrets: ctx.secrets, env });
  return { run: (args, opts = {}) => cmd.run(installed.path, args, { tool: 'helm', env, ...opts }) };
}

/** helm, pinned; a binary named by POLYGLOT_CD_HELM_BIN is asked its version. */
export async function installHelm(
  ctx: ActionContext,
  inp: Readonly<Pick<DeployInputs, 'helmVersion' | 'toolsBaseUrl'>>,
  env: Record<string, string>,
): Promise<HelmSetup> {
  return openHelm(ctx, await locateHelm(ctx, inp), env);
}
