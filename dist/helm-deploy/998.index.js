export const id = 998;
export const ids = [998];
export const modules = {

/***/ 7492:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.renderCheck = renderCheck;
exports.verifySignatures = verifySignatures;
exports.claimOrder = claimOrder;
/**
 * The checks before anything is deployed: the chart renders with the values (render check), every
 * image's signature verifies (verify-signatures), and this run is not older than the deployed one
 * (ordering). The last two are policies: a refusal is a GateError.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const kube_1 = __webpack_require__(3234);
const command_runner_1 = __webpack_require__(7988);
const cosign_1 = __webpack_require__(3117);
const helm_1 = __webpack_require__(2366);
const tool_installer_1 = __webpack_require__(145);
const namespace_js_1 = __webpack_require__(9922);
const values_js_1 = __webpack_require__(1891);
/**
 * `helm template` with the values the upgrade will use (every values file, the `values` input, the
 * images and the workflow's pod-security level last). A render the chart refuses (its schema or its
 * checks, e.g. security.podSecurity) is an input error; helm failing for another reason (an oci://
 * chart it cannot fetch yet) is left to the upgrade, which reports it.
 */
async function renderCheck(helm, inp, files, userValues) {
    const file = (0, node_path_1.join)(files.work, 'values.render-check.json');
    const values = (0, values_js_1.mergeValues)((0, values_js_1.generatedValues)(userValues, inp.images, inp.ingressHost || undefined), {
        security: { podSecurity: inp.podSecurity },
    });
    (0, node_fs_1.writeFileSync)(file, JSON.stringify(values), { mode: 0o600 });
    try {
        await helm.run(helm_1.Helm.templateArgs({
            release: inp.release,
            chart: files.chart,
            namespace: inp.namespace,
            chartVersion: inp.chartVersion || undefined,
            valuesFiles: [...files.valuesFiles, file],
        }), { timeoutMs: 120_000 });
    }
    catch (err) {
        const tail = err instanceof action_kit_1.ToolError ? err.details.stderrTail : '';
        const refused = /execution error at \([^)]*\): (.*)|(values don't meet the specifications of the schema[\s\S]*)/.exec(tail);
        if (refused) {
            throw new action_kit_1.InputError(`The chart refuses these values (nothing was created): ${(refused[1] ?? refused[2] ?? '').trim()}`, inp.valuesFiles.length > 0 ? 'values-files' : 'values');
        }
    }
}
/** The arguments of `cosign verify` for one image: by public key, or by keyless identity and issuer. */
function verifyArgs(v, ref, host, publicKey) {
    return cosign_1.Cosign.verifyArgs({
        ref,
        ...(publicKey
            ? { publicKey }
            : { certificateIdentity: v.certificateIdentity, certificateOidcIssuer: v.certificateOidcIssuer }),
        tlogUpload: v.tlog,
        registry: { insecure: v.insecureRegistries.includes(host) },
    });
}
/**
 * `cosign verify` of every image, by digest, against the workflow's public key or exact keyless
 * identity and issuer, before anything is created. One that does not verify stops the deploy.
 * Returns one line per image for the summary.
 */
async function verifySignatures(ctx, inp, work) {
    const v = inp.verify;
    const { log, secrets, env } = ctx;
    const tool = await (0, tool_installer_1.ensureTool)('cosign', v.cosignVersion, {
        log,
        secrets,
        env,
        baseUrl: inp.toolsBaseUrl || undefined,
    });
    const runner = new command_runner_1.CommandRunner({ log, secrets, env });
    let publicKey;
    if (v.publicKey) {
        publicKey = (0, node_path_1.join)(work, 'verify.pub');
        (0, node_fs_1.writeFileSync)(publicKey, `${v.publicKey.trim()}\n`, { mode: 0o600 });
    }
    const against = publicKey
        ? 'the verify-key public key'
        : `identity ${v.certificateIdentity} (issuer ${v.certificateOidcIssuer})`;
    const lines = [];
    for (const img of inp.images) {
        const args = verifyArgs(v, img.ref, img.repository.split('/')[0] ?? '', publicKey);
        let why = '';
        try {
            const res = await runner.run(tool.path, args, { tool: 'cosign', timeoutMs: 120_000 });
            const sigs = cosign_1.Cosign.parseVerifyOutput(res.stdout, img.digest);
            const line = `${img.component}: ${sigs.length} signature(s) verified against ${against}${v.tlog ? '' : ' (transparency log not checked)'}`;
            log.info(line);
            lines.push(line);
            continue;
        }
        catch (err) {
            if (err instanceof action_kit_1.ToolError && err.details.cancelled)
                throw err;
            why = err instanceof action_kit_1.ToolError ? cosign_1.Cosign.classifyFailure(err.details.stderrTail).reason : err.message;
        }
        throw new action_kit_1.GateError(`Image ${img.ref} (${img.component}) is not deployed: its signature does not verify against ${against}: ${why}. Nothing was created.`);
    }
    return lines;
}
/** The summary's line for a claimed order. */
function orderLine(run, previousRun) {
    const after = previousRun === undefined
        ? ' (first recorded)'
        : previousRun === run.runNumber
            ? ' (again: a re-run or a later step of the same run)'
            : ` (after run #${previousRun})`;
    return `run #${run.runNumber} of ${run.workflow}${after}`;
}
/**
 * Claims the release for this run (packages/kube/src/deploy-order.ts); a run older than the newest of
 * its workflow is refused by policy (GateError) before anything is deployed. Outside a GitHub run
 * (no GITHUB_RUN_NUMBER) nothing is checked, and the summary says so.
 */
async function claimOrder(ctx, inp, conn, kubeConfigLoader) {
    const run = inp.orderRun;
    if (!run) {
        ctx.log.info('GITHUB_RUN_NUMBER is not set (not a GitHub Actions run): the deploy order is not checked');
        return 'not checked (no GITHUB_RUN_NUMBER)';
    }
    const api = conn ? (0, kube_1.restOrderApi)(conn) : await (0, kube_1.clientNodeOrderApi)(await kubeConfigLoader());
    try {
        const { previousRun } = await (0, kube_1.claimDeployOrder)(api, inp.namespace, inp.release, run);
        const line = orderLine(run, previousRun);
        ctx.log.info(`deploy order: ${line}`);
        return line;
    }
    catch (err) {
        if (err instanceof kube_1.OlderRunError)
            throw new action_kit_1.GateError(`Not deployed: ${err.message}. Nothing was changed.`);
        if ((0, namespace_js_1.isApiFailure)(err) || /concurrent updates in a row/.test(err.message))
            throw new action_kit_1.InfraError(`Could not record the deploy order: ${err.message}`, { service: 'cluster' }, { cause: err });
        throw err;
    }
}


/***/ }),

/***/ 7998:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.deploy = deploy;
/**
 * helm-deploy's deploy, loaded only once the inputs are valid (the bundle's cold start stays small):
 * local checks, cluster, helm and namespace, order, canary plan, upgrade (attempt, recover, on
 * failure), report, verify.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const kube_1 = __webpack_require__(3234);
const helm_1 = __webpack_require__(2366);
const canary_js_1 = __webpack_require__(4229);
const checks_js_1 = __webpack_require__(7492);
const cluster_js_1 = __webpack_require__(3511);
const env_js_1 = __webpack_require__(5594);
const helm_test_js_1 = __webpack_require__(9802);
const http_checks_js_1 = __webpack_require__(4515);
const install_js_1 = __webpack_require__(7062);
const manifest_js_1 = __webpack_require__(3704);
const namespace_js_1 = __webpack_require__(9922);
const pull_secret_js_1 = __webpack_require__(1547);
const upgrade_js_1 = __webpack_require__(7705);
const values_js_1 = __webpack_require__(1891);
const yaml_js_1 = __webpack_require__(3770);
/** A values file as a mapping ({} when it cannot be read or is not one: helm reports that itself). */
function valuesFileMapping(path, load) {
    try {
        const v = load((0, node_fs_1.readFileSync)(path, 'utf8'));
        return (0, values_js_1.isMapping)(v) ? v : {};
    }
    catch {
        return {};
    }
}
/** Everything that can be checked without the cluster is checked before it is contacted. */
async function localChecks(ctx, inp, gh, deps) {
    const { load, loadAll } = await (0, yaml_js_1.yamlLoaders)();
    const userValues = (0, yaml_js_1.parseValuesInput)(inp.valuesYaml, load);
    const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
    const valuesFiles = (0, env_js_1.valuesFilePaths)(inp.valuesFiles, workspace);
    const chart = inp.chart === '' ? (deps.defaultChart ?? (0, env_js_1.bundledChart)()) : (0, env_js_1.chartReference)(inp.chart, workspace);
    if (inp.pr !== undefined && inp.createNamespace && !inp.dryRun && !kube_1.REPOSITORY_ID_RE.test(gh.repositoryId)) {
        throw new action_kit_1.InputError('GITHUB_REPOSITORY_ID is not set: a PR namespace is labelled with it so that pr-namespace-cleanup can prove ownership', 'pr-number');
    }
    const layers = [...valuesFiles.map((f) => valuesFileMapping(f, load)), userValues];
    const ingressHost = (0, values_js_1.prIngressHost)(inp.ingressHost, inp.chart === '', layers);
    return { userValues, ingressHost, valuesFiles, chart, loadAll };
}
/**
 * helm; then, before anything exists in the cluster, the render check (values a pull request may not
 * use are refused) and the signatures; then the namespace, whose log lines are replayed after.
 */
async function prepare(ctx, inp, report, o) {
    const { log } = ctx;
    const { cluster, files, local } = o;
    const env = (0, install_js_1.helmEnvOf)(ctx, inp, cluster, files);
    const nsLog = new action_kit_1.MemoryLogger();
    const installedP = (0, install_js_1.locateHelm)(ctx, inp);
    const helmP = installedP.then((installed) => (0, install_js_1.openHelm)(ctx, installed, env));
    // the render check needs no version-specific flag: it runs while helm is asked its version
    const renderP = installedP.then(async (installed) => {
        if (!inp.dryRun && inp.createNamespace)
            await (0, checks_js_1.renderCheck)((0, install_js_1.helmCommand)(ctx, installed, env), { ...inp, ingressHost: local.ingressHost }, { chart: local.chart, valuesFiles: local.valuesFiles, work: files.work }, local.userValues);
    });
    const nsP = Promise.all([helmP, renderP]).then(async () => {
        if (inp.verify)
            report.signatures = await log.group('Verify image signatures (cosign)', () => (0, checks_js_1.verifySignatures)(ctx, inp, files.work));
        return (0, namespace_js_1.ensureDeployNamespace)(inp, o.gh, {
            api: async () => cluster.conn ? (0, kube_1.restNamespaceApi)(cluster.conn) : (0, kube_1.clientNodeNamespaceApi)(await cluster.kubeConfigLoader()),
            kubeConfig: cluster.kubeConfigLoader,
            now: o.now,
            log: (l) => nsLog.info(l),
            sleep: o.deps.sleep,
        });
    });
    const [helmResult, nsResult] = await Promise.allSettled([helmP, nsP]);
    await log.group(`Namespace ${inp.namespace}`, async () => {
        for (const l of nsLog.lines)
            log.info(l.message);
        if (nsResult.status === 'fulfilled')
            log.info(`namespace ${inp.namespace}: ${nsResult.value}`);
    });
    if (helmResult.status === 'rejected')
        throw helmResult.reason;
    if (nsResult.status === 'rejected')
        throw nsResult.reason;
    report.namespaceOutcome = nsResult.value;
    const { installed, helm } = helmResult.value;
    report.helm = `${helm.version.raw} (${installed.source})`;
    log.info(`helm ${helm.version.raw} (Helm ${helm.major} flags: ${helm_1.Helm.waitFlag(helm.major)}${inp.rollbackOnFailure ? ` ${helm_1.Helm.rollbackOnFailureFlag(helm.major)}` : ''}); API server ${cluster.access.host} (${cluster.access.source}, ${cluster.access.authMethod})`);
    return helmResult.value;
}
/** The canary plan: the stable track keeps what the last deployed revision runs. */
async function canaryPhase(ctx, inp, helm, report) {
    const { log } = ctx;
    const canaryRef = inp.images.find((i) => i.component === inp.canaryComponent)?.ref;
    const plan = await log.group(`Canary of ${inp.canaryComponent} at ${inp.canaryWeight} %: read the stable images of ${inp.release}`, async () => {
        const good = helm_1.Helm.lastGoodRevision(await helm.history(inp.release, inp.namespace));
        const deployed = good ? await helm.values(inp.release, inp.namespace, good.revision) : undefined;
        let p;
        try {
            p = (0, canary_js_1.planCanary)(deployed, inp.images, { component: inp.canaryComponent, weight: inp.canaryWeight });
        }
        catch (err) {
            // the canary policy refuses it (the deployed release can't be kept as the stable track by digest)
            if (err instanceof canary_js_1.CanaryError)
                throw new action_kit_1.GateError(`No canary deployed: ${err.message}`);
            throw err;
        }
        for (const i of p.stable)
            log.info(`stable ${i.component}: ${i.ref}${good ? '' : ' (new)'}`);
        if (p.deployed)
            log.info(`canary ${inp.canaryComponent}: ${canaryRef} with ${inp.canaryWeight} % of its requests`);
        else
            log.notice(`No canary: ${p.reason}`);
        return p;
    });
    report.canary = plan.deployed
        ? `${inp.canaryComponent} ${canaryRef} at ${inp.canaryWeight} % of its requests`
        : `none: ${plan.reason}`;
    report.images = plan.stable;
    return plan;
}
/** The upgrade's options, with the generated values file (the workflow's pod-security level goes last). */
function upgradeOptions(inp, gh, local, plan, work) {
    const images = plan ? plan.stable : inp.images;
    const pullSecret = inp.pullSecret ? (0, pull_secret_js_1.pullSecretName)(inp.release) : undefined;
    let generated = (0, values_js_1.mergeValues)((0, values_js_1.generatedValues)(local.userValues, images, local.ingressHost || undefined, pullSecret), {
        security: { podSecurity: inp.podSecurity },
    });
    if (plan)
        generated = (0, values_js_1.mergeValues)(generated, { canary: plan.canary });
    const generatedFile = (0, node_path_1.join)(work, 'values.generated.json');
    (0, node_fs_1.writeFileSync)(generatedFile, JSON.stringify(generated, null, 2), { mode: 0o600 });
    return {
        release: inp.release,
        chart: local.chart,
        namespace: inp.namespace,
        chartVersion: inp.chartVersion || undefined,
        valuesFiles: [...local.valuesFiles, generatedFile],
        timeoutSeconds: Math.ceil(inp.timeoutMs / 1000),
        historyMax: inp.historyMax,
        rollbackOnFailure: inp.rollbackOnFailure,
        wait: true,
        description: gh.sha ? `polyglot-cd ${gh.shortSha}${gh.runId ? ` run ${gh.runId}` : ''}` : undefined,
    };
}
/** The report of a deployed release. */
function reportDeployed(ctx, report, release, o) {
    report.status = release.status;
    report.revision = release.revision;
    report.chartVersion = release.chartVersion;
    report.chartName = release.chartName;
    report.url = (0, manifest_js_1.ingressUrl)(release.manifest, o.loadAll);
    report.durationMs = o.durationMs;
    report.deployed = { canary: o.canary, stableImages: o.stableImages };
    ctx.log.info(`Release ${release.name} revision ${release.revision} is ${release.status}${report.url ? `: ${report.url}` : ''}`);
}
function startReport(report, inp) {
    report.release = inp.release;
    report.namespace = inp.namespace;
    report.chart = inp.chart || 'charts/app (bundled)';
    report.images = inp.images;
    report.dryRun = inp.dryRun;
}
/** The HTTP checks through the API server (input checks), then helm test (helm-test). */
async function verifyPhase(ctx, inp, report, o) {
    const { helm, release, cluster, now } = o;
    const canary = o.plan?.deployed === true;
    if (inp.checks.length > 0) {
        const fullnameOverride = o.local.userValues['fullnameOverride'];
        await (0, http_checks_js_1.verifyDeployment)({
            ...{ ctx, inp, report, helm, release, now, sleep: o.deps.sleep, canary },
            prober: () => (0, http_checks_js_1.proberOf)(cluster.conn, cluster.kubeConfigLoader),
            fullnameOverride: typeof fullnameOverride === 'string' ? fullnameOverride : '',
        });
    }
    if (inp.helmTest)
        await (0, helm_test_js_1.helmTestPhase)({ ctx, inp, report, helm, release, canary, now });
}
async function deploy(ctx, inp, report, deps) {
    const { log } = ctx;
    const now = deps.now ?? Date.now;
    const started = now();
    const gh = (0, action_kit_1.githubContext)(ctx.env);
    startReport(report, inp);
    const local = await localChecks(ctx, inp, gh, deps);
    // ---- cluster
    const cluster = await (0, cluster_js_1.clusterAccess)(inp, ctx, deps);
    report.apiHost = cluster.access.host;
    const files = (0, cluster_js_1.createFiles)(ctx, cluster);
    try {
        // ---- helm, render check, signatures, namespace
        const { helm, installed, env } = await prepare(ctx, inp, report, { local, cluster, files, gh, deps, now });
        // ---- order: an older run of this workflow never overwrites a newer one
        if (!inp.dryRun && inp.ordering === 'run-number') {
            report.order = await log.group(`Deploy order of ${inp.release} in ${inp.namespace}`, () => (0, checks_js_1.claimOrder)(ctx, inp, cluster.conn, cluster.kubeConfigLoader));
        }
        // ---- image pull secret (registry credentials): created or updated before the upgrade uses it
        if (inp.pullSecret && !inp.dryRun) {
            const o = { ...inp, pullSecret: inp.pullSecret, conn: cluster.conn, kubeConfig: cluster.kubeConfigLoader };
            await log.group(`Image pull secret in ${inp.namespace}`, () => (0, pull_secret_js_1.applyPullSecret)(ctx, o));
        }
        // ---- canary plan
        const plan = inp.canaryWeight > 0 ? await canaryPhase(ctx, inp, helm, report) : undefined;
        const opts = upgradeOptions(inp, gh, local, plan, files.work);
        if (inp.dryRun)
            return await (0, upgrade_js_1.dryRun)(ctx, helm, opts, report, local.loadAll);
        // ---- upgrade: attempt, recover, on failure
        const release = await (0, upgrade_js_1.upgrade)({
            ctx,
            inp,
            report,
            helm,
            opts,
            installedPath: installed.path,
            env,
            kubeConfig: cluster.kubeConfigLoader,
            now,
            started,
            everyMs: deps.diagnosticsEveryMs ?? Math.min(5_000, Math.max(1_000, Math.floor(inp.timeoutMs / 4))),
        });
        // ---- report
        reportDeployed(ctx, report, release, {
            loadAll: local.loadAll,
            durationMs: now() - started,
            canary: plan?.deployed === true,
            stableImages: plan ? plan.stable : inp.images,
        });
        // ---- verify: HTTP checks, then helm test; a canary that fails either is rolled back
        await verifyPhase(ctx, inp, report, { helm, release, plan, local, cluster, now, deps });
    }
    finally {
        (0, node_fs_1.rmSync)(files.work, { recursive: true, force: true });
        (0, kube_1.removeKubeconfigFile)(files.kubeconfigPath, files.runnerTemp);
    }
}


/***/ }),

/***/ 9802:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.SUCCEEDED = void 0;
exports.helmTestArgs = helmTestArgs;
exports.parseHelmTest = parseHelmTest;
exports.helmTestResults = helmTestResults;
exports.redactLogs = redactLogs;
exports.helmTestPhase = helmTestPhase;
/**
 * The helm test phase (input helm-test): after a successful upgrade and its HTTP checks,
 * `helm test <release> -n <ns> --timeout <checks-timeout> --logs` runs the chart's test hooks (charts/app:
 * tests.enabled). Each test pod becomes an entry of the verification output, its logs (secrets and
 * credential-looking values redacted, as the diagnostics' log tails are) a collapsed block of the
 * summary. A test pod that does not succeed is a GateError; a canary is rolled back first, as after
 * failed HTTP checks. The flags are the same in Helm 3 and 4; parsing the output is pure.
 */
const action_kit_1 = __webpack_require__(5092);
const diagnostics_1 = __webpack_require__(4766);
const http_checks_js_1 = __webpack_require__(4515);
const verification_js_1 = __webpack_require__(3446);
/** What a test pod must end as. */
exports.SUCCEEDED = 'Succeeded';
/** At most this many log lines are kept for the summary. */
const MAX_LOG_LINES = 200;
/** `helm test` arguments (the same flags in Helm 3 and 4). Pure. */
function helmTestArgs(release, namespace, timeoutMs) {
    return ['test', release, '--namespace', namespace, '--timeout', `${Math.ceil(timeoutMs / 1000)}s`, '--logs'];
}
/**
 * The test suites and the pod logs of helm test's text output: a `TEST SUITE:` line per test pod with a
 * `Phase:` line after it, then (with --logs, also when a test failed) the `POD LOGS: <pod>` blocks. Pure.
 */
function parseHelmTest(stdout) {
    const lines = stdout.split(/\r?\n/);
    const suites = [];
    const firstLog = lines.findIndex((l) => l.startsWith('POD LOGS: '));
    for (const line of firstLog < 0 ? lines : lines.slice(0, firstLog)) {
        const suite = /^TEST SUITE:\s+(\S+)\s*$/.exec(line);
        if (suite)
            suites.push({ name: suite[1], phase: '' });
        const phase = /^Phase:\s+(\S+)\s*$/.exec(line);
        const last = suites.at(-1);
        if (phase && last && last.phase === '')
            last.phase = phase[1];
    }
    const logs = firstLog < 0 ? [] : lines.slice(firstLog);
    while (logs.length > 0 && logs.at(-1).trim() === '')
        logs.pop();
    return { suites, logs };
}
/** The verification entries of the test pods. Pure. */
function helmTestResults(suites, ms) {
    return suites.map((s) => ({
        component: verification_js_1.HELM_TEST,
        path: s.name,
        status: s.phase === exports.SUCCEEDED ? 0 : 1,
        expected: exports.SUCCEEDED,
        passed: s.phase === exports.SUCCEEDED,
        attempts: 1,
        ms,
    }));
}
/** Log lines with the registered secrets and credential-looking values redacted, the last MAX_LOG_LINES. */
function redactLogs(lines, redact) {
    return (0, diagnostics_1.redactCredentials)(lines.slice(-MAX_LOG_LINES).map(redact));
}
/** helm test; its entries appended to report.verification, its logs to report.helmTestLogs. */
async function runHelmTest(t) {
    const { ctx, inp, report } = t;
    const args = helmTestArgs(inp.release, inp.namespace, inp.checksTimeoutMs);
    const started = t.now();
    const res = await t.helm.run(args, { timeoutMs: inp.checksTimeoutMs + 60_000, okExitCodes: [0, 1] });
    const { suites, logs } = parseHelmTest(res.stdout);
    report.helmTestLogs = redactLogs(logs, (s) => ctx.secrets.redact(s));
    const failed = suites.filter((s) => s.phase !== exports.SUCCEEDED);
    if (res.exitCode !== 0 && failed.length === 0) {
        const stderrTail = ctx.secrets.redact(res.stderr.trim().split('\n').slice(-20).join('\n'));
        throw new action_kit_1.ToolError(`helm test exited with code ${res.exitCode}: ${stderrTail.split('\n').at(-1) ?? ''}`, {
            tool: 'helm',
            argv: ['helm', ...args],
            exitCode: res.exitCode,
            stderrTail,
        });
    }
    report.verification = [...(report.verification ?? []), ...helmTestResults(suites, t.now() - started)];
    for (const s of suites)
        ctx.log.info(`${s.phase === exports.SUCCEEDED ? 'passed' : 'FAILED'}: ${s.name} (${s.phase})`);
    for (const l of report.helmTestLogs)
        ctx.log.info(l);
    if (suites.length === 0)
        ctx.log.warning(`helm-test: the chart of ${inp.release} defines no test hooks`);
    return { failed };
}
/** The helm test phase: on a failed test pod, the canary rolled back, then GateError. */
async function helmTestPhase(t) {
    const title = `Verify: helm test ${t.inp.release}, within ${Math.round(t.inp.checksTimeoutMs / 1000)} s`;
    const { failed } = await t.ctx.log.group(title, () => runHelmTest(t));
    if (failed.length === 0)
        return;
    const afterwards = await (0, http_checks_js_1.rollBackAfterFailure)({ ...t, why: 'a failed helm test' });
    const which = failed.map((s) => `${s.name} (${s.phase || 'no phase'}, expected ${exports.SUCCEEDED})`).join(', ');
    const line = (t.report.helmTestLogs ?? []).find((l) => /fail|error/i.test(l) && !l.startsWith('POD LOGS: '));
    throw new action_kit_1.GateError(`The deployment does not pass its helm test: ${which}${line ? `: ${line.trim()}` : ''}.${afterwards}`);
}


/***/ }),

/***/ 4515:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.serviceName = serviceName;
exports.canaryServiceName = canaryServiceName;
exports.proxyPath = proxyPath;
exports.expectedOf = expectedOf;
exports.passes = passes;
exports.proberOf = proberOf;
exports.runCheck = runCheck;
exports.runChecks = runChecks;
exports.checksError = checksError;
exports.rollBackCanary = rollBackCanary;
exports.verifyDeployment = verifyDeployment;
exports.rollBackAfterFailure = rollBackAfterFailure;
/**
 * The verify phase (inputs checks and checks-timeout): after a successful upgrade, each HTTP check asks
 * a component's Service through the API server's service proxy
 * (GET /api/v1/namespaces/<ns>/services/<service>:http/proxy<path>), with the credentials of the
 * deploy, and is retried with backoffDelay until it passes or its budget ends. A check that never
 * passes is a GateError (the deployment does not answer as required), or an InfraError when the API
 * server itself did not answer; with a canary deployed, the release is first rolled back to the
 * revision before it. The Service name is pure; the parsing and the result table are in verification.ts.
 */
const action_kit_1 = __webpack_require__(5092);
const rest_1 = __webpack_require__(5758);
const retry_1 = __webpack_require__(786);
/** What charts/app names a component's stable Service: `<fullname>-<component>` (app.component). Pure. */
function serviceName(release, component, fullnameOverride = '') {
    const fullname = (fullnameOverride || release).slice(0, 32).replace(/-+$/, '');
    return `${fullname}-${component}`.slice(0, 63).replace(/-+$/, '');
}
/** charts/app's Service of a canary (canary.yaml): `<stable Service name>-canary`. Pure. */
function canaryServiceName(stable) {
    return `${stable}-canary`.slice(0, 63).replace(/-+$/, '');
}
/** The service-proxy path of a check. Pure. */
function proxyPath(namespace, service, path) {
    return `api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:http/proxy${path}`;
}
function expectedOf(c) {
    return c.bodyRegex === '' ? String(c.status) : `${c.status} /${c.bodyRegex}/`;
}
/** Whether an answer passes the check. Pure. */
function passes(c, res) {
    return res.status === c.status && (c.bodyRegex === '' || new RegExp(c.bodyRegex).test(res.body));
}
/** The small REST client of the deploy, or a connection made from client-node's KubeConfig. */
async function proberOf(conn, kubeConfig) {
    let c = conn;
    if (!c) {
        const kc = await kubeConfig();
        const cluster = kc.getCurrentCluster();
        if (!cluster)
            throw new action_kit_1.InfraError('the kubeconfig has no current cluster', { service: 'cluster', attempts: 1 });
        const o = {};
        await kc.applyToHTTPSOptions(o);
        const auth = String(o.headers?.['Authorization'] ?? o.headers?.['authorization'] ?? '');
        c = {
            server: cluster.server,
            ...(o.ca ? { ca: String(o.ca) } : {}),
            ...(o.cert ? { cert: String(o.cert) } : {}),
            ...(o.key ? { key: String(o.key) } : {}),
            ...(auth.startsWith('Bearer ') ? { token: auth.slice('Bearer '.length) } : {}),
            insecureSkipTlsVerify: cluster.skipTLSVerify === true,
        };
    }
    const connection = c;
    return { get: (path, timeoutMs) => (0, rest_1.restRawRequest)(connection, 'GET', path, { timeoutMs }) };
}
const POLICY = { attempts: Number.MAX_SAFE_INTEGER, baseDelayMs: 1_000, maxDelayMs: 10_000 };
/** One check, retried until it passes or the budget ends; `unreachable` when the last try got no answer. */
async function runCheck(c, prober, o) {
    const started = o.now();
    const deadline = started + o.budgetMs;
    const path = proxyPath(o.namespace, o.service(c.component), c.path);
    const r = { ...resultOf(c), unreachable: '' };
    for (;;) {
        r.attempts++;
        try {
            const res = await prober.get(path, Math.max(1_000, Math.min(10_000, deadline - o.now())));
            r.status = res.status;
            r.unreachable = '';
            r.passed = passes(c, res);
            if (r.passed)
                break;
            o.log(`${c.component} ${c.path}: HTTP ${res.status}${res.status === c.status ? ', the body does not match' : ''}`);
        }
        catch (err) {
            const code = err.code;
            if (typeof code !== 'string' || code === '')
                throw err;
            // a failure no retry mends (a certificate the API server's CA does not sign): the cluster, at once
            if (!(0, retry_1.retryableTransport)(code))
                throw new action_kit_1.InfraError(`The API server could not be asked for the HTTP checks: ${err.message}`, {
                    service: 'cluster',
                    attempts: r.attempts,
                }, { cause: err });
            r.status = 0;
            r.unreachable = err.message;
            o.log(`${c.component} ${c.path}: no answer from the API server (${r.unreachable})`);
        }
        const wait = (0, retry_1.backoffDelay)(r.attempts, POLICY);
        if (o.now() + wait >= deadline)
            break;
        await o.sleep(wait);
    }
    r.ms = o.now() - started;
    return r;
}
function resultOf(c) {
    return {
        component: c.component,
        path: c.path,
        status: 0,
        expected: expectedOf(c),
        passed: false,
        attempts: 0,
        ms: 0,
    };
}
/** Every check, concurrently, each with its own budget. */
async function runChecks(checks, prober, o) {
    const all = await Promise.all(checks.map((c) => runCheck(c, prober, o)));
    return {
        results: all.map(({ unreachable: _u, ...r }) => r),
        unreachable: all.filter((r) => !r.passed && r.unreachable !== '').map((r) => r.unreachable),
    };
}
/** The message of failed checks: GateError, or InfraError when the API server never answered. */
function checksError(failed, unreachable, afterwards) {
    const which = failed.map((r) => `${r.component} ${r.path} (expected ${r.expected}, got ${r.status || 'no answer'})`);
    if (unreachable.length > 0 && unreachable.length === failed.length)
        return new action_kit_1.InfraError(`The API server did not answer the HTTP checks (${unreachable[0]}): ${which.join(', ')}.${afterwards}`, { service: 'cluster', attempts: failed.reduce((n, r) => n + r.attempts, 0) });
    return new action_kit_1.GateError(`The deployment does not answer as required: ${failed.length} of the HTTP checks failed: ${which.join(', ')}.${afterwards}`);
}
/** A canary whose checks failed: `helm rollback` to the last good revision before it, and wait. */
async function rollBackCanary(ctx, helm, o) {
    const history = await helm.history(o.release.name, o.namespace);
    // Helm's static helpers only here: the inputs load this module at start, and tools/helm loads semver
    const { Helm: HelmCli } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2366));
    const good = HelmCli.lastGoodRevision(history.filter((h) => h.revision < o.release.revision));
    if (!good)
        return undefined;
    await ctx.log.group(`Roll back the canary: ${o.release.name} to revision ${good.revision}`, async () => {
        const args = HelmCli.rollbackArgs(o.release.name, o.namespace, good.revision, { timeoutSeconds: Math.ceil(o.timeoutMs / 1000), historyMax: o.historyMax, wait: true }, helm.major);
        await helm.run(args, { timeoutMs: o.timeoutMs + 60_000 });
    });
    return helm.status(o.release.name, o.namespace);
}
/** The verify phase: every check; on a failure, the canary rolled back, then GateError (or InfraError). */
async function verifyDeployment(v) {
    const { ctx, inp, report } = v;
    const { log } = ctx;
    const title = `Verify: ${inp.checks.length} HTTP check(s) through the API server, each within ${Math.round(inp.checksTimeoutMs / 1000)} s`;
    const { results, unreachable } = await log.group(title, async () => {
        const out = await runChecks(inp.checks, await v.prober(), {
            namespace: inp.namespace,
            service: (component) => {
                const stable = serviceName(v.release.name, component, v.fullnameOverride);
                // the canary's new image is what this deploy changed: its checks ask the canary's own Service
                return v.canary && component === inp.canaryComponent ? canaryServiceName(stable) : stable;
            },
            budgetMs: inp.checksTimeoutMs,
            now: v.now,
            sleep: v.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
            log: (l) => log.info(l),
        });
        for (const r of out.results)
            log.info(`${r.passed ? 'passed' : 'FAILED'}: ${r.component} ${r.path} (expected ${r.expected}, got ${r.status || 'no answer'}, ${r.attempts} attempt(s))`);
        return out;
    });
    report.verification = results;
    const failed = results.filter((r) => !r.passed);
    if (failed.length === 0)
        return;
    throw checksError(failed, unreachable, await rollBackAfterFailure({ ...v, why: 'failed HTTP checks' }));
}
/**
 * After a failed verification: a canary deployed by this run is rolled back to the revision before it
 * (the report follows). Returns the sentence that says what became of the release.
 */
async function rollBackAfterFailure(v) {
    if (!v.canary)
        return ' The release is left as deployed.';
    const { report } = v;
    const after = await rollBackCanary(v.ctx, v.helm, {
        release: v.release,
        namespace: v.inp.namespace,
        timeoutMs: v.inp.timeoutMs,
        historyMax: v.inp.historyMax,
    });
    if (!after)
        return ' No earlier revision to roll the canary back to.';
    report.status = after.status;
    report.revision = after.revision;
    report.recovered = `canary rolled back to the stable track (revision ${after.revision}) after ${v.why}`;
    if (report.deployed)
        report.deployed = { ...report.deployed, canary: false };
    return ` The canary was rolled back: the release is ${after.status} at revision ${after.revision}.`;
}


/***/ }),

/***/ 3704:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.splitManifest = splitManifest;
exports.ingressUrl = ingressUrl;
exports.lineDiff = lineDiff;
exports.diffManifests = diffManifests;
/** Splits a rendered manifest into objects, keeping each one's YAML text (for line diffs). */
function splitManifest(manifest, loadAll) {
    const out = [];
    for (const doc of manifest.split(/^---\s*$/m)) {
        const text = doc.replace(/^# Source:.*$/m, '').trim();
        if (text === '')
            continue;
        for (const obj of loadAll(text)) {
            if (typeof obj !== 'object' || obj === null)
                continue;
            const o = obj;
            out.push({ key: `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`, text, obj: o });
        }
    }
    return out;
}
/** The first Ingress host of the release, as a URL: https when a TLS entry covers it, else http. */
function ingressUrl(manifest, loadAll) {
    // only the documents that can be an Ingress are parsed: YAML-parsing a whole release's manifest
    // was most of the time between helm's exit and the action's
    const candidates = manifest
        .split(/^---\s*$/m)
        .filter((doc) => doc.includes('Ingress'))
        .join('\n---\n');
    for (const { obj } of splitManifest(candidates, loadAll)) {
        if (obj.kind !== 'Ingress')
            continue;
        const spec = (obj.spec ?? {});
        const host = spec.rules?.find((r) => typeof r.host === 'string' && r.host !== '')?.host;
        if (!host)
            continue;
        const tls = (spec.tls ?? []).some((t) => (t.hosts ?? []).includes(host));
        return `${tls ? 'https' : 'http'}://${host}`;
    }
    return '';
}
/** A minimal line diff (LCS) with `-`/`+`/` ` prefixes; long unchanged runs are elided. */
function lineDiff(a, b, context = 2) {
    const x = a.split('\n');
    const y = b.split('\n');
    const n = x.length;
    const m = y.length;
    const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
            lcs[i][j] =
                x[i] === y[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
        }
    }
    const ops = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && x[i] === y[j]) {
            ops.push(`  ${x[i]}`);
            i++;
            j++;
        }
        else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
            ops.push(`+ ${y[j]}`);
            j++;
        }
        else {
            ops.push(`- ${x[i]}`);
            i++;
        }
    }
    const keep = ops.map((op, k) => op[0] !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o[0] !== ' '));
    const out = [];
    let skipped = false;
    ops.forEach((op, k) => {
        if (keep[k]) {
            out.push(op);
            skipped = false;
        }
        else if (!skipped) {
            out.push('  …');
            skipped = true;
        }
    });
    return out;
}
function diffManifests(current, next, loadAll) {
    const before = new Map(splitManifest(current, loadAll).map((o) => [o.key, o.text]));
    const after = new Map(splitManifest(next, loadAll).map((o) => [o.key, o.text]));
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
    const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
    const unchanged = [...after.keys()].filter((k) => before.get(k) === after.get(k)).length;
    const parts = [];
    for (const k of added)
        parts.push(`+++ ${k} (new)`);
    for (const k of removed)
        parts.push(`--- ${k} (removed)`);
    for (const k of changed)
        parts.push(`~~~ ${k}`, ...lineDiff(before.get(k) ?? '', after.get(k) ?? ''));
    return { added, removed, changed, unchanged, text: parts.join('\n') };
}


/***/ }),

/***/ 9922:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.namespaceMetadata = namespaceMetadata;
exports.isApiFailure = isApiFailure;
exports.namespaceFailure = namespaceFailure;
exports.ensureDeployNamespace = ensureDeployNamespace;
/**
 * The namespace phase: create (or adopt) the namespace with its ownership labels and annotations (PR
 * namespaces), Pod Security enforcement at the workflow's level, and, with namespace-role, this
 * identity's RoleBinding inside it. A failure is told apart by its kind: a namespace another
 * repository owns is refused by policy (GateError); the API server or the network failing is an
 * infrastructure failure (InfraError); anything else (a bug) goes on as it is, with its stack.
 */
const action_kit_1 = __webpack_require__(5092);
const kube_1 = __webpack_require__(3234);
/** The labels and annotations of the namespace: the ownership metadata of a PR namespace, else the plain ones. */
function namespaceMetadata(inp, gh, now) {
    if (inp.pr !== undefined) {
        return (0, kube_1.ownershipMetadata)({
            repositoryId: gh.repositoryId,
            repository: gh.repository,
            pr: inp.pr,
            commit: gh.sha,
            expiresAt: new Date(now + inp.namespaceTtlMs),
            deployedAt: new Date(now),
        });
    }
    const labels = { [kube_1.LABEL_MANAGED_BY]: kube_1.MANAGED_BY };
    const annotations = {};
    if (kube_1.REPOSITORY_ID_RE.test(gh.repositoryId))
        labels[kube_1.LABEL_REPOSITORY_ID] = gh.repositoryId;
    if (gh.repository)
        annotations[kube_1.ANNOTATION_REPOSITORY] = gh.repository;
    if (/^[0-9a-f]{7,64}$/.test(gh.sha))
        annotations[kube_1.ANNOTATION_COMMIT] = gh.sha;
    return { labels, annotations };
}
const NETWORK_FAILURE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|no answer within|fetch failed/;
/** An error of the API server or of the way to it (an HTTP status, a refused connection, a timeout). */
function isApiFailure(err) {
    if (err instanceof kube_1.RestError || err instanceof kube_1.KubeApiError)
        return true;
    if (!(err instanceof Error))
        return false;
    const e = err;
    // @kubernetes/client-node's ApiException: an HTTP status and the body it came with
    if (typeof e.code === 'number' && 'body' in e)
        return true;
    return (typeof e.code === 'string' && NETWORK_FAILURE.test(e.code)) || NETWORK_FAILURE.test(e.message);
}
/** What a failure of the namespace step is: see the module's comment. */
function namespaceFailure(err) {
    if (err instanceof kube_1.NamespaceError) {
        if (/belongs to another repository/.test(err.message))
            return new action_kit_1.GateError(err.message, { cause: err });
        // the API's answer (a 403, a 5xx), a network failure, or a namespace still Terminating after the wait
        return new action_kit_1.InfraError(err.message, { service: 'cluster', attempts: 1 }, { cause: err });
    }
    if (isApiFailure(err)) {
        const msg = err instanceof Error ? err.message : String(err);
        return new action_kit_1.InfraError(`Namespace step: the API server failed: ${msg}`, { service: 'cluster', attempts: 1 }, { cause: err });
    }
    return err;
}
/** Creates or adopts the namespace (and binds namespace-role in it); returns the outcome for the summary. */
async function ensureDeployNamespace(inp, gh, o) {
    if (inp.dryRun)
        return 'not checked (dry run)';
    if (!inp.createNamespace)
        return 'not checked (create-namespace: false: no cluster-scoped call)';
    const meta = namespaceMetadata(inp, gh, o.now());
    // Pod Security admission enforces the workflow's level on a namespace this action creates
    const podSecurityLabels = {
        'pod-security.kubernetes.io/enforce': inp.podSecurity,
        'pod-security.kubernetes.io/enforce-version': 'latest',
    };
    const owner = meta.labels[kube_1.LABEL_REPOSITORY_ID];
    try {
        const res = await (0, kube_1.ensureNamespace)(await o.api(), inp.namespace, {
            labels: { ...meta.labels, ...podSecurityLabels },
            refuseOtherRepository: inp.pr !== undefined,
            annotations: meta.annotations,
            ownerLabels: { [kube_1.LABEL_MANAGED_BY]: kube_1.MANAGED_BY, ...(owner ? { [kube_1.LABEL_REPOSITORY_ID]: owner } : {}) },
            terminatingTimeoutMs: inp.terminatingTimeoutMs,
            log: o.log,
            sleep: o.sleep,
        });
        // the identity's rights inside the namespace come from a RoleBinding it makes there itself
        if (inp.namespaceRole && res.outcome !== 'exists-foreign') {
            await (0, kube_1.bindNamespaceRole)(await o.kubeConfig(), inp.namespace, inp.namespaceRole, { log: o.log });
        }
        return res.outcome;
    }
    catch (err) {
        throw namespaceFailure(err);
    }
}


/***/ }),

/***/ 1547:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.pullSecretName = void 0;
exports.basicAuth = basicAuth;
exports.dockerConfigJson = dockerConfigJson;
exports.pullSecretManifest = pullSecretManifest;
exports.applyPullSecret = applyPullSecret;
/**
 * The image pull secret phase (registry-username, registry-password, pull-secret-registry): after the
 * namespace and before the upgrade, the Secret `<release>-registry` of type kubernetes.io/dockerconfigjson
 * is created or updated in the namespace by server-side apply (idempotent; a changed password replaces
 * the old one), and the generated values name it in `imagePullSecrets`. The credentials go to the API
 * server in the request body only: never to a log line, the summary, an output, argv or a file.
 */
const action_kit_1 = __webpack_require__(5092);
const diagnostics_1 = __webpack_require__(4766);
const ownership_1 = __webpack_require__(999);
const rest_1 = __webpack_require__(5758);
const pullSecretName = (release) => `${release}-registry`;
exports.pullSecretName = pullSecretName;
/** `user:password`, base64: the `auth` of a Docker config entry. Pure. */
function basicAuth(username, password) {
    return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}
/** The `.dockerconfigjson` of the secret: one entry, for the registry host. Pure. */
function dockerConfigJson(p) {
    const entry = { username: p.username, password: p.password, auth: basicAuth(p.username, p.password) };
    return JSON.stringify({ auths: { [p.registry]: entry } });
}
/** The Secret, as server-side apply takes it. Pure. */
function pullSecretManifest(release, namespace, p) {
    return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: (0, exports.pullSecretName)(release), namespace, labels: { [ownership_1.LABEL_MANAGED_BY]: ownership_1.MANAGED_BY } },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(p), 'utf8').toString('base64') },
    };
}
const FIELD_MANAGER = 'polyglot-cd';
/** Server-side apply of the Secret, over the small REST client or, without one, client-node. */
async function apply(body, name, namespace, conn, kubeConfig) {
    if (conn) {
        const path = `api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
        await (0, rest_1.restRequest)(conn, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, {
            body,
            contentType: 'application/apply-patch+yaml',
        });
        return;
    }
    const { CoreV1Api, PatchStrategy, setHeaderOptions } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const core = (await kubeConfig()).makeApiClient(CoreV1Api);
    await core.patchNamespacedSecret({ name, namespace, body, fieldManager: FIELD_MANAGER, force: true }, setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply));
}
/** Creates or updates the pull secret; returns the line for the log. A refusal of the API server is an InfraError. */
async function applyPullSecret(ctx, o) {
    const name = (0, exports.pullSecretName)(o.release);
    // the derived forms of the password are secrets too
    ctx.secrets.add(basicAuth(o.pullSecret.username, o.pullSecret.password));
    const body = pullSecretManifest(o.release, o.namespace, o.pullSecret);
    try {
        await apply(body, name, o.namespace, o.conn, o.kubeConfig);
    }
    catch (err) {
        throw new action_kit_1.InfraError(`Could not create or update the image pull secret ${name} in ${o.namespace}: ${(0, diagnostics_1.describeApiError)(err)}. The identity needs get, create and patch on secrets in the namespace (examples/rbac).`, { service: 'cluster', attempts: 1 }, { cause: err });
    }
    const line = `image pull secret ${name} for ${o.pullSecret.registry} applied (server-side apply)`;
    ctx.log.info(line);
    return line;
}


/***/ }),

/***/ 7585:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.pendingSince = pendingSince;
exports.decideRecovery = decideRecovery;
/**
 * What to do about a release left in pending-install / pending-upgrade / pending-rollback (a helm that
 * was killed, a runner that died). Pure.
 * - younger than `stuck-after`: another deploy is probably running: refuse, clearly, and change nothing;
 * - older: roll back to the last deployed/superseded revision, or uninstall a release that never
 *   deployed; then the deploy is retried once. Release Secrets are never deleted by hand.
 */
const helm_1 = __webpack_require__(2366);
function ageText(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120)
        return `${s}s`;
    const m = Math.round(s / 60);
    return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
/** When the pending operation started: the newest history entry's `updated`, else the release's `last_deployed`. */
function pendingSince(status, history) {
    const last = history[history.length - 1];
    for (const t of [last?.updated, status.lastDeployed]) {
        if (!t)
            continue;
        const ms = Date.parse(t);
        if (!Number.isNaN(ms))
            return ms;
    }
    return undefined;
}
function decideRecovery(status, history, now, stuckAfterMs) {
    if (!status || !helm_1.Helm.isPending(status.status))
        return { action: 'none' };
    const since = pendingSince(status, history);
    const age = since === undefined ? Number.POSITIVE_INFINITY : now - since;
    const what = `release ${status.name} is ${status.status} (revision ${status.revision}${since !== undefined ? `, for ${ageText(age)}` : ''})`;
    if (age < stuckAfterMs) {
        return {
            action: 'refuse',
            message: `Another deploy is running: ${what}. Nothing was changed. Run deploys of one target one at a time ` +
                `(concurrency: group per release, cancel-in-progress: false). If no deploy is running, it will be recovered ` +
                `automatically once it is older than stuck-after (${ageText(stuckAfterMs)}).`,
        };
    }
    const good = helm_1.Helm.lastGoodRevision(history.filter((h) => h.revision !== status.revision));
    if (good) {
        return {
            action: 'rollback',
            revision: good.revision,
            message: `${what}, older than stuck-after: rolling back to revision ${good.revision} (${good.status}), then deploying again`,
        };
    }
    return {
        action: 'uninstall',
        message: `${what}, older than stuck-after, and never deployed: uninstalling it, then deploying again`,
    };
}


/***/ }),

/***/ 7705:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.describeCause = describeCause;
exports.upgrade = upgrade;
exports.dryRun = dryRun;
/**
 * The upgrade phase: `helm upgrade --install` with diagnostics snapshotted while helm waits (attempt);
 * a release another operation holds is recovered once by the rules of recover.ts (recover); a failed
 * upgrade reports the state the release is left in and why its pods did not become ready (on failure).
 * A dry run renders the upgrade and diffs it against the deployed manifest instead.
 */
const action_kit_1 = __webpack_require__(5092);
const kube_1 = __webpack_require__(3234);
const command_runner_1 = __webpack_require__(7988);
const helm_1 = __webpack_require__(2366);
const manifest_js_1 = __webpack_require__(3704);
const recover_js_1 = __webpack_require__(7585);
/** helm lost a race with another operation on the release: nothing was applied by this run. */
class Concurrent extends Error {
    cause;
    constructor(cause) {
        super(cause.message);
        this.cause = cause;
    }
}
/** Why helm failed, in one line, from its stderr. Pure. */
function describeCause(err) {
    const t = err.details.stderrTail;
    if (helm_1.Helm.isConcurrentOperation(t))
        return 'another deploy of this release is running';
    if (/being terminated/.test(t))
        return 'the namespace is being deleted (Terminating); wait for it to go, or let helm-deploy create it (create-namespace: true)';
    if (/timed out waiting for the condition|context deadline exceeded/.test(t))
        return 'the release did not become ready within the timeout';
    const lines = t.split('\n');
    return (lines.filter((l) => /^Error:/.test(l)).pop() ?? lines.pop() ?? err.message).replace(/^Error:\s*/, '');
}
async function collect(u) {
    return (0, kube_1.collectDiagnostics)(await (0, kube_1.clientNodeSource)(await u.kubeConfig()), u.inp.namespace, {
        release: u.inp.release,
        logLines: u.inp.logLines,
        redact: (t) => u.ctx.secrets.redact(t),
    });
}
/** Snapshots the namespace every `everyMs` until stopped; keeps the most telling snapshot. */
function startPolling(u) {
    let snapshot;
    let polling = true;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());
    void (async () => {
        await sleep(u.everyMs);
        while (polling) {
            const d = await collect(u).catch(() => undefined);
            // a snapshot without pods (none created yet, or the list failed) never replaces one with pods
            if (polling && d && (d.pods.length > 0 || (d.events.length > 0 && !snapshot?.pods.length)))
                snapshot = d;
            if (polling)
                await sleep(u.everyMs);
        }
    })();
    return {
        stop: () => {
            polling = false;
            return snapshot;
        },
    };
}
/** One `helm upgrade --install`: the release, or Concurrent, or the failure as reported by onUpgradeFailure. */
async function attempt(u) {
    const { inp, helm, ctx } = u;
    const title = `helm upgrade --install ${inp.release} (namespace ${inp.namespace}, timeout ${u.opts.timeoutSeconds}s)`;
    const poller = startPolling(u);
    try {
        const argv = helm_1.Helm.upgradeArgs(u.opts, helm.version);
        const res = await ctx.log.group(title, () => helm.run(argv, { timeoutMs: 2 * inp.timeoutMs + 120_000 }));
        return helm_1.Helm.parseRelease(res.stdout);
    }
    catch (err) {
        const snapshot = poller.stop();
        if (!(err instanceof action_kit_1.ToolError))
            throw err;
        if (!err.details.cancelled && helm_1.Helm.isConcurrentOperation(err.details.stderrTail))
            throw new Concurrent(err);
        return await onUpgradeFailure(u, err, snapshot);
    }
    finally {
        poller.stop();
    }
}
/**
 * Another deploy running at the same time is neither a policy refusal nor a failing cluster: helm
 * refused to touch a release another operation holds. It is reported as the ToolError of that helm
 * run (its command and stderr), with a message that says what happened and what to do.
 */
function concurrentError(message, err) {
    return new action_kit_1.ToolError(message, err.cause.details, { cause: err.cause });
}
/** Another operation holds the release, or it is stuck pending-*: decide from its status and age, and recover. */
async function recover(u, err) {
    const { inp, helm, report, ctx } = u;
    const current = await helm.status(inp.release, inp.namespace);
    const history = current ? await helm.history(inp.release, inp.namespace) : [];
    const decision = (0, recover_js_1.decideRecovery)(current, history, u.now(), inp.stuckAfterMs);
    report.status = current?.status ?? 'unknown';
    report.revision = current?.revision;
    if (decision.action === 'none' || decision.action === 'refuse') {
        const helmSaid = (err.cause.details.stderrTail.split('\n').pop() ?? '').replace(/^Error:\s*/, '');
        throw concurrentError(decision.action === 'refuse'
            ? decision.message
            : `Another deploy of release ${inp.release} in ${inp.namespace} ran at the same time (helm: ${helmSaid}). Nothing was changed by this run; the release is ${report.status}${report.revision !== undefined ? ` at revision ${report.revision}` : ''}. Deploy one at a time per target (concurrency group, cancel-in-progress: false).`, err);
    }
    await ctx.log.group(`Recover release ${inp.release} from ${current?.status ?? '?'}`, async () => {
        ctx.log.warning(decision.message);
        const timeoutSeconds = u.opts.timeoutSeconds;
        const args = decision.action === 'rollback'
            ? helm_1.Helm.rollbackArgs(inp.release, inp.namespace, decision.revision, { timeoutSeconds, historyMax: inp.historyMax, wait: true }, helm.major)
            : helm_1.Helm.uninstallArgs(inp.release, inp.namespace, { timeoutSeconds, wait: true }, helm.major);
        await helm.run(args, { timeoutMs: inp.timeoutMs + 60_000 });
        report.recovered = decision.message;
    });
}
/** The upgrade, recovered and retried once when another operation held the release. */
async function upgrade(u) {
    try {
        return await attempt(u);
    }
    catch (err) {
        if (!(err instanceof Concurrent))
            throw err;
        await recover(u, err);
    }
    try {
        return await attempt(u);
    }
    catch (again) {
        if (!(again instanceof Concurrent))
            throw again;
        throw concurrentError(`Release ${u.inp.release} was recovered but another deploy took it again before this one could run. Nothing more was changed by this run.`, again);
    }
}
/**
 * The state the release is left in, asked by a fresh runner (a cancelled one starts nothing new):
 * null when it no longer exists (a failed first install, uninstalled by the rollback), undefined when
 * helm did not answer.
 */
async function releaseAfter(u) {
    const { log, secrets } = u.ctx;
    const probe = new command_runner_1.CommandRunner({ log, secrets, env: u.env, killGraceMs: 2_000 });
    return new helm_1.Helm(u.installedPath, u.helm.version, probe, u.env)
        .run(helm_1.Helm.statusArgs(u.inp.release, u.inp.namespace), { timeoutMs: 5_000 })
        .then((r) => helm_1.Helm.parseRelease(r.stdout))
        .catch((e) => (e instanceof action_kit_1.ToolError && helm_1.Helm.isReleaseNotFound(e.details.stderrTail) ? null : undefined));
}
function cancelled(inp, after) {
    const state = after
        ? `${after.status} (revision ${after.revision})`
        : after === null
            ? 'uninstalled (a cancelled first install)'
            : 'unknown (helm status did not answer)';
    const next = after && helm_1.Helm.isPending(after.status)
        ? ` The next deploy recovers it once it is older than stuck-after, or run: helm rollback ${inp.release} --namespace ${inp.namespace}`
        : '';
    return new action_kit_1.CancelledError(`The deploy was cancelled while helm was running; release ${inp.release} is ${state}.${next}`);
}
function rolledBack(inp, after) {
    if (!inp.rollbackOnFailure)
        return '';
    if (after)
        return ` Rolled back: the release is ${after.status} at revision ${after.revision}.`;
    return after === null ? ' The failed first install was uninstalled.' : ' Rolled back.';
}
/** A failed upgrade: the release's state, then (unless cancelled) the diagnostics; always throws. */
async function onUpgradeFailure(u, err, snapshot) {
    const { inp, report } = u;
    const { log } = u.ctx;
    report.durationMs = u.now() - u.started;
    const after = await releaseAfter(u);
    report.status = after === null ? 'uninstalled' : (after?.status ?? 'unknown');
    report.revision = after?.revision;
    if (err.details.cancelled)
        throw cancelled(inp, after);
    const cause = describeCause(err);
    // The namespace as it is now, if it still shows a pod that is not ready (a failed hook Job, a release
    // that was not rolled back): it is newer than any snapshot. A rollback deletes the failing pods: then
    // the last snapshot taken while helm waited is the evidence.
    const fresh = await collect(u).catch(() => undefined);
    const diagnostics = fresh && fresh.pods.length > 0 ? fresh : (snapshot ?? fresh);
    await log.group(`Diagnostics: why ${inp.release} did not become ready`, async () => {
        log.info(diagnostics ? (0, kube_1.renderDiagnostics)(diagnostics) : 'No diagnostics could be collected.');
    });
    report.diagnostics = diagnostics;
    log.error(`Culprit: ${diagnostics?.culprit ?? 'unknown'}`);
    throw new action_kit_1.ToolError(`helm upgrade of ${inp.release} failed: ${cause}.${diagnostics ? ` Culprit: ${diagnostics.culprit}.` : ''}${rolledBack(inp, after)}`, err.details, { cause: err });
}
/** `helm upgrade --install --dry-run` and the diff against the deployed manifest; nothing is changed. */
async function dryRun(ctx, helm, o, report, loadAll) {
    const { log } = ctx;
    const current = await helm.status(o.release, o.namespace);
    const res = await log.group(`helm upgrade --install ${o.release} ${helm_1.Helm.dryRunFlag(helm.version)} (nothing is changed)`, () => helm.run(helm_1.Helm.upgradeArgs({ ...o, dryRun: true }, helm.version), { timeoutMs: 5 * 60_000 }));
    const next = helm_1.Helm.parseRelease(res.stdout);
    const before = current
        ? (await helm.run(helm_1.Helm.getManifestArgs(o.release, o.namespace), { timeoutMs: 60_000 })).stdout
        : '';
    const diff = (0, manifest_js_1.diffManifests)(before, next.manifest, loadAll);
    await log.group(`Diff: ${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged`, async () => {
        log.info(diff.text || 'no change');
    });
    report.status = 'dry-run';
    report.revision = next.revision;
    report.chartVersion = next.chartVersion;
    report.chartName = next.chartName;
    report.url = (0, manifest_js_1.ingressUrl)(next.manifest, loadAll);
    report.diff = diff;
}


/***/ }),

/***/ 3770:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.yamlLoaders = yamlLoaders;
exports.parseValuesInput = parseValuesInput;
/**
 * The YAML this action reads: the `values` input, and the manifests helm renders. `yaml` is imported
 * lazily (most of a deploy never needs it, and the cold start is budgeted). The YAML 1.2 core schema
 * plus `<<` merge keys, which helm honours in values; the parser's own alias guard is bounded like
 * `checkYamlExpansion`, which then counts the parsed document exactly.
 */
const action_kit_1 = __webpack_require__(5092);
const values_js_1 = __webpack_require__(1891);
const YAML_OPTIONS = { version: '1.2', merge: true, maxAliasCount: action_kit_1.MAX_YAML_NODES, logLevel: 'error' };
async function yamlLoaders() {
    const { parse, parseAllDocuments } = await __webpack_require__.e(/* import() */ 985).then(__webpack_require__.t.bind(__webpack_require__, 8985, 19));
    return {
        load: (t) => parse(t, YAML_OPTIONS),
        loadAll: (t) => {
            const docs = parseAllDocuments(t, YAML_OPTIONS);
            if (!Array.isArray(docs))
                return [];
            for (const d of docs)
                if (d.errors.length > 0)
                    throw d.errors[0];
            return docs.map((d) => d.toJS(YAML_OPTIONS));
        },
    };
}
/** The line a parser error points at (1-based), if it says. */
function errorLine(err) {
    const line = err.linePos?.[0]?.line;
    return typeof line === 'number' ? line : undefined;
}
/** The `values` input as a mapping ({} when empty); anything else is an input error. */
function parseValuesInput(text, load) {
    if (text.trim() === '')
        return {};
    let parsed;
    try {
        parsed = load(text);
    }
    catch (err) {
        if (err instanceof ReferenceError || /alias count/i.test(err.message)) {
            // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
            throw new action_kit_1.InputError(`Input "values" expands to more than ${action_kit_1.MAX_YAML_NODES} YAML values through its aliases (*name): refused before anything uses it (an alias bomb)`, 'values');
        }
        const line = errorLine(err);
        throw new action_kit_1.InputError(`Input "values" is not valid YAML${line !== undefined ? ` (line ${line})` : ''}: ${err.message.split('\n')[0]}`, 'values');
    }
    if (parsed === null || parsed === undefined)
        return {};
    (0, action_kit_1.checkYamlExpansion)('values', parsed);
    if (!(0, values_js_1.isMapping)(parsed))
        throw new action_kit_1.InputError('Input "values" must be a YAML mapping (key: value lines), e.g. "replicaCount: 2"', 'values');
    return parsed;
}


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

/***/ 2380:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GITHUB_OIDC_ISSUER = exports.PUBLIC_REKOR_URL = exports.PUBLIC_FULCIO_URL = void 0;
exports.shellQuote = shellQuote;
/**
 * The public Sigstore services, GitHub's OIDC issuer and the shell quoting of a copy-paste cosign
 * command line. A module of its own, free of the semver cosign.ts checks versions with, so that an
 * action's start (inputs, summary) can read them cheaply.
 */
exports.PUBLIC_FULCIO_URL = 'https://fulcio.sigstore.dev';
exports.PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';
exports.GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
/** POSIX-shell quoting for a copy-paste command line. */
function shellQuote(arg) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}


/***/ })

};
