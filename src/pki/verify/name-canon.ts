import { DerTag, oidText, readChildren, readElement } from '../describe/der.js';

/**
 * A distinguished name in OpenSSL's canonical form (x509_name_canon): each RDN a sorted list of
 * `oid=value`, string values converted to Unicode, trimmed, inner white space collapsed to one
 * space and ASCII letters lower-cased. Two names match (X509_NAME_cmp) when their canonical
 * forms are equal; a directoryName constraint matches when its RDNs are a prefix (nc_dn).
 * This is RFC 5280 §7.1's comparison as OpenSSL implements it, so `CN=Root` issues for
 * `cn=root ` even when the two were encoded with different string types.
 */
export type CanonicalName = readonly string[][];

/** The canonical form of a DER-encoded Name. Throws RangeError on malformed DER. */
export function canonicalName(der: Uint8Array): CanonicalName {
  const sequence = readElement(der);
  if (sequence.tag !== DerTag.sequence) throw new RangeError('a Name is not a SEQUENCE');
  return readChildren(sequence.content).map((rdn) =>
    readChildren(rdn.content)
      .map((attribute) => {
        const [type, value] = readChildren(attribute.content);
        if (!type || !value || type.tag !== DerTag.oid) {
          throw new RangeError('malformed AttributeTypeAndValue');
        }
        return `${oidText(type.content)}=${canonicalValue(value.tag, value.content)}`;
      })
      .sort(),
  );
}

export function namesMatch(left: CanonicalName, right: CanonicalName): boolean {
  return keyOf(left) === keyOf(right);
}

/** True when `base`'s RDNs are the first RDNs of `name` (an empty base matches every name). */
export function nameHasPrefix(name: CanonicalName, base: CanonicalName): boolean {
  return base.length <= name.length && keyOf(name.slice(0, base.length)) === keyOf(base);
}

/** A string that is equal for equal canonical names (for maps and comparisons). */
export function keyOf(name: CanonicalName): string {
  return JSON.stringify(name);
}

/** The text of one value of the given canonical type, or undefined for other types. */
export function stringValue(tag: number, content: Uint8Array): string | undefined {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  switch (tag) {
    case STRING_TAGS.utf8:
      return bytes.toString('utf8');
    case STRING_TAGS.printable:
    case STRING_TAGS.ia5:
    case STRING_TAGS.visible:
    case STRING_TAGS.teletex: // OpenSSL reads T61String as Latin-1, one byte per character.
      return bytes.toString('latin1');
    case STRING_TAGS.bmp:
      return utf16be(bytes);
    case STRING_TAGS.universal:
      return utf32be(bytes);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/** ASN1_MASK_CANON: the string types OpenSSL canonicalises; others compare as their DER. */
const STRING_TAGS = {
  utf8: 0x0c,
  printable: 0x13,
  teletex: 0x14,
  ia5: 0x16,
  visible: 0x1a,
  universal: 0x1c,
  bmp: 0x1e,
} as const;

/** ossl_isspace: space, \t, \n, \v, \f, \r. */
const SPACES = /[ \t\n\v\f\r]+/g;

function canonicalValue(tag: number, content: Uint8Array): string {
  const text = stringValue(tag, content);
  if (text === undefined) return `#${tag.toString(16)}:${Buffer.from(content).toString('hex')}`;
  return text
    .replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '')
    .replace(SPACES, ' ')
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes.subarray(0, bytes.length & ~1));
  swapped.swap16();
  return swapped.toString('utf16le');
}

function utf32be(bytes: Buffer): string {
  let text = '';
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) {
    const codePoint = bytes.readUInt32BE(offset);
    text += codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\ufffd';
  }
  return text;
}
