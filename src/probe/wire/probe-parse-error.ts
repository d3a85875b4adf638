import { ExitCode, TlskitError, type TlskitErrorOptions } from '../../errors.js';

/**
 * Peer bytes that do not parse: a short read, a length that overruns its block, trailing data, a
 * value the protocol forbids. Every parser in src/probe/ throws this and nothing else, so a scan
 * can turn it into a finding ("TLS1.2 probe: ServerHello: cipher_suite: needs 2 bytes, 1 left").
 */
export class ProbeParseError extends TlskitError {
  readonly code = 'PROBE_PARSE';
  readonly exitCode = ExitCode.network;

  constructor(message: string, options: TlskitErrorOptions = {}) {
    super(message, options);
  }
}

export function isProbeParseError(error: unknown): error is ProbeParseError {
  return error instanceof ProbeParseError;
}
