/**
 * The four kinds of failure an action can end with. `runAction` reports each one differently:
 * - InputError: the user can fix it. Message only, no stack.
 * - ToolError: a CLI failed. Tool name, redacted argv, exit code and a tail of stderr.
 * - GateError: a deliberate policy failure; outputs and the summary were written before it was thrown.
 * - anything else: an internal error; the stack is shown at debug level.
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
  constructor(message: string, details: ToolErrorDetails) {
    super(message);
    this.details = details;
  }
}

export class GateError extends Error {
  override readonly name = 'GateError';
}

export type ErrorKind = 'input' | 'tool' | 'gate' | 'internal';

export function errorKind(err: unknown): ErrorKind {
  if (err instanceof InputError) return 'input';
  if (err instanceof ToolError) return 'tool';
  if (err instanceof GateError) return 'gate';
  return 'internal';
}

/** The last `maxLines` non-empty lines of a text, for error messages. */
export function tail(text: string, maxLines = 20): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(-maxLines).join('\n');
}
