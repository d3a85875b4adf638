import type { Socket } from 'node:net';
import { InternalError, messageOf, PeerError } from '../../errors.js';

export interface PlainDialogueOptions {
  /** Names the protocol in error messages ("SMTP"). */
  protocol: string;
  /** The whole dialogue, greeting to upgrade, must finish within this. */
  timeoutMs: number;
}

/** A plain-text line is at most this long (RFC 5321 §4.5.3.1.5 allows 512; servers pad). */
export const MAX_LINE_BYTES = 4096;
/** Nothing a STARTTLS dialogue says before the upgrade comes near this. */
const MAX_BUFFERED_BYTES = 64 * 1024;

interface Waiter {
  /** Takes what it needs from the buffer, or returns undefined to wait for more. */
  take(): Buffer | undefined;
  resolve(data: Buffer): void;
  reject(error: PeerError): void;
}

/**
 * The plain-text part of a connection before TLS: bounded reads (lines, byte counts, patterns)
 * under one deadline, and a hand-over that leaves the socket exactly at the upgrade point.
 *
 * Reads take bytes from a private buffer fed by 'data' events. `finish()` stops reading and
 * puts any bytes past the upgrade command back on the socket (`unshift`): when node:tls wraps
 * the socket it reads that buffer first, so the peer's ClientHello is never lost — and bytes
 * injected before the upgrade (CVE-2011-0411) reach the TLS parser, never the application.
 */
export class PlainDialogue {
  private buffer = Buffer.alloc(0);
  private waiter: Waiter | undefined;
  private failure: PeerError | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly socket: Socket,
    private readonly options: PlainDialogueOptions,
  ) {
    this.timer = setTimeout(
      () => this.fail(`the dialogue did not finish within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  /** One line without its CR LF (a bare LF also ends a line), at most `maxBytes` long. */
  async readLine(maxBytes = MAX_LINE_BYTES): Promise<string> {
    const line = await this.read(() => {
      const end = this.buffer.indexOf(0x0a);
      if (end === -1) {
        if (this.buffer.length > maxBytes) this.fail(`sent a line longer than ${maxBytes} bytes`);
        return undefined;
      }
      if (end > maxBytes) {
        this.fail(`sent a line longer than ${maxBytes} bytes`);
        return undefined;
      }
      return this.consume(end + 1);
    });
    return line.toString('utf8').replace(/\r?\n$/, '');
  }

  /** Exactly `count` bytes. */
  async readBytes(count: number): Promise<Buffer> {
    return this.read(() => (this.buffer.length >= count ? this.consume(count) : undefined));
  }

  /**
   * Text up to and including the first match of `pattern` (for XML, which has no lines), at most
   * `maxBytes`. The pattern must not be global.
   */
  async readUntil(pattern: RegExp, maxBytes: number, what: string): Promise<string> {
    const text = await this.read(() => {
      const match = pattern.exec(this.buffer.toString('utf8'));
      if (!match) {
        if (this.buffer.length > maxBytes)
          this.fail(`sent more than ${maxBytes} bytes without ${what}`);
        return undefined;
      }
      return this.consume(Buffer.byteLength(match.input.slice(0, match.index + match[0].length)));
    });
    return text.toString('utf8');
  }

  /** Puts bytes back in front of the buffer: they were not meant for the dialogue. */
  unread(data: Buffer): void {
    this.buffer = Buffer.concat([data, this.buffer]);
  }

  async send(data: string | Uint8Array): Promise<void> {
    this.throwIfFailed();
    await new Promise<void>((resolve, reject) => {
      this.socket.write(data, (error) => {
        if (error) {
          reject(
            new PeerError(
              `${this.options.protocol} STARTTLS: could not write to the peer: ${messageOf(error)}`,
              { cause: error },
            ),
          );
        } else resolve();
      });
    });
    this.throwIfFailed();
  }

  /**
   * Stops listening and leaves the socket at the upgrade point (see the class comment). Call it
   * before the last reply is written: the peer may answer that reply with its ClientHello at once.
   */
  handOver(): void {
    this.detach();
    this.socket.pause();
    if (this.buffer.length > 0) this.socket.unshift(this.buffer);
    this.buffer = Buffer.alloc(0);
  }

  /** Ends the dialogue without an upgrade: stops listening and destroys the socket. */
  abandon(): void {
    this.detach();
    // A late 'error' from the destroyed socket must not become an uncaught exception.
    this.socket.on('error', () => {});
    this.socket.destroy();
  }

  /** A PeerError naming the protocol: "SMTP STARTTLS: the server replied …". */
  error(message: string): PeerError {
    return new PeerError(`${this.options.protocol} STARTTLS: ${message}`, {
      hint: 'check that the peer speaks this protocol and offers STARTTLS',
    });
  }

  private async read(take: () => Buffer | undefined): Promise<Buffer> {
    if (this.waiter) throw new InternalError('PlainDialogue: one read at a time');
    // What arrived before the peer closed can still be read.
    const ready = take();
    if (ready) return ready;
    this.throwIfFailed();
    return new Promise<Buffer>((resolve, reject) => {
      this.waiter = { take, resolve, reject };
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_BUFFERED_BYTES) {
      this.fail(`sent more than ${MAX_BUFFERED_BYTES} bytes without an answer`);
      return;
    }
    this.serveWaiter();
  }

  private serveWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const data = waiter.take();
    if (this.failure || !data) return;
    this.waiter = undefined;
    waiter.resolve(data);
  }

  private consume(count: number): Buffer {
    const taken = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return Buffer.from(taken);
  }

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = this.error(message);
    clearTimeout(this.timer);
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(this.failure);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private detach(): void {
    clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
  }

  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.fail('the peer closed the connection before the upgrade');
  private readonly onClose = () => this.fail('the connection closed before the upgrade');
  private readonly onError = (error: Error) =>
    this.fail(`the connection failed: ${messageOf(error)}`);
}
