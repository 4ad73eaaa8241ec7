// Vitest global setup of the "kube" project (files *.kube.test.ts): one stack for the whole run (stack.ts:
// registry + test images, control plane, real node), stopped at the end. Vitest only runs this when a
// kube test is selected. If POLYGLOT_CD_KUBECONFIG is already set (a stack started with
// `bash test/kube/cluster.sh start`), it is reused and left running.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { killNow } from './proc.js';
import { KUBECONFIG_ENV } from './harness.js';
import { leftoversOf, stackFileOf, startStack } from './stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    polyglotCdKubeconfig: string;
  }
}

function describeError(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string };
  return err.code
    ? `HTTP ${err.code}: ${typeof err.body === 'string' ? err.body : JSON.stringify(err.body)}`
    : String(err.message ?? e);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env[KUBECONFIG_ENV];
  if (existing) {
    console.log(`[kube] reusing the stack of ${KUBECONFIG_ENV}=${existing}`);
    const kc = new KubeConfig();
    kc.loadFromFile(existing);
    try {
      await kc.makeApiClient(CoreV1Api).listNamespace({ limit: 1 });
    } catch (e) {
      throw new Error(
        `${KUBECONFIG_ENV}=${existing} is set but its API server does not answer (${describeError(e)}). ` +
          'Unset it to let the test run start its own stack, or run `bash test/kube/cluster.sh start`.',
        { cause: e },
      );
    }
    if (!existsSync(stackFileOf(existing))) {
      throw new Error(
        `${KUBECONFIG_ENV}=${existing} has no ${stackFileOf(existing)}: start the cluster with \`bash test/kube/cluster.sh start\``,
      );
    }
    project.provide('polyglotCdKubeconfig', existing);
    return async () => {};
  }
  const log = (line: string) => console.log(`[kube] ${line}`);
  const stack = await startStack({ log, keepData: process.env.POLYGLOT_CD_KUBE_KEEP === '1' });
  log(
    `stack ready (Kubernetes ${stack.kubernetesVersion}, Helm ${stack.helm['4'].version} and ${stack.helm['3'].version}); timings (ms): ${JSON.stringify(stack.timings)}`,
  );
  const onExit = () => killNow(stack.processes);
  process.once('exit', onExit);
  process.env[KUBECONFIG_ENV] = stack.kubeconfig;
  project.provide('polyglotCdKubeconfig', stack.kubeconfig);

  return async () => {
    await stack.stop();
    process.off('exit', onExit);
    delete process.env[KUBECONFIG_ENV];
    // the node's stop() must leave nothing behind: no bridge, shim, container process or mount
    const left = process.env.POLYGLOT_CD_KUBE_KEEP === '1' ? [] : leftoversOf(stack);
    if (left.length > 0) throw new Error(`the stopped kube stack left behind: ${left.join('; ')}`);
    log('stack stopped; nothing left behind');
  };
}
