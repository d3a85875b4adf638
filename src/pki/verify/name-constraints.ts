import { DerTag, readChildren, readElement } from '../describe/der.js';
import type { ChainCertificate } from './chain-certificate.js';
import { decodeGeneralName, type RawGeneralName } from './general-names.js';
import { canonicalName, nameHasPrefix, stringValue, type CanonicalName } from './name-canon.js';
import type { VerifyErrorCode, VerifyFailure } from './verdict.js';

/** One GeneralSubtree (RFC 5280 §4.2.1.10): a base name, and the unused minimum/maximum. */
export interface GeneralSubtreeValue {
  base: RawGeneralName;
  /** RFC 5280: minimum MUST be zero and maximum absent; OpenSSL refuses anything else. */
  boundsValid: boolean;
}

export interface NameConstraintsValue {
  permitted: GeneralSubtreeValue[];
  excluded: GeneralSubtreeValue[];
}

/** The value of a nameConstraints extension. Throws RangeError on malformed DER. */
export function decodeNameConstraints(der: Uint8Array): NameConstraintsValue {
  const sequence = readElement(der);
  if (sequence.tag !== DerTag.sequence) throw new RangeError('NameConstraints is not a SEQUENCE');
  const value: NameConstraintsValue = { permitted: [], excluded: [] };
  for (const field of readChildren(sequence.content)) {
    const subtrees = readChildren(field.content).map(decodeSubtree);
    if (field.tag === 0xa0) value.permitted = subtrees;
    else if (field.tag === 0xa1) value.excluded = subtrees;
    else throw new RangeError(`unexpected NameConstraints field 0x${field.tag.toString(16)}`);
  }
  return value;
}

/**
 * OpenSSL's check_name_constraints: from the top of the path down, each certificate that is
 * not self-issued (and always the leaf) must satisfy the constraints of every certificate above
 * it, trust anchor included. Its subject, its emailAddress attributes and each subjectAltName
 * are checked; a leaf without DNS names also has each host-like commonName checked as a DNS name.
 */
export function checkNameConstraints(
  chain: readonly ChainCertificate[],
): VerifyFailure | undefined {
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const certificate = chain[depth] as ChainCertificate;
    if (depth !== 0 && certificate.selfIssued) continue;
    for (let above = chain.length - 1; above > depth; above--) {
      const constraints = chain[above]?.nameConstraints;
      if (!constraints) continue;
      let code = checkCertificate(certificate, constraints);
      if (code === undefined && depth === 0 && !hasDnsName(certificate)) {
        code = checkCommonNames(certificate, constraints);
      }
      if (code !== undefined)
        return { code, depth, detail: `outside the name constraints at depth ${above}` };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

/** OpenSSL's guard against quadratic work (NAME_CHECK_MAX). */
const MAX_NAME_CHECKS = 1 << 20;
const EMAIL_ADDRESS_OID = '1.2.840.113549.1.9.1';
const COMMON_NAME_OID = '2.5.4.3';
const IA5_STRING = 0x16;

type Outcome = VerifyErrorCode | undefined;

/** A name to check; the subject is a directory name known only in canonical form. */
type CheckedName = RawGeneralName & { directory?: CanonicalName };

function decodeSubtree(element: { content: Uint8Array }): GeneralSubtreeValue {
  const [base, ...bounds] = readChildren(element.content);
  if (!base) throw new RangeError('GeneralSubtree without a base');
  // minimum is [0] (DEFAULT 0, so only a non-zero value is encoded in DER), maximum [1].
  const boundsValid = bounds.every(
    (bound) => bound.tag === 0x80 && bound.content.every((octet) => octet === 0),
  );
  return { base: decodeGeneralName(base), boundsValid };
}

/** NAME_CONSTRAINTS_check. */
function checkCertificate(
  certificate: ChainCertificate,
  constraints: NameConstraintsValue,
): Outcome {
  const names = certificate.subjectAltNames ?? [];
  const subtrees = constraints.permitted.length + constraints.excluded.length;
  const nameCount = certificate.subjectAttributes.length + names.length;
  if (nameCount > 0 && subtrees > MAX_NAME_CHECKS / nameCount) return 'UNSPECIFIED';
  if (certificate.subjectAttributes.length > 0) {
    const subject: CheckedName = {
      kind: 'dirName',
      bytes: new Uint8Array(0),
      text: '',
      directory: certificate.subject,
    };
    const outcome = matchName(subject, constraints);
    if (outcome) return outcome;
    for (const attribute of certificate.subjectAttributes) {
      if (attribute.oid !== EMAIL_ADDRESS_OID) continue;
      if (attribute.tag !== IA5_STRING) return 'UNSUPPORTED_NAME_SYNTAX';
      const email = Buffer.from(attribute.value).toString('latin1');
      const emailOutcome = matchName(
        { kind: 'email', bytes: attribute.value, text: email },
        constraints,
      );
      if (emailOutcome) return emailOutcome;
    }
  }
  for (const name of names) {
    const outcome = matchName(name, constraints);
    if (outcome) return outcome;
  }
  return undefined;
}

/** NAME_CONSTRAINTS_check_CN: commonNames that look like host names, as DNS names. */
function checkCommonNames(
  certificate: ChainCertificate,
  constraints: NameConstraintsValue,
): Outcome {
  for (const attribute of certificate.subjectAttributes) {
    if (attribute.oid !== COMMON_NAME_OID) continue;
    const text = (stringValue(attribute.tag, attribute.value) ?? '').replace(/\0+$/, '');
    if (text.includes('\0')) return 'UNSUPPORTED_NAME_SYNTAX';
    if (!looksLikeHostName(text)) continue;
    const outcome = matchName({ kind: 'dns', bytes: Buffer.from(text, 'utf8'), text }, constraints);
    if (outcome) return outcome;
  }
  return undefined;
}

/** cn2dnsid: letters, digits, `_`, inner `-` and `.`, and at least two labels. */
function looksLikeHostName(text: string): boolean {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]$/.test(text)) return false;
  if (/\.\.|-\.|\.-/.test(text)) return false;
  return text.includes('.');
}

function hasDnsName(certificate: ChainCertificate): boolean {
  return (certificate.subjectAltNames ?? []).some((name) => name.kind === 'dns');
}

/** nc_match: a name must match one permitted subtree of its kind (if any) and no excluded one. */
function matchName(name: CheckedName, constraints: NameConstraintsValue): Outcome {
  const sameKind = (subtree: GeneralSubtreeValue) =>
    subtree.base.kind === name.kind &&
    (name.kind !== 'otherName' || subtree.base.otherNameType === name.otherNameType);
  let permitted: 'none' | 'unmatched' | 'matched' = 'none';
  for (const subtree of constraints.permitted.filter(sameKind)) {
    if (!subtree.boundsValid) return 'SUBTREE_MINMAX';
    if (permitted === 'matched') continue;
    permitted = 'unmatched';
    const outcome = matchSingle(name, subtree.base);
    if (outcome === undefined) permitted = 'matched';
    else if (outcome !== 'PERMITTED_VIOLATION') return outcome;
  }
  if (permitted === 'unmatched') return 'PERMITTED_VIOLATION';
  for (const subtree of constraints.excluded.filter(sameKind)) {
    if (!subtree.boundsValid) return 'SUBTREE_MINMAX';
    const outcome = matchSingle(name, subtree.base);
    if (outcome === undefined) return 'EXCLUDED_VIOLATION';
    if (outcome !== 'PERMITTED_VIOLATION') return outcome;
  }
  return undefined;
}

/** nc_match_single: undefined when `name` lies in the subtree `base`. */
function matchSingle(name: CheckedName, base: RawGeneralName): Outcome {
  switch (name.kind) {
    case 'dirName':
      return nameHasPrefix(name.directory ?? canonicalName(name.bytes), canonicalName(base.bytes))
        ? undefined
        : 'PERMITTED_VIOLATION';
    case 'dns':
      return matchDns(name.text, base.text);
    case 'email':
      return matchEmail(name.text, base.text);
    case 'uri':
      return matchUri(name.text, base.text);
    case 'ip':
      return matchIp(name.bytes, base.bytes);
    default:
      return 'UNSUPPORTED_CONSTRAINT_TYPE';
  }
}

/** nc_dns: the base is a suffix on a label boundary (or starts with a dot); empty matches all. */
function matchDns(dns: string, base: string): Outcome {
  if (base.length === 0) return undefined;
  if (dns.length < base.length) return 'PERMITTED_VIOLATION';
  const tail = dns.slice(dns.length - base.length);
  if (
    dns.length > base.length &&
    !base.startsWith('.') &&
    !dns.slice(0, -base.length).endsWith('.')
  ) {
    return 'PERMITTED_VIOLATION';
  }
  return equalIgnoringAsciiCase(tail, base) ? undefined : 'PERMITTED_VIOLATION';
}

/**
 * nc_email: `.example.com` matches any host under it; `example.com` exactly that host;
 * `user@example.com` that mailbox (local part case-sensitive, host case-insensitive).
 */
function matchEmail(email: string, base: string): Outcome {
  const emailAt = email.lastIndexOf('@');
  const baseAt = base.lastIndexOf('@');
  if (emailAt < 0) return 'UNSUPPORTED_NAME_SYNTAX';
  if (baseAt < 0 && base.startsWith('.')) {
    return email.length > base.length &&
      equalIgnoringAsciiCase(email.slice(email.length - base.length), base)
      ? undefined
      : 'PERMITTED_VIOLATION';
  }
  let baseHost = base;
  if (baseAt >= 0) {
    if (baseAt > 0) {
      const baseLocal = base.slice(0, baseAt);
      const emailLocal = email.slice(0, emailAt);
      if (baseLocal.length !== emailLocal.length) return 'PERMITTED_VIOLATION';
      if (baseLocal.includes('\0') || emailLocal.includes('\0')) return 'UNSUPPORTED_NAME_SYNTAX';
      if (baseLocal !== emailLocal) return 'PERMITTED_VIOLATION';
    }
    baseHost = base.slice(baseAt + 1);
  }
  return equalIgnoringAsciiCase(email.slice(emailAt + 1), baseHost)
    ? undefined
    : 'PERMITTED_VIOLATION';
}

/** nc_uri: the host of `scheme://host[:port][/…]` against a host or `.domain` base. */
function matchUri(uri: string, base: string): Outcome {
  const colon = uri.indexOf(':');
  if (colon < 0 || colon + 3 > uri.length || uri.slice(colon + 1, colon + 3) !== '//') {
    return 'UNSUPPORTED_NAME_SYNTAX';
  }
  const rest = uri.slice(colon + 3);
  const end = rest.includes(':') ? rest.indexOf(':') : rest.indexOf('/');
  const host = end < 0 ? rest : rest.slice(0, end);
  if (host.length === 0) return 'UNSUPPORTED_NAME_SYNTAX';
  if (base.startsWith('.')) {
    return host.length > base.length &&
      equalIgnoringAsciiCase(host.slice(host.length - base.length), base)
      ? undefined
      : 'PERMITTED_VIOLATION';
  }
  return equalIgnoringAsciiCase(host, base) ? undefined : 'PERMITTED_VIOLATION';
}

/** nc_ip: an address (4 or 16 octets) under an address-and-mask base (8 or 32 octets). */
function matchIp(address: Uint8Array, base: Uint8Array): Outcome {
  if (address.length !== 4 && address.length !== 16) return 'UNSUPPORTED_NAME_SYNTAX';
  if (base.length !== 8 && base.length !== 32) return 'UNSUPPORTED_NAME_SYNTAX';
  if (address.length * 2 !== base.length) return 'PERMITTED_VIOLATION';
  for (let index = 0; index < address.length; index++) {
    const mask = base[address.length + index] as number;
    if (((address[index] as number) & mask) !== ((base[index] as number) & mask)) {
      return 'PERMITTED_VIOLATION';
    }
  }
  return undefined;
}

/** ia5ncasecmp: only ASCII letters fold; other octets must be equal. */
function equalIgnoringAsciiCase(left: string, right: string): boolean {
  const fold = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  return left.length === right.length && fold(left) === fold(right);
}
