import * as Flags from '@oclif/core/flags';
import { UsageError } from '../src/errors.js';
import { PUBLIC_FILE_MODE } from '../src/io/atomic-write.js';
import { DIGESTS, type Digest } from '../src/pki/signature-algorithm.js';
import type { DistinguishedName } from '../src/pki/name.js';
import type { SubjectAltName } from '../src/pki/san.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { emitArtifacts, STDOUT } from './_lib/output.js';
import { passinProvider } from './_lib/passphrase.js';
import { createPrompter } from './_lib/prompter.js';

const SUBJECT_HINT = 'give it with --subject, e.g. --subject "/CN=example.com"';

export interface CsrCommandResult {
  /** `C=UK, O=node.js, CN=localhost` (encoding order). */
  subject: string;
  /** `CN=localhost,O=node.js,C=UK` (RFC 4514, most specific first). */
  subjectRfc4514: string;
  sans: SubjectAltName[];
  keyType: string;
  keyBits: number;
  curve: string | null;
  signatureAlgorithm: string;
  format: 'pem' | 'der';
  /** The file written, or null when the request went to standard output. */
  file: string | null;
  /** The request itself, PEM (whatever --format wrote). */
  pem: string;
}

export default class Csr extends TlskitCommand {
  static override summary = 'Create a certificate signing request (PKCS#10) for a key.';
  static override description =
    'Like `openssl req -new`: signs a PKCS#10 request with your private key, carrying the ' +
    'subject and any subject alternative names (in an extensionRequest). The subject takes ' +
    'openssl -subj syntax (/C=GB/O=Example/CN=example.com) or RFC 4514 (CN=example.com,O=Example). ' +
    'Without --subject, asks for each field on a terminal as openssl does ("." leaves one out). ' +
    'SANs are DNS:, IP:, email: or URI: values; a bare value is typed by its look. ' +
    'Writes PEM to standard output unless --out is given.';
  static override examples = [
    '<%= config.bin %> csr --key server.key --subject /CN=example.com --san example.com --san www.example.com --out server.csr',
    '<%= config.bin %> csr --key server.key --subject "CN=localhost,O=Test" --san localhost --san 127.0.0.1 --san ::1',
    '<%= config.bin %> csr --key ec.key --subject /C=GB/O=Example/CN=api.example.com --digest sha512 --out api.csr',
    '<%= config.bin %> csr --key enc.key --passin env:KEY_PASS --subject / --san "*.example.com" --out wild.csr   # empty subject: SAN only',
    '<%= config.bin %> csr --key server.key --out server.csr   # asks for the subject, like openssl req',
    '<%= config.bin %> csr --key server.key --subject /CN=example.com | openssl req -text -noout',
  ];

  static override flags = {
    key: Flags.string({
      char: 'k',
      description: 'Private key to sign with (PEM or DER, PKCS#8, PKCS#1 or SEC1).',
      required: true,
      helpValue: 'FILE',
    }),
    passin: commonFlags.passin,
    subject: Flags.string({
      char: 's',
      description:
        'Subject: /C=GB/O=Example/CN=example.com or CN=example.com,O=Example; "/" for none.',
      helpValue: 'TEXT',
    }),
    san: Flags.string({
      description: 'Subject alternative name: DNS:name, IP:addr, email:addr, URI:uri (repeatable).',
      multiple: true,
      helpValue: 'VALUE',
    }),
    digest: Flags.string({
      description: "Signature hash (default: sha256, or the EC curve's; none for Ed25519/Ed448).",
      options: [...DIGESTS],
    }),
    out: Flags.string({
      char: 'o',
      description: 'Where to write the request ("-" for standard output).',
      default: STDOUT,
      helpValue: 'FILE',
    }),
    format: Flags.string({
      description: 'Output encoding.',
      options: ['pem', 'der'],
      default: 'pem',
    }),
    force: commonFlags.force,
  };

  async run(): Promise<CsrCommandResult> {
    const { flags } = await this.parse(Csr);
    const [{ parseSubject, formatName }, { parseSan }, { createCsr }] = await Promise.all([
      import('../src/pki/name.js'),
      import('../src/pki/san.js'),
      import('../src/pki/csr.js'),
    ]);
    const { readInputFile } = await import('../src/io/read-input.js');
    const { loadPrivateKey, describeKey } = await import('../src/pki/keys.js');
    // Parse what the user typed before touching the key, so a typo never costs a passphrase.
    const givenSubject = flags.subject === undefined ? undefined : parseSubject(flags.subject);
    const sans = (flags.san ?? []).map(parseSan);
    if (givenSubject === undefined && !this.terminal.interactive) {
      throw new UsageError('no --subject given, and standard input is not a terminal to ask', {
        hint: SUBJECT_HINT,
      });
    }
    const key = await loadPrivateKey(await readInputFile(flags.key), {
      source: flags.key,
      passphrase: passinProvider(flags.passin, this.terminal),
    });
    const subject = givenSubject ?? (await this.askForSubject());
    const csr = createCsr({ key, subject, sans, digest: flags.digest as Digest | undefined });
    const format = flags.format as 'pem' | 'der';
    const toStdout = flags.out === STDOUT;
    // Under --json the request travels inside the JSON (as pem) instead of as raw bytes.
    const written =
      toStdout && this.jsonEnabled()
        ? []
        : await emitArtifacts(
            [
              {
                path: flags.out,
                data: format === 'pem' ? csr.pem : csr.der,
                mode: PUBLIC_FILE_MODE,
                secret: false,
              },
            ],
            this.terminal,
            flags.force,
          );
    const description = describeKey(key);
    const result: CsrCommandResult = {
      subject: formatName(subject, 'openssl'),
      subjectRfc4514: formatName(subject, 'rfc4514'),
      sans,
      keyType: description.type,
      keyBits: description.bits,
      curve: description.curve ?? null,
      signatureAlgorithm: csr.signatureAlgorithm.name,
      format,
      file: toStdout ? null : flags.out,
      pem: csr.pem,
    };
    if (written.length > 0) this.renderHuman(result);
    return result;
  }

  /** Field by field, like `openssl req` without -subj. */
  private async askForSubject(): Promise<DistinguishedName> {
    const { promptSubject } = await import('../src/pki/name.js');
    this.logToStderr('Enter the subject of the request; "." or nothing leaves a field out.');
    return promptSubject(createPrompter(this.terminal, SUBJECT_HINT));
  }

  private renderHuman(result: CsrCommandResult): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    const key = result.curve ?? `${result.keyBits}-bit`;
    const subject = result.subject === '' ? '(empty subject)' : `"${result.subject}"`;
    this.log(`Created a new certificate signing request for ${colour.bold(subject)} 📝`);
    if (result.sans.length > 0) {
      const names = result.sans.map((san) => `${san.type.toUpperCase()}:${san.value}`);
      this.log(`  names: ${names.join(', ')}`);
    }
    this.log(
      `  signed by the ${result.keyType.toUpperCase()} ${key} key (${result.signatureAlgorithm})`,
    );
    if (result.file) this.log(`  ${colour.green('→')} ${result.file}`);
  }
}
