import { runAction } from '@polyglot-cd/action-kit';
import { main } from './main.js';

void runAction('teams-notify', (ctx) => main(ctx));
