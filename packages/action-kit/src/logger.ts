import type { RunnerProtocol } from './runner-protocol.js';
import type { Secrets } from './secrets.js';

/** What actions and tools log through. Every implementation redacts registered secrets. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** A collapsible log group around `fn`; the group is closed even when `fn` throws. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export class RunnerLogger implements Logger {
  private readonly runner: RunnerProtocol;
  private readonly secrets: Secrets;
  constructor(runner: RunnerProtocol, secrets: Secrets) {
    this.runner = runner;
    this.secrets = secrets;
  }

  debug(message: string): void {
    for (const line of this.secrets.redact(message).split(/\r?\n/)) this.runner.command('debug', {}, line);
  }
  info(message: string): void {
    this.runner.write(this.secrets.redact(message));
  }
  notice(message: string): void {
    this.runner.command('notice', {}, this.secrets.redact(message));
  }
  warning(message: string): void {
    this.runner.command('warning', {}, this.secrets.redact(message));
  }
  error(message: string): void {
    this.runner.command('error', {}, this.secrets.redact(message));
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.runner.write(`::group::${this.secrets.redact(title)}`);
    try {
      return await fn();
    } finally {
      this.runner.write('::endgroup::');
    }
  }
}

/** A logger that keeps lines in memory: for pure-module tests and for callers that log later. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  notice(message: string): void {
    this.lines.push({ level: 'notice', message });
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push({ level: 'group', message: title });
    return fn();
  }
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }
}
