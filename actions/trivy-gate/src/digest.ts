/**
 * The manifest digest of what the gate scans, for the `digest` output: the digest of an image given
 * by digest, or of the one manifest an OCI layout's index.json names (the digest build-push keeps when
 * it pushes the archive with from-archive). The manifest blob is read and hashed, so the digest is the
 * one of the bytes trivy reads, not only what index.json claims. A docker-save tar has none ('').
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, SHA256_DIGEST_RE } from '@polyglot-cd/action-kit';

/** Manifests are small: the distribution spec lets registries refuse more than 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** The digest index.json names, or why it cannot be used (a sentence about `label`). Pure. */
export function indexDigest(text: string, label: string): { digest: string } | { problem: string } {
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    return { problem: `${label}'s index.json is not JSON` };
  }
  const manifests = (index as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) return { problem: `${label}'s index.json has no manifests list` };
  if (manifests.length !== 1) {
    const digests = manifests
      .map((m) => (m as { digest?: unknown } | null)?.digest)
      .filter((d): d is string => typeof d === 'string')
      .slice(0, 5);
    return {
      problem:
        `${label}'s index.json names ${manifests.length} manifests${digests.length ? ` (${digests.join(', ')})` : ''}; ` +
        'the gate scans exactly one image, so it could not say which digest it vouches for: pass an archive or layout of one image (build-push with push: false writes one)',
    };
  }
  const digest = (manifests[0] as { digest?: unknown } | null)?.digest;
  if (typeof digest !== 'string' || !SHA256_DIGEST_RE.test(digest))
    return {
      problem: `${label}'s index.json names a manifest without a sha256 digest (${JSON.stringify(digest)}): expected sha256:<64 hex>`,
    };
  return { digest };
}

function inputError(input: string, why: string): InputError {
  return new InputError(`Input "input" has an invalid value "${input}": ${why}`, 'input');
}

/**
 * The digest of the one manifest of the OCI layout trivy scans (a directory: the input, or the archive
 * the gate unpacked), checked against the bytes of its blob; '' for a docker-save tar, which trivy
 * reads as it is (a file). `input` is the input as given, for the messages.
 */
export function layoutDigest(target: string, input: string): string {
  if (!statSync(target).isDirectory()) return '';
  const indexPath = join(target, 'index.json');
  if (!existsSync(indexPath))
    throw inputError(input, 'the directory has no index.json: expected an OCI layout directory or an OCI archive');
  const found = indexDigest(readFileSync(indexPath, 'utf8'), 'the OCI layout');
  if ('problem' in found) throw inputError(input, found.problem);
  const blob = join(target, 'blobs', 'sha256', found.digest.slice('sha256:'.length));
  let size: number;
  try {
    size = statSync(blob).size;
  } catch {
    throw inputError(input, `the manifest ${found.digest} that index.json names is not in the layout (blobs/sha256)`);
  }
  if (size > MAX_MANIFEST_BYTES)
    throw inputError(
      input,
      `the manifest ${found.digest} is ${size} bytes, over the ${MAX_MANIFEST_BYTES} a manifest may have`,
    );
  const actual = `sha256:${createHash('sha256').update(readFileSync(blob)).digest('hex')}`;
  if (actual !== found.digest)
    throw inputError(
      input,
      `index.json names the manifest ${found.digest}, but that blob's bytes hash to ${actual}: the layout is damaged or was altered`,
    );
  return found.digest;
}

/** The digest of an image given by digest (repo@sha256:…). */
export function imageDigest(image: string): string {
  return image.slice(image.indexOf('@') + 1);
}
