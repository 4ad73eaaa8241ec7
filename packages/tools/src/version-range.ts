/**
 * Version checks for the tool wrappers, on the `semver` package. A tool's version is compared by its
 * release (major.minor.patch): a pre-release or build suffix (`4.0.0-rc.1`, `3.14.0+g1a2b`) is ignored,
 * as a tool's own `--version` output is what is checked, not a published package range.
 */
// the functions used, not the package's index (which loads all of semver at every action's start)
import coerce from 'semver/functions/coerce.js';
import gte from 'semver/functions/gte.js';
import satisfies from 'semver/functions/satisfies.js';
import valid from 'semver/functions/valid.js';
import Range from 'semver/classes/range.js';

/** A whole version: optional `v`, major.minor.patch, optional pre-release or build suffix. */
const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;

export interface ReleaseParts {
  major: number;
  minor: number;
  patch: number;
}

/** The numbers of a whole version (`v3.10.1`, `4.0.0-rc.1`); undefined for anything else (`v3.10`, `dev`). */
export function versionParts(version: string): ReleaseParts | undefined {
  const m = VERSION.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** `v3.10.1`, `3.10.1-rc.1+build` → `3.10.1`; undefined for anything else. */
export function releaseOf(version: string): string | undefined {
  const v = versionParts(version);
  return v && (valid(releaseFromParts(v.major, v.minor, v.patch)) ?? undefined);
}

/** `major.minor.patch` of numbers, for the tools whose parsers already split the version. */
export function releaseFromParts(major: number, minor: number, patch: number): string {
  return `${major}.${minor}.${patch}`;
}

const COMPARATOR = /^(>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

/**
 * A constraint of space-separated comparators (`>=3.10.0 <5`), each `>=`, `>`, `<=`, `<`, `=` or bare
 * (equal), as a semver range where a missing minor or patch counts as 0 (`<5` is `<5.0.0`, `3.10` is
 * `=3.10.0`). Throws `invalid version constraint "…"` for anything else.
 */
export function constraintRange(constraint: string): Range {
  const comparators = constraint
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => {
      const m = COMPARATOR.exec(c);
      if (!m) throw new Error(`invalid version constraint ${JSON.stringify(c)}`);
      return `${m[1] ?? '='}${Number(m[2])}.${Number(m[3] ?? 0)}.${Number(m[4] ?? 0)}`;
    });
  return new Range(comparators.join(' '));
}

/**
 * Whether a release (`releaseOf`) satisfies every comparator of the constraint (`constraintRange`);
 * undefined (a version that did not parse) satisfies nothing.
 */
export function releaseSatisfies(release: string | undefined, constraint: string): boolean {
  if (release === undefined) return false;
  return satisfies(release, constraintRange(constraint));
}

/** Whether the version's release is at least `min` (both read with `semver.coerce`); false when either does not read. */
export function releaseAtLeast(version: string, min: string): boolean {
  const have = coerce(version);
  const want = coerce(min);
  return have !== null && want !== null && gte(have, want);
}

/** `releaseAtLeast`, within the same major version as `min`. */
export function sameMajorAtLeast(version: string, min: string): boolean {
  const have = coerce(version);
  const want = coerce(min);
  return have !== null && want !== null && have.major === want.major && gte(have, want);
}
