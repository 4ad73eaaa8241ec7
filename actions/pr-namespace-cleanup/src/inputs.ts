import { githubContext, InputError, parseHttpUrl, type ActionContext } from '@polyglot-cd/action-kit';
import { readGithubOidcInputs, type GithubOidcInputs } from '@polyglot-cd/kube/github-oidc';
import { parsePrNumber, protectedEntryProblem, REPOSITORY_ID_RE } from '@polyglot-cd/kube/ownership';

export const MODES = ['pr', 'gc'] as const;
export type Mode = (typeof MODES)[number];

export interface CleanupInputs {
  mode: Mode;
  /** pr mode only */
  pr: number | undefined;
  /** kubeconfig content (masked credentials); '' when inCluster */
  kubeconfig: string;
  inCluster: boolean;
  /** keyless access with the job's GitHub OIDC token (cluster-oidc-audience, cluster-server, cluster-ca) */
  githubOidc: GithubOidcInputs | undefined;
  allowExecAuth: boolean;
  context: string;
  protectedNames: readonly string[];
  /** gc: delete namespaces older than this even if their PR is open (0 = off) */
  maxAgeMs: number;
  waitTimeoutMs: number;
  dryRun: boolean;
  concurrency: number;
  pageSize: number;
  uninstallReleases: boolean;
  /** a ClusterRole to bind this identity to inside each pr-<N> before its releases are uninstalled */
  namespaceRole: string;
  helmVersion: string;
  githubToken: string;
  githubApiUrl: URL;
  repository: { owner: string; repo: string; full: string };
  repositoryId: string;
}

type Reader = ActionContext['inputs'];

/** pr-number: required in mode pr, refused in mode gc. */
function readPr(inputs: Reader, mode: Mode): number | undefined {
  const rawPr = inputs.optional('pr-number');
  if (mode === 'pr') {
    if (rawPr === '') {
      inputs.required('pr-number', {
        hint: 'In mode pr, pass the closed PR, e.g. pr-number: ${{ github.event.pull_request.number }}.',
      });
    }
    return (
      parsePrNumber(rawPr) ??
      inputs.fail(
        'pr-number',
        rawPr,
        'expected a PR number: digits only, 1 to 999999999, no sign, spaces or leading zero',
      )
    );
  }
  if (rawPr !== '')
    inputs.fail('pr-number', rawPr, 'pr-number is only used in mode pr; mode gc finds the namespaces by their labels');
  return undefined;
}

/** One way to reach the cluster: kubeconfig, in-cluster, or keyless with the job's OIDC token. */
function readAccess(
  inputs: Reader,
): Pick<CleanupInputs, 'kubeconfig' | 'inCluster' | 'githubOidc' | 'allowExecAuth' | 'context'> {
  const kubeconfig = inputs.optional('kubeconfig');
  const inCluster = inputs.bool('in-cluster', false);
  if (kubeconfig !== '' && inCluster) {
    inputs.fail('in-cluster', 'true', 'give either kubeconfig or in-cluster: true, not both');
  }
  const githubOidc = readGithubOidcInputs(inputs, { kubeconfig: kubeconfig !== '', inCluster });
  if (kubeconfig === '' && !inCluster && !githubOidc) {
    inputs.required('kubeconfig', {
      hint: "Pass the cluster credentials from an environment secret (kubeconfig: ${{ secrets.KUBECONFIG }}), set cluster-oidc-audience and cluster-server for keyless access with the job's GitHub OIDC token, or set in-cluster: true on a runner pod.",
    });
  }
  const allowExecAuth = inputs.bool('allow-exec-auth', false);
  const context = inputs.matching(
    'context',
    /^[A-Za-z0-9][A-Za-z0-9_.@:/-]{0,252}$/,
    'expected a kubeconfig context name',
  );
  return { kubeconfig, inCluster, githubOidc, allowExecAuth, context };
}

function readPolicy(inputs: Reader, mode: Mode): { protectedNames: string[]; maxAgeMs: number } {
  const protectedNames = inputs.list('protected');
  for (const entry of protectedNames) {
    const problem = protectedEntryProblem(entry);
    if (problem) inputs.fail('protected', entry, problem);
  }
  const rawMaxAge = inputs.optional('max-age');
  let maxAgeMs = 0;
  if (rawMaxAge !== '') {
    if (mode !== 'gc') inputs.fail('max-age', rawMaxAge, 'max-age is only used in mode gc');
    maxAgeMs = inputs.duration('max-age', { default: '0s', min: '1h', max: '8760h' });
  }
  return { protectedNames, maxAgeMs };
}

/** gc asks GitHub which PRs are closed; pr mode needs no token. */
function readGithubToken(inputs: Reader, mode: Mode): string {
  const githubToken = inputs.optional('github-token', '', { secret: true });
  if (mode === 'gc' && githubToken === '') {
    inputs.required('github-token', {
      secret: true,
      hint: 'Mode gc checks PR states through the GitHub API: github-token: ${{ github.token }} (pull-requests: read).',
    });
  }
  return githubToken;
}

/** The runner variables the run depends on: the repository, its id (ownership proof), the API URL. */
function readRunner(env: ActionContext['env']): Pick<CleanupInputs, 'githubApiUrl' | 'repository' | 'repositoryId'> {
  const gh = githubContext(env);
  const [owner, repo, extra] = gh.repository.split('/');
  if (!owner || !repo || extra !== undefined) {
    throw new InputError(
      `GITHUB_REPOSITORY is ${JSON.stringify(gh.repository)}: run this action in a GitHub Actions job`,
    );
  }
  if (!REPOSITORY_ID_RE.test(gh.repositoryId)) {
    // namespaces are proven ours by this id: without it nothing may be deleted
    throw new InputError(
      `GITHUB_REPOSITORY_ID is ${JSON.stringify(gh.repositoryId)}: run this action in a GitHub Actions job (the id proves which namespaces are this repository's)`,
    );
  }
  const apiUrl = parseHttpUrl(env['GITHUB_API_URL'] || 'https://api.github.com');
  if (!apiUrl) throw new InputError(`GITHUB_API_URL is not an http(s) URL: ${JSON.stringify(env['GITHUB_API_URL'])}`);
  return { githubApiUrl: apiUrl, repository: { owner, repo, full: gh.repository }, repositoryId: gh.repositoryId };
}

/** Reads and validates every input (and the runner variables they depend on) before any side effect. */
export function getInputs(ctx: ActionContext): Readonly<CleanupInputs> {
  const { inputs, env } = ctx;
  inputs.required('mode', { hint: 'Use mode: pr (on pull_request closed) or mode: gc (on a schedule).' });
  const mode = inputs.oneOf('mode', MODES, 'pr');
  const pr = readPr(inputs, mode);
  const access = readAccess(inputs);
  const policy = readPolicy(inputs, mode);
  const waitTimeoutMs = inputs.duration('wait-timeout', { default: '5m', min: '0s', max: '1h' });
  const dryRun = inputs.bool('dry-run', false);
  const concurrency = inputs.int('concurrency', { default: 8, min: 1, max: 32 });
  const pageSize = inputs.int('page-size', { default: 500, min: 1, max: 5000 });
  const uninstallReleases = inputs.bool('uninstall-releases', true);
  const helmVersion = inputs.matching(
    'helm-version',
    /^v?\d+\.\d+\.\d+$/,
    'expected an exact helm version such as 3.10.1 or 4.2.4',
  );
  const githubToken = readGithubToken(inputs, mode);
  const runner = readRunner(env);
  return Object.freeze({
    mode,
    pr,
    ...access,
    protectedNames: Object.freeze(policy.protectedNames),
    maxAgeMs: policy.maxAgeMs,
    waitTimeoutMs,
    dryRun,
    concurrency,
    pageSize,
    uninstallReleases,
    namespaceRole: inputs.matching(
      'namespace-role',
      /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/,
      'expected a ClusterRole name such as polyglot-cd-pr-cleanup-namespace',
    ),
    helmVersion: helmVersion.replace(/^v/, ''),
    githubToken,
    ...runner,
  });
}
