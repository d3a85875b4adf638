import { constants } from 'node:crypto';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { ServerConfig, SniConfig } from './server-config.js';

/**
 * The createSecureContext options of a configuration: its identity, trust, ciphers, versions,
 * sessions. Everything here applies to the SNI contexts too, except the identity.
 */
export function secureContextOptions(config: ServerConfig): SecureContextOptions {
  const identity: SecureContextOptions =
    config.identity.kind === 'pem'
      ? { key: config.identity.keys, cert: config.identity.certs }
      : {
          pfx: Buffer.from(config.identity.pfxBase64, 'base64'),
          passphrase: config.identity.passphrase,
        };
  return { ...identity, ...sharedContextOptions(config) };
}

/** The context for one --sni name: its own key and certificate, the server's other settings. */
export function sniContextOptions(config: ServerConfig, sni: SniConfig): SecureContextOptions {
  return { key: sni.keyPem, cert: sni.certPem, ...sharedContextOptions(config) };
}

/** The tls.createServer options of a configuration. */
export function tlsServerOptions(config: ServerConfig): TlsOptions {
  return {
    ...secureContextOptions(config),
    requestCert: config.requestCert,
    rejectUnauthorized: config.rejectUnauthorized,
    handshakeTimeout: config.handshakeTimeout,
    enableTrace: config.trace,
    ...(config.alpnProtocols.length > 0 ? { ALPNProtocols: config.alpnProtocols } : {}),
    ...(config.ticketKeysBase64 === null
      ? {}
      : { ticketKeys: Buffer.from(config.ticketKeysBase64, 'base64') }),
  };
}

function sharedContextOptions(config: ServerConfig): SecureContextOptions {
  const options: SecureContextOptions = {
    minVersion: config.minVersion,
    honorCipherOrder: config.honorCipherOrder,
    sessionIdContext: config.sessionIdContext,
  };
  if (config.maxVersion) options.maxVersion = config.maxVersion;
  if (config.ciphers !== null) options.ciphers = config.ciphers;
  if (config.ecdhCurve !== null) options.ecdhCurve = config.ecdhCurve;
  if (config.sigalgs !== null) options.sigalgs = config.sigalgs;
  if (config.dhparam !== null) options.dhparam = config.dhparam;
  if (config.ca.length > 0) options.ca = config.ca;
  if (config.crl.length > 0) options.crl = config.crl;
  if (config.sessionTimeout !== null) options.sessionTimeout = config.sessionTimeout;
  // SSL_OP_NO_TICKET: TLS 1.2 resumes by session ID only; TLS 1.3 sends stateful tickets.
  if (config.ticketKeysBase64 === null) options.secureOptions = constants.SSL_OP_NO_TICKET;
  return options;
}
