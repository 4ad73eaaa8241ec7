/** The local runner's GitHub Actions expressions (bin/lib/expressions.ts over @actions/expressions), table-driven. */
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateIf, interpolate, toText } from '../../../bin/lib/expressions.ts';
import type { EvalContext } from '../../../bin/lib/expressions.ts';

const ctx: EvalContext = {
  contexts: {
    inputs: {
      'pr-number': '42',
      components: '[{"name":"backend","context":"backend"},{"name":"frontend"}]',
      empty: '',
      flag: true,
    },
    github: {
      event_name: 'pull_request',
      repository: 'Acme/Shop',
      token: '',
      event: { pull_request: { head: { repo: { full_name: 'acme/shop' } } } },
    },
    needs: { build: { result: 'success', outputs: { image: 'r/app@sha256:ab' } } },
    steps: { gate: { outcome: 'failure', outputs: { summary: '1 CRITICAL' } } },
    secrets: { 'registry-password': '' },
  },
  status: { success: () => true, failure: () => false, cancelled: () => false },
};

describe('evaluate', () => {
  it.each<[string, unknown]>([
    ['inputs.pr-number', '42'],
    ["inputs['pr-number']", '42'],
    ['inputs.PR-NUMBER', '42'], // property names are case-insensitive
    ['inputs.missing', null],
    ['inputs.missing.deeper', null],
    ['needs.build.outputs.image', 'r/app@sha256:ab'],
    ["needs['build'].outputs['image']", 'r/app@sha256:ab'],
    ["steps.gate.outcome == 'FAILURE'", true], // strings compare case-insensitively
    ["inputs.empty || 'default'", 'default'],
    ["inputs.pr-number || 'default'", '42'],
    ["inputs.empty && 'x'", ''],
    ["(secrets.registry-password || github.token) && 'user' || ''", ''],
    ["inputs.empty != ''", false],
    ['!inputs.empty', true],
    ['inputs.flag', true],
    ["1 == '1'", true],
    ["'' == 0", true],
    ['null == false', true], // mixed types compare as numbers: 0 == 0
    ['3 > 2 && 2 >= 2 && 1 < 2 && 2 <= 1', false],
    ['fromJSON(inputs.components)[0].context', 'backend'],
    ['fromJSON(inputs.components).*.name', ['backend', 'frontend']],
    ["contains(fromJSON(inputs.components).*.name, 'FRONTEND')", true],
    ["contains('Hello', 'ell')", true],
    ["startsWith(github.repository, 'acme/')", true],
    ["endsWith('abc', 'BC')", true],
    ["format('{0}-pr-{1}{{x}}', github.repository, inputs.pr-number)", 'Acme/Shop-pr-42{x}'],
    ["join(fromJSON('[1,2]'), '+')", '1+2'],
    ['toJSON(fromJSON(\'{"a":1}\'))', '{\n  "a": 1\n}'],
    ["'it''s'", "it's"],
    ['0x10 == 16', true],
    ['always()', true],
    ['failure()', false],
    ["github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository", true],
  ])('%s', (src, want) => {
    const got = evaluate(src, ctx);
    expect(Array.isArray(got) ? [...got] : got).toEqual(want);
  });

  // the messages are those of GitHub's parser and evaluator (@actions/expressions), with the expression
  it.each([
    ['inputs.', /Unexpected symbol: 'EOF' in "inputs\."/],
    ["fromJSON('{nope')", /Error parsing JSON when evaluating fromJson/],
    ['nosuch(1)', /Unrecognized function: 'nosuch'/],
    ['nosuch.context', /Unrecognized named-value: 'nosuch'/],
    ["hashFiles('**/x')", /hashFiles\(\) is not supported/],
    ['1 +', /Unexpected symbol: '\+'/],
    ['(1', /Unexpected end of expression/],
  ])('%s is an error, not a guess', (src, re) => {
    expect(() => evaluate(src, ctx)).toThrow(re);
  });
});

describe('interpolate and if:', () => {
  it('a lone expression keeps its type; mixed text becomes a string', () => {
    expect(interpolate('${{ fromJSON(inputs.components) }}', ctx)).toHaveLength(2);
    expect(interpolate('pr-${{ inputs.pr-number }}.${{ inputs.flag }}', ctx)).toBe('pr-42.true');
    expect(interpolate('no expressions', ctx)).toBe('no expressions');
  });

  it('values become text as the runner writes them', () => {
    expect([toText(null), toText(false), toText(3), toText({ a: 1 })]).toEqual(['', 'false', '3', '{\n  "a": 1\n}']);
  });

  it('if: adds the implicit success() unless a status function is used', () => {
    const failed = { ...ctx, status: { success: () => false, failure: () => true, cancelled: () => false } };
    expect(evaluateIf(undefined, ctx)).toBe(true);
    expect(evaluateIf(undefined, failed)).toBe(false);
    expect(evaluateIf("inputs.pr-number == '42'", failed)).toBe(false);
    expect(evaluateIf("always() && inputs.pr-number == '42'", failed)).toBe(true);
    expect(evaluateIf('${{ failure() }}', failed)).toBe(true);
    expect(evaluateIf("${{ inputs.empty != '' }}", ctx)).toBe(false);
  });
});
