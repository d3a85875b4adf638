/**
 * A throwaway P-256 PKI made by the openssl CLI, for the TLS client and STARTTLS tests: a root CA,
 * a server certificate for localhost and 127.0.0.1, a second server (other.test) for SNI, a client
 * certificate, a self-signed stranger, and an OCSP response for the server certificate.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from '../../../helpers/index.js';

export interface TestPki {
  dir: string;
  /** Paths. */
  caCert: string;
  serverKey: string;
  serverCert: string;
  otherKey: string;
  otherCert: string;
  clientKey: string;
  clientCert: string;
  strangerKey: string;
  strangerCert: string;
  /** A DER OCSPResponse saying "good" for serverCert, signed by the CA. */
  ocspResponse: string;
  /** PEM contents of the CA, the server key and certificate, for in-process servers. */
  pem: { ca: string; serverKey: string; serverCert: string };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Makes the PKI in a fresh temporary folder; call `removeTestPki` in `test.after.always`. */
export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'tlskit-pki-'));
  const path = (name: string) => join(dir, name);
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=tlskit test root',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const issue = (name: string, subject: string, extensions: string[]) =>
    openssl([
      'req',
      '-x509',
      ...EC,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      subject,
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      ...extensions.flatMap((extension) => ['-addext', extension]),
    ]);
  const serverUsage = ['basicConstraints=critical,CA:FALSE', 'extendedKeyUsage=serverAuth'];
  await issue('server', '/CN=localhost', [
    ...serverUsage,
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    'authorityInfoAccess=OCSP;URI:http://127.0.0.1:9/',
  ]);
  await issue('other', '/CN=other.test', [...serverUsage, 'subjectAltName=DNS:other.test']);
  await issue('client', '/CN=tlskit test client', [
    'basicConstraints=critical,CA:FALSE',
    'extendedKeyUsage=clientAuth',
  ]);
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    path('stranger.key'),
    '-out',
    path('stranger.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  await makeOcspResponse(dir);
  return {
    dir,
    caCert: path('ca.pem'),
    serverKey: path('server.key'),
    serverCert: path('server.pem'),
    otherKey: path('other.key'),
    otherCert: path('other.pem'),
    clientKey: path('client.key'),
    clientCert: path('client.pem'),
    strangerKey: path('stranger.key'),
    strangerCert: path('stranger.pem'),
    ocspResponse: path('ocsp.der'),
    pem: {
      ca: await readFile(path('ca.pem'), 'utf8'),
      serverKey: await readFile(path('server.key'), 'utf8'),
      serverCert: await readFile(path('server.pem'), 'utf8'),
    },
  };
}

/** `openssl ocsp` as a responder over a one-line index that lists the server certificate as valid. */
async function makeOcspResponse(dir: string): Promise<void> {
  const path = (name: string) => join(dir, name);
  const serial = (await openssl(['x509', '-in', path('server.pem'), '-noout', '-serial']))
    .trim()
    .replace(/^serial=/, '');
  const subject = (
    await openssl(['x509', '-in', path('server.pem'), '-noout', '-subject', '-nameopt', 'compat'])
  )
    .trim()
    .replace(/^subject=/, '');
  // index.txt: status, expiry (YYMMDDHHMMSSZ), revocation date, serial, file, subject.
  await writeFile(path('index.txt'), `V\t301231235959Z\t\t${serial}\tunknown\t${subject}\n`);
  await openssl([
    'ocsp',
    '-issuer',
    path('ca.pem'),
    '-cert',
    path('server.pem'),
    '-no_nonce',
    '-reqout',
    path('ocsp-request.der'),
  ]);
  await openssl([
    'ocsp',
    '-index',
    path('index.txt'),
    '-rsigner',
    path('ca.pem'),
    '-rkey',
    path('ca.key'),
    '-CA',
    path('ca.pem'),
    '-reqin',
    path('ocsp-request.der'),
    '-respout',
    path('ocsp.der'),
    '-ndays',
    '1',
  ]);
}

export async function removeTestPki(pki: TestPki | undefined): Promise<void> {
  if (pki) await rm(pki.dir, { recursive: true, force: true });
}
