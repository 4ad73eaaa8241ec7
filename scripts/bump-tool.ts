#!/usr/bin/env node
// Pins a new version of a tool in packages/tools/manifest/<tool>.json from the upstream checksums:
//
//   node scripts/bump-tool.ts <helm|trivy|cosign> <X.Y.Z> [--default] [--platforms <os-arch,…>]
//                             [--base-url <url>] [--manifest-dir <dir>]
//
// For every platform the current default version pins (or --platforms names), it fetches the checksums upstream publishes
// for that release and writes the version's entry (file, format, path in the archive, sha256):
//   helm    <base>/helm-vX.Y.Z-<os>-<arch>.tar.gz.sha256sum        (one file per platform; get.helm.sh)
//   trivy   <base>/vX.Y.Z/trivy_X.Y.Z_checksums.txt                (the GitHub release's checksums file)
//   cosign  <base>/vX.Y.Z/cosign_checksums.txt                     (raw binaries: sha256 = binarySha256)
// <base> is the manifest's defaultBaseUrl unless --base-url names another (a mirror serving the same
// paths, or a local server in the tests). --default makes the version the default. The version's line
// is added to the manifest's `source` with the URLs the hashes came from.
// Refuses, writing nothing: a version the manifest refuses; a platform missing from the checksums; a
// version already pinned with other hashes (upstream would have replaced published files: find out
// why before pinning anything). Network: the checksums files only, never the archives.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlatformFile, ToolSpec } from '@polyglot-cd/tools';

/** One platform's pin in a manifest (packages/tools reads it): the release file and its hashes. */
export type ManifestEntry = PlatformFile;
/** A tool's manifest, packages/tools/manifest/<tool>.json; fields not named here are kept as they are. */
export type Manifest = ToolSpec & { source: string };
/** A release file of a platform, before its hashes are known. */
export type ReleaseFile = Omit<PlatformFile, 'sha256' | 'binarySha256'>;

/** How a tool names its release files and their checksums files. */
export interface ToolNaming {
  /** the checksums files of version `v` that name `platform`'s file (paths under the base URL) */
  checksums: (v: string, platform: string) => string[];
  /** `platform`'s release file of version `v` */
  entry: (v: string, platform: string) => ReleaseFile;
}

export interface BumpToolOptions {
  tool: string;
  version: string;
  /** make the version the manifest's defaultVersion */
  makeDefault?: boolean;
  /** where the checksums files are (default: the manifest's defaultBaseUrl) */
  baseUrl?: string;
  /** the folder of <tool>.json */
  manifestDir: string;
  /** <os>-<arch> platforms to pin (default: the default version's, else every platform any version pins) */
  platforms?: string[];
}

export interface BumpToolResult {
  /** the manifest with the version pinned */
  manifest: Manifest;
  /** the manifest's file */
  file: string;
  /** platform → the entry pinned for it */
  entries: Record<string, ManifestEntry>;
  /** the checksums files fetched */
  urls: string[];
  /** whether the manifest's text changes */
  changed: boolean;
}

const VERSION_RE = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** How each tool names its release files and checksums. `platform` is <os>-<arch>, as in the manifest. */
export const TOOLS: Record<string, ToolNaming> = {
  helm: {
    checksums: (v, platform) => [`helm-v${v}-${platform}.tar.gz.sha256sum`],
    entry: (v, platform) => ({
      file: `helm-v${v}-${platform}.tar.gz`,
      format: 'tar.gz',
      pathInArchive: `${platform}/helm`,
    }),
  },
  trivy: {
    checksums: (v) => [`v${v}/trivy_${v}_checksums.txt`],
    entry: (v, platform) => {
      const [os, arch] = platform.split('-');
      const name = ({ linux: 'Linux', darwin: 'macOS' } as Record<string, string | undefined>)[os ?? ''];
      const bits = ({ amd64: '64bit', arm64: 'ARM64' } as Record<string, string | undefined>)[arch ?? ''];
      if (!name || !bits) throw new Error(`trivy publishes no archive for platform ${platform}`);
      return { file: `v${v}/trivy_${v}_${name}-${bits}.tar.gz`, format: 'tar.gz', pathInArchive: 'trivy' };
    },
  },
  cosign: {
    checksums: (v) => [`v${v}/cosign_checksums.txt`],
    entry: (v, platform) => ({ file: `v${v}/cosign-${platform}`, format: 'binary' }),
  },
};

/** `<sha256>  <name>` lines (sha256sum's format; `*name` for binary mode) → Map name → sha256. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64}) [ *]?(\S+)\s*$/.exec(line.trim());
    if (m) out.set((m[2] as string).replace(/^\.\//, ''), (m[1] as string).toLowerCase());
  }
  return out;
}

async function get(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(60_000), redirect: 'follow' });
  } catch (e) {
    const err = e as { message: string; cause?: { message?: string } };
    throw new Error(`GET ${url} failed: ${err.cause?.message ?? err.message}`);
  }
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** The JSON text of a manifest as the repository keeps it (2 spaces, non-ASCII escaped, final newline). */
export function manifestText(obj: unknown): string {
  return `${JSON.stringify(obj, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Computes the new manifest; throws on every refusal. */
export async function bumpTool(opts: BumpToolOptions): Promise<BumpToolResult> {
  const { tool, version } = opts;
  const spec = TOOLS[tool];
  if (!spec) throw new Error(`unknown tool ${JSON.stringify(tool)} (have: ${Object.keys(TOOLS).join(', ')})`);
  if (!VERSION_RE.test(version ?? '')) throw new Error(`not a release version X.Y.Z: ${JSON.stringify(version ?? '')}`);
  const file = join(opts.manifestDir, `${tool}.json`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const refusal = manifest.refused?.[version];
  if (refusal) throw new Error(`${tool} ${version} is refused by the manifest: ${refusal}`);
  // the platforms asked for, else the default version's, else every platform any version pins
  const defaults = manifest.versions[manifest.defaultVersion] ?? {};
  const platforms = opts.platforms?.length
    ? opts.platforms
    : Object.keys(defaults).length
      ? Object.keys(defaults)
      : [...new Set(Object.values(manifest.versions).flatMap((v) => Object.keys(v)))];
  if (platforms.length === 0) throw new Error(`${tool}.json pins no platform: name them with --platforms`);
  for (const p of platforms)
    if (!/^[a-z0-9]+-[a-z0-9]+$/.test(p)) throw new Error(`not a platform <os>-<arch>: ${JSON.stringify(p)}`);
  const base = (opts.baseUrl ?? manifest.defaultBaseUrl).replace(/\/+$/, '');

  const sums = new Map<string, string>();
  const urls: string[] = [];
  for (const platform of platforms) {
    for (const path of spec.checksums(version, platform)) {
      const url = `${base}/${path}`;
      if (urls.includes(url)) continue;
      urls.push(url);
      for (const [name, sha] of parseChecksums(await get(url))) sums.set(name, sha);
    }
  }
  const entries: Record<string, ManifestEntry> = {};
  const missing: string[] = [];
  for (const platform of platforms) {
    const entry = spec.entry(version, platform);
    const name = entry.file.split('/').pop() as string;
    const sha256 = sums.get(name);
    if (!sha256) {
      missing.push(`${platform} (${name})`);
      continue;
    }
    entries[platform] = { ...entry, sha256, ...(entry.format === 'binary' ? { binarySha256: sha256 } : {}) };
  }
  if (missing.length)
    throw new Error(`the checksums at ${urls.join(', ')} have no line for ${missing.join(', ')}: nothing written`);

  const pinned = manifest.versions[version];
  if (pinned) {
    const other = Object.entries(entries).filter(([p, e]) => pinned[p] && pinned[p].sha256 !== e.sha256);
    if (other.length) {
      throw new Error(
        `${tool} ${version} is pinned already with other hashes (${other.map(([p, e]) => `${p}: pinned ${pinned[p]?.sha256}, upstream now ${e.sha256}`).join('; ')}): published files changed upstream; find out why before pinning anything. Nothing written`,
      );
    }
  }
  const before = readFileSync(file, 'utf8');
  const same = pinned && Object.entries(entries).every(([p, e]) => JSON.stringify(pinned[p]) === JSON.stringify(e));
  if (same) {
    const next: Manifest = { ...manifest, ...(opts.makeDefault ? { defaultVersion: version } : {}) };
    return { manifest: next, file, entries, urls, changed: manifestText(next) !== before };
  }
  const versions: Manifest['versions'] = { [version]: { ...(pinned ?? {}), ...entries } };
  for (const [v, e] of Object.entries(manifest.versions)) if (v !== version) versions[v] = e;
  const line = `${version}: sha256 from ${urls.join(', ')} (scripts/bump-tool.ts).`;
  const source = manifest.source.includes(line) ? manifest.source : `${manifest.source.trimEnd()} ${line}`;
  const next: Manifest = { ...manifest, ...(opts.makeDefault ? { defaultVersion: version } : {}), source, versions };
  return { manifest: next, file, entries, urls, changed: manifestText(next) !== before };
}

function parseArgs(argv: string[]): BumpToolOptions & { makeDefault: boolean } {
  const o: Omit<BumpToolOptions, 'tool' | 'version'> & { makeDefault: boolean } = {
    makeDefault: false,
    manifestDir: fileURLToPath(new URL('../packages/tools/manifest/', import.meta.url)),
  };
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--default') o.makeDefault = true;
    else if ((a === '--base-url' || a === '--manifest-dir') && argv[i + 1] !== undefined)
      o[a === '--base-url' ? 'baseUrl' : 'manifestDir'] = argv[++i] as string;
    else if (a === '--platforms' && argv[i + 1] !== undefined)
      o.platforms = (argv[++i] as string).split(',').filter(Boolean);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else pos.push(a);
  }
  if (pos.length !== 2) throw new Error('give a tool and a version');
  const [tool, version] = pos as [string, string];
  return { ...o, tool, version };
}

async function main(argv: string[]): Promise<number> {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const err = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let o: ReturnType<typeof parseArgs>;
  try {
    o = parseArgs(argv);
  } catch (e) {
    err(
      `bump-tool: ${(e as Error).message}\nusage: node scripts/bump-tool.ts <${Object.keys(TOOLS).join('|')}> <X.Y.Z> [--default] [--platforms <os-arch,…>] [--base-url <url>] [--manifest-dir <dir>]`,
    );
    return 2;
  }
  try {
    const r = await bumpTool(o);
    for (const [platform, e] of Object.entries(r.entries))
      out(`${o.tool} ${o.version} ${platform}: ${e.file} sha256 ${e.sha256}`);
    if (!r.changed) {
      out(`${r.file}: ${o.tool} ${o.version} is pinned with these hashes already; nothing changed`);
      return 0;
    }
    writeFileSync(r.file, manifestText(r.manifest));
    out(`${r.file}: ${o.tool} ${o.version} pinned${o.makeDefault ? ' and made the default' : ''}`);
    out(
      `next: check the hashes against a second source (the release notes), bump scripts/setup/${o.tool}.sh if the test bed should build this version, and run the tool tests`,
    );
    return 0;
  } catch (e) {
    err(`bump-tool: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
