// Lets Node 24 run this directory's TypeScript directly (native type stripping): maps the `.js`
// specifiers that NodeNext requires in source to the `.ts` files that exist. Used by cluster.sh.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw err;
    }
  },
});
