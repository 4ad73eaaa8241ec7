/** indexDigest: the one manifest digest an OCI index.json names, or why it cannot be used. Pure, table by table. */
import { describe, expect, it } from 'vitest';
import { imageDigest, indexDigest } from '../../../actions/trivy-gate/src/digest.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const entry = (digest: unknown): Record<string, unknown> => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest,
  size: 1,
});

describe('indexDigest', () => {
  it.each([
    ['one image manifest', { schemaVersion: 2, manifests: [entry(A)] }, A],
    [
      'one image index (a multi-platform archive: the digest a from-archive push keeps)',
      { schemaVersion: 2, manifests: [{ ...entry(B), mediaType: 'application/vnd.oci.image.index.v1+json' }] },
      B,
    ],
  ])('%s', (_, index, digest) => {
    expect(indexDigest(JSON.stringify(index), 'the archive')).toEqual({ digest });
  });

  it.each([
    ['not JSON', '{', "the archive's index.json is not JSON"],
    ['null', 'null', "the archive's index.json has no manifests list"],
    ['no manifests key', '{"schemaVersion":2}', "the archive's index.json has no manifests list"],
    ['manifests not a list', '{"manifests":{}}', "the archive's index.json has no manifests list"],
    ['no manifest', '{"manifests":[]}', "the archive's index.json names 0 manifests; the gate scans exactly one image"],
    [
      'two manifests, both named',
      JSON.stringify({ manifests: [entry(A), entry(B)] }),
      `the archive's index.json names 2 manifests (${A}, ${B}); the gate scans exactly one image, so it could not say which digest it vouches for`,
    ],
    [
      'a sha512 digest',
      JSON.stringify({ manifests: [entry(`sha512:${'c'.repeat(128)}`)] }),
      "the archive's index.json names a manifest without a sha256 digest",
    ],
    [
      'upper-case hex',
      JSON.stringify({ manifests: [entry(A.toUpperCase().replace('SHA256', 'sha256'))] }),
      'without a sha256 digest',
    ],
    [
      'a path in the digest',
      JSON.stringify({ manifests: [entry('sha256:../../etc/passwd')] }),
      'without a sha256 digest',
    ],
    ['no digest', JSON.stringify({ manifests: [{ size: 1 }] }), 'without a sha256 digest (undefined)'],
  ])('refused: %s', (_, text, problem) => {
    const r = indexDigest(text, 'the archive');
    expect('problem' in r ? r.problem : r.digest).toContain(problem);
  });
});

describe('imageDigest', () => {
  it('is the part after @', () => {
    expect(imageDigest(`registry.local:5000/shop/backend@${A}`)).toBe(A);
  });
});
