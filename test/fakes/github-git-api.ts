/**
 * A fake GitHub API for the gitops-update GitHub transport and its pull requests: a real HTTP server on
 * 127.0.0.1 (random port) implementing just the endpoints they use, backed by a REAL bare git
 * repository driven with git plumbing (hash-object, a temporary index with read-tree/update-index/
 * write-tree, commit-tree, and `update-ref <ref> <new> <old>` as the compare-and-swap, under one ref
 * lock, so races behave as on GitHub). Its answers are GitHub's documented shapes
 * (test/fixtures/github/*.json, SOURCES.md) filled with the real values.
 *
 * Endpoints: GET git/ref/heads/…, GET git/commits|trees|blobs/{sha}, POST git/blobs|trees|commits|refs,
 * PATCH git/refs/heads/…, GET|POST pulls, PATCH pulls/{n}, POST pulls/{n}/requested_reviewers,
 * POST issues/{n}/labels, POST /graphql (enablePullRequestAutoMerge).
 *
 * It checks `Authorization: Bearer <token>` or `token <token>` (401 otherwise), records every request
 * (method, path, headers without Authorization, body, status), and can be told to inject faults: a
 * reply instead of the real answer (a 502, a 403 rate limit with its headers, a 409), and/or a hook
 * that runs before the real handling (another commit landing between a GET and a PATCH: a real race).
 * A commit made without `author` is written as the token's user, committed by GitHub and recorded as
 * signed (`verification.verified: true`), as GitHub does; one with an author is `unsigned`.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURES = new URL('../fixtures/github/', import.meta.url);
const ZERO = '0'.repeat(40);

type Json = Record<string, unknown>;

/** A response shape of test/fixtures/github (a fresh copy). */
export function githubFixture<T = Json>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

const fixture = githubFixture;

/** A file to seed or commit: text, a symbolic link, a submodule (gitlink) or an executable. */
export type FakeFile = string | { symlink: string } | { submodule: string } | { executable: string };

export interface RecordedRequest {
  method: string;
  /** path and query, as sent */
  path: string;
  /** lower-cased, without Authorization */
  headers: Record<string, string>;
  /** how it authenticated */
  auth: 'bearer' | 'token' | 'missing' | 'wrong';
  /** parsed JSON, or the text */
  body: unknown;
  status: number;
}

export interface Fault {
  method?: string;
  /** matched against the path without the query */
  path?: RegExp | string;
  /** how many matching requests it applies to (default 1) */
  times?: number;
  /** runs before the request is handled (or the reply sent) */
  before?: () => Promise<void> | void;
  /** answered instead of the real handling */
  reply?: { status: number; headers?: Record<string, string>; body?: unknown };
}

export interface FakePull {
  number: number;
  nodeId: string;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  labels: string[];
  reviewers: string[];
  teams: string[];
  autoMerge: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FakeGithubOptions {
  token: string;
  owner?: string;
  repo?: string;
  /** html base of the pull-request URLs (default https://github.com) */
  serverUrl?: string;
  /** the token's user */
  login?: string;
}

export interface FakeGithub {
  /** the REST base URL (http://127.0.0.1:port); GraphQL is at /graphql */
  url: string;
  owner: string;
  repo: string;
  /** owner/repo */
  repository: string;
  serverUrl: string;
  login: string;
  /** the bare repository */
  gitDir: string;
  requests: RecordedRequest[];
  pulls: FakePull[];
  /** commits GitHub made (no author given): "signed" */
  signedCommits: Set<string>;
  inject(fault: Fault): void;
  git(args: string[], input?: string): Promise<string>;
  /** a commit of exactly these files on `branch` (created or moved, no parent kept): the test's starting point */
  seed(branch: string, files: Record<string, FakeFile>): Promise<string>;
  /** another writer's commit on `branch`, on top of its head (compare-and-swap, under the ref lock) */
  commitFiles(branch: string, files: Record<string, FakeFile>, message?: string): Promise<string>;
  head(branch: string): Promise<string | undefined>;
  readFile(ref: string, path: string): Promise<string | undefined>;
  listFiles(ref: string): Promise<string[]>;
  close(): Promise<void>;
}

interface Ctx {
  o: Required<FakeGithubOptions>;
  url: string;
  gitDir: string;
  tmp: string;
  env: NodeJS.ProcessEnv;
  pulls: FakePull[];
  signed: Set<string>;
  faults: (Fault & { left: number })[];
  lock: Promise<unknown>;
  labelIds: Map<string, number>;
  /** answers about objects, by SHA (objects never change): fewer git processes on a loaded machine */
  memo: Map<string, Promise<unknown>>;
}

function memo<T>(ctx: Ctx, key: string, fn: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (p === undefined) {
    p = fn();
    ctx.memo.set(key, p);
    p.catch(() => ctx.memo.delete(key));
  }
  return p;
}

class HttpReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

function fail(status: number, message: string, doc = 'https://docs.github.com/rest', extra: Json = {}): HttpReply {
  return new HttpReply(status, { message, ...extra, documentation_url: doc, status: String(status) });
}

// ---------------------------------------------------------------------------------------------- git

function run(ctx: Pick<Ctx, 'env' | 'tmp'>, args: string[], input?: string | Buffer, env = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stdin = input === undefined ? 'ignore' : 'pipe';
    const child = spawn('git', args, { env: { ...ctx.env, ...env }, cwd: ctx.tmp, stdio: [stdin, 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args.join(' ')}: exit ${code}: ${Buffer.concat(err).toString().trim()}`));
    });
    if (child.stdin !== null) {
      child.stdin.on('error', () => {}); // git may exit without reading it; its exit code tells
      child.stdin.end(input);
    }
  });
}

async function git(ctx: Ctx, args: string[], input?: string | Buffer, env = {}): Promise<string> {
  return (await run(ctx, args, input, env)).toString('utf8').trim();
}

async function succeeds(ctx: Ctx, args: string[]): Promise<boolean> {
  return run(ctx, args).then(
    () => true,
    () => false,
  );
}

async function objectType(ctx: Ctx, sha: unknown): Promise<string | undefined> {
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) return undefined;
  return memo(ctx, `type ${sha}`, () => git(ctx, ['cat-file', '-t', sha])).catch(() => undefined);
}

async function revParse(ctx: Ctx, ref: string): Promise<string | undefined> {
  return git(ctx, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => undefined);
}

/** Runs `fn` under the one ref lock (GitHub serializes the updates of a ref). */
function withRefLock<T>(ctx: Ctx, fn: () => Promise<T>): Promise<T> {
  const next = ctx.lock.then(fn, fn);
  ctx.lock = next.catch(() => undefined);
  return next;
}

interface IndexEdit {
  path: string;
  mode: string;
  /** null: remove */
  sha: string | null;
}

/** A tree: `base` (or nothing) with the edits, built in a temporary index. */
async function writeTree(ctx: Ctx, base: string | undefined, edits: IndexEdit[]): Promise<string> {
  const index = join(ctx.tmp, `index-${randomBytes(6).toString('hex')}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await run(ctx, base === undefined ? ['read-tree', '--empty'] : ['read-tree', base], undefined, env);
    const lines = edits.map((e) => (e.sha === null ? `0 ${ZERO}\t${e.path}` : `${e.mode} ${e.sha}\t${e.path}`));
    if (lines.length > 0) await run(ctx, ['update-index', '--add', '--index-info'], `${lines.join('\n')}\n`, env);
    return (await run(ctx, ['write-tree'], undefined, env)).toString().trim();
  } finally {
    await rm(index, { force: true });
  }
}

async function hashBlob(ctx: Ctx, content: string | Buffer): Promise<string> {
  return git(ctx, ['hash-object', '-w', '--stdin'], content);
}

async function fileEdits(ctx: Ctx, files: Record<string, FakeFile>): Promise<IndexEdit[]> {
  const edits: IndexEdit[] = [];
  for (const [path, f] of Object.entries(files)) {
    if (typeof f === 'string') edits.push({ path, mode: '100644', sha: await hashBlob(ctx, f) });
    else if ('symlink' in f) edits.push({ path, mode: '120000', sha: await hashBlob(ctx, f.symlink) });
    else if ('executable' in f) edits.push({ path, mode: '100755', sha: await hashBlob(ctx, f.executable) });
    else edits.push({ path, mode: '160000', sha: f.submodule });
  }
  return edits;
}

interface Ident {
  name: string;
  email: string;
}

async function commitTree(ctx: Ctx, tree: string, parents: string[], message: string, author: Ident, committer: Ident) {
  const env = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  return git(ctx, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], message, env);
}

interface TreeLine {
  mode: string;
  type: string;
  sha: string;
  size?: number;
  path: string;
}

async function lsTree(ctx: Ctx, sha: string, recursive = false): Promise<TreeLine[]> {
  const args = ['ls-tree', '-l', '-z', ...(recursive ? ['-r', '-t'] : []), sha];
  const byName = !/^[0-9a-f]{40}$/.test(sha); // a ref (listFiles) moves: not cached
  const out = (
    await (byName ? run(ctx, args) : memo(ctx, `ls-tree ${recursive} ${sha}`, () => run(ctx, args)))
  ).toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode = '', type = '', obj = '', size = '-'] = meta.split(/ +/);
      return { mode, type, sha: obj, path, ...(size === '-' ? {} : { size: Number(size) }) };
    });
}

interface ParsedCommit {
  tree: string;
  parents: string[];
  author: Ident & { date: string };
  committer: Ident & { date: string };
  message: string;
}

async function readCommit(ctx: Ctx, sha: string): Promise<ParsedCommit> {
  const text = (await memo(ctx, `commit ${sha}`, () => run(ctx, ['cat-file', 'commit', sha]))).toString('utf8');
  const split = text.indexOf('\n\n');
  const head = text.slice(0, split).split('\n');
  const ident = (line: string | undefined) => {
    const m = /^\S+ (.*) <(.*)> (\d+) [+-]\d{4}$/.exec(line ?? '');
    return { name: m?.[1] ?? '', email: m?.[2] ?? '', date: isoDate(Number(m?.[3] ?? 0)) };
  };
  return {
    tree: head.find((l) => l.startsWith('tree '))?.slice(5) ?? '',
    parents: head.filter((l) => l.startsWith('parent ')).map((l) => l.slice(7)),
    author: ident(head.find((l) => l.startsWith('author '))),
    committer: ident(head.find((l) => l.startsWith('committer '))),
    message: text.slice(split + 2),
  };
}

function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ------------------------------------------------------------------------------------------- shapes

function repoUrl(ctx: Ctx): string {
  return `${ctx.url}/repos/${ctx.o.owner}/${ctx.o.repo}`;
}

function refJson(ctx: Ctx, ref: string, sha: string): Json {
  const t = fixture('git-ref.json');
  t['ref'] = ref;
  t['node_id'] = Buffer.from(`03:Ref${ref}`).toString('base64');
  t['url'] = `${repoUrl(ctx)}/git/${ref}`;
  t['object'] = { type: 'commit', sha, url: `${repoUrl(ctx)}/git/commits/${sha}` };
  return t;
}

async function commitJson(ctx: Ctx, sha: string): Promise<Json> {
  const c = await readCommit(ctx, sha);
  const t = fixture('git-commit.json');
  const signed = ctx.signed.has(sha);
  Object.assign(t, {
    sha,
    node_id: Buffer.from(`06:Commit${sha}`).toString('base64'),
    url: `${repoUrl(ctx)}/git/commits/${sha}`,
    html_url: `${ctx.o.serverUrl}/${ctx.o.owner}/${ctx.o.repo}/commit/${sha}`,
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { url: `${repoUrl(ctx)}/git/trees/${c.tree}`, sha: c.tree },
    parents: c.parents.map((p) => ({
      url: `${repoUrl(ctx)}/git/commits/${p}`,
      sha: p,
      html_url: `${ctx.o.serverUrl}/${ctx.o.owner}/${ctx.o.repo}/commit/${p}`,
    })),
    verification: signed
      ? {
          verified: true,
          reason: 'valid',
          signature: '-----BEGIN PGP SIGNATURE-----\n(fake)\n-----END PGP SIGNATURE-----\n',
          payload: `tree ${c.tree}\n`,
          verified_at: c.committer.date,
        }
      : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  return t;
}

async function treeJson(ctx: Ctx, sha: string, template: string, recursive = false): Promise<Json> {
  const t = fixture(template);
  t['sha'] = sha;
  t['url'] = `${repoUrl(ctx)}/git/trees/${sha}`;
  t['tree'] = (await lsTree(ctx, sha, recursive)).map((e) => ({
    path: e.path,
    mode: e.mode,
    type: e.type,
    ...(e.size === undefined ? {} : { size: e.size }),
    sha: e.sha,
    url: `${repoUrl(ctx)}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
  }));
  t['truncated'] = false;
  return t;
}

function userJson(login: string): Json {
  const t = fixture<Json>('pull-request.json')['user'];
  return JSON.parse(JSON.stringify(t).split('octocat').join(login)) as Json;
}

function labelJson(ctx: Ctx, name: string): Json {
  const t = fixture<Json[]>('issue-labels.json')[0] ?? {};
  if (!ctx.labelIds.has(name)) ctx.labelIds.set(name, 208045946 + ctx.labelIds.size + 1);
  const id = ctx.labelIds.get(name) ?? 0;
  return {
    ...t,
    id,
    node_id: Buffer.from(`05:Label${id}`).toString('base64'),
    url: `${repoUrl(ctx)}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: 'ededed',
    default: false,
  };
}

const FULL_ONLY = [
  'merged',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
  'commits',
  'additions',
  'deletions',
  'changed_files',
];

async function pullJson(ctx: Ctx, p: FakePull, simple: boolean): Promise<Json> {
  const { owner, repo, serverUrl, login } = ctx.o;
  const text = JSON.stringify(fixture('pull-request.json'))
    .split('https://api.github.com/repos/octocat/Hello-World')
    .join(repoUrl(ctx))
    .split('https://github.com/octocat/Hello-World')
    .join(`${serverUrl}/${owner}/${repo}`)
    .split('https://api.github.com')
    .join(ctx.url)
    .split('octocat/Hello-World')
    .join(`${owner}/${repo}`)
    .split('/pulls/1347')
    .join(`/pulls/${p.number}`)
    .split('/pull/1347')
    .join(`/pull/${p.number}`)
    .split('/issues/1347')
    .join(`/issues/${p.number}`);
  const t = JSON.parse(text) as Json;
  const headSha = (await revParse(ctx, `refs/heads/${p.head}`)) ?? ZERO;
  const baseSha = (await revParse(ctx, `refs/heads/${p.base}`)) ?? ZERO;
  const side = (which: 'head' | 'base', ref: string, sha: string) => {
    const s = t[which] as Json;
    const r = s['repo'] as Json;
    Object.assign(r, { name: repo, owner: userJson(owner), default_branch: 'main' });
    return { ...s, label: `${owner}:${ref}`, ref, sha, user: userJson(owner), repo: r };
  };
  const links = JSON.stringify(t['_links']).split('6dcb09b5b57875f334f61aebed695e2e4193db5e').join(headSha);
  Object.assign(t, {
    id: 1000 + p.number,
    node_id: p.nodeId,
    number: p.number,
    statuses_url: `${repoUrl(ctx)}/statuses/${headSha}`,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(login),
    body: p.body,
    labels: p.labels.map((l) => labelJson(ctx, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: p.reviewers.map(userJson),
    requested_teams: p.teams.map((slug) => ({ ...((t['requested_teams'] as Json[])[0] ?? {}), name: slug, slug })),
    head: side('head', p.head, headSha),
    base: side('base', p.base, baseSha),
    _links: JSON.parse(links) as Json,
    auto_merge:
      p.autoMerge === null
        ? null
        : {
            enabled_by: userJson(login),
            merge_method: p.autoMerge.toLowerCase(),
            commit_title: '',
            commit_message: '',
          },
    draft: p.draft,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
  });
  if (simple) for (const k of FULL_ONLY) delete t[k];
  return t;
}

// ---------------------------------------------------------------------------------------- git routes

type Handler = (ctx: Ctx, m: string[], body: Json, query: URLSearchParams) => Promise<HttpReply>;

const REF_DOC = 'https://docs.github.com/rest/git/refs';

const getRef: Handler = async (ctx, m) => {
  const ref = `refs/heads/${decodePath(m[1] ?? '')}`;
  const sha = await revParse(ctx, ref);
  if (sha === undefined) return new HttpReply(404, fixture('error-not-found.json'));
  return new HttpReply(200, refJson(ctx, ref, sha));
};

const getCommit: Handler = async (ctx, m) => {
  if ((await objectType(ctx, m[1])) !== 'commit')
    return fail(404, 'Not Found', 'https://docs.github.com/rest/git/commits#get-a-commit-object');
  return new HttpReply(200, await commitJson(ctx, m[1] ?? ''));
};

const getTree: Handler = async (ctx, m, _b, q) => {
  if ((await objectType(ctx, m[1])) !== 'tree')
    return fail(404, 'Not Found', 'https://docs.github.com/rest/git/trees#get-a-tree');
  return new HttpReply(200, await treeJson(ctx, m[1] ?? '', 'git-tree.json', q.has('recursive')));
};

const getBlob: Handler = async (ctx, m) => {
  const sha = m[1] ?? '';
  if ((await objectType(ctx, sha)) !== 'blob')
    return fail(404, 'Not Found', 'https://docs.github.com/rest/git/blobs#get-a-blob');
  const bytes = await run(ctx, ['cat-file', 'blob', sha]);
  const t = fixture('git-blob.json');
  // GitHub wraps the base64 at 60 characters
  const content = `${(bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
  Object.assign(t, {
    content,
    encoding: 'base64',
    url: `${repoUrl(ctx)}/git/blobs/${sha}`,
    sha,
    size: bytes.length,
    node_id: Buffer.from(`04:Blob${sha}`).toString('base64'),
  });
  return new HttpReply(200, t);
};

const postBlob: Handler = async (ctx, _m, body) => {
  if (typeof body['content'] !== 'string') return fail(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
  const bytes = body['encoding'] === 'base64' ? Buffer.from(body['content'], 'base64') : Buffer.from(body['content']);
  const sha = await hashBlob(ctx, bytes);
  return new HttpReply(201, { ...fixture<Json>('git-blob-create.json'), url: `${repoUrl(ctx)}/git/blobs/${sha}`, sha });
};

function badPath(path: unknown): boolean {
  return typeof path !== 'string' || path === '' || path.split('/').some((p) => ['', '.', '..', '.git'].includes(p));
}

const postTree: Handler = async (ctx, _m, body) => {
  const base = body['base_tree'];
  if (base !== undefined && (await objectType(ctx, base)) !== 'tree')
    return fail(422, 'base_tree is not a valid tree oid');
  const entries = Array.isArray(body['tree']) ? (body['tree'] as Json[]) : [];
  const edits: IndexEdit[] = [];
  for (const e of entries) {
    if (badPath(e['path'])) return fail(422, 'tree.path contains a malformed path component');
    const mode = String(e['mode'] ?? '');
    if (!['100644', '100755', '040000', '160000', '120000'].includes(mode))
      return fail(422, `tree.mode ${mode} is invalid`);
    if (typeof e['content'] === 'string' && e['sha'] !== undefined)
      return fail(422, 'tree.sha and tree.content are both given');
    const sha = typeof e['content'] === 'string' ? await hashBlob(ctx, e['content']) : (e['sha'] as string | null);
    edits.push({ path: e['path'] as string, mode, sha });
  }
  let tree: string;
  try {
    tree = await writeTree(ctx, base as string | undefined, edits);
  } catch {
    return fail(422, 'GitRPC::BadObjectState', 'https://docs.github.com/rest/git/trees#create-a-tree');
  }
  return new HttpReply(201, await treeJson(ctx, tree, 'git-tree-create.json'));
};

const postCommit: Handler = async (ctx, _m, body) => {
  const tree = body['tree'];
  const parents = Array.isArray(body['parents']) ? (body['parents'] as unknown[]) : [];
  if (typeof body['message'] !== 'string') return fail(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
  if ((await objectType(ctx, tree)) !== 'tree') return fail(422, 'Tree SHA does not exist');
  for (const p of parents)
    if ((await objectType(ctx, p)) !== 'commit')
      return fail(422, 'Parent SHA does not exist or is not a commit object');
  const given = body['author'] as Ident | undefined;
  const me = { name: ctx.o.login, email: `${ctx.o.login}@users.noreply.github.com` };
  const author = given ?? me;
  const committer =
    (body['committer'] as Ident | undefined) ?? (given ? given : { name: 'GitHub', email: 'noreply@github.com' });
  const sha = await commitTree(ctx, tree as string, parents as string[], body['message'], author, committer);
  if (given === undefined && body['committer'] === undefined) ctx.signed.add(sha);
  return new HttpReply(201, await commitJson(ctx, sha));
};

const postRef: Handler = (ctx, _m, body) =>
  withRefLock(ctx, async () => {
    const ref = body['ref'];
    if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref) || !(await succeeds(ctx, ['check-ref-format', ref]))) {
      return fail(422, 'Reference name is invalid', `${REF_DOC}#create-a-reference`);
    }
    if ((await objectType(ctx, body['sha'])) !== 'commit')
      return fail(422, 'Object does not exist', `${REF_DOC}#create-a-reference`);
    const sha = body['sha'] as string;
    if (!(await succeeds(ctx, ['update-ref', ref, sha, ZERO]))) {
      return new HttpReply(422, fixture('error-reference-exists.json'));
    }
    return new HttpReply(201, refJson(ctx, ref, sha));
  });

const patchRef: Handler = (ctx, m, body) =>
  withRefLock(ctx, async () => {
    const ref = `refs/heads/${decodePath(m[1] ?? '')}`;
    const current = await revParse(ctx, ref);
    if (current === undefined) return fail(422, 'Reference does not exist', `${REF_DOC}#update-a-reference`);
    if ((await objectType(ctx, body['sha'])) !== 'commit')
      return fail(422, 'Object does not exist', `${REF_DOC}#update-a-reference`);
    const sha = body['sha'] as string;
    const force = body['force'] === true;
    if (!force && !(await succeeds(ctx, ['merge-base', '--is-ancestor', current, sha]))) {
      return new HttpReply(422, fixture('error-not-fast-forward.json'));
    }
    if (!(await succeeds(ctx, ['update-ref', ref, sha, current]))) {
      return new HttpReply(422, fixture('error-not-fast-forward.json'));
    }
    return new HttpReply(200, refJson(ctx, ref, sha));
  });

function decodePath(p: string): string {
  return p.split('/').map(decodeURIComponent).join('/');
}

// --------------------------------------------------------------------------------------- pull routes

const PULL_DOC = 'https://docs.github.com/rest/pulls/pulls';

function findPull(ctx: Ctx, n: string | undefined): FakePull | undefined {
  return ctx.pulls.find((p) => p.number === Number(n));
}

const listPulls: Handler = async (ctx, _m, _b, q) => {
  const head = q.get('head');
  const state = q.get('state') ?? 'open';
  const base = q.get('base');
  const found = ctx.pulls.filter(
    (p) =>
      (state === 'all' || p.state === state) &&
      (head === null || `${ctx.o.owner}:${p.head}`.toLowerCase() === head.toLowerCase()) &&
      (base === null || p.base === base),
  );
  return new HttpReply(200, await Promise.all(found.map((p) => pullJson(ctx, p, true))));
};

const createPull: Handler = async (ctx, _m, body) => {
  const head = String(body['head'] ?? '').replace(new RegExp(`^${ctx.o.owner}:`, 'i'), '');
  const base = String(body['base'] ?? '');
  if (typeof body['title'] !== 'string' || body['title'] === '')
    return fail(422, 'Validation Failed', `${PULL_DOC}#create-a-pull-request`, {
      errors: [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }],
    });
  if (
    (await revParse(ctx, `refs/heads/${head}`)) === undefined ||
    (await revParse(ctx, `refs/heads/${base}`)) === undefined
  ) {
    return fail(422, 'Validation Failed', `${PULL_DOC}#create-a-pull-request`, {
      errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
    });
  }
  if (ctx.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
    const t = fixture('error-pull-request-exists.json');
    const errors = [
      { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${ctx.o.owner}:${head}.` },
    ];
    return new HttpReply(422, { ...t, errors });
  }
  const now = isoDate(Math.floor(Date.now() / 1000));
  const number = ctx.pulls.length + 1;
  const pr: FakePull = {
    number,
    nodeId: `PR_kwDO${randomBytes(8).toString('base64url')}`,
    title: body['title'],
    body: typeof body['body'] === 'string' ? body['body'] : '',
    head,
    base,
    state: 'open',
    draft: body['draft'] === true,
    labels: [],
    reviewers: [],
    teams: [],
    autoMerge: null,
    createdAt: now,
    updatedAt: now,
  };
  ctx.pulls.push(pr);
  return new HttpReply(201, await pullJson(ctx, pr, false));
};

const updatePull: Handler = async (ctx, m, body) => {
  const pr = findPull(ctx, m[1]);
  if (pr === undefined) return fail(404, 'Not Found', `${PULL_DOC}#update-a-pull-request`);
  if (typeof body['title'] === 'string') pr.title = body['title'];
  if (typeof body['body'] === 'string') pr.body = body['body'];
  if (typeof body['base'] === 'string') pr.base = body['base'];
  if (body['state'] === 'open' || body['state'] === 'closed') pr.state = body['state'];
  pr.updatedAt = isoDate(Math.floor(Date.now() / 1000));
  return new HttpReply(200, await pullJson(ctx, pr, false));
};

const requestReviewers: Handler = async (ctx, m, body) => {
  const pr = findPull(ctx, m[1]);
  if (pr === undefined) return fail(404, 'Not Found');
  for (const r of (body['reviewers'] as string[] | undefined) ?? [])
    if (!pr.reviewers.includes(r)) pr.reviewers.push(r);
  for (const t of (body['team_reviewers'] as string[] | undefined) ?? []) if (!pr.teams.includes(t)) pr.teams.push(t);
  return new HttpReply(201, await pullJson(ctx, pr, true));
};

const addLabels: Handler = async (ctx, m, body) => {
  const pr = findPull(ctx, m[1]);
  if (pr === undefined) return fail(404, 'Not Found');
  const labels = Array.isArray(body['labels']) ? (body['labels'] as unknown[]) : [];
  for (const l of labels) if (typeof l === 'string' && !pr.labels.includes(l)) pr.labels.push(l);
  return new HttpReply(
    200,
    pr.labels.map((l) => labelJson(ctx, l)),
  );
};

const graphql: Handler = async (ctx, _m, body) => {
  const query = String(body['query'] ?? '');
  const vars = (body['variables'] as Json | undefined) ?? {};
  if (!query.includes('enablePullRequestAutoMerge')) {
    return new HttpReply(200, { errors: [{ message: 'this fake knows only enablePullRequestAutoMerge' }] });
  }
  const pr = ctx.pulls.find((p) => p.nodeId === vars['pullRequestId']);
  if (pr === undefined) {
    const message = `Could not resolve to a node with the global id of '${String(vars['pullRequestId'])}'`;
    const errors = [
      { type: 'NOT_FOUND', path: ['enablePullRequestAutoMerge'], locations: [{ line: 2, column: 3 }], message },
    ];
    return new HttpReply(200, { data: { enablePullRequestAutoMerge: null }, errors });
  }
  pr.autoMerge = String(vars['mergeMethod'] ?? 'MERGE');
  const t = fixture<{ data: { enablePullRequestAutoMerge: { pullRequest: Json } } }>('graphql-enable-auto-merge.json');
  t.data.enablePullRequestAutoMerge.pullRequest = {
    number: pr.number,
    autoMergeRequest: { enabledAt: isoDate(Math.floor(Date.now() / 1000)), mergeMethod: pr.autoMerge },
  };
  return new HttpReply(200, t);
};

function routes(ctx: Ctx): [string, RegExp, Handler][] {
  const r = `^/repos/${ctx.o.owner}/${ctx.o.repo}`;
  return [
    ['GET', new RegExp(`${r}/git/ref/heads/(.+)$`, 'i'), getRef],
    ['GET', new RegExp(`${r}/git/commits/([^/]+)$`, 'i'), getCommit],
    ['GET', new RegExp(`${r}/git/trees/([^/]+)$`, 'i'), getTree],
    ['GET', new RegExp(`${r}/git/blobs/([^/]+)$`, 'i'), getBlob],
    ['POST', new RegExp(`${r}/git/blobs$`, 'i'), postBlob],
    ['POST', new RegExp(`${r}/git/trees$`, 'i'), postTree],
    ['POST', new RegExp(`${r}/git/commits$`, 'i'), postCommit],
    ['POST', new RegExp(`${r}/git/refs$`, 'i'), postRef],
    ['PATCH', new RegExp(`${r}/git/refs/heads/(.+)$`, 'i'), patchRef],
    ['GET', new RegExp(`${r}/pulls$`, 'i'), listPulls],
    ['POST', new RegExp(`${r}/pulls$`, 'i'), createPull],
    ['PATCH', new RegExp(`${r}/pulls/(\\d+)$`, 'i'), updatePull],
    ['POST', new RegExp(`${r}/pulls/(\\d+)/requested_reviewers$`, 'i'), requestReviewers],
    ['POST', new RegExp(`${r}/issues/(\\d+)/labels$`, 'i'), addLabels],
    ['POST', /^\/graphql$/, graphql],
  ];
}

// ------------------------------------------------------------------------------------------- server

function authOf(ctx: Ctx, header: string | undefined): RecordedRequest['auth'] {
  if (header === undefined || header === '') return 'missing';
  const m = /^(Bearer|token) (.+)$/i.exec(header);
  if (m === null || m[2] !== ctx.o.token) return 'wrong';
  return m[1]?.toLowerCase() === 'bearer' ? 'bearer' : 'token';
}

function rateHeaders(): Record<string, string> {
  return {
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
  };
}

function takeFault(ctx: Ctx, method: string, path: string): Fault | undefined {
  const f = ctx.faults.find(
    (x) =>
      x.left > 0 &&
      (x.method === undefined || x.method === method) &&
      (x.path === undefined || (typeof x.path === 'string' ? path.includes(x.path) : x.path.test(path))),
  );
  if (f !== undefined) f.left--;
  return f;
}

async function handle(ctx: Ctx, rec: RecordedRequest, auth: RecordedRequest['auth']): Promise<HttpReply> {
  const url = new URL(rec.path, ctx.url);
  const fault = takeFault(ctx, rec.method, url.pathname);
  await fault?.before?.();
  if (fault?.reply !== undefined) return new HttpReply(fault.reply.status, fault.reply.body ?? '', fault.reply.headers);
  if (auth === 'missing') return fail(401, 'Requires authentication');
  if (auth === 'wrong') return new HttpReply(401, fixture('error-bad-credentials.json'));
  for (const [method, re, h] of routes(ctx)) {
    const m = re.exec(url.pathname);
    if (m !== null && method === rec.method) {
      const body = rec.body !== null && typeof rec.body === 'object' ? (rec.body as Json) : {};
      return h(ctx, [...m], body, url.searchParams);
    }
  }
  return fail(404, 'Not Found');
}

function send(res: ServerResponse, reply: HttpReply): void {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    ...rateHeaders(),
    ...reply.headers,
  });
  res.end(body);
}

function onRequest(ctx: Ctx, requests: RecordedRequest[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? null : (JSON.parse(text) as unknown);
      } catch {
        // recorded as text
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (k !== 'authorization') headers[k] = String(v);
      const auth = authOf(ctx, req.headers.authorization);
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers, auth, body, status: 0 };
      requests.push(rec);
      handle(ctx, rec, auth)
        .catch((err: unknown) => fail(500, `fake GitHub: ${(err as Error).message}`))
        .then((reply) => {
          rec.status = reply.status;
          send(res, reply);
        });
    });
  };
}

export async function startFakeGithub(opts: FakeGithubOptions): Promise<FakeGithub> {
  const tmp = await mkdtemp(join(tmpdir(), 'pcd-fake-github-'));
  const gitDir = join(tmp, 'repo.git');
  const o: Required<FakeGithubOptions> = {
    owner: 'acme',
    repo: 'gitops',
    serverUrl: 'https://github.com',
    login: 'polyglot-cd-bot',
    ...opts,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: tmp,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_DIR: gitDir,
  };
  const ctx: Ctx = {
    o,
    url: '',
    gitDir,
    tmp,
    env,
    pulls: [],
    signed: new Set(),
    faults: [],
    lock: Promise.resolve(),
    labelIds: new Map(),
    memo: new Map(),
  };
  const { GIT_DIR: _dir, ...initEnv } = env;
  await new Promise<void>((resolve, reject) =>
    execFile('git', ['init', '--bare', '--quiet', gitDir], { env: initEnv }, (e) => (e ? reject(e) : resolve())),
  );
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(onRequest(ctx, requests));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ctx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fakeApi(ctx, requests, async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    await rm(tmp, { recursive: true, force: true });
  });
}

function fakeApi(ctx: Ctx, requests: RecordedRequest[], close: () => Promise<void>): FakeGithub {
  const who = { name: 'Someone Else', email: 'someone@example.com' };
  return {
    url: ctx.url,
    owner: ctx.o.owner,
    repo: ctx.o.repo,
    repository: `${ctx.o.owner}/${ctx.o.repo}`,
    serverUrl: ctx.o.serverUrl,
    login: ctx.o.login,
    gitDir: ctx.gitDir,
    requests,
    pulls: ctx.pulls,
    signedCommits: ctx.signed,
    inject: (f) => ctx.faults.push({ ...f, left: f.times ?? 1 }),
    git: (args, input) => git(ctx, args, input),
    seed: (branch, files) =>
      withRefLock(ctx, async () => {
        const tree = await writeTree(ctx, undefined, await fileEdits(ctx, files));
        const sha = await commitTree(ctx, tree, [], 'seed', who, who);
        await run(ctx, ['update-ref', `refs/heads/${branch}`, sha]);
        return sha;
      }),
    commitFiles: (branch, files, message = 'another writer') =>
      withRefLock(ctx, async () => {
        const head = await revParse(ctx, `refs/heads/${branch}`);
        const tree = await writeTree(ctx, head && `${head}^{tree}`, await fileEdits(ctx, files));
        const sha = await commitTree(ctx, tree, head ? [head] : [], message, who, who);
        await run(ctx, ['update-ref', `refs/heads/${branch}`, sha, head ?? ZERO]);
        return sha;
      }),
    head: (branch) => revParse(ctx, `refs/heads/${branch}`),
    readFile: async (ref, path) => {
      const out = await run(ctx, ['cat-file', 'blob', `${ref}:${path}`]).catch(() => undefined);
      return out?.toString('utf8');
    },
    listFiles: async (ref) => (await lsTree(ctx, ref, true)).filter((e) => e.type !== 'tree').map((e) => e.path),
    close,
  };
}
