import { cipherSuiteById } from '../registry/cipher-suites.js';
import { ByteReader } from '../wire/byte-reader.js';
import { parseCertificateList, parseCertificateStatus } from './certificate.js';
import { HandshakeType, type HandshakeMessage } from './handshake.js';
import type { ServerHello } from './server-hello.js';
import { parseServerKeyExchange, type ServerKeyExchange } from './server-key-exchange.js';

/** What a TLS ≤ 1.2 server's first flight says, beyond its ServerHello. */
export interface FirstFlight {
  serverHello: ServerHello;
  /** The Certificate message's DER certificates, as sent (leaf first); null when absent. */
  certificates: Uint8Array[] | null;
  /** null when absent, or when the suite's key exchange is one a scan does not read. */
  serverKeyExchange: ServerKeyExchange | null;
  /** The stapled OCSP response (CertificateStatus), DER. */
  ocspResponse: Uint8Array | null;
  /** The server asked for a client certificate (CertificateRequest). */
  certificateRequested: boolean;
}

/** Decodes the messages after the ServerHello. Throws only ProbeParseError. */
export function readFirstFlight(
  serverHello: ServerHello,
  messages: readonly HandshakeMessage[],
): FirstFlight {
  const flight: FirstFlight = {
    serverHello,
    certificates: null,
    serverKeyExchange: null,
    ocspResponse: null,
    certificateRequested: false,
  };
  for (const message of messages) {
    switch (message.type) {
      case HandshakeType.certificate:
        flight.certificates = parseCertificateList(message.body);
        break;
      case HandshakeType.certificateStatus:
        flight.ocspResponse = parseCertificateStatus(message.body).response;
        break;
      case HandshakeType.serverKeyExchange:
        flight.serverKeyExchange = parseKeyExchangeFor(serverHello, message.body);
        break;
      case HandshakeType.certificateRequest:
        flight.certificateRequested = true;
        break;
      case HandshakeType.serverHelloDone:
        new ByteReader(message.body, 'ServerHelloDone').end();
        break;
      default:
        break;
    }
  }
  return flight;
}

function parseKeyExchangeFor(serverHello: ServerHello, body: Uint8Array): ServerKeyExchange | null {
  const suite = cipherSuiteById(serverHello.cipherSuite);
  if (
    !suite ||
    !['ECDHE', 'DHE', 'RSA', 'DHE_PSK', 'ECDHE_PSK', 'PSK', 'RSA_PSK'].includes(suite.kx)
  ) {
    return null;
  }
  return parseServerKeyExchange(body, {
    kx: suite.kx,
    anonymous: suite.au === 'anon',
    version: serverHello.version,
  });
}
