// The post step: removes the kubeconfig file the main step wrote for helm (if it is still there,
// e.g. because the main step was cancelled). Runs with `post-if: always()`.
import { createContext, createRunner } from '@polyglot-cd/action-kit';
import { cleanupKubeconfig } from '@polyglot-cd/kube/kubeconfig-file';

const runner = createRunner();
cleanupKubeconfig(runner, createContext('pr-namespace-cleanup', runner).log);
