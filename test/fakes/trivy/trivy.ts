// A fake `trivy` for tests (the real one needs the network for its vulnerability DB). It only replays
// REAL recorded output and checks the argv it is given (see SOURCES.md beside this file):
//   trivy image …   parses the flags the way trivy's CLI does for the flags the gate uses (an unknown
//                   flag is an error, like cobra's "unknown flag"), requires --format json and --output,
//                   then copies the recorded report named by FAKE_TRIVY_REPORT to --output, byte for byte.
//                   Like the real trivy, it "downloads" the DB into <cache-dir>/db/metadata.json when
//                   trivy's rule says it is due (none, other schema, NextUpdate passed and not downloaded
//                   within the hour) unless --skip-db-update, and refuses --skip-db-update when no DB was
//                   ever downloaded. FAKE_TRIVY_DB_DOWNLOAD_MS makes the "download" take that long.
//   trivy version --format json [--cache-dir d]   prints VersionInfo (pkg/types) from that metadata.
// Every invocation appends its argv as one JSON line to FAKE_TRIVY_ARGV_LOG.
// FAKE_TRIVY_MODE:
//   db-failure        prints the recorded DB-download failure (db-download-failure.stderr), exit 1, no report;
//   db-failure-once   the same for the first invocation of `image` (counted in FAKE_TRIVY_ARGV_LOG), then ok.
// FAKE_TRIVY_VERSION (default 0.74.0), FAKE_TRIVY_DB_UPDATED_AT (ISO time the "downloaded" DB was built;
// default three hours ago).
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
const argv = process.argv.slice(2);
const env = process.env;
if (env.FAKE_TRIVY_ARGV_LOG) appendFileSync(env.FAKE_TRIVY_ARGV_LOG, JSON.stringify(argv) + '\n');
// where it ran and what it could have read there (trivy reads trivy.yaml, .trivyignore from its cwd)
if (env.FAKE_TRIVY_CWD_LOG)
  appendFileSync(
    env.FAKE_TRIVY_CWD_LOG,
    JSON.stringify({ cwd: process.cwd(), files: readdirSync(process.cwd()).sort() }) + '\n',
  );

function log(level: string, msg: string): void {
  process.stderr.write(`${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}\t${level}\t${msg}\n`);
}

function die(msg: string): never {
  process.stderr.write(`${msg}\n`);
  process.exit(1);
}

/** A command's flags: name -> takes a value. */
type KnownFlags = Readonly<Record<string, boolean>>;
/** The flags given: name -> value (for a boolean flag, `'true'` or what follows its `=`). */
type Flags = Record<string, string>;

/** `<cache-dir>/db/metadata.json` (trivy's pkg/db Metadata). */
interface DbMetadata {
  Version?: number;
  NextUpdate?: string;
  UpdatedAt?: string;
  DownloadedAt?: string;
}

/** What `trivy version --format json` prints (trivy's pkg/types VersionInfo). */
interface VersionInfo {
  Version: string;
  VulnerabilityDB?: DbMetadata;
}

// flags of `trivy image` / `trivy version` the gate may pass: name -> takes a value
const IMAGE_FLAGS: KnownFlags = {
  format: true,
  output: true,
  'exit-code': true,
  severity: true,
  scanners: true,
  timeout: true,
  ignorefile: true,
  'cache-dir': true,
  'db-repository': true,
  input: true,
  config: true,
  'no-progress': false,
  'ignore-unfixed': false,
  'skip-db-update': false,
  'skip-java-db-update': false,
  'skip-check-update': false,
  quiet: false,
};
const VERSION_FLAGS: KnownFlags = { format: true, 'cache-dir': true, config: true };

function parse(args: readonly string[], known: KnownFlags): { flags: Flags; positional: string[] } {
  const flags: Flags = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    const name = m?.[1];
    if (!m || name === undefined || !(name in known)) die(`Error: unknown flag: ${a.split('=')[0]}`);
    const inline = m[2];
    if (known[name]) {
      if (inline !== undefined) flags[name] = inline;
      else if (i + 1 < args.length) flags[name] = args[++i] ?? '';
      else die(`Error: flag needs an argument: --${name}`);
    } else {
      flags[name] = inline === undefined ? 'true' : inline;
    }
  }
  return { flags, positional };
}

function cacheDir(flags: Flags): string {
  if (flags['cache-dir']) return flags['cache-dir'];
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'trivy');
}

const metadataPath = (flags: Flags): string => join(cacheDir(flags), 'db', 'metadata.json');

const [command, ...rest] = argv;
if (command === 'version') {
  const { flags } = parse(rest, VERSION_FLAGS);
  const info: VersionInfo = { Version: env.FAKE_TRIVY_VERSION || '0.74.0' };
  if (existsSync(metadataPath(flags))) {
    const meta = JSON.parse(readFileSync(metadataPath(flags), 'utf8')) as DbMetadata;
    if (meta.UpdatedAt && meta.NextUpdate && meta.Version) info.VulnerabilityDB = meta;
  }
  if (flags.format === 'json') process.stdout.write(JSON.stringify(info) + '\n');
  else process.stdout.write(`Version: ${info.Version}\n`);
  process.exit(0);
}

if (command !== 'image') die(`Error: unknown command "${command}" for "trivy"`);
const { flags, positional } = parse(rest, IMAGE_FLAGS);
if (flags.format !== 'json') die('fake trivy: the gate must ask for --format json');
if (!flags.output) die('fake trivy: the gate must write the report to a file (--output)');
if (!flags.input && positional.length !== 1)
  die(`Error: requires at least 1 arg(s), only received ${positional.length}`);
if (flags.input && positional.length > 0) die('fake trivy: both --input and an image name');

const mode = env.FAKE_TRIVY_MODE || 'ok';
const imageRuns = (): number =>
  env.FAKE_TRIVY_ARGV_LOG
    ? readFileSync(env.FAKE_TRIVY_ARGV_LOG, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('["image"')).length
    : 1;
if (mode === 'db-failure' || (mode === 'db-failure-once' && imageRuns() === 1)) {
  process.stderr.write(readFileSync(join(here, 'db-download-failure.stderr')));
  process.exit(1);
}

// trivy's rule for downloading the DB (pkg/db NeedsUpdate/isNewDB): a DB of schema 2 whose NextUpdate
// is in the future, or that was downloaded within the last hour, is kept
function dbIsCurrent(path: string): boolean {
  if (!existsSync(path)) return false;
  const m = JSON.parse(readFileSync(path, 'utf8')) as DbMetadata;
  if (m.Version !== 2) return false;
  const now = Date.now();
  // a missing time parses as NaN, which no comparison passes
  return now < Date.parse(m.NextUpdate ?? '') || now < Date.parse(m.DownloadedAt ?? '') + 3_600_000;
}

// the vulnerability DB, as trivy keeps it in the cache
const meta = metadataPath(flags);
if (flags.scanners?.split(',').includes('vuln')) {
  if (flags['skip-db-update'] === 'true') {
    if (!existsSync(meta)) {
      log('FATAL', 'Fatal error\tinit error: DB error: --skip-db-update cannot be specified on the first run');
      process.exit(1);
    }
  } else if (!dbIsCurrent(meta)) {
    // a download takes time: FAKE_TRIVY_DB_DOWNLOAD_MS holds the old metadata that long
    if (env.FAKE_TRIVY_DB_DOWNLOAD_MS)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(env.FAKE_TRIVY_DB_DOWNLOAD_MS));
    log('INFO', '[vulndb] Need to update DB');
    log('INFO', `[vulndb] Downloading vulnerability DB...`);
    const updated = new Date(env.FAKE_TRIVY_DB_UPDATED_AT || Date.now() - 3 * 3_600_000);
    mkdirSync(dirname(meta), { recursive: true });
    writeFileSync(
      meta,
      JSON.stringify({
        Version: 2,
        NextUpdate: new Date(updated.getTime() + 6 * 3_600_000).toISOString(),
        UpdatedAt: updated.toISOString(),
        DownloadedAt: new Date().toISOString(),
      }),
    );
    log('INFO', '[vulndb] Artifact successfully downloaded');
  }
}

if (!env.FAKE_TRIVY_REPORT) die('fake trivy: FAKE_TRIVY_REPORT names no recorded report to replay');
log('INFO', `[vuln] Vulnerability scanning is enabled`);
copyFileSync(env.FAKE_TRIVY_REPORT, flags.output);
process.exit(0);
