// A stand-in for Helm 4 (v4.2.4), which cannot be downloaded here. It replays helm's own recorded
// output (test/fixtures/helm, copied from helm's golden files) and records every argv it is called
// with (one JSON line per call in $FAKE_HELM_ARGV_LOG), so a test can check the flags it was given.
// Usage: node test/fakes/helm4.ts <helm args…>   (FAKE_HELM_FIXTURES = the fixtures/helm directory)
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
if (process.env.FAKE_HELM_ARGV_LOG) appendFileSync(process.env.FAKE_HELM_ARGV_LOG, JSON.stringify(args) + '\n');
const fixtures = process.env.FAKE_HELM_FIXTURES ?? '';

function fail(msg: string): never {
  process.stderr.write(`Error: ${msg}\n`);
  process.exit(1);
}

switch (args[0]) {
  case 'version':
    process.stdout.write('v4.2.4');
    break;
  case 'status':
  case 'history':
    // what helm prints for a release that does not exist (SOURCES.md)
    fail('release: not found');
    break;
  case 'upgrade': {
    // Helm 4 only deprecates --atomic and takes a bare --wait as "watcher"; the fake refuses both so a test
    // notices if the Helm 3 spellings are ever sent to a Helm 4.
    if (args.includes('--atomic')) fail('fake helm 4: --atomic is deprecated, use --rollback-on-failure');
    if (args.includes('--wait')) fail('fake helm 4: a bare --wait; pass an explicit strategy');
    if (args.some((a) => a.startsWith('--set'))) fail('fake helm 4: --set is never expected');
    process.stdout.write(readFileSync(join(fixtures, 'status.json'), 'utf8'));
    break;
  }
  default:
    fail(`fake helm 4: unexpected command ${JSON.stringify(args)}`);
}
