/**
 * What a deployed release runs, from its values (`helm get values --all -o json` of its current
 * revision): the image of each component of charts/app (`components.<name>.image`), as the `images`
 * input writes it, and `migrations.hash`. Promotion is by digest only, so an image that is not pinned
 * by digest is an error naming the component and the value. Pure.
 */
import { COMPONENT_RE, DIGEST_REF_RE } from '@polyglot-cd/action-kit';
import { isMapping, type ImageRef, type Values } from './values.js';

/** The release's values can't be promoted as they are (an image not by digest, a malformed value). */
export class ReleaseValuesError extends Error {}

export interface ReleaseContent {
  /** one per component, sorted by component */
  images: ImageRef[];
  /** `migrations.hash`, '' when unset */
  migrationsHash: string;
  /** what the caller should know but that does not stop the read (a canary, a hash that is not a string) */
  warnings: string[];
}

/** `repo[:tag]@sha256:…` → repository and digest (a tag beside a digest says nothing: the digest runs). */
function splitRef(ref: string): { repository: string; digest: string } | undefined {
  const at = ref.lastIndexOf('@');
  if (at < 0) return undefined;
  const digest = ref.slice(at + 1);
  let repository = ref.slice(0, at);
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) repository = repository.slice(0, colon);
  return { repository, digest };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** How the value reads in an error. */
function shown(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** One component's image by digest; anything else is a ReleaseValuesError naming it. */
function componentImage(name: string, component: unknown): ImageRef {
  const where = `components.${name}.image`;
  if (!COMPONENT_RE.test(name))
    throw new ReleaseValuesError(
      `component ${JSON.stringify(name)} is not a component name the images input takes (a DNS label of at most 23 characters starting with a letter)`,
    );
  if (!isMapping(component)) throw new ReleaseValuesError(`components.${name} is ${shown(component)}, not a mapping`);
  const image = component['image'];
  let parts: { repository: string; digest: string } | undefined;
  if (typeof image === 'string') parts = splitRef(image);
  else if (isMapping(image) && text(image['digest']) !== '')
    parts = { repository: text(image['repository']), digest: text(image['digest']) };
  const ref = parts ? `${parts.repository}@${parts.digest}` : '';
  if (!parts || !DIGEST_REF_RE.test(ref)) {
    throw new ReleaseValuesError(
      `component ${name} runs ${where} = ${image === undefined ? '(unset)' : shown(image)}, not an image pinned by digest: promotion is by digest only (repository and digest sha256:<64 hex>, as helm-deploy's images input sets them)`,
    );
  }
  return { component: name, ref, repository: parts.repository, digest: parts.digest };
}

/** `migrations.hash` as text ('' when unset); a number or boolean is taken as written, with a warning. */
function migrationsHash(values: Values, warnings: string[]): string {
  const migrations = values['migrations'];
  if (migrations === undefined || migrations === null) return '';
  if (!isMapping(migrations)) throw new ReleaseValuesError(`migrations is ${shown(migrations)}, not a mapping`);
  const hash = migrations['hash'];
  if (hash === undefined || hash === null) return '';
  if (typeof hash === 'string') return hash;
  if (typeof hash === 'number' || typeof hash === 'boolean') {
    warnings.push(
      `migrations.hash is the ${typeof hash} ${String(hash)}, not a string: it is compared as written (quote it in the values to keep it exact)`,
    );
    return String(hash);
  }
  throw new ReleaseValuesError(`migrations.hash is ${shown(hash)}, not a string`);
}

/** A running canary: its image is not one of the images (those are the stable track's). */
function canaryWarning(values: Values): string[] {
  const canary = values['canary'];
  if (!isMapping(canary) || canary['enabled'] !== true) return [];
  const image = isMapping(canary['image']) ? canary['image'] : {};
  const ref = text(image['digest']) ? `@${text(image['digest'])}` : text(image['tag']) ? `:${text(image['tag'])}` : '';
  return [
    `the release runs a canary of ${text(canary['component']) || '(no component)'} (${text(image['repository']) || 'its repository'}${ref}): images lists the stable Deployments' images, not the canary's`,
  ];
}

/** The release's images and migrations hash, from its values; throws ReleaseValuesError. */
export function releaseContent(values: Values): ReleaseContent {
  const components = values['components'];
  if (components !== undefined && components !== null && !isMapping(components))
    throw new ReleaseValuesError(`components is ${shown(components)}, not a mapping`);
  const images = Object.entries(components ?? {})
    .filter(([, c]) => c !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, c]) => componentImage(name, c));
  const warnings = canaryWarning(values);
  return { images, migrationsHash: migrationsHash(values, warnings), warnings };
}
