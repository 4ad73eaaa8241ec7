/**
 * End to end: `polyglot-cd pipeline production` runs .github/workflows/production.yml on examples/shop
 * on the local workflow runner with the real bundles: the first run builds once (archives scanned by the
 * real trivy, then pushed), signs with a cosign key (real cosign, no transparency log), deploys
 * <app>-staging, then production, where the migrations have no recorded hash: the production job stops,
 * the production-migrations environment approves, and that deploy runs the chart's migrations Job
 * against production's PostgreSQL and records the folder's hash in the release. The second run,
 * --promote, builds nothing: it reads the staging release's digests, verifies their signatures with the
 * public key, deploys exactly those to production and skips the migrations, whose hash is unchanged.
 *
 * Environments are approved by the local run (printed); GitHub's API (is this commit still the newest?)
 * is answered by the run's gh stand-in.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/action-env.js';
import { builtTrivy, makeTrivyDb } from '../../trivy/db.js';
import { BatchV1Api } from '@kubernetes/client-node';
import { appsV1, coreV1, helm, helmOf, kubeConfig, kubeconfigPath, stackInfo } from '../../kube/harness.js';

const work = mkdtempSync(join(tmpdir(), 'pcd-production-e2e-'));
const cache = join(work, 'cache');
const app = join(work, 'shop'); // the release is named after the folder: shop
const staging = 'shop-staging';
const production = 'shop-production';
const trivyDb = join(work, 'trivy-db');

const baseImagesDir = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'base-images.sh'), '--print'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).stdout.trim();
const cosignBin = spawnSync('bash', [join(repoRoot, 'scripts', 'setup', 'cosign.sh'), '--print'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
}).stdout.trim();

beforeAll(async () => {
  cpSync(join(repoRoot, 'examples', 'shop'), app, { recursive: true });
  mkdirSync(cache);
  await makeTrivyDb(trivyDb, []);
});

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(repoRoot, 'bin', 'polyglot-cd.ts'), ...args], {
      cwd: app,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/root',
        NO_COLOR: '1',
        POLYGLOT_CD_CACHE: cache, // a registry, container store and signing key of this test's own
        POLYGLOT_CD_KUBECONFIG: kubeconfigPath(),
        POLYGLOT_CD_HELM_BIN: helmOf('4').bin,
        POLYGLOT_CD_TRIVY_BIN: builtTrivy() ?? '',
        POLYGLOT_CD_COSIGN_BIN: cosignBin,
        POLYGLOT_CD_BASE_IMAGES: baseImagesDir,
      },
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function images(namespace: string): Promise<Record<string, string>> {
  const list = await appsV1().listNamespacedDeployment({ namespace });
  return Object.fromEntries(
    list.items.map((d) => [
      d.metadata?.labels?.['app.kubernetes.io/component'] ?? '',
      d.spec?.template.spec?.containers[0]?.image ?? '',
    ]),
  );
}

async function releaseValues(namespace: string): Promise<{ migrations?: { hash?: string; enabled?: boolean } }> {
  return JSON.parse((await helm(['get', 'values', 'shop', '-n', namespace, '-o', 'json'])).stdout) as {
    migrations?: { hash?: string; enabled?: boolean };
  };
}

async function revision(namespace: string): Promise<number> {
  const s = JSON.parse((await helm(['status', 'shop', '-n', namespace, '-o', 'json'])).stdout) as { version: number };
  return s.version;
}

/** the hash production.yml computes: every file's name and bytes, in a fixed order */
function migrationsHash(): string {
  const r = spawnSync(
    'bash',
    ['-c', 'cd backend/migrations && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum | sha256sum'],
    { cwd: app, encoding: 'utf8' },
  );
  return `sha256-${r.stdout.split(' ')[0] ?? ''}`;
}

afterAll(async () => {
  for (const name of [staging, production])
    await coreV1()
      .deleteNamespace({ name })
      .catch(() => undefined);
  const state = join(cache, 'pipeline', 'registry', 'state.json');
  if (existsSync(state)) {
    const { pid, host } = JSON.parse(readFileSync(state, 'utf8')) as { pid?: number; host?: string };
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (host) rmSync(join(stackInfo().node.certsDir, host), { recursive: true, force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('polyglot-cd pipeline production on examples/shop', () => {
  let built: Record<string, string> = {};

  it('builds once, signs, deploys staging then production; the new migrations run once, after their approval', async () => {
    const r = await cli(['pipeline', 'production', '--trivy-db', trivyDb]);
    expect(r.code, r.out).toBe(0);
    built = await images(staging);
    expect(Object.keys(built).sort()).toEqual(['backend', 'frontend']);
    for (const image of Object.values(built)) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(await images(production)).toEqual(built); // the same digests, no rebuild between

    // signed with the local key and verified by every deploy before anything changed
    expect(r.out).toMatch(/✔ sign and verify backend +uses \.\/\.polyglot-cd\/cosign-sign/);
    // staging and production each verified both images against the local key's public half
    expect(
      r.out.match(/backend: 1 signature\(s\) verified against the verify-key public key/g)?.length,
    ).toBeGreaterThanOrEqual(2);
    // production had no hash recorded: its own job deployed nothing, production-migrations ran them
    expect(r.out).toContain('environment production-migrations: approved');
    expect(r.out).toContain('migrations: changed');
    const hash = migrationsHash();
    expect(await releaseValues(production)).toMatchObject({ migrations: { enabled: true, hash } });
    const jobs = await kubeConfig().makeApiClient(BatchV1Api).listNamespacedJob({ namespace: production });
    expect(jobs.items.map((j) => j.metadata?.name)).not.toContain('shop-migrations'); // deleted once it succeeded
    expect(r.out).toContain(`migrations: applied (${hash}), after approval`); // the card
  }, 1_800_000);

  it('--promote deploys exactly what staging runs, without a build, and skips the unchanged migrations', async () => {
    const before = await revision(production);
    const r = await cli(['pipeline', 'production', '--promote', '--trivy-db', trivyDb]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/✔ read the staging release +uses \.\/\.polyglot-cd\/helm-deploy/);
    for (const job of ['build backend', 'push backend', 'sign and verify backend', 'deploy staging'])
      expect(r.out, job).not.toMatch(new RegExp(`✔ ${job} `));
    expect(r.out).not.toContain('environment production-migrations: approved');
    expect(r.out).toContain('migrations: unchanged');
    expect(await revision(production)).toBe(before + 1);
    expect(await images(production)).toEqual(built);
    expect(await releaseValues(production)).toMatchObject({ migrations: { enabled: false, hash: migrationsHash() } });
    expect(r.out).toMatch(/backend: 1 signature\(s\) verified against the verify-key public key/);
    expect(r.out).toContain('source: promoted from staging (no build)'); // the card
  }, 900_000);
});
