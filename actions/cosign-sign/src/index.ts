import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('cosign-sign', (ctx) => main(ctx));
