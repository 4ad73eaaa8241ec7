/**
 * The logic of the real .github/workflows/production.yml on the local workflow runner, our actions
 * answered by a recorder and GitHub's API by test/fakes/gh: the same digests go to staging, then
 * production, then the tenants; production deploys only the newest commit; a failed signature stops
 * every deploy.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { runWorkflow } from '../../../bin/lib/workflow-runner.ts';
import type { ActionResult, WorkflowResult } from '../../../bin/lib/workflow-runner.ts';

interface Call {
  action: string;
  inputs: Record<string, string>;
  job?: string;
}
type Result = WorkflowResult;

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const D = (c: string): string => `sha256:${c.repeat(64)}`;

interface ReleaseOptions {
  head?: string;
  failSign?: boolean;
  tenants?: string;
  canary?: { weight: number; component: string };
  /** environments whose reviewers reject the deployment */
  reject?: string[];
  /** what helm-deploy answers for canary (default: deployed when asked for one) */
  canaryOutput?: string;
  /** helm-deploy fails in this job */
  failDeployIn?: string;
  /** the head of the default branch once the promote job asks (default: as for production) */
  headAtPromote?: string;
  /** what the caller passes (default: each environment secret mapped to itself, which is empty outside its environment) */
  secrets?: Record<string, string>;
  /** extra workflow inputs */
  inputs?: Record<string, string>;
  /** the caller's environment secrets (default ENVIRONMENT_SECRETS) */
  environmentSecrets?: Record<string, Record<string, string>>;
  out?: (line: string) => void;
  /** what the staging release runs (helm-deploy mode read), default STAGING_IMAGES */
  stagingImages?: string;
  /** the migrations.hash the production release holds; undefined: no production release yet */
  appliedHash?: string;
  /** the caller's checkout (GITHUB_WORKSPACE) */
  workspace?: string;
}

const OWN_SHA = '0123456789abcdef0123456789abcdef01234567';
/** the caller's environments and their secrets: production credentials live only there */
const ENVIRONMENT_SECRETS = {
  staging: { STAGING_KUBECONFIG: 'staging-kc' },
  production: { PRODUCTION_KUBECONFIG: 'prod-kc' },
  'production-promote': { PRODUCTION_KUBECONFIG: 'prod-kc' },
  'production-migrations': { PRODUCTION_KUBECONFIG: 'prod-kc' },
  'production-rollback': { PRODUCTION_KUBECONFIG: 'prod-kc' },
};

async function release(opts: ReleaseOptions = {}): Promise<{ r: Result; calls: Call[]; gh: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-prod-'));
  symlinkSync(join(repoRoot, 'test', 'fakes', 'gh'), join(dir, 'gh'));
  const calls: Call[] = [];
  writeFileSync(join(dir, 'head'), `${opts.head ?? SHA}\n`);
  const r = await runWorkflow({
    file: join(repoRoot, '.github', 'workflows', 'production.yml'),
    inputs: {
      components: '[{"name":"backend","context":"backend"},{"name":"frontend","context":"frontend"}]',
      'image-prefix': 'ghcr.io/acme/shop-',
      'values-files': 'deploy/values.yaml',
      'production-values-files': 'charts/app/values-prod.yaml\ndeploy/values-prod.yaml',
      ...(opts.tenants ? { tenants: opts.tenants } : {}),
      ...(opts.canary
        ? { 'canary-weight': String(opts.canary.weight), 'canary-component': opts.canary.component }
        : {}),
      ...opts.inputs,
    },
    secrets: opts.secrets ?? {
      STAGING_KUBECONFIG: '',
      PRODUCTION_KUBECONFIG: '',
      'registry-password': 'reg-token',
      'teams-webhook-url': 'https://x.logic.azure.com/h?sig=s',
    },
    environmentSecrets: opts.environmentSecrets ?? ENVIRONMENT_SECRETS,
    workflowIdentity: { repository: 'org/polyglot-cd', sha: OWN_SHA, file_path: '.github/workflows/production.yml' },
    github: {
      event_name: 'push',
      repository: 'acme/shop',
      sha: SHA,
      actor: 'octocat',
      token: 'ghs_token',
      event: { repository: { name: 'shop', default_branch: 'main' } },
    },
    runDir: join(dir, 'run'),
    // the legs one after the other: the assertions below read the actions' calls in matrix order
    parallelism: 1,
    baseEnv: {
      PATH: `${dir}:${process.env['PATH']}`,
      FAKE_GH_HEAD_FILE: join(dir, 'head'),
      FAKE_GH_LOG: join(dir, 'gh.log'),
      ...(opts.workspace ? { GITHUB_WORKSPACE: opts.workspace } : {}),
    },
    out: opts.out ?? (() => undefined),
    approve: (environment: string) => !(opts.reject ?? []).includes(environment),
    runAction: async (action, o): Promise<ActionResult> => {
      calls.push({ action, inputs: o.inputs, job: o.env['GITHUB_JOB'] });
      if (opts.headAtPromote && o.env['GITHUB_JOB'] === 'production')
        writeFileSync(join(dir, 'head'), `${opts.headAtPromote}\n`);
      const c = (o.inputs['image'] ?? o.inputs['input'] ?? '').includes('backend') ? 'b' : 'f';
      if (action === 'build-push') {
        if (o.inputs['from-archive']) {
          const digest = o.inputs['expected-digest'] ?? '';
          return { code: 0, outputs: { image: `${o.inputs['image']}@${digest}`, digest }, summary: '' };
        }
        const archive = join(dir, `${o.inputs['image']?.split('/').pop() ?? 'x'}.oci.tar`);
        writeFileSync(archive, `archive ${c}`);
        return { code: 0, outputs: { archive, digest: D(c) }, summary: '' };
      }
      if (action === 'trivy-gate')
        return {
          code: 0,
          outputs: { passed: 'true', summary: '0 CRITICAL — passed', ...(o.inputs['input'] ? { digest: D(c) } : {}) },
          summary: '',
        };
      if (action === 'cosign-sign') {
        return opts.failSign && c === 'f'
          ? { code: 1, outputs: { signed: 'false', verified: 'false' }, summary: '' }
          : {
              code: 0,
              outputs: {
                signed: 'true',
                verified: 'true',
                'certificate-identity': IDENTITY,
                'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com',
              },
              summary: '',
            };
      }
      if (action === 'helm-deploy' && o.inputs['mode'] === 'read') {
        const staging = o.inputs['namespace'] === 'staging';
        const found = staging || opts.appliedHash !== undefined;
        return {
          code: 0,
          outputs: {
            status: found ? 'deployed' : 'missing',
            images: staging ? (opts.stagingImages ?? STAGING_IMAGES) : found ? IMAGES : '',
            'migrations-hash': staging ? '' : (opts.appliedHash ?? ''),
          },
          summary: '',
        };
      }
      if (action === 'helm-deploy') {
        if (opts.failDeployIn === o.env['GITHUB_JOB']) return { code: 1, outputs: {}, summary: '' };
        const canary = Number(o.inputs['canary-weight'] ?? '0') > 0 ? (opts.canaryOutput ?? 'deployed') : 'none';
        return {
          code: 0,
          outputs: { url: `https://${o.inputs['namespace']}.shop.example.com`, canary, 'stable-images': STABLE },
          summary: '',
        };
      }
      return { code: 0, outputs: { delivered: 'true' }, summary: '' };
    },
  });
  let gh: string[] = [];
  try {
    gh = readFileSync(join(dir, 'gh.log'), 'utf8').trim().split('\n');
  } catch {
    // gh never ran
  }
  return { r, calls, gh };
}

/** what cosign-sign reports for a keyless signature made by this reusable workflow */
const IDENTITY = 'https://github.com/org/polyglot-cd/.github/workflows/production.yml@refs/tags/v1';
const STABLE = `backend: ghcr.io/acme/shop-backend@${'sha256:' + '0'.repeat(64)}\nfrontend: ghcr.io/acme/shop-frontend@${'sha256:' + '1'.repeat(64)}`;
const STAGING_IMAGES = `backend: ghcr.io/acme/shop-backend@${'sha256:' + '5'.repeat(64)}\nfrontend: ghcr.io/acme/shop-frontend@${'sha256:' + '6'.repeat(64)}`;
const IMAGES = `backend: ghcr.io/acme/shop-backend@${D('b')}\nfrontend: ghcr.io/acme/shop-frontend@${D('f')}`;
const deploys = (calls: Call[]): [string, string, string, string][] =>
  calls
    .filter((c) => c.action === 'helm-deploy')
    .map((c) => [
      c.inputs['namespace'] ?? '',
      c.inputs['images'] ?? '',
      c.inputs['kubeconfig'] ?? '',
      c.inputs['values-files'] ?? '',
    ]);

describe('production.yml', () => {
  it('builds once, scans, signs and verifies each digest, then deploys the same digests to staging and production', async () => {
    const { r, calls, gh } = await release();
    expect(r.result).toBe('success');
    // secret scan; per component: build to an archive, scan it; push what was scanned; sign; deploy
    expect(calls.map((c) => c.action)).toEqual([
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'trivy-gate',
      'build-push',
      'build-push',
      'cosign-sign',
      'cosign-sign',
      'helm-deploy',
      'helm-deploy',
      'teams-notify',
    ]);
    // the layer cache next to each image, written by production only
    for (const b of calls.filter((c) => c.action === 'build-push' && c.inputs['push'] === 'false')) {
      const cache = `${b.inputs['image'] ?? ''}-cache`;
      expect([b.inputs['cache-from'], b.inputs['cache-to']]).toEqual([cache, cache]);
    }
    expect(calls.filter((c) => c.inputs['from-archive']).map((c) => c.inputs['expected-digest'])).toEqual([
      D('b'),
      D('f'),
    ]);
    expect(calls.filter((c) => c.action === 'cosign-sign').map((c) => c.inputs)).toEqual(
      ['backend', 'frontend'].map((name) => ({
        image: `ghcr.io/acme/shop-${name}@${D(name[0] ?? '')}`,
        mode: 'keyless',
        key: '',
        'key-password': '',
        'public-key': '',
        'tlog-upload': 'auto',
        verify: 'true',
        username: 'octocat',
        password: 'reg-token',
        'ca-file': '',
        'insecure-registries': '',
      })),
    );
    expect(deploys(calls)).toEqual([
      ['staging', IMAGES, 'staging-kc', 'deploy/values.yaml\n\n'],
      ['production', IMAGES, 'prod-kc', 'deploy/values.yaml\ncharts/app/values-prod.yaml\ndeploy/values-prod.yaml\n'],
    ]);
    expect(calls.filter((c) => c.action === 'helm-deploy').every((c) => c.inputs['create-namespace'] === 'false')).toBe(
      true,
    );
    // every deploy verifies the signatures against the identity the sign job used, before anything changes
    expect(
      calls
        .filter((c) => c.action === 'helm-deploy')
        .map((c) => [c.inputs['verify-signatures'], c.inputs['certificate-identity']]),
    ).toEqual([
      ['true', IDENTITY],
      ['true', IDENTITY],
    ]);
    expect(r.jobs.find((j) => j.id === 'production')?.environment?.name).toBe('production');
    expect(gh).toEqual(['api repos/acme/shop/commits/main --jq .sha']);
    expect(calls.at(-1)?.inputs).toMatchObject({
      status: 'success',
      environment: 'production',
      url: 'https://production.shop.example.com',
    });
  });

  it.each([['STAGING_KUBECONFIG'], ['PRODUCTION_KUBECONFIG']])(
    '%s readable without an environment (a repository secret): the run stops before anything is built',
    async (name) => {
      const lines: string[] = [];
      const { r, calls } = await release({
        secrets: { STAGING_KUBECONFIG: '', PRODUCTION_KUBECONFIG: '', [name]: 'repo-kc', 'teams-webhook-url': '' },
        out: (l) => lines.push(l),
      });
      expect(r.result).toBe('failure');
      expect(r.jobs.find((j) => j.id === 'own-commit')?.result).toBe('failure');
      expect(calls).toEqual([]);
      expect(lines.join('\n')).toContain(
        `::error::${name} is readable by a job that declares no environment: it is a repository or organization secret`,
      );
    },
  );

  it("the deploy jobs read the kubeconfig of their own environment; our actions come from the workflow's own commit", async () => {
    const { r } = await release();
    expect(r.jobs.find((j) => j.id === 'own-commit')?.outputs).toEqual({ repository: 'org/polyglot-cd', sha: OWN_SHA });
    expect(r.jobs.find((j) => j.id === 'staging')?.environment?.name).toBe('staging');
  });

  it('keyless cluster access: no kubeconfig anywhere, every deploy job authenticates with its own OIDC token at its API server', async () => {
    const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const { r, calls } = await release({
      tenants: '[{"namespace":"acme","values-file":"deploy/acme.yaml"}]',
      environmentSecrets: {},
      inputs: {
        'cluster-oidc-audience': 'polyglot-cd',
        'staging-cluster-server': 'https://staging.k8s.acme.internal:6443',
        'production-cluster-server': 'https://k8s.acme.internal:6443',
        'cluster-ca': CA,
      },
    });
    expect(r.result).toBe('success');
    const helm = calls.filter((c) => c.action === 'helm-deploy');
    expect(
      helm.map((c) => [
        c.job,
        c.inputs['kubeconfig'] ?? '',
        c.inputs['cluster-oidc-audience'],
        c.inputs['cluster-server'],
        c.inputs['cluster-ca'],
      ]),
    ).toEqual([
      ['staging', '', 'polyglot-cd', 'https://staging.k8s.acme.internal:6443', CA],
      ['production', '', 'polyglot-cd', 'https://k8s.acme.internal:6443', CA],
      ['tenants', '', 'polyglot-cd', 'https://k8s.acme.internal:6443', CA],
    ]);
  });

  it('keyless cluster access without an API server stops the run before anything is built', async () => {
    const lines: string[] = [];
    const { r, calls } = await release({
      environmentSecrets: {},
      inputs: { 'cluster-oidc-audience': 'polyglot-cd', 'production-cluster-server': 'https://k8s.acme.internal:6443' },
      out: (l) => lines.push(l),
    });
    expect(r.result).toBe('failure');
    // nothing built, scanned, signed or deployed; the card says so
    expect(calls.map((c) => c.action)).toEqual(['teams-notify']);
    expect(calls[0]?.inputs).toMatchObject({ status: 'failure' });
    expect(lines.join('\n')).toContain(
      "::error::With cluster-oidc-audience, staging-cluster-server must be the API server as https://host[:port]; got ''",
    );
  });

  it('after the approval, an older commit does not overwrite production (runs are not ordered)', async () => {
    const { r, calls } = await release({
      head: 'f'.repeat(40),
      tenants: '[{"namespace":"acme","values-file":"deploy/acme.yaml"}]',
    });
    expect(deploys(calls).map((d) => d[0])).toEqual(['staging']);
    expect(r.jobs.find((j) => j.id === 'production')?.outputs['newest']).toBe('false');
    expect(r.jobs.find((j) => j.id === 'tenants')?.result).toBe('skipped');
    expect(calls.at(-1)?.inputs['facts']).toContain('production=skipped: a newer commit is deployed by its own run');
  });

  it('deploys the same digests to every tenant', async () => {
    const { calls } = await release({
      tenants:
        '[{"namespace":"acme","values-file":"deploy/acme.yaml"},{"namespace":"globex","values-file":"deploy/globex.yaml"}]',
    });
    expect(deploys(calls).map((d) => [d[0], d[1] === IMAGES, d[2], d[3].split('\n').at(-2)])).toEqual([
      ['staging', true, 'staging-kc', ''],
      ['production', true, 'prod-kc', 'deploy/values-prod.yaml'],
      ['acme', true, 'prod-kc', 'deploy/acme.yaml'],
      ['globex', true, 'prod-kc', 'deploy/globex.yaml'],
    ]);
  });

  it('an image that fails signing or verification is deployed nowhere, and the card says failure', async () => {
    const { r, calls } = await release({ failSign: true });
    expect(r.result).toBe('failure');
    expect(deploys(calls)).toEqual([]);
    expect(calls.at(-1)?.action).toBe('teams-notify');
    expect(calls.at(-1)?.inputs).toMatchObject({ status: 'failure' });
  });

  describe('canary (canary-weight)', () => {
    const CANARY = { weight: 10, component: 'backend' };
    const deploysByJob = (calls: Call[]): [string, string][] =>
      calls.filter((c) => c.action === 'helm-deploy').map((c) => [c.job ?? '', c.inputs['images'] ?? '']);

    it('production gets the canary, then after approval on production-promote the new digests with the canary disabled', async () => {
      const { r, calls, gh } = await release({
        canary: CANARY,
        tenants: '[{"namespace":"acme","values-file":"deploy/acme.yaml"}]',
      });
      expect(r.result).toBe('success');
      expect(deploysByJob(calls)).toEqual([
        ['staging', IMAGES],
        ['production', IMAGES],
        ['promote', IMAGES],
        ['tenants', IMAGES],
      ]);
      const [, prod, promote] = calls.filter((c) => c.action === 'helm-deploy');
      expect(prod?.inputs).toMatchObject({
        'canary-weight': '10',
        'canary-component': 'backend',
        namespace: 'production',
        kubeconfig: 'prod-kc',
      });
      expect(promote?.inputs['canary-weight']).toBeUndefined();
      expect(promote?.inputs).toMatchObject({ namespace: 'production', kubeconfig: 'prod-kc' });
      expect(promote?.inputs['values']?.trim()).toBe('canary:\n  enabled: false');
      expect(r.jobs.find((j) => j.id === 'promote')?.environment?.name).toBe('production-promote');
      expect(r.jobs.find((j) => j.id === 'rollback')?.result).toBe('skipped');
      expect(gh).toHaveLength(2); // newest-commit check before the canary and again before the promotion
      expect(calls.at(-1)?.inputs).toMatchObject({ status: 'success' });
      expect(calls.at(-1)?.inputs['facts']).toContain('canary=promoted');
    });

    it('a rejected promotion rolls the canary back to the stable images it ran beside; tenants are not deployed', async () => {
      const { r, calls } = await release({
        canary: CANARY,
        reject: ['production-promote'],
        tenants: '[{"namespace":"acme","values-file":"deploy/acme.yaml"}]',
      });
      expect(r.jobs.find((j) => j.id === 'promote')?.result).toBe('failure');
      expect(deploysByJob(calls)).toEqual([
        ['staging', IMAGES],
        ['production', IMAGES],
        ['rollback', STABLE],
      ]);
      const rollback = calls.filter((c) => c.action === 'helm-deploy').at(-1);
      expect(rollback?.inputs).toMatchObject({ namespace: 'production', kubeconfig: 'prod-kc' });
      expect(rollback?.inputs['values']?.trim()).toBe('canary:\n  enabled: false');
      expect(rollback?.inputs['canary-weight']).toBeUndefined();
      expect(r.jobs.find((j) => j.id === 'rollback')?.environment?.name).toBe('production-rollback');
      expect(r.jobs.find((j) => j.id === 'tenants')?.result).toBe('skipped');
      expect(calls.at(-1)?.inputs).toMatchObject({ status: 'failure' });
      expect(calls.at(-1)?.inputs['facts']).toContain(
        'canary=not promoted (failure): rolled back to the stable images',
      );
    });

    it('a failed promotion is rolled back too', async () => {
      const { calls } = await release({ canary: CANARY, failDeployIn: 'promote' });
      expect(deploysByJob(calls).map((d) => d[0])).toEqual(['staging', 'production', 'promote', 'rollback']);
      expect(deploysByJob(calls).at(-1)?.[1]).toBe(STABLE);
    });

    it('no canary was deployed (first install, same digest): nothing to roll back when the promotion is rejected', async () => {
      const { calls } = await release({ canary: CANARY, canaryOutput: 'none', reject: ['production-promote'] });
      expect(deploysByJob(calls).map((d) => d[0])).toEqual(['staging', 'production']);
    });

    it('a failed canary deploy (rolled back by helm-deploy itself) is neither promoted nor rolled back again', async () => {
      const { r, calls } = await release({ canary: CANARY, failDeployIn: 'production' });
      expect(r.result).toBe('failure');
      expect(deploysByJob(calls).map((d) => d[0])).toEqual(['staging', 'production']);
      expect(r.jobs.find((j) => j.id === 'promote')?.result).toBe('skipped');
      expect(r.jobs.find((j) => j.id === 'rollback')?.result).toBe('skipped');
    });

    it('a newer commit on the default branch by the time of the approval: this run neither promotes nor rolls back', async () => {
      const { r, calls } = await release({ canary: CANARY, headAtPromote: 'e'.repeat(40) });
      expect(deploysByJob(calls).map((d) => d[0])).toEqual(['staging', 'production']);
      expect(r.jobs.find((j) => j.id === 'promote')?.outputs['newest']).toBe('false');
      expect(r.jobs.find((j) => j.id === 'rollback')?.result).toBe('skipped');
    });

    it.each([
      [{ weight: 10, component: 'worker' }, 'canary-component worker is not one of the components'],
      [{ weight: 10, component: '' }, 'canary-component must name one of the components'],
      [{ weight: 101, component: 'backend' }, 'canary-weight must be 0 (no canary) or 1-100, not 101'],
    ])('wrong canary inputs %j fail before anything is built or deployed', async (canary, message) => {
      const lines: string[] = [];
      const { r, calls } = await release({ canary, out: (l: string) => lines.push(l) });
      expect(r.result).toBe('failure');
      expect(calls.filter((c) => c.action !== 'teams-notify')).toEqual([]);
      expect(lines.join('\n')).toContain(`::error::${message}`);
    });

    it('without canary-weight there is no promote or rollback job', async () => {
      const { r } = await release();
      expect(r.jobs.filter((j) => ['promote', 'rollback'].includes(j.id)).map((j) => j.result)).toEqual([
        'skipped',
        'skipped',
      ]);
    });
  });
});

const PUB = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
/** an app checkout with a migrations folder */
function appWithMigrations(files: Record<string, string>): string {
  const app = mkdtempSync(join(tmpdir(), 'pcd-prod-app-'));
  mkdirSync(join(app, 'backend', 'migrations'), { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(app, 'backend', 'migrations', name), sql);
  return app;
}
const hashStep = (r: Result): string => r.jobs.find((j) => j.id === 'production')?.outputs['migrations-hash'] ?? '';

describe('production.yml: promote what staging runs', () => {
  it('reads the staging release, verifies and deploys exactly those digests: no build, scan, sign or staging deploy', async () => {
    const { r, calls } = await release({ inputs: { promote: 'true', 'certificate-identity': IDENTITY } });
    expect(r.result).toBe('success');
    expect(calls.map((c) => c.action)).toEqual(['helm-deploy', 'helm-deploy', 'teams-notify']);
    const [read, deploy] = calls;
    expect(read?.inputs).toMatchObject({
      mode: 'read',
      namespace: 'staging',
      kubeconfig: 'staging-kc',
      release: 'shop',
    });
    expect(read?.job).toBe('from-staging');
    expect(deploy?.inputs).toMatchObject({
      namespace: 'production',
      images: STAGING_IMAGES,
      'verify-signatures': 'true',
      'certificate-identity': IDENTITY,
      kubeconfig: 'prod-kc',
    });
    for (const id of ['secret-scan', 'build', 'push', 'sign', 'staging'])
      expect(r.jobs.find((j) => j.id === id)?.result, id).toBe('skipped');
    expect(calls.at(-1)?.inputs['facts']).toContain('source=promoted from staging (no build)');
  });

  it('keyless promotion without the signing identity stops before anything is read', async () => {
    const lines: string[] = [];
    const { r, calls } = await release({ inputs: { promote: 'true' }, out: (l) => lines.push(l) });
    expect(r.result).toBe('failure');
    expect(calls.filter((c) => c.action !== 'teams-notify')).toEqual([]);
    expect(lines.join('\n')).toContain(
      '::error::promote with keyless signing verifies the staging images against certificate-identity',
    );
  });

  it('a staging release with an image not pinned by digest is not promoted', async () => {
    const { r, calls } = await release({
      inputs: { promote: 'true', 'certificate-identity': IDENTITY },
      stagingImages: 'backend: ghcr.io/acme/shop-backend:latest',
    });
    expect(r.result).toBe('failure');
    expect(calls.filter((c) => c.action === 'helm-deploy').map((c) => c.inputs['mode'])).toEqual(['read']);
  });
});

describe('production.yml: signing with a key (on-prem, air-gapped)', () => {
  it('cosign-sign gets the key through the environment and every deploy verifies with the public key', async () => {
    const { r, calls } = await release({
      inputs: { signing: 'key', 'cosign-public-key': PUB, 'transparency-log': 'false' },
      secrets: {
        STAGING_KUBECONFIG: '',
        PRODUCTION_KUBECONFIG: '',
        'cosign-private-key': 'PRIVATE',
        'cosign-password': 'pw',
      },
    });
    expect(r.result).toBe('success');
    const sign = calls.find((c) => c.action === 'cosign-sign');
    expect(sign?.inputs).toMatchObject({
      mode: 'key',
      key: 'env://POLYGLOT_CD_COSIGN_KEY',
      'key-password': 'pw',
      'public-key': 'env://POLYGLOT_CD_COSIGN_PUB',
      'tlog-upload': 'false',
    });
    for (const d of calls.filter((c) => c.action === 'helm-deploy'))
      expect(d.inputs).toMatchObject({ 'verify-key': PUB, 'certificate-identity': '', 'verify-tlog': 'false' });
  });

  it.each([
    [{ signing: 'gpg' }, "signing must be keyless or key, not 'gpg'"],
    [{ signing: 'key' }, 'with signing key, cosign-public-key must be the PEM public key'],
    [{ 'transparency-log': 'false' }, 'transparency-log false needs signing key'],
    [{ 'migrations-path': '../etc' }, 'migrations-path must be a folder of the repository'],
  ])('wrong inputs %j stop the run before anything is built', async (inputs, message) => {
    const lines: string[] = [];
    const { r, calls } = await release({ inputs, out: (l) => lines.push(l) });
    expect(r.result).toBe('failure');
    expect(calls.filter((c) => c.action !== 'teams-notify')).toEqual([]);
    expect(lines.join('\n')).toContain(`::error::${message}`);
  });
});

describe('production.yml: migrations run only when they changed', () => {
  const migrations = { '0001_products.sql': 'CREATE TABLE products (id int);\n' };

  it('a first release (no hash recorded): production waits for production-migrations, which runs them and records the hash', async () => {
    const { r, calls } = await release({
      inputs: { 'migrations-path': 'backend/migrations' },
      workspace: appWithMigrations(migrations),
    });
    expect(r.result).toBe('success');
    const hash = hashStep(r);
    expect(hash).toMatch(/^sha256-[0-9a-f]{64}$/);
    const helm = calls.filter((c) => c.action === 'helm-deploy');
    expect(helm.map((c) => [c.job, c.inputs['mode'] ?? 'deploy'])).toEqual([
      ['staging', 'deploy'],
      ['production', 'read'],
      ['production-migrations', 'deploy'],
    ]);
    expect(helm.at(-1)?.inputs['values']?.trim()).toBe(`migrations:\n  enabled: true\n  hash: ${hash}`);
    expect(r.jobs.find((j) => j.id === 'production-migrations')?.environment?.name).toBe('production-migrations');
    expect(r.outputs['migrations']).toBe('changed');
    expect(calls.at(-1)?.inputs['facts']).toContain(`migrations=applied (${hash}), after approval`);
  });

  it('the same migrations as the release applied: deployed with migrations off and the hash kept, no extra approval', async () => {
    const app = appWithMigrations(migrations);
    const first = await release({ inputs: { 'migrations-path': 'backend/migrations' }, workspace: app });
    const hash = hashStep(first.r);
    const { r, calls } = await release({
      inputs: { 'migrations-path': 'backend/migrations' },
      workspace: app,
      appliedHash: hash,
    });
    expect(r.result).toBe('success');
    const helm = calls.filter((c) => c.action === 'helm-deploy');
    expect(helm.map((c) => [c.job, c.inputs['mode'] ?? 'deploy'])).toEqual([
      ['staging', 'deploy'],
      ['production', 'read'],
      ['production', 'deploy'],
    ]);
    expect(helm.at(-1)?.inputs['values']?.trim()).toBe(`migrations:\n  enabled: false\n  hash: ${hash}`);
    expect(r.jobs.find((j) => j.id === 'production-migrations')?.result).toBe('skipped');
    expect(calls.at(-1)?.inputs['facts']).toContain(`migrations=unchanged, skipped (${hash})`);
  });

  it('a changed file changes the hash; a rejected migration approval leaves production as it was and the card says failure', async () => {
    const app = appWithMigrations(migrations);
    const first = hashStep((await release({ inputs: { 'migrations-path': 'backend/migrations' }, workspace: app })).r);
    writeFileSync(join(app, 'backend', 'migrations', '0002_price.sql'), 'ALTER TABLE products ADD price int;\n');
    const { r, calls } = await release({
      inputs: { 'migrations-path': 'backend/migrations' },
      workspace: app,
      appliedHash: first,
      reject: ['production-migrations'],
    });
    expect(hashStep(r)).not.toBe(first);
    expect(calls.filter((c) => c.action === 'helm-deploy').map((c) => [c.job, c.inputs['mode'] ?? 'deploy'])).toEqual([
      ['staging', 'deploy'],
      ['production', 'read'],
    ]);
    expect(calls.at(-1)?.inputs).toMatchObject({ status: 'failure' });
    expect(calls.at(-1)?.inputs['facts']).toContain('not applied: failure');
  });
});
