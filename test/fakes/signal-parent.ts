// An action-like process for the cancellation test: runs the script named in argv[2] through a
// CommandRunner and prints what the runner reported when the job was cancelled.
import { MemoryLogger, Secrets, ToolError } from '@polyglot-cd/action-kit';
import { CommandRunner } from '@polyglot-cd/tools';

const log = new MemoryLogger();
const runner = new CommandRunner({ log, secrets: new Secrets(), killGraceMs: 5000 });
try {
  await runner.run(process.execPath, [process.argv[2] ?? ''], { stream: true, tool: 'child' });
  console.log(JSON.stringify({ message: 'finished' }));
} catch (e) {
  const err = e as ToolError;
  console.log(
    JSON.stringify({ message: err.message, cancelled: err.details?.cancelled, log: log.lines.map((l) => l.message) }),
  );
}
