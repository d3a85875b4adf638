import type { KeyObject } from 'node:crypto';
import { CertificateList } from '@peculiar/asn1-x509';
import { InputError } from '../../errors.js';
import { encodePem } from '../../io/pem.js';
import type { TreeNode } from '../../render/text-tree.js';
import { signatureAlgorithmByOid, verifyData } from '../signature-algorithm.js';
import type { DescribeOptions } from './describe-options.js';
import { parseDer } from './der.js';
import { describeExtensions, extensionTree, type ExtensionDescription } from './extensions.js';
import { colonHex, formatUtc } from './format.js';
import { nameObjectOf, nameStringOf, type NameObject } from './names.js';
import { signatureAlgorithmName } from './signature-names.js';
import { formatSerial } from '../serial.js';

export interface RevokedCertificateDescription {
  /** Upper-case hex, as Node writes certificates' serialNumber. */
  serialNumber: string;
  revocationDate: string;
  reason: string | null;
}

/** A certificate revocation list (RFC 5280 section 5) as JSON. */
export interface CrlDescription {
  kind: 'crl';
  version: number;
  issuer: NameObject;
  issuerString: string;
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  thisUpdate: string;
  nextUpdate: string | null;
  /** The clock is past nextUpdate: relying parties should have a newer list by now. */
  overdue: boolean;
  crlNumber: string | null;
  revoked: RevokedCertificateDescription[];
  extensions: ExtensionDescription[];
  /** Index of the certificate in the same input whose key signed this list, or null. */
  issuedBy: number | null;
  pem?: string;
}

export function describeCrl(der: Uint8Array, options: DescribeOptions): CrlDescription {
  const list = parseCrl(der, options.source);
  const tbs = list.tbsCertList;
  const now = options.now ?? new Date();
  const nextUpdate = tbs.nextUpdate?.getTime() ?? null;
  const extensions = describeExtensions(tbs.crlExtensions);
  const crlNumber = extensions.find((extension) => extension.name === 'crlNumber');
  const description: CrlDescription = {
    kind: 'crl',
    version: (tbs.version ?? 0) + 1,
    issuer: nameObjectOf(tbs.issuer),
    issuerString: nameStringOf(tbs.issuer),
    signatureAlgorithm: signatureAlgorithmName(list.signatureAlgorithm.algorithm),
    signatureAlgorithmOid: list.signatureAlgorithm.algorithm,
    thisUpdate: tbs.thisUpdate.getTime().toISOString(),
    nextUpdate: nextUpdate?.toISOString() ?? null,
    overdue: nextUpdate !== null && now.getTime() > nextUpdate.getTime(),
    crlNumber: crlNumber && !crlNumber.malformed ? String(crlNumber.value) : null,
    revoked: Array.from(tbs.revokedCertificates ?? [], (entry) => {
      const reason = describeExtensions(entry.crlEntryExtensions).find(
        (extension) => extension.name === 'crlReason' && !extension.malformed,
      );
      return {
        serialNumber: formatSerial(new Uint8Array(entry.userCertificate)),
        revocationDate: entry.revocationDate.getTime().toISOString(),
        reason: reason ? String(reason.value) : null,
      };
    }),
    extensions,
    issuedBy: null,
  };
  if (options.includePem) description.pem = encodePem('X509 CRL', der);
  return description;
}

/** True when `issuerKey` verifies the list's signature (over the exact bytes signed). */
export function crlSignedBy(der: Uint8Array, issuerKey: KeyObject): boolean {
  const list = parseCrl(der, 'CRL');
  const algorithm = signatureAlgorithmByOid(list.signatureAlgorithm.algorithm);
  const signed = list.tbsCertListRaw;
  if (!algorithm || !signed) return false;
  return verifyData(algorithm, issuerKey, new Uint8Array(signed), new Uint8Array(list.signature));
}

/** Revoked entries shown in the human output; the JSON always has them all. */
const REVOKED_SHOWN = 20;

export function crlTree(crl: CrlDescription, heading: string): TreeNode {
  const issuerNote = crl.issuedBy === null ? '' : ` (#${crl.issuedBy} in this file)`;
  const revoked: TreeNode[] = crl.revoked.slice(0, REVOKED_SHOWN).map((entry) => {
    const serial = colonHex(
      entry.serialNumber.length % 2 ? `0${entry.serialNumber}` : entry.serialNumber,
    );
    const reason = entry.reason ? ` (${entry.reason})` : '';
    return { label: '', value: `${serial} on ${formatUtc(entry.revocationDate)}${reason}` };
  });
  if (crl.revoked.length > REVOKED_SHOWN) {
    revoked.push({ label: `… and ${crl.revoked.length - REVOKED_SHOWN} more (see --json)` });
  }
  const others = crl.extensions.filter((extension) => extension.name !== 'crlNumber');
  return {
    label: heading,
    children: [
      { label: 'Issuer', value: crl.issuerString + issuerNote },
      { label: 'This update', value: formatUtc(crl.thisUpdate) },
      crl.nextUpdate === null
        ? { label: 'Next update', value: 'none' }
        : {
            label: 'Next update',
            value: formatUtc(crl.nextUpdate) + (crl.overdue ? ' (OVERDUE)' : ''),
            tone: crl.overdue ? 'bad' : 'good',
          },
      ...(crl.crlNumber === null ? [] : [{ label: 'CRL number', value: crl.crlNumber }]),
      { label: 'Signature algorithm', value: crl.signatureAlgorithm },
      { label: `Revoked certificates (${crl.revoked.length})`, children: revoked },
      ...(others.length
        ? [{ label: `Extensions (${others.length})`, children: others.map(extensionTree) }]
        : []),
    ],
  };
}

function parseCrl(der: Uint8Array, source: string): CertificateList {
  return parseDer(
    der,
    CertificateList,
    (cause) => new InputError(`${source}: not a valid CRL`, { cause }),
  );
}
