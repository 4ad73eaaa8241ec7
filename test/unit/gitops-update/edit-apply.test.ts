/**
 * buildApply: the Apply a transport calls (again on a retry) with the files read at one commit. Each
 * file is read once, only changed files become FileChanges, outcomes follow the targets' order, and a
 * missing file or component is the user's to fix.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { buildApply } from '../../../actions/gitops-update/src/edit.js';
import type { Image, ReadFile, Stamp, Target } from '../../../actions/gitops-update/src/types.js';

const D1 = `sha256:${'11'.repeat(32)}`;
const D2 = `sha256:${'22'.repeat(32)}`;
const STAMP: Stamp = { run: 8, commit: 'e'.repeat(40) };
const COMMENT = `# polyglot-cd: run=8 commit=${'e'.repeat(40)}`;
const IMAGES: Image[] = [
  { component: 'backend', repository: 'ghcr.io/acme/backend', digest: D1 },
  { component: 'frontend', repository: 'ghcr.io/acme/frontend', digest: D2 },
];

function t(file: string, kind: Target['kind'], where: string, component: string, extra: Partial<Target> = {}): Target {
  return { file, kind, where, component, write: 'digest', create: false, ...extra };
}

const FILES: Record<string, string> = {
  'envs/prod/values.yaml': 'components:\n  backend:\n    digest: ""\n  frontend:\n    digest: ""\n',
  'envs/prod/deploy.yaml':
    'spec:\n  template:\n    spec:\n      containers:\n      - name: frontend\n        image: old\n',
  'envs/prod/kustomization.yaml': `images:\n- name: ghcr.io/acme/backend\n  digest: ${D1}\n`,
};

function reader(files: Record<string, string>): { read: ReadFile; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (path) => {
      reads.push(path);
      return files[path];
    },
  };
}

const TARGETS = [
  t('envs/prod/values.yaml', 'values', 'components.backend.digest', 'backend'),
  t('envs/prod/deploy.yaml', 'container', 'frontend', 'frontend'),
  t('envs/prod/kustomization.yaml', 'kustomize', 'ghcr.io/acme/backend', 'backend'),
  t('envs/prod/values.yaml', 'values', 'components.frontend.digest', 'frontend'),
];

describe('buildApply', () => {
  it('reads each file once, returns only the changed files, outcomes in the order of the targets', async () => {
    const { read, reads } = reader(FILES);
    const result = await buildApply(TARGETS, IMAGES, STAMP, 'run-number')(read);
    expect(reads).toEqual(['envs/prod/values.yaml', 'envs/prod/deploy.yaml', 'envs/prod/kustomization.yaml']);
    expect(result.changes).toEqual([
      {
        path: 'envs/prod/values.yaml',
        before: FILES['envs/prod/values.yaml'],
        after: `components:\n  backend:\n    digest: "${D1}" ${COMMENT}\n  frontend:\n    digest: "${D2}" ${COMMENT}\n`,
      },
      {
        path: 'envs/prod/deploy.yaml',
        before: FILES['envs/prod/deploy.yaml'],
        after: (FILES['envs/prod/deploy.yaml'] as string).replace(
          'image: old',
          `image: ghcr.io/acme/frontend@${D2} ${COMMENT}`,
        ),
      },
    ]);
    expect(result.outcomes).toEqual([
      { target: TARGETS[0], outcome: 'updated' },
      { target: TARGETS[1], outcome: 'updated', previous: 'old' },
      { target: TARGETS[2], outcome: 'unchanged', previous: D1 },
      { target: TARGETS[3], outcome: 'updated' },
    ]);
  });

  it('is pure: called again (a retry) on the same files, it gives the same result; on its own output, no change', async () => {
    const apply = buildApply(TARGETS, IMAGES, STAMP, 'run-number');
    const first = await apply(reader(FILES).read);
    expect(await apply(reader(FILES).read)).toEqual(first);
    const landed = { ...FILES, ...Object.fromEntries(first.changes.map((c) => [c.path, c.after])) };
    const again = await apply(reader(landed).read);
    expect(again.changes).toEqual([]);
    expect(again.outcomes.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it("passes the ordering on: 'off' writes over a newer stamp, 'run-number' does not", async () => {
    const files = { 'v.yaml': `digest: x # polyglot-cd: run=99 commit=${'d'.repeat(40)}\n` };
    const targets = [t('v.yaml', 'values', 'digest', 'backend')];
    const held = await buildApply(targets, IMAGES, STAMP, 'run-number')(reader(files).read);
    expect(held.changes).toEqual([]);
    expect(held.outcomes[0]).toMatchObject({ outcome: 'skipped-newer', held: { run: 99 } });
    const off = await buildApply(targets, IMAGES, STAMP, 'off')(reader(files).read);
    expect(off.changes[0]?.after).toBe(`digest: ${D1} ${COMMENT}\n`);
  });

  it('a target file that does not exist: an InputError naming the file', async () => {
    const apply = buildApply([t('envs/qa/values.yaml', 'values', 'a', 'backend')], IMAGES, STAMP, 'run-number');
    await expect(apply(reader(FILES).read)).rejects.toThrow(InputError);
    await expect(apply(reader(FILES).read)).rejects.toThrow(
      /^envs\/qa\/values\.yaml does not exist in the GitOps repository \(named by the values target a \(component backend\)\)/,
    );
  });

  it('a target whose component has no image, or an image not by digest: an InputError at once', () => {
    expect(() => buildApply([t('v.yaml', 'values', 'a', 'worker')], IMAGES, STAMP, 'off')).toThrow(
      /names a component that is not in images \(the components given are: backend, frontend\)/,
    );
    const tagged = [{ component: 'backend', repository: 'r', digest: 'latest' }];
    expect(() => buildApply([t('v.yaml', 'values', 'a', 'backend')], tagged, STAMP, 'off')).toThrow(InputError);
  });
});
