/**
 * A small PKI made with tlskit's own library for the server tests: a CA, server certificates
 * (ECDSA and RSA for localhost, ECDSA for SNI names), a client certificate it issued, and a
 * self-signed "rogue" client. EC keys except the one RSA server, to keep the tests quick.
 */
import { isIP } from 'node:net';
import { issueCertificate } from '../../../../src/pki/certificate.js';
import { encodePrivateKey, generateKeyPair, type KeySpec } from '../../../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../../../src/pki/name.js';
import { loadProfile } from '../../../../src/pki/profile.js';
import { encodeSubjectAltNames, parseSan } from '../../../../src/pki/san.js';
import { randomSerial } from '../../../../src/pki/serial.js';
import { resolveValidity } from '../../../../src/pki/validity.js';
import type { CertificateIssuer } from '../../../../src/pki/certificate.js';

export interface Pair {
  key: string;
  cert: string;
}

export interface TestPki {
  caCert: string;
  serverEc: Pair;
  serverRsa: Pair;
  api: Pair;
  wildcard: Pair;
  client: Pair;
  rogue: Pair;
}

const EC: KeySpec = { type: 'ec', curve: 'P-256' };

let cached: Promise<TestPki> | undefined;

/** One PKI per test process (made once, shared by the tests in a file). */
export function testPki(): Promise<TestPki> {
  cached ??= makePki();
  return cached;
}

async function makePki(): Promise<TestPki> {
  const caKeys = await generateKeyPair(EC);
  const caName = encodeName(parseSubject('/O=tlskit tests/CN=Test CA'));
  const ca = await issue({
    subject: caName,
    publicKey: caKeys.publicKey,
    issuer: { name: caName, key: caKeys.privateKey },
    profile: 'ca',
  });
  const issuer: CertificateIssuer = { name: caName, key: caKeys.privateKey };
  const leaf = async (spec: KeySpec, subject: string, sans: string[], profile: string) => {
    const keys = await generateKeyPair(spec);
    const cert = await issue({
      subject: encodeName(parseSubject(subject)),
      publicKey: keys.publicKey,
      issuer,
      profile,
      sans,
    });
    return { key: encodePrivateKey(keys.privateKey, { format: 'pem' }).toString(), cert };
  };
  const rogueKeys = await generateKeyPair(EC);
  const rogueName = encodeName(parseSubject('/CN=mallory'));
  const [serverEc, serverRsa, api, wildcard, client] = await Promise.all([
    leaf(EC, '/CN=localhost', ['localhost', '127.0.0.1'], 'server'),
    leaf({ type: 'rsa', bits: 2048 }, '/CN=localhost', ['localhost', '127.0.0.1'], 'server'),
    leaf(EC, '/CN=api.test', ['api.test'], 'server'),
    leaf(EC, '/CN=*.apps.test', ['*.apps.test'], 'server'),
    leaf(EC, '/O=tlskit tests/CN=alice', ['alice@example.test'], 'client'),
  ]);
  const rogue = {
    key: encodePrivateKey(rogueKeys.privateKey, { format: 'pem' }).toString(),
    cert: await issue({
      subject: rogueName,
      publicKey: rogueKeys.publicKey,
      issuer: { name: rogueName, key: rogueKeys.privateKey },
      profile: 'client',
    }),
  };
  return { caCert: ca, serverEc, serverRsa, api, wildcard, client, rogue };
}

async function issue(options: {
  subject: ReturnType<typeof encodeName>;
  publicKey: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];
  issuer: CertificateIssuer;
  profile: string;
  sans?: string[];
}): Promise<string> {
  const profile = await loadProfile(options.profile);
  const sans = (options.sans ?? []).map((name) =>
    parseSan(isIP(name) ? `IP:${name}` : name.includes('@') ? `email:${name}` : `DNS:${name}`),
  );
  const issued = await issueCertificate({
    subject: options.subject,
    publicKey: options.publicKey,
    issuer: options.issuer,
    profile,
    validity: resolveValidity({ days: 2 }, new Date(), profile.validityDays),
    serial: randomSerial(),
    extraExtensions: sans.length > 0 ? [encodeSubjectAltNames(sans)] : [],
  });
  return issued.pem;
}
