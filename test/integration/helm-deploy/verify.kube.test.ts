/**
 * helm-deploy with verify-signatures on, with the real cosign (scripts/setup/cosign.sh) and the stack's
 * registry: images signed with the workflow's key are deployed onto the real node; an unsigned image
 * and one signed with another key are refused before anything is created (the PR namespace does not
 * exist afterwards). Key mode without a transparency log: no Rekor runs here (see
 * test/sigstore/keyless.registry.test.ts for keyless signing against a local Fulcio).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canary } from '../../helpers/canary.js';
import { repoRoot, runBundle, workspace, type ActionRun } from '../../helpers/action-env.js';
import { coreV1, helmOf, kubeconfigPath, stackInfo } from '../../kube/harness.js';
import { imageVariant } from '../../kube/workload-images.js';

function builtCosign(): { bin: string; why: string } {
  try {
    const bin = execFileSync('bash', [join(repoRoot, 'scripts/setup/cosign.sh'), '--print-cached'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    }).trim();
    return { bin, why: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { bin: '', why: (e.stderr || e.message).trim() };
  }
}

const cosign = builtCosign();
const PASSWORD = canary('cosign key password');
const namespaces: string[] = [];
const prBase = 5000 + Math.floor(Math.random() * 4000);
let home = '';
let signed: { backend: string; frontend: string };
let unsigned = '';
let otherKeySigned = '';

async function cosignRun(args: string[], cwd?: string): Promise<void> {
  await promisify(execFile)(cosign.bin, args, {
    env: { PATH: process.env.PATH ?? '', HOME: home, COSIGN_PASSWORD: PASSWORD, COSIGN_YES: 'true' },
    timeout: 120_000,
    ...(cwd ? { cwd } : {}),
  });
}

async function sign(image: string, key: string): Promise<void> {
  await cosignRun([
    'sign',
    '--yes',
    '--key',
    key,
    '--use-signing-config=false',
    '--tlog-upload=false',
    '--allow-insecure-registry',
    '--allow-http-registry',
    '--',
    image,
  ]);
}

afterAll(async () => {
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

describe.skipIf(!cosign.bin)(
  `helm-deploy verify-signatures with the real cosign${cosign.bin ? '' : ` (skipped: ${cosign.why})`}`,
  () => {
    const stack = stackInfo();
    const helm = helmOf('4');

    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), 'pcd-verify-'));
      await cosignRun(['generate-key-pair', '--output-key-prefix', 'good'], home);
      await cosignRun(['generate-key-pair', '--output-key-prefix', 'other'], home);
      signed = {
        backend: await imageVariant(stack.images.web, 'verify-backend'),
        frontend: await imageVariant(stack.images.web, 'verify-frontend'),
      };
      unsigned = await imageVariant(stack.images.web, 'verify-unsigned');
      otherKeySigned = await imageVariant(stack.images.web, 'verify-other-key');
      await sign(signed.backend, join(home, 'good.key'));
      await sign(signed.frontend, join(home, 'good.key'));
      await sign(otherKeySigned, join(home, 'other.key'));
    }, 180_000);

    async function deploy(n: string, images: { backend: string; frontend: string }): Promise<ActionRun> {
      namespaces.push(`pr-${n}`);
      return runBundle(
        'helm-deploy',
        workspace(
          {
            release: 'shop',
            'pr-number': n,
            kubeconfig: readFileSync(kubeconfigPath(), 'utf8'),
            'helm-version': helm.version,
            'values-files': join(repoRoot, 'charts/app/examples/shop.yaml'),
            // no database here: DATABASE_URL as a plain value instead of shop.yaml's Secret reference
            values:
              'migrations:\n  enabled: false\ndefaults:\n  terminationGracePeriodSeconds: 2\ncomponents:\n  backend:\n    env:\n      DATABASE_URL: postgres://shop@db/shop\n',
            images: `backend: ${images.backend}\nfrontend: ${images.frontend}`,
            'verify-signatures': 'true',
            'verify-key': readFileSync(join(home, 'good.pub'), 'utf8'),
            'verify-tlog': 'false',
            'insecure-registries': stack.registryHost,
            timeout: '90s',
          },
          { POLYGLOT_CD_HELM_BIN: helm.bin, POLYGLOT_CD_COSIGN_BIN: cosign.bin, GITHUB_WORKSPACE: repoRoot },
        ),
        { timeoutMs: 200_000 },
      );
    }

    const errors = (run: ActionRun) => run.stdout.split('\n').filter((l) => l.startsWith('::error::'));

    it("deploys images signed with the workflow's key, and says so in the summary", async () => {
      const n = `${prBase}1`;
      const run = await deploy(n, signed);
      expect(errors(run)).toEqual([]);
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1' });
      // (the summary table escapes parentheses)
      expect(run.summary).toContain(
        '| Signature | backend: 1 signature\\(s\\) verified against the verify-key public key \\(transparency log not checked\\) |',
      );
      expect(run.summary).toContain(
        '| Signature | frontend: 1 signature\\(s\\) verified against the verify-key public key \\(transparency log not checked\\) |',
      );
      expect(run.stdout).toContain(`cosign verify --key `);
    }, 240_000);

    it.each([
      ['an unsigned image', () => unsigned, /no signatures found/],
      [
        'an image signed with another key',
        () => otherKeySigned,
        /no matching attestations|accepted signatures do not match/,
      ],
    ])(
      'refuses %s before anything is created',
      async (_, image, why) => {
        const n = `${prBase}${namespaces.length + 2}`;
        const run = await deploy(n, { backend: signed.backend, frontend: image() });
        expect(run.code).toBe(1);
        expect(errors(run)[0]).toContain(
          `::error::Image ${image()} (frontend) is not deployed: its signature does not verify against the verify-key public key: `,
        );
        expect(errors(run)[0]).toMatch(why);
        expect(errors(run)[0]).toContain('Nothing was created.');
        await expect(coreV1().readNamespace({ name: `pr-${n}` })).rejects.toMatchObject({ code: 404 });
      },
      240_000,
    );
  },
);
