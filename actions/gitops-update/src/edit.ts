/**
 * The edits of gitops-update: image digests written into the YAML files of a GitOps repository, byte
 * for byte (only the written values and their stamp comments change; comments, blank lines, quoting,
 * key order, flow style, document markers, line breaks, a byte-order mark and a missing final line
 * break all stay as they were), then proven by parsing the result again. Pure: `buildApply`'s Apply
 * can be called again on a retry, with the files read at a newer commit.
 *
 * Ordering: each written line carries `# polyglot-cd: run=<n> commit=<sha>`. With ordering
 * 'run-number', a target whose line holds a stamp of a newer run is left alone (skipped-newer); with
 * 'off', stamps are still written (they say who wrote the value) but never compared. A target that
 * already holds the new value is 'unchanged' and its text, stamp included, is not touched.
 */
import { InputError } from '@polyglot-cd/action-kit';
import type { Apply, FileChange, Image, Stamp, Target, TargetOutcome } from './types.js';
import { containerSites } from './yaml-containers.js';
import { kustomizeSites } from './yaml-kustomize.js';
import { proveOnlyTargetsChanged } from './yaml-prove.js';
import type { Change, Site } from './yaml-site.js';
import {
  applySplices,
  firstError,
  lineStart,
  parseSource,
  parseText,
  type Source,
  type Splice,
} from './yaml-source.js';
import { checkStamp, newest, stampSplice } from './yaml-stamp.js';
import { valuesSites } from './yaml-values.js';
import { formatPath } from './yaml-walk.js';

export type Ordering = 'run-number' | 'off';

export interface Edit {
  target: Target;
  image: Image;
}

export interface EditOptions {
  /** 'run-number' (default): a newer stamp on a target's line wins; 'off': never compared */
  ordering?: Ordering;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** What a target writes: the digest, or the whole reference. */
export function valueFor(target: Target, image: Image): string {
  const ref = `${image.repository}@${image.digest}`;
  if (target.kind === 'container') return ref;
  return target.kind === 'values' && target.write === 'digest' ? image.digest : ref;
}

function sitesOf(src: Source, edit: Edit, stamp: Stamp): Site[] {
  const { target, image } = edit;
  if (target.kind === 'values') return valuesSites(src, target, valueFor(target, image), stamp);
  if (target.kind === 'container') return containerSites(src, target, valueFor(target, image));
  return kustomizeSites(src, target, image, stamp);
}

/** One stamp splice per line that takes a stamp. */
function stampSplices(src: Source, sites: readonly Site[], stamp: Stamp, what: string): Splice[] {
  const lines = new Map<number, number>();
  for (const site of sites) for (const at of site.stampAt) lines.set(lineStart(src.text, at), at);
  return [...lines.values()].map((at) => stampSplice(src, at, stamp, what));
}

function describeTarget(target: Target): string {
  return `${target.kind} target ${target.where} (component ${target.component})`;
}

/** Two targets writing different values to one place would each undo the other: refused. */
function checkConflicts(
  path: string,
  written: Map<string, { value: unknown; edit: Edit }>,
  edit: Edit,
  changes: Change[],
): void {
  for (const c of changes) {
    const key = `${c.doc}\u0000${JSON.stringify(c.path)}`;
    const before = written.get(key);
    if (before && !Object.is(before.value, c.value) && typeof c.value !== 'object') {
      const both = `the ${describeTarget(before.edit.target)} and the ${describeTarget(edit.target)}`;
      throw new InputError(
        `${path}: ${both} both write ${formatPath(c.path)} (document ${c.doc + 1}) with different images; ` +
          'point them at different places',
      );
    }
    written.set(key, { value: c.value, edit });
  }
}

/** Re-parses the text after one target's splices (the next target is located in it): it must parse. */
function reparse(path: string, text: string): Source {
  const src = parseText(path, text);
  const error = firstError(src);
  if (error !== undefined) {
    throw new Error(
      `internal: gitops-update's edit of ${path} does not parse (${error}); this is a bug in gitops-update`,
    );
  }
  return src;
}

/**
 * Applies the edits of one file, in order (each target is located in the text the previous ones left),
 * and proves the result. Throws InputError for what the user can fix, Error for a bug.
 */
export function applyEdits(
  path: string,
  text: string,
  edits: readonly Edit[],
  stamp: Stamp,
  options: EditOptions = {},
): { after: string; outcomes: TargetOutcome[] } {
  const ordering = options.ordering ?? 'run-number';
  checkStamp(stamp);
  const original = parseSource(path, text);
  let current = original;
  const outcomes: TargetOutcome[] = [];
  const changes: Change[] = [];
  const written = new Map<string, { value: unknown; edit: Edit }>();
  for (const edit of edits) {
    const sites = sitesOf(current, edit, stamp);
    const previous = sites.find((s) => s.previous !== undefined)?.previous;
    const base = { target: edit.target, ...(previous === undefined ? {} : { previous }) };
    const changing = sites.filter((s) => s.splices.length > 0);
    if (changing.length === 0) {
      outcomes.push({ ...base, outcome: 'unchanged' });
      continue;
    }
    const held = newest(sites.map((s) => s.held));
    if (ordering === 'run-number' && held && held.run > stamp.run) {
      outcomes.push({ ...base, outcome: 'skipped-newer', held });
      continue;
    }
    const siteChanges = changing.flatMap((s) => s.changes);
    checkConflicts(path, written, edit, siteChanges);
    const splices = [
      ...changing.flatMap((s) => s.splices),
      ...stampSplices(current, changing, stamp, describeTarget(edit.target)),
    ];
    current = reparse(path, applySplices(current.text, splices));
    changes.push(...siteChanges);
    outcomes.push({ ...base, outcome: 'updated' });
  }
  if (current.text !== text) proveOnlyTargetsChanged(original, current.text, changes);
  return { after: current.text, outcomes };
}

function checkImages(targets: readonly Target[], images: readonly Image[]): Map<string, Image> {
  const byComponent = new Map(images.map((i) => [i.component, i]));
  for (const t of targets) {
    const image = byComponent.get(t.component);
    if (!image) {
      const known = images.map((i) => i.component).join(', ') || 'none';
      throw new InputError(
        `the ${describeTarget(t)} in ${t.file} names a component that is not in images (the components given are: ${known})`,
      );
    }
    if (!DIGEST_RE.test(image.digest)) {
      throw new InputError(`the image of ${image.component} must be by digest (sha256:<64 hex>), not ${image.digest}`);
    }
  }
  return byComponent;
}

/**
 * The Apply of a set of targets: each file read once (targets grouped by file, in the order the files
 * first appear), edited, and returned as a FileChange only when its text changed. The outcomes come in
 * the order of `targets`.
 */
export function buildApply(
  targets: readonly Target[],
  images: readonly Image[],
  stamp: Stamp,
  ordering: Ordering,
): Apply {
  checkStamp(stamp);
  const byComponent = checkImages(targets, images);
  const files = new Map<string, { target: Target; index: number }[]>();
  targets.forEach((target, index) => {
    const list = files.get(target.file) ?? [];
    list.push({ target, index });
    files.set(target.file, list);
  });
  return async (read) => {
    const changes: FileChange[] = [];
    const outcomes: TargetOutcome[] = new Array<TargetOutcome>(targets.length);
    for (const [file, list] of files) {
      const before = await read(file);
      if (before === undefined) {
        throw new InputError(
          `${file} does not exist in the GitOps repository (named by the ${describeTarget((list[0] as { target: Target }).target)}); ` +
            'gitops-update edits existing files only: add the file first, or fix the path',
        );
      }
      const edits = list.map(({ target }) => ({ target, image: byComponent.get(target.component) as Image }));
      const result = applyEdits(file, before, edits, stamp, { ordering });
      if (result.after !== before) changes.push({ path: file, before, after: result.after });
      list.forEach(({ index }, k) => (outcomes[index] = result.outcomes[k] as TargetOutcome));
    }
    return { changes, outcomes };
  };
}
