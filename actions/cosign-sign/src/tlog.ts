/**
 * Whether to upload to the transparency log, and what to warn about (SECURITY.md T33). Pure.
 * An entry in the *public* Rekor makes the repository name, the workflow path and ref, the commit and
 * the image digest public forever. For a private or internal repository that has to be a deliberate
 * choice: `tlog-upload: true`. With the default (`auto`), such a repository is refused with the
 * alternatives. An on-prem Rekor (`rekor-url`) is not public, so `auto` uploads there.
 */
export type TlogSetting = 'auto' | 'true' | 'false';
export type Visibility = 'public' | 'private' | 'internal' | 'unknown';

export type TlogDecision = { ok: true; upload: boolean; warning?: string } | { ok: false; reason: string };

export function decideTlog(o: {
  setting: TlogSetting;
  visibility: Visibility;
  publicRekor: boolean;
  keyless: boolean;
  repository: string;
}): TlogDecision {
  if (o.setting === 'false') {
    if (o.keyless) {
      return {
        ok: false,
        reason:
          'keyless signing needs a transparency log: the Fulcio certificate is valid for ten minutes, and only the log entry proves the signature was made while it was valid. Use mode: key with tlog-upload: false, or an on-prem Rekor (rekor-url)',
      };
    }
    return { ok: true, upload: false };
  }
  if (!o.publicRekor) return { ok: true, upload: true };
  const name = o.repository || 'this repository';
  const leak = `the public transparency log (rekor.sigstore.dev) records ${o.keyless ? 'the repository name, the workflow path and ref, the commit SHA and ' : ''}the image digest of ${name}, publicly and permanently`;
  if (o.visibility === 'private' || o.visibility === 'internal') {
    if (o.setting === 'auto') {
      return {
        ok: false,
        reason: `${name} is ${o.visibility}, and ${leak}. Choose explicitly: set tlog-upload: true to accept that, point rekor-url (and fulcio-url) at an on-prem Sigstore, or sign with mode: key and tlog-upload: false`,
      };
    }
    return { ok: true, upload: true, warning: `tlog-upload is true for a ${o.visibility} repository: ${leak}.` };
  }
  if (o.visibility === 'unknown') {
    return {
      ok: true,
      upload: true,
      warning: `The repository's visibility is unknown; ${leak}. Set tlog-upload explicitly to silence this.`,
    };
  }
  return { ok: true, upload: true };
}
