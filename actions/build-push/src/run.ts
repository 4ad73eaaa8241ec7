/**
 * The run of build-push, loaded by main.ts only once every input is valid: the builders, the registry
 * client and the tools stay off the start of a step whose inputs are refused.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { githubContext, type ActionContext } from '@polyglot-cd/action-kit';
import { buildWithBuildah, buildWithDocker, pushArchive, pushBuilt, writeArchive } from './build.js';
import type { BuildPushInputs } from './inputs.js';
import { checkPlatforms, checkRegistry, chooseBuilder, createJob, prepareToolEnv, type Deps, type Job } from './job.js';
import { planTags, prNumberFromEvent } from './plan.js';
import { readBack } from './push.js';
import type { Builder, CacheReport, Report, Result } from './summary.js';

function eventJson(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Builds (or takes the archive) and pushes, by the builder chosen; push: false ends with an archive. */
async function buildAndPush(job: Job, builder: Builder, cache: CacheReport): Promise<Result> {
  if (builder === 'docker') return buildWithDocker(job, cache);
  if (builder === 'skopeo') return pushArchive(job);
  const built = await buildWithBuildah(job, cache);
  return job.inputs.push ? pushBuilt(job, built) : writeArchive(job, built);
}

/**
 * build-push's phases, in order: the tags from the Git context; the runtime (registry check, tool
 * settings, builder); the build; the push; the digest read back from the registry for the report.
 */
export async function run(
  ctx: ActionContext,
  inputs: Readonly<BuildPushInputs>,
  report: Report,
  deps: Deps,
): Promise<void> {
  const now = deps.now ?? Date.now;
  const started = now();
  report.image = inputs.image;
  const gh = githubContext(ctx.env);
  const tags = planTags(inputs, gh, prNumberFromEvent(eventJson(ctx.env['GITHUB_EVENT_PATH'])));
  for (const n of tags.notes) ctx.log.notice(n);
  report.refs = tags.tags.map((t) => `${inputs.image}:${t}`);

  const job = await createJob(ctx, inputs, deps, { refs: report.refs, version: tags.version });
  try {
    // the runtime: the registry answers, the tools' settings, the builder
    if (inputs.push) await checkRegistry(job);
    await prepareToolEnv(job);
    const { builder, reason } = await chooseBuilder(job);
    report.builder = builder;
    report.reason = reason;
    ctx.log.info(`Builder: ${builder} (${reason})`);
    checkPlatforms(job, builder, reason);

    // build and push (or write the OCI archive of push: false)
    report.result = await buildAndPush(job, builder, report.cache);

    // the report: the digest as the registry has it
    if (report.result.pushed) report.result = await readBack(job, report.result);
  } finally {
    await rm(job.tmp, { recursive: true, force: true });
    report.seconds = Math.round((now() - started) / 100) / 10;
  }
}
