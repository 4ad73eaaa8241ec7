// `polyglot-cd pipeline production [--promote]`: runs .github/workflows/production.yml on this machine
// with the local workflow runner, on the same local stand-ins as `pipeline pr` (bin/lib/pipeline.ts):
// build once to an archive, scan it, push the scanned bytes, sign them with a local cosign key (no
// Sigstore here: signing key, no transparency log), deploy staging, then production; or, with
// --promote, read what the staging release runs and deploy exactly those digests to production.
//
// The environments' reviewers are this command: every environment is approved (and printed) unless
// named with --reject. GitHub's API, which the production job asks whether the commit is still the
// newest on the default branch, is answered by a `gh` stand-in that knows only that question and
// answers with this checkout's commit.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cacheDir, containersEnv, setupTool } from './local-stack.ts';
import { localTrivyEnv } from './local-trivy.ts';
import { appComponents, localStackInputs, prepareLocalStack, runLocalWorkflow } from './pipeline.ts';
import type { Component, LocalGitHubEnv, PipelineOptions, PrContext } from './pipeline.ts';
import type { WorkflowResult } from './workflow-runner.ts';

export interface ProductionPipelineOptions extends PipelineOptions {
  /** promote what staging runs instead of building */
  promote?: boolean;
  /** environments whose reviewers refuse (default: every environment is approved) */
  reject?: string[];
}

export interface ProductionPipelineResult {
  code: number;
  result: WorkflowResult;
  cards: unknown[];
  kubeconfig: string;
  namespaces: { staging: string; production: string };
}

/**
 * The local signing key: made once by `cosign generate-key-pair` under <cache>/pipeline/cosign (0700),
 * its password a random value in a 0600 file beside it; the password reaches cosign through its
 * environment only.
 */
export function ensureSigningKey(cosign: string): { privateKey: string; publicKey: string; password: string } {
  const dir = cacheDir('cosign');
  const files = { key: join(dir, 'cosign.key'), pub: join(dir, 'cosign.pub'), password: join(dir, 'password') };
  if (!existsSync(files.key) || !existsSync(files.pub) || !existsSync(files.password)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString('hex');
    writeFileSync(files.password, password, { mode: 0o600 });
    const r = spawnSync(cosign, ['generate-key-pair'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, COSIGN_PASSWORD: password },
    });
    if (r.status !== 0) throw new Error(`cosign generate-key-pair failed: ${r.stderr.trim()}`);
    chmodSync(files.key, 0o600);
  }
  return {
    privateKey: readFileSync(files.key, 'utf8'),
    publicKey: readFileSync(files.pub, 'utf8'),
    password: readFileSync(files.password, 'utf8').trim(),
  };
}

/** A `gh` that answers only "the head commit of the default branch" (production.yml's newest-commit check). */
function ghStandIn(dir: string, sha: string): string {
  const bin = join(dir, 'gh-bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'gh'),
    [
      '#!/bin/sh',
      '# GitHub API stand-in of `polyglot-cd pipeline production`: the default branch is this checkout.',
      'case "$1 $2 $3 $4" in',
      `  "api repos/"*"/commits/"*" --jq .sha") echo ${sha} ;;`,
      '  *) echo "gh stand-in: only api repos/<repo>/commits/<branch> --jq .sha is answered locally" >&2; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return bin;
}

/** The github context of a push to the default branch of this checkout. */
function pushContext(localEnv: LocalGitHubEnv, cwd: string): PrContext {
  const repository = localEnv.GITHUB_REPOSITORY;
  const event = {
    action: 'push',
    number: '',
    ref: 'refs/heads/main',
    repository: { name: repository.split('/')[1], full_name: repository, default_branch: 'main' },
  };
  const github = {
    event_name: 'push',
    event,
    repository,
    repository_owner: repository.split('/')[0],
    sha: localEnv.GITHUB_SHA,
    ref: 'refs/heads/main',
    ref_name: 'main',
    actor: localEnv.GITHUB_ACTOR,
    run_id: localEnv.GITHUB_RUN_ID,
    run_number: '1',
    run_attempt: '1',
    server_url: localEnv.GITHUB_SERVER_URL,
    workspace: cwd,
    token: '', // no GitHub token locally: the gh stand-in answers the one question
  };
  const env = {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKSPACE: cwd,
  };
  return { github, env };
}

/** The app's migrations folder: <component>/migrations of the first component that has one, or ''. */
export function appMigrationsPath(cwd: string, components: Component[]): string {
  for (const c of components) {
    const path = join(c.context, 'migrations');
    if (existsSync(join(cwd, path))) return path;
  }
  return '';
}

/** Namespaces of the local staging and production (created when missing: production.yml creates none). */
async function ensureNamespaces(kubeconfig: string, names: string[]): Promise<void> {
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  for (const name of names) {
    try {
      await core.readNamespace({ name });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      await core.createNamespace({ body: { metadata: { name, labels: { 'app.kubernetes.io/part-of': name } } } });
    }
  }
}

type SigningKey = { privateKey: string; publicKey: string; password: string };

/**
 * What a caller hands production.yml: the cluster credentials as environment secrets (read only by the
 * jobs of those environments; the caller maps each name to itself), the signing key and the webhook.
 */
function productionSecrets(
  kubeconfig: string,
  key: SigningKey,
  webhook: string,
): { secrets: Record<string, string>; environmentSecrets: Record<string, Record<string, string>> } {
  const production = ['production', 'production-migrations', 'production-promote', 'production-rollback'];
  return {
    secrets: {
      STAGING_KUBECONFIG: '',
      PRODUCTION_KUBECONFIG: '',
      'cosign-private-key': key.privateKey,
      'cosign-password': key.password,
      'teams-webhook-url': webhook,
    },
    environmentSecrets: {
      staging: { STAGING_KUBECONFIG: kubeconfig },
      ...Object.fromEntries(production.map((e) => [e, { PRODUCTION_KUBECONFIG: kubeconfig }])),
    },
  };
}

/** The environments' reviewers of a local run: every environment approved (and printed) but `reject`. */
function approver(reject: Set<string>, out: (line: string) => void): (environment: string) => boolean {
  return (environment) => {
    const ok = !reject.has(environment);
    out(
      `  environment ${environment}: ${ok ? `approved (local run; --reject ${environment} refuses it)` : 'rejected'}`,
    );
    return ok;
  };
}

/** Replaces every secret in a printed line with ***. */
function masker(secrets: string[]): (text: string) => string {
  return (text) => secrets.filter(Boolean).reduce((t, secret) => t.split(secret).join('***'), text);
}

/** Runs production.yml (build, or --promote) for the app in `cwd`. */
export async function runProductionPipeline(opts: ProductionPipelineOptions): Promise<ProductionPipelineResult> {
  const out = opts.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const { cwd } = opts;
  const components = appComponents(opts);
  const app = basename(cwd);
  const started = Date.now();
  out(
    `polyglot-cd pipeline production${opts.promote ? ' --promote' : ''}: ${cwd} (${components.map((c) => c.name).join(', ')})\n`,
  );
  const stack = await prepareLocalStack(opts, out);
  const { registry, kubeconfig, helm, trivy, sink } = stack;
  const cosign = await stack.phase('cosign and the local signing key', () => {
    const bin = setupTool(opts.root, 'POLYGLOT_CD_COSIGN_BIN', 'cosign.sh');
    return { bin, key: ensureSigningKey(bin) };
  });
  const namespaces = { staging: `${app}-staging`, production: `${app}-production` };
  await ensureNamespaces(kubeconfig, Object.values(namespaces));
  const runDir = mkdtempSync(join(tmpdir(), 'polyglot-cd-pipeline-'));
  try {
    const localEnv = opts.localGitHubEnv();
    const ctx = pushContext(localEnv, cwd);
    const kc = readFileSync(kubeconfig, 'utf8');
    const result = await runLocalWorkflow(opts, 'production.yml', {
      inputs: {
        components: JSON.stringify(components),
        'image-prefix': `${registry.host}/${app}/`,
        release: app,
        'values-files': existsSync(join(cwd, 'deploy', 'values.yaml')) ? 'deploy/values.yaml' : '',
        'staging-namespace': namespaces.staging,
        'production-namespace': namespaces.production,
        ...localStackInputs(stack, cwd),
        signing: 'key',
        'cosign-public-key': cosign.key.publicKey,
        'transparency-log': 'false',
        'migrations-path': appMigrationsPath(cwd, components),
        promote: opts.promote ? 'true' : 'false',
      },
      ...productionSecrets(kc, cosign.key, sink.url),
      approve: approver(new Set(opts.reject ?? []), out),
      ctx,
      runDir,
      localEnv,
      stepEnv: {
        ...containersEnv(),
        ...ctx.env,
        PATH: `${ghStandIn(runDir, localEnv.GITHUB_SHA)}:${process.env.PATH ?? ''}`,
        POLYGLOT_CD_HELM_BIN: helm.bin,
        POLYGLOT_CD_COSIGN_BIN: cosign.bin,
        ...localTrivyEnv(trivy.bin),
      },
      mask: masker([sink.url, cosign.key.password, ...cosign.key.privateKey.split('\n').filter((l) => l.length > 16)]),
      out,
    });
    const secs = (Date.now() - started) / 1000;
    out(`\n${result.result === 'success' ? '✔' : '✘'} production pipeline ${result.result} in ${secs.toFixed(1)}s`);
    if (result.outputs['migrations']) out(`migrations: ${result.outputs['migrations']}`);
    return { code: result.result === 'success' ? 0 : 1, result, cards: sink.cards, kubeconfig, namespaces };
  } finally {
    await sink.close();
    if (opts.keep) out(`run files kept in ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  }
}
