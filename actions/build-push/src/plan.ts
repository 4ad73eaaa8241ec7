/**
 * What a run will do, decided from the inputs and the Git context before any side effect, and how a
 * registry failure is named (each by its kind: the user's input, or the infrastructure). Pure.
 */
import { InfraError, InputError, type githubContext } from '@polyglot-cd/action-kit';
import { RegistryError } from '@polyglot-cd/tools/registry';
import type { BuildPushInputs } from './inputs.js';
import { ociLabels } from './labels.js';
import { computeTags, type ComputedTags } from './tags.js';

export type GitHubContext = ReturnType<typeof githubContext>;

/** The PR number from a pull_request event payload's JSON, when it is a safe integer. */
export function prNumberFromEvent(json: string | undefined): number | undefined {
  if (json === undefined) return undefined;
  try {
    const n = (JSON.parse(json) as { pull_request?: { number?: unknown } }).pull_request?.number;
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The tags of this run; a Git context they cannot be computed from is an input error. */
export function planTags(inputs: BuildPushInputs, gh: GitHubContext, prNumber: number | undefined): ComputedTags {
  try {
    return computeTags(
      { sha: gh.sha, eventName: gh.eventName, ref: gh.ref, prNumber },
      { extraTags: inputs.extraTags, latest: inputs.latest },
    );
  } catch (e) {
    throw new InputError(`Cannot compute the tags: ${(e as Error).message}`);
  }
}

export function labelsFor(
  inputs: BuildPushInputs,
  gh: GitHubContext,
  version: string,
  now: number,
): Map<string, string> {
  return ociLabels(
    {
      repositoryUrl: gh.repositoryUrl,
      sha: gh.sha,
      // a reproducible build (SOURCE_DATE_EPOCH) must not carry the time of the run
      created: new Date(inputs.sourceDateEpoch !== undefined ? inputs.sourceDateEpoch * 1000 : now).toISOString(),
      version,
      title: inputs.image.split('/').pop() ?? '',
    },
    inputs.labels,
  );
}

/** The file name of the OCI archive of push: false. */
export function archiveName(image: string, shortSha: string, imageId?: string): string {
  const id = imageId === undefined ? '' : `-${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
  return `${image.split('/').pop() ?? 'image'}-${shortSha || 'local'}${id}.oci.tar`;
}

/**
 * A registry failure by its kind: refused credentials, missing rights and an untrusted certificate
 * are the user's to fix (InputError); an unreachable or failing registry, after the retries, is the
 * infrastructure (InfraError). Anything that is not a RegistryError is returned as it is.
 */
export function registryFailure(err: unknown, inputs: BuildPushInputs): unknown {
  if (!(err instanceof RegistryError)) return err;
  const host = inputs.imageRegistry;
  const service = `registry ${host}`;
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
      return new InputError(err.message, 'ca-file');
    case 'unreachable':
      return new InfraError(
        `Registry ${host} of input "image" is unreachable: ${err.message}. Nothing was built or pushed.`,
        { service, attempts: err.attempts },
        { cause: err },
      );
    default:
      return new InfraError(
        `Registry ${host} failed: ${err.message}`,
        { service, attempts: err.attempts },
        { cause: err },
      );
  }
}
