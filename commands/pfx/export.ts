import * as Flags from '@oclif/core/flags';
import { RefusedError, UsageError } from '../../src/errors.js';
import { SECRET_FILE_MODE } from '../../src/io/atomic-write.js';
import type { ExportPfxResult, PfxFormat } from '../../src/pki/pkcs12/pfx-export.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { commonFlags } from '../_lib/flags.js';
import { emitArtifacts, STDOUT } from '../_lib/output.js';
import { passinProvider, resolveNewPassphrase } from '../_lib/passphrase.js';

/** The library's result, less the file's bytes, plus where they were written. */
export type PfxExportCommandResult = Omit<ExportPfxResult, 'der'> & {
  /** The file written, or null when it went to standard output. */
  file: string | null;
};

export default class PfxExport extends TlskitCommand {
  static override summary =
    'Bundle a key, its certificate and chain into a PKCS#12 (.p12/.pfx) file.';
  static override description =
    "Like `openssl pkcs12 -export`, with OpenSSL 3's algorithms: the key and the certificates " +
    'encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC, 2048 iterations) and an HMAC-SHA256 ' +
    'MAC, which Node (`tls.createSecureContext({pfx})`), OpenSSL 3, Java 8u301+ and Windows 10 ' +
    "1709+ read. --legacy writes what older readers (and Apple's Keychain) need: 3DES for the key, " +
    '40-bit RC2 for the certificates (or 3DES with --cert-cipher 3des) and a SHA-1 MAC. The key ' +
    "and the certificate carry friendlyName (--name, default the certificate's CN) and " +
    'localKeyID (SHA-1 of the certificate), as OpenSSL writes them. The file is written 0600. ' +
    'JSON fields: file, format, keyType, friendlyName, localKeyId, certificate {subject, ' +
    'fingerprint256}, chain [same], keyEncryption, certificateEncryption, mac, nodeCanLoad, ' +
    'unprotected.';
  static override examples = [
    '<%= config.bin %> pfx export --key server.key --cert server.pem --out server.p12',
    '<%= config.bin %> pfx export --key server.key --cert server.pem --chain intermediate.pem --chain root.pem --out server.p12',
    'TLSKIT_PASS=secret <%= config.bin %> pfx export --key server.key --cert fullchain.pem --passout env:TLSKIT_PASS --name web --out server.pfx',
    '<%= config.bin %> pfx export --key server.key --cert server.pem --legacy --out old-windows.pfx   # 3DES + RC2-40 + SHA-1 MAC',
    '<%= config.bin %> pfx export --key server.key --cert server.pem --legacy --cert-cipher 3des --out compatible.pfx',
    '<%= config.bin %> pfx export --key server.key --cert server.pem --no-password --insecure --out open.p12',
  ];

  static override flags = {
    key: Flags.string({
      description: "The certificate's private key (PEM or DER; --passin if encrypted).",
      required: true,
      helpValue: 'FILE',
    }),
    cert: Flags.string({
      description:
        'The certificate (PEM or DER). A file holding the chain too is fine: the certificate ' +
        'matching the key is the leaf, the others join the chain.',
      required: true,
      helpValue: 'FILE',
    }),
    chain: Flags.string({
      description: 'More certificates for the chain (intermediates, root); may be repeated.',
      multiple: true,
      helpValue: 'FILE',
    }),
    out: Flags.string({
      char: 'o',
      description: 'The PKCS#12 file to write ("-" for standard output, never a terminal).',
      required: true,
      helpValue: 'FILE',
    }),
    passin: Flags.string({
      description:
        'Passphrase of an encrypted --key: pass:TEXT, env:VAR, file:PATH, fd:N or stdin.',
      helpValue: 'SPEC',
    }),
    passout: Flags.string({
      description:
        'Passphrase for the PKCS#12 file: pass:TEXT, env:VAR, file:PATH, fd:N or stdin ' +
        '(default: asked twice on a terminal).',
      helpValue: 'SPEC',
      exclusive: ['no-password'],
    }),
    name: Flags.string({
      description: "Friendly name (keytool's alias) for the key and certificate.",
      helpValue: 'FRIENDLY',
    }),
    legacy: Flags.boolean({
      description:
        "Use 3DES, RC2-40 and a SHA-1 MAC, for Java before 8u301, older Windows and Apple's Keychain.",
    }),
    'cert-cipher': Flags.string({
      description:
        'With --legacy: encrypt the certificates with RC2-40 (as openssl -legacy) or 3DES ' +
        '(which OpenSSL 3 and Node load too).',
      options: ['rc2-40', '3des'],
      dependsOn: ['legacy'],
    }),
    'no-password': Flags.boolean({
      description:
        'Write the file with an empty password (needs --insecure: anyone can read the key).',
    }),
    insecure: Flags.boolean({
      description: 'Confirms --no-password.',
      dependsOn: ['no-password'],
    }),
    force: commonFlags.force,
  };

  async run(): Promise<PfxExportCommandResult> {
    const { flags } = await this.parse(PfxExport);
    if (flags['no-password'] && !flags.insecure) {
      throw new RefusedError('without a password, anyone with the file can read the private key', {
        hint: 'add --insecure if you mean it, or give --passout',
      });
    }
    const toStdout = flags.out === STDOUT;
    if (toStdout && this.jsonEnabled()) {
      throw new UsageError('--json and "--out -" cannot share standard output', {
        hint: 'write the file with --out FILE',
      });
    }
    const { exportPfx } = await import('../../src/pki/pkcs12/pfx-export.js');
    const exported = await exportPfx({
      keyPath: flags.key,
      certificatePath: flags.cert,
      chainPaths: flags.chain ?? [],
      keyPassphrase: passinProvider(flags.passin, this.terminal),
      passphrase: async (purpose) =>
        flags['no-password'] ? '' : resolveNewPassphrase(flags.passout, this.terminal, purpose),
      friendlyName: flags.name,
      format: formatOf(flags.legacy, flags['cert-cipher']),
    });
    await emitArtifacts(
      [{ path: flags.out, data: exported.der, mode: SECRET_FILE_MODE, secret: true }],
      this.terminal,
      flags.force,
    );
    const { der, ...described } = exported;
    const result: PfxExportCommandResult = { ...described, file: toStdout ? null : flags.out };
    if (!this.jsonEnabled()) this.renderHuman(result);
    return result;
  }

  private renderHuman(result: PfxExportCommandResult): void {
    const { colour } = this.terminal;
    // The file itself may be on standard output: the notes then go to stderr.
    const say = (line: string) => (result.file ? this.log(line) : this.logToStderr(line));
    say(`Created a PKCS#12 file for ${colour.bold(`"${result.certificate.subject}"`)} 🔐`);
    const name = result.friendlyName === null ? '' : `, friendly name "${result.friendlyName}"`;
    say(`  key: ${result.keyType}${name}`);
    const more = result.chain.length;
    if (more > 0) say(`  chain: ${more} more certificate${more === 1 ? '' : 's'}`);
    say(`  key encryption: ${result.keyEncryption}`);
    say(`  certificate encryption: ${result.certificateEncryption}`);
    say(`  MAC: ${result.mac}`);
    if (result.format !== 'modern') {
      const reach = result.nodeCanLoad
        ? 'OpenSSL 3 and Node read it too'
        : 'OpenSSL 3 needs -legacy to read it, and Node cannot load it';
      say(
        colour.yellow(
          `  Legacy algorithms, for old Java and Windows and Apple's Keychain: ${reach}.`,
        ),
      );
    }
    if (result.unprotected) {
      say(colour.yellow('  No password: anyone with this file can read the private key.'));
    }
    if (result.file) say(`  ${colour.green('→')} ${result.file}`);
  }
}

function formatOf(legacy: boolean, certificateCipher: string | undefined): PfxFormat {
  if (!legacy) return 'modern';
  return certificateCipher === '3des' ? 'legacy-3des' : 'legacy';
}
