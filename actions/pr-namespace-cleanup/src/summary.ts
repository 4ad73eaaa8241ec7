/**
 * pr-namespace-cleanup's report: one row per namespace looked at, filled in as the run goes, and how
 * it becomes the step's outputs and the job summary. Pure.
 */
import { code, Raw, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import type { Mode } from './inputs.js';

export type RowAction = 'deleted' | 'would delete' | 'already gone' | 'skipped' | 'refused' | 'failed';

export interface Row {
  namespace: string;
  pr: number | undefined;
  age: string;
  action: RowAction;
  reason: string;
}

export interface CleanupReport {
  /** undefined until the inputs are read */
  mode: Mode | undefined;
  pr: number | undefined;
  dryRun: boolean;
  /** the API server, once cluster access is loaded */
  host: string | undefined;
  rows: Row[];
  /** the cluster failure that stopped the run */
  fatal: string | undefined;
}

export function initialReport(): CleanupReport {
  return { mode: undefined, pr: undefined, dryRun: false, host: undefined, rows: [], fatal: undefined };
}

export function pick(rows: readonly Row[], ...actions: RowAction[]): Row[] {
  return rows.filter((r) => actions.includes(r.action));
}

const entry = (r: Row): { namespace: string; reason: string } => ({ namespace: r.namespace, reason: r.reason });

/** Four lists, written after every run (empty when nothing was looked at). */
export function outputs(r: CleanupReport): Record<string, OutputValue> {
  return {
    deleted: pick(r.rows, 'deleted').map((x) => x.namespace),
    'would-delete': pick(r.rows, 'would delete').map(entry),
    skipped: pick(r.rows, 'skipped', 'already gone').map(entry),
    failed: pick(r.rows, 'failed', 'refused').map(entry),
  };
}

const ORDER: RowAction[] = ['failed', 'refused', 'deleted', 'would delete', 'already gone', 'skipped'];
const MAX_ROWS = 300;

function rowsTable(rows: readonly Row[], s: Summary): void {
  if (rows.length === 0) return;
  const sorted = [...rows].sort(
    (a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || a.namespace.localeCompare(b.namespace),
  );
  const shown = sorted.slice(0, MAX_ROWS);
  s.table(
    ['Namespace', 'PR', 'Age', 'Action', 'Reason'],
    shown.map((r) => [new Raw(code(r.namespace)), r.pr === undefined ? '' : `#${r.pr}`, r.age, r.action, r.reason]),
  );
  if (sorted.length > shown.length) s.text(`… and ${sorted.length - shown.length} more (see the outputs).`);
}

/** Counts, the stop reason and one row per namespace (the kit adds the failure block). */
export function summary(r: CleanupReport, s: Summary, _end: Ending): void {
  if (r.mode === undefined) {
    s.heading('PR namespace cleanup').facts([['Result', 'nothing done: the inputs are not valid']]);
    return;
  }
  s.heading(`PR namespace cleanup (${r.mode}${r.dryRun ? ', dry run' : ''})`);
  s.facts([
    ['Mode', r.mode === 'pr' ? `pr (PR #${r.pr})` : 'gc'],
    ['API server', r.host ?? 'not reached'],
    ['Deleted', pick(r.rows, 'deleted').length],
    ...(r.dryRun ? ([['Would delete', pick(r.rows, 'would delete').length]] as [string, number][]) : []),
    ['Skipped', pick(r.rows, 'skipped', 'already gone').length],
    ['Failed or refused', pick(r.rows, 'failed', 'refused').length],
  ]);
  if (r.fatal) s.raw(`**Stopped:** ${code(r.fatal)}\n\n`);
  rowsTable(r.rows, s);
}
