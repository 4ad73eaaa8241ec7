// build-push's layer cache from its bundle, with the real buildah and docker-registry: a second build
// on a runner with empty local storage takes its layers from the registry cache; a cache the
// registry cannot give or take is a warning and the build goes on; a cache elsewhere is refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';
import { storageConf } from '../../registry/registry.js';

const SHA = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

/** A build whose RUN layer differs every time it really runs (a nanosecond clock): a reused layer is the cache's. */
function context(base: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-cache-'));
  writeFileSync(join(dir, 'app.txt'), 'app\n');
  writeFileSync(
    join(dir, 'Containerfile'),
    [`FROM ${base}`, 'RUN date +%s%N > /built-at', 'COPY app.txt /app.txt', ''].join('\n'),
  );
  return dir;
}

/** Runs the bundle with its own, empty, local image store: a fresh runner. */
async function runFresh(inputs: Record<string, string>): Promise<ActionRun> {
  const conf = await storageConf(mkdtempSync(join(tmpdir(), 'pcd-bp-store-')));
  const env = {
    CONTAINERS_STORAGE_CONF: conf,
    BUILDAH_ISOLATION: 'chroot',
    GITHUB_SHA: SHA,
    SOURCE_DATE_EPOCH: '1700000000',
  };
  return runBundle('build-push', workspace(inputs, env), { timeoutMs: 170_000 });
}

function expectOk(r: ActionRun): void {
  if (r.code !== 0) throw new Error(`build-push failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

describe('build-push layer cache (real buildah, real registry)', () => {
  it('a build on a fresh runner reuses the layers the first build pushed to <image>-cache (TLS, with credentials)', async () => {
    const info = registryInfo();
    const image = `${info.tls.host}/${uniqueRepo('cached')}`;
    const ctx = context(info.tlsBaseImage);
    const inputs = {
      image,
      context: ctx,
      'cache-from': `type=registry,ref=${image}-cache`,
      'cache-to': `type=registry,ref=${image}-cache,mode=max`,
      'ca-file': info.tls.caFile,
      username: info.tls.username,
      password: info.tls.password,
    };
    const first = await runFresh(inputs);
    expectOk(first);
    expect(first.stdout).toContain('Pushing cache');
    const second = await runFresh(inputs);
    expectOk(second);
    expect(second.stdout).toContain('Cache pulled from remote');
    const inspect = (d: string): Promise<{ Layers: string[] }> => skopeoInspect(`${image}@${d}`);
    const [a, b] = await Promise.all([
      inspect(first.outputs['digest'] as string),
      inspect(second.outputs['digest'] as string),
    ]);
    // the RUN layer holds the clock of the build that ran it: equal layers mean it ran once
    expect(b.Layers).toEqual(a.Layers);
    const meta = JSON.parse(second.outputs['metadata'] as string) as {
      cache: { from: string[]; to: string[]; notes: string[] };
    };
    expect(meta.cache).toEqual({ from: [`${image}-cache`], to: [`${image}-cache`], notes: [] });
  });

  it('an unreachable cache warns and the build goes on without it (push: false, archive written)', async () => {
    const info = registryInfo();
    // nothing listens on port 9: the cache can be neither read nor written
    const image = `127.0.0.1:9/${uniqueRepo('nocache')}`;
    const r = await runFresh({
      image,
      context: context(info.baseImage),
      push: 'false',
      'cache-from': `${image}-cache`,
      'cache-to': `${image}-cache`,
      'insecure-registries': `${info.plain.host}\n127.0.0.1:9`,
    });
    expectOk(r);
    expect(r.outputs['archive']).toMatch(/\.oci\.tar$/);
    expect(r.stdout).toMatch(/::warning::cache-from 127\.0\.0\.1:9\/\S+-cache cannot be read/);
    expect(r.stdout).toMatch(/::warning::cache-to 127\.0\.0\.1:9\/\S+-cache cannot be written/);
    const meta = JSON.parse(r.outputs['metadata'] as string) as {
      cache: { from: string[]; to: string[]; notes: string[] };
    };
    expect(meta.cache.from).toEqual([]);
    expect(meta.cache.to).toEqual([]);
    expect(meta.cache.notes).toHaveLength(2);
  });

  it('a cache in another repository is refused before anything is built', async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('app')}`;
    const r = await runFresh({
      image,
      context: context(info.baseImage),
      'cache-from': `${info.plain.host}/someone-else/cache`,
      'insecure-registries': info.plain.host,
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(`Input "cache-from" has an invalid value "${info.plain.host}/someone-else/cache"`);
    expect(r.stdout).toContain('next to the image');
    expect(r.stdout).not.toContain('STEP 1/');
  });
});
