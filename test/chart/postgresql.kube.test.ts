// The in-chart PostgreSQL's Secret on the real cluster, with real Helm 4 and Helm 3: the password is
// generated on install and read back with `lookup` on every upgrade (a new one would not match the one
// initdb wrote into the data directory), and DATABASE_URL keeps carrying it. The server-side objects are
// the witness. The pods themselves are not the point here (the stack has no PostgreSQL image): every
// container runs the stack's web image and nothing waits for them.
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreV1, helm, helmOf, HELM_MAJORS, type HelmMajor, stackInfo, uniqueName } from '../kube/harness.js';
import { chartDir, valuesFile } from './chart.js';

const namespaces: string[] = [];
afterAll(async () => {
  await Promise.all(
    namespaces.map((name) =>
      coreV1()
        .deleteNamespace({ name })
        .catch(() => undefined),
    ),
  );
});

function imageValues(ref: string): { repository: string; digest: string } {
  const at = ref.indexOf('@');
  return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
}

describe.each(HELM_MAJORS.map((m) => [m, helmOf(m).version] as [HelmMajor, string]))(
  'postgresql Secret on the real cluster, Helm %s (%s)',
  (major) => {
    const namespace = uniqueName(`pg${major}`);
    namespaces.push(namespace);
    let values = '';

    beforeAll(async () => {
      await coreV1().createNamespace({
        body: { metadata: { name: namespace, labels: { 'polyglot-cd/test': 'chart' } } },
      });
      const web = imageValues(stackInfo().images.web);
      values = valuesFile({
        components: { backend: { image: web, port: 8000, database: true } },
        postgresql: { enabled: true, image: web },
      });
    });

    const secret = async () => {
      const s = await coreV1().readNamespacedSecret({ name: 'db-postgresql', namespace });
      const data = s.data ?? {};
      return {
        password: Buffer.from(data['password'] ?? '', 'base64').toString(),
        url: Buffer.from(data['DATABASE_URL'] ?? '', 'base64').toString(),
      };
    };

    it('keeps the generated password across upgrades', async () => {
      const args = ['--namespace', namespace, '--values', values];
      await helm(['install', 'db', chartDir, ...args], { major });
      const first = await secret();
      expect(first.password).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(first.url).toBe(`postgresql://app:${first.password}@db-postgresql:5432/app?sslmode=disable`);

      await helm(['upgrade', 'db', chartDir, ...args], { major });
      await helm(['upgrade', 'db', chartDir, ...args, '--set', 'postgresql.extraConfig=work_mem = 8MB'], { major });
      expect(await secret()).toEqual(first);

      // a server-side dry run looks the Secret up too: what the next upgrade would apply
      const dry = await helm(['upgrade', 'db', chartDir, ...args, '--dry-run=server'], { major });
      expect(dry.stdout).toContain(`password: "${Buffer.from(first.password).toString('base64')}"`);
    }, 180_000);
  },
);
