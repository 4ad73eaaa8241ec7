/**
 * What to do with each namespace. Pure: namespaces, the policy and PR states in; decisions out.
 * The ownership guard (packages/kube ownership.ts) runs first for every namespace; nothing that fails
 * it is ever a candidate for deletion.
 */
import {
  checkDeletable,
  createdAt,
  deployedAt,
  expiresAt,
  formatTime,
  type GuardPolicy,
  type NamespaceFacts,
} from '@polyglot-cd/kube/ownership';

export type PrState = 'open' | 'closed' | 'not-found' | 'unknown';

export type Decision =
  | { kind: 'skip'; name: string; uid: string; pr: number | undefined; reason: string; refused: boolean }
  | { kind: 'delete'; name: string; uid: string; pr: number; reason: string }
  | { kind: 'check-pr'; name: string; uid: string; pr: number };

export interface GcPolicy extends GuardPolicy {
  /** 0 = off */
  maxAgeMs: number;
  now: Date;
  /** a namespace a deploy started in less than this ago is left for the next run (default DEPLOY_GRACE_MS) */
  deployGraceMs?: number;
}

/**
 * gc runs outside the deploy's concurrency group (one group per PR would serialise every scheduled run
 * behind every preview), so it must not delete a namespace a deploy may still be working in: the
 * longest a deploy job may run (pr-preview.yml's deploy job: 20 min) plus a margin.
 */
export const DEPLOY_GRACE_MS = 30 * 60_000;

function ageMs(ns: NamespaceFacts, now: Date): number | undefined {
  const c = createdAt(ns);
  return c ? now.getTime() - c.getTime() : undefined;
}

/** Human age: 45s, 12m, 5h, 3d 4h. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return `${d}d ${h % 24}h`;
}

export function namespaceAge(ns: NamespaceFacts, now: Date): string {
  return formatAge(ageMs(ns, now));
}

/** gc, first pass: guard, then expiry / max-age; the rest need their PR's state. */
export function classify(ns: NamespaceFacts, policy: GcPolicy): Decision {
  const g = checkDeletable(ns, policy);
  const name = ns.metadata?.name ?? '';
  const uid = ns.metadata?.uid ?? '';
  if (!g.ok) {
    const pr = /^pr-([1-9][0-9]{0,8})$/.exec(name)?.[1];
    // keep=true and protected names are deliberate; anything else the selector matched is suspicious
    return {
      kind: 'skip',
      name,
      uid,
      pr: pr ? Number(pr) : undefined,
      reason: g.reason,
      refused: g.code !== 'keep' && g.code !== 'protected',
    };
  }
  const deployed = deployedAt(ns);
  const grace = policy.deployGraceMs ?? DEPLOY_GRACE_MS;
  if (deployed && policy.now.getTime() - deployed.getTime() < grace) {
    return {
      kind: 'skip',
      name,
      uid,
      pr: g.pr,
      reason: `a deploy started ${formatAge(policy.now.getTime() - deployed.getTime())} ago (annotation polyglot-cd/deployed-at): kept for the next run, never deleted while it may be deployed into`,
      refused: false,
    };
  }
  const exp = expiresAt(ns);
  if (exp && policy.now.getTime() >= exp.getTime()) {
    return {
      kind: 'delete',
      name,
      uid,
      pr: g.pr,
      reason: `expired at ${formatTime(exp)} (annotation polyglot-cd/expires-at)`,
    };
  }
  const age = ageMs(ns, policy.now);
  if (policy.maxAgeMs > 0 && age !== undefined && age > policy.maxAgeMs) {
    return {
      kind: 'delete',
      name,
      uid,
      pr: g.pr,
      reason: `older than max-age (${formatAge(age)} > ${formatAge(policy.maxAgeMs)})`,
    };
  }
  return { kind: 'check-pr', name, uid, pr: g.pr };
}

/** gc, second pass: the PR's state decides. */
export function decideByPr(d: Extract<Decision, { kind: 'check-pr' }>, state: PrState, detail = ''): Decision {
  switch (state) {
    case 'closed':
      return { kind: 'delete', name: d.name, uid: d.uid, pr: d.pr, reason: `PR #${d.pr} is closed` };
    case 'open':
      return { kind: 'skip', name: d.name, uid: d.uid, pr: d.pr, reason: `PR #${d.pr} is open`, refused: false };
    case 'not-found':
      return {
        kind: 'skip',
        name: d.name,
        uid: d.uid,
        pr: d.pr,
        reason: `PR #${d.pr} was not found in this repository; kept until it expires`,
        refused: false,
      };
    default:
      return {
        kind: 'skip',
        name: d.name,
        uid: d.uid,
        pr: d.pr,
        reason: `could not check PR #${d.pr}${detail ? `: ${detail}` : ''}; kept for the next run`,
        refused: false,
      };
  }
}

/** pr mode: the one namespace, or the reason it must not be deleted. */
export function classifyPr(ns: NamespaceFacts, policy: GuardPolicy & { pr: number }): Decision {
  const g = checkDeletable(ns, policy);
  const name = ns.metadata?.name ?? '';
  if (!g.ok)
    return {
      kind: 'skip',
      name,
      uid: ns.metadata?.uid ?? '',
      pr: policy.pr,
      reason: g.reason,
      refused: g.code !== 'keep',
    };
  return { kind: 'delete', name, uid: g.uid, pr: g.pr, reason: `PR #${g.pr} was closed` };
}

/** Runs `fn` over `items` with at most `limit` at a time; stops taking new items once `stop()` is true. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<(R | undefined)[]> {
  const out: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
