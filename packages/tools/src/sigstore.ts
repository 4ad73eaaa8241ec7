/**
 * The public Sigstore services, GitHub's OIDC issuer and the shell quoting of a copy-paste cosign
 * command line. A module of its own, free of the semver cosign.ts checks versions with, so that an
 * action's start (inputs, summary) can read them cheaply.
 */
export const PUBLIC_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** POSIX-shell quoting for a copy-paste command line. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
