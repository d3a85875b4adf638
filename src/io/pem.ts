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

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

/** True when the bytes look like PEM text rather than DER. */
export function looksLikePem(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 4096)).toString('latin1').includes('-----BEGIN ');
}

/**
 * Every PEM block in `text`, in order. Text around blocks is ignored (as openssl does with
 * `openssl x509 -text` output), but a block itself must be well-formed.
 */
export function decodePem(text: string, source = 'input'): PemBlock[] {
  const blocks: PemBlock[] = [];
  const lines = text.split(/\r?\n/);
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
      const header = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (header && body.length === 0) headers[header[1] as string] = header[2] as string;
      else if (BASE64_LINE.test(line)) body.push(line);
      else throw new InputError(`${source}: PEM block ${label} holds non-base64 text`);
    }
    if (!closed) throw new InputError(`${source}: PEM block ${label} is truncated (no END line)`);
    const der = Buffer.from(body.join(''), 'base64');
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
