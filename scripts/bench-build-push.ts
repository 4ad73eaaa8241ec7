// pnpm bench rows for build-push (loaded by scripts/bench.ts): a fixed two-stage context built and
// pushed to a real local registry (test/registry) through the action's bundle, against the same
// `buildah build` + `buildah push` run directly, alternated, medians. Needs buildah, skopeo and
// docker-registry (scripts/system-packages.txt); skipped with a note when they are missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Registry from '../test/registry/registry.ts';
import type { BenchContext, BenchRow, Env } from './bench.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export default async function benchBuildPush({
  root,
  node,
  cleanEnv,
  runs = 5,
}: BenchContext & { runs?: number }): Promise<BenchRow[]> {
  const reg = (await import(join(root, 'test', 'registry', 'registry.ts'))) as typeof Registry;
  try {
    reg.checkBinaries(['docker-registry', 'buildah', 'skopeo']);
  } catch (e) {
    process.stdout.write(`build-push bench skipped: ${(e as Error).message}\n`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'pcd-bench-bp-'));
  const registry = await reg.startRegistry({ dir: join(dir, 'registry') });
  try {
    const storage = await reg.storageConf(join(dir, 'storage'));
    const base = `${registry.host}/bench/busybox:1`;
    await reg.buildBaseImage({ storageConf: storage, refs: [{ ref: base, tlsVerify: false }] });
    const ctx = join(dir, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'app.txt'), 'x'.repeat(256 * 1024));
    writeFileSync(
      join(ctx, 'Containerfile'),
      `FROM ${base} AS build\nRUN echo built > /b.txt\nFROM ${base}\nCOPY --from=build /b.txt /b.txt\nCOPY app.txt /app.txt\nRUN wc -c /app.txt\n`,
    );
    const containers = { CONTAINERS_STORAGE_CONF: storage, BUILDAH_ISOLATION: 'chroot' };
    const conf = join(dir, 'registries.conf');
    writeFileSync(conf, `[[registry]]\nlocation = "${registry.host}"\ninsecure = true\n`);
    const timed = (fn: () => void): number => {
      const t = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const sh = (file: string, args: string[], env: Env): void => {
      const r = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
    };
    const direct = (i: number): void => {
      const ref = `${registry.host}/bench/direct:r${i}`;
      const env = { ...process.env, ...containers, CONTAINERS_REGISTRIES_CONF: conf };
      sh('buildah', ['build', '--isolation', 'chroot', '--layers=false', '-q', '-t', ref, ctx], env);
      sh('buildah', ['push', ref, `docker://${ref}`], env);
    };
    const action = (i: number): void => {
      const runDir = mkdtempSync(join(tmpdir(), 'pcd-bench-bp-run-'));
      for (const f of ['output', 'summary', 'state']) writeFileSync(join(runDir, f), '');
      const env = {
        ...cleanEnv({
          RUNNER_TEMP: runDir,
          GITHUB_OUTPUT: join(runDir, 'output'),
          GITHUB_STEP_SUMMARY: join(runDir, 'summary'),
          GITHUB_STATE: join(runDir, 'state'),
        }),
        ...containers,
        GITHUB_REF: 'refs/tags/bench', // one tag (sha-<short>), like the direct run
        GITHUB_SHA: `${String(i + 10).padStart(7, '0')}f5e6f70718293a4b5c6d7e8f901234567`,
        INPUT_IMAGE: `${registry.host}/bench/action`,
        INPUT_CONTEXT: ctx,
        'INPUT_INSECURE-REGISTRIES': registry.host,
      };
      const r = spawnSync(node, [join(root, 'dist', 'build-push', 'index.js')], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (r.status !== 0) throw new Error(`build-push bundle failed: ${r.stdout}`);
      rmSync(runDir, { recursive: true, force: true });
    };
    direct(-1);
    action(-1);
    const d: number[] = [];
    const a: number[] = [];
    for (let i = 0; i < runs; i++) {
      d.push(timed(() => direct(i)));
      a.push(timed(() => action(i)));
    }
    const row: BenchRow = {
      label: 'build-push (build+push, buildah)',
      subject: median(a),
      floor: median(d),
      floorRss: NaN,
      floorLabel: 'buildah build+push',
    };
    row.note = `vs buildah build + buildah push run directly: overhead ${(((row.subject - row.floor) / row.floor) * 100).toFixed(1)} % (${runs} runs each, alternated)`;
    return [row];
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
