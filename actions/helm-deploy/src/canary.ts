/**
 * The canary phase of a production deploy (inputs canary-component and canary-weight), planned from the
 * values of the release's last deployed revision. Pure.
 *
 * During the canary phase nothing of the running release changes but the canary: every component keeps
 * the image its stable Deployment runs (read back from the deployed revision), and charts/app's
 * `canary` block runs the new image of one component beside it, with `weight` % of that component's
 * requests. The stable images are an output, so a later step can roll back (the same images, canary
 * disabled); promoting is an ordinary deploy of the new images with the canary disabled.
 */
import { DIGEST_REF_RE } from '@polyglot-cd/action-kit';
import { isMapping, type ImageRef, type Values } from './values.js';

export interface CanaryRequest {
  component: string;
  weight: number;
}

export interface CanaryPlan {
  /** true: a canary runs beside the stable track; false: `reason` says why not */
  deployed: boolean;
  reason: string;
  /** the images of the stable Deployments during this deploy, one per component of `images` */
  stable: ImageRef[];
  /** charts/app's `canary` block */
  canary: Values;
}

/** One problem the user must fix (the deployed release can't be kept as the stable track). */
export class CanaryError extends Error {}

function deployedImage(
  values: Values,
  component: string,
): { repository: string; digest: string; tag: string } | undefined {
  const components = values['components'];
  if (!isMapping(components)) return undefined;
  const c = components[component];
  if (!isMapping(c)) return undefined;
  const image = isMapping(c['image']) ? c['image'] : {};
  const s = (k: string): string => (typeof image[k] === 'string' ? (image[k] as string) : '');
  return { repository: s('repository'), digest: s('digest'), tag: s('tag') };
}

/**
 * @param deployed the user-supplied values of the last deployed revision, undefined when the release
 *                 has never been deployed
 */
export function planCanary(deployed: Values | undefined, images: readonly ImageRef[], req: CanaryRequest): CanaryPlan {
  const off: Values = { enabled: false };
  const target = images.find((i) => i.component === req.component);
  if (!target)
    throw new CanaryError(
      `canary-component ${req.component} is not one of the images (${images.map((i) => i.component).join(', ') || 'none given'})`,
    );
  if (deployed === undefined) {
    return {
      deployed: false,
      reason:
        'the release has no deployed revision yet, so there is no stable track to compare with: the new images are deployed directly',
      stable: [...images],
      canary: off,
    };
  }
  const stable: ImageRef[] = [];
  for (const i of images) {
    const d = deployedImage(deployed, i.component);
    if (!d || (!d.repository && !d.digest && !d.tag)) {
      // a component this release adds: nothing runs it yet, so it starts on its new image
      stable.push(i);
      continue;
    }
    const ref = `${d.repository}@${d.digest}`;
    if (!DIGEST_REF_RE.test(ref)) {
      throw new CanaryError(
        `component ${i.component} of the deployed release runs ${d.repository || '(chart default repository)'}${d.digest ? `@${d.digest}` : d.tag ? `:${d.tag}` : ''}, not an image by digest: a canary keeps the stable track by digest. Deploy it once without a canary (by digest), then use canaries`,
      );
    }
    stable.push({ component: i.component, ref, repository: d.repository, digest: d.digest });
  }
  const was = stable.find((s) => s.component === req.component) as ImageRef;
  if (was === target) {
    return {
      deployed: false,
      reason: `${req.component} is new in this release (no stable Deployment to compare with): it is deployed directly`,
      stable,
      canary: off,
    };
  }
  if (was.ref === target.ref) {
    return {
      deployed: false,
      reason: `${req.component} already runs ${target.ref}: no canary needed`,
      stable,
      canary: off,
    };
  }
  return {
    deployed: true,
    reason: '',
    stable,
    canary: {
      enabled: true,
      component: req.component,
      weight: req.weight,
      image: { repository: target.repository, digest: target.digest, tag: '' },
    },
  };
}

/** `component: repo@sha256:…` lines (the format of the `images` input) */
export function formatImages(images: readonly ImageRef[]): string {
  return images.map((i) => `${i.component}: ${i.ref}`).join('\n');
}
