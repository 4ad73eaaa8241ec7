/**
 * The test cluster's stand-in for GitHub Actions' OIDC issuer (https://token.actions.githubusercontent.com),
 * as the API server sees it: an HTTPS server for OpenID discovery and the signing keys, nothing else.
 * Tokens are minted by the tests with the private key (test/kube/github-oidc.ts), exactly as GitHub
 * signs them (RS256, kid in the header). Run by controlplane.ts as its own process, so that it lives
 * as long as the API server, also for `cluster.sh start`:
 *   node test/kube/oidc-issuer.ts <port> <cert.pem> <key.pem> <dir with openid-configuration and jwks>
 * Plain Node 24 (type stripping), node: modules only.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';

const [port, certFile, keyFile, dir] = process.argv.slice(2);
if (!port || !certFile || !keyFile || !dir) {
  process.stderr.write('usage: oidc-issuer.ts <port> <cert> <key> <dir>\n');
  process.exit(2);
}
const files: Record<string, string> = {
  '/.well-known/openid-configuration': readFileSync(join(dir, 'openid-configuration'), 'utf8'),
  '/.well-known/jwks': readFileSync(join(dir, 'jwks'), 'utf8'),
};
createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  const body = files[new URL(req.url ?? '/', 'https://127.0.0.1').pathname];
  res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
  res.end(body ?? '{"message":"not found"}');
  process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url} ${body === undefined ? 404 : 200}\n`);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening on https://127.0.0.1:${port}\n`));
