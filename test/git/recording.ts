/**
 * A git that records its argv: an executable script that appends each call's arguments to a file,
 * then `exec`s the real git. Only argv is recorded (not the environment, which carries the
 * Authorization header by design), so tests can check that no secret is ever on a command line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RecordingGit {
  /** the executable to hand the transport as `git` */
  bin: string;
  /** every call so far, as argv arrays (without the program) */
  calls(): string[][];
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function recordingGit(dir: string): RecordingGit {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const log = join(dir, 'git-argv.log');
  const bin = join(dir, 'git');
  writeFileSync(log, '');
  // one record per call: the arguments NUL-separated, then a record separator (0x1e)
  writeFileSync(
    bin,
    `#!/bin/sh\n{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\036'; } >> ${shellQuote(log)}\nexec ${shellQuote(real)} "$@"\n`,
    { mode: 0o755 },
  );
  return {
    bin,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\x1e')
        .filter((r) => r !== '')
        .map((r) => r.split('\0').slice(0, -1)),
  };
}
