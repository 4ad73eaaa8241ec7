import { defineAction } from '@polyglot-cd/action-kit';
import { getInputs, type GateInputs } from './inputs.js';
import { initialReport, outputs, summary, type GateReport } from './summary.js';

export interface Deps {
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * trivy-gate: every input validated, then the gate (loaded only then, so a bad input costs no more than
 * the inputs) installs trivy, scans once and decides; the kit writes the outputs and the summary.
 */
export const action = defineAction<Readonly<GateInputs>, GateReport, Deps>({
  name: 'trivy-gate',
  inputs: getInputs,
  initial: initialReport,
  run: async (ctx, inputs, report, deps) => {
    const { runGate } = await import('./gate.js');
    await runGate(ctx, inputs, report, deps);
  },
  outputs,
  summary,
});

export const main = action.main;
