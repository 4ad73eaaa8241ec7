import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { code, GateError, githubContext, InputError, ToolError, type ActionContext } from '@polyglot-cd/action-kit';
import { Buildah, classifyPushFailure, Skopeo } from '@polyglot-cd/tools/buildah';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Docker } from '@polyglot-cd/tools/docker';
import {
  checkRegistryAccess,
  manifestDigest,
  RegistryClient,
  RegistryError,
  type RegistryOptions,
} from '@polyglot-cd/tools/registry';
import { backoffDelay, type RetryPolicy } from '@polyglot-cd/tools/retry';
import { readArchiveManifest } from './archive.js';
import { registriesConf } from './containers-config.js';
import { getInputs, type BuildPushInputs } from './inputs.js';
import { ociLabels } from './labels.js';
import { computeTags } from './tags.js';

export interface Deps {
  runner?: CommandRunner;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

type Builder = 'docker' | 'buildah' | 'skopeo';

interface Result {
  digest: string;
  pushed: boolean;
  archive: string;
  sizeBytes: number | undefined;
  /** refs an immutable-tag registry refused to rewrite because they already pointed at this digest */
  existing: string[];
}

/** Compressed size of an image from its manifest JSON (config + layers); undefined for an index. */
export function manifestSize(json: string): number | undefined {
  try {
    const m = JSON.parse(json) as { config?: { size?: number }; layers?: { size?: number }[] };
    if (!m.layers) return undefined;
    return (m.config?.size ?? 0) + m.layers.reduce((a, l) => a + (l.size ?? 0), 0);
  } catch {
    return undefined;
  }
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function readPrNumber(eventPath: string | undefined): number | undefined {
  if (!eventPath || !existsSync(eventPath)) return undefined;
  try {
    const n = (JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { number?: unknown } }).pull_request
      ?.number;
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function registryFailure(err: unknown, inputs: BuildPushInputs): Error {
  if (!(err instanceof RegistryError)) return err as Error;
  const host = inputs.imageRegistry;
  switch (err.kind) {
    case 'unauthorized':
      return new InputError(
        `Registry ${host} refused the login of "${inputs.username || '(anonymous)'}": ${err.message}. Check username and password.`,
        'password',
      );
    case 'denied':
      return new InputError(
        `Registry ${host} denied access: ${err.message}. The credentials may lack push rights on ${inputs.image}.`,
        'username',
      );
    case 'tls':
      return new InputError(`${err.message}`, 'ca-file');
    case 'unreachable':
      return new InputError(
        `Registry ${host} of input "image" is unreachable: ${err.message}. Nothing was built or pushed.`,
        'image',
      );
    default:
      return new Error(err.message);
  }
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log, env } = ctx;
  const inputs = getInputs(ctx);
  const gh = githubContext(env);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let computed;
  try {
    computed = computeTags(
      { sha: gh.sha, eventName: gh.eventName, ref: gh.ref, prNumber: readPrNumber(env['GITHUB_EVENT_PATH']) },
      { extraTags: inputs.extraTags, latest: inputs.latest },
    );
  } catch (e) {
    throw new InputError(`Cannot compute the tags: ${(e as Error).message}`);
  }
  for (const n of computed.notes) log.notice(n);
  const refs = computed.tags.map((t) => `${inputs.image}:${t}`);

  const runnerTemp = env['RUNNER_TEMP'] || (await import('node:os')).tmpdir();
  const runner = deps.runner ?? new CommandRunner({ log, secrets: ctx.secrets, env });
  const tmp = await mkdtemp(join(runnerTemp, 'build-push-'));
  const policy: RetryPolicy = { attempts: inputs.pushAttempts, baseDelayMs: 2000, maxDelayMs: 30_000 };
  const regOpts: RegistryOptions = {
    ...(inputs.username ? { auth: { username: inputs.username, password: inputs.password } } : {}),
    ...(inputs.caFile ? { caFile: inputs.caFile } : {}),
    insecure: inputs.insecureRegistries.includes(inputs.imageRegistry),
    retry: policy,
    env,
    sleep,
    log,
  };
  const started = now();
  let builder: Builder = 'buildah';
  let reason = '';
  let result: Result | undefined;
  try {
    if (inputs.push) {
      await log.group(
        `Check registry ${inputs.imageRegistry}${inputs.username ? ` as ${inputs.username}` : ''}`,
        async () => {
          try {
            await checkRegistryAccess(inputs.imageRegistry, regOpts);
          } catch (e) {
            throw registryFailure(e, inputs);
          }
          log.info(`${inputs.imageRegistry} answers and accepts the credentials`);
        },
      );
    }

    // containers/image settings for this run only: a cert dir with the private CA, insecure hosts
    const toolEnv: Record<string, string> = {};
    let certDir: string | undefined;
    if (inputs.caFile) {
      certDir = join(tmp, 'certs');
      await mkdir(certDir, { mode: 0o700 });
      await copyFile(inputs.caFile, join(certDir, 'ca.crt'));
    }
    if (inputs.insecureRegistries.length) {
      const system = env['CONTAINERS_REGISTRIES_CONF'] || '/etc/containers/registries.conf';
      const base = existsSync(system) ? await readFile(system, 'utf8') : '';
      const conf = join(tmp, 'registries.conf');
      await writeFile(conf, registriesConf(base, inputs.insecureRegistries), { mode: 0o600 });
      toolEnv['CONTAINERS_REGISTRIES_CONF'] = conf;
    }
    const authFile = join(tmp, 'auth.json');
    if (!env['BUILDAH_ISOLATION']) toolEnv['BUILDAH_ISOLATION'] = 'chroot';

    if (inputs.fromArchive) {
      builder = 'skopeo';
      reason = 'from-archive: the archive is pushed as is, nothing is built';
    } else if (inputs.builder === 'buildah') {
      reason = 'builder: buildah was asked for';
    } else {
      const state = await log.group('Look for a Docker daemon', () => new Docker(runner, { env: toolEnv }).daemon(env));
      if (state.ok) {
        builder = 'docker';
        reason = `${inputs.builder === 'docker' ? 'builder: docker was asked for; ' : ''}a Docker daemon answered (server ${state.serverVersion}, buildx ${state.buildx})`;
      } else if (inputs.builder === 'docker') {
        throw new InputError(
          `builder: docker was asked for, but ${state.reason}. Use builder: auto or buildah on runners without Docker.`,
          'builder',
        );
      } else {
        reason = `${state.reason}: using buildah (daemonless)`;
      }
    }
    log.info(`Builder: ${builder} (${reason})`);
    if (builder === 'buildah' && inputs.platforms.length > 1) {
      throw new InputError(
        `Input "platforms" lists ${inputs.platforms.length} platforms, but buildah builds one per run here (${reason}); use a runner with Docker buildx for a multi-platform image`,
        'platforms',
      );
    }

    const login = async (tool: 'buildah' | 'skopeo'): Promise<void> => {
      if (!inputs.username) return;
      await log.group(`Log in to ${inputs.registry} (${tool}, password from stdin, temporary auth file)`, async () => {
        const args = Buildah.loginArgs(inputs.registry, inputs.username, authFile, certDir);
        await runner.run(tool, args, { tool, input: inputs.password, env: toolEnv, timeoutMs: 120_000 });
      });
    };
    const pushOpts = { ...(inputs.username ? { authFile } : {}), ...(certDir ? { certDir } : {}) };

    if (builder === 'docker') {
      result = await dockerPath(ctx, inputs, {
        runner,
        tmp,
        refs,
        labels: labelsFor(inputs, gh, computed.version, now),
        policy,
        sleep,
        runnerTemp,
        shortSha: gh.shortSha,
      });
    } else if (builder === 'skopeo') {
      await login('skopeo');
      const archive = await archiveManifest(inputs.fromArchive);
      const skopeo = new Skopeo(runner, { env: toolEnv });
      const existing: string[] = [];
      for (const ref of refs) {
        const already = await pushTag(ctx, ref, archive.digest, regOpts, policy, sleep, () =>
          skopeo.run(
            Skopeo.copyArchiveArgs(inputs.fromArchive, ref, {
              ...pushOpts,
              ...(regOpts.insecure ? { tlsVerify: false } : {}),
            }),
            { timeoutMs: 30 * 60_000 },
          ),
        );
        if (already) existing.push(ref);
      }
      result = { digest: archive.digest, pushed: true, archive: '', sizeBytes: undefined, existing };
    } else {
      const buildah = new Buildah(runner, { env: toolEnv });
      await login('buildah');
      const labels = labelsFor(inputs, gh, computed.version, now);
      const iidFile = join(tmp, 'iid');
      await log.group(`Build ${inputs.image} with buildah (${computed.tags.length} tags)`, () =>
        buildah.run(
          Buildah.buildArgs({
            context: inputs.context,
            file: inputs.file,
            tags: refs,
            labels,
            buildArgs: inputs.buildArgs,
            ...(inputs.target ? { target: inputs.target } : {}),
            ...(inputs.platforms[0] ? { platform: inputs.platforms[0] } : {}),
            iidFile,
            ...(inputs.sourceDateEpoch !== undefined ? { timestamp: inputs.sourceDateEpoch } : {}),
            ...(inputs.username ? { authFile } : {}),
            ...(certDir ? { certDir } : {}),
          }),
          { stream: true, timeoutMs: 60 * 60_000 },
        ),
      );
      const imageId = (await readFile(iidFile, 'utf8')).trim();
      if (!inputs.push) {
        const dir = await privateDir(join(runnerTemp, 'build-push'));
        const archive = join(
          dir,
          `${inputs.image.split('/').pop() ?? 'image'}-${gh.shortSha || 'local'}-${imageId.replace(/^sha256:/, '').slice(0, 12)}.oci.tar`,
        );
        await rm(archive, { force: true });
        await log.group(`Write the image as an OCI archive (push: false)`, () =>
          buildah.run(Buildah.pushArgs(imageId, `oci-archive:${archive}`), { timeoutMs: 30 * 60_000 }),
        );
        const m = await archiveManifest(archive);
        result = { digest: m.digest, pushed: false, archive, sizeBytes: (await stat(archive)).size, existing: [] };
      } else {
        let digest: string | undefined;
        const local = async (): Promise<string> => {
          // the digest this push would produce, from a local OCI layout (same compression code)
          const layout = join(tmp, 'layout');
          await rm(layout, { recursive: true, force: true });
          await buildah.run(Buildah.pushArgs(imageId, `oci:${layout}`));
          const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
            manifests: { digest: string }[];
          };
          return index.manifests[0]?.digest ?? '';
        };
        const existing: string[] = [];
        for (const ref of refs) {
          const digestFile = join(tmp, 'digest');
          await rm(digestFile, { force: true });
          const got = await pushTag(ctx, ref, digest ?? local, regOpts, policy, sleep, () =>
            buildah.run(Buildah.pushArgs(imageId, `docker://${ref}`, { ...pushOpts, digestFile }), {
              timeoutMs: 30 * 60_000,
            }),
          );
          if (got) existing.push(ref);
          if (existsSync(digestFile)) digest ??= (await readFile(digestFile, 'utf8')).trim();
          digest ??= got;
        }
        result = { digest: digest as string, pushed: true, archive: '', sizeBytes: undefined, existing };
      }
    }

    if (result.pushed) {
      // the registry is the source of truth: every tag must resolve to the same digest
      await log.group(`Read the digest back from ${inputs.imageRegistry}`, async () => {
        const client = new RegistryClient(inputs.imageRegistry, regOpts);
        const repo = inputs.image.slice(inputs.imageRegistry.length + 1);
        let manifest;
        try {
          manifest = await client.fetchManifest(repo, refs[0]?.slice(inputs.image.length + 1) ?? 'latest');
          for (const ref of refs) {
            const d = await client.manifestDigest(repo, ref.slice(inputs.image.length + 1));
            if (d !== manifest.digest)
              throw new Error(
                `${ref} resolves to ${d ?? 'nothing'}, not ${manifest.digest}: another push raced this one`,
              );
          }
        } catch (e) {
          throw registryFailure(e, inputs);
        }
        if (result && manifest.digest !== result.digest)
          log.warning(
            `The builder reported ${result.digest}; the registry has ${manifest.digest} (the registry's is used)`,
          );
        result = { ...(result as Result), digest: manifest.digest, sizeBytes: manifestSize(manifest.body) };
        log.info(`${refs.length} tag(s) → ${manifest.digest}`);
      });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
    const seconds = ((now() - started) / 1000).toFixed(1);
    writeResults(ctx, inputs, refs, builder, reason, result, seconds);
  }
}

function labelsFor(
  inputs: BuildPushInputs,
  gh: ReturnType<typeof githubContext>,
  version: string,
  now: () => number,
): Map<string, string> {
  return ociLabels(
    {
      repositoryUrl: gh.repositoryUrl,
      sha: gh.sha,
      // a reproducible build (SOURCE_DATE_EPOCH) must not carry the time of the run
      created: new Date(inputs.sourceDateEpoch !== undefined ? inputs.sourceDateEpoch * 1000 : now()).toISOString(),
      version,
      title: inputs.image.split('/').pop() ?? '',
    },
    inputs.labels,
  );
}

async function archiveManifest(path: string): Promise<{ digest: string }> {
  try {
    return await readArchiveManifest(path);
  } catch (e) {
    throw new InputError(`Input "from-archive": ${path} cannot be pushed: ${(e as Error).message}`, 'from-archive');
  }
}

/**
 * Push one tag with bounded retries on transient failures. A permanent failure is checked against
 * the registry: if the tag already points at the digest being pushed (an immutable-tag registry on a
 * re-run), that is a success; if it points elsewhere, it is never overwritten.
 */
async function pushTag(
  ctx: ActionContext,
  ref: string,
  expected: string | (() => Promise<string>),
  regOpts: RegistryOptions,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void>,
  push: () => Promise<unknown>,
): Promise<string | undefined> {
  const { log } = ctx;
  return log.group(`Push ${ref}`, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await push();
        return undefined;
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        const kind = classifyPushFailure(e.details.stderrTail);
        if (kind === 'transient' && attempt < policy.attempts) {
          const ms = backoffDelay(attempt, policy);
          log.warning(
            `Push of ${ref} failed (attempt ${attempt} of ${policy.attempts}, transient: ${e.details.stderrTail.split('\n').pop() ?? ''}); retrying in ${(ms / 1000).toFixed(1)}s`,
          );
          await sleep(ms);
          continue;
        }
        if (kind === 'transient') {
          throw new ToolError(
            `Push of ${ref} failed ${attempt} times on transient registry errors (push-attempts: ${policy.attempts}); giving up`,
            e.details,
          );
        }
        const existing = await manifestDigest(ref, regOpts).catch(() => undefined);
        if (existing === undefined) throw e;
        const want = typeof expected === 'string' ? expected : await expected();
        if (existing === want) {
          log.notice(
            `${ref} already exists and points at ${want}, the digest being pushed: the registry refused to rewrite it (immutable tags?), which is a success ` +
              `(the registry said: ${registrySaid(e.details.stderrTail)})`,
          );
          return want;
        }
        throw new GateError(
          `${ref} already exists and points at ${existing}, not at ${want}; the registry refused to overwrite it (immutable tags?) and build-push never forces it. ` +
            `Use a new tag. Registry said: ${registrySaid(e.details.stderrTail)}`,
        );
      }
    }
  });
}

/**
 * The registry's own words from a containers/image push failure: the last line repeats them once per
 * manifest format tried ("…(writing manifest: uploading manifest <tag> to <repo>: <words>), …").
 * The words are the registry's own (a refusal body's code and message), cut to 500 characters.
 */
export function registrySaid(stderrTail: string): string {
  const last = stderrTail.trim().split('\n').pop() ?? '';
  // buildah: "Error: … (…)"; skopeo (logrus): time="…" level=fatal msg="…"
  const m = /uploading manifest \S+ to \S+?: (.+?)(?:\), application\/|\)?"?$)/.exec(last);
  return (m?.[1] ?? last).slice(0, 500);
}

interface DockerPathOpts {
  runner: CommandRunner;
  tmp: string;
  refs: string[];
  labels: Map<string, string>;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  runnerTemp: string;
  shortSha: string;
}

async function dockerPath(ctx: ActionContext, inputs: BuildPushInputs, o: DockerPathOpts): Promise<Result> {
  const { log } = ctx;
  const dockerConfig = join(o.tmp, 'docker');
  await mkdir(dockerConfig, { mode: 0o700 });
  // keep the runner's buildx builders and plugins: copy nothing else from ~/.docker
  const docker = new Docker(o.runner, { env: { DOCKER_CONFIG: dockerConfig } });
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
  const metadataFile = join(o.tmp, 'metadata.json');
  let archive = '';
  if (!inputs.push) {
    const dir = await privateDir(join(o.runnerTemp, 'build-push'));
    archive = join(dir, `${inputs.image.split('/').pop() ?? 'image'}-${o.shortSha || 'local'}.oci.tar`);
  }
  const args = Docker.buildArgs({
    context: inputs.context,
    file: inputs.file,
    tags: o.refs,
    labels: [...o.labels],
    buildArgs: [...inputs.buildArgs],
    ...(inputs.target ? { target: inputs.target } : {}),
    platforms: inputs.platforms,
    output: inputs.push ? { push: true } : { archive },
    metadataFile,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await log.group(`Build${inputs.push ? ' and push' : ''} ${inputs.image} with docker buildx`, () =>
        docker.run(args, { stream: true, timeoutMs: 60 * 60_000 }),
      );
      break;
    } catch (e) {
      if (
        e instanceof ToolError &&
        inputs.push &&
        classifyPushFailure(e.details.stderrTail) === 'transient' &&
        attempt < o.policy.attempts
      ) {
        const ms = backoffDelay(attempt, o.policy);
        log.warning(
          `docker buildx failed on a transient registry error (attempt ${attempt} of ${o.policy.attempts}); retrying in ${(ms / 1000).toFixed(1)}s (the build cache makes it a re-push)`,
        );
        await o.sleep(ms);
        continue;
      }
      throw e;
    }
  }
  const meta = existsSync(metadataFile) ? Docker.parseMetadata(await readFile(metadataFile, 'utf8')) : {};
  if (!inputs.push) {
    const m = await readArchiveManifest(archive);
    return { digest: m.digest, pushed: false, archive, sizeBytes: (await stat(archive)).size, existing: [] };
  }
  return { digest: meta.digest ?? '', pushed: true, archive: '', sizeBytes: undefined, existing: [] };
}

function writeResults(
  ctx: ActionContext,
  inputs: BuildPushInputs,
  refs: string[],
  builder: Builder,
  reason: string,
  result: Result | undefined,
  seconds: string,
): void {
  const { outputs, summary } = ctx;
  if (result) {
    const imageRef = `${inputs.image}@${result.digest}`;
    outputs.set('digest', result.digest);
    if (result.pushed) outputs.set('image', imageRef);
    outputs.set('tags', result.pushed ? refs : []);
    if (result.archive) outputs.set('archive', result.archive);
    outputs.set('builder', builder);
    outputs.set('metadata', {
      image: result.pushed ? imageRef : '',
      repository: inputs.image,
      digest: result.digest,
      tags: result.pushed ? refs : [],
      computedTags: refs,
      pushed: result.pushed,
      archive: result.archive,
      builder,
      builderReason: reason,
      buildSeconds: Number(seconds),
      sizeBytes: result.sizeBytes ?? null,
    });
  }
  summary.heading(`build-push: ${inputs.image}`);
  summary.facts([
    ['Result', result ? (result.pushed ? 'pushed' : 'built, not pushed (OCI archive)') : 'failed'],
    ['Image', result?.pushed ? `${inputs.image}@${result.digest}` : inputs.image],
    ['Digest', result?.digest ?? 'n/a'],
    ['Builder', `${builder}: ${reason || 'not chosen'}`],
    ['Time', `${seconds} s`],
    [
      'Size',
      `${formatBytes(result?.sizeBytes)}${result?.pushed ? ' (compressed, as stored)' : result?.archive ? ' (archive)' : ''}`,
    ],
    ...(result?.archive ? ([['Archive', result.archive]] as [string, string][]) : []),
  ]);
  if (refs.length)
    summary.raw(
      `**Tags**${result?.pushed ? '' : ' (computed, not pushed)'}: ${refs.map((r) => code(r)).join(' ')}\n\n`,
    );
  if (result?.existing.length) {
    summary.raw(
      `**Already in the registry**: the registry refused to rewrite ${result.existing.map((r) => code(r)).join(' ')} (immutable tags); ` +
        `${result.existing.length > 1 ? 'they' : 'it'} already pointed at this digest ${code(result.digest)}, so nothing changed.\n\n`,
    );
  }
}

/**
 * The directory the OCI archives of push: false go to: 0700, also when an earlier step made it with
 * another mode (an image about to be scanned is nobody else's to read or swap).
 */
async function privateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}
