// The images the real node runs in tests, built here with buildah (chroot isolation, vfs storage) on
// top of busybox-static and pushed to the local registry, so every pod really starts a process:
//   web:   busybox httpd on ports 3000, 8000 and 8080 (every port the chart's examples use), serving
//          /health, /healthz, / and /api/ as files; exits at once on SIGTERM. Runs as any UID (the
//          chart's 10001), with a read-only root filesystem.
//   crash: prints two lines (one on stderr) and exits 1, so a pod of it really crash-loops and its
//          log is what the diagnostics must quote.
// `imageVariant` gives the same image another digest (a new config blob with one more label, same
// layers) through the registry's HTTP API: tests that need several distinct digests (canary,
// promotion) get them in milliseconds.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WorkloadImages {
  /** `<registry>/polyglot-cd/test-web@sha256:…` */
  web: string;
  /** `<registry>/polyglot-cd/test-crash@sha256:…` */
  crash: string;
}

/** The first lines the crash image prints: diagnostics must quote them from the real container log. */
export const CRASH_LOG = ['polyglot-cd test: starting', 'fatal: cannot connect to database at db:5432'];
/** What the web image answers on `/`. */
export const WEB_INDEX = 'polyglot-cd test web';

const WEB_ENTRYPOINT = `#!/bin/sh
# busybox httpd on every port the examples use; exit 0 on SIGTERM (PID 1 ignores it without a trap)
trap 'exit 0' TERM INT
for p in \${PORTS:-3000 8000 8080}; do httpd -p "$p" -h /www || exit 1; done
echo "web: serving /www on \${PORTS:-3000 8000 8080}"
while :; do sleep 1 & wait $!; done
`;

const CRASH_ENTRYPOINT = `#!/bin/sh
echo "${CRASH_LOG[0]}"
echo "${CRASH_LOG[1]}" >&2
exit 1
`;

async function buildah(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('buildah', args, { env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
    return stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`buildah ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim().slice(-2000)}`, {
      cause: e,
    });
  }
}

/**
 * Builds both images and pushes them to a plain-HTTP registry (`registryHost` = 127.0.0.1:<port>).
 * `storageConf` is a containers-storage config (vfs) owned by the caller.
 */
export async function buildWorkloadImages(registryHost: string, storageConf: string): Promise<WorkloadImages> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox)
    throw new Error(
      'test images: busybox-static is not installed (/bin/busybox); add the Debian package busybox-static',
    );
  const env = { ...process.env, CONTAINERS_STORAGE_CONF: storageConf, BUILDAH_ISOLATION: 'chroot' };
  const work = await mkdtemp(join(tmpdir(), 'pcd-images-'));
  try {
    const www = join(work, 'www');
    await mkdir(join(www, 'api'), { recursive: true });
    await writeFile(join(www, 'health'), 'ok\n');
    await writeFile(join(www, 'healthz'), 'ok\n');
    await writeFile(join(www, 'index.html'), `${WEB_INDEX}\n`);
    await writeFile(join(www, 'api', 'index.html'), '{"items":[]}\n');
    const webSh = join(work, 'web');
    const crashSh = join(work, 'crash');
    await writeFile(webSh, WEB_ENTRYPOINT);
    await writeFile(crashSh, CRASH_ENTRYPOINT);
    await chmod(webSh, 0o755);
    await chmod(crashSh, 0o755);

    const make = async (name: string, entry: string, extra: (c: string) => Promise<void>): Promise<string> => {
      const c = `pcd-${name}-${randomBytes(4).toString('hex')}`;
      await buildah(['from', '--name', c, 'scratch'], env);
      try {
        await buildah(['copy', '--chmod', '0755', c, busybox, '/bin/busybox'], env);
        await buildah(['run', '--isolation', 'chroot', c, '--', '/bin/busybox', '--install', '-s', '/bin'], env);
        await buildah(['copy', '--chmod', '0755', c, entry, '/entrypoint'], env);
        await extra(c);
        await buildah(
          [
            'config',
            '--entrypoint',
            '["/entrypoint"]',
            '--user',
            '10001:10001',
            '--label',
            `org.opencontainers.image.title=polyglot-cd test ${name}`,
            c,
          ],
          env,
        );
        const local = `localhost/polyglot-cd/test-${name}:1`;
        await buildah(['commit', '--format', 'oci', '--timestamp', '0', c, local], env);
        const digestFile = join(work, `${name}.digest`);
        const ref = `${registryHost}/polyglot-cd/test-${name}`;
        await buildah(['push', '--tls-verify=false', '--digestfile', digestFile, local, `docker://${ref}:1`], env);
        return `${ref}@${(await readFile(digestFile, 'utf8')).trim()}`;
      } finally {
        await buildah(['rm', c], env).catch(() => undefined);
      }
    };
    const web = await make('web', webSh, async (c) => {
      await buildah(
        ['copy', '--chmod', '0644', c, join(www, 'health'), join(www, 'healthz'), join(www, 'index.html'), '/www/'],
        env,
      );
      await buildah(['copy', '--chmod', '0644', c, join(www, 'api', 'index.html'), '/www/api/'], env);
    });
    const crash = await make('crash', crashSh, async () => {});
    return { web, crash };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

async function http(url: string, init: RequestInit & { expect: number[] }): Promise<Response> {
  const res = await fetch(url, init);
  if (!init.expect.includes(res.status))
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/**
 * The image `ref` (`host/repo@sha256:…`, plain-HTTP registry) under a new digest: its config gets the
 * label `polyglot-cd.test/variant=<variant>`, the layers stay. Pushed as `<repo>:<variant>`; returns
 * `host/repo@<new digest>`. The same variant name always gives the same digest.
 */
export async function imageVariant(ref: string, variant: string): Promise<string> {
  const m = /^([^/]+)\/(.+)@(sha256:[0-9a-f]{64})$/.exec(ref);
  if (!m) throw new Error(`imageVariant: not a digest reference: ${ref}`);
  const [, host, repo, digest] = m as unknown as [string, string, string, string];
  if (!/^[a-z0-9][a-z0-9._-]{0,60}$/.test(variant)) throw new Error(`imageVariant: bad variant name ${variant}`);
  const base = `http://${host}/v2/${repo}`;
  const accept = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = (await (
    await http(`${base}/manifests/${digest}`, { headers: { accept }, expect: [200] })
  ).json()) as {
    mediaType?: string;
    config: Descriptor;
    layers: Descriptor[];
  };
  const config = (await (await http(`${base}/blobs/${manifest.config.digest}`, { expect: [200] })).json()) as {
    config?: { Labels?: Record<string, string> };
  };
  config.config = { ...config.config, Labels: { ...config.config?.Labels, 'polyglot-cd.test/variant': variant } };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
  const upload = await http(`${base}/blobs/uploads/`, { method: 'POST', expect: [202] });
  const location = new URL(upload.headers.get('location') ?? '', `http://${host}`);
  location.searchParams.set('digest', configDigest);
  await http(location.toString(), {
    method: 'PUT',
    body: configBytes,
    headers: { 'content-type': 'application/octet-stream' },
    expect: [201],
  });
  const next = { ...manifest, config: { ...manifest.config, digest: configDigest, size: configBytes.length } };
  const body = Buffer.from(JSON.stringify(next));
  const put = await http(`${base}/manifests/${variant}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': manifest.mediaType ?? accept },
    expect: [201],
  });
  const got = put.headers.get('docker-content-digest');
  const want = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (got !== want) throw new Error(`imageVariant: the registry stored ${got ?? 'no digest'}, expected ${want}`);
  return `${host}/${repo}@${want}`;
}
