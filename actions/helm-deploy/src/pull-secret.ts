/**
 * The image pull secret phase (registry-username, registry-password, pull-secret-registry): after the
 * namespace and before the upgrade, the Secret `<release>-registry` of type kubernetes.io/dockerconfigjson
 * is created or updated in the namespace by server-side apply (idempotent; a changed password replaces
 * the old one), and the generated values name it in `imagePullSecrets`. The credentials go to the API
 * server in the request body only: never to a log line, the summary, an output, argv or a file.
 */
import { InfraError, type ActionContext } from '@polyglot-cd/action-kit';
import { describeApiError } from '@polyglot-cd/kube/diagnostics';
import { LABEL_MANAGED_BY, MANAGED_BY } from '@polyglot-cd/kube/ownership';
import { restRequest, type RestConnection } from '@polyglot-cd/kube/rest';
import type { KubeConfig } from './cluster.js';
import type { PullSecretInputs } from './registry-host.js';

export const pullSecretName = (release: string): string => `${release}-registry`;

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
