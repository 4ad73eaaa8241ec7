import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('pr-namespace-cleanup', (ctx) => main(ctx));
