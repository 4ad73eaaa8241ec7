// Vitest global setup of the "registry" project (files *.registry.test.ts): two real registries and
// the base image, once per run, removed at the end. Vitest only runs this when such a file is selected.
//   plain: http://127.0.0.1:<port>, no auth
//   tls:   https://127.0.0.1:<port>, throwaway CA, htpasswd basic auth (user polyglot / random password)
// The facts go to a JSON file named by POLYGLOT_CD_REGISTRY_INFO (read by harness.ts in the workers).
// If POLYGLOT_CD_REGISTRY_INFO is already set and its file exists, it is reused and left alone.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canary, registerSecret } from '../helpers/canary.js';
import { INFO_ENV, type RegistryInfo } from './harness.js';
import { authFile, buildBaseImage, checkBinaries, removeDir, startRegistry, storageConf } from './registry.js';

export default async function setup(): Promise<() => Promise<void>> {
  const existing = process.env[INFO_ENV];
  if (existing && existsSync(existing)) {
    console.log(`[registry] reusing ${INFO_ENV}=${existing}`);
    registerSecret(
      'registry harness TLS password (reused)',
      (JSON.parse(readFileSync(existing, 'utf8')) as RegistryInfo).tls.password,
    );
    return async () => {};
  }
  checkBinaries();
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'pcd-registry-'));
  const plain = await startRegistry({ dir: join(dir, 'plain') });
  // a secret canary (test/README.md): the scan at the end of the run fails it if the password shows anywhere
  const auth = { username: 'polyglot', password: canary('registry harness TLS password') };
  const tls = await startRegistry({ dir: join(dir, 'tls'), tls: true, auth }).catch(async (e: unknown) => {
    await plain.stop();
    throw e;
  });
  const stopAll = async (): Promise<void> => {
    await plain.stop();
    await tls.stop();
  };
  try {
    const storage = await storageConf(join(dir, 'storage'));
    // a cert dir for containers/image: every *.crt is a CA (a lone *.key would be an error)
    const certDir = join(dir, 'certs');
    await mkdir(certDir);
    await copyFile(tls.caFile as string, join(certDir, 'ca.crt'));
    const creds = await authFile(join(dir, 'auth.json'), { [tls.host]: auth });
    const baseRepo = 'polyglot-cd/busybox:1';
    await buildBaseImage({
      storageConf: storage,
      refs: [
        { ref: `${plain.host}/${baseRepo}`, tlsVerify: false },
        { ref: `${tls.host}/${baseRepo}`, tlsVerify: true, certDir, authFile: creds },
      ],
    });
    const info: RegistryInfo = {
      dir,
      storageConf: storage,
      plain: { host: plain.host, url: plain.url, dataDir: plain.dataDir, logFile: plain.logFile },
      tls: {
        host: tls.host,
        url: tls.url,
        dataDir: tls.dataDir,
        logFile: tls.logFile,
        caFile: tls.caFile as string,
        certDir,
        username: auth.username,
        password: auth.password,
        authFile: creds,
      },
      baseImage: `${plain.host}/${baseRepo}`,
      tlsBaseImage: `${tls.host}/${baseRepo}`,
    };
    const file = join(dir, 'info.json');
    await writeFile(file, JSON.stringify(info, null, 2), { mode: 0o600 });
    process.env[INFO_ENV] = file;
    console.log(
      `[registry] plain ${plain.url}, tls ${tls.url}, base image ${info.baseImage} (${Date.now() - started} ms)`,
    );
  } catch (e) {
    await stopAll();
    await removeDir(dir);
    throw e;
  }
  const onExit = (): void => {
    for (const pid of [plain.pid, tls.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', onExit);
  return async () => {
    await stopAll();
    process.off('exit', onExit);
    delete process.env[INFO_ENV];
    if (process.env['POLYGLOT_CD_REGISTRY_KEEP'] !== '1') await removeDir(dir);
    console.log('[registry] stopped');
  };
}
