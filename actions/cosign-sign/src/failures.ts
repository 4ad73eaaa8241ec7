/**
 * How each failure of cosign-sign is named, by its kind (action-kit errors.ts). Pure.
 * - an attempt's failure → a retry outcome (transient, permanent, already in the log);
 * - retries that gave up on a transient fault → InfraError (Sigstore, the registry, the token service);
 * - cosign failing for good → ToolError; a signature that does not verify → GateError (the policy
 *   "do not deploy what does not verify");
 * - a registry or token service that refuses the credentials or the input → InputError.
 */
import { GateError, InfraError, InputError, ToolError } from '@polyglot-cd/action-kit';
import { Cosign } from '@polyglot-cd/tools/cosign';
import { RegistryError } from '@polyglot-cd/tools/registry';
import { OidcError } from './oidc.js';
import type { Outcome, RetryResult } from './retry.js';

export const SIGSTORE_SERVICE = 'Sigstore (Fulcio, Rekor) or the registry';
export const OIDC_SERVICE = "the job's GitHub OIDC token service";

export function failureOutcome(err: unknown): Outcome<never> {
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

/** The OIDC token could not be had: the service failing after retries, or a refusal the user can fix. */
export function tokenFailure(r: RetryResult<unknown>): Error {
  const o = r.outcome;
  const reason = o.kind === 'ok' || o.kind === 'already-exists' ? '' : o.reason;
  const message = `Could not get the job's OIDC token for keyless signing: ${reason}`;
  if (o.kind === 'transient') return new InfraError(message, { service: OIDC_SERVICE, attempts: r.attempts });
  return new InputError(message, 'mode');
}

/** The registry could not say whether the image exists: refused credentials or TLS are inputs, the rest infrastructure. */
export function digestCheckFailure(err: unknown, image: string, host: string): Error {
  const message = `Could not confirm that ${image} exists in the registry: ${(err as Error).message}. Nothing was signed.`;
  if (err instanceof RegistryError) {
    if (err.kind === 'unauthorized' || err.kind === 'denied') return new InputError(message, 'username');
    if (err.kind === 'tls') return new InputError(message, 'ca-file');
    return new InfraError(message, { service: `registry ${host}`, attempts: err.attempts }, { cause: err });
  }
  return new InfraError(message, { service: `registry ${host}`, attempts: 1 }, { cause: err });
}

/** Why the retries ended, for the message. */
export function why(r: RetryResult<unknown>): string {
  const o = r.outcome;
  if (o.kind === 'ok' || o.kind === 'already-exists') return '';
  return o.kind === 'transient' ? (r.gaveUp ?? o.reason) : `${o.reason} (not retried: retrying cannot fix this)`;
}

/** cosign sign did not sign: the message is the report's error; the error is by kind. */
export function signFailure(r: RetryResult<unknown>, message: string): Error {
  const o = r.outcome;
  if (o.kind === 'ok' || o.kind === 'already-exists') return new Error(`not a failure: ${o.kind}`);
  if (o.kind === 'transient') {
    const service = o.error instanceof OidcError ? OIDC_SERVICE : SIGSTORE_SERVICE;
    return new InfraError(message, { service, attempts: r.attempts }, { cause: o.error });
  }
  if (o.error instanceof ToolError) return new ToolError(message, o.error.details, { cause: o.error });
  if (o.error instanceof OidcError) return new InputError(message, 'mode');
  return o.error;
}

/** What cosign says when a signature does not verify (as opposed to cosign itself failing). */
const NOT_VERIFIED =
  /none of the expected identities matched|no matching signatures|no matching attestations|no signatures found|MANIFEST_UNKNOWN|manifest unknown/i;

/** cosign verify did not verify: a refusal by policy when the signature does not match, else by kind. */
export function verifyFailure(r: RetryResult<unknown>, message: string): Error {
  const o = r.outcome;
  if (o.kind === 'ok' || o.kind === 'already-exists') return new Error(`not a failure: ${o.kind}`);
  if (o.kind === 'transient')
    return new InfraError(message, { service: SIGSTORE_SERVICE, attempts: r.attempts }, { cause: o.error });
  if (o.error instanceof ToolError && !NOT_VERIFIED.test(o.reason))
    return new ToolError(message, o.error.details, { cause: o.error });
  return new GateError(message);
}
