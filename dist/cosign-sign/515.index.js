export const id = 515;
export const ids = [515];
export const modules = {

/***/ 1679:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.OIDC_SERVICE = exports.SIGSTORE_SERVICE = void 0;
exports.failureOutcome = failureOutcome;
exports.tokenFailure = tokenFailure;
exports.digestCheckFailure = digestCheckFailure;
exports.why = why;
exports.signFailure = signFailure;
exports.verifyFailure = verifyFailure;
/**
 * How each failure of cosign-sign is named, by its kind (action-kit errors.ts). Pure.
 * - an attempt's failure → a retry outcome (transient, permanent, already in the log);
 * - retries that gave up on a transient fault → InfraError (Sigstore, the registry, the token service);
 * - cosign failing for good → ToolError; a signature that does not verify → GateError (the policy
 *   "do not deploy what does not verify");
 * - a registry or token service that refuses the credentials or the input → InputError.
 */
const action_kit_1 = __webpack_require__(5092);
const cosign_1 = __webpack_require__(3117);
const registry_1 = __webpack_require__(181);
const oidc_js_1 = __webpack_require__(9169);
exports.SIGSTORE_SERVICE = 'Sigstore (Fulcio, Rekor) or the registry';
exports.OIDC_SERVICE = "the job's GitHub OIDC token service";
function failureOutcome(err) {
    if (err instanceof action_kit_1.ToolError) {
        const c = cosign_1.Cosign.classifyFailure(err.details.stderrTail, { timedOut: err.details.timedOut === true });
        if (c.kind === 'already-exists')
            return { kind: 'already-exists', reason: c.reason };
        return { kind: c.kind, reason: c.reason, error: err };
    }
    if (err instanceof oidc_js_1.OidcError)
        return { kind: err.transient ? 'transient' : 'permanent', reason: err.message, error: err };
    const e = err instanceof Error ? err : new Error(String(err));
    return { kind: 'permanent', reason: e.message, error: e };
}
/** The OIDC token could not be had: the service failing after retries, or a refusal the user can fix. */
function tokenFailure(r) {
    const o = r.outcome;
    const reason = o.kind === 'ok' || o.kind === 'already-exists' ? '' : o.reason;
    const message = `Could not get the job's OIDC token for keyless signing: ${reason}`;
    if (o.kind === 'transient')
        return new action_kit_1.InfraError(message, { service: exports.OIDC_SERVICE, attempts: r.attempts });
    return new action_kit_1.InputError(message, 'mode');
}
/** The registry could not say whether the image exists: refused credentials or TLS are inputs, the rest infrastructure. */
function digestCheckFailure(err, image, host) {
    const message = `Could not confirm that ${image} exists in the registry: ${err.message}. Nothing was signed.`;
    if (err instanceof registry_1.RegistryError) {
        if (err.kind === 'unauthorized' || err.kind === 'denied')
            return new action_kit_1.InputError(message, 'username');
        if (err.kind === 'tls')
            return new action_kit_1.InputError(message, 'ca-file');
        return new action_kit_1.InfraError(message, { service: `registry ${host}`, attempts: err.attempts }, { cause: err });
    }
    return new action_kit_1.InfraError(message, { service: `registry ${host}`, attempts: 1 }, { cause: err });
}
/** Why the retries ended, for the message. */
function why(r) {
    const o = r.outcome;
    if (o.kind === 'ok' || o.kind === 'already-exists')
        return '';
    return o.kind === 'transient' ? (r.gaveUp ?? o.reason) : `${o.reason} (not retried: retrying cannot fix this)`;
}
/** cosign sign did not sign: the message is the report's error; the error is by kind. */
function signFailure(r, message) {
    const o = r.outcome;
    if (o.kind === 'ok' || o.kind === 'already-exists')
        return new Error(`not a failure: ${o.kind}`);
    if (o.kind === 'transient') {
        const service = o.error instanceof oidc_js_1.OidcError ? exports.OIDC_SERVICE : exports.SIGSTORE_SERVICE;
        return new action_kit_1.InfraError(message, { service, attempts: r.attempts }, { cause: o.error });
    }
    if (o.error instanceof action_kit_1.ToolError)
        return new action_kit_1.ToolError(message, o.error.details, { cause: o.error });
    if (o.error instanceof oidc_js_1.OidcError)
        return new action_kit_1.InputError(message, 'mode');
    return o.error;
}
/** What cosign says when a signature does not verify (as opposed to cosign itself failing). */
const NOT_VERIFIED = /none of the expected identities matched|no matching signatures|no matching attestations|no signatures found|MANIFEST_UNKNOWN|manifest unknown/i;
/** cosign verify did not verify: a refusal by policy when the signature does not match, else by kind. */
function verifyFailure(r, message) {
    const o = r.outcome;
    if (o.kind === 'ok' || o.kind === 'already-exists')
        return new Error(`not a failure: ${o.kind}`);
    if (o.kind === 'transient')
        return new action_kit_1.InfraError(message, { service: exports.SIGSTORE_SERVICE, attempts: r.attempts }, { cause: o.error });
    if (o.error instanceof action_kit_1.ToolError && !NOT_VERIFIED.test(o.reason))
        return new action_kit_1.ToolError(message, o.error.details, { cause: o.error });
    return new action_kit_1.GateError(message);
}


/***/ }),

/***/ 7954:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


/**
 * The keyless signing identity, from the job's OIDC token. Pure.
 *
 * Fulcio writes into the certificate's SAN the workflow that *ran*, which GitHub puts in the token's
 * `job_workflow_ref` claim (`owner/repo/.github/workflows/file.yml@ref`):
 * - in a workflow called directly, it equals `workflow_ref` (and GITHUB_WORKFLOW_REF);
 * - in a reusable workflow (`uses: org/polyglot-cd/.github/workflows/production.yml@v1`), it is the
 *   *called* workflow, while `workflow_ref` and GITHUB_WORKFLOW_REF still name the caller's. There is
 *   no environment variable for the called workflow, so the claim is the only exact source.
 * The identity is `<GITHUB_SERVER_URL>/<job_workflow_ref>`, exactly the SAN Fulcio issues
 * (sigstore/fulcio docs/oid-info.md; smallstep/cli#1070 shows the reusable-workflow case).
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.decodeClaims = void 0;
exports.signerIdentity = signerIdentity;
var oidc_token_1 = __webpack_require__(2935);
Object.defineProperty(exports, "decodeClaims", ({ enumerable: true, get: function () { return oidc_token_1.decodeClaims; } }));
function signerIdentity(claims, serverUrl) {
    const jwr = claims.job_workflow_ref;
    if (typeof jwr !== 'string' || !/^[^/\s]+\/[^/\s]+\/\.github\/workflows\/[^@\s]+@\S+$/.test(jwr)) {
        throw new Error(`the job's OIDC token has no usable "job_workflow_ref" claim (${JSON.stringify(jwr ?? null)}); it names the workflow Fulcio certifies`);
    }
    const base = (serverUrl || 'https://github.com').replace(/\/+$/, '');
    const callerWorkflowRef = typeof claims.workflow_ref === 'string' ? claims.workflow_ref : '';
    return {
        identity: `${base}/${jwr}`,
        issuer: claims.iss,
        repository: typeof claims.repository === 'string' ? claims.repository : '',
        reusable: callerWorkflowRef !== '' && callerWorkflowRef !== jwr,
        callerWorkflowRef,
    };
}


/***/ }),

/***/ 2056:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.MIN_COSIGN = void 0;
exports.createRun = createRun;
exports.resolveIdentity = resolveIdentity;
exports.decideTransparencyLog = decideTransparencyLog;
exports.cosignArgs = cosignArgs;
exports.checkDigestExists = checkDigestExists;
exports.installCosign = installCosign;
exports.dockerConfig = dockerConfig;
exports.cosignEnv = cosignEnv;
/**
 * The phases of cosign-sign, each filling in the report: the signing identity, the transparency-log
 * decision, the argv, the digest check, cosign itself, the signature and its verification.
 */
const node_fs_1 = __webpack_require__(3024);
const node_os_1 = __webpack_require__(8161);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const command_runner_1 = __webpack_require__(7988);
const cosign_1 = __webpack_require__(3117);
const http_1 = __webpack_require__(3946);
const tool_installer_1 = __webpack_require__(145);
const context_js_1 = __webpack_require__(5965);
const failures_js_1 = __webpack_require__(1679);
const identity_js_1 = __webpack_require__(7954);
const oidc_js_1 = __webpack_require__(9169);
const retry_js_1 = __webpack_require__(8336);
const tlog_js_1 = __webpack_require__(6458);
exports.MIN_COSIGN = '3.0.0';
function createRun(ctx, i, report, deps) {
    const now = deps.now ?? Date.now;
    return {
        ctx,
        i,
        report,
        deps,
        keyless: i.mode === 'keyless',
        gh: (0, action_kit_1.githubContext)(ctx.env),
        now,
        send: deps.send ?? (0, http_1.createHttpSender)(ctx.env),
        policy: { ...retry_js_1.DEFAULT_POLICY, ...deps.policy, deadline: now() + i.timeoutMs },
        retryDeps: {
            now,
            sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
            random: deps.random ?? Math.random,
            log: ctx.log,
        },
    };
}
/** keyless: the identity from the job's OIDC token, fetched now (with retries) and checked against oidc-issuer. */
async function resolveIdentity(run) {
    if (!run.keyless)
        return {};
    const { ctx, i, report } = run;
    const { log, env, secrets } = ctx;
    const tokens = new oidc_js_1.IdTokenSource({ env, send: run.send, secrets, now: run.now });
    const first = await log.group('Read the signing identity from the job OIDC token', async () => {
        const r = await (0, retry_js_1.withRetries)('OIDC token', async () => tokens.get().then((value) => ({ kind: 'ok', value }), failures_js_1.failureOutcome), run.policy, run.retryDeps);
        if (r.outcome.kind !== 'ok')
            throw (0, failures_js_1.tokenFailure)(r);
        return r.outcome.value;
    });
    let who;
    try {
        who = (0, identity_js_1.signerIdentity)(first.claims, run.gh.serverUrl);
    }
    catch (err) {
        throw new action_kit_1.InputError(`The job's OIDC token cannot be signed with: ${err.message}`, 'mode');
    }
    if (who.issuer !== i.oidcIssuer) {
        throw new action_kit_1.InputError(`Input "oidc-issuer" is ${JSON.stringify(i.oidcIssuer)}, but the job's OIDC token is issued by ${JSON.stringify(who.issuer)} (on GitHub Enterprise Server it is https://<host>/_services/token). Set oidc-issuer to the token's issuer so the verification matches what Fulcio certifies.`, 'oidc-issuer');
    }
    Object.assign(report, {
        identity: who.identity,
        issuer: who.issuer,
        reusable: who.reusable,
        callerWorkflowRef: who.callerWorkflowRef,
    });
    const called = who.reusable ? ` (reusable workflow, called from ${who.callerWorkflowRef})` : '';
    log.info(`Certificate identity: ${who.identity}${called}`);
    log.info(`OIDC issuer: ${who.issuer}`);
    return { tokens, who, first };
}
/** The transparency log: an explicit choice for private repositories on the public Rekor (a policy). */
function decideTransparencyLog(run, id) {
    const { ctx, i, report } = run;
    const tlog = (0, tlog_js_1.decideTlog)({
        setting: i.tlogUpload,
        visibility: (0, context_js_1.visibility)(ctx.env, id.first?.claims.repository_visibility),
        publicRekor: i.rekorUrl === undefined,
        keyless: run.keyless,
        repository: run.gh.repository,
    });
    if (!tlog.ok) {
        const message = `Input "tlog-upload" is ${i.tlogUpload}: ${tlog.reason}`;
        // keyless without a log cannot work (an input error); a private repository on the public Rekor is refused by policy
        throw i.tlogUpload === 'false' ? new action_kit_1.InputError(message, 'tlog-upload') : new action_kit_1.GateError(message);
    }
    if (tlog.warning) {
        report.warnings.push(tlog.warning);
        ctx.log.warning(tlog.warning);
    }
    report.transparencyLog = tlog.upload ? (i.rekorUrl ?? 'rekor.sigstore.dev (public)') : 'none (tlog-upload: false)';
    return tlog.upload;
}
/** The sign and verify argv, with the annotations; the verify command goes into the report. */
function cosignArgs(run, who, upload) {
    const { i, report } = run;
    const annotations = (0, context_js_1.mergeAnnotations)((0, context_js_1.defaultAnnotations)(run.ctx.env), i.annotations);
    report.annotations = annotations;
    const registry = {
        ...(i.caFile ? { caFile: i.caFile } : {}),
        ...(i.insecureRegistries.includes(i.registryHost) ? { insecure: true } : {}),
    };
    const common = {
        ref: i.image,
        ...(i.rekorUrl ? { rekorUrl: i.rekorUrl } : {}),
        tlogUpload: upload,
        ...(i.trustedRoot ? { trustedRoot: i.trustedRoot } : {}),
        registry,
    };
    const verifyArgs = cosign_1.Cosign.verifyArgs({
        ...common,
        ...(run.keyless && who
            ? {
                certificateIdentity: who.identity,
                certificateOidcIssuer: who.issuer,
                ...(who.repository ? { githubWorkflowRepository: who.repository } : {}),
            }
            : { publicKey: i.publicKey?.ref ?? '' }),
    });
    if (i.verify && (run.keyless || i.publicKey))
        report.verifyArgv = verifyArgs;
    const signArgs = cosign_1.Cosign.signArgs({
        ...common,
        ...(i.key ? { key: i.key.ref } : {}),
        annotations,
        ...(i.fulcioUrl ? { fulcioUrl: i.fulcioUrl } : {}),
    });
    return { signArgs, verifyArgs };
}
async function defaultCheckDigest(i, log, sleep) {
    const { manifestDigest } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 181));
    const got = await manifestDigest(i.image, {
        ...(i.username ? { auth: { username: i.username, password: i.password } } : {}),
        ...(i.caFile ? { caFile: i.caFile } : {}),
        insecure: i.insecureRegistries.includes(i.registryHost),
        ...(sleep ? { sleep } : {}),
        log,
    });
    if (got === undefined)
        return { exists: false, detail: `${i.repository} has no manifest ${i.digest} (HTTP 404)` };
    return { exists: got === i.digest, detail: got === i.digest ? 'found' : `the registry answered with ${got}` };
}
/** The digest must exist in the registry before anything is signed: sign only what was pushed. */
async function checkDigestExists(run) {
    const { ctx, i } = run;
    await ctx.log.group(`Check that ${i.digest} exists in ${i.repository}`, async () => {
        const check = run.deps.checkDigest;
        let found;
        try {
            found = check ? await check(i, ctx.log) : await defaultCheckDigest(i, ctx.log, run.deps.sleep);
        }
        catch (err) {
            throw (0, failures_js_1.digestCheckFailure)(err, i.image, i.registryHost);
        }
        if (!found.exists) {
            throw new action_kit_1.InputError(`${i.image} is not in the registry: ${found.detail}. Nothing was signed: sign only what was pushed.`, 'image');
        }
        ctx.log.info(`${i.image}: ${found.detail}`);
    });
}
/** cosign, pinned and verified, and at least 3.x. */
async function installCosign(run) {
    const { ctx, i, report } = run;
    const { log, secrets, env } = ctx;
    const runner = new command_runner_1.CommandRunner({ log, secrets, env });
    const tool = await log.group(`Install cosign ${i.cosignVersion}`, () => (0, tool_installer_1.ensureTool)('cosign', i.cosignVersion, {
        log,
        secrets,
        env,
        ...(i.toolsBaseUrl ? { baseUrl: i.toolsBaseUrl } : {}),
    }));
    const version = await new cosign_1.Cosign(tool.path, runner).version();
    report.cosignVersion = version;
    if (!cosign_1.Cosign.versionSatisfies(version, exports.MIN_COSIGN)) {
        throw new action_kit_1.InputError(`cosign ${version} (from ${tool.source}) is not 3.x: this action drives cosign 3 flags. Pin cosign-version to a 3.x release.`, 'cosign-version');
    }
    return { path: tool.path, runner };
}
/** A 0700 directory with a 0600 Docker config holding the registry credentials, for cosign only. */
function dockerConfig(i, env) {
    if (!i.username)
        return undefined;
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)(env['RUNNER_TEMP'] || (0, node_os_1.tmpdir)(), 'cosign-docker-'));
    const host = i.registryHost === 'docker.io' ? 'https://index.docker.io/v1/' : i.registryHost;
    const auth = Buffer.from(`${i.username}:${i.password}`).toString('base64');
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
    return dir;
}
/** cosign's environment: the Docker config, and never the means to mint more ID tokens. */
function cosignEnv(configDir) {
    return {
        [oidc_js_1.REQUEST_URL_ENV]: undefined,
        [oidc_js_1.REQUEST_TOKEN_ENV]: undefined,
        ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
    };
}


/***/ }),

/***/ 8336:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_POLICY = void 0;
exports.backoffDelay = backoffDelay;
exports.withRetries = withRetries;
exports.fmt = fmt;
exports.DEFAULT_POLICY = {
    baseDelayMs: 5_000,
    maxDelayMs: 60_000,
    maxAttemptMs: 4 * 60_000,
    minAttemptMs: 20_000,
};
/** The delay before attempt n+1 after n failures: base·2^(n-1), capped, with ±25 % jitter. */
function backoffDelay(failures, policy, random) {
    const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.round(raw * (0.75 + 0.5 * random()));
}
async function withRetries(what, attempt, policy, deps) {
    let n = 0;
    for (;;) {
        const left = policy.deadline - deps.now();
        n++;
        const timeoutMs = Math.max(1_000, Math.min(policy.maxAttemptMs, left));
        const outcome = await attempt(n, timeoutMs);
        if (outcome.kind !== 'transient')
            return { outcome, attempts: n };
        const delay = backoffDelay(n, policy, deps.random);
        const remaining = policy.deadline - deps.now();
        if (remaining - delay < policy.minAttemptMs) {
            const gaveUp = `${what}: attempt ${n} failed (${outcome.reason}); not retrying: ${fmt(Math.max(0, remaining))} of the time budget left, a retry needs ${fmt(delay)} of backoff plus at least ${fmt(policy.minAttemptMs)}`;
            deps.log.warning(gaveUp);
            return { outcome, attempts: n, gaveUp };
        }
        deps.log.warning(`${what}: attempt ${n} failed with a transient error (${outcome.reason}); retrying in ${fmt(delay)}`);
        await deps.sleep(delay);
    }
}
function fmt(ms) {
    if (ms >= 60_000) {
        const m = Math.floor(ms / 60_000);
        const s = Math.round((ms % 60_000) / 1000);
        return s ? `${m}m${s}s` : `${m}m`;
    }
    return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}


/***/ }),

/***/ 6515:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.run = run;
/**
 * cosign-sign's run, loaded only once the inputs are valid (the bundle's cold start stays small).
 */
const node_fs_1 = __webpack_require__(3024);
const phases_js_1 = __webpack_require__(2056);
const retry_js_1 = __webpack_require__(8336);
const sign_js_1 = __webpack_require__(5621);
/**
 * cosign-sign's phases, in order: the identity (keyless: the job's OIDC token) or the keys; the
 * transparency-log decision; the digest check and cosign itself; the signature; its verification.
 */
async function run(ctx, i, report, deps) {
    report.image = i.image;
    report.mode = i.mode;
    const signRun = (0, phases_js_1.createRun)(ctx, i, report, deps);
    // identity and keys
    const id = await (0, phases_js_1.resolveIdentity)(signRun);
    // the transparency log, and the argv it shapes
    const upload = (0, phases_js_1.decideTransparencyLog)(signRun, id);
    const { signArgs, verifyArgs } = (0, phases_js_1.cosignArgs)(signRun, id.who, upload);
    // only what was pushed is signed, by a pinned cosign 3
    await (0, phases_js_1.checkDigestExists)(signRun);
    const tool = await (0, phases_js_1.installCosign)(signRun);
    const configDir = (0, phases_js_1.dockerConfig)(i, ctx.env);
    try {
        const cosign = { ...tool, env: (0, phases_js_1.cosignEnv)(configDir) };
        // sign the image, then verify it as a cluster will
        await (0, sign_js_1.signImage)(signRun, cosign, id.tokens, signArgs, upload);
        await (0, sign_js_1.verifyImage)(signRun, cosign, verifyArgs);
    }
    finally {
        if (configDir)
            (0, node_fs_1.rmSync)(configDir, { recursive: true, force: true });
    }
    ctx.log.info(`Done within the ${(0, retry_js_1.fmt)(i.timeoutMs)} budget`);
}


/***/ }),

/***/ 5621:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.signImage = signImage;
exports.verifyImage = verifyImage;
const cosign_1 = __webpack_require__(3117);
const failures_js_1 = __webpack_require__(1679);
const retry_js_1 = __webpack_require__(8336);
/** Signs the image; fills in the report (signed, signature, attempts) or throws by the failure's kind. */
async function signImage(run, cosign, tokens, signArgs, upload) {
    const { ctx, i, report } = run;
    const { log } = ctx;
    const attempt = async (n, timeoutMs) => {
        try {
            const childEnv = { ...cosign.env };
            if (tokens)
                childEnv['SIGSTORE_ID_TOKEN'] = (await tokens.get(Math.min(timeoutMs, 5 * 60_000))).token;
            if (!run.keyless)
                childEnv['COSIGN_PASSWORD'] = i.keyPassword;
            log.info(`Attempt ${n}: cosign ${cosign.runner.display('cosign', signArgs).slice(1).join(' ')}`);
            const r = await cosign.runner.run(cosign.path, signArgs, { env: childEnv, timeoutMs, tool: 'cosign' });
            return { kind: 'ok', value: r.stdout + r.stderr };
        }
        catch (err) {
            return (0, failures_js_1.failureOutcome)(err);
        }
    };
    const signed = await log.group(`Sign ${i.image} (${i.mode})`, () => (0, retry_js_1.withRetries)('cosign sign', attempt, run.policy, run.retryDeps));
    report.signAttempts = signed.attempts;
    const o = signed.outcome;
    if (o.kind === 'ok') {
        report.signed = 'signed';
        // cosign 3.1 names only the repository it pushed the signature bundle to: say what in it
        const where = cosign_1.Cosign.parseSignatureLocation(o.value);
        report.signature =
            where && /@sha256:|:sha256-/.test(where) ? where : `${where ?? i.repository} (OCI referrer of ${i.digest})`;
        const index = cosign_1.Cosign.parseTlogIndex(o.value);
        if (index && upload)
            report.transparencyLog += `, entry ${index}`;
        log.info(`Signed ${i.image} in ${signed.attempts} attempt(s); signature at ${report.signature}`);
    }
    else if (o.kind === 'already-exists') {
        report.signed = 'already-in-log';
        report.signature = `${i.repository} (OCI referrer of ${i.digest})`;
        const note = `Rekor already has an equivalent entry (${o.reason}): counted as signed${i.verify ? '; the verification below proves the signature is in the registry' : '. verify is off, so nothing checked that the signature reached the registry'}.`;
        if (!i.verify)
            report.warnings.push(note);
        log.notice(note);
    }
    else {
        report.signed = 'no';
        report.error = `cosign sign failed after ${signed.attempts} attempt(s): ${(0, failures_js_1.why)(signed)}`;
        throw (0, failures_js_1.signFailure)(signed, `${report.error}. ${i.image} is NOT signed.`);
    }
}
/** Verifies the same digest with the same identity a cluster will check (skipped without verify or a public key). */
async function verifyImage(run, cosign, verifyArgs) {
    const { ctx, i, report } = run;
    const { log } = ctx;
    if (!i.verify || (!run.keyless && !i.publicKey)) {
        report.verified = 'skipped';
        return;
    }
    const attempt = async (n, timeoutMs) => {
        try {
            log.info(`Attempt ${n}: cosign ${cosign.runner.display('cosign', verifyArgs).slice(1).join(' ')}`);
            const r = await cosign.runner.run(cosign.path, verifyArgs, { env: cosign.env, timeoutMs, tool: 'cosign' });
            return { kind: 'ok', value: cosign_1.Cosign.parseVerifyOutput(r.stdout, i.digest) };
        }
        catch (err) {
            const o = (0, failures_js_1.failureOutcome)(err);
            return o.kind === 'already-exists' ? { kind: 'permanent', reason: o.reason, error: new Error(o.reason) } : o;
        }
    };
    const verified = await log.group(`Verify ${i.image}`, () => (0, retry_js_1.withRetries)('cosign verify', attempt, run.policy, run.retryDeps));
    report.verifyAttempts = verified.attempts;
    const o = verified.outcome;
    if (o.kind !== 'ok') {
        report.verified = 'no';
        const reason = o.kind === 'transient' ? (verified.gaveUp ?? o.reason) : o.kind === 'permanent' ? o.reason : '';
        report.error = `cosign verify failed after ${verified.attempts} attempt(s): ${reason}`;
        throw (0, failures_js_1.verifyFailure)(verified, `${report.error}. Do not promote or deploy ${i.image}.`);
    }
    report.verified = 'yes';
    log.info(`Verified ${o.value.length} signature(s) on ${i.digest}${run.keyless ? ` for ${report.identity}` : ''}`);
}


/***/ }),

/***/ 6458:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.decideTlog = decideTlog;
function decideTlog(o) {
    if (o.setting === 'false') {
        if (o.keyless) {
            return {
                ok: false,
                reason: 'keyless signing needs a transparency log: the Fulcio certificate is valid for ten minutes, and only the log entry proves the signature was made while it was valid. Use mode: key with tlog-upload: false, or an on-prem Rekor (rekor-url)',
            };
        }
        return { ok: true, upload: false };
    }
    if (!o.publicRekor)
        return { ok: true, upload: true };
    const name = o.repository || 'this repository';
    const leak = `the public transparency log (rekor.sigstore.dev) records ${o.keyless ? 'the repository name, the workflow path and ref, the commit SHA and ' : ''}the image digest of ${name}, publicly and permanently`;
    if (o.visibility === 'private' || o.visibility === 'internal') {
        if (o.setting === 'auto') {
            return {
                ok: false,
                reason: `${name} is ${o.visibility}, and ${leak}. Choose explicitly: set tlog-upload: true to accept that, point rekor-url (and fulcio-url) at an on-prem Sigstore, or sign with mode: key and tlog-upload: false`,
            };
        }
        return { ok: true, upload: true, warning: `tlog-upload is true for a ${o.visibility} repository: ${leak}.` };
    }
    if (o.visibility === 'unknown') {
        return {
            ok: true,
            upload: true,
            warning: `The repository's visibility is unknown; ${leak}. Set tlog-upload explicitly to silence this.`,
        };
    }
    return { ok: true, upload: true };
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

/***/ 3117:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Cosign = exports.shellQuote = exports.PUBLIC_REKOR_URL = exports.PUBLIC_FULCIO_URL = exports.GITHUB_OIDC_ISSUER = void 0;
const version_range_js_1 = __webpack_require__(9676);
var sigstore_js_1 = __webpack_require__(2380);
Object.defineProperty(exports, "GITHUB_OIDC_ISSUER", ({ enumerable: true, get: function () { return sigstore_js_1.GITHUB_OIDC_ISSUER; } }));
Object.defineProperty(exports, "PUBLIC_FULCIO_URL", ({ enumerable: true, get: function () { return sigstore_js_1.PUBLIC_FULCIO_URL; } }));
Object.defineProperty(exports, "PUBLIC_REKOR_URL", ({ enumerable: true, get: function () { return sigstore_js_1.PUBLIC_REKOR_URL; } }));
Object.defineProperty(exports, "shellQuote", ({ enumerable: true, get: function () { return sigstore_js_1.shellQuote; } }));
/** Rekor 409: an equivalent entry is already in the log (sigstore/cosign#4851, mongodb-atlas-kubernetes#2843). */
const ALREADY_EXISTS = [/createLogEntryConflict/i, /equivalent entry already exists in the transparency log/i];
/** Faults worth retrying: 5xx and 429 from Fulcio/Rekor/TUF/registry, timeouts, resets (SECURITY.md T30). */
const TRANSIENT = [
    /\b(?:status|returned|code)[: ]+5\d\d\b/i,
    /\b5\d\d (?:Bad Gateway|Service Unavailable|Gateway Time-?out|Internal Server Error)\b/i,
    /\[5\d\d\]/,
    /\b429\b|TOOMANYREQUESTS|Too Many Requests/i,
    /giving up after \d+ attempt/i,
    /context deadline exceeded/i,
    /i\/o timeout/i,
    /TLS handshake timeout/i,
    /connection reset by peer/i,
    /connection refused/i,
    /unexpected EOF|: EOF\s*$/im,
    /network timeout|Client\.Timeout exceeded/i,
    /server misbehaving/i,
];
/** A TUF mirror answering 403 during an outage (SECURITY.md T30, projectbluefin/bluefin#60) is transient. */
const TUF_OUTAGE = [/\btuf\b.*(?:\b403\b|forbidden)|(?:\b403\b|forbidden).*\btuf\b/i];
/** Failures that retrying cannot fix, even when a transient-looking phrase appears alongside. */
const PERMANENT = [
    /no such host/i,
    /\b(?:401|403)\b|UNAUTHORIZED|DENIED|forbidden/i,
    /none of the expected identities matched/i,
    /no matching signatures/i,
    // cosign 3.1: a bundle signed by another key / for another digest, and an image never signed
    /no matching attestations/i,
    /no signatures found/i,
    /decrypt|incorrect password|invalid key/i,
    /MANIFEST_UNKNOWN|manifest unknown/i,
];
function firstMatch(text, patterns) {
    for (const line of text.split(/\r?\n/)) {
        if (patterns.some((p) => p.test(line)))
            return line.trim();
    }
    return undefined;
}
function registryFlags(r) {
    const out = [];
    if (r?.caFile)
        out.push('--registry-cacert', r.caFile);
    if (r?.insecure)
        out.push('--allow-insecure-registry', '--allow-http-registry');
    return out;
}
function assertPositional(name, value) {
    if (value === '' || value.startsWith('-'))
        throw new Error(`cosign: ${name} ${JSON.stringify(value)} must not be empty or start with "-"`);
}
class Cosign {
    path;
    #runner;
    constructor(path, runner) {
        this.path = path;
        this.#runner = runner;
    }
    static signArgs(o) {
        assertPositional('reference', o.ref);
        const args = ['sign', '--yes'];
        if (o.key !== undefined) {
            assertPositional('key', o.key);
            args.push('--key', o.key);
        }
        const tlog = o.tlogUpload ?? true;
        if (o.fulcioUrl !== undefined || o.rekorUrl !== undefined || !tlog)
            args.push('--use-signing-config=false');
        if (o.fulcioUrl !== undefined && o.key === undefined)
            args.push('--fulcio-url', o.fulcioUrl);
        if (o.rekorUrl !== undefined && tlog)
            args.push('--rekor-url', o.rekorUrl);
        if (!tlog)
            args.push('--tlog-upload=false');
        if (o.trustedRoot)
            args.push('--trusted-root', o.trustedRoot);
        for (const [k, v] of o.annotations ?? [])
            args.push('-a', `${k}=${v}`);
        args.push(...registryFlags(o.registry));
        args.push('--', o.ref);
        return args;
    }
    static verifyArgs(o) {
        assertPositional('reference', o.ref);
        const args = ['verify'];
        if (o.publicKey !== undefined) {
            assertPositional('public key', o.publicKey);
            args.push('--key', o.publicKey);
        }
        else {
            if (!o.certificateIdentity || !o.certificateOidcIssuer) {
                throw new Error('cosign verify: keyless verification needs an exact certificate identity and OIDC issuer');
            }
            args.push('--certificate-identity', o.certificateIdentity, '--certificate-oidc-issuer', o.certificateOidcIssuer);
            if (o.githubWorkflowRepository)
                args.push('--certificate-github-workflow-repository', o.githubWorkflowRepository);
        }
        const tlog = o.tlogUpload ?? true;
        if (o.rekorUrl !== undefined && tlog)
            args.push('--rekor-url', o.rekorUrl);
        if (!tlog)
            args.push('--insecure-ignore-tlog=true');
        if (o.trustedRoot)
            args.push('--trusted-root', o.trustedRoot);
        args.push(...registryFlags(o.registry));
        args.push('--', o.ref);
        return args;
    }
    /**
     * `cosign verify` prints one JSON array of verified signature payloads on stdout (simple-signing
     * "critical" + "optional"); the human-readable check list goes to stderr. Every entry must name
     * `digest`, or the signature is for something else.
     */
    static parseVerifyOutput(stdout, digest) {
        const start = stdout.indexOf('[');
        if (start < 0)
            throw new Error('cosign verify printed no JSON array of verified signatures');
        let parsed;
        try {
            parsed = JSON.parse(stdout.slice(start));
        }
        catch (err) {
            throw new Error(`cosign verify printed JSON that does not parse: ${err.message}`);
        }
        if (!Array.isArray(parsed) || parsed.length === 0)
            throw new Error('cosign verify reported no verified signatures');
        return parsed.map((entry, i) => {
            const e = entry;
            const got = e.critical?.image?.['docker-manifest-digest'] ?? '';
            if (got !== digest)
                throw new Error(`cosign verify: signature ${i + 1} is for ${got || 'no digest'}, not ${digest}`);
            return {
                dockerReference: e.critical?.identity?.['docker-reference'] ?? '',
                digest: got,
                type: e.critical?.type ?? '',
                optional: e.optional ?? {},
            };
        });
    }
    /**
     * Where cosign says it stored the signature: `Uploading signature for [img] to [loc]` (OCI 1.1
     * referrer, sigstore/cosign#5033) or `Pushing signature to: <repo>` (every 2.x/3.x keyless sign,
     * dependabot/dependabot-core#9571). Undefined when it said neither.
     */
    static parseSignatureLocation(output) {
        const upload = /Uploading signature for \[[^\]]+\] to \[([^\]]+)\]/.exec(output);
        if (upload?.[1])
            return upload[1];
        const push = /^Pushing signature to: (\S+)/m.exec(output);
        return push?.[1];
    }
    /** `tlog entry created with index: N` */
    static parseTlogIndex(output) {
        return /tlog entry created with index:\s*(\d+)/.exec(output)?.[1];
    }
    /** Decides what a failed cosign run means, from its stderr (and whether our own timeout fired). */
    static classifyFailure(stderr, opts = {}) {
        const exists = firstMatch(stderr, ALREADY_EXISTS);
        if (exists)
            return { kind: 'already-exists', reason: exists };
        if (opts.timedOut)
            return { kind: 'transient', reason: 'cosign did not finish within the attempt timeout' };
        const tuf = firstMatch(stderr, TUF_OUTAGE);
        if (tuf)
            return { kind: 'transient', reason: tuf };
        const permanent = firstMatch(stderr, PERMANENT);
        if (permanent)
            return { kind: 'permanent', reason: permanent };
        const transient = firstMatch(stderr, TRANSIENT);
        if (transient)
            return { kind: 'transient', reason: transient };
        const last = stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? 'no error output';
        return { kind: 'permanent', reason: last.trim() };
    }
    /** `cosign version --json` → `3.1.3` (its gitVersion, without the v). */
    static parseVersion(output) {
        const start = output.indexOf('{');
        if (start >= 0) {
            try {
                const v = JSON.parse(output.slice(start)).gitVersion;
                if (v)
                    return v.replace(/^v/, '');
            }
            catch {
                // fall through to the text form
            }
        }
        const m = /GitVersion:\s*v?(\S+)/.exec(output);
        if (m?.[1])
            return m[1];
        throw new Error(`cannot read a cosign version from: ${output.trim().slice(0, 200)}`);
    }
    /** `major` matches and the version is at least `min` (x.y.z, pre-release suffix ignored). */
    static versionSatisfies(version, min) {
        return (0, version_range_js_1.sameMajorAtLeast)(version, min);
    }
    async version() {
        const r = await this.#runner.run(this.path, ['version', '--json'], { tool: 'cosign', timeoutMs: 30_000 });
        return Cosign.parseVersion(r.stdout + r.stderr);
    }
}
exports.Cosign = Cosign;


/***/ }),

/***/ 6337:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RegistryError = void 0;
exports.parseImageRef = parseImageRef;
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
    const { HttpClient } = await __webpack_require__.e(/* import() */ 920).then(__webpack_require__.bind(__webpack_require__, 2920));
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
