/**
 * Rollout diagnostics, pure part: which pods are not ready, what their containers say, and the one-line
 * culprit. Pod and event shapes are the ones the kubelet writes (recorded; helm-deploy's kube suite sees
 * the same from the real node of test/kube).
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  collectDiagnostics,
  culprit,
  diagnosePods,
  redactCredentials,
  renderDiagnostics,
  warningEvents,
  type DiagnosticsSource,
} from '@polyglot-cd/kube';

const cond = (type: string, status: string, reason?: string, message?: string) => ({ type, status, reason, message });

function pod(
  name: string,
  component: string,
  o: { phase?: string; ready?: boolean; containers?: object[]; conditions?: object[]; spec?: string[] } = {},
): V1Pod {
  return {
    metadata: { name, labels: { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': 'shop' } },
    spec: { containers: (o.spec ?? [component]).map((n) => ({ name: n, image: `r/${n}@sha256:${'a'.repeat(64)}` })) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.conditions ?? [
        cond('Ready', o.ready ? 'True' : 'False', o.ready ? undefined : 'ContainersNotReady'),
      ],
      containerStatuses: o.containers as V1Pod['status'] extends infer S
        ? S extends { containerStatuses?: infer C }
          ? C
          : never
        : never,
    },
  } as V1Pod;
}

const crash = (name: string, restarts = 2, exit = 1, reason = 'Error') => ({
  name,
  image: 'r/x',
  imageID: '',
  ready: false,
  restartCount: restarts,
  state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 20s restarting failed container=${name}` } },
  lastState: { terminated: { exitCode: exit, reason } },
});
const pull = (name: string, reason = 'ImagePullBackOff') => ({
  name,
  image: 'r/x',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { waiting: { reason, message: 'Back-off pulling image "r/x"' } },
  lastState: {},
});
const running = (name: string, ready = true) => ({
  name,
  image: 'r/x',
  imageID: '',
  ready,
  restartCount: 0,
  state: { running: {} },
  lastState: {},
});

const event = (object: string, reason: string, message: string, last: string, type = 'Warning'): CoreV1Event =>
  ({
    type,
    reason,
    message,
    count: 1,
    involvedObject: { kind: 'Pod', name: object },
    lastTimestamp: new Date(last),
    metadata: {},
  }) as CoreV1Event;

describe('diagnosePods', () => {
  it('lists only pods that are not ready (and not Succeeded), with failing conditions and container states', () => {
    const pods = [
      pod('shop-frontend-1', 'frontend', { ready: true, containers: [running('frontend')] }),
      pod('shop-backend-1', 'backend', { containers: [crash('backend')] }),
      pod('job-1', 'migrate', { phase: 'Succeeded', containers: [] }),
    ];
    const d = diagnosePods(pods);
    expect(d.map((p) => p.name)).toEqual(['shop-backend-1']);
    expect(d[0]).toMatchObject({
      component: 'backend',
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containers: [
        {
          name: 'backend',
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 2,
          lastTermination: { reason: 'Error', exitCode: 1 },
        },
      ],
    });
  });
});

describe('culprit', () => {
  it.each([
    [
      'crash loop with a log line',
      [pod('b', 'backend', { containers: [{ ...crash('backend') }] })],
      ['Traceback (most recent call last):', "ModuleNotFoundError: No module named 'app'", ''],
      "backend: CrashLoopBackOff — exit 1: ModuleNotFoundError: No module named 'app'",
    ],
    [
      'crash loop without logs',
      [pod('b', 'backend', { containers: [crash('backend')] })],
      undefined,
      'backend: CrashLoopBackOff — exit 1',
    ],
    [
      'OOMKilled',
      [pod('b', 'backend', { containers: [crash('backend', 3, 137, 'OOMKilled')] })],
      undefined,
      'backend: CrashLoopBackOff — exit 137 (OOMKilled: over its memory limit)',
    ],
    [
      'image pull back-off',
      [pod('f', 'frontend', { phase: 'Pending', containers: [pull('frontend')] })],
      undefined,
      'frontend: ImagePullBackOff — Back-off pulling image "r/x"',
    ],
    [
      'unschedulable',
      [
        pod('b', 'backend', {
          phase: 'Pending',
          conditions: [
            cond('PodScheduled', 'False', 'Unschedulable', '0/3 nodes are available: 3 Insufficient memory.'),
          ],
        }),
      ],
      undefined,
      'backend: Unschedulable — 0/3 nodes are available: 3 Insufficient memory.',
    ],
    [
      'config error',
      [pod('b', 'backend', { phase: 'Pending', containers: [pull('backend', 'CreateContainerConfigError')] })],
      undefined,
      'backend: CreateContainerConfigError — Back-off pulling image "r/x"',
    ],
  ])('%s', (_name, pods, logTail, want) => {
    const d = diagnosePods(pods as V1Pod[]);
    if (logTail) (d[0]?.containers[0] as { logTail?: string[] }).logTail = logTail as string[];
    expect(culprit(d)).toBe(want);
  });

  it('an image pull failure outranks a crash loop elsewhere (it explains more)', () => {
    const d = diagnosePods([
      pod('b', 'backend', { containers: [crash('backend')] }),
      pod('f', 'frontend', { phase: 'Pending', containers: [pull('frontend', 'ErrImagePull')] }),
    ]);
    expect(culprit(d)).toMatch(/^frontend: ErrImagePull/);
  });

  it('a pod running but never ready is blamed on its readiness probe, quoting the event', () => {
    const d = diagnosePods([pod('shop-web-1', 'web', { containers: [running('web', false)] })]);
    const ev = warningEvents([
      event(
        'shop-web-1',
        'Unhealthy',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        '2026-01-01T00:00:10Z',
      ),
    ]);
    expect(culprit(d, ev)).toBe('web: not ready — Readiness probe failed: HTTP probe failed with statuscode: 503');
  });

  it('several containers: the container is named', () => {
    const d = diagnosePods([
      pod('b', 'backend', { spec: ['app', 'sidecar'], containers: [running('app'), crash('sidecar')] }),
    ]);
    expect(culprit(d)).toMatch(/^backend \(container sidecar\): CrashLoopBackOff/);
  });

  it('nothing failing: says so, and what else may block', () => {
    expect(culprit([])).toMatch(/^no pod is failing and no Warning event was recorded/);
  });
});

describe('warningEvents', () => {
  it('keeps Warning events of the release, newest first, bounded', () => {
    const evs = [
      event('shop-backend-1', 'BackOff', 'Back-off restarting failed container', '2026-01-01T00:00:05Z'),
      event('shop-backend-1', 'Pulled', 'ok', '2026-01-01T00:00:06Z', 'Normal'),
      event('other-app-1', 'BackOff', 'not ours', '2026-01-01T00:00:07Z'),
      event('shop', 'FailedCreate', 'quota', '2026-01-01T00:00:09Z'),
    ];
    expect(
      warningEvents(evs, { names: new Set(['shop-backend-1']), prefix: 'shop' }).map((e) => [
        e.object,
        e.reason,
        e.lastSeen,
      ]),
    ).toEqual([
      ['Pod/shop', 'FailedCreate', '2026-01-01T00:00:09Z'],
      ['Pod/shop-backend-1', 'BackOff', '2026-01-01T00:00:05Z'],
    ]);
    expect(warningEvents(evs, { max: 1 })).toHaveLength(1);
  });
});

describe('collectDiagnostics', () => {
  const source = (o: Partial<DiagnosticsSource> = {}): DiagnosticsSource => ({
    listPods: async (_ns, selector) =>
      selector ? [pod('shop-backend-1', 'backend', { containers: [crash('backend')] })] : [],
    listWarningEvents: async () => [
      event('shop-backend-1', 'BackOff', 'Back-off restarting failed container', '2026-01-01T00:00:05Z'),
    ],
    podLog: async (_ns, _pod, _c, opts) => (opts.previous ? 'starting\nKeyError: DATABASE_URL\n' : 'nothing'),
    ...o,
  });

  it('reads the crashed instance’s log (previous) and names the culprit', async () => {
    const d = await collectDiagnostics(source(), 'pr-1', { release: 'shop', logLines: 5 });
    expect(d.culprit).toBe('backend: CrashLoopBackOff — exit 1: KeyError: DATABASE_URL');
    expect(d.pods[0]?.containers[0]?.logTail).toEqual(['starting', 'KeyError: DATABASE_URL']);
    expect(renderDiagnostics(d)).toContain('        | KeyError: DATABASE_URL');
  });

  it('never throws: RBAC errors and unreadable logs are reported', async () => {
    const forbidden = Object.assign(new Error('forbidden'), {
      code: 403,
      body: JSON.stringify({
        reason: 'Forbidden',
        message: 'events is forbidden: User "ci" cannot list resource "events"',
      }),
    });
    const d = await collectDiagnostics(
      source({
        listWarningEvents: async () => {
          throw forbidden;
        },
        podLog: async () => {
          throw new Error('no kubelet');
        },
      }),
      'pr-1',
      { release: 'shop' },
    );
    expect(d.errors).toEqual([
      'events: HTTP 403 Forbidden: events is forbidden: User "ci" cannot list resource "events"',
    ]);
    expect(d.pods[0]?.containers[0]?.logError).toBe('not available (no kubelet)');
    expect(d.culprit).toBe('backend: CrashLoopBackOff — exit 1');
  });

  it('falls back to all pods of the namespace when none carries the release label', async () => {
    const d = await collectDiagnostics(
      source({
        listPods: async (_ns, sel) => (sel ? [] : [pod('x-1', 'x', { phase: 'Pending', containers: [pull('x')] })]),
      }),
      'ns',
      { release: 'shop' },
    );
    expect(d.culprit).toMatch(/^x: ImagePullBackOff/);
  });
});

describe('redactCredentials: log tails never carry a credential into a job log or summary', () => {
  it('hides URL passwords, key=value secrets, authorization values and private-key blocks; keeps the rest', () => {
    const key = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oqEqNJBJpLy6oAoGCCqGSM49',
      'AwEHoUQDQgAE7wd3ZsG+fake+line+only+for+the+test+of+the+redaction+x',
      '-----END EC PRIVATE KEY-----',
    ];
    const lines = [
      'connecting to postgres://app:s3cr3t-Pa55@db.internal:5432/shop',
      'config: password=hunter2hunter2 user=app',
      '{"db": {"password": "p@ss-word-1", "user": "app"}}',
      'API_KEY: sk_live_0123456789abcdef token=ghp_0123456789abcdefghij',
      'GET /x Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
      ...key,
      'fatal: cannot connect to database at db:5432',
    ];
    const out = redactCredentials(lines).join('\n');
    for (const secret of [
      's3cr3t-Pa55',
      'hunter2hunter2',
      'p@ss-word-1',
      'sk_live_0123456789abcdef',
      'ghp_0123456789abcdefghij',
      'eyJhbGciOiJSUzI1NiJ9',
      key[1],
      key[2],
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('postgres://app:***@db.internal:5432/shop');
    expect(out).toContain('Bearer ***');
    expect(out).toContain('fatal: cannot connect to database at db:5432');
    expect(out).toContain('-----BEGIN EC PRIVATE KEY----- [redacted]');
  });

  it('a tail cut inside a key block still hides its base64 lines', () => {
    expect(
      redactCredentials([
        'AwEHoUQDQgAE7wd3ZsG+fake+line+only+for+the+test+of+the+redaction+x',
        '-----END EC PRIVATE KEY-----',
        'next',
      ]),
    ).toEqual(['[redacted]', '-----END EC PRIVATE KEY-----', 'next']);
  });

  it('collectDiagnostics redacts registered secrets and credential shapes in the log tails it reads', async () => {
    const pod = {
      metadata: { name: 'shop-backend-1', labels: { 'app.kubernetes.io/component': 'backend' } },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 2,
            image: 'x',
            imageID: '',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      },
    } as unknown as V1Pod;
    const source: DiagnosticsSource = {
      listPods: async () => [pod],
      listWarningEvents: async () => [],
      podLog: async () =>
        'starting with registered-secret-value-42\nDATABASE_URL=postgres://app:pw-123456@db/x\nfatal: boom\n',
    };
    const d = await collectDiagnostics(source, 'ns', {
      redact: (t) => t.split('registered-secret-value-42').join('***'),
    });
    const tail = d.pods[0]?.containers[0]?.logTail ?? [];
    expect(tail).toEqual(['starting with ***', 'DATABASE_URL=postgres://app:***@db/x', 'fatal: boom']);
  });
});
