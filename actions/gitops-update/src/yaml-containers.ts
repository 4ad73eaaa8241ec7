/**
 * container targets: every container (or init container) with the target's name, in every document of
 * a manifest file (and in the items of a `kind: List`), gets `image: repository@sha256:…`. The pod
 * spec is looked for where the workload kinds keep it: `spec` (Pod), `spec.template.spec` (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, and look-alikes) and `spec.jobTemplate.spec.template.spec`
 * (CronJob). Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Target } from './types.js';
import { scalarSite, type Site } from './yaml-site.js';
import type { Source } from './yaml-source.js';
import { child, formatPath, refuseShared, root, type Reached } from './yaml-walk.js';

const POD_SPECS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];
const LISTS = ['initContainers', 'containers'];

function descend(doc: Document.Parsed, from: Reached, keys: readonly (string | number)[]): Reached | undefined {
  let at: Reached | undefined = from;
  for (const key of keys) at = at && child(doc, at, key);
  return at;
}

/** The objects of a document: its root, or the items of a `kind: List`. */
function objects(doc: Document.Parsed): Reached[] {
  const top = root(doc);
  const kind = descend(doc, top, ['kind']);
  const items = descend(doc, top, ['items']);
  if (isScalar(kind?.node) && kind.node.value === 'List' && items && isSeq(items.node)) {
    return items.node.items.map((_, i) => child(doc, items, i)).filter((r): r is Reached => r !== undefined);
  }
  return [top];
}

/** Every container map in a document, each with its name. */
function containers(doc: Document.Parsed): { at: Reached; name: string | undefined }[] {
  const out: { at: Reached; name: string | undefined }[] = [];
  for (const obj of objects(doc)) {
    for (const specPath of POD_SPECS) {
      const spec = descend(doc, obj, specPath);
      if (!spec || !isMap(spec.node)) continue;
      for (const list of LISTS) {
        const seq = child(doc, spec, list);
        if (!seq || !isSeq(seq.node)) continue;
        for (let i = 0; i < seq.node.items.length; i++) {
          const c = child(doc, seq, i);
          if (!c || !isMap(c.node)) continue;
          const name = child(doc, c, 'name');
          out.push({ at: c, name: isScalar(name?.node) ? String(name.node.value) : undefined });
        }
      }
    }
  }
  return out;
}

/** The sites of a container target: the `image` of every container with the name, in every document. */
export function containerSites(src: Source, target: Target, ref: string): Site[] {
  const sites: Site[] = [];
  const names = new Set<string>();
  src.docs.forEach((doc, i) => {
    for (const c of containers(doc)) {
      if (c.name !== undefined) names.add(c.name);
      if (c.name !== target.where) continue;
      const what = `the image of container ${target.where} (document ${i + 1}, ${formatPath(c.at.path)})`;
      if (c.at.shared !== undefined) refuseShared(src, what, c.at.shared);
      const image = child(doc, c.at, 'image');
      if (!image) throw new InputError(`${src.path}: container ${target.where} (document ${i + 1}) has no image: key`);
      sites.push(scalarSite(src, i, image, ref, what));
    }
  });
  if (sites.length === 0) {
    const found = names.size > 0 ? `the containers found are ${[...names].join(', ')}` : 'it has no containers';
    throw new InputError(
      `${src.path}: no container is named ${target.where} in any document (${found}); a container target names a ` +
        'container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob in that file',
    );
  }
  return sites;
}
