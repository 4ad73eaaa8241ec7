// Hostile inputs get a clear error naming the input before any cluster or GitHub call: the kubeconfig
// and GITHUB_API_URL point at a local server that records every request, and it must see none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../actions/pr-namespace-cleanup/src/main.js';
import { runInProcess, workspace } from '../../helpers/action-env.js';
import { canary } from '../../helpers/canary.js';
import { startServer, type ScriptedServer } from '../../helpers/http-server.js';

const TOKEN = canary('cleanup kubeconfig token');
const GITHUB_TOKEN = canary('cleanup github-token');
let server: ScriptedServer;
let kubeconfig: string;

beforeAll(async () => {
  server = await startServer(() => ({ status: 500, body: 'no request expected' }));
  kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: c\n  cluster:\n    server: http://127.0.0.1:${server.port}`,
    'users:',
    `- name: u\n  user:\n    token: ${TOKEN}`,
    'contexts:',
    '- name: x\n  context:\n    cluster: c\n    user: u',
    'current-context: x',
  ].join('\n');
});
afterAll(() => server.close());

async function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const ws = workspace({ kubeconfig, 'github-token': GITHUB_TOKEN, ...inputs }, { GITHUB_API_URL: server.url, ...env });
  return runInProcess('pr-namespace-cleanup', (ctx) => main(ctx), ws);
}

describe('hostile inputs', () => {
  it.each([['0'], ['1 --all'], ['../x'], ['12a'], ['-1'], ['01'], ['1,app!=x'], ['1000000000'], ['7\nkube-system']])(
    'pr-number %j',
    async (value) => {
      const r = await run({ mode: 'pr', 'pr-number': value });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('::error::Input "pr-number" has an invalid value');
      expect(r.stdout).toContain('expected a PR number: digits only, 1 to 999999999');
      expect(server.requests).toHaveLength(0);
    },
  );

  it.each([
    [{ mode: 'pr' }, 'Input "pr-number" is required and was not supplied.'],
    [
      { mode: 'delete-all', 'pr-number': '1' },
      'Input "mode" has an invalid value "delete-all": expected one of pr, gc',
    ],
    [{ mode: 'gc', 'pr-number': '3' }, 'Input "pr-number" has an invalid value "3": pr-number is only used in mode pr'],
    [
      { mode: 'gc', protected: 'staging\nprod-*' },
      'Input "protected" has an invalid value "prod-*": wildcards are not supported: list each namespace by its exact name',
    ],
    [{ mode: 'gc', protected: '*' }, 'Input "protected" has an invalid value "*": wildcards are not supported'],
    [
      { mode: 'gc', protected: 'Prod' },
      'Input "protected" has an invalid value "Prod": expected exact namespace names',
    ],
    [
      { mode: 'gc', 'max-age': 'a week' },
      'Input "max-age" has an invalid value "a week": expected a duration such as 30s, 5m, 1h30m or 500ms from 1h up to 8760h',
    ],
    [{ mode: 'gc', 'max-age': '7d' }, 'Input "max-age" has an invalid value "7d"'],
    [{ mode: 'gc', 'max-age': '10m' }, 'Input "max-age" has an invalid value "10m"'],
    [
      { mode: 'pr', 'pr-number': '5', 'max-age': '72h' },
      'Input "max-age" has an invalid value "72h": max-age is only used in mode gc',
    ],
    [
      { mode: 'gc', concurrency: '0' },
      'Input "concurrency" has an invalid value "0": expected an integer >= 1 and <= 32',
    ],
    [{ mode: 'gc', 'wait-timeout': 'forever' }, 'Input "wait-timeout" has an invalid value "forever"'],
    [{ mode: 'pr', 'pr-number': '5', 'helm-version': 'latest' }, 'Input "helm-version" has an invalid value "latest"'],
    [
      { mode: 'pr', 'pr-number': '5', 'in-cluster': 'true' },
      'Input "in-cluster" has an invalid value "true": give either kubeconfig or in-cluster: true, not both',
    ],
    [{ mode: 'pr', 'pr-number': '5', kubeconfig: '' }, 'Input "kubeconfig" is required and was not supplied.'],
    [{ mode: 'gc', 'github-token': '' }, 'Input "github-token" is required and was not supplied.'],
  ])('%j', async (inputs, message) => {
    const r = await run(inputs);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::${message}`);
    expect(server.requests).toHaveLength(0);
  });

  it('a kubeconfig with an exec plugin is refused before any call, and its token never shows', async () => {
    const withExec = kubeconfig.replace(
      `token: ${TOKEN}`,
      `token: ${TOKEN}\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: sh\n      args: ["-c", "curl evil"]`,
    );
    const r = await run({ mode: 'pr', 'pr-number': '5', kubeconfig: withExec });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::Input "kubeconfig": user "u" has an exec credential plugin');
    expect(r.everything).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(0);
  });

  it('without GITHUB_REPOSITORY_ID nothing is deleted (ownership cannot be proven)', async () => {
    const r = await run({ mode: 'pr', 'pr-number': '5' }, { GITHUB_REPOSITORY_ID: '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/GITHUB_REPOSITORY_ID is "": run this action in a GitHub Actions job/);
    expect(server.requests).toHaveLength(0);
  });
});
