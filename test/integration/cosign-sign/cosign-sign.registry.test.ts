/**
 * cosign-sign end to end: the committed bundle (dist/cosign-sign/index.js) under Node 24, against the
 * real local registries (test/registry: Debian docker-registry, plain and TLS + basic auth + private
 * CA) holding an image copied there with skopeo, a real local HTTP server as the job's OIDC token
 * service, and the fake cosign (test/fakes/cosign.ts) replaying recorded real cosign output. The
 * retry tests run main() in-process with a virtual clock, so a 10-minute outage takes no time.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../actions/cosign-sign/src/main.js';
import { runBundle, runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { canary, registerSecret } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';
import { actionsJwt, fakeCosign, type FakeCosign } from '../../fakes/fake-cosign.js';
import { copyImage, registryInfo, uniqueRepo } from '../../registry/harness.js';

const ISSUER = 'https://token.actions.githubusercontent.com';
const DIRECT = 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main';
const REUSABLE = 'org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1';
const REQUEST_TOKEN = canary('ACTIONS_ID_TOKEN_REQUEST_TOKEN');

let oidc: ScriptedServer;
let jobWorkflowRef = DIRECT;
let visibility = 'public';
let plainImage: string;
let tlsImage: string;

beforeAll(async () => {
  const info = registryInfo();
  plainImage = await copyImage(info.baseImage, uniqueRepo('signme'), false);
  tlsImage = await copyImage(info.tlsBaseImage, uniqueRepo('signme'), true);
  oidc = await startServer((req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}`)
      return { status: 401, body: '{"message":"bad request token"}' };
    const jwt = actionsJwt({
      iss: ISSUER,
      aud: url.searchParams.get('audience'),
      exp: Math.floor(Date.now() / 1000) + 300,
      repository: 'example-org/shop',
      repository_visibility: visibility,
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      ref: 'refs/heads/main',
      workflow_ref: DIRECT,
      job_workflow_ref: jobWorkflowRef,
    });
    // the job's ID token is a secret too: it may reach cosign only by SIGSTORE_ID_TOKEN (allow-list.ts)
    registerSecret('job OIDC ID token', jwt);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, value: jwt }),
    };
  });
});

afterAll(async () => {
  await oidc?.close();
});

function oidcEnv(): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: `${oidc.url}/_apis/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
  };
}

function plainInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { image: plainImage, 'insecure-registries': registryInfo().plain.host, ...extra };
}

async function bundle(
  inputs: Record<string, string>,
  fake: FakeCosign,
  env: Record<string, string> = oidcEnv(),
): Promise<ActionRun> {
  return runBundle('cosign-sign', workspace(inputs, { ...fake.env(), ...env }));
}

/** Runs main() in-process with a virtual clock: sleeps advance it instead of waiting. */
async function inProcess(inputs: Record<string, string>, fake: FakeCosign) {
  let t = Date.now();
  const sleeps: number[] = [];
  const ws = workspace(inputs, { ...fake.env(), ...oidcEnv() });
  const run = await runInProcess(
    'cosign-sign',
    (ctx) => main(ctx, { now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)), random: () => 0.5 }),
    ws,
  );
  return { run, sleeps };
}

function visible(run: ActionRun): string {
  return run.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

describe('keyless', () => {
  it('a workflow run directly: signs the digest with the exact argv, verifies with its identity', async () => {
    jobWorkflowRef = DIRECT;
    const fake = fakeCosign();
    const run = await bundle(plainInputs({ annotations: 'team=payments\n# comment\nticket=OPS-42' }), fake);
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const identity = `https://github.com/${DIRECT}`;
    expect(run.outputs).toMatchObject({
      signed: 'true',
      verified: 'true',
      'certificate-identity': identity,
      'certificate-oidc-issuer': ISSUER,
    });
    expect(run.outputs['signature']).toBe(`${plainImage.split('@')[0]}@sha256:${'5'.repeat(64)}`);

    const [sign] = fake.calls('sign');
    const host = registryInfo().plain.host;
    expect(sign?.argv).toEqual([
      'sign',
      '--yes',
      '-a',
      'repository=example-org/shop',
      '-a',
      'commit=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      '-a',
      'workflow=Deploy',
      '-a',
      'run-id=987654321',
      '-a',
      'team=payments',
      '-a',
      'ticket=OPS-42',
      '--allow-insecure-registry',
      '--allow-http-registry',
      '--',
      plainImage,
    ]);
    expect(host).toBe(plainImage.split('/')[0]);
    // the ID token goes by env; cosign never gets the means to mint more tokens
    const claims = JSON.parse(
      Buffer.from((sign?.env['SIGSTORE_ID_TOKEN'] ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, string>;
    expect(claims['aud']).toBe('sigstore');
    expect(claims['job_workflow_ref']).toBe(DIRECT);
    expect(sign?.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']).toBeUndefined();
    expect(sign?.env['ACTIONS_ID_TOKEN_REQUEST_URL']).toBeUndefined();
    for (const c of fake.calls()) expect(c.argv.join(' ')).not.toContain(sign?.env['SIGSTORE_ID_TOKEN'] ?? 'x');

    const [verify] = fake.calls('verify');
    expect(verify?.argv).toEqual([
      'verify',
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      ISSUER,
      '--certificate-github-workflow-repository',
      'example-org/shop',
      '--allow-insecure-registry',
      '--allow-http-registry',
      '--',
      plainImage,
    ]);
    expect(oidc.requests.at(-1)?.url).toBe('/_apis/token?api-version=2.0&audience=sigstore');
    expect(run.summary).toContain('| Signed | yes |');
    expect(run.summary).toContain('| Verified | yes |');
    expect(run.summary).toContain(
      `<pre>cosign verify --certificate-identity ${identity} --certificate-oidc-issuer ${ISSUER} --certificate-github-workflow-repository example-org/shop --allow-insecure-registry --allow-http-registry -- ${plainImage}</pre>`,
    );
    expect(visible(run)).not.toContain(REQUEST_TOKEN);
    expect(visible(run)).not.toContain(sign?.env['SIGSTORE_ID_TOKEN']);
  });

  it('a reusable workflow: the identity is the called workflow, and verify checks exactly that', async () => {
    jobWorkflowRef = REUSABLE;
    try {
      const fake = fakeCosign();
      const run = await bundle(plainInputs(), fake);
      expect(run.code).toBe(0);
      const identity = `https://github.com/${REUSABLE}`;
      expect(run.outputs['certificate-identity']).toBe(identity);
      expect(fake.calls('verify')[0]?.argv.slice(1, 3)).toEqual(['--certificate-identity', identity]);
      expect(run.summary).toContain(
        '| Called from | <code>example-org/shop/.github/workflows/deploy.yml@refs/heads/main</code> |',
      );
    } finally {
      jobWorkflowRef = DIRECT;
    }
  });

  it('verification failure fails the step, with outputs set for if: conditions', async () => {
    const fake = fakeCosign({ verify: ['verifyIdentityMismatch'] });
    const run = await bundle(plainInputs(), fake);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ signed: 'true', verified: 'false' });
    expect(run.stdout).toMatch(
      /::error::cosign verify failed after 1 attempt\(s\): Error: none of the expected identities matched.*Do not promote or deploy/,
    );
    expect(fake.calls('verify')).toHaveLength(1);
  });

  it('a private repository on the public Rekor needs an explicit choice; tlog-upload: true warns', async () => {
    visibility = 'private';
    try {
      const fake = fakeCosign();
      const refused = await bundle(plainInputs(), fake);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/::error::Input "tlog-upload" is auto: example-org\/shop is private/);
      expect(fake.calls('sign')).toHaveLength(0);
      const accepted = await bundle(plainInputs({ 'tlog-upload': 'true' }), fake);
      expect(accepted.code).toBe(0);
      expect(accepted.summary).toMatch(
        /\[!WARNING\]\n> tlog-upload is true for a private repository: the public transparency log/,
      );
    } finally {
      visibility = 'public';
    }
  });
});

describe('the digest must be in the registry', () => {
  it('an unknown digest is refused before cosign runs', async () => {
    const fake = fakeCosign();
    const missing = `${plainImage.split('@')[0]}@sha256:${'0'.repeat(64)}`;
    const run = await bundle(plainInputs({ image: missing }), fake);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::.*is not in the registry: .* has no manifest sha256:0{64} \(HTTP 404\)\. Nothing was signed/,
    );
    expect(run.outputs).toMatchObject({ signed: 'false', verified: 'false' });
    expect(fake.calls()).toEqual([]);
  });

  it('TLS registry with a private CA and basic auth: credentials reach cosign only through a 0600 Docker config', async () => {
    const info = registryInfo();
    const fake = fakeCosign();
    const run = await bundle(
      { image: tlsImage, 'ca-file': info.tls.caFile, username: info.tls.username, password: info.tls.password },
      fake,
    );
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const [sign] = fake.calls('sign');
    expect(sign?.argv).toEqual(expect.arrayContaining(['--registry-cacert', info.tls.caFile]));
    expect(sign?.argv).not.toContain('--allow-insecure-registry');
    const cfgDir = sign?.env['DOCKER_CONFIG'] ?? '';
    expect(cfgDir).toMatch(/cosign-docker-/);
    expect(existsSync(cfgDir)).toBe(false); // removed after the step
    for (const c of fake.calls()) expect(c.argv.join(' ')).not.toContain(info.tls.password);
    expect(visible(run)).not.toContain(info.tls.password);
  });
});

describe('key mode', () => {
  it('the password goes by COSIGN_PASSWORD, never argv; verify uses the public key', async () => {
    const fake = fakeCosign();
    const ws = workspace({}, {});
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${ws.dir}/cosign.key`,
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nfake\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n',
    );
    writeFileSync(`${ws.dir}/cosign.pub`, '-----BEGIN PUBLIC KEY-----\nfake\n-----END PUBLIC KEY-----\n');
    const password = canary('cosign key password');
    const run = await runBundle(
      'cosign-sign',
      workspace(plainInputs({ mode: 'key', key: 'cosign.key', 'key-password': password, 'public-key': 'cosign.pub' }), {
        ...fake.env(),
        GITHUB_WORKSPACE: ws.dir,
      }),
    );
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const [sign] = fake.calls('sign');
    expect(sign?.argv.slice(0, 4)).toEqual(['sign', '--yes', '--key', `${ws.dir}/cosign.key`]);
    expect(sign?.env['COSIGN_PASSWORD']).toBe(password);
    expect(sign?.env['SIGSTORE_ID_TOKEN']).toBeUndefined();
    for (const c of fake.calls()) expect(c.argv.join(' ')).not.toContain(password);
    expect(fake.calls('verify')[0]?.argv.slice(0, 3)).toEqual(['verify', '--key', `${ws.dir}/cosign.pub`]);
    expect(run.outputs).toMatchObject({
      signed: 'true',
      verified: 'true',
      'certificate-identity': '',
      'certificate-oidc-issuer': '',
    });
    expect(visible(run)).not.toContain(password);
  });

  it('a KMS key without a transparency log', async () => {
    const fake = fakeCosign();
    const run = await bundle(
      plainInputs({ mode: 'key', key: 'awskms:///alias/release', 'tlog-upload': 'false' }),
      fake,
      {},
    );
    expect(run.code).toBe(0);
    expect(fake.calls('sign')[0]?.argv.slice(0, 6)).toEqual([
      'sign',
      '--yes',
      '--key',
      'awskms:///alias/release',
      '--use-signing-config=false',
      '--tlog-upload=false',
    ]);
    expect(fake.calls('verify')[0]?.argv.slice(0, 4)).toEqual([
      'verify',
      '--key',
      'awskms:///alias/release',
      '--insecure-ignore-tlog=true',
    ]);
    expect(run.summary).toContain('| Transparency log | none \\(tlog-upload: false\\) |'); // Markdown-escaped
  });
});

describe('Sigstore outages', () => {
  it('Fulcio 504 then Rekor 502, then signed: two retries with backoff', async () => {
    const fake = fakeCosign({ sign: ['fulcio504', 'rekor502', 'ok'] });
    const { run, sleeps } = await inProcess(plainInputs(), fake);
    expect(run.code).toBe(0);
    expect(fake.calls('sign')).toHaveLength(3);
    expect(sleeps).toEqual([5000, 10000]);
    expect(run.stdout).toMatch(
      /cosign sign: attempt 1 failed with a transient error \(.*504 Gateway Timeout.*\); retrying in 5s/,
    );
    expect(run.stdout).toMatch(
      /cosign sign: attempt 2 failed with a transient error \(.*status 502.*\); retrying in 10s/,
    );
    expect(run.summary).toContain('| Attempts | sign 3, verify 1 |');
    // every attempt got a token valid for it, by env
    for (const c of fake.calls('sign')) expect(c.env['SIGSTORE_ID_TOKEN']).toMatch(/^ey/);
  });

  it('an outage longer than the budget: bounded attempts, a clear failure, NOT signed', async () => {
    const fake = fakeCosign({ sign: ['rekorTimeout'] });
    const { run, sleeps } = await inProcess(plainInputs({ timeout: '2m' }), fake);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ signed: 'false', verified: 'false' });
    // 2 minutes: attempts after 0, 5, 15, 35 and 75 s of backoff; the next (after 60 s more) would end past the budget
    expect(sleeps).toEqual([5000, 10000, 20000, 40000]);
    expect(fake.calls('sign')).toHaveLength(5);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(120_000);
    expect(run.stdout).toMatch(
      /::error::cosign sign failed after 5 attempt\(s\): cosign sign: attempt 5 failed \(.*context deadline exceeded.*\); not retrying: .* NOT signed/,
    );
    expect(fake.calls('verify')).toHaveLength(0);
  });

  it('a permanent registry error is not retried', async () => {
    const fake = fakeCosign({ sign: ['registryDenied'] });
    const { run, sleeps } = await inProcess(plainInputs(), fake);
    expect(run.code).toBe(1);
    expect(sleeps).toEqual([]);
    expect(fake.calls('sign')).toHaveLength(1);
    expect(run.stdout).toMatch(
      /cosign sign failed after 1 attempt\(s\): .*DENIED: requested access to the resource is denied \(not retried/,
    );
    expect(run.summary).toContain('**Failure:**');
  });

  it('Rekor "equivalent entry already exists" counts as signed, and verify proves it', async () => {
    const fake = fakeCosign({ sign: ['ok', 'rekorConflict'] });
    const first = await bundle(plainInputs(), fake);
    expect(first.code).toBe(0);
    const rerun = await bundle(plainInputs(), fake); // a re-run of the job: Rekor answers 409
    expect(rerun.code).toBe(0);
    expect(rerun.outputs).toMatchObject({ signed: 'true', verified: 'true' });
    expect(rerun.stdout).toMatch(
      /::notice::Rekor already has an equivalent entry \(.*createLogEntryConflict.*\): counted as signed/,
    );
    expect(rerun.summary).toContain('| Signed | yes \\(Rekor already had this entry\\) |'); // Markdown-escaped
  });

  it('a 409 for a signature that never reached the registry is caught by verify', async () => {
    const fake = fakeCosign({ sign: ['rekorConflict'] });
    const run = await bundle(plainInputs(), fake);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ signed: 'true', verified: 'false' });
    expect(run.stdout).toMatch(/::error::cosign verify failed .*no matching signatures/);
  });
});

describe('installing cosign', () => {
  it('a mirror serving something else than the pinned cosign 3.1.3 binary: refused by SHA-256, never run', async () => {
    const tampered = '#!/bin/sh\necho pwned > /tmp/pcd-cosign-pwned\n';
    const mirror = await startServer((req) =>
      req.url === '/cosign-mirror/v3.1.3/cosign-linux-amd64'
        ? { status: 200, body: tampered }
        : { status: 404, body: 'not found' },
    );
    try {
      const ws = workspace(plainInputs({ 'tools-base-url': `${mirror.url}/cosign-mirror` }), oidcEnv());
      const run = await runBundle('cosign-sign', ws);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /::error::SHA-256 mismatch for cosign 3\.1\.3 \(linux-amd64\) downloaded from http:\/\/127\.0\.0\.1:\d+\/cosign-mirror\/v3\.1\.3\/cosign-linux-amd64: expected 4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71/,
      );
      expect(mirror.requests.map((r) => r.url)).toEqual(['/cosign-mirror/v3.1.3/cosign-linux-amd64']);
      expect(existsSync(`${ws.dir}/toolcache/cosign`)).toBe(false);
      expect(run.outputs).toMatchObject({ signed: 'false' });
    } finally {
      await mirror.close();
    }
  });
});

describe('hostile inputs: clear errors, cosign never runs', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each<[string, Record<string, string>, Record<string, string> | undefined, RegExp]>([
    [
      'a tag',
      { image: 'registry.local/shop/app:1.2.3' },
      undefined,
      /Input "image" has an invalid value "registry.local\/shop\/app:1.2.3": .*A tag is refused: signing a tag signs whatever it points to at that moment/,
    ],
    ['latest', { image: 'latest' }, undefined, /Input "image" has an invalid value "latest": .*no digest/],
    [
      'a short digest',
      { image: 'registry.local/shop/app@sha256:abc123' },
      undefined,
      /6 hex characters after sha256:, not 64/,
    ],
    [
      'a key path starting with -',
      { image: `registry.local/shop/app@${digest}`, mode: 'key', key: '--key=/etc/shadow' },
      {},
      /Input "key" has an invalid value "--key=\/etc\/shadow": a key reference may not start with "-"/,
    ],
    [
      'an unknown KMS scheme',
      { image: `registry.local/shop/app@${digest}`, mode: 'key', key: 'ibmkms://x/y' },
      {},
      /Input "key" .*unknown key reference scheme "ibmkms:\/\/"/,
    ],
    [
      'keyless without the OIDC env',
      { image: `registry.local/shop/app@${digest}` },
      {},
      /mode: keyless signs with the job's GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL .* Add "permissions: id-token: write"/,
    ],
    [
      'a key in keyless mode',
      { image: `registry.local/shop/app@${digest}`, key: 'cosign.key' },
      undefined,
      /Input "key" .*only used with mode: key/,
    ],
    [
      'keyless without a log',
      { image: `registry.local/shop/app@${digest}`, 'tlog-upload': 'false' },
      undefined,
      /keyless signing needs a transparency log/,
    ],
  ])('%s', async (_, inputs, env, message) => {
    const fake = fakeCosign();
    const run = await bundle(inputs, fake, env ?? oidcEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(fake.calls()).toEqual([]);
  });
});
