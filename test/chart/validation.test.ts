// What helm refuses: `helm lint --strict` must pass for both profiles, and bad values must be rejected by
// values.schema.json (or the templates) with a message that names the value. The schema messages are
// Helm 4's (JSON pointer of the value, then what is wrong; Helm 3.22 prints the same format).
import { describe, expect, it } from 'vitest';
import { chartDir, helm, prodValues, renderError, shopValues, valuesFile } from './chart.js';

const repo = 'ghcr.io/acme/x';
const okImage = { repository: repo, tag: '1.0.0' };

describe('helm lint --strict', () => {
  it.each([
    ['default values', []],
    ['production values', [prodValues]],
    ['the shop example (PR)', [shopValues]],
    ['the shop example (production)', [prodValues, shopValues]],
  ])('passes with %s', async (_name, files) => {
    const r = await helm(['lint', '--strict', chartDir, ...files.flatMap((f) => ['--values', f])]);
    expect(r.stderr + r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('fails on a bad value, naming it', async () => {
    const bad = valuesFile({ components: { api: { image: okImage, port: 8080, replicaCount: -2 } } });
    const r = await helm(['lint', '--strict', chartDir, '--values', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      "[ERROR] values.yaml: - at '/components/api/replicaCount': minimum: got -2, want 0",
    );
  });
});

describe('values.schema.json rejects', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a component without image', { api: { port: 80 } }, "- at '/components/api': missing property 'image'"],
    [
      'a component without image repository',
      { api: { image: { tag: '1' }, port: 80 } },
      "- at '/components/api/image': missing property 'repository'",
    ],
    [
      'an empty image repository',
      { api: { image: { repository: '', tag: '1' }, port: 80 } },
      "- at '/components/api/image/repository': minLength: got 0, want 1",
    ],
    ['a component without port', { api: { image: okImage } }, "- at '/components/api': missing property 'port'"],
    ['a port of 0', { api: { image: okImage, port: 0 } }, "- at '/components/api/port': minimum: got 0, want 1"],
    [
      'a port above 65535',
      { api: { image: okImage, port: 70000 } },
      "- at '/components/api/port': maximum: got 70,000, want 65,535",
    ],
    [
      'a port given as a string',
      { api: { image: okImage, port: '80' } },
      "- at '/components/api/port': got string, want integer",
    ],
    [
      'a negative replica count',
      { api: { image: okImage, port: 80, replicaCount: -1 } },
      "- at '/components/api/replicaCount': minimum: got -1, want 0",
    ],
    [
      'an unknown language',
      { api: { image: okImage, port: 80, language: 'ruby' } },
      "- at '/components/api/language': value must be one of 'python', 'nodejs', 'java', 'dotnet', 'go'",
    ],
    [
      'a misspelt key',
      { api: { image: okImage, port: 80, healthpath: '/hc' } },
      "- at '/components/api': additional properties 'healthpath' not allowed",
    ],
    [
      'a digest that is not sha256:<64 hex>',
      { api: { image: { repository: repo, digest: 'sha256:abc' }, port: 80 } },
      "- at '/components/api/image/digest': 'sha256:abc' does not match pattern '^$|^sha256:[a-f0-9]{64}$'",
    ],
    [
      'a tag given as a number',
      { api: { image: { repository: repo, tag: 1.2 }, port: 80 } },
      "- at '/components/api/image/tag': got number, want string",
    ],
    [
      'a repository with a tag in it',
      { api: { image: { repository: `${repo}:1.0`, tag: '1.0' }, port: 80 } },
      "- at '/components/api/image/repository': 'ghcr.io/acme/x:1.0' does not match pattern",
    ],
    [
      'an invalid component name',
      { Api_1: { image: okImage, port: 80 } },
      "'Api_1' does not match pattern '^[a-z]([-a-z0-9]{0,21}[a-z0-9])?$'",
    ],
    [
      'a health path without a leading slash',
      { api: { image: okImage, port: 80, healthPath: 'health' } },
      "- at '/components/api/healthPath': 'health' does not match pattern '^/'",
    ],
    [
      'an unknown anti-affinity mode',
      { api: { image: okImage, port: 80, podAntiAffinity: 'always' } },
      "- at '/components/api/podAntiAffinity': value must be one of '', 'soft', 'hard'",
    ],
  ];
  it.each(cases)('%s', async (_name, components, message) => {
    expect(await renderError({ values: { components } })).toContain(message);
  });

  it.each([
    ['a canary weight above 100', { canary: { weight: 150 } }, "- at '/canary/weight': maximum: got 150, want 100"],
    [
      'a negative default replica count',
      { defaults: { replicaCount: -3 } },
      "- at '/defaults/replicaCount': minimum: got -3, want 0",
    ],
    ['an unknown top-level key', { component: {} }, "- at '': additional properties 'component' not allowed"],
    [
      'an ingress host with a scheme',
      { ingress: { host: 'https://x.example.com' } },
      "- at '/ingress/host': 'https://x.example.com' does not match pattern",
    ],
  ])('%s', async (_name, values, message) => {
    expect(await renderError({ values })).toContain(message);
  });
});

describe('the templates reject', () => {
  const shop = { files: [shopValues] };
  it.each([
    [
      'an image with neither digest nor tag',
      { components: { api: { image: { repository: repo }, port: 80 } } },
      'components.api.image: set digest (preferred, sha256:…) or tag',
    ],
    [
      'allowFrom naming an unknown component',
      { components: { backend: { allowFrom: ['web'] } } },
      'components.backend.allowFrom names "web", which is not in components (have: backend, frontend)',
    ],
    [
      'two components on the same path',
      { components: { frontend: { path: '/api' } } },
      'components.backend.path and components.frontend.path are both "/api"',
    ],
    [
      'an exposed component without ingress.host',
      { ingress: { host: '' } },
      'ingress.host is required when a component has a path',
    ],
    [
      'ingress.host with no component on a path (no Ingress would be made)',
      { ingress: { host: 'shop.example.com' }, components: { backend: { path: '' }, frontend: { path: '' } } },
      'ingress.host is "shop.example.com" but no component has a path, so no Ingress would be made: set components.<name>.path',
    ],
    ['migrations without a component', { migrations: { component: '' } }, 'migrations.component is required'],
    [
      'migrations of an unknown component',
      { migrations: { component: 'worker' } },
      'migrations.component refers to component "worker", which is not in components',
    ],
    ['migrations without a command', { migrations: { command: [] } }, 'migrations.command is required'],
    [
      'a canary of an unknown component',
      { canary: { enabled: true, component: 'api', image: { tag: '2' } } },
      'canary.component refers to component "api"',
    ],
    [
      'a canary of an internal component',
      { components: { frontend: { path: '' } }, canary: { enabled: true, component: 'frontend', image: { tag: '2' } } },
      'canary.component "frontend" must be exposed by the Ingress',
    ],
    [
      'a canary without digest or tag',
      { canary: { enabled: true, component: 'backend' } },
      'canary.image: set digest (preferred, sha256:…) or tag',
    ],
    [
      'autoscaling with min above max',
      { defaults: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } } },
      'components.backend.autoscaling: minReplicas (5) is greater than maxReplicas (2)',
    ],
    [
      'an instrumented go component without its binary path',
      { otel: { force: true }, components: { backend: { language: 'go' } } },
      'components.backend.otel.goTargetExe is required',
    ],
  ])('%s', async (_name, values, message) => {
    expect(await renderError({ ...shop, values })).toContain(message);
  });

  it('a release name that cannot prefix Service names', async () => {
    expect(await renderError({ files: [shopValues], release: '9lives' })).toContain(
      'the release name "9lives" can\'t prefix Service names',
    );
  });
});
