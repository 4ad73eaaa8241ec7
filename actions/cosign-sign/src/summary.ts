/** The report of a cosign-sign run, the outputs and job-summary section made from it, and the copy-paste verify command. Pure. */
import { code, escapeHtml, Raw, type Ending, type OutputValue, type Summary } from '@polyglot-cd/action-kit';
import { shellQuote } from '@polyglot-cd/tools/sigstore';

export interface Report {
  /** '' until the inputs are read */
  image: string;
  mode: 'keyless' | 'key';
  signed: 'signed' | 'already-in-log' | 'no' | 'not-started';
  verified: 'yes' | 'no' | 'skipped' | 'not-started';
  signature: string;
  identity: string;
  issuer: string;
  reusable: boolean;
  callerWorkflowRef: string;
  transparencyLog: string;
  signAttempts: number;
  verifyAttempts: number;
  cosignVersion: string;
  annotations: ReadonlyArray<readonly [string, string]>;
  verifyArgv: readonly string[];
  warnings: string[];
  error?: string;
}

/** The report's former name. */
export type SignReport = Report;

export function initialReport(): Report {
  return {
    image: '',
    mode: 'keyless',
    signed: 'not-started',
    verified: 'not-started',
    signature: '',
    identity: '',
    issuer: '',
    reusable: false,
    callerWorkflowRef: '',
    transparencyLog: '',
    signAttempts: 0,
    verifyAttempts: 0,
    cosignVersion: '',
    annotations: [],
    verifyArgv: [],
    warnings: [],
  };
}

export function outputs(r: Report): Record<string, OutputValue> {
  return {
    signed: r.signed === 'signed' || r.signed === 'already-in-log',
    verified: r.verified === 'yes',
    signature: r.signature,
    'certificate-identity': r.identity,
    'certificate-oidc-issuer': r.issuer,
  };
}

export function verifyCommand(argv: readonly string[]): string {
  return ['cosign', ...argv].map(shellQuote).join(' ');
}

/** The summary section; after a failure, its message is the report's error unless the run named one. */
export function summary(r: Report, s: Summary, end: Ending): void {
  writeSummary(s, end.kind !== 'success' && !r.error ? { ...r, error: end.message } : r);
}

export function writeSummary(summary: Summary, r: Report): void {
  const signed = {
    signed: 'yes',
    'already-in-log': 'yes (Rekor already had this entry)',
    no: 'no',
    'not-started': 'not started',
  }[r.signed];
  const verified = { yes: 'yes', no: 'no', skipped: 'skipped (verify: false)', 'not-started': 'not started' }[
    r.verified
  ];
  const rows: [string, string | Raw][] = [
    ['Image', r.image ? new Raw(code(r.image)) : 'n/a'],
    ['Mode', r.mode],
    ['Signed', signed],
    ['Verified', verified],
  ];
  if (r.signature) rows.push(['Signature stored at', new Raw(code(r.signature))]);
  if (r.identity) rows.push(['Certificate identity', new Raw(code(r.identity))]);
  if (r.reusable) rows.push(['Called from', new Raw(code(r.callerWorkflowRef))]);
  if (r.issuer) rows.push(['OIDC issuer', r.issuer]);
  if (r.transparencyLog) rows.push(['Transparency log', r.transparencyLog]);
  rows.push(['Attempts', `sign ${r.signAttempts}, verify ${r.verifyAttempts}`]);
  if (r.cosignVersion) rows.push(['cosign', r.cosignVersion]);
  summary.heading('Cosign signature').facts(rows);
  for (const w of r.warnings) summary.raw(`> [!WARNING]\n> ${escapeHtml(w).replace(/\r?\n/g, ' ')}\n\n`);
  if (r.error) summary.raw(`**Failure:** ${code(r.error)}\n\n`);
  if (r.verifyArgv.length > 0) {
    summary.raw(
      `**Verify it** (the exact command this step ran; an admission policy should check the same identity and issuer):\n\n<pre>${escapeHtml(verifyCommand(r.verifyArgv))}</pre>\n\n`,
    );
  }
  if (r.annotations.length > 0) {
    summary.detailsMarkdown(
      'Signed annotations',
      r.annotations.map(([k, v]) => `- ${code(k)} = ${code(v)}`).join('\n'),
    );
  }
}
