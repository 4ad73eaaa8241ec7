import { configDefaults, defineConfig } from 'vitest/config';

// The whole suite runs under Node 24 (the actions' runtime): `pnpm` puts the
// `node` devDependency (node@24) first on PATH for every script.
//
// Two projects: "unit" (everything that needs no cluster) and "kube" (`*.kube.test.ts`), whose
// global setup starts one local Kubernetes cluster per run: registry, control plane and a real node
// (test/kube/README.md).
// Vitest runs a project's global setup only when one of its files is selected, so unit-only runs
// never pay for the control plane.
const KUBE_TESTS = 'test/**/*.kube.test.ts';
// "registry" (`*.registry.test.ts`): one plain and one TLS+auth OCI registry + base image per run (test/registry/README.md)
const REGISTRY_TESTS = 'test/**/*.registry.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // The kube and registry suites mostly wait on real servers and pods: three files at a time keep the
    // 2-core CI machine busy without starving it (Vitest's default here is one).
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Secret canaries (test/README.md): makes the run directory every worker registers canaries and
    // captures in, and scans the captures at the end; one leaked canary fails the run. A root global
    // setup runs whatever files are selected (the projects inherit it; it acts once per run).
    globalSetup: ['test/canary/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, KUBE_TESTS, REGISTRY_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: 'kube',
          include: [KUBE_TESTS],
          globalSetup: ['test/kube/global-setup.ts'],
          testTimeout: 120_000,
          // Suites share one API server; a file's tests run in order, files in parallel.
        },
      },
      {
        extends: true,
        // one registry file at a time: their buildah builds share one container store, and two at once
        // have produced a different digest for a rebuild that must be byte-identical
        test: {
          name: 'registry',
          include: [REGISTRY_TESTS],
          globalSetup: ['test/registry/global-setup.ts'],
          testTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
