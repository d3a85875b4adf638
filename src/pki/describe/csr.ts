import { createPublicKey, type KeyObject } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert, AsnParser } from '@peculiar/asn1-schema';
import { Extensions } from '@peculiar/asn1-x509';
import { InputError } from '../../errors.js';
import { encodePem } from '../../io/pem.js';
import type { TreeNode } from '../../render/text-tree.js';
import { signatureAlgorithmByOid, verifyData } from '../signature-algorithm.js';
import type { DescribeOptions } from './describe-options.js';
import { parseDer } from './der.js';
import { describeExtensions, extensionTree, type ExtensionDescription } from './extensions.js';
import { colonHex } from './format.js';
import { keyFactsOf, keyTypeText, type KeyFacts } from './key.js';
import { nameObjectOf, nameStringOf, type NameObject } from './names.js';
import { signatureAlgorithmName } from './signature-names.js';

/** A PKCS#10 certificate signing request (RFC 2986) as JSON. */
export interface CsrDescription extends KeyFacts {
  kind: 'csr';
  version: number;
  /** Same shape as a certificate's `subject` (Node's). */
  subject: NameObject;
  subjectString: string;
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  /** Whether the request's own key verifies its signature; null for an algorithm tlskit cannot check. */
  signatureValid: boolean | null;
  /** Requested extensions (the extensionRequest attribute): SANs, key usage… */
  extensions: ExtensionDescription[];
  /** Other attributes by name (values are not shown: a challengePassword is a secret). */
  attributes: string[];
  pem?: string;
}

export function describeCsr(der: Uint8Array, options: DescribeOptions): CsrDescription {
  const { source } = options;
  const request = parseDer(der, CertificationRequest, (cause) => notACsr(source, cause));
  const info = request.certificationRequestInfo;
  const publicKey = csrPublicKey(info.subjectPKInfo, source);
  const attributes = Array.from(info.attributes ?? []);
  const extensionRequest = attributes.find((attribute) => attribute.type === EXTENSION_REQUEST);
  const description: CsrDescription = {
    kind: 'csr',
    version: info.version + 1,
    subject: nameObjectOf(info.subject),
    subjectString: nameStringOf(info.subject),
    ...keyFactsOf(publicKey),
    signatureAlgorithm: signatureAlgorithmName(request.signatureAlgorithm.algorithm),
    signatureAlgorithmOid: request.signatureAlgorithm.algorithm,
    signatureValid: verifyCsr(request, publicKey),
    extensions: extensionRequest ? requestedExtensions(extensionRequest.values, source) : [],
    attributes: attributes
      .filter((attribute) => attribute !== extensionRequest)
      .map((attribute) => ATTRIBUTE_NAMES[attribute.type] ?? attribute.type),
  };
  if (options.includePem) description.pem = encodePem('CERTIFICATE REQUEST', der);
  return description;
}

export function csrTree(csr: CsrDescription, heading: string): TreeNode {
  return {
    label: heading,
    children: [
      { label: 'Subject', value: csr.subjectString || '(empty)' },
      {
        label: 'Public key',
        value: keyTypeText(csr),
        children: [{ label: 'SHA-256', value: colonHex(csr.publicKeySha256) }],
      },
      { label: 'Signature algorithm', value: csr.signatureAlgorithm },
      signatureNode(csr.signatureValid),
      ...(csr.extensions.length
        ? [
            {
              label: `Requested extensions (${csr.extensions.length})`,
              children: csr.extensions.map(extensionTree),
            },
          ]
        : []),
      ...(csr.attributes.length ? [{ label: 'Attributes', value: csr.attributes.join(', ') }] : []),
    ],
  };
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';

const ATTRIBUTE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.9.7': 'challengePassword',
  '1.2.840.113549.1.9.2': 'unstructuredName',
};

function signatureNode(valid: boolean | null): TreeNode {
  if (valid === null)
    return { label: 'Signature', value: 'not checked (unknown algorithm)', tone: 'warning' };
  return valid
    ? { label: 'Signature', value: 'valid', tone: 'good' }
    : {
        label: 'Signature',
        value: 'INVALID: the request was altered or signed by another key',
        tone: 'bad',
      };
}

function csrPublicKey(spki: unknown, source: string): KeyObject {
  try {
    const der = Buffer.from(AsnConvert.serialize(spki));
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (error) {
    throw new InputError(`${source}: the CSR's public key cannot be read`, { cause: error });
  }
}

/** Verifies over the exact bytes signed, not a re-encoding of them. */
function verifyCsr(request: CertificationRequest, publicKey: KeyObject): boolean | null {
  const algorithm = signatureAlgorithmByOid(request.signatureAlgorithm.algorithm);
  const signed = request.certificationRequestInfoRaw;
  if (!algorithm || !signed) return null;
  return verifyData(
    algorithm,
    publicKey,
    new Uint8Array(signed),
    new Uint8Array(request.signature),
  );
}

function requestedExtensions(values: ArrayBuffer[], source: string): ExtensionDescription[] {
  return values.flatMap((value) => {
    try {
      return describeExtensions(AsnParser.parse(value, Extensions));
    } catch (error) {
      throw new InputError(`${source}: the CSR's extension request is malformed`, { cause: error });
    }
  });
}

function notACsr(source: string, cause: unknown): InputError {
  return new InputError(`${source}: not a valid certificate request`, { cause });
}
