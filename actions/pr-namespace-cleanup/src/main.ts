import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { code, GateError, Raw, type ActionContext } from '@polyglot-cd/action-kit';
import { loadInCluster, loadKubeconfig, SERVICE_ACCOUNT_DIR, type KubeAccess } from '@polyglot-cd/kube/config';
import { bindNamespaceRole } from '@polyglot-cd/kube/ensure-namespace';
import { loadGithubOidc, selfPlugin } from '@polyglot-cd/kube/github-oidc';
import { rememberKubeconfig, removeKubeconfigFile, writeKubeconfigFile } from '@polyglot-cd/kube/kubeconfig-file';
import {
  apiStatus,
  deleteNamespace,
  describeStatus,
  KubeApiError,
  listNamespaces,
  namespaceClient,
  waitForNamespaceGone,
  type NamespaceClient,
  type NamespaceItem,
  type RetryOptions,
} from '@polyglot-cd/kube/namespaces';
import { ownershipSelector, prNamespace } from '@polyglot-cd/kube/ownership';
import { githubPrLookup, type PrLookup } from './github.js';
import { getInputs, type CleanupInputs } from './inputs.js';
import { classify, classifyPr, decideByPr, mapLimit, namespaceAge, type Decision } from './plan.js';
import { inClusterKubeconfigText, listHelmReleases } from './releases.js';

export type RowAction = 'deleted' | 'would delete' | 'already gone' | 'skipped' | 'refused' | 'failed';

export interface Row {
  namespace: string;
  pr: number | undefined;
  age: string;
  action: RowAction;
  reason: string;
}

export interface Deps {
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** PR states (default: the GitHub API through @actions/github) */
  prLookup?: (inputs: Readonly<CleanupInputs>) => Promise<PrLookup>;
  /** root for the in-cluster service-account files (tests) */
  serviceAccountPrefix?: string;
  /** keyless mode: the credential plugin the kubeconfig runs (default: this bundle, `selfPlugin`) */
  credentialPlugin?: { command: string; args: readonly string[] };
}

function accessKind(inputs: Readonly<CleanupInputs>): string {
  if (inputs.inCluster) return 'in-cluster service account';
  return inputs.githubOidc ? `the job's GitHub OIDC token, audience ${inputs.githubOidc.audience}` : 'kubeconfig input';
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log } = ctx;
  const inputs = getInputs(ctx);
  const now = deps.now ?? (() => new Date());
  const rows: Row[] = [];
  const retry: RetryOptions = {
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onRetry: (what, attempt, delay, why) => log.info(`${what}: ${why}; retry ${attempt} in ${delay} ms`),
  };
  let access: KubeAccess | undefined;
  let fatal: string | undefined;
  try {
    access = await log.group(`Load cluster access (${accessKind(inputs)})`, async () => {
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
    const api = await namespaceClient(access.kubeConfig);
    if (inputs.mode === 'pr') await runPr(ctx, inputs, access, api, rows, retry, deps);
    else await runGc(ctx, inputs, api, rows, retry, deps, now());
  } catch (err) {
    if (err instanceof KubeApiError) fatal = err.message;
    else throw err;
  } finally {
    writeResults(ctx, inputs, rows, access, fatal);
  }
  const failed = rows.filter((r) => r.action === 'failed' || r.action === 'refused');
  if (fatal) throw new GateError(fatal);
  if (failed.length > 0) {
    throw new GateError(
      `${failed.length} namespace(s) not cleaned up: ${failed.map((r) => `${r.namespace} (${r.action}: ${r.reason})`).join('; ')}`,
    );
  }
  log.info(
    `Done: deleted ${rows.filter((r) => r.action === 'deleted').length}, skipped ${rows.filter((r) => r.action === 'skipped' || r.action === 'already gone').length}${inputs.dryRun ? `, would delete ${rows.filter((r) => r.action === 'would delete').length}` : ''}`,
  );
}

function writeResults(
  ctx: ActionContext,
  inputs: Readonly<CleanupInputs>,
  rows: readonly Row[],
  access: KubeAccess | undefined,
  fatal: string | undefined,
): void {
  const { outputs, summary } = ctx;
  const pick = (...a: RowAction[]) => rows.filter((r) => a.includes(r.action));
  outputs.set(
    'deleted',
    pick('deleted').map((r) => r.namespace),
  );
  outputs.set(
    'would-delete',
    pick('would delete').map((r) => ({ namespace: r.namespace, reason: r.reason })),
  );
  outputs.set(
    'skipped',
    pick('skipped', 'already gone').map((r) => ({ namespace: r.namespace, reason: r.reason })),
  );
  outputs.set(
    'failed',
    pick('failed', 'refused').map((r) => ({ namespace: r.namespace, reason: r.reason })),
  );

  summary.heading(`PR namespace cleanup (${inputs.mode}${inputs.dryRun ? ', dry run' : ''})`);
  summary.facts([
    ['Mode', inputs.mode === 'pr' ? `pr (PR #${inputs.pr})` : 'gc'],
    ['API server', access ? access.host : 'not reached'],
    ['Deleted', pick('deleted').length],
    ...(inputs.dryRun ? ([['Would delete', pick('would delete').length]] as [string, number][]) : []),
    ['Skipped', pick('skipped', 'already gone').length],
    ['Failed or refused', pick('failed', 'refused').length],
  ]);
  if (fatal) summary.raw(`**Stopped:** ${code(fatal)}\n\n`);
  if (rows.length > 0) {
    const order: RowAction[] = ['failed', 'refused', 'deleted', 'would delete', 'already gone', 'skipped'];
    const sorted = [...rows].sort(
      (a, b) => order.indexOf(a.action) - order.indexOf(b.action) || a.namespace.localeCompare(b.namespace),
    );
    const shown = sorted.slice(0, 300);
    summary.table(
      ['Namespace', 'PR', 'Age', 'Action', 'Reason'],
      shown.map((r) => [new Raw(code(r.namespace)), r.pr === undefined ? '' : `#${r.pr}`, r.age, r.action, r.reason]),
    );
    if (sorted.length > shown.length) summary.text(`… and ${sorted.length - shown.length} more (see the outputs).`);
  }
}

async function runPr(
  ctx: ActionContext,
  inputs: Readonly<CleanupInputs>,
  access: KubeAccess,
  api: NamespaceClient,
  rows: Row[],
  retry: RetryOptions,
  deps: Deps,
): Promise<void> {
  const { log } = ctx;
  const pr = inputs.pr as number;
  const name = prNamespace(pr);
  const ns = await log.group(`Check namespace ${name}`, async () => {
    try {
      return await api.readNamespace({ name });
    } catch (err) {
      const s = apiStatus(err);
      if (s?.code === 404) return undefined;
      if (s?.code === 403) throw new KubeApiError(`read namespace ${name} is forbidden: ${describeStatus(err)}`, s);
      throw new KubeApiError(`read namespace ${name}: ${describeStatus(err)}`, s);
    }
  });
  if (!ns) {
    log.info(`Namespace ${name} does not exist: nothing to delete`);
    rows.push({
      namespace: name,
      pr,
      age: '',
      action: 'already gone',
      reason: 'does not exist (already deleted, or never deployed)',
    });
    return;
  }
  const decision = classifyPr(ns, { repositoryId: inputs.repositoryId, protectedNames: inputs.protectedNames, pr });
  const age = namespaceAge(ns, new Date());
  if (decision.kind !== 'delete') {
    const refused = decision.kind === 'skip' && decision.refused;
    const reason = decision.kind === 'skip' ? decision.reason : '';
    (refused ? log.error.bind(log) : log.info.bind(log))(`Namespace ${name} is not deleted: ${reason}`);
    rows.push({ namespace: name, pr, age, action: refused ? 'refused' : 'skipped', reason });
    return;
  }
  if (inputs.dryRun) {
    log.info(`dry run: would delete namespace ${name} (uid ${decision.uid}): ${decision.reason}`);
    rows.push({ namespace: name, pr, age, action: 'would delete', reason: decision.reason });
    return;
  }
  const terminating = ns.status?.phase === 'Terminating';
  if (inputs.uninstallReleases && !terminating) await uninstallReleases(ctx, inputs, access, name, deps);
  rows.push(await deleteAndWait(ctx, inputs, api, decision, age, retry, deps));
}

async function uninstallReleases(
  ctx: ActionContext,
  inputs: Readonly<CleanupInputs>,
  access: KubeAccess,
  namespace: string,
  deps: Deps,
): Promise<void> {
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
          `Could not bind ClusterRole ${inputs.namespaceRole} in ${namespace} (${err instanceof Error ? err.message : String(err)}); its Helm releases are not uninstalled, deleting the namespace removes them anyway, without their hooks`,
        );
        return false;
      },
    );
    if (!bound) return;
  }
  const releases = await listHelmReleases(access.kubeConfig, namespace).catch((err: unknown) => {
    log.warning(
      `Could not list the Helm releases in ${namespace} (${describeStatus(err)}); deleting the namespace removes them anyway, without their hooks`,
    );
    return [] as string[];
  });
  if (releases.length === 0) {
    log.info(`No Helm releases in ${namespace}`);
    return;
  }
  await log.group(`Uninstall ${releases.length} Helm release(s) in ${namespace}: ${releases.join(', ')}`, async () => {
    // loaded only on this path: most runs (gc, or no releases) never need helm
    const [{ CommandRunner }, { Helm }, { manifest }, { ensureTool }] = await Promise.all([
      import('@polyglot-cd/tools/command-runner'),
      import('@polyglot-cd/tools/helm'),
      import('@polyglot-cd/tools/manifest'),
      import('@polyglot-cd/tools/tool-installer'),
    ]);
    const version = inputs.helmVersion || manifest.tools['helm']?.defaultVersion || '';
    const tool = await ensureTool('helm', version, { log, secrets: ctx.secrets, env: ctx.env });
    const temp = ctx.env['RUNNER_TEMP'];
    const helmHome = join(temp ?? '/tmp', 'polyglot-cd-helm');
    mkdirSync(helmHome, { recursive: true, mode: 0o700 });
    const text = inputs.inCluster
      ? inClusterKubeconfigText(access.server, `${deps.serviceAccountPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`)
      : 'kubeconfigText' in access && typeof access.kubeconfigText === 'string'
        ? access.kubeconfigText
        : inputs.kubeconfig;
    const path = writeKubeconfigFile(text, temp);
    rememberKubeconfig(ctx.runner, path);
    try {
      const env: Record<string, string> = {
        // keyless access: the credential plugin in the kubeconfig asks the runner's token service
        ...(inputs.githubOidc ? idTokenRequestEnv(ctx.env) : {}),
        KUBECONFIG: path,
        HELM_KUBECONTEXT: inputs.context || '',
        HOME: helmHome,
        HELM_CACHE_HOME: join(helmHome, 'cache'),
        HELM_CONFIG_HOME: join(helmHome, 'config'),
        HELM_DATA_HOME: join(helmHome, 'data'),
      };
      const runner = new CommandRunner({ log, secrets: ctx.secrets, env: { ...ctx.env, ...env } });
      const helm = await Helm.open(tool.path, runner, env);
      const timeoutSeconds = Math.max(30, Math.round(inputs.waitTimeoutMs / 1000));
      for (const release of releases) {
        try {
          await helm.run(Helm.uninstallArgs(release, namespace, { timeoutSeconds, wait: true }, helm.major), {
            timeoutMs: (timeoutSeconds + 30) * 1000,
          });
          log.info(`Uninstalled release ${release}`);
        } catch (err) {
          log.warning(
            `helm uninstall ${release} failed (${err instanceof Error ? err.message : String(err)}); the namespace is deleted anyway`,
          );
        }
      }
    } finally {
      removeKubeconfigFile(path, temp);
    }
  });
}

async function deleteAndWait(
  ctx: ActionContext,
  inputs: Readonly<CleanupInputs>,
  api: NamespaceClient,
  d: Extract<Decision, { kind: 'delete' }>,
  age: string,
  retry: RetryOptions,
  deps: Deps,
): Promise<Row> {
  const { log } = ctx;
  const row = (action: RowAction, reason: string): Row => ({ namespace: d.name, pr: d.pr, age, action, reason });
  const outcome = await deleteNamespace(api, d.name, d.uid, retry);
  if (outcome === 'gone') return row('already gone', `${d.reason}; it was already gone`);
  if (outcome === 'uid-changed') {
    return row(
      'refused',
      'the name now belongs to another namespace (its UID changed since it was checked): not deleted',
    );
  }
  log.info(`${d.name}: delete ${outcome === 'accepted' ? 'accepted' : 'already in progress'} (${d.reason})`);
  if (inputs.waitTimeoutMs === 0) return row('deleted', `${d.reason}; deletion started (not waited on)`);
  const w = await waitForNamespaceGone(api, d.name, d.uid, {
    timeoutMs: inputs.waitTimeoutMs,
    retry,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  if (w.gone) return row('deleted', d.reason);
  const why = w.conditions.length ? w.conditions.join('; ') : 'no deletion condition reported yet';
  return row(
    'failed',
    `still ${w.phase || 'present'} after ${Math.round(w.waitedMs / 1000)}s: ${why}. Finalizers are never removed automatically: fix the resource or API service that blocks it`,
  );
}

async function runGc(
  ctx: ActionContext,
  inputs: Readonly<CleanupInputs>,
  api: NamespaceClient,
  rows: Row[],
  retry: RetryOptions,
  deps: Deps,
  now: Date,
): Promise<void> {
  const { log } = ctx;
  const selector = ownershipSelector(inputs.repositoryId);
  const listed = await log.group(`List namespaces with ${selector}`, async () => {
    const r = await listNamespaces(api, {
      labelSelector: selector,
      limit: inputs.pageSize,
      retry,
      onRestart: (w) => log.warning(w),
    });
    log.info(`${r.items.length} namespace(s) in ${r.pages} page(s)${r.restarts ? `, ${r.restarts} restart(s)` : ''}`);
    return r.items;
  });
  const ageOf = new Map<string, string>(listed.map((ns) => [ns.metadata?.name ?? '', namespaceAge(ns, now)]));
  const policy = {
    repositoryId: inputs.repositoryId,
    protectedNames: inputs.protectedNames,
    maxAgeMs: inputs.maxAgeMs,
    now,
  };
  const first = listed.map((ns: NamespaceItem) => classify(ns, policy));

  const toCheck = first.filter((d): d is Extract<Decision, { kind: 'check-pr' }> => d.kind === 'check-pr');
  const decided = new Map<string, Decision>(first.filter((d) => d.kind !== 'check-pr').map((d) => [d.name, d]));
  if (toCheck.length > 0) {
    await log.group(`Check ${toCheck.length} PR(s) on GitHub (${inputs.concurrency} at a time)`, async () => {
      const lookup = await (deps.prLookup ?? defaultLookup(ctx, deps))(inputs);
      await mapLimit(toCheck, inputs.concurrency, async (d) => {
        const s = await lookup.state(d.pr);
        decided.set(d.name, decideByPr(d, s.state, s.detail));
      });
      log.info(`${lookup.requests} GitHub API request(s)`);
    });
  }
  const decisions = first.map((d) => decided.get(d.name) ?? d);
  for (const d of decisions) {
    if (d.kind === 'skip') {
      if (d.refused)
        log.warning(`${d.name || '(unnamed)'} matched the ownership labels but is not deleted: ${d.reason}`);
      rows.push({ namespace: d.name, pr: d.pr, age: ageOf.get(d.name) ?? '', action: 'skipped', reason: d.reason });
    }
  }
  const deletes = decisions.filter((d): d is Extract<Decision, { kind: 'delete' }> => d.kind === 'delete');
  if (inputs.dryRun) {
    for (const d of deletes) {
      log.info(`dry run: would delete ${d.name} (uid ${d.uid}): ${d.reason}`);
      rows.push({
        namespace: d.name,
        pr: d.pr,
        age: ageOf.get(d.name) ?? '',
        action: 'would delete',
        reason: d.reason,
      });
    }
    return;
  }
  if (deletes.length === 0) return;
  let forbidden: KubeApiError | undefined;
  await log.group(`Delete ${deletes.length} namespace(s) (${inputs.concurrency} at a time)`, async () => {
    const results = await mapLimit(
      deletes,
      inputs.concurrency,
      async (d) => {
        try {
          return await deleteAndWait(ctx, inputs, api, d, ageOf.get(d.name) ?? '', retry, deps);
        } catch (err) {
          if (err instanceof KubeApiError && err.status?.code === 403) forbidden ??= err;
          const reason = err instanceof Error ? err.message : String(err);
          return { namespace: d.name, pr: d.pr, age: ageOf.get(d.name) ?? '', action: 'failed', reason } satisfies Row;
        }
      },
      () => forbidden !== undefined,
    );
    deletes.forEach((d, i) => {
      rows.push(
        results[i] ?? {
          namespace: d.name,
          pr: d.pr,
          age: ageOf.get(d.name) ?? '',
          action: 'skipped',
          reason: 'not attempted: an earlier delete was forbidden (403)',
        },
      );
    });
  });
  if (forbidden) throw forbidden;
}

function defaultLookup(ctx: ActionContext, deps: Deps): (inputs: Readonly<CleanupInputs>) => Promise<PrLookup> {
  return (inputs) =>
    githubPrLookup({
      token: inputs.githubToken,
      baseUrl: inputs.githubApiUrl.href,
      owner: inputs.repository.owner,
      repo: inputs.repository.repo,
      log: ctx.log,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
}

function idTokenRequestEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'])
    if (env[k]) out[k] = env[k] as string;
  return out;
}
