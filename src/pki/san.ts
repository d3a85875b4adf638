import { isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Extension,
  GeneralName,
  id_ce_subjectAltName,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';
import { InputError, messageOf } from '../errors.js';

export type SanType = 'dns' | 'ip' | 'email' | 'uri';

/** One subject alternative name, already validated and normalised. */
export interface SubjectAltName {
  type: SanType;
  value: string;
}

/**
 * Parses `DNS:name`, `IP:address`, `email:address` or `URI:uri` (prefixes as in openssl's
 * subjectAltName config, any case). A bare value is an IP address if it is one, an email address
 * if it has an @, otherwise a DNS name. Values are normalised: DNS names lower-cased and IDNs
 * turned into punycode, IP addresses in their canonical text (RFC 5952 for IPv6).
 */
export function parseSan(text: string): SubjectAltName {
  const prefixed = /^(dns|ip|email|uri):(.*)$/is.exec(text);
  if (prefixed) {
    const type = (prefixed[1] as string).toLowerCase() as SanType;
    return { type, value: NORMALISERS[type](prefixed[2] as string) };
  }
  const otherPrefix = /^(rid|dirname|othername):/i.exec(text);
  if (otherPrefix) {
    throw new InputError(`SAN "${text}": ${otherPrefix[1]} names are not supported`, {
      hint: 'use DNS:, IP:, email: or URI:',
    });
  }
  // An IPv6 address with a zone is still an address, if not one a certificate can hold.
  if (isIpAddress(text.split('%')[0] as string)) {
    return { type: 'ip', value: normaliseIp(text) };
  }
  if (text.includes('@')) return { type: 'email', value: normaliseEmail(text) };
  return { type: 'dns', value: normaliseDnsName(text) };
}

/**
 * The subjectAltName extension (2.5.29.17). RFC 5280 4.2.1.6: it MUST be critical when the
 * subject is empty, so pass `critical: true` then.
 */
export function encodeSubjectAltNames(
  sans: readonly SubjectAltName[],
  options: { critical?: boolean } = {},
): Extension {
  if (sans.length === 0) {
    throw new InputError('a subjectAltName extension needs at least one name', {
      hint: 'leave the extension out instead',
    });
  }
  const names = new SubjectAlternativeName(sans.map(toGeneralName));
  return new Extension({
    extnID: id_ce_subjectAltName,
    critical: options.critical ?? false,
    extnValue: new OctetString(AsnConvert.serialize(names)),
  });
}

/**
 * The names in a subjectAltName extension (or its DER value). Kinds this type cannot express
 * (otherName, directoryName, registeredID, x400/EDI, IP ranges) are skipped: a caller that must
 * carry them keeps the Extension itself.
 */
export function decodeSubjectAltNames(
  extension: Extension | Uint8Array,
  source = 'subjectAltName',
): SubjectAltName[] {
  const der =
    extension instanceof Extension ? extension.extnValue.buffer : Uint8Array.from(extension).buffer;
  let names: SubjectAlternativeName;
  try {
    names = AsnConvert.parse(der, SubjectAlternativeName);
  } catch (error) {
    throw new InputError(`${source}: malformed subjectAltName extension (${messageOf(error)})`, {
      cause: error,
    });
  }
  return Array.from(names).flatMap(fromGeneralName);
}

// ---------------------------------------------------------------------------------------------

const NORMALISERS: Record<SanType, (value: string) => string> = {
  dns: normaliseDnsName,
  ip: normaliseIp,
  email: normaliseEmail,
  uri: normaliseUri,
};

const LDH_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_DNS_NAME_LENGTH = 253;

function normaliseDnsName(text: string): string {
  if (isIpAddress(text) || /^\[.*\]$/.test(text)) {
    throw new InputError(`SAN "${text}" is an IP address, not a DNS name`, {
      hint: `write it as IP:${text.replace(/^\[|\]$/g, '')}`,
    });
  }
  const wildcard = text.startsWith('*.');
  const name = toAsciiDomain(wildcard ? text.slice(2) : text, text);
  const full = wildcard ? `*.${name}` : name;
  if (full.length > MAX_DNS_NAME_LENGTH) {
    throw new InputError(`SAN DNS name "${text}" is longer than ${MAX_DNS_NAME_LENGTH} characters`);
  }
  return full;
}

/** A domain in ASCII (IDNs as punycode), lower-cased, every label letter-digit-hyphen. */
function toAsciiDomain(domain: string, text: string): string {
  // eslint-disable-next-line no-control-regex
  const isAscii = /^[\x00-\x7f]*$/.test(domain);
  const ascii = isAscii ? domain.toLowerCase() : domainToASCII(domain);
  if (!isAscii && ascii === '') {
    throw new InputError(`SAN "${text}" is not a valid internationalised domain name`);
  }
  for (const label of ascii.split('.')) {
    if (label.includes('*')) {
      throw new InputError(`SAN "${text}": a wildcard must be the whole leftmost label`, {
        hint: 'write it as *.example.com',
      });
    }
    if (!LDH_LABEL.test(label)) {
      const what = label === '' ? 'an empty label' : `the label "${label}"`;
      throw new InputError(`SAN "${text}" is not a valid DNS name: ${what}`, {
        hint: 'use letters, digits and hyphens, at most 63 per label, no leading or trailing dot',
      });
    }
  }
  return ascii;
}

function normaliseIp(text: string): string {
  if (isIPv4(text)) return text;
  const ipv6 = canonicalIpv6(text);
  if (ipv6 !== undefined) return ipv6;
  throw new InputError(`SAN "${text}" is not an IP address`, {
    hint: 'give an IPv4 (192.0.2.1) or IPv6 (2001:db8::1) address, without a zone or prefix',
  });
}

function isIpAddress(text: string): boolean {
  return isIPv4(text) || canonicalIpv6(text) !== undefined;
}

/**
 * An IPv6 address in RFC 5952 text (lower case, longest zero run ::), or undefined: the WHATWG
 * URL parser takes exactly the RFC 4291 forms between brackets, zones excepted. Node's isIPv6()
 * would answer too, but its regular expression takes milliseconds to compile at first use.
 */
function canonicalIpv6(text: string): string | undefined {
  // Hex digits, colons and an embedded IPv4's dots only: nothing that could close the brackets.
  const url = `http://[${text}]/`;
  if (!/^[\da-f:.]+$/i.test(text) || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.slice(1, -1);
}

function normaliseEmail(text: string): string {
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (at <= 0 || !/^[\x21-\x7e]+$/.test(local) || local.includes('@') || domain === '') {
    throw new InputError(`SAN "${text}" is not an email address`, {
      hint: 'write it as name@example.com (an ASCII local part)',
    });
  }
  return `${local}@${toAsciiDomain(domain, text)}`;
}

function normaliseUri(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new InputError(`SAN "${text}" is not an absolute URI`, {
      hint: 'include the scheme, e.g. URI:https://example.com/',
      cause: error,
    });
  }
  // An IA5String holds ASCII only; the parsed form percent-encodes the rest and punycodes hosts.
  return /^[\x21-\x7e]+$/.test(text) ? text : url.href;
}

function toGeneralName(san: SubjectAltName): GeneralName {
  switch (san.type) {
    case 'dns':
      return new GeneralName({ dNSName: san.value });
    case 'ip':
      return new GeneralName({ iPAddress: san.value });
    case 'email':
      return new GeneralName({ rfc822Name: san.value });
    case 'uri':
      return new GeneralName({ uniformResourceIdentifier: san.value });
  }
}

function fromGeneralName(name: GeneralName): SubjectAltName[] {
  if (name.dNSName !== undefined) return [{ type: 'dns', value: name.dNSName }];
  if (name.rfc822Name !== undefined) return [{ type: 'email', value: name.rfc822Name }];
  if (name.uniformResourceIdentifier !== undefined) {
    return [{ type: 'uri', value: name.uniformResourceIdentifier }];
  }
  // asn1-x509 turns 4 and 16 bytes into address text; other lengths are ranges or garbage.
  if (name.iPAddress !== undefined && isIpAddress(name.iPAddress)) {
    return [{ type: 'ip', value: normaliseIp(name.iPAddress) }];
  }
  return [];
}

const SAN_PREFIXES: Record<SanType, string> = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' };

/** `DNS:localhost`, `IP:127.0.0.1`: openssl's spelling of a name. */
export function formatSan(san: SubjectAltName): string {
  return `${SAN_PREFIXES[san.type]}:${san.value}`;
}
