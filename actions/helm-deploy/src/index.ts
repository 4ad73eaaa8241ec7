import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('helm-deploy', (ctx) => main(ctx));
