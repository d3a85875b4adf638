import { X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  type DistributionPoint,
} from '@peculiar/asn1-x509';
import { InputError, messageOf } from '../../errors.js';
import { DerTag, oidText, readChildren, readElement, type DerElement } from '../describe/der.js';
import { nameStringOf } from '../describe/names.js';
import { elementsWithBytes } from './der-elements.js';
import { decodeGeneralName, decodeGeneralNames, type RawGeneralName } from './general-names.js';
import { akidMatches, signatureMatchesKey } from './issuer-match.js';
import { canonicalName, namesMatch, type CanonicalName } from './name-canon.js';
import { decodeNameConstraints, type NameConstraintsValue } from './name-constraints.js';

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1) as OpenSSL matches it against an issuer. */
export interface AuthorityKeyId {
  keyIdentifier?: Buffer;
  /** The issuer's issuer, from the first directoryName of authorityCertIssuer. */
  issuerName?: CanonicalName;
  /** authorityCertSerialNumber, as normalised hex (see serialHexOf). */
  serial?: string;
}

/** One attribute of the subject, with its string type (name constraints and CN matching). */
export interface NameAttributeValue {
  oid: string;
  tag: number;
  value: Uint8Array;
}

/**
 * A certificate parsed once for path validation: every fact the checks use, taken from the DER
 * exactly (names compare canonically, identifiers and SANs by their bytes).
 */
export interface ChainCertificate {
  der: Buffer;
  /** Where it came from, for messages ("chain.pem #2"). */
  source: string;
  /** Node's parse (OpenSSL's d2i_X509), used to verify signatures made with this certificate. */
  x509: X509Certificate;
  /** Undefined when Node cannot load the key type. */
  publicKey: KeyObject | undefined;
  /** 1, 2 or 3. */
  version: number;
  serial: string;
  subject: CanonicalName;
  issuer: CanonicalName;
  /** `CN=leaf.example.test, O=…`, for people. */
  subjectText: string;
  issuerText: string;
  subjectAttributes: NameAttributeValue[];
  notBefore: Date;
  notAfter: Date;
  /** The signature algorithm OID inside the signed part. */
  signatureOid: string;
  subjectKeyIdentifier?: Buffer;
  authorityKeyIdentifier?: AuthorityKeyId;
  basicConstraints?: { ca: boolean; pathLength?: number };
  /** KeyUsageFlags bits (asn1-x509's numbering); undefined without the extension. */
  keyUsage?: number;
  extendedKeyUsage?: string[];
  /** Netscape certificate type, the first octet of its bits. */
  netscapeCertType?: number;
  subjectAltNames?: RawGeneralName[];
  nameConstraints?: NameConstraintsValue;
  crlDistributionPoints?: DistributionPoint[];
  /** Critical extensions OpenSSL does not process (X509_supported_extension). */
  unhandledCritical: string[];
  /** Why OpenSSL would mark the certificate invalid (a malformed or repeated extension). */
  invalid?: string;
  /** Issuer name equals subject name. */
  selfIssued: boolean;
  /** Self-issued, its own authorityKeyIdentifier matches it, and its key fits its signature. */
  selfSigned: boolean;
}

/**
 * Parses a DER certificate. Malformed DER is an InputError naming `source`; a malformed or
 * repeated extension is not (OpenSSL still loads such a certificate, it just never accepts it in
 * a path), so it is recorded in `invalid`.
 */
export function parseChainCertificate(der: Uint8Array, source: string): ChainCertificate {
  const bytes = Buffer.from(der);
  let structure: Certificate;
  let x509: X509Certificate;
  let raw: RawParts;
  try {
    x509 = new X509Certificate(bytes);
    structure = AsnConvert.parse(bytes, Certificate);
    raw = rawPartsOf(bytes);
  } catch (error) {
    throw new InputError(`${source} is not a valid certificate (${messageOf(error)})`, {
      hint: 'give X.509 certificates in PEM or DER',
      cause: error,
    });
  }
  const tbs = structure.tbsCertificate;
  const certificate: ChainCertificate = {
    der: bytes,
    source,
    x509,
    publicKey: publicKeyOf(x509),
    version: tbs.version + 1,
    serial: raw.serial,
    subject: raw.subject,
    issuer: raw.issuer,
    subjectText: nameStringOf(tbs.subject),
    issuerText: nameStringOf(tbs.issuer),
    subjectAttributes: raw.subjectAttributes,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    signatureOid: tbs.signature.algorithm,
    unhandledCritical: [],
    selfIssued: namesMatch(raw.subject, raw.issuer),
    selfSigned: false,
  };
  readExtensions(certificate, tbs.extensions ?? []);
  certificate.selfSigned =
    certificate.selfIssued &&
    certificate.invalid === undefined &&
    akidMatches(certificate, certificate.authorityKeyIdentifier) &&
    signatureMatchesKey(certificate.signatureOid, certificate.publicKey);
  return certificate;
}

/** A DER INTEGER's content as signed hex without redundant leading octets (`-1`, `0`, `1f`). */
export function serialHexOf(content: Uint8Array): string {
  if (content.length === 0) return '0';
  let value = BigInt(`0x${Buffer.from(content).toString('hex')}`);
  if ((content[0] as number) & 0x80) value -= 1n << BigInt(content.length * 8);
  return value < 0n ? `-${(-value).toString(16)}` : value.toString(16);
}

/** Extensions OpenSSL understands, so that marking them critical is not an error (v3_purp.c). */
const SUPPORTED_EXTENSIONS = new Set([
  '2.16.840.1.113730.1.1', // netscape-cert-type
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_basicConstraints,
  '2.5.29.32', // certificatePolicies
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock (RFC 3779)
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-OCSP-noCheck
  '2.5.29.36', // policyConstraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  id_ce_nameConstraints,
  '2.5.29.33', // policyMappings
  '2.5.29.54', // inhibitAnyPolicy
]);

const NETSCAPE_CERT_TYPE = '2.16.840.1.113730.1.1';

// ---------------------------------------------------------------------------------------------

interface RawParts {
  serial: string;
  issuer: CanonicalName;
  subject: CanonicalName;
  subjectAttributes: NameAttributeValue[];
}

/** The parts compared byte-wise or canonically, read from the DER itself. */
function rawPartsOf(der: Uint8Array): RawParts {
  const [tbs] = readChildren(readElement(der).content);
  if (!tbs) throw new RangeError('no TBSCertificate');
  const fields = elementsWithBytes(tbs.content);
  // The version is an explicitly tagged [0]; without it the serial number comes first.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, , subject] = fields.slice(offset);
  if (!serial || !issuer || !subject || serial.tag !== DerTag.integer) {
    throw new RangeError('TBSCertificate is missing fields');
  }
  return {
    serial: serialHexOf(serial.content),
    issuer: canonicalName(issuer.bytes),
    subject: canonicalName(subject.bytes),
    subjectAttributes: attributesOf(subject),
  };
}

function attributesOf(name: DerElement): NameAttributeValue[] {
  return readChildren(name.content).flatMap((rdn) =>
    readChildren(rdn.content).map((attribute) => {
      const [type, value] = readChildren(attribute.content);
      if (!type || !value) throw new RangeError('malformed name attribute');
      return { oid: oidText(type.content), tag: value.tag, value: value.content };
    }),
  );
}

function publicKeyOf(x509: X509Certificate): KeyObject | undefined {
  try {
    return x509.publicKey;
  } catch {
    return undefined;
  }
}

type ExtensionReader = (certificate: ChainCertificate, value: Uint8Array) => void;

const EXTENSION_READERS: Record<string, ExtensionReader> = {
  [id_ce_subjectKeyIdentifier]: (certificate, value) => {
    const octets = readElement(value);
    if (octets.tag !== DerTag.octetString) throw new RangeError('not an OCTET STRING');
    certificate.subjectKeyIdentifier = Buffer.from(octets.content);
  },
  [id_ce_authorityKeyIdentifier]: (certificate, value) => {
    certificate.authorityKeyIdentifier = readAuthorityKeyId(value);
  },
  [id_ce_basicConstraints]: (certificate, value) => {
    const constraints = AsnConvert.parse(value, BasicConstraints);
    const pathLength = constraints.pathLenConstraint;
    if (pathLength !== undefined && pathLength < 0) throw new RangeError('negative pathlen');
    certificate.basicConstraints = { ca: constraints.cA, pathLength };
  },
  [id_ce_keyUsage]: (certificate, value) => {
    certificate.keyUsage = AsnConvert.parse(value, KeyUsage).toNumber();
  },
  [id_ce_extKeyUsage]: (certificate, value) => {
    certificate.extendedKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)];
  },
  [NETSCAPE_CERT_TYPE]: (certificate, value) => {
    const bits = readElement(value);
    if (bits.tag !== 0x03) throw new RangeError('not a BIT STRING');
    certificate.netscapeCertType = bits.content[1] ?? 0;
  },
  [id_ce_subjectAltName]: (certificate, value) => {
    certificate.subjectAltNames = decodeGeneralNames(value);
  },
  [id_ce_nameConstraints]: (certificate, value) => {
    certificate.nameConstraints = decodeNameConstraints(value);
  },
  [id_ce_cRLDistributionPoints]: (certificate, value) => {
    certificate.crlDistributionPoints = [...AsnConvert.parse(value, CRLDistributionPoints)];
  },
};

function readExtensions(
  certificate: ChainCertificate,
  extensions: ReadonlyArray<{
    extnID: string;
    critical: boolean;
    extnValue: { buffer: ArrayBuffer };
  }>,
): void {
  const seen = new Set<string>();
  for (const extension of extensions) {
    if (extension.critical && !SUPPORTED_EXTENSIONS.has(extension.extnID)) {
      certificate.unhandledCritical.push(extension.extnID);
    }
    const reader = EXTENSION_READERS[extension.extnID];
    if (!reader) continue;
    if (seen.has(extension.extnID)) {
      certificate.invalid ??= `extension ${extension.extnID} appears twice`;
      continue;
    }
    seen.add(extension.extnID);
    try {
      reader(certificate, new Uint8Array(extension.extnValue.buffer));
    } catch (error) {
      certificate.invalid ??= `malformed extension ${extension.extnID} (${messageOf(error)})`;
    }
  }
}

/**
 * An authorityKeyIdentifier value (certificates and CRLs): SEQUENCE { [0] keyIdentifier,
 * [1] authorityCertIssuer, [2] authorityCertSerialNumber }. Throws RangeError when malformed.
 */
export function readAuthorityKeyId(value: Uint8Array): AuthorityKeyId {
  const sequence = readElement(value);
  if (sequence.tag !== DerTag.sequence) throw new RangeError('not a SEQUENCE');
  const result: AuthorityKeyId = {};
  for (const field of readChildren(sequence.content)) {
    if (field.tag === 0x80) result.keyIdentifier = Buffer.from(field.content);
    else if (field.tag === 0x82) result.serial = serialHexOf(field.content);
    else if (field.tag === 0xa1) {
      const names = readChildren(field.content).map(decodeGeneralName);
      const directory = names.find((name) => name.kind === 'dirName');
      if (directory) result.issuerName = canonicalName(directory.bytes);
    } else throw new RangeError(`unexpected field 0x${field.tag.toString(16)}`);
  }
  return result;
}
