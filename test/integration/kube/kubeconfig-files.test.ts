/**
 * A kubeconfig from an input must not make helm (client-go) or @kubernetes/client-node read a file of
 * this runner or run a program on it. Table test over every field and spelling, checked against the
 * real Helm 4: for each token-file spelling, a local API stand-in records whether helm sent the file's
 * contents as a bearer token, and every spelling helm honours must be one inspectKubeconfig refuses.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { inspectKubeconfig } from '@polyglot-cd/kube';
import { helmBinary } from '../../chart/chart.js';
import { canary } from '../../helpers/canary.js';
import { createCertificates } from '../../registry/registry.js';

const FILE_CONTENT = canary('runner file a kubeconfig names as a token file');
const dir = mkdtempSync(join(tmpdir(), 'pcd-kubeconfig-files-'));
const file = join(dir, 'secret');
writeFileSync(file, FILE_CONTENT);

function kubeconfig(
  server: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  };
}

const inspect = (doc: unknown) => inspectKubeconfig(doc, { allowExecAuth: false });

describe('kubeconfig fields that read a file or run a program are refused, in every spelling', () => {
  const server = 'https://cluster.example:6443';
  it.each([
    ['tokenFile (client-go, helm)', { tokenFile: file }, /user "u" references a file \(tokenFile\)/],
    ['token-file (@kubernetes/client-node)', { 'token-file': file }, /references a file \(token-file\)/],
    ['TokenFile', { TokenFile: file }, /references a file \(TokenFile\)/],
    ['token_file', { token_file: file }, /references a file \(token_file\)/],
    [
      'client-certificate + client-key paths',
      { 'client-certificate': file, 'client-key': file },
      /references a file \(client-certificate\)/,
    ],
    ['clientKey', { token: 'x'.repeat(20), clientKey: file }, /references a file \(clientKey\)/],
    [
      'exec plugin',
      { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: '/bin/sh', args: ['-c', 'id'] } },
      /exec credential plugin, which runs a program/,
    ],
    [
      'Exec',
      { Exec: { command: '/bin/sh' } },
      /user "u" has an exec credential plugin, which runs a program on this runner; refused/,
    ],
    [
      'auth-provider',
      { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } },
      /auth-provider entry; refused/,
    ],
    ['authProvider', { authProvider: { name: 'gcp' } }, /authProvider entry; refused/],
  ])('user %s', (_, user, message) => {
    expect(() => inspect(kubeconfig(server, user))).toThrow(InputError);
    expect(() => inspect(kubeconfig(server, user))).toThrow(message);
  });

  it.each([
    ['certificate-authority', { 'certificate-authority': file }],
    ['certificateAuthority', { certificateAuthority: file }],
  ])('cluster %s (a CA file of the runner)', (key, cluster) => {
    expect(() => inspect(kubeconfig(server, { token: 'x'.repeat(20) }, cluster))).toThrow(
      `cluster "c" references a file (${key}); embed the CA instead (certificate-authority-data)`,
    );
  });

  it('embedded credentials pass', () => {
    expect(
      inspect(
        kubeconfig(
          server,
          { token: 'x'.repeat(20) },
          { 'certificate-authority-data': Buffer.from('pem').toString('base64') },
        ),
      ).authMethod,
    ).toBe('token');
  });
});

describe('real helm: which token-file spellings it reads (each must be refused above)', () => {
  let api: Server;
  let url = '';
  let caData = '';
  const seen: string[] = [];

  // HTTPS: client-go sends no credentials at all to a plain-http server
  beforeAll(async () => {
    const tls = await createCertificates(mkdtempSync(join(tmpdir(), 'pcd-kubeconfig-tls-')));
    caData = readFileSync(tls.caFile).toString('base64');
    api = createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, (req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => api.close(() => r())));

  it.each(['tokenFile', 'token-file', 'TokenFile', 'token_file'])('%s', async (key) => {
    const path = join(dir, `${key}.kubeconfig`);
    writeFileSync(path, JSON.stringify(kubeconfig(url, { [key]: file }, { 'certificate-authority-data': caData })), {
      mode: 0o600,
    });
    seen.length = 0;
    await promisify(execFile)(helmBinary(), ['list', '--kubeconfig', path], {
      env: { PATH: process.env.PATH ?? '', HOME: dir },
      timeout: 30_000,
    }).catch(() => undefined);
    expect(seen.length).toBeGreaterThan(0); // helm did reach the stand-in
    const readsTheFile = seen.some((h) => h === `Bearer ${FILE_CONTENT}`);
    // recorded with Helm 4.2.4 (client-go v0.35): only `tokenFile` is read; the others are ignored
    expect(readsTheFile).toBe(key === 'tokenFile');
    // whatever helm does with it, the inspector refuses every spelling
    expect(() => inspect(kubeconfig(url, { [key]: file }))).toThrow(/references a file/);
  });
});
