// Where the control plane's binaries come from. Mirrors test/kube/setup.sh, which provides them:
// $KUBEBUILDER_ASSETS (envtest layout) first, then the version cache, then (etcd only) the system.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const KUBE_VERSION = 'v1.20.2';

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
}

export function kubeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.POLYGLOT_CD_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'polyglot-cd');
  return join(root, 'kube', KUBE_VERSION);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function resolveBinaries(env: NodeJS.ProcessEnv = process.env): ControlPlaneBinaries {
  const assets = env.KUBEBUILDER_ASSETS;
  const cacheBin = join(kubeCacheDir(env), 'bin');
  const missing: string[] = [];
  const find = (name: string, system: boolean): string => {
    const candidates = [assets ? join(assets, name) : undefined, join(cacheBin, name)];
    for (const c of candidates) if (c && executable(c)) return c;
    if (system) {
      const found = onPath(name, env) ?? (executable(`/usr/bin/${name}`) ? `/usr/bin/${name}` : undefined);
      if (found) return found;
    }
    missing.push(name);
    return '';
  };
  const bins = {
    etcd: find('etcd', true),
    kubeApiserver: find('kube-apiserver', false),
    kubeControllerManager: find('kube-controller-manager', false),
  };
  if (missing.length > 0) {
    throw new Error(
      `control plane binaries not found: ${missing.join(', ')} (looked in ${assets ? `$KUBEBUILDER_ASSETS=${assets}, ` : ''}${cacheBin}). ` +
        `Run \`bash test/kube/setup.sh\` once (builds ${KUBE_VERSION} from Debian's source, ~5 min) or set KUBEBUILDER_ASSETS.`,
    );
  }
  return bins;
}
