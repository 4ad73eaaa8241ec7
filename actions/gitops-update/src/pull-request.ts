/**
 * Pull-request mode: one branch per environment (`polyglot-cd/gitops/<environment>`), updated in
 * place, and one open pull request from it, found by its head, created once and then kept up to date
 * (title, body; labels added when missing; reviewers requested when it is opened; auto-merge enabled
 * when asked and not on yet). The body is rendered by `pullRequestBody` (pure).
 *
 * The environment branch is rebuilt on the base branch when no pull request is open for it (the last
 * one was merged or closed: what the branch held is either in the base already or was refused), and
 * built on its own head while one is open (`environmentBranchReset`).
 *
 * Labels, reviewers and auto-merge are extras: when GitHub refuses one (a reviewer who is no
 * collaborator, auto-merge not allowed in the repository, a pull request already mergeable), the
 * pull request stands and the refusal is returned as a warning (and logged).
 */
import { CancelledError, InfraError, InputError, type Logger } from '@polyglot-cd/action-kit';
import { checkBranchName } from './git-names.js';
import { type GithubApi, GithubApiError, GithubGraphqlError } from './github-api-http.js';
import { parseRepository, type RepositoryName } from './github-api.js';
import type { Image, TargetOutcome } from './types.js';

export const ENVIRONMENT_BRANCH_PREFIX = 'polyglot-cd/gitops/';
/** GitHub refuses longer bodies (65,536 characters). */
export const MAX_BODY_CHARS = 65_536;

export type MergeMethod = 'merge' | 'squash' | 'rebase';

/** What this module needs of an open pull request. */
export interface PullRequestRef {
  number: number;
  /** html_url */
  url: string;
  nodeId: string;
  title: string;
  body: string;
  base: string;
  headSha: string;
  labels: string[];
  requestedReviewers: string[];
  autoMerge: boolean;
}

interface PullJson {
  number: number;
  html_url: string;
  node_id: string;
  title: string;
  body: string | null;
  state: string;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  labels?: { name: string }[];
  requested_reviewers?: { login: string }[];
  auto_merge?: unknown;
}

/** The environment branch's name, checked as a git branch name. */
export function environmentBranch(environment: string, prefix = ENVIRONMENT_BRANCH_PREFIX): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(environment)) {
    throw new InputError(
      `environment ${JSON.stringify(environment)}: only letters, digits, ".", "_" and "-" (first a letter or digit)`,
    );
  }
  return checkBranchName(`${prefix}${environment}`, 'environment branch');
}

function toRef(p: PullJson): PullRequestRef {
  return {
    number: p.number,
    url: p.html_url,
    nodeId: p.node_id,
    title: p.title,
    body: p.body ?? '',
    base: p.base.ref,
    headSha: p.head.sha,
    labels: (p.labels ?? []).map((l) => l.name),
    requestedReviewers: (p.requested_reviewers ?? []).map((u) => u.login),
    autoMerge: p.auto_merge !== null && p.auto_merge !== undefined,
  };
}

/** The open pull request whose head is `branch` of the repository itself (and whose base is `base`, when given). */
export async function findOpenPullRequest(
  api: GithubApi,
  repo: RepositoryName,
  branch: string,
  base?: string,
  signal?: AbortSignal,
): Promise<PullRequestRef | undefined> {
  const query = new URLSearchParams({ head: `${repo.owner}:${branch}`, state: 'open', per_page: '100' });
  if (base !== undefined) query.set('base', base);
  const res = await api.request<PullJson[]>('GET', `${repo.path}/pulls?${query.toString()}`, undefined, signal);
  const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
  const found = res.data.find(
    (p) => p.state === 'open' && p.head.ref === branch && p.head.repo?.full_name.toLowerCase() === fullName,
  );
  return found === undefined ? undefined : toRef(found);
}

/**
 * Whether land() should rebuild the environment branch on the base branch (`reset`): yes when no pull
 * request is open from it, no (build on the branch's head) while one is.
 */
export async function environmentBranchReset(
  api: GithubApi,
  repository: string,
  branch: string,
  base?: string,
  signal?: AbortSignal,
): Promise<{ reset: boolean; pullRequest?: PullRequestRef }> {
  checkBranchName(branch, 'branch');
  const pr = await findOpenPullRequest(api, parseRepository(repository, api.inputs.repository), branch, base, signal);
  return pr === undefined ? { reset: true } : { reset: false, pullRequest: pr };
}

export interface EnsurePullRequestOptions {
  api: GithubApi;
  /** `owner/name` */
  repository: string;
  /** the head: the environment branch */
  branch: string;
  /** the base branch */
  base: string;
  title: string;
  body: string;
  labels?: readonly string[];
  /** user logins */
  reviewers?: readonly string[];
  /** team slugs (without the organization) */
  teamReviewers?: readonly string[];
  /** enable auto-merge with this method (GraphQL enablePullRequestAutoMerge); undefined: leave it */
  autoMerge?: MergeMethod;
  draft?: boolean;
  signal?: AbortSignal;
}

export interface EnsuredPullRequest {
  number: number;
  /** html_url */
  url: string;
  nodeId: string;
  /** false: an open one was found and updated */
  created: boolean;
  labelsAdded: string[];
  reviewersRequested: string[];
  autoMerge: 'enabled' | 'already-enabled' | 'off' | 'failed';
  /** what GitHub refused of the extras (labels, reviewers, auto-merge) */
  warnings: string[];
}

const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TEAM_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function checkOptions(o: EnsurePullRequestOptions): RepositoryName {
  const repo = parseRepository(o.repository, o.api.inputs.repository);
  checkBranchName(o.branch, 'branch');
  checkBranchName(o.base, 'base branch');
  if (o.branch === o.base) throw new InputError(`the pull request's head and base are both ${JSON.stringify(o.base)}`);
  if (o.title.trim() === '' || o.title.length > 256 || /[\r\n]/.test(o.title)) {
    throw new InputError('the pull request title must be one line of 1 to 256 characters');
  }
  if (o.body.length > MAX_BODY_CHARS)
    throw new InputError(`the pull request body is over ${MAX_BODY_CHARS} characters`);
  for (const l of o.labels ?? []) {
    // eslint-disable-next-line no-control-regex
    if (l.trim() === '' || l.length > 50 || /[,\x00-\x1f\x7f]/.test(l))
      throw new InputError(`label ${JSON.stringify(l)}: 1 to 50 characters, no comma or control character`);
  }
  for (const r of o.reviewers ?? [])
    if (!LOGIN_RE.test(r)) throw new InputError(`reviewer ${JSON.stringify(r)} is not a GitHub login`);
  for (const t of o.teamReviewers ?? [])
    if (!TEAM_RE.test(t)) throw new InputError(`team ${JSON.stringify(t)} is not a team slug`);
  return repo;
}

/** Finds the open pull request from `branch` and updates it, or opens one; then the extras. */
export async function ensurePullRequest(o: EnsurePullRequestOptions): Promise<EnsuredPullRequest> {
  const repo = checkOptions(o);
  const warnings: string[] = [];
  const existing = await findOpenPullRequest(o.api, repo, o.branch, undefined, o.signal);
  const { pr, created } = existing
    ? { pr: await updatePull(o, repo, existing), created: false }
    : await openPull(o, repo);
  o.api.log.info(`gitops-update: pull request #${pr.number} ${created ? 'opened' : 'updated'}: ${pr.url}`);
  const missing = (o.labels ?? []).filter((l) => !pr.labels.includes(l));
  const labelsAdded = await optional<string[]>(o.api.log, warnings, 'labels', [], async () => {
    if (missing.length === 0) return [];
    await o.api.request('POST', `${repo.path}/issues/${pr.number}/labels`, { labels: missing }, o.signal);
    return missing;
  });
  const reviewersRequested = await optional<string[]>(o.api.log, warnings, 'reviewers', [], () =>
    created ? requestReviewers(o, repo, pr.number) : Promise.resolve([]),
  );
  const autoMerge = await optional<EnsuredPullRequest['autoMerge']>(o.api.log, warnings, 'auto-merge', 'failed', () =>
    enableAutoMerge(o, pr),
  );
  return {
    number: pr.number,
    url: pr.url,
    nodeId: pr.nodeId,
    created,
    labelsAdded,
    reviewersRequested,
    autoMerge,
    warnings,
  };
}

async function openPull(
  o: EnsurePullRequestOptions,
  repo: RepositoryName,
): Promise<{ pr: PullRequestRef; created: boolean }> {
  const body = { title: o.title, head: o.branch, base: o.base, body: o.body, ...(o.draft ? { draft: true } : {}) };
  try {
    const res = await o.api.request<PullJson>('POST', `${repo.path}/pulls`, body, o.signal);
    return { pr: toRef(res.data), created: true };
  } catch (err) {
    // opened meanwhile (a concurrent run, or our own request whose answer was lost): update that one
    const exists =
      err instanceof GithubApiError &&
      err.status === 422 &&
      /already exists/i.test(`${err.apiMessage} ${err.details.join(' ')}`);
    if (!exists) throw err;
    const pr = await findOpenPullRequest(o.api, repo, o.branch, undefined, o.signal);
    if (pr === undefined) throw err;
    return { pr: await updatePull(o, repo, pr), created: false };
  }
}

/** PATCHes the title, body and base when one of them differs. */
async function updatePull(o: EnsurePullRequestOptions, repo: RepositoryName, pr: PullRequestRef) {
  const patch: Record<string, string> = {};
  if (pr.title !== o.title) patch['title'] = o.title;
  if (pr.body !== o.body) patch['body'] = o.body;
  if (pr.base !== o.base) patch['base'] = o.base;
  if (Object.keys(patch).length === 0) return pr;
  const res = await o.api.request<PullJson>('PATCH', `${repo.path}/pulls/${pr.number}`, patch, o.signal);
  return toRef(res.data);
}

async function requestReviewers(o: EnsurePullRequestOptions, repo: RepositoryName, n: number): Promise<string[]> {
  const reviewers = [...(o.reviewers ?? [])];
  const teams = [...(o.teamReviewers ?? [])];
  if (reviewers.length === 0 && teams.length === 0) return [];
  const body = { reviewers, ...(teams.length > 0 ? { team_reviewers: teams } : {}) };
  await o.api.request('POST', `${repo.path}/pulls/${n}/requested_reviewers`, body, o.signal);
  return [...reviewers, ...teams.map((t) => `team:${t}`)];
}

const ENABLE_AUTO_MERGE = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { enabledAt mergeMethod } }
  }
}`;

async function enableAutoMerge(
  o: EnsurePullRequestOptions,
  pr: PullRequestRef,
): Promise<EnsuredPullRequest['autoMerge']> {
  if (o.autoMerge === undefined) return 'off';
  if (pr.autoMerge) return 'already-enabled';
  const variables = { pullRequestId: pr.nodeId, mergeMethod: o.autoMerge.toUpperCase() };
  await o.api.graphql(ENABLE_AUTO_MERGE, variables, o.signal);
  return 'enabled';
}

/** Runs an extra; what GitHub refuses becomes a warning, infrastructure and cancellation still fail. */
async function optional<T>(
  log: Logger,
  warnings: string[],
  what: string,
  fallback: T,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CancelledError || err instanceof InfraError) throw err;
    if (!(err instanceof GithubApiError || err instanceof GithubGraphqlError || err instanceof InputError)) throw err;
    const w = `pull request ${what}: ${err.message}`;
    warnings.push(w);
    log.warning(`gitops-update: ${w}`);
    return fallback;
  }
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

export interface PullRequestBodyInput {
  environment: string;
  images: readonly Image[];
  /** what land() did, target by target */
  outcomes?: readonly TargetOutcome[];
  source: {
    /** owner/name of the application repository */
    repository: string;
    commit: string;
    /** https://github.com (GITHUB_SERVER_URL) */
    serverUrl?: string;
    run?: number;
    runUrl?: string;
  };
  scan?: { counts: Partial<Record<Severity, number>>; tool?: string; passed?: boolean };
  signatures?: readonly { component: string; verified: boolean; detail?: string }[];
  /** free text: what the scan found (e.g. trivy-gate's summary output), shown when `scan` is not given */
  scanText?: string;
  /** free text: how the images were signed and verified */
  signatureText?: string;
}

/** Inline code; backticks and line breaks cannot break out of it. */
function code(text: string): string {
  return `\`${text.replace(/[`\r\n]+/g, ' ')}\``;
}

/** Plain text in a table cell or a line: no markup, no HTML, no @mention, no line break. */
function plain(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>~&]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}

function link(label: string, url: string | undefined): string {
  return url !== undefined && /^https?:\/\/[^\s()<>]+$/.test(url) ? `[${label}](${url})` : label;
}

function sourceLine(s: PullRequestBodyInput['source']): string {
  const repoUrl = s.serverUrl === undefined ? undefined : `${s.serverUrl.replace(/\/+$/, '')}/${s.repository}`;
  const commit = /^[0-9a-f]{40}$/i.test(s.commit) ? s.commit : plain(s.commit);
  const commitLink = link(code(commit.slice(0, 12)), repoUrl && `${repoUrl}/commit/${commit}`);
  const run = s.run === undefined ? '' : `, workflow run ${link(`#${s.run}`, s.runUrl)}`;
  return `Built from ${code(s.repository)} at ${commitLink}${run}.`;
}

function imagesTable(input: PullRequestBodyInput): string[] {
  const signed = new Map((input.signatures ?? []).map((s) => [s.component, s]));
  const rows = input.images.map((img) => {
    const s = signed.get(img.component);
    const sig = s === undefined ? 'not checked' : s.verified ? '✅ verified' : '❌ not verified';
    return `| ${plain(img.component)} | ${code(img.repository)} | ${code(img.digest)} | ${sig} |`;
  });
  return ['| Component | Repository | Digest | Signature |', '| --- | --- | --- | --- |', ...rows];
}

function outcomesTable(outcomes: readonly TargetOutcome[]): string[] {
  if (outcomes.length === 0) return [];
  const rows = outcomes.map((o) => {
    const was = o.previous === undefined ? '' : code(o.previous);
    const why = o.held === undefined ? '' : ` (holds run ${o.held.run})`;
    return `| ${code(o.target.file)} | ${code(o.target.where)} | ${plain(o.target.component)} | ${o.outcome}${why} | ${was} |`;
  });
  return [
    '',
    '### Files',
    '',
    '| File | Target | Component | Result | Before |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

function scanSection(scan: PullRequestBodyInput['scan']): string[] {
  if (scan === undefined) return [];
  const head = SEVERITIES.map((s) => s[0]?.toUpperCase() + s.slice(1));
  const counts = SEVERITIES.map((s) => String(scan.counts[s] ?? 0));
  const verdict = scan.passed === undefined ? '' : scan.passed ? ' The gate passed.' : ' The gate failed.';
  const tool = scan.tool === undefined ? '' : ` (${plain(scan.tool)})`;
  return [
    '',
    `### Vulnerability scan${tool}`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    `| ${counts.join(' | ')} |`,
    ...(verdict ? ['', verdict.trim()] : []),
  ];
}

function signatureDetails(signatures: PullRequestBodyInput['signatures']): string[] {
  const detailed = (signatures ?? []).filter((s) => s.detail !== undefined && s.detail !== '');
  if (detailed.length === 0) return [];
  return ['', '### Signatures', '', ...detailed.map((s) => `- ${plain(s.component)}: ${plain(s.detail ?? '')}`)];
}

function textSection(title: string, text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  return [
    '',
    `### ${title}`,
    '',
    ...text
      .trim()
      .split(/\r?\n/)
      .map((l) => plain(l)),
  ];
}

/** The pull request's body, in Markdown (pure). Everything that comes from inputs is escaped. */
export function pullRequestBody(input: PullRequestBodyInput): string {
  const lines = [
    `<!-- polyglot-cd:gitops-update environment=${input.environment.replace(/[^A-Za-z0-9._-]/g, '_')} -->`,
    `## Deploy to ${code(input.environment)}`,
    '',
    sourceLine(input.source),
    '',
    ...imagesTable(input),
    ...outcomesTable(input.outcomes ?? []),
    ...scanSection(input.scan),
    ...textSection('Vulnerability scan', input.scan === undefined ? input.scanText : undefined),
    ...signatureDetails(input.signatures),
    ...textSection('Signatures', input.signatureText),
    '',
    '---',
    '<sub>Opened by polyglot-cd gitops-update. The branch is rebuilt on the base branch when no pull request is open for it: commits pushed to it by hand may be overwritten.</sub>',
    '',
  ];
  const body = lines.join('\n');
  if (body.length <= MAX_BODY_CHARS) return body;
  const note = '\n\n… (cut: the full list is in the workflow run)\n';
  return body.slice(0, MAX_BODY_CHARS - note.length) + note;
}
