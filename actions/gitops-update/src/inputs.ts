/**
 * gitops-update's inputs: every one read and checked here, before anything is read from or written to
 * the GitOps repository. The token is masked at read.
 */
import { existsSync, statSync } from 'node:fs';
import { COMPONENT_RE, parseHttpUrl, parseImages, type ActionContext, type Inputs } from '@polyglot-cd/action-kit';
import { branchNameProblem, parseRepository, parseRepoUrl, pathProblem } from './git-names.js';
import type { Ordering } from './edit.js';
import type { MergeMethod } from './pull-request.js';
import type { Image, Stamp, Target } from './types.js';

export const MODES = ['pull-request', 'push'] as const;
export type Mode = (typeof MODES)[number];

export interface GitopsInputs {
  images: readonly Image[];
  targets: readonly Target[];
  token: string;
  mode: Mode;
  environment: string;
  /** GitHub's API: owner/name; empty with gitUrl */
  repository: string;
  baseBranch: string;
  /** plain git: the repository's https:// URL; empty: GitHub's API */
  gitUrl: string;
  username: string;
  caFile: string;
  apiUrl: string;
  ordering: Ordering;
  commitMessage: string;
  labels: readonly string[];
  reviewers: readonly string[];
  autoMerge: MergeMethod | undefined;
  scanSummary: string;
  signatureSummary: string;
  maxAttempts: number;
  dryRun: boolean;
  /** who built the images: GITHUB_RUN_NUMBER and GITHUB_SHA */
  stamp: Stamp;
}

const ENVIRONMENT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const KEY_PATH_RE = /^[^\s]+$/;
const KINDS = ['values', 'container', 'kustomize'] as const;
const TARGET_FORMAT =
  'expected one target per line: "<component> <file> values <key.path> [ref] [create]", "<component> <file> container <name>" or "<component> <file> kustomize <image-name> [create]"';

/** One `targets` line: component, file, kind, where, then the flags its kind allows. */
function parseTarget(inputs: Inputs, line: string, components: ReadonlySet<string>): Target {
  const [component = '', file = '', kind = '', where = '', ...flags] = line.split(/\s+/);
  const fail = (why: string): never => inputs.fail('targets', line, why);
  if (where === '' || !KINDS.includes(kind as (typeof KINDS)[number])) fail(TARGET_FORMAT);
  if (!COMPONENT_RE.test(component) || !components.has(component)) {
    fail(`the component ${JSON.stringify(component)} is not one of images (${[...components].join(', ')})`);
  }
  const problem = pathProblem(file);
  if (problem !== undefined) fail(`the file ${JSON.stringify(file)} ${problem}`);
  if (!KEY_PATH_RE.test(where)) fail(TARGET_FORMAT);
  const allowed = kind === 'values' ? ['ref', 'create'] : kind === 'kustomize' ? ['create'] : [];
  for (const f of flags) if (!allowed.includes(f)) fail(`"${f}" is not a flag of a ${kind} target; ${TARGET_FORMAT}`);
  return {
    component,
    file,
    kind: kind as Target['kind'],
    where,
    write: flags.includes('ref') ? 'ref' : 'digest',
    create: flags.includes('create'),
  };
}

function readImagesAndTargets(inputs: Inputs): { images: Image[]; targets: Target[] } {
  const parsed = parseImages(inputs.required('images', { hint: 'Pass the digest outputs of build-push.' }));
  if (!Array.isArray(parsed)) return inputs.fail('images', parsed.value, parsed.reason);
  if (parsed.length === 0) inputs.fail('images', '', 'expected at least one "component: repo@sha256:..." line');
  const images = parsed.map(({ component, repository, digest }) => ({ component, repository, digest }));
  const components = new Set(images.map((i) => i.component));
  const text = inputs.required('targets', { hint: TARGET_FORMAT });
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
  const targets = lines.map((l) => parseTarget(inputs, l, components));
  const seen = new Set<string>();
  for (const t of targets) {
    const key = `${t.file} ${t.kind} ${t.where}`;
    if (seen.has(key)) inputs.fail('targets', key, 'a place may be named once');
    seen.add(key);
  }
  return { images, targets };
}

function readBaseBranch(inputs: Inputs): string {
  const value = inputs.optional('base-branch', 'main');
  const problem = branchNameProblem(value);
  if (problem !== undefined) inputs.fail('base-branch', value, `expected a branch name: ${problem}`);
  return value;
}

/** Where the change goes: GitHub's API (repository) or plain git (git-url), and how to reach it. */
function readDestination(ctx: ActionContext) {
  const { inputs, env } = ctx;
  const gitUrl = inputs.optional('git-url');
  if (gitUrl !== '') parseRepoUrl(gitUrl, 'git-url');
  const repository = gitUrl === '' ? inputs.optional('repository', env['GITHUB_REPOSITORY'] ?? '') : '';
  if (gitUrl === '') parseRepository(repository, 'repository');
  const username = inputs.optional('username');
  if (username.includes(':') || /[\s\p{Cc}]/u.test(username)) {
    inputs.fail('username', username, 'a user name has no ":", space or control character');
  }
  const caFile = inputs.optional('ca-file');
  if (caFile !== '' && !(existsSync(caFile) && statSync(caFile).isFile())) {
    inputs.fail('ca-file', caFile, 'expected the path of a PEM file on the runner');
  }
  const apiUrl = inputs.optional('github-api-url', env['GITHUB_API_URL'] || 'https://api.github.com');
  if (!parseHttpUrl(apiUrl)) inputs.fail('github-api-url', apiUrl, 'expected an https:// URL');
  return { gitUrl, repository, username, caFile, apiUrl };
}

function readPullRequest(inputs: Inputs) {
  const autoMerge = inputs.oneOf('auto-merge', ['', 'merge', 'squash', 'rebase'] as const, '');
  return {
    labels: inputs.list('labels'),
    reviewers: inputs.list('reviewers'),
    autoMerge: autoMerge === '' ? undefined : autoMerge,
    scanSummary: inputs.optional('scan-summary'),
    signatureSummary: inputs.optional('signature-summary'),
  };
}

/** GITHUB_RUN_NUMBER and GITHUB_SHA: the stamp each updated line carries. */
function readStamp(ctx: ActionContext): Stamp {
  const run = ctx.env['GITHUB_RUN_NUMBER'] ?? '';
  const commit = ctx.env['GITHUB_SHA'] ?? '';
  if (!/^[1-9][0-9]{0,9}$/.test(run)) {
    ctx.inputs.fail('GITHUB_RUN_NUMBER', run, 'expected the run number the runner sets (a positive integer)');
  }
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) {
    ctx.inputs.fail('GITHUB_SHA', commit, 'expected the commit the runner sets (40 or 64 hex digits)');
  }
  return { run: Number(run), commit };
}

export function getInputs(ctx: ActionContext): Readonly<GitopsInputs> {
  const { inputs } = ctx;
  const { images, targets } = readImagesAndTargets(inputs);
  const token = inputs.required('token', {
    secret: true,
    hint: 'Pass a GitHub App installation token or a fine-grained token from a secret.',
  });
  const mode = inputs.oneOf('mode', MODES, 'pull-request');
  const environment = inputs.optional('environment', 'production');
  if (!ENVIRONMENT_RE.test(environment)) {
    inputs.fail('environment', environment, 'expected letters, digits, ".", "-" and "_" (at most 63, e.g. production)');
  }
  const commitMessage = inputs.optional('commit-message');
  if (/[\r\n]/.test(commitMessage) || commitMessage.length > 200) {
    inputs.fail('commit-message', commitMessage, 'expected one line of at most 200 characters (the subject)');
  }
  return Object.freeze({
    images,
    targets,
    token,
    mode,
    environment,
    ...readDestination(ctx),
    baseBranch: readBaseBranch(inputs),
    ordering: inputs.oneOf('ordering', ['run-number', 'off'] as const, 'run-number'),
    commitMessage,
    ...readPullRequest(inputs),
    maxAttempts: inputs.int('max-attempts', { default: 6, min: 1, max: 20 }),
    dryRun: inputs.bool('dry-run', false),
    stamp: readStamp(ctx),
  });
}
