/**
 * Pushing tags with bounded retries, and reading the digest back from the registry. A transient
 * registry failure that outlasts push-attempts is the infrastructure's (InfraError); a tag that
 * already points at another digest on an immutable-tag registry is refused by policy (GateError).
 */
import { createHash } from 'node:crypto';
import { GateError, InfraError, ToolError } from '@polyglot-cd/action-kit';
import { classifyPushFailure } from '@polyglot-cd/tools/buildah';
import { manifestDigest, RegistryClient } from '@polyglot-cd/tools/registry';
import { backoffDelay } from '@polyglot-cd/tools/retry';
import type { Job } from './job.js';
import { registryFailure } from './plan.js';
import { manifestSize, type DigestCheck, type Result } from './summary.js';

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

/** The transient registry failure of the last push attempt, as the infrastructure's. */
export function pushGaveUp(job: Job, what: string, attempts: number, err: ToolError): InfraError {
  return new InfraError(
    `${what} failed ${attempts} times on transient registry errors (push-attempts: ${job.policy.attempts}); giving up. Last error: ${err.details.stderrTail.split('\n').pop() ?? ''}`,
    { service: `registry ${job.inputs.imageRegistry}`, attempts },
    { cause: err },
  );
}

/**
 * Push one tag with bounded retries on transient failures. A permanent failure is checked against
 * the registry: if the tag already points at the digest being pushed (an immutable-tag registry on a
 * re-run), that is a success; if it points elsewhere, it is never overwritten.
 * Resolves to the digest when the tag already pointed at it, else undefined.
 */
export async function pushTag(
  job: Job,
  ref: string,
  expected: string | (() => Promise<string>),
  push: () => Promise<unknown>,
): Promise<string | undefined> {
  const { log } = job.ctx;
  const { policy } = job;
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
          await job.sleep(ms);
          continue;
        }
        if (kind === 'transient') throw pushGaveUp(job, `Push of ${ref}`, attempt, e);
        return existingTag(job, ref, expected, e);
      }
    }
  });
}

/** After a permanent push failure: the tag already at the expected digest is a success, elsewhere a refusal. */
async function existingTag(
  job: Job,
  ref: string,
  expected: string | (() => Promise<string>),
  e: ToolError,
): Promise<string> {
  const existing = await manifestDigest(ref, job.regOpts).catch(() => undefined);
  if (existing === undefined) throw e;
  const want = typeof expected === 'string' ? expected : await expected();
  if (existing === want) {
    job.ctx.log.notice(
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

/** The registry is the source of truth: every tag must resolve to the same digest. */
export async function readBack(job: Job, result: Result): Promise<Result> {
  const { inputs, refs } = job;
  const { log } = job.ctx;
  return log.group(`Read the digest back from ${inputs.imageRegistry}`, async () => {
    const client = new RegistryClient(inputs.imageRegistry, job.regOpts);
    const repo = inputs.image.slice(inputs.imageRegistry.length + 1);
    const tagOf = (ref: string): string => ref.slice(inputs.image.length + 1);
    let manifest;
    try {
      manifest = await client.fetchManifest(repo, refs[0] ? tagOf(refs[0]) : 'latest');
      for (const ref of refs) {
        const d = await client.manifestDigest(repo, tagOf(ref));
        if (d !== manifest.digest) {
          throw new InfraError(
            `${ref} resolves to ${d ?? 'nothing'}, not ${manifest.digest}: another push raced this one`,
            { service: `registry ${inputs.imageRegistry}`, attempts: 1 },
          );
        }
      }
    } catch (e) {
      throw registryFailure(e, inputs);
    }
    if (result.check) return confirmArchive(job, result, result.check, manifest);
    if (manifest.digest !== result.digest)
      log.warning(
        `The builder reported ${result.digest}; the registry has ${manifest.digest} (the registry's is used)`,
      );
    log.info(`${refs.length} tag(s) → ${manifest.digest}`);
    return { ...result, digest: manifest.digest, sizeBytes: manifestSize(manifest.body) };
  });
}

/**
 * from-archive: every pushed tag (all read back at one digest) must have the archive's digest, and the
 * manifest the registry serves must hash to it. Otherwise what the registry serves is not what was
 * pushed (and scanned): a policy refusal (GateError), not a tool failure, since skopeo and the registry
 * both reported success; the usual cause is another push to the same tags meanwhile.
 */
function confirmArchive(
  job: Job,
  result: Result,
  check: DigestCheck,
  manifest: { digest: string; body: string },
): Result {
  const { refs } = job;
  const served = `sha256:${createHash('sha256').update(manifest.body, 'utf8').digest('hex')}`;
  // the digest the registry names for the tags, then the one of the bytes it serves
  const found = manifest.digest !== check.archive ? manifest.digest : served;
  if (found !== check.archive) {
    throw new GateError(
      `The registry does not have the archive's digest: it has ${found} for ${refs.join(', ')}, not ${check.archive}, ` +
        `the manifest digest of ${job.inputs.fromArchive}${check.expected ? ' (and expected-digest)' : ''}. ` +
        'The tags do not point at the image that was pushed (and scanned): look for another push to the same tags, and do not deploy them.',
    );
  }
  job.ctx.log.info(
    `${refs.length} tag(s) → ${check.archive}: the archive's digest${check.expected ? ' and expected-digest' : ''}, checked`,
  );
  return {
    ...result,
    digest: manifest.digest,
    sizeBytes: manifestSize(manifest.body),
    check: { ...check, confirmed: true },
  };
}
