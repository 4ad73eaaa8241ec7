import {
  DNS1123_LABEL_RE,
  githubContext,
  HOST_PATTERN_RE,
  InputError,
  type ActionContext,
} from '@polyglot-cd/action-kit';
import type { DeployRun } from '@polyglot-cd/kube/deploy-order';
import { workflowPath } from '@polyglot-cd/kube/workflow-path';
import { readGithubOidcInputs, type GithubOidcInputs } from '@polyglot-cd/kube/github-oidc';
import { isSystemNamespace, parsePrNumber, prNamespace } from '@polyglot-cd/kube/ownership';
import { manifest } from '@polyglot-cd/tools/manifest';
import { DOCKER_HUB_HOST, REGISTRY_HOST_RE, sharedRegistryHost, type PullSecretInputs } from './registry-host.js';
import { COMPONENT_RE, parseImages, prHost, type ImageRef } from './values.js';
import { parseChecks, type HttpCheck } from './verification.js';

export interface DeployInputs {
  mode: 'deploy';
  release: string;
  /** '' = the bundled charts/app */
  chart: string;
  chartVersion: string;
  namespace: string;
  /** set when deploying a pull request */
  pr: number | undefined;
  /** pr-<N>.<domain> for PRs with a domain, else '' */
  ingressHost: string;
  createNamespace: boolean;
  /** Pod Security level: the enforce label of namespaces this action creates, and the chart's security.podSecurity */
  podSecurity: 'restricted' | 'baseline' | 'privileged';
  /** a ClusterRole this identity binds itself to inside a namespace it creates ('' = none) */
  namespaceRole: string;
  namespaceTtlMs: number;
  terminatingTimeoutMs: number;
  valuesFiles: readonly string[];
  /** the `values` input, still YAML text (parsed, as a mapping, in main before any side effect) */
  valuesYaml: string;
  images: readonly ImageRef[];
  /** kubeconfig content ('' with in-cluster) — registered as a secret at read */
  kubeconfig: string;
  inCluster: boolean;
  /** keyless access with the job's GitHub OIDC token (cluster-oidc-audience, cluster-server, cluster-ca) */
  githubOidc: GithubOidcInputs | undefined;
  /** run-number: refuse a run older than the newest its workflow deployed to this release; off */
  ordering: 'run-number' | 'off';
  /** this run, for the order check (undefined outside GitHub Actions: no GITHUB_RUN_NUMBER) */
  orderRun: DeployRun | undefined;
  allowExecAuth: boolean;
  helmVersion: string;
  toolsBaseUrl: string;
  timeoutMs: number;
  historyMax: number;
  rollbackOnFailure: boolean;
  stuckAfterMs: number;
  dryRun: boolean;
  logLines: number;
  /** with canaryWeight > 0: the component whose new image runs as a canary beside the stable track */
  canaryComponent: string;
  /** 0 = no canary */
  canaryWeight: number;
  /** verify every image's cosign signature before anything is created; undefined = off */
  verify: SignatureVerification | undefined;
  /** HTTP checks through the API server's service proxy after the upgrade (empty: none) */
  checks: readonly HttpCheck[];
  /** how long each check is retried until it passes; with helmTest, helm test's --timeout too */
  checksTimeoutMs: number;
  /** run `helm test` after the upgrade and the HTTP checks */
  helmTest: boolean;
  /** registry-username, registry-password, pull-secret-registry: the image pull secret; undefined = none */
  pullSecret: PullSecretInputs | undefined;
}

/**
 * mode: read: only what reaching the cluster and the release takes. Nothing is created or changed:
 * helm status and helm get values of the release's current revision.
 */
export interface ReadInputs extends Pick<
  DeployInputs,
  | 'release'
  | 'namespace'
  | 'pr'
  | 'kubeconfig'
  | 'inCluster'
  | 'githubOidc'
  | 'allowExecAuth'
  | 'helmVersion'
  | 'toolsBaseUrl'
> {
  mode: 'read';
  /** allow-missing: a release that does not exist reads as status missing, no images, no hash (else an error) */
  allowMissing: boolean;
}

export type HelmDeployInputs = DeployInputs | ReadInputs;

/**
 * The inputs only a deploy uses, with their defaults in helm-deploy/action.yml (the runner passes a
 * default as if it were given): with mode: read, any other value is refused. chart and chart-version
 * are checked but not used (a read takes the release as it is deployed).
 */
export const DEPLOY_ONLY_INPUTS: Readonly<Record<string, string>> = Object.freeze({
  domain: '',
  'create-namespace': 'true',
  'pod-security': 'restricted',
  'namespace-role': '',
  'namespace-ttl': '168h',
  'terminating-timeout': '2m',
  'values-files': '',
  values: '',
  images: '',
  'registry-username': '',
  'registry-password': '',
  'pull-secret-registry': '',
  ordering: 'run-number',
  timeout: '5m',
  'history-max': '10',
  'rollback-on-failure': 'true',
  'stuck-after': '15m',
  'dry-run': 'false',
  'log-lines': '20',
  'canary-weight': '0',
  'canary-component': '',
  checks: '',
  'checks-timeout': '2m',
  'helm-test': 'false',
  'verify-signatures': 'false',
  'verify-key': '',
  'certificate-identity': '',
  'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com',
  'verify-tlog': 'true',
  'insecure-registries': '',
  'cosign-version': '',
});

/** Inputs whose value is never quoted in an error: a secret, and a key (its text says nothing). */
const SECRET_INPUTS = new Set(['registry-password']);
const KEY_INPUTS = new Set(['verify-key']);

export interface SignatureVerification {
  /** key mode: the public key (PEM) */
  publicKey?: string;
  /** keyless: the exact certificate identity (the signing workflow's job_workflow_ref URL) and issuer */
  certificateIdentity?: string;
  certificateOidcIssuer?: string;
  /** require the transparency log (false only for signatures made without one, e.g. air-gapped) */
  tlog: boolean;
  /** registries reached over plain http or with an untrusted certificate */
  insecureRegistries: readonly string[];
  cosignVersion: string;
}

/** Release names: DNS-1123 label, at most 53 characters (Helm's own limit). */
export const RELEASE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const CREDENTIAL_KEYS =
  /^\s*-?\s*["']?(token|client-key-data|client-certificate-data|password|id-token|access-token|refresh-token|client-secret)["']?\s*:\s*(.+?)\s*$/;

/** Credential-looking values of a kubeconfig text, found line by line (before it is parsed). */
export function kubeconfigCredentials(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = CREDENTIAL_KEYS.exec(line);
    if (m) out.push((m[2] as string).replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}

type Inputs = ActionContext['inputs'];

function readRelease(inputs: Inputs): string {
  const release = inputs.required('release', { hint: 'Name the Helm release, e.g. release: shop.' });
  if (release.length > 53 || !RELEASE_RE.test(release)) {
    inputs.fail(
      'release',
      release,
      'expected a Helm release name: lower-case letters, digits and -, starting and ending with a letter or digit, at most 53 characters',
    );
  }
  return release;
}

/** The namespace to deploy to: pr-<N> for a pull request, else the namespace input. */
function readNamespace(inputs: Inputs): { namespace: string; pr: number | undefined } {
  const prText = inputs.optional('pr-number');
  const nsText = inputs.optional('namespace');
  if (prText !== '' && nsText !== '') {
    inputs.fail('namespace', nsText, 'set either namespace or pr-number, not both (pr-number deploys to pr-<N>)');
  }
  if (prText !== '') {
    const pr = parsePrNumber(prText);
    if (pr === undefined)
      inputs.fail(
        'pr-number',
        prText,
        'expected a pull request number: digits only, 1 to 999999999, no leading zero (^[1-9][0-9]{0,8}$)',
      );
    return { namespace: prNamespace(pr as number), pr };
  }
  if (nsText === '')
    return inputs.fail('namespace', '', 'set namespace (e.g. shop-staging) or pr-number (deploys to pr-<N>)');
  if (nsText.length > 63 || !DNS1123_LABEL_RE.test(nsText)) {
    inputs.fail(
      'namespace',
      nsText,
      'expected a Kubernetes namespace name: lower-case letters, digits and -, at most 63 characters',
    );
  }
  if (isSystemNamespace(nsText))
    inputs.fail('namespace', nsText, 'default and kube-* namespaces are never deployed to');
  return { namespace: nsText, pr: undefined };
}

/** pr-<N>.<domain> for a pull request with a domain, else ''. */
function readIngressHost(inputs: Inputs, namespace: string, pr: number | undefined): string {
  const domain = inputs.optional('domain').toLowerCase();
  if (domain !== '' && (domain.startsWith('*.') || !HOST_PATTERN_RE.test(domain))) {
    inputs.fail(
      'domain',
      domain,
      'expected a DNS domain such as preview.example.com (no scheme, port, path or wildcard)',
    );
  }
  if (domain !== '' && pr === undefined)
    inputs.fail('domain', domain, 'domain is only used with pr-number (the host becomes pr-<N>.<domain>)');
  const ingressHost = pr !== undefined && domain !== '' ? prHost(namespace, domain) : '';
  if (ingressHost.length > 253) inputs.fail('domain', domain, 'pr-<N>.<domain> must be at most 253 characters');
  return ingressHost;
}

/** The chart, its version, the values files and the values input (still YAML text). */
function readChart(
  inputs: Inputs,
): Pick<DeployInputs, 'chart' | 'chartVersion' | 'valuesFiles' | 'valuesYaml'> & { valuesFiles: string[] } {
  const chart = inputs.optional('chart');
  if (chart.startsWith('-') || /[\0\r\n]/.test(chart)) {
    inputs.fail('chart', chart, 'expected a chart path, repo/chart or oci:// reference (it may not start with -)');
  }
  const chartVersion = inputs.optional('chart-version');
  if (chartVersion !== '' && !/^[vV]?[0-9A-Za-z.+\-^~<>=*| ,]{1,64}$/.test(chartVersion)) {
    inputs.fail('chart-version', chartVersion, 'expected a chart version or SemVer constraint such as 1.4.2 or ^1.4');
  }
  if (chartVersion.startsWith('-')) inputs.fail('chart-version', chartVersion, 'a version may not start with -');
  const valuesFiles = inputs.list('values-files');
  for (const f of valuesFiles) {
    if (f.startsWith('-') || /[\0]/.test(f))
      inputs.fail('values-files', f, 'expected file paths (one per line); a path may not start with -');
  }
  return { chart, chartVersion, valuesFiles, valuesYaml: inputs.optional('values') };
}

function readImages(inputs: Inputs): ImageRef[] {
  const images = parseImages(inputs.optional('images'));
  if (!Array.isArray(images)) return inputs.fail('images', images.value, images.reason);
  return images;
}

/** Cluster access: the kubeconfig input, in-cluster, or keyless; and the deploy order policy. */
function readAccess(ctx: ActionContext): Pick<DeployInputs, 'kubeconfig' | 'inCluster' | 'githubOidc' | 'ordering'> {
  const { inputs } = ctx;
  const inCluster = inputs.bool('in-cluster', false);
  // Not masked as a whole: the runner masks line by line, which would blank every `apiVersion: v1` in
  // the logs. Its credential values are masked right here, and again exactly once it is parsed.
  const kubeconfig = inputs.optional('kubeconfig');
  for (const v of kubeconfigCredentials(kubeconfig)) ctx.secrets.add(v);
  if (inCluster && kubeconfig !== '') {
    inputs.fail('kubeconfig', kubeconfig, 'set either kubeconfig or in-cluster: true, not both', { secret: true });
  }
  const ordering = inputs.oneOf('ordering', ['run-number', 'off'] as const, 'run-number');
  const githubOidc = readGithubOidcInputs(inputs, { kubeconfig: kubeconfig !== '', inCluster });
  if (!inCluster && !githubOidc && kubeconfig === '') {
    inputs.fail(
      'kubeconfig',
      '',
      "required: pass the kubeconfig content from an environment secret (kubeconfig: ${{ secrets.KUBECONFIG }}), set cluster-oidc-audience and cluster-server for keyless access with the job's GitHub OIDC token, or set in-cluster: true on a self-hosted runner pod; ~/.kube/config is never used",
    );
  }
  return { kubeconfig, inCluster, githubOidc, ordering };
}

/** The pinned helm version, and the mirror it is downloaded from. */
function readHelm(inputs: Inputs): Pick<DeployInputs, 'helmVersion' | 'toolsBaseUrl'> {
  const pinned = Object.keys(manifest.tools['helm']?.versions ?? {});
  const helmVersion = inputs.matching(
    'helm-version',
    /^v?\d+\.\d+\.\d+$/,
    `expected an exact pinned version (${pinned.join(', ')})`,
    { default: manifest.tools['helm']?.defaultVersion ?? '' },
  );
  if (!pinned.includes(helmVersion.replace(/^v/, ''))) {
    inputs.fail(
      'helm-version',
      helmVersion,
      `only versions with a recorded SHA-256 can be installed: ${pinned.join(', ')}`,
    );
  }
  const toolsBaseUrl = inputs.optional('tools-base-url');
  if (toolsBaseUrl !== '' && !/^https?:\/\/[^\s]+$/.test(toolsBaseUrl))
    inputs.fail('tools-base-url', toolsBaseUrl, 'expected an http(s):// URL of a mirror of https://get.helm.sh');
  return { helmVersion: helmVersion.replace(/^v/, ''), toolsBaseUrl };
}

/** canary-weight and canary-component, checked against the images. */
function readCanary(
  inputs: Inputs,
  images: readonly ImageRef[],
): Pick<DeployInputs, 'canaryComponent' | 'canaryWeight'> {
  const canaryWeight = inputs.int('canary-weight', { default: 0, min: 0, max: 100 });
  const canaryComponent = inputs.optional('canary-component');
  if (canaryComponent !== '' && !COMPONENT_RE.test(canaryComponent)) {
    inputs.fail(
      'canary-component',
      canaryComponent,
      'expected a component name of charts/app (a DNS label of at most 23 characters, e.g. backend)',
    );
  }
  if (canaryWeight === 0) {
    if (canaryComponent !== '')
      inputs.fail(
        'canary-component',
        canaryComponent,
        'is only used with canary-weight 1-100 (percent of its requests sent to the canary)',
      );
    return { canaryComponent, canaryWeight };
  }
  if (canaryComponent === '')
    inputs.fail(
      'canary-component',
      '',
      `required with canary-weight ${canaryWeight}: name the component whose new image runs as the canary`,
    );
  if (!images.some((i) => i.component === canaryComponent)) {
    inputs.fail(
      'canary-component',
      canaryComponent,
      `must be one of the components in images (${images.map((i) => i.component).join(', ') || 'images is empty'}): the canary runs that component's new digest`,
    );
  }
  return { canaryComponent, canaryWeight };
}

const READ_TAKES =
  'mode: read only reads the release as it is deployed, and takes release, namespace or pr-number, allow-missing, the cluster access (kubeconfig, in-cluster, cluster-oidc-audience, cluster-server, cluster-ca, allow-exec-auth), helm-version, tools-base-url, chart and chart-version';

/** mode: read refuses every input only a deploy uses, all of them named in one error. */
function refuseDeployOnly(inputs: Inputs): void {
  const given: { name: string; value: string; secret: boolean }[] = [];
  for (const [name, def] of Object.entries(DEPLOY_ONLY_INPUTS)) {
    const secret = SECRET_INPUTS.has(name);
    const value = inputs.optional(name, '', { secret });
    if (value === '' || value.toLowerCase() === def.toLowerCase()) continue;
    given.push({ name, value: KEY_INPUTS.has(name) ? '(a key)' : value, secret });
  }
  const [first, ...more] = given;
  if (!first) return;
  const allowed = `only used with mode: deploy (${READ_TAKES})`;
  if (more.length === 0) inputs.fail(first.name, first.value, allowed, { secret: first.secret });
  const shown = given.map((g) => `"${g.name}" (${g.secret ? 'secret value not shown' : JSON.stringify(g.value)})`);
  throw new InputError(`Inputs ${shown.join(', ')} are ${allowed}`, first.name);
}

/** mode: read: the release, where it is, how to reach it and which helm asks. */
function getReadInputs(ctx: ActionContext): Readonly<ReadInputs> {
  const { inputs } = ctx;
  const release = readRelease(inputs);
  const { namespace, pr } = readNamespace(inputs);
  readChart(inputs);
  refuseDeployOnly(inputs);
  const { kubeconfig, inCluster, githubOidc } = readAccess(ctx);
  return Object.freeze({
    mode: 'read',
    release,
    namespace,
    pr,
    kubeconfig,
    inCluster,
    githubOidc,
    allowExecAuth: inputs.bool('allow-exec-auth', false),
    allowMissing: inputs.bool('allow-missing', false),
    ...readHelm(inputs),
  });
}

/** Reads and validates every input before any side effect. The kubeconfig is masked at read. */
export function getInputs(ctx: ActionContext): Readonly<HelmDeployInputs> {
  const mode = ctx.inputs.oneOf('mode', ['deploy', 'read'] as const, 'deploy');
  return mode === 'read' ? getReadInputs(ctx) : getDeployInputs(ctx);
}

function getDeployInputs(ctx: ActionContext): Readonly<DeployInputs> {
  const { inputs } = ctx;
  if (inputs.bool('allow-missing', false))
    inputs.fail('allow-missing', 'true', 'only used with mode: read (a deploy installs a release that does not exist)');
  const release = readRelease(inputs);
  const { namespace, pr } = readNamespace(inputs);
  const ingressHost = readIngressHost(inputs, namespace, pr);
  const chart = readChart(inputs);
  const images = readImages(inputs);
  const access = readAccess(ctx);
  const helm = readHelm(inputs);
  const canary = readCanary(inputs, images);
  return Object.freeze({
    mode: 'deploy',
    release,
    ...chart,
    valuesFiles: Object.freeze(chart.valuesFiles),
    namespace,
    pr,
    ingressHost,
    createNamespace: inputs.bool('create-namespace', true),
    podSecurity: inputs.oneOf('pod-security', ['restricted', 'baseline', 'privileged'] as const, 'restricted'),
    namespaceRole: inputs.matching(
      'namespace-role',
      /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/,
      'expected a ClusterRole name such as polyglot-cd-preview-namespace',
    ),
    namespaceTtlMs: inputs.duration('namespace-ttl', { default: '168h', min: '1h', max: '8760h' }),
    terminatingTimeoutMs: inputs.duration('terminating-timeout', { default: '2m', min: '0s', max: '30m' }),
    images: Object.freeze(images),
    ...access,
    orderRun: access.ordering === 'run-number' ? orderRun(ctx) : undefined,
    allowExecAuth: inputs.bool('allow-exec-auth', false),
    ...helm,
    timeoutMs: inputs.duration('timeout', { default: '5m', min: '10s', max: '2h' }),
    historyMax: inputs.int('history-max', { default: 10, min: 0, max: 1000 }),
    rollbackOnFailure: inputs.bool('rollback-on-failure', true),
    stuckAfterMs: inputs.duration('stuck-after', { default: '15m', min: '0s', max: '24h' }),
    dryRun: inputs.bool('dry-run', false),
    logLines: inputs.int('log-lines', { default: 20, min: 0, max: 500 }),
    ...canary,
    verify: signatureVerification(inputs),
    ...readChecks(inputs),
    pullSecret: readPullSecret(inputs, images),
  });
}

/** The image pull secret's registry and credentials; the password is masked as soon as it is read. */
function readPullSecret(inputs: Inputs, images: readonly ImageRef[]): PullSecretInputs | undefined {
  const username = inputs.optional('registry-username');
  const password = inputs.optional('registry-password', '', { secret: true });
  const registryText = inputs.optional('pull-secret-registry').toLowerCase();
  if (username === '' && password === '') {
    if (registryText !== '')
      inputs.fail('pull-secret-registry', registryText, 'only used with registry-username and registry-password');
    return undefined;
  }
  if (password === '') inputs.fail('registry-password', '', 'required with registry-username', { secret: true });
  if (username === '') inputs.fail('registry-username', '', 'required with registry-password');
  if (/[:\s\p{Cc}]/u.test(username)) {
    inputs.fail('registry-username', username, 'expected a user name without spaces, control characters or :');
  }
  if (/[\0\r\n]/.test(password))
    inputs.fail('registry-password', password, 'may not contain a line break or NUL', { secret: true });
  if (registryText !== '') {
    if (!REGISTRY_HOST_RE.test(registryText))
      inputs.fail('pull-secret-registry', registryText, 'expected a registry host[:port] such as registry.local:5000');
    return { registry: registryText === 'docker.io' ? DOCKER_HUB_HOST : registryText, username, password };
  }
  const shared = sharedRegistryHost(images);
  if ('problem' in shared) return inputs.fail('pull-secret-registry', '', shared.problem);
  return { registry: shared.host, username, password };
}

/** checks (one per line, each regex compiled here), checks-timeout and helm-test. */
function readChecks(inputs: Inputs): Pick<DeployInputs, 'checks' | 'checksTimeoutMs' | 'helmTest'> {
  const checks = parseChecks(inputs.optional('checks'));
  if (!Array.isArray(checks)) return inputs.fail('checks', checks.value, checks.reason);
  const checksTimeoutMs = inputs.duration('checks-timeout', { default: '2m', min: '1s', max: '30m' });
  return { checks: Object.freeze(checks), checksTimeoutMs, helmTest: inputs.bool('helm-test', false) };
}

const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

function signatureVerification(inputs: Inputs): SignatureVerification | undefined {
  const on = inputs.bool('verify-signatures', false);
  const publicKey = inputs.optional('verify-key');
  const certificateIdentity = inputs.optional('certificate-identity');
  const issuerRaw = inputs.optional('certificate-oidc-issuer');
  const insecureRegistries = inputs.list('insecure-registries');
  for (const r of insecureRegistries) {
    if (!/^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/.test(r))
      inputs.fail('insecure-registries', r, 'expected registry hosts such as registry.local:5000, one per line');
  }
  if (!on) {
    for (const [name, v] of [
      ['verify-key', publicKey],
      ['certificate-identity', certificateIdentity],
    ] as const) {
      if (v !== '') inputs.fail(name, name === 'verify-key' ? '(a key)' : v, 'only used with verify-signatures: true');
    }
    return undefined;
  }
  if (publicKey === '' && certificateIdentity === '') {
    inputs.fail(
      'verify-signatures',
      'true',
      'needs verify-key (a cosign public key, PEM) or certificate-identity (the signing workflow, e.g. https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main)',
    );
  }
  if (publicKey !== '' && certificateIdentity !== '')
    inputs.fail(
      'certificate-identity',
      certificateIdentity,
      'give either verify-key or certificate-identity, not both',
    );
  if (
    publicKey !== '' &&
    !/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/.test(publicKey.trim() + '\n')
  ) {
    inputs.fail(
      'verify-key',
      '(the value)',
      'expected a PEM public key (-----BEGIN PUBLIC KEY----- …), as cosign generate-key-pair writes to cosign.pub',
    );
  }
  if (certificateIdentity !== '' && !/^https:\/\/\S+@\S+$/.test(certificateIdentity)) {
    inputs.fail(
      'certificate-identity',
      certificateIdentity,
      'expected the exact signing workflow identity, https://github.com/<owner>/<repo>/.github/workflows/<file>@<ref>',
    );
  }
  const version = inputs.optional('cosign-version', manifest.tools['cosign']?.defaultVersion ?? '');
  if (!/^v?\d+\.\d+\.\d+$/.test(version))
    inputs.fail('cosign-version', version, 'expected an exact cosign version such as 3.1.3');
  return {
    ...(publicKey !== '' ? { publicKey } : {}),
    ...(certificateIdentity !== ''
      ? { certificateIdentity, certificateOidcIssuer: issuerRaw || GITHUB_OIDC_ISSUER }
      : {}),
    tlog: inputs.bool('verify-tlog', true),
    insecureRegistries: Object.freeze(insecureRegistries),
    cosignVersion: version.replace(/^v/, ''),
  };
}

/** This run as the deploy order sees it; undefined outside GitHub Actions (no GITHUB_RUN_NUMBER). */
function orderRun(ctx: ActionContext): DeployRun | undefined {
  const raw = ctx.env['GITHUB_RUN_NUMBER'] ?? '';
  if (raw === '') return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) {
    throw new InputError(
      `GITHUB_RUN_NUMBER is ${JSON.stringify(raw)}, not a run number: the deploy order cannot be checked (set ordering: off to deploy without it)`,
      'ordering',
    );
  }
  const gh = githubContext(ctx.env);
  return {
    workflow: workflowPath(ctx.env['GITHUB_WORKFLOW_REF'] || `${gh.repository}/${gh.workflow}`),
    runNumber: Number(raw),
    runId: gh.runId,
    sha: gh.sha,
  };
}
