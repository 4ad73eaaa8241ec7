/**
 * The two modes: pr (the one pr-<N> namespace of a closed PR) and gc (every namespace this repository
 * owns, by its labels). Each appends one row per namespace to the report.
 */
import type { ActionContext } from '@polyglot-cd/action-kit';
import type { KubeAccess } from '@polyglot-cd/kube/config';
import {
  apiStatus,
  deleteNamespace,
  describeStatus,
  KubeApiError,
  listNamespaces,
  waitForNamespaceGone,
  type NamespaceClient,
  type NamespaceItem,
  type RetryOptions,
} from '@polyglot-cd/kube/namespaces';
import { ownershipSelector, prNamespace } from '@polyglot-cd/kube/ownership';
import { githubPrLookup, type PrLookup } from './github.js';
import type { CleanupInputs } from './inputs.js';
import type { Deps } from './main.js';
import { classify, classifyPr, decideByPr, mapLimit, namespaceAge, type Decision } from './plan.js';
import type { Row, RowAction } from './summary.js';
import { uninstallReleases } from './uninstall.js';

/** Everything a mode works with. */
export interface ModeRun {
  ctx: ActionContext;
  inputs: Readonly<CleanupInputs>;
  access: KubeAccess;
  api: NamespaceClient;
  /** the report's rows: a mode appends to them */
  rows: Row[];
  retry: RetryOptions;
  deps: Deps;
}

type Delete = Extract<Decision, { kind: 'delete' }>;

async function readPrNamespace(r: ModeRun, name: string): Promise<NamespaceItem | undefined> {
  return r.ctx.log.group(`Check namespace ${name}`, async () => {
    try {
      return await r.api.readNamespace({ name });
    } catch (err) {
      const s = apiStatus(err);
      if (s?.code === 404) return undefined;
      if (s?.code === 403) throw new KubeApiError(`read namespace ${name} is forbidden: ${describeStatus(err)}`, s);
      throw new KubeApiError(`read namespace ${name}: ${describeStatus(err)}`, s);
    }
  });
}

export async function runPr(r: ModeRun): Promise<void> {
  const { ctx, inputs, rows } = r;
  const { log } = ctx;
  const pr = inputs.pr as number;
  const name = prNamespace(pr);
  const ns = await readPrNamespace(r, name);
  if (!ns) {
    log.info(`Namespace ${name} does not exist: nothing to delete`);
    const reason = 'does not exist (already deleted, or never deployed)';
    rows.push({ namespace: name, pr, age: '', action: 'already gone', reason });
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
  if (inputs.uninstallReleases && !terminating) await uninstallReleases(ctx, inputs, r.access, name, r.deps);
  rows.push(await deleteAndWait(r, decision, age));
}

async function deleteAndWait(r: ModeRun, d: Delete, age: string): Promise<Row> {
  const { inputs } = r;
  const row = (action: RowAction, reason: string): Row => ({ namespace: d.name, pr: d.pr, age, action, reason });
  const outcome = await deleteNamespace(r.api, d.name, d.uid, r.retry);
  if (outcome === 'gone') return row('already gone', `${d.reason}; it was already gone`);
  if (outcome === 'uid-changed') {
    return row(
      'refused',
      'the name now belongs to another namespace (its UID changed since it was checked): not deleted',
    );
  }
  r.ctx.log.info(`${d.name}: delete ${outcome === 'accepted' ? 'accepted' : 'already in progress'} (${d.reason})`);
  if (inputs.waitTimeoutMs === 0) return row('deleted', `${d.reason}; deletion started (not waited on)`);
  const w = await waitForNamespaceGone(r.api, d.name, d.uid, {
    timeoutMs: inputs.waitTimeoutMs,
    retry: r.retry,
    ...(r.deps.sleep ? { sleep: r.deps.sleep } : {}),
  });
  if (w.gone) return row('deleted', d.reason);
  const why = w.conditions.length ? w.conditions.join('; ') : 'no deletion condition reported yet';
  return row(
    'failed',
    `still ${w.phase || 'present'} after ${Math.round(w.waitedMs / 1000)}s: ${why}. Finalizers are never removed automatically: fix the resource or API service that blocks it`,
  );
}

async function listOwned(r: ModeRun): Promise<NamespaceItem[]> {
  const { log } = r.ctx;
  const selector = ownershipSelector(r.inputs.repositoryId);
  return log.group(`List namespaces with ${selector}`, async () => {
    const l = await listNamespaces(r.api, {
      labelSelector: selector,
      limit: r.inputs.pageSize,
      retry: r.retry,
      onRestart: (w) => log.warning(w),
    });
    log.info(`${l.items.length} namespace(s) in ${l.pages} page(s)${l.restarts ? `, ${l.restarts} restart(s)` : ''}`);
    return l.items;
  });
}

/** Guard and expiry first; the namespaces that need their PR's state are decided by a GitHub lookup. */
async function decideAll(r: ModeRun, listed: readonly NamespaceItem[], now: Date): Promise<Decision[]> {
  const { inputs } = r;
  const policy = {
    repositoryId: inputs.repositoryId,
    protectedNames: inputs.protectedNames,
    maxAgeMs: inputs.maxAgeMs,
    now,
  };
  const first = listed.map((ns) => classify(ns, policy));
  const toCheck = first.filter((d): d is Extract<Decision, { kind: 'check-pr' }> => d.kind === 'check-pr');
  const decided = new Map<string, Decision>(first.filter((d) => d.kind !== 'check-pr').map((d) => [d.name, d]));
  if (toCheck.length > 0) {
    await r.ctx.log.group(`Check ${toCheck.length} PR(s) on GitHub (${inputs.concurrency} at a time)`, async () => {
      const lookup = await (r.deps.prLookup ?? defaultLookup(r.ctx, r.deps))(inputs);
      await mapLimit(toCheck, inputs.concurrency, async (d) => {
        const s = await lookup.state(d.pr);
        decided.set(d.name, decideByPr(d, s.state, s.detail));
      });
      r.ctx.log.info(`${lookup.requests} GitHub API request(s)`);
    });
  }
  return first.map((d) => decided.get(d.name) ?? d);
}

/** Deletes with bounded concurrency; a 403 stops the ones not started yet, then is thrown. */
async function deleteAll(r: ModeRun, deletes: readonly Delete[], ageOf: Map<string, string>): Promise<void> {
  let forbidden: KubeApiError | undefined;
  const age = (d: Delete): string => ageOf.get(d.name) ?? '';
  await r.ctx.log.group(`Delete ${deletes.length} namespace(s) (${r.inputs.concurrency} at a time)`, async () => {
    const results = await mapLimit(
      deletes,
      r.inputs.concurrency,
      async (d) => {
        try {
          return await deleteAndWait(r, d, age(d));
        } catch (err) {
          if (err instanceof KubeApiError && err.status?.code === 403) forbidden ??= err;
          const reason = err instanceof Error ? err.message : String(err);
          return { namespace: d.name, pr: d.pr, age: age(d), action: 'failed', reason } satisfies Row;
        }
      },
      () => forbidden !== undefined,
    );
    deletes.forEach((d, i) => {
      const reason = 'not attempted: an earlier delete was forbidden (403)';
      r.rows.push(results[i] ?? { namespace: d.name, pr: d.pr, age: age(d), action: 'skipped', reason });
    });
  });
  if (forbidden) throw forbidden;
}

export async function runGc(r: ModeRun, now: Date): Promise<void> {
  const { log } = r.ctx;
  const listed = await listOwned(r);
  const ageOf = new Map<string, string>(listed.map((ns) => [ns.metadata?.name ?? '', namespaceAge(ns, now)]));
  const decisions = await decideAll(r, listed, now);
  for (const d of decisions) {
    if (d.kind !== 'skip') continue;
    if (d.refused) log.warning(`${d.name || '(unnamed)'} matched the ownership labels but is not deleted: ${d.reason}`);
    r.rows.push({ namespace: d.name, pr: d.pr, age: ageOf.get(d.name) ?? '', action: 'skipped', reason: d.reason });
  }
  const deletes = decisions.filter((d): d is Delete => d.kind === 'delete');
  if (r.inputs.dryRun) {
    for (const d of deletes) {
      log.info(`dry run: would delete ${d.name} (uid ${d.uid}): ${d.reason}`);
      const age = ageOf.get(d.name) ?? '';
      r.rows.push({ namespace: d.name, pr: d.pr, age, action: 'would delete', reason: d.reason });
    }
    return;
  }
  if (deletes.length > 0) await deleteAll(r, deletes, ageOf);
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
