import * as Args from '@oclif/core/args';
import type { CaListEntry, CaListResult } from '../../src/pki/ca/list.js';
import { TlskitCommand } from '../_lib/base-command.js';

export default class CaList extends TlskitCommand {
  static override summary = 'List the certificates a CA folder has issued.';
  static override description =
    "From the CA's index.txt, in the order issued, including any `openssl ca` issued from the " +
    'same folder: serial, status (valid, revoked, or expired by the clock), expiry and subject. ' +
    'JSON: {ca, subject, certificates: [{serial, status, notAfter, revokedAt, reason, subject}]}.';
  static override examples = [
    '<%= config.bin %> ca list ./ca',
    '<%= config.bin %> ca list ./ca --json',
  ];

  static override args = {
    dir: Args.string({ description: 'The CA folder.', required: true }),
  };

  async run(): Promise<CaListResult> {
    const { args } = await this.parse(CaList);
    const { listCa } = await import('../../src/pki/ca/list.js');
    const result = await listCa({ dir: args.dir });
    if (!this.jsonEnabled()) this.renderHuman(result);
    return result;
  }

  private renderHuman(result: CaListResult): void {
    const { colour } = this.terminal;
    const count = result.certificates.length;
    this.log(`${result.subject}: ${count} certificate${count === 1 ? '' : 's'} issued`);
    if (count === 0) return;
    const serialWidth = Math.max(6, ...result.certificates.map((entry) => entry.serial.length));
    this.log(colour.dim(`${'SERIAL'.padEnd(serialWidth)}  STATUS   EXPIRES     SUBJECT`));
    const paint: Record<CaListEntry['status'], (text: string) => string> = {
      valid: colour.green,
      revoked: colour.red,
      expired: colour.yellow,
    };
    for (const entry of result.certificates) {
      const status = paint[entry.status](entry.status.padEnd(7));
      const reason = entry.reason ? ` (${entry.reason})` : '';
      this.log(
        `${entry.serial.padEnd(serialWidth)}  ${status}  ${entry.notAfter.slice(0, 10)}  ${entry.subject}${reason}`,
      );
    }
  }
}
