/**
 * Helm releases in a namespace, uninstalled before the namespace is deleted so that their hooks and
 * finalizers run. Releases are found from Helm's own storage (Secrets labelled owner=helm), so no
 * `helm list` output is scraped; `helm uninstall` runs through the Helm class (argv only).
 */
import type { KubeConfig } from '@kubernetes/client-node';

/** Distinct release names from Helm's release Secrets (labels `owner=helm`, `name=<release>`). Pure. */
export function releaseNames(secrets: readonly { metadata?: { labels?: Record<string, string> } }[]): string[] {
  const names = new Set<string>();
  for (const s of secrets) {
    const l = s.metadata?.labels ?? {};
    if (
      l['owner'] === 'helm' &&
      l['name'] &&
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(l['name']) &&
      l['name'].length <= 53
    )
      names.add(l['name']);
  }
  return [...names].sort();
}

export async function listHelmReleases(kc: KubeConfig, namespace: string): Promise<string[]> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api);
  const items: { metadata?: { labels?: Record<string, string> } }[] = [];
  let cont: string | undefined;
  do {
    const page = await core.listNamespacedSecret({
      namespace,
      labelSelector: 'owner=helm',
      limit: 500,
      ...(cont ? { _continue: cont } : {}),
    });
    items.push(...page.items);
    cont = page.metadata?._continue || undefined;
  } while (cont);
  return releaseNames(items);
}

/** A kubeconfig file for helm on a runner pod: the service account's token file and CA, by path. */
export function inClusterKubeconfigText(server: string, saDir: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${saDir}/ca.crt` } }],
    users: [{ name: 'service-account', user: { tokenFile: `${saDir}/token` } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
    'current-context': 'in-cluster',
  });
}
