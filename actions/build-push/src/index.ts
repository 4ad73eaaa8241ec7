import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('build-push', (ctx) => main(ctx));
