/**
 * cosign-sign's run, loaded only once the inputs are valid (the bundle's cold start stays small).
 */
import { rmSync } from 'node:fs';
import type { ActionContext } from '@polyglot-cd/action-kit';
import type { SignInputs } from './inputs.js';
import {
  checkDigestExists,
  cosignArgs,
  cosignEnv,
  createRun,
  decideTransparencyLog,
  dockerConfig,
  installCosign,
  resolveIdentity,
  type Deps,
} from './phases.js';
import { fmt } from './retry.js';
import { signImage, verifyImage } from './sign.js';
import type { Report } from './summary.js';

/**
 * cosign-sign's phases, in order: the identity (keyless: the job's OIDC token) or the keys; the
 * transparency-log decision; the digest check and cosign itself; the signature; its verification.
 */
export async function run(ctx: ActionContext, i: Readonly<SignInputs>, report: Report, deps: Deps): Promise<void> {
  report.image = i.image;
  report.mode = i.mode;
  const signRun = createRun(ctx, i, report, deps);

  // identity and keys
  const id = await resolveIdentity(signRun);

  // the transparency log, and the argv it shapes
  const upload = decideTransparencyLog(signRun, id);
  const { signArgs, verifyArgs } = cosignArgs(signRun, id.who, upload);

  // only what was pushed is signed, by a pinned cosign 3
  await checkDigestExists(signRun);
  const tool = await installCosign(signRun);

  const configDir = dockerConfig(i, ctx.env);
  try {
    const cosign = { ...tool, env: cosignEnv(configDir) };
    // sign the image, then verify it as a cluster will
    await signImage(signRun, cosign, id.tokens, signArgs, upload);
    await verifyImage(signRun, cosign, verifyArgs);
  } finally {
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  }
  ctx.log.info(`Done within the ${fmt(i.timeoutMs)} budget`);
}
