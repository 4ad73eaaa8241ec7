import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  GateError,
  githubContext,
  InputError,
  inputEnvName,
  checkYamlExpansion,
  MemoryLogger,
  resolveInWorkspace,
  ToolError,
  type ActionContext,
  type Env,
} from '@polyglot-cd/action-kit';
import {
  clientNodeNamespaceApi,
  clientNodeSource,
  collectDiagnostics,
  ensureNamespace,
  inspectKubeconfig,
  loadInCluster,
  loadKubeconfig,
  parseKubeconfigText,
  bindNamespaceRole,
  claimDeployOrder,
  clientNodeOrderApi,
  OlderRunError,
  restOrderApi,
  restConnection,
  restNamespaceApi,
  ownershipMetadata,
  rememberKubeconfig,
  removeKubeconfigFile,
  renderDiagnostics,
  writeKubeconfigFile,
  LABEL_MANAGED_BY,
  LABEL_REPOSITORY_ID,
  MANAGED_BY,
  ANNOTATION_COMMIT,
  ANNOTATION_REPOSITORY,
  REPOSITORY_ID_RE,
  SERVICE_ACCOUNT_DIR,
  type Diagnostics,
  type NamespaceApi,
  type KubeAccess,
  type RestConnection,
} from '@polyglot-cd/kube';
import { loadGithubOidc, selfPlugin } from '@polyglot-cd/kube/github-oidc';
import { CommandRunner, withheld } from '@polyglot-cd/tools/command-runner';
import { Cosign } from '@polyglot-cd/tools/cosign';
import { Helm, type HelmRelease } from '@polyglot-cd/tools/helm';
import { ensureTool } from '@polyglot-cd/tools/tool-installer';
import { getInputs, type DeployInputs } from './inputs.js';
import { diffManifests, ingressUrl, type LoadAll } from './manifest.js';
import { decideRecovery } from './recover.js';
import { renderSummary, type DeployReport } from './report.js';
import { CanaryError, formatImages, planCanary, type CanaryPlan } from './canary.js';
import { generatedValues, isMapping, mergeValues, type Values } from './values.js';

export interface Deps {
  /** prefix of the service-account directory for in-cluster mode (tests; default: none) */
  serviceAccountPrefix?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** the chart used when the `chart` input is empty (default: charts/app next to the bundle) */
  defaultChart?: string;
  /** how often diagnostics are snapshotted while helm waits (default: timeout/4, at most 5 s) */
  diagnosticsEveryMs?: number;
  /** keyless mode: the credential plugin the kubeconfig runs (default: this bundle, `selfPlugin`) */
  credentialPlugin?: { command: string; args: readonly string[] };
}

type KubeConfig = KubeAccess['kubeConfig'];

/** charts/app beside the bundle: <action root>/dist/helm-deploy/index.js → <action root>/charts/app */
export function bundledChart(entry = process.argv[1] ?? ''): string {
  return resolve(dirname(entry), '..', '..', 'charts', 'app');
}

const inputVarPrefix = inputEnvName('');

/**
 * The namespace step: create (or adopt) the namespace with its ownership labels and annotations (PR
 * namespaces), Pod Security enforcement at the workflow's level, and, with namespace-role, this
 * identity's RoleBinding inside it. Returns the outcome for the summary; a refusal is a GateError.
 */
async function ensureDeployNamespace(
  inp: DeployInputs,
  gh: ReturnType<typeof githubContext>,
  o: {
    api: () => Promise<NamespaceApi>;
    kubeConfig: () => Promise<KubeConfig>;
    now: () => number;
    log: (line: string) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<string> {
  if (inp.dryRun) return 'not checked (dry run)';
  if (!inp.createNamespace) return 'not checked (create-namespace: false: no cluster-scoped call)';
  const labels: Record<string, string> = { [LABEL_MANAGED_BY]: MANAGED_BY };
  const annotations: Record<string, string> = {};
  if (REPOSITORY_ID_RE.test(gh.repositoryId)) labels[LABEL_REPOSITORY_ID] = gh.repositoryId;
  if (gh.repository) annotations[ANNOTATION_REPOSITORY] = gh.repository;
  if (/^[0-9a-f]{7,64}$/.test(gh.sha)) annotations[ANNOTATION_COMMIT] = gh.sha;
  const meta =
    inp.pr !== undefined
      ? ownershipMetadata({
          repositoryId: gh.repositoryId,
          repository: gh.repository,
          pr: inp.pr,
          commit: gh.sha,
          expiresAt: new Date(o.now() + inp.namespaceTtlMs),
          deployedAt: new Date(o.now()),
        })
      : { labels, annotations };
  // Pod Security admission enforces the workflow's level on a namespace this action creates
  const podSecurityLabels = {
    'pod-security.kubernetes.io/enforce': inp.podSecurity,
    'pod-security.kubernetes.io/enforce-version': 'latest',
  };
  try {
    const res = await ensureNamespace(await o.api(), inp.namespace, {
      labels: { ...meta.labels, ...podSecurityLabels },
      refuseOtherRepository: inp.pr !== undefined,
      annotations: meta.annotations,
      ownerLabels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        ...(meta.labels[LABEL_REPOSITORY_ID] ? { [LABEL_REPOSITORY_ID]: meta.labels[LABEL_REPOSITORY_ID] } : {}),
      },
      terminatingTimeoutMs: inp.terminatingTimeoutMs,
      log: o.log,
      sleep: o.sleep,
    });
    // the identity's rights inside the namespace come from a RoleBinding it makes there itself
    if (inp.namespaceRole && res.outcome !== 'exists-foreign') {
      await bindNamespaceRole(await o.kubeConfig(), inp.namespace, inp.namespaceRole, { log: o.log });
    }
    return res.outcome;
  } catch (err) {
    throw new GateError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * `cosign verify` of every image, by digest, against the workflow's public key or exact keyless
 * identity and issuer, before anything is created. One that does not verify stops the deploy.
 * Returns one line per image for the summary.
 */
async function verifySignatures(ctx: ActionContext, inp: DeployInputs, work: string): Promise<string[]> {
  const v = inp.verify as NonNullable<DeployInputs['verify']>;
  const { log, secrets, env } = ctx;
  const tool = await ensureTool('cosign', v.cosignVersion, {
    log,
    secrets,
    env,
    baseUrl: inp.toolsBaseUrl || undefined,
  });
  const runner = new CommandRunner({ log, secrets, env });
  let publicKey: string | undefined;
  if (v.publicKey) {
    publicKey = join(work, 'verify.pub');
    writeFileSync(publicKey, `${v.publicKey.trim()}\n`, { mode: 0o600 });
  }
  const against = publicKey
    ? 'the verify-key public key'
    : `identity ${v.certificateIdentity} (issuer ${v.certificateOidcIssuer})`;
  const lines: string[] = [];
  for (const img of inp.images) {
    const host = img.repository.split('/')[0] ?? '';
    const args = Cosign.verifyArgs({
      ref: img.ref,
      ...(publicKey
        ? { publicKey }
        : { certificateIdentity: v.certificateIdentity, certificateOidcIssuer: v.certificateOidcIssuer }),
      tlogUpload: v.tlog,
      registry: { insecure: v.insecureRegistries.includes(host) },
    });
    let why = '';
    try {
      const res = await runner.run(tool.path, args, { tool: 'cosign', timeoutMs: 120_000 });
      const sigs = Cosign.parseVerifyOutput(res.stdout, img.digest);
      const line = `${img.component}: ${sigs.length} signature(s) verified against ${against}${v.tlog ? '' : ' (transparency log not checked)'}`;
      log.info(line);
      lines.push(line);
      continue;
    } catch (err) {
      why = err instanceof ToolError ? Cosign.classifyFailure(err.details.stderrTail).reason : (err as Error).message;
    }
    throw new GateError(
      `Image ${img.ref} (${img.component}) is not deployed: its signature does not verify against ${against}: ${why}. Nothing was created.`,
    );
  }
  return lines;
}

/**
 * `helm template` with the values the upgrade will use (every values file, the `values` input, the
 * images and the workflow's pod-security level last). A render the chart refuses (its schema or its
 * checks, e.g. security.podSecurity) is an input error; helm failing for another reason (an oci://
 * chart it cannot fetch yet) is left to the upgrade, which reports it.
 */
async function renderCheck(
  helm: Helm,
  inp: DeployInputs,
  chart: string,
  valuesFiles: readonly string[],
  userValues: Values,
  work: string,
): Promise<void> {
  const file = join(work, 'values.render-check.json');
  const values = mergeValues(generatedValues(userValues, inp.images, inp.ingressHost || undefined), {
    security: { podSecurity: inp.podSecurity },
  });
  writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
  try {
    await helm.run(
      Helm.templateArgs({
        release: inp.release,
        chart,
        namespace: inp.namespace,
        chartVersion: inp.chartVersion || undefined,
        valuesFiles: [...valuesFiles, file],
      }),
      { timeoutMs: 120_000 },
    );
  } catch (err) {
    const tail = err instanceof ToolError ? err.details.stderrTail : '';
    const refused =
      /execution error at \([^)]*\): (.*)|(values don't meet the specifications of the schema[\s\S]*)/.exec(tail);
    if (refused) {
      throw new InputError(
        `The chart refuses these values (nothing was created): ${(refused[1] ?? refused[2] ?? '').trim()}`,
        inp.valuesFiles.length > 0 ? 'values-files' : 'values',
      );
    }
  }
}

/**
 * The environment helm runs with: ours, minus anything that could point it at another cluster, minus
 * the step's inputs (the kubeconfig input is a secret helm has no use for), and with a HOME of its own:
 * `helmHome`, an empty directory of this step, holds helm's config, cache, data and plugins, so no
 * plugin, repository or stored registry credential of the runner's user (or of an earlier step) is
 * used. Every HELM_* variable of the caller is dropped for the same reason.
 */
export function helmEnv(
  env: Env,
  kubeconfigPath: string,
  context: string,
  helmHome: string,
  o: { idTokenRequest?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (
      v === undefined ||
      k === 'KUBECONFIG' ||
      k === 'HOME' ||
      k.startsWith('HELM_') ||
      k.startsWith('XDG_') ||
      k.startsWith(inputVarPrefix)
    )
      continue;
    // the runner's token service is for the credential plugin of keyless access only
    if (withheld(k) && !(o.idTokenRequest && k.startsWith('ACTIONS_ID_TOKEN_REQUEST_'))) continue;
    out[k] = v;
  }
  out['HOME'] = helmHome;
  out['HELM_CONFIG_HOME'] = join(helmHome, 'config');
  out['HELM_CACHE_HOME'] = join(helmHome, 'cache');
  out['HELM_DATA_HOME'] = join(helmHome, 'data');
  out['HELM_PLUGINS'] = join(helmHome, 'data', 'plugins');
  out['HELM_REGISTRY_CONFIG'] = join(helmHome, 'config', 'registry', 'config.json');
  out['HELM_REPOSITORY_CONFIG'] = join(helmHome, 'config', 'repositories.yaml');
  out['HELM_REPOSITORY_CACHE'] = join(helmHome, 'cache', 'repository');
  out['KUBECONFIG'] = kubeconfigPath;
  if (context) out['HELM_KUBECONTEXT'] = context;
  return out;
}

/**
 * The chart helm gets: a path inside the workspace (absolute), or an oci:// reference. A `repo/chart`
 * name needs a repository added to helm's configuration, and helm runs with an empty one of its own.
 */
export function chartReference(chart: string, workspace: string): string {
  if (chart.startsWith('oci://')) return chart;
  const path = resolveInWorkspace(workspace, chart, 'chart');
  if (existsSync(path) || /^(\.|\/)/.test(chart)) return path;
  throw new InputError(
    `Input "chart" has an invalid value ${JSON.stringify(chart)}: no such chart in the workspace, and a repo/chart name is not used (helm runs with its own empty configuration: no repositories, plugins or stored credentials); give a chart path in the workspace or an oci:// reference`,
    'chart',
  );
}

/** In-cluster: a kubeconfig that points helm at the pod's service-account files (no token copied). */
export function inClusterKubeconfig(server: string, dir = SERVICE_ACCOUNT_DIR): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': `${dir}/ca.crt` } }],
    users: [{ name: 'service-account', user: { tokenFile: `${dir}/token` } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'service-account' } }],
    'current-context': 'in-cluster',
  });
}

async function yamlLoaders(): Promise<{ load: (t: string) => unknown; loadAll: LoadAll }> {
  const yaml = await import('js-yaml');
  return { load: (t) => yaml.load(t), loadAll: (t) => yaml.loadAll(t) };
}

function parseValuesInput(text: string, load: (t: string) => unknown): Values {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (err) {
    const line = (err as { mark?: { line?: number } }).mark?.line;
    throw new InputError(
      `Input "values" is not valid YAML${typeof line === 'number' ? ` (line ${line + 1})` : ''}: ${(err as Error).message.split('\n')[0]}`,
      'values',
    );
  }
  if (parsed === null || parsed === undefined) return {};
  checkYamlExpansion('values', parsed);
  if (!isMapping(parsed))
    throw new InputError('Input "values" must be a YAML mapping (key: value lines), e.g. "replicaCount: 2"', 'values');
  return parsed;
}

function describeCause(err: ToolError): string {
  const t = err.details.stderrTail;
  if (Helm.isConcurrentOperation(t)) return 'another deploy of this release is running';
  if (/being terminated/.test(t))
    return 'the namespace is being deleted (Terminating); wait for it to go, or let helm-deploy create it (create-namespace: true)';
  if (/timed out waiting for the condition|context deadline exceeded/.test(t))
    return 'the release did not become ready within the timeout';
  return (
    t
      .split('\n')
      .filter((l) => /^Error:/.test(l))
      .pop() ??
    t.split('\n').pop() ??
    err.message
  ).replace(/^Error:\s*/, '');
}

/**
 * Claims the release for this run (packages/kube/src/deploy-order.ts); a run older than the newest of
 * its workflow is refused by policy (GateError) before anything is deployed. Outside a GitHub run
 * (no GITHUB_RUN_NUMBER) nothing is checked, and the summary says so.
 */
async function claimOrder(
  ctx: ActionContext,
  inp: Readonly<DeployInputs>,
  conn: RestConnection | undefined,
  kubeConfigLoader: () => Promise<KubeConfig>,
): Promise<string> {
  const run = inp.orderRun;
  if (!run) {
    ctx.log.info('GITHUB_RUN_NUMBER is not set (not a GitHub Actions run): the deploy order is not checked');
    return 'not checked (no GITHUB_RUN_NUMBER)';
  }
  const api = conn ? restOrderApi(conn) : await clientNodeOrderApi(await kubeConfigLoader());
  try {
    const { previousRun } = await claimDeployOrder(api, inp.namespace, inp.release, run);
    const line = `run #${run.runNumber} of ${run.workflow}${previousRun === undefined ? ' (first recorded)' : previousRun === run.runNumber ? ' (again: a re-run or a later step of the same run)' : ` (after run #${previousRun})`}`;
    ctx.log.info(`deploy order: ${line}`);
    return line;
  } catch (err) {
    if (err instanceof OlderRunError) throw new GateError(`Not deployed: ${err.message}. Nothing was changed.`);
    throw err;
  }
}

interface ClusterAccess {
  access: Pick<KubeAccess, 'server' | 'host' | 'context' | 'source' | 'authMethod' | 'user'>;
  /** the small REST client, for a kubeconfig it can serve */
  conn: RestConnection | undefined;
  kubeConfigLoader: () => Promise<KubeConfig>;
  /** the kubeconfig helm gets */
  kubeconfigText: string;
}

/**
 * Cluster access, one of three. A kubeconfig is parsed and inspected here (exec/auth-provider refusal,
 * credentials registered as secrets) without @kubernetes/client-node, which is only loaded when
 * something needs it (diagnostics, in-cluster or keyless mode, credentials the small REST client does
 * not handle). Keyless (cluster-oidc-audience) fetches the job's OIDC token once now, so a job without
 * `id-token: write` fails before anything is created.
 */
async function clusterAccess(inp: Readonly<DeployInputs>, ctx: ActionContext, deps: Deps): Promise<ClusterAccess> {
  const { secrets, log } = ctx;
  if (inp.inCluster) {
    const ic = await loadInCluster({ env: ctx.env, secrets, pathPrefix: deps.serviceAccountPrefix });
    return {
      access: ic,
      conn: undefined,
      kubeConfigLoader: async () => ic.kubeConfig,
      kubeconfigText: inClusterKubeconfig(ic.server, `${deps.serviceAccountPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`),
    };
  }
  if (inp.githubOidc) {
    const plugin = deps.credentialPlugin ?? selfPlugin(inp.githubOidc.audience);
    const a = await loadGithubOidc(inp.githubOidc, { env: ctx.env, secrets, plugin });
    return { access: a, conn: undefined, kubeConfigLoader: async () => a.kubeConfig, kubeconfigText: a.kubeconfigText };
  }
  const doc = await parseKubeconfigText(inp.kubeconfig);
  const facts = inspectKubeconfig(doc, { allowExecAuth: inp.allowExecAuth });
  for (const v of facts.secretValues) secrets.add(v);
  for (const w of facts.warnings) log.warning(w);
  let loaded: Promise<KubeConfig> | undefined;
  return {
    access: {
      server: facts.server,
      host: facts.host,
      context: facts.context,
      source: 'kubeconfig',
      authMethod: facts.authMethod,
      user: facts.user,
    },
    conn: restConnection(doc, facts),
    kubeConfigLoader: () =>
      (loaded ??= loadKubeconfig(inp.kubeconfig, { allowExecAuth: inp.allowExecAuth, secrets }).then(
        (a) => a.kubeConfig,
      )),
    kubeconfigText: inp.kubeconfig,
  };
}

export async function main(ctx: ActionContext, deps: Deps = {}): Promise<void> {
  const { log, outputs, summary, secrets, runner } = ctx;
  const now = deps.now ?? Date.now;
  const started = now();
  const inp: Readonly<DeployInputs> = getInputs(ctx);
  const gh = githubContext(ctx.env);

  // Everything that can be checked without the cluster is checked before it is contacted.
  const { load, loadAll } = await yamlLoaders();
  const userValues = parseValuesInput(inp.valuesYaml, load);
  const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
  const valuesFiles = inp.valuesFiles.map((f) => resolveInWorkspace(workspace, f, 'values-files'));
  valuesFiles.forEach((f, i) => {
    if (!existsSync(f))
      throw new InputError(
        `Input "values-files" names ${JSON.stringify(inp.valuesFiles[i])}, which does not exist (looked at ${f})`,
        'values-files',
      );
  });
  const chart = inp.chart === '' ? (deps.defaultChart ?? bundledChart()) : chartReference(inp.chart, workspace);
  if (inp.pr !== undefined && inp.createNamespace && !inp.dryRun && !REPOSITORY_ID_RE.test(gh.repositoryId)) {
    throw new InputError(
      'GITHUB_REPOSITORY_ID is not set: a PR namespace is labelled with it so that pr-namespace-cleanup can prove ownership',
      'pr-number',
    );
  }

  const { access, conn, kubeConfigLoader, kubeconfigText } = await clusterAccess(inp, ctx, deps);
  if (inp.githubOidc)
    log.info(`Cluster access: the job's GitHub OIDC token (audience ${inp.githubOidc.audience}) as ${access.user}`);

  const report: DeployReport = {
    release: inp.release,
    namespace: inp.namespace,
    apiHost: access.host,
    chart: inp.chart || 'charts/app (bundled)',
    images: inp.images,
    dryRun: inp.dryRun,
    status: 'not started',
  };
  outputs.set('release', inp.release);
  outputs.set('namespace', inp.namespace);

  const runnerTemp = ctx.env['RUNNER_TEMP'];
  const kubeconfigPath = writeKubeconfigFile(kubeconfigText, runnerTemp);
  rememberKubeconfig(runner, kubeconfigPath);
  const work = mkdtempSync(join(runnerTemp as string, 'polyglot-cd-helm-deploy-'));
  try {
    // ---- helm; then, before anything exists in the cluster, the render check and the signatures; then
    // the namespace (its log lines are replayed after)
    const nsLog = new MemoryLogger();
    const namespaceStep = (): Promise<string> =>
      ensureDeployNamespace(inp, gh, {
        api: async () => (conn ? restNamespaceApi(conn) : clientNodeNamespaceApi(await kubeConfigLoader())),
        kubeConfig: kubeConfigLoader,
        now,
        log: (l) => nsLog.info(l),
        sleep: deps.sleep,
      });
    const env = helmEnv(ctx.env, kubeconfigPath, inp.kubeconfig === '' ? '' : access.context, join(work, 'helm-home'), {
      idTokenRequest: inp.githubOidc !== undefined,
    });
    const cmd = new CommandRunner({ log, secrets, env });
    const helmP = log
      .group(`Install helm ${inp.helmVersion}`, () =>
        ensureTool('helm', inp.helmVersion, { log, secrets, env: ctx.env, baseUrl: inp.toolsBaseUrl || undefined }),
      )
      .then(async (installed) => {
        // a binary found by its pinned SHA-256 (PATH, cache, download) is that version; one named by
        // POLYGLOT_CD_HELM_BIN is asked
        const pinned = Helm.parseVersion(installed.version);
        const h =
          installed.source !== 'env' && pinned
            ? new Helm(installed.path, pinned, cmd, env)
            : await Helm.open(installed.path, cmd, env);
        return { installed, helm: h };
      });
    // Before the namespace (the first object this action creates), the chart renders with every values
    // file and the workflow's pod-security level: values a pull request may not use (a privileged
    // container, a hostPath volume, root…) are refused before anything exists in the cluster.
    const nsP = helmP.then(async ({ helm: h }) => {
      if (!inp.dryRun && inp.createNamespace) await renderCheck(h, inp, chart, valuesFiles, userValues, work);
      // signatures: an image that does not verify is not deployed, and nothing is created for it
      if (inp.verify)
        report.signatures = await log.group('Verify image signatures (cosign)', () => verifySignatures(ctx, inp, work));
      return namespaceStep();
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
      `helm ${helm.version.raw} (Helm ${helm.major} flags: ${Helm.waitFlag(helm.major)}${inp.rollbackOnFailure ? ` ${Helm.rollbackOnFailureFlag(helm.major)}` : ''}); API server ${access.host} (${access.source}, ${access.authMethod})`,
    );

    // ---- order: an older run of this workflow never overwrites a newer one
    if (!inp.dryRun && inp.ordering === 'run-number') {
      report.order = await log
        .group(`Deploy order of ${inp.release} in ${inp.namespace}`, () => claimOrder(ctx, inp, conn, kubeConfigLoader))
        .catch((err: unknown) => {
          if (err instanceof GateError) report.failure = err.message;
          throw err;
        });
    }

    // ---- canary: the stable track keeps what the last deployed revision runs
    let plan: CanaryPlan | undefined;
    if (inp.canaryWeight > 0) {
      plan = await log.group(
        `Canary of ${inp.canaryComponent} at ${inp.canaryWeight} %: read the stable images of ${inp.release}`,
        async () => {
          const good = Helm.lastGoodRevision(await helm.history(inp.release, inp.namespace));
          const deployed = good ? await helm.values(inp.release, inp.namespace, good.revision) : undefined;
          let p: CanaryPlan;
          try {
            p = planCanary(deployed, inp.images, { component: inp.canaryComponent, weight: inp.canaryWeight });
          } catch (err) {
            if (err instanceof CanaryError) throw new GateError(`No canary deployed: ${err.message}`);
            throw err;
          }
          for (const i of p.stable) log.info(`stable ${i.component}: ${i.ref}${good ? '' : ' (new)'}`);
          if (p.deployed)
            log.info(
              `canary ${inp.canaryComponent}: ${inp.images.find((i) => i.component === inp.canaryComponent)?.ref} with ${inp.canaryWeight} % of its requests`,
            );
          else log.notice(`No canary: ${p.reason}`);
          return p;
        },
      );
      report.canary = plan.deployed
        ? `${inp.canaryComponent} ${inp.images.find((i) => i.component === inp.canaryComponent)?.ref} at ${inp.canaryWeight} % of its requests`
        : `none: ${plan.reason}`;
      report.images = plan.stable;
    }
    const deployImages = plan ? plan.stable : inp.images;

    // ---- values
    // the workflow's pod-security level goes last: no values file (a pull request's) can raise it
    let generated = mergeValues(generatedValues(userValues, deployImages, inp.ingressHost || undefined), {
      security: { podSecurity: inp.podSecurity },
    });
    if (plan) generated = mergeValues(generated, { canary: plan.canary });
    const generatedFile = join(work, 'values.generated.json');
    writeFileSync(generatedFile, JSON.stringify(generated, null, 2), { mode: 0o600 });
    const upgradeOpts = {
      release: inp.release,
      chart,
      namespace: inp.namespace,
      chartVersion: inp.chartVersion || undefined,
      valuesFiles: [...valuesFiles, generatedFile],
      timeoutSeconds: Math.ceil(inp.timeoutMs / 1000),
      historyMax: inp.historyMax,
      rollbackOnFailure: inp.rollbackOnFailure,
      wait: true,
      description: gh.sha ? `polyglot-cd ${gh.shortSha}${gh.runId ? ` run ${gh.runId}` : ''}` : undefined,
    };

    if (inp.dryRun) {
      await dryRun(ctx, helm, upgradeOpts, report, loadAll);
      return;
    }

    // ---- upgrade --install, with diagnostics snapshotted while helm waits
    const argv = Helm.upgradeArgs(upgradeOpts, helm.version);
    const every = deps.diagnosticsEveryMs ?? Math.min(5_000, Math.max(1_000, Math.floor(inp.timeoutMs / 4)));
    const collect = async (): Promise<Diagnostics> =>
      collectDiagnostics(await clientNodeSource(await kubeConfigLoader()), inp.namespace, {
        release: inp.release,
        logLines: inp.logLines,
        redact: (t) => ctx.secrets.redact(t),
      });
    const title = `helm upgrade --install ${inp.release} (namespace ${inp.namespace}, timeout ${upgradeOpts.timeoutSeconds}s)`;

    const attempt = async (): Promise<HelmRelease> => {
      let snapshot: Diagnostics | undefined;
      let polling = true;
      const poller = (async () => {
        const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
        await sleep(every);
        while (polling) {
          const d = await collect().catch(() => undefined);
          // a snapshot without pods (none created yet, or the list failed) never replaces one with pods
          if (polling && d && (d.pods.length > 0 || (d.events.length > 0 && !snapshot?.pods.length))) snapshot = d;
          if (polling) await sleep(every);
        }
      })();
      try {
        const res = await log.group(title, () => helm.run(argv, { timeoutMs: 2 * inp.timeoutMs + 120_000 }));
        return Helm.parseRelease(res.stdout);
      } catch (err) {
        polling = false;
        if (err instanceof ToolError && !err.details.cancelled && Helm.isConcurrentOperation(err.details.stderrTail))
          throw new Concurrent(err);
        if (!(err instanceof ToolError)) throw err;
        return await onUpgradeFailure(ctx, err, {
          helm,
          inp,
          report,
          snapshot,
          collect,
          started,
          now,
          installedPath: installed.path,
          env,
        });
      } finally {
        polling = false;
        void poller;
      }
    };

    let release: HelmRelease;
    try {
      release = await attempt();
    } catch (err) {
      if (!(err instanceof Concurrent)) throw err;
      // Another operation holds the release, or it is stuck pending-*: decide from its status and age.
      const current = await helm.status(inp.release, inp.namespace);
      const history = current ? await helm.history(inp.release, inp.namespace) : [];
      const decision = decideRecovery(current, history, now(), inp.stuckAfterMs);
      report.status = current?.status ?? 'unknown';
      report.revision = current?.revision;
      if (current) {
        outputs.set('status', current.status);
        outputs.set('revision', current.revision);
      }
      if (decision.action === 'none' || decision.action === 'refuse') {
        report.failure = 'another deploy of this release is running';
        renderSummary(summary, report);
        const helmSaid = (err.cause.details.stderrTail.split('\n').pop() ?? '').replace(/^Error:\s*/, '');
        throw new GateError(
          decision.action === 'refuse'
            ? decision.message
            : `Another deploy of release ${inp.release} in ${inp.namespace} ran at the same time (helm: ${helmSaid}). Nothing was changed by this run; the release is ${report.status}${report.revision !== undefined ? ` at revision ${report.revision}` : ''}. Deploy one at a time per target (concurrency group, cancel-in-progress: false).`,
        );
      }
      await log.group(`Recover release ${inp.release} from ${current?.status ?? '?'}`, async () => {
        log.warning(decision.message);
        const args =
          decision.action === 'rollback'
            ? Helm.rollbackArgs(
                inp.release,
                inp.namespace,
                decision.revision,
                { timeoutSeconds: upgradeOpts.timeoutSeconds, historyMax: inp.historyMax, wait: true },
                helm.major,
              )
            : Helm.uninstallArgs(
                inp.release,
                inp.namespace,
                { timeoutSeconds: upgradeOpts.timeoutSeconds, wait: true },
                helm.major,
              );
        await helm.run(args, { timeoutMs: inp.timeoutMs + 60_000 });
        report.recovered = decision.message;
      });
      // retried once; a second concurrent failure is reported as such
      try {
        release = await attempt();
      } catch (again) {
        if (!(again instanceof Concurrent)) throw again;
        throw new GateError(
          `Release ${inp.release} was recovered but another deploy took it again before this one could run. Nothing more was changed by this run.`,
        );
      }
    }

    report.status = release.status;
    report.revision = release.revision;
    report.chartVersion = release.chartVersion;
    report.chartName = release.chartName;
    report.url = ingressUrl(release.manifest, loadAll);
    report.durationMs = now() - started;
    outputs.set('revision', release.revision);
    outputs.set('status', release.status);
    outputs.set('url', report.url);
    outputs.set('chart-version', release.chartVersion);
    outputs.set('canary', plan?.deployed ? 'deployed' : 'none');
    outputs.set('stable-images', formatImages(deployImages));
    log.info(
      `Release ${release.name} revision ${release.revision} is ${release.status}${report.url ? `: ${report.url}` : ''}`,
    );
    renderSummary(summary, report);
  } finally {
    rmSync(work, { recursive: true, force: true });
    removeKubeconfigFile(kubeconfigPath, runnerTemp);
    // the summary is written even when the action fails
    if (!report.rendered) renderSummary(summary, report);
  }
}

/** helm lost a race with another operation on the release: nothing was applied by this run. */
class Concurrent extends Error {
  override readonly cause: ToolError;
  constructor(cause: ToolError) {
    super(cause.message);
    this.cause = cause;
  }
}

interface FailureCtx {
  helm: Helm;
  inp: Readonly<DeployInputs>;
  report: DeployReport;
  snapshot: Diagnostics | undefined;
  collect: () => Promise<Diagnostics>;
  started: number;
  now: () => number;
  installedPath: string;
  env: Record<string, string>;
}

async function onUpgradeFailure(ctx: ActionContext, err: ToolError, f: FailureCtx): Promise<never> {
  const { log, outputs, secrets } = ctx;
  const { inp, report } = f;
  report.durationMs = f.now() - f.started;
  // the state the release is left in: a fresh runner, because a cancelled one starts nothing new
  const probe = new CommandRunner({ log, secrets, env: f.env, killGraceMs: 2_000 });
  const after = await new Helm(f.installedPath, f.helm.version, probe, f.env)
    .run(Helm.statusArgs(inp.release, inp.namespace), { timeoutMs: 5_000 })
    .then((r) => Helm.parseRelease(r.stdout))
    .catch((e: unknown) => (e instanceof ToolError && Helm.isReleaseNotFound(e.details.stderrTail) ? null : undefined));
  // null: the release no longer exists (a failed first install, uninstalled by the rollback)
  report.status = after === null ? 'uninstalled' : (after?.status ?? 'unknown');
  report.revision = after?.revision;
  outputs.set('status', report.status);
  if (after) outputs.set('revision', after.revision);

  if (err.details.cancelled) {
    const state = after
      ? `${after.status} (revision ${after.revision})`
      : after === null
        ? 'uninstalled (a cancelled first install)'
        : 'unknown (helm status did not answer)';
    const next =
      after && Helm.isPending(after.status)
        ? ` The next deploy recovers it once it is older than stuck-after, or run: helm rollback ${inp.release} --namespace ${inp.namespace}`
        : '';
    report.failure = `cancelled; the release is ${state}`;
    renderSummary(ctx.summary, report);
    throw new GateError(`The deploy was cancelled while helm was running; release ${inp.release} is ${state}.${next}`);
  }

  const cause = describeCause(err);
  // The namespace as it is now, if it still shows a pod that is not ready (a failed hook Job, a release
  // that was not rolled back): it is newer than any snapshot. A rollback deletes the failing pods: then
  // the last snapshot taken while helm waited is the evidence.
  const fresh = await f.collect().catch(() => undefined);
  const diagnostics = fresh && fresh.pods.length > 0 ? fresh : (f.snapshot ?? fresh);
  await log.group(`Diagnostics: why ${inp.release} did not become ready`, async () => {
    if (diagnostics) log.info(renderDiagnostics(diagnostics));
    else log.info('No diagnostics could be collected.');
  });
  if (diagnostics) {
    outputs.set('diagnostics', {
      culprit: diagnostics.culprit,
      namespace: diagnostics.namespace,
      pods: diagnostics.pods,
      events: diagnostics.events,
      errors: diagnostics.errors,
    });
  }
  report.diagnostics = diagnostics;
  const rolled = !inp.rollbackOnFailure
    ? ''
    : after
      ? ` Rolled back: the release is ${after.status} at revision ${after.revision}.`
      : after === null
        ? ' The failed first install was uninstalled.'
        : ' Rolled back.';
  report.failure = diagnostics ? `${cause}: ${diagnostics.culprit}` : cause;
  renderSummary(ctx.summary, report);
  log.error(`Culprit: ${diagnostics?.culprit ?? 'unknown'}`);
  throw new ToolError(
    `helm upgrade of ${inp.release} failed: ${cause}.${diagnostics ? ` Culprit: ${diagnostics.culprit}.` : ''}${rolled}`,
    err.details,
  );
}

async function dryRun(
  ctx: ActionContext,
  helm: Helm,
  o: Parameters<typeof Helm.upgradeArgs>[0],
  report: DeployReport,
  loadAll: LoadAll,
): Promise<void> {
  const { log, outputs } = ctx;
  const current = await helm.status(o.release, o.namespace);
  const res = await log.group(
    `helm upgrade --install ${o.release} ${Helm.dryRunFlag(helm.version)} (nothing is changed)`,
    () => helm.run(Helm.upgradeArgs({ ...o, dryRun: true }, helm.version), { timeoutMs: 5 * 60_000 }),
  );
  const next = Helm.parseRelease(res.stdout);
  const before = current
    ? (await helm.run(Helm.getManifestArgs(o.release, o.namespace), { timeoutMs: 60_000 })).stdout
    : '';
  const diff = diffManifests(before, next.manifest, loadAll);
  await log.group(
    `Diff: ${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged} unchanged`,
    async () => {
      log.info(diff.text || 'no change');
    },
  );
  report.status = 'dry-run';
  report.revision = next.revision;
  report.chartVersion = next.chartVersion;
  report.chartName = next.chartName;
  report.url = ingressUrl(next.manifest, loadAll);
  report.diff = diff;
  outputs.set('status', 'dry-run');
  outputs.set('revision', next.revision);
  outputs.set('url', report.url);
  outputs.set('chart-version', next.chartVersion);
  renderSummary(ctx.summary, report);
}
