/**
 * The root global setup (vitest.config.ts) of the secret canaries: makes the run directory before any
 * test or other global setup needs it, and at the very end scans every capture for every registered
 * canary (scan.ts). One hit fails the run.
 *
 * Vitest runs a root `globalSetup` once for the root project and once more for each selected project
 * that `extends` the root config, in the same process. The first call makes the directory and names it
 * in POLYGLOT_CD_CANARY_RUN (the forked workers inherit it); the last teardown scans. A teardown that
 * throws is only printed by Vitest ("error during close"), so the teardown also sets the exit code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANARY_RUN_ENV, capturesDir, makeRunLayout, readCanaries } from './run.js';
import { describeHits, scanCaptures } from './scan.js';

interface RunState {
  dir: string;
  users: number;
}

const STATE = Symbol.for('polyglot-cd.canary-run');
type WithState = typeof globalThis & { [STATE]?: RunState };

export function setup(): void {
  const g = globalThis as WithState;
  if (g[STATE]) {
    g[STATE].users++;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pcd-canary-run-'));
  makeRunLayout(dir);
  process.env[CANARY_RUN_ENV] = dir;
  g[STATE] = { dir, users: 1 };
}

export function teardown(): void {
  const g = globalThis as WithState;
  const state = g[STATE];
  if (!state || --state.users > 0) return;
  delete g[STATE];
  const canaries = readCanaries(state.dir);
  const captures = capturesDir(state.dir);
  const result = scanCaptures(captures, canaries);
  const cost = `${canaries.length} canaries, ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.ms.toFixed(0)} ms`;
  if (result.hits.length === 0) {
    if (process.env['POLYGLOT_CD_CANARY_VERBOSE']) console.log(`[canary] no leak: ${cost}`);
    if (!process.env['POLYGLOT_CD_CANARY_KEEP']) rmSync(state.dir, { recursive: true, force: true });
    return;
  }
  process.exitCode = 1;
  // the captures stay for inspection: they hold the leaked values, the message never does
  throw new Error(`${describeHits(result.hits, captures)}\n(scanned ${cost}; the captures are kept in ${captures})`);
}
