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
import { spawn, type ChildProcess } from 'node:child_process';
import { tail, ToolError, type Logger, type Secrets } from '@polyglot-cd/action-kit';

export interface CommandOptions {
  cwd?: string;
  /** extra environment variables, merged over the runner's environment */
  env?: Record<string, string | undefined>;
  /** replace the environment entirely instead of merging (PATH is not added back) */
  replaceEnv?: boolean;
  /** bytes written to the child's stdin (e.g. a password), then stdin is closed */
  input?: string | Buffer;
  /** default: the runner's default (10 minutes) */
  timeoutMs?: number;
  /** exit codes that are not a failure (default: [0]) */
  okExitCodes?: readonly number[];
  /** log every output line (redacted) as it arrives, e.g. for long builds */
  stream?: boolean;
  /** a name for logs and errors (default: the basename of the file) */
  tool?: string;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CommandRunnerOptions {
  log: Logger;
  secrets: Secrets;
  defaultTimeoutMs?: number;
  /** time between SIGTERM and SIGKILL for a timed-out or cancelled child */
  killGraceMs?: number;
  /** base environment (default: process.env) */
  env?: Readonly<Record<string, string | undefined>>;
  /** names kept from the base environment although they are withheld by default (see `withheld`) */
  passThrough?: readonly string[];
}

/** Variables of the base environment a child never gets unless passed on purpose. */
export function withheld(name: string): boolean {
  return name.startsWith('INPUT_') || name.startsWith('ACTIONS_ID_TOKEN_REQUEST_') || name === 'ACTIONS_RUNTIME_TOKEN';
}

const MAX_CAPTURE = 64 * 1024 * 1024;

export class CommandRunner {
  readonly #log: Logger;
  readonly #secrets: Secrets;
  readonly #defaultTimeoutMs: number;
  readonly #killGraceMs: number;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #children = new Set<ChildProcess>();
  #cancelSignal: NodeJS.Signals | undefined;
  readonly #onSignal = (signal: NodeJS.Signals): void => this.#forward(signal);

  constructor(opts: CommandRunnerOptions) {
    this.#log = opts.log;
    this.#secrets = opts.secrets;
    this.#defaultTimeoutMs = opts.defaultTimeoutMs ?? 10 * 60_000;
    this.#killGraceMs = opts.killGraceMs ?? 7_000;
    const base = opts.env ?? process.env;
    const keep = new Set(opts.passThrough ?? []);
    this.#env = Object.fromEntries(Object.entries(base).filter(([k]) => keep.has(k) || !withheld(k)));
  }

  /** argv as it may appear in a log line or an error */
  display(file: string, args: readonly string[]): string[] {
    return this.#secrets.redactAll([file, ...args]);
  }

  run(file: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
    const tool = opts.tool ?? file.split('/').pop() ?? file;
    const argv = this.display(file, args);
    for (const a of [file, ...args]) {
      if (this.#secrets.redact(a) !== a) {
        return Promise.reject(
          new Error(`refusing to run ${tool}: a secret would appear on its command line (argv: ${argv.join(' ')})`),
        );
      }
    }
    if (this.#cancelSignal) {
      return Promise.reject(
        this.#toolError(
          tool,
          argv,
          `${tool} was not started: the job is being cancelled`,
          null,
          this.#cancelSignal,
          '',
          { cancelled: true },
        ),
      );
    }
    const env = opts.replaceEnv ? { ...opts.env } : { ...this.#env, ...opts.env };
    const timeoutMs = opts.timeoutMs ?? this.#defaultTimeoutMs;
    const started = Date.now();
    this.#log.debug(`run: ${argv.join(' ')}`);

    return new Promise<CommandResult>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(file, [...args], {
          cwd: opts.cwd,
          env: env as NodeJS.ProcessEnv,
          shell: false,
          stdio: ['pipe', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (err) {
        reject(this.#toolError(tool, argv, `${tool} could not be started: ${(err as Error).message}`, null, null, ''));
        return;
      }
      this.#track(child);
      const out: Buffer[] = [];
      const errb: Buffer[] = [];
      let outLen = 0;
      let errLen = 0;
      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;
      const lineBuf = { out: '', err: '' };
      const streamLines = (key: 'out' | 'err', chunk: Buffer): void => {
        if (!opts.stream) return;
        lineBuf[key] += chunk.toString('utf8');
        const lines = lineBuf[key].split(/\r?\n/);
        lineBuf[key] = lines.pop() ?? '';
        for (const l of lines) this.#log.info(this.#secrets.redact(l));
      };
      child.stdout?.on('data', (c: Buffer) => {
        if (outLen < MAX_CAPTURE) out.push(c);
        outLen += c.length;
        streamLines('out', c);
      });
      child.stderr?.on('data', (c: Buffer) => {
        if (errLen < MAX_CAPTURE) errb.push(c);
        errLen += c.length;
        streamLines('err', c);
      });
      child.stdin?.on('error', () => {
        // the child may exit before reading its stdin; its exit code tells what happened
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();

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
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#untrack(child);
        const msg =
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${tool} was not found (${this.#secrets.redact(file)}): is it installed and on PATH?`
            : `${tool} could not be started: ${err.message}`;
        reject(this.#toolError(tool, argv, msg, null, null, ''));
      });
      child.on('close', (code, signal) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        this.#untrack(child);
        if (opts.stream) {
          if (lineBuf.out) this.#log.info(this.#secrets.redact(lineBuf.out));
          if (lineBuf.err) this.#log.info(this.#secrets.redact(lineBuf.err));
        }
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(errb).toString('utf8');
        const durationMs = Date.now() - started;
        const ok = opts.okExitCodes ?? [0];
        if (timedOut) {
          reject(
            this.#toolError(
              tool,
              argv,
              `${tool} timed out after ${Math.round(timeoutMs / 1000)}s`,
              code,
              signal,
              stderr,
              { timedOut: true },
            ),
          );
        } else if (this.#cancelSignal && code !== 0) {
          reject(
            this.#toolError(
              tool,
              argv,
              `${tool} was stopped: the job was cancelled (${this.#cancelSignal})`,
              code,
              signal,
              stderr,
              { cancelled: true },
            ),
          );
        } else if (code === null || !ok.includes(code)) {
          reject(
            this.#toolError(
              tool,
              argv,
              `${tool} failed with ${code === null ? `signal ${signal}` : `exit code ${code}`}`,
              code,
              signal,
              stderr,
            ),
          );
        } else {
          resolve({ exitCode: code, stdout, stderr, durationMs });
        }
      });
    });
  }

  #toolError(
    tool: string,
    argv: string[],
    message: string,
    exitCode: number | null,
    signal: string | null,
    stderr: string,
    extra: { timedOut?: boolean; cancelled?: boolean } = {},
  ): ToolError {
    return new ToolError(this.#secrets.redact(message), {
      tool,
      argv,
      exitCode,
      signal,
      stderrTail: this.#secrets.redact(tail(stderr)),
      ...extra,
    });
  }

  #track(child: ChildProcess): void {
    if (this.#children.size === 0) {
      process.on('SIGINT', this.#onSignal);
      process.on('SIGTERM', this.#onSignal);
    }
    this.#children.add(child);
  }

  #untrack(child: ChildProcess): void {
    this.#children.delete(child);
    if (this.#children.size === 0) {
      process.off('SIGINT', this.#onSignal);
      process.off('SIGTERM', this.#onSignal);
    }
  }

  #forward(signal: NodeJS.Signals): void {
    this.#cancelSignal = signal;
    this.#log.warning(
      `Received ${signal}: passing it to ${this.#children.size} running tool(s) and waiting up to ${Math.round(this.#killGraceMs / 1000)}s for them to stop`,
    );
    for (const child of this.#children) {
      child.kill(signal);
      const t = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, this.#killGraceMs);
      t.unref();
    }
  }
}
