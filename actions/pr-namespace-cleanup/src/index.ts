import { EXEC_CREDENTIAL_FLAG, runExecCredential } from '@polyglot-cd/kube/github-oidc';
import { action } from './main.js';

// `node index.js --polyglot-cd-exec-credential <audience>`: the bundle as the credential plugin of the
// kubeconfig it writes for keyless cluster access (packages/kube/src/github-oidc.ts)
if (process.argv[2] === EXEC_CREDENTIAL_FLAG)
  void runExecCredential(process.argv.slice(3)).then((code) => (process.exitCode = code));
else void action.start();
