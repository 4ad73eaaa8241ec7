// The scan-before-push chain from the bundles, as the reusable workflows run it: build-push with
// push: false writes an OCI archive, trivy-gate scans it (input) and outputs its manifest digest,
// build-push from-archive with expected-digest pushes exactly those bytes and checks the registry has
// them. Real buildah, skopeo and docker-registry (test/registry); the real trivy for the whole chain
// when it is built here. The witnesses: the archive's own bytes (tar, sha256), skopeo and the
// registry's HTTP API (tags list, catalog).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { recordingPath } from '../../helpers/canary.js';
import { containersEnv, registryInfo, skopeoInspect, uniqueRepo } from '../../registry/harness.js';
import { builtTrivy, makeTrivyDb, trivyEnv, trivySkipReason } from '../../trivy/db.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const REF = { GITHUB_REF: 'refs/tags/v3.1.4', GITHUB_REF_NAME: 'v3.1.4' };
const TAGS = ['sha-a1b2c3d', '3.1.4', '3.1', '3'];
const recording = recordingPath(['buildah', 'skopeo']);
const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function context(base: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-chain-'));
  writeFileSync(join(dir, 'Containerfile'), `FROM ${base}\nRUN echo scanned > /scanned.txt\n`);
  return dir;
}

function buildPush(inputs: Record<string, string>): Promise<ActionRun> {
  const PATH = `${recording}:${baseEnv()['PATH']}`;
  const env = { ...containersEnv(), GITHUB_SHA: SHA, PATH, ...REF };
  return runBundle('build-push', workspace(inputs, env), { timeoutMs: 170_000 });
}

function expectOk(r: ActionRun): void {
  if (r.code !== 0) throw new Error(`the step failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

/** The archive's manifest digest, from its own bytes: the one entry of index.json, whose blob hashes to it. */
function archiveDigest(archive: string): string {
  const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json'], { encoding: 'utf8' })) as {
    manifests: { digest: string }[];
  };
  expect(index.manifests).toHaveLength(1);
  const digest = index.manifests[0]?.digest as string;
  const blob = execFileSync('tar', ['-xOf', archive, `blobs/sha256/${digest.slice('sha256:'.length)}`]);
  expect(sha256(blob)).toBe(digest);
  return digest;
}

/** The registry's own answers about a repository: its tags (none when it does not exist) and whether the catalog lists it. */
async function inRegistry(repo: string): Promise<{ tags: string[]; listed: boolean }> {
  const url = registryInfo().plain.url;
  const tagsRes = await fetch(`${url}/v2/${repo}/tags/list`);
  const tags = tagsRes.status === 404 ? [] : (((await tagsRes.json()) as { tags: string[] | null }).tags ?? []);
  const catalog = (await (await fetch(`${url}/v2/_catalog?n=1000`)).json()) as { repositories: string[] };
  return { tags, listed: catalog.repositories.includes(repo) };
}

describe('scan before push: build-push from-archive with expected-digest (bundle, real registry)', () => {
  let archive = '';
  let digest = '';

  beforeAll(async () => {
    const info = registryInfo();
    const image = `${info.plain.host}/${uniqueRepo('chain-build')}`;
    const built = await buildPush({
      image,
      context: context(info.baseImage),
      push: 'false',
      'insecure-registries': info.plain.host,
    });
    expectOk(built);
    archive = built.outputs['archive'] as string;
    digest = archiveDigest(archive);
    expect(built.outputs['digest']).toBe(digest);
  });

  it('the expected digest: every tag pushed, and the registry has the archive digest for each', async () => {
    const info = registryInfo();
    const repo = uniqueRepo('chain-ok');
    const image = `${info.plain.host}/${repo}`;
    const pushed = await buildPush({
      image,
      'from-archive': archive,
      'expected-digest': digest,
      'insecure-registries': info.plain.host,
    });
    expectOk(pushed);
    expect(pushed.outputs['digest']).toBe(digest);
    expect(pushed.outputs['image']).toBe(`${image}@${digest}`);
    for (const t of TAGS) {
      expect((await skopeoInspect(`${image}:${t}`)).Digest).toBe(digest);
      // the bytes the registry serves for the tag are the archive's manifest
      expect(sha256((await skopeoInspect(`${image}:${t}`, { raw: true })).raw as string)).toBe(digest);
    }
    const seen = await inRegistry(repo);
    expect({ ...seen, tags: seen.tags.sort() }).toEqual({ tags: [...TAGS].sort(), listed: true });
    expect(pushed.summary).toContain(
      `**Digest checked**: the registry has <code>${digest}</code> for every pushed tag, the archive's manifest digest, which equals <code>expected-digest</code>`,
    );
  });

  it('a wrong expected-digest: refused by policy naming both digests, and nothing reaches the registry', async () => {
    const info = registryInfo();
    const repo = uniqueRepo('chain-wrong');
    const image = `${info.plain.host}/${repo}`;
    const wrong = sha256(execFileSync('tar', ['-xOf', archive, 'index.json']));
    expect(wrong).not.toBe(digest);
    const refused = await buildPush({
      image,
      'from-archive': archive,
      'expected-digest': wrong,
      'insecure-registries': info.plain.host,
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `::error::The archive is not the one that was scanned: ${archive} has the manifest digest ${digest}, but expected-digest is ${wrong}. Nothing was pushed.`,
    );
    expect(refused.summary).toContain('### build-push: Refused by policy');
    expect(refused.stdout).not.toMatch(/::group::(Push|Log in)/);
    expect(refused.outputs).toEqual({});
    expect(await inRegistry(repo)).toEqual({ tags: [], listed: false });
    await expect(skopeoInspect(`${image}:sha-a1b2c3d`)).rejects.toThrow();
  });
});

const trivySkip = trivySkipReason();

describe.skipIf(trivySkip !== undefined)(
  `the whole chain with the real trivy-gate${trivySkip ? ` (skipped: ${trivySkip})` : ''}`,
  () => {
    it("build (push false) → trivy-gate input → from-archive with the scan's digest: the registry has what was scanned", async () => {
      const info = registryInfo();
      const repo = uniqueRepo('chain-trivy');
      const image = `${info.plain.host}/${repo}`;
      const built = await buildPush({
        image,
        context: context(info.baseImage),
        push: 'false',
        'insecure-registries': info.plain.host,
      });
      expectOk(built);
      const archive = built.outputs['archive'] as string;

      const cache = mkdtempSync(join(tmpdir(), 'pcd-chain-trivy-cache-'));
      await makeTrivyDb(cache, []);
      const scan = await runBundle(
        'trivy-gate',
        workspace(
          { input: archive, 'cache-dir': cache, 'skip-db-update': 'true' },
          { POLYGLOT_CD_TRIVY_BIN: builtTrivy() as string, ...trivyEnv() },
        ),
        { timeoutMs: 150_000 },
      );
      expectOk(scan);
      expect(scan.outputs['passed']).toBe('true');
      expect(scan.outputs['digest']).toBe(archiveDigest(archive));

      const pushed = await buildPush({
        image,
        'from-archive': archive,
        'expected-digest': scan.outputs['digest'] as string,
        'insecure-registries': info.plain.host,
      });
      expectOk(pushed);
      expect(pushed.outputs['digest']).toBe(scan.outputs['digest']);
      for (const t of TAGS) expect((await skopeoInspect(`${image}:${t}`)).Digest).toBe(scan.outputs['digest']);
    });
  },
);
