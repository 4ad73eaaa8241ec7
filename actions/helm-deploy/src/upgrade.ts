/**
 * The upgrade phase: `helm upgrade --install` with diagnostics snapshotted while helm waits (attempt);
 * a release another operation holds is recovered once by the rules of recover.ts (recover); a failed
 * upgrade reports the state the release is left in and why its pods did not become ready (on failure).
 * A dry run renders the upgrade and diffs it against the deployed manifest instead.
 */
import { CancelledError, ToolError, type ActionContext } from '@polyglot-cd/action-kit';
import { collectDiagnostics, clientNodeSource, renderDiagnostics, type Diagnostics } from '@polyglot-cd/kube';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Helm, type HelmRelease } from '@polyglot-cd/tools/helm';
import type { KubeConfig } from './cluster.js';
import type { DeployInputs } from './inputs.js';
import { diffManifests, ingressUrl, type LoadAll } from './manifest.js';
import { decideRecovery } from './recover.js';
import type { DeployReport } from './summary.js';

export type UpgradeOptions = Parameters<typeof Helm.upgradeArgs>[0];

export interface Upgrade {
  ctx: ActionContext;
  inp: Readonly<DeployInputs>;
  report: DeployReport;
  helm: Helm;
  opts: UpgradeOptions;
  /** helm's binary and environment, for a fresh runner after a cancellation */
  installedPath: string;
  env: Record<string, string>;
  kubeConfig: () => Promise<KubeConfig>;
  now: () => number;
  started: number;
  /** how often diagnostics are snapshotted while helm waits */
  everyMs: number;
}

/** helm lost a race with another operation on the release: nothing was applied by this run. */
class Concurrent extends Error {
  override readonly cause: ToolError;
  constructor(cause: ToolError) {
    super(cause.message);
    this.cause = cause;
  }
}

/** Why helm failed, in one line, from its stderr. Pure. */
export function describeCause(err: ToolError): string {
  const t = err.details.stderrTail;
  if (Helm.isConcurrentOperation(t)) return 'another deploy of this release is running';
  if (/being terminated/.test(t))
    return 'the namespace is being deleted (Terminating); wait for it to go, or let helm-deploy create it (create-namespace: true)';
  if (/timed out waiting for the condition|context deadline exceeded/.test(t))
    return 'the release did not become ready within the timeout';
  const lines = t.split('\n');
  return (lines.filter((l) => /^Error:/.test(l)).pop() ?? lines.pop() ?? err.message).replace(/^Error:\s*/, '');
}

async function collect(u: Upgrade): Promise<Diagnostics> {
  return collectDiagnostics(await clientNodeSource(await u.kubeConfig()), u.inp.namespace, {
    release: u.inp.release,
    logLines: u.inp.logLines,
    redact: (t) => u.ctx.secrets.redact(t),
  });
}

/** Snapshots the namespace every `everyMs` until stopped; keeps the most telling snapshot. */
function startPolling(u: Upgrade): { stop: () => Diagnostics | undefined } {
  let snapshot: Diagnostics | undefined;
  let polling = true;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
  void (async () => {
    await sleep(u.everyMs);
    while (polling) {
      const d = await collect(u).catch(() => undefined);
      // a snapshot without pods (none created yet, or the list failed) never replaces one with pods
      if (polling && d && (d.pods.length > 0 || (d.events.length > 0 && !snapshot?.pods.length))) snapshot = d;
      if (polling) await sleep(u.everyMs);
    }
  })();
  return {
    stop: () => {
      polling = false;
      return snapshot;
    },
  };
}

/** One `helm upgrade --install`: the release, or Concurrent, or the failure as reported by onUpgradeFailure. */
async function attempt(u: Upgrade): Promise<HelmRelease> {
  const { inp, helm, ctx } = u;
  const title = `helm upgrade --install ${inp.release} (namespace ${inp.namespace}, timeout ${u.opts.timeoutSeconds}s)`;
  const poller = startPolling(u);
  try {
    const argv = Helm.upgradeArgs(u.opts, helm.version);
    const res = await ctx.log.group(title, () => helm.run(argv, { timeoutMs: 2 * inp.timeoutMs + 120_000 }));
    return Helm.parseRelease(res.stdout);
  } catch (err) {
    const snapshot = poller.stop();
    if (!(err instanceof ToolError)) throw err;
    if (!err.details.cancelled && Helm.isConcurrentOperation(err.details.stderrTail)) throw new Concurrent(err);
    return await onUpgradeFailure(u, err, snapshot);
  } finally {
    poller.stop();
  }
}

/**
 * Another deploy running at the same time is neither a policy refusal nor a failing cluster: helm
 * refused to touch a release another operation holds. It is reported as the ToolError of that helm
 * run (its command and stderr), with a message that says what happened and what to do.
 */
function concurrentError(message: string, err: Concurrent): ToolError {
  return new ToolError(message, err.cause.details, { cause: err.cause });
}

/** Another operation holds the release, or it is stuck pending-*: decide from its status and age, and recover. */
async function recover(u: Upgrade, err: Concurrent): Promise<void> {
  const { inp, helm, report, ctx } = u;
  const current = await helm.status(inp.release, inp.namespace);
  const history = current ? await helm.history(inp.release, inp.namespace) : [];
  const decision = decideRecovery(current, history, u.now(), inp.stuckAfterMs);
  report.status = current?.status ?? 'unknown';
  report.revision = current?.revision;
  if (decision.action === 'none' || decision.action === 'refuse') {
    const helmSaid = (err.cause.details.stderrTail.split('\n').pop() ?? '').replace(/^Error:\s*/, '');
    throw concurrentError(
      decision.action === 'refuse'
        ? decision.message
        : `Another deploy of release ${inp.release} in ${inp.namespace} ran at the same time (helm: ${helmSaid}). Nothing was changed by this run; the release is ${report.status}${report.revision !== undefined ? ` at revision ${report.revision}` : ''}. Deploy one at a time per target (concurrency group, cancel-in-progress: false).`,
      err,
    );
  }
  await ctx.log.group(`Recover release ${inp.release} from ${current?.status ?? '?'}`, async () => {
    ctx.log.warning(decision.message);
    const timeoutSeconds = u.opts.timeoutSeconds;
    const args =
      decision.action === 'rollback'
        ? Helm.rollbackArgs(
            inp.release,
            inp.namespace,
            decision.revision,
            { timeoutSeconds, historyMax: inp.historyMax, wait: true },
            helm.major,
          )
        : Helm.uninstallArgs(inp.release, inp.namespace, { timeoutSeconds, wait: true }, helm.major);
    await helm.run(args, { timeoutMs: inp.timeoutMs + 60_000 });
    report.recovered = decision.message;
  });
}

/** The upgrade, recovered and retried once when another operation held the release. */
export async function upgrade(u: Upgrade): Promise<HelmRelease> {
  try {
    return await attempt(u);
  } catch (err) {
    if (!(err instanceof Concurrent)) throw err;
    await recover(u, err);
  }
  try {
    return await attempt(u);
  } catch (again) {
    if (!(again instanceof Concurrent)) throw again;
    throw concurrentError(
      `Release ${u.inp.release} was recovered but another deploy took it again before this one could run. Nothing more was changed by this run.`,
      again,
    );
  }
}

/**
 * The state the release is left in, asked by a fresh runner (a cancelled one starts nothing new):
 * null when it no longer exists (a failed first install, uninstalled by the rollback), undefined when
 * helm did not answer.
 */
async function releaseAfter(u: Upgrade): Promise<HelmRelease | null | undefined> {
  const { log, secrets } = u.ctx;
  const probe = new CommandRunner({ log, secrets, env: u.env, killGraceMs: 2_000 });
  return new Helm(u.installedPath, u.helm.version, probe, u.env)
    .run(Helm.statusArgs(u.inp.release, u.inp.namespace), { timeoutMs: 5_000 })
    .then((r) => Helm.parseRelease(r.stdout))
    .catch((e: unknown) => (e instanceof ToolError && Helm.isReleaseNotFound(e.details.stderrTail) ? null : undefined));
}

function cancelled(inp: Readonly<DeployInputs>, after: HelmRelease | null | undefined): CancelledError {
  const state = after
    ? `${after.status} (revision ${after.revision})`
    : after === null
      ? 'uninstalled (a cancelled first install)'
      : 'unknown (helm status did not answer)';
  const next =
    after && Helm.isPending(after.status)
      ? ` The next deploy recovers it once it is older than stuck-after, or run: helm rollback ${inp.release} --namespace ${inp.namespace}`
      : '';
  return new CancelledError(
    `The deploy was cancelled while helm was running; release ${inp.release} is ${state}.${next}`,
  );
}

function rolledBack(inp: Readonly<DeployInputs>, after: HelmRelease | null | undefined): string {
  if (!inp.rollbackOnFailure) return '';
  if (after) return ` Rolled back: the release is ${after.status} at revision ${after.revision}.`;
  return after === null ? ' The failed first install was uninstalled.' : ' Rolled back.';
}

/** A failed upgrade: the release's state, then (unless cancelled) the diagnostics; always throws. */
async function onUpgradeFailure(u: Upgrade, err: ToolError, snapshot: Diagnostics | undefined): Promise<never> {
  const { inp, report } = u;
  const { log } = u.ctx;
  report.durationMs = u.now() - u.started;
  const after = await releaseAfter(u);
  report.status = after === null ? 'uninstalled' : (after?.status ?? 'unknown');
  report.revision = after?.revision;
  if (err.details.cancelled) throw cancelled(inp, after);

  const cause = describeCause(err);
  // The namespace as it is now, if it still shows a pod that is not ready (a failed hook Job, a release
  // that was not rolled back): it is newer than any snapshot. A rollback deletes the failing pods: then
  // the last snapshot taken while helm waited is the evidence.
  const fresh = await collect(u).catch(() => undefined);
  const diagnostics = fresh && fresh.pods.length > 0 ? fresh : (snapshot ?? fresh);
  await log.group(`Diagnostics: why ${inp.release} did not become ready`, async () => {
    log.info(diagnostics ? renderDiagnostics(diagnostics) : 'No diagnostics could be collected.');
  });
  report.diagnostics = diagnostics;
  log.error(`Culprit: ${diagnostics?.culprit ?? 'unknown'}`);
  throw new ToolError(
    `helm upgrade of ${inp.release} failed: ${cause}.${diagnostics ? ` Culprit: ${diagnostics.culprit}.` : ''}${rolledBack(inp, after)}`,
    err.details,
    { cause: err },
  );
}

/** `helm upgrade --install --dry-run` and the diff against the deployed manifest; nothing is changed. */
export async function dryRun(
  ctx: ActionContext,
  helm: Helm,
  o: UpgradeOptions,
  report: DeployReport,
  loadAll: LoadAll,
): Promise<void> {
  const { log } = ctx;
  const current = await helm.status(o.release, o.namespace);
  const res = await log.group(
    `helm upgrade --install ${o.release} ${Helm.dryRunFlag(helm.version)} (nothing is changed)`,
    () => helm.run(Helm.upgradeArgs({ ...o, dryRun: true }, helm.version), { timeoutMs: 5 * 60_000 }),
  );
  const next = Helm.parseRelease(res.stdout);
  const before = current
    ? (await helm.run(Helm.getManifestArgs(o.release, o.namespace), { timeoutMs: 60_000 })).stdout
    : '';
  const diff = diffManifests(before, next.manifest, loadAll);
  await log.group(
    `Diff: ${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged`,
    async () => {
      log.info(diff.text || 'no change');
    },
  );
  report.status = 'dry-run';
  report.revision = next.revision;
  report.chartVersion = next.chartVersion;
  report.chartName = next.chartName;
  report.url = ingressUrl(next.manifest, loadAll);
  report.diff = diff;
}
