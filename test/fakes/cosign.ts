// A stand-in for cosign 3 where a case needs Sigstore's public instance (Fulcio, Rekor, TUF: outages,
// rate limits, conflicts), which cannot be reached from here; put in place through
// POLYGLOT_CD_COSIGN_BIN by a wrapper script that test/fakes/fake-cosign.ts writes. The real cosign
// 3.1.3 (scripts/setup/cosign.sh) covers the happy path: key-mode sign and verify through the action in
// test/integration/cosign-sign/real-cosign.registry.test.ts, keyless signing against a local Fulcio in
// test/sigstore/keyless.registry.test.ts.
//
// - Records every call (argv and the full environment) as a JSON line in $FAKE_COSIGN_LOG, so tests
//   can prove what was (and was not) on the command line and in the environment.
// - Replays real cosign output (test/fakes/cosign-recorded.json: each entry names its public source,
//   e.g. sigstore/cosign#2507 for a Fulcio 504, sigstore/rekor#2915 for a Rekor 502,
//   mongodb/mongodb-atlas-kubernetes#2843 for Rekor's 409 "equivalent entry already exists").
// - Is scripted by $FAKE_COSIGN_SCRIPT (JSON): { "sign": ["fulcio504", "rekor502", "ok"], "verify": ["ok"],
//   "version": "3.1.3" }: the n-th call of a command plays the n-th step (the last one repeats). A step
//   is "ok", "hang" (never answers) or the name of a recorded failure.
// - Checks its argv like cosign's flag parser would: unknown flags are refused with cobra's message,
//   `sign` needs --yes (a job cannot answer the prompt) and every call ends with `-- <ref>`.
// - Remembers what it "signed" and with which identity (the job_workflow_ref claim of the token in
//   SIGSTORE_ID_TOKEN, as Fulcio would certify it), so `verify` fails with cosign's real "none of the
//   expected identities matched" error when asked for another identity, and with "no matching
//   signatures" for a digest it never signed.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCosignScript } from './fake-cosign.ts';

/** A recorded successful run: what cosign printed. */
interface RecordedOutput {
  source: string;
  stdout: string;
  stderr: string;
}

/** A recorded failure: what cosign printed on stderr and its exit code (1 when not given). */
interface RecordedFailure {
  source: string;
  stderr: string;
  exit?: number;
}

/** cosign-recorded.json: the outputs the fake needs by name, and the failures a script step names. */
interface Recorded {
  _about: string;
  version: { source: string; stdout: string };
  signKeylessOk: RecordedOutput;
  signKeyOk: RecordedOutput;
  verifyKeylessOk: RecordedOutput;
  verifyKeyOk: RecordedOutput;
  verifyIdentityMismatch: RecordedFailure;
  verifyNoSignatures: RecordedFailure;
}

type Command = 'sign' | 'verify';

/** What the fake "signed", by digest: the key, or the identity Fulcio would have certified. */
interface Signed {
  key?: string | true | undefined;
  identity?: string;
  issuer?: string | undefined;
  repository?: string | undefined;
  sha?: string | undefined;
}

/** Kept beside the scenario file between calls. */
interface State {
  calls: Partial<Record<Command, number>>;
  signed: Record<string, Signed>;
}

/** The claims of SIGSTORE_ID_TOKEN that the fake reads (GitHub Actions OIDC). */
interface Claims {
  job_workflow_ref?: string;
  iss?: string;
  repository?: string;
  sha?: string;
}

/** A flag -> every value it was given (`true` for a boolean flag). */
type Flags = Record<string, (string | true | undefined)[]>;

const recorded = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'cosign-recorded.json'), 'utf8'),
) as Recorded & Partial<Record<string, RecordedFailure>>;
const argv = process.argv.slice(2);
const env = process.env;
if (env.FAKE_COSIGN_LOG) appendFileSync(env.FAKE_COSIGN_LOG, JSON.stringify({ argv, env }) + '\n');

const script: FakeCosignScript = env.FAKE_COSIGN_SCRIPT
  ? (JSON.parse(readFileSync(env.FAKE_COSIGN_SCRIPT, 'utf8')) as FakeCosignScript)
  : {};
const stateFile = env.FAKE_COSIGN_SCRIPT ? `${env.FAKE_COSIGN_SCRIPT}.state` : undefined;
const state: State =
  stateFile && existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State)
    : { calls: {}, signed: {} };

function save(): void {
  if (stateFile) writeFileSync(stateFile, JSON.stringify(state));
}

function fill(text: string, vars: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\{\{([A-Z]+)\}\}/g, (_, k: string) => vars[k] ?? `{{${k}}}`);
}

function fail(text: string, code = 1): never {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  process.exit(code);
}

const SIGN_VALUE_FLAGS: readonly string[] = [
  '--key',
  '--fulcio-url',
  '--rekor-url',
  '--trusted-root',
  '-a',
  '--annotations',
  '--registry-cacert',
  '--timeout',
];
const SIGN_BOOL_FLAGS: readonly string[] = [
  '--yes',
  '-y',
  '--use-signing-config=false',
  '--tlog-upload=false',
  '--allow-insecure-registry',
  '--allow-http-registry',
];
const VERIFY_VALUE_FLAGS: readonly string[] = [
  '--key',
  '--certificate-identity',
  '--certificate-oidc-issuer',
  '--certificate-github-workflow-repository',
  '--rekor-url',
  '--trusted-root',
  '--registry-cacert',
];
const VERIFY_BOOL_FLAGS: readonly string[] = [
  '--insecure-ignore-tlog=true',
  '--allow-insecure-registry',
  '--allow-http-registry',
];

function parse(
  args: readonly string[],
  valueFlags: readonly string[],
  boolFlags: readonly string[],
): { flags: Flags; ref: string } {
  const flags: Flags = {};
  let ref: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      ref = args[i + 1];
      if (args.length !== i + 2) fail(`Error: accepts 1 arg(s), received ${args.length - i - 1}`);
      break;
    }
    if (valueFlags.includes(a)) {
      (flags[a] ??= []).push(args[++i]);
    } else if (boolFlags.includes(a)) {
      flags[a] = [true];
    } else if (a.startsWith('-')) {
      fail(`Error: unknown flag: ${a.split('=')[0]}`);
    } else {
      fail(`fake cosign: positional ${JSON.stringify(a)} before "--": the action must end flags with "--"`);
    }
  }
  if (!ref) fail('Error: accepts 1 arg(s), received 0');
  return { flags, ref };
}

/** The step the script plays for this call of `command` (undefined for an empty list). */
function step(command: Command): string | undefined {
  const n = (state.calls[command] = (state.calls[command] ?? 0) + 1);
  save();
  const steps = script[command] ?? ['ok'];
  return steps[Math.min(n, steps.length) - 1];
}

/** The recorded failure a script step names; fails the call when there is none. */
function recordedFailure(name: string | undefined): RecordedFailure {
  const rec = name === undefined ? undefined : recorded[name];
  if (!rec) fail(`fake cosign: no recorded output named ${name}`);
  return rec;
}

function claimsOf(jwt: string): Claims | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return undefined;
  }
}

const [command, ...rest] = argv;
if (command === 'version') {
  process.stdout.write(fill(recorded.version.stdout, { VERSION: script.version ?? '3.1.3' }));
  process.exit(0);
}

if (command === 'sign') {
  const { flags, ref } = parse(rest, SIGN_VALUE_FLAGS, SIGN_BOOL_FLAGS);
  if (!flags['--yes'] && !flags['-y'])
    fail('Error: signing: the terms of use prompt needs an interactive terminal; pass --yes');
  if (
    (flags['--tlog-upload=false'] || flags['--fulcio-url'] || flags['--rekor-url']) &&
    !flags['--use-signing-config=false']
  ) {
    fail(
      'Error: --tlog-upload=false, --fulcio-url and --rekor-url are ignored with a signing config: pass --use-signing-config=false',
    );
  }
  // the action always passes repo@sha256:<64 hex> (packages/tools/src/cosign.ts)
  const [repo, digest] = ref.split('@') as [string, string];
  const s = step('sign');
  if (s === 'hang') setInterval(() => {}, 1 << 30);
  else if (s !== 'ok') {
    const rec = recordedFailure(s);
    fail(fill(rec.stderr, { REF: ref, REPO: repo, DIGEST: digest, HEX: digest.slice(7) }), rec.exit ?? 1);
  } else {
    let identity = '';
    const key = flags['--key'];
    if (!key) {
      const claims = env.SIGSTORE_ID_TOKEN ? claimsOf(env.SIGSTORE_ID_TOKEN) : undefined;
      if (!claims?.job_workflow_ref)
        fail(
          'Error: signing: getting signer: getting key from Fulcio: no identity token was provided (SIGSTORE_ID_TOKEN)',
        );
      identity = `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${claims.job_workflow_ref}`;
      state.signed[digest] = { identity, issuer: claims.iss, repository: claims.repository, sha: claims.sha };
    } else {
      state.signed[digest] = { key: key[0] };
    }
    save();
    const rec = key ? recorded.signKeyOk : recorded.signKeylessOk;
    const index = String(88201941 + Object.keys(state.signed).length);
    process.stderr.write(
      fill(rec.stderr, { REF: ref, REPO: repo, INDEX: index, SIGDIGEST: `sha256:${'5'.repeat(64)}` }),
    );
    process.exit(0);
  }
}

if (command === 'verify') {
  const { flags, ref } = parse(rest, VERIFY_VALUE_FLAGS, VERIFY_BOOL_FLAGS);
  // the action always passes repo@sha256:<64 hex> (packages/tools/src/cosign.ts)
  const [repo, digest] = ref.split('@') as [string, string];
  const s = step('verify');
  if (s === 'hang') setInterval(() => {}, 1 << 30);
  else if (s !== 'ok') {
    const rec = recordedFailure(s);
    fail(
      fill(rec.stderr, {
        REF: ref,
        REPO: repo,
        DIGEST: digest,
        GOTIDENTITY: state.signed[digest]?.identity ?? '',
        ISSUER: state.signed[digest]?.issuer ?? '',
      }),
      rec.exit ?? 1,
    );
  } else {
    const signed = state.signed[digest];
    if (!signed) fail(recorded.verifyNoSignatures.stderr, 10);
    if (flags['--key']) {
      if (!signed.key) fail(recorded.verifyNoSignatures.stderr, 10);
      process.stderr.write(fill(recorded.verifyKeyOk.stderr, { REF: ref }));
      process.stdout.write(fill(recorded.verifyKeyOk.stdout, { REPO: repo, DIGEST: digest }));
      process.exit(0);
    }
    const want = flags['--certificate-identity']?.[0];
    const issuer = flags['--certificate-oidc-issuer']?.[0];
    if (!want || !issuer)
      fail(
        'Error: --certificate-identity or --certificate-identity-regexp is required for verification in keyless mode',
      );
    if (want !== signed.identity || issuer !== signed.issuer) {
      fail(fill(recorded.verifyIdentityMismatch.stderr, { GOTIDENTITY: signed.identity, ISSUER: signed.issuer }));
    }
    const wantRepo = flags['--certificate-github-workflow-repository']?.[0];
    if (wantRepo !== undefined && wantRepo !== signed.repository) {
      fail(
        `Error: no matching signatures: expected GitHub Workflow Repository not found in certificate, expected ${wantRepo}, got ${signed.repository}\nmain.go:74: error during command execution: no matching signatures: expected GitHub Workflow Repository not found in certificate, expected ${wantRepo}, got ${signed.repository}`,
        10,
      );
    }
    process.stderr.write(fill(recorded.verifyKeylessOk.stderr, { REF: ref }));
    process.stdout.write(
      fill(recorded.verifyKeylessOk.stdout, {
        REPO: repo,
        DIGEST: digest,
        ISSUER: signed.issuer,
        IDENTITY: signed.identity,
        REPOSITORY: signed.repository ?? '',
        SHA: signed.sha ?? '',
      }),
    );
    process.exit(0);
  }
}

const COMMANDS: readonly string[] = ['sign', 'verify', 'version'];
if (command === undefined || !COMMANDS.includes(command)) fail(`Error: unknown command "${command}" for "cosign"`);
