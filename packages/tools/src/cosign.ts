/**
 * Cosign (sigstore/cosign 3.x): static argv builders, parsers of its output and a classifier for its
 * failures. Pure apart from `version()`.
 *
 * Flag semantics relied on (cosign 3.x, cmd/cosign/cli/options/sign.go, verify.go, registry.go):
 * - `--yes` skips the interactive terms-of-use prompt a job cannot answer;
 * - the service URLs come from the TUF signing config by default (`--use-signing-config=true`);
 *   explicit `--fulcio-url`/`--rekor-url` and `--tlog-upload=false` are only honoured together with
 *   `--use-signing-config=false` (cosign 3 refuses `--tlog-upload=false` otherwise);
 * - `--registry-cacert`, `--allow-insecure-registry`, `--allow-http-registry` reach the registry;
 * - `--` ends the flags, so a reference can never be read as one.
 * Nothing here puts a secret on argv: key passwords go in COSIGN_PASSWORD, the identity token in
 * SIGSTORE_ID_TOKEN and registry credentials in a DOCKER_CONFIG file (see the cosign-sign action).
 */
import type { CommandRunner } from './command-runner.js';
import { sameMajorAtLeast } from './version-range.js';

export { GITHUB_OIDC_ISSUER, PUBLIC_FULCIO_URL, PUBLIC_REKOR_URL, shellQuote } from './sigstore.js';

export interface CosignRegistryFlags {
  /** PEM CA bundle for the registry's TLS */
  caFile?: string;
  /** the registry is listed as insecure: allow plain http and unverified TLS */
  insecure?: boolean;
}

export interface CosignSignOptions {
  /** `repo@sha256:<64 hex>` */
  ref: string;
  /** key reference (file, env://, k8s://, KMS URI); absent = keyless */
  key?: string;
  annotations?: ReadonlyArray<readonly [string, string]>;
  /** explicit Fulcio URL (on-prem); undefined = from the signing config */
  fulcioUrl?: string;
  /** explicit Rekor URL (on-prem); undefined = from the signing config */
  rekorUrl?: string;
  tlogUpload?: boolean;
  trustedRoot?: string;
  registry?: CosignRegistryFlags;
}

export interface CosignVerifyOptions {
  ref: string;
  /** key mode: the public key reference (file, env://, k8s://, KMS URI) */
  publicKey?: string;
  /** keyless: exact SAN the certificate must carry */
  certificateIdentity?: string;
  certificateOidcIssuer?: string;
  /** keyless: the repository the workflow ran for (Fulcio OID 1.3.6.1.4.1.57264.1.5) */
  githubWorkflowRepository?: string;
  rekorUrl?: string;
  tlogUpload?: boolean;
  trustedRoot?: string;
  registry?: CosignRegistryFlags;
}

export interface VerifiedSignature {
  dockerReference: string;
  digest: string;
  type: string;
  optional: Record<string, unknown>;
}

export type FailureKind = 'transient' | 'already-exists' | 'permanent';

export interface FailureClass {
  kind: FailureKind;
  /** the line of stderr the decision was made on (for the log) */
  reason: string;
}

/** Rekor 409: an equivalent entry is already in the log (sigstore/cosign#4851, mongodb-atlas-kubernetes#2843). */
const ALREADY_EXISTS = [/createLogEntryConflict/i, /equivalent entry already exists in the transparency log/i];

/** Faults worth retrying: 5xx and 429 from Fulcio/Rekor/TUF/registry, timeouts, resets (SECURITY.md T30). */
const TRANSIENT = [
  /\b(?:status|returned|code)[: ]+5\d\d\b/i,
  /\b5\d\d (?:Bad Gateway|Service Unavailable|Gateway Time-?out|Internal Server Error)\b/i,
  /\[5\d\d\]/,
  /\b429\b|TOOMANYREQUESTS|Too Many Requests/i,
  /giving up after \d+ attempt/i,
  /context deadline exceeded/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /connection reset by peer/i,
  /connection refused/i,
  /unexpected EOF|: EOF\s*$/im,
  /network timeout|Client\.Timeout exceeded/i,
  /server misbehaving/i,
];

/** A TUF mirror answering 403 during an outage (SECURITY.md T30, projectbluefin/bluefin#60) is transient. */
const TUF_OUTAGE = [/\btuf\b.*(?:\b403\b|forbidden)|(?:\b403\b|forbidden).*\btuf\b/i];

/** Failures that retrying cannot fix, even when a transient-looking phrase appears alongside. */
const PERMANENT = [
  /no such host/i,
  /\b(?:401|403)\b|UNAUTHORIZED|DENIED|forbidden/i,
  /none of the expected identities matched/i,
  /no matching signatures/i,
  // cosign 3.1: a bundle signed by another key / for another digest, and an image never signed
  /no matching attestations/i,
  /no signatures found/i,
  /decrypt|incorrect password|invalid key/i,
  /MANIFEST_UNKNOWN|manifest unknown/i,
];

function firstMatch(text: string, patterns: readonly RegExp[]): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (patterns.some((p) => p.test(line))) return line.trim();
  }
  return undefined;
}

function registryFlags(r: CosignRegistryFlags | undefined): string[] {
  const out: string[] = [];
  if (r?.caFile) out.push('--registry-cacert', r.caFile);
  if (r?.insecure) out.push('--allow-insecure-registry', '--allow-http-registry');
  return out;
}

function assertPositional(name: string, value: string): void {
  if (value === '' || value.startsWith('-'))
    throw new Error(`cosign: ${name} ${JSON.stringify(value)} must not be empty or start with "-"`);
}

export class Cosign {
  readonly path: string;
  readonly #runner: CommandRunner;
  constructor(path: string, runner: CommandRunner) {
    this.path = path;
    this.#runner = runner;
  }

  static signArgs(o: CosignSignOptions): string[] {
    assertPositional('reference', o.ref);
    const args = ['sign', '--yes'];
    if (o.key !== undefined) {
      assertPositional('key', o.key);
      args.push('--key', o.key);
    }
    const tlog = o.tlogUpload ?? true;
    if (o.fulcioUrl !== undefined || o.rekorUrl !== undefined || !tlog) args.push('--use-signing-config=false');
    if (o.fulcioUrl !== undefined && o.key === undefined) args.push('--fulcio-url', o.fulcioUrl);
    if (o.rekorUrl !== undefined && tlog) args.push('--rekor-url', o.rekorUrl);
    if (!tlog) args.push('--tlog-upload=false');
    if (o.trustedRoot) args.push('--trusted-root', o.trustedRoot);
    for (const [k, v] of o.annotations ?? []) args.push('-a', `${k}=${v}`);
    args.push(...registryFlags(o.registry));
    args.push('--', o.ref);
    return args;
  }

  static verifyArgs(o: CosignVerifyOptions): string[] {
    assertPositional('reference', o.ref);
    const args = ['verify'];
    if (o.publicKey !== undefined) {
      assertPositional('public key', o.publicKey);
      args.push('--key', o.publicKey);
    } else {
      if (!o.certificateIdentity || !o.certificateOidcIssuer) {
        throw new Error('cosign verify: keyless verification needs an exact certificate identity and OIDC issuer');
      }
      args.push('--certificate-identity', o.certificateIdentity, '--certificate-oidc-issuer', o.certificateOidcIssuer);
      if (o.githubWorkflowRepository) args.push('--certificate-github-workflow-repository', o.githubWorkflowRepository);
    }
    const tlog = o.tlogUpload ?? true;
    if (o.rekorUrl !== undefined && tlog) args.push('--rekor-url', o.rekorUrl);
    if (!tlog) args.push('--insecure-ignore-tlog=true');
    if (o.trustedRoot) args.push('--trusted-root', o.trustedRoot);
    args.push(...registryFlags(o.registry));
    args.push('--', o.ref);
    return args;
  }

  /**
   * `cosign verify` prints one JSON array of verified signature payloads on stdout (simple-signing
   * "critical" + "optional"); the human-readable check list goes to stderr. Every entry must name
   * `digest`, or the signature is for something else.
   */
  static parseVerifyOutput(stdout: string, digest: string): VerifiedSignature[] {
    const start = stdout.indexOf('[');
    if (start < 0) throw new Error('cosign verify printed no JSON array of verified signatures');
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout.slice(start));
    } catch (err) {
      throw new Error(`cosign verify printed JSON that does not parse: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0) throw new Error('cosign verify reported no verified signatures');
    return parsed.map((entry, i) => {
      const e = entry as {
        critical?: {
          identity?: { 'docker-reference'?: string };
          image?: { 'docker-manifest-digest'?: string };
          type?: string;
        };
        optional?: Record<string, unknown> | null;
      };
      const got = e.critical?.image?.['docker-manifest-digest'] ?? '';
      if (got !== digest)
        throw new Error(`cosign verify: signature ${i + 1} is for ${got || 'no digest'}, not ${digest}`);
      return {
        dockerReference: e.critical?.identity?.['docker-reference'] ?? '',
        digest: got,
        type: e.critical?.type ?? '',
        optional: e.optional ?? {},
      };
    });
  }

  /**
   * Where cosign says it stored the signature: `Uploading signature for [img] to [loc]` (OCI 1.1
   * referrer, sigstore/cosign#5033) or `Pushing signature to: <repo>` (every 2.x/3.x keyless sign,
   * dependabot/dependabot-core#9571). Undefined when it said neither.
   */
  static parseSignatureLocation(output: string): string | undefined {
    const upload = /Uploading signature for \[[^\]]+\] to \[([^\]]+)\]/.exec(output);
    if (upload?.[1]) return upload[1];
    const push = /^Pushing signature to: (\S+)/m.exec(output);
    return push?.[1];
  }

  /** `tlog entry created with index: N` */
  static parseTlogIndex(output: string): string | undefined {
    return /tlog entry created with index:\s*(\d+)/.exec(output)?.[1];
  }

  /** Decides what a failed cosign run means, from its stderr (and whether our own timeout fired). */
  static classifyFailure(stderr: string, opts: { timedOut?: boolean } = {}): FailureClass {
    const exists = firstMatch(stderr, ALREADY_EXISTS);
    if (exists) return { kind: 'already-exists', reason: exists };
    if (opts.timedOut) return { kind: 'transient', reason: 'cosign did not finish within the attempt timeout' };
    const tuf = firstMatch(stderr, TUF_OUTAGE);
    if (tuf) return { kind: 'transient', reason: tuf };
    const permanent = firstMatch(stderr, PERMANENT);
    if (permanent) return { kind: 'permanent', reason: permanent };
    const transient = firstMatch(stderr, TRANSIENT);
    if (transient) return { kind: 'transient', reason: transient };
    const last = stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? 'no error output';
    return { kind: 'permanent', reason: last.trim() };
  }

  /** `cosign version --json` → `3.1.3` (its gitVersion, without the v). */
  static parseVersion(output: string): string {
    const start = output.indexOf('{');
    if (start >= 0) {
      try {
        const v = (JSON.parse(output.slice(start)) as { gitVersion?: string }).gitVersion;
        if (v) return v.replace(/^v/, '');
      } catch {
        // fall through to the text form
      }
    }
    const m = /GitVersion:\s*v?(\S+)/.exec(output);
    if (m?.[1]) return m[1];
    throw new Error(`cannot read a cosign version from: ${output.trim().slice(0, 200)}`);
  }

  /** `major` matches and the version is at least `min` (x.y.z, pre-release suffix ignored). */
  static versionSatisfies(version: string, min: string): boolean {
    return sameMajorAtLeast(version, min);
  }

  async version(): Promise<string> {
    const r = await this.#runner.run(this.path, ['version', '--json'], { tool: 'cosign', timeoutMs: 30_000 });
    return Cosign.parseVersion(r.stdout + r.stderr);
  }
}
