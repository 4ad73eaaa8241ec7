/**
 * Card rendering. Pure: a CardModel in, the JSON body to POST out.
 * - Adaptive Card 1.4 in the Workflows message envelope (the default; 1.4 is what Power Automate's
 *   "Post card in a chat or channel" renders reliably);
 * - the legacy connector MessageCard, only when asked for.
 * `fitPayload` keeps the body under the Teams size limit by shortening the longest fields with a
 * visible marker, then dropping trailing facts.
 */
import type { GitHubContext } from '@polyglot-cd/action-kit';
import type { Format, Status, TeamsInputs } from './inputs.js';

export interface CardModel {
  status: Status;
  title: string;
  facts: [string, string][];
  links: { title: string; url: string }[];
  /** commit link shown in the facts, rendered as Markdown where the card supports it */
  commit?: { short: string; url: string };
}

const STATUS_STYLE: Record<Status, { label: string; color: string; container: string; theme: string }> = {
  success: { label: 'Succeeded', color: 'Good', container: 'good', theme: '2EB886' },
  failure: { label: 'Failed', color: 'Attention', container: 'attention', theme: 'D70000' },
  cancelled: { label: 'Cancelled', color: 'Warning', container: 'warning', theme: 'FFA500' },
  started: { label: 'Started', color: 'Accent', container: 'accent', theme: '0076D7' },
};

export function statusLabel(status: Status): string {
  return STATUS_STYLE[status].label;
}

/** The inputs a card is made from. */
export type ModelInput = Pick<
  TeamsInputs,
  'status' | 'title' | 'environment' | 'namespace' | 'image' | 'url' | 'facts'
>;

export function buildModel(i: ModelInput, gh: GitHubContext): CardModel {
  const what = gh.workflow || 'Workflow';
  const where = i.environment ? ` to ${i.environment}` : '';
  const title = i.title || `${what}${where}: ${statusLabel(i.status)}${gh.repository ? ` (${gh.repository})` : ''}`;
  const facts: [string, string][] = [['Status', statusLabel(i.status)]];
  if (gh.repository) facts.push(['Repository', gh.repository]);
  if (gh.refName || gh.ref) facts.push(['Ref', gh.refName || gh.ref]);
  const commit = gh.shortSha ? { short: gh.shortSha, url: gh.commitUrl } : undefined;
  if (commit) facts.push(['Commit', commit.short]);
  if (gh.actor) facts.push(['Actor', gh.actor]);
  if (i.environment) facts.push(['Environment', i.environment]);
  if (i.namespace) facts.push(['Namespace', i.namespace]);
  if (i.image) facts.push(['Image', i.image]);
  if (i.url) facts.push(['URL', i.url]);
  for (const [k, v] of i.facts) facts.push([k, v]);
  const links: { title: string; url: string }[] = [];
  if (i.url) links.push({ title: 'Open app', url: i.url });
  if (gh.runUrl) links.push({ title: 'View workflow run', url: gh.runUrl });
  if (gh.commitUrl) links.push({ title: 'View commit', url: gh.commitUrl });
  return { status: i.status, title, facts, links, ...(commit ? { commit } : {}) };
}

function factValue(model: CardModel, name: string, value: string): string {
  if (name === 'Commit' && model.commit && model.commit.url && value === model.commit.short) {
    return `[${value}](${model.commit.url})`;
  }
  return value;
}

export function adaptiveCard(model: CardModel): object {
  const style = STATUS_STYLE[model.status];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            {
              type: 'Container',
              style: style.container,
              bleed: true,
              items: [
                {
                  type: 'TextBlock',
                  text: model.title,
                  size: 'Medium',
                  weight: 'Bolder',
                  color: style.color,
                  wrap: true,
                },
              ],
            },
            {
              type: 'FactSet',
              facts: model.facts.map(([title, value]) => ({ title, value: factValue(model, title, value) })),
            },
          ],
          actions: model.links.map((l) => ({ type: 'Action.OpenUrl', title: l.title, url: l.url })),
        },
      },
    ],
  };
}

export function messageCard(model: CardModel): object {
  const style = STATUS_STYLE[model.status];
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: style.theme,
    summary: model.title,
    title: model.title,
    sections: [
      {
        facts: model.facts.map(([name, value]) => ({ name, value: factValue(model, name, value) })),
        markdown: true,
      },
    ],
    potentialAction: model.links.map((l) => ({
      '@type': 'OpenUri',
      name: l.title,
      targets: [{ os: 'default', uri: l.url }],
    })),
  };
}

export function render(model: CardModel, format: Format): string {
  return JSON.stringify(format === 'message-card' ? messageCard(model) : adaptiveCard(model));
}

/** Teams refuses messages over 28 KB; stay clearly under it. */
export const MAX_PAYLOAD_BYTES = 27 * 1024;
export const TRUNCATION_MARKER = '… [truncated]';
const MIN_FIELD = 80;

export interface Fitted {
  body: string;
  bytes: number;
  truncated: boolean;
}

export function fitPayload(model: CardModel, format: Format, maxBytes = MAX_PAYLOAD_BYTES): Fitted {
  let m: CardModel = { ...model, facts: model.facts.map(([k, v]) => [k, v] as [string, string]) };
  let body = render(m, format);
  let bytes = Buffer.byteLength(body);
  let truncated = false;
  // 1. shorten the longest text fields (title, fact names and values), one at a time
  while (bytes > maxBytes) {
    const fields: { len: number; set: (s: string) => void; get: () => string }[] = [
      { len: m.title.length, get: () => m.title, set: (s) => (m = { ...m, title: s }) },
      ...m.facts.flatMap((f) => [
        { len: f[1].length, get: () => f[1], set: (s: string) => (f[1] = s) },
        { len: f[0].length, get: () => f[0], set: (s: string) => (f[0] = s) },
      ]),
    ];
    const longest = fields.sort((a, b) => b.len - a.len)[0];
    const excess = bytes - maxBytes;
    const keep = longest
      ? Math.max(MIN_FIELD, Math.min(longest.len - excess - TRUNCATION_MARKER.length, Math.floor(longest.len / 2)))
      : 0;
    // stop when shortening would not make the field shorter: what is left is many small fields
    if (!longest || keep + TRUNCATION_MARKER.length >= longest.len) break;
    longest.set(cutAt(longest.get(), keep) + TRUNCATION_MARKER);
    truncated = true;
    body = render(m, format);
    bytes = Buffer.byteLength(body);
  }
  // 2. still too big (many small facts): keep the longest prefix of facts that fits (binary search)
  if (bytes > maxBytes && m.facts.length > 1) {
    const all = m.facts;
    const withFirst = (n: number): CardModel => ({
      ...m,
      facts: [...all.slice(0, n), ['…', `${all.length - n} more facts ${TRUNCATION_MARKER}`]],
    });
    let lo = 1;
    let hi = all.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (Buffer.byteLength(render(withFirst(mid), format)) <= maxBytes) lo = mid;
      else hi = mid - 1;
    }
    m = withFirst(lo);
    body = render(m, format);
    bytes = Buffer.byteLength(body);
    truncated = true;
  }
  return { body, bytes, truncated };
}

/** Cut a string to at most n UTF-16 units without splitting a surrogate pair. */
function cutAt(s: string, n: number): string {
  let out = s.slice(0, n);
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  return out;
}
