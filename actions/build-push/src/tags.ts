/**
 * Tag computation from the Git context (pure). OCI tag grammar: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
 *   sha-<short>            always
 *   pr-<N>                 on pull requests (N validated ^[1-9][0-9]{0,8}$)
 *   <branch>-<short>       on branch pushes; the branch sanitised to the grammar (lower-cased,
 *                          every other character → '-', trimmed so the whole tag fits 128)
 *   X.Y.Z, X.Y, X          for a vX.Y.Z (or X.Y.Z) git tag; a pre-release (v1.2.3-rc.1) gets only its
 *                          full version; X is skipped for 0.x (it would mean "any 0.x")
 *   extra tags             from the `tags` input, validated strictly (never rewritten)
 *   latest                 only when asked for, never on a pull request
 */
import { TAG_RE } from '@polyglot-cd/action-kit';

export interface TagContext {
  /** full commit SHA */
  sha: string;
  eventName: string;
  /** GITHUB_REF, e.g. refs/heads/main, refs/pull/12/merge, refs/tags/v1.2.3 */
  ref: string;
  /** PR number from the event payload when GITHUB_REF does not carry it */
  prNumber?: number;
}

export interface TagOptions {
  extraTags: readonly string[];
  latest: boolean;
}

export interface ComputedTags {
  tags: string[];
  /** what was left out and why (for the log) */
  notes: string[];
  /** the version for the org.opencontainers.image.version label */
  version: string;
}

const PR_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
  'merge_group',
]);
const PR_NUMBER_RE = /^[1-9][0-9]{0,8}$/;
const SEMVER_RE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function shortSha(sha: string): string {
  return sha.slice(0, 7).toLowerCase();
}

/** A branch name as a tag fragment of at most `max` characters, or '' when nothing usable is left. */
export function sanitizeBranch(branch: string, max: number): string {
  const s = branch
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9_]+/, '')
    .slice(0, max)
    .replace(/[.-]+$/, '');
  return s;
}

export function isPullRequest(ctx: TagContext): boolean {
  return PR_EVENTS.has(ctx.eventName) || /^refs\/pull\//.test(ctx.ref);
}

/** The PR number from refs/pull/<N>/(merge|head), else the payload's; undefined when invalid. */
export function pullRequestNumber(ctx: TagContext): number | undefined {
  const m = /^refs\/pull\/([^/]+)\/(?:merge|head)$/.exec(ctx.ref);
  const text = m?.[1] ?? (ctx.prNumber !== undefined ? String(ctx.prNumber) : '');
  return PR_NUMBER_RE.test(text) ? Number(text) : undefined;
}

export function semverTags(gitTag: string): string[] | undefined {
  const m = SEMVER_RE.exec(gitTag);
  if (!m) return undefined;
  const [, x, y, z, pre] = m as unknown as [string, string, string, string, string | undefined];
  if (pre !== undefined) return TAG_RE.test(`${x}.${y}.${z}-${pre}`) ? [`${x}.${y}.${z}-${pre}`] : undefined;
  return x === '0' ? [`${x}.${y}.${z}`, `${x}.${y}`] : [`${x}.${y}.${z}`, `${x}.${y}`, x];
}

export function computeTags(ctx: TagContext, opts: TagOptions): ComputedTags {
  const notes: string[] = [];
  if (!/^[0-9a-f]{7,64}$/i.test(ctx.sha))
    throw new Error(`GITHUB_SHA is not a commit SHA (${JSON.stringify(ctx.sha.slice(0, 80))})`);
  const short = shortSha(ctx.sha);
  const tags: string[] = [`sha-${short}`];
  let version = `sha-${short}`;
  const pr = isPullRequest(ctx);
  if (pr) {
    const n = pullRequestNumber(ctx);
    if (n === undefined) notes.push('pull request without a valid number in GITHUB_REF or the event: no pr-<N> tag');
    else {
      tags.push(`pr-${n}`);
      version = `pr-${n}`;
    }
  } else if (ctx.ref.startsWith('refs/heads/')) {
    const branch = ctx.ref.slice('refs/heads/'.length);
    const fragment = sanitizeBranch(branch, 128 - short.length - 1);
    if (fragment === '') notes.push(`branch ${JSON.stringify(branch)} has no character usable in a tag: no branch tag`);
    else {
      tags.push(`${fragment}-${short}`);
      version = `${fragment}-${short}`;
      if (fragment !== branch)
        notes.push(`branch ${JSON.stringify(branch)} → tag ${fragment}-${short} (sanitised to the OCI tag grammar)`);
    }
  } else if (ctx.ref.startsWith('refs/tags/')) {
    const gitTag = ctx.ref.slice('refs/tags/'.length);
    const sv = semverTags(gitTag);
    if (sv) {
      tags.push(...sv);
      version = sv[0] as string;
    } else notes.push(`git tag ${JSON.stringify(gitTag)} is not a version vX.Y.Z: no version tags`);
  }
  for (const t of opts.extraTags) tags.push(t);
  const wantsLatest = opts.latest || opts.extraTags.includes('latest');
  const out = [...new Set(tags)].filter((t) => t !== 'latest');
  if (wantsLatest) {
    if (pr) notes.push('latest is never pushed for a pull request: left out');
    else out.push('latest');
  }
  for (const t of out)
    if (!TAG_RE.test(t)) throw new Error(`computed tag ${JSON.stringify(t)} breaks the OCI tag grammar`);
  return { tags: out, notes, version };
}
