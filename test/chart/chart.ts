// Helpers for the charts/app tests: run the real Helm 4 that helm-deploy pins (built by
// scripts/setup/helm.sh) with argv arrays, render the chart, and pick objects out of the parsed manifests.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const chartDir = join(repoRoot, 'charts/app');
export const prodValues = join(chartDir, 'values-prod.yaml');
/** Every document of a YAML stream as plain values; the first syntax error is thrown. */
function parseAll(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors[0]) throw doc.errors[0];
    return doc.toJS() as unknown;
  });
}

/** The two-component example (FastAPI backend + Node.js frontend) the README starts from. */
export const shopValues = join(chartDir, 'examples/shop.yaml');

export const SHOP_DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

// helm's own state (repositories, cache, plugins) goes to a throwaway directory, never ~/.config/helm.
const helmHome = mkdtempSync(join(tmpdir(), 'polyglot-cd-chart-test-'));
process.once('exit', () => rmSync(helmHome, { recursive: true, force: true }));

let helmPath: string | undefined;

/**
 * Path of the real Helm 4 (`bash scripts/setup/helm.sh --print 4`; scripts/setup.sh builds it before
 * the tests run, so this is a cache hit), resolved on first use.
 */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const script = join(repoRoot, 'scripts/setup/helm.sh');
  let out: string;
  try {
    out = execFileSync('bash', [script, '--print', '4'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 1_800_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `cannot get Helm 4 from scripts/setup/helm.sh --print 4 (run bash scripts/setup.sh): ${(e.stderr || e.message).trim()}`,
      { cause: err },
    );
  }
  const path = out.trim();
  if (!path || !existsSync(path))
    throw new Error(`scripts/setup/helm.sh --print 4 printed ${JSON.stringify(path)}, which is not a file`);
  helmPath = path;
  return path;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs Helm 4; never throws for a non-zero exit (the result says how it ended). */
export async function helm(args: string[], env: Record<string, string> = {}): Promise<HelmResult> {
  const bin = helmBinary(); // throws (not a HelmResult) when there is no Helm to run
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: helmHome,
        HELM_CACHE_HOME: join(helmHome, 'cache'),
        HELM_CONFIG_HOME: join(helmHome, 'config'),
        HELM_DATA_HOME: join(helmHome, 'data'),
        ...env,
      },
      maxBuffer: 32 * 1024 * 1024,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Writes values (JSON is YAML) to a temp file, as helm-deploy does: no --set string splicing. */
export function valuesFile(values: unknown): string {
  const dir = mkdtempSync(join(helmHome, 'values-'));
  const file = join(dir, 'values.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}

export interface RenderOptions {
  /** Values files, in order (later wins). */
  files?: string[];
  /** Values applied last, through a generated file. */
  values?: Record<string, unknown>;
  release?: string;
  namespace?: string;
  /** Extra helm flags, e.g. ['--kube-version', '1.20.2'] or ['--api-versions', 'x/v1/Kind']. */
  args?: string[];
}

export function templateArgs(opts: RenderOptions = {}): string[] {
  const args = ['template', opts.release ?? 'shop', chartDir, '--namespace', opts.namespace ?? 'pr-42'];
  for (const f of opts.files ?? []) args.push('--values', f);
  if (opts.values) args.push('--values', valuesFile(opts.values));
  return [...args, ...(opts.args ?? [])];
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // The tests walk arbitrary manifest fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  [key: string]: unknown;
}

export function parseManifests(yaml: string): K8sObject[] {
  return parseAll(yaml).filter((d): d is K8sObject => d !== null && typeof d === 'object');
}

/** `helm template`, parsed. Throws with helm's stderr if rendering fails. */
export async function render(opts: RenderOptions = {}): Promise<K8sObject[]> {
  const r = await helm(templateArgs(opts));
  if (r.code !== 0) throw new Error(`helm template failed (exit ${r.code}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

/** `helm template` expected to fail: resolves to helm's error output. */
export async function renderError(opts: RenderOptions = {}): Promise<string> {
  const r = await helm(templateArgs(opts));
  if (r.code === 0) throw new Error('helm template succeeded, expected a failure');
  return r.stderr;
}

export function all(objs: K8sObject[], kind: string): K8sObject[] {
  return objs.filter((o) => o.kind === kind);
}

export function one(objs: K8sObject[], kind: string, name: string): K8sObject {
  const found = objs.filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) {
    const have = objs.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind}/${name}, found ${found.length} (have: ${have})`);
  }
  return found[0]!;
}

export function names(objs: K8sObject[], kind: string): string[] {
  return all(objs, kind)
    .map((o) => o.metadata.name)
    .sort();
}
