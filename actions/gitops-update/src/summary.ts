/**
 * gitops-update's report, filled in as the run goes, and how it becomes the step's outputs and the job
 * summary (with the diff). Pure.
 */
import { code, Raw, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import type { Mode } from './inputs.js';
import type { TargetOutcome } from './types.js';

export interface GitopsReport {
  /** inputs: the inputs did not validate; landing: the change is being built; done: it landed (or not) */
  stage: 'inputs' | 'landing' | 'done';
  mode?: Mode;
  dryRun: boolean;
  /** where: owner/name (GitHub's API) or the git URL's host and path */
  destination: string;
  /** the branch written (base branch, or the environment branch) */
  branch: string;
  changed: boolean;
  commit: string;
  attempts: number;
  outcomes: TargetOutcome[];
  diff: string;
  pullRequest?: { number: number; url: string; created: boolean; autoMerge: string };
  warnings: string[];
}

export function initialReport(): GitopsReport {
  return {
    stage: 'inputs',
    dryRun: false,
    destination: '',
    branch: '',
    changed: false,
    commit: '',
    attempts: 0,
    outcomes: [],
    diff: '',
    warnings: [],
  };
}

/** Nothing after an input error; then what landed (a dry run: what would have). */
export function outputs(r: GitopsReport): Record<string, OutputValue> {
  if (r.stage === 'inputs') return {};
  return {
    changed: r.changed,
    commit: r.commit || undefined,
    'pull-request-number': r.pullRequest?.number,
    'pull-request-url': r.pullRequest?.url,
    diff: r.diff,
  };
}

const OUTCOME_LABEL: Record<TargetOutcome['outcome'], string> = {
  updated: 'updated',
  unchanged: 'already this image',
  'skipped-newer': 'kept: holds a newer run',
};

function outcomeRows(r: GitopsReport): (string | Raw)[][] {
  return r.outcomes.map((o) => [
    o.target.component,
    new Raw(code(o.target.file)),
    `${o.target.kind} ${o.target.where}`,
    o.outcome === 'skipped-newer' && o.held
      ? `${OUTCOME_LABEL[o.outcome]} (run ${o.held.run}, ${o.held.commit.slice(0, 7)})`
      : OUTCOME_LABEL[o.outcome],
    o.previous ?? '',
  ]);
}

function result(r: GitopsReport): string {
  if (r.stage !== 'done') return r.stage === 'inputs' ? 'nothing written: the inputs are not valid' : 'not landed';
  if (r.dryRun) return r.changed ? 'dry run: would commit the diff below' : 'dry run: nothing to change';
  if (!r.changed) return 'nothing to change: no commit';
  return `committed ${r.commit.slice(0, 12)}${r.attempts > 1 ? ` (built ${r.attempts} times: others landed first)` : ''}`;
}

export function summary(r: GitopsReport, s: Summary, _end: Ending): void {
  s.heading('GitOps update');
  const facts: [string, string | Raw][] = [['Result', result(r)]];
  if (r.destination) facts.push(['Repository', r.destination], ['Branch', new Raw(code(r.branch))]);
  if (r.mode) facts.push(['Mode', r.mode]);
  if (r.pullRequest) {
    const pr = r.pullRequest;
    facts.push(['Pull request', `#${pr.number} ${pr.created ? 'opened' : 'updated'}: ${pr.url}`]);
    if (pr.autoMerge !== 'off') facts.push(['Auto-merge', pr.autoMerge]);
  }
  s.facts(facts);
  if (r.outcomes.length > 0) s.table(['Component', 'File', 'Target', 'Outcome', 'Before'], outcomeRows(r));
  for (const w of r.warnings) s.text(`Warning: ${w}`);
  if (r.diff) s.details('Diff', r.diff, { open: r.dryRun });
}
