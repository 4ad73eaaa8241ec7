/**
 * mode: read turns the values of a release (`helm get values --all -o json`) into the `images` output and
 * `migrations-hash`. Table by table: charts/app's repository + digest, a full ref, a tag alone (refused,
 * naming the component and the value), and a round trip through what the `images` input writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatImages } from '../../../actions/helm-deploy/src/canary.js';
import { releaseContent, ReleaseValuesError } from '../../../actions/helm-deploy/src/release-values.js';
import { generatedValues, parseImages, type ImageRef } from '../../../actions/helm-deploy/src/values.js';
import { repoRoot } from '../../helpers/action-env.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

/** what `helm get values --all -o json` prints, parsed */
const json = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

const images = (values: Record<string, unknown>): string => formatImages(releaseContent(values).images);

describe('releaseContent: images', () => {
  it("reads charts/app's repository + digest, sorted by component, in the images input format", () => {
    const values = json({
      components: {
        frontend: { image: { repository: 'ghcr.io/acme/shop-frontend', digest: B, tag: '' }, port: 3000 },
        backend: { image: { repository: 'registry.local:5000/acme/shop-backend', digest: A }, port: 8000 },
      },
    });
    expect(images(values)).toBe(
      `backend: registry.local:5000/acme/shop-backend@${A}\nfrontend: ghcr.io/acme/shop-frontend@${B}`,
    );
  });

  it('a digest wins over a tag beside it (charts/app runs the digest)', () => {
    const values = json({ components: { api: { image: { repository: 'ghcr.io/acme/api', digest: A, tag: '1.2' } } } });
    expect(images(values)).toBe(`api: ghcr.io/acme/api@${A}`);
  });

  it.each([
    [`ghcr.io/acme/api@${A}`, `ghcr.io/acme/api@${A}`],
    [`ghcr.io/acme/api:1.2@${A}`, `ghcr.io/acme/api@${A}`],
    [`registry.local:5000/api:v1@${A}`, `registry.local:5000/api@${A}`],
    [`registry.local:5000/api@${A}`, `registry.local:5000/api@${A}`],
  ])('a full ref %s (another chart) reads as %s', (ref, want) => {
    expect(images(json({ components: { api: { image: ref } } }))).toBe(`api: ${want}`);
  });

  it.each([
    [
      'a tag alone',
      { repository: 'ghcr.io/acme/shop-backend', tag: '1.4.2' },
      'component backend runs components.backend.image = {"repository":"ghcr.io/acme/shop-backend","tag":"1.4.2"}, not an image pinned by digest: promotion is by digest only',
    ],
    [
      'a tag alone with an empty digest',
      { repository: 'ghcr.io/acme/shop-backend', digest: '', tag: 'main' },
      'component backend runs components.backend.image = {"repository":"ghcr.io/acme/shop-backend","digest":"","tag":"main"}, not an image pinned by digest',
    ],
    [
      'a full ref by tag',
      'ghcr.io/acme/shop-backend:latest',
      'component backend runs components.backend.image = "ghcr.io/acme/shop-backend:latest", not an image pinned by digest',
    ],
    [
      'a digest that is not sha256:<64 hex>',
      { repository: 'ghcr.io/acme/shop-backend', digest: 'sha256:abc' },
      'component backend runs components.backend.image = {"repository":"ghcr.io/acme/shop-backend","digest":"sha256:abc"}, not an image pinned by digest',
    ],
    [
      'a digest without a repository',
      { digest: A },
      `component backend runs components.backend.image = {"digest":"${A}"}, not an image pinned by digest`,
    ],
    [
      'no image at all',
      undefined,
      'component backend runs components.backend.image = (unset), not an image pinned by digest',
    ],
  ])('%s is refused, naming the component and the value', (_, image, message) => {
    const values = json({
      components: { backend: image === undefined ? { port: 8000 } : { image, port: 8000 }, web: { image: `r/w@${B}` } },
    });
    expect(() => releaseContent(values)).toThrow(ReleaseValuesError);
    expect(() => releaseContent(values)).toThrow(message);
  });

  it('refuses a component name the images input would not take, and components that are not a mapping', () => {
    expect(() => releaseContent(json({ components: { Backend: { image: `r/b@${A}` } } }))).toThrow(
      'component "Backend" is not a component name the images input takes',
    );
    expect(() => releaseContent(json({ components: ['backend'] }))).toThrow('components is ["backend"], not a mapping');
    expect(() => releaseContent(json({ components: { backend: 'r/b' } }))).toThrow(
      'components.backend is "r/b", not a mapping',
    );
  });

  it('no components (or a component removed with null): no images', () => {
    expect(releaseContent({}).images).toEqual([]);
    expect(images(json({ components: {} }))).toBe('');
    expect(images(json({ components: { gone: null, web: { image: `r/w@${A}` } } }))).toBe(`web: r/w@${A}`);
  });

  it('round trip: what the images input writes into the values reads back as the same images input', () => {
    const input = `web: registry.local:5000/polyglot-cd/test-web@${B}\nbackend: ghcr.io/acme/shop-backend@${A}`;
    const parsed = parseImages(input) as ImageRef[];
    const values = json(
      generatedValues(parse(readFileSync(join(repoRoot, 'charts/app/values.yaml'), 'utf8')), parsed, undefined),
    );
    expect(images(values)).toBe(
      `backend: ghcr.io/acme/shop-backend@${A}\nweb: registry.local:5000/polyglot-cd/test-web@${B}`,
    );
    expect(parseImages(images(values))).toEqual([...parsed].sort((a, b) => a.component.localeCompare(b.component)));
  });

  it('a running canary is a warning: images are the stable track', () => {
    const content = releaseContent(
      json({
        components: { backend: { image: { repository: 'r/b', digest: A } } },
        canary: { enabled: true, component: 'backend', image: { repository: '', digest: B, tag: '' } },
      }),
    );
    expect(formatImages(content.images)).toBe(`backend: r/b@${A}`);
    expect(content.warnings).toEqual([
      `the release runs a canary of backend (its repository@${B}): images lists the stable Deployments' images, not the canary's`,
    ]);
    expect(releaseContent(json({ canary: { enabled: false } })).warnings).toEqual([]);
  });
});

describe('releaseContent: migrations-hash', () => {
  it.each([
    [{}, ''],
    [{ migrations: null }, ''],
    [{ migrations: { enabled: false } }, ''],
    [{ migrations: { hash: null } }, ''],
    [{ migrations: { hash: '' } }, ''],
    [{ migrations: { enabled: true, hash: 'f'.repeat(64) } }, 'f'.repeat(64)],
  ])('%j → %j', (values, hash) => {
    expect(releaseContent(json(values)).migrationsHash).toBe(hash);
  });

  it('a number is taken as written, with a warning to quote it', () => {
    const c = releaseContent(json({ migrations: { hash: 1234 } }));
    expect(c.migrationsHash).toBe('1234');
    expect(c.warnings).toEqual([
      'migrations.hash is the number 1234, not a string: it is compared as written (quote it in the values to keep it exact)',
    ]);
  });

  it('a mapping or a list is refused', () => {
    expect(() => releaseContent(json({ migrations: { hash: { a: 1 } } }))).toThrow(
      'migrations.hash is {"a":1}, not a string',
    );
    expect(() => releaseContent(json({ migrations: 'yes' }))).toThrow('migrations is "yes", not a mapping');
  });
});
