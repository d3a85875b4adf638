import { createHash, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { InputError, InternalError, messageOf, UsageError } from '../errors.js';
import { decodePem, encodePem, looksLikePem } from '../io/pem.js';
import { derBitString, derElement, derSequence, toArrayBuffer } from './der-writer.js';
import { DerTag, expectElement, oidText, readChildren } from './describe/der.js';
import { describeKey, keysMatch, publicKeyFromSpki, publicKeyOf } from './keys.js';
import type { Profile } from './profile.js';
import { formatSerial } from './serial.js';
import {
  signatureAlgorithmFor,
  signData,
  type Digest,
  type SignatureAlgorithm,
  type TbsSigner,
} from './signature-algorithm.js';
import type { ValidityPeriod } from './validity.js';

export const CERTIFICATE_PEM_LABEL = 'CERTIFICATE';

/** Who signs: a CA (from its certificate) or, for a self-signed certificate, the subject itself. */
export interface CertificateIssuer {
  /** The issuer's subject name, copied into the new certificate's issuer field. */
  name: Name;
  /** The issuer's private key. */
  key: KeyObject;
  /** The issuer certificate's subjectKeyIdentifier; computed from the key when absent. */
  subjectKeyIdentifier?: Buffer;
}

export interface IssueCertificateOptions {
  /** Copied exactly (a CSR's subject keeps its string types and order). */
  subject: Name;
  publicKey: KeyObject;
  issuer: CertificateIssuer;
  profile: Profile;
  validity: ValidityPeriod;
  /** DER INTEGER content, from randomSerial() or parseSerial(). */
  serial: Buffer;
  digest?: Digest;
  allowWeak?: boolean;
  /** Extensions beyond the profile's, e.g. the CSR's subjectAltName. */
  extraExtensions?: readonly Extension[];
  /** Signs the DER TBSCertificate; default signData() with the issuer's key. */
  sign?: TbsSigner;
}

export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  /** As `openssl x509 -noout -serial` prints it. */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  signatureAlgorithm: SignatureAlgorithm;
  subjectKeyIdentifier: Buffer;
  authorityKeyIdentifier: Buffer;
  /** SHA-256 of the DER, `AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint256: string;
}

/** The parts of an existing certificate that issuing under it needs. */
export interface CertificateDetails {
  der: Buffer;
  /** Where it was read from, for messages. */
  source: string;
  certificate: Certificate;
  subject: Name;
  publicKey: KeyObject;
  subjectKeyIdentifier?: Buffer;
  basicConstraints?: BasicConstraints;
  /** KeyUsageFlags bits; undefined when the certificate has no keyUsage extension. */
  keyUsage?: number;
}

/**
 * An X.509 v3 certificate with the profile's extensions (basicConstraints, keyUsage,
 * extendedKeyUsage), subjectKeyIdentifier and authorityKeyIdentifier, then `extraExtensions`,
 * signed with the issuer's key.
 *
 * A self-signed leaf keeps the profile's keyUsage (no keyCertSign). OpenSSL 1.1 did not treat a
 * self-issued certificate whose keyUsage lacks keyCertSign as self-signed (openssl#1418), so
 * `openssl verify -CAfile self.pem self.pem` failed with error 20; OpenSSL 3 decides
 * self-signedness by names, authorityKeyIdentifier and signature alone, and both it and Node's
 * `tls.connect({ca: [cert]})` accept such a certificate (test/interop). Adding keyCertSign would
 * let the leaf's key sign certificates, and dropping keyUsage would allow every use: both worse.
 */
export async function issueCertificate(
  options: IssueCertificateOptions,
): Promise<IssuedCertificate> {
  const { issuer, validity } = options;
  if (issuer.key.type !== 'private') {
    throw new UsageError('a certificate must be signed with a private key', {
      hint: "give the issuer's private key, not its public one",
    });
  }
  const algorithm = signatureAlgorithmFor(issuer.key, options.digest, {
    allowWeak: options.allowWeak,
  });
  const signatureIdentifier = new AlgorithmIdentifier({
    algorithm: algorithm.oid,
    ...(algorithm.nullParameters ? { parameters: null } : {}),
  });
  const spki = subjectPublicKeyInfoOf(options.publicKey);
  const subjectKeyIdentifier = keyIdentifierOf(spki);
  const authorityKeyIdentifier = issuer.subjectKeyIdentifier ?? keyIdentifierOfKey(issuer.key);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(options.serial),
    signature: signatureIdentifier,
    issuer: issuer.name,
    validity: new Validity(validity),
    subject: options.subject,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions([
      ...profileExtensions(options.profile, options.publicKey),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyIdentifier)),
      extension(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(authorityKeyIdentifier) }),
      ),
      ...checkedExtraExtensions(options.extraExtensions ?? [], options.subject),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = options.sign
    ? await options.sign(algorithm, tbsDer)
    : signData(algorithm, issuer.key, tbsDer);
  const der = signedDer(tbsDer, signatureIdentifier, signature);
  return {
    der,
    pem: encodePem(CERTIFICATE_PEM_LABEL, der),
    serialHex: formatSerial(options.serial),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    signatureAlgorithm: algorithm,
    subjectKeyIdentifier,
    authorityKeyIdentifier,
    fingerprint256: fingerprint256Of(der),
  };
}

/**
 * A signed object (RFC 5280 §4.1 Certificate, §5.1 CertificateList): SEQUENCE of the to-be-signed
 * DER as signed, the algorithm, and the signature as a BIT STRING. Assembled from the bytes
 * already encoded rather than encoding the to-be-signed structure a second time.
 */
export function signedDer(
  tbsDer: Uint8Array,
  algorithm: AlgorithmIdentifier,
  signature: Uint8Array,
): Buffer {
  return derSequence([
    tbsDer,
    new Uint8Array(AsnConvert.serialize(algorithm)),
    derBitString(signature),
  ]);
}

/** Reads one certificate (the first CERTIFICATE block of a PEM file, or DER). */
export function readCertificate(data: Uint8Array, source: string): CertificateDetails {
  const der = looksLikePem(data) ? certificatePemBlock(data, source) : Buffer.from(data);
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch (error) {
    throw new InputError(`${source} is not a valid certificate (${messageOf(error)})`, {
      hint: 'give an X.509 certificate in PEM or DER',
      cause: error,
    });
  }
  const tbs = certificate.tbsCertificate;
  const extensions = [...(tbs.extensions ?? [])];
  const find = (oid: string) => extensions.find((candidate) => candidate.extnID === oid);
  const subjectKeyIdentifier = find(id_ce_subjectKeyIdentifier);
  const basicConstraints = find(id_ce_basicConstraints);
  const keyUsage = find(id_ce_keyUsage);
  return {
    der,
    source,
    certificate,
    subject: tbs.subject,
    publicKey: publicKeyFromSpki(
      AsnConvert.serialize(tbs.subjectPublicKeyInfo),
      `${source}: the certificate's public key`,
    ),
    subjectKeyIdentifier: subjectKeyIdentifier
      ? Buffer.from(parseExtension(subjectKeyIdentifier, SubjectKeyIdentifier, source).buffer)
      : undefined,
    basicConstraints: basicConstraints
      ? parseExtension(basicConstraints, BasicConstraints, source)
      : undefined,
    keyUsage: keyUsage ? parseExtension(keyUsage, KeyUsage, source).toNumber() : undefined,
  };
}

/**
 * The issuer for certificates signed by `ca` with `key`, after checking that the certificate may
 * sign certificates at all (RFC 5280 §4.2.1.9, §4.2.1.3), that the key is its own, and that its
 * path length allows the profile (a pathlen 0 CA issues no CA certificates).
 */
export function issuerFromCertificate(
  ca: CertificateDetails,
  key: KeyObject,
  keySource: string,
  profile: Profile,
): CertificateIssuer {
  const hint = 'sign with a CA certificate (tlskit ca init, or --profile ca), or use --self-key';
  if (!ca.basicConstraints?.cA) {
    throw new InputError(`${ca.source} is not a CA certificate (basicConstraints CA:FALSE)`, {
      hint,
    });
  }
  if (ca.keyUsage !== undefined && !(ca.keyUsage & KeyUsageFlags.keyCertSign)) {
    throw new InputError(`${ca.source} may not sign certificates (keyUsage lacks keyCertSign)`, {
      hint,
    });
  }
  if (!keysMatch(key, ca.publicKey)) {
    throw new InputError(`${keySource} does not match ${ca.source}`, {
      hint: "give the CA certificate's own private key",
    });
  }
  if (ca.basicConstraints.pathLenConstraint === 0 && profile.basicConstraints.ca) {
    throw new InputError(`${ca.source} has pathlen 0: it cannot issue CA certificates`, {
      hint: 'sign the CA certificate with the root, or use a leaf profile',
    });
  }
  return { name: ca.subject, key, subjectKeyIdentifier: ca.subjectKeyIdentifier };
}

/** `AB:CD:…` SHA-256 of the DER, the format of Node's fingerprint256 and openssl -fingerprint. */
export function fingerprint256Of(der: Uint8Array): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}

// ---------------------------------------------------------------------------------------------

function profileExtensions(profile: Profile, publicKey: KeyObject): Extension[] {
  const extensions: Extension[] = [];
  const { ca, pathLength, critical } = profile.basicConstraints;
  extensions.push(
    extension(
      id_ce_basicConstraints,
      critical,
      new BasicConstraints(
        pathLength === undefined ? { cA: ca } : { cA: ca, pathLenConstraint: pathLength },
      ),
    ),
  );
  if (profile.keyUsage) {
    // keyEncipherment means RSA key transport (TLS 1.2 static-RSA suites): EC and EdDSA keys
    // cannot do it, so Go's crypto/x509 and mkcert set it for RSA keys only, and so do we.
    const rsa = describeKey(publicKey).type === 'rsa';
    const usages = profile.keyUsage.usages.filter((usage) => rsa || usage !== 'keyEncipherment');
    if (usages.length === 0) {
      // An empty keyUsage is invalid (RFC 5280 4.2.1.3; OpenSSL rejects the certificate), and
      // dropping the extension would allow every use.
      throw new InputError(
        `profile ${profile.name} allows only keyEncipherment, which a ${describeKey(publicKey).type} key cannot do`,
        { hint: 'add digitalSignature to the profile, or use an RSA key' },
      );
    }
    const flags = usages.reduce((bits, usage) => bits | KeyUsageFlags[usage], 0);
    extensions.push(extension(id_ce_keyUsage, profile.keyUsage.critical, new KeyUsage(flags)));
  }
  if (profile.extendedKeyUsage) {
    const oids = profile.extendedKeyUsage.purposes.map((purpose) => purpose.oid);
    extensions.push(
      extension(id_ce_extKeyUsage, profile.extendedKeyUsage.critical, new ExtendedKeyUsage(oids)),
    );
  }
  return extensions;
}

/** Refuses an extension the profile already sets; marks subjectAltName critical when needed. */
function checkedExtraExtensions(extra: readonly Extension[], subject: Name): Extension[] {
  const seen = new Set<string>(PROFILE_EXTENSION_OIDS);
  return extra.map((candidate) => {
    if (seen.has(candidate.extnID)) {
      throw new InputError(`extension ${candidate.extnID} is given twice`, {
        hint: 'the profile sets basicConstraints, key usages and key identifiers itself',
      });
    }
    seen.add(candidate.extnID);
    // RFC 5280 §4.2.1.6: with an empty subject, the subjectAltName extension MUST be critical.
    if (candidate.extnID === id_ce_subjectAltName && subject.length === 0 && !candidate.critical) {
      return new Extension({ ...candidate, critical: true });
    }
    return candidate;
  });
}

const PROFILE_EXTENSION_OIDS = [
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
];

function extension(oid: string, critical: boolean, value: object): Extension {
  return new Extension({
    extnID: oid,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

/**
 * The key's SubjectPublicKeyInfo as OpenSSL encodes it, split by the plain DER reader rather than
 * parsed through asn1-schema (a measurable share of a fixtures run): SEQUENCE { SEQUENCE {
 * algorithm OID, parameters? }, BIT STRING }.
 */
function subjectPublicKeyInfoOf(key: KeyObject): SubjectPublicKeyInfo {
  const der = publicKeyOf(key).export({ type: 'spki', format: 'der' });
  const [algorithm, publicKey] = readChildren(expectElement(der, DerTag.sequence).content);
  if (!algorithm || publicKey?.tag !== DerTag.bitString) {
    throw new InternalError('OpenSSL exported an unexpected SubjectPublicKeyInfo');
  }
  const [oid, parameters] = readChildren(algorithm.content);
  if (oid?.tag !== DerTag.oid) {
    throw new InternalError('OpenSSL exported an unexpected SubjectPublicKeyInfo');
  }
  return new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({
      algorithm: oidText(oid.content),
      ...(parameters
        ? { parameters: toArrayBuffer(derElement(parameters.tag, parameters.content)) }
        : {}),
    }),
    // The BIT STRING's first octet counts unused bits: none in a key.
    subjectPublicKey: toArrayBuffer(publicKey.content.subarray(1)),
  });
}

/** The key identifier of a key (a public key, or a private key's public half): see below. */
export function keyIdentifierOfKey(key: KeyObject): Buffer {
  return keyIdentifierOf(subjectPublicKeyInfoOf(key));
}

/**
 * RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value, what OpenSSL
 * computes for `subjectKeyIdentifier = hash`, so our identifiers match openssl-made ones.
 */
function keyIdentifierOf(spki: SubjectPublicKeyInfo): Buffer {
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest();
}

function certificatePemBlock(data: Uint8Array, source: string): Buffer {
  const blocks = decodePem(Buffer.from(data).toString('utf8'), source);
  const block = blocks.find((candidate) => candidate.label === CERTIFICATE_PEM_LABEL);
  if (block) return block.der;
  const found = blocks.map((candidate) => candidate.label).join(', ') || 'no PEM block';
  throw new InputError(`${source} holds ${found}, not a certificate`, {
    hint: 'give a certificate (-----BEGIN CERTIFICATE-----)',
  });
}

function parseExtension<T>(found: Extension, type: new () => T, source: string): T {
  try {
    return AsnConvert.parse(found.extnValue.buffer, type);
  } catch (error) {
    throw new InputError(`${source}: malformed extension ${found.extnID} (${messageOf(error)})`, {
      cause: error,
    });
  }
}
