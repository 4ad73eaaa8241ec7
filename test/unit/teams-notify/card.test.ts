import { describe, expect, it } from 'vitest';
import { githubContext } from '@polyglot-cd/action-kit';
import {
  adaptiveCard,
  buildModel,
  fitPayload,
  messageCard,
  render,
  TRUNCATION_MARKER,
  type ModelInput,
} from '../../../actions/teams-notify/src/card.js';
import { baseEnv } from '../../helpers/action-env.js';
import { fixtureJson } from '../../helpers/fixtures.js';

const fixture = (name: string): Record<string, unknown> => fixtureJson(`teams/${name}`);

const gh = githubContext(baseEnv());
const input: ModelInput = {
  status: 'failure',
  title: '',
  environment: 'staging',
  namespace: 'pr-42',
  image: `ghcr.io/example-org/web@sha256:${'a'.repeat(64)}`,
  url: 'https://pr-42.preview.example.com',
  facts: [['Findings', 'CRITICAL: 2, HIGH: 0']],
};

/** The keys of every object in a JSON tree, by path (arrays by their first element). */
function shape(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.length ? shape(v[0], `${path}[]`) : [];
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...shape(x, `${path}.${k}`)]);
  return [];
}

describe('card model', () => {
  it('carries repository, ref, commit, actor, run link and the deployment facts', () => {
    const m = buildModel(input, gh);
    expect(m.title).toBe('Deploy to staging: Failed (example-org/shop)');
    expect(m.facts).toEqual([
      ['Status', 'Failed'],
      ['Repository', 'example-org/shop'],
      ['Ref', 'main'],
      ['Commit', 'a1b2c3d'],
      ['Actor', 'octocat'],
      ['Environment', 'staging'],
      ['Namespace', 'pr-42'],
      ['Image', input.image],
      ['URL', 'https://pr-42.preview.example.com'],
      ['Findings', 'CRITICAL: 2, HIGH: 0'],
    ]);
    expect(m.links).toEqual([
      { title: 'Open app', url: 'https://pr-42.preview.example.com' },
      { title: 'View workflow run', url: 'https://github.com/example-org/shop/actions/runs/987654321' },
      {
        title: 'View commit',
        url: 'https://github.com/example-org/shop/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      },
    ]);
  });

  it('an explicit title wins; a re-run links its attempt', () => {
    const m = buildModel({ ...input, title: 'Custom' }, githubContext({ ...baseEnv(), GITHUB_RUN_ATTEMPT: '2' }));
    expect(m.title).toBe('Custom');
    expect(m.links[1]?.url).toBe('https://github.com/example-org/shop/actions/runs/987654321/attempts/2');
  });
});

describe('Adaptive Card (Workflows envelope)', () => {
  const card = adaptiveCard(buildModel(input, gh)) as ReturnType<typeof fixture>;

  it('has the envelope and card fields of the documented Workflows payload', () => {
    // every key path of the recorded payload exists in ours (ours adds a styled Container)
    const ours = new Set(shape(card));
    const theirs = shape(fixture('workflows-adaptive-card.json')).filter((p) => !p.includes('.body[]'));
    for (const p of theirs) expect(ours, p).toContain(p);
    const att = (card['attachments'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(card['type']).toBe('message');
    expect(att['contentType']).toBe('application/vnd.microsoft.card.adaptive');
    const content = att['content'] as Record<string, unknown>;
    expect(content['version']).toBe('1.4');
    expect(content['msteams']).toEqual({ width: 'Full' });
  });

  it.each([
    ['success', 'good', 'Good'],
    ['failure', 'attention', 'Attention'],
    ['cancelled', 'warning', 'Warning'],
    ['started', 'accent', 'Accent'],
  ] as const)('status %s is styled %s', (status, style, color) => {
    const c = JSON.parse(render(buildModel({ ...input, status }, gh), 'adaptive-card'));
    const container = c.attachments[0].content.body[0];
    expect(container.style).toBe(style);
    expect(container.items[0].color).toBe(color);
  });

  it('links the short commit and uses only Action.OpenUrl (no Action.Submit in webhooks)', () => {
    const c = JSON.parse(render(buildModel(input, gh), 'adaptive-card'));
    const facts = c.attachments[0].content.body[1].facts;
    expect(facts).toContainEqual({
      title: 'Commit',
      value: '[a1b2c3d](https://github.com/example-org/shop/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678)',
    });
    expect(new Set(c.attachments[0].content.actions.map((a: { type: string }) => a.type))).toEqual(
      new Set(['Action.OpenUrl']),
    );
  });
});

describe('legacy MessageCard (opt-in)', () => {
  it('has the fields of the recorded connector card, summary included', () => {
    const c = messageCard(buildModel(input, gh)) as Record<string, unknown>;
    const theirs = shape(fixture('legacy-messagecard.json')).filter((p) => !/activity/.test(p));
    const ours = new Set(shape(c));
    for (const p of theirs) expect(ours, p).toContain(p);
    expect(c['summary']).toBe('Deploy to staging: Failed (example-org/shop)');
    expect(c['themeColor']).toBe('D70000');
  });
});

describe('fitPayload', () => {
  it('leaves a normal card alone', () => {
    const m = buildModel(input, gh);
    const f = fitPayload(m, 'adaptive-card');
    expect(f.truncated).toBe(false);
    expect(f.body).toBe(render(m, 'adaptive-card'));
  });

  it.each(['adaptive-card', 'message-card'] as const)(
    'shortens huge fields with a visible marker to stay under 28 KB (%s)',
    (format) => {
      const m = buildModel(
        {
          ...input,
          title: 'T'.repeat(40_000),
          facts: [
            ['Log', 'é'.repeat(30_000)],
            ['Short', 'kept'],
          ],
        },
        gh,
      );
      const f = fitPayload(m, format);
      expect(f.truncated).toBe(true);
      expect(f.bytes).toBeLessThanOrEqual(27 * 1024);
      expect(Buffer.byteLength(f.body)).toBe(f.bytes);
      expect(f.body).toContain(TRUNCATION_MARKER);
      expect(f.body).toContain('kept');
      expect(() => JSON.parse(f.body)).not.toThrow();
      expect(m.title.length).toBe(40_000); // the model passed in is not mutated
    },
  );

  it('drops trailing facts when there are too many, and says how many', () => {
    const facts = Array.from({ length: 2000 }, (_, i) => [`fact-${i}`, `value-${i}`] as const);
    const f = fitPayload(buildModel({ ...input, facts }, gh), 'adaptive-card');
    expect(f.bytes).toBeLessThanOrEqual(27 * 1024);
    const shown = JSON.parse(f.body).attachments[0].content.body[1].facts;
    const last = shown[shown.length - 1];
    expect(last.title).toBe('…');
    expect(last.value).toMatch(/^\d+ more facts … \[truncated\]$/);
    expect(shown.length - 1 + Number(last.value.split(' ')[0])).toBe(2000 + 9);
  });
});
