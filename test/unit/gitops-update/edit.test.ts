/**
 * The YAML editing engine of gitops-update (actions/gitops-update/src/edit.ts and yaml-*.ts): what each
 * target kind writes, in which quoting, where created keys go, several targets in one file, and the
 * proof that nothing else changed.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { applyEdits, type Edit } from '../../../actions/gitops-update/src/edit.js';
import type { Image, Stamp, Target } from '../../../actions/gitops-update/src/types.js';
import { proveOnlyTargetsChanged } from '../../../actions/gitops-update/src/yaml-prove.js';
import { parseSource } from '../../../actions/gitops-update/src/yaml-source.js';
import { parseKeyPath } from '../../../actions/gitops-update/src/yaml-values.js';
import { readFixture } from '../../helpers/fixtures.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OLD = `sha256:${'0'.repeat(64)}`;
const STAMP: Stamp = { run: 12, commit: 'c0ffee'.repeat(6) + 'c0ff' };
const COMMENT = `# polyglot-cd: run=12 commit=${STAMP.commit}`;
const REPO = 'ghcr.io/acme/app';
const IMAGE: Image = { component: 'app', repository: REPO, digest: DIGEST };

function target(kind: Target['kind'], where: string, extra: Partial<Target> = {}): Target {
  return { file: 'f.yaml', kind, where, component: 'app', write: 'digest', create: false, ...extra };
}

function edit(text: string, targets: Target | Target[], image: Image = IMAGE) {
  const edits: Edit[] = [targets].flat().map((t) => ({ target: t, image }));
  return applyEdits('f.yaml', text, edits, STAMP);
}

function after(text: string, targets: Target | Target[], image: Image = IMAGE): string {
  return edit(text, targets, image).after;
}

describe('values targets: quoting and scalar forms', () => {
  const quoted = readFixture('gitops/corpus/hand-written/quoted.yaml');

  it.each([
    ['plain', `  digest: ${DIGEST} ${COMMENT}`],
    ['single', `  digest: '${DIGEST}' ${COMMENT}`],
    ['double', `  digest: "${DIGEST}" ${COMMENT}`],
    ['tagged', `  digest: !!str ${DIGEST} ${COMMENT}`],
    ['empty', `  digest: ${DIGEST} ${COMMENT}`],
    ['nulled', `  digest: ${DIGEST} ${COMMENT}`],
  ])('%s: keeps the quoting (and the tag), changes only that line', (key, line) => {
    const out = after(quoted, target('values', `${key}.digest`));
    const lines = quoted.split('\n');
    const i = lines.indexOf(`${key}:`) + 1;
    lines[i] = line;
    expect(out).toBe(lines.join('\n'));
  });

  it('reads a quoted segment of a key path as one key', () => {
    expect(parseKeyPath('f.yaml', 'a."b.c".d')).toEqual(['a', 'b.c', 'd']);
    expect(parseKeyPath('f.yaml', "x.'y.z'")).toEqual(['x', 'y.z']);
    const out = after(quoted, target('values', '"quoted.key".digest'));
    expect(out).toContain(`"quoted.key":\n  digest: "${DIGEST}" ${COMMENT}\n`);
  });

  it('steps into a sequence with a number', () => {
    const text = 'list:\n  - digest: a\n  - digest: b # second\n';
    expect(after(text, target('values', 'list.1.digest'))).toBe(
      `list:\n  - digest: a\n  - digest: ${DIGEST} # second ${COMMENT}\n`,
    );
  });

  it('writes the whole reference for write: ref', () => {
    expect(after('image: old\n', target('values', 'image', { write: 'ref' }))).toBe(
      `image: ${REPO}@${DIGEST} ${COMMENT}\n`,
    );
  });

  it('double-quotes a plain value that would not read back as the same string', () => {
    const image = { ...IMAGE, repository: 'registry.example:5000/app' };
    expect(after('v: x\n', target('values', 'v', { write: 'ref' }), image)).toBe(
      `v: registry.example:5000/app@${DIGEST} ${COMMENT}\n`,
    );
    const odd = { ...IMAGE, repository: 'a b' };
    expect(after('v: x\n', target('values', 'v', { write: 'ref' }), odd)).toBe(`v: "a b@${DIGEST}" ${COMMENT}\n`);
  });

  it('writes the key in every document that has it', () => {
    const text = `a:\n  digest: ${OLD}\n---\nb: 1\n---\na:\n  digest: ${OLD}\n`;
    const { after: out, outcomes } = edit(text, target('values', 'a.digest'));
    expect(out).toBe(text.replaceAll(OLD, `${DIGEST} ${COMMENT}`));
    expect(outcomes.map((o) => o.outcome)).toEqual(['updated']);
  });

  it('leaves YAML 1.1 booleans and other look-alikes alone, with or without %YAML 1.1', () => {
    const text = readFixture('gitops/corpus/hand-written/yaml11-booleans.yaml');
    for (const t of [text, `%YAML 1.1\n---\n${text}`]) {
      const out = after(t, target('values', 'image.digest'));
      expect(out).toBe(t.replace(`digest: ${OLD}`, `digest: ${DIGEST} ${COMMENT}`));
    }
  });
});

describe('values targets: create', () => {
  it('creates the missing keys in the file indentation, at the end of the deepest existing mapping', () => {
    const text = 'top:\n    image:\n        repository: r\n    # a comment about the next key\n    other: 1\n';
    expect(after(text, target('values', 'top.image.sub.digest', { create: true }))).toBe(
      'top:\n    image:\n        repository: r\n' +
        `        sub:\n            digest: ${DIGEST} ${COMMENT}\n` +
        '    # a comment about the next key\n    other: 1\n',
    );
  });

  it('creates after a nested block and a literal block scalar', () => {
    const text = 'a:\n  b:\n    c: 1\n  script: |\n    echo hi\n\nz: 2\n';
    expect(after(text, target('values', 'a.digest', { create: true }))).toBe(
      `a:\n  b:\n    c: 1\n  script: |\n    echo hi\n  digest: ${DIGEST} ${COMMENT}\n\nz: 2\n`,
    );
  });

  it('creates at the top level at the end of the document, before the next ---', () => {
    const text = 'a: 1\n# trailing\n---\nb: 2\n';
    expect(after(text, target('values', 'x.digest', { create: true }))).toBe(
      `a: 1\nx:\n  digest: ${DIGEST} ${COMMENT}\n# trailing\n---\nb: 2\n`,
    );
  });

  it('creates inside a flow mapping after its last entry, the stamp at the end of the line', () => {
    const text = 'image: {repository: r}  # user\n';
    expect(after(text, target('values', 'image.digest', { create: true }))).toBe(
      `image: {repository: r, digest: ${DIGEST}}  # user ${COMMENT}\n`,
    );
    expect(after('image: {}\n', target('values', 'image.a.digest', { create: true }))).toBe(
      `image: {a: {digest: ${DIGEST}}} ${COMMENT}\n`,
    );
  });

  it('fills a key with an empty value (`image:` and nothing after it)', () => {
    expect(after('image:\n  # to do\nother: 1\n', target('values', 'image.digest', { create: true }))).toBe(
      `image:\n  digest: ${DIGEST} ${COMMENT}\n  # to do\nother: 1\n`,
    );
  });

  it('two targets creating under one new parent share it', () => {
    const backend = target('values', 'components.backend.digest', { create: true });
    const worker = target('values', 'components.worker.digest', { create: true });
    const { after: out, outcomes } = edit('replicas: 1\n', [backend, worker]);
    expect(out).toBe(
      'replicas: 1\ncomponents:\n' +
        `  backend:\n    digest: ${DIGEST} ${COMMENT}\n  worker:\n    digest: ${DIGEST} ${COMMENT}\n`,
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['updated', 'updated']);
  });
});

describe('container targets', () => {
  it('writes every container of that name and nothing else (init containers, CronJob, List)', () => {
    const text = readFixture('gitops/corpus/hand-written/unindented.yaml');
    const out = after(text, target('container', 'migrate'));
    expect(out).toBe(text.replace('image: ghcr.io/acme/web:1.0\n', `image: ${REPO}@${DIGEST} ${COMMENT}\n`));
    expect(out).toContain('image: envoyproxy/envoy:v1.30.0\n');
  });

  it('ignores the write setting: a container image is always the whole reference', () => {
    const text = 'spec:\n  containers:\n  - name: app\n    image: x\n';
    expect(after(text, target('container', 'app', { write: 'digest' }))).toContain(
      `image: ${REPO}@${DIGEST} ${COMMENT}`,
    );
  });
});

describe('kustomize targets', () => {
  const kz = (entry: string) => `resources:\n- deploy.yaml\nimages:\n${entry}`;

  it('repository equal to name and no newName: adds no newName', () => {
    expect(after(kz(`- name: ${REPO}\n  digest: ${OLD}\n`), target('kustomize', REPO))).toBe(
      kz(`- name: ${REPO}\n  digest: ${DIGEST} ${COMMENT}\n`),
    );
  });

  it('repository equal to name and a newName: sets newName to the repository', () => {
    expect(after(kz(`- name: ${REPO}\n  newName: elsewhere/app\n  digest: ${OLD}\n`), target('kustomize', REPO))).toBe(
      kz(`- name: ${REPO}\n  newName: ${REPO}\n  digest: ${DIGEST} ${COMMENT}\n`),
    );
  });

  it('repository different from name: sets (or adds) newName', () => {
    expect(after(kz('- name: app\n  newName: old/app\n'), target('kustomize', 'app'))).toBe(
      kz(`- name: app\n  newName: ${REPO}\n  digest: ${DIGEST} ${COMMENT}\n`),
    );
    expect(after(kz('- name: app\n'), target('kustomize', 'app'))).toBe(
      kz(`- name: app\n  newName: ${REPO}\n  digest: ${DIGEST} ${COMMENT}\n`),
    );
  });

  it('keeps newTag (kustomize renders name:newTag@digest, and the digest is what is pulled)', () => {
    const { after: out, outcomes } = edit(
      kz(`- name: ${REPO}\n  newTag: v1.2.3 # release\n`),
      target('kustomize', REPO),
    );
    expect(out).toBe(kz(`- name: ${REPO}\n  newTag: v1.2.3 # release\n  digest: ${DIGEST} ${COMMENT}\n`));
    expect(outcomes[0]?.previous).toBe(`${REPO}:v1.2.3`);
  });

  it('edits a flow entry in place, the stamp at the end of its line', () => {
    const text = `images: [{name: app, newName: old/app, digest: "${OLD}"}, {name: other, newTag: v1}]\n`;
    expect(after(text, target('kustomize', 'app'))).toBe(
      `images: [{name: app, newName: ${REPO}, digest: "${DIGEST}"}, {name: other, newTag: v1}] ${COMMENT}\n`,
    );
  });

  it('create: appends an entry to images: in its indentation, or adds images:', () => {
    const indented = 'resources:\n  - a.yaml\nimages:\n  - name: other\n    newTag: v1\n';
    expect(after(indented, target('kustomize', 'app', { create: true }))).toBe(
      `${indented}  - name: app\n    newName: ${REPO}\n    digest: ${DIGEST} ${COMMENT}\n`,
    );
    const none = 'resources:\n  - a.yaml\n';
    expect(after(none, target('kustomize', REPO, { create: true }))).toBe(
      `${none}images:\n  - name: ${REPO}\n    digest: ${DIGEST} ${COMMENT}\n`,
    );
    expect(after('images: # none yet\nresources:\n- a.yaml\n', target('kustomize', REPO, { create: true }))).toBe(
      `images: # none yet\n- name: ${REPO}\n  digest: ${DIGEST} ${COMMENT}\nresources:\n- a.yaml\n`,
    );
    expect(after('images: []\n', target('kustomize', REPO, { create: true }))).toBe(
      `images: [{name: ${REPO}, digest: ${DIGEST}}] ${COMMENT}\n`,
    );
  });
});

describe('several targets in one file', () => {
  it('applies them in order, each in the text the previous left', () => {
    const text = 'backend:\n  digest: ""\nfrontend:\n  digest: ""\n';
    const other: Image = { component: 'app', repository: REPO, digest: `sha256:${'cd'.repeat(32)}` };
    const out = applyEdits(
      'f.yaml',
      text,
      [
        { target: target('values', 'backend.digest'), image: IMAGE },
        { target: target('values', 'frontend.digest'), image: other },
      ],
      STAMP,
    );
    expect(out.after).toBe(
      `backend:\n  digest: "${DIGEST}" ${COMMENT}\nfrontend:\n  digest: "${other.digest}" ${COMMENT}\n`,
    );
  });

  it('stamps a line once when two targets write on it', () => {
    const text = `pair: {a: ${OLD}, b: ${OLD}}\n`;
    const out = after(text, [target('values', 'pair.a'), target('values', 'pair.b')]);
    expect(out).toBe(`pair: {a: ${DIGEST}, b: ${DIGEST}} ${COMMENT}\n`);
  });
});

describe('the proof that only the targets changed', () => {
  const before = parseSource('p.yaml', 'a: 1\nb:\n  c: 2\n');

  it('accepts a text that differs only at the changed paths (comments do not count)', () => {
    expect(() =>
      proveOnlyTargetsChanged(before, 'a: 1 # x\nb:\n  c: 3\n', [{ doc: 0, path: ['b', 'c'], value: 3 }]),
    ).not.toThrow();
  });

  it.each([
    ['another value changed', 'a: 2\nb:\n  c: 3\n'],
    ['a key added', 'a: 1\nb:\n  c: 3\nd: 4\n'],
    ['a document added', 'a: 1\nb:\n  c: 3\n---\nx: 1\n'],
    ['a text that does not parse', 'a: 1\nb:\n  c: 3\n c: [\n'],
  ])('throws a plain Error (a bug, not an input error) naming the file: %s', (_, text) => {
    let error: unknown;
    try {
      proveOnlyTargetsChanged(before, text, [{ doc: 0, path: ['b', 'c'], value: 3 }]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^internal: .*p\.yaml.*bug in gitops-update/);
  });
});
