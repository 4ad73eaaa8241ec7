/**
 * cosign-sign with the real cosign 3.1.3 in key mode, fully offline: the committed bundle
 * (dist/cosign-sign/index.js) signs an image in the local registries (test/registry: plain http, and
 * TLS with a private CA and basic auth) with a key pair made by the real `cosign generate-key-pair`,
 * without a transparency log (tlog-upload: false), and verifies it. The real `cosign verify --key`
 * then checks the signature on its own, and refuses the wrong public key, an image that was never
 * signed, and a valid signature moved onto another image's digest.
 *
 * The binary is exactly the default the action pins (packages/tools/manifest/cosign.json), built from
 * the Go module proxy by scripts/setup/cosign.sh and handed to the action through
 * POLYGLOT_CD_COSIGN_BIN. This file never builds it: without it the suite is skipped, with the reason
 * in its title. Every cosign here runs with a throwaway HOME and a proxy that refuses every
 * connection (127.0.0.1:9) for anything but 127.0.0.1, so a call to the public Sigstore (TUF, Rekor,
 * Fulcio) fails the test instead of passing unnoticed.
 *
 * What cosign 3.1.3 does here (its default "new bundle format"): `cosign sign` prints only
 * "Pushing signature to: <repository>" (on stderr), and stores a Sigstore bundle
 * (application/vnd.dev.sigstore.bundle.v0.3+json, a DSSE envelope around an in-toto statement whose
 * subject is the digest) as an OCI 1.1 referrer of the image; the registry (distribution 2.8) has no
 * referrers API, so cosign keeps the referrers list in an OCI index tagged `sha256-<hex of the digest>`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { canary, toolWrapper } from '../../helpers/canary.js';
import { buildah, copyImage, registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';

const COSIGN_VERSION = (
  JSON.parse(readFileSync(join(repoRoot, 'packages/tools/manifest/cosign.json'), 'utf8')) as { defaultVersion: string }
).defaultVersion;
const KEY_PASSWORD = canary('real cosign key password');
const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The cosign that scripts/setup/cosign.sh has already built (`--print-cached` never builds), or why not. */
function builtCosign(): { bin: string; why: string } {
  try {
    const bin = execFileSync('bash', [join(repoRoot, 'scripts/setup/cosign.sh'), '--print-cached'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    }).trim();
    return { bin, why: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { bin: '', why: (e.stderr || e.message).trim().replace(/^cosign-setup: /, '') };
  }
}

const cosign = builtCosign();
const title = cosign.bin
  ? `real cosign ${COSIGN_VERSION}: key mode without a transparency log, offline`
  : `real cosign ${COSIGN_VERSION} (skipped: ${cosign.why})`;
if (!cosign.bin) console.log(`[real-cosign] skipped: ${cosign.why}`);
// what the action runs: the real cosign behind a wrapper that records each call for the secret canary scan
const actionCosign = cosign.bin
  ? toolWrapper(join(mkdtempSync(join(tmpdir(), 'pcd-real-cosign-bin-')), 'cosign'), 'cosign', [cosign.bin])
  : '';

interface CosignResult {
  code: number;
  stdout: string;
  stderr: string;
}

let home: string;
let keys: string;
let signedImage: string;
let otherImage: string;

/** No route to the internet: any request that is not for 127.0.0.1 goes to a closed port. */
function offlineEnv(): Record<string, string> {
  const dead = 'http://127.0.0.1:9';
  return {
    HOME: home,
    HTTPS_PROXY: dead,
    HTTP_PROXY: dead,
    https_proxy: dead,
    http_proxy: dead,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

async function runCosign(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CosignResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cosign.bin, args, {
      env: { ...baseEnv(), ...offlineEnv(), ...env },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      ...(cwd ? { cwd } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `cosign verify --key` the way a cluster's admission check would, against the plain registry. */
function verifyArgs(publicKey: string, image: string): string[] {
  return [
    'verify',
    '--key',
    publicKey,
    '--insecure-ignore-tlog=true',
    '--allow-insecure-registry',
    '--allow-http-registry',
    '--',
    image,
  ];
}

/** A second, never signed image: an empty one whose label makes its digest unique to this run. */
async function buildOtherImage(toRepo: string): Promise<string> {
  const dest = `${registryInfo().plain.host}/${toRepo}:1`;
  const container = (await buildah(['from', 'scratch'])).stdout.trim();
  try {
    await buildah(['config', '--label', `polyglot-cd.test=${toRepo}`, container]);
    await buildah(['commit', '--quiet', container, dest]);
    await buildah(['push', '--tls-verify=false', dest, `docker://${dest}`]);
  } finally {
    await buildah(['rm', container]).catch(() => undefined);
  }
  const { Digest } = await skopeoInspect(dest);
  return `${registryInfo().plain.host}/${toRepo}@${Digest}`;
}

/** `repo@sha256:hex` of the plain registry → its parts and the registry's /v2/<repo> URL. */
function parts(image: string): { repo: string; digest: string; hex: string; api: string } {
  const [name = '', digest = ''] = image.split('@');
  const repo = name.slice(name.indexOf('/') + 1);
  return { repo, digest, hex: digest.replace(/^sha256:/, ''), api: `${registryInfo().plain.url}/v2/${repo}` };
}

async function getManifest(
  api: string,
  ref: string,
  accept: string,
): Promise<{ raw: string; json: Record<string, unknown> }> {
  const res = await fetch(`${api}/manifests/${ref}`, { headers: { accept } });
  const raw = await res.text();
  if (!res.ok) throw new Error(`GET ${api}/manifests/${ref}: HTTP ${res.status} ${raw}`);
  return { raw, json: JSON.parse(raw) as Record<string, unknown> };
}

async function put(url: string, contentType: string, body: string): Promise<void> {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body });
  if (res.status !== 201) throw new Error(`PUT ${url}: HTTP ${res.status} ${await res.text()}`);
}

interface Descriptor {
  mediaType: string;
  digest: string;
  artifactType?: string;
}

/**
 * The attacker's move: copies the referrers index of `from` (tag `sha256-<hex>`) and the signature
 * manifests it lists, byte for byte, into `to`'s repository under `to`'s fallback tag, so cosign
 * finds a valid signature by the right key when it looks up `to`, but one made for `from`'s digest.
 */
async function moveSignatures(from: string, to: string): Promise<void> {
  const src = parts(from);
  const dst = parts(to);
  const index = await getManifest(src.api, `sha256-${src.hex}`, OCI_INDEX);
  for (const m of (index.json['manifests'] as Descriptor[]) ?? []) {
    const manifest = await getManifest(src.api, m.digest, OCI_MANIFEST);
    const blobs = [manifest.json['config'] as Descriptor, ...((manifest.json['layers'] as Descriptor[]) ?? [])];
    for (const b of blobs) {
      const res = await fetch(`${dst.api}/blobs/uploads/?mount=${b.digest}&from=${src.repo}`, { method: 'POST' });
      if (res.status !== 201) throw new Error(`mounting ${b.digest} into ${dst.repo}: HTTP ${res.status}`);
    }
    await put(`${dst.api}/manifests/${m.digest}`, OCI_MANIFEST, manifest.raw);
  }
  await put(`${dst.api}/manifests/sha256-${dst.hex}`, OCI_INDEX, index.raw);
}

function keyInputs(image: string, publicKey = 'signer.pub'): Record<string, string> {
  return {
    image,
    mode: 'key',
    key: 'signer.key',
    'key-password': KEY_PASSWORD,
    'public-key': publicKey,
    'tlog-upload': 'false',
    'insecure-registries': registryInfo().plain.host,
  };
}

async function signWithAction(inputs: Record<string, string>, opts: { proxy?: boolean } = {}): Promise<ActionRun> {
  const env: Record<string, string> = { ...offlineEnv(), POLYGLOT_CD_COSIGN_BIN: actionCosign, GITHUB_WORKSPACE: keys };
  if (opts.proxy === false) for (const k of Object.keys(env)) if (/_proxy$/i.test(k)) delete env[k];
  return runBundle('cosign-sign', workspace(inputs, env), { timeoutMs: 150_000 });
}

function visible(run: ActionRun): string {
  return run.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

// The tests run in order: the later ones check the signature the first one makes.
describe.skipIf(!cosign.bin)(title, () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'pcd-real-cosign-'));
    keys = join(home, 'keys');
    mkdirSync(keys);
    // two key pairs from the real cosign: the signer's and an unrelated one
    for (const prefix of ['signer', 'other']) {
      const r = await runCosign(
        ['generate-key-pair', '--output-key-prefix', prefix],
        { COSIGN_PASSWORD: KEY_PASSWORD },
        keys,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Private key written to ${prefix}.key`);
    }
    expect(readFileSync(join(keys, 'signer.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
    signedImage = await copyImage(registryInfo().baseImage, uniqueRepo('real-cosign'));
    otherImage = await buildOtherImage(uniqueRepo('real-cosign-other'));
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it(`the action signs with cosign ${COSIGN_VERSION} and a real key pair, offline, and its own verify passes`, async () => {
    const version = await runCosign(['version', '--json']);
    expect((JSON.parse(version.stdout) as { gitVersion: string }).gitVersion).toBe(`v${COSIGN_VERSION}`);

    const run = await signWithAction(keyInputs(signedImage));
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    const { digest, hex } = parts(signedImage);
    expect(run.stdout).toContain(
      `Attempt 1: cosign sign --yes --key ${keys}/signer.key --use-signing-config=false --tlog-upload=false -a repository=example-org/shop`,
    );
    expect(run.stdout).toContain(
      `Attempt 1: cosign verify --key ${keys}/signer.pub --insecure-ignore-tlog=true --allow-insecure-registry --allow-http-registry -- ${signedImage}`,
    );
    expect(run.stdout).toContain(`Verified 1 signature(s) on ${digest}`);
    // cosign 3.1.3 names only the repository ("Pushing signature to: <repo>"): the output says which referrer
    expect(run.outputs).toEqual({
      signed: 'true',
      verified: 'true',
      signature: `${signedImage.split('@')[0]} (OCI referrer of ${digest})`,
      'certificate-identity': '',
      'certificate-oidc-issuer': '',
    });
    expect(run.summary).toContain(`| cosign | ${COSIGN_VERSION} |`);
    expect(run.summary).toContain('| Transparency log | none \\(tlog-upload: false\\) |');
    expect(visible(run)).not.toContain(KEY_PASSWORD);

    // the registry, read directly: a Sigstore bundle whose OCI subject is exactly the signed digest
    const { api } = parts(signedImage);
    const index = await getManifest(api, `sha256-${hex}`, OCI_INDEX);
    const listed = index.json['manifests'] as Descriptor[];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.artifactType).toBe(BUNDLE_TYPE);
    const sig = await getManifest(api, listed[0]?.digest ?? '', OCI_MANIFEST);
    expect((sig.json['subject'] as Descriptor).digest).toBe(digest);
    expect((sig.json['layers'] as Descriptor[]).map((l) => l.mediaType)).toEqual([BUNDLE_TYPE]);
  });

  it('the real cosign verify --key accepts it: that digest, the signed annotations, no transparency log', async () => {
    const r = await runCosign(verifyArgs(join(keys, 'signer.pub'), signedImage));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('WARNING: Skipping tlog verification is an insecure practice');
    expect(r.stderr).toContain('  - The signatures were verified against the specified public key');
    const payloads = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as {
      critical: { identity: { 'docker-reference': string }; image: { 'docker-manifest-digest': string }; type: string };
      optional: Record<string, string> | null;
    }[];
    expect(payloads).toHaveLength(1);
    expect(payloads[0]?.critical).toEqual({
      identity: { 'docker-reference': signedImage },
      image: { 'docker-manifest-digest': parts(signedImage).digest },
      type: 'https://sigstore.dev/cosign/sign/v1',
    });
    expect(payloads[0]?.optional).toEqual({
      repository: 'example-org/shop',
      commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      workflow: 'Deploy',
      'run-id': '987654321',
    });

    // without --insecure-ignore-tlog=true, cosign 3 wants the public trusted root from TUF: offline, that fails
    const strict = await runCosign([
      'verify',
      '--key',
      join(keys, 'signer.pub'),
      '--allow-insecure-registry',
      '--allow-http-registry',
      '--',
      signedImage,
    ]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(
      /getting trusted root from TUF for new bundle verification: .*tuf-repo-cdn\.sigstore\.dev.*127\.0\.0\.1:9: connect: connection refused/,
    );
  });

  it('the wrong public key: the real cosign verify refuses, and so does the action (signed, not verified)', async () => {
    const r = await runCosign(verifyArgs(join(keys, 'other.pub'), signedImage));
    expect(r.code).not.toBe(0);
    expect(r.stdout.trim()).toBe('');
    expect(r.stderr).toContain(
      'Error: no matching attestations: failed to verify signature: could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1',
    );

    const run = await signWithAction(keyInputs(signedImage, 'other.pub'));
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ signed: 'true', verified: 'false' });
    expect(run.stdout).toMatch(
      /::error::cosign verify failed after 1 attempt\(s\): .*accepted signatures do not match threshold, Found: 0, Expected 1\. Do not promote or deploy/,
    );
  });

  it('another image: never signed, it is refused; with the signature moved onto its digest, still refused', async () => {
    const unsigned = await runCosign(verifyArgs(join(keys, 'signer.pub'), otherImage));
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.stdout.trim()).toBe('');
    expect(unsigned.stderr).toContain('Error: no signatures found');

    await moveSignatures(signedImage, otherImage);
    const moved = await runCosign(verifyArgs(join(keys, 'signer.pub'), otherImage));
    expect(moved.code).not.toBe(0);
    expect(moved.stdout.trim()).toBe('');
    expect(moved.stderr).toContain(
      'Error: no matching attestations: failed to verify signature: provided artifact digest does not match any digest in statement',
    );
  });

  // Without the dead proxy: with any proxy variable set, the action's own digest check goes through
  // @actions/http-client, which does not take ca-file (packages/tools/src/http.ts), even for a
  // no_proxy host. The tests above already show this cosign path makes no other connection.
  it('TLS registry with a private CA and basic auth: --registry-cacert and a 0600 Docker config are enough for cosign', async () => {
    const info = registryInfo();
    const image = await copyImage(info.tlsBaseImage, uniqueRepo('real-cosign-tls'), true);
    const run = await signWithAction(
      {
        image,
        mode: 'key',
        key: 'signer.key',
        'key-password': KEY_PASSWORD,
        'public-key': 'signer.pub',
        'tlog-upload': 'false',
        'ca-file': info.tls.caFile,
        username: info.tls.username,
        password: info.tls.password,
      },
      { proxy: false },
    );
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ signed: 'true', verified: 'true' });
    expect(run.stdout).toContain(`--registry-cacert ${info.tls.caFile}`);
    expect(run.stdout).not.toContain('--allow-insecure-registry');
    expect(visible(run)).not.toContain(info.tls.password);
  });
});
