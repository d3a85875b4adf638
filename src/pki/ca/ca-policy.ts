import { RefusedError } from '../../errors.js';
import type { ValidityPeriod } from '../validity.js';
import { CA_CONFIG_FILE, caPath, type CaFolder } from './ca-store.js';
import {
  checkNameConstraints,
  constraintSourceOf,
  nameConstraintsOf,
  type CandidateNames,
  type ConstraintSource,
} from './name-constraints.js';
import { checkPathLength } from './path-length.js';

/** What a new certificate must satisfy to be issued by this CA. */
export interface IssuancePolicyRequest {
  names: CandidateNames;
  ca: boolean;
  pathLength?: number;
  validity: ValidityPeriod;
}

/**
 * Refuses what the CA must not issue, before any key is loaded or serial drawn:
 * names outside the name constraints of any certificate in the chain or of the CA's own policy
 * (tlskit-ca.json), a path length the chain forbids, and a lifetime that outlasts a CA above it
 * (such a certificate would stop verifying before its notAfter).
 */
export function checkIssuancePolicy(folder: CaFolder, request: IssuancePolicyRequest): void {
  checkNameConstraints(constraintSourcesOf(folder), request.names);
  checkPathLength(folder.chain, { ca: request.ca, pathLength: request.pathLength });
  for (const ca of folder.chain) {
    const caNotAfter = notAfterOf(ca);
    if (request.validity.notAfter.getTime() > caNotAfter.getTime()) {
      throw new RefusedError(
        `the certificate would outlive ${ca.source}, which expires ${caNotAfter.toISOString()}`,
        { hint: 'ask for a shorter lifetime with --days or --not-after' },
      );
    }
  }
}

/**
 * A default lifetime (none was asked for) cut back to end with the first CA above it to expire,
 * as step does: a certificate cannot be trusted beyond its issuer's life anyway. An explicit
 * lifetime is left alone, for checkIssuancePolicy to refuse if it is too long.
 */
export function fitDefaultValidity(
  folder: CaFolder,
  validity: ValidityPeriod,
  explicit: boolean,
): ValidityPeriod {
  if (explicit) return validity;
  const limit = Math.min(...folder.chain.map((ca) => notAfterOf(ca).getTime()));
  return validity.notAfter.getTime() > limit
    ? { ...validity, notAfter: new Date(limit) }
    : validity;
}

/** The name constraints that bind this CA: each certificate's in its chain, then its policy. */
export function constraintSourcesOf(folder: CaFolder): ConstraintSource[] {
  const fromChain = folder.chain.flatMap((ca) => nameConstraintsOf(ca) ?? []);
  const policy = constraintSourceOf(
    folder.config.nameConstraints,
    `the policy in ${caPath(folder, CA_CONFIG_FILE)}`,
  );
  return [...fromChain, policy];
}

function notAfterOf(ca: CaFolder['chain'][number]): Date {
  return ca.certificate.tbsCertificate.validity.notAfter.getTime();
}
