#!/usr/bin/env node
// Launcher of the polyglot-cd CLI (bin/polyglot-cd.ts, TypeScript run by Node's type stripping):
// runs it with this Node when it strips types (23.6 or newer), else with the Node 24 this repository
// installs as a dependency (node_modules/node, `bash scripts/bootstrap.sh`), with the same arguments
// and stdio, and exits with its exit code (or dies of the same signal).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./polyglot-cd.ts', import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const stripsTypes = major > 23 || (major === 23 && minor >= 6);

function pinnedNode() {
  for (const rel of ['../node_modules/node/bin/node', '../node_modules/.bin/node']) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return file;
  }
  return undefined;
}

const node = stripsTypes ? process.execPath : pinnedNode();
if (!node) {
  console.error(
    `polyglot-cd needs Node 23.6 or newer (this is ${process.version}); run \`bash scripts/bootstrap.sh\` to install the Node 24 it uses.`,
  );
  process.exit(2);
}

const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
child.on('error', (e) => {
  console.error(`polyglot-cd: cannot start ${node}: ${e.message}`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
