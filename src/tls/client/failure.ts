import { CheckFailedError, errorCode, messageOf, PeerError, UsageError } from '../../errors.js';

/** Where in the connection a failure happened: the message says what the user can check. */
export type ConnectPhase = 'connect' | 'starttls' | 'handshake' | 'after-handshake' | 'exchange';

/**
 * One clear PeerError for a network or TLS failure, naming the address and, where OpenSSL's
 * words are cryptic, what they mean ("wrong version number": the server does not speak TLS).
 */
export function connectFailure(error: unknown, address: string, phase: ConnectPhase): PeerError {
  const code = errorCode(error) ?? '';
  const known = KNOWN_FAILURES[code];
  if (known) {
    return new PeerError(`${address}: ${known.message}`, { hint: known.hint, cause: error });
  }
  const alert = /alert ([a-z ]+?)(?::|$)/i.exec(messageOf(error))?.[1];
  if (alert) {
    return new PeerError(`${address}: the server refused the handshake (alert ${alert.trim()})`, {
      cause: error,
    });
  }
  return new PeerError(`${address}: ${describePhase(phase)} failed: ${openSslReason(error)}`, {
    cause: error,
  });
}

/** The time limit ran out; what the peer was doing (or not) at that moment. */
export function timeoutFailure(address: string, phase: ConnectPhase, timeoutMs: number): PeerError {
  const seconds = `${timeoutMs / 1000} s`;
  const messages: Record<ConnectPhase, string> = {
    connect: `no TCP connection within ${seconds}`,
    starttls: `the STARTTLS dialogue did not finish within ${seconds}`,
    handshake: `no TLS handshake within ${seconds} (the server accepted the connection but did not answer the ClientHello)`,
    'after-handshake': `the server did not finish within ${seconds}`,
    exchange: `no answer within ${seconds}`,
  };
  return new PeerError(`${address}: ${messages[phase]}`, {
    hint:
      phase === 'handshake' ? 'is it a TLS port? for STARTTLS use --starttls PROTOCOL' : undefined,
  });
}

/** A server closed the connection before the handshake finished, without an alert. */
export function closedDuringHandshake(address: string): PeerError {
  return new PeerError(`${address}: the server closed the connection during the handshake`, {
    hint: 'it may require a client certificate (--cert/--key), or share no TLS version or cipher with us',
  });
}

/** The verdict when the server's certificate did not verify and --insecure was not given. */
export function verificationFailure(
  address: string,
  code: string,
  reason: string,
): CheckFailedError {
  return new CheckFailedError(`${address}: certificate verification failed: ${reason} (${code})`, {
    hint: VERIFICATION_HINTS[code] ?? 'use --insecure to connect anyway',
  });
}

/** Node's option errors for --ciphers, --ecdh-curve and friends are usage errors. */
export function optionFailure(error: unknown): UsageError | undefined {
  const message = messageOf(error);
  if (/no cipher match/i.test(message)) {
    return new UsageError('--ciphers matches no cipher', {
      hint: 'see `openssl ciphers -v` for names',
      cause: error,
    });
  }
  if (/ECDH curve|curves? list|set1_groups/i.test(message)) {
    return new UsageError('--ecdh-curve names an unknown group', {
      hint: 'use e.g. X25519:P-256:P-384',
      cause: error,
    });
  }
  if (
    errorCode(error) === 'ERR_TLS_INVALID_PROTOCOL_VERSION' ||
    /protocol version/i.test(message)
  ) {
    return new UsageError(`--min-version/--max-version: ${message}`, { cause: error });
  }
  return undefined;
}

/** OpenSSL verification codes (and Node's host-name check) in words. */
export function verificationReason(code: string): string {
  return VERIFICATION_REASONS[code] ?? code.toLowerCase().replaceAll('_', ' ');
}

const KNOWN_FAILURES: Record<string, { message: string; hint?: string }> = {
  ECONNREFUSED: { message: 'connection refused', hint: 'is the server running on that port?' },
  ENOTFOUND: { message: 'no such host', hint: 'check the host name' },
  EAI_AGAIN: { message: 'the host name could not be resolved (DNS failed)' },
  EHOSTUNREACH: { message: 'the host is unreachable' },
  ENETUNREACH: { message: 'the network is unreachable' },
  ENOENT: { message: 'no such Unix socket', hint: 'check the --unix path' },
  ECONNRESET: {
    message: 'the server reset the connection',
    hint: 'it may require a client certificate, or share no TLS version or cipher with us',
  },
  ERR_SSL_WRONG_VERSION_NUMBER: {
    message: 'the server does not speak TLS on this port (OpenSSL: wrong version number)',
    hint: 'for a plain-text protocol that upgrades, use --starttls PROTOCOL',
  },
  ERR_SSL_PACKET_LENGTH_TOO_LONG: {
    message: 'the server does not speak TLS on this port (OpenSSL: packet length too long)',
    hint: 'for a plain-text protocol that upgrades, use --starttls PROTOCOL',
  },
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: {
    message: 'the server requires a client certificate (alert certificate_required)',
    hint: 'give one with --cert/--key or --pfx',
  },
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: {
    message: 'the server refused the handshake (alert handshake_failure)',
    hint: 'it may require a client certificate (--cert/--key), or share no cipher or group with us',
  },
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: {
    message: 'the server supports none of the offered TLS versions (alert protocol_version)',
    hint: 'see --min-version/--max-version',
  },
  ERR_SSL_UNSUPPORTED_PROTOCOL: {
    message: 'the server offered a TLS version we do not allow',
    hint: 'see --min-version (Node allows TLS 1.2 and 1.3 by default)',
  },
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: {
    message: 'no TLS version is left between --min-version and --max-version',
  },
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: {
    message: 'the server does not trust our client certificate (alert unknown_ca)',
  },
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: {
    message: 'the server rejected our client certificate (alert bad_certificate)',
  },
  ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL: {
    message:
      'the server supports none of the offered ALPN protocols (alert no_application_protocol)',
    hint: 'see --alpn',
  },
  ERR_SSL_TLSV1_UNRECOGNIZED_NAME: {
    message: 'the server does not know the name we asked for (alert unrecognized_name)',
    hint: 'see --servername',
  },
};

const VERIFICATION_REASONS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this host name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the issuer of the certificate is not known (incomplete chain or untrusted CA)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the certificate is not known (untrusted CA)',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate is missing from the chain',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate we do not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate is revoked',
  CERT_SIGNATURE_FAILURE: 'a signature in the chain does not verify',
  INVALID_CA: 'a certificate in the chain is not a CA',
  INVALID_PURPOSE: 'the certificate is not for TLS servers',
  HOSTNAME_MISMATCH: 'the certificate is not for this host name',
};

const VERIFICATION_HINTS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID:
    'connect with the name the certificate is for (--servername), or use --insecure',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'trust its CA with --ca FILE, or use --insecure',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'trust its CA with --ca FILE, or use --insecure',
  SELF_SIGNED_CERT_IN_CHAIN: 'trust that root with --ca FILE, or use --insecure',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'trust the certificate itself with --ca FILE, or use --insecure',
};

function describePhase(phase: ConnectPhase): string {
  const words: Record<ConnectPhase, string> = {
    connect: 'connecting',
    starttls: 'the STARTTLS dialogue',
    handshake: 'the TLS handshake',
    'after-handshake': 'the connection',
    exchange: 'the exchange',
  };
  return words[phase];
}

/** OpenSSL's messages start with "80AC…:error:0A00045C:SSL routines:fn:" — keep the reason. */
function openSslReason(error: unknown): string {
  const message = messageOf(error).trim();
  const reason = /:SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  return reason ?? message;
}
