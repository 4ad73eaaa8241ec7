import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, posix, resolve, sep } from 'node:path';
import { isDigestRef, parseHttpUrl, REPOSITORY_RE, TAG_RE, type ActionContext } from '@polyglot-cd/action-kit';
// types only: @polyglot-cd/tools (child_process, crypto, the installer) is loaded with the gate, after
// the inputs are valid, so a bad input costs no more than reading the inputs (pnpm bench)
import type { TrivyScanner, TrivySeverity } from '@polyglot-cd/tools/trivy';
import type { FailOn } from './findings.js';

export interface GateInputs {
  /** exactly one of image / input / path */
  image: string;
  /** absolute path of an OCI (or docker-save) archive or OCI layout directory */
  input: string;
  /** absolute, symlinks resolved: a folder inside the workspace to scan with `trivy fs` */
  path: string;
  /** folders under `path` trivy skips, relative to it, normalised (only with path) */
  skipDirs: readonly string[];
  failOn: FailOn;
  severities: readonly TrivySeverity[];
  ignoreUnfixed: boolean;
  scanners: readonly TrivyScanner[];
  timeoutMs: number;
  /** absolute; '' = a file next to the report */
  sarifFile: string;
  /** absolute; '' = Trivy's default */
  cacheDir: string;
  dbRepositories: readonly string[];
  skipDbUpdate: boolean;
  /** 0 = no check */
  maxDbAgeMs: number;
  /** absolute paths of the ignore files to apply (given, or found in the workspace) */
  ignoreFiles: readonly string[];
  /** true when ignore-file was given (a missing file is then an error) */
  ignoreFilesGiven: boolean;
  requireExpiry: boolean;
  version: string;
  toolsBaseUrl: string;
  maxAttempts: number;
}

/** the same lists as TRIVY_SEVERITIES / TRIVY_SCANNERS in @polyglot-cd/tools (a unit test keeps them equal) */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const satisfies readonly TrivySeverity[];
export const SCANNERS = ['vuln', 'secret', 'misconfig'] as const satisfies readonly TrivyScanner[];
const TRIVY_SEVERITIES = SEVERITIES;
const TRIVY_SCANNERS = SCANNERS;
const SEVERITY_LIST = TRIVY_SEVERITIES.join(', ');

function kind(path: string): 'file' | 'dir' | 'missing' | 'other' {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

type Reader = ActionContext['inputs'];
type Abs = (p: string) => string;

type Target = { image: string; input: string; path: string };
const TARGETS = ['image', 'input', 'path'] as const;

/** The scan target: an image by digest, an archive from build-push (push: false), or a folder. */
function readTarget(inputs: Reader, abs: Abs, workspace: string): Target {
  const given = TARGETS.filter((t) => inputs.optional(t) !== '');
  if (given.length > 1) {
    const [first, second] = given as [string, string];
    inputs.fail(
      second,
      inputs.optional(second),
      `give either ${first} or ${second}, not both: exactly one of image, input or path`,
    );
  }
  if (given[0] === 'input') return { image: '', input: readInput(inputs, abs), path: '' };
  if (given[0] === 'path') return { image: '', input: '', path: readPath(inputs, workspace) };
  const image = inputs.required('image', {
    hint: 'Pass the image by digest (repo@sha256:…, build-push\'s "image" output), input: the path of an OCI archive (build-push with push: false), or path: a folder of the workspace to scan.',
  });
  if (!isDigestRef(image)) {
    const tagged = /^[^@\s]+:[^/@\s]+$/.test(image) || REPOSITORY_RE.test(image);
    inputs.fail(
      'image',
      image,
      tagged
        ? 'expected an image by digest, repo@sha256:<64 hex>. A tag is refused (not a warning): it can move between the scan and the deploy, so the gate would vouch for an image nobody scanned. Use build-push\'s "image" output.'
        : 'expected an image by digest, repo@sha256:<64 hex> (build-push\'s "image" output)',
    );
  }
  return { image, input: '', path: '' };
}

function readInput(inputs: Reader, abs: Abs): string {
  const rawInput = inputs.optional('input');
  const input = abs(rawInput);
  const k = kind(input);
  if (k === 'missing')
    inputs.fail(
      'input',
      rawInput,
      `no such file or directory (${input}): expected the OCI archive build-push wrote (push: false)`,
    );
  if (k === 'other') inputs.fail('input', rawInput, 'expected an OCI archive file or an OCI layout directory');
  return input;
}

const inside = (root: string, p: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * path: a folder of the workspace. Resolved with its symlinks (realpath) and checked to be inside the
 * workspace's own real path, so neither `..` nor a symlinked folder leads trivy out of it; below it,
 * trivy fs does not follow symlinks (its walker, filepath.WalkDir, reads neither a symlinked folder
 * nor a symlinked file).
 */
function readPath(inputs: Reader, workspace: string): string {
  const raw = inputs.optional('path');
  const allowed = `expected a folder inside the workspace (${workspace}), relative to it, e.g. . or services/api`;
  const wanted = resolve(workspace, raw);
  let realWorkspace: string;
  try {
    realWorkspace = realpathSync(workspace);
  } catch {
    return inputs.fail('path', raw, `the workspace ${workspace} (GITHUB_WORKSPACE) does not exist`);
  }
  if (!inside(resolve(workspace), wanted))
    inputs.fail('path', raw, `resolves to ${wanted}, outside the workspace: ${allowed}`);
  const k = kind(wanted);
  if (k === 'missing') inputs.fail('path', raw, `no such folder (${wanted}): ${allowed}`);
  if (k !== 'dir') inputs.fail('path', raw, `${wanted} is not a folder: ${allowed}`);
  const real = realpathSync(wanted);
  if (!inside(realWorkspace, real))
    inputs.fail('path', raw, `is a symlink to ${real}, outside the workspace: ${allowed}`);
  return real;
}

/** Characters trivy's --skip-dirs reads as a glob (doublestar): refused, an entry names one folder. */
const GLOB_CHARS = /[*?[\]{}\\]/;

/** skip-dirs: folders under path, relative to it; no absolute paths, no `..`, no globs. */
function readSkipDirs(inputs: Reader, path: string): string[] {
  const entries = inputs.list('skip-dirs');
  if (entries.length === 0) return [];
  if (path === '')
    inputs.fail('skip-dirs', entries.join(', '), 'only with path (a folder scan): set path, or remove skip-dirs');
  const allowed = 'expected folders relative to path, one per line, e.g. node_modules or vendor/cache';
  const out: string[] = [];
  for (const e of entries) {
    if (isAbsolute(e)) inputs.fail('skip-dirs', e, `is absolute: ${allowed}`);
    if (GLOB_CHARS.test(e))
      inputs.fail('skip-dirs', e, `has a glob character (* ? [ ] { } \\): ${allowed}; name each folder`);
    if (e.split('/').includes('..')) inputs.fail('skip-dirs', e, `has "..": ${allowed}, inside path`);
    const dir = posix.normalize(e).replace(/\/+$/, '');
    if (dir === '.' || dir === '') inputs.fail('skip-dirs', e, `would skip path itself: ${allowed}`);
    if (!out.includes(dir)) out.push(dir);
  }
  return out;
}

/** fail-on, and the listed severities (which must include every one that can fail the gate). */
function readSeverities(inputs: Reader): { failOn: FailOn; severities: TrivySeverity[] } {
  const severityOf = (name: string, value: string): TrivySeverity => {
    const up = value.toUpperCase();
    return (
      TRIVY_SEVERITIES.find((s) => s === up) ?? inputs.fail(name, value, `expected severities from ${SEVERITY_LIST}`)
    );
  };
  const rawFailOn = inputs.optional('fail-on', 'CRITICAL');
  const failOn: FailOn =
    rawFailOn.toUpperCase() === 'NONE'
      ? 'NONE'
      : (TRIVY_SEVERITIES.find((s) => s === rawFailOn.toUpperCase()) ??
        inputs.fail(
          'fail-on',
          rawFailOn,
          `expected one severity (${SEVERITY_LIST}; HIGH means HIGH and CRITICAL) or none (report only)`,
        ));
  const sevList = inputs.list('severities');
  const severities =
    sevList.length === 0 ? [...TRIVY_SEVERITIES] : [...new Set(sevList.map((s) => severityOf('severities', s)))];
  if (failOn !== 'NONE') {
    const missing = TRIVY_SEVERITIES.slice(TRIVY_SEVERITIES.indexOf(failOn)).filter((s) => !severities.includes(s));
    if (missing.length > 0) {
      inputs.fail(
        'severities',
        sevList.join(','),
        `must list every severity that can fail the gate (fail-on ${failOn}): add ${missing.join(', ')}, or the gate could fail on findings the summary does not show`,
      );
    }
  }
  return { failOn, severities };
}

function readScanners(inputs: Reader): TrivyScanner[] {
  const scanList = inputs.list('scanners');
  const scanners =
    scanList.length === 0 ? (['vuln'] as TrivyScanner[]) : [...new Set(scanList.map((s) => s.toLowerCase()))];
  for (const s of scanners) {
    if (!TRIVY_SCANNERS.includes(s as TrivyScanner))
      inputs.fail('scanners', s, `expected ${TRIVY_SCANNERS.join(', ')}`);
  }
  return scanners as TrivyScanner[];
}

/** sarif-file and cache-dir, absolute ('' when not given). */
function readPaths(inputs: Reader, abs: Abs): { sarifFile: string; cacheDir: string } {
  const sarifRaw = inputs.optional('sarif-file');
  const sarifFile = sarifRaw === '' ? '' : abs(sarifRaw);
  if (sarifFile !== '' && kind(sarifFile) === 'dir')
    inputs.fail('sarif-file', sarifRaw, 'is a directory: expected a file path such as trivy.sarif');
  const cacheRaw = inputs.optional('cache-dir');
  const cacheDir = cacheRaw === '' ? '' : abs(cacheRaw);
  if (cacheDir !== '' && !['dir', 'missing'].includes(kind(cacheDir)))
    inputs.fail('cache-dir', cacheRaw, 'exists and is not a directory');
  return { sarifFile, cacheDir };
}

function readDbRepositories(inputs: Reader): string[] {
  const dbRepositories = inputs.list('db-repository');
  for (const r of dbRepositories) {
    const [repo, tag, ...rest] = r.split(/:(?=[^/:]+$)/);
    const ok = rest.length === 0 && REPOSITORY_RE.test(repo ?? '') && (tag === undefined || TAG_RE.test(tag));
    if (!ok)
      inputs.fail(
        'db-repository',
        r,
        'expected OCI repositories such as mirror.example.com/aquasec/trivy-db:2 (mirrors first, one per line)',
      );
  }
  return dbRepositories;
}

const DEFAULT_IGNORE_FILES = ['.trivyignore.yaml', '.trivyignore.yml', '.trivyignore'];

/** The ignore files to apply: the ones given, else the workspace's own (except on pull requests). */
function readIgnoreFiles(ctx: ActionContext, abs: Abs): { ignoreFiles: string[]; given: boolean } {
  const { inputs, env } = ctx;
  const ignoreRaw = inputs.list('ignore-file');
  if (ignoreRaw.length > 0) {
    const ignoreFiles = ignoreRaw.map(abs);
    ignoreFiles.forEach((f, i) => {
      if (kind(f) !== 'file') inputs.fail('ignore-file', ignoreRaw[i] as string, `no such file (${f})`);
    });
    return { ignoreFiles, given: true };
  }
  if (/^pull_request/.test(env['GITHUB_EVENT_NAME'] ?? '')) {
    // a pull request must not exempt itself: its own .trivyignore is not picked up by default. Name an
    // ignore file taken from the base branch (the reusable workflows do) to use one.
    const found = DEFAULT_IGNORE_FILES.filter((f) => kind(abs(f)) === 'file');
    if (found.length > 0) {
      ctx.log.notice(
        `${found.join(', ')} in the pull request's checkout not used: on pull_request events only an ignore file the workflow names (ignore-file) applies`,
      );
    }
    return { ignoreFiles: [], given: false };
  }
  return { ignoreFiles: DEFAULT_IGNORE_FILES.map(abs).filter((f) => kind(f) === 'file'), given: false };
}

function readTool(inputs: Reader): { version: string; toolsBaseUrl: string } {
  const version = inputs.matching(
    'version',
    /^v?\d+\.\d+\.\d+$/,
    'expected an exact Trivy version such as 0.74.0 (no ranges, no latest)',
  );
  const toolsBaseUrl = inputs.optional('tools-base-url');
  if (toolsBaseUrl !== '' && !parseHttpUrl(toolsBaseUrl))
    inputs.fail('tools-base-url', toolsBaseUrl, 'expected an http(s) URL of a mirror of the Trivy releases');
  return { version: version.replace(/^v/, ''), toolsBaseUrl };
}

/** Reads and validates every input before anything is installed or run. */
export function getInputs(ctx: ActionContext): Readonly<GateInputs> {
  const { inputs, env } = ctx;
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(workspace, p));
  const target = readTarget(inputs, abs, resolve(workspace));
  const skipDirs = readSkipDirs(inputs, target.path);
  const { failOn, severities } = readSeverities(inputs);
  const scanners = readScanners(inputs);
  const paths = readPaths(inputs, abs);
  const dbRepositories = readDbRepositories(inputs);
  const ignore = readIgnoreFiles(ctx, abs);
  const tool = readTool(inputs);
  return Object.freeze({
    ...target,
    skipDirs: Object.freeze(skipDirs),
    failOn,
    severities: Object.freeze(severities),
    ignoreUnfixed: inputs.bool('ignore-unfixed', false),
    scanners: Object.freeze(scanners),
    timeoutMs: inputs.duration('timeout', { default: '10m', min: '30s', max: '2h' }),
    ...paths,
    dbRepositories: Object.freeze(dbRepositories),
    skipDbUpdate: inputs.bool('skip-db-update', false),
    maxDbAgeMs: inputs.duration('max-db-age', { default: '48h', max: '720h' }),
    ignoreFiles: Object.freeze(ignore.ignoreFiles),
    ignoreFilesGiven: ignore.given,
    requireExpiry: inputs.bool('require-expiry', false),
    ...tool,
    maxAttempts: inputs.int('max-attempts', { default: 3, min: 1, max: 5 }),
  });
}
