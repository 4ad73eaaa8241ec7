/** What the signature says about where it was made: default annotations and the repository's visibility. */
import { readFileSync } from 'node:fs';
import { githubContext, type Env } from '@polyglot-cd/action-kit';
import type { Visibility } from './tlog.js';

/** Default annotations: who signed what, from where (the user's `annotations` win on a clash). */
export function defaultAnnotations(env: Env): [string, string][] {
  const gh = githubContext(env);
  const out: [string, string][] = [];
  if (gh.repository) out.push(['repository', gh.repository]);
  if (gh.sha) out.push(['commit', gh.sha]);
  if (gh.workflow) out.push(['workflow', gh.workflow]);
  if (gh.runId) out.push(['run-id', gh.runId]);
  return out;
}

export function mergeAnnotations(
  defaults: readonly (readonly [string, string])[],
  user: readonly (readonly [string, string])[],
): [string, string][] {
  const m = new Map<string, string>(defaults.map(([k, v]) => [k, v]));
  for (const [k, v] of user) m.set(k, v);
  return [...m];
}

/** Repository visibility: the token's `repository_visibility` claim, else the event payload. */
export function visibility(env: Env, claim: unknown): Visibility {
  if (claim === 'public' || claim === 'private' || claim === 'internal') return claim;
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) return 'unknown';
  try {
    const repo = (JSON.parse(readFileSync(path, 'utf8')) as { repository?: { private?: boolean; visibility?: string } })
      .repository;
    if (repo?.visibility === 'public' || repo?.visibility === 'private' || repo?.visibility === 'internal')
      return repo.visibility;
    if (typeof repo?.private === 'boolean') return repo.private ? 'private' : 'public';
  } catch {
    // no readable event payload: unknown
  }
  return 'unknown';
}
