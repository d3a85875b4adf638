import { parseAlert, type Alert } from '../messages/alert.js';
import { HandshakeStream, HandshakeType, type HandshakeMessage } from '../messages/handshake.js';
import { ContentType, RecordStream } from '../messages/record.js';
import { isTls13, parseServerHello, type ServerHello } from '../messages/server-hello.js';
import {
  parseSslv2ServerMessage,
  sslv2RecordLength,
  type Sslv2ServerMessage,
} from '../messages/sslv2.js';
import { ProbeParseError } from '../wire/probe-parse-error.js';

/** How much of the server's answer a probe needs. */
export type ReadUntil =
  /** The ServerHello (or HelloRetryRequest) alone: protocol and suite probes. */
  | 'server-hello'
  /** The whole first flight up to ServerHelloDone (TLS ≤ 1.2): certificates, key exchange. */
  | 'server-hello-done'
  /** An SSLv2 SERVER-HELLO. */
  | 'sslv2';

/** What the server's bytes amounted to, once they settle it. */
export type FlightResult =
  | { kind: 'handshake'; serverHello: ServerHello; messages: HandshakeMessage[] }
  | { kind: 'alert'; alert: Alert; serverHello: ServerHello | null }
  | { kind: 'sslv2'; message: Sslv2ServerMessage };

/**
 * Consumes the server's bytes as they arrive and decides when a probe has what it needs. Pure:
 * no sockets, so it is tested with recorded and random bytes. Throws only ProbeParseError.
 */
export class FlightReader {
  private readonly records = new RecordStream();
  private readonly handshake: HandshakeStream;
  private readonly messages: HandshakeMessage[] = [];
  private serverHello: ServerHello | null = null;
  private sslv2Bytes = new Uint8Array(0);
  private mode: 'undecided' | 'tls' | 'sslv2' = 'undecided';

  constructor(
    private readonly until: ReadUntil,
    maxMessageBytes: number,
  ) {
    this.handshake = new HandshakeStream(maxMessageBytes);
  }

  /** Feeds bytes; returns the result as soon as it is settled, else undefined. */
  push(chunk: Uint8Array): FlightResult | undefined {
    if (chunk.length === 0) return undefined;
    if (this.mode === 'undecided') this.mode = this.decideMode(chunk);
    if (this.mode === 'sslv2') return this.pushSslv2(chunk);
    this.records.push(chunk);
    for (let record = this.records.next(); record; record = this.records.next()) {
      const result = this.consumeRecord(record.contentType, record.fragment);
      if (result) return result;
    }
    return undefined;
  }

  /** For "closed early" findings: did the server start a ServerHello at all? */
  get sawServerHello(): boolean {
    return this.serverHello !== null;
  }

  private decideMode(chunk: Uint8Array): 'tls' | 'sslv2' {
    // An SSLv2 record header has its high bit set; a TLS record starts with a content type.
    return this.until === 'sslv2' && ((chunk[0] as number) & 0x80) !== 0 ? 'sslv2' : 'tls';
  }

  private pushSslv2(chunk: Uint8Array): FlightResult | undefined {
    const joined = new Uint8Array(this.sslv2Bytes.length + chunk.length);
    joined.set(this.sslv2Bytes);
    joined.set(chunk, this.sslv2Bytes.length);
    this.sslv2Bytes = joined;
    const length = sslv2RecordLength(joined);
    if (length === undefined || joined.length < length) return undefined;
    return { kind: 'sslv2', message: parseSslv2ServerMessage(joined.subarray(0, length)) };
  }

  private consumeRecord(contentType: number, fragment: Uint8Array): FlightResult | undefined {
    switch (contentType) {
      case ContentType.alert:
        return { kind: 'alert', alert: parseAlert(fragment), serverHello: this.serverHello };
      case ContentType.handshake:
        this.handshake.push(fragment);
        return this.consumeHandshakeMessages();
      case ContentType.changeCipherSpec:
        // TLS 1.3 middlebox compatibility sends one after the ServerHello; before it, it is wrong.
        if (!this.serverHello) throw new ProbeParseError('ChangeCipherSpec before ServerHello');
        return this.finishedFlight();
      case ContentType.applicationData:
        if (!this.serverHello) throw new ProbeParseError('application data before ServerHello');
        return this.finishedFlight();
      default:
        // Heartbeat and the like: ignored.
        return undefined;
    }
  }

  private consumeHandshakeMessages(): FlightResult | undefined {
    for (let message = this.handshake.next(); message; message = this.handshake.next()) {
      if (message.type === HandshakeType.helloRequest) continue;
      if (!this.serverHello) {
        if (message.type !== HandshakeType.serverHello) {
          throw new ProbeParseError(
            `expected ServerHello, got handshake message type ${message.type}`,
          );
        }
        this.serverHello = parseServerHello(message.body);
      }
      this.messages.push(message);
      if (this.isComplete(message)) return this.finishedFlight();
    }
    return undefined;
  }

  private isComplete(message: HandshakeMessage): boolean {
    const hello = this.serverHello as ServerHello;
    if (this.until !== 'server-hello-done') return true;
    // TLS 1.3 encrypts everything after the ServerHello; a HelloRetryRequest ends the flight.
    if (isTls13(hello) || hello.kind === 'hello-retry-request') return true;
    return message.type === HandshakeType.serverHelloDone;
  }

  private finishedFlight(): FlightResult {
    return {
      kind: 'handshake',
      serverHello: this.serverHello as ServerHello,
      messages: this.messages,
    };
  }
}
