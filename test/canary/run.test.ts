// The canary machinery end to end: a Vitest run of test/canary/fixtures (two projects extending a root
// config with the canary global setup, as vitest.config.ts does) whose tests all pass but plant
// leaks. The run must fail, naming each leaked canary and where it was found, and never the secret;
// the masked secret and the allow-listed COSIGN_PASSWORD are not reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';
import { spellings } from './scan.js';

it('a run whose tests pass fails on a leaked canary, naming label and capture, never the value', () => {
  const values = join(mkdtempSync(join(tmpdir(), 'pcd-canary-fixture-')), 'values');
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      join(repoRoot, 'test/canary/fixtures/vitest.config.ts'),
    ],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/root',
        NO_COLOR: '1',
        CANARY_FIXTURE_VALUES: values,
      },
      timeout: 60_000,
    },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  const kept = /the captures are kept in (\S+)\)/.exec(out)?.[1];
  if (kept) rmSync(dirname(kept), { recursive: true, force: true });
  const planted = readFileSync(values, 'utf8').trim().split('\n');
  rmSync(dirname(values), { recursive: true, force: true });

  expect(out).toMatch(/Tests +2 passed/);
  expect(r.status, out).toBe(1);
  expect(out).toContain('secret canaries leaked: 2 hit(s)');
  expect(out).toMatch(
    /canary "planted in a log line" \(registered in test\/canary\/fixtures\/leak\.fixture\.ts\), raw, in \S+\/captures\/steps\/ws-leak\.fixture\.ts-\w+-1\.stdout\.log/,
  );
  expect(out).toMatch(
    /canary "planted in a tool environment" .*, raw, in \S+\/captures\/exec\/sometool\.\w+\/env \(env INPUT_KEY-PASSWORD\)/,
  );
  expect(out).not.toContain('registered and masked');
  expect(out).not.toContain('COSIGN_PASSWORD');
  expect(out).not.toContain('clean project secret');
  // one scan for the whole run, though the global setup ran for the root and both projects
  expect(out.match(/secret canaries leaked/g)).toHaveLength(1);
  expect(planted).toHaveLength(4);
  for (const v of planted) for (const s of spellings(v)) expect(out).not.toContain(s.text);
});
