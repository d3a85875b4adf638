import { X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage,
  Name,
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
import { DerTag, derFramingOf, oidText, readChildren, readElement } from '../describe/der.js';
import { nameStringOf } from '../describe/names.js';
import { readCertificateFields, type RawExtension } from './certificate-fields.js';
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
  /** An EC key given with explicit curve parameters instead of a named curve. */
  explicitCurve: boolean;
  /** 1, 2 or 3. */
  version: number;
  /** Normalised hex (see serialHexOf). */
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
  /** Why OpenSSL would mark the certificate invalid (a malformed, repeated or empty extension). */
  invalid?: string;
  /** Issuer name equals subject name. */
  selfIssued: boolean;
  /** Self-issued, its own authorityKeyIdentifier matches it, and its key fits its signature. */
  selfSigned: boolean;
}

/**
 * Parses a DER certificate. Malformed DER is an InputError naming `source`; a malformed,
 * repeated or empty extension is not (OpenSSL still loads such a certificate, it just never
 * accepts it in a path), so it is recorded in `invalid`.
 */
export function parseChainCertificate(der: Uint8Array, source: string): ChainCertificate {
  const bytes = Buffer.from(der);
  checkFraming(bytes, source, 'certificate');
  let x509: X509Certificate;
  let fields: ReturnType<typeof readCertificateFields>;
  let subject: CanonicalName;
  let issuer: CanonicalName;
  let names: { subject: string; issuer: string };
  try {
    x509 = new X509Certificate(bytes);
    fields = readCertificateFields(bytes);
    subject = canonicalName(fields.subject);
    issuer = canonicalName(fields.issuer);
    names = {
      subject: nameStringOf(AsnConvert.parse(fields.subject, Name)),
      issuer: nameStringOf(AsnConvert.parse(fields.issuer, Name)),
    };
  } catch (error) {
    throw new InputError(`${source} is not a valid certificate (${messageOf(error)})`, {
      hint: 'give X.509 certificates in PEM or DER',
      cause: error,
    });
  }
  const certificate: ChainCertificate = {
    der: bytes,
    source,
    x509,
    publicKey: publicKeyOf(x509),
    explicitCurve: fields.keyAlgorithmOid === EC_PUBLIC_KEY && fields.explicitKeyParameters,
    version: fields.version,
    serial: serialHexOf(fields.serial),
    subject,
    issuer,
    subjectText: names.subject,
    issuerText: names.issuer,
    subjectAttributes: attributesOf(fields.subject),
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    signatureOid: fields.signatureOid,
    unhandledCritical: [],
    selfIssued: namesMatch(subject, issuer),
    selfSigned: false,
  };
  readExtensions(certificate, fields.extensions);
  certificate.selfSigned =
    certificate.selfIssued &&
    certificate.invalid === undefined &&
    akidMatches(certificate, certificate.authorityKeyIdentifier) &&
    signatureMatchesKey(certificate.signatureOid, certificate.publicKey);
  return certificate;
}

/**
 * Refuses DER that is not one whole object before any parser sees it, with a message that says
 * what is wrong (a parser would only say where it gave up).
 */
export function checkFraming(der: Uint8Array, source: string, what: string): void {
  const framing = derFramingOf(der);
  if (framing === 'complete') return;
  const problem =
    framing === 'truncated'
      ? 'is truncated (the DER ends before the ' + what + ' does)'
      : framing === 'trailing-data'
        ? 'has data after the ' + what
        : 'is not a DER ' + what;
  throw new InputError(`${source} ${problem}`, {
    hint: `give the whole ${what}, in PEM or DER`,
  });
}

/** The canonical subject name of a DER certificate, without parsing the rest. */
export function subjectOfCertificate(der: Uint8Array): CanonicalName {
  return canonicalName(readCertificateFields(der).subject);
}

/** A DER INTEGER's content as signed hex without redundant leading octets (`-1`, `0`, `1f`). */
export function serialHexOf(content: Uint8Array): string {
  if (content.length === 0) return '0';
  let value = BigInt(`0x${Buffer.from(content).toString('hex')}`);
  if ((content[0] as number) & 0x80) value -= 1n << BigInt(content.length * 8);
  return value < 0n ? `-${(-value).toString(16)}` : value.toString(16);
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
      const directory = readChildren(field.content)
        .map(decodeGeneralName)
        .find((name) => name.kind === 'dirName');
      if (directory) result.issuerName = canonicalName(directory.bytes);
    } else throw new RangeError(`unexpected field 0x${field.tag.toString(16)}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const NETSCAPE_CERT_TYPE = '2.16.840.1.113730.1.1';

/** Extensions OpenSSL understands, so that marking them critical is not an error (v3_purp.c). */
const SUPPORTED_EXTENSIONS = new Set([
  NETSCAPE_CERT_TYPE,
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

function attributesOf(name: Uint8Array): NameAttributeValue[] {
  return readChildren(readElement(name).content).flatMap((rdn) =>
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

/** How each extension OpenSSL caches (x509v3_cache_extensions) is read into the certificate. */
const EXTENSION_READERS: Record<
  string,
  (certificate: ChainCertificate, value: Uint8Array) => void
> = {
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
    const usages = AsnConvert.parse(value, KeyUsage).toNumber();
    // OpenSSL 3.0 treats an empty keyUsage as invalid (RFC 5280 §4.2.1.3: at least one bit).
    // (asn1-x509 gives NaN for a BIT STRING without any octets.)
    if (!usages) throw new RangeError('no key usage bit is set');
    certificate.keyUsage = usages;
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

function readExtensions(certificate: ChainCertificate, extensions: readonly RawExtension[]): void {
  const seen = new Set<string>();
  for (const extension of extensions) {
    if (extension.critical && !SUPPORTED_EXTENSIONS.has(extension.oid)) {
      certificate.unhandledCritical.push(extension.oid);
    }
    const reader = EXTENSION_READERS[extension.oid];
    if (!reader) continue;
    if (seen.has(extension.oid)) {
      certificate.invalid ??= `extension ${extension.oid} appears twice`;
      continue;
    }
    seen.add(extension.oid);
    try {
      reader(certificate, extension.value);
    } catch (error) {
      certificate.invalid ??= `malformed extension ${extension.oid} (${messageOf(error)})`;
    }
  }
}
