import { defineAction } from '@polyglot-cd/action-kit';
import { getInputs, type SignInputs } from './inputs.js';
import type { Deps } from './phases.js';
import { initialReport, outputs, summary, type Report } from './summary.js';

export { defaultAnnotations, mergeAnnotations, visibility } from './context.js';
export type { Deps, DigestCheck } from './phases.js';

/**
 * cosign-sign: every input validated by the kit first, then the run (run.ts, loaded only then); the kit
 * writes the outputs and the summary.
 */
export const action = defineAction<Readonly<SignInputs>, Report, Deps>({
  name: 'cosign-sign',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => (await import('./run.js')).run(ctx, inputs, report, deps),
  outputs,
  summary,
});

export const main = action.main;
