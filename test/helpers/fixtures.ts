/**
 * The recorded real outputs (trivy, helm, Kubernetes API, Teams payloads) live in `test/fixtures/`,
 * each folder with a SOURCES.md naming where they come from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './action-env.js';

export const recordedFixtures = join(repoRoot, 'test', 'fixtures');

export function fixturePath(rel: string): string {
  return join(recordedFixtures, rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(readFixture(rel)) as T;
}
