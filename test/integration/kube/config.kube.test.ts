// packages/kube config against the real API server: a kubeconfig loaded from its content, and the
// in-cluster service-account layout, both answer; the token never leaves the secret registry.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secrets } from '@polyglot-cd/action-kit';
import { loadInCluster, loadKubeconfig } from '@polyglot-cd/kube';
import { parse } from 'yaml';
import { kubeconfigPath } from '../../kube/harness.js';

interface AdminConfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

describe('kube config against the local API server', () => {
  const text = readFileSync(kubeconfigPath(), 'utf8');
  const admin = parse(text) as AdminConfig;
  const token = admin.users[0]?.user.token as string;
  const server = new URL(admin.clusters[0]?.cluster.server as string);

  it('loadKubeconfig: the loaded config lists namespaces, and the token is registered', async () => {
    const secrets = new Secrets();
    const access = await loadKubeconfig(text, { allowExecAuth: false, secrets });
    expect(access.host).toBe(server.host);
    expect(secrets.has(token)).toBe(true);
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const list = await access.kubeConfig.makeApiClient(CoreV1Api).listNamespace({ limit: 50 });
    expect(list.items.map((n) => n.metadata?.name)).toContain('kube-system');
  });

  it('loadInCluster: the service-account layout (token file + CA) reaches the same API server', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'pcd-sa-'));
    const dir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'token'), token, { mode: 0o600 });
    writeFileSync(
      join(dir, 'ca.crt'),
      Buffer.from(admin.clusters[0]?.cluster['certificate-authority-data'] as string, 'base64'),
    );
    const secrets = new Secrets();
    const access = await loadInCluster({
      env: { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port },
      secrets,
      pathPrefix: prefix,
    });
    expect(secrets.has(token)).toBe(true);
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const ns = await access.kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
    expect(ns.metadata?.name).toBe('default');
  });

  it('a wrong token is refused by the server (no anonymous fallback)', async () => {
    const bad = text.replace(token, 'not-the-token-0000000000');
    const access = await loadKubeconfig(bad, { allowExecAuth: false, secrets: new Secrets() });
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const err = (await access.kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespace({ limit: 1 })
      .catch((e: unknown) => e)) as { code?: number };
    expect(err.code).toBe(401);
  });
});
