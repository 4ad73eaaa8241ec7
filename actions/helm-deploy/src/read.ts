/**
 * mode: read: what a release runs, for a promotion without a rebuild (its images by digest) and for
 * migrations that run only when they changed (its `migrations.hash`). The cluster is reached and helm
 * installed exactly as for a deploy; then only `helm history --max 1` (the current revision and its
 * status: unlike Helm 4's `helm status -o json`, it reads nothing but Helm's release records) and `helm
 * get values --all` of that revision run. Nothing is created or changed: no namespace, order claim, pull
 * secret, install, rollback or check. A release that does not exist (unless allow-missing), or whose
 * current revision is not `deployed` (failed, pending, uninstalling…), is an error: it is never promoted.
 */
import { rmSync } from 'node:fs';
import { GateError, InputError, type ActionContext } from '@polyglot-cd/action-kit';
import { removeKubeconfigFile } from '@polyglot-cd/kube';
import { Helm, splitChartRef, type HelmHistoryEntry } from '@polyglot-cd/tools/helm';
import { clusterAccess, createFiles, type ClusterDeps } from './cluster.js';
import type { ReadInputs } from './inputs.js';
import { helmEnvOf, installHelm } from './install.js';
import { releaseContent, ReleaseValuesError } from './release-values.js';
import type { DeployReport } from './summary.js';
import type { Values } from './values.js';

type Inputs = Readonly<ReadInputs>;

/** `helm get values --all` of one revision: the values it was deployed with, chart defaults included. */
export function getAllValuesArgs(release: string, namespace: string, revision: number): string[] {
  return [
    'get',
    'values',
    '--all',
    '--namespace',
    namespace,
    '--revision',
    String(revision),
    '--output',
    'json',
    '--',
    release,
  ];
}

/** The release's current revision, which must exist and be deployed. */
async function currentRevision(helm: Helm, inp: Inputs, report: DeployReport): Promise<HelmHistoryEntry | undefined> {
  const current = (await helm.history(inp.release, inp.namespace, 1)).pop();
  if (!current && inp.allowMissing) return undefined;
  if (!current) {
    throw new InputError(
      `Input "release" has an invalid value ${JSON.stringify(inp.release)}: there is no release ${inp.release} in namespace ${inp.namespace} (helm history: release: not found); name a release deployed there, as helm list --namespace ${inp.namespace} shows it`,
      'release',
    );
  }
  report.status = current.status;
  report.revision = current.revision;
  const chart = splitChartRef(current.chart);
  report.chartName = chart.name;
  report.chartVersion = chart.version;
  if (current.status !== 'deployed') {
    const why = Helm.isPending(current.status)
      ? 'another operation on it is running or was interrupted'
      : 'its last operation did not succeed';
    throw new GateError(
      `Release ${inp.release} in ${inp.namespace} is ${current.status} at revision ${current.revision}, not deployed (${why}): what it runs is not read, and a release that is not deployed is never promoted. Deploy it successfully first.`,
    );
  }
  return current;
}

/** The images and migrations hash of the release's current revision, into the report. */
async function readValues(ctx: ActionContext, helm: Helm, inp: Inputs, report: DeployReport): Promise<void> {
  const { log } = ctx;
  const current = await currentRevision(helm, inp, report);
  if (!current) {
    log.notice(
      `There is no release ${inp.release} in ${inp.namespace} (allow-missing): status missing, no images, no migrations hash`,
    );
    report.status = 'missing';
    report.read = { images: [], migrationsHash: '' };
    return;
  }
  log.info(
    `Release ${inp.release} in ${inp.namespace}: revision ${current.revision} is ${current.status} (chart ${current.chart})`,
  );
  const res = await helm.run(getAllValuesArgs(inp.release, inp.namespace, current.revision), { timeoutMs: 60_000 });
  const values: Values = Helm.parseValues(res.stdout);
  let content;
  try {
    content = releaseContent(values);
  } catch (err) {
    if (err instanceof ReleaseValuesError)
      throw new GateError(
        `Release ${inp.release} in ${inp.namespace} (revision ${current.revision}) is not read: ${err.message}`,
      );
    throw err;
  }
  for (const w of content.warnings) log.warning(w);
  for (const i of content.images) log.info(`${i.component}: ${i.ref}`);
  if (content.images.length === 0)
    log.notice(`Release ${inp.release} has no components with an image: images is empty`);
  log.info(`migrations.hash: ${content.migrationsHash === '' ? '(unset)' : content.migrationsHash}`);
  report.read = { images: content.images, migrationsHash: content.migrationsHash };
}

/** The read: cluster, helm, then the release's current revision; nothing in the cluster is changed. */
export async function readRelease(
  ctx: ActionContext,
  inp: Inputs,
  report: DeployReport,
  deps: ClusterDeps,
): Promise<void> {
  const { log } = ctx;
  report.mode = 'read';
  report.release = inp.release;
  report.namespace = inp.namespace;
  const cluster = await clusterAccess(inp, ctx, deps);
  report.apiHost = cluster.access.host;
  const files = createFiles(ctx, cluster);
  try {
    const { helm, installed } = await installHelm(ctx, inp, helmEnvOf(ctx, inp, cluster, files));
    report.helm = `${helm.version.raw} (${installed.source})`;
    log.info(
      `helm ${helm.version.raw}; API server ${cluster.access.host} (${cluster.access.source}, ${cluster.access.authMethod})`,
    );
    await log.group(`Read release ${inp.release} in ${inp.namespace} (nothing is changed)`, () =>
      readValues(ctx, helm, inp, report),
    );
  } finally {
    rmSync(files.work, { recursive: true, force: true });
    removeKubeconfigFile(files.kubeconfigPath, files.runnerTemp);
  }
}
