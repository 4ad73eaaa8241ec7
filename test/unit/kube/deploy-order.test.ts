import { describe, expect, it } from 'vitest';
import {
  claimDeployOrder,
  decideOrder,
  OlderRunError,
  workflowKey,
  workflowPath,
  type OrderApi,
  type OrderRecord,
} from '@polyglot-cd/kube';

const run = (runNumber: number, workflow = 'acme/shop/.github/workflows/deploy.yml') => ({
  workflow,
  runNumber,
  runId: `r${runNumber}`,
  sha: 'a'.repeat(40),
});

/** An in-memory ConfigMap store with resourceVersion preconditions, like the API server's. */
function memoryApi(
  opts: { conflictsBefore?: number } = {},
): OrderApi & { record: OrderRecord | undefined; writes: number } {
  let conflicts = opts.conflictsBefore ?? 0;
  const s = {
    record: undefined as OrderRecord | undefined,
    writes: 0,
    async read() {
      return s.record ? { data: { ...s.record.data }, resourceVersion: s.record.resourceVersion } : undefined;
    },
    async create(_ns: string, _name: string, data: Record<string, string>) {
      if (s.record) return 'conflict' as const;
      s.record = { data, resourceVersion: '1' };
      s.writes++;
      return 'created' as const;
    },
    async replace(_ns: string, _name: string, data: Record<string, string>, _l: Record<string, string>, rv: string) {
      if (conflicts > 0) {
        conflicts--;
        // someone else claimed it meanwhile: a newer run of the same workflow
        const newer = decideOrder(s.record?.data ?? {}, run(99), 'x') as { data: Record<string, string> };
        s.record = { data: newer.data, resourceVersion: String(Number(rv) + 1) };
        return 'conflict' as const;
      }
      if (!s.record || s.record.resourceVersion !== rv) return 'conflict' as const;
      s.record = { data, resourceVersion: String(Number(rv) + 1) };
      s.writes++;
      return 'replaced' as const;
    },
  };
  return s;
}

describe('deploy order', () => {
  it('keys each workflow by its path without the ref', () => {
    expect(workflowPath('acme/shop/.github/workflows/deploy.yml@refs/heads/main')).toBe(
      'acme/shop/.github/workflows/deploy.yml',
    );
    expect(workflowKey('acme/shop/.github/workflows/deploy.yml')).toMatch(/^w-[0-9a-f]{16}$/);
    expect(workflowKey('a')).not.toBe(workflowKey('b'));
  });

  it('allows the first run, the same run again and a newer run; refuses an older one', () => {
    const first = decideOrder({}, run(42), 't1');
    expect(first.allowed).toBe(true);
    const data = (first as { data: Record<string, string> }).data;
    expect(decideOrder(data, run(42), 't2').allowed).toBe(true);
    expect(decideOrder(data, run(43), 't2').allowed).toBe(true);
    const older = decideOrder(data, run(41), 't2');
    expect(older).toMatchObject({ allowed: false });
    expect((older as { reason: string }).reason).toContain(
      'run #42 of acme/shop/.github/workflows/deploy.yml (commit aaaaaaaaaaaa, run id r42) already deployed this release at t1; this run #41',
    );
    // another workflow's numbers are not compared
    expect(decideOrder(data, run(1, 'acme/shop/.github/workflows/hotfix.yml'), 't2').allowed).toBe(true);
  });

  it('ignores a record it cannot read (hand-edited) rather than failing every deploy', () => {
    expect(decideOrder({ [workflowKey(run(1).workflow)]: 'not json' }, run(1), 't').allowed).toBe(true);
  });

  it('claims with the resourceVersion as precondition, and re-reads after a lost race', async () => {
    const api = memoryApi();
    await claimDeployOrder(api, 'ns', 'shop', run(42));
    expect(await claimDeployOrder(api, 'ns', 'shop', run(43))).toEqual({ previousRun: 42 });
    expect(api.writes).toBe(2);
    await expect(claimDeployOrder(api, 'ns', 'shop', run(41))).rejects.toThrow(OlderRunError);
    expect(api.writes).toBe(2);
  });

  it('a newer run that wins the race in between makes this one older: refused, not written', async () => {
    const api = memoryApi({ conflictsBefore: 1 });
    await api.create(
      'ns',
      'polyglot-cd-order-shop',
      (decideOrder({}, run(50), 't') as { data: Record<string, string> }).data,
      {},
    );
    await expect(claimDeployOrder(api, 'ns', 'shop', run(51))).rejects.toThrow(/run #99 .* this run #51/);
  });

  it('gives up after repeated conflicts instead of looping', async () => {
    const api: OrderApi = {
      read: async () => ({ data: {}, resourceVersion: '1' }),
      create: async () => 'conflict',
      replace: async () => 'conflict',
    };
    await expect(claimDeployOrder(api, 'ns', 'shop', run(1), { attempts: 3 })).rejects.toThrow(
      '3 concurrent updates in a row',
    );
  });
});
