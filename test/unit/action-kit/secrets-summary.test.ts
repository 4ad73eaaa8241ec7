import { describe, expect, it } from 'vitest';
import {
  code,
  createRunnerProtocol,
  escapeMarkdown,
  link,
  MemoryLogger,
  Raw,
  Secrets,
  Summary,
} from '@polyglot-cd/action-kit';

describe('Secrets', () => {
  it('redacts a URL secret and every derived spelling (query values, encodings)', () => {
    const masks: string[] = [];
    const s = new Secrets((v) => masks.push(v));
    const url =
      'https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=S3cr3tSigValue';
    s.add(url, { url: true });
    expect(masks).toContain(url);
    expect(masks).toContain('S3cr3tSigValue');
    const text = `posting to ${url} failed; sig=S3cr3tSigValue; decoded ${decodeURIComponent(url)}; enc ${encodeURIComponent(url)}`;
    const red = s.redact(text);
    expect(red).not.toContain('S3cr3tSigValue');
    expect(red).not.toContain('/workflows/abc');
    expect(red).toContain('***');
  });

  it('masks multi-line secrets line by line and ignores tiny values', () => {
    const masks: string[] = [];
    const s = new Secrets((v) => masks.push(v));
    s.add('-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----');
    s.add('ab');
    expect(masks).toContain('AAAABBBBCCCC');
    expect(masks).not.toContain('ab');
    expect(s.redact('line: AAAABBBBCCCC')).toBe('line: ***');
    expect(s.redact('about ab')).toBe('about ab');
  });
});

describe('Summary', () => {
  function make(file?: string) {
    const env: Record<string, string> = file ? { GITHUB_STEP_SUMMARY: file } : {};
    const runner = createRunnerProtocol({ env, out: () => {} });
    const secrets = new Secrets();
    const log = new MemoryLogger();
    return { summary: new Summary(runner, secrets, log), secrets, log };
  }

  it('escapes user-controlled text in cells, headings and details', () => {
    const { summary } = make();
    summary
      .heading('Deploy <img src=x onerror=alert(1)>')
      .table(
        ['a', 'b'],
        [
          ['x | y', '[click](https://evil)'],
          [new Raw('<b>ok</b>'), 3],
        ],
      )
      .details('log', '</pre><script>alert(1)</script>');
    const md = summary.markdown();
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img');
    expect(md).toContain('x \\| y');
    expect(md).toContain('\\[click\\]\\(https://evil\\)');
    expect(md).toContain('<b>ok</b>');
    expect(md).not.toContain('<script>');
  });

  it('helpers: code spans and links escape, non-http links become text', () => {
    expect(code('`x` <y>')).toBe('<code>`x` &lt;y&gt;</code>');
    expect(link('run', 'https://github.com/a/b')).toBe('<a href="https://github.com/a/b">run</a>');
    expect(link('run', 'javascript:alert(1)')).toBe('run');
    expect(escapeMarkdown('a\nb')).toBe('a<br>b');
  });

  it('redacts secrets and never throws when the file cannot be written', () => {
    const { summary, secrets, log } = make('/nonexistent-dir/summary.md');
    secrets.add('topsecretvalue');
    summary.text('value topsecretvalue');
    // redacted first, then escaped: renders as a literal ***
    expect(summary.markdown()).toBe('value \\*\\*\\*\n\n');
    expect(() => summary.write()).not.toThrow();
    expect(log.text()).toContain('Could not write the job summary');
  });
});
