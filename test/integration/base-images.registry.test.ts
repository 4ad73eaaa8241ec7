// The example app's base images (scripts/setup/base-images.sh): Debian bookworm built here with
// debootstrap, pushed by ensureBaseImages (bin/lib/local-stack.ts) into the run's plain registry. The
// witnesses: skopeo (the archive's digest and the registry's, the image config), the Debian package
// lists the script records, and each image really run: pulled by digest with `buildah from` and a
// command run in it with `buildah run` (chroot isolation, the run's own vfs store).
// The first build on a machine takes minutes (debootstrap and apt over the Debian mirror); later runs
// find the archives cached under ~/.cache/polyglot-cd/base-images.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBaseImages } from '../../bin/lib/local-stack.ts';
import { repoRoot } from '../helpers/action-env.js';
import { buildah, registryInfo, skopeoInspect } from '../registry/harness.js';

type Name = 'python' | 'node' | 'node-build' | 'postgres';
const NAMES: Name[] = ['python', 'node', 'node-build', 'postgres'];
const CA_FILE = '/etc/ssl/certs/ca-certificates.crt';
const HOST_CA_DIR = '/usr/local/share/ca-certificates';

const debootstrap = spawnSync('sh', ['-c', 'PATH="$PATH:/usr/sbin:/sbin" command -v debootstrap']).status === 0;
const withDebootstrap = it.skipIf(!debootstrap);
const reason = debootstrap ? '' : ' (skipped: debootstrap is not installed; apt-get install debootstrap)';
const run = promisify(execFile);

let dir = '';
let refs: Record<Name, string>;
const pushLog: string[] = [];
const containers = new Map<Name, string>();

/** The archive directory from `base-images.sh --print` (building the images if this machine has none). */
async function printDir(): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot, 'scripts', 'setup', 'base-images.sh'), '--print'], {
    timeout: 45 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

/** A working container of the pushed image (pulled by digest into the run's store), made once per image. */
async function container(name: Name): Promise<string> {
  const have = containers.get(name);
  if (have) return have;
  const { stdout } = await buildah(['from', '--tls-verify=false', `docker://${refs[name]}`], { timeoutMs: 170_000 });
  const id = stdout.trim().split('\n').at(-1) ?? '';
  containers.set(name, id);
  return id;
}

/** Runs `argv` in the image `name` (chroot isolation) and returns its stdout. */
async function inImage(name: Name, argv: string[], user?: string): Promise<string> {
  const args = ['run', '--isolation', 'chroot', ...(user ? ['--user', user] : []), await container(name), '--'];
  return (await buildah([...args, ...argv], { timeoutMs: 170_000 })).stdout;
}

function packages(name: Name): Map<string, string> {
  const lines = readFileSync(join(dir, `${name}.packages`), 'utf8')
    .trim()
    .split('\n');
  return new Map(lines.map((l) => l.split('\t') as [string, string]));
}

beforeAll(async () => {
  if (!debootstrap) return;
  dir = await printDir();
  const { host, url } = registryInfo().plain;
  refs = await ensureBaseImages(repoRoot, { host, url, started: false }, (l) => pushLog.push(l));
}, 45 * 60_000);

afterAll(async () => {
  for (const id of containers.values()) await buildah(['rm', id]).catch(() => undefined);
});

describe(`base images from Debian packages${reason}`, () => {
  withDebootstrap('an OCI archive and a package list per image, with what each image is for', () => {
    for (const name of NAMES) expect(statSync(join(dir, `${name}.tar`)).size).toBeGreaterThan(10_000_000);
    const has = (name: Name, pkg: string): boolean => packages(name).has(pkg);
    for (const name of NAMES) expect(has(name, 'ca-certificates')).toBe(true);
    expect(['python3', 'python3-venv'].every((p) => has('python', p))).toBe(true);
    expect(has('node', 'nodejs')).toBe(true);
    expect(has('node', 'npm')).toBe(false);
    expect(['nodejs', 'npm'].every((p) => has('node-build', p))).toBe(true);
    expect(has('postgres', 'postgresql-15')).toBe(true);
    expect(packages('postgres').get('postgresql-15')).toMatch(/^15\./);
  });

  withDebootstrap(
    'pushed as <host>/polyglot-cd/<name>:bookworm and returned by the digest of the archive',
    async () => {
      const host = registryInfo().plain.host;
      for (const name of NAMES) {
        const [repo, digest] = refs[name].split('@');
        expect(repo).toBe(`${host}/polyglot-cd/${name}`);
        expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect((await skopeoInspect(`${repo}:bookworm`)).Digest).toBe(digest);
        const { stdout } = await run('skopeo', [
          'inspect',
          '--format',
          '{{.Digest}}',
          `oci-archive:${dir}/${name}.tar`,
        ]);
        expect(stdout.trim()).toBe(digest);
      }
      expect(pushLog.filter((l) => l.startsWith('pushing'))).toHaveLength(NAMES.length);
    },
  );

  withDebootstrap('a second call finds the same digests in the registry and pushes nothing', async () => {
    const again: string[] = [];
    const { host, url } = registryInfo().plain;
    expect(await ensureBaseImages(repoRoot, { host, url, started: false }, (l) => again.push(l))).toEqual(refs);
    expect(again).toEqual([]);
  });

  withDebootstrap('the image config has the CA bundle, LANG and the tools env', async () => {
    const envOf = async (name: Name): Promise<string[]> => {
      const args = ['inspect', '--config', '--tls-verify=false', `docker://${refs[name]}`];
      return (JSON.parse((await run('skopeo', args)).stdout) as { config: { Env: string[] } }).config.Env;
    };
    for (const name of NAMES) {
      const env = await envOf(name);
      expect(env).toContain(`SSL_CERT_FILE=${CA_FILE}`);
      expect(env).toContain('LANG=C.UTF-8');
      expect(env.find((e) => e.startsWith('PATH='))).toContain('/usr/bin:');
    }
    expect(await envOf('python')).toContain(`PIP_CERT=${CA_FILE}`);
    for (const name of ['node', 'node-build'] as const) {
      expect(await envOf(name)).toEqual(
        expect.arrayContaining([`NPM_CONFIG_CAFILE=${CA_FILE}`, `NODE_EXTRA_CA_CERTS=${CA_FILE}`]),
      );
    }
  });

  withDebootstrap('every image has the app user 10001 and trusts the host CAs', async () => {
    const hostCas = existsSync(HOST_CA_DIR) ? readdirSync(HOST_CA_DIR).filter((f) => f.endsWith('.crt')) : [];
    for (const name of NAMES) {
      expect((await inImage(name, ['id', 'app'])).trim()).toBe('uid=10001(app) gid=10001(app) groups=10001(app)');
      expect((await inImage(name, ['sh', '-c', 'echo ~app'])).trim()).toBe('/home/app');
      const bundle = await inImage(name, ['cat', CA_FILE]);
      for (const crt of hostCas) {
        const body = readFileSync(join(HOST_CA_DIR, crt), 'utf8').replace(/-----[^-]+-----|\s/g, '');
        expect(bundle.replace(/-----[^-]+-----|\s/g, ''), crt).toContain(body);
      }
    }
  });

  withDebootstrap('python: venv and ssl import, and a venv gets its pip', async () => {
    const out = await inImage('python', ['python3', '-c', 'import venv, ssl; print(ssl.OPENSSL_VERSION)']);
    expect(out).toMatch(/^OpenSSL 3\./);
    const pip = await inImage('python', ['sh', '-c', 'python3 -m venv /venv && /venv/bin/pip --version']);
    expect(pip).toMatch(/^pip \d+\.\d+.* from \/venv\//);
  });

  withDebootstrap('node: the runtime, without npm', async () => {
    expect((await inImage('node', ['node', '-e', 'console.log(process.versions.node)'])).trim()).toMatch(/^18\./);
    expect((await inImage('node', ['sh', '-c', 'command -v npm || echo none'])).trim()).toBe('none');
  });

  withDebootstrap('node-build: node and npm', async () => {
    expect((await inImage('node-build', ['node', '-e', 'console.log(typeof fetch)'])).trim()).toBe('function');
    expect((await inImage('node-build', ['npm', '--version'])).trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  withDebootstrap('postgres: the server binaries, and initdb as 10001', async () => {
    const version = await inImage('postgres', ['/usr/lib/postgresql/15/bin/postgres', '--version']);
    expect(version.trim()).toMatch(/^postgres \(PostgreSQL\) 15\.\d+/);
    const init = ['/usr/lib/postgresql/15/bin/initdb', '-D', '/tmp/pgdata', '--auth=trust', '--no-sync'];
    expect(await inImage('postgres', init, '10001:10001')).toContain('Success.');
  });
});
