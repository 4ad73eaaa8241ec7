/**
 * Image references (`host[:port]/path[:tag][@sha256:…]`) and the error a registry operation raises.
 * Pure, and a module of its own: an action's inputs parse references at start without loading the
 * registry client (registry.ts re-exports both).
 */
export type RegistryErrorKind = 'not-found' | 'unauthorized' | 'denied' | 'unreachable' | 'tls' | 'server' | 'protocol';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly kind: RegistryErrorKind;
  /** HTTP status of the last answer, 0 when none */
  readonly status: number;
  readonly attempts: number;
  constructor(message: string, kind: RegistryErrorKind, status = 0, attempts = 1) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.attempts = attempts;
  }
}

export interface ImageRef {
  /** host[:port]; docker.io for Docker Hub short names */
  registry: string;
  /** path inside the registry, e.g. team/app (library/x for Docker Hub single names) */
  repository: string;
  tag?: string;
  digest?: string;
}

const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Splits `host[:port]/path[:tag][@sha256:…]`. The first component is a registry host when it has a
 * `.` or `:` or is `localhost` (the Docker rule); otherwise the registry is docker.io.
 */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      throw new RegistryError(`"${ref}" has an invalid digest (expected sha256:<64 hex>)`, 'protocol');
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new RegistryError(`"${ref}" has an invalid tag`, 'protocol');
  }
  const first = rest.split('/')[0] ?? '';
  let registry = 'docker.io';
  let repository = rest;
  if (
    rest.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))
  ) {
    registry = first;
    repository = rest.slice(first.length + 1);
  } else if (!rest.includes('/')) {
    repository = `library/${rest}`;
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
    throw new RegistryError(
      `"${ref}" has an invalid repository name (lower-case letters, digits and separators . _ - /)`,
      'protocol',
    );
  }
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
