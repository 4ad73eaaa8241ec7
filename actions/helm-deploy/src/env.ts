/**
 * What helm runs with: its environment (isolated from the runner's user and from the step's inputs)
 * and the chart it is given. Pure, but for the workspace's file system.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, inputEnvName, resolveInWorkspace, type Env } from '@polyglot-cd/action-kit';
import { withheld } from '@polyglot-cd/tools/command-runner';

const inputVarPrefix = inputEnvName('');

/** charts/app beside the bundle: <action root>/dist/helm-deploy/index.js → <action root>/charts/app */
export function bundledChart(entry = process.argv[1] ?? ''): string {
  return resolve(dirname(entry), '..', '..', 'charts', 'app');
}

/** A variable of the caller helm does not get (see helmEnv). */
function dropped(k: string, idTokenRequest: boolean): boolean {
  if (k === 'KUBECONFIG' || k === 'HOME') return true;
  if (k.startsWith('HELM_') || k.startsWith('XDG_') || k.startsWith(inputVarPrefix)) return true;
  // the runner's token service is for the credential plugin of keyless access only
  return withheld(k) && !(idTokenRequest && k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'));
}

/**
 * The environment helm runs with: ours, minus anything that could point it at another cluster, minus
 * the step's inputs (the kubeconfig input is a secret helm has no use for), and with a HOME of its own:
 * `helmHome`, an empty directory of this step, holds helm's config, cache, data and plugins, so no
 * plugin, repository or stored registry credential of the runner's user (or of an earlier step) is
 * used. Every HELM_* variable of the caller is dropped for the same reason.
 */
export function helmEnv(
  env: Env,
  kubeconfigPath: string,
  context: string,
  helmHome: string,
  o: { idTokenRequest?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !dropped(k, o.idTokenRequest === true)) out[k] = v;
  }
  out['HOME'] = helmHome;
  out['HELM_CONFIG_HOME'] = join(helmHome, 'config');
  out['HELM_CACHE_HOME'] = join(helmHome, 'cache');
  out['HELM_DATA_HOME'] = join(helmHome, 'data');
  out['HELM_PLUGINS'] = join(helmHome, 'data', 'plugins');
  out['HELM_REGISTRY_CONFIG'] = join(helmHome, 'config', 'registry', 'config.json');
  out['HELM_REPOSITORY_CONFIG'] = join(helmHome, 'config', 'repositories.yaml');
  out['HELM_REPOSITORY_CACHE'] = join(helmHome, 'cache', 'repository');
  out['KUBECONFIG'] = kubeconfigPath;
  if (context) out['HELM_KUBECONTEXT'] = context;
  return out;
}

/**
 * The chart helm gets: a path inside the workspace (absolute), or an oci:// reference. A `repo/chart`
 * name needs a repository added to helm's configuration, and helm runs with an empty one of its own.
 */
export function chartReference(chart: string, workspace: string): string {
  if (chart.startsWith('oci://')) return chart;
  const path = resolveInWorkspace(workspace, chart, 'chart');
  if (existsSync(path) || /^(\.|\/)/.test(chart)) return path;
  throw new InputError(
    `Input "chart" has an invalid value ${JSON.stringify(chart)}: no such chart in the workspace, and a repo/chart name is not used (helm runs with its own empty configuration: no repositories, plugins or stored credentials); give a chart path in the workspace or an oci:// reference`,
    'chart',
  );
}

/** The values files, resolved inside the workspace; one that does not exist is an input error. */
export function valuesFilePaths(files: readonly string[], workspace: string): string[] {
  const paths = files.map((f) => resolveInWorkspace(workspace, f, 'values-files'));
  paths.forEach((path, i) => {
    if (!existsSync(path))
      throw new InputError(
        `Input "values-files" names ${JSON.stringify(files[i])}, which does not exist (looked at ${path})`,
        'values-files',
      );
  });
  return paths;
}
