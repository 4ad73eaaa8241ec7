/**
 * The YAML this action reads: the `values` input, and the manifests helm renders. `yaml` is imported
 * lazily (most of a deploy never needs it, and the cold start is budgeted). The YAML 1.2 core schema
 * plus `<<` merge keys, which helm honours in values; the parser's own alias guard is bounded like
 * `checkYamlExpansion`, which then counts the parsed document exactly.
 */
import { checkYamlExpansion, InputError, MAX_YAML_NODES } from '@polyglot-cd/action-kit';
import type { LoadAll } from './manifest.js';
import { isMapping, type Values } from './values.js';

const YAML_OPTIONS = { version: '1.2', merge: true, maxAliasCount: MAX_YAML_NODES, logLevel: 'error' } as const;

export interface YamlLoaders {
  /** one document; throws the parser's error */
  load: (text: string) => unknown;
  /** every document of a stream; throws the first document's error */
  loadAll: LoadAll;
}

export async function yamlLoaders(): Promise<YamlLoaders> {
  const { parse, parseAllDocuments } = await import('yaml');
  return {
    load: (t) => parse(t, YAML_OPTIONS),
    loadAll: (t) => {
      const docs = parseAllDocuments(t, YAML_OPTIONS);
      if (!Array.isArray(docs)) return [];
      for (const d of docs) if (d.errors.length > 0) throw d.errors[0];
      return docs.map((d) => d.toJS(YAML_OPTIONS) as unknown);
    },
  };
}

/** The line a parser error points at (1-based), if it says. */
function errorLine(err: unknown): number | undefined {
  const line = (err as { linePos?: { line?: number }[] }).linePos?.[0]?.line;
  return typeof line === 'number' ? line : undefined;
}

/** The `values` input as a mapping ({} when empty); anything else is an input error. */
export function parseValuesInput(text: string, load: YamlLoaders['load']): Values {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (err) {
    if (err instanceof ReferenceError || /alias count/i.test((err as Error).message)) {
      // the parser's alias guard (maxAliasCount), worded as checkYamlExpansion words it
      throw new InputError(
        `Input "values" expands to more than ${MAX_YAML_NODES} YAML values through its aliases (*name): refused before anything uses it (an alias bomb)`,
        'values',
      );
    }
    const line = errorLine(err);
    throw new InputError(
      `Input "values" is not valid YAML${line !== undefined ? ` (line ${line})` : ''}: ${(err as Error).message.split('\n')[0]}`,
      'values',
    );
  }
  if (parsed === null || parsed === undefined) return {};
  checkYamlExpansion('values', parsed);
  if (!isMapping(parsed))
    throw new InputError('Input "values" must be a YAML mapping (key: value lines), e.g. "replicaCount: 2"', 'values');
  return parsed;
}
