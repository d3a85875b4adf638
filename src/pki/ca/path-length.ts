import { AsnConvert } from '@peculiar/asn1-schema';
import type { Name } from '@peculiar/asn1-x509';
import { RefusedError } from '../../errors.js';
import type { CertificateDetails } from '../certificate.js';

/**
 * Refuses a new certificate that a pathLenConstraint in the issuing chain forbids (RFC 5280
 * §4.2.1.9: the most non-self-issued intermediate certificates that may follow a CA certificate in
 * a path). `chain` runs from the issuing CA up to the root. Below `chain[k]` the new path holds the
 * k certificates chain[k-1..0], plus the new certificate itself when it is a CA (it will be an
 * intermediate for whatever it issues). A requested `pathLength` above what the chain still allows
 * is refused too: it could never be used, so asking for it is a mistake.
 */
export function checkPathLength(
  chain: readonly CertificateDetails[],
  newCertificate: { ca: boolean; pathLength?: number },
): void {
  let intermediatesBelow = newCertificate.ca ? 1 : 0;
  for (const [index, ca] of chain.entries()) {
    const limit = ca.basicConstraints?.pathLenConstraint;
    if (limit !== undefined) {
      if (intermediatesBelow > limit) {
        throw new RefusedError(
          `${ca.source} has pathlen ${limit}: ${describeRefusal(index, newCertificate.ca)}`,
          { hint: newCertificate.ca ? 'issue the CA from a CA higher up' : 'use a shorter chain' },
        );
      }
      const room = limit - intermediatesBelow;
      if (newCertificate.pathLength !== undefined && newCertificate.pathLength > room) {
        throw new RefusedError(
          `pathlen ${newCertificate.pathLength} is more than ${ca.source} allows below it (${room})`,
          { hint: `use --pathlen ${room} or less` },
        );
      }
    }
    if (!isSelfIssued(ca)) intermediatesBelow++;
  }
}

function describeRefusal(index: number, newIsCa: boolean): string {
  if (index === 0 && newIsCa) return 'it cannot issue CA certificates';
  return `it allows no ${newIsCa ? 'further CA' : 'more intermediate'} certificates below it`;
}

/** Self-issued (subject equals issuer) certificates do not count towards path lengths. */
function isSelfIssued(ca: CertificateDetails): boolean {
  const tbs = ca.certificate.tbsCertificate;
  const der = (name: Name) => Buffer.from(AsnConvert.serialize(name));
  return der(tbs.subject).equals(der(tbs.issuer));
}
