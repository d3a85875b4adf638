import type { PlainDialogue } from './plain-dialogue.js';
import type { StarttlsDialogue } from './protocol.js';

/**
 * PostgreSQL, protocol §53.2.9 "SSL Session Encryption": the client sends an SSLRequest (length 8,
 * code 80877103), the server answers one byte, 'S' to upgrade or 'N' to refuse.
 */
const REQUEST_LENGTH = 8;
const SSL_REQUEST_CODE = 0x04d2162f;
/** GSSENCRequest (80877104): libpq may try GSS encryption first; 'N' sends it on to SSL. */
const GSSENC_REQUEST_CODE = 0x04d21630;
/** A StartupMessage for protocol 3.0: a client that did not ask for encryption. */
const STARTUP_PROTOCOL_3 = 0x00030000;
/** A TLS handshake record: PostgreSQL 17's direct SSL (sslnegotiation=direct) skips the request. */
const TLS_HANDSHAKE_RECORD = 0x16;
/** GSS, then SSL: a client asks at most twice before it must send its request or hang up. */
const MAX_REQUESTS = 2;

export const postgres: StarttlsDialogue = {
  label: 'PostgreSQL',

  async accept(dialogue) {
    for (let count = 0; count < MAX_REQUESTS; count++) {
      const request = await dialogue.readBytes(REQUEST_LENGTH);
      if (request[0] === TLS_HANDSHAKE_RECORD) {
        dialogue.unread(request);
        return '';
      }
      const length = request.readUInt32BE(0);
      const code = request.readUInt32BE(4);
      if (length === REQUEST_LENGTH && code === SSL_REQUEST_CODE) return 'S';
      if (length === REQUEST_LENGTH && code === GSSENC_REQUEST_CODE) {
        await dialogue.send('N');
        continue;
      }
      if (code === STARTUP_PROTOCOL_3) {
        await dialogue.send(errorResponse('SSL is required (tlskit accepts SSL connections only)'));
        throw dialogue.error('the client sent a StartupMessage without asking for SSL');
      }
      throw dialogue.error(`the client sent 0x${request.toString('hex')}, not an SSLRequest`);
    }
    throw dialogue.error('the client did not send an SSLRequest');
  },

  async request(dialogue) {
    const request = Buffer.alloc(REQUEST_LENGTH);
    request.writeUInt32BE(REQUEST_LENGTH, 0);
    request.writeUInt32BE(SSL_REQUEST_CODE, 4);
    await dialogue.send(request);
    const answer = String.fromCharCode((await dialogue.readBytes(1))[0] ?? 0);
    if (answer !== 'S') throw refusal(dialogue, answer);
  },
};

function refusal(dialogue: PlainDialogue, answer: string): Error {
  if (answer === 'N') return dialogue.error('the server does not accept SSL (it answered N)');
  if (answer === 'E') {
    return dialogue.error('the server answered the SSLRequest with an error message');
  }
  return dialogue.error(
    `the server answered the SSLRequest with 0x${answer.charCodeAt(0).toString(16)}`,
  );
}

/** An ErrorResponse (protocol §55.7): severity FATAL, SQLSTATE 28000, and a message. */
function errorResponse(message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C28000\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeUInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
