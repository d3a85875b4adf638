import { InputError } from '../errors.js';

export interface PemBlock {
  /** The label between BEGIN and END, e.g. "CERTIFICATE". */
  label: string;
  /** RFC 1421 headers such as Proc-Type (only legacy encrypted keys have them). */
  headers: Record<string, string>;
  der: Buffer;
  /** The block's own text, BEGIN to END (what OpenSSL's PEM readers want). */
  text: string;
}

/** RFC 7468 §3 labels: printable ASCII, single hyphens or spaces between (e.g. "X9.42 DH PARAMETERS"). */
const LABEL = String.raw`([\x21-\x2c\x2e-\x7e]+(?:[- ][\x21-\x2c\x2e-\x7e]+)*)`;
const BEGIN = new RegExp(String.raw`^-----BEGIN ${LABEL}-----\s*$`);
const END = new RegExp(String.raw`^-----END ${LABEL}-----\s*$`);
const HEADER = /^([A-Za-z-]+):\s*(.*)$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;
/** Padding only at the end, and whole 4-character groups, as OpenSSL's decoder requires. */
const BASE64_BODY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DER_SEQUENCE = 0x30;

/**
 * True when the bytes look like PEM text rather than DER. A whole DER SEQUENCE (every key,
 * certificate and CSR) is DER; anything else is PEM if a BEGIN line appears anywhere, since
 * `openssl rsa -text` and `openssl x509 -text` can put pages of text before the block.
 */
export function looksLikePem(data: Uint8Array): boolean {
  if (data[0] === DER_SEQUENCE && readDerHeader(data)?.end === data.length) return false;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    .toString('latin1')
    .includes('-----BEGIN ');
}

/**
 * Every PEM block in `text`, in order. Text around blocks is ignored (as openssl does with
 * `openssl x509 -text` output), but a block itself must be well-formed.
 */
export function decodePem(text: string, source = 'input'): PemBlock[] {
  const blocks: PemBlock[] = [];
  // Windows editors save UTF-8 with a byte-order mark, which would hide the first BEGIN line.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const begin = BEGIN.exec(lines[index] ?? '');
    if (!begin) continue;
    const label = begin[1] as string;
    const first = index;
    const headers: Record<string, string> = {};
    const body: string[] = [];
    let closed = false;
    for (index++; index < lines.length; index++) {
      const line = (lines[index] ?? '').trim();
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label) {
          throw new InputError(`${source}: PEM block BEGIN ${label} ends with END ${end[1]}`);
        }
        closed = true;
        break;
      }
      const nextBegin = BEGIN.exec(line);
      if (nextBegin) {
        throw new InputError(
          `${source}: PEM block ${label} is truncated (BEGIN ${nextBegin[1]} before its END line)`,
        );
      }
      const header = HEADER.exec(line);
      if (header && body.length === 0) headers[header[1] as string] = header[2] as string;
      else if (BASE64_LINE.test(line)) body.push(line);
      else throw new InputError(`${source}: PEM block ${label} holds non-base64 text`);
    }
    if (!closed) throw new InputError(`${source}: PEM block ${label} is truncated (no END line)`);
    const base64 = body.join('');
    if (!BASE64_BODY.test(base64)) {
      throw new InputError(
        `${source}: PEM block ${label} is damaged (its base64 is cut or joined)`,
      );
    }
    const der = Buffer.from(base64, 'base64');
    if (der.length === 0) throw new InputError(`${source}: PEM block ${label} is empty`);
    blocks.push({ label, headers, der, text: lines.slice(first, index + 1).join('\n') + '\n' });
  }
  return blocks;
}

/** PEM text for one DER object, in 64-character lines as OpenSSL writes it. */
export function encodePem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The framing of one DER object: where its contents start and how long they are. */
export interface DerHeader {
  tag: number;
  /** Offset of the first content octet. */
  contentStart: number;
  contentLength: number;
  /** Offset just past the object. */
  end: number;
}

/**
 * The tag and length of the DER object at `offset`, or undefined if its header is malformed.
 * Single-octet tags only (every universal and context tag in keys and certificates).
 * X.690 §8.1.3: short-form length below 0x80, else 0x80 + the number of length octets (at
 * most 4 here: nothing tlskit reads is 4 GiB). The object may extend past the data (truncated).
 */
export function readDerHeader(data: Uint8Array, offset = 0): DerHeader | undefined {
  const tag = data[offset];
  const first = data[offset + 1];
  if (tag === undefined || first === undefined) return undefined;
  let contentStart = offset + 2;
  let contentLength = first;
  if (first >= 0x80) {
    const octets = first - 0x80;
    if (octets < 1 || octets > 4 || data.length < contentStart + octets) return undefined;
    contentLength = 0;
    for (let index = 0; index < octets; index++) {
      contentLength = contentLength * 0x100 + (data[contentStart + index] ?? 0);
    }
    contentStart += octets;
  }
  return { tag, contentStart, contentLength, end: contentStart + contentLength };
}
