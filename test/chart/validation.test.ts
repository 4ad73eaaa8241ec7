// What helm refuses: `helm lint --strict` must pass for both profiles, and bad values must be rejected by
// values.schema.json (or the templates) with a message that names the value.
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
    expect(r.stdout + r.stderr).toContain('components.api.replicaCount: Must be greater than or equal to 0');
  });
});

describe('values.schema.json rejects', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a component without image', { api: { port: 80 } }, 'components.api: image is required'],
    ['a component without image repository', { api: { image: { tag: '1' }, port: 80 } }, 'components.api.image: repository is required'],
    ['an empty image repository', { api: { image: { repository: '', tag: '1' }, port: 80 } }, 'components.api.image.repository: String length must be greater than or equal to 1'],
    ['a component without port', { api: { image: okImage } }, 'components.api: port is required'],
    ['a port of 0', { api: { image: okImage, port: 0 } }, 'components.api.port: Must be greater than or equal to 1'],
    ['a port above 65535', { api: { image: okImage, port: 70000 } }, 'components.api.port: Must be less than or equal to 65535'],
    ['a port given as a string', { api: { image: okImage, port: '80' } }, 'components.api.port: Invalid type. Expected: integer, given: string'],
    ['a negative replica count', { api: { image: okImage, port: 80, replicaCount: -1 } }, 'components.api.replicaCount: Must be greater than or equal to 0'],
    [
      'an unknown language',
      { api: { image: okImage, port: 80, language: 'ruby' } },
      'components.api.language: components.api.language must be one of the following: "python", "nodejs", "java", "dotnet", "go"',
    ],
    ['a misspelt key', { api: { image: okImage, port: 80, healthpath: '/hc' } }, 'components.api: Additional property healthpath is not allowed'],
    ['a digest that is not sha256:<64 hex>', { api: { image: { repository: repo, digest: 'sha256:abc' }, port: 80 } }, 'components.api.image.digest: Does not match pattern'],
    ['a tag given as a number', { api: { image: { repository: repo, tag: 1.2 }, port: 80 } }, 'components.api.image.tag: Invalid type. Expected: string, given: number'],
    ['a repository with a tag in it', { api: { image: { repository: `${repo}:1.0`, tag: '1.0' }, port: 80 } }, 'components.api.image.repository: Does not match pattern'],
    ['an invalid component name', { Api_1: { image: okImage, port: 80 } }, 'Property name of "Api_1" does not match'],
    ['a health path without a leading slash', { api: { image: okImage, port: 80, healthPath: 'health' } }, 'components.api.healthPath: Does not match pattern'],
    ['an unknown anti-affinity mode', { api: { image: okImage, port: 80, podAntiAffinity: 'always' } }, 'components.api.podAntiAffinity: components.api.podAntiAffinity must be one of the following: "", "soft", "hard"'],
  ];
  it.each(cases)('%s', async (_name, components, message) => {
    expect(await renderError({ values: { components } })).toContain(message);
  });

  it.each([
    ['a canary weight above 100', { canary: { weight: 150 } }, 'canary.weight: Must be less than or equal to 100'],
    ['a negative default replica count', { defaults: { replicaCount: -3 } }, 'defaults.replicaCount: Must be greater than or equal to 0'],
    ['an unknown top-level key', { component: {} }, 'Additional property component is not allowed'],
    ['an ingress host with a scheme', { ingress: { host: 'https://x.example.com' } }, 'ingress.host: Does not match pattern'],
  ])('%s', async (_name, values, message) => {
    expect(await renderError({ values })).toContain(message);
  });
});

describe('the templates reject', () => {
  const shop = { files: [shopValues] };
  it.each([
    ['an image with neither digest nor tag', { components: { api: { image: { repository: repo }, port: 80 } } }, 'components.api.image: set digest (preferred, sha256:…) or tag'],
    ['allowFrom naming an unknown component', { components: { backend: { allowFrom: ['web'] } } }, 'components.backend.allowFrom names "web", which is not in components (have: backend, frontend)'],
    ['two components on the same path', { components: { frontend: { path: '/api' } } }, 'components.backend.path and components.frontend.path are both "/api"'],
    ['an exposed component without ingress.host', { ingress: { host: '' } }, 'ingress.host is required when a component has a path'],
    ['migrations without a component', { migrations: { component: '' } }, 'migrations.component is required'],
    ['migrations of an unknown component', { migrations: { component: 'worker' } }, 'migrations.component refers to component "worker", which is not in components'],
    ['migrations without a command', { migrations: { command: [] } }, 'migrations.command is required'],
    ['a canary of an unknown component', { canary: { enabled: true, component: 'api', image: { tag: '2' } } }, 'canary.component refers to component "api"'],
    ['a canary of an internal component', { components: { frontend: { path: '' } }, canary: { enabled: true, component: 'frontend', image: { tag: '2' } } }, 'canary.component "frontend" must be exposed by the Ingress'],
    ['a canary without digest or tag', { canary: { enabled: true, component: 'backend' } }, 'canary.image: set digest (preferred, sha256:…) or tag'],
    ['autoscaling with min above max', { defaults: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } } }, 'components.backend.autoscaling: minReplicas (5) is greater than maxReplicas (2)'],
    ['an instrumented go component without its binary path', { otel: { force: true }, components: { backend: { language: 'go' } } }, 'components.backend.otel.goTargetExe is required'],
  ])('%s', async (_name, values, message) => {
    expect(await renderError({ ...shop, values })).toContain(message);
  });

  it('a release name that cannot prefix Service names', async () => {
    expect(await renderError({ files: [shopValues], release: '9lives' })).toContain(
      'the release name "9lives" can\'t prefix Service names',
    );
  });
});
