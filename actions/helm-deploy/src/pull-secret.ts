/**
 * The image pull secret phase (registry-username, registry-password, pull-secret-registry): after the
 * namespace and before the upgrade, the Secret `<release>-registry` of type kubernetes.io/dockerconfigjson
 * is created or updated in the namespace by server-side apply (idempotent; a changed password replaces
 * the old one), and the generated values name it in `imagePullSecrets`. The credentials go to the API
 * server in the request body only: never to a log line, the summary, an output, argv or a file.
 */
import { InfraError, type ActionContext } from '@polyglot-cd/action-kit';
import { describeApiError, LABEL_MANAGED_BY, MANAGED_BY, restRequest, type RestConnection } from '@polyglot-cd/kube';
import type { KubeConfig } from './cluster.js';
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

export const pullSecretName = (release: string): string => `${release}-registry`;

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

/** `user:password`, base64: the `auth` of a Docker config entry. Pure. */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** The `.dockerconfigjson` of the secret: one entry, for the registry host. Pure. */
export function dockerConfigJson(p: PullSecretInputs): string {
  const entry = { username: p.username, password: p.password, auth: basicAuth(p.username, p.password) };
  return JSON.stringify({ auths: { [p.registry]: entry } });
}

/** The Secret, as server-side apply takes it. Pure. */
export function pullSecretManifest(release: string, namespace: string, p: PullSecretInputs): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: pullSecretName(release), namespace, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(p), 'utf8').toString('base64') },
  };
}

const FIELD_MANAGER = 'polyglot-cd';

/** Server-side apply of the Secret, over the small REST client or, without one, client-node. */
async function apply(
  body: Record<string, unknown>,
  name: string,
  namespace: string,
  conn: RestConnection | undefined,
  kubeConfig: () => Promise<KubeConfig>,
): Promise<void> {
  if (conn) {
    const path = `api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
    await restRequest(conn, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, {
      body,
      contentType: 'application/apply-patch+yaml',
    });
    return;
  }
  const { CoreV1Api, PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  const core = (await kubeConfig()).makeApiClient(CoreV1Api);
  await core.patchNamespacedSecret(
    { name, namespace, body, fieldManager: FIELD_MANAGER, force: true },
    setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
  );
}

/** Creates or updates the pull secret; returns the line for the log. A refusal of the API server is an InfraError. */
export async function applyPullSecret(
  ctx: ActionContext,
  o: {
    release: string;
    namespace: string;
    pullSecret: PullSecretInputs;
    conn: RestConnection | undefined;
    kubeConfig: () => Promise<KubeConfig>;
  },
): Promise<string> {
  const name = pullSecretName(o.release);
  // the derived forms of the password are secrets too
  ctx.secrets.add(basicAuth(o.pullSecret.username, o.pullSecret.password));
  const body = pullSecretManifest(o.release, o.namespace, o.pullSecret);
  try {
    await apply(body, name, o.namespace, o.conn, o.kubeConfig);
  } catch (err) {
    throw new InfraError(
      `Could not create or update the image pull secret ${name} in ${o.namespace}: ${describeApiError(err)}. The identity needs get, create and patch on secrets in the namespace (examples/rbac).`,
      { service: 'cluster', attempts: 1 },
      { cause: err },
    );
  }
  const line = `image pull secret ${name} for ${o.pullSecret.registry} applied (server-side apply)`;
  ctx.log.info(line);
  return line;
}
