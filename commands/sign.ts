import * as Flags from '@oclif/core/flags';
import { PUBLIC_FILE_MODE } from '../src/io/atomic-write.js';
import { DIGESTS, type Digest } from '../src/pki/signature-algorithm.js';
import { BUILT_IN_PROFILES } from '../src/pki/profile.js';
import type { Signer, SignResult } from '../src/pki/sign.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { emitArtifacts, STDOUT } from './_lib/output.js';
import { passinProvider } from './_lib/passphrase.js';
import { formatDay } from './_lib/format.js';

/** The library's result, less the raw DER, plus where the certificate was written. */
export type SignCommandResult = Omit<SignResult, 'der' | 'selfSigned'> & {
  /** The file written, or null when the certificate went to standard output. */
  file: string | null;
};

export default class Sign extends TlskitCommand {
  static override summary = 'Issue a certificate for a CSR: self-signed, or signed by a CA.';
  static override description =
    'Like `openssl x509 -req -signkey KEY` (self-signed) or `openssl x509 -req -CA … -CAkey …`, ' +
    'but the SANs of the request are carried over, and the extensions come from a profile: ' +
    `${BUILT_IN_PROFILES.join(', ')} (built in) or a JSON file. The subject is copied exactly; ` +
    'other extensions the request asks for are ignored. Serial numbers are 128 random bits. ' +
    'Times take 2026-01-01, 2026-01-01T00:00:00Z, 20260101000000Z or a duration from now ' +
    '(-1d, +30d, 12h; units s m h d w).';
  static override examples = [
    '<%= config.bin %> sign --csr server.csr --self-key server.key --out server.pem',
    '<%= config.bin %> sign --csr ca.csr --self-key ca.key --profile ca --out ca.pem',
    '<%= config.bin %> sign --csr server.csr --ca-cert ca.pem --ca-key ca.key --out server.pem',
    '<%= config.bin %> sign --csr client.csr --ca-cert ca.pem --ca-key ca.key --profile client --days 30 --out client.pem',
    '<%= config.bin %> sign --csr old.csr --self-key old.key --not-before -10d --not-after -1d --out expired.pem   # already expired',
    '<%= config.bin %> sign --csr server.csr --ca-cert ca.pem --ca-key ca.key --profile ./my-profile.json --serial 0x1001 --out server.pem',
  ];

  static override flags = {
    csr: Flags.string({
      description: 'The certificate signing request (PEM or DER).',
      required: true,
      helpValue: 'FILE',
    }),
    'self-key': Flags.string({
      description: "Self-sign with this private key (the CSR's own key).",
      helpValue: 'FILE',
      exactlyOne: ['self-key', 'ca-cert'],
    }),
    'ca-cert': Flags.string({
      description: 'Sign with this CA certificate (needs --ca-key).',
      helpValue: 'FILE',
      dependsOn: ['ca-key'],
    }),
    'ca-key': Flags.string({
      description: "The CA certificate's private key.",
      helpValue: 'FILE',
      dependsOn: ['ca-cert'],
    }),
    passin: commonFlags.passin,
    profile: Flags.string({
      description: `Profile: ${BUILT_IN_PROFILES.join(', ')} (default: server), or a path to a JSON profile.`,
      helpValue: 'NAME|FILE',
    }),
    days: Flags.integer({ description: "Days of validity (default: the profile's)." }),
    'not-before': Flags.string({
      description: 'Start of validity (default: now minus one minute for clock skew).',
      helpValue: 'TIME',
    }),
    'not-after': Flags.string({
      description: 'End of validity (instead of --days).',
      helpValue: 'TIME',
      exclusive: ['days'],
    }),
    serial: Flags.string({
      description: 'Serial number in hex (default: 128 random bits).',
      helpValue: 'HEX',
    }),
    digest: Flags.string({
      description: "Signature hash (default: sha256, or the EC curve's; none for Ed25519/Ed448).",
      options: [...DIGESTS, 'sha1'],
    }),
    'allow-weak': commonFlags.allowWeak,
    out: Flags.string({
      char: 'o',
      description: 'Where to write the certificate, PEM ("-" for standard output).',
      required: true,
      helpValue: 'FILE',
    }),
    force: commonFlags.force,
  };

  async run(): Promise<SignCommandResult> {
    const { flags } = await this.parse(Sign);
    const signer: Signer = flags['self-key']
      ? { selfKeyPath: flags['self-key'] }
      : { caCertificatePath: flags['ca-cert'] as string, caKeyPath: flags['ca-key'] as string };
    const { signCertificateRequest } = await import('../src/pki/sign.js');
    const signed = await signCertificateRequest({
      csrPath: flags.csr,
      signer,
      passphrase: passinProvider(flags.passin, this.terminal),
      profile: flags.profile,
      days: flags.days,
      notBefore: flags['not-before'],
      notAfter: flags['not-after'],
      serial: flags.serial,
      digest: flags.digest as Digest | undefined,
      allowWeak: flags['allow-weak'],
    });
    const toStdout = flags.out === STDOUT;
    // Under --json the certificate travels inside the JSON (as pem) instead of as raw text.
    if (!(toStdout && this.jsonEnabled())) {
      await emitArtifacts(
        [{ path: flags.out, data: signed.pem, mode: PUBLIC_FILE_MODE, secret: false }],
        this.terminal,
        flags.force,
      );
    }
    const { der, selfSigned, ...described } = signed;
    const result: SignCommandResult = { ...described, file: toStdout ? null : flags.out };
    if (!this.jsonEnabled()) this.renderHuman(result, signed.selfSigned);
    return result;
  }

  /** mkcert's voice: what was made, for which names, where it is, when it expires. */
  private renderHuman(result: SignCommandResult, selfSigned: boolean): void {
    const { colour } = this.terminal;
    // Notes go to stderr when the certificate itself is on stdout.
    const say = (line: string) => (result.file ? this.log(line) : this.logToStderr(line));
    const names = result.sans.map((san) => san.slice(san.indexOf(':') + 1));
    const what = names.length > 0 ? names.join(', ') : `"${result.subject}"`;
    say(`Created a new ${result.profile} certificate valid for: ${colour.bold(what)} 📜`);
    say(
      selfSigned
        ? `  self-signed, serial ${result.serial} (${result.signatureAlgorithm})`
        : `  signed by "${result.issuer}", serial ${result.serial} (${result.signatureAlgorithm})`,
    );
    if (result.file) say(`  ${colour.green('→')} ${result.file}`);
    say(`It will expire on ${formatDay(result.notAfter)} 🗓`);
  }
}
