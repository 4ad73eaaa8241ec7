// The job's OIDC token source lives in @polyglot-cd/tools (shared with the cluster access of helm-deploy and pr-namespace-cleanup).
export {
  IdTokenSource,
  OidcError,
  REQUEST_TOKEN_ENV,
  REQUEST_URL_ENV,
  type IdToken,
} from '@polyglot-cd/tools/oidc-token';
