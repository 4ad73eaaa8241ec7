/** Signing and verifying one image with cosign, retrying transient Fulcio/Rekor/registry faults within the budget. */
import type { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Cosign } from '@polyglot-cd/tools/cosign';
import { failureOutcome, signFailure, verifyFailure, why } from './failures.js';
import type { IdTokenSource } from './oidc.js';
import type { SignRun } from './phases.js';
import { withRetries, type Outcome } from './retry.js';

export interface CosignTool {
  path: string;
  runner: CommandRunner;
  /** the environment every cosign call gets */
  env: Record<string, string | undefined>;
}

/** Signs the image; fills in the report (signed, signature, attempts) or throws by the failure's kind. */
export async function signImage(
  run: SignRun,
  cosign: CosignTool,
  tokens: IdTokenSource | undefined,
  signArgs: readonly string[],
  upload: boolean,
): Promise<void> {
  const { ctx, i, report } = run;
  const { log } = ctx;
  const attempt = async (n: number, timeoutMs: number): Promise<Outcome<string>> => {
    try {
      const childEnv: Record<string, string | undefined> = { ...cosign.env };
      if (tokens) childEnv['SIGSTORE_ID_TOKEN'] = (await tokens.get(Math.min(timeoutMs, 5 * 60_000))).token;
      if (!run.keyless) childEnv['COSIGN_PASSWORD'] = i.keyPassword;
      log.info(`Attempt ${n}: cosign ${cosign.runner.display('cosign', signArgs).slice(1).join(' ')}`);
      const r = await cosign.runner.run(cosign.path, signArgs, { env: childEnv, timeoutMs, tool: 'cosign' });
      return { kind: 'ok', value: r.stdout + r.stderr };
    } catch (err) {
      return failureOutcome(err);
    }
  };
  const signed = await log.group(`Sign ${i.image} (${i.mode})`, () =>
    withRetries('cosign sign', attempt, run.policy, run.retryDeps),
  );
  report.signAttempts = signed.attempts;
  const o = signed.outcome;
  if (o.kind === 'ok') {
    report.signed = 'signed';
    // cosign 3.1 names only the repository it pushed the signature bundle to: say what in it
    const where = Cosign.parseSignatureLocation(o.value);
    report.signature =
      where && /@sha256:|:sha256-/.test(where) ? where : `${where ?? i.repository} (OCI referrer of ${i.digest})`;
    const index = Cosign.parseTlogIndex(o.value);
    if (index && upload) report.transparencyLog += `, entry ${index}`;
    log.info(`Signed ${i.image} in ${signed.attempts} attempt(s); signature at ${report.signature}`);
  } else if (o.kind === 'already-exists') {
    report.signed = 'already-in-log';
    report.signature = `${i.repository} (OCI referrer of ${i.digest})`;
    const note = `Rekor already has an equivalent entry (${o.reason}): counted as signed${i.verify ? '; the verification below proves the signature is in the registry' : '. verify is off, so nothing checked that the signature reached the registry'}.`;
    if (!i.verify) report.warnings.push(note);
    log.notice(note);
  } else {
    report.signed = 'no';
    report.error = `cosign sign failed after ${signed.attempts} attempt(s): ${why(signed)}`;
    throw signFailure(signed, `${report.error}. ${i.image} is NOT signed.`);
  }
}

/** Verifies the same digest with the same identity a cluster will check (skipped without verify or a public key). */
export async function verifyImage(run: SignRun, cosign: CosignTool, verifyArgs: readonly string[]): Promise<void> {
  const { ctx, i, report } = run;
  const { log } = ctx;
  if (!i.verify || (!run.keyless && !i.publicKey)) {
    report.verified = 'skipped';
    return;
  }
  const attempt = async (n: number, timeoutMs: number): Promise<Outcome<unknown[]>> => {
    try {
      log.info(`Attempt ${n}: cosign ${cosign.runner.display('cosign', verifyArgs).slice(1).join(' ')}`);
      const r = await cosign.runner.run(cosign.path, verifyArgs, { env: cosign.env, timeoutMs, tool: 'cosign' });
      return { kind: 'ok', value: Cosign.parseVerifyOutput(r.stdout, i.digest) };
    } catch (err) {
      const o = failureOutcome(err);
      return o.kind === 'already-exists' ? { kind: 'permanent', reason: o.reason, error: new Error(o.reason) } : o;
    }
  };
  const verified = await log.group(`Verify ${i.image}`, () =>
    withRetries('cosign verify', attempt, run.policy, run.retryDeps),
  );
  report.verifyAttempts = verified.attempts;
  const o = verified.outcome;
  if (o.kind !== 'ok') {
    report.verified = 'no';
    const reason = o.kind === 'transient' ? (verified.gaveUp ?? o.reason) : o.kind === 'permanent' ? o.reason : '';
    report.error = `cosign verify failed after ${verified.attempts} attempt(s): ${reason}`;
    throw verifyFailure(verified, `${report.error}. Do not promote or deploy ${i.image}.`);
  }
  report.verified = 'yes';
  log.info(`Verified ${o.value.length} signature(s) on ${i.digest}${run.keyless ? ` for ${report.identity}` : ''}`);
}
