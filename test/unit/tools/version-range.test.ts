// version-range.ts: the semver-backed checks every tool wrapper uses for its own version.
import { describe, expect, it } from 'vitest';
import {
  constraintRange,
  releaseAtLeast,
  releaseOf,
  releaseSatisfies,
  sameMajorAtLeast,
  versionParts,
} from '@polyglot-cd/tools/version-range';
import { Buildah, Docker, Skopeo } from '@polyglot-cd/tools';

describe('versionParts / releaseOf', () => {
  it.each([
    ['v3.10.1', '3.10.1'],
    ['4.0.0-rc.1', '4.0.0'],
    ['3.14.0+g1a2b3c', '3.14.0'],
    [' 0.69.5\n', '0.69.5'],
    ['3.010.1', '3.10.1'],
  ])('%j → %s', (text, release) => {
    expect(releaseOf(text)).toBe(release);
    expect(versionParts(text)).toBeDefined();
  });

  it.each(['', 'v3.10', 'dev', '1.2.3.4', 'version 1.2.3'])('%j is no version', (text) => {
    expect(versionParts(text)).toBeUndefined();
    expect(releaseOf(text)).toBeUndefined();
  });
});

describe('constraintRange / releaseSatisfies', () => {
  it('fills a missing minor or patch with 0 and reads a bare version as equality', () => {
    expect(constraintRange('>=3.10 <5').range).toBe('>=3.10.0 <5.0.0');
    expect(constraintRange('3').range).toBe('3.0.0');
    expect(constraintRange('=v0.69.6').range).toBe('0.69.6');
  });

  it.each([
    ['3.10.1', '>=3.10.0 <5', true],
    ['4.9.9', '<5', true],
    ['5.0.0', '<5', false],
    ['3.1.0', '3', false],
    ['3.0.0', '3', true],
    ['0.69.5', '>=0.69.4 <=0.69.6', true],
    ['3.10.1', '', true],
  ])('%s satisfies %j: %s', (release, constraint, want) => {
    expect(releaseSatisfies(release, constraint)).toBe(want);
  });

  it('a version that did not parse satisfies nothing, and no constraint is read for it', () => {
    expect(releaseSatisfies(undefined, '>=0')).toBe(false);
    expect(releaseSatisfies(undefined, '~1.2')).toBe(false);
  });

  it.each(['~1.2', '^3', '>=3.x', '1.2.3 || 2.0.0', '>= 3'])('refuses the constraint %j', (c) => {
    expect(() => releaseSatisfies('1.2.3', c)).toThrow(/^invalid version constraint "/);
  });
});

describe('releaseAtLeast / sameMajorAtLeast', () => {
  it.each([
    ['0.6.0', '0.6.0', true],
    ['0.24.0', '0.6.0', true],
    ['0.5.9', '0.6.0', false],
    ['1.0.0', '0.6.0', true],
    ['nonsense', '0.6.0', false],
  ])('releaseAtLeast(%s, %s) = %s', (v, min, want) => expect(releaseAtLeast(v, min)).toBe(want));

  it.each([
    ['3.2.0-rc.1', '3.1.0', true],
    ['4.0.0', '3.0.0', false],
    ['3.0.5', '3.0.6', false],
    ['garbage', '3.0.0', false],
  ])('sameMajorAtLeast(%s, %s) = %s', (v, min, want) => expect(sameMajorAtLeast(v, min)).toBe(want));

  it('the tool wrappers keep their minimums', () => {
    expect(Docker.versionSatisfies('0.6.0')).toBe(true);
    expect(Docker.versionSatisfies('0.5.1')).toBe(false);
    expect(Docker.versionSatisfies('1.0.0')).toBe(true);
    expect(Buildah.versionSatisfies({ version: '1.24.0', major: 1, minor: 24, patch: 0 })).toBe(true);
    expect(Buildah.versionSatisfies({ version: '2.0.0', major: 2, minor: 0, patch: 0 })).toBe(true);
    expect(
      Buildah.versionSatisfies({ version: '1.33.7', major: 1, minor: 33, patch: 7 }, { major: 1, minor: 34 }),
    ).toBe(false);
    expect(Skopeo.versionSatisfies({ version: '1.6.0', major: 1, minor: 6, patch: 0 })).toBe(true);
    expect(Skopeo.versionSatisfies({ version: '1.5.9', major: 1, minor: 5, patch: 9 })).toBe(false);
  });
});
