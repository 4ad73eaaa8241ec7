/**
 * Job-summary builder. Every user-controlled string goes through `escapeMarkdown` (cells, text) or
 * `escapeHtml` (inside <pre>/<details>), secrets are redacted, and writing never fails the action:
 * a summary that cannot be written is a warning.
 */
import type { Logger } from './logger.js';
import type { RunnerProtocol } from './runner-protocol.js';
import type { Secrets } from './secrets.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes text for a Markdown table cell or paragraph: no markup, links, HTML or row breaks survive. */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]{}()#+!|~])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

/** A code span for a user value: backticks inside cannot break out. */
export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A Markdown link whose text is escaped and whose URL must be http(s); otherwise just the text. */
export function link(text: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMarkdown(text);
  return `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

/** Raw markup built by the caller from escaped parts (marks a cell as already safe). */
export class Raw {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
}

export type Cell = string | number | boolean | Raw;

export class Summary {
  readonly #parts: string[] = [];
  #written = false;

  private readonly runner: RunnerProtocol;
  private readonly secrets: Secrets;
  private readonly log: Logger;
  constructor(runner: RunnerProtocol, secrets: Secrets, log: Logger) {
    this.runner = runner;
    this.secrets = secrets;
    this.log = log;
  }

  /** secrets are redacted before escaping, so the marker renders as written */
  #md(text: string): string {
    return escapeMarkdown(this.secrets.redact(text));
  }

  #html(text: string): string {
    return escapeHtml(this.secrets.redact(text));
  }

  heading(text: string, level: 2 | 3 | 4 = 2): this {
    this.#parts.push(`${'#'.repeat(level)} ${this.#md(text)}\n\n`);
    return this;
  }

  /** Escaped paragraph. */
  text(text: string): this {
    this.#parts.push(`${this.#md(text)}\n\n`);
    return this;
  }

  /** Raw Markdown from escaped parts. */
  raw(markdown: string): this {
    this.#parts.push(markdown.endsWith('\n') ? markdown : markdown + '\n');
    return this;
  }

  table(header: readonly Cell[], rows: readonly (readonly Cell[])[]): this {
    const cell = (c: Cell): string => (c instanceof Raw ? c.html : this.#md(String(c)));
    const line = (cells: readonly Cell[]): string => `| ${cells.map(cell).join(' | ')} |`;
    this.#parts.push(
      [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') + '\n\n',
    );
    return this;
  }

  /** Key/value table of facts. */
  facts(rows: readonly (readonly [string, Cell])[]): this {
    return this.table(['Field', 'Value'], rows);
  }

  /** Collapsed block; `body` is preformatted text (escaped here). */
  details(title: string, body: string, opts: { open?: boolean } = {}): this {
    this.#parts.push(
      `<details${opts.open ? ' open' : ''}><summary>${this.#html(title)}</summary>\n\n<pre>${this.#html(body)}</pre>\n\n</details>\n\n`,
    );
    return this;
  }

  /** Collapsed block whose body is Markdown the caller built from escaped parts. */
  detailsMarkdown(title: string, markdown: string): this {
    this.#parts.push(`<details><summary>${this.#html(title)}</summary>\n\n${markdown}\n\n</details>\n\n`);
    return this;
  }

  get empty(): boolean {
    return this.#parts.length === 0;
  }

  markdown(): string {
    return this.secrets.redact(this.#parts.join(''));
  }

  /** Appends to GITHUB_STEP_SUMMARY once. Never throws. */
  write(): void {
    if (this.#written || this.#parts.length === 0) return;
    this.#written = true;
    try {
      this.runner.appendSummary(this.markdown());
    } catch (err) {
      this.log.warning(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
