/** Puts the fake trivy behind an executable, to be named by POLYGLOT_CD_TRIVY_BIN (the operator override). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolWrapper } from '../../helpers/canary.js';

export const fakeTrivyScript = new URL('./trivy.ts', import.meta.url).pathname;

/**
 * Writes `<dir>/trivy`, a shell wrapper that runs the fake under the Node 24 running the tests
 * (process.execPath, which strips its types natively) and records each call for the secret canary
 * scan; returns its path.
 */
export function fakeTrivyBin(dir = mkdtempSync(join(tmpdir(), 'pcd-fake-trivy-'))): string {
  return toolWrapper(join(dir, 'trivy'), 'trivy', [process.execPath, fakeTrivyScript]);
}

/** The argv of every call the fake recorded. */
export function recordedArgv(logFile: string): string[][] {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
}
