/**
 * The generated values file: the `values` input (a YAML mapping), the `images` input mapped onto
 * charts/app's `components.<name>.image.{repository,digest}`, and the PR host on `ingress.host`.
 * Values from inputs only ever reach helm through this file (never `--set`), so a value such as
 * `main,image.repository=evil` stays a plain string. Pure.
 */
import { DIGEST_REF_RE } from '@polyglot-cd/action-kit';

/** charts/app component names: a DNS label of at most 23 characters starting with a letter */
export const COMPONENT_RE = /^[a-z]([-a-z0-9]{0,21}[a-z0-9])?$/;

export interface ImageRef {
  component: string;
  /** repo@sha256:… as given */
  ref: string;
  repository: string;
  digest: string;
}

export type Problem = { ok: false; value: string; reason: string };

/**
 * Parses `images`: one `component: repo@sha256:…` (or `component=repo@sha256:…`) per line; `#` comments
 * and blank lines are ignored. Every image must be by digest.
 */
export function parseImages(text: string): ImageRef[] | Problem {
  const out: ImageRef[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const m = /^([^:=\s]+)\s*[:=]\s*(\S+)$/.exec(line);
    if (!m) return { ok: false, value: line, reason: 'expected one "component: repo@sha256:<64 hex>" per line' };
    const [, component, ref] = m as unknown as [string, string, string];
    if (!COMPONENT_RE.test(component)) {
      return {
        ok: false,
        value: component,
        reason:
          'component names are DNS labels of at most 23 characters starting with a letter (e.g. backend, web-api)',
      };
    }
    if (!DIGEST_REF_RE.test(ref)) {
      return {
        ok: false,
        value: ref,
        reason: `the image of ${component} must be by digest, repo@sha256:<64 hex> (the digest output of build-push), never a tag`,
      };
    }
    if (out.some((i) => i.component === component))
      return { ok: false, value: component, reason: `component ${component} is listed twice` };
    const at = ref.lastIndexOf('@');
    out.push({ component, ref, repository: ref.slice(0, at), digest: ref.slice(at + 1) });
  }
  return out;
}

export type Values = Record<string, unknown>;

export function isMapping(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Deep merge, `over` wins; arrays and scalars replace (Helm's own merge rule for values files). */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) ? mergeValues(b, v) : v;
  }
  return out;
}

/** What the action sets on top of the user's `values`. */
export function generatedValues(user: Values, images: readonly ImageRef[], ingressHost: string | undefined): Values {
  const overlay: Values = {};
  if (images.length > 0) {
    const components: Values = {};
    for (const i of images) components[i.component] = { image: { repository: i.repository, digest: i.digest } };
    overlay['components'] = components;
  }
  if (ingressHost) overlay['ingress'] = { host: ingressHost };
  return mergeValues(user, overlay);
}

/** `pr-<N>.<domain>` */
export function prHost(namespace: string, domain: string): string {
  return `${namespace}.${domain.replace(/^\.+|\.+$/g, '').toLowerCase()}`;
}
