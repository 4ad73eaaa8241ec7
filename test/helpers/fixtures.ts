/**
 * The recorded real outputs (trivy, helm, Kubernetes API, Teams payloads) live in the project's
 * shared folder beside the checkout (`../shared/fixtures`), each with a SOURCES.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './action-env.js';

export const sharedFixtures = join(repoRoot, '..', 'shared', 'fixtures');

export function fixturePath(rel: string): string {
  return join(sharedFixtures, rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(readFixture(rel)) as T;
}
