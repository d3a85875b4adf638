import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { CaIssueResult } from '../../src/pki/ca/issue.js';
import { BUILT_IN_PROFILES } from '../../src/pki/profile.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { commonFlags } from '../_lib/flags.js';
import { passinProvider, resolveNewPassphrase } from '../_lib/passphrase.js';
import { keyFlags, keySpecOf } from './_lib/ca-flags.js';
import { formatDay } from '../_lib/format.js';

export default class CaIssue extends TlskitCommand {
  static override summary = 'Issue a certificate from a CA folder.';
  static override description =
    'From a CSR (--csr), or for names given with --cn/--subject and --san, with a key tlskit ' +
    'makes (EC P-256 unless --type/--bits/--curve say otherwise). The profile (default: the ' +
    "CA's, normally server) decides the extensions; a server certificate without --san gets its " +
    'common name as a SAN. Refuses names outside the name constraints of any CA in the chain or ' +
    "of the CA's policy, a CA certificate where a path length forbids one, and a lifetime " +
    "beyond the CA's. Writes NAME.cert.pem, NAME.key.pem (0600, only when tlskit made the key), " +
    'NAME.chain.pem (the issuing CA up to the root: what -CAfile needs) and NAME.fullchain.pem ' +
    '(the certificate and the CAs below the root: what a server sends), and records the ' +
    'certificate in index.txt and newcerts/ under the folder lock, with a fresh 128-bit serial. ' +
    'JSON: {ca, subject, issuer, serial, notBefore, notAfter, profile, sans, signatureAlgorithm, ' +
    'fingerprint256, keyGenerated, files: {certificate, key, chain, fullchain}, recorded}.';
  static override examples = [
    '<%= config.bin %> ca issue ./ca --cn www.example.test --san www.example.test --san example.test',
    '<%= config.bin %> ca issue ./ca --san localhost --san 127.0.0.1 --san ::1 --out localhost',
    '<%= config.bin %> ca issue ./ca --csr server.csr --out server --days 90',
    '<%= config.bin %> ca issue ./ca --cn alice --profile client --out alice',
    '<%= config.bin %> ca issue ./ca --cn old.example.test --not-before -30d --not-after -1d --out expired',
    '<%= config.bin %> ca issue ./ca --csr sub.csr --profile intermediate --passin env:CA_PASS --out sub-ca',
  ];

  static override args = {
    dir: Args.string({ description: 'The CA folder.', required: true }),
  };

  static override flags = {
    csr: Flags.string({
      description: 'Issue for this request (PEM or DER); its subject and SANs are kept.',
      helpValue: 'FILE',
      exclusive: ['cn', 'subject', 'san', 'type', 'bits', 'curve', 'passout'],
    }),
    cn: Flags.string({ description: 'Common name of the new certificate.', helpValue: 'NAME' }),
    subject: Flags.string({
      char: 's',
      description: 'Full subject instead of --cn: /O=Example/CN=www.example.test.',
      helpValue: 'TEXT',
      exclusive: ['cn'],
    }),
    san: Flags.string({
      description: 'Subject alternative name: DNS:name, IP:addr, email:addr, URI:uri (repeatable).',
      multiple: true,
      helpValue: 'VALUE',
    }),
    ...keyFlags,
    passout: Flags.string({
      description: 'Encrypt the new key with this passphrase: pass:, env:, file:, fd: or stdin.',
      helpValue: 'SPEC',
    }),
    profile: Flags.string({
      description: `Profile: ${BUILT_IN_PROFILES.join(', ')} or a JSON file (default: the CA's).`,
      helpValue: 'NAME|FILE',
    }),
    days: Flags.integer({ description: "Days of validity (default: the CA's or the profile's)." }),
    'not-before': Flags.string({
      description: 'Start of validity (default: now minus one minute).',
      helpValue: 'TIME',
    }),
    'not-after': Flags.string({
      description: 'End of validity (instead of --days).',
      helpValue: 'TIME',
      exclusive: ['days'],
    }),
    out: Flags.string({
      char: 'o',
      description: 'Output prefix: NAME.cert.pem, NAME.key.pem… (default: from the first name).',
      helpValue: 'NAME',
    }),
    passin: commonFlags.passin,
    force: commonFlags.force,
  };

  async run(): Promise<CaIssueResult> {
    const { args, flags } = await this.parse(CaIssue);
    const keyPassphrase =
      flags.passout === undefined
        ? undefined
        : await resolveNewPassphrase(flags.passout, this.terminal, 'passphrase for the new key');
    const { issueFromCa } = await import('../../src/pki/ca/issue.js');
    const result = await issueFromCa({
      dir: args.dir,
      csrPath: flags.csr,
      commonName: flags.cn,
      subject: flags.subject,
      sans: flags.san,
      key: keySpecOf(flags),
      keyPassphrase,
      profile: flags.profile,
      days: flags.days,
      notBefore: flags['not-before'],
      notAfter: flags['not-after'],
      out: flags.out,
      force: flags.force,
      passphrase: passinProvider(flags.passin, this.terminal),
    });
    if (!this.jsonEnabled()) this.renderHuman(result);
    return result;
  }

  /** mkcert's voice: what was made, for which names, where it is, when it expires. */
  private renderHuman(result: CaIssueResult): void {
    const { colour } = this.terminal;
    const names = result.sans.map((san) => san.slice(san.indexOf(':') + 1));
    const what = names.length > 0 ? names.join(', ') : `"${result.subject}"`;
    this.log(`Created a new ${result.profile} certificate valid for: ${colour.bold(what)} 📜`);
    this.log(`  signed by "${result.issuer}", serial ${result.serial}`);
    for (const file of Object.values(result.files)) {
      if (file) this.log(`  ${colour.green('→')} ${file}`);
    }
    this.log(`It will expire on ${formatDay(result.notAfter)} 🗓`);
  }
}
