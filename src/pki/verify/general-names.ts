import { DerTag, oidText, readChildren, readElement, type DerElement } from '../describe/der.js';

/** The GeneralName choices of RFC 5280 §4.2.1.6, by their context tag number. */
export type GeneralNameKind =
  'otherName' | 'email' | 'dns' | 'x400' | 'dirName' | 'edi' | 'uri' | 'ip' | 'registeredId';

/**
 * One GeneralName exactly as encoded: matching compares these bytes (an iPAddress of 8 bytes is
 * an address and a mask, a dNSName may hold any octets), which a decoder that turns names into
 * display text would lose.
 */
export interface RawGeneralName {
  kind: GeneralNameKind;
  /** The content octets; for dirName, the whole Name element (its DER). */
  bytes: Uint8Array;
  /** IA5String kinds (email, dns, uri) as Latin-1 text, octet for octet. */
  text: string;
  /** otherName: the type-id OID. */
  otherNameType?: string;
}

const KINDS: readonly GeneralNameKind[] = [
  'otherName',
  'email',
  'dns',
  'x400',
  'dirName',
  'edi',
  'uri',
  'ip',
  'registeredId',
];

/** A SEQUENCE OF GeneralName (subjectAltName's value). Throws RangeError on malformed DER. */
export function decodeGeneralNames(der: Uint8Array): RawGeneralName[] {
  const sequence = readElement(der);
  if (sequence.tag !== DerTag.sequence || sequence.end !== der.length) {
    throw new RangeError('GeneralNames is not one SEQUENCE');
  }
  return readChildren(sequence.content).map(decodeGeneralName);
}

export function decodeGeneralName(element: DerElement): RawGeneralName {
  const kind = KINDS[element.tag & 0x1f];
  if ((element.tag & 0xc0) !== 0x80 || kind === undefined) {
    throw new RangeError(`unknown GeneralName tag 0x${element.tag.toString(16)}`);
  }
  const text = Buffer.from(element.content).toString('latin1');
  if (kind === 'dirName') {
    const name = readElement(element.content);
    return { kind, bytes: element.content.subarray(0, name.end), text };
  }
  if (kind === 'otherName') {
    const [type] = readChildren(element.content);
    if (!type || type.tag !== DerTag.oid) throw new RangeError('otherName without a type-id');
    return { kind, bytes: element.content, text, otherNameType: oidText(type.content) };
  }
  return { kind, bytes: element.content, text };
}
