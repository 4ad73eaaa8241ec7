/**
 * The small REST client's connection from a kubeconfig (pure), and its requests against a local
 * server standing in for the API server (status handling shaped like client-node's ApiException).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeApiError,
  ensureNamespace,
  restConnection,
  restNamespaceApi,
  restRequest,
  RestError,
} from '@polyglot-cd/kube';
import { fixtureJson, readFixture } from '../../helpers/fixtures.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';
import { canary } from '../../helpers/canary.js';

const BEARER = canary('rest bearer token');
const DEAD_SERVER_TOKEN = canary('rest token for a dead server');

const b64 = (s: string) => Buffer.from(s).toString('base64');
const doc = (
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = { server: 'https://k:6443', 'certificate-authority-data': b64('CA PEM') },
) => ({
  clusters: [{ name: 'c', cluster }],
  users: [{ name: 'u', user }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
});
const facts = { cluster: 'c', user: 'u', server: 'https://k:6443' };

describe('restConnection', () => {
  it.each([
    [{ token: 't0k' }, { server: 'https://k:6443', ca: 'CA PEM', token: 't0k' }],
    [
      { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      { server: 'https://k:6443', ca: 'CA PEM', cert: 'CERT', key: 'KEY' },
    ],
    [
      { username: 'a', password: 'b' },
      { server: 'https://k:6443', ca: 'CA PEM', basic: { username: 'a', password: 'b' } },
    ],
  ])('%j', (user, want) => expect(restConnection(doc(user), facts)).toEqual(want));

  it('leaves exec / auth-provider users and CA files to client-node', () => {
    expect(restConnection(doc({ exec: { command: 'x' } }), facts)).toBeUndefined();
    expect(restConnection(doc({ 'auth-provider': { name: 'oidc' } }), facts)).toBeUndefined();
    expect(
      restConnection(doc({ token: 't' }, { server: 'https://k', 'certificate-authority': '/etc/ca.crt' }), facts),
    ).toBeUndefined();
  });

  it('keeps insecure-skip-tls-verify', () => {
    expect(
      restConnection(doc({ token: 't' }, { server: 'https://k', 'insecure-skip-tls-verify': true }), facts),
    ).toMatchObject({ insecureSkipTlsVerify: true });
  });
});

describe('restRequest / restNamespaceApi against a scripted server', () => {
  let api: ScriptedServer;
  const script: { status: number; body: string }[] = [];
  beforeAll(async () => {
    api = await startServer(() => script.shift() ?? { status: 500, body: 'script exhausted' });
  });
  afterAll(async () => api.close());

  it('sends the bearer token and JSON, and maps the recorded Status answers: 404 → missing, 409 → exists, 403 → error with reason', async () => {
    const conn = { server: api.url, token: BEARER };
    const ns = restNamespaceApi(conn);
    script.push({ status: 404, body: readFixture('k8s/status-404-namespace-notfound.json') });
    expect(await ns.read('pr-42')).toBeUndefined();
    script.push({ status: 409, body: readFixture('k8s/status-409-namespace-alreadyexists.json') });
    expect(await ns.create('pr-42', { a: 'b' }, {})).toBe('exists');
    const forbidden = fixtureJson('k8s/status-403-namespace-terminating.json');
    script.push({ status: 403, body: JSON.stringify(forbidden) });
    const err = await ns.read('pr-42').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestError);
    expect(describeApiError(err)).toBe(`HTTP 403 Forbidden: ${String(forbidden['message'])}`);
    script.push({ status: 200, body: '{}' });
    await ns.mergeAnnotations('pr-42', { 'polyglot-cd/commit': 'abc1234' });
    const [r404, r409, , patch] = api.requests;
    expect(r404?.method).toBe('GET');
    expect(r404?.url).toBe('/api/v1/namespaces/pr-42');
    expect(r404?.headers['authorization']).toBe(`Bearer ${BEARER}`);
    expect(r409?.method).toBe('POST');
    expect(JSON.parse(r409?.body ?? '{}')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'pr-42', labels: { a: 'b' }, annotations: {} },
    });
    expect(patch?.method).toBe('PATCH');
    expect(patch?.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('ensureNamespace waits on a Terminating namespace (recorded shape), then creates it', async () => {
    const terminating = readFixture('k8s/namespace-terminating.json');
    const name = (JSON.parse(terminating) as { metadata: { name: string } }).metadata.name;
    script.push(
      { status: 200, body: terminating },
      { status: 200, body: terminating },
      { status: 404, body: '{}' },
      { status: 201, body: '{}' },
      { status: 200, body: JSON.stringify({ metadata: { name, uid: 'u-1' } }) },
    );
    let clock = 0;
    const lines: string[] = [];
    const res = await ensureNamespace(restNamespaceApi({ server: api.url, token: 't' }), name, {
      labels: {},
      annotations: {},
      ownerLabels: {},
      terminatingTimeoutMs: 10_000,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      log: (l) => lines.push(l),
    });
    expect(res).toEqual({ outcome: 'created-after-terminating', uid: 'u-1', waitedMs: 2000 });
    expect(lines[0]).toBe(
      `namespace ${name} is Terminating (being deleted): waiting up to 10s for it to go before creating it again`,
    );
  });

  it('times out on a namespace stuck Terminating and names its conditions', async () => {
    const terminating = readFixture('k8s/namespace-terminating.json');
    for (let i = 0; i < 5; i++) script.push({ status: 200, body: terminating });
    let clock = 0;
    const err = await ensureNamespace(restNamespaceApi({ server: api.url, token: 't' }), 'preview-pr-42', {
      labels: {},
      annotations: {},
      ownerLabels: {},
      terminatingTimeoutMs: 3_000,
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^Namespace preview-pr-42 is still Terminating after 3s.*NamespaceContentRemaining: SomeResourcesRemain.*NamespaceFinalizersRemaining: SomeFinalizersRemain.*never removed automatically/,
    );
    script.length = 0;
  });

  it('a request to a dead server fails with the method and path, not the token', async () => {
    const err = await restRequest(
      { server: 'http://127.0.0.1:1', token: DEAD_SERVER_TOKEN },
      'GET',
      'api/v1/namespaces/x',
      { timeoutMs: 2000 },
    ).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^GET \/api\/v1\/namespaces\/x: connect ECONNREFUSED/);
    expect((err as Error).message).not.toContain(DEAD_SERVER_TOKEN);
  });
});
