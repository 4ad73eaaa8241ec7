/**
 * The one shape of every action: `defineAction` takes how the action reads its inputs, its initial
 * report, its `run`, and how the report becomes outputs and a summary. The kit writes the outputs and
 * the summary exactly once, after `run` returns or throws, and reports the failure by its kind
 * (errors.ts). An action never sets an output or writes the summary itself.
 */
import { errorKind, InfraError, ToolError, type ErrorKind } from './errors.js';
import { Inputs } from './inputs.js';
import { RunnerLogger, type Logger } from './logger.js';
import { createRunnerProtocol, type Env, type RunnerProtocol } from './runner-protocol.js';
import { Secrets } from './secrets.js';
import { code, Summary } from './summary.js';

export interface ActionContext {
  readonly name: string;
  readonly env: Env;
  readonly protocol: RunnerProtocol;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly inputs: Inputs;
  readonly summary: Summary;
}

export type ActionMain = (ctx: ActionContext) => Promise<void>;

/** An output value; objects and arrays are written as JSON, `undefined` is not written. */
export type OutputValue = string | number | boolean | object | undefined;

/** How a run ended, for the summary: success, or the kind of its failure. */
export type Ending =
  { readonly kind: 'success' } | { readonly kind: ErrorKind; readonly message: string; readonly error: unknown };

export interface ActionSpec<I, R, D> {
  readonly name: string;
  /** reads and validates every input before any side effect; throws InputError */
  inputs(ctx: ActionContext): I;
  /** the report before anything ran: what the outputs and the summary show if the inputs fail */
  initial(): R;
  /** the action's phases, in order; fills in the report as it goes */
  run(ctx: ActionContext, inputs: I, report: R, deps: D): Promise<void>;
  /** the step's outputs, from the report (success or not) */
  outputs(report: R): Record<string, OutputValue>;
  /** the job summary, from the report and how the run ended; the kit adds the failure's own block */
  summary(report: R, s: Summary, end: Ending): void;
}

export interface DefinedAction<D> {
  readonly name: string;
  /** runs the action in a context: outputs and summary are written, then a failure is rethrown */
  main(ctx: ActionContext, deps?: D): Promise<void>;
  /** the bundle's entry point: a context on the runner protocol, the failure reported, the exit code set */
  start(opts?: RunOptions): Promise<number>;
}

export interface RunOptions {
  protocol?: RunnerProtocol;
  /** set process.exitCode on failure (default true; tests running in-process turn it off) */
  setExitCode?: boolean;
}

export function defineAction<I, R, D = Record<string, never>>(spec: ActionSpec<I, R, D>): DefinedAction<D> {
  const main = async (ctx: ActionContext, deps?: D): Promise<void> => {
    const report = spec.initial();
    let end: Ending = { kind: 'success' };
    try {
      const inputs = spec.inputs(ctx);
      await spec.run(ctx, inputs, report, deps ?? ({} as D));
    } catch (err) {
      end = ending(err);
      throw err;
    } finally {
      finish(ctx, spec, report, end);
    }
  };
  return { name: spec.name, main, start: (opts) => runAction(spec.name, (ctx) => main(ctx), opts) };
}

export function ending(err: unknown): Ending {
  return { kind: errorKind(err), message: err instanceof Error ? err.message : String(err), error: err };
}

/** Outputs, then the action's summary, then the failure block: each guarded, so one bug hides nothing. */
function finish<R>(
  ctx: ActionContext,
  spec: Pick<ActionSpec<unknown, R, unknown>, 'outputs' | 'summary'>,
  report: R,
  end: Ending,
): void {
  try {
    writeOutputs(ctx.protocol, spec.outputs(report));
  } catch (err) {
    ctx.log.warning(`${ctx.name}: could not write the outputs: ${describe(err)}`);
  }
  try {
    spec.summary(report, ctx.summary, end);
  } catch (err) {
    ctx.log.warning(`${ctx.name}: could not render the summary: ${describe(err)}`);
  }
  failureBlock(ctx.summary, ctx.name, end);
}

export function writeOutputs(protocol: RunnerProtocol, outputs: Record<string, OutputValue>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    protocol.setOutput(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
}

const failureTitles: Record<ErrorKind, string> = {
  input: 'Input error: fix the input and run again',
  tool: 'A tool failed',
  gate: 'Refused by policy',
  infrastructure: 'Infrastructure failure: gave up after retrying',
  cancelled: 'Cancelled',
  internal: 'Internal error: a bug in polyglot-cd (the stack is in the log)',
};

/** Each kind of failure ends the summary its own way. */
export function failureBlock(s: Summary, name: string, end: Ending): void {
  if (end.kind === 'success') return;
  s.heading(`${name}: ${failureTitles[end.kind]}`, 3).text(end.message);
  const err = end.error;
  if (err instanceof ToolError) {
    const d = err.details;
    s.raw(
      `Command: ${code(d.argv.join(' '))}, exit code ${d.exitCode ?? `none (signal ${d.signal ?? 'unknown'})`}\n\n`,
    );
    if (d.stderrTail) s.details('stderr (last lines)', d.stderrTail);
  } else if (err instanceof InfraError) {
    s.text(`Service: ${err.details.service}; attempts: ${err.details.attempts ?? 1}`);
  }
}

export function createContext(name: string, protocol: RunnerProtocol): ActionContext {
  const secrets = new Secrets((v) => protocol.mask(v));
  const log = new RunnerLogger(protocol, secrets);
  return {
    name,
    env: protocol.env,
    protocol,
    secrets,
    log,
    inputs: new Inputs(protocol, secrets),
    summary: new Summary(protocol, secrets, log),
  };
}

/**
 * The one catch-all around an action. Reports the failure once according to its kind, writes the
 * summary best-effort, and never calls process.exit (so pending log writes and post steps are safe).
 * Resolves to the exit code.
 */
export async function runAction(name: string, main: ActionMain, opts: RunOptions = {}): Promise<number> {
  const protocol = opts.protocol ?? createRunnerProtocol();
  const ctx = createContext(name, protocol);
  let exit = 0;
  try {
    await main(ctx);
  } catch (err) {
    exit = 1;
    reportFailure(ctx, err);
  } finally {
    ctx.summary.write();
  }
  if (exit !== 0 && opts.setExitCode !== false) process.exitCode = exit;
  return exit;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function reportFailure(ctx: { log: Logger; name: string }, err: unknown): void {
  const { log, name } = ctx;
  const kind = errorKind(err);
  switch (kind) {
    case 'input':
    case 'gate':
      log.error(describe(err));
      break;
    case 'cancelled':
      log.error(`${name} was cancelled: ${describe(err)}`);
      break;
    case 'infrastructure': {
      const d = (err as InfraError).details;
      const attempts = d.attempts ?? 1;
      log.error(`${describe(err)} (${d.service}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`);
      break;
    }
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
      // a bug: the message and its stack, so it can be reported as it happened
      const e = err instanceof Error ? err : new Error(String(err));
      log.error(`${name}: internal error (a bug in polyglot-cd): ${e.message}\n${e.stack ?? ''}`.trimEnd());
    }
  }
}
