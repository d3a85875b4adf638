import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CertificateList,
  IssuingDistributionPoint,
  id_ce_authorityKeyIdentifier,
  id_ce_certificateIssuer,
  id_ce_cRLReasons,
  id_ce_deltaCRLIndicator,
  id_ce_issuingDistributionPoint,
  type DistributionPointName,
} from '@peculiar/asn1-x509';
import { InputError, messageOf } from '../../errors.js';
import { crlSignedBy } from '../describe/crl.js';
import { DerTag, readElement } from '../describe/der.js';
import { nameStringOf } from '../describe/names.js';
import {
  checkFraming,
  readAuthorityKeyId,
  serialHexOf,
  type AuthorityKeyId,
} from './chain-certificate.js';
import { elementsWithBytes } from './der-elements.js';
import { canonicalName, type CanonicalName } from './name-canon.js';

/** The issuingDistributionPoint extension (RFC 5280 §5.2.5): which certificates a list covers. */
export interface ListScope {
  distributionPoint?: DistributionPointName;
  onlyUserCertificates: boolean;
  onlyCaCertificates: boolean;
  onlyAttributeCertificates: boolean;
  indirect: boolean;
  onlySomeReasons: boolean;
}

/** A CRL parsed for revocation checking. */
export interface RevocationList {
  der: Buffer;
  source: string;
  issuer: CanonicalName;
  issuerText: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  authorityKeyIdentifier?: AuthorityKeyId;
  /** Revoked serials (normalised hex, see serialHexOf) and their crlReason code, if any. */
  revoked: Map<string, number | undefined>;
  scope?: ListScope;
  /** A malformed or contradictory issuingDistributionPoint: OpenSSL uses no such list. */
  scopeInvalid: boolean;
  /** A delta CRL (RFC 5280 §5.2.4); only complete lists are used. */
  delta: boolean;
  /** A critical extension, on the list or an entry, that OpenSSL does not process. */
  unhandledCritical: boolean;
  /** The signature algorithm inside the signed part equals the one outside it. */
  signatureAlgorithmsAgree: boolean;
}

/** crlReason removeFromCRL (RFC 5280 §5.3.1): a delta CRL un-revoking a certificate on hold. */
export const REMOVE_FROM_CRL = 8;

/** Parses a DER CRL; malformed DER is an InputError naming `source`. */
export function parseRevocationList(der: Uint8Array, source: string): RevocationList {
  const bytes = Buffer.from(der);
  checkFraming(bytes, source, 'CRL');
  let list: CertificateList;
  let raw: { issuer: CanonicalName; algorithmsAgree: boolean };
  try {
    list = AsnConvert.parse(bytes, CertificateList);
    raw = rawPartsOf(bytes);
  } catch (error) {
    throw new InputError(`${source} is not a valid CRL (${messageOf(error)})`, {
      hint: 'give certificate revocation lists in PEM (X509 CRL) or DER',
      cause: error,
    });
  }
  const tbs = list.tbsCertList;
  const result: RevocationList = {
    der: bytes,
    source,
    issuer: raw.issuer,
    issuerText: nameStringOf(tbs.issuer),
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate?.getTime(),
    revoked: new Map(),
    scopeInvalid: false,
    delta: false,
    unhandledCritical: false,
    signatureAlgorithmsAgree: raw.algorithmsAgree,
  };
  for (const extension of tbs.crlExtensions ?? []) {
    const value = new Uint8Array(extension.extnValue.buffer);
    switch (extension.extnID) {
      case id_ce_authorityKeyIdentifier:
        result.authorityKeyIdentifier = tolerant(() => readAuthorityKeyId(value));
        break;
      case id_ce_issuingDistributionPoint:
        result.scope = tolerant(() => scopeOf(value));
        result.scopeInvalid = result.scope === undefined || contradictory(result.scope);
        break;
      case id_ce_deltaCRLIndicator:
        result.delta = true;
        break;
      default:
        if (extension.critical) result.unhandledCritical = true;
    }
  }
  for (const entry of tbs.revokedCertificates ?? []) {
    let reason: number | undefined;
    for (const extension of entry.crlEntryExtensions ?? []) {
      if (extension.extnID === id_ce_cRLReasons) {
        reason = tolerant(() => reasonOf(new Uint8Array(extension.extnValue.buffer)));
      } else if (extension.critical && extension.extnID !== id_ce_certificateIssuer) {
        result.unhandledCritical = true;
      }
    }
    result.revoked.set(serialHexOf(new Uint8Array(entry.userCertificate)), reason);
  }
  return result;
}

/** True when `key` made the list's signature (and the list names one algorithm throughout). */
export function revocationListSignedBy(list: RevocationList, key: KeyObject): boolean {
  return list.signatureAlgorithmsAgree && crlSignedBy(list.der, key);
}

// ---------------------------------------------------------------------------------------------

/** The issuer name and both signature algorithm identifiers, read from the DER itself. */
function rawPartsOf(der: Uint8Array): { issuer: CanonicalName; algorithmsAgree: boolean } {
  const [tbs, outerAlgorithm] = elementsWithBytes(readElement(der).content);
  if (!tbs || !outerAlgorithm) throw new RangeError('CertificateList is missing fields');
  const fields = elementsWithBytes(tbs.content);
  const offset = fields[0]?.tag === DerTag.integer ? 1 : 0;
  const [innerAlgorithm, issuer] = fields.slice(offset);
  if (!innerAlgorithm || !issuer) throw new RangeError('TBSCertList is missing fields');
  return {
    issuer: canonicalName(issuer.bytes),
    algorithmsAgree: Buffer.from(innerAlgorithm.bytes).equals(Buffer.from(outerAlgorithm.bytes)),
  };
}

function scopeOf(value: Uint8Array): ListScope {
  const point = AsnConvert.parse(value, IssuingDistributionPoint);
  return {
    distributionPoint: point.distributionPoint,
    onlyUserCertificates: point.onlyContainsUserCerts,
    onlyCaCertificates: point.onlyContainsCACerts,
    onlyAttributeCertificates: point.onlyContainsAttributeCerts,
    indirect: point.indirectCRL,
    onlySomeReasons: point.onlySomeReasons !== undefined,
  };
}

/** RFC 5280 §5.2.5: at most one of the only-contains flags may be set. */
function contradictory(scope: ListScope): boolean {
  const flags = [
    scope.onlyUserCertificates,
    scope.onlyCaCertificates,
    scope.onlyAttributeCertificates,
  ];
  return flags.filter(Boolean).length > 1;
}

function reasonOf(value: Uint8Array): number {
  const element = readElement(value);
  if (element.tag !== DerTag.enumerated || element.content.length !== 1) {
    throw new RangeError('crlReason is not a one-octet ENUMERATED');
  }
  return element.content[0] as number;
}

/** A part OpenSSL ignores when it cannot parse it: undefined instead of an error. */
function tolerant<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
