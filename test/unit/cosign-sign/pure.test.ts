/** cosign-sign pure modules: identity from OIDC claims, key references, the tlog decision, retry bounds. */
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '@polyglot-cd/action-kit';
import { decodeClaims, signerIdentity } from '../../../actions/cosign-sign/src/identity.js';
import { imageProblem } from '../../../actions/cosign-sign/src/inputs.js';
import { parseKeyRef } from '../../../actions/cosign-sign/src/keyref.js';
import { mergeAnnotations } from '../../../actions/cosign-sign/src/main.js';
import { backoffDelay, withRetries, type Outcome } from '../../../actions/cosign-sign/src/retry.js';
import { decideTlog } from '../../../actions/cosign-sign/src/tlog.js';
import { actionsJwt } from '../../fakes/fake-cosign.js';

const ISSUER = 'https://token.actions.githubusercontent.com';

describe('signerIdentity: the workflow that ran, not the caller', () => {
  it('a workflow called directly: job_workflow_ref = workflow_ref', () => {
    const claims = decodeClaims(
      actionsJwt({
        iss: ISSUER,
        repository: 'example-org/shop',
        workflow_ref: 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
        job_workflow_ref: 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
      }),
    );
    expect(signerIdentity(claims, 'https://github.com')).toEqual({
      identity: 'https://github.com/example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
      issuer: ISSUER,
      repository: 'example-org/shop',
      reusable: false,
      callerWorkflowRef: 'example-org/shop/.github/workflows/deploy.yml@refs/heads/main',
    });
  });

  it('a reusable workflow: the called workflow at its ref, the caller kept apart', () => {
    const claims = decodeClaims(
      actionsJwt({
        iss: ISSUER,
        repository: 'example-org/shop',
        workflow_ref: 'example-org/shop/.github/workflows/release.yml@refs/tags/v2.3.0',
        job_workflow_ref: 'org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1',
      }),
    );
    const who = signerIdentity(claims, 'https://github.com/');
    expect(who.identity).toBe('https://github.com/org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1');
    expect(who.reusable).toBe(true);
    expect(who.callerWorkflowRef).toBe('example-org/shop/.github/workflows/release.yml@refs/tags/v2.3.0');
    expect(who.repository).toBe('example-org/shop');
  });

  it('GitHub Enterprise Server: the server URL is the identity base', () => {
    const claims = decodeClaims(
      actionsJwt({
        iss: 'https://ghe.corp/_services/token',
        job_workflow_ref: 'a/b/.github/workflows/c.yml@refs/heads/main',
      }),
    );
    expect(signerIdentity(claims, 'https://ghe.corp').identity).toBe(
      'https://ghe.corp/a/b/.github/workflows/c.yml@refs/heads/main',
    );
  });

  it('refuses tokens it cannot build an exact identity from', () => {
    expect(() => signerIdentity(decodeClaims(actionsJwt({ iss: ISSUER })), '')).toThrow(/job_workflow_ref/);
    expect(() => signerIdentity(decodeClaims(actionsJwt({ iss: ISSUER, job_workflow_ref: 'x' })), '')).toThrow(
      /job_workflow_ref/,
    );
    expect(() => decodeClaims('abc')).toThrow(/not a JWT/);
    expect(() => decodeClaims(actionsJwt({ sub: 'x' }))).toThrow(/"iss"/);
  });
});

describe('imageProblem: only repo@sha256:<64 hex>', () => {
  const hex = 'a'.repeat(64);
  it.each([
    [`reg.corp:5000/team/app@sha256:${hex}`, undefined],
    ['reg.corp/team/app:1.2.3', /":1\.2\.3" is a tag\)\. A tag is refused: signing a tag signs whatever it points to/],
    ['reg.corp/team/app:latest', /":latest" is a tag/],
    ['latest', /no digest/],
    [`reg.corp/team/app@sha256:${'a'.repeat(12)}`, /12 hex characters after sha256:, not 64/],
    [`reg.corp/team/app@sha512:${hex}`, /not sha256/],
    [`reg.corp/team/app@sha256:${'A'.repeat(64)}`, /lower-case hex/],
    [`--key=/tmp/x@sha256:${hex}`, /starts with "-"/],
    [`reg.corp/Team/App@sha256:${hex}`, /repository part/],
  ])('%s', (ref, want) => {
    const p = imageProblem(ref);
    if (want === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(want);
  });
});

describe('parseKeyRef', () => {
  it.each([
    ['cosign.key', 'file'],
    ['./keys/cosign.key', 'file'],
    ['env://COSIGN_PRIVATE_KEY', 'env'],
    ['k8s://signing/cosign', 'k8s'],
    ['awskms:///alias/signing', 'kms'],
    ['gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/versions/1', 'kms'],
    ['azurekms://vault.vault.azure.net/key', 'kms'],
    ['hashivault://transit-key', 'kms'],
  ])('%s → %s', (ref, kind) => {
    const r = parseKeyRef(ref);
    expect(r.ok && r.key.kind).toBe(kind);
  });

  it.each([
    ['-rf', /may not start with "-"/],
    ['--key=x', /may not start with "-"/],
    ['foo://bar', /unknown key reference scheme "foo:\/\/"/],
    ['pkcs11:token=x', /unknown key reference "pkcs11:"/],
    ['env://1BAD', /must name an environment variable/],
    ['k8s://Bad_NS/x', /k8s:\/\/<namespace>\/<secret>/],
    ['awskms://', /needs a key identifier/],
    ['a\nb', /control characters/],
  ])('%s is refused', (ref, reason) => {
    const r = parseKeyRef(ref);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('decideTlog', () => {
  const base = { publicRekor: true, keyless: true, repository: 'example-org/shop' } as const;
  it('public repository on the public Rekor: upload, no fuss', () => {
    expect(decideTlog({ ...base, setting: 'auto', visibility: 'public' })).toEqual({ ok: true, upload: true });
  });
  it('private repository, auto: refused with the choices', () => {
    const d = decideTlog({ ...base, setting: 'auto', visibility: 'private' });
    expect(d.ok).toBe(false);
    if (!d.ok)
      expect(d.reason).toMatch(
        /example-org\/shop is private.*repository name, the workflow path.*set tlog-upload: true.*rekor-url.*mode: key and tlog-upload: false/,
      );
  });
  it('private repository, explicit true: upload with a warning for the summary', () => {
    const d = decideTlog({ ...base, setting: 'true', visibility: 'internal' });
    expect(d).toMatchObject({ ok: true, upload: true });
    expect(d.ok && d.warning).toMatch(/internal repository.*publicly and permanently/);
  });
  it('on-prem Rekor is not public', () => {
    expect(decideTlog({ ...base, publicRekor: false, setting: 'auto', visibility: 'private' })).toEqual({
      ok: true,
      upload: true,
    });
  });
  it('no tlog: key mode only', () => {
    expect(decideTlog({ ...base, keyless: false, setting: 'false', visibility: 'private' })).toEqual({
      ok: true,
      upload: false,
    });
    const d = decideTlog({ ...base, setting: 'false', visibility: 'public' });
    expect(d.ok).toBe(false);
  });
});

describe('mergeAnnotations', () => {
  it('defaults first, user values win on a clash', () => {
    expect(
      mergeAnnotations(
        [
          ['repository', 'a/b'],
          ['commit', 'c'],
        ],
        [
          ['commit', 'override'],
          ['team', 'x'],
        ],
      ),
    ).toEqual([
      ['repository', 'a/b'],
      ['commit', 'override'],
      ['team', 'x'],
    ]);
  });
});

describe('withRetries: bounded by the total budget', () => {
  function clock() {
    let t = 1_000_000;
    const sleeps: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)),
      random: () => 0.5,
      sleeps,
      advance: (ms: number) => (t += ms),
    };
  }
  const policy = { baseDelayMs: 5_000, maxDelayMs: 60_000, maxAttemptMs: 240_000, minAttemptMs: 20_000 };

  it('backoff doubles up to the cap, with jitter around it', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([
      5000, 10000, 20000, 40000, 60000, 60000, 60000,
    ]);
    expect(backoffDelay(1, policy, () => 0)).toBe(3750);
    expect(backoffDelay(1, policy, () => 1)).toBe(6250);
  });

  it('transient failures are retried until one succeeds', async () => {
    const c = clock();
    const outcomes: Outcome<string>[] = [
      { kind: 'transient', reason: '502', error: new Error('502') },
      { kind: 'transient', reason: '503', error: new Error('503') },
      { kind: 'ok', value: 'signed' },
    ];
    const r = await withRetries(
      'sign',
      async () => outcomes.shift()!,
      { ...policy, deadline: c.now() + 600_000 },
      { ...c, log: new MemoryLogger() },
    );
    expect(r).toMatchObject({ attempts: 3, outcome: { kind: 'ok', value: 'signed' } });
    expect(c.sleeps).toEqual([5000, 10000]);
  });

  it('a permanent failure stops at once', async () => {
    const c = clock();
    const r = await withRetries(
      'sign',
      async () => ({ kind: 'permanent', reason: 'DENIED', error: new Error('x') }) as const,
      { ...policy, deadline: c.now() + 600_000 },
      { ...c, log: new MemoryLogger() },
    );
    expect(r.attempts).toBe(1);
    expect(c.sleeps).toEqual([]);
  });

  it('a 10-minute outage: attempts stop before the budget, never past it', async () => {
    const c = clock();
    const start = c.now();
    const timeouts: number[] = [];
    const log = new MemoryLogger();
    const r = await withRetries(
      'sign',
      async (_n, timeoutMs) => {
        timeouts.push(timeoutMs);
        c.advance(30_000); // each failing attempt takes 30 s (a Rekor 502 after cosign's own retries)
        return { kind: 'transient', reason: 'status 502', error: new Error('502') };
      },
      { ...policy, deadline: start + 600_000 },
      { ...c, log },
    );
    expect(r.outcome.kind).toBe('transient');
    expect(r.gaveUp).toMatch(/not retrying: .* of the time budget left/);
    expect(c.now() - start).toBeLessThanOrEqual(600_000);
    // 30 s attempts, then 5, 10, 20, 40, 60, 60, 60, 60 s of backoff: the 9th ends at 585 s, a 10th would not fit
    expect(r.attempts).toBe(9);
    expect(c.sleeps).toEqual([5000, 10000, 20000, 40000, 60000, 60000, 60000, 60000]);
    for (const t of timeouts) expect(t).toBeLessThanOrEqual(240_000);
    expect(log.text()).toMatch(/attempt 1 failed with a transient error \(status 502\); retrying in 5s/);
  });

  it('each attempt gets at most what is left of the budget', async () => {
    const c = clock();
    const timeouts: number[] = [];
    await withRetries(
      'verify',
      async (_n, t) => {
        timeouts.push(t);
        c.advance(100_000);
        return { kind: 'transient', reason: 'x', error: new Error('x') };
      },
      { ...policy, deadline: c.now() + 150_000 },
      { ...c, log: new MemoryLogger() },
    );
    // 150 s budget: the first attempt may use all of it; after 100 s and 5 s of backoff, 45 s are left
    expect(timeouts).toEqual([150_000, 45_000]);
  });
});

describe('@polyglot-cd/tools/sigstore', () => {
  it('quotes an argument for a POSIX shell only when it needs it', async () => {
    const { shellQuote } = await import('@polyglot-cd/tools/sigstore');
    expect(shellQuote('repo@sha256:abc')).toBe('repo@sha256:abc');
    expect(shellQuote('with space')).toBe("'with space'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('')).toBe("''");
  });
});
