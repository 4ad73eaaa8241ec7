/**
 * Walking a parsed YAML document by keys, noting on the way anything that makes the value reached a
 * shared one: an anchor (`&name`, other places may alias it), an alias (`*name`), or a key that only
 * exists through a merge key (`<<: *name`). Editing a shared value in place would change every place
 * that shares it, so the targets refuse it instead. Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Source } from './yaml-source.js';

/** A path into a document's JS value (yaml's toJS), for the proof. */
export type JsPath = (string | number)[];

export interface Reached {
  /** the node (an alias already resolved); null for a key with no value node */
  node: Node | null;
  /** the first thing on the way that shares the value: `the anchor &a`, `the alias *a`, `the merge key <<: *a` */
  shared: string | undefined;
  path: JsPath;
  /** the key it is the value of, when it was reached through a key of a block mapping */
  blockKey?: Node;
}

/** A key's text, when the key is a scalar. */
export function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** The pair of `map` whose key is `key`, written in the map itself (not merged in). */
export function ownPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => keyText(p.key) === key) as Pair<unknown, unknown> | undefined;
}

function anchorOf(node: unknown): string | undefined {
  return isNode(node) && (isScalar(node) || isMap(node) || isSeq(node)) ? node.anchor : undefined;
}

/** Enters a value node: resolves an alias, and notes an alias or an anchor as sharing. */
export function enter(doc: Document.Parsed, value: unknown, shared: string | undefined, path: JsPath): Reached {
  let node = value;
  if (isAlias(node)) {
    shared ??= `the alias *${node.source}`;
    node = node.resolve(doc);
  }
  const anchor = anchorOf(node);
  if (anchor !== undefined) shared ??= `the anchor &${anchor}`;
  return { node: isNode(node) ? node : null, shared, path };
}

/** True for a value with nothing written (`key:` and nothing after it). */
export function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && node.source === '');
}

/** The document's root. */
export function root(doc: Document.Parsed): Reached {
  return enter(doc, doc.contents, undefined, []);
}

/** The maps a `<<` key of `map` merges in (aliases resolved), with the alias's name. */
function mergedMaps(doc: Document.Parsed, map: YAMLMap): { map: YAMLMap; name: string }[] {
  const out: { map: YAMLMap; name: string }[] = [];
  for (const pair of map.items) {
    if (keyText(pair.key) !== '<<') continue;
    const values = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const v of values) {
      const name = isAlias(v) ? `*${v.source}` : '{…}';
      const resolved = isAlias(v) ? v.resolve(doc) : v;
      if (isMap(resolved)) out.push({ map: resolved, name });
    }
  }
  return out;
}

/**
 * The value under `key` (a map key, or an index into a sequence): undefined when there is none. A key
 * that is not in the map itself but in a map merged in with `<<` is reached, marked as shared.
 */
export function child(doc: Document.Parsed, from: Reached, key: string | number): Reached | undefined {
  const node = from.node;
  const path = [...from.path, key];
  if (isSeq(node)) {
    if (typeof key !== 'number' || key >= node.items.length) return undefined;
    return enter(doc, node.items[key], from.shared, path);
  }
  if (!isMap(node)) return undefined;
  const own = ownPair(node, String(key));
  if (own) {
    const reached = enter(doc, own.value, from.shared, path);
    return !node.flow && isNode(own.key) ? { ...reached, blockKey: own.key } : reached;
  }
  for (const merged of mergedMaps(doc, node)) {
    const pair = ownPair(merged.map, String(key));
    if (pair) return enter(doc, pair.value, from.shared ?? `the merge key <<: ${merged.name}`, path);
  }
  return undefined;
}

/** What a node is, for messages. */
export function describeNode(node: Node | null): string {
  if (node === null) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isEmpty(node)) return 'empty';
  if (isSeq(node)) return 'a sequence';
  return `the scalar ${JSON.stringify(isScalar(node) ? (node.source ?? node.value) : '?')}`;
}

/** A dotted path for messages: `spec.template.spec.containers[0].image`. */
export function formatPath(path: JsPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Refuses a shared value: editing it would change every place that shares it. */
export function refuseShared(src: Source, what: string, shared: string): never {
  throw new InputError(
    `${src.path}: ${what} is reached through ${shared}, so editing it would change every place that shares ` +
      'that value, not only this target. gitops-update only edits a value that is written out where the target ' +
      'points (no &anchor on it or around it, no *alias and no <<: merge key on the way); write the value out there.',
  );
}
