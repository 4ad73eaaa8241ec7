import { defineConfig } from 'vitest/config';

// The whole suite runs under Node 24 (the actions' runtime): `pnpm` puts the
// `node` devDependency (node@24) first on PATH for every script.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
