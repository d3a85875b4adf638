import { X509Certificate } from 'node:crypto';
import { Certificate } from '@peculiar/asn1-x509';
import { InputError } from '../../errors.js';
import { encodePem } from '../../io/pem.js';
import type { TreeNode } from '../../render/text-tree.js';
import type { DescribeOptions } from './describe-options.js';
import { parseDer } from './der.js';
import { describeExtensions, extensionTree, type ExtensionDescription } from './extensions.js';
import { colonHex, countDays, formatUtc, hexOf, wholeDaysBetween } from './format.js';
import { keyFactsOf, keyTypeText } from './key.js';
import { namesEqual, nameStringOf, type NameObject } from './names.js';
import { signatureAlgorithmName } from './signature-names.js';

export interface CertificateValidity {
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter, rounded down: negative once expired. */
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
}

/**
 * A certificate as JSON. The first fields are exactly Node's `getPeerCertificate()` names and
 * values (from `X509Certificate.toLegacyObject()`, Buffers as hex); the rest are tlskit's.
 */
export interface CertificateDescription {
  kind: 'certificate';
  subject: NameObject;
  issuer: NameObject;
  subjectaltname?: string;
  infoAccess?: Record<string, string[]>;
  ca: boolean;
  /** RSA: modulus size, hex exponent (`0x10001`) and modulus. EC: `bits` too. */
  bits?: number;
  exponent?: string;
  modulus?: string;
  /** EC: curve names and the public point, hex. */
  asn1Curve?: string;
  nistCurve?: string;
  pubkey?: string;
  valid_from: string;
  valid_to: string;
  fingerprint: string;
  fingerprint256: string;
  fingerprint512: string;
  serialNumber: string;
  ext_key_usage?: string[];
  version: number;
  subjectString: string;
  issuerString: string;
  /** OpenSSL's long name (`sha256WithRSAEncryption`), or the OID when unknown. */
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  keyType: string;
  publicKeySha256: string;
  validity: CertificateValidity;
  extensions: ExtensionDescription[];
  /** Issuer and subject are the same name and the certificate's own key verifies it. */
  selfSigned: boolean;
  /** Index of another object in the same input that issued this one, or null. */
  issuedBy: number | null;
  pem?: string;
}

/** Days before expiry from which the human output warns. */
const EXPIRY_WARNING_DAYS = 30;

export function describeCertificate(
  der: Uint8Array,
  options: DescribeOptions,
): CertificateDescription {
  const x509 = parseX509(der, options.source);
  const structure = parseDer(der, Certificate, (cause) => notACertificate(options.source, cause));
  const tbs = structure.tbsCertificate;
  const keyFacts = keyFactsOf(x509.publicKey);
  const description: CertificateDescription = {
    kind: 'certificate',
    ...legacyFieldsOf(x509),
    version: tbs.version + 1,
    subjectString: nameStringOf(tbs.subject),
    issuerString: nameStringOf(tbs.issuer),
    signatureAlgorithm: signatureAlgorithmName(structure.signatureAlgorithm.algorithm),
    signatureAlgorithmOid: structure.signatureAlgorithm.algorithm,
    keyType: keyFacts.keyType,
    publicKeySha256: keyFacts.publicKeySha256,
    validity: validityOf(
      tbs.validity.notBefore.getTime(),
      tbs.validity.notAfter.getTime(),
      options.now,
    ),
    extensions: describeExtensions(tbs.extensions),
    selfSigned: namesEqual(tbs.subject, tbs.issuer) && verifiesWith(x509, x509),
    issuedBy: null,
  };
  if (options.includePem) description.pem = encodePem('CERTIFICATE', der);
  return description;
}

/** Node's parsed certificate, or an InputError naming the input. */
export function parseX509(der: Uint8Array, source: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (error) {
    throw notACertificate(source, error);
  }
}

/** True when `issuer`'s public key verifies `subject`'s signature. */
export function verifiesWith(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function certificateTree(certificate: CertificateDescription, heading: string): TreeNode {
  const sans = certificate.extensions.find((extension) => extension.name === 'subjectAltName');
  const others = certificate.extensions.filter((extension) => extension !== sans);
  const key = {
    keyType: certificate.keyType,
    bits: certificate.bits ?? null,
    curve: certificate.nistCurve ?? certificate.asn1Curve ?? null,
    publicExponent: certificate.exponent ? Number.parseInt(certificate.exponent, 16) : null,
  };
  return {
    label: heading,
    children: [
      { label: 'Subject', value: certificate.subjectString || '(empty)' },
      { label: 'Issuer', value: certificate.issuerString + issuerNote(certificate) },
      validityTree(certificate.validity),
      ...(sans ? [{ ...extensionTree(sans), label: 'Subject alternative names' }] : []),
      {
        label: 'Public key',
        value: keyTypeText(key),
        children: [{ label: 'SHA-256', value: colonHex(certificate.publicKeySha256) }],
      },
      { label: 'Signature algorithm', value: certificate.signatureAlgorithm },
      { label: 'Serial number', value: colonHex(evenHex(certificate.serialNumber)) },
      { label: 'Version', value: String(certificate.version) },
      ...(others.length
        ? [{ label: `Extensions (${others.length})`, children: others.map(extensionTree) }]
        : []),
      {
        label: 'Fingerprints',
        children: [
          { label: 'SHA-256', value: certificate.fingerprint256 },
          { label: 'SHA-1', value: certificate.fingerprint },
        ],
      },
    ],
  };
}

/** Validity against the clock, in whole days. */
export function validityOf(notBefore: Date, notAfter: Date, now = new Date()): CertificateValidity {
  return {
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: wholeDaysBetween(now, notAfter),
    expired: now.getTime() > notAfter.getTime(),
    notYetValid: now.getTime() < notBefore.getTime(),
  };
}

function validityTree(validity: CertificateValidity): TreeNode {
  return {
    label: 'Validity',
    children: [
      { label: 'Not before', value: formatUtc(validity.notBefore) },
      { label: 'Not after', value: formatUtc(validity.notAfter) },
      validityStatus(validity),
    ],
  };
}

function validityStatus(validity: CertificateValidity): TreeNode {
  const label = 'Status';
  if (validity.expired) {
    return { label, value: `EXPIRED ${countDays(-validity.daysLeft)} ago`, tone: 'bad' };
  }
  if (validity.notYetValid) {
    return { label, value: `not yet valid (from ${formatUtc(validity.notBefore)})`, tone: 'bad' };
  }
  const tone = validity.daysLeft <= EXPIRY_WARNING_DAYS ? 'warning' : 'good';
  return { label, value: `valid, expires in ${countDays(validity.daysLeft)}`, tone };
}

function issuerNote(certificate: CertificateDescription): string {
  if (certificate.selfSigned) return ' (self-signed)';
  return certificate.issuedBy === null ? '' : ` (#${certificate.issuedBy} in this file)`;
}

/**
 * Node's legacy fields, JSON-ready: Buffers as hex, null-prototype objects as plain ones. `raw`
 * (the DER) is left out: `--pem` gives it as text.
 */
function legacyFieldsOf(x509: X509Certificate): Omit<CertificateDescription, TlskitField> {
  const legacy = x509.toLegacyObject();
  const fields: Omit<CertificateDescription, TlskitField> = {
    subject: plainName(legacy.subject),
    issuer: plainName(legacy.issuer),
    ca: legacy.ca,
    valid_from: legacy.valid_from,
    valid_to: legacy.valid_to,
    serialNumber: legacy.serialNumber,
    fingerprint: legacy.fingerprint,
    fingerprint256: legacy.fingerprint256,
    fingerprint512: legacy.fingerprint512,
  };
  // Optional fields are absent, not undefined, when the certificate has none (as in Node).
  if (legacy.subjectaltname !== undefined) fields.subjectaltname = legacy.subjectaltname;
  if (legacy.infoAccess) fields.infoAccess = { ...legacy.infoAccess } as Record<string, string[]>;
  if (legacy.ext_key_usage) fields.ext_key_usage = legacy.ext_key_usage;
  if (legacy.bits !== undefined) fields.bits = legacy.bits;
  if (legacy.exponent !== undefined) fields.exponent = legacy.exponent;
  if (legacy.modulus !== undefined) fields.modulus = legacy.modulus;
  if (legacy.asn1Curve !== undefined) fields.asn1Curve = legacy.asn1Curve;
  if (legacy.nistCurve !== undefined) fields.nistCurve = legacy.nistCurve;
  if (legacy.pubkey) fields.pubkey = hexOf(legacy.pubkey);
  return fields;
}

type TlskitField =
  | 'kind'
  | 'version'
  | 'subjectString'
  | 'issuerString'
  | 'signatureAlgorithm'
  | 'signatureAlgorithmOid'
  | 'keyType'
  | 'publicKeySha256'
  | 'validity'
  | 'extensions'
  | 'selfSigned'
  | 'issuedBy'
  | 'pem';

function plainName(name: object | undefined): NameObject {
  return { ...(name ?? {}) } as NameObject;
}

/** Node prints serials without a leading zero nibble; colon hex wants whole bytes. */
function evenHex(hex: string): string {
  return hex.length % 2 ? `0${hex}` : hex;
}

function notACertificate(source: string, cause: unknown): InputError {
  return new InputError(`${source}: not a valid certificate`, { cause });
}
