import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { InputError } from '../../src/errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE } from '../../src/io/atomic-write.js';
import type { ImportPfxResult } from '../../src/pki/pkcs12/pfx-import.js';
import { TlskitCommand } from '../_lib/base-command.js';
import { commonFlags } from '../_lib/flags.js';
import { emitArtifacts, type Artifact } from '../_lib/output.js';
import { passinProvider, resolveNewPassphrase } from '../_lib/passphrase.js';

/** The library's result without the PEM texts, plus the files written. */
export type PfxImportCommandResult = Omit<
  ImportPfxResult,
  'keyPem' | 'certificatePem' | 'chainPem'
> & {
  keyFile: string | null;
  certificateFile: string;
  /** Null when there was no chain or no --out-chain. */
  chainFile: string | null;
};

export default class PfxImport extends TlskitCommand {
  static override summary =
    'Extract the key, certificate and chain from a PKCS#12 (.p12/.pfx) file.';
  static override description =
    'Reads modern and legacy files alike, without flags: PBES2 (PBKDF2 with SHA-1/256/384/512, ' +
    'AES-128/192/256-CBC or 3DES), pbeWithSHA1And3-KeyTripleDES-CBC, 2-key 3DES, RC2-40 and ' +
    'RC2-128, and SHA-1/224/256/384/512 MACs (OpenSSL 3 needs -legacy for RC2 files, and Node ' +
    'cannot load them at all). The MAC is checked first, so a wrong passphrase is an error, ' +
    "never garbage. The certificate written to --out-cert is the key's own; the others go to " +
    '--out-chain, issuer first. The key is written as PKCS#8 (0600), encrypted if --passout is ' +
    'given. JSON fields: file, keyFile, certificateFile, chainFile, keyType, keyEncrypted, ' +
    'certificate {subject, issuer, notAfter, fingerprint256, friendlyName}, chain [same], mac, ' +
    'algorithms, legacy, otherBags.';
  static override examples = [
    '<%= config.bin %> pfx import server.p12 --out-key server.key --out-cert server.pem',
    '<%= config.bin %> pfx import old.pfx --passin env:PFX_PASS --out-key key.pem --out-cert cert.pem --out-chain chain.pem',
    '<%= config.bin %> pfx import server.p12 --passin file:pass.txt --out-key server.key --passout pass:new-secret --out-cert server.pem',
    '<%= config.bin %> pfx import keystore.p12 --name tomcat --out-key tomcat.key --out-cert tomcat.pem',
    '<%= config.bin %> pfx import truststore.p12 --out-cert ca.pem --out-chain more-cas.pem',
  ];

  static override args = {
    file: Args.string({ description: 'The PKCS#12 file (DER).', required: true }),
  };

  static override flags = {
    passin: Flags.string({
      description:
        "The file's passphrase: pass:TEXT, env:VAR, file:PATH, fd:N or stdin (default: asked on a terminal).",
      helpValue: 'SPEC',
    }),
    'out-key': Flags.string({
      description: 'Where to write the private key (PEM PKCS#8, 0600).',
      helpValue: 'FILE',
    }),
    'out-cert': Flags.string({
      description: "Where to write the key's certificate (PEM).",
      required: true,
      helpValue: 'FILE',
    }),
    'out-chain': Flags.string({
      description: 'Where to write the other certificates (PEM, issuer first).',
      helpValue: 'FILE',
    }),
    passout: Flags.string({
      description:
        'Encrypt the extracted key with this passphrase: pass:TEXT, env:VAR, file:PATH, fd:N or stdin.',
      helpValue: 'SPEC',
      dependsOn: ['out-key'],
    }),
    name: Flags.string({
      description: 'The friendly name (alias) of the key to take, when the file holds several.',
      helpValue: 'FRIENDLY',
    }),
    force: commonFlags.force,
  };

  async run(): Promise<PfxImportCommandResult> {
    const { args, flags } = await this.parse(PfxImport);
    const { importPfx } = await import('../../src/pki/pkcs12/pfx-import.js');
    const keyPassphrase =
      flags.passout === undefined
        ? undefined
        : await resolveNewPassphrase(
            flags.passout,
            this.terminal,
            'passphrase for the extracted key',
          );
    const imported = await importPfx({
      path: args.file,
      passphrase: passinProvider(flags.passin, this.terminal),
      keyPassphrase,
      friendlyName: flags.name,
    });
    const { keyPem, certificatePem, chainPem, ...described } = imported;
    if (flags['out-key'] && keyPem === null) {
      throw new InputError(`${args.file} holds no private key`, {
        hint: 'drop --out-key to extract the certificates only',
      });
    }
    const artifacts: Artifact[] = [
      { path: flags['out-cert'], data: certificatePem, mode: PUBLIC_FILE_MODE, secret: false },
    ];
    if (flags['out-key'] && keyPem !== null) {
      artifacts.unshift({
        path: flags['out-key'],
        data: keyPem,
        mode: SECRET_FILE_MODE,
        secret: true,
      });
    }
    if (flags['out-chain'] && chainPem !== null) {
      artifacts.push({
        path: flags['out-chain'],
        data: chainPem,
        mode: PUBLIC_FILE_MODE,
        secret: false,
      });
    }
    await emitArtifacts(artifacts, this.terminal, flags.force);
    const result: PfxImportCommandResult = {
      ...described,
      keyFile: keyPem === null ? null : (flags['out-key'] ?? null),
      certificateFile: flags['out-cert'],
      chainFile: chainPem === null ? null : (flags['out-chain'] ?? null),
    };
    if (!this.jsonEnabled()) this.renderHuman(result, keyPem !== null);
    return result;
  }

  private renderHuman(result: PfxImportCommandResult, hasKey: boolean): void {
    const { colour } = this.terminal;
    const protection = [
      result.legacy ? 'legacy' : null,
      result.algorithms.join(', ') || null,
      result.mac ? `MAC ${result.mac}` : 'no MAC',
    ]
      .filter(Boolean)
      .join('; ');
    this.log(`Read ${colour.bold(result.file)} (${protection}) 📦`);
    if (hasKey) {
      const where = result.keyFile
        ? `${colour.green('→')} ${result.keyFile}`
        : 'not written (use --out-key FILE)';
      const encrypted = result.keyEncrypted ? ' (encrypted)' : '';
      this.log(`  key: ${result.keyType}${encrypted} ${where}`);
    }
    this.log(
      `  certificate: "${result.certificate.subject}" ${colour.green('→')} ${result.certificateFile}`,
    );
    const count = result.chain.length;
    if (count > 0) {
      const what = `${count} certificate${count === 1 ? '' : 's'}`;
      const where = result.chainFile
        ? `${colour.green('→')} ${result.chainFile}`
        : 'not written (use --out-chain FILE)';
      this.log(`  chain: ${what} ${where}`);
    }
    if (result.otherBags.length > 0) this.log(`  left out: ${result.otherBags.join(', ')}`);
  }
}
