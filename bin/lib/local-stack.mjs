// The local stand-ins for what a GitHub run talks to, for `polyglot-cd pipeline`:
// - an OCI registry: Debian's `docker-registry` on 127.0.0.1, started once and kept running (data
//   and state under ~/.cache/polyglot-cd/pipeline/registry), with the busybox base image pushed to it;
// - the container store for buildah (vfs driver, chroot isolation, under the same cache dir);
// - the Kubernetes control plane of test/kube/cluster.sh (or a kubeconfig you name);
// - a Teams webhook sink on 127.0.0.1 that prints every card it receives.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function cacheDir(root) {
  const base = process.env.POLYGLOT_CD_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'polyglot-cd');
  const dir = join(base, 'pipeline', root);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function probe(url) {
  return new Promise((resolve) => {
    const req = request(new URL('/v2/', url), { timeout: 1500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function which(bin) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { encoding: 'utf8' }).stdout.trim();
}

/**
 * The local registry: reuses the one recorded in the state file if it answers, else starts
 * `docker-registry` detached (it outlives this command; `polyglot-cd pipeline down` stops it).
 * Returns { host, url, started }.
 */
export async function ensureRegistry(log) {
  const dir = cacheDir('registry');
  const stateFile = join(dir, 'state.json');
  if (existsSync(stateFile)) {
    const s = JSON.parse(readFileSync(stateFile, 'utf8'));
    if (await probe(s.url)) return { ...s, started: false };
  }
  if (!which('docker-registry')) throw new Error('docker-registry is not installed (Debian package docker-registry; bash scripts/bootstrap.sh installs it)');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', '    enabled: true', 'http:', `  addr: ${host}`, ''].join('\n'),
  );
  const fd = openSync(join(dir, 'registry.log'), 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  const url = `http://${host}`;
  const deadline = Date.now() + 20_000;
  while (!(await probe(url))) {
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${host}; see ${join(dir, 'registry.log')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  writeFileSync(stateFile, JSON.stringify({ host, url, pid: child.pid }));
  log?.(`started a local registry on ${host} (pid ${child.pid}, data in ${join(dir, 'data')})`);
  return { host, url, pid: child.pid, started: true };
}

export function stopRegistry() {
  const stateFile = join(cacheDir('registry'), 'state.json');
  if (!existsSync(stateFile)) return false;
  const { pid } = JSON.parse(readFileSync(stateFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  writeFileSync(stateFile, '{}');
  return true;
}

/** The container store buildah and skopeo use for the pipeline (vfs, chroot): env for the actions. */
export function containersEnv() {
  const dir = cacheDir('containers');
  const conf = join(dir, 'storage.conf');
  if (!existsSync(conf)) {
    mkdirSync(join(dir, 'root'), { recursive: true });
    mkdirSync(join(dir, 'runroot'), { recursive: true });
    writeFileSync(conf, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`);
  }
  return { CONTAINERS_STORAGE_CONF: conf, BUILDAH_ISOLATION: 'chroot' };
}

/** The busybox base image in the registry (built once with buildah from busybox-static, as the tests do). */
export async function ensureBaseImage(root, registry, log) {
  const ref = `${registry.host}/polyglot-cd/busybox:1`;
  const env = { ...process.env, ...containersEnv() };
  const have = spawnSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { env, encoding: 'utf8' });
  if (have.status === 0) return ref;
  log?.(`building the base image ${ref} (busybox-static, buildah from scratch)`);
  const { buildBaseImage } = await import(pathToFileURL(join(root, 'test', 'registry', 'registry.ts')).href);
  await buildBaseImage({ storageConf: containersEnv().CONTAINERS_STORAGE_CONF, refs: [{ ref, tlsVerify: false }] });
  return ref;
}

/** The local control plane: a kubeconfig you name, the test run's, or test/kube/cluster.sh start. */
export function ensureCluster(root, { kubeconfig, log } = {}) {
  if (kubeconfig) return kubeconfig;
  if (process.env.POLYGLOT_CD_KUBECONFIG) return process.env.POLYGLOT_CD_KUBECONFIG;
  log?.('starting the local Kubernetes control plane (bash test/kube/cluster.sh start; the first run builds it, ~5 min)');
  const r = spawnSync('bash', [join(root, 'test', 'kube', 'cluster.sh'), 'start'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`test/kube/cluster.sh start failed (exit ${r.status})`);
  return r.stdout.trim().split('\n').at(-1);
}

/**
 * A Teams webhook sink on 127.0.0.1: answers 202 like Teams Workflows and prints the card.
 * Returns { url, host, cards, close() }.
 */
export async function startTeamsSink(print) {
  const cards = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let card;
      try {
        card = JSON.parse(body);
      } catch {
        card = { unparsable: body.slice(0, 200) };
      }
      cards.push(card);
      print?.(renderCard(card));
      res.writeHead(202).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const sig = randomBytes(8).toString('hex');
  return {
    url: `http://127.0.0.1:${port}/workflows/local/triggers/manual/paths/invoke?sig=${sig}`,
    host: '127.0.0.1',
    cards,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A card as text: title, facts, actions. */
export function renderCard(payload) {
  const content = payload?.attachments?.[0]?.content;
  if (!content) return `Teams sink received: ${JSON.stringify(payload).slice(0, 500)}`;
  const lines = ['┌ Teams card received by the local sink'];
  const walk = (items) => {
    for (const it of items ?? []) {
      if (it.type === 'TextBlock') lines.push(`│ ${it.text}`);
      else if (it.type === 'FactSet') for (const f of it.facts ?? []) lines.push(`│   ${f.title}: ${f.value}`);
      else if (it.type === 'Container' || it.type === 'Column') walk(it.items);
      else if (it.type === 'ColumnSet') for (const c of it.columns ?? []) walk(c.items);
    }
  };
  walk(content.body);
  for (const a of content.actions ?? []) lines.push(`│ [${a.title}] ${a.url ?? ''}`);
  lines.push('└');
  return lines.join('\n');
}
