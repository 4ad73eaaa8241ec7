// The runner's file-command format (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE): one `name=value` per line,
// or a multi-line value as `name<<DELIMITER`, its lines, then a line that is exactly DELIMITER. As in
// the runner, whichever of `=` and `<<` comes first on a line decides its form.

/** Reads a file-command file into its name → value pairs (a later line wins over an earlier one). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === '') throw new Error(`file command line ${i + 1} has no name: ${JSON.stringify(line)}`);
      out[name] = line.slice(eq + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '')
        throw new Error(`file command line ${i + 1} needs name<<DELIMITER: ${JSON.stringify(line)}`);
      const value: string[] = [];
      const start = i;
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      if (i >= lines.length)
        throw new Error(
          `file command ${name} (line ${start + 1}): no line ${JSON.stringify(delimiter)} ends its value`,
        );
      out[name] = value.join('\n');
    } else {
      throw new Error(`file command line ${i + 1} is neither name=value nor name<<DELIMITER: ${JSON.stringify(line)}`);
    }
  }
  return out;
}
