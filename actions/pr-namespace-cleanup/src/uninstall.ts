/**
 * Helm releases in a pr-<N> namespace are uninstalled before it is deleted, so that their hooks run.
 * Nothing here stops the deletion: a role that cannot be bound, releases that cannot be listed or an
 * uninstall that fails are warnings. Only helm itself not starting (not installed, or not answering
 * `helm version`) is a tool failure.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { ToolError, type ActionContext } from '@polyglot-cd/action-kit';
import { SERVICE_ACCOUNT_DIR, type KubeAccess } from '@polyglot-cd/kube/config';
import { bindNamespaceRole } from '@polyglot-cd/kube/ensure-namespace';
import { rememberKubeconfig, removeKubeconfigFile, writeKubeconfigFile } from '@polyglot-cd/kube/kubeconfig-file';
import { describeStatus } from '@polyglot-cd/kube/namespaces';
import type { CommandRunner } from '@polyglot-cd/tools/command-runner';
import type { Helm } from '@polyglot-cd/tools/helm';
import type { CleanupInputs } from './inputs.js';
import type { Deps } from './main.js';
import { inClusterKubeconfigText, listHelmReleases } from './releases.js';

type Inputs = Readonly<CleanupInputs>;

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The releases to uninstall; none when they cannot be read (the namespace's deletion removes them anyway). */
async function findReleases(ctx: ActionContext, inputs: Inputs, access: KubeAccess, namespace: string) {
  const { log } = ctx;
  if (inputs.namespaceRole) {
    // the cleanup identity reads no Secrets outside the pr-<N> it is about to delete (examples/rbac/cleanup.yaml)
    const bound = await bindNamespaceRole(access.kubeConfig, namespace, inputs.namespaceRole, {
      bindingName: 'polyglot-cd-cleanup',
      check: { verb: 'delete', resource: 'secrets' },
      log: (l) => log.info(l),
    }).then(
      () => true,
      (err: unknown) => {
        log.warning(
          `Could not bind ClusterRole ${inputs.namespaceRole} in ${namespace} (${describe(err)}); its Helm releases are not uninstalled, deleting the namespace removes them anyway, without their hooks`,
        );
        return false;
      },
    );
    if (!bound) return [];
  }
  return listHelmReleases(access.kubeConfig, namespace).catch((err: unknown) => {
    log.warning(
      `Could not list the Helm releases in ${namespace} (${describeStatus(err)}); deleting the namespace removes them anyway, without their hooks`,
    );
    return [] as string[];
  });
}

export async function uninstallReleases(
  ctx: ActionContext,
  inputs: Inputs,
  access: KubeAccess,
  namespace: string,
  deps: Deps,
): Promise<void> {
  const releases = await findReleases(ctx, inputs, access, namespace);
  if (releases.length === 0) {
    ctx.log.info(`No Helm releases in ${namespace}`);
    return;
  }
  const title = `Uninstall ${releases.length} Helm release(s) in ${namespace}: ${releases.join(', ')}`;
  await ctx.log.group(title, async () => {
    const temp = ctx.env['RUNNER_TEMP'];
    const text = inputs.inCluster
      ? inClusterKubeconfigText(access.server, `${deps.serviceAccountPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`)
      : 'kubeconfigText' in access && typeof access.kubeconfigText === 'string'
        ? access.kubeconfigText
        : inputs.kubeconfig;
    const path = writeKubeconfigFile(text, temp);
    rememberKubeconfig(ctx.protocol, path);
    try {
      const helm = await openHelm(ctx, inputs, path);
      await uninstallEach(ctx, inputs, helm, releases, namespace);
    } finally {
      removeKubeconfigFile(path, temp);
    }
  });
}

/** Installs (or finds) helm and asks its version: helm runs with its own home and the written kubeconfig. */
async function openHelm(ctx: ActionContext, inputs: Inputs, kubeconfigPath: string): Promise<Helm> {
  // loaded only on this path: most runs (gc, or no releases) never need helm
  const [{ CommandRunner }, { Helm }, { manifest }, { ensureTool }] = await Promise.all([
    import('@polyglot-cd/tools/command-runner'),
    import('@polyglot-cd/tools/helm'),
    import('@polyglot-cd/tools/manifest'),
    import('@polyglot-cd/tools/tool-installer'),
  ]);
  const { log } = ctx;
  const version = inputs.helmVersion || manifest.tools['helm']?.defaultVersion || '';
  const tool = await ensureTool('helm', version, { log, secrets: ctx.secrets, env: ctx.env });
  const helmHome = join(ctx.env['RUNNER_TEMP'] ?? '/tmp', 'polyglot-cd-helm');
  mkdirSync(helmHome, { recursive: true, mode: 0o700 });
  const env: Record<string, string> = {
    // keyless access: the credential plugin in the kubeconfig asks the runner's token service
    ...(inputs.githubOidc ? idTokenRequestEnv(ctx.env) : {}),
    KUBECONFIG: kubeconfigPath,
    HELM_KUBECONTEXT: inputs.context || '',
    HOME: helmHome,
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
  const runner: CommandRunner = new CommandRunner({ log, secrets: ctx.secrets, env: { ...ctx.env, ...env } });
  try {
    return await Helm.open(tool.path, runner, env);
  } catch (err) {
    if (err instanceof ToolError) throw err;
    // helm answered, but not with a version this action can use: still the tool's failure
    throw new ToolError(`helm cannot be used: ${describe(err)}`, {
      tool: 'helm',
      argv: [tool.path, ...Helm.versionArgs()],
      exitCode: 0,
      stderrTail: '',
    });
  }
}

/** One `helm uninstall --wait` per release; a failure is a warning (the namespace is deleted anyway). */
async function uninstallEach(
  ctx: ActionContext,
  inputs: Inputs,
  helm: Helm,
  releases: readonly string[],
  namespace: string,
): Promise<void> {
  const { Helm: HelmClass } = await import('@polyglot-cd/tools/helm');
  const timeoutSeconds = Math.max(30, Math.round(inputs.waitTimeoutMs / 1000));
  for (const release of releases) {
    try {
      await helm.run(HelmClass.uninstallArgs(release, namespace, { timeoutSeconds, wait: true }, helm.major), {
        timeoutMs: (timeoutSeconds + 30) * 1000,
      });
      ctx.log.info(`Uninstalled release ${release}`);
    } catch (err) {
      ctx.log.warning(`helm uninstall ${release} failed (${describe(err)}); the namespace is deleted anyway`);
    }
  }
}

function idTokenRequestEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'])
    if (env[k]) out[k] = env[k] as string;
  return out;
}
