/**
 * The `images` input shared by the actions that deploy an image by digest (helm-deploy, gitops-update):
 * one `component: repo@sha256:…` per line, the component a charts/app component name. Pure.
 */
import { DIGEST_REF_RE } from './validate.js';

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
