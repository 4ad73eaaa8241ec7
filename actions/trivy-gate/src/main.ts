import type { ActionContext } from '@polyglot-cd/action-kit';
import { getInputs } from './inputs.js';

export interface Deps {
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Validates every input, then loads and runs the gate (install, one scan, decision, outputs, summary). */
export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const inputs = getInputs(ctx);
  const { runGate } = await import('./gate.js');
  await runGate(ctx, inputs, deps);
}
