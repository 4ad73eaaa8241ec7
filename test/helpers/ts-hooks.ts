// Lets Node 24 run the workspace's TypeScript sources directly (types are stripped natively):
// maps a relative `./x.js` import to `./x.ts` when only the .ts file exists, as tsc does.
// Usage: node --import ./test/helpers/ts-hooks.ts some-script.ts
// Used by test/kube/cluster.sh and test/kube/cli.ts (the local cluster) and by
// test/unit/tools/command-runner.test.ts (test/fakes/signal-parent.ts).
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    if (
      specifier.endsWith('.js') &&
      (specifier.startsWith('.') || specifier.startsWith('/')) &&
      context.parentURL?.startsWith('file:')
    ) {
      const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
      if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(ts))) {
        return next(ts.href, context);
      }
    }
    return next(specifier, context);
  },
});
