// The chart's README is what app teams read first: every value must be in it, and its examples must work.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { chartDir, helm, prodValues, render, shopValues, valuesFile } from './chart.js';

const readme = readFileSync(join(chartDir, 'README.md'), 'utf8');
const documented = (path: string) => readme.includes(`\`${path}\``) || readme.includes(`\`${path} `);

type Tree = Record<string, unknown>;
const isMap = (v: unknown): v is Tree => v !== null && typeof v === 'object' && !Array.isArray(v);

// Kubernetes blocks passed through as they are: documented as a whole, not key by key.
const PASSTHROUGH = new Set([
  'defaults.resources',
  'defaults.podSecurityContext',
  'defaults.securityContext',
  'defaults.probes.startup',
  'defaults.probes.liveness',
  'defaults.probes.readiness',
  'postgresql.resources',
]);

function valuePaths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return isMap(v) && Object.keys(v).length > 0 && !PASSTHROUGH.has(path) ? valuePaths(v, path) : [path];
  });
}

describe('charts/app README', () => {
  it('documents every key of values.yaml', () => {
    const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Tree;
    const paths = valuePaths(values);
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter((p) => !documented(p))).toEqual([]);
  });

  it('documents every per-component key of the schema', () => {
    const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8'));
    const component = schema.definitions.component.properties as Record<string, { properties?: Tree }>;
    const defaultsKeys = new Set(Object.keys(schema.properties.defaults.properties));
    const missing: string[] = [];
    for (const [key, def] of Object.entries(component)) {
      if (defaultsKeys.has(key)) {
        if (!documented(`defaults.${key}`) && !readme.includes(`\`defaults.${key}.`)) missing.push(`defaults.${key}`);
        continue;
      }
      const paths =
        def.properties && key !== 'serviceMonitor' ? Object.keys(def.properties).map((k) => `${key}.${k}`) : [key];
      for (const p of paths) {
        const full = `components.<name>.${p}`;
        if (!documented(full) && !readme.includes(`\`${full}.*\``)) missing.push(full);
      }
    }
    expect(missing).toEqual([]);
  });

  it('shows examples/shop.yaml as its copy-paste quick start', () => {
    expect(readme).toContain('```yaml\n' + readFileSync(shopValues, 'utf8') + '```');
  });

  it('has YAML examples that parse and render, in both profiles', async () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      const values = parse(block.replaceAll('sha256:…', `sha256:${'c'.repeat(64)}`)) as Tree;
      expect(isMap(values)).toBe(true);
      const file = valuesFile(values);
      for (const files of [
        [shopValues, file],
        [prodValues, shopValues, file],
      ]) {
        const objs = await render({ files });
        expect(objs.length).toBeGreaterThan(5);
        const lint = await helm(['lint', '--strict', chartDir, ...files.flatMap((f) => ['--values', f])]);
        expect(lint.code, lint.stdout).toBe(0);
      }
    }
  }, 120_000); // a helm template and a helm lint per example and profile
});
