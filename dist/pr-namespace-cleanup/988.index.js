export const id = 988;
export const ids = [988];
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
        for (const a of [file, ...args]) {
            if (this.#secrets.redact(a) !== a) {
                return Promise.reject(new Error(`refusing to run ${tool}: a secret would appear on its command line (argv: ${argv.join(' ')})`));
            }
        }
        if (this.#cancelSignal) {
            return Promise.reject(this.#toolError(tool, argv, `${tool} was not started: the job is being cancelled`, null, this.#cancelSignal, '', { cancelled: true }));
        }
        const env = opts.replaceEnv ? { ...opts.env } : { ...this.#env, ...opts.env };
        const timeoutMs = opts.timeoutMs ?? this.#defaultTimeoutMs;
        const started = Date.now();
        this.#log.debug(`run: ${argv.join(' ')}`);
        return new Promise((resolve, reject) => {
            let child;
            try {
                child = (0, node_child_process_1.spawn)(file, [...args], {
                    cwd: opts.cwd,
                    env: env,
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
            const out = [];
            const errb = [];
            let outLen = 0;
            let errLen = 0;
            let timedOut = false;
            let killTimer;
            const lineBuf = { out: '', err: '' };
            const streamLines = (key, chunk) => {
                if (!opts.stream)
                    return;
                lineBuf[key] += chunk.toString('utf8');
                const lines = lineBuf[key].split(/\r?\n/);
                lineBuf[key] = lines.pop() ?? '';
                for (const l of lines)
                    this.#log.info(this.#secrets.redact(l));
            };
            child.stdout?.on('data', (c) => {
                if (outLen < MAX_CAPTURE)
                    out.push(c);
                outLen += c.length;
                streamLines('out', c);
            });
            child.stderr?.on('data', (c) => {
                if (errLen < MAX_CAPTURE)
                    errb.push(c);
                errLen += c.length;
                streamLines('err', c);
            });
            child.stdin?.on('error', () => {
                // the child may exit before reading its stdin; its exit code tells what happened
            });
            if (opts.input !== undefined)
                child.stdin?.end(opts.input);
            else
                child.stdin?.end();
            const timer = setTimeout(() => {
                timedOut = true;
                this.#log.warning(`${tool} did not finish within ${Math.round(timeoutMs / 1000)}s: stopping it`);
                child.kill('SIGTERM');
                killTimer = setTimeout(() => child.kill('SIGKILL'), this.#killGraceMs);
                killTimer.unref();
            }, timeoutMs);
            timer.unref();
            let settled = false;
            child.on('error', (err) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
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
                clearTimeout(timer);
                if (killTimer)
                    clearTimeout(killTimer);
                this.#untrack(child);
                if (opts.stream) {
                    if (lineBuf.out)
                        this.#log.info(this.#secrets.redact(lineBuf.out));
                    if (lineBuf.err)
                        this.#log.info(this.#secrets.redact(lineBuf.err));
                }
                const stdout = Buffer.concat(out).toString('utf8');
                const stderr = Buffer.concat(errb).toString('utf8');
                const durationMs = Date.now() - started;
                const ok = opts.okExitCodes ?? [0];
                if (timedOut) {
                    reject(this.#toolError(tool, argv, `${tool} timed out after ${Math.round(timeoutMs / 1000)}s`, code, signal, stderr, { timedOut: true }));
                }
                else if (this.#cancelSignal && code !== 0) {
                    reject(this.#toolError(tool, argv, `${tool} was stopped: the job was cancelled (${this.#cancelSignal})`, code, signal, stderr, { cancelled: true }));
                }
                else if (code === null || !ok.includes(code)) {
                    reject(this.#toolError(tool, argv, `${tool} failed with ${code === null ? `signal ${signal}` : `exit code ${code}`}`, code, signal, stderr));
                }
                else {
                    resolve({ exitCode: code, stdout, stderr, durationMs });
                }
            });
        });
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


/***/ })

};
