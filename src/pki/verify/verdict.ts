import { CheckFailedError } from '../../errors.js';

/**
 * Why a path failed, named and numbered as OpenSSL 3.0 names them (X509_V_ERR_* without the
 * prefix, and its X509_verify_cert_error_string text), so a verdict can be compared with
 * `openssl verify`'s `error N at D depth lookup: TEXT` line by name, number or text.
 */
export const VERIFY_ERRORS = {
  UNSPECIFIED: [1, 'unspecified certificate verification error'],
  UNABLE_TO_GET_ISSUER_CERT: [2, 'unable to get issuer certificate'],
  UNABLE_TO_GET_CRL: [3, 'unable to get certificate CRL'],
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: [6, 'unable to decode issuer public key'],
  CERT_SIGNATURE_FAILURE: [7, 'certificate signature failure'],
  CRL_SIGNATURE_FAILURE: [8, 'CRL signature failure'],
  CERT_NOT_YET_VALID: [9, 'certificate is not yet valid'],
  CERT_HAS_EXPIRED: [10, 'certificate has expired'],
  CRL_NOT_YET_VALID: [11, 'CRL is not yet valid'],
  CRL_HAS_EXPIRED: [12, 'CRL has expired'],
  DEPTH_ZERO_SELF_SIGNED_CERT: [18, 'self-signed certificate'],
  SELF_SIGNED_CERT_IN_CHAIN: [19, 'self-signed certificate in certificate chain'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: [20, 'unable to get local issuer certificate'],
  CERT_CHAIN_TOO_LONG: [22, 'certificate chain too long'],
  CERT_REVOKED: [23, 'certificate revoked'],
  PATH_LENGTH_EXCEEDED: [25, 'path length constraint exceeded'],
  INVALID_PURPOSE: [26, 'unsuitable certificate purpose'],
  KEYUSAGE_NO_CERTSIGN: [32, 'key usage does not include certificate signing'],
  UNABLE_TO_GET_CRL_ISSUER: [33, 'unable to get CRL issuer certificate'],
  UNHANDLED_CRITICAL_EXTENSION: [34, 'unhandled critical extension'],
  KEYUSAGE_NO_CRL_SIGN: [35, 'key usage does not include CRL signing'],
  UNHANDLED_CRITICAL_CRL_EXTENSION: [36, 'unhandled critical CRL extension'],
  DIFFERENT_CRL_SCOPE: [44, 'different CRL scope'],
  PERMITTED_VIOLATION: [47, 'permitted subtree violation'],
  EXCLUDED_VIOLATION: [48, 'excluded subtree violation'],
  SUBTREE_MINMAX: [49, 'name constraints minimum and maximum not supported'],
  UNSUPPORTED_CONSTRAINT_TYPE: [51, 'unsupported name constraint type'],
  UNSUPPORTED_CONSTRAINT_SYNTAX: [52, 'unsupported or invalid name constraint syntax'],
  UNSUPPORTED_NAME_SYNTAX: [53, 'unsupported or invalid name syntax'],
  HOSTNAME_MISMATCH: [62, 'hostname mismatch'],
  IP_ADDRESS_MISMATCH: [64, 'IP address mismatch'],
  INVALID_CA: [79, 'invalid CA certificate'],
  EC_KEY_EXPLICIT_PARAMS: [94, 'Certificate public key has explicit ECC parameters'],
} as const satisfies Record<string, readonly [number, string]>;

export type VerifyErrorCode = keyof typeof VERIFY_ERRORS;

/** One reason a certificate in the path fails, at its depth (0 = the certificate verified). */
export interface VerifyFailure {
  code: VerifyErrorCode;
  depth: number;
  /** What exactly failed, beyond OpenSSL's text ("not after 2026-01-01T00:00:00.000Z"). */
  detail?: string;
}

/** The outcome of path validation: the `--json` output of `tlskit verify`, field for field. */
export interface VerifyVerdict {
  ok: boolean;
  /** `OK`, or the OpenSSL name of the first reason the path fails (`CERT_HAS_EXPIRED`). */
  code: 'OK' | VerifyErrorCode;
  /** OpenSSL's number for `code` (X509_V_OK is 0), as in `error 10 at 0 depth lookup`. */
  opensslError: number;
  /** OpenSSL's text for `code`, then what exactly: "certificate has expired: not after …". */
  message: string;
  /** Depth of the failing certificate (0 = the one verified), null when ok. */
  depth: number | null;
  /** Subject of the failing certificate, null when ok. */
  subject: string | null;
  /** Subjects of the path as far as it was built, from the certificate verified upwards. */
  chain: string[];
  /** True when the path ends in a trust anchor (it may still fail a later check). */
  trusted: boolean;
  /** The time the path was checked at (ISO 8601). */
  at: string;
}

/** The verdict of a path that passed every check. */
export function passedVerdict(chain: string[], at: Date): VerifyVerdict {
  return {
    ok: true,
    code: 'OK',
    opensslError: 0,
    message: 'OK',
    depth: null,
    subject: null,
    chain,
    trusted: true,
    at: at.toISOString(),
  };
}

/** The verdict for the first failure found. */
export function failedVerdict(
  failure: VerifyFailure,
  chain: string[],
  trusted: boolean,
  at: Date,
): VerifyVerdict {
  const [number, text] = VERIFY_ERRORS[failure.code];
  return {
    ok: false,
    code: failure.code,
    opensslError: number,
    message: failure.detail ? `${text}: ${failure.detail}` : text,
    depth: failure.depth,
    subject: chain[failure.depth] ?? null,
    chain,
    trusted,
    at: at.toISOString(),
  };
}

/**
 * Thrown by callers that turn a failed verdict into exit code 1; carries the whole result so
 * `--json` can still print it.
 */
export class VerificationFailedError<
  Result extends VerifyVerdict = VerifyVerdict,
> extends CheckFailedError {
  constructor(
    readonly result: Result,
    what: string,
  ) {
    const subject = result.subject ? ` (${result.subject})` : '';
    super(`${what}: ${result.code} at depth ${result.depth}${subject}: ${result.message}`, {
      hint: hintFor(result.code),
    });
  }
}

/** What the user can do about the common failures; most need a different certificate. */
function hintFor(code: VerifyVerdict['code']): string | undefined {
  switch (code) {
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'give the intermediates with --untrusted (or in the file after the certificate) and the root with --ca';
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return 'give the root that issued the --ca certificate, or use --partial-chain to trust it as it is';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'trust the self-signed certificate explicitly with --ca';
    case 'UNABLE_TO_GET_CRL':
      return 'give the issuer’s CRL with --crl, or leave out --crl-check';
    case 'CRL_HAS_EXPIRED':
      return 'fetch a newer CRL (tlskit ca crl makes one)';
    default:
      return undefined;
  }
}
