/**
 * The runtime of one build-push run: its temporary directory, registry and retry settings, the
 * containers/image settings for the tools, the registry check and the choice of builder.
 */
import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubContext, InputError, type ActionContext } from '@polyglot-cd/action-kit';
import { Buildah } from '@polyglot-cd/tools/buildah';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Docker } from '@polyglot-cd/tools/docker';
import { checkRegistryAccess, type RegistryOptions } from '@polyglot-cd/tools/registry';
import type { RetryPolicy } from '@polyglot-cd/tools/retry';
import { registriesConf } from './containers-config.js';
import type { BuildPushInputs } from './inputs.js';
import { registryFailure, type GitHubContext } from './plan.js';
import type { Builder } from './summary.js';

export interface Deps {
  runner?: CommandRunner;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** base delay between push attempts (default 2 s) */
  retryBaseDelayMs?: number;
}

export interface Job {
  readonly ctx: ActionContext;
  readonly inputs: BuildPushInputs;
  readonly gh: GitHubContext;
  /** every image:tag to push */
  readonly refs: string[];
  /** the version label */
  readonly version: string;
  readonly runner: CommandRunner;
  readonly runnerTemp: string;
  /** this run's private directory, removed at the end */
  readonly tmp: string;
  readonly policy: RetryPolicy;
  readonly regOpts: RegistryOptions;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** containers/image settings for buildah and skopeo */
  readonly toolEnv: Record<string, string>;
  readonly authFile: string;
  certDir: string | undefined;
}

export async function createJob(
  ctx: ActionContext,
  inputs: BuildPushInputs,
  deps: Deps,
  tags: { refs: string[]; version: string },
): Promise<Job> {
  const { env, log } = ctx;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const runnerTemp = env['RUNNER_TEMP'] || tmpdir();
  const tmp = await mkdtemp(join(runnerTemp, 'build-push-'));
  const policy: RetryPolicy = {
    attempts: inputs.pushAttempts,
    baseDelayMs: deps.retryBaseDelayMs ?? 2000,
    maxDelayMs: 30_000,
  };
  return {
    ctx,
    inputs,
    gh: githubContext(env),
    ...tags,
    runner: deps.runner ?? new CommandRunner({ log, secrets: ctx.secrets, env }),
    runnerTemp,
    tmp,
    policy,
    regOpts: {
      ...(inputs.username ? { auth: { username: inputs.username, password: inputs.password } } : {}),
      ...(inputs.caFile ? { caFile: inputs.caFile } : {}),
      insecure: inputs.insecureRegistries.includes(inputs.imageRegistry),
      retry: policy,
      env,
      sleep,
      log,
    },
    sleep,
    now: deps.now ?? Date.now,
    toolEnv: {},
    authFile: join(tmp, 'auth.json'),
    certDir: undefined,
  };
}

/** The registry answers and accepts the credentials, before anything is built. */
export async function checkRegistry(job: Job): Promise<void> {
  const { inputs } = job;
  const { log } = job.ctx;
  await log.group(
    `Check registry ${inputs.imageRegistry}${inputs.username ? ` as ${inputs.username}` : ''}`,
    async () => {
      try {
        await checkRegistryAccess(inputs.imageRegistry, job.regOpts);
      } catch (e) {
        throw registryFailure(e, inputs);
      }
      log.info(`${inputs.imageRegistry} answers and accepts the credentials`);
    },
  );
}

/** containers/image settings for this run only: a cert dir with the private CA, insecure hosts. */
export async function prepareToolEnv(job: Job): Promise<void> {
  const { inputs, toolEnv } = job;
  const env = job.ctx.env;
  if (inputs.caFile) {
    job.certDir = join(job.tmp, 'certs');
    await mkdir(job.certDir, { mode: 0o700 });
    await copyFile(inputs.caFile, join(job.certDir, 'ca.crt'));
  }
  if (inputs.insecureRegistries.length) {
    const system = env['CONTAINERS_REGISTRIES_CONF'] || '/etc/containers/registries.conf';
    const base = existsSync(system) ? await readFile(system, 'utf8') : '';
    const conf = join(job.tmp, 'registries.conf');
    await writeFile(conf, registriesConf(base, inputs.insecureRegistries), { mode: 0o600 });
    toolEnv['CONTAINERS_REGISTRIES_CONF'] = conf;
  }
  if (!env['BUILDAH_ISOLATION']) toolEnv['BUILDAH_ISOLATION'] = 'chroot';
}

/** docker when a daemon answers (or was asked for), else buildah; skopeo for from-archive. */
export async function chooseBuilder(job: Job): Promise<{ builder: Builder; reason: string }> {
  const { inputs } = job;
  const { log, env } = job.ctx;
  if (inputs.fromArchive)
    return { builder: 'skopeo', reason: 'from-archive: the archive is pushed as is, nothing is built' };
  if (inputs.builder === 'buildah') return { builder: 'buildah', reason: 'builder: buildah was asked for' };
  const state = await log.group('Look for a Docker daemon', () =>
    new Docker(job.runner, { env: job.toolEnv }).daemon(env),
  );
  if (state.ok) {
    const asked = inputs.builder === 'docker' ? 'builder: docker was asked for; ' : '';
    return {
      builder: 'docker',
      reason: `${asked}a Docker daemon answered (server ${state.serverVersion}, buildx ${state.buildx})`,
    };
  }
  if (inputs.builder === 'docker') {
    throw new InputError(
      `builder: docker was asked for, but ${state.reason}. Use builder: auto or buildah on runners without Docker.`,
      'builder',
    );
  }
  return { builder: 'buildah', reason: `${state.reason}: using buildah (daemonless)` };
}

/** buildah or skopeo on more than one platform is an input error (only buildx builds several). */
export function checkPlatforms(job: Job, builder: Builder, reason: string): void {
  const platforms = job.inputs.platforms;
  if (builder !== 'buildah' || platforms.length <= 1) return;
  throw new InputError(
    `Input "platforms" lists ${platforms.length} platforms, but buildah builds one per run here (${reason}); use a runner with Docker buildx for a multi-platform image`,
    'platforms',
  );
}

/** buildah/skopeo login: the password by stdin, into this run's auth file. */
export async function login(job: Job, tool: 'buildah' | 'skopeo'): Promise<void> {
  const { inputs } = job;
  if (!inputs.username) return;
  await job.ctx.log.group(
    `Log in to ${inputs.registry} (${tool}, password from stdin, temporary auth file)`,
    async () => {
      const args = Buildah.loginArgs(inputs.registry, inputs.username, job.authFile, job.certDir);
      await job.runner.run(tool, args, { tool, input: inputs.password, env: job.toolEnv, timeoutMs: 120_000 });
    },
  );
}

/** The auth file and cert dir options of a buildah/skopeo push. */
export function pushOptions(job: Job): { authFile?: string; certDir?: string } {
  return {
    ...(job.inputs.username ? { authFile: job.authFile } : {}),
    ...(job.certDir ? { certDir: job.certDir } : {}),
  };
}

/**
 * The directory the OCI archives of push: false go to: 0700, also when an earlier step made it with
 * another mode (an image about to be scanned is nobody else's to read or swap).
 */
export async function privateDir(job: Job): Promise<string> {
  const dir = join(job.runnerTemp, 'build-push');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}
