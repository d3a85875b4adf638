import * as Flags from '@oclif/core/flags';
import { UsageError } from '../src/errors.js';
import {
  CURVES,
  KEY_TYPES,
  selectKeyStructure,
  type Curve,
  type KeyType,
} from '../src/pki/keys.js';
import { SECRET_FILE_MODE, PUBLIC_FILE_MODE } from '../src/io/atomic-write.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { emitArtifacts, STDOUT, type Artifact } from './_lib/output.js';
import { resolveNewPassphrase } from './_lib/passphrase.js';
import { withProgress } from './_lib/progress.js';

export default class Keygen extends TlskitCommand {
  static override summary = 'Generate a private key (RSA, EC, Ed25519 or Ed448).';
  static override description =
    'Like `openssl genrsa` / `openssl genpkey`: writes a PKCS#8 private key (0600), optionally ' +
    'encrypted (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256) and its public key.';
  static override examples = [
    '<%= config.bin %> keygen --out server.key',
    '<%= config.bin %> keygen --type ec --curve P-384 --out ec.key --pubout ec.pub',
    '<%= config.bin %> keygen --type ed25519 --out ed.key',
    '<%= config.bin %> keygen --bits 4096 --encrypt --out ca.key',
    'TLSKIT_PASS=secret <%= config.bin %> keygen --passout env:TLSKIT_PASS --out enc.key',
    '<%= config.bin %> keygen --traditional --out rsa.pem   # PKCS#1, like openssl genrsa -traditional',
  ];

  static override flags = {
    type: Flags.string({ description: 'Key algorithm.', options: [...KEY_TYPES], default: 'rsa' }),
    bits: Flags.integer({ description: 'RSA key size in bits (default 2048).' }),
    curve: Flags.string({ description: 'EC curve (default P-256).', options: [...CURVES] }),
    out: Flags.string({
      char: 'o',
      description: 'Private key file ("-" for standard output, never a terminal).',
      required: true,
      helpValue: 'FILE',
    }),
    pubout: Flags.string({
      description: 'Also write the public key (SPKI) here.',
      helpValue: 'FILE',
    }),
    format: Flags.string({
      description: 'Output encoding.',
      options: ['pem', 'der'],
      default: 'pem',
    }),
    traditional: Flags.boolean({
      description: 'Write PKCS#1 (RSA) or SEC1 (EC) instead of PKCS#8.',
    }),
    encrypt: Flags.boolean({
      description: 'Encrypt the key; asks for a passphrase on a terminal.',
    }),
    passout: commonFlags.passout,
    'allow-weak': commonFlags.allowWeak,
    force: commonFlags.force,
  };

  async run() {
    const { flags } = await this.parse(Keygen);
    const type = flags.type as KeyType;
    if (this.jsonEnabled() && [flags.out, flags.pubout].includes(STDOUT)) {
      throw new UsageError('--json and "-" (standard output) cannot share standard output', {
        hint: 'write the key to a file with --out FILE',
      });
    }
    const encrypt = flags.encrypt || flags.passout !== undefined;
    const { keygen } = await import('../src/pki/keygen.js');
    // Refuse an impossible combination before asking for a passphrase.
    selectKeyStructure(type, {
      traditional: flags.traditional,
      passphrase: encrypt ? '' : undefined,
    });
    const passphrase = encrypt
      ? await resolveNewPassphrase(flags.passout, this.terminal, 'passphrase for the new key')
      : undefined;
    const generate = () =>
      keygen({
        type,
        bits: flags.bits,
        curve: flags.curve as Curve | undefined,
        allowWeak: flags['allow-weak'],
        format: flags.format as 'pem' | 'der',
        traditional: flags.traditional,
        passphrase,
      });
    // Big RSA keys take seconds: show it on a terminal.
    const slow = type === 'rsa' && (flags.bits ?? 2048) >= 3072;
    const result = slow
      ? await withProgress(this.terminal, `Generating an RSA ${flags.bits}-bit key`, generate)
      : await generate();
    const artifacts: Artifact[] = [
      { path: flags.out, data: result.privateKey, mode: SECRET_FILE_MODE, secret: true },
    ];
    if (flags.pubout) {
      artifacts.push({
        path: flags.pubout,
        data: result.publicKey,
        mode: PUBLIC_FILE_MODE,
        secret: false,
      });
    }
    const written = await emitArtifacts(artifacts, this.terminal, flags.force);
    const summary = {
      type: result.key.type,
      bits: result.key.bits,
      curve: result.key.curve ?? null,
      format: result.format,
      encoding: result.encoding,
      encrypted: result.encrypted,
      publicKeySha256: result.publicKeySha256,
      files: written,
    };
    // Like openssl, nothing but the key when it is the only output; notes when files were written.
    if (written.length > 0) {
      this.renderHuman(
        summary,
        artifacts.some((artifact) => artifact.path === STDOUT),
      );
    }
    return summary;
  }

  private renderHuman(
    summary: {
      type: string;
      bits: number;
      curve: string | null;
      encrypted: boolean;
      files: string[];
    },
    keyMaterialOnStdout: boolean,
  ): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    const what = summary.curve
      ? `${summary.type.toUpperCase()} ${summary.curve}`
      : `${summary.type.toUpperCase()} ${summary.bits}-bit`;
    const encrypted = summary.encrypted ? ' (encrypted)' : '';
    // Notes go to stderr when key material itself is on stdout.
    const say = (line: string) => (keyMaterialOnStdout ? this.logToStderr(line) : this.log(line));
    say(`Created a new ${colour.bold(what)} private key${encrypted} 🔑`);
    for (const file of summary.files) say(`  ${colour.green('→')} ${file}`);
  }
}
