/** Puts the fake Helm 4 (test/fakes/helm4.ts) behind an executable, to be named by POLYGLOT_CD_HELM_BIN. */
import { join } from 'node:path';
import { toolWrapper } from '../helpers/canary.js';

export const fakeHelm4Script = new URL('./helm4.ts', import.meta.url).pathname;

/**
 * Writes `<dir>/helm`, a shell wrapper that runs the fake under the Node 24 running the tests
 * (process.execPath, which strips its types natively) and records each call for the secret canary
 * scan; returns its path.
 */
export function fakeHelm4Bin(dir: string): string {
  return toolWrapper(join(dir, 'helm'), 'helm', [process.execPath, fakeHelm4Script]);
}
