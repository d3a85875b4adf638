import { isIP } from 'node:net';
import { encodePrivateKey, generateKeyPair } from '../../pki/keys.js';

export interface SelfSignedIdentity {
  keyPem: string;
  certPem: string;
  /** The names the certificate is valid for. */
  names: string[];
}

/** What a browser, curl or openssl on this machine may call a loopback server. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
/** Listening on every address says nothing about the name a client will use. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

/**
 * A fresh ECDSA P-256 key and a self-signed server certificate for localhost, 127.0.0.1 and ::1
 * (and `host`, when it is a specific other name), made in memory and never written anywhere.
 * P-256 because it is quick to make and to handshake with; the certificate is tlskit's usual
 * `server` profile.
 */
export async function createSelfSignedIdentity(
  host: string,
  now: Date = new Date(),
): Promise<SelfSignedIdentity> {
  // The certificate code pulls in the ASN.1 modules: load them only when a server needs them.
  const [{ issueCertificate }, { loadProfile }, { encodeName, parseSubject }, san, serial, time] =
    await Promise.all([
      import('../../pki/certificate.js'),
      import('../../pki/profile.js'),
      import('../../pki/name.js'),
      import('../../pki/san.js'),
      import('../../pki/serial.js'),
      import('../../pki/validity.js'),
    ]);
  const names = [...LOOPBACK_NAMES];
  if (!WILDCARD_ADDRESSES.has(host) && !names.includes(host)) names.push(host);
  const { privateKey, publicKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const subject = encodeName(parseSubject('/O=tlskit serve/CN=localhost'));
  const profile = await loadProfile('server');
  const certificate = await issueCertificate({
    subject,
    publicKey,
    issuer: { name: subject, key: privateKey },
    profile,
    validity: time.resolveValidity({}, now, profile.validityDays),
    serial: serial.randomSerial(),
    extraExtensions: [
      san.encodeSubjectAltNames(
        names.map((name) => san.parseSan(isIP(name) ? `IP:${name}` : `DNS:${name}`)),
      ),
    ],
  });
  return {
    keyPem: encodePrivateKey(privateKey, { format: 'pem' }).toString('utf8'),
    certPem: certificate.pem,
    names,
  };
}
