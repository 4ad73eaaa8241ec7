// build-push from its bundle (dist/build-push/index.js, real Node 24) with the real buildah, skopeo
// and docker-registry (test/registry). skopeo is the independent witness of digests, tags and labels.
import { mkdtempSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { canary, recordingPath } from '../../helpers/canary.js';
import { startFlakyProxy } from '../../registry/flaky-proxy.js';
import { containersEnv, registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function context(base: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-ctx-'));
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
      'RUN cat /hello.txt /greeting.txt',
      extra,
      '',
    ].join('\n'),
  );
  return dir;
}

// buildah and skopeo (found on PATH) record every call for the secret canary scan
const recording = recordingPath(['buildah', 'skopeo']);

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const PATH = `${recording}:${baseEnv()['PATH']}`;
  return runBundle('build-push', workspace(inputs, { ...containersEnv(), GITHUB_SHA: SHA, PATH, ...env }), {
    timeoutMs: 170_000,
  });
}

/** everything a user could see, except the ::add-mask:: commands that register the secret */
const visible = (r: ActionRun): string =>
  r.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function expectOk(r: ActionRun): void {
  if (r.code !== 0) throw new Error(`build-push failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

describe('build-push bundle against a real registry', () => {
  it('builds with buildah (no Docker daemon here), pushes every computed tag, digest as the registry has it', async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('app')}`;
    const r = await run(
      {
        image,
        context: context(info.baseImage),
        tags: 'extra-1',
        latest: 'true',
        labels: 'org.opencontainers.image.title=custom-title\nteam=payments',
        'build-args': 'GREETING=hi',
        'insecure-registries': info.plain.host,
      },
      { GITHUB_REF: 'refs/heads/feature/Foo_Bar', GITHUB_REF_NAME: 'feature/Foo_Bar' },
    );
    expectOk(r);
    const digest = r.outputs['digest'] as string;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.outputs['image']).toBe(`${image}@${digest}`);
    expect(r.outputs['builder']).toBe('buildah');
    const tags = JSON.parse(r.outputs['tags'] as string) as string[];
    expect(tags).toEqual([
      `${image}:sha-a1b2c3d`,
      `${image}:feature-foo_bar-a1b2c3d`,
      `${image}:extra-1`,
      `${image}:latest`,
    ]);
    for (const t of tags) expect((await skopeoInspect(t)).Digest).toBe(digest);
    const inspected = await skopeoInspect(`${image}:sha-a1b2c3d`);
    expect(inspected.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/example-org/shop',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': 'feature-foo_bar-a1b2c3d',
      'org.opencontainers.image.title': 'custom-title',
      team: 'payments',
    });
    expect(inspected.Labels?.['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const meta = JSON.parse(r.outputs['metadata'] as string) as Record<string, unknown>;
    expect(meta).toMatchObject({ digest, image: `${image}@${digest}`, pushed: true, builder: 'buildah' });
    expect(String(meta['builderReason'])).toMatch(/Docker daemon|docker/);
    expect(r.summary).toContain('buildah');
    expect(r.summary).toContain(digest);
    expect(r.stdout).toContain('feature/Foo_Bar');
    // the temporary directory (auth file, registries.conf) is gone
    expect(existsSync(join(r.dir))).toBe(true);
  });

  it('pull request: pr-<N>, no latest even when asked', async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('pr')}`;
    const r = await run(
      { image, context: context(info.baseImage), latest: 'true', 'insecure-registries': info.plain.host },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/42/merge',
        GITHUB_REF_NAME: '42/merge',
        GITHUB_HEAD_REF: 'feature/x',
      },
    );
    expectOk(r);
    expect(JSON.parse(r.outputs['tags'] as string)).toEqual([`${image}:sha-a1b2c3d`, `${image}:pr-42`]);
    expect(r.stdout).toMatch(/latest is never pushed for a pull request/);
  });

  it('gate before push: push false writes an OCI archive; from-archive pushes exactly those bytes', async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('gate')}`;
    const built = await run(
      { image, context: context(info.baseImage), push: 'false', 'insecure-registries': info.plain.host },
      { GITHUB_REF: 'refs/tags/v1.4.2' },
    );
    expectOk(built);
    const archive = built.outputs['archive'] as string;
    expect(existsSync(archive)).toBe(true);
    // the archive waits for the scan in a directory nobody else may read or write
    expect(statSync(dirname(archive)).mode & 0o777).toBe(0o700);
    expect(built.outputs['image']).toBeUndefined();
    expect(JSON.parse(built.outputs['tags'] as string)).toEqual([]);
    // nothing reached the registry
    await expect(skopeoInspect(`${image}:1.4.2`)).rejects.toThrow();
    const pushed = await run(
      { image, 'from-archive': archive, 'insecure-registries': info.plain.host },
      { GITHUB_REF: 'refs/tags/v1.4.2' },
    );
    expectOk(pushed);
    expect(pushed.outputs['builder']).toBe('skopeo');
    expect(pushed.outputs['digest']).toBe(built.outputs['digest']);
    for (const t of ['sha-a1b2c3d', '1.4.2', '1.4', '1'])
      expect((await skopeoInspect(`${image}:${t}`)).Digest).toBe(built.outputs['digest']);
  });

  it('TLS registry with a private CA and basic auth; a wrong password fails before building and never shows', async () => {
    const info = registryInfo();
    const image = `${info.tls.host}/${uniqueRepo('tls')}`;
    const ctx = context(info.tlsBaseImage);
    const ok = await run({
      image,
      context: ctx,
      'ca-file': info.tls.caFile,
      username: info.tls.username,
      password: info.tls.password,
    });
    expectOk(ok);
    expect((await skopeoInspect(`${image}:sha-a1b2c3d`)).Digest).toBe(ok.outputs['digest']);
    expect(visible(ok)).not.toContain(info.tls.password);
    expect(ok.stdout).toContain(`::add-mask::${info.tls.password}`);

    const wrong = canary('wrong registry password');
    const image2 = `${info.tls.host}/${uniqueRepo('tls-wrong')}`;
    const bad = await run({
      image: image2,
      context: ctx,
      'ca-file': info.tls.caFile,
      username: info.tls.username,
      password: wrong,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/::error::Registry 127\.0\.0\.1:\d+ refused the login of "polyglot"/);
    expect(visible(bad)).not.toContain(wrong);
    expect(bad.stdout).not.toMatch(/Build .* with buildah/);

    const noCa = await run({
      image: image2,
      context: ctx,
      username: info.tls.username,
      password: info.tls.password,
      'push-attempts': '1',
    });
    expect(noCa.code).toBe(1);
    expect(noCa.stdout).toMatch(/::error::TLS with 127\.0\.0\.1:\d+ failed.*ca-file/);
  });

  it('push retries: 503s within push-attempts succeed; beyond it, a clear error', async () => {
    const info = registryInfo();
    const proxy = await startFlakyProxy(info.plain.url, { failFirst: 0 });
    try {
      const ctx = context(info.baseImage);
      const image = `${proxy.host}/${uniqueRepo('flaky')}`;
      // fail only the manifest PUTs: the build pulls its base from the plain registry directly
      proxy.plan({ failFirst: 2, fault: { status: 503 }, match: (m, p) => m === 'PUT' && p.includes('/manifests/') });
      const r = await run({ image, context: ctx, 'insecure-registries': proxy.host, 'push-attempts': '3' });
      expectOk(r);
      expect(proxy.failures()).toBe(2);
      expect(r.stdout).toMatch(/attempt 1 of 3, transient/);
      expect((await skopeoInspect(`${info.plain.host}/${image.slice(proxy.host.length + 1)}:sha-a1b2c3d`)).Digest).toBe(
        r.outputs['digest'],
      );

      proxy.plan({ failFirst: 100, fault: { status: 503 }, match: (m, p) => m === 'PUT' && p.includes('/manifests/') });
      const image2 = `${proxy.host}/${uniqueRepo('flaky-over')}`;
      const over = await run({ image: image2, context: ctx, 'insecure-registries': proxy.host, 'push-attempts': '2' });
      expect(over.code).toBe(1);
      expect(over.stdout).toMatch(
        /::error::Push of .*:sha-a1b2c3d failed 2 times on transient registry errors \(push-attempts: 2\)/,
      );
    } finally {
      await proxy.stop();
    }
  });
});

describe('build-push hostile inputs: clear errors before any side effect', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'tag with /',
      { tags: 'feature/x' },
      /Input "tags" has an invalid value "feature\/x": not a valid OCI tag: it contains "\/"/,
    ],
    [
      'tag with a space',
      { tags: 'a b' },
      /Input "tags" has an invalid value "a b": not a valid OCI tag: it contains whitespace/,
    ],
    [
      'tag with a leading -',
      { tags: '--push=evil' },
      /Input "tags" has an invalid value "--push=evil": .*starts with "-"/,
    ],
    ['tag over 128 characters', { tags: 'a'.repeat(129) }, /it is 129 characters long \(at most 128\)/],
    [
      'upper-case repository',
      { image: '127.0.0.1:5000/Org/App' },
      /Input "image" .*must be lower-case.*127\.0\.0\.1:5000\/org\/app/,
    ],
    ['image with a tag', { image: '127.0.0.1:5000/org/app:1' }, /Input "image" .*without a tag/],
    ['image without registry', { image: 'org/app' }, /Input "image" .*starting with the registry host/],
    [
      'missing context',
      { context: '/nonexistent/ctx' },
      /Input "context" has an invalid value "\/nonexistent\/ctx": no such directory/,
    ],
    ['missing Containerfile', { context: 'EMPTY' }, /Input "file" .*no Containerfile or Dockerfile in the context/],
    [
      'two platforms with buildah',
      { builder: 'buildah', platforms: 'linux/amd64,linux/arm64' },
      /Input "platforms" .*buildah builds one platform/,
    ],
    ['username without password', { username: 'ci' }, /Input "password" .*without a password/],
    [
      'unreachable registry',
      { image: '127.0.0.1:1/org/app', 'insecure-registries': '127.0.0.1:1', 'push-attempts': '1' },
      /Registry 127\.0\.0\.1:1 of input "image" is unreachable: .*ECONNREFUSED.*Nothing was built or pushed/,
    ],
  ];
  it.each(cases)('%s', async (_name, over, re) => {
    const info = registryInfo();
    const empty = mkdtempSync(join(tmpdir(), 'pcd-bp-empty-'));
    const inputs: Record<string, string> = {
      image: `${info.plain.host}/${uniqueRepo('hostile')}`,
      context: context(info.baseImage),
      'insecure-registries': info.plain.host,
      ...over,
    };
    if (inputs['context'] === 'EMPTY') inputs['context'] = empty;
    const r = await run(inputs);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(re);
    expect(r.stdout).not.toMatch(/::group::(Build|Push|Log in)/);
    expect(r.outputs['digest']).toBeUndefined();
  });
});
