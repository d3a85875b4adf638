import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { EncryptedContent } from '@peculiar/asn1-cms';
import { id_certBag, id_pkcs8ShroudedKeyBag, PKCS12Attribute } from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { InternalError } from '../../errors.js';
import {
  derElement,
  derExplicit,
  derInteger,
  derObjectIdentifier,
  derOctetString,
  derSequence,
} from '../der-writer.js';
import { OID } from './algorithms.js';
import { computeMacData, type MacScheme } from './mac.js';
import { pkcs12Password } from './password.js';
import { encryptWithPassword, type EncryptionScheme } from './pbe.js';
import { EncryptedData, FriendlyName } from './schema.js';

/** The algorithms of one PKCS#12 file: for the key, for the certificates, and for the MAC. */
export interface PfxEncryption {
  key: EncryptionScheme;
  certificates: EncryptionScheme;
  mac: MacScheme;
}

/** PFX.version (RFC 7292 section 4): v3. */
const PFX_VERSION = 3n;
/** The DER tag of a SET OF. */
const SET_OF = 0x31;

/** OpenSSL's iteration count for every PKCS#12 algorithm (PKCS12_DEFAULT_ITER). */
export const PFX_ITERATIONS = 2048;

/**
 * What `openssl pkcs12 -export` writes in OpenSSL 3: PBES2 with PBKDF2-HMAC-SHA256 and
 * AES-256-CBC for the key and the certificates, and a SHA-256 MAC. Salts are 16 bytes, not
 * OpenSSL's 8: NIST SP 800-132 section 5.1 asks for at least 128 bits, and every reader takes
 * any length.
 */
export const MODERN_PFX_ENCRYPTION: PfxEncryption = {
  key: pbes2(),
  certificates: pbes2(),
  mac: { hash: 'sha256', iterations: PFX_ITERATIONS, saltBytes: 16 },
};

/**
 * What `openssl pkcs12 -export -legacy` writes, for readers that predate PBES2 in PKCS#12 (Java
 * before 8u301, Windows before 10 1709 and Server 2019, and Apple's Keychain import, which has
 * long rejected the modern algorithms): 3DES for the key, 40-bit RC2 for the certificates (which
 * only hides them: they are public), a SHA-1 MAC. 8-byte salts, as such files have always had.
 */
export const LEGACY_PFX_ENCRYPTION: PfxEncryption = {
  key: legacyPbe('pbeWithSHA1And3-KeyTripleDES-CBC'),
  certificates: legacyPbe('pbeWithSHA1And40BitRC2-CBC'),
  mac: { hash: 'sha1', iterations: PFX_ITERATIONS, saltBytes: 8 },
};

/** The legacy format with 3DES for the certificates too (`-certpbe PBE-SHA1-3DES`). */
export const LEGACY_3DES_PFX_ENCRYPTION: PfxEncryption = {
  ...LEGACY_PFX_ENCRYPTION,
  certificates: legacyPbe('pbeWithSHA1And3-KeyTripleDES-CBC'),
};

export interface BuildPfxOptions {
  key: KeyObject;
  /** DER of the certificate of `key`. */
  certificate: Uint8Array;
  /** DER of the other certificates of the chain (intermediates, root), in order. */
  chain?: readonly Uint8Array[];
  passphrase: string;
  /** The name Windows, macOS and keytool (as the alias) show; on the key and the certificate. */
  friendlyName?: string;
  encryption: PfxEncryption;
  random?: (size: number) => Buffer;
}

/**
 * A PKCS#12 file laid out as OpenSSL lays it out: an EncryptedData holding the certificates
 * (leaf first), then a Data holding the key in a PKCS8ShroudedKeyBag, the key and the leaf
 * both carrying friendlyName and localKeyID, and a MAC over the whole.
 *
 * The structures are asn1-schema's; the layers that only carry bytes already encoded (ContentInfo
 * content, SafeBag values, the SEQUENCE OFs) are framed with der-writer, because asn1-schema
 * re-parses every ANY value to embed it: each certificate was parsed three times over and the
 * whole AuthenticatedSafe once more, most of the time a PKCS#12 file took.
 */
export function buildPfx(options: BuildPfxOptions): Buffer {
  const { encryption } = options;
  const random = options.random ?? randomBytes;
  const password = pkcs12Password(options.passphrase);
  const attributes = bagAttributes(localKeyIdOf(options.certificate), options.friendlyName);
  const certificateBags = [
    certificateBag(options.certificate, attributes),
    ...(options.chain ?? []).map((der) => certificateBag(der, [])),
  ];
  const keyBag = shroudedKeyBag(options.key, attributes, encryption.key, password, random);
  const authenticatedSafe = derSequence([
    encryptedDataContent(derSequence(certificateBags), encryption.certificates, password, random),
    dataContent(derSequence([keyBag])),
  ]);
  const macData = computeMacData(encryption.mac, authenticatedSafe, password, random);
  return derSequence([
    derInteger(PFX_VERSION),
    dataContent(authenticatedSafe),
    new Uint8Array(AsnConvert.serialize(macData)),
  ]);
}

/** SHA-1 of the certificate's DER: the localKeyID OpenSSL gives a key and its certificate. */
export function localKeyIdOf(certificate: Uint8Array): Buffer {
  return createHash('sha1').update(certificate).digest();
}

// ---------------------------------------------------------------------------------------------

function pbes2(): EncryptionScheme {
  return {
    kind: 'pbes2',
    prf: 'sha256',
    cipher: 'aes-256-cbc',
    iterations: PFX_ITERATIONS,
    saltBytes: 16,
  };
}

function legacyPbe(
  scheme: 'pbeWithSHA1And3-KeyTripleDES-CBC' | 'pbeWithSHA1And40BitRC2-CBC',
): EncryptionScheme {
  return { kind: 'pkcs12-pbe', scheme, iterations: PFX_ITERATIONS, saltBytes: 8 };
}

function bagAttributes(localKeyId: Buffer, friendlyName: string | undefined): PKCS12Attribute[] {
  const attributes: PKCS12Attribute[] = [];
  if (friendlyName !== undefined) {
    attributes.push(attribute(OID.friendlyName, new FriendlyName(friendlyName)));
  }
  attributes.push(attribute(OID.localKeyId, new OctetString(localKeyId)));
  return attributes;
}

function attribute(oid: string, value: object): PKCS12Attribute {
  // PKCS12Attribute's constructor drops its parameters (asn1-pfx 2.x): set the fields instead.
  const result = new PKCS12Attribute();
  result.attrId = oid;
  result.attrValues = [AsnConvert.serialize(value)];
  return result;
}

function certificateBag(der: Uint8Array, attributes: PKCS12Attribute[]): Buffer {
  // CertBag: certId, [0] EXPLICIT OCTET STRING holding the certificate.
  const bag = derSequence([
    derObjectIdentifier(OID.x509Certificate),
    derExplicit(0, derOctetString(der)),
  ]);
  return safeBag(id_certBag, bag, attributes);
}

function shroudedKeyBag(
  key: KeyObject,
  attributes: PKCS12Attribute[],
  scheme: EncryptionScheme,
  password: ReturnType<typeof pkcs12Password>,
  random: (size: number) => Buffer,
): Buffer {
  if (key.type !== 'private') throw new InternalError('a PKCS#12 key bag needs a private key');
  const privateKeyInfo = key.export({ type: 'pkcs8', format: 'der' });
  const { algorithm, ciphertext } = encryptWithPassword(scheme, privateKeyInfo, password, random);
  const encrypted = new EncryptedPrivateKeyInfo({
    encryptionAlgorithm: algorithm,
    encryptedData: new OctetString(ciphertext),
  });
  return safeBag(
    id_pkcs8ShroudedKeyBag,
    new Uint8Array(AsnConvert.serialize(encrypted)),
    attributes,
  );
}

/** SafeBag: bagId, [0] EXPLICIT value, then the attributes (a SET OF, in the order given). */
function safeBag(bagId: string, value: Uint8Array, attributes: PKCS12Attribute[]): Buffer {
  const parts = [derObjectIdentifier(bagId), derExplicit(0, value)];
  if (attributes.length > 0) {
    const encoded = attributes.map((attribute) => new Uint8Array(AsnConvert.serialize(attribute)));
    parts.push(derElement(SET_OF, Buffer.concat(encoded)));
  }
  return derSequence(parts);
}

/** ContentInfo of type data: the content as an OCTET STRING. */
function dataContent(content: Uint8Array): Buffer {
  return contentInfo(OID.data, derOctetString(content));
}

function contentInfo(contentType: string, content: Uint8Array): Buffer {
  return derSequence([derObjectIdentifier(contentType), derExplicit(0, content)]);
}

function encryptedDataContent(
  safeContents: Uint8Array,
  scheme: EncryptionScheme,
  password: ReturnType<typeof pkcs12Password>,
  random: (size: number) => Buffer,
): Buffer {
  const { algorithm, ciphertext } = encryptWithPassword(scheme, safeContents, password, random);
  const encryptedData = new EncryptedData({ version: 0 });
  encryptedData.encryptedContentInfo.contentType = OID.data;
  encryptedData.encryptedContentInfo.contentEncryptionAlgorithm = algorithm;
  encryptedData.encryptedContentInfo.encryptedContent = new EncryptedContent({
    value: new OctetString(ciphertext),
  });
  return contentInfo(OID.encryptedData, new Uint8Array(AsnConvert.serialize(encryptedData)));
}
