import { defineAction } from '@polyglot-cd/action-kit';
import type { PrLookup } from './github.js';
import { getInputs, type CleanupInputs } from './inputs.js';
import { initialReport, outputs, summary, type CleanupReport } from './summary.js';

export type { Row, RowAction } from './summary.js';

export interface Deps {
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** PR states (default: the GitHub API through @actions/github) */
  prLookup?: (inputs: Readonly<CleanupInputs>) => Promise<PrLookup>;
  /** root for the in-cluster service-account files (tests) */
  serviceAccountPrefix?: string;
  /** keyless mode: the credential plugin the kubeconfig runs (default: this bundle, `selfPlugin`) */
  credentialPlugin?: { command: string; args: readonly string[] };
}

type Inputs = Readonly<CleanupInputs>;

/**
 * pr-namespace-cleanup: cluster access, then mode pr or gc, then the verdict over every namespace. The
 * run (phases.ts) loads only after the inputs are valid.
 */
export const action = defineAction<Inputs, CleanupReport, Deps>({
  name: 'pr-namespace-cleanup',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => (await import('./phases.js')).run(ctx, inputs, report, deps),
  outputs,
  summary,
});

export const main = action.main;
