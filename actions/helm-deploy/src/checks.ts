/**
 * The checks before anything is deployed: the chart renders with the values (render check), every
 * image's signature verifies (verify-signatures), and this run is not older than the deployed one
 * (ordering). The last two are policies: a refusal is a GateError.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GateError, InfraError, InputError, ToolError, type ActionContext } from '@polyglot-cd/action-kit';
import {
  claimDeployOrder,
  clientNodeOrderApi,
  OlderRunError,
  restOrderApi,
  type DeployRun,
  type RestConnection,
} from '@polyglot-cd/kube';
import { CommandRunner } from '@polyglot-cd/tools/command-runner';
import { Cosign } from '@polyglot-cd/tools/cosign';
import { Helm } from '@polyglot-cd/tools/helm';
import { ensureTool } from '@polyglot-cd/tools/tool-installer';
import type { KubeConfig } from './cluster.js';
import type { DeployInputs } from './inputs.js';
import { isApiFailure } from './namespace.js';
import { generatedValues, mergeValues, type Values } from './values.js';

/**
 * `helm template` with the values the upgrade will use (every values file, the `values` input, the
 * images and the workflow's pod-security level last). A render the chart refuses (its schema or its
 * checks, e.g. security.podSecurity) is an input error; helm failing for another reason (an oci://
 * chart it cannot fetch yet) is left to the upgrade, which reports it.
 */
export async function renderCheck(
  helm: Pick<Helm, 'run'>,
  inp: Readonly<DeployInputs>,
  files: { chart: string; valuesFiles: readonly string[]; work: string },
  userValues: Values,
): Promise<void> {
  const file = join(files.work, 'values.render-check.json');
  const values = mergeValues(generatedValues(userValues, inp.images, inp.ingressHost || undefined), {
    security: { podSecurity: inp.podSecurity },
  });
  writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
  try {
    await helm.run(
      Helm.templateArgs({
        release: inp.release,
        chart: files.chart,
        namespace: inp.namespace,
        chartVersion: inp.chartVersion || undefined,
        valuesFiles: [...files.valuesFiles, file],
      }),
      { timeoutMs: 120_000 },
    );
  } catch (err) {
    const tail = err instanceof ToolError ? err.details.stderrTail : '';
    const refused =
      /execution error at \([^)]*\): (.*)|(values don't meet the specifications of the schema[\s\S]*)/.exec(tail);
    if (refused) {
      throw new InputError(
        `The chart refuses these values (nothing was created): ${(refused[1] ?? refused[2] ?? '').trim()}`,
        inp.valuesFiles.length > 0 ? 'values-files' : 'values',
      );
    }
  }
}

type Verification = NonNullable<DeployInputs['verify']>;

/** The arguments of `cosign verify` for one image: by public key, or by keyless identity and issuer. */
function verifyArgs(v: Verification, ref: string, host: string, publicKey: string | undefined): string[] {
  return Cosign.verifyArgs({
    ref,
    ...(publicKey
      ? { publicKey }
      : { certificateIdentity: v.certificateIdentity, certificateOidcIssuer: v.certificateOidcIssuer }),
    tlogUpload: v.tlog,
    registry: { insecure: v.insecureRegistries.includes(host) },
  });
}

/**
 * `cosign verify` of every image, by digest, against the workflow's public key or exact keyless
 * identity and issuer, before anything is created. One that does not verify stops the deploy.
 * Returns one line per image for the summary.
 */
export async function verifySignatures(
  ctx: ActionContext,
  inp: Readonly<DeployInputs>,
  work: string,
): Promise<string[]> {
  const v = inp.verify as Verification;
  const { log, secrets, env } = ctx;
  const tool = await ensureTool('cosign', v.cosignVersion, {
    log,
    secrets,
    env,
    baseUrl: inp.toolsBaseUrl || undefined,
  });
  const runner = new CommandRunner({ log, secrets, env });
  let publicKey: string | undefined;
  if (v.publicKey) {
    publicKey = join(work, 'verify.pub');
    writeFileSync(publicKey, `${v.publicKey.trim()}\n`, { mode: 0o600 });
  }
  const against = publicKey
    ? 'the verify-key public key'
    : `identity ${v.certificateIdentity} (issuer ${v.certificateOidcIssuer})`;
  const lines: string[] = [];
  for (const img of inp.images) {
    const args = verifyArgs(v, img.ref, img.repository.split('/')[0] ?? '', publicKey);
    let why = '';
    try {
      const res = await runner.run(tool.path, args, { tool: 'cosign', timeoutMs: 120_000 });
      const sigs = Cosign.parseVerifyOutput(res.stdout, img.digest);
      const line = `${img.component}: ${sigs.length} signature(s) verified against ${against}${v.tlog ? '' : ' (transparency log not checked)'}`;
      log.info(line);
      lines.push(line);
      continue;
    } catch (err) {
      if (err instanceof ToolError && err.details.cancelled) throw err;
      why = err instanceof ToolError ? Cosign.classifyFailure(err.details.stderrTail).reason : (err as Error).message;
    }
    throw new GateError(
      `Image ${img.ref} (${img.component}) is not deployed: its signature does not verify against ${against}: ${why}. Nothing was created.`,
    );
  }
  return lines;
}

/** The summary's line for a claimed order. */
function orderLine(run: DeployRun, previousRun: number | undefined): string {
  const after =
    previousRun === undefined
      ? ' (first recorded)'
      : previousRun === run.runNumber
        ? ' (again: a re-run or a later step of the same run)'
        : ` (after run #${previousRun})`;
  return `run #${run.runNumber} of ${run.workflow}${after}`;
}

/**
 * Claims the release for this run (packages/kube/src/deploy-order.ts); a run older than the newest of
 * its workflow is refused by policy (GateError) before anything is deployed. Outside a GitHub run
 * (no GITHUB_RUN_NUMBER) nothing is checked, and the summary says so.
 */
export async function claimOrder(
  ctx: ActionContext,
  inp: Readonly<DeployInputs>,
  conn: RestConnection | undefined,
  kubeConfigLoader: () => Promise<KubeConfig>,
): Promise<string> {
  const run = inp.orderRun;
  if (!run) {
    ctx.log.info('GITHUB_RUN_NUMBER is not set (not a GitHub Actions run): the deploy order is not checked');
    return 'not checked (no GITHUB_RUN_NUMBER)';
  }
  const api = conn ? restOrderApi(conn) : await clientNodeOrderApi(await kubeConfigLoader());
  try {
    const { previousRun } = await claimDeployOrder(api, inp.namespace, inp.release, run);
    const line = orderLine(run, previousRun);
    ctx.log.info(`deploy order: ${line}`);
    return line;
  } catch (err) {
    if (err instanceof OlderRunError) throw new GateError(`Not deployed: ${err.message}. Nothing was changed.`);
    if (isApiFailure(err) || /concurrent updates in a row/.test((err as Error).message))
      throw new InfraError(
        `Could not record the deploy order: ${(err as Error).message}`,
        { service: 'cluster' },
        { cause: err },
      );
    throw err;
  }
}
