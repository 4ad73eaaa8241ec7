export const id = 145;
export const ids = [145,988,879];
export const modules = {

/***/ 7988:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CommandRunner = void 0;
exports.withheld = withheld;
/**
 * CommandRunner: the only way the actions start a process.
 * - argv arrays only (`shell: false`), so no value is ever parsed by a shell;
 * - refuses to put a registered secret on argv (other jobs on a host can read argv with `ps`);
 * - captures stdout/stderr, redacts secrets from anything it logs or puts in an error;
 * - enforces a timeout (SIGTERM, then SIGKILL after a grace period);
 * - forwards SIGINT/SIGTERM to running children and waits for them, so a cancelled job does not
 *   leave a tool (e.g. `helm upgrade`) half-way;
 * - never hands a child the step's inputs (INPUT_*: a password input is a secret) or the runner's
 *   tokens (ACTIONS_ID_TOKEN_REQUEST_*, ACTIONS_RUNTIME_TOKEN) from the base environment: a tool gets
 *   a secret only through the channel the action chose for it (stdin, a 0600 file, a variable passed
 *   per call, or a name the action lists in `passThrough`).
 */
const node_child_process_1 = __webpack_require__(1421);
const action_kit_1 = __webpack_require__(5092);
/** Variables of the base environment a child never gets unless passed on purpose. */
function withheld(name) {
    return name.startsWith('INPUT_') || name.startsWith('ACTIONS_ID_TOKEN_REQUEST_') || name === 'ACTIONS_RUNTIME_TOKEN';
}
const MAX_CAPTURE = 64 * 1024 * 1024;
/** One output stream of a child: its first MAX_CAPTURE bytes (whole chunks) and, when streamed, its unfinished line. */
class CapturedStream {
    #chunks = [];
    #length = 0;
    #line = '';
    /** Keeps the chunk; when `lines` is set, returns the lines it completes. */
    add(chunk, lines) {
        if (this.#length < MAX_CAPTURE)
            this.#chunks.push(chunk);
        this.#length += chunk.length;
        if (!lines)
            return [];
        const parts = (this.#line + chunk.toString('utf8')).split(/\r?\n/);
        this.#line = parts.pop() ?? '';
        return parts;
    }
    partialLine() {
        return this.#line;
    }
    text() {
        return Buffer.concat(this.#chunks).toString('utf8');
    }
}
class CommandRunner {
    #log;
    #secrets;
    #defaultTimeoutMs;
    #killGraceMs;
    #env;
    #children = new Set();
    #cancelSignal;
    #onSignal = (signal) => this.#forward(signal);
    constructor(opts) {
        this.#log = opts.log;
        this.#secrets = opts.secrets;
        this.#defaultTimeoutMs = opts.defaultTimeoutMs ?? 10 * 60_000;
        this.#killGraceMs = opts.killGraceMs ?? 7_000;
        const base = opts.env ?? process.env;
        const keep = new Set(opts.passThrough ?? []);
        this.#env = Object.fromEntries(Object.entries(base).filter(([k]) => keep.has(k) || !withheld(k)));
    }
    /** argv as it may appear in a log line or an error */
    display(file, args) {
        return this.#secrets.redactAll([file, ...args]);
    }
    run(file, args, opts = {}) {
        const tool = opts.tool ?? file.split('/').pop() ?? file;
        const argv = this.display(file, args);
        const refusal = this.#refusal(tool, file, args, argv);
        if (refusal)
            return Promise.reject(refusal);
        const env = opts.replaceEnv ? { ...opts.env } : { ...this.#env, ...opts.env };
        const call = { file, args, tool, argv, env, opts, timeoutMs: opts.timeoutMs ?? this.#defaultTimeoutMs };
        this.#log.debug(`run: ${argv.join(' ')}`);
        return new Promise((resolve, reject) => this.#execute(call, resolve, reject));
    }
    /** Why a call must not start: a secret on its argv, or a job being cancelled. */
    #refusal(tool, file, args, argv) {
        for (const a of [file, ...args]) {
            if (this.#secrets.redact(a) !== a) {
                return new Error(`refusing to run ${tool}: a secret would appear on its command line (argv: ${argv.join(' ')})`);
            }
        }
        if (this.#cancelSignal) {
            return this.#toolError(tool, argv, `${tool} was not started: the job is being cancelled`, null, this.#cancelSignal, '', { cancelled: true });
        }
        return undefined;
    }
    /** Spawns the child, feeds its stdin, captures its output and settles once it has closed. */
    #execute(call, resolve, reject) {
        const { file, tool, argv, opts } = call;
        const started = Date.now();
        let child;
        try {
            child = (0, node_child_process_1.spawn)(file, [...call.args], {
                cwd: opts.cwd,
                env: call.env,
                shell: false,
                stdio: ['pipe', 'pipe', 'pipe'],
                windowsHide: true,
            });
        }
        catch (err) {
            reject(this.#toolError(tool, argv, `${tool} could not be started: ${err.message}`, null, null, ''));
            return;
        }
        this.#track(child);
        const output = this.#capture(child, opts.stream === true);
        child.stdin?.on('error', () => {
            // the child may exit before reading its stdin; its exit code tells what happened
        });
        if (opts.input !== undefined)
            child.stdin?.end(opts.input);
        else
            child.stdin?.end();
        const deadline = this.#deadline(child, tool, call.timeoutMs);
        let settled = false;
        child.on('error', (err) => {
            if (settled)
                return;
            settled = true;
            deadline.clear();
            this.#untrack(child);
            const msg = err.code === 'ENOENT'
                ? `${tool} was not found (${this.#secrets.redact(file)}): is it installed and on PATH?`
                : `${tool} could not be started: ${err.message}`;
            reject(this.#toolError(tool, argv, msg, null, null, ''));
        });
        child.on('close', (code, signal) => {
            if (settled)
                return;
            settled = true;
            deadline.clear();
            this.#untrack(child);
            const { stdout, stderr } = output.finish();
            const failure = this.#failure(call, code, signal, stderr, deadline.timedOut());
            if (failure)
                reject(failure);
            else
                resolve({ exitCode: code, stdout, stderr, durationMs: Date.now() - started });
        });
    }
    /** Collects a child's stdout and stderr (up to MAX_CAPTURE each) and logs their lines when streaming. */
    #capture(child, stream) {
        const streams = { out: new CapturedStream(), err: new CapturedStream() };
        const logLine = (line) => this.#log.info(this.#secrets.redact(line));
        const onData = (key) => (chunk) => {
            const lines = streams[key].add(chunk, stream);
            for (const l of lines)
                logLine(l);
        };
        child.stdout?.on('data', onData('out'));
        child.stderr?.on('data', onData('err'));
        return {
            finish: () => {
                if (stream) {
                    for (const rest of [streams.out.partialLine(), streams.err.partialLine()])
                        if (rest)
                            logLine(rest);
                }
                return { stdout: streams.out.text(), stderr: streams.err.text() };
            },
        };
    }
    /** Stops the child when the timeout passes: SIGTERM, then SIGKILL after the grace period. */
    #deadline(child, tool, timeoutMs) {
        let timedOut = false;
        let killTimer;
        const timer = setTimeout(() => {
            timedOut = true;
            this.#log.warning(`${tool} did not finish within ${Math.round(timeoutMs / 1000)}s: stopping it`);
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), this.#killGraceMs);
            killTimer.unref();
        }, timeoutMs);
        timer.unref();
        return {
            clear: () => {
                clearTimeout(timer);
                if (killTimer)
                    clearTimeout(killTimer);
            },
            timedOut: () => timedOut,
        };
    }
    /** The error a closed child ends in (timeout, cancellation, a failing exit), or undefined on success. */
    #failure(call, code, signal, stderr, timedOut) {
        const { tool, argv } = call;
        if (timedOut) {
            return this.#toolError(tool, argv, `${tool} timed out after ${Math.round(call.timeoutMs / 1000)}s`, code, signal, stderr, { timedOut: true });
        }
        if (this.#cancelSignal && code !== 0) {
            return this.#toolError(tool, argv, `${tool} was stopped: the job was cancelled (${this.#cancelSignal})`, code, signal, stderr, { cancelled: true });
        }
        const ok = call.opts.okExitCodes ?? [0];
        if (code === null || !ok.includes(code)) {
            const how = code === null ? `signal ${signal}` : `exit code ${code}`;
            return this.#toolError(tool, argv, `${tool} failed with ${how}`, code, signal, stderr);
        }
        return undefined;
    }
    #toolError(tool, argv, message, exitCode, signal, stderr, extra = {}) {
        return new action_kit_1.ToolError(this.#secrets.redact(message), {
            tool,
            argv,
            exitCode,
            signal,
            stderrTail: this.#secrets.redact((0, action_kit_1.tail)(stderr)),
            ...extra,
        });
    }
    #track(child) {
        if (this.#children.size === 0) {
            process.on('SIGINT', this.#onSignal);
            process.on('SIGTERM', this.#onSignal);
        }
        this.#children.add(child);
    }
    #untrack(child) {
        this.#children.delete(child);
        if (this.#children.size === 0) {
            process.off('SIGINT', this.#onSignal);
            process.off('SIGTERM', this.#onSignal);
        }
    }
    #forward(signal) {
        this.#cancelSignal = signal;
        this.#log.warning(`Received ${signal}: passing it to ${this.#children.size} running tool(s) and waiting up to ${Math.round(this.#killGraceMs / 1000)}s for them to stop`);
        for (const child of this.#children) {
            child.kill(signal);
            const t = setTimeout(() => {
                if (child.exitCode === null && child.signalCode === null)
                    child.kill('SIGKILL');
            }, this.#killGraceMs);
            t.unref();
        }
    }
}
exports.CommandRunner = CommandRunner;


/***/ }),

/***/ 2879:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.manifest = void 0;
const helm_json_1 = __importDefault(__webpack_require__(1490));
const trivy_json_1 = __importDefault(__webpack_require__(3894));
const cosign_json_1 = __importDefault(__webpack_require__(9257));
exports.manifest = {
    tools: {
        helm: helm_json_1.default,
        trivy: trivy_json_1.default,
        cosign: cosign_json_1.default,
    },
};


/***/ }),

/***/ 145:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.currentPlatform = currentPlatform;
exports.binEnvName = binEnvName;
exports.sha256File = sha256File;
exports.verifySha256 = verifySha256;
exports.resolveToolFile = resolveToolFile;
exports.ensureTool = ensureTool;
/**
 * ensureTool(name, version): a pinned, verified binary, found in this order:
 *   0. `POLYGLOT_CD_<TOOL>_BIN` names a binary explicitly (baked into a runner image): used as-is,
 *      with a notice and no hash check;
 *   1. a binary on PATH, only if its SHA-256 is the manifest's for this version (so its version is
 *      the pinned one);
 *   2. the runner tool cache (`$RUNNER_TOOL_CACHE/<tool>/<version>/<platform>`, the layout of
 *      @actions/tool-cache), checked against the committed pin in every job that uses it: the binary's
 *      own SHA-256 where the manifest has one; otherwise the cached archive's SHA-256, and the binary
 *      is taken again from that verified archive into a folder of this job (`RUNNER_TEMP`). A binary
 *      that only sits in the cache is never run. A cache hit makes no network call;
 *   3. a download from the base URL (input, `POLYGLOT_CD_TOOLS_BASE_URL`, or the upstream default),
 *      verified against the committed manifest before it is extracted, cached or run.
 * Whoever can write the tool cache (other jobs of a self-hosted runner, a previous workflow) can plant
 * files there, so nothing in it is trusted without a check made in this job.
 */
const node_crypto_1 = __webpack_require__(7598);
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const command_runner_js_1 = __webpack_require__(7988);
const retry_js_1 = __webpack_require__(786);
const manifest_js_1 = __webpack_require__(2879);
// node:fs/promises (and node:stream/promises, for downloads) load on first use: a binary named by
// POLYGLOT_CD_<TOOL>_BIN needs neither, and loading them costs more than the rest of that path.
const fsp = () => process.getBuiltinModule('node:fs/promises');
function currentPlatform() {
    const os = process.platform === 'win32' ? 'windows' : process.platform;
    const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm' }[process.arch] ?? process.arch;
    return `${os}-${arch}`;
}
function binEnvName(tool) {
    return `POLYGLOT_CD_${tool.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BIN`;
}
/**
 * SHA-256 of a file. Two 1 MiB buffers: the next read runs on the thread pool while this chunk is
 * hashed. (A stream pipeline with the default 64 KiB chunks made verifying a 45 MB helm take
 * 100-140 ms, mostly waiting between reads; this takes 30-40 ms.)
 */
async function sha256File(path) {
    const hash = (0, node_crypto_1.createHash)('sha256');
    const fh = await fsp().open(path, 'r');
    try {
        const size = 1 << 20;
        const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
        let next = 0;
        let reading = fh.read(buffers[next], 0, size, null);
        for (;;) {
            const { bytesRead, buffer } = await reading;
            if (bytesRead === 0)
                break;
            next ^= 1;
            reading = fh.read(buffers[next], 0, size, null);
            hash.update(buffer.subarray(0, bytesRead));
        }
    }
    finally {
        await fh.close();
    }
    return hash.digest('hex');
}
function stampOf(path, sha256, st) {
    return {
        path,
        sha256,
        dev: String(st.dev),
        ino: String(st.ino),
        size: String(st.size),
        mtimeNs: String(st.mtimeNs),
        ctimeNs: String(st.ctimeNs),
    };
}
function sameStamp(a, b) {
    return (a.path === b.path &&
        a.sha256 === b.sha256 &&
        a.dev === b.dev &&
        a.ino === b.ino &&
        a.size === b.size &&
        a.mtimeNs === b.mtimeNs &&
        a.ctimeNs === b.ctimeNs);
}
function stampPath(env, path) {
    const root = env['RUNNER_TEMP'];
    return root
        ? (0, node_path_1.join)(root, 'polyglot-cd-verified', `${(0, node_crypto_1.createHash)('sha256').update(path).digest('hex').slice(0, 40)}.json`)
        : undefined;
}
/**
 * Whether `path` has the SHA-256 `want`: from a matching stamp, or by hashing it (then stamping it).
 * Returns the hash it found ('' for an unreadable file) and whether the stamp answered.
 */
async function verifySha256(path, want, env) {
    const before = (0, node_fs_1.statSync)(path, { bigint: true, throwIfNoEntry: false });
    if (!before?.isFile())
        return { ok: false, got: '', stamped: false };
    const file = stampPath(env, path);
    if (file) {
        try {
            const stored = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
            if (sameStamp(stored, stampOf(path, want, before)))
                return { ok: true, got: want, stamped: true };
        }
        catch {
            // no stamp, or an unreadable one: hash
        }
    }
    const got = await sha256File(path);
    if (got === want && file) {
        const after = (0, node_fs_1.statSync)(path, { bigint: true, throwIfNoEntry: false });
        if (after && sameStamp(stampOf(path, want, after), stampOf(path, want, before))) {
            try {
                (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(file), { recursive: true, mode: 0o700 });
                const temp = `${file}.${process.pid}.tmp`;
                (0, node_fs_1.writeFileSync)(temp, JSON.stringify(stampOf(path, want, after)), { mode: 0o600 });
                (0, node_fs_1.renameSync)(temp, file);
            }
            catch {
                // a read-only tool cache: the next step hashes again
            }
        }
    }
    return { ok: got === want, got, stamped: false };
}
/** Resolves the manifest entry for a tool version and platform; refuses unknown or refused versions. */
function resolveToolFile(manifest, name, version, platform) {
    const spec = manifest.tools[name];
    if (!spec)
        throw new action_kit_1.InputError(`No tool named "${name}" in the tool manifest; known: ${Object.keys(manifest.tools).join(', ')}`);
    const v = version.replace(/^v/, '');
    const refusal = spec.refused?.[v];
    if (refusal)
        throw new action_kit_1.InputError(`${name} ${v} is refused: ${refusal}. Pin another version.`);
    const byPlatform = spec.versions[v];
    if (!byPlatform) {
        throw new action_kit_1.InputError(`${name} version "${version}" is not pinned in the tool manifest (pinned: ${Object.keys(spec.versions).join(', ')}); only versions with a recorded SHA-256 can be installed`);
    }
    const entry = byPlatform[platform];
    if (!entry) {
        throw new action_kit_1.InputError(`${name} ${v} has no pinned build for platform ${platform} (pinned platforms: ${Object.keys(byPlatform).join(', ')})`);
    }
    return { spec, entry };
}
function toolCacheDir(env, name, version, platform) {
    const root = env['RUNNER_TOOL_CACHE'];
    return root ? (0, node_path_1.join)(root, name, version, platform) : undefined;
}
function isFile(path) {
    return (0, node_fs_1.statSync)(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
async function ensureTool(name, version, opts) {
    const env = opts.env ?? process.env;
    const log = opts.log;
    const manifest = opts.manifest ?? manifest_js_1.manifest;
    const platform = opts.platform ?? currentPlatform();
    const v = version.replace(/^v/, '');
    const explicit = env[binEnvName(name)];
    if (explicit) {
        if (!isFile(explicit)) {
            throw new action_kit_1.InputError(`${binEnvName(name)} is set to ${explicit}, which is not a file`);
        }
        log.notice(`Using ${name} from ${binEnvName(name)}=${explicit} as-is (no version or hash check)`);
        return { name, version: v, path: explicit, source: 'env' };
    }
    const { spec, entry } = resolveToolFile(manifest, name, v, platform);
    // 1. PATH, only with the pinned binary's hash
    const onPath = await fromPath(name, v, spec, entry, env, log);
    if (onPath)
        return onPath;
    // 2. tool cache: checked against the pin in this job
    const cacheDir = toolCacheDir(env, name, v, platform);
    if (cacheDir && (0, node_fs_1.existsSync)(`${cacheDir}.complete`)) {
        const hit = await fromToolCache(name, v, spec, entry, cacheDir, opts, env);
        if (hit)
            return hit;
    }
    // 3. download, verify, extract, cache
    return downloadTool({ name, v, platform, spec, entry, cacheDir, opts, env });
}
/** The pinned binary on PATH (its SHA-256 is the manifest's), or undefined; only for tools with a binary pin. */
async function fromPath(name, v, spec, entry, env, log) {
    if (!entry.binarySha256)
        return undefined;
    for (const dir of (env['PATH'] ?? '').split(node_path_1.delimiter).filter(Boolean)) {
        const candidate = (0, node_path_1.join)(dir, spec.binary);
        if (!isFile(candidate))
            continue;
        const check = await verifySha256(candidate, entry.binarySha256, env);
        if (check.ok) {
            log.info(`Using ${name} ${v} found on PATH at ${candidate} (SHA-256 verified${check.stamped ? ' earlier in this job; the file is unchanged since' : ''})`);
            return { name, version: v, path: candidate, source: 'path' };
        }
        log.debug(`Ignoring ${candidate}: not the pinned ${name} ${v} build (sha256 ${check.got})`);
    }
    return undefined;
}
/** Downloads the pinned file, verifies it (and the binary in it), then caches it or keeps it for this job. */
async function downloadTool(job) {
    const { name, v, platform, spec, entry, cacheDir, opts, env } = job;
    const log = opts.log;
    const base = (opts.baseUrl || env['POLYGLOT_CD_TOOLS_BASE_URL'] || spec.defaultBaseUrl).replace(/\/+$/, '');
    const url = `${base}/${entry.file}`;
    const temp = env['RUNNER_TEMP'] || (await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8161, 23))).tmpdir();
    const work = (0, node_path_1.join)(temp, `polyglot-cd-${name}-${(0, node_crypto_1.randomUUID)()}`);
    await fsp().mkdir(work, { recursive: true, mode: 0o700 });
    try {
        const downloaded = (0, node_path_1.join)(work, 'download');
        await download(url, downloaded, opts, name, v, cacheDir);
        const got = await sha256File(downloaded);
        if (got !== entry.sha256) {
            throw new action_kit_1.ToolError(`SHA-256 mismatch for ${name} ${v} (${platform}) downloaded from ${url}: expected ${entry.sha256}, got ${got}. The file was deleted and not run. Check the mirror for tampering or corruption.`, { tool: name, argv: [url], exitCode: null, stderrTail: '' });
        }
        const staged = (0, node_path_1.join)(work, 'bin');
        await fsp().mkdir(staged, { recursive: true });
        const binPath = await takeBinary(downloaded, spec, entry, staged, opts, env);
        if (entry.binarySha256) {
            const binHash = await sha256File(binPath);
            if (binHash !== entry.binarySha256) {
                throw new action_kit_1.ToolError(`SHA-256 mismatch for the ${name} binary inside ${entry.file}: expected ${entry.binarySha256}, got ${binHash}`, { tool: name, argv: [url], exitCode: null, stderrTail: '' });
            }
        }
        // the verified download stays beside the binary: a later job re-checks it against the pin
        await fsp().rename(downloaded, (0, node_path_1.join)(staged, cachedFileName(entry)));
        if (!cacheDir) {
            log.info(`Installed ${name} ${v} from ${base} (SHA-256 verified; RUNNER_TOOL_CACHE is not set, so it is not cached)`);
            const keep = (0, node_path_1.join)(temp, `polyglot-cd-${name}-${v}-${(0, node_crypto_1.randomUUID)()}`);
            await fsp().rename(staged, keep);
            return { name, version: v, path: (0, node_path_1.join)(keep, spec.binary), source: 'download' };
        }
        return await installIntoCache(job, staged, base);
    }
    finally {
        await fsp().rm(work, { recursive: true, force: true });
    }
}
/** Moves a verified, staged install into the tool cache; the path this job runs. */
async function installIntoCache(job, staged, base) {
    const { name, v, spec, entry, opts, env } = job;
    const cacheDir = job.cacheDir;
    await fsp().rm(cacheDir, { recursive: true, force: true });
    await fsp().mkdir((0, node_path_1.join)(cacheDir, '..'), { recursive: true });
    await fsp().rename(staged, cacheDir);
    await fsp().writeFile(`${cacheDir}.complete`, '');
    opts.log.info(`Installed ${name} ${v} from ${base} (SHA-256 verified) into the tool cache`);
    if (entry.binarySha256)
        return { name, version: v, path: (0, node_path_1.join)(cacheDir, spec.binary), source: 'download' };
    // no pin for the binary itself: this job runs the copy it extracted, never the cache's
    const path = await extractForJob(name, v, spec, entry, (0, node_path_1.join)(cacheDir, cachedFileName(entry)), opts, env);
    return { name, version: v, path, source: 'download' };
}
/** The name the verified download keeps in the tool cache, beside the binary. */
function cachedFileName(entry) {
    return `download.${entry.format === 'binary' ? 'bin' : entry.format}`;
}
/**
 * A tool-cache hit, or undefined (the caller downloads again). With a pin for the binary, the cached
 * binary's hash must match it. Without one, the cached download must match the archive's pin, and the
 * binary is extracted again from it into this job's temporary folder: the cache's own copy of the
 * binary, which anyone who can write the cache could have replaced, is never run.
 */
async function fromToolCache(name, v, spec, entry, cacheDir, opts, env) {
    const log = opts.log;
    if (entry.binarySha256) {
        const cached = (0, node_path_1.join)(cacheDir, spec.binary);
        if (!isFile(cached))
            return undefined;
        const check = await verifySha256(cached, entry.binarySha256, env);
        if (check.ok) {
            log.info(`Using ${name} ${v} from the tool cache (${cacheDir}; SHA-256 of the binary verified${check.stamped ? ' earlier in this job, the file is unchanged since' : ''})`);
            return { name, version: v, path: cached, source: 'cache' };
        }
        log.warning(`The cached ${name} ${v} at ${cached} does not match its pinned SHA-256: ignoring it and downloading again`);
        return undefined;
    }
    const archive = (0, node_path_1.join)(cacheDir, cachedFileName(entry));
    if (!isFile(archive)) {
        log.info(`The tool cache has ${name} ${v} without its verified download (${archive}): downloading again, since the binary alone cannot be checked against a pin`);
        return undefined;
    }
    const check = await verifySha256(archive, entry.sha256, env);
    if (!check.ok) {
        log.warning(`The cached download of ${name} ${v} at ${archive} does not match its pinned SHA-256: ignoring it and downloading again`);
        return undefined;
    }
    const path = await extractForJob(name, v, spec, entry, archive, opts, env);
    log.info(`Using ${name} ${v} from the tool cache (${cacheDir}; the archive's SHA-256 verified${check.stamped ? ' earlier in this job' : ''}, the binary taken from it into this job's ${path})`);
    return { name, version: v, path, source: 'cache' };
}
/**
 * The binary of a verified download as `<dir>/<binary>` (0755): the download itself for a raw binary,
 * else the one archive member `pathInArchive` (tar, no owners, `--` before the member name).
 */
async function takeBinary(download, spec, entry, dir, opts, env) {
    const binPath = (0, node_path_1.join)(dir, spec.binary);
    if (entry.format === 'binary') {
        await fsp().copyFile(download, binPath);
    }
    else {
        const runner = new command_runner_js_1.CommandRunner({ log: opts.log, secrets: opts.secrets, env });
        const extractDir = await fsp().mkdtemp((0, node_path_1.join)(dir, '.x-'));
        const member = entry.pathInArchive ?? spec.binary;
        await runner.run('tar', ['-xzf', download, '-C', extractDir, '--no-same-owner', '--', member], { tool: 'tar' });
        await fsp().rename((0, node_path_1.join)(extractDir, member), binPath);
        await fsp().rm(extractDir, { recursive: true, force: true });
    }
    await fsp().chmod(binPath, 0o755);
    return binPath;
}
/**
 * Takes the binary out of a verified download into `$RUNNER_TEMP/polyglot-cd-tools/<tool>-<version>/`
 * (0700), once per job: a later step of the job reuses that copy while its stamp (stat at extraction)
 * still matches, and extracts again otherwise.
 */
async function extractForJob(name, v, spec, entry, archive, opts, env) {
    const temp = env['RUNNER_TEMP'] || (await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 8161, 23))).tmpdir();
    const root = (0, node_path_1.join)(temp, 'polyglot-cd-tools');
    await fsp().mkdir(root, { recursive: true, mode: 0o700 });
    await fsp().chmod(root, 0o700);
    const dir = (0, node_path_1.join)(root, `${name}-${v}`);
    const binPath = (0, node_path_1.join)(dir, spec.binary);
    const stamp = jobExtractStamp(env, binPath);
    if (stamp && isFile(binPath)) {
        const st = (0, node_fs_1.statSync)(binPath, { bigint: true });
        try {
            const stored = JSON.parse((0, node_fs_1.readFileSync)(stamp, 'utf8'));
            if (sameStamp(stored, stampOf(binPath, `extracted:${entry.sha256}`, st)))
                return binPath;
        }
        catch {
            // no stamp yet: extract
        }
    }
    await fsp().rm(dir, { recursive: true, force: true });
    const work = await fsp().mkdtemp((0, node_path_1.join)(root, `.${name}-`));
    try {
        await takeBinary(archive, spec, entry, work, opts, env);
        await fsp().rename(work, dir);
    }
    catch (err) {
        await fsp().rm(work, { recursive: true, force: true });
        throw err;
    }
    if (stamp) {
        (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(stamp), { recursive: true, mode: 0o700 });
        (0, node_fs_1.writeFileSync)(stamp, JSON.stringify(stampOf(binPath, `extracted:${entry.sha256}`, (0, node_fs_1.statSync)(binPath, { bigint: true }))), { mode: 0o600 });
    }
    return binPath;
}
function jobExtractStamp(env, binPath) {
    const file = stampPath(env, binPath);
    return file ? file.replace(/\.json$/, '.extracted.json') : undefined;
}
async function download(url, dest, opts, name, version, cacheDir) {
    const { HttpClient } = await Promise.all(/* import() */[__webpack_require__.e(9), __webpack_require__.e(920)]).then(__webpack_require__.bind(__webpack_require__, 2920));
    const retry = opts.retry ?? { attempts: 3, baseDelayMs: 2_000 };
    const client = new HttpClient('polyglot-cd', undefined, {
        allowRedirects: true,
        maxRedirects: 5,
        socketTimeout: opts.requestTimeoutMs ?? 60_000,
    });
    let lastError = '';
    try {
        for (let attempt = 1; attempt <= retry.attempts; attempt++) {
            let status = 0;
            try {
                const res = await client.get(url);
                status = res.message.statusCode ?? 0;
                if (status === 200) {
                    await process
                        .getBuiltinModule('node:stream/promises')
                        .pipeline(res.message, (0, node_fs_1.createWriteStream)(dest, { mode: 0o600 }));
                    return;
                }
                res.message.resume();
                lastError = `HTTP ${status}`;
            }
            catch (err) {
                lastError = err.message || String(err);
            }
            const retryable = status === 0 || (0, retry_js_1.retryableStatus)(status);
            if (!retryable || attempt === retry.attempts)
                break;
            const delay = retry.baseDelayMs * 2 ** (attempt - 1);
            opts.log.warning(`Download of ${name} ${version} failed (${lastError}); retrying in ${Math.round(delay / 100) / 10}s`);
            await new Promise((r) => setTimeout(r, delay));
        }
    }
    finally {
        client.dispose();
    }
    throw new action_kit_1.ToolError(`Could not download ${name} ${version} from ${url}: ${lastError}. It is not in the tool cache${cacheDir ? ` (${cacheDir})` : ' (RUNNER_TOOL_CACHE is not set)'}. On an offline or air-gapped runner, point the tools base URL (input or POLYGLOT_CD_TOOLS_BASE_URL) at a mirror, pre-seed the tool cache, or name a binary with ${binEnvName(name)}.`, { tool: name, argv: [url], exitCode: null, stderrTail: '' });
}


/***/ }),

/***/ 9257:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"cosign","defaultVersion":"3.1.3","defaultBaseUrl":"https://github.com/sigstore/cosign/releases/download","versionArgs":["version","--json"],"source":"cosign ships raw binaries; sha256 = the cosign-linux-<arch> lines of https://github.com/sigstore/cosign/releases/download/v<version>/cosign_checksums.txt. 3.1.3: amd64 4629c757… and arm64 c5d324e0… (quoted from that file, with its URL, by several public pins, e.g. Kubernetes release staging scripts and install scripts citing cosign_checksums.txt). 3.0.6: amd64 c956e5df… / arm64 bedac92e… (cosign_checksums.txt of v3.0.6 and the bootstrap_linux_*_sha of sigstore/cosign-installer, whose default is v3.0.6). The tests run cosign 3.1.3 built from source through the Go module proxy (scripts/setup/cosign.sh; same version, different bytes than the release binary: its SHA-256 is not the pinned one), named through POLYGLOT_CD_COSIGN_BIN, never accepted through this manifest.","versions":{"3.1.3":{"linux-amd64":{"file":"v3.1.3/cosign-linux-amd64","format":"binary","sha256":"4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71","binarySha256":"4629c757b7618056f8ddd7e2625ae9fdd94c0372a65049520bc7d9df9efc7f71"},"linux-arm64":{"file":"v3.1.3/cosign-linux-arm64","format":"binary","sha256":"c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a","binarySha256":"c5d324e091826b0d7a78eb16fef316450b4eb9aaec045611c08ba06f5e73220a"}},"3.0.6":{"linux-amd64":{"file":"v3.0.6/cosign-linux-amd64","format":"binary","sha256":"c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74","binarySha256":"c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74"},"linux-arm64":{"file":"v3.0.6/cosign-linux-arm64","format":"binary","sha256":"bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8","binarySha256":"bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8"}}}}');

/***/ }),

/***/ 1490:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"helm","defaultVersion":"4.2.4","defaultBaseUrl":"https://get.helm.sh","versionArgs":["version","--template","{{.Version}}"],"source":"3.10.1: archive sha256 https://get.helm.sh/helm-v3.10.1-linux-amd64.tar.gz.sha256sum, binary sha256 of linux-amd64/helm from that archive. 4.2.4: archive sha256 values as published in the v4.2.4 release notes (https://github.com/helm/helm/releases/tag/v4.2.4, each also at https://get.helm.sh/helm-v4.2.4-<platform>.tar.gz.sha256sum); no binary sha256 is published, so a helm 4 on PATH is not trusted (the verified download or tool cache is used). 3.22.0 (the newest Helm 3): archive sha256 values as published in the v3.22.0 release notes (https://github.com/helm/helm/releases/tag/v3.22.0), linux only The tests run Helm 4.2.4 and 3.22.0 built from source through the Go module proxy (scripts/setup/helm.sh; same version, different bytes than the release archive), named through POLYGLOT_CD_HELM_BIN, never accepted through this manifest.","versions":{"3.10.1":{"linux-amd64":{"file":"helm-v3.10.1-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"c12d2cd638f2d066fec123d0bd7f010f32c643afdf288d39a4610b1f9cb32af3","binarySha256":"8c375d1016b2c9754bad8da3ed07ce33c0f9af3bad8890e61737f5137be7396d"}},"4.2.4":{"linux-amd64":{"file":"helm-v4.2.4-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3"},"linux-arm64":{"file":"helm-v4.2.4-linux-arm64.tar.gz","format":"tar.gz","pathInArchive":"linux-arm64/helm","sha256":"564de2191b881e9f71b5606b25345821ea1682f06ab90499d3ab22b530176da1"},"darwin-amd64":{"file":"helm-v4.2.4-darwin-amd64.tar.gz","format":"tar.gz","pathInArchive":"darwin-amd64/helm","sha256":"6c163d687ca03c3b5c01928e53bbbcf9518278f47ce7a2f249a5a08e8bdaa2bc"},"darwin-arm64":{"file":"helm-v4.2.4-darwin-arm64.tar.gz","format":"tar.gz","pathInArchive":"darwin-arm64/helm","sha256":"d747eb4e28bd2727173d15b759fa0a17822291ec09db7ced3d55af290a3661a2"}},"3.22.0":{"linux-amd64":{"file":"helm-v3.22.0-linux-amd64.tar.gz","format":"tar.gz","pathInArchive":"linux-amd64/helm","sha256":"1e4ab49e429626cf6c6958d914248b78c9730803c2751b87627e171dc800e7bb"},"linux-arm64":{"file":"helm-v3.22.0-linux-arm64.tar.gz","format":"tar.gz","pathInArchive":"linux-arm64/helm","sha256":"f14e804dfee240f55525b667488fe9adca349e63e00c9af634c0beb1421ac310"}}}}');

/***/ }),

/***/ 3894:
/***/ ((module) => {

module.exports = /*#__PURE__*/JSON.parse('{"binary":"trivy","defaultVersion":"0.74.0","defaultBaseUrl":"https://github.com/aquasecurity/trivy/releases/download","versionArgs":["version","--format","json"],"source":"archive sha256: the values of trivy_0.74.0_checksums.txt at https://github.com/aquasecurity/trivy/releases/tag/v0.74.0. That file could not be fetched from this (offline) machine; the values were taken from independent public pins that check them with sha256sum -c against the release (linux-amd64 2ae6fe3e... in many repositories, e.g. a scanner script citing \'Official GitHub release asset SHA256 values\' of v0.74.0; linux-arm64 b94ce197... and the macOS values in a generated pin file listing all four assets). Re-check against the checksums file when bumping. No binarySha256: upstream publishes no hash of the binary inside the archive, so a trivy already on PATH is never trusted; only a verified download or the tool cache is used. The tests run trivy 0.74.0 built from source through the Go module proxy (scripts/setup/trivy.sh; same version, different bytes than the release archive), named through POLYGLOT_CD_TRIVY_BIN, never accepted through this manifest.","refused":{"0.69.4":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)","0.69.5":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)","0.69.6":"compromised release: published by an attacker with stolen release credentials during the Trivy supply-chain incident of March 2026 (GHSA-69fq-xp46-6x23; 0.69.4-0.69.6 are refused)"},"versions":{"0.74.0":{"linux-amd64":{"file":"v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz","format":"tar.gz","pathInArchive":"trivy","sha256":"2ae6fe3ee734b7fdf11335663e18c75ea12dccc76062f09f164a3b0f8be4371a"},"linux-arm64":{"file":"v0.74.0/trivy_0.74.0_Linux-ARM64.tar.gz","format":"tar.gz","pathInArchive":"trivy","sha256":"b94ce1976bbf3c15b514b605ee88be7c6d94a29be2302847ff01cb794d47aad5"}}}}');

/***/ })

};
