import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { InputError } from '../errors.js';
import type { Prompter } from '../io/prompter.js';

/** One attribute of a distinguished name: `type` is the short name (or the OID if unknown). */
export interface NameAttribute {
  type: string;
  oid: string;
  value: string;
}

/**
 * A distinguished name in encoding order (the first RDN is usually C). Each RDN holds one
 * attribute, or several for a multi-valued RDN such as `CN=a+UID=b`.
 */
export type DistinguishedName = NameAttribute[][];

export type NameStyle = 'openssl' | 'rfc4514';

/**
 * Parses a subject in openssl `-subj` syntax (`/C=UK/O=node.js/CN=localhost`, `\` escapes the
 * next character, `+` joins a multi-valued RDN) or as an RFC 4514 string (`CN=localhost,O=node.js`,
 * most specific first). Text starting with `/` is openssl syntax; anything else is RFC 4514.
 * `/` alone is the empty name.
 */
export function parseSubject(text: string): DistinguishedName {
  if (text.trim() === '') {
    throw new InputError('the subject is empty', {
      hint: 'give one like /CN=example.com, or "/" for an empty subject',
    });
  }
  const rdns = text.startsWith('/') ? splitOpensslSubj(text) : splitRfc4514(text).reverse();
  return rdns.map((rdn) => rdn.map((pair) => checkAttribute(pair, text)));
}

/** The asn1-x509 Name, with string types as OpenSSL's default `utf8only` mask chooses them. */
export function encodeName(dn: DistinguishedName): Name {
  return new Name(
    dn.map((rdn) => new RelativeDistinguishedName(sortSetOf(rdn.map(encodeAttribute)))),
  );
}

/** The typed form of an encoded Name; values of unknown string types show as `#` + DER hex. */
export function decodeName(name: Name): DistinguishedName {
  // Array.from, not map: map on an AsnArray subclass would build Name and RDN objects.
  return Array.from(name, (rdn) =>
    Array.from(rdn, (pair) => ({
      type: ATTRIBUTES_BY_OID.get(pair.type)?.type ?? pair.type,
      oid: pair.type,
      value: decodeValue(pair.value),
    })),
  );
}

/**
 * Text for a name.
 * - 'openssl': encoding order, `C=UK, ST=Acknack Ltd, O=node.js, CN=localhost`, multi-valued RDNs
 *   joined by ` + `. This is OpenSSL 3's default `oneline` output (`subject=C = UK, …`) without
 *   the spaces around `=`, so that each attribute reads as one token, as in the -subj it came from.
 * - 'rfc4514': most specific RDN first, `CN=localhost,O=node.js,ST=Acknack Ltd,C=UK`, as
 *   `openssl … -nameopt RFC2253` prints it. Unknown OIDs keep a string value rather than the
 *   `#`-hex BER form, so that parseSubject reads the text back.
 * Both escape `,+"\<>;` and leading `#`/space and trailing space with a backslash.
 */
export function formatName(dn: DistinguishedName, style: NameStyle): string {
  const formatRdn = (rdn: NameAttribute[], joiner: string) =>
    rdn.map((pair) => `${pair.type}=${escapeRfc4514(pair.value)}`).join(joiner);
  if (style === 'openssl') return dn.map((rdn) => formatRdn(rdn, ' + ')).join(', ');
  return [...dn]
    .reverse()
    .map((rdn) => formatRdn(rdn, '+'))
    .join(',');
}

/** openssl `-subj` text (`/C=UK/O=node.js/CN=a+UID=b`) that parseSubject reads back unchanged. */
export function formatOpensslSubj(dn: DistinguishedName): string {
  if (dn.length === 0) return '/';
  const escape = (text: string) => text.replace(/[\\/+]/g, (character) => `\\${character}`);
  return dn
    .map((rdn) => '/' + rdn.map((pair) => `${escape(pair.type)}=${escape(pair.value)}`).join('+'))
    .join('');
}

/** The questions `openssl req` asks with its default config, in its order and words. */
const SUBJECT_QUESTIONS: ReadonlyArray<{ type: string; question: string }> = [
  { type: 'C', question: 'Country Name (2 letter code)' },
  { type: 'ST', question: 'State or Province Name (full name)' },
  { type: 'L', question: 'Locality Name (eg, city)' },
  { type: 'O', question: 'Organization Name (eg, company)' },
  { type: 'OU', question: 'Organizational Unit Name (eg, section)' },
  { type: 'CN', question: 'Common Name (e.g. server FQDN or YOUR name)' },
  { type: 'emailAddress', question: 'Email Address' },
];

/**
 * Asks for the subject field by field, as `openssl req` does without -subj. An empty answer or
 * "." leaves the field out; a bad value is an InputError naming the field.
 */
export async function promptSubject(prompter: Prompter): Promise<DistinguishedName> {
  const dn: DistinguishedName = [];
  for (const { type, question } of SUBJECT_QUESTIONS) {
    const value = (await prompter.input(question)).trim();
    if (value === '' || value === '.') continue;
    dn.push([checkAttribute({ type, value }, `${type}=${value}`)]);
  }
  return dn;
}

// ---------------------------------------------------------------------------------------------

type StringType = 'printable' | 'ia5' | 'utf8';

interface AttributeSpec {
  type: string;
  oid: string;
  /** Long names accepted on input, as OpenSSL's object table spells them. */
  aliases: string[];
  stringType: StringType;
  /** Upper bounds from RFC 5280 Appendix A (ub-*), as OpenSSL's a_strnid.c enforces them. */
  maxLength?: number;
}

const UB_NAME = 32768;

/**
 * String types follow OpenSSL's a_strnid.c with the default `string_mask = utf8only`: fixed
 * types (C, serialNumber and dnQualifier PrintableString; emailAddress and DC IA5String) are
 * not subject to the mask, everything else is a DirectoryString and so UTF8String.
 */
const ATTRIBUTES: readonly AttributeSpec[] = [
  spec('C', '2.5.4.6', ['countryName'], 'printable', 2),
  spec('ST', '2.5.4.8', ['stateOrProvinceName', 'S'], 'utf8', 128),
  spec('L', '2.5.4.7', ['localityName'], 'utf8', 128),
  spec('O', '2.5.4.10', ['organizationName'], 'utf8', 64),
  spec('OU', '2.5.4.11', ['organizationalUnitName'], 'utf8', 64),
  spec('CN', '2.5.4.3', ['commonName'], 'utf8', 64),
  spec('emailAddress', '1.2.840.113549.1.9.1', ['E', 'email'], 'ia5', 128),
  spec('serialNumber', '2.5.4.5', [], 'printable', 64),
  spec('DC', '0.9.2342.19200300.100.1.25', ['domainComponent'], 'ia5'),
  spec('UID', '0.9.2342.19200300.100.1.1', ['userId'], 'utf8'),
  spec('street', '2.5.4.9', ['streetAddress'], 'utf8'),
  spec('title', '2.5.4.12', [], 'utf8', 64),
  spec('GN', '2.5.4.42', ['givenName'], 'utf8', UB_NAME),
  spec('SN', '2.5.4.4', ['surname'], 'utf8', UB_NAME),
  spec('initials', '2.5.4.43', [], 'utf8', UB_NAME),
  spec('pseudonym', '2.5.4.65', [], 'utf8', 128),
  spec('postalCode', '2.5.4.17', [], 'utf8', 40),
  spec('dnQualifier', '2.5.4.46', [], 'printable'),
  spec('organizationIdentifier', '2.5.4.97', [], 'utf8'),
  spec('businessCategory', '2.5.4.15', [], 'utf8', 128),
  spec('description', '2.5.4.13', [], 'utf8', 1024),
  spec('name', '2.5.4.41', [], 'utf8', UB_NAME),
  spec('generationQualifier', '2.5.4.44', [], 'utf8', UB_NAME),
  // The EV jurisdiction of incorporation (CA/Browser Forum EV Guidelines 9.2.4).
  spec('jurisdictionL', '1.3.6.1.4.1.311.60.2.1.1', ['jurisdictionLocalityName'], 'utf8', 128),
  spec(
    'jurisdictionST',
    '1.3.6.1.4.1.311.60.2.1.2',
    ['jurisdictionStateOrProvinceName'],
    'utf8',
    128,
  ),
  spec('jurisdictionC', '1.3.6.1.4.1.311.60.2.1.3', ['jurisdictionCountryName'], 'printable', 2),
];

const ATTRIBUTES_BY_OID = new Map(ATTRIBUTES.map((attribute) => [attribute.oid, attribute]));
const ATTRIBUTES_BY_NAME = new Map(
  ATTRIBUTES.flatMap((attribute) =>
    [attribute.type, ...attribute.aliases].map((name) => [name.toLowerCase(), attribute] as const),
  ),
);

function spec(
  type: string,
  oid: string,
  aliases: string[],
  stringType: StringType,
  maxLength?: number,
): AttributeSpec {
  return { type, oid, aliases, stringType, maxLength };
}

/** An attribute as written, before its type is looked up and its value checked. */
interface RawPair {
  type: string;
  value: string;
}

/**
 * openssl's parse_name(): `/type=value` pairs; a backslash makes the next character literal;
 * an unescaped `+` starts another attribute of the same RDN.
 */
function splitOpensslSubj(text: string): RawPair[][] {
  const rdns: RawPair[][] = [];
  let index = 1; // past the leading '/'
  while (index < text.length) {
    const rdn: RawPair[] = [];
    for (;;) {
      const type = readUntil(text, index, '=/+');
      if (text[type.end] !== '=') {
        throw new InputError(`subject "${text}": "${type.text}" has no "=value"`, {
          hint: 'write each attribute as /TYPE=value, e.g. /CN=example.com',
        });
      }
      const value = readUntil(text, type.end + 1, '/+');
      rdn.push({ type: type.text, value: value.text });
      index = value.end + 1;
      if (text[value.end] !== '+') break;
    }
    rdns.push(rdn);
  }
  return rdns;
}

/** Text from `start` up to (not including) an unescaped stop character, backslashes removed. */
function readUntil(text: string, start: number, stops: string): { text: string; end: number } {
  let result = '';
  let index = start;
  for (; index < text.length && !stops.includes(text[index] as string); index++) {
    if (text[index] === '\\') {
      index++;
      if (index >= text.length) {
        throw new InputError(`subject "${text}" ends with a lone backslash`, {
          hint: 'escape a literal backslash as \\\\',
        });
      }
    }
    result += text[index];
  }
  return { text: result, end: index };
}

/**
 * RFC 4514, read as leniently as OpenSSL reads names: spaces around separators are ignored,
 * values may be quoted, `\` escapes a special character or gives a byte as two hex digits.
 * Returns RDNs in text order (most specific first).
 */
function splitRfc4514(text: string): RawPair[][] {
  const rdns: RawPair[][] = [[]];
  let index = 0;
  for (;;) {
    const typeEnd = text.indexOf('=', index);
    const separator = text.slice(index).search(/[,+]/);
    if (typeEnd < 0 || (separator >= 0 && index + separator < typeEnd)) {
      const fragment = text.slice(index, separator < 0 ? undefined : index + separator).trim();
      throw new InputError(`subject "${text}": "${fragment}" has no "=value"`, {
        hint: 'write each attribute as TYPE=value, e.g. CN=example.com,O=Example',
      });
    }
    const type = text.slice(index, typeEnd).trim();
    const value = readRfc4514Value(text, typeEnd + 1);
    (rdns.at(-1) as RawPair[]).push({ type, value: value.text });
    if (value.end >= text.length) return rdns;
    if (text[value.end] === ',') rdns.push([]);
    index = value.end + 1;
  }
}

function readRfc4514Value(text: string, start: number): { text: string; end: number } {
  let index = start;
  while (text[index] === ' ') index++;
  if (text[index] === '#') {
    throw new InputError(`subject "${text}": #-hex (BER) attribute values are not supported`, {
      hint: 'write the value as text',
    });
  }
  if (text[index] === '"') return readQuotedValue(text, index);
  const bytes: number[] = [];
  // Unescaped trailing spaces are not part of the value; escaped ones are.
  let keptLength = 0;
  for (; index < text.length && text[index] !== ',' && text[index] !== '+'; index++) {
    if (text[index] === '\\') {
      index = readEscape(text, index, bytes);
      keptLength = bytes.length;
      continue;
    }
    bytes.push(...Buffer.from(text[index] as string, 'utf8'));
    if (text[index] !== ' ') keptLength = bytes.length;
  }
  return { text: decodeUtf8(bytes.slice(0, keptLength), text), end: index };
}

function readQuotedValue(text: string, quote: number): { text: string; end: number } {
  const bytes: number[] = [];
  let index = quote + 1;
  for (; index < text.length && text[index] !== '"'; index++) {
    if (text[index] === '\\') index = readEscape(text, index, bytes);
    else bytes.push(...Buffer.from(text[index] as string, 'utf8'));
  }
  if (index >= text.length) {
    throw new InputError(`subject "${text}" has an unclosed quote`, {
      hint: 'close the quoted value with "',
    });
  }
  index++;
  while (text[index] === ' ') index++;
  if (index < text.length && text[index] !== ',' && text[index] !== '+') {
    throw new InputError(`subject "${text}": text after a quoted value`, {
      hint: 'put the whole value inside the quotes',
    });
  }
  return { text: decodeUtf8(bytes, text), end: index };
}

/** Reads `\X` or `\XX` at `index` into `bytes`; returns the index of its last character. */
function readEscape(text: string, index: number, bytes: number[]): number {
  const pair = text.slice(index + 1, index + 3);
  if (/^[0-9a-fA-F]{2}$/.test(pair)) {
    bytes.push(parseInt(pair, 16));
    return index + 2;
  }
  const next = text[index + 1];
  if (next === undefined) {
    throw new InputError(`subject "${text}" ends with a lone backslash`, {
      hint: 'escape a literal backslash as \\\\',
    });
  }
  bytes.push(...Buffer.from(next, 'utf8'));
  return index + 1;
}

function decodeUtf8(bytes: number[], text: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (error) {
    throw new InputError(`subject "${text}": \\XX escapes do not form valid UTF-8`, {
      hint: 'escape each byte of a UTF-8 character, e.g. \\C3\\A9 for é',
      cause: error,
    });
  }
}

const DOTTED_OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;
const PRINTABLE_STRING = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
// eslint-disable-next-line no-control-regex
const IA5_STRING = /^[\x00-\x7f]*$/;

/** Looks up the attribute type and checks the value the way OpenSSL would encode it. */
function checkAttribute(pair: RawPair, text: string): NameAttribute {
  const known = ATTRIBUTES_BY_NAME.get(pair.type.toLowerCase());
  const oid = known?.oid ?? (DOTTED_OID.test(pair.type) ? pair.type : undefined);
  if (oid === undefined) {
    throw new InputError(`subject "${text}": unknown attribute "${pair.type}"`, {
      hint: `use one of ${ATTRIBUTES.map((known) => known.type).join(', ')}, or a dotted OID`,
    });
  }
  const type = known?.type ?? oid;
  const spec = known ?? ATTRIBUTES_BY_OID.get(oid);
  const value = pair.value;
  if (value === '') {
    throw new InputError(`subject "${text}": ${type} has an empty value`, {
      hint: `give ${type} a value or leave it out`,
    });
  }
  if (spec) checkValue(spec, value, text);
  return { type: spec?.type ?? type, oid, value };
}

function checkValue(spec: AttributeSpec, value: string, text: string): void {
  if (spec.type === 'C' && !/^[A-Za-z]{2}$/.test(value)) {
    throw new InputError(`subject "${text}": C must be a 2-letter country code, not "${value}"`, {
      hint: 'use an ISO 3166 code such as GB, US or DE',
    });
  }
  const length = [...value].length;
  if (spec.maxLength !== undefined && length > spec.maxLength) {
    throw new InputError(
      `subject "${text}": ${spec.type} is ${length} characters, longer than the limit of ${spec.maxLength}`,
      { hint: `shorten ${spec.type} (RFC 5280 upper bound)` },
    );
  }
  if (spec.stringType === 'printable' && !PRINTABLE_STRING.test(value)) {
    throw new InputError(
      `subject "${text}": ${spec.type} "${value}" has characters a PrintableString cannot hold`,
      {
        hint: "use letters, digits, spaces and '()+,-./:=?",
      },
    );
  }
  if (spec.stringType === 'ia5' && !IA5_STRING.test(value)) {
    throw new InputError(`subject "${text}": ${spec.type} "${value}" is not ASCII`, {
      hint: `${spec.type} is an IA5String: use ASCII (punycode for domain names)`,
    });
  }
}

function encodeAttribute(pair: NameAttribute): AttributeTypeAndValue {
  const stringType = ATTRIBUTES_BY_OID.get(pair.oid)?.stringType ?? 'utf8';
  const value =
    stringType === 'printable'
      ? new AttributeValue({ printableString: pair.value })
      : stringType === 'ia5'
        ? new AttributeValue({ ia5String: pair.value })
        : new AttributeValue({ utf8String: pair.value });
  return new AttributeTypeAndValue({ type: pair.oid, value });
}

/** DER sorts the members of a SET OF by their encodings (X.690 11.6), as OpenSSL does. */
function sortSetOf(pairs: AttributeTypeAndValue[]): AttributeTypeAndValue[] {
  const encoded = pairs.map((pair) => ({ pair, der: Buffer.from(AsnConvert.serialize(pair)) }));
  return encoded.sort((a, b) => Buffer.compare(a.der, b.der)).map((entry) => entry.pair);
}

/** ASN.1 universal string tags that AttributeValue leaves as raw `anyValue`. */
const OTHER_STRING_TAGS: ReadonlyMap<number, BufferEncoding> = new Map([
  [0x12, 'latin1'], // NumericString
  [0x1a, 'latin1'], // VisibleString
  [0x16, 'latin1'], // IA5String
  [0x13, 'latin1'], // PrintableString
  [0x0c, 'utf8'], // UTF8String
]);

function decodeValue(value: AttributeValue): string {
  const known =
    value.utf8String ??
    value.printableString ??
    value.ia5String ??
    value.teletexString ??
    value.bmpString ??
    value.universalString;
  if (known !== undefined) return known;
  const der = Buffer.from(value.anyValue ?? new ArrayBuffer(0));
  const encoding = OTHER_STRING_TAGS.get(der[0] ?? -1);
  const length = der[1] ?? 0;
  // Short-form lengths only: longer values are not plausible for these string types.
  if (encoding && length < 0x80 && der.length === length + 2) {
    return der.subarray(2).toString(encoding);
  }
  return `#${der.toString('hex')}`;
}

const RFC4514_SPECIALS = new Set([',', '+', '"', '\\', '<', '>', ';']);

/** OpenSSL's short name for an attribute (OBJ_nid2sn, what Node uses as keys), or its OID. */
export function attributeShortName(oid: string): string {
  return ATTRIBUTES_BY_OID.get(oid)?.type ?? oid;
}

/** RFC 4514 section 2.4: escape the separators and NUL, and spaces or # where they would be lost. */
export function escapeRfc4514(value: string): string {
  const characters = [...value].map((character) =>
    RFC4514_SPECIALS.has(character) ? `\\${character}` : character === '\0' ? '\\00' : character,
  );
  const last = characters.length - 1;
  if (characters[0] === '#' || characters[0] === ' ') characters[0] = `\\${characters[0]}`;
  if (last > 0 && characters[last] === ' ') characters[last] = '\\ ';
  return characters.join('');
}
