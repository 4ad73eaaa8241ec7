export const id = 640;
export const ids = [640];
export const modules = {

/***/ 5953:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Skopeo = exports.Buildah = void 0;
exports.classifyPushFailure = classifyPushFailure;
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
        return v.major > min.major || (v.major === min.major && v.minor >= min.minor);
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
        return v.major > 1 || (v.major === 1 && v.minor >= 6);
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
        const [maj = 0, min = 0] = version.split('.').map(Number);
        return maj > 0 || min >= 6;
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
exports.PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'];
const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;
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
        const m = VERSION_RE.exec(raw);
        if (!m)
            return undefined;
        return {
            major: Number(m[1]),
            minor: Number(m[2]),
            patch: Number(m[3]),
            raw: raw.startsWith('v') ? raw : `v${raw}`,
        };
    }
    /**
     * A small constraint check: space-separated comparators (`>=3.10.0 <5`), each `>=`, `>`, `<=`, `<`, `=`
     * or bare (equal); missing minor/patch count as 0.
     */
    static versionSatisfies(version, constraint) {
        const v = typeof version === 'string' ? Helm.parseVersion(version) : version;
        if (!v)
            return false;
        const cmp = (a, b) => {
            for (let i = 0; i < 3; i++)
                if ((a[i] ?? 0) !== (b[i] ?? 0))
                    return (a[i] ?? 0) - (b[i] ?? 0);
            return 0;
        };
        const have = [v.major, v.minor, v.patch];
        return constraint
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .every((c) => {
            const m = /^(>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c);
            if (!m)
                throw new Error(`invalid version constraint ${JSON.stringify(c)}`);
            const want = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
            const d = cmp(have, want);
            switch (m[1]) {
                case '>=':
                    return d >= 0;
                case '>':
                    return d > 0;
                case '<=':
                    return d <= 0;
                case '<':
                    return d < 0;
                default:
                    return d === 0;
            }
        });
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


/***/ }),

/***/ 181:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RegistryClient = exports.RegistryError = exports.MANIFEST_MEDIA_TYPES = void 0;
exports.parseImageRef = parseImageRef;
exports.parseChallenge = parseChallenge;
exports.registryErrorDetail = registryErrorDetail;
exports.resolveDigest = resolveDigest;
exports.manifestDigest = manifestDigest;
exports.checkRegistryAccess = checkRegistryAccess;
/**
 * A small OCI distribution client: reads manifests' digests as the registry has them.
 *
 *   import { resolveDigest, manifestDigest, checkRegistryAccess, parseImageRef } from '@polyglot-cd/tools';
 *
 *   resolveDigest('reg.example.com/team/app:1.2.3', opts)  → 'sha256:…'   (throws RegistryError)
 *   resolveDigest('reg.example.com/team/app@sha256:…', opts) → that digest, once the registry confirms
 *       it has the manifest (cosign-sign: check a digest exists before signing)
 *   manifestDigest(ref, opts)     → the digest, or undefined when the registry says 404 (tag unknown)
 *   checkRegistryAccess('reg.example.com', opts) → resolves when /v2/ accepts us (credentials checked)
 *   new RegistryClient(host, opts).fetchManifest(repo, tagOrDigest) → { digest, mediaType, body }
 *   parseImageRef(ref)            → { registry, repository, tag?, digest? }
 *
 *   opts: RegistryOptions = {
 *     auth?: { username, password } | { token },   // basic, or a bearer token used as-is
 *     caFile?: string,        // PEM with extra CAs to trust (private CA), added to Node's roots
 *     insecure?: boolean,     // no certificate check; plain http when the registry does not speak TLS
 *     retry?: RetryPolicy,    // default 5 attempts, 1 s doubling, 30 s cap (Retry-After honoured)
 *     timeoutMs?: number,     // per request, default 30 s
 *     send?, sleep?, now?, random?, log?   // injectable for tests
 *   }
 *
 * Digest: HEAD /v2/<repo>/manifests/<tag|digest> with the OCI and Docker manifest media types in
 * Accept; the `Docker-Content-Digest` header is the answer. If a registry omits it, the manifest is
 * fetched (GET) and its SHA-256 computed. A by-digest reference must come back with the same digest.
 * Auth follows the registry's 401 challenge: `Basic` → the credentials; `Bearer realm=…,service=…,
 * scope=…` → a token from the realm (credentials sent to it as basic auth), cached per scope.
 * Retries: 408/429/5xx and connection resets/timeouts/refusals, bounded, with backoff; a 401 with
 * credentials, a 403 or a 404 is never retried. Errors are RegistryError with a `kind` and never
 * contain credentials or tokens.
 */
const node_crypto_1 = __webpack_require__(7598);
const promises_1 = __webpack_require__(1455);
const http_js_1 = __webpack_require__(3946);
const retry_js_1 = __webpack_require__(786);
exports.MANIFEST_MEDIA_TYPES = [
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
];
class RegistryError extends Error {
    name = 'RegistryError';
    kind;
    /** HTTP status of the last answer, 0 when none */
    status;
    attempts;
    constructor(message, kind, status = 0, attempts = 1) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.attempts = attempts;
    }
}
exports.RegistryError = RegistryError;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/**
 * Splits `host[:port]/path[:tag][@sha256:…]`. The first component is a registry host when it has a
 * `.` or `:` or is `localhost` (the Docker rule); otherwise the registry is docker.io.
 */
function parseImageRef(ref) {
    let rest = ref;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw new RegistryError(`"${ref}" has an invalid digest (expected sha256:<64 hex>)`, 'protocol');
    }
    let tag;
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new RegistryError(`"${ref}" has an invalid tag`, 'protocol');
    }
    const first = rest.split('/')[0] ?? '';
    let registry = 'docker.io';
    let repository = rest;
    if (rest.includes('/') &&
        (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
        registry = first;
        repository = rest.slice(first.length + 1);
    }
    else if (!rest.includes('/')) {
        repository = `library/${rest}`;
    }
    if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
        throw new RegistryError(`"${ref}" has an invalid repository name (lower-case letters, digits and separators . _ - /)`, 'protocol');
    }
    return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
/** Parses one WWW-Authenticate challenge: `Bearer realm="…",service="…",scope="…"`. */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const m = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(header);
    if (!m)
        return undefined;
    const params = {};
    const re = /([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
    let p;
    while ((p = re.exec(m[2] ?? '')) !== null)
        params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
    return { scheme: m[1].toLowerCase(), params };
}
const hostForUrl = (registry) => (registry === 'docker.io' ? 'registry-1.docker.io' : registry);
/** One registry connection: scheme, TLS and auth state are remembered across requests. */
class RegistryClient {
    registry;
    #opts;
    #send;
    #sleep;
    #now;
    #retry;
    #scheme = 'https';
    #ca;
    #caLoaded = false;
    /** Authorization header per scope ('' = registry-wide) */
    #authHeaders = new Map();
    constructor(registry, opts = {}) {
        this.registry = registry;
        this.#opts = opts;
        this.#send = opts.send ?? (0, http_js_1.createHttpSender)(opts.env ?? process.env);
        this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        this.#now = opts.now ?? Date.now;
        this.#retry = opts.retry ?? retry_js_1.DEFAULT_RETRY;
        this.#ca = opts.ca;
    }
    async #tls() {
        if (!this.#caLoaded) {
            this.#caLoaded = true;
            if (this.#opts.caFile) {
                try {
                    this.#ca = await (0, promises_1.readFile)(this.#opts.caFile, 'utf8');
                }
                catch (e) {
                    throw new RegistryError(`cannot read the CA file ${this.#opts.caFile}: ${e.message}`, 'tls');
                }
            }
        }
        if (this.#opts.insecure)
            return { rejectUnauthorized: false };
        return this.#ca !== undefined ? { ca: this.#ca } : undefined;
    }
    /** GET /v2/: resolves when the registry accepts us (after any auth challenge). */
    async ping() {
        const res = await this.#request('GET', '/v2/', '', {});
        if (res.status !== 200)
            throw this.#statusError(res, 'GET /v2/');
    }
    /** HEAD (then GET if needed) a manifest: the digest, or undefined on 404. */
    async manifestDigest(repository, reference) {
        const scope = `repository:${repository}:pull`;
        const path = `/v2/${repository}/manifests/${reference}`;
        const accept = { accept: exports.MANIFEST_MEDIA_TYPES.join(', ') };
        let res = await this.#request('HEAD', path, scope, accept);
        if (res.status === 404)
            return undefined;
        if (res.status !== 200)
            throw this.#statusError(res, `HEAD manifest ${repository}:${reference}`);
        let digest = res.headers['docker-content-digest'];
        if (!digest) {
            res = await this.#request('GET', path, scope, accept);
            if (res.status === 404)
                return undefined;
            if (res.status !== 200)
                throw this.#statusError(res, `GET manifest ${repository}:${reference}`);
            digest =
                res.headers['docker-content-digest'] ?? `sha256:${(0, node_crypto_1.createHash)('sha256').update(res.body, 'utf8').digest('hex')}`;
        }
        if (!DIGEST.test(digest))
            throw new RegistryError(`${this.registry} answered an unexpected digest ${JSON.stringify(digest.slice(0, 100))}`, 'protocol', res.status);
        if (DIGEST.test(reference) && digest !== reference) {
            throw new RegistryError(`${this.registry} returned ${digest} for ${repository}@${reference}`, 'protocol', res.status);
        }
        return digest;
    }
    /** GET a manifest: its digest, media type and JSON text (manifests are small: at most 4 MB by spec). */
    async fetchManifest(repository, reference) {
        const res = await this.#request('GET', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, { accept: exports.MANIFEST_MEDIA_TYPES.join(', ') });
        if (res.status !== 200)
            throw this.#statusError(res, `GET manifest ${repository}:${reference}`);
        const digest = res.headers['docker-content-digest'] ?? `sha256:${(0, node_crypto_1.createHash)('sha256').update(res.body, 'utf8').digest('hex')}`;
        return { digest, mediaType: res.headers['content-type'] ?? '', body: res.body };
    }
    #statusError(res, what) {
        const detail = registryErrorDetail(res.body);
        const base = `${what} on ${this.registry}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`;
        if (res.status === 401) {
            return new RegistryError(`${base}: the registry refused the credentials${this.#opts.auth ? '' : ' (none were given)'}`, 'unauthorized', 401);
        }
        if (res.status === 403)
            return new RegistryError(`${base}: access denied`, 'denied', 403);
        if (res.status === 404)
            return new RegistryError(`${base}: not found`, 'not-found', 404);
        if (res.status >= 500 || res.status === 429 || res.status === 408)
            return new RegistryError(base, 'server', res.status);
        return new RegistryError(base, 'protocol', res.status);
    }
    /** One logical request: retries, scheme fallback for insecure registries, auth challenge. */
    async #request(method, path, scope, headers) {
        let authRetried = false;
        for (let attempt = 1;; attempt++) {
            let res;
            try {
                res = await this.#sendOnce(method, path, { ...headers, ...this.#authHeaderFor(scope) });
            }
            catch (err) {
                if (err instanceof RegistryError)
                    throw err;
                const code = err instanceof http_js_1.HttpTransportError ? err.code : (err.code ?? 'EUNKNOWN');
                const message = err.message;
                if (isTlsError(code, message)) {
                    throw new RegistryError(`TLS with ${this.registry} failed: ${message}. For a private CA pass its PEM file (ca-file); for a registry without valid TLS list it as insecure.`, 'tls', 0, attempt);
                }
                if ((0, retry_js_1.retryableTransport)(code) && attempt < this.#retry.attempts) {
                    await this.#wait(attempt, undefined, `${method} ${path}: ${message}`);
                    continue;
                }
                throw new RegistryError(`${this.registry} is unreachable: ${message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`, 'unreachable', 0, attempt);
            }
            if (res.status === 401 && !authRetried) {
                authRetried = true;
                const challenge = parseChallenge(res.headers['www-authenticate']);
                if (challenge && (await this.#authenticate(challenge, scope))) {
                    attempt--; // the challenge round-trip is not a failed attempt
                    continue;
                }
            }
            if ((0, retry_js_1.retryableStatus)(res.status) && attempt < this.#retry.attempts) {
                await this.#wait(attempt, (0, retry_js_1.parseRetryAfter)(res.headers['retry-after'], this.#now()), `${method} ${path}: HTTP ${res.status}`);
                continue;
            }
            if ((0, retry_js_1.retryableStatus)(res.status)) {
                const e = this.#statusError(res, `${method} ${path}`);
                throw new RegistryError(`${e.message} (after ${attempt} attempts)`, e.kind, res.status, attempt);
            }
            return res;
        }
    }
    async #wait(attempt, retryAfterMs, why) {
        const ms = (0, retry_js_1.backoffDelay)(attempt, this.#retry, retryAfterMs, this.#opts.random);
        this.#opts.log?.info(`${this.registry}: ${why}; retrying in ${(ms / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${this.#retry.attempts})`);
        await this.#sleep(ms);
    }
    #authHeaderFor(scope) {
        const h = this.#authHeaders.get(scope) ?? this.#authHeaders.get('');
        return h ? { authorization: h } : {};
    }
    async #sendOnce(method, path, headers) {
        const timeoutMs = this.#opts.timeoutMs ?? 30_000;
        const tls = await this.#tls();
        const url = new URL(`${this.#scheme}://${hostForUrl(this.registry)}${path}`);
        try {
            return await this.#send({ method, url, headers, timeoutMs, ...(tls && this.#scheme === 'https' ? { tls } : {}) });
        }
        catch (err) {
            // an insecure registry that speaks plain HTTP: containers/image falls back the same way
            const code = err instanceof http_js_1.HttpTransportError ? err.code : '';
            if (this.#opts.insecure &&
                this.#scheme === 'https' &&
                (isTlsError(code, err.message) || code === 'ECONNRESET')) {
                this.#scheme = 'http';
                this.#opts.log?.debug(`${this.registry}: no TLS, using plain http (insecure registry)`);
                return this.#send({ method, url: new URL(`http://${hostForUrl(this.registry)}${path}`), headers, timeoutMs });
            }
            throw err;
        }
    }
    /** Answers a challenge; false when there is nothing to answer it with. */
    async #authenticate(challenge, scope) {
        const auth = this.#opts.auth;
        if (challenge.scheme === 'basic') {
            if (!auth)
                return false;
            const header = 'token' in auth
                ? `Bearer ${auth.token}`
                : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
            this.#authHeaders.set('', header);
            return true;
        }
        if (auth && 'token' in auth) {
            this.#authHeaders.set(scope, `Bearer ${auth.token}`);
            return true;
        }
        const realm = challenge.params['realm'];
        let url;
        try {
            url = new URL(realm ?? '');
        }
        catch {
            throw new RegistryError(`${this.registry} sent a Bearer challenge without a valid realm URL`, 'protocol', 401);
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#opts.insecure)) {
            throw new RegistryError(`${this.registry} asks for credentials at a non-https token realm (${url.host}); list the registry as insecure to allow it`, 'protocol', 401);
        }
        if (challenge.params['service'])
            url.searchParams.set('service', challenge.params['service']);
        const wanted = challenge.params['scope'] ?? scope;
        if (wanted)
            url.searchParams.set('scope', wanted);
        const headers = {};
        if (auth)
            headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
        const tls = await this.#tls();
        let res;
        for (let attempt = 1;; attempt++) {
            try {
                res = await this.#send({
                    method: 'GET',
                    url,
                    headers,
                    timeoutMs: this.#opts.timeoutMs ?? 30_000,
                    ...(tls && url.protocol === 'https:' ? { tls } : {}),
                });
            }
            catch (err) {
                const code = err instanceof http_js_1.HttpTransportError ? err.code : '';
                if ((0, retry_js_1.retryableTransport)(code) && attempt < this.#retry.attempts) {
                    await this.#wait(attempt, undefined, `token request to ${url.host}: ${err.message}`);
                    continue;
                }
                throw new RegistryError(`the token service ${url.host} of ${this.registry} is unreachable: ${err.message}`, 'unreachable', 0, attempt);
            }
            if ((0, retry_js_1.retryableStatus)(res.status) && attempt < this.#retry.attempts) {
                await this.#wait(attempt, (0, retry_js_1.parseRetryAfter)(res.headers['retry-after'], this.#now()), `token request to ${url.host}: HTTP ${res.status}`);
                continue;
            }
            break;
        }
        if (res.status === 401 || res.status === 403) {
            throw new RegistryError(`the token service ${url.host} of ${this.registry} refused the credentials (HTTP ${res.status})${auth ? '' : ' (none were given)'}`, res.status === 401 ? 'unauthorized' : 'denied', res.status);
        }
        if (res.status !== 200)
            throw new RegistryError(`the token service ${url.host} of ${this.registry} answered HTTP ${res.status}`, 'server', res.status);
        let token;
        try {
            const body = JSON.parse(res.body);
            token = body.token ?? body.access_token;
        }
        catch {
            token = undefined;
        }
        if (typeof token !== 'string' || token === '') {
            throw new RegistryError(`the token service ${url.host} of ${this.registry} answered without a token`, 'protocol', res.status);
        }
        this.#authHeaders.set(scope, `Bearer ${token}`);
        return true;
    }
}
exports.RegistryClient = RegistryClient;
/** The registry's own error text (`{"errors":[{"code","message"}]}`), short and single-line. */
function registryErrorDetail(body) {
    try {
        const parsed = JSON.parse(body);
        const first = parsed.errors?.[0];
        if (!first)
            return '';
        return [first.code, first.message].filter(Boolean).join(': ').replace(/\s+/g, ' ').slice(0, 200);
    }
    catch {
        return '';
    }
}
function isTlsError(code, message) {
    return (/^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_SSL_WRONG_VERSION_NUMBER)/.test(code) ||
        /self[- ]signed certificate|unable to verify the first certificate|wrong version number|certificate has expired|Hostname\/IP does not match/i.test(message));
}
/** The digest of a manifest as the registry has it; a by-digest ref is confirmed to exist. */
async function resolveDigest(ref, opts = {}) {
    const r = parseImageRef(ref);
    const reference = r.digest ?? r.tag ?? 'latest';
    const digest = await new RegistryClient(r.registry, opts).manifestDigest(r.repository, reference);
    if (digest === undefined) {
        throw new RegistryError(`${r.registry}/${r.repository}${r.digest ? '@' : ':'}${reference} was not found in the registry`, 'not-found', 404);
    }
    return digest;
}
/** The digest, or undefined when the registry answers 404 (the tag or digest does not exist). */
async function manifestDigest(ref, opts = {}) {
    const r = parseImageRef(ref);
    return new RegistryClient(r.registry, opts).manifestDigest(r.repository, r.digest ?? r.tag ?? 'latest');
}
/** GET /v2/ with the credentials: the fastest check that a registry is there and accepts us. */
async function checkRegistryAccess(registry, opts = {}) {
    await new RegistryClient(registry, opts).ping();
}


/***/ }),

/***/ 3252:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Trivy = exports.TrivyReportError = exports.TRIVY_DB_SCHEMA_VERSION = exports.TRIVY_SCANNERS = exports.TRIVY_SEVERITIES = void 0;
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
const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;
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
            'image',
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
        if (o.dbRepositories && o.dbRepositories.length > 0)
            args.push('--db-repository', o.dbRepositories.join(','));
        // no DB download also means no checks-bundle download (misconfig falls back to its embedded checks)
        if (o.skipDbUpdate)
            args.push('--skip-db-update', '--skip-java-db-update', '--skip-check-update');
        if ('input' in o.target) {
            if (!o.target.input.startsWith('/'))
                throw new Error(`trivy --input needs an absolute path, got ${JSON.stringify(o.target.input)}`);
            args.push(`--input=${o.target.input}`);
        }
        else {
            args.push('--', o.target.image);
        }
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
        const m = VERSION_RE.exec(text.trim());
        return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
    }
    /**
     * Space-separated comparators (`>=0.50.0 <1`), each `>=`, `>`, `<=`, `<`, `=` or bare (equal); a
     * version that does not parse (e.g. `dev`) satisfies nothing.
     */
    static versionSatisfies(version, constraint) {
        const v = Trivy.parseVersion(version);
        if (!v)
            return false;
        const have = [v.major, v.minor, v.patch];
        return constraint
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .every((c) => {
            const m = /^(>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c);
            if (!m)
                throw new Error(`invalid version constraint ${JSON.stringify(c)}`);
            const want = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
            let d = 0;
            for (let i = 0; i < 3 && d === 0; i++)
                d = have[i] - want[i];
            switch (m[1]) {
                case '>=':
                    return d >= 0;
                case '>':
                    return d > 0;
                case '<=':
                    return d <= 0;
                case '<':
                    return d < 0;
                default:
                    return d === 0;
            }
        });
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
