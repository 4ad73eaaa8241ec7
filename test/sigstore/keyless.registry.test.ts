/**
 * Keyless signing for real, offline: the real cosign 3.1.3 (scripts/setup/cosign.sh) gets a
 * short-lived certificate from a real local Fulcio 1.8.8 (test/sigstore/fulcio.sh; ephemeral CA, no CT
 * log) for an ID token from a local GitHub-shaped OIDC issuer (oidc-issuer.ts), signs an image in the
 * plain local registry (test/registry) without a transparency log, and verifies it against a trusted
 * root holding only that Fulcio's CA. The cosign argv are the ones the cosign-sign action builds
 * (Cosign.signArgs / Cosign.verifyArgs), so this shows what real cosign needs on top of them.
 *
 * There is no Rekor here, and the action refuses keyless signing without a transparency log (by
 * design: the certificate is valid for ten minutes, and only a log entry or a signed timestamp proves
 * when the signature was made). The last test runs the action bundle against this Fulcio and issuer
 * to show how far it gets: token, identity, certificate, then the Rekor upload.
 *
 * Skipped, with the reason in the title, unless both binaries are already built.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cosign } from '@polyglot-cd/tools/cosign';
import { signerIdentity } from '../../actions/cosign-sign/src/identity.js';
import { baseEnv, repoRoot, runBundle, workspace } from '../helpers/action-env.js';
import { freePort } from '../registry/registry.js';
import { containersEnv, registryInfo, skopeoInspect, uniqueRepo } from '../registry/harness.js';
import { startFulcio, type RunningFulcio } from './fulcio.js';
import { defaultClaims, startOidcIssuer, type OidcIssuer } from './oidc-issuer.js';

function built(script: string): { bin: string; why: string } {
  try {
    const bin = execFileSync('bash', [join(repoRoot, script), '--print-cached'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    }).trim();
    return { bin, why: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { bin: '', why: (e.stderr || e.message).trim().replace(/^\w+-setup: /, '') };
  }
}

const cosign = built('scripts/setup/cosign.sh');
const fulcioBin = built('test/sigstore/fulcio.sh');
const missing = [cosign.why, fulcioBin.why].filter(Boolean).join('; ');
if (missing) console.log(`[keyless] skipped: ${missing}`);

let dir: string;
let issuer: OidcIssuer;
let fulcio: RunningFulcio;
let image: string;

/** No route to the internet for cosign: anything but 127.0.0.1 goes to a closed port. */
function offlineEnv(): Record<string, string> {
  const dead = 'http://127.0.0.1:9';
  return {
    HOME: dir,
    HTTPS_PROXY: dead,
    HTTP_PROXY: dead,
    https_proxy: dead,
    http_proxy: dead,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

async function runCosign(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cosign.bin, args, {
      env: { ...baseEnv(), ...offlineEnv(), ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const REPOSITORY = 'example-org/shop';
const IDENTITY = `https://github.com/${defaultClaims().job_workflow_ref}`;

/** What the action passes to `cosign verify` for this image, keyless, an on-prem Fulcio's trusted root and no log. */
function actionVerifyArgs(o: { identity?: string; issuer?: string; repository?: string } = {}): string[] {
  return Cosign.verifyArgs({
    ref: image,
    certificateIdentity: o.identity ?? IDENTITY,
    certificateOidcIssuer: o.issuer ?? issuer.url,
    githubWorkflowRepository: o.repository ?? REPOSITORY,
    tlogUpload: false,
    trustedRoot: fulcio.trustedRoot,
    registry: { insecure: true },
  });
}

/** The same argv with the one flag a Fulcio without a CT log needs. */
function withIgnoreSct(argv: string[]): string[] {
  const at = argv.indexOf('--');
  return [...argv.slice(0, at), '--insecure-ignore-sct=true', ...argv.slice(at)];
}

describe.skipIf(missing !== '')(
  missing
    ? `keyless with a local Fulcio (skipped: ${missing})`
    : 'keyless: real cosign, a local Fulcio and a GitHub-shaped OIDC issuer, offline',
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pcd-keyless-'));
      issuer = await startOidcIssuer(dir);
      fulcio = await startFulcio({ fulcio: fulcioBin.bin, cosign: cosign.bin, dir, issuer });
      const info = registryInfo();
      const dest = `${info.plain.host}/${uniqueRepo('keyless')}:1`;
      await promisify(execFile)(
        'skopeo',
        ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${info.baseImage}`, `docker://${dest}`],
        {
          env: { ...process.env, ...containersEnv() },
          timeout: 60_000,
        },
      );
      image = `${dest.slice(0, dest.lastIndexOf(':'))}@${(await skopeoInspect(dest)).Digest}`;
    });

    afterAll(async () => {
      await fulcio?.stop();
      await issuer?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('the identity the action computes from the token is the SAN the local Fulcio certifies', () => {
      const claims = JSON.parse(Buffer.from(issuer.token().split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        string
      >;
      expect(claims['iss']).toBe(issuer.url);
      expect(claims['aud']).toBe('sigstore');
      const who = signerIdentity({ ...claims, iss: claims['iss'] ?? '' }, 'https://github.com');
      expect(who).toMatchObject({ identity: IDENTITY, issuer: issuer.url, repository: REPOSITORY, reusable: false });
    });

    it("cosign sign with the action's keyless argv (private Fulcio, trusted root, no log) and the token in SIGSTORE_ID_TOKEN", async () => {
      const args = Cosign.signArgs({
        ref: image,
        fulcioUrl: fulcio.url,
        tlogUpload: false,
        trustedRoot: fulcio.trustedRoot,
        annotations: [['repository', REPOSITORY]],
        registry: { insecure: true },
      });
      expect(args.slice(0, 8)).toEqual([
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        fulcio.url,
        '--tlog-upload=false',
        '--trusted-root',
        fulcio.trustedRoot,
      ]);
      const r = await runCosign(args, { SIGSTORE_ID_TOKEN: issuer.token() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        'Flag --fulcio-url has been deprecated, please use a signing config to specify a fulcio url',
      );
      expect(r.stderr).toContain(
        'Flag --tlog-upload has been deprecated, prefer using a --signing-config file with no transparency log services',
      );
      expect(r.stderr).toContain('Generating ephemeral keys...');
      expect(r.stderr).toContain(`Pushing signature to: ${image.split('@')[0]}`);
      expect(r.stderr).not.toContain('TUF');
      expect(readFileSync(fulcio.logFile, 'utf8')).toContain('Skipping CT log upload.');
    });

    it("the action's verify argv fails on the missing SCT; with --insecure-ignore-sct=true it verifies the identity", async () => {
      const asIs = await runCosign(actionVerifyArgs());
      expect(asIs.code).not.toBe(0);
      expect(asIs.stderr).toContain(
        'failed to verify signed certificate timestamp: only able to verify 0 SCT entries; unable to meet threshold of 1',
      );

      const r = await runCosign(withIgnoreSct(actionVerifyArgs()));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        '  - The code-signing certificate was verified using trusted certificate authority certificates',
      );
      const [payload] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as {
        critical: { image: { 'docker-manifest-digest': string } };
        optional: Record<string, string>;
      }[];
      expect(payload?.critical.image['docker-manifest-digest']).toBe(image.split('@')[1]);
      expect(payload?.optional).toEqual({ repository: REPOSITORY });
    });

    it.each([
      [
        'another workflow',
        { identity: `https://github.com/${REPOSITORY}/.github/workflows/other.yml@refs/heads/main` },
        /expected SAN value "https:\/\/github.com\/example-org\/shop\/.github\/workflows\/other.yml@refs\/heads\/main", got "https:\/\/github.com\/example-org\/shop\/.github\/workflows\/deploy.yml@refs\/heads\/main"/,
      ],
      [
        'another issuer',
        { issuer: 'https://token.actions.githubusercontent.com' },
        /expected issuer value "https:\/\/token.actions.githubusercontent.com", got "https:\/\/127.0.0.1:\d+"/,
      ],
      [
        'another repository',
        { repository: 'example-org/other' },
        /expected GithubWorkflowRepository to be "example-org\/other", got "example-org\/shop"/,
      ],
    ])('%s: refused', async (_, o, message) => {
      const r = await runCosign(withIgnoreSct(actionVerifyArgs(o)));
      expect(r.code).not.toBe(0);
      expect(r.stdout.trim()).toBe('');
      expect(r.stderr).toMatch(message);
    });

    it('the certificate in the registry carries the GitHub workflow identity and claims (Fulcio OIDs)', async () => {
      const api = `${registryInfo().plain.url}/v2/${image.slice(image.indexOf('/') + 1, image.indexOf('@'))}`;
      const hex = image.split('@sha256:')[1];
      const get = async (path: string, accept: string): Promise<string> =>
        (await fetch(`${api}/${path}`, { headers: { accept } })).text();
      const index = JSON.parse(await get(`manifests/sha256-${hex}`, 'application/vnd.oci.image.index.v1+json')) as {
        manifests: { digest: string }[];
      };
      const manifest = JSON.parse(
        await get(`manifests/${index.manifests[0]?.digest}`, 'application/vnd.oci.image.manifest.v1+json'),
      ) as { layers: { digest: string }[] };
      const bundle = JSON.parse(await get(`blobs/${manifest.layers[0]?.digest}`, '*/*')) as {
        verificationMaterial: { certificate: { rawBytes: string } };
      };
      const der = join(dir, 'leaf.der');
      writeFileSync(der, Buffer.from(bundle.verificationMaterial.certificate.rawBytes, 'base64'));
      const { stdout: text } = await promisify(execFile)('openssl', [
        'x509',
        '-inform',
        'DER',
        '-in',
        der,
        '-noout',
        '-text',
      ]);
      expect(text).toContain(`URI:${IDENTITY}`);
      // Fulcio's OIDs (sigstore/fulcio docs/oid-info.md): .8 issuer (v2), .12 source repository URI,
      // .14 source repository ref, .11 runner environment
      for (const [oid, value] of [
        ['1.3.6.1.4.1.57264.1.8', issuer.url],
        ['1.3.6.1.4.1.57264.1.12', `https://github.com/${REPOSITORY}`],
        ['1.3.6.1.4.1.57264.1.14', 'refs/heads/main'],
        ['1.3.6.1.4.1.57264.1.11', 'github-hosted'],
      ] as const) {
        // openssl prints the DER string's tag and length bytes raw before the text (a length of 13 is a CR)
        expect(text).toMatch(
          new RegExp(`${oid.replace(/\./g, '\\.')}:\\s*\\n\\s*[^\\n]*${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
        );
      }
    });

    it('the action, keyless against this Fulcio and issuer: token, identity and certificate work; without a Rekor it cannot sign', async () => {
      const deadRekor = `http://127.0.0.1:${await freePort()}`;
      const inputs = {
        image,
        'insecure-registries': registryInfo().plain.host,
        'fulcio-url': fulcio.url,
        'rekor-url': deadRekor,
        'oidc-issuer': issuer.url,
        'trusted-root': fulcio.trustedRoot,
        timeout: '30s',
      };
      const env = {
        ...offlineEnv(),
        POLYGLOT_CD_COSIGN_BIN: cosign.bin,
        ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
        NODE_EXTRA_CA_CERTS: issuer.caFile,
      };
      const refused = await runBundle('cosign-sign', workspace({ ...inputs, 'tlog-upload': 'false' }, env));
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/::error::Input "tlog-upload" is false: keyless signing needs a transparency log/);

      const certificates = (): number =>
        readFileSync(fulcio.logFile, 'utf8').split('"grpc.method": "CreateSigningCertificate", "grpc.code": "OK"')
          .length - 1;
      const before = certificates();
      const run = await runBundle('cosign-sign', workspace(inputs, env), { timeoutMs: 90_000 });
      expect(run.code).toBe(1);
      // cosign took the token from SIGSTORE_ID_TOKEN and got a certificate on every attempt
      expect(certificates() - before).toBe(Number(/\| Attempts \| sign (\d+),/.exec(run.summary)?.[1]));
      expect(run.stdout).toMatch(
        /cosign sign: attempt 1 failed with a transient error \(.*Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/log\/entries": giving up after 2 attempt\(s\).*connection refused\); retrying in/,
      );
      expect(run.stdout).toContain(`Certificate identity: ${IDENTITY}`);
      expect(run.stdout).toContain(`OIDC issuer: ${issuer.url}`);
      expect(run.stdout).toContain(
        `--use-signing-config=false --fulcio-url ${fulcio.url} --rekor-url ${deadRekor} --trusted-root ${fulcio.trustedRoot}`,
      );
      expect(run.stdout).toMatch(
        new RegExp(
          `cosign sign failed after \\d+ attempt\\(s\\): .*${deadRekor.replace(/\./g, '\\.')}.*connection refused`,
        ),
      );
      expect(run.outputs).toMatchObject({
        signed: 'false',
        verified: 'false',
        'certificate-identity': IDENTITY,
        'certificate-oidc-issuer': issuer.url,
      });
      expect(issuer.requests.filter((p) => p.startsWith('/_apis/token?')).length).toBeGreaterThan(0);
    });
  },
);
