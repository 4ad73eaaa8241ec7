/**
 * The job-summary section: release, namespace, revision, chart, image digests per component, URL,
 * duration, API server; the culprit and diagnostics when the deploy failed; the diff of a dry run.
 * Every user-controlled string is escaped by Summary.
 */
import { code, link, Raw, type Summary } from '@polyglot-cd/action-kit';
import { renderDiagnostics, type Diagnostics } from '@polyglot-cd/kube';
import type { ManifestDiff } from './manifest.js';
import type { ImageRef } from './values.js';

export interface DeployReport {
  release: string;
  namespace: string;
  apiHost: string;
  chart: string;
  images: readonly ImageRef[];
  dryRun: boolean;
  status: string;
  revision?: number;
  chartName?: string;
  chartVersion?: string;
  url?: string;
  durationMs?: number;
  helm?: string;
  namespaceOutcome?: string;
  recovered?: string;
  /** canary mode: what runs as the canary, or why none does */
  canary?: string;
  /** verify-signatures: one line per image */
  signatures?: string[];
  /** the deploy order claimed (run number of the workflow), or why it was not checked */
  order?: string;
  failure?: string;
  diagnostics?: Diagnostics;
  diff?: ManifestDiff;
  rendered?: boolean;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

export function renderSummary(summary: Summary, r: DeployReport): void {
  r.rendered = true;
  const ok = r.status === 'deployed' || r.status === 'dry-run';
  summary.heading(`Helm deploy: ${r.release} → ${r.namespace}${r.dryRun ? ' (dry run)' : ''}${ok ? '' : ' — failed'}`);
  const rows: [string, string | Raw][] = [
    ['Release', r.release],
    ['Namespace', `${r.namespace}${r.namespaceOutcome ? ` (${r.namespaceOutcome})` : ''}`],
    ['Status', r.status],
  ];
  if (r.revision !== undefined) rows.push(['Revision', String(r.revision)]);
  rows.push(['Chart', r.chartName && r.chartVersion ? `${r.chartName} ${r.chartVersion} (${r.chart})` : r.chart]);
  for (const i of r.images) rows.push([`Image: ${i.component}`, new Raw(code(i.ref))]);
  if (r.canary) rows.push(['Canary', r.canary]);
  for (const line of r.signatures ?? []) rows.push(['Signature', line]);
  if (r.order) rows.push(['Order', r.order]);
  if (r.url) rows.push(['URL', new Raw(link(r.url, r.url))]);
  rows.push(['API server', r.apiHost]);
  if (r.helm) rows.push(['Helm', r.helm]);
  if (r.durationMs !== undefined) rows.push(['Duration', seconds(r.durationMs)]);
  if (r.recovered) rows.push(['Recovered', r.recovered]);
  summary.facts(rows);
  if (r.failure) summary.text(`Failure: ${r.failure}`);
  if (r.diagnostics) {
    summary.text(`Culprit: ${r.diagnostics.culprit}`);
    summary.details('Diagnostics (pods not ready, Warning events, last log lines)', renderDiagnostics(r.diagnostics));
  }
  if (r.diff) {
    summary.text(
      `Dry run: ${r.diff.added.length} new, ${r.diff.changed.length} changed, ${r.diff.removed.length} removed, ${r.diff.unchanged} unchanged object(s)`,
    );
    if (r.diff.text) summary.details('Manifest diff', r.diff.text);
  }
}
