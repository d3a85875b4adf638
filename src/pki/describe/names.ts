import { AsnConvert } from '@peculiar/asn1-schema';
import type { AttributeTypeAndValue, GeneralName, Name } from '@peculiar/asn1-x509';
import { attributeShortName, escapeRfc4514 } from '../name.js';
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
            `${attributeShortName(attribute.type)}=${escapeRfc4514(attributeText(attribute))}`,
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

/** The string value; a non-string value is shown as `#` and its DER in hex, as RFC 4514 does. */
function attributeText(attribute: AttributeTypeAndValue): string {
  const { value } = attribute;
  return value.anyValue ? `#${hexOf(value.anyValue)}` : value.toString();
}
