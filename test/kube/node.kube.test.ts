// The real node of the run's stack (stack.ts: kubelet + containerd + runc + CNI + kube-proxy): pods
// really run. Pull by digest from the stack's registry, the API server's service proxy, ClusterIP through
// kube-proxy, a real CrashLoopBackOff with the container's own log, a real pull failure, Jobs, Pod
// Security "restricted" with seccomp really on, and namespace deletion that really removes the sandboxes.
// That the node's stop() leaves nothing behind is checked by the global teardown (global-setup.ts).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBinary } from './binaries.js';
import { kubeconfigPath, stackInfo, uniqueName } from './harness.js';
import { CriClient } from './node.js';
import { CRASH_LOG, WEB_INDEX } from './workload-images.js';

const timings: Record<string, number> = {};

describe('real node (kubelet + containerd)', () => {
  const stack = stackInfo();
  const web = stack.images.web;
  const ns = uniqueName('node');

  const kubectl = async (args: string[], opts: { input?: string; allowFail?: boolean } = {}): Promise<string> => {
    const p = new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      const child = execFile(
        resolveBinary('kubectl'),
        ['--kubeconfig', kubeconfigPath(), ...args],
        { timeout: 120_000, maxBuffer: 16 << 20 },
        (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
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
  const podJson = async (name: string) =>
    JSON.parse(await kubectl(['get', 'pod', '-n', ns, name, '-o', 'json'])) as {
      status: {
        phase: string;
        podIP?: string;
        conditions?: { type: string; status: string }[];
        containerStatuses?: { restartCount: number; state: Record<string, { reason?: string }> }[];
      };
    };

  beforeAll(async () => {
    await kubectl(['create', 'namespace', ns]);
    await waitFor('the default ServiceAccount', async () =>
      (await kubectl(['get', 'sa', 'default', '-n', ns], { allowFail: true })).includes('default'),
    );
  }, 60_000);

  afterAll(async () => {
    await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFail: true });
    console.log(`[node-test] timings (ms): ${JSON.stringify(timings)}`);
  });

  it('(a) runs the web image by digest from the local registry; the API server proxies to its Service', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: ${web}
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
    expect(body).toContain(WEB_INDEX);
    // pod start to Ready with the image cached (the first pod pulled it)
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web2}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: ${web}
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
`);
    const t0 = Date.now();
    await waitFor('web2 Ready', async () =>
      (await podJson('web2')).status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    timings.cachedPodToReady = Date.now() - t0;
  });

  it('kube-proxy: a pod reaches the Service ClusterIP (and its own Service, hairpin)', async () => {
    const ip = (await kubectl(['get', 'svc', '-n', ns, 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} 8080`;
    expect(await kubectl(['exec', '-n', ns, 'web2', '--', 'sh', '-c', get])).toContain(WEB_INDEX);
    expect(await kubectl(['exec', '-n', ns, 'web', '--', 'sh', '-c', get])).toContain(WEB_INDEX);
    // No default route in a pod: the outside is unreachable.
    const out = await kubectl(
      ['exec', '-n', ns, 'web2', '--', 'sh', '-c', 'ip route; echo x | nc -w 2 192.0.2.1 80; echo rc=$?'],
      { allowFail: true },
    );
    expect(out).not.toMatch(/^default/m);
    expect(out).toContain('rc=1');
  });

  it('(b) a container that exits 1 goes CrashLoopBackOff; logs --previous returns its real last lines', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${stack.images.crash}
`);
    await waitFor('CrashLoopBackOff', async () => {
      const s = (await podJson('crash')).status.containerStatuses?.[0];
      return s && s.restartCount >= 1 && s.state.waiting?.reason === 'CrashLoopBackOff';
    });
    // The kubelet keeps one dead instance: `--previous` is it while the container waits in back-off;
    // in the moment it has just crashed again, the current (terminated) instance is. Ask until one answers.
    const logs = await waitFor(
      "the crashed instance's log",
      async () => {
        for (const args of [['--previous'], []]) {
          const out = await kubectl(['logs', '-n', ns, 'crash', ...args], { allowFail: true });
          if (out.includes(CRASH_LOG[0] as string)) return out;
        }
        return undefined;
      },
      60_000,
    );
    for (const line of CRASH_LOG) expect(logs).toContain(line);
  }, 120_000);

  it("(c) a digest that is not in the registry: ErrImagePull/ImagePullBackOff with containerd's error in the events", async () => {
    const missing = `${stack.registryHost}/polyglot-cd/test-web@sha256:${'0'.repeat(64)}`;
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: missing}
spec:
  containers: [{name: app, image: "${missing}"}]
`);
    await waitFor('ImagePullBackOff', async () =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(
        (await podJson('missing')).status.containerStatuses?.[0]?.state.waiting?.reason ?? '',
      ),
    );
    const events = await waitFor('the Failed event', async () => {
      const e = await kubectl([
        'get',
        'events',
        '-n',
        ns,
        '--field-selector',
        'involvedObject.name=missing,reason=Failed',
        '-o',
        'jsonpath={.items[*].message}',
      ]);
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
      containers: [{name: j, image: "${web}", command: ["sh", "-c", "${script}"]}]
`;
    await apply(job('ok', 'echo job done') + '---' + job('bad', 'echo failing; exit 3'));
    await kubectl(['wait', '-n', ns, '--for=condition=Complete', 'job/ok', '--timeout=90s']);
    await kubectl(['wait', '-n', ns, '--for=condition=Failed', 'job/bad', '--timeout=90s']);
    expect(await kubectl(['logs', '-n', ns, 'job/ok'])).toContain('job done');
  });

  it('(e) Pod Security "restricted": a compliant pod runs with seccomp RuntimeDefault really on', async () => {
    const restricted = uniqueName('restricted');
    await kubectl(['create', 'namespace', restricted]);
    await kubectl(['label', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted']);
    try {
      await waitFor('the default ServiceAccount', async () =>
        (await kubectl(['get', 'sa', 'default', '-n', restricted], { allowFail: true })).includes('default'),
      );
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
    image: ${web}
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
`,
      });
      await kubectl(['wait', '-n', restricted, '--for=condition=Ready', 'pod/web', '--timeout=90s']);
      const status = await kubectl(
        [
          'exec',
          '-n',
          restricted,
          'web',
          '--',
          'sh',
          '-c',
          'id -u; grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status; unshare -U true; echo unshare=$?',
        ],
        { allowFail: true },
      );
      expect(status).toMatch(/^10001$/m);
      expect(status).toMatch(/^Seccomp:\s+2$/m); // filter mode: the RuntimeDefault profile is loaded
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      expect(status).toContain('unshare=1'); // blocked by the profile
    } finally {
      await kubectl(['delete', 'namespace', restricted, '--wait=false'], { allowFail: true });
    }
  });

  it('(f) deleting the namespace really removes its pods: no sandbox of it is left in containerd', async () => {
    const cri = new CriClient(stack.node.criSocket);
    expect((await cri.listPodSandboxes()).filter((p) => p.namespace === ns).length).toBeGreaterThan(0);
    const t0 = Date.now();
    await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=120s']);
    timings.namespaceDeletion = Date.now() - t0;
    // (the kubelet removes stopped sandboxes on its own schedule; 60 s was once not enough on a loaded 2-core machine)
    await waitFor(
      'the sandboxes removed',
      async () => (await cri.listPodSandboxes()).every((p) => p.namespace !== ns),
      120_000,
    );
  }, 270_000);
});
