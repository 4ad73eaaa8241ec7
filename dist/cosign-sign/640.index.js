export const id = 640;
export const ids = [640];
export const modules = {

/***/ 5953:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Skopeo = exports.Buildah = void 0;
exports.classifyPushFailure = classifyPushFailure;
const version_range_js_1 = __webpack_require__(9676);
const pairs = (m) => [
    ...(m instanceof Map ? m.entries() : m),
];
class Buildah {
    #runner;
    #bin;
    #env;
    constructor(runner, opts = {}) {
        this.#runner = runner;
        this.#bin = opts.bin ?? 'buildah';
        this.#env = opts.env ?? {};
    }
    static versionArgs() {
        return ['version', '--json'];
    }
    /** `buildah version --json` → the version (its "version" field). */
    static parseVersion(json) {
        let v;
        try {
            v = JSON.parse(json).version;
        }
        catch {
            throw new Error('buildah version --json printed something that is not JSON');
        }
        const m = typeof v === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(v) : null;
        if (!m)
            throw new Error(`buildah version --json has no usable "version" (${JSON.stringify(v)})`);
        return { version: v, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
    }
    /** Features used here (--retry, --digestfile, --iidfile, COPY --chmod) exist from buildah 1.24. */
    static versionSatisfies(v, min = { major: 1, minor: 24 }) {
        return (0, version_range_js_1.releaseAtLeast)((0, version_range_js_1.releaseFromParts)(v.major, v.minor, v.patch), (0, version_range_js_1.releaseFromParts)(min.major, min.minor, 0));
    }
    static buildArgs(o) {
        const args = [
            'build',
            '--isolation',
            o.isolation ?? 'chroot',
            `--layers=${o.layers === true}`,
            '--iidfile',
            o.iidFile,
            '-f',
            o.file,
        ];
        for (const t of o.tags)
            args.push('--tag', t);
        for (const [k, v] of pairs(o.labels))
            args.push('--label', `${k}=${v}`);
        for (const [k, v] of pairs(o.buildArgs))
            args.push('--build-arg', `${k}=${v}`);
        if (o.target)
            args.push('--target', o.target);
        if (o.platform)
            args.push('--platform', o.platform);
        if (o.authFile)
            args.push('--authfile', o.authFile);
        if (o.certDir)
            args.push('--cert-dir', o.certDir);
        if (o.timestamp !== undefined)
            args.push('--timestamp', String(o.timestamp));
        args.push('--retry', '2', '--', o.context);
        return args;
    }
    /** Push a local image to `docker://<ref>` (or any transport:destination given as `dest`). */
    static pushArgs(image, dest, o = {}) {
        const args = ['push', '--retry', '0'];
        if (o.authFile)
            args.push('--authfile', o.authFile);
        if (o.certDir)
            args.push('--cert-dir', o.certDir);
        if (o.digestFile)
            args.push('--digestfile', o.digestFile);
        args.push('--', image, dest);
        return args;
    }
    /** `buildah login` reading the password from stdin into `authFile`. */
    static loginArgs(registry, username, authFile, certDir) {
        const args = ['login', '--authfile', authFile, '--username', username, '--password-stdin'];
        if (certDir)
            args.push('--cert-dir', certDir);
        args.push('--', registry);
        return args;
    }
    run(args, opts = {}) {
        return this.#runner.run(this.#bin, args, { tool: 'buildah', ...opts, env: { ...this.#env, ...opts.env } });
    }
    async version() {
        const r = await this.run(Buildah.versionArgs(), { timeoutMs: 30_000 });
        return Buildah.parseVersion(r.stdout);
    }
}
exports.Buildah = Buildah;
class Skopeo {
    #runner;
    #bin;
    #env;
    constructor(runner, opts = {}) {
        this.#runner = runner;
        this.#bin = opts.bin ?? 'skopeo';
        this.#env = opts.env ?? {};
    }
    static versionArgs() {
        return ['--version'];
    }
    /** `skopeo --version` → "skopeo version 1.9.3" (possibly followed by "commit: …"). */
    static parseVersion(text) {
        const m = /skopeo version (\d+)\.(\d+)\.(\d+)/.exec(text);
        if (!m)
            throw new Error(`unexpected skopeo --version output: ${JSON.stringify(text.slice(0, 100))}`);
        return { version: `${m[1]}.${m[2]}.${m[3]}`, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
    }
    /** --preserve-digests exists from skopeo 1.6. */
    static versionSatisfies(v) {
        return (0, version_range_js_1.releaseAtLeast)((0, version_range_js_1.releaseFromParts)(v.major, v.minor, v.patch), '1.6.0');
    }
    /**
     * Copy an OCI archive to `docker://<ref>` byte for byte: `--preserve-digests` refuses any change
     * (recompression, format conversion) that would alter the manifest digest.
     */
    static copyArchiveArgs(archive, ref, o = {}) {
        const args = ['copy', '--preserve-digests', '--retry-times', '0'];
        if (o.tlsVerify === false)
            args.push('--dest-tls-verify=false');
        if (o.authFile)
            args.push('--dest-authfile', o.authFile);
        if (o.certDir)
            args.push('--dest-cert-dir', o.certDir);
        if (o.digestFile)
            args.push('--digestfile', o.digestFile);
        args.push('--', `oci-archive:${archive}`, `docker://${ref}`);
        return args;
    }
    run(args, opts = {}) {
        return this.#runner.run(this.#bin, args, { tool: 'skopeo', ...opts, env: { ...this.#env, ...opts.env } });
    }
    async version() {
        const r = await this.run(Skopeo.versionArgs(), { timeoutMs: 30_000 });
        return Skopeo.parseVersion(r.stdout);
    }
}
exports.Skopeo = Skopeo;
/**
 * Classifies a failed push from containers/image's error text (buildah and skopeo share it):
 * 5xx, 429, resets, EOFs and timeouts are transient; anything else (401/403, a rejected tag, a
 * manifest the registry refuses) is permanent.
 */
function classifyPushFailure(stderr) {
    const transient = [
        /\b(500|502|503|504)\b/,
        /\b429\b|too many requests|toomanyrequests/i,
        /service unavailable|bad gateway|gateway time-?out|internal server error/i,
        /connection reset by peer|broken pipe|unexpected EOF|: EOF\b|\bEOF$/im,
        /i\/o timeout|TLS handshake timeout|context deadline exceeded|timeout awaiting response/i,
        /connection refused/i,
    ];
    return transient.some((re) => re.test(stderr)) ? 'transient' : 'permanent';
}


/***/ }),

/***/ 4570:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Docker = void 0;
/**
 * Docker (buildx): daemon detection, argv builders and the parser of buildx's --metadata-file.
 *
 * - `docker info --format '{{json .ServerVersion}}'` answers only when a daemon does: that is the
 *   test `builder: auto` uses, together with `docker buildx version`.
 * - Login writes to a temporary DOCKER_CONFIG directory through stdin (`--password-stdin`).
 * - Positionals (the context) come after `--`; the context path is absolute.
 */
const node_fs_1 = __webpack_require__(3024);
const version_range_js_1 = __webpack_require__(9676);
class Docker {
    #runner;
    #bin;
    #env;
    constructor(runner, opts = {}) {
        this.#runner = runner;
        this.#bin = opts.bin ?? 'docker';
        this.#env = opts.env ?? {};
    }
    static infoArgs() {
        return ['info', '--format', '{{json .ServerVersion}}'];
    }
    static buildxVersionArgs() {
        return ['buildx', 'version'];
    }
    /** `docker buildx version` → "github.com/docker/buildx v0.24.0 d0e5e86…" → "0.24.0". */
    static parseBuildxVersion(text) {
        return /\bv?(\d+\.\d+\.\d+)\b/.exec(text)?.[1];
    }
    /** The metadata file needs buildx ≥ 0.6. */
    static versionSatisfies(version) {
        return (0, version_range_js_1.releaseAtLeast)(version, '0.6.0');
    }
    static loginArgs(registry, username) {
        return ['login', '--username', username, '--password-stdin', registry];
    }
    static buildArgs(o) {
        const args = ['buildx', 'build', '--file', o.file, '--metadata-file', o.metadataFile, '--provenance=false'];
        for (const t of o.tags)
            args.push('--tag', t);
        for (const [k, v] of o.labels)
            args.push('--label', `${k}=${v}`);
        for (const [k, v] of o.buildArgs)
            args.push('--build-arg', `${k}=${v}`);
        if (o.target)
            args.push('--target', o.target);
        if (o.platforms.length)
            args.push('--platform', o.platforms.join(','));
        if ('push' in o.output)
            args.push('--push');
        else
            args.push('--output', `type=oci,dest=${o.output.archive}`);
        args.push('--', o.context);
        return args;
    }
    /** The digest buildx recorded (`containerimage.digest`), if any. */
    static parseMetadata(json) {
        const m = JSON.parse(json);
        const digest = typeof m['containerimage.digest'] === 'string' ? m['containerimage.digest'] : undefined;
        const imageName = typeof m['image.name'] === 'string' ? m['image.name'] : undefined;
        return { ...(digest ? { digest } : {}), ...(imageName ? { imageName } : {}) };
    }
    run(args, opts = {}) {
        return this.#runner.run(this.#bin, args, { tool: 'docker', ...opts, env: { ...this.#env, ...opts.env } });
    }
    /**
     * Whether a daemon answers, and why not when it does not. Without DOCKER_HOST/DOCKER_CONTEXT and
     * without /var/run/docker.sock there is nothing to ask: no process is started.
     */
    async daemon(env = process.env, socket = '/var/run/docker.sock') {
        if (!env['DOCKER_HOST'] && !env['DOCKER_CONTEXT'] && !(0, node_fs_1.existsSync)(socket)) {
            return { ok: false, reason: `no Docker daemon (no DOCKER_HOST, no DOCKER_CONTEXT, no ${socket})` };
        }
        try {
            const info = await this.run(Docker.infoArgs(), { timeoutMs: 15_000 });
            const serverVersion = String(JSON.parse(info.stdout.trim() || '""'));
            if (!serverVersion)
                return { ok: false, reason: 'docker info reported no server version' };
            const bx = await this.run(Docker.buildxVersionArgs(), { timeoutMs: 15_000 }).catch(() => undefined);
            const buildx = bx ? Docker.parseBuildxVersion(bx.stdout) : undefined;
            if (!buildx)
                return { ok: false, reason: `the Docker daemon ${serverVersion} answers but docker buildx is not installed` };
            if (!Docker.versionSatisfies(buildx))
                return { ok: false, reason: `docker buildx ${buildx} is too old (need 0.6 or later)` };
            return { ok: true, serverVersion, buildx };
        }
        catch (e) {
            const err = e;
            const why = (err.details?.stderrTail || err.message).split('\n').filter(Boolean).pop() ?? 'no answer';
            return { ok: false, reason: `no Docker daemon answered (${why.trim()})` };
        }
    }
}
exports.Docker = Docker;


/***/ }),

/***/ 8162:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.githubRateLimitWait = githubRateLimitWait;
/**
 * GitHub's rate limits, read from an answer (pure): one set of rules for every client in the project
 * (gitops-update's GitHub API client, pr-namespace-cleanup's pull-request lookups).
 */
const retry_js_1 = __webpack_require__(786);
/** Never wait less than this for a rate limit, so a loop of them always uses up a wait budget. */
const MIN_WAIT_MS = 1000;
/** GitHub's docs for a limit without headers: "wait for at least one minute". */
const DEFAULT_WAIT_MS = 60_000;
function header(headers, name) {
    const direct = headers[name];
    if (direct !== undefined)
        return String(direct);
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return value === undefined ? undefined : String(value);
}
/**
 * How long GitHub asks to wait before the next request, in ms, when this answer (a 403 or a 429) is a
 * rate limit; undefined when it is not one:
 * - `retry-after` (secondary limits; seconds or an HTTP date);
 * - `x-ratelimit-remaining: 0` (primary limits): until `x-ratelimit-reset` (epoch seconds) plus a
 *   second of margin, or a minute when the reset is missing;
 * - a 429, or a message saying "rate limit", without those headers: a minute.
 * Never less than a second.
 */
function githubRateLimitWait(status, headers, message, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfter = (0, retry_js_1.parseRetryAfter)(header(headers, 'retry-after'), now);
    if (retryAfter !== undefined)
        return Math.max(MIN_WAIT_MS, retryAfter);
    if (header(headers, 'x-ratelimit-remaining')?.trim() === '0') {
        const reset = Number(header(headers, 'x-ratelimit-reset') ?? '');
        return Number.isFinite(reset) && reset > 0 ? Math.max(MIN_WAIT_MS, reset * 1000 - now + 1000) : DEFAULT_WAIT_MS;
    }
    if (status === 429 || /rate limit/i.test(message))
        return DEFAULT_WAIT_MS;
    return undefined;
}


/***/ }),

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

/***/ 6640:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
__exportStar(__webpack_require__(7988), exports);
__exportStar(__webpack_require__(145), exports);
__exportStar(__webpack_require__(3946), exports);
__exportStar(__webpack_require__(2879), exports);
__exportStar(__webpack_require__(2366), exports);
__exportStar(__webpack_require__(3117), exports);
__exportStar(__webpack_require__(786), exports);
__exportStar(__webpack_require__(181), exports);
__exportStar(__webpack_require__(3252), exports);
__exportStar(__webpack_require__(5953), exports);
__exportStar(__webpack_require__(4570), exports);
__exportStar(__webpack_require__(9676), exports);
__exportStar(__webpack_require__(8162), exports);


/***/ }),

/***/ 3252:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Trivy = exports.TrivyReportError = exports.TRIVY_DB_SCHEMA_VERSION = exports.TRIVY_SCANNERS = exports.TRIVY_SEVERITIES = void 0;
const version_range_js_1 = __webpack_require__(9676);
exports.TRIVY_SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
exports.TRIVY_SCANNERS = ['vuln', 'secret', 'misconfig'];
/** The vulnerability DB schema trivy reads (trivy-db `db.SchemaVersion`, v2 since Trivy 0.23). */
exports.TRIVY_DB_SCHEMA_VERSION = 2;
/** The report is not one the gate can decide from. */
class TrivyReportError extends Error {
    name = 'TrivyReportError';
}
exports.TrivyReportError = TrivyReportError;
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : '');
function list(parent, key, where) {
    const v = parent[key];
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v))
        throw new TrivyReportError(`${where}.${key} is not an array`);
    return v.map((item, i) => {
        if (!isObj(item))
            throw new TrivyReportError(`${where}.${key}[${i}] is not an object`);
        return item;
    });
}
function maxCvss3(cvss) {
    if (!isObj(cvss))
        return undefined;
    let best;
    for (const source of Object.values(cvss)) {
        if (isObj(source) && typeof source['V3Score'] === 'number') {
            best = best === undefined ? source['V3Score'] : Math.max(best, source['V3Score']);
        }
    }
    return best;
}
function date(v) {
    if (typeof v !== 'string' || v === '')
        return undefined;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) || d.getTime() <= 0 ? undefined : d;
}
function dbMeta(v) {
    if (!isObj(v))
        return undefined;
    const updatedAt = date(v['UpdatedAt']);
    if (!updatedAt)
        return undefined;
    const out = { version: typeof v['Version'] === 'number' ? v['Version'] : 0, updatedAt };
    const next = date(v['NextUpdate']);
    const downloaded = date(v['DownloadedAt']);
    if (next)
        out.nextUpdate = next;
    if (downloaded)
        out.downloadedAt = downloaded;
    return out;
}
class Trivy {
    path;
    #runner;
    #env;
    #workDir;
    /**
     * `workDir`: an empty directory the caller owns. trivy runs there with `--config <workDir>/trivy.yaml`
     * (written empty here), never in the checkout.
     */
    constructor(path, runner, env = {}, workDir) {
        this.path = path;
        this.#runner = runner;
        this.#env = { TRIVY_SKIP_VERSION_CHECK: 'true', TRIVY_DISABLE_TELEMETRY: 'true', ...env };
        this.#workDir = workDir;
    }
    /** cwd and the explicit empty config of every run */
    #isolation() {
        if (!this.#workDir)
            return { config: [] };
        const config = `${this.#workDir}/trivy.yaml`;
        process.getBuiltinModule('node:fs').writeFileSync(config, '', { mode: 0o600 });
        return { cwd: this.#workDir, config: ['--config', config] };
    }
    static scanArgs(o) {
        const args = [
            'path' in o.target ? 'fs' : 'image',
            '--format',
            'json',
            '--output',
            o.output,
            '--exit-code',
            '0',
            '--severity',
            exports.TRIVY_SEVERITIES.join(','),
            '--scanners',
            o.scanners.join(','),
            '--timeout',
            `${o.timeoutSeconds}s`,
            '--ignorefile',
            o.ignoreFile,
            '--no-progress',
        ];
        if (o.ignoreUnfixed)
            args.push('--ignore-unfixed');
        if (o.cacheDir)
            args.push('--cache-dir', o.cacheDir);
        args.push(...Trivy.dbArgs(o));
        for (const dir of o.skipDirs ?? [])
            args.push('--skip-dirs', dir);
        if ('input' in o.target) {
            if (!o.target.input.startsWith('/'))
                throw new Error(`trivy --input needs an absolute path, got ${JSON.stringify(o.target.input)}`);
            args.push(`--input=${o.target.input}`);
        }
        else if ('path' in o.target) {
            if (!o.target.path.startsWith('/'))
                throw new Error(`trivy fs needs an absolute path, got ${JSON.stringify(o.target.path)}`);
            args.push('--', o.target.path);
        }
        else {
            args.push('--', o.target.image);
        }
        return args;
    }
    /**
     * The DB flags. Without the vuln scanner trivy opens neither DB (pkg/commands/artifact/run.go
     * initDB/initJavaDB return early), and --skip-db-update --skip-java-db-update say so explicitly, so a
     * secret or misconfig scan never downloads one, whatever TRIVY_* the environment sets. No DB download
     * also means no checks-bundle download (misconfig falls back to its embedded checks).
     */
    static dbArgs(o) {
        const vuln = o.scanners.includes('vuln');
        const args = [];
        if (o.dbRepositories && o.dbRepositories.length > 0)
            args.push('--db-repository', o.dbRepositories.join(','));
        if (o.skipDbUpdate || !vuln)
            args.push('--skip-db-update', '--skip-java-db-update');
        if (o.skipDbUpdate)
            args.push('--skip-check-update');
        return args;
    }
    /**
     * Whether `trivy image` (without --skip-db-update) may replace this vulnerability DB: trivy's own rule
     * (pkg/db: NeedsUpdate/isNewDB) keeps a DB of the current schema whose NextUpdate is in the future or
     * that was downloaded within the last hour, and downloads otherwise. Evaluated after a scan, with
     * the time then, it errs on the side of "may have updated".
     */
    static dbMayUpdate(db, now, skipUpdate) {
        if (skipUpdate)
            return false;
        if (!db || db.version !== exports.TRIVY_DB_SCHEMA_VERSION)
            return true;
        const t = now.getTime();
        if (db.nextUpdate && t < db.nextUpdate.getTime())
            return false;
        if (db.downloadedAt && t < db.downloadedAt.getTime() + 3_600_000)
            return false;
        return true;
    }
    static versionArgs(cacheDir) {
        return ['version', '--format', 'json', ...(cacheDir ? ['--cache-dir', cacheDir] : [])];
    }
    static parseVersionInfo(stdout) {
        let raw;
        try {
            raw = JSON.parse(stdout);
        }
        catch {
            throw new TrivyReportError(`trivy version --format json printed no JSON: ${JSON.stringify(stdout.trim().slice(0, 120))}`);
        }
        if (!isObj(raw) || typeof raw['Version'] !== 'string') {
            throw new TrivyReportError('trivy version --format json printed no "Version"');
        }
        const info = { version: raw['Version'] };
        const vdb = dbMeta(raw['VulnerabilityDB']);
        const jdb = dbMeta(raw['JavaDB']);
        if (vdb)
            info.vulnerabilityDb = vdb;
        if (jdb)
            info.javaDb = jdb;
        return info;
    }
    /**
     * Parses and checks a `--format json` report: SchemaVersion must be 2 (a bare array is the pre-0.20
     * format); a missing `Results` or finding list means none; anything of the wrong type is an error,
     * never a silently empty list.
     */
    static parseReport(text) {
        let raw;
        try {
            raw = JSON.parse(text);
        }
        catch (err) {
            throw new TrivyReportError(`the report is not valid JSON (${err.message})`);
        }
        if (Array.isArray(raw)) {
            throw new TrivyReportError('the report is a bare JSON array: the legacy format of Trivy < 0.20, without SchemaVersion; use a current Trivy');
        }
        if (!isObj(raw))
            throw new TrivyReportError('the report is not a JSON object');
        if (raw['SchemaVersion'] !== 2) {
            throw new TrivyReportError(`the report has SchemaVersion ${JSON.stringify(raw['SchemaVersion'] ?? null)}; only SchemaVersion 2 is understood`);
        }
        const meta = isObj(raw['Metadata']) ? raw['Metadata'] : {};
        const strings = (v) => Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
        const report = {
            schemaVersion: 2,
            artifactName: str(raw['ArtifactName']),
            artifactType: str(raw['ArtifactType']),
            createdAt: str(raw['CreatedAt']),
            trivyVersion: isObj(raw['Trivy']) ? str(raw['Trivy']['Version']) : '',
            repoDigests: strings(meta['RepoDigests']),
            repoTags: strings(meta['RepoTags']),
            results: list(raw, 'Results', 'report').map((r, i) => {
                const where = `Results[${i}]`;
                return {
                    target: str(r['Target']),
                    class: str(r['Class']),
                    type: str(r['Type']),
                    vulnerabilities: list(r, 'Vulnerabilities', where).map((v) => ({
                        id: str(v['VulnerabilityID']),
                        pkgName: str(v['PkgName']),
                        pkgPath: str(v['PkgPath']),
                        purl: isObj(v['PkgIdentifier']) ? str(v['PkgIdentifier']['PURL']) : '',
                        installedVersion: str(v['InstalledVersion']),
                        fixedVersion: str(v['FixedVersion']),
                        status: str(v['Status']),
                        severity: str(v['Severity']),
                        title: str(v['Title']),
                        primaryUrl: str(v['PrimaryURL']),
                        ...(maxCvss3(v['CVSS']) !== undefined ? { cvss3: maxCvss3(v['CVSS']) } : {}),
                    })),
                    // a secret's Match and Code are never read: they hold the secret's line (masked by trivy) and
                    // the lines around it in clear, which may hold other secrets
                    secrets: list(r, 'Secrets', where).map((s) => ({
                        ruleId: str(s['RuleID']),
                        category: str(s['Category']),
                        severity: str(s['Severity']),
                        title: str(s['Title']),
                        startLine: typeof s['StartLine'] === 'number' ? s['StartLine'] : 0,
                    })),
                    misconfigurations: list(r, 'Misconfigurations', where).map((m) => ({
                        id: str(m['ID']),
                        avdId: str(m['AVDID']),
                        severity: str(m['Severity']),
                        title: str(m['Title']),
                        status: str(m['Status']),
                        primaryUrl: str(m['PrimaryURL']),
                    })),
                };
            }),
        };
        if (isObj(meta['OS'])) {
            report.os = {
                family: str(meta['OS']['Family']),
                name: str(meta['OS']['Name']),
                eosl: meta['OS']['EOSL'] === true,
            };
        }
        return report;
    }
    /**
     * Trivy's own reason for a failed run: the text of its last FATAL log line (without the timestamp
     * and the "Fatal error" prefix), or the last non-empty line.
     */
    static failureReason(stderr) {
        const lines = stderr.split(/\r?\n/);
        for (let i = lines.length - 1; i >= 0; i--) {
            const line = lines[i];
            const m = /\bFATAL\b\s*(.*)$/.exec(line);
            if (m) {
                // the message may continue on the next lines (multi-error lists)
                const rest = lines
                    .slice(i + 1)
                    .map((l) => l.trim())
                    .filter((l) => l !== '' && !/^\d{4}-\d\d-\d\dT/.test(l));
                return [m[1].replace(/^Fatal error\s+/, '').trim(), ...rest].join(' ');
            }
        }
        return (lines
            .map((l) => l.trim())
            .filter(Boolean)
            .pop() ?? '');
    }
    /** The vulnerability (or Java) DB could not be downloaded: a registry outage or rate limit. */
    static isDbDownloadFailure(stderr) {
        return /failed to download (?:vulnerability|Java) DB|DB error: failed to download|TOOMANYREQUESTS/i.test(stderr);
    }
    static parseVersion(text) {
        return (0, version_range_js_1.versionParts)(text);
    }
    /**
     * Space-separated comparators (`>=0.50.0 <1`), each `>=`, `>`, `<=`, `<`, `=` or bare (equal); a
     * version that does not parse (e.g. `dev`) satisfies nothing.
     */
    static versionSatisfies(version, constraint) {
        const v = Trivy.parseVersion(version);
        return (0, version_range_js_1.releaseSatisfies)(v && (0, version_range_js_1.releaseFromParts)(v.major, v.minor, v.patch), constraint);
    }
    async version(cacheDir) {
        const iso = this.#isolation();
        const args = Trivy.versionArgs(cacheDir);
        const res = await this.#runner.run(this.path, [args[0], ...iso.config, ...args.slice(1)], {
            tool: 'trivy',
            env: this.#env,
            timeoutMs: 60_000,
            ...(iso.cwd ? { cwd: iso.cwd } : {}),
        });
        return Trivy.parseVersionInfo(res.stdout);
    }
    /** Runs one scan; the report is in `o.output`. Trivy's log lines are streamed to the job log. */
    scan(o) {
        const iso = this.#isolation();
        const args = Trivy.scanArgs(o);
        return this.#runner.run(this.path, [args[0], ...iso.config, ...args.slice(1)], {
            tool: 'trivy',
            env: this.#env,
            ...(iso.cwd ? { cwd: iso.cwd } : {}),
            stream: true,
            // Trivy stops itself at --timeout; the extra minute is for writing the report
            timeoutMs: (o.timeoutSeconds + 60) * 1000,
        });
    }
}
exports.Trivy = Trivy;


/***/ })

};
