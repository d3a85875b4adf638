import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  Extension,
  Extensions,
  id_ce_subjectAltName,
  Name,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { InputError, messageOf, UsageError } from '../errors.js';
import { decodePem, encodePem, looksLikePem } from '../io/pem.js';
import { describeKey, publicKeyFromSpki, publicKeyOf } from './keys.js';
import { decodeName, encodeName, formatName, type DistinguishedName } from './name.js';
import { decodeSubjectAltNames, encodeSubjectAltNames, type SubjectAltName } from './san.js';
import {
  signatureAlgorithmByOid,
  signatureAlgorithmFor,
  signData,
  verifyData,
  type Digest,
  type SignatureAlgorithm,
} from './signature-algorithm.js';
import { readInputFile } from '../io/read-input.js';
import { toArrayBuffer } from './der-writer.js';

/** A PKCS#10 certification request, parsed and checked. */
export interface CertificateRequest {
  der: Buffer;
  /** The subject exactly as encoded, to be carried into certificates unchanged. */
  subject: Name;
  /** formatName(decodeName(subject), 'openssl'): `C=UK, O=node.js, CN=localhost`. */
  subjectText: string;
  publicKey: KeyObject;
  /** The extensions in the extensionRequest attribute ([] if none). */
  requestedExtensions: Extension[];
  /** From the requested subjectAltName extension, if any. */
  sans: SubjectAltName[];
  signatureAlgorithm: SignatureAlgorithm;
  /** The request's self-signature verifies with its own public key (proof of possession). */
  signatureValid: boolean;
}

export interface CreateCsrOptions {
  /** The private key: its public half goes into the request, and it signs the request. */
  key: KeyObject;
  subject: DistinguishedName;
  sans?: readonly SubjectAltName[];
  /** Default: SHA-256 for RSA, the curve's own strength for EC; none for EdDSA. */
  digest?: Digest;
}

export interface CreatedCsr {
  der: Buffer;
  pem: string;
  signatureAlgorithm: SignatureAlgorithm;
}

const CSR_PEM_LABEL = 'CERTIFICATE REQUEST';
/** The label Netscape-era tools and some Windows ones still write. */
const LEGACY_CSR_PEM_LABEL = 'NEW CERTIFICATE REQUEST';
/** PKCS#9 extensionRequest (RFC 2985 5.4.2). */
const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14';

/**
 * A PKCS#10 v1 request (RFC 2986) as `openssl req -new` makes it: the key's SPKI, the subject,
 * any SANs in an extensionRequest attribute, signed by the key.
 */
export function createCsr(options: CreateCsrOptions): CreatedCsr {
  const { key } = options;
  if (key.type !== 'private') {
    throw new UsageError('a certificate request must be signed with a private key', {
      hint: 'give the private key, not the public one',
    });
  }
  if (options.subject.length === 0 && (options.sans ?? []).length === 0) {
    // RFC 5280 4.1.2.6: a certificate with an empty subject must name its subject in a SAN.
    throw new InputError('the request has neither a subject nor a subject alternative name', {
      hint: 'give a subject such as /CN=example.com, or at least one SAN',
    });
  }
  describeKey(key);
  const algorithm = signatureAlgorithmFor(key, options.digest);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: encodeName(options.subject),
    subjectPKInfo: AsnConvert.parse(
      publicKeyOf(key).export({ type: 'spki', format: 'der' }),
      SubjectPublicKeyInfo,
    ),
    attributes: new Attributes(extensionRequest(options.subject, options.sans ?? [])),
  });
  const infoDer = Buffer.from(AsnConvert.serialize(info));
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({
      algorithm: algorithm.oid,
      ...(algorithm.nullParameters ? { parameters: null } : {}),
    }),
    signature: toArrayBuffer(signData(algorithm, key, infoDer)),
  });
  const der = Buffer.from(AsnConvert.serialize(request));
  return { der, pem: encodePem(CSR_PEM_LABEL, der), signatureAlgorithm: algorithm };
}

/**
 * Reads a PKCS#10 request from PEM (`CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`) or DER,
 * and checks its self-signature. Anything malformed is an InputError naming `source`; a bad
 * signature is not an error but `signatureValid: false`, for the caller to judge.
 */
/**
 * Reads a CSR file that is fit to sign: its signature verifies, and it names something (a
 * subject or SANs). What `sign` and `ca issue` both require before issuing.
 */
export async function readSignableCsrFile(path: string): Promise<CertificateRequest> {
  const csr = readCsr(await readInputFile(path), path);
  if (!csr.signatureValid) {
    throw new InputError(`${path}: signature does not verify`, {
      hint: 'the request was altered or signed with another key: make it again',
    });
  }
  if (csr.subject.length === 0 && csr.sans.length === 0) {
    throw new InputError(`${path} names nothing: its subject is empty and it has no SANs`, {
      hint: 'make the request again with --subject or --san',
    });
  }
  return csr;
}

export function readCsr(data: Uint8Array, source: string): CertificateRequest {
  const der = looksLikePem(data) ? csrPemBlock(data, source) : Buffer.from(data);
  const request = parseRequest(der, source);
  const info = request.certificationRequestInfo;
  if (info.version !== 0) {
    throw new InputError(`${source}: certificate request version ${info.version + 1} is unknown`, {
      hint: 'only PKCS#10 v1 requests exist',
    });
  }
  const publicKey = publicKeyFromSpki(
    AsnConvert.serialize(info.subjectPKInfo),
    `${source}: the request's public key`,
  );
  const signatureAlgorithm = signatureAlgorithmByOid(request.signatureAlgorithm.algorithm);
  if (!signatureAlgorithm) {
    throw new InputError(
      `${source}: unsupported signature algorithm ${request.signatureAlgorithm.algorithm}`,
      { hint: 'sign the request with RSA PKCS#1 v1.5, ECDSA, Ed25519 or Ed448' },
    );
  }
  const requestedExtensions = extensionsRequestedIn(info.attributes, source);
  const san = requestedExtensions.find((extension) => extension.extnID === id_ce_subjectAltName);
  return {
    der,
    subject: info.subject,
    subjectText: describeSubject(info.subject, source),
    publicKey,
    requestedExtensions,
    sans: san ? decodeSubjectAltNames(san, source) : [],
    signatureAlgorithm,
    // The signature covers the bytes as received, not a re-encoding of them.
    signatureValid: verifyData(
      signatureAlgorithm,
      publicKey,
      new Uint8Array(request.certificationRequestInfoRaw ?? new ArrayBuffer(0)),
      new Uint8Array(request.signature),
    ),
  };
}

// ---------------------------------------------------------------------------------------------

function extensionRequest(
  subject: DistinguishedName,
  sans: readonly SubjectAltName[],
): Attribute[] {
  if (sans.length === 0) return [];
  const extensions = new Extensions([
    encodeSubjectAltNames(sans, { critical: subject.length === 0 }),
  ]);
  return [
    new Attribute({ type: EXTENSION_REQUEST_OID, values: [AsnConvert.serialize(extensions)] }),
  ];
}

function csrPemBlock(data: Uint8Array, source: string): Buffer {
  const blocks = decodePem(Buffer.from(data).toString('utf8'), source);
  const block = blocks.find(
    (candidate) => candidate.label === CSR_PEM_LABEL || candidate.label === LEGACY_CSR_PEM_LABEL,
  );
  if (block) return block.der;
  const found = blocks.map((candidate) => candidate.label).join(', ') || 'no PEM block';
  throw new InputError(`${source} holds ${found}, not a certificate request`, {
    hint: 'give a CSR (-----BEGIN CERTIFICATE REQUEST-----), e.g. from tlskit csr',
  });
}

function parseRequest(der: Buffer, source: string): CertificationRequest {
  const notCsr = (detail: string, cause?: unknown) =>
    new InputError(`${source} is not a valid certificate request (${detail})`, {
      hint: 'give a PKCS#10 CSR in PEM or DER',
      cause,
    });
  const length = derObjectLength(der);
  if (length === undefined) throw notCsr('not a DER SEQUENCE');
  if (length > der.length) throw notCsr('truncated');
  if (length < der.length) throw notCsr(`${der.length - length} bytes after the request`);
  try {
    return AsnConvert.parse(der, CertificationRequest);
  } catch (error) {
    throw notCsr(messageOf(error), error);
  }
}

/** The full length (header + contents) of the DER SEQUENCE at the start of `der`. */
function derObjectLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1] as number;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  // Four length octets already allow 4 GiB: anything longer is not a certificate request.
  if (octets === 0 || octets > 4 || der.length < 2 + octets) return undefined;
  let length = 0;
  for (let index = 0; index < octets; index++) length = length * 0x100 + (der[2 + index] as number);
  return 2 + octets + length;
}

function extensionsRequestedIn(attributes: Attributes | undefined, source: string): Extension[] {
  const requests = (attributes ?? []).filter(
    (attribute) => attribute.type === EXTENSION_REQUEST_OID,
  );
  if (requests.length === 0) return [];
  const values = requests.flatMap((attribute) => attribute.values);
  if (requests.length > 1 || values.length !== 1) {
    throw new InputError(`${source}: the extensionRequest attribute must hold exactly one value`);
  }
  try {
    return [...AsnConvert.parse(values[0] as ArrayBuffer, Extensions)];
  } catch (error) {
    throw new InputError(`${source}: malformed extensionRequest (${messageOf(error)})`, {
      cause: error,
    });
  }
}

function describeSubject(subject: Name, source: string): string {
  try {
    return formatName(decodeName(subject), 'openssl');
  } catch (error) {
    throw new InputError(`${source}: malformed subject (${messageOf(error)})`, { cause: error });
  }
}
