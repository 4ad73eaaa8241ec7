/**
 * helm-deploy: its inputs, its report, and its run as phases in order: local checks, cluster,
 * helm and namespace, order, canary plan, upgrade (attempt, recover, on failure), report; or, with
 * mode: read, only the read of what the release runs (read.ts). The kit (defineAction) writes the
 * outputs and the summary from the report once the run is over. The deploy (deploy.ts) and the read
 * (read.ts) load only after the inputs are valid.
 */
import { defineAction, type ActionContext } from '@polyglot-cd/action-kit';
import type { ClusterDeps } from './cluster.js';
import { getInputs, type HelmDeployInputs } from './inputs.js';
import { initialReport, outputs, summary, type DeployReport } from './summary.js';

export interface Deps extends ClusterDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** the chart used when the `chart` input is empty (default: charts/app next to the bundle) */
  defaultChart?: string;
  /** how often diagnostics are snapshotted while helm waits (default: timeout/4, at most 5 s) */
  diagnosticsEveryMs?: number;
}

/** A deploy, or with mode: read only the read of what the release runs (read.ts). */
async function run(
  ctx: ActionContext,
  inp: Readonly<HelmDeployInputs>,
  report: DeployReport,
  deps: Deps,
): Promise<void> {
  return inp.mode === 'read'
    ? (await import('./read.js')).readRelease(ctx, inp, report, deps)
    : (await import('./deploy.js')).deploy(ctx, inp, report, deps);
}

export const action = defineAction<Readonly<HelmDeployInputs>, DeployReport, Deps>({
  name: 'helm-deploy',
  inputs: getInputs,
  initial: initialReport,
  run,
  outputs,
  summary,
});

export const main = action.main;
