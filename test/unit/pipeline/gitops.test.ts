/**
 * The logic of the real .github/workflows/gitops.yml on the local workflow runner, our actions
 * answered by a recorder: build once, scan, sign, then one gitops-update with every tenant's targets
 * expanded, the pull request's link on the Teams card; bad GitOps inputs stop the run before anything
 * is built. gitops-update itself runs for real in test/integration/gitops-update/action.test.ts.
 */
import { mkdtempSync } from 'node:fs';
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

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OWN_SHA = '0123456789abcdef0123456789abcdef01234567';
const D = (c: string): string => `sha256:${c.repeat(64)}`;
const PR_URL = 'https://github.com/acme/shop-gitops/pull/7';

const TARGETS = [
  'backend tenants/{tenant}-values.yaml values components.backend.image.digest',
  'frontend tenants/{tenant}-values.yaml values components.frontend.image.digest',
  'frontend apps/edge.yaml container web',
].join('\n');

async function deliver(
  inputs: Record<string, string> = {},
  opts: { secrets?: Record<string, string>; environmentSecrets?: Record<string, Record<string, string>> } = {},
): Promise<{ r: WorkflowResult; calls: Call[]; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-gitops-wf-'));
  const calls: Call[] = [];
  const log: string[] = [];
  const r = await runWorkflow({
    file: join(repoRoot, '.github', 'workflows', 'gitops.yml'),
    inputs: {
      components: '[{"name":"backend","context":"backend"},{"name":"frontend","context":"frontend"}]',
      'image-prefix': 'ghcr.io/acme/shop-',
      'gitops-repository': 'acme/shop-gitops',
      targets: TARGETS,
      tenants: 'acme\nglobex',
      labels: 'deploy',
      ...inputs,
    },
    secrets: opts.secrets ?? {
      GITOPS_TOKEN: 'gitops-token',
      'registry-password': 'reg-token',
      'teams-webhook-url': 'https://x.logic.azure.com/h?sig=s',
    },
    environmentSecrets: opts.environmentSecrets ?? {},
    workflowIdentity: { repository: 'org/polyglot-cd', sha: OWN_SHA, file_path: '.github/workflows/gitops.yml' },
    github: {
      event_name: 'push',
      repository: 'acme/shop',
      sha: SHA,
      actor: 'octocat',
      token: 'ghs_token',
      event: { repository: { name: 'shop', default_branch: 'main' } },
    },
    runDir: join(dir, 'run'),
    baseEnv: { PATH: process.env['PATH'] },
    out: (l) => log.push(l),
    approve: () => true,
    runAction: async (action, o): Promise<ActionResult> => {
      calls.push({ action, inputs: o.inputs, job: o.env['GITHUB_JOB'] });
      const c = o.inputs['image']?.includes('backend') ? 'b' : 'f';
      if (action === 'build-push') return { code: 0, outputs: { image: `${o.inputs['image']}@${D(c)}` }, summary: '' };
      if (action === 'trivy-gate')
        return { code: 0, outputs: { passed: 'true', summary: '0 CRITICAL, 0 HIGH — passed' }, summary: '' };
      if (action === 'cosign-sign') {
        const identity = 'https://github.com/org/polyglot-cd/.github/workflows/gitops.yml@refs/tags/v1';
        const issuer = 'https://token.actions.githubusercontent.com';
        return {
          code: 0,
          outputs: {
            signed: 'true',
            verified: 'true',
            'certificate-identity': identity,
            'certificate-oidc-issuer': issuer,
          },
          summary: '',
        };
      }
      if (action === 'gitops-update') {
        return {
          code: 0,
          outputs: { changed: 'true', commit: 'c'.repeat(40), 'pull-request-number': '7', 'pull-request-url': PR_URL },
          summary: '',
        };
      }
      return { code: 0, outputs: { delivered: 'true' }, summary: '' };
    },
  });
  return { r, calls, log: log.join('\n') };
}

describe('gitops.yml', () => {
  it('builds once, scans and signs each image, then one gitops-update with every tenant, and the card links the pull request', async () => {
    const { r, calls } = await deliver();
    expect(r.result).toBe('success');
    const actions = calls.map((c) => c.action);
    expect(actions.filter((a) => a === 'build-push')).toHaveLength(2);
    expect(actions.filter((a) => a === 'trivy-gate')).toHaveLength(2);
    expect(actions.filter((a) => a === 'cosign-sign')).toHaveLength(2);
    const updates = calls.filter((c) => c.action === 'gitops-update');
    expect(updates).toHaveLength(1);
    const u = updates[0]?.inputs ?? {};
    expect(u['targets']?.split('\n').sort()).toEqual(
      [
        'backend tenants/acme-values.yaml values components.backend.image.digest',
        'backend tenants/globex-values.yaml values components.backend.image.digest',
        'frontend tenants/acme-values.yaml values components.frontend.image.digest',
        'frontend tenants/globex-values.yaml values components.frontend.image.digest',
        'frontend apps/edge.yaml container web',
      ].sort(),
    );
    expect(u['images']?.split('\n').sort()).toEqual([
      `backend: ghcr.io/acme/shop-backend@${D('b')}`,
      `frontend: ghcr.io/acme/shop-frontend@${D('f')}`,
    ]);
    expect(u).toMatchObject({ token: 'gitops-token', mode: 'pull-request', repository: 'acme/shop-gitops' });
    // every image was built, scanned and signed before the GitOps repository is touched
    expect(actions.indexOf('gitops-update')).toBeGreaterThan(actions.lastIndexOf('cosign-sign'));
    expect(r.outputs['pull-request-url']).toBe(PR_URL);
    const card = calls.find((c) => c.action === 'teams-notify');
    expect(JSON.stringify(card?.inputs)).toContain(PR_URL);
  });

  it('a {tenant} line without tenants, or an unknown placeholder: the plan fails and nothing is built', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ tenants: '' }, 'has {tenant}, but tenants is empty'],
      [{ targets: 'backend tenants/{tenants}-values.yaml values a.b' }, 'only {tenant} and {component} are expanded'],
    ];
    for (const [inputs, why] of cases) {
      const { r, calls, log } = await deliver(inputs);
      expect(log).toContain(why);
      expect(r.result).toBe('failure');
      // only the failure card: nothing built, scanned, signed or written
      expect(calls.map((c) => c.action)).toEqual(['teams-notify']);
    }
  });

  it('mode push with the token readable outside the environment is refused before anything is built', async () => {
    const { r, calls, log } = await deliver({ mode: 'push', labels: '' });
    expect(r.result).toBe('failure');
    expect(log).toContain('GITOPS_TOKEN is readable by a job that declares no environment');
    expect(calls.map((c) => c.action)).toEqual(['teams-notify']);
  });

  it('mode push with the token as an environment secret: the writing job is the one behind the environment', async () => {
    const { r, calls } = await deliver(
      { mode: 'push', labels: '' },
      {
        secrets: { 'registry-password': 'reg-token' },
        environmentSecrets: { production: { GITOPS_TOKEN: 'env-token' } },
      },
    );
    expect(r.result).toBe('success');
    const u = calls.find((c) => c.action === 'gitops-update');
    expect(u?.job).toBe('gitops-push');
    expect(u?.inputs).toMatchObject({ token: 'env-token', mode: 'push' });
  });
});
