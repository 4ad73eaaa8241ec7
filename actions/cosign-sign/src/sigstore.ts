/**
 * The public Sigstore services, GitHub's OIDC issuer and the shell quoting of the summary's command
 * line: the same as in @polyglot-cd/tools/cosign (a unit test keeps them equal). Kept here so that
 * the inputs and the summary, which every start loads, do not load cosign.ts and the semver it
 * checks versions with (more than the rest of a cold start).
 */
export const PUBLIC_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** POSIX-shell quoting for a copy-paste command line. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
