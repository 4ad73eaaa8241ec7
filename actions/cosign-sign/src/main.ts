import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GateError,
  githubContext,
  InputError,
  ToolError,
  type ActionContext,
  type Env,
  type Logger,
} from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Cosign, type CosignRegistryFlags } from '@polyglot-cd/tools/cosign';
import { createHttpSender, type HttpSend } from '@polyglot-cd/tools/http';
import { ensureTool } from '@polyglot-cd/tools/tool-installer';
import { signerIdentity, type SignerIdentity } from './identity.js';
import { getInputs, type SignInputs } from './inputs.js';
import { IdTokenSource, OidcError, REQUEST_TOKEN_ENV, REQUEST_URL_ENV, type IdToken } from './oidc.js';
import { DEFAULT_POLICY, fmt, withRetries, type Outcome, type RetryDeps, type RetryPolicy } from './retry.js';
import { writeSummary, type SignReport } from './summary.js';
import { decideTlog, type Visibility } from './tlog.js';

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

async function defaultCheckDigest(i: SignInputs, log: Logger): Promise<{ exists: boolean; detail: string }> {
  const { manifestDigest } = await import('@polyglot-cd/tools');
  const got = await manifestDigest(i.image, {
    ...(i.username ? { auth: { username: i.username, password: i.password } } : {}),
    ...(i.caFile ? { caFile: i.caFile } : {}),
    insecure: i.insecureRegistries.includes(i.registryHost),
    log,
  });
  if (got === undefined) return { exists: false, detail: `${i.repository} has no manifest ${i.digest} (HTTP 404)` };
  return { exists: got === i.digest, detail: got === i.digest ? 'found' : `the registry answered with ${got}` };
}

/** A 0700 directory with a 0600 Docker config holding the registry credentials, for cosign only. */
function dockerConfig(i: SignInputs, env: Env): string | undefined {
  if (!i.username) return undefined;
  const dir = mkdtempSync(join(env['RUNNER_TEMP'] || tmpdir(), 'cosign-docker-'));
  const host = i.registryHost === 'docker.io' ? 'https://index.docker.io/v1/' : i.registryHost;
  const auth = Buffer.from(`${i.username}:${i.password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
  return dir;
}

function failureOutcome(err: unknown): Outcome<never> {
  if (err instanceof ToolError) {
    const c = Cosign.classifyFailure(err.details.stderrTail, { timedOut: err.details.timedOut === true });
    if (c.kind === 'already-exists') return { kind: 'already-exists', reason: c.reason };
    return { kind: c.kind, reason: c.reason, error: err };
  }
  if (err instanceof OidcError)
    return { kind: err.transient ? 'transient' : 'permanent', reason: err.message, error: err };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'permanent', reason: e.message, error: e };
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log, outputs, summary, env, secrets } = ctx;
  const i = getInputs(ctx);
  const now = deps.now ?? Date.now;
  const send = deps.send ?? createHttpSender(env);
  const retryDeps: RetryDeps = {
    now,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    random: deps.random ?? Math.random,
    log,
  };
  const policy: RetryPolicy = { ...DEFAULT_POLICY, ...deps.policy, deadline: now() + i.timeoutMs };
  const gh = githubContext(env);
  const keyless = i.mode === 'keyless';

  const report: SignReport = {
    image: i.image,
    mode: i.mode,
    signed: 'not-started',
    verified: 'not-started',
    signature: '',
    identity: '',
    issuer: '',
    reusable: false,
    callerWorkflowRef: '',
    transparencyLog: '',
    signAttempts: 0,
    verifyAttempts: 0,
    cosignVersion: '',
    annotations: [],
    verifyArgv: [],
    warnings: [],
  };
  const warnings: string[] = [];
  const setOutputs = (): void => {
    outputs.set('signed', report.signed === 'signed' || report.signed === 'already-in-log');
    outputs.set('verified', report.verified === 'yes');
    outputs.set('signature', report.signature);
    outputs.set('certificate-identity', report.identity);
    outputs.set('certificate-oidc-issuer', report.issuer);
  };

  let configDir: string | undefined;
  try {
    // 1. identity (keyless): from the job's OIDC token, fetched now and refreshed per attempt
    const tokens = keyless ? new IdTokenSource({ env, send, secrets, now }) : undefined;
    let who: SignerIdentity | undefined;
    let first: IdToken | undefined;
    if (tokens) {
      first = await log.group('Read the signing identity from the job OIDC token', async () => {
        const r = await withRetries(
          'OIDC token',
          async () => {
            try {
              return { kind: 'ok', value: await tokens.get() } as const;
            } catch (err) {
              return failureOutcome(err);
            }
          },
          policy,
          retryDeps,
        );
        if (r.outcome.kind !== 'ok') {
          throw new InputError(
            `Could not get the job's OIDC token for keyless signing: ${r.outcome.kind === 'already-exists' ? '' : r.outcome.reason}`,
            'mode',
          );
        }
        return r.outcome.value;
      });
      who = signerIdentity(first.claims, gh.serverUrl);
      if (who.issuer !== i.oidcIssuer) {
        throw new InputError(
          `Input "oidc-issuer" is ${JSON.stringify(i.oidcIssuer)}, but the job's OIDC token is issued by ${JSON.stringify(who.issuer)} (on GitHub Enterprise Server it is https://<host>/_services/token). Set oidc-issuer to the token's issuer so the verification matches what Fulcio certifies.`,
          'oidc-issuer',
        );
      }
      report.identity = who.identity;
      report.issuer = who.issuer;
      report.reusable = who.reusable;
      report.callerWorkflowRef = who.callerWorkflowRef;
      log.info(
        `Certificate identity: ${who.identity}${who.reusable ? ` (reusable workflow, called from ${who.callerWorkflowRef})` : ''}`,
      );
      log.info(`OIDC issuer: ${who.issuer}`);
    }

    // 2. transparency log: an explicit choice for private repositories on the public Rekor
    const tlog = decideTlog({
      setting: i.tlogUpload,
      visibility: visibility(env, first?.claims.repository_visibility),
      publicRekor: i.rekorUrl === undefined,
      keyless,
      repository: gh.repository,
    });
    if (!tlog.ok) throw new InputError(`Input "tlog-upload" is ${i.tlogUpload}: ${tlog.reason}`, 'tlog-upload');
    if (tlog.warning) {
      warnings.push(tlog.warning);
      log.warning(tlog.warning);
    }
    report.transparencyLog = tlog.upload ? (i.rekorUrl ?? 'rekor.sigstore.dev (public)') : 'none (tlog-upload: false)';
    const annotations = mergeAnnotations(defaultAnnotations(env), i.annotations);
    report.annotations = annotations;

    const registry: CosignRegistryFlags = {
      ...(i.caFile ? { caFile: i.caFile } : {}),
      ...(i.insecureRegistries.includes(i.registryHost) ? { insecure: true } : {}),
    };
    const verifyArgs = Cosign.verifyArgs({
      ref: i.image,
      ...(keyless && who
        ? {
            certificateIdentity: who.identity,
            certificateOidcIssuer: who.issuer,
            ...(who.repository ? { githubWorkflowRepository: who.repository } : {}),
          }
        : { publicKey: i.publicKey?.ref ?? '' }),
      ...(i.rekorUrl ? { rekorUrl: i.rekorUrl } : {}),
      tlogUpload: tlog.upload,
      ...(i.trustedRoot ? { trustedRoot: i.trustedRoot } : {}),
      registry,
    });
    if (i.verify && (keyless || i.publicKey)) report.verifyArgv = verifyArgs;

    // 3. the digest must exist before anything is signed
    await log.group(`Check that ${i.digest} exists in ${i.repository}`, async () => {
      const check = deps.checkDigest ?? defaultCheckDigest;
      let found: { exists: boolean; detail: string };
      try {
        found = await check(i, log);
      } catch (err) {
        throw new GateError(
          `Could not confirm that ${i.image} exists in the registry: ${(err as Error).message}. Nothing was signed.`,
        );
      }
      if (!found.exists)
        throw new GateError(
          `${i.image} is not in the registry: ${found.detail}. Nothing was signed: sign only what was pushed.`,
        );
      log.info(`${i.image}: ${found.detail}`);
    });

    // 4. cosign, pinned and verified
    const runner = new CommandRunner({ log, secrets, env });
    const tool = await log.group(`Install cosign ${i.cosignVersion}`, () =>
      ensureTool('cosign', i.cosignVersion, {
        log,
        secrets,
        env,
        ...(i.toolsBaseUrl ? { baseUrl: i.toolsBaseUrl } : {}),
      }),
    );
    const cosign = new Cosign(tool.path, runner);
    const version = await cosign.version();
    report.cosignVersion = version;
    if (!Cosign.versionSatisfies(version, MIN_COSIGN)) {
      throw new InputError(
        `cosign ${version} (from ${tool.source}) is not 3.x: this action drives cosign 3 flags. Pin cosign-version to a 3.x release.`,
        'cosign-version',
      );
    }

    configDir = dockerConfig(i, env);
    const baseEnv: Record<string, string | undefined> = {
      // cosign gets the ID token itself, never the means to mint more
      [REQUEST_URL_ENV]: undefined,
      [REQUEST_TOKEN_ENV]: undefined,
      ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
    };

    // 5. sign, retrying transient Fulcio/Rekor/registry faults within the budget
    const signArgs = Cosign.signArgs({
      ref: i.image,
      ...(i.key ? { key: i.key.ref } : {}),
      annotations,
      ...(i.fulcioUrl ? { fulcioUrl: i.fulcioUrl } : {}),
      ...(i.rekorUrl ? { rekorUrl: i.rekorUrl } : {}),
      tlogUpload: tlog.upload,
      ...(i.trustedRoot ? { trustedRoot: i.trustedRoot } : {}),
      registry,
    });
    const signed = await log.group(`Sign ${i.image} (${i.mode})`, () =>
      withRetries(
        'cosign sign',
        async (n, timeoutMs) => {
          try {
            const childEnv: Record<string, string | undefined> = { ...baseEnv };
            if (tokens) childEnv['SIGSTORE_ID_TOKEN'] = (await tokens.get(Math.min(timeoutMs, 5 * 60_000))).token;
            if (!keyless) childEnv['COSIGN_PASSWORD'] = i.keyPassword;
            log.info(`Attempt ${n}: cosign ${runner.display('cosign', signArgs).slice(1).join(' ')}`);
            const r = await runner.run(tool.path, signArgs, { env: childEnv, timeoutMs, tool: 'cosign' });
            return { kind: 'ok', value: r.stdout + r.stderr } as const;
          } catch (err) {
            return failureOutcome(err);
          }
        },
        policy,
        retryDeps,
      ),
    );
    report.signAttempts = signed.attempts;
    if (signed.outcome.kind === 'ok') {
      report.signed = 'signed';
      const out = signed.outcome.value;
      // cosign 3.1 names only the repository it pushed the signature bundle to: say what in it
      const where = Cosign.parseSignatureLocation(out);
      report.signature =
        where && /@sha256:|:sha256-/.test(where) ? where : `${where ?? i.repository} (OCI referrer of ${i.digest})`;
      const index = Cosign.parseTlogIndex(out);
      if (index && tlog.upload) report.transparencyLog += `, entry ${index}`;
      log.info(`Signed ${i.image} in ${signed.attempts} attempt(s); signature at ${report.signature}`);
    } else if (signed.outcome.kind === 'already-exists') {
      report.signed = 'already-in-log';
      report.signature = `${i.repository} (OCI referrer of ${i.digest})`;
      const note = `Rekor already has an equivalent entry (${signed.outcome.reason}): counted as signed${i.verify ? '; the verification below proves the signature is in the registry' : '. verify is off, so nothing checked that the signature reached the registry'}.`;
      if (!i.verify) warnings.push(note);
      log.notice(note);
    } else {
      report.signed = 'no';
      const o = signed.outcome;
      const why =
        o.kind === 'transient' ? (signed.gaveUp ?? o.reason) : `${o.reason} (not retried: retrying cannot fix this)`;
      report.error = `cosign sign failed after ${signed.attempts} attempt(s): ${why}`;
      if (o.error instanceof ToolError)
        throw new ToolError(`${report.error}. ${i.image} is NOT signed.`, o.error.details);
      throw new GateError(`${report.error}. ${i.image} is NOT signed.`);
    }

    // 6. verify the same digest with the same identity a cluster will check
    if (!i.verify) {
      report.verified = 'skipped';
    } else if (!keyless && !i.publicKey) {
      report.verified = 'skipped';
    } else {
      const verified = await log.group(`Verify ${i.image}`, () =>
        withRetries(
          'cosign verify',
          async (n, timeoutMs) => {
            try {
              log.info(`Attempt ${n}: cosign ${runner.display('cosign', verifyArgs).slice(1).join(' ')}`);
              const r = await runner.run(tool.path, verifyArgs, { env: baseEnv, timeoutMs, tool: 'cosign' });
              return { kind: 'ok', value: Cosign.parseVerifyOutput(r.stdout, i.digest) } as const;
            } catch (err) {
              const o = failureOutcome(err);
              return o.kind === 'already-exists'
                ? { kind: 'permanent', reason: o.reason, error: new Error(o.reason) }
                : o;
            }
          },
          policy,
          retryDeps,
        ),
      );
      report.verifyAttempts = verified.attempts;
      if (verified.outcome.kind !== 'ok') {
        report.verified = 'no';
        const o = verified.outcome;
        report.error = `cosign verify failed after ${verified.attempts} attempt(s): ${o.kind === 'transient' ? (verified.gaveUp ?? o.reason) : o.reason}`;
        throw new GateError(`${report.error}. Do not promote or deploy ${i.image}.`);
      }
      report.verified = 'yes';
      log.info(
        `Verified ${verified.outcome.value.length} signature(s) on ${i.digest}${keyless ? ` for ${report.identity}` : ''}`,
      );
    }
    log.info(`Done within the ${fmt(i.timeoutMs)} budget`);
  } catch (err) {
    if (!report.error && err instanceof Error) report.error = secrets.redact(err.message);
    throw err;
  } finally {
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    report.warnings = warnings;
    setOutputs();
    writeSummary(summary, report);
  }
}
