/**
 * kustomize targets: the `images:` entry of a kustomization.yaml whose `name` is the target's.
 *
 * - `digest` is set to the image's digest (added at the end of the entry when it has none).
 * - `newName` is set to the repository when the repository differs from `name`, or when the entry
 *   already has a `newName` (then it must name the repository built); when the repository is `name`
 *   itself and there is no `newName`, none is added.
 * - `newTag` is kept. kustomize then renders `name:newTag@digest`, and the runtime pulls by the
 *   digest (the tag is only a label); removing a key the user wrote is not this action's call.
 * - nothing else in the entry or the file changes. With `create`, a missing entry (or a missing
 *   `images:`) is added at the end of `images:` (of the file).
 *
 * The stamp goes on the `digest` line. Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { Image, Stamp, Target } from './types.js';
import { appendToSeq, insertIntoMap, insertUnderKey, type Insertion, type NewEntry } from './yaml-insert.js';
import { currentString, scalarSplice, writableScalar } from './yaml-scalar.js';
import type { Change, Site } from './yaml-site.js';
import type { Source, Splice } from './yaml-source.js';
import { heldStamp } from './yaml-stamp.js';
import { child, formatPath, isEmpty, refuseShared, root, type Reached } from './yaml-walk.js';

interface Field {
  key: 'newName' | 'digest';
  value: string;
}

function wantedFields(entry: Reached, doc: Document.Parsed, name: string, image: Image): Field[] {
  const fields: Field[] = [];
  if (image.repository !== name || child(doc, entry, 'newName'))
    fields.push({ key: 'newName', value: image.repository });
  fields.push({ key: 'digest', value: image.digest });
  return fields;
}

function previousOf(doc: Document.Parsed, entry: Reached, name: string): string | undefined {
  const str = (key: string): string | undefined => {
    const n = child(doc, entry, key)?.node;
    return isScalar(n) ? currentString(n) : undefined;
  };
  const digest = str('digest');
  if (digest !== undefined) return digest;
  const tag = str('newTag');
  return tag === undefined ? undefined : `${str('newName') ?? name}:${tag}`;
}

/** Writes `newName` and `digest` into an existing entry. */
function entrySite(src: Source, i: number, entry: Reached, target: Target, image: Image, stamp: Stamp): Site {
  const doc = src.docs[i] as Document.Parsed;
  const what = `the images: entry ${target.where} (${formatPath(entry.path)})`;
  if (entry.shared !== undefined) refuseShared(src, what, entry.shared);
  const splices: Splice[] = [];
  const changes: Change[] = [];
  const missing: NewEntry[] = [];
  let stampAt: number | undefined;
  let held: Stamp | undefined;
  for (const field of wantedFields(entry, doc, target.where, image)) {
    const at = child(doc, entry, field.key);
    if (!at) {
      missing.push({ key: field.key, value: field.value, stamp: field.key === 'digest' });
      changes.push({ doc: i, path: [...entry.path, field.key], value: field.value });
      continue;
    }
    if (at.shared !== undefined) refuseShared(src, `${field.key} of ${what}`, at.shared);
    const scalar = writableScalar(src, at.node, `${field.key} of ${what}`);
    const end = (scalar.range as [number, number, number])[1];
    if (field.key === 'digest') [stampAt, held] = [end, heldStamp(src, end)];
    if (currentString(scalar) === field.value) continue;
    splices.push(scalarSplice(src, scalar, field.value, `${field.key} of ${what}`));
    changes.push({ doc: i, path: at.path, value: field.value });
  }
  let insertion: Insertion | undefined;
  if (missing.length > 0) {
    insertion = insertIntoMap(src, doc, entry.node as YAMLMap, missing, stamp);
    splices.push(insertion.splice);
  }
  const stamps = [stampAt, insertion?.stampAt].filter((n): n is number => n !== undefined);
  const previous = previousOf(doc, entry, target.where);
  return { splices, changes, stampAt: splices.length > 0 ? stamps : [], held, previous };
}

function newEntry(target: Target, image: Image): NewEntry[] {
  const entry: NewEntry[] = [{ key: 'name', value: target.where }];
  if (image.repository !== target.where) entry.push({ key: 'newName', value: image.repository });
  entry.push({ key: 'digest', value: image.digest, stamp: true });
  return entry;
}

/** Adds the entry at the end of `images:`, or adds `images:` at the end of the file's mapping. */
function createSite(src: Source, target: Target, image: Image, stamp: Stamp): Site {
  const i = src.docs.findIndex((d) => isMap(d.contents));
  const doc = src.docs[i];
  if (!doc)
    throw new InputError(`${src.path}: a kustomization.yaml is a mapping (images:, resources:, …); this file is not`);
  const top = root(doc);
  const images = child(doc, top, 'images');
  const entry = newEntry(target, image);
  const value = Object.fromEntries(entry.map((e) => [e.key, e.value]));
  let ins: Insertion;
  let change: Change;
  if (!images) {
    if (top.shared !== undefined) refuseShared(src, 'images:', top.shared);
    ins = insertIntoMap(src, doc, top.node as YAMLMap, [{ key: 'images', value: { seq: [entry] } }], stamp);
    change = { doc: i, path: ['images'], value: [value] };
  } else if (isEmpty(images.node) && images.blockKey) {
    if (images.shared !== undefined) refuseShared(src, 'images:', images.shared);
    ins = insertUnderKey(src, doc, images.blockKey, { seq: [entry] }, stamp);
    change = { doc: i, path: ['images'], value: [value] };
  } else {
    if (!isSeq(images.node)) throw new InputError(`${src.path}: images: is not a sequence of entries (- name: …)`);
    if (images.shared !== undefined) refuseShared(src, 'images:', images.shared);
    ins = appendToSeq(src, doc, images.node, entry, stamp);
    change = { doc: i, path: ['images', images.node.items.length], value };
  }
  const stampAt = ins.stampAt === undefined ? [] : [ins.stampAt];
  return { splices: [ins.splice], changes: [change], stampAt, held: undefined, previous: undefined };
}

/** The sites of a kustomize target: every `images:` entry with the name (usually one). */
export function kustomizeSites(src: Source, target: Target, image: Image, stamp: Stamp): Site[] {
  const sites: Site[] = [];
  const names: string[] = [];
  src.docs.forEach((doc, i) => {
    const images = child(doc, root(doc), 'images');
    if (!images || !isSeq(images.node)) return;
    for (let k = 0; k < images.node.items.length; k++) {
      const entry = child(doc, images, k);
      const name = entry && child(doc, entry, 'name')?.node;
      if (!entry || !isMap(entry.node) || !isScalar(name)) continue;
      names.push(String(name.value));
      if (String(name.value) === target.where) sites.push(entrySite(src, i, entry, target, image, stamp));
    }
  });
  if (sites.length > 0) return sites;
  if (target.create) return [createSite(src, target, image, stamp)];
  const found = names.length > 0 ? `the entries are ${names.join(', ')}` : 'the file has no images: entries';
  throw new InputError(
    `${src.path}: no images: entry has name: ${target.where} (${found}); add one (- name: ${target.where}) ` +
      'or let the target create it (create)',
  );
}
