/**
 * The keyless signing identity, from the job's OIDC token. Pure.
 *
 * Fulcio writes into the certificate's SAN the workflow that *ran*, which GitHub puts in the token's
 * `job_workflow_ref` claim (`owner/repo/.github/workflows/file.yml@ref`):
 * - in a workflow called directly, it equals `workflow_ref` (and GITHUB_WORKFLOW_REF);
 * - in a reusable workflow (`uses: org/polyglot-cd/.github/workflows/production.yml@v1`), it is the
 *   *called* workflow, while `workflow_ref` and GITHUB_WORKFLOW_REF still name the caller's. There is
 *   no environment variable for the called workflow, so the claim is the only exact source.
 * The identity is `<GITHUB_SERVER_URL>/<job_workflow_ref>`, exactly the SAN Fulcio issues
 * (sigstore/fulcio docs/oid-info.md; smallstep/cli#1070 shows the reusable-workflow case).
 */

import type { OidcClaims } from '@polyglot-cd/tools/oidc-token';

export { decodeClaims, type OidcClaims } from '@polyglot-cd/tools/oidc-token';

export interface SignerIdentity {
  /** exact `--certificate-identity` */
  identity: string;
  /** `--certificate-oidc-issuer`: the token's issuer */
  issuer: string;
  /** the repository the workflow ran for (`--certificate-github-workflow-repository`) */
  repository: string;
  /** the signing workflow is a reusable workflow called from another one */
  reusable: boolean;
  /** the caller's workflow ref (differs from the identity for reusable workflows) */
  callerWorkflowRef: string;
}

export function signerIdentity(claims: OidcClaims, serverUrl: string): SignerIdentity {
  const jwr = claims.job_workflow_ref;
  if (typeof jwr !== 'string' || !/^[^/\s]+\/[^/\s]+\/\.github\/workflows\/[^@\s]+@\S+$/.test(jwr)) {
    throw new Error(
      `the job's OIDC token has no usable "job_workflow_ref" claim (${JSON.stringify(jwr ?? null)}); it names the workflow Fulcio certifies`,
    );
  }
  const base = (serverUrl || 'https://github.com').replace(/\/+$/, '');
  const callerWorkflowRef = typeof claims.workflow_ref === 'string' ? claims.workflow_ref : '';
  return {
    identity: `${base}/${jwr}`,
    issuer: claims.iss,
    repository: typeof claims.repository === 'string' ? claims.repository : '',
    reusable: callerWorkflowRef !== '' && callerWorkflowRef !== jwr,
    callerWorkflowRef,
  };
}
