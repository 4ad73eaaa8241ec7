import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('trivy-gate', (ctx) => main(ctx));
