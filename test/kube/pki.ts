// A throwaway PKI for one control plane: a CA, the API server's serving certificate, its client
// certificate for kubelets, and the service-account signing key. Certificates come from the openssl CLI
// (Node can't issue X.509). issueCert() signs more certificates with the same CA, e.g. a kubelet's
// serving and client certificates.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The API server's --service-cluster-ip-range. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';
/** The ClusterIP of the `kubernetes` Service: the range's first address, a SAN of the serving cert. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** The API server's client certificate for kubelets (CN kube-apiserver-kubelet-client, O system:masters). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  saKey: string;
  saPub: string;
}

/** What issueCert() signs. Matches node.ts's CertRequest, so `certIssuer(pki)` is its CertIssuer. */
export interface CertRequest {
  /** File base name, e.g. `kubelet-client` → <dir>/kubelet-client.crt and .key */
  name: string;
  /** Subject CN: the user name for a client certificate (e.g. system:node:<name>). */
  cn: string;
  /** Subject O entries: the groups for a client certificate (e.g. system:nodes). */
  organizations?: string[];
  /** IP subjectAltNames. */
  ips?: string[];
  /** DNS subjectAltNames. */
  dns?: string[];
  /** extendedKeyUsage: serverAuth or clientAuth. */
  usage: 'client' | 'server';
}

export interface IssuedCert {
  cert: string;
  key: string;
}

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
`;

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${(e.stderr || e.message).trim()}`, { cause: err });
  }
}

const serial = () => `0x${randomBytes(8).toString('hex')}`;

/** A subject for `openssl -subj`: O entries then CN; `/`, `+`, `=` and `\` escaped. */
function subject(cn: string, organizations: string[] = []): string {
  const esc = (v: string) => v.replace(/[\\/+=]/g, (c) => `\\${c}`);
  return `/${organizations.map((o) => `O=${esc(o)}/`).join('')}CN=${esc(cn)}`;
}

/**
 * Issues a leaf certificate (P-256 key, 7 days) signed by the CA into `dir`: <name>.crt and <name>.key
 * in the (private) directory `dir`. Works for any CA cert/key pair, e.g. ControlPlaneInfo's caCert and caKey.
 */
export async function issueCert(
  ca: { caCert: string; caKey: string },
  req: CertRequest,
  dir: string,
): Promise<IssuedCert> {
  if (!/^[A-Za-z0-9._-]+$/.test(req.name)) throw new Error(`issueCert: bad file name ${JSON.stringify(req.name)}`);
  const cert = join(dir, `${req.name}.crt`);
  const key = join(dir, `${req.name}.key`);
  const cnf = join(dir, `${req.name}.cnf`);
  const sans = [...(req.ips ?? []).map((i) => `IP:${i}`), ...(req.dns ?? []).map((d) => `DNS:${d}`)];
  const ext = [
    '[leaf]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage = ${req.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    'authorityKeyIdentifier = keyid',
    ...(sans.length > 0 ? [`subjectAltName = ${sans.join(',')}`] : []),
  ].join('\n');
  await writeFile(cnf, `${OPENSSL_CNF}${ext}\n`);
  try {
    await openssl([
      'req',
      '-x509',
      ...EC,
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      subject(req.cn, req.organizations),
      '-CA',
      ca.caCert,
      '-CAkey',
      ca.caKey,
      '-config',
      cnf,
      '-extensions',
      'leaf',
      '-days',
      '7',
      '-set_serial',
      serial(),
    ]);
  } finally {
    await rm(cnf, { force: true });
  }
  return { cert, key };
}

/** issueCert bound to a CA: the shape of node.ts's CertIssuer. */
export function certIssuer(ca: {
  caCert: string;
  caKey: string;
}): (req: CertRequest, dir: string) => Promise<IssuedCert> {
  return (req, dir) => issueCert(ca, req, dir);
}

export async function createPki(dir: string): Promise<Pki> {
  const p = (f: string) => join(dir, f);
  const pki: Pki = {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    kubeletClientCert: p('apiserver-kubelet-client.crt'),
    kubeletClientKey: p('apiserver-kubelet-client.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  await writeFile(p('openssl.cnf'), OPENSSL_CNF);
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
    '-subj',
    '/CN=polyglot-cd-test-ca',
    '-config',
    p('openssl.cnf'),
    '-extensions',
    'v3_ca',
    '-days',
    '7',
    '-set_serial',
    serial(),
  ]);
  await Promise.all([
    issueCert(
      pki,
      {
        name: 'apiserver',
        cn: 'kube-apiserver',
        usage: 'server',
        ips: ['127.0.0.1', KUBERNETES_SERVICE_IP],
        dns: [
          'localhost',
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          'kubernetes.default.svc.cluster.local',
        ],
      },
      dir,
    ),
    // The API server's identity towards kubelets (logs, exec, port-forward; the kubelet's webhook authz).
    issueCert(
      pki,
      {
        name: 'apiserver-kubelet-client',
        cn: 'kube-apiserver-kubelet-client',
        organizations: ['system:masters'],
        usage: 'client',
      },
      dir,
    ),
  ]);
  const sa = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(pki.saKey, sa.privateKey, { mode: 0o600 });
  await writeFile(pki.saPub, sa.publicKey);
  return pki;
}
