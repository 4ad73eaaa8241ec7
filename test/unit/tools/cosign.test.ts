/**
 * Cosign: argv builders, output parsers and the failure classifier, fed the real cosign outputs
 * recorded in test/fakes/cosign-recorded.json (each entry names its public source).
 */
import { describe, expect, it } from 'vitest';
import { Cosign, manifest, shellQuote } from '@polyglot-cd/tools';
import recorded from '../../fakes/cosign-recorded.json' with { type: 'json' };

const HEX = 'b'.repeat(64);
const DIGEST = `sha256:${HEX}`;
const REPO = 'registry.example.com:5000/shop/backend';
const REF = `${REPO}@${DIGEST}`;

function fill(text: string, extra: Record<string, string> = {}): string {
  const vars: Record<string, string> = {
    REF,
    REPO,
    DIGEST,
    HEX,
    SIGDIGEST: `sha256:${'c'.repeat(64)}`,
    INDEX: '88201941',
    ISSUER: 'https://token.actions.githubusercontent.com',
    IDENTITY: 'https://github.com/org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1',
    REPOSITORY: 'example-org/shop',
    SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    VERSION: '3.1.3',
    GOTIDENTITY: 'https://github.com/example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
    ...extra,
  };
  return text.replace(/\{\{([A-Z]+)\}\}/g, (_, k: string) => vars[k] ?? `{{${k}}}`);
}

describe('Cosign.signArgs', () => {
  it.each([
    [
      'keyless on the public instance: signing config from TUF, nothing else',
      { ref: REF },
      ['sign', '--yes', '--', REF],
    ],
    [
      'keyless on-prem: explicit URLs need --use-signing-config=false',
      { ref: REF, fulcioUrl: 'https://fulcio.corp', rekorUrl: 'https://rekor.corp' },
      [
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        'https://fulcio.corp',
        '--rekor-url',
        'https://rekor.corp',
        '--',
        REF,
      ],
    ],
    [
      'key mode without a transparency log',
      { ref: REF, key: 'awskms:///alias/signing', tlogUpload: false },
      [
        'sign',
        '--yes',
        '--key',
        'awskms:///alias/signing',
        '--use-signing-config=false',
        '--tlog-upload=false',
        '--',
        REF,
      ],
    ],
    [
      'annotations, registry CA and an insecure registry, in order',
      {
        ref: REF,
        annotations: [
          ['repo', 'example-org/shop'],
          ['note', 'a=b c'],
        ],
        registry: { caFile: '/ca.pem', insecure: true },
      },
      [
        'sign',
        '--yes',
        '-a',
        'repo=example-org/shop',
        '-a',
        'note=a=b c',
        '--registry-cacert',
        '/ca.pem',
        '--allow-insecure-registry',
        '--allow-http-registry',
        '--',
        REF,
      ],
    ],
  ] as const)('%s', (_, opts, want) => {
    expect(Cosign.signArgs(opts as Parameters<typeof Cosign.signArgs>[0])).toEqual(want);
  });

  it('refuses a reference or key that would be read as a flag', () => {
    expect(() => Cosign.signArgs({ ref: '--key=/tmp/x' })).toThrow(/must not be empty or start with "-"/);
    expect(() => Cosign.signArgs({ ref: REF, key: '-rf' })).toThrow(/must not be empty or start with "-"/);
  });
});

describe('Cosign.verifyArgs', () => {
  it('keyless: exact identity, issuer and caller repository', () => {
    expect(
      Cosign.verifyArgs({
        ref: REF,
        certificateIdentity: fill('{{IDENTITY}}'),
        certificateOidcIssuer: fill('{{ISSUER}}'),
        githubWorkflowRepository: 'example-org/shop',
      }),
    ).toEqual([
      'verify',
      '--certificate-identity',
      'https://github.com/org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--certificate-github-workflow-repository',
      'example-org/shop',
      '--',
      REF,
    ]);
  });

  it('key mode without a tlog skips the tlog check explicitly', () => {
    expect(Cosign.verifyArgs({ ref: REF, publicKey: 'cosign.pub', tlogUpload: false })).toEqual([
      'verify',
      '--key',
      'cosign.pub',
      '--insecure-ignore-tlog=true',
      '--',
      REF,
    ]);
  });

  it('keyless without an identity is refused (never a regexp, never "any")', () => {
    expect(() => Cosign.verifyArgs({ ref: REF, certificateOidcIssuer: 'x' })).toThrow(/exact certificate identity/);
  });
});

describe('parsers on recorded output', () => {
  it('verify JSON: every signature must be for our digest', () => {
    const out = fill(recorded.verifyKeylessOk.stdout);
    const sigs = Cosign.parseVerifyOutput(out, DIGEST);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ dockerReference: REPO, digest: DIGEST, type: 'cosign container image signature' });
    expect(sigs[0]?.optional['Subject']).toBe(fill('{{IDENTITY}}'));
    expect(() => Cosign.parseVerifyOutput(out, `sha256:${'d'.repeat(64)}`)).toThrow(/not sha256:d/);
    expect(Cosign.parseVerifyOutput(fill(recorded.verifyKeyOk.stdout), DIGEST)[0]?.optional).toEqual({});
    expect(() => Cosign.parseVerifyOutput('', DIGEST)).toThrow(/no JSON array/);
    expect(() => Cosign.parseVerifyOutput('[]', DIGEST)).toThrow(/no verified signatures/);
  });

  it('signature location and tlog index from sign output', () => {
    const keyless = fill(recorded.signKeylessOk.stderr);
    expect(Cosign.parseSignatureLocation(keyless)).toBe(`${REPO}@sha256:${'c'.repeat(64)}`);
    expect(Cosign.parseTlogIndex(keyless)).toBe('88201941');
    expect(Cosign.parseSignatureLocation('Pushing signature to: ghcr.io/dependabot/dependabot-updater-bundler\n')).toBe(
      'ghcr.io/dependabot/dependabot-updater-bundler',
    );
    expect(Cosign.parseSignatureLocation('Signing artifact...\n')).toBeUndefined();
  });

  it('version from `cosign version --json`', () => {
    expect(Cosign.parseVersion(fill(recorded.version.stdout))).toBe('3.1.3');
    expect(Cosign.parseVersion('GitVersion:    v3.0.6\nGitCommit: unknown\n')).toBe('3.0.6');
    expect(() => Cosign.parseVersion('garbage')).toThrow(/cannot read a cosign version/);
  });

  it.each([
    ['3.1.3', '3.0.0', true],
    ['3.0.6', '3.0.6', true],
    ['3.0.5', '3.0.6', false],
    ['2.6.1', '3.0.0', false],
    ['4.0.0', '3.0.0', false],
    ['3.2.0-rc.1', '3.1.0', true],
  ])('versionSatisfies(%s, %s) = %s', (v, min, want) => {
    expect(Cosign.versionSatisfies(v, min)).toBe(want);
  });
});

describe('Cosign.classifyFailure on recorded failures', () => {
  it.each([
    ['fulcio504', 'transient', /504 Gateway Timeout/],
    ['rekor502', 'transient', /status 502/],
    ['rekorTimeout', 'transient', /context deadline exceeded/],
    ['rekorConflict', 'already-exists', /createLogEntryConflict/],
    ['registryDenied', 'permanent', /DENIED/],
    ['verifyIdentityMismatch', 'permanent', /none of the expected identities/],
    ['verifyNoSignatures', 'permanent', /no matching signatures/],
  ] as const)('%s → %s', (name, kind, reason) => {
    const c = Cosign.classifyFailure(fill((recorded as unknown as Record<string, { stderr: string }>)[name]!.stderr));
    expect(c.kind).toBe(kind);
    expect(c.reason).toMatch(reason);
  });

  it("cosign 3.1.3's verify failures (recorded from the real cosign in real-cosign.registry.test.ts) are permanent, with their own line as the reason", () => {
    const wrongKey =
      'Error: no matching attestations: failed to verify signature: could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1\nmain.go:74: error during command execution: no matching attestations: failed to verify signature: could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1\n';
    expect(Cosign.classifyFailure(wrongKey)).toMatchObject({
      kind: 'permanent',
      reason: expect.stringMatching(/^Error: no matching attestations/),
    });
    const unsigned = 'Error: no signatures found\nmain.go:74: error during command execution: no signatures found\n';
    expect(Cosign.classifyFailure(unsigned)).toMatchObject({ kind: 'permanent', reason: 'Error: no signatures found' });
  });

  it('our own attempt timeout is transient; DNS failure and unknown errors are permanent; TUF 403 is transient', () => {
    expect(Cosign.classifyFailure('', { timedOut: true }).kind).toBe('transient');
    expect(
      Cosign.classifyFailure(
        'Error: Post "https://rekor.corp/api/v1/log/entries": dial tcp: lookup rekor.corp: no such host',
      ).kind,
    ).toBe('permanent');
    expect(Cosign.classifyFailure('Error: something new\n').reason).toBe('Error: something new');
    expect(
      Cosign.classifyFailure(
        'Error: updating local metadata and targets: error updating to TUF remote mirror: 403 Forbidden',
      ).kind,
    ).toBe('transient');
    expect(
      Cosign.classifyFailure('read tcp 10.1.0.4:40112->140.82.112.34:443: read: connection reset by peer').kind,
    ).toBe('transient');
  });
});

describe('cosign manifest', () => {
  it('pins a 3.x default with real SHA-256 values for raw binaries', () => {
    const spec = manifest.tools['cosign'];
    expect(spec?.defaultVersion).toMatch(/^3\./);
    const amd = spec?.versions[spec.defaultVersion]?.['linux-amd64'];
    expect(amd).toMatchObject({
      format: 'binary',
      sha256: '4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71',
    });
    expect(amd?.binarySha256).toBe(amd?.sha256);
    expect(spec?.source).toMatch(/cosign_checksums\.txt/);
  });
});

describe('shellQuote', () => {
  it('leaves plain words and quotes the rest', () => {
    expect(shellQuote(REF)).toBe(REF);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
