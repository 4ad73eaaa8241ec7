import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError, isDigestRef, parseHttpUrl, REPOSITORY_RE, type ActionContext } from '@polyglot-cd/action-kit';
import { manifest } from '@polyglot-cd/tools/manifest';
import { parseKeyRef, type KeyRef } from './keyref.js';
import { REQUEST_TOKEN_ENV, REQUEST_URL_ENV } from './oidc.js';
import { GITHUB_OIDC_ISSUER, PUBLIC_FULCIO_URL, PUBLIC_REKOR_URL } from '@polyglot-cd/tools/sigstore';
import type { TlogSetting } from './tlog.js';

export const MODES = ['keyless', 'key'] as const;
export type Mode = (typeof MODES)[number];

export interface SignInputs {
  /** `repo@sha256:<64 hex>` */
  image: string;
  /** the part before `@` */
  repository: string;
  /** `sha256:<64 hex>` */
  digest: string;
  /** registry host[:port] of the image */
  registryHost: string;
  mode: Mode;
  key?: KeyRef;
  /** key mode: what verify checks against */
  publicKey?: KeyRef;
  keyPassword: string;
  annotations: ReadonlyArray<readonly [string, string]>;
  /** undefined = the public instance, through cosign's TUF signing config */
  fulcioUrl?: string;
  rekorUrl?: string;
  oidcIssuer: string;
  trustedRoot?: string;
  tlogUpload: TlogSetting;
  verify: boolean;
  timeoutMs: number;
  insecureRegistries: readonly string[];
  caFile?: string;
  username: string;
  password: string;
  cosignVersion: string;
  toolsBaseUrl?: string;
}

const HOST_PORT =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;
const ANNOTATION_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,252}$/;

/** Why an image reference is not `repo@sha256:<64 hex>`, in words a user can act on. */
export function imageProblem(ref: string): string | undefined {
  if (isDigestRef(ref)) return undefined;
  if (ref.startsWith('-')) return 'it starts with "-" and would be read as a cosign flag';
  const at = ref.indexOf('@');
  const lastSlash = ref.lastIndexOf('/');
  if (at < 0) {
    const colon = ref.lastIndexOf(':');
    const tag = colon > lastSlash ? ref.slice(colon + 1) : '';
    return `it has no digest${tag ? ` (":${tag}" is a tag)` : ''}. A tag is refused: signing a tag signs whatever it points to at that moment, which can change between the push, the scan and the signature. Pass the digest the registry returned, e.g. the digest output of build-push`;
  }
  const digest = ref.slice(at + 1);
  if (!digest.startsWith('sha256:')) return `the digest "${digest}" is not sha256:<64 hex>`;
  const hex = digest.slice('sha256:'.length);
  if (!/^[a-f0-9]+$/.test(hex)) return 'the digest must be 64 lower-case hex characters after sha256:';
  if (hex.length !== 64)
    return `the digest has ${hex.length} hex characters after sha256:, not 64 (a short digest is not accepted)`;
  return 'the repository part is not a valid OCI repository name (lower-case, optional registry host[:port])';
}

function registryHostOf(repository: string): string {
  const first = repository.split('/')[0] ?? '';
  const isHost = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'docker.io';
}

type Raw = ActionContext['inputs'];

/** `repo@sha256:<64 hex>`, split. */
function readImage(inputs: Raw): Pick<SignInputs, 'image' | 'repository' | 'digest'> {
  const image = inputs.required('image', {
    hint: 'Pass the image by digest, e.g. image: ${{ steps.build.outputs.image }} (repo@sha256:<64 hex>).',
  });
  const problem = imageProblem(image);
  if (problem) inputs.fail('image', image, `expected repo@sha256:<64 hex>; ${problem}`);
  const at = image.indexOf('@');
  const repository = image.slice(0, at);
  if (!REPOSITORY_RE.test(repository))
    inputs.fail('image', image, 'the repository part is not a valid OCI repository name');
  return { image, repository, digest: image.slice(at + 1) };
}

/** A key reference that exists: a file in the workspace, or a set environment variable (a secret). */
function checkKey(ctx: ActionContext, workspace: string, name: 'key' | 'public-key', raw: string): KeyRef {
  const { inputs, env } = ctx;
  const parsed = parseKeyRef(raw);
  if (!parsed.ok) return inputs.fail(name, raw, parsed.reason);
  const key = parsed.key;
  if (key.kind === 'file') {
    const path = isAbsolute(key.ref) ? key.ref : resolve(workspace, key.ref);
    if (!existsSync(path) || !statSync(path).isFile()) inputs.fail(name, raw, `no such file (looked for ${path})`);
    return { ...key, ref: path };
  }
  if (key.kind === 'env') {
    const value = env[key.envVar ?? ''] ?? '';
    if (value === '')
      inputs.fail(
        name,
        raw,
        `the environment variable ${key.envVar} is not set; set it on the step (env: ${key.envVar}: \${{ secrets.… }})`,
      );
    if (name === 'key') ctx.secrets.add(value);
  }
  return key;
}

/** The mode and its keys: mode: key needs a key (and a public key to verify); keyless needs the OIDC env. */
function readKeys(
  ctx: ActionContext,
  workspace: string,
): Pick<SignInputs, 'mode' | 'key' | 'publicKey' | 'keyPassword' | 'verify'> {
  const { inputs, env } = ctx;
  const mode = inputs.oneOf('mode', MODES, 'keyless');
  const rawKey = inputs.optional('key');
  const keyPassword = inputs.optional('key-password', '', { secret: true });
  const rawPublicKey = inputs.optional('public-key');
  const verify = inputs.bool('verify', true);
  if (mode === 'key') {
    if (rawKey === '') {
      inputs.required('key', {
        hint: 'mode: key needs a cosign key reference: a file, env://VAR, k8s://ns/secret or a KMS URI (awskms://, gcpkms://, azurekms://, hashivault://).',
      });
    }
    const key = checkKey(ctx, workspace, 'key', rawKey);
    let publicKey: KeyRef | undefined;
    if (rawPublicKey !== '') publicKey = checkKey(ctx, workspace, 'public-key', rawPublicKey);
    else if (key.kind === 'kms' || key.kind === 'k8s') publicKey = key;
    else if (verify) {
      inputs.required('public-key', {
        hint: `verify needs the public key of ${key.kind === 'env' ? 'the env:// key' : 'the key file'} (a path or env://VAR), or set verify: false.`,
      });
    }
    return { mode, key, ...(publicKey ? { publicKey } : {}), keyPassword, verify };
  }
  for (const [name, value] of [
    ['key', rawKey],
    ['key-password', keyPassword],
    ['public-key', rawPublicKey],
  ] as const) {
    if (value !== '')
      inputs.fail(name, value, 'only used with mode: key (mode is keyless)', { secret: name === 'key-password' });
  }
  if (!env[REQUEST_URL_ENV] || !env[REQUEST_TOKEN_ENV]) {
    throw new InputError(
      `mode: keyless signs with the job's GitHub OIDC token, but ${REQUEST_URL_ENV} / ${REQUEST_TOKEN_ENV} are not set. Add "permissions: id-token: write" to the signing job (only that job), or use mode: key. Pull requests from forks never get an OIDC token.`,
      'mode',
    );
  }
  return { mode, keyPassword, verify };
}

/** The Sigstore services: Fulcio, Rekor, the OIDC issuer, a trusted root; and the transparency-log setting. */
function readSigstore(
  inputs: Raw,
  workspace: string,
): Pick<SignInputs, 'fulcioUrl' | 'rekorUrl' | 'oidcIssuer' | 'trustedRoot' | 'tlogUpload'> {
  const url = (name: 'fulcio-url' | 'rekor-url' | 'oidc-issuer', raw: string): string => {
    const u = parseHttpUrl(raw);
    const local = u ? ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) : false;
    if (!u || (u.protocol !== 'https:' && !local) || u.username || u.password || u.search || u.hash) {
      inputs.fail(name, raw, 'expected an https:// URL without credentials, query or fragment');
    }
    return raw.replace(/\/+$/, '');
  };
  const fulcio = url('fulcio-url', inputs.optional('fulcio-url', PUBLIC_FULCIO_URL));
  const rekor = url('rekor-url', inputs.optional('rekor-url', PUBLIC_REKOR_URL));
  const oidcIssuer = url('oidc-issuer', inputs.optional('oidc-issuer', GITHUB_OIDC_ISSUER));
  const trustedRoot = inputs.optional('trusted-root');
  if (trustedRoot) {
    const path = resolve(workspace, trustedRoot);
    if (!existsSync(path)) inputs.fail('trusted-root', trustedRoot, `no such file (looked for ${path})`);
  }
  const tlogUpload = inputs.oneOf('tlog-upload', ['auto', 'true', 'false'] as const, 'auto');
  return {
    ...(fulcio !== PUBLIC_FULCIO_URL ? { fulcioUrl: fulcio } : {}),
    ...(rekor !== PUBLIC_REKOR_URL ? { rekorUrl: rekor } : {}),
    oidcIssuer,
    ...(trustedRoot ? { trustedRoot: resolve(workspace, trustedRoot) } : {}),
    tlogUpload,
  };
}

/** How the registry is reached: insecure hosts, a private CA, credentials (the password masked at read). */
function readRegistry(
  inputs: Raw,
  workspace: string,
): Pick<SignInputs, 'insecureRegistries' | 'caFile' | 'username' | 'password'> {
  const insecureRegistries = inputs.list('insecure-registries');
  for (const h of insecureRegistries) {
    if (!HOST_PORT.test(h))
      inputs.fail('insecure-registries', h, 'expected registry hosts as host or host:port, one per line');
  }
  const caFile = inputs.optional('ca-file');
  if (caFile) {
    const path = resolve(workspace, caFile);
    if (!existsSync(path) || !statSync(path).isFile())
      inputs.fail('ca-file', caFile, `no such file (looked for ${path})`);
  }
  const username = inputs.optional('username');
  const password = inputs.optional('password', '', { secret: true });
  if ((username === '') !== (password === '')) {
    inputs.fail(
      username === '' ? 'username' : 'password',
      username === '' ? '' : username,
      'username and password go together: set both or neither',
      { secret: username !== '' },
    );
  }
  if (/[:\s]/.test(username))
    inputs.fail('username', username, 'a registry user name may not contain ":" or white space');
  return {
    insecureRegistries: Object.freeze(insecureRegistries.map((h) => h.toLowerCase())),
    ...(caFile ? { caFile: resolve(workspace, caFile) } : {}),
    username,
    password,
  };
}

/** The pinned cosign version and an optional mirror of its release files. */
function readCosign(inputs: Raw): Pick<SignInputs, 'cosignVersion' | 'toolsBaseUrl'> {
  const defaultVersion = manifest.tools['cosign']?.defaultVersion ?? '3.1.3';
  const cosignVersion = inputs.matching(
    'cosign-version',
    /^v?\d+\.\d+\.\d+$/,
    'expected an exact version such as 3.1.3 (never "latest")',
    { default: defaultVersion },
  );
  const toolsBaseUrl = inputs.optional('tools-base-url');
  if (toolsBaseUrl && !parseHttpUrl(toolsBaseUrl))
    inputs.fail('tools-base-url', toolsBaseUrl, 'expected an http(s):// URL of a mirror of the cosign release files');
  return { cosignVersion: cosignVersion.replace(/^v/, ''), ...(toolsBaseUrl ? { toolsBaseUrl } : {}) };
}

/** Reads and validates every input before anything runs. Secrets are masked at read. */
export function getInputs(ctx: ActionContext): Readonly<SignInputs> {
  const { inputs, env } = ctx;
  const image = readImage(inputs);
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const keys = readKeys(ctx, workspace);
  const sigstore = readSigstore(inputs, workspace);
  const annotations = inputs.keyValues('annotations', {
    keyPattern: ANNOTATION_KEY,
    keyAllowed: 'letters, digits and . _ / - (starting with a letter or digit)',
  });
  const registry = readRegistry(inputs, workspace);
  const cosign = readCosign(inputs);
  const timeoutMs = inputs.duration('timeout', { default: '10m', min: '30s', max: '1h' });
  return Object.freeze({
    ...image,
    registryHost: registryHostOf(image.repository),
    ...keys,
    annotations: Object.freeze([...annotations]),
    ...sigstore,
    timeoutMs,
    ...registry,
    ...cosign,
  });
}
