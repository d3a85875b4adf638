import { Duplex } from 'node:stream';
import { connect } from 'node:tls';
import { errorCode, InputError, InternalError, messageOf } from '../../errors.js';

export interface ProbeOptions {
  /**
   * Ignore the security level (append `@SECLEVEL=0`), so that the list is the cipher string's
   * whole expansion as `openssl ciphers -v` prints it, anonymous and NULL suites included.
   */
  ignoreSecurityLevel?: boolean;
  timeoutMs?: number;
}

/**
 * The cipher suites Node's OpenSSL offers for a cipher string, in its order: node:tls has no API
 * that expands one, so a client with `ciphers: spec` writes its ClientHello into an in-memory
 * stream, which is read and parsed (RFC 8446 §4.1.2), then dropped. Nothing touches the network.
 *
 * The client is given a pskCallback so that PSK suites are not masked out (OpenSSL offers them
 * only when PSK is configured); SRP suites never appear (Node has no SRP). The signalling values
 * TLS_EMPTY_RENEGOTIATION_INFO_SCSV and TLS_FALLBACK_SCSV are not suites and are left out.
 */
export async function offeredCipherSuites(
  spec: string,
  options: ProbeOptions = {},
): Promise<number[]> {
  if (spec.trim() === '') {
    // Node would quietly use its default list for an empty string.
    throw new InputError('no cipher suite matches ""', { hint: 'give a cipher string' });
  }
  // TLS 1.3 suites have no security-level filter, and "@SECLEVEL=0" alone matches no suite.
  const levelZero = options.ignoreSecurityLevel && namesTls12Suites(spec);
  const ciphers = levelZero ? `${spec}:@SECLEVEL=0` : spec;
  const hello = await captureClientHello(ciphers, spec, options.timeoutMs ?? 5_000);
  return cipherSuitesOf(hello).filter((id) => !SIGNALLING_VALUES.has(id));
}

/**
 * Node's `ciphers` option sends `TLS_…` words to OpenSSL's TLS 1.3 list and the rest to the
 * TLS 1.2 cipher string (lib/internal/tls/secure-context.js, processCiphers).
 */
function namesTls12Suites(spec: string): boolean {
  return spec.split(':').some((word) => word !== '' && !/^!?TLS_/.test(word));
}

/** RFC 5746 §3.3 and RFC 7507: code points in the list that are signals, not suites. */
const SIGNALLING_VALUES = new Set([0x00ff, 0x5600]);

const RECORD_HEADER_BYTES = 5;
const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;

function captureClientHello(ciphers: string, spec: string, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      // The hello is written synchronously inside connect(): destroy once connect has returned.
      setImmediate(() => socket?.destroy());
    };
    const wire = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        const record = Buffer.concat(chunks);
        if (record.length >= RECORD_HEADER_BYTES) {
          const end = RECORD_HEADER_BYTES + record.readUInt16BE(3);
          if (record.length >= end) finish(() => resolve(record.subarray(0, end)));
        }
        callback();
      },
    });
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new InternalError('Node wrote no ClientHello to expand the cipher string')),
        ),
      timeoutMs,
    );
    let socket: ReturnType<typeof connect> | undefined;
    try {
      socket = connect({
        socket: wire,
        ciphers,
        pskCallback: () => ({ identity: 'tlskit-probe', psk: Buffer.alloc(32) }),
        checkServerIdentity: () => undefined,
      });
      // Before the hello an error is the answer; after it, the destroyed socket's noise.
      socket.on('error', (error) => finish(() => reject(cipherStringError(spec, error))));
    } catch (error) {
      finish(() => reject(cipherStringError(spec, error)));
    }
  });
}

/**
 * ClientHello inside one TLS record: type, version, length; handshake type and 24-bit length;
 * legacy_version, random (32), legacy_session_id <0..32>, cipher_suites <2..2^16-2>.
 */
function cipherSuitesOf(record: Buffer): number[] {
  try {
    if (record[0] !== HANDSHAKE_RECORD || record[RECORD_HEADER_BYTES] !== CLIENT_HELLO) {
      throw new RangeError('the first record is not a ClientHello');
    }
    let offset = RECORD_HEADER_BYTES + 4 + 2 + 32;
    offset += 1 + readByte(record, offset);
    const length = record.readUInt16BE(offset);
    offset += 2;
    if (length % 2 !== 0 || offset + length > record.length) {
      throw new RangeError('the cipher_suites list runs past the record');
    }
    const ids: number[] = [];
    for (let index = 0; index < length; index += 2) ids.push(record.readUInt16BE(offset + index));
    return ids;
  } catch (error) {
    throw new InternalError(`could not read Node's ClientHello: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

function readByte(data: Buffer, offset: number): number {
  const value = data[offset];
  if (value === undefined) throw new RangeError('the ClientHello is cut short');
  return value;
}

/** OpenSSL matched nothing (ERR_SSL_NO_CIPHER_MATCH), or Node refused the string outright. */
function cipherStringError(spec: string, error: unknown): InputError {
  const known = ['ERR_SSL_NO_CIPHER_MATCH', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_ARG_TYPE'];
  if (known.includes(errorCode(error) ?? '') || /no cipher match/i.test(messageOf(error))) {
    return new InputError(`no cipher suite matches "${spec}"`, {
      hint: 'use OpenSSL cipher-string words (HIGH, ECDHE+AESGCM, !aNULL…) or suite names',
      cause: error,
    });
  }
  return new InputError(`Node rejects the cipher string "${spec}": ${messageOf(error)}`, {
    cause: error,
  });
}
