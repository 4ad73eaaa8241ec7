/**
 * The one allow-list of the secret canary scan: environment variables through which a child tool
 * legitimately receives a secret, because that variable is the tool's documented way to take it.
 * A canary found anywhere else in a child tool's environment (or argv) is a leak.
 *
 * Keep it short, and give each entry its reason. A file path (an auth file, a kubeconfig, a Docker
 * config directory) is never a secret: only the value of the variable is scanned, never the file it
 * names. Stdin (e.g. `buildah login --password-stdin`) is not recorded at all.
 */
export interface AllowedChildEnv {
  /** the tool's name as its wrapper records it (the basename the action runs) */
  tool: string;
  variable: string;
  reason: string;
}

export const ALLOWED_CHILD_ENV: readonly AllowedChildEnv[] = [
  {
    tool: 'cosign',
    variable: 'COSIGN_PASSWORD',
    reason:
      'cosign takes the password of an encrypted private key only from COSIGN_PASSWORD or an interactive prompt (cosign sign --help); a job has no terminal, and argv would show it in the process list',
  },
  {
    tool: 'cosign',
    variable: 'SIGSTORE_ID_TOKEN',
    reason:
      "keyless signing: cosign takes the job's OIDC ID token from SIGSTORE_ID_TOKEN or --identity-token; argv would show it in the process list, so the environment is the channel",
  },
];

export function isAllowedChildEnv(
  tool: string,
  variable: string,
  list: readonly AllowedChildEnv[] = ALLOWED_CHILD_ENV,
): boolean {
  return list.some((a) => a.tool === tool && a.variable === variable);
}
