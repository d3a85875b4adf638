import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  Extension,
  GeneralName,
  id_ad_ocsp,
  id_ce_cRLDistributionPoints,
  id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';

/**
 * The extensions a CA adds to every certificate it issues, saying where relying parties find its
 * revocation information: crlDistributionPoints (RFC 5280 §4.2.1.13, one distribution point whose
 * full name lists the URLs) and authorityInfoAccess with OCSP locations (§4.2.2.1). Both are
 * non-critical, as the RFC requires for AIA and recommends for CRL distribution points.
 */
export function revocationPointerExtensions(
  crlUrls: readonly string[],
  ocspUrls: readonly string[],
): Extension[] {
  const extensions: Extension[] = [];
  if (crlUrls.length > 0) {
    const point = new DistributionPoint({
      distributionPoint: new DistributionPointName({ fullName: crlUrls.map(uriName) }),
    });
    extensions.push(extension(id_ce_cRLDistributionPoints, new CRLDistributionPoints([point])));
  }
  if (ocspUrls.length > 0) {
    const access = ocspUrls.map(
      (url) => new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uriName(url) }),
    );
    extensions.push(extension(id_pe_authorityInfoAccess, new AuthorityInfoAccessSyntax(access)));
  }
  return extensions;
}

function uriName(url: string): GeneralName {
  return new GeneralName({ uniformResourceIdentifier: url });
}

function extension(oid: string, value: object): Extension {
  return new Extension({
    extnID: oid,
    critical: false,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}
