import { X509Certificate } from 'node:crypto';
import { InputError, messageOf } from '../../errors.js';
import { decodePem, looksLikePem, readDerHeader } from '../../io/pem.js';
import { readInputFile } from '../../io/read-input.js';
import type { FileInput } from './options.js';

/** Bytes of a file input, with a name for messages (the path, or `what` for in-memory data). */
export interface ReadInput {
  data: Buffer;
  source: string;
}

export async function readFileInput(input: FileInput, what: string): Promise<ReadInput> {
  if (typeof input === 'string') return { data: await readInputFile(input), source: input };
  if (input.length === 0) throw new InputError(`${what} is empty`);
  return { data: Buffer.from(input), source: what };
}

/**
 * Every certificate in a PEM bundle (other blocks ignored), or the one DER certificate. Node's
 * tls options take PEM only, so DER is what tlskit converts; the rest is checked here because
 * Node silently skips a `ca` entry it cannot parse.
 */
export function readCertificates({ data, source }: ReadInput): X509Certificate[] {
  if (!looksLikePem(data)) checkDerFraming(data, source);
  const ders = looksLikePem(data)
    ? decodePem(data.toString('utf8'), source)
        .filter((block) => block.label === 'CERTIFICATE' || block.label === 'TRUSTED CERTIFICATE')
        .map((block) => block.der)
    : [data];
  if (ders.length === 0) {
    throw new InputError(`${source} holds no certificate`, {
      hint: 'give PEM certificates (-----BEGIN CERTIFICATE-----) or one DER certificate',
    });
  }
  return ders.map((der, index) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      const which = ders.length > 1 ? ` (certificate ${index + 1})` : '';
      throw new InputError(`${source}${which} is not a valid certificate (${messageOf(error)})`, {
        hint: 'give an X.509 certificate in PEM or DER',
        cause: error,
      });
    }
  });
}

/** PEM text of certificates, concatenated: the form node:tls takes. */
export function certificatesPem(certificates: readonly X509Certificate[]): string {
  return certificates.map((certificate) => certificate.toString()).join('');
}

/** `CN=localhost, O=tlskit` from Node's one-attribute-per-line form. */
export function formatX509Name(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** A DER certificate is one SEQUENCE filling the file: say so before a parser's cryptic error. */
function checkDerFraming(data: Buffer, source: string): void {
  const hint = 'give an X.509 certificate in PEM (-----BEGIN CERTIFICATE-----) or DER';
  const header = readDerHeader(data);
  if (data[0] !== 0x30 || !header) {
    throw new InputError(`${source} is neither PEM nor DER (no ASN.1 SEQUENCE at its start)`, {
      hint,
    });
  }
  if (header.end > data.length) {
    throw new InputError(
      `${source} is truncated: its DER says ${header.end} bytes, the file has ${data.length}`,
      { hint },
    );
  }
}
