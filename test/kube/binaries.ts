// Where the Kubernetes binaries come from. Mirrors scripts/setup/kube.sh, which provides them:
// $KUBEBUILDER_ASSETS (envtest layout) first, then the version cache, whose entries are symlinks to one
// multi-call binary, polyglot-cd-kube (test/kube/go).
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Kubernetes version: the k8s.io/kubernetes requirement of test/kube/go/go.mod. */
export const KUBE_VERSION: string = (() => {
  const goMod = new URL('./go/go.mod', import.meta.url);
  const m = /^\s*k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+)\s*$/m.exec(readFileSync(goMod, 'utf8'));
  if (!m) throw new Error(`no k8s.io/kubernetes vX.Y.Z requirement in ${goMod.pathname}`);
  return m[1]!;
})();

export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
}

/** Every component the multi-call binary holds. */
export type KubeComponent =
  'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubelet' | 'kube-proxy' | 'kubectl';

export function kubeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.POLYGLOT_CD_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'polyglot-cd');
  return join(root, 'kube', KUBE_VERSION);
}

/** The directory scripts/setup/kube.sh fills: polyglot-cd-kube and a symlink per component. */
export function kubeBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kubeCacheDir(env), 'bin');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lookup(names: KubeComponent[], env: NodeJS.ProcessEnv): string[] {
  const assets = env.KUBEBUILDER_ASSETS;
  const cacheBin = kubeBinDir(env);
  const missing: string[] = [];
  const found = names.map((name) => {
    for (const c of [assets ? join(assets, name) : undefined, join(cacheBin, name)]) if (c && executable(c)) return c;
    missing.push(name);
    return '';
  });
  if (missing.length > 0) {
    throw new Error(
      `Kubernetes binaries not found: ${missing.join(', ')} (looked in ${assets ? `$KUBEBUILDER_ASSETS=${assets}, ` : ''}${cacheBin}). ` +
        `Run \`bash scripts/setup/kube.sh\` once (builds ${KUBE_VERSION} from the Go module proxy, ~9 min on 2 cores) or set KUBEBUILDER_ASSETS.`,
    );
  }
  return found;
}

/** The path of one component (kubelet, kube-proxy, kubectl, ...), or an error saying how to build it. */
export function resolveBinary(name: KubeComponent, env: NodeJS.ProcessEnv = process.env): string {
  return lookup([name], env)[0]!;
}

export function resolveBinaries(env: NodeJS.ProcessEnv = process.env): ControlPlaneBinaries {
  const [etcd, kubeApiserver, kubeControllerManager, kubeScheduler] = lookup(
    ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'],
    env,
  );
  return {
    etcd: etcd!,
    kubeApiserver: kubeApiserver!,
    kubeControllerManager: kubeControllerManager!,
    kubeScheduler: kubeScheduler!,
  };
}
