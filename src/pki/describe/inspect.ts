import { InputError } from '../../errors.js';
import { decodePem, looksLikePem, type PemBlock } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { readInputFile } from '../../io/read-input.js';
import type { TreeNode } from '../../render/text-tree.js';
import {
  certificateTree,
  describeCertificate,
  parseX509,
  verifiesWith,
  type CertificateDescription,
} from './certificate.js';
import { crlSignedBy, crlTree, describeCrl, type CrlDescription } from './crl.js';
import { csrTree, describeCsr, type CsrDescription } from './csr.js';
import { derFramingOf } from './der.js';
import { describeDhParameters, dhParametersTree, type DhParametersDescription } from './dh.js';
import type { DescribeOptions } from './describe-options.js';
import {
  describePrivateKeyBlock,
  describePrivateKeyDer,
  describePublicKeyBlock,
  describePublicKeyDer,
  privateKeyFormOf,
  privateKeyTree,
  publicKeyEncodingOf,
  publicKeyTree,
  type PrivateKeyDescription,
  type PublicKeyDescription,
} from './key.js';
import { describePkcs12, looksLikePkcs12, pkcs12Tree, type Pkcs12Description } from './pkcs12.js';

export interface InspectOptions {
  /**
   * Asked only when a private key turns out to be encrypted, or to look inside a PKCS#12 file
   * (without it, a PKCS#12 file is described as far as no password is needed).
   */
  passphrase?: PassphraseProvider;
  /** The clock for validity and CRL freshness; tests pin it. */
  now?: Date;
  /** Include each certificate's, CSR's, CRL's and public key's PEM text (never a private key's). */
  includePem?: boolean;
}

/** A PEM block inspect does not describe (EC PARAMETERS, DH PARAMETERS…), listed so none is hidden. */
export interface OtherPemBlockDescription {
  kind: 'other';
  label: string;
  bytes: number;
}

export type ObjectDescription =
  | CertificateDescription
  | CsrDescription
  | CrlDescription
  | PrivateKeyDescription
  | PublicKeyDescription
  | DhParametersDescription
  | Pkcs12Description
  | OtherPemBlockDescription;

/** One object of the input, with its position in the file (from 1). */
export type InspectedObject = { index: number } & ObjectDescription;

export interface InspectResult {
  file: string;
  encoding: 'pem' | 'der';
  objects: InspectedObject[];
}

/** Reads a file and describes every object in it, in order. */
export async function inspectFile(
  path: string,
  options: InspectOptions = {},
): Promise<InspectResult> {
  return inspectData(await readInputFile(path), path, options);
}

/**
 * Describes PEM (any number of blocks) or DER (one object: certificate, CSR, CRL, private key or
 * public key, tried in that order). `source` names the input in messages and in `file`.
 */
export async function inspectData(
  data: Uint8Array,
  source: string,
  options: InspectOptions = {},
): Promise<InspectResult> {
  const pem = looksLikePem(data);
  const found = pem
    ? await describePem(data, source, options)
    : [await describeDer(data, source, options)];
  linkIssuers(found);
  return {
    file: source,
    encoding: pem ? 'pem' : 'der',
    objects: found.map(({ description }, index) => ({ index: index + 1, ...description })),
  };
}

/** The human form: one tree per object, headed `#2 Certificate` when the file holds several. */
export function inspectionTree(result: InspectResult): TreeNode[] {
  const several = result.objects.length > 1;
  const trees = result.objects.map((object) => {
    const heading = several ? `#${object.index} ${TITLES[object.kind]}` : TITLES[object.kind];
    return objectTree(object, heading);
  });
  if (!several) return trees;
  return [{ label: `${result.file}: ${result.objects.length} objects` }, ...trees];
}

/** What was found, with its DER where a later step (linking issuers) needs it. */
interface Found {
  description: ObjectDescription;
  der?: Uint8Array;
}

const TITLES: Record<ObjectDescription['kind'], string> = {
  certificate: 'Certificate',
  csr: 'Certificate request',
  crl: 'Certificate revocation list',
  'private-key': 'Private key',
  'public-key': 'Public key',
  'dh-parameters': 'DH parameters',
  pkcs12: 'PKCS#12',
  other: 'Other PEM block',
};

const PRIVATE_KEY_LABELS = new Set([
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
]);

function objectTree(object: InspectedObject, heading: string): TreeNode {
  switch (object.kind) {
    case 'certificate':
      return certificateTree(object, heading);
    case 'csr':
      return csrTree(object, heading);
    case 'crl':
      return crlTree(object, heading);
    case 'private-key':
      return privateKeyTree(object, heading);
    case 'public-key':
      return publicKeyTree(object, heading);
    case 'dh-parameters':
      return dhParametersTree(object, heading);
    case 'pkcs12':
      return pkcs12Tree(object, heading);
    case 'other':
      return { label: heading, value: `${object.label} (${object.bytes} bytes, not described)` };
  }
}

async function describePem(
  data: Uint8Array,
  source: string,
  options: InspectOptions,
): Promise<Found[]> {
  const blocks = decodePem(Buffer.from(data).toString('utf8'), source);
  if (blocks.length === 0) throw notRecognised(source);
  const found: Found[] = [];
  for (const [index, block] of blocks.entries()) {
    const blockSource = blocks.length > 1 ? `${source} block #${index + 1}` : source;
    // One at a time: an encrypted key may prompt, and prompts must not interleave.
    found.push(await describeBlock(block, { ...options, source: blockSource }));
  }
  return found;
}

async function describeBlock(
  block: PemBlock,
  options: InspectOptions & DescribeOptions,
): Promise<Found> {
  const { der, label } = block;
  const { source } = options;
  switch (label) {
    case 'CERTIFICATE':
    case 'X509 CERTIFICATE':
      checkFraming(der, source);
      return { description: describeCertificate(der, options), der };
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST':
      checkFraming(der, source);
      return { description: describeCsr(der, options) };
    case 'X509 CRL':
      checkFraming(der, source);
      return { description: describeCrl(der, options), der };
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      return { description: describePublicKeyBlock(block, options) };
    case 'DH PARAMETERS':
      return { description: describeDhParameters(der, { ...options, format: 'pkcs3' }) };
    case 'X9.42 DH PARAMETERS':
      return { description: describeDhParameters(der, { ...options, format: 'x942' }) };
    default:
      if (PRIVATE_KEY_LABELS.has(label)) {
        return { description: await describePrivateKeyBlock(block, options) };
      }
      return { description: { kind: 'other', label, bytes: der.length } };
  }
}

async function describeDer(
  data: Uint8Array,
  source: string,
  options: InspectOptions,
): Promise<Found> {
  const der = Buffer.from(data);
  checkFraming(der, source);
  const describeOptions = { ...options, source };
  const attempts: Array<() => ObjectDescription> = [
    () => describeCertificate(der, describeOptions),
    () => describeCsr(der, describeOptions),
    () => describeCrl(der, describeOptions),
  ];
  for (const attempt of attempts) {
    const description = unlessInputError(attempt);
    if (description) return { description, der };
  }
  if (looksLikePkcs12(der)) return { description: await describePkcs12(der, describeOptions) };
  // Private before public: OpenSSL reads an RSAPrivateKey as a PKCS#1 public key too.
  const privateForm = privateKeyFormOf(der);
  if (privateForm) {
    return { description: await describePrivateKeyDer(der, privateForm, describeOptions) };
  }
  // DH parameters are SEQUENCE { p, g [, q] }, like an RSA public key { n, e }; but RSA exponents
  // are odd and DH generators of PKCS#3 files even, and X9.42 files have a third number.
  const dh = unlessInputError(() => describeDhParameters(der, describeOptions));
  if (dh && (dh.format === 'x942' || BigInt(dh.generator) % 2n === 0n)) return { description: dh };
  const publicEncoding = publicKeyEncodingOf(der);
  if (publicEncoding) {
    return { description: describePublicKeyDer(der, publicEncoding, describeOptions) };
  }
  throw notRecognised(source);
}

/** Cut-off input gets its own message: "not a certificate" would send the user the wrong way. */
function checkFraming(der: Uint8Array, source: string): void {
  const framing = derFramingOf(der);
  if (framing === 'truncated') {
    throw new InputError(`${source}: truncated DER`, {
      hint: 'the file was cut short; copy or download it again',
    });
  }
  if (framing === 'trailing-data') {
    throw new InputError(`${source}: unexpected bytes after the DER object`, {
      hint: 'the file holds more than one object, or was damaged; PEM can hold several',
    });
  }
  if (framing !== 'complete') throw notRecognised(source);
}

function unlessInputError<T>(attempt: () => T): T | undefined {
  try {
    return attempt();
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/**
 * Fills `issuedBy`: the certificate in the same input whose subject is this object's issuer and
 * whose key verifies its signature (a chain file lists leaf, intermediate, root).
 */
function linkIssuers(found: Found[]): void {
  const certificates = found.flatMap((entry, position) =>
    entry.description.kind === 'certificate' && entry.der
      ? [{ position, description: entry.description, x509: parseX509(entry.der, 'certificate') }]
      : [],
  );
  for (const [position, entry] of found.entries()) {
    const { description, der } = entry;
    if (!der || (description.kind !== 'certificate' && description.kind !== 'crl')) continue;
    if (description.kind === 'certificate' && description.selfSigned) continue;
    const subject = description.kind === 'certificate' ? parseX509(der, 'certificate') : undefined;
    const issuer = certificates.find(
      (candidate) =>
        candidate.position !== position &&
        candidate.description.subjectString === description.issuerString &&
        (subject
          ? verifiesWith(subject, candidate.x509)
          : crlSignedBy(der, candidate.x509.publicKey)),
    );
    description.issuedBy = issuer ? issuer.position + 1 : null;
  }
}

function notRecognised(source: string): InputError {
  return new InputError(`${source}: not a certificate, CSR or key`, {
    hint: 'inspect reads certificates, CSRs, CRLs, keys, DH parameters and PKCS#12 files',
  });
}
