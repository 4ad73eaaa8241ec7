import { describe, expect, it } from 'vitest';
import { createRunnerProtocol, InputError, Inputs, Secrets } from '@polyglot-cd/action-kit';
import {
  EXEC_CREDENTIAL_FLAG,
  execCredential,
  githubOidcKubeconfigText,
  isPemCertificates,
  readGithubOidcInputs,
  runExecCredential,
  selfPlugin,
} from '@polyglot-cd/kube/github-oidc';
import { inspectKubeconfig } from '@polyglot-cd/kube';
import type { HttpRequest } from '@polyglot-cd/tools/http';
import { canary } from '../../helpers/canary.js';

const CA =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FUZXN0Q0FGb3JQb2x5Z2xvdENkMAoGCCqGSM49BAMC\n-----END CERTIFICATE-----\n';

function read(values: Record<string, string>, other = { kubeconfig: false, inCluster: false }) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) env[`INPUT_${k.toUpperCase()}`] = v;
  return readGithubOidcInputs(new Inputs(createRunnerProtocol({ env, out: () => {} }), new Secrets()), other);
}

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.${Buffer.from(canary('jwt signature')).toString('base64url')}`;
}

describe('readGithubOidcInputs', () => {
  it('reads the audience, the server (normalised to its origin) and the CA', () => {
    expect(
      read({
        'cluster-oidc-audience': 'polyglot-cd',
        'cluster-server': 'https://k8s.example.internal:6443/',
        'cluster-ca': CA,
      }),
    ).toEqual({
      audience: 'polyglot-cd',
      server: 'https://k8s.example.internal:6443',
      caPem: CA.trim(),
    });
    expect(read({})).toBeUndefined();
  });

  it.each([
    [{ 'cluster-oidc-audience': 'polyglot-cd' }, /Input "cluster-server" is required/],
    [
      { 'cluster-oidc-audience': 'polyglot-cd', 'cluster-server': 'http://k8s:6443' },
      /Input "cluster-server" has an invalid value "http:\/\/k8s:6443": expected https/,
    ],
    [
      { 'cluster-oidc-audience': 'polyglot-cd', 'cluster-server': 'https://u:p@k8s:6443' },
      /Input "cluster-server" has an invalid value/,
    ],
    [
      { 'cluster-oidc-audience': 'polyglot-cd', 'cluster-server': 'https://k8s:6443/api?x=1' },
      /Input "cluster-server" has an invalid value/,
    ],
    [
      { 'cluster-oidc-audience': 'polyglot-cd', 'cluster-server': '--kubeconfig=/tmp/x' },
      /Input "cluster-server" has an invalid value/,
    ],
    [
      { 'cluster-oidc-audience': 'two words', 'cluster-server': 'https://k8s:6443' },
      /Input "cluster-oidc-audience" has an invalid value "two words"/,
    ],
    [
      {
        'cluster-oidc-audience': 'polyglot-cd',
        'cluster-server': 'https://k8s:6443',
        'cluster-ca': 'not a certificate',
      },
      /Input "cluster-ca" has an invalid value/,
    ],
    [
      {
        'cluster-oidc-audience': 'polyglot-cd',
        'cluster-server': 'https://k8s:6443',
        'cluster-ca': `${CA}-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----\n`,
      },
      /Input "cluster-ca" has an invalid value/,
    ],
    [
      { 'cluster-server': 'https://k8s:6443' },
      /Input "cluster-server" has an invalid value "https:\/\/k8s:6443": only used with cluster-oidc-audience/,
    ],
    [
      { 'cluster-ca': CA },
      /Input "cluster-ca" has an invalid value "\(certificate\)": only used with cluster-oidc-audience/,
    ],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(InputError);
    expect(() => read(values)).toThrow(message);
  });

  it('is one way of access: not with a kubeconfig or in-cluster', () => {
    const v = { 'cluster-oidc-audience': 'polyglot-cd', 'cluster-server': 'https://k8s:6443' };
    expect(() => read(v, { kubeconfig: true, inCluster: false })).toThrow(/either kubeconfig or cluster-oidc-audience/);
    expect(() => read(v, { kubeconfig: false, inCluster: true })).toThrow(
      /either in-cluster: true or cluster-oidc-audience/,
    );
  });

  it('accepts a bundle of CA certificates, nothing else', () => {
    expect(isPemCertificates(`${CA}${CA}`)).toBe(true);
    expect(isPemCertificates(`junk\n${CA}`)).toBe(false);
    expect(isPemCertificates('')).toBe(false);
  });
});

describe('the kubeconfig of keyless access', () => {
  const i = { audience: 'polyglot-cd', server: 'https://k8s:6443', caPem: CA.trim() };
  const plugin = selfPlugin('polyglot-cd', '/runner/_actions/org/polyglot-cd/v1/dist/helm-deploy/index.js');

  it('holds no credential: its user runs this bundle as an exec plugin for a fresh token', () => {
    const doc = JSON.parse(githubOidcKubeconfigText(i, plugin));
    expect(doc.users[0].user).toEqual({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: ['/runner/_actions/org/polyglot-cd/v1/dist/helm-deploy/index.js', EXEC_CREDENTIAL_FLAG, 'polyglot-cd'],
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
    });
    expect(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(
      `${CA.trim()}\n`,
    );
    // the same file given as a kubeconfig input would be refused: exec entries come only from here
    expect(() => inspectKubeconfig(doc, { allowExecAuth: false })).toThrow(/exec/);
  });

  it("leaves out the CA for the runner's trust store", () => {
    expect(JSON.parse(githubOidcKubeconfigText({ ...i, caPem: '' }, plugin)).clusters[0].cluster).toEqual({
      server: 'https://k8s:6443',
    });
  });
});

describe('the credential plugin (bundle run with --polyglot-cd-exec-credential)', () => {
  it('expires the credential 30 s before a five-minute token, a quarter of the rest for short ones', () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 0);
    const exp = now / 1000 + 300;
    expect(JSON.parse(execCredential('t', exp, now))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 't', expirationTimestamp: '2026-12-02T12:04:30Z' },
    });
    expect(JSON.parse(execCredential('t', now / 1000 + 12, now)).status.expirationTimestamp).toBe(
      '2026-12-02T12:00:09Z',
    );
    expect(JSON.parse(execCredential('t', undefined, now)).status).toEqual({ token: 't' });
  });

  it("asks the runner's token service for the audience and prints the ExecCredential", async () => {
    const requestToken = canary('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    const idToken = jwt({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:o/r:environment:production',
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    const requests: HttpRequest[] = [];
    let out = '';
    let err = '';
    const code = await runExecCredential(['polyglot-cd'], {
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/_apis/token?api-version=2.0',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      },
      out: (s) => (out += s),
      err: (s) => (err += s),
      send: async (req) => {
        requests.push(req);
        return { status: 200, headers: {}, body: JSON.stringify({ value: idToken }) };
      },
    });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(requests[0]?.url.searchParams.get('audience')).toBe('polyglot-cd');
    expect(requests[0]?.headers?.['authorization']).toBe(`Bearer ${requestToken}`);
    expect(JSON.parse(out).status.token).toBe(idToken);
  });

  it('fails without a token (no id-token: write) and never prints the request token', async () => {
    const requestToken = canary('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
    expect(await runExecCredential(['polyglot-cd'], { env: {}, ...io })).toBe(1);
    expect(err).toContain('id-token: write');
    const code = await runExecCredential(['polyglot-cd'], {
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/_apis/token',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      },
      ...io,
      send: async () => ({ status: 403, headers: {}, body: `forbidden for ${requestToken}` }),
    });
    expect(code).toBe(1);
    expect(err).toContain('HTTP 403');
    expect(err).not.toContain(requestToken);
    expect(out).toBe('');
    expect(await runExecCredential([], { env: {}, ...io })).toBe(2);
  });
});
