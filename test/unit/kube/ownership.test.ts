import { describe, expect, it } from 'vitest';
import {
  checkDeletable,
  createdAt,
  expiresAt,
  isSystemNamespace,
  ownershipMetadata,
  ownershipSelector,
  parsePrNumber,
  prFromNamespace,
  prNamespace,
  protectedEntryProblem,
  type GuardPolicy,
  type NamespaceFacts,
} from '@polyglot-cd/kube';
import { fixtureJson } from '../../helpers/fixtures.js';

const REPO_ID = '123456789';

describe('parsePrNumber', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    ['999999999', 999999999],
  ])('accepts %j', (text, n) => {
    expect(parsePrNumber(text)).toBe(n);
    expect(prNamespace(n)).toBe(`pr-${n}`);
  });

  it.each([
    '0',
    '01',
    '-1',
    '+1',
    '1 --all',
    '../x',
    '12a',
    '1e3',
    '0x10',
    ' 1',
    '1 ',
    '1000000000',
    '',
    '1.0',
    '١٢',
    '1\n2',
    'pr-1',
  ])('refuses %j', (text) => {
    expect(parsePrNumber(text)).toBeUndefined();
  });

  it('builds the namespace only from a valid integer', () => {
    expect(() => prNamespace(0)).toThrow(RangeError);
    expect(() => prNamespace(1.5)).toThrow(RangeError);
    expect(() => prNamespace(1_000_000_000)).toThrow(RangeError);
    expect(() => prNamespace(Number.NaN)).toThrow(RangeError);
  });

  it.each([
    ['pr-7', 7],
    ['pr-0', undefined],
    ['pr-07', undefined],
    ['pr-7-x', undefined],
    ['preview-pr-42', undefined],
    ['PR-7', undefined],
    ['pr-1000000000', undefined],
  ])('prFromNamespace(%j) = %j', (name, pr) => {
    expect(prFromNamespace(name)).toBe(pr);
  });
});

describe('ownership metadata and selector', () => {
  it('is what helm-deploy writes', () => {
    const m = ownershipMetadata({
      repositoryId: REPO_ID,
      repository: 'example-org/shop',
      pr: 42,
      commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      expiresAt: new Date('2025-03-20T10:00:00.123Z'),
    });
    expect(m).toEqual({
      labels: {
        'app.kubernetes.io/managed-by': 'polyglot-cd',
        'polyglot-cd/repository-id': REPO_ID,
        'polyglot-cd/pr': '42',
      },
      annotations: {
        'polyglot-cd/repository': 'example-org/shop',
        'polyglot-cd/commit': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        'polyglot-cd/expires-at': '2025-03-20T10:00:00Z',
      },
    });
    // the namespace it describes passes the guard
    const ns: NamespaceFacts = { metadata: { name: prNamespace(42), uid: 'u-1', ...m } };
    expect(checkDeletable(ns, { repositoryId: REPO_ID, protectedNames: [] })).toEqual({
      ok: true,
      name: 'pr-42',
      uid: 'u-1',
      pr: 42,
    });
    expect(expiresAt(ns)?.toISOString()).toBe('2025-03-20T10:00:00.000Z');
  });

  it.each([
    [{ repositoryId: '' }, /GITHUB_REPOSITORY_ID/],
    [{ repositoryId: '12,app!=x' }, /GITHUB_REPOSITORY_ID/],
    [{ repository: 'no-slash' }, /owner\/repo/],
    [{ commit: 'main' }, /commit/],
    [{ pr: 0 }, /PR number/],
    [{ expiresAt: new Date('nope') }, /date/],
  ])('refuses bad metadata %j', (patch, re) => {
    const base = { repositoryId: REPO_ID, repository: 'o/r', pr: 1, commit: 'abcdef1', expiresAt: new Date(0) };
    expect(() => ownershipMetadata({ ...base, ...patch })).toThrow(re);
  });

  it('selector is built from validated integers only', () => {
    expect(ownershipSelector(REPO_ID)).toBe(
      'app.kubernetes.io/managed-by=polyglot-cd,polyglot-cd/repository-id=123456789',
    );
    expect(ownershipSelector(REPO_ID, 7)).toBe(
      'app.kubernetes.io/managed-by=polyglot-cd,polyglot-cd/repository-id=123456789,polyglot-cd/pr=7',
    );
    expect(() => ownershipSelector('1,app!=x')).toThrow(RangeError);
    expect(() => ownershipSelector(REPO_ID, Number('1,app!=x'))).toThrow(RangeError);
  });
});

const owned = (name: string, extra: Record<string, string> = {}, uid = `uid-${name}`): NamespaceFacts => ({
  metadata: {
    name,
    uid,
    labels: {
      'app.kubernetes.io/managed-by': 'polyglot-cd',
      'polyglot-cd/repository-id': REPO_ID,
      'polyglot-cd/pr': name.replace(/^pr-/, ''),
      ...extra,
    },
  },
});

describe('checkDeletable', () => {
  const policy: GuardPolicy = { repositoryId: REPO_ID, protectedNames: ['pr-13', 'staging'] };
  const labelled = (name: string, labels: Record<string, string>): NamespaceFacts => ({
    metadata: { name, uid: 'u', labels },
  });
  const fullLabels = (pr: string) => ({
    'app.kubernetes.io/managed-by': 'polyglot-cd',
    'polyglot-cd/repository-id': REPO_ID,
    'polyglot-cd/pr': pr,
  });

  it.each<[string, NamespaceFacts, GuardPolicy, string | true]>([
    ['owned PR namespace', owned('pr-7'), policy, true],
    [
      'terminating owned namespace (delete again, then wait)',
      { ...owned('pr-8'), status: { phase: 'Terminating' } },
      policy,
      true,
    ],
    ['no name', { metadata: {} }, policy, 'no-name'],
    ['default, even fully labelled', labelled('default', fullLabels('1')), policy, 'system'],
    ['kube-system', labelled('kube-system', fullLabels('1')), policy, 'system'],
    ['any kube-*', labelled('kube-anything', fullLabels('1')), policy, 'system'],
    ['protected name that looks like a PR namespace', owned('pr-13'), policy, 'protected'],
    ['protected name', labelled('staging', fullLabels('1')), policy, 'protected'],
    ['name pattern: preview-pr-42', labelled('preview-pr-42', fullLabels('42')), policy, 'name-pattern'],
    ['name pattern: pr-07', labelled('pr-07', fullLabels('7')), policy, 'name-pattern'],
    ['name pattern: pr-0', labelled('pr-0', fullLabels('0')), policy, 'name-pattern'],
    ['unlabelled look-alike pr-7 made by hand', { metadata: { name: 'pr-7', uid: 'u' } }, policy, 'not-managed'],
    [
      'managed by someone else',
      labelled('pr-7', { ...fullLabels('7'), 'app.kubernetes.io/managed-by': 'Helm' }),
      policy,
      'not-managed',
    ],
    [
      'another repository on a shared cluster',
      labelled('pr-7', { ...fullLabels('7'), 'polyglot-cd/repository-id': '987' }),
      policy,
      'other-repository',
    ],
    [
      'repository id missing',
      labelled('pr-7', { 'app.kubernetes.io/managed-by': 'polyglot-cd', 'polyglot-cd/pr': '7' }),
      policy,
      'other-repository',
    ],
    ['pr label disagrees with the name', labelled('pr-7', fullLabels('8')), policy, 'pr-label-mismatch'],
    [
      'pr label missing',
      labelled('pr-7', { 'app.kubernetes.io/managed-by': 'polyglot-cd', 'polyglot-cd/repository-id': REPO_ID }),
      policy,
      'pr-label-mismatch',
    ],
    ['pr mode: another PR', owned('pr-7'), { ...policy, pr: 8 }, 'wrong-pr'],
    ['pr mode: this PR', owned('pr-8'), { ...policy, pr: 8 }, true],
    ['keep=true', owned('pr-7', { 'polyglot-cd/keep': 'true' }), policy, 'keep'],
    ['keep=false is not keep', owned('pr-7', { 'polyglot-cd/keep': 'false' }), policy, true],
    ['no uid for the precondition', owned('pr-7', {}, ''), policy, 'no-uid'],
  ])('%s', (_title, ns, pol, expected) => {
    const r = checkDeletable(ns, pol);
    if (expected === true) {
      expect(r.ok).toBe(true);
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe(expected);
        expect(r.reason.length).toBeGreaterThan(5);
      }
    }
  });

  it('refuses every namespace of the recorded API list (none is ours)', () => {
    const pages = ['k8s/namespace-list.page1.json', 'k8s/namespace-list.page2-last.json'].map(
      (f) => fixtureJson<{ items: NamespaceFacts[] }>(f).items,
    );
    const results = pages.flat().map((ns) => checkDeletable(ns, policy));
    expect(results.length).toBe(5);
    expect(results.every((r) => !r.ok)).toBe(true);
    const byName = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : r.code]));
    expect(byName['default']).toBe('system');
    expect(byName['kube-system']).toBe('system');
    expect(byName['preview-pr-42']).toBe('name-pattern');
  });

  it('isSystemNamespace', () => {
    expect(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-x'].every(isSystemNamespace)).toBe(true);
    expect(['pr-1', 'defaults', 'kubex', 'my-kube-ns'].some(isSystemNamespace)).toBe(false);
  });
});

describe('timestamps', () => {
  it('reads the recorded creationTimestamp', () => {
    const ns = fixtureJson<NamespaceFacts>('k8s/namespace-terminating.json');
    expect(createdAt(ns)?.toISOString()).toBe('2025-03-10T14:03:17.000Z');
    expect(createdAt({ metadata: { creationTimestamp: new Date(5) } })?.getTime()).toBe(5);
    expect(createdAt({ metadata: {} })).toBeUndefined();
  });

  it.each([
    ['2025-03-20T10:00:00Z', '2025-03-20T10:00:00.000Z'],
    ['2025-03-20T12:00:00+02:00', '2025-03-20T10:00:00.000Z'],
    ['2025-03-20', undefined],
    ['tomorrow', undefined],
    ['2025-13-40T99:00:00Z', undefined],
  ])('expires-at %j', (raw, iso) => {
    expect(expiresAt({ metadata: { annotations: { 'polyglot-cd/expires-at': raw } } })?.toISOString()).toBe(iso);
  });
});

describe('protected list entries', () => {
  it.each([
    ['staging', undefined],
    ['prod-eu-1', undefined],
    ['prod-*', /wildcards/],
    ['*', /wildcards/],
    ['pr-?', /wildcards/],
    ['[a-z]*', /wildcards/],
    ['Prod', /exact namespace names/],
    ['a'.repeat(64), /exact namespace names/],
    ['-x', /exact namespace names/],
  ])('%j', (entry, problem) => {
    const p = protectedEntryProblem(entry);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(problem);
  });
});
