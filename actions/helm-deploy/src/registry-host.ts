/**
 * The registry of the image pull secret (pull-secret-registry): what the input accepts and the one
 * registry host the images share. Pure; apart from the pull secret phase (pull-secret.ts) because the
 * inputs, which every start loads, need it.
 */
import type { ImageRef } from './values.js';

export interface PullSecretInputs {
  /** registry host[:port], the key of the secret's `auths` */
  registry: string;
  username: string;
  /** registered as a secret when read */
  password: string;
}

/** Where an image without a registry host is pulled from, as the kubelet's credential lookup keys it. */
export const DOCKER_HUB_HOST = 'index.docker.io';

/** registry host[:port]: what pull-secret-registry accepts. */
export const REGISTRY_HOST_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;

/**
 * The registry host of an image repository, by Docker's rule: the first path segment when it has a `.`
 * or a `:` or is localhost, else Docker Hub (docker.io itself is keyed as index.docker.io). Pure.
 */
export function registryHost(repository: string): string {
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  if (first === '' || (!/[.:]/.test(first) && first !== 'localhost')) return DOCKER_HUB_HOST;
  const host = first.toLowerCase();
  return host === 'docker.io' ? DOCKER_HUB_HOST : host;
}

/** The one registry host all `images` share, or the reason there is none. Pure. */
export function sharedRegistryHost(images: readonly ImageRef[]): { host: string } | { problem: string } {
  const hosts = [...new Set(images.map((i) => registryHost(i.repository)))];
  if (hosts.length === 1) return { host: hosts[0] as string };
  if (hosts.length === 0) return { problem: 'images is empty: name the registry (host[:port]) the secret is for' };
  return {
    problem: `the images come from ${hosts.length} registries (${hosts.join(', ')}): name the one the secret is for (host[:port])`,
  };
}
