// Vitest global setup of the "kube" project (files *.kube.test.ts): one control plane and one node
// simulator for the whole run, stopped at the end. Vitest only runs this when a kube test is selected.
// If POLYGLOT_CD_KUBECONFIG is already set (a control plane started with `test/kube/cluster.sh start`),
// it is reused and left running.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { TestProject } from 'vitest/node';
import { killNow, startControlPlane } from './controlplane.js';
import { KUBECONFIG_ENV } from './harness.js';
import { describeError, NodeSimulator } from './simulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    polyglotCdKubeconfig: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env[KUBECONFIG_ENV];
  if (existing) {
    console.log(`[kube] reusing the control plane of ${KUBECONFIG_ENV}=${existing}`);
    const kc = new KubeConfig();
    kc.loadFromFile(existing);
    try {
      await kc.makeApiClient(CoreV1Api).listNamespace({ limit: 1 });
    } catch (e) {
      throw new Error(
        `${KUBECONFIG_ENV}=${existing} is set but its API server does not answer (${describeError(e)}). ` +
          'Unset it to let the test run start its own control plane, or run `bash test/kube/cluster.sh start`.',
        { cause: e },
      );
    }
    project.provide('polyglotCdKubeconfig', existing);
    return async () => {};
  }
  const log = (line: string) => console.log(`[kube] ${line}`);
  const cp = await startControlPlane({ log, keepData: process.env.POLYGLOT_CD_KUBE_KEEP === '1' });
  const { pki, etcd, apiserverReady, controllerManagerReady } = cp.timings;
  log(`start timings (ms): pki ${pki}, etcd ${etcd}, kube-apiserver ${apiserverReady}, kube-controller-manager ${controllerManagerReady}`);
  const onExit = () => killNow(cp.processes);
  process.once('exit', onExit);

  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfig);
  const sim = new NodeSimulator(kc, { log: (l) => log(`simulator: ${l}`) });
  try {
    await sim.start();
  } catch (e) {
    await cp.stop();
    throw e;
  }
  process.env[KUBECONFIG_ENV] = cp.kubeconfig;
  project.provide('polyglotCdKubeconfig', cp.kubeconfig);

  return async () => {
    await sim.stop();
    await cp.stop();
    process.off('exit', onExit);
    delete process.env[KUBECONFIG_ENV];
    log('control plane stopped');
  };
}
