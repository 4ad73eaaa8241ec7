/** build-push: every input validated by the kit first; the run (run.ts) is loaded only then. */
import { defineAction } from '@polyglot-cd/action-kit';
import { getInputs, type BuildPushInputs } from './inputs.js';
import type { Deps } from './job.js';
import { initialReport, outputs, summary, type Report } from './summary.js';

export type { Deps } from './job.js';
export { formatBytes, manifestSize } from './summary.js';

/** build-push: every input validated by the kit first; the kit writes the outputs and the summary. */
export const action = defineAction<Readonly<BuildPushInputs>, Report, Deps>({
  name: 'build-push',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => (await import('./run.js')).run(ctx, inputs, report, deps),
  outputs,
  summary,
});

export const main = action.main;
