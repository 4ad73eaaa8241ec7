// The post step (runs even when the main step failed): removes the kubeconfig the main step wrote.
import { runAction } from '@polyglot-cd/action-kit';
import { cleanupKubeconfig } from '@polyglot-cd/kube';

void runAction('helm-deploy (post)', async (ctx) => cleanupKubeconfig(ctx.runner, ctx.log));
