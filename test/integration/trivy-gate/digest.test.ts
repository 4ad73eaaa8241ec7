/**
 * trivy-gate's `digest` output (main() in-process, the fake trivy replaying a recorded report): the
 * manifest digest of what was scanned, which build-push's expected-digest checks before it pushes the
 * same archive. The digests expected here are computed by the test from the bytes it wrote.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../actions/trivy-gate/src/main.js';
import { runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { fakeTrivyBin, recordedArgv } from '../../fakes/trivy/install.js';

const bin = fakeTrivyBin();
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

async function gate(
  inputs: Record<string, string>,
  fake: Record<string, string> = {},
): Promise<[ActionRun, string[][]]> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-digest-'));
  const argvLog = join(dir, 'argv.jsonl');
  const ws = workspace(
    { 'cache-dir': join(dir, 'cache'), ...inputs },
    {
      POLYGLOT_CD_TRIVY_BIN: bin,
      FAKE_TRIVY_ARGV_LOG: argvLog,
      GITHUB_WORKSPACE: dir,
      FAKE_TRIVY_REPORT: fixturePath('trivy/alpine-39.json'),
      ...fake,
    },
  );
  const run = await runInProcess('trivy-gate', (ctx) => main(ctx, { sleep: async () => undefined }), ws);
  return [run, recordedArgv(argvLog)];
}

const scans = (argv: string[][]): string[][] => argv.filter((a) => a[0] === 'image');

/** A manifest's JSON, distinct per `tag`. */
function manifestJson(tag: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(tag), size: tag.length },
    layers: [],
  });
}

/**
 * An OCI layout directory: the blobs written, index.json naming `named` (default: every blob).
 * Returns the directory and the blobs' digests.
 */
function layout(blobs: string[], named?: string[]): { dir: string; digests: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-layout-'));
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const digests = blobs.map((text) => {
    const digest = sha256(text);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), text);
    return digest;
  });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const manifests = (named ?? digests).map((digest) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
    size: 1,
  }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return { dir, digests };
}

/** The tar of a directory's entries, as build-push writes an OCI archive (or docker save a docker-save tar). */
function tarOf(dir: string, entries: string[]): string {
  const archive = join(mkdtempSync(join(tmpdir(), 'pcd-trivy-archive-')), 'image.tar');
  execFileSync('tar', ['-cf', archive, '-C', dir, ...entries]);
  return archive;
}

describe('trivy-gate digest output: the manifest digest of what was scanned', () => {
  it('image by digest: its digest, in the outputs and the summary', async () => {
    const digest = sha256('an image');
    const [run] = await gate({ image: `registry.local:5000/shop/backend@${digest}` });
    expect(run.code).toBe(1); // alpine-39.json has CRITICAL findings: decided, failed
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['digest']).toBe(digest);
    expect(run.summary).toContain(`| Manifest digest | <code>${digest}</code> |`);
  });

  it('an OCI archive (build-push push: false): the one manifest its index.json names', async () => {
    const { dir, digests } = layout([manifestJson('one')]);
    const archive = tarOf(dir, ['oci-layout', 'index.json', 'blobs']);
    const [run, argv] = await gate({ input: archive, 'fail-on': 'none' });
    expect(run.code).toBe(0);
    expect(run.outputs['digest']).toBe(digests[0]);
    expect(run.summary).toContain(`| Manifest digest | <code>${digests[0]}</code> |`);
    expect(scans(argv)).toHaveLength(1);
  });

  it('an OCI layout directory: the same', async () => {
    const { dir, digests } = layout([manifestJson('dir')]);
    const [run] = await gate({ input: dir, 'fail-on': 'none' });
    expect(run.code).toBe(0);
    expect(run.outputs['digest']).toBe(digests[0]);
  });

  it('an archive whose index names two manifests: refused naming the input and both, nothing scanned', async () => {
    const { dir, digests } = layout([manifestJson('a'), manifestJson('b')]);
    const archive = tarOf(dir, ['oci-layout', 'index.json', 'blobs']);
    const [run, argv] = await gate({ input: archive });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::Input "input" has an invalid value "${archive}": the OCI layout's index.json names 2 manifests (${digests[0]}, ${digests[1]}); the gate scans exactly one image`,
    );
    expect(run.summary).toContain('### trivy-gate: Input error: fix the input and run again');
    expect(scans(argv)).toEqual([]);
    expect(run.outputs['digest']).toBeUndefined();
  });

  it('an index naming no manifest: refused, nothing scanned', async () => {
    const { dir } = layout([], []);
    const [run, argv] = await gate({ input: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Input "input" has an invalid value ".*": the OCI layout's index.json names 0 manifests/,
    );
    expect(scans(argv)).toEqual([]);
  });

  it('an index naming a manifest whose blob holds other bytes: refused as altered, nothing scanned', async () => {
    const { dir } = layout([manifestJson('real')]);
    const claimed = sha256(manifestJson('claimed'));
    // the blob named by the claimed digest holds the real manifest's bytes
    writeFileSync(join(dir, 'blobs', 'sha256', claimed.slice('sha256:'.length)), manifestJson('real'));
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: claimed, size: 1 }] }),
    );
    const [run, argv] = await gate({ input: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `index.json names the manifest ${claimed}, but that blob's bytes hash to ${sha256(manifestJson('real'))}: the layout is damaged or was altered`,
    );
    expect(scans(argv)).toEqual([]);
  });

  it('an index naming a manifest that is not in the layout: refused', async () => {
    const missing = sha256('nowhere');
    const { dir } = layout([manifestJson('x')], [missing]);
    const [run] = await gate({ input: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`the manifest ${missing} that index.json names is not in the layout`);
  });

  it('a directory without index.json: refused as not an OCI layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-nolayout-'));
    const [run, argv] = await gate({ input: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the directory has no index.json: expected an OCI layout directory or an OCI archive');
    expect(scans(argv)).toEqual([]);
  });

  it('a docker-save tar (manifest.json, no index.json): scanned as it is, digest empty, the summary says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-trivy-dockersave-'));
    writeFileSync(join(dir, 'manifest.json'), '[{"Config":"c.json","RepoTags":["shop:1"],"Layers":[]}]');
    const archive = tarOf(dir, ['manifest.json']);
    const [run, argv] = await gate({ input: archive, 'fail-on': 'none' });
    expect(run.code).toBe(0);
    expect(run.outputs['digest']).toBe('');
    expect(run.summary).toContain('| Manifest digest | none (a docker-save tar has no manifest digest) |');
    expect(scans(argv)[0]).toContain(`--input=${archive}`);
  });

  it('no decision (trivy failed): no digest output', async () => {
    const { dir } = layout([manifestJson('undecided')]);
    const [run] = await gate({ input: dir, 'max-attempts': '1' }, { FAKE_TRIVY_MODE: 'db-failure' });
    expect(run.code).toBe(1);
    expect(run.outputs['passed']).toBe('false');
    expect(run.outputs['digest']).toBeUndefined();
  });
});
