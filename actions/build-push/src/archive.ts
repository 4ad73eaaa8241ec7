/**
 * Reads an OCI image archive (an uncompressed tar of an OCI image layout, as `buildah push
 * oci-archive:` and `docker buildx --output type=oci` write it) without extracting it: only the tar
 * headers are read, then index.json. The single manifest's digest is the digest the registry will
 * report once the archive is pushed byte for byte.
 */
import { open } from 'node:fs/promises';

export interface ArchiveManifest {
  digest: string;
  mediaType: string;
  size: number;
}

const BLOCK = 512;

function field(buf: Buffer, start: number, len: number): string {
  const s = buf.subarray(start, start + len).toString('utf8');
  const nul = s.indexOf('\0');
  return (nul >= 0 ? s.slice(0, nul) : s).trim();
}

/** The bytes of one member of a tar file (first match of `name`), or undefined. */
export async function readTarMember(path: string, name: string, maxBytes = 1024 * 1024): Promise<Buffer | undefined> {
  const fh = await open(path, 'r');
  try {
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let longName: string | undefined;
    for (;;) {
      const { bytesRead } = await fh.read(header, 0, BLOCK, pos);
      if (bytesRead < BLOCK || header.every((b) => b === 0)) return undefined;
      const size = parseInt(field(header, 124, 12) || '0', 8);
      if (!Number.isFinite(size) || size < 0) throw new Error('not a tar archive (bad size field)');
      const type = String.fromCharCode(header[156] ?? 0);
      const prefix = field(header, 345, 155);
      const raw = field(header, 0, 100);
      const memberName = longName ?? (prefix ? `${prefix}/${raw}` : raw);
      longName = undefined;
      const dataPos = pos + BLOCK;
      if (type === 'L') {
        const b = Buffer.alloc(size);
        await fh.read(b, 0, size, dataPos);
        longName = b.toString('utf8').replace(/\0+$/, '');
      } else if ((type === '0' || type === '\0') && memberName.replace(/^\.\//, '') === name) {
        if (size > maxBytes) throw new Error(`${name} in the archive is larger than ${maxBytes} bytes`);
        const b = Buffer.alloc(size);
        await fh.read(b, 0, size, dataPos);
        return b;
      }
      pos = dataPos + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    await fh.close();
  }
}

/** The one image manifest of an OCI archive; throws a readable error for anything else. */
export async function readArchiveManifest(path: string): Promise<ArchiveManifest> {
  const raw = await readTarMember(path, 'index.json');
  if (!raw) throw new Error('it has no index.json: not an OCI image archive (oci-archive)');
  let index: { manifests?: { digest?: unknown; mediaType?: unknown; size?: unknown }[] };
  try {
    index = JSON.parse(raw.toString('utf8')) as typeof index;
  } catch {
    throw new Error('its index.json is not JSON');
  }
  const ms = index.manifests ?? [];
  if (ms.length !== 1)
    throw new Error(`its index.json lists ${ms.length} manifests; build-push pushes archives with exactly one`);
  const m = ms[0] as { digest?: unknown; mediaType?: unknown; size?: unknown };
  if (typeof m.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(m.digest))
    throw new Error('its manifest has no sha256 digest');
  return {
    digest: m.digest,
    mediaType: typeof m.mediaType === 'string' ? m.mediaType : '',
    size: typeof m.size === 'number' ? m.size : 0,
  };
}
