/**
 * gitops-update: write the images' digests into the GitOps repository's files, byte for byte, and land
 * the change by push or by one pull request per environment. The phases (phases.ts) load only after
 * the inputs are valid.
 */
import { defineAction } from '@polyglot-cd/action-kit';
import { getInputs, type GitopsInputs } from './inputs.js';
import type { Deps } from './phases.js';
import { initialReport, outputs, summary, type GitopsReport } from './summary.js';

export type { Deps } from './phases.js';

/** gitops-update: where → which branch → land → pull request → report. */
export const action = defineAction<Readonly<GitopsInputs>, GitopsReport, Deps>({
  name: 'gitops-update',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => (await import('./phases.js')).run(ctx, inputs, report, deps),
  outputs,
  summary,
});

export const main = action.main;
