// The registry harness itself: both registries answer, the TLS one demands its CA and credentials, the
// base image is in both and can RUN shell commands in a multi-stage build, and the flaky proxy fails
// exactly the requests it was told to.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canary } from '../helpers/canary.js';
import { startFlakyProxy } from './flaky-proxy.js';
import { buildah, containersEnv, registryInfo, skopeoInspect, uniqueRepo } from './harness.js';

function status(url: string, opts: { ca?: string; auth?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = opts.auth ? { authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {};
    const cb = (res: { statusCode?: number; resume(): void }): void => {
      res.resume();
      resolve(res.statusCode ?? 0);
    };
    const req = url.startsWith('https:')
      ? httpsRequest(url, { headers, ...(opts.ca ? { ca: opts.ca } : {}) }, cb)
      : get(url, { headers }, cb);
    req.on('error', reject);
    req.end();
  });
}

describe('registry harness', () => {
  it('serves a plain HTTP registry on 127.0.0.1 without auth', async () => {
    const { plain } = registryInfo();
    expect(plain.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await status(`${plain.url}/v2/`)).toBe(200);
  });

  it('serves a TLS registry whose certificate only the throwaway CA trusts, with basic auth', async () => {
    const { tls } = registryInfo();
    const ca = readFileSync(tls.caFile, 'utf8');
    await expect(status(`${tls.url}/v2/`)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    expect(await status(`${tls.url}/v2/`, { ca })).toBe(401);
    expect(await status(`${tls.url}/v2/`, { ca, auth: `${tls.username}:${canary('wrong registry password')}` })).toBe(
      401,
    );
    expect(await status(`${tls.url}/v2/`, { ca, auth: `${tls.username}:${tls.password}` })).toBe(200);
  });

  it('has the busybox base image in both registries, same digest', async () => {
    const info = registryInfo();
    const a = await skopeoInspect(info.baseImage);
    const b = await skopeoInspect(info.tlsBaseImage);
    expect(a.Digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(b.Digest).toBe(a.Digest);
    expect(a.Os).toBe('linux');
    expect(a.Layers).toHaveLength(1);
    expect(a.Labels?.['org.opencontainers.image.title']).toContain('busybox');
  });

  it('builds a multi-stage Containerfile with RUN steps FROM the base image and pushes it', async () => {
    const info = registryInfo();
    const ctx = mkdtempSync(join(tmpdir(), 'pcd-ctx-'));
    writeFileSync(
      join(ctx, 'Containerfile'),
      [
        `FROM ${info.baseImage} AS build`,
        'RUN echo built > /built.txt && sh -c "test -x /bin/ls"',
        `FROM ${info.baseImage}`,
        'COPY --from=build /built.txt /built.txt',
        'RUN cat /built.txt',
        '',
      ].join('\n'),
    );
    const ref = `${info.plain.host}/${uniqueRepo('harness')}:t1`;
    await buildah(['build', '--isolation', 'chroot', '--tls-verify=false', '--layers=false', '-q', '-t', ref, ctx]);
    const digestFile = join(ctx, 'digest');
    await buildah(['push', '--tls-verify=false', '--digestfile', digestFile, ref, `docker://${ref}`]);
    const pushed = readFileSync(digestFile, 'utf8').trim();
    expect((await skopeoInspect(ref)).Digest).toBe(pushed);
    const container = (await buildah(['from', '--pull-never', ref])).stdout.trim();
    try {
      const { stdout } = await buildah(['run', '--isolation', 'chroot', container, '--', 'cat', '/built.txt']);
      expect(stdout.trim()).toBe('built');
    } finally {
      await buildah(['rm', container]);
    }
  });

  it('the flaky proxy fails the first N registry requests with 503, then passes through', async () => {
    const info = registryInfo();
    const proxy = await startFlakyProxy(info.plain.url, { failFirst: 2 });
    try {
      const repo = info.baseImage.slice(info.plain.host.length + 1).replace(/:.*$/, '');
      const url = `${proxy.url}/v2/${repo}/tags/list`;
      expect(await status(url)).toBe(503);
      expect(await status(url)).toBe(503);
      expect(await status(url)).toBe(200);
      expect(proxy.failures()).toBe(2);
      expect(await status(`${proxy.url}/v2/`)).toBe(200); // the ping never counts
      // skopeo sees the registry through the proxy once the faults are spent
      const { stdout } = await promisify(execFile)(
        'skopeo',
        ['inspect', '--tls-verify=false', `docker://${proxy.host}/${repo}:1`],
        { env: { ...process.env, ...containersEnv() } },
      );
      expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe((await skopeoInspect(info.baseImage)).Digest);
    } finally {
      await proxy.stop();
    }
  });
});
