/**
 * The workflow file of a workflow ref (`owner/repo/.github/workflows/x.yml@ref` without `@ref`): what
 * the deploy order keys a workflow by. A module of its own so that reading it costs an action's start
 * nothing (deploy-order.ts talks to the API server).
 */
export function workflowPath(workflowRef: string): string {
  const at = workflowRef.indexOf('@');
  return at === -1 ? workflowRef : workflowRef.slice(0, at);
}
