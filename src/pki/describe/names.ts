import { AsnConvert } from '@peculiar/asn1-schema';
import type { AttributeTypeAndValue, GeneralName, Name } from '@peculiar/asn1-x509';
import { hexOf } from './format.js';

/**
 * A distinguished name in the shape of Node's `getPeerCertificate().subject`: OpenSSL short
 * names as keys, a repeated attribute (two OUs) as an array, in order of first appearance.
 */
export type NameObject = Record<string, string | string[]>;

/** Node's (OpenSSL's) object form of a name, so CSRs and CRLs match certificates. */
export function nameObjectOf(name: Name): NameObject {
  const object: NameObject = {};
  for (const attribute of name.flat()) {
    const key = attributeShortName(attribute.type);
    const value = attributeText(attribute);
    const existing = object[key];
    if (existing === undefined) object[key] = value;
    else object[key] = [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return object;
}

/** `C=UK, O=Example\, Ltd, CN=localhost`: RFC 4514 escaping, in the order the DER holds. */
export function nameStringOf(name: Name): string {
  return name
    .map((rdn) =>
      rdn
        .map(
          (attribute) =>
            `${attributeShortName(attribute.type)}=${escape(attributeText(attribute))}`,
        )
        .join('+'),
    )
    .join(', ');
}

/** True when two names have the same DER encoding (how a self-signed certificate is recognised). */
export function namesEqual(left: Name, right: Name): boolean {
  return Buffer.from(AsnConvert.serialize(left)).equals(Buffer.from(AsnConvert.serialize(right)));
}

export type GeneralNameType =
  | 'dns'
  | 'ip'
  | 'email'
  | 'uri'
  | 'dirName'
  | 'registeredId'
  | 'otherName'
  | 'x400Address'
  | 'ediPartyName';

/** One GeneralName (RFC 5280 4.2.1.6) as JSON: `{type: 'dns', value: 'example.com'}`. */
export interface GeneralNameDescription {
  type: GeneralNameType;
  value: string;
}

export function describeGeneralName(name: GeneralName): GeneralNameDescription {
  if (name.dNSName !== undefined) return { type: 'dns', value: name.dNSName };
  if (name.iPAddress !== undefined) return { type: 'ip', value: name.iPAddress };
  if (name.rfc822Name !== undefined) return { type: 'email', value: name.rfc822Name };
  if (name.uniformResourceIdentifier !== undefined) {
    return { type: 'uri', value: name.uniformResourceIdentifier };
  }
  if (name.directoryName !== undefined) {
    return { type: 'dirName', value: nameStringOf(name.directoryName) };
  }
  if (name.registeredID !== undefined) return { type: 'registeredId', value: name.registeredID };
  if (name.otherName !== undefined) {
    return { type: 'otherName', value: `${name.otherName.typeId}:${hexOf(name.otherName.value)}` };
  }
  if (name.x400Address !== undefined)
    return { type: 'x400Address', value: hexOf(name.x400Address) };
  return { type: 'ediPartyName', value: name.ediPartyName?.partyName.toString() ?? '' };
}

/** `DNS:example.com`, `IP:10.0.0.1`: the prefixes openssl's config and output use. */
export function generalNameText(name: GeneralNameDescription): string {
  return `${GENERAL_NAME_PREFIXES[name.type]}:${name.value}`;
}

const GENERAL_NAME_PREFIXES: Record<GeneralNameType, string> = {
  dns: 'DNS',
  ip: 'IP',
  email: 'email',
  uri: 'URI',
  dirName: 'DirName',
  registeredId: 'RID',
  otherName: 'othername',
  x400Address: 'X400Name',
  ediPartyName: 'EdiPartyName',
};

/** OpenSSL's short names (OBJ_nid2sn), which Node uses as keys; others appear as dotted OIDs. */
const ATTRIBUTE_SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

function attributeShortName(oid: string): string {
  return ATTRIBUTE_SHORT_NAMES[oid] ?? oid;
}

/** The string value; a non-string value is shown as `#` and its DER in hex, as RFC 4514 does. */
function attributeText(attribute: AttributeTypeAndValue): string {
  const { value } = attribute;
  return value.anyValue ? `#${hexOf(value.anyValue)}` : value.toString();
}

/** RFC 4514 section 2.4: escape the separators, and spaces or # where they would be lost. */
function escape(value: string): string {
  return value
    .replace(/[,+"\\<>;]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ');
}
