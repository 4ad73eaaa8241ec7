/**
 * The editor on real files of GitOps repositories (test/fixtures/gitops/corpus/SOURCES.md) and on the
 * hand-written cases the corpus lacks: for each file and target, the result is the input with only the
 * digest's line changed (or the created lines added), computed from the input here rather than stored;
 * it parses; and a second run with the same stamp changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../../../actions/gitops-update/src/edit.js';
import type { Image, Stamp, Target } from '../../../actions/gitops-update/src/types.js';
import { readFixture } from '../../helpers/fixtures.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const STAMP: Stamp = { run: 42, commit: '9f'.repeat(20) };
const COMMENT = `# polyglot-cd: run=42 commit=${'9f'.repeat(20)}`;

function corpus(rel: string): string {
  return readFixture(`gitops/corpus/${rel}`);
}

/** The index of the one line holding `needle`. */
function lineOf(lines: readonly string[], needle: string): number {
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  expect(hits, `lines holding ${JSON.stringify(needle)}`).toHaveLength(1);
  return hits[0] as number;
}

/** `text` with the line holding `needle` rewritten by `f` (its line break kept). */
function replaceLine(text: string, needle: string, f: (line: string) => string): string {
  const lines = text.split('\n');
  const i = lineOf(lines, needle);
  const line = lines[i] as string;
  const cr = line.endsWith('\r') ? '\r' : '';
  lines[i] = f(line.slice(0, line.length - cr.length)) + cr;
  return lines.join('\n');
}

/** `text` with `added` lines after the line holding `needle`, with the file's line breaks. */
function insertAfter(text: string, needle: string, added: readonly string[]): string {
  const lines = text.split('\n');
  const i = lineOf(lines, needle);
  const cr = text.includes('\r\n') ? '\r' : '';
  lines.splice(i + 1, 0, ...added.map((a) => a + cr));
  return lines.join('\n');
}

interface Case {
  name: string;
  file: string;
  target: Pick<Target, 'kind' | 'where'> & Partial<Target>;
  repository?: string;
  expected: (input: string) => string;
  /** the outcome's previous value */
  previous?: string;
}

const REPO = 'ghcr.io/acme/app';
const REF = `${REPO}@${DIGEST}`;
const ZERO = `sha256:${'0'.repeat(64)}`;

const CASES: Case[] = [
  {
    name: 'Argo CD guestbook Deployment: the container, `- image:` first in its item',
    file: 'argocd-example-apps/guestbook-ui-deployment.yaml',
    target: { kind: 'container', where: 'guestbook-ui' },
    expected: (t) =>
      replaceLine(t, 'gb-frontend:v5', (l) => `${l.replace('gcr.io/google-samples/gb-frontend:v5', REF)} ${COMMENT}`),
    previous: 'gcr.io/google-samples/gb-frontend:v5',
  },
  {
    name: 'Argo CD helm-guestbook values: image.digest created at the end of image:',
    file: 'argocd-example-apps/helm-guestbook-values.yaml',
    target: { kind: 'values', where: 'image.digest', create: true },
    expected: (t) => insertAfter(t, 'pullPolicy: IfNotPresent', [`  digest: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'Argo CD kustomize-guestbook: images: created at the end of the file',
    file: 'argocd-example-apps/kustomize-guestbook-kustomization.yaml',
    target: { kind: 'kustomize', where: 'gcr.io/heptio-images/ks-guestbook-demo', create: true },
    expected: (t) =>
      insertAfter(t, 'kind: Kustomization', [
        'images:',
        '- name: gcr.io/heptio-images/ks-guestbook-demo',
        `  newName: ${REPO}`,
        `  digest: ${DIGEST} ${COMMENT}`,
      ]),
  },
  {
    name: 'Argo CD helm-hooks: one container of a five-document file that starts with ---',
    file: 'argocd-example-apps/helm-hooks-manifests.yaml',
    target: { kind: 'container', where: 'page-up' },
    expected: (t) =>
      t.replace(/(name: page-up\n {10}image: )alpine:latest/, (_, head: string) => `${head}${REF} ${COMMENT}`),
    previous: 'alpine:latest',
  },
  {
    name: 'Argo CD sock-shop carts: containers at the indentation of their key',
    file: 'argocd-example-apps/sock-shop-carts-dep.yaml',
    previous: 'weaveworksdemos/carts:0.4.8',
    target: { kind: 'container', where: 'carts' },
    expected: (t) =>
      replaceLine(
        t,
        'weaveworksdemos/carts:0.4.8',
        (l) => `${l.replace('weaveworksdemos/carts:0.4.8', REF)} ${COMMENT}`,
      ),
  },
  {
    name: 'prometheus-node-exporter values: digest: "" keeps its double quotes',
    file: 'prometheus-community/prometheus-node-exporter-values.yaml',
    target: { kind: 'values', where: 'image.digest' },
    expected: (t) => replaceLine(t, 'digest: ""', (l) => `${l.replace('""', `"${DIGEST}"`)} ${COMMENT}`),
  },
  {
    name: 'alertmanager values (anchors and aliases elsewhere): image.digest created after tag:',
    file: 'prometheus-community/alertmanager-values.yaml',
    target: { kind: 'values', where: 'image.digest', create: true, write: 'ref' },
    expected: (t) => insertAfter(t, '  tag: ""', [`  digest: ${REF} ${COMMENT}`]),
  },
  {
    name: 'kustomize example: the digest of an entry with newName and digest, on the last line with no line break',
    file: 'kustomize/transformerconfigs-images-kustomization.yaml',
    target: { kind: 'kustomize', where: 'docker' },
    repository: 'my-docker2',
    expected: (t) => replaceLine(t, 'sha256:25a0d4', (l) => `${l.replace('sha256:25a0d4', DIGEST)} ${COMMENT}`),
    previous: 'sha256:25a0d4',
  },
  {
    name: 'kustomize example: an entry with newTag gets a digest and keeps newTag',
    file: 'kustomize/transformerconfigs-images-kustomization.yaml',
    target: { kind: 'kustomize', where: 'my-app' },
    repository: 'new-app-1',
    expected: (t) => insertAfter(t, 'newTag: MYNEWTAG-1', [`  digest: ${DIGEST} ${COMMENT}`]),
    previous: 'new-app-1:MYNEWTAG-1',
  },
  {
    name: 'kustomize example resources: an init container in the second document, no final line break',
    file: 'kustomize/transformerconfigs-images-resources.yaml',
    target: { kind: 'container', where: 'nginx2' },
    previous: 'my-app',
    expected: (t) => replaceLine(t, 'image: my-app', (l) => `${l.replace('my-app', REF)} ${COMMENT}`),
  },
  {
    name: 'kustomize example resources: spec.containers of a custom kind',
    file: 'kustomize/transformerconfigs-images-resources.yaml',
    target: { kind: 'container', where: 'ecosystem' },
    previous: 'docker',
    expected: (t) => replaceLine(t, 'image: docker', (l) => `${l.replace('docker', REF)} ${COMMENT}`),
  },
  {
    name: 'Flux HelmRelease: spec.values.redis.digest created after tag:',
    file: 'flux2-kustomize-helm-example/podinfo-release.yaml',
    target: { kind: 'values', where: 'spec.values.redis.digest', create: true },
    expected: (t) => insertAfter(t, 'tag: 8.6.2', [`      digest: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'Flux HelmRelease: spec.values.image created after the deepest last line of spec.values',
    file: 'flux2-kustomize-helm-example/podinfo-release.yaml',
    target: { kind: 'values', where: 'spec.values.image.digest', create: true },
    expected: (t) => insertAfter(t, 'value: /', ['    image:', `      digest: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'Flux staging patch: spec.values.image created after a sequence',
    file: 'flux2-kustomize-helm-example/staging-podinfo-values.yaml',
    target: { kind: 'values', where: 'spec.values.image.digest', create: true },
    expected: (t) => insertAfter(t, '- podinfo.staging', ['    image:', `      digest: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'Kubernetes docs CronJob: jobTemplate.spec.template.spec.containers',
    file: 'kubernetes-website/cronjob.yaml',
    target: { kind: 'container', where: 'hello' },
    expected: (t) => replaceLine(t, 'image: busybox', (l) => `${l.replace('busybox', REF)} ${COMMENT}`),
    previous: 'busybox',
  },
  // hand-written: what the corpus lacks
  {
    name: 'hand-written CRLF: the value replaced, CRLF kept',
    file: 'hand-written/crlf.yaml',
    target: { kind: 'values', where: 'image.digest' },
    previous: ZERO,
    expected: (t) => replaceLine(t, 'digest:', (l) => `${l.replace(/"sha256:0+"/, `"${DIGEST}"`)} ${COMMENT}`),
  },
  {
    name: 'hand-written CRLF: a created key gets CRLF too',
    file: 'hand-written/crlf.yaml',
    target: { kind: 'values', where: 'worker.image.digest', create: true },
    expected: (t) => insertAfter(t, 'replicas: 2', ['  image:', `    digest: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'hand-written CRLF kustomization: the digest of an entry whose name is the repository',
    file: 'hand-written/crlf-kustomization.yaml',
    target: { kind: 'kustomize', where: REPO },
    previous: ZERO,
    expected: (t) => replaceLine(t, 'digest:', () => `  digest: ${DIGEST} ${COMMENT}`),
  },
  {
    name: 'hand-written anchors: a key of its own next to a merge key',
    file: 'hand-written/anchors.yaml',
    target: { kind: 'values', where: 'components.backend.image.digest' },
    previous: `sha256:${'2'.repeat(64)}`,
    expected: (t) => replaceLine(t, '"sha256:2222', (l) => `${l.replace(/"sha256:2+"/, `"${DIGEST}"`)} ${COMMENT}`),
  },
  {
    name: 'hand-written flow: a one-line flow mapping, stamp after the closing braces',
    file: 'hand-written/flow.yaml',
    target: { kind: 'values', where: 'components.backend.image.digest' },
    previous: ZERO,
    expected: (t) => replaceLine(t, 'backend:', (l) => `${l.replace(/sha256:0+/, DIGEST)} ${COMMENT}`),
  },
  {
    name: 'hand-written flow: single quotes kept, stamp appended to the comment',
    file: 'hand-written/flow.yaml',
    target: { kind: 'values', where: 'components.frontend.image.digest' },
    previous: ZERO,
    expected: (t) => replaceLine(t, '# frontend', (l) => `${l.replace(/sha256:0+/, DIGEST)} ${COMMENT}`),
  },
  {
    name: 'hand-written flow: a multi-line flow mapping, stamp after the comma',
    file: 'hand-written/flow.yaml',
    target: { kind: 'values', where: 'components.worker.image.digest' },
    previous: ZERO,
    expected: (t) => replaceLine(t, '      digest: sha256:0', (l) => `${l.replace(/sha256:0+/, DIGEST)} ${COMMENT}`),
  },
  {
    name: 'hand-written flow: a key created in an empty flow mapping',
    file: 'hand-written/flow.yaml',
    target: { kind: 'values', where: 'components.empty.digest', create: true },
    expected: (t) => replaceLine(t, 'empty: {}', () => `  empty: {digest: ${DIGEST}} ${COMMENT}`),
  },
  {
    name: 'hand-written unindented: the container in the Deployment, the CronJob and the List',
    file: 'hand-written/unindented.yaml',
    target: { kind: 'container', where: 'web' },
    expected: (t) =>
      t
        .replace(/(- name: web\n {8}image: )ghcr\.io\/acme\/web:1\.0/, (_, h: string) => `${h}${REF} ${COMMENT}`)
        .replace(/(- name: web\n {12}image: )"ghcr\.io\/acme\/web:1\.0"/, (_, h: string) => `${h}"${REF}" ${COMMENT}`)
        .replace(/(- name: web\n {6}image: )'ghcr\.io\/acme\/web:1\.0'/, (_, h: string) => `${h}'${REF}' ${COMMENT}`),
    previous: 'ghcr.io/acme/web:1.0',
  },
  {
    name: 'hand-written markers: %YAML, --- with a comment, ... and a flow container in the third document',
    file: 'hand-written/markers.yaml',
    target: { kind: 'container', where: 'app' },
    previous: 'busybox:1.36',
    expected: (t) =>
      replaceLine(
        replaceLine(t, '      image: busybox:1.36', (l) => `${l.replace('busybox:1.36', REF)} ${COMMENT}`),
        '{name: app',
        (l) => `${l.replace('busybox:1.36', REF)} ${COMMENT}`,
      ),
  },
  {
    name: 'hand-written YAML 1.1 look-alikes elsewhere: untouched',
    file: 'hand-written/yaml11-booleans.yaml',
    target: { kind: 'values', where: 'image.digest' },
    previous: ZERO,
    expected: (t) => replaceLine(t, 'digest:', (l) => `${l.replace(/sha256:0+/, DIGEST)} ${COMMENT}`),
  },
  {
    name: 'hand-written BOM: kept',
    file: 'hand-written/bom.yaml',
    target: { kind: 'values', where: 'image.digest' },
    expected: (t) => replaceLine(t, 'digest:', () => `  digest: "${DIGEST}" ${COMMENT}`),
  },
  {
    name: 'hand-written BOM: a created key is indented from the first column, not from the BOM',
    file: 'hand-written/bom.yaml',
    target: { kind: 'values', where: 'image.pullPolicy', create: true },
    expected: (t) => insertAfter(t, 'digest:', [`  pullPolicy: ${DIGEST} ${COMMENT}`]),
  },
  {
    name: 'hand-written no final line break: a created key on the last line keeps none',
    file: 'hand-written/no-final-newline.yaml',
    target: { kind: 'values', where: 'image.digest', create: true },
    expected: (t) => `${t}\n  digest: ${DIGEST} ${COMMENT}`,
  },
];

function targetOf(c: Case): Target {
  return { file: c.file, component: 'app', write: 'digest', create: false, ...c.target };
}

function imageOf(c: Case): Image {
  return { component: 'app', repository: c.repository ?? REPO, digest: DIGEST };
}

function parseErrors(text: string): string[] {
  return parseAllDocuments(text).flatMap((d) => d.errors.map((e) => e.message));
}

describe('the corpus: only the digest line changes, the result parses, a second run is a no-op', () => {
  it.each(CASES)('$name', (c) => {
    const before = corpus(c.file);
    const edits = [{ target: targetOf(c), image: imageOf(c) }];
    const { after, outcomes } = applyEdits(c.file, before, edits, STAMP);
    expect(outcomes).toEqual([
      { target: edits[0]?.target, outcome: 'updated', ...(c.previous ? { previous: c.previous } : {}) },
    ]);
    const expected = c.expected(before);
    expect(expected).not.toBe(before);
    expect(after).toBe(expected);
    expect(parseErrors(after)).toEqual([]);
    const again = applyEdits(c.file, after, edits, STAMP);
    expect(again.after).toBe(after);
    expect(again.outcomes.map((o) => o.outcome)).toEqual(['unchanged']);
  });

  it('keeps the fixtures as they were made: CRLF, BOM, no final line break', () => {
    expect(corpus('hand-written/crlf.yaml')).toMatch(/^[^\n]*\r\n(?:[^\n]*\r\n)*$/);
    expect(
      corpus('hand-written/crlf-kustomization.yaml')
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
    expect(corpus('hand-written/bom.yaml').startsWith('\uFEFF')).toBe(true);
    expect(corpus('hand-written/no-final-newline.yaml').endsWith('\n')).toBe(false);
    expect(corpus('kustomize/transformerconfigs-images-resources.yaml').endsWith('\n')).toBe(false);
    expect(corpus('kustomize/transformerconfigs-images-kustomization.yaml').endsWith('\n')).toBe(false);
  });

  it('writes the whole reference where a values target asks for it, in the quoting the value had', () => {
    const text = corpus('hand-written/quoted.yaml');
    const target: Target = {
      file: 'q.yaml',
      kind: 'values',
      where: 'ref.image',
      component: 'app',
      write: 'ref',
      create: false,
    };
    const { after } = applyEdits(
      'q.yaml',
      text,
      [{ target, image: { component: 'app', repository: REPO, digest: DIGEST } }],
      STAMP,
    );
    expect(after).toBe(text.replace(/'ghcr[^']*' # pinned/, `'${REF}' # pinned ${COMMENT}`));
  });
});
