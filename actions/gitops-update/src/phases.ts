/**
 * gitops-update's phases, loaded only once the inputs are valid (the bundle's cold start stays small):
 * write the images' digests into the GitOps repository's files, byte for byte, and land
 * the change by push or by one pull request per environment. Phases: where (transport) → which branch →
 * land (read, edit, commit; again on a race) → the pull request → the report.
 */
import { tmpdir } from 'node:os';
import { githubContext, type ActionContext } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { createHttpSender } from '@polyglot-cd/tools/http';
import type { RetryPolicy } from '@polyglot-cd/tools/retry';
import { unifiedDiff } from './diff.js';
import { buildApply } from './edit.js';
import { gitTransport } from './git.js';
import { createGithubApi, type GithubApi, type GithubApiOptions } from './github-api-http.js';
import { githubTransport } from './github-api.js';
import type { GitopsInputs } from './inputs.js';
import {
  ensurePullRequest,
  environmentBranch,
  environmentBranchReset,
  pullRequestBody,
  type EnsuredPullRequest,
} from './pull-request.js';
import type { GitopsReport } from './summary.js';
import type { LandRequest, LandResult, Transport } from './types.js';

export interface Deps {
  /** runs git (plain-git transport); default: a CommandRunner with the step's secrets */
  runner?: CommandRunner;
  /** GitHub API client options the tests replace (fetch, sleep, random, retries) */
  github?: Partial<GithubApiOptions>;
  /** the backoff between attempts after a race (default 1 s base, 15 s cap) */
  retry?: Partial<RetryPolicy>;
  random?: () => number;
}

type Inputs = Readonly<GitopsInputs>;

/** The author of plain-git commits (GitHub's API commits as the token's identity, signed by GitHub). */
const AUTHOR = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

interface Where {
  transport: Transport;
  /** GitHub's API, for the pull request; undefined with plain git */
  api: GithubApi | undefined;
}

function transportFor(ctx: ActionContext, inputs: Inputs, deps: Deps): Where {
  const retry: RetryPolicy = { attempts: inputs.maxAttempts, baseDelayMs: 1000, maxDelayMs: 15_000, ...deps.retry };
  if (inputs.gitUrl !== '') {
    const transport = gitTransport({
      url: inputs.gitUrl,
      token: inputs.token,
      ...(inputs.username ? { username: inputs.username } : {}),
      ...(inputs.caFile ? { caFile: inputs.caFile } : {}),
      runner: deps.runner ?? new CommandRunner({ log: ctx.log, secrets: ctx.secrets, env: ctx.env }),
      workdir: ctx.env['RUNNER_TEMP'] || tmpdir(),
      retry,
      ...(deps.random ? { random: deps.random } : {}),
      log: ctx.log,
    });
    return { transport, api: undefined };
  }
  const api = createGithubApi({
    apiUrl: inputs.apiUrl,
    token: inputs.token,
    log: ctx.log,
    send: createHttpSender(ctx.env), // the step's proxy settings (HTTPS_PROXY, NO_PROXY)
    ...deps.github,
  });
  return {
    transport: githubTransport({
      apiUrl: inputs.apiUrl,
      token: inputs.token,
      repository: inputs.repository,
      api,
      retry,
    }),
    api,
  };
}

/** push: the base branch itself; pull-request: the environment branch, rebuilt on base when no PR is open. */
async function branchPlan(
  inputs: Inputs,
  api: GithubApi | undefined,
): Promise<Pick<LandRequest, 'branch' | 'from' | 'reset'>> {
  if (inputs.mode === 'push') return { branch: inputs.baseBranch, from: inputs.baseBranch, reset: false };
  const branch = environmentBranch(inputs.environment);
  if (api === undefined) return { branch, from: inputs.baseBranch, reset: false };
  const { reset } = await environmentBranchReset(api, inputs.repository, branch, inputs.baseBranch);
  return { branch, from: inputs.baseBranch, reset };
}

function commitMessage(ctx: ActionContext, inputs: Inputs): string {
  const gh = githubContext(ctx.env);
  const source = `${gh.repository || 'local'}@${inputs.stamp.commit.slice(0, 7)}`;
  const components = inputs.images.map((i) => i.component).join(', ');
  const subject = inputs.commitMessage || `Deploy ${components} to ${inputs.environment} (${source})`;
  const body = inputs.images.map((i) => `- ${i.component}: ${i.repository}@${i.digest}`);
  const trailers = [
    `Source-Repository: ${gh.repository || 'local'}`,
    `Source-Commit: ${inputs.stamp.commit}`,
    `Source-Run: ${inputs.stamp.run}${gh.runUrl ? ` ${gh.runUrl}` : ''}`,
  ];
  return [subject, '', ...body, '', ...trailers, ''].join('\n');
}

async function openPullRequest(
  ctx: ActionContext,
  inputs: Inputs,
  api: GithubApi,
  landed: LandResult,
  branch: string,
): Promise<EnsuredPullRequest> {
  const gh = githubContext(ctx.env);
  const body = pullRequestBody({
    environment: inputs.environment,
    images: inputs.images,
    outcomes: landed.outcomes,
    source: {
      repository: gh.repository || 'local',
      commit: inputs.stamp.commit,
      serverUrl: gh.serverUrl,
      run: inputs.stamp.run,
      ...(gh.runUrl ? { runUrl: gh.runUrl } : {}),
    },
    scanText: inputs.scanSummary,
    signatureText: inputs.signatureSummary,
  });
  const components = inputs.images.map((i) => i.component).join(', ');
  return ensurePullRequest({
    api,
    repository: inputs.repository,
    branch,
    base: inputs.baseBranch,
    title: `Deploy ${components} to ${inputs.environment}`,
    body,
    labels: inputs.labels,
    reviewers: inputs.reviewers,
    ...(inputs.autoMerge ? { autoMerge: inputs.autoMerge } : {}),
  });
}

/** where → which branch → land → pull request → report. */
export async function run(ctx: ActionContext, inputs: Inputs, report: GitopsReport, deps: Deps): Promise<void> {
  Object.assign(report, { stage: 'landing', mode: inputs.mode, dryRun: inputs.dryRun });
  report.destination = inputs.gitUrl || inputs.repository;
  const { transport, api } = transportFor(ctx, inputs, deps);
  const plan = await branchPlan(inputs, api);
  report.branch = plan.branch;
  const landed = await ctx.log.group(`Update ${inputs.targets.length} target(s) on ${plan.branch}`, () =>
    transport.land({
      ...plan,
      message: commitMessage(ctx, inputs),
      apply: buildApply(inputs.targets, inputs.images, inputs.stamp, inputs.ordering),
      author: AUTHOR,
      dryRun: inputs.dryRun,
    }),
  );
  Object.assign(report, {
    changed: landed.changed,
    commit: landed.commit,
    attempts: landed.attempts,
    outcomes: landed.outcomes,
  });
  report.diff = unifiedDiff(landed.changes);
  if (api !== undefined && inputs.mode === 'pull-request' && !inputs.dryRun && (landed.changed || !plan.reset)) {
    const pr = await openPullRequest(ctx, inputs, api, landed, plan.branch);
    report.pullRequest = { number: pr.number, url: pr.url, created: pr.created, autoMerge: pr.autoMerge };
    report.warnings.push(...pr.warnings);
  }
  report.stage = 'done';
}
