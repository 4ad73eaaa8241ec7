// build-push from its bundle against an immutable-tag registry: the real docker-registry behind
// flaky-proxy with `immutableTags`, which refuses a manifest PUT to an existing tag with the status
// and body ECR (400 TAG_INVALID) or Harbor (412 PRECONDITION) send (sources in flaky-proxy.ts).
// SECURITY.md T28: a re-run whose tag already points at the same digest is a success; a tag that
// holds another digest fails the step, naming the tag and both digests, and is never overwritten.
// skopeo, straight to the registry (not through the proxy), is the witness.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { startFlakyProxy, type FlakyProxy } from '../../registry/flaky-proxy.js';
import { containersEnv, registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
// a re-run builds the same commit: with SOURCE_DATE_EPOCH (reproducible-builds.org) the build is
// byte-for-byte the same, so its digest is too
const EPOCH = '1700000000';
const DIGEST = /sha256:[a-f0-9]{64}/g;

function context(base: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-imm-'));
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  writeFileSync(
    join(dir, 'Containerfile'),
    [
      `FROM ${base} AS build`,
      'ARG GREETING=none',
      'RUN echo "$GREETING" > /greeting.txt',
      `FROM ${base}`,
      'COPY --from=build /greeting.txt /greeting.txt',
      'COPY hello.txt /hello.txt',
      '',
    ].join('\n'),
  );
  return dir;
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runBundle('build-push', workspace(inputs, { ...containersEnv(), GITHUB_SHA: SHA, ...env }), {
    timeoutMs: 170_000,
  });
}

function expectOk(r: ActionRun): void {
  if (r.code !== 0) throw new Error(`build-push failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

/** the proxy (the registry under test) and the plain registry the base image comes from */
const insecure = (): string => `${proxyHost}\n${registryInfo().plain.host}`;
let proxyHost = '';

/** the tags of `repo` the proxy refused (containers/image retries each tag once per manifest format) */
const refusedTags = (proxy: FlakyProxy, repo: string): string[] => [
  ...new Set(
    proxy
      .refusals()
      .filter((r) => r.repo === repo)
      .map((r) => r.tag),
  ),
];

/** the same reference, straight to the registry behind the proxy */
const direct = (proxy: FlakyProxy, ref: string): string =>
  `${registryInfo().plain.host}${ref.slice(proxy.host.length)}`;

describe('build-push against an immutable-tag registry (bundle, real registry)', () => {
  let proxy: FlakyProxy;
  beforeAll(async () => {
    proxy = await startFlakyProxy(registryInfo().plain.url, { failFirst: 0 });
    proxyHost = proxy.host;
  });
  afterAll(async () => {
    await proxy.stop();
  });

  it('ECR: a re-run of the same build (same digest) is a success; outputs and summary say the tags already pointed at it', async () => {
    proxy.plan({ failFirst: 0, immutableTags: 'ecr' });
    const info = registryInfo();
    const ctx = context(info.baseImage);
    const image = `${proxy.host}/${uniqueRepo('imm-rerun')}`;
    const inputs = { image, context: ctx, tags: 'release-7', 'insecure-registries': insecure(), 'push-attempts': '2' };
    const env = { SOURCE_DATE_EPOCH: EPOCH };
    const first = await run(inputs, env);
    expectOk(first);
    const digest = first.outputs['digest'] as string;
    const refs = [`${image}:sha-a1b2c3d`, `${image}:main-a1b2c3d`, `${image}:release-7`];
    expect(JSON.parse(first.outputs['tags'] as string)).toEqual(refs);
    const repo = image.slice(proxy.host.length + 1);
    expect(refusedTags(proxy, repo)).toEqual([]);

    const rerun = await run(inputs, env);
    expectOk(rerun);
    // every tag was refused by the registry, and that was accepted because it already held this digest
    expect(refusedTags(proxy, repo)).toEqual(['sha-a1b2c3d', 'main-a1b2c3d', 'release-7']);
    expect(rerun.stdout).toContain("the registry said: tag invalid: The image tag 'sha-a1b2c3d' already exists");
    expect(rerun.outputs['digest']).toBe(digest);
    expect(rerun.outputs['image']).toBe(`${image}@${digest}`);
    expect(JSON.parse(rerun.outputs['tags'] as string)).toEqual(refs);
    expect(rerun.outputs['builder']).toBe('buildah');
    expect(JSON.parse(rerun.outputs['metadata'] as string)).toMatchObject({
      digest,
      image: `${image}@${digest}`,
      pushed: true,
      tags: refs,
    });
    for (const ref of refs) expect((await skopeoInspect(direct(proxy, ref))).Digest).toBe(digest);
    expect(rerun.summary).toContain(digest);
    expect(rerun.summary).toMatch(/already (pointed|pointing) at this digest/i);
    for (const ref of refs) expect(rerun.summary).toContain(ref);
    expect(rerun.stdout).toMatch(
      new RegExp(`::notice::${image.replace(/[.]/g, '\\.')}:sha-a1b2c3d already exists and points at ${digest}`),
    );
  });

  it('a tag that holds another digest fails the step, names the tag and both digests, and is not overwritten (ECR and Harbor)', async () => {
    const info = registryInfo();
    const ctx = context(info.baseImage);
    for (const registry of ['ecr', 'harbor'] as const) {
      proxy.plan({ failFirst: 0, immutableTags: registry });
      const image = `${proxy.host}/${uniqueRepo(`imm-${registry}`)}`;
      const inputs = { image, context: ctx, 'insecure-registries': insecure(), 'push-attempts': '2' };
      const first = await run({ ...inputs, 'build-args': 'GREETING=one' });
      expectOk(first);
      const held = first.outputs['digest'] as string;

      // the same commit, another image (different content): the tag sha-a1b2c3d is already taken
      // (the digest it names for the refused image is computed locally: the re-run test above shows
      // that computation matches what the registry stores)
      const second = await run({ ...inputs, 'build-args': 'GREETING=two' });
      expect(second.code).toBe(1);
      const error = second.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
      const named = new RegExp(
        `^::error::${image.replace(/[.]/g, '\\.')}:sha-a1b2c3d already exists and points at (sha256:[a-f0-9]{64}), not at (sha256:[a-f0-9]{64}); `,
      ).exec(error);
      expect(named?.[1]).toBe(held);
      expect(named?.[2]).not.toBe(held);
      // only those two digests: not the local image ID, not the registry's words repeated per format
      expect(new Set(error.match(DIGEST))).toEqual(new Set([held, named?.[2]]));
      expect(error).not.toContain('application/vnd');
      // the registry's own words reach the user
      expect(error).toMatch(
        registry === 'ecr' ? /tag invalid: The image tag 'sha-a1b2c3d' already exists/ : /configured as immutable/,
      );
      expect(second.outputs['digest']).toBeUndefined();
      expect(second.outputs['image']).toBeUndefined();
      expect(second.summary).toMatch(/Result \| failed/);
      // never forced: both tags still hold the first image
      for (const tag of ['sha-a1b2c3d', 'main-a1b2c3d'])
        expect((await skopeoInspect(direct(proxy, `${image}:${tag}`))).Digest).toBe(held);
    }
  });

  it('from-archive: the exact digest in the error, the tag untouched; a re-run of the same archive is a success (Harbor)', async () => {
    proxy.plan({ failFirst: 0, immutableTags: 'harbor' });
    const info = registryInfo();
    const ctx = context(info.baseImage);
    const image = `${proxy.host}/${uniqueRepo('imm-archive')}`;
    const env = { GITHUB_REF: 'refs/tags/v2.0.1', GITHUB_REF_NAME: 'v2.0.1' };
    const built = await run(
      { image, context: ctx, push: 'false', 'build-args': 'GREETING=a', 'insecure-registries': insecure() },
      env,
    );
    expectOk(built);
    const archive = built.outputs['archive'] as string;
    const digest = built.outputs['digest'] as string;
    const refs = ['sha-a1b2c3d', '2.0.1', '2.0', '2'].map((t) => `${image}:${t}`);

    const pushed = await run({ image, 'from-archive': archive, 'insecure-registries': insecure() }, env);
    expectOk(pushed);
    expect(pushed.outputs['digest']).toBe(digest);
    const repo = image.slice(proxy.host.length + 1);
    expect(refusedTags(proxy, repo)).toEqual([]);

    const again = await run({ image, 'from-archive': archive, 'insecure-registries': insecure() }, env);
    expectOk(again);
    expect(refusedTags(proxy, repo)).toEqual(['sha-a1b2c3d', '2.0.1', '2.0', '2']);
    expect(again.outputs['builder']).toBe('skopeo');
    expect(again.outputs['digest']).toBe(digest);
    expect(again.outputs['image']).toBe(`${image}@${digest}`);
    expect(JSON.parse(again.outputs['tags'] as string)).toEqual(refs);
    expect(again.summary).toMatch(/already (pointed|pointing) at this digest/i);
    for (const ref of refs) expect((await skopeoInspect(direct(proxy, ref))).Digest).toBe(digest);

    // another archive (other content) for the same tags: refused, named exactly, nothing moved
    const other = await run(
      { image, context: ctx, push: 'false', 'build-args': 'GREETING=b', 'insecure-registries': insecure() },
      env,
    );
    expectOk(other);
    const otherDigest = other.outputs['digest'] as string;
    expect(otherDigest).not.toBe(digest);
    const clash = await run(
      { image, 'from-archive': other.outputs['archive'] as string, 'insecure-registries': insecure() },
      env,
    );
    expect(clash.code).toBe(1);
    expect(clash.stdout).toContain(
      `::error::${image}:sha-a1b2c3d already exists and points at ${digest}, not at ${otherDigest}`,
    );
    expect(clash.stdout).toMatch(
      /Registry said: unknown: Failed to process request due to '[a-z0-9-]+:sha-a1b2c3d' configured as immutable\.\n/,
    );
    for (const ref of refs) expect((await skopeoInspect(direct(proxy, ref))).Digest).toBe(digest);
  });
});
