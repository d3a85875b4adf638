import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { passinProvider } from './_lib/passphrase.js';
import { paletteOf } from './_lib/terminal.js';

export default class Inspect extends TlskitCommand {
  static override summary = 'Describe a certificate, chain, CSR, CRL, public or private key.';
  static override description =
    'Like `openssl x509 -text` (and req, crl, pkey), for any PEM or DER file: every object in a ' +
    'bundle, in order, as a tree. Shows subject, issuer, validity (days left), SANs, extensions ' +
    'and fingerprints; for keys their type, size, encryption and public-key SHA-256, never the ' +
    'private material. --json gives the certificate fields under the names of Node’s ' +
    'getPeerCertificate().';
  static override examples = [
    '<%= config.bin %> inspect server.pem',
    '<%= config.bin %> inspect chain.pem          # each certificate, and which one issued which',
    '<%= config.bin %> inspect request.csr        # requested SANs, and whether the signature verifies',
    '<%= config.bin %> inspect key.pem --passin env:KEY_PASS',
    "<%= config.bin %> inspect cert.der --json | jq -r '.objects[0].fingerprint256'",
    '<%= config.bin %> inspect cert.der --pem      # then the certificate itself, as PEM',
  ];

  static override args = {
    file: Args.string({
      description: 'PEM (any number of blocks) or DER file.',
      required: true,
    }),
  };

  static override flags = {
    passin: commonFlags.passin,
    pem: Flags.boolean({
      description:
        'Also print each certificate, CSR, CRL and public key as PEM (never private keys).',
    }),
  };

  async run() {
    const { args, flags } = await this.parse(Inspect);
    const { inspectFile, inspectionTree } = await import('../src/pki/describe/inspect.js');
    const result = await inspectFile(args.file, {
      // Without --passin or a terminal to ask on, PKCS#12 files are described as far as no
      // password is needed (and an encrypted key says it needs --passin).
      passphrase:
        flags.passin !== undefined || this.terminal.interactive
          ? passinProvider(flags.passin, this.terminal)
          : undefined,
      includePem: flags.pem,
    });
    if (!this.jsonEnabled()) {
      const { renderTree } = await import('../src/render/text-tree.js');
      this.log(renderTree(inspectionTree(result), paletteOf(this.terminal)));
      for (const object of result.objects) {
        if ('pem' in object && object.pem) this.log(`\n${object.pem.trimEnd()}`);
      }
    }
    return result;
  }
}
