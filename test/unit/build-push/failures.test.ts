/**
 * build-push in-process (main with deps): after each kind of failure the kit still writes the outputs
 * and the summary once, with the failure's own block (action-kit run.ts).
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../actions/build-push/src/main.js';
import { baseEnv, runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function context(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-unit-'));
  writeFileSync(join(dir, 'Containerfile'), 'FROM scratch\nCOPY missing.txt /\n');
  return dir;
}

/** a directory with a `buildah` that fails the way a build with a missing file does */
function failingBuildah(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-fake-buildah-'));
  const bin = join(dir, 'buildah');
  writeFileSync(
    bin,
    '#!/bin/sh\necho \'Error: building at STEP "COPY missing.txt /": checking on sources under "/ctx": copier: stat: "/missing.txt": no such file or directory\' >&2\nexit 125\n',
  );
  chmodSync(bin, 0o755);
  return dir;
}

function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const ws = workspace(inputs, { GITHUB_SHA: SHA, ...env });
  const sleeps: number[] = [];
  return runInProcess('build-push', (ctx) => main(ctx, { sleep: async (ms) => void sleeps.push(ms) }), ws);
}

describe('build-push: outputs and summary after a failure', () => {
  it('an input error: the input block, no digest, the summary says failed', async () => {
    const r = await run({ image: 'org/app', context: context() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input "image" .*starting with the registry host/);
    expect(r.summary).toContain('### build-push: Input error: fix the input and run again');
    expect(r.summary).toContain('| Result | failed |');
    expect(r.outputs).toEqual({});
  });

  it('a tool failure: buildah exits 125; the tool block names the command, the exit code and stderr', async () => {
    const image = '127.0.0.1:5999/org/app';
    const r = await run(
      { image, context: context(), builder: 'buildah', push: 'false' },
      { PATH: `${failingBuildah()}:${baseEnv()['PATH']}` },
    );
    expect(r.code).toBe(1);
    expect(r.summary).toContain('### build-push: A tool failed');
    expect(r.summary).toMatch(/<code>buildah build .*<\/code>, exit code 125/);
    expect(r.summary).toContain('no such file or directory');
    expect(r.summary).toContain(`build-push: ${image}`);
    expect(r.summary).toContain('| Builder | buildah: builder: buildah was asked for |');
    expect(r.summary).toContain(`**Tags** (computed, not pushed): <code>${image}:sha-a1b2c3d</code>`);
    expect(r.outputs['digest']).toBeUndefined();
  });

  it('an infrastructure failure: a registry at a closed port, retried push-attempts times, then given up', async () => {
    const r = await run({
      image: '127.0.0.1:1/org/app',
      context: context(),
      'insecure-registries': '127.0.0.1:1',
      'push-attempts': '3',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::Registry 127\.0\.0\.1:1 of input "image" is unreachable: .*ECONNREFUSED.*\(registry 127\.0\.0\.1:1: gave up after 3 attempts\)/,
    );
    expect(r.summary).toContain('### build-push: Infrastructure failure: gave up after retrying');
    expect(r.summary).toMatch(/Service: registry 127\.0\.0\.1:1; attempts: 3/);
    expect(r.summary).toContain('| Result | failed |');
    expect(r.stdout).not.toMatch(/::group::(Build|Push|Log in)/);
    expect(r.outputs['digest']).toBeUndefined();
  });
});
