/**
 * pr-namespace-cleanup's run, loaded only once the inputs are valid (the bundle's cold start stays
 * small): cluster access, then mode pr or gc, then the verdict over every namespace.
 */
import { GateError, InfraError, type ActionContext } from '@polyglot-cd/action-kit';
import { loadInCluster, loadKubeconfig, type KubeAccess } from '@polyglot-cd/kube/config';
import { loadGithubOidc, selfPlugin } from '@polyglot-cd/kube/github-oidc';
import { KubeApiError, namespaceClient, type RetryOptions } from '@polyglot-cd/kube/namespaces';
import type { CleanupInputs } from './inputs.js';
import type { Deps } from './main.js';
import { runGc, runPr, type ModeRun } from './modes.js';
import { pick, type CleanupReport, type Row } from './summary.js';

type Inputs = Readonly<CleanupInputs>;

function accessKind(inputs: Inputs): string {
  if (inputs.inCluster) return 'in-cluster service account';
  return inputs.githubOidc ? `the job's GitHub OIDC token, audience ${inputs.githubOidc.audience}` : 'kubeconfig input';
}

async function loadAccess(ctx: ActionContext, inputs: Inputs, deps: Deps): Promise<KubeAccess> {
  const { log } = ctx;
  return log.group(`Load cluster access (${accessKind(inputs)})`, async () => {
    const a = inputs.inCluster
      ? await loadInCluster({
          env: ctx.env,
          secrets: ctx.secrets,
          ...(deps.serviceAccountPrefix ? { pathPrefix: deps.serviceAccountPrefix } : {}),
        })
      : inputs.githubOidc
        ? await loadGithubOidc(inputs.githubOidc, {
            env: ctx.env,
            secrets: ctx.secrets,
            plugin: deps.credentialPlugin ?? selfPlugin(inputs.githubOidc.audience),
          })
        : await loadKubeconfig(inputs.kubeconfig, {
            allowExecAuth: inputs.allowExecAuth,
            secrets: ctx.secrets,
            ...(inputs.context ? { context: inputs.context } : {}),
          });
    log.info(`API server ${a.host} (context ${a.context}, user ${a.user}, ${a.authMethod})`);
    for (const w of a.warnings) log.warning(w);
    return a;
  });
}

function retryOptions(ctx: ActionContext, deps: Deps): RetryOptions {
  return {
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (what, attempt, delay, why) => ctx.log.info(`${what}: ${why}; retry ${attempt} in ${delay} ms`),
  };
}

/** A cluster API call that failed (after the retries that were safe): an infrastructure failure. */
function clusterFailure(err: KubeApiError, report: CleanupReport): InfraError {
  report.fatal = err.message;
  const attempts = Number(/gave up after (\d+) attempts/.exec(err.message)?.[1] ?? 1);
  return new InfraError(err.message, { service: `cluster ${report.host ?? ''}`.trim(), attempts }, { cause: err });
}

/**
 * A namespace refused (not ours, or its UID changed) is a policy refusal; one that could not be deleted
 * (still there after wait-timeout, or its delete failed) is the cluster's failure.
 */
function conclude(ctx: ActionContext, inputs: Inputs, report: CleanupReport): void {
  const rows = report.rows;
  const failed = pick(rows, 'failed', 'refused');
  if (failed.length > 0) {
    const message = `${failed.length} namespace(s) not cleaned up: ${failed.map((r: Row) => `${r.namespace} (${r.action}: ${r.reason})`).join('; ')}`;
    if (pick(rows, 'refused').length > 0) throw new GateError(message);
    throw new InfraError(message, { service: `cluster ${report.host ?? ''}`.trim(), attempts: 1 });
  }
  ctx.log.info(
    `Done: deleted ${pick(rows, 'deleted').length}, skipped ${pick(rows, 'skipped', 'already gone').length}${inputs.dryRun ? `, would delete ${pick(rows, 'would delete').length}` : ''}`,
  );
}

/** Cluster access, then mode pr or gc, then the verdict over every namespace. */
export async function run(ctx: ActionContext, inputs: Inputs, report: CleanupReport, deps: Deps): Promise<void> {
  Object.assign(report, { mode: inputs.mode, pr: inputs.pr, dryRun: inputs.dryRun });
  try {
    const access = await loadAccess(ctx, inputs, deps);
    report.host = access.host;
    const api = await namespaceClient(access.kubeConfig);
    const modeRun: ModeRun = { ctx, inputs, access, api, rows: report.rows, retry: retryOptions(ctx, deps), deps };
    if (inputs.mode === 'pr') await runPr(modeRun);
    else await runGc(modeRun, (deps.now ?? (() => new Date()))());
  } catch (err) {
    if (err instanceof KubeApiError) throw clusterFailure(err, report);
    throw err;
  }
  conclude(ctx, inputs, report);
}
