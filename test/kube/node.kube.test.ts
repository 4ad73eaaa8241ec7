// The real node (node.ts): kubelet + containerd + runc + CNI against its own control plane and
// registry, so these pods really run. Needs root and the Debian packages of node-setup.sh; skipped
// otherwise. It starts its own control plane (not the run's shared one, whose node simulator owns the
// name polyglot-cd-node there) and stops everything it started, then checks nothing is left behind.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBaseImage, startRegistry, storageConf, type RunningRegistry } from '../registry/registry.js';
import { resolveBinary } from './binaries.js';
import { startControlPlane, type ControlPlane } from './controlplane.js';
import { uniqueName } from './harness.js';
import { certIssuer } from './pki.js';
import { BRIDGE, bridgeExists, startNode, type RunningNode } from './node.js';

const run = promisify(execFile);

function prerequisites(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const b of ['/usr/bin/containerd', '/usr/sbin/runc', '/usr/lib/cni/bridge', '/usr/bin/buildah', '/usr/bin/gcc']) {
    if (!existsSync(b)) return `missing ${b} (bash test/kube/node-setup.sh)`;
  }
  try {
    resolveBinary('kubelet');
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const skip = prerequisites();
const timings: Record<string, number> = {};

describe.skipIf(skip !== undefined)(`real node (kubelet + containerd)${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let cp: ControlPlane;
  let registry: RunningRegistry;
  let node: RunningNode;
  let dir: string;
  let httpd: string;
  let busybox: string;
  /**
   * logs/exec go API server → kubelet. Without --kubelet-preferred-address-types=InternalIP the API
   * server dials the node's Hostname address first, i.e. asks the machine's DNS server for
   * "polyglot-cd-node": traffic off the machine. Those tests are skipped then.
   */
  let kubeletReachable = false;
  const ns = uniqueName('node');

  const kubectl = async (args: string[], opts: { input?: string; allowFail?: boolean } = {}): Promise<string> => {
    const p = new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      const child = execFile(resolveBinary('kubectl'), ['--kubeconfig', cp.kubeconfig, ...args], { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
      );
      child.stdin?.end(opts.input ?? '');
    });
    const r = await p;
    if (r.code !== 0 && !opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.code === 0 ? r.stdout : r.stderr;
  };
  const apply = (yaml: string) => kubectl(['apply', '-n', ns, '-f', '-'], { input: yaml });
  const waitFor = async <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 90_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const podJson = async (name: string) => JSON.parse(await kubectl(['get', 'pod', '-n', ns, name, '-o', 'json'])) as {
    status: { phase: string; podIP?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number; state: Record<string, { reason?: string }> }[] };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pcd-node-test-'));
    const log = (l: string) => console.log(`[node-test] ${l}`);
    cp = await startControlPlane({ log });
    const apiserver = cp.processes.find((p) => p.name === 'kube-apiserver');
    const args = apiserver ? readFileSync(`/proc/${apiserver.pid}/cmdline`, 'utf8').split('\0') : [];
    kubeletReachable = args.some((a) => /^--kubelet-preferred-address-types=InternalIP\b/.test(a));
    if (!kubeletReachable) log('kube-apiserver has no --kubelet-preferred-address-types=InternalIP: skipping the logs/exec tests');
    registry = await startRegistry({ dir: join(dir, 'registry') });
    const storage = await storageConf(join(dir, 'storage'));
    await buildBaseImage({ storageConf: storage, refs: [{ ref: `${registry.host}/polyglot-cd/busybox:1`, tlsVerify: false }] });
    const env = { ...process.env, CONTAINERS_STORAGE_CONF: storage, BUILDAH_ISOLATION: 'chroot' };
    const context = fileURLToPath(new URL('./images/httpd/', import.meta.url));
    await run('buildah', ['build', '--isolation', 'chroot', '--tls-verify=false', '--build-arg', `BASE=${registry.host}/polyglot-cd/busybox:1`, '-t', 'localhost/pcd-httpd:1', context], { env });
    await run('buildah', ['push', '--tls-verify=false', '--digestfile', join(dir, 'httpd.digest'), 'localhost/pcd-httpd:1', `docker://${registry.host}/polyglot-cd/httpd:1`], { env });
    httpd = `${registry.host}/polyglot-cd/httpd@${readFileSync(join(dir, 'httpd.digest'), 'utf8').trim()}`;
    await run('buildah', ['push', '--tls-verify=false', '--digestfile', join(dir, 'bb.digest'), `${registry.host}/polyglot-cd/busybox:1`, `docker://${registry.host}/polyglot-cd/busybox:1`], { env });
    busybox = `${registry.host}/polyglot-cd/busybox@${readFileSync(join(dir, 'bb.digest'), 'utf8').trim()}`;

    const t0 = Date.now();
    node = await startNode({
      apiServer: cp.server,
      caCertPath: cp.caCert,
      issueCert: certIssuer({ caCert: cp.caCert, caKey: cp.caKey }),
      registryHost: registry.host,
      storageConf: storage,
      log,
    });
    timings.nodeStartToReady = Date.now() - t0;
    await kubectl(['create', 'namespace', ns]);
    await waitFor('the default ServiceAccount', async () => (await kubectl(['get', 'sa', 'default', '-n', ns], { allowFail: true })).includes('default'));
  }, 240_000);

  afterAll(async () => {
    const t0 = Date.now();
    await node?.stop();
    timings.stop = Date.now() - t0;
    await registry?.stop();
    await cp?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    console.log(`[node-test] timings (ms): ${JSON.stringify(timings)}`);
    // Nothing left behind: no bridge, no shim, no container process, no mount of the node.
    expect(bridgeExists()).toBe(false);
    const shims = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => {
        try {
          return readFileSync(`/proc/${d}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })
      .filter((c) => node && c.includes(node.criSocket));
    expect(shims).toEqual([]);
    if (node) expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(node.dataDir);
    if (node) expect(existsSync(node.dataDir)).toBe(false);
  }, 120_000);

  it('(a) runs busybox httpd by digest from the local registry; the API server proxies to its Service', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: ${httpd}
    ports: [{containerPort: 8080}]
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 8080, targetPort: 8080}]}
`);
    await kubectl(['wait', '-n', ns, '--for=condition=Ready', 'pod/web', '--timeout=90s']);
    const body = await kubectl(['get', '--raw', `/api/v1/namespaces/${ns}/services/web:8080/proxy/`]);
    expect(body).toContain('hello from a polyglot-cd pod');
    // pod start to Ready with the image cached (the first pod pulled it)
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web2}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: ${httpd}
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
`);
    const t0 = Date.now();
    await waitFor('web2 Ready', async () => (await podJson('web2')).status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    timings.cachedPodToReady = Date.now() - t0;
  });

  it('kube-proxy: a pod reaches the Service ClusterIP (and its own Service, hairpin)', async (ctx) => {
    if (!kubeletReachable) ctx.skip();
    const ip = (await kubectl(['get', 'svc', '-n', ns, 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} 8080`;
    expect(await kubectl(['exec', '-n', ns, 'web2', '--', 'sh', '-c', get])).toContain('hello from a polyglot-cd pod');
    expect(await kubectl(['exec', '-n', ns, 'web', '--', 'sh', '-c', get])).toContain('hello from a polyglot-cd pod');
    // No default route in a pod: the outside is unreachable.
    const out = await kubectl(['exec', '-n', ns, 'web2', '--', 'sh', '-c', 'ip route; echo x | nc -w 2 192.0.2.1 80; echo rc=$?'], { allowFail: true });
    expect(out).not.toMatch(/^default/m);
    expect(out).toContain('rc=1');
  });

  it('(b) a container that exits 1 goes CrashLoopBackOff; logs --previous returns its real last lines', async (ctx) => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${busybox}
    command: ["sh", "-c", "echo 'crash: starting'; echo 'fatal: cannot connect to db:5432'; exit 1"]
`);
    await waitFor('CrashLoopBackOff', async () => {
      const s = (await podJson('crash')).status.containerStatuses?.[0];
      return s && s.restartCount >= 1 && s.state.waiting?.reason === 'CrashLoopBackOff';
    });
    if (!kubeletReachable) ctx.skip();
    const logs = await kubectl(['logs', '-n', ns, 'crash', '--previous']);
    expect(logs).toContain('crash: starting');
    expect(logs).toContain('fatal: cannot connect to db:5432');
  }, 120_000);

  it('(c) a digest that is not in the registry: ErrImagePull/ImagePullBackOff with containerd\'s error in the events', async () => {
    const missing = `${registry.host}/polyglot-cd/busybox@sha256:${'0'.repeat(64)}`;
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: missing}
spec:
  containers: [{name: app, image: "${missing}"}]
`);
    await waitFor('ImagePullBackOff', async () => ['ErrImagePull', 'ImagePullBackOff'].includes((await podJson('missing')).status.containerStatuses?.[0]?.state.waiting?.reason ?? ''));
    const events = await waitFor('the Failed event', async () => {
      const e = await kubectl(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=missing,reason=Failed', '-o', 'jsonpath={.items[*].message}']);
      return e.includes('not found') && e;
    });
    expect(events).toContain(`failed to resolve reference "${missing}"`);
  });

  it('(d) a Job with restartPolicy Never completes; a failing one fails', async () => {
    const job = (name: string, script: string) => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: j, image: "${busybox}", command: ["sh", "-c", "${script}"]}]
`;
    await apply(job('ok', 'echo job done') + '---' + job('bad', 'echo failing; exit 3'));
    await kubectl(['wait', '-n', ns, '--for=condition=Complete', 'job/ok', '--timeout=90s']);
    await kubectl(['wait', '-n', ns, '--for=condition=Failed', 'job/bad', '--timeout=90s']);
    if (kubeletReachable) expect(await kubectl(['logs', '-n', ns, 'job/ok'])).toContain('job done');
  });

  it('(e) Pod Security "restricted": a compliant pod runs with seccomp RuntimeDefault really on', async () => {
    const restricted = uniqueName('restricted');
    await kubectl(['create', 'namespace', restricted]);
    await kubectl(['label', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted']);
    try {
      await waitFor('the default ServiceAccount', async () => (await kubectl(['get', 'sa', 'default', '-n', restricted], { allowFail: true })).includes('default'));
      await kubectl(['apply', '-n', restricted, '-f', '-'], {
        input: `
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  terminationGracePeriodSeconds: 1
  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: web
    image: ${httpd}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
`,
      });
      await kubectl(['wait', '-n', restricted, '--for=condition=Ready', 'pod/web', '--timeout=90s']);
      if (!kubeletReachable) return;
      const status = await kubectl(['exec', '-n', restricted, 'web', '--', 'sh', '-c', 'id -u; grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status; unshare -U true; echo unshare=$?'], { allowFail: true });
      expect(status).toMatch(/^10001$/m);
      expect(status).toMatch(/^Seccomp:\s+2$/m); // filter mode: the RuntimeDefault profile is loaded
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      expect(status).toContain('unshare=1'); // blocked by the profile
    } finally {
      await kubectl(['delete', 'namespace', restricted, '--wait=false'], { allowFail: true });
    }
  });

  it('(f) deleting the namespace really removes its pods', async () => {
    const t0 = Date.now();
    await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s']);
    timings.namespaceDeletion = Date.now() - t0;
    // The kubelet stopped the sandboxes: their veths are gone from the bridge.
    const ports = readdirSync(`/sys/class/net/${BRIDGE}/brif`);
    expect(ports.length).toBeLessThanOrEqual(1); // at most the restricted namespace's pod, still terminating
  }, 150_000);
});
