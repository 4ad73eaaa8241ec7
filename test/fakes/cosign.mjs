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

const recorded = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'cosign-recorded.json'), 'utf8'),
);
const argv = process.argv.slice(2);
const env = process.env;
if (env.FAKE_COSIGN_LOG) appendFileSync(env.FAKE_COSIGN_LOG, JSON.stringify({ argv, env }) + '\n');

const script = env.FAKE_COSIGN_SCRIPT ? JSON.parse(readFileSync(env.FAKE_COSIGN_SCRIPT, 'utf8')) : {};
const stateFile = env.FAKE_COSIGN_SCRIPT ? `${env.FAKE_COSIGN_SCRIPT}.state` : undefined;
const state =
  stateFile && existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { calls: {}, signed: {} };
const save = () => stateFile && writeFileSync(stateFile, JSON.stringify(state));

function fill(text, vars) {
  return text.replace(/\{\{([A-Z]+)\}\}/g, (_, k) => vars[k] ?? `{{${k}}}`);
}

function fail(text, code = 1) {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  process.exit(code);
}

const SIGN_VALUE_FLAGS = [
  '--key',
  '--fulcio-url',
  '--rekor-url',
  '--trusted-root',
  '-a',
  '--annotations',
  '--registry-cacert',
  '--timeout',
];
const SIGN_BOOL_FLAGS = [
  '--yes',
  '-y',
  '--use-signing-config=false',
  '--tlog-upload=false',
  '--allow-insecure-registry',
  '--allow-http-registry',
];
const VERIFY_VALUE_FLAGS = [
  '--key',
  '--certificate-identity',
  '--certificate-oidc-issuer',
  '--certificate-github-workflow-repository',
  '--rekor-url',
  '--trusted-root',
  '--registry-cacert',
];
const VERIFY_BOOL_FLAGS = ['--insecure-ignore-tlog=true', '--allow-insecure-registry', '--allow-http-registry'];

function parse(args, valueFlags, boolFlags) {
  const flags = {};
  let ref;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
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

function step(command) {
  const n = (state.calls[command] = (state.calls[command] ?? 0) + 1);
  save();
  const steps = script[command] ?? ['ok'];
  return steps[Math.min(n, steps.length) - 1];
}

function claimsOf(jwt) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
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
  const [repo, digest] = ref.split('@');
  const s = step('sign');
  if (s === 'hang') setInterval(() => {}, 1 << 30);
  else if (s !== 'ok') {
    const rec = recorded[s];
    if (!rec) fail(`fake cosign: no recorded output named ${s}`);
    fail(fill(rec.stderr, { REF: ref, REPO: repo, DIGEST: digest, HEX: digest.slice(7) }), rec.exit ?? 1);
  } else {
    let identity = '';
    if (!flags['--key']) {
      const claims = env.SIGSTORE_ID_TOKEN ? claimsOf(env.SIGSTORE_ID_TOKEN) : undefined;
      if (!claims?.job_workflow_ref)
        fail(
          'Error: signing: getting signer: getting key from Fulcio: no identity token was provided (SIGSTORE_ID_TOKEN)',
        );
      identity = `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${claims.job_workflow_ref}`;
      state.signed[digest] = { identity, issuer: claims.iss, repository: claims.repository, sha: claims.sha };
    } else {
      state.signed[digest] = { key: flags['--key'][0] };
    }
    save();
    const rec = flags['--key'] ? recorded.signKeyOk : recorded.signKeylessOk;
    const index = String(88201941 + Object.keys(state.signed).length);
    process.stderr.write(
      fill(rec.stderr, { REF: ref, REPO: repo, INDEX: index, SIGDIGEST: `sha256:${'5'.repeat(64)}` }),
    );
    process.exit(0);
  }
}

if (command === 'verify') {
  const { flags, ref } = parse(rest, VERIFY_VALUE_FLAGS, VERIFY_BOOL_FLAGS);
  const [repo, digest] = ref.split('@');
  const s = step('verify');
  if (s === 'hang') setInterval(() => {}, 1 << 30);
  else if (s !== 'ok') {
    const rec = recorded[s];
    if (!rec) fail(`fake cosign: no recorded output named ${s}`);
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

if (!['sign', 'verify', 'version'].includes(command)) fail(`Error: unknown command "${command}" for "cosign"`);
