import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { NewCaResult } from '../../src/pki/ca/init.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { commonFlags } from '../_lib/flags.js';
import { passinProvider, resolveNewPassphrase } from '../_lib/passphrase.js';
import { keySpecOf, newCaFlags } from './_lib/ca-flags.js';
import { renderNewCa } from './_lib/render.js';

export default class CaIntermediate extends TlskitCommand {
  static override summary = 'Create a subordinate CA in a new folder, signed by a parent CA.';
  static override description =
    'Like `ca init`, but the certificate (profile intermediate: pathlen 0 unless --pathlen says ' +
    'otherwise, 1825 days) is signed by the CA in --parent, which records it in its index.txt ' +
    "and newcerts/. The new folder's chain.pem holds the new certificate, then the parent's " +
    "chain up to the root. Without --permit/--exclude the parent's name-constraint policy is " +
    'written into the new certificate; given ones must lie inside what the parent permits. ' +
    '--passin opens the parent key; --passout/--encrypt encrypt the new one. ' +
    'JSON: as `ca init`.';
  static override examples = [
    '<%= config.bin %> ca intermediate ./issuing --parent ./ca',
    '<%= config.bin %> ca intermediate ./issuing --parent ./ca --passin env:ROOT_PASS --encrypt',
    '<%= config.bin %> ca intermediate ./web --parent ./ca --permit DNS:.web.example.test --crl-url http://ca.example.test/web.crl',
    '<%= config.bin %> ca intermediate ./policy --parent ./ca --pathlen 1 --subject "/CN=Example Policy CA"',
  ];

  static override args = {
    dir: Args.string({ description: 'The new CA folder.', required: true }),
  };

  static override flags = {
    parent: Flags.string({
      description: 'The folder of the CA that signs the new one.',
      required: true,
      helpValue: 'DIR',
    }),
    passin: commonFlags.passin,
    ...newCaFlags,
  };

  async run(): Promise<NewCaResult> {
    const { args, flags } = await this.parse(CaIntermediate);
    const passphrase =
      flags.encrypt || flags.passout !== undefined
        ? await resolveNewPassphrase(flags.passout, this.terminal, 'passphrase for the new CA key')
        : undefined;
    const { createIntermediateCa } = await import('../../src/pki/ca/intermediate.js');
    const result = await createIntermediateCa({
      dir: args.dir,
      parentDir: flags.parent,
      parentPassphrase: passinProvider(flags.passin, this.terminal),
      subject: flags.subject,
      key: keySpecOf(flags),
      passphrase,
      days: flags.days,
      pathLength: flags.pathlen,
      permit: flags.permit,
      exclude: flags.exclude,
      crlUrls: flags['crl-url'],
      ocspUrls: flags['ocsp-url'],
      defaultProfile: flags['default-profile'],
      defaultDays: flags['default-days'],
      crlDays: flags['crl-days'],
    });
    if (!this.jsonEnabled()) {
      renderNewCa(result, this.terminal, (line) => this.log(line), 'intermediate');
    }
    return result;
  }
}
