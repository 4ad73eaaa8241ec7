import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunnerProtocol, InputError, MemoryLogger, Secrets } from '@polyglot-cd/action-kit';
import {
  cleanupKubeconfig,
  inspectKubeconfig,
  KUBECONFIG_STATE,
  loadInCluster,
  loadKubeconfig,
  parseKubeconfigText,
  rememberKubeconfig,
  removeKubeconfigFile,
  writeKubeconfigFile,
} from '@polyglot-cd/kube';
import { parseFileCommands } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';

const TOKEN = canary('kubeconfig token');
const OTHER_TOKEN = canary('kubeconfig token of another user');
const ID_TOKEN = canary('auth-provider id-token');
const KEY_PEM =
  '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPrivateKeyMaterialLine1xxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END EC PRIVATE KEY-----\n';
const CERT_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBcertificateMaterialLine1yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

type User = Record<string, unknown>;
function doc(
  user: User,
  opts: {
    server?: string;
    current?: string | null;
    cluster?: Record<string, unknown>;
    extraUsers?: { name: string; user: User }[];
  } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'c1',
        cluster: {
          server: opts.server ?? 'https://api.example.test:6443',
          'certificate-authority-data': b64(CERT_PEM),
          ...opts.cluster,
        },
      },
    ],
    users: [{ name: 'u1', user }, ...(opts.extraUsers ?? [])],
    contexts: [
      { name: 'ctx1', context: { cluster: 'c1', user: 'u1' } },
      { name: 'ctx2', context: { cluster: 'c1', user: 'nobody' } },
    ],
    ...(opts.current === null ? {} : { 'current-context': opts.current ?? 'ctx1' }),
  };
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('inspectKubeconfig', () => {
  const policy = { allowExecAuth: false };

  it('token user: context, server, host, secrets', () => {
    const f = inspectKubeconfig(doc({ token: TOKEN }), policy);
    expect(f).toMatchObject({
      context: 'ctx1',
      cluster: 'c1',
      user: 'u1',
      server: 'https://api.example.test:6443',
      host: 'api.example.test:6443',
      authMethod: 'token',
      warnings: [],
    });
    expect(f.secretValues).toEqual([TOKEN]);
  });

  it('client certificate: both the base64 and the decoded PEM are secrets', () => {
    const f = inspectKubeconfig(
      doc({ 'client-certificate-data': b64(CERT_PEM), 'client-key-data': b64(KEY_PEM) }),
      policy,
    );
    expect(f.authMethod).toBe('client-certificate');
    expect(f.secretValues).toEqual(expect.arrayContaining([b64(KEY_PEM), KEY_PEM, b64(CERT_PEM), CERT_PEM]));
  });

  it('registers credentials of users other than the current one too', () => {
    const f = inspectKubeconfig(
      doc({ token: TOKEN }, { extraUsers: [{ name: 'other', user: { token: OTHER_TOKEN } }] }),
      policy,
    );
    expect(f.secretValues).toContain(OTHER_TOKEN);
  });

  it('uses the only context when current-context is not set, and refuses ambiguity', () => {
    const one = {
      ...doc({ token: TOKEN }, { current: null }),
      contexts: [{ name: 'only', context: { cluster: 'c1', user: 'u1' } }],
    };
    expect(inspectKubeconfig(one, policy).context).toBe('only');
    expect(inputError(() => inspectKubeconfig(doc({ token: TOKEN }, { current: null }), policy)).message).toMatch(
      /no current-context .* 2 contexts \(ctx1, ctx2\)/,
    );
  });

  it('an explicit context wins', () => {
    expect(inputError(() => inspectKubeconfig(doc({ token: TOKEN }), { ...policy, context: 'ctx2' })).message).toMatch(
      /user "nobody", which does not exist; refusing an unauthenticated/,
    );
    expect(inputError(() => inspectKubeconfig(doc({ token: TOKEN }), { ...policy, context: 'nope' })).message).toMatch(
      /context "nope" does not exist/,
    );
  });

  it('reports insecure-skip-tls-verify', () => {
    const f = inspectKubeconfig(doc({ token: TOKEN }, { cluster: { 'insecure-skip-tls-verify': true } }), policy);
    expect(f.warnings[0]).toMatch(/insecure-skip-tls-verify/);
  });

  it.each<[string, unknown, RegExp]>([
    ['not a mapping', 'just text', /expected a kubeconfig/],
    ['another kind', { kind: 'Pod' }, /expected kind: Config/],
    [
      'exec plugin',
      doc({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws', args: ['eks', 'get-token'] } }),
      /exec credential plugin.*allow-exec-auth: true/,
    ],
    [
      'exec plugin on an unused user',
      doc({ token: TOKEN }, { extraUsers: [{ name: 'evil', user: { exec: { command: 'sh' } } }] }),
      /user "evil" has an exec/,
    ],
    ['auth-provider', doc({ 'auth-provider': { name: 'oidc', config: {} } }), /auth-provider.*allow-exec-auth/],
    [
      'token-file (would send a runner file to the server)',
      doc({ 'token-file': '/etc/shadow' }),
      /references a file \(token-file\)/,
    ],
    [
      'client-key file',
      doc({ 'client-certificate-data': b64(CERT_PEM), 'client-key': '/root/.ssh/id_rsa' }),
      /client-key/,
    ],
    ['no credentials at all', doc({}), /no credentials .* refusing an unauthenticated connection/],
    ['username without password', doc({ username: 'admin' }), /no credentials/],
    [
      'plain http to a remote host',
      doc({ token: TOKEN }, { server: 'http://api.example.test:8080' }),
      /plain http .* Use https/,
    ],
    [
      'server with credentials in the URL',
      doc({ token: TOKEN }, { server: 'https://a:b@api.example.test' }),
      /must not contain credentials/,
    ],
    ['no server', doc({ token: TOKEN }, { server: '' }), /no valid server URL/],
    ['unnamed user', { ...doc({ token: TOKEN }), users: [{ user: { token: TOKEN } }] }, /users\[0\] has no name/],
    ['clusters not a list', { ...doc({ token: TOKEN }), clusters: { c1: {} } }, /"clusters" must be a list/],
  ])('refuses: %s', (_t, d, re) => {
    const e = inputError(() => inspectKubeconfig(d, policy));
    expect(e.message).toMatch(re);
    expect(e.input).toBe('kubeconfig');
    expect(e.message).not.toContain(TOKEN);
  });

  it('allows exec / auth-provider when asked', () => {
    expect(inspectKubeconfig(doc({ exec: { command: 'aws' } }), { allowExecAuth: true }).authMethod).toBe('exec');
    const ap = inspectKubeconfig(doc({ 'auth-provider': { name: 'oidc', config: { 'id-token': ID_TOKEN } } }), {
      allowExecAuth: true,
    });
    expect(ap.authMethod).toBe('auth-provider');
    expect(ap.secretValues).toContain(ID_TOKEN);
  });

  it('plain http to loopback is allowed (local clusters)', () => {
    expect(inspectKubeconfig(doc({ token: TOKEN }, { server: 'http://127.0.0.1:8080' }), policy).host).toBe(
      '127.0.0.1:8080',
    );
  });

  it('names the input it was given', () => {
    expect(
      inputError(() => inspectKubeconfig({}, { allowExecAuth: false, inputName: 'cluster-config' })).message,
    ).toMatch(/^Input "cluster-config"/);
  });
});

describe('parseKubeconfigText: the yaml parser', () => {
  it('names the 1-based line of the error', async () => {
    const err = await parseKubeconfigText('apiVersion: v1\nkind: Config\nusers:\n  - name: u\n   bad: [\n').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^Input "kubeconfig" is not valid YAML \(line 5\)/);
  });

  it('refuses an alias bomb, worded as the expansion check words it', async () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const err = await parseKubeconfigText(
      `x-bomb:\n${lines.join('\n').replace(/^/gm, '  ')}\n`,
      'cluster-config',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^Input "cluster-config" expands to more than 100000 YAML values through its aliases \(\*name\): refused/,
    );
  });

  it('reads `<<` merge keys as client-go does, so a merged exec entry is seen and refused', async () => {
    const text = [
      'x-exec: &exec',
      '  exec: {command: /bin/sh, apiVersion: client.authentication.k8s.io/v1}',
      'clusters: [{name: c, cluster: {server: "https://k8s.example:6443"}}]',
      'users:',
      '- name: u',
      '  user:',
      '    <<: *exec',
      `    token: ${TOKEN}`,
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n');
    const parsed = (await parseKubeconfigText(text)) as { users: { user: Record<string, unknown> }[] };
    expect(Object.keys(parsed.users[0]?.user ?? {}).sort()).toEqual(['exec', 'token']);
    expect(() => inspectKubeconfig(parsed, { allowExecAuth: false })).toThrow(/exec credential plugin/);
  });

  it('keeps YAML 1.2 core scalars: `yes` and `on` are strings, 0o17 is octal, a date stays text', async () => {
    expect(await parseKubeconfigText('a: yes\nb: on\nc: 0o17\nd: 2001-12-14\n')).toEqual({
      a: 'yes',
      b: 'on',
      c: 15,
      d: '2001-12-14',
    });
  });
});

describe('parseKubeconfigText / loadKubeconfig', () => {
  it('a YAML error names the line, never the content', async () => {
    const text = `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${TOKEN}\n  : : bad: [\n`;
    const err = await parseKubeconfigText(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/not valid YAML \(line \d+\)/);
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('registers secrets and selects the context', async () => {
    const masked: string[] = [];
    const secrets = new Secrets((v) => masked.push(v));
    const text = JSON.stringify(doc({ 'client-certificate-data': b64(CERT_PEM), 'client-key-data': b64(KEY_PEM) }));
    const access = await loadKubeconfig(text, { allowExecAuth: false, secrets });
    expect(access).toMatchObject({
      source: 'kubeconfig',
      host: 'api.example.test:6443',
      context: 'ctx1',
      authMethod: 'client-certificate',
    });
    expect(access.kubeConfig.getCurrentCluster()?.server).toBe('https://api.example.test:6443');
    expect(secrets.redact(`key ${b64(KEY_PEM)} and ${KEY_PEM}`)).not.toMatch(/PrivateKeyMaterial|LS0t/);
    expect(masked.some((m) => m.includes('PrivateKeyMaterialLine1'))).toBe(true);
  });
});

describe('loadInCluster', () => {
  function saDir(files: Record<string, string>): string {
    const prefix = mkdtempSync(join(tmpdir(), 'pcd-sa-'));
    const dir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v);
    return prefix;
  }

  it('builds the cluster from the env and the token file, and masks the token', async () => {
    const prefix = saDir({ token: `${TOKEN}\n`, 'ca.crt': CERT_PEM });
    const secrets = new Secrets();
    const a = await loadInCluster({
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      secrets,
      pathPrefix: prefix,
    });
    expect(a).toMatchObject({
      source: 'in-cluster',
      server: 'https://10.96.0.1:443',
      host: '10.96.0.1',
      authMethod: 'service-account',
    });
    expect(secrets.has(TOKEN)).toBe(true);
    const ipv6 = await loadInCluster({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' },
      secrets,
      pathPrefix: prefix,
    });
    expect(ipv6.server).toBe('https://[fd00::1]:6443');
  });

  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    ['not in a pod', {}, { token: TOKEN, 'ca.crt': CERT_PEM }, /not a pod in a cluster/],
    [
      'no token mounted',
      { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      {},
      /no service-account token mounted/,
    ],
    [
      'empty token',
      { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
      { token: '\n', 'ca.crt': CERT_PEM },
      /is empty/,
    ],
  ])('refuses: %s', async (_t, env, files, re) => {
    const err = await loadInCluster({ env, secrets: new Secrets(), pathPrefix: saDir(files) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(re);
  });
});

describe('kubeconfig file under RUNNER_TEMP', () => {
  it('is 0600 in a 0700 directory, complete, and removed by the post step through the state', () => {
    const temp = mkdtempSync(join(tmpdir(), 'pcd-rt-'));
    const path = writeKubeconfigFile('apiVersion: v1\nkind: Config\n', temp);
    expect(path.startsWith(temp)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path, 'utf8')).toBe('apiVersion: v1\nkind: Config\n');
    expect(readdirSync(join(path, '..'))).toEqual(['kubeconfig']);

    // main step saves the path; the runner hands it to the post step as STATE_<name>
    const stateFile = join(temp, 'state');
    writeFileSync(stateFile, '');
    rememberKubeconfig(createRunnerProtocol({ env: { GITHUB_STATE: stateFile }, out: () => {} }), path);
    const state = parseFileCommands(readFileSync(stateFile, 'utf8'));
    expect(state[KUBECONFIG_STATE]).toBe(path);
    const log = new MemoryLogger();
    cleanupKubeconfig(
      createRunnerProtocol({ env: { RUNNER_TEMP: temp, [`STATE_${KUBECONFIG_STATE}`]: path }, out: () => {} }),
      log,
    );
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(path, '..'))).toBe(false);
    expect(log.text()).toMatch(/Removed the kubeconfig/);
    // idempotent: a second post run (or a missing file) is fine
    cleanupKubeconfig(
      createRunnerProtocol({ env: { RUNNER_TEMP: temp, [`STATE_${KUBECONFIG_STATE}`]: path }, out: () => {} }),
      log,
    );
    cleanupKubeconfig(createRunnerProtocol({ env: { RUNNER_TEMP: temp }, out: () => {} }), log);
  });

  it('each write gets its own directory', () => {
    const temp = mkdtempSync(join(tmpdir(), 'pcd-rt-'));
    expect(writeKubeconfigFile('a', temp)).not.toBe(writeKubeconfigFile('b', temp));
  });

  it('refuses to write without RUNNER_TEMP', () => {
    expect(() => writeKubeconfigFile('x', undefined)).toThrow(/RUNNER_TEMP/);
    expect(() => writeKubeconfigFile('x', 'relative/dir')).toThrow(/RUNNER_TEMP/);
  });

  it('removes only files it could have written', () => {
    const temp = mkdtempSync(join(tmpdir(), 'pcd-rt-'));
    const victim = join(temp, 'important');
    writeFileSync(victim, 'x');
    const other = mkdtempSync(join(tmpdir(), 'polyglot-cd-kube-'));
    writeFileSync(join(other, 'kubeconfig'), 'x');
    expect(removeKubeconfigFile(victim, temp)).toBe(false);
    expect(removeKubeconfigFile(join(other, 'kubeconfig'), temp)).toBe(false); // not under RUNNER_TEMP
    expect(removeKubeconfigFile(join(temp, '..', 'etc', 'kubeconfig'), temp)).toBe(false);
    expect(existsSync(victim) && existsSync(join(other, 'kubeconfig'))).toBe(true);
  });
});
