/**
 * The ownership contract between helm-deploy (which creates PR namespaces) and pr-namespace-cleanup
 * (which deletes them). Pure: no I/O, table-tested.
 *
 * A PR namespace is `pr-<N>`, built only from the parsed integer N. helm-deploy writes:
 *   labels       app.kubernetes.io/managed-by=polyglot-cd
 *                polyglot-cd/repository-id=<GITHUB_REPOSITORY_ID>   (numeric: survives renames, no `/`)
 *                polyglot-cd/pr=<N>
 *   annotations  polyglot-cd/repository=<owner/repo>
 *                polyglot-cd/commit=<sha>
 *                polyglot-cd/expires-at=<RFC 3339 UTC time>
 * Cleanup deletes a namespace only when `checkDeletable` says so: the name pattern, every ownership
 * label (including this repository's id), no system or protected name, and a UID to use as the
 * delete precondition.
 */

export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'polyglot-cd';
export const LABEL_REPOSITORY_ID = 'polyglot-cd/repository-id';
export const LABEL_PR = 'polyglot-cd/pr';
/** `polyglot-cd/keep=true`: never deleted by cleanup (either mode). */
export const LABEL_KEEP = 'polyglot-cd/keep';
export const ANNOTATION_REPOSITORY = 'polyglot-cd/repository';
export const ANNOTATION_COMMIT = 'polyglot-cd/commit';
export const ANNOTATION_EXPIRES_AT = 'polyglot-cd/expires-at';
/** when the last deploy into the namespace started (helm-deploy) */
export const ANNOTATION_DEPLOYED_AT = 'polyglot-cd/deployed-at';

export const PR_NUMBER_RE = /^[1-9][0-9]{0,8}$/;
export const PR_NAMESPACE_RE = /^pr-([1-9][0-9]{0,8})$/;
export const REPOSITORY_ID_RE = /^[1-9][0-9]{0,19}$/;
const COMMIT_RE = /^[0-9a-f]{7,64}$/;
const REPOSITORY_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Namespaces no cleanup may ever touch, whatever their labels say. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Parses a PR number (`^[1-9][0-9]{0,8}$`, nothing else: no sign, space, leading zero or suffix). */
export function parsePrNumber(text: string): number | undefined {
  return PR_NUMBER_RE.test(text) ? Number(text) : undefined;
}

/** `pr-<N>` from the parsed integer (never from the caller's text). */
export function prNamespace(pr: number): string {
  if (!Number.isSafeInteger(pr) || !PR_NUMBER_RE.test(String(pr))) {
    throw new RangeError(`not a PR number: ${String(pr)}`);
  }
  return `pr-${pr}`;
}

/** The PR number of a `pr-<N>` namespace name, or undefined. */
export function prFromNamespace(name: string): number | undefined {
  const m = PR_NAMESPACE_RE.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function isSystemNamespace(name: string): boolean {
  return name === 'default' || name.startsWith('kube-') || (SYSTEM_NAMESPACES as readonly string[]).includes(name);
}

export interface OwnershipInput {
  /** GITHUB_REPOSITORY_ID (digits) */
  repositoryId: string;
  /** owner/repo */
  repository: string;
  pr: number;
  /** the deployed commit SHA */
  commit: string;
  /** when the namespace may be garbage-collected even if the PR stays open */
  expiresAt: Date;
  /** when this deploy started: gc leaves a namespace alone while a deploy may still be running in it */
  deployedAt?: Date;
}

export interface OwnershipMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The labels and annotations helm-deploy puts on a PR namespace it creates. */
export function ownershipMetadata(o: OwnershipInput): OwnershipMetadata {
  if (!REPOSITORY_ID_RE.test(o.repositoryId)) {
    throw new RangeError(`GITHUB_REPOSITORY_ID must be a positive integer, got ${JSON.stringify(o.repositoryId)}`);
  }
  if (!REPOSITORY_RE.test(o.repository)) throw new RangeError(`not an owner/repo: ${JSON.stringify(o.repository)}`);
  if (!COMMIT_RE.test(o.commit)) throw new RangeError(`not a commit SHA: ${JSON.stringify(o.commit)}`);
  if (Number.isNaN(o.expiresAt.getTime())) throw new RangeError('expiresAt is not a valid date');
  return {
    labels: {
      [LABEL_MANAGED_BY]: MANAGED_BY,
      [LABEL_REPOSITORY_ID]: o.repositoryId,
      [LABEL_PR]: String(parsePrNumberStrict(o.pr)),
    },
    annotations: {
      [ANNOTATION_REPOSITORY]: o.repository,
      [ANNOTATION_COMMIT]: o.commit,
      [ANNOTATION_EXPIRES_AT]: formatTime(o.expiresAt),
      ...(o.deployedAt && !Number.isNaN(o.deployedAt.getTime())
        ? { [ANNOTATION_DEPLOYED_AT]: formatTime(o.deployedAt) }
        : {}),
    },
  };
}

function parsePrNumberStrict(pr: number): number {
  prNamespace(pr);
  return pr;
}

/** RFC 3339 UTC without milliseconds, e.g. 2025-03-11T08:45:02Z. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The label selector of this repository's PR namespaces (optionally one PR), built only from
 * validated integers and constants.
 */
export function ownershipSelector(repositoryId: string, pr?: number): string {
  if (!REPOSITORY_ID_RE.test(repositoryId)) {
    throw new RangeError(`GITHUB_REPOSITORY_ID must be a positive integer, got ${JSON.stringify(repositoryId)}`);
  }
  const parts = [`${LABEL_MANAGED_BY}=${MANAGED_BY}`, `${LABEL_REPOSITORY_ID}=${repositoryId}`];
  if (pr !== undefined) parts.push(`${LABEL_PR}=${parsePrNumberStrict(pr)}`);
  return parts.join(',');
}

/** The parts of a Namespace the guard looks at (a V1Namespace fits). */
export interface NamespaceFacts {
  metadata?: {
    name?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: Date | string;
    deletionTimestamp?: Date | string;
  };
  status?: { phase?: string };
}

export interface GuardPolicy {
  /** this repository's GITHUB_REPOSITORY_ID */
  repositoryId: string;
  /** exact namespace names never to delete */
  protectedNames: readonly string[];
  /** pr mode: the only PR whose namespace may go */
  pr?: number;
}

export type GuardCode =
  | 'no-name'
  | 'system'
  | 'protected'
  | 'name-pattern'
  | 'not-managed'
  | 'other-repository'
  | 'pr-label-mismatch'
  | 'wrong-pr'
  | 'no-uid'
  | 'keep';

export type GuardResult =
  { ok: true; name: string; uid: string; pr: number } | { ok: false; name: string; code: GuardCode; reason: string };

/**
 * Whether a namespace may be deleted. Every rule must hold; the first one that fails is the reason.
 * Terminating namespaces pass (deleting them again is a no-op, and cleanup then waits for them).
 */
export function checkDeletable(ns: NamespaceFacts, policy: GuardPolicy): GuardResult {
  const name = ns.metadata?.name ?? '';
  const no = (code: GuardCode, reason: string): GuardResult => ({ ok: false, name, code, reason });
  if (name === '') return no('no-name', 'the namespace has no name');
  if (isSystemNamespace(name))
    return no('system', `${name} is a system namespace (default and kube-* are never deleted)`);
  if (policy.protectedNames.includes(name)) return no('protected', `${name} is on the protected list`);
  const pr = prFromNamespace(name);
  if (pr === undefined) return no('name-pattern', `the name does not match ^pr-[1-9][0-9]{0,8}$`);
  const labels = ns.metadata?.labels ?? {};
  if (labels[LABEL_MANAGED_BY] !== MANAGED_BY) {
    return no(
      'not-managed',
      labels[LABEL_MANAGED_BY] === undefined
        ? `label ${LABEL_MANAGED_BY} is missing (not created by polyglot-cd)`
        : `label ${LABEL_MANAGED_BY} is ${JSON.stringify(labels[LABEL_MANAGED_BY])}, not ${MANAGED_BY}`,
    );
  }
  if (labels[LABEL_REPOSITORY_ID] !== policy.repositoryId) {
    return no(
      'other-repository',
      labels[LABEL_REPOSITORY_ID] === undefined
        ? `label ${LABEL_REPOSITORY_ID} is missing`
        : `label ${LABEL_REPOSITORY_ID} is ${JSON.stringify(labels[LABEL_REPOSITORY_ID])}, not this repository's id ${policy.repositoryId}`,
    );
  }
  if (labels[LABEL_PR] !== String(pr)) {
    return no(
      'pr-label-mismatch',
      labels[LABEL_PR] === undefined
        ? `label ${LABEL_PR} is missing`
        : `label ${LABEL_PR} is ${JSON.stringify(labels[LABEL_PR])} but the name says PR ${pr}`,
    );
  }
  if (policy.pr !== undefined && policy.pr !== pr) return no('wrong-pr', `belongs to PR ${pr}, not PR ${policy.pr}`);
  if (labels[LABEL_KEEP] === 'true') return no('keep', `labelled ${LABEL_KEEP}=true`);
  const uid = ns.metadata?.uid ?? '';
  if (uid === '') return no('no-uid', 'the namespace has no UID to use as a delete precondition');
  return { ok: true, name, uid, pr };
}

/** The `polyglot-cd/expires-at` annotation as a Date, or undefined when absent or unparsable. */
/** The polyglot-cd/deployed-at annotation as a Date (undefined when absent or malformed). */
export function deployedAt(ns: NamespaceFacts): Date | undefined {
  return timeAnnotation(ns, ANNOTATION_DEPLOYED_AT);
}

export function expiresAt(ns: NamespaceFacts): Date | undefined {
  return timeAnnotation(ns, ANNOTATION_EXPIRES_AT);
}

function timeAnnotation(ns: NamespaceFacts, key: string): Date | undefined {
  const raw = ns.metadata?.annotations?.[key];
  if (!raw || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw)) return undefined;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** creationTimestamp as a Date (client-node gives a Date; raw JSON gives a string). */
export function createdAt(ns: NamespaceFacts): Date | undefined {
  const raw = ns.metadata?.creationTimestamp;
  if (raw === undefined) return undefined;
  const d = raw instanceof Date ? raw : new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Validates a `protected` list: exact DNS-1123 names only. Returns the bad entry's reason or
 * undefined. Wildcards and patterns are refused rather than half-supported.
 */
export function protectedEntryProblem(entry: string): string | undefined {
  if (/[*?[\]{}]/.test(entry)) return 'wildcards are not supported: list each namespace by its exact name';
  if (entry.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(entry)) {
    return 'expected exact namespace names (lower-case letters, digits and -, at most 63)';
  }
  return undefined;
}
