/**
 * What the editor refuses, each with an InputError that names the file, the target's path and what is
 * allowed: a missing key, container or entry, a value shared through an anchor, alias or merge key, a
 * file that is not YAML, a value that cannot be written in place, two targets fighting over one value.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { applyEdits } from '../../../actions/gitops-update/src/edit.js';
import type { Image, Stamp, Target } from '../../../actions/gitops-update/src/types.js';
import { readFixture } from '../../helpers/fixtures.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE: Image = { component: 'app', repository: 'ghcr.io/acme/app', digest: DIGEST };
const STAMP: Stamp = { run: 1, commit: 'f'.repeat(40) };

function target(kind: Target['kind'], where: string, extra: Partial<Target> = {}): Target {
  return { file: 'gitops/f.yaml', kind, where, component: 'app', write: 'digest', create: false, ...extra };
}

/** The InputError applying `t` to `text` throws (fails the test when it throws something else or nothing). */
function inputError(text: string, t: Target | Target[], image: Image = IMAGE): string {
  try {
    applyEdits(
      'gitops/f.yaml',
      text,
      [t].flat().map((x) => ({ target: x, image })),
      STAMP,
    );
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError, got none');
}

describe('values targets', () => {
  it('a missing key: names the file, the path, the missing key, and create', () => {
    const msg = inputError('image:\n  repository: r\n', target('values', 'image.digest'));
    expect(msg).toBe(
      'gitops/f.yaml: the key image.digest does not exist (image has no key "digest"); ' +
        'fix the key path, or let the target create the missing keys (create)',
    );
  });

  it('a missing parent', () => {
    expect(inputError('a: 1\n', target('values', 'components.backend.image.digest'))).toMatch(
      /^gitops\/f\.yaml: the key components\.backend\.image\.digest does not exist \(the top level has no key "components"\)/,
    );
  });

  it.each([
    ['a scalar', 'image: nginx\n', /image is the scalar "nginx", not a mapping with the key digest/],
    ['a sequence', 'image:\n  - a\n', /image is a sequence, not a mapping with the key digest/],
    ['an empty document', '# nothing yet\n', /the document is empty, not a mapping with the key image/],
  ])('a parent that is %s: an error, with create too', (_, text, re) => {
    for (const create of [false, true]) {
      const msg = inputError(text, target('values', 'image.digest', { create }));
      expect(msg).toMatch(/^gitops\/f\.yaml: the key image\.digest cannot be written: /);
      expect(msg).toMatch(re);
    }
  });

  it('a missing sequence item', () => {
    expect(inputError('list:\n  - a: 1\n', target('values', 'list.3.a', { create: true }))).toMatch(
      /list is a sequence, not a mapping with the key 3/,
    );
  });

  it('a target that is a mapping, a block scalar, or tagged as something else than a string', () => {
    expect(inputError('image:\n  digest:\n    x: 1\n', target('values', 'image.digest'))).toMatch(
      /^gitops\/f\.yaml: the key image\.digest is a mapping or a sequence; gitops-update writes a scalar value there$/,
    );
    expect(inputError('digest: |\n  sha256:0\n', target('values', 'digest'))).toMatch(/is a block scalar/);
    expect(inputError('digest: !!int 3\n', target('values', 'digest'))).toMatch(/has the tag tag:yaml\.org,2002:int/);
  });

  it('a key path that is not one', () => {
    for (const where of ['', 'a..b', '.a', 'a.', 'a."b']) {
      expect(inputError('a: 1\n', target('values', where))).toMatch(
        /^gitops\/f\.yaml: (the key path .* is not valid|a values target needs a key path)/,
      );
    }
  });
});

describe('shared values: anchors, aliases and merge keys', () => {
  const anchors = readFixture('gitops/corpus/hand-written/anchors.yaml');

  it.each([
    ['shared-digest', 'the anchor &shared'],
    ['defaults.digest', 'the anchor &defaults'],
    ['components.cron.image.digest', 'the alias *shared'],
    ['components.worker.image.digest', 'the merge key <<: *defaults'],
    ['components.worker.image.registry', 'the merge key <<: *defaults'],
    ['components.api.image.digest', 'the anchor &api-image'],
    ['components.api-canary.image.digest', 'the alias *api-image'],
  ])('%s: refused, naming %s', (where, shared) => {
    for (const create of [false, true]) {
      const msg = inputError(anchors, target('values', where, { create }));
      expect(msg).toContain(`gitops/f.yaml: the key ${where} is reached through ${shared}, so editing it would change`);
      expect(msg).toContain('no &anchor on it or around it, no *alias and no <<: merge key on the way');
    }
  });

  it('a key of its own next to a merge key is written (the corpus test checks the bytes)', () => {
    const { outcomes } = applyEdits(
      'gitops/f.yaml',
      anchors,
      [{ target: target('values', 'components.backend.image.digest'), image: IMAGE }],
      STAMP,
    );
    expect(outcomes[0]?.outcome).toBe('updated');
  });

  it('a container reached through an alias, and an anchored container, are refused', () => {
    const viaAlias = 'x: &c\n  name: app\n  image: a\nspec:\n  containers:\n  - *c\n';
    expect(inputError(viaAlias, target('container', 'app'))).toMatch(
      /^gitops\/f\.yaml: the image of container app \(document 1, spec\.containers\[0\]\) is reached through the alias \*c/,
    );
    const anchored = 'spec:\n  containers:\n  - name: app\n    image: &img a\n';
    expect(inputError(anchored, target('container', 'app'))).toMatch(/is reached through the anchor &img/);
  });

  it('a kustomize entry reached through an alias is refused', () => {
    const text = 'base: &e {name: app, digest: x}\nimages:\n- *e\n';
    expect(inputError(text, target('kustomize', 'app'))).toMatch(
      /^gitops\/f\.yaml: the images: entry app \(images\[0\]\) is reached through the alias \*e/,
    );
  });
});

describe('container and kustomize targets', () => {
  it('no container of that name in any document: lists the names found', () => {
    const text =
      'spec:\n  containers:\n  - name: web\n    image: a\n---\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: b\n';
    expect(inputError(text, target('container', 'api'))).toBe(
      'gitops/f.yaml: no container is named api in any document (the containers found are web, init); a container ' +
        'target names a container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob in that file',
    );
    expect(inputError('kind: ConfigMap\ndata: {}\n', target('container', 'api'))).toMatch(/\(it has no containers\)/);
  });

  it('a container without image:', () => {
    expect(inputError('spec:\n  containers:\n  - name: app\n', target('container', 'app'))).toBe(
      'gitops/f.yaml: container app (document 1) has no image: key',
    );
  });

  it('no images: entry with that name', () => {
    expect(inputError('images:\n- name: web\n  newTag: v1\n', target('kustomize', 'api'))).toBe(
      'gitops/f.yaml: no images: entry has name: api (the entries are web); add one (- name: api) or let the target create it (create)',
    );
  });

  it('create, where images: is not a sequence or the file is not a mapping', () => {
    expect(inputError('images: {}\n', target('kustomize', 'api', { create: true }))).toMatch(
      /^gitops\/f\.yaml: images: is not a sequence/,
    );
    expect(inputError('- a\n', target('kustomize', 'api', { create: true }))).toMatch(
      /^gitops\/f\.yaml: a kustomization\.yaml is a mapping/,
    );
  });
});

describe('files and target sets', () => {
  it.each([
    ['a broken flow mapping', 'a: {b: 1\n'],
    ['a tab indentation', 'a:\n\tb: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
  ])('a file that is not valid YAML (%s): names the file and the line', (_, text) => {
    expect(inputError(text, target('values', 'a'))).toMatch(
      /^gitops\/f\.yaml is not valid YAML \(line \d+: .+\); gitops-update only edits YAML files/,
    );
  });

  it('two targets writing different images to one place', () => {
    const text = 'image:\n  digest: ""\n';
    const a = target('values', 'image.digest', { component: 'app' });
    const b = target('values', 'image.digest', { component: 'other' });
    let message = '';
    try {
      applyEdits(
        'gitops/f.yaml',
        text,
        [
          { target: a, image: IMAGE },
          { target: b, image: { ...IMAGE, component: 'other', digest: `sha256:${'cd'.repeat(32)}` } },
        ],
        STAMP,
      );
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message).toBe(
      'gitops/f.yaml: the values target image.digest (component app) and the values target image.digest ' +
        '(component other) both write image.digest (document 1) with different images; point them at different places',
    );
  });

  it('a stamp that could not be read back is a bug of the caller (a plain Error)', () => {
    for (const stamp of [
      { run: -1, commit: 'f'.repeat(40) },
      { run: 1.5, commit: 'f'.repeat(40) },
      { run: 1, commit: 'main' },
    ]) {
      let error: unknown;
      try {
        applyEdits('gitops/f.yaml', 'a: 1\n', [{ target: target('values', 'a'), image: IMAGE }], stamp);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(InputError);
    }
  });
});
