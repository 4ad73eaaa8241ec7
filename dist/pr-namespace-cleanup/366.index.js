export const id = 366;
export const ids = [366];
export const modules = {

/***/ 2366:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Helm = exports.PENDING_STATUSES = void 0;
exports.splitChartRef = splitChartRef;
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
const action_kit_1 = __webpack_require__(5092);
const version_range_js_1 = __webpack_require__(9676);
exports.PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'];
function str(v) {
    return typeof v === 'string' ? v : '';
}
function int(v) {
    return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}
/** `[a-z0-9]…` chart name and its SemVer, from history's `<name>-<version>` */
function splitChartRef(chart) {
    const m = /^(.+?)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(chart);
    return m ? { name: m[1], version: m[2] } : { name: chart, version: '' };
}
class Helm {
    path;
    version;
    #runner;
    #env;
    constructor(path, version, runner, env = {}) {
        this.path = path;
        this.version = version;
        this.#runner = runner;
        this.#env = env;
    }
    get major() {
        return this.version.major >= 4 ? 4 : 3;
    }
    /** Asks the binary for its version and returns a Helm bound to it. Refuses Helm 2 and unknown majors. */
    static async open(path, runner, env = {}) {
        const res = await runner.run(path, Helm.versionArgs(), { tool: 'helm', env, timeoutMs: 30_000 });
        const version = Helm.parseVersion(res.stdout);
        if (!version)
            throw new Error(`helm printed an unexpected version: ${JSON.stringify(res.stdout.trim().slice(0, 80))}`);
        if (version.major !== 3 && version.major !== 4) {
            throw new Error(`helm ${version.raw} is not supported: use Helm 3 (>= 3.10) or Helm 4`);
        }
        return new Helm(path, version, runner, env);
    }
    static versionArgs() {
        return ['version', '--template', '{{.Version}}'];
    }
    static parseVersion(text) {
        const raw = text.trim();
        const parts = (0, version_range_js_1.versionParts)(raw);
        if (!parts)
            return undefined;
        return { ...parts, raw: raw.startsWith('v') ? raw : `v${raw}` };
    }
    /**
     * A constraint check (semver, via version-range.ts): space-separated comparators (`>=3.10.0 <5`), each
     * `>=`, `>`, `<=`, `<`, `=` or bare (equal); missing minor/patch count as 0; a pre-release suffix of
     * the version is ignored.
     */
    static versionSatisfies(version, constraint) {
        const v = typeof version === 'string' ? Helm.parseVersion(version) : version;
        return (0, version_range_js_1.releaseSatisfies)(v && (0, version_range_js_1.releaseFromParts)(v.major, v.minor, v.patch), constraint);
    }
    /** `--wait` for this major: Helm 4 needs an explicit strategy, or it only waits for hooks. */
    static waitFlag(major) {
        return major >= 4 ? '--wait=watcher' : '--wait';
    }
    static rollbackOnFailureFlag(major) {
        return major >= 4 ? '--rollback-on-failure' : '--atomic';
    }
    /** Server-side dry run: Helm 4 and Helm >= 3.13 take `--dry-run=server`; older Helm 3 only `--dry-run`. */
    static dryRunFlag(version) {
        return version.major >= 4 || Helm.versionSatisfies(version, '>=3.13.0') ? '--dry-run=server' : '--dry-run';
    }
    static upgradeArgs(o, version) {
        const major = version.major >= 4 ? 4 : 3;
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
        if (o.chartVersion)
            args.push('--version', o.chartVersion);
        for (const f of o.valuesFiles)
            args.push('--values', f);
        if (o.dryRun) {
            args.push(Helm.dryRunFlag(version));
        }
        else {
            if (o.wait || o.rollbackOnFailure)
                args.push(Helm.waitFlag(major));
            if (o.waitForJobs)
                args.push('--wait-for-jobs');
            if (o.rollbackOnFailure)
                args.push(Helm.rollbackOnFailureFlag(major));
        }
        if (o.description)
            args.push('--description', o.description);
        args.push('--', o.release, o.chart);
        return args;
    }
    static templateArgs(o) {
        const args = ['template', '--namespace', o.namespace];
        if (o.chartVersion)
            args.push('--version', o.chartVersion);
        for (const f of o.valuesFiles)
            args.push('--values', f);
        args.push('--', o.release, o.chart);
        return args;
    }
    static statusArgs(release, namespace) {
        return ['status', '--namespace', namespace, '--output', 'json', '--', release];
    }
    static historyArgs(release, namespace, max = 20) {
        return ['history', '--namespace', namespace, '--output', 'json', '--max', String(max), '--', release];
    }
    static getManifestArgs(release, namespace) {
        return ['get', 'manifest', '--namespace', namespace, '--', release];
    }
    /** `helm get values` of one revision (the user-supplied values: values files and generated files), as JSON */
    static getValuesArgs(release, namespace, revision) {
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
    static parseValues(json) {
        const text = json.trim();
        const v = text === '' ? null : JSON.parse(text);
        if (v === null)
            return {};
        if (typeof v !== 'object' || Array.isArray(v))
            throw new Error('helm get values printed JSON that is not a mapping');
        return v;
    }
    static rollbackArgs(release, namespace, revision, o, major) {
        const args = [
            'rollback',
            '--namespace',
            namespace,
            '--timeout',
            `${o.timeoutSeconds}s`,
            '--history-max',
            String(o.historyMax),
        ];
        if (o.wait)
            args.push(Helm.waitFlag(major));
        args.push('--', release, String(revision));
        return args;
    }
    static uninstallArgs(release, namespace, o, major) {
        const args = ['uninstall', '--namespace', namespace, '--timeout', `${o.timeoutSeconds}s`];
        if (o.wait)
            args.push(Helm.waitFlag(major));
        args.push('--', release);
        return args;
    }
    /** Parses `helm status -o json` / `helm upgrade -o json` (Helm 3 and 4 shapes). */
    static parseRelease(json) {
        const start = json.indexOf('{');
        if (start < 0)
            throw new Error('helm printed no JSON release object');
        const o = JSON.parse(json.slice(start));
        if (o === null || typeof o !== 'object' || Array.isArray(o))
            throw new Error('helm printed JSON that is not a release object');
        const info = (o['info'] ?? {});
        const chart = (o['chart'] ?? {});
        const meta = (chart['metadata'] ?? {});
        const name = str(o['name']);
        const status = str(info['status']);
        if (!name || !status)
            throw new Error('helm printed a release without a name or status');
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
    static parseHistory(json) {
        const data = JSON.parse(json.trim() === '' ? '[]' : json);
        if (!Array.isArray(data))
            throw new Error('helm history printed JSON that is not an array');
        return data
            .map((e) => {
            const r = (e ?? {});
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
    static isReleaseNotFound(stderr) {
        return /release: not found/.test(stderr);
    }
    /** "another operation (install/upgrade/rollback) is in progress" */
    static isOperationInProgress(stderr) {
        return /another operation \(install\/upgrade\/rollback\) is in progress/.test(stderr);
    }
    /**
     * Another helm operation on the same release won the race: its pending lock ("another operation
     * … is in progress"), or the revision record this run wanted to write already exists (two upgrades
     * computed the same next revision; helm's optimistic lock), or a concurrent first install (Helm 3:
     * "cannot re-use a name that is still in use"; Helm 4: "cannot reuse a name …", or the bare
     * "release: already exists" of the record write). Nothing was applied by the run that gets this error.
     */
    static isConcurrentOperation(stderr) {
        return (Helm.isOperationInProgress(stderr) ||
            /release: already exists|cannot re-?use a name that is still in use/.test(stderr));
    }
    static isPending(status) {
        return exports.PENDING_STATUSES.includes(status);
    }
    /** The newest revision that was successfully deployed (deployed or superseded), if any. */
    static lastGoodRevision(history) {
        return [...history].reverse().find((h) => h.status === 'deployed' || h.status === 'superseded');
    }
    run(args, opts = {}) {
        return this.#runner.run(this.path, args, { tool: 'helm', env: this.#env, ...opts });
    }
    async status(release, namespace) {
        try {
            const res = await this.run(Helm.statusArgs(release, namespace), { timeoutMs: 60_000 });
            return Helm.parseRelease(res.stdout);
        }
        catch (err) {
            if (err instanceof action_kit_1.ToolError && Helm.isReleaseNotFound(err.details.stderrTail))
                return undefined;
            throw err;
        }
    }
    async values(release, namespace, revision) {
        const res = await this.run(Helm.getValuesArgs(release, namespace, revision), { timeoutMs: 60_000 });
        return Helm.parseValues(res.stdout);
    }
    async history(release, namespace, max = 20) {
        try {
            const res = await this.run(Helm.historyArgs(release, namespace, max), { timeoutMs: 60_000 });
            return Helm.parseHistory(res.stdout);
        }
        catch (err) {
            if (err instanceof action_kit_1.ToolError && Helm.isReleaseNotFound(err.details.stderrTail))
                return [];
            throw err;
        }
    }
}
exports.Helm = Helm;


/***/ }),

/***/ 9676:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.versionParts = versionParts;
exports.releaseOf = releaseOf;
exports.releaseFromParts = releaseFromParts;
exports.constraintRange = constraintRange;
exports.releaseSatisfies = releaseSatisfies;
exports.releaseAtLeast = releaseAtLeast;
exports.sameMajorAtLeast = sameMajorAtLeast;
/**
 * Version checks for the tool wrappers, on the `semver` package. A tool's version is compared by its
 * release (major.minor.patch): a pre-release or build suffix (`4.0.0-rc.1`, `3.14.0+g1a2b`) is ignored,
 * as a tool's own `--version` output is what is checked, not a published package range.
 */
// the functions used, not the package's index (which loads all of semver at every action's start)
const coerce_js_1 = __importDefault(__webpack_require__(3997));
const gte_js_1 = __importDefault(__webpack_require__(6224));
const satisfies_js_1 = __importDefault(__webpack_require__(6327));
const valid_js_1 = __importDefault(__webpack_require__(3496));
const range_js_1 = __importDefault(__webpack_require__(1162));
/** A whole version: optional `v`, major.minor.patch, optional pre-release or build suffix. */
const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;
/** The numbers of a whole version (`v3.10.1`, `4.0.0-rc.1`); undefined for anything else (`v3.10`, `dev`). */
function versionParts(version) {
    const m = VERSION.exec(version.trim());
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}
/** `v3.10.1`, `3.10.1-rc.1+build` → `3.10.1`; undefined for anything else. */
function releaseOf(version) {
    const v = versionParts(version);
    return v && ((0, valid_js_1.default)(releaseFromParts(v.major, v.minor, v.patch)) ?? undefined);
}
/** `major.minor.patch` of numbers, for the tools whose parsers already split the version. */
function releaseFromParts(major, minor, patch) {
    return `${major}.${minor}.${patch}`;
}
const COMPARATOR = /^(>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;
/**
 * A constraint of space-separated comparators (`>=3.10.0 <5`), each `>=`, `>`, `<=`, `<`, `=` or bare
 * (equal), as a semver range where a missing minor or patch counts as 0 (`<5` is `<5.0.0`, `3.10` is
 * `=3.10.0`). Throws `invalid version constraint "…"` for anything else.
 */
function constraintRange(constraint) {
    const comparators = constraint
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((c) => {
        const m = COMPARATOR.exec(c);
        if (!m)
            throw new Error(`invalid version constraint ${JSON.stringify(c)}`);
        return `${m[1] ?? '='}${Number(m[2])}.${Number(m[3] ?? 0)}.${Number(m[4] ?? 0)}`;
    });
    return new range_js_1.default(comparators.join(' '));
}
/**
 * Whether a release (`releaseOf`) satisfies every comparator of the constraint (`constraintRange`);
 * undefined (a version that did not parse) satisfies nothing.
 */
function releaseSatisfies(release, constraint) {
    if (release === undefined)
        return false;
    return (0, satisfies_js_1.default)(release, constraintRange(constraint));
}
/** Whether the version's release is at least `min` (both read with `semver.coerce`); false when either does not read. */
function releaseAtLeast(version, min) {
    const have = (0, coerce_js_1.default)(version);
    const want = (0, coerce_js_1.default)(min);
    return have !== null && want !== null && (0, gte_js_1.default)(have, want);
}
/** `releaseAtLeast`, within the same major version as `min`. */
function sameMajorAtLeast(version, min) {
    const have = (0, coerce_js_1.default)(version);
    const want = (0, coerce_js_1.default)(min);
    return have !== null && want !== null && have.major === want.major && (0, gte_js_1.default)(have, want);
}


/***/ })

};
