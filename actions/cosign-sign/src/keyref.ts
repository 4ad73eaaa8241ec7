/**
 * Cosign key references (what `cosign sign --key` accepts), checked before anything runs. Pure.
 * Accepted: a file path, `env://VAR`, `k8s://namespace/secret`, and the KMS URIs cosign ships
 * providers for: `awskms://`, `gcpkms://`, `azurekms://`, `hashivault://`.
 */
export const KMS_SCHEMES = ['awskms', 'gcpkms', 'azurekms', 'hashivault'] as const;
export const KEY_SCHEMES = ['env', 'k8s', ...KMS_SCHEMES] as const;

export type KeyRefKind = 'file' | 'env' | 'k8s' | 'kms';

export interface KeyRef {
  kind: KeyRefKind;
  ref: string;
  /** env:// only: the variable's name */
  envVar?: string;
}

export type KeyRefCheck = { ok: true; key: KeyRef } | { ok: false; reason: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseKeyRef(ref: string): KeyRefCheck {
  if (ref.startsWith('-')) {
    return { ok: false, reason: 'a key reference may not start with "-" (it would be read as a cosign flag)' };
  }
  if (/[\0\r\n]/.test(ref)) return { ok: false, reason: 'a key reference may not contain control characters' };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(ref)?.[1];
  if (scheme === undefined) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('./')) {
      return {
        ok: false,
        reason: `unknown key reference "${ref.split(':')[0]}:"; expected a file path or one of ${KEY_SCHEMES.map((s) => `${s}://`).join(', ')}`,
      };
    }
    return { ok: true, key: { kind: 'file', ref } };
  }
  const rest = ref.slice(scheme.length + 3);
  switch (scheme) {
    case 'env':
      if (!ENV_NAME.test(rest))
        return { ok: false, reason: 'env:// must name an environment variable, e.g. env://COSIGN_PRIVATE_KEY' };
      return { ok: true, key: { kind: 'env', ref, envVar: rest } };
    case 'k8s':
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(rest)) {
        return { ok: false, reason: 'k8s:// must be k8s://<namespace>/<secret>' };
      }
      return { ok: true, key: { kind: 'k8s', ref } };
    default:
      if ((KMS_SCHEMES as readonly string[]).includes(scheme)) {
        if (rest === '' || /\s/.test(rest))
          return { ok: false, reason: `${scheme}:// needs a key identifier and no spaces` };
        return { ok: true, key: { kind: 'kms', ref } };
      }
      return {
        ok: false,
        reason: `unknown key reference scheme "${scheme}://"; expected a file path or one of ${KEY_SCHEMES.map((s) => `${s}://`).join(', ')}`,
      };
  }
}
