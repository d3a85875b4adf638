import { InputError } from '../../errors.js';

/**
 * The reasons `ca revoke --reason` takes: RFC 5280 §5.3.1 CRLReason names. `unspecified` is not
 * offered: the RFC says to leave the reason out instead, which is what no --reason does.
 */
export const REVOCATION_REASONS = [
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

/** A CRLReason name (RFC 5280 §5.3.1), including `unspecified`, which openssl may write. */
export type RevocationReason = (typeof REVOCATION_REASONS)[number] | 'unspecified';

/** The CRLReason ENUMERATED value of each reason (7 is unused). */
export const REASON_CODES: Readonly<Record<RevocationReason, number>> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

/**
 * How each reason is spelled in index.txt. OpenSSL's `ca` knows the first eight (its crl_reasons
 * table, compared case-insensitively) plus three pseudo-reasons; privilegeWithdrawn and
 * aACompromise are not in that table, so `openssl ca -gencrl` refuses an index that holds them
 * ("invalid reason code"). tlskit still records them, spelled as the RFC spells them, and warns.
 */
const INDEX_SPELLINGS: Readonly<Record<RevocationReason, string>> = {
  unspecified: 'unspecified',
  keyCompromise: 'keyCompromise',
  cACompromise: 'CACompromise',
  affiliationChanged: 'affiliationChanged',
  superseded: 'superseded',
  cessationOfOperation: 'cessationOfOperation',
  certificateHold: 'certificateHold',
  removeFromCRL: 'removeFromCRL',
  privilegeWithdrawn: 'privilegeWithdrawn',
  aACompromise: 'aACompromise',
};

/** openssl's pseudo-reasons: `-crl_hold`, `-crl_compromise` and `-crl_CA_compromise` write them. */
const INDEX_PSEUDO_REASONS: Readonly<Record<string, RevocationReason>> = {
  holdinstruction: 'certificateHold',
  keytime: 'keyCompromise',
  cakeytime: 'cACompromise',
};

/** Reasons that `openssl ca` cannot read back from index.txt. */
export const OPENSSL_UNREADABLE_REASONS: readonly RevocationReason[] = [
  'privilegeWithdrawn',
  'aACompromise',
];

/** A --reason value, matched without regard to case (`caCompromise`, `CACompromise` both work). */
export function parseRevocationReason(text: string): Exclude<RevocationReason, 'unspecified'> {
  const found = REVOCATION_REASONS.find((name) => name.toLowerCase() === text.toLowerCase());
  if (!found) {
    throw new InputError(`--reason ${text} is not a revocation reason`, {
      hint: `use one of ${REVOCATION_REASONS.join(', ')}`,
    });
  }
  return found;
}

/** How index.txt spells a reason. */
export function indexSpellingOf(reason: RevocationReason): string {
  return INDEX_SPELLINGS[reason];
}

/** The reason an index.txt reason word stands for (case-insensitive, pseudo-reasons mapped). */
export function reasonOfIndexWord(word: string): RevocationReason | undefined {
  const lower = word.toLowerCase();
  const direct = (Object.keys(INDEX_SPELLINGS) as RevocationReason[]).find(
    (reason) => reason.toLowerCase() === lower || INDEX_SPELLINGS[reason].toLowerCase() === lower,
  );
  return direct ?? INDEX_PSEUDO_REASONS[lower];
}
