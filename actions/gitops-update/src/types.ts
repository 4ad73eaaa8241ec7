/**
 * The contract between gitops-update's parts: the edits (what changes in which file, pure), and the
 * transports that land them in the GitOps repository (plain git over HTTPS, or GitHub's API). A
 * transport reads the files at the commit it builds on, hands them to `apply`, and on a rejected update
 * (someone else landed first) reads them again at the new head and calls `apply` again.
 */

/** Where one image goes in one file. */
export type TargetKind = 'values' | 'container' | 'kustomize';

export interface Target {
  /** path in the GitOps repository, relative, `/`-separated, already checked to stay inside it */
  file: string;
  kind: TargetKind;
  /**
   * values: the key path of the scalar to set (`components.backend.image.digest`);
   * container: the container name in the manifests (every Deployment, StatefulSet, … in the file);
   * kustomize: the `name` of the `images:` entry in kustomization.yaml.
   */
  where: string;
  /** the component of the `images` input whose image this target gets */
  component: string;
  /** values only: what is written, the digest (`sha256:…`) or the whole reference (`repo@sha256:…`) */
  write: 'digest' | 'ref';
  /** values only: create the key path when it is missing (otherwise a missing key is an error) */
  create: boolean;
}

/** The image a target gets: as parsed from the `images` input (one `component: repo@sha256:…` per line). */
export interface Image {
  component: string;
  repository: string;
  digest: string;
}

/** Who produced the image: an older stamp never overwrites a newer one in a target. */
export interface Stamp {
  /** GITHUB_RUN_NUMBER of the workflow that built it */
  run: number;
  /** the source commit (GITHUB_SHA) */
  commit: string;
}

/** One file as it is at the commit a change is built on (undefined: the file does not exist). */
export type ReadFile = (path: string) => Promise<string | undefined>;

export interface FileChange {
  path: string;
  before: string;
  after: string;
}

/** What `apply` decided, target by target (for the summary). */
export interface TargetOutcome {
  target: Target;
  outcome: 'updated' | 'unchanged' | 'skipped-newer';
  /** the value before (digest or reference), when there was one */
  previous?: string;
  /** why, for skipped-newer: the stamp the target already holds */
  held?: Stamp;
}

/** The edits to make, computed from the files read at one commit. Must be pure: called again on retry. */
export type Apply = (read: ReadFile) => Promise<{ changes: FileChange[]; outcomes: TargetOutcome[] }>;

export interface LandRequest {
  /** the branch the change is written to (the base branch in push mode, the environment branch for a PR) */
  branch: string;
  /**
   * when `branch` does not exist yet, or `reset` is set: the branch whose head the change is built on
   * (the repository's base branch)
   */
  from: string;
  /** rebuild `branch` on `from`'s head (force), for an environment branch with no open pull request */
  reset: boolean;
  /** the commit message (first line: subject; trailers at the end) */
  message: string;
  apply: Apply;
  /** the author and committer of the commit (plain git); GitHub's API uses the token's identity */
  author: { name: string; email: string };
  /**
   * Dry run: read the files at the commit the change would be built on (the same choice of branch,
   * `from` and `reset` as a real run), call `apply` once, check its changes as a real run does, and
   * return them (only those that really change a file) and the outcomes, with `changed` =
   * (changes.length > 0) and `commit` = the head read. Nothing is written: no blob, tree, commit or
   * ref request (GitHub API), no commit and no push (plain git); `attempts` is 1.
   */
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface LandResult {
  /** false: apply made no change; nothing was committed (dry run: whether a real run would commit) */
  changed: boolean;
  /** the new commit's SHA, or the head that was read when nothing changed (dry run: always the head read) */
  commit: string;
  /** how many times the change was built (1 = no race) */
  attempts: number;
  changes: FileChange[];
  outcomes: TargetOutcome[];
}

export interface Transport {
  land(req: LandRequest): Promise<LandResult>;
}
