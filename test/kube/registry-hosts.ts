// containerd's registry hosts directory of the real node (node.ts): which local registries it may pull
// from. No relative imports, so the local pipeline (bin/lib/pipeline.ts, plain Node with type
// stripping) can import it too.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Lets the node pull from a registry on this machine: plain HTTP, or HTTPS with `caFile`. Writes
 * `<certsDir>/<host>/hosts.toml`; containerd reads its hosts directory at every pull, so a registry
 * can be added while the node runs (RunningNode.certsDir).
 */
export async function trustRegistry(certsDir: string, host: string, caFile?: string): Promise<void> {
  const hostDir = join(certsDir, host);
  await mkdir(hostDir, { recursive: true });
  let ca: string | undefined;
  if (caFile) {
    ca = join(hostDir, 'ca.crt');
    await copyFile(caFile, ca);
  }
  await writeFile(join(hostDir, 'hosts.toml'), hostsToml(host, ca));
}

export function hostsToml(registryHost: string, caFile?: string): string {
  if (caFile) {
    return `# HTTPS with the test registry's throwaway CA (test/registry) on loopback
server = "https://${registryHost}"

[host."https://${registryHost}"]
  capabilities = ["pull", "resolve"]
  ca = ${JSON.stringify(caFile)}
`;
  }
  return `# plain HTTP, no TLS: a local test registry (test/registry) on loopback
server = "http://${registryHost}"

[host."http://${registryHost}"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
`;
}
