import { createHash } from 'node:crypto';
import type { Server } from 'node:tls';
import { InputError } from '../../errors.js';
import { readDerHeader } from '../../io/pem.js';
import type { NewServerEvent } from './events.js';
import { readFileInput } from './inputs.js';
import type { FileInput } from './options.js';

const DER_SEQUENCE = 0x30;

/**
 * A DER OCSPResponse (RFC 6960 §4.2.1), as `openssl ocsp -respout` writes it. Only its framing
 * is checked: the client judges the contents, and a test may well want to staple a bad one.
 */
export async function readOcspResponse(input: FileInput): Promise<Buffer> {
  const { data, source } = await readFileInput(input, 'OCSP response');
  if (data[0] !== DER_SEQUENCE || readDerHeader(data)?.end !== data.length) {
    throw new InputError(`${source} is not a DER OCSP response`, {
      hint: 'give the file `openssl ocsp -respout FILE` writes (DER, not PEM or text)',
    });
  }
  return data;
}

/**
 * Staples `response` (the OCSPRequest event) when a client asks for the certificate status and
 * the server presents one of `fingerprints256` (its main certificates: the response says nothing
 * about a certificate chosen by SNI). Each request is reported as an `ocsp` event.
 */
export function attachOcspStapling(
  server: Server,
  response: Buffer,
  fingerprints256: readonly string[],
  report: (event: NewServerEvent) => void,
): void {
  const stapled = new Set(fingerprints256);
  server.on(
    'OCSPRequest',
    (certificate: Buffer, _issuer: Buffer, done: (error: Error | null, data?: Buffer) => void) => {
      const matches = stapled.has(fingerprint256(certificate));
      report({ type: 'ocsp', stapled: matches, bytes: matches ? response.length : 0 });
      done(null, matches ? response : undefined);
    },
  );
}

function fingerprint256(der: Buffer): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}
