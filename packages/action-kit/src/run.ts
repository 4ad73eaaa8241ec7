import { errorKind, GateError, InputError, ToolError } from './errors.js';
import { Inputs } from './inputs.js';
import { RunnerLogger, type Logger } from './logger.js';
import { createRunner, type Env, type Runner } from './runner.js';
import { Secrets } from './secrets.js';
import { Summary } from './summary.js';

export interface Outputs {
  /** Sets an output; objects and arrays are written as JSON. */
  set(name: string, value: string | number | boolean | object): void;
  readonly values: ReadonlyMap<string, string>;
}

export interface ActionContext {
  readonly name: string;
  readonly env: Env;
  readonly runner: Runner;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly inputs: Inputs;
  readonly outputs: Outputs;
  readonly summary: Summary;
}

export type ActionMain = (ctx: ActionContext) => Promise<void>;

export interface RunOptions {
  runner?: Runner;
  /** set process.exitCode on failure (default true; tests running in-process turn it off) */
  setExitCode?: boolean;
}

export function createContext(name: string, runner: Runner): ActionContext {
  const secrets = new Secrets((v) => runner.mask(v));
  const log = new RunnerLogger(runner, secrets);
  const values = new Map<string, string>();
  const outputs: Outputs = {
    values,
    set(key, value) {
      const text =
        typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
      values.set(key, text);
      runner.setOutput(key, text);
    },
  };
  return {
    name,
    env: runner.env,
    runner,
    secrets,
    log,
    inputs: new Inputs(runner, secrets),
    outputs,
    summary: new Summary(runner, secrets, log),
  };
}

/**
 * The one catch-all around an action. Reports the failure once according to its kind, writes the
 * summary best-effort, and never calls process.exit (so pending log writes and post steps are safe).
 * Resolves to the exit code.
 */
export async function runAction(name: string, main: ActionMain, opts: RunOptions = {}): Promise<number> {
  const runner = opts.runner ?? createRunner();
  const ctx = createContext(name, runner);
  let code = 0;
  try {
    await main(ctx);
  } catch (err) {
    code = 1;
    reportFailure(ctx, err);
  } finally {
    ctx.summary.write();
  }
  if (code !== 0 && opts.setExitCode !== false) process.exitCode = code;
  return code;
}

export function reportFailure(ctx: ActionContext, err: unknown): void {
  const { log, name } = ctx;
  switch (errorKind(err)) {
    case 'input':
      log.error((err as InputError).message);
      break;
    case 'gate':
      log.error((err as GateError).message);
      break;
    case 'tool': {
      const e = err as ToolError;
      const d = e.details;
      const lines = [
        e.message,
        `command: ${d.argv.join(' ')}`,
        `exit code: ${d.exitCode === null ? `none (signal ${d.signal ?? 'unknown'})` : d.exitCode}`,
      ];
      if (d.stderrTail) lines.push(`stderr (last lines):\n${d.stderrTail}`);
      log.error(lines.join('\n'));
      break;
    }
    default: {
      const e = err instanceof Error ? err : new Error(String(err));
      log.error(`${name}: internal error: ${e.message}. Re-run with debug logging for the stack trace.`);
      if (e.stack) log.debug(e.stack);
    }
  }
}
