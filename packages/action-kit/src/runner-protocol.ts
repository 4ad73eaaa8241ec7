/**
 * The GitHub Actions runner protocol (workflow commands on stdout, file commands in
 * GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY, inputs in INPUT_* variables), written directly
 * instead of through @actions/core: core 3 loads its HTTP stack (undici) at import for OIDC, which
 * alone costs more than an action's whole start budget. The wire format is the same one core writes.
 */
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

export type Env = Readonly<Record<string, string | undefined>>;

export interface RunnerProtocol {
  readonly env: Env;
  /** raw input value as the runner passes it (`INPUT_<NAME>`), trimmed; '' when unset */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** `::add-mask::` */
  mask(value: string): void;
  /** write one raw line to the log */
  write(line: string): void;
  command(cmd: string, props: Record<string, string>, message: string): void;
  appendSummary(markdown: string): void;
  readonly isDebug: boolean;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatCommand(cmd: string, props: Record<string, string>, message: string): string {
  const entries = Object.entries(props).filter(([, v]) => v !== '');
  const p = entries.length ? ' ' + entries.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',') : '';
  return `::${cmd}${p}::${escapeData(message)}`;
}

/** 128 random bits as hex. Not for secrets: a delimiter only has to be absent from what it encloses. */
function delimiterId(): string {
  let id = '';
  for (let i = 0; i < 4; i++)
    id += Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return id;
}

/**
 * `name<<delimiter` … `delimiter`: the delimiter is drawn again until neither the name nor the value
 * contains it, so a value can never end the block early whatever it holds (no need for node:crypto,
 * which would cost every step's start).
 */
function fileCommandValue(name: string, value: string): string {
  let delimiter = `ghadelimiter_${delimiterId()}`;
  while (name.includes(delimiter) || value.includes(delimiter)) delimiter = `ghadelimiter_${delimiterId()}`;
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

export interface RunnerProtocolOptions {
  env?: Env;
  /** where log lines go (default: process.stdout) */
  out?: (line: string) => void;
}

export function createRunnerProtocol(opts: RunnerProtocolOptions = {}): RunnerProtocol {
  const env = opts.env ?? process.env;
  const out = opts.out ?? ((line: string) => void process.stdout.write(line + EOL));
  const command = (cmd: string, props: Record<string, string>, message: string): void =>
    out(formatCommand(cmd, props, message));
  return {
    env,
    isDebug: env['RUNNER_DEBUG'] === '1',
    getInput(name) {
      return (env[inputEnvName(name)] ?? '').trim();
    },
    setOutput(name, value) {
      const file = env['GITHUB_OUTPUT'];
      if (file) appendFileSync(file, fileCommandValue(name, value), 'utf8');
      else out(`${EOL}output ${name}=${value.split(/\r?\n/)[0] ?? ''}`);
    },
    saveState(name, value) {
      const file = env['GITHUB_STATE'];
      if (file) appendFileSync(file, fileCommandValue(name, value), 'utf8');
    },
    getState(name) {
      return env[`STATE_${name}`] ?? '';
    },
    mask(value) {
      command('add-mask', {}, value);
    },
    write: out,
    command,
    appendSummary(markdown) {
      const file = env['GITHUB_STEP_SUMMARY'];
      if (!file) return;
      appendFileSync(file, markdown, 'utf8');
    },
  };
}
