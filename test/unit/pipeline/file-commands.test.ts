/** The one reader of the runner's file-command format (bin/lib/file-commands.ts): GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE. */
import { describe, expect, it } from 'vitest';
import { parseFileCommands } from '../../../bin/lib/file-commands.ts';

describe('parseFileCommands', () => {
  it('reads name=value lines and name<<DELIMITER heredocs, in any mix', () => {
    const text = ['a=1', 'b<<EOF_1', 'x', '', 'y=z', 'EOF_1', 'c=with=equals', 'd<<E', 'E', ''].join('\n');
    expect(parseFileCommands(text)).toEqual({ a: '1', b: 'x\n\ny=z', c: 'with=equals', d: '' });
  });

  it('decides the form by whichever of = and << comes first, and a later line wins', () => {
    expect(parseFileCommands('k=a<<b\nk2<<D\nv=1\nD\nk=again\n')).toEqual({ k: 'again', k2: 'v=1' });
  });

  it('reads an empty file as no values and an empty value as empty', () => {
    expect(parseFileCommands('')).toEqual({});
    expect(parseFileCommands('empty=\n')).toEqual({ empty: '' });
  });

  it('refuses what the runner refuses: no closing delimiter, no name, neither form', () => {
    expect(() => parseFileCommands('v<<EOF\nunterminated\n')).toThrow(/no line "EOF" ends its value/);
    expect(() => parseFileCommands('=x\n')).toThrow(/has no name/);
    expect(() => parseFileCommands('just text\n')).toThrow(/neither name=value nor name<<DELIMITER/);
  });
});
