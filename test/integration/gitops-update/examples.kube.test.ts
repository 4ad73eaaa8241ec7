// examples/gitops (the GitOps repository users copy) on the real API server of test/kube:
//
// 1. The real Argo CD and Flux CRDs (test/fixtures/gitops/crds, byte for byte as published, their SHA-256
//    checked against SOURCES.md) are server-side applied and must become Established. Every object of
//    examples/gitops/argocd and flux/ (flux/tenants/ as kustomize builds it, as Flux does) and every
//    Application the ApplicationSet generates is created with a server-side dry run and strict field
//    validation: the API server checks it against the CRD's structural schema, and an unknown or
//    misspelt field fails. A broken copy of each kind (a field of the wrong type, at a spot whose schema
//    is typed, not x-kubernetes-preserve-unknown-fields) must be rejected, so the schemas are really
//    applied.
// 2. Each tenants/<tenant>-values.yaml is rendered with `helm template` of charts/app exactly as the
//    Argo CD Application and the Flux HelmRelease describe it (same values files, same order, same
//    overrides): both must give the same objects, each Deployment must run `repository@digest` from the
//    tenant's file, and the AppProject must allow every kind charts/app renders, and nothing else.
// 3. The README's gitops-update targets are applied with gitops-update's own editing code, and its
//    rollback claims are checked with a real `git revert` in a throwaway repository.
//
// The CRDs are cluster-scoped and shared with whatever else runs on the cluster: this file labels the
// ones it applies, refuses to touch one it did not install, and deletes its own at the end (with its
// namespace). Objects go into that namespace instead of argocd / flux-system; dry runs create nothing.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Namespace,
} from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits, type Edit } from '../../../actions/gitops-update/src/edit.js';
import type { Image, Stamp, Target } from '../../../actions/gitops-update/src/types.js';
import { chartDir, helm, type K8sObject, parseManifests, valuesFile } from '../../chart/chart.js';
import { resolveBinary } from '../../kube/binaries.js';
import { kubeConfig, rawApi, uniqueName, waitFor } from '../../kube/harness.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const examplesDir = join(repoRoot, 'examples/gitops');
const crdDir = join(repoRoot, 'test/fixtures/gitops/crds');
/** The URLs the examples give the two repositories: examples/gitops stands for the first, this repository for the second. */
const GITOPS_REPO = 'https://github.com/shopco/shop-gitops.git';
const CHART_REPO = 'https://github.com/org/polyglot-cd.git';

const FIELD_MANAGER = 'polyglot-cd-gitops-examples-test';
const OWNER_LABEL = 'polyglot-cd.test/installed-by';
const OWNER = 'gitops-examples-kube-test';

const run = promisify(execFile);
/** Scratch files of this run (the values Flux would read from each ConfigMap). */
const workDir = mkdtempSync(join(tmpdir(), 'pcd-gitops-examples-'));
process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// Reading the examples and the CRDs

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

function objectsOf(path: string): K8sObject[] {
  return parseManifests(readText(path));
}

/** Every file under examples/gitops, relative, `/`-separated, sorted. */
function exampleFiles(dir = examplesDir, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? exampleFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** The tenants: tenants/<tenant>-values.yaml. */
function tenantFiles(): { tenant: string; file: string }[] {
  return exampleFiles()
    .filter((f) => /^tenants\/[^/]+-values\.yaml$/.test(f))
    .map((file) => ({ tenant: basename(file, '-values.yaml'), file }));
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

interface Crd {
  file: string;
  name: string;
  group: string;
  version: string;
  plural: string;
  kind: string;
  schema: JsonSchema;
  body: K8sObject;
}

/** The CRD files, each checked against the size and SHA-256 SOURCES.md records for it. */
function loadCrds(): Crd[] {
  const recorded = new Map<string, { bytes: number; sha256: string }>();
  for (const m of readText(join(crdDir, 'SOURCES.md')).matchAll(
    /^\| `([^`]+\.yaml)` \| (\d+) \| `([0-9a-f]{64})` \|$/gm,
  )) {
    recorded.set(m[1]!, { bytes: Number(m[2]), sha256: m[3]! });
  }
  const files = readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  if (files.join() !== [...recorded.keys()].sort().join()) {
    throw new Error(`SOURCES.md lists ${[...recorded.keys()].join(', ')}; ${crdDir} has ${files.join(', ')}`);
  }
  return files.map((file) => {
    const bytes = readFileSync(join(crdDir, file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const want = recorded.get(file)!;
    if (bytes.length !== want.bytes || sha256 !== want.sha256) {
      throw new Error(`${file} is not the file SOURCES.md records (${bytes.length} bytes, SHA-256 ${sha256})`);
    }
    const [body] = parseManifests(bytes.toString('utf8'));
    if (body?.kind !== 'CustomResourceDefinition') throw new Error(`${file} is not a CustomResourceDefinition`);
    const versions = body.spec.versions as {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JsonSchema };
    }[];
    const served = versions.filter((v) => v.served);
    if (served.length !== 1) throw new Error(`${file}: expected one served version, found ${served.length}`);
    return {
      file,
      name: body.metadata.name,
      group: body.spec.group as string,
      version: served[0]!.name,
      plural: body.spec.names.plural as string,
      kind: body.spec.names.kind as string,
      schema: served[0]!.schema.openAPIV3Schema,
      body,
    };
  });
}

const crds = loadCrds();

function crdOf(o: { apiVersion: string; kind: string }): Crd | undefined {
  return crds.find((c) => `${c.group}/${c.version}` === o.apiVersion && c.kind === o.kind);
}

/** The schema at `path` of a CRD, refusing a path through x-kubernetes-preserve-unknown-fields (nothing is checked there). */
function schemaAt(crd: Crd, path: readonly (string | number)[]): JsonSchema {
  let at = crd.schema;
  path.forEach((seg, i) => {
    if (at['x-kubernetes-preserve-unknown-fields']) {
      throw new Error(`${crd.kind} ${path.slice(0, i).join('.')} preserves unknown fields: pick a typed spot`);
    }
    const next = typeof seg === 'number' ? at.items : at.properties?.[seg];
    if (!next) throw new Error(`${crd.kind}'s schema has no ${path.slice(0, i + 1).join('.')}`);
    at = next;
  });
  if (at['x-kubernetes-preserve-unknown-fields'])
    throw new Error(`${crd.kind} ${path.join('.')} preserves unknown fields`);
  return at;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function getPath(o: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((at, seg) => (at as Record<string | number, unknown> | undefined)?.[seg], o);
}

function setPath<T>(o: T, path: readonly (string | number)[], value: unknown): T {
  const copy = structuredClone(o);
  const parent = getPath(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// What Argo CD and Flux do with the files, as far as the tests need it

interface HelmSource {
  repoURL: string;
  targetRevision: string;
  path?: string;
  ref?: string;
  helm?: { releaseName?: string; valueFiles?: string[]; parameters?: { name: string; value: string }[] };
}

interface Application extends K8sObject {
  spec: {
    project: string;
    sources: HelmSource[];
    destination: { server: string; namespace: string };
    syncPolicy: { automated?: { prune?: boolean; selfHeal?: boolean }; syncOptions?: string[] };
  };
}

/** `*` of a glob (Argo CD's AppProject patterns, the files generator with its new globbing). */
function globMatches(pattern: string, s: string): boolean {
  const re = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${re.join('[^/]*')}$`).test(s);
}

/**
 * The ApplicationSet controller's Go template, for the expressions examples/gitops uses and nothing else
 * (anything else fails here: extend this stand-in, or fix the example): `.path.path`, `.path.filename`,
 * `.path.basename` and `trimSuffix "<suffix>" .path.filename`, for one file of a git files generator.
 */
function renderTemplate<T>(template: T, file: string): T {
  const params: Record<string, string> = {
    '.path.path': posix.dirname(file),
    '.path.filename': posix.basename(file),
    '.path.basename': posix.basename(posix.dirname(file)),
  };
  const expr = (e: string): string => {
    const trim = /^trimSuffix "([^"]*)" (\.path\.\w+)$/.exec(e);
    if (trim && params[trim[2]!] !== undefined) {
      const v = params[trim[2]!]!;
      return v.endsWith(trim[1]!) ? v.slice(0, -trim[1]!.length) : v;
    }
    if (params[e] !== undefined) return params[e];
    throw new Error(`the test's ApplicationSet stand-in does not know {{ ${e} }}`);
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_m, e: string) => expr(e));
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(template) as T;
}

function applicationSet(): K8sObject {
  const [set] = objectsOf(join(examplesDir, 'argocd/applicationset.yaml'));
  if (set?.kind !== 'ApplicationSet') throw new Error('argocd/applicationset.yaml holds no ApplicationSet');
  return set;
}

/** The Applications the ApplicationSet makes from examples/gitops (standing in for the GitOps repository). */
function generatedApplications(): { file: string; app: Application }[] {
  const set = applicationSet();
  const generators = set.spec.generators as { git?: { repoURL: string; files?: { path: string }[] } }[];
  expect(generators).toHaveLength(1);
  const git = generators[0]!.git!;
  expect(git.repoURL).toBe(GITOPS_REPO);
  const patterns = (git.files ?? []).map((f) => f.path);
  const files = exampleFiles().filter((f) => patterns.some((p) => globMatches(p, f)));
  expect(files).toEqual(tenantFiles().map((t) => t.file));
  return files.map((file) => {
    const t = renderTemplate(set.spec.template as { metadata: K8sObject['metadata']; spec: Application['spec'] }, file);
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { ...t.metadata, namespace: set.metadata.namespace ?? 'argocd' },
      spec: t.spec,
    };
    return { file, app: app as Application };
  });
}

/** `kubectl kustomize` of a directory, with Flux's rule: files anywhere in the repository may be read. */
async function kustomizeBuild(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run(
    resolveBinary('kubectl'),
    ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return parseManifests(stdout);
}

interface Rendered {
  tenant: string;
  release: string;
  namespace: string;
  objects: K8sObject[];
}

async function helmTemplate(release: string, namespace: string, files: string[], sets: string[]): Promise<K8sObject[]> {
  const args = ['template', release, chartDir, '--namespace', namespace];
  for (const f of files) args.push('--values', f);
  for (const s of sets) args.push('--set', s);
  const r = await helm(args);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} failed (exit ${r.code}):\n${r.stderr}`);
  return parseManifests(r.stdout);
}

/** `helm template` as Argo CD runs it for an Application: the chart source's values files and parameters. */
async function renderApplication(app: Application): Promise<K8sObject[]> {
  const chart = app.spec.sources.find((s) => s.helm);
  const values = app.spec.sources.find((s) => s.ref === 'values');
  expect(chart).toMatchObject({ repoURL: CHART_REPO, path: 'charts/app' });
  expect(values).toMatchObject({ repoURL: GITOPS_REPO });
  const files = (chart!.helm!.valueFiles ?? []).map((f) =>
    f.startsWith('$values/') ? join(examplesDir, f.slice('$values/'.length)) : join(repoRoot, chart!.path!, f),
  );
  const sets = (chart!.helm!.parameters ?? []).map((p) => `${p.name}=${p.value}`);
  return helmTemplate(chart!.helm!.releaseName ?? app.metadata.name, app.spec.destination.namespace, files, sets);
}

interface HelmRelease extends K8sObject {
  spec: {
    releaseName: string;
    targetNamespace: string;
    chart: { spec: { chart: string; sourceRef: { kind: string; name: string }; valuesFiles?: string[] } };
    valuesFrom: { kind: string; name: string; valuesKey?: string }[];
    values?: Record<string, unknown>;
  };
}

/** `helm template` as helm-controller runs it: valuesFiles from the chart source, then valuesFrom, then values. */
async function renderHelmRelease(hr: HelmRelease, built: K8sObject[]): Promise<K8sObject[]> {
  expect(hr.spec.chart.spec.chart).toBe('charts/app');
  const files = (hr.spec.chart.spec.valuesFiles ?? []).map((f) => join(repoRoot, f));
  for (const ref of hr.spec.valuesFrom) {
    expect(ref.kind).toBe('ConfigMap');
    const cm = built.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref.name);
    const data = (cm?.['data'] as Record<string, string> | undefined)?.[ref.valuesKey ?? 'values.yaml'];
    if (data === undefined) throw new Error(`${hr.metadata.name}: no ConfigMap ${ref.name} with ${ref.valuesKey}`);
    const dir = mkdtempSync(join(workDir, 'values-'));
    writeFileSync(join(dir, 'values.yaml'), data);
    files.push(join(dir, 'values.yaml'));
  }
  if (hr.spec.values) files.push(valuesFile(hr.spec.values));
  return helmTemplate(hr.spec.releaseName, hr.spec.targetNamespace, files, []);
}

// ---------------------------------------------------------------------------------------------------
// The API server

let kc: KubeConfig;
let ns: string;
const installed: string[] = [];

async function readCrd(name: string): Promise<{ labels?: Record<string, string>; deleting: boolean } | undefined> {
  const r = await rawApi(kc, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`GET CRD ${name}: HTTP ${r.status}`);
  const meta = (r.json as { metadata: { labels?: Record<string, string>; deletionTimestamp?: string } }).metadata;
  return { ...(meta.labels ? { labels: meta.labels } : {}), deleting: Boolean(meta.deletionTimestamp) };
}

/** Server-side apply of each CRD as published (plus our ownership label); then waits until it is Established. */
async function installCrds(): Promise<void> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (const crd of crds) {
    const existing = await readCrd(crd.name);
    if (existing && existing.labels?.[OWNER_LABEL] !== OWNER) {
      throw new Error(`the cluster already has ${crd.name}, not installed by this test: refusing to replace it`);
    }
    if (existing?.deleting) await waitFor(`${crd.name} (a leftover) to go`, async () => !(await readCrd(crd.name)));
    const body = structuredClone(crd.body);
    body.metadata.labels = { ...body.metadata.labels, [OWNER_LABEL]: OWNER };
    installed.push(crd.name);
    await ext.patchCustomResourceDefinition(
      { name: crd.name, body, fieldManager: FIELD_MANAGER, force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
  }
  await Promise.all(
    crds.map((crd) =>
      waitFor(
        `${crd.name} Established`,
        async () => {
          const r = await ext.readCustomResourceDefinition({ name: crd.name });
          return r.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
        },
        { timeoutMs: 60_000 },
      ),
    ),
  );
}

interface Rejection {
  code: number;
  reason?: string;
  message: string;
}

function rejection(e: unknown): Rejection {
  if (!(e instanceof ApiException)) throw e;
  const body = e.body as unknown;
  let status: { reason?: string; message?: string } = {};
  try {
    status = (typeof body === 'string' ? JSON.parse(body) : body) as typeof status;
  } catch {
    status = { message: String(body) };
  }
  return { code: e.code, ...(status.reason ? { reason: status.reason } : {}), message: status.message ?? '' };
}

/** A server-side dry-run create with strict field validation, in the test's namespace: undefined when accepted. */
async function dryRun(o: K8sObject): Promise<Rejection | undefined> {
  const opts = { dryRun: 'All', fieldValidation: 'Strict', fieldManager: FIELD_MANAGER };
  try {
    if (o.apiVersion === 'v1' && o.kind === 'Namespace') {
      await kc.makeApiClient(CoreV1Api).createNamespace({ body: o as V1Namespace, ...opts });
    } else if (o.apiVersion === 'v1' && o.kind === 'ConfigMap') {
      const body = { ...o, metadata: { ...o.metadata, namespace: ns } } as V1ConfigMap;
      await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: ns, body, ...opts });
    } else {
      const crd = crdOf(o);
      if (!crd) throw new Error(`no CRD of the fixtures serves ${o.apiVersion} ${o.kind} (${o.metadata.name})`);
      const body = { ...o, metadata: { ...o.metadata, namespace: ns } };
      const { group, version, plural } = crd;
      await kc
        .makeApiClient(CustomObjectsApi)
        .createNamespacedCustomObject({ group, version, plural, namespace: ns, body, ...opts });
    }
    return undefined;
  } catch (e) {
    return rejection(e);
  }
}

function describeObject(o: K8sObject): string {
  return `${o.kind} ${o.metadata.name}`;
}

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  kc = kubeConfig();
  ns = uniqueName('gitops-examples');
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: ns } } });
  await installCrds();
}, 180_000);

afterAll(async () => {
  if (!kc) return;
  const core = kc.makeApiClient(CoreV1Api);
  if (ns) await core.deleteNamespace({ name: ns }).catch(() => undefined);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  await Promise.all(installed.map((name) => ext.deleteCustomResourceDefinition({ name }).catch(() => undefined)));
  await Promise.all(
    installed.map((name) =>
      waitFor(`${name} to be deleted`, async () => !(await readCrd(name)), { timeoutMs: 60_000 }),
    ),
  );
}, 120_000);

describe('examples/gitops against the real Argo CD and Flux CRDs', () => {
  it('installs the six CRDs as published', async () => {
    expect(crds.map((c) => c.name).sort()).toEqual([
      'applications.argoproj.io',
      'applicationsets.argoproj.io',
      'appprojects.argoproj.io',
      'gitrepositories.source.toolkit.fluxcd.io',
      'helmreleases.helm.toolkit.fluxcd.io',
      'kustomizations.kustomize.toolkit.fluxcd.io',
    ]);
    // the schema the API server enforces is the file's, field for field
    for (const crd of crds) {
      const r = await rawApi(kc, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.name}`);
      const served = (r.json as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } }).spec
        .versions;
      expect(served.find((v) => v.name === crd.version)?.schema.openAPIV3Schema, crd.name).toEqual(crd.schema);
    }
  });

  it('accepts every object of argocd/ and flux/ (server-side dry run, strict field validation)', async () => {
    const objects: { file: string; o: K8sObject }[] = [];
    for (const file of exampleFiles().filter((f) => /^(argocd|flux)\/[^/]+\.yaml$/.test(f))) {
      for (const o of objectsOf(join(examplesDir, file))) objects.push({ file, o });
    }
    // flux/tenants/ as Flux builds it: every other file there must be one of its resources
    const tenantsDir = join(examplesDir, 'flux/tenants');
    const kustomization = parseYaml(readText(join(tenantsDir, 'kustomization.yaml'))) as { resources: string[] };
    expect(
      exampleFiles().filter((f) => f.startsWith('flux/tenants/') && f !== 'flux/tenants/kustomization.yaml'),
    ).toEqual(kustomization.resources.map((r) => `flux/tenants/${r}`).sort());
    for (const o of await kustomizeBuild(tenantsDir)) objects.push({ file: 'flux/tenants/ (built)', o });
    for (const { app } of generatedApplications()) {
      objects.push({ file: 'argocd/applicationset.yaml (generated)', o: app });
    }

    const kinds = objects.map(({ o }) => o.kind);
    for (const k of ['AppProject', 'ApplicationSet', 'Application', 'GitRepository', 'HelmRelease', 'Kustomization'])
      expect(kinds, k).toContain(k);
    const rejected: string[] = [];
    for (const { file, o } of objects) {
      const r = await dryRun(o);
      if (r) rejected.push(`${file}: ${describeObject(o)}: HTTP ${r.code} ${r.reason}: ${r.message}`);
    }
    expect(rejected).toEqual([]);
  });

  // One broken copy per kind: a field the example sets, given a value of the wrong JSON type, at a spot the
  // CRD types (not preserve-unknown-fields). The API server must answer 422 Invalid naming that field.
  const BROKEN: { kind: string; field: string; value: unknown }[] = [
    { kind: 'AppProject', field: 'spec.sourceRepos', value: GITOPS_REPO },
    { kind: 'ApplicationSet', field: 'spec.template.spec.syncPolicy.automated.prune', value: 'yes-please' },
    { kind: 'Application', field: 'spec.syncPolicy.automated.prune', value: 'yes-please' },
    { kind: 'GitRepository', field: 'spec.interval', value: 5 },
    { kind: 'HelmRelease', field: 'spec.install.remediation.retries', value: 'three' },
    { kind: 'Kustomization', field: 'spec.prune', value: 'yes' },
  ];

  it.each(BROKEN)('rejects a $kind whose $field is $value', async ({ kind, field, value }) => {
    const path = field.split('.');
    const all = [
      ...exampleFiles()
        .filter((f) => /^(argocd|flux)\/[^/]+\.yaml$/.test(f))
        .flatMap((f) => objectsOf(join(examplesDir, f))),
      ...(await kustomizeBuild(join(examplesDir, 'flux/tenants'))),
      ...generatedApplications().map(({ app }) => app),
    ];
    const good = all.find((o) => o.kind === kind);
    if (!good) throw new Error(`no ${kind} in the examples`);
    const schema = schemaAt(crdOf(good)!, path);
    expect(getPath(good, path), `the example sets ${field}`).toBeDefined();
    expect(schema.type, `${kind} ${field} is typed`).toBeDefined();
    expect(jsonType(value)).not.toBe(schema.type);

    expect(await dryRun(good)).toBeUndefined();
    const r = await dryRun(setPath(good, path, value));
    expect(r).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(r!.message).toContain(`${field}: Invalid value`);
    expect(r!.message).toContain(`must be of type ${schema.type}`);
  });

  it('rejects a misspelt field (strict field validation is on)', async () => {
    const built = await kustomizeBuild(join(examplesDir, 'flux/tenants'));
    const hr = built.find((o) => o.kind === 'HelmRelease')!;
    const typo = structuredClone(hr);
    typo.spec.valuesFrom[0].valueKey = typo.spec.valuesFrom[0].valuesKey;
    delete typo.spec.valuesFrom[0].valuesKey;
    const r = await dryRun(typo);
    expect(r?.code).toBe(400);
    expect(r?.message).toContain('unknown field "spec.valuesFrom[0].valueKey"');
  });
});

describe('the tenants, rendered as Argo CD and Flux render them', () => {
  const project = objectsOf(join(examplesDir, 'argocd/appproject.yaml'))[0]!;
  const rendered: Rendered[] = [];

  beforeAll(async () => {
    for (const { file, app } of generatedApplications()) {
      const tenant = basename(file, '-values.yaml');
      rendered.push({
        tenant,
        release: app.spec.sources.find((s) => s.helm)!.helm!.releaseName!,
        namespace: app.spec.destination.namespace,
        objects: await renderApplication(app),
      });
    }
  }, 120_000);

  it('makes one Application per tenant, which the AppProject admits', () => {
    const apps = generatedApplications();
    expect(apps.map(({ app }) => [app.metadata.name, app.spec.destination.namespace])).toEqual(
      tenantFiles().map(({ tenant }) => [`shop-${tenant}`, `tenant-${tenant}`]),
    );
    const spec = project.spec as {
      sourceRepos: string[];
      destinations: { server: string; namespace: string }[];
      clusterResourceWhitelist: { group: string; kind: string; name?: string }[];
    };
    expect(spec.sourceRepos.sort()).toEqual([CHART_REPO, GITOPS_REPO].sort());
    for (const { app } of apps) {
      expect(app.spec.project).toBe(project.metadata.name);
      for (const s of app.spec.sources) expect(spec.sourceRepos).toContain(s.repoURL);
      const d = app.spec.destination;
      expect(spec.destinations.some((x) => x.server === d.server && globMatches(x.namespace, d.namespace))).toBe(true);
      // CreateNamespace=true: the project must allow that Namespace, and only tenant ones
      expect(app.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace', name: 'tenant-*' }]);
      expect(globMatches('tenant-*', d.namespace)).toBe(true);
    }
  });

  it('runs every Deployment on repository@digest from the tenant file', () => {
    expect(rendered.map((r) => r.tenant)).toEqual(tenantFiles().map((t) => t.tenant));
    for (const r of rendered) {
      const values = parseYaml(readText(join(examplesDir, `tenants/${r.tenant}-values.yaml`))) as {
        components: Record<string, { image: { repository: string; digest: string } }>;
      };
      const expected = Object.entries(values.components).map(([name, c]) => {
        expect(c.image.digest, `${r.tenant} ${name}`).toMatch(/^sha256:[0-9a-f]{64}$/);
        return [`${r.release}-${name}`, `${c.image.repository}@${c.image.digest}`];
      });
      const deployments = r.objects.filter((o) => o.kind === 'Deployment');
      expect(deployments.map((d) => [d.metadata.name, d.spec.template.spec.containers[0].image]).sort()).toEqual(
        expected.sort(),
      );
      // the migrations hook too: nothing runs an image that is not one of the tenant's digests
      const images = r.objects
        .filter((o) => ['Deployment', 'Job'].includes(o.kind))
        .flatMap((o) => (o.spec.template.spec.containers as { image: string }[]).map((c) => c.image));
      expect(images.filter((i) => !expected.some(([, ref]) => ref === i))).toEqual([]);
    }
  });

  it('whitelists exactly the kinds charts/app renders, in the AppProject', () => {
    const whitelist = (project.spec.namespaceResourceWhitelist as { group: string; kind: string }[]).map(
      (w) => `${w.group}/${w.kind}`,
    );
    // every kind the templates can render (apiVersion per kind where it is not computed)
    const templateKinds = new Map<string, string | undefined>();
    // postgresql.yaml (a Secret, a ConfigMap, a StatefulSet) is the previews' own database: values-prod.yaml
    // turns it off, and the tenants' AppProject admits none of its kinds (the rendered tenants below
    // show that nothing of it is rendered)
    const previewOnly = new Set(['postgresql.yaml']);
    for (const f of readdirSync(join(chartDir, 'templates')).filter(
      (n) => /\.(yaml|tpl)$/.test(n) && !previewOnly.has(n),
    )) {
      let apiVersion: string | undefined;
      for (const line of readText(join(chartDir, 'templates', f)).split('\n')) {
        const a = /^apiVersion: (\S+)/.exec(line);
        if (a) apiVersion = a[1]!.includes('{{') ? undefined : a[1];
        const k = /^kind: (\w+)/.exec(line);
        if (k)
          templateKinds.set(
            k[1]!,
            apiVersion?.includes('/') ? apiVersion.split('/')[0] : apiVersion === undefined ? undefined : '',
          );
      }
    }
    expect(whitelist.map((w) => w.split('/')[1]).sort()).toEqual([...templateKinds.keys()].sort());
    for (const [kind, group] of templateKinds) if (group !== undefined) expect(whitelist).toContain(`${group}/${kind}`);
    for (const r of rendered) {
      for (const o of r.objects) {
        const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
        expect(whitelist, `${r.tenant}: ${describeObject(o)}`).toContain(`${group}/${o.kind}`);
      }
    }
  });

  it('gives the same objects with Flux as with Argo CD, from the same values files', async () => {
    const built = await kustomizeBuild(join(examplesDir, 'flux/tenants'));
    const releases = built.filter((o): o is HelmRelease => o.kind === 'HelmRelease');
    expect(releases.map((h) => h.spec.targetNamespace).sort()).toEqual(rendered.map((r) => r.namespace).sort());
    const sources = objectsOf(join(examplesDir, 'flux/sources.yaml'));
    const sync = objectsOf(join(examplesDir, 'flux/sync.yaml'))[0]!;
    const gitRepo = (name: string) => sources.find((s) => s.kind === 'GitRepository' && s.metadata.name === name);
    expect(gitRepo(sync.spec.sourceRef.name)?.spec.url).toBe(GITOPS_REPO);
    expect(sync.spec.path).toBe('./flux/tenants');
    for (const hr of releases) {
      const r = rendered.find((x) => x.namespace === hr.spec.targetNamespace)!;
      expect(gitRepo(hr.spec.chart.spec.sourceRef.name)?.spec.url).toBe(CHART_REPO);
      // the ConfigMap is the tenant's values file, byte for byte (what gitops-update writes is what Flux reads)
      const cm = built.find((o) => o.kind === 'ConfigMap' && o.metadata.name === hr.spec.valuesFrom[0]!.name)!;
      expect(cm.metadata.namespace).toBe(hr.metadata.namespace);
      expect((cm['data'] as Record<string, string>)['values.yaml']).toBe(
        readText(join(examplesDir, `tenants/${r.tenant}-values.yaml`)),
      );
      expect(cm.metadata.labels?.['reconcile.fluxcd.io/watch']).toBe('Enabled');
      expect(hr.spec.releaseName).toBe(r.release);
      expect(await renderHelmRelease(hr, built)).toEqual(r.objects);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// The README's targets and rollback claims, with gitops-update's own editing code

const README = readText(join(examplesDir, 'README.md'));

/** The `targets` of the README's gitops-update step, parsed like gitops-update's format (action.yml). */
function readmeTargets(): Target[] {
  const blocks = [...README.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2]! }));
  const step = blocks
    .filter((b) => b.lang === 'yaml' && b.text.includes('gitops-update@'))
    .map((b) => parseYaml(b.text) as { uses: string; with: { targets: string } }[])
    .flat()
    .find((s) => s.uses.includes('gitops-update@'));
  if (!step) throw new Error('README.md has no gitops-update step');
  const lines = step.with.targets
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
  // the plain list shown above the step is the same
  expect(blocks.some((b) => b.lang === 'text' && b.text.trim().split('\n').join('\n') === lines.join('\n'))).toBe(true);
  return lines.map((l) => {
    const [component, file, kind, where, ...flags] = l.split(/\s+/);
    expect({ kind, flags }, l).toEqual({ kind: 'values', flags: [] });
    return { file: file!, kind: 'values', where: where!, component: component!, write: 'digest', create: false };
  });
}

const digestOf = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
const commitOf = (seed: string) => createHash('sha1').update(seed).digest('hex');

function imagesFor(targets: readonly Target[], seed: string): Image[] {
  const components = [...new Set(targets.map((t) => t.component))];
  return components.map((c) => ({
    component: c,
    repository: `ghcr.io/shopco/shop-${c}`,
    digest: digestOf(`${seed}/${c}`),
  }));
}

function edit(file: string, text: string, targets: readonly Target[], images: Image[], stamp: Stamp) {
  const edits: Edit[] = targets
    .filter((t) => t.file === file)
    .map((t) => ({ target: t, image: images.find((i) => i.component === t.component)! }));
  return applyEdits(file, text, edits, stamp);
}

describe("the README's gitops-update targets and rollback", () => {
  const targets = readmeTargets();

  it('names every component of every tenant file, and writes only the digests', () => {
    const expected = tenantFiles().flatMap(({ file }) => {
      const values = parseYaml(readText(join(examplesDir, file))) as { components: Record<string, unknown> };
      return Object.keys(values.components).map((c) => `${c} ${file} components.${c}.image.digest`);
    });
    expect(targets.map((t) => `${t.component} ${t.file} ${t.where}`).sort()).toEqual(expected.sort());
    const images = imagesFor(targets, 'next');
    for (const { file } of tenantFiles()) {
      const before = readText(join(examplesDir, file));
      const { after, outcomes } = edit(file, before, targets, images, { run: 500, commit: commitOf('next') });
      expect(outcomes.map((o) => o.outcome)).toEqual(['updated', 'updated']);
      const changed = before.split('\n').filter((l, i) => l !== after.split('\n')[i]);
      expect(changed).toHaveLength(2);
      for (const line of changed)
        expect(line).toMatch(/^\s+digest: sha256:[0-9a-f]{64} # polyglot-cd: run=\d+ commit=[0-9a-f]{40}$/);
      const parsed = parseYaml(after) as { components: Record<string, { image: { digest: string } }> };
      for (const i of images) expect(parsed.components[i.component]?.image.digest).toBe(i.digest);
    }
  });

  it('after `git revert` of an update, refuses older runs but not a re-run of the reverted one', async () => {
    const file = 'tenants/acme-values.yaml';
    const original = readText(join(examplesDir, file));
    const held = Number(/# polyglot-cd: run=(\d+) /.exec(original)?.[1]);
    expect(held).toBeGreaterThan(1);

    // a real repository: the file as it is, then run held+1's update commit, then `git revert` of it
    const dir = mkdtempSync(join(tmpdir(), 'pcd-gitops-revert-'));
    try {
      const git = (...args: string[]) =>
        run(
          'git',
          ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
          {
            cwd: dir,
            env: {
              PATH: process.env.PATH ?? '/usr/bin:/bin',
              HOME: dir,
              GIT_CONFIG_NOSYSTEM: '1',
              GIT_CONFIG_GLOBAL: '/dev/null',
            },
          },
        );
      const path = join(dir, file);
      await git('init', '-q', '-b', 'main');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, original);
      await git('add', '.');
      await git('commit', '-q', '-m', 'tenants');
      const bad = imagesFor(targets, 'bad');
      const update = edit(file, original, targets, bad, { run: held + 1, commit: commitOf('bad') });
      expect(update.outcomes.map((o) => o.outcome)).toEqual(['updated', 'updated']);
      writeFileSync(path, update.after);
      await git('commit', '-q', '-am', 'Deploy backend, frontend to production');
      // before the revert, the file holds run held+1: run `held` is refused
      const stale = edit(file, update.after, targets, imagesFor(targets, 'stale'), {
        run: held,
        commit: commitOf('stale'),
      });
      expect(stale.outcomes.map((o) => o.outcome)).toEqual(['skipped-newer', 'skipped-newer']);

      await git('revert', '--no-edit', 'HEAD');
      const reverted = readText(path);
      // the previous lines come back with their previous stamps (run `held`), byte for byte
      expect(reverted).toBe(original);

      // a run older than the restored stamp is still refused…
      const older = edit(file, reverted, targets, imagesFor(targets, 'older'), {
        run: held - 1,
        commit: commitOf('older'),
      });
      expect(older.outcomes.map((o) => [o.outcome, o.held?.run])).toEqual([
        ['skipped-newer', held],
        ['skipped-newer', held],
      ]);
      // …but a re-run of the reverted run (same run number) writes its digests again
      const rerun = edit(file, reverted, targets, bad, { run: held + 1, commit: commitOf('bad') });
      expect(rerun.outcomes.map((o) => o.outcome)).toEqual(['updated', 'updated']);
      expect(rerun.after).toBe(update.after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
