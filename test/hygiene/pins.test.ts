/**
 * Every third-party `uses:` in .github/workflows/*.yml is pinned to a full commit SHA with the release
 * it stands for as a `# vX.Y.Z` comment beside it (what Dependabot keeps up to date), and one SHA
 * always carries the same version. Also: .github/dependabot.yml covers every ecosystem the repository
 * has (the pnpm workspace, the workflows' actions, each Go module) with a cooldown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

const dir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Use {
  line: number;
  ref: string;
  comment: string;
}

/** The `uses:` of a workflow's steps and jobs (comment lines left out), with the comment after each. */
function usesOf(text: string): Use[] {
  const out: Use[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const m = /^\s*(?:-\s+)?uses:\s*(['"]?)([^\s'"#]+)\1\s*(?:#\s*(.*))?$/.exec(line);
    if (m) out.push({ line: i + 1, ref: m[2] as string, comment: (m[3] ?? '').trim() });
  }
  return out;
}

/** What is wrong with one workflow's pins, one line each (empty: nothing). */
function pinProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const u of usesOf(text)) {
    if (u.ref.startsWith('./')) continue; // this repository, at the workflow's own commit
    if (u.ref.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(u.ref)) problems.push(`${file}:${u.line}: ${u.ref} is not pinned by digest`);
      continue;
    }
    const m = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(\/[^@]+)?@(.+)$/.exec(u.ref);
    if (!m) {
      problems.push(`${file}:${u.line}: ${u.ref} names no owner/repository@ref`);
      continue;
    }
    if (!/^[0-9a-f]{40}$/.test(m[3] as string))
      problems.push(`${file}:${u.line}: ${u.ref} is not pinned to a full commit SHA`);
    else if (!/^v\d+(\.\d+){0,2}$/.test(u.comment.split(/\s+/)[0] ?? ''))
      problems.push(`${file}:${u.line}: ${u.ref} has no version comment (# vX.Y.Z), got ${JSON.stringify(u.comment)}`);
  }
  return problems;
}

describe('third-party actions are SHA-pinned with a version comment', () => {
  it('the check catches a tag, a short SHA, a missing or wrong comment and an unpinned image', () => {
    const bad = [
      'jobs:',
      '  x:',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/checkout@11bd719',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # main',
      '      - uses: docker://alpine:3.20',
      "      - uses: 'github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7' # v4.31.9",
      '      - uses: ./.polyglot-cd/helm-deploy # this repository',
      '#     - uses: acme/not-a-step@v1',
    ].join('\n');
    expect(pinProblems('bad.yml', bad)).toEqual([
      'bad.yml:4: actions/checkout@v4 is not pinned to a full commit SHA',
      'bad.yml:5: actions/checkout@11bd719 is not pinned to a full commit SHA',
      'bad.yml:6: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 has no version comment (# vX.Y.Z), got ""',
      'bad.yml:7: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 has no version comment (# vX.Y.Z), got "main"',
      'bad.yml:8: docker://alpine:3.20 is not pinned by digest',
    ]);
  });

  it('release.yml is among the workflows checked', () => {
    expect(workflows).toContain('release.yml');
  });

  it.each(workflows)('%s', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(pinProblems(file, text)).toEqual([]);
    // every `uses:` the YAML has was seen by the line scan (none hides in a flow mapping)
    const steps = Object.values(
      (parse(text) as { jobs?: Record<string, { uses?: string; steps?: { uses?: string }[] }> }).jobs ?? {},
    )
      .flatMap((j) => [j.uses, ...(j.steps ?? []).map((s) => s.uses)])
      .filter((u): u is string => typeof u === 'string');
    expect(usesOf(text).map((u) => u.ref)).toEqual(steps);
  });

  it('one SHA stands for one version in every workflow', () => {
    const seen = new Map<string, Set<string>>();
    for (const file of workflows) {
      for (const u of usesOf(readFileSync(join(dir, file), 'utf8'))) {
        if (!/@[0-9a-f]{40}$/.test(u.ref)) continue;
        const versions = seen.get(u.ref) ?? new Set<string>();
        versions.add(u.comment.split(/\s+/)[0] ?? '');
        seen.set(u.ref, versions);
      }
    }
    const conflicting = [...seen].filter(([, v]) => v.size > 1).map(([ref, v]) => `${ref}: ${[...v].join(', ')}`);
    expect(conflicting).toEqual([]);
  });
});

describe('.github/dependabot.yml', () => {
  interface Update {
    'package-ecosystem': string;
    directory?: string;
    directories?: string[];
    cooldown?: { 'default-days'?: number };
    groups?: Record<string, unknown>;
  }
  const config = parse(readFileSync(join(repoRoot, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: Update[];
  };
  const byEcosystem = (e: string): Update[] => config.updates.filter((u) => u['package-ecosystem'] === e);
  const dirs = (u: Update): string[] => u.directories ?? (u.directory ? [u.directory] : []);

  it("updates npm (grouped) and the workflows' actions from the root, every one with a cooldown", () => {
    expect(config.version).toBe(2);
    for (const e of ['npm', 'github-actions']) {
      expect(byEcosystem(e).flatMap(dirs), e).toEqual(['/']);
    }
    expect(Object.keys(byEcosystem('npm')[0]?.groups ?? {}).length).toBeGreaterThan(0);
    for (const u of config.updates) expect(u.cooldown?.['default-days'], u['package-ecosystem']).toBeGreaterThan(0);
  });

  it('updates every Go module of the repository', () => {
    const modules = listGoModules();
    expect(modules.length).toBeGreaterThan(0);
    expect(byEcosystem('gomod').flatMap(dirs).sort()).toEqual(modules);
  });
});

function listGoModules(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(join(repoRoot, d), { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist'].includes(e.name))
        walk(join(d, e.name));
      else if (e.name === 'go.mod') out.push(`/${d}`);
    }
  };
  walk('.');
  return out.map((p) => p.replace(/^\/\.\//, '/')).sort();
}
