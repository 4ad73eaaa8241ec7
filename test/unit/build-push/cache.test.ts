/**
 * build-push's layer cache inputs: the forms docker/build-push-action users write, the rule that a
 * cache lives next to the image, and each builder's flags. The buildah path runs for real in
 * test/integration/build-push/cache.registry.test.ts; buildx cannot run here (no Docker daemon), so
 * its argv is checked against a recording `docker` on PATH.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { Buildah, Docker } from '@polyglot-cd/tools';
import {
  buildahCacheRepos,
  buildxCacheFlags,
  nextToImage,
  parseCacheEntry,
  parseCacheInput,
} from '../../../actions/build-push/src/cache.js';
import { main } from '../../../actions/build-push/src/main.js';
import { baseEnv, runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';

const IMAGE = 'registry.example.com/team/shop';

describe('cache-from / cache-to: the forms', () => {
  it('type=registry with attributes, a bare reference, and type=gha', () => {
    expect(parseCacheEntry('cache-to', `type=registry,ref=${IMAGE}-cache,mode=max`, IMAGE)).toEqual({
      type: 'registry',
      repository: `${IMAGE}-cache`,
      tag: '',
      attrs: [['mode', 'max']],
    });
    expect(parseCacheEntry('cache-from', `${IMAGE}:buildcache`, IMAGE)).toEqual({
      type: 'registry',
      repository: IMAGE,
      tag: 'buildcache',
      attrs: [],
    });
    expect(parseCacheEntry('cache-to', 'type=gha,scope=shop,mode=max', IMAGE)).toEqual({
      type: 'gha',
      attrs: [
        ['scope', 'shop'],
        ['mode', 'max'],
      ],
    });
    expect(parseCacheInput('cache-from', `\n ${IMAGE}-cache \n\ntype=gha\n`, IMAGE)).toHaveLength(2);
    expect(parseCacheInput('cache-from', '', IMAGE)).toEqual([]);
  });

  it('a cache must be next to the image: its registry, and its repository, -cache, -cache-<name> or under it', () => {
    for (const ok of [IMAGE, `${IMAGE}-cache`, `${IMAGE}-cache-pr`, `${IMAGE}/cache`])
      expect(nextToImage(ok, IMAGE)).toBe(true);
    for (const bad of [`${IMAGE}-backend`, 'registry.example.com/team/shopx', 'registry.example.com/other/shop-cache'])
      expect(nextToImage(bad, IMAGE)).toBe(false);
    const err = (() => {
      try {
        parseCacheEntry('cache-from', 'type=registry,ref=evil.example.com/team/shop-cache', IMAGE);
      } catch (e) {
        return e as InputError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      `Input "cache-from" has an invalid value "type=registry,ref=evil.example.com/team/shop-cache": a registry cache must be next to the image ${IMAGE}: ${IMAGE}[:tag], ${IMAGE}-cache, ${IMAGE}-cache-<name> or ${IMAGE}/<name> (a cache elsewhere would let another repository's layers into this image)`,
    );
  });

  it.each([
    ['type=local,src=/tmp/cache', /type=local is not supported/],
    [`type=registry,ref=${IMAGE}-cache,mode=max`, /cache-from type=registry takes ref, not mode/],
    ['type=gha,token=abc', /the token and URL come from the runner/],
    ['type=gha,url=http://cache.example.com', /not url/],
    [`type=registry`, /needs ref=/],
    [`type=registry,ref=${IMAGE}@sha256:${'a'.repeat(64)}`, /without a digest/],
    [`type=registry,ref=${IMAGE}-cache,ref=${IMAGE}-cache`, /ref is given twice/],
    [`type=registry,ref=${IMAGE}-cache;rm -rf /`, /key=value fields/],
    ['shop-cache', /<registry>\/<repository>/],
  ])('cache-from %s is refused', (line, why) => {
    expect(() => parseCacheInput('cache-from', line, IMAGE)).toThrow(why);
  });

  it('at most 8 caches', () => {
    const lines = Array.from({ length: 9 }, (_, i) => `${IMAGE}-cache-${i}`).join('\n');
    expect(() => parseCacheInput('cache-to', lines, IMAGE)).toThrow('at most 8 caches');
  });
});

describe('each builder’s flags', () => {
  const registry = parseCacheEntry('cache-to', `type=registry,ref=${IMAGE}-cache,mode=max`, IMAGE);
  it('buildx: type and ref first; a cache-to never fails the build unless ignore-error is given', () => {
    const kept = parseCacheEntry('cache-to', `type=registry,ref=${IMAGE}:buildcache,ignore-error=false`, IMAGE);
    expect(
      buildxCacheFlags({ from: [parseCacheEntry('cache-from', 'type=gha', IMAGE)], to: [registry, kept] }),
    ).toEqual({
      from: ['type=gha'],
      to: [
        `type=registry,ref=${IMAGE}-cache,mode=max,ignore-error=true`,
        `type=registry,ref=${IMAGE}:buildcache,ignore-error=false`,
      ],
    });
  });

  it('buildah: whole repositories; gha is skipped with a warning; a tag or the image itself is refused', () => {
    const gha = parseCacheEntry('cache-from', 'type=gha', IMAGE);
    expect(buildahCacheRepos({ from: [gha, registry], to: [registry] }, IMAGE)).toEqual({
      from: [`${IMAGE}-cache`],
      to: [`${IMAGE}-cache`],
      warnings: ['cache-from: type=gha is a docker buildx cache; buildah has none of its kind, so it is not used'],
    });
    const tagged = parseCacheEntry('cache-from', `${IMAGE}-cache:main`, IMAGE);
    expect(() => buildahCacheRepos({ from: [tagged], to: [] }, IMAGE)).toThrow(
      /without a tag next to the image, e.g. .*shop-cache/,
    );
    const own = parseCacheEntry('cache-to', IMAGE, IMAGE);
    expect(() => buildahCacheRepos({ from: [], to: [own] }, IMAGE)).toThrow(
      /Input "cache-to": buildah keeps its layer cache/,
    );
  });

  it('Buildah.buildArgs: a cache turns --layers on and names each repository', () => {
    const args = Buildah.buildArgs({
      context: '/ctx',
      file: '/ctx/Containerfile',
      tags: [`${IMAGE}:1`],
      labels: [],
      buildArgs: [],
      iidFile: '/tmp/iid',
      cacheFrom: [`${IMAGE}-cache`, `${IMAGE}-cache-pr`],
      cacheTo: [`${IMAGE}-cache-pr`],
    });
    expect(args).toContain('--layers=true');
    expect(args.slice(args.indexOf('--cache-from'), args.indexOf('--retry'))).toEqual([
      '--cache-from',
      `${IMAGE}-cache`,
      '--cache-from',
      `${IMAGE}-cache-pr`,
      '--cache-to',
      `${IMAGE}-cache-pr`,
    ]);
    const plain = Buildah.buildArgs({
      context: '/c',
      file: '/c/F',
      tags: [],
      labels: [],
      buildArgs: [],
      iidFile: '/i',
    });
    expect(plain).toContain('--layers=false');
    expect(plain).not.toContain('--cache-from');
  });

  it('Docker.buildArgs: --cache-from / --cache-to before the -- and the context', () => {
    const args = Docker.buildArgs({
      context: '/ctx',
      file: '/ctx/Dockerfile',
      tags: [],
      labels: [],
      buildArgs: [],
      platforms: [],
      output: { push: true },
      metadataFile: '/tmp/m.json',
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max,ignore-error=true'],
    });
    const at = args.indexOf('--cache-from');
    expect(args.slice(at, at + 4)).toEqual([
      '--cache-from',
      'type=gha',
      '--cache-to',
      'type=gha,mode=max,ignore-error=true',
    ]);
    expect(at).toBeLessThan(args.indexOf('--'));
  });
});

/** A `docker` that answers as a daemon with buildx would, records each call's argv and whether it got the cache token, and fails the build. */
function recordingDocker(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-fake-docker-'));
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'docker'),
    [
      '#!/bin/sh',
      `printf '%s\\n' "argv: $*" "token: \${ACTIONS_RUNTIME_TOKEN:+set} url: \${ACTIONS_CACHE_URL:-}" >> '${log}'`,
      'case "$1" in',
      '  info) echo \'"27.3.1"\' ;;',
      '  buildx) if [ "$2" = version ]; then echo "github.com/docker/buildx v0.24.0 d0e5e86"; else echo "ERROR: stopped by the test" >&2; exit 1; fi ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'docker'), 0o755);
  writeFileSync(log, '');
  return { dir, log };
}

function runDocker(inputs: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-ctx-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  const ws = workspace({ image: IMAGE, context: dir, builder: 'docker', push: 'false', ...inputs }, env);
  return runInProcess('build-push', (ctx) => main(ctx, {}), ws);
}

describe('buildx: the cache reaches docker buildx build (recorded argv)', () => {
  it('type=gha and a registry cache on argv; the runtime token only in the environment, masked', async () => {
    const docker = recordingDocker();
    const token = 'ghs_cacheRuntimeToken0123456789';
    const r = await runDocker(
      { 'cache-from': `type=gha\n${IMAGE}:buildcache`, 'cache-to': 'type=gha,mode=max' },
      {
        PATH: `${docker.dir}:${baseEnv()['PATH']}`,
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        ACTIONS_RUNTIME_TOKEN: token,
        ACTIONS_CACHE_URL: 'https://cache.example.com/',
      },
    );
    expect(r.code).not.toBe(0);
    const calls = readFileSync(docker.log, 'utf8');
    const build = calls.split('\n').find((l) => l.startsWith('argv: buildx build'));
    expect(build).toContain(`--cache-from type=gha --cache-from type=registry,ref=${IMAGE}:buildcache`);
    expect(build).toContain('--cache-to type=gha,mode=max,ignore-error=true');
    expect(calls).toContain('token: set url: https://cache.example.com/');
    expect(calls).not.toContain(token);
    expect(r.everything.replace(/::add-mask::.*\n/g, '')).not.toContain(token);
  });

  it('builder: buildah with a tagged cache ref is refused before any tool runs', async () => {
    const docker = recordingDocker();
    const r = await runDocker(
      { builder: 'buildah', 'cache-from': `${IMAGE}-cache:main` },
      { PATH: `${docker.dir}:${baseEnv()['PATH']}` },
    );
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('Input "cache-from": buildah keeps its layer cache as the tags of a whole repository');
    expect(readFileSync(docker.log, 'utf8')).toBe('');
  });

  it('from-archive with a cache input is an input error', async () => {
    const archive = join(mkdtempSync(join(tmpdir(), 'pcd-bp-arch-')), 'a.oci.tar');
    writeFileSync(archive, 'x');
    const r = await runDocker({ 'from-archive': archive, push: 'true', 'cache-to': `${IMAGE}-cache` }, {});
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('from-archive pushes an archive and builds nothing: leave the cache inputs empty');
  });
});
