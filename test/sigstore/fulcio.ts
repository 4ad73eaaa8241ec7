/**
 * A local Fulcio (github.com/sigstore/fulcio, built by test/sigstore/fulcio.sh) for keyless tests:
 * an ephemeral in-memory CA (`--ca ephemeralca`), plain HTTP on 127.0.0.1, no CT log
 * (`--ct-log-url ""`, so certificates carry no SCT), and one OIDC issuer, the local GitHub-shaped one
 * (oidc-issuer.ts), as type "github-workflow" with its private CA inline (config "CACert").
 *
 * `trustedRoot` is a Sigstore TrustedRoot JSON holding only this Fulcio's CA, made with the real
 * `cosign trusted-root create`, for `cosign verify --trusted-root` (cosign 3 verifies a bundle only
 * against a trusted root; it refuses --certificate-chain with the bundle format).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../registry/registry.js';
import type { OidcIssuer } from './oidc-issuer.js';

export interface RunningFulcio {
  url: string;
  pid: number;
  /** PEM chain of the ephemeral CA (GET /api/v2/trustBundle) */
  caFile: string;
  /** TrustedRoot JSON with that CA only */
  trustedRoot: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface FulcioOptions {
  fulcio: string;
  /** the cosign binary that writes the trusted root */
  cosign: string;
  dir: string;
  issuer: OidcIssuer;
  /** the audience Fulcio requires of tokens (GitHub mints `sigstore` for cosign) */
  clientId?: string;
}

async function waitFor(url: string, child: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`fulcio exited with ${child.exitCode} before answering (log: ${logFile})`);
    try {
      const res = await fetch(url);
      const body = await res.text();
      if (res.ok) return body;
      last = `HTTP ${res.status}: ${body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fulcio did not answer ${url} within ${timeoutMs} ms (${last}; log: ${logFile})`);
}

export async function startFulcio(o: FulcioOptions): Promise<RunningFulcio> {
  const config = join(o.dir, 'fulcio-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      OIDCIssuers: {
        [o.issuer.url]: {
          IssuerURL: o.issuer.url,
          ClientID: o.clientId ?? 'sigstore',
          Type: 'github-workflow',
          CACert: o.issuer.caPem,
        },
      },
    }),
  );
  const [port, grpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const logFile = join(o.dir, 'fulcio.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    o.fulcio,
    [
      'serve',
      '--ca',
      'ephemeralca',
      '--config-path',
      config,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--grpc-host',
      '127.0.0.1',
      '--grpc-port',
      String(grpcPort),
      '--metrics-port',
      String(metricsPort),
      '--legacy-unix-domain-socket',
      join(o.dir, 'fulcio-legacy.sock'),
      '--ct-log-url',
      '',
      '--log_type',
      'dev',
    ],
    { stdio: ['ignore', log, log], env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: o.dir } },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const bundle = JSON.parse(await waitFor(`${url}/api/v2/trustBundle`, child, logFile)) as {
      chains: { certificates: string[] }[];
    };
    const pem = (bundle.chains[0]?.certificates ?? []).join('');
    if (!pem.includes('BEGIN CERTIFICATE'))
      throw new Error(`fulcio's trust bundle has no certificate: ${JSON.stringify(bundle).slice(0, 300)}`);
    const caFile = join(o.dir, 'fulcio-ca.pem');
    writeFileSync(caFile, pem);
    const trustedRoot = join(o.dir, 'trusted-root.json');
    await promisify(execFile)(
      o.cosign,
      ['trusted-root', 'create', '--fulcio', `url=${url},certificate-chain=${caFile}`, '--out', trustedRoot],
      {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: o.dir },
        timeout: 30_000,
      },
    );
    return { url, pid: child.pid ?? -1, caFile, trustedRoot, logFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
