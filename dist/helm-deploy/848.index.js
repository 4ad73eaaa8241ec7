export const id = 848;
export const ids = [848];
export const modules = {

/***/ 3511:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.inClusterKubeconfig = inClusterKubeconfig;
exports.clusterAccess = clusterAccess;
exports.createFiles = createFiles;
/**
 * The cluster phase: how this run reaches the API server (one of three ways), and what helm is given
 * to reach it the same way.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const kube_1 = __webpack_require__(3234);
const github_oidc_1 = __webpack_require__(8841);
/** In-cluster: a kubeconfig that points helm at the pod's service-account files (no token copied). */
function inClusterKubeconfig(server, dir = kube_1.SERVICE_ACCOUNT_DIR) {
    return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${dir}/ca.crt` } }],
        users: [{ name: 'service-account', user: { tokenFile: `${dir}/token` } }],
        contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
        'current-context': 'in-cluster',
    });
}
/** The kubeconfig input, inspected without @kubernetes/client-node (loaded only when needed). */
async function fromKubeconfig(inp, ctx) {
    const { secrets, log } = ctx;
    const doc = await (0, kube_1.parseKubeconfigText)(inp.kubeconfig);
    const facts = (0, kube_1.inspectKubeconfig)(doc, { allowExecAuth: inp.allowExecAuth });
    for (const v of facts.secretValues)
        secrets.add(v);
    for (const w of facts.warnings)
        log.warning(w);
    let loaded;
    return {
        access: {
            server: facts.server,
            host: facts.host,
            context: facts.context,
            source: 'kubeconfig',
            authMethod: facts.authMethod,
            user: facts.user,
        },
        conn: (0, kube_1.restConnection)(doc, facts),
        kubeConfigLoader: () => (loaded ??= (0, kube_1.loadKubeconfig)(inp.kubeconfig, { allowExecAuth: inp.allowExecAuth, secrets }).then((a) => a.kubeConfig)),
        kubeconfigText: inp.kubeconfig,
    };
}
/**
 * Cluster access, one of three. A kubeconfig is parsed and inspected here (exec/auth-provider refusal,
 * credentials registered as secrets) without @kubernetes/client-node, which is only loaded when
 * something needs it (diagnostics, in-cluster or keyless mode, credentials the small REST client does
 * not handle). Keyless (cluster-oidc-audience) fetches the job's OIDC token once now, so a job without
 * `id-token: write` fails before anything is created.
 */
async function clusterAccess(inp, ctx, deps) {
    const { secrets } = ctx;
    if (inp.inCluster) {
        const ic = await (0, kube_1.loadInCluster)({ env: ctx.env, secrets, pathPrefix: deps.serviceAccountPrefix });
        return {
            access: ic,
            conn: undefined,
            kubeConfigLoader: async () => ic.kubeConfig,
            kubeconfigText: inClusterKubeconfig(ic.server, `${deps.serviceAccountPrefix ?? ''}${kube_1.SERVICE_ACCOUNT_DIR}`),
        };
    }
    if (inp.githubOidc) {
        const plugin = deps.credentialPlugin ?? (0, github_oidc_1.selfPlugin)(inp.githubOidc.audience);
        const a = await (0, github_oidc_1.loadGithubOidc)(inp.githubOidc, { env: ctx.env, secrets, plugin });
        ctx.log.info(`Cluster access: the job's GitHub OIDC token (audience ${inp.githubOidc.audience}) as ${a.user}`);
        return { access: a, conn: undefined, kubeConfigLoader: async () => a.kubeConfig, kubeconfigText: a.kubeconfigText };
    }
    return fromKubeconfig(inp, ctx);
}
/** The kubeconfig file helm reads (removed by the post step if this one cannot) and a work directory. */
function createFiles(ctx, cluster) {
    const runnerTemp = ctx.env['RUNNER_TEMP'];
    const kubeconfigPath = (0, kube_1.writeKubeconfigFile)(cluster.kubeconfigText, runnerTemp);
    (0, kube_1.rememberKubeconfig)(ctx.protocol, kubeconfigPath);
    const work = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)(runnerTemp, 'polyglot-cd-helm-deploy-'));
    return { kubeconfigPath, work, runnerTemp };
}


/***/ }),

/***/ 5594:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.bundledChart = bundledChart;
exports.helmEnv = helmEnv;
exports.chartReference = chartReference;
exports.valuesFilePaths = valuesFilePaths;
/**
 * What helm runs with: its environment (isolated from the runner's user and from the step's inputs)
 * and the chart it is given. Pure, but for the workspace's file system.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const action_kit_1 = __webpack_require__(5092);
const command_runner_1 = __webpack_require__(7988);
const inputVarPrefix = (0, action_kit_1.inputEnvName)('');
/** charts/app beside the bundle: <action root>/dist/helm-deploy/index.js → <action root>/charts/app */
function bundledChart(entry = process.argv[1] ?? '') {
    return (0, node_path_1.resolve)((0, node_path_1.dirname)(entry), '..', '..', 'charts', 'app');
}
/** A variable of the caller helm does not get (see helmEnv). */
function dropped(k, idTokenRequest) {
    if (k === 'KUBECONFIG' || k === 'HOME')
        return true;
    if (k.startsWith('HELM_') || k.startsWith('XDG_') || k.startsWith(inputVarPrefix))
        return true;
    // the runner's token service is for the credential plugin of keyless access only
    return (0, command_runner_1.withheld)(k) && !(idTokenRequest && k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'));
}
/**
 * The environment helm runs with: ours, minus anything that could point it at another cluster, minus
 * the step's inputs (the kubeconfig input is a secret helm has no use for), and with a HOME of its own:
 * `helmHome`, an empty directory of this step, holds helm's config, cache, data and plugins, so no
 * plugin, repository or stored registry credential of the runner's user (or of an earlier step) is
 * used. Every HELM_* variable of the caller is dropped for the same reason.
 */
function helmEnv(env, kubeconfigPath, context, helmHome, o = {}) {
    const out = {};
    for (const [k, v] of Object.entries(env)) {
        if (v !== undefined && !dropped(k, o.idTokenRequest === true))
            out[k] = v;
    }
    out['HOME'] = helmHome;
    out['HELM_CONFIG_HOME'] = (0, node_path_1.join)(helmHome, 'config');
    out['HELM_CACHE_HOME'] = (0, node_path_1.join)(helmHome, 'cache');
    out['HELM_DATA_HOME'] = (0, node_path_1.join)(helmHome, 'data');
    out['HELM_PLUGINS'] = (0, node_path_1.join)(helmHome, 'data', 'plugins');
    out['HELM_REGISTRY_CONFIG'] = (0, node_path_1.join)(helmHome, 'config', 'registry', 'config.json');
    out['HELM_REPOSITORY_CONFIG'] = (0, node_path_1.join)(helmHome, 'config', 'repositories.yaml');
    out['HELM_REPOSITORY_CACHE'] = (0, node_path_1.join)(helmHome, 'cache', 'repository');
    out['KUBECONFIG'] = kubeconfigPath;
    if (context)
        out['HELM_KUBECONTEXT'] = context;
    return out;
}
/**
 * The chart helm gets: a path inside the workspace (absolute), or an oci:// reference. A `repo/chart`
 * name needs a repository added to helm's configuration, and helm runs with an empty one of its own.
 */
function chartReference(chart, workspace) {
    if (chart.startsWith('oci://'))
        return chart;
    const path = (0, action_kit_1.resolveInWorkspace)(workspace, chart, 'chart');
    if ((0, node_fs_1.existsSync)(path) || /^(\.|\/)/.test(chart))
        return path;
    throw new action_kit_1.InputError(`Input "chart" has an invalid value ${JSON.stringify(chart)}: no such chart in the workspace, and a repo/chart name is not used (helm runs with its own empty configuration: no repositories, plugins or stored credentials); give a chart path in the workspace or an oci:// reference`, 'chart');
}
/** The values files, resolved inside the workspace; one that does not exist is an input error. */
function valuesFilePaths(files, workspace) {
    const paths = files.map((f) => (0, action_kit_1.resolveInWorkspace)(workspace, f, 'values-files'));
    paths.forEach((path, i) => {
        if (!(0, node_fs_1.existsSync)(path))
            throw new action_kit_1.InputError(`Input "values-files" names ${JSON.stringify(files[i])}, which does not exist (looked at ${path})`, 'values-files');
    });
    return paths;
}


/***/ }),

/***/ 7062:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.helmEnvOf = helmEnvOf;
exports.locateHelm = locateHelm;
exports.openHelm = openHelm;
exports.helmCommand = helmCommand;
exports.installHelm = installHelm;
/**
 * helm, pinned (the same for a deploy and a read): found or downloaded by its recorded SHA-256, or the
 * binary POLYGLOT_CD_HELM_BIN names, asked its version; and the environment it runs with.
 */
const node_path_1 = __webpack_require__(6760);
const command_runner_1 = __webpack_require__(7988);
const helm_1 = __webpack_require__(2366);
const tool_installer_1 = __webpack_require__(145);
const env_js_1 = __webpack_require__(5594);
/** What helm is given to reach the cluster: the kubeconfig file, its context, an empty HOME of this step. */
function helmEnvOf(ctx, inp, cluster, files) {
    return (0, env_js_1.helmEnv)(ctx.env, files.kubeconfigPath, inp.kubeconfig === '' ? '' : cluster.access.context, (0, node_path_1.join)(files.work, 'helm-home'), { idTokenRequest: inp.githubOidc !== undefined });
}
/** The helm binary, pinned: found or downloaded by its recorded SHA-256, or named by POLYGLOT_CD_HELM_BIN. */
function locateHelm(ctx, inp) {
    const { log, secrets } = ctx;
    return log.group(`Install helm ${inp.helmVersion}`, () => (0, tool_installer_1.ensureTool)('helm', inp.helmVersion, { log, secrets, env: ctx.env, baseUrl: inp.toolsBaseUrl || undefined }));
}
/** The located binary as a Helm: a pinned one is its version; one POLYGLOT_CD_HELM_BIN names is asked. */
async function openHelm(ctx, installed, env) {
    const cmd = new command_runner_1.CommandRunner({ log: ctx.log, secrets: ctx.secrets, env });
    // a binary found by its pinned SHA-256 (PATH, cache, download) is that version
    const pinned = helm_1.Helm.parseVersion(installed.version);
    const helm = installed.source !== 'env' && pinned
        ? new helm_1.Helm(installed.path, pinned, cmd, env)
        : await helm_1.Helm.open(installed.path, cmd, env);
    return { installed, helm, env };
}
/**
 * A command of the located binary that needs no version-specific flag (`helm template`), to run while
 * openHelm asks the version.
 */
function helmCommand(ctx, installed, env) {
    const cmd = new command_runner_1.CommandRunner({ log: ctx.log, secrets: ctx.secrets, env });
    return { run: (args, opts = {}) => cmd.run(installed.path, args, { tool: 'helm', env, ...opts }) };
}
/** helm, pinned; a binary named by POLYGLOT_CD_HELM_BIN is asked its version. */
async function installHelm(ctx, inp, env) {
    return openHelm(ctx, await locateHelm(ctx, inp), env);
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

/***/ 5410:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.workflowPath = exports.workflowKey = exports.orderConfigMapName = exports.OlderRunError = void 0;
exports.decideOrder = decideOrder;
exports.claimDeployOrder = claimDeployOrder;
exports.restOrderApi = restOrderApi;
exports.clientNodeOrderApi = clientNodeOrderApi;
/**
 * Deploy order: an older run never overwrites a newer one. GitHub gives no ordering between runs (a
 * re-run of an old run, a queued run that starts late, a run whose concurrency group was skipped), so
 * helm-deploy claims the release before it touches it:
 *
 *   ConfigMap `polyglot-cd-order-<release>` in the target namespace, one data key per workflow
 *   (`w-<sha256 of the workflow's path>`, the path without its @ref), each holding the newest run
 *   number of that workflow that claimed the release, with its commit and run.
 *
 * A run whose number is lower than the one its own workflow recorded is refused before anything is
 * deployed; an equal number (a re-run of the same run, a canary's promotion, a retry) may go on. The
 * claim is written with the ConfigMap's resourceVersion as a precondition, so of two runs racing for
 * it only one wins each round and the loser re-reads. Run numbers of different workflows are not
 * comparable, so each workflow is ordered among its own runs only.
 */
const rest_js_1 = __webpack_require__(5758);
class OlderRunError extends Error {
    name = 'OlderRunError';
}
exports.OlderRunError = OlderRunError;
const orderConfigMapName = (release) => `polyglot-cd-order-${release}`;
exports.orderConfigMapName = orderConfigMapName;
const workflowKey = (workflow) => `w-${process.getBuiltinModule('node:crypto').createHash('sha256').update(workflow).digest('hex').slice(0, 16)}`;
exports.workflowKey = workflowKey;
var workflow_path_js_1 = __webpack_require__(985);
Object.defineProperty(exports, "workflowPath", ({ enumerable: true, get: function () { return workflow_path_js_1.workflowPath; } }));
function parseRecorded(text) {
    if (!text)
        return undefined;
    try {
        const v = JSON.parse(text);
        return typeof v.runNumber === 'number' && Number.isInteger(v.runNumber) ? v : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Whether `run` may claim a release whose order record is `data`: undefined when it may (with the data
 * to write), or the reason it may not. Pure.
 */
function decideOrder(data, run, at) {
    const key = (0, exports.workflowKey)(run.workflow);
    const previous = parseRecorded(data[key]);
    if (previous && previous.runNumber > run.runNumber) {
        return {
            allowed: false,
            reason: `run #${previous.runNumber} of ${run.workflow} (commit ${previous.sha.slice(0, 12)}, run id ${previous.runId}) already deployed this release at ${previous.at}; this run #${run.runNumber} (commit ${run.sha.slice(0, 12)}) is older, and an older run never overwrites a newer one`,
        };
    }
    const mine = { workflow: run.workflow, runNumber: run.runNumber, runId: run.runId, sha: run.sha, at };
    return { allowed: true, data: { ...data, [key]: JSON.stringify(mine) }, previous };
}
/**
 * Claims `release` in `namespace` for `run`, or throws OlderRunError. Retries a lost race (409) a few
 * times, re-reading each time. Returns the run it replaced in this workflow's order, if any.
 */
async function claimDeployOrder(api, namespace, release, run, o = {}) {
    const name = (0, exports.orderConfigMapName)(release);
    const labels = { 'app.kubernetes.io/managed-by': 'polyglot-cd', 'polyglot-cd/release': release };
    const attempts = o.attempts ?? 5;
    for (let i = 0; i < attempts; i++) {
        const current = await api.read(namespace, name);
        const d = decideOrder(current?.data ?? {}, run, new Date((o.now ?? Date.now)()).toISOString());
        if (!d.allowed)
            throw new OlderRunError(d.reason);
        const outcome = current
            ? await api.replace(namespace, name, d.data, labels, current.resourceVersion)
            : await api.create(namespace, name, d.data, labels);
        if (outcome !== 'conflict')
            return { previousRun: d.previous?.runNumber };
    }
    throw new Error(`could not record the deploy order of ${release} in ${namespace}: ${attempts} concurrent updates in a row`);
}
const cmPath = (namespace, name) => `api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;
/** OrderApi over the small REST client (restRequest). */
function restOrderApi(conn) {
    const body = (namespace, name, data, labels, resourceVersion) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace, labels, ...(resourceVersion ? { resourceVersion } : {}) },
        data,
    });
    const conflict = (err) => err instanceof rest_js_1.RestError && err.code === 409;
    return {
        async read(namespace, name) {
            try {
                const cm = (await (0, rest_js_1.restRequest)(conn, 'GET', cmPath(namespace, name)));
                return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' };
            }
            catch (err) {
                if (err instanceof rest_js_1.RestError && err.code === 404)
                    return undefined;
                throw err;
            }
        },
        async create(namespace, name, data, labels) {
            try {
                await (0, rest_js_1.restRequest)(conn, 'POST', cmPath(namespace), { body: body(namespace, name, data, labels) });
                return 'created';
            }
            catch (err) {
                if (conflict(err))
                    return 'conflict';
                throw err;
            }
        },
        async replace(namespace, name, data, labels, resourceVersion) {
            try {
                await (0, rest_js_1.restRequest)(conn, 'PUT', cmPath(namespace, name), {
                    body: body(namespace, name, data, labels, resourceVersion),
                });
                return 'replaced';
            }
            catch (err) {
                if (conflict(err))
                    return 'conflict';
                throw err;
            }
        },
    };
}
/** OrderApi over @kubernetes/client-node (in-cluster and keyless access). */
async function clientNodeOrderApi(kc) {
    const { CoreV1Api } = await __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 9768));
    const core = kc.makeApiClient(CoreV1Api);
    const code = (err) => err.code;
    return {
        async read(namespace, name) {
            try {
                const cm = await core.readNamespacedConfigMap({ namespace, name });
                return { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' };
            }
            catch (err) {
                if (code(err) === 404)
                    return undefined;
                throw err;
            }
        },
        async create(namespace, name, data, labels) {
            try {
                await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels }, data } });
                return 'created';
            }
            catch (err) {
                if (code(err) === 409)
                    return 'conflict';
                throw err;
            }
        },
        async replace(namespace, name, data, labels, resourceVersion) {
            try {
                await core.replaceNamespacedConfigMap({
                    namespace,
                    name,
                    body: { metadata: { name, labels, resourceVersion }, data },
                });
                return 'replaced';
            }
            catch (err) {
                if (code(err) === 409)
                    return 'conflict';
                throw err;
            }
        },
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

/***/ 3234:
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
__exportStar(__webpack_require__(7566), exports);
__exportStar(__webpack_require__(999), exports);
__exportStar(__webpack_require__(4766), exports);
__exportStar(__webpack_require__(7828), exports);
__exportStar(__webpack_require__(4416), exports);
__exportStar(__webpack_require__(5758), exports);
__exportStar(__webpack_require__(5410), exports);


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

/***/ 5758:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RestError = void 0;
exports.restConnection = restConnection;
exports.restRawRequest = restRawRequest;
exports.restRequest = restRequest;
exports.restNamespaceApi = restNamespaceApi;
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : '');
const b64 = (v) => Buffer.from(v, 'base64').toString('utf8');
function entry(doc, list, name, key) {
    const items = Array.isArray(doc[list]) ? doc[list] : [];
    const found = items.find((e) => isObj(e) && e['name'] === name);
    return isObj(found) && isObj(found[key]) ? found[key] : {};
}
/**
 * The connection of the context `facts` chose, from a parsed kubeconfig already checked by
 * inspectKubeconfig; undefined when its user authenticates through exec or an auth-provider.
 */
function restConnection(doc, facts) {
    if (!isObj(doc))
        return undefined;
    const cluster = entry(doc, 'clusters', facts.cluster, 'cluster');
    const user = entry(doc, 'users', facts.user, 'user');
    if (user['exec'] || user['auth-provider'])
        return undefined;
    const conn = { server: facts.server };
    if (str(cluster['certificate-authority-data']))
        conn.ca = b64(str(cluster['certificate-authority-data']));
    else if (str(cluster['certificate-authority']))
        return undefined; // a CA file on this runner: leave it to client-node
    if (cluster['insecure-skip-tls-verify'] === true)
        conn.insecureSkipTlsVerify = true;
    if (str(user['token']))
        conn.token = str(user['token']);
    else if (str(user['client-certificate-data']) && str(user['client-key-data'])) {
        conn.cert = b64(str(user['client-certificate-data']));
        conn.key = b64(str(user['client-key-data']));
    }
    else if (str(user['username']) && str(user['password']))
        conn.basic = { username: str(user['username']), password: str(user['password']) };
    else
        return undefined;
    return conn;
}
class RestError extends Error {
    name = 'RestError';
    code;
    body;
    constructor(code, body, what) {
        super(`${what}: HTTP ${code}`);
        this.code = code;
        this.body = body;
    }
}
exports.RestError = RestError;
/**
 * One request, whatever the status: for paths whose answer is not the API's JSON (a service proxy).
 * Rejects only when no answer came (connection, TLS, timeout); `err.code` is the transport's code.
 */
async function restRawRequest(conn, method, path, o = {}) {
    const url = new URL(path, conn.server.endsWith('/') ? conn.server : `${conn.server}/`);
    const mod = url.protocol === 'http:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23));
    const headers = { accept: o.accept ?? '*/*', 'user-agent': 'polyglot-cd' };
    if (conn.token)
        headers['authorization'] = `Bearer ${conn.token}`;
    if (conn.basic)
        headers['authorization'] =
            `Basic ${Buffer.from(`${conn.basic.username}:${conn.basic.password}`).toString('base64')}`;
    const timeoutMs = o.timeoutMs ?? 30_000;
    const maxBytes = o.maxBytes ?? 1024 * 1024;
    return new Promise((resolve, reject) => {
        const tls = {
            ca: conn.ca,
            cert: conn.cert,
            key: conn.key,
            rejectUnauthorized: conn.insecureSkipTlsVerify !== true,
        };
        const req = mod.request(url, { method, headers, ...tls, timeout: timeoutMs }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (c) => {
                if (size < maxBytes)
                    chunks.push(c.subarray(0, maxBytes - size));
                size += c.length;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`), { code: 'ETIMEDOUT' })));
        req.on('error', (err) => reject(Object.assign(new Error(`${method} ${url.pathname}: ${err.message}`), { code: codeOf(err) })));
        req.end();
    });
}
function codeOf(err) {
    return typeof err === 'object' && err !== null && typeof err.code === 'string'
        ? err.code
        : '';
}
async function restRequest(conn, method, path, o = {}) {
    const url = new URL(path, conn.server.endsWith('/') ? conn.server : `${conn.server}/`);
    const mod = url.protocol === 'http:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23));
    const headers = { accept: 'application/json', 'user-agent': 'polyglot-cd' };
    if (conn.token)
        headers['authorization'] = `Bearer ${conn.token}`;
    if (conn.basic)
        headers['authorization'] =
            `Basic ${Buffer.from(`${conn.basic.username}:${conn.basic.password}`).toString('base64')}`;
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    if (payload !== undefined)
        headers['content-type'] = o.contentType ?? 'application/json';
    const timeoutMs = o.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
        const req = mod.request(url, {
            method,
            headers,
            ca: conn.ca,
            cert: conn.cert,
            key: conn.key,
            rejectUnauthorized: conn.insecureSkipTlsVerify !== true,
            timeout: timeoutMs,
        }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (data += c));
            res.on('end', () => {
                const status = res.statusCode ?? 0;
                if (status < 200 || status > 299) {
                    reject(new RestError(status, data, `${method} ${url.pathname}`));
                    return;
                }
                try {
                    resolve(data === '' ? undefined : JSON.parse(data));
                }
                catch {
                    reject(new Error(`${method} ${url.pathname}: the API server answered with something that is not JSON`));
                }
            });
            res.on('error', reject);
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${Math.round(timeoutMs / 1000)}s`)));
        req.on('error', (err) => reject(new Error(`${method} ${url.pathname}: ${err.message}`)));
        req.end(payload);
    });
}
/** NamespaceApi over restRequest (same contract as clientNodeNamespaceApi). */
function restNamespaceApi(conn) {
    const path = (name) => `api/v1/namespaces/${encodeURIComponent(name)}`;
    return {
        async read(name) {
            try {
                return (await restRequest(conn, 'GET', path(name)));
            }
            catch (err) {
                if (err instanceof RestError && err.code === 404)
                    return undefined;
                throw err;
            }
        },
        async create(name, labels, annotations) {
            try {
                await restRequest(conn, 'POST', 'api/v1/namespaces', {
                    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } },
                });
                return 'created';
            }
            catch (err) {
                if (err instanceof RestError && err.code === 409)
                    return 'exists';
                throw err;
            }
        },
        async mergeAnnotations(name, annotations) {
            await restRequest(conn, 'PATCH', path(name), {
                body: { metadata: { annotations } },
                contentType: 'application/merge-patch+json',
            });
        },
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
