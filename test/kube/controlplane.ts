// Starts and stops a real, throwaway Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver
// (Node+RBAC authorization, TLS from a throwaway CA, service-account keys, a static admin token in
// system:masters, a client certificate for kubelets), kube-controller-manager and kube-scheduler, all
// from the one multi-call binary of scripts/setup/kube.sh. The node is node.ts (a real kubelet, which
// gets its certificates from caCert/caKey); stack.ts starts both.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { KUBE_VERSION, resolveBinaries, type ControlPlaneBinaries } from './binaries.js';
import { createPki, SERVICE_CLUSTER_IP_RANGE } from './pki.js';
import { freePort, httpsRequest, sleep, startProcess, stopProcess, tail, type Spawned } from './proc.js';

/**
 * YAML for a Kubernetes component to read, written as YAML 1.1 (the dialect of Go's YAML readers), so
 * strings such as `on`, `yes` or `0755` come out quoted and stay strings there.
 */
function goYaml(value: unknown): string {
  return stringify(value, { version: '1.1' });
}

export { SERVICE_CLUSTER_IP_RANGE } from './pki.js';

/** The service-account token issuer, also the API server's audience. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface ControlPlaneOptions {
  /** Parent of the data directory (default: the OS temp dir). */
  tmpRoot?: string;
  binaries?: ControlPlaneBinaries;
  /** Keep the data directory (logs, etcd data) after stop, for debugging. */
  keepData?: boolean;
  log?: (line: string) => void;
  /** Overall start timeout in ms (default 90 s). */
  timeoutMs?: number;
  /** Run kube-scheduler (default true). */
  scheduler?: boolean;
}

export interface ProcessInfo {
  name: string;
  pid: number;
  log: string;
}

export interface ControlPlaneInfo {
  dataDir: string;
  /** The Kubernetes version the API server reports (binaries.ts: test/kube/go/go.mod). */
  version: string;
  server: string;
  /** The admin kubeconfig (static token in system:masters). */
  kubeconfig: string;
  /** The throwaway CA: it signs the API server's serving cert and is its --client-ca-file. */
  caCert: string;
  /** The CA's key: pki.ts's issueCert(info, ...) signs a kubelet's serving and client certificates with it. */
  caKey: string;
  /** The admin token (system:masters). */
  token: string;
  /** The API server's --service-cluster-ip-range. */
  serviceClusterIpRange: string;
  /** GitHub Actions' OIDC issuer as this cluster trusts it (keyless cluster access; github-oidc.ts mints tokens) */
  githubOidc: GithubOidcIssuerInfo;
  processes: ProcessInfo[];
  /** Start timings in ms (controllerManagerReady and schedulerReady overlap: both start together). */
  timings: {
    pki: number;
    etcd: number;
    apiserverReady: number;
    controllerManagerReady: number;
    schedulerReady: number;
    total: number;
  };
}

export interface GithubOidcIssuerInfo {
  /** https://127.0.0.1:<port>: `iss` of the tokens */
  issuer: string;
  /** the audience examples/rbac/github-oidc-authentication.yaml accepts */
  audience: string;
  /** PKCS#8 PEM of the RS256 signing key (0600) */
  keyFile: string;
  kid: string;
  /** the --authentication-config file the API server runs with */
  authenticationConfig: string;
}

export interface ControlPlane extends ControlPlaneInfo {
  stop(): Promise<void>;
}

const ISSUER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'oidc-issuer.ts');
const AUTHENTICATION_EXAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'examples',
  'rbac',
  'github-oidc-authentication.yaml',
);

/**
 * The signing key, discovery document and JWKS of the local GitHub issuer, and the API server's
 * authentication configuration: the documented example itself (examples/rbac/github-oidc-authentication.yaml),
 * with only the issuer URL and its CA changed, so the tests exercise the claim rules users copy.
 */
async function prepareGithubOidc(pkiDir: string, port: number, caPem: string): Promise<GithubOidcIssuerInfo> {
  const dir = join(pkiDir, 'oidc');
  await mkdir(dir, { mode: 0o700 });
  const issuer = `https://127.0.0.1:${port}`;
  const kid = randomBytes(8).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'signing-key.pem');
  await writeFile(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' };
  await writeFile(join(dir, 'jwks'), JSON.stringify({ keys: [jwk] }));
  await writeFile(
    join(dir, 'openid-configuration'),
    JSON.stringify({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    }),
  );
  const config = parse(await readFile(AUTHENTICATION_EXAMPLE, 'utf8')) as {
    jwt: { issuer: { url: string; audiences: string[]; certificateAuthority?: string } }[];
  };
  const jwt = config.jwt[0];
  if (!jwt || config.jwt.length !== 1)
    throw new Error(`${AUTHENTICATION_EXAMPLE}: expected exactly one jwt authenticator`);
  jwt.issuer.url = issuer;
  jwt.issuer.certificateAuthority = caPem;
  const authenticationConfig = join(dir, 'authentication-config.yaml');
  await writeFile(authenticationConfig, goYaml(config), { mode: 0o600 });
  return { issuer, audience: jwt.issuer.audiences[0] ?? '', keyFile, kid, authenticationConfig };
}

/** GET an API path with the admin token; resolves to [status, body] or rejects on connection errors. */
export function apiGet(server: string, ca: string, token: string, path: string): Promise<[number, string]> {
  return httpsRequest(new URL(path, server), { ca, token });
}

function kubeconfigYaml(server: string, caPem: string, user: string, token: string): string {
  return goYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'polyglot-cd-test',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'polyglot-cd-test', context: { cluster: 'polyglot-cd-test', user, namespace: 'default' } }],
    'current-context': 'polyglot-cd-test',
  });
}

export async function startControlPlane(
  opts: ControlPlaneOptions & { detached?: boolean } = {},
): Promise<ControlPlane> {
  const log = opts.log ?? (() => {});
  const bins = opts.binaries ?? resolveBinaries();
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  const t0 = Date.now();
  const dataDir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'polyglot-cd-kube-'));
  const procs: Spawned[] = [];
  const stopAll = async () => {
    for (const p of [...procs].reverse()) await stopProcess(p);
  };
  const removeData = async () => {
    if (!opts.keepData) await rm(dataDir, { recursive: true, force: true });
  };
  const failIfExited = (what: string) => {
    for (const p of procs) {
      if (p.done)
        throw new Error(`${p.name} exited while waiting for ${what}; last log lines (${p.log}):\n${tail(p.log)}`);
    }
  };
  const waitUntil = async (what: string, check: () => Promise<boolean>) => {
    for (;;) {
      failIfExited(what);
      if (await check().catch(() => false)) return;
      if (Date.now() > deadline) {
        const logs = procs.map((p) => `--- ${p.name} (${p.log})\n${tail(p.log, 15)}`).join('\n');
        throw new Error(`control plane: timed out waiting for ${what}\n${logs}`);
      }
      await sleep(100);
    }
  };

  try {
    const pkiDir = join(dataDir, 'pki');
    await mkdir(pkiDir, { mode: 0o700 });
    const pki = await createPki(pkiDir);
    const tPki = Date.now();

    const adminToken = randomBytes(24).toString('hex');
    const kcmToken = randomBytes(24).toString('hex');
    const schedulerToken = randomBytes(24).toString('hex');
    const tokenFile = join(pkiDir, 'tokens.csv');
    await writeFile(
      tokenFile,
      `${adminToken},polyglot-cd-admin,polyglot-cd-admin,"system:masters"\n` +
        `${kcmToken},system:kube-controller-manager,system:kube-controller-manager,"system:masters"\n` +
        // The scheduler's own user: the bootstrap RBAC policy grants system:kube-scheduler what it needs.
        `${schedulerToken},system:kube-scheduler,system:kube-scheduler\n`,
      { mode: 0o600 },
    );

    const withScheduler = opts.scheduler ?? true;
    const [etcdClient, etcdPeer, apiPort, schedulerPort, oidcPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const githubOidc = await prepareGithubOidc(pkiDir, oidcPort, await readFile(pki.caCert, 'utf8'));
    procs.push(
      startProcess(
        'oidc-issuer',
        process.execPath,
        [ISSUER_SCRIPT, String(oidcPort), pki.serverCert, pki.serverKey, join(pkiDir, 'oidc')],
        dataDir,
        {
          detached: opts.detached ?? false,
        },
      ),
    );
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    procs.push(
      startProcess(
        'etcd',
        bins.etcd,
        [
          '--name=default',
          `--data-dir=${join(dataDir, 'etcd')}`,
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=default=${peerUrl}`,
          // Throwaway data: no fsync (much faster on slow disks; a crash loses nothing we keep).
          '--unsafe-no-fsync=true',
          '--log-level=warn',
        ],
        dataDir,
        { detached: opts.detached ?? false },
      ),
    );
    await waitUntil('etcd', async () => {
      const res = await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    });
    const tEtcd = Date.now();

    await waitUntil(
      'the OIDC issuer',
      async () =>
        (
          await httpsRequest(`${githubOidc.issuer}/.well-known/openid-configuration`, {
            ca: await readFile(pki.caCert, 'utf8'),
          })
        )[0] === 200,
    );
    const server = `https://127.0.0.1:${apiPort}`;
    procs.push(
      startProcess(
        'kube-apiserver',
        bins.kubeApiserver,
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          `--cert-dir=${join(dataDir, 'apiserver')}`,
          `--tls-cert-file=${pki.serverCert}`,
          `--tls-private-key-file=${pki.serverKey}`,
          `--client-ca-file=${pki.caCert}`,
          `--token-auth-file=${tokenFile}`,
          // keyless cluster access: GitHub Actions' issuer (a local stand-in) with the claim rules of
          // examples/rbac/github-oidc-authentication.yaml
          `--authentication-config=${githubOidc.authenticationConfig}`,
          // Node: kubelets (client cert CN system:node:<name>, O system:nodes) get exactly their node's rights.
          '--authorization-mode=Node,RBAC',
          // The default plugins, plus NodeRestriction (as kubeadm): a kubelet may only edit its own Node and pods.
          '--enable-admission-plugins=NodeRestriction',
          `--service-account-key-file=${pki.saPub}`,
          `--service-account-signing-key-file=${pki.saKey}`,
          `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
          `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
          `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
          // How the API server reaches kubelets (logs, exec, port-forward); kubelets' serving certs come
          // from the same CA, but it is not pinned (no --kubelet-certificate-authority).
          `--kubelet-client-certificate=${pki.kubeletClientCert}`,
          `--kubelet-client-key=${pki.kubeletClientKey}`,
          // 127.0.0.1 is not a valid Endpoints address: don't publish the `kubernetes` Service endpoints.
          '--endpoint-reconciler-type=none',
          // a node's Hostname would be resolved through the machine's DNS: dial the InternalIP only
          '--kubelet-preferred-address-types=InternalIP',
          '--allow-privileged=true',
          '--profiling=false',
        ],
        dataDir,
        { detached: opts.detached ?? false },
      ),
    );
    const caPem = await readFile(pki.caCert, 'utf8');
    await waitUntil(
      'kube-apiserver /readyz',
      async () => (await apiGet(server, caPem, adminToken, '/readyz'))[0] === 200,
    );
    const tApi = Date.now();

    const kubeconfig = join(dataDir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml(server, caPem, 'polyglot-cd-admin', adminToken), { mode: 0o600 });
    const kcmKubeconfig = join(pkiDir, 'kube-controller-manager.kubeconfig');
    await writeFile(kcmKubeconfig, kubeconfigYaml(server, caPem, 'system:kube-controller-manager', kcmToken), {
      mode: 0o600,
    });
    procs.push(
      startProcess(
        'kube-controller-manager',
        bins.kubeControllerManager,
        [
          `--kubeconfig=${kcmKubeconfig}`,
          '--leader-elect=false',
          '--secure-port=0',
          `--service-account-private-key-file=${pki.saKey}`,
          `--root-ca-file=${pki.caCert}`,
          `--cluster-signing-cert-file=${pki.caCert}`,
          `--cluster-signing-key-file=${pki.caKey}`,
          '--use-service-account-credentials=false',
          // The suites create namespaces by the hundred: at the default client rate (20/s, burst 30) the
          // default ServiceAccount of a new namespace can take minutes, and pods cannot be created
          // before it exists.
          '--kube-api-qps=200',
          '--kube-api-burst=400',
        ],
        dataDir,
        { detached: opts.detached ?? false },
      ),
    );
    let schedulerReady: Promise<number> = Promise.resolve(Date.now());
    if (withScheduler) {
      const schedKubeconfig = join(pkiDir, 'kube-scheduler.kubeconfig');
      await writeFile(schedKubeconfig, kubeconfigYaml(server, caPem, 'system:kube-scheduler', schedulerToken), {
        mode: 0o600,
      });
      procs.push(
        startProcess(
          'kube-scheduler',
          bins.kubeScheduler,
          [
            // No --authentication-/--authorization-kubeconfig: its port serves only /readyz (always
            // allowed) here, and delegated authn would complain forever about the missing front-proxy CA.
            `--kubeconfig=${schedKubeconfig}`,
            '--leader-elect=false',
            '--bind-address=127.0.0.1',
            `--secure-port=${schedulerPort}`,
            `--cert-dir=${join(dataDir, 'kube-scheduler')}`,
            '--profiling=false',
          ],
          dataDir,
          { detached: opts.detached ?? false },
        ),
      );
      // /readyz is always allowed without credentials; the scheduler serves a self-signed certificate.
      schedulerReady = waitUntil(
        'kube-scheduler /readyz',
        async () => (await httpsRequest(`https://127.0.0.1:${schedulerPort}/readyz`, { insecure: true }))[0] === 200,
      ).then(() => Date.now());
    }
    // The controller manager is working once the `default` ServiceAccount exists (serviceaccount
    // controller) and the namespace has the kube-root-ca.crt ConfigMap (root-ca-cert-publisher): a pod's
    // projected service-account volume needs both.
    const kcmReady = waitUntil('kube-controller-manager (default ServiceAccount, kube-root-ca.crt)', async () => {
      const [sa] = await apiGet(server, caPem, adminToken, '/api/v1/namespaces/default/serviceaccounts/default');
      const [cm] = await apiGet(server, caPem, adminToken, '/api/v1/namespaces/default/configmaps/kube-root-ca.crt');
      return sa === 200 && cm === 200;
    }).then(() => Date.now());
    const [tKcm, tSched] = await Promise.all([kcmReady, schedulerReady]);
    const tEnd = Math.max(tKcm, tSched);

    const info: ControlPlaneInfo = {
      dataDir,
      version: KUBE_VERSION,
      server,
      kubeconfig,
      caCert: pki.caCert,
      caKey: pki.caKey,
      token: adminToken,
      serviceClusterIpRange: SERVICE_CLUSTER_IP_RANGE,
      githubOidc,
      processes: procs.map((p) => ({ name: p.name, pid: p.child.pid ?? -1, log: p.log })),
      timings: {
        pki: tPki - t0,
        etcd: tEtcd - tPki,
        apiserverReady: tApi - tEtcd,
        controllerManagerReady: tKcm - tApi,
        schedulerReady: withScheduler ? tSched - tApi : 0,
        total: tEnd - t0,
      },
    };
    log(`control plane ${KUBE_VERSION} ready in ${info.timings.total} ms at ${server} (kubeconfig ${kubeconfig})`);
    let stopped: Promise<void> | undefined;
    return {
      ...info,
      stop: () => (stopped ??= stopAll().then(removeData)),
    };
  } catch (err) {
    await stopAll();
    if (!opts.keepData) {
      // Keep the logs of a failed start next to the error message's paths only when asked to.
      await removeData();
    }
    throw err;
  }
}
