/**
 * The cluster phase: how this run reaches the API server (one of three ways), and what helm is given
 * to reach it the same way.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '@polyglot-cd/action-kit';
import {
  inspectKubeconfig,
  loadInCluster,
  loadKubeconfig,
  parseKubeconfigText,
  restConnection,
  rememberKubeconfig,
  SERVICE_ACCOUNT_DIR,
  writeKubeconfigFile,
  type KubeAccess,
  type RestConnection,
} from '@polyglot-cd/kube';
import { loadGithubOidc, selfPlugin } from '@polyglot-cd/kube/github-oidc';
import type { DeployInputs } from './inputs.js';

export type KubeConfig = KubeAccess['kubeConfig'];

/** The inputs that say how the cluster is reached (the same for a deploy and a read). */
export type ClusterInputs = Readonly<Pick<DeployInputs, 'kubeconfig' | 'inCluster' | 'githubOidc' | 'allowExecAuth'>>;

export interface ClusterDeps {
  /** prefix of the service-account directory for in-cluster mode (tests; default: none) */
  serviceAccountPrefix?: string;
  /** keyless mode: the credential plugin the kubeconfig runs (default: this bundle, `selfPlugin`) */
  credentialPlugin?: { command: string; args: readonly string[] };
}

export interface ClusterAccess {
  access: Pick<KubeAccess, 'server' | 'host' | 'context' | 'source' | 'authMethod' | 'user'>;
  /** the small REST client, for a kubeconfig it can serve */
  conn: RestConnection | undefined;
  kubeConfigLoader: () => Promise<KubeConfig>;
  /** the kubeconfig helm gets */
  kubeconfigText: string;
}

/** In-cluster: a kubeconfig that points helm at the pod's service-account files (no token copied). */
export function inClusterKubeconfig(server: string, dir = SERVICE_ACCOUNT_DIR): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${dir}/ca.crt` } }],
    users: [{ name: 'service-account', user: { tokenFile: `${dir}/token` } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
    'current-context': 'in-cluster',
  });
}

/** The kubeconfig input, inspected without @kubernetes/client-node (loaded only when needed). */
async function fromKubeconfig(inp: ClusterInputs, ctx: ActionContext): Promise<ClusterAccess> {
  const { secrets, log } = ctx;
  const doc = await parseKubeconfigText(inp.kubeconfig);
  const facts = inspectKubeconfig(doc, { allowExecAuth: inp.allowExecAuth });
  for (const v of facts.secretValues) secrets.add(v);
  for (const w of facts.warnings) log.warning(w);
  let loaded: Promise<KubeConfig> | undefined;
  return {
    access: {
      server: facts.server,
      host: facts.host,
      context: facts.context,
      source: 'kubeconfig',
      authMethod: facts.authMethod,
      user: facts.user,
    },
    conn: restConnection(doc, facts),
    kubeConfigLoader: () =>
      (loaded ??= loadKubeconfig(inp.kubeconfig, { allowExecAuth: inp.allowExecAuth, secrets }).then(
        (a) => a.kubeConfig,
      )),
    kubeconfigText: inp.kubeconfig,
  };
}

/**
 * Cluster access, one of three. A kubeconfig is parsed and inspected here (exec/auth-provider refusal,
 * credentials registered as secrets) without @kubernetes/client-node, which is only loaded when
 * something needs it (diagnostics, in-cluster or keyless mode, credentials the small REST client does
 * not handle). Keyless (cluster-oidc-audience) fetches the job's OIDC token once now, so a job without
 * `id-token: write` fails before anything is created.
 */
export async function clusterAccess(inp: ClusterInputs, ctx: ActionContext, deps: ClusterDeps): Promise<ClusterAccess> {
  const { secrets } = ctx;
  if (inp.inCluster) {
    const ic = await loadInCluster({ env: ctx.env, secrets, pathPrefix: deps.serviceAccountPrefix });
    return {
      access: ic,
      conn: undefined,
      kubeConfigLoader: async () => ic.kubeConfig,
      kubeconfigText: inClusterKubeconfig(ic.server, `${deps.serviceAccountPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`),
    };
  }
  if (inp.githubOidc) {
    const plugin = deps.credentialPlugin ?? selfPlugin(inp.githubOidc.audience);
    const a = await loadGithubOidc(inp.githubOidc, { env: ctx.env, secrets, plugin });
    ctx.log.info(`Cluster access: the job's GitHub OIDC token (audience ${inp.githubOidc.audience}) as ${a.user}`);
    return { access: a, conn: undefined, kubeConfigLoader: async () => a.kubeConfig, kubeconfigText: a.kubeconfigText };
  }
  return fromKubeconfig(inp, ctx);
}

/** Where this run keeps its files: the kubeconfig helm reads, and a work directory. */
export interface Files {
  kubeconfigPath: string;
  work: string;
  runnerTemp: string | undefined;
}

/** The kubeconfig file helm reads (removed by the post step if this one cannot) and a work directory. */
export function createFiles(ctx: ActionContext, cluster: ClusterAccess): Files {
  const runnerTemp = ctx.env['RUNNER_TEMP'];
  const kubeconfigPath = writeKubeconfigFile(cluster.kubeconfigText, runnerTemp);
  rememberKubeconfig(ctx.protocol, kubeconfigPath);
  const work = mkdtempSync(join(runnerTemp as string, 'polyglot-cd-helm-deploy-'));
  return { kubeconfigPath, work, runnerTemp };
}
