// Tag computation (SECURITY.md T2: branch names sanitised to [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}) and labels.
import { describe, expect, it } from 'vitest';
import { TAG_RE } from '@polyglot-cd/action-kit';
import { computeTags, sanitizeBranch, semverTags } from '../../../actions/build-push/src/tags.js';
import { ociLabels } from '../../../actions/build-push/src/labels.js';

const SHA = 'A1B2C3D4E5F60718293a4b5c6d7e8f9012345678';
const push = (ref: string) => ({ sha: SHA, eventName: 'push', ref });
const none = { extraTags: [], latest: false };

describe('computeTags', () => {
  it.each([
    ['refs/heads/main', ['sha-a1b2c3d', 'main-a1b2c3d']],
    ['refs/heads/feature/Foo', ['sha-a1b2c3d', 'feature-foo-a1b2c3d']],
    ['refs/heads/.hidden', ['sha-a1b2c3d', 'hidden-a1b2c3d']],
    ['refs/heads/-rf', ['sha-a1b2c3d', 'rf-a1b2c3d']],
    ['refs/heads/a b;c$(id)', ['sha-a1b2c3d', 'a-b-c-id-a1b2c3d']],
    ['refs/heads/___', ['sha-a1b2c3d', '___-a1b2c3d']],
    ['refs/heads/...', ['sha-a1b2c3d']],
    ['refs/heads/ünïcødé', ['sha-a1b2c3d', 'n-c-d-a1b2c3d']],
    ['refs/tags/v1.2.3', ['sha-a1b2c3d', '1.2.3', '1.2', '1']],
    ['refs/tags/1.2.3', ['sha-a1b2c3d', '1.2.3', '1.2', '1']],
    ['refs/tags/v0.4.1', ['sha-a1b2c3d', '0.4.1', '0.4']],
    ['refs/tags/v2.0.0-rc.1', ['sha-a1b2c3d', '2.0.0-rc.1']],
    ['refs/tags/release-7', ['sha-a1b2c3d']],
  ])('%s → %j', (ref, want) => {
    expect(computeTags(push(ref), none).tags).toEqual(want);
  });

  it('a 200-character branch yields a tag of at most 128 characters that fits the grammar', () => {
    const t = computeTags(push(`refs/heads/${'Feature/'.repeat(25)}`), none).tags[1] as string;
    expect(t.length).toBeLessThanOrEqual(128);
    expect(t).toMatch(TAG_RE);
    expect(t.endsWith('-a1b2c3d')).toBe(true);
  });

  it('every sanitised branch matches the OCI tag grammar', () => {
    for (const b of ['x', '-', '.a', 'a..b', 'UPPER/lower', 'a/b/c', ' lead', 'tab\there', '😀x', 'é'.repeat(300)]) {
      for (const t of computeTags(push(`refs/heads/${b}`), none).tags) expect(t).toMatch(TAG_RE);
    }
  });

  it('pull requests: pr-<N> from the ref or the payload, never latest, never a branch tag', () => {
    const pr = { sha: SHA, eventName: 'pull_request', ref: 'refs/pull/42/merge' };
    const r = computeTags(pr, { extraTags: ['extra'], latest: true });
    expect(r.tags).toEqual(['sha-a1b2c3d', 'pr-42', 'extra']);
    expect(r.notes.join()).toMatch(/latest is never pushed/);
    expect(computeTags({ ...pr, ref: 'refs/heads/x', prNumber: 7 }, none).tags).toEqual(['sha-a1b2c3d', 'pr-7']);
    expect(computeTags({ ...pr, ref: 'refs/pull/0/merge' }, none).tags).toEqual(['sha-a1b2c3d']);
    expect(computeTags({ ...pr, ref: 'refs/pull/1 --all/merge' }, none).tags).toEqual(['sha-a1b2c3d']);
    expect(computeTags({ ...pr, ref: 'refs/pull/../x/merge' }, none).tags).toEqual(['sha-a1b2c3d']);
  });

  it('latest only when asked, last, de-duplicated', () => {
    expect(computeTags(push('refs/heads/main'), { extraTags: ['latest', 'main-a1b2c3d'], latest: false }).tags).toEqual(
      ['sha-a1b2c3d', 'main-a1b2c3d', 'latest'],
    );
    expect(computeTags(push('refs/heads/main'), none).tags).not.toContain('latest');
  });

  it('refuses a GITHUB_SHA that is not a commit id', () => {
    expect(() => computeTags({ ...push('refs/heads/main'), sha: '$(id)' }, none)).toThrow(/GITHUB_SHA/);
  });

  it('sanitizeBranch and semverTags', () => {
    expect(sanitizeBranch('Feature/Foo', 120)).toBe('feature-foo');
    expect(sanitizeBranch('a'.repeat(200), 10)).toBe('a'.repeat(10));
    expect(semverTags('v01.2.3')).toBeUndefined();
    expect(semverTags('v1.2')).toBeUndefined();
  });
});

describe('ociLabels', () => {
  it('adds the OCI labels and lets the user win', () => {
    const l = ociLabels(
      {
        repositoryUrl: 'https://github.com/o/r',
        sha: SHA,
        created: '2026-01-01T00:00:00.000Z',
        version: '1.2.3',
        title: 'shop',
      },
      new Map([
        ['org.opencontainers.image.title', 'Shop'],
        ['team', 'x'],
      ]),
    );
    expect(Object.fromEntries(l)).toEqual({
      'org.opencontainers.image.source': 'https://github.com/o/r',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-01-01T00:00:00.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'Shop',
      team: 'x',
    });
  });
});
