import { describe, expect, it } from 'vitest';
import { registrySaid } from '../../../actions/build-push/src/push.js';

// recorded from buildah 1.28.2 pushing to an immutable tag (ECR's refusal, replayed by
// test/registry/flaky-proxy.ts): containers/image tries every manifest format and repeats the words
const BUILDAH_ECR =
  'Getting image source signatures\n' +
  'Error: pushing image "sha256:e14f3cd001a993a613c9194c32a735452fea9ea5253cba972193728c488b27de" to "docker://127.0.0.1:36663/test/imm-rerun-703de3dd:sha-a1b2c3d": ' +
  "Uploading manifest failed, attempted the following formats: application/vnd.oci.image.manifest.v1+json(writing manifest: uploading manifest sha-a1b2c3d to 127.0.0.1:36663/test/imm-rerun-703de3dd: tag invalid: The image tag 'sha-a1b2c3d' already exists in the 'test/imm-rerun-703de3dd' repository and cannot be overwritten because the repository is immutable.), " +
  "application/vnd.docker.distribution.manifest.v2+json(writing manifest: uploading manifest sha-a1b2c3d to 127.0.0.1:36663/test/imm-rerun-703de3dd: tag invalid: The image tag 'sha-a1b2c3d' already exists in the 'test/imm-rerun-703de3dd' repository and cannot be overwritten because the repository is immutable.), " +
  'application/vnd.oci.image.index.v1+json(creating an updated image manifest: Unsupported conversion type: application/vnd.oci.image.index.v1+json)';

describe('registrySaid: the registry words of a refused push, once', () => {
  it.each([
    [
      'buildah, every format refused',
      BUILDAH_ECR,
      "tag invalid: The image tag 'sha-a1b2c3d' already exists in the 'test/imm-rerun-703de3dd' repository and cannot be overwritten because the repository is immutable.",
    ],
    [
      'one format only',
      "Error: writing manifest: uploading manifest 2 to 127.0.0.1:5000/test/a: unknown: Failed to process request due to 'a:2' configured as immutable.",
      "unknown: Failed to process request due to 'a:2' configured as immutable.",
    ],
    [
      'skopeo (logrus line)',
      `time="2026-11-22T02:06:08Z" level=fatal msg="writing manifest: uploading manifest sha-a1b2c3d to 127.0.0.1:38237/test/imm-archive-456aaa83: unknown: Failed to process request due to 'imm-archive-456aaa83:sha-a1b2c3d' configured as immutable."`,
      "unknown: Failed to process request due to 'imm-archive-456aaa83:sha-a1b2c3d' configured as immutable.",
    ],
    [
      'anything else: the last line',
      'first\nError: denied: requested access to the resource is denied\n',
      'Error: denied: requested access to the resource is denied',
    ],
  ])('%s', (_name, stderr, words) => {
    expect(registrySaid(stderr)).toBe(words);
  });
});
