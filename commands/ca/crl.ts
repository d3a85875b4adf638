import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { CaCrlResult } from '../../src/pki/ca/crl.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { commonFlags } from '../_lib/flags.js';
import { passinProvider } from '../_lib/passphrase.js';
import { formatDay } from '../_lib/format.js';

export default class CaCrl extends TlskitCommand {
  static override summary = 'Publish a new CRL for a CA folder.';
  static override description =
    'A v2 CRL (RFC 5280) signed by the CA: authorityKeyIdentifier, a CRL number from the ' +
    'crlnumber file (which then moves on by one, as `openssl ca -gencrl` does), and every ' +
    'revoked certificate with its date and reason code. Written as DIR/crl.pem and DIR/crl.der, ' +
    'and to --out too (DER if the name ends in .der). nextUpdate is --days (default: the ' +
    "CA's, 30) after now. JSON: {ca, crlNumber, thisUpdate, nextUpdate, revoked: [{serial, " +
    'revokedAt, reason}], signatureAlgorithm, files}.';
  static override examples = [
    '<%= config.bin %> ca crl ./ca',
    '<%= config.bin %> ca crl ./ca --days 7 --out /srv/www/ca.crl',
    '<%= config.bin %> ca crl ./ca --passin env:CA_PASS --json',
  ];

  static override args = {
    dir: Args.string({ description: 'The CA folder.', required: true }),
  };

  static override flags = {
    days: Flags.integer({ description: 'Days until the next update (default: 30).' }),
    out: Flags.string({
      char: 'o',
      description: 'Also write the CRL here (.der: DER, else PEM).',
      helpValue: 'FILE',
    }),
    passin: commonFlags.passin,
    force: commonFlags.force,
  };

  async run(): Promise<CaCrlResult> {
    const { args, flags } = await this.parse(CaCrl);
    const { generateCaCrl } = await import('../../src/pki/ca/crl.js');
    const result = await generateCaCrl({
      dir: args.dir,
      days: flags.days,
      out: flags.out,
      force: flags.force,
      passphrase: passinProvider(flags.passin, this.terminal),
    });
    if (!this.jsonEnabled()) {
      const { colour } = this.terminal;
      const count = result.revoked.length;
      this.log(
        `Published CRL number ${colour.bold(String(result.crlNumber))} listing ${count} ` +
          `revoked certificate${count === 1 ? '' : 's'} 📋`,
      );
      for (const file of result.files) this.log(`  ${colour.green('→')} ${file}`);
      this.log(`Publish the next one by ${formatDay(result.nextUpdate)} 🗓`);
    }
    return result;
  }
}
