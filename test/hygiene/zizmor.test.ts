/**
 * zizmor (the GitHub Actions security linter, scripts/setup/zizmor.sh) over .github/workflows: offline,
 * with the auditor persona (every audit, false positives included) and no configuration file, so
 * nothing but an `# zizmor: ignore[rule]` comment with its reason on the flagged line silences a
 * finding. Any finding fails, shown as zizmor reports it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';

let zizmor = '';

beforeAll(() => {
  // the cached, hash-pinned install of scripts/setup/zizmor.sh (a no-op once installed)
  zizmor =
    process.env['POLYGLOT_CD_ZIZMOR_BIN'] ||
    execFileSync('bash', [join(repoRoot, 'scripts', 'setup', 'zizmor.sh'), '--print'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 600_000,
    }).trim();
}, 600_000);

interface Finding {
  ident: string;
  desc: string;
  determinations: { severity: string };
  locations: {
    symbolic: { key: { Local?: { verbatim_path?: string } }; annotation: string; kind: string };
    concrete: { location: { start_point: { row: number; column: number } } };
  }[];
}

/** zizmor's findings over `dir` (offline, auditor persona, no config), one line each */
function audit(dir: string, cwd = repoRoot): string[] {
  // offline: no GitHub token reaches it either
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['GH_TOKEN', 'GITHUB_TOKEN', 'ZIZMOR_GITHUB_TOKEN', 'GH_HOST'].includes(k),
    ),
  );
  const r = spawnSync(
    zizmor,
    ['--offline', '--no-config', '--persona=auditor', '--format=json', '--no-progress', dir],
    { cwd, encoding: 'utf8', env, timeout: 120_000 },
  );
  // exit 0: no findings; 10-14: findings by highest severity; anything else is zizmor failing
  if (r.status !== 0 && !(r.status !== null && r.status >= 10 && r.status <= 14))
    throw new Error(`zizmor exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout || '[]') as Finding[]).map((f) => {
    const primary = f.locations.find((l) => l.symbolic.kind === 'Primary') ?? f.locations[0];
    const where = primary
      ? `${primary.symbolic.key.Local?.verbatim_path ?? '?'}:${primary.concrete.location.start_point.row + 1}:${primary.concrete.location.start_point.column + 1}`
      : '?';
    return `${where}: ${f.determinations.severity.toLowerCase()}[${f.ident}] ${f.desc}${primary ? `: ${primary.symbolic.annotation}` : ''}`;
  });
}

describe('zizmor', () => {
  it('really audits: a workflow with a template injection and a persisted token is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcd-zizmor-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'bad.yml'),
      'name: bad\non: pull_request\npermissions: {}\njobs:\n  x:\n    name: x\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "${{ github.event.pull_request.title }}"\n',
    );
    const findings = audit(join('.github', 'workflows'), dir);
    expect(findings.join('\n')).toContain('[template-injection]');
    expect(findings.join('\n')).toContain('[artipacked]');
    expect(findings.join('\n')).toContain('[unpinned-uses]');
  });

  it('.github/workflows has no finding', () => {
    expect(audit(join('.github', 'workflows'))).toEqual([]);
  });

  it('every ignore comment names its rule and says why', () => {
    const dir = join(repoRoot, '.github', 'workflows');
    for (const file of readdirSync(dir)) {
      for (const [i, line] of readFileSync(join(dir, file), 'utf8').split('\n').entries()) {
        const m = /# zizmor: ignore\[([^\]]*)\](.*)$/.exec(line);
        if (!m) continue;
        expect(m[1], `${file}:${i + 1}: one rule per ignore`).toMatch(/^[a-z-]+$/);
        expect((m[2] ?? '').trim().length, `${file}:${i + 1}: an ignore needs its reason after it`).toBeGreaterThan(20);
      }
    }
  });
});
