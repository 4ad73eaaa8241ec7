// The canary scan itself (scan.ts), on captures planted in a temporary directory laid out as a run's
// captures: each kind of capture with a planted canary is reported, naming the canary and the file;
// the allow-listed channel is not; clean captures pass.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED_CHILD_ENV } from './allow-list.js';
import { CANARY_PREFIX, type RegisteredCanary } from './run.js';
import { describeHits, scanCaptures, spellings } from './scan.js';

const SECRET: RegisteredCanary = {
  label: 'registry password',
  value: `${CANARY_PREFIX}registry-password-4f1c9a0b7e2d3c5a6b8e9f01`,
};
const OTHER: RegisteredCanary = {
  label: 'teams webhook sig',
  value: `${CANARY_PREFIX}teams-webhook-sig-0a1b2c3d4e5f60718293a4b5`,
};
const ISSUED: RegisteredCanary = {
  label: 'service-account token',
  value: 'eyJhbGciOiJSUzI1NiJ9.issued-by-the-cluster.sig',
};

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function captures(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-canary-scan-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const nul = (...fields: string[]): string => fields.map((f) => `${f}\0`).join('');

// a realistic, clean run: every kind of capture, the secrets only where they may be
const clean = {
  'steps/ws-bundle-a1-1.stdout.log': `::group::Push\n::add-mask::${SECRET.value}\n  ::add-mask::${encodeURIComponent(OTHER.value)}\npushed sha256:abc\n::endgroup::\n`,
  'steps/ws-bundle-a1-1.stderr.log': 'warning: nothing\n',
  'ws-bundle-a1/output': 'digest<<ghadelimiter_1\nsha256:abc\nghadelimiter_1\n',
  'ws-bundle-a1/summary': '### pushed\n',
  'ws-bundle-a1/state': '',
  'ws-bundle-a1/trivy-gate-1/report.json': '{"Results":[]}',
  'ws-bundle-a1/trivy-gate-1/report.sarif': '{"runs":[]}',
  'files/ws-bundle-a1-1-report': '{"Results":[]}',
  'exec/cosign.Ab12Cd34/argv': nul('sign', '--key', '/rt/cosign.key', '--yes', '--', 'r/a@sha256:abc'),
  'exec/cosign.Ab12Cd34/env': nul('PATH=/bin', `COSIGN_PASSWORD=${SECRET.value}`, 'DOCKER_CONFIG=/rt/docker'),
};

describe('canary scan', () => {
  it('clean captures pass: add-mask commands and the allow-listed cosign password are not leaks', () => {
    const r = scanCaptures(captures(clean), [SECRET, OTHER, ISSUED]);
    expect(r.hits).toEqual([]);
    expect(r.files).toBe(Object.keys(clean).length);
  });

  it.each([
    ['a step log line', 'steps/ws-x-1.stdout.log', `login as ci with ${SECRET.value}\n`, 'raw', undefined],
    [
      'an add-mask command not at the start of a line',
      'steps/ws-x-1.stdout.log',
      `echo ::add-mask::${SECRET.value}\n`,
      'raw',
      undefined,
    ],
    ['stderr', 'steps/ws-x-2.stderr.log', `error: auth ${SECRET.value}`, 'raw', undefined],
    ['GITHUB_OUTPUT', 'ws-x/output', `url<<d\nhttps://h/?p=${SECRET.value}\nd\n`, 'raw', undefined],
    ['the step summary', 'ws-x/summary', `| password | ${SECRET.value} |`, 'raw', undefined],
    ['GITHUB_STATE', 'ws-x/state', `auth<<d\n${SECRET.value}\nd\n`, 'raw', undefined],
    [
      'a SARIF file',
      'ws-x/trivy-gate-1/report.sarif',
      JSON.stringify({ runs: [{ invocations: [{ commandLine: `trivy --password ${SECRET.value}` }] }] }),
      'raw',
      undefined,
    ],
    [
      'a report a step left in RUNNER_TEMP',
      'ws-x/build-push-1/auth.json',
      JSON.stringify({ auths: { 'r:5000': { auth: b64(`ci:${SECRET.value}`) } } }),
      'base64',
      undefined,
    ],
    ['a file an output named', 'files/ws-x-1-report', `{"token":"${SECRET.value}"}`, 'raw', undefined],
    ["a child tool's argv", 'exec/buildah.Zz9/argv', nul('login', `--password=${SECRET.value}`, 'r'), 'raw', 'argv'],
    [
      "a child tool's environment",
      'exec/skopeo.Zz9/env',
      nul('PATH=/bin', `INPUT_PASSWORD=${SECRET.value}`),
      'raw',
      'env INPUT_PASSWORD',
    ],
    [
      'COSIGN_PASSWORD given to another tool than cosign',
      'exec/helm.Zz9/env',
      nul(`COSIGN_PASSWORD=${SECRET.value}`),
      'raw',
      'env COSIGN_PASSWORD',
    ],
  ])('finds a canary in %s', (_what, rel, content, form, where) => {
    const dir = captures({ ...clean, [rel]: content });
    const r = scanCaptures(dir, [SECRET, OTHER]);
    expect(r.hits).toEqual([{ label: SECRET.label, form, file: rel, ...(where ? { where } : {}) }]);
  });

  it('finds every spelling an action must mask, at any position in an encoded string', () => {
    const withSuffix: RegisteredCanary = {
      label: 'password with specials',
      value: `${CANARY_PREFIX}specials-00ff00ff00ff/+= &x~~~~~~`,
    };
    const cases: [string, string][] = [
      [encodeURIComponent(withSuffix.value), 'url-encoded'],
      [new URLSearchParams({ p: withSuffix.value }).toString(), 'form-encoded'],
      ...['', 'u:', 'us:', 'use:'].map((p): [string, string] => [
        `{"auth":"${b64(`${p}${withSuffix.value}`)}"}`,
        'base64',
      ]),
      // "~~~" encodes to "fn5+" in base64 and "fn5-" in base64url (a JWT's alphabet)
      ...['x', 'xy', 'xyz'].map((p): [string, string] => [
        Buffer.from(`${p}${withSuffix.value}`).toString('base64url'),
        'base64url',
      ]),
    ];
    for (const [content, form] of cases) {
      const r = scanCaptures(captures({ 'ws-y/summary': content }), [withSuffix]);
      expect(
        r.hits.map((h) => h.form),
        content,
      ).toEqual([form]);
    }
  });

  it('finds a secret registered without the canary prefix (issued by a server), in every spelling', () => {
    for (const content of [ISSUED.value, b64(`sa:${ISSUED.value}`)]) {
      const r = scanCaptures(captures({ 'ws-z/output': content }), [SECRET, ISSUED]);
      expect(r.hits.map((h) => h.label)).toEqual([ISSUED.label]);
    }
  });

  it('reports each canary and file once per place, and the message names label and file, never the value', () => {
    const dir = captures({
      ...clean,
      'ws-q/summary': `${SECRET.value} ${OTHER.value} ${SECRET.value}`,
      'exec/trivy.A1/env': nul(`A=${OTHER.value}`, `B=${OTHER.value}`),
    });
    const r = scanCaptures(dir, [{ ...SECRET, from: 'test/x.test.ts' }, OTHER]);
    expect(r.hits.map((h) => [h.label, h.file, h.where])).toEqual(
      expect.arrayContaining([
        [SECRET.label, 'ws-q/summary', undefined],
        [OTHER.label, 'ws-q/summary', undefined],
        [OTHER.label, 'exec/trivy.A1/env', 'env A'],
        [OTHER.label, 'exec/trivy.A1/env', 'env B'],
      ]),
    );
    expect(r.hits).toHaveLength(4);
    const msg = describeHits(r.hits, dir);
    expect(msg).toContain(
      `canary "${SECRET.label}" (registered in test/x.test.ts), raw, in ${join(dir, 'ws-q/summary')}`,
    );
    expect(msg).toContain('(env B)');
    for (const c of [SECRET, OTHER]) for (const s of spellings(c.value)) expect(msg).not.toContain(s.text);
  });

  it('the allow-list is by tool and variable, each entry with its reason', () => {
    for (const a of ALLOWED_CHILD_ENV) expect(a.reason.length).toBeGreaterThan(20);
    const dir = captures({
      'exec/cosign.B2/env': nul(`COSIGN_PASSWORD=${SECRET.value}`, `INPUT_KEY-PASSWORD=${SECRET.value}`),
    });
    expect(scanCaptures(dir, [SECRET]).hits.map((h) => h.where)).toEqual(['env INPUT_KEY-PASSWORD']);
    expect(scanCaptures(dir, [SECRET], []).hits.map((h) => h.where)).toEqual([
      'env COSIGN_PASSWORD',
      'env INPUT_KEY-PASSWORD',
    ]);
  });

  it('no canaries: nothing to look for, no file is read', () => {
    expect(scanCaptures(captures(clean), [])).toMatchObject({ hits: [], files: 0 });
  });
});
