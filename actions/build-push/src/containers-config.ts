/**
 * Per-run containers/image configuration (pure text builders): a registries.conf that marks only
 * the listed hosts insecure (plain http or unverified TLS), keeping the machine's own settings
 * (unqualified-search-registries, mirrors) by including its file's text first.
 */
export function registriesConf(systemConf: string, insecureHosts: readonly string[]): string {
  const lines = [systemConf.trimEnd(), '', '# added by polyglot-cd build-push for this run'];
  for (const h of insecureHosts) lines.push('[[registry]]', `location = ${JSON.stringify(h)}`, 'insecure = true', '');
  return lines.join('\n').replace(/^\n+/, '') + '\n';
}
