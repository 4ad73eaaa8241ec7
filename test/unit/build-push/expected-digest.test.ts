/**
 * build-push from-archive with expected-digest (main() in-process): the input is validated before
 * anything runs; an archive with another manifest digest is refused by policy before anything is
 * pushed; after the push the digest the registry has for every tag must be the archive's.
 * The registry is a scripted local HTTP server (its requests are the witness of what was asked), and
 * skopeo a stub that records its argv and pushes nothing (the real push is in
 * test/integration/build-push/scan-chain.registry.test.ts). The archive's digest is computed here from
 * the bytes written.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../actions/build-push/src/main.js';
import { baseEnv, runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { startServer, type ScriptedServer, type Step } from '../../helpers/http-server.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OTHER = `sha256:${'e'.repeat(64)}`;

/** An OCI archive (the tar of a layout) with one manifest; its JSON and digest. */
function archiveOf(tag: string): { archive: string; manifest: string; digest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-layout-'));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(tag), size: tag.length },
    layers: [],
  });
  const digest = sha256(manifest);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: manifest.length }],
    }),
  );
  const archive = join(mkdtempSync(join(tmpdir(), 'pcd-bp-archive-')), 'image.oci.tar');
  execFileSync('tar', ['-cf', archive, '-C', dir, 'oci-layout', 'index.json', 'blobs']);
  return { archive, manifest, digest };
}

/** A `skopeo` that records its argv (one line per call) and exits 0 without pushing anything. */
function stubSkopeo(): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-skopeo-'));
  const log = join(dir, 'calls.log');
  writeFileSync(join(dir, 'skopeo'), `#!/bin/sh\necho "$*" >> '${log}'\nexit 0\n`);
  chmodSync(join(dir, 'skopeo'), 0o755);
  return { dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

/** A registry that answers /v2/ and serves `manifest` for every tag, under the digest `named`. */
function registry(manifest: string, named = sha256(manifest)): (req: IncomingMessage) => Step {
  return (req) => {
    if (req.url === '/v2/') return { status: 200, body: '{}' };
    if (/^\/v2\/org\/app\/manifests\/[^/]+$/.test(req.url ?? ''))
      return {
        status: 200,
        headers: {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'docker-content-digest': named,
        },
        body: req.method === 'HEAD' ? '' : manifest,
      };
    return { status: 404, body: '{"errors":[{"code":"NAME_UNKNOWN"}]}' };
  };
}

const servers: ScriptedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function run(
  inputs: Record<string, string>,
  script: (req: IncomingMessage) => Step = registry('{}'),
): Promise<{ r: ActionRun; server: ScriptedServer; skopeo: string[] }> {
  const server = await startServer(script);
  servers.push(server);
  const host = `127.0.0.1:${server.port}`;
  const skopeo = stubSkopeo();
  const ws = workspace(
    { image: `${host}/org/app`, 'insecure-registries': host, 'push-attempts': '1', ...inputs },
    { GITHUB_SHA: SHA, PATH: `${skopeo.dir}:${baseEnv()['PATH']}` },
  );
  const r = await runInProcess('build-push', (ctx) => main(ctx, { sleep: async () => undefined }), ws);
  return { r, server, skopeo: skopeo.calls() };
}

const manifestRequests = (s: ScriptedServer): string[] =>
  s.requests.filter((q) => q.url.includes('/manifests/')).map((q) => `${q.method} ${q.url}`);

/** A build context with a Containerfile (never built: the inputs are refused first). */
function contextDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bp-ctx-'));
  writeFileSync(join(dir, 'Containerfile'), 'FROM scratch\n');
  return dir;
}

describe('build-push expected-digest: validated before anything runs', () => {
  const { archive, digest } = archiveOf('inputs');
  it.each([
    [
      'without from-archive',
      { 'expected-digest': digest, context: contextDir() },
      `Input "expected-digest" has an invalid value "${digest}": only allowed with from-archive`,
    ],
    [
      'without from-archive, with push false',
      { 'expected-digest': digest, push: 'false', context: contextDir() },
      `Input "expected-digest" has an invalid value "${digest}": only allowed with from-archive`,
    ],
    [
      'a bare hex digest',
      { 'from-archive': archive, 'expected-digest': digest.slice('sha256:'.length) },
      `Input "expected-digest" has an invalid value "${digest.slice('sha256:'.length)}": expected a manifest digest, sha256:<64 lower-case hex>`,
    ],
    [
      'upper-case hex',
      { 'from-archive': archive, 'expected-digest': `sha256:${'A'.repeat(64)}` },
      `Input "expected-digest" has an invalid value "sha256:${'A'.repeat(64)}": expected a manifest digest`,
    ],
    [
      'a sha512 digest',
      { 'from-archive': archive, 'expected-digest': `sha512:${'a'.repeat(128)}` },
      'expected a manifest digest, sha256:<64 lower-case hex>',
    ],
    [
      'too short',
      { 'from-archive': archive, 'expected-digest': `sha256:${'a'.repeat(63)}` },
      'expected a manifest digest, sha256:<64 lower-case hex>',
    ],
    [
      'an image reference',
      { 'from-archive': archive, 'expected-digest': `registry.local/app@${digest}` },
      'expected a manifest digest',
    ],
  ])('%s', async (_, inputs, message) => {
    const { r, server, skopeo } = await run(inputs);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::Input "expected-digest" has an invalid value /m);
    expect(r.stdout).toContain(message);
    expect(r.summary).toContain('### build-push: Input error: fix the input and run again');
    expect(server.requests).toEqual([]);
    expect(skopeo).toEqual([]);
    expect(r.outputs).toEqual({});
  });
});

describe('build-push from-archive: the archive must be what was scanned, and the registry must have it', () => {
  it('an archive with another digest than expected-digest: refused by policy naming both, nothing pushed', async () => {
    const { archive, digest } = archiveOf('scanned-then-replaced');
    const { r, server, skopeo } = await run({ 'from-archive': archive, 'expected-digest': OTHER });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `::error::The archive is not the one that was scanned: ${archive} has the manifest digest ${digest}, but expected-digest is ${OTHER}. Nothing was pushed.`,
    );
    expect(r.summary).toContain('### build-push: Refused by policy');
    // nothing pushed, not even tried: skopeo never ran, the registry was only asked whether it answers
    expect(skopeo).toEqual([]);
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['GET /v2/']);
    expect(r.outputs).toEqual({});
  });

  it('the expected digest: pushed, each tag read back with the archive digest; outputs and summary say it was checked', async () => {
    const { archive, manifest, digest } = archiveOf('good');
    const { r, server, skopeo } = await run({ 'from-archive': archive, 'expected-digest': digest }, registry(manifest));
    expect(r.code).toBe(0);
    expect(skopeo).toHaveLength(2); // sha-a1b2c3d and main-a1b2c3d
    expect(skopeo[0]).toContain(`oci-archive:${archive}`);
    expect(manifestRequests(server)).toEqual([
      'GET /v2/org/app/manifests/sha-a1b2c3d',
      'HEAD /v2/org/app/manifests/sha-a1b2c3d',
      'HEAD /v2/org/app/manifests/main-a1b2c3d',
    ]);
    expect(r.outputs['digest']).toBe(digest);
    expect(r.outputs['image']).toBe(`127.0.0.1:${server.port}/org/app@${digest}`);
    expect(r.summary).toContain(
      `**Digest checked**: the registry has <code>${digest}</code> for every pushed tag, the archive's manifest digest, which equals <code>expected-digest</code> (the digest that was scanned).`,
    );
  });

  it('without expected-digest the registry read-back is still checked against the archive', async () => {
    const { archive, manifest, digest } = archiveOf('no-expected');
    const { r } = await run({ 'from-archive': archive }, registry(manifest));
    expect(r.code).toBe(0);
    expect(r.summary).toContain(
      `**Digest checked**: the registry has <code>${digest}</code> for every pushed tag, the archive's manifest digest.`,
    );
  });

  it('the registry names another digest for the tags after the push: refused, no outputs, the summary says not confirmed', async () => {
    const { archive, digest } = archiveOf('pushed');
    const raced = JSON.stringify({ schemaVersion: 2, note: 'another push' });
    const { r, skopeo } = await run({ 'from-archive': archive, 'expected-digest': digest }, registry(raced));
    expect(r.code).toBe(1);
    expect(skopeo).toHaveLength(2);
    const host = r.stdout.match(/127\.0\.0\.1:\d+/)?.[0] ?? '';
    expect(r.stdout).toContain(
      `::error::The registry does not have the archive's digest: it has ${sha256(raced)} for ${host}/org/app:sha-a1b2c3d, ${host}/org/app:main-a1b2c3d, not ${digest}, the manifest digest of ${archive} (and expected-digest).`,
    );
    expect(r.summary).toContain('### build-push: Refused by policy');
    expect(r.summary).toContain('| Result | pushed, but the digest the registry has is not confirmed |');
    expect(r.summary).toContain(`**Digest check**: the registry was not seen to have the archive's manifest digest`);
    expect(r.outputs).toEqual({});
  });

  it("the registry names the archive's digest but serves other bytes: refused", async () => {
    const { archive, digest } = archiveOf('claimed');
    const served = JSON.stringify({ schemaVersion: 2, note: 'other bytes' });
    const { r } = await run({ 'from-archive': archive }, registry(served, digest));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `::error::The registry does not have the archive's digest: it has ${sha256(served)} for .*, not ${digest}`,
      ),
    );
    expect(r.outputs).toEqual({});
  });
});
