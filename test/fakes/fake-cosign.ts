/**
 * Puts the fake cosign (test/fakes/cosign.ts) in place for one test: a wrapper script that runs it
 * under the Node 24 running the tests (process.execPath, which strips its types natively; it records
 * each call for the secret canary scan), its scenario file and its call log. Pass `env()` to the
 * action's workspace.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolWrapper } from '../helpers/canary.js';

export interface FakeCosignScript {
  sign?: string[];
  verify?: string[];
  version?: string;
}

export interface CosignCall {
  argv: string[];
  env: Record<string, string>;
}

export interface FakeCosign {
  bin: string;
  dir: string;
  env(): Record<string, string>;
  calls(): CosignCall[];
  calls(command: 'sign' | 'verify' | 'version'): CosignCall[];
}

export function fakeCosign(script: FakeCosignScript = {}): FakeCosign {
  const dir = mkdtempSync(join(tmpdir(), 'pcd-fake-cosign-'));
  const bin = join(dir, 'cosign');
  const fake = new URL('./cosign.ts', import.meta.url).pathname;
  toolWrapper(bin, 'cosign', [process.execPath, fake]);
  const scriptFile = join(dir, 'script.json');
  writeFileSync(scriptFile, JSON.stringify(script));
  const log = join(dir, 'calls.jsonl');
  const calls = (command?: string): CosignCall[] => {
    if (!existsSync(log)) return [];
    const all = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as CosignCall);
    return command ? all.filter((c) => c.argv[0] === command) : all;
  };
  return {
    bin,
    dir,
    env: () => ({ POLYGLOT_CD_COSIGN_BIN: bin, FAKE_COSIGN_SCRIPT: scriptFile, FAKE_COSIGN_LOG: log }),
    calls: calls as FakeCosign['calls'],
  };
}

/** An unsigned JWT with the claims GitHub puts in an Actions OIDC token (only the payload matters here). */
export function actionsJwt(claims: Record<string, unknown>): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${b64(claims)}.${Buffer.from('not-a-real-signature').toString('base64url')}`;
}
