/**
 * The layer cache at run time: a cache that cannot be read or written is a warning, never a failed
 * build. A cache-from the registry will not let us read is left out before the build (buildah
 * would otherwise retry it at every step); a cache-to buildah fails to push to ends that build, which
 * then runs again without it (its layers are in local storage by then, so the rerun is quick).
 */
import { ToolError } from '@polyglot-cd/action-kit';
import { parseImageRef, RegistryClient } from '@polyglot-cd/tools/registry';
import { buildahCacheRepos, buildxCacheFlags } from './cache.js';
import type { Job } from './job.js';
import type { CacheReport } from './summary.js';

/** A reference no cache key can be: a probe that reads nothing. */
const PROBE_TAG = 'polyglot-cd-cache-probe';

/** Whether the registry lets us read `repository` (a repository that does not exist yet is readable: it is an empty cache). */
async function readable(job: Job, repository: string): Promise<string | undefined> {
  const ref = parseImageRef(repository);
  const client = new RegistryClient(ref.registry, {
    ...job.regOpts,
    retry: { attempts: 2, baseDelayMs: 500, maxDelayMs: 1000 },
  });
  try {
    await client.manifestDigest(ref.repository, PROBE_TAG);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** buildah's cache repositories for this run: cache-from only if readable; every note in the report. */
export async function buildahCache(job: Job, report: CacheReport): Promise<{ from: string[]; to: string[] }> {
  const { inputs } = job;
  const { log } = job.ctx;
  const repos = buildahCacheRepos(inputs.cache, inputs.image);
  const from: string[] = [];
  for (const repo of repos.from) {
    const why = await readable(job, repo);
    if (why === undefined) from.push(repo);
    else repos.warnings.push(`cache-from ${repo} cannot be read (${why}): building without it`);
  }
  for (const w of repos.warnings) log.warning(w);
  report.from = from;
  report.to = repos.to;
  report.notes.push(...repos.warnings);
  if (from.length || repos.to.length)
    log.info(`Layer cache: read ${from.join(', ') || 'none'}; write ${repos.to.join(', ') || 'none'}`);
  return { from, to: repos.to };
}

/** Whether a failed buildah build failed on pushing its layer cache (not on the build itself). */
export function cachePushFailed(e: unknown): boolean {
  return e instanceof ToolError && /failed pushing cache to/i.test(e.details.stderrTail);
}

/** The report's note when cache-to could not be written and the build ran again without it. */
export function cacheWriteNote(job: Job, report: CacheReport, e: ToolError): void {
  const line = /failed pushing cache to.*$/im.exec(e.details.stderrTail)?.[0] ?? 'the push of the cache failed';
  const note = `cache-to ${report.to.join(', ')} cannot be written (${line.slice(0, 300)}): building again without writing the cache`;
  job.ctx.log.warning(note);
  report.notes.push(note);
  report.to = [];
}

/** buildx's cache flags, and the environment a type=gha cache needs from the runner (never on argv). */
export function buildxCache(
  job: Job,
  report: CacheReport,
): { from: string[]; to: string[]; env: Record<string, string> } {
  const flags = buildxCacheFlags(job.inputs.cache);
  report.from = flags.from;
  report.to = flags.to;
  const env: Record<string, string> = {};
  const gha = [...job.inputs.cache.from, ...job.inputs.cache.to].some((e) => e.type === 'gha');
  if (gha) {
    for (const k of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2']) {
      const v = job.ctx.env[k];
      if (v) env[k] = v;
    }
    if (env['ACTIONS_RUNTIME_TOKEN']) job.ctx.secrets.add(env['ACTIONS_RUNTIME_TOKEN']);
    if (!env['ACTIONS_RUNTIME_TOKEN']) {
      const note =
        'type=gha: ACTIONS_RUNTIME_TOKEN is not set (it is only inside a GitHub Actions job): buildx will build without that cache';
      job.ctx.log.warning(note);
      report.notes.push(note);
    }
  }
  return { ...flags, env };
}
