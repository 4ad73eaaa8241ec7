/**
 * scripts/bump-tool.ts against a local HTTP server serving the recorded checksums files of
 * test/fixtures/release (SOURCES.md there) under the upstream paths, never the real network: pinning a
 * version from them reproduces the manifest entry the project committed for it; refused versions,
 * missing platforms, unreachable files and changed upstream hashes write nothing.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { startServer, type ScriptedServer, type Step } from '../../helpers/http-server.js';
import { bumpTool, manifestText, parseChecksums } from '../../../scripts/bump-tool.ts';
import type { Manifest } from '../../../scripts/bump-tool.ts';
import { run } from './clone.js';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'release');
const MANIFESTS = join(repoRoot, 'packages', 'tools', 'manifest');
const SCRIPT = join(repoRoot, 'scripts', 'bump-tool.ts');
const committed = (tool: string): Manifest =>
  JSON.parse(readFileSync(join(MANIFESTS, `${tool}.json`), 'utf8')) as Manifest;

/** overrides: url path → body (or status) served instead of the fixture */
let overrides: Record<string, string | number> = {};
let server: ScriptedServer;
beforeAll(async () => {
  server = await startServer((req): Step => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const o = overrides[path];
    if (typeof o === 'number') return { status: o, body: 'no' };
    if (typeof o === 'string') return { status: 200, body: o };
    const file = join(FIXTURES, ...path.split('/').filter((p) => p && p !== '..'));
    return existsSync(file) && !path.endsWith('/')
      ? { status: 200, headers: { 'content-type': 'text/plain' }, body: readFileSync(file) }
      : { status: 404, body: 'Not Found' };
  });
});
afterAll(() => server.close());

/** a temporary copy of the manifests, with `version` of `tool` taken out */
function manifestsWithout(tool: string, version?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-manifest-'));
  cpSync(MANIFESTS, dir, { recursive: true });
  if (version) {
    const m = committed(tool);
    delete m.versions[version];
    writeFileSync(join(dir, `${tool}.json`), manifestText(m));
  }
  return dir;
}

const PINNED = { helm: '4.2.4', trivy: '0.74.0', cosign: '3.1.3' } as const;

describe('bump-tool: pinning from the upstream checksums', () => {
  it.each(Object.entries(PINNED))(
    '%s %s: the entry written is the one the project committed',
    async (tool, version) => {
      overrides = {};
      const dir = manifestsWithout(tool, version);
      const platforms = Object.keys(committed(tool).versions[version] ?? {});
      const before = server.requests.length;
      const r = await bumpTool({
        tool,
        version,
        makeDefault: true,
        baseUrl: `${server.url}/${tool}`,
        manifestDir: dir,
        platforms,
      });
      expect(r.changed).toBe(true);
      expect(r.manifest.versions[version]).toEqual(committed(tool).versions[version]);
      expect(r.manifest.defaultVersion).toBe(version);
      // the other pins are untouched
      for (const [v, e] of Object.entries(committed(tool).versions))
        if (v !== version) expect(r.manifest.versions[v]).toEqual(e);
      expect(r.manifest.source).toBe(
        `${committed(tool).source} ${version}: sha256 from ${r.urls.join(', ')} (scripts/bump-tool.ts).`,
      );
      // only the checksums files were fetched, never an archive
      expect(server.requests.slice(before).every((q) => /(\.sha256sum|_checksums\.txt)$/.test(q.url))).toBe(true);
      expect(server.requests.length - before).toBe(tool === 'helm' ? platforms.length : 1);
    },
  );

  it("the default version's platforms by default; the same hashes again change nothing", async () => {
    overrides = {};
    const r = await bumpTool({
      tool: 'cosign',
      version: '3.1.3',
      baseUrl: `${server.url}/cosign`,
      manifestDir: manifestsWithout('cosign'),
    });
    expect(Object.keys(r.entries)).toEqual(['linux-amd64', 'linux-arm64']);
    expect(r.changed).toBe(false);
  });

  it('a pinned version whose hashes changed upstream is refused', async () => {
    overrides = {
      '/cosign/v3.1.3/cosign_checksums.txt': readFileSync(
        join(FIXTURES, 'cosign', 'v3.1.3', 'cosign_checksums.txt'),
        'utf8',
      ).replace(/^4629c757/, '00000000'),
    };
    await expect(
      bumpTool({
        tool: 'cosign',
        version: '3.1.3',
        baseUrl: `${server.url}/cosign`,
        manifestDir: manifestsWithout('cosign'),
      }),
    ).rejects.toThrow(
      'cosign 3.1.3 is pinned already with other hashes (linux-amd64: pinned 4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71, upstream now 00000000b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71)',
    );
  });

  it('a platform missing from the checksums, an unreachable file and a refused version write nothing', async () => {
    const dir = manifestsWithout('trivy', '0.74.0');
    overrides = {
      '/trivy/v0.74.0/trivy_0.74.0_checksums.txt': readFileSync(
        join(FIXTURES, 'trivy', 'v0.74.0', 'trivy_0.74.0_checksums.txt'),
        'utf8',
      ).split('\n')[0] as string,
    };
    await expect(
      bumpTool({
        tool: 'trivy',
        version: '0.74.0',
        baseUrl: `${server.url}/trivy`,
        manifestDir: dir,
        platforms: ['linux-amd64', 'linux-arm64'],
      }),
    ).rejects.toThrow(
      `the checksums at ${server.url}/trivy/v0.74.0/trivy_0.74.0_checksums.txt have no line for linux-arm64 (trivy_0.74.0_Linux-ARM64.tar.gz): nothing written`,
    );
    overrides = {};
    await expect(
      bumpTool({ tool: 'helm', version: '4.9.9', baseUrl: `${server.url}/helm`, manifestDir: dir }),
    ).rejects.toThrow(`GET ${server.url}/helm/helm-v4.9.9-linux-amd64.tar.gz.sha256sum: HTTP 404`);
    const before = server.requests.length;
    await expect(
      bumpTool({ tool: 'trivy', version: '0.69.5', baseUrl: `${server.url}/trivy`, manifestDir: dir }),
    ).rejects.toThrow('trivy 0.69.5 is refused by the manifest: compromised release');
    expect(server.requests.length).toBe(before);
    await expect(bumpTool({ tool: 'kubectl', version: '1.0.0', manifestDir: dir })).rejects.toThrow(
      'unknown tool "kubectl"',
    );
    await expect(bumpTool({ tool: 'helm', version: 'v4.2.4', manifestDir: dir })).rejects.toThrow(
      'not a release version X.Y.Z',
    );
  });

  it('takes only the named files from a checksums file that lists many', () => {
    const text = [
      'aaaa',
      `${'1'.repeat(64)}  trivy_0.74.0_Linux-64bit.deb`,
      `${'2'.repeat(64)}  trivy_0.74.0_Linux-64bit.tar.gz`,
      `${'3'.repeat(64)} *trivy_0.74.0_Linux-ARM64.tar.gz`,
      `${'4'.repeat(63)}  short.tar.gz`,
      `${'A'.repeat(64)}  ./trivy_0.74.0_macOS-64bit.tar.gz`,
      '',
    ].join('\n');
    expect(Object.fromEntries(parseChecksums(text))).toEqual({
      'trivy_0.74.0_Linux-64bit.deb': '1'.repeat(64),
      'trivy_0.74.0_Linux-64bit.tar.gz': '2'.repeat(64),
      'trivy_0.74.0_Linux-ARM64.tar.gz': '3'.repeat(64),
      'trivy_0.74.0_macOS-64bit.tar.gz': 'a'.repeat(64),
    });
  });
});

describe('bump-tool.ts (command line)', () => {
  // asynchronous: the server answering the script runs in this process
  const cli = (args: string[]) => run(process.execPath, [SCRIPT, ...args], { cwd: repoRoot, timeoutMs: 60_000 });

  it("writes the manifest in the repository's format, and leaves it alone on a refusal", async () => {
    overrides = {};
    const dir = manifestsWithout('helm', '4.2.4');
    const r = await cli([
      'helm',
      '4.2.4',
      '--default',
      '--platforms',
      'linux-amd64,linux-arm64,darwin-amd64,darwin-arm64',
      '--base-url',
      `${server.url}/helm`,
      '--manifest-dir',
      dir,
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(
      'helm 4.2.4 linux-amd64: helm-v4.2.4-linux-amd64.tar.gz sha256 c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3',
    );
    const written = readFileSync(join(dir, 'helm.json'), 'utf8');
    expect(written).toBe(manifestText(JSON.parse(written)));
    expect((JSON.parse(written) as Manifest).versions['4.2.4']).toEqual(committed('helm').versions['4.2.4']);

    const refused = await cli(['trivy', '0.69.4', '--manifest-dir', dir, '--base-url', `${server.url}/trivy`]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('bump-tool: trivy 0.69.4 is refused by the manifest');
    expect(readFileSync(join(dir, 'trivy.json'), 'utf8')).toBe(readFileSync(join(MANIFESTS, 'trivy.json'), 'utf8'));
    expect((await cli(['helm'])).code).toBe(2);
    expect((await cli(['helm', '4.2.4', '--nope'])).code).toBe(2);
  });
});
