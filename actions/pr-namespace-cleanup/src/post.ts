// The post step (runs even when the main step failed): removes the kubeconfig the main step wrote.
import { kubeconfigPostStep } from '@polyglot-cd/kube/kubeconfig-file';

export const post = kubeconfigPostStep('pr-namespace-cleanup');

void post.start();
