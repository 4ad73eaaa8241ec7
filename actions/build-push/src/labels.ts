/** OCI annotations as image labels (pure). The user's `labels` win on conflict. */
export interface LabelContext {
  /** e.g. https://github.com/org/repo ('' when unknown) */
  repositoryUrl: string;
  sha: string;
  /** ISO 8601 time of the build */
  created: string;
  version: string;
  /** the image's name: the last component of the repository */
  title: string;
}

export function ociLabels(ctx: LabelContext, user: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  if (ctx.repositoryUrl) out.set('org.opencontainers.image.source', ctx.repositoryUrl);
  if (ctx.sha) out.set('org.opencontainers.image.revision', ctx.sha);
  out.set('org.opencontainers.image.created', ctx.created);
  if (ctx.version) out.set('org.opencontainers.image.version', ctx.version);
  if (ctx.title) out.set('org.opencontainers.image.title', ctx.title);
  for (const [k, v] of user) out.set(k, v);
  return out;
}
