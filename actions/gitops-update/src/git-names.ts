/**
 * The names the plain-git transport hands to git, checked before anything runs: the repository URL
 * (https only, no credentials in it), branch names (`git check-ref-format --branch` rules) and file
 * paths in the GitOps repository (relative, `/`-separated, never leaving the repository). Pure.
 */
import { InputError } from '@polyglot-cd/action-kit';

/** The inputs an error names (the action decides what its inputs are called). */
export interface GitInputNames {
  url: string;
  token: string;
  caFile: string;
}

/** true when `s` has a C0 control character (newline included) or DEL */
export function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export const DEFAULT_INPUT_NAMES: GitInputNames = { url: 'git-url', token: 'token', caFile: 'ca-file' };

/** A repository URL, parsed: `href` is what git is given, `origin` what the auth header is scoped to. */
export interface RepoUrl {
  href: string;
  /** `https://host[:port]/` */
  origin: string;
  host: string;
}

/**
 * Accepts `https://host[:port]/path` only: no other scheme (git's `ext::`, `file://`, ssh, plain http
 * that would send the token in clear), no user or password (the token goes in a header, never in the
 * URL, where git would print it), no query or fragment, no control characters or whitespace.
 */
export function parseRepoUrl(text: string, input: string): RepoUrl {
  // the text itself is not quoted: a URL with credentials in it must not be echoed
  const refuse = (why: string): never => {
    throw new InputError(`Input "${input}": ${why}`, input);
  };
  if (hasControlChar(text) || /[\s\\]/.test(text))
    refuse('the repository URL contains whitespace, a control character or `\\`');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return refuse('the repository URL is not a valid URL (expected https://host/owner/repo.git)');
  }
  if (u.protocol !== 'https:') refuse(`only https:// repository URLs are accepted (got ${u.protocol}//…)`);
  if (u.username !== '' || u.password !== '' || /^https:\/\/[^/]*@/i.test(text)) {
    refuse('the repository URL must not contain a user name or password; the token is passed separately');
  }
  if (u.search !== '' || u.hash !== '' || text.includes('?') || text.includes('#')) {
    refuse('the repository URL must not have a query (?) or fragment (#)');
  }
  if (u.pathname === '/' || u.pathname === '') refuse('the repository URL has no repository path');
  return { href: u.href, origin: `${u.origin}/`, host: u.host };
}

/** Why `name` is no valid branch name (`git check-ref-format --branch` rules), or undefined when it is. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name === '@' || name === 'HEAD') return `"${name}" is reserved`;
  if (name.length > 255) return 'it is longer than 255 characters';
  if (hasControlChar(name) || /[ ~^:?*[\\]/.test(name))
    return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'it has an empty path component';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'a path component starts with "."';
    if (part.endsWith('.lock')) return 'a path component ends with ".lock"';
  }
  return undefined;
}

/** Throws an InputError unless `name` is a valid branch name; `what` says which one (`branch`, `from`). */
export function checkBranchName(name: string, what: string): string {
  const problem = branchNameProblem(name);
  if (problem) throw new InputError(`${what} ${JSON.stringify(name)} is not a valid git branch name: ${problem}`);
  return name;
}

/** Why `path` is no acceptable file path in the repository, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty';
  if (path.startsWith('/')) return 'it is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  if (path.includes('\\')) return 'it contains a backslash';
  if (hasControlChar(path)) return 'it contains a control character';
  for (const part of path.split('/')) {
    if (part === '') return 'it has an empty path component (// or a trailing /)';
    if (part === '.' || part === '..') return `it contains a "${part}" component`;
    if (part.toLowerCase() === '.git') return 'it names a .git directory';
  }
  return undefined;
}

/** Throws an InputError naming the path unless it is acceptable (see pathProblem). */
export function checkRepoPath(path: string): string {
  const problem = pathProblem(path);
  if (problem) throw new InputError(`file ${JSON.stringify(path)} in the GitOps repository is refused: ${problem}`);
  return path;
}

/** Who a commit is written as: refused when git would mangle or reject it. */
export function checkIdent(author: { name: string; email: string }): void {
  for (const [what, v] of [
    ['name', author.name],
    ['email', author.email],
  ] as const) {
    if (v.trim() === '' || hasControlChar(v) || /[<>]/.test(v)) {
      throw new InputError(
        `the commit author's ${what} ${JSON.stringify(v)} is empty or contains < > or a control character`,
      );
    }
  }
}

export interface RepositoryName {
  owner: string;
  name: string;
  /** `/repos/{owner}/{name}`, encoded */
  path: string;
}

/** `owner/name` as GitHub allows it, or an InputError naming the input. */
export function parseRepository(text: string, input = 'repository'): RepositoryName {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(text.trim());
  if (!m || m[2] === '.' || m[2] === '..') {
    throw new InputError(`Input "${input}": ${JSON.stringify(text)} is not a repository (expected owner/name)`, input);
  }
  const [owner, name] = [m[1] as string, m[2] as string];
  return { owner, name, path: `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}` };
}
