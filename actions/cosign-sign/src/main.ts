import { rmSync } from 'node:fs';
import { defineAction, type ActionContext } from '@polyglot-cd/action-kit';
import { getInputs, type SignInputs } from './inputs.js';
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
import { initialReport, outputs, summary, type Report } from './summary.js';

export { defaultAnnotations, mergeAnnotations, visibility } from './context.js';
export { MIN_COSIGN, type Deps, type DigestCheck } from './phases.js';

/**
 * cosign-sign's phases, in order: the identity (keyless: the job's OIDC token) or the keys; the
 * transparency-log decision; the digest check and cosign itself; the signature; its verification.
 */
async function run(ctx: ActionContext, i: Readonly<SignInputs>, report: Report, deps: Deps): Promise<void> {
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

/** cosign-sign: every input validated by the kit first; the kit writes the outputs and the summary. */
export const action = defineAction<Readonly<SignInputs>, Report, Deps>({
  name: 'cosign-sign',
  inputs: getInputs,
  initial: initialReport,
  run,
  outputs,
  summary,
});

export const main = action.main;
