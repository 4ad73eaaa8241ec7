/**
 * Ordering: the stamp comment `# polyglot-cd: run=<n> commit=<sha>` on a written line keeps an older
 * run from overwriting a newer one; the same or an older stamp is replaced in place; a user's comment
 * is kept; a value already in place is not touched at all.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '@polyglot-cd/action-kit';
import { applyEdits, type EditOptions } from '../../../actions/gitops-update/src/edit.js';
import type { Image, Stamp, Target } from '../../../actions/gitops-update/src/types.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OLD = `sha256:${'0'.repeat(64)}`;
const REPO = 'ghcr.io/acme/app';
const IMAGE: Image = { component: 'app', repository: REPO, digest: DIGEST };
const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const STAMP: Stamp = { run: 12, commit: SHA_A };
const stampOf = (run: number, commit: string) => `polyglot-cd: run=${run} commit=${commit}`;

function target(kind: Target['kind'], where: string): Target {
  return { file: 'f.yaml', kind, where, component: 'app', write: 'digest', create: false };
}

function run(text: string, t: Target, options: EditOptions = {}, stamp: Stamp = STAMP) {
  return applyEdits('f.yaml', text, [{ target: t, image: IMAGE }], stamp, options);
}

describe('ordering by run number', () => {
  const digestT = target('values', 'image.digest');

  it('a newer run on the line: skipped-newer, with the stamp held, and the text untouched', () => {
    const text = `image:\n  digest: ${OLD} # ${stampOf(13, SHA_B)}\n`;
    const { after, outcomes } = run(text, digestT);
    expect(after).toBe(text);
    expect(outcomes).toEqual([
      { target: digestT, outcome: 'skipped-newer', previous: OLD, held: { run: 13, commit: SHA_B } },
    ]);
  });

  it('an older run on the line: updated, the stamp replaced in place, not added', () => {
    const text = `image:\n  digest: ${OLD} # ${stampOf(11, SHA_B)}\n`;
    const { after, outcomes } = run(text, digestT);
    expect(after).toBe(`image:\n  digest: ${DIGEST} # ${stampOf(12, SHA_A)}\n`);
    expect(after.match(/polyglot-cd:/g)).toHaveLength(1);
    expect(outcomes[0]?.outcome).toBe('updated');
  });

  it('the same run (a re-run of the workflow): updated', () => {
    const text = `image:\n  digest: ${OLD} # ${stampOf(12, SHA_B)}\n`;
    expect(run(text, digestT).after).toBe(`image:\n  digest: ${DIGEST} # ${stampOf(12, SHA_A)}\n`);
  });

  it("keeps a user's comment and appends the stamp; a later run replaces the stamp inside it", () => {
    const text = `image:\n  digest: ${OLD}   # pinned by ops, see INC-42\n`;
    const first = run(text, digestT).after;
    expect(first).toBe(`image:\n  digest: ${DIGEST}   # pinned by ops, see INC-42 # ${stampOf(12, SHA_A)}\n`);
    const next: Image = { ...IMAGE, digest: `sha256:${'cd'.repeat(32)}` };
    const second = applyEdits('f.yaml', first, [{ target: digestT, image: next }], { run: 20, commit: SHA_B });
    expect(second.after).toBe(
      `image:\n  digest: ${next.digest}   # pinned by ops, see INC-42 # ${stampOf(20, SHA_B)}\n`,
    );
  });

  it('replaces a stamp in the middle of a comment, keeping the words around it', () => {
    const text = `image:\n  digest: ${OLD} # keep ${stampOf(3, SHA_B)} and this\n`;
    expect(run(text, digestT).after).toBe(`image:\n  digest: ${DIGEST} # keep ${stampOf(12, SHA_A)} and this\n`);
  });

  it('a value already in place: unchanged, text untouched (no stamp added), even under a newer stamp', () => {
    for (const text of [`image:\n  digest: ${DIGEST}\n`, `image:\n  digest: ${DIGEST} # ${stampOf(99, SHA_B)}\n`]) {
      const { after, outcomes } = run(text, digestT);
      expect(after).toBe(text);
      expect(outcomes).toEqual([{ target: digestT, outcome: 'unchanged', previous: DIGEST }]);
    }
  });

  it("ordering 'off': a newer stamp does not hold the target, and the stamp is still written", () => {
    const text = `image:\n  digest: ${OLD} # ${stampOf(13, SHA_B)}\n`;
    const { after, outcomes } = run(text, digestT, { ordering: 'off' });
    expect(after).toBe(`image:\n  digest: ${DIGEST} # ${stampOf(12, SHA_A)}\n`);
    expect(outcomes[0]?.outcome).toBe('updated');
  });

  it('a container target is one unit: a newer stamp on any of its containers holds all of them', () => {
    const doc = (line: string) => `spec:\n  containers:\n  - name: app\n    image: ${line}\n`;
    const text = `${doc('x:1')}---\n${doc(`x:1 # ${stampOf(50, SHA_B)}`)}`;
    const { after, outcomes } = run(text, target('container', 'app'));
    expect(after).toBe(text);
    expect(outcomes[0]).toMatchObject({ outcome: 'skipped-newer', held: { run: 50, commit: SHA_B } });
  });

  it('a kustomize entry holds its stamp on the digest line', () => {
    const text = `images:\n- name: ${REPO}\n  digest: ${OLD} # ${stampOf(40, SHA_B)}\n`;
    expect(run(text, target('kustomize', REPO)).outcomes[0]).toMatchObject({
      outcome: 'skipped-newer',
      held: { run: 40, commit: SHA_B },
    });
  });
});

describe('the stamp in flow style', () => {
  const t = target('values', 'image.digest');

  it('goes at the end of the line, after the closing bracket and any comment there', () => {
    const text = `image: {repository: r, digest: "${OLD}"} # ${stampOf(5, SHA_B)}\n`;
    expect(run(text, t).after).toBe(`image: {repository: r, digest: "${DIGEST}"} # ${stampOf(12, SHA_A)}\n`);
  });

  it('in a multi-line flow mapping, goes on the value line (a comment may end any line of it)', () => {
    const text = `image: {\n  digest: ${OLD},\n  repository: r\n}\n`;
    expect(run(text, t).after).toBe(`image: {\n  digest: ${DIGEST}, # ${stampOf(12, SHA_A)}\n  repository: r\n}\n`);
  });

  it('is refused, with what to do, when the line ends inside a value that continues on the next line', () => {
    const text = `image: {digest: ${OLD}, note: "two\n  lines"}\n`;
    expect(() => run(text, t)).toThrow(InputError);
    expect(() => run(text, t)).toThrow(/f\.yaml: line 1 .* ends inside a value that continues on the next line/);
  });
});
