/**
 * trivy-gate's `digest` output from its bundle with the real trivy (the test bed's build, offline, an
 * empty vulnerability DB): the manifest digest of what was scanned, for an image by digest, an OCI
 * archive, an OCI layout directory; '' for a docker-save tar; a layout of two images refused before
 * trivy runs. The witnesses: the archive's and layout's own bytes (index.json and the manifest blob
 * it names, hashed here) and the digest buildah pushed.
 *
 * Skipped when the trivy binary has not been built (`bash scripts/setup/trivy.sh`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { containersEnv, registryInfo, uniqueRepo } from '../../registry/harness.js';
import { builtTrivy, makeTrivyDb, trivyEnv, trivySkipReason } from '../../trivy/db.js';
import { buildPlantedImage, type PlantedImage } from '../../trivy/image.js';

const skipReason = trivySkipReason();
const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The one manifest an index.json names, checked against the blob's bytes (`read` reads a path of the layout). */
function manifestDigest(read: (path: string) => Buffer): string {
  const index = JSON.parse(read('index.json').toString('utf8')) as { manifests: { digest: string }[] };
  expect(index.manifests).toHaveLength(1);
  const digest = index.manifests[0]?.digest as string;
  expect(sha256(read(`blobs/sha256/${digest.slice('sha256:'.length)}`))).toBe(digest);
  return digest;
}

async function skopeoCopy(from: string, to: string): Promise<void> {
  await promisify(execFile)('skopeo', ['copy', '--src-tls-verify=false', `docker://${from}`, to], {
    env: { ...process.env, ...containersEnv() },
    timeout: 120_000,
  });
}

describe.skipIf(skipReason !== undefined)(
  `trivy-gate digest output with the real trivy${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let planted: PlantedImage;
    let cache: string;
    let dir: string;

    beforeAll(async () => {
      const info = registryInfo();
      dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-digest-'));
      planted = await buildPlantedImage({
        base: info.baseImage,
        ref: `${info.plain.host}/${uniqueRepo('trivy-digest')}:1`,
        env: containersEnv(),
        archive: join(dir, 'image.oci.tar'),
        layout: join(dir, 'layout'),
      });
      cache = join(dir, 'cache');
      await makeTrivyDb(cache, []);
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function gate(inputs: Record<string, string>): Promise<ActionRun> {
      const env = { POLYGLOT_CD_TRIVY_BIN: builtTrivy() as string, ...trivyEnv() };
      return runBundle(
        'trivy-gate',
        workspace({ 'cache-dir': cache, 'skip-db-update': 'true', 'fail-on': 'none', ...inputs }, env),
        { timeoutMs: 150_000 },
      );
    }

    function expectScanned(run: ActionRun): void {
      if (run.code !== 0) throw new Error(`trivy-gate failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
      expect(run.outputs['passed']).toBe('true');
    }

    it('an OCI archive: the manifest its index.json names, in the output and the summary', async () => {
      const archive = planted.archive as string;
      const expected = manifestDigest((p) => execFileSync('tar', ['-xOf', archive, p]));
      const run = await gate({ input: archive });
      expectScanned(run);
      expect(run.outputs['digest']).toBe(expected);
      expect(run.summary).toContain(`| Manifest digest | <code>${expected}</code> |`);
    });

    it('an OCI layout directory: the same rule', async () => {
      const layout = planted.layout as string;
      const expected = manifestDigest((p) => readFileSync(join(layout, p)));
      const run = await gate({ input: layout });
      expectScanned(run);
      expect(run.outputs['digest']).toBe(expected);
    });

    it('an image by digest: the digest buildah pushed', async () => {
      const run = await gate({ image: planted.image });
      expectScanned(run);
      expect(run.outputs['digest']).toBe(planted.digest);
    });

    it('a docker-save tar: scanned, no manifest digest (empty)', async () => {
      const tar = join(dir, 'image.docker.tar');
      await skopeoCopy(planted.image, `docker-archive:${tar}`);
      const run = await gate({ input: tar });
      expectScanned(run);
      expect(run.outputs['digest']).toBe('');
      expect(run.summary).toContain('| Manifest digest | none (a docker-save tar has no manifest digest) |');
    });

    it('a layout holding two images: refused naming both, before trivy scans', async () => {
      const two = join(dir, 'two');
      await skopeoCopy(planted.image, `oci:${two}:planted`);
      await skopeoCopy(registryInfo().baseImage, `oci:${two}:base`);
      const index = JSON.parse(readFileSync(join(two, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      expect(index.manifests).toHaveLength(2);
      const run = await gate({ input: two });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `::error::Input "input" has an invalid value "${two}": the OCI layout's index.json names 2 manifests (${index.manifests.map((m) => m.digest).join(', ')})`,
      );
      expect(run.stdout).not.toContain('::group::Scan');
      expect(run.outputs['digest']).toBeUndefined();
    });
  },
);
