export const id = 743;
export const ids = [743];
export const modules = {

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.readTarMember = readTarMember;
exports.readArchiveManifest = readArchiveManifest;
/**
 * Reads an OCI image archive (an uncompressed tar of an OCI image layout, as `buildah push
 * oci-archive:` and `docker buildx --output type=oci` write it) without extracting it: only the tar
 * headers are read, then index.json. The single manifest's digest is the digest the registry will
 * report once the archive is pushed byte for byte.
 */
const promises_1 = __webpack_require__(1455);
const BLOCK = 512;
function field(buf, start, len) {
    const s = buf.subarray(start, start + len).toString('utf8');
    const nul = s.indexOf('\0');
    return (nul >= 0 ? s.slice(0, nul) : s).trim();
}
/** The bytes of one member of a tar file (first match of `name`), or undefined. */
async function readTarMember(path, name, maxBytes = 1024 * 1024) {
    const fh = await (0, promises_1.open)(path, 'r');
    try {
        const header = Buffer.alloc(BLOCK);
        let pos = 0;
        let longName;
        for (;;) {
            const { bytesRead } = await fh.read(header, 0, BLOCK, pos);
            if (bytesRead < BLOCK || header.every((b) => b === 0))
                return undefined;
            const size = parseInt(field(header, 124, 12) || '0', 8);
            if (!Number.isFinite(size) || size < 0)
                throw new Error('not a tar archive (bad size field)');
            const type = String.fromCharCode(header[156] ?? 0);
            const prefix = field(header, 345, 155);
            const raw = field(header, 0, 100);
            const memberName = longName ?? (prefix ? `${prefix}/${raw}` : raw);
            longName = undefined;
            const dataPos = pos + BLOCK;
            if (type === 'L') {
                const b = Buffer.alloc(size);
                await fh.read(b, 0, size, dataPos);
                longName = b.toString('utf8').replace(/\0+$/, '');
            }
            else if ((type === '0' || type === '\0') && memberName.replace(/^\.\//, '') === name) {
                if (size > maxBytes)
                    throw new Error(`${name} in the archive is larger than ${maxBytes} bytes`);
                const b = Buffer.alloc(size);
                await fh.read(b, 0, size, dataPos);
                return b;
            }
            pos = dataPos + Math.ceil(size / BLOCK) * BLOCK;
        }
    }
    finally {
        await fh.close();
    }
}
/** The one image manifest of an OCI archive; throws a readable error for anything else. */
async function readArchiveManifest(path) {
    const raw = await readTarMember(path, 'index.json');
    if (!raw)
        throw new Error('it has no index.json: not an OCI image archive (oci-archive)');
    let index;
    try {
        index = JSON.parse(raw.toString('utf8'));
    }
    catch {
        throw new Error('its index.json is not JSON');
    }
    const ms = index.manifests ?? [];
    if (ms.length !== 1)
        throw new Error(`its index.json lists ${ms.length} manifests; build-push pushes archives with exactly one`);
    const m = ms[0];
    if (typeof m.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(m.digest))
        throw new Error('its manifest has no sha256 digest');
    return {
        digest: m.digest,
        mediaType: typeof m.mediaType === 'string' ? m.mediaType : '',
        size: typeof m.size === 'number' ? m.size : 0,
    };
}


/***/ }),

/***/ 8790:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.buildWithBuildah = buildWithBuildah;
exports.writeArchive = writeArchive;
exports.pushBuilt = pushBuilt;
exports.pushArchive = pushArchive;
exports.buildWithDocker = buildWithDocker;
/** The three ways an image reaches the registry (or an OCI archive): buildah, skopeo, docker buildx. */
const promises_1 = __webpack_require__(1455);
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const buildah_1 = __webpack_require__(5953);
const docker_1 = __webpack_require__(4570);
const retry_1 = __webpack_require__(786);
const archive_js_1 = __webpack_require__(9984);
const job_js_1 = __webpack_require__(7401);
const layer_cache_js_1 = __webpack_require__(3244);
const plan_js_1 = __webpack_require__(7895);
const push_js_1 = __webpack_require__(1032);
const MINUTE = 60_000;
async function archiveManifest(path) {
    try {
        return await (0, archive_js_1.readArchiveManifest)(path);
    }
    catch (e) {
        throw new action_kit_1.InputError(`Input "from-archive": ${path} cannot be pushed: ${e.message}`, 'from-archive');
    }
}
/**
 * Builds the image with buildah (one platform), tagged with every ref; resolves to its image ID.
 * With a layer cache, a build that fails on writing the cache runs again without writing it.
 */
async function buildWithBuildah(job, cacheReport) {
    const { inputs, refs } = job;
    const buildah = new buildah_1.Buildah(job.runner, { env: job.toolEnv });
    await (0, job_js_1.login)(job, 'buildah');
    const cache = await (0, layer_cache_js_1.buildahCache)(job, cacheReport);
    const iidFile = (0, node_path_1.join)(job.tmp, 'iid');
    const args = (cacheTo) => buildah_1.Buildah.buildArgs({
        context: inputs.context,
        file: inputs.file,
        tags: refs,
        labels: (0, plan_js_1.labelsFor)(inputs, job.gh, job.version, job.now()),
        buildArgs: inputs.buildArgs,
        ...(inputs.target ? { target: inputs.target } : {}),
        ...(inputs.platforms[0] ? { platform: inputs.platforms[0] } : {}),
        iidFile,
        ...(inputs.sourceDateEpoch !== undefined ? { timestamp: inputs.sourceDateEpoch } : {}),
        cacheFrom: cache.from,
        cacheTo,
        ...(0, job_js_1.pushOptions)(job),
    });
    const build = (cacheTo) => job.ctx.log.group(`Build ${inputs.image} with buildah (${refs.length} tags)`, () => buildah.run(args(cacheTo), { stream: true, timeoutMs: 60 * MINUTE }));
    try {
        await build(cache.to);
    }
    catch (e) {
        if (!cache.to.length || !(0, layer_cache_js_1.cachePushFailed)(e))
            throw e;
        (0, layer_cache_js_1.cacheWriteNote)(job, cacheReport, e);
        await build([]);
    }
    return { buildah, imageId: (await (0, promises_1.readFile)(iidFile, 'utf8')).trim() };
}
/** push: false: the built image as an OCI archive in a private directory. */
async function writeArchive(job, built) {
    const archive = (0, node_path_1.join)(await (0, job_js_1.privateDir)(job), (0, plan_js_1.archiveName)(job.inputs.image, job.gh.shortSha, built.imageId));
    await (0, promises_1.rm)(archive, { force: true });
    await job.ctx.log.group(`Write the image as an OCI archive (push: false)`, () => built.buildah.run(buildah_1.Buildah.pushArgs(built.imageId, `oci-archive:${archive}`), { timeoutMs: 30 * MINUTE }));
    const m = await archiveManifest(archive);
    return { digest: m.digest, pushed: false, archive, sizeBytes: (await (0, promises_1.stat)(archive)).size, existing: [] };
}
/** Pushes the built image to every ref; the digest is what buildah wrote (or the local layout's). */
async function pushBuilt(job, built) {
    const { buildah, imageId } = built;
    let digest;
    const local = async () => {
        // the digest this push would produce, from a local OCI layout (same compression code)
        const layout = (0, node_path_1.join)(job.tmp, 'layout');
        await (0, promises_1.rm)(layout, { recursive: true, force: true });
        await buildah.run(buildah_1.Buildah.pushArgs(imageId, `oci:${layout}`));
        const index = JSON.parse(await (0, promises_1.readFile)((0, node_path_1.join)(layout, 'index.json'), 'utf8'));
        return index.manifests[0]?.digest ?? '';
    };
    const existing = [];
    const digestFile = (0, node_path_1.join)(job.tmp, 'digest');
    for (const ref of job.refs) {
        await (0, promises_1.rm)(digestFile, { force: true });
        const got = await (0, push_js_1.pushTag)(job, ref, digest ?? local, () => buildah.run(buildah_1.Buildah.pushArgs(imageId, `docker://${ref}`, { ...(0, job_js_1.pushOptions)(job), digestFile }), {
            timeoutMs: 30 * MINUTE,
        }));
        if (got)
            existing.push(ref);
        if ((0, node_fs_1.existsSync)(digestFile))
            digest ??= (await (0, promises_1.readFile)(digestFile, 'utf8')).trim();
        digest ??= got;
    }
    return { digest: digest ?? '', pushed: true, archive: '', sizeBytes: undefined, existing };
}
/**
 * expected-digest: the archive must be the one that was scanned, before anything is pushed. A
 * policy refusal (GateError): the archive was swapped or rebuilt between the scan and the push.
 */
function checkExpected(job, archiveDigest) {
    const { fromArchive, expectedDigest } = job.inputs;
    if (!expectedDigest || archiveDigest === expectedDigest)
        return;
    throw new action_kit_1.GateError(`The archive is not the one that was scanned: ${fromArchive} has the manifest digest ${archiveDigest}, ` +
        `but expected-digest is ${expectedDigest}. Nothing was pushed. Push the archive the scan read (trivy-gate's input), with its digest output as expected-digest.`);
}
/**
 * from-archive: the archive's bytes, pushed by skopeo to every ref; the registry's digest for every
 * tag is then read back and must be the archive's (readBack, `check`).
 */
async function pushArchive(job) {
    const { inputs } = job;
    const archive = await archiveManifest(inputs.fromArchive);
    checkExpected(job, archive.digest);
    job.ctx.log.info(`Archive ${inputs.fromArchive}: manifest ${archive.digest}${inputs.expectedDigest ? ', as expected-digest says' : ''}`);
    await (0, job_js_1.login)(job, 'skopeo');
    const skopeo = new buildah_1.Skopeo(job.runner, { env: job.toolEnv });
    const opts = { ...(0, job_js_1.pushOptions)(job), ...(job.regOpts.insecure ? { tlsVerify: false } : {}) };
    const existing = [];
    for (const ref of job.refs) {
        const already = await (0, push_js_1.pushTag)(job, ref, archive.digest, () => skopeo.run(buildah_1.Skopeo.copyArchiveArgs(inputs.fromArchive, ref, opts), { timeoutMs: 30 * MINUTE }));
        if (already)
            existing.push(ref);
    }
    return {
        digest: archive.digest,
        pushed: true,
        archive: '',
        sizeBytes: undefined,
        existing,
        check: { archive: archive.digest, expected: inputs.expectedDigest, confirmed: false },
    };
}
/** docker buildx: builds and pushes (or writes the archive) in one command, retried on transient push failures. */
async function buildWithDocker(job, cacheReport) {
    const { inputs } = job;
    const { log } = job.ctx;
    const dockerConfig = (0, node_path_1.join)(job.tmp, 'docker');
    await (0, promises_1.mkdir)(dockerConfig, { mode: 0o700 });
    // keep the runner's buildx builders and plugins: copy nothing else from ~/.docker
    const cache = (0, layer_cache_js_1.buildxCache)(job, cacheReport);
    const docker = new docker_1.Docker(job.runner, { env: { DOCKER_CONFIG: dockerConfig, ...cache.env } });
    if (inputs.caFile || inputs.insecureRegistries.length) {
        log.warning('With the docker builder, the Docker daemon/BuildKit must trust the registry itself; ca-file and insecure-registries apply to the digest read-back only');
    }
    if (inputs.username) {
        await log.group(`Log in to ${inputs.registry} (docker, password from stdin, temporary DOCKER_CONFIG)`, () => docker.run(docker_1.Docker.loginArgs(inputs.registry, inputs.username), { input: inputs.password, timeoutMs: 120_000 }));
    }
    const metadataFile = (0, node_path_1.join)(job.tmp, 'metadata.json');
    const archive = inputs.push ? '' : (0, node_path_1.join)(await (0, job_js_1.privateDir)(job), (0, plan_js_1.archiveName)(inputs.image, job.gh.shortSha));
    const args = docker_1.Docker.buildArgs({
        context: inputs.context,
        file: inputs.file,
        tags: job.refs,
        labels: [...(0, plan_js_1.labelsFor)(inputs, job.gh, job.version, job.now())],
        buildArgs: [...inputs.buildArgs],
        ...(inputs.target ? { target: inputs.target } : {}),
        platforms: inputs.platforms,
        output: inputs.push ? { push: true } : { archive },
        metadataFile,
        cacheFrom: cache.from,
        cacheTo: cache.to,
    });
    await runBuildx(job, docker, args);
    if (!inputs.push) {
        const m = await (0, archive_js_1.readArchiveManifest)(archive);
        return { digest: m.digest, pushed: false, archive, sizeBytes: (await (0, promises_1.stat)(archive)).size, existing: [] };
    }
    const meta = (0, node_fs_1.existsSync)(metadataFile) ? docker_1.Docker.parseMetadata(await (0, promises_1.readFile)(metadataFile, 'utf8')) : {};
    return { digest: meta.digest ?? '', pushed: true, archive: '', sizeBytes: undefined, existing: [] };
}
async function runBuildx(job, docker, args) {
    const { inputs, policy } = job;
    const { log } = job.ctx;
    for (let attempt = 1;; attempt++) {
        try {
            await log.group(`Build${inputs.push ? ' and push' : ''} ${inputs.image} with docker buildx`, () => docker.run(args, { stream: true, timeoutMs: 60 * MINUTE }));
            return;
        }
        catch (e) {
            const transient = e instanceof action_kit_1.ToolError && inputs.push && (0, buildah_1.classifyPushFailure)(e.details.stderrTail) === 'transient';
            if (!transient)
                throw e;
            if (attempt >= policy.attempts)
                throw (0, push_js_1.pushGaveUp)(job, `docker buildx push of ${inputs.image}`, attempt, e);
            const ms = (0, retry_1.backoffDelay)(attempt, policy);
            log.warning(`docker buildx failed on a transient registry error (attempt ${attempt} of ${policy.attempts}); retrying in ${(ms / 1000).toFixed(1)}s (the build cache makes it a re-push)`);
            await job.sleep(ms);
        }
    }
}


/***/ }),

/***/ 9519:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.registriesConf = registriesConf;
/**
 * Per-run containers/image configuration (pure text builders): a registries.conf that marks only
 * the listed hosts insecure (plain http or unverified TLS), keeping the machine's own settings
 * (unqualified-search-registries, mirrors) by including its file's text first.
 */
function registriesConf(systemConf, insecureHosts) {
    const lines = [systemConf.trimEnd(), '', '# added by polyglot-cd build-push for this run'];
    for (const h of insecureHosts)
        lines.push('[[registry]]', `location = ${JSON.stringify(h)}`, 'insecure = true', '');
    return lines.join('\n').replace(/^\n+/, '') + '\n';
}


/***/ }),

/***/ 7401:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.createJob = createJob;
exports.checkRegistry = checkRegistry;
exports.prepareToolEnv = prepareToolEnv;
exports.chooseBuilder = chooseBuilder;
exports.checkPlatforms = checkPlatforms;
exports.login = login;
exports.pushOptions = pushOptions;
exports.privateDir = privateDir;
/**
 * The runtime of one build-push run: its temporary directory, registry and retry settings, the
 * containers/image settings for the tools, the registry check and the choice of builder.
 */
const promises_1 = __webpack_require__(1455);
const node_fs_1 = __webpack_require__(3024);
const node_os_1 = __webpack_require__(8161);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const buildah_1 = __webpack_require__(5953);
const command_runner_1 = __webpack_require__(7988);
const docker_1 = __webpack_require__(4570);
const registry_1 = __webpack_require__(181);
const containers_config_js_1 = __webpack_require__(9519);
const plan_js_1 = __webpack_require__(7895);
async function createJob(ctx, inputs, deps, tags) {
    const { env, log } = ctx;
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const runnerTemp = env['RUNNER_TEMP'] || (0, node_os_1.tmpdir)();
    const tmp = await (0, promises_1.mkdtemp)((0, node_path_1.join)(runnerTemp, 'build-push-'));
    const policy = {
        attempts: inputs.pushAttempts,
        baseDelayMs: deps.retryBaseDelayMs ?? 2000,
        maxDelayMs: 30_000,
    };
    return {
        ctx,
        inputs,
        gh: (0, action_kit_1.githubContext)(env),
        ...tags,
        runner: deps.runner ?? new command_runner_1.CommandRunner({ log, secrets: ctx.secrets, env }),
        runnerTemp,
        tmp,
        policy,
        regOpts: {
            ...(inputs.username ? { auth: { username: inputs.username, password: inputs.password } } : {}),
            ...(inputs.caFile ? { caFile: inputs.caFile } : {}),
            insecure: inputs.insecureRegistries.includes(inputs.imageRegistry),
            retry: policy,
            env,
            sleep,
            log,
        },
        sleep,
        now: deps.now ?? Date.now,
        toolEnv: {},
        authFile: (0, node_path_1.join)(tmp, 'auth.json'),
        certDir: undefined,
    };
}
/** The registry answers and accepts the credentials, before anything is built. */
async function checkRegistry(job) {
    const { inputs } = job;
    const { log } = job.ctx;
    await log.group(`Check registry ${inputs.imageRegistry}${inputs.username ? ` as ${inputs.username}` : ''}`, async () => {
        try {
            await (0, registry_1.checkRegistryAccess)(inputs.imageRegistry, job.regOpts);
        }
        catch (e) {
            throw (0, plan_js_1.registryFailure)(e, inputs);
        }
        log.info(`${inputs.imageRegistry} answers and accepts the credentials`);
    });
}
/** containers/image settings for this run only: a cert dir with the private CA, insecure hosts. */
async function prepareToolEnv(job) {
    const { inputs, toolEnv } = job;
    const env = job.ctx.env;
    if (inputs.caFile) {
        job.certDir = (0, node_path_1.join)(job.tmp, 'certs');
        await (0, promises_1.mkdir)(job.certDir, { mode: 0o700 });
        await (0, promises_1.copyFile)(inputs.caFile, (0, node_path_1.join)(job.certDir, 'ca.crt'));
    }
    if (inputs.insecureRegistries.length) {
        const system = env['CONTAINERS_REGISTRIES_CONF'] || '/etc/containers/registries.conf';
        const base = (0, node_fs_1.existsSync)(system) ? await (0, promises_1.readFile)(system, 'utf8') : '';
        const conf = (0, node_path_1.join)(job.tmp, 'registries.conf');
        await (0, promises_1.writeFile)(conf, (0, containers_config_js_1.registriesConf)(base, inputs.insecureRegistries), { mode: 0o600 });
        toolEnv['CONTAINERS_REGISTRIES_CONF'] = conf;
    }
    if (!env['BUILDAH_ISOLATION'])
        toolEnv['BUILDAH_ISOLATION'] = 'chroot';
}
/** docker when a daemon answers (or was asked for), else buildah; skopeo for from-archive. */
async function chooseBuilder(job) {
    const { inputs } = job;
    const { log, env } = job.ctx;
    if (inputs.fromArchive)
        return { builder: 'skopeo', reason: 'from-archive: the archive is pushed as is, nothing is built' };
    if (inputs.builder === 'buildah')
        return { builder: 'buildah', reason: 'builder: buildah was asked for' };
    const state = await log.group('Look for a Docker daemon', () => new docker_1.Docker(job.runner, { env: job.toolEnv }).daemon(env));
    if (state.ok) {
        const asked = inputs.builder === 'docker' ? 'builder: docker was asked for; ' : '';
        return {
            builder: 'docker',
            reason: `${asked}a Docker daemon answered (server ${state.serverVersion}, buildx ${state.buildx})`,
        };
    }
    if (inputs.builder === 'docker') {
        throw new action_kit_1.InputError(`builder: docker was asked for, but ${state.reason}. Use builder: auto or buildah on runners without Docker.`, 'builder');
    }
    return { builder: 'buildah', reason: `${state.reason}: using buildah (daemonless)` };
}
/** buildah or skopeo on more than one platform is an input error (only buildx builds several). */
function checkPlatforms(job, builder, reason) {
    const platforms = job.inputs.platforms;
    if (builder !== 'buildah' || platforms.length <= 1)
        return;
    throw new action_kit_1.InputError(`Input "platforms" lists ${platforms.length} platforms, but buildah builds one per run here (${reason}); use a runner with Docker buildx for a multi-platform image`, 'platforms');
}
/** buildah/skopeo login: the password by stdin, into this run's auth file. */
async function login(job, tool) {
    const { inputs } = job;
    if (!inputs.username)
        return;
    await job.ctx.log.group(`Log in to ${inputs.registry} (${tool}, password from stdin, temporary auth file)`, async () => {
        const args = buildah_1.Buildah.loginArgs(inputs.registry, inputs.username, job.authFile, job.certDir);
        await job.runner.run(tool, args, { tool, input: inputs.password, env: job.toolEnv, timeoutMs: 120_000 });
    });
}
/** The auth file and cert dir options of a buildah/skopeo push. */
function pushOptions(job) {
    return {
        ...(job.inputs.username ? { authFile: job.authFile } : {}),
        ...(job.certDir ? { certDir: job.certDir } : {}),
    };
}
/**
 * The directory the OCI archives of push: false go to: 0700, also when an earlier step made it with
 * another mode (an image about to be scanned is nobody else's to read or swap).
 */
async function privateDir(job) {
    const dir = (0, node_path_1.join)(job.runnerTemp, 'build-push');
    await (0, promises_1.mkdir)(dir, { recursive: true, mode: 0o700 });
    await (0, promises_1.chmod)(dir, 0o700);
    return dir;
}


/***/ }),

/***/ 9255:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ociLabels = ociLabels;
function ociLabels(ctx, user) {
    const out = new Map();
    if (ctx.repositoryUrl)
        out.set('org.opencontainers.image.source', ctx.repositoryUrl);
    if (ctx.sha)
        out.set('org.opencontainers.image.revision', ctx.sha);
    out.set('org.opencontainers.image.created', ctx.created);
    if (ctx.version)
        out.set('org.opencontainers.image.version', ctx.version);
    if (ctx.title)
        out.set('org.opencontainers.image.title', ctx.title);
    for (const [k, v] of user)
        out.set(k, v);
    return out;
}


/***/ }),

/***/ 3244:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.buildahCache = buildahCache;
exports.cachePushFailed = cachePushFailed;
exports.cacheWriteNote = cacheWriteNote;
exports.buildxCache = buildxCache;
/**
 * The layer cache at run time: a cache that cannot be read or written is a warning, never a failed
 * build. A cache-from the registry will not let us read is left out before the build (buildah
 * would otherwise retry it at every step); a cache-to buildah fails to push to ends that build, which
 * then runs again without it (its layers are in local storage by then, so the rerun is quick).
 */
const action_kit_1 = __webpack_require__(5092);
const registry_1 = __webpack_require__(181);
const cache_js_1 = __webpack_require__(9160);
/** A reference no cache key can be: a probe that reads nothing. */
const PROBE_TAG = 'polyglot-cd-cache-probe';
/** Whether the registry lets us read `repository` (a repository that does not exist yet is readable: it is an empty cache). */
async function readable(job, repository) {
    const ref = (0, registry_1.parseImageRef)(repository);
    const client = new registry_1.RegistryClient(ref.registry, {
        ...job.regOpts,
        retry: { attempts: 2, baseDelayMs: 500, maxDelayMs: 1000 },
    });
    try {
        await client.manifestDigest(ref.repository, PROBE_TAG);
        return undefined;
    }
    catch (e) {
        return e.message;
    }
}
/** buildah's cache repositories for this run: cache-from only if readable; every note in the report. */
async function buildahCache(job, report) {
    const { inputs } = job;
    const { log } = job.ctx;
    const repos = (0, cache_js_1.buildahCacheRepos)(inputs.cache, inputs.image);
    const from = [];
    for (const repo of repos.from) {
        const why = await readable(job, repo);
        if (why === undefined)
            from.push(repo);
        else
            repos.warnings.push(`cache-from ${repo} cannot be read (${why}): building without it`);
    }
    for (const w of repos.warnings)
        log.warning(w);
    report.from = from;
    report.to = repos.to;
    report.notes.push(...repos.warnings);
    if (from.length || repos.to.length)
        log.info(`Layer cache: read ${from.join(', ') || 'none'}; write ${repos.to.join(', ') || 'none'}`);
    return { from, to: repos.to };
}
/** Whether a failed buildah build failed on pushing its layer cache (not on the build itself). */
function cachePushFailed(e) {
    return e instanceof action_kit_1.ToolError && /failed pushing cache to/i.test(e.details.stderrTail);
}
/** The report's note when cache-to could not be written and the build ran again without it. */
function cacheWriteNote(job, report, e) {
    const line = /failed pushing cache to.*$/im.exec(e.details.stderrTail)?.[0] ?? 'the push of the cache failed';
    const note = `cache-to ${report.to.join(', ')} cannot be written (${line.slice(0, 300)}): building again without writing the cache`;
    job.ctx.log.warning(note);
    report.notes.push(note);
    report.to = [];
}
/** buildx's cache flags, and the environment a type=gha cache needs from the runner (never on argv). */
function buildxCache(job, report) {
    const flags = (0, cache_js_1.buildxCacheFlags)(job.inputs.cache);
    report.from = flags.from;
    report.to = flags.to;
    const env = {};
    const gha = [...job.inputs.cache.from, ...job.inputs.cache.to].some((e) => e.type === 'gha');
    if (gha) {
        for (const k of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2']) {
            const v = job.ctx.env[k];
            if (v)
                env[k] = v;
        }
        if (env['ACTIONS_RUNTIME_TOKEN'])
            job.ctx.secrets.add(env['ACTIONS_RUNTIME_TOKEN']);
        if (!env['ACTIONS_RUNTIME_TOKEN']) {
            const note = 'type=gha: ACTIONS_RUNTIME_TOKEN is not set (it is only inside a GitHub Actions job): buildx will build without that cache';
            job.ctx.log.warning(note);
            report.notes.push(note);
        }
    }
    return { ...flags, env };
}


/***/ }),

/***/ 7895:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.prNumberFromEvent = prNumberFromEvent;
exports.planTags = planTags;
exports.labelsFor = labelsFor;
exports.archiveName = archiveName;
exports.registryFailure = registryFailure;
/**
 * What a run will do, decided from the inputs and the Git context before any side effect, and how a
 * registry failure is named (each by its kind: the user's input, or the infrastructure). Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const registry_1 = __webpack_require__(181);
const labels_js_1 = __webpack_require__(9255);
const tags_js_1 = __webpack_require__(3981);
/** The PR number from a pull_request event payload's JSON, when it is a safe integer. */
function prNumberFromEvent(json) {
    if (json === undefined)
        return undefined;
    try {
        const n = JSON.parse(json).pull_request?.number;
        return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
    catch {
        return undefined;
    }
}
/** The tags of this run; a Git context they cannot be computed from is an input error. */
function planTags(inputs, gh, prNumber) {
    try {
        return (0, tags_js_1.computeTags)({ sha: gh.sha, eventName: gh.eventName, ref: gh.ref, prNumber }, { extraTags: inputs.extraTags, latest: inputs.latest });
    }
    catch (e) {
        throw new action_kit_1.InputError(`Cannot compute the tags: ${e.message}`);
    }
}
function labelsFor(inputs, gh, version, now) {
    return (0, labels_js_1.ociLabels)({
        repositoryUrl: gh.repositoryUrl,
        sha: gh.sha,
        // a reproducible build (SOURCE_DATE_EPOCH) must not carry the time of the run
        created: new Date(inputs.sourceDateEpoch !== undefined ? inputs.sourceDateEpoch * 1000 : now).toISOString(),
        version,
        title: inputs.image.split('/').pop() ?? '',
    }, inputs.labels);
}
/** The file name of the OCI archive of push: false. */
function archiveName(image, shortSha, imageId) {
    const id = imageId === undefined ? '' : `-${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
    return `${image.split('/').pop() ?? 'image'}-${shortSha || 'local'}${id}.oci.tar`;
}
/**
 * A registry failure by its kind: refused credentials, missing rights and an untrusted certificate
 * are the user's to fix (InputError); an unreachable or failing registry, after the retries, is the
 * infrastructure (InfraError). Anything that is not a RegistryError is returned as it is.
 */
function registryFailure(err, inputs) {
    if (!(err instanceof registry_1.RegistryError))
        return err;
    const host = inputs.imageRegistry;
    const service = `registry ${host}`;
    switch (err.kind) {
        case 'unauthorized':
            return new action_kit_1.InputError(`Registry ${host} refused the login of "${inputs.username || '(anonymous)'}": ${err.message}. Check username and password.`, 'password');
        case 'denied':
            return new action_kit_1.InputError(`Registry ${host} denied access: ${err.message}. The credentials may lack push rights on ${inputs.image}.`, 'username');
        case 'tls':
            return new action_kit_1.InputError(err.message, 'ca-file');
        case 'unreachable':
            return new action_kit_1.InfraError(`Registry ${host} of input "image" is unreachable: ${err.message}. Nothing was built or pushed.`, { service, attempts: err.attempts }, { cause: err });
        default:
            return new action_kit_1.InfraError(`Registry ${host} failed: ${err.message}`, { service, attempts: err.attempts }, { cause: err });
    }
}


/***/ }),

/***/ 1032:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.registrySaid = registrySaid;
exports.pushGaveUp = pushGaveUp;
exports.pushTag = pushTag;
exports.readBack = readBack;
/**
 * Pushing tags with bounded retries, and reading the digest back from the registry. A transient
 * registry failure that outlasts push-attempts is the infrastructure's (InfraError); a tag that
 * already points at another digest on an immutable-tag registry is refused by policy (GateError).
 */
const node_crypto_1 = __webpack_require__(7598);
const action_kit_1 = __webpack_require__(5092);
const buildah_1 = __webpack_require__(5953);
const registry_1 = __webpack_require__(181);
const retry_1 = __webpack_require__(786);
const plan_js_1 = __webpack_require__(7895);
const summary_js_1 = __webpack_require__(806);
/**
 * The registry's own words from a containers/image push failure: the last line repeats them once per
 * manifest format tried ("…(writing manifest: uploading manifest <tag> to <repo>: <words>), …").
 * The words are the registry's own (a refusal body's code and message), cut to 500 characters.
 */
function registrySaid(stderrTail) {
    const last = stderrTail.trim().split('\n').pop() ?? '';
    // buildah: "Error: … (…)"; skopeo (logrus): time="…" level=fatal msg="…"
    const m = /uploading manifest \S+ to \S+?: (.+?)(?:\), application\/|\)?"?$)/.exec(last);
    return (m?.[1] ?? last).slice(0, 500);
}
/** The transient registry failure of the last push attempt, as the infrastructure's. */
function pushGaveUp(job, what, attempts, err) {
    return new action_kit_1.InfraError(`${what} failed ${attempts} times on transient registry errors (push-attempts: ${job.policy.attempts}); giving up. Last error: ${err.details.stderrTail.split('\n').pop() ?? ''}`, { service: `registry ${job.inputs.imageRegistry}`, attempts }, { cause: err });
}
/**
 * Push one tag with bounded retries on transient failures. A permanent failure is checked against
 * the registry: if the tag already points at the digest being pushed (an immutable-tag registry on a
 * re-run), that is a success; if it points elsewhere, it is never overwritten.
 * Resolves to the digest when the tag already pointed at it, else undefined.
 */
async function pushTag(job, ref, expected, push) {
    const { log } = job.ctx;
    const { policy } = job;
    return log.group(`Push ${ref}`, async () => {
        for (let attempt = 1;; attempt++) {
            try {
                await push();
                return undefined;
            }
            catch (e) {
                if (!(e instanceof action_kit_1.ToolError))
                    throw e;
                const kind = (0, buildah_1.classifyPushFailure)(e.details.stderrTail);
                if (kind === 'transient' && attempt < policy.attempts) {
                    const ms = (0, retry_1.backoffDelay)(attempt, policy);
                    log.warning(`Push of ${ref} failed (attempt ${attempt} of ${policy.attempts}, transient: ${e.details.stderrTail.split('\n').pop() ?? ''}); retrying in ${(ms / 1000).toFixed(1)}s`);
                    await job.sleep(ms);
                    continue;
                }
                if (kind === 'transient')
                    throw pushGaveUp(job, `Push of ${ref}`, attempt, e);
                return existingTag(job, ref, expected, e);
            }
        }
    });
}
/** After a permanent push failure: the tag already at the expected digest is a success, elsewhere a refusal. */
async function existingTag(job, ref, expected, e) {
    const existing = await (0, registry_1.manifestDigest)(ref, job.regOpts).catch(() => undefined);
    if (existing === undefined)
        throw e;
    const want = typeof expected === 'string' ? expected : await expected();
    if (existing === want) {
        job.ctx.log.notice(`${ref} already exists and points at ${want}, the digest being pushed: the registry refused to rewrite it (immutable tags?), which is a success ` +
            `(the registry said: ${registrySaid(e.details.stderrTail)})`);
        return want;
    }
    throw new action_kit_1.GateError(`${ref} already exists and points at ${existing}, not at ${want}; the registry refused to overwrite it (immutable tags?) and build-push never forces it. ` +
        `Use a new tag. Registry said: ${registrySaid(e.details.stderrTail)}`);
}
/** The registry is the source of truth: every tag must resolve to the same digest. */
async function readBack(job, result) {
    const { inputs, refs } = job;
    const { log } = job.ctx;
    return log.group(`Read the digest back from ${inputs.imageRegistry}`, async () => {
        const client = new registry_1.RegistryClient(inputs.imageRegistry, job.regOpts);
        const repo = inputs.image.slice(inputs.imageRegistry.length + 1);
        const tagOf = (ref) => ref.slice(inputs.image.length + 1);
        let manifest;
        try {
            manifest = await client.fetchManifest(repo, refs[0] ? tagOf(refs[0]) : 'latest');
            for (const ref of refs) {
                const d = await client.manifestDigest(repo, tagOf(ref));
                if (d !== manifest.digest) {
                    throw new action_kit_1.InfraError(`${ref} resolves to ${d ?? 'nothing'}, not ${manifest.digest}: another push raced this one`, { service: `registry ${inputs.imageRegistry}`, attempts: 1 });
                }
            }
        }
        catch (e) {
            throw (0, plan_js_1.registryFailure)(e, inputs);
        }
        if (result.check)
            return confirmArchive(job, result, result.check, manifest);
        if (manifest.digest !== result.digest)
            log.warning(`The builder reported ${result.digest}; the registry has ${manifest.digest} (the registry's is used)`);
        log.info(`${refs.length} tag(s) → ${manifest.digest}`);
        return { ...result, digest: manifest.digest, sizeBytes: (0, summary_js_1.manifestSize)(manifest.body) };
    });
}
/**
 * from-archive: every pushed tag (all read back at one digest) must have the archive's digest, and the
 * manifest the registry serves must hash to it. Otherwise what the registry serves is not what was
 * pushed (and scanned): a policy refusal (GateError), not a tool failure, since skopeo and the registry
 * both reported success; the usual cause is another push to the same tags meanwhile.
 */
function confirmArchive(job, result, check, manifest) {
    const { refs } = job;
    const served = `sha256:${(0, node_crypto_1.createHash)('sha256').update(manifest.body, 'utf8').digest('hex')}`;
    // the digest the registry names for the tags, then the one of the bytes it serves
    const found = manifest.digest !== check.archive ? manifest.digest : served;
    if (found !== check.archive) {
        throw new action_kit_1.GateError(`The registry does not have the archive's digest: it has ${found} for ${refs.join(', ')}, not ${check.archive}, ` +
            `the manifest digest of ${job.inputs.fromArchive}${check.expected ? ' (and expected-digest)' : ''}. ` +
            'The tags do not point at the image that was pushed (and scanned): look for another push to the same tags, and do not deploy them.');
    }
    job.ctx.log.info(`${refs.length} tag(s) → ${check.archive}: the archive's digest${check.expected ? ' and expected-digest' : ''}, checked`);
    return {
        ...result,
        digest: manifest.digest,
        sizeBytes: (0, summary_js_1.manifestSize)(manifest.body),
        check: { ...check, confirmed: true },
    };
}


/***/ }),

/***/ 6743:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.run = run;
/**
 * The run of build-push, loaded by main.ts only once every input is valid: the builders, the registry
 * client and the tools stay off the start of a step whose inputs are refused.
 */
const node_fs_1 = __webpack_require__(3024);
const promises_1 = __webpack_require__(1455);
const action_kit_1 = __webpack_require__(5092);
const build_js_1 = __webpack_require__(8790);
const job_js_1 = __webpack_require__(7401);
const plan_js_1 = __webpack_require__(7895);
const push_js_1 = __webpack_require__(1032);
function eventJson(path) {
    if (!path)
        return undefined;
    try {
        return (0, node_fs_1.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Builds (or takes the archive) and pushes, by the builder chosen; push: false ends with an archive. */
async function buildAndPush(job, builder, cache) {
    if (builder === 'docker')
        return (0, build_js_1.buildWithDocker)(job, cache);
    if (builder === 'skopeo')
        return (0, build_js_1.pushArchive)(job);
    const built = await (0, build_js_1.buildWithBuildah)(job, cache);
    return job.inputs.push ? (0, build_js_1.pushBuilt)(job, built) : (0, build_js_1.writeArchive)(job, built);
}
/**
 * build-push's phases, in order: the tags from the Git context; the runtime (registry check, tool
 * settings, builder); the build; the push; the digest read back from the registry for the report.
 */
async function run(ctx, inputs, report, deps) {
    const now = deps.now ?? Date.now;
    const started = now();
    report.image = inputs.image;
    const gh = (0, action_kit_1.githubContext)(ctx.env);
    const tags = (0, plan_js_1.planTags)(inputs, gh, (0, plan_js_1.prNumberFromEvent)(eventJson(ctx.env['GITHUB_EVENT_PATH'])));
    for (const n of tags.notes)
        ctx.log.notice(n);
    report.refs = tags.tags.map((t) => `${inputs.image}:${t}`);
    const job = await (0, job_js_1.createJob)(ctx, inputs, deps, { refs: report.refs, version: tags.version });
    try {
        // the runtime: the registry answers, the tools' settings, the builder
        if (inputs.push)
            await (0, job_js_1.checkRegistry)(job);
        await (0, job_js_1.prepareToolEnv)(job);
        const { builder, reason } = await (0, job_js_1.chooseBuilder)(job);
        report.builder = builder;
        report.reason = reason;
        ctx.log.info(`Builder: ${builder} (${reason})`);
        (0, job_js_1.checkPlatforms)(job, builder, reason);
        // build and push (or write the OCI archive of push: false)
        report.result = await buildAndPush(job, builder, report.cache);
        // the report: the digest as the registry has it
        if (report.result.pushed)
            report.result = await (0, push_js_1.readBack)(job, report.result);
    }
    finally {
        await (0, promises_1.rm)(job.tmp, { recursive: true, force: true });
        report.seconds = Math.round((now() - started) / 100) / 10;
    }
}


/***/ }),

/***/ 3981:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.shortSha = shortSha;
exports.sanitizeBranch = sanitizeBranch;
exports.isPullRequest = isPullRequest;
exports.pullRequestNumber = pullRequestNumber;
exports.semverTags = semverTags;
exports.computeTags = computeTags;
/**
 * Tag computation from the Git context (pure). OCI tag grammar: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
 *   sha-<short>            always
 *   pr-<N>                 on pull requests (N validated ^[1-9][0-9]{0,8}$)
 *   <branch>-<short>       on branch pushes; the branch sanitised to the grammar (lower-cased,
 *                          every other character → '-', trimmed so the whole tag fits 128)
 *   X.Y.Z, X.Y, X          for a vX.Y.Z (or X.Y.Z) git tag; a pre-release (v1.2.3-rc.1) gets only its
 *                          full version; X is skipped for 0.x (it would mean "any 0.x")
 *   extra tags             from the `tags` input, validated strictly (never rewritten)
 *   latest                 only when asked for, never on a pull request
 */
const action_kit_1 = __webpack_require__(5092);
const PR_EVENTS = new Set([
    'pull_request',
    'pull_request_target',
    'pull_request_review',
    'pull_request_review_comment',
    'merge_group',
]);
const PR_NUMBER_RE = /^[1-9][0-9]{0,8}$/;
const SEMVER_RE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
function shortSha(sha) {
    return sha.slice(0, 7).toLowerCase();
}
/** A branch name as a tag fragment of at most `max` characters, or '' when nothing usable is left. */
function sanitizeBranch(branch, max) {
    const s = branch
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[^a-z0-9_]+/, '')
        .slice(0, max)
        .replace(/[.-]+$/, '');
    return s;
}
function isPullRequest(ctx) {
    return PR_EVENTS.has(ctx.eventName) || /^refs\/pull\//.test(ctx.ref);
}
/** The PR number from refs/pull/<N>/(merge|head), else the payload's; undefined when invalid. */
function pullRequestNumber(ctx) {
    const m = /^refs\/pull\/([^/]+)\/(?:merge|head)$/.exec(ctx.ref);
    const text = m?.[1] ?? (ctx.prNumber !== undefined ? String(ctx.prNumber) : '');
    return PR_NUMBER_RE.test(text) ? Number(text) : undefined;
}
function semverTags(gitTag) {
    const m = SEMVER_RE.exec(gitTag);
    if (!m)
        return undefined;
    const [, x, y, z, pre] = m;
    if (pre !== undefined)
        return action_kit_1.TAG_RE.test(`${x}.${y}.${z}-${pre}`) ? [`${x}.${y}.${z}-${pre}`] : undefined;
    return x === '0' ? [`${x}.${y}.${z}`, `${x}.${y}`] : [`${x}.${y}.${z}`, `${x}.${y}`, x];
}
function computeTags(ctx, opts) {
    const notes = [];
    if (!/^[0-9a-f]{7,64}$/i.test(ctx.sha))
        throw new Error(`GITHUB_SHA is not a commit SHA (${JSON.stringify(ctx.sha.slice(0, 80))})`);
    const short = shortSha(ctx.sha);
    const tags = [`sha-${short}`];
    let version = `sha-${short}`;
    const pr = isPullRequest(ctx);
    if (pr) {
        const n = pullRequestNumber(ctx);
        if (n === undefined)
            notes.push('pull request without a valid number in GITHUB_REF or the event: no pr-<N> tag');
        else {
            tags.push(`pr-${n}`);
            version = `pr-${n}`;
        }
    }
    else if (ctx.ref.startsWith('refs/heads/')) {
        const branch = ctx.ref.slice('refs/heads/'.length);
        const fragment = sanitizeBranch(branch, 128 - short.length - 1);
        if (fragment === '')
            notes.push(`branch ${JSON.stringify(branch)} has no character usable in a tag: no branch tag`);
        else {
            tags.push(`${fragment}-${short}`);
            version = `${fragment}-${short}`;
            if (fragment !== branch)
                notes.push(`branch ${JSON.stringify(branch)} → tag ${fragment}-${short} (sanitised to the OCI tag grammar)`);
        }
    }
    else if (ctx.ref.startsWith('refs/tags/')) {
        const gitTag = ctx.ref.slice('refs/tags/'.length);
        const sv = semverTags(gitTag);
        if (sv) {
            tags.push(...sv);
            version = sv[0];
        }
        else
            notes.push(`git tag ${JSON.stringify(gitTag)} is not a version vX.Y.Z: no version tags`);
    }
    for (const t of opts.extraTags)
        tags.push(t);
    const wantsLatest = opts.latest || opts.extraTags.includes('latest');
    const out = [...new Set(tags)].filter((t) => t !== 'latest');
    if (wantsLatest) {
        if (pr)
            notes.push('latest is never pushed for a pull request: left out');
        else
            out.push('latest');
    }
    for (const t of out)
        if (!action_kit_1.TAG_RE.test(t))
            throw new Error(`computed tag ${JSON.stringify(t)} breaks the OCI tag grammar`);
    return { tags: out, notes, version };
}


/***/ }),

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
            `--layers=${o.layers === true || Boolean(o.cacheFrom?.length) || Boolean(o.cacheTo?.length)}`,
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
        for (const r of o.cacheFrom ?? [])
            args.push('--cache-from', r);
        for (const r of o.cacheTo ?? [])
            args.push('--cache-to', r);
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
        for (const c of o.cacheFrom ?? [])
            args.push('--cache-from', c);
        for (const c of o.cacheTo ?? [])
            args.push('--cache-to', c);
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

/***/ 3946:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.HttpTransportError = void 0;
exports.proxyConfigured = proxyConfigured;
exports.createHttpSender = createHttpSender;
class HttpTransportError extends Error {
    name = 'HttpTransportError';
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
exports.HttpTransportError = HttpTransportError;
const MAX_BODY = 256 * 1024;
const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
function proxyConfigured(env) {
    return PROXY_VARS.some((k) => (env[k] ?? '') !== '');
}
function createHttpSender(env = process.env) {
    return proxyConfigured(env) ? sendViaHttpClient : sendDirect;
}
function flattenHeaders(h) {
    const out = {};
    for (const [k, v] of Object.entries(h))
        out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return out;
}
async function sendDirect(req) {
    const mod = req.url.protocol === 'http:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23));
    const tls = req.tls?.ca !== undefined ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1692, 23)) : { rootCertificates: [] };
    return new Promise((resolve, reject) => {
        const headers = { 'user-agent': 'polyglot-cd', ...req.headers };
        if (req.body !== undefined)
            headers['content-length'] = Buffer.byteLength(req.body);
        const r = mod.request(req.url, {
            method: req.method,
            headers,
            timeout: req.timeoutMs,
            signal: AbortSignal.timeout(req.timeoutMs),
            ...(req.tls?.ca !== undefined ? { ca: [...tls.rootCertificates, req.tls.ca] } : {}),
            ...(req.tls?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        }, (res) => {
            const chunks = [];
            const max = req.maxBodyBytes ?? MAX_BODY;
            let size = 0;
            res.on('data', (c) => {
                if (size < max)
                    chunks.push(c);
                size += c.length;
            });
            res.on('end', () => resolve({
                status: res.statusCode ?? 0,
                headers: flattenHeaders(res.headers),
                body: Buffer.concat(chunks).toString('utf8').slice(0, max),
            }));
            res.on('error', (err) => reject(transportError(err, req.timeoutMs)));
        });
        r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        r.on('error', (err) => reject(transportError(err, req.timeoutMs)));
        r.end(req.body);
    });
}
function transportError(err, timeoutMs) {
    const e = err;
    const code = e.name === 'AbortError' || e.name === 'TimeoutError' ? 'ETIMEDOUT' : (e.code ?? 'EUNKNOWN');
    if (code === 'ETIMEDOUT')
        return new HttpTransportError(`no response within ${Math.round(timeoutMs / 100) / 10}s`, code);
    // Node's messages name host:port at most (e.g. "connect ECONNREFUSED 127.0.0.1:443"), never the path or query.
    return new HttpTransportError(e.message.replace(/https?:\/\/\S+/g, '<url>'), code);
}
async function sendViaHttpClient(req) {
    const { HttpClient } = await __webpack_require__.e(/* import() */ 920).then(__webpack_require__.bind(__webpack_require__, 2920));
    const client = new HttpClient('polyglot-cd', undefined, {
        socketTimeout: req.timeoutMs,
        allowRetries: false,
        maxRetries: 0,
        ...(req.tls?.rejectUnauthorized === false ? { ignoreSslError: true } : {}),
    });
    try {
        const res = await Promise.race([
            client.request(req.method, req.url.href, req.body === undefined ? null : req.body.toString(), req.headers ?? {}),
            new Promise((_, reject) => setTimeout(() => reject(new HttpTransportError(`no response within ${req.timeoutMs / 1000}s`, 'ETIMEDOUT')), req.timeoutMs).unref()),
        ]);
        const body = await res.readBody();
        return {
            status: res.message.statusCode ?? 0,
            headers: flattenHeaders(res.message.headers),
            body: body.slice(0, req.maxBodyBytes ?? MAX_BODY),
        };
    }
    catch (err) {
        if (err instanceof HttpTransportError)
            throw err;
        throw transportError(err, req.timeoutMs);
    }
    finally {
        client.dispose();
    }
}


/***/ }),

/***/ 181:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RegistryClient = exports.RegistryError = exports.parseImageRef = exports.MANIFEST_MEDIA_TYPES = void 0;
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
const image_ref_js_1 = __webpack_require__(6337);
const promises_1 = __webpack_require__(1455);
const http_js_1 = __webpack_require__(3946);
const retry_js_1 = __webpack_require__(786);
exports.MANIFEST_MEDIA_TYPES = [
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
];
var image_ref_js_2 = __webpack_require__(6337);
Object.defineProperty(exports, "parseImageRef", ({ enumerable: true, get: function () { return image_ref_js_2.parseImageRef; } }));
Object.defineProperty(exports, "RegistryError", ({ enumerable: true, get: function () { return image_ref_js_2.RegistryError; } }));
const DIGEST = /^sha256:[a-f0-9]{64}$/;
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
                    throw new image_ref_js_1.RegistryError(`cannot read the CA file ${this.#opts.caFile}: ${e.message}`, 'tls');
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
            throw new image_ref_js_1.RegistryError(`${this.registry} answered an unexpected digest ${JSON.stringify(digest.slice(0, 100))}`, 'protocol', res.status);
        if (DIGEST.test(reference) && digest !== reference) {
            throw new image_ref_js_1.RegistryError(`${this.registry} returned ${digest} for ${repository}@${reference}`, 'protocol', res.status);
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
            return new image_ref_js_1.RegistryError(`${base}: the registry refused the credentials${this.#opts.auth ? '' : ' (none were given)'}`, 'unauthorized', 401);
        }
        if (res.status === 403)
            return new image_ref_js_1.RegistryError(`${base}: access denied`, 'denied', 403);
        if (res.status === 404)
            return new image_ref_js_1.RegistryError(`${base}: not found`, 'not-found', 404);
        if (res.status >= 500 || res.status === 429 || res.status === 408)
            return new image_ref_js_1.RegistryError(base, 'server', res.status);
        return new image_ref_js_1.RegistryError(base, 'protocol', res.status);
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
                if (err instanceof image_ref_js_1.RegistryError)
                    throw err;
                const code = err instanceof http_js_1.HttpTransportError ? err.code : (err.code ?? 'EUNKNOWN');
                const message = err.message;
                if (isTlsError(code, message)) {
                    throw new image_ref_js_1.RegistryError(`TLS with ${this.registry} failed: ${message}. For a private CA pass its PEM file (ca-file); for a registry without valid TLS list it as insecure.`, 'tls', 0, attempt);
                }
                if ((0, retry_js_1.retryableTransport)(code) && attempt < this.#retry.attempts) {
                    await this.#wait(attempt, undefined, `${method} ${path}: ${message}`);
                    continue;
                }
                throw new image_ref_js_1.RegistryError(`${this.registry} is unreachable: ${message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`, 'unreachable', 0, attempt);
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
                throw new image_ref_js_1.RegistryError(`${e.message} (after ${attempt} attempts)`, e.kind, res.status, attempt);
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
            const header = 'token' in auth ? `Bearer ${auth.token}` : basicHeader(auth);
            this.#authHeaders.set('', header);
            return true;
        }
        if (auth && 'token' in auth) {
            this.#authHeaders.set(scope, `Bearer ${auth.token}`);
            return true;
        }
        const url = this.#tokenUrl(challenge, scope);
        const headers = {};
        if (auth)
            headers['authorization'] = basicHeader(auth);
        const res = await this.#requestToken(url, headers);
        this.#authHeaders.set(scope, `Bearer ${this.#tokenFrom(res, url, auth !== undefined)}`);
        return true;
    }
    /** The token service's URL from a Bearer challenge: its realm (https, or http for an insecure registry), service and scope. */
    #tokenUrl(challenge, scope) {
        const realm = challenge.params['realm'];
        let url;
        try {
            url = new URL(realm ?? '');
        }
        catch {
            throw new image_ref_js_1.RegistryError(`${this.registry} sent a Bearer challenge without a valid realm URL`, 'protocol', 401);
        }
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#opts.insecure)) {
            throw new image_ref_js_1.RegistryError(`${this.registry} asks for credentials at a non-https token realm (${url.host}); list the registry as insecure to allow it`, 'protocol', 401);
        }
        if (challenge.params['service'])
            url.searchParams.set('service', challenge.params['service']);
        const wanted = challenge.params['scope'] ?? scope;
        if (wanted)
            url.searchParams.set('scope', wanted);
        return url;
    }
    /** GETs a token, retrying transport errors and retryable statuses; the last answer, whatever its status. */
    async #requestToken(url, headers) {
        const tls = await this.#tls();
        for (let attempt = 1;; attempt++) {
            let res;
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
                throw new image_ref_js_1.RegistryError(`the token service ${url.host} of ${this.registry} is unreachable: ${err.message}`, 'unreachable', 0, attempt);
            }
            if ((0, retry_js_1.retryableStatus)(res.status) && attempt < this.#retry.attempts) {
                await this.#wait(attempt, (0, retry_js_1.parseRetryAfter)(res.headers['retry-after'], this.#now()), `token request to ${url.host}: HTTP ${res.status}`);
                continue;
            }
            return res;
        }
    }
    /** The token in the token service's answer; a RegistryError for a refusal, another status or no token. */
    #tokenFrom(res, url, hadCredentials) {
        if (res.status === 401 || res.status === 403) {
            throw new image_ref_js_1.RegistryError(`the token service ${url.host} of ${this.registry} refused the credentials (HTTP ${res.status})${hadCredentials ? '' : ' (none were given)'}`, res.status === 401 ? 'unauthorized' : 'denied', res.status);
        }
        if (res.status !== 200)
            throw new image_ref_js_1.RegistryError(`the token service ${url.host} of ${this.registry} answered HTTP ${res.status}`, 'server', res.status);
        let token;
        try {
            const body = JSON.parse(res.body);
            token = body.token ?? body.access_token;
        }
        catch {
            token = undefined;
        }
        if (typeof token !== 'string' || token === '') {
            throw new image_ref_js_1.RegistryError(`the token service ${url.host} of ${this.registry} answered without a token`, 'protocol', res.status);
        }
        return token;
    }
}
exports.RegistryClient = RegistryClient;
/** `Basic base64(username:password)` */
function basicHeader(auth) {
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}
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
    const r = (0, image_ref_js_1.parseImageRef)(ref);
    const reference = r.digest ?? r.tag ?? 'latest';
    const digest = await new RegistryClient(r.registry, opts).manifestDigest(r.repository, reference);
    if (digest === undefined) {
        throw new image_ref_js_1.RegistryError(`${r.registry}/${r.repository}${r.digest ? '@' : ':'}${reference} was not found in the registry`, 'not-found', 404);
    }
    return digest;
}
/** The digest, or undefined when the registry answers 404 (the tag or digest does not exist). */
async function manifestDigest(ref, opts = {}) {
    const r = (0, image_ref_js_1.parseImageRef)(ref);
    return new RegistryClient(r.registry, opts).manifestDigest(r.repository, r.digest ?? r.tag ?? 'latest');
}
/** GET /v2/ with the credentials: the fastest check that a registry is there and accepts us. */
async function checkRegistryAccess(registry, opts = {}) {
    await new RegistryClient(registry, opts).ping();
}


/***/ }),

/***/ 786:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_RETRY = void 0;
exports.parseRetryAfter = parseRetryAfter;
exports.backoffDelay = backoffDelay;
exports.retryableStatus = retryableStatus;
exports.retryableTransport = retryableTransport;
exports.abortableSleep = abortableSleep;
/**
 * Bounded retry policy shared by the registry client and the push loops: exponential backoff with
 * jitter, capped, and a server's Retry-After honoured (never beyond `maxDelayMs`).
 */
const action_kit_1 = __webpack_require__(5092);
exports.DEFAULT_RETRY = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from `now`. */
function parseRetryAfter(value, now) {
    if (!value)
        return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    const at = Date.parse(v);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - now);
}
/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): the server's Retry-After when it
 * gave one, else base·2^(attempt-1) with equal jitter (between half and all of it) (`random` in [0,1)); both capped at maxDelayMs.
 */
function backoffDelay(attempt, policy, retryAfterMs, random = Math.random) {
    if (retryAfterMs !== undefined)
        return Math.min(retryAfterMs, policy.maxDelayMs);
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
/** HTTP statuses worth another try: 408, 429 and 5xx except 501 (not implemented) and 505. */
function retryableStatus(status) {
    return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}
/** Transport errors worth another try (connection resets, timeouts, refused while a registry restarts). */
function retryableTransport(code) {
    return [
        'ECONNRESET',
        'ETIMEDOUT',
        'ECONNREFUSED',
        'EPIPE',
        'EAI_AGAIN',
        'ECONNABORTED',
        'UND_ERR_SOCKET',
        'EHOSTUNREACH',
        'ENETUNREACH',
    ].includes(code);
}
/**
 * Waits `ms` (a retry's backoff); rejects at once with CancelledError (from action-kit) when `signal`
 * aborts, saying what was being waited for.
 */
function abortableSleep(ms, signal, waitingFor = 'a retry') {
    return new Promise((done, fail) => {
        const cancelled = () => new action_kit_1.CancelledError(`cancelled while waiting to retry ${waitingFor}`);
        if (signal?.aborted) {
            fail(cancelled());
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            fail(cancelled());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            done();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}


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
