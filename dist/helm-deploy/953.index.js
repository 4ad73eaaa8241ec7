export const id = 953;
export const ids = [953];
export const modules = {

/***/ 2953:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.getAllValuesArgs = getAllValuesArgs;
exports.readRelease = readRelease;
/**
 * mode: read: what a release runs, for a promotion without a rebuild (its images by digest) and for
 * migrations that run only when they changed (its `migrations.hash`). The cluster is reached and helm
 * installed exactly as for a deploy; then only `helm history --max 1` (the current revision and its
 * status: unlike Helm 4's `helm status -o json`, it reads nothing but Helm's release records) and `helm
 * get values --all` of that revision run. Nothing is created or changed: no namespace, order claim, pull
 * secret, install, rollback or check. A release that does not exist (unless allow-missing), or whose
 * current revision is not `deployed` (failed, pending, uninstalling…), is an error: it is never promoted.
 */
const node_fs_1 = __webpack_require__(3024);
const action_kit_1 = __webpack_require__(5092);
const kube_1 = __webpack_require__(3234);
const helm_1 = __webpack_require__(2366);
const cluster_js_1 = __webpack_require__(3511);
const install_js_1 = __webpack_require__(7062);
const release_values_js_1 = __webpack_require__(2923);
/** `helm get values --all` of one revision: the values it was deployed with, chart defaults included. */
function getAllValuesArgs(release, namespace, revision) {
    return [
        'get',
        'values',
        '--all',
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
/** The release's current revision, which must exist and be deployed. */
async function currentRevision(helm, inp, report) {
    const current = (await helm.history(inp.release, inp.namespace, 1)).pop();
    if (!current && inp.allowMissing)
        return undefined;
    if (!current) {
        throw new action_kit_1.InputError(`Input "release" has an invalid value ${JSON.stringify(inp.release)}: there is no release ${inp.release} in namespace ${inp.namespace} (helm history: release: not found); name a release deployed there, as helm list --namespace ${inp.namespace} shows it`, 'release');
    }
    report.status = current.status;
    report.revision = current.revision;
    const chart = (0, helm_1.splitChartRef)(current.chart);
    report.chartName = chart.name;
    report.chartVersion = chart.version;
    if (current.status !== 'deployed') {
        const why = helm_1.Helm.isPending(current.status)
            ? 'another operation on it is running or was interrupted'
            : 'its last operation did not succeed';
        throw new action_kit_1.GateError(`Release ${inp.release} in ${inp.namespace} is ${current.status} at revision ${current.revision}, not deployed (${why}): what it runs is not read, and a release that is not deployed is never promoted. Deploy it successfully first.`);
    }
    return current;
}
/** The images and migrations hash of the release's current revision, into the report. */
async function readValues(ctx, helm, inp, report) {
    const { log } = ctx;
    const current = await currentRevision(helm, inp, report);
    if (!current) {
        log.notice(`There is no release ${inp.release} in ${inp.namespace} (allow-missing): status missing, no images, no migrations hash`);
        report.status = 'missing';
        report.read = { images: [], migrationsHash: '' };
        return;
    }
    log.info(`Release ${inp.release} in ${inp.namespace}: revision ${current.revision} is ${current.status} (chart ${current.chart})`);
    const res = await helm.run(getAllValuesArgs(inp.release, inp.namespace, current.revision), { timeoutMs: 60_000 });
    const values = helm_1.Helm.parseValues(res.stdout);
    let content;
    try {
        content = (0, release_values_js_1.releaseContent)(values);
    }
    catch (err) {
        if (err instanceof release_values_js_1.ReleaseValuesError)
            throw new action_kit_1.GateError(`Release ${inp.release} in ${inp.namespace} (revision ${current.revision}) is not read: ${err.message}`);
        throw err;
    }
    for (const w of content.warnings)
        log.warning(w);
    for (const i of content.images)
        log.info(`${i.component}: ${i.ref}`);
    if (content.images.length === 0)
        log.notice(`Release ${inp.release} has no components with an image: images is empty`);
    log.info(`migrations.hash: ${content.migrationsHash === '' ? '(unset)' : content.migrationsHash}`);
    report.read = { images: content.images, migrationsHash: content.migrationsHash };
}
/** The read: cluster, helm, then the release's current revision; nothing in the cluster is changed. */
async function readRelease(ctx, inp, report, deps) {
    const { log } = ctx;
    report.mode = 'read';
    report.release = inp.release;
    report.namespace = inp.namespace;
    const cluster = await (0, cluster_js_1.clusterAccess)(inp, ctx, deps);
    report.apiHost = cluster.access.host;
    const files = (0, cluster_js_1.createFiles)(ctx, cluster);
    try {
        const { helm, installed } = await (0, install_js_1.installHelm)(ctx, inp, (0, install_js_1.helmEnvOf)(ctx, inp, cluster, files));
        report.helm = `${helm.version.raw} (${installed.source})`;
        log.info(`helm ${helm.version.raw}; API server ${cluster.access.host} (${cluster.access.source}, ${cluster.access.authMethod})`);
        await log.group(`Read release ${inp.release} in ${inp.namespace} (nothing is changed)`, () => readValues(ctx, helm, inp, report));
    }
    finally {
        (0, node_fs_1.rmSync)(files.work, { recursive: true, force: true });
        (0, kube_1.removeKubeconfigFile)(files.kubeconfigPath, files.runnerTemp);
    }
}


/***/ }),

/***/ 2923:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ReleaseValuesError = void 0;
exports.releaseContent = releaseContent;
/**
 * What a deployed release runs, from its values (`helm get values --all -o json` of its current
 * revision): the image of each component of charts/app (`components.<name>.image`), as the `images`
 * input writes it, and `migrations.hash`. Promotion is by digest only, so an image that is not pinned
 * by digest is an error naming the component and the value. Pure.
 */
const action_kit_1 = __webpack_require__(5092);
const values_js_1 = __webpack_require__(1891);
/** The release's values can't be promoted as they are (an image not by digest, a malformed value). */
class ReleaseValuesError extends Error {
}
exports.ReleaseValuesError = ReleaseValuesError;
/** `repo[:tag]@sha256:…` → repository and digest (a tag beside a digest says nothing: the digest runs). */
function splitRef(ref) {
    const at = ref.lastIndexOf('@');
    if (at < 0)
        return undefined;
    const digest = ref.slice(at + 1);
    let repository = ref.slice(0, at);
    const colon = repository.lastIndexOf(':');
    if (colon > repository.lastIndexOf('/'))
        repository = repository.slice(0, colon);
    return { repository, digest };
}
function text(v) {
    return typeof v === 'string' ? v : '';
}
/** How the value reads in an error. */
function shown(v) {
    return JSON.stringify(v) ?? String(v);
}
/** One component's image by digest; anything else is a ReleaseValuesError naming it. */
function componentImage(name, component) {
    const where = `components.${name}.image`;
    if (!action_kit_1.COMPONENT_RE.test(name))
        throw new ReleaseValuesError(`component ${JSON.stringify(name)} is not a component name the images input takes (a DNS label of at most 23 characters starting with a letter)`);
    if (!(0, values_js_1.isMapping)(component))
        throw new ReleaseValuesError(`components.${name} is ${shown(component)}, not a mapping`);
    const image = component['image'];
    let parts;
    if (typeof image === 'string')
        parts = splitRef(image);
    else if ((0, values_js_1.isMapping)(image) && text(image['digest']) !== '')
        parts = { repository: text(image['repository']), digest: text(image['digest']) };
    const ref = parts ? `${parts.repository}@${parts.digest}` : '';
    if (!parts || !action_kit_1.DIGEST_REF_RE.test(ref)) {
        throw new ReleaseValuesError(`component ${name} runs ${where} = ${image === undefined ? '(unset)' : shown(image)}, not an image pinned by digest: promotion is by digest only (repository and digest sha256:<64 hex>, as helm-deploy's images input sets them)`);
    }
    return { component: name, ref, repository: parts.repository, digest: parts.digest };
}
/** `migrations.hash` as text ('' when unset); a number or boolean is taken as written, with a warning. */
function migrationsHash(values, warnings) {
    const migrations = values['migrations'];
    if (migrations === undefined || migrations === null)
        return '';
    if (!(0, values_js_1.isMapping)(migrations))
        throw new ReleaseValuesError(`migrations is ${shown(migrations)}, not a mapping`);
    const hash = migrations['hash'];
    if (hash === undefined || hash === null)
        return '';
    if (typeof hash === 'string')
        return hash;
    if (typeof hash === 'number' || typeof hash === 'boolean') {
        warnings.push(`migrations.hash is the ${typeof hash} ${String(hash)}, not a string: it is compared as written (quote it in the values to keep it exact)`);
        return String(hash);
    }
    throw new ReleaseValuesError(`migrations.hash is ${shown(hash)}, not a string`);
}
/** A running canary: its image is not one of the images (those are the stable track's). */
function canaryWarning(values) {
    const canary = values['canary'];
    if (!(0, values_js_1.isMapping)(canary) || canary['enabled'] !== true)
        return [];
    const image = (0, values_js_1.isMapping)(canary['image']) ? canary['image'] : {};
    const ref = text(image['digest']) ? `@${text(image['digest'])}` : text(image['tag']) ? `:${text(image['tag'])}` : '';
    return [
        `the release runs a canary of ${text(canary['component']) || '(no component)'} (${text(image['repository']) || 'its repository'}${ref}): images lists the stable Deployments' images, not the canary's`,
    ];
}
/** The release's images and migrations hash, from its values; throws ReleaseValuesError. */
function releaseContent(values) {
    const components = values['components'];
    if (components !== undefined && components !== null && !(0, values_js_1.isMapping)(components))
        throw new ReleaseValuesError(`components is ${shown(components)}, not a mapping`);
    const images = Object.entries(components ?? {})
        .filter(([, c]) => c !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, c]) => componentImage(name, c));
    const warnings = canaryWarning(values);
    return { images, migrationsHash: migrationsHash(values, warnings), warnings };
}


/***/ })

};
