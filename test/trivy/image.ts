// Package metadata that the real Trivy detects, planted into the tiny busybox images the registry
// tests build (test/registry: `buildah from scratch` + busybox-static, nothing installed): no package
// is really installed, only the files Trivy v0.74.0's analyzers read.
//
// - Debian 12: Trivy's OS analyzer for Debian needs /etc/debian_version (pkg/fanal/analyzer/os/debian;
//   /etc/os-release with ID=debian alone is not detected), and its dpkg analyzer reads
//   /var/lib/dpkg/status (pkg/fanal/analyzer/pkg/dpkg). Trivy looks Debian advisories up by the
//   *source* package name in the bucket of the major release ("debian 12").
// - Python: a *.dist-info/METADATA in site-packages (pkg/fanal/analyzer/language/python/packaging),
//   looked up in the pip GitHub Security Advisory bucket by the normalised name.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { LangAdvisory, OsAdvisory, TrivySeverity } from './db.js';

/** The planted dpkg entry: binary package libpcd-demo1, built from the source package pcd-demo. */
export const DEB = {
  name: 'libpcd-demo1',
  source: 'pcd-demo',
  version: '1.0.2-1',
  fixed: '1.0.2-2',
  release: '12',
  /** as trivy reports it: `pkg:deb/debian/<name>@<version>?arch=…&distro=debian-<debian_version>` */
  purlPrefix: 'pkg:deb/debian/libpcd-demo1@1.0.2-1',
} as const;

/** The planted Python distribution. */
export const PY = {
  name: 'pcd-demo',
  version: '2.0.0',
  fixed: '2.0.1',
  sitePackages: 'usr/local/lib/python3.11/site-packages',
} as const;

/** The Debian point release in /etc/debian_version (trivy reports it as the OS name). */
export const DEBIAN_VERSION = '12.13';

/** Writes the planted files into `root` (to be copied to / of an image); returns the relative paths. */
export function writePlantedRootfs(root: string): string[] {
  const files: Record<string, string> = {
    'etc/debian_version': `${DEBIAN_VERSION}\n`,
    'etc/os-release': [
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      'VERSION="12 (bookworm)"',
      'VERSION_CODENAME=bookworm',
      'ID=debian',
      '',
    ].join('\n'),
    'var/lib/dpkg/status': [
      `Package: ${DEB.name}`,
      'Status: install ok installed',
      'Priority: optional',
      'Section: libs',
      'Installed-Size: 1',
      'Maintainer: polyglot-cd tests <tests@polyglot-cd.invalid>',
      'Architecture: amd64',
      `Source: ${DEB.source}`,
      `Version: ${DEB.version}`,
      'Description: package metadata planted for Trivy tests',
      ' Only this status entry exists; no file of the package is installed.',
      '',
    ].join('\n'),
    [`${PY.sitePackages}/${PY.name.replace(/-/g, '_')}-${PY.version}.dist-info/METADATA`]: [
      'Metadata-Version: 2.1',
      `Name: ${PY.name}`,
      `Version: ${PY.version}`,
      'Summary: distribution metadata planted for Trivy tests',
      'License: MIT',
      '',
    ].join('\n'),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return Object.keys(files);
}

/** An advisory for the planted Debian package (by its source name, fixed in DEB.fixed). */
export function debAdvisory(id: string, severity: TrivySeverity, extra: Partial<OsAdvisory> = {}): OsAdvisory {
  return {
    id,
    ecosystem: 'debian',
    release: DEB.release,
    package: DEB.source,
    fixedVersion: DEB.fixed,
    severity,
    title: `${DEB.source}: planted test vulnerability ${id}`,
    ...extra,
  };
}

/** An advisory for the planted Python distribution (vulnerable below PY.fixed). */
export function pyAdvisory(id: string, severity: TrivySeverity, extra: Partial<LangAdvisory> = {}): LangAdvisory {
  return {
    id,
    ecosystem: 'pip',
    package: PY.name,
    vulnerableVersions: [`<${PY.fixed}`],
    // plain versions, as trivy-db stores GitHub advisories' patched versions (trivy shows them as FixedVersion)
    patchedVersions: [PY.fixed],
    severity,
    title: `${PY.name}: planted test vulnerability ${id}`,
    ...extra,
  };
}

export interface PlantedImage {
  /** `<host>/<repo>@sha256:…`, as pushed */
  image: string;
  digest: string;
  /** the same image as an OCI archive (`buildah push … oci-archive:`), when asked for */
  archive?: string;
  /** the same image as an OCI layout directory (`buildah push … oci:`), when asked for */
  layout?: string;
}

/**
 * Builds `base` + the planted files with buildah (chroot isolation, the storage named by `env`'s
 * CONTAINERS_STORAGE_CONF), pushes it to `ref` (`<host>/<repo>:<tag>`, plain HTTP) and, with
 * `archive` / `layout`, also writes it there as an OCI archive / OCI layout directory.
 */
export async function buildPlantedImage(opts: {
  base: string;
  ref: string;
  env: Record<string, string>;
  archive?: string;
  layout?: string;
}): Promise<PlantedImage> {
  const env = { ...process.env, BUILDAH_ISOLATION: 'chroot', ...opts.env };
  const buildah = async (args: string[]): Promise<string> => {
    try {
      return (
        await promisify(execFile)('buildah', args, { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 })
      ).stdout.trim();
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`buildah ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`, { cause: err });
    }
  };
  const tmp = mkdtempSync(join(tmpdir(), 'pcd-trivy-image-'));
  let ctr = '';
  try {
    const root = join(tmp, 'rootfs');
    writePlantedRootfs(root);
    ctr = await buildah(['from', '--tls-verify=false', '--pull=missing', '--quiet', opts.base]);
    await buildah(['copy', ctr, `${root}/`, '/']);
    await buildah([
      'config',
      '--label',
      'org.opencontainers.image.title=polyglot-cd trivy test image (planted package metadata)',
      ctr,
    ]);
    const local = `localhost/pcd-trivy-${ctr.slice(0, 12)}:latest`;
    await buildah(['commit', '--quiet', '--format', 'oci', ctr, local]);
    const digestFile = join(tmp, 'digest');
    await buildah(['push', '--quiet', '--tls-verify=false', '--digestfile', digestFile, local, `docker://${opts.ref}`]);
    const digest = readFileSync(digestFile, 'utf8').trim();
    if (!/^sha256:[0-9a-f]{64}$/.test(digest))
      throw new Error(`buildah push wrote no digest (${JSON.stringify(digest)})`);
    if (opts.archive) await buildah(['push', '--quiet', local, `oci-archive:${opts.archive}`]);
    if (opts.layout) await buildah(['push', '--quiet', local, `oci:${opts.layout}`]);
    await buildah(['rmi', local]).catch(() => undefined);
    const repo = opts.ref.replace(/:[^/:]+$/, '');
    return {
      image: `${repo}@${digest}`,
      digest,
      ...(opts.archive ? { archive: opts.archive } : {}),
      ...(opts.layout ? { layout: opts.layout } : {}),
    };
  } finally {
    if (ctr) await buildah(['rm', ctr]).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}
