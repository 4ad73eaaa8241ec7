export const id = 670;
export const ids = [670];
export const modules = {

/***/ 3529:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.rateLimit = rateLimit;
exports.githubPrLookup = githubPrLookup;
exports.createLookup = createLookup;
const github_rate_limit_1 = __webpack_require__(8162);
/**
 * Whether an error is GitHub's rate limit, and until when (pure): the rules are packages/tools'
 * (`githubRateLimitWait`), shared with gitops-update's GitHub client.
 */
function rateLimit(err, now) {
    const wait = (0, github_rate_limit_1.githubRateLimitWait)(err.status ?? 0, err.response?.headers ?? {}, err.message ?? '', now);
    return wait === undefined ? { limited: false } : { limited: true, until: now + wait };
}
async function githubPrLookup(o) {
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(9), __webpack_require__.e(254)]).then(__webpack_require__.bind(__webpack_require__, 5254));
    const octokit = getOctokit(o.token, {
        baseUrl: o.baseUrl.replace(/\/+$/, ''),
        log: { debug: () => { }, info: () => { }, warn: () => { }, error: () => { } },
    });
    return createLookup((pr) => octokit.rest.pulls
        .get({ owner: o.owner, repo: o.repo, pull_number: pr })
        .then((r) => ({ state: r.data.state, headers: r.headers })), o);
}
/** The lookup logic over any fetch function (the octokit one above in production). */
function createLookup(fetch, o) {
    const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = o.now ?? Date.now;
    let budget = o.maxRateLimitWaitMs ?? 120_000;
    let pausedUntil = 0;
    let exhausted;
    let requests = 0;
    const pause = async () => {
        while (pausedUntil > now())
            await sleep(Math.min(pausedUntil - now(), 5000));
    };
    const limitHit = (until) => {
        const wait = until - now();
        if (until <= pausedUntil)
            return true; // another lookup already paused for this
        if (wait > budget) {
            exhausted = `GitHub API rate limit: resets at ${new Date(until).toISOString()}, past the ${Math.round((o.maxRateLimitWaitMs ?? 120_000) / 1000)}s wait budget`;
            o.log.warning(`${exhausted}; the remaining PRs are not checked (their namespaces are kept for the next run)`);
            return false;
        }
        budget -= Math.max(0, wait);
        pausedUntil = until;
        o.log.info(`GitHub API rate limit hit: pausing lookups for ${Math.ceil(wait / 1000)}s (until ${new Date(until).toISOString()})`);
        return true;
    };
    return {
        get requests() {
            return requests;
        },
        async state(pr) {
            for (let attempt = 0; attempt < 5; attempt++) {
                if (exhausted)
                    return { state: 'unknown', detail: exhausted };
                await pause();
                requests++;
                try {
                    const res = await fetch(pr);
                    if (String(res.headers['x-ratelimit-remaining'] ?? '') === '0') {
                        const reset = String(res.headers['x-ratelimit-reset'] ?? '');
                        if (/^\d+$/.test(reset))
                            limitHit(Number(reset) * 1000 + 1000);
                    }
                    return {
                        state: res.state === 'open' ? 'open' : res.state === 'closed' ? 'closed' : 'unknown',
                        detail: res.state,
                    };
                }
                catch (err) {
                    const e = err;
                    if (e.status === 404)
                        return { state: 'not-found' };
                    const rl = rateLimit(e, now());
                    if (rl.limited && rl.until !== undefined) {
                        if (!limitHit(rl.until))
                            return { state: 'unknown', detail: exhausted ?? 'rate limited' };
                        continue;
                    }
                    if (e.status !== undefined && e.status >= 500 && attempt < 2) {
                        await sleep(1000 * (attempt + 1));
                        continue;
                    }
                    const detail = e.status !== undefined ? `HTTP ${e.status}` : (e.message ?? String(err));
                    if (e.status === 401 || e.status === 403) {
                        exhausted = `GitHub API answered ${detail} (the token cannot read pull requests: grant pull-requests: read)`;
                        o.log.warning(exhausted);
                    }
                    return { state: 'unknown', detail };
                }
            }
            return { state: 'unknown', detail: 'rate limited repeatedly' };
        },
    };
}


/***/ }),

/***/ 6596:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.runPr = runPr;
exports.runGc = runGc;
const namespaces_1 = __webpack_require__(4416);
const ownership_1 = __webpack_require__(999);
const github_js_1 = __webpack_require__(3529);
const plan_js_1 = __webpack_require__(1949);
const uninstall_js_1 = __webpack_require__(678);
async function readPrNamespace(r, name) {
    return r.ctx.log.group(`Check namespace ${name}`, async () => {
        try {
            return await r.api.readNamespace({ name });
        }
        catch (err) {
            const s = (0, namespaces_1.apiStatus)(err);
            if (s?.code === 404)
                return undefined;
            if (s?.code === 403)
                throw new namespaces_1.KubeApiError(`read namespace ${name} is forbidden: ${(0, namespaces_1.describeStatus)(err)}`, s);
            throw new namespaces_1.KubeApiError(`read namespace ${name}: ${(0, namespaces_1.describeStatus)(err)}`, s);
        }
    });
}
async function runPr(r) {
    const { ctx, inputs, rows } = r;
    const { log } = ctx;
    const pr = inputs.pr;
    const name = (0, ownership_1.prNamespace)(pr);
    const ns = await readPrNamespace(r, name);
    if (!ns) {
        log.info(`Namespace ${name} does not exist: nothing to delete`);
        const reason = 'does not exist (already deleted, or never deployed)';
        rows.push({ namespace: name, pr, age: '', action: 'already gone', reason });
        return;
    }
    const decision = (0, plan_js_1.classifyPr)(ns, { repositoryId: inputs.repositoryId, protectedNames: inputs.protectedNames, pr });
    const age = (0, plan_js_1.namespaceAge)(ns, new Date());
    if (decision.kind !== 'delete') {
        const refused = decision.kind === 'skip' && decision.refused;
        const reason = decision.kind === 'skip' ? decision.reason : '';
        (refused ? log.error.bind(log) : log.info.bind(log))(`Namespace ${name} is not deleted: ${reason}`);
        rows.push({ namespace: name, pr, age, action: refused ? 'refused' : 'skipped', reason });
        return;
    }
    if (inputs.dryRun) {
        log.info(`dry run: would delete namespace ${name} (uid ${decision.uid}): ${decision.reason}`);
        rows.push({ namespace: name, pr, age, action: 'would delete', reason: decision.reason });
        return;
    }
    const terminating = ns.status?.phase === 'Terminating';
    if (inputs.uninstallReleases && !terminating)
        await (0, uninstall_js_1.uninstallReleases)(ctx, inputs, r.access, name, r.deps);
    rows.push(await deleteAndWait(r, decision, age));
}
async function deleteAndWait(r, d, age) {
    const { inputs } = r;
    const row = (action, reason) => ({ namespace: d.name, pr: d.pr, age, action, reason });
    const outcome = await (0, namespaces_1.deleteNamespace)(r.api, d.name, d.uid, r.retry);
    if (outcome === 'gone')
        return row('already gone', `${d.reason}; it was already gone`);
    if (outcome === 'uid-changed') {
        return row('refused', 'the name now belongs to another namespace (its UID changed since it was checked): not deleted');
    }
    r.ctx.log.info(`${d.name}: delete ${outcome === 'accepted' ? 'accepted' : 'already in progress'} (${d.reason})`);
    if (inputs.waitTimeoutMs === 0)
        return row('deleted', `${d.reason}; deletion started (not waited on)`);
    const w = await (0, namespaces_1.waitForNamespaceGone)(r.api, d.name, d.uid, {
        timeoutMs: inputs.waitTimeoutMs,
        retry: r.retry,
        ...(r.deps.sleep ? { sleep: r.deps.sleep } : {}),
    });
    if (w.gone)
        return row('deleted', d.reason);
    const why = w.conditions.length ? w.conditions.join('; ') : 'no deletion condition reported yet';
    return row('failed', `still ${w.phase || 'present'} after ${Math.round(w.waitedMs / 1000)}s: ${why}. Finalizers are never removed automatically: fix the resource or API service that blocks it`);
}
async function listOwned(r) {
    const { log } = r.ctx;
    const selector = (0, ownership_1.ownershipSelector)(r.inputs.repositoryId);
    return log.group(`List namespaces with ${selector}`, async () => {
        const l = await (0, namespaces_1.listNamespaces)(r.api, {
            labelSelector: selector,
            limit: r.inputs.pageSize,
            retry: r.retry,
            onRestart: (w) => log.warning(w),
        });
        log.info(`${l.items.length} namespace(s) in ${l.pages} page(s)${l.restarts ? `, ${l.restarts} restart(s)` : ''}`);
        return l.items;
    });
}
/** Guard and expiry first; the namespaces that need their PR's state are decided by a GitHub lookup. */
async function decideAll(r, listed, now) {
    const { inputs } = r;
    const policy = {
        repositoryId: inputs.repositoryId,
        protectedNames: inputs.protectedNames,
        maxAgeMs: inputs.maxAgeMs,
        now,
    };
    const first = listed.map((ns) => (0, plan_js_1.classify)(ns, policy));
    const toCheck = first.filter((d) => d.kind === 'check-pr');
    const decided = new Map(first.filter((d) => d.kind !== 'check-pr').map((d) => [d.name, d]));
    if (toCheck.length > 0) {
        await r.ctx.log.group(`Check ${toCheck.length} PR(s) on GitHub (${inputs.concurrency} at a time)`, async () => {
            const lookup = await (r.deps.prLookup ?? defaultLookup(r.ctx, r.deps))(inputs);
            await (0, plan_js_1.mapLimit)(toCheck, inputs.concurrency, async (d) => {
                const s = await lookup.state(d.pr);
                decided.set(d.name, (0, plan_js_1.decideByPr)(d, s.state, s.detail));
            });
            r.ctx.log.info(`${lookup.requests} GitHub API request(s)`);
        });
    }
    return first.map((d) => decided.get(d.name) ?? d);
}
/** Deletes with bounded concurrency; a 403 stops the ones not started yet, then is thrown. */
async function deleteAll(r, deletes, ageOf) {
    let forbidden;
    const age = (d) => ageOf.get(d.name) ?? '';
    await r.ctx.log.group(`Delete ${deletes.length} namespace(s) (${r.inputs.concurrency} at a time)`, async () => {
        const results = await (0, plan_js_1.mapLimit)(deletes, r.inputs.concurrency, async (d) => {
            try {
                return await deleteAndWait(r, d, age(d));
            }
            catch (err) {
                if (err instanceof namespaces_1.KubeApiError && err.status?.code === 403)
                    forbidden ??= err;
                const reason = err instanceof Error ? err.message : String(err);
                return { namespace: d.name, pr: d.pr, age: age(d), action: 'failed', reason };
            }
        }, () => forbidden !== undefined);
        deletes.forEach((d, i) => {
            const reason = 'not attempted: an earlier delete was forbidden (403)';
            r.rows.push(results[i] ?? { namespace: d.name, pr: d.pr, age: age(d), action: 'skipped', reason });
        });
    });
    if (forbidden)
        throw forbidden;
}
async function runGc(r, now) {
    const { log } = r.ctx;
    const listed = await listOwned(r);
    const ageOf = new Map(listed.map((ns) => [ns.metadata?.name ?? '', (0, plan_js_1.namespaceAge)(ns, now)]));
    const decisions = await decideAll(r, listed, now);
    for (const d of decisions) {
        if (d.kind !== 'skip')
            continue;
        if (d.refused)
            log.warning(`${d.name || '(unnamed)'} matched the ownership labels but is not deleted: ${d.reason}`);
        r.rows.push({ namespace: d.name, pr: d.pr, age: ageOf.get(d.name) ?? '', action: 'skipped', reason: d.reason });
    }
    const deletes = decisions.filter((d) => d.kind === 'delete');
    if (r.inputs.dryRun) {
        for (const d of deletes) {
            log.info(`dry run: would delete ${d.name} (uid ${d.uid}): ${d.reason}`);
            const age = ageOf.get(d.name) ?? '';
            r.rows.push({ namespace: d.name, pr: d.pr, age, action: 'would delete', reason: d.reason });
        }
        return;
    }
    if (deletes.length > 0)
        await deleteAll(r, deletes, ageOf);
}
function defaultLookup(ctx, deps) {
    return (inputs) => (0, github_js_1.githubPrLookup)({
        token: inputs.githubToken,
        baseUrl: inputs.githubApiUrl.href,
        owner: inputs.repository.owner,
        repo: inputs.repository.repo,
        log: ctx.log,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
}


/***/ }),

/***/ 670:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.run = run;
/**
 * pr-namespace-cleanup's run, loaded only once the inputs are valid (the bundle's cold start stays
 * small): cluster access, then mode pr or gc, then the verdict over every namespace.
 */
const action_kit_1 = __webpack_require__(5092);
const config_1 = __webpack_require__(7566);
const github_oidc_1 = __webpack_require__(8841);
const namespaces_1 = __webpack_require__(4416);
const modes_js_1 = __webpack_require__(6596);
const summary_js_1 = __webpack_require__(8020);
function accessKind(inputs) {
    if (inputs.inCluster)
        return 'in-cluster service account';
    return inputs.githubOidc ? `the job's GitHub OIDC token, audience ${inputs.githubOidc.audience}` : 'kubeconfig input';
}
async function loadAccess(ctx, inputs, deps) {
    const { log } = ctx;
    return log.group(`Load cluster access (${accessKind(inputs)})`, async () => {
        const a = inputs.inCluster
            ? await (0, config_1.loadInCluster)({
                env: ctx.env,
                secrets: ctx.secrets,
                ...(deps.serviceAccountPrefix ? { pathPrefix: deps.serviceAccountPrefix } : {}),
            })
            : inputs.githubOidc
                ? await (0, github_oidc_1.loadGithubOidc)(inputs.githubOidc, {
                    env: ctx.env,
                    secrets: ctx.secrets,
                    plugin: deps.credentialPlugin ?? (0, github_oidc_1.selfPlugin)(inputs.githubOidc.audience),
                })
                : await (0, config_1.loadKubeconfig)(inputs.kubeconfig, {
                    allowExecAuth: inputs.allowExecAuth,
                    secrets: ctx.secrets,
                    ...(inputs.context ? { context: inputs.context } : {}),
                });
        log.info(`API server ${a.host} (context ${a.context}, user ${a.user}, ${a.authMethod})`);
        for (const w of a.warnings)
            log.warning(w);
        return a;
    });
}
function retryOptions(ctx, deps) {
    return {
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        onRetry: (what, attempt, delay, why) => ctx.log.info(`${what}: ${why}; retry ${attempt} in ${delay} ms`),
    };
}
/** A cluster API call that failed (after the retries that were safe): an infrastructure failure. */
function clusterFailure(err, report) {
    report.fatal = err.message;
    const attempts = Number(/gave up after (\d+) attempts/.exec(err.message)?.[1] ?? 1);
    return new action_kit_1.InfraError(err.message, { service: `cluster ${report.host ?? ''}`.trim(), attempts }, { cause: err });
}
/**
 * A namespace refused (not ours, or its UID changed) is a policy refusal; one that could not be deleted
 * (still there after wait-timeout, or its delete failed) is the cluster's failure.
 */
function conclude(ctx, inputs, report) {
    const rows = report.rows;
    const failed = (0, summary_js_1.pick)(rows, 'failed', 'refused');
    if (failed.length > 0) {
        const message = `${failed.length} namespace(s) not cleaned up: ${failed.map((r) => `${r.namespace} (${r.action}: ${r.reason})`).join('; ')}`;
        if ((0, summary_js_1.pick)(rows, 'refused').length > 0)
            throw new action_kit_1.GateError(message);
        throw new action_kit_1.InfraError(message, { service: `cluster ${report.host ?? ''}`.trim(), attempts: 1 });
    }
    ctx.log.info(`Done: deleted ${(0, summary_js_1.pick)(rows, 'deleted').length}, skipped ${(0, summary_js_1.pick)(rows, 'skipped', 'already gone').length}${inputs.dryRun ? `, would delete ${(0, summary_js_1.pick)(rows, 'would delete').length}` : ''}`);
}
/** Cluster access, then mode pr or gc, then the verdict over every namespace. */
async function run(ctx, inputs, report, deps) {
    Object.assign(report, { mode: inputs.mode, pr: inputs.pr, dryRun: inputs.dryRun });
    try {
        const access = await loadAccess(ctx, inputs, deps);
        report.host = access.host;
        const api = await (0, namespaces_1.namespaceClient)(access.kubeConfig);
        const modeRun = { ctx, inputs, access, api, rows: report.rows, retry: retryOptions(ctx, deps), deps };
        if (inputs.mode === 'pr')
            await (0, modes_js_1.runPr)(modeRun);
        else
            await (0, modes_js_1.runGc)(modeRun, (deps.now ?? (() => new Date()))());
    }
    catch (err) {
        if (err instanceof namespaces_1.KubeApiError)
            throw clusterFailure(err, report);
        throw err;
    }
    conclude(ctx, inputs, report);
}


/***/ }),

/***/ 1949:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEPLOY_GRACE_MS = void 0;
exports.formatAge = formatAge;
exports.namespaceAge = namespaceAge;
exports.classify = classify;
exports.decideByPr = decideByPr;
exports.classifyPr = classifyPr;
exports.mapLimit = mapLimit;
/**
 * What to do with each namespace. Pure: namespaces, the policy and PR states in; decisions out.
 * The ownership guard (packages/kube ownership.ts) runs first for every namespace; nothing that fails
 * it is ever a candidate for deletion.
 */
const ownership_1 = __webpack_require__(999);
/**
 * gc runs outside the deploy's concurrency group (one group per PR would serialise every scheduled run
 * behind every preview), so it must not delete a namespace a deploy may still be working in: the
 * longest a deploy job may run (pr-preview.yml's deploy job: 20 min) plus a margin.
 */
exports.DEPLOY_GRACE_MS = 30 * 60_000;
function ageMs(ns, now) {
    const c = (0, ownership_1.createdAt)(ns);
    return c ? now.getTime() - c.getTime() : undefined;
}
/** Human age: 45s, 12m, 5h, 3d 4h. */
function formatAge(ms) {
    if (ms === undefined || ms < 0)
        return '';
    const s = Math.floor(ms / 1000);
    if (s < 60)
        return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m}m`;
    const h = Math.floor(m / 60);
    if (h < 48)
        return `${h}h`;
    const d = Math.floor(h / 24);
    return `${d}d ${h % 24}h`;
}
function namespaceAge(ns, now) {
    return formatAge(ageMs(ns, now));
}
/** gc, first pass: guard, then expiry / max-age; the rest need their PR's state. */
function classify(ns, policy) {
    const g = (0, ownership_1.checkDeletable)(ns, policy);
    const name = ns.metadata?.name ?? '';
    const uid = ns.metadata?.uid ?? '';
    if (!g.ok) {
        const pr = /^pr-([1-9][0-9]{0,8})$/.exec(name)?.[1];
        // keep=true and protected names are deliberate; anything else the selector matched is suspicious
        return {
            kind: 'skip',
            name,
            uid,
            pr: pr ? Number(pr) : undefined,
            reason: g.reason,
            refused: g.code !== 'keep' && g.code !== 'protected',
        };
    }
    const deployed = (0, ownership_1.deployedAt)(ns);
    const grace = policy.deployGraceMs ?? exports.DEPLOY_GRACE_MS;
    if (deployed && policy.now.getTime() - deployed.getTime() < grace) {
        return {
            kind: 'skip',
            name,
            uid,
            pr: g.pr,
            reason: `a deploy started ${formatAge(policy.now.getTime() - deployed.getTime())} ago (annotation polyglot-cd/deployed-at): kept for the next run, never deleted while it may be deployed into`,
            refused: false,
        };
    }
    const exp = (0, ownership_1.expiresAt)(ns);
    if (exp && policy.now.getTime() >= exp.getTime()) {
        return {
            kind: 'delete',
            name,
            uid,
            pr: g.pr,
            reason: `expired at ${(0, ownership_1.formatTime)(exp)} (annotation polyglot-cd/expires-at)`,
        };
    }
    const age = ageMs(ns, policy.now);
    if (policy.maxAgeMs > 0 && age !== undefined && age > policy.maxAgeMs) {
        return {
            kind: 'delete',
            name,
            uid,
            pr: g.pr,
            reason: `older than max-age (${formatAge(age)} > ${formatAge(policy.maxAgeMs)})`,
        };
    }
    return { kind: 'check-pr', name, uid, pr: g.pr };
}
/** gc, second pass: the PR's state decides. */
function decideByPr(d, state, detail = '') {
    switch (state) {
        case 'closed':
            return { kind: 'delete', name: d.name, uid: d.uid, pr: d.pr, reason: `PR #${d.pr} is closed` };
        case 'open':
            return { kind: 'skip', name: d.name, uid: d.uid, pr: d.pr, reason: `PR #${d.pr} is open`, refused: false };
        case 'not-found':
            return {
                kind: 'skip',
                name: d.name,
                uid: d.uid,
                pr: d.pr,
                reason: `PR #${d.pr} was not found in this repository; kept until it expires`,
                refused: false,
            };
        default:
            return {
                kind: 'skip',
                name: d.name,
                uid: d.uid,
                pr: d.pr,
                reason: `could not check PR #${d.pr}${detail ? `: ${detail}` : ''}; kept for the next run`,
                refused: false,
            };
    }
}
/** pr mode: the one namespace, or the reason it must not be deleted. */
function classifyPr(ns, policy) {
    const g = (0, ownership_1.checkDeletable)(ns, policy);
    const name = ns.metadata?.name ?? '';
    if (!g.ok)
        return {
            kind: 'skip',
            name,
            uid: ns.metadata?.uid ?? '',
            pr: policy.pr,
            reason: g.reason,
            refused: g.code !== 'keep',
        };
    return { kind: 'delete', name, uid: g.uid, pr: g.pr, reason: `PR #${g.pr} was closed` };
}
/** Runs `fn` over `items` with at most `limit` at a time; stops taking new items once `stop()` is true. */
async function mapLimit(items, limit, fn, stop = () => false) {
    const out = new Array(items.length).fill(undefined);
    let next = 0;
    const worker = async () => {
        while (next < items.length && !stop()) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return out;
}


/***/ }),

/***/ 4547:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.releaseNames = releaseNames;
exports.listHelmReleases = listHelmReleases;
exports.inClusterKubeconfigText = inClusterKubeconfigText;
/** Distinct release names from Helm's release Secrets (labels `owner=helm`, `name=<release>`). Pure. */
function releaseNames(secrets) {
    const names = new Set();
    for (const s of secrets) {
        const l = s.metadata?.labels ?? {};
        if (l['owner'] === 'helm' &&
            l['name'] &&
            /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(l['name']) &&
            l['name'].length <= 53)
            names.add(l['name']);
    }
    return [...names].sort();
}
async function listHelmReleases(kc, namespace) {
    const { CoreV1Api } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const core = kc.makeApiClient(CoreV1Api);
    const items = [];
    let cont;
    do {
        const page = await core.listNamespacedSecret({
            namespace,
            labelSelector: 'owner=helm',
            limit: 500,
            ...(cont ? { _continue: cont } : {}),
        });
        items.push(...page.items);
        cont = page.metadata?._continue || undefined;
    } while (cont);
    return releaseNames(items);
}
/** A kubeconfig file for helm on a runner pod: the service account's token file and CA, by path. */
function inClusterKubeconfigText(server, saDir) {
    return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${saDir}/ca.crt` } }],
        users: [{ name: 'service-account', user: { tokenFile: `${saDir}/token` } }],
        contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
        'current-context': 'in-cluster',
    });
}


/***/ }),

/***/ 678:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.uninstallReleases = uninstallReleases;
/**
 * Helm releases in a pr-<N> namespace are uninstalled before it is deleted, so that their hooks run.
 * Nothing here stops the deletion: a role that cannot be bound, releases that cannot be listed or an
 * uninstall that fails are warnings. Only helm itself not starting (not installed, or not answering
 * `helm version`) is a tool failure.
 */
const node_path_1 = __webpack_require__(6760);
const node_fs_1 = __webpack_require__(3024);
const action_kit_1 = __webpack_require__(5092);
const config_1 = __webpack_require__(7566);
const ensure_namespace_1 = __webpack_require__(7828);
const kubeconfig_file_1 = __webpack_require__(2958);
const namespaces_1 = __webpack_require__(4416);
const releases_js_1 = __webpack_require__(4547);
const describe = (err) => (err instanceof Error ? err.message : String(err));
/** The releases to uninstall; none when they cannot be read (the namespace's deletion removes them anyway). */
async function findReleases(ctx, inputs, access, namespace) {
    const { log } = ctx;
    if (inputs.namespaceRole) {
        // the cleanup identity reads no Secrets outside the pr-<N> it is about to delete (examples/rbac/cleanup.yaml)
        const bound = await (0, ensure_namespace_1.bindNamespaceRole)(access.kubeConfig, namespace, inputs.namespaceRole, {
            bindingName: 'polyglot-cd-cleanup',
            check: { verb: 'delete', resource: 'secrets' },
            log: (l) => log.info(l),
        }).then(() => true, (err) => {
            log.warning(`Could not bind ClusterRole ${inputs.namespaceRole} in ${namespace} (${describe(err)}); its Helm releases are not uninstalled, deleting the namespace removes them anyway, without their hooks`);
            return false;
        });
        if (!bound)
            return [];
    }
    return (0, releases_js_1.listHelmReleases)(access.kubeConfig, namespace).catch((err) => {
        log.warning(`Could not list the Helm releases in ${namespace} (${(0, namespaces_1.describeStatus)(err)}); deleting the namespace removes them anyway, without their hooks`);
        return [];
    });
}
async function uninstallReleases(ctx, inputs, access, namespace, deps) {
    const releases = await findReleases(ctx, inputs, access, namespace);
    if (releases.length === 0) {
        ctx.log.info(`No Helm releases in ${namespace}`);
        return;
    }
    const title = `Uninstall ${releases.length} Helm release(s) in ${namespace}: ${releases.join(', ')}`;
    await ctx.log.group(title, async () => {
        const temp = ctx.env['RUNNER_TEMP'];
        const text = inputs.inCluster
            ? (0, releases_js_1.inClusterKubeconfigText)(access.server, `${deps.serviceAccountPrefix ?? ''}${config_1.SERVICE_ACCOUNT_DIR}`)
            : 'kubeconfigText' in access && typeof access.kubeconfigText === 'string'
                ? access.kubeconfigText
                : inputs.kubeconfig;
        const path = (0, kubeconfig_file_1.writeKubeconfigFile)(text, temp);
        (0, kubeconfig_file_1.rememberKubeconfig)(ctx.protocol, path);
        try {
            const helm = await openHelm(ctx, inputs, path);
            await uninstallEach(ctx, inputs, helm, releases, namespace);
        }
        finally {
            (0, kubeconfig_file_1.removeKubeconfigFile)(path, temp);
        }
    });
}
/** Installs (or finds) helm and asks its version: helm runs with its own home and the written kubeconfig. */
async function openHelm(ctx, inputs, kubeconfigPath) {
    // loaded only on this path: most runs (gc, or no releases) never need helm
    const [{ CommandRunner }, { Helm }, { manifest }, { ensureTool }] = await Promise.all([
        __webpack_require__.e(/* import() */ 988).then(__webpack_require__.bind(__webpack_require__, 7988)),
        Promise.all(/* import() */[__webpack_require__.e(442), __webpack_require__.e(366)]).then(__webpack_require__.bind(__webpack_require__, 2366)),
        __webpack_require__.e(/* import() */ 879).then(__webpack_require__.t.bind(__webpack_require__, 2879, 23)),
        __webpack_require__.e(/* import() */ 145).then(__webpack_require__.bind(__webpack_require__, 145)),
    ]);
    const { log } = ctx;
    const version = inputs.helmVersion || manifest.tools['helm']?.defaultVersion || '';
    const tool = await ensureTool('helm', version, { log, secrets: ctx.secrets, env: ctx.env });
    const helmHome = (0, node_path_1.join)(ctx.env['RUNNER_TEMP'] ?? '/tmp', 'polyglot-cd-helm');
    (0, node_fs_1.mkdirSync)(helmHome, { recursive: true, mode: 0o700 });
    const env = {
        // keyless access: the credential plugin in the kubeconfig asks the runner's token service
        ...(inputs.githubOidc ? idTokenRequestEnv(ctx.env) : {}),
        KUBECONFIG: kubeconfigPath,
        HELM_KUBECONTEXT: inputs.context || '',
        HOME: helmHome,
        HELM_CACHE_HOME: (0, node_path_1.join)(helmHome, 'cache'),
        HELM_CONFIG_HOME: (0, node_path_1.join)(helmHome, 'config'),
        HELM_DATA_HOME: (0, node_path_1.join)(helmHome, 'data'),
    };
    const runner = new CommandRunner({ log, secrets: ctx.secrets, env: { ...ctx.env, ...env } });
    try {
        return await Helm.open(tool.path, runner, env);
    }
    catch (err) {
        if (err instanceof action_kit_1.ToolError)
            throw err;
        // helm answered, but not with a version this action can use: still the tool's failure
        throw new action_kit_1.ToolError(`helm cannot be used: ${describe(err)}`, {
            tool: 'helm',
            argv: [tool.path, ...Helm.versionArgs()],
            exitCode: 0,
            stderrTail: '',
        });
    }
}
/** One `helm uninstall --wait` per release; a failure is a warning (the namespace is deleted anyway). */
async function uninstallEach(ctx, inputs, helm, releases, namespace) {
    const { Helm: HelmClass } = await Promise.all(/* import() */[__webpack_require__.e(442), __webpack_require__.e(366)]).then(__webpack_require__.bind(__webpack_require__, 2366));
    const timeoutSeconds = Math.max(30, Math.round(inputs.waitTimeoutMs / 1000));
    for (const release of releases) {
        try {
            await helm.run(HelmClass.uninstallArgs(release, namespace, { timeoutSeconds, wait: true }, helm.major), {
                timeoutMs: (timeoutSeconds + 30) * 1000,
            });
            ctx.log.info(`Uninstalled release ${release}`);
        }
        catch (err) {
            ctx.log.warning(`helm uninstall ${release} failed (${describe(err)}); the namespace is deleted anyway`);
        }
    }
}
function idTokenRequestEnv(env) {
    const out = {};
    for (const k of ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'])
        if (env[k])
            out[k] = env[k];
    return out;
}


/***/ }),

/***/ 7566:
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
exports.SERVICE_ACCOUNT_DIR = void 0;
exports.inspectKubeconfig = inspectKubeconfig;
exports.parseKubeconfigText = parseKubeconfigText;
exports.loadKubeconfig = loadKubeconfig;
exports.loadInCluster = loadInCluster;
/**
 * Cluster access, loaded explicitly and nothing else:
 * - a kubeconfig given as an input's content (`loadKubeconfig`): inspected first (pure,
 *   `inspectKubeconfig`), its credentials registered as secrets, then loaded;
 * - or the in-cluster service account of a runner pod (`loadInCluster`).
 * Never `loadFromDefault()`, `~/.kube/config`, `$KUBECONFIG` or an unauthenticated
 * `http://localhost:8080` fallback.
 *
 * Tools that need a file (helm) get one from `writeKubeconfigFile`: 0600, written atomically in a
 * fresh 0700 directory under RUNNER_TEMP, its path saved to the step's state with
 * `rememberKubeconfig` so the action's `post:` step (`cleanupKubeconfig`) removes it even when the
 * main step failed.
 *
 * `@kubernetes/client-node` and `yaml` are imported lazily inside the functions that need them:
 * importing this module costs nothing at an action's start.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : '');
function named(list, key, input) {
    const out = new Map();
    if (list === undefined || list === null)
        return out;
    if (!Array.isArray(list))
        throw new action_kit_1.InputError(`Input "${input}": "${key}" must be a list`, input);
    list.forEach((entry, i) => {
        const name = isObj(entry) ? str(entry['name']) : '';
        if (name === '')
            throw new action_kit_1.InputError(`Input "${input}": ${key}[${i}] has no name`, input);
        out.set(name, entry);
    });
    return out;
}
function decodeBase64(v) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(v))
        return undefined;
    const text = Buffer.from(v, 'base64').toString('utf8');
    return text.trim() === '' ? undefined : text;
}
/**
 * Keys of a kubeconfig user that make a client read a file or run a program, in every spelling the
 * clients we hand the kubeconfig to accept: client-go (helm) decodes `tokenFile`, `client-certificate`,
 * `client-key`, `exec`, `auth-provider` (case-sensitively, but a spelling it ignores today could be
 * honoured by another decoder), @kubernetes/client-node reads `token-file`. Compared without case,
 * '-' or '_', so `token-file`, `tokenFile`, `TokenFile` and `token_file` are all refused.
 */
const USER_KEYS_REFUSED = new Map([
    ['tokenfile', 'file'],
    ['clientcertificate', 'file'],
    ['clientkey', 'file'],
    ['exec', 'program'],
    ['authprovider', 'program'],
]);
function normalizeKey(key) {
    return key.toLowerCase().replace(/[-_]/g, '');
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Checks every user (refused file and program entries) and returns each credential value in it. */
function userSecrets(users, policy, fail) {
    const secretValues = [];
    for (const [name, u] of users) {
        const user = isObj(u['user']) ? u['user'] : {};
        refuseUserKeys(name, user, policy, fail);
        for (const key of ['token', 'password'])
            if (str(user[key]))
                secretValues.push(str(user[key]));
        for (const key of ['client-key-data', 'client-certificate-data']) {
            const v = str(user[key]);
            if (!v)
                continue;
            secretValues.push(v);
            const decoded = decodeBase64(v);
            if (decoded)
                secretValues.push(decoded);
        }
        const ap = isObj(user['auth-provider']) && isObj(user['auth-provider']['config']) ? user['auth-provider']['config'] : {};
        for (const key of ['access-token', 'id-token', 'refresh-token', 'client-secret'])
            if (str(ap[key]))
                secretValues.push(str(ap[key]));
    }
    return secretValues;
}
/** Refuses a user's file references, and its programs unless `allowExecAuth`. */
function refuseUserKeys(name, user, policy, fail) {
    for (const key of Object.keys(user)) {
        const kind = USER_KEYS_REFUSED.get(normalizeKey(key));
        if (kind === undefined || user[key] === undefined || user[key] === null)
            continue;
        if (kind === 'program' && !policy.allowExecAuth) {
            fail(`user "${name}" has ${key === 'exec' || normalizeKey(key) === 'exec' ? 'an exec credential plugin, which runs a program on this runner' : `an ${key} entry`}; refused (set allow-exec-auth: true to allow it)`);
        }
        if (kind === 'file') {
            fail(`user "${name}" references a file (${key}); embed the credential instead (token, client-certificate-data, client-key-data)`);
        }
    }
}
/** `policy.context`, else `current-context`, else the only context. */
function contextNameOf(doc, contexts, policy, fail) {
    const contextName = policy.context ?? str(doc['current-context']);
    if (contextName !== '')
        return contextName;
    if (contexts.size === 1)
        return [...contexts.keys()][0];
    return fail(`no current-context is set and there are ${contexts.size} contexts (${[...contexts.keys()].join(', ') || 'none'})`);
}
/** Refuses a cluster that names its CA by file (any spelling of certificate-authority). */
function refuseCaFiles(clusters, fail) {
    for (const [cname, c] of clusters) {
        const body = isObj(c['cluster']) ? c['cluster'] : {};
        for (const key of Object.keys(body)) {
            if (normalizeKey(key) === 'certificateauthority' && body[key] !== undefined && body[key] !== null) {
                fail(`cluster "${cname}" references a file (${key}); embed the CA instead (certificate-authority-data)`);
            }
        }
    }
}
/** The cluster's server without trailing slashes, and its URL: https, or plain http to a loopback address. */
function serverOf(cluster, clusterName, fail) {
    const server = str(cluster['server']).replace(/\/+$/, '');
    let url;
    try {
        url = new URL(server);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        return fail(`cluster "${clusterName}" has no valid server URL (expected https://host[:port])`);
    }
    if (url.username || url.password)
        fail(`cluster "${clusterName}": the server URL must not contain credentials`);
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
        fail(`cluster "${clusterName}" uses plain http (${url.host}); credentials would travel unencrypted. Use https`);
    }
    return { server, url };
}
/** How the user authenticates, from the first credential it carries; undefined when it carries none. */
function authMethodOf(user) {
    if (str(user['token']))
        return 'token';
    if (str(user['client-certificate-data']) && str(user['client-key-data']))
        return 'client-certificate';
    if (str(user['username']) && str(user['password']))
        return 'basic';
    if (isObj(user['exec']))
        return 'exec';
    if (isObj(user['auth-provider']))
        return 'auth-provider';
    return undefined;
}
/** The `context`, `cluster` or `user` body of a named entry ({} when it has none). */
function bodyOf(entry, key) {
    const body = entry?.[key];
    return isObj(body) ? body : {};
}
/**
 * Validates a parsed kubeconfig (pure) and says which context, cluster, user and server it will
 * use. Throws an InputError that never quotes a credential.
 * - the context is `policy.context`, else `current-context`, else the only context;
 * - `exec` / `auth-provider` users are refused (anywhere in the file) unless allowExecAuth;
 * - `token-file`, `client-certificate` and `client-key` file references are refused: a kubeconfig
 *   from an input must embed its credentials (a file reference would send a file of this runner to
 *   the server named in the input);
 * - the user must carry credentials: no unauthenticated connection;
 * - the server must be https (plain http only to a loopback address).
 */
function inspectKubeconfig(doc, policy) {
    const input = policy.inputName ?? 'kubeconfig';
    const fail = (why) => {
        throw new action_kit_1.InputError(`Input "${input}": ${why}`, input);
    };
    if (!isObj(doc))
        return fail('expected a kubeconfig (YAML with clusters, users and contexts)');
    const kind = str(doc['kind']);
    if (kind !== '' && kind !== 'Config')
        fail(`expected kind: Config, got kind: ${JSON.stringify(kind.slice(0, 40))}`);
    const clusters = named(doc['clusters'], 'clusters', input);
    const users = named(doc['users'], 'users', input);
    const contexts = named(doc['contexts'], 'contexts', input);
    // credentials anywhere in the file are secrets, whichever context is used
    const secretValues = userSecrets(users, policy, fail);
    const contextName = contextNameOf(doc, contexts, policy, fail);
    const ctxEntry = contexts.get(contextName);
    if (!ctxEntry)
        fail(`context "${contextName}" does not exist (have: ${[...contexts.keys()].join(', ') || 'none'})`);
    const ctx = bodyOf(ctxEntry, 'context');
    const clusterName = str(ctx['cluster']);
    const userName = str(ctx['user']);
    const clusterEntry = clusters.get(clusterName);
    if (!clusterEntry)
        fail(`context "${contextName}" names cluster "${clusterName}", which does not exist`);
    const cluster = bodyOf(clusterEntry, 'cluster');
    refuseCaFiles(clusters, fail);
    const userEntry = users.get(userName);
    if (!userEntry) {
        fail(`context "${contextName}" names user "${userName}", which does not exist; refusing an unauthenticated connection`);
    }
    const user = bodyOf(userEntry, 'user');
    const { server, url } = serverOf(cluster, clusterName, fail);
    const warnings = [];
    if (cluster['insecure-skip-tls-verify'] === true) {
        warnings.push(`cluster "${clusterName}" sets insecure-skip-tls-verify: the API server's certificate is not checked`);
    }
    const authMethod = authMethodOf(user);
    if (!authMethod) {
        fail(`user "${userName}" has no credentials (token, client certificate + key, or username + password); refusing an unauthenticated connection`);
    }
    return {
        context: contextName,
        cluster: clusterName,
        user: userName,
        server,
        host: url.host,
        authMethod: authMethod,
        secretValues,
        warnings,
    };
}
/**
 * How kubeconfig text is parsed: the YAML 1.2 core schema plus `<<` merge keys, which client-go and
 * @kubernetes/client-node both honour (the inspection must see the merged entries); the parser's own
 * alias guard bounded like `checkYamlExpansion`, which then counts the result exactly; warnings not
 * printed (the text may hold credentials).
 */
const KUBECONFIG_YAML_OPTIONS = {
    version: '1.2',
    merge: true,
    maxAliasCount: action_kit_1.MAX_YAML_NODES,
    logLevel: 'error',
};
/** Parses kubeconfig text; a YAML error names the line only (the text may hold credentials). */
async function parseKubeconfigText(text, inputName = 'kubeconfig') {
    const { parse, YAMLError } = await __webpack_require__.e(/* import() */ 985).then(__webpack_require__.t.bind(__webpack_require__, 8985, 19));
    let doc;
    try {
        doc = parse(text, KUBECONFIG_YAML_OPTIONS);
    }
    catch (err) {
        if (!(err instanceof YAMLError) && /alias count/i.test(err.message)) {
            // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
            throw new action_kit_1.InputError(`Input "${inputName}" expands to more than ${action_kit_1.MAX_YAML_NODES} YAML values through its aliases (*name): refused before anything uses it (an alias bomb)`, inputName);
        }
        const line = err instanceof YAMLError ? err.linePos?.[0]?.line : undefined;
        throw new action_kit_1.InputError(`Input "${inputName}" is not valid YAML${typeof line === 'number' ? ` (line ${line})` : ''}; pass the whole kubeconfig file's content`, inputName);
    }
    (0, action_kit_1.checkYamlExpansion)(inputName, doc);
    return doc;
}
/**
 * Loads a kubeconfig from its content: parse, inspect (refusals above), register every credential
 * as a secret, then build the KubeConfig with the chosen context.
 */
async function loadKubeconfig(text, policy) {
    const doc = await parseKubeconfigText(text, policy.inputName);
    const facts = inspectKubeconfig(doc, policy);
    for (const v of facts.secretValues)
        policy.secrets.add(v);
    const { KubeConfig } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const kc = new KubeConfig();
    try {
        kc.loadFromString(text);
    }
    catch (err) {
        // client-node's own validation messages name fields, not values; redact anyway
        throw new action_kit_1.InputError(`Input "${policy.inputName ?? 'kubeconfig'}": ${policy.secrets.redact(err instanceof Error ? err.message : String(err))}`, policy.inputName ?? 'kubeconfig');
    }
    kc.setCurrentContext(facts.context);
    return {
        kubeConfig: kc,
        source: 'kubeconfig',
        server: facts.server,
        host: facts.host,
        context: facts.context,
        user: facts.user,
        authMethod: facts.authMethod,
        warnings: facts.warnings,
    };
}
exports.SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/**
 * The in-cluster service account of a runner pod: KUBERNETES_SERVICE_HOST/PORT from `env`, token
 * and CA from the service-account directory (`pathPrefix` for tests). The token file is re-read on
 * each request (projected tokens rotate) and its current value is registered as a secret.
 */
async function loadInCluster(opts) {
    const input = opts.inputName ?? 'in-cluster';
    const host = opts.env['KUBERNETES_SERVICE_HOST'] ?? '';
    const port = opts.env['KUBERNETES_SERVICE_PORT'] ?? '';
    const dir = `${opts.pathPrefix ?? ''}${exports.SERVICE_ACCOUNT_DIR}`;
    const tokenFile = (0, node_path_1.join)(dir, 'token');
    const caFile = (0, node_path_1.join)(dir, 'ca.crt');
    if (!host || !/^\d{1,5}$/.test(port)) {
        throw new action_kit_1.InputError(`Input "${input}" is true but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set: this runner is not a pod in a cluster. Pass a kubeconfig instead`, input);
    }
    if (!(0, node_fs_1.existsSync)(tokenFile) || !(0, node_fs_1.existsSync)(caFile)) {
        throw new action_kit_1.InputError(`Input "${input}" is true but ${dir} has no token and ca.crt: the runner pod has no service-account token mounted (automountServiceAccountToken: false?)`, input);
    }
    const token = (0, node_fs_1.readFileSync)(tokenFile, 'utf8').trim();
    if (token === '')
        throw new action_kit_1.InputError(`Input "${input}" is true but ${tokenFile} is empty`, input);
    opts.secrets.add(token);
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const server = `https://${hostPart}:${port}`;
    const { KubeConfig } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const kc = new KubeConfig();
    kc.loadFromOptions({
        clusters: [{ name: 'in-cluster', server, caFile, skipTLSVerify: false }],
        users: [{ name: 'service-account', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
        contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account' }],
        currentContext: 'in-cluster',
    });
    return {
        kubeConfig: kc,
        source: 'in-cluster',
        server,
        host: new URL(server).host,
        context: 'in-cluster',
        user: 'service-account',
        authMethod: 'service-account',
        warnings: [],
    };
}
__exportStar(__webpack_require__(2958), exports);


/***/ }),

/***/ 4766:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.redactCredentials = redactCredentials;
exports.isCrashing = isCrashing;
exports.diagnosePods = diagnosePods;
exports.warningEvents = warningEvents;
exports.culprit = culprit;
exports.renderDiagnostics = renderDiagnostics;
exports.describeApiError = describeApiError;
exports.collectDiagnostics = collectDiagnostics;
exports.clientNodeSource = clientNodeSource;
const REDACTED = '***';
/**
 * Log tails end up in job logs, summaries and outputs that anyone who can read the run sees. Besides the
 * registered secrets, hide what looks like a credential in an app's log: the password of a URL
 * (`postgres://app:s3cret@db`), `password=`/`token=`/`secret=`/`api_key=` values (also `:` and JSON
 * `"password": "…"`), `Bearer`/`Basic` authorization values, and PEM private-key blocks (every line
 * from BEGIN to END, which a tail may cut).
 */
function redactCredentials(lines) {
    const out = [];
    let inKey = false;
    for (const line of lines) {
        if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(line)) {
            inKey = !/-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(line);
            out.push(line.replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*$/, '-----BEGIN $1PRIVATE KEY----- [redacted]'));
            continue;
        }
        if (inKey) {
            if (/-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(line)) {
                inKey = false;
                out.push(line.replace(/^.*(-----END [A-Z0-9 ]*PRIVATE KEY-----)/, '$1'));
            }
            else {
                out.push('[redacted]');
            }
            continue;
        }
        // a tail that starts inside a key block: base64 lines of PEM length with nothing else on them
        if (/^\s*[A-Za-z0-9+/]{60,}={0,2}\s*$/.test(line)) {
            out.push('[redacted]');
            continue;
        }
        out.push(line
            .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi, `$1:${REDACTED}@`)
            .replace(/("?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)"?\s*[:=]\s*"?)([^\s",;&]+)/gi, `$1${REDACTED}`)
            .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`));
    }
    return out;
}
/** Reasons ranked by how surely they explain a failed rollout (higher first). */
const REASON_RANK = {
    InvalidImageName: 100,
    ErrImageNeverPull: 100,
    ImagePullBackOff: 95,
    ErrImagePull: 95,
    CreateContainerConfigError: 92,
    CreateContainerError: 90,
    RunContainerError: 90,
    OOMKilled: 88,
    CrashLoopBackOff: 85,
    Error: 80,
    ContainerCannotRun: 80,
    DeadlineExceeded: 75,
    Unschedulable: 70,
    Evicted: 65,
};
function iso(v) {
    if (v === undefined)
        return '';
    const d = v instanceof Date ? v : new Date(v);
    return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function podComponent(pod) {
    const l = pod.metadata?.labels ?? {};
    return (l['app.kubernetes.io/component'] ??
        l['app.kubernetes.io/name'] ??
        l['app'] ??
        pod.metadata?.ownerReferences?.[0]?.name ??
        pod.metadata?.name ??
        'pod');
}
function podReady(pod) {
    return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
/** Describes one pod's containers (init containers first). */
function describeContainers(pod) {
    const images = new Map();
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
        images.set(c.name, c.image ?? '');
    const statuses = [
        ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
        ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
    ];
    const out = statuses.map(({ s, init }) => {
        const st = s.state ?? {};
        // the image as the pod spec names it: containerd reports an image pulled by digest as its bare
        // config digest (sha256:…) in status.image, which names nothing the user deployed
        const base = {
            name: s.name,
            init,
            image: images.get(s.name) || s.image || '',
            ready: s.ready === true,
            restartCount: s.restartCount ?? 0,
        };
        const last = s.lastState?.terminated;
        const lastTermination = last
            ? { reason: last.reason ?? '', exitCode: last.exitCode ?? 0, message: (last.message ?? '').trim() }
            : undefined;
        if (st.waiting) {
            return {
                ...base,
                state: 'waiting',
                reason: st.waiting.reason ?? '',
                message: (st.waiting.message ?? '').trim(),
                lastTermination,
            };
        }
        if (st.terminated) {
            return {
                ...base,
                state: 'terminated',
                reason: st.terminated.reason ?? '',
                message: (st.terminated.message ?? '').trim(),
                exitCode: st.terminated.exitCode,
                lastTermination,
            };
        }
        if (st.running)
            return { ...base, state: 'running', reason: base.ready ? '' : 'NotReady', message: '', lastTermination };
        return { ...base, state: 'unknown', reason: '', message: '', lastTermination };
    });
    // containers without a status yet (pod not scheduled)
    for (const c of pod.spec?.containers ?? []) {
        if (!out.some((o) => o.name === c.name)) {
            out.push({
                name: c.name,
                init: false,
                image: c.image ?? '',
                ready: false,
                restartCount: 0,
                state: 'unknown',
                reason: '',
                message: '',
            });
        }
    }
    return out;
}
/** Whether a container crashed and its previous instance's log is worth reading. */
function isCrashing(c) {
    return (c.reason === 'CrashLoopBackOff' ||
        c.reason === 'OOMKilled' ||
        c.reason === 'Error' ||
        (c.restartCount > 0 && c.lastTermination !== undefined && c.lastTermination.exitCode !== 0));
}
/** The pods that are not ready, described. Pure. */
function diagnosePods(pods) {
    return pods
        .filter((p) => p.status?.phase !== 'Succeeded' && !p.metadata?.deletionTimestamp && !podReady(p))
        .map((pod) => ({
        name: pod.metadata?.name ?? '',
        component: podComponent(pod),
        phase: pod.status?.phase ?? 'Unknown',
        ready: false,
        conditions: (pod.status?.conditions ?? [])
            .filter((c) => c.status !== 'True')
            .map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: (c.message ?? '').trim() })),
        containers: describeContainers(pod),
    }));
}
/** Warning events, newest first. Pure. */
function warningEvents(events, opts = {}) {
    return events
        .filter((e) => e.type === 'Warning')
        .filter((e) => {
        if (!opts.names && !opts.prefix)
            return true;
        const n = e.involvedObject?.name ?? '';
        return ((opts.names?.has(n) ?? false) ||
            (opts.prefix !== undefined && (n === opts.prefix || n.startsWith(`${opts.prefix}-`))));
    })
        .map((e) => ({
        object: `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}`,
        reason: e.reason ?? '',
        message: (e.message ?? '').trim(),
        count: e.count ?? e.series?.count ?? 1,
        lastSeen: iso(e.lastTimestamp ??
            e.eventTime ??
            e.series?.lastObservedTime ??
            e.firstTimestamp ??
            e.metadata?.creationTimestamp),
    }))
        .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0))
        .slice(0, opts.max ?? 20);
}
function lastMeaningfulLine(lines) {
    const l = [...(lines ?? [])].reverse().find((x) => x.trim() !== '');
    return l ? l.trim() : '';
}
function shorten(text, max = 200) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
const rankOf = (r) => REASON_RANK[r] ?? 0;
/** One line naming what blocked the rollout, e.g. `backend: CrashLoopBackOff — exit 1: ModuleNotFoundError: …`. Pure. */
function culprit(pods, events = []) {
    const candidates = [];
    for (const p of pods) {
        for (const c of p.containers) {
            const who = p.containers.filter((x) => !x.init).length > 1 || c.init ? `${p.component} (container ${c.name})` : p.component;
            if (c.reason === 'CrashLoopBackOff' ||
                (c.state === 'terminated' && c.reason !== 'Completed') ||
                c.reason === 'OOMKilled') {
                const t = c.reason === 'CrashLoopBackOff'
                    ? c.lastTermination
                    : { reason: c.reason, exitCode: c.exitCode ?? 0, message: c.message };
                const oom = t?.reason === 'OOMKilled';
                const reason = c.reason === 'CrashLoopBackOff' ? 'CrashLoopBackOff' : c.reason || 'Error';
                const why = lastMeaningfulLine(c.logTail) || t?.message || '';
                const detail = [t ? `exit ${t.exitCode}${oom ? ' (OOMKilled: over its memory limit)' : ''}` : '', why]
                    .filter(Boolean)
                    .join(': ');
                candidates.push({
                    rank: Math.max(rankOf(reason), oom ? rankOf('OOMKilled') : 0),
                    line: `${who}: ${reason}${detail ? ` — ${shorten(detail)}` : ''}`,
                });
            }
            else if (c.state === 'waiting' &&
                c.reason &&
                c.reason !== 'ContainerCreating' &&
                c.reason !== 'PodInitializing') {
                candidates.push({
                    rank: rankOf(c.reason) || 50,
                    line: `${who}: ${c.reason}${c.message ? ` — ${shorten(c.message)}` : ''}`,
                });
            }
        }
        const sched = p.conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
        if (sched) {
            candidates.push({
                rank: rankOf(sched.reason) || 60,
                line: `${p.component}: ${sched.reason || 'not scheduled'}${sched.message ? ` — ${shorten(sched.message)}` : ''}`,
            });
        }
        if (p.phase === 'Running' && p.containers.every((c) => c.state === 'running')) {
            const probe = events.find((e) => e.object === `Pod/${p.name}` && e.reason === 'Unhealthy');
            candidates.push({
                rank: 40,
                line: `${p.component}: not ready${probe ? ` — ${shorten(probe.message)}` : ' — running, but its readiness probe does not pass'}`,
            });
        }
    }
    if (candidates.length === 0) {
        const p = pods[0];
        if (p)
            return `${p.component}: ${p.phase}, not ready`;
        const e = events[0];
        if (e)
            return `${e.object}: ${e.reason} — ${shorten(e.message)}`;
        return 'no pod is failing and no Warning event was recorded: the rollout may just be slow (raise timeout), or a non-pod resource (Job hook, PVC, Service) blocked it';
    }
    // highest rank first; among equals, the first pod (stable order)
    let best = candidates[0];
    for (const c of candidates)
        if (c.rank > best.rank)
            best = c;
    return best.line;
}
/** Plain-text report for the log group and the summary's <details>. Pure. */
function renderDiagnostics(d) {
    const out = [`Culprit: ${d.culprit}`, ''];
    out.push(`Pods not ready in namespace ${d.namespace}: ${d.pods.length} (of ${d.podsSeen} looked at)`);
    for (const p of d.pods) {
        out.push(`- ${p.name} [${p.component}] phase ${p.phase}`);
        for (const c of p.conditions)
            out.push(`    condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
        for (const c of p.containers) {
            const state = `${c.state}${c.reason ? ` ${c.reason}` : ''}${c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''}`;
            out.push(`    ${c.init ? 'init container' : 'container'} ${c.name} (${c.image}): ${state}, ${c.restartCount} restart(s)${c.message ? `: ${c.message}` : ''}`);
            if (c.lastTermination) {
                const t = c.lastTermination;
                out.push(`      last termination: ${t.reason || 'terminated'}, exit ${t.exitCode}${t.message ? `: ${t.message}` : ''}`);
            }
            if (c.logTail && c.logTail.length > 0) {
                out.push(`      last ${c.logTail.length} log line(s) of the crashed instance:`);
                for (const l of c.logTail)
                    out.push(`        | ${l}`);
            }
            else if (c.logError) {
                out.push(`      logs: ${c.logError}`);
            }
        }
    }
    out.push('', `Recent Warning events: ${d.events.length}`);
    for (const e of d.events)
        out.push(`- ${e.lastSeen || '?'} ${e.object} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
    if (d.errors.length > 0) {
        out.push('', 'Could not collect everything:');
        for (const e of d.errors)
            out.push(`- ${e}`);
    }
    return out.join('\n');
}
/** One line for a client-node ApiException (`HTTP 403 Forbidden: …`) or any other error. */
function describeApiError(err) {
    const e = err;
    if (typeof e?.code === 'number') {
        try {
            const s = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body);
            if (s && (s.reason || s.message))
                return `HTTP ${e.code} ${s.reason ?? ''}: ${s.message ?? ''}`.trim();
        }
        catch {
            // not JSON
        }
        return `HTTP ${e.code}`;
    }
    return err instanceof Error ? err.message : String(err);
}
function withTimeout(p, ms, what) {
    let timer;
    const t = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)}s`)), ms);
        timer.unref();
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
/** Collects the diagnostics of a namespace. Never throws: what could not be read is listed in `errors`. */
async function collectDiagnostics(source, namespace, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const logLines = opts.logLines ?? 20;
    const errors = [];
    let pods = [];
    let rawEvents = [];
    const [podsResult, eventsResult] = await Promise.allSettled([
        (async () => {
            const selector = opts.release ? `app.kubernetes.io/instance=${opts.release}` : undefined;
            let list = await withTimeout(source.listPods(namespace, selector), timeoutMs, 'list pods');
            if (list.length === 0 && selector)
                list = await withTimeout(source.listPods(namespace), timeoutMs, 'list pods');
            return list;
        })(),
        withTimeout(source.listWarningEvents(namespace), timeoutMs, 'list events'),
    ]);
    if (podsResult.status === 'fulfilled')
        pods = podsResult.value;
    else
        errors.push(`pods: ${describeApiError(podsResult.reason)}`);
    if (eventsResult.status === 'fulfilled')
        rawEvents = eventsResult.value;
    else
        errors.push(`events: ${describeApiError(eventsResult.reason)}`);
    const diagnosed = diagnosePods(pods).slice(0, opts.maxPods ?? 10);
    // logs of crashing containers, a bounded number, concurrently
    if (logLines > 0) {
        const wanted = diagnosed
            .flatMap((p) => p.containers.filter(isCrashing).map((c) => ({ p, c })))
            .slice(0, opts.maxLogs ?? 5);
        await Promise.all(wanted.map(async ({ p, c }) => {
            // a container that is terminated right now is the crashed instance itself; once it waits to be
            // restarted (CrashLoopBackOff) or runs again, the crashed one is the previous instance (the kubelet
            // keeps one dead instance per container, so `previous` of a terminated one is already gone)
            const previous = c.state !== 'terminated' && (c.restartCount > 0 || c.reason === 'CrashLoopBackOff');
            try {
                const text = await withTimeout(source.podLog(namespace, p.name, c.name, { previous, tailLines: logLines }), timeoutMs, 'read log');
                const tail = text
                    .split(/\r?\n/)
                    .filter((l, i, a) => l !== '' || i < a.length - 1)
                    .slice(-logLines);
                c.logTail = redactCredentials(opts.redact ? tail.map(opts.redact) : tail);
            }
            catch (err) {
                c.logError = `not available (${describeApiError(err)})`;
            }
        }));
    }
    const names = new Set(pods.map((p) => p.metadata?.name ?? ''));
    const events = warningEvents(rawEvents, opts.release ? { names, prefix: opts.release, max: opts.maxEvents } : { max: opts.maxEvents });
    return { namespace, pods: diagnosed, podsSeen: pods.length, events, culprit: culprit(diagnosed, events), errors };
}
/** A DiagnosticsSource over @kubernetes/client-node (imported here, lazily). List calls page with limit/continue. */
async function clientNodeSource(kc) {
    const { CoreV1Api } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const core = kc.makeApiClient(CoreV1Api);
    const pageAll = async (page) => {
        const items = [];
        let cont;
        for (let i = 0; i < 50; i++) {
            const res = await page(cont);
            items.push(...res.items);
            cont = res.metadata?._continue;
            if (!cont)
                break;
        }
        return items;
    };
    return {
        listPods: (namespace, labelSelector) => pageAll((cont) => core.listNamespacedPod({ namespace, labelSelector, limit: 200, _continue: cont })),
        listWarningEvents: (namespace) => pageAll((cont) => core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning', limit: 500, _continue: cont })),
        podLog: (namespace, pod, container, o) => core.readNamespacedPodLog({ namespace, name: pod, container, previous: o.previous, tailLines: o.tailLines }),
    };
}


/***/ }),

/***/ 7828:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.NamespaceError = void 0;
exports.terminatingReasons = terminatingReasons;
exports.ensureNamespace = ensureNamespace;
exports.clientNodeNamespaceApi = clientNodeNamespaceApi;
exports.bindNamespaceRole = bindNamespaceRole;
const diagnostics_js_1 = __webpack_require__(4766);
const ownership_js_1 = __webpack_require__(999);
class NamespaceError extends Error {
    name = 'NamespaceError';
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
exports.NamespaceError = NamespaceError;
function httpCode(err) {
    const c = err?.code;
    return typeof c === 'number' ? c : undefined;
}
function isTerminating(ns) {
    return ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp !== undefined;
}
/** The deletion conditions that hold (status True), for the timeout message. */
function terminatingReasons(ns) {
    return (ns.status?.conditions ?? [])
        .filter((c) => c.status === 'True')
        .map((c) => `${c.type}: ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`);
}
function owned(ns, ownerLabels) {
    const labels = ns.metadata?.labels ?? {};
    return Object.entries(ownerLabels).every(([k, v]) => labels[k] === v);
}
/** The error for a namespace still Terminating when the wait is over, with what blocks its deletion. */
function stillTerminating(name, ns, elapsedMs) {
    const reasons = terminatingReasons(ns);
    return new NamespaceError(`Namespace ${name} is still Terminating after ${Math.round(elapsedMs / 1000)}s, so nothing can be deployed into it.` +
        (reasons.length ? ` Its deletion is blocked: ${reasons.join('; ')}.` : '') +
        ' Finalizers are never removed automatically: find the resource that still has a finalizer (or the API service that fails discovery), fix it, and run again.');
}
/** With `refuseOtherRepository`: the error for a namespace another repository's polyglot-cd owns. */
function otherRepositoryError(name, ns, o) {
    const theirs = ns.metadata?.labels ?? {};
    const ourId = o.ownerLabels[ownership_js_1.LABEL_REPOSITORY_ID];
    if (o.refuseOtherRepository &&
        theirs[ownership_js_1.LABEL_MANAGED_BY] === ownership_js_1.MANAGED_BY &&
        ourId &&
        theirs[ownership_js_1.LABEL_REPOSITORY_ID] &&
        theirs[ownership_js_1.LABEL_REPOSITORY_ID] !== ourId) {
        return new NamespaceError(`Namespace ${name} belongs to another repository (${ownership_js_1.LABEL_REPOSITORY_ID}=${theirs[ownership_js_1.LABEL_REPOSITORY_ID]}${ns.metadata?.annotations?.[ownership_js_1.ANNOTATION_REPOSITORY] ? `, ${ns.metadata.annotations[ownership_js_1.ANNOTATION_REPOSITORY]}` : ''}; this repository is ${ourId}): nothing was deployed. Two repositories share this cluster's pr-<N> names: give each its own cluster or namespace prefix.`);
    }
    return undefined;
}
/** A namespace that exists and is not terminating: ours gets its annotations refreshed, a foreign one is left as it is. */
async function useExisting(api, name, ns, o, log, elapsedMs) {
    if (owned(ns, o.ownerLabels)) {
        try {
            await api.mergeAnnotations(name, o.annotations);
        }
        catch (err) {
            // the deploy can go on; the expiry just isn't extended
            log(`could not refresh the annotations of namespace ${name}: ${(0, diagnostics_js_1.describeApiError)(err)}`);
        }
        return { outcome: 'exists-owned', uid: ns.metadata?.uid ?? '', waitedMs: elapsedMs() };
    }
    const refusal = otherRepositoryError(name, ns, o);
    if (refusal)
        throw refusal;
    log(`namespace ${name} exists and was not created by this repository's polyglot-cd: deploying into it without changing its labels`);
    return { outcome: 'exists-foreign', uid: ns.metadata?.uid ?? '', waitedMs: elapsedMs() };
}
async function ensureNamespace(api, name, o) {
    const sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = o.now ?? Date.now;
    const log = o.log ?? (() => { });
    const started = now();
    const fail = (err, what) => {
        const code = httpCode(err);
        const hint = code === 403
            ? ' The credentials may not read or create namespaces: grant get/create on namespaces, or create the namespace beforehand and set create-namespace: false (then only namespace-scoped permissions are needed).'
            : '';
        throw new NamespaceError(`Could not ${what} namespace ${name}: ${(0, diagnostics_js_1.describeApiError)(err)}.${hint}`, code);
    };
    let waited = false;
    for (let attempt = 0; attempt < 1000; attempt++) {
        let ns;
        try {
            ns = await api.read(name);
        }
        catch (err) {
            fail(err, 'read');
        }
        if (ns === undefined) {
            let created = 'created';
            try {
                created = await api.create(name, o.labels, o.annotations);
            }
            catch (err) {
                // 403 with NamespaceTerminating cause cannot happen on a namespace create; anything else is fatal
                fail(err, 'create');
            }
            if (created === 'exists') {
                log(`namespace ${name} was created concurrently by another deploy; reading it again`);
                continue;
            }
            const again = await api.read(name).catch(() => undefined);
            log(`created namespace ${name}`);
            return {
                outcome: waited ? 'created-after-terminating' : 'created',
                uid: again?.metadata?.uid ?? '',
                waitedMs: now() - started,
            };
        }
        if (isTerminating(ns)) {
            const elapsed = now() - started;
            if (elapsed >= o.terminatingTimeoutMs)
                throw stillTerminating(name, ns, elapsed);
            if (!waited)
                log(`namespace ${name} is Terminating (being deleted): waiting up to ${Math.round(o.terminatingTimeoutMs / 1000)}s for it to go before creating it again`);
            waited = true;
            await sleep(o.pollMs ?? 1000);
            continue;
        }
        return useExisting(api, name, ns, o, log, () => now() - started);
    }
    throw new NamespaceError(`Could not create namespace ${name}: it kept changing`);
}
/** A NamespaceApi over @kubernetes/client-node (imported here, lazily). */
async function clientNodeNamespaceApi(kc) {
    const { CoreV1Api, PatchStrategy, setHeaderOptions } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const core = kc.makeApiClient(CoreV1Api);
    return {
        async read(name) {
            try {
                return await core.readNamespace({ name });
            }
            catch (err) {
                if (httpCode(err) === 404)
                    return undefined;
                throw err;
            }
        },
        async create(name, labels, annotations) {
            try {
                await core.createNamespace({
                    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } },
                });
                return 'created';
            }
            catch (err) {
                if (httpCode(err) === 409)
                    return 'exists';
                throw err;
            }
        },
        async mergeAnnotations(name, annotations) {
            await core.patchNamespace({ name, body: { metadata: { annotations } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
        },
    };
}
/**
 * Binds this identity (whoever the kubeconfig authenticates as, asked with a SelfSubjectReview) to the
 * ClusterRole `role` inside `namespace` with a RoleBinding (`polyglot-cd-deployer` unless `bindingName`),
 * then waits until the API server authorizes it (a SelfSubjectAccessReview for `check`, default
 * `create secrets`, which helm's release records need). So a preview identity needs cluster-wide
 * rights only to create namespaces and bind that one role, and the cleanup identity only to delete
 * namespaces and bind its own, not to read every namespace's Secrets and logs. An existing binding is kept.
 */
async function bindNamespaceRole(kc, namespace, role, opts = {}) {
    const { AuthenticationV1Api, AuthorizationV1Api, RbacAuthorizationV1Api } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const who = await kc
        .makeApiClient(AuthenticationV1Api)
        .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    const username = who.status?.userInfo?.username ?? '';
    if (!username)
        throw new NamespaceError('Could not tell which identity the kubeconfig authenticates as (SelfSubjectReview returned no user name)');
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
    const subject = sa
        ? { kind: 'ServiceAccount', name: sa[2], namespace: sa[1] }
        : { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: username };
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    try {
        await rbac.createNamespacedRoleBinding({
            namespace,
            body: {
                metadata: { name: opts.bindingName ?? 'polyglot-cd-deployer', labels: { [ownership_js_1.LABEL_MANAGED_BY]: ownership_js_1.MANAGED_BY } },
                roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
                subjects: [subject],
            },
        });
        opts.log?.(`bound ${username} to ClusterRole ${role} in ${namespace}`);
    }
    catch (err) {
        if (httpCode(err) !== 409) {
            throw new NamespaceError(`Could not bind ClusterRole ${role} in namespace ${namespace}: ${(0, diagnostics_js_1.describeApiError)(err)}. The identity needs create on rolebindings and bind on that ClusterRole (examples/rbac/preview.yaml, cleanup.yaml).`, httpCode(err));
        }
    }
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    const check = opts.check ?? { verb: 'create', resource: 'secrets' };
    for (;;) {
        const r = await authz.createSelfSubjectAccessReview({
            body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: { resourceAttributes: { namespace, ...check } },
            },
        });
        if (r.status?.allowed)
            return username;
        if (Date.now() > deadline)
            throw new NamespaceError(`${username} still may not ${check.verb} ${check.resource} in ${namespace} after binding ClusterRole ${role}: does that ClusterRole grant it?`);
        await new Promise((res) => setTimeout(res, 200));
    }
}


/***/ }),

/***/ 2958:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KUBECONFIG_STATE = void 0;
exports.writeKubeconfigFile = writeKubeconfigFile;
exports.removeKubeconfigFile = removeKubeconfigFile;
exports.rememberKubeconfig = rememberKubeconfig;
exports.cleanupKubeconfig = cleanupKubeconfig;
exports.kubeconfigPostStep = kubeconfigPostStep;
/**
 * The kubeconfig file for tools that need one (helm), and its removal in the action's post step.
 * No client-node import here, so a post step that only cleans up stays small.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const DIR_PREFIX = 'polyglot-cd-kube-';
const FILE_NAME = 'kubeconfig';
/**
 * Writes kubeconfig content for tools that need a file: a fresh 0700 directory under RUNNER_TEMP
 * (its name is random and nobody else may enter it), the content written to a 0600 temp file created
 * exclusively there, then renamed into place, so no reader ever sees a partial or wider-permission
 * file. Not fsynced: the file lives for one step and is removed by it (or its post step). Returns the path.
 */
function writeKubeconfigFile(content, runnerTemp) {
    if (!runnerTemp || !(0, node_path_1.isAbsolute)(runnerTemp)) {
        throw new Error('RUNNER_TEMP is not set to an absolute path: refusing to write the kubeconfig anywhere else');
    }
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)(runnerTemp, DIR_PREFIX));
    const tmp = (0, node_path_1.join)(dir, `.${FILE_NAME}.tmp`);
    const fd = (0, node_fs_1.openSync)(tmp, 'wx', 0o600);
    try {
        (0, node_fs_1.writeSync)(fd, content);
    }
    finally {
        (0, node_fs_1.closeSync)(fd);
    }
    const path = (0, node_path_1.join)(dir, FILE_NAME);
    (0, node_fs_1.renameSync)(tmp, path);
    return path;
}
/**
 * Removes a file written by writeKubeconfigFile, and its directory. Only paths of that shape under
 * `runnerTemp` are touched. Returns whether something was removed; a missing file is not an error.
 */
function removeKubeconfigFile(path, runnerTemp) {
    if (!path || !runnerTemp)
        return false;
    const abs = (0, node_path_1.resolve)(path);
    const dir = (0, node_path_1.dirname)(abs);
    const rel = (0, node_path_1.relative)((0, node_path_1.resolve)(runnerTemp), dir);
    if ((0, node_path_1.basename)(abs) !== FILE_NAME || !(0, node_path_1.basename)(dir).startsWith(DIR_PREFIX) || rel !== (0, node_path_1.basename)(dir))
        return false;
    if (!(0, node_fs_1.existsSync)(dir))
        return false;
    (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    return true;
}
/** The state key under which the main step leaves the kubeconfig path for the post step. */
exports.KUBECONFIG_STATE = 'kubeconfig_path';
function rememberKubeconfig(runner, path) {
    runner.saveState(exports.KUBECONFIG_STATE, path);
}
/** For an action's `post:` step: removes the kubeconfig the main step wrote, if any. Never throws. */
function cleanupKubeconfig(runner, log) {
    const path = runner.getState(exports.KUBECONFIG_STATE);
    if (!path)
        return;
    try {
        if (removeKubeconfigFile(path, runner.env['RUNNER_TEMP']))
            log.info('Removed the kubeconfig written by this action');
    }
    catch (err) {
        log.warning(`Could not remove the kubeconfig written by this action: ${err instanceof Error ? err.message : String(err)}`);
    }
}
/**
 * The post step of an action that writes a kubeconfig (`post-if: always()`): removes the file if it is
 * still there, e.g. after a cancelled main step. No inputs, no outputs, no summary of its own.
 */
function kubeconfigPostStep(name) {
    return (0, action_kit_1.defineAction)({
        name: `${name} (post)`,
        inputs: () => ({}),
        initial: () => ({}),
        run: async (ctx) => cleanupKubeconfig(ctx.protocol, ctx.log),
        outputs: () => ({}),
        summary: () => { },
    });
}


/***/ }),

/***/ 4416:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KubeApiError = void 0;
exports.namespaceClient = namespaceClient;
exports.apiStatus = apiStatus;
exports.describeStatus = describeStatus;
exports.isRetryable = isRetryable;
exports.retryDelay = retryDelay;
exports.withRetries = withRetries;
exports.listNamespaces = listNamespaces;
exports.isPreconditionFailure = isPreconditionFailure;
exports.deleteNamespace = deleteNamespace;
exports.blockingConditions = blockingConditions;
exports.waitForNamespaceGone = waitForNamespaceGone;
const retry_1 = __webpack_require__(786);
/** A CoreV1Api over a loaded KubeConfig (client-node imported here, lazily). */
async function namespaceClient(kc) {
    const { CoreV1Api } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    return kc.makeApiClient(CoreV1Api);
}
function apiStatus(err) {
    const e = err;
    if (!e || typeof e.code !== 'number')
        return undefined;
    let body = {};
    try {
        const parsed = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
        if (parsed && typeof parsed === 'object')
            body = parsed;
    }
    catch {
        // not JSON (a proxy's HTML page): code only
    }
    const ra = e.headers?.['retry-after'] ?? e.headers?.['Retry-After'];
    const retryAfterS = ra && /^\d+$/.test(ra) ? Number(ra) : body.details?.retryAfterSeconds;
    return {
        code: e.code,
        reason: body.reason ?? '',
        message: body.message ?? '',
        causes: body.details?.causes ?? [],
        ...(retryAfterS !== undefined ? { retryAfterMs: retryAfterS * 1000 } : {}),
    };
}
/** One line: `HTTP 403 Forbidden: namespaces "pr-7" is forbidden: …`. */
function describeStatus(err) {
    const s = apiStatus(err);
    if (!s)
        return err instanceof Error ? err.message : String(err);
    return `HTTP ${s.code}${s.reason ? ` ${s.reason}` : ''}${s.message ? `: ${s.message}` : ''}`;
}
/** A call that failed for good (403, other 4xx, or retries used up). */
class KubeApiError extends Error {
    name = 'KubeApiError';
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
exports.KubeApiError = KubeApiError;
function isRetryable(err) {
    const s = apiStatus(err);
    if (!s)
        return !(err instanceof KubeApiError); // network errors (fetch failed, ECONNRESET…)
    return s.code === 429 || s.code >= 500;
}
const defaultSleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A server's Retry-After is honoured up to this many times `maxDelayMs`. */
const RETRY_AFTER_CAP_FACTOR = 4;
/**
 * The wait before attempt `attempt + 1`: the shared backoff of @polyglot-cd/tools (exponential, equal
 * jitter, capped at `maxDelayMs`), or the server's Retry-After, never less than `baseDelayMs` nor more
 * than RETRY_AFTER_CAP_FACTOR times `maxDelayMs`.
 */
function retryDelay(attempt, policy, retryAfterMs, random) {
    if (retryAfterMs === undefined)
        return (0, retry_1.backoffDelay)(attempt, policy, undefined, random);
    const retryAfterPolicy = { ...policy, maxDelayMs: policy.maxDelayMs * RETRY_AFTER_CAP_FACTOR };
    return (0, retry_1.backoffDelay)(attempt, retryAfterPolicy, Math.max(retryAfterMs, policy.baseDelayMs), random);
}
/** Runs `fn`, retrying 429 / 5xx / network errors with exponential backoff and jitter (`retryDelay`). */
async function withRetries(what, fn, o = {}) {
    const policy = {
        attempts: o.attempts ?? 5,
        baseDelayMs: o.baseDelayMs ?? 250,
        maxDelayMs: o.maxDelayMs ?? 8000,
    };
    const attempts = policy.attempts;
    const sleep = o.sleep ?? defaultSleep;
    const random = o.random ?? Math.random;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn();
        }
        catch (err) {
            if (!isRetryable(err) || attempt >= attempts) {
                if (isRetryable(err)) {
                    throw new KubeApiError(`${what}: ${describeStatus(err)} (gave up after ${attempt} attempts)`, apiStatus(err));
                }
                throw err;
            }
            const delay = retryDelay(attempt, policy, apiStatus(err)?.retryAfterMs, random);
            o.onRetry?.(what, attempt, delay, describeStatus(err));
            await sleep(delay);
        }
    }
}
/** Lists every namespace matching the selector, page by page. */
async function listNamespaces(api, o = {}) {
    const limit = o.limit ?? 500;
    const maxRestarts = o.maxRestarts ?? 3;
    let pages = 0;
    for (let restarts = 0;; restarts++) {
        const items = [];
        let cont;
        try {
            do {
                const page = await withRetries('list namespaces', () => api.listNamespace({
                    ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
                    limit,
                    ...(cont ? { _continue: cont } : {}),
                }), o.retry);
                pages++;
                items.push(...page.items);
                cont = page.metadata?._continue || undefined;
            } while (cont);
            return { items, pages, restarts };
        }
        catch (err) {
            const s = apiStatus(err);
            if (s?.code === 410 && restarts < maxRestarts) {
                o.onRestart?.(`the continue token expired (${describeStatus(err)}): listing again from the start`);
                continue;
            }
            if (s?.code === 403)
                throw new KubeApiError(`list namespaces is forbidden: ${describeStatus(err)}`, s);
            throw err;
        }
    }
}
function isPreconditionFailure(s) {
    return s.code === 409 && /precondition/i.test(s.message);
}
/** Deletes namespace `name` only if its UID is still `uid`. Throws KubeApiError on 403 and other failures. */
async function deleteNamespace(api, name, uid, retry) {
    if (!uid)
        throw new Error(`refusing to delete namespace ${name} without a UID precondition`);
    try {
        await withRetries(`delete namespace ${name}`, () => api.deleteNamespace({ name, body: { preconditions: { uid }, propagationPolicy: 'Background' } }), retry);
        return 'accepted';
    }
    catch (err) {
        const s = apiStatus(err) ?? (err instanceof KubeApiError ? err.status : undefined);
        if (s?.code === 404)
            return 'gone';
        if (s && isPreconditionFailure(s))
            return 'uid-changed';
        if (s?.code === 409)
            return 'terminating';
        if (s?.code === 403) {
            throw new KubeApiError(`delete namespace ${name} is forbidden: ${describeStatus(err)}. The credentials need the "delete" verb on namespaces (a ClusterRole bound to the cleanup identity, or a ValidatingAdmissionPolicy that allows it)`, s);
        }
        if (err instanceof KubeApiError)
            throw err;
        throw new KubeApiError(`delete namespace ${name}: ${describeStatus(err)}`, s);
    }
}
/** The deletion conditions that hold (status True): why a namespace stays Terminating. */
function blockingConditions(ns) {
    return (ns.status?.conditions ?? [])
        .filter((c) => c.status === 'True')
        .map((c) => `${c.type ?? '?'}: ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`);
}
/** Waits until namespace `name` with UID `uid` no longer exists (a new one with the same name counts as gone). */
async function waitForNamespaceGone(api, name, uid, o) {
    const sleep = o.sleep ?? defaultSleep;
    const now = o.now ?? Date.now;
    const start = now();
    const maxInterval = Math.max(o.intervalMs ?? 250, 1000);
    let interval = Math.min(o.intervalMs ?? 250, maxInterval);
    for (;;) {
        let ns;
        try {
            ns = await withRetries(`read namespace ${name}`, () => api.readNamespace({ name }), o.retry);
        }
        catch (err) {
            const s = apiStatus(err);
            if (s?.code === 404)
                return { gone: true, waitedMs: now() - start };
            if (s?.code === 403)
                throw new KubeApiError(`read namespace ${name} is forbidden: ${describeStatus(err)}`, s);
            throw err;
        }
        if (ns.metadata?.uid && ns.metadata.uid !== uid)
            return { gone: true, waitedMs: now() - start };
        const waited = now() - start;
        if (waited >= o.timeoutMs) {
            return {
                gone: false,
                waitedMs: waited,
                phase: ns.status?.phase ?? '',
                conditions: blockingConditions(ns),
                finalizers: (ns.spec?.finalizers ?? []).slice(),
            };
        }
        await sleep(Math.min(interval, Math.max(1, o.timeoutMs - waited)));
        interval = Math.min(interval * 2, maxInterval);
    }
}


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


/***/ })

};
