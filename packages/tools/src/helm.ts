/**
 * Helm: argv builders and parsers of helm's machine-readable output, for Helm 3 and Helm 4.
 *
 * Flags are chosen by the major version of the binary that actually runs (`helm version`), never by
 * what was asked for:
 * - Helm 3: `--wait` (bool) and `--atomic`;
 * - Helm 4: `--wait=watcher` (an explicit strategy; Helm 4's default is `hookOnly`, which does not wait
 *   for the workloads) and `--rollback-on-failure` (`--atomic` is deprecated).
 * Every positional (release, chart, revision) comes after `--`, so a value can never be read as a flag.
 * Values are passed only as files (`--values`), never through `--set`.
 */
import { ToolError } from '@polyglot-cd/action-kit';
import type { CommandOptions, CommandResult, CommandRunner } from './command-runner.js';
import { releaseFromParts, releaseSatisfies, versionParts } from './version-range.js';

export type HelmMajor = 3 | 4;

export interface HelmVersion {
  major: number;
  minor: number;
  patch: number;
  /** as printed, e.g. v3.10.1 */
  raw: string;
}

/** A release as `helm status -o json` / `helm upgrade -o json` print it (Helm 3 and 4 shapes). */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  description: string;
  notes: string;
  /** RFC 3339, or '' when helm printed none (Helm 3 prints zero times as "", Helm 4 omits them) */
  firstDeployed: string;
  lastDeployed: string;
  chartName: string;
  chartVersion: string;
  appVersion: string;
  /** the rendered manifest, when printed */
  manifest: string;
}

export interface HelmHistoryEntry {
  revision: number;
  updated: string;
  status: string;
  /** `<chart name>-<chart version>` */
  chart: string;
  appVersion: string;
  description: string;
}

export const PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'] as const;

export interface UpgradeOptions {
  release: string;
  chart: string;
  namespace: string;
  chartVersion?: string;
  valuesFiles: readonly string[];
  /** helm's --timeout, as a Go duration (e.g. 300s) */
  timeoutSeconds: number;
  historyMax: number;
  /** roll back (or uninstall a first install) when the upgrade fails: --atomic / --rollback-on-failure */
  rollbackOnFailure: boolean;
  /** wait for the workloads to be ready (Helm 3 --wait, Helm 4 --wait=watcher) */
  wait: boolean;
  /** also wait for Jobs */
  waitForJobs?: boolean;
  description?: string;
  /** server-side dry run: render and validate against the cluster, change nothing */
  dryRun?: boolean;
}

export interface HelmRunOptions {
  timeoutMs?: number;
  okExitCodes?: readonly number[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function int(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}

/** `[a-z0-9]…` chart name and its SemVer, from history's `<name>-<version>` */
export function splitChartRef(chart: string): { name: string; version: string } {
  const m = /^(.+?)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(chart);
  return m ? { name: m[1] as string, version: m[2] as string } : { name: chart, version: '' };
}

export class Helm {
  readonly path: string;
  readonly version: HelmVersion;
  readonly #runner: CommandRunner;
  readonly #env: Record<string, string | undefined>;

  constructor(path: string, version: HelmVersion, runner: CommandRunner, env: Record<string, string | undefined> = {}) {
    this.path = path;
    this.version = version;
    this.#runner = runner;
    this.#env = env;
  }

  get major(): HelmMajor {
    return this.version.major >= 4 ? 4 : 3;
  }

  /** Asks the binary for its version and returns a Helm bound to it. Refuses Helm 2 and unknown majors. */
  static async open(path: string, runner: CommandRunner, env: Record<string, string | undefined> = {}): Promise<Helm> {
    const res = await runner.run(path, Helm.versionArgs(), { tool: 'helm', env, timeoutMs: 30_000 });
    const version = Helm.parseVersion(res.stdout);
    if (!version)
      throw new Error(`helm printed an unexpected version: ${JSON.stringify(res.stdout.trim().slice(0, 80))}`);
    if (version.major !== 3 && version.major !== 4) {
      throw new Error(`helm ${version.raw} is not supported: use Helm 3 (>= 3.10) or Helm 4`);
    }
    return new Helm(path, version, runner, env);
  }

  static versionArgs(): string[] {
    return ['version', '--template', '{{.Version}}'];
  }

  static parseVersion(text: string): HelmVersion | undefined {
    const raw = text.trim();
    const parts = versionParts(raw);
    if (!parts) return undefined;
    return { ...parts, raw: raw.startsWith('v') ? raw : `v${raw}` };
  }

  /**
   * A constraint check (semver, via version-range.ts): space-separated comparators (`>=3.10.0 <5`), each
   * `>=`, `>`, `<=`, `<`, `=` or bare (equal); missing minor/patch count as 0; a pre-release suffix of
   * the version is ignored.
   */
  static versionSatisfies(version: HelmVersion | string, constraint: string): boolean {
    const v = typeof version === 'string' ? Helm.parseVersion(version) : version;
    return releaseSatisfies(v && releaseFromParts(v.major, v.minor, v.patch), constraint);
  }

  /** `--wait` for this major: Helm 4 needs an explicit strategy, or it only waits for hooks. */
  static waitFlag(major: HelmMajor): string {
    return major >= 4 ? '--wait=watcher' : '--wait';
  }

  static rollbackOnFailureFlag(major: HelmMajor): string {
    return major >= 4 ? '--rollback-on-failure' : '--atomic';
  }

  /** Server-side dry run: Helm 4 and Helm >= 3.13 take `--dry-run=server`; older Helm 3 only `--dry-run`. */
  static dryRunFlag(version: HelmVersion): string {
    return version.major >= 4 || Helm.versionSatisfies(version, '>=3.13.0') ? '--dry-run=server' : '--dry-run';
  }

  static upgradeArgs(o: UpgradeOptions, version: HelmVersion): string[] {
    const major: HelmMajor = version.major >= 4 ? 4 : 3;
    const args = [
      'upgrade',
      '--install',
      '--namespace',
      o.namespace,
      '--output',
      'json',
      '--timeout',
      `${o.timeoutSeconds}s`,
      '--history-max',
      String(o.historyMax),
    ];
    if (o.chartVersion) args.push('--version', o.chartVersion);
    for (const f of o.valuesFiles) args.push('--values', f);
    if (o.dryRun) {
      args.push(Helm.dryRunFlag(version));
    } else {
      if (o.wait || o.rollbackOnFailure) args.push(Helm.waitFlag(major));
      if (o.waitForJobs) args.push('--wait-for-jobs');
      if (o.rollbackOnFailure) args.push(Helm.rollbackOnFailureFlag(major));
    }
    if (o.description) args.push('--description', o.description);
    args.push('--', o.release, o.chart);
    return args;
  }

  static templateArgs(
    o: Pick<UpgradeOptions, 'release' | 'chart' | 'namespace' | 'chartVersion' | 'valuesFiles'>,
  ): string[] {
    const args = ['template', '--namespace', o.namespace];
    if (o.chartVersion) args.push('--version', o.chartVersion);
    for (const f of o.valuesFiles) args.push('--values', f);
    args.push('--', o.release, o.chart);
    return args;
  }

  static statusArgs(release: string, namespace: string): string[] {
    return ['status', '--namespace', namespace, '--output', 'json', '--', release];
  }

  static historyArgs(release: string, namespace: string, max = 20): string[] {
    return ['history', '--namespace', namespace, '--output', 'json', '--max', String(max), '--', release];
  }

  static getManifestArgs(release: string, namespace: string): string[] {
    return ['get', 'manifest', '--namespace', namespace, '--', release];
  }

  /** `helm get values` of one revision (the user-supplied values: values files and generated files), as JSON */
  static getValuesArgs(release: string, namespace: string, revision: number): string[] {
    return [
      'get',
      'values',
      '--namespace',
      namespace,
      '--revision',
      String(revision),
      '--output',
      'json',
      '--',
      release,
    ];
  }

  /** Parses `helm get values -o json`: a mapping (helm prints `null` for a release with no values). */
  static parseValues(json: string): Record<string, unknown> {
    const text = json.trim();
    const v = text === '' ? null : (JSON.parse(text) as unknown);
    if (v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v))
      throw new Error('helm get values printed JSON that is not a mapping');
    return v as Record<string, unknown>;
  }

  static rollbackArgs(
    release: string,
    namespace: string,
    revision: number,
    o: { timeoutSeconds: number; historyMax: number; wait: boolean },
    major: HelmMajor,
  ): string[] {
    const args = [
      'rollback',
      '--namespace',
      namespace,
      '--timeout',
      `${o.timeoutSeconds}s`,
      '--history-max',
      String(o.historyMax),
    ];
    if (o.wait) args.push(Helm.waitFlag(major));
    args.push('--', release, String(revision));
    return args;
  }

  static uninstallArgs(
    release: string,
    namespace: string,
    o: { timeoutSeconds: number; wait: boolean },
    major: HelmMajor,
  ): string[] {
    const args = ['uninstall', '--namespace', namespace, '--timeout', `${o.timeoutSeconds}s`];
    if (o.wait) args.push(Helm.waitFlag(major));
    args.push('--', release);
    return args;
  }

  /** Parses `helm status -o json` / `helm upgrade -o json` (Helm 3 and 4 shapes). */
  static parseRelease(json: string): HelmRelease {
    const start = json.indexOf('{');
    if (start < 0) throw new Error('helm printed no JSON release object');
    const o = JSON.parse(json.slice(start)) as Record<string, unknown>;
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw new Error('helm printed JSON that is not a release object');
    const info = (o['info'] ?? {}) as Record<string, unknown>;
    const chart = (o['chart'] ?? {}) as Record<string, unknown>;
    const meta = (chart['metadata'] ?? {}) as Record<string, unknown>;
    const name = str(o['name']);
    const status = str(info['status']);
    if (!name || !status) throw new Error('helm printed a release without a name or status');
    return {
      name,
      namespace: str(o['namespace']),
      revision: int(o['version']),
      status,
      description: str(info['description']),
      notes: str(info['notes']),
      firstDeployed: str(info['first_deployed']),
      lastDeployed: str(info['last_deployed']),
      chartName: str(meta['name']),
      chartVersion: str(meta['version']),
      appVersion: str(meta['appVersion']),
      manifest: str(o['manifest']),
    };
  }

  /** Parses `helm history -o json`: oldest first, as helm prints it. */
  static parseHistory(json: string): HelmHistoryEntry[] {
    const data = JSON.parse(json.trim() === '' ? '[]' : json) as unknown;
    if (!Array.isArray(data)) throw new Error('helm history printed JSON that is not an array');
    return data
      .map((e) => {
        const r = (e ?? {}) as Record<string, unknown>;
        return {
          revision: int(r['revision']),
          updated: str(r['updated']),
          status: str(r['status']),
          chart: str(r['chart']),
          appVersion: str(r['app_version']),
          description: str(r['description']),
        };
      })
      .sort((a, b) => a.revision - b.revision);
  }

  /** `Error: release: not found` (status/history of a release that does not exist). */
  static isReleaseNotFound(stderr: string): boolean {
    return /release: not found/.test(stderr);
  }

  /** "another operation (install/upgrade/rollback) is in progress" */
  static isOperationInProgress(stderr: string): boolean {
    return /another operation \(install\/upgrade\/rollback\) is in progress/.test(stderr);
  }

  /**
   * Another helm operation on the same release won the race: its pending lock ("another operation
   * … is in progress"), or the revision record this run wanted to write already exists (two upgrades
   * computed the same next revision; helm's optimistic lock), or a concurrent first install (Helm 3:
   * "cannot re-use a name that is still in use"; Helm 4: "cannot reuse a name …", or the bare
   * "release: already exists" of the record write). Nothing was applied by the run that gets this error.
   */
  static isConcurrentOperation(stderr: string): boolean {
    return (
      Helm.isOperationInProgress(stderr) ||
      /release: already exists|cannot re-?use a name that is still in use/.test(stderr)
    );
  }

  static isPending(status: string): boolean {
    return (PENDING_STATUSES as readonly string[]).includes(status);
  }

  /** The newest revision that was successfully deployed (deployed or superseded), if any. */
  static lastGoodRevision(history: readonly HelmHistoryEntry[]): HelmHistoryEntry | undefined {
    return [...history].reverse().find((h) => h.status === 'deployed' || h.status === 'superseded');
  }

  run(args: readonly string[], opts: HelmRunOptions & Pick<CommandOptions, 'stream'> = {}): Promise<CommandResult> {
    return this.#runner.run(this.path, args, { tool: 'helm', env: this.#env, ...opts });
  }

  async status(release: string, namespace: string): Promise<HelmRelease | undefined> {
    try {
      const res = await this.run(Helm.statusArgs(release, namespace), { timeoutMs: 60_000 });
      return Helm.parseRelease(res.stdout);
    } catch (err) {
      if (err instanceof ToolError && Helm.isReleaseNotFound(err.details.stderrTail)) return undefined;
      throw err;
    }
  }

  async values(release: string, namespace: string, revision: number): Promise<Record<string, unknown>> {
    const res = await this.run(Helm.getValuesArgs(release, namespace, revision), { timeoutMs: 60_000 });
    return Helm.parseValues(res.stdout);
  }

  async history(release: string, namespace: string, max = 20): Promise<HelmHistoryEntry[]> {
    try {
      const res = await this.run(Helm.historyArgs(release, namespace, max), { timeoutMs: 60_000 });
      return Helm.parseHistory(res.stdout);
    } catch (err) {
      if (err instanceof ToolError && Helm.isReleaseNotFound(err.details.stderrTail)) return [];
      throw err;
    }
  }
}
