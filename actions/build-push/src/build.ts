/** The three ways an image reaches the registry (or an OCI archive): buildah, skopeo, docker buildx. */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GateError, InputError, ToolError } from '@polyglot-cd/action-kit';
import { Buildah, classifyPushFailure, Skopeo } from '@polyglot-cd/tools/buildah';
import { Docker } from '@polyglot-cd/tools/docker';
import { backoffDelay } from '@polyglot-cd/tools/retry';
import { readArchiveManifest } from './archive.js';
import { login, privateDir, pushOptions, type Job } from './job.js';
import { buildahCache, buildxCache, cachePushFailed, cacheWriteNote } from './layer-cache.js';
import { archiveName, labelsFor } from './plan.js';
import { pushGaveUp, pushTag } from './push.js';
import type { CacheReport, Result } from './summary.js';

const MINUTE = 60_000;

async function archiveManifest(path: string): Promise<{ digest: string }> {
  try {
    return await readArchiveManifest(path);
  } catch (e) {
    throw new InputError(`Input "from-archive": ${path} cannot be pushed: ${(e as Error).message}`, 'from-archive');
  }
}

/** An image buildah has built, by its ID. */
export interface BuiltImage {
  buildah: Buildah;
  imageId: string;
}

/**
 * Builds the image with buildah (one platform), tagged with every ref; resolves to its image ID.
 * With a layer cache, a build that fails on writing the cache runs again without writing it.
 */
export async function buildWithBuildah(job: Job, cacheReport: CacheReport): Promise<BuiltImage> {
  const { inputs, refs } = job;
  const buildah = new Buildah(job.runner, { env: job.toolEnv });
  await login(job, 'buildah');
  const cache = await buildahCache(job, cacheReport);
  const iidFile = join(job.tmp, 'iid');
  const args = (cacheTo: string[]): string[] =>
    Buildah.buildArgs({
      context: inputs.context,
      file: inputs.file,
      tags: refs,
      labels: labelsFor(inputs, job.gh, job.version, job.now()),
      buildArgs: inputs.buildArgs,
      ...(inputs.target ? { target: inputs.target } : {}),
      ...(inputs.platforms[0] ? { platform: inputs.platforms[0] } : {}),
      iidFile,
      ...(inputs.sourceDateEpoch !== undefined ? { timestamp: inputs.sourceDateEpoch } : {}),
      cacheFrom: cache.from,
      cacheTo,
      ...pushOptions(job),
    });
  const build = (cacheTo: string[]): Promise<unknown> =>
    job.ctx.log.group(`Build ${inputs.image} with buildah (${refs.length} tags)`, () =>
      buildah.run(args(cacheTo), { stream: true, timeoutMs: 60 * MINUTE }),
    );
  try {
    await build(cache.to);
  } catch (e) {
    if (!cache.to.length || !cachePushFailed(e)) throw e;
    cacheWriteNote(job, cacheReport, e as ToolError);
    await build([]);
  }
  return { buildah, imageId: (await readFile(iidFile, 'utf8')).trim() };
}

/** push: false: the built image as an OCI archive in a private directory. */
export async function writeArchive(job: Job, built: BuiltImage): Promise<Result> {
  const archive = join(await privateDir(job), archiveName(job.inputs.image, job.gh.shortSha, built.imageId));
  await rm(archive, { force: true });
  await job.ctx.log.group(`Write the image as an OCI archive (push: false)`, () =>
    built.buildah.run(Buildah.pushArgs(built.imageId, `oci-archive:${archive}`), { timeoutMs: 30 * MINUTE }),
  );
  const m = await archiveManifest(archive);
  return { digest: m.digest, pushed: false, archive, sizeBytes: (await stat(archive)).size, existing: [] };
}

/** Pushes the built image to every ref; the digest is what buildah wrote (or the local layout's). */
export async function pushBuilt(job: Job, built: BuiltImage): Promise<Result> {
  const { buildah, imageId } = built;
  let digest: string | undefined;
  const local = async (): Promise<string> => {
    // the digest this push would produce, from a local OCI layout (same compression code)
    const layout = join(job.tmp, 'layout');
    await rm(layout, { recursive: true, force: true });
    await buildah.run(Buildah.pushArgs(imageId, `oci:${layout}`));
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    return index.manifests[0]?.digest ?? '';
  };
  const existing: string[] = [];
  const digestFile = join(job.tmp, 'digest');
  for (const ref of job.refs) {
    await rm(digestFile, { force: true });
    const got = await pushTag(job, ref, digest ?? local, () =>
      buildah.run(Buildah.pushArgs(imageId, `docker://${ref}`, { ...pushOptions(job), digestFile }), {
        timeoutMs: 30 * MINUTE,
      }),
    );
    if (got) existing.push(ref);
    if (existsSync(digestFile)) digest ??= (await readFile(digestFile, 'utf8')).trim();
    digest ??= got;
  }
  return { digest: digest ?? '', pushed: true, archive: '', sizeBytes: undefined, existing };
}

/**
 * expected-digest: the archive must be the one that was scanned, before anything is pushed. A
 * policy refusal (GateError): the archive was swapped or rebuilt between the scan and the push.
 */
function checkExpected(job: Job, archiveDigest: string): void {
  const { fromArchive, expectedDigest } = job.inputs;
  if (!expectedDigest || archiveDigest === expectedDigest) return;
  throw new GateError(
    `The archive is not the one that was scanned: ${fromArchive} has the manifest digest ${archiveDigest}, ` +
      `but expected-digest is ${expectedDigest}. Nothing was pushed. Push the archive the scan read (trivy-gate's input), with its digest output as expected-digest.`,
  );
}

/**
 * from-archive: the archive's bytes, pushed by skopeo to every ref; the registry's digest for every
 * tag is then read back and must be the archive's (readBack, `check`).
 */
export async function pushArchive(job: Job): Promise<Result> {
  const { inputs } = job;
  const archive = await archiveManifest(inputs.fromArchive);
  checkExpected(job, archive.digest);
  job.ctx.log.info(
    `Archive ${inputs.fromArchive}: manifest ${archive.digest}${inputs.expectedDigest ? ', as expected-digest says' : ''}`,
  );
  await login(job, 'skopeo');
  const skopeo = new Skopeo(job.runner, { env: job.toolEnv });
  const opts = { ...pushOptions(job), ...(job.regOpts.insecure ? { tlsVerify: false } : {}) };
  const existing: string[] = [];
  for (const ref of job.refs) {
    const already = await pushTag(job, ref, archive.digest, () =>
      skopeo.run(Skopeo.copyArchiveArgs(inputs.fromArchive, ref, opts), { timeoutMs: 30 * MINUTE }),
    );
    if (already) existing.push(ref);
  }
  return {
    digest: archive.digest,
    pushed: true,
    archive: '',
    sizeBytes: undefined,
    existing,
    check: { archive: archive.digest, expected: inputs.expectedDigest, confirmed: false },
  };
}

/** docker buildx: builds and pushes (or writes the archive) in one command, retried on transient push failures. */
export async function buildWithDocker(job: Job, cacheReport: CacheReport): Promise<Result> {
  const { inputs } = job;
  const { log } = job.ctx;
  const dockerConfig = join(job.tmp, 'docker');
  await mkdir(dockerConfig, { mode: 0o700 });
  // keep the runner's buildx builders and plugins: copy nothing else from ~/.docker
  const cache = buildxCache(job, cacheReport);
  const docker = new Docker(job.runner, { env: { DOCKER_CONFIG: dockerConfig, ...cache.env } });
  if (inputs.caFile || inputs.insecureRegistries.length) {
    log.warning(
      'With the docker builder, the Docker daemon/BuildKit must trust the registry itself; ca-file and insecure-registries apply to the digest read-back only',
    );
  }
  if (inputs.username) {
    await log.group(`Log in to ${inputs.registry} (docker, password from stdin, temporary DOCKER_CONFIG)`, () =>
      docker.run(Docker.loginArgs(inputs.registry, inputs.username), { input: inputs.password, timeoutMs: 120_000 }),
    );
  }
  const metadataFile = join(job.tmp, 'metadata.json');
  const archive = inputs.push ? '' : join(await privateDir(job), archiveName(inputs.image, job.gh.shortSha));
  const args = Docker.buildArgs({
    context: inputs.context,
    file: inputs.file,
    tags: job.refs,
    labels: [...labelsFor(inputs, job.gh, job.version, job.now())],
    buildArgs: [...inputs.buildArgs],
    ...(inputs.target ? { target: inputs.target } : {}),
    platforms: inputs.platforms,
    output: inputs.push ? { push: true } : { archive },
    metadataFile,
    cacheFrom: cache.from,
    cacheTo: cache.to,
  });
  await runBuildx(job, docker, args);
  if (!inputs.push) {
    const m = await readArchiveManifest(archive);
    return { digest: m.digest, pushed: false, archive, sizeBytes: (await stat(archive)).size, existing: [] };
  }
  const meta = existsSync(metadataFile) ? Docker.parseMetadata(await readFile(metadataFile, 'utf8')) : {};
  return { digest: meta.digest ?? '', pushed: true, archive: '', sizeBytes: undefined, existing: [] };
}

async function runBuildx(job: Job, docker: Docker, args: string[]): Promise<void> {
  const { inputs, policy } = job;
  const { log } = job.ctx;
  for (let attempt = 1; ; attempt++) {
    try {
      await log.group(`Build${inputs.push ? ' and push' : ''} ${inputs.image} with docker buildx`, () =>
        docker.run(args, { stream: true, timeoutMs: 60 * MINUTE }),
      );
      return;
    } catch (e) {
      const transient =
        e instanceof ToolError && inputs.push && classifyPushFailure(e.details.stderrTail) === 'transient';
      if (!transient) throw e;
      if (attempt >= policy.attempts) throw pushGaveUp(job, `docker buildx push of ${inputs.image}`, attempt, e);
      const ms = backoffDelay(attempt, policy);
      log.warning(
        `docker buildx failed on a transient registry error (attempt ${attempt} of ${policy.attempts}); retrying in ${(ms / 1000).toFixed(1)}s (the build cache makes it a re-push)`,
      );
      await job.sleep(ms);
    }
  }
}
