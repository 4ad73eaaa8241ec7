// Buildah/Skopeo/Docker argv builders (no flag smuggling, no secrets) and parsers, on real output of
// buildah 1.28.2 / skopeo 1.9.3 (Debian 12) recorded on this machine.
import { describe, expect, it } from 'vitest';
import { Buildah, classifyPushFailure, Docker, Skopeo } from '@polyglot-cd/tools';

// `buildah version --json` (buildah 1.28.2, Debian bookworm), verbatim
const BUILDAH_VERSION_JSON = `{
    "version": "1.28.2",
    "goVersion": "go1.19.8",
    "imageSpec": "1.1.0-rc2",
    "runtimeSpec": "1.0.2-dev",
    "cniSpec": "1.0.0",
    "libcniVersion": "",
    "imageVersion": "5.23.1",
    "gitCommit": "",
    "built": "Thu Jan  1 00:00:00 1970",
    "osArch": "linux/amd64",
    "buildPlatform": "linux/amd64"
}`;

describe('Buildah', () => {
  it('parses buildah version --json', () => {
    const v = Buildah.parseVersion(BUILDAH_VERSION_JSON);
    expect(v).toEqual({ version: '1.28.2', major: 1, minor: 28, patch: 2 });
    expect(Buildah.versionSatisfies(v)).toBe(true);
    expect(Buildah.versionSatisfies({ version: '1.23.0', major: 1, minor: 23, patch: 0 })).toBe(false);
    expect(() => Buildah.parseVersion('nope')).toThrow(/not JSON/);
  });

  it('build argv: every value is its own element and the context comes after --', () => {
    const args = Buildah.buildArgs({
      context: '/ws/-ctx',
      file: '/ws/Containerfile',
      tags: ['r/a:sha-1', 'r/a:latest'],
      labels: new Map([['k', '--evil=1']]),
      buildArgs: [['A', 'b c']],
      target: 'final',
      iidFile: '/tmp/iid',
      authFile: '/tmp/auth.json',
      certDir: '/tmp/certs',
    });
    expect(args).toEqual([
      'build',
      '--isolation',
      'chroot',
      '--layers=false',
      '--iidfile',
      '/tmp/iid',
      '-f',
      '/ws/Containerfile',
      '--tag',
      'r/a:sha-1',
      '--tag',
      'r/a:latest',
      '--label',
      'k=--evil=1',
      '--build-arg',
      'A=b c',
      '--target',
      'final',
      '--authfile',
      '/tmp/auth.json',
      '--cert-dir',
      '/tmp/certs',
      '--retry',
      '2',
      '--',
      '/ws/-ctx',
    ]);
  });

  it('build argv: a timestamp (SOURCE_DATE_EPOCH) makes the build reproducible', () => {
    const args = Buildah.buildArgs({
      context: '/ws',
      file: '/ws/Containerfile',
      tags: ['r/a:1'],
      labels: [],
      buildArgs: [],
      iidFile: '/i',
      timestamp: 1700000000,
    });
    expect(args.slice(-6)).toEqual(['--timestamp', '1700000000', '--retry', '2', '--', '/ws']);
    expect(
      Buildah.buildArgs({
        context: '/ws',
        file: '/ws/Containerfile',
        tags: [],
        labels: [],
        buildArgs: [],
        iidFile: '/i',
      }),
    ).not.toContain('--timestamp');
  });

  it('push and login argv: our retries only, password only on stdin', () => {
    expect(Buildah.pushArgs('sha256:abc', 'docker://r/a:1', { digestFile: '/d', authFile: '/a' })).toEqual([
      'push',
      '--retry',
      '0',
      '--authfile',
      '/a',
      '--digestfile',
      '/d',
      '--',
      'sha256:abc',
      'docker://r/a:1',
    ]);
    const login = Buildah.loginArgs('r.example:5000', 'ci', '/t/auth.json');
    expect(login).toContain('--password-stdin');
    expect(login.some((a) => a.startsWith('--password='))).toBe(false);
    expect(login.slice(-2)).toEqual(['--', 'r.example:5000']);
  });
});

describe('Skopeo', () => {
  it('parses skopeo --version and builds a digest-preserving copy', () => {
    expect(Skopeo.parseVersion('skopeo version 1.9.3\n')).toMatchObject({ major: 1, minor: 9, patch: 3 });
    expect(Skopeo.copyArchiveArgs('/t/a.tar', 'r/a:1', { tlsVerify: false, authFile: '/a' })).toEqual([
      'copy',
      '--preserve-digests',
      '--retry-times',
      '0',
      '--dest-tls-verify=false',
      '--dest-authfile',
      '/a',
      '--',
      'oci-archive:/t/a.tar',
      'docker://r/a:1',
    ]);
  });
});

describe('Docker', () => {
  it('buildx argv for push and for an OCI archive', () => {
    const base = {
      context: '/ws',
      file: '/ws/Dockerfile',
      tags: ['r/a:1'],
      labels: [] as [string, string][],
      buildArgs: [] as [string, string][],
      platforms: ['linux/amd64', 'linux/arm64'],
      metadataFile: '/t/m.json',
    };
    expect(Docker.buildArgs({ ...base, output: { push: true } })).toEqual([
      'buildx',
      'build',
      '--file',
      '/ws/Dockerfile',
      '--metadata-file',
      '/t/m.json',
      '--provenance=false',
      '--tag',
      'r/a:1',
      '--platform',
      'linux/amd64,linux/arm64',
      '--push',
      '--',
      '/ws',
    ]);
    expect(Docker.buildArgs({ ...base, output: { archive: '/t/a.tar' } })).toContain('type=oci,dest=/t/a.tar');
    expect(Docker.parseBuildxVersion('github.com/docker/buildx v0.24.0 d0e5e86c8b88ae4865040bc96917c338f4dd673c')).toBe(
      '0.24.0',
    );
    expect(Docker.parseMetadata('{"containerimage.digest":"sha256:abc","image.name":"r/a:1"}')).toEqual({
      digest: 'sha256:abc',
      imageName: 'r/a:1',
    });
  });
});

describe('classifyPushFailure', () => {
  it.each([
    // skopeo 1.9.3 against a plain-http registry not listed as insecure (recorded in this repo's tests)
    [
      'level=fatal msg="trying to reuse blob sha256:b913… at destination: pinging container registry 127.0.0.1:44925: Get \\"https://127.0.0.1:44925/v2/\\": http: server gave HTTP response to HTTPS client"',
      'permanent',
    ],
    // ECR immutable tags (AWS docs / aws-cli#8671 wording)
    [
      "tag invalid: The image tag 'v1' already exists in the 'shop' repository and cannot be overwritten because the repository is immutable.",
      'permanent',
    ],
    [
      'Error: writing manifest: uploading manifest sha-1 to r/a: received unexpected HTTP status: 503 Service Unavailable',
      'transient',
    ],
    ['Error: trying to reuse blob: toomanyrequests: rate limit exceeded', 'transient'],
    ['read tcp 10.0.0.2:1234->10.0.0.9:443: read: connection reset by peer', 'transient'],
    ['unauthorized: authentication required', 'permanent'],
  ])('%s → %s', (stderr, want) => {
    expect(classifyPushFailure(stderr)).toBe(want);
  });
});

describe('Docker.daemon (the real docker CLI when installed)', () => {
  it('no DOCKER_HOST, no DOCKER_CONTEXT and no socket: no process is started', async () => {
    const { CommandRunner } = await import('@polyglot-cd/tools');
    const { MemoryLogger, Secrets } = await import('@polyglot-cd/action-kit');
    const log = new MemoryLogger();
    const d = new Docker(new CommandRunner({ log, secrets: new Secrets() }), { bin: '/nonexistent/docker' });
    expect(await d.daemon({}, '/nonexistent/docker.sock')).toEqual({
      ok: false,
      reason: 'no Docker daemon (no DOCKER_HOST, no DOCKER_CONTEXT, no /nonexistent/docker.sock)',
    });
  });

  it("a DOCKER_HOST nobody answers on: not ok, with the CLI's reason", async () => {
    const { CommandRunner } = await import('@polyglot-cd/tools');
    const { MemoryLogger, Secrets } = await import('@polyglot-cd/action-kit');
    const env = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/pcd-docker.sock' };
    const d = new Docker(new CommandRunner({ log: new MemoryLogger(), secrets: new Secrets(), env }), {});
    const r = await d.daemon(env);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/^no Docker daemon answered \(.+\)$/);
  });
});
