// The registry client against the real local registries (test/registry): plain http (insecure),
// TLS with a private CA, htpasswd basic auth, and the flaky proxy. skopeo is the independent witness.
import { describe, expect, it } from 'vitest';
import { checkRegistryAccess, manifestDigest, RegistryError, resolveDigest } from '@polyglot-cd/tools';
import { canary } from '../../helpers/canary.js';
import { startFlakyProxy } from '../../registry/flaky-proxy.js';
import { registryInfo, skopeoInspect } from '../../registry/harness.js';

const fast = { attempts: 3, baseDelayMs: 20, maxDelayMs: 50 };

async function caught(p: Promise<unknown>): Promise<RegistryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RegistryError);
    return e as RegistryError;
  }
  throw new Error('expected a RegistryError');
}

describe('registry client against docker-registry', () => {
  it('resolves a tag to the digest skopeo reports (plain http registry, insecure)', async () => {
    const info = registryInfo();
    const want = (await skopeoInspect(info.baseImage)).Digest;
    expect(await resolveDigest(info.baseImage, { insecure: true })).toBe(want);
    const repo = info.baseImage.replace(/:1$/, '');
    expect(await resolveDigest(`${repo}@${want}`, { insecure: true })).toBe(want);
    expect(await manifestDigest(`${repo}:no-such-tag`, { insecure: true })).toBeUndefined();
    const missing = `sha256:${'0'.repeat(64)}`;
    expect((await caught(resolveDigest(`${repo}@${missing}`, { insecure: true }))).kind).toBe('not-found');
  });

  it('a plain-http registry not listed as insecure fails with a TLS error that says what to do', async () => {
    const e = await caught(resolveDigest(registryInfo().baseImage, { retry: fast }));
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/insecure/);
  });

  it('TLS registry: trusts the private CA file, uses basic auth', async () => {
    const { tls, tlsBaseImage } = registryInfo();
    const auth = { username: tls.username, password: tls.password };
    const want = (await skopeoInspect(tlsBaseImage)).Digest;
    expect(await resolveDigest(tlsBaseImage, { caFile: tls.caFile, auth })).toBe(want);
    await checkRegistryAccess(tls.host, { caFile: tls.caFile, auth });
    // insecure skips verification instead of trusting the CA
    expect(await resolveDigest(tlsBaseImage, { insecure: true, auth })).toBe(want);
  });

  it('TLS registry without the CA: a tls error naming ca-file', async () => {
    const { tls, tlsBaseImage } = registryInfo();
    const e = await caught(
      resolveDigest(tlsBaseImage, { auth: { username: tls.username, password: tls.password }, retry: fast }),
    );
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/ca-file/);
  });

  it('TLS registry: a wrong password or none is "unauthorized", and the password is nowhere in the error', async () => {
    const { tls, tlsBaseImage } = registryInfo();
    const wrong = canary('wrong registry password');
    const e = await caught(
      checkRegistryAccess(tls.host, {
        caFile: tls.caFile,
        auth: { username: tls.username, password: wrong },
        retry: fast,
      }),
    );
    expect(e.kind).toBe('unauthorized');
    expect(`${e.message}\n${e.stack}`).not.toContain(wrong);
    const none = await caught(resolveDigest(tlsBaseImage, { caFile: tls.caFile, retry: fast }));
    expect(none.kind).toBe('unauthorized');
    expect(none.message).toMatch(/none were given/);
  });

  it('a missing CA file is a clear tls error', async () => {
    const { tls } = registryInfo();
    const e = await caught(checkRegistryAccess(tls.host, { caFile: '/nonexistent/ca.pem' }));
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/cannot read the CA file \/nonexistent\/ca\.pem/);
  });

  it('through the flaky proxy: 503s within the bound are retried; over the bound fail clearly', async () => {
    const info = registryInfo();
    const want = (await skopeoInspect(info.baseImage)).Digest;
    const proxy = await startFlakyProxy(info.plain.url, { failFirst: 2, fault: { status: 503 } });
    try {
      const ref = `${proxy.host}/${info.baseImage.slice(info.plain.host.length + 1)}`;
      expect(await resolveDigest(ref, { insecure: true, retry: fast })).toBe(want);
      expect(proxy.failures()).toBe(2);
      proxy.plan({ failFirst: 3, fault: { status: 429, retryAfter: '0' } });
      const e = await caught(resolveDigest(ref, { insecure: true, retry: fast }));
      expect(e.kind).toBe('server');
      expect(e.status).toBe(429);
      expect(e.message).toMatch(/after 3 attempts/);
      proxy.plan({ failFirst: 1, fault: 'reset' });
      expect(await resolveDigest(ref, { insecure: true, retry: fast })).toBe(want);
    } finally {
      await proxy.stop();
    }
  });
});
