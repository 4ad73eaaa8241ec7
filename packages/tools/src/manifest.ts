/**
 * The committed tool manifest: one JSON file per tool in packages/tools/manifest/, each mapping pinned
 * versions to the SHA-256 of every platform's release file (and of the binary inside it, used to
 * accept a binary already on PATH). `file` is the path below the download base URL; a mirror serves
 * the same relative paths. Add a version only with hashes taken from the project's published
 * checksums, and name the source in the file's `source`.
 */
import type { ToolManifest } from './tool-installer.js';
import helm from '../manifest/helm.json' with { type: 'json' };
import trivy from '../manifest/trivy.json' with { type: 'json' };
import cosign from '../manifest/cosign.json' with { type: 'json' };

export const manifest: ToolManifest = {
  tools: {
    helm,
    trivy,
    cosign,
  } as ToolManifest['tools'],
};
