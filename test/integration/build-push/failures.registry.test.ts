// build-push from its bundle with the real buildah: a build that fails (a RUN step exiting non-zero)
// is a tool failure; the kit still writes the outputs and the summary, with the tool's own block.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, runBundle, workspace } from '../../helpers/action-env.js';
import { recordingPath } from '../../helpers/canary.js';
import { containersEnv, registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const recording = recordingPath(['buildah', 'skopeo']);

describe('build-push bundle: a failing build', () => {
  it('a RUN step exiting 3: the tool block (command, exit code, stderr), nothing pushed', async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('broken')}`;
    const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-broken-'));
    writeFileSync(join(dir, 'Containerfile'), `FROM ${info.baseImage}\nRUN echo "about to fail" && exit 3\n`);
    const PATH = `${recording}:${baseEnv()['PATH']}`;
    const r = await runBundle(
      'build-push',
      workspace(
        { image, context: dir, builder: 'buildah', 'insecure-registries': info.plain.host },
        { ...containersEnv(), GITHUB_SHA: SHA, PATH },
      ),
      { timeoutMs: 170_000 },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::buildah .*exit code/);
    expect(r.summary).toContain('### build-push: A tool failed');
    expect(r.summary).toMatch(/<code>buildah build .*<\/code>, exit code \d+/);
    expect(r.summary).toContain('| Builder | buildah: builder: buildah was asked for |');
    expect(r.summary).toContain(`**Tags** (computed, not pushed): <code>${image}:sha-a1b2c3d</code>`);
    expect(r.outputs['digest']).toBeUndefined();
    await expect(skopeoInspect(`${image}:sha-a1b2c3d`)).rejects.toThrow();
  });
});
