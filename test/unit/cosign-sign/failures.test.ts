/**
 * cosign-sign in-process (main with deps) and the fake cosign: after each kind of failure the kit
 * still writes the outputs and the summary once, with the failure's own block (action-kit run.ts).
 */
import { describe, expect, it } from 'vitest';
import { main, type Deps } from '../../../actions/cosign-sign/src/main.js';
import { runInProcess, workspace, type ActionRun } from '../../helpers/action-env.js';
import { fakeCosign, type FakeCosign } from '../../fakes/fake-cosign.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
/** mode: key with a KMS key and no transparency log: no OIDC token needed */
const KMS = { mode: 'key', key: 'awskms:///alias/release', 'tlog-upload': 'false' };

async function run(inputs: Record<string, string>, fake: FakeCosign, deps: Deps = {}): Promise<ActionRun> {
  let t = Date.now();
  const ws = workspace(inputs, fake.env());
  return runInProcess(
    'cosign-sign',
    (ctx) => main(ctx, { now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5, ...deps }),
    ws,
  );
}

describe('cosign-sign: outputs and summary after a failure', () => {
  it('an input error: the input block; signed and verified are false', async () => {
    const fake = fakeCosign();
    const r = await run({ image: 'registry.local/shop/app:1.2.3', ...KMS }, fake);
    expect(r.code).toBe(1);
    expect(r.summary).toContain('### cosign-sign: Input error: fix the input and run again');
    expect(r.summary).toContain('| Signed | not started |');
    expect(r.outputs).toMatchObject({ signed: 'false', verified: 'false', signature: '' });
    expect(fake.calls()).toEqual([]);
  });

  it('a tool failure: cosign sign refused by the registry (permanent), not retried', async () => {
    const fake = fakeCosign({ sign: ['registryDenied'] });
    const image = `registry.local/shop/app@${DIGEST}`;
    const r = await run({ image, ...KMS }, fake, {
      checkDigest: async () => ({ exists: true, detail: 'found' }),
    });
    expect(r.code).toBe(1);
    expect(fake.calls('sign')).toHaveLength(1);
    expect(r.summary).toContain('### cosign-sign: A tool failed');
    expect(r.summary).toMatch(/<code>.*cosign sign --yes --key awskms:\/\/\/alias\/release .*<\/code>, exit code 1/);
    expect(r.summary).toContain('| Signed | no |');
    expect(r.summary).toContain('**Failure:**');
    expect(r.outputs).toMatchObject({ signed: 'false', verified: 'false' });
    expect(fake.calls('verify')).toHaveLength(0);
  });

  it('an infrastructure failure: the registry at a closed port, retried, then given up before cosign runs', async () => {
    const fake = fakeCosign();
    const image = `127.0.0.1:1/shop/app@${DIGEST}`;
    const r = await run({ image, ...KMS, 'insecure-registries': '127.0.0.1:1' }, fake);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::Could not confirm that 127\.0\.0\.1:1\/shop\/app@sha256:a{64} exists in the registry: .*unreachable.*Nothing was signed\. \(registry 127\.0\.0\.1:1: gave up after 5 attempts\)/,
    );
    expect(r.summary).toContain('### cosign-sign: Infrastructure failure: gave up after retrying');
    expect(r.summary).toMatch(/Service: registry 127\.0\.0\.1:1; attempts: 5/);
    expect(r.summary).toContain('| Signed | not started |');
    expect(r.outputs).toMatchObject({ signed: 'false', verified: 'false' });
    expect(fake.calls()).toEqual([]);
  });
});
