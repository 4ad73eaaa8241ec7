/**
 * The generated values file: the `values` input (a YAML mapping), the `images` input mapped onto
 * charts/app's `components.<name>.image.{repository,digest}`, and the PR host on `ingress.host`.
 * Values from inputs only ever reach helm through this file (never `--set`), so a value such as
 * `main,image.repository=evil` stays a plain string. With registry credentials, `imagePullSecrets` names the
 * pull secret (only its name: the credentials never reach this file). Pure.
 */
import type { ImageRef } from '@polyglot-cd/action-kit';

export { COMPONENT_RE, parseImages, type ImageRef, type Problem } from '@polyglot-cd/action-kit';

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

/** What the action sets on top of the user's `values` (with a pull secret: its name in `imagePullSecrets`). */
export function generatedValues(
  user: Values,
  images: readonly ImageRef[],
  ingressHost: string | undefined,
  pullSecretName?: string,
): Values {
  const overlay: Values = {};
  if (pullSecretName) overlay['imagePullSecrets'] = withPullSecret(user['imagePullSecrets'], pullSecretName);
  if (images.length > 0) {
    const components: Values = {};
    for (const i of images) components[i.component] = { image: { repository: i.repository, digest: i.digest } };
    overlay['components'] = components;
  }
  if (ingressHost) overlay['ingress'] = { host: ingressHost };
  return mergeValues(user, overlay);
}

/** The user's `imagePullSecrets` (if a list) with `{name}` added once. */
function withPullSecret(user: unknown, name: string): unknown[] {
  const list = Array.isArray(user) ? (user as unknown[]) : [];
  return list.some((e) => isMapping(e) && e['name'] === name) ? list : [...list, { name }];
}

/**
 * The PR host to set: for charts/app only when a component has a path in the values files or the
 * `values` input (charts/app makes no Ingress otherwise, and refuses a host with nowhere to go, so that
 * a forgotten path is never silent); another chart gets it as it is.
 */
export function prIngressHost(host: string, bundledChart: boolean, layers: readonly Values[]): string {
  if (host === '' || !bundledChart) return host;
  return exposesPath(layers.reduce<Values>((all, v) => mergeValues(all, v), {})) ? host : '';
}

/** Whether some `components.<name>.path` is set: charts/app then makes an Ingress. */
export function exposesPath(values: Values): boolean {
  const components = values['components'];
  if (!isMapping(components)) return false;
  return Object.values(components).some((c) => isMapping(c) && typeof c['path'] === 'string' && c['path'] !== '');
}

/** `pr-<N>.<domain>` */
export function prHost(namespace: string, domain: string): string {
  return `${namespace}.${domain.replace(/^\.+|\.+$/g, '').toLowerCase()}`;
}
