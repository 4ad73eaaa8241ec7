/**
 * The kinds of failure an action can end with. Each one means one thing, and the kit reports each one
 * its own way, in the log and in the summary's result block (`defineAction`):
 * - InputError: the user can fix an input. Message only, no stack.
 * - ToolError: a CLI failed. Tool name, redacted argv, exit code and a tail of stderr.
 * - GateError: a policy said no (a vulnerability above the threshold, a signature that does not
 *   verify, an older run after a newer one). Nothing is wrong with the tools or the infrastructure.
 * - InfraError: the cluster, a registry or the network failed; retried where that is safe, then gave up.
 * - CancelledError: the run was cancelled (or a tool was stopped by the cancellation).
 * - anything else: a bug in this project, reported with its stack.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** the input the message is about */
  readonly input: string | undefined;
  constructor(message: string, input?: string) {
    super(message);
    this.input = input;
  }
}

export interface ToolErrorDetails {
  tool: string;
  /** argv with secrets already redacted */
  argv: readonly string[];
  exitCode: number | null;
  signal?: string | null;
  /** the last lines of stderr, secrets already redacted */
  stderrTail: string;
  timedOut?: boolean;
  cancelled?: boolean;
}

export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly details: ToolErrorDetails;
  constructor(message: string, details: ToolErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

export class GateError extends Error {
  override readonly name = 'GateError';
}

export interface InfraErrorDetails {
  /** what failed: 'cluster', 'registry', 'network', a host name… */
  service: string;
  /** how many attempts were made before giving up (1: not retried) */
  attempts?: number;
}

/** The cluster, a registry or the network failed (after the retries that were safe). */
export class InfraError extends Error {
  override readonly name = 'InfraError';
  readonly details: InfraErrorDetails;
  constructor(message: string, details: InfraErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

/** The run was cancelled (the summary says what the run had done by then). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

export type ErrorKind = 'input' | 'tool' | 'gate' | 'infrastructure' | 'cancelled' | 'internal';

export function errorKind(err: unknown): ErrorKind {
  if (err instanceof InputError) return 'input';
  if (err instanceof CancelledError) return 'cancelled';
  if (err instanceof ToolError) return err.details.cancelled ? 'cancelled' : 'tool';
  if (err instanceof GateError) return 'gate';
  if (err instanceof InfraError) return 'infrastructure';
  return 'internal';
}

/** The last `maxLines` non-empty lines of a text, for error messages. */
export function tail(text: string, maxLines = 20): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(-maxLines).join('\n');
}
