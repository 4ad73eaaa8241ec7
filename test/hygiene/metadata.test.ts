/**
 * Each action's public interface stays in sync: every input declared in <action>/action.yml is read
 * in actions/<action>/src/inputs.ts and documented in <action>/README.md; nothing is read that is not
 * declared; every declared output is set by the action and documented.
 */
import { AUDIENCE_INPUT, CA_INPUT, SERVER_INPUT } from '@polyglot-cd/kube/github-oidc';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

interface ActionYml {
  name: string;
  description: string;
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string };
}

const actions = readdirSync(repoRoot).filter((d) => existsSync(join(repoRoot, d, 'action.yml')));
const READERS = 'required|optional|matching|bool|int|duration|oneOf|list|keyValues';

/** Inputs read by a shared reader that an action's inputs.ts calls (packages/kube/src/github-oidc.ts). */
const SHARED_READERS: Record<string, readonly string[]> = {
  readGithubOidcInputs: [AUDIENCE_INPUT, SERVER_INPUT, CA_INPUT],
};

export function inputsRead(source: string): Set<string> {
  const names = new Set(
    [...source.matchAll(new RegExp(`\\binputs\\.(?:${READERS})(?:<[^>]*>)?\\(\\s*'([^']+)'`, 'g'))].map(
      (m) => m[1] as string,
    ),
  );
  for (const [reader, read] of Object.entries(SHARED_READERS))
    if (new RegExp(`\\b${reader}\\(\\s*inputs\\b`).test(source)) for (const n of read) names.add(n);
  return names;
}

/**
 * The outputs an action can set: the keys of every object literal that `outputs(report)` in
 * src/summary.ts returns (the kit writes exactly those; nested objects are one JSON output).
 */
export function outputsReturned(source: string): Set<string> {
  const file = ts.createSourceFile('summary.ts', source, ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const visit = (node: ts.Node, inOutputs: boolean): void => {
    if (ts.isFunctionDeclaration(node)) inOutputs = node.name?.text === 'outputs';
    else if (ts.isFunctionLike(node)) inOutputs = false; // a callback inside outputs() returns its own values
    if (inOutputs && ts.isReturnStatement(node) && node.expression && ts.isObjectLiteralExpression(node.expression)) {
      for (const p of node.expression.properties) {
        if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) names.add(p.name.text);
      }
    }
    ts.forEachChild(node, (child) => visit(child, inOutputs));
  };
  visit(file, false);
  return names;
}

function outputsSet(dir: string): Set<string> {
  return outputsReturned(readFileSync(join(dir, 'summary.ts'), 'utf8'));
}

/** names in the first column of README tables: | `name` | … */
function documented(readme: string): Set<string> {
  return new Set([...readme.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|/gm)].map((m) => m[1] as string));
}

describe('action metadata', () => {
  it('finds the actions', () => {
    expect(actions).toContain('teams-notify');
  });

  it('the output scan sees the keys outputs() returns, and nothing nested or from a callback', () => {
    const src = [
      'export function outputs(r: R): Record<string, OutputValue> {',
      "  if (!r.done) return { summary: 'not run' };",
      "  return { passed: r.ok, 'status-code': r.code, meta: { inner: 1 }, list: r.x.map((y) => ({ cb: y })) };",
      '}',
      'function other(): object { return { notAnOutput: 1 }; }',
    ].join('\n');
    expect([...outputsReturned(src)].sort()).toEqual(['list', 'meta', 'passed', 'status-code', 'summary']);
  });

  it('the reader scan sees what it should', () => {
    const src =
      "inputs.required('a', {}); inputs.oneOf<Mode>('b', X, 'y'); inputs.duration(\n 'c', {}); ctx.inputs.list('d'); notinputs.optional('e')";
    expect([...inputsRead(src)].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  describe.each(actions)('%s', (name) => {
    const yml = parse(readFileSync(join(repoRoot, name, 'action.yml'), 'utf8')) as ActionYml;
    const declaredIn = Object.keys(yml.inputs ?? {});
    const declaredOut = Object.keys(yml.outputs ?? {});
    const src = join(repoRoot, 'actions', name, 'src');

    it('runs on node24 from its committed bundle', () => {
      expect(yml.runs.using).toBe('node24');
      expect(yml.runs.main).toBe(`../dist/${name}/index.js`);
      expect(existsSync(join(repoRoot, 'dist', name, 'index.js'))).toBe(true);
      if (yml.runs.post) expect(existsSync(join(repoRoot, name, yml.runs.post))).toBe(true);
    });

    it('every declared input is read in inputs.ts, and nothing else is', () => {
      const read = inputsRead(readFileSync(join(src, 'inputs.ts'), 'utf8'));
      expect([...read].sort()).toEqual([...declaredIn].sort());
    });

    it('inputs are only read in inputs.ts', () => {
      for (const f of readdirSync(src).filter((f) => f.endsWith('.ts') && f !== 'inputs.ts')) {
        expect([...inputsRead(readFileSync(join(src, f), 'utf8'))], f).toEqual([]);
        expect(readFileSync(join(src, f), 'utf8'), f).not.toMatch(/getInput\(|\bINPUT_/);
      }
    });

    it('every input has a description; required ones have no default', () => {
      for (const [k, v] of Object.entries(yml.inputs ?? {})) {
        expect(v.description, k).toBeTruthy();
        if (v.required) expect(v.default, k).toBeUndefined();
      }
    });

    it('every declared output is set, and only those', () => {
      expect([...outputsSet(src)].sort()).toEqual([...declaredOut].sort());
    });

    it('the README documents every input and output, with a usage example', () => {
      const readme = readFileSync(join(repoRoot, name, 'README.md'), 'utf8');
      const doc = documented(readme);
      for (const i of [...declaredIn, ...declaredOut]) expect(doc, `${name}/README.md documents ${i}`).toContain(i);
      expect(readme).toContain(`uses: org/polyglot-cd/${name}@v1`);
    });
  });
});
