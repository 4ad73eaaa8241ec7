// pr-namespace-cleanup against the real cluster of test/kube (API server, controller-manager and a real
// node, so deletion really completes and pods really stop) and a local GitHub API server on 127.0.0.1
// (GITHUB_API_URL, which @actions/github honours). The namespaces it deletes hold running pods of the
// stack's web image, so they really terminate with pods in them. The Helm releases are uninstalled with
// real Helm 4 and Helm 3 (POLYGLOT_CD_HELM_BIN and the helm-version input): the same tests run on both.
// Every test uses its own repository id and random PR numbers: the cluster is shared with other files.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canary } from '../../helpers/canary.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreV1Api, V1Namespace, V1Pod } from '@kubernetes/client-node';
import { ownershipMetadata } from '@polyglot-cd/kube';
import { main } from '../../../actions/pr-namespace-cleanup/src/main.js';
import { parseFileCommands, runBundle, runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { startServer, type ScriptedServer, type Step } from '../../helpers/http-server.js';
import {
  coreV1,
  helm,
  helmOf,
  HELM_MAJORS,
  type HelmMajor,
  kubeconfigPath,
  stackInfo,
  waitFor,
} from '../../kube/harness.js';
import { limitedIdentity } from '../kube/limited-identity.js';

const TOKEN = canary('cleanup github token');
const tinyChart = fileURLToPath(new URL('../../kube/fixtures/tiny-chart', import.meta.url));
let core: CoreV1Api;
let kubeconfigText: string;
const created: string[] = [];

function repoId(): string {
  return String(randomInt(100_000_000, 999_999_999));
}
function prBase(): number {
  return randomInt(100_000_000, 900_000_000);
}

async function createNs(
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Promise<V1Namespace> {
  created.push(name);
  return core.createNamespace({ body: { metadata: { name, labels, annotations } } });
}

async function createOwned(
  name: string,
  m: { labels: Record<string, string>; annotations: Record<string, string> },
): Promise<V1Namespace> {
  return createNs(name, m.labels, m.annotations);
}

function owned(
  id: string,
  pr: number,
  expiresAt = new Date(Date.now() + 7 * 86_400_000),
  extra: Record<string, string> = {},
) {
  const m = ownershipMetadata({
    repositoryId: id,
    repository: 'example-org/shop',
    pr,
    commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    expiresAt,
  });
  return { labels: { ...m.labels, ...extra }, annotations: m.annotations };
}

/** A pod of the stack's web image in `namespace`, Running and Ready on the node (it stops on SIGTERM). */
async function runningPod(namespace: string, name = 'web'): Promise<V1Pod> {
  // the ServiceAccount admission plugin refuses pods until the controller-manager made the namespace's default one
  await waitFor(
    `the default ServiceAccount of ${namespace}`,
    async () => {
      const sas = await core.listNamespacedServiceAccount({ namespace });
      return sas.items.some((sa) => sa.metadata?.name === 'default');
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: { app: name } },
      spec: {
        containers: [
          {
            name,
            image: stackInfo().images.web,
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 1 },
          },
        ],
      },
    },
  });
  return waitFor(
    `pod ${namespace}/${name} Ready`,
    async () => {
      const p = await core.readNamespacedPod({ namespace, name });
      return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** Installs the tiny chart with the stack's web image and waits until its pod is Ready. */
async function installRelease(namespace: string, release: string, major: HelmMajor): Promise<void> {
  await helm(
    [
      'install',
      release,
      tinyChart,
      '--namespace',
      namespace,
      '--wait',
      '--timeout',
      '120s',
      '--set-string',
      `image=${stackInfo().images.web}`,
    ],
    { major, timeoutMs: 180_000 },
  );
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` });
  expect(pods.items.map((p) => p.status?.phase)).toEqual(['Running']);
}

async function exists(name: string): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return false;
    throw e;
  }
}

/** A GitHub API on 127.0.0.1: /repos/example-org/shop/pulls/<n> answers from `states`. */
async function github(
  states: Map<number, 'open' | 'closed'>,
  opts: { rateLimitFirst?: number } = {},
): Promise<ScriptedServer> {
  let limited = opts.rateLimitFirst ?? 0;
  return startServer((req): Step => {
    const m = /^\/repos\/example-org\/shop\/pulls\/(\d+)$/.exec(req.url ?? '');
    if (req.headers.authorization !== `token ${TOKEN}`) return { status: 401, body: '{"message":"Bad credentials"}' };
    if (limited > 0) {
      limited--;
      return {
        status: 403,
        headers: {
          'content-type': 'application/json',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-resource': 'core',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
        },
        body: JSON.stringify({
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        }),
      };
    }
    const state = m ? states.get(Number(m[1])) : undefined;
    if (!state)
      return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      },
      body: JSON.stringify({ number: Number(m?.[1]), state }),
    };
  });
}

/** The env and inputs that make the action run the stack's real Helm `major`. */
function helmEnv(major: HelmMajor): { env: Record<string, string>; inputs: Record<string, string> } {
  const { bin, version } = helmOf(major);
  return { env: { POLYGLOT_CD_HELM_BIN: bin }, inputs: { 'helm-version': version } };
}

// Namespaces with running pods take 10-30 s to go: wait-timeout leaves room for a busy node.
function ws(id: string, inputs: Record<string, string>, api?: ScriptedServer, major: HelmMajor = '4') {
  const h = helmEnv(major);
  return workspace(
    { kubeconfig: kubeconfigText, 'github-token': TOKEN, 'wait-timeout': '180s', ...h.inputs, ...inputs },
    { GITHUB_REPOSITORY_ID: id, ...h.env, ...(api ? { GITHUB_API_URL: api.url } : {}) },
  );
}

const run = (w: ReturnType<typeof ws>): Promise<ActionRun> =>
  runInProcess('pr-namespace-cleanup', (ctx) => main(ctx), w);
/** Lines a user could read; `::add-mask::` lines are consumed by the runner and never shown. */
const visible = (r: ActionRun): string =>
  r.everything
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const names = (json: string | undefined): string[] =>
  (JSON.parse(json ?? '[]') as ({ namespace: string } | string)[])
    .map((x) => (typeof x === 'string' ? x : x.namespace))
    .sort();

beforeAll(() => {
  core = coreV1();
  kubeconfigText = readFileSync(kubeconfigPath(), 'utf8');
});

afterAll(async () => {
  await Promise.all(created.map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
});

describe('mode gc', () => {
  it('deletes only owned namespaces whose PR is closed or that expired; reports every other one', async () => {
    const id = repoId();
    const b = prBase();
    const pr = {
      closed: b,
      open: b + 1,
      expired: b + 2,
      keep: b + 3,
      protectedNs: b + 4,
      foreign: b + 5,
      byHand: b + 6,
      mismatch: b + 7,
    };
    await Promise.all([
      createOwned(`pr-${pr.closed}`, owned(id, pr.closed)),
      createOwned(`pr-${pr.open}`, owned(id, pr.open)),
      createOwned(`pr-${pr.expired}`, owned(id, pr.expired, new Date(Date.now() - 60_000))),
      createOwned(`pr-${pr.keep}`, owned(id, pr.keep, undefined, { 'polyglot-cd/keep': 'true' })),
      createOwned(`pr-${pr.protectedNs}`, owned(id, pr.protectedNs)),
      // another repository's namespace on the same cluster, its PR closed too
      createOwned(`pr-${pr.foreign}`, owned(repoId(), pr.foreign)),
      // a look-alike made by hand: no labels
      createNs(`pr-${pr.byHand}`),
      // labelled for this repo but the PR label disagrees with the name
      createNs(`pr-${pr.mismatch}`, { ...owned(id, pr.mismatch).labels, 'polyglot-cd/pr': String(pr.closed) }),
    ]);
    // the two namespaces it must delete hold running pods, and so does one it must keep
    await Promise.all([runningPod(`pr-${pr.closed}`), runningPod(`pr-${pr.expired}`), runningPod(`pr-${pr.open}`)]);
    const states = new Map<number, 'open' | 'closed'>([
      [pr.closed, 'closed'],
      [pr.open, 'open'],
      [pr.expired, 'open'],
      [pr.keep, 'closed'],
      [pr.protectedNs, 'closed'],
      [pr.foreign, 'closed'],
      [pr.byHand, 'closed'],
      [pr.mismatch, 'closed'],
    ]);
    const api = await github(states);
    try {
      const r = await run(ws(id, { mode: 'gc', protected: `staging\npr-${pr.protectedNs}`, concurrency: '4' }, api));
      expect(r.stdout).not.toContain('::error::');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.outputs['deleted'] ?? '')).toEqual(
        [`pr-${pr.closed}`, `pr-${pr.expired}`].sort((a, b) => (a < b ? -1 : 1)),
      );
      const skipped = JSON.parse(r.outputs['skipped'] ?? '[]') as { namespace: string; reason: string }[];
      const why = Object.fromEntries(skipped.map((s) => [s.namespace, s.reason]));
      expect(why[`pr-${pr.open}`]).toBe(`PR #${pr.open} is open`);
      expect(why[`pr-${pr.keep}`]).toBe('labelled polyglot-cd/keep=true');
      expect(why[`pr-${pr.protectedNs}`]).toBe(`pr-${pr.protectedNs} is on the protected list`);
      expect(why[`pr-${pr.mismatch}`]).toMatch(/label polyglot-cd\/pr is .* but the name says PR/);
      // the selector never returned the other repository's or the hand-made namespace
      expect(Object.keys(why)).toHaveLength(4);
      expect(JSON.parse(r.outputs['failed'] ?? '')).toEqual([]);
      // only the PRs whose namespaces needed it were asked about (not the expired, keep, protected ones)
      expect(api.requests.map((q) => q.url).sort()).toEqual(
        [`/repos/example-org/shop/pulls/${pr.closed}`, `/repos/example-org/shop/pulls/${pr.open}`].sort(),
      );
      // really gone, and everything else really there
      expect(await exists(`pr-${pr.closed}`)).toBe(false);
      expect(await exists(`pr-${pr.expired}`)).toBe(false);
      for (const n of [pr.open, pr.keep, pr.protectedNs, pr.foreign, pr.byHand, pr.mismatch])
        expect(await exists(`pr-${n}`)).toBe(true);
      const kept = await core.readNamespacedPod({ namespace: `pr-${pr.open}`, name: 'web' });
      expect(kept.metadata?.deletionTimestamp).toBeUndefined();
      expect(kept.status?.phase).toBe('Running');
      expect(await exists('default')).toBe(true);
      expect(await exists('kube-system')).toBe(true);
      // the summary table: namespace, PR, age, action, reason
      expect(r.summary).toContain('| Namespace | PR | Age | Action | Reason |');
      expect(r.summary).toMatch(
        new RegExp(
          `<code>pr-${pr.closed}</code> \\| \\\\#${pr.closed} \\| \\d+s \\| deleted \\| PR \\\\#${pr.closed} is closed`,
        ),
      );
      expect(visible(r)).not.toContain(TOKEN);
    } finally {
      await api.close();
    }
  }, 300_000);

  it('pauses on a GitHub 403 rate-limit answer until its reset time, then goes on', async () => {
    const id = repoId();
    const b = prBase();
    await Promise.all(
      [0, 1, 2].map((i) => createNs(`pr-${b + i}`, owned(id, b + i).labels, owned(id, b + i).annotations)),
    );
    const api = await github(
      new Map([
        [b, 'closed'],
        [b + 1, 'closed'],
        [b + 2, 'open'],
      ]),
      { rateLimitFirst: 1 },
    );
    try {
      const r = await run(ws(id, { mode: 'gc', concurrency: '3', 'wait-timeout': '0' }, api));
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/GitHub API rate limit hit: pausing lookups for \d+s/);
      expect(names(r.outputs['deleted'])).toEqual([`pr-${b}`, `pr-${b + 1}`]);
      expect(
        api.requests.filter(
          (q) =>
            q.url.endsWith(`/pulls/${b}`) || q.url.endsWith(`/pulls/${b + 1}`) || q.url.endsWith(`/pulls/${b + 2}`),
        ).length,
      ).toBe(4);
      // the rate-limited PR was asked again only after the reset time the server announced
      const limited = api.requests[0] as { url: string; at: number };
      const resetAt = (Math.floor(limited.at / 1000) + 1) * 1000;
      const again = api.requests.slice(1).filter((q) => q.url === limited.url);
      expect(again).toHaveLength(1);
      expect(again[0]?.at).toBeGreaterThanOrEqual(resetAt);
    } finally {
      await api.close();
    }
  });

  it('a 403 on delete stops the run with the API reason; the remaining deletes are not attempted', async () => {
    const id = repoId();
    const b = prBase();
    const home = `pr-${b + 10}`; // not owned: never listed by the selector
    await createNs(home);
    const who = await limitedIdentity(core, home, [{ resources: ['namespaces'], verbs: ['get', 'list'] }]);
    await Promise.all([0, 1, 2].map((i) => createOwned(`pr-${b + i}`, owned(id, b + i))));
    const api = await github(
      new Map([
        [b, 'closed'],
        [b + 1, 'closed'],
        [b + 2, 'closed'],
      ]),
    );
    try {
      const w = ws(id, { mode: 'gc', concurrency: '1' }, api);
      w.env['INPUT_KUBECONFIG'] = who.kubeconfig;
      const r = await run(w);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `::error::delete namespace pr-\\d+ is forbidden: HTTP 403 Forbidden: namespaces "pr-\\d+" is forbidden: User "${who.user}" cannot delete resource "namespaces"`,
        ),
      );
      expect(JSON.parse(r.outputs['failed'] ?? '')).toHaveLength(1);
      const skipped = JSON.parse(r.outputs['skipped'] ?? '') as { reason: string }[];
      expect(skipped.map((s) => s.reason)).toEqual([
        'not attempted: an earlier delete was forbidden (403)',
        'not attempted: an earlier delete was forbidden (403)',
      ]);
      expect(r.summary).toContain('**Stopped:**');
      for (const i of [0, 1, 2]) expect(await exists(`pr-${b + i}`)).toBe(true);
    } finally {
      await api.close();
      await who.remove();
    }
  });

  it('dry run reports exactly what would be deleted and why, and deletes nothing', async () => {
    const id = repoId();
    const b = prBase();
    await createNs(`pr-${b}`, owned(id, b).labels, owned(id, b).annotations);
    await createNs(
      `pr-${b + 1}`,
      owned(id, b + 1, new Date(Date.now() - 1000)).labels,
      owned(id, b + 1, new Date(Date.now() - 1000)).annotations,
    );
    const api = await github(
      new Map([
        [b, 'closed'],
        [b + 1, 'open'],
      ]),
    );
    try {
      const r = await run(ws(id, { mode: 'gc', 'dry-run': 'true' }, api));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.outputs['would-delete'] ?? '')).toEqual(
        [
          { namespace: `pr-${b}`, reason: `PR #${b} is closed` },
          {
            namespace: `pr-${b + 1}`,
            reason: expect.stringMatching(
              /^expired at .* \(annotation polyglot-cd\/expires-at\)$/,
            ) as unknown as string,
          },
        ].sort((x, y) => (x.namespace < y.namespace ? -1 : 1)),
      );
      expect(JSON.parse(r.outputs['deleted'] ?? '')).toEqual([]);
      expect(r.stdout).toContain(`dry run: would delete pr-${b} (uid `);
      expect(await exists(`pr-${b}`)).toBe(true);
      expect(await exists(`pr-${b + 1}`)).toBe(true);
    } finally {
      await api.close();
    }
  });
});

describe('mode pr', () => {
  it('a namespace that is already gone is success', async () => {
    const pr = prBase();
    const r = await run(ws(repoId(), { mode: 'pr', 'pr-number': String(pr) }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.outputs['skipped'] ?? '')).toEqual([
      { namespace: `pr-${pr}`, reason: 'does not exist (already deleted, or never deployed)' },
    ]);
  });

  it.each([
    [
      'a look-alike made by hand (no labels)',
      (_id: string, _pr: number) => ({ labels: {}, annotations: {} }),
      /label app.kubernetes.io\/managed-by is missing/,
    ],
    [
      "another repository's namespace",
      (_id: string, pr: number) => owned(repoId(), pr),
      /polyglot-cd\/repository-id is .* not this repository's id/,
    ],
  ])('refuses %s: reported, failed, never deleted', async (_t, meta, reason) => {
    const id = repoId();
    const pr = prBase();
    const m = meta(id, pr);
    await createNs(`pr-${pr}`, m.labels, m.annotations);
    const r = await run(ws(id, { mode: 'pr', 'pr-number': String(pr) }));
    expect(r.code).toBe(1);
    const failed = JSON.parse(r.outputs['failed'] ?? '') as { namespace: string; reason: string }[];
    expect(failed[0]?.namespace).toBe(`pr-${pr}`);
    expect(failed[0]?.reason).toMatch(reason);
    expect(r.stdout).toMatch(/::error::1 namespace\(s\) not cleaned up/);
    expect(await exists(`pr-${pr}`)).toBe(true);
  });

  it('keeps a namespace labelled polyglot-cd/keep=true', async () => {
    const id = repoId();
    const pr = prBase();
    await createNs(`pr-${pr}`, owned(id, pr, undefined, { 'polyglot-cd/keep': 'true' }).labels, {});
    const r = await run(ws(id, { mode: 'pr', 'pr-number': String(pr) }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.outputs['skipped'] ?? '')).toEqual([
      { namespace: `pr-${pr}`, reason: 'labelled polyglot-cd/keep=true' },
    ]);
    expect(await exists(`pr-${pr}`)).toBe(true);
  });

  it('a namespace stuck Terminating is reported with its deletion conditions after wait-timeout; finalizers are left alone', async () => {
    const id = repoId();
    const pr = prBase();
    const name = `pr-${pr}`;
    await createNs(name, owned(id, pr).labels, owned(id, pr).annotations);
    await core.createNamespacedConfigMap({
      namespace: name,
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    // long enough for the namespace controller to report its conditions on a loaded machine (8 s was
    // once not: "no deletion condition reported yet")
    const r = await run(
      ws(id, { mode: 'pr', 'pr-number': String(pr), 'wait-timeout': '30s', 'uninstall-releases': 'false' }),
    );
    expect(r.code).toBe(1);
    const failed = JSON.parse(r.outputs['failed'] ?? '') as { namespace: string; reason: string }[];
    expect(failed[0]?.reason).toMatch(
      /still Terminating after \d+s: .*NamespaceFinalizersRemaining: SomeFinalizersRemain/,
    );
    const cm = await core.readNamespacedConfigMap({ namespace: name, name: 'held' });
    expect(cm.metadata?.finalizers).toEqual(['example.com/hold']);
    // release the finalizer ourselves (the test's job, never the action's): the namespace then goes
    await core.replaceNamespacedConfigMap({
      namespace: name,
      name: 'held',
      body: { ...cm, metadata: { ...cm.metadata, finalizers: [] } },
    });
    await waitFor('namespace gone', async () => !(await exists(name)), { timeoutMs: 60_000 });
  });

  it('the bundle (dist) runs the same path under Node 24', async () => {
    const id = repoId();
    const pr = prBase();
    await createNs(`pr-${pr}`, owned(id, pr).labels, owned(id, pr).annotations);
    await runningPod(`pr-${pr}`);
    const r = await runBundle(
      'pr-namespace-cleanup',
      ws(id, { mode: 'pr', 'pr-number': String(pr), 'uninstall-releases': 'false' }),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.outputs['deleted'] ?? '')).toEqual([`pr-${pr}`]);
    expect(await exists(`pr-${pr}`)).toBe(false);
  }, 300_000);
});

describe.each(HELM_MAJORS.map((m) => [m, helmOf(m).version] as [HelmMajor, string]))(
  'mode pr, releases uninstalled with real Helm %s (%s)',
  (major) => {
    it('uninstalls the Helm release, deletes the namespace with its UID and waits until it is gone', async () => {
      const id = repoId();
      const pr = prBase();
      const name = `pr-${pr}`;
      const nsObj = await createNs(name, owned(id, pr).labels, owned(id, pr).annotations);
      await installRelease(name, 'web', major);
      const r = await run(ws(id, { mode: 'pr', 'pr-number': String(pr) }, undefined, major));
      expect(r.stdout).not.toContain('::error::');
      expect(r.code).toBe(0);
      // this major's binary, asked its version, then the uninstall flags of this major
      const { bin } = helmOf(major);
      expect(r.stdout).toContain(`Using helm from POLYGLOT_CD_HELM_BIN=${bin}`);
      expect(r.stdout).toContain(`::debug::run: ${bin} version --template {{.Version}}`);
      expect(r.stdout).toContain(
        `::debug::run: ${bin} uninstall --namespace ${name} --timeout 180s ${major === '4' ? '--wait=watcher' : '--wait'} -- web`,
      );
      expect(r.stdout).toMatch(/Uninstall 1 Helm release\(s\) in pr-\d+: web/);
      expect(r.stdout).toContain('Uninstalled release web');
      expect(JSON.parse(r.outputs['deleted'] ?? '')).toEqual([name]);
      expect(await exists(name)).toBe(false);
      expect(nsObj.metadata?.uid).toBeTruthy();
      // the token is masked (only the ::add-mask:: line, which the runner consumes, carries it)
      const token = kubeconfigText.match(/token: (\S+)/)?.[1] as string;
      expect(r.everything.includes(token)).toBe(true);
      expect(visible(r)).not.toContain(token);
      // the kubeconfig written for helm (0600 under RUNNER_TEMP) is gone again; the post step finds nothing left
      const state = parseFileCommands(readFileSync(join(r.dir, 'state'), 'utf8'));
      expect(state['kubeconfig_path']).toMatch(/polyglot-cd-kube-.*\/kubeconfig$/);
      expect(existsSync(state['kubeconfig_path'] as string)).toBe(false);
    }, 300_000);

    it("in-cluster: the runner pod's service-account layout, for the API calls and for helm (tokenFile kubeconfig)", async () => {
      const id = repoId();
      const pr = prBase();
      const name = `pr-${pr}`;
      await createOwned(name, owned(id, pr));
      await installRelease(name, 'api', major);
      // the service-account files a pod would have, made from the test control plane's admin credentials
      const prefix = mkdtempSync(join(tmpdir(), 'pcd-sa-'));
      const saDir = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
      mkdirSync(saDir, { recursive: true });
      const token = kubeconfigText.match(/token: (\S+)/)?.[1] as string;
      writeFileSync(join(saDir, 'token'), token, { mode: 0o600 });
      const ca =
        kubeconfigText.match(/certificate-authority-data: >-\s+(\S+)/)?.[1] ??
        kubeconfigText.match(/certificate-authority-data: (\S+)/)?.[1];
      writeFileSync(join(saDir, 'ca.crt'), Buffer.from(ca as string, 'base64'));
      const server = new URL(kubeconfigText.match(/server: (\S+)/)?.[1] as string);
      const h = helmEnv(major);
      const w = workspace(
        { mode: 'pr', 'pr-number': String(pr), 'in-cluster': 'true', 'wait-timeout': '180s', ...h.inputs },
        {
          GITHUB_REPOSITORY_ID: id,
          ...h.env,
          KUBERNETES_SERVICE_HOST: server.hostname,
          KUBERNETES_SERVICE_PORT: server.port,
        },
      );
      const r = await runInProcess('pr-namespace-cleanup', (ctx) => main(ctx, { serviceAccountPrefix: prefix }), w);
      expect(r.stdout).not.toContain('::error::');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('(context in-cluster, user service-account, service-account)');
      expect(r.stdout).toContain('Uninstalled release api');
      expect(JSON.parse(r.outputs['deleted'] ?? '')).toEqual([name]);
      expect(visible(r)).not.toContain(token);
    }, 300_000);
  },
);

// Last: the heaviest test (see the note at its end).
describe('paging', () => {
  it('pages through 300 namespaces with a small page size and sees every one', async () => {
    const id = repoId();
    const b = prBase();
    const prs = Array.from({ length: 300 }, (_, i) => b + i);
    // Created directly (not through createNs): these 300 empty namespaces are left to the stack (a
    // run's own stack is thrown away with them). Deleting them would keep the namespace controller busy
    // for many minutes (it walks every resource type per namespace, at the controller-manager's client
    // rate limit) and hold up the namespace deletions of every other kube test.
    for (let i = 0; i < prs.length; i += 50) {
      await Promise.all(
        prs
          .slice(i, i + 50)
          .map((n) => core.createNamespace({ body: { metadata: { name: `pr-${n}`, ...owned(id, n) } } })),
      );
    }
    const api = await github(new Map(prs.map((n) => [n, 'open'])));
    try {
      const r = await run(ws(id, { mode: 'gc', 'page-size': '10', concurrency: '16' }, api));
      expect(r.code).toBe(0);
      // 30 full pages; the server may add an empty last one (label filtering happens after the etcd read)
      const pages = Number(/300 namespace\(s\) in (\d+) page\(s\)/.exec(r.stdout)?.[1]);
      expect(pages).toBeGreaterThanOrEqual(30);
      expect(pages).toBeLessThanOrEqual(31);
      expect(names(r.outputs['skipped'])).toEqual(prs.map((n) => `pr-${n}`).sort());
      expect(new Set(api.requests.map((q) => q.url)).size).toBe(300);
    } finally {
      await api.close();
    }
    // Creating 300 namespaces queues ~900 objects in the controller-manager (default service
    // account, its token, kube-root-ca.crt). Wait until a namespace created now is served promptly,
    // so the files that run after this one don't pay for the backlog.
    const probe = `pr-${b + 300}`;
    await createNs(probe);
    await waitFor(
      'the controller-manager to catch up',
      async () => {
        const sas = await core.listNamespacedServiceAccount({ namespace: probe });
        return sas.items.some((sa) => sa.metadata?.name === 'default');
      },
      { timeoutMs: 240_000, intervalMs: 1000 },
    );
  }, 480_000);
});

/** A port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('the outputs and the summary are written after every kind of failure', () => {
  const EMPTY = { deleted: '[]', 'would-delete': '[]', skipped: '[]', failed: '[]' };

  it('an input error: four empty lists, and the input-error block', async () => {
    const r = await run(ws(repoId(), { mode: 'pr', 'pr-number': '01' }));
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual(EMPTY);
    expect(r.summary).toContain('| Result | nothing done: the inputs are not valid |');
    expect(r.summary).toContain('### pr-namespace-cleanup: Input error: fix the input and run again');
  });

  it('a tool failure: helm fails before its release is uninstalled; the namespace is kept, and the tool block', async () => {
    const id = repoId();
    const pr = prBase();
    const name = `pr-${pr}`;
    await createNs(name, owned(id, pr).labels, owned(id, pr).annotations);
    // a release as Helm stores it (a Secret labelled owner=helm), so helm is needed to uninstall it
    await core.createNamespacedSecret({
      namespace: name,
      body: {
        metadata: { name: 'sh.helm.release.v1.web.v1', labels: { owner: 'helm', name: 'web', version: '1' } },
        type: 'helm.sh/release.v1',
      },
    });
    const bin = join(mkdtempSync(join(tmpdir(), 'pcd-broken-helm-')), 'helm');
    writeFileSync(bin, '#!/bin/sh\necho "Error: this helm is broken" >&2\nexit 1\n', { mode: 0o755 });
    const w = ws(id, { mode: 'pr', 'pr-number': String(pr) });
    w.env['POLYGLOT_CD_HELM_BIN'] = bin;
    const r = await run(w);
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual(EMPTY);
    expect(r.summary).toContain(`#${pr}`);
    expect(r.summary).toContain('| Failed or refused | 0 |');
    expect(r.summary).toContain('### pr-namespace-cleanup: A tool failed');
    expect(r.summary).toMatch(/Command: <code>.*helm version --template .*<\/code>, exit code 1/);
    expect(r.summary).toContain('this helm is broken');
    expect(await exists(name)).toBe(true);
  });

  it('an infrastructure failure: a kubeconfig pointing at a closed port; the list is retried, then the infrastructure block', async () => {
    const port = await closedPort();
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      `clusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}`,
      `users:\n- name: u\n  user:\n    token: ${canary('cleanup closed-port token')}`,
      'contexts:\n- name: x\n  context:\n    cluster: c\n    user: u',
      'current-context: x',
    ].join('\n');
    const w = ws(repoId(), { mode: 'gc', kubeconfig });
    const r = await runInProcess('pr-namespace-cleanup', (ctx) => main(ctx, { sleep: async () => {} }), w);
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual(EMPTY);
    expect(r.summary).toContain(`| API server | 127.0.0.1:${port} |`);
    expect(r.summary).toContain('**Stopped:**');
    expect(r.summary).toContain('### pr-namespace-cleanup: Infrastructure failure: gave up after retrying');
    expect(r.summary).toMatch(new RegExp(`Service: cluster 127\\.0\\.0\\.1:${port}; attempts: [2-9]`));
  });
});
