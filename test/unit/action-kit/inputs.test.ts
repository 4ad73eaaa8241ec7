import { describe, expect, it } from 'vitest';
import { createRunnerProtocol, Inputs, InputError, parseDuration, parseList, Secrets } from '@polyglot-cd/action-kit';
import { canary } from '../../helpers/canary.js';

function reader(values: Record<string, string>) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) env[`INPUT_${k.toUpperCase()}`] = v;
  const masked: string[] = [];
  const runner = createRunnerProtocol({ env, out: (l) => masked.push(l) });
  const secrets = new Secrets((v) => masked.push(v));
  return { inputs: new Inputs(runner, secrets), secrets, masked };
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('input readers', () => {
  it('required: names the input when missing, and trims', () => {
    const { inputs } = reader({ name: '  x  ' });
    expect(inputs.required('name')).toBe('x');
    const e = errorOf(() => inputs.required('other', { hint: 'Set it.' }));
    expect(e.message).toBe('Input "other" is required and was not supplied. Set it.');
    expect(e.input).toBe('other');
  });

  it('optional: default when empty', () => {
    const { inputs } = reader({ a: 'v' });
    expect(inputs.optional('a', 'd')).toBe('v');
    expect(inputs.optional('b', 'd')).toBe('d');
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['FALSE', false],
  ])('bool accepts %s', (raw, want) => {
    expect(reader({ b: raw }).inputs.bool('b', !want)).toBe(want);
  });

  it('bool: rejects other words, quoting the value and the allowed ones', () => {
    const e = errorOf(() => reader({ b: 'yes' }).inputs.bool('b', false));
    expect(e.message).toBe('Input "b" has an invalid value "yes": expected true or false');
  });

  it.each([
    ['7', 7],
    ['-1', undefined],
    ['11', undefined],
    ['3.5', undefined],
    ['abc', undefined],
    ['99999999999999999999', undefined],
  ])('int %s with bounds 0..10', (raw, want) => {
    const { inputs } = reader({ n: raw });
    if (want === undefined) {
      const e = errorOf(() => inputs.int('n', { default: 1, min: 0, max: 10 }));
      expect(e.message).toContain(`"${raw}"`);
      expect(e.message).toContain('an integer >= 0 and <= 10');
    } else {
      expect(inputs.int('n', { default: 1, min: 0, max: 10 })).toBe(want);
    }
  });

  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1h', 3_600_000],
  ])('parseDuration(%s)', (raw, ms) => {
    expect(parseDuration(raw)).toBe(ms);
  });

  it.each(['', '5 minutes', 'm5', '1.5m', '5d', '10s5'])('parseDuration rejects %j', (raw) => {
    expect(parseDuration(raw)).toBeUndefined();
  });

  it('duration: default, bounds and the allowed form in the error', () => {
    expect(reader({}).inputs.duration('t', { default: '30s' })).toBe(30_000);
    const e = errorOf(() => reader({ t: '2h' }).inputs.duration('t', { default: '30s', min: '1s', max: '15m' }));
    expect(e.message).toBe(
      'Input "t" has an invalid value "2h": expected a duration such as 30s, 5m, 1h30m or 500ms from 1s up to 15m',
    );
    expect(errorOf(() => reader({ t: 'soon' }).inputs.duration('t', { default: '30s' })).message).toContain('"soon"');
  });

  it('oneOf: lists the allowed values', () => {
    expect(reader({ m: 'b' }).inputs.oneOf('m', ['a', 'b'], 'a')).toBe('b');
    expect(reader({}).inputs.oneOf('m', ['a', 'b'], 'a')).toBe('a');
    expect(errorOf(() => reader({ m: 'c' }).inputs.oneOf('m', ['a', 'b'], 'a')).message).toBe(
      'Input "m" has an invalid value "c": expected one of a, b',
    );
  });

  it('list: newlines and commas, comments and blanks dropped', () => {
    expect(parseList('a, b\n# comment\n\n c # trailing\nd,,e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(reader({ l: 'x\ny' }).inputs.list('l')).toEqual(['x', 'y']);
  });

  it('keyValues: parses, trims, rejects malformed and duplicate keys', () => {
    const { inputs } = reader({ kv: 'a=1\n# c\n b = two=2 \n\n' });
    expect([...inputs.keyValues('kv')]).toEqual([
      ['a', '1'],
      ['b', 'two=2'],
    ]);
    expect(errorOf(() => reader({ kv: 'novalue' }).inputs.keyValues('kv')).message).toContain(
      'expected key=value lines',
    );
    expect(errorOf(() => reader({ kv: '=x' }).inputs.keyValues('kv')).message).toContain('"=x"');
    expect(errorOf(() => reader({ kv: 'a=1\na=2' }).inputs.keyValues('kv')).message).toContain('only once');
    expect(
      errorOf(() =>
        reader({ kv: 'Bad Key=1' }).inputs.keyValues('kv', {
          keyPattern: /^[a-z]+$/,
          keyAllowed: 'lower-case letters',
        }),
      ).message,
    ).toContain('keys must be lower-case letters');
  });

  it('secret inputs are masked at read and never quoted in errors', () => {
    const secret = canary('secret input');
    const { inputs, masked } = reader({ token: secret });
    const e = errorOf(() => {
      const v = inputs.required('token', { secret: true });
      inputs.fail('token', v, 'expected something else', { secret: true });
    });
    expect(masked).toContain(secret);
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toContain('(secret value not shown)');
  });

  it('matching: validates only when given', () => {
    const { inputs } = reader({ p: 'abc' });
    expect(inputs.matching('p', /^[a-c]+$/, 'letters a to c')).toBe('abc');
    expect(inputs.matching('q', /^[a-c]+$/, 'letters a to c', { default: 'b' })).toBe('b');
    expect(errorOf(() => reader({ p: 'xyz' }).inputs.matching('p', /^[a-c]+$/, 'letters a to c')).message).toBe(
      'Input "p" has an invalid value "xyz": letters a to c',
    );
  });
});
