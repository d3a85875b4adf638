import * as Args from '@oclif/core/args';
import type { NewCaResult } from '../../src/pki/ca/init.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { resolveNewPassphrase } from '../_lib/passphrase.js';
import { keySpecOf, newCaFlags } from './_lib/ca-flags.js';
import { renderNewCa } from './_lib/render.js';

export default class CaInit extends TlskitCommand {
  static override summary = 'Create a root CA in a new folder.';
  static override description =
    'Makes a CA key (0600; EC P-256 unless --type/--bits/--curve say otherwise; encrypted with ' +
    '--encrypt or --passout), a self-signed CA certificate (profile ca, 3650 days), and the CA ' +
    "state in OpenSSL's own formats: index.txt, index.txt.attr, serial, crlnumber and newcerts/, " +
    'with an openssl.cnf so that `openssl ca -config DIR/openssl.cnf` works on the same folder. ' +
    "tlskit-ca.json holds the CA's defaults (issuing profile and lifetime, CRL days, CRL and OCSP " +
    'URLs, name-constraint policy). The folder must not exist, or be empty. ' +
    'JSON: {ca, subject, issuer, serial, notBefore, notAfter, key: {type, bits, curve}, encrypted, ' +
    'pathLength, nameConstraints: {permitted, excluded}, crlUrls, ocspUrls, signatureAlgorithm, ' +
    'fingerprint256, files}.';
  static override examples = [
    '<%= config.bin %> ca init ./ca',
    '<%= config.bin %> ca init ./ca --subject "/O=Example/CN=Example Root CA" --days 7300 --encrypt',
    '<%= config.bin %> ca init ./ca --permit DNS:.example.test --permit IP:10.0.0.0/8 --pathlen 1',
    '<%= config.bin %> ca init ./ca --crl-url http://ca.example.test/root.crl --ocsp-url http://ocsp.example.test',
    '<%= config.bin %> ca init ./ca --type rsa --bits 3072 --passout env:CA_PASS',
  ];

  static override args = {
    dir: Args.string({ description: 'The new CA folder.', required: true }),
  };

  static override flags = newCaFlags;

  async run(): Promise<NewCaResult> {
    const { args, flags } = await this.parse(CaInit);
    const passphrase =
      flags.encrypt || flags.passout !== undefined
        ? await resolveNewPassphrase(flags.passout, this.terminal, 'passphrase for the CA key')
        : undefined;
    const { initCa } = await import('../../src/pki/ca/init.js');
    const result = await initCa({
      dir: args.dir,
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
    if (!this.jsonEnabled()) renderNewCa(result, this.terminal, (line) => this.log(line), 'root');
    return result;
  }
}
