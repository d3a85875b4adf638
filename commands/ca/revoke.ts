import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { CaRevokeResult } from '../../src/pki/ca/revoke.js';
import { REVOCATION_REASONS } from '../../src/pki/ca/revocation-reason.js';
import { TlskitCommand } from '../_lib/base-command.js';

export default class CaRevoke extends TlskitCommand {
  static override summary = 'Revoke a certificate a CA folder issued.';
  static override description =
    'Marks the certificate revoked in index.txt (as `openssl ca -revoke` does); the next ' +
    '`tlskit ca crl` lists it. Name it by its serial (hex, as `ca list` prints it) or with ' +
    `--cert. --reason is one of ${REVOCATION_REASONS.join(', ')} (any case); without it the ` +
    'CRL gives no reason. A certificate on hold (certificateHold) can later be revoked for good ' +
    'with another reason, or released with removeFromCRL. Note: `openssl ca` cannot read the ' +
    'reasons privilegeWithdrawn and aACompromise back from index.txt. ' +
    'JSON: {ca, serial, subject, action, revokedAt, reason, warnings}.';
  static override examples = [
    '<%= config.bin %> ca revoke ./ca 5A3F09D2C4E1B7A8F0E6D5C4B3A29180',
    '<%= config.bin %> ca revoke ./ca --cert www.cert.pem --reason keyCompromise',
    '<%= config.bin %> ca revoke ./ca 5A3F09D2C4E1B7A8F0E6D5C4B3A29180 --reason certificateHold',
    '<%= config.bin %> ca revoke ./ca 5A3F09D2C4E1B7A8F0E6D5C4B3A29180 --reason removeFromCRL   # release the hold',
  ];

  static override args = {
    dir: Args.string({ description: 'The CA folder.', required: true }),
    serial: Args.string({ description: 'Serial number of the certificate (hex).' }),
  };

  static override flags = {
    cert: Flags.string({
      description: 'The certificate to revoke (instead of its serial).',
      helpValue: 'FILE',
    }),
    reason: Flags.string({ description: 'Why (RFC 5280 CRLReason name).', helpValue: 'REASON' }),
  };

  async run(): Promise<CaRevokeResult> {
    const { args, flags } = await this.parse(CaRevoke);
    const { revokeFromCa } = await import('../../src/pki/ca/revoke.js');
    const result = await revokeFromCa({
      dir: args.dir,
      serial: args.serial,
      certificatePath: flags.cert,
      reason: flags.reason,
    });
    if (!this.jsonEnabled()) this.renderHuman(result);
    return result;
  }

  private renderHuman(result: CaRevokeResult): void {
    const { colour } = this.terminal;
    const reason = result.reason ? ` (${result.reason})` : '';
    if (result.action === 'released') {
      this.log(
        `Released certificate ${colour.bold(result.serial)} from hold: it is valid again ✅`,
      );
    } else {
      const verb = result.action === 'revoked' ? 'Revoked' : 'Revoked for good';
      this.log(`${verb} certificate ${colour.bold(result.serial)}${reason} ⛔`);
    }
    this.log(`  ${result.subject}`);
    for (const warning of result.warnings) this.log(`  ${colour.yellow('note:')} ${warning}`);
    this.log(`Publish a new CRL with: tlskit ca crl ${result.ca}`);
  }
}
