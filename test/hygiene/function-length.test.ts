/**
 * The 80-line rule: no function (declaration, expression, arrow function, method, constructor or
 * accessor) in packages/*\/src or actions/*\/src is longer than 80 lines. A longer one is split into
 * named helpers or phases. `pnpm exec node scripts/function-lengths.ts --top 20` lists the longest.
 */
import { describe, expect, it } from 'vitest';
import { formatLengths, measureFunctions, measureSource } from '../../scripts/function-lengths.js';

const MAX_LINES = 80;

function tooLong(group: string): string {
  return formatLengths(measureFunctions([group]).filter((f) => f.lines > MAX_LINES));
}

describe(`the ${MAX_LINES}-line rule for functions`, () => {
  it('measures every kind of function by its first and last line, with a readable name', () => {
    const text = [
      'export function top(a: number): number {', // 1
      '  return a;', // 2
      '}', // 3
      'export const arrow = (x: number) =>', // 4
      '  x + 1;', // 5
      'class Box {', // 6
      '  constructor(private readonly v: number) {}', // 7
      '  get value(): number {', // 8
      '    return this.v;', // 9
      '  }', // 10
      '  twice(): number { return [1].map(function (n) { return n * 2; })[0] ?? 0; }', // 11
      '}', // 12
      'function overloaded(a: string): string;', // 13: a signature without a body is not measured
      'function overloaded(a: string): string { return a; }', // 14
    ].join('\n');
    const found = measureSource('x.ts', text).map((f) => `${f.line}:${f.lines} ${f.name}`);
    expect(found.sort()).toEqual(
      [
        '1:3 top',
        '4:2 arrow',
        '7:1 Box.constructor',
        '8:3 get Box.value',
        '11:1 Box.twice',
        '11:1 [1].map(<callback>)',
        '14:1 overloaded',
      ].sort(),
    );
  });

  it(`packages/*/src: no function is longer than ${MAX_LINES} lines`, () => {
    expect(measureFunctions(['packages']).length).toBeGreaterThan(100);
    expect(tooLong('packages')).toBe('');
  });

  it(`actions/*/src: no function is longer than ${MAX_LINES} lines`, () => {
    expect(measureFunctions(['actions']).length).toBeGreaterThan(100);
    expect(tooLong('actions')).toBe('');
  });
});
