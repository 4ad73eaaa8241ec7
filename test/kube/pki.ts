// A throwaway PKI for one control plane: a CA, the API server's serving certificate, and the
// service-account signing key. Certificates come from the openssl CLI (Node can't issue X.509).
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  saKey: string;
  saPub: string;
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
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
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

export async function createPki(dir: string): Promise<Pki> {
  const p = (f: string) => join(dir, f);
  const pki: Pki = {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  await writeFile(p('openssl.cnf'), OPENSSL_CNF);
  const common = ['-config', p('openssl.cnf'), '-days', '7', '-set_serial', `0x${randomBytes(8).toString('hex')}`];
  await openssl(['req', '-x509', ...EC, '-keyout', pki.caKey, '-out', pki.caCert, '-subj', '/CN=polyglot-cd-test-ca', '-extensions', 'v3_ca', ...common]);
  await openssl(['req', ...EC, '-keyout', pki.serverKey, '-out', pki.serverCert, '-subj', '/CN=kube-apiserver', '-CA', pki.caCert, '-CAkey', pki.caKey, '-extensions', 'v3_server', ...common]);
  const sa = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(pki.saKey, sa.privateKey, { mode: 0o600 });
  await writeFile(pki.saPub, sa.publicKey);
  return pki;
}
