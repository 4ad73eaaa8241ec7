/**
 * The workflow contract (workflow-contract.ts) over every workflow in .github/workflows, and proof that
 * each rule catches a workflow that breaks it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/action-env.js';
import { checkOwnRefs, checkWorkflow, interfaceOf, type Interface, type Rule } from './workflow-contract.js';

const FORK_IF =
  "if: github.event_name != 'pull_request_target' && (github.event.pull_request == null || github.event.pull_request.head.repo.full_name == github.event.pull_request.base.repo.full_name)";
const dir = join(repoRoot, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

/** our actions from their action.yml, our reusable workflows from .github/workflows */
export function repoResolver(name: string): Interface | undefined {
  const file = name.startsWith('.github/workflows/') ? join(repoRoot, name) : join(repoRoot, name, 'action.yml');
  return existsSync(file) ? interfaceOf(readFileSync(file, 'utf8')) : undefined;
}

const show = (fs: { at: string; rule: string; message: string }[]): string[] =>
  fs.map((f) => `${f.at}: [${f.rule}] ${f.message}`);

describe('the workflows in .github/workflows keep the contract', () => {
  it.each(workflows)('%s', (file) => {
    const findings = checkWorkflow(file, readFileSync(join(dir, file), 'utf8'), { resolve: repoResolver });
    expect(show(findings)).toEqual([]);
  });

  it("the README's caller workflows call them with declared inputs, secrets and exactly the permissions their jobs need", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const callers = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .filter((y) => y.includes('uses: org/polyglot-cd/.github/workflows/'));
    const called = callers.map((y) => /uses: org\/polyglot-cd\/\.github\/workflows\/([\w-]+\.yml)/.exec(y)?.[1]);
    expect([...new Set(called)].sort()).toEqual(['gitops.yml', 'pr-cleanup.yml', 'pr-preview.yml', 'production.yml']);
    for (const y of callers) expect(show(checkWorkflow('README.md', y, { resolve: repoResolver }))).toEqual([]);
  });

  it('use our own actions at one ref', () => {
    const files = workflows.map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
    expect(show(checkOwnRefs(files))).toEqual([]);
    // the one ref is each reusable workflow's own commit: ./.polyglot-cd/<action>, never <owner>/polyglot-cd/<action>@<ref>
    const reusable = files.filter((f) => /^\s+workflow_call:/m.test(f.text));
    expect(reusable.map((f) => f.file).sort()).toEqual([
      'gitops.yml',
      'pr-cleanup.yml',
      'pr-preview.yml',
      'production.yml',
    ]);
    for (const f of reusable) {
      expect(f.text, f.file).not.toMatch(/uses:\s*['"]?[\w.-]+\/polyglot-cd\/[a-z-]+@/);
      expect(f.text, f.file).toMatch(/uses: \.\/\.polyglot-cd\/[a-z-]+/);
    }
  });
});

// ----- every rule catches a bad workflow -----

/** A fixed set of interfaces, so these cases don't depend on which actions exist yet. */
const IFACES: Record<string, Interface> = {
  'build-push': {
    inputs: { image: { required: true }, context: { default: '.' }, password: { default: '' } },
    outputs: { image: {}, digest: {} },
  },
  'trivy-gate': { inputs: { image: { default: '' } }, outputs: { passed: {}, summary: {} } },
  'cosign-sign': { inputs: { image: { required: true } }, outputs: { signed: {} } },
  'helm-deploy': {
    inputs: {
      release: { required: true },
      namespace: { default: '' },
      'pr-number': { default: '' },
      images: { default: '' },
      kubeconfig: { default: '' },
      'cluster-oidc-audience': { default: '' },
      'cluster-server': { default: '' },
    },
    outputs: { url: {}, namespace: {} },
  },
  'pr-namespace-cleanup': {
    inputs: { mode: { required: true }, 'pr-number': { default: '' } },
    outputs: { deleted: {} },
  },
  'teams-notify': {
    inputs: { 'webhook-url': { required: true }, status: { required: true } },
    outputs: { delivered: {} },
  },
  '.github/workflows/flow.yml': {
    inputs: { 'pr-number': { required: true }, domain: { default: 'x' } },
    outputs: { url: {} },
    secrets: { kubeconfig: { required: true }, 'teams-webhook-url': {} },
  },
};
const resolve = (n: string): Interface | undefined => IFACES[n];

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
/** the checkout of polyglot-cd at the workflow's own commit, as each job that uses our actions has it */
const OWN_CHECKOUT = `      - uses: ${CHECKOUT}
        with:
          repository: \${{ needs.own-commit.outputs.repository }}
          ref: \${{ needs.own-commit.outputs.sha }}
          path: .polyglot-cd
          persist-credentials: false
`;
const GOOD = `name: flow
on:
  workflow_call:
    inputs:
      pr-number: { type: string, required: true }
    secrets:
      kubeconfig: { required: true }
    outputs:
      url:
        value: \${{ jobs.deploy.outputs.url }}
permissions: {}
jobs:
  own-commit:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    outputs:
      repository: \${{ steps.own.outputs.repository }}
      sha: \${{ steps.own.outputs.sha }}
    steps:
      - id: own
        env:
          REPOSITORY: \${{ job.workflow_repository }}
          SHA: \${{ job.workflow_sha }}
        run: |
          [[ $SHA =~ ^[0-9a-f]{40}$ ]] && [ -n "$REPOSITORY" ]
          echo "repository=$REPOSITORY" >> "$GITHUB_OUTPUT"
          echo "sha=$SHA" >> "$GITHUB_OUTPUT"
  build:
    needs: own-commit
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      packages: write
    outputs:
      image: \${{ steps.build.outputs.image }}
      tag: \${{ steps.tag.outputs.tag }}
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
${OWN_CHECKOUT}      - id: tag
        env:
          PR: \${{ inputs.pr-number }}
        run: echo "tag=pr-$PR" >> "$GITHUB_OUTPUT"
      - id: build
        uses: ./.polyglot-cd/build-push
        with:
          image: registry.example/shop
  sign:
    needs: [own-commit, build]
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      id-token: write
    steps:
${OWN_CHECKOUT}      - uses: ./.polyglot-cd/cosign-sign
        with:
          image: \${{ needs.build.outputs.image }}
  deploy:
    needs: [own-commit, build, sign]
    if: github.event_name != 'pull_request_target' && (github.event.pull_request == null || github.event.pull_request.head.repo.full_name == github.event.pull_request.base.repo.full_name)
    runs-on: ubuntu-latest
    timeout-minutes: 20
    concurrency:
      group: deploy-\${{ github.repository }}-pr-\${{ inputs.pr-number }}
      cancel-in-progress: false
    outputs:
      url: \${{ steps.deploy.outputs.url }}
    steps:
${OWN_CHECKOUT}      - id: deploy
        uses: ./.polyglot-cd/helm-deploy
        with:
          release: shop
          pr-number: \${{ inputs.pr-number }}
          images: "app: \${{ needs.build.outputs.image }}"
          kubeconfig: \${{ secrets.kubeconfig }}
      - run: echo "deployed in run $RUN"
        env:
          RUN: \${{ github.run_id }}
  comment:
    needs: deploy
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      pull-requests: write
    steps:
      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1
        env:
          URL: \${{ needs.deploy.outputs.url }}
        with:
          script: |
            core.info(process.env.URL)
`;

/** each case: a change to GOOD, and the one rule it must break */
const CASES: { name: string; rule: Rule; edit: (s: string) => string; also?: Rule[] }[] = [
  {
    name: 'a with: key the action does not declare',
    rule: 'unknown-input',
    edit: (s) => s.replace('image: registry.example/shop', 'image: registry.example/shop\n          tag: v1'),
  },
  { name: 'a required input left out', rule: 'missing-input', edit: (s) => s.replace('          release: shop\n', '') },
  // the misspelt action no longer makes its job the signing job, so its id-token grant is flagged too
  {
    name: 'an action that does not exist',
    rule: 'unknown-action',
    edit: (s) => s.replace('./.polyglot-cd/cosign-sign', './.polyglot-cd/cosign-sing'),
    also: ['permissions-job'],
  },
  {
    name: 'needs.X.outputs.Y that X does not declare',
    rule: 'needs-output',
    edit: (s) => s.replace('image: ${{ needs.build.outputs.image }}', 'image: ${{ needs.build.outputs.digest }}'),
  },
  {
    name: 'needs.X.outputs.Y of a job not in needs',
    rule: 'needs-output',
    edit: (s) => s.replace('needs: [own-commit, build, sign]', 'needs: [own-commit, sign]'),
  },
  {
    name: 'a job output from a step id that does not exist',
    rule: 'step-output',
    edit: (s) => s.replace('image: ${{ steps.build.outputs.image }}', 'image: ${{ steps.push.outputs.image }}'),
  },
  {
    name: 'a job output our action does not declare',
    rule: 'step-output',
    edit: (s) => s.replace('url: ${{ steps.deploy.outputs.url }}', 'url: ${{ steps.deploy.outputs.app-url }}'),
  },
  {
    name: 'a step output a run step never writes',
    rule: 'step-output',
    edit: (s) => s.replace('tag: ${{ steps.tag.outputs.tag }}', 'tag: ${{ steps.tag.outputs.version }}'),
  },
  {
    name: 'a workflow_call output of a missing job output',
    rule: 'workflow-output',
    edit: (s) => s.replace('value: ${{ jobs.deploy.outputs.url }}', 'value: ${{ jobs.deploy.outputs.link }}'),
  },
  {
    name: 'an input the reusable workflow does not declare',
    rule: 'undeclared-context',
    edit: (s) => s.replace('pr-number: ${{ inputs.pr-number }}', 'pr-number: ${{ inputs.pr }}'),
  },
  {
    name: 'a secret the reusable workflow does not declare',
    rule: 'undeclared-context',
    edit: (s) => s.replace('${{ secrets.kubeconfig }}', '${{ secrets.KUBECONFIG_PROD }}'),
  },
  {
    name: 'top-level permissions not empty',
    rule: 'permissions-top',
    edit: (s) => s.replace('permissions: {}\njobs:', 'permissions:\n  contents: read\njobs:'),
  },
  {
    name: 'no top-level permissions',
    rule: 'permissions-top',
    edit: (s) => s.replace('permissions: {}\njobs:', 'jobs:'),
  },
  {
    name: 'id-token: write outside the signing job',
    rule: 'permissions-job',
    edit: (s) =>
      s.replace(
        '      contents: read\n      packages: write',
        '      contents: read\n      packages: write\n      id-token: write',
      ),
  },
  {
    name: 'id-token: write on a keyless deploy job without an environment',
    rule: 'permissions-job',
    edit: (s) =>
      s
        .replace(
          '    timeout-minutes: 20\n    concurrency:',
          '    timeout-minutes: 20\n    permissions:\n      id-token: write\n    concurrency:',
        )
        .replace(
          '          kubeconfig: ${{ secrets.kubeconfig }}\n      - run: echo',
          '          cluster-oidc-audience: polyglot-cd\n          cluster-server: https://k8s.example:6443\n      - run: echo',
        ),
  },
  {
    name: 'packages: write outside the build job',
    rule: 'permissions-job',
    edit: (s) => s.replace('      id-token: write', '      id-token: write\n      packages: write'),
  },
  {
    name: 'pull-requests: write outside the comment job',
    rule: 'permissions-job',
    edit: (s) =>
      s.replace(
        '      contents: read\n      packages: write',
        '      contents: read\n      packages: write\n      pull-requests: write',
      ),
  },
  {
    name: 'a write grant no step needs',
    rule: 'permissions-job',
    edit: (s) => s.replace('      pull-requests: write', '      pull-requests: write\n      contents: write'),
  },
  {
    name: 'write-all',
    rule: 'permissions-job',
    edit: (s) => s.replace('    permissions:\n      pull-requests: write', '    permissions: write-all'),
  },
  { name: 'a third-party action by tag', rule: 'unpinned', edit: (s) => s.replace(CHECKOUT, 'actions/checkout@v4') },
  {
    name: 'a pinned SHA without its version comment',
    rule: 'pin-comment',
    edit: (s) => s.replace(CHECKOUT, CHECKOUT.replace(' # v4.2.2', '')),
  },
  // SECURITY.md T50: a caller pinned to a commit would still run whatever the tag points to
  {
    name: 'our action from a ref that may move',
    rule: 'own-commit',
    edit: (s) => s.replace('./.polyglot-cd/cosign-sign', 'org/polyglot-cd/cosign-sign@v1'),
  },
  // SECURITY.md T39: in a reusable workflow ./ is the caller's repository
  {
    name: "an action from the caller's repository",
    rule: 'own-commit',
    edit: (s) => s.replace('./.polyglot-cd/cosign-sign', './cosign-sign'),
  },
  {
    name: 'our action without the own-commit checkout before it',
    rule: 'own-commit',
    edit: (s) =>
      s.replace(
        `    steps:\n${OWN_CHECKOUT}      - uses: ./.polyglot-cd/cosign-sign`,
        '    steps:\n      - uses: ./.polyglot-cd/cosign-sign',
      ),
  },
  {
    name: 'our action before the own-commit checkout',
    rule: 'own-commit',
    edit: (s) =>
      s.replace(
        `${OWN_CHECKOUT}      - id: deploy\n        uses: ./.polyglot-cd/helm-deploy\n        with:\n          release: shop\n          pr-number: \${{ inputs.pr-number }}\n          images: "app: \${{ needs.build.outputs.image }}"\n          kubeconfig: \${{ secrets.kubeconfig }}\n`,
        `      - id: deploy\n        uses: ./.polyglot-cd/helm-deploy\n        with:\n          release: shop\n          pr-number: \${{ inputs.pr-number }}\n          images: "app: \${{ needs.build.outputs.image }}"\n          kubeconfig: \${{ secrets.kubeconfig }}\n${OWN_CHECKOUT}`,
      ),
  },
  {
    name: 'the own checkout at a ref that may move',
    rule: 'own-commit',
    edit: (s) =>
      s.replace(
        '          ref: ${{ needs.own-commit.outputs.sha }}\n          path: .polyglot-cd\n          persist-credentials: false\n      - uses: ./.polyglot-cd/cosign-sign',
        '          ref: v1\n          path: .polyglot-cd\n          persist-credentials: false\n      - uses: ./.polyglot-cd/cosign-sign',
      ),
  },
  {
    name: 'the own checkout of a repository the own-commit step did not name',
    rule: 'own-commit',
    edit: (s) =>
      s.replace(
        '          repository: ${{ needs.own-commit.outputs.repository }}\n          ref: ${{ needs.own-commit.outputs.sha }}\n          path: .polyglot-cd\n          persist-credentials: false\n      - uses: ./.polyglot-cd/cosign-sign',
        '          repository: ${{ inputs.pr-number }}\n          ref: ${{ needs.own-commit.outputs.sha }}\n          path: .polyglot-cd\n          persist-credentials: false\n      - uses: ./.polyglot-cd/cosign-sign',
      ),
  },
  {
    name: "the own checkout from outputs that are not the workflow's own",
    rule: 'own-commit',
    edit: (s) => s.replace('SHA: ${{ job.workflow_sha }}', 'SHA: ${{ github.sha }}'),
  },
  {
    name: 'the own commit taken without checking it',
    rule: 'own-commit',
    edit: (s) => s.replace('          [[ $SHA =~ ^[0-9a-f]{40}$ ]] && [ -n "$REPOSITORY" ]\n', ''),
  },
  {
    name: 'the own checkout keeping the token in .git/config',
    rule: 'own-commit',
    edit: (s) =>
      s.replace(
        '          path: .polyglot-cd\n          persist-credentials: false\n      - uses: ./.polyglot-cd/cosign-sign',
        '          path: .polyglot-cd\n      - uses: ./.polyglot-cd/cosign-sign',
      ),
    also: ['persist-credentials'],
  },
  {
    name: 'github.event.* inside run:',
    rule: 'untrusted-in-run',
    edit: (s) => s.replace('run: echo "deployed in run $RUN"', 'run: echo "${{ github.event.pull_request.title }}"'),
  },
  {
    name: 'github.head_ref inside run:',
    rule: 'untrusted-in-run',
    edit: (s) => s.replace('run: echo "deployed in run $RUN"', 'run: echo ${{ github.head_ref }}'),
  },
  {
    name: 'inputs.* inside run:',
    rule: 'untrusted-in-run',
    edit: (s) =>
      s.replace(
        'run: echo "tag=pr-$PR" >> "$GITHUB_OUTPUT"',
        'run: echo "tag=pr-${{ inputs.pr-number }}" >> "$GITHUB_OUTPUT"',
      ),
  },
  {
    name: 'a step output inside a github-script script',
    rule: 'untrusted-in-run',
    edit: (s) => s.replace('core.info(process.env.URL)', "core.info('${{ needs.deploy.outputs.url }}')"),
  },
  {
    name: 'pull_request_target',
    rule: 'pull-request-target',
    edit: (s) => s.replace('on:\n  workflow_call:', 'on:\n  pull_request_target:\n  workflow_call:'),
  },
  {
    name: 'a deploy job without concurrency',
    rule: 'concurrency',
    edit: (s) => s.replace(/ {4}concurrency:\n.*\n.*cancel-in-progress: false\n/, ''),
  },
  {
    name: 'a deploy job with cancel-in-progress: true',
    rule: 'concurrency',
    edit: (s) => s.replace('cancel-in-progress: false', 'cancel-in-progress: true'),
  },
  {
    name: 'workflow-level cancel-in-progress over a deploy',
    rule: 'concurrency',
    edit: (s) =>
      s.replace(
        'permissions: {}\njobs:',
        'permissions: {}\nconcurrency:\n  group: x\n  cancel-in-progress: true\njobs:',
      ),
  },
  { name: 'a job without timeout-minutes', rule: 'timeout', edit: (s) => s.replace('    timeout-minutes: 15\n', '') },
  { name: 'a deploy job that runs for fork PRs', rule: 'fork-guard', edit: (s) => s.replace(`    ${FORK_IF}\n`, '') },
  // the event name alone lets pull_request_target (a fork's code with the base repository's secrets) through
  {
    name: 'a fork guard that trusts the event name',
    rule: 'fork-guard',
    edit: (s) =>
      s.replace(
        `    ${FORK_IF}\n`,
        "    if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository\n",
      ),
  },
  {
    name: 'checkout that keeps the token in .git/config',
    rule: 'persist-credentials',
    edit: (s) => s.replace('        with:\n          persist-credentials: false\n', ''),
  },
];

describe('each contract rule catches a bad workflow', () => {
  it('the good example keeps the contract', () => {
    expect(show(checkWorkflow('good.yml', GOOD, { resolve }))).toEqual([]);
  });

  it.each(CASES)('$name → $rule', ({ edit, rule, also }) => {
    const bad = edit(GOOD);
    expect(bad, 'the edit changed the workflow').not.toBe(GOOD);
    const findings = checkWorkflow('bad.yml', bad, { resolve });
    expect([...new Set(findings.map((f) => f.rule))].sort(), show(findings).join('\n')).toEqual(
      [rule, ...(also ?? [])].sort(),
    );
  });

  it('names the place and the fix in its message', () => {
    const [f] = checkWorkflow(
      'bad.yml',
      GOOD.replace('image: registry.example/shop', 'image: registry.example/shop\n          tag: v1'),
      { resolve },
    );
    expect(f).toMatchObject({ file: 'bad.yml', at: 'jobs.build.steps[3](build).with.tag', rule: 'unknown-input' });
    expect(f?.message).toContain('./.polyglot-cd/build-push declares no input tag (it has: image, context, password)');
  });

  it('reads bracket syntax too', () => {
    const bad = GOOD.replace('image: ${{ needs.build.outputs.image }}', "image: ${{ needs['build'].outputs['nope'] }}");
    expect(checkWorkflow('bad.yml', bad, { resolve }).map((f) => f.rule)).toEqual(['needs-output']);
  });

  it('checks needs.X.outputs.Y in if: conditions, which are expressions without ${{ }}', () => {
    const bad = GOOD.replace(
      '    timeout-minutes: 5\n',
      "    timeout-minutes: 5\n    if: needs.deploy.outputs.ur != ''\n",
    );
    expect(checkWorkflow('bad.yml', bad, { resolve }).map((f) => f.rule)).toEqual(['needs-output']);
  });

  it('accepts the fork guard that compares head with base and refuses pull_request_target', () => {
    const ok = GOOD.replace(
      `${FORK_IF}`,
      "if: github.event_name != 'pull_request_target' && github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect(show(checkWorkflow('ok.yml', ok, { resolve }))).toEqual([]);
  });

  describe('callers of a reusable workflow', () => {
    const caller = (body: string): string =>
      `on:\n  pull_request:\npermissions: {}\njobs:\n  preview:\n    uses: org/polyglot-cd/.github/workflows/flow.yml@v1\n${body}`;
    const good =
      '    with:\n      pr-number: ${{ github.event.pull_request.number }}\n    secrets:\n      kubeconfig: ${{ secrets.PREVIEW_KUBECONFIG }}\n';
    it('a caller that maps what the workflow declares is fine', () => {
      expect(show(checkWorkflow('caller.yml', caller(good), { resolve }))).toEqual([]);
    });
    it.each<[string, string, Rule]>([
      ['an unknown input', good.replace('    secrets:', '      namespace: x\n    secrets:'), 'unknown-input'],
      [
        'a required input missing',
        good.replace('      pr-number: ${{ github.event.pull_request.number }}\n', '      domain: y\n'),
        'missing-input',
      ],
      ['an unknown secret', good + '      token: ${{ secrets.X }}\n', 'unknown-input'],
      [
        'a required secret missing',
        good.replace('    secrets:\n      kubeconfig: ${{ secrets.PREVIEW_KUBECONFIG }}\n', ''),
        'missing-input',
      ],
      [
        'secrets: inherit',
        good.replace('    secrets:\n      kubeconfig: ${{ secrets.PREVIEW_KUBECONFIG }}\n', '    secrets: inherit\n'),
        'secrets-inherit',
      ],
    ])('%s', (_name, body, rule) => {
      expect(checkWorkflow('caller.yml', caller(body), { resolve }).map((f) => f.rule)).toEqual([rule]);
    });
    it('a caller grants exactly what the called jobs need', () => {
      const withPerms: Record<string, Interface> = {
        '.github/workflows/flow.yml': {
          ...(IFACES['.github/workflows/flow.yml'] as Interface),
          permissions: { contents: 'read', 'id-token': 'write' },
        },
      };
      const r = (n: string): Interface | undefined => withPerms[n] ?? IFACES[n];
      const perms = (p: string): string => caller(`    permissions:\n${p}` + good);
      expect(
        show(checkWorkflow('caller.yml', perms('      contents: read\n      id-token: write\n'), { resolve: r })),
      ).toEqual([]);
      const missing = checkWorkflow('caller.yml', perms('      contents: read\n'), { resolve: r });
      expect(missing.map((f) => [f.rule, f.message])).toEqual([
        [
          'permissions-job',
          'org/polyglot-cd/.github/workflows/flow.yml@v1 has jobs that need id-token: write; grant it here (a called job cannot get more than its caller)',
        ],
      ]);
      const excess = checkWorkflow(
        'caller.yml',
        perms('      contents: write\n      id-token: write\n      packages: write\n'),
        { resolve: r },
      );
      expect(excess.map((f) => f.message)).toEqual([
        'contents: write is more than org/polyglot-cd/.github/workflows/flow.yml@v1 needs (contents: read)',
        'packages: write is more than org/polyglot-cd/.github/workflows/flow.yml@v1 needs (nothing)',
      ]);
    });
    it('needs.<caller>.outputs.Y is checked against the workflow_call outputs', () => {
      const next =
        '  after:\n    needs: preview\n    runs-on: ubuntu-latest\n    timeout-minutes: 1\n    steps:\n      - run: echo "$U"\n        env:\n          U: ${{ needs.preview.outputs.link }}\n';
      expect(checkWorkflow('caller.yml', caller(good) + next, { resolve }).map((f) => f.rule)).toEqual([
        'needs-output',
      ]);
    });
  });

  describe('production credentials are environment secrets (SECURITY.md T37, T49)', () => {
    const PROD = GOOD.replace(
      '    secrets:\n      kubeconfig: { required: true }\n',
      '    secrets:\n      kubeconfig: { required: true }\n      PRODUCTION_KUBECONFIG: { required: false }\n',
    ).replace(
      '  comment:\n',
      `  production:
    needs: [own-commit, build]
    if: github.event_name != 'pull_request_target' && (github.event.pull_request == null || github.event.pull_request.head.repo.full_name == github.event.pull_request.base.repo.full_name)
    runs-on: ubuntu-latest
    timeout-minutes: 20
    environment: production
    concurrency:
      group: deploy-production
      cancel-in-progress: false
    steps:
${OWN_CHECKOUT}      - uses: ./.polyglot-cd/helm-deploy
        with:
          release: shop
          namespace: production
          kubeconfig: \${{ secrets.PRODUCTION_KUBECONFIG }}
  guard:
    runs-on: ubuntu-latest
    timeout-minutes: 1
    steps:
      - env:
          SET: \${{ secrets.PRODUCTION_KUBECONFIG != '' }}
        run: test "$SET" = false
  comment:
`,
    );
    it('a fixed-target kubeconfig read only behind an environment (and tested for presence elsewhere) keeps the contract', () => {
      expect(PROD).not.toBe(GOOD);
      expect(show(checkWorkflow('prod.yml', PROD, { resolve }))).toEqual([]);
      expect(interfaceOf(PROD)?.environmentSecrets).toEqual(['PRODUCTION_KUBECONFIG']);
    });
    it.each<[string, (s: string) => string]>([
      ['the deploy job without its environment', (s) => s.replace('    environment: production\n', '')],
      [
        'its value in a job without an environment',
        (s) =>
          s.replace("SET: ${{ secrets.PRODUCTION_KUBECONFIG != '' }}", 'SET: ${{ secrets.PRODUCTION_KUBECONFIG }}'),
      ],
      ['a name no environment secret can have', (s) => s.replaceAll('PRODUCTION_KUBECONFIG', 'production-kubeconfig')],
      [
        'declared required (the caller hands over no value)',
        (s) => s.replace('PRODUCTION_KUBECONFIG: { required: false }', 'PRODUCTION_KUBECONFIG: { required: true }'),
      ],
    ])('%s', (_name, edit) => {
      const bad = edit(PROD);
      expect(bad).not.toBe(PROD);
      expect(checkWorkflow('prod.yml', bad, { resolve }).map((f) => f.rule)).toContain('environment-secret');
    });
    it('a caller maps an environment secret to itself, never from another secret', () => {
      const iface = { ...interfaceOf(PROD), permissions: {} } as Interface;
      const r = (n: string): Interface | undefined => (n === '.github/workflows/prod.yml' ? iface : IFACES[n]);
      const caller = (mapping: string): string =>
        `on:\n  push:\npermissions: {}\njobs:\n  release:\n    uses: org/polyglot-cd/.github/workflows/prod.yml@v1\n    with:\n      pr-number: '1'\n    secrets:\n      kubeconfig: \${{ secrets.PREVIEW_KUBECONFIG }}\n${mapping}`;
      expect(
        show(
          checkWorkflow('caller.yml', caller('      PRODUCTION_KUBECONFIG: ${{ secrets.PRODUCTION_KUBECONFIG }}\n'), {
            resolve: r,
          }),
        ),
      ).toEqual([]);
      expect(
        checkWorkflow('caller.yml', caller('      PRODUCTION_KUBECONFIG: ${{ secrets.PROD_KUBECONFIG }}\n'), {
          resolve: r,
        }).map((f) => f.rule),
      ).toEqual(['environment-secret']);
      expect(checkWorkflow('caller.yml', caller(''), { resolve: r }).map((f) => f.rule)).toEqual([
        'environment-secret',
      ]);
    });
  });

  it('one ref across workflows', () => {
    const a = {
      file: 'a.yml',
      text: 'jobs:\n  x:\n    steps:\n      - uses: org/polyglot-cd/helm-deploy@v1\n      - uses: org/polyglot-cd/teams-notify@v1\n',
    };
    const b = { file: 'b.yml', text: 'jobs:\n  x:\n    steps:\n      - uses: org/polyglot-cd/helm-deploy@v2\n' };
    expect(checkOwnRefs([a, b]).map((f) => [f.file, f.rule])).toEqual([['b.yml', 'own-ref']]);
    expect(checkOwnRefs([a])).toEqual([]);
  });

  it('an action.yml that does not parse is a finding, not a crash', () => {
    const throwing = (n: string): Interface | undefined => {
      if (n === 'build-push') throw new Error('bad indentation of a mapping entry (16:84)');
      return IFACES[n];
    };
    const findings = checkWorkflow('x.yml', GOOD, { resolve: throwing });
    expect(show(findings)).toEqual([
      'jobs.build.steps[3](build): [unknown-action] ./.polyglot-cd/build-push: build-push/action.yml does not parse (bad indentation of a mapping entry (16:84))',
    ]);
  });

  it('a file that is not YAML is a finding, not a crash', () => {
    expect(checkWorkflow('x.yml', 'jobs: [unclosed', { resolve }).map((f) => f.rule)).toEqual(['yaml']);
  });
});
