export const id = 986;
export const ids = [986];
export const modules = {

/***/ 1923:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.versionProblem = versionProblem;
exports.expiryProblem = expiryProblem;
exports.analyse = analyse;
exports.digestCheck = digestCheck;
exports.dbCheck = dbCheck;
exports.gateFailureMessage = gateFailureMessage;
exports.summaryModel = summaryModel;
exports.isNetworkFailure = isNetworkFailure;
const findings_js_1 = __webpack_require__(6399);
const ignore_js_1 = __webpack_require__(6751);
const sarif_js_1 = __webpack_require__(4564);
/** Why the `version` input cannot be used (refused or not pinned with its SHA-256), or undefined. */
function versionProblem(version, pinned) {
    if (version === '' || !pinned)
        return undefined;
    const refusal = pinned.refused?.[version];
    if (refusal)
        return `trivy ${version} is refused: ${refusal}`;
    if (!pinned.versions[version])
        return `not pinned in the tool manifest with its SHA-256 (pinned: ${Object.keys(pinned.versions).join(', ')})`;
    return undefined;
}
/** The require-expiry refusal naming every entry without expiry, or undefined. */
function expiryProblem(rules) {
    const noExpiry = rules.filter((r) => r.expiresAt === undefined && (0, ignore_js_1.appliesToSomething)(r));
    if (noExpiry.length === 0)
        return undefined;
    return `Input "require-expiry" is true, and ${noExpiry.length} ignore entr${noExpiry.length === 1 ? 'y has' : 'ies have'} no expiry: ${noExpiry
        .map((r) => `${r.id} (${r.where})`)
        .join(', ')}. Add expired_at: YYYY-MM-DD (.trivyignore.yaml) or exp:YYYY-MM-DD (.trivyignore) to each.`;
}
/** One report against the inputs and the ignore rules. */
function analyse(report, rules, inputs, now) {
    const extracted = (0, findings_js_1.extractFindings)(report, { scanners: inputs.scanners, ignoreUnfixed: inputs.ignoreUnfixed });
    const outcome = (0, ignore_js_1.applyIgnores)(extracted.findings, rules, now);
    const kept = (0, findings_js_1.sortFindings)(outcome.kept);
    const counts = (0, findings_js_1.countBySeverity)(kept);
    const failed = (0, findings_js_1.failing)(kept, inputs.failOn);
    const passed = failed.length === 0;
    const line = (0, findings_js_1.summaryLine)(counts, passed, inputs.failOn);
    const sarif = (0, sarif_js_1.toSarif)(kept, outcome.suppressed, {
        trivyVersion: '',
        artifactName: report.artifactName || inputs.image || inputs.input || inputs.path,
        severities: inputs.severities,
    });
    return { extracted, outcome, kept, counts, failed, passed, line, sarif };
}
/**
 * Whether the report is about the image asked for: 'ok', 'unchecked' (the report lists no
 * RepoDigests), or the reason it is not.
 */
function digestCheck(image, repoDigests) {
    const digest = image.slice(image.indexOf('@') + 1);
    if (repoDigests.length === 0)
        return 'unchecked';
    if (repoDigests.some((d) => d.endsWith(`@${digest}`)))
        return 'ok';
    return `the report is for ${repoDigests.join(', ')}, not ${image}`;
}
/** The vulnerability DB must be fresh enough to trust a clean result (only when vuln is scanned). */
function dbCheck(info, inputs, now) {
    if (!inputs.scanners.includes('vuln'))
        return {};
    const dbUpdatedAt = info.vulnerabilityDb?.updatedAt;
    if (!dbUpdatedAt) {
        if (inputs.maxDbAgeMs === 0)
            return {};
        const where = inputs.cacheDir ? ` in ${inputs.cacheDir}` : '';
        const reason = `trivy version --format json reports no vulnerability DB${where}, so its age cannot be checked`;
        return { problem: { kind: 'missing', reason } };
    }
    const dbAgeHours = (now.getTime() - dbUpdatedAt.getTime()) / 3_600_000;
    const maxH = inputs.maxDbAgeMs / 3_600_000;
    if (inputs.maxDbAgeMs > 0 && dbAgeHours > maxH) {
        const reason = `the vulnerability DB was updated ${dbUpdatedAt.toISOString()}, ${dbAgeHours.toFixed(1)} h ago: older than max-db-age (${maxH} h). A stale DB misses recent vulnerabilities; update it (drop skip-db-update, or refresh the mirror)`;
        return { dbUpdatedAt, dbAgeHours, problem: { kind: 'stale', reason } };
    }
    return { dbUpdatedAt, dbAgeHours };
}
/** The GateError message: the summary line and the first failing findings. */
function gateFailureMessage(a, failOn) {
    const top = a.failed
        .slice(0, 5)
        .map((f) => `${f.severity} ${f.id}${f.pkgName ? ` in ${f.pkgName} ${f.installedVersion}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ''}` : ` in ${f.target}${f.line ? `:${f.line}` : ''}`}`);
    return `Trivy gate failed: ${a.line}. ${a.failed.length} finding(s) at or above ${failOn}, e.g. ${top.join('; ')}${a.failed.length > 5 ? '; …' : ''}`;
}
/** The summary's model of a decided gate. */
function summaryModel(a, inputs, f) {
    return {
        target: f.target,
        targetKind: inputs.path ? 'folder' : inputs.image ? 'image' : 'archive',
        skipDirs: f.skipDirs ?? [],
        digest: f.digest,
        passed: a.passed,
        failOn: inputs.failOn,
        line: a.line,
        counts: a.counts,
        findings: a.kept,
        failingCount: a.failed.length,
        severities: inputs.severities,
        scanners: inputs.scanners,
        suppressed: a.outcome.suppressed,
        expired: a.outcome.expired,
        noExpiry: a.outcome.noExpiry,
        ignoreFile: f.ignoreFile,
        requireExpiry: inputs.requireExpiry,
        ignoreUnfixed: inputs.ignoreUnfixed,
        unfixedDropped: a.extracted.unfixedDropped,
        trivyVersion: f.trivyVersion,
        ...(f.db.dbUpdatedAt ? { dbUpdatedAt: f.db.dbUpdatedAt } : {}),
        ...(f.db.dbAgeHours !== undefined ? { dbAgeHours: f.db.dbAgeHours } : {}),
        reportPath: f.reportPath,
        sarifPath: f.sarifPath,
    };
}
/** trivy could not reach a registry (the image's or a DB's): refused connection, DNS, timeouts. */
function isNetworkFailure(stderr) {
    return /connection refused|no such host|i\/o timeout|TLS handshake timeout|network is unreachable|connection reset by peer/i.test(stderr);
}


/***/ }),

/***/ 4173:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.indexDigest = indexDigest;
exports.layoutDigest = layoutDigest;
exports.imageDigest = imageDigest;
/**
 * The manifest digest of what the gate scans, for the `digest` output: the digest of an image given
 * by digest, or of the one manifest an OCI layout's index.json names (the digest build-push keeps when
 * it pushes the archive with from-archive). The manifest blob is read and hashed, so the digest is the
 * one of the bytes trivy reads, not only what index.json claims. A docker-save tar has none ('').
 */
const node_crypto_1 = __webpack_require__(7598);
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
/** Manifests are small: the distribution spec lets registries refuse more than 4 MiB. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The digest index.json names, or why it cannot be used (a sentence about `label`). Pure. */
function indexDigest(text, label) {
    let index;
    try {
        index = JSON.parse(text);
    }
    catch {
        return { problem: `${label}'s index.json is not JSON` };
    }
    const manifests = index?.manifests;
    if (!Array.isArray(manifests))
        return { problem: `${label}'s index.json has no manifests list` };
    if (manifests.length !== 1) {
        const digests = manifests
            .map((m) => m?.digest)
            .filter((d) => typeof d === 'string')
            .slice(0, 5);
        return {
            problem: `${label}'s index.json names ${manifests.length} manifests${digests.length ? ` (${digests.join(', ')})` : ''}; ` +
                'the gate scans exactly one image, so it could not say which digest it vouches for: pass an archive or layout of one image (build-push with push: false writes one)',
        };
    }
    const digest = manifests[0]?.digest;
    if (typeof digest !== 'string' || !action_kit_1.SHA256_DIGEST_RE.test(digest))
        return {
            problem: `${label}'s index.json names a manifest without a sha256 digest (${JSON.stringify(digest)}): expected sha256:<64 hex>`,
        };
    return { digest };
}
function inputError(input, why) {
    return new action_kit_1.InputError(`Input "input" has an invalid value "${input}": ${why}`, 'input');
}
/**
 * The digest of the one manifest of the OCI layout trivy scans (a directory: the input, or the archive
 * the gate unpacked), checked against the bytes of its blob; '' for a docker-save tar, which trivy
 * reads as it is (a file). `input` is the input as given, for the messages.
 */
function layoutDigest(target, input) {
    if (!(0, node_fs_1.statSync)(target).isDirectory())
        return '';
    const indexPath = (0, node_path_1.join)(target, 'index.json');
    if (!(0, node_fs_1.existsSync)(indexPath))
        throw inputError(input, 'the directory has no index.json: expected an OCI layout directory or an OCI archive');
    const found = indexDigest((0, node_fs_1.readFileSync)(indexPath, 'utf8'), 'the OCI layout');
    if ('problem' in found)
        throw inputError(input, found.problem);
    const blob = (0, node_path_1.join)(target, 'blobs', 'sha256', found.digest.slice('sha256:'.length));
    let size;
    try {
        size = (0, node_fs_1.statSync)(blob).size;
    }
    catch {
        throw inputError(input, `the manifest ${found.digest} that index.json names is not in the layout (blobs/sha256)`);
    }
    if (size > MAX_MANIFEST_BYTES)
        throw inputError(input, `the manifest ${found.digest} is ${size} bytes, over the ${MAX_MANIFEST_BYTES} a manifest may have`);
    const actual = `sha256:${(0, node_crypto_1.createHash)('sha256').update((0, node_fs_1.readFileSync)(blob)).digest('hex')}`;
    if (actual !== found.digest)
        throw inputError(input, `index.json names the manifest ${found.digest}, but that blob's bytes hash to ${actual}: the layout is damaged or was altered`);
    return found.digest;
}
/** The digest of an image given by digest (repo@sha256:…). */
function imageDigest(image) {
    return image.slice(image.indexOf('@') + 1);
}


/***/ }),

/***/ 6399:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.severityRank = severityRank;
exports.advisoryUrl = advisoryUrl;
exports.extractFindings = extractFindings;
exports.countBySeverity = countBySeverity;
exports.failing = failing;
exports.sortFindings = sortFindings;
exports.summaryLine = summaryLine;
/**
 * From one parsed Trivy report to the gate: the findings of the requested scanners, per-severity
 * counts, the decision against the `fail-on` threshold and the one-line summary. Pure.
 */
const trivy_1 = __webpack_require__(3252);
function severityRank(s) {
    return trivy_1.TRIVY_SEVERITIES.indexOf(s);
}
function normalizeSeverity(s, unknown) {
    const found = trivy_1.TRIVY_SEVERITIES.find((x) => x === s);
    if (found)
        return found;
    unknown.add(s);
    return 'UNKNOWN';
}
/** A link to the advisory: Trivy's PrimaryURL when it is http(s), else the usual home of the id. */
function advisoryUrl(id, primaryUrl) {
    if (/^https?:\/\//i.test(primaryUrl))
        return primaryUrl;
    if (/^CVE-\d{4}-\d+$/i.test(id))
        return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
    if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id))
        return `https://github.com/advisories/${id}`;
    return '';
}
function extractFindings(report, opts) {
    const unknown = new Set();
    const findings = [];
    let unfixedDropped = 0;
    const base = {
        altIds: [],
        pkgName: '',
        pkgPath: '',
        purl: '',
        installedVersion: '',
        fixedVersion: '',
        status: '',
    };
    for (const r of report.results) {
        if (opts.scanners.includes('vuln')) {
            for (const v of r.vulnerabilities) {
                if (opts.ignoreUnfixed && v.fixedVersion === '') {
                    unfixedDropped++;
                    continue;
                }
                findings.push({
                    ...base,
                    kind: 'vulnerability',
                    id: v.id,
                    severity: normalizeSeverity(v.severity, unknown),
                    target: r.target,
                    resultClass: r.class,
                    title: v.title,
                    url: advisoryUrl(v.id, v.primaryUrl),
                    pkgName: v.pkgName,
                    pkgPath: v.pkgPath,
                    purl: v.purl,
                    installedVersion: v.installedVersion,
                    fixedVersion: v.fixedVersion,
                    status: v.status,
                    ...(v.cvss3 !== undefined ? { cvss3: v.cvss3 } : {}),
                });
            }
        }
        if (opts.scanners.includes('secret')) {
            for (const s of r.secrets) {
                findings.push({
                    ...base,
                    kind: 'secret',
                    id: s.ruleId,
                    severity: normalizeSeverity(s.severity, unknown),
                    target: r.target,
                    resultClass: r.class,
                    title: s.title || s.category,
                    url: '',
                    line: s.startLine,
                });
            }
        }
        if (opts.scanners.includes('misconfig')) {
            for (const m of r.misconfigurations) {
                if (m.status !== 'FAIL')
                    continue;
                findings.push({
                    ...base,
                    kind: 'misconfiguration',
                    id: m.id,
                    altIds: m.avdId && m.avdId !== m.id ? [m.avdId] : [],
                    severity: normalizeSeverity(m.severity, unknown),
                    target: r.target,
                    resultClass: r.class,
                    title: m.title,
                    url: advisoryUrl(m.id, m.primaryUrl),
                });
            }
        }
    }
    return { findings, unfixedDropped, unknownSeverities: [...unknown] };
}
function countBySeverity(findings) {
    const c = { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0, total: 0 };
    for (const f of findings) {
        c[f.severity]++;
        c.total++;
    }
    return c;
}
/** Findings at or above the threshold (`HIGH` = HIGH and CRITICAL; `UNKNOWN` = every finding). */
function failing(findings, failOn) {
    if (failOn === 'NONE')
        return [];
    const min = severityRank(failOn);
    return findings.filter((f) => severityRank(f.severity) >= min);
}
/** code-unit order: stable and cheap (localeCompare would load ICU collation for a few hundred rows) */
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Most severe first; then fixable before unfixable; then by id, for a stable order. */
function sortFindings(findings) {
    return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) ||
        (b.cvss3 ?? -1) - (a.cvss3 ?? -1) ||
        Number(b.fixedVersion !== '') - Number(a.fixedVersion !== '') ||
        cmp(a.id, b.id) ||
        cmp(a.pkgName, b.pkgName) ||
        cmp(a.target, b.target));
}
/**
 * "2 CRITICAL, 0 HIGH, 4 MEDIUM — failed (threshold CRITICAL)": CRITICAL and HIGH always, lower
 * severities when there are any.
 */
function summaryLine(counts, passed, failOn) {
    const parts = [`${counts.CRITICAL} CRITICAL`, `${counts.HIGH} HIGH`];
    for (const s of ['MEDIUM', 'LOW', 'UNKNOWN'])
        if (counts[s] > 0)
            parts.push(`${counts[s]} ${s}`);
    const verdict = failOn === 'NONE' ? 'passed (report only, fail-on NONE)' : `${passed ? 'passed' : 'failed'} (threshold ${failOn})`;
    return `${parts.join(', ')} — ${verdict}`;
}


/***/ }),

/***/ 4986:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
__webpack_unused_export__ = loadIgnoreRules;
exports.runGate = runGate;
const node_crypto_1 = __webpack_require__(7598);
// synchronous file calls on purpose: a few small files and one report, where the thread-pool round
// trips of fs/promises cost more than the I/O (pnpm bench)
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const node_os_1 = __webpack_require__(8161);
const action_kit_1 = __webpack_require__(5092);
const command_runner_1 = __webpack_require__(7988);
const manifest_1 = __webpack_require__(2879);
const tool_installer_1 = __webpack_require__(145);
const trivy_1 = __webpack_require__(3252);
const decision_js_1 = __webpack_require__(1923);
const digest_js_1 = __webpack_require__(4173);
const ignore_js_1 = __webpack_require__(6751);
/**
 * How ignore YAML is parsed: the YAML 1.2 core schema (dates stay text, so an impossible date such as
 * 2025-13-01 is an error instead of a silent roll-over), the parser's own alias guard bounded like
 * `checkYamlExpansion`, warnings not printed.
 */
const IGNORE_YAML_OPTIONS = {
    version: '1.2',
    schema: 'core',
    maxAliasCount: action_kit_1.MAX_YAML_NODES,
    logLevel: 'error',
};
/** Parses one .trivyignore.yaml; what does not parse is an IgnoreFileError naming the line. */
async function parseIgnoreYaml(text, label) {
    const { parse, YAMLError } = await __webpack_require__.e(/* import() */ 985).then(__webpack_require__.t.bind(__webpack_require__, 8985, 19));
    let doc;
    try {
        doc = parse(text, IGNORE_YAML_OPTIONS);
    }
    catch (err) {
        if (!(err instanceof YAMLError) && /alias count/i.test(err.message)) {
            // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
            throw new ignore_js_1.IgnoreFileError(`${label} expands to more than ${action_kit_1.MAX_YAML_NODES} YAML values through its aliases (*name): refused (an alias bomb)`);
        }
        const line = err instanceof YAMLError ? err.linePos?.[0]?.line : undefined;
        const message = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        throw new ignore_js_1.IgnoreFileError(`${label} is not valid YAML${typeof line === 'number' ? ` (line ${line})` : ''}: ${message}`);
    }
    (0, action_kit_1.checkYamlExpansion)('ignore-file', doc);
    return doc;
}
/** Loads every ignore file; a file that does not parse is the user's to fix (an InputError). */
async function loadIgnoreRules(files, workspace) {
    const rules = [];
    for (const file of files) {
        const label = file.startsWith(workspace + '/') ? file.slice(workspace.length + 1) : file;
        const text = (0, node_fs_1.readFileSync)(file, 'utf8');
        try {
            if (/\.ya?ml$/i.test(file))
                rules.push(...(0, ignore_js_1.rulesFromYaml)(await parseIgnoreYaml(text, label), label));
            else
                rules.push(...(0, ignore_js_1.parseTrivyignore)(text, label));
        }
        catch (err) {
            if (err instanceof ignore_js_1.IgnoreFileError)
                throw new action_kit_1.InputError(`Input "ignore-file": ${err.message}`, 'ignore-file');
            throw err;
        }
    }
    return rules;
}
const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 120_000];
/**
 * The gate's phases, in order: checks before anything runs, install, one scan, the report analysed,
 * the binary's version, the report's digest and the DB's age checked, SARIF written, the decision.
 * Fills in `report`; the kit turns it into outputs and a summary.
 */
async function runGate(ctx, inputs, report, deps = {}) {
    const now = deps.now ?? (() => new Date());
    report.target = inputs.image || inputs.input || inputs.path;
    report.stage = 'checks';
    let work;
    try {
        checkVersionInput(inputs);
        const rules = await loadRules(ctx, inputs);
        work = workDir(ctx.env, inputs);
        report.stage = 'scan';
        const tool = await install(ctx, inputs, work);
        const scanOptions = await scanOptionsFor(inputs, work, tool.runner);
        // what the scan vouches for, read before trivy runs: an archive of several images is refused
        const digest = targetDigest(scanOptions, inputs);
        const { versionInfo } = await scan(ctx, tool.trivy, scanOptions, inputs, deps, now);
        // while a second `trivy version` may run, the report is read and analysed; nothing of it is used
        // (no output, no file) until the version and the DB are checked
        const doc = readReport(report, scanOptions);
        const analysis = (0, decision_js_1.analyse)(doc, rules, inputs, now());
        const info = await versionInfo;
        checkBinaryVersion(ctx.log, tool, info);
        checkDigest(ctx.log, report, inputs.image, doc);
        const db = (0, decision_js_1.dbCheck)(info, inputs, now());
        if (db.problem)
            throw dbProblem(report, db.problem, inputs.cacheDir);
        writeSarif(ctx.log, analysis, info.version, work.sarifPath);
        report.decided = (0, decision_js_1.summaryModel)(analysis, inputs, {
            target: report.target,
            digest,
            trivyVersion: info.version,
            db,
            reportPath: work.reportPath,
            sarifPath: work.sarifPath,
            ignoreFile: inputs.ignoreFiles.map((f) => (0, node_path_1.basename)(f)).join(', '),
            skipDirs: inputs.skipDirs,
        });
        warnAboutIgnores(ctx.log, analysis.outcome);
        ctx.log.info(analysis.line);
        if (!analysis.passed)
            throw new action_kit_1.GateError((0, decision_js_1.gateFailureMessage)(analysis, inputs.failOn));
    }
    catch (err) {
        if (!report.decided) {
            report.reason ||= reasonOf(err);
            if (work && (0, node_fs_1.existsSync)(work.reportPath))
                report.reportPath = work.reportPath;
        }
        throw err;
    }
}
/** The version must be pinned (with its SHA-256) and not refused: checked before anything happens. */
function checkVersionInput(inputs) {
    const problem = (0, decision_js_1.versionProblem)(inputs.version, manifest_1.manifest.tools['trivy']);
    if (problem)
        throw new action_kit_1.InputError(`Input "version" has an invalid value "${inputs.version}": ${problem}`, 'version');
}
async function loadRules(ctx, inputs) {
    const rules = await loadIgnoreRules(inputs.ignoreFiles, ctx.env['GITHUB_WORKSPACE'] || process.cwd());
    if (inputs.ignoreFiles.length > 0)
        ctx.log.info(`Ignore rules: ${rules.length} entr${rules.length === 1 ? 'y' : 'ies'} from ${inputs.ignoreFiles.map((f) => (0, node_path_1.basename)(f)).join(', ')}`);
    const problem = inputs.requireExpiry ? (0, decision_js_1.expiryProblem)(rules) : undefined;
    if (problem)
        throw new action_kit_1.InputError(problem, 'require-expiry');
    return rules;
}
function workDir(env, inputs) {
    const dir = (0, node_path_1.join)(env['RUNNER_TEMP'] || (0, node_os_1.tmpdir)(), `trivy-gate-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`);
    (0, node_fs_1.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    const emptyIgnore = (0, node_path_1.join)(dir, 'none.trivyignore');
    (0, node_fs_1.writeFileSync)(emptyIgnore, '', { mode: 0o600 });
    return {
        dir,
        reportPath: (0, node_path_1.join)(dir, 'report.json'),
        emptyIgnore,
        sarifPath: inputs.sarifFile || (0, node_path_1.join)(dir, 'trivy.sarif'),
    };
}
async function install(ctx, inputs, work) {
    const { log, env } = ctx;
    const version = inputs.version || manifest_1.manifest.tools['trivy']?.defaultVersion;
    const tool = await log.group(`Install trivy ${version}`, () => (0, tool_installer_1.ensureTool)('trivy', version, {
        log,
        secrets: ctx.secrets,
        env,
        ...(inputs.toolsBaseUrl ? { baseUrl: inputs.toolsBaseUrl } : {}),
    }));
    const runner = new command_runner_1.CommandRunner({ log, secrets: ctx.secrets, env });
    // trivy runs in an empty directory of its own with an empty config: nothing in the checkout (a
    // trivy.yaml, .trivyignore or policy a pull request adds) reaches it
    const runDir = (0, node_path_1.join)(work.dir, 'run');
    (0, node_fs_1.mkdirSync)(runDir, { mode: 0o700 });
    return { trivy: new trivy_1.Trivy(tool.path, runner, {}, runDir), runner, path: tool.path, source: tool.source };
}
async function scanOptionsFor(inputs, work, runner) {
    const scanTarget = inputs.path
        ? { path: inputs.path }
        : inputs.image
            ? { image: inputs.image }
            : { input: await ociLayoutOf(inputs.input, work.dir, runner) };
    return {
        target: scanTarget,
        // absolute: trivy makes them relative to the folder it walks (walker.FS.BuildSkipPaths)
        skipDirs: inputs.skipDirs.map((d) => (0, node_path_1.join)(inputs.path, d)),
        output: work.reportPath,
        scanners: inputs.scanners,
        timeoutSeconds: Math.ceil(inputs.timeoutMs / 1000),
        ignoreUnfixed: inputs.ignoreUnfixed,
        ignoreFile: work.emptyIgnore,
        dbRepositories: inputs.dbRepositories,
        skipDbUpdate: inputs.skipDbUpdate,
        ...(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {}),
    };
}
/** What the scan vouches for, read before trivy runs (an archive of several images is refused); '' for a folder. */
function targetDigest(o, inputs) {
    if ('path' in o.target)
        return '';
    return 'input' in o.target ? (0, digest_js_1.layoutDigest)(o.target.input, inputs.input) : (0, digest_js_1.imageDigest)(inputs.image);
}
/**
 * The scan, with `trivy version` beside it: the binary's version (a binary named by
 * POLYGLOT_CD_TRIVY_BIN is not hash-checked, so a refused, compromised version is caught by it and its
 * report is not used; installs through the manifest are SHA-256-verified and never run a refused
 * version), and the vulnerability DB's metadata. The scan changes the DB only when trivy's own rule
 * says it is due (Trivy.dbMayUpdate); then `trivy version` runs again after the scan, so the DB checked
 * is the one the report came from. The version is returned still running, wrapped so it is not awaited.
 */
async function scan(ctx, trivy, o, inputs, deps, now) {
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const cacheDir = inputs.cacheDir || undefined;
    let beside;
    const target = inputs.image || inputs.input || `the folder ${inputs.path}`;
    const skipped = inputs.skipDirs.length ? `, skipping ${inputs.skipDirs.join(', ')}` : '';
    await ctx.log.group(`Scan ${target} (${inputs.scanners.join(', ')}${skipped}) into one JSON report`, () => scanWithRetries(trivy, o, inputs, {
        log: ctx.log,
        sleep,
        // started once the scan runs (starting a process blocks this thread: the scan goes first)
        started: () => {
            beside ??= trivy.version(cacheDir);
            beside.catch(() => undefined); // awaited after the scan; not unhandled if the scan fails first
        },
    }));
    const before = await beside;
    const versionInfo = inputs.scanners.includes('vuln') && trivy_1.Trivy.dbMayUpdate(before.vulnerabilityDb, now(), inputs.skipDbUpdate)
        ? trivy.version(cacheDir)
        : Promise.resolve(before);
    versionInfo.catch(() => undefined); // awaited by the caller; not unhandled if the report fails first
    return { versionInfo };
}
/** A binary that reports a refused version: its report is not used. */
function checkBinaryVersion(log, tool, info) {
    const refusal = manifest_1.manifest.tools['trivy']?.refused?.[info.version.replace(/^v/, '')];
    if (refusal)
        throw new action_kit_1.InputError(`${tool.path} is trivy ${info.version}, which is refused: ${refusal}. Its report is not used; replace the binary or pin another version.`);
    log.info(`trivy ${info.version} (${tool.source})`);
}
/** The report must be about the image the gate was asked to scan. */
function checkDigest(log, report, image, doc) {
    if (!image)
        return;
    const check = (0, decision_js_1.digestCheck)(image, doc.repoDigests);
    if (check === 'ok')
        return;
    if (check === 'unchecked') {
        const digest = image.slice(image.indexOf('@') + 1);
        log.warning(`The report lists no RepoDigests, so it cannot be checked against ${digest}; trusting the scan of ${image}`);
        return;
    }
    report.reason = check;
    throw new action_kit_1.ToolError(notDecided(check), { tool: 'trivy', argv: [], exitCode: 0, stderrTail: '' });
}
/** A stale DB is the DB source's failure (a mirror not refreshed); no DB at all is trivy's. */
function dbProblem(report, p, cacheDir) {
    report.reason = p.reason;
    if (p.kind === 'stale')
        return new action_kit_1.InfraError(`Trivy gate not decided: ${p.reason}. This is an infrastructure failure, not a pass.`, {
            service: 'vulnerability DB',
            attempts: 1,
        });
    return new action_kit_1.ToolError(notDecided(p.reason), {
        tool: 'trivy',
        argv: trivy_1.Trivy.versionArgs(cacheDir || undefined),
        exitCode: 0,
        stderrTail: '',
    });
}
function notDecided(reason) {
    return `Trivy gate not decided: ${reason}. Not a pass.`;
}
function writeSarif(log, a, trivyVersion, sarifPath) {
    if (a.extracted.unknownSeverities.length > 0)
        log.warning(`Unknown severities in the report, counted as UNKNOWN: ${a.extracted.unknownSeverities.join(', ')}`);
    a.sarif.runs[0].tool.driver.version = trivyVersion;
    (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(sarifPath), { recursive: true });
    (0, node_fs_1.writeFileSync)(sarifPath, JSON.stringify(a.sarif) + '\n');
}
function warnAboutIgnores(log, outcome) {
    for (const e of outcome.expired) {
        log.warning(`Ignore entry ${e.rule.id} (${e.rule.where}) expired on ${e.rule.expiresAt?.toISOString().slice(0, 10)} and no longer suppresses anything${e.matched.length ? ` (${e.matched.length} finding(s) counted again)` : ''}`);
    }
    for (const r of outcome.noExpiry)
        log.warning(`Ignore entry ${r.id} (${r.where}) has no expiry: add one so the accepted risk is reviewed again`);
}
/** Why no decision was made, for the outputs: trivy's own reason when trivy failed. */
function reasonOf(err) {
    const tool = err instanceof action_kit_1.ToolError ? err : err instanceof Error && err.cause instanceof action_kit_1.ToolError ? err.cause : undefined;
    if (tool && tool.details.tool === 'trivy') {
        const reason = trivy_1.Trivy.failureReason(tool.details.stderrTail);
        if (reason)
            return reason;
    }
    return err instanceof Error ? err.message : String(err);
}
/**
 * One scan, retried only when Trivy produced no report because the vulnerability DB could not be
 * downloaded (a registry outage or rate limit). A DB or registry that cannot be reached is an
 * infrastructure error, any other failure a tool error, both carrying Trivy's own message: never a pass.
 */
async function scanWithRetries(trivy, o, inputs, d) {
    for (let attempt = 1;; attempt++) {
        try {
            const scan = trivy.scan(o);
            d.started();
            await scan;
            return;
        }
        catch (err) {
            if (!(err instanceof action_kit_1.ToolError))
                throw err;
            const reason = trivy_1.Trivy.failureReason(err.details.stderrTail) || err.message;
            const dbFailure = trivy_1.Trivy.isDbDownloadFailure(err.details.stderrTail);
            if (dbFailure && attempt < inputs.maxAttempts && !err.details.cancelled) {
                const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
                d.log.warning(`Attempt ${attempt}: the vulnerability DB could not be downloaded (${reason}); retrying in ${delay / 1000}s`);
                await d.sleep(delay);
                continue;
            }
            throw scanFailure(err, reason, attempt, dbFailure, inputs);
        }
    }
}
function scanFailure(err, reason, attempts, dbFailure, inputs) {
    if (err.details.cancelled)
        return err;
    const network = !dbFailure && (0, decision_js_1.isNetworkFailure)(err.details.stderrTail);
    const what = dbFailure
        ? `the vulnerability DB could not be downloaded${attempts > 1 ? ` (${attempts} attempts)` : ''}`
        : network
            ? 'a registry could not be reached'
            : err.details.timedOut
                ? 'Trivy timed out'
                : 'Trivy failed';
    const hint = dbFailure
        ? inputs.dbRepositories.length
            ? ' Check the db-repository mirrors.'
            : ' Set db-repository to a mirror (and keep the defaults after it), or retry later.'
        : '';
    if (dbFailure || network) {
        const mirrors = inputs.dbRepositories.length ? ` at ${inputs.dbRepositories.join(', ')}` : '';
        const service = dbFailure ? `vulnerability DB${mirrors}` : 'registry';
        return new action_kit_1.InfraError(`Trivy produced no report: ${what}: ${reason}. The ${inputs.path ? 'folder' : 'image'} was not scanned: this is an infrastructure failure, not a pass.${hint}`, { service, attempts }, { cause: err });
    }
    return new action_kit_1.ToolError(`Trivy produced no report: ${what}: ${reason}. The ${inputs.path ? 'folder' : 'image'} was not scanned: this is not a pass.`, err.details);
}
/** The report the scan wrote: it must exist, parse, and have SchemaVersion 2. */
function readReport(report, o) {
    const fail = (reason) => {
        report.reason = reason;
        return new action_kit_1.ToolError(notDecided(reason), { tool: 'trivy', argv: trivy_1.Trivy.scanArgs(o), exitCode: 0, stderrTail: '' });
    };
    let text;
    try {
        const st = (0, node_fs_1.statSync)(o.output);
        if (!st.isFile() || st.size === 0)
            throw new Error('empty');
        text = (0, node_fs_1.readFileSync)(o.output, 'utf8');
    }
    catch {
        throw fail(`trivy exited 0 but wrote no report to ${o.output}`);
    }
    try {
        return trivy_1.Trivy.parseReport(text);
    }
    catch (err) {
        if (err instanceof trivy_1.TrivyReportError)
            throw fail(`the report cannot be used: ${err.message}`);
        throw err;
    }
}
/**
 * trivy's --input opens a docker-save tar or an OCI layout directory, not an OCI archive (the tar of a
 * layout that build-push writes with push: false): such a file is unpacked into the gate's work
 * directory first. trivy splits an --input path at ':' and '@', so the directory must have neither.
 */
async function ociLayoutOf(input, work, runner) {
    if ((0, node_fs_1.statSync)(input).isDirectory())
        return input;
    const layout = (0, node_path_1.join)(work, 'oci-layout');
    if (/[:@]/.test(layout)) {
        throw new action_kit_1.InputError(`Input "input": the work directory ${layout} contains ':' or '@', which trivy cannot read as a path; set RUNNER_TEMP to a plain path`, 'input');
    }
    (0, node_fs_1.mkdirSync)(layout, { mode: 0o700 });
    await runner.run('tar', ['-xf', input, '-C', layout, '--no-same-owner', '--no-same-permissions'], {
        tool: 'tar',
        timeoutMs: 300_000,
    });
    if (!(0, node_fs_1.existsSync)((0, node_path_1.join)(layout, 'index.json')) && !(0, node_fs_1.existsSync)((0, node_path_1.join)(layout, 'manifest.json'))) {
        throw new action_kit_1.InputError(`Input "input": ${input} is a tar file but neither an OCI archive (index.json) nor a docker-save tar (manifest.json)`, 'input');
    }
    // a docker-save tar is read by trivy as it is; only an OCI archive needs the unpacked layout
    return (0, node_fs_1.existsSync)((0, node_path_1.join)(layout, 'index.json')) ? layout : input;
}


/***/ }),

/***/ 6751:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.IgnoreFileError = void 0;
exports.parseExpiry = parseExpiry;
exports.parseTrivyignore = parseTrivyignore;
exports.rulesFromYaml = rulesFromYaml;
exports.globToRegExp = globToRegExp;
exports.ruleMatches = ruleMatches;
exports.appliesToSomething = appliesToSomething;
exports.isExpired = isExpired;
exports.applyIgnores = applyIgnores;
class IgnoreFileError extends Error {
    name = 'IgnoreFileError';
}
exports.IgnoreFileError = IgnoreFileError;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `YYYY-MM-DD` (or a Date from a YAML 1.1 parser) as UTC midnight; anything else is an error. */
function parseExpiry(value, where) {
    if (value instanceof Date) {
        if (Number.isNaN(value.getTime()))
            throw new IgnoreFileError(`${where}: expired_at is not a valid date`);
        return value;
    }
    if (typeof value === 'string') {
        const m = DATE_RE.exec(value.trim());
        if (m) {
            const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
            if (d.getUTCFullYear() === Number(m[1]) &&
                d.getUTCMonth() === Number(m[2]) - 1 &&
                d.getUTCDate() === Number(m[3]))
                return d;
        }
    }
    throw new IgnoreFileError(`${where}: expiry ${JSON.stringify(value)} is not a date (expected YYYY-MM-DD)`);
}
/** The plain format: `ID [exp:YYYY-MM-DD] [other key:value…]`, `#` comments. */
function parseTrivyignore(text, file) {
    const rules = [];
    text.split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const where = `${file}:${i + 1}`;
        const [id, ...fields] = line.split(/\s+/);
        const rule = { id, kinds: 'any', paths: [], purls: [], statement: '', where };
        for (const f of fields) {
            if (f.startsWith('#'))
                break;
            if (f.startsWith('exp:'))
                rule.expiresAt = parseExpiry(f.slice(4), where);
        }
        rules.push(rule);
    });
    return rules;
}
const SECTIONS = {
    vulnerabilities: 'vulnerability',
    misconfigurations: 'misconfiguration',
    secrets: 'secret',
    licenses: 'license',
};
function stringList(v, where, key) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        throw new IgnoreFileError(`${where}: ${key} must be a list of strings`);
    return v;
}
/**
 * Rules from a parsed `.trivyignore.yaml`. Unknown sections and fields are errors (a typo such as
 * `vulnerability:` would otherwise silently ignore nothing). License entries are read and checked
 * but apply to nothing: the gate does not run the license scanner.
 */
function rulesFromYaml(doc, file) {
    if (doc === undefined || doc === null)
        return [];
    if (typeof doc !== 'object' || Array.isArray(doc))
        throw new IgnoreFileError(`${file}: expected a mapping with ${Object.keys(SECTIONS).join(', ')}`);
    const rules = [];
    for (const [section, entries] of Object.entries(doc)) {
        const kind = SECTIONS[section];
        if (!kind)
            throw new IgnoreFileError(`${file}: unknown section "${section}" (expected ${Object.keys(SECTIONS).join(', ')})`);
        if (entries === null || entries === undefined)
            continue;
        if (!Array.isArray(entries))
            throw new IgnoreFileError(`${file}: ${section} must be a list of entries`);
        entries.forEach((e, i) => {
            const where = `${file}: ${section}[${i}]`;
            if (typeof e !== 'object' || e === null || Array.isArray(e))
                throw new IgnoreFileError(`${where}: expected an entry with an id`);
            const entry = e;
            for (const k of Object.keys(entry)) {
                if (!['id', 'paths', 'purls', 'expired_at', 'statement'].includes(k))
                    throw new IgnoreFileError(`${where}: unknown field "${k}"`);
            }
            if (typeof entry['id'] !== 'string' || entry['id'].trim() === '')
                throw new IgnoreFileError(`${where}: id is required (a string)`);
            if (entry['purls'] !== undefined && kind !== 'vulnerability')
                throw new IgnoreFileError(`${where}: purls are only allowed for vulnerabilities`);
            if (entry['statement'] !== undefined && typeof entry['statement'] !== 'string')
                throw new IgnoreFileError(`${where}: statement must be text`);
            const rule = {
                id: entry['id'].trim(),
                kinds: kind === 'license' ? [] : [kind],
                paths: stringList(entry['paths'], where, 'paths'),
                purls: stringList(entry['purls'], where, 'purls'),
                statement: typeof entry['statement'] === 'string' ? entry['statement'] : '',
                where,
            };
            if (entry['expired_at'] !== undefined && entry['expired_at'] !== null)
                rule.expiresAt = parseExpiry(entry['expired_at'], where);
            rules.push(rule);
        });
    }
    return rules;
}
/** doublestar-style glob: `**` any path (also none), `*` within one segment, `?` one character. */
function globToRegExp(glob) {
    let re = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*' && glob[i + 1] === '*') {
            i++;
            if (glob[i + 1] === '/') {
                i++;
                re += '(?:.*/)?';
            }
            else {
                re += '.*';
            }
        }
        else if (c === '*')
            re += '[^/]*';
        else if (c === '?')
            re += '[^/]';
        else
            re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
}
function pathMatches(paths, candidates) {
    if (paths.length === 0)
        return true;
    return paths.some((p) => {
        const re = globToRegExp(p.replace(/^\.?\//, ''));
        return candidates.some((c) => c !== '' && re.test(c.replace(/^\//, '')));
    });
}
function parsePurl(p) {
    const noSub = p.split('#')[0];
    const noQual = noSub.split('?')[0];
    const at = noQual.lastIndexOf('@');
    // an @ in the namespace (npm scopes are %40-encoded in purls) is not a version separator
    if (at > noQual.lastIndexOf('/'))
        return { base: noQual.slice(0, at), version: noQual.slice(at + 1) };
    return { base: noQual, version: '' };
}
function purlMatches(purls, purl) {
    if (purls.length === 0)
        return true;
    if (purl === '')
        return false;
    const have = parsePurl(purl);
    return purls.some((p) => {
        const want = parsePurl(p);
        return want.base === have.base && (want.version === '' || want.version === have.version);
    });
}
function ruleMatches(rule, f) {
    if (rule.kinds !== 'any' && !rule.kinds.includes(f.kind))
        return false;
    if (rule.id !== f.id && !f.altIds.includes(rule.id))
        return false;
    if (!pathMatches(rule.paths, [f.pkgPath, f.target]))
        return false;
    return purlMatches(rule.purls, f.purl);
}
/** License entries are read and checked, but the gate runs no license scanner. */
function appliesToSomething(rule) {
    return rule.kinds === 'any' || rule.kinds.length > 0;
}
function isExpired(rule, now) {
    return rule.expiresAt !== undefined && now.getTime() > rule.expiresAt.getTime();
}
function applyIgnores(findings, rules, now) {
    const active = rules.filter((r) => !isExpired(r, now));
    const expired = rules.filter((r) => isExpired(r, now)).map((rule) => ({ rule, matched: [] }));
    const kept = [];
    const suppressed = [];
    for (const f of findings) {
        const rule = active.find((r) => ruleMatches(r, f));
        if (rule)
            suppressed.push({ finding: f, rule });
        else
            kept.push(f);
        for (const e of expired)
            if (ruleMatches(e.rule, f))
                e.matched.push(f);
    }
    return {
        kept,
        suppressed,
        expired,
        noExpiry: active.filter((r) => r.expiresAt === undefined && appliesToSomething(r)),
    };
}


/***/ }),

/***/ 4564:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.SARIF_SCHEMA = void 0;
exports.toSarif = toSarif;
exports.SARIF_SCHEMA = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json';
const LEVEL = {
    CRITICAL: 'error',
    HIGH: 'error',
    MEDIUM: 'warning',
    LOW: 'note',
    UNKNOWN: 'note',
};
/** Used when no CVSS v3 score is known (the values Trivy uses). */
const DEFAULT_SCORE = {
    CRITICAL: '9.5',
    HIGH: '8.0',
    MEDIUM: '5.5',
    LOW: '2.0',
    UNKNOWN: '0.0',
};
const RULE_NAME = {
    'os-pkgs': 'OsPackageVulnerability',
    'lang-pkgs': 'LanguageSpecificPackageVulnerability',
    secret: 'Secret',
    config: 'Misconfiguration',
};
function ruleId(f) {
    return f.id || `${f.kind}-unknown`;
}
function location(f, artifactName) {
    if (f.kind === 'vulnerability')
        return { uri: (f.pkgPath || artifactName).replace(/^\/+/, ''), line: 1 };
    return { uri: (f.target || artifactName).replace(/^\/+/, ''), line: f.line && f.line > 0 ? f.line : 1 };
}
function describe(f) {
    if (f.kind === 'vulnerability') {
        return [
            `Package: ${f.pkgName}`,
            `Installed Version: ${f.installedVersion}`,
            `Vulnerability ${f.id}`,
            `Severity: ${f.severity}`,
            `Fixed Version: ${f.fixedVersion || '(none)'}`,
            ...(f.url ? [`Link: [${f.id}](${f.url})`] : []),
        ].join('\n');
    }
    if (f.kind === 'secret')
        return `Artifact: ${f.target}\nType: ${f.title}\nSecret ${f.id}\nSeverity: ${f.severity}`;
    return `Artifact: ${f.target}\nMisconfiguration ${f.id}\nSeverity: ${f.severity}\n${f.title}`;
}
function ruleFor(f, id, text) {
    return {
        id,
        name: RULE_NAME[f.resultClass] ??
            (f.kind === 'vulnerability' ? 'Vulnerability' : f.kind === 'secret' ? 'Secret' : 'Misconfiguration'),
        shortDescription: { text: f.title || id },
        fullDescription: { text: f.title || id },
        defaultConfiguration: { level: LEVEL[f.severity] },
        ...(f.url ? { helpUri: f.url } : {}),
        help: { text, markdown: text },
        properties: {
            precision: 'very-high',
            'security-severity': f.cvss3 !== undefined ? f.cvss3.toFixed(1) : DEFAULT_SCORE[f.severity],
            tags: [f.kind, 'security', f.severity],
        },
    };
}
function resultFor(f, s, ruleIndex, text, artifactName) {
    const loc = location(f, artifactName);
    const result = {
        ruleId: ruleId(f),
        ruleIndex,
        level: LEVEL[f.severity],
        message: { text },
        locations: [
            {
                physicalLocation: {
                    artifactLocation: { uri: loc.uri || 'image', uriBaseId: 'ROOTPATH' },
                    region: { startLine: loc.line, startColumn: 1, endLine: loc.line, endColumn: 1 },
                },
                message: { text: f.kind === 'vulnerability' ? `${f.target}: ${f.pkgName}@${f.installedVersion}` : f.target },
            },
        ],
    };
    if (s) {
        result['suppressions'] = [
            {
                kind: 'external',
                status: 'accepted',
                justification: `${s.rule.statement || 'ignored'} (${s.rule.where}${s.rule.expiresAt ? `, until ${s.rule.expiresAt.toISOString().slice(0, 10)}` : ''})`,
            },
        ];
    }
    return result;
}
function toSarif(kept, suppressed, o) {
    const wanted = new Set(o.severities);
    const rows = [
        ...kept.map((f) => ({ f })),
        ...suppressed.map((s) => ({ f: s.finding, s })),
    ].filter((r) => wanted.has(r.f.severity));
    const rules = [];
    const index = new Map();
    const results = rows.map(({ f, s }) => {
        const id = ruleId(f);
        const text = describe(f);
        let i = index.get(id);
        if (i === undefined) {
            i = rules.length;
            index.set(id, i);
            rules.push(ruleFor(f, id, text));
        }
        return resultFor(f, s, i, text, o.artifactName);
    });
    return {
        version: '2.1.0',
        $schema: exports.SARIF_SCHEMA,
        runs: [
            {
                tool: {
                    driver: {
                        fullName: 'Trivy Vulnerability Scanner',
                        informationUri: 'https://github.com/aquasecurity/trivy',
                        name: 'Trivy',
                        rules,
                        ...(o.trivyVersion ? { version: o.trivyVersion } : {}),
                    },
                },
                results,
                columnKind: 'utf16CodeUnits',
                originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
                properties: { imageName: o.artifactName },
            },
        ],
    };
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
