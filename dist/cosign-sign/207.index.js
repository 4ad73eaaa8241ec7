export const id = 207;
export const ids = [207];
export const modules = {

/***/ 4207:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  manifestDigest: () => (/* reexport */ manifestDigest)
});

// UNUSED EXPORTS: Buildah, CommandRunner, Cosign, DEFAULT_RETRY, Docker, GITHUB_OIDC_ISSUER, Helm, HttpTransportError, MANIFEST_MEDIA_TYPES, PENDING_STATUSES, PUBLIC_FULCIO_URL, PUBLIC_REKOR_URL, RegistryClient, RegistryError, Skopeo, TRIVY_SCANNERS, TRIVY_SEVERITIES, Trivy, TrivyReportError, backoffDelay, binEnvName, checkRegistryAccess, classifyPushFailure, createHttpSender, currentPlatform, ensureTool, manifest, parseChallenge, parseImageRef, parseRetryAfter, proxyConfigured, registryErrorDetail, resolveDigest, resolveToolFile, retryableStatus, retryableTransport, sha256File, shellQuote, splitChartRef

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./packages/tools/src/http.ts
var http = __webpack_require__(3946);
;// CONCATENATED MODULE: ./packages/tools/src/retry.ts
/**
 * Bounded retry policy shared by the registry client and the push loops: exponential backoff with
 * jitter, capped, and a server's Retry-After honoured (never beyond `maxDelayMs`).
 */
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
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
    return ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
}

;// CONCATENATED MODULE: ./packages/tools/src/registry.ts
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




const MANIFEST_MEDIA_TYPES = [
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
    if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
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
        this.#send = opts.send ?? (0,http/* createHttpSender */.mK)(opts.env ?? process.env);
        this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        this.#now = opts.now ?? Date.now;
        this.#retry = opts.retry ?? DEFAULT_RETRY;
        this.#ca = opts.ca;
    }
    async #tls() {
        if (!this.#caLoaded) {
            this.#caLoaded = true;
            if (this.#opts.caFile) {
                try {
                    this.#ca = await (0,promises_.readFile)(this.#opts.caFile, 'utf8');
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
        const accept = { accept: MANIFEST_MEDIA_TYPES.join(', ') };
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
            digest = res.headers['docker-content-digest'] ?? `sha256:${(0,external_node_crypto_.createHash)('sha256').update(res.body, 'utf8').digest('hex')}`;
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
        const res = await this.#request('GET', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, { accept: MANIFEST_MEDIA_TYPES.join(', ') });
        if (res.status !== 200)
            throw this.#statusError(res, `GET manifest ${repository}:${reference}`);
        const digest = res.headers['docker-content-digest'] ?? `sha256:${(0,external_node_crypto_.createHash)('sha256').update(res.body, 'utf8').digest('hex')}`;
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
                const code = err instanceof http/* HttpTransportError */.Mz ? err.code : (err.code ?? 'EUNKNOWN');
                const message = err.message;
                if (isTlsError(code, message)) {
                    throw new RegistryError(`TLS with ${this.registry} failed: ${message}. For a private CA pass its PEM file (ca-file); for a registry without valid TLS list it as insecure.`, 'tls', 0, attempt);
                }
                if (retryableTransport(code) && attempt < this.#retry.attempts) {
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
            if (retryableStatus(res.status) && attempt < this.#retry.attempts) {
                await this.#wait(attempt, parseRetryAfter(res.headers['retry-after'], this.#now()), `${method} ${path}: HTTP ${res.status}`);
                continue;
            }
            if (retryableStatus(res.status)) {
                const e = this.#statusError(res, `${method} ${path}`);
                throw new RegistryError(`${e.message} (after ${attempt} attempts)`, e.kind, res.status, attempt);
            }
            return res;
        }
    }
    async #wait(attempt, retryAfterMs, why) {
        const ms = backoffDelay(attempt, this.#retry, retryAfterMs, this.#opts.random);
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
            const code = err instanceof http/* HttpTransportError */.Mz ? err.code : '';
            if (this.#opts.insecure && this.#scheme === 'https' && (isTlsError(code, err.message) || code === 'ECONNRESET')) {
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
            const header = 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
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
                res = await this.#send({ method: 'GET', url, headers, timeoutMs: this.#opts.timeoutMs ?? 30_000, ...(tls && url.protocol === 'https:' ? { tls } : {}) });
            }
            catch (err) {
                const code = err instanceof http/* HttpTransportError */.Mz ? err.code : '';
                if (retryableTransport(code) && attempt < this.#retry.attempts) {
                    await this.#wait(attempt, undefined, `token request to ${url.host}: ${err.message}`);
                    continue;
                }
                throw new RegistryError(`the token service ${url.host} of ${this.registry} is unreachable: ${err.message}`, 'unreachable', 0, attempt);
            }
            if (retryableStatus(res.status) && attempt < this.#retry.attempts) {
                await this.#wait(attempt, parseRetryAfter(res.headers['retry-after'], this.#now()), `token request to ${url.host}: HTTP ${res.status}`);
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

;// CONCATENATED MODULE: ./packages/tools/src/index.ts













/***/ })

};
