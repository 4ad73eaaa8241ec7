/**
 * The phases of cosign-sign, each filling in the report: the signing identity, the transparency-log
 * decision, the argv, the digest check, cosign itself, the signature and its verification.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GateError,
  githubContext,
  InputError,
  type ActionContext,
  type Env,
  type Logger,
} from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Cosign, type CosignRegistryFlags } from '@polyglot-cd/tools/cosign';
import { createHttpSender, type HttpSend } from '@polyglot-cd/tools/http';
import { ensureTool } from '@polyglot-cd/tools/tool-installer';
import { defaultAnnotations, mergeAnnotations, visibility } from './context.js';
import { digestCheckFailure, failureOutcome, tokenFailure } from './failures.js';
import { signerIdentity, type SignerIdentity } from './identity.js';
import type { SignInputs } from './inputs.js';
import { IdTokenSource, REQUEST_TOKEN_ENV, REQUEST_URL_ENV, type IdToken } from './oidc.js';
import { DEFAULT_POLICY, withRetries, type Outcome, type RetryDeps, type RetryPolicy } from './retry.js';
import type { Report } from './summary.js';
import { decideTlog } from './tlog.js';

/** Answers whether the registry has the image's manifest; throws with a reason when it cannot tell. */
export type DigestCheck = (i: SignInputs, log: Logger) => Promise<{ exists: boolean; detail: string }>;

export interface Deps {
  send?: HttpSend;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  checkDigest?: DigestCheck;
  policy?: Partial<Omit<RetryPolicy, 'deadline'>>;
}

export const MIN_COSIGN = '3.0.0';

/** One run: its context, inputs and report, and the clock and retry budget every phase shares. */
export interface SignRun {
  readonly ctx: ActionContext;
  readonly i: SignInputs;
  readonly report: Report;
  readonly deps: Deps;
  readonly keyless: boolean;
  readonly gh: ReturnType<typeof githubContext>;
  readonly now: () => number;
  readonly send: HttpSend;
  readonly policy: RetryPolicy;
  readonly retryDeps: RetryDeps;
}

export function createRun(ctx: ActionContext, i: SignInputs, report: Report, deps: Deps): SignRun {
  const now = deps.now ?? Date.now;
  return {
    ctx,
    i,
    report,
    deps,
    keyless: i.mode === 'keyless',
    gh: githubContext(ctx.env),
    now,
    send: deps.send ?? createHttpSender(ctx.env),
    policy: { ...DEFAULT_POLICY, ...deps.policy, deadline: now() + i.timeoutMs },
    retryDeps: {
      now,
      sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      random: deps.random ?? Math.random,
      log: ctx.log,
    },
  };
}

export interface Identity {
  /** keyless: the token source, refreshed per attempt */
  tokens?: IdTokenSource;
  who?: SignerIdentity;
  first?: IdToken;
}

/** keyless: the identity from the job's OIDC token, fetched now (with retries) and checked against oidc-issuer. */
export async function resolveIdentity(run: SignRun): Promise<Identity> {
  if (!run.keyless) return {};
  const { ctx, i, report } = run;
  const { log, env, secrets } = ctx;
  const tokens = new IdTokenSource({ env, send: run.send, secrets, now: run.now });
  const first = await log.group('Read the signing identity from the job OIDC token', async () => {
    const r = await withRetries(
      'OIDC token',
      async (): Promise<Outcome<IdToken>> => tokens.get().then((value) => ({ kind: 'ok', value }), failureOutcome),
      run.policy,
      run.retryDeps,
    );
    if (r.outcome.kind !== 'ok') throw tokenFailure(r);
    return r.outcome.value;
  });
  let who: SignerIdentity;
  try {
    who = signerIdentity(first.claims, run.gh.serverUrl);
  } catch (err) {
    throw new InputError(`The job's OIDC token cannot be signed with: ${(err as Error).message}`, 'mode');
  }
  if (who.issuer !== i.oidcIssuer) {
    throw new InputError(
      `Input "oidc-issuer" is ${JSON.stringify(i.oidcIssuer)}, but the job's OIDC token is issued by ${JSON.stringify(who.issuer)} (on GitHub Enterprise Server it is https://<host>/_services/token). Set oidc-issuer to the token's issuer so the verification matches what Fulcio certifies.`,
      'oidc-issuer',
    );
  }
  Object.assign(report, {
    identity: who.identity,
    issuer: who.issuer,
    reusable: who.reusable,
    callerWorkflowRef: who.callerWorkflowRef,
  });
  const called = who.reusable ? ` (reusable workflow, called from ${who.callerWorkflowRef})` : '';
  log.info(`Certificate identity: ${who.identity}${called}`);
  log.info(`OIDC issuer: ${who.issuer}`);
  return { tokens, who, first };
}

/** The transparency log: an explicit choice for private repositories on the public Rekor (a policy). */
export function decideTransparencyLog(run: SignRun, id: Identity): boolean {
  const { ctx, i, report } = run;
  const tlog = decideTlog({
    setting: i.tlogUpload,
    visibility: visibility(ctx.env, id.first?.claims.repository_visibility),
    publicRekor: i.rekorUrl === undefined,
    keyless: run.keyless,
    repository: run.gh.repository,
  });
  if (!tlog.ok) {
    const message = `Input "tlog-upload" is ${i.tlogUpload}: ${tlog.reason}`;
    // keyless without a log cannot work (an input error); a private repository on the public Rekor is refused by policy
    throw i.tlogUpload === 'false' ? new InputError(message, 'tlog-upload') : new GateError(message);
  }
  if (tlog.warning) {
    report.warnings.push(tlog.warning);
    ctx.log.warning(tlog.warning);
  }
  report.transparencyLog = tlog.upload ? (i.rekorUrl ?? 'rekor.sigstore.dev (public)') : 'none (tlog-upload: false)';
  return tlog.upload;
}

/** The sign and verify argv, with the annotations; the verify command goes into the report. */
export function cosignArgs(run: SignRun, who: SignerIdentity | undefined, upload: boolean) {
  const { i, report } = run;
  const annotations = mergeAnnotations(defaultAnnotations(run.ctx.env), i.annotations);
  report.annotations = annotations;
  const registry: CosignRegistryFlags = {
    ...(i.caFile ? { caFile: i.caFile } : {}),
    ...(i.insecureRegistries.includes(i.registryHost) ? { insecure: true } : {}),
  };
  const common = {
    ref: i.image,
    ...(i.rekorUrl ? { rekorUrl: i.rekorUrl } : {}),
    tlogUpload: upload,
    ...(i.trustedRoot ? { trustedRoot: i.trustedRoot } : {}),
    registry,
  };
  const verifyArgs = Cosign.verifyArgs({
    ...common,
    ...(run.keyless && who
      ? {
          certificateIdentity: who.identity,
          certificateOidcIssuer: who.issuer,
          ...(who.repository ? { githubWorkflowRepository: who.repository } : {}),
        }
      : { publicKey: i.publicKey?.ref ?? '' }),
  });
  if (i.verify && (run.keyless || i.publicKey)) report.verifyArgv = verifyArgs;
  const signArgs = Cosign.signArgs({
    ...common,
    ...(i.key ? { key: i.key.ref } : {}),
    annotations,
    ...(i.fulcioUrl ? { fulcioUrl: i.fulcioUrl } : {}),
  });
  return { signArgs, verifyArgs };
}

async function defaultCheckDigest(
  i: SignInputs,
  log: Logger,
  sleep?: (ms: number) => Promise<void>,
): Promise<{ exists: boolean; detail: string }> {
  const { manifestDigest } = await import('@polyglot-cd/tools/registry');
  const got = await manifestDigest(i.image, {
    ...(i.username ? { auth: { username: i.username, password: i.password } } : {}),
    ...(i.caFile ? { caFile: i.caFile } : {}),
    insecure: i.insecureRegistries.includes(i.registryHost),
    ...(sleep ? { sleep } : {}),
    log,
  });
  if (got === undefined) return { exists: false, detail: `${i.repository} has no manifest ${i.digest} (HTTP 404)` };
  return { exists: got === i.digest, detail: got === i.digest ? 'found' : `the registry answered with ${got}` };
}

/** The digest must exist in the registry before anything is signed: sign only what was pushed. */
export async function checkDigestExists(run: SignRun): Promise<void> {
  const { ctx, i } = run;
  await ctx.log.group(`Check that ${i.digest} exists in ${i.repository}`, async () => {
    const check = run.deps.checkDigest;
    let found: { exists: boolean; detail: string };
    try {
      found = check ? await check(i, ctx.log) : await defaultCheckDigest(i, ctx.log, run.deps.sleep);
    } catch (err) {
      throw digestCheckFailure(err, i.image, i.registryHost);
    }
    if (!found.exists) {
      throw new InputError(
        `${i.image} is not in the registry: ${found.detail}. Nothing was signed: sign only what was pushed.`,
        'image',
      );
    }
    ctx.log.info(`${i.image}: ${found.detail}`);
  });
}

/** cosign, pinned and verified, and at least 3.x. */
export async function installCosign(run: SignRun): Promise<{ path: string; runner: CommandRunner }> {
  const { ctx, i, report } = run;
  const { log, secrets, env } = ctx;
  const runner = new CommandRunner({ log, secrets, env });
  const tool = await log.group(`Install cosign ${i.cosignVersion}`, () =>
    ensureTool('cosign', i.cosignVersion, {
      log,
      secrets,
      env,
      ...(i.toolsBaseUrl ? { baseUrl: i.toolsBaseUrl } : {}),
    }),
  );
  const version = await new Cosign(tool.path, runner).version();
  report.cosignVersion = version;
  if (!Cosign.versionSatisfies(version, MIN_COSIGN)) {
    throw new InputError(
      `cosign ${version} (from ${tool.source}) is not 3.x: this action drives cosign 3 flags. Pin cosign-version to a 3.x release.`,
      'cosign-version',
    );
  }
  return { path: tool.path, runner };
}

/** A 0700 directory with a 0600 Docker config holding the registry credentials, for cosign only. */
export function dockerConfig(i: SignInputs, env: Env): string | undefined {
  if (!i.username) return undefined;
  const dir = mkdtempSync(join(env['RUNNER_TEMP'] || tmpdir(), 'cosign-docker-'));
  const host = i.registryHost === 'docker.io' ? 'https://index.docker.io/v1/' : i.registryHost;
  const auth = Buffer.from(`${i.username}:${i.password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
  return dir;
}

/** cosign's environment: the Docker config, and never the means to mint more ID tokens. */
export function cosignEnv(configDir: string | undefined): Record<string, string | undefined> {
  return {
    [REQUEST_URL_ENV]: undefined,
    [REQUEST_TOKEN_ENV]: undefined,
    ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
  };
}
