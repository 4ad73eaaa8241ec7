import type { Env } from './runner-protocol.js';

/** The run's Git and GitHub context, read from the runner's GITHUB_* variables. */
export interface GitHubContext {
  serverUrl: string;
  repository: string;
  repositoryId: string;
  repositoryUrl: string;
  sha: string;
  shortSha: string;
  /** e.g. refs/heads/main, refs/pull/12/merge, refs/tags/v1.2.3 */
  ref: string;
  /** branch or tag name; for pull requests the head branch */
  refName: string;
  eventName: string;
  actor: string;
  workflow: string;
  runId: string;
  runAttempt: string;
  runUrl: string;
  commitUrl: string;
}

export function githubContext(env: Env): GitHubContext {
  const serverUrl = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'] ?? '';
  const sha = env['GITHUB_SHA'] ?? '';
  const runId = env['GITHUB_RUN_ID'] ?? '';
  const runAttempt = env['GITHUB_RUN_ATTEMPT'] ?? '';
  const repositoryUrl = repository ? `${serverUrl}/${repository}` : '';
  return {
    serverUrl,
    repository,
    repositoryId: env['GITHUB_REPOSITORY_ID'] ?? '',
    repositoryUrl,
    sha,
    shortSha: sha.slice(0, 7),
    ref: env['GITHUB_REF'] ?? '',
    refName: env['GITHUB_HEAD_REF'] || env['GITHUB_REF_NAME'] || '',
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    actor: env['GITHUB_ACTOR'] ?? '',
    workflow: env['GITHUB_WORKFLOW'] ?? '',
    runId,
    runAttempt,
    runUrl:
      repositoryUrl && runId
        ? `${repositoryUrl}/actions/runs/${runId}${runAttempt && runAttempt !== '1' ? `/attempts/${runAttempt}` : ''}`
        : '',
    commitUrl: repositoryUrl && sha ? `${repositoryUrl}/commit/${sha}` : '',
  };
}
