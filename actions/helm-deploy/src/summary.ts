/**
 * The report of one deploy, filled in by its phases, and what the kit makes of it once the run is over:
 * the step's outputs and the job-summary section (release, namespace, revision, chart, image digests
 * per component, URL, duration, API server; the culprit and diagnostics when the deploy failed; the
 * diff of a dry run); with mode: read, what the release runs (its images by digest, migrations.hash).
 * Every user-controlled string is escaped by Summary.
 */
import { code, link, Raw, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import { renderDiagnostics, type Diagnostics } from '@polyglot-cd/kube/diagnostics';
import { formatImages } from './canary.js';
import type { ManifestDiff } from './manifest.js';
import type { ImageRef } from './values.js';
import { HELM_TEST, resultTable, type CheckResult } from './verification.js';

export interface DeployReport {
  /** read: the release was only read (mode: read) */
  mode: 'deploy' | 'read';
  /** '' until the inputs are read */
  release: string;
  namespace: string;
  /** '' until the cluster access is known */
  apiHost: string;
  chart: string;
  images: readonly ImageRef[];
  dryRun: boolean;
  /** the release's status once helm told it ('dry-run' for a dry run); unset before */
  status?: string;
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
  /** a failed upgrade: why its pods did not become ready */
  diagnostics?: Diagnostics;
  diff?: ManifestDiff;
  /** a deploy that succeeded (not a dry run): whether a canary runs, and the stable track's images */
  deployed?: { canary: boolean; stableImages: readonly ImageRef[] };
  /** the HTTP checks after the upgrade (input checks), then the helm test pods (helm-test), once they ran */
  verification?: CheckResult[];
  /** helm-test: the test pods' logs (helm test --logs), redacted, once helm test ran */
  helmTestLogs?: string[];
  /** mode: read, once the release was read: its images (sorted by component) and migrations.hash ('' unset) */
  read?: { images: readonly ImageRef[]; migrationsHash: string };
}

/** The report before the inputs are read. */
export function initialReport(): DeployReport {
  return { mode: 'deploy', release: '', namespace: '', apiHost: '', chart: '', images: [], dryRun: false };
}

export function outputs(r: DeployReport): Record<string, OutputValue> {
  const d = r.diagnostics;
  // release and namespace once the cluster is known: an input error leaves every output unset
  const reached = r.apiHost !== '';
  return {
    release: reached ? r.release : undefined,
    namespace: reached ? r.namespace : undefined,
    revision: r.revision,
    status: r.status,
    url: r.url,
    'chart-version': r.chartVersion,
    diagnostics: d && { culprit: d.culprit, namespace: d.namespace, pods: d.pods, events: d.events, errors: d.errors },
    canary: r.deployed && (r.deployed.canary ? 'deployed' : 'none'),
    'stable-images': r.deployed && formatImages(r.deployed.stableImages),
    verification: r.verification,
    images: r.read && formatImages(r.read.images),
    'migrations-hash': r.read?.migrationsHash,
  };
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

function facts(r: DeployReport): [string, string | Raw][] {
  const rows: [string, string | Raw][] = [
    ['Release', r.release],
    ['Namespace', `${r.namespace}${r.namespaceOutcome ? ` (${r.namespaceOutcome})` : ''}`],
    ['Status', r.status ?? 'not started'],
  ];
  if (r.revision !== undefined) rows.push(['Revision', String(r.revision)]);
  rows.push(['Chart', r.chartName && r.chartVersion ? `${r.chartName} ${r.chartVersion} (${r.chart})` : r.chart]);
  for (const i of r.images) rows.push([`Image: ${i.component}`, new Raw(code(i.ref))]);
  if (r.canary) rows.push(['Canary', r.canary]);
  for (const line of r.signatures ?? []) rows.push(['Signature', line]);
  if (r.order) rows.push(['Order', r.order]);
  if (r.url) rows.push(['URL', new Raw(link(r.url, r.url))]);
  if (r.apiHost) rows.push(['API server', r.apiHost]);
  if (r.helm) rows.push(['Helm', r.helm]);
  if (r.durationMs !== undefined) rows.push(['Duration', seconds(r.durationMs)]);
  if (r.recovered) rows.push(['Recovered', r.recovered]);
  return rows;
}

/** mode: read: what was read, and that nothing was changed. */
function readSummary(r: DeployReport, s: Summary, failed: string): void {
  s.heading(`Helm read: ${r.release} in ${r.namespace}${failed}`);
  const rows: [string, string | Raw][] = [
    ['Release', r.release],
    ['Namespace', r.namespace],
    ['Status', r.status ?? 'not read'],
  ];
  if (r.revision !== undefined) rows.push(['Revision', String(r.revision)]);
  if (r.chartName) rows.push(['Chart', `${r.chartName} ${r.chartVersion ?? ''}`.trim()]);
  for (const i of r.read?.images ?? []) rows.push([`Image: ${i.component}`, new Raw(code(i.ref))]);
  if (r.read) rows.push(['Migrations hash', r.read.migrationsHash === '' ? '(unset)' : r.read.migrationsHash]);
  if (r.apiHost) rows.push(['API server', r.apiHost]);
  if (r.helm) rows.push(['Helm', r.helm]);
  s.facts(rows);
  if (r.read)
    s.text(
      r.revision === undefined
        ? 'The release does not exist (allow-missing): nothing was read. Nothing in the cluster was changed.'
        : `Read with helm history and helm get values --all of revision ${r.revision}: ${r.read.images.length} image(s) by digest. Nothing in the cluster was changed.`,
    );
}

/** The HTTP checks and the helm test pods: counts, the table, and the test pods' logs. */
function verificationSummary(v: readonly CheckResult[], logs: readonly string[] | undefined, s: Summary): void {
  const tests = v.filter((c) => c.component === HELM_TEST);
  const checks = v.filter((c) => c.component !== HELM_TEST);
  if (checks.length > 0) s.text(`HTTP checks: ${checks.filter((c) => c.passed).length} of ${checks.length} passed`);
  if (tests.length > 0)
    s.text(`helm test: ${tests.filter((c) => c.passed).length} of ${tests.length} test pods passed`);
  if (v.length > 0) {
    const t = resultTable(v);
    s.table(t.header, t.rows);
  }
  if (logs && logs.length > 0) s.details('helm test: pod logs', logs.join('\n'));
}

/** The deploy's section of the job summary; the kit adds the failure's own block after it. */
export function summary(r: DeployReport, s: Summary, end: Ending): void {
  const failed = end.kind === 'success' ? '' : ' — failed';
  if (r.mode === 'read' && r.release) return readSummary(r, s, failed);
  if (!r.release) {
    // the inputs were refused: nothing is known about the deploy
    s.heading(`Helm deploy${failed}`);
    return;
  }
  s.heading(`Helm deploy: ${r.release} → ${r.namespace}${r.dryRun ? ' (dry run)' : ''}${failed}`);
  s.facts(facts(r));
  if (r.diagnostics) {
    s.text(`Culprit: ${r.diagnostics.culprit}`);
    s.details('Diagnostics (pods not ready, Warning events, last log lines)', renderDiagnostics(r.diagnostics));
  }
  if (r.verification) verificationSummary(r.verification, r.helmTestLogs, s);
  if (r.diff) {
    s.text(
      `Dry run: ${r.diff.added.length} new, ${r.diff.changed.length} changed, ${r.diff.removed.length} removed, ${r.diff.unchanged} unchanged object(s)`,
    );
    if (r.diff.text) s.details('Manifest diff', r.diff.text);
  }
}
