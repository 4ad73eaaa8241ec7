// Helpers for `*.registry.test.ts` suites. The Vitest global setup (global-setup.ts) starts two real
// registries (plain HTTP; TLS + basic auth) and pushes the base image once per run, and names a JSON
// file with the facts in POLYGLOT_CD_REGISTRY_INFO.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export const INFO_ENV = 'POLYGLOT_CD_REGISTRY_INFO';

export interface RegistryInfo {
  /** the run's temp directory (everything below is removed at the end) */
  dir: string;
  /** CONTAINERS_STORAGE_CONF for buildah/skopeo: vfs driver, image store under `dir` */
  storageConf: string;
  plain: { host: string; url: string; dataDir: string; logFile: string };
  tls: {
    host: string;
    url: string;
    dataDir: string;
    logFile: string;
    /** PEM of the throwaway CA */
    caFile: string;
    /** a containers/image cert dir holding that CA as ca.crt */
    certDir: string;
    username: string;
    password: string;
    /** a 0600 Docker-style auth file with the credentials */
    authFile: string;
  };
  /** `<plain host>/polyglot-cd/busybox:1`: busybox-static, applets in /bin, CMD /bin/sh */
  baseImage: string;
  /** the same image in the TLS registry */
  tlsBaseImage: string;
}

let cached: RegistryInfo | undefined;

export function registryInfo(): RegistryInfo {
  if (cached) return cached;
  const file = process.env[INFO_ENV];
  if (!file) {
    throw new Error(
      `${INFO_ENV} is not set: registry tests must be named *.registry.test.ts so Vitest's "registry" project ` +
        'starts the registries (test/registry/global-setup.ts).',
    );
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as RegistryInfo;
  return cached;
}

/** A repository name unique to this run, e.g. `uniqueRepo('app')` → `test/app-1a2b3c4d`. */
export function uniqueRepo(prefix: string): string {
  return `test/${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Environment for buildah/skopeo/the action: the run's vfs store and chroot isolation. */
export function containersEnv(): Record<string, string> {
  return { CONTAINERS_STORAGE_CONF: registryInfo().storageConf, BUILDAH_ISOLATION: 'chroot' };
}

export interface SkopeoInspect {
  Name: string;
  Digest: string;
  RepoTags: string[];
  Labels: Record<string, string> | null;
  Architecture: string;
  Os: string;
  Layers: string[];
}

/**
 * `skopeo inspect` of a reference in one of the test registries (the independent witness the
 * tests compare the action's outputs with). TLS-registry refs use the CA and the auth file.
 */
export async function skopeoInspect(
  ref: string,
  opts: { raw?: boolean } = {},
): Promise<SkopeoInspect & { raw?: string }> {
  const info = registryInfo();
  const args = ['inspect'];
  if (ref.startsWith(info.tls.host + '/')) args.push('--cert-dir', info.tls.certDir, '--authfile', info.tls.authFile);
  else args.push('--tls-verify=false');
  if (opts.raw) args.push('--raw');
  args.push(`docker://${ref}`);
  const { stdout } = await promisify(execFile)('skopeo', args, {
    env: { ...process.env, ...containersEnv() },
    timeout: 60_000,
  });
  return opts.raw ? ({ raw: stdout } as SkopeoInspect & { raw: string }) : (JSON.parse(stdout) as SkopeoInspect);
}

/** Runs buildah with the run's storage; throws with stderr on failure. */
export async function buildah(
  args: string[],
  opts: { timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)('buildah', args, {
      env: { ...process.env, ...containersEnv() },
      timeout: opts.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`buildah ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, { cause: err });
  }
}

/**
 * Copies `from` (any registry of the run) into `<plain or tls registry>/<toRepo>:1` with skopeo, with
 * the TLS registry's CA and credentials when `tls`; returns the copy by digest.
 */
export async function copyImage(from: string, toRepo: string, tls = false): Promise<string> {
  const info = registryInfo();
  const host = tls ? info.tls.host : info.plain.host;
  const dest = `${host}/${toRepo}:1`;
  const args = ['copy', '--src-tls-verify=false'];
  if (tls)
    args.push(
      '--dest-cert-dir',
      info.tls.certDir,
      '--dest-authfile',
      info.tls.authFile,
      '--src-authfile',
      info.tls.authFile,
      '--src-cert-dir',
      info.tls.certDir,
    );
  else args.push('--dest-tls-verify=false');
  await promisify(execFile)('skopeo', [...args, `docker://${from}`, `docker://${dest}`], {
    env: { ...process.env, ...containersEnv() },
    timeout: 60_000,
  });
  const { Digest } = await skopeoInspect(dest);
  return `${host}/${toRepo}@${Digest}`;
}
