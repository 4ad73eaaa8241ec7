/**
 * helm-deploy's deploy, loaded only once the inputs are valid (the bundle's cold start stays small):
 * local checks, cluster, helm and namespace, order, canary plan, upgrade (attempt, recover, on
 * failure), report, verify.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateError, githubContext, InputError, MemoryLogger, type ActionContext } from '@polyglot-cd/action-kit';
import { clientNodeNamespaceApi, removeKubeconfigFile, REPOSITORY_ID_RE, restNamespaceApi } from '@polyglot-cd/kube';
import { Helm, type HelmRelease } from '@polyglot-cd/tools/helm';
import { CanaryError, planCanary, type CanaryPlan } from './canary.js';
import { claimOrder, renderCheck, verifySignatures } from './checks.js';
import { clusterAccess, createFiles, type ClusterAccess, type Files } from './cluster.js';
import { bundledChart, chartReference, valuesFilePaths } from './env.js';
import { helmTestPhase } from './helm-test.js';
import { proberOf, verifyDeployment } from './http-checks.js';
import type { DeployInputs } from './inputs.js';
import { helmCommand, helmEnvOf, locateHelm, openHelm, type HelmSetup } from './install.js';
import type { Deps } from './main.js';
import { ingressUrl, type LoadAll } from './manifest.js';
import { ensureDeployNamespace } from './namespace.js';
import { applyPullSecret, pullSecretName } from './pull-secret.js';
import type { DeployReport } from './summary.js';
import { dryRun, upgrade, type UpgradeOptions } from './upgrade.js';
import { generatedValues, isMapping, mergeValues, prIngressHost, type ImageRef, type Values } from './values.js';
import { parseValuesInput, yamlLoaders } from './yaml.js';

type Inputs = Readonly<DeployInputs>;
type Github = ReturnType<typeof githubContext>;

/** What is checked before the cluster is contacted. */
interface Local {
  userValues: Values;
  /** the PR host to set (empty: none; see prIngressHost) */
  ingressHost: string;
  valuesFiles: string[];
  chart: string;
  loadAll: LoadAll;
}

/** A values file as a mapping ({} when it cannot be read or is not one: helm reports that itself). */
function valuesFileMapping(path: string, load: (text: string) => unknown): Values {
  try {
    const v = load(readFileSync(path, 'utf8'));
    return isMapping(v) ? v : {};
  } catch {
    return {};
  }
}

/** Everything that can be checked without the cluster is checked before it is contacted. */
async function localChecks(ctx: ActionContext, inp: Inputs, gh: Github, deps: Deps): Promise<Local> {
  const { load, loadAll } = await yamlLoaders();
  const userValues = parseValuesInput(inp.valuesYaml, load);
  const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
  const valuesFiles = valuesFilePaths(inp.valuesFiles, workspace);
  const chart = inp.chart === '' ? (deps.defaultChart ?? bundledChart()) : chartReference(inp.chart, workspace);
  if (inp.pr !== undefined && inp.createNamespace && !inp.dryRun && !REPOSITORY_ID_RE.test(gh.repositoryId)) {
    throw new InputError(
      'GITHUB_REPOSITORY_ID is not set: a PR namespace is labelled with it so that pr-namespace-cleanup can prove ownership',
      'pr-number',
    );
  }
  const layers = [...valuesFiles.map((f) => valuesFileMapping(f, load)), userValues];
  const ingressHost = prIngressHost(inp.ingressHost, inp.chart === '', layers);
  return { userValues, ingressHost, valuesFiles, chart, loadAll };
}

/**
 * helm; then, before anything exists in the cluster, the render check (values a pull request may not
 * use are refused) and the signatures; then the namespace, whose log lines are replayed after.
 */
async function prepare(
  ctx: ActionContext,
  inp: Inputs,
  report: DeployReport,
  o: { local: Local; cluster: ClusterAccess; files: Files; gh: Github; deps: Deps; now: () => number },
): Promise<HelmSetup> {
  const { log } = ctx;
  const { cluster, files, local } = o;
  const env = helmEnvOf(ctx, inp, cluster, files);
  const nsLog = new MemoryLogger();
  const installedP = locateHelm(ctx, inp);
  const helmP = installedP.then((installed) => openHelm(ctx, installed, env));
  // the render check needs no version-specific flag: it runs while helm is asked its version
  const renderP = installedP.then(async (installed) => {
    if (!inp.dryRun && inp.createNamespace)
      await renderCheck(
        helmCommand(ctx, installed, env),
        { ...inp, ingressHost: local.ingressHost },
        { chart: local.chart, valuesFiles: local.valuesFiles, work: files.work },
        local.userValues,
      );
  });
  const nsP = Promise.all([helmP, renderP]).then(async () => {
    if (inp.verify)
      report.signatures = await log.group('Verify image signatures (cosign)', () =>
        verifySignatures(ctx, inp, files.work),
      );
    return ensureDeployNamespace(inp, o.gh, {
      api: async () =>
        cluster.conn ? restNamespaceApi(cluster.conn) : clientNodeNamespaceApi(await cluster.kubeConfigLoader()),
      kubeConfig: cluster.kubeConfigLoader,
      now: o.now,
      log: (l) => nsLog.info(l),
      sleep: o.deps.sleep,
    });
  });
  const [helmResult, nsResult] = await Promise.allSettled([helmP, nsP]);
  await log.group(`Namespace ${inp.namespace}`, async () => {
    for (const l of nsLog.lines) log.info(l.message);
    if (nsResult.status === 'fulfilled') log.info(`namespace ${inp.namespace}: ${nsResult.value}`);
  });
  if (helmResult.status === 'rejected') throw helmResult.reason;
  if (nsResult.status === 'rejected') throw nsResult.reason;
  report.namespaceOutcome = nsResult.value;
  const { installed, helm } = helmResult.value;
  report.helm = `${helm.version.raw} (${installed.source})`;
  log.info(
    `helm ${helm.version.raw} (Helm ${helm.major} flags: ${Helm.waitFlag(helm.major)}${inp.rollbackOnFailure ? ` ${Helm.rollbackOnFailureFlag(helm.major)}` : ''}); API server ${cluster.access.host} (${cluster.access.source}, ${cluster.access.authMethod})`,
  );
  return helmResult.value;
}

/** The canary plan: the stable track keeps what the last deployed revision runs. */
async function canaryPhase(ctx: ActionContext, inp: Inputs, helm: Helm, report: DeployReport): Promise<CanaryPlan> {
  const { log } = ctx;
  const canaryRef = inp.images.find((i) => i.component === inp.canaryComponent)?.ref;
  const plan = await log.group(
    `Canary of ${inp.canaryComponent} at ${inp.canaryWeight} %: read the stable images of ${inp.release}`,
    async () => {
      const good = Helm.lastGoodRevision(await helm.history(inp.release, inp.namespace));
      const deployed = good ? await helm.values(inp.release, inp.namespace, good.revision) : undefined;
      let p: CanaryPlan;
      try {
        p = planCanary(deployed, inp.images, { component: inp.canaryComponent, weight: inp.canaryWeight });
      } catch (err) {
        // the canary policy refuses it (the deployed release can't be kept as the stable track by digest)
        if (err instanceof CanaryError) throw new GateError(`No canary deployed: ${err.message}`);
        throw err;
      }
      for (const i of p.stable) log.info(`stable ${i.component}: ${i.ref}${good ? '' : ' (new)'}`);
      if (p.deployed)
        log.info(`canary ${inp.canaryComponent}: ${canaryRef} with ${inp.canaryWeight} % of its requests`);
      else log.notice(`No canary: ${p.reason}`);
      return p;
    },
  );
  report.canary = plan.deployed
    ? `${inp.canaryComponent} ${canaryRef} at ${inp.canaryWeight} % of its requests`
    : `none: ${plan.reason}`;
  report.images = plan.stable;
  return plan;
}

/** The upgrade's options, with the generated values file (the workflow's pod-security level goes last). */
function upgradeOptions(
  inp: Inputs,
  gh: Github,
  local: Local,
  plan: CanaryPlan | undefined,
  work: string,
): UpgradeOptions {
  const images = plan ? plan.stable : inp.images;
  const pullSecret = inp.pullSecret ? pullSecretName(inp.release) : undefined;
  let generated = mergeValues(generatedValues(local.userValues, images, local.ingressHost || undefined, pullSecret), {
    security: { podSecurity: inp.podSecurity },
  });
  if (plan) generated = mergeValues(generated, { canary: plan.canary });
  const generatedFile = join(work, 'values.generated.json');
  writeFileSync(generatedFile, JSON.stringify(generated, null, 2), { mode: 0o600 });
  return {
    release: inp.release,
    chart: local.chart,
    namespace: inp.namespace,
    chartVersion: inp.chartVersion || undefined,
    valuesFiles: [...local.valuesFiles, generatedFile],
    timeoutSeconds: Math.ceil(inp.timeoutMs / 1000),
    historyMax: inp.historyMax,
    rollbackOnFailure: inp.rollbackOnFailure,
    wait: true,
    description: gh.sha ? `polyglot-cd ${gh.shortSha}${gh.runId ? ` run ${gh.runId}` : ''}` : undefined,
  };
}

/** The report of a deployed release. */
function reportDeployed(
  ctx: ActionContext,
  report: DeployReport,
  release: HelmRelease,
  o: { loadAll: LoadAll; durationMs: number; canary: boolean; stableImages: readonly ImageRef[] },
): void {
  report.status = release.status;
  report.revision = release.revision;
  report.chartVersion = release.chartVersion;
  report.chartName = release.chartName;
  report.url = ingressUrl(release.manifest, o.loadAll);
  report.durationMs = o.durationMs;
  report.deployed = { canary: o.canary, stableImages: o.stableImages };
  ctx.log.info(
    `Release ${release.name} revision ${release.revision} is ${release.status}${report.url ? `: ${report.url}` : ''}`,
  );
}

function startReport(report: DeployReport, inp: Inputs): void {
  report.release = inp.release;
  report.namespace = inp.namespace;
  report.chart = inp.chart || 'charts/app (bundled)';
  report.images = inp.images;
  report.dryRun = inp.dryRun;
}

/** The HTTP checks through the API server (input checks), then helm test (helm-test). */
async function verifyPhase(
  ctx: ActionContext,
  inp: Inputs,
  report: DeployReport,
  o: {
    helm: Helm;
    release: HelmRelease;
    plan: CanaryPlan | undefined;
    local: Local;
    cluster: ClusterAccess;
    now: () => number;
    deps: Deps;
  },
): Promise<void> {
  const { helm, release, cluster, now } = o;
  const canary = o.plan?.deployed === true;
  if (inp.checks.length > 0) {
    const fullnameOverride = o.local.userValues['fullnameOverride'];
    await verifyDeployment({
      ...{ ctx, inp, report, helm, release, now, sleep: o.deps.sleep, canary },
      prober: () => proberOf(cluster.conn, cluster.kubeConfigLoader),
      fullnameOverride: typeof fullnameOverride === 'string' ? fullnameOverride : '',
    });
  }
  if (inp.helmTest) await helmTestPhase({ ctx, inp, report, helm, release, canary, now });
}

export async function deploy(ctx: ActionContext, inp: Inputs, report: DeployReport, deps: Deps): Promise<void> {
  const { log } = ctx;
  const now = deps.now ?? Date.now;
  const started = now();
  const gh = githubContext(ctx.env);
  startReport(report, inp);
  const local = await localChecks(ctx, inp, gh, deps);

  // ---- cluster
  const cluster = await clusterAccess(inp, ctx, deps);
  report.apiHost = cluster.access.host;
  const files = createFiles(ctx, cluster);
  try {
    // ---- helm, render check, signatures, namespace
    const { helm, installed, env } = await prepare(ctx, inp, report, { local, cluster, files, gh, deps, now });

    // ---- order: an older run of this workflow never overwrites a newer one
    if (!inp.dryRun && inp.ordering === 'run-number') {
      report.order = await log.group(`Deploy order of ${inp.release} in ${inp.namespace}`, () =>
        claimOrder(ctx, inp, cluster.conn, cluster.kubeConfigLoader),
      );
    }

    // ---- image pull secret (registry credentials): created or updated before the upgrade uses it
    if (inp.pullSecret && !inp.dryRun) {
      const o = { ...inp, pullSecret: inp.pullSecret, conn: cluster.conn, kubeConfig: cluster.kubeConfigLoader };
      await log.group(`Image pull secret in ${inp.namespace}`, () => applyPullSecret(ctx, o));
    }

    // ---- canary plan
    const plan = inp.canaryWeight > 0 ? await canaryPhase(ctx, inp, helm, report) : undefined;
    const opts = upgradeOptions(inp, gh, local, plan, files.work);
    if (inp.dryRun) return await dryRun(ctx, helm, opts, report, local.loadAll);

    // ---- upgrade: attempt, recover, on failure
    const release = await upgrade({
      ctx,
      inp,
      report,
      helm,
      opts,
      installedPath: installed.path,
      env,
      kubeConfig: cluster.kubeConfigLoader,
      now,
      started,
      everyMs: deps.diagnosticsEveryMs ?? Math.min(5_000, Math.max(1_000, Math.floor(inp.timeoutMs / 4))),
    });

    // ---- report
    reportDeployed(ctx, report, release, {
      loadAll: local.loadAll,
      durationMs: now() - started,
      canary: plan?.deployed === true,
      stableImages: plan ? plan.stable : inp.images,
    });

    // ---- verify: HTTP checks, then helm test; a canary that fails either is rolled back
    await verifyPhase(ctx, inp, report, { helm, release, plan, local, cluster, now, deps });
  } finally {
    rmSync(files.work, { recursive: true, force: true });
    removeKubeconfigFile(files.kubeconfigPath, files.runnerTemp);
  }
}
