/**
 * Reading rendered manifests (pure, given a YAML loader): the app URL from the Ingress, and an
 * object-level diff for `dry-run`.
 */
export type LoadAll = (text: string) => unknown[];

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Splits a rendered manifest into objects, keeping each one's YAML text (for line diffs). */
export function splitManifest(manifest: string, loadAll: LoadAll): { key: string; text: string; obj: K8sObject }[] {
  const out: { key: string; text: string; obj: K8sObject }[] = [];
  for (const doc of manifest.split(/^---\s*$/m)) {
    const text = doc.replace(/^# Source:.*$/m, '').trim();
    if (text === '') continue;
    for (const obj of loadAll(text)) {
      if (typeof obj !== 'object' || obj === null) continue;
      const o = obj as K8sObject;
      out.push({ key: `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`, text, obj: o });
    }
  }
  return out;
}

/** The first Ingress host of the release, as a URL: https when a TLS entry covers it, else http. */
export function ingressUrl(manifest: string, loadAll: LoadAll): string {
  // only the documents that can be an Ingress are parsed: YAML-parsing a whole release's manifest
  // was most of the time between helm's exit and the action's
  const candidates = manifest
    .split(/^---\s*$/m)
    .filter((doc) => doc.includes('Ingress'))
    .join('\n---\n');
  for (const { obj } of splitManifest(candidates, loadAll)) {
    if (obj.kind !== 'Ingress') continue;
    const spec = (obj.spec ?? {}) as { rules?: { host?: string }[]; tls?: { hosts?: string[] }[] };
    const host = spec.rules?.find((r) => typeof r.host === 'string' && r.host !== '')?.host;
    if (!host) continue;
    const tls = (spec.tls ?? []).some((t) => (t.hosts ?? []).includes(host));
    return `${tls ? 'https' : 'http'}://${host}`;
  }
  return '';
}

/** A minimal line diff (LCS) with `-`/`+`/` ` prefixes; long unchanged runs are elided. */
export function lineDiff(a: string, b: string, context = 2): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      (lcs[i] as number[])[j] =
        x[i] === y[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
    }
  }
  const ops: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push(`  ${x[i]}`);
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      ops.push(`+ ${y[j]}`);
      j++;
    } else {
      ops.push(`- ${x[i]}`);
      i++;
    }
  }
  const keep = ops.map(
    (op, k) => op[0] !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o[0] !== ' '),
  );
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (keep[k]) {
      out.push(op);
      skipped = false;
    } else if (!skipped) {
      out.push('  …');
      skipped = true;
    }
  });
  return out;
}

export interface ManifestDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
  /** readable diff text */
  text: string;
}

export function diffManifests(current: string, next: string, loadAll: LoadAll): ManifestDiff {
  const before = new Map(splitManifest(current, loadAll).map((o) => [o.key, o.text]));
  const after = new Map(splitManifest(next, loadAll).map((o) => [o.key, o.text]));
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
  const unchanged = [...after.keys()].filter((k) => before.get(k) === after.get(k)).length;
  const parts: string[] = [];
  for (const k of added) parts.push(`+++ ${k} (new)`);
  for (const k of removed) parts.push(`--- ${k} (removed)`);
  for (const k of changed) parts.push(`~~~ ${k}`, ...lineDiff(before.get(k) ?? '', after.get(k) ?? ''));
  return { added, removed, changed, unchanged, text: parts.join('\n') };
}
