/** Shared grammars (OCI distribution spec, Kubernetes names), so every action validates alike. */
import { InputError } from './errors.js';

/** OCI repository path component grammar, with an optional registry host[:port] in front. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
export const REPOSITORY_RE = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
export const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const SHA256_DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
/** `repo@sha256:<64 hex>` */
export const DIGEST_REF_RE = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*@sha256:[a-f0-9]{64}$`);
/** RFC 1123 label, as Kubernetes namespaces use */
export const DNS1123_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDigestRef(ref: string): boolean {
  return DIGEST_REF_RE.test(ref);
}

export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL_RE.test(name);
}

export function parseHttpUrl(text: string): URL | undefined {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Host patterns: `example.com` matches exactly; `*.example.com` matches any subdomain (not the apex). */
export const HOST_PATTERN_RE = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  return h === p;
}

/**
 * `path` (absolute, or relative to `workspace`) as an absolute path, refused unless it lies inside the
 * workspace: lexically, and, when it exists, after resolving symbolic links (a link in the checkout
 * must not reach /etc or the runner's home). `input` names the input in the error.
 */
export function resolveInWorkspace(workspace: string, path: string, input: string): string {
  const { isAbsolute, relative, resolve } = process.getBuiltinModule('node:path');
  const { existsSync, realpathSync } = process.getBuiltinModule('node:fs');
  const inside = (root: string, p: string): boolean => {
    const rel = relative(root, p);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const abs = resolve(workspace, path);
  if (!inside(resolve(workspace), abs)) {
    throw new InputError(
      `Input "${input}" names ${JSON.stringify(path)}, which is outside the workspace (${resolve(workspace)}); only files in the workspace can be used`,
      input,
    );
  }
  if (existsSync(abs) && existsSync(workspace)) {
    const real = realpathSync(abs);
    if (!inside(realpathSync(workspace), real)) {
      throw new InputError(
        `Input "${input}" names ${JSON.stringify(path)}, a link to ${real}, outside the workspace; only files in the workspace can be used`,
        input,
      );
    }
  }
  return abs;
}
