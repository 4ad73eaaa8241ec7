/**
 * What to do about a release left in pending-install / pending-upgrade / pending-rollback (a helm that
 * was killed, a runner that died). Pure.
 * - younger than `stuck-after`: another deploy is probably running: refuse, clearly, and change nothing;
 * - older: roll back to the last deployed/superseded revision, or uninstall a release that never
 *   deployed; then the deploy is retried once. Release Secrets are never deleted by hand.
 */
import { Helm, type HelmHistoryEntry, type HelmRelease } from '@polyglot-cd/tools/helm';

export type Recovery =
  | { action: 'none' }
  | { action: 'refuse'; message: string }
  | { action: 'rollback'; revision: number; message: string }
  | { action: 'uninstall'; message: string };

function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

/** When the pending operation started: the newest history entry's `updated`, else the release's `last_deployed`. */
export function pendingSince(status: HelmRelease, history: readonly HelmHistoryEntry[]): number | undefined {
  const last = history[history.length - 1];
  for (const t of [last?.updated, status.lastDeployed]) {
    if (!t) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

export function decideRecovery(
  status: HelmRelease | undefined,
  history: readonly HelmHistoryEntry[],
  now: number,
  stuckAfterMs: number,
): Recovery {
  if (!status || !Helm.isPending(status.status)) return { action: 'none' };
  const since = pendingSince(status, history);
  const age = since === undefined ? Number.POSITIVE_INFINITY : now - since;
  const what = `release ${status.name} is ${status.status} (revision ${status.revision}${since !== undefined ? `, for ${ageText(age)}` : ''})`;
  if (age < stuckAfterMs) {
    return {
      action: 'refuse',
      message:
        `Another deploy is running: ${what}. Nothing was changed. Run deploys of one target one at a time ` +
        `(concurrency: group per release, cancel-in-progress: false). If no deploy is running, it will be recovered ` +
        `automatically once it is older than stuck-after (${ageText(stuckAfterMs)}).`,
    };
  }
  const good = Helm.lastGoodRevision(history.filter((h) => h.revision !== status.revision));
  if (good) {
    return {
      action: 'rollback',
      revision: good.revision,
      message: `${what}, older than stuck-after: rolling back to revision ${good.revision} (${good.status}), then deploying again`,
    };
  }
  return {
    action: 'uninstall',
    message: `${what}, older than stuck-after, and never deployed: uninstalling it, then deploying again`,
  };
}
